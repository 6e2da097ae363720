// The library's boundary, checked on the sources: the executable and the
// plugins include only public headers (mwaatok/...) or their own, and build
// against the public dependency. (The build enforces the first as well: they
// get only the public include directory.)
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "../e2e/harness.h"

using namespace mwaatok::e2e;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path &p)
{
	std::ifstream f(p);
	std::stringstream ss;
	ss << f.rdbuf();
	return ss.str();
}

/// Every quoted include in the C++ sources under \a dir that is neither
/// public (mwaatok/...), nor the build's mwaatok_config.h, nor a file of
/// \a dir itself or one of \a allowed; as "file: header".
std::vector<std::string> privateIncludes(const fs::path &dir, const std::vector<fs::path> &allowed = {})
{
	std::vector<std::string> found;
	const std::regex include(R"re(^\s*#\s*include\s*"([^"]+)")re");
	for (const auto &entry : fs::recursive_directory_iterator(dir)) {
		auto ext = entry.path().extension();
		if (ext != ".cpp" && ext != ".h")
			continue;
		std::istringstream lines(slurp(entry.path()));
		for (std::string line; std::getline(lines, line);) {
			std::smatch m;
			if (!std::regex_search(line, m, include))
				continue;
			std::string header = m[1];
			if (header.rfind("mwaatok/", 0) == 0 || header == "mwaatok_config.h")
				continue;
			if (header.find("..") == std::string::npos &&
			    (fs::exists(entry.path().parent_path() / header) || fs::exists(dir / header)))
				continue;
			if (std::find(allowed.begin(), allowed.end(), fs::path(header)) != allowed.end())
				continue;
			found.push_back(entry.path().lexically_relative(dir).string() + ": " + header);
		}
	}
	return found;
}

} // namespace

BOOST_AUTO_TEST_SUITE(boundary)

BOOST_AUTO_TEST_CASE(cli_and_plugins_include_only_public_or_own_headers)
{
	fs::path root = builtProgram("MWAATOK_SOURCE_ROOT");
	// The executable registers the built-in plugins through their one header.
	const std::vector<std::pair<const char *, std::vector<fs::path>>> dirs = {
		{ "cli", { "builtin_plugins.h" } }, { "plugins", {} }
	};
	for (const auto &[dir, allowed] : dirs) {
		BOOST_TEST_CONTEXT(dir)
		{
			auto found = privateIncludes(root / dir, allowed);
			BOOST_TEST(found.empty(), [&] {
				std::string all;
				for (const auto &f : found)
					all += "\n  " + f;
				return all;
			}());
		}
	}
}

BOOST_AUTO_TEST_CASE(cli_and_plugins_build_against_the_public_dependency)
{
	fs::path root = builtProgram("MWAATOK_SOURCE_ROOT");
	for (const char *file : { "cli/meson.build", "plugins/meson.build" }) {
		std::string text = slurp(root / file);
		BOOST_TEST(!text.empty(), file);
		BOOST_TEST(text.find("mwaatok_internal_dep") == std::string::npos, file);
		BOOST_TEST(text.find("mwaatok_dep") != std::string::npos, file);
	}
}

BOOST_AUTO_TEST_SUITE_END()

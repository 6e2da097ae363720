#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

// Helpers shared by the config suite's files.
namespace mwaatok::test {

/// The output plugins the tests pretend are built in.
inline const std::vector<std::string> plugins = { "print", "browser", "file", "exec" };

/// tests/data/config/<name>.
inline std::string dataPath(const std::string &name)
{
	const char *dir = std::getenv("MWAATOK_TEST_DATA");
	return std::string(dir ? dir : "tests/data") + "/config/" + name;
}

inline std::string slurp(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	std::ostringstream out;
	out << in.rdbuf();
	return out.str();
}

} // namespace mwaatok::test

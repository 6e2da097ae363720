#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "mwaatok/environment.h"
#include "mwaatok/environment_profile.h"
#include "mwaatok/error.h"
#include "mwaatok/filesystem.h"

#include "config_test_support.h"
#include "assertions.h"
#include "fakes.h"

using namespace mwaatok;
using test::plugins;

namespace {

using mwaatok::test::errorOf;

/// A fresh directory under the system temporary directory, removed at the end.
struct TempDir {
	TempDir()
	{
		std::string pattern = std::filesystem::temp_directory_path() / "mwaatok-config-XXXXXX";
		BOOST_TEST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
		path = pattern;
	}
	~TempDir() { std::filesystem::remove_all(path); }

	std::string write(const std::string &name, const std::string &content, mode_t mode)
	{
		std::string file = path + "/" + name;
		std::ofstream(file) << content;
		BOOST_TEST_REQUIRE(::chmod(file.c_str(), mode) == 0);
		return file;
	}

	std::string path;
};

} // namespace

BOOST_AUTO_TEST_CASE(location_resolution_order)
{
	MapEnvironment env;
	env.set("HOME", "/home/u");
	env.set("XDG_CONFIG_HOME", "/xdg");
	env.set("MWAATOK_CONFIG", "/etc/mwaatok.yaml");
	auto l = locateProfile(env, std::string("given.yaml"));
	BOOST_TEST(l.path == "given.yaml");
	BOOST_TEST((l.origin == ProfileOrigin::CommandLine));

	l = locateProfile(env, std::nullopt);
	BOOST_TEST(l.path == "/etc/mwaatok.yaml");
	BOOST_TEST((l.origin == ProfileOrigin::EnvironmentVar));

	env.set("MWAATOK_CONFIG", "");
	l = locateProfile(env, std::nullopt);
	BOOST_TEST(l.path == "/xdg/mwaatok/config.yaml");
	BOOST_TEST((l.origin == ProfileOrigin::Default));

	// A relative XDG_CONFIG_HOME is invalid by the XDG spec and ignored.
	env.set("XDG_CONFIG_HOME", "relative/dir");
	BOOST_TEST(locateProfile(env, std::nullopt).path == "/home/u/.config/mwaatok/config.yaml");
	env.unset("XDG_CONFIG_HOME");
	l = locateProfile(env, std::nullopt);
	BOOST_TEST(l.path == "/home/u/.config/mwaatok/config.yaml");
	BOOST_TEST((l.origin == ProfileOrigin::Default));

	env.unset("HOME");
	l = locateProfile(env, std::nullopt);
	BOOST_TEST(l.path.empty());
	BOOST_TEST((l.origin == ProfileOrigin::None));
}

BOOST_AUTO_TEST_CASE(absent_default_file_is_an_empty_profile)
{
	MapFileSystem fs;
	MapEnvironment env;
	env.set("HOME", "/home/u");
	auto p = loadProfile(locateProfile(env, std::nullopt), fs, plugins);
	BOOST_TEST(p.environments.empty());
	BOOST_TEST(p.path.empty());
	BOOST_TEST(loadProfile({ "", ProfileOrigin::None }, fs, plugins).environments.empty());
	BOOST_TEST(checkProfile(locateProfile(env, std::nullopt), fs, plugins).empty());
}

BOOST_AUTO_TEST_CASE(default_file_is_read_through_the_filesystem_seam)
{
	MapFileSystem fs;
	fs.write("/home/u/.config/mwaatok/config.yaml", "environments:\n  prod: {}\n");
	MapEnvironment env;
	env.set("HOME", "/home/u");
	auto p = loadProfile(locateProfile(env, std::nullopt), fs, plugins);
	BOOST_TEST_REQUIRE(p.environments.size() == 1u);
	BOOST_TEST(p.environments[0].alias == "prod");
	BOOST_TEST(p.path == "/home/u/.config/mwaatok/config.yaml");
}

BOOST_AUTO_TEST_CASE(missing_named_files_are_errors)
{
	MapFileSystem fs;
	BOOST_TEST(errorOf([&] { loadProfile({ "/nope/c.yaml", ProfileOrigin::CommandLine }, fs, plugins); }, ErrorKind::Config) ==
		   "profile /nope/c.yaml not found: check the --config option");
	BOOST_TEST(errorOf([&] { loadProfile({ "/nope/c.yaml", ProfileOrigin::EnvironmentVar }, fs, plugins); }, ErrorKind::Config) ==
		   "profile /nope/c.yaml (from MWAATOK_CONFIG) not found: fix or unset MWAATOK_CONFIG");
	BOOST_TEST(checkProfile({ "/nope/c.yaml", ProfileOrigin::CommandLine }, fs, plugins) ==
			   (std::vector<std::string>{ "profile /nope/c.yaml not found: check the --config option" }),
		   boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(load_reports_problems_with_the_file_path)
{
	MapFileSystem fs;
	fs.write("/p/c.yaml", "environments:\n  prod:\n    regoin: eu-west-1\n    jobs: 3\n");
	ProfileLocation l{ "/p/c.yaml", ProfileOrigin::CommandLine };
	BOOST_TEST(errorOf([&] { loadProfile(l, fs, plugins); }, ErrorKind::Config) ==
		   "/p/c.yaml:3:5: unknown key 'regoin' in environment 'prod'; did you mean 'region'?");
	BOOST_TEST(checkProfile(l, fs, plugins) ==
			   (std::vector<std::string>{
				   "/p/c.yaml:3:5: unknown key 'regoin' in environment 'prod'; did you mean 'region'?",
				   "/p/c.yaml:4:5: unknown key 'jobs' in environment 'prod'; valid keys are: name, "
				   "region, aws_profile, endpoint_url, airflow_version, tags" }),
		   boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(profile_writable_by_group_or_others_is_refused)
{
	TempDir dir;
	SystemFileSystem fs;
	const std::string text = "environments:\n  prod: {}\n";
	for (mode_t mode : { 0620, 0602, 0666, 0777 }) {
		auto file = dir.write("config.yaml", text, mode);
		char octal[8];
		std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
		std::string expected = file + ": refusing a profile writable by group or others (mode " + octal +
				       "), as it can name commands to run: run chmod go-w " + file;
		BOOST_TEST_CONTEXT("mode " << octal)
		{
			BOOST_TEST(errorOf([&] { loadProfile({ file, ProfileOrigin::CommandLine }, fs, plugins); }, ErrorKind::Config) ==
				   expected);
			BOOST_TEST(errorOf([&] { checkProfilePermissions(file); }, ErrorKind::Config) == expected);
			// Even at the default location, where a missing file would be fine.
			BOOST_TEST(checkProfile({ file, ProfileOrigin::Default }, fs, plugins) ==
					   std::vector<std::string>{ expected },
				   boost::test_tools::per_element());
		}
	}
	for (mode_t mode : { 0600, 0644, 0400, 0755 }) {
		auto file = dir.write("config.yaml", text, mode);
		auto p = loadProfile({ file, ProfileOrigin::CommandLine }, fs, plugins);
		BOOST_TEST(p.environments.size() == 1u);
		BOOST_TEST(p.path == file);
	}
}

BOOST_AUTO_TEST_CASE(permission_check_follows_symlinks_to_the_real_file)
{
	TempDir dir;
	SystemFileSystem fs;
	auto target = dir.write("real.yaml", "environments:\n  prod: {}\n", 0666);
	std::string link = dir.path + "/config.yaml";
	BOOST_TEST_REQUIRE(::symlink(target.c_str(), link.c_str()) == 0);
	BOOST_TEST(errorOf([&] { loadProfile({ link, ProfileOrigin::Default }, fs, plugins); }, ErrorKind::Config)
			   .find("refusing a profile writable by group or others (mode 0666)") != std::string::npos);
	BOOST_TEST_REQUIRE(::chmod(target.c_str(), 0600) == 0);
	BOOST_TEST(loadProfile({ link, ProfileOrigin::Default }, fs, plugins).environments.size() == 1u);
}

BOOST_AUTO_TEST_CASE(absent_real_file_at_the_default_location_is_fine)
{
	TempDir dir;
	SystemFileSystem fs;
	MapEnvironment env;
	env.set("XDG_CONFIG_HOME", dir.path);
	auto l = locateProfile(env, std::nullopt);
	BOOST_TEST(l.path == dir.path + "/mwaatok/config.yaml");
	BOOST_TEST(loadProfile(l, fs, plugins).environments.empty());
}

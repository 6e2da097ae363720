// Profiles others can change are refused (they can name commands to run):
// a file owned by another user, or a directory up the path that another
// user owns or that group or others can write without the sticky bit, as
// ssh checks its configuration.
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "mwaatok/environment_profile.h"
#include "mwaatok/error.h"
#include "mwaatok/filesystem.h"

#include "assertions.h"
#include "config_test_support.h"
#include "fakes.h"

using namespace mwaatok;
using test::plugins;

namespace {

constexpr unsigned test_user = 1000;
constexpr unsigned kUser = test_user;
constexpr unsigned kOther = 1001;
constexpr unsigned kDir = 0040000;
constexpr unsigned kFile = 0100000;

/// /home/u/.config/mwaatok/config.yaml in a file system whose statuses the test sets.
struct Tree {
	const std::string path = "/home/u/.config/mwaatok/config.yaml";
	MapFileSystem fs;
	explicit Tree(unsigned owner = test_user)
	{
		fs.write(path, "environments:\n  prod: {}\n");
		fs.setStatus("/", { 0, kDir | 0755 });
		fs.setStatus("/home", { 0, kDir | 0755 });
		fs.setStatus("/home/u", { owner, kDir | 0755 });
		fs.setStatus("/home/u/.config", { owner, kDir | 0700 });
		fs.setStatus("/home/u/.config/mwaatok", { owner, kDir | 0700 });
		fs.setStatus(path, { owner, kFile | 0600 });
	}
	std::string error(unsigned user = kUser) const
	{
		try {
			checkProfilePermissions(path, fs, user);
		} catch (const Error &e) {
			BOOST_TEST((e.kind() == ErrorKind::Config));
			return e.what();
		}
		return "";
	}
};

} // namespace

BOOST_AUTO_TEST_CASE(a_profile_of_the_user_or_root_in_safe_directories_is_accepted)
{
	Tree t;
	BOOST_TEST(t.error() == "");
	t.fs.setStatus(t.path, { 0, kFile | 0644 }); // root's
	BOOST_TEST(t.error() == "");
	// A sticky world-writable directory (like /tmp) is safe: others cannot replace the file.
	t.fs.setStatus("/home", { 0, kDir | 01777 });
	BOOST_TEST(t.error() == "");
}

BOOST_AUTO_TEST_CASE(a_profile_owned_by_another_user_is_refused)
{
	Tree t;
	t.fs.setStatus(t.path, { kOther, kFile | 0600 });
	BOOST_TEST(t.error() == t.path + ": refusing a profile owned by another user (uid 1001), as it can name "
					 "commands to run: use a copy of your own, or have root own it");
	// Root is held to the same rule as anyone.
	BOOST_TEST(t.error(0) == t.error());
}

BOOST_AUTO_TEST_CASE(a_directory_others_can_change_is_refused)
{
	for (unsigned mode : { 0775u, 0757u, 0777u }) {
		Tree t;
		t.fs.setStatus("/home/u/.config/mwaatok", { kUser, kDir | mode });
		char octal[8];
		std::snprintf(octal, sizeof octal, "%04o", mode);
		BOOST_TEST(t.error() == t.path + ": refusing a profile in /home/u/.config/mwaatok, a directory writable "
						 "by group or others (mode " + octal + "), as it can name commands to "
						 "run: run chmod go-w /home/u/.config/mwaatok or move the profile");
	}
	Tree high;
	high.fs.setStatus("/home", { 0, kDir | 0777 }); // far up the path, no sticky bit
	BOOST_TEST(high.error().find("refusing a profile in /home, a directory writable by group or others (mode "
				     "0777)") != std::string::npos, high.error());
	Tree owned;
	owned.fs.setStatus("/home/u", { kOther, kDir | 0755 });
	BOOST_TEST(owned.error() == owned.path + ": refusing a profile in /home/u, a directory owned by another "
						 "user (uid 1001), as it can name commands to run: move the profile "
						 "to a directory of your own");
}

BOOST_AUTO_TEST_CASE(load_and_check_refuse_through_the_seam)
{
	// loadProfile checks for the effective user.
	const unsigned me = ::geteuid();
	Tree t(me);
	t.fs.setStatus("/home/u/.config", { me, kDir | 0777 });
	ProfileLocation l{ t.path, ProfileOrigin::Default };
	std::string what = test::errorOf([&] { loadProfile(l, t.fs, plugins); }, ErrorKind::Config);
	BOOST_TEST(what.find("a directory writable by group or others") != std::string::npos, what);
	auto problems = checkProfile(l, t.fs, plugins);
	BOOST_TEST_REQUIRE(problems.size() == 1u);
	BOOST_TEST(problems[0].find("/home/u/.config, a directory writable") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_real_file_system_resolves_symlinks_before_walking_up)
{
	namespace fs = std::filesystem;
	std::string pattern = fs::temp_directory_path() / "mwaatok-perm-XXXXXX";
	BOOST_TEST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
	const std::string base = pattern;
	fs::create_directories(base + "/open/inner");
	BOOST_TEST_REQUIRE(::chmod((base + "/open").c_str(), 0777) == 0);
	std::string file = base + "/open/inner/config.yaml";
	std::ofstream(file) << "environments:\n  prod: {}\n";
	BOOST_TEST_REQUIRE(::chmod(file.c_str(), 0600) == 0);
	fs::create_directories(base + "/safe");
	std::string link = base + "/safe/config.yaml";
	BOOST_TEST_REQUIRE(::symlink(file.c_str(), link.c_str()) == 0);
	SystemFileSystem sys;
	for (const auto &p : { file, link }) {
		std::string what = test::errorOf([&] { loadProfile({ p, ProfileOrigin::CommandLine }, sys, plugins); });
		BOOST_TEST(what.find("refusing a profile in " + base + "/open, a directory writable by group or others "
				     "(mode 0777)") != std::string::npos, what);
	}
	BOOST_TEST_REQUIRE(::chmod((base + "/open").c_str(), 0700) == 0);
	BOOST_TEST(loadProfile({ link, ProfileOrigin::CommandLine }, sys, plugins).environments.size() == 1u);
	// A symlink to a safe file, in a directory others could write: they could swap the link.
	BOOST_TEST_REQUIRE(::chmod((base + "/safe").c_str(), 0777) == 0);
	std::string what = test::errorOf([&] { loadProfile({ link, ProfileOrigin::CommandLine }, sys, plugins); });
	BOOST_TEST(what == link + ": refusing a profile in " + base + "/safe, a directory writable by group or others "
					  "(mode 0777), as it can name commands to run: run chmod go-w " + base +
					  "/safe or move the profile");
	fs::remove_all(base);
}

#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "browser/browser_plugin.h"
#include "core/strings.h"
#include "mwaatok/environment.h"
#include "plugin_test_support.h"
#include "fakes.h"

using namespace mwaatok;
using namespace mwaatok::test;

namespace {

struct BrowserFixture {
	TempDir dir;
	MapEnvironment env;
	FakeLauncher launcher;
	std::ostringstream out, err;

	BrowserFixture()
	{
		env.set("XDG_RUNTIME_DIR", dir.path());
		env.set("PATH", dir / "bin");
		::mkdir((dir / "bin").c_str(), 0755);
	}

	void installProgram(const std::string &name)
	{
		writeFile(dir / "bin/" + name, "#!/bin/sh\nexit 1\n");
		::chmod((dir / "bin/" + name).c_str(), 0755);
	}

	/// Opens prod in a run that started at at().
	void openProd()
	{
		BrowserPlugin p(out, err, env, launcher);
		p.begin({1, at()});
		p.deliver(prodLink());
		p.end({1, 0, false});
	}

	std::string pagesDir() const { return dir / "mwaatok"; }
};

void setMtime(const std::string &path, TimePoint t)
{
	timespec times[2];
	times[0].tv_sec = times[1].tv_sec = std::chrono::system_clock::to_time_t(t);
	times[0].tv_nsec = times[1].tv_nsec = 0;
	::utimensat(AT_FDCWD, path.c_str(), times, 0);
}

} // namespace

BOOST_AUTO_TEST_SUITE(browser_plugin)

BOOST_FIXTURE_TEST_CASE(opens_a_private_redirect_page_never_the_token, BrowserFixture)
{
	env.set("BROWSER", "firefox --new-window");
	openProd();
	BOOST_REQUIRE(launcher.specs.size() == 1u);
	const ProcessSpec &spec = launcher.specs[0];
	BOOST_TEST(spec.detach);
	BOOST_REQUIRE(spec.argv.size() == 3u);
	BOOST_TEST(spec.argv[0] == "firefox");
	BOOST_TEST(spec.argv[1] == "--new-window");
	for (const auto &a : spec.argv) {
		BOOST_TEST(a.find(prodLink().token) == std::string::npos);
		BOOST_TEST(a.find("SECRET") == std::string::npos);
	}
	BOOST_TEST(spec.stdinData.find(prodLink().token) == std::string::npos);
	for (const auto &[k, v] : spec.extraEnv)
		BOOST_TEST(v.find(prodLink().token) == std::string::npos);

	const std::string &page = spec.argv[2];
	BOOST_TEST(startsWith(page, pagesDir() + "/login-"));
	BOOST_TEST(endsWith(page, ".html"));
	BOOST_TEST(modeOf(page) == 0600u);
	BOOST_TEST(modeOf(pagesDir()) == 0700u);
	std::string html = readFile(page);
	BOOST_TEST(html == BrowserPlugin::redirectPage(prodLink().loginUrl));
	BOOST_TEST(html.find("content=\"0;url=" + prodLink().loginUrl + "\"") != std::string::npos);
	BOOST_TEST(html.find("location.replace(\"" + prodLink().loginUrl + "\")") != std::string::npos);
	BOOST_TEST(out.str().empty());
	BOOST_TEST(err.str().empty());
}

BOOST_FIXTURE_TEST_CASE(browser_with_percent_s_gets_the_page_there, BrowserFixture)
{
	env.set("BROWSER", "mybrowser %s --flag:otherbrowser");
	openProd();
	BOOST_REQUIRE(launcher.specs.size() == 1u);
	const auto &argv = launcher.specs[0].argv;
	BOOST_REQUIRE(argv.size() == 3u);
	BOOST_TEST(argv[0] == "mybrowser");
	BOOST_TEST(startsWith(argv[1], pagesDir() + "/login-"));
	BOOST_TEST(argv[2] == "--flag");
}

BOOST_FIXTURE_TEST_CASE(xdg_open_then_open_from_path, BrowserFixture)
{
	installProgram("open");
	installProgram("xdg-open");
	BrowserPlugin p(out, err, env, launcher);
	BOOST_TEST(p.opener() == std::vector<std::string>{"xdg-open"});
	::unlink((dir / "bin/xdg-open").c_str());
#ifdef __APPLE__
	BOOST_TEST(p.opener() == std::vector<std::string>{"open"});
	openProd();
	BOOST_REQUIRE(launcher.specs.size() == 1u);
	BOOST_TEST(launcher.specs[0].argv.size() == 2u);
	BOOST_TEST(launcher.specs[0].argv[0] == "open");
#else
	// Elsewhere "open" is openvt(1) or run-mailcap(1), not a URL opener.
	BOOST_TEST(p.opener().empty());
#endif
}

BOOST_FIXTURE_TEST_CASE(no_opener_says_so_and_prints_the_url, BrowserFixture)
{
	writeFile(dir / "bin/xdg-open", "not executable\n");
	openProd();
	BOOST_TEST(launcher.specs.empty());
	BOOST_TEST(out.str() == prodLink().loginUrl + "\n");
	BOOST_TEST(err.str() == "mwaatok: no browser found (set BROWSER or install xdg-open); "
				"the login URL for prod follows\n");
	BOOST_TEST(listDir(dir.path()) == std::vector<std::string>{"bin"});
}

BOOST_FIXTURE_TEST_CASE(stale_pages_are_removed_by_run_start_time, BrowserFixture)
{
	env.set("BROWSER", "b");
	::mkdir(pagesDir().c_str(), 0700);
	writeFile(pagesDir() + "/login-old.html", "x");
	setMtime(pagesDir() + "/login-old.html", at() - std::chrono::minutes(10));
	writeFile(pagesDir() + "/login-recent.html", "x");
	setMtime(pagesDir() + "/login-recent.html", at() - std::chrono::minutes(1));
	writeFile(pagesDir() + "/notes.txt", "x");
	setMtime(pagesDir() + "/notes.txt", at() - std::chrono::hours(10));
	openProd();
	auto names = listDir(pagesDir());
	BOOST_TEST(names.size() == 3u);
	BOOST_TEST(std::count(names.begin(), names.end(), "login-old.html") == 0);
	BOOST_TEST(std::count(names.begin(), names.end(), "login-recent.html") == 1);
	BOOST_TEST(std::count(names.begin(), names.end(), "notes.txt") == 1);
}

BOOST_FIXTURE_TEST_CASE(private_temporary_directory_without_xdg_runtime_dir, BrowserFixture)
{
	env.unset("XDG_RUNTIME_DIR");
	env.set("TMPDIR", dir.path());
	env.set("BROWSER", "b");
	openProd();
	std::string expected = dir / "mwaatok-" + std::to_string(::geteuid());
	BOOST_REQUIRE(launcher.specs.size() == 1u);
	BOOST_TEST(startsWith(launcher.specs[0].argv[1], expected + "/login-"));
	BOOST_TEST(modeOf(expected) == 0700u);
}

BOOST_FIXTURE_TEST_CASE(refuses_a_directory_others_can_read, BrowserFixture)
{
	env.set("BROWSER", "b");
	::mkdir(pagesDir().c_str(), 0755);
	::chmod(pagesDir().c_str(), 0755);
	BOOST_TEST(errorOf([&] { openProd(); }, ErrorKind::Plugin) ==
		   "output plugin 'browser': refusing to use " + pagesDir() +
			   " for login pages: it must be a directory of yours with mode 0700");
	BOOST_TEST(launcher.specs.empty());
}

BOOST_FIXTURE_TEST_CASE(an_opener_that_does_not_start_is_a_plugin_error, BrowserFixture)
{
	env.set("BROWSER", "nosuchbrowser");
	launcher.result = ProcessResult{false, -1, false, "", "", "No such file or directory"};
	BOOST_TEST(errorOf([&] { openProd(); }, ErrorKind::Plugin) ==
		   "output plugin 'browser': cannot start 'nosuchbrowser' for prod: No such file or directory");
	BOOST_TEST(listDir(pagesDir()).empty()); // its page was removed
}

BOOST_AUTO_TEST_CASE(redirect_page_escapes_the_url)
{
	std::string html = BrowserPlugin::redirectPage("https://h/x?a=1&b=\"</script>'#t");
	BOOST_TEST(html.find("</script>'") == std::string::npos);
	BOOST_TEST(html.find("content=\"0;url=https://h/x?a=1&amp;b=&quot;&lt;/script&gt;&#39;#t\"") !=
		   std::string::npos);
	BOOST_TEST(html.find("location.replace(\"https://h/x?a=1\\u0026b=\\\"\\u003c/script\\u003e'#t\")") !=
		   std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include "file/file_plugin.h"
#include "mwaatok/environment.h"
#include "plugin_test_support.h"
#include "fakes.h"

using namespace mwaatok;
using namespace mwaatok::test;

namespace {

/// Runs a file plugin with \a options over prod, dev and the broken failure.
void runFile(const PluginOptions &options, const Environment &env = MapEnvironment(),
	     bool interrupted = false)
{
	FilePlugin p(options, env);
	p.begin({3, at()});
	p.deliver(prodLink());
	p.fail(brokenFailure());
	p.deliver(devLink());
	p.end({2, 1, interrupted});
}

} // namespace

BOOST_AUTO_TEST_SUITE(file_plugin)

BOOST_AUTO_TEST_CASE(txt_has_one_url_per_line_mode_0600_no_temp_left)
{
	TempDir dir;
	runFile({{"path", dir / "links.txt"}});
	BOOST_TEST(readFile(dir / "links.txt") == prodLink().loginUrl + "\n" + devLink().loginUrl + "\n");
	BOOST_TEST(modeOf(dir / "links.txt") == 0600u);
	BOOST_TEST(listDir(dir.path()) == std::vector<std::string>{"links.txt"});
}

BOOST_AUTO_TEST_CASE(json_lists_links_then_failures)
{
	TempDir dir;
	runFile({{"path", dir / "links.json"}});
	BOOST_TEST(readFile(dir / "links.json") == testData("links.json"));
}

BOOST_AUTO_TEST_CASE(html_is_a_self_contained_escaped_page)
{
	TempDir dir;
	runFile({{"path", dir / "links.html"}});
	std::string html = readFile(dir / "links.html");
	BOOST_TEST(html == testData("links.html"));
	BOOST_TEST(html.find("dev <&>") == std::string::npos);
	BOOST_TEST(html.find("<script") == std::string::npos);
	BOOST_TEST(html.find("http", html.find("<a href")) != std::string::npos);
	BOOST_TEST(modeOf(dir / "links.html") == 0600u);
}

BOOST_AUTO_TEST_CASE(html_says_when_the_run_was_interrupted)
{
	TempDir dir;
	runFile({{"path", dir / "links.htm"}}, MapEnvironment(), true);
	BOOST_TEST(readFile(dir / "links.htm").find("The run was interrupted; this list is incomplete.") !=
		   std::string::npos);
}

BOOST_AUTO_TEST_CASE(csv_quotes_as_rfc4180)
{
	TempDir dir;
	runFile({{"path", dir / "out.data"}, {"format", "csv"}});
	std::string expected =
		"alias,name,region,hostname,login_url,expires_at,airflow_version,iam_identity,airflow_identity,error\r\n"
		"prod,prod-airflow,eu-west-1,abc123.c1.eu-west-1.airflow.amazonaws.com," + prodLink().loginUrl +
		",2024-05-01T12:01:00Z,2,arn:aws:sts::123456789012:assumed-role/Admin/alice,assumed-role/Admin,\r\n"
		"\"dev <&> \"\"x\"\",y\",dev,us-east-1,def456.c2.us-east-1.airflow.amazonaws.com," + devLink().loginUrl +
		",2024-05-01T12:01:30Z,3,,,\r\n"
		"broken,broken-env,us-west-2,,,,,,,\"resourcenotfoundexception: environment \"\"broken-env\"\", not found\"\r\n";
	BOOST_TEST(readFile(dir / "out.data") == expected);
}

BOOST_AUTO_TEST_CASE(tilde_is_home_from_the_environment)
{
	TempDir dir;
	MapEnvironment env({{"HOME", dir.path()}});
	FilePlugin p({{"path", "~/links.txt"}}, env);
	BOOST_TEST(p.path() == dir / "links.txt");
	BOOST_TEST(errorOf([&] { FilePlugin({{"path", "~/x.txt"}}, MapEnvironment()); }, ErrorKind::Usage) ==
		   "cannot expand '~/x.txt': HOME is not set; write the full path");
	BOOST_TEST(errorOf([&] { FilePlugin({{"path", "~bob/x.txt"}}, env); }, ErrorKind::Usage) ==
		   "cannot expand '~bob/x.txt': only ~ and ~/ are supported; write the full path");
}

BOOST_AUTO_TEST_CASE(replaces_an_existing_file_and_makes_it_0600)
{
	TempDir dir;
	writeFile(dir / "links.txt", "old\n");
	::chmod((dir / "links.txt").c_str(), 0644);
	runFile({{"path", dir / "links.txt"}});
	BOOST_TEST(readFile(dir / "links.txt").find("old") == std::string::npos);
	BOOST_TEST(modeOf(dir / "links.txt") == 0600u);
}

BOOST_AUTO_TEST_CASE(refuses_to_write_through_a_symlink)
{
	TempDir dir;
	writeFile(dir / "target.txt", "keep\n");
	BOOST_REQUIRE(::symlink((dir / "target.txt").c_str(), (dir / "links.txt").c_str()) == 0);
	BOOST_TEST(errorOf([&] { runFile({{"path", dir / "links.txt"}}); }, ErrorKind::Plugin) ==
		   "output plugin 'file': cannot write " + dir / "links.txt" +
			   ": it is a symbolic link; refusing to write through it");
	BOOST_TEST(readFile(dir / "target.txt") == "keep\n");
	BOOST_TEST(listDir(dir.path()) == (std::vector<std::string>{"links.txt", "target.txt"}));
}

BOOST_AUTO_TEST_CASE(a_missing_directory_is_a_plugin_error)
{
	TempDir dir;
	BOOST_TEST(errorOf([&] { runFile({{"path", dir / "no/links.txt"}}); }, ErrorKind::Plugin) ==
		   "output plugin 'file': cannot write " + dir / "no/links.txt" + ": cannot create a temporary file in " +
			   dir / "no" + ": No such file or directory");
}

BOOST_AUTO_TEST_CASE(format_from_extension_or_option)
{
	MapEnvironment env;
	BOOST_TEST(int(FilePlugin({{"path", "a.JSON"}}, env).format()) == int(FilePlugin::Format::Json));
	BOOST_TEST(int(FilePlugin({{"path", "a.csv"}}, env).format()) == int(FilePlugin::Format::Csv));
	BOOST_TEST(int(FilePlugin({{"path", "a.html"}, {"format", "txt"}}, env).format()) ==
		   int(FilePlugin::Format::Txt));
	BOOST_TEST(errorOf([&] { FilePlugin({{"path", "dir.d/links"}}, env); }, ErrorKind::Usage) ==
		   "output plugin 'file' cannot tell the format of 'dir.d/links' from its extension; "
		   "add format=txt|json|html|csv");
	BOOST_TEST(errorOf([&] { FilePlugin({{"path", "a.txt"}, {"format", "xml"}}, env); }, ErrorKind::Usage) ==
		   "unknown format 'xml' for output plugin 'file'; use txt, json, html, csv or cookiejar");
	BOOST_TEST(errorOf([&] { FilePlugin({{"format", "txt"}}, env); }, ErrorKind::Usage) ==
		   "output plugin 'file' needs option 'path' (e.g. -o file:path=links.html)");
}

BOOST_AUTO_TEST_SUITE_END()

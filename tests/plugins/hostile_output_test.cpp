// Text from outside in every plugin format: control characters cannot drive
// the terminal, CSV cells cannot start formulas, an exec child's stderr shows
// no secret, and exec and browser children do not get the AWS credential
// variables.
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "browser/browser_plugin.h"
#include "builtin_plugins.h"
#include "exec/exec_plugin.h"
#include "file/file_plugin.h"
#include "fakes.h"
#include "mwaatok/environment.h"
#include "mwaatok/output_spec.h"
#include "mwaatok/plugin_registry.h"
#include "plugin_test_support.h"
#include "print/print_plugin.h"
#include "support/record_format.h"

using namespace mwaatok;
using namespace mwaatok::test;

namespace {

// OSC 52 (clipboard write), clear screen, BEL, and a newline forging a line of ours.
const std::string kHostile = "denied \x1b]52;c;ZXZpbA==\x07\x1b[2J\nmwaatok: all fine\r";
const std::string kHostileShown = "denied \\x1b]52;c;ZXZpbA==\\x07\\x1b[2J\\nmwaatok: all fine\\r";

LinkFailure hostileFailure()
{
	return {"hostile", "hostile-env", "us-east-1", kHostile, "Bad"};
}

bool hasControl(const std::string &text, bool allowNewline)
{
	for (unsigned char c : text)
		if ((c < 0x20 && !(allowNewline && c == '\n')) || c == 0x7f)
			return true;
	return false;
}

} // namespace

BOOST_AUTO_TEST_SUITE(hostile_output)

BOOST_AUTO_TEST_CASE(csv_cells_that_start_a_formula_become_text)
{
	BOOST_TEST(csvField("=HYPERLINK(\"http://evil\",\"x\")") == "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");
	BOOST_TEST(csvField("+1") == "\"'+1\"");
	BOOST_TEST(csvField("-2+3") == "\"'-2+3\"");
	BOOST_TEST(csvField("@SUM(A1)") == "\"'@SUM(A1)\"");
	BOOST_TEST(csvField("\t=1") == "\"'\t=1\"");
	BOOST_TEST(csvField("\r=1") == "\"'\r=1\"");
	BOOST_TEST(csvField("  =1") == "\"'  =1\"");
	// Ordinary cells are unchanged.
	BOOST_TEST(csvField("prod") == "prod");
	BOOST_TEST(csvField("a=b") == "a=b");
	BOOST_TEST(csvField("arn:aws:sts::1:assumed-role/x") == "arn:aws:sts::1:assumed-role/x");
	BOOST_TEST(csvField("") == "");
}

BOOST_AUTO_TEST_CASE(csv_file_neutralises_identities_and_messages)
{
	TempDir dir;
	LoginLink link = prodLink();
	link.iamIdentity = "=cmd|' /C calc'!A0";
	link.airflowIdentity = "@evil";
	FilePlugin p({{"path", dir / "links.csv"}}, MapEnvironment());
	p.begin({2, at()});
	p.deliver(link);
	p.fail({"bad", "bad-env", "us-east-1", "-1+1 is what the service said", "X"});
	p.end({1, 1, false});
	std::string csv = readFile(dir / "links.csv");
	BOOST_TEST(csv.find(",\"'=cmd|' /C calc'!A0\",\"'@evil\",\r\n") != std::string::npos, csv);
	BOOST_TEST(csv.find(",\"'-1+1 is what the service said\"\r\n") != std::string::npos, csv);
}

BOOST_AUTO_TEST_CASE(print_table_escapes_what_it_shows)
{
	std::ostringstream out;
	PrintPlugin p(out, {{"format", "table"}});
	p.begin({1, at()});
	p.fail(hostileFailure());
	p.end({0, 1, false});
	BOOST_TEST(!hasControl(out.str(), true), out.str());
	BOOST_TEST(out.str().find("error: " + kHostileShown) != std::string::npos, out.str());
}

BOOST_AUTO_TEST_CASE(json_formats_stay_json_without_raw_controls)
{
	for (const char *format : {"json", "ndjson"}) {
		std::ostringstream out;
		PrintPlugin p(out, {{"format", format}});
		p.begin({1, at()});
		p.fail({"hostile", "hostile-env", "us-east-1", kHostile + "\x7f\xc2\x9b", "Bad"});
		p.end({0, 1, false});
		BOOST_TEST(!hasControl(out.str(), true), out.str());
		BOOST_TEST(out.str().find("\\u001b]52") != std::string::npos, out.str());
		BOOST_TEST(out.str().find("\\u007f\\u009b") != std::string::npos, out.str());
	}
}

BOOST_AUTO_TEST_CASE(exec_stderr_shows_no_secret_and_no_control)
{
	FakeLauncher launcher;
	launcher.result.exitCode = 2;
	launcher.result.stderrData = "token SECRET-TOKEN-1 rejected\x1b]52;c;eA==\x07\n"
				     "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
				     "{\"SessionToken\": \"FwoGZXIvYXdzEJr//////////wEaDAAAAAAAAAAAAAAAAAAAAAA\"}\n";
	std::ostringstream out;
	ExecPlugin p({{"command", "handler"}}, out, launcher);
	std::string what = errorOf([&] { p.deliver(prodLink()); });
	BOOST_TEST(what.find("SECRET-TOKEN-1") == std::string::npos, what);
	BOOST_TEST(what.find("wJalrXUtnFEMI") == std::string::npos, what);
	BOOST_TEST(what.find("FwoGZXIvYXdz") == std::string::npos, what);
	BOOST_TEST(what.find("\\x1b]52") != std::string::npos, what);
	BOOST_TEST(!hasControl(what, false), what);
	BOOST_TEST(launcher.specs.at(0).scrubCredentials);
}

BOOST_AUTO_TEST_CASE(browser_children_get_no_credential_variables)
{
	TempDir dir;
	MapEnvironment env;
	env.set("XDG_RUNTIME_DIR", dir.path());
	env.set("BROWSER", "my-browser");
	FakeLauncher launcher;
	std::ostringstream out, err;
	BrowserPlugin p(out, err, env, launcher);
	p.begin({1, at()});
	p.deliver(prodLink());
	p.end({1, 0, false});
	BOOST_TEST_REQUIRE(launcher.specs.size() == 1u);
	BOOST_TEST(launcher.specs[0].scrubCredentials);
	BOOST_TEST(launcher.specs[0].detach);
}

BOOST_AUTO_TEST_CASE(markdown_module_escapes_control_characters)
{
	const char *module = std::getenv("MWAATOK_TEST_MARKDOWN_MODULE");
	BOOST_TEST_REQUIRE(module, "MWAATOK_TEST_MARKDOWN_MODULE is not set; run through meson test");
	MapEnvironment env{{{"MWAATOK_PLUGIN_PATH", std::filesystem::path(module).parent_path().string()}}};
	PluginRegistry registry{env, ""};
	registerBuiltinPlugins(registry);
	FakeLauncher launcher;
	std::ostringstream out, err;
	PluginContext context{out, err, env, launcher};
	TempDir dir;
	auto p = registry.create(parseOutputSpec("markdown:path=" + dir / "links.md"), context);
	LoginLink link = prodLink();
	link.alias = "a\x1b[2Jb";
	p->begin({2, at()});
	p->deliver(link);
	p->fail(hostileFailure());
	p->end({1, 1, false});
	p.reset();
	std::string md = readFile(dir / "links.md");
	BOOST_TEST(!hasControl(md, true), md);
	BOOST_TEST(md.find("- [a\\\\x1b\\[2Jb]") != std::string::npos, md);
	BOOST_TEST(md.find("failed: denied \\\\x1b\\]52;c;ZXZpbA==\\\\x07") != std::string::npos, md);
}

BOOST_AUTO_TEST_SUITE_END()

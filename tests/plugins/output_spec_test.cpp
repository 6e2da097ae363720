#define BOOST_TEST_MODULE plugins
#include <boost/test/unit_test.hpp>

#include "mwaatok/output_spec.h"
#include "plugin_test_support.h"

using namespace mwaatok;
using mwaatok::test::errorOf;

BOOST_AUTO_TEST_SUITE(output_spec)

BOOST_AUTO_TEST_CASE(name_alone)
{
	auto s = parseOutputSpec("print");
	BOOST_TEST(s.name == "print");
	BOOST_TEST(s.options.empty());
	BOOST_TEST(parseOutputSpec("Browser").name == "browser");
}

BOOST_AUTO_TEST_CASE(options_in_order_values_keep_equals_and_spaces)
{
	auto s = parseOutputSpec("exec:command=grep -q a=b,shell=true");
	BOOST_TEST(s.name == "exec");
	BOOST_REQUIRE(s.options.size() == 2u);
	BOOST_TEST(s.options[0].first == "command");
	BOOST_TEST(s.options[0].second == "grep -q a=b");
	BOOST_TEST(s.options[1].first == "shell");
	BOOST_TEST(s.options[1].second == "true");
}

BOOST_AUTO_TEST_CASE(escaped_comma_and_backslash)
{
	auto s = parseOutputSpec(R"(exec:command=printf a\,b\\n,Shell=1)");
	BOOST_REQUIRE(s.options.size() == 2u);
	BOOST_TEST(s.options[0].second == R"(printf a,b\n)");
	BOOST_TEST(s.options[1].first == "shell"); // keys are case-insensitive
	auto e = parseOutputSpec(R"(file:path=a\=b.txt)");
	BOOST_TEST(e.options[0].first == "path");
	BOOST_TEST(e.options[0].second == "a=b.txt");
}

BOOST_AUTO_TEST_CASE(empty_value_is_allowed)
{
	auto s = parseOutputSpec("x:k=");
	BOOST_REQUIRE(s.options.size() == 1u);
	BOOST_TEST(s.options[0].second == "");
}

BOOST_AUTO_TEST_CASE(syntax_errors)
{
	auto usage = [](const char *spec) {
		return errorOf([&] { parseOutputSpec(spec); }, ErrorKind::Usage);
	};
	BOOST_TEST(usage("") == "empty output spec; expected NAME or NAME:KEY=VALUE,... (e.g. print:format=json)");
	BOOST_TEST(usage(":format=json") ==
		   "bad output spec ':format=json': the plugin name must be letters, digits, '-' or '_'; "
		   "expected NAME or NAME:KEY=VALUE,...");
	BOOST_TEST(usage("file:") == "bad output spec 'file:': no options after ':'; write NAME:KEY=VALUE or just NAME");
	BOOST_TEST(usage("file:path") == "bad output spec 'file:path': option 'path' has no value; write path=VALUE");
	BOOST_TEST(usage("file:path=a,,format=txt") == "bad output spec 'file:path=a,,format=txt': empty option between commas");
	BOOST_TEST(usage("file:path=a,") == "bad output spec 'file:path=a,': empty option between commas");
	BOOST_TEST(usage("file:=x") == "bad output spec 'file:=x': an option has no key before '='");
	BOOST_TEST(usage(R"(file:path=a\)") == R"(bad output spec 'file:path=a\': it ends with a lone '\'; write '\\' for a backslash)");
}

BOOST_AUTO_TEST_CASE(unknown_key_did_you_mean)
{
	PluginOptions o{{"formt", "json"}};
	BOOST_TEST(errorOf([&] { checkOptionKeys("print", o, {"format"}); }, ErrorKind::Usage) ==
		   "unknown option 'formt' for output plugin 'print'; did you mean 'format'?");
	PluginOptions far{{"colour", "red"}};
	BOOST_TEST(errorOf([&] { checkOptionKeys("exec", far, {"command", "shell", "timeout"}); }, ErrorKind::Usage) ==
		   "unknown option 'colour' for output plugin 'exec'; it takes: command shell timeout");
	BOOST_TEST(errorOf([&] { checkOptionKeys("browser", far, {}); }, ErrorKind::Usage) ==
		   "unknown option 'colour' for output plugin 'browser'; it takes no options");
	PluginOptions twice{{"path", "a"}, {"path", "b"}};
	BOOST_TEST(errorOf([&] { checkOptionKeys("file", twice, {"path"}); }, ErrorKind::Usage) ==
		   "option 'path' given twice for output plugin 'file'");
	BOOST_CHECK_NO_THROW(checkOptionKeys("file", PluginOptions{{"path", "a"}}, {"path", "format"}));
}

BOOST_AUTO_TEST_CASE(option_helpers)
{
	PluginOptions o{{"shell", "Yes"}, {"path", ""}};
	BOOST_TEST(boolOption("exec", o, "shell", false));
	BOOST_TEST(!boolOption("exec", o, "other", false));
	BOOST_TEST(errorOf([&] { boolOption("exec", {{"shell", "maybe"}}, "shell", false); }, ErrorKind::Usage) ==
		   "option 'shell' of output plugin 'exec' must be true or false, not 'maybe'");
	BOOST_TEST(errorOf([&] { requireOption("file", o, "path", "file:path=links.html"); }, ErrorKind::Usage) ==
		   "output plugin 'file' needs option 'path' (e.g. -o file:path=links.html)");
}

BOOST_AUTO_TEST_SUITE_END()

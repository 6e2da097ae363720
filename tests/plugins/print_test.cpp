#include <boost/test/unit_test.hpp>

#include "core/strings.h"
#include "plugin_test_support.h"
#include "print/print_plugin.h"

using namespace mwaatok;
using namespace mwaatok::test;

namespace {

/// What print writes for prod, dev and the broken failure, in that order.
std::string printed(const std::string &format)
{
	std::ostringstream out;
	PluginOptions options;
	if (!format.empty())
		options.emplace_back("format", format);
	PrintPlugin p(out, options);
	p.begin({3, at()});
	p.deliver(prodLink());
	p.deliver(devLink());
	p.fail(brokenFailure());
	p.end({2, 1, false});
	return out.str();
}

} // namespace

BOOST_AUTO_TEST_SUITE(print_plugin)

BOOST_AUTO_TEST_CASE(url_is_the_default_one_per_line_failures_not_on_stdout)
{
	std::string expected = prodLink().loginUrl + "\n" + devLink().loginUrl + "\n";
	BOOST_TEST(printed("") == expected);
	BOOST_TEST(printed("url") == expected);
}

BOOST_AUTO_TEST_CASE(url_is_written_as_each_link_arrives)
{
	std::ostringstream out;
	PrintPlugin p(out, PrintPlugin::Format::Url);
	p.deliver(prodLink());
	BOOST_TEST(out.str() == prodLink().loginUrl + "\n");
}

BOOST_AUTO_TEST_CASE(json_is_one_document_with_failures)
{
	BOOST_TEST(printed("json") == testData("links.json"));
}

BOOST_AUTO_TEST_CASE(json_of_nothing_is_an_empty_array)
{
	std::ostringstream out;
	PrintPlugin p(out, PrintPlugin::Format::Json);
	p.begin({0, at()});
	p.end({});
	BOOST_TEST(out.str() == "[]\n");
}

BOOST_AUTO_TEST_CASE(ndjson_is_one_object_per_line)
{
	// The same objects as the JSON document, without the array around them.
	std::string doc = testData("links.json");
	std::string lines;
	for (auto line : split(doc, '\n')) {
		std::string l(trim(line));
		if (l == "[" || l == "]" || l.empty())
			continue;
		if (l.back() == ',')
			l.pop_back();
		lines += l + "\n";
	}
	BOOST_TEST(printed("ndjson") == lines);
}

BOOST_AUTO_TEST_CASE(no_separate_token_member)
{
	std::string json = printed("json");
	// The token appears exactly once per link: inside login_url.
	BOOST_TEST(json.find("SECRET-TOKEN-1") == json.rfind("SECRET-TOKEN-1"));
	BOOST_TEST(json.find("\"token\"") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(table_aligns_columns)
{
	std::string expected =
		"ALIAS          REGION     EXPIRES               URL\n"
		"prod           eu-west-1  2024-05-01T12:01:00Z  " + prodLink().loginUrl + "\n"
		"dev <&> \"x\",y  us-east-1  2024-05-01T12:01:30Z  " + devLink().loginUrl + "\n"
		"broken         us-west-2  -                     error: " + brokenFailure().message + "\n";
	BOOST_TEST(printed("table") == expected);
}

BOOST_AUTO_TEST_CASE(unknown_format)
{
	std::ostringstream out;
	BOOST_TEST(errorOf([&] { PrintPlugin(out, PluginOptions{{"format", "yaml"}}); }, ErrorKind::Usage) ==
		   "unknown format 'yaml' for output plugin 'print'; use url, json, ndjson, table or header");
}

BOOST_AUTO_TEST_CASE(a_broken_stream_is_a_plugin_error)
{
	std::ostringstream out;
	out.setstate(std::ios::badbit);
	PrintPlugin p(out, PrintPlugin::Format::Url);
	BOOST_TEST(errorOf([&] { p.deliver(prodLink()); }, ErrorKind::Plugin) ==
		   "output plugin 'print': cannot write to the output stream");
}

BOOST_AUTO_TEST_SUITE_END()

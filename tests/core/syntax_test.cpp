// One rule each for region codes, environment names and HTTP tokens.
#include <boost/test/unit_test.hpp>

#include <string>

#include "mwaatok/syntax.h"

using namespace mwaatok;

BOOST_AUTO_TEST_SUITE(syntax)

BOOST_AUTO_TEST_CASE(region_codes)
{
	for (const char *ok : { "us-east-1", "eu-central-2", "us-gov-west-1", "cn-north-1", "ap-southeast-4",
				"us-isob-east-1" })
		BOOST_TEST(isRegionCode(ok), ok);
	for (const char *bad : { "", "us", "eu-west", "us-east-", "US-EAST-1", "use-east-1", "us-east-1a",
				 "us east/1", "us--1", "-us-east-1" })
		BOOST_TEST(!isRegionCode(bad), bad);
	BOOST_TEST(!isRegionCode("us-" + std::string(60, 'x') + "-1"));
}

BOOST_AUTO_TEST_CASE(environment_names)
{
	BOOST_TEST(isValidEnvironmentName("prod-airflow_2"));
	BOOST_TEST(isValidEnvironmentName("A"));
	BOOST_TEST(isValidEnvironmentName(std::string(80, 'a')));
	BOOST_TEST(!isValidEnvironmentName(std::string(81, 'a')));
	BOOST_TEST(!isValidEnvironmentName(""));
	BOOST_TEST(!isValidEnvironmentName("1prod"));
	BOOST_TEST(!isValidEnvironmentName("prod.env"));
	BOOST_TEST(!isValidEnvironmentName("prod/../x"));
}

BOOST_AUTO_TEST_CASE(http_tokens)
{
	BOOST_TEST(isHttpToken("GET"));
	BOOST_TEST(isHttpToken("X-Amz-Date"));
	BOOST_TEST(isHttpToken("!#$%&'*+-.^_`|~09azAZ"));
	BOOST_TEST(!isHttpToken(""));
	for (char c : std::string("\"(),/:;<=>?@[\\]{} \t\r\n\x7f\x01"))
		BOOST_TEST(!isHttpTokenChar(c), static_cast<int>(c));
	BOOST_TEST(!isHttpTokenChar('\xff'));
	BOOST_TEST(!isHttpToken("Bad Header"));
}

BOOST_AUTO_TEST_SUITE_END()

// WebServerHostname must be a DNS name with a dot and no all-numeric label:
// never an IP address in any spelling a URL parser or resolver accepts.
#include <boost/test/unit_test.hpp>

#include "assertions.h"
#include "mwaatok/error.h"
#include "mwaatok/mwaa_client.h"

using namespace mwaatok;

BOOST_AUTO_TEST_SUITE(hostname_rule)

BOOST_AUTO_TEST_CASE(ip_addresses_in_any_spelling_are_refused)
{
	for (const char *host : {"2130706433", "0x7f000001", "0X7F000001", "1.2.3.4.5", "127.0.0.1", "127.1",
				 "017700000001", "localhost", "a.0x7f", "evil.123", "10.in.example", "x.0x"})
		BOOST_TEST(!isValidHostname(host), host);
}

BOOST_AUTO_TEST_CASE(dns_names_with_a_dot_are_accepted)
{
	for (const char *host : {"abc.c2.us-east-1.airflow.amazonaws.com", "h.example.com", "abc.on.aws",
				 "123456a0-0101-2020-9e11-1b159eec9000.c2.us-east-1.airflow.amazonaws.com",
				 "x1.example", "0xdead-beef.example.com"})
		BOOST_TEST(isValidHostname(host), host);
}

BOOST_AUTO_TEST_CASE(no_login_url_is_built_for_an_address)
{
	std::string what = test::errorOf([] { loginUrl("2130706433", "token", 2); }, ErrorKind::Service);
	BOOST_TEST(what.find("invalid web server hostname") != std::string::npos, what);
}

BOOST_AUTO_TEST_SUITE_END()

#define BOOST_TEST_MODULE core
#include <boost/test/unit_test.hpp>

#include "core/crypto.h"
#include "core/strings.h"
#include "mwaatok/clock.h"
#include "mwaatok/credentials.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/filesystem.h"
#include "mwaatok/http.h"
#include "fakes.h"

#include <sstream>

using namespace mwaatok;

BOOST_AUTO_TEST_CASE(sha256_known_answers)
{
	BOOST_TEST(crypto::sha256Hex("") ==
		   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	BOOST_TEST(crypto::sha256Hex("abc") ==
		   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(hmac_sha256_rfc4231_case2)
{
	auto d = crypto::hmacSha256("Jefe", "what do ya want for nothing?");
	BOOST_TEST(hexEncode(crypto::view(d)) ==
		   "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

BOOST_AUTO_TEST_CASE(constant_time_equals)
{
	BOOST_TEST(crypto::constantTimeEquals("abc", "abc"));
	BOOST_TEST(!crypto::constantTimeEquals("abc", "abd"));
	BOOST_TEST(!crypto::constantTimeEquals("abc", "abcd"));
	BOOST_TEST(crypto::randomBytes(16).size() == 16u);
}

BOOST_AUTO_TEST_CASE(string_helpers)
{
	BOOST_TEST(trim("  a b \t\r\n") == "a b");
	BOOST_TEST(trim("   ").empty());
	BOOST_TEST(toLower("AbC-1") == "abc-1");
	BOOST_TEST(iequals("Content-Type", "content-type"));
	BOOST_TEST(!iequals("a", "ab"));
	auto parts = split("a,,b,", ',');
	BOOST_TEST(parts.size() == 4u);
	BOOST_TEST(parts[1].empty());
	BOOST_TEST(hexEncode(std::string("\x00\xff\x10", 3)) == "00ff10");
	BOOST_TEST(jsonQuote("a\"b\\c\n\x01") == "\"a\\\"b\\\\c\\n\\u0001\"");
}

BOOST_AUTO_TEST_CASE(did_you_mean)
{
	BOOST_TEST(editDistance("kitten", "sitting") == 3u);
	std::vector<std::string> keys = { "region", "aws_profile", "environments" };
	BOOST_TEST(closestMatch("regoin", keys) == "region");
	BOOST_TEST(closestMatch("aws_profil", keys) == "aws_profile");
	BOOST_TEST(closestMatch("zzzzzz", keys).empty());
}

BOOST_AUTO_TEST_CASE(fixed_clock_advances_when_sleeping)
{
	auto clock = FixedClock::fromSeconds(1440938160);
	clock.sleepFor(std::chrono::milliseconds(1500));
	BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(
			   clock.now().time_since_epoch()).count() == 1440938161500LL);
}

BOOST_AUTO_TEST_CASE(map_environment)
{
	MapEnvironment env({ { "A", "1" }, { "EMPTY", "" }, { "T", "TRUE" } });
	BOOST_TEST(*env.get("A") == "1");
	BOOST_TEST(!env.get("B"));
	BOOST_TEST(env.get("EMPTY").has_value());
	BOOST_TEST(!env.getNonEmpty("EMPTY"));
	BOOST_TEST(env.isTrue("T"));
	BOOST_TEST(!env.isTrue("A"));
	env.unset("A");
	BOOST_TEST(!env.get("A"));
}

BOOST_AUTO_TEST_CASE(system_filesystem_missing_is_nullopt_directory_is_error)
{
	SystemFileSystem fs;
	BOOST_TEST(!fs.read("/nonexistent/file"));
	BOOST_CHECK_THROW(fs.read("/"), Error);
}

BOOST_AUTO_TEST_CASE(exit_status_by_kind)
{
	BOOST_TEST(exitStatusFor(ErrorKind::Usage) == 2);
	BOOST_TEST(exitStatusFor(ErrorKind::Config) == 2);
	BOOST_TEST(exitStatusFor(ErrorKind::Credentials) == 3);
	BOOST_TEST(exitStatusFor(ErrorKind::Service) == 1);
}

BOOST_AUTO_TEST_CASE(credentials_never_print_secrets)
{
	Credentials c{ "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "TOKEN123", {}, "", "env" };
	std::ostringstream os;
	os << c;
	BOOST_TEST(os.str().find("wJalr") == std::string::npos);
	BOOST_TEST(os.str().find("TOKEN123") == std::string::npos);
	BOOST_TEST(os.str().find("AKIDEXAMPLE") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(find_header_is_case_insensitive)
{
	HttpHeaders h = { { "Content-Type", "a" }, { "content-type", "b" } };
	BOOST_TEST(*findHeader(h, "CONTENT-TYPE") == "a");
	BOOST_TEST(!findHeader(h, "host"));
}

#include "mwaatok/url.h"

BOOST_AUTO_TEST_CASE(url_parse_parts)
{
	auto u = Url::parse("HTTPS://Env.Airflow.us-east-1.amazonaws.com/webtoken/prod?a=1&b#frag");
	BOOST_TEST(u.scheme == "https");
	BOOST_TEST(u.host == "env.airflow.us-east-1.amazonaws.com");
	BOOST_TEST(u.port == 443);
	BOOST_TEST(u.defaultPort());
	BOOST_TEST(u.path == "/webtoken/prod");
	BOOST_TEST(u.query == "a=1&b");
	BOOST_TEST(u.authority() == "env.airflow.us-east-1.amazonaws.com");
	BOOST_TEST(u.target() == "/webtoken/prod?a=1&b");

	auto l = Url::parse("http://127.0.0.1:8016");
	BOOST_TEST(l.port == 8016);
	BOOST_TEST(l.path == "/");
	BOOST_TEST(l.authority() == "127.0.0.1:8016");
	BOOST_TEST(l.hostIsIpLiteral());

	auto v6 = Url::parse("http://[::1]:9/x");
	BOOST_TEST(v6.host == "[::1]");
	BOOST_TEST(v6.port == 9);
	BOOST_TEST(v6.hostIsIpLiteral());
	BOOST_TEST(!Url::parse("https://localhost/").hostIsIpLiteral());
}

BOOST_AUTO_TEST_CASE(url_parse_rejects_bad_input)
{
	for (const char *bad : { "", "env.airflow.amazonaws.com", "ftp://x/", "https://", "https://:80/",
				 "https://h:0/", "https://h:65536/", "https://h:12a/", "https://u@h/",
				 "https://h/a b", "https://[::1/", "https://[zz]/", "https://h\x01/" }) {
		BOOST_CHECK_THROW(Url::parse(bad), Error);
	}
	try {
		Url::parse("https://h:99999/");
	} catch (const Error &e) {
		BOOST_TEST(std::string(e.what()) == "invalid URL 'https://h:99999/': invalid port '99999'");
		BOOST_TEST((e.kind() == ErrorKind::Usage));
	}
}

BOOST_AUTO_TEST_CASE(uri_encode_and_decode)
{
	BOOST_TEST(uriEncode("a b/c~-_.*") == "a%20b%2Fc~-_.%2A");
	BOOST_TEST(uriEncode("a b/c", true) == "a%20b/c");
	BOOST_TEST(uriEncode("\xe1\x88\xb4") == "%E1%88%B4");
	BOOST_TEST(uriDecode("%E1%88%b4+%zz%4") == "\xe1\x88\xb4+%zz%4");
}

BOOST_AUTO_TEST_CASE(format_table_pads_every_column_but_the_last)
{
	BOOST_TEST(formatTable({ { "NAME", "SOURCE", "DESCRIPTION" }, { "print", "built-in", "stdout" },
				 { "markdown", "/x/y.so", "" } }) ==
		   "NAME      SOURCE    DESCRIPTION\n"
		   "print     built-in  stdout\n"
		   "markdown  /x/y.so   \n");
	BOOST_TEST(formatTable({}) == "");
}

BOOST_AUTO_TEST_CASE(one_tilde_expansion)
{
	const std::optional<std::string> home = std::string("/home/u");
	BOOST_TEST(expandTilde("~", home).value_or("?") == "/home/u");
	BOOST_TEST(expandTilde("~/.aws/config", home).value_or("?") == "/home/u/.aws/config");
	BOOST_TEST(expandTilde("/etc/x", home).value_or("?") == "/etc/x");
	BOOST_TEST(expandTilde("", home).value_or("?") == "");
	BOOST_TEST(!expandTilde("~other/x", home).has_value());
	BOOST_TEST(!expandTilde("~/x", std::nullopt).has_value());
	BOOST_TEST(expandTilde("rel/~", std::nullopt).value_or("?") == "rel/~");
}

#define BOOST_TEST_MODULE sigv4
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <thread>

#include "core/crypto.h"
#include "core/strings.h"
#include "mwaatok/error.h"
#include "mwaatok/sigv4.h"
#include "sigv4/canonical_request.h"
#include "sigv4/signer.h"
#include "sigv4/signing_key.h"
#include "test_support.h"

using namespace mwaatok;
using namespace mwaatok::test;
using namespace std::chrono;

namespace {

const Credentials suiteCreds{ "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt, "", "test" };

sigv4::SigningParams suiteParams(const Credentials &creds = suiteCreds)
{
	return signingParams(creds, "us-east-1", "service", "20150830T123600Z");
}

std::string canonicalQuery(std::string_view query)
{
	std::string out;
	sigv4::detail::appendCanonicalQuery(out, query, {});
	return out;
}

std::string canonicalUri(std::string_view path, bool normalize = true, bool doubleEncode = true)
{
	std::string out;
	sigv4::detail::appendCanonicalUri(out, path, normalize, doubleEncode);
	return out;
}

std::string folded(std::string_view value)
{
	std::string out;
	sigv4::detail::appendFoldedValue(out, value);
	return out;
}

std::string lineOf(const std::string &canonical, size_t index)
{
	auto lines = split(canonical, '\n');
	return index < lines.size() ? std::string(lines[index]) : std::string();
}

} // namespace

BOOST_AUTO_TEST_CASE(amz_date_and_credential_scope)
{
	BOOST_TEST(sigv4::amzDate(parseTime("20150830T123600Z") + milliseconds(999)) == "20150830T123600Z");
	BOOST_TEST(sigv4::amzDate(system_clock::time_point{}) == "19700101T000000Z");
	BOOST_TEST(sigv4::amzDate(sys_days(year(2024) / February / 29) + hours(23) + minutes(59) + seconds(59)) ==
		   "20240229T235959Z");
	BOOST_TEST(sigv4::credentialScope(parseTime("20150830T123600Z"), "eu-west-1", "airflow") ==
		   "20150830/eu-west-1/airflow/aws4_request");
}

BOOST_AUTO_TEST_CASE(amz_date_parsing_rejects_bad_shapes)
{
	using sigv4::detail::parseAmzDate;
	BOOST_TEST(parseAmzDate("20150830T123600Z").has_value());
	BOOST_TEST(!parseAmzDate("20150830T123600").has_value());
	BOOST_TEST(!parseAmzDate("20150230T123600Z").has_value());
	BOOST_TEST(!parseAmzDate("20150830T243600Z").has_value());
	BOOST_TEST(!parseAmzDate("2015083OT123600Z").has_value());
	BOOST_TEST(!parseAmzDate("2015-08-30T12:36:00Z").has_value());
	BOOST_TEST(!parseAmzDate("").has_value());
}

BOOST_AUTO_TEST_CASE(signing_key_matches_the_aws_documentation)
{
	// AWS General Reference, "Examples of how to derive a signing key for Signature Version 4".
	std::string key = sigv4::signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam");
	BOOST_TEST(hexEncode(key) == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
	BOOST_TEST(key.size() == 32u);
}

BOOST_AUTO_TEST_CASE(hmac_accepts_an_empty_key)
{
	// An empty key must not make OpenSSL reuse the previous one.
	crypto::hmacSha256("some other key", "x");
	BOOST_TEST(hexEncode(crypto::view(crypto::hmacSha256("", ""))) ==
		   "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

BOOST_AUTO_TEST_CASE(cached_keys_equal_derived_keys_across_threads)
{
	sigv4::detail::clearSigningKeyCache();
	struct Case {
		std::string secret, date, region, service;
		crypto::Digest expected;
	};
	std::vector<Case> cases;
	for (int i = 0; i < 12; ++i) {
		Case c{ "secret" + std::to_string(i % 4), "2015083" + std::to_string(i % 3), i % 2 ? "us-east-1" : "eu-west-1",
			"airflow", {} };
		c.expected = sigv4::detail::deriveSigningKey(c.secret, c.date, c.region, c.service);
		cases.push_back(c);
	}
	// Field boundaries matter: ("ab", "c") and ("a", "bc") are different keys.
	BOOST_TEST(hexEncode(crypto::view(sigv4::detail::cachedSigningKey("ab", "c", "r", "s"))) !=
		   hexEncode(crypto::view(sigv4::detail::cachedSigningKey("a", "bc", "r", "s"))));

	std::atomic<int> wrong{ 0 };
	std::vector<std::thread> threads;
	for (int t = 0; t < 8; ++t) {
		threads.emplace_back([&, t] {
			for (int i = 0; i < 2000; ++i) {
				const Case &c = cases[static_cast<size_t>((i * 7 + t) % 12)];
				if (sigv4::detail::cachedSigningKey(c.secret, c.date, c.region, c.service) != c.expected)
					++wrong;
				if (t == 0 && i % 500 == 0)
					sigv4::detail::clearSigningKeyCache();
			}
		});
	}
	for (auto &th : threads)
		th.join();
	BOOST_TEST(wrong.load() == 0);
}

BOOST_AUTO_TEST_CASE(path_normalization)
{
	using sigv4::detail::normalizePath;
	BOOST_TEST(normalizePath("") == "/");
	BOOST_TEST(normalizePath("/") == "/");
	BOOST_TEST(normalizePath("//example//") == "/example/");
	BOOST_TEST(normalizePath("/./example") == "/example");
	BOOST_TEST(normalizePath("/example/..") == "/");
	BOOST_TEST(normalizePath("/a/b/../../..") == "/");
	BOOST_TEST(normalizePath("/a/./b/../c/") == "/a/c/");
	BOOST_TEST(normalizePath("/a/...") == "/a/...");
	BOOST_TEST(normalizePath("/a/%2E%2E") == "/a/%2E%2E");
}

BOOST_AUTO_TEST_CASE(canonical_uri_encoding)
{
	BOOST_TEST(canonicalUri("/example space/") == "/example%20space/");
	BOOST_TEST(canonicalUri("/test/@connections/a%3D") == "/test/%40connections/a%253D");
	BOOST_TEST(canonicalUri("/ሴ") == "/%E1%88%B4");
	BOOST_TEST(canonicalUri("/-._~az09") == "/-._~az09");
	// S3 style: the path as sent, untouched.
	BOOST_TEST(canonicalUri("/a//b/../c%3D", false, false) == "/a//b/../c%3D");
	BOOST_TEST(canonicalUri("/a//b/", false, true) == "/a//b/");
	BOOST_TEST(canonicalUri("", false, false) == "/");
}

BOOST_AUTO_TEST_CASE(canonical_query_sorting_and_encoding)
{
	BOOST_TEST(canonicalQuery("") == "");
	BOOST_TEST(canonicalQuery("b=2&a=1") == "a=1&b=2");
	BOOST_TEST(canonicalQuery("Param1=value2&Param1=Value1") == "Param1=Value1&Param1=value2");
	BOOST_TEST(canonicalQuery("a&b=") == "a=&b=");
	BOOST_TEST(canonicalQuery("=v&k=") == "=v&k=");
	BOOST_TEST(canonicalQuery("a=1&&b=2&") == "a=1&b=2");
	BOOST_TEST(canonicalQuery("k=a+b c") == "k=a%2Bb%20c");
	BOOST_TEST(canonicalQuery("%e1%88%b4=%7e") == "%E1%88%B4=~");
	BOOST_TEST(canonicalQuery("k=a=b") == "k=a%3Db");
	BOOST_TEST(canonicalQuery("k=%zz") == "k=%25zz");
	// Sorted by encoded name: '%' sorts before letters.
	BOOST_TEST(canonicalQuery("Param=1&ሴ=2") == "%E1%88%B4=2&Param=1");
}

BOOST_AUTO_TEST_CASE(header_value_folding)
{
	BOOST_TEST(folded("  a   b  ") == "a b");
	BOOST_TEST(folded("value1\n  value2\n     value3") == "value1 value2 value3");
	BOOST_TEST(folded("\"a   b\"") == "\"a b\"");
	BOOST_TEST(folded("\ta\t\tb\r\n") == "a b");
	BOOST_TEST(folded("   ") == "");
}

BOOST_AUTO_TEST_CASE(repeated_headers_join_in_order_and_unsigned_ones_are_skipped)
{
	sigv4::SignableRequest req{ "GET", "/", "", {}, {} };
	req.headers = { { "Host", "example.amazonaws.com" }, { "My-Header1", "value2" }, { "User-Agent", "x/1" },
			{ "my-header1", " value2 " }, { "MY-HEADER1", "value1" }, { "Expect", "100-continue" },
			{ "Authorization", "stale" }, { "X-Amzn-Trace-Id", "Root=1" } };
	auto creq = sigv4::canonicalRequest(req, suiteParams());
	BOOST_TEST(creq == "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\n"
			   "x-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n"
			   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

BOOST_AUTO_TEST_CASE(signer_replaces_its_own_headers)
{
	Credentials creds = suiteCreds;
	creds.sessionToken = "new-token";
	sigv4::SignableRequest req{ "GET", "/", "", {}, {} };
	req.headers = { { "Host", "example.amazonaws.com" }, { "X-Amz-Date", "19990101T000000Z" },
			{ "x-amz-security-token", "old-token" } };
	auto out = sigv4::sign(req, suiteParams(creds));
	BOOST_TEST(lineOf(out.canonicalRequest, 4) == "x-amz-date:20150830T123600Z");
	BOOST_TEST(lineOf(out.canonicalRequest, 5) == "x-amz-security-token:new-token");

	HttpHeaders headers = req.headers;
	sigv4::applyHeaders(headers, out);
	BOOST_TEST(headers.size() == 4u);
	BOOST_TEST(headerValue(headers, "x-amz-date") == "20150830T123600Z");
	BOOST_TEST(headerValue(headers, "X-Amz-Security-Token") == "new-token");
	BOOST_TEST(startsWith(headerValue(headers, "authorization"), "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
}

BOOST_AUTO_TEST_CASE(payload_modes)
{
	sigv4::SignableRequest req{ "PUT", "/k", "", { { "Host", "h.example" } }, "hello" };
	auto params = suiteParams();
	auto hashed = sigv4::canonicalRequest(req, params);
	BOOST_TEST(lineOf(hashed, 7) == crypto::sha256Hex("hello"));

	params.settings.payload = sigv4::PayloadMode::Unsigned;
	params.settings.addContentSha256Header = true;
	auto out = sigv4::sign(req, params);
	BOOST_TEST(lineOf(out.canonicalRequest, 4) == "x-amz-content-sha256:UNSIGNED-PAYLOAD");
	BOOST_TEST(lineOf(out.canonicalRequest, 8) == "UNSIGNED-PAYLOAD");
	BOOST_TEST(headerValue(out.headers, "x-amz-content-sha256") == "UNSIGNED-PAYLOAD");

	params.settings.payload = sigv4::PayloadMode::Given;
	params.settings.payloadHash = std::string(64, 'a');
	out = sigv4::sign(req, params);
	BOOST_TEST(lineOf(out.canonicalRequest, 8) == std::string(64, 'a'));
	BOOST_TEST(headerValue(out.headers, "x-amz-content-sha256") == std::string(64, 'a'));

	params.settings.payloadHash.clear();
	BOOST_CHECK_THROW(sigv4::sign(req, params), Error);
}

BOOST_AUTO_TEST_CASE(query_signing_with_token_added_after)
{
	Credentials creds = suiteCreds;
	creds.sessionToken = "tok/en+=";
	auto params = suiteParams(creds);
	params.settings.location = sigv4::SignatureLocation::QueryParams;
	params.settings.signSessionToken = false;
	sigv4::SignableRequest req{ "GET", "/", "b=1&a=2", { { "Host", "example.amazonaws.com" } }, {} };
	auto out = sigv4::sign(req, params);
	BOOST_TEST(lineOf(out.canonicalRequest, 2) ==
		   "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice"
		   "%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&a=2&b=1");
	BOOST_TEST(out.queryParams.size() == 7u);
	BOOST_TEST(out.queryParams[5].first == "X-Amz-Security-Token");
	BOOST_TEST(out.queryParams[5].second == "tok%2Fen%2B%3D");
	BOOST_TEST(out.queryParams[6].first == "X-Amz-Signature");
	BOOST_TEST(out.queryParams[6].second == out.signature);

	params.settings.signSessionToken = true;
	out = sigv4::sign(req, params);
	BOOST_TEST(lineOf(out.canonicalRequest, 2).find("X-Amz-Security-Token=tok%2Fen%2B%3D&X-Amz-SignedHeaders") !=
		   std::string::npos);

	params.settings.expires = seconds(0);
	BOOST_CHECK_THROW(sigv4::sign(req, params), Error);
	params.settings.expires = hours(24 * 7) + seconds(1);
	BOOST_CHECK_THROW(sigv4::sign(req, params), Error);
}

BOOST_AUTO_TEST_CASE(bad_inputs_are_errors_without_secrets)
{
	sigv4::SignableRequest req{ "GET", "/", "", { { "Accept", "*/*" } }, {} };
	auto params = suiteParams();
	try {
		sigv4::sign(req, params);
		BOOST_FAIL("signing without a host header must fail");
	} catch (const Error &e) {
		BOOST_TEST(std::string(e.what()).find("host") != std::string::npos);
		BOOST_TEST(std::string(e.what()).find(suiteCreds.secretAccessKey) == std::string::npos);
	}
	params.credentials = nullptr;
	req.headers.push_back({ "Host", "h" });
	BOOST_CHECK_THROW(sigv4::sign(req, params), Error);
}

BOOST_AUTO_TEST_CASE(mwaa_web_login_token_request)
{
	Credentials creds{ "ASIAEXAMPLE", "secret", "FQoGZXIvYXdzEXAMPLE", std::nullopt, "", "test" };
	sigv4::SigningParams params = signingParams(creds, "us-east-1", "airflow", "20240102T030405Z");
	sigv4::SignableRequest req{ "POST", "/webtoken/my-env", "",
				    { { "Host", "env.airflow.us-east-1.amazonaws.com" },
				      { "Content-Type", "application/json" } },
				    {} };
	auto out = sigv4::sign(req, params);
	BOOST_TEST(out.canonicalRequest ==
		   "POST\n/webtoken/my-env\n\ncontent-type:application/json\n"
		   "host:env.airflow.us-east-1.amazonaws.com\nx-amz-date:20240102T030405Z\n"
		   "x-amz-security-token:FQoGZXIvYXdzEXAMPLE\n\n"
		   "content-type;host;x-amz-date;x-amz-security-token\n"
		   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	BOOST_TEST(out.headers.size() == 3u);
	BOOST_TEST(out.headers[0].name == "X-Amz-Date");
	BOOST_TEST(out.headers[1].name == "X-Amz-Security-Token");
	BOOST_TEST(out.headers[2].name == "Authorization");
	BOOST_TEST(out.headers[2].value ==
		   "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20240102/us-east-1/airflow/aws4_request, "
		   "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=" + out.signature);
	BOOST_TEST(out.signature.size() == 64u);
	BOOST_TEST(out.signature == sigv4::signature(sigv4::signingKey("secret", "20240102", "us-east-1", "airflow"),
						     out.stringToSign));
}

// `mwaatok request` as the signer sees it: host forms, the user's payload hash,
// non-ASCII URLs, control characters, and the signing-key cache per region.
#include <boost/test/unit_test.hpp>

#include "core/crypto.h"
#include "core/strings.h"
#include "mwaatok/error.h"
#include "mwaatok/raw_request.h"
#include "sigv4/signing_key.h"
#include "test_support.h"
#include "assertions.h"

using namespace mwaatok;

namespace {

const Credentials rawCreds{ "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", std::nullopt, "", "test" };

struct Signed {
	HttpRequest http;
	sigv4::SigningOutput stages;
	CallOptions options;
};

Signed signRaw(RawRequestSpec spec)
{
	auto [request, options] = prepareRawRequest(spec);
	Signed s;
	s.options = options;
	s.http = AwsClient::buildSigned(request, options, rawCreds, test::parseTime("20150830T123600Z"), &s.stages);
	return s;
}

RawRequestSpec spec(std::string method, std::string url, std::vector<std::string> headers = {})
{
	RawRequestSpec s;
	s.method = std::move(method);
	s.url = std::move(url);
	s.headers = std::move(headers);
	return s;
}

std::string line(const std::string &text, size_t index)
{
	auto lines = split(text, '\n');
	return index < lines.size() ? std::string(lines[index]) : std::string();
}

/// The payload line: the canonical request's last.
std::string payloadLine(const std::string &canonical)
{
	return canonical.substr(canonical.rfind('\n') + 1);
}

size_t countHeader(const HttpHeaders &headers, std::string_view name)
{
	size_t n = 0;
	for (const auto &h : headers)
		n += iequals(h.name, name) ? 1 : 0;
	return n;
}

/// True when prepareRawRequest refuses \a s as a usage error (exit 2);
/// errorOf fails the test, saying why, when it does not.
bool refusedAsUsage(const RawRequestSpec &s)
{
	std::string message = test::errorOf([&] { prepareRawRequest(s); }, ErrorKind::Usage);
	return message != "no error thrown" && message.rfind("wrong kind: ", 0) != 0;
}

} // namespace

BOOST_AUTO_TEST_SUITE(raw_request)

BOOST_AUTO_TEST_CASE(s3_path_is_signed_as_sent_not_encoded_again)
{
	auto s = signRaw(spec("GET", "https://examplebucket.s3.amazonaws.com/my%20file.txt"));
	BOOST_TEST(s.options.service == "s3");
	BOOST_TEST(line(s.stages.canonicalRequest, 1) == "/my%20file.txt");
	BOOST_TEST(s.http.url == "https://examplebucket.s3.amazonaws.com/my%20file.txt");
	// Any other service encodes the path once more.
	auto other = signRaw(spec("GET", "https://env.airflow.us-east-1.amazonaws.com/my%20file.txt"));
	BOOST_TEST(line(other.stages.canonicalRequest, 1) == "/my%2520file.txt");
}

BOOST_AUTO_TEST_CASE(host_forms_give_service_and_region)
{
	struct Case {
		const char *host, *service, *region;
	};
	const Case cases[] = {
		{ "s3.amazonaws.com", "s3", "us-east-1" },
		{ "bucket.s3.amazonaws.com", "s3", "us-east-1" },
		{ "s3-external-1.amazonaws.com", "s3", "us-east-1" },
		{ "bucket.s3-external-1.amazonaws.com", "s3", "us-east-1" },
		{ "s3-eu-west-1.amazonaws.com", "s3", "eu-west-1" },
		{ "bucket.s3-eu-west-1.amazonaws.com", "s3", "eu-west-1" },
		{ "bucket.s3-us-gov-west-1.amazonaws.com", "s3", "us-gov-west-1" },
		{ "s3.eu-west-1.amazonaws.com", "s3", "eu-west-1" },
		{ "bucket.s3.eu-west-1.amazonaws.com", "s3", "eu-west-1" },
		{ "bucket.s3.dualstack.eu-west-1.amazonaws.com", "s3", "eu-west-1" },
		{ "s3.dualstack.ap-southeast-2.amazonaws.com", "s3", "ap-southeast-2" },
		{ "s3-fips.us-east-2.amazonaws.com", "s3", "us-east-2" },
		{ "bucket.s3-fips.dualstack.us-east-2.amazonaws.com", "s3", "us-east-2" },
		{ "myap-123456789012.s3-accesspoint.us-west-2.amazonaws.com", "s3", "us-west-2" },
		{ "myap-123456789012.s3-accesspoint-fips.dualstack.us-west-2.amazonaws.com", "s3", "us-west-2" },
		{ "123456789012.s3-control.eu-central-1.amazonaws.com", "s3", "eu-central-1" },
		{ "bucket.s3.cn-north-1.amazonaws.com.cn", "s3", "cn-north-1" },
		// A bucket named like a region or a legacy endpoint does not count.
		{ "us-east-1.s3.eu-west-1.amazonaws.com", "s3", "eu-west-1" },
		{ "s3-eu-west-1.s3.us-east-2.amazonaws.com", "s3", "us-east-2" },
		{ "airflow.eu-west-1.amazonaws.com", "airflow", "eu-west-1" },
		{ "env.airflow.us-east-1.amazonaws.com", "airflow", "us-east-1" },
		{ "sts-fips.us-east-1.amazonaws.com", "sts", "us-east-1" },
		{ "sts.amazonaws.com", "sts", "us-east-1" },
		{ "example.com", "", "" },
	};
	for (const auto &c : cases) {
		auto [service, region] = inferServiceAndRegion(c.host);
		BOOST_TEST(service == c.service, c.host << ": service " << service);
		BOOST_TEST(region == c.region, c.host << ": region " << region);
	}
}

BOOST_AUTO_TEST_CASE(users_payload_hash_is_signed_and_sent_once)
{
	const std::string hash = crypto::sha256Hex("other");
	// Outside S3: the header's value is the payload line, as botocore and smithy sign it.
	auto s = signRaw(spec("DELETE", "https://env.airflow.us-east-1.amazonaws.com/x",
			      { "X-Amz-Content-Sha256: UNSIGNED-PAYLOAD" }));
	BOOST_TEST(payloadLine(s.stages.canonicalRequest) == "UNSIGNED-PAYLOAD");
	BOOST_TEST(countHeader(s.http.headers, "x-amz-content-sha256") == 1u);
	BOOST_TEST(*findHeader(s.http.headers, "x-amz-content-sha256") == "UNSIGNED-PAYLOAD");
	// S3 sets the header itself: the user's value replaces the body hash, once.
	auto s3 = signRaw(spec("PUT", "https://bucket.s3.us-east-1.amazonaws.com/k", { "x-amz-content-sha256: " + hash }));
	BOOST_TEST(countHeader(s3.http.headers, "x-amz-content-sha256") == 1u);
	BOOST_TEST(*findHeader(s3.http.headers, "x-amz-content-sha256") == hash);
	BOOST_TEST(s3.stages.canonicalRequest.find("x-amz-content-sha256:" + hash + "\n") != std::string::npos);
	BOOST_TEST(payloadLine(s3.stages.canonicalRequest) == hash);
	// --unsigned-payload wins over the header, still sent once.
	auto u = spec("PUT", "https://bucket.s3.us-east-1.amazonaws.com/k", { "X-Amz-Content-SHA256: " + hash });
	u.unsignedPayload = true;
	auto us = signRaw(u);
	BOOST_TEST(countHeader(us.http.headers, "x-amz-content-sha256") == 1u);
	BOOST_TEST(*findHeader(us.http.headers, "x-amz-content-sha256") == "UNSIGNED-PAYLOAD");
	BOOST_TEST(refusedAsUsage(spec("GET", "https://s3.amazonaws.com/", { "x-amz-content-sha256:" })));
}

BOOST_AUTO_TEST_CASE(signer_headers_replace_users_same_named_headers)
{
	// buildSigned itself: a header the signer sets is never sent twice.
	AwsRequest request;
	request.method = "GET";
	request.url = Url::parse("https://bucket.s3.us-east-1.amazonaws.com/k");
	request.headers = { { "X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD" }, { "X-Amz-Date", "20000101T000000Z" } };
	CallOptions options;
	options.region = "us-east-1";
	options.service = "s3";
	options.signing.addContentSha256Header = true;
	options.signing.payload = sigv4::PayloadMode::Unsigned;
	auto http = AwsClient::buildSigned(request, options, rawCreds, test::parseTime("20150830T123600Z"));
	BOOST_TEST(countHeader(http.headers, "x-amz-content-sha256") == 1u);
	BOOST_TEST(countHeader(http.headers, "x-amz-date") == 1u);
	BOOST_TEST(*findHeader(http.headers, "x-amz-date") == "20150830T123600Z");
}

BOOST_AUTO_TEST_CASE(users_date_and_token_headers_are_replaced_not_refused)
{
	Credentials temporary = rawCreds;
	temporary.sessionToken = "the-session-token";
	auto [request, options] = prepareRawRequest(spec("GET", "https://sts.amazonaws.com/",
							  { "X-Amz-Date: 20000101T000000Z", "X-Amz-Security-Token: mine" }));
	auto http = AwsClient::buildSigned(request, options, temporary, test::parseTime("20150830T123600Z"));
	BOOST_TEST(countHeader(http.headers, "x-amz-date") == 1u);
	BOOST_TEST(*findHeader(http.headers, "x-amz-date") == "20150830T123600Z");
	BOOST_TEST(countHeader(http.headers, "x-amz-security-token") == 1u);
	BOOST_TEST(*findHeader(http.headers, "x-amz-security-token") == "the-session-token");
	BOOST_TEST(refusedAsUsage(spec("GET", "https://sts.amazonaws.com/", { "Authorization: Bearer x" })));
	BOOST_TEST(refusedAsUsage(spec("GET", "https://sts.amazonaws.com/", { "Host: elsewhere" })));
}

BOOST_AUTO_TEST_CASE(non_ascii_path_and_query_are_percent_encoded)
{
	auto s = signRaw(spec("GET", "https://env.airflow.us-east-1.amazonaws.com/caf\xc3\xa9/\xe6\x97\xa5?k=\xc3\xa9&\xc3\x9f=1"));
	BOOST_TEST(s.http.url == "https://env.airflow.us-east-1.amazonaws.com/caf%C3%A9/%E6%97%A5?k=%C3%A9&%C3%9F=1");
	BOOST_TEST(line(s.stages.canonicalRequest, 1) == "/caf%25C3%25A9/%25E6%2597%25A5");
	BOOST_TEST(line(s.stages.canonicalRequest, 2) == "%C3%9F=1&k=%C3%A9");
	auto s3 = signRaw(spec("GET", "https://bucket.s3.eu-west-1.amazonaws.com/caf\xc3\xa9.txt"));
	BOOST_TEST(line(s3.stages.canonicalRequest, 1) == "/caf%C3%A9.txt");
	BOOST_TEST(s3.http.url == "https://bucket.s3.eu-west-1.amazonaws.com/caf%C3%A9.txt");
}

BOOST_AUTO_TEST_CASE(control_characters_in_header_values_are_refused)
{
	const std::vector<std::string> values = { "a\x1b[2Jb", "a\rb", "a\nb", std::string("a\0b", 3), "a\x7f", "\x07" };
	for (const auto &bad : values)
		BOOST_TEST(refusedAsUsage(spec("GET", "https://sts.amazonaws.com/", { "X-Custom: " + bad })));
	// A tab inside a value is whitespace, not a control character.
	auto kept = findHeader(prepareRawRequest(spec("GET", "https://sts.amazonaws.com/", { "X-Custom: a\tb" })).first.headers,
			       "X-Custom");
	BOOST_TEST(kept.value_or("") == "a\tb");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(signing_key_cache_is_keyed_by_region)
{
	sigv4::detail::clearSigningKeyCache();
	const std::string secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	const char *regions[] = { "us-east-1", "eu-west-1", "us-east-1", "ap-southeast-2", "eu-west-1" };
	for (const char *region : regions) {
		auto cached = sigv4::detail::cachedSigningKey(secret, "20150830", region, "airflow");
		auto derived = sigv4::detail::deriveSigningKey(secret, "20150830", region, "airflow");
		BOOST_TEST(hexEncode(crypto::view(cached)) == hexEncode(crypto::view(derived)), region);
	}
	BOOST_TEST(hexEncode(crypto::view(sigv4::detail::cachedSigningKey(secret, "20150830", "us-east-1", "airflow"))) !=
		   hexEncode(crypto::view(sigv4::detail::cachedSigningKey(secret, "20150830", "eu-west-1", "airflow"))));
}

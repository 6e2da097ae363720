// verify() against the suites' signed requests and tampered copies of them.
#include <boost/test/unit_test.hpp>

#include <random>

#include "core/strings.h"
#include "mwaatok/error.h"
#include "test_support.h"

using namespace mwaatok;
using namespace mwaatok::test;
using namespace std::chrono;
using sigv4::VerifyStatus;

namespace {

const std::string accessKey = "AKIDEXAMPLE";
const std::string secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

const sigv4::SecretLookup lookup = [](std::string_view id) -> std::optional<std::string> {
	if (id == accessKey)
		return secret;
	return std::nullopt;
};

// A request from the suites, signed in header mode, as a server receives it.
struct Signed {
	std::string name;
	ParsedRequest request;
	system_clock::time_point time;
};

std::vector<Signed> signedSuiteRequests()
{
	std::vector<Signed> out;
	std::string root = dataDir() + "/aws-c-auth-v4";
	for (const auto &name : subdirectories(root)) {
		std::string dir = root + "/" + name;
		const AwsCAuthContext ctx = loadAwsCAuthContext(dir);
		// The verifier checks a service that normalizes paths, like every non-S3 service.
		if (!ctx.normalize)
			continue;
		Signed s{ name, parseRequest(readText(dir + "/request.txt")), parseTime(ctx.time) };
		sigv4::SigningParams params = ctx.params(false);
		auto signature = sigv4::sign(s.request.signable(), params);
		// The published signature, so verify() is checked against AWS's and not only ours.
		BOOST_TEST(signature.signature == std::string(trim(readText(dir + "/header-signature.txt"))));
		sigv4::applyHeaders(s.request.headers, signature);
		out.push_back(std::move(s));
	}
	return out;
}

const std::vector<Signed> &suite()
{
	static const std::vector<Signed> requests = signedSuiteRequests();
	return requests;
}

sigv4::VerifyResult check(const ParsedRequest &r, system_clock::time_point now,
			  const sigv4::SecretLookup &keys = lookup)
{
	return sigv4::verify(r.signable(), keys, now);
}

void removeHeader(ParsedRequest &r, std::string_view name)
{
	std::erase_if(r.headers, [&](const HttpHeader &h) { return iequals(h.name, name); });
}

void setHeader(ParsedRequest &r, std::string_view name, std::string value)
{
	removeHeader(r, name);
	r.headers.push_back({ std::string(name), std::move(value) });
}

} // namespace

BOOST_AUTO_TEST_SUITE(verify)

BOOST_AUTO_TEST_CASE(suite_requests_verify)
{
	BOOST_TEST(suite().size() == 31u);
	for (const auto &s : suite()) {
		BOOST_TEST_CONTEXT(s.name)
		{
			auto r = check(s.request, s.time + minutes(4));
			BOOST_TEST((r.status == VerifyStatus::Ok), r.message);
			BOOST_TEST(r.accessKeyId == accessKey);
			BOOST_TEST(r.region == "us-east-1");
			BOOST_TEST(r.service == "service");
		}
	}
}

BOOST_AUTO_TEST_CASE(tampered_copies_fail)
{
	for (const auto &s : suite()) {
		BOOST_TEST_CONTEXT(s.name)
		{
			auto expect = [&](const ParsedRequest &r, VerifyStatus status, const char *what) {
				auto result = check(r, s.time);
				BOOST_TEST((result.status == status), what << ": " << result.message);
			};
			ParsedRequest r = s.request;
			setHeader(r, "Host", headerValue(r.headers, "Host") + "x");
			expect(r, VerifyStatus::SignatureMismatch, "changed header value");

			r = s.request;
			r.path += r.path == "/" ? "x" : "/x";
			expect(r, VerifyStatus::SignatureMismatch, "changed path");

			r = s.request;
			r.query += r.query.empty() ? "a=b" : "&a=b";
			expect(r, VerifyStatus::SignatureMismatch, "changed query");

			r = s.request;
			r.body += "x";
			expect(r, VerifyStatus::SignatureMismatch, "changed body");

			r = s.request;
			r.method = r.method == "GET" ? "POST" : "GET";
			expect(r, VerifyStatus::SignatureMismatch, "changed method");

			auto wrongSecret = [](std::string_view) -> std::optional<std::string> { return "not the secret"; };
			BOOST_TEST((check(s.request, s.time, wrongSecret).status == VerifyStatus::SignatureMismatch));

			auto unknown = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
			BOOST_TEST((check(s.request, s.time, unknown).status == VerifyStatus::UnknownAccessKey));

			r = s.request;
			r.headers.push_back({ "X-Unsigned-Extra", "anything" });
			expect(r, VerifyStatus::Ok, "unsigned extra header");

			r = s.request;
			removeHeader(r, "Host");
			expect(r, VerifyStatus::SignatureMismatch, "missing signed header");

			r = s.request;
			removeHeader(r, "X-Amz-Date");
			expect(r, VerifyStatus::Malformed, "missing x-amz-date");

			r = s.request;
			removeHeader(r, "Authorization");
			expect(r, VerifyStatus::Missing, "no authorization");

			BOOST_TEST((check(s.request, s.time + minutes(6)).status == VerifyStatus::TimeSkewed));
			BOOST_TEST((check(s.request, s.time - minutes(6)).status == VerifyStatus::TimeSkewed));
			BOOST_TEST((check(s.request, s.time - minutes(5)).status == VerifyStatus::Ok));
		}
	}
}

BOOST_AUTO_TEST_CASE(signed_extra_header_must_be_present_and_unchanged)
{
	// get-header-value-order signs my-header1 three times over; drop one copy.
	for (const auto &s : suite()) {
		if (s.name != "get-header-value-order")
			continue;
		ParsedRequest r = s.request;
		auto it = std::find_if(r.headers.begin(), r.headers.end(),
				       [](const HttpHeader &h) { return iequals(h.name, "My-Header1"); });
		BOOST_REQUIRE(it != r.headers.end());
		r.headers.erase(it);
		BOOST_TEST((check(r, s.time).status == VerifyStatus::SignatureMismatch));
		return;
	}
	BOOST_FAIL("get-header-value-order not found");
}

BOOST_AUTO_TEST_CASE(skew_messages_name_both_times)
{
	const Signed &s = suite().front();
	auto late = check(s.request, s.time + minutes(10));
	BOOST_TEST(late.message ==
		   "Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T124600Z - 5 min.)");
	auto early = check(s.request, s.time - minutes(10));
	BOOST_TEST(early.message == "Signature not yet current: 20150830T123600Z is still later than "
				    "20150830T123100Z (20150830T122600Z + 5 min.)");
}

BOOST_AUTO_TEST_CASE(malformed_authorization_headers)
{
	const Signed &s = suite().front();
	std::string good = headerValue(s.request.headers, "Authorization");
	std::string sig = good.substr(good.find("Signature=") + 10);
	const std::vector<std::string> bad = {
		"",
		"AWS4-HMAC-SHA256",
		"AWS4-HMAC-SHA1 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host, Signature=" + sig,
		"Bearer abc",
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date",
		"AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service, SignedHeaders=host;x-amz-date, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=x-amz-date, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=Host;x-amz-date, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;;x-amz-date, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + sig.substr(1),
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=zz" + sig.substr(2),
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + sig + ", Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Extra=1, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150831/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request SignedHeaders=host;x-amz-date Signature=" + sig,
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders, Signature=" + sig,
	};
	for (const auto &value : bad) {
		BOOST_TEST_CONTEXT(value)
		{
			ParsedRequest r = s.request;
			setHeader(r, "Authorization", value);
			auto result = check(r, s.time);
			BOOST_TEST((result.status == VerifyStatus::Malformed), result.message);
			BOOST_TEST(!result.message.empty());
		}
	}
	// The docs' compact form (no spaces after commas) is accepted.
	ParsedRequest r = s.request;
	std::string compact = good;
	for (size_t p; (p = compact.find(", ")) != std::string::npos;)
		compact.erase(p + 1, 1);
	setHeader(r, "Authorization", compact);
	BOOST_TEST((check(r, s.time).status == VerifyStatus::Ok));
}

BOOST_AUTO_TEST_CASE(content_sha256_header_must_match_the_body)
{
	for (const auto &s : suite()) {
		if (s.request.body.empty())
			continue;
		BOOST_TEST_CONTEXT(s.name)
		{
			ParsedRequest r = s.request;
			r.body = "Param1=value2";
			auto result = check(r, s.time);
			BOOST_TEST((result.status == VerifyStatus::SignatureMismatch));
			BOOST_TEST(result.message.find("x-amz-content-sha256") != std::string::npos);
		}
	}
}

BOOST_AUTO_TEST_CASE(garbage_never_crashes_and_only_throws_errors)
{
	std::mt19937 rng(20240601);
	const Signed &base = suite().front();
	std::string good = headerValue(base.request.headers, "Authorization");
	const std::vector<std::string> pieces = {
		"AWS4-HMAC-SHA256", " ", ",", "=", "/", ";", "Credential=", "SignedHeaders=", "Signature=",
		"AKIDEXAMPLE", "20150830", "us-east-1", "service", "aws4_request", "host", "x-amz-date", "\t", "\n",
		"%", "%zz", std::string(1, '\0'), "\xff\xfe", std::string(64, 'a'), "..", "//",
	};
	auto randomText = [&](size_t maxPieces) {
		std::string out;
		size_t n = rng() % (maxPieces + 1);
		for (size_t i = 0; i < n; ++i) {
			if (rng() % 4 == 0)
				out += static_cast<char>(rng() % 256);
			else
				out += pieces[rng() % pieces.size()];
		}
		return out;
	};
	int ok = 0, rejected = 0, errors = 0;
	for (int i = 0; i < 20000; ++i) {
		ParsedRequest r = base.request;
		switch (i % 4) {
		case 0:
			setHeader(r, "Authorization", randomText(16));
			break;
		case 1: {
			// Flip a few bytes of the valid header.
			std::string a = good;
			for (unsigned k = 0; k <= rng() % 3; ++k)
				a[rng() % a.size()] = static_cast<char>(rng() % 256);
			setHeader(r, "Authorization", a);
			break;
		}
		case 2:
			r.path = randomText(6);
			r.query = randomText(6);
			r.method = randomText(1);
			setHeader(r, "X-Amz-Date", randomText(2));
			break;
		default:
			for (int k = 0; k < 4; ++k)
				r.headers.push_back({ randomText(2), randomText(3) });
			r.body = randomText(4);
			setHeader(r, "Authorization", good.substr(0, rng() % (good.size() + 1)) + randomText(3));
			break;
		}
		try {
			auto result = check(r, base.time);
			(result.status == VerifyStatus::Ok ? ok : rejected)++;
		} catch (const Error &) {
			++errors;
		} catch (...) {
			BOOST_FAIL("verify threw something other than mwaatok::Error");
		}
	}
	BOOST_TEST(rejected > 19000);
	BOOST_TEST(ok + rejected + errors == 20000);
}

BOOST_AUTO_TEST_SUITE_END()

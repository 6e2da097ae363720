#include <boost/test/unit_test.hpp>

#include "mwaatok/aws_client.h"
#include "mwaatok/error.h"
#include "scripted_transport.h"
#include "fakes.h"

using namespace mwaatok;
using namespace mwaatok::test;
using namespace std::chrono_literals;

namespace {

Credentials demoCredentials()
{
	return { "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", {}, "", "test" };
}

AwsRequest webtokenRequest()
{
	AwsRequest r;
	r.method = "POST";
	r.url = Url::parse("https://env.airflow.us-east-1.amazonaws.com/webtoken/prod");
	return r;
}

CallOptions options(int attempts = 3)
{
	CallOptions o;
	o.region = "us-east-1";
	o.service = "airflow";
	o.retry.maxAttempts = attempts;
	o.deadline = 60s;
	return o;
}

} // namespace

BOOST_AUTO_TEST_SUITE(aws_client)

BOOST_AUTO_TEST_CASE(signs_with_host_date_and_authorization)
{
	auto clock = FixedClock::fromSeconds(1440938160); // 2015-08-30T12:36:00Z
	ScriptedTransport t([](const HttpRequest &, size_t) { return jsonResponse(200, "{}"); });
	AwsClient client(t, clock, demoCredentials);
	client.send(webtokenRequest(), options());
	auto reqs = t.requests();
	BOOST_REQUIRE_EQUAL(reqs.size(), 1u);
	BOOST_TEST(reqs[0].url == "https://env.airflow.us-east-1.amazonaws.com/webtoken/prod");
	BOOST_TEST(*findHeader(reqs[0].headers, "host") == "env.airflow.us-east-1.amazonaws.com");
	BOOST_TEST(*findHeader(reqs[0].headers, "x-amz-date") == "20150830T123600Z");
	auto auth = findHeader(reqs[0].headers, "authorization");
	BOOST_REQUIRE(auth);
	BOOST_TEST(auth->rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/airflow/aws4_request, "
			       "SignedHeaders=host;x-amz-date, Signature=", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(retries_throttling_and_5xx_then_succeeds)
{
	auto clock = FixedClock::fromSeconds(1440938160);
	ScriptedTransport t([](const HttpRequest &, size_t i) {
		if (i == 0)
			return jsonResponse(429, R"({"message":"Rate exceeded"})",
					    { { "X-Amzn-ErrorType", "ThrottlingException" } });
		if (i == 1)
			return jsonResponse(503, R"({"__type":"ServiceUnavailableException","message":"busy"})");
		return jsonResponse(200, "{}");
	});
	AwsClient client(t, clock, demoCredentials);
	auto before = clock.now();
	auto resp = client.send(webtokenRequest(), options());
	BOOST_TEST(resp.status == 200);
	BOOST_TEST(t.requests().size() == 3u);
	// Backoff waited on the clock, at most 1 s then 2 s (full jitter).
	BOOST_TEST((clock.now() - before <= 3s));
}

BOOST_AUTO_TEST_CASE(gives_up_after_max_attempts_with_the_last_error)
{
	auto clock = FixedClock::fromSeconds(1440938160);
	ScriptedTransport t([](const HttpRequest &, size_t) {
		return jsonResponse(500, R"({"message":"internal"})",
				    { { "X-Amzn-ErrorType", "InternalServerException:http://internal.amazon.com/" } });
	});
	AwsClient client(t, clock, demoCredentials);
	try {
		client.send(webtokenRequest(), options(2));
		BOOST_FAIL("expected a ServiceError");
	} catch (const ServiceError &e) {
		BOOST_TEST(e.code() == "InternalServerException");
		BOOST_TEST(e.status() == 500);
		BOOST_TEST(std::string(e.what()) == "InternalServerException: internal");
	}
	BOOST_TEST(t.requests().size() == 2u);
}

BOOST_AUTO_TEST_CASE(never_retries_a_client_error)
{
	auto clock = FixedClock::fromSeconds(1440938160);
	ScriptedTransport t([](const HttpRequest &, size_t) {
		return jsonResponse(400, R"({"message":"1 validation error"})",
				    { { "X-Amzn-ErrorType", "ValidationException" } });
	});
	AwsClient client(t, clock, demoCredentials);
	BOOST_CHECK_THROW(client.send(webtokenRequest(), options()), ServiceError);
	BOOST_TEST(t.requests().size() == 1u);
}

BOOST_AUTO_TEST_CASE(retries_connection_resets_but_not_dns_failures)
{
	auto clock = FixedClock::fromSeconds(1440938160);
	ScriptedTransport resets([](const HttpRequest &, size_t i) -> HttpResponse {
		if (i < 2)
			throw NetworkError(NetworkFailure::Reset, "connection reset");
		return jsonResponse(200, "{}");
	});
	AwsClient a(resets, clock, demoCredentials);
	BOOST_TEST(a.send(webtokenRequest(), options()).status == 200);
	BOOST_TEST(resets.requests().size() == 3u);

	ScriptedTransport dns([](const HttpRequest &, size_t) -> HttpResponse {
		throw NetworkError(NetworkFailure::Resolve, "cannot resolve host");
	});
	AwsClient b(dns, clock, demoCredentials);
	BOOST_CHECK_THROW(b.send(webtokenRequest(), options()), NetworkError);
	BOOST_TEST(dns.requests().size() == 1u);
}

BOOST_AUTO_TEST_CASE(deadline_bounds_attempt_timeouts_and_stops_retrying)
{
	auto clock = FixedClock::fromSeconds(1440938160);
	ScriptedTransport t([&clock](const HttpRequest &req, size_t) -> HttpResponse {
		clock.advance(std::chrono::duration_cast<std::chrono::milliseconds>(req.readTimeout));
		throw NetworkError(NetworkFailure::Timeout, "timed out");
	});
	AwsClient client(t, clock, demoCredentials);
	auto o = options(10);
	o.deadline = 2500ms;
	o.readTimeout = 1000ms;
	auto start = clock.now();
	BOOST_CHECK_THROW(client.send(webtokenRequest(), o), NetworkError);
	BOOST_TEST((clock.now() - start <= 2500ms));
	for (const auto &r : t.requests())
		BOOST_TEST(r.readTimeout.count() <= 1000);
}

BOOST_AUTO_TEST_CASE(corrects_clock_skew_once_from_the_date_header)
{
	auto clock = FixedClock::fromSeconds(1440938160); // local 12:36:00, server 13:36:00
	ScriptedTransport t([](const HttpRequest &req, size_t) {
		if (*findHeader(req.headers, "x-amz-date") != "20150830T133600Z")
			return jsonResponse(403,
					    R"J({"message":"Signature expired: 20150830T123600Z is now earlier than 20150830T133100Z (20150830T133600Z - 5 min.)"})J",
					    { { "X-Amzn-ErrorType", "InvalidSignatureException" },
					      { "Date", "Sun, 30 Aug 2015 13:36:00 GMT" } });
		return jsonResponse(200, "{}");
	});
	AwsClient client(t, clock, demoCredentials);
	BOOST_TEST(client.send(webtokenRequest(), options(1)).status == 200);
	BOOST_TEST(t.requests().size() == 2u);
	BOOST_TEST(client.clockOffset().count() == 3600000);
}

BOOST_AUTO_TEST_CASE(skew_is_corrected_only_once)
{
	auto clock = FixedClock::fromSeconds(1440938160);
	ScriptedTransport t([](const HttpRequest &, size_t) {
		return jsonResponse(403, R"({"message":"Signature expired: x"})",
				    { { "X-Amzn-ErrorType", "InvalidSignatureException" },
				      { "Date", "Sun, 30 Aug 2015 13:36:00 GMT" } });
	});
	AwsClient client(t, clock, demoCredentials);
	BOOST_CHECK_THROW(client.send(webtokenRequest(), options()), ServiceError);
	BOOST_TEST(t.requests().size() == 2u);
}

BOOST_AUTO_TEST_CASE(parses_error_shapes)
{
	HttpResponse json = jsonResponse(403, R"({"Message":"User is not authorized"})",
					 { { "X-Amzn-ErrorType", "AccessDeniedException" },
					   { "x-amzn-RequestId", "req-1" } });
	auto a = parseAwsError(json);
	BOOST_TEST(a.code == "AccessDeniedException");
	BOOST_TEST(a.message == "User is not authorized");
	BOOST_TEST(a.requestId == "req-1");

	auto b = parseAwsError(jsonResponse(404, R"({"__type":"com.amazon#ResourceNotFoundException","message":"nope"})"));
	BOOST_TEST(b.code == "ResourceNotFoundException");
	BOOST_TEST(b.message == "nope");

	HttpResponse xml;
	xml.status = 403;
	xml.body = "<ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>bad token</Message></Error>"
		   "<RequestId>r2</RequestId></ErrorResponse>";
	auto c = parseAwsError(xml);
	BOOST_TEST(c.code == "InvalidClientTokenId");
	BOOST_TEST(c.message == "bad token");
	BOOST_TEST(c.requestId == "r2");

	HttpResponse garbage;
	garbage.status = 502;
	garbage.body = "{not json";
	BOOST_TEST(parseAwsError(garbage).code == "HTTP502");
}

BOOST_AUTO_TEST_SUITE_END()

// Retries as the AWS CLI configures them (max_attempts, retry_mode,
// AWS_MAX_ATTEMPTS, AWS_RETRY_MODE), adaptive mode's rate limiter, and what
// AwsClient retries.
#include <boost/test/unit_test.hpp>

#include <utility>

#include "mwaatok/aws_client.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/retry.h"
#include "assertions.h"
#include "fakes.h"
#include "scripted_transport.h"

using namespace mwaatok;
using namespace std::chrono_literals;

namespace {

HttpResponse answer(int status, std::string body = "")
{
	HttpResponse r;
	r.status = status;
	r.body = std::move(body);
	return r;
}

/// The Error(Config) message of \a f.
template <typename F>
std::string configErrorOf(F &&f)
{
	return test::errorOf(std::forward<F>(f), ErrorKind::Config);
}

CallOptions callOptions()
{
	CallOptions o;
	o.region = "us-east-1";
	o.service = "airflow";
	o.deadline = 600s;
	return o;
}

AwsRequest request()
{
	AwsRequest r;
	r.method = "POST";
	r.url = Url::parse("https://api.airflow.us-east-1.amazonaws.com/webtoken/prod");
	return r;
}

Credentials credentials()
{
	return { "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", {}, "", "test" };
}

} // namespace

BOOST_AUTO_TEST_SUITE(retry)

BOOST_AUTO_TEST_CASE(settings_follow_the_aws_cli_order)
{
	MapEnvironment env;
	ProfileRetryValues profile{ std::string("5"), std::string("adaptive") };
	auto fromProfile = resolveRetrySettings(env, profile, std::nullopt);
	BOOST_TEST(fromProfile.maxAttempts == 5);
	BOOST_TEST((fromProfile.mode == RetryMode::Adaptive));

	env.set("AWS_MAX_ATTEMPTS", "7");
	env.set("AWS_RETRY_MODE", "legacy");
	auto fromEnv = resolveRetrySettings(env, profile, std::nullopt);
	BOOST_TEST(fromEnv.maxAttempts == 7);
	BOOST_TEST((fromEnv.mode == RetryMode::Legacy));

	BOOST_TEST(resolveRetrySettings(env, profile, 2).maxAttempts == 2); // --max-attempts beats all

	auto defaults = resolveRetrySettings(MapEnvironment(), {}, std::nullopt);
	BOOST_TEST(defaults.maxAttempts == 3);
	BOOST_TEST((defaults.mode == RetryMode::Standard));
}

BOOST_AUTO_TEST_CASE(bad_values_name_their_source)
{
	MapEnvironment env;
	env.set("AWS_MAX_ATTEMPTS", "lots");
	BOOST_TEST(configErrorOf([&] { resolveRetrySettings(env, {}, std::nullopt); }) ==
		   "AWS_MAX_ATTEMPTS must be a whole number of attempts from 1 to 100, not 'lots'");
	// --max-attempts makes the variable irrelevant.
	BOOST_TEST(resolveRetrySettings(env, {}, 4).maxAttempts == 4);
	std::string profileError =
		configErrorOf([] { resolveRetrySettings(MapEnvironment(), { std::string("0"), {} }, std::nullopt); });
	BOOST_TEST(profileError == "max_attempts in the AWS config file must be a whole number of attempts from 1 to "
				   "100, not '0'");
	MapEnvironment mode;
	mode.set("AWS_RETRY_MODE", "fast");
	BOOST_TEST(configErrorOf([&] { resolveRetrySettings(mode, {}, std::nullopt); }) ==
		   "AWS_RETRY_MODE must be standard, adaptive or legacy, not 'fast'");
}

BOOST_AUTO_TEST_CASE(only_adaptive_mode_gets_a_shared_rate_limiter)
{
	FixedClock clock = FixedClock::fromSeconds(1440938160); // moves only when slept on
	RetryPolicy policy;
	applyRetrySettings(policy, { 4, RetryMode::Standard }, clock);
	BOOST_TEST(policy.maxAttempts == 4);
	BOOST_TEST(!policy.rateLimiter);
	applyRetrySettings(policy, { 6, RetryMode::Adaptive }, clock);
	RetryPolicy copy = policy;
	BOOST_TEST(copy.rateLimiter.get() == policy.rateLimiter.get());
	BOOST_TEST(copy.maxAttempts == 6);
}

BOOST_AUTO_TEST_CASE(throttling_answers_are_recognised)
{
	BOOST_TEST(isThrottlingError(429, ""));
	BOOST_TEST(isThrottlingError(400, "ThrottlingException"));
	BOOST_TEST(isThrottlingError(503, "SlowDown"));
	BOOST_TEST(!isThrottlingError(500, "InternalServerException"));
	BOOST_TEST(!isThrottlingError(400, "ValidationException"));
}

BOOST_AUTO_TEST_CASE(the_rate_limiter_starts_off_and_slows_down_after_throttling)
{
	FixedClock clock = FixedClock::fromSeconds(1440938160); // moves only when slept on
	RateLimiter limiter(clock);
	for (int i = 0; i < 20; ++i) {
		limiter.acquire();
		limiter.update(false);
		clock.sleepFor(100ms); // ten requests a second
	}
	BOOST_TEST(!limiter.enabled());
	auto before = clock.now();
	limiter.acquire();
	BOOST_TEST((clock.now() == before)); // off: no waiting

	limiter.update(true);
	BOOST_TEST(limiter.enabled());
	double throttled = limiter.rate();
	BOOST_TEST(throttled < 10.0);
	BOOST_TEST(throttled >= 0.5);
	// Now each request waits for a token: twenty of them take at least what
	// a full bucket (as many tokens as the rate) does not cover.
	before = clock.now();
	for (int i = 0; i < 20; ++i)
		limiter.acquire();
	auto waited = std::chrono::duration<double>(clock.now() - before).count();
	BOOST_TEST(waited >= 0.9 * (20 - throttled) / throttled, waited << " s at " << throttled << "/s");
	// A second throttle cuts the rate again.
	limiter.update(true);
	BOOST_TEST(limiter.rate() <= throttled);
	// Successes grow it back over time (CUBIC).
	double low = limiter.rate();
	for (int i = 0; i < 60; ++i) {
		clock.sleepFor(500ms);
		limiter.update(false);
	}
	BOOST_TEST(limiter.rate() >= low);
}

BOOST_AUTO_TEST_CASE(a_429_without_an_error_code_is_retried)
{
	FixedClock clock = FixedClock::fromSeconds(1440938160); // moves only when slept on
	test::ScriptedTransport transport([](const HttpRequest &, size_t i) { return i == 0 ? answer(429) : answer(200, "{}"); });
	AwsClient client(transport, clock, credentials);
	BOOST_TEST(client.send(request(), callOptions()).status == 200);
	BOOST_TEST(transport.received().size() == 2u);
}

BOOST_AUTO_TEST_CASE(adaptive_mode_paces_attempts_after_a_throttle)
{
	FixedClock clock = FixedClock::fromSeconds(1440938160); // moves only when slept on
	test::ScriptedTransport transport([](const HttpRequest &, size_t i) { return i % 2 == 0 ? answer(429, "{\"__type\":\"ThrottlingException\"}") : answer(200, "{}"); });
	AwsClient client(transport, clock, credentials);
	CallOptions options = callOptions();
	applyRetrySettings(options.retry, { 3, RetryMode::Adaptive }, clock);
	for (int i = 0; i < 3; ++i)
		BOOST_TEST(client.send(request(), options).status == 200);
	BOOST_TEST(transport.received().size() == 6u);
	BOOST_TEST(options.retry.rateLimiter->enabled());
}

BOOST_AUTO_TEST_SUITE_END()

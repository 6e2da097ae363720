#include "mwaatok/retry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <set>

#include "core/strings.h"
#include "mwaatok/aws_client.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"

namespace mwaatok {

namespace {

// botocore's adaptive constants.
constexpr double cubicScale = 0.4;
constexpr double cubicBeta = 0.7;
constexpr double minFillRate = 0.5;
constexpr double maxRateAdjust = 2.0;
constexpr double smoothing = 0.8;
constexpr double bucketsPerSecond = 2.0; // the sending rate is measured in half seconds

int parseMaxAttempts(const std::string &text, const std::string &where)
{
	std::string_view v = trim(text);
	int n = 0;
	auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
	if (v.empty() || ec != std::errc() || p != v.data() + v.size() || n < 1 || n > 100)
		throw Error(ErrorKind::Config, where + " must be a whole number of attempts from 1 to 100, not '" +
						       std::string(v) + "'");
	return n;
}

RetryMode parseMode(const std::string &text, const std::string &where)
{
	std::string v = toLower(trim(text));
	if (v == "standard")
		return RetryMode::Standard;
	if (v == "adaptive")
		return RetryMode::Adaptive;
	if (v == "legacy")
		return RetryMode::Legacy;
	throw Error(ErrorKind::Config, where + " must be standard, adaptive or legacy, not '" + std::string(trim(text)) + "'");
}

} // namespace

RetrySettings resolveRetrySettings(const Environment &env, const ProfileRetryValues &profile,
				   std::optional<int> maxAttemptsOption)
{
	RetrySettings s;
	if (maxAttemptsOption)
		s.maxAttempts = *maxAttemptsOption;
	else if (auto v = env.getNonEmpty("AWS_MAX_ATTEMPTS"))
		s.maxAttempts = parseMaxAttempts(*v, "AWS_MAX_ATTEMPTS");
	else if (profile.maxAttempts && !trim(*profile.maxAttempts).empty())
		s.maxAttempts = parseMaxAttempts(*profile.maxAttempts, "max_attempts in the AWS config file");
	if (auto v = env.getNonEmpty("AWS_RETRY_MODE"))
		s.mode = parseMode(*v, "AWS_RETRY_MODE");
	else if (profile.retryMode && !trim(*profile.retryMode).empty())
		s.mode = parseMode(*profile.retryMode, "retry_mode in the AWS config file");
	return s;
}

void applyRetrySettings(RetryPolicy &policy, const RetrySettings &settings, Clock &clock)
{
	policy.maxAttempts = settings.maxAttempts;
	policy.rateLimiter = settings.mode == RetryMode::Adaptive ? std::make_shared<RateLimiter>(clock) : nullptr;
}

bool isThrottlingError(int status, const std::string &code)
{
	static const std::set<std::string> throttling = {
		"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
		"TooManyRequestsException", "ProvisionedThroughputExceededException",
		"TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
		"LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
		"EC2ThrottledException",
	};
	return status == 429 || throttling.count(code) > 0;
}

RateLimiter::RateLimiter(Clock &clock) : clock_(clock)
{
	lastThrottle_ = lastBucket_ = std::floor(now() * bucketsPerSecond) / bucketsPerSecond;
	k_ = std::cbrt(wMax_ * (1 - cubicBeta) / cubicScale);
}

double RateLimiter::now() const
{
	return std::chrono::duration<double>(clock_.now().time_since_epoch()).count();
}

bool RateLimiter::enabled() const
{
	std::lock_guard lock(mutex_);
	return enabled_;
}

double RateLimiter::rate() const
{
	std::lock_guard lock(mutex_);
	return fillRate_;
}

void RateLimiter::refill(double t)
{
	if (lastRefill_ >= 0)
		tokens_ = std::min(capacity_, tokens_ + (t - lastRefill_) * fillRate_);
	lastRefill_ = t;
}

void RateLimiter::setMaxRate(double rate)
{
	refill(now());
	fillRate_ = std::max(rate, minFillRate);
	capacity_ = rate >= 1 ? rate : 1;
	tokens_ = std::min(tokens_, capacity_);
}

double RateLimiter::measure(double t)
{
	double bucket = std::floor(t * bucketsPerSecond) / bucketsPerSecond;
	++count_;
	if (bucket > lastBucket_) {
		double current = count_ / (bucket - lastBucket_);
		measured_ = current * smoothing + measured_ * (1 - smoothing);
		count_ = 0;
		lastBucket_ = bucket;
	}
	return measured_;
}

void RateLimiter::acquire()
{
	for (;;) {
		std::chrono::milliseconds wait;
		{
			std::lock_guard lock(mutex_);
			if (!enabled_)
				return;
			refill(now());
			if (tokens_ >= 1) {
				tokens_ -= 1;
				return;
			}
			wait = std::chrono::milliseconds(
				static_cast<long long>(std::ceil((1 - tokens_) / fillRate_ * 1000)));
		}
		clock_.sleepFor(std::max(wait, std::chrono::milliseconds(1)));
	}
}

void RateLimiter::update(bool throttled)
{
	std::lock_guard lock(mutex_);
	double t = now();
	double measured = measure(t);
	double newRate;
	if (!throttled) {
		newRate = cubicScale * std::pow(t - lastThrottle_ - k_, 3) + wMax_;
	} else {
		double current = enabled_ ? std::min(measured, fillRate_) : measured;
		wMax_ = current;
		k_ = std::cbrt(wMax_ * (1 - cubicBeta) / cubicScale);
		lastThrottle_ = t;
		newRate = current * cubicBeta;
		enabled_ = true;
	}
	setMaxRate(std::min(newRate, maxRateAdjust * measured));
}

} // namespace mwaatok

#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "mwaatok/clock.h"

namespace mwaatok {

class Environment;
struct RetryPolicy;

/// The AWS SDKs' retry modes. "legacy" is accepted and behaves as "standard".
enum class RetryMode { Standard, Adaptive, Legacy };

/// How many attempts a call gets and how retries are paced.
struct RetrySettings {
	int maxAttempts = 3;
	RetryMode mode = RetryMode::Standard;
};

/// The AWS profile's retry values, as the config file holds them.
struct ProfileRetryValues {
	std::optional<std::string> maxAttempts; ///< max_attempts
	std::optional<std::string> retryMode;   ///< retry_mode
};

/// Resolve retries as the AWS CLI does: max attempts from \a maxAttemptsOption
/// (--max-attempts), else AWS_MAX_ATTEMPTS, else the profile's max_attempts,
/// else 3; the mode from AWS_RETRY_MODE, else the profile's retry_mode, else
/// standard. Throws Error(Config) naming the variable or setting that holds a
/// bad value (max attempts: a whole number from 1 to 100).
RetrySettings resolveRetrySettings(const Environment &env, const ProfileRetryValues &profile,
				   std::optional<int> maxAttemptsOption);

/// Put \a settings into \a policy; adaptive mode gets a client-side rate
/// limiter on \a clock, shared by every call made with copies of the policy.
void applyRetrySettings(RetryPolicy &policy, const RetrySettings &settings, Clock &clock);

/// True for the answers the SDKs count as throttling (429, ThrottlingException, SlowDown, ...).
bool isThrottlingError(int status, const std::string &code);

/// botocore's adaptive mode: a token bucket whose rate follows CUBIC, off
/// until the first throttling answer, then cut by 30% on each throttle and
/// grown back on success (never above twice the measured sending rate).
/// Safe from many threads.
class RateLimiter {
public:
	explicit RateLimiter(Clock &clock);

	/// Wait (on the clock) for a token before an attempt; at once while off.
	void acquire();
	/// Record an answer: \a throttled when isThrottlingError says so.
	void update(bool throttled);

	bool enabled() const;
	/// Requests per second the bucket allows now.
	double rate() const;

private:
	double now() const;
	void refill(double t);
	void setMaxRate(double rate);
	double measure(double t);

	Clock &clock_;
	mutable std::mutex mutex_;
	bool enabled_ = false;
	// Token bucket.
	double fillRate_ = 0.5, capacity_ = 1, tokens_ = 0, lastRefill_ = -1;
	// CUBIC.
	double wMax_ = 0.5, k_ = 0, lastThrottle_ = 0;
	// Measured sending rate.
	double measured_ = 0, lastBucket_ = 0;
	int count_ = 0;
};

} // namespace mwaatok

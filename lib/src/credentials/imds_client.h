#pragma once

#include "mwaatok/http.h"

#include <chrono>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

namespace mwaatok {

class Clock;
class Environment;
class SharedConfig;

namespace detail {

/// How to reach EC2 instance metadata.
struct ImdsSettings {
	std::string endpoint; ///< scheme://host[:port], no trailing slash
	bool disabled = false;
	bool v1Disabled = false;
	std::chrono::milliseconds timeout{1000};
	int attempts = 1;
	std::string instanceProfileName; ///< configured role name; empty = ask IMDS
};

/// Settings from the explicit overrides, the environment, then \a profile
/// (may be null); throws Error(Config) for an invalid endpoint, mode or number.
ImdsSettings imdsSettings(const Environment &env, const SharedConfig *profile,
			  const std::optional<std::string> &endpointOverride = std::nullopt,
			  const std::optional<std::string> &modeOverride = std::nullopt);

/// IMDS cannot be used here (off EC2, refused, no role): a reason, not an error.
class ImdsUnavailable : public std::runtime_error {
public:
	using std::runtime_error::runtime_error;
};

/// GETs against IMDS with an IMDSv2 session token (cached for its 6 h TTL,
/// fetched again on a 401), the IMDSv1 fallback and retries. Thread-safe.
class ImdsClient {
public:
	ImdsClient(HttpTransport &http, Clock &clock, ImdsSettings settings);

	/// The response to GET \a path (a 200 or another final status such as 404);
	/// throws ImdsUnavailable when IMDS cannot be reached or refuses tokens.
	HttpResponse get(const std::string &path);
	const ImdsSettings &settings() const { return settings_; }

private:
	std::optional<std::string> token(bool refresh);

	HttpTransport &http_;
	Clock &clock_;
	ImdsSettings settings_;
	std::mutex mutex_;
	std::optional<std::string> token_;
	std::chrono::system_clock::time_point tokenExpiry_{};
	bool v1Fallback_ = false;
};

} // namespace detail
} // namespace mwaatok

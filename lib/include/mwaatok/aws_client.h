#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "mwaatok/clock.h"
#include "mwaatok/credentials.h"
#include "mwaatok/http.h"
#include "mwaatok/sigv4.h"
#include "mwaatok/url.h"

namespace mwaatok {

class RateLimiter;

/// The SDKs' "standard" retry mode: exponential backoff with full jitter.
struct RetryPolicy {
	int maxAttempts = 3;
	std::chrono::milliseconds baseDelay{ 1000 }; ///< the first retry waits up to this
	std::chrono::milliseconds maxDelay{ 20000 };
	/// Adaptive mode's client-side rate limiter (mwaatok/retry.h), shared by copies; null otherwise.
	std::shared_ptr<RateLimiter> rateLimiter;
};

/// One AWS call: where, how long it may take, how it is signed.
struct CallOptions {
	std::string region;
	std::string service;
	RetryPolicy retry;
	std::chrono::milliseconds connectTimeout{ 3100 };
	std::chrono::milliseconds readTimeout{ 10000 };
	/// The whole call, retries and waits included, ends by then.
	std::chrono::milliseconds deadline{ 60000 };
	/// false: an error answer is returned like any response instead of thrown.
	bool throwOnError = true;
	sigv4::SigningSettings signing;
};

/// An unsigned request; the client adds Host, X-Amz-Date, the token and Authorization.
struct AwsRequest {
	std::string method;
	Url url;
	HttpHeaders headers;
	std::string body;
};

/// Optional diagnostics hook: one line per attempt, secrets already left out.
using TraceSink = std::function<void(const std::string &)>;

/// Signs and sends AWS requests with retries, rest-json error decoding and one
/// clock-skew correction. Safe to share between threads.
class AwsClient {
public:
	/// \a credentials is asked before every attempt, so refreshed credentials are used.
	/// \a debug, when set, also receives each signed request as describeSignedRequest shows it.
	AwsClient(HttpTransport &transport, Clock &clock,
		  std::function<Credentials()> credentials, TraceSink trace = {}, TraceSink debug = {});

	/// The 2xx response; throws ServiceError for an error answer (after retries
	/// for retryable ones) and NetworkError when no answer could be had.
	HttpResponse send(const AwsRequest &request, const CallOptions &options);

	/// The request exactly as it is sent at \a time: Host first, the given
	/// headers, then what signing adds. \a stages receives the signer's output.
	static HttpRequest buildSigned(const AwsRequest &request, const CallOptions &options,
				       const Credentials &credentials, Clock::time_point time,
				       sigv4::SigningOutput *stages = nullptr);

	/// The offset applied to the local clock after a skew correction.
	std::chrono::milliseconds clockOffset() const;

	~AwsClient();
	AwsClient(const AwsClient &) = delete;
	AwsClient &operator=(const AwsClient &) = delete;

private:
	struct Impl;
	std::unique_ptr<Impl> impl_;
};

/// The AWS error code and message of an error response (rest-json and
/// query/XML shapes), as the SDKs read them.
struct AwsErrorInfo {
	std::string code;
	std::string message;
	std::string requestId;
};
AwsErrorInfo parseAwsError(const HttpResponse &response);

/// A signed request as text (`request --dry-run`, --debug): the canonical
/// request, the string to sign, and the request as sent under \a heading,
/// with the secret key, session token and signature redacted.
std::string describeSignedRequest(const HttpRequest &sent, const sigv4::SigningOutput &stages,
				  const Credentials &credentials, std::string_view heading);

/// True when an error code or status is worth retrying (throttling, transient, 5xx, 429).
bool isRetryableError(int status, const std::string &code);

} // namespace mwaatok

#include "mwaatok/aws_client.h"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <random>
#include <ctime>
#include <exception>
#include <set>

#include "core/json.h"
#include "core/strings.h"
#include "mwaatok/error.h"
#include "mwaatok/retry.h"
#include "mwaatok/sigv4.h"
#include "mwaatok/terminal_text.h"
#include "mwaatok/time.h"

namespace mwaatok {

namespace {

std::string memberCaseInsensitive(const Poco::JSON::Object &obj, std::string_view name)
{
	for (const auto &kv : obj) {
		if (iequals(kv.first, name) && kv.second.isString())
			return kv.second.extract<std::string>();
	}
	return {};
}

// "aws.protocoltests.restjson#FooError:http://..." -> "FooError"
std::string sanitizeCode(std::string code)
{
	auto colon = code.find(':');
	if (colon != std::string::npos)
		code.erase(colon);
	auto hash = code.find('#');
	if (hash != std::string::npos)
		code.erase(0, hash + 1);
	return std::string(trim(code));
}

// Best effort: the text between <Tag> and </Tag>.
std::string xmlElement(const std::string &body, const std::string &tag)
{
	auto b = body.find("<" + tag + ">");
	if (b == std::string::npos)
		return {};
	b += tag.size() + 2;
	auto e = body.find("</" + tag + ">", b);
	if (e == std::string::npos)
		return {};
	return body.substr(b, e - b);
}

std::optional<Clock::time_point> parseHttpDate(const std::string &value)
{
	// Clock counts nanoseconds on 64 bits (years 1678 to 2261); a year such as 20 is not a skew.
	auto t = time::parseHttpDate(value);
	return t ? time::toTimePoint(*t) : std::nullopt;
}

bool isClockSkewError(const std::string &code, const std::string &message)
{
	static const std::set<std::string> codes = { "RequestTimeTooSkewed", "RequestExpired",
						     "RequestInTheFuture" };
	if (codes.count(code))
		return true;
	return (code == "InvalidSignatureException" || code == "SignatureDoesNotMatch" ||
		code == "AuthFailure") &&
	       (message.find("Signature expired") != std::string::npos ||
		message.find("Signature not yet current") != std::string::npos);
}

bool isRetryableNetwork(NetworkFailure f)
{
	return f == NetworkFailure::Connect || f == NetworkFailure::Timeout || f == NetworkFailure::Reset;
}

} // namespace

AwsErrorInfo parseAwsError(const HttpResponse &response)
{
	AwsErrorInfo info;
	if (auto id = response.header("x-amzn-RequestId"))
		info.requestId = *id;
	else if (auto rid = response.header("x-amz-request-id"))
		info.requestId = *rid;
	if (auto type = response.header("X-Amzn-ErrorType"))
		info.code = sanitizeCode(*type);

	std::string_view body = trim(response.body);
	if (!body.empty() && body.front() == '{') {
		if (auto obj = detail::parseJsonObject(std::string(body))) {
			if (info.code.empty()) {
				std::string code = memberCaseInsensitive(*obj, "__type");
				if (code.empty())
					code = memberCaseInsensitive(*obj, "code");
				info.code = sanitizeCode(code);
			}
			info.message = memberCaseInsensitive(*obj, "message");
		}
	} else if (!body.empty() && body.front() == '<') {
		if (info.code.empty())
			info.code = xmlElement(response.body, "Code");
		info.message = xmlElement(response.body, "Message");
		if (info.requestId.empty())
			info.requestId = xmlElement(response.body, "RequestId");
	}
	if (info.code.empty())
		info.code = "HTTP" + std::to_string(response.status);
	// Service text is shown to the user: escaped for the terminal and capped.
	info.code = terminalText(info.code, kServiceTextLimit);
	info.message = terminalText(info.message, kServiceTextLimit);
	info.requestId = terminalText(info.requestId, kServiceTextLimit);
	return info;
}

bool isRetryableError(int status, const std::string &code)
{
	static const std::set<std::string> transient = {
		"RequestTimeout", "RequestTimeoutException", "InternalError", "InternalServerError",
		"InternalServerException", "ServiceUnavailable", "ServiceUnavailableException",
	};
	if (transient.count(code) || isThrottlingError(status, code))
		return true;
	return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

struct AwsClient::Impl {
	Impl(HttpTransport &transport, Clock &clock, std::function<Credentials()> credentials, TraceSink trace,
	     TraceSink debug)
		: transport_(transport), clock_(clock), credentials_(std::move(credentials)),
		  trace_(std::move(trace)), debug_(std::move(debug)), rng_(std::random_device{}())
	{
	}

	HttpResponse send(const AwsRequest &request, const CallOptions &options);
	std::chrono::milliseconds backoff(int attempt, const RetryPolicy &policy);

	HttpTransport &transport_;
	Clock &clock_;
	std::function<Credentials()> credentials_;
	TraceSink trace_;
	TraceSink debug_;
	std::atomic<long long> clockOffsetMs_{ 0 };
	std::mutex rngMutex_;
	std::mt19937_64 rng_;
};

AwsClient::AwsClient(HttpTransport &transport, Clock &clock,
		     std::function<Credentials()> credentials, TraceSink trace, TraceSink debug)
	: impl_(std::make_unique<Impl>(transport, clock, std::move(credentials), std::move(trace), std::move(debug)))
{
}

AwsClient::~AwsClient() = default;

std::chrono::milliseconds AwsClient::clockOffset() const
{
	return std::chrono::milliseconds(impl_->clockOffsetMs_.load());
}

HttpResponse AwsClient::send(const AwsRequest &request, const CallOptions &options)
{
	return impl_->send(request, options);
}

std::chrono::milliseconds AwsClient::Impl::backoff(int attempt, const RetryPolicy &policy)
{
	// Full jitter: uniform in [0, min(max, base * 2^(attempt-1))].
	long long cap = policy.baseDelay.count();
	for (int i = 1; i < attempt && cap < policy.maxDelay.count(); ++i)
		cap *= 2;
	cap = std::min<long long>(cap, policy.maxDelay.count());
	std::lock_guard lock(rngMutex_);
	std::uniform_int_distribution<long long> dist(0, std::max<long long>(cap, 0));
	return std::chrono::milliseconds(dist(rng_));
}

HttpRequest AwsClient::buildSigned(const AwsRequest &request, const CallOptions &options,
				   const Credentials &credentials, Clock::time_point time,
				   sigv4::SigningOutput *stages)
{
	HttpRequest http;
	http.method = request.method;
	http.url = request.url.toString();
	http.body = request.body;
	http.headers.reserve(request.headers.size() + 5);
	http.headers.push_back({ "Host", request.url.authority() });
	for (const auto &h : request.headers)
		http.headers.push_back(h);

	sigv4::SignableRequest signable{ http.method, request.url.path, request.url.query, http.headers,
					 http.body };
	sigv4::SigningParams params;
	params.credentials = &credentials;
	params.region = options.region;
	params.service = options.service;
	params.time = time;
	params.settings = options.signing;
	auto out = sigv4::sign(signable, params);
	sigv4::applyHeaders(http.headers, out); // the signer's headers replace same-named ones
	if (!out.queryParams.empty()) {
		std::string extra;
		for (const auto &[k, v] : out.queryParams)
			extra += (extra.empty() ? "" : "&") + k + "=" + v;
		Url u = request.url;
		u.query = u.query.empty() ? extra : u.query + "&" + extra;
		http.url = u.toString();
	}
	if (stages)
		*stages = std::move(out);
	return http;
}

HttpResponse AwsClient::Impl::send(const AwsRequest &request, const CallOptions &options)
{
	using namespace std::chrono;
	const auto start = clock_.now();
	const auto deadline = start + options.deadline;
	bool skewCorrected = false;
	const int maxAttempts = std::max(1, options.retry.maxAttempts);

	std::exception_ptr lastFailure;
	for (int attempt = 1;; ++attempt) {
		auto remaining = duration_cast<milliseconds>(deadline - clock_.now());
		if (remaining <= milliseconds(0) && lastFailure)
			std::rethrow_exception(lastFailure);
		if (remaining <= milliseconds(0))
			throw NetworkError(NetworkFailure::Timeout,
					   "no answer from " + request.url.authority() + " within " +
						   std::to_string(options.deadline.count() / 1000) +
						   " s (raise --timeout if the network is slow)");

		// This attempt, credentials included, ends by the call's deadline however servers drip.
		const auto attemptDeadline = std::chrono::steady_clock::now() + remaining;
		Credentials creds;
		{
			DeadlineScope bound(attemptDeadline); // the credential providers' own requests too
			creds = credentials_();
		}
		sigv4::SigningOutput stages;
		HttpRequest http = buildSigned(request, options, creds,
					       clock_.now() + milliseconds(clockOffsetMs_.load()),
					       debug_ ? &stages : nullptr);
		if (debug_)
			debug_(describeSignedRequest(http, stages, creds, "request"));
		http.connectTimeout = std::min(options.connectTimeout, remaining);
		http.readTimeout = std::min(options.readTimeout, remaining);
		http.deadline = attemptDeadline;
		if (options.retry.rateLimiter)
			options.retry.rateLimiter->acquire();

		std::string retryReason;
		try {
			HttpResponse response = transport_.send(http);
			if (options.retry.rateLimiter)
				options.retry.rateLimiter->update(response.status >= 300 &&
								  isThrottlingError(response.status, parseAwsError(response).code));
			if (trace_)
				trace_(request.method + " " + request.url.scheme + "://" + request.url.authority() +
				       request.url.path + " -> " + std::to_string(response.status) +
				       " (attempt " + std::to_string(attempt) + ")");
			if (response.status >= 200 && response.status < 300)
				return response;
			if (!options.throwOnError && attempt >= maxAttempts)
				return response;

			AwsErrorInfo err = parseAwsError(response);
			if (!skewCorrected && isClockSkewError(err.code, err.message)) {
				auto date = response.header("Date");
				auto serverTime = date ? parseHttpDate(*date) : std::nullopt;
				if (serverTime) {
					skewCorrected = true;
					auto offset = duration_cast<milliseconds>(*serverTime - clock_.now());
					clockOffsetMs_.store(offset.count());
					if (trace_)
						trace_("clock skew of " + std::to_string(offset.count() / 1000) +
						       " s corrected from the server's Date header");
					--attempt; // the correction does not use up an attempt
					continue;
				}
			}
			std::string text = err.code + ": " +
					   (err.message.empty() ? terminalText(response.reason, kServiceTextLimit)
								: err.message);
			ServiceError failure(response.status, err.code, err.message, err.requestId, text);
			bool retryable = isRetryableError(response.status, err.code);
			if (!retryable && !options.throwOnError)
				return response;
			if (!retryable || attempt >= maxAttempts)
				throw failure;
			retryReason = text;
			lastFailure = std::make_exception_ptr(failure);
		} catch (const NetworkError &e) {
			if (!isRetryableNetwork(e.failure()) || attempt >= maxAttempts)
				throw;
			retryReason = e.what();
			lastFailure = std::current_exception();
		}
		auto wait = backoff(attempt, options.retry);
		if (clock_.now() + wait >= deadline)
			wait = duration_cast<milliseconds>(deadline - clock_.now());
		if (trace_)
			trace_("retrying in " + std::to_string(wait.count()) + " ms after: " + retryReason);
		if (wait > milliseconds(0))
			clock_.sleepFor(wait);
	}
}

} // namespace mwaatok

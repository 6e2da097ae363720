#pragma once

// The one scripted HTTP transport for tests. Two ways to script it:
// - with a handler: every request is answered by a function of the request
//   and its index (ScriptedTransport(handler));
// - as a replay: an ordered list of expected requests, each answered with a
//   canned response or a NetworkError (expect(), expectNetworkError()). A
//   request that does not match the next expectation is recorded as a failure
//   and throws ReplayMismatch, which is not a mwaatok::Error, so no provider
//   can swallow it.
// Every request is recorded either way (received(), requests()).

#include "mwaatok/error.h"
#include "mwaatok/http.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace mwaatok::test {

class ReplayMismatch : public std::logic_error {
public:
	using std::logic_error::logic_error;
};

struct ReplayExchange {
	std::string method;
	std::string url;
	HttpHeaders headers;               ///< must be present with these values
	std::vector<std::string> absent;   ///< must not be present
	HttpResponse response;
	std::optional<NetworkFailure> fail; ///< throw this instead of answering
};

class ScriptedTransport final : public HttpTransport {
public:
	using Handler = std::function<HttpResponse(const HttpRequest &, size_t index)>;

	/// A replay: script it with expect().
	ScriptedTransport() = default;
	/// Every request answered by \a handler.
	explicit ScriptedTransport(Handler handler) : handler_(std::move(handler)) {}

	/// Expect \a method \a url next and answer \a status with \a body.
	ReplayExchange &expect(std::string method, std::string url, int status, std::string body = {})
	{
		std::lock_guard lock(mutex_);
		ReplayExchange e;
		e.method = std::move(method);
		e.url = std::move(url);
		e.response.status = status;
		e.response.body = std::move(body);
		script_.push_back(std::move(e));
		return script_.back();
	}

	/// Expect \a method \a url next and fail it with a NetworkError.
	ReplayExchange &expectNetworkError(std::string method, std::string url,
					   NetworkFailure failure = NetworkFailure::Timeout)
	{
		auto &e = expect(std::move(method), std::move(url), 0);
		e.fail = failure;
		return e;
	}

	void add(ReplayExchange e)
	{
		std::lock_guard lock(mutex_);
		script_.push_back(std::move(e));
	}

	HttpResponse send(const HttpRequest &request) override
	{
		std::unique_lock lock(mutex_);
		size_t index = received_.size();
		received_.push_back(request);
		if (handler_) {
			lock.unlock();
			return handler_(request, index);
		}
		if (script_.empty())
			return mismatch("unexpected request " + request.method + " " + request.url +
					" (no more expected)");
		ReplayExchange e = script_.front();
		script_.pop_front();
		if (e.method != request.method || !sameUrl(e.url, request.url))
			return mismatch("expected " + e.method + " " + e.url + ", got " + request.method + " " +
					request.url);
		for (const auto &h : e.headers) {
			auto v = findHeader(request.headers, h.name);
			if (!v || *v != h.value)
				return mismatch(request.method + " " + request.url + ": header " + h.name +
						" is " + (v ? "`" + *v + "`" : "missing") + ", expected `" +
						h.value + "`");
		}
		for (const auto &name : e.absent)
			if (findHeader(request.headers, name))
				return mismatch(request.method + " " + request.url + ": unexpected header " + name);
		if (e.fail)
			throw NetworkError(*e.fail, "simulated network failure for " + request.url);
		return e.response;
	}

	/// Expectations not yet used.
	size_t remaining() const
	{
		std::lock_guard lock(mutex_);
		return script_.size();
	}
	std::vector<std::string> failures() const
	{
		std::lock_guard lock(mutex_);
		return failures_;
	}
	/// Every request so far, in order.
	std::vector<HttpRequest> received() const
	{
		std::lock_guard lock(mutex_);
		return received_;
	}
	std::vector<HttpRequest> requests() const { return received(); }

private:
	/// Equal URLs, but for the order of the query parameters (recordings of
	/// different SDKs send GetRoleCredentials' two in either order).
	static bool sameUrl(const std::string &a, const std::string &b)
	{
		auto parts = [](const std::string &url) {
			auto q = url.find('?');
			std::vector<std::string> params;
			for (size_t at = q == std::string::npos ? url.size() : q + 1; at < url.size();) {
				auto amp = url.find('&', at);
				params.push_back(url.substr(at, amp == std::string::npos ? std::string::npos : amp - at));
				at = amp == std::string::npos ? url.size() : amp + 1;
			}
			std::sort(params.begin(), params.end());
			return std::make_pair(url.substr(0, q), params);
		};
		return parts(a) == parts(b);
	}

	HttpResponse mismatch(const std::string &what)
	{
		failures_.push_back(what);
		throw ReplayMismatch(what);
	}

	Handler handler_;
	mutable std::mutex mutex_;
	std::deque<ReplayExchange> script_;
	std::vector<std::string> failures_;
	std::vector<HttpRequest> received_;
};

/// The replay transport under the name the credential suites know.
using ReplayTransport = ScriptedTransport;

/// A JSON answer with \a status and \a extra headers.
inline HttpResponse jsonResponse(int status, std::string body, HttpHeaders extra = {})
{
	HttpResponse r;
	r.status = status;
	r.reason = status == 200 ? "OK" : "Error";
	r.headers = { { "Content-Type", "application/json" } };
	for (auto &h : extra)
		r.headers.push_back(std::move(h));
	r.body = std::move(body);
	return r;
}

} // namespace mwaatok::test

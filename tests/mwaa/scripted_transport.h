#pragma once

#include <functional>
#include <mutex>
#include <vector>

#include "mwaatok/http.h"

namespace mwaatok::test {

/// An HttpTransport that answers with a function and records every request.
class ScriptedTransport final : public HttpTransport {
public:
	using Handler = std::function<HttpResponse(const HttpRequest &, size_t index)>;

	explicit ScriptedTransport(Handler handler) : handler_(std::move(handler)) {}

	HttpResponse send(const HttpRequest &request) override
	{
		size_t index;
		{
			std::lock_guard lock(mutex_);
			index = requests_.size();
			requests_.push_back(request);
		}
		return handler_(request, index);
	}

	std::vector<HttpRequest> requests() const
	{
		std::lock_guard lock(mutex_);
		return requests_;
	}

private:
	Handler handler_;
	mutable std::mutex mutex_;
	std::vector<HttpRequest> requests_;
};

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

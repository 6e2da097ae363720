#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mwaatok {

struct HttpHeader {
	std::string name;
	std::string value;
};

using HttpHeaders = std::vector<HttpHeader>;

/// The first value of header \a name (case-insensitive), if any.
std::optional<std::string> findHeader(const HttpHeaders &headers, std::string_view name);

/// One request, exactly as it goes on the wire: the transport adds no header
/// that is not listed here except Content-Length (when there is a body) and
/// does not rewrite the ones that are.
struct HttpRequest {
	std::string method;
	std::string url; ///< absolute http:// or https:// URL, path and query already encoded
	HttpHeaders headers;
	std::string body;
	std::chrono::milliseconds connectTimeout{3100};
	std::chrono::milliseconds readTimeout{10000}; ///< the longest wait for any one byte
	/// The whole exchange (connecting, TLS, sending, every byte of the answer)
	/// ends by then, however the server drips its bytes; unset means no limit
	/// beyond the timeouts. A DeadlineScope on the sending thread also applies.
	std::optional<std::chrono::steady_clock::time_point> deadline;
};

/// While one lives, every request the thread sends through an HttpTransport
/// ends by \a deadline (nested scopes: the earliest wins). Lets a caller bound
/// work it does not see, such as the credential providers' HTTP calls.
class DeadlineScope {
public:
	explicit DeadlineScope(std::chrono::steady_clock::time_point deadline);
	~DeadlineScope();
	DeadlineScope(const DeadlineScope &) = delete;
	DeadlineScope &operator=(const DeadlineScope &) = delete;

	/// The deadline in force on this thread, if any.
	static std::optional<std::chrono::steady_clock::time_point> current();

private:
	std::optional<std::chrono::steady_clock::time_point> previous_;
};

struct HttpResponse {
	int status = 0;
	std::string reason;
	HttpHeaders headers;
	std::string body;

	std::optional<std::string> header(std::string_view name) const
	{
		return findHeader(headers, name);
	}
};

/// Sends HTTP requests. Implementations throw NetworkError when no complete
/// response could be read; any HTTP status is a response, not an error.
/// Implementations must be safe to call from several threads at once.
class HttpTransport {
public:
	virtual ~HttpTransport() = default;

	virtual HttpResponse send(const HttpRequest &request) = 0;
};

} // namespace mwaatok

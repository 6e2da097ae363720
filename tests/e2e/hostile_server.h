#pragma once

// A hostile HTTP/1.1 server on 127.0.0.1: it answers each request with raw
// bytes the test chooses (control characters in headers and bodies, huge
// messages), which a well-behaved server library would refuse to send. A thin
// layer over the suites' loopback server (tests/support).

#include "loopback_server.h"

#include <atomic>
#include <functional>
#include <string>

namespace mwaatok::e2e {

class HostileServer {
public:
	/// The raw response (status line, headers, body) for a request line
	/// such as "POST /webtoken/alpha".
	using Handler = std::function<std::string(const std::string &method, const std::string &path)>;

	explicit HostileServer(Handler handler);

	/// "http://127.0.0.1:PORT"
	std::string url() const { return server_.url(); }
	size_t requests() const { return requests_; }

	/// A complete response: \a status, \a headers (each "Name: value\r\n"), then \a body.
	static std::string response(int status, const std::string &headers, const std::string &body);

private:
	Handler handler_;
	std::atomic<size_t> requests_{0};
	testing::LoopbackServer server_; // last: its threads use the members above
};

} // namespace mwaatok::e2e

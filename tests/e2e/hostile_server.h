#pragma once

// A hostile HTTP/1.1 server on 127.0.0.1: it answers each request with raw
// bytes the test chooses (control characters in headers and bodies, huge
// messages), which a well-behaved server library would refuse to send.

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace mwaatok::e2e {

class HostileServer {
public:
	/// The raw response (status line, headers, body) for a request line
	/// such as "POST /webtoken/alpha".
	using Handler = std::function<std::string(const std::string &method, const std::string &path)>;

	explicit HostileServer(Handler handler);
	~HostileServer();
	HostileServer(const HostileServer &) = delete;
	HostileServer &operator=(const HostileServer &) = delete;

	/// "http://127.0.0.1:PORT"
	std::string url() const;
	size_t requests() const { return requests_; }

	/// A complete response: \a status, \a headers (each "Name: value\r\n"), then \a body.
	static std::string response(int status, const std::string &headers, const std::string &body);

private:
	void serve();

	Handler handler_;
	int fd_ = -1;
	int port_ = 0;
	std::atomic<size_t> requests_{0};
	std::atomic<bool> stopping_{false};
	std::thread thread_;
};

} // namespace mwaatok::e2e

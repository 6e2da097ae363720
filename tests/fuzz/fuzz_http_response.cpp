// libFuzzer target for the HTTP/1.1 response reader of PocoHttpTransport: a
// loopback server answers every request with the input bytes and closes the
// connection. Any input must give a response or a NetworkError.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>

#include "fuzz_support.h"
#include "mwaatok/error.h"
#include "mwaatok/poco_http_transport.h"

using namespace mwaatok;

namespace {

class OneShotServer {
public:
	OneShotServer()
	{
		listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
		sockaddr_in addr{};
		addr.sin_family = AF_INET;
		addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		socklen_t len = sizeof addr;
		if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr *>(&addr), len) != 0 ||
		    ::listen(listener_, 16) != 0 ||
		    ::getsockname(listener_, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
			fuzz::fail("http_response", std::string("cannot listen: ") + std::strerror(errno));
		port_ = ntohs(addr.sin_port);
		std::thread([this] { serve(); }).detach();
	}

	int port() const { return port_; }

	void answer(std::string bytes)
	{
		std::lock_guard lock(mutex_);
		answer_ = std::move(bytes);
	}

private:
	void serve()
	{
		for (;;) {
			int fd = ::accept(listener_, nullptr, nullptr);
			if (fd < 0)
				continue;
			// Read the request head; the client sends no body.
			std::string request;
			char buf[4096];
			while (request.find("\r\n\r\n") == std::string::npos) {
				ssize_t n = ::read(fd, buf, sizeof buf);
				if (n <= 0)
					break;
				request.append(buf, static_cast<size_t>(n));
			}
			std::string out;
			{
				std::lock_guard lock(mutex_);
				out = answer_;
			}
			const char *p = out.data();
			size_t left = out.size();
			while (left > 0) {
				ssize_t n = ::send(fd, p, left, MSG_NOSIGNAL);
				if (n <= 0)
					break;
				p += n;
				left -= static_cast<size_t>(n);
			}
			::shutdown(fd, SHUT_WR);
			::close(fd);
		}
	}

	int listener_ = -1;
	int port_ = 0;
	std::mutex mutex_;
	std::string answer_;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static OneShotServer server;
	static PocoHttpTransport transport([] {
		TransportConfig c;
		c.poolSize = 0; // every request on a new connection, so each gets this input
		c.maxResponseBytes = 1 << 20;
		return c;
	}());
	server.answer(std::string(fuzz::asText(data, size)));
	HttpRequest req;
	req.method = "GET";
	req.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/fuzz";
	req.headers = { { "Host", "127.0.0.1" } };
	req.connectTimeout = std::chrono::milliseconds(1000);
	req.readTimeout = std::chrono::milliseconds(1000);
	try {
		transport.send(req);
	} catch (const Error &) {
	}
	return 0;
}

#include "hostile_server.h"

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace mwaatok::e2e {

namespace {

/// Reads one request (headers and a Content-Length body); false at end of stream.
bool readRequest(int fd, std::string &method, std::string &path)
{
	std::string data;
	char buf[4096];
	size_t end;
	while ((end = data.find("\r\n\r\n")) == std::string::npos) {
		ssize_t n = ::read(fd, buf, sizeof buf);
		if (n <= 0)
			return false;
		data.append(buf, static_cast<size_t>(n));
	}
	size_t length = 0;
	std::string lower = data.substr(0, end);
	for (char &c : lower)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	if (size_t at = lower.find("\r\ncontent-length:"); at != std::string::npos)
		length = std::stoul(lower.substr(at + 17));
	while (data.size() < end + 4 + length) {
		ssize_t n = ::read(fd, buf, sizeof buf);
		if (n <= 0)
			return false;
		data.append(buf, static_cast<size_t>(n));
	}
	size_t sp1 = data.find(' ');
	size_t sp2 = data.find(' ', sp1 + 1);
	method = data.substr(0, sp1);
	path = data.substr(sp1 + 1, sp2 - sp1 - 1);
	return true;
}

void writeAll(int fd, const std::string &data)
{
	for (size_t done = 0; done < data.size();) {
		ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
		if (n <= 0)
			return;
		done += static_cast<size_t>(n);
	}
}

} // namespace

HostileServer::HostileServer(Handler handler) : handler_(std::move(handler))
{
	fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sockaddr_in addr{};
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof addr;
	if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
	    ::listen(fd_, 16) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
		throw std::runtime_error(std::string("hostile server: ") + std::strerror(errno));
	port_ = ntohs(addr.sin_port);
	thread_ = std::thread([this] { serve(); });
}

HostileServer::~HostileServer()
{
	stopping_ = true;
	::shutdown(fd_, SHUT_RDWR);
	thread_.join();
	::close(fd_);
}

std::string HostileServer::url() const
{
	return "http://127.0.0.1:" + std::to_string(port_);
}

std::string HostileServer::response(int status, const std::string &headers, const std::string &body)
{
	return "HTTP/1.1 " + std::to_string(status) + " Hostile\r\n" + headers +
	       "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

void HostileServer::serve()
{
	while (!stopping_) {
		int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
		if (client < 0) {
			if (stopping_ || (errno != EINTR && errno != ECONNABORTED))
				return;
			continue;
		}
		std::string method, path;
		if (readRequest(client, method, path)) {
			++requests_;
			writeAll(client, handler_(method, path));
		}
		::close(client);
	}
}

} // namespace mwaatok::e2e

#include "loopback_server.h"

#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <cctype>
#include <sys/socket.h>
#include <stdexcept>

namespace mwaatok::testing {

namespace {

std::string lowercase(std::string text)
{
	for (char &c : text)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return text;
}

std::string trim(const std::string &text)
{
	size_t b = text.find_first_not_of(" \t");
	if (b == std::string::npos)
		return "";
	return text.substr(b, text.find_last_not_of(" \t") - b + 1);
}

} // namespace

std::string readRequest(Poco::Net::StreamSocket &socket)
{
	std::string data;
	char c;
	while (data.find("\r\n\r\n") == std::string::npos) {
		if (socket.receiveBytes(&c, 1) <= 0)
			return data;
		data += c;
	}
	size_t length = 0;
	std::string lower = lowercase(data);
	auto pos = lower.find("\r\ncontent-length:");
	if (pos != std::string::npos)
		length = std::stoul(data.substr(pos + 17));
	std::string body(length, '\0');
	size_t got = 0;
	while (got < length) {
		int n = socket.receiveBytes(body.data() + got, static_cast<int>(length - got));
		if (n <= 0)
			break;
		got += static_cast<size_t>(n);
	}
	return data + body.substr(0, got);
}

std::string drain(Poco::Net::StreamSocket &socket)
{
	std::string data;
	char buffer[4096];
	try {
		for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;)
			data.append(buffer, static_cast<size_t>(n));
	} catch (...) {
	}
	return data;
}

void sendText(Poco::Net::StreamSocket &socket, const std::string &bytes)
{
	size_t sent = 0;
	while (sent < bytes.size()) {
		// MSG_NOSIGNAL: a client that has gone is an error here, not a SIGPIPE.
		int n = socket.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent), MSG_NOSIGNAL);
		if (n <= 0)
			throw std::runtime_error("send failed");
		sent += static_cast<size_t>(n);
	}
}

void Connection::record(const std::string &bytes)
{
	std::lock_guard lock(mutex_);
	record_ += bytes;
}

std::string Connection::readRequest()
{
	std::string request;
	try {
		request = testing::readRequest(socket_);
	} catch (...) {
		return "";
	}
	record(request);
	return request.find("\r\n\r\n") == std::string::npos ? std::string() : request;
}

std::string Connection::drain()
{
	std::string data = testing::drain(socket_);
	record(data);
	return data;
}

LoopbackServer::LoopbackServer(Handler handler, Poco::Net::Context::Ptr tls)
	: handler_(std::move(handler)), tls_(std::move(tls))
{
	listener_.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true);
	listener_.listen(64);
	port_ = listener_.address().port();
	acceptor_ = std::thread([this] { acceptLoop(); });
}

LoopbackServer::~LoopbackServer()
{
	stop_ = true;
	acceptor_.join();
	{
		std::lock_guard lock(mutex_);
		for (auto &s : open_) {
			try {
				s.shutdown();
			} catch (...) {
			}
		}
	}
	for (auto &t : threads_)
		t.join();
}

std::string LoopbackServer::url(const std::string &path) const
{
	return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<std::string> LoopbackServer::receivedPerConnection() const
{
	std::lock_guard lock(mutex_);
	std::vector<std::string> all;
	for (const auto &r : records_)
		all.push_back(*r);
	return all;
}

std::string LoopbackServer::received() const
{
	std::string all;
	for (const auto &r : receivedPerConnection())
		all += r;
	return all;
}

void LoopbackServer::acceptLoop()
{
	while (!stop_) {
		if (!listener_.poll(Poco::Timespan(0, 20000), Poco::Net::Socket::SELECT_READ))
			continue;
		Poco::Net::StreamSocket socket = listener_.acceptConnection();
		++connections_;
		// Handlers never hang a test for long: reads give up after a few seconds.
		socket.setReceiveTimeout(Poco::Timespan(5, 0));
		std::lock_guard lock(mutex_);
		open_.push_back(socket);
		records_.push_back(std::make_unique<std::string>());
		std::string *record = records_.back().get();
		threads_.emplace_back([this, socket, record]() mutable {
			try {
				if (tls_) {
					Poco::Net::StreamSocket secure = Poco::Net::SecureStreamSocket::attach(socket, tls_);
					Connection connection(secure, *record, mutex_);
					handler_(connection);
				} else {
					Connection connection(socket, *record, mutex_);
					handler_(connection);
				}
			} catch (...) {
				// The client hung up or rejected the handshake: the test checks the client side.
			}
			try {
				socket.close();
			} catch (...) {
			}
		});
	}
}

LoopbackServer::Handler keepAlive(std::function<std::string(const std::string &)> respond)
{
	return [respond](Connection &connection) {
		for (;;) {
			std::string request = connection.readRequest();
			if (request.empty())
				return;
			connection.send(respond(request));
		}
	};
}

LoopbackServer::Handler answerOnce(std::function<std::string(const std::string &)> respond)
{
	return [respond](Connection &connection) {
		std::string request = connection.readRequest();
		if (!request.empty())
			connection.send(respond(request));
	};
}

SeenRequest parseRequest(const std::string &raw)
{
	SeenRequest seen;
	size_t end = raw.find("\r\n\r\n");
	std::string head = raw.substr(0, end);
	if (end != std::string::npos)
		seen.body = raw.substr(end + 4);
	size_t lineEnd = head.find("\r\n");
	std::string requestLine = head.substr(0, lineEnd);
	size_t sp1 = requestLine.find(' ');
	size_t sp2 = requestLine.find(' ', sp1 == std::string::npos ? sp1 : sp1 + 1);
	seen.method = requestLine.substr(0, sp1);
	if (sp1 != std::string::npos)
		seen.path = requestLine.substr(sp1 + 1, sp2 == std::string::npos ? std::string::npos : sp2 - sp1 - 1);
	while (lineEnd != std::string::npos) {
		size_t next = head.find("\r\n", lineEnd + 2);
		std::string line = head.substr(lineEnd + 2, next == std::string::npos ? std::string::npos : next - lineEnd - 2);
		if (size_t colon = line.find(':'); colon != std::string::npos)
			seen.headers[lowercase(line.substr(0, colon))] = trim(line.substr(colon + 1));
		lineEnd = next;
	}
	return seen;
}

std::string rawReply(const Reply &reply)
{
	std::string reason =
		Poco::Net::HTTPResponse::getReasonForStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
	return "HTTP/1.1 " + std::to_string(reply.status) + " " + reason + "\r\nContent-Type: " + reply.contentType +
	       "\r\nContent-Length: " + std::to_string(reply.body.size()) + "\r\n\r\n" + reply.body;
}

HttpServer::HttpServer(Handler handler, Poco::Net::Context::Ptr tls)
	: handler_(std::move(handler)), server_(keepAlive([this](const std::string &raw) {
						  SeenRequest seen = parseRequest(raw);
						  {
							  std::lock_guard lock(mutex_);
							  requests_.push_back(seen);
						  }
						  return rawReply(handler_(seen));
					  }),
					  std::move(tls))
{
}

std::vector<SeenRequest> HttpServer::requests() const
{
	std::lock_guard lock(mutex_);
	return requests_;
}

size_t HttpServer::requestCount() const
{
	std::lock_guard lock(mutex_);
	return requests_.size();
}

} // namespace mwaatok::testing

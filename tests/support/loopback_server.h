#pragma once

// The one loopback server of the test suites: TCP on 127.0.0.1 with an
// ephemeral port, an optional TLS context, each accepted connection handled on
// its own thread, every byte received recorded. Small helpers on top cover the
// common cases: answering each HTTP request (parsed, header names lowercase)
// and answering with raw bytes the test chooses.

#include <Poco/Net/Context.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mwaatok::testing {

/// Raw request bytes (head and Content-Length body); empty on EOF before any byte.
std::string readRequest(Poco::Net::StreamSocket &socket);
/// Read until EOF or error; returns what was read.
std::string drain(Poco::Net::StreamSocket &socket);
/// Send all of \a bytes (throws when the peer is gone).
void sendText(Poco::Net::StreamSocket &socket, const std::string &bytes);

/// One accepted connection: reads through it are recorded.
class Connection {
public:
	Connection(Poco::Net::StreamSocket &socket, std::string &record, std::mutex &mutex)
		: socket_(socket), record_(record), mutex_(mutex)
	{
	}
	Poco::Net::StreamSocket &socket() { return socket_; }
	/// The next request (see readRequest); empty at end of stream.
	std::string readRequest();
	/// Everything until end of stream.
	std::string drain();
	void send(const std::string &bytes) { sendText(socket_, bytes); }

private:
	void record(const std::string &bytes);
	Poco::Net::StreamSocket &socket_;
	std::string &record_;
	std::mutex &mutex_;
};

/// A TCP server on 127.0.0.1 with an ephemeral port. Each accepted connection
/// runs the handler on its own thread (after a TLS handshake when a server
/// context is given). Open connections are shut down on destruction.
class LoopbackServer {
public:
	using Handler = std::function<void(Connection &)>;

	explicit LoopbackServer(Handler handler, Poco::Net::Context::Ptr tls = nullptr);
	~LoopbackServer();
	LoopbackServer(const LoopbackServer &) = delete;
	LoopbackServer &operator=(const LoopbackServer &) = delete;

	int port() const { return port_; }
	/// Connections accepted so far.
	int connections() const { return connections_.load(); }
	/// "http://127.0.0.1:PORT" (https with TLS) followed by \a path.
	std::string url(const std::string &path = "") const;
	/// The bytes each connection sent, in the order they were accepted.
	std::vector<std::string> receivedPerConnection() const;
	/// Every byte received, all connections together.
	std::string received() const;

private:
	void acceptLoop();

	Handler handler_;
	Poco::Net::Context::Ptr tls_;
	Poco::Net::ServerSocket listener_;
	int port_ = 0;
	std::atomic<bool> stop_{ false };
	std::atomic<int> connections_{ 0 };
	mutable std::mutex mutex_;
	std::vector<std::unique_ptr<std::string>> records_;
	std::vector<Poco::Net::StreamSocket> open_;
	std::vector<std::thread> threads_;
	std::thread acceptor_;
};

/// A handler answering every request of a connection with \a respond(raw request),
/// until the client closes it (keep-alive).
LoopbackServer::Handler keepAlive(std::function<std::string(const std::string &)> respond);
/// A handler answering the first request of a connection with \a respond(raw
/// request), then closing it.
LoopbackServer::Handler answerOnce(std::function<std::string(const std::string &)> respond);

/// One HTTP request as the server saw it (header names lowercase).
struct SeenRequest {
	std::string method;
	std::string path;
	std::map<std::string, std::string> headers;
	std::string body;

	bool has(const std::string &header) const { return headers.count(header) != 0; }
	std::string header(const std::string &name) const
	{
		auto it = headers.find(name);
		return it == headers.end() ? "" : it->second;
	}
};

/// Parses raw request bytes (see readRequest).
SeenRequest parseRequest(const std::string &raw);

/// What the HTTP server answers.
struct Reply {
	int status = 200;
	std::string body;
	std::string contentType = "text/plain";
};

/// The raw HTTP/1.1 response for \a reply (status line with its reason, Content-Type, Content-Length).
std::string rawReply(const Reply &reply);

/// An HTTP/1.1 server on the loopback server: answers each request with
/// \a handler (keep-alive) and records every request.
class HttpServer {
public:
	using Handler = std::function<Reply(const SeenRequest &)>;

	explicit HttpServer(Handler handler, Poco::Net::Context::Ptr tls = nullptr);

	int port() const { return server_.port(); }
	/// "http://127.0.0.1:PORT"
	std::string url() const { return server_.url(); }
	std::vector<SeenRequest> requests() const;
	size_t requestCount() const;

private:
	Handler handler_;
	mutable std::mutex mutex_;
	std::vector<SeenRequest> requests_;
	LoopbackServer server_; // last: its threads use the members above
};

} // namespace mwaatok::testing

#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include "mwaatok/error.h"
#include "mwaatok/http.h"

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace nettest {

/// A TCP server on 127.0.0.1 with an ephemeral port. Each accepted connection
/// runs the handler on its own thread (after a TLS handshake when a server
/// context is given). Open connections are shut down on destruction.
class TestServer {
public:
	using Handler = std::function<void(Poco::Net::StreamSocket &)>;

	explicit TestServer(Handler handler, Poco::Net::Context::Ptr tls = nullptr);
	~TestServer();

	int port() const { return port_; }
	/// Connections accepted so far.
	int connections() const { return connections_.load(); }
	std::string url(const std::string &path = "/") const;

private:
	void acceptLoop();

	Handler handler_;
	Poco::Net::Context::Ptr tls_;
	Poco::Net::ServerSocket listener_;
	int port_ = 0;
	std::atomic<bool> stop_{ false };
	std::atomic<int> connections_{ 0 };
	std::mutex mutex_;
	std::vector<Poco::Net::StreamSocket> open_;
	std::vector<std::thread> threads_;
	std::thread acceptor_;
};

/// Raw request bytes (head and Content-Length body); empty on EOF before any byte.
std::string readRequest(Poco::Net::StreamSocket &socket);
/// Read until EOF or error, discarding.
void drain(Poco::Net::StreamSocket &socket);
void sendText(Poco::Net::StreamSocket &socket, const std::string &text);
/// "HTTP/1.1 200 OK" with Content-Length, \a extraHeaders (full lines) and \a body.
std::string okResponse(const std::string &body, const std::string &extraHeaders = "");
/// A handler answering every request on a connection with \a respond(request).
TestServer::Handler keepAlive(std::function<std::string(const std::string &)> respond);

/// A GET of \a url with 2 s connect and read timeouts.
mwaatok::HttpRequest get(const std::string &url, mwaatok::HttpHeaders headers = {});
/// The NetworkError that sending \a request raises (a test failure when none).
mwaatok::NetworkError failureOf(mwaatok::HttpTransport &transport, const mwaatok::HttpRequest &request);
bool contains(const std::string &text, const std::string &part);

/// A throwaway CA in a temporary directory, made with the OpenSSL C API.
class TestCa {
public:
	TestCa();
	~TestCa();
	TestCa(const TestCa &) = delete;
	TestCa &operator=(const TestCa &) = delete;

	/// The PEM file holding the CA certificate.
	const std::string &caFile() const { return caFile_; }
	/// A server context presenting a certificate signed by this CA for
	/// \a subjectAltName (e.g. "DNS:localhost,IP:127.0.0.1").
	Poco::Net::Context::Ptr serverContext(const std::string &subjectAltName);
	/// A path inside the temporary directory.
	std::string path(const std::string &name) const { return dir_ + "/" + name; }

private:
	std::string dir_;
	std::string caFile_;
	void *caKey_ = nullptr;  // EVP_PKEY
	void *caCert_ = nullptr; // X509
	int serial_ = 1;
};

/// The process-wide test CA.
TestCa &testCa();

} // namespace nettest

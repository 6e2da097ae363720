#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/StreamSocket.h>

#include "mwaatok/error.h"
#include "mwaatok/http.h"

#include "loopback_server.h"

#include <functional>
#include <string>
#include <vector>

namespace nettest {

/// The suites' loopback server (tests/support) with handlers that work on the
/// raw socket, as the transport tests need (half-written replies, TLS, hangs).
class TestServer {
public:
	using Handler = std::function<void(Poco::Net::StreamSocket &)>;

	explicit TestServer(Handler handler, Poco::Net::Context::Ptr tls = nullptr)
		: server_([h = std::move(handler)](mwaatok::testing::Connection &c) { h(c.socket()); }, std::move(tls))
	{
	}

	int port() const { return server_.port(); }
	/// Connections accepted so far.
	int connections() const { return server_.connections(); }
	std::string url(const std::string &path = "/") const { return server_.url(path); }

private:
	mwaatok::testing::LoopbackServer server_;
};

using mwaatok::testing::readRequest;
using mwaatok::testing::sendText;
/// Read until EOF or error, discarding.
inline void drain(Poco::Net::StreamSocket &socket) { (void)mwaatok::testing::drain(socket); }
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

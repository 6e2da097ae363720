#include <boost/test/unit_test.hpp>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <mutex>
#include <thread>

#include "mwaatok/error.h"
#include "mwaatok/poco_http_transport.h"
#include "test_server.h"

using namespace mwaatok;
using namespace nettest;
using namespace std::chrono_literals;

namespace {

void copy(Poco::Net::StreamSocket &from, Poco::Net::StreamSocket &to)
{
	char buffer[4096];
	try {
		for (;;) {
			int n = from.receiveBytes(buffer, sizeof buffer);
			if (n <= 0)
				break;
			sendText(to, std::string(buffer, static_cast<size_t>(n)));
		}
	} catch (...) {
	}
	try {
		to.shutdownSend();
	} catch (...) {
	}
}

/// A loopback proxy that records each request head. CONNECT tunnels always
/// lead to 127.0.0.1:tunnelPort whatever host is asked for; other requests
/// are answered by the proxy itself, or with \a refusal when it is set.
class RecordingProxy {
public:
	explicit RecordingProxy(int tunnelPort = 0, std::string refusal = "")
		: tunnelPort_(tunnelPort), refusal_(std::move(refusal)),
		  server_([this](Poco::Net::StreamSocket &s) { handle(s); })
	{
	}

	std::vector<std::string> seen()
	{
		std::lock_guard lock(mutex_);
		return seen_;
	}
	int port() const { return server_.port(); }
	int connections() const { return server_.connections(); }

private:
	void handle(Poco::Net::StreamSocket &client)
	{
		std::string request = readRequest(client);
		{
			std::lock_guard lock(mutex_);
			seen_.push_back(request);
		}
		if (!refusal_.empty()) {
			sendText(client, refusal_);
			return;
		}
		if (request.rfind("CONNECT ", 0) != 0) {
			sendText(client, okResponse("from proxy"));
			return;
		}
		Poco::Net::StreamSocket upstream(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(tunnelPort_)));
		sendText(client, "HTTP/1.1 200 Connection established\r\n\r\n");
		std::thread back([&] { copy(upstream, client); });
		copy(client, upstream);
		back.join();
	}

	int tunnelPort_;
	std::string refusal_;
	std::mutex mutex_;
	std::vector<std::string> seen_;
	TestServer server_;
};

ProxyServer proxyAt(int port, const std::string &credentials = "")
{
	return ProxyServer::parse("http://" + credentials + "127.0.0.1:" + std::to_string(port), "HTTPS_PROXY");
}

} // namespace

BOOST_AUTO_TEST_SUITE(proxy)

BOOST_AUTO_TEST_CASE(http_goes_in_absolute_form)
{
	RecordingProxy proxy;
	TransportConfig config;
	config.httpProxy = proxyAt(proxy.port(), "user:pw@");
	PocoHttpTransport transport(config);
	auto response = transport.send(get("http://example.test:8080/path?q=1", { { "Host", "example.test:8080" } }));
	BOOST_TEST(response.body == "from proxy");
	auto seen = proxy.seen();
	BOOST_REQUIRE(seen.size() == 1u);
	BOOST_TEST(seen[0] == "GET http://example.test:8080/path?q=1 HTTP/1.1\r\nHost: example.test:8080\r\n"
			      "Proxy-Authorization: Basic dXNlcjpwdw==\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(https_goes_through_a_connect_tunnel)
{
	std::mutex mutex;
	std::string seenByServer;
	TestServer server(keepAlive([&](const std::string &request) {
		std::lock_guard lock(mutex);
		seenByServer = request;
		return okResponse("tunnelled");
	}),
			  testCa().serverContext("DNS:example.test"));
	RecordingProxy proxy(server.port());
	TransportConfig config;
	config.caBundle = testCa().caFile();
	config.httpsProxy = proxyAt(proxy.port(), "user:pw@");
	PocoHttpTransport transport(config);
	std::string authority = "example.test:" + std::to_string(server.port());
	for (int i = 0; i < 2; ++i)
		BOOST_TEST(transport.send(get("https://" + authority + "/p", { { "Host", authority } })).body == "tunnelled");
	auto seen = proxy.seen();
	BOOST_REQUIRE(seen.size() == 1u); // the tunnel is kept alive
	BOOST_TEST(seen[0] == "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority +
				      "\r\nProxy-Authorization: Basic dXNlcjpwdw==\r\n\r\n");
	std::lock_guard lock(mutex);
	BOOST_TEST(seenByServer == "GET /p HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(no_proxy_goes_direct)
{
	RecordingProxy proxy;
	TestServer server(keepAlive([](const std::string &) { return okResponse("direct"); }));
	TransportConfig config;
	config.httpProxy = proxyAt(proxy.port());
	config.noProxy = { "127.0.0.1" };
	PocoHttpTransport transport(config);
	BOOST_TEST(transport.send(get(server.url())).body == "direct");
	BOOST_TEST(server.connections() == 1);
	BOOST_TEST(proxy.connections() == 0);
}

BOOST_AUTO_TEST_CASE(proxy_refusals_hide_credentials)
{
	RecordingProxy proxy(0, "HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n");
	TransportConfig config;
	config.caBundle = testCa().caFile();
	config.httpsProxy = proxyAt(proxy.port(), "user:hunter2@");
	PocoHttpTransport transport(config);
	auto e = failureOf(transport, get("https://example.test/"));
	BOOST_TEST((e.failure() == NetworkFailure::Connect));
	BOOST_TEST(contains(e.what(), "status 407"));
	BOOST_TEST(contains(e.what(), "check the proxy credentials"));
	BOOST_TEST(contains(e.what(), "proxy 127.0.0.1:" + std::to_string(proxy.port())));
	BOOST_TEST(!contains(e.what(), "hunter2"));

	int closedPort;
	{
		Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
		closedPort = s.address().port();
	}
	config.httpsProxy = proxyAt(closedPort, "user:hunter2@");
	PocoHttpTransport unreachable(config);
	auto e2 = failureOf(unreachable, get("https://example.test/"));
	BOOST_TEST((e2.failure() == NetworkFailure::Connect));
	BOOST_TEST(contains(e2.what(), "proxy 127.0.0.1:" + std::to_string(closedPort) + " (for example.test:443)"));
	BOOST_TEST(!contains(e2.what(), "hunter2"));
}

BOOST_AUTO_TEST_SUITE_END()

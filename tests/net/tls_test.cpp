#include <boost/test/unit_test.hpp>

#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/SSLManager.h>

#include <fstream>
#include <mutex>

#include "mwaatok/error.h"
#include "mwaatok/poco_http_transport.h"
#include "test_server.h"

using namespace mwaatok;
using namespace nettest;
using namespace std::chrono_literals;

namespace {

TransportConfig withBundle()
{
	TransportConfig c;
	c.caBundle = testCa().caFile();
	return c;
}

std::string configErrorOf(const TransportConfig &config)
{
	try {
		PocoHttpTransport transport(config);
	} catch (const Error &e) {
		BOOST_TEST((e.kind() == ErrorKind::Config));
		return e.what();
	}
	BOOST_FAIL("expected an Error(Config)");
	return "";
}

} // namespace

BOOST_AUTO_TEST_SUITE(tls)

BOOST_AUTO_TEST_CASE(untrusted_without_the_bundle)
{
	TestServer server(keepAlive([](const std::string &) { return okResponse("secret"); }),
			  testCa().serverContext("DNS:localhost,IP:127.0.0.1"));
	PocoHttpTransport transport;
	auto e = failureOf(transport, get(server.url()));
	BOOST_TEST((e.failure() == NetworkFailure::Tls));
	BOOST_TEST(contains(e.what(), "the tls certificate of 127.0.0.1:" + std::to_string(server.port()) +
					      " is not trusted"));
	BOOST_TEST(contains(e.what(), "set AWS_CA_BUNDLE"));
}

BOOST_AUTO_TEST_CASE(trusted_with_the_bundle_and_kept_alive)
{
	TestServer server(keepAlive([](const std::string &) { return okResponse("secure"); }),
			  testCa().serverContext("DNS:localhost,IP:127.0.0.1"));
	PocoHttpTransport transport(withBundle());
	for (int i = 0; i < 3; ++i)
		BOOST_TEST(transport.send(get(server.url())).body == "secure");
	BOOST_TEST(server.connections() == 1);
}

BOOST_AUTO_TEST_CASE(wrong_host_name_rejected_even_with_the_bundle)
{
	TestServer server(keepAlive([](const std::string &) { return okResponse("secret"); }),
			  testCa().serverContext("DNS:wrong.test"));
	PocoHttpTransport transport(withBundle());
	auto e = failureOf(transport, get(server.url()));
	BOOST_TEST((e.failure() == NetworkFailure::Tls));
	BOOST_TEST(contains(e.what(), "is not valid for the name '127.0.0.1'"));

	// A name the certificate does not cover, reached through connect-to.
	TransportConfig config = withBundle();
	std::string port = std::to_string(server.port());
	config.connectTo.push_back(ConnectTo::parse("other.test:" + port + ":127.0.0.1:" + port));
	PocoHttpTransport mapped(config);
	auto e2 = failureOf(mapped, get("https://other.test:" + port + "/"));
	BOOST_TEST((e2.failure() == NetworkFailure::Tls));
	BOOST_TEST(contains(e2.what(), "is not valid for the name 'other.test'"));
}

BOOST_AUTO_TEST_CASE(connect_to_keeps_host_and_sni)
{
	std::mutex mutex;
	std::string seenHost;
	TestServer server(keepAlive([&](const std::string &request) {
		auto at = request.find("\r\nHost: ");
		std::lock_guard lock(mutex);
		seenHost = request.substr(at + 8, request.find("\r\n", at + 2) - at - 8);
		return okResponse("mapped");
	}),
			  testCa().serverContext("DNS:example.test"));
	std::string port = std::to_string(server.port());
	TransportConfig config = withBundle();
	config.connectTo.push_back(ConnectTo::parse("example.test:" + port + ":127.0.0.1:" + port));
	PocoHttpTransport transport(config);
	auto response = transport.send(get("https://example.test:" + port + "/"));
	BOOST_TEST(response.body == "mapped");
	std::lock_guard lock(mutex);
	BOOST_TEST(seenHost == "example.test:" + port);
}

BOOST_AUTO_TEST_CASE(silent_tls_server_times_out)
{
	TestServer server([](Poco::Net::StreamSocket &s) { drain(s); });
	PocoHttpTransport transport(withBundle());
	auto request = get("https://127.0.0.1:" + std::to_string(server.port()) + "/");
	request.connectTimeout = 300ms;
	auto e = failureOf(transport, request);
	BOOST_TEST((e.failure() == NetworkFailure::Timeout), e.what());
}

BOOST_AUTO_TEST_CASE(plain_http_server_on_https_is_tls_error)
{
	TestServer server([](Poco::Net::StreamSocket &s) {
		sendText(s, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
	});
	PocoHttpTransport transport(withBundle());
	auto e = failureOf(transport, get("https://127.0.0.1:" + std::to_string(server.port()) + "/"));
	BOOST_TEST((e.failure() == NetworkFailure::Tls), e.what());
}

BOOST_AUTO_TEST_CASE(bad_ca_bundles_are_config_errors)
{
	TransportConfig missing;
	missing.caBundle = testCa().path("missing.pem");
	std::string m = configErrorOf(missing);
	BOOST_TEST(contains(m, missing.caBundle));
	BOOST_TEST(contains(m, "AWS_CA_BUNDLE"));

	TransportConfig garbage;
	garbage.caBundle = testCa().path("garbage.pem");
	std::ofstream(garbage.caBundle) << "not a certificate\n";
	std::string g = configErrorOf(garbage);
	BOOST_TEST(contains(g, garbage.caBundle));
	BOOST_TEST(contains(g, "holds no PEM certificate"));

	TransportConfig directory;
	directory.caBundle = testCa().path("");
	BOOST_TEST(contains(configErrorOf(directory), "is a directory"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tls_global_state)

BOOST_AUTO_TEST_CASE(accept_all_handler_elsewhere_does_not_weaken_checks)
{
	// Some other code in the process tells Poco's SSLManager to accept any certificate.
	Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> acceptAll = new Poco::Net::AcceptCertificateHandler(false);
	Poco::Net::Context::Ptr lax = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_NONE);
	Poco::Net::SSLManager::instance().initializeClient(nullptr, acceptAll, lax);

	TestServer server(keepAlive([](const std::string &) { return okResponse("secret"); }),
			  testCa().serverContext("DNS:localhost,IP:127.0.0.1"));
	PocoHttpTransport transport;
	BOOST_TEST((failureOf(transport, get(server.url())).failure() == NetworkFailure::Tls));
}

BOOST_AUTO_TEST_SUITE_END()

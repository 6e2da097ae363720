// The transport's absolute deadline (a dripping server, endless interim
// answers, a stalled TLS handshake), SIGPIPE left alone, and response bytes
// that are not text.
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <thread>

#include "mwaatok/error.h"
#include "mwaatok/poco_http_transport.h"
#include "test_server.h"

using namespace mwaatok;
using namespace nettest;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

namespace {

/// Sends \a head, then one byte of \a drip every \a every until the client goes.
TestServer::Handler dripping(std::string head, std::string drip, std::chrono::milliseconds every)
{
	return [=](Poco::Net::StreamSocket &socket) {
		readRequest(socket);
		sendText(socket, head);
		for (int i = 0; i < 600; ++i) {
			sendText(socket, drip.substr(static_cast<size_t>(i) % drip.size(), 1));
			std::this_thread::sleep_for(every);
		}
	};
}

/// A request with generous timeouts: only its deadline can end it early.
HttpRequest slowRequest(const std::string &url)
{
	HttpRequest r = get(url);
	r.connectTimeout = 20s;
	r.readTimeout = 20s;
	return r;
}

/// SIGPIPE at its default action (death) while it lives, as in a program that never touched it.
struct DefaultSigpipe {
	DefaultSigpipe() { old = std::signal(SIGPIPE, SIG_DFL); }
	~DefaultSigpipe() { std::signal(SIGPIPE, old); }
	void (*old)(int);
};

} // namespace

BOOST_AUTO_TEST_SUITE(deadline)

BOOST_AUTO_TEST_CASE(a_server_dripping_bytes_is_cut_at_the_deadline)
{
	// One byte every 50 ms: the 20 s read timeout never fires.
	TestServer server(dripping("HTTP/1.1 200 OK\r\nX-Slow: ", "abcdefgh", 50ms));
	PocoHttpTransport transport;
	HttpRequest request = slowRequest(server.url());
	request.deadline = SteadyClock::now() + 600ms;
	auto start = SteadyClock::now();
	auto e = failureOf(transport, request);
	BOOST_TEST((e.failure() == NetworkFailure::Timeout), e.what());
	BOOST_TEST(contains(e.what(), "before the deadline"), e.what());
	BOOST_TEST((SteadyClock::now() - start < 10s)); // the drip alone would last 30 s
}

BOOST_AUTO_TEST_CASE(a_dripping_body_is_cut_too)
{
	TestServer server(dripping("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n", "x", 50ms));
	PocoHttpTransport transport;
	HttpRequest request = slowRequest(server.url());
	request.deadline = SteadyClock::now() + 500ms;
	BOOST_TEST((failureOf(transport, request).failure() == NetworkFailure::Timeout));
}

BOOST_AUTO_TEST_CASE(endless_interim_answers_end_at_the_deadline)
{
	TestServer server([](Poco::Net::StreamSocket &socket) {
		readRequest(socket);
		for (int i = 0; i < 300; ++i) {
			sendText(socket, "HTTP/1.1 100 Continue\r\n\r\n");
			std::this_thread::sleep_for(100ms);
		}
	});
	PocoHttpTransport transport;
	HttpRequest request = slowRequest(server.url());
	request.deadline = SteadyClock::now() + 700ms;
	BOOST_TEST((failureOf(transport, request).failure() == NetworkFailure::Timeout));
}

BOOST_AUTO_TEST_CASE(too_many_interim_answers_are_a_protocol_error)
{
	TestServer server([](Poco::Net::StreamSocket &socket) {
		readRequest(socket);
		for (int i = 0; i < 100; ++i)
			sendText(socket, "HTTP/1.1 100 Continue\r\n\r\n");
		sendText(socket, okResponse("late"));
	});
	PocoHttpTransport transport;
	auto e = failureOf(transport, get(server.url()));
	BOOST_TEST((e.failure() == NetworkFailure::Protocol), e.what());
	BOOST_TEST(contains(e.what(), "interim"));
}

BOOST_AUTO_TEST_CASE(a_deadline_scope_bounds_requests_that_carry_none)
{
	TestServer server(dripping("HTTP/1.1 200 OK\r\nX-Slow: ", "abc", 50ms));
	PocoHttpTransport transport;
	DeadlineScope outer(SteadyClock::now() + 30s);
	{
		DeadlineScope inner(SteadyClock::now() + 500ms); // the earlier one wins
		BOOST_TEST((failureOf(transport, slowRequest(server.url())).failure() == NetworkFailure::Timeout));
	}
	BOOST_TEST(DeadlineScope::current().has_value());
	BOOST_TEST((*DeadlineScope::current() - SteadyClock::now() > 20s));
}

BOOST_AUTO_TEST_CASE(a_past_deadline_sends_nothing)
{
	TestServer server(keepAlive([](const std::string &) { return okResponse("x"); }));
	PocoHttpTransport transport;
	HttpRequest request = get(server.url());
	request.deadline = SteadyClock::now() - 1ms;
	BOOST_TEST((failureOf(transport, request).failure() == NetworkFailure::Timeout));
	BOOST_TEST(server.connections() == 0);
}

BOOST_AUTO_TEST_CASE(a_stalled_tls_handshake_ends_at_the_deadline)
{
	// Accepts, then drips a TLS record header forever.
	TestServer server([](Poco::Net::StreamSocket &socket) {
		for (int i = 0; i < 300; ++i) {
			sendText(socket, std::string(1, i == 0 ? '\x16' : '\x03'));
			std::this_thread::sleep_for(50ms);
		}
	});
	PocoHttpTransport transport;
	HttpRequest request = slowRequest("https://127.0.0.1:" + std::to_string(server.port()) + "/");
	request.deadline = SteadyClock::now() + 600ms;
	auto start = SteadyClock::now();
	auto e = failureOf(transport, request);
	BOOST_TEST((e.failure() == NetworkFailure::Timeout), e.what());
	BOOST_TEST((SteadyClock::now() - start < 10s));
}

BOOST_AUTO_TEST_CASE(a_response_head_byte_0xff_is_a_byte_not_the_end)
{
	TestServer server(keepAlive([](const std::string &) { return okResponse("body", "X-Bin: a\xff" "b\r\n"); }));
	PocoHttpTransport transport;
	auto response = transport.send(get(server.url()));
	BOOST_TEST(response.status == 200);
	BOOST_TEST(response.header("X-Bin").value_or("") == "a\xff" "b");
	BOOST_TEST(response.body == "body");
	// A status line that starts right after 0xFF bytes is not a closed connection either.
	TestServer junk([](Poco::Net::StreamSocket &socket) {
		readRequest(socket);
		sendText(socket, "\xff\xff\r\n\r\n");
	});
	auto e = failureOf(transport, get(junk.url()));
	BOOST_TEST((e.failure() == NetworkFailure::Protocol), e.what());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(sigpipe)

BOOST_AUTO_TEST_CASE(writing_to_a_closed_connection_is_an_error_not_death)
{
	DefaultSigpipe dfl;
	// The server hangs up without reading: the client's large body meets EPIPE.
	TestServer plain([](Poco::Net::StreamSocket &socket) { socket.close(); });
	TestServer tls(
		[](Poco::Net::StreamSocket &socket) {
			char c;
			socket.receiveBytes(&c, 1); // after the handshake
			socket.close();
		},
		testCa().serverContext("DNS:localhost,IP:127.0.0.1"));
	TransportConfig config;
	config.caBundle = testCa().caFile();
	PocoHttpTransport transport(config);
	for (const std::string &url : { plain.url(), tls.url() }) {
		HttpRequest put = get(url);
		put.method = "PUT";
		put.body.assign(8 << 20, 'x');
		for (int i = 0; i < 3; ++i)
			BOOST_CHECK_THROW(transport.send(put), NetworkError);
	}
	sigset_t pending;
	sigpending(&pending);
	BOOST_TEST(sigismember(&pending, SIGPIPE) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

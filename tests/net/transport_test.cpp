#include <boost/test/unit_test.hpp>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "mwaatok/error.h"
#include "mwaatok/poco_http_transport.h"
#include "test_server.h"

using namespace mwaatok;
using namespace nettest;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(transport)

BOOST_AUTO_TEST_CASE(get_round_trip)
{
	TestServer server(keepAlive([](const std::string &) {
		return "HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-Amzn-RequestId: abc\r\nContent-Type: text/plain\r\n\r\nhello";
	}));
	PocoHttpTransport transport;
	auto response = transport.send(get(server.url("/x"), { { "Host", "127.0.0.1" } }));
	BOOST_TEST(response.status == 201);
	BOOST_TEST(response.reason == "Created");
	BOOST_TEST(response.body == "hello");
	BOOST_TEST(response.header("x-amzn-requestid").value() == "abc");
	BOOST_TEST(response.headers.size() == 3u);
}

BOOST_AUTO_TEST_CASE(exact_bytes_on_the_wire)
{
	std::mutex mutex;
	std::vector<std::string> seen;
	TestServer server(keepAlive([&](const std::string &request) {
		std::lock_guard lock(mutex);
		seen.push_back(request);
		return okResponse("{}");
	}));
	PocoHttpTransport transport;
	std::string host = "127.0.0.1:" + std::to_string(server.port());
	HttpRequest post = get(server.url("/webtoken/env?x=1"),
			       { { "host", host }, { "X-Amz-Date", "20240101T000000Z" }, { "Content-Type", "application/json" } });
	post.method = "POST";
	post.body = "{\"a\":1}";
	BOOST_TEST(transport.send(post).status == 200);
	HttpRequest emptyPost = get(server.url("/e"), { { "Host", host } });
	emptyPost.method = "POST";
	BOOST_TEST(transport.send(emptyPost).status == 200);
	BOOST_TEST(transport.send(get(server.url("/g"), { { "Host", "signed.example.test" } })).status == 200);

	std::lock_guard lock(mutex);
	BOOST_REQUIRE(seen.size() == 3u);
	BOOST_TEST(seen[0] == "POST /webtoken/env?x=1 HTTP/1.1\r\nhost: " + host +
				      "\r\nX-Amz-Date: 20240101T000000Z\r\nContent-Type: application/json\r\n"
				      "Content-Length: 7\r\n\r\n{\"a\":1}");
	BOOST_TEST(seen[1] == "POST /e HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 0\r\n\r\n");
	BOOST_TEST(seen[2] == "GET /g HTTP/1.1\r\nHost: signed.example.test\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(keep_alive_reuses_one_connection)
{
	TestServer server(keepAlive([](const std::string &) { return okResponse("ok"); }));
	PocoHttpTransport transport;
	for (int i = 0; i < 10; ++i)
		BOOST_TEST(transport.send(get(server.url())).body == "ok");
	BOOST_TEST(server.connections() == 1);
}

BOOST_AUTO_TEST_CASE(chunked_and_close_delimited_bodies)
{
	TestServer chunked(keepAlive([](const std::string &) {
		return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n";
	}));
	PocoHttpTransport transport;
	BOOST_TEST(transport.send(get(chunked.url())).body == "hello world");
	BOOST_TEST(transport.send(get(chunked.url())).body == "hello world");
	BOOST_TEST(chunked.connections() == 1);

	TestServer untilClose([](Poco::Net::StreamSocket &s) {
		readRequest(s);
		sendText(s, "HTTP/1.0 200 OK\r\n\r\nall of it");
	});
	BOOST_TEST(transport.send(get(untilClose.url())).body == "all of it");
	BOOST_TEST(transport.send(get(untilClose.url())).body == "all of it");
	BOOST_TEST(untilClose.connections() == 2);
}

BOOST_AUTO_TEST_CASE(parallel_sends)
{
	std::atomic<int> served{ 0 };
	TestServer server(keepAlive([&](const std::string &request) {
		++served;
		return okResponse(request.substr(0, request.find(' ', 4)));
	}));
	PocoHttpTransport transport;
	std::atomic<int> good{ 0 };
	std::vector<std::thread> threads;
	for (int t = 0; t < 8; ++t) {
		threads.emplace_back([&, t] {
			for (int i = 0; i < 20; ++i) {
				std::string path = "/t" + std::to_string(t) + "/" + std::to_string(i);
				try {
					if (transport.send(get(server.url(path))).body == "GET " + path)
						++good;
				} catch (...) {
				}
			}
		});
	}
	for (auto &t : threads)
		t.join();
	BOOST_TEST(good.load() == 160);
	BOOST_TEST(served.load() == 160);
	BOOST_TEST(server.connections() <= 8);
}

BOOST_AUTO_TEST_CASE(connection_refused)
{
	int port;
	{
		Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
		port = s.address().port();
	}
	PocoHttpTransport transport;
	auto e = failureOf(transport, get("http://127.0.0.1:" + std::to_string(port) + "/"));
	BOOST_TEST((e.failure() == NetworkFailure::Connect));
	BOOST_TEST(contains(e.what(), "cannot connect to 127.0.0.1:" + std::to_string(port)));
}

BOOST_AUTO_TEST_CASE(silent_server_times_out)
{
	TestServer server([](Poco::Net::StreamSocket &s) { drain(s); });
	PocoHttpTransport transport;
	auto request = get(server.url(), { { "Authorization", "AWS4-HMAC-SHA256 Credential=SECRETVALUE" } });
	request.readTimeout = 300ms;
	auto started = std::chrono::steady_clock::now();
	auto e = failureOf(transport, request);
	BOOST_TEST((e.failure() == NetworkFailure::Timeout));
	BOOST_TEST(std::string(e.what()) == "timed out waiting for a response from 127.0.0.1:" +
						     std::to_string(server.port()) + " after 300 ms");
	BOOST_TEST(!contains(e.what(), "SECRETVALUE"));
	// Did not hang (a generous bound, not a timing assertion).
	BOOST_TEST((std::chrono::steady_clock::now() - started < 10s));
}

BOOST_AUTO_TEST_CASE(close_mid_body_is_reset)
{
	TestServer fixed([](Poco::Net::StreamSocket &s) {
		readRequest(s);
		sendText(s, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b");
	});
	PocoHttpTransport transport;
	auto e = failureOf(transport, get(fixed.url()));
	BOOST_TEST((e.failure() == NetworkFailure::Reset));
	BOOST_TEST(contains(e.what(), "10 of 100 body bytes"));

	TestServer chunked([](Poco::Net::StreamSocket &s) {
		readRequest(s);
		sendText(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc");
	});
	BOOST_TEST((failureOf(transport, get(chunked.url())).failure() == NetworkFailure::Reset));

	TestServer noTerminator([](Poco::Net::StreamSocket &s) {
		readRequest(s);
		sendText(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
	});
	BOOST_TEST((failureOf(transport, get(noTerminator.url())).failure() == NetworkFailure::Reset));

	TestServer headOnly([](Poco::Net::StreamSocket &s) {
		readRequest(s);
		sendText(s, "HTTP/1.1 200 OK\r\nContent-Le");
	});
	BOOST_TEST((failureOf(transport, get(headOnly.url())).failure() == NetworkFailure::Reset));
}

BOOST_AUTO_TEST_CASE(malformed_responses_are_protocol_errors)
{
	const std::string answers[] = {
		"SSH-2.0-OpenSSH_9.2\r\n\r\n",
		"HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n",
		"HTTP/1.1 999 Odd\r\nContent-Length: 0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
		"HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n",
		std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15),
		"HTTP/1.1 200 OK\r\n" + std::string(20000, 'x') + "\r\n\r\n",
	};
	PocoHttpTransport transport;
	for (const auto &answer : answers) {
		TestServer server([&](Poco::Net::StreamSocket &s) {
			readRequest(s);
			sendText(s, answer);
			drain(s);
		});
		auto e = failureOf(transport, get(server.url()));
		BOOST_TEST((e.failure() == NetworkFailure::Protocol), answer.substr(0, 40) << ": " << e.what());
		BOOST_TEST(contains(e.what(), "127.0.0.1:" + std::to_string(server.port())));
	}
}

BOOST_AUTO_TEST_CASE(oversize_body_is_an_error)
{
	TransportConfig config;
	config.maxResponseBytes = 1000;
	PocoHttpTransport transport(config);
	TestServer fixed(keepAlive([](const std::string &) { return okResponse(std::string(1001, 'a')); }));
	auto e = failureOf(transport, get(fixed.url()));
	BOOST_TEST((e.failure() == NetworkFailure::Protocol));
	BOOST_TEST(contains(e.what(), "exceeds the limit of 1000 bytes"));
	TestServer exact(keepAlive([](const std::string &) { return okResponse(std::string(1000, 'a')); }));
	BOOST_TEST(transport.send(get(exact.url())).body.size() == 1000u);

	TestServer chunked([](Poco::Net::StreamSocket &s) {
		readRequest(s);
		std::string chunk = "190\r\n" + std::string(400, 'c') + "\r\n";
		sendText(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + chunk + "0\r\n\r\n");
		drain(s);
	});
	BOOST_TEST(contains(failureOf(transport, get(chunked.url())).what(), "exceeds the limit"));
	TestServer untilClose([](Poco::Net::StreamSocket &s) {
		readRequest(s);
		sendText(s, "HTTP/1.0 200 OK\r\n\r\n" + std::string(5000, 'u'));
	});
	BOOST_TEST(contains(failureOf(transport, get(untilClose.url())).what(), "exceeds the limit"));
}

BOOST_AUTO_TEST_CASE(stale_connection_is_retried_once)
{
	// The server answers one request per connection but says keep-alive, so
	// the pooled connection is dead when it is reused.
	TestServer closer([](Poco::Net::StreamSocket &s) {
		readRequest(s);
		sendText(s, okResponse("fresh"));
	});
	PocoHttpTransport transport;
	BOOST_TEST(transport.send(get(closer.url())).body == "fresh");
	std::this_thread::sleep_for(50ms); // let the close arrive
	BOOST_TEST(transport.send(get(closer.url())).body == "fresh");
	BOOST_TEST(closer.connections() == 2);

	// The server reads the second request on the reused connection and hangs up
	// without answering: the request is resent on a fresh connection.
	std::atomic<int> connection{ 0 };
	TestServer racer([&](Poco::Net::StreamSocket &s) {
		std::string name = "c" + std::to_string(++connection);
		readRequest(s);
		sendText(s, okResponse(name));
		if (name == "c1")
			readRequest(s); // and close without an answer
	});
	BOOST_TEST(transport.send(get(racer.url())).body == "c1");
	BOOST_TEST(transport.send(get(racer.url())).body == "c2");
	BOOST_TEST(racer.connections() == 2);
}

BOOST_AUTO_TEST_CASE(fresh_connection_is_never_retried)
{
	TestServer hangup([](Poco::Net::StreamSocket &s) { readRequest(s); });
	PocoHttpTransport transport;
	auto e = failureOf(transport, get(hangup.url()));
	BOOST_TEST((e.failure() == NetworkFailure::Reset));
	BOOST_TEST(hangup.connections() == 1);
}

BOOST_AUTO_TEST_SUITE_END()

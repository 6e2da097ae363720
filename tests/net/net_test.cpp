#define BOOST_TEST_MODULE net
#include <boost/test/unit_test.hpp>

#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>

#include "mwaatok/error.h"
#include "net/net_error.h"
#include "net/wire.h"

using namespace mwaatok;
using namespace std::chrono_literals;

namespace {

HttpRequest request(std::string method, HttpHeaders headers, std::string body = "")
{
	HttpRequest r;
	r.method = std::move(method);
	r.url = "http://example.test/";
	r.headers = std::move(headers);
	r.body = std::move(body);
	return r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(wire)

BOOST_AUTO_TEST_CASE(request_keeps_headers_as_given)
{
	auto r = request("GET", { { "host", "example.test" }, { "X-Amz-Date", "20240101T000000Z" } });
	BOOST_TEST(net::serializeRequest(r, "/a?b=c", "example.test", "") ==
		   "GET /a?b=c HTTP/1.1\r\nhost: example.test\r\nX-Amz-Date: 20240101T000000Z\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(host_from_authority_only_when_missing)
{
	auto r = request("GET", { { "Accept", "*/*" } });
	BOOST_TEST(net::serializeRequest(r, "/", "example.test:8080", "") ==
		   "GET / HTTP/1.1\r\nHost: example.test:8080\r\nAccept: */*\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(content_length_for_bodies_and_empty_posts)
{
	auto post = request("POST", { { "Host", "h" }, { "Content-Length", "999" } }, "{}");
	BOOST_TEST(net::serializeRequest(post, "/", "h", "") ==
		   "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}");
	auto empty = request("PUT", { { "Host", "h" } });
	BOOST_TEST(net::serializeRequest(empty, "/", "h", "") == "PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
	auto get = request("GET", { { "Host", "h" } });
	BOOST_TEST(net::serializeRequest(get, "/", "h", "X: y\r\n") == "GET / HTTP/1.1\r\nHost: h\r\nX: y\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(line_breaks_rejected_without_naming_the_value)
{
	auto r = request("GET", { { "Authorization", "secret\r\nX-Injected: 1" } });
	try {
		net::serializeRequest(r, "/", "h", "");
		BOOST_FAIL("expected an error");
	} catch (const Error &e) {
		BOOST_TEST((e.kind() == ErrorKind::Internal));
		BOOST_TEST(std::string(e.what()).find("Authorization") != std::string::npos);
		BOOST_TEST(std::string(e.what()).find("secret") == std::string::npos);
	}
	BOOST_CHECK_THROW(net::serializeRequest(request("GET", { { "Bad Name", "v" } }), "/", "h", ""), Error);
	BOOST_CHECK_THROW(net::serializeRequest(request("GE T", {}), "/", "h", ""), Error);
}

BOOST_AUTO_TEST_CASE(proxy_authorization_is_basic)
{
	BOOST_TEST(net::proxyAuthorizationLine("Aladdin", "open sesame") ==
		   "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n");
}

BOOST_AUTO_TEST_CASE(length_and_chunk_parsing)
{
	BOOST_TEST(net::parseContentLength("42").value() == 42u);
	BOOST_TEST(net::parseContentLength(" 0 ").value() == 0u);
	BOOST_TEST(!net::parseContentLength("-1"));
	BOOST_TEST(!net::parseContentLength("1e3"));
	BOOST_TEST(!net::parseContentLength(""));
	BOOST_TEST(!net::parseContentLength("99999999999999999999999"));
	BOOST_TEST(net::parseChunkSize("1a").value() == 26u);
	BOOST_TEST(net::parseChunkSize("FF;name=value").value() == 255u);
	BOOST_TEST(net::parseChunkSize("0").value() == 0u);
	BOOST_TEST(!net::parseChunkSize("zz"));
	BOOST_TEST(!net::parseChunkSize("0x10"));
	BOOST_TEST(!net::parseChunkSize(""));
	BOOST_TEST(!net::parseChunkSize("fffffffffffffffffffff"));
	BOOST_TEST(net::hasToken("keep-alive, Close", "close"));
	BOOST_TEST(!net::hasToken("closed", "close"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(errors)

NetworkFailure failureOf(const Poco::Exception &e, net::Phase phase)
{
	return net::translate(e, phase, "example.test:443", 300ms).failure();
}

BOOST_AUTO_TEST_CASE(poco_exceptions_map_to_failures)
{
	using namespace Poco::Net;
	using P = net::Phase;
	BOOST_TEST((failureOf(HostNotFoundException("x"), P::Connect) == NetworkFailure::Resolve));
	BOOST_TEST((failureOf(NoAddressFoundException("x"), P::Connect) == NetworkFailure::Resolve));
	BOOST_TEST((failureOf(ConnectionRefusedException("x"), P::Connect) == NetworkFailure::Connect));
	BOOST_TEST((failureOf(NetException("no route to host"), P::Connect) == NetworkFailure::Connect));
	BOOST_TEST((failureOf(Poco::TimeoutException("x"), P::Connect) == NetworkFailure::Timeout));
	BOOST_TEST((failureOf(Poco::TimeoutException("x"), P::Tls) == NetworkFailure::Timeout));
	BOOST_TEST((failureOf(Poco::TimeoutException("x"), P::Exchange) == NetworkFailure::Timeout));
	BOOST_TEST((failureOf(SSLException("x"), P::Tls) == NetworkFailure::Tls));
	BOOST_TEST((failureOf(ConnectionResetException("x"), P::Tls) == NetworkFailure::Tls));
	BOOST_TEST((failureOf(ConnectionResetException("x"), P::Exchange) == NetworkFailure::Reset));
	BOOST_TEST((failureOf(NoMessageException("x"), P::Exchange) == NetworkFailure::Reset));
	BOOST_TEST((failureOf(SSLConnectionUnexpectedlyClosedException("x"), P::Exchange) == NetworkFailure::Reset));
	BOOST_TEST((failureOf(MessageException("x"), P::Exchange) == NetworkFailure::Protocol));
	BOOST_TEST((failureOf(Poco::SyntaxException("x"), P::Exchange) == NetworkFailure::Protocol));
}

BOOST_AUTO_TEST_CASE(messages_name_the_endpoint)
{
	auto e = net::translate(Poco::TimeoutException("x"), net::Phase::Exchange, "example.test:443", 300ms);
	BOOST_TEST(std::string(e.what()) == "timed out waiting for a response from example.test:443 after 300 ms");
	BOOST_TEST((e.kind() == ErrorKind::Network));
}

BOOST_AUTO_TEST_CASE(only_io_failures_are_stale)
{
	BOOST_TEST(net::isStaleConnection(Poco::Net::ConnectionResetException("x")));
	BOOST_TEST(net::isStaleConnection(Poco::Net::NoMessageException("x")));
	BOOST_TEST(!net::isStaleConnection(Poco::TimeoutException("x")));
	BOOST_TEST(!net::isStaleConnection(Poco::SyntaxException("x")));
	BOOST_TEST(!net::isStaleConnection(Poco::Net::MessageException("x")));
}

BOOST_AUTO_TEST_SUITE_END()

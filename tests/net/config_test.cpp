#include <boost/test/unit_test.hpp>

#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/poco_http_transport.h"
#include "assertions.h"
#include "fakes.h"

using namespace mwaatok;

namespace {

using mwaatok::test::errorOf;

} // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(from_environment_reads_the_variables)
{
	MapEnvironment env({ { "AWS_CA_BUNDLE", "/etc/ca.pem" },
			     { "HTTPS_PROXY", "http://user:p%40ss@proxy.corp:3128" },
			     { "http_proxy", "plain.proxy:8080/" },
			     { "NO_PROXY", ".internal, localhost 10.0.0.0/8,," } });
	auto c = TransportConfig::fromEnvironment(env);
	BOOST_TEST(c.caBundle == "/etc/ca.pem");
	BOOST_REQUIRE(c.httpsProxy.has_value());
	BOOST_TEST(c.httpsProxy->host == "proxy.corp");
	BOOST_TEST(c.httpsProxy->port == 3128);
	BOOST_TEST(c.httpsProxy->username == "user");
	BOOST_TEST(c.httpsProxy->password == "p@ss");
	BOOST_TEST(c.httpsProxy->display() == "proxy.corp:3128");
	BOOST_REQUIRE(c.httpProxy.has_value());
	BOOST_TEST(c.httpProxy->host == "plain.proxy");
	BOOST_TEST(c.httpProxy->port == 8080);
	BOOST_TEST(c.httpProxy->username.empty());
	BOOST_TEST((c.noProxy == std::vector<std::string>{ ".internal", "localhost", "10.0.0.0/8" }));
	BOOST_TEST(c.maxResponseBytes == 16u * 1024 * 1024);
}

BOOST_AUTO_TEST_CASE(lowercase_wins_and_empty_means_unset)
{
	MapEnvironment env({ { "https_proxy", "http://lower:1" },
			     { "HTTPS_PROXY", "http://upper:2" },
			     { "http_proxy", "" },
			     { "HTTP_PROXY", "http://upper-http:3" },
			     { "AWS_CA_BUNDLE", "" },
			     { "no_proxy", "a.test" },
			     { "NO_PROXY", "b.test" } });
	auto c = TransportConfig::fromEnvironment(env);
	BOOST_TEST(c.httpsProxy->host == "lower");
	BOOST_TEST(c.httpProxy->host == "upper-http");
	BOOST_TEST(c.caBundle.empty());
	BOOST_TEST((c.noProxy == std::vector<std::string>{ "a.test" }));

	auto none = TransportConfig::fromEnvironment(MapEnvironment());
	BOOST_TEST(!none.httpsProxy.has_value());
	BOOST_TEST(!none.httpProxy.has_value());
	BOOST_TEST(none.noProxy.empty());
}

BOOST_AUTO_TEST_CASE(proxy_url_errors_hide_credentials)
{
	struct Case {
		const char *url;
		const char *expected;
	};
	const Case cases[] = {
		{ "http://user:hunter2@proxy:99999", "invalid proxy URL in HTTPS_PROXY ('http://***@proxy:99999'): invalid port '99999'" },
		{ "https://user:hunter2@proxy:443", "invalid proxy URL in HTTPS_PROXY ('https://***@proxy:443'): unsupported scheme 'https' (only http:// proxies are supported)" },
		{ "socks5://proxy:1080", "invalid proxy URL in HTTPS_PROXY ('socks5://proxy:1080'): unsupported scheme 'socks5' (only http:// proxies are supported)" },
		{ "http://:8080", "invalid proxy URL in HTTPS_PROXY ('http://:8080'): expected [http://][user:password@]host[:port]" },
		{ "http://pro xy:1", "invalid proxy URL in HTTPS_PROXY ('http://pro xy:1'): expected [http://][user:password@]host[:port]" },
	};
	for (const auto &c : cases) {
		MapEnvironment env;
		env.set("HTTPS_PROXY", c.url);
		std::string message = errorOf([&] { TransportConfig::fromEnvironment(env); });
		BOOST_TEST(message == c.expected);
		BOOST_TEST(message.find("hunter2") == std::string::npos);
	}
	// A password holding '#', '/' or '?' is never partly shown, and is taken whole.
	for (std::string password : { "hun#ter2", "hun/ter2", "hun?ter2", "h#u/n?t@er2" }) {
		MapEnvironment env;
		env.set("HTTPS_PROXY", "http://user:" + password + "@proxy:99999");
		std::string message = errorOf([&] { TransportConfig::fromEnvironment(env); });
		BOOST_TEST(message == "invalid proxy URL in HTTPS_PROXY ('http://***@proxy:99999'): invalid port '99999'");
		for (auto part : { "hun", "ter2", "er2" })
			BOOST_TEST(message.find(part) == std::string::npos, message);
		auto proxy = ProxyServer::parse("http://user:" + password + "@proxy:3128", "HTTPS_PROXY");
		BOOST_TEST(proxy.password == password);
		BOOST_TEST(proxy.host == "proxy");
	}
	try {
		ProxyServer::parse("http://p:0", "HTTP_PROXY");
		BOOST_FAIL("expected an error");
	} catch (const Error &e) {
		BOOST_TEST((e.kind() == ErrorKind::Config));
	}
	auto v6 = ProxyServer::parse("http://[::1]:3128", "HTTP_PROXY");
	BOOST_TEST(v6.host == "[::1]");
	BOOST_TEST(v6.port == 3128);
	BOOST_TEST(ProxyServer::parse("proxy", "HTTP_PROXY").port == 80);
}

BOOST_AUTO_TEST_CASE(no_proxy_follows_curl)
{
	TransportConfig c;
	c.noProxy = { ".internal.test", "example.com", "10.0.0.0/8", "192.168.1.5", "[::1]", "host.test:8080", "fd00::/8" };
	struct Case {
		const char *host;
		bool bypass;
	};
	const Case cases[] = {
		{ "internal.test", true },     { "a.internal.test", true },   { "a.b.internal.test", true },
		{ "notinternal.test", false }, { "example.com", true },       { "EXAMPLE.com", true },
		{ "www.example.com", true },   { "badexample.com", false },   { "example.com.evil", false },
		{ "10.1.2.3", true },          { "11.1.2.3", false },         { "192.168.1.5", true },
		{ "192.168.1.6", false },      { "[::1]", true },             { "[::2]", false },
		{ "host.test", true },         { "[fd12::1]", true },         { "example.com.", true },
	};
	for (const auto &k : cases)
		BOOST_TEST(c.bypassesProxy(k.host) == k.bypass, k.host);

	TransportConfig all;
	all.noProxy = { "*" };
	BOOST_TEST(all.bypassesProxy("anything.test"));
	TransportConfig none;
	BOOST_TEST(!none.bypassesProxy("anything.test"));
}

BOOST_AUTO_TEST_CASE(connect_to_parsing)
{
	auto c = ConnectTo::parse("example.test:443:127.0.0.1:8443");
	BOOST_TEST(c.host == "example.test");
	BOOST_TEST(c.port == 443);
	BOOST_TEST(c.toHost == "127.0.0.1");
	BOOST_TEST(c.toPort == 8443);
	BOOST_TEST(c.matches("example.test", 443));
	BOOST_TEST(!c.matches("example.test", 80));
	BOOST_TEST(!c.matches("other.test", 443));

	auto any = ConnectTo::parse("::[::1]:");
	BOOST_TEST(any.host.empty());
	BOOST_TEST(any.port == 0);
	BOOST_TEST(any.toHost == "[::1]");
	BOOST_TEST(any.toPort == 0);
	BOOST_TEST(any.matches("whatever.test", 1234));

	auto v6 = ConnectTo::parse("[2001:db8::1]:443:Backend.Test:");
	BOOST_TEST(v6.host == "[2001:db8::1]");
	BOOST_TEST(v6.toHost == "backend.test");

	struct Bad {
		const char *spec;
		const char *message;
	};
	const Bad bad[] = {
		{ "example.test:443:127.0.0.1", "invalid --connect-to 'example.test:443:127.0.0.1': expected HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT" },
		{ "a:443:b:99999", "invalid --connect-to 'a:443:b:99999': invalid port '99999'" },
		{ "a:http:b:1", "invalid --connect-to 'a:http:b:1': invalid port 'http'" },
		{ "a:1:b:2:3", "invalid --connect-to 'a:1:b:2:3': expected HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT" },
		{ "[::1:1:b:2", "invalid --connect-to '[::1:1:b:2': unterminated IPv6 address" },
		{ "a b:1:c:2", "invalid --connect-to 'a b:1:c:2': invalid host 'a b'" },
	};
	for (const auto &b : bad) {
		BOOST_TEST(errorOf([&] { ConnectTo::parse(b.spec); }) == b.message);
	}
	try {
		ConnectTo::parse("nonsense");
		BOOST_FAIL("expected an error");
	} catch (const Error &e) {
		BOOST_TEST((e.kind() == ErrorKind::Usage));
	}
}

BOOST_AUTO_TEST_SUITE_END()

// libFuzzer target for the small network parsers: proxy URLs (ProxyServer::parse),
// --connect-to mappings (ConnectTo::parse), NO_PROXY lists, and the wire helpers
// (Content-Length, chunk sizes, header tokens). Input: a mode on the first line
// (proxy, connect-to, no-proxy or wire; default proxy), the text after it.
#include <string>

#include "fuzz_support.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/poco_http_transport.h"
#include "net/wire.h"
#include "fakes.h"

using namespace mwaatok;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	std::string_view text = fuzz::asText(data, size);
	size_t nl = text.find('\n');
	std::string mode(text.substr(0, nl));
	std::string_view rest = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
	try {
		if (mode == "connect-to") {
			ConnectTo c = ConnectTo::parse(rest);
			c.matches("env.airflow.us-east-1.amazonaws.com", 443);
			c.matches(c.host, c.port);
		} else if (mode == "no-proxy") {
			MapEnvironment env;
			env.set("NO_PROXY", std::string(rest));
			env.set("HTTPS_PROXY", "http://proxy.example:3128");
			TransportConfig c = TransportConfig::fromEnvironment(env);
			for (const char *host : { "env.airflow.us-east-1.amazonaws.com", "127.0.0.1", "[::1]",
						  "10.1.2.3", "localhost", "example.com", "" })
				c.bypassesProxy(host);
		} else if (mode == "wire") {
			net::parseContentLength(rest);
			net::parseChunkSize(rest);
			net::hasToken(rest, "close");
			net::hasToken(rest, "");
		} else {
			ProxyServer p = ProxyServer::parse(rest, "HTTPS_PROXY");
			p.display();
		}
	} catch (const Error &) {
	}
	return 0;
}

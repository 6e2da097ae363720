// libFuzzer target for URL parsing (Url::parse), percent-encoding and the MWAA
// endpoint rules built on it. Checks that a parsed URL prints back to itself and
// that decoding undoes encoding.
#include <string>

#include "fuzz_support.h"
#include "mwaatok/error.h"
#include "mwaatok/mwaa_client.h"
#include "mwaatok/url.h"

using namespace mwaatok;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	std::string_view text = fuzz::asText(data, size);
	try {
		Url u = Url::parse(text);
		u.authority();
		u.target();
		u.hostIsIpLiteral();
		u.defaultPort();
		std::string printed = u.toString();
		Url again = Url::parse(printed);
		if (again.toString() != printed || again.scheme != u.scheme || again.host != u.host ||
		    again.port != u.port || again.path != u.path || again.query != u.query)
			fuzz::fail("url", "'" + printed + "' does not parse back to itself");
	} catch (const Error &) {
	}
	for (bool keepSlash : { false, true }) {
		std::string encoded = uriEncode(text, keepSlash);
		if (uriDecode(encoded) != text)
			fuzz::fail("url", "uriDecode(uriEncode(x)) != x");
	}
	uriDecode(text);
	for (auto prefix : { HostPrefix::Env, HostPrefix::Api }) {
		MwaaEndpointConfig c;
		c.region = "us-east-1";
		c.endpointUrl = std::string(text);
		try {
			mwaaEndpoint(c, prefix);
		} catch (const Error &) {
		}
		c.endpointUrl.reset();
		c.region = std::string(text);
		c.useDualStack = prefix == HostPrefix::Api;
		try {
			mwaaEndpoint(c, prefix);
		} catch (const Error &) {
		}
	}
	return 0;
}

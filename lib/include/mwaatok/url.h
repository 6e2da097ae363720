#pragma once

#include <string>
#include <string_view>

namespace mwaatok {

/// An absolute http(s) URL split into the parts a signer and a transport need.
/// Path and query are kept exactly as written (already percent-encoded).
struct Url {
	std::string scheme; ///< "http" or "https", lowercase
	std::string host;   ///< lowercase; an IPv6 literal keeps its brackets
	int port = 0;       ///< explicit or the scheme's default
	std::string path;   ///< "/" when the URL has none
	std::string query;  ///< without the '?'; empty when absent

	/// Parse \a text; throws Error(Usage) naming what is wrong.
	static Url parse(std::string_view text);

	bool defaultPort() const { return port == (scheme == "https" ? 443 : 80); }
	/// host, plus ":port" unless it is the scheme's default: the Host header value.
	std::string authority() const;
	/// path plus "?query" when there is one: the HTTP request target.
	std::string target() const;
	std::string toString() const;
	/// True when host is an IPv4 or IPv6 literal.
	bool hostIsIpLiteral() const;
};

/// RFC 3986 percent-encoding of everything but unreserved characters
/// (A-Z a-z 0-9 - _ . ~); with \a keepSlash, '/' is kept too.
std::string uriEncode(std::string_view s, bool keepSlash = false);
/// Decode %XX escapes (a malformed escape is kept as it is); '+' stays '+'.
std::string uriDecode(std::string_view s);

} // namespace mwaatok

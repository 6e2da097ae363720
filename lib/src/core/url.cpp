#include "mwaatok/url.h"

#include <arpa/inet.h>
#include <charconv>

#include "core/strings.h"
#include "mwaatok/error.h"

namespace mwaatok {

namespace {

bool isUnreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '~';
}

int hexValue(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

[[noreturn]] void bad(std::string_view text, const std::string &why)
{
	// Shown on one line: a control character (say a newline pasted into
	// the URL) must not break the message or reach the terminal.
	std::string shown(text);
	for (char &c : shown)
		if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
			c = '?';
	throw Error(ErrorKind::Usage, "invalid URL '" + shown + "': " + why);
}

} // namespace

std::string uriEncode(std::string_view s, bool keepSlash)
{
	static constexpr char digits[] = "0123456789ABCDEF";
	std::string out;
	out.reserve(s.size() + s.size() / 4);
	for (char ch : s) {
		auto c = static_cast<unsigned char>(ch);
		if (isUnreserved(c) || (keepSlash && c == '/')) {
			out += ch;
		} else {
			out += '%';
			out += digits[c >> 4];
			out += digits[c & 0xf];
		}
	}
	return out;
}

std::string uriDecode(std::string_view s)
{
	std::string out;
	out.reserve(s.size());
	for (size_t i = 0; i < s.size(); ++i) {
		if (s[i] == '%' && i + 2 < s.size()) {
			int hi = hexValue(s[i + 1]), lo = hexValue(s[i + 2]);
			if (hi >= 0 && lo >= 0) {
				out += static_cast<char>(hi * 16 + lo);
				i += 2;
				continue;
			}
		}
		out += s[i];
	}
	return out;
}

Url Url::parse(std::string_view text)
{
	Url u;
	auto schemeEnd = text.find("://");
	if (schemeEnd == std::string_view::npos)
		bad(text, "expected http:// or https://");
	u.scheme = toLower(text.substr(0, schemeEnd));
	if (u.scheme != "http" && u.scheme != "https")
		bad(text, "unsupported scheme '" + u.scheme + "' (expected http or https)");
	for (char c : text)
		if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
			bad(text, "contains a space or control character");

	std::string_view rest = text.substr(schemeEnd + 3);
	auto authEnd = rest.find_first_of("/?#");
	std::string_view authority = rest.substr(0, authEnd);
	std::string_view tail = authEnd == std::string_view::npos ? std::string_view{} : rest.substr(authEnd);
	if (authority.find('@') != std::string_view::npos)
		bad(text, "user information in URLs is not supported");

	std::string_view hostPart = authority, portPart;
	if (!authority.empty() && authority.front() == '[') {
		auto close = authority.find(']');
		if (close == std::string_view::npos)
			bad(text, "unterminated IPv6 address");
		hostPart = authority.substr(0, close + 1);
		std::string_view after = authority.substr(close + 1);
		if (!after.empty()) {
			if (after.front() != ':')
				bad(text, "unexpected text after IPv6 address");
			portPart = after.substr(1);
		}
		std::string inner(hostPart.substr(1, hostPart.size() - 2));
		unsigned char buf[16];
		if (inet_pton(AF_INET6, inner.c_str(), buf) != 1)
			bad(text, "invalid IPv6 address");
	} else {
		auto colon = authority.rfind(':');
		if (colon != std::string_view::npos) {
			hostPart = authority.substr(0, colon);
			portPart = authority.substr(colon + 1);
		}
		for (char c : hostPart) {
			auto uc = static_cast<unsigned char>(c);
			if (!(isUnreserved(uc) || uc >= 0x80))
				bad(text, "invalid character in host name");
		}
	}
	if (hostPart.empty())
		bad(text, "missing host");
	u.host = toLower(hostPart);

	if (!portPart.empty() || authority.find(':') != std::string_view::npos) {
		if (portPart.empty() && hostPart.front() != '[')
			bad(text, "empty port");
		if (!portPart.empty()) {
			int port = 0;
			auto [p, ec] = std::from_chars(portPart.data(), portPart.data() + portPart.size(), port);
			if (ec != std::errc() || p != portPart.data() + portPart.size() || port < 1 || port > 65535)
				bad(text, "invalid port '" + std::string(portPart) + "'");
			u.port = port;
		}
	}
	if (u.port == 0)
		u.port = u.scheme == "https" ? 443 : 80;

	auto hash = tail.find('#');
	if (hash != std::string_view::npos)
		tail = tail.substr(0, hash);
	auto q = tail.find('?');
	if (q != std::string_view::npos) {
		u.path = std::string(tail.substr(0, q));
		u.query = std::string(tail.substr(q + 1));
	} else {
		u.path = std::string(tail);
	}
	if (u.path.empty())
		u.path = "/";
	return u;
}

std::string Url::authority() const
{
	if (defaultPort())
		return host;
	return host + ":" + std::to_string(port);
}

std::string Url::target() const
{
	return query.empty() ? path : path + "?" + query;
}

std::string Url::toString() const
{
	return scheme + "://" + authority() + target();
}

bool Url::hostIsIpLiteral() const
{
	if (!host.empty() && host.front() == '[')
		return true;
	unsigned char buf[4];
	return inet_pton(AF_INET, host.c_str(), buf) == 1;
}

} // namespace mwaatok

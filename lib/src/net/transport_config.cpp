#include "mwaatok/poco_http_transport.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstring>

#include "core/strings.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/url.h"

namespace mwaatok {

namespace {

/// A port in 1..65535, or 0 when \a text is not one.
int parsePort(std::string_view text)
{
	int port = 0;
	auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
	if (text.empty() || ec != std::errc() || p != text.data() + text.size() || port < 1 || port > 65535)
		return 0;
	return port;
}

bool isHostChar(char c)
{
	auto uc = static_cast<unsigned char>(c);
	return std::isalnum(uc) || c == '-' || c == '.' || c == '_' || c == '~' || uc >= 0x80;
}

/// Split "host[:port]" or "[v6][:port]" at the port colon; the host keeps its brackets.
/// Returns false when an IPv6 bracket is unterminated or followed by junk.
bool splitHostPort(std::string_view text, std::string_view &host, std::string_view &port, bool &hasPort)
{
	hasPort = false;
	if (!text.empty() && text.front() == '[') {
		auto close = text.find(']');
		if (close == std::string_view::npos)
			return false;
		host = text.substr(0, close + 1);
		std::string_view after = text.substr(close + 1);
		if (after.empty())
			return true;
		if (after.front() != ':')
			return false;
		hasPort = true;
		port = after.substr(1);
		return true;
	}
	auto colon = text.rfind(':');
	if (colon == std::string_view::npos) {
		host = text;
		return true;
	}
	host = text.substr(0, colon);
	port = text.substr(colon + 1);
	hasPort = true;
	return true;
}

/// True when \a host (brackets allowed around IPv6) is a valid host name or IP literal.
bool validHost(std::string_view host)
{
	if (host.empty())
		return false;
	if (host.front() == '[') {
		std::string inner(host.substr(1, host.size() - 2));
		unsigned char buf[16];
		return host.back() == ']' && inet_pton(AF_INET6, inner.c_str(), buf) == 1;
	}
	for (char c : host)
		if (!isHostChar(c))
			return false;
	return true;
}

struct IpAddress {
	int family = 0; // AF_INET, AF_INET6, or 0 when not an address
	std::array<unsigned char, 16> bytes{};
};

IpAddress parseIp(std::string_view text)
{
	IpAddress ip;
	if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
		text = text.substr(1, text.size() - 2);
	std::string s(text);
	if (inet_pton(AF_INET, s.c_str(), ip.bytes.data()) == 1)
		ip.family = AF_INET;
	else if (inet_pton(AF_INET6, s.c_str(), ip.bytes.data()) == 1)
		ip.family = AF_INET6;
	return ip;
}

bool samePrefix(const IpAddress &a, const IpAddress &b, int bits)
{
	for (int i = 0; bits > 0; ++i, bits -= 8) {
		unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
		if ((a.bytes[i] & mask) != (b.bytes[i] & mask))
			return false;
	}
	return true;
}

/// Does NO_PROXY \a entry (already lowercase) cover \a host (lowercase, no brackets)?
bool noProxyEntryMatches(std::string_view entry, std::string_view host)
{
	if (entry == "*")
		return true;
	IpAddress hostIp = parseIp(host);
	auto slash = entry.find('/');
	if (slash != std::string_view::npos) {
		IpAddress net = parseIp(entry.substr(0, slash));
		int bits = parsePort(entry.substr(slash + 1)); // any small positive number
		int maxBits = net.family == AF_INET ? 32 : 128;
		if (net.family == 0 || hostIp.family != net.family || bits > maxBits)
			return false;
		return samePrefix(hostIp, net, bits);
	}
	IpAddress entryIp = parseIp(entry);
	if (entryIp.family != 0)
		return hostIp.family == entryIp.family && hostIp.bytes == entryIp.bytes;
	// A host name, perhaps with a port (which curl ignores) and a leading dot.
	auto colon = entry.find(':');
	if (colon != std::string_view::npos)
		entry = entry.substr(0, colon);
	while (!entry.empty() && entry.front() == '.')
		entry.remove_prefix(1);
	while (!entry.empty() && entry.back() == '.')
		entry.remove_suffix(1);
	if (entry.empty())
		return false;
	if (host == entry)
		return true;
	return host.size() > entry.size() && endsWith(host, entry) &&
	       host[host.size() - entry.size() - 1] == '.';
}

struct EnvValue {
	std::string_view name;
	std::string value;
};

/// The lowercase variable when set and non-empty, else the uppercase one (curl and requests).
std::optional<EnvValue> firstSet(const Environment &env, std::string_view lower, std::string_view upper)
{
	for (auto name : { lower, upper })
		if (auto v = env.getNonEmpty(name))
			return EnvValue{ name, *v };
	return std::nullopt;
}

} // namespace

ProxyServer ProxyServer::parse(std::string_view url, std::string_view variable)
{
	std::string_view text = trim(url);
	std::string_view rest = text;
	std::string scheme = "http";
	auto sep = rest.find("://");
	if (sep != std::string_view::npos) {
		scheme = toLower(rest.substr(0, sep));
		rest = rest.substr(sep + 3);
	}
	// Credentials end at the last '@', wherever it is: a password may hold '/',
	// '?' or '#', which must never decide what part of it an error shows.
	std::string_view userinfo;
	auto at = rest.rfind('@');
	if (at != std::string_view::npos) {
		userinfo = rest.substr(0, at);
		rest = rest.substr(at + 1);
	}
	std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
	// The message shows the URL without its credentials.
	std::string shown = scheme + "://" + (userinfo.empty() ? "" : "***@") + std::string(authority);
	auto bad = [&](const std::string &why) {
		return Error(ErrorKind::Config, "invalid proxy URL in " + std::string(variable) + " ('" +
							shown + "'): " + why);
	};
	if (scheme != "http")
		throw bad("unsupported scheme '" + scheme + "' (only http:// proxies are supported)");

	std::string_view host, port;
	bool hasPort = false;
	if (!splitHostPort(authority, host, port, hasPort) || !validHost(host))
		throw bad("expected [http://][user:password@]host[:port]");
	ProxyServer proxy;
	proxy.host = toLower(host);
	if (hasPort) {
		proxy.port = parsePort(port);
		if (proxy.port == 0)
			throw bad("invalid port '" + std::string(port) + "'");
	}
	if (!userinfo.empty()) {
		auto colon = userinfo.find(':');
		proxy.username = uriDecode(userinfo.substr(0, colon));
		if (colon != std::string_view::npos)
			proxy.password = uriDecode(userinfo.substr(colon + 1));
	}
	return proxy;
}

std::string ProxyServer::display() const
{
	return host + ":" + std::to_string(port);
}

ConnectTo ConnectTo::parse(std::string_view spec)
{
	auto bad = [&](const std::string &why) {
		return Error(ErrorKind::Usage, "invalid --connect-to '" + std::string(spec) + "': " + why);
	};
	std::string_view rest = spec;
	// Takes one ':'-terminated field (the last one runs to the end); a host
	// field may be a bracketed IPv6 literal, which contains colons itself.
	auto field = [&](bool last) -> std::string_view {
		size_t end;
		if (!rest.empty() && rest.front() == '[') {
			auto close = rest.find(']');
			if (close == std::string_view::npos)
				throw bad("unterminated IPv6 address");
			end = close + 1;
			if (end < rest.size() && rest[end] != ':')
				throw bad("unexpected text after IPv6 address");
		} else {
			end = last ? rest.size() : rest.find(':');
		}
		if (end == std::string_view::npos)
			throw bad("expected HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT");
		std::string_view f = rest.substr(0, end);
		rest = end < rest.size() ? rest.substr(end + 1) : std::string_view{};
		return f;
	};
	auto host = [&](std::string_view f) {
		if (!f.empty() && !validHost(f))
			throw bad("invalid host '" + std::string(f) + "'");
		return toLower(f);
	};
	auto port = [&](std::string_view f) {
		if (f.empty())
			return 0;
		int p = parsePort(f);
		if (p == 0)
			throw bad("invalid port '" + std::string(f) + "'");
		return p;
	};
	if (std::count(spec.begin(), spec.end(), ':') < 3)
		throw bad("expected HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT");
	ConnectTo c;
	c.host = host(field(false));
	c.port = port(field(false));
	c.toHost = host(field(false));
	std::string_view lastField = field(true);
	if (lastField.find(':') != std::string_view::npos)
		throw bad("expected HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT");
	c.toPort = port(lastField);
	return c;
}

bool ConnectTo::matches(std::string_view requestHost, int requestPort) const
{
	return (host.empty() || iequals(host, requestHost)) && (port == 0 || port == requestPort);
}

TransportConfig TransportConfig::fromEnvironment(const Environment &env)
{
	TransportConfig config;
	config.useCaBundle(env.getNonEmpty("AWS_CA_BUNDLE"), "AWS_CA_BUNDLE");
	config.systemCertDir = env.getNonEmpty("SSL_CERT_DIR").value_or("");
	config.systemCertFile = env.getNonEmpty("SSL_CERT_FILE").value_or("");
	if (auto v = firstSet(env, "https_proxy", "HTTPS_PROXY"))
		config.httpsProxy = ProxyServer::parse(v->value, v->name);
	if (auto v = firstSet(env, "http_proxy", "HTTP_PROXY"))
		config.httpProxy = ProxyServer::parse(v->value, v->name);
	if (auto v = firstSet(env, "no_proxy", "NO_PROXY")) {
		std::string list = v->value;
		for (char &c : list)
			if (c == ' ' || c == '\t')
				c = ',';
		for (auto entry : split(list, ','))
			if (!trim(entry).empty())
				config.noProxy.push_back(toLower(trim(entry)));
	}
	return config;
}

void TransportConfig::useCaBundle(const std::optional<std::string> &path, std::string source)
{
	if (!path || path->empty())
		return;
	caBundle = *path;
	caBundleSource = std::move(source);
}

bool TransportConfig::bypassesProxy(std::string_view host) const
{
	std::string h = toLower(host);
	if (h.size() >= 2 && h.front() == '[' && h.back() == ']')
		h = h.substr(1, h.size() - 2);
	while (!h.empty() && h.back() == '.')
		h.pop_back();
	for (const auto &entry : noProxy)
		if (noProxyEntryMatches(entry, h))
			return true;
	return false;
}

} // namespace mwaatok

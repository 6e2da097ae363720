#include "net/route.h"

#include <Poco/Net/DNS.h>
#include <Poco/Net/HostEntry.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>

#include <memory>
#include <vector>

#include "core/strings.h"
#include "mwaatok/error.h"
#include "net/connection_pool.h"
#include "net/wire.h"

namespace mwaatok::net {

namespace {

// Longest answer to CONNECT accepted.
constexpr size_t maxConnectAnswer = 16 * 1024;

} // namespace

std::string stripBrackets(const std::string &host)
{
	if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
		return host.substr(1, host.size() - 2);
	return host;
}

Route Route::of(const std::string &urlText, const TransportConfig &config)
{
	Route r;
	r.url = Url::parse(urlText);
	r.tls = r.url.scheme == "https";
	r.where = r.url.host + ":" + std::to_string(r.url.port);
	r.key = r.url.scheme + "://" + r.where;
	const auto &proxy = r.tls ? config.httpsProxy : config.httpProxy;
	if (proxy && !config.bypassesProxy(r.url.host)) {
		r.proxy = &*proxy;
		r.connectHost = proxy->host;
		r.connectPort = proxy->port;
		r.connectWhere = "proxy " + proxy->display() + " (for " + r.where + ")";
		return r;
	}
	r.connectHost = r.url.host;
	r.connectPort = r.url.port;
	for (const auto &mapping : config.connectTo) {
		if (!mapping.matches(r.url.host, r.url.port))
			continue;
		if (!mapping.toHost.empty())
			r.connectHost = mapping.toHost;
		if (mapping.toPort != 0)
			r.connectPort = mapping.toPort;
		break;
	}
	r.connectWhere = r.connectHost == r.url.host && r.connectPort == r.url.port
				 ? r.where
				 : r.where + " (connecting to " + r.connectHost + ":" + std::to_string(r.connectPort) + ")";
	return r;
}

Poco::Net::StreamSocket connectTcp(const Route &r, std::chrono::milliseconds timeout)
{
	std::string host = stripBrackets(r.connectHost);
	std::vector<Poco::Net::IPAddress> addresses;
	Poco::Net::IPAddress ip;
	if (Poco::Net::IPAddress::tryParse(host, ip))
		addresses.push_back(ip);
	else
		addresses = Poco::Net::DNS::hostByName(host).addresses();
	if (addresses.empty())
		throw Poco::Net::NoAddressFoundException(host);
	std::unique_ptr<Poco::Exception> last;
	for (const auto &address : addresses) {
		try {
			Poco::Net::StreamSocket socket;
			socket.connect(Poco::Net::SocketAddress(address, static_cast<Poco::UInt16>(r.connectPort)),
				       Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(timeout.count()) * 1000));
			socket.setNoDelay(true);
			return socket;
		} catch (const Poco::TimeoutException &) {
			throw;
		} catch (const Poco::Exception &e) {
			last.reset(e.clone());
		}
	}
	last->rethrow();
	throw Poco::Net::NoAddressFoundException(host); // not reached
}

void openTunnel(Poco::Net::StreamSocket &socket, const Route &r)
{
	std::string target = r.url.host + ":" + std::to_string(r.url.port);
	std::string request = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n";
	if (!r.proxy->username.empty())
		request += proxyAuthorizationLine(r.proxy->username, r.proxy->password);
	request += "\r\n";
	sendAll(socket, request);
	// Byte by byte: nothing past the proxy's answer may be consumed, it
	// belongs to the TLS handshake.
	std::string head;
	while (head.find("\r\n\r\n") == std::string::npos && head.find("\n\n") == std::string::npos) {
		char c;
		if (socket.receiveBytes(&c, 1) <= 0)
			throw Poco::Net::NoMessageException("the proxy closed the connection");
		head += c;
		if (head.size() > maxConnectAnswer)
			throw NetworkError(NetworkFailure::Protocol,
					   "invalid answer from " + r.connectWhere + " to CONNECT: too long");
	}
	std::string_view statusLine(head.data(), head.find_first_of("\r\n"));
	auto parts = split(statusLine, ' ');
	if (parts.size() < 2 || parts[0].rfind("HTTP/1.", 0) != 0)
		throw NetworkError(NetworkFailure::Protocol, "invalid answer from " + r.connectWhere + " to CONNECT");
	if (parts[1].size() != 3 || parts[1][0] != '2') {
		std::string hint = parts[1] == "407" ? "; check the proxy credentials in HTTPS_PROXY"
						     : "; check HTTPS_PROXY and NO_PROXY";
		throw NetworkError(NetworkFailure::Connect, "the " + r.connectWhere + " refused to open a tunnel (status " +
								    std::string(parts[1]) + ")" + hint);
	}
}

} // namespace mwaatok::net

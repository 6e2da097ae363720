#pragma once

#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <string>

#include "mwaatok/poco_http_transport.h"
#include "mwaatok/url.h"

namespace mwaatok::net {

/// How one request travels: straight to its host (or a connect-to target), or through a proxy.
struct Route {
	Url url;
	std::string where;       ///< "host:port" of the URL, for messages
	std::string connectHost; ///< the TCP peer: the host, its connect-to target or the proxy
	int connectPort = 0;
	std::string connectWhere; ///< the TCP peer for messages
	const ProxyServer *proxy = nullptr;
	bool tls = false;
	std::string key; ///< pool key

	/// The route of \a url under \a config (proxies, NO_PROXY, connect-to).
	static Route of(const std::string &url, const TransportConfig &config);
};

/// "[::1]" -> "::1"; anything else as it is.
std::string stripBrackets(const std::string &host);

/// A TCP connection to the route's peer, trying each resolved address.
Poco::Net::StreamSocket connectTcp(const Route &r, std::chrono::milliseconds timeout);

/// Ask the route's proxy to open a tunnel to the route's host (HTTP CONNECT).
void openTunnel(Poco::Net::StreamSocket &socket, const Route &r);

} // namespace mwaatok::net

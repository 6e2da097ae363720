#pragma once

// The connections of the Poco transport: kept alive in a pool, a response read
// off one by its framing, and a tunnel through a proxy.

#include <Poco/Net/HTTPSession.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "mwaatok/http.h"
#include "mwaatok/poco_http_transport.h"
#include "mwaatok/url.h"

namespace mwaatok::net {

using SteadyClock = std::chrono::steady_clock;

// Longest response head line and whole head accepted.
constexpr size_t maxLineBytes = 16 * 1024;
constexpr size_t maxHeadBytes = 256 * 1024;
// A pooled connection idle for longer is closed rather than reused: servers
// and load balancers drop idle connections (AWS ELBs after 60 s).
constexpr auto maxIdle = std::chrono::seconds(30);

// HTTPClientSession adds a Host header of its own, rewrites targets for
// proxies and silently reconnects after a failed write. This transport needs
// the bytes on the wire to be exactly its own and decides about retries
// itself, so it uses the plain HTTPSession for Poco's buffered socket reads.
class Connection final : public Poco::Net::HTTPSession {
public:
	explicit Connection(const Poco::Net::StreamSocket &socket) : HTTPSession(socket, true) {}

	using HTTPSession::buffered;
	using HTTPSession::get;
	using HTTPSession::peek;
	using HTTPSession::read;

	SteadyClock::time_point idleSince;
};

/// Keep-alive connections by endpoint; each is used by one thread at a time.
class ConnectionPool {
public:
	explicit ConnectionPool(size_t perEndpoint) : perEndpoint_(perEndpoint) {}

	/// An idle connection to \a key that still looks open, if any.
	std::unique_ptr<Connection> take(const std::string &key)
	{
		for (;;) {
			std::unique_ptr<Connection> conn;
			{
				std::lock_guard lock(mutex_);
				auto it = idle_.find(key);
				if (it == idle_.end() || it->second.empty())
					return nullptr;
				conn = std::move(it->second.back());
				it->second.pop_back();
			}
			if (SteadyClock::now() - conn->idleSince <= maxIdle && !closedByPeer(*conn))
				return conn;
		}
	}

	void clear()
	{
		std::lock_guard lock(mutex_);
		idle_.clear();
	}

	void put(const std::string &key, std::unique_ptr<Connection> conn)
	{
		conn->idleSince = SteadyClock::now();
		std::lock_guard lock(mutex_);
		auto &list = idle_[key];
		if (list.size() < perEndpoint_)
			list.push_back(std::move(conn));
	}

private:
	// An idle HTTP connection has nothing to read: readable means the server
	// closed it (or sent junk), so it is not worth a request.
	static bool closedByPeer(Connection &conn)
	{
		try {
			return conn.buffered() > 0 ||
			       conn.socket().poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ |
									Poco::Net::Socket::SELECT_ERROR);
		} catch (const Poco::Exception &) {
			return true;
		}
	}

	size_t perEndpoint_;
	std::mutex mutex_;
	std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle_;
};

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
};

/// Write all of \a data to \a socket.
void sendAll(Poco::Net::StreamSocket &socket, std::string_view data);

/// Read one response from \a conn: head, then body by its framing (none for
/// a HEAD request); \a reusable says whether the connection may serve another.
/// Poco exceptions pass through; HTTP-level problems throw NetworkError.
HttpResponse readResponse(Connection &conn, const std::string &where, size_t maxBody, bool headRequest,
			  bool &reusable);

/// Ask the proxy on \a socket to open a tunnel to the route's host (HTTP CONNECT).
void openTunnel(Poco::Net::StreamSocket &socket, const Route &r);

} // namespace mwaatok::net

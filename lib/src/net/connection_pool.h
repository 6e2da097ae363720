#pragma once

#include <Poco/Net/HTTPSession.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/sigpipe.h"

namespace mwaatok::net {

class DeadlineTicket;

/// One HTTP/1.1 connection (plain or TLS) with Poco's buffered reads.
/// HTTPClientSession adds a Host header of its own, rewrites targets for
/// proxies and silently reconnects after a failed write. This transport needs
/// the bytes on the wire to be exactly its own and decides about retries
/// itself, so it uses the plain HTTPSession.
class Connection final : public Poco::Net::HTTPSession {
public:
	explicit Connection(const Poco::Net::StreamSocket &socket) : HTTPSession(socket, true) {}
	~Connection() override;

	using HTTPSession::buffered;
	using HTTPSession::peek;
	using HTTPSession::read;

	/// Let \a ticket cut this connection at its deadline; nullptr stops that.
	/// A watched connection tells the watch before its socket is closed.
	void watchedBy(DeadlineTicket *ticket);

	/// All of \a data, or a Poco exception. Plain sockets send with
	/// MSG_NOSIGNAL; every write of the transport runs under a SigpipeBlock.
	void sendAll(std::string_view data);

	std::chrono::steady_clock::time_point idleSince;

private:
	DeadlineTicket *watch_ = nullptr;
};

/// All of \a data on \a socket (MSG_NOSIGNAL), or a Poco exception.
void sendAll(Poco::Net::StreamSocket &socket, std::string_view data);

/// Keep-alive connections by endpoint; each is used by one thread at a time.
/// Idle connections to any number of endpoints, at most perEndpoint each and
/// kMaxIdleTotal in all: a run over many web servers (api --via session, one
/// host per environment) would otherwise keep a TLS connection to every host it
/// reached. Over the cap, the connection idle the longest is closed, so the
/// MWAA API's connections stay pooled next to many one-off web servers.
class ConnectionPool {
public:
	static constexpr size_t maxIdleTotal = 128;

	explicit ConnectionPool(size_t perEndpoint) : perEndpoint_(perEndpoint) {}

	/// An idle connection to \a key that still looks open, if any.
	std::unique_ptr<Connection> take(const std::string &key);
	void put(const std::string &key, std::unique_ptr<Connection> conn);
	void clear();

private:
	/// Close the connection idle the longest (the front of its list), under mutex_.
	void dropOldest();

	size_t perEndpoint_;
	std::mutex mutex_;
	std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle_;
	size_t idleTotal_ = 0; ///< connections in idle_, all keys
};

} // namespace mwaatok::net

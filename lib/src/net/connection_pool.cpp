#include "net/connection_pool.h"

#include <Poco/Net/NetException.h>
#include <sys/socket.h>

#include <algorithm>
#include <ctime>

#include "net/deadline.h"

namespace mwaatok::net {

namespace {

// A pooled connection idle for longer is closed rather than reused: servers
// and load balancers drop idle connections (AWS ELBs after 60 s).
constexpr auto maxIdle = std::chrono::seconds(30);

// An idle HTTP connection has nothing to read: readable means the server
// closed it (or sent junk), so it is not worth a request.
bool closedByPeer(Connection &conn)
{
	try {
		return conn.buffered() > 0 ||
		       conn.socket().poll(Poco::Timespan(0),
					  Poco::Net::Socket::SELECT_READ | Poco::Net::Socket::SELECT_ERROR);
	} catch (const Poco::Exception &) {
		return true;
	}
}

} // namespace

Connection::~Connection()
{
	watchedBy(nullptr);
}

void Connection::watchedBy(DeadlineTicket *ticket)
{
	if (watch_)
		watch_->unwatch();
	watch_ = ticket;
	if (watch_)
		watch_->watch(socket().impl()->sockfd());
}

void Connection::sendAll(std::string_view data)
{
	// A TLS socket ignores the flags: OpenSSL writes, under the caller's SigpipeBlock.
	net::sendAll(socket(), data);
}

void sendAll(Poco::Net::StreamSocket &socket, std::string_view data)
{
	while (!data.empty()) {
		int n = socket.sendBytes(data.data(), static_cast<int>(std::min<size_t>(data.size(), 1 << 30)),
					 MSG_NOSIGNAL);
		if (n <= 0)
			throw Poco::Net::ConnectionResetException("send returned no progress");
		data.remove_prefix(static_cast<size_t>(n));
	}
}

std::unique_ptr<Connection> ConnectionPool::take(const std::string &key)
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
			--idleTotal_;
		}
		if (std::chrono::steady_clock::now() - conn->idleSince <= maxIdle && !closedByPeer(*conn))
			return conn;
	}
}

void ConnectionPool::put(const std::string &key, std::unique_ptr<Connection> conn)
{
	conn->watchedBy(nullptr);
	conn->idleSince = std::chrono::steady_clock::now();
	std::lock_guard lock(mutex_);
	auto &list = idle_[key];
	if (list.size() >= perEndpoint_)
		return;
	list.push_back(std::move(conn));
	if (++idleTotal_ > maxIdleTotal)
		dropOldest();
}

void ConnectionPool::dropOldest()
{
	auto oldest = idle_.end();
	for (auto it = idle_.begin(); it != idle_.end();) {
		if (it->second.empty()) {
			it = idle_.erase(it);
			continue;
		}
		if (oldest == idle_.end() || it->second.front()->idleSince < oldest->second.front()->idleSince)
			oldest = it;
		++it;
	}
	if (oldest == idle_.end())
		return;
	oldest->second.erase(oldest->second.begin());
	--idleTotal_;
}

void ConnectionPool::clear()
{
	std::lock_guard lock(mutex_);
	idle_.clear();
	idleTotal_ = 0;
}

} // namespace mwaatok::net

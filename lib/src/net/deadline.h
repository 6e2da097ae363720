#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace mwaatok::net {

class DeadlineWatch;

/// One request's absolute deadline, registered with a watch while it lives.
/// At the deadline the watch shuts the watched socket down, so that no read
/// or write (a server dripping one byte a second, endless 100 Continue, a
/// stalled TLS handshake) holds the request any longer.
class DeadlineTicket {
public:
	using time_point = std::chrono::steady_clock::time_point;

	DeadlineTicket(DeadlineWatch &watch, time_point deadline);
	~DeadlineTicket();
	DeadlineTicket(const DeadlineTicket &) = delete;
	DeadlineTicket &operator=(const DeadlineTicket &) = delete;

	/// Cut socket \a fd at the deadline (at once when it has passed).
	void watch(int fd);
	/// Forget the socket: call before it is closed.
	void unwatch();
	/// True once the deadline has passed.
	bool expired() const;
	time_point deadline() const { return deadline_; }
	/// Time left, never negative.
	std::chrono::milliseconds remaining() const;

private:
	friend class DeadlineWatch;
	DeadlineWatch &watch_;
	time_point deadline_;
	int fd_ = -1; // guarded by the watch's mutex
	std::atomic<bool> fired_{ false };
};

/// Cuts the sockets of requests past their deadline, from one thread that
/// starts with the first request that has a deadline.
class DeadlineWatch {
public:
	DeadlineWatch() = default;
	~DeadlineWatch();
	DeadlineWatch(const DeadlineWatch &) = delete;
	DeadlineWatch &operator=(const DeadlineWatch &) = delete;

private:
	friend class DeadlineTicket;
	void add(DeadlineTicket *ticket);
	void remove(DeadlineTicket *ticket);
	void run();

	std::mutex mutex_;
	std::condition_variable wake_;
	std::multimap<DeadlineTicket::time_point, DeadlineTicket *> tickets_;
	std::thread thread_;
	bool stop_ = false;
};

} // namespace mwaatok::net

#include "net/deadline.h"

#include <sys/socket.h>

#include <algorithm>
#include <optional>

#include "mwaatok/http.h"

namespace mwaatok {

namespace {

thread_local std::optional<std::chrono::steady_clock::time_point> scopeDeadline;

} // namespace

DeadlineScope::DeadlineScope(std::chrono::steady_clock::time_point deadline) : previous_(scopeDeadline)
{
	scopeDeadline = previous_ ? std::min(*previous_, deadline) : deadline;
}

DeadlineScope::~DeadlineScope()
{
	scopeDeadline = previous_;
}

std::optional<std::chrono::steady_clock::time_point> DeadlineScope::current()
{
	return scopeDeadline;
}

namespace net {

DeadlineTicket::DeadlineTicket(DeadlineWatch &watch, time_point deadline) : watch_(watch), deadline_(deadline)
{
	watch_.add(this);
}

DeadlineTicket::~DeadlineTicket()
{
	watch_.remove(this);
}

void DeadlineTicket::watch(int fd)
{
	std::lock_guard lock(watch_.mutex_);
	fd_ = fd;
	if (fired_ && fd_ >= 0)
		::shutdown(fd_, SHUT_RDWR);
}

void DeadlineTicket::unwatch()
{
	std::lock_guard lock(watch_.mutex_);
	fd_ = -1;
}

bool DeadlineTicket::expired() const
{
	return fired_ || std::chrono::steady_clock::now() >= deadline_;
}

std::chrono::milliseconds DeadlineTicket::remaining() const
{
	auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
	return std::max(left, std::chrono::milliseconds(0));
}

DeadlineWatch::~DeadlineWatch()
{
	{
		std::lock_guard lock(mutex_);
		stop_ = true;
	}
	wake_.notify_all();
	if (thread_.joinable())
		thread_.join();
}

void DeadlineWatch::add(DeadlineTicket *ticket)
{
	std::lock_guard lock(mutex_);
	bool earliest = tickets_.empty() || ticket->deadline_ < tickets_.begin()->first;
	tickets_.emplace(ticket->deadline_, ticket);
	if (!thread_.joinable())
		thread_ = std::thread([this] { run(); });
	else if (earliest)
		wake_.notify_all();
}

void DeadlineWatch::remove(DeadlineTicket *ticket)
{
	std::lock_guard lock(mutex_);
	auto [first, last] = tickets_.equal_range(ticket->deadline_);
	for (auto it = first; it != last; ++it) {
		if (it->second == ticket) {
			tickets_.erase(it);
			return;
		}
	}
}

void DeadlineWatch::run()
{
	std::unique_lock lock(mutex_);
	while (!stop_) {
		if (tickets_.empty()) {
			wake_.wait(lock);
			continue;
		}
		auto first = tickets_.begin();
		// A copy: the entry may be removed while this thread waits.
		const DeadlineTicket::time_point when = first->first;
		if (std::chrono::steady_clock::now() < when) {
			wake_.wait_until(lock, when);
			continue;
		}
		DeadlineTicket *ticket = first->second;
		ticket->fired_ = true;
		if (ticket->fd_ >= 0)
			::shutdown(ticket->fd_, SHUT_RDWR);
		tickets_.erase(first);
	}
}

} // namespace net

} // namespace mwaatok

#include "mwaatok/clock.h"

namespace mwaatok {

FixedClock::FixedClock(time_point t) : now_(t) {}

FixedClock FixedClock::fromSeconds(long long secondsSinceEpoch)
{
	return FixedClock(time_point(std::chrono::seconds(secondsSinceEpoch)));
}

Clock::time_point FixedClock::now() const
{
	std::lock_guard lock(mutex_);
	return now_;
}

void FixedClock::sleepFor(std::chrono::milliseconds d)
{
	advance(d);
}

void FixedClock::set(time_point t)
{
	std::lock_guard lock(mutex_);
	now_ = t;
}

void FixedClock::advance(std::chrono::milliseconds d)
{
	std::lock_guard lock(mutex_);
	now_ += d;
}

} // namespace mwaatok

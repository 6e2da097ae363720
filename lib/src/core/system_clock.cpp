#include "mwaatok/clock.h"

#include <thread>

namespace mwaatok {

// The one place that reads the real clock (tests use FixedClock).
Clock::time_point SystemClock::now() const
{
	return std::chrono::system_clock::now();
}

void SystemClock::sleepFor(std::chrono::milliseconds d)
{
	std::this_thread::sleep_for(d);
}

} // namespace mwaatok

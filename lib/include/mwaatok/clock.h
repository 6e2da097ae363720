#pragma once

#include <chrono>

namespace mwaatok {

/// Wall-clock time and waiting, behind a seam so tests control both.
class Clock {
public:
	using time_point = std::chrono::system_clock::time_point;

	virtual ~Clock() = default;

	/// The current UTC time.
	virtual time_point now() const = 0;
	/// Block the calling thread for \a d (a fake clock just advances).
	virtual void sleepFor(std::chrono::milliseconds d) = 0;
};

/// The real clock. The only code allowed to read std::chrono::system_clock.
class SystemClock final : public Clock {
public:
	time_point now() const override;
	void sleepFor(std::chrono::milliseconds d) override;
};

} // namespace mwaatok

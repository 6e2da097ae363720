#pragma once

#include <atomic>
#include <cstddef>
#include <functional>

#include "mwaatok/run.h" // RunProgress

namespace mwaatok {

/// Run work(i) for i in [0, count) on up to \a jobs threads, and call
/// deliver(i) in index order as soon as every item before it is done (calls
/// to deliver and progress are never concurrent). work(i) reports failure by
/// returning false. When \a stop becomes true no new item starts; the items
/// already running finish and are delivered, in order. Returns how many items
/// were started.
size_t runOrdered(size_t count, int jobs, const std::function<bool(size_t)> &work,
		  const std::function<void(size_t)> &deliver,
		  const std::function<void(const RunProgress &)> &progress,
		  const std::atomic<bool> &stop);

/// The same, with a predicate asked before each item starts instead of a flag.
size_t runOrdered(size_t count, int jobs, const std::function<bool(size_t)> &work,
		  const std::function<void(size_t)> &deliver,
		  const std::function<void(const RunProgress &)> &progress,
		  const std::function<bool()> &stopped);

} // namespace mwaatok

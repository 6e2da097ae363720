#include "run/ordered_run.h"

#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

namespace mwaatok {

size_t runOrdered(size_t count, int jobs, const std::function<bool(size_t)> &work,
		  const std::function<void(size_t)> &deliver,
		  const std::function<void(const RunProgress &)> &progress,
		  const std::atomic<bool> &stop)
{
	return runOrdered(count, jobs, work, deliver, progress, [&stop] { return stop.load(); });
}

size_t runOrdered(size_t count, int jobs, const std::function<bool(size_t)> &work,
		  const std::function<void(size_t)> &deliver,
		  const std::function<void(const RunProgress &)> &progress,
		  const std::function<bool()> &stopped)
{
	enum class State : unsigned char { Pending, Running, Done };
	std::vector<State> state(count, State::Pending);
	std::mutex mutex;
	size_t next = 0;	  // next item to start
	size_t nextDelivery = 0;  // next item to deliver
	RunProgress counts{ 0, 0, count };

	auto worker = [&] {
		for (;;) {
			size_t i;
			{
				std::lock_guard lock(mutex);
				if (next >= count || stopped())
					return;
				i = next++;
				state[i] = State::Running;
			}
			bool ok = false;
			try {
				ok = work(i);
			} catch (...) {
				ok = false;
			}
			std::lock_guard lock(mutex);
			state[i] = State::Done;
			++counts.done;
			if (!ok)
				++counts.failed;
			while (nextDelivery < count && state[nextDelivery] == State::Done)
				deliver(nextDelivery++);
			if (progress)
				progress(counts);
		}
	};

	size_t threads = std::min<size_t>(static_cast<size_t>(std::max(1, jobs)), count);
	std::vector<std::thread> pool;
	pool.reserve(threads);
	for (size_t t = 1; t < threads; ++t)
		pool.emplace_back(worker);
	if (threads > 0)
		worker();
	for (auto &t : pool)
		t.join();
	return next;
}

} // namespace mwaatok

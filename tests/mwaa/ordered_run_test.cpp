#include <boost/test/unit_test.hpp>

#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include "run/ordered_run.h"

using namespace mwaatok;

BOOST_AUTO_TEST_SUITE(ordered_run)

BOOST_AUTO_TEST_CASE(delivers_in_order_whatever_the_completion_order)
{
	const size_t n = 200;
	std::vector<size_t> delivered;
	std::atomic<bool> stop{ false };
	std::atomic<int> concurrent{ 0 }, peak{ 0 };
	RunProgress last;
	size_t started = runOrdered(
		n, 8,
		[&](size_t i) {
			int c = ++concurrent;
			for (int p = peak.load(); c > p && !peak.compare_exchange_weak(p, c);)
				;
			// Later items finish first now and then.
			std::this_thread::sleep_for(std::chrono::microseconds((n - i) % 7 * 200));
			--concurrent;
			return i % 10 != 3;
		},
		[&](size_t i) { delivered.push_back(i); }, [&](const RunProgress &p) { last = p; }, stop);
	BOOST_TEST(started == n);
	BOOST_REQUIRE_EQUAL(delivered.size(), n);
	for (size_t i = 0; i < n; ++i)
		BOOST_TEST(delivered[i] == i);
	BOOST_TEST(peak.load() <= 8);
	BOOST_TEST(peak.load() > 1);
	BOOST_TEST(last.done == n);
	BOOST_TEST(last.failed == 20u);
	BOOST_TEST(last.total == n);
}

BOOST_AUTO_TEST_CASE(stop_starts_nothing_new_but_delivers_what_finished)
{
	std::atomic<bool> stop{ false };
	std::vector<size_t> delivered;
	size_t started = runOrdered(
		100, 4,
		[&](size_t i) {
			if (i == 10)
				stop = true;
			return true;
		},
		[&](size_t i) { delivered.push_back(i); }, nullptr, stop);
	BOOST_TEST(started < 100u);
	BOOST_TEST(started >= 11u);
	BOOST_TEST(delivered.size() == started);
	for (size_t i = 0; i < delivered.size(); ++i)
		BOOST_TEST(delivered[i] == i);
}

BOOST_AUTO_TEST_CASE(a_throwing_item_counts_as_failed)
{
	std::atomic<bool> stop{ false };
	RunProgress last;
	runOrdered(
		3, 2, [](size_t i) -> bool { if (i == 1) throw std::runtime_error("x"); return true; },
		[](size_t) {}, [&](const RunProgress &p) { last = p; }, stop);
	BOOST_TEST(last.failed == 1u);
	BOOST_TEST(last.done == 3u);
}

BOOST_AUTO_TEST_CASE(empty_run)
{
	std::atomic<bool> stop{ false };
	BOOST_TEST(runOrdered(0, 16, [](size_t) { return true; }, [](size_t) {}, nullptr, stop) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

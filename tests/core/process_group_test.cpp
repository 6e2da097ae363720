// A child runs in its own process group: a deadline or an output cap kills
// the whole group, grandchildren included, and a grandchild that keeps the
// output pipes open does not hold the caller; credential variables can be
// kept from a child.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <string>
#include <thread>

#include "mwaatok/process.h"

using namespace mwaatok;
using namespace std::chrono_literals;

namespace {

ProcessResult sh(const std::string &script, std::chrono::milliseconds timeout = 0ms, size_t maxOutput = 0)
{
	ProcessSpec spec;
	spec.argv = {"/bin/sh", "-c", script};
	spec.timeout = timeout;
	spec.maxOutput = maxOutput;
	return SystemProcessLauncher().run(spec);
}

/// Whether process \a pid still exists (and is not a zombie of ours).
bool alive(long pid)
{
	return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) == 0;
}

/// The grandchild's pid, printed first by the scripts below.
long firstNumber(const std::string &text)
{
	return std::strtol(text.c_str(), nullptr, 10);
}

bool goneSoon(long pid)
{
	for (int i = 0; i < 100 && alive(pid); ++i)
		std::this_thread::sleep_for(20ms);
	return !alive(pid);
}

} // namespace

BOOST_AUTO_TEST_SUITE(process_group)

BOOST_AUTO_TEST_CASE(deadline_kills_the_grandchild_too)
{
	auto start = std::chrono::steady_clock::now();
	// The grandchild ignores SIGTERM: only the group's SIGKILL ends it.
	auto r = sh("trap '' TERM; sh -c 'trap \"\" TERM; exec sleep 30' & echo $!; wait", 300ms);
	auto took = std::chrono::steady_clock::now() - start;
	BOOST_TEST(r.started);
	BOOST_TEST(r.timedOut);
	long grandchild = firstNumber(r.stdoutData);
	BOOST_TEST_REQUIRE(grandchild > 0, r.stdoutData);
	BOOST_TEST(goneSoon(grandchild), "the sleep grandchild survived");
	BOOST_TEST((took < 20s)); // well under the grandchild's 30 s
}

BOOST_AUTO_TEST_CASE(a_grandchild_holding_the_pipes_does_not_hold_the_caller)
{
	auto start = std::chrono::steady_clock::now();
	// No deadline: the child exits at once, its background sleep keeps stdout open.
	auto r = sh("sleep 30 & echo $!; echo done");
	auto took = std::chrono::steady_clock::now() - start;
	BOOST_TEST(r.exitCode == 0);
	BOOST_TEST(r.stdoutData.find("done\n") != std::string::npos, r.stdoutData);
	BOOST_TEST((took < 20s));
	// A child that exited normally keeps what it started (say, a browser).
	long grandchild = firstNumber(r.stdoutData);
	BOOST_TEST_REQUIRE(grandchild > 0);
	BOOST_TEST(alive(grandchild));
	::kill(static_cast<pid_t>(grandchild), SIGKILL);
}

BOOST_AUTO_TEST_CASE(a_child_killed_by_a_signal_takes_its_group_along)
{
	auto r = sh("sleep 30 & echo $!; kill -KILL $$");
	BOOST_TEST(r.exitCode == -1);
	long grandchild = firstNumber(r.stdoutData);
	BOOST_TEST_REQUIRE(grandchild > 0, r.stdoutData);
	BOOST_TEST(goneSoon(grandchild), "the sleep grandchild survived");
}

BOOST_AUTO_TEST_CASE(a_child_that_closes_its_output_is_still_bounded_by_the_deadline)
{
	auto start = std::chrono::steady_clock::now();
	auto r = sh("exec >&- 2>&-; sleep 30", 300ms);
	BOOST_TEST(r.timedOut);
	BOOST_TEST((std::chrono::steady_clock::now() - start < 20s));
}

BOOST_AUTO_TEST_CASE(output_past_the_cap_stops_the_group)
{
	auto start = std::chrono::steady_clock::now();
	auto r = sh("yes credential", 0ms, 64 * 1024);
	BOOST_TEST(r.started);
	BOOST_TEST(r.outputTooLarge);
	BOOST_TEST(r.stdoutData.size() == 64u * 1024);
	BOOST_TEST((std::chrono::steady_clock::now() - start < 20s));
	auto err = sh("yes oops >&2", 0ms, 1000);
	BOOST_TEST(err.outputTooLarge);
	BOOST_TEST(err.stderrData.size() == 1000u);
	// Under the cap nothing changes.
	auto small = sh("printf 12345", 0ms, 5);
	BOOST_TEST(!small.outputTooLarge);
	BOOST_TEST(small.stdoutData == "12345");
	BOOST_TEST(small.exitCode == 0);
}

BOOST_AUTO_TEST_CASE(an_interrupt_reaches_the_running_groups)
{
	// As a terminal's Ctrl-C would, were the child in the foreground group.
	ProcessResult r;
	auto start = std::chrono::steady_clock::now();
	std::atomic<bool> done{false};
	std::thread runner([&] {
		r = sh("sleep 30; echo not interrupted");
		done = true;
	});
	// Until it ends: the child may not have started at the first try.
	for (int i = 0; i < 100 && !done; ++i) {
		std::this_thread::sleep_for(100ms);
		signalRunningProcesses(SIGINT);
	}
	runner.join();
	BOOST_TEST(r.started);
	BOOST_TEST(r.stdoutData == "");
	BOOST_TEST(r.exitCode != 0);
	BOOST_TEST((std::chrono::steady_clock::now() - start < 20s));
	// With nothing running it does nothing.
	signalRunningProcesses(SIGINT);
}

BOOST_AUTO_TEST_CASE(credential_variables_are_recognised)
{
	for (const char *name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
				 "AWS_SECURITY_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CREDENTIAL_EXPIRATION",
				 "AWS_BEARER_TOKEN_BEDROCK"})
		BOOST_TEST(credentialVariable(name), name);
	for (const char *name : {"AWS_REGION", "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
				 "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "MWAATOK_ALIAS", "PATH", "TOKEN", ""})
		BOOST_TEST(!credentialVariable(name), name);
}

BOOST_AUTO_TEST_CASE(scrubbed_children_do_not_see_credential_variables)
{
	::setenv("AWS_SECRET_ACCESS_KEY", "scrub-test-secret", 1);
	::setenv("AWS_SESSION_TOKEN", "scrub-test-token", 1);
	::setenv("AWS_REGION", "eu-west-1", 1);
	ProcessSpec spec;
	spec.argv = {"/usr/bin/env"};
	spec.scrubCredentials = true;
	auto scrubbed = SystemProcessLauncher().run(spec);
	spec.scrubCredentials = false;
	auto kept = SystemProcessLauncher().run(spec);
	::unsetenv("AWS_SECRET_ACCESS_KEY");
	::unsetenv("AWS_SESSION_TOKEN");
	::unsetenv("AWS_REGION");
	BOOST_TEST(scrubbed.exitCode == 0);
	BOOST_TEST(scrubbed.stdoutData.find("scrub-test-") == std::string::npos, scrubbed.stdoutData);
	BOOST_TEST(scrubbed.stdoutData.find("AWS_REGION=eu-west-1") != std::string::npos);
	BOOST_TEST(kept.stdoutData.find("AWS_SECRET_ACCESS_KEY=scrub-test-secret") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

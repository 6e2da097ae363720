// SystemProcessLauncher against real /bin/sh commands.
#include <boost/test/unit_test.hpp>

#include "mwaatok/process.h"

#include <chrono>
#include <sys/wait.h>
#include <unistd.h>

using namespace mwaatok;

namespace {

ProcessResult sh(const std::string &script, std::chrono::milliseconds timeout = std::chrono::milliseconds(0),
		 std::string stdinData = {})
{
	ProcessSpec spec;
	spec.argv = {"/bin/sh", "-c", script};
	spec.timeout = timeout;
	spec.stdinData = std::move(stdinData);
	return SystemProcessLauncher().run(spec);
}

} // namespace

BOOST_AUTO_TEST_CASE(process_echo_and_exit_status)
{
	auto r = sh("echo hello; echo oops >&2");
	BOOST_TEST(r.started);
	BOOST_TEST(r.exitCode == 0);
	BOOST_TEST(!r.timedOut);
	BOOST_TEST(r.stdoutData == "hello\n");
	BOOST_TEST(r.stderrData == "oops\n");
	BOOST_TEST(sh("exit 3").exitCode == 3);
}

BOOST_AUTO_TEST_CASE(process_killed_after_timeout)
{
	auto r = sh("echo started; exec sleep 30", std::chrono::milliseconds(200));
	BOOST_TEST(r.started);
	BOOST_TEST(r.timedOut);
	BOOST_TEST(r.exitCode == -1);
	BOOST_TEST(r.stdoutData == "started\n");
}

BOOST_AUTO_TEST_CASE(process_that_ignores_sigterm_is_killed)
{
	auto r = sh("trap '' TERM; echo ready; while :; do sleep 1; done", std::chrono::milliseconds(200));
	BOOST_TEST(r.timedOut);
	BOOST_TEST(r.exitCode == -1);
}

BOOST_AUTO_TEST_CASE(process_big_output_on_both_streams)
{
	// 2 MiB on each stream at once: deadlocks unless both pipes are drained together.
	auto r = sh("head -c 2097152 /dev/zero | tr '\\0' a & head -c 2097152 /dev/zero | tr '\\0' b >&2; wait");
	BOOST_TEST(r.exitCode == 0);
	BOOST_TEST(r.stdoutData.size() == 2097152u);
	BOOST_TEST(r.stderrData.size() == 2097152u);
	BOOST_TEST(r.stdoutData.find_first_not_of('a') == std::string::npos);
	BOOST_TEST(r.stderrData.find_first_not_of('b') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(process_stdin_is_piped)
{
	std::string big(3 * 1024 * 1024, 'x');
	auto r = sh("wc -c", std::chrono::milliseconds(0), big);
	BOOST_TEST(r.exitCode == 0);
	BOOST_TEST(std::stoul(r.stdoutData) == big.size());
	BOOST_TEST(sh("cat", std::chrono::milliseconds(0), "line\n").stdoutData == "line\n");
	// A child that never reads its stdin must not hurt us (no SIGPIPE).
	auto closed = sh("exec 0<&-; echo done", std::chrono::milliseconds(0), big);
	BOOST_TEST(closed.exitCode == 0);
	BOOST_TEST(closed.stdoutData == "done\n");
}

BOOST_AUTO_TEST_CASE(process_extra_env_is_merged)
{
	ProcessSpec spec;
	spec.argv = {"/bin/sh", "-c", "echo \"$MWAATOK_X-$HOME\""};
	spec.extraEnv = {{"MWAATOK_X", "42"}, {"HOME", "/elsewhere"}};
	auto r = SystemProcessLauncher().run(spec);
	BOOST_TEST(r.stdoutData == "42-/elsewhere\n");
	spec.argv = {"/bin/sh", "-c", "test -n \"$PATH\" && echo inherited"};
	BOOST_TEST(SystemProcessLauncher().run(spec).stdoutData == "inherited\n");
}

BOOST_AUTO_TEST_CASE(process_missing_program_does_not_throw)
{
	ProcessSpec spec;
	spec.argv = {"/nonexistent/mwaatok-no-such-program"};
	ProcessResult r;
	BOOST_CHECK_NO_THROW(r = SystemProcessLauncher().run(spec));
	BOOST_TEST(!r.started);
	BOOST_TEST(r.error.find("No such file") != std::string::npos, r.error);
	spec.detach = true;
	r = SystemProcessLauncher().run(spec);
	BOOST_TEST(!r.started);
	BOOST_TEST(!r.error.empty());
	BOOST_TEST(!SystemProcessLauncher().run(ProcessSpec{}).started);
}

BOOST_AUTO_TEST_CASE(process_detached_leaves_no_zombie)
{
	ProcessSpec spec;
	spec.argv = {"/bin/sh", "-c", "exit 0"};
	spec.detach = true;
	auto r = SystemProcessLauncher().run(spec);
	BOOST_TEST(r.started);
	BOOST_TEST(r.exitCode == -1);
	// The intermediate child was reaped and the program was adopted by init:
	// we have no child left to wait for.
	int status;
	BOOST_TEST(::waitpid(-1, &status, WNOHANG) == -1);
}

// The process as a whole: closed standard descriptors, and no core dumps.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <dirent.h>
#include <unistd.h>

#include "loopback_server.h"
#include "support.h"

using namespace mwaatok::e2e;

BOOST_AUTO_TEST_SUITE(process)

namespace {

constexpr const char *kRecordedToken =
	"c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00";

/// The CreateWebLoginToken response the recording server gives every request.
std::string recordedTokenReply(const std::string &)
{
	std::string body = std::string("{\"WebToken\":\"") + kRecordedToken +
			   "\",\"WebServerHostname\":\"alpha.c2.us-east-1.airflow.amazonaws.com\","
			   "\"IamIdentity\":\"arn:aws:iam::123456789012:user/e2e\",\"AirflowIdentity\":\"e2e\"}";
	return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
	       std::to_string(body.size()) + "\r\n\r\n" + body;
}

/// Runs the built mwaatok through /bin/sh with \a redirections applied first.
RunResult mwaatokRedirected(const std::string &redirections, const std::vector<std::string> &args,
			    const EnvMap &env, const RunOptions &options = {})
{
	std::vector<std::string> shArgs{ "-c", "exec \"$0\" \"$@\" " + redirections, builtProgram("MWAATOK") };
	shArgs.insert(shArgs.end(), args.begin(), args.end());
	return runProgram("/bin/sh", shArgs, env, options);
}

/// The files named core or core.* in \a dir.
std::vector<std::string> coreFiles(const std::string &dir)
{
	std::vector<std::string> found;
	if (DIR *d = opendir(dir.c_str())) {
		while (dirent *e = readdir(d)) {
			std::string name = e->d_name;
			if (name == "core" || name.rfind("core.", 0) == 0)
				found.push_back(name);
		}
		closedir(d);
	}
	return found;
}

/// A program that has not made itself non-dumpable leaves a core file in its
/// working directory here: the kernel writes plain files named core, and a
/// shell may raise its core size limit.
struct CoreDumpsLand {
	boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) const
	{
		TempDir dir;
		RunOptions options;
		options.signal = SIGQUIT;
		options.signalAfterMs = 300;
		options.timeoutSeconds = 20;
		runProgram("/bin/sh", { "-c", "ulimit -c unlimited && cd \"$0\" && exec sleep 10", dir.path() },
			   { { "PATH", "/usr/bin:/bin" } }, options);
		boost::test_tools::assertion_result ok(!coreFiles(dir.path()).empty());
		if (!ok)
			ok.message() << "core dumps do not land in the working directory on this machine (see "
					"/proc/sys/kernel/core_pattern and the hard core size limit)";
		return ok;
	}
};

} // namespace

BOOST_AUTO_TEST_CASE(closed_stdout_never_sends_login_urls_into_the_connection)
{
	Workspace ws;
	// Answers every request and keeps every byte each connection sent, until the client closes it.
	std::atomic<size_t> answered{ 0 };
	mwaatok::testing::LoopbackServer server(mwaatok::testing::keepAlive([&](const std::string &request) {
		++answered;
		return recordedTokenReply(request);
	}));
	auto r = mwaatokRedirected(">&-", { "url", "alpha", "--endpoint-url", server.url(), "--region", "us-east-1",
					    "--airflow-version", "2" },
				   ws.env);
	BOOST_TEST(answered.load() == 1u);
	std::string wire = server.received();
	BOOST_TEST(contains(wire, "POST /webtoken/alpha"), wire);
	BOOST_TEST(!contains(wire, kRecordedToken), wire);
	BOOST_TEST(!contains(wire, "aws-console-sso"), wire);
	// The link could not be delivered: that is an error, said once.
	BOOST_TEST(r.status == 1, r.err);
	BOOST_TEST(countOf(r.err, "mwaatok: error:") == 1u, r.err);
	BOOST_TEST(contains(r.err, "print"), r.err);
	BOOST_TEST(!contains(r.err, kRecordedToken), r.err);
}

BOOST_AUTO_TEST_CASE(closed_stdout_is_reported_by_commands_that_print)
{
	Workspace ws;
	auto r = mwaatokRedirected(">&-", { "--version" }, ws.env);
	BOOST_TEST(r.status == 1);
	BOOST_TEST(lines(r.err) ==
			   std::vector<std::string>{ "mwaatok: error: cannot write to standard output (it is closed; "
						     "redirect it to a file or to /dev/null)" },
		   boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(closed_stdin_and_stderr_change_nothing_for_stdout)
{
	EmulatorWorkspace ws;
	std::vector<std::string> args = against(ws.emu, { "url", "alpha", "--airflow-version", "3" });
	auto r = mwaatokRedirected("<&- 2>&-", args, ws.env);
	BOOST_TEST(r.status == 0);
	BOOST_TEST(r.err == "");
	BOOST_TEST(matches(r.out, loginUrls({ { "alpha", 3 } })), r.out);
}

BOOST_AUTO_TEST_CASE(no_core_dump_holds_credentials_or_tokens, *boost::unit_test::precondition(CoreDumpsLand()))
{
	Workspace ws;
	TempDir cwd;
	// A server that accepts and never answers, so mwaatok is mid-request
	// (credentials loaded, request signed) when SIGQUIT arrives.
	Emulator emu(emulatorArgs({ "--faults", "hang", "--fail-first", "100" }));
	RunOptions options;
	options.signal = SIGQUIT;
	options.signalAfterMs = 1000;
	options.timeoutSeconds = 60;
	std::vector<std::string> args{ "-c", "ulimit -c unlimited && cd \"$0\" && exec \"$@\"", cwd.path(),
				       builtProgram("MWAATOK") };
	for (const auto &a : against(emu, { "url", "alpha", "--airflow-version", "2", "--timeout", "30" }))
		args.push_back(a);
	auto r = runProgram("/bin/sh", args, ws.env, options);
	BOOST_TEST(r.killedBy == SIGQUIT);
	BOOST_TEST(coreFiles(cwd.path()).empty());
}

BOOST_AUTO_TEST_SUITE_END()

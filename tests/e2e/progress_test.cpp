// The progress line: on stderr when it is a terminal, cleared at the end;
// nothing when it is not, or with --no-progress / --quiet.
#include <boost/test/unit_test.hpp>

#include "support.h"

using namespace mwaatok::e2e;

BOOST_AUTO_TEST_SUITE(progress)

namespace {

/// Run mwaatok under script(1), so that its stdout and stderr are a terminal.
RunResult runOnTerminal(const Workspace &ws, const std::vector<std::string> &args)
{
	std::string command = builtProgram("MWAATOK");
	for (const auto &a : args)
		command += " '" + a + "'";
	return runProgram("/usr/bin/script", { "-qec", command, "/dev/null" }, ws.env, "", 120);
}

/// Precondition: script(1) is installed; otherwise the case is reported skipped.
boost::test_tools::assertion_result haveScript(boost::unit_test::test_unit_id)
{
	boost::test_tools::assertion_result ok(fileExists("/usr/bin/script"));
	if (!ok)
		ok.message() << "script(1) is not installed";
	return ok;
}

} // namespace

BOOST_AUTO_TEST_CASE(shown_on_a_terminal_and_cleared, *boost::unit_test::precondition(haveScript))
{
	EmulatorWorkspace ws;
	auto args = against(ws.emu, { "url", "alpha", "bravo", "charlie", "--airflow-version", "2", "-o",
				      "file:path=" + ws.path("links.txt") });
	auto r = runOnTerminal(ws, args);
	BOOST_TEST(r.status == 0, r.err);
	// script(1) merges the terminal's output into its stdout.
	BOOST_TEST(contains(r.out, "3/3 done, 0 failed"), r.out);
	BOOST_TEST(contains(r.out, "\r\033[K"), r.out);
	BOOST_TEST(r.out.substr(r.out.rfind('\r')) == "\r\033[K", r.out);

	for (const char *quiet : { "--no-progress", "--quiet" }) {
		auto silent = args;
		silent.push_back(quiet);
		auto s = runOnTerminal(ws, silent);
		BOOST_TEST(s.status == 0);
		BOOST_TEST(!contains(s.out, "done,"), quiet << ": " << s.out);
	}
}

BOOST_AUTO_TEST_CASE(absent_when_stderr_is_not_a_terminal)
{
	EmulatorWorkspace ws;
	auto r = ws.run(against(ws.emu, { "url", "alpha", "bravo", "--airflow-version", "2" }));
	BOOST_TEST(r.status == 0);
	BOOST_TEST(r.err.empty(), r.err);
}

BOOST_AUTO_TEST_SUITE_END()

// Retries, timeouts, broken answers and clock skew.
#include <boost/test/unit_test.hpp>

#include <future>

#include "support.h"

using namespace mwaatok::e2e;

BOOST_AUTO_TEST_SUITE(retries)

namespace {

struct FaultRun {
	std::string kind;
	RunResult result;
	size_t tokenRequests = 0;
};

/// `url alpha` against an emulator whose first two answers for alpha are \a kind.
FaultRun twoFaultsThenSuccess(const std::string &kind)
{
	Workspace ws;
	std::string log = ws.path("requests.log");
	Emulator emu(emulatorArgs({ "--fail-first", "2", "--faults", kind, "--log", log }));
	FaultRun run{ kind, ws.run(against(emu, { "url", "alpha", "--airflow-version", "2" })) };
	run.tokenRequests = loggedRequests(log, "/webtoken/alpha").size();
	return run;
}

} // namespace

BOOST_AUTO_TEST_CASE(transient_faults_are_absorbed)
{
	// In parallel: each run waits for its backoff (up to 1 s, then 2 s).
	std::vector<std::future<FaultRun>> runs;
	for (const char *kind : { "503", "429", "500", "drop", "truncate" })
		runs.push_back(std::async(std::launch::async, twoFaultsThenSuccess, kind));
	for (auto &f : runs) {
		FaultRun run = f.get();
		BOOST_TEST_CONTEXT("fault " << run.kind << ", stderr: " << run.result.err)
		{
			BOOST_TEST(run.result.status == 0);
			BOOST_TEST(run.result.err == "");
			BOOST_TEST(matches(run.result.out, loginUrlOf("alpha", 2) + "\n"), run.result.out);
			// Answered faults are logged; a dropped connection may not be.
			if (run.kind != "drop" && run.kind != "truncate")
				BOOST_TEST(run.tokenRequests == 3u);
		}
	}
}

BOOST_AUTO_TEST_CASE(retries_show_in_the_trace)
{
	Workspace ws;
	Emulator emu(emulatorArgs({ "--fail-first", "1", "--faults", "429" }));
	auto r = ws.run(against(emu, { "url", "alpha", "--airflow-version", "2", "-v" }));
	BOOST_TEST(r.status == 0);
	BOOST_TEST(matches(r.out, loginUrls({ { "alpha", 2 } })), r.out);
	BOOST_TEST(contains(r.err, "POST http://127.0.0.1:" + std::to_string(emu.port()) +
					   "/webtoken/alpha -> 429 (attempt 1)\n"),
		   r.err);
	BOOST_TEST(contains(r.err, " ms after: ThrottlingException: "), r.err);
	BOOST_TEST(contains(r.err, "/webtoken/alpha -> 200 (attempt 2)\n"), r.err);
}

BOOST_AUTO_TEST_CASE(max_attempts_1_fails_on_the_first_fault)
{
	Workspace ws;
	std::string log = ws.path("requests.log");
	Emulator emu(emulatorArgs({ "--fail-first", "1", "--faults", "503", "--log", log }));
	auto r = ws.run(against(emu, { "url", "alpha", "--airflow-version", "2", "--max-attempts", "1" }));
	BOOST_TEST(r.status == 1);
	BOOST_TEST(r.out == "");
	BOOST_TEST(lines(r.err).size() == 1u, r.err);
	BOOST_TEST(contains(r.err, "mwaatok: error: alpha: CreateWebLoginToken: ServiceUnavailableException"),
		   r.err);
	BOOST_TEST(loggedRequests(log, "/webtoken/alpha").size() == 1u);
}

BOOST_AUTO_TEST_CASE(broken_connections_are_named)
{
	Workspace ws;
	Emulator emu(emulatorArgs({ "--fail-first", "2", "--faults", "drop,truncate" }));
	const std::string closed = "mwaatok: error: alpha: connection to 127.0.0.1:" + std::to_string(emu.port()) +
				   " was closed before the response was complete";
	auto drop = ws.run(against(emu, { "url", "alpha", "--airflow-version", "2", "--max-attempts", "1" }));
	BOOST_TEST(drop.status == 1);
	BOOST_TEST(drop.out == "");
	BOOST_TEST(drop.err.rfind(closed + ": ", 0) == 0, drop.err);
	BOOST_TEST(lines(drop.err).size() == 1u, drop.err);
	auto truncated = ws.run(against(emu, { "url", "alpha", "--airflow-version", "2", "--max-attempts", "1" }));
	BOOST_TEST(truncated.status == 1);
	BOOST_TEST(truncated.out == "");
	BOOST_TEST(matches(truncated.err, closed + " \\([0-9]+ of [0-9]+ body bytes\\)\n"), truncated.err);
}

BOOST_AUTO_TEST_CASE(client_error_is_not_retried)
{
	// mwaatok validates names itself, so `url` never sends one the service
	// would refuse with 400; `request` sends whatever it is given.
	Workspace ws;
	std::string log = ws.path("requests.log");
	Emulator emu(emulatorArgs({ "--log", log }));
	auto r = ws.run({ "request", "--service", "airflow", "--region", "us-east-1", "POST",
			  emu.url() + "/webtoken/1bad" });
	BOOST_TEST(r.status == 1);
	BOOST_TEST(lines(r.err).size() == 1u, r.err);
	BOOST_TEST(contains(r.err, "mwaatok: error: HTTP 400 ValidationException: "), r.err);
	BOOST_TEST(loggedRequests(log, "/webtoken/1bad").size() == 1u);
}

BOOST_AUTO_TEST_CASE(hanging_endpoint_ends_at_the_timeout)
{
	Workspace ws;
	Emulator emu(emulatorArgs({ "--fault-rate", "1", "--faults", "hang" }));
	auto r = ws.run(against(emu, { "url", "alpha", "--airflow-version", "2", "--timeout", "2" }),
			RunOptions{ "", 60 });
	BOOST_TEST(r.status == 1);
	BOOST_TEST(r.out == "");
	BOOST_TEST(lines(r.err).size() == 1u, r.err);
	BOOST_TEST(contains(r.err, "mwaatok: error: alpha: timed out waiting for a response from 127.0.0.1:" +
					   std::to_string(emu.port())),
		   r.err);
	BOOST_TEST(r.elapsedMs < 15000, "took " << r.elapsedMs << " ms");
}

BOOST_AUTO_TEST_CASE(invalid_json_is_a_clear_error)
{
	Workspace ws;
	Emulator emu(emulatorArgs({ "--fail-first", "1", "--faults", "badjson" }));
	auto r = ws.run(against(emu, { "url", "alpha", "--airflow-version", "2" }));
	BOOST_TEST(r.status == 1);
	BOOST_TEST(r.out == "");
	BOOST_TEST(r.err == "mwaatok: error: alpha: CreateWebLoginToken response is not valid JSON\n");
}

BOOST_AUTO_TEST_CASE(clock_skew_is_corrected_once)
{
	Workspace ws;
	std::string log = ws.path("requests.log");
	Emulator emu(emulatorArgs({ "--skew-seconds", "3600", "--log", log }));
	auto r = ws.run(against(emu, { "url", "alpha", "--airflow-version", "2", "-v" }));
	BOOST_TEST(r.status == 0);
	BOOST_TEST(matches(r.out, loginUrls({ { "alpha", 2 } })), r.out);
	BOOST_TEST(countOf(r.err, "clock skew") == 1u, r.err);
	BOOST_TEST(matches(r.err, "(.*\n)*mwaatok: clock skew of 3(599|600) s corrected from the server's Date header\n(.*\n)*"),
		   r.err);
	// One refused request, then one signed with the corrected clock.
	auto requests = loggedRequests(log, "/webtoken/alpha");
	BOOST_REQUIRE_EQUAL(requests.size(), 2u);
	BOOST_TEST(contains(requests[0], "\"status\": 403"), requests[0]);
	BOOST_TEST(contains(requests[1], "\"status\": 200"), requests[1]);

	// Without -v nothing on stderr; GetEnvironment is corrected as well.
	auto quiet = ws.run(against(emu, { "url", "alpha", "bravo" }));
	BOOST_TEST(quiet.status == 0);
	BOOST_TEST(quiet.err == "");
	BOOST_TEST(matches(quiet.out, loginUrls({ { "alpha", 2 }, { "bravo", 3 } })), quiet.out);
}

BOOST_AUTO_TEST_SUITE_END()

// The run as a whole: a reader that goes away, failure rows, plugin modules
// loaded only when named (issue 12).
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include "support.h"

using namespace mwaatok::e2e;

BOOST_AUTO_TEST_SUITE(run)

BOOST_AUTO_TEST_CASE(a_closed_pipe_stops_the_run_quietly)
{
	// `mwaatok url --all | head -1` over many environments: after the reader
	// goes, no more tokens are minted and nothing is said about it.
	Workspace ws;
	std::string log = ws.path("requests.log");
	std::vector<std::string> emuArgs = keyArgs();
	emuArgs.insert(emuArgs.end(), { "--generate-envs", "200:us-east-1", "--latency-ms", "20", "--log", log });
	Emulator emu(emuArgs);
	std::vector<std::string> args{ "url", "-j", "2", "--airflow-version", "2" };
	for (size_t i = 1; i <= 200; ++i)
		args.push_back(generatedName(i));
	RunOptions options;
	options.closeOutputAfterFirstLine = true;
	auto r = ws.run(against(emu, args), options);
	BOOST_TEST(matches(r.out, generatedLoginUrl("us-east-1", 2) + "\n"), r.out);
	BOOST_TEST(r.err == "", "said nothing: " << r.err);
	BOOST_TEST(r.status == 141, "exits as a process ended by SIGPIPE: " << r.status);
	size_t minted = loggedRequests(log, "/webtoken/").size();
	BOOST_TEST(minted < 50u, minted << " tokens minted after the reader went away");
}

BOOST_FIXTURE_TEST_CASE(failure_rows_show_the_region_from_aws_region, EmulatorWorkspace)
{
	// No --region and no profile region: AWS_REGION decides, and a failure
	// row says which region the environment was looked for in.
	env["AWS_REGION"] = "us-east-1";
	auto r = run({ "--endpoint-url", emu.url(), "url", "alpha", "nosuch", "-o", "print:format=ndjson" });
	BOOST_TEST(r.status == 1);
	auto records = jsonRecords(r.out);
	BOOST_REQUIRE(records.size() == 2u);
	BOOST_TEST(records[0].ok());
	BOOST_TEST(records[0].region == "us-east-1");
	BOOST_TEST(!records[1].ok());
	BOOST_TEST(records[1].alias == "nosuch");
	BOOST_TEST(records[1].region == "us-east-1");
}

BOOST_FIXTURE_TEST_CASE(plugin_modules_are_loaded_only_when_named, EmulatorWorkspace)
{
	std::string module = builtProgram("MWAATOK_MARKER_PLUGIN");
	env["MWAATOK_PLUGIN_PATH"] = std::filesystem::path(module).parent_path().string();
	env["MWAATOK_TEST_LOAD_MARKER"] = path("loaded");

	auto plain = run(against(emu, { "url", "alpha" }));
	BOOST_TEST(plain.status == 0, plain.err);
	BOOST_TEST(!fileExists(path("loaded")), "a run that names no module loads none");

	auto listed = run({ "plugins" });
	BOOST_TEST(listed.status == 0, listed.err);
	BOOST_TEST(contains(listed.out, "loadmarker"), listed.out);
	BOOST_TEST(fileExists(path("loaded")), "mwaatok plugins loads every module");

	std::filesystem::remove(path("loaded"));
	auto named = run(against(emu, { "url", "alpha", "-o", "loadmarker" }));
	BOOST_TEST(named.status == 0, named.err);
	BOOST_TEST(fileExists(path("loaded")), "the module an output names is loaded");

	env["MWAATOK_PLUGIN_PATH"] = "relative/plugins";
	auto relative = run(against(emu, { "url", "alpha", "-o", "loadmarker" }));
	BOOST_TEST(relative.status == 2);
	BOOST_TEST(relative.err == "mwaatok: error: MWAATOK_PLUGIN_PATH entry 'relative/plugins' is not an absolute "
				   "directory; give plugin directories as absolute paths\n");
}

BOOST_AUTO_TEST_SUITE_END()

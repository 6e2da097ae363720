// HTTPS to the API, the token command, and the Airflow CLI through CreateCliToken.
#include <boost/test/unit_test.hpp>

#include "support.h"

using namespace mwaatok::e2e;

namespace {

std::vector<std::string> tlsEmulatorArgs(std::vector<std::string> extra = {})
{
	std::vector<std::string> args{ "--tls-cert", testData("emulator/server.pem"), "--tls-key",
				       testData("emulator/server-key.pem") };
	args.insert(args.end(), extra.begin(), extra.end());
	return emulatorArgs(args);
}

/// The arguments that send the CLI call for \a env's web server to the emulator.
std::vector<std::string> cliArgs(const Emulator &emu, const std::string &env, std::vector<std::string> command)
{
	std::vector<std::string> args = against(
		emu, { "cli", env, "--connect-to",
		       env + ".c2.us-east-1.airflow.amazonaws.com:443:127.0.0.1:" + std::to_string(emu.port()), "--" });
	args.insert(args.end(), command.begin(), command.end());
	return args;
}

} // namespace

BOOST_AUTO_TEST_SUITE(https)

BOOST_AUTO_TEST_CASE(unknown_ca_is_refused_with_a_hint)
{
	Workspace ws;
	Emulator emu(tlsEmulatorArgs());
	BOOST_REQUIRE(emu.url().rfind("https://127.0.0.1:", 0) == 0);
	auto r = ws.run(against(emu, { "url", "alpha", "--airflow-version", "2", "--max-attempts", "1" }));
	BOOST_TEST(r.status == 1);
	BOOST_TEST(r.out == "");
	BOOST_TEST(lines(r.err).size() == 1u, r.err);
	BOOST_TEST(contains(r.err, "mwaatok: error: alpha: the tls certificate of 127.0.0.1:" +
					   std::to_string(emu.port()) + " is not trusted ("),
		   r.err);
	BOOST_TEST(contains(r.err, "set AWS_CA_BUNDLE to a PEM file with that CA\n"), r.err);
}

BOOST_AUTO_TEST_CASE(ca_bundle_is_trusted)
{
	Workspace ws;
	Emulator emu(tlsEmulatorArgs());
	ws.env["AWS_CA_BUNDLE"] = testData("emulator/ca.pem");
	auto r = ws.run(against(emu, { "url", "alpha", "bravo" }));
	BOOST_TEST(r.status == 0);
	BOOST_TEST(r.err == "");
	BOOST_TEST(matches(r.out, loginUrls({ { "alpha", 2 }, { "bravo", 3 } })), r.out);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(token)

BOOST_FIXTURE_TEST_CASE(prints_the_aws_cli_json, EmulatorWorkspace)
{
	auto r = run(against(emu, { "token", "bravo" }));
	BOOST_TEST(r.status == 0);
	BOOST_TEST(r.err == "");
	BOOST_TEST(matches(r.out, "\\{\n"
				  "    \"WebToken\": \"[0-9a-f]{96}\",\n"
				  "    \"WebServerHostname\": \"bravo\\.c2\\.us-east-1\\.airflow\\.amazonaws\\.com\",\n"
				  "    \"IamIdentity\": \"assumed-role/mwaa-emulator/AKIDE2EEXAMPLE\",\n"
				  "    \"AirflowIdentity\": \"assumed-role/mwaa-emulator/AKIDE2EEXAMPLE\"\n"
				  "\\}\n"),
		   r.out);
}

BOOST_FIXTURE_TEST_CASE(takes_exactly_one_environment, EmulatorWorkspace)
{
	auto r = run(against(emu, { "token", "alpha", "bravo" }));
	BOOST_TEST(r.status == 2);
	BOOST_TEST(r.out == "");
	BOOST_TEST(r.err == "mwaatok: error: token takes exactly one environment\n");
	auto missing = run(against(emu, { "token", "nosuch" }));
	BOOST_TEST(missing.status == 1);
	BOOST_TEST(missing.out == "");
	BOOST_TEST(missing.err == "mwaatok: error: CreateWebLoginToken: ResourceNotFoundException: Environment "
				  "named nosuch not found.; no environment 'nosuch' in region us-east-1 (check the name "
				  "and --region)\n");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli)

namespace {

/// The emulator over HTTPS, its CA trusted, its request log in the workspace.
struct TlsWorkspace : Workspace {
	std::string log = path("requests.log");
	Emulator emu{ tlsEmulatorArgs({ "--log", log }) };
	TlsWorkspace() { env["AWS_CA_BUNDLE"] = testData("emulator/ca.pem"); }
	RunResult cli(const std::string &environment, std::vector<std::string> command) const
	{
		return run(cliArgs(emu, environment, std::move(command)));
	}
};

} // namespace

BOOST_FIXTURE_TEST_CASE(dags_list_and_version, TlsWorkspace)
{
	auto r = cli("alpha", { "dags", "list" });
	BOOST_TEST(r.status == 0);
	BOOST_TEST(r.err == "");
	BOOST_TEST(r.out == "dag_id      | fileloc                          | owners  | is_paused\n"
			    "============+==================================+=========+==========\n"
			    "example_dag | /usr/local/airflow/dags/example.py | airflow | False\n"
			    "tutorial    | /usr/local/airflow/dags/tutorial.py | airflow | True\n");
	auto v = cli("bravo", { "version" });
	BOOST_TEST(v.status == 0);
	BOOST_TEST(v.err == "");
	BOOST_TEST(v.out == "3.0.6\n");
	// CreateCliToken went to the API, the command to the web server's host.
	auto calls = loggedRequests(log, "/aws_mwaa/cli");
	BOOST_REQUIRE_EQUAL(calls.size(), 2u);
	BOOST_TEST(contains(calls[0], "\"host\": \"alpha.c2.us-east-1.airflow.amazonaws.com\""), calls[0]);
	BOOST_TEST(loggedRequests(log, "/clitoken/alpha").size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(command_stderr_goes_to_stderr, TlsWorkspace)
{
	auto r = cli("alpha", { "dags", "trigger", "nosuch_dag" });
	BOOST_TEST(r.status == 0);
	BOOST_TEST(r.out == "");
	BOOST_TEST(r.err == "airflow.exceptions.DagNotFound: Dag id nosuch_dag not found in DagModel\n");
}

BOOST_FIXTURE_TEST_CASE(unsupported_command_fails, TlsWorkspace)
{
	auto r = cli("alpha", { "tasks", "run" });
	BOOST_TEST(r.status == 1);
	BOOST_TEST(r.out == "");
	// The environment's alias leads the line, as for every command over many environments.
	BOOST_TEST(r.err == "mwaatok: error: alpha: the Airflow CLI endpoint on alpha.c2.us-east-1.airflow.amazonaws.com "
			    "answered HTTP 500: airflow: error: argument GROUP_OR_COMMAND: invalid choice: 'tasks' is "
			    "not a command the MWAA CLI endpoint supports (MWAA supports only some Airflow CLI "
			    "commands)\n");
}

BOOST_AUTO_TEST_CASE(needs_a_command)
{
	Workspace ws;
	auto r = ws.run({ "cli", "alpha", "--region", "us-east-1" });
	BOOST_TEST(r.status == 2);
	BOOST_TEST(r.err == "mwaatok: error: cli needs an Airflow command after --, e.g. mwaatok cli alpha -- dags list\n");
}

BOOST_AUTO_TEST_SUITE_END()

// api, session, cli over many environments and environments --discover: the
// built mwaatok against the emulator over loopback TLS. Every host (the MWAA
// API and each web server) reaches the emulator through one catch-all
// --connect-to; certificates are checked against the test CA.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include "support.h"

using namespace mwaatok::e2e;

namespace {

struct ApiEmulator : Workspace {
	std::string log = path("requests.log");
	Emulator emu;

	explicit ApiEmulator(std::vector<std::string> extra = {})
		: emu(emulatorArgs(withTls(extra, log)))
	{
		env["AWS_CA_BUNDLE"] = testData("emulator/ca.pem");
	}

	static std::vector<std::string> withTls(std::vector<std::string> extra, const std::string &log)
	{
		std::vector<std::string> args{ "--tls-cert", testData("emulator/server.pem"), "--tls-key",
					       testData("emulator/server-key.pem"), "--log", log };
		args.insert(args.end(), extra.begin(), extra.end());
		return args;
	}

	/// mwaatok with every host sent to the emulator.
	RunResult mw(std::vector<std::string> args, const RunOptions &options = {}) const
	{
		std::vector<std::string> all{ "-r", "us-east-1", "--connect-to",
					      "::127.0.0.1:" + std::to_string(emu.port()) };
		all.insert(all.end(), args.begin(), args.end());
		return run(all, options);
	}

	/// curl with the same mapping and CA.
	RunResult curl(std::vector<std::string> args) const
	{
		std::vector<std::string> all{ "-sS", "--cacert", testData("emulator/ca.pem"), "--connect-to",
					      "::127.0.0.1:" + std::to_string(emu.port()) };
		all.insert(all.end(), args.begin(), args.end());
		return runProgram("/usr/bin/curl", all, env);
	}
};

bool haveCurl()
{
	struct stat st {};
	return ::stat("/usr/bin/curl", &st) == 0;
}

} // namespace

BOOST_AUTO_TEST_SUITE(api_command)

BOOST_AUTO_TEST_CASE(one_environment_prints_airflows_json_and_sends_query_and_body)
{
	ApiEmulator t;
	auto r = t.mw({ "api", "/dags", "--query", "limit=2", "--query", "tags=example", "alpha" });
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(r.err == "");
	BOOST_TEST(lines(r.out).size() == 1u);
	BOOST_TEST(r.out.rfind("{\"dags\":[", 0) == 0, r.out);
	BOOST_TEST(contains(r.out, "\"dag_id\":\"example_dag\""), r.out);
	// InvokeRestApi, not the web server.
	BOOST_TEST(loggedRequests(t.log, "/restapi/alpha").size() == 1u);
	BOOST_TEST(loggedRequests(t.log, "/aws_mwaa/login").empty());

	// A body: pause a DAG, then read it back.
	r = t.mw({ "api", "-X", "PATCH", "-d", "{\"is_paused\": true}", "/dags/example_dag", "alpha" });
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(contains(r.out, "\"is_paused\":true"), r.out);
	std::string body = t.dir.write("run.json", "{\"conf\": {\"k\": \"v w\"}}");
	r = t.mw({ "api", "-X", "post", "--data-file", body, "/dags/example_dag/dagRuns", "alpha" });
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(contains(r.out, "\"dag_id\":\"example_dag\""), r.out);
}

BOOST_AUTO_TEST_CASE(several_environments_one_json_line_each_in_order_by_both_routes)
{
	ApiEmulator t({ "--generate-envs", "21:us-east-1" });
	std::vector<std::string> names;
	for (size_t i = 21; i >= 1; --i) // asked in reverse: the output keeps this order
		names.push_back(generatedName(i));
	for (std::string via : { "invoke-rest-api", "session" }) {
		std::vector<std::string> args{ "api", "/dags", "--via", via, "-j", "8" };
		args.insert(args.end(), names.begin(), names.end());
		auto r = t.mw(args);
		BOOST_TEST(r.status == 0, via << ": " << r.err);
		auto out = lines(r.out);
		BOOST_REQUIRE_EQUAL(out.size(), 21u);
		for (size_t i = 0; i < 21; ++i) {
			BOOST_TEST(out[i].rfind("{\"alias\":\"" + names[i] + "\",\"environment\":\"" + names[i] +
							"\",\"region\":\"us-east-1\",\"status\":200,\"response\":{\"dags\":",
						0) == 0,
				   out[i]);
		}
	}
	// The session route logged in on each web server, once per environment.
	BOOST_TEST(loggedRequests(t.log, "/restapi/" + generatedName(1)).size() == 1u);
	size_t logins = loggedRequests(t.log, "/aws_mwaa/login").size() +
			loggedRequests(t.log, "/pluginsv2/aws_mwaa/login").size();
	BOOST_TEST(logins == 21u);
}

BOOST_AUTO_TEST_CASE(print_formats_apply_to_answers)
{
	ApiEmulator t;
	auto r = t.mw({ "api", "/dags", "alpha", "-o", "print:format=ndjson" });
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(r.out.rfind("{\"alias\":\"alpha\",", 0) == 0, r.out);
	r = t.mw({ "api", "/dags/nope", "alpha", "bravo", "-o", "print:format=table" });
	BOOST_TEST(r.status == 1);
	BOOST_TEST(contains(r.out, "ALIAS"), r.out);
	BOOST_TEST(contains(r.out, "404"), r.out);
	BOOST_TEST(contains(r.out, "DAG not found"), r.out);
	r = t.mw({ "api", "/dags", "alpha", "-o", "print:format=url" });
	BOOST_TEST(r.status == 2);
	BOOST_TEST(r.err == "mwaatok: error: output plugin 'print' cannot deliver an Airflow API answer; "
			    "choose another with -o\n",
		   r.err);
	BOOST_TEST(loggedRequests(t.log, "/restapi/alpha").size() == 2u); // the url run sent nothing
}

BOOST_AUTO_TEST_CASE(the_profiles_outputs_are_for_links_only)
{
	ApiEmulator t;
	std::string profile = t.dir.write("p.yaml", "defaults:\n  outputs: [file]\noutputs:\n  print: {format: url}\n"
						    "  file: {path: " + t.path("links.html") + "}\nenvironments:\n"
						    "  prod:\n    name: alpha\n    region: us-east-1\n");
	auto r = t.mw({ "api", "/dags/tutorial", "prod", "--config", profile });
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(r.out.rfind("{\"dag_id\":\"tutorial\"", 0) == 0, r.out);
	BOOST_TEST(!fileExists(t.path("links.html")));
}

BOOST_AUTO_TEST_CASE(airflow_errors_print_status_and_problem_and_exit_1)
{
	ApiEmulator t;
	auto r = t.mw({ "api", "/dags/no_such_dag", "alpha" });
	BOOST_TEST(r.status == 1);
	BOOST_TEST(contains(r.out, "\"title\":\"DAG not found\""), r.out);
	BOOST_TEST(contains(r.out, "\"status\":404"), r.out);
	BOOST_TEST(r.err == "mwaatok: error: alpha: Airflow answered HTTP 404: DAG not found: The DAG with "
			    "dag_id: `no_such_dag` was not found\n",
		   r.err);
	// With several, the others still answer; the failing one carries its status.
	r = t.mw({ "api", "/dags/tutorial", "alpha", "bravo" });
	BOOST_TEST(r.status == 0, r.err);
	r = t.mw({ "api", "/dags/no_such_dag", "--via", "session", "alpha", "bravo" });
	BOOST_TEST(r.status == 1);
	auto out = lines(r.out);
	BOOST_REQUIRE_EQUAL(out.size(), 2u);
	BOOST_TEST(contains(out[1], "\"alias\":\"bravo\""));
	BOOST_TEST(contains(out[1], "\"status\":404"));
}

BOOST_AUTO_TEST_CASE(bad_path_method_or_body_is_refused_before_sending)
{
	ApiEmulator t;
	for (const auto &args : std::vector<std::vector<std::string>>{
		     { "api", "-X", "FETCH", "/dags", "alpha" },
		     { "api", "/dags/../config", "alpha" },
		     { "api", "dags", "alpha" },
		     { "api", "https://evil.example/dags", "alpha" },
		     { "api", "-X", "POST", "-d", "{not json", "/dags/x/dagRuns", "alpha" },
		     { "api", "/dags", "--query", "=x", "alpha" },
		     { "api", "/dags", "--via", "carrier-pigeon", "alpha" },
		     { "api", "/dags" },
	     }) {
		auto r = t.mw(args);
		BOOST_TEST(r.status == 2, args[1] << ": " << r.err);
		BOOST_TEST(lines(r.err).size() == 1u, r.err);
		BOOST_TEST(r.out == "");
	}
	BOOST_TEST(readFile(t.log) == "");
}

BOOST_AUTO_TEST_CASE(via_session_on_airflow_2_and_3)
{
	ApiEmulator t;
	auto r = t.mw({ "api", "/dags", "--via", "session", "alpha", "bravo" }); // 2.10.3 and 3.0.6
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(lines(r.out).size() == 2u);
	BOOST_TEST(loggedRequests(t.log, "/aws_mwaa/login").size() == 1u);
	BOOST_TEST(loggedRequests(t.log, "/pluginsv2/aws_mwaa/login").size() == 1u);
	BOOST_TEST(loggedRequests(t.log, "/api/v1/dags").size() == 1u);
	BOOST_TEST(loggedRequests(t.log, "/api/v2/dags").size() == 1u);
	BOOST_TEST(loggedRequests(t.log, "/restapi/alpha").empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(session_command)

BOOST_AUTO_TEST_CASE(header_and_cookie_jar_work_with_curl)
{
	if (!haveCurl()) {
		BOOST_TEST_MESSAGE("skipped: no curl");
		return;
	}
	ApiEmulator t;
	auto r = t.mw({ "session", "alpha" });
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(r.out.rfind("Cookie: session=", 0) == 0);
	BOOST_TEST(lines(r.out).size() == 1u);
	std::string header = lines(r.out).at(0);
	auto c = t.curl({ "-f", "-H", header, "https://alpha.c2.us-east-1.airflow.amazonaws.com/api/v1/dags" });
	BOOST_TEST(c.status == 0, c.err);
	BOOST_TEST(contains(c.out, "example_dag"), c.out);

	r = t.mw({ "session", "bravo" });
	BOOST_TEST(r.out.rfind("Authorization: Bearer ", 0) == 0);
	c = t.curl({ "-f", "-H", lines(r.out).at(0), "https://bravo.c2.us-east-1.airflow.amazonaws.com/api/v2/dags" });
	BOOST_TEST(c.status == 0, c.err);
	BOOST_TEST(contains(c.out, "example_dag"), c.out);

	// Without the session the web server refuses: the header is what logs in.
	c = t.curl({ "-f", "https://alpha.c2.us-east-1.airflow.amazonaws.com/api/v1/dags" });
	BOOST_TEST(c.status != 0);

	std::string jar = t.path("cookies.txt");
	r = t.mw({ "session", "alpha", "-o", "file:path=" + jar + ",format=cookiejar" });
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(r.out == ""); // the session went to the file only
	BOOST_TEST(fileMode(jar) == 0600u);
	c = t.curl({ "-f", "-b", jar, "https://alpha.c2.us-east-1.airflow.amazonaws.com/api/v1/dags" });
	BOOST_TEST(c.status == 0, c.err);
	BOOST_TEST(contains(c.out, "example_dag"), c.out);
}

BOOST_AUTO_TEST_CASE(json_and_exec_deliveries)
{
	ApiEmulator t;
	auto r = t.mw({ "session", "bravo", "-o", "print:format=json" });
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(contains(r.out, "\"alias\":\"bravo\""), r.out);
	BOOST_TEST(contains(r.out, "\"api_base_url\":\"https://bravo.c2.us-east-1.airflow.amazonaws.com/api/v2\""), r.out);
	BOOST_TEST(contains(r.out, "\"header_name\":\"Authorization\""), r.out);
	// exec: the JSON on stdin, nothing secret on a command line.
	std::string seen = t.path("seen.json");
	r = t.mw({ "session", "alpha", "-o", "exec:command=sh -c 'cat > " + seen + "'" });
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(contains(readFile(seen), "\"header_value\":\"session="), readFile(seen));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_over_many)

BOOST_AUTO_TEST_CASE(grouped_in_order_with_quoted_arguments)
{
	ApiEmulator t;
	auto r = t.mw({ "cli", "bravo", "alpha", "charlie", "--", "dags", "trigger", "example_dag", "-c",
			"{\"note\": \"two words\"}" });
	BOOST_TEST(r.status == 0, r.err);
	auto out = lines(r.out);
	BOOST_REQUIRE_EQUAL(out.size(), 6u);
	const char *order[] = { "bravo", "alpha", "charlie" };
	for (size_t i = 0; i < 3; ++i) {
		BOOST_TEST(out[2 * i] == std::string("== ") + order[i] + " (" + order[i] + ", us-east-1) ==");
		BOOST_TEST(out[2 * i + 1] == "Created <DagRun example_dag @ manual__emulator: state:queued, externally "
					     "triggered: True> conf={\"note\": \"two words\"}",
			   out[2 * i + 1]);
	}
	// One environment that cannot run its command makes the exit status 1.
	r = t.mw({ "cli", "alpha", "no-such-env", "--", "version" });
	BOOST_TEST(r.status == 1);
	BOOST_TEST(contains(r.out, "2.10.3"), r.out);
	BOOST_TEST(contains(r.err, "mwaatok: error: no-such-env: "), r.err);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(discovery)

BOOST_AUTO_TEST_CASE(discover_across_pages_gives_a_profile_check_accepts)
{
	ApiEmulator t({ "--generate-envs", "60:eu-west-1" });
	auto r = t.mw({ "environments", "--discover", "-r", "us-east-1", "-r", "eu-west-1" });
	BOOST_TEST(r.status == 0, r.err);
	std::string profile = t.dir.write("found.yaml", r.out);
	// 60 generated (three pages of 25) and eu-west-1's echo, the four of us-east-1.
	BOOST_TEST(countOf(r.out, "name: ") == 65u, r.out);
	BOOST_TEST(loggedRequests(t.log, "/environments").size() >= 4u);
	auto c = t.run({ "environments", "--check", "--config", profile });
	BOOST_TEST(c.status == 0, c.err);
	BOOST_TEST(contains(c.out, ": ok, 65 environments"), c.out);

	// --config merges: an alias given by hand survives a new discovery.
	std::string mine = t.dir.write("mine.yaml", "environments:\n  prod:\n    name: alpha\n    region: us-east-1\n");
	r = t.mw({ "environments", "--discover", "-r", "us-east-1", "--config", mine });
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(contains(r.out, "\n  \"prod\":\n    name: \"alpha\"\n"), r.out);
	BOOST_TEST(countOf(r.out, "name: \"alpha\"") == 1u, r.out);
}

BOOST_AUTO_TEST_SUITE_END()

// url: login URLs for Airflow 2 and 3, ordering, and each kind of failure.
#include <boost/test/unit_test.hpp>

#include "support.h"

using namespace mwaatok::e2e;

BOOST_AUTO_TEST_SUITE(url)

BOOST_AUTO_TEST_CASE(airflow_2_and_3_from_get_environment)
{
	Workspace ws;
	std::string log = ws.path("requests.log");
	Emulator emu(emulatorArgs({ "--log", log }));
	auto r = ws.run(against(emu, { "url", "alpha", "bravo" }));
	BOOST_TEST(r.status == 0);
	BOOST_TEST(r.err == "");
	BOOST_TEST(matches(r.out, loginUrls({ { "alpha", 2 }, { "bravo", 3 } })), r.out);
	// The version was learned from GetEnvironment, one call per environment.
	BOOST_TEST(loggedRequests(log, "/environments/alpha").size() == 1u);
	BOOST_TEST(loggedRequests(log, "/environments/bravo").size() == 1u);
	BOOST_TEST(loggedRequests(log, "/webtoken/alpha").size() == 1u);
}

BOOST_AUTO_TEST_CASE(printed_in_the_order_given)
{
	Workspace ws;
	Emulator emu(emulatorArgs({ "--latency-ms", "30" }));
	auto r = ws.run(against(emu, { "url", "charlie", "bravo", "alpha", "delta", "-j", "4", "--airflow-version", "2" }));
	BOOST_TEST(r.status == 0);
	BOOST_TEST(r.err == "");
	BOOST_TEST(matches(r.out, loginUrls({ { "charlie", 2 }, { "bravo", 2 }, { "alpha", 2 }, { "delta", 2 } })), r.out);
}

BOOST_AUTO_TEST_CASE(airflow_version_option_overrides_and_skips_get_environment)
{
	Workspace ws;
	std::string log = ws.path("requests.log");
	Emulator emu(emulatorArgs({ "--log", log }));
	auto r3 = ws.run(against(emu, { "url", "alpha", "--airflow-version", "3" }));
	BOOST_TEST(r3.status == 0);
	BOOST_TEST(r3.err == "");
	BOOST_TEST(matches(r3.out, loginUrls({ { "alpha", 3 } })), r3.out);
	auto r2 = ws.run(against(emu, { "url", "bravo", "--airflow-version=2" }));
	BOOST_TEST(r2.status == 0);
	BOOST_TEST(matches(r2.out, loginUrls({ { "bravo", 2 } })), r2.out);
	BOOST_TEST(loggedRequests(log, "/environments/alpha").empty());
	BOOST_TEST(loggedRequests(log, "/environments/bravo").empty());
}

BOOST_AUTO_TEST_CASE(airflow_version_from_the_yaml_profile)
{
	Workspace ws;
	std::string log = ws.path("requests.log");
	Emulator emu(emulatorArgs({ "--log", log }));
	std::string profile = ws.dir.write("mwaatok.yaml",
					   "defaults:\n"
					   "  region: us-east-1\n"
					   "  endpoint_url: " + emu.url() + "\n"
					   "environments:\n"
					   "  a:\n"
					   "    name: alpha\n"
					   "    airflow_version: 3\n"
					   "  b:\n"
					   "    name: bravo\n"
					   "    airflow_version: \"2\"\n");
	auto r = ws.run({ "url", "a", "b", "--config", profile });
	BOOST_TEST(r.status == 0);
	BOOST_TEST(r.err == "");
	BOOST_TEST(matches(r.out, loginUrls({ { "alpha", 3 }, { "bravo", 2 } })), r.out);
	BOOST_TEST(loggedRequests(log, "/environments/alpha").empty());
	BOOST_TEST(loggedRequests(log, "/environments/bravo").empty());
}

BOOST_FIXTURE_TEST_CASE(unknown_environment_fails_alone, EmulatorWorkspace)
{
	auto r = run(against(emu, { "url", "alpha", "nosuch", "bravo" }));
	BOOST_TEST(r.status == 1);
	BOOST_TEST(matches(r.out, loginUrls({ { "alpha", 2 }, { "bravo", 3 } })), r.out);
	BOOST_TEST(r.err == "mwaatok: error: nosuch: CreateWebLoginToken: ResourceNotFoundException: "
			    "Environment named nosuch not found.; no environment 'nosuch' in region us-east-1 "
			    "(check the name and --region)\n");
}

BOOST_AUTO_TEST_CASE(access_denied_names_the_permission)
{
	Workspace ws;
	Emulator emu(emulatorArgs({ "--deny", std::string(kKeyId) + ":charlie" }));
	auto r = ws.run(against(emu, { "url", "charlie", "alpha" }));
	BOOST_TEST(r.status == 1);
	BOOST_TEST(matches(r.out, loginUrls({ { "alpha", 2 } })), r.out);
	BOOST_TEST(r.err == "mwaatok: error: charlie: CreateWebLoginToken: AccessDeniedException: User: "
			    "arn:aws:sts::123456789012:assumed-role/mwaa-emulator/AKIDE2EEXAMPLE is not authorized to "
			    "perform: airflow:CreateWebLoginToken on resource: "
			    "arn:aws:airflow:us-east-1:123456789012:role/charlie/Admin; the caller needs "
			    "airflow:CreateWebLoginToken on arn:aws:airflow:us-east-1:ACCOUNT:role/charlie/ROLE "
			    "(ROLE is Admin, Op, User, Viewer or Public)\n");
}

BOOST_AUTO_TEST_CASE(invalid_name_is_refused_before_any_request)
{
	Workspace ws;
	std::string log = ws.path("requests.log");
	Emulator emu(emulatorArgs({ "--log", log }));
	auto r = ws.run(against(emu, { "url", "1bad" }));
	BOOST_TEST(r.status == 2);
	BOOST_TEST(r.out == "");
	BOOST_TEST(r.err == "mwaatok: error: '1bad' is neither an alias in the profile (none was loaded; see "
			    "mwaatok(5)) nor a valid MWAA environment name: use 1 to 80 letters, digits, '-' or '_', "
			    "starting with a letter\n");
	auto r2 = ws.run(against(emu, { "url", "alpha", "bad.name" }));
	BOOST_TEST(r2.status == 2);
	BOOST_TEST(r2.out == "");
	BOOST_TEST(lines(r2.err).size() == 1u, r2.err);
	BOOST_TEST(contains(r2.err, "'bad.name'"), r2.err);
	BOOST_TEST(loggedRequests(log).empty());
}

BOOST_FIXTURE_TEST_CASE(no_credentials_lists_the_providers, EmulatorWorkspace)
{
	env.erase("AWS_ACCESS_KEY_ID");
	env.erase("AWS_SECRET_ACCESS_KEY");
	auto r = run(against(emu, { "url", "alpha", "--airflow-version", "2" }));
	BOOST_TEST(r.status == 3);
	BOOST_TEST(r.out == "");
	BOOST_TEST(lines(r.err).size() == 1u, r.err);
	BOOST_TEST(contains(r.err, "mwaatok: error: alpha: no aws credentials found ("), r.err);
	// Every provider, and why it was skipped.
	for (const char *provider :
	     { "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set; ",
	       "shared-files: no [default] profile in " , "web-identity: ", "container: ", "imds: AWS_EC2_METADATA_DISABLED is true" })
		BOOST_TEST(contains(r.err, provider), provider << " in " << r.err);
}

BOOST_FIXTURE_TEST_CASE(wrong_region_gets_a_region_hint, EmulatorWorkspace)
{
	auto r = run(against(emu, { "url", "alpha", "--airflow-version", "2" }, "us-west-2"));
	BOOST_TEST(r.status == 1);
	BOOST_TEST(r.out == "");
	BOOST_TEST(lines(r.err).size() == 1u, r.err);
	BOOST_TEST(contains(r.err, "mwaatok: error: alpha: CreateWebLoginToken: InvalidSignatureException: "), r.err);
	BOOST_TEST(contains(r.err, "; the endpoint is not in region us-west-2: check --region or the profile's region\n"),
		   r.err);
}

BOOST_FIXTURE_TEST_CASE(get_environment_denied_fails_the_environment, EmulatorWorkspace)
{
	// delta runs Airflow 3, but the caller may not call GetEnvironment on it:
	// an Airflow 2 link would not log in, so delta fails and says what to set.
	auto r = run(against(emu, { "url", "alpha", "delta" }));
	BOOST_TEST(r.status == 1);
	BOOST_TEST(matches(r.out, loginUrls({ { "alpha", 2 } })), r.out);
	BOOST_TEST(lines(r.err).size() == 1u, r.err);
	BOOST_TEST(contains(r.err, "mwaatok: error: delta: cannot tell the Airflow version: GetEnvironment: "
				   "AccessDeniedException: "),
		   r.err);
	BOOST_TEST(contains(r.err, "; set airflow_version for 'delta' in the profile or give --airflow-version\n"),
		   r.err);

	// Doing what the message says works.
	auto v = run(against(emu, { "url", "delta", "--airflow-version", "3" }));
	BOOST_TEST(v.status == 0, v.err);
	BOOST_TEST(matches(v.out, loginUrls({ { "delta", 3 } })), v.out);
}

BOOST_FIXTURE_TEST_CASE(get_environment_is_retried_like_any_call, Workspace)
{
	// The first two requests for every environment fail with 503, in any order
	// (token or GetEnvironment): the retries still learn bravo's Airflow 3.
	Emulator emu(emulatorArgs({ "--fail-first", "2", "--faults", "503" }));
	auto ok = run(against(emu, { "url", "bravo", "--max-attempts", "3" }));
	BOOST_TEST(ok.status == 0, ok.err);
	BOOST_TEST(matches(ok.out, loginUrls({ { "bravo", 3 } })), ok.out);
	// With one attempt the version stays unknown (or the token fails): never an Airflow 2 link.
	Emulator failing(emulatorArgs({ "--fail-first", "1000", "--faults", "503" }));
	auto r = run(against(failing, { "url", "bravo", "--max-attempts", "1" }));
	BOOST_TEST(r.status == 1);
	BOOST_TEST(r.out == "");
	BOOST_TEST(lines(r.err).size() == 1u, r.err);
}

BOOST_AUTO_TEST_SUITE_END()

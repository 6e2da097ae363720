// The library's InvokeRestApi and ListEnvironments against the local
// emulator over loopback TLS: the real host prefixes (env., api.) reach it
// through a connect-to mapping, certificates checked against the test CA.
#define BOOST_TEST_MODULE mwaa_api_emulator
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Array.h>
#include <future>
#include <Poco/JSON/Parser.h>

#include "api_emulator.h"
#include "mwaatok/environment_profile.h"
#include "mwaatok/list_environments.h"
#include "mwaatok/url.h"

using namespace mwaatok;
using namespace mwaatok::e2e;
using namespace mwaatok::apitest;

namespace {

Poco::JSON::Object::Ptr object(const std::string &text)
{
	return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

} // namespace

BOOST_AUTO_TEST_SUITE(invoke_rest_api)

BOOST_FIXTURE_TEST_CASE(get_with_a_query_on_airflow_2_and_3, TlsEmulator)
{
	for (std::string env : { "alpha", "bravo" }) {
		auto client = mwaa("us-east-1");
		auto answer = client->invokeRestApi(env, makeAirflowRequest("GET", "/dags", { "limit=1", "dag_id_pattern=_dag" }, {}));
		BOOST_TEST(answer.status == 200);
		BOOST_TEST(answer.exception == "");
		auto body = object(answer.body);
		BOOST_TEST(body->getValue<int>("total_entries") == 2); // example_dag, broken_dag
		BOOST_TEST(body->getArray("dags")->size() == 1u);
	}
	auto log = loggedRequests(logFile, "/restapi/alpha");
	BOOST_REQUIRE(log.size() == 1u);
	BOOST_TEST(contains(log[0], "\"host\": \"env.airflow.us-east-1.amazonaws.com\""), log[0]);
	BOOST_TEST(contains(log[0], "\"signature_verified\": true"), log[0]);
}

BOOST_FIXTURE_TEST_CASE(bodies_pause_and_trigger, TlsEmulator)
{
	auto client = mwaa("us-east-1");
	auto paused = client->invokeRestApi("charlie", makeAirflowRequest("PATCH", "/dags/example_dag", {},
									 std::string("{\"is_paused\": true}")));
	BOOST_TEST(paused.status == 200);
	BOOST_TEST(object(paused.body)->getValue<bool>("is_paused") == true);
	auto read = client->invokeRestApi("charlie", makeAirflowRequest("GET", "/dags/example_dag", {}, {}));
	BOOST_TEST(object(read.body)->getValue<bool>("is_paused") == true);
	// Another environment keeps its own state.
	auto other = client->invokeRestApi("alpha", makeAirflowRequest("GET", "/dags/example_dag", {}, {}));
	BOOST_TEST(object(other.body)->getValue<bool>("is_paused") == false);

	auto run = client->invokeRestApi(
		"charlie", makeAirflowRequest("POST", "/dags/tutorial/dagRuns", {},
					      std::string("{\"dag_run_id\": \"r 1\", \"conf\": {\"n\": [1, \"two\"]}}")));
	BOOST_TEST(run.status == 200);
	auto runBody = object(run.body);
	BOOST_TEST(runBody->getValue<std::string>("dag_run_id") == "r 1");
	BOOST_TEST(runBody->getObject("conf")->getArray("n")->getElement<std::string>(1) == "two");
}

BOOST_FIXTURE_TEST_CASE(airflow_errors_carry_status_and_problem, TlsEmulator)
{
	auto client = mwaa("us-east-1");
	auto missing = client->invokeRestApi("alpha", makeAirflowRequest("GET", "/dags/nope", {}, {}));
	BOOST_TEST(missing.status == 404);
	BOOST_TEST(missing.exception == "RestApiClientException");
	BOOST_TEST(missing.title() == "DAG not found");
	BOOST_TEST(missing.detail() == "The DAG with dag_id: `nope` was not found");
	auto badBody = client->invokeRestApi("alpha", makeAirflowRequest("PATCH", "/dags/tutorial", {},
									std::string("{\"is_paused\": \"yes\"}")));
	BOOST_TEST(badBody.status == 400);
	BOOST_TEST(badBody.title() == "Bad Request");
	auto broken = client->invokeRestApi("bravo", makeAirflowRequest("GET", "/dags/broken_dag", {}, {}));
	BOOST_TEST(broken.status == 500);
	BOOST_TEST(broken.exception == "RestApiServerException");
	BOOST_TEST(broken.describe() == "Airflow answered HTTP 500: Internal Server Error (The DAG broken_dag failed to load)");
	BOOST_CHECK_THROW(requireSuccess(broken, "bravo"), AirflowError);
}

BOOST_FIXTURE_TEST_CASE(mwaa_errors_throw, TlsEmulator)
{
	auto client = mwaa("us-east-1");
	BOOST_CHECK_EXCEPTION(client->invokeRestApi("zulu", makeAirflowRequest("GET", "/dags", {}, {})), ServiceError,
			      [](const ServiceError &e) {
				      return e.status() == 404 && contains(e.what(), "no environment 'zulu' in region us-east-1");
			      });
	auto denied = mwaa("us-east-1", "AKIDDENIED", "denied-secret");
	BOOST_CHECK_EXCEPTION(denied->invokeRestApi("alpha", makeAirflowRequest("GET", "/dags", {}, {})), ServiceError,
			      [](const ServiceError &e) {
				      return e.code() == "AccessDeniedException" &&
					     contains(e.what(), "airflow:InvokeRestApi on arn:aws:airflow:us-east-1:ACCOUNT:role/alpha/ROLE");
			      });
}

BOOST_FIXTURE_TEST_CASE(refusals_send_nothing, TlsEmulator)
{
	auto client = mwaa("us-east-1");
	BOOST_CHECK_THROW(client->invokeRestApi("alpha", makeAirflowRequest("GET", "/dags/../config", {}, {})), Error);
	BOOST_CHECK_THROW(client->invokeRestApi("alpha", makeAirflowRequest("OPTIONS", "/dags", {}, {})), Error);
	BOOST_CHECK_THROW(client->invokeRestApi("alpha", makeAirflowRequest("POST", "/dags/x/dagRuns", {}, std::string("{"))),
			  Error);
	AirflowRequest hand;
	hand.path = "https://evil.example/dags";
	BOOST_CHECK_THROW(client->invokeRestApi("alpha", hand), Error);
	BOOST_TEST(loggedRequests(logFile).empty());
}

BOOST_FIXTURE_TEST_CASE(many_environments_at_once_by_both_routes, TlsEmulator)
{
	restart({ "--generate-envs", "21:eu-west-1" });
	auto client = mwaa("eu-west-1");
	auto request = makeAirflowRequest("POST", "/dags/tutorial/dagRuns", { "x=1" }, std::string("{\"conf\": {\"n\": 1}}"));
	std::vector<std::future<std::string>> lines;
	for (size_t i = 1; i <= 21; ++i)
		lines.push_back(std::async(std::launch::async, [&, i] {
			auto route = i % 2 ? AirflowRoute::InvokeRestApi : AirflowRoute::Session;
			auto answer = callAirflow(*client, *transport, generatedName(i), request, route, std::nullopt,
						  std::chrono::seconds(20), clock.now());
			return formatAirflowResultJson(generatedName(i), generatedName(i), "eu-west-1", answer);
		}));
	for (size_t i = 1; i <= 21; ++i) {
		auto line = object(lines[i - 1].get());
		BOOST_TEST(line->getValue<std::string>("environment") == generatedName(i));
		BOOST_TEST(line->getValue<int>("status") == 200);
		BOOST_TEST(line->getObject("response")->getObject("conf")->getValue<int>("n") == 1);
	}
	BOOST_TEST(loggedRequests(logFile, "/aws_mwaa/login").size() == 10u);
}

BOOST_FIXTURE_TEST_CASE(both_routes_give_the_same_answer, TlsEmulator)
{
	auto client = mwaa("us-east-1");
	for (std::string env : { "alpha", "bravo", "charlie" }) {
		auto request = makeAirflowRequest("GET", "/dags/example_dag", {}, {});
		auto viaApi = callAirflow(*client, *transport, env, request, AirflowRoute::InvokeRestApi, std::nullopt,
					  std::chrono::seconds(10), clock.now());
		auto viaSession = callAirflow(*client, *transport, env, request, AirflowRoute::Session, std::nullopt,
					      std::chrono::seconds(10), clock.now());
		BOOST_TEST(viaApi.status == 200);
		BOOST_TEST(viaSession.status == 200);
		BOOST_TEST(airflowBodyJson(viaApi) == airflowBodyJson(viaSession), env);
		auto missingApi = callAirflow(*client, *transport, env, makeAirflowRequest("GET", "/dags/x", {}, {}),
					      AirflowRoute::InvokeRestApi, std::nullopt, std::chrono::seconds(10), clock.now());
		auto missingSession = callAirflow(*client, *transport, env, makeAirflowRequest("GET", "/dags/x", {}, {}),
						  AirflowRoute::Session, env == "bravo" ? 3 : 2, std::chrono::seconds(10),
						  clock.now());
		BOOST_TEST(missingApi.status == 404);
		BOOST_TEST(missingSession.status == 404);
		BOOST_TEST(missingApi.describe() == missingSession.describe());
	}
}

BOOST_FIXTURE_TEST_CASE(the_emulator_validates_what_the_client_would_refuse, TlsEmulator)
{
	// Raw signed requests, past the library's own checks.
	clients.push_back(std::make_unique<AwsClient>(*transport, clock, [] {
		return Credentials{ kKeyId, kSecret, "", {}, "", "test" };
	}));
	CallOptions options;
	options.region = "us-east-1";
	options.service = "airflow";
	options.retry.maxAttempts = 1;
	options.throwOnError = false;
	auto send = [&](const std::string &method, const std::string &url, const std::string &body) {
		AwsRequest req;
		req.method = method;
		req.url = Url::parse(url);
		req.body = body;
		return clients.back()->send(req, options);
	};
	const std::string env = "https://env.airflow.us-east-1.amazonaws.com/restapi/alpha";
	for (std::string body : { "{\"Path\": \"/" + std::string(64, 'd') + "\", \"Method\": \"GET\"}",
				  std::string("{\"Path\": \"/dags\", \"Method\": \"HEAD\"}"), std::string("{\"Method\": \"GET\"}"),
				  std::string("not json") }) {
		auto r = send("POST", env, body);
		BOOST_TEST(r.status == 400, body);
		BOOST_TEST(r.header("X-Amzn-ErrorType").value_or("") == "ValidationException", body);
	}
	const std::string api = "https://api.airflow.us-east-1.amazonaws.com/environments";
	BOOST_TEST(send("GET", api + "?MaxResults=26", "").status == 400);
	BOOST_TEST(send("GET", api + "?MaxResults=0", "").status == 400);
	BOOST_TEST(send("GET", api + "?NextToken=forged", "").status == 400);
	auto page = send("GET", api + "?MaxResults=3", "");
	BOOST_TEST(page.status == 200);
	BOOST_TEST(contains(page.body, "\"NextToken\": \""), page.body);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(list_environments)

BOOST_FIXTURE_TEST_CASE(all_pages_of_each_region, TlsEmulator)
{
	restart({ "--generate-envs", "60:us-west-2" });
	auto west = mwaa("us-west-2");
	auto names = listAllEnvironments(*west);
	BOOST_REQUIRE(names.size() == 60u);
	for (size_t i = 0; i < names.size(); ++i)
		BOOST_TEST(names[i] == generatedName(i + 1));
	auto pages = loggedRequests(logFile, "/environments");
	BOOST_TEST(pages.size() == 3u); // 25 + 25 + 10
	BOOST_TEST(contains(pages[0], "\"host\": \"api.airflow.us-west-2.amazonaws.com\""), pages[0]);
	BOOST_TEST(listAllEnvironments(*mwaa("us-east-1"), 3) ==
			   (std::vector<std::string>{ "alpha", "bravo", "charlie", "delta" }),
		   boost::test_tools::per_element());
	BOOST_TEST(listAllEnvironments(*mwaa("eu-west-1")) == (std::vector<std::string>{ "echo" }),
		   boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(discover_then_load_gives_the_same_environments, TlsEmulator)
{
	restart({ "--generate-envs", "30:us-west-2" });
	std::vector<DiscoveryScope> scopes = { { "", "us-east-1" }, { "", "eu-west-1" }, { "", "us-west-2" } };
	auto found = discoverEnvironments(scopes, [&](const DiscoveryScope &s) { return listAllEnvironments(*mwaa(s.region)); });
	BOOST_TEST(found.failures.empty());
	BOOST_REQUIRE(found.environments.size() == 35u);
	const std::vector<std::string> plugins = { "print", "file", "exec", "browser" };
	auto profile = parseProfile(formatDiscoveredProfile(found.environments), "discovered.yaml", plugins);
	auto resolvedEnvs = listEnvironments(profile, {});
	BOOST_REQUIRE(resolvedEnvs.size() == found.environments.size());
	for (size_t i = 0; i < resolvedEnvs.size(); ++i) {
		BOOST_TEST(resolvedEnvs[i].name == found.environments[i].name);
		BOOST_TEST(resolvedEnvs[i].region.value.value_or("") == found.environments[i].region);
	}
	// Every discovered environment answers through the profile's settings.
	auto answer = mwaa(resolvedEnvs.back().region.value.value_or(""))
			      ->invokeRestApi(resolvedEnvs.back().name, makeAirflowRequest("GET", "/dags", {}, {}));
	BOOST_TEST(answer.status == 200);
}

BOOST_FIXTURE_TEST_CASE(a_denied_scope_is_a_failure_the_others_survive, TlsEmulator)
{
	std::vector<DiscoveryScope> scopes = { { "bad-key", "us-east-1" }, { "", "eu-west-1" } };
	auto found = discoverEnvironments(scopes, [&](const DiscoveryScope &s) {
		auto client = s.awsProfile.empty() ? mwaa(s.region) : mwaa(s.region, "AKIDUNKNOWN", "x");
		return listAllEnvironments(*client);
	});
	BOOST_REQUIRE(found.environments.size() == 1u);
	BOOST_TEST(found.environments[0].name == "echo");
	BOOST_REQUIRE(found.failures.size() == 1u);
	BOOST_TEST(contains(found.failures[0], "profile bad-key, region us-east-1: ListEnvironments: UnrecognizedClientException"),
		   found.failures[0]);
}

BOOST_FIXTURE_TEST_CASE(botocore_pages_the_emulator_the_same_way, TlsEmulator)
{
	restart({ "--generate-envs", "40:us-west-2" });
	TempDir home;
	EnvMap env = { { "PATH", "/usr/bin:/bin" }, { "HOME", home.path() },
		       { "AWS_CONFIG_FILE", home.path() + "/config" }, { "AWS_SHARED_CREDENTIALS_FILE", home.path() + "/creds" },
		       { "AWS_ACCESS_KEY_ID", kKeyId }, { "AWS_SECRET_ACCESS_KEY", kSecret },
		       { "AWS_EC2_METADATA_DISABLED", "true" } };
	auto r = runProgram("/usr/bin/python3",
			    { builtProgram("MWAATOK_API_TEST_DIR") + "/botocore_api_list.py", emulator->url(), "us-west-2", "7",
			      testData("emulator/ca.pem") },
			    env, "", 60);
	if (r.status == 77 || (r.status == 127 && !fileExists("/usr/bin/python3"))) {
		BOOST_TEST_MESSAGE("skipped: python3-botocore is not installed");
		return;
	}
	BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
	BOOST_TEST(lines(r.out) == listAllEnvironments(*mwaa("us-west-2")), boost::test_tools::per_element());
	BOOST_TEST(lines(r.out).size() == 40u);
	BOOST_TEST(loggedRequests(logFile, "/environments").size() == 6u + 2u); // 40 by 7, then 40 by 25
}

BOOST_AUTO_TEST_SUITE_END()

// InvokeRestApi and the Airflow request checks, over a scripted transport.
#define BOOST_TEST_MODULE mwaa_api
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Parser.h>

#include "mwaatok/error.h"
#include "mwaatok/mwaa_client.h"
#include "mwaatok/rest_api.h"
#include "fakes.h"
#include "scripted_transport.h"

using namespace mwaatok;
using namespace mwaatok::test;

namespace {

MwaaEndpointConfig region(const std::string &r)
{
	MwaaEndpointConfig c;
	c.region = r;
	return c;
}

/// An MwaaClient over a scripted transport, with a fixed clock and test keys.
struct Rig {
	explicit Rig(ScriptedTransport::Handler handler) : transport(std::move(handler)) {}
	ScriptedTransport transport;
	FixedClock clock = FixedClock::fromSeconds(1700000000);
	AwsClient aws{ transport, clock, [] { return Credentials{ "AKID", "SECRET", "", {}, "", "test" }; } };
	MwaaClient client{ aws, region("eu-west-1"), CallOptions{} };
};

std::string usageError(const std::function<void()> &f)
{
	try {
		f();
	} catch (const Error &e) {
		BOOST_TEST((e.kind() == ErrorKind::Usage), e.what());
		BOOST_TEST(exitStatusFor(e.kind()) == 2);
		return e.what();
	}
	BOOST_FAIL("no error");
	return {};
}

Poco::JSON::Object::Ptr parsed(const std::string &text)
{
	return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

} // namespace

BOOST_AUTO_TEST_SUITE(airflow_request)

BOOST_AUTO_TEST_CASE(normalises_method_and_splits_query_items)
{
	auto r = makeAirflowRequest("patch", "/dags/example_dag", { "update_mask=is_paused", "a=b=c", "empty=" },
				    std::string(" {\"is_paused\": true} "));
	BOOST_TEST(r.method == "PATCH");
	BOOST_TEST(r.path == "/dags/example_dag");
	BOOST_REQUIRE(r.query.size() == 3u);
	BOOST_TEST(r.query[1].first == "a");
	BOOST_TEST(r.query[1].second == "b=c");
	BOOST_TEST(r.query[2].second == "");
	// Dag run ids carry ':' and '+'; escapes are allowed.
	BOOST_CHECK_NO_THROW(makeAirflowRequest("GET", "/dags/d/dagRuns/manual__2024-01-01T00:00:00+00:00", {}, {}));
	BOOST_CHECK_NO_THROW(makeAirflowRequest("GET", "/dags/a%20b", {}, {}));
}

BOOST_AUTO_TEST_CASE(refuses_bad_paths_with_the_reason)
{
	auto why = [](const std::string &path) {
		return usageError([&] { makeAirflowRequest("GET", path, {}, {}); });
	};
	BOOST_TEST(why("dags").find("must start with '/'") != std::string::npos);
	BOOST_TEST(why("").find("it is empty") != std::string::npos);
	BOOST_TEST(why("/dags/../config").find("'..'") != std::string::npos);
	BOOST_TEST(why("/dags/%2e%2e/config").find("'..'") != std::string::npos);
	BOOST_TEST(why("/dags/./x").find("'.'") != std::string::npos);
	BOOST_TEST(why("//evil.example/dags").find("without a scheme or host") != std::string::npos);
	BOOST_TEST(why("/https://evil.example").find("without a scheme or host") != std::string::npos);
	BOOST_TEST(why("/dags\r\nX-Injected: 1").find("control character") != std::string::npos);
	BOOST_TEST(why("/dags/%0d%0a").find("encoded control character") != std::string::npos);
	BOOST_TEST(why("/dags?limit=1").find("-q KEY=VALUE") != std::string::npos);
	BOOST_TEST(why("/dags#x").find("'#'") != std::string::npos);
	BOOST_TEST(why("/dags/a b").find("percent-encode") != std::string::npos);
	BOOST_TEST(why("/dags/%zz").find("%20") != std::string::npos);
	BOOST_TEST(why("/dags/\xc3\xa9").find("non-ASCII") != std::string::npos);
	BOOST_TEST(why("/api/v1/dags").find("leave out /api/v1") != std::string::npos);
	// The message quotes the path without its control characters.
	BOOST_TEST(why("/a\x1b[31m").find('\x1b') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(refuses_bad_methods_queries_and_bodies)
{
	BOOST_TEST(usageError([] { makeAirflowRequest("HEAD", "/dags", {}, {}); }).find("GET, PUT, POST, PATCH or DELETE") !=
		   std::string::npos);
	BOOST_TEST(usageError([] { makeAirflowRequest("GET", "/dags", { "limit" }, {}); }).find("KEY=VALUE") !=
		   std::string::npos);
	BOOST_TEST(usageError([] { makeAirflowRequest("GET", "/dags", { "=1" }, {}); }).find("KEY=VALUE") !=
		   std::string::npos);
	for (std::string body : { "", "not json", "{\"a\": 1", "{\"a\": 1} trailing", "42", "\"text\"",
				   "{'a': 1}" }) {
		auto message = usageError([&] { makeAirflowRequest("POST", "/dags/x/dagRuns", {}, body); });
		BOOST_TEST(message.find("not valid JSON") != std::string::npos, body);
	}
	// The body is never quoted back: it may hold secrets.
	auto message = usageError([] { makeAirflowRequest("POST", "/variables", {}, std::string("{\"value\": \"hunter2\"")); });
	BOOST_TEST(message.find("hunter2") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(builds_the_invoke_rest_api_body)
{
	auto r = makeAirflowRequest("GET", "/dags", { "limit=10", "tags=a", "tags=b\"c" }, std::nullopt);
	auto obj = parsed(invokeRestApiBody(r));
	BOOST_TEST(obj->getValue<std::string>("Path") == "/dags");
	BOOST_TEST(obj->getValue<std::string>("Method") == "GET");
	auto q = obj->getObject("QueryParameters");
	BOOST_TEST(q->getValue<std::string>("limit") == "10");
	BOOST_REQUIRE(q->getArray("tags"));
	BOOST_TEST(q->getArray("tags")->getElement<std::string>(1) == "b\"c");
	BOOST_TEST(!obj->has("Body"));

	auto post = makeAirflowRequest("POST", "/dags/d/dagRuns", {}, std::string("{\"conf\": {\"n\": [1, 2]}}"));
	auto withBody = parsed(invokeRestApiBody(post));
	BOOST_TEST(!withBody->has("QueryParameters"));
	BOOST_TEST(withBody->getObject("Body")->getObject("conf")->getArray("n")->size() == 2u);
	BOOST_TEST(airflowQueryString(r) == "?limit=10&tags=a&tags=b%22c");
	BOOST_TEST(airflowQueryString(post) == "");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(invoke_rest_api)

BOOST_AUTO_TEST_CASE(posts_to_the_env_host_and_returns_airflows_answer)
{
	Rig rig([](const HttpRequest &, size_t) {
		return jsonResponse(200, "{\"RestApiStatusCode\": 200, \"RestApiResponse\": "
					 "{\"total_entries\": 1, \"dags\": [{\"dag_id\": \"d\"}]}}");
	});
	auto answer = rig.client.invokeRestApi("prod", makeAirflowRequest("GET", "/dags", { "limit=1" }, {}));
	BOOST_TEST(answer.ok());
	BOOST_TEST(answer.status == 200);
	// Airflow's member order is kept.
	BOOST_TEST(answer.body == "{\"total_entries\":1,\"dags\":[{\"dag_id\":\"d\"}]}");
	BOOST_TEST(answer.exception == "");
	auto sent = rig.transport.requests();
	BOOST_REQUIRE(sent.size() == 1u);
	BOOST_TEST(sent[0].method == "POST");
	BOOST_TEST(sent[0].url == "https://env.airflow.eu-west-1.amazonaws.com/restapi/prod");
	BOOST_TEST(findHeader(sent[0].headers, "Content-Type").value_or("") == "application/json");
	auto auth = findHeader(sent[0].headers, "Authorization").value_or("");
	BOOST_TEST(auth.find("/eu-west-1/airflow/aws4_request") != std::string::npos);
	BOOST_TEST(parsed(sent[0].body)->getObject("QueryParameters")->getValue<std::string>("limit") == "1");
}

BOOST_AUTO_TEST_CASE(airflow_client_and_server_errors_are_answers_with_status_and_problem)
{
	const std::string problem = "{\"detail\": \"The DAG with dag_id: `x` was not found\", \"status\": 404, "
				    "\"title\": \"DAG not found\", \"type\": \"about:blank\"}";
	Rig rig([&](const HttpRequest &req, size_t) {
		bool server = req.body.find("/dags/boom") != std::string::npos;
		return jsonResponse(400,
				    "{\"message\": \"failed\", \"RestApiStatusCode\": " + std::string(server ? "500" : "404") +
					    ", \"RestApiResponse\": " +
					    (server ? std::string("{\"title\": \"Internal Server Error\"}") : problem) + "}",
				    { { "X-Amzn-ErrorType", server ? "RestApiServerException" : "RestApiClientException" } });
	});
	auto missing = rig.client.invokeRestApi("prod", makeAirflowRequest("GET", "/dags/x", {}, {}));
	BOOST_TEST(!missing.ok());
	BOOST_TEST(missing.status == 404);
	BOOST_TEST(missing.exception == "RestApiClientException");
	BOOST_TEST(missing.title() == "DAG not found");
	BOOST_TEST(missing.detail() == "The DAG with dag_id: `x` was not found");
	BOOST_TEST(missing.describe() == "Airflow answered HTTP 404: DAG not found (The DAG with dag_id: `x` was not found)");
	BOOST_CHECK_EXCEPTION(requireSuccess(missing, "prod"), AirflowError, [](const AirflowError &e) {
		return e.kind() == ErrorKind::Service && e.response().status == 404 &&
		       std::string(e.what()) == "prod: Airflow answered HTTP 404: DAG not found (The DAG with dag_id: `x` was not found)";
	});

	auto broken = rig.client.invokeRestApi("prod", makeAirflowRequest("GET", "/dags/boom", {}, {}));
	BOOST_TEST(broken.status == 500);
	BOOST_TEST(broken.exception == "RestApiServerException");
	BOOST_TEST(broken.title() == "Internal Server Error");
	// Not retried: an Airflow error is an answer.
	BOOST_TEST(rig.transport.requests().size() == 2u);
}

BOOST_AUTO_TEST_CASE(mwaa_errors_throw_with_the_iam_hint)
{
	Rig rig([](const HttpRequest &, size_t) {
		return jsonResponse(403, "{\"Message\": \"User: x is not authorized to perform: airflow:InvokeRestApi\"}",
				    { { "X-Amzn-ErrorType", "AccessDeniedException" } });
	});
	BOOST_CHECK_EXCEPTION(rig.client.invokeRestApi("prod", makeAirflowRequest("GET", "/dags", {}, {})), ServiceError,
			      [](const ServiceError &e) {
				      std::string m = e.what();
				      return e.status() == 403 && e.code() == "AccessDeniedException" &&
					     m.find("InvokeRestApi: AccessDeniedException: User: x") == 0 &&
					     m.find("airflow:InvokeRestApi on arn:aws:airflow:eu-west-1:ACCOUNT:role/prod/ROLE") !=
						     std::string::npos &&
					     m.find("--via session") != std::string::npos;
			      });
}

BOOST_AUTO_TEST_CASE(refuses_before_sending)
{
	Rig rig([](const HttpRequest &, size_t) { return jsonResponse(200, "{}"); });
	AirflowRequest bad;
	bad.method = "TRACE";
	bad.path = "/dags";
	usageError([&] { rig.client.invokeRestApi("prod", bad); });
	bad.method = "GET";
	bad.path = "/dags/../x";
	usageError([&] { rig.client.invokeRestApi("prod", bad); });
	bad.path = "/dags";
	bad.body = "{oops";
	usageError([&] { rig.client.invokeRestApi("prod", bad); });
	auto longPath = makeAirflowRequest("GET", "/dags/" + std::string(60, 'd'), {}, {});
	BOOST_TEST(usageError([&] { rig.client.invokeRestApi("prod", longPath); }).find("--via session") !=
		   std::string::npos);
	usageError([&] { rig.client.invokeRestApi("bad name", makeAirflowRequest("GET", "/dags", {}, {})); });
	BOOST_TEST(rig.transport.requests().empty());
}

BOOST_AUTO_TEST_CASE(a_response_without_a_status_is_a_service_error)
{
	Rig rig([](const HttpRequest &, size_t) { return jsonResponse(200, "{\"WebToken\": \"x\"}"); });
	BOOST_CHECK_EXCEPTION(rig.client.invokeRestApi("prod", makeAirflowRequest("GET", "/dags", {}, {})), Error,
			      [](const Error &e) {
				      return e.kind() == ErrorKind::Service &&
					     std::string(e.what()).find("no RestApiStatusCode") != std::string::npos;
			      });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(airflow_results)

BOOST_AUTO_TEST_CASE(routes_parse_and_results_are_one_json_line_each)
{
	BOOST_TEST((parseAirflowRoute("session") == AirflowRoute::Session));
	BOOST_TEST((parseAirflowRoute("invoke-rest-api") == AirflowRoute::InvokeRestApi));
	BOOST_TEST(usageError([] { parseAirflowRoute("web\n"); }).find("use invoke-rest-api (the default) or session") !=
		   std::string::npos);

	AirflowResponse pretty{ 200, "{\n  \"dags\": [],\n  \"total_entries\": 0\n}\n", {} };
	BOOST_TEST(formatAirflowResultJson("prod", "prod-airflow", "eu-west-1", pretty) ==
		   "{\"alias\": \"prod\", \"environment\": \"prod-airflow\", \"region\": \"eu-west-1\", \"status\": 200, "
		   "\"response\": {\"dags\":[],\"total_entries\":0}}");
	AirflowResponse html{ 502, "<html>Bad Gateway</html>\n", {} };
	BOOST_TEST(airflowBodyJson(html) == "\"<html>Bad Gateway</html>\"");
	BOOST_TEST(airflowBodyJson(AirflowResponse{ 204, "", {} }) == "null");
	BOOST_TEST(airflowBodyJson(AirflowResponse{ 200, "{broken", {} }) == "\"{broken\"");
}

BOOST_AUTO_TEST_CASE(call_airflow_by_session_checks_the_request_before_any_call)
{
	Rig rig([](const HttpRequest &, size_t) { return jsonResponse(200, "{}"); });
	AirflowRequest bad;
	bad.path = "/dags/../x";
	usageError([&] {
		callAirflow(rig.client, rig.transport, "prod", bad, AirflowRoute::Session, 2, std::chrono::seconds(1),
			    rig.clock.now());
	});
	BOOST_TEST(rig.transport.requests().empty());
}

BOOST_AUTO_TEST_SUITE_END()

// Web sessions against the emulator's web servers over loopback TLS: the
// login exchange for Airflow 2 and 3, API calls through the session, and curl
// using the cookie jar and the header the library produced.
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Parser.h>

#include "api_emulator.h"
#include "mwaatok/web_session.h"

using namespace mwaatok;
using namespace mwaatok::e2e;
using namespace mwaatok::apitest;

namespace {

constexpr std::chrono::seconds kTimeout{ 10 };

Poco::JSON::Object::Ptr object(const std::string &text)
{
	return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

/// curl against the emulator as \a host's web server, with \a args; the
/// answer's body, then a line with the HTTP status.
RunResult curl(const TlsEmulator &emu, const std::string &host, std::vector<std::string> args)
{
	std::vector<std::string> all = { "-sS", "--cacert", testData("emulator/ca.pem"), "--connect-to",
					 host + ":443:127.0.0.1:" + std::to_string(emu.emulator->port()), "-w", "\n%{http_code}" };
	all.insert(all.end(), args.begin(), args.end());
	return runProgram("/usr/bin/curl", all, { { "PATH", "/usr/bin:/bin" }, { "HOME", emu.dir.path() } }, "", 60);
}

bool haveCurl()
{
	if (fileExists("/usr/bin/curl"))
		return true;
	BOOST_TEST_MESSAGE("skipped: /usr/bin/curl is not installed");
	return false;
}

} // namespace

BOOST_AUTO_TEST_SUITE(web_session)

BOOST_FIXTURE_TEST_CASE(airflow_2_session_cookie_reaches_api_v1, TlsEmulator)
{
	auto client = mwaa("us-east-1");
	WebSession s = openWebSession(*client, *transport, "alpha", 2, kTimeout, clock.now());
	BOOST_TEST(s.hostname == webHost("alpha"));
	BOOST_TEST(s.cookieName == "session");
	BOOST_TEST(s.headerLine().rfind("Cookie: session=", 0) == 0u, s.headerName());
	BOOST_REQUIRE(s.expires.has_value());
	BOOST_TEST((*s.expires > clock.now() + std::chrono::hours(11)));
	BOOST_TEST(s.apiBaseUrl() == "https://" + webHost("alpha") + "/api/v1");

	auto dags = callAirflowApi(*transport, s, makeAirflowRequest("GET", "/dags", { "limit=2" }, {}), kTimeout);
	BOOST_TEST(dags.status == 200);
	BOOST_TEST(object(dags.body)->getArray("dags")->size() == 2u);
	auto paused = callAirflowApi(*transport, s, makeAirflowRequest("PATCH", "/dags/tutorial", {}, std::string("{\"is_paused\": false}")),
				     kTimeout);
	BOOST_TEST(object(paused.body)->getValue<bool>("is_paused") == false);
	auto missing = callAirflowApi(*transport, s, makeAirflowRequest("GET", "/dags/nope", {}, {}), kTimeout);
	BOOST_TEST(missing.status == 404);
	BOOST_TEST(missing.title() == "DAG not found");
	// The login went to the web server's own host name.
	auto logins = loggedRequests(logFile, "/aws_mwaa/login");
	BOOST_REQUIRE(logins.size() == 1u);
	BOOST_TEST(contains(logins[0], "\"host\": \"" + webHost("alpha") + "\""), logins[0]);
	BOOST_TEST(contains(logins[0], "\"status\": 302"), logins[0]);
}

BOOST_FIXTURE_TEST_CASE(airflow_3_jwt_bearer_reaches_api_v2_with_the_version_from_get_environment, TlsEmulator)
{
	auto client = mwaa("us-east-1");
	WebSession s = openWebSession(*client, *transport, "bravo", std::nullopt, kTimeout, clock.now());
	BOOST_TEST(s.airflowMajor == 3);
	BOOST_TEST(s.cookieName == "_token");
	BOOST_TEST(s.headerLine().rfind("Authorization: Bearer ey", 0) == 0u, s.headerName());
	BOOST_TEST(loggedRequests(logFile, "/environments/bravo").size() == 1u);
	BOOST_TEST(loggedRequests(logFile, "/pluginsv2/aws_mwaa/login").size() == 1u);
	auto run = callAirflowApi(*transport, s,
				  makeAirflowRequest("POST", "/dags/example_dag/dagRuns", {}, std::string("{\"conf\": {\"k\": \"v\"}}")),
				  kTimeout);
	BOOST_TEST(run.status == 200);
	BOOST_TEST(object(run.body)->getObject("conf")->getValue<std::string>("k") == "v");
	auto broken = callAirflowApi(*transport, s, makeAirflowRequest("GET", "/dags/broken_dag", {}, {}), kTimeout);
	BOOST_TEST(broken.status == 500);
	BOOST_TEST(broken.title() == "Internal Server Error");
}

BOOST_FIXTURE_TEST_CASE(the_wrong_version_or_a_used_token_is_refused, TlsEmulator)
{
	auto client = mwaa("us-east-1");
	// alpha runs Airflow 2: the Airflow 3 login path is not there.
	BOOST_CHECK_EXCEPTION(openWebSession(*client, *transport, "alpha", 3, kTimeout, clock.now()), Error, [](const Error &e) {
		return contains(e.what(), "answered HTTP 404 without a '_token' cookie") && contains(e.what(), "--airflow-version");
	});
	// A web login token is good for one exchange.
	WebLoginToken token = client->createWebLoginToken("charlie");
	BOOST_CHECK_NO_THROW(exchangeWebLoginToken(*transport, token, 2, kTimeout, clock.now()));
	BOOST_CHECK_EXCEPTION(exchangeWebLoginToken(*transport, token, 2, kTimeout, clock.now()), Error, [&](const Error &e) {
		return contains(e.what(), "answered HTTP 403") && !contains(e.what(), token.webToken);
	});
	// Another environment's token does not open this one.
	WebLoginToken other = client->createWebLoginToken("alpha");
	other.webServerHostname = webHost("charlie");
	BOOST_CHECK_THROW(exchangeWebLoginToken(*transport, other, 2, kTimeout, clock.now()), Error);
}

BOOST_FIXTURE_TEST_CASE(a_key_without_invoke_rest_api_still_has_the_session_route, TlsEmulator)
{
	restart({ "--key", "AKIDNOREST:norest-secret", "--deny", "AKIDNOREST:*:InvokeRestApi" });
	auto client = mwaa("us-east-1", "AKIDNOREST", "norest-secret");
	auto request = makeAirflowRequest("GET", "/dags", {}, {});
	BOOST_CHECK_EXCEPTION(callAirflow(*client, *transport, "alpha", request, AirflowRoute::InvokeRestApi, std::nullopt,
					  kTimeout, clock.now()),
			      ServiceError, [](const ServiceError &e) {
				      return e.code() == "AccessDeniedException" && contains(e.what(), "or use --via session");
			      });
	auto answer = callAirflow(*client, *transport, "alpha", request, AirflowRoute::Session, std::nullopt, kTimeout,
				  clock.now());
	BOOST_TEST(answer.status == 200);
}

BOOST_FIXTURE_TEST_CASE(the_web_server_certificate_is_verified, TlsEmulator)
{
	auto client = mwaa("us-east-1");
	WebLoginToken token = client->createWebLoginToken("alpha");
	// The same route to the emulator, without the test CA: the system trust store refuses it.
	TransportConfig untrusting;
	untrusting.connectTo.push_back(ConnectTo{ "", 443, "127.0.0.1", emulator->port() });
	PocoHttpTransport other(untrusting);
	BOOST_CHECK_EXCEPTION(exchangeWebLoginToken(other, token, 2, kTimeout, clock.now()), NetworkError,
			      [&](const NetworkError &e) {
				      return e.failure() == NetworkFailure::Tls && !contains(e.what(), token.webToken);
			      });
	BOOST_TEST(loggedRequests(logFile, "/aws_mwaa/login").empty());
}

BOOST_FIXTURE_TEST_CASE(a_session_opens_only_its_own_web_server, TlsEmulator)
{
	auto client = mwaa("us-east-1");
	WebSession alpha = openWebSession(*client, *transport, "alpha", 2, kTimeout, clock.now());
	WebSession stolen = alpha;
	stolen.hostname = webHost("charlie");
	auto refused = callAirflowApi(*transport, stolen, makeAirflowRequest("GET", "/dags", {}, {}), kTimeout);
	BOOST_TEST(refused.status == 401);
	BOOST_TEST(refused.title() == "Unauthorized");
	WebSession forged = alpha;
	forged.value = "forged";
	BOOST_TEST(callAirflowApi(*transport, forged, makeAirflowRequest("GET", "/dags", {}, {}), kTimeout).status == 401);
}

BOOST_FIXTURE_TEST_CASE(curl_reads_the_cookie_jar, TlsEmulator)
{
	if (!haveCurl())
		return;
	auto client = mwaa("us-east-1");
	WebSession s = openWebSession(*client, *transport, "alpha", 2, kTimeout, clock.now());
	std::string jar = dir.path() + "/alpha.cookies";
	writeCookieJar(jar, s);
	BOOST_TEST(fileMode(jar) == 0600u);
	auto r = curl(*this, webHost("alpha"), { "-b", jar, "https://" + webHost("alpha") + "/api/v1/dags/example_dag" });
	BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
	auto out = lines(r.out);
	BOOST_REQUIRE(out.size() == 2u);
	BOOST_TEST(out[1] == "200");
	BOOST_TEST(object(out[0])->getValue<std::string>("dag_id") == "example_dag");
	// Without the jar the API refuses.
	auto without = curl(*this, webHost("alpha"), { "https://" + webHost("alpha") + "/api/v1/dags" });
	BOOST_TEST(lines(without.out).back() == "401");
}

BOOST_FIXTURE_TEST_CASE(curl_sends_the_header_line, TlsEmulator)
{
	if (!haveCurl())
		return;
	auto client = mwaa("us-east-1");
	for (std::string env : { "alpha", "bravo" }) {
		WebSession s = openWebSession(*client, *transport, env, std::nullopt, kTimeout, clock.now());
		// From a file, as "$(mwaatok session ENV)" would give it, and off the command line.
		std::string header = dir.write(env + ".header", s.headerLine() + "\n");
		auto r = curl(*this, webHost(env), { "-H", "@" + header, s.apiBaseUrl() + "/dags?limit=1" });
		BOOST_REQUIRE_MESSAGE(r.status == 0, r.err);
		auto out = lines(r.out);
		BOOST_REQUIRE(out.size() == 2u);
		BOOST_TEST(out[1] == "200", env);
		BOOST_TEST(object(out[0])->getValue<int>("total_entries") == 3);
	}
}

BOOST_AUTO_TEST_SUITE_END()

// The login exchange, API calls through a session, the header, cookie jar
// and JSON forms, over a scripted transport.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "mwaatok/error.h"
#include "mwaatok/mwaa_client.h"
#include "mwaatok/web_session.h"
#include "fakes.h"
#include "scripted_transport.h"

using namespace mwaatok;
using namespace mwaatok::test;

namespace {

const Clock::time_point kNow{ std::chrono::seconds(1700000000) };
const std::string kHost = "abc.c2.us-east-1.airflow.amazonaws.com";

WebLoginToken token(const std::string &value = "tok+en/==")
{
	return { value, kHost, "", "" };
}

HttpResponse redirect(std::vector<std::string> cookies, int status = 302)
{
	HttpResponse r;
	r.status = status;
	r.headers = { { "Location", "/" } };
	for (auto &c : cookies)
		r.headers.push_back({ "Set-Cookie", std::move(c) });
	return r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(web_session)

BOOST_AUTO_TEST_CASE(airflow_2_posts_the_token_as_a_form_and_keeps_the_session_cookie)
{
	ScriptedTransport t([](const HttpRequest &, size_t) {
		return redirect({ "other=1; Path=/", "session=abc.DEF-123; Expires=Wed, 15 Nov 2023 10:13:20 GMT; Secure; HttpOnly; Path=/" });
	});
	WebSession s = exchangeWebLoginToken(t, token(), 2, std::chrono::seconds(5), kNow);
	auto sent = t.requests();
	BOOST_REQUIRE(sent.size() == 1u);
	BOOST_TEST(sent[0].method == "POST");
	BOOST_TEST(sent[0].url == "https://" + kHost + "/aws_mwaa/login");
	BOOST_TEST(sent[0].body == "token=tok%2Ben%2F%3D%3D");
	BOOST_TEST(findHeader(sent[0].headers, "Content-Type").value_or("") == "application/x-www-form-urlencoded");
	BOOST_TEST(s.cookieName == "session");
	BOOST_TEST(s.value == "abc.DEF-123");
	BOOST_REQUIRE(s.expires.has_value());
	BOOST_TEST(std::chrono::duration_cast<std::chrono::seconds>(s.expires->time_since_epoch()).count() == 1700043200);
	BOOST_TEST(s.headerLine() == "Cookie: session=abc.DEF-123");
	BOOST_TEST(s.apiBaseUrl() == "https://" + kHost + "/api/v1");
}

BOOST_AUTO_TEST_CASE(airflow_3_uses_pluginsv2_and_a_bearer_jwt)
{
	ScriptedTransport t([](const HttpRequest &, size_t) { return redirect({ "_token=eyJ.eyJ.sig; Max-Age=600; Path=/" }); });
	WebSession s = exchangeWebLoginToken(t, token(), 3, std::chrono::seconds(5), kNow);
	BOOST_TEST(t.requests()[0].url == "https://" + kHost + "/pluginsv2/aws_mwaa/login");
	BOOST_TEST(s.headerName() == "Authorization");
	BOOST_TEST(s.headerLine() == "Authorization: Bearer eyJ.eyJ.sig");
	BOOST_TEST(s.apiBaseUrl() == "https://" + kHost + "/api/v2");
	BOOST_TEST((s.expires == kNow + std::chrono::seconds(600)));
	BOOST_TEST(webLoginPath(4) == "/pluginsv2/aws_mwaa/login");
}

BOOST_AUTO_TEST_CASE(a_refused_or_cookieless_answer_is_an_error_without_the_token)
{
	for (int status : { 200, 302, 403, 404, 500 }) {
		ScriptedTransport t([&](const HttpRequest &, size_t) {
			// Even a 403 carrying a cookie is a refusal; a 200 without one too.
			return redirect(status >= 400 ? std::vector<std::string>{ "session=x" } : std::vector<std::string>{ "session=; Max-Age=0" },
					status);
		});
		try {
			exchangeWebLoginToken(t, token("SECRET-WEB-TOKEN"), 2, std::chrono::seconds(5), kNow);
			BOOST_FAIL("no error for " << status);
		} catch (const Error &e) {
			std::string m = e.what();
			BOOST_TEST((e.kind() == ErrorKind::Service));
			BOOST_TEST(m.find("answered HTTP " + std::to_string(status) + " without a 'session' cookie") !=
				   std::string::npos, m);
			BOOST_TEST(m.find("SECRET-WEB-TOKEN") == std::string::npos);
			if (status == 404)
				BOOST_TEST(m.find("--airflow-version") != std::string::npos);
		}
	}
}

BOOST_AUTO_TEST_CASE(refuses_a_bad_hostname_or_version_before_sending)
{
	ScriptedTransport t([](const HttpRequest &, size_t) { return redirect({ "session=x" }); });
	WebLoginToken evil{ "tok", "evil.example/x?", "", "" };
	BOOST_CHECK_THROW(exchangeWebLoginToken(t, evil, 2, std::chrono::seconds(5), kNow), Error);
	BOOST_CHECK_THROW(exchangeWebLoginToken(t, token(), 1, std::chrono::seconds(5), kNow), Error);
	BOOST_TEST(t.requests().empty());
	// A cookie value that would smuggle header syntax is refused.
	ScriptedTransport bad([](const HttpRequest &, size_t) { return redirect({ "session=\"a\\r\\nb\"" }); });
	BOOST_CHECK_THROW(exchangeWebLoginToken(bad, token(), 2, std::chrono::seconds(5), kNow), Error);
}

BOOST_AUTO_TEST_CASE(api_calls_go_to_the_web_server_with_the_session_header)
{
	ScriptedTransport t([](const HttpRequest &, size_t) { return jsonResponse(404, "{\"title\": \"DAG not found\", \"status\": 404}"); });
	WebSession s{ kHost, 3, "_token", "jwt", std::nullopt };
	auto r = makeAirflowRequest("POST", "/dags/a%20b/dagRuns", { "x=1 2" }, std::string("{\"conf\": {}}"));
	AirflowResponse answer = callAirflowApi(t, s, r, std::chrono::seconds(5));
	BOOST_TEST(answer.status == 404);
	BOOST_TEST(answer.title() == "DAG not found");
	auto sent = t.requests();
	BOOST_REQUIRE(sent.size() == 1u);
	BOOST_TEST(sent[0].url == "https://" + kHost + "/api/v2/dags/a%20b/dagRuns?x=1%202");
	BOOST_TEST(sent[0].method == "POST");
	BOOST_TEST(findHeader(sent[0].headers, "Authorization").value_or("") == "Bearer jwt");
	BOOST_TEST(findHeader(sent[0].headers, "Content-Type").value_or("") == "application/json");
	BOOST_TEST(sent[0].body == "{\"conf\": {}}");

	AirflowRequest bad;
	bad.path = "../x";
	BOOST_CHECK_THROW(callAirflowApi(t, s, bad, std::chrono::seconds(5)), Error);
	BOOST_TEST(t.requests().size() == 1u);
}

BOOST_AUTO_TEST_CASE(cookie_jar_and_json_forms)
{
	WebSession s{ kHost, 2, "session", "v4lue", kNow };
	BOOST_TEST(formatCookieJar(s) ==
		   "# Netscape HTTP Cookie File\n"
		   "# An Airflow web session for " + kHost + ", written by mwaatok. Keep it secret.\n" +
		   kHost + "\tFALSE\t/\tTRUE\t1700000000\tsession\tv4lue\n");
	BOOST_TEST(formatSessionJson(s, "prod") ==
		   "{\"alias\": \"prod\", \"host\": \"" + kHost + "\", \"airflow_version\": 2, \"api_base_url\": \"https://" +
			   kHost + "/api/v1\", \"header_name\": \"Cookie\", \"header_value\": \"session=v4lue\", "
				   "\"expires\": \"2023-11-14T22:13:20Z\"}");
	s.expires.reset();
	BOOST_TEST(formatCookieJar(s).find("\tTRUE\t0\tsession\t") != std::string::npos);
	BOOST_TEST(formatSessionJson(s, "").find("expires") == std::string::npos);

	char dir[] = "/tmp/mwaatok-jar-XXXXXX";
	BOOST_REQUIRE(mkdtemp(dir));
	std::string path = std::string(dir) + "/jar.txt";
	writeCookieJar(path, s);
	struct stat st {};
	BOOST_REQUIRE(stat(path.c_str(), &st) == 0);
	BOOST_TEST((st.st_mode & 0777) == 0600u);
	std::ifstream in(path);
	std::string content((std::istreambuf_iterator<char>(in)), {});
	BOOST_TEST(content == formatCookieJar(s));
	std::string link = std::string(dir) + "/link";
	BOOST_REQUIRE(symlink(path.c_str(), link.c_str()) == 0);
	BOOST_CHECK_THROW(writeCookieJar(link, s), Error);
	unlink(link.c_str());
	unlink(path.c_str());
	rmdir(dir);
}

BOOST_AUTO_TEST_CASE(open_web_session_asks_get_environment_when_the_version_is_unknown)
{
	ScriptedTransport t([](const HttpRequest &req, size_t) {
		if (req.url.find("/environments/prod") != std::string::npos)
			return jsonResponse(200, "{\"Environment\": {\"Name\": \"prod\", \"AirflowVersion\": \"3.0.6\"}}");
		if (req.url.find("/webtoken/prod") != std::string::npos)
			return jsonResponse(200, "{\"WebToken\": \"wt\", \"WebServerHostname\": \"" + kHost + "\"}");
		return redirect({ "_token=jwt; Path=/", "session=s2; Path=/" });
	});
	auto clock = FixedClock::fromSeconds(1700000000);
	AwsClient aws(t, clock, [] { return Credentials{ "AKID", "SECRET", "", {}, "", "test" }; });
	MwaaEndpointConfig endpoint;
	endpoint.region = "us-east-1";
	MwaaClient client(aws, endpoint, CallOptions{});
	WebSession s = openWebSession(client, t, "prod", std::nullopt, std::chrono::seconds(5), kNow);
	BOOST_TEST(s.airflowMajor == 3);
	BOOST_TEST(s.value == "jwt");
	auto sent = t.requests();
	BOOST_REQUIRE(sent.size() == 3u);
	BOOST_TEST(sent[0].url == "https://api.airflow.us-east-1.amazonaws.com/environments/prod");
	BOOST_TEST(sent[1].url == "https://env.airflow.us-east-1.amazonaws.com/webtoken/prod");
	BOOST_TEST(sent[2].body == "token=wt");

	// With the version given, no GetEnvironment.
	WebSession two = openWebSession(client, t, "prod", 2, std::chrono::seconds(5), kNow);
	BOOST_TEST(t.requests().size() == 5u);
	BOOST_TEST(t.requests()[4].url == "https://" + kHost + "/aws_mwaa/login");
	BOOST_TEST(two.headerLine() == "Cookie: session=s2");
}

BOOST_AUTO_TEST_SUITE_END()

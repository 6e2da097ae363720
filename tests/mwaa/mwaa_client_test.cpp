#define BOOST_TEST_MODULE mwaa
#include <boost/test/unit_test.hpp>

#include "mwaatok/error.h"
#include "mwaatok/mwaa_client.h"
#include "scripted_transport.h"
#include "fakes.h"

using namespace mwaatok;
using namespace mwaatok::test;

namespace {

std::string endpointFor(MwaaEndpointConfig c, HostPrefix p = HostPrefix::Env)
{
	return mwaaEndpoint(c, p).toString();
}

MwaaEndpointConfig region(const std::string &r)
{
	MwaaEndpointConfig c;
	c.region = r;
	return c;
}

} // namespace

BOOST_AUTO_TEST_CASE(endpoints_follow_partitions_fips_dualstack_and_prefixes)
{
	BOOST_TEST(endpointFor(region("us-east-1")) == "https://env.airflow.us-east-1.amazonaws.com");
	BOOST_TEST(endpointFor(region("eu-west-1"), HostPrefix::Api) == "https://api.airflow.eu-west-1.amazonaws.com");
	BOOST_TEST(endpointFor(region("cn-north-1")) == "https://env.airflow.cn-north-1.amazonaws.com.cn");
	auto fips = region("us-east-2");
	fips.useFips = true;
	BOOST_TEST(endpointFor(fips) == "https://env.airflow-fips.us-east-2.amazonaws.com");
	auto ds = region("us-east-2");
	ds.useDualStack = true;
	BOOST_TEST(endpointFor(ds) == "https://env.airflow.us-east-2.api.aws");
	ds.useFips = true;
	BOOST_TEST(endpointFor(ds) == "https://env.airflow-fips.us-east-2.api.aws");
	auto cnds = region("cn-north-1");
	cnds.useDualStack = true;
	BOOST_TEST(endpointFor(cnds) == "https://env.airflow.cn-north-1.api.amazonwebservices.com.cn");
}

BOOST_AUTO_TEST_CASE(custom_endpoints_get_the_prefix_except_ip_localhost_or_already_there)
{
	auto c = region("us-east-1");
	c.endpointUrl = "https://mwaa.example.com";
	BOOST_TEST(endpointFor(c) == "https://env.mwaa.example.com");
	c.endpointUrl = "https://env.mwaa.example.com:8443";
	BOOST_TEST(endpointFor(c) == "https://env.mwaa.example.com:8443");
	c.endpointUrl = "http://127.0.0.1:8016";
	BOOST_TEST(endpointFor(c) == "http://127.0.0.1:8016");
	c.endpointUrl = "http://[::1]:8016/";
	BOOST_TEST(endpointFor(c) == "http://[::1]:8016");
	c.endpointUrl = "http://localhost:8016";
	BOOST_TEST(endpointFor(c, HostPrefix::Api) == "http://localhost:8016");
	c.endpointUrl = "https://mwaa.example.com/base";
	c.injectHostPrefix = false;
	BOOST_TEST(endpointFor(c) == "https://mwaa.example.com/base");
	c.useFips = true;
	BOOST_CHECK_THROW(endpointFor(c), Error);
}

BOOST_AUTO_TEST_CASE(endpoint_settings_from_the_environment)
{
	MapEnvironment env({ { "AWS_ENDPOINT_URL", "http://global:1" },
			     { "AWS_ENDPOINT_URL_MWAA", "http://mwaa:2" },
			     { "AWS_DISABLE_HOST_PREFIX_INJECTION", "True" } });
	auto c = MwaaEndpointConfig::fromEnvironment(env, "us-east-1", std::nullopt, std::string("http://profile:3"));
	BOOST_TEST(*c.endpointUrl == "http://mwaa:2");
	BOOST_TEST(!c.injectHostPrefix);
	BOOST_TEST(*MwaaEndpointConfig::fromEnvironment(env, "r", std::string("http://flag:4"), std::nullopt).endpointUrl ==
		   "http://flag:4");
	env.unset("AWS_ENDPOINT_URL_MWAA");
	BOOST_TEST(*MwaaEndpointConfig::fromEnvironment(env, "r", std::nullopt, std::nullopt).endpointUrl == "http://global:1");
	env.unset("AWS_ENDPOINT_URL");
	BOOST_TEST(*MwaaEndpointConfig::fromEnvironment(env, "r", std::nullopt, std::string("http://profile:3")).endpointUrl ==
		   "http://profile:3");
	env.set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
	env.set("AWS_ENDPOINT_URL", "http://global:1");
	BOOST_TEST(!MwaaEndpointConfig::fromEnvironment(env, "r", std::nullopt, std::string("http://p:3")).endpointUrl);
	env.set("AWS_USE_FIPS_ENDPOINT", "true");
	BOOST_TEST(MwaaEndpointConfig::fromEnvironment(env, "r", std::nullopt, std::nullopt).useFips);
}

BOOST_AUTO_TEST_CASE(missing_or_bad_region_is_a_config_error)
{
	try {
		endpointFor(region(""));
		BOOST_FAIL("expected an error");
	} catch (const Error &e) {
		BOOST_TEST((e.kind() == ErrorKind::Config));
		BOOST_TEST(std::string(e.what()).find("--region") != std::string::npos);
	}
	BOOST_CHECK_THROW(endpointFor(region("us east/1")), Error);
}

BOOST_AUTO_TEST_CASE(environment_names)
{
	BOOST_TEST(isValidEnvironmentName("prod-airflow_2"));
	BOOST_TEST(isValidEnvironmentName(std::string(80, 'a')));
	BOOST_TEST(!isValidEnvironmentName(std::string(81, 'a')));
	BOOST_TEST(!isValidEnvironmentName(""));
	BOOST_TEST(!isValidEnvironmentName("1prod"));
	BOOST_TEST(!isValidEnvironmentName("prod/../x"));
	BOOST_TEST(!isValidEnvironmentName("prod env"));
	try {
		checkEnvironmentName("9lives");
		BOOST_FAIL("expected an error");
	} catch (const Error &e) {
		BOOST_TEST(std::string(e.what()) == "invalid MWAA environment name '9lives': it must start with a letter");
	}
}

BOOST_AUTO_TEST_CASE(hostnames_and_versions)
{
	BOOST_TEST(isValidHostname("123456a0-0101-2020-9e11-1b159eec9000.c2.us-east-1.airflow.amazonaws.com"));
	BOOST_TEST(isValidHostname("abc.on.aws"));
	BOOST_TEST(!isValidHostname("evil.com/path"));
	BOOST_TEST(!isValidHostname("evil.com:443"));
	BOOST_TEST(!isValidHostname("a..b"));
	BOOST_TEST(!isValidHostname("-a.b"));
	BOOST_TEST(!isValidHostname("https://x"));
	BOOST_TEST(!isValidHostname(""));
	BOOST_TEST(airflowMajorVersion("2.10.3") == 2);
	BOOST_TEST(airflowMajorVersion("3") == 3);
	BOOST_TEST(airflowMajorVersion("3.0.6") == 3);
	BOOST_TEST(airflowMajorVersion("v3") == 0);
	BOOST_TEST(airflowMajorVersion("") == 0);
}

BOOST_AUTO_TEST_CASE(login_urls)
{
	BOOST_TEST(loginUrl("h.example.com", "tok.en-_", 2) ==
		   "https://h.example.com/aws_mwaa/aws-console-sso?login=true#tok.en-_");
	BOOST_TEST(loginUrl("h.example.com", "tok", 3) ==
		   "https://h.example.com/pluginsv2/aws_mwaa/aws-console-sso?login=true#tok");
	BOOST_TEST(loginUrl("h.example.com", "a b#c", 2, std::string("custom/sso")) ==
		   "https://h.example.com/custom/sso?login=true#a%20b%23c");
	BOOST_CHECK_THROW(loginUrl("evil.com/x?", "tok", 2), Error);
}

BOOST_AUTO_TEST_CASE(create_web_login_token_request_and_response)
{
	auto clock = FixedClock::fromSeconds(1700000000);
	ScriptedTransport t([](const HttpRequest &, size_t) {
		return jsonResponse(200, R"({"WebToken":"wt","WebServerHostname":"h.example.com",)"
					 R"("IamIdentity":"assumed-role/Admin/me","AirflowIdentity":"af"})");
	});
	AwsClient aws(t, clock, [] { return Credentials{ "AKID", "SECRET", "TOKEN", {}, "", "test" }; });
	MwaaClient client(aws, region("eu-west-1"), CallOptions{});
	std::string raw;
	auto tok = client.createWebLoginToken("prod", &raw);
	BOOST_TEST(tok.webToken == "wt");
	BOOST_TEST(tok.webServerHostname == "h.example.com");
	BOOST_TEST(tok.iamIdentity == "assumed-role/Admin/me");
	BOOST_TEST(tok.airflowIdentity == "af");
	BOOST_TEST(raw.find("\"WebToken\"") != std::string::npos);
	auto reqs = t.requests();
	BOOST_REQUIRE_EQUAL(reqs.size(), 1u);
	BOOST_TEST(reqs[0].method == "POST");
	BOOST_TEST(reqs[0].url == "https://env.airflow.eu-west-1.amazonaws.com/webtoken/prod");
	BOOST_TEST(reqs[0].body.empty());
	BOOST_TEST(!findHeader(reqs[0].headers, "content-type"));
	BOOST_TEST(*findHeader(reqs[0].headers, "x-amz-security-token") == "TOKEN");
	BOOST_TEST(findHeader(reqs[0].headers, "authorization")->find("/eu-west-1/airflow/aws4_request") !=
		   std::string::npos);
}

BOOST_AUTO_TEST_CASE(get_environment_uses_the_api_prefix)
{
	auto clock = FixedClock::fromSeconds(1700000000);
	ScriptedTransport t([](const HttpRequest &, size_t) {
		return jsonResponse(200, R"({"Environment":{"Name":"prod","AirflowVersion":"3.0.6","Status":"AVAILABLE"}})");
	});
	AwsClient aws(t, clock, [] { return Credentials{ "AKID", "SECRET", "", {}, "", "test" }; });
	MwaaClient client(aws, region("us-east-1"), CallOptions{});
	auto info = client.getEnvironment("prod");
	BOOST_TEST(info.airflowVersion == "3.0.6");
	BOOST_TEST(t.requests()[0].method == "GET");
	BOOST_TEST(t.requests()[0].url == "https://api.airflow.us-east-1.amazonaws.com/environments/prod");
}

BOOST_AUTO_TEST_CASE(errors_say_what_to_do)
{
	auto clock = FixedClock::fromSeconds(1700000000);
	ScriptedTransport t([](const HttpRequest &req, size_t) {
		if (req.url.find("/webtoken/denied") != std::string::npos)
			return jsonResponse(403, R"({"Message":"User: arn:aws:sts::1:assumed-role/x is not authorized"})",
					    { { "X-Amzn-ErrorType", "AccessDeniedException" } });
		if (req.url.find("/webtoken/missing") != std::string::npos)
			return jsonResponse(404, R"({"message":"Environment missing not found"})",
					    { { "X-Amzn-ErrorType", "ResourceNotFoundException" } });
		return jsonResponse(200, R"({"WebToken":"x"})");
	});
	AwsClient aws(t, clock, [] { return Credentials{ "AKID", "SECRET", "", {}, "", "test" }; });
	MwaaClient client(aws, region("us-east-1"), CallOptions{});
	try {
		client.createWebLoginToken("denied");
		BOOST_FAIL("expected an error");
	} catch (const ServiceError &e) {
		BOOST_TEST(std::string(e.what()) ==
			   "CreateWebLoginToken: AccessDeniedException: User: arn:aws:sts::1:assumed-role/x is not "
			   "authorized; the caller needs airflow:CreateWebLoginToken on "
			   "arn:aws:airflow:us-east-1:ACCOUNT:role/denied/ROLE (ROLE is Admin, Op, User, Viewer or Public)");
	}
	try {
		client.createWebLoginToken("missing");
		BOOST_FAIL("expected an error");
	} catch (const ServiceError &e) {
		BOOST_TEST(std::string(e.what()) ==
			   "CreateWebLoginToken: ResourceNotFoundException: Environment missing not found; "
			   "no environment 'missing' in region us-east-1 (check the name and --region)");
	}
	// A response without the members is a clear error, not a crash.
	BOOST_CHECK_THROW(client.createWebLoginToken("other"), Error);
	// An invalid name never reaches the network.
	auto before = t.requests().size();
	BOOST_CHECK_THROW(client.createWebLoginToken("bad/name"), Error);
	BOOST_TEST(t.requests().size() == before);
}

#include <boost/test/unit_test.hpp>

#include "core/strings.h"
#include "credentials/imds_client.h"
#include "test_support.h"

#include <Poco/JSON/Stringifier.h>

using namespace mwaatok;
using namespace mwaatok::test;

namespace {

const std::string kBase = "http://169.254.169.254";
const std::string kTokenUrl = kBase + "/latest/api/token";
const std::string kToken = "TOKEN-A";

std::string credsJson(const std::string &expiration, const std::string &account = "")
{
	std::string s = "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"ASIAEXAMPLE\","
			"\"SecretAccessKey\":\"secret\",\"Token\":\"session\",\"Expiration\":\"" +
			expiration + "\"";
	if (!account.empty())
		s += ",\"AccountId\":\"" + account + "\"";
	return s + "}";
}

ReplayExchange &expectToken(ReplayTransport &http, const std::string &token = kToken, int status = 200)
{
	auto &e = http.expect("PUT", kTokenUrl, status, status == 200 ? token : "");
	e.headers.push_back({"x-aws-ec2-metadata-token-ttl-seconds", "21600"});
	return e;
}

ReplayExchange &expectGet(ReplayTransport &http, const std::string &path, int status, const std::string &body,
			  const std::optional<std::string> &token = kToken)
{
	auto &e = http.expect("GET", kBase + path, status, body);
	if (token)
		e.headers.push_back({"x-aws-ec2-metadata-token", *token});
	else
		e.absent.push_back("x-aws-ec2-metadata-token");
	return e;
}

Credentials resolveImds(CredentialProvider &p)
{
	std::string why;
	auto c = p.resolve(why);
	BOOST_REQUIRE_MESSAGE(c.has_value(), "no credentials: " << why);
	return *c;
}

// Resolve with a fresh IMDS provider, which must load nothing; the reason why.
std::string notLoaded(Seams &s)
{
	auto p = makeImdsProvider(s.context(), {});
	std::string why;
	BOOST_TEST(!p->resolve(why));
	BOOST_TEST(s.http.failures().empty());
	return why;
}

} // namespace

BOOST_AUTO_TEST_CASE(imds_sep_cases)
{
	auto cases = loadJson(dataDir() + "/imds/imds-credentials-sep-tests.json").extract<Poco::JSON::Array::Ptr>();
	BOOST_TEST(cases->size() == 13u);
	for (size_t i = 0; i < cases->size(); ++i) {
		auto t = cases->getObject(static_cast<unsigned>(i));
		BOOST_TEST_CONTEXT(t->getValue<std::string>("summary"))
		{
			Seams s;
			auto config = t->getObject("config");
			if (config->has("envVars"))
				s.env = envFrom(config->getObject("envVars"));
			if (!config->isNull("ec2InstanceProfileName"))
				s.env.set("AWS_EC2_INSTANCE_PROFILE_NAME", config->getValue<std::string>("ec2InstanceProfileName"));
			auto expectations = t->getArray("expectations");
			// The SEP leaves tokens out; one token is fetched first and then reused.
			if (expectations->size() > 0)
				expectToken(s.http);
			for (size_t j = 0; j < expectations->size(); ++j) {
				auto e = expectations->getObject(static_cast<unsigned>(j));
				std::string path = e->getValue<std::string>("get");
				// The list endpoints are requested with a trailing slash.
				if (endsWith(path, "security-credentials") || endsWith(path, "security-credentials-extended"))
					path += "/";
				auto resp = e->getObject("response");
				std::string body;
				if (resp->has("body")) {
					auto b = resp->get("body");
					if (b.isString()) {
						body = b.convert<std::string>();
					} else {
						std::ostringstream os;
						Poco::JSON::Stringifier::stringify(b, os);
						body = os.str();
					}
				}
				expectGet(s.http, path, resp->getValue<int>("status"), body);
			}
			auto provider = makeImdsProvider(s.context(), {});
			auto outcomes = t->getArray("outcomes");
			for (size_t j = 0; j < outcomes->size(); ++j) {
				auto o = outcomes->getObject(static_cast<unsigned>(j));
				std::string result = o->getValue<std::string>("result");
				std::string why;
				try {
					auto c = provider->resolve(why);
					if (result == "credentials") {
						BOOST_REQUIRE_MESSAGE(c.has_value(), why);
						BOOST_TEST(c->accessKeyId == "ASIAIOSFODNN7EXAMPLE");
						BOOST_TEST(c->source == "iam-role");
						BOOST_TEST(c->accountId ==
							   (o->has("accountId") ? o->getValue<std::string>("accountId") : ""));
					} else if (result == "no credentials") {
						BOOST_TEST(!c.has_value());
						BOOST_TEST(why == "AWS_EC2_METADATA_DISABLED is true");
					} else {
						BOOST_ERROR("expected an error (" << result << "), got a result");
					}
				} catch (const ReplayMismatch &e) {
					BOOST_ERROR("http replay: " << e.what());
				} catch (const Error &e) {
					BOOST_TEST(result == "invalid profile", e.what());
					BOOST_TEST(std::string(e.what()).find("no instance profile named") != std::string::npos);
				}
			}
			BOOST_TEST(s.http.remaining() == 0u);
			BOOST_TEST(s.http.failures().empty());
		}
	}
}

BOOST_AUTO_TEST_CASE(token_is_cached_and_refetched_on_401)
{
	Seams s;
	expectToken(s.http);
	expectGet(s.http, "/latest/meta-data/iam/security-credentials-extended/", 200, "role");
	expectGet(s.http, "/latest/meta-data/iam/security-credentials-extended/role", 200, credsJson("2030-01-01T00:00:00Z"));
	// Second resolve: same token, no PUT.
	expectGet(s.http, "/latest/meta-data/iam/security-credentials-extended/role", 401, "");
	expectToken(s.http, "TOKEN-B");
	expectGet(s.http, "/latest/meta-data/iam/security-credentials-extended/role", 200,
		  credsJson("2030-01-01T00:00:00Z"), "TOKEN-B");
	auto p = makeImdsProvider(s.context(), {});
	resolveImds(*p);
	resolveImds(*p);
	BOOST_TEST(s.http.remaining() == 0u);
	BOOST_TEST(s.http.failures().empty());
}

BOOST_AUTO_TEST_CASE(token_is_fetched_again_after_its_ttl)
{
	Seams s;
	detail::ImdsClient client(s.http, s.clock, detail::imdsSettings(s.env, nullptr));
	expectToken(s.http);
	expectGet(s.http, "/a", 200, "1");
	expectGet(s.http, "/a", 200, "1");
	expectToken(s.http, "TOKEN-B");
	expectGet(s.http, "/a", 200, "1", "TOKEN-B");
	client.get("/a");
	s.clock.advance(std::chrono::hours(5));
	client.get("/a");
	s.clock.advance(std::chrono::hours(1)); // inside the margin before the 6 h TTL
	client.get("/a");
	BOOST_TEST(s.http.remaining() == 0u);
	BOOST_TEST(s.http.failures().empty());
}

BOOST_AUTO_TEST_CASE(imds_requests_use_short_timeouts)
{
	Seams s;
	detail::ImdsClient client(s.http, s.clock, detail::imdsSettings(s.env, nullptr));
	expectToken(s.http);
	expectGet(s.http, "/a", 200, "1");
	client.get("/a");
	for (const auto &r : s.http.received()) {
		BOOST_TEST(r.connectTimeout.count() == 1000);
		BOOST_TEST(r.readTimeout.count() == 1000);
	}
	s.env.set("AWS_METADATA_SERVICE_TIMEOUT", "0.5");
	s.env.set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3");
	auto settings = detail::imdsSettings(s.env, nullptr);
	BOOST_TEST(settings.timeout.count() == 500);
	BOOST_TEST(settings.attempts == 3);
	s.env.set("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "many");
	BOOST_CHECK_THROW(detail::imdsSettings(s.env, nullptr), Error);
}

BOOST_AUTO_TEST_CASE(imdsv1_fallback_on_403_404_405)
{
	for (int status : {403, 404, 405}) {
		BOOST_TEST_CONTEXT("token status " << status)
		{
			Seams s;
			expectToken(s.http, "", status);
			expectGet(s.http, "/latest/meta-data/iam/security-credentials-extended/", 200, "role", std::nullopt);
			expectGet(s.http, "/latest/meta-data/iam/security-credentials-extended/role", 200,
				  credsJson("2030-01-01T00:00:00Z"), std::nullopt);
			auto p = makeImdsProvider(s.context(), {});
			BOOST_TEST(resolveImds(*p).sessionToken == "session");
			BOOST_TEST(s.http.remaining() == 0u);
			BOOST_TEST(s.http.failures().empty());
		}
	}
}

BOOST_AUTO_TEST_CASE(imdsv1_fallback_can_be_disabled_by_env_or_profile)
{
	for (int viaProfile : {0, 1}) {
		Seams s;
		if (viaProfile)
			s.fs.write("/home/.aws/config", "[default]\nec2_metadata_v1_disabled = true\n");
		else
			s.env.set("AWS_EC2_METADATA_V1_DISABLED", "true");
		expectToken(s.http, "", 403);
		std::string why = notLoaded(s);
		BOOST_TEST(why.find("imdsv1 fallback is disabled") != std::string::npos, why);
	}
}

BOOST_AUTO_TEST_CASE(token_400_is_not_a_fallback)
{
	Seams s;
	expectToken(s.http, "", 400);
	std::string why = notLoaded(s);
	BOOST_TEST(why.find("http 400") != std::string::npos, why);
}

BOOST_AUTO_TEST_CASE(disabled_imds_sends_nothing)
{
	Seams s;
	s.env.set("AWS_EC2_METADATA_DISABLED", "TRUE");
	BOOST_TEST(notLoaded(s) == "AWS_EC2_METADATA_DISABLED is true");
	BOOST_TEST(s.http.received().empty());
}

BOOST_AUTO_TEST_CASE(unreachable_imds_is_not_loaded_after_one_attempt)
{
	Seams s;
	s.http.expectNetworkError("PUT", kTokenUrl, NetworkFailure::Timeout);
	std::string why = notLoaded(s);
	BOOST_TEST(why.find("not reachable") != std::string::npos, why);
	BOOST_TEST(s.http.received().size() == 1u);
}

BOOST_AUTO_TEST_CASE(expired_imds_credentials_are_used_with_a_warning)
{
	Seams s;
	s.clock.set(std::chrono::system_clock::time_point(std::chrono::seconds(1900000000)));
	expectToken(s.http);
	expectGet(s.http, "/latest/meta-data/iam/security-credentials-extended/", 200, "role");
	expectGet(s.http, "/latest/meta-data/iam/security-credentials-extended/role", 200,
		  credsJson("2020-01-01T00:00:00Z"));
	auto p = makeImdsProvider(s.context(), {});
	Credentials c = resolveImds(*p);
	long long now = 1900000000;
	BOOST_REQUIRE(c.expiration);
	BOOST_TEST(epochSeconds(*c.expiration) >= now + 600);
	BOOST_TEST(epochSeconds(*c.expiration) <= now + 900);
	BOOST_REQUIRE(s.warnings.size() == 1u);
	BOOST_TEST(s.warnings[0].find("expired at 2020-01-01T00:00:00Z") != std::string::npos, s.warnings[0]);
	BOOST_TEST(s.warnings[0].find("secret") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(imds_failure_code_is_not_loaded)
{
	Seams s;
	expectToken(s.http);
	expectGet(s.http, "/latest/meta-data/iam/security-credentials-extended/", 200, "role");
	expectGet(s.http, "/latest/meta-data/iam/security-credentials-extended/role", 200,
		  "{\"Code\":\"AssumeRoleUnauthorizedAccess\",\"Message\":\"denied\"}");
	std::string why = notLoaded(s);
	BOOST_TEST(why.find("AssumeRoleUnauthorizedAccess: denied") != std::string::npos, why);
}

// The emulator's IAM Identity Center, request in, reply out (no sockets).
#define BOOST_TEST_MODULE emulator_sso
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "fakes.h"
#include "service.h"

using namespace mwaatok;
using namespace mwaatok::emulator;

namespace {

const char *kConfig = R"({
  "keys": {"ASIASSO": {"secret": "ssoSecret", "session_token": true}},
  "sso": {"roles": [{"account_id": "111122223333", "role_name": "Admin", "access_key_id": "ASIASSO"}],
          "access_tokens": ["configured-token"], "clients": {"c1": "s1"}, "refresh_tokens": ["r1"],
          "approve_after_polls": 3, "slow_down_polls": 1, "interval": 2}
})";

struct Fixture {
	FixedClock clock = FixedClock::fromSeconds(1795000000);
	Config config;
	std::unique_ptr<Service> service;

	explicit Fixture(const std::string &extra = "")
	{
		loadConfigJson(kConfig, config);
		if (!extra.empty())
			loadConfigJson(extra, config);
		service = std::make_unique<Service>(config, clock);
	}

	Reply post(const std::string &path, const std::string &body)
	{
		return service->handle(Request{ "POST", path, "127.0.0.1", { { "Content-Type", "application/json" } }, body });
	}
	Reply portal(const std::string &token, const std::string &role = "Admin")
	{
		return service->handle(Request{ "GET", "/federation/credentials?role_name=" + role + "&account_id=111122223333",
						"127.0.0.1", { { "x-amz-sso_bearer_token", token } }, "" });
	}
};

Poco::JSON::Object::Ptr json(const Reply &r)
{
	return Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
}

std::string errorType(const Reply &r)
{
	return findHeader(r.headers, "X-Amzn-ErrorType").value_or("");
}

} // namespace

BOOST_AUTO_TEST_SUITE(emulator_sso)

BOOST_AUTO_TEST_CASE(portal_checks_the_bearer_token_and_the_role)
{
	Fixture f;
	Reply ok = f.portal("configured-token");
	BOOST_TEST_REQUIRE(ok.status == 200, ok.body);
	auto role = json(ok)->getObject("roleCredentials");
	BOOST_TEST(role->getValue<std::string>("accessKeyId") == "ASIASSO");
	BOOST_TEST(role->getValue<std::string>("secretAccessKey") == "ssoSecret");
	BOOST_TEST(role->getValue<long long>("expiration") == (1795000000LL + 3600) * 1000);

	Reply unknown = f.portal("nope");
	BOOST_TEST(unknown.status == 401);
	BOOST_TEST(errorType(unknown) == "UnauthorizedException");
	BOOST_TEST(f.portal("configured-token", "Other").status == 403);
	BOOST_TEST(f.service->handle(Request{ "POST", "/federation/credentials", "h", {}, "" }).status == 405);
}

BOOST_AUTO_TEST_CASE(device_flow_slows_down_waits_then_issues_a_token_the_portal_accepts)
{
	Fixture f;
	Reply reg = f.post("/client/register", R"({"clientName": "t", "clientType": "public"})");
	BOOST_TEST_REQUIRE(reg.status == 200, reg.body);
	std::string id = json(reg)->getValue<std::string>("clientId");
	std::string secret = json(reg)->getValue<std::string>("clientSecret");
	BOOST_TEST(json(reg)->getValue<long long>("clientSecretExpiresAt") == 1795000000LL + 90 * 86400);

	Reply auth = f.post("/device_authorization", R"({"clientId": ")" + id + R"(", "clientSecret": ")" + secret +
							     R"(", "startUrl": "https://x/start"})");
	BOOST_TEST_REQUIRE(auth.status == 200, auth.body);
	BOOST_TEST(json(auth)->getValue<int>("interval") == 2);
	std::string device = json(auth)->getValue<std::string>("deviceCode");
	std::string poll = R"({"clientId": ")" + id + R"(", "clientSecret": ")" + secret +
			   R"(", "grantType": "urn:ietf:params:oauth:grant-type:device_code", "deviceCode": ")" + device + "\"}";
	BOOST_TEST(errorType(f.post("/token", poll)) == "SlowDownException");
	Reply pending = f.post("/token", poll);
	BOOST_TEST(pending.status == 400);
	BOOST_TEST(errorType(pending) == "AuthorizationPendingException");
	BOOST_TEST(json(pending)->getValue<std::string>("error") == "authorization_pending");
	BOOST_TEST(errorType(f.post("/token", poll)) == "AuthorizationPendingException");
	Reply token = f.post("/token", poll);
	BOOST_TEST_REQUIRE(token.status == 200, token.body);
	std::string access = json(token)->getValue<std::string>("accessToken");
	BOOST_TEST(f.portal(access).status == 200);
	BOOST_TEST(errorType(f.post("/token", poll)) == "InvalidGrantException"); // a device code is used once

	f.clock.advance(std::chrono::hours(9)); // past the 8-hour token lifetime
	BOOST_TEST(f.portal(access).status == 401);
}

BOOST_AUTO_TEST_CASE(refresh_tokens_are_single_use_and_need_the_client)
{
	Fixture f;
	std::string body = R"({"clientId": "c1", "clientSecret": "s1", "grantType": "refresh_token", "refreshToken": "r1"})";
	Reply first = f.post("/token", body);
	BOOST_TEST_REQUIRE(first.status == 200, first.body);
	BOOST_TEST(!json(first)->getValue<std::string>("refreshToken").empty());
	BOOST_TEST(errorType(f.post("/token", body)) == "InvalidGrantException");
	Reply wrongClient = f.post("/token", R"({"clientId": "c1", "clientSecret": "bad", "grantType": "refresh_token", "refreshToken": "r1"})");
	BOOST_TEST(wrongClient.status == 401);
	BOOST_TEST(errorType(wrongClient) == "InvalidClientException");
}

BOOST_AUTO_TEST_CASE(denied_and_expired_device_logins)
{
	for (const char *outcome : { "deny", "expire" }) {
		Fixture f(std::string(R"({"sso": {"device_outcome": ")") + outcome + R"(", "approve_after_polls": 0}})");
		Reply auth = f.post("/device_authorization", R"({"clientId": "c1", "clientSecret": "s1", "startUrl": "u"})");
		std::string device = json(auth)->getValue<std::string>("deviceCode");
		Reply r = f.post("/token", R"({"clientId": "c1", "clientSecret": "s1", "grantType": )"
					   R"("urn:ietf:params:oauth:grant-type:device_code", "deviceCode": ")" + device + "\"}");
		BOOST_TEST(errorType(r) == (std::string(outcome) == "deny" ? "AccessDeniedException" : "ExpiredTokenException"));
	}
}

BOOST_AUTO_TEST_CASE(configuration_typos_are_refused)
{
	Config c;
	BOOST_CHECK_THROW(loadConfigJson(R"({"sso": {"rolez": []}})", c), std::runtime_error);
	BOOST_CHECK_THROW(loadConfigJson(R"({"sso": {"roles": [{"account_id": "1"}]}})", c), std::runtime_error);
	BOOST_CHECK_THROW(loadConfigJson(R"({"sso": {"device_outcome": "maybe"}})", c), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()

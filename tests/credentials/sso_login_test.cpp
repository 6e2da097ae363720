// The device-authorization login against a scripted SSO OIDC, on a fake clock.
#include "credentials/credentials_util.h"
#include "credentials/sso_cache.h"
#include "credentials/sso_login.h"
#include "mwaatok/error.h"
#include "sso_test_data.h"
#include "test_support.h"

using namespace mwaatok;
using namespace mwaatok::detail;
using namespace mwaatok::test;
using namespace mwaatok::test::sso;

namespace {


SsoSettings session()
{
	SsoSettings s;
	s.profile = "dev";
	s.sessionName = "my-sso";
	s.startUrl = kStart;
	s.region = "us-west-2";
	s.scopes = { "sso:account:access" };
	return s;
}

struct Fixture {
	Seams s;
	std::map<std::string, std::string> &written = s.files.written;
	std::vector<std::string> said;
	std::vector<std::string> opened;
	bool haveBrowser = true;

	Fixture() { s.clock.set(std::chrono::system_clock::time_point(std::chrono::seconds(kNow))); }

	SsoLoginResult login(const SsoSettings &settings = session())
	{
		SsoLoginIo io;
		io.say = [this](const std::string &t) { said.push_back(t); };
		io.openBrowser = [this](const std::string &url) {
			opened.push_back(url);
			return haveBrowser;
		};
		return ssoLogin(s.context(), settings, io);
	}

	void expectRegistration()
	{
		s.http.expect("POST", kOidc + "/client/register", 200,
			      "{\"clientId\": \"new-client\", \"clientSecret\": \"new-secret\", \"clientIdIssuedAt\": "
			      "1795000000, \"clientSecretExpiresAt\": 1802776000}");
	}
	void expectAuthorization(int interval = 2)
	{
		s.http.expect("POST", kOidc + "/device_authorization", 200,
			      "{\"deviceCode\": \"dev-code\", \"userCode\": \"ABCD-EFGH\", \"verificationUri\": "
			      "\"https://device.sso.us-west-2.amazonaws.com/\", \"verificationUriComplete\": "
			      "\"https://device.sso.us-west-2.amazonaws.com/?user_code=ABCD-EFGH\", \"expiresIn\": 600, "
			      "\"interval\": " + std::to_string(interval) + "}");
	}
	void expectPoll(const std::string &error)
	{
		s.http.expect("POST", kOidc + "/token", 400, "{\"error\": \"" + error + "\"}");
	}
	void expectToken()
	{
		s.http.expect("POST", kOidc + "/token", 200,
			      "{\"accessToken\": \"fresh-access\", \"expiresIn\": 28800, \"refreshToken\": "
			      "\"fresh-refresh\", \"tokenType\": \"Bearer\"}");
	}
	long long elapsed() const { return epochSeconds(s.clock.now()) - kNow; }
};

} // namespace

BOOST_AUTO_TEST_SUITE(sso_login)

BOOST_AUTO_TEST_CASE(device_login_polls_at_the_interval_and_writes_the_aws_cli_caches)
{
	Fixture f;
	f.expectRegistration();
	f.expectAuthorization(2);
	f.expectPoll("authorization_pending");
	f.expectPoll("authorization_pending");
	f.expectPoll("slow_down");
	f.expectToken();
	auto result = f.login();
	BOOST_TEST(f.s.http.failures().empty());
	BOOST_TEST(f.s.http.remaining() == 0u);
	// Attempt, show, sleep 2, attempt, sleep 2, attempt (slow down), sleep 7, attempt.
	BOOST_TEST(f.elapsed() == 11);
	BOOST_TEST(result.tokenPath == kSessionFile);

	auto requests = f.s.http.received();
	auto reg = parseJsonObject(requests.at(0).body);
	BOOST_REQUIRE(reg);
	BOOST_TEST(jsonString(*reg, "clientType") == "public");
	BOOST_TEST(jsonString(*reg, "clientName") == "mwaatok-client-my-sso");
	auto start = parseJsonObject(requests.at(1).body);
	BOOST_TEST(jsonString(*start, "startUrl") == kStart);
	BOOST_TEST(jsonString(*start, "clientSecret") == "new-secret");
	auto poll = parseJsonObject(requests.at(2).body);
	BOOST_TEST(jsonString(*poll, "grantType") == "urn:ietf:params:oauth:grant-type:device_code");
	BOOST_TEST(jsonString(*poll, "deviceCode") == "dev-code");

	BOOST_REQUIRE(f.opened.size() == 1u);
	BOOST_TEST(f.opened[0] == "https://device.sso.us-west-2.amazonaws.com/?user_code=ABCD-EFGH");
	BOOST_REQUIRE(f.said.size() == 1u);
	BOOST_TEST(f.said[0].find("https://device.sso.us-west-2.amazonaws.com/\n") != std::string::npos);
	BOOST_TEST(f.said[0].find("ABCD-EFGH") != std::string::npos);
	BOOST_TEST(f.said[0].find("new-secret") == std::string::npos);

	SsoTokenProblem problem;
	auto token = parseSsoToken(f.written.at(kSessionFile), problem);
	BOOST_REQUIRE(token);
	BOOST_TEST(token->accessToken == "fresh-access");
	BOOST_TEST(token->refreshToken == "fresh-refresh");
	BOOST_TEST(token->clientId == "new-client");
	BOOST_TEST(token->registrationExpiresAt == "2027-02-16T11:06:40Z");
	BOOST_TEST(epochSeconds(token->expiresAt) == kNow + 11 + 28800);
	auto registration = parseSsoRegistration(f.written.at(kRegistrationFile));
	BOOST_REQUIRE(registration);
	BOOST_TEST(registration->clientSecret == "new-secret");
	BOOST_TEST(registration->scopes == std::vector<std::string>{ "sso:account:access" });
}

BOOST_AUTO_TEST_CASE(a_cached_registration_is_reused_and_an_approved_login_shows_nothing)
{
	Fixture f;
	f.s.fs.write(kRegistrationFile, formatSsoRegistration(SsoRegistration{
						"old-client", "old-secret",
						std::chrono::system_clock::time_point(std::chrono::seconds(kNow + 86400)),
						{ "sso:account:access" } }));
	f.expectAuthorization();
	f.expectToken();
	f.login();
	BOOST_TEST(f.s.http.failures().empty());
	auto start = parseJsonObject(f.s.http.received().at(0).body);
	BOOST_TEST(jsonString(*start, "clientId") == "old-client");
	BOOST_TEST(f.said.empty());
	BOOST_TEST(f.opened.empty());
	BOOST_TEST(f.written.count(kRegistrationFile) == 0u);
}

BOOST_AUTO_TEST_CASE(an_expiring_registration_is_replaced)
{
	Fixture f;
	f.s.fs.write(kRegistrationFile, formatSsoRegistration(SsoRegistration{
						"old-client", "old-secret",
						std::chrono::system_clock::time_point(std::chrono::seconds(kNow + 600)),
						{ "sso:account:access" } }));
	f.expectRegistration();
	f.expectAuthorization();
	f.expectToken();
	f.login();
	BOOST_TEST(f.s.http.failures().empty());
	BOOST_TEST(f.written.count(kRegistrationFile) == 1u);
}

BOOST_AUTO_TEST_CASE(without_a_browser_the_url_and_code_are_still_shown)
{
	Fixture f;
	f.haveBrowser = false;
	f.expectRegistration();
	f.expectAuthorization();
	f.expectPoll("authorization_pending");
	f.expectToken();
	f.login();
	BOOST_REQUIRE(f.said.size() == 2u);
	BOOST_TEST(f.said[0].find("ABCD-EFGH") != std::string::npos);
	BOOST_TEST(f.said[1].find("No browser could be opened") != std::string::npos);
	BOOST_TEST(f.opened.size() == 1u);
}

BOOST_AUTO_TEST_CASE(expired_or_denied_authorizations_fail_without_writing_a_token)
{
	Fixture f;
	f.expectRegistration();
	f.expectAuthorization();
	f.expectPoll("authorization_pending");
	f.expectPoll("expired_token");
	try {
		f.login();
		BOOST_FAIL("no error");
	} catch (const Error &e) {
		BOOST_TEST(std::string(e.what()).find("expired before it was approved") != std::string::npos, e.what());
		BOOST_TEST(static_cast<int>(e.kind()) == static_cast<int>(ErrorKind::Credentials));
	}
	BOOST_TEST(f.written.count(kSessionFile) == 0u);

	Fixture g;
	g.expectRegistration();
	g.expectAuthorization();
	g.expectPoll("access_denied");
	BOOST_CHECK_THROW(g.login(), Error);
	BOOST_TEST(g.written.count(kSessionFile) == 0u);
}

BOOST_AUTO_TEST_CASE(polling_stops_when_the_authorization_would_expire)
{
	Fixture f;
	f.expectRegistration();
	f.s.http.expect("POST", kOidc + "/device_authorization", 200,
			"{\"deviceCode\": \"d\", \"userCode\": \"U\", \"verificationUri\": \"https://v/\", "
			"\"expiresIn\": 5, \"interval\": 2}");
	for (int i = 0; i < 3; ++i)
		f.expectPoll("authorization_pending");
	BOOST_CHECK_THROW(f.login(), Error);
	BOOST_TEST(f.elapsed() <= 5);
}

BOOST_AUTO_TEST_CASE(legacy_login_writes_the_start_url_file)
{
	Fixture f;
	SsoSettings s = session();
	s.sessionName.clear();
	s.scopes.clear();
	f.expectRegistration();
	f.expectAuthorization();
	f.expectToken();
	auto result = f.login(s);
	BOOST_TEST(result.tokenPath == kLegacyFile);
	BOOST_TEST(f.written.count(kLegacyRegistrationFile) == 1u);
	auto reg = parseJsonObject(f.s.http.received().at(0).body);
	BOOST_TEST(jsonString(*reg, "clientName") == "mwaatok-client-" + std::to_string(kNow));
}

BOOST_AUTO_TEST_SUITE_END()

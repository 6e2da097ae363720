// IAM Identity Center credentials through the seams: the token cache, the
// OIDC refresh and the portal, against a scripted HTTP exchange.
#include "credentials/credentials_util.h"
#include "credentials/sso_cache.h"
#include "credentials/sso_provider.h"
#include "mwaatok/error.h"
#include "mwaatok/profile_file.h"
#include "sso_test_data.h"
#include "test_support.h"

#include <filesystem>

using namespace mwaatok;
using namespace mwaatok::detail;
using namespace mwaatok::test;
using namespace mwaatok::test::sso;

namespace {

const std::string kPortal =
	"https://portal.sso.us-west-2.amazonaws.com/federation/credentials?role_name=Admin&account_id=111122223333";

const char *kConfig = "[profile legacy]\n"
		      "sso_start_url = https://d-abc123.awsapps.com/start\n"
		      "sso_region = us-west-2\n"
		      "sso_account_id = 111122223333\n"
		      "sso_role_name = Admin\n"
		      "[profile modern]\n"
		      "sso_session = my-sso\n"
		      "sso_account_id = 111122223333\n"
		      "sso_role_name = Admin\n"
		      "[sso-session my-sso]\n"
		      "sso_start_url = https://d-abc123.awsapps.com/start\n"
		      "sso_region = us-west-2\n";

const char *kRoleAnswer = "{\"roleCredentials\": {\"accessKeyId\": \"ASIASSO\", \"secretAccessKey\": \"ssoSecret\", "
			  "\"sessionToken\": \"ssoSession\", \"expiration\": 1795003600000}}";

/// A token file whose access token expires \a expiresIn seconds after kNow.
std::string tokenFile(long long expiresIn, bool refreshable, const std::string &startUrl = kStart)
{
	SsoToken t;
	t.startUrl = startUrl;
	t.region = "us-west-2";
	t.accessToken = "cached-access";
	t.expiresAt = std::chrono::system_clock::time_point(std::chrono::seconds(kNow + expiresIn));
	if (refreshable) {
		t.clientId = "cid";
		t.clientSecret = "csec";
		t.registrationExpiresAt = "2030-01-01T00:00:00Z";
		t.refreshToken = "cached-refresh";
	}
	return formatSsoToken(t);
}

struct Fixture {
	Seams s;
	/// The AWS CLI's role cache over the in-memory files.
	std::unique_ptr<RoleCache> roles = makeFileRoleCache(s.files, "/home/.aws/cli/cache");
	std::map<std::string, std::string> &written = s.files.written;

	Fixture()
	{
		s.clock.set(std::chrono::system_clock::time_point(std::chrono::seconds(kNow)));
		s.fs.write("/home/.aws/config", kConfig);
	}

	ProviderContext context()
	{
		auto ctx = s.context();
		ctx.roleCache = roles.get();
		return ctx;
	}

	Credentials resolve(const std::string &profile)
	{
		auto config = SharedConfig::load(s.env, s.fs, profile);
		auto c = resolveSsoProfile(context(), config);
		BOOST_REQUIRE(c);
		return *c;
	}

	/// The message of the Error \a profile fails with (and checks its kind).
	std::string failure(const std::string &profile)
	{
		try {
			resolve(profile);
		} catch (const Error &e) {
			BOOST_TEST(static_cast<int>(e.kind()) == static_cast<int>(ErrorKind::Credentials));
			return e.what();
		}
		return "(no error)";
	}

	void expectPortal(const std::string &token, int status = 200, const std::string &body = kRoleAnswer)
	{
		s.http.expect("GET", kPortal, status, body).headers = { { "x-amz-sso_bearer_token", token } };
	}
};

} // namespace

BOOST_AUTO_TEST_SUITE(sso_provider)

BOOST_AUTO_TEST_CASE(legacy_profile_exchanges_the_cached_token_for_role_credentials)
{
	Fixture f;
	f.s.fs.write(kLegacyFile, tokenFile(3600, false));
	f.expectPortal("cached-access");
	auto c = f.resolve("legacy");
	BOOST_TEST(c.accessKeyId == "ASIASSO");
	BOOST_TEST(c.secretAccessKey == "ssoSecret");
	BOOST_TEST(c.sessionToken == "ssoSession");
	BOOST_TEST(c.source == "sso");
	BOOST_TEST(c.accountId == "111122223333");
	BOOST_REQUIRE(c.expiration);
	BOOST_TEST(epochSeconds(*c.expiration) == 1795003600);
	BOOST_TEST(f.s.http.remaining() == 0u);
	BOOST_TEST(f.s.http.failures().empty());
	// Unsigned: no Authorization header goes to the portal.
	BOOST_TEST(!findHeader(f.s.http.received().at(0).headers, "Authorization"));
	// The role credentials are cached where and as the AWS CLI caches them.
	BOOST_TEST(f.written.size() == 1u);
	BOOST_TEST(f.written[kLegacyRoleFile] ==
		   "{\"ProviderType\": \"sso\", \"Credentials\": {\"AccessKeyId\": \"ASIASSO\", \"SecretAccessKey\": "
		   "\"ssoSecret\", \"SessionToken\": \"ssoSession\", \"Expiration\": \"2026-11-18T12:06:40Z\"}}");
}

BOOST_AUTO_TEST_CASE(cached_role_credentials_are_used_until_15_minutes_before_expiry)
{
	Fixture f;
	f.s.fs.write(kSessionRoleFile, "{\"ProviderType\": \"sso\", \"Credentials\": {\"AccessKeyId\": \"ASIACACHED\", "
				       "\"SecretAccessKey\": \"cachedSecret\", \"SessionToken\": \"cachedSession\", "
				       "\"Expiration\": \"2026-11-18T11:22:40Z\"}}"); // kNow + 16 minutes
	auto c = f.resolve("modern"); // no token file, no request: the cache answers
	BOOST_TEST(c.accessKeyId == "ASIACACHED");
	BOOST_TEST(c.sessionToken == "cachedSession");
	BOOST_TEST(c.source == "sso");
	BOOST_TEST(c.accountId == "111122223333");
	BOOST_TEST(f.s.http.received().empty());

	f.s.clock.advance(std::chrono::minutes(2)); // 14 minutes left: fetched again
	f.s.fs.write(kSessionFile, tokenFile(3600, true));
	f.expectPortal("cached-access");
	BOOST_TEST(f.resolve("modern").accessKeyId == "ASIASSO");
	BOOST_TEST(f.written.count(kSessionRoleFile) == 1u);

	Fixture g; // a corrupt cache file is ignored and replaced
	g.s.fs.write(kSessionRoleFile, "{\"ProviderType\": \"sso\", \"Credentials\": ");
	g.s.fs.write(kSessionFile, tokenFile(3600, true));
	g.expectPortal("cached-access");
	BOOST_TEST(g.resolve("modern").accessKeyId == "ASIASSO");
	BOOST_TEST(parseSsoRoleCache(g.written.at(kSessionRoleFile)).has_value());
}

BOOST_AUTO_TEST_CASE(endpoint_override_is_used_for_the_portal)
{
	Fixture f;
	f.s.env.set("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9/");
	f.s.fs.write(kLegacyFile, tokenFile(3600, false));
	f.s.http.expect("GET", "http://127.0.0.1:9/federation/credentials?role_name=Admin&account_id=111122223333",
			200, kRoleAnswer);
	BOOST_TEST(f.resolve("legacy").accessKeyId == "ASIASSO");
}

BOOST_AUTO_TEST_CASE(sso_session_token_far_from_expiry_is_used_as_it_is)
{
	Fixture f;
	f.s.fs.write(kSessionFile, tokenFile(16 * 60, true));
	f.expectPortal("cached-access");
	BOOST_TEST(f.resolve("modern").accessKeyId == "ASIASSO");
	BOOST_TEST(f.written.count(kSessionFile) == 0u); // no refresh, nothing written back
}

BOOST_AUTO_TEST_CASE(sso_session_token_near_expiry_is_refreshed_and_written_back)
{
	Fixture f;
	f.s.fs.write(kSessionFile, tokenFile(14 * 60, true));
	auto &refresh = f.s.http.expect("POST", "https://oidc.us-west-2.amazonaws.com/token", 200,
					"{\"accessToken\": \"new-access\", \"expiresIn\": 28800, "
					"\"refreshToken\": \"new-refresh\", \"tokenType\": \"Bearer\"}");
	refresh.headers = { { "Content-Type", "application/json" } };
	f.expectPortal("new-access");
	BOOST_TEST(f.resolve("modern").accessKeyId == "ASIASSO");
	BOOST_TEST(f.s.http.failures().empty());
	auto body = parseJsonObject(f.s.http.received().at(0).body);
	BOOST_REQUIRE(body);
	BOOST_TEST(jsonString(*body, "grantType") == "refresh_token");
	BOOST_TEST(jsonString(*body, "refreshToken") == "cached-refresh");
	BOOST_TEST(jsonString(*body, "clientId") == "cid");
	BOOST_TEST(jsonString(*body, "clientSecret") == "csec");

	BOOST_REQUIRE(f.written.count(kSessionFile) == 1u);
	SsoTokenProblem problem;
	auto saved = parseSsoToken(f.written[kSessionFile], problem);
	BOOST_REQUIRE(saved);
	BOOST_TEST(saved->accessToken == "new-access");
	BOOST_TEST(saved->refreshToken == "new-refresh");
	BOOST_TEST(epochSeconds(saved->expiresAt) == kNow + 28800);
	BOOST_TEST(saved->clientId == "cid");
	BOOST_TEST(saved->registrationExpiresAt == "2030-01-01T00:00:00Z");
	BOOST_TEST(saved->startUrl == kStart);
}

BOOST_AUTO_TEST_CASE(expired_sso_session_token_is_refreshed)
{
	Fixture f;
	f.s.env.set("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:8");
	f.s.fs.write(kSessionFile, tokenFile(-60, true));
	f.s.http.expect("POST", "http://127.0.0.1:8/token", 200, "{\"accessToken\": \"new-access\", \"expiresIn\": 3600}");
	f.expectPortal("new-access");
	BOOST_TEST(f.resolve("modern").accessKeyId == "ASIASSO");
	SsoTokenProblem problem;
	auto saved = parseSsoToken(f.written.at(kSessionFile), problem);
	BOOST_REQUIRE(saved);
	BOOST_TEST(saved->refreshToken == ""); // none returned: none kept, as botocore
}

BOOST_AUTO_TEST_CASE(failed_refresh_keeps_a_token_that_is_still_valid)
{
	Fixture f;
	f.s.fs.write(kSessionFile, tokenFile(5 * 60, true));
	f.s.http.expect("POST", "https://oidc.us-west-2.amazonaws.com/token", 400,
			"{\"error\": \"invalid_grant\", \"error_description\": \"Invalid refresh token\"}");
	f.expectPortal("cached-access");
	BOOST_TEST(f.resolve("modern").accessKeyId == "ASIASSO");
	BOOST_REQUIRE(f.s.warnings.size() == 1u);
	BOOST_TEST(f.s.warnings[0].find("InvalidGrantException") != std::string::npos, f.s.warnings[0]);
	BOOST_TEST(f.written.count(kSessionFile) == 0u);
}

BOOST_AUTO_TEST_CASE(unreachable_oidc_keeps_a_token_that_is_still_valid)
{
	Fixture f;
	f.s.fs.write(kSessionFile, tokenFile(5 * 60, true));
	f.s.http.expectNetworkError("POST", "https://oidc.us-west-2.amazonaws.com/token");
	f.expectPortal("cached-access");
	BOOST_TEST(f.resolve("modern").accessKeyId == "ASIASSO");
	BOOST_TEST(f.s.warnings.size() == 1u);

	Fixture g; // but an expired one cannot be used: the network error stands
	g.s.fs.write(kSessionFile, tokenFile(-5, true));
	g.s.http.expectNetworkError("POST", "https://oidc.us-west-2.amazonaws.com/token");
	BOOST_CHECK_THROW(g.resolve("modern"), NetworkError);
}

BOOST_AUTO_TEST_CASE(expired_token_that_cannot_be_refreshed_asks_for_a_login)
{
	Fixture f;
	f.s.fs.write(kSessionFile, tokenFile(-1, false));
	std::string msg = f.failure("modern");
	BOOST_TEST(msg.find("profile `modern` (/home/.aws/config:9): ") != std::string::npos, msg);
	BOOST_TEST(msg.find("expired") != std::string::npos, msg);
	BOOST_TEST(msg.find("run 'aws sso login --profile modern' or 'mwaatok sso login --profile modern'") !=
		   std::string::npos, msg);
	BOOST_TEST(msg.find("cached-access") == std::string::npos, msg);

	Fixture g; // a refresh that the service refuses, on an expired token
	g.s.fs.write(kSessionFile, tokenFile(-1, true));
	g.s.http.expect("POST", "https://oidc.us-west-2.amazonaws.com/token", 400,
			"{\"error\": \"invalid_grant\"}");
	msg = g.failure("modern");
	BOOST_TEST(msg.find("sso login --profile modern") != std::string::npos, msg);
	BOOST_TEST(msg.find("cached-refresh") == std::string::npos, msg);

	Fixture h; // legacy tokens are never refreshed
	h.s.fs.write(kLegacyFile, tokenFile(-1, true));
	msg = h.failure("legacy");
	BOOST_TEST(msg.find("expired") != std::string::npos, msg);
	BOOST_TEST(h.s.http.received().empty());
}

BOOST_AUTO_TEST_CASE(missing_corrupt_foreign_and_unreadable_caches_are_one_line_errors)
{
	Fixture none;
	std::string msg = none.failure("legacy");
	BOOST_TEST(msg.find("not logged in") != std::string::npos, msg);
	BOOST_TEST(msg.find("sso login --profile legacy") != std::string::npos, msg);

	Fixture corrupt;
	corrupt.s.fs.write(kSessionFile, "{\"accessToken\": \"leaked?\"");
	msg = corrupt.failure("modern");
	BOOST_TEST(msg.find("is not usable (it is not a JSON object)") != std::string::npos, msg);
	BOOST_TEST(msg.find("leaked") == std::string::npos, msg);

	Fixture foreign;
	foreign.s.fs.write(kSessionFile, tokenFile(3600, true, "https://other.awsapps.com/start"));
	msg = foreign.failure("modern");
	BOOST_TEST(msg.find("is for start URL https://other.awsapps.com/start, not " + kStart) != std::string::npos, msg);
	BOOST_TEST(foreign.s.http.received().empty());

	for (const auto &m : { msg })
		BOOST_TEST(m.find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_chain_over_in_memory_files_writes_nothing_to_disk)
{
	// As the chain uses it: the SSO provider over in-memory files.
	// A write through the real file system would create this directory.
	const std::string home = "/nonexistent-mwaatok-sso-test-home";
	Fixture f;
	f.s.env.set("HOME", home);
	f.s.fs.write(home + "/.aws/config", kConfig);
	f.s.fs.write(home + "/.aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json", tokenFile(60, true));
	f.s.http.expect("POST", "https://oidc.us-west-2.amazonaws.com/token", 200,
			"{\"accessToken\": \"new-access\", \"expiresIn\": 3600}");
	f.expectPortal("new-access");
	ChainOptions options;
	options.profile = "modern";
	std::string why;
	auto c = makeSsoProvider(f.context(), options)->resolve(why);
	BOOST_REQUIRE(c);
	BOOST_TEST(c->source == "sso");
	BOOST_TEST(f.s.http.remaining() == 0u);
	BOOST_TEST(!std::filesystem::exists(home));
	// The refreshed token and the role credentials went to the in-memory files.
	auto saved = f.s.fs.read(home + "/.aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json");
	BOOST_TEST(saved.value_or("").find("new-access") != std::string::npos);
	BOOST_TEST(f.written.count(kSessionRoleFile) == 1u);
}

BOOST_AUTO_TEST_CASE(an_unreadable_token_file_is_a_one_line_error)
{
	// A file system whose token file exists but cannot be read.
	class Unreadable final : public FileSystem {
	public:
		explicit Unreadable(const FileSystem &inner) : inner_(inner) {}
		std::optional<std::string> read(const std::string &path) const override
		{
			if (path == kLegacyFile)
				throw Error(ErrorKind::Io, "cannot read " + path + ": Permission denied");
			return inner_.read(path);
		}

	private:
		const FileSystem &inner_;
	};
	Fixture f;
	f.s.fs.write(kLegacyFile, tokenFile(3600, false));
	Unreadable fs(f.s.fs);
	auto config = SharedConfig::load(f.s.env, f.s.fs, std::string("legacy"));
	ProviderContext ctx{ f.s.env, fs, f.s.http, f.s.clock, *f.s.processes, {} };
	try {
		resolveSsoProfile(ctx, config);
		BOOST_FAIL("no error");
	} catch (const Error &e) {
		std::string msg = e.what();
		BOOST_TEST(static_cast<int>(e.kind()) == static_cast<int>(ErrorKind::Credentials));
		BOOST_TEST(msg.find("profile `legacy` (/home/.aws/config:5): the IAM Identity Center token cache is unreadable (cannot read " +
				    kLegacyFile + ": Permission denied): fix its permissions, or run 'aws sso login") !=
				   std::string::npos,
			   msg);
	}
	BOOST_TEST(f.s.http.received().empty());
}

BOOST_AUTO_TEST_CASE(portal_refusals_name_the_profile_and_the_cause)
{
	Fixture f;
	f.s.fs.write(kLegacyFile, tokenFile(3600, false));
	f.s.http.expect("GET", kPortal, 401, "{\"message\": \"Session token not found or invalid\"}").response.headers = {
		{ "x-amzn-ErrorType", "UnauthorizedException:http://internal.amazon.com/coral/" }
	};
	std::string msg = f.failure("legacy");
	BOOST_TEST(msg.find("401 UnauthorizedException: Session token not found or invalid") != std::string::npos, msg);
	BOOST_TEST(msg.find("sso login --profile legacy") != std::string::npos, msg);
	BOOST_TEST(msg.find("cached-access") == std::string::npos, msg);

	Fixture g;
	g.s.fs.write(kLegacyFile, tokenFile(3600, false));
	g.s.http.expect("GET", kPortal, 403, "{\"__type\": \"com.amazon#ForbiddenException\", \"message\": \"No access\"}");
	msg = g.failure("legacy");
	BOOST_TEST(msg.find("no access to role Admin in account 111122223333 (403 ForbiddenException: No access)") !=
		   std::string::npos, msg);
	BOOST_TEST(msg.find("/home/.aws/config:5") != std::string::npos, msg);
}

BOOST_AUTO_TEST_SUITE_END()

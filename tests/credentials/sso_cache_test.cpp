#define BOOST_TEST_MODULE credentials_sso
// IAM Identity Center: cache file names and formats, and which profiles are SSO
// profiles. Expected names and texts were computed with the AWS CLI v2's own
// botocore (SSOTokenLoader, SSOTokenFetcher, awscli's _sso_json_dumps).
#include "credentials/credentials_util.h"
#include "credentials/sso_cache.h"
#include "credentials/sso_config.h"
#include "mwaatok/error.h"
#include "mwaatok/profile_file.h"
#include "sso_test_data.h"
#include "test_support.h"

using namespace mwaatok;
using namespace mwaatok::detail;
using namespace mwaatok::test;
using namespace mwaatok::test::sso;

namespace {


TimePoint at(const char *text)
{
	return *parseTimestamp(text);
}

/// The selected profile of a config file holding \a text.
SharedConfig configWith(const std::string &text, const std::string &profile)
{
	MapEnvironment env;
	env.set("HOME", "/home");
	MapFileSystem fs;
	fs.write("/home/.aws/config", text);
	return SharedConfig::load(env, fs, profile);
}

const char *kConfig = "[profile legacy]\n"
		      "sso_start_url = https://d-abc123.awsapps.com/start\n"
		      "sso_region = us-west-2\n"
		      "sso_account_id = 111122223333\n"
		      "sso_role_name = Reader\n"
		      "[profile modern]\n"
		      "sso_session = my-sso\n"
		      "sso_account_id = 111122223333\n"
		      "sso_role_name = Admin\n"
		      "[profile clash]\n"
		      "sso_session = my-sso\n"
		      "sso_start_url = https://other.awsapps.com/start\n"
		      "sso_account_id = 111122223333\n"
		      "sso_role_name = Admin\n"
		      "[profile same]\n"
		      "sso_session = my-sso\n"
		      "sso_region = us-west-2\n"
		      "sso_account_id = 111122223333\n"
		      "sso_role_name = Admin\n"
		      "[profile nosession]\n"
		      "sso_session = missing\n"
		      "sso_account_id = 111122223333\n"
		      "sso_role_name = Admin\n"
		      "[profile partial]\n"
		      "sso_start_url = https://d-abc123.awsapps.com/start\n"
		      "sso_role_name = Admin\n"
		      "[profile loginonly]\n"
		      "sso_session = my-sso\n"
		      "[profile keys]\n"
		      "aws_access_key_id = AKID\n"
		      "[sso-session my-sso]\n"
		      "sso_start_url = https://d-abc123.awsapps.com/start\n"
		      "sso_region = us-west-2\n"
		      "sso_registration_scopes = sso:account:access\n";

} // namespace

BOOST_AUTO_TEST_SUITE(sso_cache)

BOOST_AUTO_TEST_CASE(token_file_is_named_like_the_aws_cli_names_it)
{
	MapEnvironment env;
	env.set("HOME", "/home");
	BOOST_TEST(ssoTokenPath(env, kStart, "") == kLegacyFile);
	BOOST_TEST(ssoTokenPath(env, kStart, "my-sso") == kSessionFile);
	BOOST_TEST(ssoRegistrationPath(env, kStart, "us-west-2", "my-sso", { "sso:account:access" }) == kRegistrationFile);
	BOOST_TEST(ssoRegistrationPath(env, kStart, "us-west-2", "", {}) == kLegacyRegistrationFile);
	const std::string roleDir = awsCliCacheDirectory(env).value() + "/";
	BOOST_TEST(roleDir + ssoRoleCacheKey(kStart, "", "111122223333", "Admin") + ".json" == kLegacyRoleFile);
	BOOST_TEST(roleDir + ssoRoleCacheKey(kStart, "my-sso", "111122223333", "Admin") + ".json" == kSessionRoleFile);
	MapEnvironment noHome;
	BOOST_CHECK_THROW(ssoTokenPath(noHome, kStart, ""), Error);
}

BOOST_AUTO_TEST_CASE(token_is_written_as_the_aws_cli_writes_it_and_read_back)
{
	SsoToken t;
	t.startUrl = kStart;
	t.region = "us-west-2";
	t.accessToken = "at-1";
	t.expiresAt = at("2026-12-01T06:00:00Z");
	t.clientId = "cid";
	t.clientSecret = "csec";
	t.registrationExpiresAt = "2026-12-01T06:00:00Z";
	t.refreshToken = "rt-1";
	const std::string text = formatSsoToken(t);
	BOOST_TEST(text == "{\"startUrl\": \"https://d-abc123.awsapps.com/start\", \"region\": \"us-west-2\", "
			   "\"accessToken\": \"at-1\", \"expiresAt\": \"2026-12-01T06:00:00Z\", \"clientId\": "
			   "\"cid\", \"clientSecret\": \"csec\", \"registrationExpiresAt\": "
			   "\"2026-12-01T06:00:00Z\", \"refreshToken\": \"rt-1\"}");
	SsoTokenProblem problem;
	auto back = parseSsoToken(text, problem);
	BOOST_REQUIRE(back);
	BOOST_TEST(back->accessToken == "at-1");
	BOOST_TEST(back->refreshToken == "rt-1");
	BOOST_TEST(back->startUrl == kStart);
	BOOST_TEST(epochSeconds(back->expiresAt) == epochSeconds(t.expiresAt));
	BOOST_TEST(back->refreshable(at("2026-12-01T05:00:00Z")));
	BOOST_TEST(!back->refreshable(at("2026-12-01T06:00:00Z"))); // registration expired

	SsoRegistration r{ "cid", "csec", at("2026-12-01T06:00:00Z"), { "sso:account:access" } };
	BOOST_TEST(formatSsoRegistration(r) == "{\"clientId\": \"cid\", \"clientSecret\": \"csec\", \"expiresAt\": "
					      "\"2026-12-01T06:00:00Z\", \"scopes\": [\"sso:account:access\"]}");
	auto reg = parseSsoRegistration(formatSsoRegistration(r));
	BOOST_REQUIRE(reg);
	BOOST_TEST(reg->clientSecret == "csec");
	BOOST_TEST(reg->scopes.size() == 1u);
}

BOOST_AUTO_TEST_CASE(legacy_tokens_without_registration_are_not_refreshable)
{
	SsoTokenProblem problem;
	auto t = parseSsoToken("{\"startUrl\": \"u\", \"region\": \"r\", \"accessToken\": \"a\", "
			       "\"expiresAt\": \"2026-12-01T06:00:00UTC\"}",
			       problem);
	BOOST_REQUIRE(t); // the format of early AWS CLI v2 releases
	BOOST_TEST(epochSeconds(t->expiresAt) == epochSeconds(at("2026-12-01T06:00:00Z")));
	t = parseSsoToken("{\"accessToken\": \"a\", \"expiresAt\": \"2026-12-01T06:00:00.123Z\"}", problem);
	BOOST_REQUIRE(t);
	BOOST_TEST(!t->refreshable(at("2026-01-01T00:00:00Z")));
}

BOOST_AUTO_TEST_CASE(corrupt_token_files_are_described_without_their_content)
{
	SsoTokenProblem problem;
	BOOST_TEST(!parseSsoToken("not json secret-token", problem));
	BOOST_TEST(problem.what == "it is not a JSON object");
	BOOST_TEST(!parseSsoToken("{\"expiresAt\": \"2026-12-01T06:00:00Z\"}", problem));
	BOOST_TEST(problem.what == "it has no accessToken");
	BOOST_TEST(!parseSsoToken("{\"accessToken\": \"sekrit\"}", problem));
	BOOST_TEST(problem.what == "it has no expiresAt");
	BOOST_TEST(!parseSsoToken("{\"accessToken\": \"sekrit\", \"expiresAt\": \"tomorrow\"}", problem));
	BOOST_TEST(problem.what.find("sekrit") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(legacy_and_sso_session_profiles_resolve_as_botocore_resolves_them)
{
	auto legacy = ssoCredentialSettings(configWith(kConfig, "legacy"));
	BOOST_REQUIRE(legacy);
	BOOST_TEST(legacy->sessionName == "");
	BOOST_TEST(legacy->startUrl == kStart);
	BOOST_TEST(legacy->region == "us-west-2");
	BOOST_TEST(legacy->accountId == "111122223333");
	BOOST_TEST(legacy->roleName == "Reader");

	auto modern = ssoCredentialSettings(configWith(kConfig, "modern"));
	BOOST_REQUIRE(modern);
	BOOST_TEST(modern->sessionName == "my-sso");
	BOOST_TEST(modern->startUrl == kStart);
	BOOST_TEST(modern->region == "us-west-2");
	BOOST_TEST(modern->roleName == "Admin");
	BOOST_TEST(modern->scopes == std::vector<std::string>{ "sso:account:access" });

	// Any profile by name, selected or not (a role's source_profile).
	auto byName = ssoCredentialSettings(configWith(kConfig, "keys"), "modern");
	BOOST_REQUIRE(byName);
	BOOST_TEST(byName->profile == "modern");
	BOOST_TEST(byName->sessionName == "my-sso");
	BOOST_TEST(!ssoCredentialSettings(configWith(kConfig, "keys"), "undefined"));

	// The same value in both places is fine.
	BOOST_TEST(ssoCredentialSettings(configWith(kConfig, "same")).has_value());
	// Neither sso_account_id nor sso_role_name: not an SSO credential profile.
	BOOST_TEST(!ssoCredentialSettings(configWith(kConfig, "loginonly")));
	BOOST_TEST(!ssoCredentialSettings(configWith(kConfig, "keys")));
}

BOOST_AUTO_TEST_CASE(inconsistent_or_incomplete_sso_profiles_are_errors_naming_profile_and_line)
{
	std::string clash = errorOf([] { ssoCredentialSettings(configWith(kConfig, "clash")); });
	BOOST_TEST(clash.find("profile `clash`") != std::string::npos, clash);
	BOOST_TEST(clash.find("sso_start_url") != std::string::npos, clash);
	BOOST_TEST(clash.find("/home/.aws/config:12") != std::string::npos, clash);
	BOOST_TEST(clash.find("[sso-session my-sso]") != std::string::npos, clash);

	std::string missing = errorOf([] { ssoCredentialSettings(configWith(kConfig, "nosession")); });
	BOOST_TEST(missing.find("no [sso-session missing] section") != std::string::npos, missing);

	std::string partial = errorOf([] { ssoCredentialSettings(configWith(kConfig, "partial")); });
	BOOST_TEST(partial.find("lacks sso_account_id, sso_region") != std::string::npos, partial);
	try {
		ssoCredentialSettings(configWith(kConfig, "partial"));
	} catch (const Error &e) {
		BOOST_TEST(static_cast<int>(e.kind()) == static_cast<int>(ErrorKind::Credentials));
	}
}

BOOST_AUTO_TEST_CASE(login_settings_need_only_start_url_and_region)
{
	auto s = ssoLoginSettings(configWith(kConfig, "loginonly"), std::nullopt);
	BOOST_TEST(s.sessionName == "my-sso");
	BOOST_TEST(s.startUrl == kStart);
	auto legacy = ssoLoginSettings(configWith(kConfig, "legacy"), std::nullopt);
	BOOST_TEST(legacy.sessionName == "");
	BOOST_TEST(legacy.region == "us-west-2");
	std::string none = errorOf([] { ssoLoginSettings(configWith(kConfig, "keys"), std::nullopt); });
	BOOST_TEST(none.find("has no sso_start_url and sso_region") != std::string::npos, none);
}

BOOST_AUTO_TEST_SUITE_END()

// IAM Identity Center (SSO) end to end: the built mwaatok against the
// emulator's SSO portal, SSO OIDC and MWAA API, with the AWS CLI's token
// cache, and the installed AWS CLI v2 sharing that cache both ways.
#define BOOST_TEST_MODULE e2e_sso
#include <boost/test/unit_test.hpp>

#include "sandbox.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

using namespace mwaatok::e2e;

namespace {

const std::string kKey = "ASIASSOEMULATOR00001";
const std::string kSecret = "ssoEmulatorSecret0001";
const std::string kStart = "https://d-abc123.awsapps.com/start";
// SHA-1 of the start URL (legacy) and of the sso-session name, as the AWS CLI names them.
const std::string kLegacyFile = ".aws/sso/cache/40a89917e3175433e361b710a9d43528d7f1890a.json";
const std::string kSessionFile = ".aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json";

const char *kConfig = "[profile legacy]\n"
		      "sso_start_url = https://d-abc123.awsapps.com/start\n"
		      "sso_region = us-west-2\n"
		      "sso_account_id = 111122223333\n"
		      "sso_role_name = Admin\n"
		      "region = us-west-2\n"
		      "[profile modern]\n"
		      "sso_session = my-sso\n"
		      "sso_account_id = 111122223333\n"
		      "sso_role_name = Admin\n"
		      "region = us-west-2\n"
		      "[profile norole]\n"
		      "sso_session = my-sso\n"
		      "sso_account_id = 111122223333\n"
		      "sso_role_name = Nobody\n"
		      "region = us-west-2\n"
		      "[sso-session my-sso]\n"
		      "sso_start_url = https://d-abc123.awsapps.com/start\n"
		      "sso_region = us-west-2\n"
		      "sso_registration_scopes = sso:account:access\n";

std::string readFile(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

Poco::JSON::Object::Ptr jsonFile(const std::string &path)
{
	try {
		return Poco::JSON::Parser().parse(readFile(path)).extract<Poco::JSON::Object::Ptr>();
	} catch (const std::exception &) {
		BOOST_FAIL("not a JSON object: " << path);
	}
	return nullptr;
}

std::string member(const Poco::JSON::Object::Ptr &o, const std::string &name)
{
	return o && o->has(name) ? o->get(name).toString() : std::string();
}

std::string token(const std::string &access, const std::string &expiresAt, bool refreshable,
		  const std::string &startUrl = kStart)
{
	std::string t = "{\"startUrl\": \"" + startUrl + "\", \"region\": \"us-west-2\", \"accessToken\": \"" + access +
			"\", \"expiresAt\": \"" + expiresAt + "\"";
	if (refreshable)
		t += ", \"clientId\": \"cached-client\", \"clientSecret\": \"cached-secret\", "
		     "\"registrationExpiresAt\": \"2099-01-01T00:00:00Z\", \"refreshToken\": \"cached-refresh\"";
	return t + "}";
}

/// The emulator with one environment, one key for the SSO role, and SSO
/// (\a ssoExtra: more members of "sso"; \a extra: more top-level members).
struct World {
	Sandbox box;
	TempDir dir;
	std::string log = dir.path() + "/requests.jsonl";
	std::unique_ptr<Emulator> emulator;

	explicit World(const std::string &ssoExtra = "", const std::string &extra = "")
	{
		std::string config =
			"{\"keys\": {\"" + kKey + "\": {\"secret\": \"" + kSecret + "\", \"session_token\": true}},"
			" \"environments\": [{\"name\": \"e2e-env\", \"region\": \"us-west-2\"},"
			" {\"name\": \"e2e-env2\", \"region\": \"us-west-2\"}],"
			" \"sso\": {\"roles\": [{\"account_id\": \"111122223333\", \"role_name\": \"Admin\","
			" \"access_key_id\": \"" + kKey + "\"}], \"access_tokens\": [\"valid-token\"],"
			" \"clients\": {\"cached-client\": \"cached-secret\"}, \"refresh_tokens\": [\"cached-refresh\"],"
			" \"approve_after_polls\": 1, \"interval\": 1" + ssoExtra + "}" + extra + "}";
		emulator = std::make_unique<Emulator>(
			std::vector<std::string>{ "--config", dir.write("emulator.json", config), "--log", log });
		box.config(kConfig);
		box.env["AWS_ENDPOINT_URL_SSO"] = emulator->url();
		box.env["AWS_ENDPOINT_URL_SSO_OIDC"] = emulator->url();
	}

	std::string cachePath(const std::string &relative) const { return box.home() + "/" + relative; }

	void cache(const std::string &relative, const std::string &text) const
	{
		std::filesystem::create_directories(box.home() + "/.aws/sso/cache");
		box.write(relative, text);
	}

	RunResult url(const std::string &profile) const
	{
		return box.run({ "url", "e2e-env", "--profile", profile, "--endpoint-url", emulator->url(), "--no-progress" });
	}

	/// How many requests went to \a path.
	size_t requests(const std::string &path) const
	{
		std::string text = readFile(log);
		size_t n = 0;
		for (size_t at = text.find("\"path\": \"" + path + "\""); at != std::string::npos;
		     at = text.find("\"path\": \"" + path + "\"", at + 1))
			++n;
		return n;
	}
};

/// An error run: exit 3, one line naming \a profile, \a cause and the login
/// hint when \a hint, and no token.
void checkRefusal(const RunResult &r, const std::string &profile, const std::string &cause, bool hint = true)
{
	BOOST_TEST(r.status == 3, describe(r));
	BOOST_TEST(r.out.empty(), describe(r));
	BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1, describe(r));
	BOOST_TEST(r.err.find("profile `" + profile + "`") != std::string::npos, describe(r));
	BOOST_TEST(r.err.find(cause) != std::string::npos, describe(r));
	if (hint)
		BOOST_TEST(r.err.find("run 'aws sso login --profile " + profile + "' or 'mwaatok sso login --profile " +
				      profile + "'") != std::string::npos,
			   describe(r));
	for (const char *secret : { "valid-token", "stale-token", "cached-refresh", "cached-secret" })
		BOOST_TEST(r.err.find(secret) == std::string::npos, secret);
}

unsigned mode(const std::string &path)
{
	struct stat st {};
	return ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0;
}

/// The AWS CLI shim (sso_aws_cli.py): the installed AWS CLI v2 with its SSO
/// clients pointed at the emulator. A precondition: without it the case is
/// reported as skipped.
boost::test_tools::assertion_result haveAwsCliShim(boost::unit_test::test_unit_id)
{
	static const bool ok = [] {
		const char *shim = std::getenv("SSO_AWS_CLI_SHIM");
		if (!shim || access("/usr/bin/python3", X_OK) != 0)
			return false;
		TempDir home;
		auto r = runProgram("/usr/bin/python3", { "-c", "import awscli.clidriver, botocore.session" },
				    { { "PATH", "/usr/bin:/bin" }, { "HOME", home.path() } }, "", 60);
		return r.status == 0;
	}();
	boost::test_tools::assertion_result result(ok);
	if (!ok)
		result.message() << "the AWS CLI v2 (python3 -c 'import awscli') is not installed";
	return result;
}

RunResult awsCliShim(const World &w, const std::vector<std::string> &args)
{
	EnvMap env = w.box.env;
	env["SSO_TEST_ENDPOINT"] = w.emulator->url();
	std::vector<std::string> argv{ std::getenv("SSO_AWS_CLI_SHIM") };
	argv.insert(argv.end(), args.begin(), args.end());
	return runProgram("/usr/bin/python3", argv, env, "", 120);
}

} // namespace

BOOST_AUTO_TEST_SUITE(e2e_sso)

BOOST_AUTO_TEST_CASE(legacy_profile_signs_with_role_credentials_from_the_portal)
{
	World w;
	w.cache(kLegacyFile, token("valid-token", "2099-01-01T00:00:00Z", false));
	auto r = w.box.run({ "url", "e2e-env", "e2e-env2", "--profile", "legacy", "--endpoint-url", w.emulator->url(),
			     "--no-progress" });
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	BOOST_TEST(r.out.find("https://") == 0u, r.out);
	BOOST_TEST(std::count(r.out.begin(), r.out.end(), '\n') == 2, r.out);
	BOOST_TEST(w.requests("/federation/credentials") == 1u); // once per profile per run
	BOOST_TEST(r.err.find("valid-token") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_role_whose_source_profile_is_an_sso_profile)
{
	// The chain's assume-role provider takes its source credentials from the
	// portal, and the emulator's STS verifies the AssumeRole signature made
	// with them; the login URL is signed with the role's credentials.
	const std::string role = "arn:aws:iam::111122223333:role/airflow";
	World w("", ", \"sts\": {\"roles\": {\"" + role + "\": {}}}");
	w.box.config(std::string(kConfig) + "[profile airflow]\nrole_arn = " + role +
		     "\nsource_profile = modern\nregion = us-west-2\n");
	w.box.env["AWS_ENDPOINT_URL_STS"] = w.emulator->url();
	w.cache(kSessionFile, token("valid-token", "2099-01-01T00:00:00Z", true));
	auto r = w.url("airflow");
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	BOOST_TEST(r.out.find("https://") == 0u, r.out);
	BOOST_TEST(w.requests("/federation/credentials") == 1u);
	std::string log = readFile(w.log);
	auto sts = log.find("\"path\": \"/\"");
	BOOST_TEST_REQUIRE(sts != std::string::npos, log);
	std::string line = log.substr(sts, log.find('\n', sts) - sts);
	BOOST_TEST(line.find("\"access_key_id\": \"" + kKey + "\"") != std::string::npos, line);
	BOOST_TEST(line.find("\"signature_verified\": true") != std::string::npos, line);
	BOOST_TEST(line.find("\"status\": 200") != std::string::npos, line);
	// Both answers are in the AWS CLI's cache: the next run asks neither service.
	auto again = w.url("airflow");
	BOOST_TEST_REQUIRE(again.status == 0, describe(again));
	BOOST_TEST(w.requests("/federation/credentials") == 1u);
	BOOST_TEST(w.requests("/") == 1u);

	auto list = w.box.run({ "configure", "list", "--profile", "airflow" });
	BOOST_TEST_REQUIRE(list.status == 0, describe(list));
	auto rows = listRows(list.out);
	BOOST_TEST(rows["access_key"].type == "assume-role", list.out);
	BOOST_TEST(rows["secret_key"].type == "assume-role", list.out);
	BOOST_TEST(r.err.find("valid-token") == std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(sso_session_profile_in_url_configure_list_and_export_credentials)
{
	World w;
	w.cache(kSessionFile, token("valid-token", "2099-01-01T00:00:00Z", true));
	auto r = w.url("modern");
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	BOOST_TEST(r.out.find("https://") == 0u, r.out);

	auto list = w.box.run({ "configure", "list", "--profile", "modern" });
	BOOST_TEST_REQUIRE(list.status == 0, describe(list));
	checkKeyRows(listRows(list.out), "0001", "0001", "sso");

	auto exported = w.box.run({ "export-credentials", "--profile", "modern" });
	BOOST_TEST_REQUIRE(exported.status == 0, describe(exported));
	auto fields = processJson(exported.out);
	BOOST_TEST(fields["AccessKeyId"] == kKey);
	BOOST_TEST(fields["SecretAccessKey"] == kSecret);
	BOOST_TEST(fields["SessionToken"].rfind("sso-session-", 0) == 0u, fields["SessionToken"]);
	BOOST_TEST(!fields["Expiration"].empty());
	BOOST_TEST(w.requests("/token") == 0u); // far from expiry: no refresh
}

BOOST_AUTO_TEST_CASE(expired_sso_session_token_is_refreshed_and_the_cache_rewritten)
{
	World w;
	w.cache(kSessionFile, token("stale-token", "2000-01-01T00:00:00Z", true));
	auto r = w.url("modern");
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	BOOST_TEST(w.requests("/token") == 1u);

	const std::string path = w.cachePath(kSessionFile);
	auto saved = jsonFile(path);
	BOOST_TEST(member(saved, "accessToken").rfind("sso-access-", 0) == 0u);
	BOOST_TEST(member(saved, "refreshToken").rfind("sso-refresh-", 0) == 0u);
	BOOST_TEST(member(saved, "clientId") == "cached-client");
	BOOST_TEST(member(saved, "registrationExpiresAt") == "2099-01-01T00:00:00Z");
	BOOST_TEST(member(saved, "startUrl") == kStart);
	BOOST_TEST(member(saved, "expiresAt") > std::string("2026"));
	BOOST_TEST(mode(path) == 0600u);

	// The next run uses the refreshed token as it is.
	auto again = w.url("modern");
	BOOST_TEST_REQUIRE(again.status == 0, describe(again));
	BOOST_TEST(w.requests("/token") == 1u);
}

BOOST_AUTO_TEST_CASE(expired_token_without_refresh_asks_for_a_login)
{
	World w;
	w.cache(kLegacyFile, token("stale-token", "2000-01-01T00:00:00Z", false));
	checkRefusal(w.url("legacy"), "legacy", "expired at 2000-01-01T00:00:00+00:00");
	BOOST_TEST(w.requests("/federation/credentials") == 0u);

	World v; // refreshable, but the service no longer knows the refresh token
	v.cache(kSessionFile, "{\"startUrl\": \"" + kStart + "\", \"region\": \"us-west-2\", \"accessToken\": "
			      "\"stale-token\", \"expiresAt\": \"2000-01-01T00:00:00Z\", \"clientId\": \"cached-client\", "
			      "\"clientSecret\": \"cached-secret\", \"registrationExpiresAt\": \"2099-01-01T00:00:00Z\", "
			      "\"refreshToken\": \"revoked-refresh\"}");
	auto r = v.url("modern");
	BOOST_TEST(r.status == 3, describe(r));
	BOOST_TEST(r.err.find("InvalidGrantException") != std::string::npos, describe(r)); // the warning
	BOOST_TEST(r.err.find("run 'aws sso login --profile modern'") != std::string::npos, describe(r));
	BOOST_TEST(r.err.find("revoked-refresh") == std::string::npos);

	World n; // never logged in
	checkRefusal(n.url("modern"), "modern", "not logged in to IAM Identity Center");
}

BOOST_AUTO_TEST_CASE(bad_caches_and_portal_refusals_are_one_line_errors)
{
	World w;
	w.cache(kSessionFile, "{\"accessToken\": \"valid-token\", \"expiresAt\": ");
	checkRefusal(w.url("modern"), "modern", "is not usable (it is not a JSON object)");

	w.cache(kSessionFile, token("valid-token", "2099-01-01T00:00:00Z", true, "https://other.awsapps.com/start"));
	checkRefusal(w.url("modern"), "modern", "is for start URL https://other.awsapps.com/start");

	std::filesystem::remove(w.cachePath(kSessionFile));
	std::filesystem::create_directories(w.cachePath(kSessionFile)); // exists, cannot be read as a file
	checkRefusal(w.url("modern"), "modern", "token cache is unreadable");
	BOOST_TEST(w.requests("/federation/credentials") == 0u);

	w.cache(kLegacyFile, token("unknown-token", "2099-01-01T00:00:00Z", false));
	checkRefusal(w.url("legacy"), "legacy", "401 UnauthorizedException: Session token not found or invalid");

	std::filesystem::remove(w.cachePath(kSessionFile));
	w.cache(kSessionFile, token("valid-token", "2099-01-01T00:00:00Z", true));
	checkRefusal(w.url("norole"), "norole", "no access to role Nobody in account 111122223333", false);
}

BOOST_AUTO_TEST_CASE(sso_login_writes_the_cache_that_url_then_uses)
{
	World w(", \"approve_after_polls\": 2");
	const std::string opened = w.dir.path() + "/opened";
	w.box.env["BROWSER"] = w.box.script("browser.sh", "printf '%s' \"$1\" > " + opened + "\n");
	auto login = w.box.run({ "sso", "login", "--profile", "modern" }, {}, 60);
	BOOST_TEST_REQUIRE(login.status == 0, describe(login));
	BOOST_TEST(login.out.empty(), describe(login));
	BOOST_TEST(login.err.find("https://device.sso.emulator.invalid/\n") != std::string::npos, describe(login));
	BOOST_TEST(login.err.find("Successfully logged into Start URL: " + kStart) != std::string::npos, describe(login));
	std::string url = readFile(opened);
	BOOST_TEST(url.rfind("https://device.sso.emulator.invalid/?user_code=", 0) == 0u, url);
	BOOST_TEST(login.err.find(url.substr(url.find('=') + 1)) != std::string::npos, "the user code is shown");
	BOOST_TEST(w.requests("/token") == 3u); // two pending polls, then the token

	const std::string path = w.cachePath(kSessionFile);
	auto saved = jsonFile(path);
	BOOST_TEST(mode(path) == 0600u);
	BOOST_TEST(mode(w.box.home() + "/.aws/sso/cache") == 0700u);
	BOOST_TEST(login.err.find(member(saved, "accessToken")) == std::string::npos);
	BOOST_TEST(login.err.find(member(saved, "clientSecret")) == std::string::npos);
	BOOST_TEST(member(saved, "refreshToken").rfind("sso-refresh-", 0) == 0u);

	auto r = w.url("modern");
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	BOOST_TEST(r.out.find("https://") == 0u, r.out);
}

BOOST_AUTO_TEST_CASE(sso_login_with_an_explicit_session_and_no_browser)
{
	World w;
	const std::string opened = w.dir.path() + "/opened";
	w.box.env["BROWSER"] = w.box.script("browser.sh", "printf '%s' \"$1\" > " + opened + "\n");
	w.box.config(std::string(kConfig) + "[profile plain]\nregion = us-west-2\n");
	auto login = w.box.run({ "sso", "login", "--profile", "plain", "--sso-session", "my-sso", "--no-browser" }, {}, 60);
	BOOST_TEST_REQUIRE(login.status == 0, describe(login));
	BOOST_TEST(!std::filesystem::exists(opened));
	BOOST_TEST(login.err.find("Open the following URL") != std::string::npos, describe(login));
	BOOST_TEST(std::filesystem::exists(w.cachePath(kSessionFile))); // the session's file, named after it
	auto missing = w.box.run({ "sso", "login", "--sso-session", "nope", "--no-browser" });
	BOOST_TEST(missing.status == 2, describe(missing));
	BOOST_TEST(missing.err.find("no [sso-session nope] section") != std::string::npos, describe(missing));
}

BOOST_AUTO_TEST_CASE(sso_login_that_expires_or_lacks_settings_fails_cleanly)
{
	World w(", \"device_outcome\": \"expire\"");
	w.box.env["BROWSER"] = "/bin/true";
	auto r = w.box.run({ "sso", "login", "--profile", "modern" }, {}, 60);
	BOOST_TEST(r.status == 3, describe(r));
	BOOST_TEST(r.err.find("expired before it was approved") != std::string::npos, describe(r));
	BOOST_TEST(!std::filesystem::exists(w.cachePath(kSessionFile)));

	w.box.config("[profile plain]\nregion = us-west-2\n");
	auto plain = w.box.run({ "sso", "login", "--profile", "plain" });
	BOOST_TEST(plain.status == 2, describe(plain));
	BOOST_TEST(plain.err.find("has no sso_start_url and sso_region") != std::string::npos, describe(plain));
	auto usage = w.box.run({ "sso", "logout" });
	BOOST_TEST(usage.status == 2, describe(usage));
}

BOOST_AUTO_TEST_CASE(the_aws_cli_uses_the_cache_mwaatok_wrote, *boost::unit_test::precondition(haveAwsCliShim))
{
	World w;
	w.box.env["BROWSER"] = "/bin/true";
	auto login = w.box.run({ "sso", "login", "--profile", "modern" }, {}, 60);
	BOOST_TEST_REQUIRE(login.status == 0, describe(login));
	auto r = awsCliShim(w, { "configure", "export-credentials", "--profile", "modern" });
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	auto fields = processJson(r.out);
	BOOST_TEST(fields["AccessKeyId"] == kKey);
	BOOST_TEST(fields["SecretAccessKey"] == kSecret);

	// Role credentials mwaatok fetched are cached where the AWS CLI looks:
	// it uses them without asking the portal again.
	std::filesystem::remove_all(w.box.home() + "/.aws/cli/cache");
	auto mine = w.box.run({ "export-credentials", "--profile", "modern" });
	BOOST_TEST_REQUIRE(mine.status == 0, describe(mine));
	size_t portalCalls = w.requests("/federation/credentials");
	auto shared = awsCliShim(w, { "configure", "export-credentials", "--profile", "modern" });
	BOOST_TEST_REQUIRE(shared.status == 0, describe(shared));
	BOOST_TEST(processJson(shared.out)["SessionToken"] == processJson(mine.out)["SessionToken"]);
	BOOST_TEST(w.requests("/federation/credentials") == portalCalls);

	// `configure list` agrees row by row (type sso, no location for the keys).
	auto theirs = awsCliShim(w, { "configure", "list", "--profile", "modern" });
	auto ours = w.box.run({ "configure", "list", "--profile", "modern" });
	BOOST_TEST_REQUIRE(theirs.status == 0, describe(theirs));
	BOOST_TEST_REQUIRE(ours.status == 0, describe(ours));
	auto theirRows = listRows(theirs.out), ourRows = listRows(ours.out);
	for (const char *row : { "profile", "access_key", "secret_key", "region" }) {
		BOOST_TEST_CONTEXT(row)
		{
			BOOST_TEST(ourRows[row].value == theirRows[row].value);
			BOOST_TEST(ourRows[row].type == theirRows[row].type);
			BOOST_TEST(ourRows[row].location == theirRows[row].location);
		}
	}
	BOOST_TEST(ourRows["access_key"].type == "sso");

	// And its refresh of a token that mwaatok wrote: expire it by hand, and
	// drop the role credentials the AWS CLI cached in ~/.aws/cli/cache.
	BOOST_TEST(std::filesystem::exists(w.box.home() + "/.aws/cli/cache"));
	std::filesystem::remove_all(w.box.home() + "/.aws/cli/cache");
	auto saved = jsonFile(w.cachePath(kSessionFile));
	saved->set("expiresAt", "2000-01-01T00:00:00Z");
	std::ostringstream text;
	saved->stringify(text);
	w.cache(kSessionFile, text.str());
	size_t before = w.requests("/token");
	auto refreshed = awsCliShim(w, { "configure", "export-credentials", "--profile", "modern" });
	BOOST_TEST_REQUIRE(refreshed.status == 0, describe(refreshed));
	BOOST_TEST(w.requests("/token") == before + 1);
	BOOST_TEST(member(jsonFile(w.cachePath(kSessionFile)), "expiresAt") > std::string("2026"));
}

BOOST_AUTO_TEST_CASE(mwaatok_uses_the_cache_the_aws_cli_wrote, *boost::unit_test::precondition(haveAwsCliShim))
{
	World w;
	auto login = awsCliShim(w, { "sso", "login", "--no-browser", "--profile", "modern" });
	BOOST_TEST_REQUIRE(login.status == 0, describe(login));
	std::filesystem::remove_all(w.box.home() + "/.aws/cli/cache");
	auto r = w.url("modern");
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	BOOST_TEST(r.out.find("https://") == 0u, r.out);

	// Role credentials the AWS CLI cached are used without a portal call.
	std::filesystem::remove_all(w.box.home() + "/.aws/cli/cache");
	auto theirs = awsCliShim(w, { "configure", "export-credentials", "--profile", "modern" });
	BOOST_TEST_REQUIRE(theirs.status == 0, describe(theirs));
	size_t portalCalls = w.requests("/federation/credentials");
	auto ours = w.box.run({ "export-credentials", "--profile", "modern" });
	BOOST_TEST_REQUIRE(ours.status == 0, describe(ours));
	BOOST_TEST(processJson(ours.out)["SessionToken"] == processJson(theirs.out)["SessionToken"]);
	BOOST_TEST(w.requests("/federation/credentials") == portalCalls);

	// A second mwaatok login reuses the client registration the AWS CLI cached.
	size_t registrations = w.requests("/client/register");
	w.box.env["BROWSER"] = "/bin/true";
	auto again = w.box.run({ "sso", "login", "--profile", "modern" }, {}, 60);
	BOOST_TEST_REQUIRE(again.status == 0, describe(again));
	BOOST_TEST(w.requests("/client/register") == registrations);

	// The legacy flavour: the AWS CLI logs in with the start URL file.
	auto legacy = awsCliShim(w, { "sso", "login", "--no-browser", "--profile", "legacy" });
	BOOST_TEST_REQUIRE(legacy.status == 0, describe(legacy));
	BOOST_TEST(std::filesystem::exists(w.cachePath(kLegacyFile)));
	auto lr = w.url("legacy");
	BOOST_TEST(lr.status == 0, describe(lr));
}

BOOST_AUTO_TEST_SUITE_END()

// The smithy-rs provider-chain cases, replayed against our chain.
#include <boost/test/unit_test.hpp>

#include "core/strings.h"
#include "credentials/imds_client.h"
#include "mwaatok/profile_file.h"
#include "test_support.h"
#include "fakes.h"

#include <filesystem>
#include <map>
#include <set>

using namespace mwaatok;
using namespace mwaatok::test;

namespace {

namespace fs = std::filesystem;

// How each recorded case runs here. smithy-rs's error strings are its own, so
// error expectations are ours. Every case runs: "Unsupported" is for a provider
// not built yet, whose cases must then fail with a clear "not supported yet"
// error instead of silently picking other credentials (none is, today).
enum class Mode { Run, Unsupported };

struct CaseRule {
	const char *name;
	Mode mode;
	const char *why;               ///< why it differs from the recording, if it does
	const char *errorContains;     ///< our error text, when the case must fail
	const char *extraEnv = nullptr; ///< NAME=value added to env.json
};

// clang-format off
const CaseRule kChainCases[] = {
	{"e2e_fips_and_dual_stack_sso", Mode::Run, "", nullptr},
	{"ecs_assume_role", Mode::Run, "", nullptr},
	{"ecs_credentials", Mode::Run, "", nullptr},
	{"ecs_credentials_invalid_profile", Mode::Run, "", nullptr},
	{"eks_pod_identity_credentials", Mode::Run, "", nullptr},
	{"eks_pod_identity_no_token_file", Mode::Run, "our wording", "does not exist"},
	{"environment_variables", Mode::Run, "", nullptr},
	{"environment_variables_blank", Mode::Run, "", nullptr},
	{"imds_assume_role", Mode::Run, "", nullptr},
	{"imds_config_with_no_creds", Mode::Run, "", nullptr},
	{"imds_default_chain_error", Mode::Run, "our wording", "no iam role is attached"},
	{"imds_default_chain_retries", Mode::Run, "botocore defaults to 1 attempt; the recording retries once",
	 nullptr, "AWS_METADATA_SERVICE_NUM_ATTEMPTS=2"},
	{"imds_default_chain_success", Mode::Run, "", nullptr},
	{"imds_disabled", Mode::Run, "our wording", "AWS_EC2_METADATA_DISABLED is true"},
	{"imds_no_iam_role", Mode::Run, "our wording", "the provider was not enabled"},
	{"imds_token_fail", Mode::Run, "our wording; we fall back to IMDSv1 after a 403 as botocore does, so the "
	 "recording (which never falls back) runs with IMDSv1 disabled", "403", "AWS_EC2_METADATA_V1_DISABLED=true"},
	{"prefer_environment", Mode::Run, "", nullptr},
	{"profile_name", Mode::Run, "", nullptr},
	{"profile_overrides_web_identity", Mode::Run, "our wording", "the provider was not enabled"},
	{"profile_static_keys", Mode::Run, "", nullptr},
	{"profile_static_keys_case_insensitive", Mode::Run, "", nullptr},
	{"sso_assume_role", Mode::Run, "", nullptr},
	{"sso_no_token_file", Mode::Run, "our wording", "not logged in to IAM Identity Center"},
	{"sso_server_error", Mode::Run, "our wording", "GetRoleCredentials failed (503"},
	{"web_identity_source_profile_no_env", Mode::Run, "our wording",
	 "web_identity_token_file was specified but role_arn was missing"},
	{"web_identity_token_env", Mode::Run, "", nullptr},
	{"web_identity_token_invalid_jwt", Mode::Run, "our wording",
	 "InvalidIdentityToken: No OpenIDConnect provider found in your account"},
	{"web_identity_token_profile", Mode::Run, "", nullptr},
	{"web_identity_token_source_profile", Mode::Run, "", nullptr},
};

const CaseRule kProfileCases[] = {
	{"assume_role_override_global_env_url", Mode::Run, "", nullptr},
	{"assume_role_override_global_profile_url", Mode::Run, "", nullptr},
	{"assume_role_override_service_env_url", Mode::Run, "", nullptr},
	{"assume_role_override_service_profile_url", Mode::Run, "", nullptr},
	{"credential_process", Mode::Run, "runs the real process", nullptr},
	{"credential_process_account_id_fallback", Mode::Run, "runs the real process", nullptr},
	{"credential_process_failure", Mode::Run, "our wording", "exited with status 1"},
	{"credential_process_invalid", Mode::Run, "our wording", "printed invalid json"},
	{"e2e_assume_role", Mode::Run, "", nullptr},
	{"e2e_fips_and_dual_stack_sts", Mode::Run, "", nullptr},
	{"empty_config", Mode::Run, "our wording", "no [default] profile"},
	{"invalid_config", Mode::Run, "our wording", "/home/.aws/config:2: property did not have a name"},
	{"invalid_sso_credentials_config", Mode::Run, "", "will resolve an access token instead of credentials"},
	{"region_override", Mode::Run, "", nullptr},
	{"retry_on_error", Mode::Run, "", nullptr},
	{"sso_credentials", Mode::Run, "", nullptr},
	{"sso_override_global_env_url", Mode::Run, "", nullptr},
	{"sso_token", Mode::Run, "", "will resolve an access token instead of credentials"},
};
// clang-format on

const std::string kLegacyList = "/latest/meta-data/iam/security-credentials/";
const std::string kExtendedList = "/latest/meta-data/iam/security-credentials-extended/";

// The recorded traffic as a script. We try the extended IMDS credentials API
// first (newer SDKs do, see the SEP cases); the Rust recordings predate it, so
// a 404 for it is inserted before the first legacy listing.
void loadTraffic(const std::string &path, ReplayTransport &http)
{
	auto root = object(loadJson(path));
	auto events = root->getArray("events");
	std::vector<ReplayExchange> exchanges;
	std::map<int, size_t> byConnection;
	bool insertedExtended = false;
	for (size_t i = 0; i < events->size(); ++i) {
		auto e = events->getObject(static_cast<unsigned>(i));
		int conn = e->getValue<int>("connection_id");
		auto action = e->getObject("action");
		if (action->has("Request")) {
			auto req = action->getObject("Request")->getObject("request");
			ReplayExchange x;
			x.method = req->getValue<std::string>("method");
			x.url = req->getValue<std::string>("uri");
			auto headers = req->getObject("headers");
			for (const auto &name : headers->getNames()) {
				std::string lower = toLower(name);
				if (lower == "content-type" || lower == "accept" || lower == "x-aws-ec2-metadata-token" ||
				    lower == "x-aws-ec2-metadata-token-ttl-seconds")
					x.headers.push_back({lower, headers->getArray(name)->getElement<std::string>(0)});
			}
			// We send STS forms with the charset, as botocore does; smithy-rs sends none.
			for (auto &h : x.headers)
				if (h.name == "content-type" && h.value == "application/x-www-form-urlencoded")
					h.value += "; charset=utf-8";
			// An endpoint URL without a path is requested as "/".
			if (auto scheme = x.url.find("://"); x.url.find('/', scheme + 3) == std::string::npos)
				x.url += "/";
			if (!insertedExtended && endsWith(x.url, kLegacyList)) {
				insertedExtended = true;
				ReplayExchange ext = x;
				ext.url = x.url.substr(0, x.url.size() - kLegacyList.size()) + kExtendedList;
				ext.response.status = 404;
				exchanges.push_back(ext);
			}
			byConnection[conn] = exchanges.size();
			exchanges.push_back(x);
		} else if (action->has("Response")) {
			auto resp = action->getObject("Response")->getObject("response")->getObject("Ok");
			exchanges[byConnection.at(conn)].response.status = resp->getValue<int>("status");
		} else if (action->has("Data")) {
			auto data = action->getObject("Data");
			if (data->getValue<std::string>("direction") != "Response")
				continue;
			auto d = data->getObject("data");
			BOOST_REQUIRE(d->has("Utf8"));
			exchanges[byConnection.at(conn)].response.body += d->getValue<std::string>("Utf8");
		}
	}
	for (auto &x : exchanges)
		http.add(x);
}

void loadCase(const std::string &dir, const CaseRule &rule, Seams &s)
{
	s.env = envFrom(object(loadJson(dir + "/env.json")));
	if (rule.extraEnv) {
		std::string_view kv = rule.extraEnv;
		auto eq = kv.find('=');
		s.env.set(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
	}
	if (fs::is_directory(dir + "/fs")) {
		for (const auto &f : fs::recursive_directory_iterator(dir + "/fs"))
			if (f.is_regular_file())
				s.fs.write("/" + fs::relative(f.path(), dir + "/fs").string(), readText(f.path().string()));
	}
	if (fs::exists(dir + "/http-traffic.json"))
		loadTraffic(dir + "/http-traffic.json", s.http);
}

void checkOk(const Credentials &c, const Poco::JSON::Object::Ptr &ok)
{
	BOOST_TEST(c.accessKeyId == ok->getValue<std::string>("access_key_id"));
	BOOST_TEST(c.secretAccessKey == ok->getValue<std::string>("secret_access_key"));
	BOOST_TEST(c.sessionToken == (ok->has("session_token") ? ok->getValue<std::string>("session_token") : ""));
	BOOST_TEST(c.accountId == (ok->has("account_id") ? ok->getValue<std::string>("account_id") : ""));
	if (ok->has("expiry")) {
		BOOST_REQUIRE(c.expiration.has_value());
		BOOST_TEST(epochSeconds(*c.expiration) == ok->getValue<long long>("expiry"));
	} else {
		BOOST_TEST(!c.expiration.has_value());
	}
}

template <typename Resolve>
void runCases(const std::string &root, const CaseRule *begin, const CaseRule *end, Resolve resolve)
{
	std::set<std::string> onDisk, inTable;
	for (const auto &d : fs::directory_iterator(root))
		onDisk.insert(d.path().filename().string());
	for (const CaseRule *rule = begin; rule != end; ++rule) {
		inTable.insert(rule->name);
		std::string dir = root + "/" + rule->name;
		BOOST_TEST_CONTEXT(rule->name)
		{
			Seams s;
			SystemProcessLauncher launcher;
			s.processes = &launcher;
			loadCase(dir, *rule, s);
			auto expected = object(loadJson(dir + "/test-case.json"))->getObject("result");
			try {
				Credentials c = resolve(s);
				BOOST_TEST(!rule->errorContains, "succeeded, expected an error");
				BOOST_TEST((rule->mode == Mode::Run));
				if (expected->has("Ok"))
					checkOk(c, expected->getObject("Ok"));
				else
					BOOST_ERROR("succeeded, recording expects an error");
				BOOST_TEST(s.http.remaining() == 0u);
			} catch (const ReplayMismatch &e) {
				BOOST_ERROR("http replay: " << e.what());
			} catch (const Error &e) {
				BOOST_TEST_REQUIRE(rule->errorContains != nullptr, "unexpected error: " << e.what());
				BOOST_TEST(std::string(e.what()).find(rule->errorContains) != std::string::npos, e.what());
			}
			BOOST_TEST(s.http.failures().empty());
		}
	}
	BOOST_TEST(onDisk == inTable, "every recorded case is listed in the table");
}

} // namespace

BOOST_AUTO_TEST_CASE(default_chain_recordings)
{
	runCases(dataDir() + "/provider-chain/default-credential-provider-chain", std::begin(kChainCases),
		 std::end(kChainCases), [](Seams &s) { return makeDefaultChain(s.context(), {})->resolveOrThrow(); });
}

BOOST_AUTO_TEST_CASE(profile_provider_recordings)
{
	runCases(dataDir() + "/provider-chain/profile-provider", std::begin(kProfileCases), std::end(kProfileCases),
		 [](Seams &s) {
			 // smithy-rs's profile provider is our chain's profile part.
			 ProviderChain profile;
			 profile.add(makeAssumeRoleProvider(s.context(), {}));
			 profile.add(makeWebIdentityProvider(s.context(), {}));
			 profile.add(makeSsoProvider(s.context(), {}));
			 profile.add(makeProfileProvider(s.context(), {}));
			 return profile.resolveOrThrow();
		 });
}

BOOST_AUTO_TEST_CASE(eks_pod_identity_sends_the_token_file_contents)
{
	Seams s;
	loadCase(dataDir() + "/provider-chain/default-credential-provider-chain/eks_pod_identity_credentials",
		 kChainCases[4], s);
	makeDefaultChain(s.context(), {})->resolveOrThrow();
	auto sent = s.http.received();
	BOOST_REQUIRE(sent.size() == 1u);
	BOOST_TEST(findHeader(sent[0].headers, "authorization").value_or("") == "sometoken");
}

BOOST_AUTO_TEST_CASE(ecs_url_cases)
{
	auto tests = object(loadJson(dataDir() + "/provider-chain/ecs-tests.json"))->getArray("tests");
	BOOST_TEST(tests->size() == 11u);
	forEachCase(tests, "docs", [](const Poco::JSON::Object::Ptr &t) {
		auto vars = t->getObject("env");
		MapEnvironment env = envFrom(vars);
		auto result = t->getObject("result");
		if (result->has("Ok"))
			BOOST_TEST(containerCredentialsUrl(env).value_or("(none)") == result->getValue<std::string>("Ok"));
		else if (vars->size() == 0)
			BOOST_TEST(!containerCredentialsUrl(env)); // not configured: not an error
		else
			BOOST_CHECK_THROW(containerCredentialsUrl(env), Error);
	});
}

BOOST_AUTO_TEST_CASE(ecs_full_uri_host_rule)
{
	MapEnvironment env;
	env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds");
	try {
		containerCredentialsUrl(env);
		BOOST_FAIL("plain http to a remote host was accepted");
	} catch (const Error &e) {
		BOOST_TEST(e.kind() == ErrorKind::Credentials);
		BOOST_TEST(std::string(e.what()).find("not allowed over http") != std::string::npos);
	}
	env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9000/creds");
	BOOST_TEST(containerCredentialsUrl(env).value() == "http://127.0.0.1:9000/creds");
	// Loopback means an address literal, not a name that looks like one.
	for (const char *url : { "http://127.evil.attacker.example/creds", "http://127.0.0.300/creds",
				 "http://127.0.0.1.example/creds", "http://[::2]/creds" }) {
		env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", url);
		BOOST_CHECK_THROW(containerCredentialsUrl(env), Error);
	}
	for (const char *url : { "http://127.1.2.3/creds", "http://localhost:8080/creds", "http://[::1]:8080/creds",
				 "http://[0:0:0:0:0:0:0:1]/creds" }) {
		env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", url);
		BOOST_TEST(containerCredentialsUrl(env).value() == url);
	}
}

BOOST_AUTO_TEST_CASE(imds_endpoint_cases)
{
	auto tests = object(loadJson(dataDir() + "/provider-chain/imds-endpoint-tests.json"))->getArray("tests");
	BOOST_TEST(tests->size() == 14u);
	forEachCase(tests, "docs", [](const Poco::JSON::Object::Ptr &t) {
		MapEnvironment env = envFrom(t->getObject("env"));
		MapFileSystem files;
		auto fsObj = t->getObject("fs");
		for (const auto &k : fsObj->getNames())
			files.write(k, fsObj->getValue<std::string>(k));
		std::optional<std::string> endpoint, mode;
		if (t->has("endpoint_override"))
			endpoint = t->getValue<std::string>("endpoint_override");
		if (t->has("mode_override"))
			mode = t->getValue<std::string>("mode_override");
		auto result = t->getObject("result");
		try {
			auto config = SharedConfig::load(env, files, std::nullopt);
			auto settings = detail::imdsSettings(env, &config, endpoint, mode);
			BOOST_TEST_REQUIRE(result->has("Ok"), "expected an error");
			BOOST_TEST(settings.endpoint + "/latest/api/token" == result->getValue<std::string>("Ok"));
		} catch (const Error &e) {
			BOOST_TEST_REQUIRE(result->has("Err"), e.what());
			BOOST_TEST(e.kind() == ErrorKind::Config);
			std::string want = result->getValue<std::string>("Err");
			// smithy-rs says "invalid uri character" where Url::parse has its own words.
			if (want == "invalid uri character")
				want = "invalid uri";
			BOOST_TEST(std::string(e.what()).find(want) != std::string::npos, e.what());
		}
	});
}

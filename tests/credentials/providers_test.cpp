#include <boost/test/unit_test.hpp>

#include "mwaatok/text.h"
#include "mwaatok/configure.h"
#include "mwaatok/region.h"
#include "test_support.h"
#include "assertions.h"
#include "fakes.h"

#include <atomic>
#include <thread>

using namespace mwaatok;
using namespace mwaatok::test;

namespace {

std::optional<Credentials> resolveWith(CredentialProvider &p, std::string &why)
{
	return p.resolve(why);
}

} // namespace

BOOST_AUTO_TEST_CASE(environment_provider)
{
	Seams s;
	auto p = makeEnvironmentProvider(s.context());
	std::string why;
	BOOST_TEST(!resolveWith(*p, why));
	BOOST_TEST(contains(why, "AWS_ACCESS_KEY_ID"));

	s.env.set("AWS_ACCESS_KEY_ID", "AKID");
	s.env.set("AWS_SECRET_ACCESS_KEY", "SECRET");
	s.env.set("AWS_SECURITY_TOKEN", "legacy");
	auto c = resolveWith(*p, why);
	BOOST_REQUIRE(c);
	BOOST_TEST(c->sessionToken == "legacy");
	BOOST_TEST(c->source == "env");
	s.env.set("AWS_SESSION_TOKEN", "modern");
	s.env.set("AWS_CREDENTIAL_EXPIRATION", "2030-01-02T03:04:05Z");
	c = resolveWith(*p, why);
	BOOST_TEST(c->sessionToken == "modern");
	BOOST_TEST(epochSeconds(*c->expiration) == 1893553445);

	s.env.set("AWS_SECRET_ACCESS_KEY", "  ");
	try {
		resolveWith(*p, why);
		BOOST_FAIL("partial keys accepted");
	} catch (const Error &e) {
		BOOST_TEST(e.kind() == ErrorKind::Credentials);
		BOOST_TEST(contains(e.what(), "AWS_SECRET_ACCESS_KEY is not"), e.what());
	}
	s.env.unset("AWS_ACCESS_KEY_ID");
	s.env.set("AWS_SECRET_ACCESS_KEY", "SECRET");
	BOOST_TEST(contains(errorOf([&] { resolveWith(*p, why); }), "AWS_ACCESS_KEY_ID is not"));
}

BOOST_AUTO_TEST_CASE(explicit_profile_beats_environment_keys)
{
	Seams s;
	s.env.set("AWS_ACCESS_KEY_ID", "ENVKEY");
	s.env.set("AWS_SECRET_ACCESS_KEY", "ENVSECRET");
	s.fs.write("/home/.aws/credentials", "[prod]\naws_access_key_id = PRODKEY\naws_secret_access_key = S\n");
	BOOST_TEST(makeDefaultChain(s.context(), {})->resolveOrThrow().accessKeyId == "ENVKEY");
	ChainOptions o;
	o.profile = "prod";
	auto c = makeDefaultChain(s.context(), o)->resolveOrThrow();
	BOOST_TEST(c.accessKeyId == "PRODKEY");
	BOOST_TEST(c.source == "shared-credentials-file");
	// AWS_PROFILE alone does not drop the environment provider (botocore).
	s.env.set("AWS_PROFILE", "prod");
	BOOST_TEST(makeDefaultChain(s.context(), {})->resolveOrThrow().accessKeyId == "ENVKEY");
}

BOOST_AUTO_TEST_CASE(profile_provider_rules)
{
	Seams s;
	s.fs.write("/home/.aws/config", "[default]\naws_access_key_id = CFGKEY\naws_secret_access_key = CFGSECRET\n"
					 "aws_session_token = TOK\naws_account_id = 111122223333\n"
					 "[profile half]\naws_access_key_id = ONLY\n"
					 "[profile role]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n"
					 "[profile sso]\nsso_session = corp\n"
					 "[profile empty]\nregion = eu-west-1\n");
	auto run = [&](std::optional<std::string> profile) {
		ChainOptions o;
		o.profile = std::move(profile);
		std::string why;
		auto c = makeProfileProvider(s.context(), o)->resolve(why);
		if (!c)
			throw NoCredentialsError(why);
		return *c;
	};
	auto c = run(std::nullopt);
	BOOST_TEST(c.accessKeyId == "CFGKEY");
	BOOST_TEST(c.sessionToken == "TOK");
	BOOST_TEST(c.accountId == "111122223333");
	BOOST_TEST(c.source == "config-file");

	std::string e = errorOf([&] { run("half"); });
	BOOST_TEST(contains(e, "profile `half` sets aws_access_key_id (/home/.aws/config:7) but not aws_secret_access_key"), e);
	// Roles and IAM Identity Center belong to the providers before this one in the chain.
	e = errorOf([&] { run("role"); });
	BOOST_TEST(contains(e, "profile `role` has no aws_access_key_id or credential_process"), e);
	// A profile that only names an sso-session is the SSO provider's, which skips it and says why.
	ChainOptions sso;
	sso.profile = "sso";
	std::string why;
	BOOST_TEST(!makeSsoProvider(s.context(), sso)->resolve(why).has_value());
	BOOST_TEST(contains(why, "sets sso_session (/home/.aws/config:12) but neither sso_account_id nor sso_role_name"),
		   why);
	e = errorOf([&] { run("empty"); });
	BOOST_TEST(contains(e, "profile `empty` has no aws_access_key_id or credential_process"), e);
	try {
		run("defualt");
		BOOST_FAIL("a missing profile was accepted");
	} catch (const Error &err) {
		BOOST_TEST(err.kind() == ErrorKind::Config);
		BOOST_TEST(contains(err.what(), "aws profile `defualt` (from --profile) is not defined"), err.what());
		BOOST_TEST(contains(err.what(), "did you mean `default`?"), err.what());
	}
}

BOOST_AUTO_TEST_CASE(credentials_file_keys_beat_credential_process_beat_config_keys)
{
	Seams s;
	CannedProcesses proc;
	proc.result.started = true;
	proc.result.exitCode = 0;
	proc.result.stdoutData = R"({"Version":1,"AccessKeyId":"PROCKEY","SecretAccessKey":"P"})";
	s.processes = &proc;
	s.fs.write("/home/.aws/config", "[default]\ncredential_process = my-helper --x\naws_access_key_id = CFG\n"
					 "aws_secret_access_key = CFGS\naws_account_id = 999\n");
	std::string why;
	auto c = makeProfileProvider(s.context(), {})->resolve(why);
	BOOST_TEST(c->accessKeyId == "PROCKEY");
	BOOST_TEST(c->accountId == "999");
	BOOST_TEST(c->source == "process");
	BOOST_REQUIRE(proc.calls.size() == 1u);
	BOOST_TEST((proc.calls[0].argv == std::vector<std::string>{"sh", "-c", "my-helper --x"}));
	BOOST_TEST(proc.calls[0].timeout.count() == 60000);

	s.fs.write("/home/.aws/credentials", "[default]\naws_access_key_id = CREDS\naws_secret_access_key = S\n");
	c = makeProfileProvider(s.context(), {})->resolve(why);
	BOOST_TEST(c->accessKeyId == "CREDS");
	BOOST_TEST(proc.calls.size() == 1u);
}

BOOST_AUTO_TEST_CASE(credential_process_failures_are_clear_and_redacted)
{
	CannedProcesses proc;
	proc.result.started = true;
	auto err = [&] {
		return errorOf([&] { runCredentialProcess(proc, "helper", "dev", "", std::chrono::seconds(60)); });
	};
	proc.result.exitCode = 2;
	proc.result.stderrData = "boom\nkey wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY leaked\n";
	std::string e = err();
	BOOST_TEST(contains(e, "credential_process of profile `dev` exited with status 2: stderr: boom; key **** leaked"), e);
	BOOST_TEST(!contains(e, "wJalrXUtnFEMI"));

	proc.result.exitCode = 0;
	proc.result.stderrData = R"({"SecretAccessKey": "abc", "SessionToken":"tok"})";
	proc.result.stdoutData = "not json";
	e = err();
	BOOST_TEST(contains(e, "printed invalid json"), e);
	BOOST_TEST(!contains(e, "abc"));
	BOOST_TEST(!contains(e, "tok\""));

	proc.result.stderrData.clear();
	proc.result.stdoutData = R"({"Version":2,"AccessKeyId":"A","SecretAccessKey":"B"})";
	BOOST_TEST(contains(err(), "Version is not the number 1"));
	proc.result.stdoutData = R"({"Version":1,"SecretAccessKey":"B"})";
	BOOST_TEST(contains(err(), "no AccessKeyId"));
	proc.result.stdoutData = R"({"Version":1,"AccessKeyId":"A","SecretAccessKey":"B","Expiration":"soon"})";
	BOOST_TEST(contains(err(), "not an RFC 3339 timestamp"));

	proc.result.timedOut = true;
	proc.result.exitCode = -1;
	proc.result.stderrData = "waiting for mfa";
	BOOST_TEST(contains(err(), "did not finish within 60 s and was stopped: stderr: waiting for mfa"), err());

	proc.result = ProcessResult{};
	proc.result.error = "sh: No such file or directory";
	BOOST_TEST(contains(err(), "could not be started: sh: No such file"), err());
}

BOOST_AUTO_TEST_CASE(redaction_patterns)
{
	BOOST_TEST(redactSecrets(R"({"SecretAccessKey" : "s3cr\"et", "AccessKeyId":"AKID"})") ==
		   R"({"SecretAccessKey" : "****", "AccessKeyId":"AKID"})");
	BOOST_TEST(redactSecrets("aws_session_token=abc123 next") == "aws_session_token=**** next");
	BOOST_TEST(redactSecrets("short AKIAIOSFODNN7EXAMPLE ok") == "short AKIAIOSFODNN7EXAMPLE ok");
}

BOOST_AUTO_TEST_CASE(no_credentials_error_lists_every_provider)
{
	Seams s;
	s.env.set("AWS_EC2_METADATA_DISABLED", "true");
	try {
		makeDefaultChain(s.context(), {})->resolveOrThrow();
		BOOST_FAIL("credentials from nowhere");
	} catch (const NoCredentialsError &e) {
		BOOST_TEST(e.kind() == ErrorKind::Credentials);
		BOOST_TEST(exitStatusFor(e.kind()) == 3);
		std::string m = e.what();
		for (const char *part :
		     {"environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
		      "shared-files: no [default] profile in /home/.aws/config or /home/.aws/credentials",
		      "web-identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set", "container: AWS_CONTAINER_CREDENTIALS",
		      "imds: AWS_EC2_METADATA_DISABLED is true"})
			BOOST_TEST(contains(m, part), m);
	}
}

BOOST_AUTO_TEST_CASE(off_ec2_the_chain_gives_up_after_one_short_imds_try)
{
	Seams s;
	s.http.expectNetworkError("PUT", "http://169.254.169.254/latest/api/token", NetworkFailure::Connect);
	BOOST_CHECK_THROW(makeDefaultChain(s.context(), {})->resolveOrThrow(), NoCredentialsError);
	auto sent = s.http.received();
	BOOST_REQUIRE(sent.size() == 1u);
	// One attempt with 1 s connect and read limits keeps the whole chain under 2.5 s.
	BOOST_TEST(sent[0].connectTimeout.count() + sent[0].readTimeout.count() <= 2500);
}

BOOST_AUTO_TEST_CASE(configured_but_broken_provider_stops_the_chain)
{
	Seams s;
	s.env.set("AWS_ACCESS_KEY_ID", "AKID");
	s.fs.write("/home/.aws/credentials", "[default]\naws_access_key_id = A\naws_secret_access_key = B\n");
	std::string e = errorOf([&] { makeDefaultChain(s.context(), {})->resolveOrThrow(); });
	BOOST_TEST(contains(e, "AWS_SECRET_ACCESS_KEY is not"), e);
}

namespace {

// Counts resolutions and hands out credentials with a chosen lifetime.
class CountingProvider final : public CredentialProvider {
public:
	CountingProvider(Clock &clock, std::atomic<int> &calls, std::optional<std::chrono::minutes> lifetime)
		: clock_(clock), calls_(calls), lifetime_(lifetime)
	{
	}
	std::string_view name() const override { return "counting"; }
	std::optional<Credentials> resolve(std::string &) override
	{
		int n = ++calls_;
		std::this_thread::yield();
		Credentials c;
		c.accessKeyId = "AKID" + std::to_string(n);
		c.secretAccessKey = "S";
		if (lifetime_)
			c.expiration = clock_.now() + *lifetime_;
		return c;
	}

private:
	Clock &clock_;
	std::atomic<int> &calls_;
	std::optional<std::chrono::minutes> lifetime_;
};

} // namespace

BOOST_AUTO_TEST_CASE(cache_refreshes_five_minutes_before_expiry)
{
	FixedClock clock = FixedClock::fromSeconds(1000000);
	std::atomic<int> calls{0};
	CredentialsCache cache(clock, [&](const std::optional<std::string> &) {
		return std::make_unique<CountingProvider>(clock, calls, std::chrono::minutes(60));
	});
	BOOST_TEST(cache.get(std::nullopt).accessKeyId == "AKID1");
	clock.advance(std::chrono::minutes(54));
	BOOST_TEST(cache.get(std::nullopt).accessKeyId == "AKID1");
	clock.advance(std::chrono::minutes(1) + std::chrono::seconds(1));
	BOOST_TEST(cache.get(std::nullopt).accessKeyId == "AKID2");
	BOOST_TEST(cache.resolutions() == 2);
	// Each profile resolves on its own.
	BOOST_TEST(cache.get(std::string("other")).accessKeyId == "AKID3");
	BOOST_TEST(cache.get(std::string("other")).accessKeyId == "AKID3");
}

BOOST_AUTO_TEST_CASE(cache_never_refreshes_credentials_without_expiry)
{
	FixedClock clock = FixedClock::fromSeconds(0);
	std::atomic<int> calls{0};
	CredentialsCache cache(clock, [&](const std::optional<std::string> &) {
		return std::make_unique<CountingProvider>(clock, calls, std::nullopt);
	});
	cache.get(std::nullopt);
	clock.advance(std::chrono::hours(24 * 365));
	cache.get(std::nullopt);
	BOOST_TEST(calls.load() == 1);
}

BOOST_AUTO_TEST_CASE(cache_resolves_once_for_64_threads)
{
	FixedClock clock = FixedClock::fromSeconds(0);
	std::atomic<int> calls{0};
	std::atomic<int> factories{0};
	CredentialsCache cache(clock, [&](const std::optional<std::string> &) {
		++factories;
		return std::make_unique<CountingProvider>(clock, calls, std::chrono::minutes(60));
	});
	std::atomic<int> good{0};
	std::vector<std::thread> threads;
	for (int i = 0; i < 64; ++i)
		threads.emplace_back([&] {
			if (cache.get(std::string("p")).accessKeyId == "AKID1")
				++good;
		});
	for (auto &t : threads)
		t.join();
	BOOST_TEST(calls.load() == 1);
	BOOST_TEST(factories.load() == 1);
	BOOST_TEST(good.load() == 64);
}

BOOST_AUTO_TEST_CASE(cache_remembers_a_failure_for_the_run)
{
	FixedClock clock = FixedClock::fromSeconds(0);
	int built = 0;
	CredentialsCache cache(clock, [&](const std::optional<std::string> &) {
		++built;
		return std::make_unique<ProviderChain>();
	});
	BOOST_CHECK_THROW(cache.get(std::nullopt), NoCredentialsError);
	BOOST_CHECK_THROW(cache.get(std::nullopt), NoCredentialsError);
	BOOST_TEST(cache.resolutions() == 1);
}

BOOST_AUTO_TEST_CASE(region_order)
{
	struct Row {
		const char *flag, *awsRegion, *defaultRegion, *profileRegion, *imdsRegion, *want, *type;
	};
	const Row rows[] = {
		{"eu-west-3", "us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-3", "manual"},
		{nullptr, "us-east-1", "us-east-2", "us-west-1", "us-west-2", "us-east-1", "env"},
		{nullptr, nullptr, "us-east-2", "us-west-1", "us-west-2", "us-east-2", "env"},
		{nullptr, nullptr, nullptr, "us-west-1", "us-west-2", "us-west-1", "config-file"},
		{nullptr, nullptr, nullptr, nullptr, "us-west-2", "us-west-2", "imds"},
	};
	for (const auto &r : rows) {
		BOOST_TEST_CONTEXT("want " << r.want)
		{
			Seams s;
			if (r.awsRegion)
				s.env.set("AWS_REGION", r.awsRegion);
			if (r.defaultRegion)
				s.env.set("AWS_DEFAULT_REGION", r.defaultRegion);
			if (r.profileRegion)
				s.fs.write("/home/.aws/config", std::string("[default]\nregion = ") + r.profileRegion + "\n");
			if (std::string(r.type) == "imds") {
				s.http.expect("PUT", "http://169.254.169.254/latest/api/token", 200, "T");
				s.http.expect("GET", "http://169.254.169.254/latest/meta-data/placement/region", 200,
					      r.imdsRegion);
			}
			RegionOptions o;
			if (r.flag)
				o.region = r.flag;
			auto got = resolveRegion(s.context(), o);
			BOOST_TEST(got.region == r.want);
			BOOST_TEST(got.type == r.type);
			BOOST_TEST(s.http.remaining() == 0u);
		}
	}
}

BOOST_AUTO_TEST_CASE(no_region_names_every_place)
{
	Seams s;
	s.env.set("AWS_EC2_METADATA_DISABLED", "true");
	try {
		resolveRegion(s.context(), {});
		BOOST_FAIL("a region from nowhere");
	} catch (const Error &e) {
		BOOST_TEST(e.kind() == ErrorKind::Config);
		std::string m = e.what();
		for (const char *part : {"--region", "AWS_REGION", "AWS_DEFAULT_REGION", "`region` in profile `default`",
					 "/home/.aws/config", "instance metadata"})
			BOOST_TEST(contains(m, part), m);
	}
	// Off EC2 the IMDS lookup is quietly skipped.
	Seams off;
	off.http.expectNetworkError("PUT", "http://169.254.169.254/latest/api/token");
	BOOST_CHECK_THROW(resolveRegion(off.context(), {}), Error);
}

BOOST_AUTO_TEST_CASE(configure_list_rows_and_layout)
{
	Seams s;
	s.env.set("AWS_EC2_METADATA_DISABLED", "true");
	s.env.set("AWS_PROFILE", "dev");
	s.fs.write("/home/.aws/credentials", "[dev]\naws_access_key_id = AKIAABCDEFGHWXYZ\n"
					      "aws_secret_access_key = secretsecretsecret1234\n");
	s.fs.write("/home/.aws/config", "[profile dev]\nregion = eu-central-1\n");
	auto rows = configureList(s.context(), {}, std::nullopt);
	BOOST_REQUIRE(rows.size() == 4u);
	BOOST_TEST(rows[0].value == "dev");
	BOOST_TEST(rows[0].type == "env");
	BOOST_TEST(rows[0].location == "AWS_PROFILE");
	BOOST_TEST(rows[1].value == "****************WXYZ");
	BOOST_TEST(rows[1].type == "shared-credentials-file");
	BOOST_TEST(rows[2].value == "****************1234");
	BOOST_TEST(rows[3].value == "eu-central-1");
	BOOST_TEST(rows[3].location == "/home/.aws/config");
	std::string text = formatConfigureList(rows);
	BOOST_TEST(text.find("      Name                    Value             Type    Location\n"
			     "      ----                    -----             ----    --------\n"
			     "   profile                      dev              env    AWS_PROFILE\n") == 0u,
		   text);
	BOOST_TEST(!contains(text, "secretsecret"));

	Seams empty;
	empty.env.set("AWS_EC2_METADATA_DISABLED", "true");
	rows = configureList(empty.context(), {}, std::string("us-east-1"));
	BOOST_TEST(rows[0].value == "<not set>");
	BOOST_TEST(rows[0].type == "None");
	BOOST_TEST(rows[1].value == "<not set>");
	BOOST_TEST(rows[3].type == "manual");
	BOOST_TEST(rows[3].location == "--region");

	// Environment keys name their variables; a region from IMDS has no location.
	Seams ec2;
	ec2.env.set("AWS_ACCESS_KEY_ID", "AKIDENV1");
	ec2.env.set("AWS_SECRET_ACCESS_KEY", "SECRETENV2");
	ec2.http.expect("PUT", "http://169.254.169.254/latest/api/token", 200, "T");
	ec2.http.expect("GET", "http://169.254.169.254/latest/meta-data/placement/region", 200, "ap-south-1");
	rows = configureList(ec2.context(), {}, std::nullopt);
	BOOST_TEST(rows[1].type == "env");
	BOOST_TEST(rows[1].location == "AWS_ACCESS_KEY_ID");
	BOOST_TEST(rows[2].location == "AWS_SECRET_ACCESS_KEY");
	BOOST_TEST(rows[3].value == "ap-south-1");
	BOOST_TEST(rows[3].type == "imds");
	BOOST_TEST(rows[3].location.empty());
}

BOOST_AUTO_TEST_CASE(export_credentials_formats)
{
	Credentials c;
	c.accessKeyId = "AKID";
	c.secretAccessKey = "SECRET";
	c.sessionToken = "TOKEN";
	c.expiration = std::chrono::system_clock::time_point(std::chrono::seconds(1651516560));
	c.accountId = "123456789012";
	BOOST_TEST(exportCredentials(c, ExportFormat::Process) ==
		   "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"AKID\",\n  \"SecretAccessKey\": \"SECRET\",\n"
		   "  \"SessionToken\": \"TOKEN\",\n  \"Expiration\": \"2022-05-02T18:36:00+00:00\"\n}\n");
	BOOST_TEST(exportCredentials(c, ExportFormat::Env) ==
		   "export AWS_ACCESS_KEY_ID=AKID\nexport AWS_SECRET_ACCESS_KEY=SECRET\n"
		   "export AWS_SESSION_TOKEN=TOKEN\nexport AWS_CREDENTIAL_EXPIRATION=2022-05-02T18:36:00+00:00\n");
	Credentials plain;
	plain.accessKeyId = "A";
	plain.secretAccessKey = "B";
	BOOST_TEST(exportCredentials(plain, ExportFormat::EnvNoExport) == "AWS_ACCESS_KEY_ID=A\nAWS_SECRET_ACCESS_KEY=B\n");
	BOOST_TEST((parseExportFormat("env-no-export") == ExportFormat::EnvNoExport));
	BOOST_TEST(!parseExportFormat("yaml"));
}

BOOST_AUTO_TEST_CASE(replay_transport_rejects_unexpected_requests)
{
	ReplayTransport http;
	http.expect("GET", "http://127.0.0.1/a", 200, "ok").headers.push_back({"x-k", "v"});
	HttpRequest req;
	req.method = "GET";
	req.url = "http://127.0.0.1/a";
	BOOST_CHECK_THROW(http.send(req), ReplayMismatch); // header missing
	req.headers.push_back({"X-K", "v"});
	http.expect("GET", "http://127.0.0.1/a", 200, "ok");
	BOOST_TEST(http.send(req).body == "ok");
	BOOST_CHECK_THROW(http.send(req), ReplayMismatch); // nothing more expected
	BOOST_TEST(http.failures().size() == 2u);
	http.expectNetworkError("PUT", "http://127.0.0.1/b", NetworkFailure::Connect);
	req.method = "PUT";
	req.url = "http://127.0.0.1/b";
	BOOST_CHECK_THROW(http.send(req), NetworkError);
}

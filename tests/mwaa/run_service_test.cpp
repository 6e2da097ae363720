// The run service (mwaatok/run.h) over the seams: one result per
// environment, in order, regions resolved in one place, and runs that stop
// when asked or when the output goes away.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "assertions.h"
#include "fakes.h"
#include "mwaatok/credential_provider.h"
#include "mwaatok/output_dispatcher.h"
#include "mwaatok/process.h"
#include "mwaatok/run.h"
#include "scripted_transport.h"

using namespace mwaatok;
using namespace mwaatok::test;

namespace {

/// Records what the dispatcher hands it; can fail every delivery.
class Recorder final : public OutputPlugin {
public:
	Recorder(std::vector<std::string> &seen, bool failDeliveries) : seen_(seen), fail_(failDeliveries) {}
	std::string name() const override { return "recorder"; }
	void deliver(const LoginLink &link) override
	{
		seen_.push_back("link " + link.alias + " " + link.region + " " + link.airflowVersion + " " +
				link.loginUrl);
		if (fail_)
			throw std::runtime_error("cannot write");
	}
	bool accepts(ResultKind kind) const override { return kind != ResultKind::CliOutput; }
	void deliver(const AirflowAnswer &a) override
	{
		seen_.push_back("answer " + a.alias + " " + a.region + " " + std::to_string(a.status) + " " + a.json +
				(a.title.empty() ? "" : " " + a.title + ": " + a.detail));
	}
	void fail(const LinkFailure &f) override
	{
		seen_.push_back("fail " + f.alias + " " + f.region + " " + f.message);
	}

private:
	std::vector<std::string> &seen_;
	bool fail_;
};

ResolvedEnvironment environment(const std::string &alias, std::optional<int> version = std::nullopt)
{
	ResolvedEnvironment e;
	e.alias = alias;
	e.name = alias;
	if (version) {
		e.airflowVersion.value = version;
		e.airflowVersion.source = ValueSource::Environment;
	}
	return e;
}

/// MWAA as the scripted transport plays it: "nosuch" does not exist, "secret"
/// may not be described; every other environment runs Airflow 2.10.3.
HttpResponse mwaa(const HttpRequest &req, size_t)
{
	auto name = req.url.substr(req.url.rfind('/') + 1);
	// InvokeRestApi: "broken" answers Airflow's 404 as RestApiClientException.
	if (req.url.find("/restapi/") != std::string::npos && name != "nosuch") {
		if (name == "broken")
			return jsonResponse(400, R"({"message": "failed", "RestApiStatusCode": 404, "RestApiResponse": {"title": "DAG not found", "detail": "no DAG x"}})",
					    { { "X-Amzn-ErrorType", "RestApiClientException" } });
		return jsonResponse(200, R"({"RestApiStatusCode": 200, "RestApiResponse": {"dags": [], "env": ")" + name + R"("}})");
	}
	if (name == "nosuch")
		return jsonResponse(404, R"({"message": "Environment nosuch not found"})",
				    { { "x-amzn-ErrorType", "ResourceNotFoundException" } });
	if (req.url.find("/environments/") != std::string::npos) {
		if (name == "secret")
			return jsonResponse(403, R"({"Message": "not authorized"})",
					    { { "x-amzn-ErrorType", "AccessDeniedException" } });
		return jsonResponse(200, R"({"Environment": {"Name": ")" + name + R"(", "AirflowVersion": "2.10.3"}})");
	}
	return jsonResponse(200, R"({"WebToken": "tok-)" + name + R"(", "WebServerHostname": ")" + name +
					 R"(.c2.eu-west-1.airflow.amazonaws.com"})");
}

struct RunFixture {
	MapEnvironment env{ { { "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE" },
			      { "AWS_SECRET_ACCESS_KEY", "secret-never-shown" },
			      { "AWS_REGION", "eu-west-1" },
			      { "AWS_EC2_METADATA_DISABLED", "true" } } };
	MapFileSystem files;
	ScriptedTransport transport{ mwaa };
	FixedClock clock = FixedClock::fromSeconds(1700000000);
	SystemProcessLauncher launcher;
	std::vector<std::string> seen;

	Session session(SessionOptions options = {})
	{
		options.maxAttempts = 1;
		return Session(SessionSeams{ env, files, transport, clock, launcher }, std::move(options));
	}

	RunReport run(Session &s, const std::vector<ResolvedEnvironment> &envs, const RunHooks &hooks = {},
		      int jobs = 4, bool failDeliveries = false, RunRequest request = {})
	{
		std::vector<std::unique_ptr<OutputPlugin>> plugins;
		plugins.push_back(std::make_unique<Recorder>(seen, failDeliveries));
		OutputDispatcher outputs(std::move(plugins));
		request.jobs = jobs;
		return s.run(envs, request, outputs, hooks);
	}

	size_t tokenRequests() const
	{
		size_t n = 0;
		for (const auto &r : transport.requests())
			n += r.url.find("/webtoken/") != std::string::npos;
		return n;
	}
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(run_service, RunFixture)

BOOST_AUTO_TEST_CASE(one_result_per_environment_in_order)
{
	auto s = session();
	std::vector<size_t> order;
	RunHooks hooks;
	hooks.result = [&](size_t i, const RunResult &r) {
		order.push_back(i);
		BOOST_TEST((r.kind == ResultKind::LoginLink));
	};
	auto report = run(s, { environment("alpha"), environment("nosuch"), environment("bravo", 3) }, hooks);
	BOOST_TEST(report.total == 3u);
	BOOST_TEST(report.started == 3u);
	BOOST_TEST(report.succeeded == 2u);
	BOOST_TEST(report.failureKinds.size() == 1u);
	BOOST_TEST(!report.interrupted);
	BOOST_TEST(!report.outputClosed);
	BOOST_TEST(order == (std::vector<size_t>{ 0, 1, 2 }));
	BOOST_REQUIRE(seen.size() == 3u);
	BOOST_TEST(seen[0] == "link alpha eu-west-1 2 https://alpha.c2.eu-west-1.airflow.amazonaws.com/aws_mwaa/"
			      "aws-console-sso?login=true#tok-alpha");
	// The region came from AWS_REGION: the failure row says it too (issue 12).
	BOOST_TEST(seen[1].rfind("fail nosuch eu-west-1 CreateWebLoginToken: ResourceNotFoundException", 0) == 0u,
		   seen[1]);
	BOOST_TEST(seen[2] == "link bravo eu-west-1 3 https://bravo.c2.eu-west-1.airflow.amazonaws.com/pluginsv2/"
			      "aws_mwaa/aws-console-sso?login=true#tok-bravo");
	// Every call went to the region's endpoint; bravo's version was configured.
	for (const auto &r : transport.requests())
		BOOST_TEST((r.url.find(".airflow.eu-west-1.amazonaws.com/") != std::string::npos), r.url);
	size_t described = 0;
	for (const auto &r : transport.requests())
		described += r.url.find("/environments/bravo") != std::string::npos;
	BOOST_TEST(described == 0u);
}

BOOST_AUTO_TEST_CASE(an_unknown_airflow_version_fails_the_environment)
{
	auto s = session();
	auto report = run(s, { environment("secret") });
	BOOST_TEST(report.succeeded == 0u);
	BOOST_REQUIRE(seen.size() == 1u);
	BOOST_TEST(seen[0].find("fail secret eu-west-1 cannot tell the Airflow version: GetEnvironment: "
				"AccessDeniedException") == 0u,
		   seen[0]);
	BOOST_TEST(seen[0].find("set airflow_version for 'secret' in the profile or give --airflow-version") !=
			   std::string::npos,
		   seen[0]);
}

BOOST_AUTO_TEST_CASE(a_closed_output_starts_nothing_more)
{
	auto s = session();
	std::vector<ResolvedEnvironment> envs;
	for (int i = 0; i < 20; ++i)
		envs.push_back(environment("env" + std::to_string(i), 2));
	int asked = 0;
	RunHooks hooks;
	hooks.outputClosed = [&] {
		++asked;
		return true;
	};
	auto report = run(s, envs, hooks, 1, true);
	BOOST_TEST(report.outputClosed);
	BOOST_TEST(!report.interrupted);
	BOOST_TEST(asked == 1);
	BOOST_TEST(seen.size() == 1u, "nothing is delivered after the output went away");
	BOOST_TEST(tokenRequests() == report.started);
	BOOST_TEST(report.started <= 2u, report.started << " tokens minted");
}

BOOST_AUTO_TEST_CASE(an_interrupt_starts_nothing_new)
{
	auto s = session();
	std::atomic<bool> interrupt{ true };
	RunHooks hooks;
	hooks.interrupt = &interrupt;
	auto report = run(s, { environment("alpha", 2), environment("bravo", 2) }, hooks);
	BOOST_TEST(report.interrupted);
	BOOST_TEST(report.started == 0u);
	BOOST_TEST(tokenRequests() == 0u);
	BOOST_TEST(seen.empty());
}

BOOST_AUTO_TEST_CASE(region_and_call_options_come_from_the_session)
{
	SessionOptions options;
	options.region = "us-west-2";
	options.timeout = std::chrono::milliseconds(2500);
	auto s = session(options);
	BOOST_TEST(s.region(std::nullopt) == "us-west-2");
	auto call = s.callOptions();
	BOOST_TEST(call.retry.maxAttempts == 1);
	BOOST_TEST(call.deadline.count() == 2500);
	auto plain = session();
	BOOST_TEST(plain.region(std::nullopt) == "eu-west-1");
	BOOST_TEST(plain.credentials(std::nullopt).accessKeyId == "AKIDEXAMPLE");
}

BOOST_AUTO_TEST_CASE(airflow_answers_in_order_an_error_answer_delivered_and_counted)
{
	auto s = session();
	RunRequest request;
	request.kind = ResultKind::AirflowAnswer;
	request.airflow = makeAirflowRequest("GET", "/dags", {}, {});
	auto report = run(s, { environment("alpha"), environment("broken"), environment("nosuch") }, {}, 4, false,
			  request);
	BOOST_TEST(report.succeeded == 1u);
	BOOST_TEST(report.failureKinds.size() == 2u);
	BOOST_TEST((report.failureKinds[0] == ErrorKind::Service)); // Airflow's 404: exit status 1
	BOOST_REQUIRE(seen.size() == 3u);
	BOOST_TEST(seen[0] == R"(answer alpha eu-west-1 200 {"dags":[],"env":"alpha"})");
	BOOST_TEST(seen[1] == R"(answer broken eu-west-1 404 {"title":"DAG not found","detail":"no DAG x"} DAG not found: no DAG x)");
	BOOST_TEST(seen[2].rfind("fail nosuch eu-west-1 ", 0) == 0, seen[2]);
}

BOOST_AUTO_TEST_CASE(a_kind_a_plugin_cannot_deliver_or_a_bad_request_sends_nothing)
{
	auto s = session();
	RunRequest cli;
	cli.kind = ResultKind::CliOutput;
	cli.cliCommand = "dags list";
	BOOST_CHECK_THROW(run(s, { environment("alpha") }, {}, 4, false, cli), Error);
	RunRequest bad;
	bad.kind = ResultKind::AirflowAnswer;
	bad.airflow = AirflowRequest{ "FETCH", "/dags", {}, std::nullopt };
	BOOST_CHECK_THROW(run(s, { environment("alpha") }, {}, 4, false, bad), Error);
	BOOST_TEST(transport.requests().empty());
	BOOST_TEST(seen.empty());
}

BOOST_AUTO_TEST_CASE(retries_are_resolved_once_for_the_session)
{
	env.set("AWS_CONFIG_FILE", "/aws/config");
	files.write("/aws/config", "[default]\nmax_attempts = 5\nretry_mode = adaptive\n");
	Session s(SessionSeams{ env, files, transport, clock, launcher }, SessionOptions{});
	auto first = s.callOptions(), second = s.callOptions();
	BOOST_TEST(first.retry.maxAttempts == 5);
	BOOST_TEST(bool(first.retry.rateLimiter));
	BOOST_TEST(first.retry.rateLimiter.get() == second.retry.rateLimiter.get()); // one limiter per run
	SessionOptions option;
	option.maxAttempts = 2;
	BOOST_TEST(Session(SessionSeams{ env, files, transport, clock, launcher }, option).callOptions().retry.maxAttempts ==
		   2);
	// A bad setting is one error for the run, before any environment starts;
	// what makes no AWS call (credentials, configure list) still works.
	env.set("AWS_RETRY_MODE", "fast");
	Session bad(SessionSeams{ env, files, transport, clock, launcher }, SessionOptions{});
	BOOST_TEST(bad.credentials(std::nullopt).accessKeyId == "AKIDEXAMPLE");
	const std::string expected = "AWS_RETRY_MODE must be standard, adaptive or legacy, not 'fast'";
	BOOST_TEST(errorOf([&] { bad.callOptions(); }, ErrorKind::Config) == expected);
	BOOST_TEST(errorOf([&] { run(bad, { environment("alpha"), environment("beta") }); }, ErrorKind::Config) ==
		   expected);
	BOOST_TEST(seen.empty());
	BOOST_TEST(transport.requests().empty());
}

BOOST_AUTO_TEST_CASE(each_environment_runs_under_one_deadline)
{
	using std::chrono::steady_clock;
	std::mutex mutex;
	std::vector<std::optional<steady_clock::time_point>> deadlines;
	ScriptedTransport recording([&](const HttpRequest &req, size_t i) {
		{
			std::lock_guard lock(mutex);
			deadlines.push_back(DeadlineScope::current());
		}
		return mwaa(req, i);
	});
	SessionOptions options;
	options.maxAttempts = 1;
	options.timeout = std::chrono::milliseconds(5000);
	Session s(SessionSeams{ env, files, recording, clock, launcher }, options);
	auto before = steady_clock::now();
	auto report = run(s, { environment("alpha"), environment("beta") });
	auto after = steady_clock::now();
	BOOST_TEST(report.succeeded == 2u);
	// The token and GetEnvironment (on its own thread) of each environment.
	BOOST_TEST(deadlines.size() == 4u);
	for (const auto &d : deadlines) {
		BOOST_TEST(d.has_value());
		if (d) {
			BOOST_TEST((*d >= before + std::chrono::milliseconds(5000)));
			BOOST_TEST((*d <= after + std::chrono::milliseconds(5000)));
		}
	}
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

/// Answers every credential_process with keys and records what it was asked.
class RecordingLauncher final : public ProcessLauncher {
public:
	std::vector<ProcessSpec> specs;

	ProcessResult run(const ProcessSpec &spec) override
	{
		specs.push_back(spec);
		ProcessResult r;
		r.started = true;
		r.exitCode = 0;
		r.stdoutData = R"({"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": "never-shown"})";
		return r;
	}
};

/// The credential_process limit a session with \a timeout gives its command.
std::chrono::milliseconds processTimeout(std::optional<std::chrono::milliseconds> timeout)
{
	MapEnvironment env{ { { "AWS_CONFIG_FILE", "/aws/config" },
			      { "AWS_SHARED_CREDENTIALS_FILE", "/aws/credentials" },
			      { "AWS_REGION", "eu-west-1" },
			      { "AWS_EC2_METADATA_DISABLED", "true" } } };
	MapFileSystem files;
	files.write("/aws/config", "[profile proc]\ncredential_process = /bin/keys\n");
	ScriptedTransport transport{ mwaa };
	FixedClock clock = FixedClock::fromSeconds(1700000000);
	RecordingLauncher launcher;
	SessionOptions options;
	options.awsProfile = "proc";
	options.timeout = timeout;
	Session s(SessionSeams{ env, files, transport, clock, launcher }, std::move(options));
	BOOST_TEST(s.credentials(std::nullopt).accessKeyId == "AKIDPROCESS");
	BOOST_TEST_REQUIRE(launcher.specs.size() == 1u);
	return launcher.specs[0].timeout;
}

} // namespace

BOOST_AUTO_TEST_CASE(the_session_timeout_bounds_credential_process)
{
	BOOST_TEST(processTimeout(std::chrono::milliseconds(2500)).count() == 2500);
	// A timeout shorter than a millisecond still bounds it (0 would mean none).
	BOOST_TEST(processTimeout(std::chrono::milliseconds(0)).count() == 1);
	// Without --timeout, the credential_process limit of the SDKs' default.
	BOOST_TEST(processTimeout(std::nullopt).count() == 60000);
}

namespace {

/// Says "123456" and counts how often it was asked.
class CountingMfa final : public MfaPrompt {
public:
	std::optional<std::string> ask(const std::string &serial) override
	{
		++asked;
		lastSerial = serial;
		return std::string("123456");
	}
	std::atomic<int> asked{ 0 };
	std::string lastSerial;
};

/// A role with MFA, assumed with a base profile's keys; its environments run
/// through a session of their own.
struct RoleFixture {
	MapEnvironment env{ { { "HOME", "/home" },
			      { "AWS_REGION", "eu-west-1" },
			      { "AWS_EC2_METADATA_DISABLED", "true" } } };
	MapFileSystem files{ { { "/home/.aws/config",
				 "[profile role]\nrole_arn = arn:aws:iam::210987654321:role/airflow\n"
				 "source_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/user\n" },
			       { "/home/.aws/credentials",
				 "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n" } } };
	FixedClock clock = FixedClock::fromSeconds(1700000000);
	std::atomic<int> stsCalls{ 0 };
	std::string stsBody;
	ScriptedTransport transport{ [this](const HttpRequest &req, size_t index) {
		if (req.url.find("://sts.") == std::string::npos)
			return mwaa(req, index);
		++stsCalls;
		stsBody = req.body;
		HttpResponse r;
		r.status = 200;
		r.body = "<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::210987654321:"
			 "assumed-role/airflow/s</Arn></AssumedRoleUser><Credentials><AccessKeyId>ASIAROLE"
			 "</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey><SessionToken>role-token"
			 "</SessionToken><Expiration>2023-11-14T23:13:20Z</Expiration></Credentials>"
			 "</AssumeRoleResult></AssumeRoleResponse>";
		return r;
	} };
	SystemProcessLauncher launcher;
	CountingMfa mfa;
	std::vector<std::string> seen;

	RunReport runOnce(MfaPrompt *prompt)
	{
		SessionOptions options;
		options.maxAttempts = 1;
		options.awsProfile = "role";
		Session s(SessionSeams{ env, files, transport, clock, launcher, prompt }, std::move(options));
		std::vector<std::unique_ptr<OutputPlugin>> plugins;
		plugins.push_back(std::make_unique<Recorder>(seen, false));
		OutputDispatcher outputs(std::move(plugins));
		return s.run({ environment("alpha", 2), environment("bravo", 2) }, RunRequest{}, outputs, {});
	}
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(run_service_roles, RoleFixture)

BOOST_AUTO_TEST_CASE(the_session_asks_the_callers_mfa_prompt_once_and_keeps_the_role_in_the_aws_cli_cache)
{
	auto first = runOnce(&mfa);
	BOOST_TEST(first.succeeded == 2u);
	BOOST_TEST(mfa.asked.load() == 1);
	BOOST_TEST(mfa.lastSerial == "arn:aws:iam::123456789012:mfa/user");
	BOOST_TEST(stsCalls.load() == 1);
	BOOST_TEST(stsBody.find("&TokenCode=123456") != std::string::npos, stsBody);
	// The MWAA calls are signed with the role's keys.
	for (const auto &r : transport.requests())
		if (r.url.find("://sts.") == std::string::npos)
			BOOST_TEST(findHeader(r.headers, "Authorization").value_or("").find("Credential=ASIAROLE/") !=
				   std::string::npos);

	// A second run (a new session) finds the role in ~/.aws/cli/cache: no STS
	// call, no prompt, even without a terminal.
	auto second = runOnce(nullptr);
	BOOST_TEST(second.succeeded == 2u);
	BOOST_TEST(stsCalls.load() == 1);
	BOOST_TEST(mfa.asked.load() == 1);
}

BOOST_AUTO_TEST_CASE(without_a_prompt_an_mfa_role_fails_saying_there_is_no_terminal)
{
	auto report = runOnce(nullptr);
	BOOST_TEST(report.succeeded == 0u);
	BOOST_TEST(stsCalls.load() == 0);
	BOOST_REQUIRE(!seen.empty());
	BOOST_TEST(seen.front().find("no terminal") != std::string::npos, seen.front());
}

BOOST_AUTO_TEST_SUITE_END()

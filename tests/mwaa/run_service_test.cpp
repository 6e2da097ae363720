// The run service (mwaatok/run.h) over the seams: one result per
// environment, in order, regions resolved in one place, and runs that stop
// when asked or when the output goes away.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <stdexcept>

#include "fakes.h"
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

BOOST_AUTO_TEST_SUITE_END()

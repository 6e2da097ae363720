// mwaatok and the installed AWS CLI agree on the same files and environment.
#include <boost/test/unit_test.hpp>

#include "endpoints.h"
#include "sandbox.h"

using namespace mwaatok::e2e;

namespace {

namespace utf = boost::unit_test;

/// `aws ARGS` with the sandbox's environment (IMDS off) and its own directory on PATH.
RunResult runAws(const Sandbox &box, const std::vector<std::string> &args, const EnvMap &extra = {})
{
	EnvMap env = box.env;
	for (const auto &[k, v] : extra)
		env[k] = v;
	const std::string aws = awsCli();
	env["PATH"] = aws.substr(0, aws.rfind('/')) + ":/usr/bin:/bin";
	env["AWS_EC2_METADATA_DISABLED"] = "true";
	return runProgram(aws, args, env, "", 60);
}

/// Precondition: an AWS CLI runs here; otherwise Boost.Test reports the case
/// as skipped (scripts/deps.sh installs Debian's awscli).
boost::test_tools::assertion_result haveAwsCli(utf::test_unit_id)
{
	boost::test_tools::assertion_result ok(!awsCli().empty());
	if (!ok)
		ok.message() << "no working AWS CLI (/usr/bin/aws or aws on PATH)";
	return ok;
}

/// Precondition: the installed AWS CLI has `configure export-credentials`
/// (older aws-cli releases, v1 and v2, do not).
boost::test_tools::assertion_result haveExportCredentials(utf::test_unit_id id)
{
	auto cli = haveAwsCli(id);
	if (!cli)
		return cli;
	static const bool has = [] {
		Sandbox box; // no credentials at all: "no credentials" vs "invalid choice"
		auto r = runAws(box, { "configure", "export-credentials" });
		return r.err.find("nvalid choice") == std::string::npos && r.err.find("usage:") == std::string::npos;
	}();
	boost::test_tools::assertion_result ok(has);
	if (!has)
		ok.message() << "this AWS CLI has no `configure export-credentials`";
	return ok;
}

std::string processScript(const Sandbox &box)
{
	return box.script("creds.sh", "echo '{\"Version\": 1, \"AccessKeyId\": \"ASIAPROCESS000000009\", "
				      "\"SecretAccessKey\": \"procSecret0009\", \"SessionToken\": \"proc-session-9\", "
				      "\"Expiration\": \"2095-01-02T03:04:05Z\"}'\n");
}

/// One comparison: extra flags and environment, and the key or --format.
struct Case {
	std::string name;
	std::vector<std::string> flags;
	EnvMap env;
	std::string what;
};

void compare(const Sandbox &box, const std::vector<std::string> &mwaatokArgs,
	     const std::vector<std::string> &awsArgs, const EnvMap &env)
{
	auto ours = box.run(mwaatokArgs, env);
	auto theirs = runAws(box, awsArgs, env);
	BOOST_TEST(ours.status == theirs.status, "mwaatok" << describe(ours) << "\naws" << describe(theirs));
	BOOST_TEST(ours.out == theirs.out, "mwaatok" << describe(ours) << "\naws" << describe(theirs));
}

} // namespace

BOOST_AUTO_TEST_SUITE(aws_cli_parity)

// Each AWS CLI run costs about a second of Python start-up, so the cases are
// chosen rather than crossed.
BOOST_AUTO_TEST_CASE(configure_get, *utf::precondition(haveAwsCli))
{
	Sandbox box;
	writeProfiles(box, processScript(box));
	const EnvMap dev{ { "AWS_PROFILE", "dev" } };
	const std::vector<Case> cases = {
		{ "default profile", {}, {}, "region" },
		{ "default profile", {}, {}, "aws_access_key_id" },
		{ "another profile", {}, {}, "profile.ops.region" },
		{ "NAME.KEY: [profile ops], not the ignored [ops]", {}, {}, "ops.region" },
		{ "blanks around the value", {}, {}, "profile.spaced.region" },
		{ "a missing key", {}, {}, "no_such_key" },
		{ "AWS_PROFILE, credentials file", {}, dev, "aws_session_token" },
		{ "AWS_PROFILE, config file", {}, dev, "region" },
		{ "--profile beats AWS_PROFILE", { "--profile", "ops" }, dev, "region" },
		{ "AWS_REGION does not change the file value", {}, { { "AWS_REGION", "us-west-2" } }, "region" },
	};
	for (const auto &c : cases) {
		BOOST_TEST_CONTEXT(c.name << ": configure get " << c.what)
		{
			std::vector<std::string> args = { "configure", "get", c.what };
			args.insert(args.end(), c.flags.begin(), c.flags.end());
			compare(box, args, args, c.env);
		}
	}
	// A missing key: both exit 1 and print nothing.
	auto missing = box.run({ "configure", "get", "no_such_key" });
	BOOST_TEST(missing.status == 1);
	BOOST_TEST(missing.out.empty());
}

BOOST_AUTO_TEST_CASE(export_credentials, *utf::precondition(haveExportCredentials))
{
	Sandbox box;
	writeProfiles(box, processScript(box));
	const std::vector<std::string> proc = { "--profile", "proc" };
	const EnvMap envKeys{ { "AWS_ACCESS_KEY_ID", "ASIAENVIRONMENT00008" },
			      { "AWS_SECRET_ACCESS_KEY", "envSecret0008" },
			      { "AWS_SESSION_TOKEN", "env-session-8" } };
	EnvMap envKeysAndProfile = envKeys;
	envKeysAndProfile["AWS_PROFILE"] = "ops";
	const std::vector<Case> cases = {
		{ "credential_process with token and expiration", proc, {}, "env" },
		{ "credential_process with token and expiration", proc, {}, "env-no-export" },
		{ "credential_process with token and expiration", proc, {}, "process" },
		{ "credentials file [default]", {}, {}, "process" },
		{ "config file via --profile", { "--profile", "ops" }, {}, "env" },
		{ "session token via AWS_PROFILE", {}, { { "AWS_PROFILE", "dev" } }, "process" },
		{ "environment keys beat AWS_PROFILE", {}, envKeysAndProfile, "process" },
		{ "--profile beats environment keys", { "--profile", "dev" }, envKeys, "env-no-export" },
	};
	for (const auto &c : cases) {
		BOOST_TEST_CONTEXT(c.name << ", --format " << c.what)
		{
			std::vector<std::string> ours = { "export-credentials", "--format", c.what };
			std::vector<std::string> theirs = { "configure", "export-credentials", "--format", c.what };
			ours.insert(ours.end(), c.flags.begin(), c.flags.end());
			theirs.insert(theirs.end(), c.flags.begin(), c.flags.end());
			compare(box, ours, theirs, c.env);
		}
	}
}

BOOST_AUTO_TEST_CASE(export_container_credentials, *utf::precondition(haveExportCredentials))
{
	HttpServer server([](const SeenRequest &r) -> Reply {
		if (r.header("authorization") != "parity-token")
			return { 401, "{\"message\": \"no\"}", "application/json" };
		return { 200,
			 "{\"AccessKeyId\": \"ASIACONTAINER0000010\", \"SecretAccessKey\": \"containerSecret0010\", "
			 "\"Token\": \"container-session-10\", \"Expiration\": \"2094-03-04T05:06:07Z\"}",
			 "application/json" };
	});
	Sandbox box;
	EnvMap env{ { "AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/v1/credentials" },
		    { "AWS_CONTAINER_AUTHORIZATION_TOKEN", "parity-token" } };
	compare(box, { "export-credentials", "--format", "process" },
		{ "configure", "export-credentials", "--format", "process" }, env);
}

BOOST_AUTO_TEST_SUITE_END()

// Container credentials from a loopback endpoint, and credential_process scripts.
#include <boost/test/unit_test.hpp>

#include "endpoints.h"
#include "sandbox.h"

#include <chrono>

using namespace mwaatok::e2e;

namespace {

const std::string kAuthToken = "container-auth-token-e2e";

/// A container credentials endpoint that wants `Authorization: kAuthToken`.
Reply containerEndpoint(const SeenRequest &r)
{
	if (r.method != "GET" || r.path != "/creds")
		return { 404, "{\"message\": \"no such path\"}", "application/json" };
	if (r.header("authorization") != kAuthToken)
		return { 401, "{\"message\": \"bad authorization token\"}", "application/json" };
	return { 200,
		 "{\"AccessKeyId\": \"ASIACONTAINER0000002\", \"SecretAccessKey\": "
		 "\"containerSecret/ExampleExampleExample002\", \"Token\": \"container-session-2\", "
		 "\"Expiration\": \"2098-07-08T09:10:11Z\", \"RoleArn\": \"arn:aws:iam::123456789012:role/task\"}",
		 "application/json" };
}

void checkContainerCredentials(const RunResult &r)
{
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	auto j = processJson(r.out);
	BOOST_TEST(j["AccessKeyId"] == "ASIACONTAINER0000002");
	BOOST_TEST(j["SecretAccessKey"] == "containerSecret/ExampleExampleExample002");
	BOOST_TEST(j["SessionToken"] == "container-session-2");
	BOOST_TEST(j["Expiration"] == "2098-07-08T09:10:11+00:00");
}

const std::vector<std::string> kExport{ "export-credentials", "--format", "process" };

// A credentials secret as it would look in real output.
const std::string kProcessSecret = "procSecretKey/ExampleExampleExample000003";

} // namespace

BOOST_AUTO_TEST_SUITE(container)

BOOST_AUTO_TEST_CASE(full_uri_with_authorization_token)
{
	HttpServer server(containerEndpoint);
	Sandbox box;
	box.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.url() + "/creds";
	box.env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = kAuthToken;
	checkContainerCredentials(box.run(kExport));
	BOOST_TEST(server.requestCount() == 1u);

	auto list = box.run({ "configure", "list" });
	BOOST_TEST_REQUIRE(list.status == 0, describe(list));
	auto rows = listRows(list.out);
	checkKeyRows(rows, "0002", "e002", "container-role");
}

BOOST_AUTO_TEST_CASE(full_uri_with_authorization_token_file)
{
	HttpServer server(containerEndpoint);
	Sandbox box;
	box.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.url() + "/creds";
	// As EKS Pod Identity mounts it; the file wins over the variable.
	box.env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = box.write("eks-token", kAuthToken + "\n");
	box.env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "not-this-one";
	checkContainerCredentials(box.run(kExport));
	auto seen = server.requests();
	BOOST_TEST_REQUIRE(seen.size() == 1u);
	BOOST_TEST(seen[0].header("authorization") == kAuthToken);
}

BOOST_AUTO_TEST_CASE(wrong_token_is_an_error_not_a_fallthrough)
{
	HttpServer server(containerEndpoint);
	Sandbox box;
	box.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.url() + "/creds";
	box.env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "wrong-token";
	auto r = box.run(kExport);
	BOOST_TEST(r.status == 3, describe(r));
	BOOST_TEST(r.err.find("http 401: bad authorization token") != std::string::npos, r.err);
	BOOST_TEST(server.requestCount() == 1u); // a 4xx is not retried
}

BOOST_AUTO_TEST_CASE(non_loopback_http_host_is_refused_before_connecting)
{
	// Only strings: a documentation address (RFC 5737) and names under the
	// reserved .example (RFC 2606). mwaatok must refuse them without a lookup
	// or a connection attempt.
	for (const std::string host : { "192.0.2.1", "127.evil.attacker.example", "127.0.0.1.example" }) {
		BOOST_TEST_CONTEXT(host)
		{
			Sandbox box;
			box.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://" + host + "/creds";
			auto start = std::chrono::steady_clock::now();
			auto r = box.run(kExport);
			double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
			BOOST_TEST(r.status == 3, describe(r));
			BOOST_TEST(r.err.find("AWS_CONTAINER_CREDENTIALS_FULL_URI host `" + host + "` is not allowed over http") !=
					   std::string::npos,
				   r.err);
			BOOST_TEST(took < 1.5, "took " << took << " s: did it try to connect?");
		}
	}
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(credential_process)

BOOST_AUTO_TEST_CASE(version_1_json_with_expiration)
{
	Sandbox box;
	auto script = box.script("creds.sh", "cat <<'EOF'\n{\"Version\": 1, \"AccessKeyId\": \"ASIAPROCESS000000003\", "
					     "\"SecretAccessKey\": \"" +
						     kProcessSecret +
						     "\", \"SessionToken\": \"process-session-3\", "
						     "\"Expiration\": \"2097-01-01T00:00:00Z\"}\nEOF\n");
	box.config("[default]\ncredential_process = " + script + "\n");
	auto r = box.run(kExport);
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	auto j = processJson(r.out);
	BOOST_TEST(j["AccessKeyId"] == "ASIAPROCESS000000003");
	BOOST_TEST(j["SecretAccessKey"] == kProcessSecret);
	BOOST_TEST(j["SessionToken"] == "process-session-3");
	BOOST_TEST(j["Expiration"] == "2097-01-01T00:00:00+00:00");

	auto list = box.run({ "configure", "list" });
	BOOST_TEST_REQUIRE(list.status == 0, describe(list));
	auto rows = listRows(list.out);
	BOOST_TEST(rows["access_key"].value == "****************0003");
	BOOST_TEST(rows["access_key"].type == "process");
	BOOST_TEST(rows["access_key"].location == box.configPath());
}

BOOST_AUTO_TEST_CASE(non_zero_exit_includes_stderr)
{
	Sandbox box;
	auto script = box.script("fail.sh", "echo 'sso session expired, run login' >&2\nexit 7\n");
	box.config("[profile broken]\ncredential_process = " + script + "\n");
	auto r = box.run({ "export-credentials", "--profile", "broken" });
	BOOST_TEST(r.status == 3, describe(r));
	BOOST_TEST(r.out.empty());
	BOOST_TEST(r.err.find("credential_process of profile `broken` exited with status 7") != std::string::npos,
		   r.err);
	BOOST_TEST(r.err.find("sso session expired, run login") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(garbage_output)
{
	Sandbox box;
	auto script = box.script("garbage.sh", "echo 'AccessKeyId=not json'\n");
	box.config("[default]\ncredential_process = " + script + "\n");
	auto r = box.run(kExport);
	BOOST_TEST(r.status == 3, describe(r));
	BOOST_TEST(r.err.find("printed invalid json") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(wrong_version)
{
	for (const char *version : { "2", "\"1\"" }) {
		BOOST_TEST_CONTEXT("Version " << version)
		{
			Sandbox box;
			auto script = box.script("v.sh", std::string("echo '{\"Version\": ") + version +
								 ", \"AccessKeyId\": \"AKIAPROC\", \"SecretAccessKey\": \"" +
								 kProcessSecret + "\"}'\n");
			box.config("[default]\ncredential_process = " + script + "\n");
			auto r = box.run(kExport);
			BOOST_TEST(r.status == 3, describe(r));
			BOOST_TEST(r.err.find("Version is not the number 1") != std::string::npos, r.err);
			BOOST_TEST(r.err.find(kProcessSecret) == std::string::npos, r.err);
		}
	}
}

BOOST_AUTO_TEST_CASE(secret_on_stderr_is_not_repeated)
{
	const std::vector<std::string> leaks = {
		// The credentials document itself, on the wrong stream.
		"{\"Version\": 1, \"AccessKeyId\": \"AKIAPROC\", \"SecretAccessKey\": \"" + kProcessSecret + "\"}",
		"AWS_SECRET_ACCESS_KEY=" + kProcessSecret,
		"aws_secret_access_key = " + kProcessSecret,
		"debug: got key " + kProcessSecret + " from the vault",
	};
	for (const auto &leak : leaks) {
		BOOST_TEST_CONTEXT(leak)
		{
			Sandbox box;
			std::string fixture = box.write("leak.txt", leak + "\n");
			auto script = box.script("leak.sh", "cat '" + fixture + "' >&2\nexit 1\n");
			box.config("[default]\ncredential_process = " + script + "\n");
			auto r = box.run(kExport);
			BOOST_TEST(r.status == 3, describe(r));
			BOOST_TEST(r.err.find("exited with status 1") != std::string::npos, r.err);
			BOOST_TEST(r.err.find(kProcessSecret) == std::string::npos, r.err);
			BOOST_TEST(r.err.find("ExampleExample") == std::string::npos, r.err);
			BOOST_TEST(r.out.find(kProcessSecret) == std::string::npos);
		}
	}
}

// As the AWS CLI ("Credentials were refreshed, but the refreshed credentials
// are still expired."): credentials that are already expired, from
// credential_process or AWS_CREDENTIAL_EXPIRATION, are refused.
BOOST_AUTO_TEST_CASE(already_expired_credentials_are_refused)
{
	Sandbox box;
	auto script = box.script("expired.sh", "echo '{\"Version\": 1, \"AccessKeyId\": \"ASIAEXPIRED000000005\", "
					       "\"SecretAccessKey\": \"s\", \"SessionToken\": \"t\", "
					       "\"Expiration\": \"2001-01-01T00:00:00Z\"}'\n");
	box.config("[default]\ncredential_process = " + script + "\n");
	auto r = box.run(kExport);
	BOOST_TEST(r.status == 3, describe(r));
	BOOST_TEST(r.out.empty());
	BOOST_TEST(r.err.find("expired") != std::string::npos, r.err);
	auto env = box.run(kExport, { { "AWS_ACCESS_KEY_ID", "AKIAX" },
				      { "AWS_SECRET_ACCESS_KEY", "s" },
				      { "AWS_CREDENTIAL_EXPIRATION", "2001-01-01T00:00:00Z" } });
	BOOST_TEST(env.status == 3, describe(env));
}

BOOST_AUTO_TEST_CASE(long_term_keys_without_token_or_expiration)
{
	Sandbox box;
	auto script = box.script("creds.sh", "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROCESS000000004\", "
					     "\"SecretAccessKey\": \"" +
						     kProcessSecret + "\"}'\n");
	box.config("[profile acct]\ncredential_process = " + script + "\naws_account_id = 111122223333\n");
	auto r = box.run({ "export-credentials", "--profile", "acct", "--format", "env-no-export" });
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	BOOST_TEST(r.out == "AWS_ACCESS_KEY_ID=AKIAPROCESS000000004\nAWS_SECRET_ACCESS_KEY=" + kProcessSecret + "\n");
}

BOOST_AUTO_TEST_SUITE_END()

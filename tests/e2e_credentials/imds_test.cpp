// The built mwaatok against an instance metadata double on 127.0.0.1.
#define BOOST_TEST_MODULE e2e_credentials
#include <boost/test/unit_test.hpp>

#include "endpoints.h"
#include "sandbox.h"

#include <chrono>

using namespace mwaatok::e2e;

namespace {

const std::string kCredentialsPath = "/latest/meta-data/iam/security-credentials/e2e-role";

std::vector<std::string> exportProcess()
{
	return { "export-credentials", "--format", "process" };
}

void checkImdsCredentials(const RunResult &r, const ImdsCredentials &c = {})
{
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	auto j = processJson(r.out);
	BOOST_TEST(j["Version"] == "1");
	BOOST_TEST(j["AccessKeyId"] == c.accessKeyId);
	BOOST_TEST(j["SecretAccessKey"] == c.secretAccessKey);
	BOOST_TEST(j["SessionToken"] == c.token);
}

/// An IMDS double and a sandbox whose mwaatok uses it.
struct ImdsSandbox {
	explicit ImdsSandbox(ImdsBehaviour b = {}) : imds(std::move(b)) { box.useImds(imds.url()); }
	ImdsServer imds;
	Sandbox box;
};

double secondsSince(std::chrono::steady_clock::time_point start)
{
	return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

BOOST_AUTO_TEST_SUITE(imds)

BOOST_AUTO_TEST_CASE(imdsv2_token_then_role_then_credentials)
{
	ImdsSandbox s;
	auto &[imds, box] = s;
	auto r = box.run(exportProcess());
	checkImdsCredentials(r);
	BOOST_TEST(processJson(r.out)["Expiration"] == "2099-01-02T03:04:05+00:00");

	auto seen = imds.requests();
	BOOST_TEST_REQUIRE(!seen.empty());
	BOOST_TEST(seen.front().method == "PUT");
	BOOST_TEST(seen.front().path == "/latest/api/token");
	BOOST_TEST(seen.front().header("x-aws-ec2-metadata-token-ttl-seconds") == "21600");
	BOOST_TEST(imds.count("PUT") == 1u);
	BOOST_TEST(imds.count("GET", kCredentialsPath) == 1u);
	for (const auto &req : seen)
		if (req.method == "GET")
			BOOST_TEST(req.header("x-aws-ec2-metadata-token") == "imds-token-1", req.path);
}

BOOST_AUTO_TEST_CASE(imdsv1_fallback_when_the_token_request_is_refused)
{
	for (int status : { 403, 404, 405 }) {
		BOOST_TEST_CONTEXT("token PUT answers " << status)
		{
			ImdsSandbox s({ .tokenStatus = status });
			auto &[imds, box] = s;
			checkImdsCredentials(box.run(exportProcess()));
			BOOST_TEST(imds.count("PUT") == 1u);
			BOOST_TEST(imds.count("GET", kCredentialsPath) == 1u);
			for (const auto &req : imds.requests())
				if (req.method == "GET")
					BOOST_TEST(!req.has("x-aws-ec2-metadata-token"), req.path);
		}
	}
}

BOOST_AUTO_TEST_CASE(v1_disabled_stops_the_fallback)
{
	ImdsSandbox s({ .tokenStatus = 403 });
	auto &[imds, box] = s;
	auto r = box.run(exportProcess(), { { "AWS_EC2_METADATA_V1_DISABLED", "true" } });
	BOOST_TEST(r.status == 3, describe(r));
	BOOST_TEST(r.out.empty());
	BOOST_TEST(r.err.find("fallback is disabled") != std::string::npos, r.err);
	BOOST_TEST(imds.count("GET") == 0u);
}

BOOST_AUTO_TEST_CASE(disabled_sends_nothing)
{
	ImdsSandbox s({ .region = "eu-west-1" });
	auto &[imds, box] = s;
	box.env["AWS_EC2_METADATA_DISABLED"] = "true";
	auto r = box.run(exportProcess());
	BOOST_TEST(r.status == 3, describe(r));
	BOOST_TEST(r.err.find("imds: AWS_EC2_METADATA_DISABLED is true") != std::string::npos, r.err);
	auto list = box.run({ "configure", "list" });
	BOOST_TEST(list.status == 0, describe(list));
	BOOST_TEST(listRows(list.out)["region"].value == "<not set>", list.out);
	BOOST_TEST(imds.requestCount() == 0u);
}

BOOST_AUTO_TEST_CASE(unauthorized_get_fetches_a_new_token)
{
	ImdsSandbox s({ .unauthorizedOnce = 1 });
	auto &[imds, box] = s;
	checkImdsCredentials(box.run(exportProcess()));
	BOOST_TEST(imds.count("PUT") == 2u);
	BOOST_TEST(imds.count("GET", kCredentialsPath) == 2u);
	auto seen = imds.requests();
	BOOST_TEST_REQUIRE(!seen.empty());
	BOOST_TEST(seen.back().header("x-aws-ec2-metadata-token") == "imds-token-2");
}

BOOST_AUTO_TEST_CASE(endpoint_that_never_answers_gives_up_within_the_defaults)
{
	SilentListener silent;
	Sandbox box;
	box.useImds("http://127.0.0.1:" + std::to_string(silent.port()));
	auto start = std::chrono::steady_clock::now();
	auto r = box.run(exportProcess(), {}, 30);
	double took = secondsSince(start);
	BOOST_TEST(r.status == 3, describe(r));
	BOOST_TEST(took < 10.0, "took " << took << " s");
	BOOST_TEST(r.err.find("imds: ") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(nothing_listening_lists_every_provider)
{
	Sandbox box;
	box.useImds("http://127.0.0.1:" + std::to_string(unusedLoopbackPort()));
	auto start = std::chrono::steady_clock::now();
	auto r = box.run(exportProcess());
	double took = secondsSince(start);
	BOOST_TEST(r.status == 3, describe(r));
	BOOST_TEST(took < 5.0, "took " << took << " s");
	BOOST_TEST(r.out.empty());
	for (const char *why : { "environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
				 "shared-files: no [default] profile in ",
				 "web-identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set",
				 "container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI "
				 "are not set",
				 "imds: imds at http://127.0.0.1:" })
		BOOST_TEST(r.err.find(why) != std::string::npos, "missing `" << why << "` in " << r.err);
	BOOST_TEST(r.err.find("no aws credentials found") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(expired_credentials_are_used_with_a_warning)
{
	ImdsCredentials expired;
	expired.expiration = "2001-02-03T04:05:06Z";
	ImdsSandbox s({ .credentials = expired });
	auto r = s.box.run(exportProcess());
	checkImdsCredentials(r, expired);
	BOOST_TEST(r.err.find("warning: imds returned credentials that expired at 2001-02-03T04:05:06") !=
			   std::string::npos,
		   r.err);
	// Extended past now, so callers use them for a while instead of failing.
	auto expiration = processJson(r.out)["Expiration"];
	BOOST_TEST(expiration > std::string("2020"), expiration);
}

BOOST_AUTO_TEST_CASE(configure_list_shows_the_role_and_the_imds_region)
{
	ImdsSandbox s({ .region = "ap-southeast-2" });
	auto &[imds, box] = s;
	auto r = box.run({ "configure", "list" });
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	auto rows = listRows(r.out);
	checkKeyRows(rows, "0001", "0001", "iam-role");
	BOOST_TEST(rows["region"].value == "ap-southeast-2");
	BOOST_TEST(rows["region"].type == "imds");
	BOOST_TEST(r.out.find(ImdsCredentials{}.secretAccessKey) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(imds_region_is_not_asked_when_the_profile_has_one)
{
	ImdsSandbox s({ .region = "ap-southeast-2" });
	auto &[imds, box] = s;
	box.config("[default]\nregion = eu-north-1\n");
	auto r = box.run({ "configure", "list" });
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	auto rows = listRows(r.out);
	BOOST_TEST(rows["region"].value == "eu-north-1");
	BOOST_TEST(rows["region"].type == "config-file");
	BOOST_TEST(imds.count("GET", "/latest/meta-data/placement/region") == 0u);
}

BOOST_AUTO_TEST_CASE(imds_credentials_sign_a_real_request)
{
	ImdsBehaviour b;
	b.region = "eu-central-1";
	ImdsServer imds(b);
	const auto &c = b.credentials;
	Emulator emulator({ "--key", c.accessKeyId + ":" + c.secretAccessKey + ":session", "--env",
			    "e2e-env:eu-central-1:2.10.3" });
	Sandbox box;
	box.useImds(imds.url());
	auto r = box.run({ "url", "e2e-env", "--endpoint-url", emulator.url(), "--no-progress" });
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	BOOST_TEST(r.out.find("https://") != std::string::npos, r.out);
	BOOST_TEST(imds.count("GET", "/latest/meta-data/placement/region") == 1u);
	BOOST_TEST(imds.count("GET", kCredentialsPath) == 1u);
	BOOST_TEST(r.out.find(c.secretAccessKey) == std::string::npos);
	BOOST_TEST(r.err.find(c.secretAccessKey) == std::string::npos);

	// The same request with a wrong secret is refused: the emulator checks signatures.
	ImdsBehaviour wrong = b;
	wrong.credentials.secretAccessKey = "wrongSecretKey/ExampleExampleExample00001";
	ImdsServer wrongImds(wrong);
	box.useImds(wrongImds.url());
	auto refused = box.run({ "url", "e2e-env", "--endpoint-url", emulator.url(), "--no-progress" });
	BOOST_TEST(refused.status == 1, describe(refused));
}

BOOST_AUTO_TEST_SUITE_END()

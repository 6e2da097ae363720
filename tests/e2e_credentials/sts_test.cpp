// Assume role, role chains, credential_source, web identity and the AWS CLI's
// role cache: the built mwaatok against the emulator's STS on loopback, and the
// installed AWS CLI sharing the cache both ways.
#include <boost/test/unit_test.hpp>

#include "endpoints.h"
#include "sandbox.h"

#include <sys/stat.h>

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

using namespace mwaatok::e2e;

namespace {

const std::string kRole1 = "arn:aws:iam::123456789012:role/r1";
const std::string kRole2 = "arn:aws:iam::123456789012:role/r2";
const std::string kMfaRole = "arn:aws:iam::123456789012:role/mfa";
const std::string kExtRole = "arn:aws:iam::123456789012:role/ext";
const std::string kWebRole = "arn:aws:iam::123456789012:role/web";
const std::string kSerial = "arn:aws:iam::123456789012:mfa/alice";
const std::string kBaseKey = "AKIAE2EBASE000000001";
const std::string kBaseSecret = "e2eBaseSecret/0000000000000000000000001";

/// The emulator with one long-term key, an environment and the roles above.
struct StsWorld {
	TempDir dir;
	std::string log = dir.path() + "/requests.log";
	Emulator emulator;
	Sandbox box;

	StsWorld()
		: emulator({ "--config", dir.write("emulator.json", config()), "--log", dir.path() + "/requests.log" })
	{
		box.env["AWS_ENDPOINT_URL_STS"] = emulator.url();
		box.env["AWS_ENDPOINT_URL_MWAA"] = emulator.url();
		box.credentials("[base]\naws_access_key_id = " + kBaseKey + "\naws_secret_access_key = " + kBaseSecret + "\n");
		box.config("[profile base]\nregion = us-east-1\n"
			   "[profile role]\nregion = us-east-1\nrole_arn = " + kRole1 + "\nsource_profile = base\n"
			   "[profile chain]\nregion = us-east-1\nrole_arn = " + kRole2 + "\nsource_profile = role\n"
			   "[profile envsource]\nregion = us-east-1\nrole_arn = " + kRole1 + "\ncredential_source = Environment\n"
			   "[profile ecs]\nregion = us-east-1\nrole_arn = " + kRole1 + "\ncredential_source = EcsContainer\n"
			   "[profile ec2]\nregion = us-east-1\nrole_arn = " + kRole2 + "\ncredential_source = Ec2InstanceMetadata\n"
			   "[profile mfa]\nregion = us-east-1\nrole_arn = " + kMfaRole + "\nsource_profile = base\nmfa_serial = " +
			   kSerial + "\n"
			   "[profile ext]\nregion = us-east-1\nrole_arn = " + kExtRole + "\nsource_profile = base\nexternal_id = wrong\n"
			   "[profile denied]\nregion = us-east-1\nrole_arn = arn:aws:iam::123456789012:role/unknown\nsource_profile = base\n"
			   "[profile loop-a]\nregion = us-east-1\nrole_arn = " + kRole1 + "\nsource_profile = loop-b\n"
			   "[profile loop-b]\nregion = us-east-1\nrole_arn = " + kRole2 + "\nsource_profile = loop-a\n"
			   "[profile web]\nregion = us-east-1\nrole_arn = " + kWebRole + "\nweb_identity_token_file = " +
			   box.write("token.jwt", "e2e-web-token\n") + "\n");
	}

	static std::string config()
	{
		return "{\"keys\": {\"" + kBaseKey + "\": {\"secret\": \"" + kBaseSecret + "\"}},"
		       " \"environments\": [{\"name\": \"prod\", \"region\": \"us-east-1\"}, {\"name\": \"prod2\", \"region\": \"us-east-1\"}],"
		       " \"sts\": {\"roles\": {\"" + kRole1 + "\": {}, \"" + kRole2 + "\": {},"
		       " \"" + kMfaRole + "\": {\"mfa_serial\": \"" + kSerial + "\", \"mfa_code\": \"424242\"},"
		       " \"" + kExtRole + "\": {\"external_id\": \"right\"},"
		       " \"" + kWebRole + "\": {\"web_identity_token\": \"e2e-web-token\"}}}}";
	}

	/// The request log lines, in order.
	std::vector<std::string> requests() const
	{
		std::ifstream in(log);
		std::vector<std::string> out;
		for (std::string line; std::getline(in, line);)
			out.push_back(line);
		return out;
	}

	/// The lines for STS (POST /).
	std::vector<std::string> stsCalls() const
	{
		std::vector<std::string> out;
		for (const auto &l : requests())
			if (l.find("\"path\": \"/\"") != std::string::npos)
				out.push_back(l);
		return out;
	}

	std::string cacheDir() const { return box.home() + "/.aws/cli/cache"; }

	std::vector<std::string> cacheFiles() const
	{
		std::vector<std::string> out;
		if (DIR *d = opendir(cacheDir().c_str())) {
			while (dirent *e = readdir(d))
				if (std::string(e->d_name).size() > 5 && std::string(e->d_name).find(".json") != std::string::npos)
					out.push_back(e->d_name);
			closedir(d);
		}
		std::sort(out.begin(), out.end());
		return out;
	}

	RunResult url(const std::string &profile, const EnvMap &extra = {}) const
	{
		return box.run({ "url", "prod", "--profile", profile, "--no-progress" }, extra);
	}
};

bool hasField(const std::string &line, const std::string &field, const std::string &prefix)
{
	return line.find("\"" + field + "\": \"" + prefix) != std::string::npos;
}

int lines(const std::string &text)
{
	return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

} // namespace

BOOST_AUTO_TEST_SUITE(sts)

BOOST_AUTO_TEST_CASE(assume_role_profile_signs_the_login_url_request)
{
	StsWorld w;
	auto r = w.url("role");
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	BOOST_TEST(r.out.find("https://") == 0u, r.out);
	auto calls = w.requests();
	BOOST_REQUIRE(calls.size() >= 2u);
	BOOST_TEST(hasField(calls[0], "access_key_id", kBaseKey), calls[0]); // AssumeRole with the source keys
	BOOST_TEST(calls[0].find("\"status\": 200") != std::string::npos, calls[0]);
	for (size_t i = 1; i < calls.size(); ++i) // MWAA with the role's temporary keys
		BOOST_TEST(hasField(calls[i], "access_key_id", "ASIA"), calls[i]);
	BOOST_TEST(r.err.find(kBaseSecret) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(role_chain_signs_each_hop_with_the_previous_role)
{
	StsWorld w;
	auto r = w.url("chain");
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	auto sts = w.stsCalls();
	BOOST_REQUIRE(sts.size() == 2u);
	BOOST_TEST(hasField(sts[0], "access_key_id", kBaseKey), sts[0]);
	BOOST_TEST(hasField(sts[1], "access_key_id", "ASIA"), sts[1]); // signed with role r1's session
	BOOST_TEST(sts[1].find("\"signature_verified\": true") != std::string::npos, sts[1]);
}

BOOST_AUTO_TEST_CASE(credential_source_environment)
{
	StsWorld w;
	auto r = w.url("envsource", { { "AWS_ACCESS_KEY_ID", kBaseKey }, { "AWS_SECRET_ACCESS_KEY", kBaseSecret } });
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	BOOST_TEST(hasField(w.stsCalls().at(0), "access_key_id", kBaseKey));
	for (const auto &f : w.cacheFiles()) // else the cached role needs no source
		unlink((w.cacheDir() + "/" + f).c_str());
	auto missing = w.url("envsource");
	BOOST_TEST(missing.status == 3, describe(missing));
	BOOST_TEST(missing.err.find("credential_source Environment") != std::string::npos, missing.err);
}

BOOST_AUTO_TEST_CASE(credential_source_container_and_instance_metadata)
{
	StsWorld w;
	HttpServer container([](const SeenRequest &) {
		return Reply{ 200, "{\"AccessKeyId\": \"" + kBaseKey + "\", \"SecretAccessKey\": \"" + kBaseSecret +
					   "\", \"Token\": \"container-token\", \"Expiration\": \"2099-01-01T00:00:00Z\"}",
			      "application/json" };
	});
	auto ecs = w.url("ecs", { { "AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url() + "/creds" } });
	BOOST_TEST_REQUIRE(ecs.status == 0, describe(ecs));
	BOOST_TEST(container.requestCount() == 1u);
	BOOST_TEST(hasField(w.stsCalls().at(0), "access_key_id", kBaseKey));

	ImdsBehaviour b;
	b.credentials.accessKeyId = kBaseKey;
	b.credentials.secretAccessKey = kBaseSecret;
	ImdsServer imds(b);
	w.box.useImds(imds.url());
	auto ec2 = w.url("ec2");
	BOOST_TEST_REQUIRE(ec2.status == 0, describe(ec2));
	BOOST_TEST(imds.count("PUT") == 1u);
	BOOST_TEST(w.stsCalls().size() == 2u);
	BOOST_TEST(hasField(w.stsCalls().at(1), "access_key_id", kBaseKey));
}

BOOST_AUTO_TEST_CASE(web_identity_from_environment_and_profile)
{
	StsWorld w;
	std::string token = w.box.write("env-token", "e2e-web-token");
	auto r = w.box.run({ "export-credentials" }, { { "AWS_WEB_IDENTITY_TOKEN_FILE", token }, { "AWS_ROLE_ARN", kWebRole },
						       { "AWS_ROLE_SESSION_NAME", "e2e" }, { "AWS_REGION", "us-east-1" } });
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	BOOST_TEST(processJson(r.out)["AccessKeyId"].rfind("ASIA", 0) == 0u, r.out);
	BOOST_TEST(w.stsCalls().size() == 1u);
	BOOST_TEST(w.stsCalls()[0].find("\"access_key_id\": \"\"") != std::string::npos); // unsigned

	auto p = w.url("web");
	BOOST_TEST_REQUIRE(p.status == 0, describe(p));
	auto list = w.box.run({ "configure", "list", "--profile", "web" });
	BOOST_TEST(listRows(list.out)["access_key"].type == "assume-role-with-web-identity", list.out);

	// An expired token: one line naming where it came from, exit 3.
	w.box.write("env-token", "expired-token");
	auto expired = w.box.run({ "url", "prod", "--no-progress" },
				 { { "AWS_WEB_IDENTITY_TOKEN_FILE", token }, { "AWS_ROLE_ARN", kWebRole }, { "AWS_REGION", "us-east-1" },
				   { "AWS_ROLE_SESSION_NAME", "not-cached" } });
	BOOST_TEST(expired.status == 3, describe(expired));
	BOOST_TEST(lines(expired.err) == 1, expired.err);
	BOOST_TEST(expired.err.find("AWS_WEB_IDENTITY_TOKEN_FILE") != std::string::npos, expired.err);
	BOOST_TEST(expired.err.find("ExpiredTokenException") != std::string::npos, expired.err);
	BOOST_TEST(expired.err.find("expired-token") == std::string::npos, expired.err);

	auto unreadable = w.box.run({ "url", "prod", "--no-progress" },
				    { { "AWS_WEB_IDENTITY_TOKEN_FILE", w.box.home() + "/missing" }, { "AWS_ROLE_ARN", kWebRole },
				      { "AWS_REGION", "us-east-1" }, { "AWS_ROLE_SESSION_NAME", "not-cached" } });
	// A web identity role is cached like any assumed role (the AWS CLI does the same).
	const size_t before = w.stsCalls().size();
	BOOST_TEST(w.url("web").status == 0);
	BOOST_TEST(w.stsCalls().size() == before);
	BOOST_TEST(unreadable.status == 3, describe(unreadable));
	BOOST_TEST(unreadable.err.find("does not exist") != std::string::npos, unreadable.err);
}

BOOST_AUTO_TEST_CASE(sts_errors_are_one_line_naming_the_profile)
{
	StsWorld w;
	auto denied = w.url("denied");
	BOOST_TEST(denied.status == 3, describe(denied));
	BOOST_TEST(lines(denied.err) == 1, denied.err);
	BOOST_TEST(denied.err.find("profile `denied`") != std::string::npos, denied.err);
	BOOST_TEST(denied.err.find(w.box.configPath() + ":") != std::string::npos, denied.err);
	BOOST_TEST(denied.err.find("AccessDenied") != std::string::npos, denied.err);

	auto ext = w.url("ext");
	BOOST_TEST(ext.status == 3, describe(ext));
	BOOST_TEST(ext.err.find("AccessDenied") != std::string::npos, ext.err);

	const size_t before = w.stsCalls().size();
	auto loop = w.url("loop-a");
	BOOST_TEST(loop.status == 3, describe(loop));
	BOOST_TEST(loop.err.find("`loop-a` -> `loop-b` -> `loop-a`") != std::string::npos, loop.err);
	BOOST_TEST(w.stsCalls().size() == before); // refused before any call
}

BOOST_AUTO_TEST_CASE(mfa_without_a_terminal_says_what_to_do)
{
	StsWorld w;
	auto r = w.url("mfa");
	BOOST_TEST(r.status == 3, describe(r));
	BOOST_TEST(r.err.find("needs an MFA code for " + kSerial) != std::string::npos, r.err);
	BOOST_TEST(r.err.find("no terminal") != std::string::npos, r.err);
	BOOST_TEST(w.stsCalls().empty());
}

BOOST_AUTO_TEST_CASE(mfa_prompt_on_the_terminal_asks_once)
{
	if (access("/usr/bin/script", X_OK) != 0) {
		BOOST_TEST_MESSAGE("skipped: no script(1) to give mwaatok a terminal");
		return;
	}
	StsWorld w;
	// Two environments of one batch share the role: one prompt, one AssumeRole.
	EnvMap env = w.box.env;
	std::string cmd = builtProgram("MWAATOK") + " url prod prod2 --profile mfa --no-progress";
	// The code arrives after the prompt has turned echo off, as a user types it.
	auto r = runProgram("/bin/sh", { "-c", "(sleep 2; echo 424242) | /usr/bin/script -qec '" + cmd + "' /dev/null" },
			    env, "", 60);
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	BOOST_TEST(r.out.find("Enter MFA code for " + kSerial + ": ") != std::string::npos, r.out);
	BOOST_TEST(r.out.find("424242") == std::string::npos, r.out); // no echo
	BOOST_TEST(w.stsCalls().size() == 1u);
	// The cached role needs no code the next time.
	auto again = w.url("mfa");
	BOOST_TEST(again.status == 0, describe(again));
	BOOST_TEST(w.stsCalls().size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_signal_at_the_mfa_prompt_gives_the_terminal_its_echo_back)
{
	if (access("/usr/bin/script", X_OK) != 0) {
		BOOST_TEST_MESSAGE("skipped: no script(1) to give mwaatok a terminal");
		return;
	}
	StsWorld w;
	std::string inner = builtProgram("MWAATOK") +
			    " url prod --profile mfa --no-progress & p=$!; sleep 1; stty -a | grep -o -- \" -\\?echo \"; "
			    "kill -TERM $p; wait $p; echo exit=$?; stty -a | grep -o -- \" -\\?echo \"";
	// stdin stays open (no end of input at the prompt) until the shell is done.
	auto r = runProgram("/bin/sh", { "-c", "(sleep 8) | /usr/bin/script -qec '" + inner + "' /dev/null" },
			    w.box.env, "", 60);
	BOOST_TEST(r.out.find(" -echo ") != std::string::npos, r.out); // while asking
	auto after = r.out.find("exit=");
	BOOST_REQUIRE(after != std::string::npos);
	BOOST_TEST(r.out.find(" echo ", after) != std::string::npos, r.out); // restored
	BOOST_TEST(r.out.find("interrupted while asking for the MFA code") != std::string::npos, r.out);
	BOOST_TEST(w.stsCalls().empty());
}

BOOST_AUTO_TEST_CASE(role_cache_is_reused_and_survives_corruption)
{
	StsWorld w;
	BOOST_TEST_REQUIRE(w.url("role").status == 0);
	BOOST_TEST(w.stsCalls().size() == 1u);
	auto files = w.cacheFiles();
	BOOST_REQUIRE(files.size() == 1u);
	// The AWS CLI's name: sha1 of json.dumps({"RoleArn": ...}, sort_keys=True).
	BOOST_TEST(files[0] == "f8f1c622e4a4b5e6135b979ae6c3f665c21147f2.json", files[0]);
	struct stat st {};
	BOOST_TEST_REQUIRE(stat((w.cacheDir() + "/" + files[0]).c_str(), &st) == 0);
	BOOST_TEST((st.st_mode & 0777) == 0600u);

	BOOST_TEST(w.url("role").status == 0);
	BOOST_TEST(w.stsCalls().size() == 1u); // from the cache

	std::ofstream(w.cacheDir() + "/" + files[0]) << "{not json";
	auto r = w.url("role");
	BOOST_TEST(r.status == 0, describe(r));
	BOOST_TEST(w.stsCalls().size() == 2u);
	std::ifstream in(w.cacheDir() + "/" + files[0]);
	std::stringstream text;
	text << in.rdbuf();
	BOOST_TEST(text.str().find("{\"Credentials\": {\"AccessKeyId\": \"ASIA") == 0u, text.str());
}

BOOST_AUTO_TEST_CASE(the_aws_cli_and_mwaatok_share_assumed_roles)
{
	const std::string aws = awsCli();
	if (aws.empty()) {
		BOOST_TEST_MESSAGE("skipped: no working AWS CLI (/usr/bin/aws or aws on PATH)");
		return;
	}
	StsWorld w;
	// Older AWS CLI releases ignore AWS_ENDPOINT_URL_STS: an endpoint rule set
	// on AWS_DATA_PATH sends their STS calls to the emulator as well.
	TempDir data;
	mkdir((data.path() + "/sts").c_str(), 0700);
	mkdir((data.path() + "/sts/2011-06-15").c_str(), 0700);
	data.write("sts/2011-06-15/endpoint-rule-set-1.json",
		   "{\"version\": \"1.0\", \"parameters\": {\"Region\": {\"builtIn\": \"AWS::Region\", \"required\": false, "
		   "\"documentation\": \"region\", \"type\": \"String\"}}, \"rules\": [{\"conditions\": [], \"endpoint\": "
		   "{\"url\": \"" + w.emulator.url() + "\", \"properties\": {}, \"headers\": {}}, \"type\": \"endpoint\"}]}");
	EnvMap env = w.box.env;
	env["AWS_DATA_PATH"] = data.path();
	env["PATH"] = aws.substr(0, aws.rfind('/')) + ":/usr/bin:/bin";
	auto cli = runProgram(aws, { "configure", "export-credentials", "--profile", "chain" }, env, "", 60);
	if (cli.status != 0 && cli.err.find("nvalid choice") != std::string::npos) {
		BOOST_TEST_MESSAGE("skipped: this AWS CLI has no `configure export-credentials`");
		return;
	}
	BOOST_TEST_REQUIRE(cli.status == 0, describe(cli));
	BOOST_TEST_REQUIRE(w.stsCalls().size() == 2u); // the CLI assumed both roles of the chain
	auto fromCli = processJson(cli.out);

	// mwaatok finds the CLI's files: no STS call, the same credentials.
	auto ours = w.box.run({ "export-credentials", "--profile", "chain" });
	BOOST_TEST_REQUIRE(ours.status == 0, describe(ours));
	BOOST_TEST(processJson(ours.out)["AccessKeyId"] == fromCli["AccessKeyId"]);
	BOOST_TEST(processJson(ours.out)["SessionToken"] == fromCli["SessionToken"]);
	BOOST_TEST(w.stsCalls().size() == 2u);
	BOOST_TEST(w.url("chain").status == 0);
	BOOST_TEST(w.stsCalls().size() == 2u);
	// configure list names the type as the AWS CLI does.
	auto cliList = listRows(runProgram(aws, { "configure", "list", "--profile", "chain" }, env, "", 60).out);
	auto ourList = listRows(w.box.run({ "configure", "list", "--profile", "chain" }).out);
	BOOST_TEST(ourList["access_key"].type == "assume-role");
	BOOST_TEST(ourList["access_key"].type == cliList["access_key"].type);
	BOOST_TEST(ourList["access_key"].value == cliList["access_key"].value);
	BOOST_TEST(ourList["secret_key"].location == cliList["secret_key"].location);
	BOOST_TEST(w.stsCalls().size() == 2u);

	// And the other way round: mwaatok assumes, the CLI reuses.
	for (const auto &f : w.cacheFiles())
		unlink((w.cacheDir() + "/" + f).c_str());
	auto mine = w.box.run({ "export-credentials", "--profile", "chain" });
	BOOST_TEST_REQUIRE(mine.status == 0, describe(mine));
	BOOST_TEST(w.stsCalls().size() == 4u);
	auto cli2 = runProgram(aws, { "configure", "export-credentials", "--profile", "chain" }, env, "", 60);
	BOOST_TEST_REQUIRE(cli2.status == 0, describe(cli2));
	BOOST_TEST(processJson(cli2.out)["AccessKeyId"] == processJson(mine.out)["AccessKeyId"]);
	BOOST_TEST(w.stsCalls().size() == 4u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(hostile_files)

BOOST_AUTO_TEST_CASE(endless_files_are_refused_quickly)
{
	Sandbox box;
	auto config = box.run({ "configure", "list" }, { { "AWS_CONFIG_FILE", "/dev/zero" } });
	BOOST_TEST(config.status == 2, describe(config));
	BOOST_TEST(config.err.find("/dev/zero holds more than") != std::string::npos, config.err);

	auto token = box.run({ "export-credentials" }, { { "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds" },
							  { "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "/dev/zero" } });
	BOOST_TEST(token.status == 3, describe(token));
	BOOST_TEST(token.err.find("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE names /dev/zero") != std::string::npos, token.err);

	auto relative = box.run({ "export-credentials" }, { { "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "x@evil.example/" } });
	BOOST_TEST(relative.status == 3, describe(relative));
	BOOST_TEST(relative.err.find("must start with `/`") != std::string::npos, relative.err);
}

BOOST_AUTO_TEST_SUITE_END()

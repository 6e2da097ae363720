// The shared config and credentials files, profiles and environment keys.
#include <boost/test/unit_test.hpp>

#include "sandbox.h"

using namespace mwaatok::e2e;

namespace {

const std::vector<std::string> kEnvFormat{ "export-credentials", "--format", "env-no-export" };

std::string keys(const std::string &id, const std::string &secret)
{
	return "AWS_ACCESS_KEY_ID=" + id + "\nAWS_SECRET_ACCESS_KEY=" + secret + "\n";
}

void checkExport(const RunResult &r, const std::string &expected)
{
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	BOOST_TEST(r.out == expected);
}

} // namespace

BOOST_AUTO_TEST_SUITE(shared_files)

BOOST_AUTO_TEST_CASE(static_keys_in_the_credentials_file)
{
	Sandbox box;
	writeProfiles(box);
	checkExport(box.run(kEnvFormat), keys("AKIACREDDEFAULT00001", "credDefaultSecret0001"));
	auto list = box.run({ "configure", "list" });
	BOOST_TEST_REQUIRE(list.status == 0, describe(list));
	auto rows = listRows(list.out);
	BOOST_TEST(rows["profile"].value == "<not set>", list.out);
	checkKeyRows(rows, "0001", "0001", "shared-credentials-file");
	BOOST_TEST(rows["access_key"].location == box.credentialsPath());
	BOOST_TEST(rows["region"].value == "eu-west-1");
	BOOST_TEST(rows["region"].type == "config-file");
	BOOST_TEST(rows["region"].location == box.configPath());
	BOOST_TEST(list.out.find("credDefaultSecret") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(static_keys_in_the_config_file)
{
	Sandbox box;
	writeProfiles(box);
	checkExport(box.run({ "export-credentials", "--profile", "ops", "--format", "env-no-export" }),
		    keys("AKIACONFIGOPS0000003", "configOpsSecret0003"));
	auto list = box.run({ "configure", "list", "--profile", "ops" });
	BOOST_TEST_REQUIRE(list.status == 0, describe(list));
	auto rows = listRows(list.out);
	BOOST_TEST(rows["profile"].value == "ops");
	BOOST_TEST(rows["profile"].type == "manual");
	BOOST_TEST(rows["access_key"].type == "config-file");
	BOOST_TEST(rows["access_key"].location == box.configPath());
	BOOST_TEST(rows["secret_key"].value == "****************0003");
	BOOST_TEST(rows["region"].value == "us-east-2");
}

BOOST_AUTO_TEST_CASE(profile_flag_and_aws_profile)
{
	Sandbox box;
	writeProfiles(box);
	const std::string dev = keys("AKIACREDDEV000000002", "credDevSecret0002") + "AWS_SESSION_TOKEN=dev-session-token\n";
	checkExport(box.run({ "export-credentials", "--profile", "dev", "--format", "env-no-export" }), dev);
	checkExport(box.run(kEnvFormat, { { "AWS_PROFILE", "dev" } }), dev);
	// --profile beats AWS_PROFILE.
	checkExport(box.run({ "export-credentials", "-p", "ops", "--format", "env-no-export" }, { { "AWS_PROFILE", "dev" } }),
		    keys("AKIACONFIGOPS0000003", "configOpsSecret0003"));
	auto list = box.run({ "configure", "list" }, { { "AWS_PROFILE", "dev" } });
	auto rows = listRows(list.out);
	BOOST_TEST(rows["profile"].value == "dev", list.out);
	BOOST_TEST(rows["profile"].type == "env");
	BOOST_TEST(rows["profile"].location == "AWS_PROFILE");
	BOOST_TEST(rows["region"].value == "ap-northeast-1"); // [profile dev] of the config file
}

BOOST_AUTO_TEST_CASE(config_file_sections_need_the_profile_prefix)
{
	Sandbox box;
	box.config("[ops]\naws_access_key_id = AKIAIGNOREDSECTION00\naws_secret_access_key = ignored\n"
		   "[profile default]\naws_access_key_id = AKIAPROFILEDEFAULT05\naws_secret_access_key = pd5\n"
		   "[default]\naws_access_key_id = AKIAPLAINDEFAULT0006\naws_secret_access_key = plain6\n");
	// [ops] in the config file is not a profile.
	auto r = box.run({ "export-credentials", "--profile", "ops" });
	BOOST_TEST(r.status == 2, describe(r));
	BOOST_TEST(r.err.find("aws profile `ops` (from --profile) is not defined") != std::string::npos, r.err);
	// [profile default] replaces [default].
	checkExport(box.run(kEnvFormat), keys("AKIAPROFILEDEFAULT05", "pd5"));
}

BOOST_AUTO_TEST_CASE(missing_profile_suggests_a_close_name)
{
	Sandbox box;
	writeProfiles(box);
	auto r = box.run({ "export-credentials", "--profile", "opss" });
	BOOST_TEST(r.status == 2, describe(r));
	BOOST_TEST(r.err.find("did you mean `ops`?") != std::string::npos, r.err);
	auto viaEnv = box.run({ "export-credentials" }, { { "AWS_PROFILE", "deb" } });
	BOOST_TEST(viaEnv.status == 2, describe(viaEnv));
	BOOST_TEST(viaEnv.err.find("aws profile `deb` (from AWS_PROFILE)") != std::string::npos, viaEnv.err);
	BOOST_TEST(viaEnv.err.find("did you mean `dev`?") != std::string::npos, viaEnv.err);
}

BOOST_AUTO_TEST_CASE(malformed_line_names_the_file_and_line)
{
	Sandbox box;
	box.credentials("[default]\naws_access_key_id = AKIAX\n");
	box.config("[default]\nregion = eu-west-1\nthis line has no equals sign\n");
	for (const auto &args : std::vector<std::vector<std::string>>{
		     { "export-credentials" }, { "configure", "list" }, { "configure", "get", "region" } }) {
		auto r = box.run(args);
		BOOST_TEST(r.status == 2, args[0] << describe(r));
		BOOST_TEST(r.err.find(box.configPath() + ":3: ") != std::string::npos, r.err);
	}
}

BOOST_AUTO_TEST_CASE(environment_keys_beat_aws_profile)
{
	Sandbox box;
	writeProfiles(box);
	EnvMap env{ { "AWS_PROFILE", "dev" },
		    { "AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00007" },
		    { "AWS_SECRET_ACCESS_KEY", "envSecret0007" } };
	checkExport(box.run(kEnvFormat, env), keys("AKIAENVIRONMENT00007", "envSecret0007"));
	auto list = box.run({ "configure", "list" }, env);
	auto rows = listRows(list.out);
	checkKeyRows(rows, "0007", "0007", "env");
	BOOST_TEST(rows["access_key"].location == "AWS_ACCESS_KEY_ID");
	BOOST_TEST(rows["secret_key"].location == "AWS_SECRET_ACCESS_KEY");
}

BOOST_AUTO_TEST_CASE(profile_flag_beats_environment_keys)
{
	Sandbox box;
	writeProfiles(box);
	EnvMap env{ { "AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00007" }, { "AWS_SECRET_ACCESS_KEY", "envSecret0007" } };
	checkExport(box.run({ "export-credentials", "--profile", "ops", "--format", "env-no-export" }, env),
		    keys("AKIACONFIGOPS0000003", "configOpsSecret0003"));
}

BOOST_AUTO_TEST_CASE(one_environment_key_without_the_other)
{
	Sandbox box;
	writeProfiles(box);
	auto r = box.run(kEnvFormat, { { "AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00007" } });
	BOOST_TEST(r.status == 3, describe(r));
	BOOST_TEST(r.err.find("AWS_SECRET_ACCESS_KEY is not") != std::string::npos, r.err);
	auto other = box.run(kEnvFormat, { { "AWS_SECRET_ACCESS_KEY", "envSecret0007" } });
	BOOST_TEST(other.status == 3, describe(other));
	BOOST_TEST(other.err.find("AWS_ACCESS_KEY_ID is not") != std::string::npos, other.err);
	BOOST_TEST(other.err.find("envSecret0007") == std::string::npos, other.err);
}

BOOST_AUTO_TEST_CASE(environment_session_and_expiration)
{
	Sandbox box;
	EnvMap env{ { "AWS_ACCESS_KEY_ID", "ASIAENVIRONMENT00008" },
		    { "AWS_SECRET_ACCESS_KEY", "envSecret0008" },
		    { "AWS_SESSION_TOKEN", "env-session-8" },
		    { "AWS_CREDENTIAL_EXPIRATION", "2096-05-06T07:08:09Z" } };
	auto r = box.run({ "export-credentials" }, env);
	BOOST_TEST_REQUIRE(r.status == 0, describe(r));
	BOOST_TEST(r.out == "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"ASIAENVIRONMENT00008\",\n"
			    "  \"SecretAccessKey\": \"envSecret0008\",\n  \"SessionToken\": \"env-session-8\",\n"
			    "  \"Expiration\": \"2096-05-06T07:08:09+00:00\"\n}\n");
	auto exported = box.run({ "export-credentials", "--format", "env" }, env);
	BOOST_TEST(exported.out == "export AWS_ACCESS_KEY_ID=ASIAENVIRONMENT00008\n"
				   "export AWS_SECRET_ACCESS_KEY=envSecret0008\n"
				   "export AWS_SESSION_TOKEN=env-session-8\n"
				   "export AWS_CREDENTIAL_EXPIRATION=2096-05-06T07:08:09+00:00\n");
}

BOOST_AUTO_TEST_SUITE_END()

#define BOOST_TEST_MODULE credentials
#include <boost/test/unit_test.hpp>

#include "core/strings.h"
#include "mwaatok/error.h"
#include "mwaatok/profile_file.h"
#include "test_support.h"
#include "fakes.h"

using namespace mwaatok;
using namespace mwaatok::test;

namespace {

using FlatProfiles = std::map<std::string, std::map<std::string, std::string>>;

FlatProfiles flatten(const ProfileMap &m)
{
	FlatProfiles out;
	for (const auto &[name, props] : m) {
		auto &p = out[name];
		for (const auto &[k, v] : props)
			p[k] = v.value;
	}
	return out;
}

FlatProfiles expected(const Poco::JSON::Object::Ptr &config, const std::string &member)
{
	FlatProfiles out;
	if (!config->has(member))
		return out;
	auto profiles = config->getObject(member);
	for (const auto &name : profiles->getNames()) {
		auto &p = out[name];
		auto props = profiles->getObject(name);
		for (const auto &k : props->getNames())
			p[k] = props->getValue<std::string>(k);
	}
	return out;
}

std::string describe(const FlatProfiles &m)
{
	std::string s;
	for (const auto &[name, props] : m) {
		s += "[" + name + "]";
		for (const auto &[k, v] : props)
			s += " " + k + "=" + jsonQuote(v);
		s += "; ";
	}
	return s;
}

ProfileSet parseBoth(const Poco::JSON::Object::Ptr &input)
{
	ProfileSet set;
	if (input->has("configFile"))
		set.mergeIn(parseIni(input->getValue<std::string>("configFile"), "config"), ProfileFileKind::Config);
	if (input->has("credentialsFile"))
		set.mergeIn(parseIni(input->getValue<std::string>("credentialsFile"), "credentials"),
			    ProfileFileKind::Credentials);
	return set;
}

} // namespace

BOOST_AUTO_TEST_CASE(profile_parser_suite_all_cases)
{
	auto root = object(loadJson(dataDir() + "/profile/profile-parser-tests.json"));
	auto tests = root->getArray("tests");
	BOOST_TEST(tests->size() == 65u);
	for (size_t i = 0; i < tests->size(); ++i) {
		auto t = tests->getObject(static_cast<unsigned>(i));
		std::string name = t->getValue<std::string>("name");
		BOOST_TEST_CONTEXT("case " << i << ": " << name)
		{
			auto input = t->getObject("input");
			auto output = t->getObject("output");
			if (output->has("errorContaining")) {
				std::string want = toLower(output->getValue<std::string>("errorContaining"));
				try {
					parseBoth(input);
					BOOST_ERROR("parsing succeeded, expected an error containing: " << want);
				} catch (const Error &e) {
					BOOST_TEST(e.kind() == ErrorKind::Config);
					std::string msg = e.what();
					BOOST_TEST(msg.find(want) != std::string::npos, msg);
					// Errors point at the file and line, e.g. "config:2: ...".
					BOOST_TEST((startsWith(msg, "config:") || startsWith(msg, "credentials:")), msg);
				}
				continue;
			}
			ProfileSet set = parseBoth(input);
			auto config = output->getObject("config");
			auto want = expected(config, "profiles");
			auto got = flatten(set.profiles());
			BOOST_TEST(got == want, "got " << describe(got) << " want " << describe(want));
			auto wantSso = expected(config, "sso_sessions");
			auto gotSso = flatten(set.ssoSessions());
			BOOST_TEST(gotSso == wantSso, "got " << describe(gotSso) << " want " << describe(wantSso));
		}
	}
}

BOOST_AUTO_TEST_CASE(parse_errors_name_path_and_line)
{
	try {
		parseIni("[profile a]\nx = 1\n\n= oops\n", "/h/.aws/config");
		BOOST_FAIL("no error");
	} catch (const Error &e) {
		BOOST_TEST(std::string(e.what()) == "/h/.aws/config:4: property did not have a name");
	}
	auto f = parseIni("# c\n[profile a]\nx = 1\ny =\n  k = v\n", "p");
	BOOST_REQUIRE(f.sections.size() == 1u);
	BOOST_TEST(f.sections[0].line == 2);
	BOOST_TEST(f.sections[0].properties[1].line == 4);
	BOOST_TEST(f.sections[0].properties[1].value == "\nk = v");
}

BOOST_AUTO_TEST_CASE(ignored_sections_are_reported_as_warnings)
{
	ProfileSet set;
	set.mergeIn(parseIni("[foo]\na = 1\n[profile ok]\n", "cfg"), ProfileFileKind::Config);
	BOOST_TEST(set.profiles().size() == 1u);
	BOOST_REQUIRE(set.warnings().size() == 1u);
	BOOST_TEST(set.warnings()[0].find("cfg:1:") == 0u);
}

BOOST_AUTO_TEST_CASE(file_location_suite_linux_cases)
{
	auto root = object(loadJson(dataDir() + "/profile/file-location-tests.json"));
	auto tests = root->getArray("tests");
	int ran = 0;
	for (size_t i = 0; i < tests->size(); ++i) {
		auto t = tests->getObject(static_cast<unsigned>(i));
		if (t->getValue<std::string>("platform") != "linux")
			continue;
		++ran;
		BOOST_TEST_CONTEXT(t->getValue<std::string>("name"))
		{
			MapEnvironment env = envFrom(t->getObject("environment"));
			std::optional<std::string> explicitProfile;
			auto loc = profileFileLocations(env);
			BOOST_TEST(loc.configPath == t->getValue<std::string>("configLocation"));
			BOOST_TEST(loc.credentialsPath == t->getValue<std::string>("credentialsLocation"));
			if (t->has("profile"))
				BOOST_TEST(selectProfile(env, explicitProfile).name == t->getValue<std::string>("profile"));
		}
	}
	BOOST_TEST(ran == 4);
}

BOOST_AUTO_TEST_CASE(home_tilde_is_expanded_in_file_overrides)
{
	MapEnvironment env;
	env.set("HOME", "/u");
	env.set("AWS_CONFIG_FILE", "~/cfg");
	env.set("AWS_SHARED_CREDENTIALS_FILE", "~/x/creds");
	auto loc = profileFileLocations(env);
	BOOST_TEST(loc.configPath == "/u/cfg");
	BOOST_TEST(loc.credentialsPath == "/u/x/creds");
	MapEnvironment none;
	BOOST_TEST(profileFileLocations(none).configPath.empty());
}

BOOST_AUTO_TEST_CASE(profile_selection_order)
{
	MapEnvironment env;
	BOOST_TEST(selectProfile(env, std::nullopt).name == "default");
	BOOST_TEST(!selectProfile(env, std::nullopt).chosen());
	env.set("AWS_PROFILE", "p");
	BOOST_TEST(selectProfile(env, std::nullopt).name == "p");
	BOOST_TEST(selectProfile(env, std::nullopt).location == "AWS_PROFILE");
	env.set("AWS_DEFAULT_PROFILE", "d"); // the AWS CLI v2 reads AWS_PROFILE first
	BOOST_TEST(selectProfile(env, std::nullopt).name == "p");
	auto s = selectProfile(env, std::string("x"));
	BOOST_TEST(s.name == "x");
	BOOST_TEST(s.type == "manual");
	BOOST_TEST(s.location == "--profile");
	env.set("AWS_PROFILE", " ");
	BOOST_TEST(selectProfile(env, std::nullopt).name == "d");
	BOOST_TEST(selectProfile(env, std::nullopt).location == "AWS_DEFAULT_PROFILE");
}

BOOST_AUTO_TEST_CASE(shared_config_merges_both_files_credentials_win)
{
	MapEnvironment env;
	env.set("HOME", "/h");
	MapFileSystem fs;
	fs.write("/h/.aws/config", "[default]\nregion = eu-west-1\naws_access_key_id = fromconfig\n");
	fs.write("/h/.aws/credentials", "[default]\naws_access_key_id = fromcreds\n");
	auto c = SharedConfig::load(env, fs, std::nullopt);
	BOOST_TEST(c.get("region").value() == "eu-west-1");
	BOOST_TEST(c.get("AWS_ACCESS_KEY_ID").value() == "fromcreds");
	BOOST_TEST(c.find("aws_access_key_id")->path == "/h/.aws/credentials");
	BOOST_TEST(c.find("region")->line == 2);
	BOOST_TEST(!c.get("nothing"));
}

BOOST_AUTO_TEST_CASE(configure_get_follows_botocore)
{
	MapEnvironment env;
	env.set("HOME", "/h");
	MapFileSystem fs;
	fs.write("/h/.aws/config", "[default]\nregion = eu-west-1\ns3 =\n  max_concurrent_requests = 20\n"
				   "[profile prod]\nregion = us-east-2\n");
	fs.write("/h/.aws/credentials", "[default]\naws_access_key_id = AKIDDEFAULT\n");
	auto def = SharedConfig::load(env, fs, std::nullopt);
	BOOST_TEST(configureGet(def, "region").value() == "eu-west-1");
	BOOST_TEST(configureGet(def, "aws_access_key_id").value() == "AKIDDEFAULT");
	BOOST_TEST(configureGet(def, "prod.region").value() == "us-east-2");
	BOOST_TEST(configureGet(def, "profile.prod.region").value() == "us-east-2");
	BOOST_TEST(configureGet(def, "default.region").value() == "eu-west-1");
	BOOST_TEST(configureGet(def, "s3.max_concurrent_requests").value() == "20");
	BOOST_TEST(!configureGet(def, "output"));
	BOOST_TEST(!configureGet(def, "profile.nope.region"));
	auto prod = SharedConfig::load(env, fs, std::string("prod"));
	BOOST_TEST(configureGet(prod, "region").value() == "us-east-2");
	BOOST_TEST(!configureGet(prod, "aws_access_key_id"));
}

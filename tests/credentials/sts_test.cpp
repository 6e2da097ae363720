// STS for the credential chain: the AWS CLI's cache key, the XML answers, the
// endpoint rules, assume role through profiles (chains, cycles, MFA, the role
// cache) and the one-resolution-per-run promise under many threads.
#include <boost/test/unit_test.hpp>

#include "credentials/sts_client.h"
#include "credentials/xml_reader.h"
#include "mwaatok/time.h"
#include "mwaatok/profile_file.h"
#include "mwaatok/url.h"
#include "test_support.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>

using namespace mwaatok;
using namespace mwaatok::test;
using namespace std::chrono_literals;

namespace {

/// An STS that hands out fresh credentials (valid one hour from the clock) for
/// every AssumeRole and counts the calls; slow enough for threads to collide.
class CountingSts final : public HttpTransport {
public:
	explicit CountingSts(Clock &clock) : clock_(clock) {}

	HttpResponse send(const HttpRequest &request) override
	{
		if (request.url.find("169.254.169.254") != std::string::npos)
			return imds(request);
		int n = ++calls;
		{
			std::lock_guard lock(mutex_);
			bodies.push_back(request.body);
			authorizations.push_back(findHeader(request.headers, "Authorization").value_or(""));
		}
		std::this_thread::sleep_for(2ms);
		HttpResponse r;
		r.status = 200;
		std::string exp = time::formatRfc3339(clock_.now() + 1h);
		std::string op = answerWebIdentity && request.body.rfind("Action=AssumeRoleWithWebIdentity", 0) == 0
					 ? "AssumeRoleWithWebIdentity"
					 : "AssumeRole";
		r.body = "<" + op + "Response><" + op + "Result><AssumedRoleUser><Arn>arn:aws:sts::210987654321:assumed-role/r/s"
			 "</Arn></AssumedRoleUser><Credentials><AccessKeyId>ASIA" + std::to_string(n) +
			 "</AccessKeyId><SecretAccessKey>secret" + std::to_string(n) +
			 "</SecretAccessKey><SessionToken>token" + std::to_string(n) + "</SessionToken><Expiration>" + exp +
			 "</Expiration></Credentials></" + op + "Result></" + op + "Response>";
		return r;
	}

	// Enough of EC2 instance metadata for credential_source = Ec2InstanceMetadata.
	HttpResponse imds(const HttpRequest &request)
	{
		HttpResponse r;
		r.status = 200;
		if (request.method == "PUT")
			r.body = "imds-token";
		else if (request.url.back() == '/')
			r.body = "instance-role";
		else
			r.body = "{\"Code\": \"Success\", \"AccessKeyId\": \"ASIAIMDS\", \"SecretAccessKey\": \"imds\", "
				 "\"Token\": \"t\", \"Expiration\": \"" + time::formatRfc3339(clock_.now() + 6h) + "\"}";
		return r;
	}

	bool answerWebIdentity = false;

	std::atomic<int> calls{0};
	std::vector<std::string> bodies;
	std::vector<std::string> authorizations;

private:
	Clock &clock_;
	std::mutex mutex_;
};

class CountingMfa final : public MfaPrompt {
public:
	std::optional<std::string> ask(const std::string &serial) override
	{
		++asked;
		lastSerial = serial;
		return answer;
	}
	std::atomic<int> asked{0};
	std::string lastSerial;
	std::optional<std::string> answer = std::string("123456");
};

/// Seams with a counting STS instead of the replay transport.
struct StsSeams {
	MapEnvironment env;
	MapFileSystem fs;
	FixedClock clock = FixedClock::fromSeconds(1800000000);
	CountingSts sts{clock};
	NoProcesses processes;
	std::unique_ptr<RoleCache> roles = makeMemoryRoleCache();
	CountingMfa mfa;

	StsSeams()
	{
		env.set("HOME", "/home");
		fs.write("/home/.aws/credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = basesecret\n");
	}

	void config(const std::string &text) { fs.write("/home/.aws/config", text); }

	ProviderContext context() { return ProviderContext{env, fs, sts, clock, processes, {}, roles.get(), &mfa}; }

	Credentials resolve(const std::string &profile)
	{
		ChainOptions o;
		o.profile = profile;
		return makeDefaultChain(context(), o)->resolveOrThrow();
	}
};

} // namespace

BOOST_AUTO_TEST_CASE(cache_key_is_the_aws_clis)
{
	// Expected names computed with Python's json.dumps(args, sort_keys=True) and hashlib.sha1.
	detail::AssumeRoleParams p;
	p.roleArn = "arn:aws:iam::123456789012:role/r";
	p.sessionName = "mwaatok-session-1";
	p.sessionNameGenerated = true;
	BOOST_TEST(detail::assumeRoleCacheKey(p) == "6dc9e6e1e186b9f293814df3266de783142c48a2");
	p.durationSeconds = 1800;
	p.externalId = "x";
	BOOST_TEST(detail::assumeRoleCacheKey(p) == "eaaf9ac2f6b840bb47667e4e7ec0286c5ff8f606");
	p.durationSeconds.reset();
	p.sessionName = "s";
	p.sessionNameGenerated = false;
	p.serialNumber = "arn:aws:iam::123456789012:mfa/u";
	p.externalId = "caf\xc3\xa9 \"q\" \xf0\x9f\x98\x80";
	BOOST_TEST(detail::assumeRoleCacheKey(p) == "fec2b60bf3cbbbb5cc6abc9586ceb4dda2708a17");
}

BOOST_AUTO_TEST_CASE(xml_reader_is_strict)
{
	auto doc = detail::parseXml("<?xml version=\"1.0\"?>\n<a xmlns=\"x\"><!-- c --><b k='v'>1 &amp; &lt;2&gt; &#65;&#x42;</b>"
				    "<c/><sts:d>t</sts:d></a>\n");
	BOOST_REQUIRE(doc.has_value());
	BOOST_TEST(doc->textAt({"b"}) == "1 & <2> AB");
	BOOST_TEST(doc->textAt({"d"}) == "t");
	BOOST_TEST(doc->child("c") != nullptr);
	BOOST_TEST(doc->textAt({"missing", "x"}) == "");
	for (const char *bad : {"<a><b></a></b>", "<a>", "<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>", "<a>&e;</a>",
				"<a><![CDATA[x]]></a>", "<a></a><b></b>", "", "<a>&#0;</a>"})
		BOOST_TEST(!detail::parseXml(bad).has_value(), bad);
	std::string deep;
	for (int i = 0; i < 100; ++i)
		deep += "<a>";
	BOOST_TEST(!detail::parseXml(deep).has_value());
}

BOOST_AUTO_TEST_CASE(sts_endpoint_rules)
{
	struct Case {
		std::vector<std::pair<std::string, std::string>> env;
		std::string profileLines;
		std::string url;
		std::string region;
	};
	const Case cases[] = {
		{{}, "", "https://sts.amazonaws.com/", "us-east-1"},
		{{{"AWS_REGION", "eu-west-1"}}, "", "https://sts.eu-west-1.amazonaws.com/", "eu-west-1"},
		{{{"AWS_DEFAULT_REGION", "ap-south-2"}}, "", "https://sts.ap-south-2.amazonaws.com/", "ap-south-2"},
		{{}, "region = eu-central-1\n", "https://sts.eu-central-1.amazonaws.com/", "eu-central-1"},
		{{}, "region = eu-west-1\nsts_regional_endpoints = legacy\n", "https://sts.amazonaws.com/", "us-east-1"},
		{{}, "region = eu-south-1\nsts_regional_endpoints = legacy\n", "https://sts.eu-south-1.amazonaws.com/", "eu-south-1"},
		{{{"AWS_STS_REGIONAL_ENDPOINTS", "regional"}}, "region = us-east-1\nsts_regional_endpoints = legacy\n",
		 "https://sts.us-east-1.amazonaws.com/", "us-east-1"},
		{{}, "region = us-east-1\nuse_fips_endpoint = true\n", "https://sts-fips.us-east-1.amazonaws.com/", "us-east-1"},
		{{{"AWS_USE_DUALSTACK_ENDPOINT", "true"}}, "region = us-west-2\n", "https://sts.us-west-2.api.aws/", "us-west-2"},
		{{{"AWS_USE_FIPS_ENDPOINT", "false"}}, "region = us-east-1\nuse_fips_endpoint = true\n",
		 "https://sts.us-east-1.amazonaws.com/", "us-east-1"},
		{{}, "region = cn-north-1\n", "https://sts.cn-north-1.amazonaws.com.cn/", "cn-north-1"},
		{{{"AWS_ENDPOINT_URL", "http://global.test"}, {"AWS_ENDPOINT_URL_STS", "http://sts.test:81"}},
		 "region = eu-west-1\nservices = s\nendpoint_url = http://profile.test\n", "http://sts.test:81/", "eu-west-1"},
		{{{"AWS_ENDPOINT_URL", "http://global.test"}}, "region = eu-west-1\nservices = s\n", "http://services.test/",
		 "eu-west-1"},
		{{{"AWS_ENDPOINT_URL", "http://global.test"}}, "region = eu-west-1\n", "http://global.test/", "eu-west-1"},
		{{}, "region = eu-west-1\nendpoint_url = http://profile.test\n", "http://profile.test/", "eu-west-1"},
		{{{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}, {"AWS_ENDPOINT_URL_STS", "http://sts.test"}},
		 "region = eu-west-1\n", "https://sts.eu-west-1.amazonaws.com/", "eu-west-1"},
	};
	for (const auto &c : cases) {
		MapEnvironment env;
		env.set("HOME", "/home");
		for (const auto &[k, v] : c.env)
			env.set(k, v);
		MapFileSystem fs;
		fs.write("/home/.aws/config", "[default]\n" + c.profileLines +
						      "[services s]\nsts =\n  endpoint_url = http://services.test\n");
		auto e = detail::stsEndpoint(env, SharedConfig::load(env, fs, std::nullopt));
		BOOST_TEST(e.url.toString() == c.url, c.profileLines);
		BOOST_TEST(e.signingRegion == c.region, c.profileLines);
	}
	MapEnvironment env;
	env.set("AWS_REGION", "us-east-1.evil.example/");
	MapFileSystem fs;
	BOOST_CHECK_THROW(detail::stsEndpoint(env, SharedConfig::load(env, fs, std::nullopt)), Error);
}

BOOST_AUTO_TEST_CASE(cached_answers_in_every_writers_format)
{
	const std::string user = ", \"AssumedRoleUser\": {\"Arn\": \"arn:aws:sts::111122223333:assumed-role/r/s\"}}";
	for (const char *exp : {"2030-01-02T03:04:05Z", "2030-01-02T03:04:05+00:00", "2030-01-02T03:04:05UTC"}) {
		auto c = detail::credentialsFromCache(std::string("{\"Credentials\": {\"AccessKeyId\": \"ASIA\", \"SecretAccessKey\": "
								  "\"s\", \"SessionToken\": \"t\", \"Expiration\": \"") +
						      exp + "\"}" + user);
		BOOST_REQUIRE(c.has_value());
		BOOST_TEST(epochSeconds(*c->expiration) == 1893553445);
		BOOST_TEST(c->accountId == "111122223333");
	}
	for (const char *bad : {"", "{not json", "[]", "{\"Credentials\": 1}", "{\"Credentials\": {\"AccessKeyId\": \"A\"}}",
				"{\"Credentials\": {\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\", \"Expiration\": \"soon\"}}"})
		BOOST_TEST(!detail::credentialsFromCache(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(assume_role_from_source_profile_and_self)
{
	StsSeams s;
	s.config("[profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\nrole_session_name = me\n"
		 "external_id = ext\nduration_seconds = 1800\nregion = eu-west-1\n"
		 "[profile self]\nrole_arn = arn:aws:iam::1:role/self\nsource_profile = self\n"
		 "aws_access_key_id = AKIDSELF\naws_secret_access_key = selfsecret\n");
	auto c = s.resolve("role");
	BOOST_TEST(c.accessKeyId == "ASIA1");
	BOOST_TEST(c.accountId == "210987654321");
	BOOST_TEST(c.source == "assume-role");
	BOOST_TEST(s.sts.bodies[0] == "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr"
				      "&RoleSessionName=me&DurationSeconds=1800&ExternalId=ext");
	BOOST_TEST(contains(s.sts.authorizations[0], "Credential=AKIDBASE/"));
	BOOST_TEST(contains(s.sts.authorizations[0], "/eu-west-1/sts/aws4_request"));
	// A profile that is its own source signs with its own keys.
	auto self = s.resolve("self");
	BOOST_TEST(self.accessKeyId == "ASIA2");
	BOOST_TEST(contains(s.sts.authorizations[1], "Credential=AKIDSELF/"));
	// Both answers are cached: no more calls.
	s.resolve("role");
	s.resolve("self");
	BOOST_TEST(s.sts.calls.load() == 2);
}

BOOST_AUTO_TEST_CASE(assume_role_configuration_errors)
{
	StsSeams s;
	s.config("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
		 "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = c\n"
		 "[profile c]\nrole_arn = arn:aws:iam::1:role/c\nsource_profile = a\n"
		 "[profile both]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\ncredential_source = Environment\n"
		 "[profile none]\nrole_arn = arn:aws:iam::1:role/x\n"
		 "[profile bad-source]\nrole_arn = arn:aws:iam::1:role/x\ncredential_source = Laptop\n"
		 "[profile missing]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = nowhere\n"
		 "[profile duration]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\nduration_seconds = 1h\n"
		 "[profile selfless]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = selfless\n");
	std::string e = errorOf([&] { s.resolve("a"); });
	BOOST_TEST(contains(e, "profiles `a` -> `b` -> `c` -> `a` form a source_profile cycle (profile `c` (/home/.aws/config:9))"), e);
	BOOST_TEST(contains(errorOf([&] { s.resolve("both"); }), "sets both source_profile and credential_source"));
	BOOST_TEST(contains(errorOf([&] { s.resolve("none"); }), "neither source_profile nor credential_source"));
	BOOST_TEST(contains(errorOf([&] { s.resolve("bad-source"); }), "credential_source `Laptop` is not one of"));
	BOOST_TEST(contains(errorOf([&] { s.resolve("missing"); }), "source_profile `nowhere` is not defined"));
	BOOST_TEST(contains(errorOf([&] { s.resolve("duration"); }), "duration_seconds `1h` is not a number"));
	BOOST_TEST(contains(errorOf([&] { s.resolve("selfless"); }), "names itself as source_profile but has no aws_access_key_id"));
	BOOST_TEST(s.sts.calls.load() == 0);
}

BOOST_AUTO_TEST_CASE(mfa_is_asked_once_and_never_printed)
{
	StsSeams s;
	s.config("[profile mfa]\nrole_arn = arn:aws:iam::1:role/m\nsource_profile = base\nmfa_serial = arn:aws:iam::1:mfa/u\n"
		 "[profile mfa2]\nrole_arn = arn:aws:iam::1:role/m\nsource_profile = base\nmfa_serial = arn:aws:iam::1:mfa/u\n");
	// Two AWS profiles that assume the same role in one batch, from many threads.
	CredentialsCache cache(s.clock, [&](const std::optional<std::string> &profile) {
		ChainOptions o;
		o.profile = profile;
		return makeDefaultChain(s.context(), o);
	});
	std::vector<std::thread> threads;
	for (int i = 0; i < 16; ++i)
		threads.emplace_back([&, i] { cache.get(std::string(i % 2 ? "mfa" : "mfa2")); });
	for (auto &t : threads)
		t.join();
	BOOST_TEST(s.mfa.asked.load() == 1);
	BOOST_TEST(s.mfa.lastSerial == "arn:aws:iam::1:mfa/u");
	BOOST_TEST(s.sts.calls.load() == 1);
	BOOST_TEST(contains(s.sts.bodies[0], "&SerialNumber=arn%3Aaws%3Aiam%3A%3A1%3Amfa%2Fu&TokenCode=123456"));

	StsSeams quiet;
	quiet.config("[profile mfa]\nrole_arn = arn:aws:iam::1:role/m\nsource_profile = base\nmfa_serial = arn:aws:iam::1:mfa/u\n");
	quiet.mfa.answer.reset(); // no terminal
	std::string e = errorOf([&] { quiet.resolve("mfa"); });
	BOOST_TEST(contains(e, "needs an MFA code for arn:aws:iam::1:mfa/u and there is no terminal"), e);
	BOOST_TEST(quiet.sts.calls.load() == 0);
}

BOOST_AUTO_TEST_CASE(a_thousand_environments_share_one_assume_role)
{
	StsSeams s;
	s.config("[profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n");
	CredentialsCache cache(s.clock, [&](const std::optional<std::string> &profile) {
		ChainOptions o;
		o.profile = profile;
		return makeDefaultChain(s.context(), o);
	});
	std::atomic<int> ok{0};
	std::vector<std::thread> threads;
	for (int t = 0; t < 20; ++t)
		threads.emplace_back([&] {
			for (int i = 0; i < 50; ++i)
				if (cache.get(std::string("role")).accessKeyId == "ASIA1")
					++ok;
		});
	for (auto &t : threads)
		t.join();
	BOOST_TEST(ok.load() == 1000);
	BOOST_TEST(s.sts.calls.load() == 1);
	BOOST_TEST(cache.resolutions() == 1);
}

BOOST_AUTO_TEST_CASE(role_cache_window_is_fifteen_minutes)
{
	StsSeams s;
	s.config("[profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n");
	detail::AssumeRoleParams p;
	p.roleArn = "arn:aws:iam::1:role/r";
	p.sessionNameGenerated = true;
	auto cached = [&](std::chrono::minutes left) {
		return "{\"Credentials\": {\"AccessKeyId\": \"ASIACACHED\", \"SecretAccessKey\": \"s\", \"SessionToken\": \"t\", "
		       "\"Expiration\": \"" + time::formatRfc3339(s.clock.now() + left) + "\"}}";
	};
	s.roles->store(detail::assumeRoleCacheKey(p), cached(16min));
	BOOST_TEST(s.resolve("role").accessKeyId == "ASIACACHED");
	BOOST_TEST(s.sts.calls.load() == 0);
	s.roles->store(detail::assumeRoleCacheKey(p), cached(14min));
	BOOST_TEST(s.resolve("role").accessKeyId == "ASIA1");
	s.roles->store(detail::assumeRoleCacheKey(p), "{corrupt");
	BOOST_TEST(s.resolve("role").accessKeyId == "ASIA2");
	BOOST_TEST(contains(*s.roles->load(detail::assumeRoleCacheKey(p)), "\"AccessKeyId\": \"ASIA2\""));
}

BOOST_AUTO_TEST_CASE(file_role_cache_writes_atomically_with_mode_0600)
{
	char tmpl[] = "/tmp/mwaatok-role-cache-XXXXXX";
	BOOST_REQUIRE(mkdtemp(tmpl) != nullptr);
	const std::string dir = std::string(tmpl) + "/cli/cache";
	std::vector<std::string> warnings;
	SystemFileSystem real;
	{
		auto cache = makeFileRoleCache(real, dir, [&](const std::string &w) { warnings.push_back(w); });
		BOOST_TEST(!cache->load("k").has_value());
		cache->store("k", "{\"a\": 1}");
	}
	struct stat st {};
	BOOST_REQUIRE(stat((dir + "/k.json").c_str(), &st) == 0);
	BOOST_TEST((st.st_mode & 0777) == 0600u);
	BOOST_REQUIRE(stat(dir.c_str(), &st) == 0);
	BOOST_TEST((st.st_mode & 0777) == 0700u);
	auto fresh = makeFileRoleCache(real, dir);
	BOOST_TEST(fresh->load("k").value_or("") == "{\"a\": 1}");
	BOOST_TEST(warnings.empty());
	std::system(("rm -rf " + std::string(tmpl)).c_str());

	// A cache that cannot be written warns and still serves the run from memory.
	auto broken = makeFileRoleCache(real, "/proc/no-such-dir/cache", [&](const std::string &w) { warnings.push_back(w); });
	broken->store("k", "{}");
	BOOST_TEST(broken->load("k").value_or("") == "{}");
	BOOST_REQUIRE(warnings.size() == 1u);
	BOOST_TEST(contains(warnings[0], "the AWS CLI's credential cache was not written: cannot write "
				    "/proc/no-such-dir/cache/k.json: cannot create /proc/no-such-dir"),
		   warnings[0]);
}

BOOST_AUTO_TEST_CASE(web_identity_reads_the_token_at_each_resolution)
{
	StsSeams s;
	s.env.set("AWS_WEB_IDENTITY_TOKEN_FILE", "/token");
	s.env.set("AWS_ROLE_ARN", "arn:aws:iam::1:role/w");
	s.fs.write("/token", "first\n");
	auto provider = makeWebIdentityProvider(s.context());
	std::string why;
	// The counting STS answers with an AssumeRole document: the wrong kind for this call.
	BOOST_TEST(contains(errorOf([&] { provider->resolve(why); }), "is not an AssumeRoleWithWebIdentity response"));
	BOOST_TEST(contains(s.sts.bodies[0], "&WebIdentityToken=first"));
	BOOST_TEST(s.sts.authorizations[0].empty()); // unsigned
	s.fs.write("/token", "second");
	errorOf([&] { provider->resolve(why); });
	BOOST_TEST(contains(s.sts.bodies[1], "&WebIdentityToken=second"));

	s.env.set("AWS_ROLE_ARN", "");
	BOOST_TEST(contains(errorOf([&] { provider->resolve(why); }), "AWS_ROLE_ARN is not"));
	ChainOptions named;
	named.profile = "base"; // --profile turns the variables off
	BOOST_TEST(!makeWebIdentityProvider(s.context(), named)->resolve(why).has_value());
}

BOOST_AUTO_TEST_CASE(assume_role_profile_chain_vectors)
{
	// smithy-rs's profile chain cases: which base credentials, then which roles, in order.
	auto cases = loadJson(dataDir() + "/profile/assume-role-tests.json").extract<Poco::JSON::Array::Ptr>();
	BOOST_TEST(cases->size() == 28u);
	int ran = 0;
	for (size_t i = 0; i < cases->size(); ++i) {
		auto t = cases->getObject(static_cast<unsigned>(i));
		const std::string docs = t->getValue<std::string>("docs");
		BOOST_TEST_CONTEXT("case " << i << ": " << docs)
		{
			auto input = t->getObject("input");
			if (docs.find("SSO") != std::string::npos || input->has("sso_sessions"))
				continue; // IAM Identity Center: the sso provider's cases
			++ran;
			StsSeams s;
			s.sts.answerWebIdentity = true;
			s.fs.write("/var/token.jwt", "jwt");
			std::string config;
			auto profiles = input->getObject("profiles");
			for (const auto &name : profiles->getNames()) {
				config += "[profile " + name + "]\n";
				auto props = profiles->getObject(name);
				for (const auto &k : props->getNames())
					config += k + " = " + props->getValue<std::string>(k) + "\n";
			}
			s.config(config);
			s.fs.write("/home/.aws/credentials", "");
			ChainOptions o;
			o.profile = input->getValue<std::string>("selected_profile");
			ProviderChain chain; // the profile part of the default chain
			chain.add(makeAssumeRoleProvider(s.context(), o));
			chain.add(makeWebIdentityProvider(s.context(), o));
			chain.add(makeSsoProvider(s.context(), o));
			chain.add(makeProfileProvider(s.context(), o));
			auto output = t->getObject("output");
			if (output->has("Error")) {
				BOOST_CHECK_THROW(chain.resolveOrThrow(), Error);
				BOOST_TEST(s.sts.calls.load() == 0);
				continue;
			}
			Credentials c = chain.resolveOrThrow();
			auto steps = output->getArray("ProfileChain");
			BOOST_TEST_REQUIRE(s.sts.calls.load() == static_cast<int>(steps->size()) - (steps->getObject(0)->has("WebIdentityToken") ? 0 : 1));
			size_t call = 0;
			for (size_t k = 0; k < steps->size(); ++k) {
				auto step = steps->getObject(static_cast<unsigned>(k));
				if (step->has("AccessKey")) {
					std::string key = step->getObject("AccessKey")->getValue<std::string>("access_key_id");
					BOOST_TEST(contains(s.sts.authorizations[0], "Credential=" + key + "/"), s.sts.authorizations[0]);
				} else if (step->has("NamedSource")) {
					BOOST_TEST(contains(s.sts.authorizations[0], "Credential=ASIAIMDS/"), s.sts.authorizations[0]);
				} else {
					bool web = step->has("WebIdentityToken");
					auto role = step->getObject(web ? "WebIdentityToken" : "AssumeRole");
					const std::string &body = s.sts.bodies.at(call);
					BOOST_TEST(body.rfind(web ? "Action=AssumeRoleWithWebIdentity&" : "Action=AssumeRole&", 0) == 0u, body);
					BOOST_TEST(contains(body, "&RoleArn=" + uriEncode(role->getValue<std::string>("role_arn")) + "&"), body);
					if (role->has("role_session_name"))
						BOOST_TEST(contains(body, "&RoleSessionName=" + role->getValue<std::string>("role_session_name")), body);
					if (role->has("external_id"))
						BOOST_TEST(contains(body, "&ExternalId=" + role->getValue<std::string>("external_id")), body);
					if (web)
						BOOST_TEST(s.sts.authorizations.at(call).empty());
					else if (call > 0) // a chain: signed with the previous role's credentials
						BOOST_TEST(contains(s.sts.authorizations.at(call), "Credential=ASIA" + std::to_string(call) + "/"));
					++call;
				}
			}
			BOOST_TEST(c.accessKeyId == "ASIA" + std::to_string(call));
		}
	}
	BOOST_TEST(ran == 22);
}

BOOST_AUTO_TEST_CASE(sts_errors_name_the_profile_and_the_cause)
{
	Seams s;
	s.fs.write("/home/.aws/config", "[profile role]\nregion = eu-west-1\nrole_arn = arn:aws:iam::1:role/r\n"
					 "source_profile = base\n[profile base]\naws_access_key_id = AKIDBASE\n"
					 "aws_secret_access_key = basesecret\naws_session_token = oldtoken\n");
	const std::string url = "https://sts.eu-west-1.amazonaws.com/";
	s.http.expect("POST", url, 403,
		      "<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token "
		      "included in the request is expired</Message></Error><RequestId>r</RequestId></ErrorResponse>");
	ChainOptions o;
	o.profile = "role";
	std::string e = errorOf([&] { makeDefaultChain(s.context(), o)->resolveOrThrow(); });
	BOOST_TEST(e == "profile `role` (/home/.aws/config:3): sts AssumeRole failed: ExpiredToken: The security token "
			"included in the request is expired: the source credentials have expired; refresh them",
		   e);
	BOOST_TEST(!contains(e, "basesecret"));
	BOOST_TEST(!contains(e, "oldtoken"));

	s.http.expect("POST", url, 200, "<html>not sts</html>");
	e = errorOf([&] { makeDefaultChain(s.context(), o)->resolveOrThrow(); });
	BOOST_TEST(contains(e, "profile `role` (/home/.aws/config:3): sts AssumeRole answered with something that is not"), e);
	BOOST_TEST(s.http.remaining() == 0u);
}

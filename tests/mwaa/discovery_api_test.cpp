// ListEnvironments pagination, discovery over scopes, and the YAML profile it
// writes (read back with the profile loader), over a scripted transport.
#include <boost/test/unit_test.hpp>

#include "mwaatok/environment_profile.h"
#include "mwaatok/error.h"
#include "mwaatok/list_environments.h"
#include "mwaatok/mwaa_client.h"
#include "fakes.h"
#include "scripted_transport.h"

using namespace mwaatok;
using namespace mwaatok::test;

namespace {

const std::vector<std::string> kPlugins = { "print", "file", "exec", "browser" };

struct Rig {
	explicit Rig(ScriptedTransport::Handler handler, const std::string &region = "us-east-1")
		: transport(std::move(handler))
	{
		MwaaEndpointConfig e;
		e.region = region;
		client = std::make_unique<MwaaClient>(aws, e, CallOptions{});
	}
	ScriptedTransport transport;
	FixedClock clock = FixedClock::fromSeconds(1700000000);
	AwsClient aws{ transport, clock, [] { return Credentials{ "AKID", "SECRET", "", {}, "", "test" }; } };
	std::unique_ptr<MwaaClient> client;
};

/// The (name, region, profile) triples a profile resolves to, in file order.
std::vector<std::string> resolved(const EnvironmentProfile &p)
{
	std::vector<std::string> out;
	for (const auto &r : listEnvironments(p, {}))
		out.push_back(r.alias + "=" + r.name + "@" + r.region.value.value_or("") + "/" +
			      r.awsProfile.value.value_or(""));
	return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(discovery)

BOOST_AUTO_TEST_CASE(follows_next_token_to_the_last_page)
{
	Rig rig([](const HttpRequest &req, size_t i) {
		if (i == 0)
			return jsonResponse(200, "{\"Environments\": [\"a\", \"b\"], \"NextToken\": \"t/1+=\"}");
		if (req.url.find("NextToken=t%2F1%2B%3D") != std::string::npos)
			return jsonResponse(200, "{\"Environments\": [\"c\"], \"NextToken\": \"t2\"}");
		return jsonResponse(200, "{\"Environments\": []}");
	});
	auto names = listAllEnvironments(*rig.client, 2);
	BOOST_TEST(names == (std::vector<std::string>{ "a", "b", "c" }), boost::test_tools::per_element());
	auto sent = rig.transport.requests();
	BOOST_REQUIRE(sent.size() == 3u);
	BOOST_TEST(sent[0].method == "GET");
	BOOST_TEST(sent[0].url == "https://api.airflow.us-east-1.amazonaws.com/environments?MaxResults=2");
	BOOST_TEST(sent[1].url == "https://api.airflow.us-east-1.amazonaws.com/environments?MaxResults=2&NextToken=t%2F1%2B%3D");
	BOOST_TEST(sent[2].url.find("NextToken=t2") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_repeated_token_or_a_bad_answer_stops_with_an_error)
{
	Rig loop([](const HttpRequest &, size_t) { return jsonResponse(200, "{\"Environments\": [\"a\"], \"NextToken\": \"same\"}"); });
	BOOST_CHECK_EXCEPTION(listAllEnvironments(*loop.client), Error,
			      [](const Error &e) { return std::string(e.what()).find("repeated a NextToken") != std::string::npos; });
	BOOST_TEST(loop.transport.requests().size() == 2u);

	Rig bad([](const HttpRequest &, size_t) { return jsonResponse(200, "{\"Environments\": [\"ok\", \"no good\"]}"); });
	BOOST_CHECK_THROW(listAllEnvironments(*bad.client), Error);
	Rig none([](const HttpRequest &, size_t) { return jsonResponse(200, "{}"); });
	BOOST_CHECK_THROW(listAllEnvironments(*none.client), Error);
	BOOST_CHECK_THROW(none.client->listEnvironments("", 26), Error);
	BOOST_CHECK_THROW(none.client->listEnvironments("", 0), Error);
}

BOOST_AUTO_TEST_CASE(access_denied_names_the_iam_action)
{
	Rig rig([](const HttpRequest &, size_t) {
		return jsonResponse(403, "{\"Message\": \"denied\"}", { { "X-Amzn-ErrorType", "AccessDeniedException" } });
	});
	BOOST_CHECK_EXCEPTION(listAllEnvironments(*rig.client), ServiceError, [](const ServiceError &e) {
		return std::string(e.what()) == "ListEnvironments: AccessDeniedException: denied; the caller needs "
						"airflow:ListEnvironments (resource \"*\")";
	});
}

BOOST_AUTO_TEST_CASE(discovery_goes_on_past_a_failing_scope_and_keeps_each_environment_once)
{
	std::vector<DiscoveryScope> scopes = { { "", "us-east-1" }, { "prod", "eu-west-1" }, { "broken", "us-east-1" },
					       { "other", "us-east-1" } };
	auto d = discoverEnvironments(scopes, [](const DiscoveryScope &s) -> std::vector<std::string> {
		if (s.awsProfile == "broken")
			throw Error(ErrorKind::Credentials, "no credentials in profile broken");
		if (s.region == "eu-west-1")
			return { "prod" };
		return { "dev", "stage" };
	});
	BOOST_REQUIRE(d.environments.size() == 3u);
	BOOST_TEST(d.environments[0].name == "dev");
	BOOST_TEST(d.environments[0].awsProfile == "");
	BOOST_TEST(d.environments[2].name == "prod");
	BOOST_TEST(d.environments[2].region == "eu-west-1");
	BOOST_TEST(d.environments[2].awsProfile == "prod");
	BOOST_REQUIRE(d.failures.size() == 1u);
	BOOST_TEST(d.failures[0] == "profile broken, region us-east-1: no credentials in profile broken");
}

BOOST_AUTO_TEST_CASE(the_yaml_loads_back_to_the_same_environments)
{
	std::vector<DiscoveredEnvironment> found = { { "prod", "us-east-1", "" },
						     { "prod", "eu-west-1", "eu-admin" },
						     { "on", "us-east-1", "" }, // YAML 1.1 would read a bare on as true
						     { "prod-eu-west-1", "us-west-2", "" },
						     { "x", "eu-west-1", "p" },
						     { "x", "eu-west-1", "q" } };
	std::string yaml = formatDiscoveredProfile(found);
	auto profile = parseProfile(yaml, "discovered.yaml", kPlugins);
	BOOST_TEST(checkProfileText(yaml, "discovered.yaml", kPlugins).empty());
	BOOST_TEST(resolved(profile) == (std::vector<std::string>{ "prod=prod@us-east-1/", "prod-eu-west-1=prod@eu-west-1/eu-admin",
								    "on=on@us-east-1/", "prod-eu-west-1-us-west-2=prod-eu-west-1@us-west-2/",
								    "x=x@eu-west-1/p", "x-eu-west-1=x@eu-west-1/q" }),
		   boost::test_tools::per_element());
	// Nothing found is still a valid profile.
	BOOST_TEST(parseProfile(formatDiscoveredProfile({}), "empty.yaml", kPlugins).environments.empty());
}

BOOST_AUTO_TEST_CASE(merging_keeps_aliases_tags_and_outputs)
{
	const std::string existing = "defaults:\n"
				     "  region: us-east-1\n"
				     "  outputs: [print]\n"
				     "  jobs: 8\n"
				     "environments:\n"
				     "  main:\n"
				     "    name: prod\n"
				     "    tags: [prod, us]\n"
				     "    airflow_version: 3\n"
				     "  europe:\n"
				     "    name: prod\n"
				     "    region: eu-west-1\n"
				     "    aws_profile: eu-admin\n"
				     "  gone:\n"
				     "    name: old-env\n"
				     "outputs:\n"
				     "  file: {path: ~/links.html, format: html}\n";
	auto before = parseProfile(existing, "config.yaml", kPlugins);
	std::vector<DiscoveredEnvironment> found = { { "prod", "us-east-1", "" },
						     { "prod", "eu-west-1", "eu-admin" },
						     { "main", "us-west-2", "" } };
	std::string yaml = formatDiscoveredProfile(found, &before);
	auto after = parseProfile(yaml, "merged.yaml", kPlugins);
	BOOST_TEST(resolved(after) == (std::vector<std::string>{ "main=prod@us-east-1/", "europe=prod@eu-west-1/eu-admin",
								  "main-us-west-2=main@us-west-2/", "gone=old-env@us-east-1/" }),
		   boost::test_tools::per_element());
	BOOST_TEST(after.find("main")->tags == (std::vector<std::string>{ "prod", "us" }), boost::test_tools::per_element());
	BOOST_TEST(after.find("main")->airflowVersion.value_or(0) == 3);
	BOOST_TEST(after.defaults.outputs == (std::vector<std::string>{ "print" }), boost::test_tools::per_element());
	BOOST_TEST(after.defaults.jobs.value_or(0) == 8);
	BOOST_TEST(after.outputs.at("file").at("format") == "html");
	BOOST_TEST(yaml.find("# Listed before, not found by this discovery:\n  \"gone\":") != std::string::npos, yaml);
}

BOOST_AUTO_TEST_SUITE_END()

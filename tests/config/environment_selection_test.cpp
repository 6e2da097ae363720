#include <boost/test/unit_test.hpp>

#include "mwaatok/environment_profile.h"
#include "mwaatok/error.h"

#include "config_test_support.h"

using namespace mwaatok;
using test::plugins;

namespace {

const char *profileText = "defaults:\n"
			  "  region: us-east-1\n"
			  "  aws_profile: shared\n"
			  "  outputs: [print]\n"
			  "environments:\n"
			  "  prod:\n"
			  "    name: prod-airflow\n"
			  "    region: eu-west-1\n"
			  "    airflow_version: 3\n"
			  "    tags: [prod, eu]\n"
			  "  dev:\n"
			  "    tags: [dev]\n"
			  "  batch:\n"
			  "    aws_profile: batch-admin\n"
			  "    endpoint_url: http://localhost:4566\n"
			  "    tags: [prod]\n"
			  "  sandbox: {}\n";

EnvironmentProfile sample()
{
	return parseProfile(profileText, "/p/config.yaml", plugins);
}

std::vector<std::string> aliases(const std::vector<ResolvedEnvironment> &envs)
{
	std::vector<std::string> out;
	for (const auto &e : envs)
		out.push_back(e.alias);
	return out;
}

std::string usageError(const EnvironmentProfile &p, const EnvironmentSelection &s, const ProfileOverrides &o = {})
{
	try {
		selectEnvironments(p, s, o);
	} catch (const Error &e) {
		BOOST_TEST((e.kind() == ErrorKind::Usage));
		return e.what();
	}
	BOOST_ERROR("no error thrown");
	return {};
}

using Names = std::vector<std::string>;

} // namespace

BOOST_AUTO_TEST_CASE(precedence_command_line_then_environment_then_defaults)
{
	auto p = sample();
	auto envs = listEnvironments(p, {});
	BOOST_TEST_REQUIRE(envs.size() == 4u);

	const auto &prod = envs[0];
	BOOST_TEST(prod.name == "prod-airflow");
	BOOST_TEST(*prod.region.value == "eu-west-1");
	BOOST_TEST((prod.region.source == ValueSource::Environment));
	BOOST_TEST(*prod.awsProfile.value == "shared");
	BOOST_TEST((prod.awsProfile.source == ValueSource::Defaults));
	BOOST_TEST(*prod.airflowVersion.value == 3);
	BOOST_TEST((prod.airflowVersion.source == ValueSource::Environment));
	// Nothing anywhere: left to the AWS configuration.
	BOOST_TEST(!prod.endpointUrl.value);
	BOOST_TEST((prod.endpointUrl.source == ValueSource::Unset));

	const auto &batch = envs[2];
	BOOST_TEST(batch.name == "batch");
	BOOST_TEST(*batch.awsProfile.value == "batch-admin");
	BOOST_TEST((batch.awsProfile.source == ValueSource::Environment));
	BOOST_TEST(*batch.region.value == "us-east-1");
	BOOST_TEST((batch.region.source == ValueSource::Defaults));

	ProfileOverrides cli;
	cli.region = "ap-south-1";
	cli.airflowVersion = 2;
	cli.endpointUrl = "http://127.0.0.1:9000";
	for (const auto &e : listEnvironments(p, cli)) {
		BOOST_TEST(*e.region.value == "ap-south-1");
		BOOST_TEST((e.region.source == ValueSource::CommandLine));
		BOOST_TEST(*e.airflowVersion.value == 2);
		BOOST_TEST((e.airflowVersion.source == ValueSource::CommandLine));
		BOOST_TEST(*e.endpointUrl.value == "http://127.0.0.1:9000");
		BOOST_TEST((e.awsProfile.source != ValueSource::CommandLine));
	}
	cli.awsProfile = "mine";
	BOOST_TEST(*listEnvironments(p, cli)[2].awsProfile.value == "mine");
}

BOOST_AUTO_TEST_CASE(value_sources_have_names)
{
	BOOST_TEST(toString(ValueSource::CommandLine) == "command line");
	BOOST_TEST(toString(ValueSource::Environment) == "environment");
	BOOST_TEST(toString(ValueSource::Defaults) == "defaults");
	BOOST_TEST(toString(ValueSource::Unset) == "unset");
}

BOOST_AUTO_TEST_CASE(a_name_that_is_not_an_alias_is_an_mwaa_name_with_defaults)
{
	auto envs = selectEnvironments(sample(), { { "other-env" }, false, {} }, {});
	BOOST_TEST_REQUIRE(envs.size() == 1u);
	BOOST_TEST(envs[0].name == "other-env");
	BOOST_TEST(envs[0].alias == "other-env");
	BOOST_TEST(!envs[0].inProfile);
	BOOST_TEST(*envs[0].region.value == "us-east-1");
	BOOST_TEST((envs[0].region.source == ValueSource::Defaults));
	BOOST_TEST(*envs[0].awsProfile.value == "shared");

	// No profile at all: the names are used as they are, everything unset.
	envs = selectEnvironments({}, { { "my-env" }, false, {} }, {});
	BOOST_TEST(envs[0].name == "my-env");
	BOOST_TEST(!envs[0].region.value);
	BOOST_TEST((envs[0].region.source == ValueSource::Unset));
}

BOOST_AUTO_TEST_CASE(an_alias_resolves_to_its_entry)
{
	auto envs = selectEnvironments(sample(), { { "prod" }, false, {} }, {});
	BOOST_TEST_REQUIRE(envs.size() == 1u);
	BOOST_TEST(envs[0].name == "prod-airflow");
	BOOST_TEST(envs[0].inProfile);
	BOOST_TEST(envs[0].tags == (Names{ "prod", "eu" }), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(selection_order_and_duplicates)
{
	auto p = sample();
	BOOST_TEST(aliases(selectEnvironments(p, { {}, true, {} }, {})) == (Names{ "prod", "dev", "batch", "sandbox" }),
		   boost::test_tools::per_element());
	// Names keep the command line's order.
	BOOST_TEST(aliases(selectEnvironments(p, { { "sandbox", "x-1", "prod" }, false, {} }, {})) ==
			   (Names{ "sandbox", "x-1", "prod" }),
		   boost::test_tools::per_element());
	// --tag: any of the tags, in profile order; then names; never twice.
	BOOST_TEST(aliases(selectEnvironments(p, { {}, false, { "dev", "eu" } }, {})) == (Names{ "prod", "dev" }),
		   boost::test_tools::per_element());
	BOOST_TEST(aliases(selectEnvironments(p, { { "sandbox", "batch", "sandbox", "x-1", "x-1" }, false, { "prod" } },
					      {})) == (Names{ "prod", "batch", "sandbox", "x-1" }),
		   boost::test_tools::per_element());
	BOOST_TEST(aliases(selectEnvironments(p, { { "x-1", "dev" }, true, { "prod" } }, {})) ==
			   (Names{ "prod", "dev", "batch", "sandbox", "x-1" }),
		   boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(selection_errors)
{
	auto p = sample();
	BOOST_TEST(usageError(p, { {}, false, { "prd" } }) ==
		   "no environment in /p/config.yaml has tag 'prd'; did you mean 'prod'?; known tags: dev, eu, prod");
	BOOST_TEST(usageError(p, { {}, false, { "zzzzzz" } }) ==
		   "no environment in /p/config.yaml has tag 'zzzzzz'; known tags: dev, eu, prod");
	BOOST_TEST(usageError({}, { {}, false, { "prod" } }) ==
		   "no environment in the profile (none was loaded; see mwaatok(5)) has tag 'prod'; no environment has tags");
	BOOST_TEST(usageError(p, {}) ==
		   "no environment selected: name one, or use --all or --tag to pick from the profile");
	BOOST_TEST(usageError({}, { {}, true, {} }) ==
		   "--all selected nothing: no environments are listed in the profile (none was loaded; see mwaatok(5))");
	BOOST_TEST(usageError(p, { { "not an env" }, false, {} }) ==
		   "'not an env' is neither an alias in /p/config.yaml nor a valid MWAA environment name: use 1 to 80 "
		   "letters, digits, '-' or '_', starting with a letter");
}

BOOST_AUTO_TEST_CASE(command_line_overrides_are_validated)
{
	auto p = sample();
	EnvironmentSelection s{ { "prod" }, false, {} };
	ProfileOverrides o;
	o.region = "Europe";
	BOOST_TEST(usageError(p, s, o) == "invalid --region 'Europe': use a region code like us-east-1 or eu-west-1");
	o = {};
	o.endpointUrl = "ftp://h";
	BOOST_TEST(usageError(p, s, o) == "invalid --endpoint-url 'ftp://h': unsupported scheme 'ftp' (expected http or https)");
	o = {};
	o.airflowVersion = 1;
	BOOST_TEST(usageError(p, s, o) == "invalid --airflow-version 1: use 2 or 3");
}

BOOST_AUTO_TEST_CASE(output_specs_come_from_the_command_line_else_defaults)
{
	auto p = sample();
	BOOST_TEST(outputSpecs(p, {}) == (Names{ "print" }), boost::test_tools::per_element());
	BOOST_TEST(outputSpecs(p, { "file:path=x.html" }) == (Names{ "file:path=x.html" }),
		   boost::test_tools::per_element());
	BOOST_TEST(outputSpecs({}, {}).empty());
}

#define BOOST_TEST_MODULE config
#include <boost/test/unit_test.hpp>

#include "mwaatok/environment_profile.h"
#include "mwaatok/error.h"

#include "config_test_support.h"

using namespace mwaatok;
using test::plugins;

namespace {

struct BadCase {
	const char *name;
	const char *yaml;
	std::vector<std::string> problems; ///< whole messages, in file order
};

// Each case: a profile and every message `check` prints for it.
const std::vector<BadCase> badCases = {
	{ "syntax: unterminated flow list", "environments:\n  prod: [a, b\n",
	  { "config.yaml:3:1: invalid YAML: end of sequence flow not found (check the indentation and quoting here)" } },
	{ "syntax: bad indentation", "defaults:\n  region: us-east-1\n aws_profile: x\n",
	  { "config.yaml:3:2: invalid YAML: end of map not found (check the indentation and quoting here)" } },
	{ "unknown key with a suggestion", "environments:\n  prod:\n    regoin: eu-west-1\n",
	  { "config.yaml:3:5: unknown key 'regoin' in environment 'prod'; did you mean 'region'?" } },
	{ "unknown key without a suggestion", "environments:\n  prod:\n    zzzzzzzz: 1\n",
	  { "config.yaml:3:5: unknown key 'zzzzzzzz' in environment 'prod'; valid keys are: name, region, "
	    "aws_profile, endpoint_url, airflow_version, tags" } },
	{ "unknown top-level key", "enviroments:\n  prod: {}\n",
	  { "config.yaml:1:1: unknown key 'enviroments' at the top level; did you mean 'environments'?" } },
	{ "unknown defaults key", "defaults:\n  aws_profil: x\n",
	  { "config.yaml:2:3: unknown key 'aws_profil' in defaults; did you mean 'aws_profile'?" } },
	{ "top level is a list", "- a\n- b\n",
	  { "config.yaml:1:1: the profile must be a map with defaults, environments and outputs, not a list" } },
	{ "top level is a string", "hello\n",
	  { "config.yaml:1:1: the profile must be a map with defaults, environments and outputs, not a string" } },
	{ "environments is a list", "environments: [a, b]\n",
	  { "config.yaml:1:15: environments must be a map of alias to settings, not a list" } },
	{ "defaults is a list", "defaults: [a]\n",
	  { "config.yaml:1:11: defaults must be a map of settings like region, not a list" } },
	{ "outputs is a list", "outputs: [print]\n",
	  { "config.yaml:1:10: outputs must be a map of plugin name to options, not a list" } },
	{ "environment is a list", "environments:\n  prod: [a]\n",
	  { "config.yaml:2:9: environment 'prod' must be a map of settings or {}, not a list" } },
	{ "environment is a string", "environments:\n  prod: x\n",
	  { "config.yaml:2:9: environment 'prod' must be a map of settings or {}, not a string" } },
	{ "setting is a map", "environments:\n  prod:\n    region: {a: b}\n",
	  { "config.yaml:3:13: region in environment 'prod' must be a string, not a map" } },
	{ "invalid name", "environments:\n  prod:\n    name: prod airflow\n",
	  { "config.yaml:3:11: invalid environment name 'prod airflow' in environment 'prod': use 1 to 80 "
	    "letters, digits, '-' or '_', starting with a letter" } },
	{ "name of 81 characters",
	  "environments:\n  a: {name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}\n",
	  { "config.yaml:2:13: invalid environment name "
	    "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' in environment "
	    "'a': use 1 to 80 letters, digits, '-' or '_', starting with a letter" } },
	{ "alias is not a valid name and there is no name", "environments:\n  1prod: {}\n",
	  { "config.yaml:2:3: alias '1prod' is not a valid MWAA environment name and has no name key: add "
	    "name: <environment name>, or rename the alias (use 1 to 80 letters, digits, '-' or '_', "
	    "starting with a letter)" } },
	{ "invalid regions",
	  "defaults:\n  region: us_east_1\nenvironments:\n  prod: {region: EU-WEST-1}\n  dev: {region: eu-west}\n",
	  { "config.yaml:2:11: invalid region 'us_east_1' in defaults: use a region code like us-east-1 or eu-west-1",
	    "config.yaml:4:18: invalid region 'EU-WEST-1' in environment 'prod': use a region code like us-east-1 "
	    "or eu-west-1",
	    "config.yaml:5:17: invalid region 'eu-west' in environment 'dev': use a region code like us-east-1 "
	    "or eu-west-1" } },
	{ "invalid airflow versions", "defaults:\n  airflow_version: 2.7\nenvironments:\n  a: {airflow_version: \"4\"}\n",
	  { "config.yaml:2:20: invalid airflow_version '2.7' in defaults: use 2 or 3",
	    "config.yaml:4:24: invalid airflow_version '4' in environment 'a': use 2 or 3" } },
	{ "jobs zero", "defaults:\n  jobs: 0\n",
	  { "config.yaml:2:9: invalid jobs '0' in defaults: use a whole number from 1 to 1024" } },
	{ "jobs too many", "defaults:\n  jobs: 1025\n",
	  { "config.yaml:2:9: invalid jobs '1025' in defaults: use a whole number from 1 to 1024" } },
	{ "jobs negative", "defaults:\n  jobs: -3\n",
	  { "config.yaml:2:9: invalid jobs '-3' in defaults: use a whole number from 1 to 1024" } },
	{ "jobs not a number", "defaults:\n  jobs: many\n",
	  { "config.yaml:2:9: invalid jobs 'many' in defaults: use a whole number from 1 to 1024" } },
	{ "bad tags", "environments:\n  a: {tags: prod}\n  b: {tags: [prod, [x], \"\"]}\n",
	  { "config.yaml:2:13: tags in environment 'a' must be a list of tags, like [prod, eu], not a string",
	    "config.yaml:3:20: each tag in environment 'b' must be a string, not a list",
	    "config.yaml:3:25: empty tag in environment 'b': remove it" } },
	{ "bad endpoint urls", "environments:\n  a: {endpoint_url: ftp://x}\n  b: {endpoint_url: \"localhost:4566\"}\n",
	  { "config.yaml:2:21: invalid endpoint_url 'ftp://x' in environment 'a': unsupported scheme 'ftp' "
	    "(expected http or https)",
	    "config.yaml:3:21: invalid endpoint_url 'localhost:4566' in environment 'b': expected http:// or "
	    "https://" } },
	{ "unknown and malformed outputs",
	  "defaults:\n  outputs: [print, fiel, \"brwser:x=1\", zzzzzzzzz]\noutputs:\n  fiel: {path: x}\n"
	  "  exec: [a]\n  print: {format: [json]}\n  file: {path: }\n",
	  { "config.yaml:2:20: unknown output plugin 'fiel' in defaults outputs; did you mean 'file'?",
	    "config.yaml:2:26: unknown output plugin 'brwser' in defaults outputs; did you mean 'browser'?",
	    "config.yaml:2:40: unknown output plugin 'zzzzzzzzz' in defaults outputs; known plugins are: print, "
	    "browser, file, exec",
	    "config.yaml:4:3: unknown output plugin 'fiel' in outputs; did you mean 'file'?",
	    "config.yaml:5:9: options of output plugin 'exec' must be a map like {format: json}, not a list",
	    "config.yaml:6:19: option 'format' of output plugin 'print' must be a single value, not a list",
	    "config.yaml:7:10: option 'path' of output plugin 'file' is empty: give a value or remove it" } },
	{ "defaults outputs is a string", "defaults:\n  outputs: print\n",
	  { "config.yaml:2:12: outputs in defaults must be a list of output specs, like [print], not a string" } },
	{ "duplicate alias", "environments:\n  prod: {}\n  dev: {}\n  prod: {region: eu-west-1}\n",
	  { "config.yaml:4:3: duplicate alias 'prod' in environments (first at line 2): remove one" } },
	{ "duplicate key in an environment", "environments:\n  prod:\n    region: eu-west-1\n    region: us-east-1\n",
	  { "config.yaml:4:5: duplicate key 'region' in environment 'prod' (first at line 3): remove one" } },
	{ "duplicate section", "defaults: {}\ndefaults: {}\n",
	  { "config.yaml:2:1: duplicate key 'defaults' at the top level (first at line 1): remove one" } },
	{ "duplicate plugin", "outputs:\n  print: {}\n  print: {}\n",
	  { "config.yaml:3:3: duplicate output plugin 'print' in outputs (first at line 2): remove one" } },
	{ "empty values", "defaults:\n  region:\n  aws_profile: \"\"\n",
	  { "config.yaml:2:3: region in defaults is empty: give a value or remove the key",
	    "config.yaml:3:16: aws_profile in defaults is empty: give a value or remove the key" } },
	{ "two documents", "defaults: {}\n---\nenvironments: {}\n",
	  { "config.yaml:2:1: the profile holds more than one YAML document: keep one, without '---' separators" } },
	{ "alias that is a list", "environments:\n  ? [a]\n  : {}\n",
	  { "config.yaml:2:5: alias names in environments must be strings, not a list" } },
};

} // namespace

BOOST_AUTO_TEST_CASE(bad_profiles_give_exact_located_messages)
{
	for (const auto &c : badCases) {
		BOOST_TEST_CONTEXT(c.name)
		{
			auto problems = checkProfileText(c.yaml, "config.yaml", plugins);
			BOOST_TEST(problems == c.problems, boost::test_tools::per_element());
			// Loading stops at the first problem, with the same text.
			try {
				parseProfile(c.yaml, "config.yaml", plugins);
				BOOST_ERROR("parseProfile accepted a bad profile");
			} catch (const Error &e) {
				BOOST_TEST((e.kind() == ErrorKind::Config));
				BOOST_TEST(std::string(e.what()) == c.problems.front());
			}
		}
	}
}

BOOST_AUTO_TEST_CASE(every_problem_of_a_file_is_reported_in_file_order)
{
	auto text = test::slurp(test::dataPath("many-problems.yaml"));
	auto expected = test::slurp(test::dataPath("many-problems.expected"));
	std::string actual;
	for (const auto &p : checkProfileText(text, "many-problems.yaml", plugins))
		actual += p + "\n";
	BOOST_TEST(actual == expected);
}

BOOST_AUTO_TEST_CASE(empty_and_comment_only_files_are_empty_profiles)
{
	for (const char *text : { "", "# nothing yet\n", "\n\n", "---\n", "defaults:\nenvironments:\noutputs:\n" }) {
		BOOST_TEST_CONTEXT(text)
		{
			auto p = parseProfile(text, "config.yaml", plugins);
			BOOST_TEST(p.environments.empty());
			BOOST_TEST(p.outputs.empty());
			BOOST_TEST(!p.defaults.region);
			BOOST_TEST(p.path == "config.yaml");
			BOOST_TEST(checkProfileText(text, "config.yaml", plugins).empty());
		}
	}
}

BOOST_AUTO_TEST_CASE(complete_profile_is_parsed_into_typed_values)
{
	auto p = parseProfile(test::slurp(test::dataPath("complete.yaml")), "complete.yaml", plugins);
	const auto &d = p.defaults;
	BOOST_TEST(*d.region == "us-east-1");
	BOOST_TEST(*d.awsProfile == "default");
	BOOST_TEST(*d.endpointUrl == "http://127.0.0.1:4566");
	BOOST_TEST(*d.airflowVersion == 2);
	BOOST_TEST(d.outputs == (std::vector<std::string>{ "print", "file:path=links.html,format=html" }),
		   boost::test_tools::per_element());
	BOOST_TEST(*d.jobs == 16);

	BOOST_TEST_REQUIRE(p.environments.size() == 4u);
	const auto &prod = p.environments[0];
	BOOST_TEST(prod.alias == "prod");
	BOOST_TEST(prod.mwaaName() == "prod-airflow");
	BOOST_TEST(*prod.region == "eu-west-1");
	BOOST_TEST(*prod.awsProfile == "prod-admin");
	BOOST_TEST(*prod.endpointUrl == "https://env.airflow.eu-west-1.amazonaws.com");
	BOOST_TEST(*prod.airflowVersion == 3);
	BOOST_TEST(prod.tags == (std::vector<std::string>{ "prod", "eu" }), boost::test_tools::per_element());
	BOOST_TEST(prod.line == 11);

	// `{}` and a bare `qa:` are both entries with nothing set.
	for (size_t i : { 1u, 2u }) {
		const auto &e = p.environments[i];
		BOOST_TEST(!e.name);
		BOOST_TEST(e.mwaaName() == e.alias);
		BOOST_TEST(!e.region);
		BOOST_TEST(!e.airflowVersion);
		BOOST_TEST(e.tags.empty());
	}
	BOOST_TEST(p.environments[1].alias == "dev");
	BOOST_TEST(p.environments[2].alias == "qa");
	BOOST_TEST(p.environments[3].alias == "legacy_env");

	BOOST_TEST(p.outputs.size() == 3u);
	BOOST_TEST(p.outputs.at("file") == (ProfileOutputOptions{ { "path", "~/mwaa-links.html" }, { "format", "html" } }));
	BOOST_TEST(p.outputs.at("print") == (ProfileOutputOptions{ { "format", "json" } }));
	BOOST_TEST(p.outputs.at("browser").empty());

	BOOST_TEST(p.find("dev") == &p.environments[1]);
	BOOST_TEST(p.find("prod-airflow") == nullptr);
	BOOST_TEST(p.knownTags() == (std::vector<std::string>{ "eu", "old", "prod" }), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(airflow_version_and_jobs_accept_ints_and_strings)
{
	auto p = parseProfile("defaults: {airflow_version: '3', jobs: '1024'}\n"
			      "environments:\n  a: {airflow_version: 2}\n  b: {airflow_version: \"3\"}\n",
			      "config.yaml", plugins);
	BOOST_TEST(*p.defaults.airflowVersion == 3);
	BOOST_TEST(*p.defaults.jobs == 1024);
	BOOST_TEST(*p.environments[0].airflowVersion == 2);
	BOOST_TEST(*p.environments[1].airflowVersion == 3);
	BOOST_TEST(*parseProfile("defaults: {jobs: 1}\n", "c", plugins).defaults.jobs == 1);
}

BOOST_AUTO_TEST_CASE(valid_names_and_regions_are_accepted)
{
	auto p = parseProfile("environments:\n"
			      "  a: {name: A, region: us-gov-west-1}\n"
			      "  b: {name: my_env-2, region: ap-southeast-2}\n"
			      "  c: {name: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}\n"
			      "  d: {region: cn-north-1, endpoint_url: 'http://[::1]:8080/'}\n",
			      "config.yaml", plugins);
	BOOST_TEST(p.environments.size() == 4u);
	BOOST_TEST(p.environments[2].name->size() == 80u);
	BOOST_TEST(*p.environments[0].region == "us-gov-west-1");
}

BOOST_AUTO_TEST_CASE(anchors_and_aliases_are_followed)
{
	auto p = parseProfile("environments:\n  a: &eu {region: eu-west-1, tags: [eu]}\n  b: *eu\n", "config.yaml",
			      plugins);
	BOOST_TEST(*p.environments[1].region == "eu-west-1");
	BOOST_TEST(p.environments[1].tags.size() == 1u);
}

BOOST_AUTO_TEST_CASE(plugin_names_come_from_the_caller)
{
	auto problems = checkProfileText("outputs:\n  slack: {channel: ops}\n", "config.yaml", { "print" });
	BOOST_TEST(problems == (std::vector<std::string>{
				       "config.yaml:2:3: unknown output plugin 'slack' in outputs; known plugins are: print" }),
		   boost::test_tools::per_element());
	auto p = parseProfile("outputs:\n  slack: {channel: ops}\n", "config.yaml", { "print", "slack" });
	BOOST_TEST(p.outputs.at("slack").at("channel") == "ops");
	BOOST_TEST(checkProfileText("outputs:\n  slack: {}\n", "c.yaml", {}) ==
			   (std::vector<std::string>{ "c.yaml:2:3: unknown output plugin 'slack' in outputs; there are no known plugins" }),
		   boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_example_profile_is_valid)
{
	auto path = test::dataPath("../../../examples/config.yaml");
	auto text = test::slurp(path);
	BOOST_TEST_REQUIRE(!text.empty());
	BOOST_TEST(checkProfileText(text, path, plugins).empty());
	auto p = parseProfile(text, path, plugins);
	BOOST_TEST(*p.defaults.awsProfile == "demo");
	bool v2 = false, v3 = false, us = false, eu = false;
	for (const auto &e : listEnvironments(p, {})) {
		v2 = v2 || e.airflowVersion.value == 2;
		v3 = v3 || e.airflowVersion.value == 3;
		us = us || e.region.value == "us-east-1";
		eu = eu || e.region.value == "eu-west-1";
	}
	BOOST_TEST((v2 && v3 && us && eu));
	BOOST_TEST(!p.knownTags().empty());
}

BOOST_AUTO_TEST_CASE(the_man_page_example_is_valid)
{
	auto page = test::slurp(test::dataPath("../../../man/mwaatok.5.scd"));
	auto example = page.find("# EXAMPLE");
	BOOST_TEST_REQUIRE(example != std::string::npos);
	auto open = page.find("```\n", example);
	auto close = page.find("```", open + 4);
	BOOST_TEST_REQUIRE((open != std::string::npos && close != std::string::npos));
	auto text = page.substr(open + 4, close - open - 4);
	BOOST_TEST(checkProfileText(text, "mwaatok.5", plugins).empty());
	auto p = parseProfile(text, "mwaatok.5", plugins);
	BOOST_TEST(p.environments.size() == 5u);
	// The page's closing sentences describe these selections.
	auto prod = selectEnvironments(p, { {}, false, { "prod" } }, {});
	BOOST_TEST_REQUIRE(prod.size() == 2u);
	BOOST_TEST(prod[0].name == "prod-airflow");
	BOOST_TEST(prod[1].name == "analytics-v3");
	auto other = selectEnvironments(p, { { "other-env" }, false, {} }, {});
	BOOST_TEST(*other[0].region.value == "us-east-1");
	BOOST_TEST(*other[0].awsProfile.value == "demo");
}

// Many environments: faults at scale, the YAML profile across regions and
// AWS profiles (issue 5), and Ctrl-C in the middle of a run.
#include <boost/test/unit_test.hpp>

#include <set>

#include "support.h"

using namespace mwaatok::e2e;

BOOST_AUTO_TEST_SUITE(many)

namespace {

/// Checks that a run's outputs account for \a expectedAliases exactly: the
/// successes in order on stdout, each failure on stderr and in \a records.
void checkAccounting(const RunResult &r, const std::vector<Record> &records,
		     const std::vector<std::string> &expectedAliases)
{
	BOOST_REQUIRE_EQUAL(records.size(), expectedAliases.size());
	std::vector<std::string> successUrls;
	std::set<std::string> seen;
	size_t failures = 0;
	std::string lastSuccess;
	for (const auto &rec : records) {
		BOOST_TEST(seen.insert(rec.alias).second, "twice: " << rec.alias);
		if (rec.ok()) {
			successUrls.push_back(rec.loginUrl);
			BOOST_TEST(rec.alias > lastSuccess, rec.alias << " after " << lastSuccess);
			lastSuccess = rec.alias;
		} else {
			++failures;
			BOOST_TEST(contains(r.err, "mwaatok: error: " + rec.alias + ": "), rec.alias << ": " << rec.error);
		}
	}
	BOOST_TEST(seen == std::set<std::string>(expectedAliases.begin(), expectedAliases.end()));
	BOOST_TEST(lines(r.out) == successUrls, "stdout holds the successes in order");
	BOOST_TEST(lines(r.err).size() == failures, r.err);
	BOOST_TEST(r.status == (failures == 0 ? 0 : 1));
}

std::vector<std::string> faultArgs(const std::string &seed)
{
	return { "--fault-rate", "0.05", "--faults", "503,429,drop", "--fault-seed", seed };
}

} // namespace

BOOST_AUTO_TEST_CASE(five_hundred_environments_with_faults)
{
	Workspace ws;
	std::vector<std::string> emuArgs = keyArgs();
	emuArgs.insert(emuArgs.end(), { "--generate-envs", "500:us-east-1" });
	for (const auto &a : faultArgs("7"))
		emuArgs.push_back(a);
	Emulator emu(emuArgs);
	std::vector<std::string> args{ "url", "-j", "16", "-o", "print", "-o", "file:path=" + ws.path("all.json") };
	std::vector<std::string> names;
	for (size_t i = 1; i <= 500; ++i)
		names.push_back(generatedName(i));
	args.insert(args.end(), names.begin(), names.end());
	auto r = ws.run(against(emu, args));
	auto records = jsonRecords(readFile(ws.path("all.json")));
	checkAccounting(r, records, names);
	for (const auto &line : lines(r.out))
		BOOST_TEST(matches(line, generatedLoginUrl("us-east-1", 2)), line);
	BOOST_TEST(r.elapsedMs < 100000, "took " << r.elapsedMs << " ms");
}

namespace {

/// Issue 5: 300 environments in two regions under two AWS profiles, each
/// region served by its own emulator with its own key.
struct TwoRegions {
	Workspace ws;
	Emulator east{ { "--key", "AKIDEASTEXAMPLE:east-secret-never-shown", "--generate-envs", "150:us-east-1",
			 "--deny", "AKIDEASTEXAMPLE:env-0010", "--fault-rate", "0.05", "--faults", "503,429,drop",
			 "--fault-seed", "11" } };
	Emulator west{ { "--key", "AKIDWESTEXAMPLE:west-secret-never-shown", "--generate-envs", "148:eu-west-1",
			 "--fault-rate", "0.05", "--faults", "503,429,drop", "--fault-seed", "12" } };
	std::string profile;
	std::vector<std::string> eastAliases, westAliases;

	TwoRegions()
	{
		ws.env.erase("AWS_ACCESS_KEY_ID");
		ws.env.erase("AWS_SECRET_ACCESS_KEY");
		ws.dir.write("aws-credentials", "[east]\n"
						"aws_access_key_id = AKIDEASTEXAMPLE\n"
						"aws_secret_access_key = east-secret-never-shown\n"
						"[west]\n"
						"aws_access_key_id = AKIDWESTEXAMPLE\n"
						"aws_secret_access_key = west-secret-never-shown\n");
		// East: region and endpoint from the AWS profile; west: from the YAML.
		ws.dir.write("aws-config", "[profile east]\n"
					   "region = us-east-1\n"
					   "endpoint_url = " + east.url() + "\n"
					   "[profile west]\n"
					   "region = ap-south-1\n");
		std::string yaml = "# 300 environments, written by many_test.cpp\n"
				   "defaults:\n"
				   "  aws_profile: east\n"
				   "  airflow_version: 2\n"
				   "  jobs: 16\n"
				   "environments:\n";
		for (size_t i = 1; i <= 150; ++i) {
			char alias[16];
			std::snprintf(alias, sizeof alias, "e-%03zu", i);
			eastAliases.push_back(alias);
			yaml += std::string("  ") + alias + ":\n    name: " + generatedName(i) + "\n    tags: [east]\n";
		}
		for (size_t i = 1; i <= 150; ++i) {
			char alias[16];
			std::snprintf(alias, sizeof alias, "w-%03zu", i);
			westAliases.push_back(alias);
			yaml += std::string("  ") + alias + ":\n    name: " + generatedName(i) +
				"\n    aws_profile: west\n    region: eu-west-1\n    endpoint_url: " + west.url() +
				"\n    tags: [west]\n";
		}
		profile = ws.dir.write("profile.yaml", yaml, 0600);
	}
};

const Record *find(const std::vector<Record> &records, const std::string &alias)
{
	for (const auto &r : records)
		if (r.alias == alias)
			return &r;
	return nullptr;
}

} // namespace

BOOST_AUTO_TEST_CASE(yaml_profile_across_regions_and_aws_profiles)
{
	TwoRegions t;
	const std::string json = t.ws.path("links.json"), html = t.ws.path("links.html");
	auto r = t.ws.run({ "url", "--all", "-c", t.profile, "-o", "print", "-o", "file:path=" + json, "-o",
			    "file:path=" + html });
	std::vector<std::string> all = t.eastAliases;
	all.insert(all.end(), t.westAliases.begin(), t.westAliases.end());
	auto records = jsonRecords(readFile(json));
	checkAccounting(r, records, all);
	BOOST_TEST(r.status == 1);

	// The failures that do not depend on injected faults.
	const Record *denied = find(records, "e-010");
	BOOST_REQUIRE(denied);
	BOOST_TEST(contains(denied->error, "AccessDeniedException"), denied->error);
	for (const char *alias : { "w-149", "w-150" }) {
		const Record *missing = find(records, alias);
		BOOST_REQUIRE(missing);
		BOOST_TEST(contains(missing->error, "no environment '" + missing->name + "' in region eu-west-1"),
			   missing->error);
	}
	for (const auto &rec : records) {
		if (!rec.ok())
			continue;
		bool isEast = rec.alias[0] == 'e';
		BOOST_TEST(rec.region == (isEast ? "us-east-1" : "eu-west-1"), rec.alias);
		BOOST_TEST(matches(rec.loginUrl, generatedLoginUrl(rec.region, 2)), rec.loginUrl);
	}

	// The HTML page holds every success and every failure too.
	std::string page = readFile(html);
	size_t successes = lines(r.out).size();
	BOOST_TEST(countOf(page, "<tr><td>") == successes);
	BOOST_TEST(countOf(page, "<tr class=\"error\"><td>") == records.size() - successes);
	for (const auto &rec : records)
		BOOST_TEST(contains(page, "<td>" + rec.alias + " (" + rec.name + ")</td>"), rec.alias);
	BOOST_TEST(fileMode(json) == 0600u);
	BOOST_TEST(fileMode(html) == 0600u);

	// --tag selects the tagged environments only.
	const std::string westJson = t.ws.path("west.json");
	auto w = t.ws.run({ "url", "--tag", "west", "-c", t.profile, "-o", "print", "-o", "file:path=" + westJson });
	checkAccounting(w, jsonRecords(readFile(westJson)), t.westAliases);
	BOOST_TEST(w.status == 1);
}

BOOST_AUTO_TEST_CASE(profile_writable_by_others_is_refused)
{
	Workspace ws;
	std::string profile = ws.dir.write("profile.yaml", "environments:\n  alpha: {}\n", 0666);
	auto r = ws.run({ "url", "--all", "-c", profile, "--region", "us-east-1" });
	BOOST_TEST(r.status == 2);
	BOOST_TEST(r.out == "");
	BOOST_TEST(r.err == "mwaatok: error: " + profile + ": refusing a profile writable by group or others (mode "
								"0666), as it can name commands to run: run chmod go-w " +
				    profile + "\n");
}

BOOST_AUTO_TEST_CASE(ctrl_c_stops_starting_and_keeps_what_finished)
{
	Workspace ws;
	std::vector<std::string> emuArgs = keyArgs();
	emuArgs.insert(emuArgs.end(), { "--generate-envs", "200:us-east-1", "--latency-ms", "200" });
	Emulator emu(emuArgs);
	const std::string json = ws.path("partial.json"), html = ws.path("partial.html");
	std::vector<std::string> args{ "url", "-j", "2", "--airflow-version", "2", "-o", "print",
				       "-o", "file:path=" + json, "-o", "file:path=" + html };
	for (size_t i = 1; i <= 200; ++i)
		args.push_back(generatedName(i));
	RunOptions options;
	options.signalAfterMs = 1000;
	options.signalAfterFirstOutput = true;
	options.signal = SIGINT;
	options.timeoutSeconds = 60;
	auto r = ws.run(against(emu, args), options);
	BOOST_TEST(r.status == 130);
	BOOST_TEST(r.killedBy == 0, "mwaatok handled SIGINT and exited with 130 itself");
	BOOST_TEST(r.elapsedMs < 30000, "took " << r.elapsedMs << " ms");
	BOOST_REQUIRE(fileExists(json));
	auto records = jsonRecords(readFile(json));
	BOOST_TEST(!records.empty());
	BOOST_TEST(records.size() < 200u);
	for (size_t i = 0; i < records.size(); ++i) {
		BOOST_TEST(records[i].alias == generatedName(i + 1));
		BOOST_TEST(records[i].ok(), records[i].error);
	}
	auto out = lines(r.out);
	BOOST_TEST(out.size() == records.size());
	const std::string notStarted = std::to_string(200 - records.size());
	BOOST_TEST(r.err == "mwaatok: interrupted: " + notStarted + " of 200 environments were not started\n");
	BOOST_TEST(contains(readFile(html), "The run was interrupted; this list is incomplete."));
	BOOST_TEST(fileMode(json) == 0600u);
}

BOOST_AUTO_TEST_SUITE_END()

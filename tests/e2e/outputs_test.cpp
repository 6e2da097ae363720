// Output plugins (print formats, file, exec, browser), the plugin list, and
// the environments command.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

#include "support.h"

using namespace mwaatok::e2e;

namespace {

const std::string kTime = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z";
const std::string kIdentity = "assumed-role/mwaa-emulator/AKIDE2EEXAMPLE";

/// The JSON object of alpha's link as the print and file plugins write it.
std::string alphaJson()
{
	return "\\{\"alias\":\"alpha\",\"name\":\"alpha\",\"region\":\"us-east-1\",\"hostname\":"
	       "\"alpha\\.c2\\.us-east-1\\.airflow\\.amazonaws\\.com\",\"login_url\":\"" +
	       loginUrlOf("alpha", 2) + "\",\"expires_at\":\"" + kTime +
	       "\",\"airflow_version\":\"2\",\"iam_identity\":\"" + kIdentity + "\",\"airflow_identity\":\"" +
	       kIdentity + "\"\\}";
}

const std::string kNosuchError =
	"CreateWebLoginToken: ResourceNotFoundException: Environment named nosuch not found\\.; no "
	"environment 'nosuch' in region us-east-1 \\(check the name and --region\\)";

std::string nosuchJson()
{
	return "\\{\"alias\":\"nosuch\",\"name\":\"nosuch\",\"region\":\"us-east-1\",\"error\":\"" + kNosuchError +
	       "\"\\}";
}

const std::string kNosuchStderr = "mwaatok: error: nosuch: CreateWebLoginToken: ResourceNotFoundException: "
				  "Environment named nosuch not found.; no environment 'nosuch' in region us-east-1 "
				  "(check the name and --region)\n";

/// \a name from tests/data/e2e, copied into \a ws as an executable.
std::string installScript(const Workspace &ws, const std::string &name)
{
	return ws.dir.write(name, readFile(testData("e2e/" + name)), 0700);
}

} // namespace

BOOST_AUTO_TEST_SUITE(outputs)

namespace {

struct NosuchWorkspace : EmulatorWorkspace {
	/// `url ENVS... -o OUTPUT`, where only nosuch fails.
	RunResult urlWithNosuch(std::vector<std::string> envs, const std::string &output) const
	{
		envs.insert(envs.begin(), "url");
		envs.insert(envs.end(), { "--airflow-version", "2", "-o", output });
		auto r = run(against(emu, envs));
		BOOST_TEST(r.status == 1);
		BOOST_TEST(r.err == kNosuchStderr);
		return r;
	}
};

} // namespace

BOOST_FIXTURE_TEST_CASE(print_json, NosuchWorkspace)
{
	auto r = urlWithNosuch({ "alpha", "nosuch" }, "print:format=json");
	BOOST_TEST(matches(r.out, "\\[\n  " + alphaJson() + ",\n  " + nosuchJson() + "\n\\]\n"), r.out);
}

BOOST_FIXTURE_TEST_CASE(print_ndjson, NosuchWorkspace)
{
	auto r = urlWithNosuch({ "nosuch", "alpha" }, "print:format=ndjson");
	BOOST_TEST(matches(r.out, nosuchJson() + "\n" + alphaJson() + "\n"), r.out);
}

BOOST_FIXTURE_TEST_CASE(print_table, NosuchWorkspace)
{
	auto r = urlWithNosuch({ "alpha", "nosuch" }, "print:format=table");
	BOOST_TEST(matches(r.out, "ALIAS   REGION     EXPIRES               URL\n"
				  "alpha   us-east-1  " + kTime + "  " + loginUrlOf("alpha", 2) + "\n"
				  "nosuch  us-east-1  -                     error: " + kNosuchError + "\n"),
		   r.out);
}

BOOST_FIXTURE_TEST_CASE(file_csv, NosuchWorkspace)
{
	const std::string csv = path("links.csv");
	auto r = urlWithNosuch({ "alpha", "nosuch" }, "file:path=" + csv);
	BOOST_TEST(r.out == "");
	BOOST_TEST(fileMode(csv) == 0600u);
	BOOST_TEST(matches(readFile(csv),
			   "alias,name,region,hostname,login_url,expires_at,airflow_version,iam_identity,airflow_identity,error\r\n"
			   "alpha,alpha,us-east-1,alpha\\.c2\\.us-east-1\\.airflow\\.amazonaws\\.com," + loginUrlOf("alpha", 2) +
				   "," + kTime + ",2," + kIdentity + "," + kIdentity + ",\r\n"
				   "nosuch,nosuch,us-east-1,,,,,,,\"?" + kNosuchError + "\"?\r\n"),
		   readFile(csv));
}

BOOST_FIXTURE_TEST_CASE(unknown_output_is_a_usage_error, EmulatorWorkspace)
{
	auto r = run(against(emu, { "url", "alpha", "-o", "print:format=xml" }));
	BOOST_TEST(r.status == 2);
	BOOST_TEST(r.out == "");
	BOOST_TEST(r.err == "mwaatok: error: unknown format 'xml' for output plugin 'print'; use url, json, ndjson, table or header\n");
}

BOOST_FIXTURE_TEST_CASE(exec_gets_the_url_on_stdin_and_the_alias, EmulatorWorkspace)
{
	std::string script = installScript(*this, "record-exec.sh");
	std::string record = path("exec.txt");
	std::string profile = dir.write("profile.yaml", "defaults:\n"
							"  region: us-east-1\n"
							"  airflow_version: 2\n"
							"environments:\n"
							"  a: {name: alpha}\n"
							"  c: {name: charlie}\n");
	auto r = run({ "url", "a", "c", "-c", profile, "--endpoint-url", emu.url(), "-o",
		       "exec:command=" + script + " " + record });
	BOOST_TEST(r.status == 0);
	BOOST_TEST(r.err == "");
	BOOST_TEST(r.out == "delivered a\ndelivered c\n");
	auto got = lines(readFile(record));
	BOOST_REQUIRE_EQUAL(got.size(), 4u);
	BOOST_TEST(matches(got[0], "stdin=" + loginUrlOf("alpha", 2)), got[0]);
	BOOST_TEST(got[1] == "alias=a region=us-east-1 environment=alpha");
	BOOST_TEST(matches(got[2], "stdin=" + loginUrlOf("charlie", 2)), got[2]);
	BOOST_TEST(got[3] == "alias=c region=us-east-1 environment=charlie");
}

BOOST_FIXTURE_TEST_CASE(exec_failure_is_reported_without_the_token, EmulatorWorkspace)
{
	std::string script = dir.write("fail.sh", "#!/bin/sh\nread url\necho \"cannot open $url\" >&2\nexit 3\n", 0700);
	auto r = run(against(emu, { "url", "alpha", "--airflow-version", "2", "-o", "exec:command=" + script }));
	BOOST_TEST(r.status == 1);
	BOOST_TEST(r.out == "");
	BOOST_TEST(matches(r.err, "mwaatok: error: output plugin 'exec': '" + script +
					  "' for alpha exited with status 3: cannot open https://alpha\\.c2\\.us-east-1\\."
					  "airflow\\.amazonaws\\.com/aws_mwaa/aws-console-sso\\?login=true#\\*\\* redacted \\*\\*\n"),
		   r.err);
}

BOOST_FIXTURE_TEST_CASE(open_hands_the_browser_a_private_page, EmulatorWorkspace)
{
	std::string browser = installScript(*this, "record-browser.sh");
	std::string runtime = path("run");
	std::filesystem::create_directory(runtime);
	std::filesystem::permissions(runtime, std::filesystem::perms::owner_all);
	env["BROWSER"] = browser;
	env["XDG_RUNTIME_DIR"] = runtime;
	auto r = run(against(emu, { "open", "bravo" }));
	BOOST_TEST(r.status == 0);
	BOOST_TEST(r.out == "");
	BOOST_TEST(r.err == "");
	// The browser runs detached: wait for it to record its arguments.
	const std::string argvFile = path("browser-argv.txt");
	for (int i = 0; i < 100 && !fileExists(argvFile); ++i)
		std::this_thread::sleep_for(std::chrono::milliseconds(100));
	std::this_thread::sleep_for(std::chrono::milliseconds(100));
	auto argv = lines(readFile(argvFile));
	BOOST_REQUIRE_EQUAL(argv.size(), 1u);
	BOOST_TEST(matches(argv[0], runtime + "/mwaatok/login-[0-9a-f]{24}\\.html"), argv[0]);
	BOOST_TEST(fileMode(argv[0]) == 0600u);
	BOOST_TEST(fileMode(runtime + "/mwaatok") == 0700u);
	std::string page = readFile(argv[0]);
	std::smatch m;
	BOOST_REQUIRE(std::regex_search(page, m, std::regex(loginUrlOf("bravo", 3))));
	const std::string url = m[0];
	const std::string token = url.substr(url.find('#') + 1);
	BOOST_TEST(contains(page, "<meta http-equiv=\"refresh\" content=\"0;url=" + url + "\">"), page);
	BOOST_TEST(!contains(readFile(argvFile), token));
}

BOOST_FIXTURE_TEST_CASE(open_without_browser_uses_xdg_open_only, EmulatorWorkspace)
{
	// A bin directory with an "open" that is not a URL opener (as openvt or
	// run-mailcap on Linux); it records being run.
	std::string bin = path("bin");
	std::string record = installScript(*this, "record-browser.sh");
	std::filesystem::create_directory(bin);
	dir.write("bin/open", "#!/bin/sh\necho \"$@\" >>" + path("open-ran.txt") + "\n", 0700);
	env["PATH"] = bin;
	env["XDG_RUNTIME_DIR"] = path("run");
	std::filesystem::create_directory(path("run"));
	std::filesystem::permissions(path("run"), std::filesystem::perms::owner_all);
	auto r = run(against(emu, { "open", "bravo" }));
#ifndef __APPLE__
	BOOST_TEST(r.status == 0);
	BOOST_TEST(matches(r.out, loginUrls({ { "bravo", 3 } })), r.out);
	BOOST_TEST(r.err == "mwaatok: no browser found (set BROWSER or install xdg-open); the login URL for bravo follows\n");
	BOOST_TEST(!fileExists(path("open-ran.txt")));
#endif
	// With xdg-open on PATH, that is what opens the page.
	std::filesystem::copy_file(record, bin + "/xdg-open");
	auto x = run(against(emu, { "open", "bravo" }));
	BOOST_TEST(x.status == 0);
	BOOST_TEST(x.out == "");
	BOOST_TEST(x.err == "");
	const std::string argvFile = bin + "/browser-argv.txt";
	for (int i = 0; i < 100 && !fileExists(argvFile); ++i)
		std::this_thread::sleep_for(std::chrono::milliseconds(100));
	BOOST_TEST(matches(readFile(argvFile), path("run") + "/mwaatok/login-[0-9a-f]{24}\\.html\n"), readFile(argvFile));
}

BOOST_AUTO_TEST_CASE(profile_outputs_apply_and_expand_home)
{
	Workspace ws;
	Emulator emu(emulatorArgs());
	// The endpoint from AWS_ENDPOINT_URL_MWAA; outputs and their options
	// from the profile, the command line's options over the profile's.
	ws.env["AWS_ENDPOINT_URL_MWAA"] = emu.url();
	std::string profile = ws.dir.write("config.yaml", "defaults:\n"
							   "  region: us-east-1\n"
							   "  airflow_version: 2\n"
							   "  outputs: [print, file]\n"
							   "environments:\n"
							   "  a: {name: alpha}\n"
							   "outputs:\n"
							   "  print: {format: ndjson}\n"
							   "  file: {path: ~/links.txt}\n");
	auto r = ws.run({ "url", "a", "-c", profile });
	BOOST_TEST(r.status == 0);
	BOOST_TEST(r.err == "");
	BOOST_TEST(matches(r.out, "\\{\"alias\":\"a\",\"name\":\"alpha\",[^\n]*\\}\n"), r.out);
	BOOST_TEST(matches(readFile(ws.path("links.txt")), loginUrls({ { "alpha", 2 } })));
	BOOST_TEST(fileMode(ws.path("links.txt")) == 0600u);
	auto plain = ws.run({ "url", "a", "-c", profile, "-o", "print:format=url" });
	BOOST_TEST(plain.status == 0);
	BOOST_TEST(matches(plain.out, loginUrls({ { "alpha", 2 } })), plain.out);
}

BOOST_AUTO_TEST_CASE(plugins_lists_builtins_and_modules)
{
	Workspace ws;
	auto r = ws.run({ "plugins" });
	BOOST_TEST(r.status == 0);
	BOOST_TEST(r.err == "");
	for (const char *name : { "print", "browser", "file", "exec" })
		BOOST_TEST(matches(r.out, "[^]*\n" + std::string(name) + " +built-in +[^\n]+\n[^]*"), name << " in " << r.out);
	BOOST_TEST(!contains(r.out, "markdown"));

	ws.env["MWAATOK_PLUGIN_PATH"] =
		std::filesystem::path(builtProgram("MWAATOK_MARKDOWN_PLUGIN")).parent_path().string();
	auto m = ws.run({ "plugins" });
	BOOST_TEST(m.status == 0);
	BOOST_TEST(m.err == "");
	BOOST_TEST(matches(m.out, "[^]*\nmarkdown +[^\n]*mwaatok-plugin-markdown\\.so +[^\n]+\n[^]*"), m.out);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(environments)

BOOST_AUTO_TEST_CASE(lists_the_example_profile_with_sources)
{
	Workspace ws;
	std::string profile = ws.dir.write("config.yaml", readFile(testData("../../examples/config.yaml")), 0600);
	auto r = ws.run({ "environments", "-c", profile });
	BOOST_TEST(r.status == 0);
	BOOST_TEST(r.err == "");
	BOOST_TEST(r.out == "ALIAS         NAME          REGION                   AWS PROFILE      AIRFLOW          TAGS\n"
			    "prod          prod-airflow  eu-west-1 (environment)  demo (defaults)  3 (environment)  prod,eu\n"
			    "staging       staging       us-east-1 (defaults)     demo (defaults)  2 (defaults)     staging,us\n"
			    "analytics     analytics-v3  us-east-1 (defaults)     demo (defaults)  3 (environment)  prod,us\n"
			    "reporting-eu  reporting     eu-west-1 (environment)  demo (defaults)  2 (defaults)     eu\n"
			    "dev           dev           us-east-1 (defaults)     demo (defaults)  2 (defaults)     -\n");
	// The command line beats the profile, and says so.
	auto o = ws.run({ "environments", "-c", profile, "--region", "ap-south-1", "--profile", "other",
			  "--airflow-version", "3" });
	BOOST_TEST(o.status == 0);
	BOOST_TEST(contains(o.out, "\nprod          prod-airflow  ap-south-1 (command line)  other (command line)  "
				   "3 (command line)  prod,eu\n"),
		   o.out);
	auto ok = ws.run({ "environments", "--check", "-c", profile });
	BOOST_TEST(ok.status == 0);
	BOOST_TEST(ok.err == "");
	BOOST_TEST(ok.out == profile + ": ok, 5 environments\n");
}

BOOST_AUTO_TEST_CASE(check_reports_every_problem_with_its_position)
{
	Workspace ws;
	std::string profile = ws.dir.write("bad.yaml", readFile(testData("e2e/bad-profile.yaml")), 0600);
	auto r = ws.run({ "environments", "--check", "-c", profile });
	BOOST_TEST(r.status == 2);
	BOOST_TEST(r.out == "");
	const std::string at = "mwaatok: error: " + profile + ":";
	BOOST_TEST(r.err == at + "4:3: unknown key 'jobz' in defaults; did you mean 'jobs'?\n" +
			    at + "8:22: invalid airflow_version '4' in environment 'prod': use 2 or 3\n" +
			    at + "9:3: alias '1bad' is not a valid MWAA environment name and has no name key: add name: "
				 "<environment name>, or rename the alias (use 1 to 80 letters, digits, '-' or '_', starting "
				 "with a letter)\n" +
			    at + "11:11: tags in environment 'staging' must be a list of tags, like [prod, eu], not a string\n" +
			    at + "13:3: unknown output plugin 'printer' in outputs; did you mean 'print'?\n");
	// Without --check the first problem stops any command.
	auto u = ws.run({ "url", "--all", "-c", profile });
	BOOST_TEST(u.status == 2);
	BOOST_TEST(u.err == at + "4:3: unknown key 'jobz' in defaults; did you mean 'jobs'?\n");
}

BOOST_AUTO_TEST_SUITE_END()

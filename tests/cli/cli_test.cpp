#define BOOST_TEST_MODULE cli
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "../e2e/harness.h"
#include "mwaatok/error.h"
#include "options.h"

using namespace mwaatok;
using namespace mwaatok::e2e;

namespace {

EnvMap cleanEnv()
{
	return { { "PATH", "/usr/bin:/bin" }, { "HOME", "/nonexistent" }, { "AWS_EC2_METADATA_DISABLED", "true" },
		 { "AWS_CONFIG_FILE", "/nonexistent/config" },
		 { "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials" } };
}

RunResult runMwaatok(const std::vector<std::string> &args, EnvMap env = cleanEnv())
{
	return runProgram(builtProgram("MWAATOK"), args, env, "", 30);
}

std::string sourceFile(const std::string &relative)
{
	std::ifstream f(builtProgram("MWAATOK_SOURCE_ROOT") + "/" + relative);
	BOOST_REQUIRE_MESSAGE(f, "cannot read " + relative);
	std::ostringstream s;
	s << f.rdbuf();
	return s.str();
}

std::set<std::string> longOptionsIn(const std::string &text, const std::string &pattern)
{
	std::set<std::string> found;
	std::regex re(pattern);
	for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
		found.insert((*it)[1].str());
	return found;
}

std::set<std::string> tableOptions()
{
	auto names = cli::longOptionNames();
	return { names.begin(), names.end() };
}

} // namespace

BOOST_AUTO_TEST_CASE(help_goes_to_stdout_and_exits_0)
{
	for (const char *flag : { "--help", "-h" }) {
		auto r = runMwaatok({ flag });
		BOOST_TEST(r.status == 0);
		BOOST_TEST(r.err.empty());
		BOOST_TEST(r.out.rfind("usage: mwaatok [OPTIONS] COMMAND [ARGS]\n", 0) == 0u);
	}
	// Help wins wherever it stands.
	BOOST_TEST(runMwaatok({ "url", "prod", "--help" }).status == 0);
}

BOOST_AUTO_TEST_CASE(version_is_the_bare_version)
{
	auto r = runMwaatok({ "--version" });
	BOOST_TEST(r.status == 0);
	BOOST_TEST(std::regex_match(r.out, std::regex("[0-9]+\\.[0-9]+\\.[0-9]+\n")));
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2_with_one_line)
{
	struct Case {
		std::vector<std::string> args;
		std::string err;
	};
	const std::vector<Case> cases = {
		{ { "--regoin", "x" }, "mwaatok: error: unknown option '--regoin'; did you mean '--region'?\n" },
		{ { "-Z" }, "mwaatok: error: unknown option '-Z'\n" },
		{ { "reqest" }, "mwaatok: error: unknown command 'reqest'; did you mean 'request'? (see mwaatok --help)\n" },
		{ { "url", "--jobs", "0" }, "mwaatok: error: option '--jobs' expects a whole number from 1 to 1024, got '0'\n" },
		{ { "url", "--jobs" }, "mwaatok: error: option '--jobs' needs a value\n" },
		{ { "url", "--airflow-version", "4", "x" }, "mwaatok: error: option '--airflow-version' expects 2 or 3, got '4'\n" },
		{ { "url", "--timeout", "-1", "x" }, "mwaatok: error: option '--timeout' expects seconds greater than 0, got '-1'\n" },
		{ { "--all=yes", "url" }, "mwaatok: error: option '--all' takes no value\n" },
		{ { "configure", "set" }, "mwaatok: error: expected 'configure list' or 'configure get KEY'\n" },
		{ { "export-credentials", "--format", "xml" },
		  "mwaatok: error: unknown --format 'xml' (expected process, env or env-no-export)\n" },
		{ { "url", "9lives", "--region", "us-east-1" },
		  "mwaatok: error: '9lives' is neither an alias in the profile (none was loaded; see mwaatok(5)) nor a "
		  "valid MWAA environment name: use 1 to 80 letters, digits, '-' or '_', starting with a letter\n" },
		{ { "token" }, "mwaatok: error: token takes exactly one environment\n" },
		{ { "request", "GET" },
		  "mwaatok: error: request needs METHOD and URL, e.g. mwaatok request POST "
		  "https://env.airflow.us-east-1.amazonaws.com/webtoken/prod\n" },
	};
	for (const auto &c : cases) {
		auto r = runMwaatok(c.args);
		BOOST_TEST_CONTEXT(c.args.front())
		{
			BOOST_TEST(r.status == 2);
			BOOST_TEST(r.err == c.err);
			BOOST_TEST(r.out.empty());
		}
	}
}

BOOST_AUTO_TEST_CASE(no_command_prints_usage_to_stderr_and_exits_2)
{
	auto r = runMwaatok({});
	BOOST_TEST(r.status == 2);
	BOOST_TEST(r.out.empty());
	BOOST_TEST(r.err.rfind("usage: mwaatok", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(help_man_page_and_option_table_agree)
{
	auto help = runMwaatok({ "--help" }).out;
	auto helpOptions = longOptionsIn(help, R"(\n {2,6}(?:-[A-Za-z], )?(--[a-z][a-z0-9-]*))");
	auto manOptions = longOptionsIn(sourceFile("man/mwaatok.1.scd"), R"(\n\*(?:-[A-Za-z], )?(--[a-z][a-z0-9-]*)\*)");
	BOOST_TEST(helpOptions == tableOptions(), boost::test_tools::per_element());
	BOOST_TEST(manOptions == tableOptions(), boost::test_tools::per_element());

	// Short forms agree too: "-r, --region" in both.
	auto shortPairs = [](const std::string &text, const std::string &pattern) {
		return longOptionsIn(text, pattern);
	};
	BOOST_TEST(shortPairs(help, R"(\n {2}(-[A-Za-z], --[a-z-]+))") ==
		   shortPairs(sourceFile("man/mwaatok.1.scd"), R"(\n\*(-[A-Za-z], --[a-z-]+)\*)"),
		   boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(help_and_man_page_list_the_same_commands)
{
	auto help = runMwaatok({ "--help" }).out;
	auto man = sourceFile("man/mwaatok.1.scd");
	auto section = [](const std::string &text, const std::string &from, const std::string &to) {
		auto b = text.find(from);
		BOOST_REQUIRE(b != std::string::npos);
		return text.substr(b, text.find(to, b) - b);
	};
	auto helpCommands = longOptionsIn(section(help, "Commands:", "Options:"), R"(\n  ([a-z][a-z-]+)[ \n])");
	auto manCommands = longOptionsIn(section(man, "# COMMANDS", "# OPTIONS"), R"(\n\*([a-z][a-z-]+)[ *])");
	BOOST_TEST(helpCommands == manCommands, boost::test_tools::per_element());
	BOOST_TEST(helpCommands.count("url") == 1u);
	BOOST_TEST(helpCommands.count("export-credentials") == 1u);
	BOOST_TEST(helpCommands.count("sso") == 1u);
	BOOST_TEST(helpCommands.count("api") == 1u);
	BOOST_TEST(helpCommands.count("session") == 1u);
	BOOST_TEST(helpCommands.size() == 12u);
}

BOOST_AUTO_TEST_CASE(shell_completions_know_every_option_and_command)
{
	auto bash = sourceFile("cli/completions/mwaatok.bash");
	auto zsh = sourceFile("cli/completions/_mwaatok");
	auto fish = sourceFile("cli/completions/mwaatok.fish");
	for (const auto &opt : tableOptions()) {
		BOOST_TEST_CONTEXT(opt)
		{
			BOOST_TEST(std::regex_search(bash, std::regex("[\\s\"|]" + opt + "[\\s\"|)]")));
			BOOST_TEST((zsh.find(opt + "[") != std::string::npos || zsh.find(opt + "}'[") != std::string::npos));
			BOOST_TEST(std::regex_search(fish, std::regex("\n" R"(complete -c mwaatok (-s \w )?-l )" +
								       opt.substr(2) + " ")));
		}
	}
	// fish knows no option the table does not have.
	BOOST_TEST(longOptionsIn(fish, R"(\ncomplete -c mwaatok (?:-s \w )?-l ([a-z][a-z0-9-]*))") ==
		   [] {
			   std::set<std::string> bare;
			   for (const auto &opt : tableOptions())
				   bare.insert(opt.substr(2));
			   return bare;
		   }(),
		   boost::test_tools::per_element());
	// Short forms as in --help: "-r, --region" there, "-s r -l region" in fish.
	std::set<std::string> fishShort;
	std::regex shortRe(R"(-s (\w) -l ([a-z][a-z0-9-]*))");
	for (auto it = std::sregex_iterator(fish.begin(), fish.end(), shortRe); it != std::sregex_iterator(); ++it)
		fishShort.insert("-" + (*it)[1].str() + ", --" + (*it)[2].str());
	BOOST_TEST(fishShort == longOptionsIn(runMwaatok({ "--help" }).out, R"(\n {2}(-[A-Za-z], --[a-z-]+))"),
		   boost::test_tools::per_element());
	for (const char *command : { "url", "open", "token", "cli", "api", "session", "request", "configure",
				     "export-credentials", "sso", "environments", "plugins" }) {
		BOOST_TEST(bash.find(command) != std::string::npos);
		BOOST_TEST(zsh.find(std::string("'") + command + ":") != std::string::npos);
		BOOST_TEST(fish.find(std::string(" -a ") + command + " -d '") != std::string::npos, command);
	}
}

BOOST_AUTO_TEST_CASE(option_parsing)
{
	auto o = cli::parseCommandLine({ "-vq", "url", "a", "-reu-west-1", "--tag=prod", "-t", "eu", "b", "-o",
					 "print:format=json", "--", "x", "--y" });
	BOOST_TEST(o.verbose);
	BOOST_TEST(o.quiet);
	BOOST_TEST(o.command == "url");
	BOOST_TEST((o.args == std::vector<std::string>{ "a", "b" }));
	BOOST_TEST(*o.region == "eu-west-1");
	BOOST_TEST((o.tags == std::vector<std::string>{ "prod", "eu" }));
	BOOST_TEST((o.outputs == std::vector<std::string>{ "print:format=json" }));
	BOOST_TEST((o.passthrough == std::vector<std::string>{ "x", "--y" }));
	BOOST_CHECK_THROW(cli::parseCommandLine({ "--max-attempts", "21" }), Error);
	BOOST_CHECK_THROW(cli::parseCommandLine({ "--timeout", "abc" }), Error);
	BOOST_TEST(*cli::parseCommandLine({ "--timeout", "2.5" }).timeoutSeconds == 2.5);
	// api's options; -q stays --quiet after api.
	auto a = cli::parseCommandLine({ "api", "-X", "POST", "--query", "a=1", "--query=b=2", "-q", "/dags", "x",
					 "--via", "session", "-r", "r1", "-r", "r2", "-p", "p1", "--discover" });
	BOOST_TEST(*a.method == "POST");
	BOOST_TEST((a.queries == std::vector<std::string>{ "a=1", "b=2" }));
	BOOST_TEST(a.quiet);
	BOOST_TEST(*a.via == "session");
	BOOST_TEST(a.discover);
	BOOST_TEST((a.regions == std::vector<std::string>{ "r1", "r2" }));
	BOOST_TEST(*a.region == "r2");
	BOOST_TEST((a.profiles == std::vector<std::string>{ "p1" }));
	BOOST_TEST((a.args == std::vector<std::string>{ "/dags", "x" }));
}

BOOST_AUTO_TEST_CASE(no_credentials_is_exit_3_and_lists_providers)
{
	auto r = runMwaatok({ "export-credentials" });
	BOOST_TEST(r.status == 3);
	BOOST_TEST(r.out.empty());
	for (const char *provider : { "environment", "shared", "container", "imds" })
		BOOST_TEST_CONTEXT(provider) { BOOST_TEST(r.err.find(provider) != std::string::npos); }
}

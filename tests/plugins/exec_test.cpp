#include <boost/test/unit_test.hpp>

#include "exec/exec_plugin.h"
#include "plugin_test_support.h"

using namespace mwaatok;
using namespace mwaatok::test;

using Words = std::vector<std::string>;

BOOST_AUTO_TEST_SUITE(exec_plugin)

BOOST_AUTO_TEST_CASE(runs_without_a_shell_url_on_stdin_names_in_env)
{
	FakeLauncher launcher;
	launcher.result.stdoutData = "sent\n";
	std::ostringstream out;
	ExecPlugin p({{"command", "notify --title 'MWAA link'"}}, out, launcher);
	p.deliver(prodLink());
	BOOST_REQUIRE(launcher.specs.size() == 1u);
	const ProcessSpec &spec = launcher.specs[0];
	BOOST_TEST(spec.argv == (Words{"notify", "--title", "MWAA link"}));
	BOOST_TEST(spec.stdinData == prodLink().loginUrl + "\n");
	BOOST_TEST(spec.extraEnv == (std::map<std::string, std::string>{{"MWAATOK_ALIAS", "prod"},
									  {"MWAATOK_ENVIRONMENT", "prod-airflow"},
									  {"MWAATOK_REGION", "eu-west-1"}}));
	BOOST_TEST(!spec.detach);
	BOOST_TEST(spec.timeout == std::chrono::milliseconds(60000));
	BOOST_TEST(out.str() == "sent\n");
}

BOOST_AUTO_TEST_CASE(once_per_link)
{
	FakeLauncher launcher;
	std::ostringstream out;
	ExecPlugin p({{"command", "cat"}, {"timeout", "5"}}, out, launcher);
	p.deliver(prodLink());
	p.deliver(devLink());
	BOOST_REQUIRE(launcher.specs.size() == 2u);
	BOOST_TEST(launcher.specs[1].stdinData == devLink().loginUrl + "\n");
	BOOST_TEST(launcher.specs[1].extraEnv.at("MWAATOK_ALIAS") == devLink().alias);
	BOOST_TEST(launcher.specs[1].timeout == std::chrono::milliseconds(5000));
}

BOOST_AUTO_TEST_CASE(shell_true_uses_sh_c)
{
	FakeLauncher launcher;
	std::ostringstream out;
	ExecPlugin p({{"command", "read u; echo \"$u\" | xclip"}, {"shell", "true"}}, out, launcher);
	p.deliver(prodLink());
	BOOST_TEST(launcher.specs.at(0).argv == (Words{"sh", "-c", "read u; echo \"$u\" | xclip"}));
}

BOOST_AUTO_TEST_CASE(non_zero_exit_reports_first_stderr_lines_without_the_token)
{
	FakeLauncher launcher;
	launcher.result.exitCode = 3;
	launcher.result.stderrData = "\nbad url SECRET-TOKEN-1\nsecond\nthird\nfourth\n";
	std::ostringstream out;
	ExecPlugin p({{"command", "/usr/bin/handler -x"}}, out, launcher);
	BOOST_TEST(errorOf([&] { p.deliver(prodLink()); }, ErrorKind::Plugin) ==
		   "output plugin 'exec': '/usr/bin/handler' for prod exited with status 3: "
		   "bad url ** redacted ** | second | third | ...");
	launcher.result.stderrData.clear();
	BOOST_TEST(errorOf([&] { p.deliver(prodLink()); }, ErrorKind::Plugin) ==
		   "output plugin 'exec': '/usr/bin/handler' for prod exited with status 3");
	launcher.result.exitCode = -1;
	BOOST_TEST(errorOf([&] { p.deliver(prodLink()); }, ErrorKind::Plugin) ==
		   "output plugin 'exec': '/usr/bin/handler' for prod was killed by a signal");
}

BOOST_AUTO_TEST_CASE(not_started_and_timed_out)
{
	FakeLauncher launcher;
	std::ostringstream out;
	ExecPlugin p({{"command", "nope"}, {"timeout", "2"}}, out, launcher);
	launcher.result = ProcessResult{false, -1, false, "", "", "No such file or directory"};
	BOOST_TEST(errorOf([&] { p.deliver(prodLink()); }, ErrorKind::Plugin) ==
		   "output plugin 'exec': cannot run 'nope' for prod: No such file or directory");
	launcher.result = ProcessResult{true, -1, true, "", "", ""};
	BOOST_TEST(errorOf([&] { p.deliver(prodLink()); }, ErrorKind::Plugin) ==
		   "output plugin 'exec': 'nope' for prod timed out after 2 s");
}

BOOST_AUTO_TEST_CASE(option_errors)
{
	FakeLauncher launcher;
	std::ostringstream out;
	BOOST_TEST(errorOf([&] { ExecPlugin({}, out, launcher); }, ErrorKind::Usage) ==
		   "output plugin 'exec' needs option 'command' (e.g. -o exec:command=my-script)");
	BOOST_TEST(errorOf([&] { ExecPlugin({{"command", "  "}}, out, launcher); }, ErrorKind::Usage) ==
		   "option 'command' of output plugin 'exec' is blank");
	BOOST_TEST(errorOf([&] { ExecPlugin({{"command", "x"}, {"timeout", "5s"}}, out, launcher); },
			   ErrorKind::Usage) ==
		   "option 'timeout' of output plugin 'exec' must be a positive number of seconds, not '5s'");
	BOOST_TEST(errorOf([&] { ExecPlugin({{"command", "x"}, {"timeout", "0"}}, out, launcher); },
			   ErrorKind::Usage) ==
		   "option 'timeout' of output plugin 'exec' must be a positive number of seconds, not '0'");
}

BOOST_AUTO_TEST_CASE(command_line_splitting)
{
	BOOST_TEST(splitCommandLine("  a  b\tc ") == (Words{"a", "b", "c"}));
	BOOST_TEST(splitCommandLine(R"(a 'b c' "d \"e\" \\ \n" f\ g)") ==
		   (Words{"a", "b c", R"(d "e" \ \n)", "f g"}));
	BOOST_TEST(splitCommandLine("x''y \"\"") == (Words{"xy", ""}));
	BOOST_TEST(errorOf([] { splitCommandLine("a 'b"); }, ErrorKind::Usage) ==
		   "unterminated ' in exec command; close the quote or use shell=true");
	BOOST_TEST(errorOf([] { splitCommandLine("a \"b"); }, ErrorKind::Usage) ==
		   "unterminated \" in exec command; close the quote or use shell=true");
}

BOOST_AUTO_TEST_SUITE_END()

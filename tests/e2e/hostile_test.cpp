// The built mwaatok against hostile servers, files and programs on this
// machine: service text cannot drive the terminal, an address is never a web
// server hostname, CSV cells cannot start formulas, a credential_process
// cannot hang or flood the run, profiles others can change are refused, and
// exec and browser children get neither secrets nor raw control characters.
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <filesystem>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include "hostile_server.h"
#include "support.h"

using namespace mwaatok::e2e;

namespace {

// OSC 52 (clipboard write), clear screen, BEL, and a newline forging a line of mwaatok's.
const std::string kJsonHostile = "denied\\u001b]52;c;ZXZpbA==\\u0007\\u001b[2J\\nmwaatok: all good\\r\\u009b31m";

/// No control character but the newlines that end lines, no C1 control.
bool terminalSafe(const std::string &text)
{
	for (size_t i = 0; i < text.size(); ++i) {
		auto c = static_cast<unsigned char>(text[i]);
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			return false;
		if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
		    static_cast<unsigned char>(text[i + 1]) <= 0x9f)
			return false;
	}
	return true;
}

/// Every line of \a err is one of mwaatok's, and none is forged.
void checkStderr(const RunResult &r)
{
	BOOST_TEST(terminalSafe(r.err), r.err);
	BOOST_TEST(!contains(r.err, "\nmwaatok: all good"), r.err);
	for (const auto &line : lines(r.err))
		BOOST_TEST(line.rfind("mwaatok: ", 0) == 0u, line);
}

/// Whether Python's json module (strict UTF-8) reads \a text: one document, or one per line.
bool validJson(const std::string &text, bool perLine)
{
	const std::string script = perLine ? "import json,sys\nfor l in sys.stdin.buffer: json.loads(l.decode())"
					   : "import json,sys\njson.loads(sys.stdin.buffer.read().decode())";
	return runProgram("/usr/bin/python3", { "-c", script }, {}, text).status == 0;
}

/// A web login token answer naming \a hostname.
std::string webToken(const std::string &hostname, const std::string &iamIdentity = "arn:aws:sts::1:assumed-role/r/s")
{
	return HostileServer::response(200, "Content-Type: application/json\r\n",
				       "{\"WebToken\": \"tok-e2e-hostile\", \"WebServerHostname\": \"" + hostname +
					       "\", \"IamIdentity\": \"" + iamIdentity + "\", \"AirflowIdentity\": \"a\"}");
}

std::vector<std::string> at(const HostileServer &server, std::vector<std::string> args)
{
	args.insert(args.begin(), { "--endpoint-url", server.url(), "--region", "us-east-1", "--airflow-version", "2",
				    "--max-attempts", "1" });
	return args;
}

/// Waits up to 5 s for \a pid to be gone.
bool goneSoon(pid_t pid)
{
	for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i)
		std::this_thread::sleep_for(std::chrono::milliseconds(50));
	return ::kill(pid, 0) != 0;
}

/// Whether the process whose pid \a pidFile holds is gone within 5 s; kills it when not.
bool goneSoon(const std::string &pidFile)
{
	pid_t pid = static_cast<pid_t>(std::stol(readFile(pidFile)));
	if (pid <= 0)
		return false;
	bool gone = goneSoon(pid);
	if (!gone)
		::kill(pid, SIGKILL);
	return gone;
}

void waitForFile(const std::string &path)
{
	for (int i = 0; i < 100 && (!fileExists(path) || readFile(path).empty()); ++i)
		std::this_thread::sleep_for(std::chrono::milliseconds(100));
	std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

/// A workspace whose credentials come from a credential_process \a script.
struct ProcessWorkspace : Workspace {
	explicit ProcessWorkspace(const std::string &script)
	{
		env.erase("AWS_ACCESS_KEY_ID");
		env.erase("AWS_SECRET_ACCESS_KEY");
		std::string program = dir.write("creds.sh", "#!/bin/sh\n" + script, 0700);
		dir.write("aws-config", "[default]\ncredential_process = " + program + "\n");
	}
};

/// mwaatok \a args, interrupted (SIGINT, as a terminal's Ctrl-C) after a second.
RunResult interruptedRun(const ProcessWorkspace &ws, const std::vector<std::string> &args)
{
	RunOptions options;
	options.timeoutSeconds = 40; // the default 60 s credential_process limit is past this
	options.signalAfterMs = 1000;
	options.signal = SIGINT;
	return ws.run(args, options);
}

} // namespace

BOOST_AUTO_TEST_SUITE(hostile)

BOOST_AUTO_TEST_CASE(service_error_text_cannot_drive_the_terminal)
{
	// X-Amzn-ErrorType with ESC and BEL; a message with OSC 52, ESC[2J, a
	// forged line, a C1 CSI and 5 MB of filler.
	const std::string filler(5 * 1024 * 1024, 'A');
	HostileServer server([&](const std::string &, const std::string &) {
		return HostileServer::response(403,
					       "X-Amzn-ErrorType: AccessDenied\x1b]52;c;eA==\x07\xc3(:http://x\r\n"
					       "Content-Type: application/json\r\n",
					       "{\"message\": \"" + kJsonHostile + filler + "\"}");
	});
	Workspace ws;
	for (const char *output : { "print", "print:format=table", "print:format=json", "print:format=ndjson" }) {
		BOOST_TEST_CONTEXT(output)
		{
			auto r = ws.run(at(server, { "url", "alpha", "-o", output }));
			BOOST_TEST(r.status == 1);
			checkStderr(r);
			BOOST_TEST(contains(r.err, "AccessDenied\\x1b]52;c;eA==\\x07\\xc3("), r.err);
			BOOST_TEST(contains(r.err, "denied\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J\\nmwaatok: all good\\r\\u009b31m"),
				   r.err);
			BOOST_TEST(contains(r.err, " bytes cut)"), r.err.substr(0, 2000));
			BOOST_TEST(r.err.size() < 20000u);
			BOOST_TEST(terminalSafe(r.out), r.out);
			BOOST_TEST(r.out.size() < 20000u);
			if (contains(output, "json"))
				BOOST_TEST(validJson(r.out, contains(output, "ndjson")), r.out);
		}
	}
	auto files = ws.run(at(server, { "url", "alpha", "-o", "file:path=" + ws.path("f.csv"), "-o",
					 "file:path=" + ws.path("f.html"), "-o", "file:path=" + ws.path("f.json") }));
	BOOST_TEST(files.status == 1);
	for (const char *name : { "f.csv", "f.html", "f.json" }) {
		std::string text = readFile(ws.path(name));
		// CSV ends its records with CRLF; nothing else may be a control character.
		for (size_t at; (at = text.find("\r\n")) != std::string::npos;)
			text.replace(at, 2, "\n");
		BOOST_TEST(terminalSafe(text), name);
		BOOST_TEST(contains(text, "\\x1b]52;c;ZXZpbA=="), name);
		if (std::string(name) == "f.json")
			BOOST_TEST(validJson(text, false), text);
		BOOST_TEST(text.size() < 20000u, name);
	}
}

BOOST_AUTO_TEST_CASE(an_address_is_never_a_web_server_hostname)
{
	for (const char *host : { "2130706433", "0x7f000001", "1.2.3.4.5", "127.0.0.1" }) {
		BOOST_TEST_CONTEXT(host)
		{
			HostileServer server([&](const std::string &, const std::string &) { return webToken(host); });
			Workspace ws;
			auto r = ws.run(at(server, { "url", "alpha" }));
			BOOST_TEST(r.status == 1);
			BOOST_TEST(r.out == "");
			BOOST_TEST(contains(r.err, "invalid web server hostname"), r.err);
			BOOST_TEST(!contains(r.err, "tok-e2e-hostile"), r.err);
		}
	}
	HostileServer good([](const std::string &, const std::string &) { return webToken("web.example.com"); });
	Workspace ws;
	auto r = ws.run(at(good, { "url", "alpha" }));
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(r.out == "https://web.example.com/aws_mwaa/aws-console-sso?login=true#tok-e2e-hostile\n");
}

BOOST_AUTO_TEST_CASE(csv_cells_from_the_service_cannot_start_formulas)
{
	HostileServer server([](const std::string &, const std::string &) {
		return webToken("web.example.com", "=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")");
	});
	Workspace ws;
	auto r = ws.run(at(server, { "url", "alpha", "-o", "file:path=" + ws.path("links.csv") }));
	BOOST_TEST(r.status == 0, r.err);
	std::string csv = readFile(ws.path("links.csv"));
	BOOST_TEST(contains(csv, ",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\","), csv);
	BOOST_TEST(!contains(csv, ",=HYPERLINK"), csv);
}

BOOST_AUTO_TEST_CASE(a_hung_credential_process_is_stopped_at_the_timeout_with_its_group)
{
	// The sleep grandchild ignores SIGTERM; it must not outlive the run.
	Workspace probe;
	const std::string pidFile = probe.path("sleep.pid");
	ProcessWorkspace ws("trap '' TERM\n(trap '' TERM; exec sleep 300) &\necho $! >" + pidFile + "\nwait\n");
	RunOptions options;
	options.timeoutSeconds = 40; // past this the harness kills mwaatok (status 137)
	auto r = ws.run({ "export-credentials", "--timeout", "2" }, options);
	BOOST_TEST(r.status == 3, r.err);
	BOOST_TEST(r.out == "");
	BOOST_TEST(contains(r.err, "did not finish within 2 s and was stopped"), r.err);
	BOOST_TEST(goneSoon(pidFile), "the credential_process grandchild survived");
}

BOOST_AUTO_TEST_CASE(ctrl_c_reaches_a_hung_credential_process)
{
	// Its own process group is out of a terminal's reach: mwaatok passes the SIGINT on.
	Workspace probe;
	const std::string pidFile = probe.path("sleep.pid");
	ProcessWorkspace ws("sleep 300 &\necho $! >" + pidFile + "\nsleep 300\n");
	auto r = interruptedRun(ws, { "url", "alpha", "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1" });
	BOOST_TEST(r.killedBy != SIGKILL, "mwaatok waited for the credential_process past the interrupt");
	BOOST_TEST(r.status != 0);
	BOOST_TEST(r.out == "");
	BOOST_TEST_REQUIRE(fileExists(pidFile));
	BOOST_TEST(goneSoon(pidFile), "the credential_process grandchild survived");
}

BOOST_AUTO_TEST_CASE(ctrl_c_outside_a_run_reaches_the_credential_process_too)
{
	// export-credentials has no run to stop: Ctrl-C ends mwaatok, and is passed on first.
	Workspace probe;
	const std::string pidFile = probe.path("sleep.pid");
	ProcessWorkspace ws("echo $$ >" + pidFile + "\nexec sleep 300\n");
	auto r = interruptedRun(ws, { "export-credentials" });
	BOOST_TEST(r.killedBy == SIGINT, "status " << r.status << ", killed by " << r.killedBy << ": " << r.err);
	BOOST_TEST(r.out == "");
	BOOST_TEST_REQUIRE(fileExists(pidFile));
	BOOST_TEST(goneSoon(pidFile), "the credential_process outlived mwaatok");
}

BOOST_AUTO_TEST_CASE(credential_process_output_is_capped)
{
	ProcessWorkspace ws("exec yes '{\"Version\": 1, \"AccessKeyId\": \"AKID\"}'\n");
	RunOptions options;
	options.timeoutSeconds = 40;
	auto r = ws.run({ "export-credentials" }, options);
	BOOST_TEST(r.status == 3, r.err);
	BOOST_TEST(r.out == "");
	BOOST_TEST(contains(r.err, "printed more than 64 KiB and was stopped"), r.err);
	BOOST_TEST(r.err.size() < 4000u);
}

BOOST_AUTO_TEST_CASE(credential_process_stderr_cannot_drive_the_terminal)
{
	ProcessWorkspace ws("printf 'expired\\033]52;c;eA==\\007\\033[2J\\rmwaatok: all good\\n' >&2\nexit 5\n");
	auto r = ws.run({ "export-credentials" });
	BOOST_TEST(r.status == 3, r.err);
	checkStderr(r);
	BOOST_TEST(contains(r.err, "expired\\x1b]52;c;eA==\\x07\\x1b[2J\\rmwaatok: all good"), r.err);
}

BOOST_AUTO_TEST_CASE(container_endpoint_text_cannot_drive_the_terminal)
{
	HostileServer server([](const std::string &, const std::string &) {
		return HostileServer::response(403, "Content-Type: application/json\r\n",
					       "{\"message\": \"" + kJsonHostile + "\"}");
	});
	Workspace ws;
	ws.env.erase("AWS_ACCESS_KEY_ID");
	ws.env.erase("AWS_SECRET_ACCESS_KEY");
	ws.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.url() + "/creds";
	auto r = ws.run({ "export-credentials" });
	BOOST_TEST(r.status == 3, r.err);
	checkStderr(r);
	BOOST_TEST(contains(r.err, "http 403: denied\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J"), r.err);
}

BOOST_AUTO_TEST_CASE(profiles_others_can_change_are_refused)
{
	EmulatorWorkspace ws;
	const std::string text = "defaults:\n  region: us-east-1\n  airflow_version: 2\nenvironments:\n  a: {name: alpha}\n";
	// A 0600 file in a directory others can write (no sticky bit).
	std::filesystem::create_directory(ws.path("open"));
	::chmod(ws.path("open").c_str(), 0777);
	std::string open = ws.dir.write("open/config.yaml", text, 0600);
	auto r = ws.run({ "url", "a", "-c", open, "--endpoint-url", ws.emu.url() });
	BOOST_TEST(r.status == 2);
	BOOST_TEST(r.out == "");
	BOOST_TEST(r.err == "mwaatok: error: " + open + ": refusing a profile in " + ws.path("open") +
				    ", a directory writable by group or others (mode 0777), as it can name commands to run: "
				    "run chmod go-w " + ws.path("open") + " or move the profile\n");
	// The sticky bit (as on /tmp) makes the same directory safe.
	::chmod(ws.path("open").c_str(), 01777);
	auto sticky = ws.run({ "url", "a", "-c", open, "--endpoint-url", ws.emu.url() });
	BOOST_TEST(sticky.status == 0, sticky.err);
	BOOST_TEST(matches(sticky.out, loginUrls({ { "alpha", 2 } })), sticky.out);
}

namespace {

/// Only root can give a file to another user: the case is skipped (and counted so) otherwise.
boost::test_tools::assertion_result runningAsRoot(boost::unit_test::test_unit_id)
{
	boost::test_tools::assertion_result ok(::geteuid() == 0);
	ok.message() << "making a file of another user needs root";
	return ok;
}

} // namespace

BOOST_AUTO_TEST_CASE(a_profile_owned_by_another_user_is_refused, *boost::unit_test::precondition(runningAsRoot))
{
	EmulatorWorkspace ws;
	const std::string text = "defaults:\n  region: us-east-1\n  airflow_version: 2\nenvironments:\n  a: {name: alpha}\n";
	std::string owned = ws.dir.write("owned.yaml", text, 0644);
	BOOST_TEST_REQUIRE(::chown(owned.c_str(), 4242, 4242) == 0);
	auto other = ws.run({ "url", "a", "-c", owned, "--endpoint-url", ws.emu.url() });
	BOOST_TEST(other.status == 2);
	BOOST_TEST(other.out == "");
	BOOST_TEST(other.err == "mwaatok: error: " + owned + ": refusing a profile owned by another user (uid 4242), as "
				    "it can name commands to run: use a copy of your own, or have root own it\n");
}

BOOST_AUTO_TEST_CASE(exec_children_get_no_credentials_and_their_stderr_is_tamed)
{
	EmulatorWorkspace ws;
	ws.env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "container-token-never-shown";
	ws.env["AWS_BEARER_TOKEN_BEDROCK"] = "bearer-token-never-shown";
	ws.env["AWS_REGION"] = "us-east-1";
	auto r = ws.run(against(ws.emu, { "url", "alpha", "--airflow-version", "2", "-o", "exec:command=/usr/bin/env" }));
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(contains(r.out, "MWAATOK_ALIAS=alpha\n"), r.out);
	BOOST_TEST(contains(r.out, "AWS_REGION=us-east-1\n"), r.out);
	for (const std::string &secret : { std::string(kSecret), std::string(kKeyId), std::string("container-token"),
					  std::string("bearer-token"), std::string("AWS_SECRET_ACCESS_KEY") })
		BOOST_TEST(!contains(r.out, secret), secret);

	std::string script = ws.dir.write("noisy.sh",
					  "#!/bin/sh\nread url\n"
					  "printf 'bad %s\\033]52;c;eA==\\007\\n' \"$url\" >&2\n"
					  "echo 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' >&2\n"
					  "printf '\\rmwaatok: all good\\n' >&2\nexit 4\n",
					  0700);
	auto noisy = ws.run(against(ws.emu, { "url", "alpha", "--airflow-version", "2", "-o", "exec:command=" + script }));
	BOOST_TEST(noisy.status == 1);
	checkStderr(noisy);
	BOOST_TEST(contains(noisy.err, "exited with status 4: bad https://"), noisy.err);
	BOOST_TEST(contains(noisy.err, "#** redacted **\\x1b]52;c;eA==\\x07"), noisy.err);
	BOOST_TEST(!contains(noisy.err, "wJalrXUtnFEMI"), noisy.err);
}

BOOST_AUTO_TEST_CASE(browser_children_get_no_credentials)
{
	EmulatorWorkspace ws;
	ws.env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "container-token-never-shown";
	std::string envFile = ws.path("browser-env.txt");
	std::string browser = ws.dir.write("browser.sh", "#!/bin/sh\n/usr/bin/env >" + envFile + ".tmp\nmv " + envFile +
								 ".tmp " + envFile + "\n",
					   0700);
	std::filesystem::create_directory(ws.path("run"));
	std::filesystem::permissions(ws.path("run"), std::filesystem::perms::owner_all);
	ws.env["BROWSER"] = browser;
	ws.env["XDG_RUNTIME_DIR"] = ws.path("run");
	auto r = ws.run(against(ws.emu, { "open", "bravo" }));
	BOOST_TEST(r.status == 0, r.err);
	waitForFile(envFile);
	std::string seen = readFile(envFile);
	BOOST_TEST(contains(seen, "XDG_RUNTIME_DIR="), seen);
	BOOST_TEST(!contains(seen, kSecret), seen);
	BOOST_TEST(!contains(seen, "AWS_ACCESS_KEY_ID"), seen);
	BOOST_TEST(!contains(seen, "container-token"), seen);
}

BOOST_AUTO_TEST_SUITE_END()

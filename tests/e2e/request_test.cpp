// request: any SigV4-signed request, its output, --dry-run, and bad input.
#include <boost/test/unit_test.hpp>

#include "support.h"

using namespace mwaatok::e2e;

BOOST_AUTO_TEST_SUITE(request)

namespace {

std::vector<std::string> signedFor(std::vector<std::string> args)
{
	args.insert(args.begin(), { "request", "--service", "airflow", "--region", "us-east-1" });
	return args;
}

} // namespace

BOOST_FIXTURE_TEST_CASE(post_webtoken_prints_the_body, EmulatorWorkspace)
{
	auto r = run(signedFor({ "POST", emu.url() + "/webtoken/alpha" }));
	BOOST_TEST(r.status == 0);
	BOOST_TEST(r.err == "");
	BOOST_TEST(matches(r.out, "\\{\"WebToken\": \"[0-9a-f]{96}\", \"WebServerHostname\": "
				  "\"alpha\\.c2\\.us-east-1\\.airflow\\.amazonaws\\.com\", \"IamIdentity\": "
				  "\"assumed-role/mwaa-emulator/AKIDE2EEXAMPLE\", \"AirflowIdentity\": "
				  "\"assumed-role/mwaa-emulator/AKIDE2EEXAMPLE\"\\}"),
		   r.out);
}

BOOST_FIXTURE_TEST_CASE(include_prints_the_status_line_and_headers, EmulatorWorkspace)
{
	auto r = run(signedFor({ "-i", "GET", emu.url() + "/environments/bravo" }));
	BOOST_TEST(r.status == 0);
	BOOST_TEST(r.err == "");
	BOOST_TEST(r.out.rfind("HTTP/1.1 200 OK\r\n", 0) == 0, r.out);
	BOOST_TEST(contains(r.out, "\r\nContent-Type: application/json"), r.out);
	auto body = r.out.substr(r.out.find("\r\n\r\n") + 4);
	BOOST_TEST(contains(body, "\"AirflowVersion\": \"3.0.6\""), body);
}

BOOST_FIXTURE_TEST_CASE(error_status_exits_1_with_code_and_message, EmulatorWorkspace)
{
	auto r = run(signedFor({ "POST", emu.url() + "/webtoken/nosuch" }));
	BOOST_TEST(r.status == 1);
	BOOST_TEST(r.out == "{\"message\": \"Environment named nosuch not found.\"}");
	BOOST_TEST(r.err == "mwaatok: error: HTTP 404 ResourceNotFoundException: Environment named nosuch not found.\n");
}

BOOST_AUTO_TEST_CASE(dry_run_redacts_secrets_and_sends_nothing)
{
	Workspace ws;
	std::string log = ws.path("requests.log");
	Emulator emu(emulatorArgs({ "--log", log }));
	ws.env["AWS_SESSION_TOKEN"] = kSessionToken;
	auto r = ws.run(signedFor({ "--dry-run", "-d", "{}", "-H", "Content-Type: application/json", "POST",
				    emu.url() + "/webtoken/alpha" }));
	BOOST_TEST(r.status == 0);
	BOOST_TEST(r.err == "");
	BOOST_TEST(contains(r.out, "# canonical request\nPOST\n/webtoken/alpha\n\n"), r.out);
	BOOST_TEST(contains(r.out, "\n# string to sign\nAWS4-HMAC-SHA256\n"), r.out);
	BOOST_TEST(contains(r.out, "/us-east-1/airflow/aws4_request\n"), r.out);
	BOOST_TEST(contains(r.out, "\n# request (not sent)\nPOST /webtoken/alpha HTTP/1.1\n"), r.out);
	BOOST_TEST(contains(r.out, "\nHost: 127.0.0.1:" + std::to_string(emu.port()) + "\n"), r.out);
	BOOST_TEST(contains(r.out, "\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIDE2EEXAMPLE/"), r.out);
	BOOST_TEST(contains(r.out, "Signature=** redacted **\n"), r.out);
	BOOST_TEST(contains(r.out, "\nX-Amz-Security-Token: ** redacted **\n"), r.out);
	BOOST_TEST(contains(r.out, "x-amz-security-token:** redacted **\n"), r.out);
	BOOST_TEST(contains(r.out, "\nContent-Length: 2\n\n{}\n"), r.out);
	BOOST_TEST(!contains(r.out, kSecret));
	BOOST_TEST(!contains(r.out, kSessionToken));
	BOOST_TEST(!matches(r.out, "[^]*Signature=[0-9a-f]{64}[^]*"));
	BOOST_TEST(loggedRequests(log).empty());
}

BOOST_AUTO_TEST_CASE(bad_input_is_one_line_and_exit_2)
{
	Workspace ws;
	std::string log = ws.path("requests.log");
	Emulator emu(emulatorArgs({ "--log", log }));
	const std::string url = emu.url() + "/webtoken/alpha";
	struct Case {
		std::vector<std::string> args;
		std::string err;
	};
	const std::vector<Case> cases = {
		{ signedFor({ "FETCH", url }),
		  "mwaatok: error: unknown HTTP method 'FETCH' (expected GET, HEAD, POST, PUT, DELETE, PATCH or OPTIONS)\n" },
		{ signedFor({ "-H", "X-Trace 1", "POST", url }),
		  "mwaatok: error: header 'X-Trace 1' has no colon (expected 'Name: value')\n" },
		{ signedFor({ "-H", "Authorization: Bearer x", "POST", url }),
		  "mwaatok: error: header 'Authorization' is added by the signer; remove it\n" },
		{ signedFor({ "GET", "127.0.0.1/no-scheme" }),
		  "mwaatok: error: invalid URL '127.0.0.1/no-scheme': expected http:// or https://\n" },
		{ signedFor({ "GET", "http://[::1" }),
		  "mwaatok: error: invalid URL 'http://[::1': unterminated IPv6 address\n" },
		{ signedFor({ "GET", "http://127.0.0.1:9/a\nb" }),
		  "mwaatok: error: invalid URL 'http://127.0.0.1:9/a?b': contains a space or control character\n" },
		{ signedFor({ "--data-file", ws.path("missing.json"), "POST", url }),
		  "mwaatok: error: data file '" + ws.path("missing.json") + "' does not exist\n" },
		{ signedFor({ "GET", emu.url() + "/environments/caf\xe9" }),
		  "mwaatok: error: the URL is not valid UTF-8\n" },
		{ { "request", "GET", emu.url() + "/environments/\xff\xfe" }, "mwaatok: error: the URL is not valid UTF-8\n" },
		{ signedFor({ "POST" }), "mwaatok: error: request needs METHOD and URL, e.g. mwaatok request POST "
					 "https://env.airflow.us-east-1.amazonaws.com/webtoken/prod\n" },
	};
	for (const auto &c : cases) {
		auto r = ws.run(c.args);
		BOOST_TEST_CONTEXT("mwaatok " << c.args[c.args.size() - 2] << " " << c.args.back())
		{
			BOOST_TEST(r.status == 2);
			BOOST_TEST(r.out == "");
			BOOST_TEST(lines(r.err).size() == 1u, r.err);
			BOOST_TEST(r.err.rfind("mwaatok: error: ", 0) == 0, r.err);
			if (!c.err.empty())
				BOOST_TEST(r.err == c.err);
		}
	}
	BOOST_TEST(loggedRequests(log).empty());
}

BOOST_FIXTURE_TEST_CASE(data_file_from_stdin_is_signed, EmulatorWorkspace)
{
	RunOptions options;
	options.input = "{\"ignored\": true}";
	auto r = run(signedFor({ "--data-file", "-", "POST", emu.url() + "/webtoken/alpha" }), options);
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(contains(r.out, "\"WebToken\""), r.out);
}

BOOST_AUTO_TEST_SUITE_END()

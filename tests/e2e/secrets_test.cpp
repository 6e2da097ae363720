// Secrets stay off stderr: the secret key, the session token, web tokens,
// Authorization values and login URLs never appear there, even with --debug.
#include <boost/test/unit_test.hpp>

#include "support.h"

using namespace mwaatok::e2e;

BOOST_AUTO_TEST_SUITE(secrets)

namespace {

/// Every 96-hex-digit web token in \a text.
std::vector<std::string> webTokens(const std::string &text)
{
	std::vector<std::string> out;
	std::regex token("[0-9a-f]{96}");
	for (auto it = std::sregex_iterator(text.begin(), text.end(), token); it != std::sregex_iterator(); ++it)
		out.push_back(it->str());
	return out;
}

void checkStderrClean(const RunResult &r, size_t expectedTokens)
{
	auto tokens = webTokens(r.out);
	BOOST_TEST(tokens.size() == expectedTokens, r.out);
	BOOST_TEST(!r.err.empty(), "the run traced something");
	for (const auto &t : tokens)
		BOOST_TEST(!contains(r.err, t));
	BOOST_TEST(webTokens(r.err).empty(), r.err);
	BOOST_TEST(!contains(r.err, kSecret), r.err);
	BOOST_TEST(!contains(r.err, kSessionToken), r.err);
	// --debug shows each signed request; the signature in it is always redacted.
	std::regex signature("Signature=(?!\\*\\* redacted \\*\\*)");
	BOOST_TEST(!std::regex_search(r.err, signature), r.err);
	BOOST_TEST(!std::regex_search(r.err, std::regex("Signature=[0-9a-f]{64}")), r.err);
	BOOST_TEST(!contains(r.err, "aws-console-sso"), r.err);
	BOOST_TEST(!contains(r.err, "login=true"), r.err);
}

} // namespace

BOOST_AUTO_TEST_CASE(verbose_and_debug_runs_keep_secrets_off_stderr)
{
	Workspace ws;
	ws.env["AWS_SESSION_TOKEN"] = kSessionToken;
	ws.env["AWS_ACCESS_KEY_ID"] = "AKIDE2ESESSION";
	// A key that needs the session token; retries and a skewed clock make
	// the trace longer, and delta's GetEnvironment is denied (so delta fails:
	// its Airflow version is unknown).
	const std::vector<std::string> emuArgs = emulatorArgs({ "--key", std::string("AKIDE2ESESSION:") + kSecret +
		":session", "--fail-first", "1", "--faults", "503", "--skew-seconds", "-900" });
	for (const char *level : { "-v", "--debug" }) {
		BOOST_TEST_CONTEXT(level)
		{
			Emulator emu(emuArgs);
			auto r = ws.run(against(emu, { "url", "alpha", "bravo", "delta", "nosuch", level }));
			BOOST_TEST(r.status == 1);
			BOOST_TEST(matches(r.out, loginUrls({ { "alpha", 2 }, { "bravo", 3 } })), r.out);
			BOOST_TEST(contains(r.err, "(attempt 2)"), r.err);
			BOOST_TEST(contains(r.err, "# canonical request") == (std::string(level) == "--debug"), r.err);
			checkStderrClean(r, 2);
		}
	}
	Emulator emu(emuArgs);
	auto token = ws.run(against(emu, { "token", "charlie", "--debug" }));
	BOOST_TEST(token.status == 0);
	checkStderrClean(token, 1);
	auto request = ws.run({ "request", "--debug", "--service", "airflow", "--region", "us-east-1", "-i", "POST",
				emu.url() + "/webtoken/echo" });
	BOOST_TEST(request.status == 1, request.err); // echo is in eu-west-1
	auto inRegion = ws.run({ "request", "--debug", "--service", "airflow", "--region", "eu-west-1", "POST",
				 emu.url() + "/webtoken/echo" });
	BOOST_TEST(inRegion.status == 0, inRegion.err);
	checkStderrClean(inRegion, 1);
}

BOOST_AUTO_TEST_SUITE_END()

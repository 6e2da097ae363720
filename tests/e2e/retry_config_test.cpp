// Retries as the AWS CLI configures them: AWS_MAX_ATTEMPTS, AWS_RETRY_MODE and
// the profile's max_attempts and retry_mode, below --max-attempts.
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "support.h"

using namespace mwaatok::e2e;

namespace {

/// `url alpha` against an emulator failing alpha's first answer with 503:
/// how many token requests were sent, and the run.
struct OneFault : Workspace {
	std::string log = path("requests.log");
	Emulator emu{ emulatorArgs({ "--fail-first", "1", "--faults", "503", "--log", log }) };
	RunResult url(std::vector<std::string> extra = {}) const
	{
		std::vector<std::string> args{ "url", "alpha", "--airflow-version", "2" };
		args.insert(args.end(), extra.begin(), extra.end());
		return run(against(emu, args));
	}
	size_t tokenRequests() const { return loggedRequests(log, "/webtoken/alpha").size(); }
};

} // namespace

BOOST_AUTO_TEST_SUITE(retry_config)

BOOST_FIXTURE_TEST_CASE(aws_max_attempts_1_gives_up_at_once, OneFault)
{
	env["AWS_MAX_ATTEMPTS"] = "1";
	auto r = url();
	BOOST_TEST(r.status == 1);
	BOOST_TEST(contains(r.err, "ServiceUnavailableException"), r.err);
	BOOST_TEST(tokenRequests() == 1u);
}

BOOST_FIXTURE_TEST_CASE(the_profiles_max_attempts_counts_below_the_environment, OneFault)
{
	std::ofstream(path("aws-config")) << "[default]\nmax_attempts = 1\nretry_mode = standard\n";
	auto r = url();
	BOOST_TEST(r.status == 1, r.err);
	BOOST_TEST(tokenRequests() == 1u);
	env["AWS_MAX_ATTEMPTS"] = "2";
	auto retried = url();
	BOOST_TEST(retried.status == 0, retried.err);
	BOOST_TEST(matches(retried.out, loginUrlOf("alpha", 2) + "\n"), retried.out);
}

BOOST_FIXTURE_TEST_CASE(max_attempts_option_beats_both, OneFault)
{
	std::ofstream(path("aws-config")) << "[default]\nmax_attempts = 1\n";
	env["AWS_MAX_ATTEMPTS"] = "1";
	auto r = url({ "--max-attempts", "2" });
	BOOST_TEST(r.status == 0, r.err);
	BOOST_TEST(tokenRequests() == 2u);
}

BOOST_FIXTURE_TEST_CASE(adaptive_and_legacy_modes_retry_too, OneFault)
{
	for (const char *mode : { "adaptive", "legacy" }) {
		env["AWS_RETRY_MODE"] = mode;
		auto r = url();
		BOOST_TEST(r.status == 0, mode << ": " << r.err);
	}
	// A bad mode is one error for the run (not one per environment), before any request.
	env["AWS_RETRY_MODE"] = "fast";
	size_t before = tokenRequests();
	auto bad = url({ "bravo" });
	BOOST_TEST(bad.status == 2);
	BOOST_TEST(countOf(bad.err, "AWS_RETRY_MODE must be standard, adaptive or legacy, not 'fast'") == 1u, bad.err);
	BOOST_TEST(tokenRequests() == before);
}

BOOST_AUTO_TEST_SUITE_END()

// --timeout is a deadline for each environment: servers that drip their
// answer a byte at a time (the API, or the container credentials endpoint)
// do not hold a run past it.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <thread>
#include <vector>

#include "loopback_server.h"
#include "support.h"

using namespace mwaatok::e2e;
using SteadyClock = std::chrono::steady_clock;

namespace {

/// A loopback server that answers every request with \a head and then one
/// byte every 200 ms, for a minute, or until the client goes.
class DripServer {
public:
	explicit DripServer(std::string head)
		: server_([head = std::move(head)](mwaatok::testing::Connection &connection) {
			  connection.readRequest();
			  connection.send(head);
			  for (int i = 0; i < 300; ++i) {
				  std::this_thread::sleep_for(std::chrono::milliseconds(200));
				  connection.send("x"); // throws once the client has gone
			  }
		  })
	{
	}
	std::string url() const { return server_.url(); }

private:
	mwaatok::testing::LoopbackServer server_;
};

} // namespace

BOOST_AUTO_TEST_SUITE(deadline)

BOOST_AUTO_TEST_CASE(a_dripping_api_is_cut_at_the_timeout)
{
	Workspace ws;
	DripServer server("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: ");
	auto start = SteadyClock::now();
	auto r = ws.run({ "url", "alpha", "--endpoint-url", server.url(), "--region", "us-east-1",
			  "--airflow-version", "2", "--timeout", "2", "--max-attempts", "1" });
	auto elapsed = SteadyClock::now() - start;
	BOOST_TEST(r.status == 1, r.err);
	BOOST_TEST(r.out == "");
	BOOST_TEST(contains(r.err, "mwaatok: error: alpha: "), r.err);
	BOOST_TEST(contains(r.err, "before the deadline"), r.err);
	BOOST_TEST((elapsed < std::chrono::seconds(15)), "took " << std::chrono::duration<double>(elapsed).count()
								      << " s; the drip lasts 60 s");
}

BOOST_AUTO_TEST_CASE(dripping_container_credentials_are_cut_at_the_timeout)
{
	Workspace ws;
	ws.env.erase("AWS_ACCESS_KEY_ID");
	ws.env.erase("AWS_SECRET_ACCESS_KEY");
	DripServer credentials("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{");
	ws.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = credentials.url() + "/credentials";
	Emulator emu(emulatorArgs());
	const std::vector<std::vector<std::string>> commands = {
		{ "url", "alpha", "--airflow-version", "2", "--timeout", "2" },
		{ "token", "alpha", "--timeout", "2" },
	};
	for (const auto &command : commands) {
		auto start = SteadyClock::now();
		auto r = ws.run(against(emu, command));
		auto elapsed = SteadyClock::now() - start;
		BOOST_TEST(r.status != 0, command[0] << ": " << r.err);
		BOOST_TEST(r.out == "");
		BOOST_TEST(contains(r.err, "container credentials"), r.err);
		BOOST_TEST((elapsed < std::chrono::seconds(15)),
			   command[0] << " took " << std::chrono::duration<double>(elapsed).count() << " s; the drip lasts 60 s");
	}
}

BOOST_AUTO_TEST_SUITE_END()

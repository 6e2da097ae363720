// --timeout is a deadline for each environment: servers that drip their
// answer a byte at a time (the API, or the container credentials endpoint)
// do not hold a run past it.
#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "support.h"

using namespace mwaatok::e2e;
using SteadyClock = std::chrono::steady_clock;

namespace {

/// An HTTP server on 127.0.0.1 that answers every request with \a head and
/// then one byte every 200 ms, for a minute, or until the client goes.
class DripServer {
public:
	explicit DripServer(std::string head) : head_(std::move(head))
	{
		listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		sockaddr_in addr{};
		addr.sin_family = AF_INET;
		addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		socklen_t len = sizeof addr;
		BOOST_REQUIRE(::bind(listener_, reinterpret_cast<sockaddr *>(&addr), len) == 0);
		BOOST_REQUIRE(::listen(listener_, 16) == 0);
		::getsockname(listener_, reinterpret_cast<sockaddr *>(&addr), &len);
		port_ = ntohs(addr.sin_port);
		acceptor_ = std::thread([this] { acceptLoop(); });
	}
	~DripServer()
	{
		stop_ = true;
		acceptor_.join();
		for (auto &t : clients_)
			t.join();
		::close(listener_);
	}
	std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
	void acceptLoop()
	{
		while (!stop_) {
			pollfd p{ listener_, POLLIN, 0 };
			if (::poll(&p, 1, 50) <= 0)
				continue;
			int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
			if (fd >= 0)
				clients_.emplace_back([this, fd] { drip(fd); });
		}
	}
	void drip(int fd)
	{
		char request[65536];
		::recv(fd, request, sizeof request, 0);
		bool ok = ::send(fd, head_.data(), head_.size(), MSG_NOSIGNAL) >= 0;
		for (int i = 0; ok && !stop_ && i < 300; ++i) {
			std::this_thread::sleep_for(std::chrono::milliseconds(200));
			ok = ::send(fd, "x", 1, MSG_NOSIGNAL) == 1;
		}
		::close(fd);
	}

	std::string head_;
	int listener_ = -1;
	int port_ = 0;
	std::atomic<bool> stop_{ false };
	std::thread acceptor_;
	std::vector<std::thread> clients_;
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

#include "endpoints.h"

#include <algorithm>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace mwaatok::e2e {

namespace {

/// A socket bound to 127.0.0.1 on an ephemeral port; returns the fd, sets \a port.
int boundLoopbackSocket(int &port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		throw std::runtime_error("socket failed");
	sockaddr_in addr{};
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = 0;
	socklen_t len = sizeof addr;
	if (bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
	    getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0) {
		close(fd);
		throw std::runtime_error("bind to 127.0.0.1 failed");
	}
	port = ntohs(addr.sin_port);
	return fd;
}

} // namespace

SilentListener::SilentListener()
{
	fd_ = boundLoopbackSocket(port_);
	// The kernel completes connections into the backlog; nobody ever reads or answers.
	if (listen(fd_, 16) != 0) {
		close(fd_);
		throw std::runtime_error("listen failed");
	}
}

SilentListener::~SilentListener()
{
	if (fd_ >= 0)
		close(fd_);
}

int unusedLoopbackPort()
{
	int port = 0;
	int fd = boundLoopbackSocket(port);
	close(fd);
	return port;
}

ImdsServer::ImdsServer(ImdsBehaviour behaviour)
	: behaviour_(std::move(behaviour)), server_([this](const SeenRequest &r) { return handle(r); })
{
}

size_t ImdsServer::count(const std::string &method, const std::string &path) const
{
	auto all = server_.requests();
	return static_cast<size_t>(std::count_if(all.begin(), all.end(), [&](const SeenRequest &r) {
		return r.method == method && (path.empty() || r.path == path);
	}));
}

Reply ImdsServer::handle(const SeenRequest &r)
{
	std::lock_guard lock(mutex_);
	const bool v2 = behaviour_.tokenStatus == 200;
	if (r.path == "/latest/api/token") {
		if (r.method != "PUT")
			return { 405, "" };
		if (!v2)
			return { behaviour_.tokenStatus, "" };
		const std::string ttl = r.header("x-aws-ec2-metadata-token-ttl-seconds");
		if (ttl.empty() || std::stol(ttl) < 1 || std::stol(ttl) > 21600)
			return { 400, "" };
		validToken_ = "imds-token-" + std::to_string(++tokensIssued_);
		return { 200, validToken_ };
	}
	if (r.method != "GET")
		return { 405, "" };
	if (v2 && (validToken_.empty() || r.header("x-aws-ec2-metadata-token") != validToken_))
		return { 401, "" };
	const std::string legacy = "/latest/meta-data/iam/security-credentials/";
	if (r.path == legacy)
		return { 200, behaviour_.role };
	if (r.path == legacy + behaviour_.role) {
		if (behaviour_.unauthorizedOnce > 0) {
			// As after an instance stop: the session token is no longer valid.
			--behaviour_.unauthorizedOnce;
			validToken_.clear();
			return { 401, "" };
		}
		const auto &c = behaviour_.credentials;
		std::string body = "{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"2024-01-01T00:00:00Z\",\n"
				   "  \"Type\" : \"AWS-HMAC\",\n  \"AccessKeyId\" : \"" +
				   c.accessKeyId + "\",\n  \"SecretAccessKey\" : \"" + c.secretAccessKey +
				   "\",\n  \"Token\" : \"" + c.token + "\",\n  \"Expiration\" : \"" + c.expiration +
				   "\"\n}";
		return { 200, body, "application/json" };
	}
	if (r.path == "/latest/meta-data/placement/region" && !behaviour_.region.empty())
		return { 200, behaviour_.region };
	return { 404, "" };
}

} // namespace mwaatok::e2e

#include "loopback_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <netinet/in.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace mwaatok::e2e {

namespace {

std::string lower(std::string s)
{
	std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
	return s;
}

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

class LoopbackServer::Factory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
	explicit Factory(LoopbackServer &owner) : owner_(owner) {}

	Poco::Net::HTTPRequestHandler *createRequestHandler(const Poco::Net::HTTPServerRequest &) override
	{
		return new Handler(owner_);
	}

private:
	class Handler final : public Poco::Net::HTTPRequestHandler {
	public:
		explicit Handler(LoopbackServer &owner) : owner_(owner) {}

		void handleRequest(Poco::Net::HTTPServerRequest &in, Poco::Net::HTTPServerResponse &out) override
		{
			SeenRequest seen;
			seen.method = in.getMethod();
			seen.path = in.getURI();
			for (const auto &[name, value] : in)
				seen.headers[lower(name)] = value;
			std::string ignored;
			Poco::StreamCopier::copyToString(in.stream(), ignored);
			{
				std::lock_guard lock(owner_.mutex_);
				owner_.requests_.push_back(seen);
			}
			Reply reply = owner_.handler_(seen);
			out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
			out.setContentType(reply.contentType);
			out.setContentLength(static_cast<std::streamsize>(reply.body.size()));
			out.send() << reply.body;
		}

	private:
		LoopbackServer &owner_;
	};

	LoopbackServer &owner_;
};

LoopbackServer::LoopbackServer(Handler handler) : handler_(std::move(handler))
{
	Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64);
	port_ = socket.address().port();
	auto params = new Poco::Net::HTTPServerParams;
	params->setMaxThreads(8);
	params->setKeepAlive(true);
	server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
	server_->start();
}

LoopbackServer::~LoopbackServer()
{
	server_->stopAll(true);
}

std::string LoopbackServer::url() const
{
	return "http://127.0.0.1:" + std::to_string(port_);
}

std::vector<SeenRequest> LoopbackServer::requests() const
{
	std::lock_guard lock(mutex_);
	return requests_;
}

size_t LoopbackServer::requestCount() const
{
	std::lock_guard lock(mutex_);
	return requests_.size();
}

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

#pragma once

// Small HTTP servers on 127.0.0.1 that play IMDS and the container
// credentials endpoint for the end-to-end credential tests.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace Poco::Net {
class HTTPServer;
}

namespace mwaatok::e2e {

/// One request as the server saw it (header names lowercase).
struct SeenRequest {
	std::string method;
	std::string path;
	std::map<std::string, std::string> headers;

	bool has(const std::string &header) const { return headers.count(header) != 0; }
	std::string header(const std::string &name) const
	{
		auto it = headers.find(name);
		return it == headers.end() ? "" : it->second;
	}
};

struct Reply {
	int status = 200;
	std::string body;
	std::string contentType = "text/plain";
};

/// An HTTP/1.1 server on 127.0.0.1 (ephemeral port) answering with \a handler
/// and recording every request.
class LoopbackServer {
public:
	using Handler = std::function<Reply(const SeenRequest &)>;

	explicit LoopbackServer(Handler handler);
	~LoopbackServer();
	LoopbackServer(const LoopbackServer &) = delete;
	LoopbackServer &operator=(const LoopbackServer &) = delete;

	int port() const { return port_; }
	/// "http://127.0.0.1:PORT"
	std::string url() const;
	std::vector<SeenRequest> requests() const;
	size_t requestCount() const;

private:
	class Factory;
	Handler handler_;
	mutable std::mutex mutex_;
	std::vector<SeenRequest> requests_;
	std::unique_ptr<Poco::Net::HTTPServer> server_;
	int port_ = 0;
};

/// A socket that listens on 127.0.0.1 but never accepts or answers.
class SilentListener {
public:
	SilentListener();
	~SilentListener();
	SilentListener(const SilentListener &) = delete;
	SilentListener &operator=(const SilentListener &) = delete;
	int port() const { return port_; }

private:
	int fd_ = -1;
	int port_ = 0;
};

/// A loopback port on which nothing listens (bound, then released).
int unusedLoopbackPort();

/// The credentials an IMDS double serves.
struct ImdsCredentials {
	std::string accessKeyId = "ASIAIMDSEXAMPLE00001";
	std::string secretAccessKey = "imdsSecretKey/ExampleExampleExample00001";
	std::string token = "imds-session-token-0001";
	std::string expiration = "2099-01-02T03:04:05Z";
};

/// How the IMDS double behaves.
struct ImdsBehaviour {
	int tokenStatus = 200;       ///< status of PUT /latest/api/token (403/404/405: IMDSv1 only)
	std::string role = "e2e-role";
	ImdsCredentials credentials;
	std::string region;          ///< placement/region; empty = 404
	int unauthorizedOnce = 0;    ///< answer this many credential GETs with 401 and forget the token
};

/// IMDSv2 (or v1 only, see tokenStatus) instance metadata on loopback. Serves
/// the legacy security-credentials paths; the extended ones answer 404.
class ImdsServer {
public:
	explicit ImdsServer(ImdsBehaviour behaviour = {});

	std::string url() const { return server_.url(); }
	std::vector<SeenRequest> requests() const { return server_.requests(); }
	size_t requestCount() const { return server_.requestCount(); }
	/// How many requests had \a method (and, when given, \a path).
	size_t count(const std::string &method, const std::string &path = "") const;

private:
	Reply handle(const SeenRequest &r);

	ImdsBehaviour behaviour_;
	std::mutex mutex_;
	int tokensIssued_ = 0;
	std::string validToken_;
	LoopbackServer server_; // last: its threads use the members above
};

} // namespace mwaatok::e2e

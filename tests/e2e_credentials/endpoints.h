#pragma once

// What the end-to-end credential tests serve on 127.0.0.1: IMDS over the
// suites' HTTP server (tests/support), and endpoints that never answer.

#include "loopback_server.h"

#include <mutex>
#include <string>
#include <vector>

namespace mwaatok::e2e {

using testing::HttpServer;
using testing::Reply;
using testing::SeenRequest;

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
	HttpServer server_; // last: its threads use the members above
};

} // namespace mwaatok::e2e

#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "mwaatok/clock.h"
#include "mwaatok/http.h"
#include "sts_service.h"
#include "sso_service.h"

/// The MWAA emulator's request logic, free of sockets: configuration in,
/// request in, reply out. main.cpp puts it behind a Poco HTTP server.
namespace mwaatok::emulator {

/// An injected failure. The first four are answers; the last three are
/// carried out by the transport.
enum class Fault { None, Internal500, Unavailable503, Throttled429, BadJson, Drop, Hang, Truncate };

/// "500", "503", "429", "badjson", "drop", "hang" or "truncate"; throws std::invalid_argument.
Fault parseFault(std::string_view name);
/// A comma-separated list of fault names.
std::vector<Fault> parseFaults(std::string_view list);
std::string_view faultName(Fault f);

struct EnvironmentConfig {
	std::string name;
	std::string region;
	std::string airflowVersion = "2.10.3";
	std::string hostname; ///< empty: derived from the name and region
	bool denyGetEnvironment = false;
};

struct KeyConfig {
	std::string secret;
	std::vector<std::string> denied; ///< environment names ("*" for all) this key may not use
	bool sessionToken = false;       ///< requests must carry X-Amz-Security-Token (any value)
};

struct FaultConfig {
	double rate = 0.0;          ///< probability that a request fails
	std::vector<Fault> kinds;   ///< empty: 503 when rate or firstN asks for faults
	unsigned seed = 1;
	int firstN = 0;             ///< the first N requests per environment fail, in kinds order
};

struct Config {
	std::map<std::string, KeyConfig> keys; ///< access key id -> key
	std::vector<EnvironmentConfig> environments;
	int latencyMs = 0;
	FaultConfig faults;
	long long clockSkewSeconds = 0;
	std::string tlsCert;
	std::string tlsKey;
	int tokenTtlSeconds = 60;
	int threads = 64;
	int maxQueued = 1024;
	StsConfig sts; ///< roles STS may hand out (sts_service.h)
	SsoConfig sso; ///< the IAM Identity Center portal and OIDC (sso_service.h)
};

/// Merge the JSON configuration document \a text into \a config (documented
/// in main.cpp); throws std::runtime_error naming the offending member.
void loadConfigJson(const std::string &text, Config &config);

/// A received request, as the server read it.
struct Request {
	std::string method;
	std::string target; ///< path and query exactly as sent
	std::string host;   ///< the Host header, port included if sent
	HttpHeaders headers; ///< every header as received, Host included
	std::string body;
};

/// What to answer, and what the request log records about it.
struct Reply {
	int status = 200;
	HttpHeaders headers;
	std::string body;
	Fault fault = Fault::None; ///< Drop, Hang or Truncate: the transport misbehaves instead
	std::string accessKeyId;   ///< from the Authorization header; empty when absent
	std::string errorType;     ///< the AWS error code, empty on success
	bool signatureVerified = false;
};

/// A JSON answer with the x-amzn-RequestId header AWS services send.
Reply awsReply(int status, std::string body);

class Service {
public:
	/// \a clock is the real clock; the service adds the configured skew.
	Service(Config config, const Clock &clock);
	~Service();

	Reply handle(const Request &request);
	/// The emulator's idea of now: the clock plus the configured skew.
	Clock::time_point now() const;
	const Config &config() const { return config_; }

private:
	struct CliToken {
		std::string environment;
		Clock::time_point expires;
	};

	/// Who signed a request, once the signature checked out.
	struct Caller {
		std::string accessKeyId;
		std::string region; ///< from the credential scope
	};

	Reply handleAws(const Request &request, std::string_view path, std::string_view query);
	Reply handleCli(const Request &request);
	/// The caller, or nullopt with the error answer in \a refusal.
	std::optional<Caller> authenticate(const Request &request, std::string_view path,
					   std::string_view query, const EnvironmentConfig *env, Reply &refusal);
	Fault pickFault(const std::string &environment);
	const EnvironmentConfig *findEnvironment(std::string_view name) const;
	const EnvironmentConfig *findByHostname(std::string_view host) const;
	std::string issueCliToken(const std::string &environment);

	Config config_;
	const Clock &clock_;
	std::mutex mutex_; ///< guards everything below
	std::map<std::string, CliToken> cliTokens_;
	std::map<std::string, int> requestsSeen_; ///< per environment, for faults.firstN
	std::mt19937 rng_;
	StsService sts_;
	SsoService sso_;
	std::unique_ptr<class AirflowWeb> airflow_; ///< airflow_web.h: web servers, InvokeRestApi, ListEnvironments
};

} // namespace mwaatok::emulator

#pragma once

// The emulator's IAM Identity Center: the SSO portal (GetRoleCredentials) and
// SSO OIDC (RegisterClient, StartDeviceAuthorization, CreateToken with a
// device code or a refresh token). Unsigned, as the real services are.

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/JSON/Object.h>

#include "mwaatok/clock.h"

namespace mwaatok::emulator {

struct Request;
struct Reply;
struct KeyConfig;

/// A role the portal hands out: its credentials are the emulator key
/// \a accessKeyId (which must need a session token) with a fresh session token.
struct SsoRole {
	std::string accountId;
	std::string roleName;
	std::string accessKeyId;
};

struct SsoConfig {
	std::vector<SsoRole> roles;
	std::vector<std::string> accessTokens;      ///< bearer tokens accepted without expiry
	std::map<std::string, std::string> clients; ///< registered client id -> secret
	std::vector<std::string> refreshTokens;     ///< refresh tokens accepted (for any known client)
	int approveAfterPolls = 1;                  ///< CreateToken polls answered before the login is approved
	int slowDownPolls = 0;                      ///< of those, the first N get SlowDownException
	std::string deviceOutcome = "approve";      ///< "approve", "expire" (ExpiredTokenException) or "deny"
	int interval = 1;                           ///< StartDeviceAuthorization's interval
	int accessTokenTtlSeconds = 28800;
	int roleCredentialsTtlSeconds = 3600;
};

/// Read the "sso" member of the configuration; throws std::runtime_error
/// naming the offending member.
void loadSsoConfig(const Poco::JSON::Object &o, SsoConfig &config);

class SsoService {
public:
	SsoService(SsoConfig config, const std::map<std::string, KeyConfig> &keys);

	/// True when \a path is an SSO operation; \a reply is then its answer.
	bool handle(const Request &request, std::string_view path, std::string_view query, Clock::time_point now,
		    Reply &reply);

private:
	struct Device {
		std::string clientId;
		int polls = 0;
		bool used = false;
	};
	struct Grant {
		std::string clientId;
	};

	Reply roleCredentials(const Request &request, std::string_view query, Clock::time_point now);
	Reply registerClient(const Poco::JSON::Object &body, Clock::time_point now);
	Reply startDeviceAuthorization(const Poco::JSON::Object &body);
	Reply createToken(const Poco::JSON::Object &body, Clock::time_point now);
	Reply issueToken(const std::string &clientId, Clock::time_point now);

	SsoConfig config_;
	const std::map<std::string, KeyConfig> &keys_;
	std::mutex mutex_;
	std::map<std::string, Clock::time_point> issued_; ///< access token -> expiry
	std::map<std::string, Grant> refresh_;            ///< live refresh tokens
	std::map<std::string, Device> devices_;           ///< device code -> state
};

} // namespace mwaatok::emulator

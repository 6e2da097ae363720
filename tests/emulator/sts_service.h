#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>

#include "mwaatok/clock.h"
#include "mwaatok/http.h"

/// The emulator's STS: AssumeRole (SigV4, service sts) and the unsigned
/// AssumeRoleWithWebIdentity, with external-id and MFA checks. The credentials
/// it issues are accepted by STS itself (role chains) and by the MWAA API.
namespace mwaatok::emulator {

struct RoleConfig {
	std::string externalId;       ///< required ExternalId; empty: none
	std::string mfaSerial;        ///< required SerialNumber; empty: no MFA
	std::string mfaCode;          ///< the TokenCode that passes
	std::string webIdentityToken; ///< the token AssumeRoleWithWebIdentity accepts; empty: none
};

struct StsConfig {
	std::map<std::string, RoleConfig> roles; ///< role ARN -> role
};

/// Merge the "sts" member of the configuration into \a config; throws std::runtime_error.
void loadStsConfig(const Poco::JSON::Object &sts, StsConfig &config);

/// What an STS request gets.
struct StsAnswer {
	int status = 200;
	std::string body; ///< XML
	std::string errorType;
	std::string accessKeyId;
	bool signatureVerified = false;
};

/// Temporary credentials the emulator handed out.
struct IssuedCredentials {
	std::string secret;
	std::string sessionToken;
	Clock::time_point expires;
	std::string roleArn;
};

class StsService {
public:
	/// \a longTermSecret gives the secret of a configured access key (nullopt: unknown).
	StsService(StsConfig config, std::function<std::optional<std::string>(std::string_view)> longTermSecret);

	/// True for a request meant for STS: POST / with a form body.
	static bool isStsRequest(const std::string &method, std::string_view path, const HttpHeaders &headers);

	StsAnswer handle(const std::string &method, std::string_view path, std::string_view query,
			 const HttpHeaders &headers, const std::string &body, Clock::time_point now);

	/// The credentials issued for \a accessKeyId, if any (expired ones included).
	std::optional<IssuedCredentials> issued(std::string_view accessKeyId) const;

private:
	StsAnswer assumeRole(const std::map<std::string, std::string> &form, const HttpHeaders &headers,
			     std::string_view path, std::string_view query, const std::string &body,
			     Clock::time_point now);
	StsAnswer assumeRoleWithWebIdentity(const std::map<std::string, std::string> &form, Clock::time_point now);
	/// The credentials answer for \a roleArn, or an error answer.
	StsAnswer issue(const std::string &action, const std::map<std::string, std::string> &form,
			Clock::time_point now);

	StsConfig config_;
	std::function<std::optional<std::string>(std::string_view)> longTermSecret_;
	mutable std::mutex mutex_;
	std::map<std::string, IssuedCredentials, std::less<>> issued_;
};

} // namespace mwaatok::emulator

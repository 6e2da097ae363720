#pragma once

#include "mwaatok/credential_provider.h"
#include "mwaatok/profile_file.h"
#include "mwaatok/url.h"

#include <optional>
#include <string>

/// The two STS operations the credential chain needs (query protocol, XML
/// answers) and where to send them.
namespace mwaatok::detail {

/// Where STS calls go and which region signs them.
struct StsEndpoint {
	Url url;
	std::string signingRegion;
};

/// The STS endpoint for the selected profile \a config: AWS_ENDPOINT_URL_STS,
/// the profile's `services` section, AWS_ENDPOINT_URL, the profile's
/// endpoint_url; else the regional endpoint of AWS_REGION, AWS_DEFAULT_REGION or
/// the profile's region (FIPS and dual-stack as configured; the global endpoint
/// when there is no region or sts_regional_endpoints is legacy for a classic
/// region). Throws Error(Config) for a malformed setting.
StsEndpoint stsEndpoint(const Environment &env, const SharedConfig &config);

struct AssumeRoleParams {
	std::string roleArn;
	std::string sessionName;
	bool sessionNameGenerated = false; ///< left out of the cache key, as the AWS CLI does
	std::string externalId;
	std::string serialNumber; ///< mfa_serial
	std::optional<long long> durationSeconds;
};

/// The AWS CLI's cache key: SHA-1 hex of json.dumps(args, sort_keys=True).
std::string assumeRoleCacheKey(const AssumeRoleParams &params);

/// One STS answer: the credentials and the whole answer as the AWS CLI caches it.
struct StsResult {
	Credentials credentials;
	std::string cacheJson; ///< {"Credentials": {...}, "AssumedRoleUser": {...}}
};

/// AssumeRole signed with \a source (service sts); \a tokenCode goes with an
/// MFA serial. Throws Error(Credentials) starting with \a what.
StsResult assumeRole(const ProviderContext &ctx, const StsEndpoint &endpoint, const Credentials &source,
		     const AssumeRoleParams &params, const std::string &tokenCode, const std::string &what);

/// AssumeRoleWithWebIdentity, unsigned. Throws Error(Credentials) starting with \a what.
StsResult assumeRoleWithWebIdentity(const ProviderContext &ctx, const StsEndpoint &endpoint,
				    const AssumeRoleParams &params, const std::string &token,
				    const std::string &what);

/// Credentials from a cached AWS CLI answer; nullopt when \a json is not one.
std::optional<Credentials> credentialsFromCache(const std::string &json);

} // namespace mwaatok::detail

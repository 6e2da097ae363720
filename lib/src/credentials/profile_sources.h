#pragma once

#include "mwaatok/credential_provider.h"
#include "credentials/sts_client.h"
#include "mwaatok/profile_file.h"

#include <chrono>
#include <functional>

#include <optional>
#include <string>
#include <string_view>

/// How one named profile of the shared files yields credentials; shared by
/// the chain's providers and by assume role for source profiles.
namespace mwaatok::detail {

/// "profile `NAME` (FILE:LINE)" for the line that set \a key, or "profile `NAME`".
std::string profileWhere(const SharedConfig &config, const std::string &profile, std::string_view key);

/// Static keys (credentials file first), credential_process, then config-file
/// keys of \a profile, as botocore orders them; nullopt with \a whyNot when it
/// has none. Throws for partial keys or a failing process.
std::optional<Credentials> keysOrProcess(const ProviderContext &ctx, const SharedConfig &config,
					 const std::string &profile, const ChainOptions &options,
					 std::string &whyNot);

/// What AssumeRoleWithWebIdentity needs, and where it was configured.
struct WebIdentitySettings {
	std::string tokenFile;
	std::string roleArn;
	std::string sessionName; ///< empty: generated
	std::string where; ///< "profile `x` (file:line)" or "environment variable ..."
};
/// STS AssumeRoleWithWebIdentity with the token file read now (so a refresh reads it again).
Credentials webIdentityCredentials(const ProviderContext &ctx, const SharedConfig &config,
				   const WebIdentitySettings &settings);
/// The web identity settings of \a profile (web_identity_token_file, role_arn, ...).
WebIdentitySettings profileWebIdentity(const SharedConfig &config, const std::string &profile);

/// Credentials of \a profile, which has role_arn: its source (source_profile
/// chains of any depth, or credential_source) then STS AssumeRole, through the
/// assumed-role cache and the MFA prompt.
Credentials assumeRoleCredentials(const ProviderContext &ctx, const SharedConfig &config,
				  const std::string &profile, const ChainOptions &options);

/// Cached credentials with less than this left are fetched again (botocore's
/// CachedCredentialFetcher, for assumed roles and SSO role credentials alike).
inline constexpr std::chrono::minutes kRoleCacheWindow{15};

/// Credentials and the JSON to cache them as (empty: not cached).
struct CacheableCredentials {
	Credentials credentials;
	std::string json;
};

/// The credentials cached under \a key in ctx.roleCache (read with \a parse)
/// while they have kRoleCacheWindow left, else \a fetch's (then cached),
/// holding the key's lock so that callers sharing a role make one call. Without
/// ctx.roleCache, a cache for this call only.
Credentials throughRoleCache(const ProviderContext &ctx, const std::string &key,
			     const std::function<std::optional<Credentials>(const std::string &json)> &parse,
			     const std::function<CacheableCredentials()> &fetch);
/// STS answers for \a params through the role cache, under the AWS CLI's key
/// for them; the credentials' source is \a source.
Credentials throughRoleCache(const ProviderContext &ctx, const AssumeRoleParams &params, const char *source,
			     const std::function<StsResult()> &call);

/// "duration_seconds" of \a profile as a number; throws Error(Credentials) for text.
std::optional<long long> durationSeconds(const SharedConfig &config, const std::string &profile);

/// A session name for a role assumed without role_session_name.
std::string generatedSessionName(const ProviderContext &ctx);

} // namespace mwaatok::detail

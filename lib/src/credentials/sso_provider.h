#pragma once

// IAM Identity Center (SSO) credentials: the cached access token (refreshed
// through SSO OIDC when it is near expiry) exchanged at the portal for role
// credentials, as the AWS CLI v2 does.

#include "credentials/sso_cache.h"
#include "credentials/sso_config.h"
#include "mwaatok/credential_provider.h"

#include <chrono>
#include <optional>
#include <string>

namespace mwaatok::detail {

/// botocore's SSOTokenProvider refreshes a token with less than this left.
inline constexpr std::chrono::minutes kSsoRefreshWindow{15};
/// Cached role credentials with less than this left are fetched again
/// (botocore's CachedCredentialFetcher).
inline constexpr std::chrono::minutes kSsoRoleCacheWindow{15};

/// The access token for \a s from the cache, refreshed and written back
/// through \a write when it is an sso-session token near expiry. Throws
/// Error(Credentials) naming the profile and the cause, with the login hint,
/// when there is no usable token.
std::string ssoAccessToken(const ProviderContext &ctx, const SsoSettings &s, const SsoFileWriter &write);

/// Role credentials for \a s: from the AWS CLI's ~/.aws/cli/cache while they
/// are fresh, else GetRoleCredentials with the cached token (and cached again).
Credentials ssoCredentials(const ProviderContext &ctx, const SsoSettings &s, const SsoFileWriter &write);

} // namespace mwaatok::detail

namespace mwaatok {

/// The credentials of the selected profile of \a config when it is an SSO
/// profile (sso_account_id / sso_role_name), nullopt otherwise. The caches
/// (a refreshed token, role credentials) are written through \a write.
std::optional<Credentials> resolveSsoProfile(const ProviderContext &ctx, const SharedConfig &config,
					     const detail::SsoFileWriter &write);
/// The same, writing the caches where they were read from: to disk when
/// ctx.fs is the real file system, nowhere for any other (a test's in-memory
/// files), so that no test writes to a real home directory.
std::optional<Credentials> resolveSsoProfile(const ProviderContext &ctx, const SharedConfig &config);
/// The same for \a profile, selected or not (e.g. the source_profile of a role).
std::optional<Credentials> resolveSsoProfile(const ProviderContext &ctx, const SharedConfig &config,
					     const std::string &profile);

} // namespace mwaatok

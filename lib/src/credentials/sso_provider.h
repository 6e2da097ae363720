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

/// The access token for \a s from the cache, refreshed and written back
/// (ctx.fs) when it is an sso-session token near expiry. Throws
/// Error(Credentials) naming the profile and the cause, with the login hint,
/// when there is no usable token.
std::string ssoAccessToken(const ProviderContext &ctx, const SsoSettings &s);

/// Role credentials for \a s: from the AWS CLI's ~/.aws/cli/cache (ctx.roleCache)
/// while they are fresh, else GetRoleCredentials with the cached token (and
/// cached again).
Credentials ssoCredentials(const ProviderContext &ctx, const SsoSettings &s);

} // namespace mwaatok::detail

namespace mwaatok {

/// The credentials of the selected profile of \a config when it is an SSO
/// profile (sso_account_id / sso_role_name), nullopt otherwise. A refreshed
/// token is written through ctx.fs, role credentials through ctx.roleCache.
std::optional<Credentials> resolveSsoProfile(const ProviderContext &ctx, const SharedConfig &config);
/// The same for \a profile, selected or not (e.g. the source_profile of a role).
std::optional<Credentials> resolveSsoProfile(const ProviderContext &ctx, const SharedConfig &config,
					     const std::string &profile);

} // namespace mwaatok

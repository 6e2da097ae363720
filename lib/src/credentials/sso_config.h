#pragma once

// Which IAM Identity Center (SSO) login a profile uses: the legacy keys in the
// profile, or an [sso-session NAME] section, validated as the AWS CLI does.

#include <optional>
#include <string>
#include <vector>

namespace mwaatok {
class SharedConfig;
} // namespace mwaatok

namespace mwaatok::detail {

struct SsoSettings {
	std::string profile;     ///< the AWS profile
	std::string sessionName; ///< the sso-session; empty for a legacy profile
	std::string startUrl;
	std::string region;              ///< sso_region
	std::string accountId;           ///< sso_account_id (empty for a login-only profile)
	std::string roleName;            ///< sso_role_name (empty for a login-only profile)
	std::vector<std::string> scopes; ///< sso_registration_scopes of the session
	std::string definedAt;           ///< "file:line" of the key that made the profile an SSO one
};

/// The SSO settings of the selected profile when it is an SSO credential
/// profile (it sets sso_account_id or sso_role_name, as botocore decides);
/// nullopt otherwise. Throws Error(Credentials) naming the profile, the file
/// and line and what to fix for a missing sso-session, a missing key, or a
/// start URL / region that differs between the profile and its sso-session.
std::optional<SsoSettings> ssoCredentialSettings(const SharedConfig &config);
/// The same for \a profile, selected or not (e.g. an assume-role source_profile).
std::optional<SsoSettings> ssoCredentialSettings(const SharedConfig &config, const std::string &profile);

/// Why the selected profile gives no credentials when it sets sso_session or
/// sso_start_url but neither sso_account_id nor sso_role_name (a profile for
/// an SSO access token only); nullopt for any other profile.
std::optional<std::string> ssoTokenOnlyReason(const SharedConfig &config);

/// The login settings of the selected profile (or of sso-session
/// \a sessionOverride): only the start URL and region are needed. Throws
/// Error(Config) when the profile has no SSO configuration.
SsoSettings ssoLoginSettings(const SharedConfig &config, const std::optional<std::string> &sessionOverride);

} // namespace mwaatok::detail

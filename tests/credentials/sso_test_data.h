#pragma once

// Names shared by the SSO unit tests. The cache file names were computed with
// the AWS CLI v2's own botocore (SSOTokenLoader, SSOTokenFetcher,
// SSOCredentialFetcher) for this start URL, sso-session "my-sso", region
// us-west-2, scopes ["sso:account:access"], account 111122223333, role Admin.

#include <string>

namespace mwaatok::test::sso {

inline const std::string kStart = "https://d-abc123.awsapps.com/start";
inline const std::string kOidc = "https://oidc.us-west-2.amazonaws.com";
/// SHA-1 of the start URL (legacy) and of the session name.
inline const std::string kLegacyFile = "/home/.aws/sso/cache/40a89917e3175433e361b710a9d43528d7f1890a.json";
inline const std::string kSessionFile = "/home/.aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json";
/// The client registration of the sso-session (with its scopes) and of a legacy login.
inline const std::string kRegistrationFile = "/home/.aws/sso/cache/724dd89b7e8db591ee3d643aa99ff3e05679ea41.json";
inline const std::string kLegacyRegistrationFile =
	"/home/.aws/sso/cache/d75f79f67bab3f92a2b1450471c0c2574de0dca4.json";
/// Role credentials in ~/.aws/cli/cache for the legacy profile and the sso-session one.
inline const std::string kLegacyRoleFile = "/home/.aws/cli/cache/6ba1a5b49a2db9c919d9b0a8de4788d7f6cca24c.json";
inline const std::string kSessionRoleFile = "/home/.aws/cli/cache/360f093cdc0bddf23eecc38b9cb6222fca5a195a.json";
/// The tests' clock.
inline constexpr long long kNow = 1795000000;

} // namespace mwaatok::test::sso

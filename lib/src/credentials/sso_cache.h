#pragma once

// The IAM Identity Center (SSO) caches the AWS CLI keeps in ~/.aws/sso/cache/:
// access tokens (one file per start URL or sso-session) and, for the device
// login, client registrations. Same file names and JSON as the AWS CLI v2.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mwaatok {
class Environment;
class FileSystem;
struct Credentials;
} // namespace mwaatok

namespace mwaatok::detail {

using SsoTime = std::chrono::system_clock::time_point;

/// $HOME/.aws/sso/cache; throws Error(Credentials) when HOME is not set.
std::string ssoCacheDirectory(const Environment &env);
/// The token file: SHA-1 of the sso-session name, or of the start URL for a
/// legacy profile (\a sessionName empty).
std::string ssoTokenPath(const Environment &env, const std::string &startUrl, const std::string &sessionName);

/// One cached access token, as `aws sso login` writes it.
struct SsoToken {
	std::string startUrl;
	std::string region;
	std::string accessToken;
	SsoTime expiresAt;
	// Written by sso-session logins (and by device logins in general):
	std::string clientId;
	std::string clientSecret;
	std::string registrationExpiresAt; ///< kept as written
	std::string refreshToken;

	/// True when the token carries what an OIDC refresh needs and the client
	/// registration has not expired at \a now.
	bool refreshable(SsoTime now) const;
};

/// What is wrong with a cache file, for a one-line error.
struct SsoTokenProblem {
	std::string what;
};

/// Parse the text of a token file; nullopt with \a problem set when it is not
/// a JSON object with accessToken and a valid expiresAt. Never includes a
/// token in the problem text.
std::optional<SsoToken> parseSsoToken(const std::string &text, SsoTokenProblem &problem);
/// The JSON the AWS CLI writes (Python json.dumps layout, member order kept).
std::string formatSsoToken(const SsoToken &token);

/// A client registration (RegisterClient), cached by device logins.
struct SsoRegistration {
	std::string clientId;
	std::string clientSecret;
	SsoTime expiresAt;
	std::vector<std::string> scopes;
};

/// The registration cache file of botocore's SSOTokenFetcher: SHA-1 of
/// json.dumps({"region", "scopes", "session_name", "startUrl", "tool": "botocore"}, sort_keys=True).
std::string ssoRegistrationPath(const Environment &env, const std::string &startUrl, const std::string &region,
				const std::string &sessionName, const std::vector<std::string> &scopes);
std::optional<SsoRegistration> parseSsoRegistration(const std::string &text);
std::string formatSsoRegistration(const SsoRegistration &registration);

/// The key of SSO role credentials in the AWS CLI's ~/.aws/cli/cache (botocore
/// SSOCredentialFetcher): SHA-1 of {"accountId","roleName","sessionName"|"startUrl"}
/// as compact sorted JSON. `aws sso logout` removes these files.
std::string ssoRoleCacheKey(const std::string &startUrl, const std::string &sessionName, const std::string &accountId,
			    const std::string &roleName);
/// Role credentials from such a file, or nullopt when it is not one.
std::optional<Credentials> parseSsoRoleCache(const std::string &text);
/// {"ProviderType": "sso", "Credentials": {...}} as the AWS CLI writes it.
std::string formatSsoRoleCache(const Credentials &c);

/// The "aws sso login" / "mwaatok sso login" hint for \a profile.
std::string ssoLoginHint(const std::string &profile);

} // namespace mwaatok::detail

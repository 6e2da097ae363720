#pragma once

// The IAM Identity Center endpoints: the SSO portal (GetRoleCredentials) and
// SSO OIDC (RegisterClient, StartDeviceAuthorization, CreateToken). Both are
// rest-json and unsigned.

#include "credentials/sso_cache.h"
#include "mwaatok/http.h"

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

namespace mwaatok {
class Environment;
class HttpTransport;
struct Credentials;
} // namespace mwaatok

namespace mwaatok::detail {

/// AWS_ENDPOINT_URL_SSO, or AWS_ENDPOINT_URL, or https://portal.sso.REGION.amazonaws.com
/// (portal.sso-fips with AWS_USE_FIPS_ENDPOINT, api.aws with AWS_USE_DUALSTACK_ENDPOINT).
std::string ssoPortalEndpoint(const Environment &env, const std::string &region);
/// AWS_ENDPOINT_URL_SSO_OIDC, or AWS_ENDPOINT_URL, or https://oidc.REGION.amazonaws.com (likewise).
std::string ssoOidcEndpoint(const Environment &env, const std::string &region);

/// An error answer of the portal or of SSO OIDC.
struct SsoServiceError {
	int status = 0;
	std::string type;    ///< e.g. "UnauthorizedException", "AuthorizationPendingException"
	std::string message; ///< one line, from the answer (never a token)
};

/// GetRoleCredentials; on an error answer returns nullopt and fills \a error.
/// Throws Error(Credentials) for an answer it cannot read, NetworkError when
/// the portal cannot be reached.
std::optional<Credentials> getRoleCredentials(HttpTransport &http, const std::string &endpoint,
					      const std::string &accessToken, const std::string &accountId,
					      const std::string &roleName, SsoServiceError &error);

/// The answer of StartDeviceAuthorization.
struct DeviceAuthorization {
	std::string deviceCode;
	std::string userCode;
	std::string verificationUri;
	std::string verificationUriComplete;
	long long expiresIn = 600;
	long long interval = 5;
};

/// The answer of CreateToken.
struct OidcToken {
	std::string accessToken;
	long long expiresIn = 0;
	std::string refreshToken; ///< empty when none was returned
};

class SsoOidcClient {
public:
	SsoOidcClient(HttpTransport &http, std::string endpoint) : http_(http), endpoint_(std::move(endpoint)) {}

	/// RegisterClient (clientType public).
	/// Throws Error(Credentials) on an error answer.
	SsoRegistration registerClient(const std::string &clientName, const std::vector<std::string> &scopes);
	/// StartDeviceAuthorization; throws Error(Credentials) on an error answer.
	DeviceAuthorization startDeviceAuthorization(const SsoRegistration &client, const std::string &startUrl);
	/// CreateToken with the device code; nullopt and \a error on an error answer
	/// (AuthorizationPendingException, SlowDownException, ExpiredTokenException, ...).
	std::optional<OidcToken> createTokenWithDeviceCode(const SsoRegistration &client, const std::string &deviceCode,
							   SsoServiceError &error);
	/// CreateToken with a refresh token; nullopt and \a error on an error answer.
	std::optional<OidcToken> refreshToken(const std::string &clientId, const std::string &clientSecret,
					      const std::string &refreshToken, SsoServiceError &error);

private:
	/// POST \a path with the JSON \a body.
	HttpResponse post(const std::string &path, const std::string &body);
	/// post(), then the answer's JSON object; throws Error(Credentials) naming
	/// \a operation for an error answer.
	Poco::JSON::Object::Ptr mustPost(const std::string &path, const std::string &body, const char *operation);

	HttpTransport &http_;
	std::string endpoint_;
};

/// The token cache entry for a CreateToken \a answer received at \a now,
/// for the client \a clientId / \a clientSecret (the fields the AWS CLI writes).
SsoToken cacheEntry(const std::string &startUrl, const std::string &region, const OidcToken &answer, SsoTime now,
		    const std::string &clientId, const std::string &clientSecret,
		    const std::string &registrationExpiresAt);

/// \a error in one line: "401 UnauthorizedException: message".
std::string describe(const SsoServiceError &error);

} // namespace mwaatok::detail

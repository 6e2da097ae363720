#include "credentials/sso_oidc.h"

#include "aws/partition.h"
#include "core/json.h"
#include "core/strings.h"
#include "credentials/credentials_util.h"
#include "mwaatok/credentials.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/http.h"
#include "mwaatok/url.h"

#include <cstdlib>

namespace mwaatok::detail {

namespace {

/// AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL (unless
/// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS), else the regional endpoint
/// \a service.REGION.DNS-SUFFIX, with "-fips" and the dual-stack suffix when
/// AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT ask for them.
std::string endpoint(const Environment &env, const char *variable, const std::string &service,
		     const std::string &region)
{
	std::optional<std::string> url;
	if (!env.isTrue("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
		url = env.getNonEmpty(variable);
		if (!url)
			url = env.getNonEmpty("AWS_ENDPOINT_URL");
	}
	std::string out;
	if (url) {
		out = std::string(trim(*url));
	} else {
		out = "https://" + serviceHost(service, region, env.isTrue("AWS_USE_FIPS_ENDPOINT"),
					       env.isTrue("AWS_USE_DUALSTACK_ENDPOINT"));
	}
	while (!out.empty() && out.back() == '/')
		out.pop_back();
	try {
		Url::parse(out);
	} catch (const Error &e) {
		throw Error(ErrorKind::Config,
			    std::string(url ? variable : "the IAM Identity Center endpoint") + ": " + e.what());
	}
	return out;
}

/// The error code of an answer: X-Amzn-ErrorType, else __type or code, else
/// the OAuth "error" member spelled as the exception botocore raises.
SsoServiceError parseError(const HttpResponse &r)
{
	SsoServiceError e;
	e.status = r.status;
	auto o = parseJsonObject(r.body);
	if (auto header = r.header("x-amzn-ErrorType"))
		e.type = std::string(trim(header->substr(0, header->find(':'))));
	if (e.type.empty() && o) {
		std::string t = jsonString(*o, "__type");
		if (t.empty())
			t = jsonString(*o, "code");
		e.type = t.substr(t.find('#') == std::string::npos ? 0 : t.find('#') + 1);
	}
	if (e.type.empty() && o) {
		static const std::pair<const char *, const char *> oauth[] = {
			{ "authorization_pending", "AuthorizationPendingException" },
			{ "slow_down", "SlowDownException" },
			{ "expired_token", "ExpiredTokenException" },
			{ "invalid_grant", "InvalidGrantException" },
			{ "invalid_client", "InvalidClientException" },
			{ "access_denied", "AccessDeniedException" },
		};
		std::string error = jsonString(*o, "error");
		e.type = error;
		for (const auto &[code, name] : oauth)
			if (error == code)
				e.type = name;
	}
	if (e.type.empty())
		e.type = "HTTP " + std::to_string(r.status);
	if (o) {
		for (const char *m : { "message", "Message", "error_description" })
			if (e.message.empty())
				e.message = oneLine(jsonString(*o, m), 200);
	}
	return e;
}

Poco::JSON::Object::Ptr answer(const HttpResponse &r, const char *operation)
{
	auto o = parseJsonObject(r.body);
	if (!o)
		throw Error(ErrorKind::Credentials, std::string("IAM Identity Center ") + operation +
							    " answered HTTP " + std::to_string(r.status) +
							    " with a body that is not a JSON object");
	return o;
}

std::string required(const Poco::JSON::Object &o, const char *member, const char *operation)
{
	std::string v = jsonString(o, member);
	if (v.empty())
		throw Error(ErrorKind::Credentials,
			    std::string("IAM Identity Center ") + operation + " answered without " + member);
	return v;
}

long long number(const Poco::JSON::Object &o, const char *member, long long fallback)
{
	std::string v = jsonString(o, member);
	if (v.empty())
		return fallback;
	char *end = nullptr;
	double d = std::strtod(v.c_str(), &end);
	return end && *end == '\0' ? static_cast<long long>(d) : fallback;
}

std::optional<OidcToken> tokenAnswer(const HttpResponse &r, SsoServiceError &error)
{
	if (r.status < 200 || r.status >= 300) {
		error = parseError(r);
		return std::nullopt;
	}
	auto o = answer(r, "CreateToken");
	OidcToken t;
	t.accessToken = required(*o, "accessToken", "CreateToken");
	t.expiresIn = number(*o, "expiresIn", 0);
	t.refreshToken = jsonString(*o, "refreshToken");
	return t;
}

} // namespace

std::string ssoPortalEndpoint(const Environment &env, const std::string &region)
{
	return endpoint(env, "AWS_ENDPOINT_URL_SSO", "portal.sso", region);
}

std::string ssoOidcEndpoint(const Environment &env, const std::string &region)
{
	return endpoint(env, "AWS_ENDPOINT_URL_SSO_OIDC", "oidc", region);
}

SsoToken cacheEntry(const std::string &startUrl, const std::string &region, const OidcToken &answer, SsoTime now,
		    const std::string &clientId, const std::string &clientSecret,
		    const std::string &registrationExpiresAt)
{
	SsoToken t;
	t.startUrl = startUrl;
	t.region = region;
	t.accessToken = answer.accessToken;
	t.expiresAt = now + std::chrono::seconds(answer.expiresIn);
	t.clientId = clientId;
	t.clientSecret = clientSecret;
	t.registrationExpiresAt = registrationExpiresAt;
	t.refreshToken = answer.refreshToken;
	return t;
}

std::string describe(const SsoServiceError &error)
{
	return std::to_string(error.status) + " " + error.type + (error.message.empty() ? "" : ": " + error.message);
}

std::optional<Credentials> getRoleCredentials(HttpTransport &http, const std::string &endpoint,
					      const std::string &accessToken, const std::string &accountId,
					      const std::string &roleName, SsoServiceError &error)
{
	HttpRequest req;
	req.method = "GET";
	// botocore's order of the query parameters.
	req.url = endpoint + "/federation/credentials?role_name=" + uriEncode(roleName) +
		  "&account_id=" + uriEncode(accountId);
	req.headers = { { "Accept", "application/json" }, { "x-amz-sso_bearer_token", accessToken } };
	HttpResponse r = http.send(req);
	if (r.status < 200 || r.status >= 300) {
		error = parseError(r);
		return std::nullopt;
	}
	auto o = answer(r, "GetRoleCredentials");
	auto role = o->getObject("roleCredentials");
	if (!role)
		throw Error(ErrorKind::Credentials,
			    "IAM Identity Center GetRoleCredentials answered without roleCredentials");
	Credentials c;
	c.accessKeyId = required(*role, "accessKeyId", "GetRoleCredentials");
	c.secretAccessKey = required(*role, "secretAccessKey", "GetRoleCredentials");
	c.sessionToken = jsonString(*role, "sessionToken");
	long long ms = number(*role, "expiration", 0);
	if (ms > 0)
		c.expiration = std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
	c.accountId = accountId;
	c.source = "sso";
	return c;
}

HttpResponse SsoOidcClient::post(const std::string &path, const std::string &body)
{
	HttpRequest req;
	req.method = "POST";
	req.url = endpoint_ + path;
	req.headers = { { "Content-Type", "application/json" }, { "Accept", "application/json" } };
	req.body = body;
	return http_.send(req);
}

Poco::JSON::Object::Ptr SsoOidcClient::mustPost(const std::string &path, const std::string &body,
						 const char *operation)
{
	HttpResponse r = post(path, body);
	if (r.status < 200 || r.status >= 300)
		throw Error(ErrorKind::Credentials, std::string("IAM Identity Center ") + operation +
							    " failed: " + describe(parseError(r)));
	return answer(r, operation);
}

SsoRegistration SsoOidcClient::registerClient(const std::string &clientName, const std::vector<std::string> &scopes)
{
	std::string body = "{\"clientName\": " + jsonQuote(clientName) + ", \"clientType\": \"public\"";
	if (!scopes.empty()) {
		body += ", \"scopes\": [";
		for (size_t i = 0; i < scopes.size(); ++i)
			body += (i ? ", " : "") + jsonQuote(scopes[i]);
		body += "]";
	}
	auto o = mustPost("/client/register", body + "}", "RegisterClient");
	SsoRegistration reg;
	reg.clientId = required(*o, "clientId", "RegisterClient");
	reg.clientSecret = required(*o, "clientSecret", "RegisterClient");
	reg.expiresAt =
		std::chrono::system_clock::time_point(std::chrono::seconds(number(*o, "clientSecretExpiresAt", 0)));
	reg.scopes = scopes;
	return reg;
}

DeviceAuthorization SsoOidcClient::startDeviceAuthorization(const SsoRegistration &client, const std::string &startUrl)
{
	std::string body = "{\"clientId\": " + jsonQuote(client.clientId) +
			   ", \"clientSecret\": " + jsonQuote(client.clientSecret) +
			   ", \"startUrl\": " + jsonQuote(startUrl) + "}";
	auto o = mustPost("/device_authorization", body, "StartDeviceAuthorization");
	DeviceAuthorization a;
	a.deviceCode = required(*o, "deviceCode", "StartDeviceAuthorization");
	a.userCode = required(*o, "userCode", "StartDeviceAuthorization");
	a.verificationUri = required(*o, "verificationUri", "StartDeviceAuthorization");
	a.verificationUriComplete = jsonString(*o, "verificationUriComplete");
	a.expiresIn = number(*o, "expiresIn", 600);
	a.interval = number(*o, "interval", 5);
	return a;
}

std::optional<OidcToken> SsoOidcClient::createTokenWithDeviceCode(const SsoRegistration &client,
								  const std::string &deviceCode, SsoServiceError &error)
{
	std::string body = "{\"clientId\": " + jsonQuote(client.clientId) +
			   ", \"clientSecret\": " + jsonQuote(client.clientSecret) +
			   ", \"grantType\": \"urn:ietf:params:oauth:grant-type:device_code\", \"deviceCode\": " +
			   jsonQuote(deviceCode) + "}";
	return tokenAnswer(post("/token", body), error);
}

std::optional<OidcToken> SsoOidcClient::refreshToken(const std::string &clientId, const std::string &clientSecret,
						     const std::string &refreshToken, SsoServiceError &error)
{
	std::string body = "{\"clientId\": " + jsonQuote(clientId) + ", \"clientSecret\": " + jsonQuote(clientSecret) +
			   ", \"grantType\": \"refresh_token\", \"refreshToken\": " + jsonQuote(refreshToken) + "}";
	return tokenAnswer(post("/token", body), error);
}

} // namespace mwaatok::detail

#include "credentials/sso_cache.h"

#include "core/crypto.h"
#include "core/json.h"
#include "core/strings.h"
#include "credentials/credentials_util.h"
#include "mwaatok/time.h"
#include "mwaatok/credentials.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"

#include <Poco/JSON/Array.h>

namespace mwaatok::detail {

namespace {

void addMember(std::string &out, const char *name, const std::string &value)
{
	out += out.size() > 1 ? ", " : "";
	out += pythonJsonString(name) + ": " + pythonJsonString(value);
}

} // namespace

std::string ssoCacheDirectory(const Environment &env)
{
	auto home = env.getNonEmpty("HOME");
	if (!home)
		throw Error(
			ErrorKind::Credentials,
			"HOME is not set, so the IAM Identity Center token cache (~/.aws/sso/cache) cannot be found");
	return *home + "/.aws/sso/cache";
}

std::string ssoTokenPath(const Environment &env, const std::string &startUrl, const std::string &sessionName)
{
	return ssoCacheDirectory(env) + "/" + crypto::sha1Hex(sessionName.empty() ? startUrl : sessionName) + ".json";
}

bool SsoToken::refreshable(SsoTime now) const
{
	if (refreshToken.empty() || clientId.empty() || clientSecret.empty() || registrationExpiresAt.empty())
		return false;
	auto registration = parseTimestamp(registrationExpiresAt);
	return registration && now < *registration;
}

std::optional<SsoToken> parseSsoToken(const std::string &text, SsoTokenProblem &problem)
{
	auto o = parseJsonObject(text);
	if (!o) {
		problem.what = "it is not a JSON object";
		return std::nullopt;
	}
	SsoToken t;
	t.accessToken = jsonString(*o, "accessToken");
	if (t.accessToken.empty()) {
		problem.what = "it has no accessToken";
		return std::nullopt;
	}
	std::string expires = jsonString(*o, "expiresAt");
	// Early AWS CLI v2 releases wrote "2020-06-17T17:10:25UTC"; botocore reads it.
	auto when = parseTimestamp(endsWith(expires, "UTC") ? expires.substr(0, expires.size() - 3) + "Z" : expires);
	if (!when) {
		problem.what = expires.empty() ? "it has no expiresAt"
					       : "its expiresAt `" + oneLine(expires, 40) + "` is not a timestamp";
		return std::nullopt;
	}
	t.expiresAt = *when;
	t.startUrl = jsonString(*o, "startUrl");
	t.region = jsonString(*o, "region");
	t.clientId = jsonString(*o, "clientId");
	t.clientSecret = jsonString(*o, "clientSecret");
	t.registrationExpiresAt = jsonString(*o, "registrationExpiresAt");
	t.refreshToken = jsonString(*o, "refreshToken");
	return t;
}

std::string formatSsoToken(const SsoToken &t)
{
	std::string out = "{";
	addMember(out, "startUrl", t.startUrl);
	addMember(out, "region", t.region);
	addMember(out, "accessToken", t.accessToken);
	addMember(out, "expiresAt", time::formatRfc3339(t.expiresAt));
	if (!t.clientId.empty()) {
		addMember(out, "clientId", t.clientId);
		addMember(out, "clientSecret", t.clientSecret);
		addMember(out, "registrationExpiresAt", t.registrationExpiresAt);
	}
	if (!t.refreshToken.empty())
		addMember(out, "refreshToken", t.refreshToken);
	return out + "}";
}

namespace {

std::string pythonList(const std::vector<std::string> &items)
{
	std::string out = "[";
	for (size_t i = 0; i < items.size(); ++i)
		out += (i ? ", " : "") + pythonJsonString(items[i]);
	return out + "]";
}

} // namespace

std::string ssoRegistrationPath(const Environment &env, const std::string &startUrl, const std::string &region,
				const std::string &sessionName, const std::vector<std::string> &scopes)
{
	// json.dumps(args, sort_keys=True) with Python's default separators; no
	// scopes and no session name (legacy) are null.
	std::string key = "{\"region\": " + pythonJsonString(region) +
			  ", \"scopes\": " + (scopes.empty() ? "null" : pythonList(scopes)) +
			  ", \"session_name\": " + (sessionName.empty() ? "null" : pythonJsonString(sessionName)) +
			  ", \"startUrl\": " + pythonJsonString(startUrl) + ", \"tool\": \"botocore\"}";
	return ssoCacheDirectory(env) + "/" + crypto::sha1Hex(key) + ".json";
}

std::optional<SsoRegistration> parseSsoRegistration(const std::string &text)
{
	auto o = parseJsonObject(text);
	if (!o)
		return std::nullopt;
	SsoRegistration r;
	r.clientId = jsonString(*o, "clientId");
	r.clientSecret = jsonString(*o, "clientSecret");
	auto expires = parseTimestamp(jsonString(*o, "expiresAt"));
	if (r.clientId.empty() || r.clientSecret.empty() || !expires)
		return std::nullopt;
	r.expiresAt = *expires;
	if (auto scopes = o->getArray("scopes"))
		for (size_t i = 0; i < scopes->size(); ++i)
			if (auto v = scopes->get(static_cast<unsigned>(i)); v.isString())
				r.scopes.push_back(v.extract<std::string>());
	return r;
}

std::string formatSsoRegistration(const SsoRegistration &r)
{
	std::string out = "{";
	addMember(out, "clientId", r.clientId);
	addMember(out, "clientSecret", r.clientSecret);
	addMember(out, "expiresAt", time::formatRfc3339(r.expiresAt));
	if (!r.scopes.empty())
		out += ", \"scopes\": " + pythonList(r.scopes);
	return out + "}";
}

std::string ssoRoleCacheKey(const std::string &startUrl, const std::string &sessionName, const std::string &accountId,
			    const std::string &roleName)
{
	// json.dumps(args, sort_keys=True, separators=(',', ':')); sessionName and
	// startUrl both sort last.
	std::string key = "{\"accountId\":" + pythonJsonString(accountId) + ",\"roleName\":" + pythonJsonString(roleName) +
			  (sessionName.empty() ? ",\"startUrl\":" + pythonJsonString(startUrl)
					       : ",\"sessionName\":" + pythonJsonString(sessionName)) +
			  "}";
	return crypto::sha1Hex(key);
}

std::optional<Credentials> parseSsoRoleCache(const std::string &text)
{
	auto o = parseJsonObject(text);
	if (!o || jsonString(*o, "ProviderType") != "sso")
		return std::nullopt;
	auto creds = o->getObject("Credentials");
	if (!creds)
		return std::nullopt;
	try {
		Credentials c = credentialsFromJson(*creds, CredentialFields{ "SessionToken", "Expiration" }, "cache");
		if (!c.expiration)
			return std::nullopt;
		c.source = "sso";
		return c;
	} catch (const Error &) {
		return std::nullopt;
	}
}

std::string formatSsoRoleCache(const Credentials &c)
{
	std::string creds = "{";
	addMember(creds, "AccessKeyId", c.accessKeyId);
	addMember(creds, "SecretAccessKey", c.secretAccessKey);
	addMember(creds, "SessionToken", c.sessionToken);
	addMember(creds, "Expiration", c.expiration ? time::formatRfc3339(*c.expiration) : std::string());
	return "{\"ProviderType\": \"sso\", \"Credentials\": " + creds + "}}";
}

std::string ssoLoginHint(const std::string &profile)
{
	return "run 'aws sso login --profile " + profile + "' or 'mwaatok sso login --profile " + profile + "'";
}

} // namespace mwaatok::detail

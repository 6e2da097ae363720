#include "sso_service.h"

#include <algorithm>
#include <stdexcept>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "core/crypto.h"
#include "core/strings.h"
#include "mwaatok/http.h"
#include "mwaatok/url.h"
#include "service.h"

namespace mwaatok::emulator {

namespace {

using Poco::JSON::Object;

std::string random(const char *prefix, size_t bytes = 24)
{
	return prefix + hexEncode(crypto::randomBytes(bytes));
}

long long epochSeconds(Clock::time_point t)
{
	return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

/// A portal error: rest-json with a "message".
Reply portalError(int status, std::string_view type, std::string_view message)
{
	Reply r = awsReply(status, "{\"message\": " + jsonQuote(message) + "}");
	r.headers.push_back({ "X-Amzn-ErrorType", std::string(type) });
	r.errorType = type;
	return r;
}

/// An SSO OIDC error: the OAuth "error" member, and the exception name in the header.
Reply oidcError(int status, std::string_view type, std::string_view error, std::string_view description)
{
	Reply r = awsReply(status, "{\"error\": " + jsonQuote(error) +
					   ", \"error_description\": " + jsonQuote(description) + "}");
	r.headers.push_back({ "X-Amzn-ErrorType", std::string(type) });
	r.errorType = type;
	return r;
}

std::string str(const Object &o, const std::string &name)
{
	if (!o.has(name) || !o.get(name).isString())
		return {};
	return o.get(name).extract<std::string>();
}

template <typename T> T number(const Object &o, const std::string &name, T fallback)
{
	if (!o.has(name))
		return fallback;
	if (!o.get(name).isNumeric())
		throw std::runtime_error("sso." + name + ": expected a number");
	return o.get(name).convert<T>();
}

std::vector<std::string> strings(const Object &o, const std::string &name)
{
	std::vector<std::string> out;
	if (!o.has(name))
		return out;
	auto a = o.getArray(name);
	if (!a)
		throw std::runtime_error("sso." + name + ": expected an array of strings");
	for (size_t i = 0; i < a->size(); ++i) {
		if (!a->get(static_cast<unsigned>(i)).isString())
			throw std::runtime_error("sso." + name + ": expected an array of strings");
		out.push_back(a->get(static_cast<unsigned>(i)).extract<std::string>());
	}
	return out;
}

/// The value of \a name in a query string (decoded), or empty.
std::string queryValue(std::string_view query, std::string_view name)
{
	for (auto pair : split(query, '&')) {
		auto eq = pair.find('=');
		if (pair.substr(0, eq) == name)
			return eq == std::string_view::npos ? std::string() : uriDecode(pair.substr(eq + 1));
	}
	return {};
}

} // namespace

void loadSsoConfig(const Object &o, SsoConfig &config)
{
	static const char *const allowed[] = { "roles",
					       "access_tokens",
					       "clients",
					       "refresh_tokens",
					       "approve_after_polls",
					       "slow_down_polls",
					       "device_outcome",
					       "interval",
					       "access_token_ttl_seconds",
					       "role_credentials_ttl_seconds" };
	for (const auto &[name, value] : o)
		if (std::find(std::begin(allowed), std::end(allowed), name) == std::end(allowed))
			throw std::runtime_error("sso: unknown member \"" + name + "\"");
	if (o.has("roles")) {
		auto roles = o.getArray("roles");
		if (!roles)
			throw std::runtime_error("sso.roles: expected an array");
		for (size_t i = 0; i < roles->size(); ++i) {
			auto r = roles->getObject(static_cast<unsigned>(i));
			if (!r)
				throw std::runtime_error("sso.roles: expected objects");
			SsoRole role{ str(*r, "account_id"), str(*r, "role_name"), str(*r, "access_key_id") };
			if (role.accountId.empty() || role.roleName.empty() || role.accessKeyId.empty())
				throw std::runtime_error("sso.roles[" + std::to_string(i) +
							 "]: account_id, role_name and access_key_id are required");
			config.roles.push_back(role);
		}
	}
	for (auto &t : strings(o, "access_tokens"))
		config.accessTokens.push_back(t);
	for (auto &t : strings(o, "refresh_tokens"))
		config.refreshTokens.push_back(t);
	if (auto clients = o.getObject("clients"))
		for (const auto &[id, secret] : *clients)
			config.clients[id] = secret.toString();
	config.approveAfterPolls = number<int>(o, "approve_after_polls", config.approveAfterPolls);
	config.slowDownPolls = number<int>(o, "slow_down_polls", config.slowDownPolls);
	config.interval = number<int>(o, "interval", config.interval);
	config.accessTokenTtlSeconds = number<int>(o, "access_token_ttl_seconds", config.accessTokenTtlSeconds);
	config.roleCredentialsTtlSeconds =
		number<int>(o, "role_credentials_ttl_seconds", config.roleCredentialsTtlSeconds);
	if (o.has("device_outcome")) {
		config.deviceOutcome = str(o, "device_outcome");
		if (config.deviceOutcome != "approve" && config.deviceOutcome != "expire" &&
		    config.deviceOutcome != "deny")
			throw std::runtime_error("sso.device_outcome: expected approve, expire or deny");
	}
}

SsoService::SsoService(SsoConfig config, const std::map<std::string, KeyConfig> &keys)
    : config_(std::move(config)), keys_(keys)
{
	for (const auto &t : config_.refreshTokens)
		refresh_[t] = Grant{};
}

bool SsoService::handle(const Request &request, std::string_view path, std::string_view query, Clock::time_point now,
			Reply &reply)
{
	if (path == "/federation/credentials") {
		reply = request.method == "GET" ? roleCredentials(request, query, now)
						: portalError(405, "MethodNotAllowed", "use GET");
		return true;
	}
	if (path != "/client/register" && path != "/device_authorization" && path != "/token")
		return false;
	Object::Ptr body;
	try {
		auto v = Poco::JSON::Parser().parse(request.body);
		if (v.type() == typeid(Object::Ptr))
			body = v.extract<Object::Ptr>();
	} catch (const Poco::Exception &) {
	}
	if (request.method != "POST" || !body) {
		reply = oidcError(400, "InvalidRequestException", "invalid_request",
				  "expected a POST with a JSON object");
		return true;
	}
	if (path == "/client/register")
		reply = registerClient(*body, now);
	else if (path == "/device_authorization")
		reply = startDeviceAuthorization(*body);
	else
		reply = createToken(*body, now);
	return true;
}

Reply SsoService::roleCredentials(const Request &request, std::string_view query, Clock::time_point now)
{
	auto token = findHeader(request.headers, "x-amz-sso_bearer_token");
	{
		std::lock_guard lock(mutex_);
		bool known = token && std::find(config_.accessTokens.begin(), config_.accessTokens.end(), *token) !=
					      config_.accessTokens.end();
		auto it = token ? issued_.find(*token) : issued_.end();
		if (!known && !(it != issued_.end() && now < it->second))
			return portalError(401, "UnauthorizedException", "Session token not found or invalid");
	}
	std::string account = queryValue(query, "account_id");
	std::string role = queryValue(query, "role_name");
	auto r = std::find_if(config_.roles.begin(), config_.roles.end(),
			      [&](const SsoRole &x) { return x.accountId == account && x.roleName == role; });
	auto key = r == config_.roles.end() ? keys_.end() : keys_.find(r->accessKeyId);
	if (key == keys_.end())
		return portalError(403, "ForbiddenException", "No access");
	long long expiration = (epochSeconds(now) + config_.roleCredentialsTtlSeconds) * 1000LL;
	return awsReply(200, "{\"roleCredentials\": {\"accessKeyId\": " + jsonQuote(r->accessKeyId) +
				     ", \"secretAccessKey\": " + jsonQuote(key->second.secret) +
				     ", \"sessionToken\": " + jsonQuote(random("sso-session-")) +
				     ", \"expiration\": " + std::to_string(expiration) + "}}");
}

Reply SsoService::registerClient(const Object &body, Clock::time_point now)
{
	if (str(body, "clientName").empty() || str(body, "clientType") != "public")
		return oidcError(400, "InvalidClientMetadataException", "invalid_client_metadata",
				 "clientName and clientType public are required");
	std::string id = random("client-", 12);
	std::string secret = random("client-secret-");
	{
		std::lock_guard lock(mutex_);
		config_.clients[id] = secret;
	}
	return awsReply(200, "{\"clientId\": " + jsonQuote(id) + ", \"clientSecret\": " + jsonQuote(secret) +
				     ", \"clientIdIssuedAt\": " + std::to_string(epochSeconds(now)) +
				     ", \"clientSecretExpiresAt\": " + std::to_string(epochSeconds(now) + 90 * 86400) +
				     "}");
}

Reply SsoService::startDeviceAuthorization(const Object &body)
{
	std::lock_guard lock(mutex_);
	auto client = config_.clients.find(str(body, "clientId"));
	if (client == config_.clients.end() || client->second != str(body, "clientSecret"))
		return oidcError(401, "InvalidClientException", "invalid_client", "unknown client");
	if (str(body, "startUrl").empty())
		return oidcError(400, "InvalidRequestException", "invalid_request", "startUrl is required");
	std::string deviceCode = random("device-");
	std::string userCode = toLower(hexEncode(crypto::randomBytes(2))) + "-" + hexEncode(crypto::randomBytes(2));
	for (auto &c : userCode)
		c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
	devices_[deviceCode] = Device{ client->first };
	return awsReply(200, "{\"deviceCode\": " + jsonQuote(deviceCode) + ", \"userCode\": " + jsonQuote(userCode) +
				     ", \"verificationUri\": \"https://device.sso.emulator.invalid/\"" +
				     ", \"verificationUriComplete\": " +
				     jsonQuote("https://device.sso.emulator.invalid/?user_code=" + userCode) +
				     ", \"expiresIn\": 600, \"interval\": " + std::to_string(config_.interval) + "}");
}

Reply SsoService::issueToken(const std::string &clientId, Clock::time_point now)
{
	std::string access = random("sso-access-");
	std::string refresh = random("sso-refresh-");
	issued_[access] = now + std::chrono::seconds(config_.accessTokenTtlSeconds);
	refresh_[refresh] = Grant{ clientId };
	return awsReply(200, "{\"accessToken\": " + jsonQuote(access) + ", \"tokenType\": \"Bearer\", \"expiresIn\": " +
				     std::to_string(config_.accessTokenTtlSeconds) +
				     ", \"refreshToken\": " + jsonQuote(refresh) + "}");
}

Reply SsoService::createToken(const Object &body, Clock::time_point now)
{
	std::lock_guard lock(mutex_);
	auto client = config_.clients.find(str(body, "clientId"));
	if (client == config_.clients.end() || client->second != str(body, "clientSecret"))
		return oidcError(401, "InvalidClientException", "invalid_client", "unknown client");
	const std::string grant = str(body, "grantType");
	if (grant == "refresh_token") {
		auto it = refresh_.find(str(body, "refreshToken"));
		if (it == refresh_.end() || (!it->second.clientId.empty() && it->second.clientId != client->first))
			return oidcError(400, "InvalidGrantException", "invalid_grant",
					 "Invalid refresh token provided");
		refresh_.erase(it); // refresh tokens are single-use
		return issueToken(client->first, now);
	}
	if (grant != "urn:ietf:params:oauth:grant-type:device_code")
		return oidcError(400, "UnsupportedGrantTypeException", "unsupported_grant_type", grant);
	auto device = devices_.find(str(body, "deviceCode"));
	if (device == devices_.end() || device->second.used || device->second.clientId != client->first)
		return oidcError(400, "InvalidGrantException", "invalid_grant", "Invalid device code provided");
	int poll = ++device->second.polls;
	if (config_.deviceOutcome == "expire" && poll > config_.approveAfterPolls)
		return oidcError(400, "ExpiredTokenException", "expired_token", "Device code has expired");
	if (config_.deviceOutcome == "deny" && poll > config_.approveAfterPolls)
		return oidcError(400, "AccessDeniedException", "access_denied", "The user denied the request");
	if (poll <= config_.slowDownPolls)
		return oidcError(400, "SlowDownException", "slow_down", "Client is polling too fast");
	if (poll <= config_.approveAfterPolls)
		return oidcError(400, "AuthorizationPendingException", "authorization_pending",
				 "Authorization is still pending");
	device->second.used = true;
	return issueToken(client->first, now);
}

} // namespace mwaatok::emulator

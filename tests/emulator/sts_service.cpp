#include "sts_service.h"

#include <algorithm>
#include <stdexcept>

#include <Poco/UUIDGenerator.h>

#include "core/crypto.h"
#include "core/strings.h"
#include "mwaatok/sigv4.h"
#include "mwaatok/url.h"

namespace mwaatok::emulator {

namespace {

constexpr std::string_view kAccount = "123456789012";

std::string xmlEscape(std::string_view s)
{
	std::string out;
	for (char c : s) {
		switch (c) {
		case '&': out += "&amp;"; break;
		case '<': out += "&lt;"; break;
		case '>': out += "&gt;"; break;
		case '"': out += "&quot;"; break;
		default: out += c;
		}
	}
	return out;
}

std::string requestId()
{
	return Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
}

StsAnswer error(int status, std::string_view code, std::string_view message)
{
	StsAnswer a;
	a.status = status;
	a.errorType = code;
	a.body = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    <Type>Sender</Type>\n"
		 "    <Code>" + xmlEscape(code) + "</Code>\n    <Message>" + xmlEscape(message) +
		 "</Message>\n  </Error>\n  <RequestId>" + requestId() + "</RequestId>\n</ErrorResponse>\n";
	return a;
}

std::map<std::string, std::string> parseForm(std::string_view body)
{
	std::map<std::string, std::string> out;
	for (auto pair : split(body, '&')) {
		if (pair.empty())
			continue;
		auto eq = pair.find('=');
		std::string name(pair.substr(0, eq));
		std::string value(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
		std::replace(value.begin(), value.end(), '+', ' ');
		out[uriDecode(name)] = uriDecode(value);
	}
	return out;
}

std::string iso(Clock::time_point t)
{
	auto secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
	time_t tt = static_cast<time_t>(secs);
	tm g{};
	gmtime_r(&tt, &g);
	char buf[32];
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &g);
	return buf;
}

std::string randomUpperHex(size_t bytes)
{
	std::string h = hexEncode(crypto::randomBytes(bytes));
	std::transform(h.begin(), h.end(), h.begin(), [](char c) { return static_cast<char>(std::toupper(c)); });
	return h;
}

bool validSessionName(std::string_view s)
{
	if (s.size() < 2 || s.size() > 64)
		return false;
	return std::all_of(s.begin(), s.end(), [](char c) {
		return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_+=,.@-").find(c) != std::string_view::npos;
	});
}

std::string str(const Poco::JSON::Object &o, const std::string &name, const std::string &where)
{
	if (!o.has(name))
		return {};
	if (!o.get(name).isString())
		throw std::runtime_error(where + "." + name + ": expected a string");
	return o.getValue<std::string>(name);
}

} // namespace

void loadStsConfig(const Poco::JSON::Object &sts, StsConfig &config)
{
	for (const auto &[name, value] : sts)
		if (name != "roles")
			throw std::runtime_error("sts: unknown member \"" + name + "\"");
	auto roles = sts.getObject("roles");
	if (!roles)
		return;
	for (const auto &[arn, value] : *roles) {
		std::string where = "sts.roles." + arn;
		auto r = roles->getObject(arn);
		if (!r)
			throw std::runtime_error(where + ": expected an object");
		for (const auto &[name, v] : *r)
			if (name != "external_id" && name != "mfa_serial" && name != "mfa_code" && name != "web_identity_token")
				throw std::runtime_error(where + ": unknown member \"" + name + "\"");
		RoleConfig role;
		role.externalId = str(*r, "external_id", where);
		role.mfaSerial = str(*r, "mfa_serial", where);
		role.mfaCode = str(*r, "mfa_code", where);
		role.webIdentityToken = str(*r, "web_identity_token", where);
		if (role.mfaSerial.empty() != role.mfaCode.empty())
			throw std::runtime_error(where + ": mfa_serial and mfa_code go together");
		config.roles[arn] = role;
	}
}

StsService::StsService(StsConfig config, std::function<std::optional<std::string>(std::string_view)> longTermSecret)
	: config_(std::move(config)), longTermSecret_(std::move(longTermSecret))
{
}

bool StsService::isStsRequest(const std::string &method, std::string_view path, const HttpHeaders &headers)
{
	auto type = findHeader(headers, "Content-Type").value_or("");
	return method == "POST" && path == "/" && startsWith(toLower(type), "application/x-www-form-urlencoded");
}

std::optional<IssuedCredentials> StsService::issued(std::string_view accessKeyId) const
{
	std::lock_guard lock(mutex_);
	auto it = issued_.find(accessKeyId);
	if (it == issued_.end())
		return std::nullopt;
	return it->second;
}

StsAnswer StsService::handle(const std::string &, std::string_view path, std::string_view query,
			     const HttpHeaders &headers, const std::string &body, Clock::time_point now)
{
	auto form = parseForm(body);
	const std::string action = form["Action"];
	if (form["Version"] != "2011-06-15")
		return error(400, "InvalidAction", "Could not find operation " + action + " for version " + form["Version"]);
	if (action == "AssumeRole")
		return assumeRole(form, headers, path, query, body, now);
	if (action == "AssumeRoleWithWebIdentity")
		return assumeRoleWithWebIdentity(form, now);
	return error(400, "InvalidAction", "Could not find operation " + action + " for version 2011-06-15");
}

StsAnswer StsService::assumeRole(const std::map<std::string, std::string> &form, const HttpHeaders &headers,
				 std::string_view path, std::string_view query, const std::string &body,
				 Clock::time_point now)
{
	sigv4::SignableRequest signable{ "POST", std::string(path), std::string(query), headers, body };
	auto lookup = [this](std::string_view akid) -> std::optional<std::string> {
		if (auto s = longTermSecret_(akid))
			return s;
		if (auto i = issued(akid))
			return i->secret;
		return std::nullopt;
	};
	sigv4::VerifyResult v = sigv4::verify(signable, lookup, now);
	auto refuse = [&](std::string_view code, std::string_view message) {
		StsAnswer a = error(403, code, message);
		a.accessKeyId = v.accessKeyId;
		return a;
	};
	switch (v.status) {
	case sigv4::VerifyStatus::Ok: break;
	case sigv4::VerifyStatus::Missing: return refuse("MissingAuthenticationToken", v.message);
	case sigv4::VerifyStatus::Malformed: return refuse("IncompleteSignature", v.message);
	case sigv4::VerifyStatus::UnknownAccessKey:
		return refuse("InvalidClientTokenId", "The security token included in the request is invalid.");
	case sigv4::VerifyStatus::TimeSkewed:
	case sigv4::VerifyStatus::SignatureMismatch: return refuse("SignatureDoesNotMatch", v.message);
	}
	if (v.service != "sts")
		return refuse("SignatureDoesNotMatch", "Credential should be scoped to correct service: 'sts'. ");
	auto token = findHeader(headers, "X-Amz-Security-Token");
	if (auto i = issued(v.accessKeyId)) {
		if (!token || *token != i->sessionToken)
			return refuse("InvalidClientTokenId", "The security token included in the request is invalid.");
		if (i->expires <= now)
			return refuse("ExpiredToken", "The security token included in the request is expired");
	}
	const std::string &arn = form.count("RoleArn") ? form.at("RoleArn") : "";
	auto role = config_.roles.find(arn);
	std::string caller = "arn:aws:iam::" + std::string(kAccount) + ":user/" + v.accessKeyId;
	if (role == config_.roles.end())
		return refuse("AccessDenied", "User: " + caller + " is not authorized to perform: sts:AssumeRole on resource: " + arn);
	auto value = [&](const char *name) { return form.count(name) ? form.at(name) : std::string(); };
	if (value("ExternalId") != role->second.externalId)
		return refuse("AccessDenied", "User: " + caller + " is not authorized to perform: sts:AssumeRole on resource: " + arn);
	if (!role->second.mfaSerial.empty()) {
		if (value("SerialNumber").empty() || value("TokenCode").empty())
			return refuse("AccessDenied", "User: " + caller + " is not authorized to perform: sts:AssumeRole on resource: " + arn);
		if (value("SerialNumber") != role->second.mfaSerial || value("TokenCode") != role->second.mfaCode)
			return refuse("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ");
	}
	StsAnswer a = issue("AssumeRole", form, now);
	a.accessKeyId = v.accessKeyId;
	a.signatureVerified = true;
	return a;
}

StsAnswer StsService::assumeRoleWithWebIdentity(const std::map<std::string, std::string> &form, Clock::time_point now)
{
	auto value = [&](const char *name) { return form.count(name) ? form.at(name) : std::string(); };
	auto role = config_.roles.find(value("RoleArn"));
	const std::string token = value("WebIdentityToken");
	if (startsWith(token, "expired"))
		return error(400, "ExpiredTokenException",
			     "Token expired: current date/time " + iso(now) + " must be before the expiration date/time");
	if (role == config_.roles.end() || role->second.webIdentityToken.empty() || token != role->second.webIdentityToken)
		return error(400, "InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider");
	return issue("AssumeRoleWithWebIdentity", form, now);
}

StsAnswer StsService::issue(const std::string &action, const std::map<std::string, std::string> &form,
			    Clock::time_point now)
{
	auto value = [&](const char *name) { return form.count(name) ? form.at(name) : std::string(); };
	const std::string arn = value("RoleArn");
	const std::string session = value("RoleSessionName");
	if (!validSessionName(session))
		return error(400, "ValidationError", "1 validation error detected: Value '" + session +
							     "' at 'roleSessionName' failed to satisfy constraint");
	long long duration = 3600;
	if (!value("DurationSeconds").empty()) {
		duration = std::atoll(value("DurationSeconds").c_str());
		if (duration < 900 || duration > 43200)
			return error(400, "ValidationError", "1 validation error detected: Value '" + value("DurationSeconds") +
								     "' at 'durationSeconds' failed to satisfy constraint");
	}
	IssuedCredentials c;
	const std::string akid = "ASIA" + randomUpperHex(8);
	c.secret = hexEncode(crypto::randomBytes(20));
	c.sessionToken = "emulator-session-" + hexEncode(crypto::randomBytes(32));
	c.expires = std::chrono::time_point_cast<std::chrono::seconds>(now) + std::chrono::seconds(duration);
	c.roleArn = arn;
	{
		std::lock_guard lock(mutex_);
		issued_[akid] = c;
	}
	std::string roleName = arn.substr(arn.rfind('/') == std::string::npos ? 0 : arn.rfind('/') + 1);
	StsAnswer a;
	a.body = "<" + action + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <" + action +
		 "Result>\n    <AssumedRoleUser>\n      <AssumedRoleId>AROA" + randomUpperHex(8) + ":" + xmlEscape(session) +
		 "</AssumedRoleId>\n      <Arn>arn:aws:sts::" + std::string(kAccount) + ":assumed-role/" +
		 xmlEscape(roleName) + "/" + xmlEscape(session) + "</Arn>\n    </AssumedRoleUser>\n    <Credentials>\n"
		 "      <AccessKeyId>" + akid + "</AccessKeyId>\n      <SecretAccessKey>" + c.secret +
		 "</SecretAccessKey>\n      <SessionToken>" + c.sessionToken + "</SessionToken>\n      <Expiration>" +
		 iso(c.expires) + "</Expiration>\n    </Credentials>\n  </" + action + "Result>\n  <ResponseMetadata>\n"
		 "    <RequestId>" + requestId() + "</RequestId>\n  </ResponseMetadata>\n</" + action + "Response>\n";
	return a;
}

} // namespace mwaatok::emulator

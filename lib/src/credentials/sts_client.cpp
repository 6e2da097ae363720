#include "credentials/sts_client.h"

#include "aws/partition.h"
#include "core/crypto.h"
#include "core/json.h"
#include "core/strings.h"
#include "credentials/credentials_util.h"
#include "credentials/xml_reader.h"
#include "mwaatok/time.h"
#include "mwaatok/aws_client.h"
#include "mwaatok/clock.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/http.h"
#include "mwaatok/region.h"

#include <algorithm>
#include <cstdio>

#include <openssl/evp.h>

namespace mwaatok::detail {

namespace {

constexpr const char *kContentType = "application/x-www-form-urlencoded; charset=utf-8";
constexpr int kAttempts = 3;

// Regions where sts_regional_endpoints = legacy keeps the global endpoint (botocore's list).
const char *const kLegacyGlobalRegions[] = {
	"ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global", "ca-central-1",
	"eu-central-1",	  "eu-north-1", "eu-west-1",      "eu-west-2",	    "eu-west-3",  "sa-east-1",
	"us-east-1",	  "us-east-2",  "us-west-1",      "us-west-2",
};

bool validRegion(std::string_view r)
{
	if (r.empty() || r.size() > 64 || r.front() == '-' || r.back() == '-')
		return false;
	for (char c : r)
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	return true;
}

// An env switch beats the profile's; both read "true" case-insensitively.
bool flag(const Environment &env, const char *var, const SharedConfig &config, const char *key)
{
	if (auto v = env.getNonEmpty(var))
		return iequals(trim(*v), "true");
	auto p = config.get(key);
	return p && iequals(trim(*p), "true");
}

std::optional<std::string> servicesEndpoint(const SharedConfig &config)
{
	auto name = config.get("services");
	if (!name)
		return std::nullopt;
	const ProfileProperties *section = config.profiles().servicesSection(trim(*name));
	if (!section)
		return std::nullopt;
	auto it = section->find("sts");
	if (it == section->end())
		return std::nullopt;
	for (auto line : split(it->second.value, '\n')) {
		auto eq = line.find('=');
		if (eq != std::string_view::npos && iequals(trim(line.substr(0, eq)), "endpoint_url"))
			return std::string(trim(line.substr(eq + 1)));
	}
	return std::nullopt;
}

std::optional<std::string> configuredEndpoint(const Environment &env, const SharedConfig &config)
{
	if (flag(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", config, "ignore_configured_endpoint_urls"))
		return std::nullopt;
	if (auto v = env.getNonEmpty("AWS_ENDPOINT_URL_STS"))
		return v;
	if (auto v = servicesEndpoint(config))
		return v;
	if (auto v = env.getNonEmpty("AWS_ENDPOINT_URL"))
		return v;
	return config.get("endpoint_url");
}

std::string formField(std::string_view name, std::string_view value)
{
	return "&" + std::string(name) + "=" + uriEncode(value);
}

std::string accountOf(const std::string &arn)
{
	auto parts = split(arn, ':');
	return parts.size() > 4 ? std::string(parts[4]) : std::string();
}

StsResult parseAnswer(const std::string &body, const std::string &operation, const std::string &what)
{
	auto doc = parseXml(body);
	const XmlNode *result = doc && doc->name == operation + "Response" ? doc->child(operation + "Result") : nullptr;
	const XmlNode *creds = result ? result->child("Credentials") : nullptr;
	if (!creds)
		throw Error(ErrorKind::Credentials,
			    what + ": sts " + operation + " answered with something that is not an " + operation +
				    " response (is the sts endpoint right?)");
	StsResult r;
	Credentials &c = r.credentials;
	c.accessKeyId = std::string(trim(creds->textAt({"AccessKeyId"})));
	c.secretAccessKey = std::string(trim(creds->textAt({"SecretAccessKey"})));
	c.sessionToken = std::string(trim(creds->textAt({"SessionToken"})));
	std::string expiration(trim(creds->textAt({"Expiration"})));
	if (c.accessKeyId.empty() || c.secretAccessKey.empty() || c.sessionToken.empty())
		throw Error(ErrorKind::Credentials, what + ": the sts " + operation + " answer lacks credentials");
	c.expiration = parseTimestamp(expiration);
	if (!c.expiration)
		throw Error(ErrorKind::Credentials, what + ": the sts " + operation + " answer has expiration `" +
							    oneLine(expiration, 40) + "`, which is not a timestamp");
	std::string arn(trim(result->textAt({"AssumedRoleUser", "Arn"})));
	std::string roleId(trim(result->textAt({"AssumedRoleUser", "AssumedRoleId"})));
	c.accountId = accountOf(arn);
	r.cacheJson = "{\"Credentials\": {\"AccessKeyId\": " + jsonQuote(c.accessKeyId) +
		      ", \"SecretAccessKey\": " + jsonQuote(c.secretAccessKey) +
		      ", \"SessionToken\": " + jsonQuote(c.sessionToken) +
		      ", \"Expiration\": " + jsonQuote(time::formatRfc3339(*c.expiration)) +
		      (c.accountId.empty() ? "" : ", \"AccountId\": " + jsonQuote(c.accountId)) +
		      "}, \"AssumedRoleUser\": {\"AssumedRoleId\": " + jsonQuote(roleId) +
		      ", \"Arn\": " + jsonQuote(arn) + "}, \"ResponseMetadata\": {}}";
	return r;
}

std::string hintFor(const std::string &code, bool webIdentity)
{
	if (code == "ExpiredToken" || code == "ExpiredTokenException")
		return webIdentity ? ": the web identity token has expired; get a fresh one"
				   : ": the source credentials have expired; refresh them";
	if (code == "AccessDenied")
		return ": check the role's trust policy and the profile's role_arn";
	if (code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch")
		return ": the source credentials are not valid";
	return "";
}

[[noreturn]] void stsFailure(const std::string &what, const std::string &operation, const ServiceError &e,
			     bool webIdentity)
{
	throw Error(ErrorKind::Credentials, what + ": sts " + operation + " failed: " + e.code() + ": " +
						    oneLine(redactSecrets(e.serviceMessage()), 300) +
						    hintFor(e.code(), webIdentity));
}

std::string body(const char *action, const AssumeRoleParams &p)
{
	std::string b = std::string("Action=") + action + "&Version=2011-06-15" + formField("RoleArn", p.roleArn) +
			formField("RoleSessionName", p.sessionName);
	if (p.durationSeconds)
		b += formField("DurationSeconds", std::to_string(*p.durationSeconds));
	return b;
}

} // namespace

StsEndpoint stsEndpoint(const Environment &env, const SharedConfig &config)
{
	auto choice = regionFromSettings(env, config);
	std::string region = choice ? choice->region : std::string();
	StsEndpoint out;
	out.signingRegion = region.empty() ? "us-east-1" : region;
	if (auto custom = configuredEndpoint(env, config)) {
		try {
			out.url = Url::parse(*custom);
		} catch (const Error &e) {
			throw Error(ErrorKind::Config, "the sts endpoint url `" + oneLine(*custom, 100) +
							       "` is not valid (" + e.what() + ")");
		}
		return out;
	}
	if (!region.empty() && !validRegion(region))
		throw Error(ErrorKind::Config, "region `" + oneLine(region, 64) +
						       "` is not a valid region name (expected something like us-east-1)");
	bool fips = flag(env, "AWS_USE_FIPS_ENDPOINT", config, "use_fips_endpoint");
	bool dual = flag(env, "AWS_USE_DUALSTACK_ENDPOINT", config, "use_dualstack_endpoint");
	std::string mode = toLower(trim(env.getNonEmpty("AWS_STS_REGIONAL_ENDPOINTS")
						 .value_or(config.get("sts_regional_endpoints").value_or("regional"))));
	bool legacy = mode == "legacy" && std::any_of(std::begin(kLegacyGlobalRegions), std::end(kLegacyGlobalRegions),
						      [&](const char *r) { return region == r; });
	std::string host;
	if ((region.empty() || region == "aws-global" || legacy) && !fips && !dual) {
		host = "sts.amazonaws.com";
		out.signingRegion = "us-east-1";
	} else {
		if (region.empty() || region == "aws-global")
			region = "us-east-1";
		host = serviceHost("sts", region, fips, dual);
		out.signingRegion = region;
	}
	out.url = Url::parse("https://" + host + "/");
	return out;
}

std::string assumeRoleCacheKey(const AssumeRoleParams &p)
{
	// json.dumps(args, sort_keys=True): keys in code-point order.
	std::vector<std::pair<std::string, std::string>> args;
	if (p.durationSeconds)
		args.emplace_back("DurationSeconds", std::to_string(*p.durationSeconds));
	if (!p.externalId.empty())
		args.emplace_back("ExternalId", pythonJsonString(p.externalId));
	args.emplace_back("RoleArn", pythonJsonString(p.roleArn));
	if (!p.sessionNameGenerated)
		args.emplace_back("RoleSessionName", pythonJsonString(p.sessionName));
	if (!p.serialNumber.empty())
		args.emplace_back("SerialNumber", pythonJsonString(p.serialNumber));
	std::string text = "{";
	for (size_t i = 0; i < args.size(); ++i)
		text += (i ? ", " : "") + pythonJsonString(args[i].first) + ": " + args[i].second;
	text += "}";
	return crypto::sha1Hex(text);
}

StsResult assumeRole(const ProviderContext &ctx, const StsEndpoint &endpoint, const Credentials &source,
		     const AssumeRoleParams &p, const std::string &tokenCode, const std::string &what)
{
	std::string b = body("AssumeRole", p);
	if (!p.externalId.empty())
		b += formField("ExternalId", p.externalId);
	if (!p.serialNumber.empty())
		b += formField("SerialNumber", p.serialNumber) + formField("TokenCode", tokenCode);
	AwsClient client(ctx.http, ctx.clock, [&source] { return source; });
	CallOptions options;
	options.region = endpoint.signingRegion;
	options.service = "sts";
	AwsRequest request{"POST", endpoint.url, {{"Content-Type", kContentType}}, b};
	try {
		HttpResponse r = client.send(request, options);
		return parseAnswer(r.body, "AssumeRole", what);
	} catch (const ServiceError &e) {
		stsFailure(what, "AssumeRole", e, false);
	} catch (const NetworkError &e) {
		throw Error(ErrorKind::Credentials, what + ": cannot reach sts at " + endpoint.url.toString() + ": " + e.what());
	}
}

StsResult assumeRoleWithWebIdentity(const ProviderContext &ctx, const StsEndpoint &endpoint,
				    const AssumeRoleParams &p, const std::string &token, const std::string &what)
{
	HttpRequest req;
	req.method = "POST";
	req.url = endpoint.url.toString();
	req.headers = {{"Content-Type", kContentType}};
	req.body = body("AssumeRoleWithWebIdentity", p) + formField("WebIdentityToken", token);
	const std::string op = "AssumeRoleWithWebIdentity";
	for (int attempt = 1;; ++attempt) {
		std::string failure;
		try {
			HttpResponse r = ctx.http.send(req);
			if (r.status >= 200 && r.status < 300)
				return parseAnswer(r.body, op, what);
			AwsErrorInfo err = parseAwsError(r);
			ServiceError e(r.status, err.code, err.message, err.requestId, err.code);
			if (!isRetryableError(r.status, err.code) || attempt >= kAttempts)
				stsFailure(what, op, e, true);
		} catch (const NetworkError &e) {
			if (attempt >= kAttempts)
				throw Error(ErrorKind::Credentials,
					    what + ": cannot reach sts at " + endpoint.url.toString() + ": " + e.what());
		}
		ctx.clock.sleepFor(std::chrono::milliseconds(1000 * attempt));
	}
}

std::optional<Credentials> credentialsFromCache(const std::string &json)
{
	auto root = parseJsonObject(json);
	if (!root)
		return std::nullopt;
	auto creds = root->getObject("Credentials");
	if (!creds)
		return std::nullopt;
	Credentials c;
	c.accessKeyId = jsonString(*creds, "AccessKeyId");
	c.secretAccessKey = jsonString(*creds, "SecretAccessKey");
	c.sessionToken = jsonString(*creds, "SessionToken");
	std::string expiration = jsonString(*creds, "Expiration");
	// botocore writes "2026-12-01T05:34:12UTC" (strftime %Z); others write Z or +00:00.
	if (endsWith(expiration, "UTC"))
		expiration = expiration.substr(0, expiration.size() - 3) + "Z";
	c.expiration = parseTimestamp(expiration);
	if (c.accessKeyId.empty() || c.secretAccessKey.empty() || !c.expiration)
		return std::nullopt;
	c.accountId = jsonString(*creds, "AccountId");
	if (c.accountId.empty())
		if (auto user = root->getObject("AssumedRoleUser"))
			c.accountId = accountOf(jsonString(*user, "Arn"));
	return c;
}

} // namespace mwaatok::detail

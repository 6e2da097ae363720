#include "mwaatok/mwaa_client.h"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Object.h>

#include <iterator>
#include <sstream>

#include "aws/partition.h"
#include "core/json.h"
#include "core/strings.h"
#include "mwaatok/error.h"
#include "mwaatok/syntax.h"
#include "mwaatok/terminal_text.h"

namespace mwaatok {

namespace {

bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

std::string requiredString(const Poco::JSON::Object &obj, const std::string &member,
			   const std::string &operation)
{
	if (!obj.has(member) || !obj.get(member).isString())
		throw Error(ErrorKind::Service, operation + " response has no " + member +
							" member (is --endpoint-url an MWAA endpoint?)");
	return obj.getValue<std::string>(member);
}

std::string optionalString(const Poco::JSON::Object &obj, const std::string &member)
{
	if (obj.has(member) && obj.get(member).isString())
		return obj.getValue<std::string>(member);
	return {};
}

Poco::JSON::Object::Ptr parseObject(const std::string &body, const std::string &operation)
{
	auto obj = detail::parseJsonObject(body);
	if (!obj)
		throw Error(ErrorKind::Service, operation + " response is not valid JSON");
	return obj;
}

std::string base64Decode(const std::string &text, const char *member)
{
	// Read in blocks: an exception from the decoder inside std::string's
	// istreambuf_iterator constructor leaked the partly built string (ASan,
	// fuzz_mwaa_response). The stream turns the decoder's exception into badbit.
	std::istringstream in(text);
	Poco::Base64Decoder decoder(in);
	std::string out;
	char block[1024];
	while (decoder.read(block, sizeof block) || decoder.gcount() > 0)
		out.append(block, static_cast<size_t>(decoder.gcount()));
	if (decoder.bad())
		throw Error(ErrorKind::Service, std::string("the Airflow CLI response's ") + member +
							" is not valid base64");
	return out;
}

} // namespace

AirflowCliResult invokeAirflowCli(HttpTransport &transport, const CliToken &token,
				  const std::string &command, std::chrono::milliseconds timeout)
{
	if (!isValidHostname(token.webServerHostname))
		throw Error(ErrorKind::Service, "the service returned an invalid web server hostname");
	HttpRequest req;
	req.method = "POST";
	req.url = "https://" + token.webServerHostname + "/aws_mwaa/cli";
	req.headers = { { "Host", token.webServerHostname },
			{ "Authorization", "Bearer " + token.cliToken },
			{ "Content-Type", "text/plain" } };
	req.body = command;
	req.readTimeout = timeout;
	HttpResponse resp = transport.send(req);

	AirflowCliResult result;
	bool parsed = false;
	auto obj = detail::parseJsonObject(resp.body);
	if (obj && obj->has("stdout") && obj->has("stderr") && obj->get("stdout").isString() &&
	    obj->get("stderr").isString()) {
		result.stdoutText = base64Decode(obj->getValue<std::string>("stdout"), "stdout");
		result.stderrText = base64Decode(obj->getValue<std::string>("stderr"), "stderr");
		parsed = true;
	}
	if (resp.status != 200) {
		std::string detail = parsed ? std::string(trim(result.stderrText)) : std::string(trim(resp.body));
		if (detail.size() > 500)
			detail = detail.substr(0, 500) + "...";
		throw Error(ErrorKind::Service, "the Airflow CLI endpoint on " + token.webServerHostname +
							" answered HTTP " + std::to_string(resp.status) +
							(detail.empty() ? "" : ": " + detail) +
							(resp.status == 500 ? " (MWAA supports only some Airflow CLI commands)" : ""));
	}
	if (!parsed)
		throw Error(ErrorKind::Service, "the Airflow CLI endpoint on " + token.webServerHostname +
							" did not answer with stdout and stderr");
	return result;
}

MwaaEndpointConfig MwaaEndpointConfig::fromEnvironment(const Environment &env, std::string region,
						       std::optional<std::string> explicitUrl,
						       std::optional<std::string> configuredUrl)
{
	MwaaEndpointConfig c;
	c.region = std::move(region);
	if (explicitUrl) {
		c.endpointUrl = explicitUrl;
	} else if (!env.isTrue("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
		if (auto v = env.getNonEmpty("AWS_ENDPOINT_URL_MWAA"))
			c.endpointUrl = v;
		else if (auto g = env.getNonEmpty("AWS_ENDPOINT_URL"))
			c.endpointUrl = g;
		else if (configuredUrl)
			c.endpointUrl = configuredUrl;
	}
	c.useFips = env.isTrue("AWS_USE_FIPS_ENDPOINT");
	c.useDualStack = env.isTrue("AWS_USE_DUALSTACK_ENDPOINT");
	c.injectHostPrefix = !env.isTrue("AWS_DISABLE_HOST_PREFIX_INJECTION");
	return c;
}

Url mwaaEndpoint(const MwaaEndpointConfig &config, HostPrefix prefix)
{
	Url url;
	if (config.endpointUrl) {
		if (config.useFips || config.useDualStack)
			throw Error(ErrorKind::Config,
				    "a custom endpoint URL cannot be combined with AWS_USE_FIPS_ENDPOINT or "
				    "AWS_USE_DUALSTACK_ENDPOINT; unset one of them");
		url = Url::parse(*config.endpointUrl);
		if (url.path == "/")
			url.path.clear();
		if (!url.query.empty())
			throw Error(ErrorKind::Config, "endpoint URL '" + *config.endpointUrl +
							       "' must not have a query string");
	} else {
		if (config.region.empty())
			throw Error(ErrorKind::Config,
				    "no region: give --region, set AWS_REGION, or set region in the AWS profile");
		if (!isRegionCode(config.region))
			throw Error(ErrorKind::Config, "invalid region '" + config.region +
							       "' (expected something like us-east-1)");
		url.scheme = "https";
		url.port = 443;
		url.host = serviceHost("airflow", config.region, config.useFips, config.useDualStack);
	}
	const std::string pfx = prefix == HostPrefix::Env ? "env." : "api.";
	if (config.injectHostPrefix && !url.hostIsIpLiteral() && url.host != "localhost" &&
	    !startsWith(url.host, pfx))
		url.host = pfx + url.host;
	return url;
}

void checkEnvironmentName(std::string_view name)
{
	if (isValidEnvironmentName(name))
		return;
	std::string why;
	if (name.empty())
		why = "it is empty";
	else if (name.size() > 80)
		why = "it is longer than 80 characters";
	else if (!isAlpha(name.front()))
		why = "it must start with a letter";
	else
		why = "it may only contain letters, digits, '-' and '_'";
	std::string shown(name.substr(0, 100));
	for (char &c : shown)
		if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
			c = '?';
	throw Error(ErrorKind::Usage, "invalid MWAA environment name '" + shown + "': " + why);
}

bool isValidHostname(std::string_view host)
{
	// A DNS name with a dot and no all-numeric label: never an IP address in
	// any of its spellings (2130706433, 0x7f000001, 1.2.3.4.5, 127.1).
	if (host.empty() || host.size() > 255 || host.find('.') == std::string_view::npos)
		return false;
	for (auto label : split(host, '.')) {
		if (label.empty() || label.size() > 63)
			return false;
		if (label.front() == '-' || label.back() == '-')
			return false;
		bool numeric = true;
		for (char c : label) {
			if (!(isAlpha(c) || isDigit(c) || c == '-'))
				return false;
			numeric = numeric && isDigit(c);
		}
		if (numeric)
			return false;
	}
	// A hexadecimal number (0x7f000001) reads as an IPv4 address in URL parsers too.
	auto last = host.substr(host.rfind('.') + 1);
	return !(last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X'));
}

int airflowMajorVersion(std::string_view version)
{
	version = trim(version);
	int major = 0;
	size_t i = 0;
	while (i < version.size() && isDigit(version[i]) && major < 1000)
		major = major * 10 + (version[i++] - '0');
	if (i == 0 || (i < version.size() && version[i] != '.'))
		return 0;
	return major;
}

std::string loginUrl(std::string_view hostname, std::string_view webToken, int airflowMajor,
		     const std::optional<std::string> &pathOverride)
{
	if (!isValidHostname(hostname))
		throw Error(ErrorKind::Service,
			    "the service returned an invalid web server hostname; refusing to build a login URL");
	std::string path = pathOverride ? *pathOverride
					: (airflowMajor >= 3 ? "/pluginsv2/aws_mwaa/aws-console-sso"
							     : "/aws_mwaa/aws-console-sso");
	if (path.empty() || path.front() != '/')
		path.insert(path.begin(), '/');
	// The token is the fragment; keep the characters tokens use, escape anything else.
	std::string fragment;
	fragment.reserve(webToken.size());
	for (char c : webToken) {
		auto uc = static_cast<unsigned char>(c);
		if (isAlpha(c) || isDigit(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '+' ||
		    c == '/' || c == '=')
			fragment += c;
		else
			fragment += uriEncode(std::string_view(reinterpret_cast<const char *>(&uc), 1));
	}
	return "https://" + std::string(hostname) + path + "?login=true#" + fragment;
}

MwaaClient::MwaaClient(AwsClient &client, MwaaEndpointConfig endpoint, CallOptions options)
	: client_(client), endpoint_(std::move(endpoint)), options_(std::move(options))
{
	options_.service = "airflow";
	if (options_.region.empty())
		options_.region = endpoint_.region;
}

HttpResponse MwaaClient::call(const std::string &method, HostPrefix prefix, const std::string &path,
			      const std::string &name, const std::string &operation)
{
	checkEnvironmentName(name);
	AwsRequest req;
	req.method = method;
	req.url = mwaaEndpoint(endpoint_, prefix);
	req.url.path += path + name;
	try {
		return client_.send(req, options_);
	} catch (const ServiceError &e) {
		std::string hint;
		const std::string &code = e.code();
		if (code == "AccessDeniedException") {
			if (operation == "CreateWebLoginToken")
				hint = "; the caller needs airflow:CreateWebLoginToken on arn:aws:airflow:" +
				       options_.region + ":ACCOUNT:role/" + name + "/ROLE (ROLE is Admin, Op, User, Viewer or Public)";
			else if (operation == "CreateCliToken")
				hint = "; the caller needs airflow:CreateCliToken on arn:aws:airflow:" +
				       options_.region + ":ACCOUNT:environment/" + name;
			else
				hint = "; the caller needs airflow:" + operation + " on arn:aws:airflow:" +
				       options_.region + ":ACCOUNT:environment/" + name;
		} else if (code == "ResourceNotFoundException" || e.status() == 404) {
			hint = "; no environment '" + name + "' in region " + options_.region +
			       " (check the name and --region)";
		} else if (e.serviceMessage().find("scoped to a valid region") != std::string::npos) {
			hint = "; the endpoint is not in region " + options_.region + ": check --region or the profile's region";
		} else if (code == "UnrecognizedClientException" || code == "InvalidClientTokenId") {
			hint = "; the access key is not valid in this account or partition";
		} else if (code == "ExpiredTokenException") {
			hint = "; the session token has expired: refresh your credentials";
		}
		throw ServiceError(e.status(), e.code(), e.serviceMessage(), e.requestId(),
				   operation + ": " + e.what() + hint);
	}
}

WebLoginToken MwaaClient::createWebLoginToken(const std::string &name, std::string *rawJson)
{
	auto resp = call("POST", HostPrefix::Env, "/webtoken/", name, "CreateWebLoginToken");
	auto obj = parseObject(resp.body, "CreateWebLoginToken");
	WebLoginToken t;
	t.webToken = requiredString(*obj, "WebToken", "CreateWebLoginToken");
	t.webServerHostname = requiredString(*obj, "WebServerHostname", "CreateWebLoginToken");
	t.iamIdentity = terminalText(optionalString(*obj, "IamIdentity"), kServiceTextLimit);
	t.airflowIdentity = terminalText(optionalString(*obj, "AirflowIdentity"), kServiceTextLimit);
	if (rawJson)
		*rawJson = resp.body;
	return t;
}

CliToken MwaaClient::createCliToken(const std::string &name)
{
	auto resp = call("POST", HostPrefix::Env, "/clitoken/", name, "CreateCliToken");
	auto obj = parseObject(resp.body, "CreateCliToken");
	CliToken t;
	t.cliToken = requiredString(*obj, "CliToken", "CreateCliToken");
	t.webServerHostname = requiredString(*obj, "WebServerHostname", "CreateCliToken");
	return t;
}

EnvironmentInfo MwaaClient::getEnvironment(const std::string &name)
{
	auto resp = call("GET", HostPrefix::Api, "/environments/", name, "GetEnvironment");
	auto obj = parseObject(resp.body, "GetEnvironment");
	auto env = obj->getObject("Environment");
	if (!env)
		throw Error(ErrorKind::Service, "GetEnvironment response has no Environment member");
	EnvironmentInfo info;
	info.name = optionalString(*env, "Name");
	info.arn = optionalString(*env, "Arn");
	info.airflowVersion = optionalString(*env, "AirflowVersion");
	info.status = optionalString(*env, "Status");
	info.webserverUrl = optionalString(*env, "WebserverUrl");
	return info;
}

} // namespace mwaatok

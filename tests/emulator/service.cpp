#include "service.h"
#include "web_login_page.h"

#include "airflow_web.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <stdexcept>

#include <openssl/evp.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/UUIDGenerator.h>

#include "core/crypto.h"
#include "core/strings.h"
#include "mwaatok/sigv4.h"
#include "mwaatok/url.h"

namespace mwaatok::emulator {

namespace {

constexpr std::string_view kAccount = "123456789012";
constexpr std::string_view kRole = "mwaa-emulator";
constexpr std::string_view kTokenHeader = "X-Amz-Security-Token";

const std::pair<Fault, std::string_view> kFaultNames[] = {
	{ Fault::Internal500, "500" }, { Fault::Unavailable503, "503" },
	{ Fault::Throttled429, "429" }, { Fault::BadJson, "badjson" }, { Fault::Drop, "drop" },
	{ Fault::Hang, "hang" },        { Fault::Truncate, "truncate" },
};

std::string base64(std::string_view bytes)
{
	std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
	int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
				reinterpret_cast<const unsigned char *>(bytes.data()),
				static_cast<int>(bytes.size()));
	out.resize(static_cast<size_t>(n));
	return out;
}

/// A rest-json error; AccessDeniedException alone spells its member "Message".
Reply awsError(int status, std::string_view type, std::string_view message)
{
	std::string member = type == "AccessDeniedException" ? "Message" : "message";
	Reply r = awsReply(status, "{" + jsonQuote(member) + ": " + jsonQuote(message) + "}");
	r.headers.push_back({ "X-Amzn-ErrorType", std::string(type) });
	r.errorType = type;
	return r;
}

Reply faultReply(Fault f)
{
	switch (f) {
	case Fault::Internal500:
		return awsError(500, "InternalServerException", "An internal error occurred. Try again.");
	case Fault::Unavailable503:
		return awsError(503, "ServiceUnavailableException", "Service Unavailable");
	case Fault::Throttled429:
		return awsError(429, "ThrottlingException", "Rate exceeded");
	default: {
		// BadJson is a complete answer; Drop, Hang and Truncate get this body
		// for the transport to mangle.
		Reply r = awsReply(200, "{\"WebToken\": \"emulator-fault\", \"WebServerHostname\": ");
		if (f != Fault::BadJson)
			r.fault = f;
		r.errorType = std::string("fault:") + std::string(faultName(f));
		return r;
	}
	}
}

bool validName(std::string_view name)
{
	auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
	auto digit = [](char c) { return c >= '0' && c <= '9'; };
	if (name.empty() || name.size() > 80 || !alpha(name[0]))
		return false;
	return std::all_of(name.begin(), name.end(),
			   [&](char c) { return alpha(c) || digit(c) || c == '-' || c == '_'; });
}

std::string validationMessage(std::string_view name)
{
	std::string constraint = name.empty() ? "Member must have length greater than or equal to 1"
				 : name.size() > 80 ? "Member must have length less than or equal to 80"
						    : "Member must satisfy regular expression pattern: "
						      "^[a-zA-Z][0-9a-zA-Z-_]*$";
	return "1 validation error detected: Value '" + std::string(name) +
	       "' at 'name' failed to satisfy constraint: " + constraint;
}

std::string deniedMessage(std::string_view akid, std::string_view action, std::string_view resource)
{
	return "User: arn:aws:sts::" + std::string(kAccount) + ":assumed-role/" + std::string(kRole) + "/" +
	       std::string(akid) + " is not authorized to perform: airflow:" + std::string(action) +
	       " on resource: " + std::string(resource);
}

std::string environmentArn(const EnvironmentConfig &env)
{
	return "arn:aws:airflow:" + env.region + ":" + std::string(kAccount) + ":environment/" + env.name;
}

std::string derivedHostname(const EnvironmentConfig &env)
{
	std::string h = crypto::sha256Hex(env.name + "/" + env.region);
	return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" +
	       h.substr(20, 12) + ".c2." + env.region + ".airflow.amazonaws.com";
}

/// Canned answers of the web server's /aws_mwaa/cli: stdout, stderr, and
/// whether the command is one MWAA supports.
struct CliResult {
	std::string out;
	std::string err;
	bool supported = true;
};

CliResult runCli(std::string_view commandLine, const EnvironmentConfig &env)
{
	// Words as the MWAA CLI endpoint splits them (shlex): blanks separate,
	// '...' and "..." group, a backslash escapes.
	std::vector<std::string> args;
	std::string word;
	bool inWord = false;
	char quote = 0;
	for (size_t i = 0; i < commandLine.size(); ++i) {
		char c = commandLine[i];
		if (quote) {
			if (c == quote)
				quote = 0;
			else if (c == '\\' && quote == '"' && i + 1 < commandLine.size())
				word += commandLine[++i];
			else
				word += c;
		} else if (c == ' ' || c == '\t' || c == '\n') {
			if (inWord)
				args.push_back(word);
			word.clear();
			inWord = false;
		} else {
			inWord = true;
			if (c == '\'' || c == '"')
				quote = c;
			else if (c == '\\' && i + 1 < commandLine.size())
				word += commandLine[++i];
			else
				word += c;
		}
	}
	if (inWord)
		args.push_back(word);
	auto is = [&](std::initializer_list<std::string_view> want) {
		return args.size() >= want.size() && std::equal(want.begin(), want.end(), args.begin());
	};
	if (is({ "version" }))
		return { env.airflowVersion + "\n", "", true };
	if (is({ "dags", "list" }))
		return { "dag_id      | fileloc                          | owners  | is_paused\n"
			 "============+==================================+=========+==========\n"
			 "example_dag | /usr/local/airflow/dags/example.py | airflow | False\n"
			 "tutorial    | /usr/local/airflow/dags/tutorial.py | airflow | True\n",
			 "", true };
	if (is({ "dags", "trigger" }) && args.size() == 5 && (args[3] == "-c" || args[3] == "--conf")) {
		// The configuration arrives as one argument, or the command fails as Airflow's would.
		if (args[4].empty() || args[4].front() != '{' || args[4].back() != '}')
			return { "", "airflow: error: argument -c/--conf: not a JSON object: " + args[4] + "\n", true };
		return { "Created <DagRun " + args[2] + " @ manual__emulator: state:queued, "
			 "externally triggered: True> conf=" + args[4] + "\n", "", true };
	}
	if (is({ "dags", "trigger" }) && args.size() == 3) {
		if (args[2] == "example_dag" || args[2] == "tutorial")
			return { "Created <DagRun " + args[2] + " @ manual__emulator: state:queued, "
				 "externally triggered: True>\n", "", true };
		return { "", "airflow.exceptions.DagNotFound: Dag id " + args[2] + " not found in DagModel\n", true };
	}
	std::string first = args.empty() ? "" : args[0];
	return { "", "airflow: error: argument GROUP_OR_COMMAND: invalid choice: '" + first +
			     "' is not a command the MWAA CLI endpoint supports\n", false };
}

// JSON configuration reading: strict, so a typo in a member name fails loudly.
using Poco::JSON::Array;
using Poco::JSON::Object;

void onlyMembers(const Object &o, std::initializer_list<std::string_view> allowed, const std::string &where)
{
	for (const auto &[name, value] : o)
		if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
			throw std::runtime_error(where + ": unknown member \"" + name + "\"");
}

template <typename T> T member(const Object &o, const std::string &name, const std::string &where, T fallback)
{
	if (!o.has(name))
		return fallback;
	auto v = o.get(name);
	bool ok = std::is_same_v<T, std::string> ? v.isString()
		  : std::is_same_v<T, bool>      ? v.isBoolean()
						 : v.isNumeric();
	if (!ok)
		throw std::runtime_error(where + "." + name + ": wrong type");
	return v.convert<T>();
}

std::vector<std::string> stringList(const Object &o, const std::string &name, const std::string &where)
{
	std::vector<std::string> out;
	if (!o.has(name))
		return out;
	auto a = o.getArray(name);
	if (!a)
		throw std::runtime_error(where + "." + name + ": expected an array of strings");
	for (size_t i = 0; i < a->size(); ++i) {
		if (!a->get(i).isString())
			throw std::runtime_error(where + "." + name + ": expected an array of strings");
		out.push_back(a->get(i).extract<std::string>());
	}
	return out;
}

Object::Ptr objectMember(const Object &o, const std::string &name, const std::string &where)
{
	if (!o.has(name))
		return nullptr;
	auto p = o.getObject(name);
	if (!p)
		throw std::runtime_error(where + "." + name + ": expected an object");
	return p;
}

} // namespace

Reply awsReply(int status, std::string body)
{
	Reply r;
	r.status = status;
	r.headers = { { "Content-Type", "application/json" },
		      { "x-amzn-RequestId", Poco::UUIDGenerator::defaultGenerator().createRandom().toString() } };
	r.body = std::move(body);
	return r;
}

Fault parseFault(std::string_view name)
{
	for (const auto &[f, n] : kFaultNames)
		if (n == name)
			return f;
	throw std::invalid_argument("unknown fault kind \"" + std::string(name) +
				    "\" (500, 503, 429, drop, hang, truncate, badjson)");
}

std::vector<Fault> parseFaults(std::string_view list)
{
	std::vector<Fault> out;
	for (auto piece : split(list, ','))
		out.push_back(parseFault(trim(piece)));
	return out;
}

std::string_view faultName(Fault f)
{
	for (const auto &[k, n] : kFaultNames)
		if (k == f)
			return n;
	return "none";
}

void loadConfigJson(const std::string &text, Config &config)
{
	Poco::Dynamic::Var parsed;
	try {
		parsed = Poco::JSON::Parser().parse(text);
	} catch (const Poco::Exception &e) {
		throw std::runtime_error("not valid JSON: " + e.displayText());
	}
	auto root = parsed.type() == typeid(Object::Ptr) ? parsed.extract<Object::Ptr>() : nullptr;
	if (!root)
		throw std::runtime_error("the configuration must be a JSON object");
	onlyMembers(*root, { "keys", "environments", "latency_ms", "faults", "clock_skew_seconds", "tls",
			     "threads", "max_queued", "token_ttl_seconds", "sts", "sso" },
		    "config");
	if (auto keys = objectMember(*root, "keys", "config")) {
		for (const auto &[akid, value] : *keys) {
			std::string where = "keys." + akid;
			auto k = keys->getObject(akid);
			if (!k)
				throw std::runtime_error(where + ": expected an object");
			onlyMembers(*k, { "secret", "denied", "session_token" }, where);
			KeyConfig key;
			key.secret = member<std::string>(*k, "secret", where, "");
			if (key.secret.empty())
				throw std::runtime_error(where + ".secret: missing");
			key.denied = stringList(*k, "denied", where);
			key.sessionToken = member<bool>(*k, "session_token", where, false);
			config.keys[akid] = key;
		}
	}
	if (root->has("environments")) {
		auto envs = root->getArray("environments");
		if (!envs)
			throw std::runtime_error("config.environments: expected an array");
		for (size_t i = 0; i < envs->size(); ++i) {
			std::string where = "environments[" + std::to_string(i) + "]";
			auto e = envs->getObject(static_cast<unsigned>(i));
			if (!e)
				throw std::runtime_error(where + ": expected an object");
			onlyMembers(*e, { "name", "region", "airflow_version", "hostname", "deny_get_environment" },
				    where);
			EnvironmentConfig env;
			env.name = member<std::string>(*e, "name", where, "");
			env.region = member<std::string>(*e, "region", where, "");
			if (env.name.empty() || env.region.empty())
				throw std::runtime_error(where + ": \"name\" and \"region\" are required");
			env.airflowVersion = member<std::string>(*e, "airflow_version", where, env.airflowVersion);
			env.hostname = member<std::string>(*e, "hostname", where, "");
			env.denyGetEnvironment = member<bool>(*e, "deny_get_environment", where, false);
			config.environments.push_back(env);
		}
	}
	config.latencyMs = member<int>(*root, "latency_ms", "config", config.latencyMs);
	config.clockSkewSeconds = member<Poco::Int64>(*root, "clock_skew_seconds", "config", config.clockSkewSeconds);
	config.threads = member<int>(*root, "threads", "config", config.threads);
	config.maxQueued = member<int>(*root, "max_queued", "config", config.maxQueued);
	config.tokenTtlSeconds = member<int>(*root, "token_ttl_seconds", "config", config.tokenTtlSeconds);
	if (auto f = objectMember(*root, "faults", "config")) {
		onlyMembers(*f, { "rate", "kinds", "seed", "first_n" }, "faults");
		config.faults.rate = member<double>(*f, "rate", "faults", config.faults.rate);
		config.faults.seed = member<unsigned>(*f, "seed", "faults", config.faults.seed);
		config.faults.firstN = member<int>(*f, "first_n", "faults", config.faults.firstN);
		for (const auto &k : stringList(*f, "kinds", "faults"))
			config.faults.kinds.push_back(parseFault(k));
	}
	if (auto sts = objectMember(*root, "sts", "config"))
		loadStsConfig(*sts, config.sts);
	if (auto sso = objectMember(*root, "sso", "config"))
		loadSsoConfig(*sso, config.sso);
	if (auto t = objectMember(*root, "tls", "config")) {
		onlyMembers(*t, { "cert", "key" }, "tls");
		config.tlsCert = member<std::string>(*t, "cert", "tls", "");
		config.tlsKey = member<std::string>(*t, "key", "tls", "");
	}
}

Service::Service(Config config, const Clock &clock)
	: config_(std::move(config)), clock_(clock), rng_(config_.faults.seed),
	  sts_(config_.sts, [this](std::string_view akid) -> std::optional<std::string> {
		  auto it = config_.keys.find(std::string(akid));
		  return it == config_.keys.end() ? std::nullopt : std::optional<std::string>(it->second.secret);
	  }),
	  sso_(config_.sso, config_.keys),
	  airflow_(std::make_unique<AirflowWeb>())
{
	for (auto &env : config_.environments)
		if (env.hostname.empty())
			env.hostname = derivedHostname(env);
	if (config_.faults.kinds.empty())
		config_.faults.kinds.push_back(Fault::Unavailable503);
}

Service::~Service() = default;

Clock::time_point Service::now() const
{
	return clock_.now() + std::chrono::seconds(config_.clockSkewSeconds);
}

Reply Service::handle(const Request &request)
{
	std::string_view target = request.target;
	auto q = target.find('?');
	std::string_view path = target.substr(0, q);
	std::string_view query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
	if (path == "/aws_mwaa/cli")
		return handleCli(request);
	if (auto page = webLoginPage(request, path))
		return *page;
	if (StsService::isStsRequest(request.method, path, request.headers)) {
		StsAnswer a = sts_.handle(request.method, path, query, request.headers, request.body, now());
		Reply r;
		r.status = a.status;
		r.headers = { { "Content-Type", "text/xml" } };
		r.body = std::move(a.body);
		r.errorType = std::move(a.errorType);
		r.accessKeyId = std::move(a.accessKeyId);
		r.signatureVerified = a.signatureVerified;
		return r;
	}
	if (Reply sso; sso_.handle(request, path, query, now(), sso))
		return sso;
	if (AirflowWeb::isWebPath(path))
		return airflow_->handleWeb(request, path, query, findByHostname(request.host), now());
	return handleAws(request, path, query);
}

Reply Service::handleAws(const Request &request, std::string_view path, std::string_view query)
{
	struct Route {
		std::string_view method, prefix, action;
	};
	static const Route routes[] = {
		{ "POST", "/webtoken/", "CreateWebLoginToken" },
		{ "POST", "/clitoken/", "CreateCliToken" },
		{ "GET", "/environments/", "GetEnvironment" },
		{ "POST", "/restapi/", "InvokeRestApi" },
	};
	std::string_view action;
	std::string name;
	for (const auto &r : routes) {
		if (request.method == r.method && startsWith(path, r.prefix) &&
		    path.find('/', r.prefix.size()) == std::string_view::npos) {
			action = r.action;
			// {Name} is percent-encoded on the wire (the SDKs send "bad%20name"):
			// messages quote the real name.
			name = uriDecode(path.substr(r.prefix.size()));
		}
	}
	if (request.method == "GET" && path == "/environments")
		action = "ListEnvironments";
	const EnvironmentConfig *env = findEnvironment(name);
	Reply refusal;
	auto caller = authenticate(request, path, query, env, refusal);
	if (!caller)
		return refusal;
	auto finish = [&](Reply r) {
		r.accessKeyId = caller->accessKeyId;
		r.signatureVerified = true;
		return r;
	};
	if (action.empty())
		return finish(awsError(404, "UnknownOperationException", "Unknown operation"));
	if (Fault f = pickFault(name); f != Fault::None)
		return finish(faultReply(f));
	if (action == "ListEnvironments")
		return finish(AirflowWeb::listEnvironments(config_.environments, caller->region, query));
	if (!validName(name))
		return finish(awsError(400, "ValidationException", validationMessage(name)));

	static const KeyConfig kIssuedKey; // STS-issued credentials are denied nothing
	auto keyIt = config_.keys.find(caller->accessKeyId);
	const KeyConfig &key = keyIt == config_.keys.end() ? kIssuedKey : keyIt->second;
	std::string region = env ? env->region : caller->region;
	std::string resource = action == "CreateWebLoginToken" || action == "InvokeRestApi"
				       ? "arn:aws:airflow:" + region + ":" + std::string(kAccount) + ":role/" + name + "/Admin"
				       : "arn:aws:airflow:" + region + ":" + std::string(kAccount) + ":environment/" + name;
	bool denied = std::any_of(key.denied.begin(), key.denied.end(),
				  [&](const std::string &d) {
					  return d == name || d == "*" || d == name + ":" + std::string(action) ||
						 d == "*:" + std::string(action);
				  });
	if (denied || (env && action == "GetEnvironment" && env->denyGetEnvironment))
		return finish(awsError(403, "AccessDeniedException", deniedMessage(caller->accessKeyId, action, resource)));
	if (!env)
		return finish(awsError(404, "ResourceNotFoundException", "Environment named " + name + " not found."));

	if (action == "InvokeRestApi")
		return finish(airflow_->invokeRestApi(*env, request.body));
	std::string identity = "assumed-role/" + std::string(kRole) + "/" + caller->accessKeyId;
	if (action == "CreateWebLoginToken") {
		std::string webToken = hexEncode(crypto::randomBytes(48));
		airflow_->rememberWebToken(webToken, env->name, now() + std::chrono::seconds(config_.tokenTtlSeconds));
		return finish(awsReply(200, "{\"WebToken\": " + jsonQuote(webToken) +
						    ", \"WebServerHostname\": " + jsonQuote(env->hostname) +
						    ", \"IamIdentity\": " + jsonQuote(identity) +
						    ", \"AirflowIdentity\": " + jsonQuote(identity) + "}"));
	}
	if (action == "CreateCliToken")
		return finish(awsReply(200, "{\"CliToken\": " + jsonQuote(issueCliToken(env->name)) +
						    ", \"WebServerHostname\": " + jsonQuote(env->hostname) + "}"));
	return finish(awsReply(
		200, "{\"Environment\": {\"Name\": " + jsonQuote(env->name) +
			     ", \"AirflowVersion\": " + jsonQuote(env->airflowVersion) +
			     ", \"Arn\": " + jsonQuote(environmentArn(*env)) +
			     ", \"Status\": \"AVAILABLE\", \"WebserverUrl\": " + jsonQuote("https://" + env->hostname) +
			     ", \"WebserverAccessMode\": \"PUBLIC_ONLY\"}}"));
}

std::optional<Service::Caller> Service::authenticate(const Request &request, std::string_view path,
						     std::string_view query, const EnvironmentConfig *env,
						     Reply &refusal)
{
	sigv4::SignableRequest signable{ request.method, std::string(path), std::string(query), request.headers,
					 request.body };
	auto lookup = [this](std::string_view akid) -> std::optional<std::string> {
		auto it = config_.keys.find(std::string(akid));
		if (it == config_.keys.end()) {
			auto issued = sts_.issued(akid); // credentials from the emulator's STS
			return issued ? std::optional<std::string>(issued->secret) : std::nullopt;
		}
		return it->second.secret;
	};
	sigv4::VerifyResult v = sigv4::verify(signable, lookup, now());
	auto fail = [&](std::string_view type, std::string_view message) -> std::optional<Caller> {
		refusal = awsError(403, type, message);
		refusal.accessKeyId = v.accessKeyId;
		return std::nullopt;
	};
	// verify() words its messages as AWS does, skew included ("Signature expired: ...").
	switch (v.status) {
	case sigv4::VerifyStatus::Ok:
		break;
	case sigv4::VerifyStatus::Missing:
		return fail("MissingAuthenticationTokenException", v.message);
	case sigv4::VerifyStatus::Malformed:
		return fail("IncompleteSignatureException", v.message);
	case sigv4::VerifyStatus::UnknownAccessKey:
		return fail("UnrecognizedClientException", v.message);
	case sigv4::VerifyStatus::TimeSkewed:
	case sigv4::VerifyStatus::SignatureMismatch:
		return fail("InvalidSignatureException", v.message);
	}
	auto token = findHeader(request.headers, kTokenHeader);
	if (auto issued = sts_.issued(v.accessKeyId)) {
		if (!token || *token != issued->sessionToken)
			return fail("UnrecognizedClientException", "The security token included in the request is invalid.");
		if (issued->expires <= now())
			return fail("ExpiredTokenException", "The security token included in the request is expired");
	} else if (token.has_value() != config_.keys.at(v.accessKeyId).sessionToken) {
		return fail("UnrecognizedClientException", "The security token included in the request is invalid.");
	}
	if (v.service != "airflow")
		return fail("InvalidSignatureException", "Credential should be scoped to correct service: 'airflow'. ");
	if (env && v.region != env->region)
		return fail("InvalidSignatureException",
			    "Credential should be scoped to a valid region, not '" + v.region + "'. ");
	return Caller{ v.accessKeyId, v.region };
}

Reply Service::handleCli(const Request &request)
{
	auto refuse = [](int status, std::string_view why) {
		Reply r;
		r.status = status;
		r.headers = { { "Content-Type", "application/json" } };
		r.body = "{\"message\": " + jsonQuote(why) + "}";
		r.errorType = why;
		return r;
	};
	if (request.method != "POST")
		return refuse(405, "Method Not Allowed");
	auto auth = findHeader(request.headers, "Authorization").value_or("");
	std::string token = startsWith(auth, "Bearer ") ? std::string(trim(auth.substr(7))) : "";
	std::string environment;
	{
		std::lock_guard lock(mutex_);
		auto it = cliTokens_.find(token);
		if (it != cliTokens_.end() && it->second.expires > now())
			environment = it->second.environment;
	}
	const EnvironmentConfig *env = findEnvironment(environment);
	if (!env)
		return refuse(403, "Forbidden");
	// A request for another environment's web server must not ride on this token.
	const EnvironmentConfig *byHost = findByHostname(request.host);
	if (byHost && byHost != env)
		return refuse(403, "Forbidden");
	auto type = findHeader(request.headers, "Content-Type").value_or("");
	if (!startsWith(toLower(type), "text/plain"))
		return refuse(415, "Unsupported Media Type");
	if (Fault f = pickFault(env->name); f != Fault::None)
		return faultReply(f);
	CliResult result = runCli(request.body, *env);
	Reply r;
	r.status = result.supported ? 200 : 500;
	r.headers = { { "Content-Type", "application/json" } };
	r.body = "{\"stdout\": " + jsonQuote(base64(result.out)) + ", \"stderr\": " + jsonQuote(base64(result.err)) +
		 "}";
	return r;
}

Fault Service::pickFault(const std::string &environment)
{
	const FaultConfig &f = config_.faults;
	if (f.firstN <= 0 && f.rate <= 0)
		return Fault::None;
	std::lock_guard lock(mutex_);
	int seen = requestsSeen_[environment]++;
	if (seen < f.firstN)
		return f.kinds[static_cast<size_t>(seen) % f.kinds.size()];
	if (f.rate > 0 && std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < f.rate)
		return f.kinds[rng_() % f.kinds.size()];
	return Fault::None;
}

const EnvironmentConfig *Service::findEnvironment(std::string_view name) const
{
	for (const auto &env : config_.environments)
		if (env.name == name)
			return &env;
	return nullptr;
}

const EnvironmentConfig *Service::findByHostname(std::string_view host) const
{
	host = host.substr(0, host.rfind(':') == std::string_view::npos ? host.size() : host.rfind(':'));
	for (const auto &env : config_.environments)
		if (iequals(env.hostname, host))
			return &env;
	return nullptr;
}

std::string Service::issueCliToken(const std::string &environment)
{
	std::string token = hexEncode(crypto::randomBytes(32));
	auto t = now();
	std::lock_guard lock(mutex_);
	std::erase_if(cliTokens_, [&](const auto &entry) { return entry.second.expires <= t; });
	cliTokens_[token] = { environment, t + std::chrono::seconds(config_.tokenTtlSeconds) };
	return token;
}

} // namespace mwaatok::emulator

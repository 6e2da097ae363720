#include "airflow_web.h"

#include <openssl/evp.h>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/UUIDGenerator.h>

#include <sstream>

#include "core/crypto.h"
#include "core/strings.h"
#include "mwaatok/url.h"

namespace mwaatok::emulator {

namespace {

constexpr int kMaxPath = 64;           // InvokeRestApi's Path limit
constexpr int kSessionHours = 12;      // MWAA web sessions last 12 hours
constexpr const char *kBrokenDag = "broken_dag"; // every call about it fails with HTTP 500
const std::vector<std::string> kDags = { "example_dag", "tutorial", kBrokenDag };

using Poco::JSON::Object;

Reply jsonReply(int status, std::string body, HttpHeaders extra = {})
{
	Reply r;
	r.status = status;
	r.headers = { { "Content-Type", "application/json" } };
	for (auto &h : extra)
		r.headers.push_back(std::move(h));
	r.body = std::move(body);
	return r;
}

/// A rest-json error of the MWAA API; \a members are extra JSON members.
Reply mwaaError(int status, const std::string &type, const std::string &message, const std::string &members = "")
{
	Reply r = jsonReply(status, "{\"message\": " + jsonQuote(message) + members + "}",
			    { { "X-Amzn-ErrorType", type },
			      { "x-amzn-RequestId", Poco::UUIDGenerator::defaultGenerator().createRandom().toString() } });
	r.errorType = type;
	return r;
}

/// Airflow's problem JSON (RFC 7807, as connexion and FastAPI write it).
std::string problem(int status, const std::string &title, const std::string &detail)
{
	static const std::map<int, std::string> types = {
		{ 400, "BadRequest" }, { 401, "Unauthenticated" }, { 403, "PermissionDenied" },
		{ 404, "NotFound" },   { 405, "MethodNotAllowed" }, { 500, "Unknown" },
	};
	auto t = types.find(status);
	return "{\"detail\": " + jsonQuote(detail) + ", \"status\": " + std::to_string(status) +
	       ", \"title\": " + jsonQuote(title) +
	       ", \"type\": \"https://airflow.apache.org/docs/apache-airflow/stable/stable-rest-api-ref.html#section/Errors/" +
	       (t == types.end() ? "Unknown" : t->second) + "\"}";
}

std::string base64url(std::string_view bytes)
{
	std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
	int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
				reinterpret_cast<const unsigned char *>(bytes.data()), static_cast<int>(bytes.size()));
	out.resize(static_cast<size_t>(n));
	while (!out.empty() && out.back() == '=')
		out.pop_back();
	for (char &c : out)
		c = c == '+' ? '-' : c == '/' ? '_' : c;
	return out;
}

std::string httpDate(Clock::time_point t)
{
	auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
	return Poco::DateTimeFormatter::format(Poco::Timestamp(us), Poco::DateTimeFormat::HTTP_FORMAT);
}

/// key=value&... decoded ('+' is a space in forms and queries).
std::multimap<std::string, std::string> parseForm(std::string_view text)
{
	std::multimap<std::string, std::string> out;
	auto decode = [](std::string_view s) {
		std::string plus(s);
		for (char &c : plus)
			if (c == '+')
				c = ' ';
		return uriDecode(plus);
	};
	for (auto piece : split(text, '&')) {
		if (piece.empty())
			continue;
		auto eq = piece.find('=');
		out.emplace(decode(piece.substr(0, eq)),
			    eq == std::string_view::npos ? std::string() : decode(piece.substr(eq + 1)));
	}
	return out;
}

Object::Ptr parseObject(const std::string &text)
{
	try {
		auto v = Poco::JSON::Parser().parse(text);
		if (v.type() == typeid(Object::Ptr))
			return v.extract<Object::Ptr>();
	} catch (const Poco::Exception &) {
	}
	return nullptr;
}

std::string condensed(const Poco::Dynamic::Var &v)
{
	std::ostringstream out;
	Poco::JSON::Stringifier::condense(v, out);
	return out.str();
}

int major(const EnvironmentConfig &env)
{
	int m = 0;
	for (char c : env.airflowVersion) {
		if (c < '0' || c > '9')
			break;
		m = m * 10 + (c - '0');
	}
	return m;
}

std::string cookieValue(const Request &request, std::string_view name)
{
	for (const auto &h : request.headers) {
		if (!iequals(h.name, "Cookie"))
			continue;
		for (auto piece : split(h.value, ';')) {
			piece = trim(piece);
			auto eq = piece.find('=');
			if (eq != std::string_view::npos && piece.substr(0, eq) == name)
				return std::string(piece.substr(eq + 1));
		}
	}
	return {};
}

} // namespace

bool AirflowWeb::isWebPath(std::string_view path)
{
	return path == "/aws_mwaa/login" || path == "/pluginsv2/aws_mwaa/login" || startsWith(path, "/api/v1/") ||
	       startsWith(path, "/api/v2/");
}

void AirflowWeb::rememberWebToken(const std::string &token, const std::string &environment, Clock::time_point expires)
{
	std::lock_guard lock(mutex_);
	webTokens_[token] = { environment, expires };
}

Reply AirflowWeb::login(const Request &request, const EnvironmentConfig &env, Clock::time_point now)
{
	if (request.method != "POST")
		return jsonReply(405, problem(405, "Method Not Allowed", "The login endpoint takes POST"));
	auto type = findHeader(request.headers, "Content-Type").value_or("");
	if (!startsWith(toLower(type), "application/x-www-form-urlencoded"))
		return jsonReply(415, problem(400, "Unsupported Media Type", "Send the token as a form"));
	auto form = parseForm(request.body);
	auto token = form.find("token");
	bool valid = false;
	{
		std::lock_guard lock(mutex_);
		std::erase_if(webTokens_, [&](const auto &e) { return e.second.expires <= now; });
		auto it = token == form.end() ? webTokens_.end() : webTokens_.find(token->second);
		if (it != webTokens_.end() && it->second.environment == env.name) {
			valid = true;
			webTokens_.erase(it); // single use
		}
	}
	if (!valid) {
		Reply r = jsonReply(403, problem(403, "Forbidden", "The web login token is not valid"));
		r.errorType = "login refused";
		return r;
	}
	Clock::time_point expires = now + std::chrono::hours(kSessionHours);
	std::string value, cookie;
	if (major(env) >= 3) {
		auto exp = std::chrono::duration_cast<std::chrono::seconds>(expires.time_since_epoch()).count();
		value = base64url("{\"alg\":\"HS512\",\"typ\":\"JWT\"}") + "." +
			base64url("{\"sub\":\"emulator\",\"aud\":\"apache-airflow\",\"exp\":" + std::to_string(exp) + "}") +
			"." + base64url(crypto::randomBytes(32));
		cookie = "_token=" + value + "; Path=/; Secure; SameSite=Lax";
	} else {
		value = base64url(crypto::randomBytes(24)) + "." + base64url(crypto::randomBytes(16));
		cookie = "session=" + value + "; Expires=" + httpDate(expires) + "; Secure; HttpOnly; Path=/; SameSite=Lax";
	}
	{
		std::lock_guard lock(mutex_);
		std::erase_if(sessions_, [&](const auto &e) { return e.second.expires <= now; });
		sessions_[value] = { env.name, expires };
	}
	Reply r;
	r.status = 302;
	r.headers = { { "Location", "https://" + env.hostname + "/" }, { "Set-Cookie", cookie },
		      { "Content-Type", "text/html; charset=utf-8" } };
	r.body = "<a href=\"/\">Redirecting</a>";
	return r;
}

Reply AirflowWeb::handleWeb(const Request &request, std::string_view path, std::string_view query,
			    const EnvironmentConfig *env, Clock::time_point now)
{
	if (!env)
		return jsonReply(404, problem(404, "Not Found", "No Airflow web server at this host"));
	const int m = major(*env);
	if (path == "/aws_mwaa/login" && m < 3)
		return login(request, *env, now);
	if (path == "/pluginsv2/aws_mwaa/login" && m >= 3)
		return login(request, *env, now);
	const std::string_view prefix = m >= 3 ? "/api/v2" : "/api/v1";
	if (!startsWith(path, std::string(prefix) + "/"))
		return jsonReply(404, problem(404, "Not Found", "The requested URL was not found on the server."));

	// Airflow 2 reads the Flask session cookie; Airflow 3 a bearer JWT.
	std::string credential;
	if (m >= 3) {
		auto auth = findHeader(request.headers, "Authorization").value_or("");
		if (startsWith(auth, "Bearer "))
			credential = std::string(trim(auth.substr(7)));
	} else {
		credential = cookieValue(request, "session");
	}
	bool authorised = false;
	{
		std::lock_guard lock(mutex_);
		auto it = sessions_.find(credential);
		authorised = !credential.empty() && it != sessions_.end() && it->second.environment == env->name &&
			     it->second.expires > now;
	}
	if (!authorised) {
		Reply r = jsonReply(401, problem(401, "Unauthorized", m >= 3 ? "Not authenticated" : "Unauthorized"));
		r.errorType = "unauthenticated";
		return r;
	}
	Answer a = api(*env, request.method, path.substr(prefix.size()), parseForm(query), request.body);
	return jsonReply(a.status, a.body);
}

std::string AirflowWeb::dagJson(const EnvironmentConfig &env, const std::string &dagId)
{
	bool paused;
	{
		std::lock_guard lock(mutex_);
		auto &dags = paused_[env.name];
		if (!dags.count(dagId))
			dags[dagId] = dagId == "tutorial";
		paused = dags[dagId];
	}
	return "{\"dag_id\": " + jsonQuote(dagId) + ", \"is_paused\": " + (paused ? "true" : "false") +
	       ", \"fileloc\": " + jsonQuote("/usr/local/airflow/dags/" + dagId + ".py") +
	       ", \"owners\": [\"airflow\"], \"tags\": [" + (dagId == "example_dag" ? "\"example\"" : "") + "]}";
}

AirflowWeb::Answer AirflowWeb::api(const EnvironmentConfig &env, const std::string &method, std::string_view path,
				   const std::multimap<std::string, std::string> &query, const std::string &body)
{
	std::vector<std::string> parts;
	for (auto p : split(path, '/'))
		if (!p.empty())
			parts.push_back(uriDecode(p));
	auto notFound = [] {
		return Answer{ 404, problem(404, "Not Found", "The requested URL was not found on the server.") };
	};
	auto notAllowed = [] {
		return Answer{ 405, problem(405, "Method Not Allowed", "The method is not allowed for the requested URL.") };
	};
	if (parts.empty() || parts[0] != "dags")
		return notFound();
	if (parts.size() >= 2 && parts[1] == kBrokenDag)
		return { 500, problem(500, "Internal Server Error", "The DAG " + std::string(kBrokenDag) + " failed to load") };
	if (parts.size() >= 2 && std::find(kDags.begin(), kDags.end(), parts[1]) == kDags.end())
		return { 404, problem(404, "DAG not found", "The DAG with dag_id: `" + parts[1] + "` was not found") };

	if (parts.size() == 1) {
		if (method != "GET")
			return notAllowed();
		size_t limit = 100, offset = 0;
		try {
			if (auto l = query.find("limit"); l != query.end())
				limit = std::stoul(l->second);
			if (auto o = query.find("offset"); o != query.end())
				offset = std::stoul(o->second);
		} catch (const std::exception &) {
			return { 400, problem(400, "Bad Request", "limit and offset must be whole numbers") };
		}
		std::string pattern;
		if (auto p = query.find("dag_id_pattern"); p != query.end())
			pattern = p->second;
		std::vector<std::string> matching;
		for (const auto &d : kDags)
			if (d.find(pattern) != std::string::npos)
				matching.push_back(d);
		std::string out = "{\"dags\": [";
		for (size_t i = offset, n = 0; i < matching.size() && n < limit; ++i, ++n)
			out += (n ? ", " : "") + dagJson(env, matching[i]);
		return { 200, out + "], \"total_entries\": " + std::to_string(matching.size()) + "}" };
	}
	const std::string &dagId = parts[1];
	if (parts.size() == 2) {
		if (method == "GET")
			return { 200, dagJson(env, dagId) };
		if (method != "PATCH")
			return notAllowed();
		auto obj = parseObject(body);
		if (!obj || !obj->has("is_paused") || !obj->get("is_paused").isBoolean())
			return { 400, problem(400, "Bad Request", "The body must be a JSON object with a boolean is_paused") };
		{
			std::lock_guard lock(mutex_);
			paused_[env.name][dagId] = obj->getValue<bool>("is_paused");
		}
		return { 200, dagJson(env, dagId) };
	}
	if (parts.size() == 3 && parts[2] == "dagRuns") {
		if (method != "POST")
			return notAllowed();
		auto obj = body.empty() ? Object::Ptr(new Object) : parseObject(body);
		if (!obj)
			return { 400, problem(400, "Bad Request", "The body must be a JSON object") };
		std::string conf = obj->has("conf") ? condensed(obj->get("conf")) : "{}";
		std::string runId;
		if (obj->has("dag_run_id") && obj->get("dag_run_id").isString())
			runId = obj->getValue<std::string>("dag_run_id");
		if (runId.empty()) {
			std::lock_guard lock(mutex_);
			runId = "manual__emulator_" + std::to_string(++runs_);
		}
		return { 200, "{\"dag_id\": " + jsonQuote(dagId) + ", \"dag_run_id\": " + jsonQuote(runId) +
				      ", \"state\": \"queued\", \"conf\": " + conf + "}" };
	}
	return notFound();
}

Reply AirflowWeb::invokeRestApi(const EnvironmentConfig &env, const std::string &body)
{
	auto obj = parseObject(body);
	auto invalid = [](const std::string &why) { return mwaaError(400, "ValidationException", why); };
	if (!obj)
		return invalid("The request body is not a JSON object");
	if (!obj->has("Path") || !obj->get("Path").isString() || obj->getValue<std::string>("Path").empty())
		return invalid("1 validation error detected: Value at 'path' failed to satisfy constraint: Member must not be null");
	std::string path = obj->getValue<std::string>("Path");
	if (path.size() > kMaxPath)
		return invalid("1 validation error detected: Value at 'path' failed to satisfy constraint: "
			       "Member must have length less than or equal to 64");
	std::string method = obj->has("Method") && obj->get("Method").isString() ? obj->getValue<std::string>("Method") : "";
	if (method != "GET" && method != "PUT" && method != "POST" && method != "PATCH" && method != "DELETE")
		return invalid("1 validation error detected: Value '" + method +
			       "' at 'method' failed to satisfy constraint: Member must satisfy enum value set: "
			       "[GET, PUT, POST, PATCH, DELETE]");
	std::multimap<std::string, std::string> query;
	if (obj->has("QueryParameters")) {
		auto q = obj->getObject("QueryParameters");
		if (!q)
			return invalid("QueryParameters must be a JSON object");
		for (const auto &[k, v] : *q) {
			if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
				auto a = v.extract<Poco::JSON::Array::Ptr>();
				for (size_t i = 0; i < a->size(); ++i)
					query.emplace(k, a->get(static_cast<unsigned>(i)).toString());
			} else {
				query.emplace(k, v.toString());
			}
		}
	}
	std::string callBody = obj->has("Body") ? condensed(obj->get("Body")) : "";
	Answer a = api(env, method, path, query, callBody);
	std::string members = ", \"RestApiStatusCode\": " + std::to_string(a.status) + ", \"RestApiResponse\": " + a.body;
	if (a.status >= 500)
		return mwaaError(400, "RestApiServerException", "The Apache Airflow REST API call failed", members);
	if (a.status >= 400)
		return mwaaError(400, "RestApiClientException", "The Apache Airflow REST API call failed", members);
	return jsonReply(200, "{\"RestApiStatusCode\": " + std::to_string(a.status) + ", \"RestApiResponse\": " + a.body + "}");
}

Reply AirflowWeb::listEnvironments(const std::vector<EnvironmentConfig> &environments, std::string_view region,
				   std::string_view query)
{
	auto q = parseForm(query);
	long max = 25;
	size_t offset = 0;
	try {
		if (auto m = q.find("MaxResults"); m != q.end())
			max = std::stol(m->second);
		if (auto t = q.find("NextToken"); t != q.end()) {
			// The token is opaque to clients: "page:<offset>" in hex.
			std::string text;
			for (size_t i = 0; i + 1 < t->second.size(); i += 2)
				text += static_cast<char>(std::stoi(t->second.substr(i, 2), nullptr, 16));
			if (!startsWith(text, "page:") || hexEncode(text) != t->second)
				throw std::invalid_argument("token");
			offset = std::stoul(text.substr(5));
		}
	} catch (const std::exception &) {
		return mwaaError(400, "ValidationException", "Invalid MaxResults or NextToken");
	}
	if (max < 1 || max > 25)
		return mwaaError(400, "ValidationException",
				 "1 validation error detected: Value '" + std::to_string(max) +
					 "' at 'maxResults' failed to satisfy constraint: Member must have value less "
					 "than or equal to 25");
	std::vector<std::string> names;
	for (const auto &env : environments)
		if (env.region == region)
			names.push_back(env.name);
	std::string out = "{\"Environments\": [";
	size_t end = std::min(names.size(), offset + static_cast<size_t>(max));
	for (size_t i = offset; i < end; ++i)
		out += (i > offset ? ", " : "") + jsonQuote(names[i]);
	out += "]";
	if (end < names.size())
		out += ", \"NextToken\": " + jsonQuote(hexEncode("page:" + std::to_string(end)));
	return jsonReply(200, out + "}");
}

} // namespace mwaatok::emulator

// The Airflow REST API request shape shared by InvokeRestApi and web
// sessions, its checks, and MwaaClient::invokeRestApi (POST /restapi/{Name}).
#include "mwaatok/rest_api.h"

#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "core/json.h"
#include "core/strings.h"
#include "mwaatok/aws_client.h"
#include "mwaatok/mwaa_client.h"
#include "mwaatok/url.h"

namespace mwaatok {

namespace {

constexpr std::string_view kMethods[] = { "GET", "PUT", "POST", "PATCH", "DELETE" };

bool isHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/// Characters a path may carry as they are: RFC 3986 pchar without '%'
/// (handled apart), plus '/'.
bool isPathChar(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	return std::string_view("-._~!$&'()*+,;=:@/").find(c) != std::string_view::npos;
}

/// \a text for a message: at most 80 characters, control characters as '?'.
std::string shown(std::string_view text)
{
	std::string out(text.substr(0, 80));
	for (char &c : out)
		if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
			c = '?';
	return text.size() > 80 ? out + "..." : out;
}

Error usage(const std::string &message) { return Error(ErrorKind::Usage, message); }

std::string pathProblem(std::string_view path)
{
	if (path.empty())
		return "it is empty; give an Airflow API path such as /dags";
	if (path.front() != '/')
		return "it must start with '/', e.g. /dags";
	if (startsWith(path, "//") || path.find("://") != std::string_view::npos)
		return "it must be a path on the web server, without a scheme or host";
	for (size_t i = 0; i < path.size(); ++i) {
		char c = path[i];
		auto uc = static_cast<unsigned char>(c);
		if (uc < 0x20 || uc == 0x7f)
			return "it contains a control character";
		if (c == '?' || c == '#')
			return "it contains '" + std::string(1, c) + "'; give query parameters with -q KEY=VALUE";
		if (c == '%') {
			if (i + 2 >= path.size() || !isHex(path[i + 1]) || !isHex(path[i + 2]))
				return "'%' must start an escape such as %20";
			continue;
		}
		if (!isPathChar(c))
			return uc >= 0x80 ? "it contains a non-ASCII character; percent-encode it"
					  : "it contains '" + std::string(1, c) + "', which a URL path cannot carry; percent-encode it";
	}
	std::string decoded = uriDecode(path);
	for (char c : decoded)
		if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\')
			return "it contains an encoded control character or backslash";
	for (auto segment : split(decoded, '/'))
		if (segment == "." || segment == "..")
			return "it contains a '.' or '..' segment";
	if (startsWith(path, "/api/v1/") || startsWith(path, "/api/v2/") || path == "/api/v1" || path == "/api/v2")
		return "leave out /api/v1 or /api/v2: give the path below it, e.g. /dags";
	return {};
}

void checkBody(const std::string &body)
{
	std::string_view text = trim(body);
	bool structured = !text.empty() && (text.front() == '{' || text.front() == '[');
	bool valid = false;
	if (structured) {
		try {
			Poco::JSON::Parser parser;
			parser.parse(std::string(text));
			valid = true;
		} catch (const Poco::Exception &) {
		}
	}
	// Never quote the body: it may hold secrets (connections, variables).
	if (!valid)
		throw usage("the request body is not valid JSON: give a JSON object or array, "
			    "e.g. -d '{\"is_paused\": true}'");
}

/// The member \a name of a JSON object's text, as condensed JSON ("" when absent or null).
std::string memberJson(const Poco::JSON::Object &obj, const std::string &name)
{
	if (!obj.has(name))
		return {};
	auto v = obj.get(name);
	if (v.isEmpty())
		return {};
	std::ostringstream out;
	Poco::JSON::Stringifier::condense(v, out);
	return out.str();
}

Poco::JSON::Object::Ptr parseOrdered(const std::string &text)
{
	try {
		Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
		auto v = parser.parse(text);
		if (v.type() == typeid(Poco::JSON::Object::Ptr))
			return v.extract<Poco::JSON::Object::Ptr>();
	} catch (const Poco::Exception &) {
	}
	return nullptr;
}

int statusMember(const Poco::JSON::Object &obj)
{
	if (!obj.has("RestApiStatusCode"))
		return 0;
	try {
		auto v = obj.get("RestApiStatusCode");
		return v.isNumeric() ? v.convert<int>() : 0;
	} catch (const Poco::Exception &) {
		return 0;
	}
}

std::string problemMember(const std::string &body, const char *name)
{
	auto obj = detail::parseJsonObject(body);
	return obj ? detail::jsonString(*obj, name) : std::string();
}

} // namespace

AirflowRequest makeAirflowRequest(std::string_view method, std::string_view path,
				  const std::vector<std::string> &query, const std::optional<std::string> &body)
{
	AirflowRequest r;
	r.method = std::string(method);
	for (char &c : r.method)
		if (c >= 'a' && c <= 'z')
			c = static_cast<char>(c - 'a' + 'A');
	r.path = std::string(path);
	for (const auto &item : query) {
		auto eq = item.find('=');
		if (eq == std::string::npos || eq == 0)
			throw usage("invalid query parameter '" + shown(item) + "': write KEY=VALUE, e.g. -q limit=10");
		r.query.emplace_back(item.substr(0, eq), item.substr(eq + 1));
	}
	r.body = body;
	checkAirflowRequest(r);
	return r;
}

void checkAirflowRequest(const AirflowRequest &request)
{
	if (std::find(std::begin(kMethods), std::end(kMethods), request.method) == std::end(kMethods))
		throw usage("invalid method '" + shown(request.method) + "': use GET, PUT, POST, PATCH or DELETE");
	if (std::string why = pathProblem(request.path); !why.empty())
		throw usage("invalid Airflow API path '" + shown(request.path) + "': " + why);
	for (const auto &[key, value] : request.query) {
		if (key.empty())
			throw usage("invalid query parameter: the key is empty; write KEY=VALUE");
		for (char c : key + value)
			if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
				throw usage("invalid query parameter '" + shown(key) + "': it contains a control character");
	}
	if (request.body)
		checkBody(*request.body);
}

std::string AirflowResponse::title() const { return problemMember(body, "title"); }

std::string AirflowResponse::detail() const { return problemMember(body, "detail"); }

std::string AirflowResponse::describe() const
{
	std::string out = "Airflow answered HTTP " + std::to_string(status);
	std::string t = title(), d = detail();
	if (!t.empty())
		out += ": " + t;
	if (!d.empty() && d != t)
		out += (t.empty() ? ": " : " (") + d + (t.empty() ? "" : ")");
	if (t.empty() && d.empty() && !trim(body).empty())
		out += ": " + shown(trim(body).substr(0, 200));
	for (char &c : out)
		if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
			c = ' ';
	return out;
}

AirflowError::AirflowError(AirflowResponse response, const std::string &message)
	: Error(ErrorKind::Service, message), response_(std::move(response))
{
}

const AirflowResponse &requireSuccess(const AirflowResponse &response, const std::string &where)
{
	if (!response.ok())
		throw AirflowError(response, (where.empty() ? "" : where + ": ") + response.describe());
	return response;
}

std::string invokeRestApiBody(const AirflowRequest &request)
{
	std::string out = "{\"Path\": " + jsonQuote(request.path) + ", \"Method\": " + jsonQuote(request.method);
	if (!request.query.empty()) {
		// One string per key; a repeated key becomes an array, in the order given.
		std::vector<std::pair<std::string, std::vector<std::string>>> keys;
		for (const auto &item : request.query) {
			auto it = std::find_if(keys.begin(), keys.end(),
					       [&](const auto &e) { return e.first == item.first; });
			if (it == keys.end())
				keys.push_back({ item.first, { item.second } });
			else
				it->second.push_back(item.second);
		}
		out += ", \"QueryParameters\": {";
		bool first = true;
		for (const auto &[k, values] : keys) {
			out += (first ? "" : ", ") + jsonQuote(k) + ": ";
			first = false;
			if (values.size() == 1) {
				out += jsonQuote(values.front());
				continue;
			}
			out += "[";
			for (size_t i = 0; i < values.size(); ++i)
				out += (i ? ", " : "") + jsonQuote(values[i]);
			out += "]";
		}
		out += "}";
	}
	if (request.body)
		out += ", \"Body\": " + std::string(trim(*request.body));
	return out + "}";
}

std::string airflowQueryString(const AirflowRequest &request)
{
	std::string out;
	for (const auto &[k, v] : request.query)
		out += (out.empty() ? "?" : "&") + uriEncode(k) + "=" + uriEncode(v);
	return out;
}

AirflowResponse MwaaClient::invokeRestApi(const std::string &name, const AirflowRequest &request)
{
	checkEnvironmentName(name);
	checkAirflowRequest(request);
	if (request.path.size() > kInvokeRestApiMaxPath)
		throw usage("the Airflow API path is longer than the " + std::to_string(kInvokeRestApiMaxPath) +
			    " characters InvokeRestApi accepts; use --via session");
	AwsRequest req;
	req.method = "POST";
	req.url = mwaaEndpoint(endpoint_, HostPrefix::Env);
	req.url.path += "/restapi/" + name;
	req.headers = { { "Content-Type", "application/json" } };
	req.body = invokeRestApiBody(request);
	CallOptions options = options_;
	options.throwOnError = false; // the Airflow errors carry the answer in the body
	HttpResponse resp = client_.send(req, options);

	if (resp.status >= 200 && resp.status < 300) {
		auto obj = parseOrdered(resp.body);
		if (!obj || statusMember(*obj) == 0)
			throw Error(ErrorKind::Service, "InvokeRestApi response has no RestApiStatusCode member "
							"(is --endpoint-url an MWAA endpoint?)");
		return { statusMember(*obj), memberJson(*obj, "RestApiResponse"), {} };
	}
	AwsErrorInfo err = parseAwsError(resp);
	if (err.code == "RestApiClientException" || err.code == "RestApiServerException") {
		auto obj = parseOrdered(resp.body);
		int status = obj ? statusMember(*obj) : 0;
		if (status == 0)
			status = err.code == "RestApiServerException" ? 500 : 400;
		return { status, obj ? memberJson(*obj, "RestApiResponse") : std::string(), err.code };
	}
	std::string hint;
	if (err.code == "AccessDeniedException")
		hint = "; the caller needs airflow:InvokeRestApi on arn:aws:airflow:" + options_.region +
		       ":ACCOUNT:role/" + name + "/ROLE (ROLE is Admin, Op, User, Viewer or Public), "
		       "or use --via session";
	else if (err.code == "ResourceNotFoundException" || resp.status == 404)
		hint = "; no environment '" + name + "' in region " + options_.region + " (check the name and --region)";
	std::string text = err.code + ": " + (err.message.empty() ? resp.reason : err.message);
	throw ServiceError(resp.status, err.code, err.message, err.requestId, "InvokeRestApi: " + text + hint);
}

} // namespace mwaatok

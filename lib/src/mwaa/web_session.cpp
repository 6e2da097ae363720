// Web sessions: the login exchange of a web login token for an Airflow
// session cookie or JWT, Airflow REST API calls through it, and the session
// as a header, a cookie jar or JSON.
#include "mwaatok/web_session.h"

#include "core/strings.h"
#include "mwaatok/error.h"
#include "mwaatok/filesystem.h"
#include "mwaatok/mwaa_client.h"
#include "mwaatok/time.h"
#include "mwaatok/url.h"

namespace mwaatok {

namespace {

struct Cookie {
	std::string value;
	std::optional<Clock::time_point> expires;
};

std::optional<Clock::time_point> parseCookieDate(const std::string &text)
{
	if (auto seconds = time::parseHttpDate(text))
		return time::toTimePoint(*seconds);
	return std::nullopt;
}

/// The cookie \a name from the response's Set-Cookie headers (the last one wins).
std::optional<Cookie> findCookie(const HttpResponse &response, std::string_view name, Clock::time_point now)
{
	std::optional<Cookie> found;
	for (const auto &h : response.headers) {
		if (!iequals(h.name, "Set-Cookie"))
			continue;
		auto parts = split(h.value, ';');
		std::string_view first = trim(parts.front());
		auto eq = first.find('=');
		if (eq == std::string_view::npos || trim(first.substr(0, eq)) != name)
			continue;
		Cookie c;
		c.value = std::string(trim(first.substr(eq + 1)));
		if (c.value.size() >= 2 && c.value.front() == '"' && c.value.back() == '"')
			c.value = c.value.substr(1, c.value.size() - 2);
		std::optional<long long> maxAge;
		for (size_t i = 1; i < parts.size(); ++i) {
			std::string_view attr = trim(parts[i]);
			auto aeq = attr.find('=');
			std::string key = toLower(trim(attr.substr(0, aeq)));
			std::string val = aeq == std::string_view::npos ? "" : std::string(trim(attr.substr(aeq + 1)));
			if (key == "max-age") {
				try {
					maxAge = std::stoll(val);
				} catch (const std::exception &) {
				}
			} else if (key == "expires") {
				c.expires = parseCookieDate(val);
			}
		}
		if (maxAge)
			c.expires = now + std::chrono::seconds(*maxAge);
		found = c;
	}
	// An empty or deleted cookie is no session.
	if (found && (found->value.empty() || (found->expires && *found->expires <= now)))
		return std::nullopt;
	return found;
}

/// A cookie value must not smuggle header syntax into a request.
bool isSafeCookieValue(std::string_view v)
{
	for (char c : v) {
		auto uc = static_cast<unsigned char>(c);
		if (uc <= 0x20 || uc >= 0x7f || c == ';' || c == ',' || c == '"' || c == '\\')
			return false;
	}
	return !v.empty();
}

} // namespace

std::string WebSession::apiBaseUrl() const
{
	return "https://" + hostname + (airflowMajor >= 3 ? "/api/v2" : "/api/v1");
}

std::string WebSession::headerName() const { return airflowMajor >= 3 ? "Authorization" : "Cookie"; }

std::string WebSession::headerValue() const
{
	return airflowMajor >= 3 ? "Bearer " + value : cookieName + "=" + value;
}

std::string WebSession::headerLine() const { return headerName() + ": " + headerValue(); }

std::string_view webLoginPath(int airflowMajor)
{
	return airflowMajor >= 3 ? "/pluginsv2/aws_mwaa/login" : "/aws_mwaa/login";
}

WebSession exchangeWebLoginToken(HttpTransport &transport, const WebLoginToken &token, int airflowMajor,
				 std::chrono::milliseconds timeout, Clock::time_point now)
{
	if (!isValidHostname(token.webServerHostname))
		throw Error(ErrorKind::Service, "the service returned an invalid web server hostname; "
						"refusing to send the web login token there");
	if (airflowMajor != 2 && airflowMajor != 3)
		throw Error(ErrorKind::Usage, "unknown Airflow version " + std::to_string(airflowMajor) +
						      ": the login exchange knows Airflow 2 and 3");
	const std::string path(webLoginPath(airflowMajor));
	HttpRequest req;
	req.method = "POST";
	req.url = "https://" + token.webServerHostname + path;
	req.headers = { { "Host", token.webServerHostname },
			{ "Content-Type", "application/x-www-form-urlencoded" },
			{ "Accept", "application/json" } };
	req.body = "token=" + uriEncode(token.webToken);
	req.readTimeout = timeout;
	HttpResponse resp = transport.send(req);

	WebSession s;
	s.hostname = token.webServerHostname;
	s.airflowMajor = airflowMajor;
	s.cookieName = airflowMajor >= 3 ? "_token" : "session";
	auto cookie = resp.status < 400 ? findCookie(resp, s.cookieName, now) : std::nullopt;
	if (!cookie)
		throw Error(ErrorKind::Service,
			    "the login exchange at https://" + token.webServerHostname + path + " answered HTTP " +
				    std::to_string(resp.status) + " without a '" + s.cookieName + "' cookie" +
				    (resp.status == 404 ? " (is the Airflow version right? try --airflow-version)"
				     : resp.status == 401 || resp.status == 403
					     ? " (the web login token was refused; they are valid once, for 60 s)"
					     : ""));
	if (!isSafeCookieValue(cookie->value))
		throw Error(ErrorKind::Service, "the login exchange at https://" + token.webServerHostname + path +
							" set a '" + s.cookieName + "' cookie with characters a header cannot carry");
	s.value = std::move(cookie->value);
	s.expires = cookie->expires;
	return s;
}

WebSession openWebSession(MwaaClient &client, HttpTransport &transport, const std::string &name,
			  std::optional<int> airflowMajor, std::chrono::milliseconds timeout, Clock::time_point now)
{
	int major = 0;
	if (airflowMajor) {
		major = *airflowMajor;
	} else {
		major = airflowMajorVersion(client.getEnvironment(name).airflowVersion);
		if (major == 0)
			throw Error(ErrorKind::Service, "GetEnvironment gave no Airflow version for '" + name +
								"'; set airflow_version in the profile or give --airflow-version");
	}
	WebLoginToken token = client.createWebLoginToken(name);
	return exchangeWebLoginToken(transport, token, major >= 3 ? 3 : 2, timeout, now);
}

AirflowResponse callAirflowApi(HttpTransport &transport, const WebSession &session, const AirflowRequest &request,
			       std::chrono::milliseconds timeout)
{
	checkAirflowRequest(request);
	if (!isValidHostname(session.hostname))
		throw Error(ErrorKind::Service, "the session's web server hostname is not a valid host name");
	HttpRequest req;
	req.method = request.method;
	req.url = session.apiBaseUrl() + request.path + airflowQueryString(request);
	req.headers = { { "Host", session.hostname },
			{ session.headerName(), session.headerValue() },
			{ "Accept", "application/json" } };
	if (request.body) {
		req.headers.push_back({ "Content-Type", "application/json" });
		req.body = std::string(trim(*request.body));
	}
	req.readTimeout = timeout;
	HttpResponse resp = transport.send(req);
	return { resp.status, resp.body, {} };
}

std::string formatCookieJar(const WebSession &session)
{
	long long expiry = 0;
	if (session.expires)
		expiry = std::chrono::duration_cast<std::chrono::seconds>(session.expires->time_since_epoch()).count();
	// domain, include subdomains, path, secure, expiry, name, value
	return "# Netscape HTTP Cookie File\n"
	       "# An Airflow web session for " + session.hostname + ", written by mwaatok. Keep it secret.\n" +
	       session.hostname + "\tFALSE\t/\tTRUE\t" + std::to_string(expiry) + "\t" + session.cookieName + "\t" +
	       session.value + "\n";
}

void writeCookieJar(const std::string &path, const WebSession &session)
{
	writeFileAtomically(path, formatCookieJar(session));
}

std::string formatSessionJson(const WebSession &session, const std::string &alias)
{
	std::string out = "{";
	if (!alias.empty())
		out += "\"alias\": " + jsonQuote(alias) + ", ";
	out += "\"host\": " + jsonQuote(session.hostname) + ", \"airflow_version\": " +
	       std::to_string(session.airflowMajor) + ", \"api_base_url\": " + jsonQuote(session.apiBaseUrl()) +
	       ", \"header_name\": " + jsonQuote(session.headerName()) +
	       ", \"header_value\": " + jsonQuote(session.headerValue());
	if (session.expires)
		out += ", \"expires\": " + jsonQuote(time::formatRfc3339(*session.expires));
	return out + "}";
}

} // namespace mwaatok

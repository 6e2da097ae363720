#include "support/record_format.h"

#include "mwaatok/text.h"
#include "mwaatok/web_session.h"

namespace mwaatok {

namespace {

void member(std::string &out, const char *key, std::string_view value)
{
	out += out.size() > 1 ? "," : "";
	out += jsonQuote(key);
	out += ':';
	out += jsonQuote(value);
}

/// "{" and the members every record of the result kinds starts with.
std::string startRecord(const std::string &alias, const std::string &environment, const std::string &region)
{
	std::string out = "{";
	member(out, "alias", alias);
	member(out, "environment", environment);
	member(out, "region", region);
	return out;
}

} // namespace

std::string linkJson(const LoginLink &link)
{
	std::string out = "{";
	member(out, "alias", link.alias);
	member(out, "name", link.environmentName);
	member(out, "region", link.region);
	member(out, "hostname", link.hostname);
	member(out, "login_url", link.loginUrl);
	member(out, "expires_at", formatUtc(link.expiresAt));
	member(out, "airflow_version", link.airflowVersion);
	member(out, "iam_identity", link.iamIdentity);
	member(out, "airflow_identity", link.airflowIdentity);
	return out + "}";
}

std::string answerJson(const AirflowAnswer &answer)
{
	std::string out = startRecord(answer.alias, answer.environmentName, answer.region);
	out += ",\"status\":" + std::to_string(answer.status);
	out += ",\"response\":" + (answer.json.empty() ? std::string("null") : answer.json);
	return out + "}";
}

std::string answerFailureJson(const LinkFailure &failure)
{
	std::string out = startRecord(failure.alias, failure.environmentName, failure.region);
	out += ",\"status\":null";
	member(out, "error", failure.message);
	return out + "}";
}

std::string sessionJson(const AirflowSession &session)
{
	std::string out = startRecord(session.alias, session.environmentName, session.region);
	member(out, "host", session.hostname);
	out += ",\"airflow_version\":" + std::to_string(session.airflowMajor);
	member(out, "api_base_url", session.apiBaseUrl);
	member(out, "header_name", session.headerName);
	member(out, "header_value", session.headerValue);
	if (session.expires)
		member(out, "expires", formatUtc(*session.expires));
	return out + "}";
}

std::string cookieJar(const std::vector<AirflowSession> &sessions)
{
	std::string out;
	for (const auto &s : sessions) {
		WebSession web;
		web.hostname = s.hostname;
		web.airflowMajor = s.airflowMajor;
		web.cookieName = s.cookieName;
		web.value = s.value;
		web.expires = s.expires;
		std::string jar = formatCookieJar(web);
		if (!out.empty()) // one header for the file: keep only the cookie lines
			for (size_t at = 0; !jar.empty() && jar[0] == '#'; at = 0)
				jar.erase(at, jar.find('\n') + 1);
		out += jar;
	}
	return out;
}

std::string cliJson(const CliOutput &output)
{
	std::string out = startRecord(output.alias, output.environmentName, output.region);
	member(out, "command", output.command);
	member(out, "stdout", output.stdoutText);
	member(out, "stderr", output.stderrText);
	return out + "}";
}

std::string cliText(const CliOutput &output, bool header)
{
	std::string out;
	if (header)
		out = "== " + output.alias + " (" + output.environmentName + ", " + output.region + ") ==\n";
	out += output.stdoutText;
	if (!out.empty() && out.back() != '\n')
		out += '\n';
	return out;
}

std::string failureJson(const LinkFailure &failure)
{
	std::string out = "{";
	member(out, "alias", failure.alias);
	member(out, "name", failure.environmentName);
	member(out, "region", failure.region);
	member(out, "error", failure.message);
	return out + "}";
}

std::string jsonArray(const std::vector<std::string> &objects)
{
	std::string out = "[";
	for (size_t i = 0; i < objects.size(); ++i)
		out += (i ? ",\n  " : "\n  ") + objects[i];
	return out + (objects.empty() ? "]\n" : "\n]\n");
}

std::string htmlEscape(std::string_view s)
{
	std::string out;
	out.reserve(s.size());
	for (char c : s) {
		switch (c) {
		case '&': out += "&amp;"; break;
		case '<': out += "&lt;"; break;
		case '>': out += "&gt;"; break;
		case '"': out += "&quot;"; break;
		case '\'': out += "&#39;"; break;
		default: out += c;
		}
	}
	return out;
}

std::string csvField(std::string_view s)
{
	// CSV injection (OWASP): a spreadsheet reads a cell that starts with one
	// of these, after any spaces, as a formula; a leading ' makes it text.
	size_t first = s.find_first_not_of(' ');
	bool formula = first != std::string_view::npos &&
		       std::string_view("=+-@\t\r").find(s[first]) != std::string_view::npos;
	std::string cell = formula ? "'" + std::string(s) : std::string(s);
	bool quote = formula || cell.find_first_of(",\"\r\n") != std::string::npos ||
		     (!cell.empty() && (cell.front() == ' ' || cell.back() == ' '));
	if (!quote)
		return cell;
	std::string out = "\"";
	for (char c : cell) {
		if (c == '"')
			out += '"';
		out += c;
	}
	return out + "\"";
}

Error pluginError(std::string_view plugin, const std::string &what)
{
	return Error(ErrorKind::Plugin, "output plugin '" + std::string(plugin) + "': " + what);
}

} // namespace mwaatok

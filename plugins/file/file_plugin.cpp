#include "file/file_plugin.h"

#include "mwaatok/text.h"
#include "mwaatok/error.h"
#include "mwaatok/output_spec.h"
#include "support/private_file.h"
#include "support/record_format.h"

namespace mwaatok {

namespace {

FilePlugin::Format parseFormat(const PluginOptions &options, const std::string &path)
{
	auto given = findOption(options, "format");
	std::string f;
	if (given) {
		f = toLower(*given);
	} else {
		size_t dot = path.rfind('.');
		size_t slash = path.rfind('/');
		if (dot != std::string::npos && (slash == std::string::npos || dot > slash))
			f = toLower(path.substr(dot + 1));
		if (f == "htm")
			f = "html";
	}
	if (f == "txt")
		return FilePlugin::Format::Txt;
	if (f == "json")
		return FilePlugin::Format::Json;
	if (f == "html")
		return FilePlugin::Format::Html;
	if (f == "csv")
		return FilePlugin::Format::Csv;
	if (f == "cookiejar")
		return FilePlugin::Format::Cookiejar;
	if (given)
		throw Error(ErrorKind::Usage, "unknown format '" + *given +
						      "' for output plugin 'file'; use txt, json, html, csv or cookiejar");
	throw Error(ErrorKind::Usage, "output plugin 'file' cannot tell the format of '" + path +
					      "' from its extension; add format=txt|json|html|csv");
}

constexpr const char *kHtmlHead = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<title>MWAA login links</title>
<style>
body { font-family: sans-serif; margin: 2em; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 0.3em 1em 0.3em 0; }
.error { color: #a00; }
</style>
</head>
<body>
<h1>MWAA login links</h1>
)";

/// The alias, and the environment name when it differs, escaped for HTML.
std::string environmentCell(const std::string &alias, const std::string &name)
{
	return htmlEscape(alias) + (name == alias ? "" : " (" + htmlEscape(name) + ")");
}

} // namespace

FilePlugin::FilePlugin(const PluginOptions &options, const Environment &environment)
	: path_(expandHome(requireOption("file", options, "path", "file:path=links.html"), environment)),
	  format_(parseFormat(options, path_))
{
}

void FilePlugin::begin(const RunInfo &info)
{
	info_ = info;
}

void FilePlugin::deliver(const LoginLink &link)
{
	links_.push_back(link);
}

bool FilePlugin::accepts(ResultKind kind) const
{
	switch (kind) {
	case ResultKind::LoginLink:
		return format_ != Format::Cookiejar;
	case ResultKind::AirflowAnswer:
		return format_ == Format::Json || format_ == Format::Csv || format_ == Format::Txt;
	case ResultKind::WebSession:
		return format_ == Format::Cookiejar || format_ == Format::Txt || format_ == Format::Json;
	case ResultKind::CliOutput:
		return format_ == Format::Txt || format_ == Format::Json;
	}
	return false;
}

void FilePlugin::deliver(const AirflowAnswer &answer)
{
	answers_.push_back(answer);
}

void FilePlugin::deliver(const AirflowSession &session)
{
	sessions_.push_back(session);
}

void FilePlugin::deliver(const CliOutput &output)
{
	outputs_.push_back(output);
}

std::string FilePlugin::renderResults() const
{
	std::vector<std::string> objects;
	std::string out;
	switch (info_.kind) {
	case ResultKind::LoginLink:
		break;
	case ResultKind::AirflowAnswer:
		if (format_ == Format::Csv) {
			out = "alias,environment,region,status,title,detail,error\r\n";
			for (const auto &a : answers_)
				out += csvField(a.alias) + "," + csvField(a.environmentName) + "," + csvField(a.region) + "," +
				       std::to_string(a.status) + "," + csvField(a.title) + "," + csvField(a.detail) + ",\r\n";
			for (const auto &f : failures_)
				out += csvField(f.alias) + "," + csvField(f.environmentName) + "," + csvField(f.region) +
				       ",,,," + csvField(f.message) + "\r\n";
			return out;
		}
		for (const auto &a : answers_)
			objects.push_back(answerJson(a));
		for (const auto &f : failures_)
			objects.push_back(answerFailureJson(f));
		break;
	case ResultKind::WebSession:
		if (format_ != Format::Json)
			return cookieJar(sessions_);
		for (const auto &s : sessions_)
			objects.push_back(sessionJson(s));
		break;
	case ResultKind::CliOutput:
		if (format_ == Format::Txt) {
			for (const auto &o : outputs_)
				out += cliText(o, true);
			return out;
		}
		for (const auto &o : outputs_)
			objects.push_back(cliJson(o));
		break;
	}
	if (format_ == Format::Txt) { // one JSON line each
		for (const auto &o : objects)
			out += o + "\n";
		return out;
	}
	return jsonArray(objects);
}

void FilePlugin::fail(const LinkFailure &failure)
{
	failures_.push_back(failure);
}

std::string FilePlugin::renderHtml(const RunSummary &summary) const
{
	std::string out = kHtmlHead;
	out += "<p>Created " + htmlEscape(formatUtc(info_.startedAt)) +
	       ". Each link stops working at its expiry time.";
	if (summary.interrupted)
		out += " <strong>The run was interrupted; this list is incomplete.</strong>";
	out += "</p>\n";
	if (!links_.empty()) {
		out += "<table>\n<tr><th>Environment</th><th>Region</th><th>Link</th><th>Expires (UTC)</th></tr>\n";
		for (const auto &l : links_) {
			out += "<tr><td>" + environmentCell(l.alias, l.environmentName) + "</td><td>" +
			       htmlEscape(l.region) + "</td><td><a href=\"" + htmlEscape(l.loginUrl) +
			       "\" rel=\"noreferrer\">Open Airflow</a></td><td>" + htmlEscape(formatUtc(l.expiresAt)) + "</td></tr>\n";
		}
		out += "</table>\n";
	}
	if (!failures_.empty()) {
		out += "<h2>Failed</h2>\n<table>\n<tr><th>Environment</th><th>Region</th><th>Error</th></tr>\n";
		for (const auto &f : failures_) {
			out += "<tr class=\"error\"><td>" + environmentCell(f.alias, f.environmentName) +
			       "</td><td>" + htmlEscape(f.region) + "</td><td>" + htmlEscape(f.message) + "</td></tr>\n";
		}
		out += "</table>\n";
	}
	return out + "</body>\n</html>\n";
}

std::string FilePlugin::render(const RunSummary &summary) const
{
	if (info_.kind != ResultKind::LoginLink)
		return renderResults();
	std::string out;
	switch (format_) {
	case Format::Txt:
		for (const auto &l : links_)
			out += l.loginUrl + "\n";
		break;
	case Format::Json: {
		std::vector<std::string> objects;
		for (const auto &l : links_)
			objects.push_back(linkJson(l));
		for (const auto &f : failures_)
			objects.push_back(failureJson(f));
		out = jsonArray(objects);
		break;
	}
	case Format::Html:
		out = renderHtml(summary);
		break;
	case Format::Cookiejar:
		break; // refused by accepts()
	case Format::Csv:
		out = "alias,name,region,hostname,login_url,expires_at,airflow_version,iam_identity,"
		      "airflow_identity,error\r\n";
		for (const auto &l : links_) {
			for (const std::string &v : {l.alias, l.environmentName, l.region, l.hostname, l.loginUrl,
						     formatUtc(l.expiresAt), l.airflowVersion, l.iamIdentity,
						     l.airflowIdentity})
				out += csvField(v) + ",";
			out += "\r\n";
		}
		for (const auto &f : failures_)
			out += csvField(f.alias) + "," + csvField(f.environmentName) + "," + csvField(f.region) +
			       ",,,,,,," + csvField(f.message) + "\r\n";
		break;
	}
	return out;
}

void FilePlugin::end(const RunSummary &summary)
{
	try {
		writeFileAtomically(path_, render(summary));
	} catch (const Error &e) {
		throw pluginError("file", e.what());
	}
}

BuiltinPlugin FilePlugin::builtin()
{
	return {"file", "write the results to a file, mode 0600 (path=FILE, format=txt|json|html|csv|cookiejar)",
		{"path", "format"},
		[](const PluginOptions &options, const PluginContext &context) {
			return std::make_unique<FilePlugin>(options, context.environment);
		}};
}

} // namespace mwaatok

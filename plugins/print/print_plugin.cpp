#include "print/print_plugin.h"

#include <algorithm>
#include <array>

#include "mwaatok/error.h"
#include "mwaatok/output_spec.h"
#include "mwaatok/terminal_text.h"
#include "mwaatok/text.h"
#include "support/record_format.h"

namespace mwaatok {

namespace {

PrintPlugin::Format parseFormat(const PluginOptions &options)
{
	auto given = findOption(options, "format");
	if (!given)
		return PrintPlugin::Format::Default;
	const std::string &f = *given;
	if (f == "header")
		return PrintPlugin::Format::Header;
	if (f == "url")
		return PrintPlugin::Format::Url;
	if (f == "json")
		return PrintPlugin::Format::Json;
	if (f == "ndjson")
		return PrintPlugin::Format::Ndjson;
	if (f == "table")
		return PrintPlugin::Format::Table;
	throw Error(ErrorKind::Usage, "unknown format '" + f +
					      "' for output plugin 'print'; use url, json, ndjson, table or header");
}

} // namespace

PrintPlugin::PrintPlugin(std::ostream &out, Format format, std::ostream *err)
	: out_(out), err_(err), format_(format)
{
}

PrintPlugin::PrintPlugin(std::ostream &out, const PluginOptions &options, std::ostream *err)
	: PrintPlugin(out, parseFormat(options), err)
{
}

bool PrintPlugin::accepts(ResultKind kind) const
{
	if (format_ == Format::Url)
		return kind == ResultKind::LoginLink;
	if (format_ == Format::Header)
		return kind == ResultKind::WebSession;
	return true;
}

void PrintPlugin::line(const std::string &text)
{
	out_ << text << '\n';
	flush();
}

void PrintPlugin::deliver(const AirflowAnswer &answer)
{
	switch (format_) {
	case Format::Default:
		line(info_.total == 1 ? (answer.json.empty() ? "null" : answer.json) : answerJson(answer));
		break;
	case Format::Ndjson:
		line(answerJson(answer));
		break;
	case Format::Json:
		objects_.push_back(answerJson(answer));
		break;
	case Format::Table:
		rows_.push_back({answer.alias, answer.region, std::to_string(answer.status),
				 answer.ok() ? answer.method + " " + answer.path
					     : answer.title + (answer.detail.empty() ? "" : ": " + answer.detail)});
		break;
	case Format::Url:
	case Format::Header:
		break; // refused by accepts()
	}
}

void PrintPlugin::deliver(const AirflowSession &session)
{
	switch (format_) {
	case Format::Default:
	case Format::Header:
		line(session.headerLine());
		break;
	case Format::Ndjson:
		line(sessionJson(session));
		break;
	case Format::Json:
		if (info_.total == 1)
			line(sessionJson(session));
		else
			objects_.push_back(sessionJson(session));
		break;
	case Format::Table:
		rows_.push_back({session.alias, session.region, std::to_string(session.airflowMajor), session.apiBaseUrl});
		break;
	case Format::Url:
		break;
	}
}

void PrintPlugin::deliver(const CliOutput &output)
{
	switch (format_) {
	case Format::Default:
		out_ << cliText(output, info_.total > 1);
		flush();
		if (err_ && !output.stderrText.empty()) {
			*err_ << (info_.total > 1 ? "== " + output.alias + " (stderr) ==\n" : "") << output.stderrText;
			if (output.stderrText.back() != '\n')
				*err_ << '\n';
			err_->flush();
		}
		break;
	case Format::Ndjson:
		line(cliJson(output));
		break;
	case Format::Json:
		objects_.push_back(cliJson(output));
		break;
	case Format::Table:
		rows_.push_back({output.alias, output.region, output.command,
				 std::to_string(std::count(output.stdoutText.begin(), output.stdoutText.end(), '\n')) +
					 " lines"});
		break;
	case Format::Url:
	case Format::Header:
		break;
	}
}

void PrintPlugin::flush()
{
	out_.flush();
	if (!out_)
		throw pluginError("print", "cannot write to the output stream");
}

void PrintPlugin::deliver(const LoginLink &link)
{
	switch (format_) {
	case Format::Header:
		break; // refused by accepts()
	case Format::Default:
	case Format::Url:
		out_ << link.loginUrl << '\n';
		flush();
		break;
	case Format::Ndjson:
		out_ << linkJson(link) << '\n';
		flush();
		break;
	case Format::Json:
	case Format::Table:
		records_.emplace_back(link);
		break;
	}
}

void PrintPlugin::fail(const LinkFailure &failure)
{
	if (info_.kind != ResultKind::LoginLink) {
		bool lines = info_.kind == ResultKind::AirflowAnswer &&
			     (format_ == Format::Ndjson || (format_ == Format::Default && info_.total > 1));
		if (lines)
			line(answerFailureJson(failure));
		else if (format_ == Format::Json)
			objects_.push_back(info_.kind == ResultKind::AirflowAnswer ? answerFailureJson(failure)
										: failureJson(failure));
		else if (format_ == Format::Table)
			rows_.push_back({failure.alias, failure.region, "-", "error: " + failure.message});
		else if (format_ == Format::Ndjson)
			line(failureJson(failure));
		return; // otherwise the command line reports failures on stderr
	}
	switch (format_) {
	case Format::Default:
	case Format::Header:
	case Format::Url:
		break; // the command line reports failures on stderr
	case Format::Ndjson:
		out_ << failureJson(failure) << '\n';
		flush();
		break;
	case Format::Json:
	case Format::Table:
		records_.emplace_back(failure);
		break;
	}
}

void PrintPlugin::end(const RunSummary &)
{
	if (info_.kind != ResultKind::LoginLink) {
		if (format_ == Format::Json && !(info_.kind == ResultKind::WebSession && info_.total == 1)) {
			out_ << jsonArray(objects_);
			flush();
		} else if (format_ == Format::Table && !rows_.empty()) {
			std::vector<std::vector<std::string>> rows{
				{"ALIAS", "REGION",
				 info_.kind == ResultKind::AirflowAnswer ? "STATUS"
				 : info_.kind == ResultKind::WebSession ? "AIRFLOW"
									: "COMMAND",
				 info_.kind == ResultKind::WebSession ? "API" : "RESULT"}};
			rows.insert(rows.end(), rows_.begin(), rows_.end());
			out_ << formatTable(rows);
			flush();
		}
		objects_.clear();
		rows_.clear();
		return;
	}
	if (format_ == Format::Json) {
		std::vector<std::string> objects;
		for (const auto &r : records_)
			objects.push_back(std::holds_alternative<LoginLink>(r) ? linkJson(std::get<LoginLink>(r))
									       : failureJson(std::get<LinkFailure>(r)));
		out_ << jsonArray(objects);
		flush();
	} else if (format_ == Format::Table && !records_.empty()) {
		std::vector<std::vector<std::string>> rows{{"ALIAS", "REGION", "EXPIRES", "URL"}};
		for (const auto &r : records_) {
			if (const auto *l = std::get_if<LoginLink>(&r))
				rows.push_back({terminalText(l->alias), terminalText(l->region), formatUtc(l->expiresAt),
						terminalText(l->loginUrl)});
			else {
				const auto &f = std::get<LinkFailure>(r);
				rows.push_back({terminalText(f.alias), terminalText(f.region), "-",
						"error: " + terminalText(f.message)});
			}
		}
		out_ << formatTable(rows);
		flush();
	}
	records_.clear();
}

BuiltinPlugin PrintPlugin::builtin()
{
	return {"print", "write results to standard output (format=url|json|ndjson|table|header)",
		{"format"},
		[](const PluginOptions &options, const PluginContext &context) {
			return std::make_unique<PrintPlugin>(context.out, options, &context.err);
		}};
}

} // namespace mwaatok

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
	std::string f = findOption(options, "format").value_or("url");
	if (f == "url")
		return PrintPlugin::Format::Url;
	if (f == "json")
		return PrintPlugin::Format::Json;
	if (f == "ndjson")
		return PrintPlugin::Format::Ndjson;
	if (f == "table")
		return PrintPlugin::Format::Table;
	throw Error(ErrorKind::Usage, "unknown format '" + f +
					      "' for output plugin 'print'; use url, json, ndjson or table");
}

} // namespace

PrintPlugin::PrintPlugin(std::ostream &out, Format format)
	: out_(out), format_(format)
{
}

PrintPlugin::PrintPlugin(std::ostream &out, const PluginOptions &options)
	: PrintPlugin(out, parseFormat(options))
{
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
	switch (format_) {
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
	return {"print", "write login URLs to standard output (format=url|json|ndjson|table)",
		{"format"},
		[](const PluginOptions &options, const PluginContext &context) {
			return std::make_unique<PrintPlugin>(context.out, options);
		}};
}

} // namespace mwaatok

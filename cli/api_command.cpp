// api, session and cli: the Airflow REST API, web sessions and the Airflow
// CLI over many environments. The work happens in the library's run service;
// this file turns the command line into a RunRequest.
#include <cctype>
#include <iostream>
#include <iterator>
#include <string_view>

#include "app.h"
#include "mwaatok/error.h"
#include "mwaatok/rest_api.h"
#include "mwaatok/run.h"

namespace mwaatok::cli {

namespace {

/// \a arg as one word of a POSIX shell command line: itself when it holds
/// only safe characters, else in single quotes (a ' inside as '\'').
std::string shellQuote(const std::string &arg)
{
	bool safe = !arg.empty();
	for (char c : arg)
		if (!(std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-_./:=@%+,").find(c) != std::string_view::npos))
			safe = false;
	if (safe)
		return arg;
	std::string out = "'";
	for (char c : arg)
		out += c == '\'' ? std::string("'\\''") : std::string(1, c);
	return out + "'";
}

} // namespace

int runApi(App &app)
{
	const Options &o = app.options();
	if (o.args.empty())
		throw Error(ErrorKind::Usage, "api needs an Airflow API path and environments, e.g. mwaatok api /dags prod");
	if (o.data && o.dataFile)
		throw Error(ErrorKind::Usage, "give the body with -d or --data-file, not both");
	std::optional<std::string> body = o.data;
	if (o.dataFile && *o.dataFile == "-") {
		body = std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
	} else if (o.dataFile) {
		body = app.files().read(*o.dataFile);
		if (!body)
			throw Error(ErrorKind::Usage, "cannot read --data-file " + *o.dataFile + ": no such file");
	}
	RunRequest request;
	request.kind = ResultKind::AirflowAnswer;
	// Checked here, before any environment is resolved or any call is sent.
	request.airflow = makeAirflowRequest(o.method.value_or("GET"), o.args.front(), o.queries, body);
	request.route = parseAirflowRoute(o.via.value_or("invoke-rest-api"));
	if (o.args.size() == 1 && !o.all && o.tags.empty())
		throw Error(ErrorKind::Usage, "api needs at least one environment after the path (or --all, --tag)");
	return runResults(app, std::move(request), false, 1);
}

int runSession(App &app)
{
	RunRequest request;
	request.kind = ResultKind::WebSession;
	return runResults(app, std::move(request));
}

int runCli(App &app)
{
	const Options &o = app.options();
	if (o.passthrough.empty())
		throw Error(ErrorKind::Usage, "cli needs an Airflow command after --, e.g. mwaatok cli " +
						      (o.args.empty() ? std::string("prod") : o.args.front()) + " -- dags list");
	RunRequest request;
	request.kind = ResultKind::CliOutput;
	for (const auto &a : o.passthrough)
		request.cliCommand += (request.cliCommand.empty() ? "" : " ") + shellQuote(a);
	return runResults(app, std::move(request));
}

} // namespace mwaatok::cli

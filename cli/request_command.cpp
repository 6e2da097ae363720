#include <iostream>
#include <iterator>

#include "app.h"
#include "mwaatok/aws_client.h"
#include "mwaatok/error.h"
#include "mwaatok/raw_request.h"

namespace mwaatok::cli {

namespace {

std::string readBody(App &app)
{
	const Options &o = app.options();
	if (o.data && o.dataFile)
		throw Error(ErrorKind::Usage, "give either --data or --data-file, not both");
	if (o.data)
		return *o.data;
	if (!o.dataFile)
		return {};
	if (*o.dataFile == "-") {
		std::string body((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
		if (std::cin.bad())
			throw Error(ErrorKind::Io, "cannot read the request body from standard input");
		return body;
	}
	try {
		auto content = app.files().read(*o.dataFile);
		if (!content)
			throw Error(ErrorKind::Usage, "data file '" + *o.dataFile + "' does not exist");
		return *content;
	} catch (const Error &e) {
		if (e.kind() == ErrorKind::Io)
			throw Error(ErrorKind::Usage, e.what());
		throw;
	}
}

} // namespace

int runRequest(App &app)
{
	const Options &o = app.options();
	if (o.args.size() != 2)
		throw Error(ErrorKind::Usage, "request needs METHOD and URL, e.g. "
					      "mwaatok request POST https://env.airflow.us-east-1.amazonaws.com/webtoken/prod");
	RawRequestSpec spec;
	spec.method = o.args[0];
	spec.url = o.args[1];
	spec.headers = o.headers;
	spec.body = readBody(app);
	spec.service = o.service;
	spec.unsignedPayload = o.unsignedPayload;
	spec.region = o.region.value_or("");
	if (spec.region.empty() && inferServiceAndRegion(Url::parse(spec.url).host).second.empty()) {
		try {
			spec.fallbackRegion = app.region(std::nullopt);
		} catch (const Error &) {
			// prepareRawRequest says what to do.
		}
	}
	auto [request, options] = prepareRawRequest(spec);
	app.session().applyCallOptions(options);
	options.throwOnError = false;

	// --timeout is one deadline for the command, credentials included.
	DeadlineScope deadline(std::chrono::steady_clock::now() + options.deadline);
	Credentials creds = app.credentials(std::nullopt);
	if (o.dryRun) {
		sigv4::SigningOutput stages;
		HttpRequest sent = AwsClient::buildSigned(request, options, creds, app.clock().now(), &stages);
		std::cout << describeSignedRequest(sent, stages, creds, "request (not sent)");
		return 0;
	}

	HttpResponse resp = app.session().send(request, options, creds);
	if (o.include) {
		std::cout << "HTTP/1.1 " << resp.status << " " << resp.reason << "\r\n";
		for (const auto &h : resp.headers)
			std::cout << h.name << ": " << h.value << "\r\n";
		std::cout << "\r\n";
	}
	std::cout << resp.body;
	if (!resp.body.empty() && resp.body.back() != '\n' && isatty(1))
		std::cout << "\n";
	std::cout.flush();
	if (resp.status >= 200 && resp.status < 300)
		return 0;
	AwsErrorInfo err = parseAwsError(resp);
	std::cerr << "mwaatok: error: HTTP " << resp.status << " " << err.code
		  << (err.message.empty() ? "" : ": " + err.message) << "\n";
	return 1;
}

} // namespace mwaatok::cli

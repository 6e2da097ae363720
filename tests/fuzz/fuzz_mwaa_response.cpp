// libFuzzer target for MWAA response decoding: MwaaClient over a fake transport
// that answers with the input. Input: "STATUS OPERATION" on the first line
// (OPERATION: web, cli, get or airflow-cli; default web), headers, an empty line,
// the body. The Airflow CLI case decodes the web server's /aws_mwaa/cli answer.
#include <chrono>
#include <cstdlib>
#include <string>

#include "fuzz_support.h"
#include "mwaatok/aws_client.h"
#include "mwaatok/clock.h"
#include "mwaatok/error.h"
#include "mwaatok/aws_cli_json.h"
#include "mwaatok/mwaa_client.h"
#include "fakes.h"

using namespace mwaatok;

namespace {

class AnswerTransport final : public HttpTransport {
public:
	explicit AnswerTransport(HttpResponse r) : response_(std::move(r)) {}
	HttpResponse send(const HttpRequest &) override { return response_; }

private:
	HttpResponse response_;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz::Message m = fuzz::splitMessage(fuzz::asText(data, size));
	HttpResponse r;
	r.status = std::atoi(m.firstLine.substr(0, 6).c_str());
	r.reason = "Fuzz";
	size_t space = m.firstLine.find(' ');
	std::string op = space == std::string::npos ? "web" : m.firstLine.substr(space + 1);
	r.headers = std::move(m.headers);
	r.body = std::move(m.body);

	AnswerTransport transport(r);
	FixedClock clock = FixedClock::fromSeconds(1440938160);
	AwsClient aws(transport, clock, [] {
		Credentials c;
		c.accessKeyId = "AKIDEXAMPLE";
		c.secretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
		return c;
	});
	MwaaEndpointConfig endpoint;
	endpoint.region = "us-east-1";
	endpoint.endpointUrl = "http://127.0.0.1:1";
	CallOptions options;
	options.region = "us-east-1";
	options.service = "airflow";
	options.retry.maxAttempts = 2;
	MwaaClient client(aws, endpoint, options);
	try {
		if (op == "cli") {
			client.createCliToken("env");
		} else if (op == "get") {
			EnvironmentInfo info = client.getEnvironment("env");
			airflowMajorVersion(info.airflowVersion);
		} else if (op == "airflow-cli") {
			CliToken token{ "token", "host.example.com" };
			invokeAirflowCli(transport, token, "dags list", std::chrono::milliseconds(1000));
		} else {
			std::string raw;
			WebLoginToken t = client.createWebLoginToken("env", &raw);
			formatWebLoginTokenJson(t);
			for (int major : { 2, 3 })
				loginUrl(t.webServerHostname, t.webToken, major);
		}
	} catch (const Error &) {
	}
	return 0;
}

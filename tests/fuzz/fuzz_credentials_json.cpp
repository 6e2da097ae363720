// libFuzzer target for the credential documents mwaatok parses: credential_process
// output (runCredentialProcess), IMDS and container (ECS/EKS) credentials, and
// the timestamps in them. Input: a mode on the first line (process, imds,
// container or timestamp; default process), the document after it.
#include <chrono>
#include <string>

#include "credentials/credentials_util.h"
#include "fuzz_support.h"
#include "mwaatok/time.h"
#include "mwaatok/clock.h"
#include "mwaatok/credential_provider.h"
#include "mwaatok/text.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/filesystem.h"
#include "mwaatok/process.h"
#include "fakes.h"

using namespace mwaatok;

namespace {

class CannedProcess final : public ProcessLauncher {
public:
	explicit CannedProcess(std::string out) : out_(std::move(out)) {}
	ProcessResult run(const ProcessSpec &) override
	{
		ProcessResult r;
		r.started = true;
		r.exitCode = 0;
		r.stdoutData = out_;
		return r;
	}

private:
	std::string out_;
};

/// IMDS and container endpoints: a token, a role name, then the document.
class MetadataTransport final : public HttpTransport {
public:
	explicit MetadataTransport(std::string doc) : doc_(std::move(doc)) {}
	HttpResponse send(const HttpRequest &req) override
	{
		HttpResponse r;
		r.status = 200;
		r.reason = "OK";
		if (req.method == "PUT")
			r.body = "imds-session-token";
		else if (req.url.size() > 0 && req.url.back() == '/')
			r.body = "fuzz-role";
		else
			r.body = doc_;
		return r;
	}

private:
	std::string doc_;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	std::string_view text = fuzz::asText(data, size);
	size_t nl = text.find('\n');
	std::string mode(text.substr(0, nl));
	std::string doc(nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1));

	if (mode == "timestamp") {
		if (auto t = detail::parseTimestamp(doc)) {
			std::string printed = time::formatRfc3339(*t);
			auto again = detail::parseTimestamp(printed);
			// Whole seconds survive printing and parsing again (within the printable years).
			auto secs = std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
			if (secs >= 0 && secs < 253402300800LL &&
			    (!again || std::chrono::floor<std::chrono::seconds>(*t) != *again))
				fuzz::fail("credentials_json", "timestamp '" + printed + "' does not parse back");
		}
		detail::oneLine(doc);
		redactSecrets(doc);
		return 0;
	}

	MapEnvironment env;
	MapFileSystem fs;
	FixedClock clock = FixedClock::fromSeconds(1440938160);
	MetadataTransport http(doc);
	CannedProcess processes(doc);
	ProviderContext ctx{ env, fs, http, clock, processes, {} };
	try {
		if (mode == "imds") {
			env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://169.254.169.254");
			auto provider = makeImdsProvider(ctx, ChainOptions{});
			std::string whyNot;
			provider->resolve(whyNot);
		} else if (mode == "container") {
			env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/creds");
			auto provider = makeContainerProvider(ctx);
			std::string whyNot;
			provider->resolve(whyNot);
		} else {
			runCredentialProcess(processes, "fuzz", "fuzz-profile", "", std::chrono::milliseconds(1000));
		}
	} catch (const Error &) {
	}
	redactSecrets(doc);
	return 0;
}

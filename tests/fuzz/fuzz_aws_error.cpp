// libFuzzer target for AWS error decoding (parseAwsError). Input: a response as
// text, "STATUS" on the first line, headers, an empty line, the body.
#include <cstdlib>
#include <string>

#include "fuzz_support.h"
#include "mwaatok/aws_client.h"
#include "mwaatok/error.h"

using namespace mwaatok;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz::Message m = fuzz::splitMessage(fuzz::asText(data, size));
	HttpResponse r;
	r.status = std::atoi(m.firstLine.substr(0, 6).c_str());
	r.headers = std::move(m.headers);
	r.body = std::move(m.body);
	try {
		AwsErrorInfo info = parseAwsError(r);
		isRetryableError(r.status, info.code);
	} catch (const Error &) {
	}
	return 0;
}

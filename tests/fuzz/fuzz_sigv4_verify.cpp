// libFuzzer target for the SigV4 verifier (sigv4::verify), as the emulator uses
// it on every request. Input: a request as text, "METHOD PATH[?QUERY] [HTTP/1.1]"
// on the first line, headers, an empty line, the body (the test suite's .sreq
// files are valid seeds). The verifier's clock is
// 2015-08-30T12:36:00Z; keys starting with AKID have the secret of the AWS test
// suite. Second check: the same request, signed by sigv4::sign() with those
// credentials, must verify.
#include <cctype>
#include <chrono>
#include <string>

#include "fuzz_support.h"
#include "mwaatok/error.h"
#include "mwaatok/sigv4.h"

using namespace mwaatok;

namespace {

constexpr const char *kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

bool signedByClient(std::string_view name)
{
	for (const char *n : { "authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256" }) {
		if (name.size() != std::string_view(n).size())
			continue;
		bool same = true;
		for (size_t i = 0; i < name.size() && same; ++i)
			same = (name[i] | 0x20) == n[i] || name[i] == n[i];
		if (same)
			return true;
	}
	return false;
}

/// A header name of letters, digits, '-', '_' and '.'. sign() takes any name,
/// the transport sends any HTTP token, but verify() (like the emulator) accepts
/// only these in SignedHeaders: other tokens such as "a!b" are a known gap.
bool isPlainName(std::string_view name)
{
	if (name.empty())
		return false;
	for (unsigned char c : name)
		if (!(std::isalnum(c) || c == '-' || c == '_' || c == '.'))
			return false;
	return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz::Message m = fuzz::splitMessage(fuzz::asText(data, size));
	sigv4::SignableRequest req;
	size_t space = m.firstLine.find(' ');
	req.method = m.firstLine.substr(0, space);
	std::string target = space == std::string::npos ? "/" : m.firstLine.substr(space + 1);
	target = target.substr(0, target.find(' ')); // drop " HTTP/1.1"
	size_t q = target.find('?');
	req.path = target.substr(0, q);
	req.query = q == std::string::npos ? "" : target.substr(q + 1);
	req.headers = m.headers;
	req.body = m.body;

	const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1440938160));
	sigv4::SecretLookup lookup = [](std::string_view akid) -> std::optional<std::string> {
		if (akid.substr(0, 4) == "AKID")
			return std::string(kSecret);
		return std::nullopt;
	};
	try {
		sigv4::verify(req, lookup, now);
	} catch (const Error &) {
	}

	// Round trip: what sign() produces, verify() accepts.
	if (req.path.empty() || req.path.front() != '/' || req.method.empty())
		return 0;
	sigv4::SignableRequest fresh = req;
	fresh.headers.clear();
	for (const auto &h : req.headers) {
		if (!isPlainName(h.name))
			return 0;
		if (!signedByClient(h.name))
			fresh.headers.push_back(h);
	}
	Credentials creds;
	creds.accessKeyId = "AKIDEXAMPLE";
	creds.secretAccessKey = kSecret;
	sigv4::SigningParams params;
	params.credentials = &creds;
	params.region = "us-east-1";
	params.service = "airflow";
	params.time = now;
	sigv4::SigningOutput out;
	try {
		out = sigv4::sign(fresh, params);
	} catch (const Error &) {
		return 0;
	}
	sigv4::applyHeaders(fresh.headers, out);
	sigv4::VerifyResult result;
	try {
		result = sigv4::verify(fresh, lookup, now);
	} catch (const Error &e) {
		fuzz::fail("sigv4_verify", std::string("verify threw on a signed request: ") + e.what());
	}
	if (result.status != sigv4::VerifyStatus::Ok)
		fuzz::fail("sigv4_verify", "a request signed by sign() does not verify: " + result.message);
	return 0;
}

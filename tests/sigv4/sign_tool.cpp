// Signs requests given as JSON lines on stdin and prints one JSON line per
// request on stdout: {"authorization", "canonical_request", "string_to_sign",
// "signature", "query"} or {"error"}. Test-only; it prints secrets' results.
#include <iostream>
#include <string>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "core/strings.h"
#include "mwaatok/error.h"
#include "mwaatok/raw_request.h"
#include "mwaatok/sigv4.h"
#include "test_support.h"

using namespace mwaatok;

namespace {

template <typename T> T get(const Poco::JSON::Object::Ptr &o, const std::string &key, T fallback)
{
	return o->has(key) ? o->getValue<T>(key) : fallback;
}

/// A `mwaatok request` line ({"raw": true, "method", "url", "headers": ["Name: value"],
/// "body", "unsigned"}) through prepareRawRequest and AwsClient::buildSigned, as the
/// command sends it: {"authorization", "canonical_request", "service", "region", "url",
/// "content_sha256_headers"}.
std::string signRawLine(const Poco::JSON::Object::Ptr &in, const Credentials &creds)
{
	RawRequestSpec spec;
	spec.method = in->getValue<std::string>("method");
	spec.url = in->getValue<std::string>("url");
	spec.body = get<std::string>(in, "body", "");
	spec.unsignedPayload = get<bool>(in, "unsigned", false);
	auto headers = in->getArray("headers");
	for (unsigned i = 0; i < headers->size(); ++i)
		spec.headers.push_back(headers->getElement<std::string>(i));
	auto [request, options] = prepareRawRequest(spec);
	sigv4::SigningOutput stages;
	HttpRequest http = AwsClient::buildSigned(request, options, creds,
						  test::parseTime(in->getValue<std::string>("time")), &stages);
	int sha256Headers = 0;
	for (const auto &h : http.headers)
		sha256Headers += iequals(h.name, "x-amz-content-sha256") ? 1 : 0;
	return "{\"authorization\":" + jsonQuote(test::headerValue(http.headers, "Authorization")) +
	       ",\"canonical_request\":" + jsonQuote(stages.canonicalRequest) +
	       ",\"service\":" + jsonQuote(options.service) + ",\"region\":" + jsonQuote(options.region) +
	       ",\"url\":" + jsonQuote(http.url) +
	       ",\"content_sha256_headers\":" + std::to_string(sha256Headers) + "}";
}

std::string signLine(const std::string &line)
{
	Poco::JSON::Parser parser;
	auto in = parser.parse(line).extract<Poco::JSON::Object::Ptr>();

	Credentials creds;
	creds.accessKeyId = in->getValue<std::string>("access_key");
	creds.secretAccessKey = in->getValue<std::string>("secret_key");
	creds.sessionToken = get<std::string>(in, "token", "");
	if (get<bool>(in, "raw", false))
		return signRawLine(in, creds);

	test::ParsedRequest parsed;
	parsed.method = in->getValue<std::string>("method");
	parsed.path = in->getValue<std::string>("path");
	parsed.query = get<std::string>(in, "query", "");
	parsed.body = get<std::string>(in, "body", "");
	auto headers = in->getArray("headers");
	for (unsigned i = 0; i < headers->size(); ++i) {
		auto pair = headers->getArray(i);
		parsed.headers.push_back({ pair->getElement<std::string>(0), pair->getElement<std::string>(1) });
	}

	sigv4::SigningParams params = test::signingParams(creds, in->getValue<std::string>("region"),
							   in->getValue<std::string>("service"),
							   in->getValue<std::string>("time"));
	auto &s = params.settings;
	s.location = get<std::string>(in, "location", "headers") == "query" ? sigv4::SignatureLocation::QueryParams
									     : sigv4::SignatureLocation::Headers;
	s.normalizePath = get<bool>(in, "normalize", true);
	s.doubleUriEncode = get<bool>(in, "double_encode", true);
	s.addContentSha256Header = get<bool>(in, "content_sha256_header", false);
	s.signSessionToken = get<bool>(in, "sign_token", true);
	std::string payload = get<std::string>(in, "payload", "hash");
	s.payload = payload == "unsigned" ? sigv4::PayloadMode::Unsigned
		    : payload == "given"  ? sigv4::PayloadMode::Given
					  : sigv4::PayloadMode::Hash;
	s.payloadHash = get<std::string>(in, "payload_hash", "");
	s.expires = std::chrono::seconds(get<int>(in, "expires", 900));

	auto out = sigv4::sign(parsed.signable(), params);
	std::string query;
	for (const auto &[k, v] : out.queryParams)
		query += (query.empty() ? "" : "&") + k + "=" + v;
	return "{\"authorization\":" + jsonQuote(test::headerValue(out.headers, "Authorization")) +
	       ",\"canonical_request\":" + jsonQuote(out.canonicalRequest) +
	       ",\"string_to_sign\":" + jsonQuote(out.stringToSign) + ",\"signature\":" + jsonQuote(out.signature) +
	       ",\"query\":" + jsonQuote(query) + "}";
}

} // namespace

int main()
{
	std::ios::sync_with_stdio(false);
	std::string line;
	while (std::getline(std::cin, line)) {
		if (line.empty())
			continue;
		std::string result;
		try {
			result = signLine(line);
		} catch (const std::exception &e) {
			result = "{\"error\":" + jsonQuote(e.what()) + "}";
		}
		std::cout << result << '\n';
	}
	return 0;
}

#include "mwaatok/sigv4.h"

#include "core/crypto.h"
#include "core/strings.h"
#include "sigv4/canonical_request.h"
#include "sigv4/signer.h"
#include "sigv4/signing_key.h"

namespace mwaatok::sigv4 {

namespace {

using namespace std::chrono;

constexpr std::string_view algorithmPrefix = "AWS4-HMAC-SHA256";

struct ParsedAuthorization {
	std::string_view accessKeyId, date, region, service;
	std::vector<std::string_view> signedHeaders;
	std::string_view signedHeaderText;
	std::string_view signature;
};

bool isHex64(std::string_view s)
{
	if (s.size() != 64)
		return false;
	for (char c : s)
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	return true;
}

bool isHeaderName(std::string_view s)
{
	if (s.empty())
		return false;
	for (char c : s)
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return false;
	return true;
}

// Returns an empty string on success, else what is wrong (in AWS's words where it has some).
std::string parseAuthorization(std::string_view header, ParsedAuthorization &out)
{
	header = trim(header);
	if (header.substr(0, algorithmPrefix.size()) != algorithmPrefix ||
	    header.size() == algorithmPrefix.size() ||
	    (header[algorithmPrefix.size()] != ' ' && header[algorithmPrefix.size()] != '\t'))
		return "Unsupported Authorization Type";
	std::string_view rest = header.substr(algorithmPrefix.size());
	std::string_view credential, signedHeaders, signature;
	bool haveCredential = false, haveSignedHeaders = false, haveSignature = false;
	for (std::string_view part : split(rest, ',')) {
		part = trim(part);
		auto eq = part.find('=');
		if (eq == std::string_view::npos)
			return "Invalid key=value pair (missing equal-sign) in Authorization header";
		std::string_view key = part.substr(0, eq), value = part.substr(eq + 1);
		bool *seen = nullptr;
		std::string_view *slot = nullptr;
		if (key == "Credential") {
			seen = &haveCredential;
			slot = &credential;
		} else if (key == "SignedHeaders") {
			seen = &haveSignedHeaders;
			slot = &signedHeaders;
		} else if (key == "Signature") {
			seen = &haveSignature;
			slot = &signature;
		} else {
			return "Authorization header has an unexpected parameter";
		}
		if (*seen)
			return "Authorization header repeats a parameter";
		*seen = true;
		*slot = value;
	}
	if (!haveCredential)
		return "Authorization header requires 'Credential' parameter.";
	if (!haveSignedHeaders)
		return "Authorization header requires 'SignedHeaders' parameter.";
	if (!haveSignature)
		return "Authorization header requires 'Signature' parameter.";

	auto scope = split(credential, '/');
	if (scope.size() != 5 || scope[0].empty() || scope[1].size() != 8 || scope[2].empty() || scope[3].empty() ||
	    scope[4] != "aws4_request")
		return "Credential should be scoped to a valid region, service and date, ending in 'aws4_request'.";
	out.accessKeyId = scope[0];
	out.date = scope[1];
	out.region = scope[2];
	out.service = scope[3];

	out.signedHeaderText = signedHeaders;
	out.signedHeaders = split(signedHeaders, ';');
	bool hasHost = false;
	for (std::string_view name : out.signedHeaders) {
		if (!isHeaderName(name))
			return "SignedHeaders must be lowercase header names separated by ';'.";
		hasHost = hasHost || name == "host";
	}
	if (!hasHost)
		return "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";
	if (!isHex64(signature))
		return "Signature must be 64 lowercase hexadecimal digits.";
	out.signature = signature;
	return {};
}

std::string skewText(seconds skew)
{
	if (skew.count() % 60 == 0)
		return std::to_string(skew.count() / 60) + " min.";
	return std::to_string(skew.count()) + " sec.";
}

VerifyResult fail(VerifyResult r, VerifyStatus status, std::string message)
{
	r.status = status;
	r.message = std::move(message);
	return r;
}

} // namespace

VerifyResult verify(const SignableRequest &received, const SecretLookup &lookup, system_clock::time_point now,
		    seconds allowedSkew)
{
	VerifyResult result;
	const HttpHeader *authorization = nullptr, *dateHeader = nullptr, *contentSha = nullptr;
	for (const auto &h : received.headers) {
		std::string_view name = trim(h.name);
		if (!authorization && iequals(name, "authorization"))
			authorization = &h;
		else if (!dateHeader && iequals(name, "x-amz-date"))
			dateHeader = &h;
		else if (!contentSha && iequals(name, "x-amz-content-sha256"))
			contentSha = &h;
	}
	if (!authorization)
		return fail(result, VerifyStatus::Missing, "Missing Authentication Token");

	ParsedAuthorization auth;
	if (std::string why = parseAuthorization(authorization->value, auth); !why.empty())
		return fail(result, VerifyStatus::Malformed, why);
	result.accessKeyId = auth.accessKeyId;
	result.region = auth.region;
	result.service = auth.service;

	if (!dateHeader)
		return fail(result, VerifyStatus::Malformed,
			    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
	std::string_view dateText = trim(dateHeader->value);
	auto signedAt = detail::parseAmzDate(dateText);
	if (!signedAt)
		return fail(result, VerifyStatus::Malformed,
			    "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
	if (dateText.substr(0, 8) != auth.date)
		return fail(result, VerifyStatus::Malformed,
			    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
				    std::string(auth.date) + "' != '" + std::string(dateText.substr(0, 8)) +
				    "', from '" + std::string(dateText) + "'.");
	auto nowSeconds = floor<seconds>(now);
	if (*signedAt < nowSeconds - allowedSkew)
		return fail(result, VerifyStatus::TimeSkewed,
			    "Signature expired: " + std::string(dateText) + " is now earlier than " +
				    amzDate(nowSeconds - allowedSkew) + " (" + amzDate(nowSeconds) + " - " +
				    skewText(allowedSkew) + ")");
	if (*signedAt > nowSeconds + allowedSkew)
		return fail(result, VerifyStatus::TimeSkewed,
			    "Signature not yet current: " + std::string(dateText) + " is still later than " +
				    amzDate(nowSeconds + allowedSkew) + " (" + amzDate(nowSeconds) + " + " +
				    skewText(allowedSkew) + ")");

	std::optional<std::string> secret = lookup ? lookup(auth.accessKeyId) : std::nullopt;
	if (!secret)
		return fail(result, VerifyStatus::UnknownAccessKey,
			    "The security token included in the request is invalid.");

	std::vector<detail::CanonicalHeader> headers;
	headers.reserve(auth.signedHeaders.size());
	for (std::string_view name : auth.signedHeaders) {
		detail::CanonicalHeader &ch = headers.emplace_back(std::string(name));
		bool found = false;
		for (const auto &h : received.headers) {
			if (iequals(trim(h.name), name)) {
				ch.addValue(h.value);
				found = true;
			}
		}
		if (!found)
			return fail(result, VerifyStatus::SignatureMismatch,
				    "The request signature we calculated does not match the signature you provided: "
				    "signed header '" + std::string(name) + "' is missing from the request.");
	}

	std::string payloadHash = detail::payloadHash(received.body);
	if (contentSha) {
		std::string_view given = trim(contentSha->value);
		if (given != "UNSIGNED-PAYLOAD" && !crypto::constantTimeEquals(given, payloadHash))
			return fail(result, VerifyStatus::SignatureMismatch,
				    "The provided 'x-amz-content-sha256' header does not match what was computed.");
		payloadHash = given;
	}

	detail::CanonicalParts parts;
	parts.method = received.method;
	parts.path = received.path;
	parts.query = received.query;
	parts.headers = &headers;
	parts.signedHeaders = auth.signedHeaderText;
	parts.payloadHash = payloadHash;
	std::string canonical = detail::assemble(parts);
	std::string sts = stringToSign(*signedAt, std::string(auth.date) + "/" + std::string(auth.region) + "/" +
							  std::string(auth.service) + "/aws4_request",
				       canonical);
	crypto::Digest key = detail::cachedSigningKey(*secret, auth.date, auth.region, auth.service);
	std::string expected = hexEncode(crypto::view(crypto::hmacSha256(crypto::view(key), sts)));
	if (!crypto::constantTimeEquals(expected, auth.signature))
		return fail(result, VerifyStatus::SignatureMismatch,
			    "The request signature we calculated does not match the signature you provided. "
			    "Check your AWS Secret Access Key and signing method. Consult the service documentation "
			    "for details.");
	result.status = VerifyStatus::Ok;
	return result;
}

} // namespace mwaatok::sigv4

#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mwaatok/credentials.h"
#include "mwaatok/http.h"

/// AWS Signature Version 4, stage by stage. No I/O, no clock: the time is an input.
namespace mwaatok::sigv4 {

/// A request as it will go on the wire.
struct SignableRequest {
	std::string method;
	std::string path;    ///< as sent, already percent-encoded ("/webtoken/prod")
	std::string query;   ///< as sent, without '?'; may be empty
	HttpHeaders headers; ///< every header that will be sent, Host included
	std::string_view body; ///< must outlive the call
};

enum class SignatureLocation { Headers, QueryParams };

enum class PayloadMode {
	Hash,     ///< SHA-256 of the body, or the request's own x-amz-content-sha256 value (as the SDKs do)
	Unsigned, ///< "UNSIGNED-PAYLOAD"
	Given,    ///< SigningSettings::payloadHash as given
};

struct SigningSettings {
	SignatureLocation location = SignatureLocation::Headers;
	bool normalizePath = true;   ///< RFC 3986 dot segments, collapse "//" (off for S3)
	bool doubleUriEncode = true; ///< encode each path segment again (off for S3)
	bool addContentSha256Header = false; ///< send and sign x-amz-content-sha256 (S3)
	bool signSessionToken = true; ///< false: X-Amz-Security-Token is added after signing
	PayloadMode payload = PayloadMode::Hash;
	std::string payloadHash; ///< with PayloadMode::Given
	std::chrono::seconds expires{ 900 }; ///< X-Amz-Expires in query mode
};

struct SigningParams {
	const Credentials *credentials = nullptr;
	std::string region;
	std::string service;
	std::chrono::system_clock::time_point time;
	SigningSettings settings;
};

/// What sign() produces: what to add to the request, and every stage for
/// diagnostics. Never log `headers`/`queryParams` or `signature` unredacted.
struct SigningOutput {
	HttpHeaders headers; ///< header mode: to set, replacing same-named ones (see applyHeaders)
	std::vector<std::pair<std::string, std::string>> queryParams; ///< query mode: encoded name/value to append
	std::string canonicalRequest;
	std::string stringToSign;
	std::string signature; ///< 64 lowercase hex digits
};

/// "20150830T123600Z"
std::string amzDate(std::chrono::system_clock::time_point t);
/// "20150830/us-east-1/service/aws4_request"
std::string credentialScope(std::chrono::system_clock::time_point t, std::string_view region,
			    std::string_view service);
/// The canonical request text (stage 1) after the signer's own additions
/// (X-Amz-Date, token, content hash, query parameters) are applied to \a req.
std::string canonicalRequest(const SignableRequest &req, const SigningParams &params);
/// Stage 2.
std::string stringToSign(std::chrono::system_clock::time_point t, std::string_view scope,
			 std::string_view canonicalRequestText);
/// Stage 3: kSigning, raw 32 bytes. Cached per (secret, date, region, service).
std::string signingKey(std::string_view secret, std::string_view date, std::string_view region,
		       std::string_view service);
/// Stage 4: hex HMAC of \a stringToSignText under \a key.
std::string signature(std::string_view key, std::string_view stringToSignText);

/// All four stages, and what to add to the request. Every header of \a req is
/// signed except Authorization, User-Agent, Expect and X-Amzn-Trace-Id; the
/// signer's own (X-Amz-Date, X-Amz-Security-Token, x-amz-content-sha256) replace
/// any already there. Throws Error when \a req has no Host header or
/// \a params has no credentials. Safe to call from many threads at once.
SigningOutput sign(const SignableRequest &req, const SigningParams &params);

/// Set \a out's headers on \a headers, replacing any of the same name (header mode).
void applyHeaders(HttpHeaders &headers, const SigningOutput &out);

/// The secret for an access key id, or nullopt when unknown.
using SecretLookup = std::function<std::optional<std::string>(std::string_view accessKeyId)>;

enum class VerifyStatus {
	Ok,
	Missing,           ///< no Authorization header
	Malformed,         ///< an Authorization header that does not parse
	UnknownAccessKey,
	TimeSkewed,        ///< X-Amz-Date further than the allowed skew from now
	SignatureMismatch,
};

struct VerifyResult {
	VerifyStatus status = VerifyStatus::Missing;
	std::string accessKeyId;
	std::string region;
	std::string service;
	std::string message; ///< what is wrong, in AWS's words where it has some
};

/// Check a received request's Authorization header (header mode) the way AWS
/// does for a non-S3 service: recompute the signature over the signed headers
/// it names (paths normalized and double-encoded; x-amz-content-sha256, when
/// sent, must match the body) and compare in constant time. Checks in order:
/// Missing, Malformed (incl. X-Amz-Date), TimeSkewed, UnknownAccessKey, then
/// SignatureMismatch. A bad request is a status, never an exception; only
/// \a lookup, or an OpenSSL failure (Error), can throw.
VerifyResult verify(const SignableRequest &received, const SecretLookup &lookup,
		    std::chrono::system_clock::time_point now,
		    std::chrono::seconds allowedSkew = std::chrono::minutes(5));

} // namespace mwaatok::sigv4

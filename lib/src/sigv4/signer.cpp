#include "mwaatok/sigv4.h"

#include <algorithm>

#include "core/crypto.h"
#include "core/strings.h"
#include "mwaatok/error.h"
#include "mwaatok/time.h"
#include "mwaatok/url.h"
#include "sigv4/canonical_request.h"
#include "sigv4/signer.h"
#include "sigv4/signing_key.h"

namespace mwaatok::sigv4 {

namespace {

using namespace std::chrono;
using detail::CanonicalHeader;
using detail::QueryParam;

constexpr std::string_view algorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view emptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr std::string_view unsignedPayload = "UNSIGNED-PAYLOAD";
constexpr seconds maxPresignedExpiry = hours(24 * 7);

void appendDigits(char *out, unsigned value, int width)
{
	for (int i = width - 1; i >= 0; --i) {
		out[i] = static_cast<char>('0' + value % 10);
		value /= 10;
	}
}

std::string joined(std::initializer_list<std::string_view> parts, char separator)
{
	size_t size = parts.size();
	for (auto part : parts)
		size += part.size();
	std::string out;
	out.reserve(size);
	bool first = true;
	for (auto part : parts) {
		if (!first)
			out += separator;
		out += part;
		first = false;
	}
	return out;
}

std::string scopeFor(std::string_view date8, std::string_view region, std::string_view service)
{
	return joined({ date8, region, service, "aws4_request" }, '/');
}

// Everything the canonical request and the output are built from.
struct Prepared {
	std::string date;
	std::string scope;
	std::string_view payloadHash; ///< a constant, the settings' hash, or payloadStorage
	std::string payloadStorage;
	std::vector<CanonicalHeader> headers;
	std::string signedHeaders;
	std::vector<QueryParam> extraQuery;
};

// Fills \a p in place: its headers borrow from p.date and p.payloadHash, so it must not move.
void prepare(const SignableRequest &req, const SigningParams &params, Prepared &p)
{
	if (!params.credentials)
		throw Error(ErrorKind::Internal, "sigv4: no credentials given to sign with");
	const Credentials &creds = *params.credentials;
	const SigningSettings &s = params.settings;
	const bool headerMode = s.location == SignatureLocation::Headers;
	const bool hasToken = !creds.sessionToken.empty();

	p.date = amzDate(params.time);
	p.scope = scopeFor(std::string_view(p.date).substr(0, 8), params.region, params.service);
	switch (s.payload) {
	case PayloadMode::Hash:
		// A payload hash the request carries is the one signed (botocore, smithy).
		if (auto given = std::find_if(req.headers.begin(), req.headers.end(),
					      [](const HttpHeader &h) { return iequals(h.name, "x-amz-content-sha256"); });
		    given != req.headers.end()) {
			p.payloadHash = given->value;
		} else if (req.body.empty()) {
			p.payloadHash = emptySha256;
		} else {
			p.payloadStorage = crypto::sha256Hex(req.body);
			p.payloadHash = p.payloadStorage;
		}
		break;
	case PayloadMode::Unsigned:
		p.payloadHash = unsignedPayload;
		break;
	case PayloadMode::Given:
		if (s.payloadHash.empty())
			throw Error(ErrorKind::Internal, "sigv4: payload mode 'given' needs a payload hash");
		p.payloadHash = s.payloadHash;
		break;
	}

	p.headers.reserve(req.headers.size() + 3);
	bool hasHost = false;
	for (const auto &h : req.headers) {
		std::string name = toLower(trim(h.name));
		if (detail::isUnsignedHeader(name))
			continue;
		// Headers the signer sets itself are replaced, not signed twice.
		if (headerMode && (name == "x-amz-date" ||
				   (s.addContentSha256Header && name == "x-amz-content-sha256")))
			continue;
		if (hasToken && name == "x-amz-security-token")
			continue;
		hasHost = hasHost || name == "host";
		p.headers.emplace_back(std::move(name)).addValue(h.value);
	}
	if (!hasHost)
		throw Error(ErrorKind::Internal, "sigv4: the request to sign has no host header");
	if (headerMode) {
		p.headers.emplace_back("x-amz-date").addValue(p.date);
		if (hasToken && s.signSessionToken)
			p.headers.emplace_back("x-amz-security-token").addValue(creds.sessionToken);
		if (s.addContentSha256Header)
			p.headers.emplace_back("x-amz-content-sha256").addValue(p.payloadHash);
	}
	detail::sortAndMerge(p.headers);
	p.signedHeaders = detail::signedHeaderList(p.headers);

	if (!headerMode) {
		if (s.expires < seconds(1) || s.expires > maxPresignedExpiry)
			throw Error(ErrorKind::Usage,
				    "a presigned url must expire between 1 second and 7 days after signing");
		// In sorted order, so the canonical query needs no sort when the request has none.
		p.extraQuery.reserve(7);
		p.extraQuery.emplace_back("X-Amz-Algorithm", algorithm);
		p.extraQuery.emplace_back("X-Amz-Credential", uriEncode(creds.accessKeyId + "/" + p.scope));
		p.extraQuery.emplace_back("X-Amz-Date", p.date);
		p.extraQuery.emplace_back("X-Amz-Expires", std::to_string(s.expires.count()));
		if (hasToken && s.signSessionToken)
			p.extraQuery.emplace_back("X-Amz-Security-Token", uriEncode(creds.sessionToken));
		p.extraQuery.emplace_back("X-Amz-SignedHeaders", uriEncode(p.signedHeaders));
	}
}

std::string buildStringToSign(std::string_view date, std::string_view scope, std::string_view canonicalRequestText)
{
	return joined({ algorithm, date, scope, crypto::sha256Hex(canonicalRequestText) }, '\n');
}

std::string assemble(const SignableRequest &req, const SigningParams &params, const Prepared &p)
{
	detail::CanonicalParts parts;
	parts.method = req.method;
	parts.path = req.path;
	parts.normalizePath = params.settings.normalizePath;
	parts.doubleUriEncode = params.settings.doubleUriEncode;
	parts.query = req.query;
	parts.extraQuery = &p.extraQuery;
	parts.headers = &p.headers;
	parts.signedHeaders = p.signedHeaders;
	parts.payloadHash = p.payloadHash;
	return detail::assemble(parts);
}

} // namespace

std::string amzDate(system_clock::time_point t)
{
	auto secs = floor<seconds>(t);
	auto day = floor<days>(secs);
	year_month_day ymd{ day };
	hh_mm_ss hms{ secs - day };
	std::string out(16, '\0');
	appendDigits(&out[0], static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
	appendDigits(&out[4], static_cast<unsigned>(ymd.month()), 2);
	appendDigits(&out[6], static_cast<unsigned>(ymd.day()), 2);
	out[8] = 'T';
	appendDigits(&out[9], static_cast<unsigned>(hms.hours().count()), 2);
	appendDigits(&out[11], static_cast<unsigned>(hms.minutes().count()), 2);
	appendDigits(&out[13], static_cast<unsigned>(hms.seconds().count()), 2);
	out[15] = 'Z';
	return out;
}

std::string credentialScope(system_clock::time_point t, std::string_view region, std::string_view service)
{
	const std::string date = amzDate(t);
	return scopeFor(std::string_view(date).substr(0, 8), region, service);
}

std::string canonicalRequest(const SignableRequest &req, const SigningParams &params)
{
	Prepared p;
	prepare(req, params, p);
	return assemble(req, params, p);
}

std::string stringToSign(system_clock::time_point t, std::string_view scope, std::string_view canonicalRequestText)
{
	return buildStringToSign(amzDate(t), scope, canonicalRequestText);
}

std::string signingKey(std::string_view secret, std::string_view date, std::string_view region,
		       std::string_view service)
{
	return std::string(crypto::view(detail::cachedSigningKey(secret, date, region, service)));
}

std::string signature(std::string_view key, std::string_view stringToSignText)
{
	return hexEncode(crypto::view(crypto::hmacSha256(key, stringToSignText)));
}

SigningOutput sign(const SignableRequest &req, const SigningParams &params)
{
	return detail::sign(req, params, detail::KeyCacheUse::Use);
}

void applyHeaders(HttpHeaders &headers, const SigningOutput &out)
{
	for (const auto &add : out.headers) {
		std::erase_if(headers, [&](const HttpHeader &h) { return iequals(h.name, add.name); });
		headers.push_back(add);
	}
}

namespace detail {

std::string payloadHash(std::string_view body)
{
	return body.empty() ? std::string(emptySha256) : crypto::sha256Hex(body);
}

std::optional<system_clock::time_point> parseAmzDate(std::string_view text)
{
	auto t = time::parseIsoBasic(text);
	if (!t)
		return std::nullopt;
	// system_clock counts nanoseconds on 64 bits: years 1678 to 2261 (a year
	// such as 1015 overflowed; found by fuzz_sigv4_verify).
	int y = static_cast<int>(year_month_day{ floor<days>(*t) }.year());
	if (y < 1700 || y > 2200)
		return std::nullopt;
	return system_clock::time_point(*t);
}

SigningOutput sign(const SignableRequest &req, const SigningParams &params, KeyCacheUse cache)
{
	Prepared p;
	prepare(req, params, p);
	const Credentials &creds = *params.credentials;
	SigningOutput out;
	out.canonicalRequest = assemble(req, params, p);
	out.stringToSign = buildStringToSign(p.date, p.scope, out.canonicalRequest);
	std::string_view date = std::string_view(p.date).substr(0, 8);
	crypto::Digest key = cache == KeyCacheUse::Use
				     ? cachedSigningKey(creds.secretAccessKey, date, params.region, params.service)
				     : deriveSigningKey(creds.secretAccessKey, date, params.region, params.service);
	out.signature = hexEncode(crypto::view(crypto::hmacSha256(crypto::view(key), out.stringToSign)));

	const SigningSettings &s = params.settings;
	const bool hasToken = !creds.sessionToken.empty();
	if (s.location == SignatureLocation::Headers) {
		std::string auth;
		auth.reserve(algorithm.size() + creds.accessKeyId.size() + p.scope.size() + p.signedHeaders.size() +
			     out.signature.size() + 48);
		auth += algorithm;
		auth += " Credential=";
		auth += creds.accessKeyId;
		auth += '/';
		auth += p.scope;
		auth += ", SignedHeaders=";
		auth += p.signedHeaders;
		auth += ", Signature=";
		auth += out.signature;
		out.headers.reserve(4);
		out.headers.push_back({ "X-Amz-Date", std::move(p.date) });
		if (hasToken)
			out.headers.push_back({ "X-Amz-Security-Token", creds.sessionToken });
		if (s.addContentSha256Header)
			out.headers.push_back({ "x-amz-content-sha256", std::string(p.payloadHash) });
		out.headers.push_back({ "Authorization", std::move(auth) });
	} else {
		out.queryParams = std::move(p.extraQuery);
		if (hasToken && !s.signSessionToken)
			out.queryParams.emplace_back("X-Amz-Security-Token", uriEncode(creds.sessionToken));
		out.queryParams.emplace_back("X-Amz-Signature", out.signature);
	}
	return out;
}

} // namespace detail

} // namespace mwaatok::sigv4

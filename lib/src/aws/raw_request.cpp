#include "mwaatok/raw_request.h"

#include <optional>
#include <set>

#include "core/strings.h"
#include "mwaatok/error.h"
#include "mwaatok/syntax.h"

namespace mwaatok {

namespace {

[[noreturn]] void bad(const std::string &message)
{
	throw Error(ErrorKind::Usage, message);
}

/// The signing name an endpoint label stands for ("s3-accesspoint" -> "s3").
std::string signingName(std::string label)
{
	if (endsWith(label, "-fips"))
		label.erase(label.size() - 5);
	if (label == "s3-accesspoint" || label == "s3-control")
		return "s3";
	return label;
}

/// S3's legacy dash-region labels: "s3-eu-west-1", "s3-external-1", "s3-fips-us-gov-west-1".
std::optional<std::string> legacyS3Region(std::string_view label)
{
	if (label == "s3-external-1")
		return "us-east-1";
	for (std::string_view prefix : { "s3-fips-", "s3-" })
		if (label.substr(0, prefix.size()) == prefix && isRegionCode(label.substr(prefix.size())))
			return std::string(label.substr(prefix.size()));
	return std::nullopt;
}

/// \a url with every byte outside US-ASCII in its path and query percent-encoded,
/// as the SDKs send it (the host is left alone: IDN is not for this tool).
std::string encodeNonAscii(std::string_view url)
{
	auto schemeEnd = url.find("://");
	size_t tail = schemeEnd == std::string_view::npos ? 0 : url.find_first_of("/?#", schemeEnd + 3);
	if (tail == std::string_view::npos)
		return std::string(url);
	std::string out(url.substr(0, tail));
	for (char c : url.substr(tail)) {
		if (static_cast<unsigned char>(c) < 0x80)
			out += c;
		else
			out += uriEncode(std::string_view(&c, 1));
	}
	return out;
}

} // namespace

bool isValidUtf8(std::string_view s)
{
	size_t i = 0;
	while (i < s.size()) {
		auto c = static_cast<unsigned char>(s[i]);
		size_t n;
		unsigned cp;
		if (c < 0x80) {
			++i;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + n >= s.size())
			return false;
		for (size_t k = 1; k <= n; ++k) {
			auto cc = static_cast<unsigned char>(s[i + k]);
			if ((cc & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (cc & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

std::pair<std::string, std::string> inferServiceAndRegion(std::string_view host)
{
	std::string h = toLower(host);
	if (auto colon = h.rfind(':'); colon != std::string::npos && h.find(']') == std::string::npos)
		h.erase(colon);
	static const std::vector<std::string> suffixes = { ".amazonaws.com.cn", ".amazonaws.com", ".api.aws",
							   ".api.amazonwebservices.com.cn", ".on.aws" };
	std::string rest;
	for (const auto &suffix : suffixes) {
		if (endsWith(h, suffix)) {
			rest = h.substr(0, h.size() - suffix.size());
			break;
		}
	}
	if (rest.empty())
		return {};
	auto labels = split(rest, '.');
	// Legacy S3 endpoints: bucket.s3-eu-west-1.amazonaws.com, s3-external-1.amazonaws.com.
	// The last label only: a bucket may be named like an endpoint.
	if (auto region = legacyS3Region(labels.back()))
		return { "s3", *region };
	// From the right, for the same reason (us-east-1.s3.eu-west-1.amazonaws.com).
	for (size_t i = labels.size(); i-- > 0;) {
		if (!isRegionCode(labels[i]))
			continue;
		// Dual-stack and FIPS labels sit between the service and the region:
		// bucket.s3.dualstack.eu-west-1, s3-fips.dualstack.us-east-1.
		size_t s = i;
		while (s > 0 && (labels[s - 1] == "dualstack" || labels[s - 1] == "fips"))
			--s;
		std::string service = s > 0 ? signingName(std::string(labels[s - 1])) : "";
		return { service, std::string(labels[i]) };
	}
	// Global endpoints: sts.amazonaws.com, iam.amazonaws.com, s3.amazonaws.com ...
	size_t last = labels.size();
	while (last > 1 && labels[last - 1] == "dualstack")
		--last;
	return { signingName(std::string(labels[last - 1])), "us-east-1" };
}

std::pair<AwsRequest, CallOptions> prepareRawRequest(const RawRequestSpec &spec)
{
	static const std::set<std::string> methods = { "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS" };
	std::string method = spec.method;
	for (char &c : method)
		if (c >= 'a' && c <= 'z')
			c = static_cast<char>(c - 'a' + 'A');
	if (!methods.count(method))
		bad("unknown HTTP method '" + spec.method + "' (expected GET, HEAD, POST, PUT, DELETE, PATCH or OPTIONS)");
	if (!isValidUtf8(spec.url))
		bad("the URL is not valid UTF-8");

	AwsRequest req;
	req.method = method;
	req.url = Url::parse(encodeNonAscii(spec.url));
	std::optional<std::string> contentSha256;
	for (const auto &line : spec.headers) {
		if (!isValidUtf8(line))
			bad("header '" + line.substr(0, line.find(':')) + "' is not valid UTF-8");
		auto colon = line.find(':');
		if (colon == std::string::npos)
			bad("header '" + line + "' has no colon (expected 'Name: value')");
		std::string name(trim(line.substr(0, colon)));
		if (name.empty())
			bad("header '" + line + "' has an empty name");
		for (char c : name)
			if (!isHttpTokenChar(c))
				bad("header name '" + name + "' has a character not allowed in header names");
		std::string value(trim(line.substr(colon + 1)));
		for (char c : value)
			if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
				bad("header '" + name + "' has a control character in its value (a line break, NUL or "
					"escape); remove it");
		if (iequals(name, "host"))
			bad("header 'Host' is set from the URL; put the host name in the URL instead");
		// X-Amz-Date (and X-Amz-Security-Token, with temporary credentials) are
		// replaced by the signer's, as the SDKs do; an Authorization header of
		// one's own would be silently lost, so it is refused.
		if (iequals(name, "authorization"))
			bad("header '" + name + "' is added by the signer; remove it");
		// The payload hash the user gives is the one signed and sent, once (as the SDKs do).
		if (iequals(name, "x-amz-content-sha256")) {
			if (contentSha256)
				bad("header 'x-amz-content-sha256' is given twice; give it once");
			if (value.empty())
				bad("header 'x-amz-content-sha256' is empty; give the payload's SHA-256 (hex) or UNSIGNED-PAYLOAD");
			contentSha256 = value;
			continue;
		}
		req.headers.push_back({ name, value });
	}
	req.body = spec.body;

	CallOptions options;
	auto [service, region] = inferServiceAndRegion(req.url.host);
	options.service = spec.service ? *spec.service : service;
	options.region = !spec.region.empty() ? spec.region : !region.empty() ? region : spec.fallbackRegion;
	if (options.service.empty())
		bad("cannot tell the signing service from host '" + req.url.host + "'; give --service NAME");
	if (options.region.empty())
		bad("cannot tell the region from host '" + req.url.host + "'; give --region REGION or set AWS_REGION");
	if (spec.unsignedPayload) {
		options.signing.payload = sigv4::PayloadMode::Unsigned;
		options.signing.addContentSha256Header = true;
	}
	if (options.service == "s3") {
		// S3 signs the path as sent and wants the payload hash header.
		options.signing.normalizePath = false;
		options.signing.doubleUriEncode = false;
		options.signing.addContentSha256Header = true;
	}
	if (contentSha256 && !spec.unsignedPayload) {
		options.signing.payload = sigv4::PayloadMode::Given;
		options.signing.payloadHash = *contentSha256;
		options.signing.addContentSha256Header = true;
	}
	return { std::move(req), std::move(options) };
}

} // namespace mwaatok

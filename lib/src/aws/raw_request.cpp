#include "mwaatok/raw_request.h"

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
	for (size_t i = 0; i < labels.size(); ++i) {
		if (!isRegionCode(labels[i]))
			continue;
		std::string service = i > 0 ? std::string(labels[i - 1]) : "";
		if (endsWith(service, "-fips"))
			service.erase(service.size() - 5);
		return { service, std::string(labels[i]) };
	}
	// Global endpoints: sts.amazonaws.com, iam.amazonaws.com, s3.amazonaws.com ...
	std::string service(labels.back());
	if (endsWith(service, "-fips"))
		service.erase(service.size() - 5);
	return { service, "us-east-1" };
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
	req.url = Url::parse(spec.url);
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
			if (c == '\r' || c == '\n' || c == '\0')
				bad("header '" + name + "' has a line break or NUL in its value");
		if (iequals(name, "host"))
			bad("header 'Host' is set from the URL; put the host name in the URL instead");
		if (iequals(name, "authorization") || iequals(name, "x-amz-date") ||
		    iequals(name, "x-amz-security-token"))
			bad("header '" + name + "' is added by the signer; remove it");
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
	return { std::move(req), std::move(options) };
}

} // namespace mwaatok

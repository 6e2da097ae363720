#include "test_support.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "core/strings.h"
#include "sigv4/signer.h"

namespace mwaatok::test {

sigv4::SignableRequest ParsedRequest::signable() const
{
	return { method, path, query, headers, body };
}

sigv4::SigningParams signingParams(const Credentials &creds, std::string region, std::string service,
				   const std::string &amzDate)
{
	sigv4::SigningParams p;
	p.credentials = &creds;
	p.region = std::move(region);
	p.service = std::move(service);
	p.time = parseTime(amzDate);
	return p;
}

sigv4::SigningParams AwsCAuthContext::params(bool queryMode) const
{
	sigv4::SigningParams p = signingParams(credentials, region, service, time);
	auto &s = p.settings;
	s.location = queryMode ? sigv4::SignatureLocation::QueryParams : sigv4::SignatureLocation::Headers;
	s.normalizePath = normalize;
	// The aws-c-auth harness always double-encodes.
	s.doubleUriEncode = true;
	s.signSessionToken = !omitSessionToken;
	s.addContentSha256Header = signBody && !queryMode;
	s.expires = expires;
	return p;
}

AwsCAuthContext loadAwsCAuthContext(const std::string &dir)
{
	Poco::JSON::Parser parser;
	auto ctx = parser.parse(readText(dir + "/context.json")).extract<Poco::JSON::Object::Ptr>();
	auto creds = ctx->getObject("credentials");
	AwsCAuthContext c;
	c.credentials.accessKeyId = creds->getValue<std::string>("access_key_id");
	c.credentials.secretAccessKey = creds->getValue<std::string>("secret_access_key");
	if (creds->has("token"))
		c.credentials.sessionToken = creds->getValue<std::string>("token");
	c.region = ctx->getValue<std::string>("region");
	c.service = ctx->getValue<std::string>("service");
	c.time = ctx->getValue<std::string>("timestamp");
	std::erase(c.time, '-');
	std::erase(c.time, ':');
	c.normalize = ctx->getValue<bool>("normalize");
	c.signBody = ctx->getValue<bool>("sign_body");
	c.omitSessionToken = ctx->has("omit_session_token") && ctx->getValue<bool>("omit_session_token");
	c.expires = std::chrono::seconds(ctx->getValue<int>("expiration_in_seconds"));
	return c;
}

std::string dataDir()
{
	const char *d = std::getenv("MWAATOK_TEST_DATA");
	return d ? std::string(d) + "/sigv4" : std::string();
}

std::string readText(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	if (!in)
		throw std::runtime_error("cannot read " + path);
	std::ostringstream ss;
	ss << in.rdbuf();
	std::string s = ss.str();
	s.erase(std::remove(s.begin(), s.end(), '\r'), s.end());
	return s;
}

bool exists(const std::string &path)
{
	return std::filesystem::exists(path);
}

std::vector<std::string> subdirectories(const std::string &dir)
{
	std::vector<std::string> out;
	std::error_code ec;
	for (const auto &e : std::filesystem::directory_iterator(dir, ec))
		if (e.is_directory())
			out.push_back(e.path().filename().string());
	std::sort(out.begin(), out.end());
	return out;
}

ParsedRequest parseRequest(const std::string &text)
{
	ParsedRequest r;
	size_t lineEnd = text.find('\n');
	std::string first = text.substr(0, lineEnd);
	size_t sp = first.find(' ');
	r.method = first.substr(0, sp);
	std::string target = first.substr(sp + 1);
	// Some requests omit the protocol; the target itself may hold spaces.
	if (endsWith(target, " HTTP/1.1"))
		target.resize(target.size() - 9);
	size_t q = target.find('?');
	r.path = target.substr(0, q);
	if (q != std::string::npos)
		r.query = target.substr(q + 1);

	size_t pos = lineEnd == std::string::npos ? text.size() : lineEnd + 1;
	while (pos < text.size()) {
		size_t end = text.find('\n', pos);
		std::string line = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
		pos = end == std::string::npos ? text.size() : end + 1;
		if (line.empty()) {
			r.body = text.substr(pos);
			break;
		}
		if ((line[0] == ' ' || line[0] == '\t') && !r.headers.empty()) {
			r.headers.back().value += "\n" + line;
			continue;
		}
		size_t colon = line.find(':');
		if (colon == std::string::npos)
			throw std::runtime_error("bad header line: " + line);
		r.headers.push_back({ line.substr(0, colon), line.substr(colon + 1) });
	}
	return r;
}

std::chrono::system_clock::time_point parseTime(const std::string &amzDate)
{
	auto t = sigv4::detail::parseAmzDate(amzDate);
	if (!t)
		throw std::runtime_error("bad time " + amzDate);
	return *t;
}

std::string headerValue(const HttpHeaders &headers, std::string_view name)
{
	for (const auto &h : headers)
		if (iequals(h.name, name))
			return h.value;
	return {};
}

std::string querySignature(const std::string &text)
{
	auto p = text.find("X-Amz-Signature=");
	if (p == std::string::npos)
		return {};
	p += 16;
	auto e = text.find_first_of("& \n", p);
	return text.substr(p, e == std::string::npos ? std::string::npos : e - p);
}

std::string authorizationLine(const std::string &text)
{
	for (std::string_view line : split(text, '\n'))
		if (startsWith(line, "Authorization:"))
			return std::string(trim(line.substr(14)));
	return {};
}

} // namespace mwaatok::test

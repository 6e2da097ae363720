#include "net/wire.h"

#include <openssl/evp.h>

#include <charconv>
#include <vector>

#include "core/strings.h"
#include "mwaatok/error.h"
#include "mwaatok/syntax.h"

namespace mwaatok::net {

namespace {

bool bodyExpected(std::string_view method)
{
	return method == "POST" || method == "PUT" || method == "PATCH";
}

} // namespace

std::string serializeRequest(const HttpRequest &request, std::string_view target,
			     std::string_view authority, std::string_view extraHeaderLine)
{
	if (!isHttpToken(request.method))
		throw Error(ErrorKind::Internal, "invalid http method '" + request.method + "'");
	std::string out;
	out.reserve(256 + request.body.size());
	out.append(request.method).append(" ").append(target).append(" HTTP/1.1\r\n");
	if (!findHeader(request.headers, "Host"))
		out.append("Host: ").append(authority).append("\r\n");
	for (const auto &h : request.headers) {
		if (!isHttpToken(h.name))
			throw Error(ErrorKind::Internal, "invalid http header name '" + h.name + "'");
		// The value is not named: it may be a secret.
		for (char c : h.value)
			if (c == '\r' || c == '\n' || c == '\0')
				throw Error(ErrorKind::Internal, "the value of http header '" + h.name +
									 "' contains a line break or nul");
		if (iequals(h.name, "Content-Length"))
			continue;
		out.append(h.name).append(": ").append(h.value).append("\r\n");
	}
	out.append(extraHeaderLine);
	if (!request.body.empty() || bodyExpected(request.method))
		out.append("Content-Length: ").append(std::to_string(request.body.size())).append("\r\n");
	out.append("\r\n");
	out.append(request.body);
	return out;
}

std::string proxyAuthorizationLine(std::string_view username, std::string_view password)
{
	std::string plain = std::string(username) + ":" + std::string(password);
	std::vector<unsigned char> encoded(4 * ((plain.size() + 2) / 3) + 1);
	int n = EVP_EncodeBlock(encoded.data(), reinterpret_cast<const unsigned char *>(plain.data()),
				static_cast<int>(plain.size()));
	return "Proxy-Authorization: Basic " +
	       std::string(reinterpret_cast<const char *>(encoded.data()), static_cast<size_t>(n)) + "\r\n";
}

std::optional<std::uint64_t> parseContentLength(std::string_view value)
{
	value = trim(value);
	std::uint64_t n = 0;
	auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
	if (value.empty() || ec != std::errc() || p != value.data() + value.size())
		return std::nullopt;
	return n;
}

std::optional<std::uint64_t> parseChunkSize(std::string_view line)
{
	std::string_view size = trim(line.substr(0, line.find(';')));
	std::uint64_t n = 0;
	auto [p, ec] = std::from_chars(size.data(), size.data() + size.size(), n, 16);
	if (size.empty() || ec != std::errc() || p != size.data() + size.size())
		return std::nullopt;
	return n;
}

bool hasToken(std::string_view value, std::string_view token)
{
	for (auto part : split(value, ','))
		if (iequals(trim(part), token))
			return true;
	return false;
}

} // namespace mwaatok::net

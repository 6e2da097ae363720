#include "net/response_reader.h"

#include <Poco/Net/HTTPResponse.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <sstream>

#include "core/strings.h"
#include "net/connection_pool.h"
#include "net/wire.h"

namespace mwaatok::net {

namespace {

// Longest response head line and whole head accepted.
constexpr size_t maxLineBytes = 16 * 1024;
constexpr size_t maxHeadBytes = 256 * 1024;
// Interim (1xx) answers accepted before the final one: a server may send
// 100 Continue and 103 Early Hints, not an endless stream of them.
constexpr int maxInterimResponses = 16;

/// The status code of the status line at the start of \a head, or -1.
int statusCode(std::string_view head)
{
	size_t sp = head.find(' ');
	if (sp == std::string_view::npos)
		return -1;
	std::string_view rest = head.substr(sp + 1);
	rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
	int code = 0;
	auto [end, ec] = std::from_chars(rest.data(), rest.data() + std::min<size_t>(rest.size(), 3), code);
	return ec == std::errc() && end == rest.data() + 3 ? code : -1;
}

bool keepAlive(const Poco::Net::HTTPResponse &head)
{
	std::string connection = head.get("Connection", "");
	if (hasToken(connection, "close"))
		return false;
	if (head.getVersion() == "HTTP/1.0")
		return hasToken(connection, "keep-alive");
	return true;
}

} // namespace

HttpResponse ResponseReader::read(bool headRequest, bool &reusable)
{
	Poco::Net::HTTPResponse head;
	int status = 0;
	for (int interim = 0;; ++interim) {
		if (interim > maxInterimResponses)
			throw protocol("more than " + std::to_string(maxInterimResponses) + " interim (1xx) responses");
		head.clear();
		std::istringstream in(readHead());
		head.read(in);
		if (head.getVersion().rfind("HTTP/1.", 0) != 0)
			throw protocol("not an http/1.x response");
		// Not head.getStatus(): Poco keeps the code in an enum, and reading
		// a code it does not list (e.g. 798) is undefined behaviour.
		status = statusCode(in.str());
		if (status < 100 || status > 599)
			throw protocol("invalid status code " + std::to_string(status));
		if (status >= 200 || status == 101)
			break;
	}

	HttpResponse response;
	response.status = status;
	response.reason = head.getReason();
	for (const auto &[name, value] : head)
		response.headers.push_back({ name, value });

	reusable = keepAlive(head);
	if (headRequest || status < 200 || status == 204 || status == 304)
		return response;
	if (auto te = response.header("Transfer-Encoding")) {
		auto codings = split(*te, ',');
		if (iequals(trim(codings.back()), "chunked")) {
			readChunked(response.body);
		} else {
			reusable = false;
			readUntilClose(response.body);
		}
		return response;
	}
	std::optional<std::uint64_t> length;
	for (const auto &h : response.headers) {
		if (!iequals(h.name, "Content-Length"))
			continue;
		auto n = parseContentLength(h.value);
		if (!n || (length && *length != *n))
			throw protocol("invalid content-length");
		length = n;
	}
	if (length) {
		checkSize(*length, 0);
		readExact(static_cast<size_t>(*length), response.body);
	} else {
		reusable = false;
		readUntilClose(response.body);
	}
	return response;
}

NetworkError ResponseReader::protocol(const std::string &what) const
{
	return NetworkError(NetworkFailure::Protocol, "invalid http response from " + where_ + ": " + what);
}

NetworkError ResponseReader::truncated(const std::string &what) const
{
	return NetworkError(NetworkFailure::Reset, "connection to " + where_ +
							   " was closed before the response was complete (" + what + ")");
}

void ResponseReader::checkSize(std::uint64_t have, std::uint64_t more) const
{
	if (have > maxBody_ || more > maxBody_ - have)
		throw NetworkError(NetworkFailure::Protocol, "response body from " + where_ +
								     " exceeds the limit of " + std::to_string(maxBody_) +
								     " bytes");
}

std::string ResponseReader::readLine(const char *context)
{
	std::string line;
	for (;;) {
		// Not get(): it returns the byte as a plain char, so 0xFF would compare
		// equal to EOF. peek() fills the buffer (read() alone would receive one
		// byte per system call); nothing buffered after it is the end.
		if (conn_.buffered() == 0)
			conn_.peek();
		char c;
		if (conn_.buffered() == 0 || conn_.read(&c, 1) <= 0)
			throw truncated(std::string("in the ") + context);
		if (c == '\n')
			break;
		if (line.size() >= maxLineBytes)
			throw protocol(std::string("line too long in the ") + context);
		line += c;
	}
	if (!line.empty() && line.back() == '\r')
		line.pop_back();
	return line;
}

std::string ResponseReader::readHead()
{
	std::string head;
	for (int blank = 0;;) {
		std::string line = readLine("response head");
		if (line.empty() && !head.empty())
			break;
		// Tolerate a few blank lines before the status line (RFC 9112 2.2).
		if (line.empty() && ++blank <= 4)
			continue;
		if (line.empty())
			throw protocol("blank lines instead of a status line");
		head += line;
		head += "\r\n";
		if (head.size() > maxHeadBytes)
			throw protocol("response head too large");
	}
	head += "\r\n";
	return head;
}

void ResponseReader::readExact(size_t n, std::string &body)
{
	size_t start = body.size(), want = n;
	body.resize(start + n);
	while (n > 0) {
		int got = conn_.read(body.data() + body.size() - n,
				     static_cast<std::streamsize>(std::min<size_t>(n, 1 << 20)));
		if (got <= 0) {
			body.resize(body.size() - n);
			throw truncated(std::to_string(body.size() - start) + " of " + std::to_string(want) +
					" body bytes");
		}
		n -= static_cast<size_t>(got);
	}
}

void ResponseReader::readChunked(std::string &body)
{
	for (;;) {
		auto size = parseChunkSize(readLine("chunked body"));
		if (!size)
			throw protocol("invalid chunk size");
		if (*size == 0)
			break;
		checkSize(body.size(), *size);
		readExact(static_cast<size_t>(*size), body);
		if (!readLine("chunked body").empty())
			throw protocol("missing line break after a chunk");
	}
	// Trailer fields, up to the empty line.
	size_t trailer = 0;
	while (!readLine("chunked body trailer").empty())
		if (++trailer > 100)
			throw protocol("too many trailer fields");
}

void ResponseReader::readUntilClose(std::string &body)
{
	char buffer[16 * 1024];
	for (;;) {
		int got = conn_.read(buffer, sizeof buffer);
		if (got <= 0)
			return;
		checkSize(body.size(), static_cast<size_t>(got));
		body.append(buffer, static_cast<size_t>(got));
	}
}

} // namespace mwaatok::net

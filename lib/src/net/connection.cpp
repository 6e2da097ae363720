#include "net/connection.h"

#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>

#include <algorithm>
#include <charconv>
#include <sstream>

#include "core/strings.h"
#include "mwaatok/error.h"
#include "net/net_error.h"
#include "net/wire.h"

namespace mwaatok::net {

namespace {

/// Reads one response: head, then body by its framing. Poco exceptions pass
/// through; HTTP-level problems throw NetworkError directly.
class ResponseReader {
public:
	ResponseReader(Connection &conn, const std::string &where, size_t maxBody)
		: conn_(conn), where_(where), maxBody_(maxBody)
	{
	}

	HttpResponse read(bool headRequest, bool &reusable)
	{
		Poco::Net::HTTPResponse head;
		int status = 0;
		do {
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
		} while (status < 200 && status != 101);

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

private:
	/// The status code of the status line at the start of \a head, or -1.
	static int statusCode(std::string_view head)
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

	NetworkError protocol(const std::string &what) const
	{
		return NetworkError(NetworkFailure::Protocol, "invalid http response from " + where_ + ": " + what);
	}

	NetworkError truncated(const std::string &what) const
	{
		return NetworkError(NetworkFailure::Reset, "connection to " + where_ +
								   " was closed before the response was complete (" +
								   what + ")");
	}

	void checkSize(std::uint64_t have, std::uint64_t more) const
	{
		if (have > maxBody_ || more > maxBody_ - have)
			throw NetworkError(NetworkFailure::Protocol,
					   "response body from " + where_ + " exceeds the limit of " +
						   std::to_string(maxBody_) + " bytes");
	}

	/// One line without its CR LF; EOF before the LF is a truncation.
	std::string readLine(const char *context)
	{
		std::string line;
		for (;;) {
			int c = conn_.get();
			if (c == std::char_traits<char>::eof())
				throw truncated(std::string("in the ") + context);
			if (c == '\n')
				break;
			if (line.size() >= maxLineBytes)
				throw protocol(std::string("line too long in the ") + context);
			line += static_cast<char>(c);
		}
		if (!line.empty() && line.back() == '\r')
			line.pop_back();
		return line;
	}

	std::string readHead()
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

	void readExact(size_t n, std::string &body)
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

	void readChunked(std::string &body)
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

	void readUntilClose(std::string &body)
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

	static bool keepAlive(const Poco::Net::HTTPResponse &head)
	{
		std::string connection = head.get("Connection", "");
		if (hasToken(connection, "close"))
			return false;
		if (head.getVersion() == "HTTP/1.0")
			return hasToken(connection, "keep-alive");
		return true;
	}

	Connection &conn_;
	const std::string &where_;
	size_t maxBody_;
};

} // namespace

HttpResponse readResponse(Connection &conn, const std::string &where, size_t maxBody, bool headRequest,
			  bool &reusable)
{
	return ResponseReader(conn, where, maxBody).read(headRequest, reusable);
}

void sendAll(Poco::Net::StreamSocket &socket, std::string_view data)
{
	while (!data.empty()) {
		int n = socket.sendBytes(data.data(), static_cast<int>(std::min<size_t>(data.size(), 1 << 30)));
		if (n <= 0)
			throw Poco::Net::ConnectionResetException("send returned no progress");
		data.remove_prefix(static_cast<size_t>(n));
	}
}

/// Ask the proxy to open a tunnel to the route's host (HTTP CONNECT).
void openTunnel(Poco::Net::StreamSocket &socket, const Route &r)
{
	std::string target = r.url.host + ":" + std::to_string(r.url.port);
	std::string request = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n";
	if (!r.proxy->username.empty())
		request += proxyAuthorizationLine(r.proxy->username, r.proxy->password);
	request += "\r\n";
	sendAll(socket, request);
	// Byte by byte: nothing past the proxy's answer may be consumed, it
	// belongs to the TLS handshake.
	std::string head;
	while (head.find("\r\n\r\n") == std::string::npos && head.find("\n\n") == std::string::npos) {
		char c;
		if (socket.receiveBytes(&c, 1) <= 0)
			throw Poco::Net::NoMessageException("the proxy closed the connection");
		head += c;
		if (head.size() > maxLineBytes)
			throw NetworkError(NetworkFailure::Protocol, "invalid answer from " + r.connectWhere +
									     " to CONNECT: too long");
	}
	std::string_view statusLine(head.data(), head.find_first_of("\r\n"));
	auto parts = split(statusLine, ' ');
	if (parts.size() < 2 || parts[0].rfind("HTTP/1.", 0) != 0)
		throw NetworkError(NetworkFailure::Protocol,
				   "invalid answer from " + r.connectWhere + " to CONNECT");
	if (parts[1].size() != 3 || parts[1][0] != '2') {
		std::string hint = parts[1] == "407" ? "; check the proxy credentials in HTTPS_PROXY"
						     : "; check HTTPS_PROXY and NO_PROXY";
		throw NetworkError(NetworkFailure::Connect, "the " + r.connectWhere +
								    " refused to open a tunnel (status " +
								    std::string(parts[1]) + ")" + hint);
	}
}

} // namespace mwaatok::net

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mwaatok/http.h"

namespace mwaatok::net {

/// The bytes of \a request as they go on the wire: request line with \a target,
/// the request's own headers (any Content-Length replaced by the real one), Host
/// from \a authority only when the request has none, \a extraHeaderLine (a full
/// "Name: value\r\n" line or empty) and the body. Throws Error(Internal) for a
/// method or header that would corrupt the message (line breaks, bad names).
std::string serializeRequest(const HttpRequest &request, std::string_view target,
			     std::string_view authority, std::string_view extraHeaderLine);

/// "Proxy-Authorization: Basic ...\r\n" for \a username and \a password.
std::string proxyAuthorizationLine(std::string_view username, std::string_view password);

/// A Content-Length value: decimal digits only, or nullopt.
std::optional<std::uint64_t> parseContentLength(std::string_view value);

/// The size in a chunk-size line (hex, optional ";extensions"), or nullopt.
std::optional<std::uint64_t> parseChunkSize(std::string_view line);

/// True when the comma-separated header \a value lists \a token (case-insensitive).
bool hasToken(std::string_view value, std::string_view token);

} // namespace mwaatok::net

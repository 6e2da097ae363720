#pragma once

#include <chrono>
#include <string>

#include "mwaatok/error.h"

namespace Poco {
class Exception;
}

namespace mwaatok::net {

/// Where in an exchange a Poco exception was raised; the same exception means
/// different things while connecting and while reading a response.
enum class Phase {
	Connect,  ///< resolving and opening the TCP connection (or the proxy tunnel)
	Tls,      ///< the TLS handshake
	Exchange, ///< writing the request and reading the response
};

/// The NetworkError for \a exception raised in \a phase while talking to
/// \a where ("host:port", perhaps with a proxy named); \a timeout is the limit
/// that applied, for the message.
NetworkError translate(const Poco::Exception &exception, Phase phase, const std::string &where,
		       std::chrono::milliseconds timeout);

/// True when \a exception on a reused keep-alive connection, before any
/// response byte, means the server had closed it: the request may be resent.
bool isStaleConnection(const Poco::Exception &exception);

} // namespace mwaatok::net

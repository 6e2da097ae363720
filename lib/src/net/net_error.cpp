#include "net/net_error.h"

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>

#include <cctype>

namespace mwaatok::net {

namespace {

/// Poco's "Name: message" text, in lowercase like every message.
std::string detail(const Poco::Exception &e)
{
	std::string text = e.displayText();
	for (char &c : text)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return text;
}

template <typename T>
bool is(const Poco::Exception &e)
{
	return dynamic_cast<const T *>(&e) != nullptr;
}

} // namespace

NetworkError translate(const Poco::Exception &e, Phase phase, const std::string &where,
		       std::chrono::milliseconds timeout)
{
	using namespace Poco::Net;
	const std::string after = " after " + std::to_string(timeout.count()) + " ms";
	if (is<Poco::TimeoutException>(e)) {
		switch (phase) {
		case Phase::Connect:
			return NetworkError(NetworkFailure::Timeout, "timed out connecting to " + where + after);
		case Phase::Tls:
			return NetworkError(NetworkFailure::Timeout,
					    "timed out in the tls handshake with " + where + after);
		case Phase::Exchange:
			break;
		}
		return NetworkError(NetworkFailure::Timeout, "timed out waiting for a response from " + where + after);
	}
	if (is<DNSException>(e))
		return NetworkError(NetworkFailure::Resolve, "cannot resolve the host name of " + where + ": " +
								     detail(e) + "; check the endpoint URL and DNS");
	if (phase == Phase::Connect)
		return NetworkError(NetworkFailure::Connect, "cannot connect to " + where + ": " + detail(e));
	if (phase == Phase::Tls)
		return NetworkError(NetworkFailure::Tls, "tls handshake with " + where + " failed: " + detail(e) +
								 "; check that the endpoint speaks https");
	if (is<SSLConnectionUnexpectedlyClosedException>(e) || is<ConnectionResetException>(e) ||
	    is<ConnectionAbortedException>(e) || is<NoMessageException>(e))
		return NetworkError(NetworkFailure::Reset, "connection to " + where +
								   " was closed before the response was complete: " +
								   detail(e));
	if (is<SSLException>(e))
		return NetworkError(NetworkFailure::Tls, "tls error talking to " + where + ": " + detail(e));
	// Poco reports unparsable HTTP as MessageException, a NetException like the I/O errors.
	if (is<MessageException>(e))
		return NetworkError(NetworkFailure::Protocol, "invalid http response from " + where + ": " + detail(e));
	if (is<Poco::IOException>(e))
		return NetworkError(NetworkFailure::Reset, "connection to " + where + " failed: " + detail(e));
	return NetworkError(NetworkFailure::Protocol, "invalid http response from " + where + ": " + detail(e));
}

bool isStaleConnection(const Poco::Exception &e)
{
	// A slow server is not a closed one: a timeout is never retried.
	return is<Poco::IOException>(e) && !is<Poco::TimeoutException>(e) &&
	       !is<Poco::Net::MessageException>(e);
}

} // namespace mwaatok::net

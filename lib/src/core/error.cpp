#include "mwaatok/error.h"

#include "mwaatok/credentials.h"
#include "mwaatok/terminal_text.h"

namespace mwaatok {

namespace {

// Messages quote text from outside (service answers, child processes): each
// is escaped for the terminal and, as a last resort, cut at this length.
constexpr size_t kErrorTextLimit = 4 * kServiceTextLimit;

} // namespace

Error::Error(ErrorKind kind, const std::string &message)
	: std::runtime_error(terminalText(message, kErrorTextLimit)), kind_(kind)
{
}

NetworkError::NetworkError(NetworkFailure failure, const std::string &message)
	: Error(ErrorKind::Network, message), failure_(failure)
{
}

ServiceError::ServiceError(int status, std::string code, std::string serviceMessage,
			   std::string requestId, const std::string &message)
	: Error(ErrorKind::Service, message), status_(status), code_(terminalText(code, kServiceTextLimit)),
	  serviceMessage_(terminalText(serviceMessage, kServiceTextLimit)),
	  requestId_(terminalText(requestId, kServiceTextLimit))
{
}

int exitStatusFor(ErrorKind kind) noexcept
{
	switch (kind) {
	case ErrorKind::Usage:
	case ErrorKind::Config:
		return 2;
	case ErrorKind::Credentials:
		return 3;
	case ErrorKind::Network:
	case ErrorKind::Service:
	case ErrorKind::Io:
	case ErrorKind::Plugin:
	case ErrorKind::Internal:
		break;
	}
	return 1;
}

std::ostream &operator<<(std::ostream &os, const Credentials &c)
{
	os << "Credentials{access_key_id: " << c.accessKeyId
	   << ", secret_access_key: ** redacted **"
	   << ", session_token: " << (c.sessionToken.empty() ? "(none)" : "** redacted **")
	   << ", source: " << c.source << "}";
	return os;
}

} // namespace mwaatok

#include "mwaatok/error.h"

#include "mwaatok/credentials.h"

namespace mwaatok {

Error::Error(ErrorKind kind, const std::string &message)
	: std::runtime_error(message), kind_(kind)
{
}

NetworkError::NetworkError(NetworkFailure failure, const std::string &message)
	: Error(ErrorKind::Network, message), failure_(failure)
{
}

ServiceError::ServiceError(int status, std::string code, std::string serviceMessage,
			   std::string requestId, const std::string &message)
	: Error(ErrorKind::Service, message), status_(status), code_(std::move(code)),
	  serviceMessage_(std::move(serviceMessage)), requestId_(std::move(requestId))
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

#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace mwaatok {

/// What kind of failure an Error is; the command line maps it to an exit status.
enum class ErrorKind {
	Usage,       ///< bad command line (exit 2)
	Config,      ///< bad configuration file or setting (exit 2)
	Credentials, ///< no credentials, or a credential source failed (exit 3)
	Network,     ///< could not talk to an endpoint (exit 1)
	Service,     ///< the service answered with an error (exit 1)
	Io,          ///< a local file could not be read or written (exit 1)
	Plugin,      ///< an output plugin failed (exit 1)
	Internal,    ///< a bug (exit 1)
};

/// Every error the library reports. The message is one line, lowercase, and
/// never contains a secret.
class Error : public std::runtime_error {
public:
	Error(ErrorKind kind, const std::string &message);

	ErrorKind kind() const noexcept { return kind_; }

private:
	ErrorKind kind_;
};

/// Why a network exchange failed; decides whether a retry may help.
enum class NetworkFailure {
	Resolve,  ///< the host name did not resolve
	Connect,  ///< connection refused or unreachable
	Timeout,  ///< connect or read timed out
	Reset,    ///< the connection was closed or reset mid-exchange
	Tls,      ///< the TLS handshake or certificate check failed
	Protocol, ///< the peer did not speak HTTP
};

class NetworkError : public Error {
public:
	NetworkError(NetworkFailure failure, const std::string &message);

	NetworkFailure failure() const noexcept { return failure_; }

private:
	NetworkFailure failure_;
};

/// An error answer from an AWS service (rest-json / query protocols).
class ServiceError : public Error {
public:
	ServiceError(int status, std::string code, std::string serviceMessage,
		     std::string requestId, const std::string &message);

	int status() const noexcept { return status_; }
	const std::string &code() const noexcept { return code_; }
	const std::string &serviceMessage() const noexcept { return serviceMessage_; }
	const std::string &requestId() const noexcept { return requestId_; }

private:
	int status_;
	std::string code_;
	std::string serviceMessage_;
	std::string requestId_;
};

/// The process exit status for an error of \a kind (SPEC §2: 1 failure,
/// 2 usage or configuration, 3 no credentials).
int exitStatusFor(ErrorKind kind) noexcept;

} // namespace mwaatok

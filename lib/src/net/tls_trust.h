#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "mwaatok/poco_http_transport.h"

namespace mwaatok::net {

class CaIndex;
struct Route;

/// Thrown by TlsTrust::handshake when the hashed certificate directory could
/// not verify a chain and the system bundle file is now consulted too: the
/// caller connects again.
struct TrustFallbackEnabled {};

/// What a TLS connection trusts, and the handshake. Nothing here touches
/// OpenSSL before the first https connection.
///  - A CA bundle (AWS_CA_BUNDLE, --ca-bundle, ca_bundle) is opened when the
///    transport is made and read up to its first certificate (a bad file is a
///    configuration error then); the first https request reads the rest from
///    the same descriptor, once. It is consulted by subject: only the CAs of a
///    chain being verified are parsed.
///  - Otherwise OpenSSL's default store (SSL_CERT_DIR, SSL_CERT_FILE or their
///    built-in defaults): the hashed directory first, so only the issuing CA
///    is read; the bundle file only when the directory cannot verify a chain.
class TlsTrust {
public:
	/// Throws Error(Config) when the bundle cannot be read or holds no certificate.
	explicit TlsTrust(const TransportConfig &config);
	~TlsTrust();

	/// TLS over \a socket, chain checked by OpenSSL, host name checked here.
	/// Throws NetworkError, or TrustFallbackEnabled (see there).
	Poco::Net::SecureStreamSocket handshake(Poco::Net::StreamSocket &socket, const Route &r,
						std::chrono::milliseconds timeout) const;

private:
	Poco::Net::Context::Ptr context() const;
	Poco::Net::Context::Ptr makeContext() const;
	std::string untrustedMessage(const Route &r, int verifyError) const;
	std::string bundleName() const;

	std::string caBundle_;
	std::string caBundleSource_;
	std::string certDir_;
	std::string certFile_;
	std::shared_ptr<CaIndex> bundle_;                // the CA bundle
	mutable std::shared_ptr<CaIndex> fallback_;      // the system bundle file, after the directory
	mutable std::once_flag once_;
	mutable Poco::Net::Context::Ptr context_;
};

} // namespace mwaatok::net

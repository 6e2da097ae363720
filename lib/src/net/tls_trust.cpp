#include "net/tls_trust.h"

#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/X509Certificate.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/strings.h"
#include "mwaatok/error.h"
#include "net/ca_index.h"
#include "net/net_error.h"
#include "net/route.h"

namespace mwaatok::net {

namespace {

// The first chain verification error of the handshake running on this thread,
// so a certificate failure can say why.
thread_local int tlsVerifyError = X509_V_OK;

int recordVerifyError(int ok, X509_STORE_CTX *store)
{
	if (!ok && tlsVerifyError == X509_V_OK)
		tlsVerifyError = X509_STORE_CTX_get_error(store);
	return ok;
}

// Errors that mean "no trusted CA found", which the system bundle file may fix.
bool missingIssuer(int verifyError)
{
	return verifyError == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	       verifyError == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
	       verifyError == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
	       verifyError == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
	       verifyError == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE;
}

bool anyDirectoryExists(const std::string &dirs)
{
	std::error_code ec;
	for (auto dir : split(dirs, ':'))
		if (!dir.empty() && std::filesystem::is_directory(std::string(dir), ec))
			return true;
	return false;
}

} // namespace

TlsTrust::TlsTrust(const TransportConfig &config)
	: caBundle_(config.caBundle), caBundleSource_(config.caBundleSource.empty() ? "AWS_CA_BUNDLE" : config.caBundleSource),
	  certDir_(config.systemCertDir), certFile_(config.systemCertFile)
{
	if (caBundle_.empty())
		return;
	// Checked here, so a bad bundle is a configuration error even before the
	// first https request: opened, and read up to its first certificate. The
	// rest is read, from the same descriptor, by the first https request; a
	// plain http run reads no more.
	const std::string fix = "; point " + caBundleSource_ + " at a PEM file of CA certificates";
	int fd = ::open(caBundle_.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		throw Error(ErrorKind::Config, "cannot read " + bundleName() + ": " + std::strerror(errno) + fix);
	struct stat st {};
	if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		::close(fd);
		throw Error(ErrorKind::Config, bundleName() + " is a directory" + fix);
	}
	std::string head;
	char buffer[16 * 1024];
	while (!CaIndex::hasCertificateBlock(head)) {
		ssize_t n = ::read(fd, buffer, sizeof buffer);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int error = errno;
			::close(fd);
			throw Error(ErrorKind::Config, "cannot read " + bundleName() + ": " + std::strerror(error) + fix);
		}
		if (n == 0) {
			::close(fd);
			throw Error(ErrorKind::Config, bundleName() + " holds no PEM certificate" + fix);
		}
		head.append(buffer, static_cast<size_t>(n));
	}
	bundle_ = CaIndex::fromOpenFile(std::move(head), fd);
}

TlsTrust::~TlsTrust()
{
	if (context_) {
		context_.reset();
		Poco::Net::uninitializeSSL();
	}
}

std::string TlsTrust::bundleName() const
{
	return "the CA bundle '" + caBundle_ + "' (" + caBundleSource_ + ")";
}

Poco::Net::Context::Ptr TlsTrust::context() const
{
	// TLS is set up on the first https connection: plain http runs skip it.
	std::call_once(once_, [this] {
		Poco::Net::initializeSSL();
		try {
			context_ = makeContext();
		} catch (...) {
			Poco::Net::uninitializeSSL();
			throw;
		}
	});
	return context_;
}

Poco::Net::Context::Ptr TlsTrust::makeContext() const
{
	Poco::Net::Context::Params params;
	params.loadDefaultCAs = false; // the store is filled below, lazily
	params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
	params.cipherList = "DEFAULT";
	Poco::Net::Context::Ptr ctx;
	try {
		ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
	} catch (const Poco::Exception &e) {
		throw Error(ErrorKind::Config, "cannot set up tls: " + e.displayText());
	}
	ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
	// Host names are checked after the handshake with X509_check_host
	// (RFC 6125 rules, for every host including localhost and IPs).
	ctx->enableExtendedCertificateVerification(false);
	// Poco's own verify callback defers to SSLManager handlers, which an
	// application could set to accept anything; OpenSSL's verdict stands here.
	SSL_CTX_set_verify(ctx->sslContext(), SSL_VERIFY_PEER, recordVerifyError);

	X509_STORE *store = SSL_CTX_get_cert_store(ctx->sslContext());
	if (bundle_) {
		bundle_->attach(store);
		return ctx;
	}
	// OpenSSL's default store, as SSL_CTX_set_default_verify_paths would
	// load it, but the bundle file only when the directory falls short.
	std::string dir = certDir_.empty() ? X509_get_default_cert_dir() : certDir_;
	std::string file = certFile_.empty() ? X509_get_default_cert_file() : certFile_;
	bool haveDir = anyDirectoryExists(dir);
	if (haveDir) {
		X509_LOOKUP *lookup = X509_STORE_add_lookup(store, X509_LOOKUP_hash_dir());
		if (lookup)
			X509_LOOKUP_add_dir(lookup, dir.c_str(), X509_FILETYPE_PEM);
	}
	fallback_ = CaIndex::fromFile(file);
	fallback_->enable(!haveDir);
	fallback_->attach(store);
	ERR_clear_error();
	return ctx;
}

Poco::Net::SecureStreamSocket TlsTrust::handshake(Poco::Net::StreamSocket &socket, const Route &r,
						   std::chrono::milliseconds timeout) const
{
	Poco::Net::Context::Ptr ctx = context();
	tlsVerifyError = X509_V_OK;
	const bool fallbackWasOn = !fallback_ || fallback_->enabled();
	std::string host = stripBrackets(r.url.host);
	Poco::Net::IPAddress address;
	bool ip = Poco::Net::IPAddress::tryParse(host, address);
	try {
		// No SNI for an IP address (RFC 6066).
		auto secure = ip ? Poco::Net::SecureStreamSocket::attach(socket, ctx)
				 : Poco::Net::SecureStreamSocket::attach(socket, host, ctx);
		// On a blocking socket Poco returns from attach() without an error when
		// the handshake stops for want of data, i.e. when the receive timeout hit.
		if (secure.completeHandshake() != 1)
			throw Poco::TimeoutException("tls handshake");
		Poco::Net::X509Certificate certificate = secure.peerCertificate();
		X509 *x509 = const_cast<X509 *>(certificate.certificate());
		bool matches = ip ? X509_check_ip_asc(x509, host.c_str(), 0) == 1
				  : X509_check_host(x509, host.data(), host.size(),
						    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) == 1;
		if (!matches)
			throw NetworkError(NetworkFailure::Tls,
					   "the tls certificate of " + r.where + " is not valid for the name '" + host +
						   "'; check the endpoint URL (a certificate for another name "
						   "means the wrong server or an intercepting proxy)");
		return secure;
	} catch (const Poco::Exception &e) {
		int verifyError = tlsVerifyError;
		if (verifyError != X509_V_OK && !fallbackWasOn && missingIssuer(verifyError)) {
			fallback_->enable(true);
			throw TrustFallbackEnabled{};
		}
		if (verifyError != X509_V_OK)
			throw NetworkError(NetworkFailure::Tls, untrustedMessage(r, verifyError));
		throw translate(e, Phase::Tls, r.where, timeout);
	}
}

std::string TlsTrust::untrustedMessage(const Route &r, int verifyError) const
{
	std::string msg = "the tls certificate of " + r.where + " is not trusted (" +
			  X509_verify_cert_error_string(verifyError) + "); ";
	if (caBundle_.empty())
		return msg + "if a private CA or an intercepting proxy issued it, set AWS_CA_BUNDLE "
			     "to a PEM file with that CA";
	return msg + "check that " + caBundleSource_ + " ('" + caBundle_ + "') holds the CA that issued it";
}

} // namespace mwaatok::net

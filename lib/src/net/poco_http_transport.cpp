#include "mwaatok/poco_http_transport.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/HostEntry.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/X509Certificate.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "core/strings.h"
#include "mwaatok/error.h"
#include "mwaatok/url.h"
#include "net/connection.h"
#include "net/net_error.h"
#include "net/wire.h"

namespace mwaatok {

namespace {

using net::Connection;
using net::ConnectionPool;
using net::Route;
using std::chrono::milliseconds;

// The first chain verification error of the handshake running on this thread,
// so a certificate failure can say why.
thread_local int tlsVerifyError = X509_V_OK;

int recordVerifyError(int ok, X509_STORE_CTX *store)
{
	if (!ok && tlsVerifyError == X509_V_OK)
		tlsVerifyError = X509_STORE_CTX_get_error(store);
	return ok;
}

Poco::Timespan timespan(milliseconds ms)
{
	return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

std::string stripBrackets(const std::string &host)
{
	if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
		return host.substr(1, host.size() - 2);
	return host;
}

bool isIpLiteral(const std::string &host)
{
	Poco::Net::IPAddress ip;
	return Poco::Net::IPAddress::tryParse(stripBrackets(host), ip);
}


} // namespace

struct PocoHttpTransport::Impl {
	explicit Impl(TransportConfig cfg) : config(std::move(cfg)), pool(config.poolSize)
	{
		struct sigaction old {};
		if (sigaction(SIGPIPE, nullptr, &old) == 0 && old.sa_handler == SIG_DFL &&
		    !(old.sa_flags & SA_SIGINFO))
			std::signal(SIGPIPE, SIG_IGN);
		checkCaBundle();
	}

	~Impl()
	{
		pool.clear();
		if (context) {
			context.reset();
			Poco::Net::uninitializeSSL();
		}
	}

	std::string bundleName() const
	{
		return "the CA bundle '" + config.caBundle + "' (AWS_CA_BUNDLE)";
	}

	/// A bad AWS_CA_BUNDLE is a configuration error as soon as the transport is made.
	void checkCaBundle() const
	{
		const std::string &bundle = config.caBundle;
		auto where = [&] { return bundleName(); };
		if (!bundle.empty()) {
			std::error_code ec;
			if (std::filesystem::is_directory(bundle, ec))
				throw Error(ErrorKind::Config,
					    where() + " is a directory; set AWS_CA_BUNDLE to a PEM file");
			BIO *bio = BIO_new_file(bundle.c_str(), "r");
			if (!bio)
				throw Error(ErrorKind::Config, "cannot read " + where() + ": " +
								       std::strerror(errno) +
								       "; set AWS_CA_BUNDLE to a readable PEM file");
			STACK_OF(X509_INFO) *infos = PEM_X509_INFO_read_bio(bio, nullptr, nullptr, nullptr);
			int certificates = 0;
			for (int i = 0; infos && i < sk_X509_INFO_num(infos); ++i)
				if (sk_X509_INFO_value(infos, i)->x509)
					++certificates;
			sk_X509_INFO_pop_free(infos, X509_INFO_free);
			BIO_free(bio);
			ERR_clear_error();
			if (certificates == 0)
				throw Error(ErrorKind::Config,
					    where() + " holds no PEM certificate; set AWS_CA_BUNDLE to a PEM file of CA certificates");
		}
	}

	/// The TLS context, made on the first https connection: loading the trust
	/// store (the system bundle is read twice while the context is made) is most
	/// of a short run's time, and plain http never needs it.
	Poco::Net::Context::Ptr tlsContext() const
	{
		// TLS is set up on the first https connection: plain http runs skip it.
		std::call_once(contextOnce, [this] {
			Poco::Net::initializeSSL();
			try {
				context = makeContext();
			} catch (...) {
				Poco::Net::uninitializeSSL();
				throw;
			}
		});
		return context;
	}

	Poco::Net::Context::Ptr makeContext() const
	{
		const std::string &bundle = config.caBundle;
		auto where = [&] { return bundleName(); };
		Poco::Net::Context::Params params;
		params.caLocation = bundle;
		params.loadDefaultCAs = bundle.empty();
		params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
		params.cipherList = "DEFAULT";
		Poco::Net::Context::Ptr ctx;
		try {
			ctx = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
		} catch (const Poco::Exception &e) {
			throw Error(ErrorKind::Config, "cannot load " + (bundle.empty() ? std::string("the system trust store") : where()) +
							       ": " + e.displayText());
		}
		ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
		// Host names are checked after the handshake with X509_check_host
		// (RFC 6125 rules, for every host including localhost and IPs).
		ctx->enableExtendedCertificateVerification(false);
		// Poco's own verify callback defers to SSLManager handlers, which an
		// application could set to accept anything; OpenSSL's verdict stands here.
		SSL_CTX_set_verify(ctx->sslContext(), SSL_VERIFY_PEER, recordVerifyError);
		return ctx;
	}

	Route route(const std::string &urlText) const
	{
		Route r;
		r.url = Url::parse(urlText);
		r.tls = r.url.scheme == "https";
		r.where = r.url.host + ":" + std::to_string(r.url.port);
		r.key = r.url.scheme + "://" + r.where;
		const auto &proxy = r.tls ? config.httpsProxy : config.httpProxy;
		if (proxy && !config.bypassesProxy(r.url.host)) {
			r.proxy = &*proxy;
			r.connectHost = proxy->host;
			r.connectPort = proxy->port;
			r.connectWhere = "proxy " + proxy->display() + " (for " + r.where + ")";
			return r;
		}
		r.connectHost = r.url.host;
		r.connectPort = r.url.port;
		for (const auto &mapping : config.connectTo) {
			if (!mapping.matches(r.url.host, r.url.port))
				continue;
			if (!mapping.toHost.empty())
				r.connectHost = mapping.toHost;
			if (mapping.toPort != 0)
				r.connectPort = mapping.toPort;
			break;
		}
		r.connectWhere = r.connectHost == r.url.host && r.connectPort == r.url.port
					 ? r.where
					 : r.where + " (connecting to " + r.connectHost + ":" +
						   std::to_string(r.connectPort) + ")";
		return r;
	}

	/// A TCP connection to the route's peer, trying each resolved address.
	static Poco::Net::StreamSocket connectTcp(const Route &r, milliseconds timeout)
	{
		std::string host = stripBrackets(r.connectHost);
		std::vector<Poco::Net::IPAddress> addresses;
		Poco::Net::IPAddress ip;
		if (Poco::Net::IPAddress::tryParse(host, ip))
			addresses.push_back(ip);
		else
			addresses = Poco::Net::DNS::hostByName(host).addresses();
		if (addresses.empty())
			throw Poco::Net::NoAddressFoundException(host);
		std::unique_ptr<Poco::Exception> last;
		for (const auto &address : addresses) {
			try {
				Poco::Net::StreamSocket socket;
				socket.connect(Poco::Net::SocketAddress(address, static_cast<Poco::UInt16>(r.connectPort)),
					       timespan(timeout));
				socket.setNoDelay(true);
				return socket;
			} catch (const Poco::TimeoutException &) {
				throw;
			} catch (const Poco::Exception &e) {
				last.reset(e.clone());
			}
		}
		last->rethrow();
		throw Poco::Net::NoAddressFoundException(host); // not reached
	}


	/// TLS over \a socket, with the chain checked by OpenSSL and the host name checked here.
	Poco::Net::SecureStreamSocket startTls(Poco::Net::StreamSocket &socket, const Route &r,
					       milliseconds timeout) const
	{
		tlsVerifyError = X509_V_OK;
		std::string host = stripBrackets(r.url.host);
		bool ip = isIpLiteral(host);
		try {
			// No SNI for an IP address (RFC 6066).
			auto secure = ip ? Poco::Net::SecureStreamSocket::attach(socket, tlsContext())
					 : Poco::Net::SecureStreamSocket::attach(socket, host, tlsContext());
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
						   "the tls certificate of " + r.where + " is not valid for the name '" +
							   host + "'; check the endpoint URL (a certificate for another name "
								  "means the wrong server or an intercepting proxy)");
			return secure;
		} catch (const Poco::Exception &e) {
			if (tlsVerifyError != X509_V_OK)
				throw NetworkError(NetworkFailure::Tls, untrustedMessage(r, tlsVerifyError));
			throw net::translate(e, net::Phase::Tls, r.where, timeout);
		}
	}

	std::string untrustedMessage(const Route &r, int verifyError) const
	{
		std::string msg = "the tls certificate of " + r.where + " is not trusted (" +
				  X509_verify_cert_error_string(verifyError) + "); ";
		if (config.caBundle.empty())
			return msg + "if a private CA or an intercepting proxy issued it, set AWS_CA_BUNDLE "
				     "to a PEM file with that CA";
		return msg + "check that AWS_CA_BUNDLE ('" + config.caBundle + "') holds the CA that issued it";
	}

	std::unique_ptr<Connection> open(const Route &r, const HttpRequest &request) const
	{
		milliseconds timeout = request.connectTimeout;
		Poco::Net::StreamSocket socket;
		try {
			socket = connectTcp(r, timeout);
			// The handshake and the proxy's answer are part of connecting.
			socket.setReceiveTimeout(timespan(timeout));
			socket.setSendTimeout(timespan(timeout));
			if (r.proxy && r.tls)
				net::openTunnel(socket, r);
		} catch (const Poco::Exception &e) {
			throw net::translate(e, net::Phase::Connect, r.connectWhere, timeout);
		}
		if (r.tls)
			return std::make_unique<Connection>(startTls(socket, r, timeout));
		return std::make_unique<Connection>(socket);
	}

	HttpResponse send(const HttpRequest &request)
	{
		Route r = route(request.url);
		// An HTTP proxy gets the absolute URL; a CONNECT tunnel or the host itself the path.
		bool absoluteForm = r.proxy && !r.tls;
		std::string wire = net::serializeRequest(
			request, absoluteForm ? r.url.toString() : r.url.target(), r.url.authority(),
			absoluteForm && !r.proxy->username.empty()
				? net::proxyAuthorizationLine(r.proxy->username, r.proxy->password)
				: std::string());
		bool head = request.method == "HEAD";
		for (int attempt = 0;; ++attempt) {
			std::unique_ptr<Connection> conn = attempt == 0 ? pool.take(r.key) : nullptr;
			bool reused = conn != nullptr;
			if (!conn)
				conn = open(r, request);
			try {
				conn->socket().setReceiveTimeout(timespan(request.readTimeout));
				conn->socket().setSendTimeout(timespan(request.readTimeout));
				net::sendAll(conn->socket(), wire);
				if (conn->peek() == std::char_traits<char>::eof())
					throw Poco::Net::NoMessageException("connection closed without a response");
			} catch (const Poco::Exception &e) {
				// Only a reused connection can be stale; a fresh one that fails is an answer.
				if (reused && attempt == 0 && net::isStaleConnection(e))
					continue;
				throw net::translate(e, net::Phase::Exchange, r.where, request.readTimeout);
			}
			bool reusable = false;
			HttpResponse response;
			try {
				response = net::readResponse(*conn, r.where, config.maxResponseBytes, head, reusable);
			} catch (const Poco::Exception &e) {
				throw net::translate(e, net::Phase::Exchange, r.where, request.readTimeout);
			}
			if (reusable)
				pool.put(r.key, std::move(conn));
			return response;
		}
	}

	TransportConfig config;
	ConnectionPool pool;
	mutable std::once_flag contextOnce;
	mutable Poco::Net::Context::Ptr context;
};

PocoHttpTransport::PocoHttpTransport(TransportConfig config)
	: impl_(std::make_unique<Impl>(std::move(config)))
{
}

PocoHttpTransport::~PocoHttpTransport() = default;

HttpResponse PocoHttpTransport::send(const HttpRequest &request)
{
	return impl_->send(request);
}

} // namespace mwaatok

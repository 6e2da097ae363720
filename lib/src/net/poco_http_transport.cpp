#include "mwaatok/poco_http_transport.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSession.h>
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
#include <charconv>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <sstream>

#include "core/strings.h"
#include "mwaatok/error.h"
#include "mwaatok/url.h"
#include "net/net_error.h"
#include "net/wire.h"

namespace mwaatok {

namespace {

using SteadyClock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Longest response head line and whole head accepted.
constexpr size_t maxLineBytes = 16 * 1024;
constexpr size_t maxHeadBytes = 256 * 1024;
// A pooled connection idle for longer is closed rather than reused: servers
// and load balancers drop idle connections (AWS ELBs after 60 s).
constexpr auto maxIdle = std::chrono::seconds(30);
// At most this many idle connections in all: a run over many web servers
// (api --via session, one host per environment) would otherwise keep a TLS
// connection open to every host it ever reached.
constexpr size_t maxIdleTotal = 128;

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

// HTTPClientSession adds a Host header of its own, rewrites targets for
// proxies and silently reconnects after a failed write. This transport needs
// the bytes on the wire to be exactly its own and decides about retries
// itself, so it uses the plain HTTPSession for Poco's buffered socket reads.
class Connection final : public Poco::Net::HTTPSession {
public:
	explicit Connection(const Poco::Net::StreamSocket &socket) : HTTPSession(socket, true) {}

	using HTTPSession::buffered;
	using HTTPSession::get;
	using HTTPSession::peek;
	using HTTPSession::read;

	SteadyClock::time_point idleSince;
};

/// Keep-alive connections by endpoint; each is used by one thread at a time.
class ConnectionPool {
public:
	explicit ConnectionPool(size_t perEndpoint) : perEndpoint_(perEndpoint) {}

	/// An idle connection to \a key that still looks open, if any.
	std::unique_ptr<Connection> take(const std::string &key)
	{
		for (;;) {
			std::unique_ptr<Connection> conn;
			{
				std::lock_guard lock(mutex_);
				auto it = idle_.find(key);
				if (it == idle_.end() || it->second.empty())
					return nullptr;
				conn = std::move(it->second.back());
				it->second.pop_back();
				--idleTotal_;
			}
			if (SteadyClock::now() - conn->idleSince <= maxIdle && !closedByPeer(*conn))
				return conn;
		}
	}

	void clear()
	{
		std::lock_guard lock(mutex_);
		idle_.clear();
		idleTotal_ = 0;
	}

	void put(const std::string &key, std::unique_ptr<Connection> conn)
	{
		conn->idleSince = SteadyClock::now();
		std::lock_guard lock(mutex_);
		auto &list = idle_[key];
		if (list.size() >= perEndpoint_)
			return;
		list.push_back(std::move(conn));
		if (++idleTotal_ > maxIdleTotal)
			dropOldest();
	}

private:
	/// Close the connection idle the longest (the front of its list), under mutex_.
	void dropOldest()
	{
		auto oldest = idle_.end();
		for (auto it = idle_.begin(); it != idle_.end();) {
			if (it->second.empty()) {
				it = idle_.erase(it);
				continue;
			}
			if (oldest == idle_.end() || it->second.front()->idleSince < oldest->second.front()->idleSince)
				oldest = it;
			++it;
		}
		if (oldest == idle_.end())
			return;
		oldest->second.erase(oldest->second.begin());
		--idleTotal_;
	}

	// An idle HTTP connection has nothing to read: readable means the server
	// closed it (or sent junk), so it is not worth a request.
	static bool closedByPeer(Connection &conn)
	{
		try {
			return conn.buffered() > 0 ||
			       conn.socket().poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ |
									Poco::Net::Socket::SELECT_ERROR);
		} catch (const Poco::Exception &) {
			return true;
		}
	}

	size_t perEndpoint_;
	size_t idleTotal_ = 0; ///< connections in idle_, all keys
	std::mutex mutex_;
	std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle_;
};

/// How one request travels: straight to its host (or a connect-to target), or through a proxy.
struct Route {
	Url url;
	std::string where;       ///< "host:port" of the URL, for messages
	std::string connectHost; ///< the TCP peer: the host, its connect-to target or the proxy
	int connectPort = 0;
	std::string connectWhere; ///< the TCP peer for messages
	const ProxyServer *proxy = nullptr;
	bool tls = false;
	std::string key; ///< pool key
};

void sendAll(Poco::Net::StreamSocket &socket, std::string_view data)
{
	while (!data.empty()) {
		int n = socket.sendBytes(data.data(), static_cast<int>(std::min<size_t>(data.size(), 1 << 30)));
		if (n <= 0)
			throw Poco::Net::ConnectionResetException("send returned no progress");
		data.remove_prefix(static_cast<size_t>(n));
	}
}

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
			auto n = net::parseContentLength(h.value);
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
			auto size = net::parseChunkSize(readLine("chunked body"));
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
		if (net::hasToken(connection, "close"))
			return false;
		if (head.getVersion() == "HTTP/1.0")
			return net::hasToken(connection, "keep-alive");
		return true;
	}

	Connection &conn_;
	const std::string &where_;
	size_t maxBody_;
};

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

	/// Ask the proxy to open a tunnel to the route's host (HTTP CONNECT).
	static void openTunnel(Poco::Net::StreamSocket &socket, const Route &r)
	{
		std::string target = r.url.host + ":" + std::to_string(r.url.port);
		std::string request = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n";
		if (!r.proxy->username.empty())
			request += net::proxyAuthorizationLine(r.proxy->username, r.proxy->password);
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
				openTunnel(socket, r);
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
				sendAll(conn->socket(), wire);
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
				response = ResponseReader(*conn, r.where, config.maxResponseBytes).read(head, reusable);
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

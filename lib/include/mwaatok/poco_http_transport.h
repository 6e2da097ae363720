#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mwaatok/http.h"

namespace mwaatok {

class Environment;

/// A forward proxy taken from HTTP_PROXY or HTTPS_PROXY.
struct ProxyServer {
	std::string host; ///< lowercase; an IPv6 literal keeps its brackets
	int port = 80;
	std::string username; ///< percent-decoded; empty when there are no credentials
	std::string password;

	/// Parse "[http://][user[:password]@]host[:port][/]"; throws Error(Config)
	/// naming \a variable, with any credentials left out of the message.
	static ProxyServer parse(std::string_view url, std::string_view variable);

	/// "host:port", never the credentials.
	std::string display() const;
};

/// One curl-style --connect-to mapping: connections for host:port go to
/// toHost:toPort instead, while the Host header, TLS SNI and the certificate
/// check keep using host. Mappings apply to direct connections only: a
/// proxied request goes to the proxy, which is asked for the original host.
struct ConnectTo {
	std::string host;   ///< lowercase; empty matches any host
	int port = 0;       ///< 0 matches any port
	std::string toHost; ///< empty keeps the request's host
	int toPort = 0;     ///< 0 keeps the request's port

	/// Parse "HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT" (IPv6 literals in
	/// brackets, any part may be empty); throws Error(Usage) on bad syntax.
	static ConnectTo parse(std::string_view spec);

	bool matches(std::string_view requestHost, int requestPort) const;
};

/// How PocoHttpTransport reaches endpoints.
struct TransportConfig {
	static constexpr std::size_t defaultMaxResponseBytes = 16 * 1024 * 1024;

	/// PEM file of trusted CAs (AWS_CA_BUNDLE); empty means the system trust store.
	std::string caBundle;
	/// Where caBundle came from, for messages ("AWS_CA_BUNDLE", "--ca-bundle", ...).
	std::string caBundleSource = "AWS_CA_BUNDLE";
	/// The system store: SSL_CERT_DIR (hashed directories, ':'-separated) and
	/// SSL_CERT_FILE; empty means OpenSSL's built-in defaults.
	std::string systemCertDir;
	std::string systemCertFile;
	std::optional<ProxyServer> httpProxy;  ///< for http:// URLs
	std::optional<ProxyServer> httpsProxy; ///< for https:// URLs, through CONNECT
	/// NO_PROXY entries (curl rules): "*", host names (a leading dot is
	/// optional and subdomains match), IP addresses and CIDR ranges.
	std::vector<std::string> noProxy;
	std::vector<ConnectTo> connectTo; ///< first match wins
	/// Largest response body accepted; a larger one is a NetworkError.
	std::size_t maxResponseBytes = defaultMaxResponseBytes;
	/// Idle keep-alive connections kept per endpoint.
	std::size_t poolSize = 64;

	/// Read AWS_CA_BUNDLE, SSL_CERT_DIR, SSL_CERT_FILE, https_proxy/HTTPS_PROXY,
	/// http_proxy/HTTP_PROXY and no_proxy/NO_PROXY (lowercase first, empty means
	/// unset); throws Error(Config) for a malformed proxy URL.
	static TransportConfig fromEnvironment(const Environment &env);

	/// Use \a path as the CA bundle when it is set, naming \a source in messages
	/// (the AWS CLI's order: --ca-bundle, then AWS_CA_BUNDLE, then the config
	/// file's ca_bundle; call with the weaker sources first or only when unset).
	void useCaBundle(const std::optional<std::string> &path, std::string source);

	/// True when NO_PROXY sends requests for \a host straight to the host.
	bool bypassesProxy(std::string_view host) const;
};

/// HttpTransport over Poco::Net: HTTP/1.1 with keep-alive, HTTPS with
/// certificate and host name verification always on, proxies and connect-to.
/// Requests go on the wire with exactly their own headers, plus Host (from the
/// URL) only when the request has none, Content-Length when there is a body
/// (0 for an empty POST, PUT or PATCH) and Proxy-Authorization towards an
/// HTTP proxy that has credentials.
/// Nothing about TLS is set up before the first https request; the CA bundle
/// is opened and checked when the transport is made, and read once. SIGPIPE is blocked on the calling
/// thread while it sends, so a write to a closed connection is an error, not
/// the end of the process; the transport changes no process-wide state.
/// Each request ends by its deadline (HttpRequest::deadline, DeadlineScope).
class PocoHttpTransport final : public HttpTransport {
public:
	/// Throws Error(Config) when the CA bundle cannot be read or holds no certificate.
	explicit PocoHttpTransport(TransportConfig config = {});
	~PocoHttpTransport() override;

	PocoHttpTransport(const PocoHttpTransport &) = delete;
	PocoHttpTransport &operator=(const PocoHttpTransport &) = delete;

	/// Safe to call from many threads at once.
	HttpResponse send(const HttpRequest &request) override;

private:
	struct Impl;
	std::unique_ptr<Impl> impl_;
};

} // namespace mwaatok

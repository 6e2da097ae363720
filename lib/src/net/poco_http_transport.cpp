#include "mwaatok/poco_http_transport.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocket.h>

#include <optional>

#include "mwaatok/error.h"
#include "net/connection_pool.h"
#include "net/deadline.h"
#include "net/net_error.h"
#include "net/response_reader.h"
#include "net/route.h"
#include "net/tls_trust.h"
#include "net/wire.h"

namespace mwaatok {

namespace {

using std::chrono::milliseconds;
using net::Connection;
using net::DeadlineTicket;
using net::Route;

Poco::Timespan timespan(milliseconds ms)
{
	return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

/// \a limit, or less when the deadline is nearer (but never zero: Poco reads 0 as "no timeout").
milliseconds bounded(milliseconds limit, const DeadlineTicket *ticket)
{
	if (!ticket)
		return limit;
	return std::max(milliseconds(1), std::min(limit, ticket->remaining()));
}

NetworkError pastDeadline(const Route &r)
{
	return NetworkError(NetworkFailure::Timeout, "timed out waiting for a response from " + r.where +
							     " (no complete answer before the deadline; raise --timeout "
							     "if the network is slow)");
}

} // namespace

struct PocoHttpTransport::Impl {
	explicit Impl(TransportConfig cfg) : config(std::move(cfg)), trust(config), pool(config.poolSize) {}

	~Impl()
	{
		SigpipeBlock sigpipe; // closing TLS connections writes close_notify
		pool.clear();
	}

	/// A new connection along \a r: TCP, the proxy tunnel, TLS.
	std::unique_ptr<Connection> open(const Route &r, const HttpRequest &request, DeadlineTicket *ticket) const
	{
		for (int attempt = 0;; ++attempt) {
			milliseconds timeout = bounded(request.connectTimeout, ticket);
			Poco::Net::StreamSocket socket;
			try {
				try {
					socket = net::connectTcp(r, timeout);
					if (ticket)
						ticket->watch(socket.impl()->sockfd());
					// The handshake and the proxy's answer are part of connecting.
					socket.setReceiveTimeout(timespan(timeout));
					socket.setSendTimeout(timespan(timeout));
					if (r.proxy && r.tls)
						net::openTunnel(socket, r);
				} catch (const Poco::Exception &e) {
					throw net::translate(e, net::Phase::Connect, r.connectWhere, timeout);
				}
				if (!r.tls)
					return std::make_unique<Connection>(socket);
				try {
					return std::make_unique<Connection>(trust.handshake(socket, r, timeout));
				} catch (const net::TrustFallbackEnabled &) {
					if (attempt > 0)
						throw NetworkError(NetworkFailure::Tls, "tls handshake with " + r.where + " failed");
				}
			} catch (...) {
				// Before the socket is closed: its number may be reused at once.
				if (ticket)
					ticket->unwatch();
				throw;
			}
			if (ticket)
				ticket->unwatch();
		}
	}

	HttpResponse send(const HttpRequest &request)
	{
		Route r = Route::of(request.url, config);
		// An HTTP proxy gets the absolute URL; a CONNECT tunnel or the host itself the path.
		bool absoluteForm = r.proxy && !r.tls;
		std::string wire = net::serializeRequest(
			request, absoluteForm ? r.url.toString() : r.url.target(), r.url.authority(),
			absoluteForm && !r.proxy->username.empty()
				? net::proxyAuthorizationLine(r.proxy->username, r.proxy->password)
				: std::string());
		std::optional<std::chrono::steady_clock::time_point> deadline = request.deadline;
		if (auto scope = DeadlineScope::current())
			deadline = deadline ? std::min(*deadline, *scope) : *scope;
		std::optional<DeadlineTicket> ticket;
		if (deadline) {
			if (std::chrono::steady_clock::now() >= *deadline)
				throw NetworkError(NetworkFailure::Timeout, "no time left for a request to " + r.where +
										    " before the deadline (raise --timeout)");
			ticket.emplace(watch, *deadline);
		}
		DeadlineTicket *t = ticket ? &*ticket : nullptr;
		SigpipeBlock sigpipe;
		try {
			return exchange(r, request, wire, t);
		} catch (const NetworkError &e) {
			// A timeout says so itself; anything else past the deadline is the cut.
			if (t && t->expired() && e.failure() != NetworkFailure::Timeout)
				throw pastDeadline(r);
			throw;
		}
	}

	HttpResponse exchange(const Route &r, const HttpRequest &request, const std::string &wire, DeadlineTicket *t)
	{
		bool head = request.method == "HEAD";
		for (int attempt = 0;; ++attempt) {
			std::unique_ptr<Connection> conn = attempt == 0 ? pool.take(r.key) : nullptr;
			bool reused = conn != nullptr;
			if (!conn)
				conn = open(r, request, t);
			if (t)
				conn->watchedBy(t);
			milliseconds timeout = bounded(request.readTimeout, t);
			try {
				conn->socket().setReceiveTimeout(timespan(timeout));
				conn->socket().setSendTimeout(timespan(timeout));
				conn->sendAll(wire);
				// peek() returns the byte as a plain char: 0xFF looks like EOF,
				// so closed means nothing buffered.
				conn->peek();
				if (conn->buffered() == 0)
					throw Poco::Net::NoMessageException("connection closed without a response");
			} catch (const Poco::Exception &e) {
				// Only a reused connection can be stale; a fresh one that fails is an answer.
				if (reused && attempt == 0 && net::isStaleConnection(e) && !(t && t->expired()))
					continue;
				throw net::translate(e, net::Phase::Exchange, r.where, timeout);
			}
			bool reusable = false;
			HttpResponse response;
			try {
				response = net::ResponseReader(*conn, r.where, config.maxResponseBytes).read(head, reusable);
			} catch (const Poco::Exception &e) {
				throw net::translate(e, net::Phase::Exchange, r.where, timeout);
			}
			// A body read to the end of the connection ends early when the deadline cuts it.
			if (t && t->expired())
				throw pastDeadline(r);
			if (reusable)
				pool.put(r.key, std::move(conn));
			return response;
		}
	}

	TransportConfig config;
	net::TlsTrust trust;
	net::ConnectionPool pool;
	net::DeadlineWatch watch;
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

#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "mwaatok/clock.h"
#include "mwaatok/http.h"
#include "mwaatok/rest_api.h"

namespace mwaatok {

class MwaaClient;
struct WebLoginToken;

/// An Airflow web server session, from exchanging a web login token:
/// Airflow 2 POST /aws_mwaa/login -> cookie "session" (sent back as a
/// cookie, API under /api/v1); Airflow 3 POST /pluginsv2/aws_mwaa/login ->
/// cookie "_token", a JWT (sent as a bearer token, API under /api/v2).
/// The value is a secret: it never goes into a message or a command line.
struct WebSession {
	std::string hostname; ///< the web server, as CreateWebLoginToken returned it
	int airflowMajor = 2; ///< 2 or 3
	std::string cookieName; ///< "session" or "_token"
	std::string value;      ///< the cookie value (secret)
	/// When the cookie expires (Max-Age or Expires); nullopt for a session cookie.
	std::optional<Clock::time_point> expires;

	/// "https://HOST/api/v1" or "https://HOST/api/v2".
	std::string apiBaseUrl() const;
	/// "Cookie" (Airflow 2) or "Authorization" (Airflow 3).
	std::string headerName() const;
	/// "session=VALUE" or "Bearer VALUE" (secret).
	std::string headerValue() const;
	/// "Cookie: session=VALUE" or "Authorization: Bearer VALUE" (secret): the
	/// one header line that authenticates, for curl -H.
	std::string headerLine() const;
};

/// The login path for an Airflow major version: "/aws_mwaa/login" (2) or
/// "/pluginsv2/aws_mwaa/login" (3 and later).
std::string_view webLoginPath(int airflowMajor);

/// POST the web login token to the web server's login endpoint (form body
/// token=...) over \a transport (TLS verified, proxies and connect-to as
/// configured) and read the session cookie from Set-Cookie; redirects are not
/// followed. \a now dates the cookie's Max-Age. Throws Error(Service) when
/// the hostname is invalid or the answer carries no session cookie (the
/// message names the host and status, never the token), NetworkError when
/// the web server cannot be reached.
WebSession exchangeWebLoginToken(HttpTransport &transport, const WebLoginToken &token, int airflowMajor,
				 std::chrono::milliseconds timeout, Clock::time_point now);

/// CreateWebLoginToken for \a name, then the exchange. \a airflowMajor: 2 or
/// 3; nullopt asks GetEnvironment (as login URLs do).
WebSession openWebSession(MwaaClient &client, HttpTransport &transport, const std::string &name,
			  std::optional<int> airflowMajor, std::chrono::milliseconds timeout,
			  Clock::time_point now);

/// Send \a request to the web server's REST API through \a session
/// (`--via session`): https://HOST/api/v1|v2 + path + query, the session's
/// header, Content-Type: application/json with a body. Any HTTP status is
/// an AirflowResponse; throws NetworkError when no answer could be had.
/// Checks the request first (Error(Usage)).
AirflowResponse callAirflowApi(HttpTransport &transport, const WebSession &session, const AirflowRequest &request,
			       std::chrono::milliseconds timeout);

/// The session as a Netscape cookie file (curl -b, wget --load-cookies):
/// a header line, then the host's cookie, secure, path "/", with its
/// expiry (0 for a session cookie). Airflow 2's API accepts the cookie;
/// Airflow 3's wants the bearer header (the jar serves its UI).
std::string formatCookieJar(const WebSession &session);

/// Write formatCookieJar() to \a path atomically with mode 0600 (refusing
/// symlinks). Throws Error(Io).
void writeCookieJar(const std::string &path, const WebSession &session);

/// The session as one JSON object: alias, host, airflow_version,
/// api_base_url, header_name, header_value (secret), expires (RFC 3339 UTC,
/// when known). \a alias may be empty.
std::string formatSessionJson(const WebSession &session, const std::string &alias);

} // namespace mwaatok

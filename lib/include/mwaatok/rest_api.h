#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mwaatok/clock.h"
#include "mwaatok/error.h"

namespace mwaatok {

class HttpTransport;
class MwaaClient;

/// One call of the Airflow REST API, as InvokeRestApi and a web session
/// (`--via session`) both send it. Build it with makeAirflowRequest(), which
/// refuses bad input before anything is sent.
struct AirflowRequest {
	std::string method = "GET"; ///< GET, PUT, POST, PATCH or DELETE
	/// The Airflow API path without /api/v1 or /api/v2, e.g. "/dags".
	std::string path;
	/// Query parameters in the order given; a key may repeat.
	std::vector<std::pair<std::string, std::string>> query;
	/// A JSON document (validated), sent as the request body.
	std::optional<std::string> body;
};

/// Check and normalise a request from the command line: \a method is any
/// case of GET, PUT, POST, PATCH, DELETE; \a path starts with '/', holds no
/// "." or ".." segment, no control character, space, '?', '#', scheme or
/// host, and only characters a URL path may carry ('%' only as %XX);
/// \a query items are KEY=VALUE with a non-empty KEY; \a body, when given,
/// must be JSON. Throws Error(Usage) (exit 2) naming what is wrong; the
/// message never quotes the body.
AirflowRequest makeAirflowRequest(std::string_view method, std::string_view path,
				  const std::vector<std::string> &query,
				  const std::optional<std::string> &body);

/// The same checks on a request built by hand; throws Error(Usage).
void checkAirflowRequest(const AirflowRequest &request);

/// InvokeRestApi accepts paths of at most this many characters.
inline constexpr size_t kInvokeRestApiMaxPath = 64;

/// What Airflow answered: through InvokeRestApi (RestApiStatusCode and
/// RestApiResponse, also for RestApiClientException and
/// RestApiServerException) or straight from the web server.
struct AirflowResponse {
	int status = 0;   ///< Airflow's HTTP status
	std::string body; ///< Airflow's answer as JSON text; empty when it sent none
	/// "RestApiClientException" or "RestApiServerException" when MWAA reported
	/// an Airflow error that way; empty otherwise.
	std::string exception;

	bool ok() const { return status >= 200 && status < 300; }
	/// The problem JSON's "title" and "detail" (Airflow's error answers), if any.
	std::string title() const;
	std::string detail() const;
	/// One line for an error answer: "Airflow answered HTTP 404: DAG not found:
	/// The DAG with dag_id: `x` was not found".
	std::string describe() const;
};

/// An Airflow error answer as an exception (ErrorKind::Service, exit 1), for
/// callers that want one: requireSuccess() throws it.
class AirflowError : public Error {
public:
	AirflowError(AirflowResponse response, const std::string &message);

	const AirflowResponse &response() const noexcept { return response_; }

private:
	AirflowResponse response_;
};

/// \a response when ok(); else throws AirflowError "<where>: <describe()>".
const AirflowResponse &requireSuccess(const AirflowResponse &response, const std::string &where);

/// The InvokeRestApi request body: {"Path", "Method", "QueryParameters", "Body"}
/// (QueryParameters: a string per key, an array for a repeated key).
std::string invokeRestApiBody(const AirflowRequest &request);

/// "?k=v&k2=v2" percent-encoded, or "" without parameters.
std::string airflowQueryString(const AirflowRequest &request);

/// How `mwaatok api` reaches Airflow.
enum class AirflowRoute {
	InvokeRestApi, ///< POST /restapi/{Name} on the MWAA API (the default)
	Session,       ///< CreateWebLoginToken, the login exchange, then the web server (--via session)
};

/// "invoke-rest-api" (also "rest-api") or "session"; throws Error(Usage).
AirflowRoute parseAirflowRoute(std::string_view text);

/// One call for environment \a name by \a route (rest_api_call.cpp).
/// Session: \a airflowMajor as for openWebSession (nullopt: GetEnvironment),
/// \a transport reaches the web server. Airflow errors are answers; MWAA,
/// network and login failures throw.
AirflowResponse callAirflow(MwaaClient &client, HttpTransport &transport, const std::string &name,
			    const AirflowRequest &request, AirflowRoute route, std::optional<int> airflowMajor,
			    std::chrono::milliseconds timeout, Clock::time_point now);

/// \a response.body as a JSON value: itself when it is a JSON object or
/// array, null when empty, else a JSON string (an HTML error page, say).
std::string airflowBodyJson(const AirflowResponse &response);

/// One environment's answer as one JSON line (no newline), for several
/// environments: {"alias", "environment", "region", "status", "response"}.
std::string formatAirflowResultJson(const std::string &alias, const std::string &environment,
				    const std::string &region, const AirflowResponse &response);

} // namespace mwaatok

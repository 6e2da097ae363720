// One Airflow REST API call by either route, and its answer as a JSON line.
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "core/strings.h"
#include "mwaatok/mwaa_client.h"
#include "mwaatok/rest_api.h"
#include "mwaatok/web_session.h"

namespace mwaatok {

AirflowRoute parseAirflowRoute(std::string_view text)
{
	if (text == "invoke-rest-api" || text == "rest-api")
		return AirflowRoute::InvokeRestApi;
	if (text == "session")
		return AirflowRoute::Session;
	std::string shown(text.substr(0, 40));
	for (char &c : shown)
		if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
			c = '?';
	throw Error(ErrorKind::Usage, "invalid --via '" + shown + "': use invoke-rest-api (the default) or session");
}

AirflowResponse callAirflow(MwaaClient &client, HttpTransport &transport, const std::string &name,
			    const AirflowRequest &request, AirflowRoute route, std::optional<int> airflowMajor,
			    std::chrono::milliseconds timeout, Clock::time_point now)
{
	if (route == AirflowRoute::InvokeRestApi)
		return client.invokeRestApi(name, request);
	checkAirflowRequest(request); // before the login: a bad request spends no token
	WebSession session = openWebSession(client, transport, name, airflowMajor, timeout, now);
	return callAirflowApi(transport, session, request, timeout);
}

std::string airflowBodyJson(const AirflowResponse &response)
{
	std::string_view body = trim(response.body);
	if (body.empty())
		return "null";
	if (body.front() == '{' || body.front() == '[') {
		try {
			// Condensed, so that a pretty-printed answer stays on one line; member order kept.
			Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
			std::ostringstream out;
			Poco::JSON::Stringifier::condense(parser.parse(std::string(body)), out);
			return out.str();
		} catch (const Poco::Exception &) {
		}
	}
	return jsonQuote(body);
}

std::string formatAirflowResultJson(const std::string &alias, const std::string &environment,
				    const std::string &region, const AirflowResponse &response)
{
	return "{\"alias\": " + jsonQuote(alias) + ", \"environment\": " + jsonQuote(environment) +
	       ", \"region\": " + jsonQuote(region) + ", \"status\": " + std::to_string(response.status) +
	       ", \"response\": " + airflowBodyJson(response) + "}";
}

} // namespace mwaatok

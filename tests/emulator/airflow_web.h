#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "mwaatok/clock.h"
#include "service.h"

/// The Airflow side of the emulator: each environment's web server (the
/// login exchange of web login tokens, a small REST API under /api/v1 for
/// Airflow 2 and /api/v2 for Airflow 3), InvokeRestApi on top of the same
/// API, and ListEnvironments. Free of sockets, like Service.
namespace mwaatok::emulator {

class AirflowWeb {
public:
	/// True for the web server paths: the two login endpoints and /api/v1|v2/...
	static bool isWebPath(std::string_view path);

	/// A web login token that CreateWebLoginToken issued for \a environment;
	/// it can be exchanged once, until \a expires.
	void rememberWebToken(const std::string &token, const std::string &environment, Clock::time_point expires);

	/// A request to the web server of \a env (found by its Host; null when
	/// the Host is no environment's web server).
	Reply handleWeb(const Request &request, std::string_view path, std::string_view query,
			const EnvironmentConfig *env, Clock::time_point now);

	/// InvokeRestApi for \a env: the JSON body {"Path", "Method",
	/// "QueryParameters", "Body"} run against the same API.
	Reply invokeRestApi(const EnvironmentConfig &env, const std::string &body);

	/// ListEnvironments: the environments of \a region, MaxResults (1..25,
	/// default 25) at a time, NextToken for the rest.
	static Reply listEnvironments(const std::vector<EnvironmentConfig> &environments, std::string_view region,
				      std::string_view query);

private:
	struct Answer {
		int status = 200;
		std::string body; ///< JSON
	};
	struct Grant {
		std::string environment;
		Clock::time_point expires;
	};

	/// The Airflow REST API of \a env: \a path below /api/vN, \a query decoded.
	Answer api(const EnvironmentConfig &env, const std::string &method, std::string_view path,
		   const std::multimap<std::string, std::string> &query, const std::string &body);
	Reply login(const Request &request, const EnvironmentConfig &env, Clock::time_point now);
	std::string dagJson(const EnvironmentConfig &env, const std::string &dagId);

	std::mutex mutex_; ///< guards everything below
	std::map<std::string, Grant> webTokens_;
	std::map<std::string, Grant> sessions_; ///< session cookie or JWT -> environment
	std::map<std::string, std::map<std::string, bool>> paused_; ///< environment -> DAG -> is_paused
	int runs_ = 0;
};

} // namespace mwaatok::emulator

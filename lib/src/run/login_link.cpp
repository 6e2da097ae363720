// One login link: CreateWebLoginToken, and GetEnvironment for the Airflow
// version when the profile does not say it.
#include <future>
#include <optional>

#include "run/session_impl.h"

namespace mwaatok {

namespace {

/// The Airflow major version from GetEnvironment. GetEnvironment is retried
/// like any call; when the version stays unknown the environment fails, since
/// a login URL for the wrong Airflow version does not log in.
int askAirflowVersion(MwaaClient &mwaa, const ResolvedEnvironment &env)
{
	const std::string fix = "; set airflow_version for '" + env.alias +
				"' in the profile or give --airflow-version";
	std::string reported;
	try {
		reported = mwaa.getEnvironment(env.name).airflowVersion;
	} catch (const ServiceError &e) {
		throw ServiceError(e.status(), e.code(), e.serviceMessage(), e.requestId(),
				   std::string("cannot tell the Airflow version: ") + e.what() + fix);
	} catch (const Error &e) {
		throw Error(e.kind(), std::string("cannot tell the Airflow version: ") + e.what() + fix);
	}
	int major = airflowMajorVersion(reported);
	if (major == 0)
		throw Error(ErrorKind::Service, "cannot tell the Airflow version: GetEnvironment reported '" +
							reported + "'" + fix);
	return major;
}

} // namespace

LoginLink Session::Impl::makeLink(const ResolvedEnvironment &env)
{
	MwaaClient mwaa = this->mwaa(env);
	LoginLink link;
	link.alias = env.alias;
	link.environmentName = env.name;
	link.region = mwaa.endpoint().region;

	int major = env.airflowVersion.value.value_or(0);
	std::future<int> version;
	if (major == 0) // asked concurrently with the token, so it adds no latency
		version = std::async(std::launch::async, [&mwaa, &env, deadline = DeadlineScope::current()] {
			// The environment's deadline holds on this thread too.
			std::optional<DeadlineScope> bound;
			if (deadline)
				bound.emplace(*deadline);
			return askAirflowVersion(mwaa, env);
		});
	WebLoginToken token;
	try {
		token = mwaa.createWebLoginToken(env.name);
	} catch (...) {
		if (version.valid())
			version.wait();
		throw;
	}
	if (version.valid())
		major = version.get();
	link.issuedAt = seams.clock.now();
	link.expiresAt = link.issuedAt + std::chrono::seconds(60);
	link.hostname = token.webServerHostname;
	link.token = token.webToken;
	link.loginUrl = loginUrl(token.webServerHostname, token.webToken, major);
	link.airflowVersion = std::to_string(major);
	link.iamIdentity = token.iamIdentity;
	link.airflowIdentity = token.airflowIdentity;
	return link;
}

} // namespace mwaatok

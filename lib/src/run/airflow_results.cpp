// The results beyond login links: Airflow REST API answers (by InvokeRestApi
// or a web session), web sessions, and Airflow CLI output.
#include "mwaatok/web_session.h"
#include "run/session_impl.h"

namespace mwaatok {

namespace {

std::optional<int> configuredMajor(const ResolvedEnvironment &env)
{
	if (env.airflowVersion.value && *env.airflowVersion.value > 0)
		return *env.airflowVersion.value;
	return std::nullopt;
}

} // namespace

std::chrono::milliseconds Session::Impl::webTimeout() const
{
	return options.timeout.value_or(std::chrono::milliseconds(60000));
}

AirflowAnswer Session::Impl::airflowAnswer(const ResolvedEnvironment &env, const RunRequest &request)
{
	MwaaClient client = mwaa(env);
	const AirflowRequest &call = *request.airflow;
	AirflowResponse response = callAirflow(client, seams.transport, env.name, call, request.route,
					       configuredMajor(env), webTimeout(), seams.clock.now());
	AirflowAnswer answer;
	answer.alias = env.alias;
	answer.environmentName = env.name;
	answer.region = client.endpoint().region;
	answer.method = call.method;
	answer.path = call.path;
	answer.status = response.status;
	answer.json = airflowBodyJson(response);
	if (!response.ok()) {
		answer.title = response.title();
		answer.detail = response.detail();
	}
	return answer;
}

AirflowSession Session::Impl::airflowSession(const ResolvedEnvironment &env)
{
	MwaaClient client = mwaa(env);
	WebSession web = openWebSession(client, seams.transport, env.name, configuredMajor(env), webTimeout(),
					seams.clock.now());
	AirflowSession s;
	s.alias = env.alias;
	s.environmentName = env.name;
	s.region = client.endpoint().region;
	s.hostname = web.hostname;
	s.airflowMajor = web.airflowMajor;
	s.apiBaseUrl = web.apiBaseUrl();
	s.cookieName = web.cookieName;
	s.value = web.value;
	s.headerName = web.headerName();
	s.headerValue = web.headerValue();
	s.expires = web.expires;
	return s;
}

CliOutput Session::Impl::cliOutput(const ResolvedEnvironment &env, const std::string &command)
{
	MwaaClient client = mwaa(env);
	CliToken token = client.createCliToken(env.name);
	AirflowCliResult result = invokeAirflowCli(seams.transport, token, command, webTimeout());
	CliOutput out;
	out.alias = env.alias;
	out.environmentName = env.name;
	out.region = client.endpoint().region;
	out.command = command;
	out.stdoutText = std::move(result.stdoutText);
	out.stderrText = std::move(result.stderrText);
	return out;
}

Discovery Session::discover(const std::vector<DiscoveryScope> &asked)
{
	std::vector<DiscoveryScope> scopes = asked;
	for (auto &scope : scopes) // the profile's region, so the YAML names it
		if (scope.region.empty())
			scope.region = impl_->regionOf(ResolvedEnvironment{
				"", "", false, {}, { scope.awsProfile.empty() ? impl_->options.awsProfile : scope.awsProfile,
						    ValueSource::CommandLine }, {}, {}, {} });
	return discoverEnvironments(scopes, [this](const DiscoveryScope &scope) {
		ResolvedEnvironment where;
		if (!scope.awsProfile.empty())
			where.awsProfile = { scope.awsProfile, ValueSource::CommandLine };
		else
			where.awsProfile = { impl_->options.awsProfile, ValueSource::CommandLine };
		if (!scope.region.empty())
			where.region = { scope.region, ValueSource::CommandLine };
		MwaaClient client = impl_->mwaa(where);
		return listAllEnvironments(client);
	});
}

AirflowSession Session::openSession(const ResolvedEnvironment &env)
{
	return impl_->airflowSession(env);
}

} // namespace mwaatok

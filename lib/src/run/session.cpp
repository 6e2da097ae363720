// Session: the seams and run-wide settings, and where each environment's
// region, endpoint and credentials are resolved.
#include "run/session_impl.h"

#include <algorithm>

#include "mwaatok/error.h"
#include "mwaatok/profile_file.h"
#include "mwaatok/region.h"
#include "mwaatok/retry.h"

namespace mwaatok {

Session::Impl::Impl(SessionSeams s, SessionOptions o) : seams(s), options(std::move(o))
{
	roleCache_ = makeAwsCliRoleCache(seams.env, seams.files, [this](const std::string &line) {
		if (options.warn)
			options.warn(line);
	});
	credentials_ = std::make_unique<CredentialsCache>(
		seams.clock, [this](const std::optional<std::string> &profile) -> std::unique_ptr<CredentialProvider> {
			ChainOptions chain;
			chain.profile = profile;
			if (options.timeout) // credential_process is bounded by --timeout too
				chain.processTimeout = std::max(*options.timeout, std::chrono::milliseconds(1));
			return makeDefaultChain(providerContext(), chain);
		});
	// Once, up front: a bad AWS_RETRY_MODE is one error for the run, not one per environment.
	try {
		auto config = SharedConfig::load(seams.env, seams.files, options.awsProfile);
		applyRetrySettings(retry,
				   resolveRetrySettings(seams.env, { config.get("max_attempts"), config.get("retry_mode") },
							options.maxAttempts),
				   seams.clock);
	} catch (const Error &) {
		retryError = std::current_exception();
	}
}

ProviderContext Session::Impl::providerContext()
{
	WarningSink warn;
	if (options.warn)
		warn = [this](const std::string &line) { options.warn(line); };
	return ProviderContext{ seams.env,	seams.files, seams.transport, seams.clock, seams.launcher,
				warn,		roleCache_.get(), seams.mfa };
}

void Session::Impl::trace(const std::string &line) const
{
	if (options.trace)
		options.trace(line);
}

Credentials Session::Impl::credentials(const std::optional<std::string> &awsProfile)
{
	return credentials_->get(awsProfile ? awsProfile : options.awsProfile);
}

std::string Session::Impl::region(const std::optional<std::string> &awsProfile)
{
	if (options.region)
		return *options.region;
	auto selected = awsProfile ? awsProfile : options.awsProfile;
	// Once per AWS profile: the last place looked at may be instance metadata.
	std::lock_guard lock(mutex_);
	auto key = selected.value_or("");
	if (auto it = regions_.find(key); it != regions_.end())
		return it->second;
	RegionOptions ro;
	ro.profile = selected;
	auto ctx = providerContext();
	return regions_[key] = resolveRegion(ctx, ro).region;
}

std::optional<std::string> Session::Impl::profileEndpointUrl(const std::optional<std::string> &awsProfile)
{
	auto selected = awsProfile ? awsProfile : options.awsProfile;
	std::lock_guard lock(mutex_);
	auto key = selected.value_or("");
	if (auto it = endpointUrls_.find(key); it != endpointUrls_.end())
		return it->second;
	auto config = SharedConfig::load(seams.env, seams.files, selected);
	return endpointUrls_[key] = config.get("endpoint_url");
}

void Session::Impl::applyCallOptions(CallOptions &call) const
{
	if (retryError)
		std::rethrow_exception(retryError);
	call.retry.maxAttempts = retry.maxAttempts;
	call.retry.rateLimiter = retry.rateLimiter;
	if (options.timeout)
		call.deadline = *options.timeout;
}

CallOptions Session::Impl::callOptions() const
{
	CallOptions call;
	applyCallOptions(call);
	return call;
}

std::string Session::Impl::regionOf(const ResolvedEnvironment &env)
{
	if (env.region.value)
		return *env.region.value;
	try {
		return region(env.awsProfile.value);
	} catch (const std::exception &) {
		return {}; // the environment's call says why
	}
}

MwaaClient Session::Impl::mwaa(const ResolvedEnvironment &env)
{
	const auto &awsProfile = env.awsProfile.value;
	std::string where = env.region.value ? *env.region.value : region(awsProfile);
	// --endpoint-url beats the AWS_ENDPOINT_URL variables; the profile's come after them.
	std::optional<std::string> explicitUrl, configuredUrl;
	if (env.endpointUrl.source == ValueSource::CommandLine)
		explicitUrl = env.endpointUrl.value;
	else
		configuredUrl = env.endpointUrl.value ? env.endpointUrl.value : profileEndpointUrl(awsProfile);
	auto endpoint = MwaaEndpointConfig::fromEnvironment(seams.env, where, explicitUrl, configuredUrl);
	CallOptions call = callOptions();
	call.region = where;
	return MwaaClient(awsClient(awsProfile), endpoint, call);
}

AwsClient &Session::Impl::awsClient(const std::optional<std::string> &awsProfile)
{
	std::lock_guard lock(mutex_);
	auto &slot = clients_[awsProfile.value_or("")];
	if (!slot)
		slot = std::make_unique<AwsClient>(
			seams.transport, seams.clock, [this, awsProfile] { return credentials(awsProfile); },
			options.trace, options.debug);
	return *slot;
}

Session::Session(SessionSeams seams, SessionOptions options)
	: impl_(std::make_unique<Impl>(seams, std::move(options)))
{
}

Session::~Session() = default;

Credentials Session::credentials(const std::optional<std::string> &awsProfile)
{
	return impl_->credentials(awsProfile);
}

std::string Session::region(const std::optional<std::string> &awsProfile)
{
	return impl_->region(awsProfile);
}

CallOptions Session::callOptions() const
{
	return impl_->callOptions();
}

void Session::applyCallOptions(CallOptions &options) const
{
	impl_->applyCallOptions(options);
}

HttpResponse Session::send(const AwsRequest &request, const CallOptions &options, const Credentials &credentials)
{
	AwsClient client(impl_->seams.transport, impl_->seams.clock, [&credentials] { return credentials; },
			 impl_->options.trace, impl_->options.debug);
	return impl_->withinDeadline([&] { return client.send(request, options); });
}

ProviderContext Session::providerContext()
{
	return impl_->providerContext();
}

WebLoginToken Session::createWebLoginToken(const ResolvedEnvironment &env)
{
	return impl_->withinDeadline([&] { return impl_->mwaa(env).createWebLoginToken(env.name); });
}

AirflowCliResult Session::runAirflowCli(const ResolvedEnvironment &env, const std::string &command)
{
	return impl_->withinDeadline([&] {
		CliToken token = impl_->mwaa(env).createCliToken(env.name);
		return invokeAirflowCli(impl_->seams.transport, token, command, impl_->webTimeout());
	});
}

} // namespace mwaatok

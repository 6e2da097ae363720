#include "app.h"

#include "builtin_plugins.h"
#include "mwaatok/error.h"
#include "mwaatok/profile_file.h"
#include "mwaatok/poco_http_transport.h"
#include "mwaatok/region.h"

namespace mwaatok::cli {

App::App(Options options) : options_(std::move(options))
{
	roleCache_ = makeAwsCliRoleCache(env_, files_, [this](const std::string &line) { warn(line); });
	mfaPrompt_ = makeTerminalMfaPrompt();
	credentials_ = std::make_unique<CredentialsCache>(
		clock_, [this](const std::optional<std::string> &profile) -> std::unique_ptr<CredentialProvider> {
			ChainOptions chain;
			chain.profile = profile;
			return makeDefaultChain(providerContext(), chain);
		});
}

HttpTransport &App::transport()
{
	std::call_once(transportOnce_, [this] {
		TransportConfig config = TransportConfig::fromEnvironment(env_);
		for (const auto &spec : options_.connectTo)
			config.connectTo.push_back(ConnectTo::parse(spec));
		transport_ = std::make_unique<PocoHttpTransport>(std::move(config));
	});
	return *transport_;
}

ProviderContext App::providerContext()
{
	return ProviderContext{ env_,	   files_,
				transport(), clock_,
				launcher_,   [this](const std::string &line) { warn(line); },
				roleCache_.get(), mfaPrompt_.get() };
}

void App::trace(const std::string &line) const
{
	if (!options_.verbose)
		return;
	std::lock_guard lock(outputMutex_);
	std::cerr << "mwaatok: " << line << "\n";
}

TraceSink App::debugSink() const
{
	if (!options_.debug)
		return {};
	return [this](const std::string &text) {
		std::lock_guard lock(outputMutex_);
		std::cerr << "mwaatok: debug: signed request\n" << text;
	};
}

void App::warn(const std::string &line) const
{
	if (options_.quiet)
		return;
	std::lock_guard lock(outputMutex_);
	std::cerr << "mwaatok: warning: " << line << "\n";
}

Credentials App::credentials(const std::optional<std::string> &profile)
{
	Credentials c = credentials_->get(profile ? profile : options_.profile);
	return c;
}

std::string App::region(const std::optional<std::string> &profile)
{
	if (options_.region)
		return *options_.region;
	auto selected = profile ? profile : options_.profile;
	// Once per AWS profile: the last place looked at may be instance metadata.
	std::lock_guard lock(cacheMutex_);
	auto key = selected.value_or("");
	if (auto it = regions_.find(key); it != regions_.end())
		return it->second;
	RegionOptions ro;
	ro.profile = selected;
	auto ctx = providerContext();
	return regions_[key] = resolveRegion(ctx, ro).region;
}

std::optional<std::string> App::profileEndpointUrl(const std::optional<std::string> &profile)
{
	auto selected = profile ? profile : options_.profile;
	std::lock_guard lock(cacheMutex_);
	auto key = selected.value_or("");
	if (auto it = endpointUrls_.find(key); it != endpointUrls_.end())
		return it->second;
	auto config = SharedConfig::load(env_, files_, selected);
	return endpointUrls_[key] = config.get("endpoint_url");
}

void App::applyCallOptions(CallOptions &options) const
{
	if (options_.maxAttempts)
		options.retry.maxAttempts = *options_.maxAttempts;
	if (options_.timeoutSeconds)
		options.deadline = std::chrono::milliseconds(static_cast<long long>(*options_.timeoutSeconds * 1000));
}

ProfileOverrides App::profileOverrides() const
{
	ProfileOverrides ov;
	ov.region = options_.region;
	ov.awsProfile = options_.profile;
	ov.endpointUrl = options_.endpointUrl;
	if (options_.airflowVersion)
		ov.airflowVersion = std::stoi(*options_.airflowVersion);
	return ov;
}

const PluginRegistry &App::plugins()
{
	if (!plugins_) {
		plugins_ = std::make_unique<PluginRegistry>(env_);
		registerBuiltinPlugins(*plugins_);
	}
	return *plugins_;
}

std::vector<std::string> App::pluginNames()
{
	std::vector<std::string> names;
	for (const auto &p : plugins().list())
		names.push_back(p.name);
	return names;
}

const EnvironmentProfile &App::profile()
{
	if (!profile_)
		profile_ = loadProfile(locateProfile(env_, options_.config), files_, pluginNames());
	return *profile_;
}

} // namespace mwaatok::cli

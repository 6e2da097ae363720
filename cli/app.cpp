#include "app.h"

#include "mwaatok/error.h"
#include "mwaatok/poco_http_transport.h"
#include "mwaatok/region.h"

namespace mwaatok::cli {

App::App(Options options) : options_(std::move(options))
{
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
	return ProviderContext{ env_, files_, transport(), clock_, launcher_,
				[this](const std::string &line) { warn(line); } };
}

void App::trace(const std::string &line) const
{
	if (!options_.verbose)
		return;
	std::lock_guard lock(outputMutex_);
	std::cerr << "mwaatok: " << line << "\n";
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
	RegionOptions ro;
	ro.region = options_.region;
	ro.profile = profile ? profile : options_.profile;
	auto ctx = providerContext();
	return resolveRegion(ctx, ro).region;
}

} // namespace mwaatok::cli

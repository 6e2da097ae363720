#include "app.h"

#include "builtin_plugins.h"
#include "mwaatok/error.h"
#include "mwaatok/poco_http_transport.h"
#include "mwaatok/profile_file.h"
#include "mwaatok/terminal_text.h"

namespace mwaatok::cli {

App::App(Options options) : options_(std::move(options)), mfaPrompt_(makeTerminalMfaPrompt()) {}

HttpTransport &App::transport()
{
	if (!transport_) {
		TransportConfig config = TransportConfig::fromEnvironment(env_);
		// The AWS CLI's order: --ca-bundle, AWS_CA_BUNDLE, the profile's ca_bundle.
		if (config.caBundle.empty() && !options_.caBundle)
			config.useCaBundle(SharedConfig::load(env_, files_, options_.profile).get("ca_bundle"),
					   "ca_bundle in the AWS config file");
		config.useCaBundle(options_.caBundle, "--ca-bundle");
		for (const auto &spec : options_.connectTo)
			config.connectTo.push_back(ConnectTo::parse(spec));
		transport_ = std::make_unique<PocoHttpTransport>(std::move(config));
	}
	return *transport_;
}

Session &App::session()
{
	if (!session_) {
		SessionOptions so;
		so.region = options_.region;
		so.awsProfile = options_.profile;
		so.maxAttempts = options_.maxAttempts;
		if (options_.timeoutSeconds)
			so.timeout = std::chrono::milliseconds(static_cast<long long>(*options_.timeoutSeconds * 1000));
		if (options_.verbose)
			so.trace = [this](const std::string &line) { trace(line); };
		so.debug = debugSink();
		so.warn = [this](const std::string &line) { warn(line); };
		session_ = std::make_unique<Session>(
			SessionSeams{ env_, files_, transport(), clock_, launcher_, mfaPrompt_.get() }, std::move(so));
	}
	return *session_;
}

ProviderContext App::providerContext()
{
	return session().providerContext();
}

void App::trace(const std::string &line) const
{
	if (!options_.verbose)
		return;
	std::lock_guard lock(outputMutex_);
	std::cerr << "mwaatok: " << terminalText(line) << "\n";
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
	std::cerr << "mwaatok: warning: " << terminalText(line) << "\n";
}

Credentials App::credentials(const std::optional<std::string> &profile)
{
	return session().credentials(profile);
}

std::string App::region(const std::optional<std::string> &profile)
{
	return session().region(profile);
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
	return plugins().names();
}

const EnvironmentProfile &App::profile()
{
	if (!profile_)
		profile_ = loadProfile(locateProfile(env_, options_.config), files_, pluginNames());
	return *profile_;
}

} // namespace mwaatok::cli

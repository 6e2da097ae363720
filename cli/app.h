#pragma once

#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "mwaatok/aws_client.h"
#include "mwaatok/clock.h"
#include "mwaatok/credential_provider.h"
#include "mwaatok/credentials.h"
#include "mwaatok/environment.h"
#include "mwaatok/filesystem.h"
#include "mwaatok/http.h"
#include "mwaatok/environment_profile.h"
#include "mwaatok/plugin_registry.h"
#include "mwaatok/process.h"
#include "mwaatok/run.h"
#include "options.h"

namespace mwaatok::cli {

/// The real seams and the parsed command line, shared by the commands.
class App {
public:
	explicit App(Options options);

	const Options &options() const { return options_; }
	Environment &env() { return env_; }
	FileSystem &files() { return files_; }
	Clock &clock() { return clock_; }
	ProcessLauncher &launcher() { return launcher_; }
	/// The HTTP transport, created on first use (reads AWS_CA_BUNDLE, proxies, --connect-to).
	HttpTransport &transport();
	/// The seams as the credential providers want them.
	ProviderContext providerContext();
	/// The library's run service with the seams and the command line's
	/// settings, created on first use: every AWS call goes through it.
	Session &session();

	/// A diagnostic line on stderr with --verbose.
	void trace(const std::string &line) const;
	/// With --debug, a sink for multi-line diagnostics (already redacted); else empty.
	TraceSink debugSink() const;
	/// A warning on stderr unless --quiet.
	void warn(const std::string &line) const;

	/// Credentials for an AWS profile (nullopt: --profile, else the environment's
	/// choice), resolved once per run and refreshed before they expire.
	Credentials credentials(const std::optional<std::string> &profile);
	/// The region: --region, then the AWS configuration of \a profile.
	std::string region(const std::optional<std::string> &profile);

	/// The output plugins: built-in, then external modules.
	const PluginRegistry &plugins();
	/// The YAML profile (--config, $MWAATOK_CONFIG or the default location),
	/// loaded on first use; an empty one when there is none.
	const EnvironmentProfile &profile();
	/// What the command line overrides in the profile (region, AWS profile, endpoint, version).
	ProfileOverrides profileOverrides() const;
	/// The names a profile's `outputs` may configure (no module is loaded).
	std::vector<std::string> pluginNames();

private:
	Options options_;
	SystemEnvironment env_;
	SystemFileSystem files_;
	SystemClock clock_;
	SystemProcessLauncher launcher_;
	std::unique_ptr<HttpTransport> transport_;
	std::unique_ptr<MfaPrompt> mfaPrompt_;
	std::unique_ptr<Session> session_;
	std::unique_ptr<PluginRegistry> plugins_;
	std::optional<EnvironmentProfile> profile_;
	mutable std::mutex outputMutex_;
};

/// Run \a request over the environments the command line selects, through
/// the output plugins; the terminal side (signals, progress, error lines,
/// exit status) of every command that makes one result per environment.
/// \a firstEnvironmentArg: where the environments start among the arguments.
int runResults(App &app, RunRequest request, bool openInBrowser = false, size_t firstEnvironmentArg = 0);

int runRequest(App &app);
int runApi(App &app);
int runSession(App &app);
int runConfigure(App &app);
int runExportCredentials(App &app);
int runUrl(App &app);
int runOpen(App &app);
int runToken(App &app);
int runCli(App &app);
int runEnvironments(App &app);
int runPlugins(App &app);
int runSso(App &app);

} // namespace mwaatok::cli

#pragma once

#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "mwaatok/clock.h"
#include "mwaatok/credential_provider.h"
#include "mwaatok/credentials.h"
#include "mwaatok/environment.h"
#include "mwaatok/filesystem.h"
#include "mwaatok/http.h"
#include "mwaatok/process.h"
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

	/// A diagnostic line on stderr with --verbose.
	void trace(const std::string &line) const;
	/// A warning on stderr unless --quiet.
	void warn(const std::string &line) const;

	/// Credentials for an AWS profile (nullopt: --profile, else the environment's
	/// choice), resolved once per run and refreshed before they expire.
	Credentials credentials(const std::optional<std::string> &profile);
	/// The region: --region, then the AWS configuration of \a profile.
	std::string region(const std::optional<std::string> &profile);
	/// The AWS profile to use when nothing more specific names one.
	std::optional<std::string> defaultProfile() const { return options_.profile; }

private:
	Options options_;
	SystemEnvironment env_;
	SystemFileSystem files_;
	SystemClock clock_;
	SystemProcessLauncher launcher_;
	std::once_flag transportOnce_;
	std::unique_ptr<HttpTransport> transport_;
	std::unique_ptr<CredentialsCache> credentials_;
	mutable std::mutex outputMutex_;
};

int runRequest(App &app);
int runConfigure(App &app);
int runExportCredentials(App &app);

} // namespace mwaatok::cli

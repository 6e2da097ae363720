#pragma once

#include <iostream>
#include <memory>
#include <string>

#include "mwaatok/clock.h"
#include "mwaatok/credentials.h"
#include "mwaatok/environment.h"
#include "mwaatok/filesystem.h"
#include "mwaatok/http.h"
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
	/// The HTTP transport, created on first use (reads AWS_CA_BUNDLE, proxies, --connect-to).
	HttpTransport &transport();

	/// A diagnostic line on stderr with --verbose.
	void trace(const std::string &line) const;
	/// A warning on stderr unless --quiet.
	void warn(const std::string &line) const;

	/// Credentials for \a profile (empty: the default selection).
	Credentials credentials(const std::string &profile);
	/// The region for \a profile: --region, then the AWS configuration.
	std::string region(const std::string &profile);

private:
	Options options_;
	SystemEnvironment env_;
	SystemFileSystem files_;
	SystemClock clock_;
	std::unique_ptr<HttpTransport> transport_;
};

int runRequest(App &app);

} // namespace mwaatok::cli

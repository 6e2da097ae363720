#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mwaatok::cli {

/// Everything the command line says, parsed but not yet interpreted.
struct Options {
	std::string command;
	std::vector<std::string> args; ///< positional arguments after the command
	std::vector<std::string> passthrough; ///< what follows "--"

	// Global options.
	std::optional<std::string> config;
	std::optional<std::string> profile;
	std::optional<std::string> region;
	std::optional<std::string> endpointUrl;
	std::vector<std::string> outputs;
	std::optional<int> jobs;
	std::optional<double> timeoutSeconds;
	std::optional<int> maxAttempts;
	std::optional<std::string> airflowVersion;
	std::vector<std::string> connectTo;
	std::optional<std::string> caBundle;
	bool verbose = false;
	bool debug = false;
	bool quiet = false;
	bool noProgress = false;
	bool help = false;
	bool version = false;

	// Command options.
	bool all = false;
	std::vector<std::string> tags;
	std::optional<std::string> service;
	std::vector<std::string> headers;
	std::optional<std::string> data;
	std::optional<std::string> dataFile;
	bool unsignedPayload = false;
	bool dryRun = false;
	bool include = false;
	std::optional<std::string> format;
	bool check = false;
	bool noBrowser = false;
	std::optional<std::string> ssoSession;
	std::optional<std::string> method;  ///< api -X
	std::vector<std::string> queries;   ///< api --query KEY=VALUE
	std::optional<std::string> via;     ///< api --via
	bool discover = false;              ///< environments --discover
	std::vector<std::string> regions;   ///< every -r, in order (--discover)
	std::vector<std::string> profiles;  ///< every -p, in order (--discover)
};

/// Parse argv; throws Error(Usage) with a "did you mean" for unknown options.
Options parseCommandLine(const std::vector<std::string> &argv);

/// The names of every long option (for the help/man parity test and completions).
std::vector<std::string> longOptionNames();

} // namespace mwaatok::cli

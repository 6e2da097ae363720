#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mwaatok {

/// A program to run: no shell unless argv says so ("sh", "-c", ...).
struct ProcessSpec {
	std::vector<std::string> argv;
	/// Variables added to (or replacing those of) the inherited environment.
	std::map<std::string, std::string> extraEnv;
	std::string stdinData;
	/// Kill the process and its process group (SIGTERM, then SIGKILL) after
	/// this long; zero = no limit.
	std::chrono::milliseconds timeout{0};
	/// Kill the process group once stdout or stderr grows past this many
	/// bytes (ProcessResult::outputTooLarge); zero = no limit.
	size_t maxOutput = 0;
	/// Remove AWS credential variables (credentialVariable()) from the
	/// inherited environment: for children that must not act as the user on AWS.
	bool scrubCredentials = false;
	/// Start it and return at once without waiting or capturing output
	/// (for a browser); the result then only says whether it started.
	bool detach = false;
};

struct ProcessResult {
	bool started = false;  ///< false: could not be started (see error)
	int exitCode = -1;     ///< exit status, or -1 when killed by a signal or not waited for
	bool timedOut = false;
	std::string stdoutData;
	std::string stderrData;
	std::string error; ///< why it did not start
	bool outputTooLarge = false; ///< stopped because of ProcessSpec::maxOutput
};

/// Whether the environment variable \a name holds AWS credentials or a token:
/// AWS_ACCESS_KEY_ID, AWS_CREDENTIAL_EXPIRATION, and every AWS_* name with
/// SECRET, or TOKEN but not a _FILE suffix (AWS_SECRET_ACCESS_KEY,
/// AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN, AWS_CONTAINER_AUTHORIZATION_TOKEN, ...).
bool credentialVariable(std::string_view name);

/// Sends \a sig to the process group of every child SystemProcessLauncher is
/// waiting for. Async-signal-safe: for a SIGINT handler, since those children
/// run in process groups of their own, where a terminal's Ctrl-C does not reach.
void signalRunningProcesses(int sig) noexcept;

/// Runs programs, behind a seam so tests never launch a browser.
class ProcessLauncher {
public:
	virtual ~ProcessLauncher() = default;
	virtual ProcessResult run(const ProcessSpec &spec) = 0;
};

/// The real launcher (fork/exec with pipes and a deadline).
class SystemProcessLauncher final : public ProcessLauncher {
public:
	ProcessResult run(const ProcessSpec &spec) override;
};

} // namespace mwaatok

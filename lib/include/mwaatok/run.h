#pragma once

// The run service: what `mwaatok url` does, as a library call. A Session holds
// the seams and the run-wide settings and resolves, in one place, each
// environment's region, endpoint and credentials; run() makes the results for
// many environments with bounded concurrency and a deadline, and hands them to
// an OutputDispatcher in the order asked. The caller keeps the terminal: it
// gives an interrupt flag and a progress callback and chooses the exit status.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "mwaatok/aws_client.h"
#include "mwaatok/credentials.h"
#include "mwaatok/environment_profile.h"
#include "mwaatok/error.h"
#include "mwaatok/list_environments.h"
#include "mwaatok/mwaa_client.h"
#include "mwaatok/output_plugin.h"
#include "mwaatok/rest_api.h"

namespace mwaatok {

class Environment;
class FileSystem;
class MfaPrompt;
class ProcessLauncher;
class OutputDispatcher;
struct ProviderContext;

/// The real (or test) world a session works in; every member must outlive it.
/// Assumed-role answers are shared with the AWS CLI through its cache
/// ($HOME/.aws/cli/cache on \a files), which the session keeps.
struct SessionSeams {
	const Environment &env;
	const FileSystem &files;
	HttpTransport &transport;
	Clock &clock;
	ProcessLauncher &launcher;
	/// Asks for MFA codes (the caller owns the terminal); none: a role with
	/// mfa_serial fails with "no terminal".
	MfaPrompt *mfa = nullptr;
};

/// Run-wide settings, usually from the command line.
struct SessionOptions {
	std::optional<std::string> region;     ///< --region: beats every AWS profile's region
	std::optional<std::string> awsProfile; ///< --profile: the AWS profile when an environment names none
	std::optional<int> maxAttempts;        ///< --max-attempts
	std::optional<std::chrono::milliseconds> timeout; ///< --timeout: each call's deadline
	TraceSink trace;                       ///< --verbose lines; may be empty
	TraceSink debug;                       ///< --debug signed requests; may be empty
	std::function<void(const std::string &)> warn; ///< warnings; may be empty
};

/// How progress is counted, for a progress line.
struct RunProgress {
	size_t done = 0;
	size_t failed = 0;
	size_t total = 0;
};

/// One environment's result: the payload of its kind, or why it failed.
struct RunResult {
	ResultKind kind = ResultKind::LoginLink;
	std::variant<LinkFailure, LoginLink, AirflowAnswer, AirflowSession, CliOutput> value;
	ErrorKind errorKind = ErrorKind::Internal; ///< for a failure, or an Airflow error answer

	/// It produced something to deliver (an Airflow error answer included).
	bool ok() const { return !std::holds_alternative<LinkFailure>(value); }
	/// It produced something and that is not an Airflow error answer.
	bool succeeded() const
	{
		const auto *answer = std::get_if<AirflowAnswer>(&value);
		return ok() && (!answer || answer->ok());
	}
	const LinkFailure *failure() const { return std::get_if<LinkFailure>(&value); }
};

/// What the caller asks of a run besides the environments.
struct RunRequest {
	ResultKind kind = ResultKind::LoginLink;
	/// For ResultKind::AirflowAnswer: the call (checked) and its route.
	std::optional<AirflowRequest> airflow;
	AirflowRoute route = AirflowRoute::InvokeRestApi;
	/// For ResultKind::CliOutput: the Airflow CLI command (already quoted).
	std::string cliCommand;
	int jobs = 16; ///< at most this many environments at a time
};

/// The caller's side of a run. Every callback is made from one thread at a
/// time, in environment order for \a result.
struct RunHooks {
	/// When it becomes true, no new environment starts (SIGINT, SIGTERM).
	const std::atomic<bool> *interrupt = nullptr;
	std::function<void(const RunProgress &)> progress;
	/// Each result, in order, just before the output dispatcher gets it.
	std::function<void(size_t index, const RunResult &)> result;
	/// Asked after an output plugin fails: true when the output is gone for
	/// good (a closed pipe); the run then starts nothing more.
	std::function<bool()> outputClosed;
};

/// How a run went.
struct RunReport {
	size_t total = 0;
	size_t started = 0;
	size_t succeeded = 0;
	std::vector<ErrorKind> failureKinds; ///< one per failed environment
	bool interrupted = false;            ///< stopped by RunHooks::interrupt
	bool outputClosed = false;           ///< stopped because the output went away
};

/// AWS access for one run: credentials, region and MWAA endpoint per
/// environment, resolved once per AWS profile and shared between threads.
class Session {
public:
	Session(SessionSeams seams, SessionOptions options);
	~Session();
	Session(const Session &) = delete;
	Session &operator=(const Session &) = delete;

	/// Credentials for an AWS profile (nullopt: --profile, else the
	/// environment's choice), resolved once per run and refreshed before they expire.
	Credentials credentials(const std::optional<std::string> &awsProfile);
	/// The region: --region, then the AWS configuration of \a awsProfile.
	std::string region(const std::optional<std::string> &awsProfile);
	/// Retry and deadline settings (--max-attempts, --timeout) for one call.
	CallOptions callOptions() const;
	/// Apply --max-attempts and --timeout to \a options.
	void applyCallOptions(CallOptions &options) const;
	/// The seams as the credential providers want them.
	ProviderContext providerContext();

	/// Sign \a request with \a credentials and send it (the `request` command).
	HttpResponse send(const AwsRequest &request, const CallOptions &options, const Credentials &credentials);

	/// CreateWebLoginToken for one environment.
	WebLoginToken createWebLoginToken(const ResolvedEnvironment &env);
	/// CreateCliToken for one environment, then the Airflow CLI \a command on
	/// its web server (the deadline is --timeout, 60 s by default).
	AirflowCliResult runAirflowCli(const ResolvedEnvironment &env, const std::string &command);

	/// The Airflow web session of one environment (the login exchange).
	AirflowSession openSession(const ResolvedEnvironment &env);

	/// ListEnvironments (all pages) for each AWS profile (empty: --profile or
	/// the default) and region; one scope's failure is recorded, the others go on.
	Discovery discover(const std::vector<DiscoveryScope> &scopes);

	/// One result per environment of \a envs, delivered to \a outputs in
	/// order (begin and end included). Never throws for one environment's failure.
	RunReport run(const std::vector<ResolvedEnvironment> &envs, const RunRequest &request,
		      OutputDispatcher &outputs, const RunHooks &hooks);

private:
	struct Impl;
	std::unique_ptr<Impl> impl_;
};

} // namespace mwaatok

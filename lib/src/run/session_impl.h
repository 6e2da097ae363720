#pragma once

// The inside of a Session (mwaatok/run.h), shared by its source files.

#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "mwaatok/credential_provider.h"
#include "mwaatok/credentials_cache.h"
#include "mwaatok/http.h"
#include "mwaatok/run.h"

namespace mwaatok {

struct Session::Impl {
	Impl(SessionSeams seams, SessionOptions options);

	ProviderContext providerContext();
	Credentials credentials(const std::optional<std::string> &awsProfile);
	std::string region(const std::optional<std::string> &awsProfile);
	std::optional<std::string> profileEndpointUrl(const std::optional<std::string> &awsProfile);
	CallOptions callOptions() const;
	void applyCallOptions(CallOptions &call) const;
	void trace(const std::string &line) const;

	/// The region, endpoint and credentials of \a env, resolved in one place.
	/// The AwsClient is shared per AWS profile.
	MwaaClient mwaa(const ResolvedEnvironment &env);
	/// The region \a env's calls go to; "" when it cannot be resolved.
	std::string regionOf(const ResolvedEnvironment &env);

	/// One login link (CreateWebLoginToken, with GetEnvironment when the
	/// Airflow version is not configured).
	LoginLink makeLink(const ResolvedEnvironment &env);
	/// The result of \a kind for one environment; never throws.
	RunResult produce(const ResolvedEnvironment &env, const RunRequest &request);
	/// One Airflow REST API answer by the request's route (airflow_results.cpp).
	AirflowAnswer airflowAnswer(const ResolvedEnvironment &env, const RunRequest &request);
	/// One web session: CreateWebLoginToken and the login exchange.
	AirflowSession airflowSession(const ResolvedEnvironment &env);
	/// One Airflow CLI command: CreateCliToken and the web server's /aws_mwaa/cli.
	CliOutput cliOutput(const ResolvedEnvironment &env, const std::string &command);
	/// Each web server call's deadline: --timeout, 60 s by default.
	std::chrono::milliseconds webTimeout() const;

	/// Runs \a work under --timeout as one deadline (DeadlineScope): however
	/// servers drip, credentials included.
	template <typename Work>
	auto withinDeadline(Work &&work) const
	{
		DeadlineScope deadline(std::chrono::steady_clock::now() + callOptions().deadline);
		return work();
	}

	SessionSeams seams;
	SessionOptions options;
	/// Max attempts and retry mode, resolved once; adaptive mode's rate
	/// limiter is shared by every call of the run.
	RetryPolicy retry;
	/// Why the retry settings are bad, if they are: thrown by every call's
	/// options and once by run() before any environment starts; commands
	/// that make no AWS call (configure list) are not stopped by it.
	std::exception_ptr retryError;

private:
	AwsClient &awsClient(const std::optional<std::string> &awsProfile);

	std::unique_ptr<RoleCache> roleCache_;
	std::unique_ptr<CredentialsCache> credentials_;
	std::mutex mutex_;
	std::map<std::string, std::string> regions_;
	std::map<std::string, std::optional<std::string>> endpointUrls_;
	std::map<std::string, std::unique_ptr<AwsClient>> clients_;
};

} // namespace mwaatok

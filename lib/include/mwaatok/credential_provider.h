#pragma once

#include "mwaatok/credentials.h"
#include "mwaatok/error.h"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mwaatok {

class Clock;
class Environment;
class FileSystem;
class HttpTransport;
class ProcessLauncher;
class SharedConfig;

/// Receives warnings (expired IMDS credentials, ...); the CLI prints them.
using WarningSink = std::function<void(const std::string &)>;

/// The seams every provider reads the outside world through.
struct ProviderContext {
	const Environment &env;
	const FileSystem &fs;
	HttpTransport &http;
	Clock &clock;
	ProcessLauncher &processes;
	WarningSink warn; ///< may be empty
};

/// Options of the default chain.
struct ChainOptions {
	/// The --profile flag: beats AWS_PROFILE and skips the environment provider (as botocore).
	std::optional<std::string> profile;
	std::chrono::milliseconds processTimeout{60000}; ///< credential_process limit
};

/// One source of credentials.
class CredentialProvider {
public:
	virtual ~CredentialProvider() = default;

	/// Short name used in messages, e.g. "environment".
	virtual std::string_view name() const = 0;
	/// Credentials, or nullopt with \a whyNot set when this source is not
	/// configured; throws Error when it is configured but broken.
	virtual std::optional<Credentials> resolve(std::string &whyNot) = 0;
};

/// Thrown when no provider in a chain had credentials; lists each one's reason.
class NoCredentialsError : public Error {
public:
	explicit NoCredentialsError(const std::string &message);
};

/// Tries providers in order; the first configured one wins.
class ProviderChain final : public CredentialProvider {
public:
	void add(std::unique_ptr<CredentialProvider> provider);

	std::string_view name() const override { return "chain"; }
	std::optional<Credentials> resolve(std::string &whyNot) override;
	/// resolve(), throwing NoCredentialsError when no provider had credentials.
	Credentials resolveOrThrow();

private:
	std::vector<std::unique_ptr<CredentialProvider>> providers_;
};

/// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (or AWS_SECURITY_TOKEN),
/// AWS_CREDENTIAL_EXPIRATION, AWS_ACCOUNT_ID.
std::unique_ptr<CredentialProvider> makeEnvironmentProvider(const ProviderContext &ctx);
/// The selected profile of the shared files: static keys or credential_process.
std::unique_ptr<CredentialProvider> makeProfileProvider(const ProviderContext &ctx,
							 const ChainOptions &options);
/// Reports AWS_WEB_IDENTITY_TOKEN_FILE as a source that is not supported yet.
std::unique_ptr<CredentialProvider> makeWebIdentityProvider(const ProviderContext &ctx);
/// ECS / EKS Pod Identity container credentials.
std::unique_ptr<CredentialProvider> makeContainerProvider(const ProviderContext &ctx);
/// EC2 instance metadata (IMDSv2 with the documented IMDSv1 fallback).
std::unique_ptr<CredentialProvider> makeImdsProvider(const ProviderContext &ctx,
						      const ChainOptions &options);
/// environment, shared files, web identity, container, IMDS.
std::unique_ptr<ProviderChain> makeDefaultChain(const ProviderContext &ctx,
						const ChainOptions &options);

/// The container credentials URL from the environment; nullopt when neither
/// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor _FULL_URI is set; throws
/// Error(Credentials) for a URL that is malformed or not allowed.
std::optional<std::string> containerCredentialsUrl(const Environment &env);

/// Run \a command with `sh -c` and parse its Version 1 JSON; \a accountId fills
/// a missing AccountId. Throws Error(Credentials) naming \a profile on failure.
Credentials runCredentialProcess(ProcessLauncher &launcher, const std::string &command,
				 const std::string &profile, const std::string &accountId,
				 std::chrono::milliseconds timeout);

/// \a text with secret-looking content (credential JSON members, 40-character
/// base64-like runs) replaced by "****".
std::string redactSecrets(std::string_view text);

/// Credentials resolved once per AWS profile and reused until shortly before
/// they expire. Safe to call from many threads: one resolves, the others wait.
class CredentialsCache {
public:
	/// Builds the provider for one profile (nullopt = the environment's choice).
	using Factory = std::function<std::unique_ptr<CredentialProvider>(
		const std::optional<std::string> &profile)>;

	CredentialsCache(Clock &clock, Factory factory,
			 std::chrono::seconds refreshEarly = std::chrono::minutes(5));

	/// Credentials for \a profile; throws what the provider threw (once per run
	/// for a failure), or NoCredentialsError.
	Credentials get(const std::optional<std::string> &profile);
	/// How many times a provider was asked (for tests and --verbose).
	int resolutions() const;

private:
	struct Entry {
		std::mutex mutex;
		std::unique_ptr<CredentialProvider> provider;
		std::optional<Credentials> credentials;
		std::exception_ptr failure;
	};

	Clock &clock_;
	Factory factory_;
	std::chrono::seconds refreshEarly_;
	mutable std::mutex mutex_;
	std::map<std::string, std::unique_ptr<Entry>, std::less<>> entries_;
	int resolutions_ = 0;
};

/// The ISO 8601 form botocore prints for an expiry, e.g. "2022-05-02T18:36:00+00:00".
std::string formatExpiry(std::chrono::system_clock::time_point t);

} // namespace mwaatok

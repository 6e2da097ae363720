#pragma once

#include "mwaatok/credentials.h"
#include "mwaatok/error.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The credential providers and the default chain (SPEC §4). The per-run cache
/// of resolved credentials and the assumed-role cache are in credentials_cache.h.
namespace mwaatok {

class Clock;
class Environment;
class FileSystem;
class HttpTransport;
class ProcessLauncher;
class RoleCache;

/// Receives warnings (expired IMDS credentials, ...); the CLI prints them.
using WarningSink = std::function<void(const std::string &)>;

/// Asks the user for the current code of an MFA device.
class MfaPrompt {
public:
	virtual ~MfaPrompt() = default;
	/// The code the user typed for \a serial; nullopt when there is no terminal to ask on.
	virtual std::optional<std::string> ask(const std::string &serial) = 0;
};

/// Prompts `Enter MFA code for <serial>: ` on the controlling terminal
/// (/dev/tty, never stdout), without echo.
std::unique_ptr<MfaPrompt> makeTerminalMfaPrompt();

/// The seams every provider reads the outside world through.
struct ProviderContext {
	const Environment &env;
	const FileSystem &fs;
	HttpTransport &http;
	Clock &clock;
	ProcessLauncher &processes;
	WarningSink warn;             ///< may be empty
	RoleCache *roleCache = nullptr; ///< assumed-role answers across runs; none: every run asks STS
	MfaPrompt *mfa = nullptr;       ///< none: a role with mfa_serial fails with "no terminal"
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
/// AWS_CREDENTIAL_EXPIRATION, AWS_ACCOUNT_ID. \a skipped: not consulted (--profile given).
std::unique_ptr<CredentialProvider> makeEnvironmentProvider(const ProviderContext &ctx, bool skipped = false);
/// The selected profile's role_arn with source_profile or credential_source: STS
/// AssumeRole, through chains of profiles, with MFA and the assumed-role cache.
std::unique_ptr<CredentialProvider> makeAssumeRoleProvider(const ProviderContext &ctx,
							    const ChainOptions &options);
/// STS AssumeRoleWithWebIdentity from AWS_WEB_IDENTITY_TOKEN_FILE / AWS_ROLE_ARN /
/// AWS_ROLE_SESSION_NAME (not with --profile), or the selected profile's
/// web_identity_token_file and role_arn.
std::unique_ptr<CredentialProvider> makeWebIdentityProvider(const ProviderContext &ctx,
							     const ChainOptions &options = {});
/// IAM Identity Center: the selected profile's sso_session or sso_start_url.
std::unique_ptr<CredentialProvider> makeSsoProvider(const ProviderContext &ctx, const ChainOptions &options);
/// The selected profile of the shared files: static keys or credential_process.
std::unique_ptr<CredentialProvider> makeProfileProvider(const ProviderContext &ctx,
							 const ChainOptions &options);
/// ECS / EKS Pod Identity container credentials.
std::unique_ptr<CredentialProvider> makeContainerProvider(const ProviderContext &ctx);
/// EC2 instance metadata (IMDSv2 with the documented IMDSv1 fallback).
std::unique_ptr<CredentialProvider> makeImdsProvider(const ProviderContext &ctx,
						      const ChainOptions &options);
/// The AWS CLI v2's order: environment, assume role, web identity, IAM Identity
/// Center, shared files (credentials file, credential_process, config file),
/// container, IMDS.
std::unique_ptr<ProviderChain> makeDefaultChain(const ProviderContext &ctx,
						const ChainOptions &options);

/// The container credentials URL from the environment; nullopt when neither
/// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor _FULL_URI is set; throws
/// Error(Credentials) for a URL that is malformed or not allowed.
std::optional<std::string> containerCredentialsUrl(const Environment &env);

} // namespace mwaatok

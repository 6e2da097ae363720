#pragma once

#include "mwaatok/credential_provider.h"

#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

/// Credentials kept for reuse: per run (CredentialsCache) and across runs and
/// tools (RoleCache, the AWS CLI's ~/.aws/cli/cache).
namespace mwaatok {

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
	/// for a failure), or NoCredentialsError. Credentials that arrive already
	/// inside the refresh window are used until they expire, not fetched again.
	Credentials get(const std::optional<std::string> &profile);
	/// How many times a provider was asked (for tests and --verbose).
	int resolutions() const;

private:
	struct Entry {
		std::mutex mutex;
		std::unique_ptr<CredentialProvider> provider;
		std::optional<Credentials> credentials;
		std::chrono::system_clock::time_point refreshAt;
		std::exception_ptr failure;
	};

	Clock &clock_;
	Factory factory_;
	std::chrono::seconds refreshEarly_;
	mutable std::mutex mutex_;
	std::map<std::string, std::unique_ptr<Entry>, std::less<>> entries_;
	int resolutions_ = 0;
};

/// Assumed-role answers by the AWS CLI's cache key (see assume role in
/// credential_provider.h), in memory for the run and, for the file cache, in
/// `<dir>/<key>.json` as the AWS CLI reads and writes them. Thread-safe.
class RoleCache {
public:
	virtual ~RoleCache() = default;

	/// The cached answer (JSON text) for \a key, or nullopt.
	std::optional<std::string> load(const std::string &key);
	/// Keep \a json for \a key (and write it through, atomically, mode 0600).
	void store(const std::string &key, const std::string &json);
	/// Held by whoever checks, refreshes and stores \a key, so that callers
	/// sharing a role wait for one STS call (and one MFA prompt).
	std::mutex &lockFor(const std::string &key);

protected:
	virtual std::optional<std::string> readStored(const std::string &key) = 0;
	virtual void writeStored(const std::string &key, const std::string &json) = 0;

private:
	std::mutex mutex_;
	std::map<std::string, std::string> memory_;
	std::map<std::string, std::unique_ptr<std::mutex>> locks_;
};

/// Files in \a directory of \a fs (written with FileSystem::writePrivate);
/// write failures go to \a warn.
std::unique_ptr<RoleCache> makeFileRoleCache(const FileSystem &fs, std::string directory, WarningSink warn = {});
/// The AWS CLI's cache directory, $HOME/.aws/cli/cache; nullopt when HOME is unset.
std::optional<std::string> awsCliCacheDirectory(const Environment &env);
/// The AWS CLI's cache (awsCliCacheDirectory); in memory only when HOME is unset.
std::unique_ptr<RoleCache> makeAwsCliRoleCache(const Environment &env, const FileSystem &fs, WarningSink warn = {});
/// Memory only.
std::unique_ptr<RoleCache> makeMemoryRoleCache();

} // namespace mwaatok

#pragma once

#include "mwaatok/credentials.h"
#include "mwaatok/error.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>

#include "core/json.h"

namespace mwaatok {

class FileSystem;
class ProcessLauncher;

/// Run \a command with `sh -c` and parse its Version 1 JSON; \a accountId fills
/// a missing AccountId. Throws Error(Credentials) naming \a profile on failure.
Credentials runCredentialProcess(ProcessLauncher &launcher, const std::string &command,
				 const std::string &profile, const std::string &accountId,
				 std::chrono::milliseconds timeout);

/// The ISO 8601 form botocore prints for an expiry, e.g. "2022-05-02T18:36:00+00:00".
std::string formatExpiry(std::chrono::system_clock::time_point t);

} // namespace mwaatok

namespace mwaatok::detail {

/// The most the shared config and credentials files may hold.
constexpr size_t kMaxProfileFile = 4u << 20;
/// The most a token file (web identity, container authorization) may hold.
constexpr size_t kMaxTokenFile = 1u << 20;

/// \a s as Python's json.dumps writes a string (non-ASCII as \\uXXXX escapes):
/// the AWS CLI's cache file names are SHA-1 sums of such JSON.
std::string pythonJsonString(std::string_view s);

/// \a path through \a fs, at most \a max bytes (FileSystem::readCapped);
/// \a what names the file in the error, e.g. "the shared config file".
std::optional<std::string> readCapped(const FileSystem &fs, const std::string &path, size_t max,
				      const std::string &what, ErrorKind kind);

using TimePoint = std::chrono::system_clock::time_point;

/// An RFC 3339 timestamp ("2022-05-02T18:36:00Z", fractions and offsets allowed), or nullopt.
std::optional<TimePoint> parseTimestamp(std::string_view text);

/// The names of the JSON members that make up a credentials document.
struct CredentialFields {
	const char *token;      ///< "SessionToken" or "Token"
	const char *expiration; ///< "Expiration"
};

/// Credentials from \a o; throws Error(Credentials) "<what>: ..." naming the
/// missing member or bad expiration.
Credentials credentialsFromJson(const Poco::JSON::Object &o, const CredentialFields &fields,
				const std::string &what);

/// \a text on one line (newlines become "; "), at most \a max characters.
std::string oneLine(std::string_view text, size_t max = 400);

} // namespace mwaatok::detail

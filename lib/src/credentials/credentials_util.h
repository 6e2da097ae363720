#pragma once

#include "mwaatok/credentials.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>

#include "core/json.h"

namespace mwaatok::detail {

using TimePoint = std::chrono::system_clock::time_point;

/// An RFC 3339 timestamp ("2022-05-02T18:36:00Z", fractions and offsets allowed), or nullopt.
std::optional<TimePoint> parseTimestamp(std::string_view text);
/// "2022-05-02T18:36:00Z".
std::string formatTimestamp(TimePoint t);


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

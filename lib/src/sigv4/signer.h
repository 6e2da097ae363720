#pragma once

#include "mwaatok/sigv4.h"

namespace mwaatok::sigv4::detail {

enum class KeyCacheUse { Use, Bypass };

/// sign(), choosing whether the signing key comes from the cache (benchmarks compare both).
SigningOutput sign(const SignableRequest &req, const SigningParams &params, KeyCacheUse cache);

/// The payload hash of \a body: hex SHA-256, precomputed for the empty body.
std::string payloadHash(std::string_view body);

/// Parse "20150830T123600Z"; nullopt unless it is exactly that shape and a real date.
std::optional<std::chrono::system_clock::time_point> parseAmzDate(std::string_view text);

} // namespace mwaatok::sigv4::detail

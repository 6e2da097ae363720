#pragma once

#include <string_view>

#include "core/crypto.h"

namespace mwaatok::sigv4::detail {

/// kSigning for (secret, date, region, service), derived afresh (four HMACs).
crypto::Digest deriveSigningKey(std::string_view secret, std::string_view date, std::string_view region,
				std::string_view service);

/// The same key, from a process-wide cache that many threads may use at once.
crypto::Digest cachedSigningKey(std::string_view secret, std::string_view date, std::string_view region,
				std::string_view service);

/// Forget every cached key (tests and benchmarks).
void clearSigningKeyCache();

} // namespace mwaatok::sigv4::detail

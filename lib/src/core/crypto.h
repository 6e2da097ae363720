#pragma once

#include <array>
#include <string>
#include <string_view>

namespace mwaatok::crypto {

using Digest = std::array<unsigned char, 32>;

/// SHA-256 of \a data.
Digest sha256(std::string_view data);
/// Lowercase hex SHA-256 of \a data.
std::string sha256Hex(std::string_view data);
/// HMAC-SHA-256 of \a data under \a key.
Digest hmacSha256(std::string_view key, std::string_view data);

inline std::string_view view(const Digest &d)
{
	return { reinterpret_cast<const char *>(d.data()), d.size() };
}

/// Lowercase hex SHA-1 of \a data (the AWS CLI's cache file names, not security).
std::string sha1Hex(std::string_view data);

/// \a n cryptographically random bytes.
std::string randomBytes(size_t n);

/// Compare in time independent of where the strings differ.
bool constantTimeEquals(std::string_view a, std::string_view b);

} // namespace mwaatok::crypto

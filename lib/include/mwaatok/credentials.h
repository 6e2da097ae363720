#pragma once

#include <chrono>
#include <optional>
#include <ostream>
#include <string>

namespace mwaatok {

/// AWS credentials. Printing one (operator<<) never shows the secret parts.
struct Credentials {
	std::string accessKeyId;
	std::string secretAccessKey;
	std::string sessionToken; ///< empty when there is none
	std::optional<std::chrono::system_clock::time_point> expiration;
	std::string accountId; ///< empty when unknown
	std::string source;    ///< where they came from, e.g. "env", "shared-credentials-file"
};

std::ostream &operator<<(std::ostream &os, const Credentials &c);

} // namespace mwaatok

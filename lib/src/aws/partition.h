#pragma once

// The one partition rule: which DNS suffixes a region's service endpoints use.

#include <string>
#include <string_view>

namespace mwaatok {

struct Partition {
	std::string dnsSuffix;       ///< "amazonaws.com", "amazonaws.com.cn", ...
	std::string dualStackSuffix; ///< "api.aws", "api.amazonwebservices.com.cn", ...
};

/// The partition of \a region (aws, aws-cn, aws-iso, aws-iso-b; aws otherwise).
Partition partitionFor(std::string_view region);

/// "SERVICE[-fips].REGION.SUFFIX", the suffix of \a region's partition
/// (dual-stack when \a dualStack).
std::string serviceHost(std::string_view service, std::string_view region, bool fips, bool dualStack);

} // namespace mwaatok

#include "aws/partition.h"

#include "core/strings.h"

namespace mwaatok {

Partition partitionFor(std::string_view region)
{
	if (startsWith(region, "cn-"))
		return { "amazonaws.com.cn", "api.amazonwebservices.com.cn" };
	if (startsWith(region, "us-isob-"))
		return { "sc2s.sgov.gov", "sc2s.sgov.gov" };
	if (startsWith(region, "us-iso-"))
		return { "c2s.ic.gov", "c2s.ic.gov" };
	return { "amazonaws.com", "api.aws" };
}

std::string serviceHost(std::string_view service, std::string_view region, bool fips, bool dualStack)
{
	Partition p = partitionFor(region);
	return std::string(service) + (fips ? "-fips." : ".") + std::string(region) + "." +
	       (dualStack ? p.dualStackSuffix : p.dnsSuffix);
}

} // namespace mwaatok

#pragma once

#include <optional>
#include <string>

namespace mwaatok {

class Environment;
class SharedConfig;
struct ProviderContext;

/// Where to look for the region.
struct RegionOptions {
	std::optional<std::string> region;  ///< the --region flag (beats everything)
	std::optional<std::string> profile; ///< the --profile flag
	bool useImds = true;                ///< ask EC2 instance metadata last
};

/// A region and what chose it (`aws configure list` columns).
struct RegionChoice {
	std::string region;
	std::string type;     ///< "manual", "env", "config-file" or "imds"
	std::string location; ///< "--region", the variable name, the file path or the IMDS path
};

/// AWS_REGION, AWS_DEFAULT_REGION, then the selected profile's `region` of
/// \a config; nullopt when none is set.
std::optional<RegionChoice> regionFromSettings(const Environment &env, const SharedConfig &config);
/// --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`, then IMDS;
/// nullopt when none has one.
std::optional<RegionChoice> findRegion(const ProviderContext &ctx, const RegionOptions &options);
/// findRegion(), throwing Error(Config) naming every place looked at when none has one.
RegionChoice resolveRegion(const ProviderContext &ctx, const RegionOptions &options);

} // namespace mwaatok

#pragma once

#include <functional>
#include <string>
#include <vector>

namespace mwaatok {

class MwaaClient;
struct EnvironmentProfile;

/// One page of ListEnvironments (GET /environments on the api. host).
struct EnvironmentPage {
	std::vector<std::string> names;
	std::string nextToken; ///< empty on the last page
};

/// ListEnvironments accepts MaxResults from 1 to this.
inline constexpr int kListEnvironmentsMaxResults = 25;

/// Every environment name \a client's region holds: ListEnvironments followed
/// through NextToken to the last page. Throws ServiceError / NetworkError, and
/// Error(Service) when the service repeats a NextToken or sends more than
/// \a maxPages pages.
std::vector<std::string> listAllEnvironments(MwaaClient &client, int pageSize = kListEnvironmentsMaxResults,
					     int maxPages = 10000);

/// Where discovery looks: an AWS profile (empty: the default credentials) and a region.
struct DiscoveryScope {
	std::string awsProfile;
	std::string region;
};

/// An environment found by discovery.
struct DiscoveredEnvironment {
	std::string name;
	std::string region;
	std::string awsProfile; ///< empty: the default credentials
};

/// What discovery found, and the scopes that failed (one line each, no secret).
struct Discovery {
	std::vector<DiscoveredEnvironment> environments; ///< scope order, then the service's order
	std::vector<std::string> failures;		 ///< "profile P, region R: <error>"
};

/// List every scope with \a list (typically listAllEnvironments on a client
/// for that profile and region). A scope that throws is recorded in
/// failures and the others go on. The same name in the same region seen
/// through two profiles is kept once (the first profile).
Discovery discoverEnvironments(const std::vector<DiscoveryScope> &scopes,
			       const std::function<std::vector<std::string>(const DiscoveryScope &)> &list);

/// \a found as a YAML profile (mwaatok(5)) that parseProfile() accepts: one
/// entry per environment with name, region and aws_profile (when not the
/// default). With \a existing (the profile being merged, may be null), an
/// environment it already lists (same name and region, and the same AWS
/// profile when both say one) keeps its alias, tags, airflow_version and
/// endpoint_url; its defaults' outputs and jobs and its outputs section are
/// kept; its environments that discovery did not find are kept at the end
/// under a comment. New aliases are the environment name, or name-region
/// (then name-region-profile) when that is taken.
std::string formatDiscoveredProfile(const std::vector<DiscoveredEnvironment> &found,
				    const EnvironmentProfile *existing = nullptr);

} // namespace mwaatok

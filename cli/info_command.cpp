// environments and plugins: what the configuration holds.
#include <algorithm>
#include <iostream>

#include "app.h"
#include "mwaatok/list_environments.h"
#include "mwaatok/error.h"
#include "mwaatok/text.h"

namespace mwaatok::cli {

namespace {

template <typename T>
std::string shown(const Sourced<T> &s, const std::string &unset)
{
	std::string value;
	if (!s.value)
		return unset;
	if constexpr (std::is_same_v<T, int>)
		value = std::to_string(*s.value);
	else
		value = *s.value;
	return value + " (" + std::string(toString(s.source)) + ")";
}

} // namespace

int runEnvironments(App &app)
{
	const Options &o = app.options();
	if (!o.args.empty())
		throw Error(ErrorKind::Usage, "environments takes no arguments (use --check to validate)");
	auto location = locateProfile(app.env(), o.config);
	if (o.discover) {
		if (o.check)
			throw Error(ErrorKind::Usage, "give --discover or --check, not both");
		std::vector<std::string> profiles = o.profiles.empty() ? std::vector<std::string>{ "" } : o.profiles;
		std::vector<std::string> regions = o.regions.empty() ? std::vector<std::string>{ "" } : o.regions;
		std::vector<DiscoveryScope> scopes;
		for (const auto &p : profiles)
			for (const auto &r : regions)
				scopes.push_back({ p, r });
		Discovery found = app.session().discover(scopes);
		for (const auto &f : found.failures)
			std::cerr << "mwaatok: error: " << f << "\n";
		// --config FILE: keep its aliases, tags and settings.
		const EnvironmentProfile *existing = o.config ? &app.profile() : nullptr;
		std::cout << formatDiscoveredProfile(found.environments, existing) << std::flush;
		return found.failures.empty() ? 0 : 1;
	}
	if (o.check) {
		auto problems = checkProfile(location, app.files(), app.pluginNames());
		for (const auto &p : problems)
			std::cerr << "mwaatok: error: " << p << "\n";
		if (!problems.empty())
			return 2;
		const auto &profile = app.profile();
		std::cout << (location.path.empty() ? std::string("no profile") : location.path) << ": ok, "
			  << profile.environments.size() << " environments\n";
		return 0;
	}
	const auto &profile = app.profile();
	if (profile.environments.empty()) {
		std::cerr << "mwaatok: no environments in "
			  << (location.path.empty() ? std::string("(no profile file)") : location.path)
			  << "; see mwaatok(5)\n";
		return 0;
	}
	std::vector<std::vector<std::string>> rows = {
		{ "ALIAS", "NAME", "REGION", "AWS PROFILE", "AIRFLOW", "TAGS" }
	};
	for (const auto &env : listEnvironments(profile, app.profileOverrides())) {
		std::string tags;
		for (const auto &t : env.tags)
			tags += (tags.empty() ? "" : ",") + t;
		rows.push_back({ env.alias, env.name, shown(env.region, "(from AWS config)"),
				 shown(env.awsProfile, "(from AWS config)"),
				 shown(env.airflowVersion, "(GetEnvironment)"), tags.empty() ? "-" : tags });
	}
	std::cout << formatTable(rows);
	return 0;
}

int runPlugins(App &app)
{
	if (!app.options().args.empty())
		throw Error(ErrorKind::Usage, "plugins takes no arguments");
	std::vector<std::vector<std::string>> rows = { { "NAME", "SOURCE", "DESCRIPTION" } };
	for (const auto &p : app.plugins().list())
		rows.push_back({ p.name, p.source, p.description });
	std::cout << formatTable(rows);
	return 0;
}

} // namespace mwaatok::cli

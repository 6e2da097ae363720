#include "mwaatok/environment_profile.h"

#include <set>

#include "config/profile_values.h"
#include "core/strings.h"
#include "mwaatok/error.h"

namespace mwaatok {

namespace {

template <typename T>
Sourced<T> pick(const std::optional<T> &commandLine, const std::optional<T> &environment,
		const std::optional<T> &defaults)
{
	if (commandLine)
		return { commandLine, ValueSource::CommandLine };
	if (environment)
		return { environment, ValueSource::Environment };
	if (defaults)
		return { defaults, ValueSource::Defaults };
	return {};
}

void checkOverrides(const ProfileOverrides &o)
{
	if (o.region && !profile::regionProblem(*o.region).empty())
		throw Error(ErrorKind::Usage,
			    "invalid --region '" + *o.region + "': " + std::string(profile::regionRule));
	if (o.endpointUrl) {
		std::string why = profile::endpointUrlProblem(*o.endpointUrl);
		if (!why.empty())
			throw Error(ErrorKind::Usage, "invalid --endpoint-url '" + *o.endpointUrl + "': " + why);
	}
	if (o.airflowVersion && *o.airflowVersion != 2 && *o.airflowVersion != 3)
		throw Error(ErrorKind::Usage, "invalid --airflow-version " + std::to_string(*o.airflowVersion) +
						      ": " + std::string(profile::airflowVersionRule));
}

/// "in /path/config.yaml", or a hint when there was no profile file.
std::string inProfile(const EnvironmentProfile &profile)
{
	return profile.path.empty() ? "in the profile (none was loaded; see mwaatok(5))" : "in " + profile.path;
}

void checkTag(const EnvironmentProfile &profile, const std::string &tag)
{
	auto known = profile.knownTags();
	for (const auto &k : known)
		if (k == tag)
			return;
	std::string message = "no environment " + inProfile(profile) + " has tag '" + tag + "'";
	std::string close = closestMatch(tag, known);
	if (!close.empty())
		message += "; did you mean '" + close + "'?";
	message += known.empty() ? "; no environment has tags" : "; known tags: " + profile::joined(known);
	throw Error(ErrorKind::Usage, message);
}

bool hasAnyTag(const EnvironmentEntry &entry, const std::vector<std::string> &tags)
{
	for (const auto &t : entry.tags)
		for (const auto &wanted : tags)
			if (t == wanted)
				return true;
	return false;
}

} // namespace

std::string_view toString(ValueSource source)
{
	switch (source) {
	case ValueSource::CommandLine: return "command line";
	case ValueSource::Environment: return "environment";
	case ValueSource::Defaults: return "defaults";
	case ValueSource::Unset: break;
	}
	return "unset";
}

ResolvedEnvironment resolveEnvironment(const EnvironmentProfile &profile, const EnvironmentEntry &entry,
				       const ProfileOverrides &overrides)
{
	const auto &d = profile.defaults;
	ResolvedEnvironment r;
	r.alias = entry.alias;
	r.name = entry.mwaaName();
	r.inProfile = profile.find(entry.alias) != nullptr;
	r.region = pick(overrides.region, entry.region, d.region);
	r.awsProfile = pick(overrides.awsProfile, entry.awsProfile, d.awsProfile);
	r.endpointUrl = pick(overrides.endpointUrl, entry.endpointUrl, d.endpointUrl);
	r.airflowVersion = pick(overrides.airflowVersion, entry.airflowVersion, d.airflowVersion);
	r.tags = entry.tags;
	return r;
}

std::vector<ResolvedEnvironment> selectEnvironments(const EnvironmentProfile &profile,
						    const EnvironmentSelection &selection,
						    const ProfileOverrides &overrides)
{
	checkOverrides(overrides);
	for (const auto &tag : selection.tags)
		checkTag(profile, tag);

	std::vector<ResolvedEnvironment> out;
	std::set<std::string> chosen;
	auto add = [&](const EnvironmentEntry &entry) {
		if (chosen.insert(entry.alias).second)
			out.push_back(resolveEnvironment(profile, entry, overrides));
	};
	for (const auto &entry : profile.environments)
		if (selection.all || hasAnyTag(entry, selection.tags))
			add(entry);
	for (const auto &name : selection.names) {
		if (const auto *entry = profile.find(name)) {
			add(*entry);
			continue;
		}
		std::string why = profile::nameProblem(name);
		if (!why.empty())
			throw Error(ErrorKind::Usage, "'" + name + "' is neither an alias " + inProfile(profile) +
							      " nor a valid MWAA environment name: " + why);
		EnvironmentEntry plain;
		plain.alias = name;
		add(plain);
	}
	if (out.empty()) {
		if (selection.all)
			throw Error(ErrorKind::Usage, "--all selected nothing: no environments are listed " +
							      inProfile(profile));
		throw Error(ErrorKind::Usage,
			    "no environment selected: name one, or use --all or --tag to pick from the profile");
	}
	return out;
}

std::vector<ResolvedEnvironment> listEnvironments(const EnvironmentProfile &profile,
						  const ProfileOverrides &overrides)
{
	std::vector<ResolvedEnvironment> out;
	for (const auto &entry : profile.environments)
		out.push_back(resolveEnvironment(profile, entry, overrides));
	return out;
}

std::vector<std::string> outputSpecs(const EnvironmentProfile &profile,
				     const std::vector<std::string> &commandLine)
{
	return commandLine.empty() ? profile.defaults.outputs : commandLine;
}

} // namespace mwaatok

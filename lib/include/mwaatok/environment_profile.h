#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mwaatok {

class Environment;
class FileSystem;

/// How the profile file was found; decides whether a missing file is an error.
enum class ProfileOrigin {
	CommandLine,    ///< --config FILE: must exist
	EnvironmentVar, ///< $MWAATOK_CONFIG: must exist
	Default,        ///< $XDG_CONFIG_HOME or ~/.config: may be absent
	None,           ///< no HOME nor XDG_CONFIG_HOME: no profile
};

/// The path of the YAML profile and how it was chosen.
struct ProfileLocation {
	std::string path; ///< empty when origin is None
	ProfileOrigin origin = ProfileOrigin::None;
};

/// --config, else $MWAATOK_CONFIG, else $XDG_CONFIG_HOME/mwaatok/config.yaml,
/// else $HOME/.config/mwaatok/config.yaml.
ProfileLocation locateProfile(const Environment &env, const std::optional<std::string> &configOption);

/// The `defaults` section: values used by every environment that sets none.
struct ProfileDefaults {
	std::optional<std::string> region;
	std::optional<std::string> awsProfile;
	std::optional<std::string> endpointUrl;
	std::optional<int> airflowVersion; ///< 2 or 3
	/// Output specs ("print", "file:path=x.html") used when the command line names none.
	std::vector<std::string> outputs;
	std::optional<int> jobs; ///< 1..1024
};

/// One entry of `environments`, as written.
struct EnvironmentEntry {
	std::string alias;
	std::optional<std::string> name; ///< MWAA environment name; the alias when absent
	std::optional<std::string> region;
	std::optional<std::string> awsProfile;
	std::optional<std::string> endpointUrl;
	std::optional<int> airflowVersion;
	std::vector<std::string> tags;
	int line = 0; ///< 1-based line of the alias in the file

	/// The MWAA environment name: name, or the alias.
	const std::string &mwaaName() const { return name ? *name : alias; }
};

/// Options of one output plugin, as key/value strings.
using ProfileOutputOptions = std::map<std::string, std::string>;

/// A validated YAML profile. An absent or empty file gives an empty profile.
struct EnvironmentProfile {
	std::string path; ///< where it was read from; empty when there was no file
	ProfileDefaults defaults;
	std::vector<EnvironmentEntry> environments; ///< in file order
	std::map<std::string, ProfileOutputOptions> outputs; ///< plugin name -> options

	/// The entry for \a alias, or nullptr.
	const EnvironmentEntry *find(std::string_view alias) const;
	/// Every tag used by some environment, sorted, without duplicates.
	std::vector<std::string> knownTags() const;
};

/// Parse and validate profile \a text; \a path is only used in messages.
/// \a knownPlugins are the output plugin names `outputs` may configure.
/// Throws Error(Config) "path:line:column: message" for the first problem.
EnvironmentProfile parseProfile(std::string_view text, const std::string &path,
				const std::vector<std::string> &knownPlugins);

/// Every problem in profile \a text, each as "path:line:column: message";
/// empty when it is valid. Never throws for bad input.
std::vector<std::string> checkProfileText(std::string_view text, const std::string &path,
					  const std::vector<std::string> &knownPlugins);

/// Read the profile at \a location through \a fs and parse it. An absent file
/// at the default location is an empty profile; an absent named file, or a
/// file others could change (checkProfilePermissions), throws Error(Config).
EnvironmentProfile loadProfile(const ProfileLocation &location, const FileSystem &fs,
			       const std::vector<std::string> &knownPlugins);

/// Like loadProfile, but reports every problem instead of the first:
/// `mwaatok environments --check`. Empty when the profile is usable.
std::vector<std::string> checkProfile(const ProfileLocation &location, const FileSystem &fs,
				      const std::vector<std::string> &knownPlugins);

/// Throws Error(Config) when the file at \a path exists and someone other
/// than \a user (a uid) or root could change it, as the profile can name
/// commands to run: it is owned by another user or writable by group or
/// others, or a directory above it (above the real file, and above \a path
/// as given) is owned by another user or writable by group or others without
/// the sticky bit.
void checkProfilePermissions(const std::string &path, const FileSystem &fs, unsigned user);
/// The same on the real file system, for the effective user.
void checkProfilePermissions(const std::string &path);

/// Settings given on the command line; they beat the profile.
struct ProfileOverrides {
	std::optional<std::string> region;
	std::optional<std::string> awsProfile;
	std::optional<std::string> endpointUrl;
	std::optional<int> airflowVersion;
};

/// Where a resolved setting came from.
enum class ValueSource {
	CommandLine,
	Environment, ///< the environment's entry in the profile
	Defaults,    ///< the profile's `defaults`
	Unset,       ///< nowhere: the caller falls back to the AWS configuration
};

/// "command line", "environment", "defaults" or "unset".
std::string_view toString(ValueSource source);

/// A setting's value and where it came from.
template <typename T>
struct Sourced {
	std::optional<T> value;
	ValueSource source = ValueSource::Unset;
};

/// One environment to act on, with every precedence rule applied.
struct ResolvedEnvironment {
	std::string alias;      ///< the profile alias, or the name typed on the command line
	std::string name;       ///< MWAA environment name
	bool inProfile = false; ///< false: a plain MWAA name from the command line
	Sourced<std::string> region;
	Sourced<std::string> awsProfile;
	Sourced<std::string> endpointUrl;
	Sourced<int> airflowVersion;
	std::vector<std::string> tags;
};

/// Apply command line > environment entry > defaults to \a entry.
ResolvedEnvironment resolveEnvironment(const EnvironmentProfile &profile, const EnvironmentEntry &entry,
				       const ProfileOverrides &overrides);

/// What the command line asked for.
struct EnvironmentSelection {
	std::vector<std::string> names; ///< aliases, or MWAA names that are not aliases
	bool all = false;               ///< --all
	std::vector<std::string> tags;  ///< --tag: environments with ANY of them
};

/// The environments to act on: profile order for --all/--tag, then \a
/// selection.names in order, without duplicates. Throws Error(Usage) for an
/// invalid override or name, a tag that matches nothing, or an empty result.
std::vector<ResolvedEnvironment> selectEnvironments(const EnvironmentProfile &profile,
						    const EnvironmentSelection &selection,
						    const ProfileOverrides &overrides);

/// Every environment of the profile, resolved, in file order: `mwaatok environments`.
std::vector<ResolvedEnvironment> listEnvironments(const EnvironmentProfile &profile,
						  const ProfileOverrides &overrides);

/// The output specs to use: \a commandLine when it names any, else defaults.outputs.
std::vector<std::string> outputSpecs(const EnvironmentProfile &profile,
				     const std::vector<std::string> &commandLine);

} // namespace mwaatok

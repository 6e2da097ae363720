#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mwaatok {

class Environment;
class FileSystem;

/// One `key = value` property exactly as written (continuation lines joined with '\n').
struct IniProperty {
	std::string name; ///< lowercase
	std::string value;
	int line = 0;
};

/// One `[header]` section of a profile file, its header not yet interpreted.
struct IniSection {
	std::string header; ///< the text between the brackets, comments removed
	int line = 0;
	std::vector<IniProperty> properties;
};

/// A profile file parsed literally, in file order.
struct IniFile {
	std::string path;
	std::vector<IniSection> sections;
};

/// Parse \a text with the cross-SDK profile file rules; throws Error(Config)
/// "path:line: message" for a malformed line.
IniFile parseIni(std::string_view text, const std::string &path);

enum class ProfileFileKind { Config, Credentials };

/// A property value and the place that set it.
struct ProfileValue {
	std::string value;
	std::string path;
	int line = 0;
};

/// The properties of one profile, keyed by lowercase name.
using ProfileProperties = std::map<std::string, ProfileValue, std::less<>>;
using ProfileMap = std::map<std::string, ProfileProperties, std::less<>>;

/// Profiles, sso-sessions and services sections after the naming rules of both files are applied.
class ProfileSet {
public:
	/// Add the sections of \a file, read as a file of \a kind; later values win.
	void mergeIn(const IniFile &file, ProfileFileKind kind);

	/// The profile called \a name, or nullptr.
	const ProfileProperties *profile(std::string_view name) const;
	const ProfileMap &profiles() const { return profiles_; }
	const ProfileMap &ssoSessions() const { return ssoSessions_; }
	/// The `[services NAME]` section called \a name, or nullptr.
	const ProfileProperties *servicesSection(std::string_view name) const;
	/// One line for each section or key that was ignored.
	const std::vector<std::string> &warnings() const { return warnings_; }

private:
	ProfileMap profiles_;
	ProfileMap ssoSessions_;
	ProfileMap services_;
	std::vector<std::string> warnings_;
};

/// Where the shared config and credentials files are.
struct ProfileFileLocations {
	std::string configPath;      ///< empty when there is no home directory
	std::string credentialsPath; ///< empty when there is no home directory
};

/// AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE (with `~` expanded), else
/// $HOME/.aws/config and $HOME/.aws/credentials.
ProfileFileLocations profileFileLocations(const Environment &env);

/// Which AWS profile is in use and what chose it.
struct ProfileSelection {
	std::string name;
	std::string type;     ///< "manual" (--profile), "env", or "default"
	std::string location; ///< "--profile", the variable name, or empty
	bool chosen() const { return type != "default"; }
};

/// \a explicitProfile, else AWS_PROFILE, else AWS_DEFAULT_PROFILE (the AWS CLI
/// v2's order), else "default". Blank values count as unset.
ProfileSelection selectProfile(const Environment &env,
			       const std::optional<std::string> &explicitProfile);

/// Both shared files, parsed and merged, with the selected profile.
class SharedConfig {
public:
	/// Read both files through \a fs (a missing file is empty); throws
	/// Error(Config) when one is malformed.
	static SharedConfig load(const Environment &env, const FileSystem &fs,
				 const std::optional<std::string> &explicitProfile);

	const ProfileFileLocations &locations() const { return locations_; }
	const ProfileSelection &selection() const { return selection_; }
	const ProfileSet &profiles() const { return profiles_; }
	/// The selected profile, or nullptr when no file defines it.
	const ProfileProperties *selected() const;
	/// Key \a key (any case) of the selected profile, or nullptr.
	const ProfileValue *find(std::string_view key) const;
	/// The value of \a key in the selected profile; nullopt when unset or blank.
	std::optional<std::string> get(std::string_view key) const;
	/// Key \a key of profile \a profile, or nullptr.
	const ProfileValue *findIn(std::string_view profile, std::string_view key) const;
	/// The trimmed value of \a key in \a profile; nullopt when unset or blank.
	std::optional<std::string> getIn(std::string_view profile, std::string_view key) const;

private:
	ProfileFileLocations locations_;
	ProfileSelection selection_;
	ProfileSet profiles_;
};

/// `aws configure get KEY` semantics: KEY in the selected profile, or
/// `profile.NAME.KEY` / `NAME.KEY` for another profile; a third part reads a
/// sub-property. nullopt when not set.
std::optional<std::string> configureGet(const SharedConfig &config, std::string_view key);

} // namespace mwaatok

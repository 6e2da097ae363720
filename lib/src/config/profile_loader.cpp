#include "mwaatok/environment_profile.h"

#include <cerrno>
#include <cstdio>
#include <set>
#include <sys/stat.h>

#include "core/strings.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/filesystem.h"

namespace mwaatok {

const EnvironmentEntry *EnvironmentProfile::find(std::string_view alias) const
{
	for (const auto &e : environments)
		if (e.alias == alias)
			return &e;
	return nullptr;
}

std::vector<std::string> EnvironmentProfile::knownTags() const
{
	std::set<std::string> tags;
	for (const auto &e : environments)
		tags.insert(e.tags.begin(), e.tags.end());
	return { tags.begin(), tags.end() };
}

ProfileLocation locateProfile(const Environment &env, const std::optional<std::string> &configOption)
{
	if (configOption)
		return { *configOption, ProfileOrigin::CommandLine };
	if (auto path = env.getNonEmpty("MWAATOK_CONFIG"))
		return { *path, ProfileOrigin::EnvironmentVar };
	// The XDG base directory spec says a relative XDG_CONFIG_HOME is invalid and ignored.
	auto xdg = env.getNonEmpty("XDG_CONFIG_HOME");
	if (xdg && startsWith(*xdg, "/"))
		return { *xdg + "/mwaatok/config.yaml", ProfileOrigin::Default };
	if (auto home = env.getNonEmpty("HOME"))
		return { *home + "/.config/mwaatok/config.yaml", ProfileOrigin::Default };
	return { "", ProfileOrigin::None };
}

void checkProfilePermissions(const std::string &path)
{
	struct stat st {};
	// Nothing on disk to check: the file came from another FileSystem, or is absent.
	if (::stat(path.c_str(), &st) != 0)
		return;
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) == 0)
		return;
	char mode[8];
	std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
	throw Error(ErrorKind::Config,
		    path + ": refusing a profile writable by group or others (mode " + mode +
			    "), as it can name commands to run: run chmod go-w " + path);
}

namespace {

/// The profile text, or nullopt when an optional file is absent. Throws for
/// a missing named file and for unsafe permissions.
std::optional<std::string> readProfileText(const ProfileLocation &location, const FileSystem &fs)
{
	if (location.origin == ProfileOrigin::None)
		return std::nullopt;
	checkProfilePermissions(location.path);
	auto text = fs.read(location.path);
	if (text)
		return text;
	switch (location.origin) {
	case ProfileOrigin::CommandLine:
		throw Error(ErrorKind::Config,
			    "profile " + location.path + " not found: check the --config option");
	case ProfileOrigin::EnvironmentVar:
		throw Error(ErrorKind::Config, "profile " + location.path +
						       " (from MWAATOK_CONFIG) not found: fix or unset MWAATOK_CONFIG");
	default:
		return std::nullopt;
	}
}

} // namespace

EnvironmentProfile loadProfile(const ProfileLocation &location, const FileSystem &fs,
			       const std::vector<std::string> &knownPlugins)
{
	auto text = readProfileText(location, fs);
	if (!text)
		return {};
	return parseProfile(*text, location.path, knownPlugins);
}

std::vector<std::string> checkProfile(const ProfileLocation &location, const FileSystem &fs,
				      const std::vector<std::string> &knownPlugins)
{
	std::optional<std::string> text;
	try {
		text = readProfileText(location, fs);
	} catch (const Error &e) {
		return { e.what() };
	}
	if (!text)
		return {};
	return checkProfileText(*text, location.path, knownPlugins);
}

} // namespace mwaatok

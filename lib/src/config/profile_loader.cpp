#include "mwaatok/environment_profile.h"

#include <cerrno>
#include <cstdio>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

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

namespace {

// Why a profile others can change is refused, in every such message.
constexpr const char *kWhy = ", as it can name commands to run";

std::string octalMode(unsigned mode)
{
	char text[8];
	std::snprintf(text, sizeof text, "%04o", mode & 07777);
	return text;
}

void checkDirectoriesAbove(std::string dir, const std::string &path, const FileSystem &fs, unsigned user)
{
	for (size_t slash; (slash = dir.rfind('/')) != std::string::npos && dir != "/";) {
		dir = slash == 0 ? "/" : dir.substr(0, slash);
		auto st = fs.status(dir);
		if (!st)
			continue;
		if (st->uid != 0 && st->uid != user)
			throw Error(ErrorKind::Config, path + ": refusing a profile in " + dir +
							       ", a directory owned by another user (uid " +
							       std::to_string(st->uid) + ")" + kWhy +
							       ": move the profile to a directory of your own");
		if ((st->mode & (S_IWGRP | S_IWOTH)) != 0 && (st->mode & S_ISVTX) == 0)
			throw Error(ErrorKind::Config, path + ": refusing a profile in " + dir +
							       ", a directory writable by group or others (mode " +
							       octalMode(st->mode) + ")" + kWhy + ": run chmod go-w " + dir +
							       " or move the profile");
	}
}

} // namespace

void checkProfilePermissions(const std::string &path, const FileSystem &fs, unsigned user)
{
	// Nothing on disk to check: the file came from another FileSystem, or is absent.
	auto file = fs.status(path);
	if (!file)
		return;
	if (file->uid != 0 && file->uid != user)
		throw Error(ErrorKind::Config, path + ": refusing a profile owned by another user (uid " +
						       std::to_string(file->uid) + ")" + kWhy +
						       ": use a copy of your own, or have root own it");
	if ((file->mode & (S_IWGRP | S_IWOTH)) != 0)
		throw Error(ErrorKind::Config, path + ": refusing a profile writable by group or others (mode " +
						       octalMode(file->mode) + ")" + kWhy + ": run chmod go-w " + path);
	// As ssh does for its configuration: every directory up to / must be
	// owned by the user or root, and writable by nobody else unless sticky
	// (/tmp), or someone else could replace the file: the directories of the
	// real file, and those of the path as given, where a symlink could be swapped.
	checkDirectoriesAbove(fs.resolve(path), path, fs, user);
	if (!path.empty() && path.front() == '/')
		checkDirectoriesAbove(path, path, fs, user);
}

void checkProfilePermissions(const std::string &path)
{
	checkProfilePermissions(path, SystemFileSystem(), ::geteuid());
}

namespace {

/// The profile text, or nullopt when an optional file is absent. Throws for
/// a missing named file and for unsafe permissions.
std::optional<std::string> readProfileText(const ProfileLocation &location, const FileSystem &fs)
{
	if (location.origin == ProfileOrigin::None)
		return std::nullopt;
	checkProfilePermissions(location.path, fs, ::geteuid());
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

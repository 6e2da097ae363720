#pragma once

// The fakes behind the library's seams, for tests only: a clock that moves
// when told, an environment and a file system held in maps.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "mwaatok/clock.h"
#include "mwaatok/environment.h"
#include "mwaatok/filesystem.h"

namespace mwaatok {

/// A clock that only moves when told to; sleeping advances it.
class FixedClock final : public Clock {
public:
	explicit FixedClock(time_point t);
	/// A clock set to \a secondsSinceEpoch.
	static FixedClock fromSeconds(long long secondsSinceEpoch);

	time_point now() const override;
	void sleepFor(std::chrono::milliseconds d) override;
	void set(time_point t);
	void advance(std::chrono::milliseconds d);

private:
	mutable std::mutex mutex_;
	time_point now_;
};

/// An environment held in a map.
class MapEnvironment final : public Environment {
public:
	MapEnvironment() = default;
	explicit MapEnvironment(std::map<std::string, std::string, std::less<>> vars);

	std::optional<std::string> get(std::string_view name) const override;
	void set(std::string name, std::string value);
	void unset(std::string_view name);

private:
	std::map<std::string, std::string, std::less<>> vars_;
};

/// Files held in a map of path to content.
class MapFileSystem final : public FileSystem {
public:
	MapFileSystem() = default;
	explicit MapFileSystem(std::map<std::string, std::string> files);

	std::optional<std::string> read(const std::string &path) const override;
	std::optional<FileStatus> status(const std::string &path) const override;
	void writePrivate(const std::string &path, std::string_view content) const override;
	void write(std::string path, std::string content);
	/// What status() answers for \a path (a file or directory); unknown paths answer nullopt.
	void setStatus(std::string path, FileStatus status);

private:
	mutable std::map<std::string, std::string> files_; ///< writePrivate writes here too
	std::map<std::string, FileStatus> statuses_;
};

} // namespace mwaatok

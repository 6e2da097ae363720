#include "fakes.h"

namespace mwaatok {

FixedClock::FixedClock(time_point t) : now_(t) {}

FixedClock FixedClock::fromSeconds(long long secondsSinceEpoch)
{
	return FixedClock(time_point(std::chrono::seconds(secondsSinceEpoch)));
}

Clock::time_point FixedClock::now() const
{
	std::lock_guard lock(mutex_);
	return now_;
}

void FixedClock::sleepFor(std::chrono::milliseconds d)
{
	advance(d);
}

void FixedClock::set(time_point t)
{
	std::lock_guard lock(mutex_);
	now_ = t;
}

void FixedClock::advance(std::chrono::milliseconds d)
{
	std::lock_guard lock(mutex_);
	now_ += d;
}

MapEnvironment::MapEnvironment(std::map<std::string, std::string, std::less<>> vars)
	: vars_(std::move(vars))
{
}

std::optional<std::string> MapEnvironment::get(std::string_view name) const
{
	auto it = vars_.find(name);
	if (it == vars_.end())
		return std::nullopt;
	return it->second;
}

void MapEnvironment::set(std::string name, std::string value)
{
	vars_[std::move(name)] = std::move(value);
}

void MapEnvironment::unset(std::string_view name)
{
	auto it = vars_.find(name);
	if (it != vars_.end())
		vars_.erase(it);
}

MapFileSystem::MapFileSystem(std::map<std::string, std::string> files)
	: files_(std::move(files))
{
}

std::optional<std::string> MapFileSystem::read(const std::string &path) const
{
	auto it = files_.find(path);
	if (it == files_.end())
		return std::nullopt;
	return it->second;
}

std::optional<FileStatus> MapFileSystem::status(const std::string &path) const
{
	auto it = statuses_.find(path);
	if (it == statuses_.end())
		return std::nullopt;
	return it->second;
}

void MapFileSystem::setStatus(std::string path, FileStatus status)
{
	statuses_[std::move(path)] = status;
}

void MapFileSystem::writePrivate(const std::string &path, std::string_view content) const
{
	files_[path] = std::string(content);
}

void MapFileSystem::write(std::string path, std::string content)
{
	files_[std::move(path)] = std::move(content);
}

} // namespace mwaatok

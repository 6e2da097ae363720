#include "mwaatok/credentials_cache.h"

#include "core/strings.h"
#include "credentials/credentials_util.h"
#include "mwaatok/environment.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mwaatok {

namespace {

constexpr size_t kMaxCacheFile = 1 << 20;

class MemoryRoleCache final : public RoleCache {
protected:
	std::optional<std::string> readStored(const std::string &) override { return std::nullopt; }
	void writeStored(const std::string &, const std::string &) override {}
};

class FileRoleCache final : public RoleCache {
public:
	FileRoleCache(std::string dir, WarningSink warn) : dir_(std::move(dir)), warn_(std::move(warn)) {}

protected:
	std::optional<std::string> readStored(const std::string &key) override
	{
		// A cache file that cannot be read is no cache entry: it is replaced on the next store.
		try {
			return detail::readFileCapped(pathOf(key), kMaxCacheFile);
		} catch (const Error &) {
			return std::nullopt;
		}
	}

	void writeStored(const std::string &key, const std::string &json) override
	{
		std::string error = write(pathOf(key), json);
		if (!error.empty() && warn_)
			warn_("cannot write the assumed-role cache " + pathOf(key) + ": " + error);
	}

private:
	std::string pathOf(const std::string &key) const { return dir_ + "/" + key + ".json"; }

	std::string makeDirs() const
	{
		// Each ancestor in turn, e.g. "/h", "/h/.aws", "/h/.aws/cli", "/h/.aws/cli/cache".
		for (size_t slash = dir_.find('/', 1);; slash = dir_.find('/', slash + 1)) {
			std::string path = dir_.substr(0, slash);
			if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
				return path + ": " + std::strerror(errno);
			if (slash == std::string::npos)
				return {};
		}
	}

	// Written to a temporary file in the same directory, then renamed: a reader
	// sees the old file or the new one, never half of one.
	std::string write(const std::string &path, const std::string &json) const
	{
		if (std::string e = makeDirs(); !e.empty())
			return e;
		std::string tmp = path + ".XXXXXX";
		int fd = ::mkstemp(tmp.data());
		if (fd < 0)
			return std::strerror(errno);
		::fchmod(fd, 0600);
		size_t done = 0;
		while (done < json.size()) {
			ssize_t n = ::write(fd, json.data() + done, json.size() - done);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				int e = errno;
				::close(fd);
				::unlink(tmp.c_str());
				return std::strerror(e);
			}
			done += static_cast<size_t>(n);
		}
		if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
			int e = errno;
			::unlink(tmp.c_str());
			return std::strerror(e);
		}
		return {};
	}

	std::string dir_;
	WarningSink warn_;
};

} // namespace

std::optional<std::string> RoleCache::load(const std::string &key)
{
	{
		std::lock_guard lock(mutex_);
		if (auto it = memory_.find(key); it != memory_.end())
			return it->second;
	}
	return readStored(key);
}

void RoleCache::store(const std::string &key, const std::string &json)
{
	{
		std::lock_guard lock(mutex_);
		memory_[key] = json;
	}
	writeStored(key, json);
}

std::mutex &RoleCache::lockFor(const std::string &key)
{
	std::lock_guard lock(mutex_);
	auto &m = locks_[key];
	if (!m)
		m = std::make_unique<std::mutex>();
	return *m;
}

std::unique_ptr<RoleCache> makeFileRoleCache(std::string directory, WarningSink warn)
{
	return std::make_unique<FileRoleCache>(std::move(directory), std::move(warn));
}

std::unique_ptr<RoleCache> makeAwsCliRoleCache(const Environment &env, WarningSink warn)
{
	auto home = env.getNonEmpty("HOME");
	if (!home)
		return makeMemoryRoleCache();
	return makeFileRoleCache(*home + "/.aws/cli/cache", std::move(warn));
}

std::unique_ptr<RoleCache> makeMemoryRoleCache()
{
	return std::make_unique<MemoryRoleCache>();
}

} // namespace mwaatok

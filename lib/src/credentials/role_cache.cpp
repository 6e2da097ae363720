#include "mwaatok/credentials_cache.h"

#include "core/strings.h"
#include "credentials/credentials_util.h"
#include "credentials/profile_sources.h"
#include "mwaatok/clock.h"
#include "mwaatok/environment.h"
#include "mwaatok/filesystem.h"


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
	FileRoleCache(const FileSystem &fs, std::string dir, WarningSink warn)
		: fs_(fs), dir_(std::move(dir)), warn_(std::move(warn))
	{
	}

protected:
	std::optional<std::string> readStored(const std::string &key) override
	{
		// A cache file that cannot be read is no cache entry: it is replaced on the next store.
		try {
			return fs_.readCapped(pathOf(key), kMaxCacheFile);
		} catch (const Error &) {
			return std::nullopt;
		}
	}

	void writeStored(const std::string &key, const std::string &json) override
	{
		try {
			fs_.writePrivate(pathOf(key), json);
		} catch (const Error &e) {
			if (warn_)
				warn_(std::string("the AWS CLI's credential cache was not written: ") + e.what());
		}
	}

private:
	std::string pathOf(const std::string &key) const { return dir_ + "/" + key + ".json"; }

	const FileSystem &fs_;
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

std::unique_ptr<RoleCache> makeFileRoleCache(const FileSystem &fs, std::string directory, WarningSink warn)
{
	return std::make_unique<FileRoleCache>(fs, std::move(directory), std::move(warn));
}

std::optional<std::string> awsCliCacheDirectory(const Environment &env)
{
	auto home = env.getNonEmpty("HOME");
	if (!home)
		return std::nullopt;
	return *home + "/.aws/cli/cache";
}

std::unique_ptr<RoleCache> makeAwsCliRoleCache(const Environment &env, const FileSystem &fs, WarningSink warn)
{
	auto dir = awsCliCacheDirectory(env);
	if (!dir)
		return makeMemoryRoleCache();
	return makeFileRoleCache(fs, *dir, std::move(warn));
}

namespace detail {

Credentials throughRoleCache(const ProviderContext &ctx, const std::string &key,
			     const std::function<std::optional<Credentials>(const std::string &json)> &parse,
			     const std::function<CacheableCredentials()> &fetch)
{
	std::unique_ptr<RoleCache> local;
	RoleCache *cache = ctx.roleCache;
	if (!cache) {
		local = makeMemoryRoleCache();
		cache = local.get();
	}
	// One caller at a time per key: the others find its answer in the cache.
	std::lock_guard lock(cache->lockFor(key));
	if (auto json = cache->load(key)) {
		auto c = parse(*json);
		if (c && c->expiration && *c->expiration - ctx.clock.now() >= kRoleCacheWindow)
			return *c;
	}
	CacheableCredentials fresh = fetch();
	if (!fresh.json.empty())
		cache->store(key, fresh.json);
	return fresh.credentials;
}

} // namespace detail

std::unique_ptr<RoleCache> makeMemoryRoleCache()
{
	return std::make_unique<MemoryRoleCache>();
}

} // namespace mwaatok

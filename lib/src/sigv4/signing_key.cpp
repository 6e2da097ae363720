#include "sigv4/signing_key.h"

#include <atomic>
#include <charconv>
#include <mutex>
#include <string>
#include <unordered_map>

namespace mwaatok::sigv4::detail {

namespace {

// A key is valid for one day and one (region, service), so a process only
// ever needs a handful; the bound just stops rotation from growing the map.
constexpr size_t maxCachedKeys = 64;

struct KeyCache {
	std::mutex mutex;
	std::unordered_map<std::string, crypto::Digest> keys;
	std::atomic<unsigned> generation{ 0 };
};

KeyCache &cache()
{
	static KeyCache c;
	return c;
}

// Each thread remembers the last key it used, so the common case (the same
// credentials again) takes no lock and builds no lookup string.
struct LastKey {
	std::string secret, date, region, service;
	crypto::Digest key{};
	unsigned generation = ~0u;

	bool matches(std::string_view s, std::string_view d, std::string_view r, std::string_view v,
		     unsigned g) const
	{
		return generation == g && date == d && region == r && service == v &&
		       crypto::constantTimeEquals(secret, s);
	}
};

void appendField(std::string &id, std::string_view field)
{
	// Length-prefixed, so no choice of field contents can collide.
	char buf[24];
	auto [end, ec] = std::to_chars(buf, buf + sizeof buf, field.size());
	(void)ec;
	id.append(buf, end);
	id += ':';
	id += field;
}

} // namespace

crypto::Digest deriveSigningKey(std::string_view secret, std::string_view date, std::string_view region,
				std::string_view service)
{
	std::string k;
	k.reserve(4 + secret.size());
	k += "AWS4";
	k += secret;
	crypto::Digest d = crypto::hmacSha256(k, date);
	// Do not leave the secret in freed memory.
	std::fill(k.begin(), k.end(), '\0');
	d = crypto::hmacSha256(crypto::view(d), region);
	d = crypto::hmacSha256(crypto::view(d), service);
	return crypto::hmacSha256(crypto::view(d), "aws4_request");
}

crypto::Digest cachedSigningKey(std::string_view secret, std::string_view date, std::string_view region,
				std::string_view service)
{
	thread_local LastKey last;
	KeyCache &c = cache();
	unsigned generation = c.generation.load(std::memory_order_acquire);
	if (last.matches(secret, date, region, service, generation))
		return last.key;

	std::string id;
	appendField(id, secret);
	appendField(id, date);
	appendField(id, region);
	appendField(id, service);
	crypto::Digest key;
	{
		std::lock_guard lock(c.mutex);
		auto it = c.keys.find(id);
		if (it != c.keys.end()) {
			key = it->second;
		} else {
			key = deriveSigningKey(secret, date, region, service);
			if (c.keys.size() >= maxCachedKeys)
				c.keys.clear();
			c.keys.emplace(id, key);
		}
	}
	last.secret.assign(secret);
	last.date.assign(date);
	last.region.assign(region);
	last.service.assign(service);
	last.key = key;
	last.generation = generation;
	return key;
}

void clearSigningKeyCache()
{
	KeyCache &c = cache();
	std::lock_guard lock(c.mutex);
	c.keys.clear();
	c.generation.fetch_add(1, std::memory_order_acq_rel);
}

} // namespace mwaatok::sigv4::detail

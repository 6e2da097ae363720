#include "mwaatok/credential_provider.h"
#include "mwaatok/credentials_cache.h"

#include "credentials/credentials_util.h"

#include "mwaatok/clock.h"

namespace mwaatok {

namespace {

std::string noCredentialsMessage(const std::string &reasons)
{
	return "no aws credentials found (" + reasons +
	       "): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or choose a profile with --profile or "
	       "AWS_PROFILE";
}

} // namespace

NoCredentialsError::NoCredentialsError(const std::string &message)
	: Error(ErrorKind::Credentials, message)
{
}

void ProviderChain::add(std::unique_ptr<CredentialProvider> provider)
{
	providers_.push_back(std::move(provider));
}

std::optional<Credentials> ProviderChain::resolve(std::string &whyNot)
{
	std::string reasons;
	for (const auto &p : providers_) {
		std::string why;
		if (auto c = p->resolve(why))
			return c;
		if (!reasons.empty())
			reasons += "; ";
		reasons += std::string(p->name()) + ": " + (why.empty() ? "not configured" : why);
	}
	whyNot = reasons;
	return std::nullopt;
}

Credentials ProviderChain::resolveOrThrow()
{
	std::string why;
	if (auto c = resolve(why))
		return *c;
	throw NoCredentialsError(noCredentialsMessage(why));
}

CredentialsCache::CredentialsCache(Clock &clock, Factory factory, std::chrono::seconds refreshEarly)
	: clock_(clock), factory_(std::move(factory)), refreshEarly_(refreshEarly)
{
}

Credentials CredentialsCache::get(const std::optional<std::string> &profile)
{
	Entry *entry;
	{
		std::lock_guard lock(mutex_);
		auto &slot = entries_[profile ? "profile " + *profile : std::string()];
		if (!slot)
			slot = std::make_unique<Entry>();
		entry = slot.get();
	}
	// Holding the entry's lock while resolving makes concurrent callers wait for
	// this one result instead of each asking the sources.
	std::lock_guard lock(entry->mutex);
	if (entry->failure)
		std::rethrow_exception(entry->failure);
	auto now = clock_.now();
	const auto &cached = entry->credentials;
	if (cached && (!cached->expiration || now < entry->refreshAt))
		return *cached;
	try {
		if (!entry->provider)
			entry->provider = factory_(profile);
		{
			std::lock_guard countLock(mutex_);
			++resolutions_;
		}
		std::string why;
		auto fresh = entry->provider->resolve(why);
		if (!fresh)
			throw NoCredentialsError(noCredentialsMessage(why));
		// As the AWS CLI: signing with credentials that are already dead only
		// earns an ExpiredToken error from the service later.
		if (fresh->expiration && *fresh->expiration <= now)
			throw Error(ErrorKind::Credentials,
				    "the credentials from " + fresh->source + " expired at " +
					    formatExpiry(*fresh->expiration) + "; refresh them and try again");
		// Credentials that come with less than refreshEarly_ left are used until
		// they expire: asking the source again would only get the same ones.
		if (fresh->expiration)
			entry->refreshAt = *fresh->expiration - refreshEarly_ > now ? *fresh->expiration - refreshEarly_
										    : *fresh->expiration;
		entry->credentials = std::move(fresh);
		return *entry->credentials;
	} catch (...) {
		// A failed refresh keeps credentials that are still valid.
		if (cached && cached->expiration && now < *cached->expiration)
			return *cached;
		entry->credentials.reset();
		entry->failure = std::current_exception();
		throw;
	}
}

int CredentialsCache::resolutions() const
{
	std::lock_guard lock(mutex_);
	return resolutions_;
}

} // namespace mwaatok

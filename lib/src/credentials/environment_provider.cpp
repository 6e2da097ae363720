#include "mwaatok/credential_provider.h"

#include "core/strings.h"
#include "credentials/credentials_util.h"
#include "mwaatok/environment.h"

namespace mwaatok {

namespace {

std::optional<std::string> setting(const Environment &env, std::string_view name)
{
	auto v = env.get(name);
	if (!v || trim(*v).empty())
		return std::nullopt;
	return std::string(trim(*v));
}

class EnvironmentProvider final : public CredentialProvider {
public:
	EnvironmentProvider(const Environment &env, bool skipped) : env_(env), skipped_(skipped) {}

	std::string_view name() const override { return "environment"; }

	std::optional<Credentials> resolve(std::string &whyNot) override
	{
		if (skipped_) {
			whyNot = "not used because --profile was given";
			return std::nullopt;
		}
		auto id = setting(env_, "AWS_ACCESS_KEY_ID");
		auto secret = setting(env_, "AWS_SECRET_ACCESS_KEY");
		if (!id && !secret) {
			whyNot = "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set";
			return std::nullopt;
		}
		if (!secret)
			throw Error(ErrorKind::Credentials,
				    "environment variable AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, "
				    "or unset AWS_ACCESS_KEY_ID");
		if (!id)
			throw Error(ErrorKind::Credentials,
				    "environment variable AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both, "
				    "or unset AWS_SECRET_ACCESS_KEY");
		Credentials c;
		c.accessKeyId = *id;
		c.secretAccessKey = *secret;
		if (auto token = setting(env_, "AWS_SESSION_TOKEN"))
			c.sessionToken = *token;
		else if (auto legacy = setting(env_, "AWS_SECURITY_TOKEN"))
			c.sessionToken = *legacy;
		if (auto expiration = setting(env_, "AWS_CREDENTIAL_EXPIRATION")) {
			c.expiration = detail::parseTimestamp(*expiration);
			if (!c.expiration)
				throw Error(ErrorKind::Credentials,
					    "environment variable AWS_CREDENTIAL_EXPIRATION `" + detail::oneLine(*expiration, 40) +
						    "` is not an RFC 3339 timestamp such as 2030-01-02T03:04:05Z");
		}
		if (auto account = setting(env_, "AWS_ACCOUNT_ID"))
			c.accountId = *account;
		c.source = "env";
		return c;
	}

private:
	const Environment &env_;
	bool skipped_;
};

} // namespace

std::unique_ptr<CredentialProvider> makeEnvironmentProvider(const ProviderContext &ctx, bool skipped)
{
	return std::make_unique<EnvironmentProvider>(ctx.env, skipped);
}

} // namespace mwaatok

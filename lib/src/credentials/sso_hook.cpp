// The place where IAM Identity Center joins the chain. The sso_* files replace
// this one with the real provider (same two functions, same factory).
#include "credentials/profile_sources.h"

namespace mwaatok {

namespace {

class SsoProvider final : public CredentialProvider {
public:
	SsoProvider(const ProviderContext &ctx, ChainOptions options) : ctx_(ctx), options_(std::move(options)) {}

	std::string_view name() const override { return "sso"; }

	std::optional<Credentials> resolve(std::string &whyNot) override
	{
		SharedConfig config = SharedConfig::load(ctx_.env, ctx_.fs, options_.profile);
		const std::string &profile = config.selection().name;
		if (!config.selected() || !detail::hasSsoSettings(config, profile)) {
			whyNot = "profile `" + profile + "` has no sso_session or sso_start_url";
			return std::nullopt;
		}
		return detail::ssoCredentials(ctx_, config, profile);
	}

private:
	ProviderContext ctx_;
	ChainOptions options_;
};

} // namespace

std::unique_ptr<CredentialProvider> makeSsoProvider(const ProviderContext &ctx, const ChainOptions &options)
{
	return std::make_unique<SsoProvider>(ctx, options);
}

namespace detail {

bool hasSsoSettings(const SharedConfig &config, const std::string &profile)
{
	return config.findIn(profile, "sso_session") || config.findIn(profile, "sso_start_url");
}

Credentials ssoCredentials(const ProviderContext &, const SharedConfig &config, const std::string &profile)
{
	std::string key = config.findIn(profile, "sso_session") ? "sso_session" : "sso_start_url";
	throw Error(ErrorKind::Credentials, profileWhere(config, profile, key) +
						    " uses IAM Identity Center (sso), which is not supported yet: "
						    "give the profile static keys, a credential_process or a role, or "
						    "choose another profile");
}

} // namespace detail

} // namespace mwaatok

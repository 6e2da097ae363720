#include "credentials/sso_provider.h"

#include "credentials/credentials_util.h"
#include "credentials/profile_sources.h"
#include "credentials/sso_oidc.h"
#include "mwaatok/clock.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/filesystem.h"
#include "mwaatok/profile_file.h"

#include <mutex>

namespace mwaatok::detail {

namespace {

/// One refresh at a time in this process: profiles that share an sso-session
/// would otherwise each spend the (single-use) refresh token.
std::mutex refreshMutex;

/// "profile `NAME` (file:line)": the profile and where it was made an SSO one.
std::string named(const SsoSettings &s)
{
	return "profile `" + s.profile + "`" + (s.definedAt.empty() ? "" : " (" + s.definedAt + ")");
}

Error failure(const SsoSettings &s, const std::string &cause, bool login = true)
{
	return Error(ErrorKind::Credentials,
		     named(s) + ": " + cause + (login ? "; " + ssoLoginHint(s.profile) : std::string()));
}

std::string loginName(const SsoSettings &s)
{
	return s.sessionName.empty() ? "start URL " + s.startUrl : "sso-session `" + s.sessionName + "`";
}

/// \a token refreshed through SSO OIDC, or nullopt (with a warning) when the
/// service refused; network failures propagate.
std::optional<SsoToken> refreshed(const ProviderContext &ctx, const SsoSettings &s, const SsoToken &token)
{
	SsoOidcClient oidc(ctx.http, ssoOidcEndpoint(ctx.env, s.region));
	SsoServiceError error;
	auto answer = oidc.refreshToken(token.clientId, token.clientSecret, token.refreshToken, error);
	if (!answer) {
		if (ctx.warn)
			ctx.warn(named(s) + ": refreshing the IAM Identity Center token failed (" + describe(error) +
				 ")");
		return std::nullopt;
	}
	// The fields botocore's SSOTokenProvider writes back.
	return cacheEntry(s.startUrl, s.region, *answer, ctx.clock.now(), token.clientId, token.clientSecret,
			  token.registrationExpiresAt);
}

/// The one-line error for a refused GetRoleCredentials.
Error roleFailure(const SsoSettings &s, const SsoServiceError &error)
{
	if (error.status == 401)
		return failure(s, "IAM Identity Center refused the SSO token (" + describe(error) +
					 "): the login expired or was revoked");
	if (error.status == 403)
		return failure(s,
			      "IAM Identity Center gives no access to role " + s.roleName + " in account " +
				      s.accountId + " (" + describe(error) +
				      "): check sso_account_id and sso_role_name (" + s.definedAt + ")",
			      false);
	return failure(s, "IAM Identity Center GetRoleCredentials failed (" + describe(error) + ")", false);
}

} // namespace

std::string ssoAccessToken(const ProviderContext &ctx, const SsoSettings &s)
{
	const std::string path = ssoTokenPath(ctx.env, s.startUrl, s.sessionName);
	std::lock_guard lock(refreshMutex);
	std::optional<std::string> text;
	try {
		text = ctx.fs.readCapped(path, kMaxTokenFile);
	} catch (const Error &e) {
		throw Error(ErrorKind::Credentials, named(s) + ": the IAM Identity Center token cache is unreadable (" +
							    e.what() + "): fix its permissions, or " +
							    ssoLoginHint(s.profile));
	}
	if (!text)
		throw failure(s, "not logged in to IAM Identity Center (SSO): no token for " + loginName(s) + " in " +
					 path);
	SsoTokenProblem problem;
	auto token = parseSsoToken(*text, problem);
	if (!token)
		throw failure(s,
			      "the IAM Identity Center token cache " + path + " is not usable (" + problem.what + ")");
	if (!token->startUrl.empty() && token->startUrl != s.startUrl)
		throw failure(s, "the IAM Identity Center token cache " + path + " is for start URL " +
					 token->startUrl + ", not " + s.startUrl);
	auto now = ctx.clock.now();
	// Only sso-session profiles refresh (botocore's SSOTokenProvider); a legacy
	// token is used until it expires.
	if (!s.sessionName.empty() && token->expiresAt - now < kSsoRefreshWindow && token->refreshable(now)) {
		std::optional<SsoToken> fresh;
		try {
			fresh = refreshed(ctx, s, *token);
		} catch (const NetworkError &e) {
			// As botocore: a refresh that fails keeps a token that still works.
			if (token->expiresAt <= now)
				throw;
			if (ctx.warn)
				ctx.warn(named(s) + ": refreshing the IAM Identity Center token failed (" + e.what() +
					 ")");
		}
		if (fresh) {
			token = std::move(fresh);
			try {
				ctx.fs.writePrivate(path, formatSsoToken(*token));
			} catch (const Error &e) {
				if (ctx.warn)
					ctx.warn(
						std::string("the refreshed IAM Identity Center token was not saved: ") +
						e.what());
			}
		}
	}
	if (token->expiresAt <= now)
		throw failure(s, "the IAM Identity Center (SSO) login for " + loginName(s) + " expired at " +
					 formatExpiry(token->expiresAt));
	return token->accessToken;
}

Credentials ssoCredentials(const ProviderContext &ctx, const SsoSettings &s)
{
	// Role credentials the AWS CLI (or an earlier run) cached, while more than
	// 15 minutes remain; an unreadable or corrupt file is ignored and replaced.
	const std::string key = ssoRoleCacheKey(s.startUrl, s.sessionName, s.accountId, s.roleName);
	auto fromCache = [&](const std::string &json) {
		auto c = parseSsoRoleCache(json);
		if (c)
			c->accountId = s.accountId;
		return c;
	};
	return throughRoleCache(ctx, key, fromCache, [&] {
		std::string token = ssoAccessToken(ctx, s);
		SsoServiceError error;
		auto c = getRoleCredentials(ctx.http, ssoPortalEndpoint(ctx.env, s.region), token, s.accountId,
					    s.roleName, error);
		if (!c)
			throw roleFailure(s, error);
		return CacheableCredentials{ *c, c->expiration ? formatSsoRoleCache(*c) : std::string() };
	});
}

} // namespace mwaatok::detail

namespace mwaatok {

namespace {

std::optional<Credentials> resolveNamed(const ProviderContext &ctx, const SharedConfig &config,
					const std::string &profile)
{
	auto settings = detail::ssoCredentialSettings(config, profile);
	if (!settings)
		return std::nullopt;
	return detail::ssoCredentials(ctx, *settings);
}

class SsoProvider final : public CredentialProvider {
public:
	SsoProvider(const ProviderContext &ctx, ChainOptions options) : ctx_(ctx), options_(std::move(options)) {}

	std::string_view name() const override { return "sso"; }

	std::optional<Credentials> resolve(std::string &whyNot) override
	{
		SharedConfig config = SharedConfig::load(ctx_.env, ctx_.fs, options_.profile);
		const std::string &profile = config.selection().name;
		if (config.selected())
			if (auto c = resolveSsoProfile(ctx_, config, profile))
				return c;
		whyNot = detail::ssoTokenOnlyReason(config).value_or(
			"profile `" + profile + "` has no sso_account_id or sso_role_name");
		return std::nullopt;
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

std::optional<Credentials> resolveSsoProfile(const ProviderContext &ctx, const SharedConfig &config)
{
	return resolveNamed(ctx, config, config.selection().name);
}

std::optional<Credentials> resolveSsoProfile(const ProviderContext &ctx, const SharedConfig &config,
					     const std::string &profile)
{
	return resolveNamed(ctx, config, profile);
}

} // namespace mwaatok

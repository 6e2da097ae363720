#include "credentials/sso_provider.h"

#include "credentials/credentials_util.h"
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

} // namespace

std::string ssoAccessToken(const ProviderContext &ctx, const SsoSettings &s, const SsoFileWriter &write)
{
	const std::string path = ssoTokenPath(ctx.env, s.startUrl, s.sessionName);
	std::lock_guard lock(refreshMutex);
	std::optional<std::string> text;
	try {
		text = ctx.fs.read(path);
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
				write(path, formatSsoToken(*token));
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

Credentials ssoCredentials(const ProviderContext &ctx, const SsoSettings &s, const SsoFileWriter &write)
{
	// Role credentials the AWS CLI (or an earlier run) cached, while more
	// than 15 minutes remain (botocore's CachedCredentialFetcher); an
	// unreadable or corrupt file is ignored and replaced.
	const std::string cachePath = ssoRoleCachePath(ctx.env, s.startUrl, s.sessionName, s.accountId, s.roleName);
	try {
		if (auto text = ctx.fs.read(cachePath))
			if (auto cached = parseSsoRoleCache(*text);
			    cached && *cached->expiration - ctx.clock.now() >= kSsoRoleCacheWindow) {
				cached->accountId = s.accountId;
				return *cached;
			}
	} catch (const Error &) {
	}
	std::string token = ssoAccessToken(ctx, s, write);
	SsoServiceError error;
	auto c = getRoleCredentials(ctx.http, ssoPortalEndpoint(ctx.env, s.region), token, s.accountId, s.roleName,
				    error);
	if (c) {
		if (c->expiration) {
			try {
				write(cachePath, formatSsoRoleCache(*c));
			} catch (const Error &e) {
				if (ctx.warn)
					ctx.warn(std::string(
							 "the IAM Identity Center role credentials were not cached: ") +
						 e.what());
			}
		}
		return *c;
	}
	if (error.status == 401)
		throw failure(s, "IAM Identity Center refused the SSO token (" + describe(error) +
					 "): the login expired or was revoked");
	if (error.status == 403)
		throw failure(s,
			      "IAM Identity Center gives no access to role " + s.roleName + " in account " +
				      s.accountId + " (" + describe(error) +
				      "): check sso_account_id and sso_role_name (" + s.definedAt + ")",
			      false);
	throw failure(s, "IAM Identity Center GetRoleCredentials failed (" + describe(error) + ")", false);
}

} // namespace mwaatok::detail

namespace mwaatok {

namespace {

std::optional<Credentials> resolveNamed(const ProviderContext &ctx, const SharedConfig &config,
					const std::string &profile, const detail::SsoFileWriter &write)
{
	auto settings = detail::ssoCredentialSettings(config, profile);
	if (!settings)
		return std::nullopt;
	return detail::ssoCredentials(ctx, *settings, write);
}

/// Writes go where reads come from: the disk for the real file system,
/// nowhere for any other.
detail::SsoFileWriter writerFor(const FileSystem &fs)
{
	if (dynamic_cast<const SystemFileSystem *>(&fs))
		return detail::systemSsoFileWriter();
	return [](const std::string &, const std::string &) {
	};
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

std::optional<Credentials> resolveSsoProfile(const ProviderContext &ctx, const SharedConfig &config,
					     const detail::SsoFileWriter &write)
{
	return resolveNamed(ctx, config, config.selection().name, write);
}

std::optional<Credentials> resolveSsoProfile(const ProviderContext &ctx, const SharedConfig &config)
{
	return resolveNamed(ctx, config, config.selection().name, writerFor(ctx.fs));
}

std::optional<Credentials> resolveSsoProfile(const ProviderContext &ctx, const SharedConfig &config,
					     const std::string &profile)
{
	return resolveNamed(ctx, config, profile, writerFor(ctx.fs));
}

} // namespace mwaatok

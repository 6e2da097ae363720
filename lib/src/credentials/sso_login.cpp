#include "credentials/sso_login.h"

#include "credentials/credentials_util.h"
#include "credentials/sso_oidc.h"
#include "mwaatok/time.h"
#include "mwaatok/clock.h"
#include "mwaatok/error.h"
#include "mwaatok/filesystem.h"
#include "mwaatok/profile_file.h"

#include <algorithm>

namespace mwaatok::detail {

namespace {

/// botocore's SSOTokenFetcher: a registration with less than this left is replaced.
constexpr std::chrono::minutes kRegistrationWindow{15};
/// RFC 8628 §3.5: slow_down adds 5 seconds to the interval.
constexpr long long kSlowDownSeconds = 5;

SsoRegistration registration(const ProviderContext &ctx, const SsoSettings &s, SsoOidcClient &oidc)
{
	const std::string path = ssoRegistrationPath(ctx.env, s.startUrl, s.region, s.sessionName, s.scopes);
	auto now = ctx.clock.now();
	try {
		if (auto text = ctx.fs.read(path))
			if (auto cached = parseSsoRegistration(*text);
			    cached && cached->expiresAt - now >= kRegistrationWindow)
				return *cached;
	} catch (const Error &) {
		// An unreadable registration is replaced, as a corrupt one is.
	}
	std::string suffix =
		s.sessionName.empty()
			? std::to_string(
				  std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count())
			: s.sessionName;
	SsoRegistration reg = oidc.registerClient("mwaatok-client-" + suffix, s.scopes);
	ctx.fs.writePrivate(path, formatSsoRegistration(reg));
	return reg;
}

Error loginError(const SsoSettings &s, const std::string &cause)
{
	return Error(ErrorKind::Credentials, "sso login for profile `" + s.profile + "` failed: " + cause);
}

} // namespace

SsoLoginResult ssoLogin(const ProviderContext &ctx, const SsoSettings &s, const SsoLoginIo &io)
{
	SsoOidcClient oidc(ctx.http, ssoOidcEndpoint(ctx.env, s.region));
	SsoRegistration reg = registration(ctx, s, oidc);
	DeviceAuthorization auth = oidc.startDeviceAuthorization(reg, s.startUrl);
	const auto deadline = ctx.clock.now() + std::chrono::seconds(std::max(auth.expiresIn, 1LL));
	long long interval = std::max(auth.interval, 1LL);

	bool shown = false;
	std::optional<OidcToken> answer;
	for (;;) {
		SsoServiceError error;
		answer = oidc.createTokenWithDeviceCode(reg, auth.deviceCode, error);
		if (answer)
			break;
		if (error.type == "SlowDownException")
			interval += kSlowDownSeconds;
		else if (error.type == "ExpiredTokenException")
			throw loginError(
				s, "the authorization request expired before it was approved; run sso login again");
		else if (error.type != "AuthorizationPendingException")
			throw loginError(s, describe(error));
		if (!shown) {
			// As the AWS CLI: one attempt first, the message only when it is
			// needed, then the browser.
			shown = true;
			if (io.say)
				io.say(std::string(io.openBrowser
							   ? "Attempting to automatically open the SSO authorization "
							     "page in your default browser.\nIf the browser does not "
							     "open or you wish to use a different device to authorize "
							     "this request, open the following URL:\n"
							   : "Open the following URL in a browser:\n") +
				       "\n" + auth.verificationUri + "\n\nThen enter the code:\n\n" + auth.userCode +
				       "\n");
			std::string url = auth.verificationUriComplete.empty() ? auth.verificationUri
									       : auth.verificationUriComplete;
			if (io.openBrowser && !io.openBrowser(url) && io.say)
				io.say("No browser could be opened (set BROWSER or install xdg-open): open the URL above.\n");
		}
		if (ctx.clock.now() + std::chrono::seconds(interval) > deadline)
			throw loginError(
				s, "the authorization request expired before it was approved; run sso login again");
		ctx.clock.sleepFor(std::chrono::seconds(interval));
	}

	SsoToken token = cacheEntry(s.startUrl, s.region, *answer, ctx.clock.now(), reg.clientId, reg.clientSecret,
				    time::formatRfc3339(reg.expiresAt));
	SsoLoginResult result{ ssoTokenPath(ctx.env, s.startUrl, s.sessionName), token.expiresAt };
	ctx.fs.writePrivate(result.tokenPath, formatSsoToken(token));
	return result;
}

} // namespace mwaatok::detail

namespace mwaatok {

SsoLoginOutcome ssoLogin(const ProviderContext &ctx, const std::optional<std::string> &profile,
			 const std::optional<std::string> &ssoSession, const SsoLoginIo &io)
{
	auto config = SharedConfig::load(ctx.env, ctx.fs, profile);
	auto settings = detail::ssoLoginSettings(config, ssoSession);
	auto result = detail::ssoLogin(ctx, settings, io);
	return SsoLoginOutcome{ settings.startUrl, result.tokenPath, result.expiresAt };
}

} // namespace mwaatok

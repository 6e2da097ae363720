#pragma once

// IAM Identity Center login (`mwaatok sso login`): the OAuth device
// authorization, writing the token (and the client registration) to the AWS
// CLI's cache files, so that SSO profiles work on a host without the AWS CLI.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace mwaatok {

struct ProviderContext;

/// How the login talks to the user.
struct SsoLoginIo {
	/// Shows a message (the verification URL and code) on the terminal; never a token.
	std::function<void(const std::string &)> say;
	/// Opens \a url in a browser; false when there is none. May be empty.
	std::function<bool(const std::string &url)> openBrowser;
};

/// What a login wrote.
struct SsoLoginOutcome {
	std::string startUrl;  ///< the portal logged into
	std::string tokenPath; ///< the token cache file
	std::chrono::system_clock::time_point expiresAt;
};

/// Log into the IAM Identity Center of AWS profile \a profile (nullopt: the
/// environment's choice), or of `[sso-session NAME]` \a ssoSession: register a
/// client (or reuse the cached registration), start the device authorization,
/// show the URL and code, poll until it is approved, denied or expired, and
/// write the token cache (through ctx.fs). Throws Error(Config) for a profile
/// without SSO settings, Error(Credentials) for a failed login.
SsoLoginOutcome ssoLogin(const ProviderContext &ctx, const std::optional<std::string> &profile,
			 const std::optional<std::string> &ssoSession, const SsoLoginIo &io);

} // namespace mwaatok

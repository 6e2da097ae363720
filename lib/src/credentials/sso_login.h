#pragma once

// `sso login`: the OAuth device authorization of IAM Identity Center, writing
// the token (and the client registration) to the AWS CLI's cache files.

#include "credentials/sso_cache.h"
#include "credentials/sso_config.h"
#include "mwaatok/credential_provider.h"
#include "mwaatok/sso.h"

#include <string>

namespace mwaatok::detail {

using mwaatok::SsoLoginIo;

struct SsoLoginResult {
	std::string tokenPath;
	SsoTime expiresAt;
};

/// Register a client (or reuse the cached registration), start the device
/// authorization, show the URL and code, poll CreateToken at the interval
/// the service asks for (slower on SlowDownException) until it is approved,
/// denied or expired, and write the token cache (through ctx.fs). Throws Error(Credentials).
SsoLoginResult ssoLogin(const ProviderContext &ctx, const SsoSettings &s, const SsoLoginIo &io);

} // namespace mwaatok::detail

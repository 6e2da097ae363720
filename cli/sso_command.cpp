// `mwaatok sso login`: the IAM Identity Center device login, writing the AWS
// CLI's token cache so that SSO profiles work without the AWS CLI.
#include <iostream>

#include "app.h"
#include "builtin_plugins.h"
#include "mwaatok/error.h"
#include "mwaatok/sso.h"
#include "mwaatok/time.h"

namespace mwaatok::cli {

int runSso(App &app)
{
	const Options &o = app.options();
	if (o.args.size() != 1 || o.args[0] != "login")
		throw Error(ErrorKind::Usage,
			    "expected 'sso login' (with --profile NAME for a profile other than the default)");

	SsoLoginIo io;
	io.say = [](const std::string &text) {
		std::cerr << text << std::flush;
	};
	if (!o.noBrowser) {
		// The browser plugin's choice of opener, through the launcher seam. The
		// URL carries the user code, which is no secret.
		io.openBrowser = [&app](const std::string &url) {
			return openInBrowser(app.env(), app.launcher(), url);
		};
	}
	auto result = ssoLogin(app.providerContext(), o.profile, o.ssoSession, io);
	std::cerr << "Successfully logged into Start URL: " << result.startUrl << " (the token is valid until "
		  << time::formatRfc3339Offset(result.expiresAt) << ")\n";
	return 0;
}

} // namespace mwaatok::cli

// `mwaatok sso login`: the IAM Identity Center device login, writing the AWS
// CLI's token cache so that SSO profiles work without the AWS CLI.
#include <iostream>

#include "app.h"
#include "browser/browser_plugin.h"
#include "credentials/credentials_util.h"
#include "credentials/sso_login.h"
#include "mwaatok/error.h"
#include "mwaatok/profile_file.h"

namespace mwaatok::cli {

int runSso(App &app)
{
	const Options &o = app.options();
	if (o.args.size() != 1 || o.args[0] != "login")
		throw Error(ErrorKind::Usage,
			    "expected 'sso login' (with --profile NAME for a profile other than the default)");
	auto config = SharedConfig::load(app.env(), app.files(), o.profile);
	auto settings = detail::ssoLoginSettings(config, o.ssoSession);

	detail::SsoLoginIo io;
	io.say = [](const std::string &text) {
		std::cerr << text << std::flush;
	};
	if (!o.noBrowser) {
		io.openBrowser = [&app](const std::string &url) {
			// The browser plugin's choice of opener ($BROWSER, xdg-open), through
			// the launcher seam. The URL carries the user code, which is no secret.
			BrowserPlugin browser(std::cout, std::cerr, app.env(), app.launcher());
			ProcessSpec spec;
			spec.argv = browser.opener();
			if (spec.argv.empty())
				return false;
			spec.argv.push_back(url);
			spec.detach = true;
			return app.launcher().run(spec).started;
		};
	}
	auto result = detail::ssoLogin(app.providerContext(), settings, io);
	std::cerr << "Successfully logged into Start URL: " << settings.startUrl << " (the token is valid until "
		  << formatExpiry(result.expiresAt) << ")\n";
	return 0;
}

} // namespace mwaatok::cli

// mwaatok: parse the command line, wire the real seams, run one command.
#include <cstdio>
#include <iostream>

#include "app.h"
#include "core/strings.h"
#include "mwaatok/error.h"
#include "mwaatok_config.h"
#include "options.h"
#include "usage.h"

using namespace mwaatok;
using namespace mwaatok::cli;

namespace {

struct Command {
	const char *name;
	int (*run)(App &);
};

const Command commands[] = {
	{ "url", runUrl },
	{ "open", runOpen },
	{ "token", runToken },
	{ "cli", runCli },
	{ "request", runRequest },
	{ "configure", runConfigure },
	{ "export-credentials", runExportCredentials },
	{ "environments", runEnvironments },
	{ "plugins", runPlugins },
	{ "sso", runSso },
};

int dispatch(Options options)
{
	if (options.help) {
		std::cout << usageText;
		return 0;
	}
	if (options.version) {
		std::cout << MWAATOK_VERSION << "\n";
		return 0;
	}
	if (options.command.empty()) {
		std::cerr << usageText;
		return 2;
	}
	for (const auto &c : commands) {
		if (options.command == c.name) {
			App app(std::move(options));
			return c.run(app);
		}
	}
	std::vector<std::string> names;
	for (const auto &c : commands)
		names.push_back(c.name);
	std::string hint = closestMatch(options.command, names);
	throw Error(ErrorKind::Usage, "unknown command '" + options.command + "'" +
					      (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
					      " (see mwaatok --help)");
}

} // namespace

int main(int argc, char **argv)
{
	std::ios::sync_with_stdio(false);
	try {
		return dispatch(parseCommandLine(std::vector<std::string>(argv + 1, argv + argc)));
	} catch (const Error &e) {
		std::cout.flush();
		std::cerr << "mwaatok: error: " << e.what() << "\n";
		return exitStatusFor(e.kind());
	} catch (const std::exception &e) {
		std::cout.flush();
		std::cerr << "mwaatok: internal error: " << e.what() << "\n";
		return 1;
	}
}

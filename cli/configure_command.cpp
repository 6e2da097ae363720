#include <iostream>

#include "app.h"
#include "mwaatok/configure.h"
#include "mwaatok/error.h"
#include "mwaatok/profile_file.h"

namespace mwaatok::cli {

int runConfigure(App &app)
{
	const Options &o = app.options();
	const std::string sub = o.args.empty() ? "" : o.args[0];
	if (sub == "list" && o.args.size() == 1) {
		ChainOptions chain;
		chain.profile = o.profile;
		auto rows = configureList(app.providerContext(), chain, o.region);
		std::cout << formatConfigureList(rows);
		return 0;
	}
	if (sub == "get" && o.args.size() == 2) {
		auto config = SharedConfig::load(app.env(), app.files(), o.profile);
		auto value = configureGet(config, o.args[1]);
		if (!value)
			return 1;
		std::cout << *value << "\n";
		return 0;
	}
	throw Error(ErrorKind::Usage, "expected 'configure list' or 'configure get KEY'");
}

int runExportCredentials(App &app)
{
	const Options &o = app.options();
	if (!o.args.empty())
		throw Error(ErrorKind::Usage, "export-credentials takes no arguments");
	auto format = parseExportFormat(o.format.value_or("process"));
	if (!format)
		throw Error(ErrorKind::Usage, "unknown --format '" + *o.format +
						      "' (expected process, env or env-no-export)");
	std::cout << exportCredentials(app.credentials(std::nullopt), *format);
	return 0;
}

} // namespace mwaatok::cli

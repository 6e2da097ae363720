#include "builtin_plugins.h"

#include "browser/browser_plugin.h"
#include "exec/exec_plugin.h"
#include "file/file_plugin.h"
#include "print/print_plugin.h"

#include <iostream>

namespace mwaatok {

void registerBuiltinPlugins(PluginRegistry &registry)
{
	registry.add(PrintPlugin::builtin());
	registry.add(BrowserPlugin::builtin());
	registry.add(FilePlugin::builtin());
	registry.add(ExecPlugin::builtin());
}

bool openInBrowser(const Environment &env, ProcessLauncher &launcher, const std::string &url)
{
	BrowserPlugin browser(std::cout, std::cerr, env, launcher);
	ProcessSpec spec;
	spec.argv = browser.opener();
	if (spec.argv.empty())
		return false;
	spec.argv.push_back(url);
	spec.detach = true;
	return launcher.run(spec).started;
}

} // namespace mwaatok

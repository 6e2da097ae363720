#include "builtin_plugins.h"

#include "browser/browser_plugin.h"
#include "exec/exec_plugin.h"
#include "file/file_plugin.h"
#include "print/print_plugin.h"

namespace mwaatok {

void registerBuiltinPlugins(PluginRegistry &registry)
{
	registry.add(PrintPlugin::builtin());
	registry.add(BrowserPlugin::builtin());
	registry.add(FilePlugin::builtin());
	registry.add(ExecPlugin::builtin());
}

} // namespace mwaatok

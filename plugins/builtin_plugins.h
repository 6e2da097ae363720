#pragma once

#include <string>

#include "mwaatok/environment.h"
#include "mwaatok/plugin_registry.h"
#include "mwaatok/process.h"

namespace mwaatok {

/// Register print, browser, file and exec in \a registry.
void registerBuiltinPlugins(PluginRegistry &registry);

/// Open \a url (no secret: it goes on a command line) with the browser
/// plugin's opener ($BROWSER, else xdg-open), detached, through \a launcher;
/// false when there is no opener or it could not be started.
bool openInBrowser(const Environment &env, ProcessLauncher &launcher, const std::string &url);

} // namespace mwaatok

#pragma once

#include "mwaatok/plugin_registry.h"

namespace mwaatok {

/// Register print, browser, file and exec in \a registry.
void registerBuiltinPlugins(PluginRegistry &registry);

} // namespace mwaatok

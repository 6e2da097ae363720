#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mwaatok/output_plugin.h"
#include "mwaatok/output_spec.h"

namespace mwaatok {

class Environment;

/// How to make one built-in plugin.
struct BuiltinPlugin {
	std::string name;
	std::string description; ///< one line for `mwaatok plugins`
	std::vector<std::string> optionKeys;
	/// Makes the plugin; the options are already checked against optionKeys.
	std::function<std::unique_ptr<OutputPlugin>(const PluginOptions &, const PluginContext &)> create;
};

/// One line of `mwaatok plugins`.
struct PluginListing {
	std::string name;
	std::string source;      ///< "built-in", or the module's path
	std::string description; ///< for a module that fails to load: why
	bool loadable = true;
};

/// Output plugins by name: the built-in ones (registered explicitly) first,
/// then modules named mwaatok-plugin-NAME.so in each directory of
/// MWAATOK_PLUGIN_PATH (colon-separated absolute directories, in order), then
/// in the compiled-in plugin directory. The first plugin found under a name
/// wins. A module is loaded (its code runs) only by create() for its name and
/// by list(); it is refused when it or its directory can be written by anyone
/// but the user and root.
class PluginRegistry {
public:
	/// \a moduleDir is the compiled-in directory (MWAATOK_PLUGIN_DIR by
	/// default; empty for none). \a environment must outlive the registry.
	explicit PluginRegistry(const Environment &environment, std::string moduleDir = defaultModuleDir());

	/// The compiled-in module directory, <libdir>/mwaatok/plugins.
	static std::string defaultModuleDir();

	/// Register a built-in plugin; throws Error(Internal) for a name taken twice.
	void add(BuiltinPlugin plugin);

	/// The plugin \a spec names, made with its options. Throws Error(Usage)
	/// for an unknown name (with "did you mean") or bad options, and
	/// Error(Plugin) for a module that does not load.
	std::unique_ptr<OutputPlugin> create(const OutputSpec &spec, const PluginContext &context) const;

	/// Every plugin: built-in ones, then modules in search order (each module
	/// is loaded to read its description), sorted by name within each group.
	std::vector<PluginListing> list() const;

	/// The name of every plugin, built-in and module, without loading any module.
	std::vector<std::string> names() const;

	/// The directories searched for modules, in order. Throws Error(Config)
	/// for a relative MWAATOK_PLUGIN_PATH entry.
	std::vector<std::string> moduleDirs() const;

private:
	/// (name, path) of every module file in the search directories, first one per name.
	std::vector<std::pair<std::string, std::string>> findModules() const;

	const Environment &environment_;
	std::string moduleDir_;
	std::vector<BuiltinPlugin> builtins_;
};

} // namespace mwaatok

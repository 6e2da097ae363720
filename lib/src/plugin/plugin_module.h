#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mwaatok/output_plugin.h"

namespace mwaatok {

/// A loaded external plugin module (dlopen). Stays loaded while a plugin it
/// created is alive.
class PluginModule : public std::enable_shared_from_this<PluginModule> {
public:
	/// Load \a path and check its info symbol (API version, ABI, name) and
	/// factory. Throws Error(Plugin) saying which check failed.
	static std::shared_ptr<PluginModule> load(const std::string &path);
	~PluginModule();

	PluginModule(const PluginModule &) = delete;
	PluginModule &operator=(const PluginModule &) = delete;

	const std::string &path() const { return path_; }
	const std::string &name() const { return name_; }
	const std::string &description() const { return description_; }
	const std::vector<std::string> &optionKeys() const { return optionKeys_; }

	/// A plugin from this module. The options are checked against its keys
	/// (Error(Usage)); anything the module throws, now or later, becomes
	/// Error(Plugin) naming it.
	std::unique_ptr<OutputPlugin> create(const PluginOptions &options, const PluginContext &context);

	/// The plugin name a file called mwaatok-plugin-NAME.so provides; empty
	/// for any other file name.
	static std::string nameFromFileName(const std::string &fileName);

private:
	PluginModule(std::string path, void *handle);

	std::string path_;
	void *handle_;
	std::string name_;
	std::string description_;
	std::vector<std::string> optionKeys_;
	ModuleFactory factory_ = nullptr;
};

} // namespace mwaatok

#include "mwaatok/plugin_registry.h"

#include <algorithm>
#include <dirent.h>

#include "core/strings.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok_config.h"
#include "plugin/plugin_module.h"

namespace mwaatok {

PluginRegistry::PluginRegistry(const Environment &environment, std::string moduleDir)
	: environment_(environment), moduleDir_(std::move(moduleDir))
{
}

std::string PluginRegistry::defaultModuleDir()
{
	return MWAATOK_PLUGIN_DIR;
}

void PluginRegistry::add(BuiltinPlugin plugin)
{
	for (const auto &b : builtins_)
		if (b.name == plugin.name)
			throw Error(ErrorKind::Internal, "output plugin '" + plugin.name + "' registered twice");
	builtins_.push_back(std::move(plugin));
}

std::vector<std::string> PluginRegistry::moduleDirs() const
{
	std::vector<std::string> dirs;
	if (auto path = environment_.getNonEmpty("MWAATOK_PLUGIN_PATH"))
		for (auto d : split(*path, ':')) {
			if (d.empty())
				continue;
			// A relative entry would load code from wherever the command runs.
			if (d.front() != '/')
				throw Error(ErrorKind::Config, "MWAATOK_PLUGIN_PATH entry '" + std::string(d) +
								       "' is not an absolute directory; "
								       "give plugin directories as absolute paths");
			dirs.emplace_back(d);
		}
	if (!moduleDir_.empty())
		dirs.push_back(moduleDir_);
	return dirs;
}

std::vector<std::pair<std::string, std::string>> PluginRegistry::findModules() const
{
	std::vector<std::pair<std::string, std::string>> found;
	for (const auto &dir : moduleDirs()) {
		DIR *d = ::opendir(dir.c_str());
		if (!d)
			continue; // a search directory that does not exist is normal
		std::vector<std::pair<std::string, std::string>> here;
		while (const dirent *e = ::readdir(d)) {
			std::string name = PluginModule::nameFromFileName(e->d_name);
			if (!name.empty())
				here.emplace_back(name, dir + "/" + e->d_name);
		}
		::closedir(d);
		std::sort(here.begin(), here.end());
		for (auto &m : here) {
			bool taken = std::any_of(found.begin(), found.end(),
						 [&](const auto &f) { return f.first == m.first; });
			if (!taken)
				found.push_back(std::move(m));
		}
	}
	return found;
}

std::vector<std::string> PluginRegistry::names() const
{
	std::vector<std::string> names;
	for (const auto &b : builtins_)
		names.push_back(b.name);
	for (const auto &m : findModules())
		names.push_back(m.first);
	return names;
}

std::unique_ptr<OutputPlugin> PluginRegistry::create(const OutputSpec &spec,
						     const PluginContext &context) const
{
	for (const auto &b : builtins_) {
		if (b.name == spec.name) {
			checkOptionKeys(b.name, spec.options, b.optionKeys);
			return b.create(spec.options, context);
		}
	}
	for (const auto &[name, path] : findModules())
		if (name == spec.name)
			return PluginModule::load(path)->create(spec.options, context);

	std::string msg = "unknown output plugin '" + spec.name + "'";
	std::string near = closestMatch(spec.name, names());
	if (!near.empty())
		msg += "; did you mean '" + near + "'?";
	else
		msg += "; run 'mwaatok plugins' to list them";
	throw Error(ErrorKind::Usage, msg);
}

std::vector<PluginListing> PluginRegistry::list() const
{
	std::vector<PluginListing> out;
	for (const auto &b : builtins_)
		out.push_back({b.name, "built-in", b.description, true});
	std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) { return a.name < b.name; });
	auto modules = findModules();
	std::sort(modules.begin(), modules.end());
	for (const auto &[name, path] : modules) {
		// Not [&]: clang before 16 cannot capture a structured binding.
		bool shadowed = std::any_of(builtins_.begin(), builtins_.end(),
					    [&moduleName = name](const auto &b) { return b.name == moduleName; });
		if (shadowed)
			continue;
		try {
			auto m = PluginModule::load(path);
			out.push_back({name, path, m->description(), true});
		} catch (const Error &e) {
			out.push_back({name, path, e.what(), false});
		}
	}
	return out;
}

} // namespace mwaatok

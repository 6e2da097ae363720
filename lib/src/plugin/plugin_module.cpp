#include "plugin/plugin_module.h"

#include <cerrno>
#include <cstring>
#include <dlfcn.h>
#include <exception>
#include <algorithm>
#include <sys/stat.h>
#include <unistd.h>

#include "mwaatok/text.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/output_spec.h"

namespace mwaatok {

namespace {

Error moduleError(const std::string &path, const std::string &what)
{
	return Error(ErrorKind::Plugin, "cannot load plugin module " + path + ": " + what);
}

/// Runs a module's code and turns whatever it throws into Error(Plugin).
template <typename F>
auto guarded(const std::string &plugin, const char *stage, F &&f) -> decltype(f())
{
	try {
		return f();
	} catch (const std::exception &e) {
		throw Error(ErrorKind::Plugin, "output plugin '" + plugin + "' failed in " + stage + ": " + e.what());
	} catch (...) {
		throw Error(ErrorKind::Plugin, "output plugin '" + plugin + "' failed in " + stage +
						       " with an unknown exception");
	}
}

/// A module's plugin: keeps the module loaded and guards every call.
class ModulePlugin final : public OutputPlugin {
public:
	ModulePlugin(std::shared_ptr<PluginModule> module, std::unique_ptr<OutputPlugin> inner)
		: module_(std::move(module)), inner_(std::move(inner))
	{
	}
	~ModulePlugin() override
	{
		try {
			inner_.reset();
		} catch (...) {
			// A destructor that throws from a module must not take the host down.
		}
	}

	std::string name() const override { return module_->name(); }
	void begin(const RunInfo &info) override
	{
		guarded(name(), "begin", [&] { inner_->begin(info); });
	}
	void deliver(const LoginLink &link) override
	{
		guarded(name(), "deliver", [&] { inner_->deliver(link); });
	}
	void fail(const LinkFailure &failure) override
	{
		guarded(name(), "fail", [&] { inner_->fail(failure); });
	}
	void end(const RunSummary &summary) override
	{
		guarded(name(), "end", [&] { inner_->end(summary); });
	}

private:
	std::shared_ptr<PluginModule> module_; // declared first: destroyed after inner_
	std::unique_ptr<OutputPlugin> inner_;
};

} // namespace

PluginModule::PluginModule(std::string path, void *handle)
	: path_(std::move(path)), handle_(handle)
{
}

PluginModule::~PluginModule()
{
	::dlclose(handle_);
}

std::string PluginModule::nameFromFileName(const std::string &fileName)
{
	if (!startsWith(fileName, kModuleFilePrefix) || !endsWith(fileName, kModuleFileSuffix))
		return {};
	size_t start = std::strlen(kModuleFilePrefix);
	size_t end = fileName.size() - std::strlen(kModuleFileSuffix);
	return end > start ? fileName.substr(start, end - start) : std::string();
}

std::shared_ptr<PluginModule> PluginModule::load(const std::string &path)
{
	if (path.empty() || path.front() != '/')
		throw moduleError(path, "not an absolute path; give plugin directories as absolute paths");
	struct stat st {};
	if (::stat(path.c_str(), &st) != 0)
		throw moduleError(path, std::strerror(errno));
	if (!S_ISREG(st.st_mode))
		throw moduleError(path, "not a regular file");
	// Loading runs the module's code, so treat it like ssh treats its
	// configuration: a module, or a directory it sits in, that anyone but the
	// user and root may change is refused.
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		throw moduleError(path, "it is writable by group or others; chmod go-w it");
	if (st.st_uid != ::getuid() && st.st_uid != 0)
		throw moduleError(path, "it is owned by another user (uid " + std::to_string(st.st_uid) +
						"); only your own modules or root's are loaded");
	std::string dir = path.substr(0, std::max<size_t>(path.rfind('/'), 1));
	struct stat ds {};
	if (::stat(dir.c_str(), &ds) != 0)
		throw moduleError(path, "cannot check its directory " + dir + ": " + std::strerror(errno));
	if (ds.st_mode & (S_IWGRP | S_IWOTH))
		throw moduleError(path, "its directory " + dir + " is writable by group or others; chmod go-w " + dir);
	if (ds.st_uid != ::getuid() && ds.st_uid != 0)
		throw moduleError(path, "its directory " + dir + " is owned by another user (uid " +
						std::to_string(ds.st_uid) + "); only your own directories or root's are used");

	::dlerror();
	void *handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		const char *why = ::dlerror();
		throw moduleError(path, why ? why : "dlopen failed");
	}
	std::shared_ptr<PluginModule> module(new PluginModule(path, handle));

	auto *info = static_cast<const ModuleInfo *>(::dlsym(handle, kModuleInfoSymbol));
	if (!info)
		throw moduleError(path, std::string("it has no symbol ") + kModuleInfoSymbol +
						"; is it an mwaatok plugin?");
	if (info->apiVersion != kOutputPluginApiVersion)
		throw moduleError(path, "it was built for plugin API version " +
						std::to_string(info->apiVersion) + ", this mwaatok uses version " +
						std::to_string(kOutputPluginApiVersion) + "; rebuild it");
	std::string abi = info->abi ? info->abi : "";
	if (abi != MWAATOK_PLUGIN_ABI)
		throw moduleError(path, "it was built with " + (abi.empty() ? "an unknown compiler" : abi) +
						", this mwaatok with " MWAATOK_PLUGIN_ABI "; rebuild it");
	std::string expected = nameFromFileName(path.substr(path.rfind('/') + 1));
	module->name_ = info->name ? info->name : "";
	if (module->name_.empty() || (!expected.empty() && module->name_ != expected))
		throw moduleError(path, "it calls itself '" + module->name_ + "', but its file name says '" +
						expected + "'");
	module->description_ = info->description ? info->description : "";
	for (const char *const *k = info->optionKeys; k && *k; ++k)
		module->optionKeys_.emplace_back(*k);

	module->factory_ = reinterpret_cast<ModuleFactory>(::dlsym(handle, kModuleFactorySymbol));
	if (!module->factory_)
		throw moduleError(path, std::string("it has no symbol ") + kModuleFactorySymbol);
	return module;
}

std::unique_ptr<OutputPlugin> PluginModule::create(const PluginOptions &options,
						   const PluginContext &context)
{
	checkOptionKeys(name_, options, optionKeys_);
	const Environment &env = context.environment;
	ModuleArgs args{options, &context.out, &context.err,
			[&env](std::string_view n) { return env.get(n); }};
	// The module keeps a copy of getenv; env outlives the plugin as the
	// context does.
	std::unique_ptr<OutputPlugin> inner(guarded(name_, "create", [&] {
		OutputPlugin *p = factory_(&args);
		if (!p)
			throw Error(ErrorKind::Plugin, "its factory returned nothing");
		return p;
	}));
	return std::make_unique<ModulePlugin>(shared_from_this(), std::move(inner));
}

} // namespace mwaatok

#pragma once

// The output plugin API. Built-in plugins and external modules both implement
// OutputPlugin. An external module is a shared object named
// `mwaatok-plugin-NAME.so`, found on MWAATOK_PLUGIN_PATH (colon-separated
// directories) or in <libdir>/mwaatok/plugins. It exports two extern "C"
// symbols, declared at the end of this file:
//
//   mwaatok_output_plugin_info    a ModuleInfo whose apiVersion and abi the host
//                                 checks before it calls anything else;
//   mwaatok_output_plugin_create  the factory, given the plugin's options.
//
// A module uses only this header (inline code, std types) and never calls into
// libmwaatok; host and module must be built by the same compiler (checked
// through ModuleInfo::abi). A module reports failure by throwing any
// std::exception; the host turns it into Error(ErrorKind::Plugin).

#include <chrono>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mwaatok/time.h"

namespace mwaatok {

class Environment;
class ProcessLauncher;

using TimePoint = std::chrono::system_clock::time_point;

/// One login link: what a plugin delivers (SPEC §6).
struct LoginLink {
	std::string alias;           ///< the YAML alias, or the environment name
	std::string environmentName; ///< the MWAA environment name
	std::string region;
	std::string hostname;        ///< the web server hostname
	std::string token;           ///< the web login token (a secret; also inside loginUrl)
	std::string loginUrl;        ///< the URL that logs in, token in its fragment
	TimePoint issuedAt;
	TimePoint expiresAt;         ///< issuedAt + 60 s
	std::string airflowVersion;  ///< "2" or "3"
	std::string iamIdentity;     ///< may be empty
	std::string airflowIdentity; ///< may be empty
};

/// An environment whose link could not be made.
struct LinkFailure {
	std::string alias;
	std::string environmentName;
	std::string region;
	std::string message; ///< one line, never a secret
	std::string code;    ///< the AWS error code, if any
};

/// What a plugin learns when a run starts.
struct RunInfo {
	size_t total = 0;    ///< how many environments the run covers
	TimePoint startedAt; ///< plugins use this, never the clock
};

/// What a plugin learns when a run ends (also when it was interrupted).
struct RunSummary {
	size_t delivered = 0;
	size_t failed = 0;
	bool interrupted = false;
};

/// Option key/value pairs in the order they were given.
using PluginOptions = std::vector<std::pair<std::string, std::string>>;

/// A sink for login links. The host calls begin once, then deliver and fail
/// in any order (never concurrently), then end, also after an interruption.
/// A plugin may write as it goes or collect and write at end. Failures throw
/// Error(ErrorKind::Plugin) (built-in) or any std::exception (module).
class OutputPlugin {
public:
	virtual ~OutputPlugin() = default;

	/// The name it was created under ("print", "file", ...).
	virtual std::string name() const = 0;
	virtual void begin(const RunInfo &) {}
	virtual void deliver(const LoginLink &link) = 0;
	virtual void fail(const LinkFailure &) {}
	virtual void end(const RunSummary &) {}
};

/// What the host gives a built-in plugin when it creates one.
struct PluginContext {
	std::ostream &out;             ///< where output goes (stdout in the CLI)
	std::ostream &err;             ///< where notes go (stderr in the CLI)
	const Environment &environment;
	ProcessLauncher &launcher;
};

/// \a t as ISO 8601 UTC to the second, e.g. "2024-05-01T12:00:00Z".
inline std::string formatUtc(TimePoint t)
{
	return time::formatRfc3339(t);
}

/// The version of this API; a module built against another one is refused.
inline constexpr int kOutputPluginApiVersion = 1;

#define MWAATOK_STRINGIFY_(x) #x
#define MWAATOK_STRINGIFY(x) MWAATOK_STRINGIFY_(x)
/// The compiler and C++ library ABI a module was built with; must match the host's.
#define MWAATOK_PLUGIN_ABI "gcc-" MWAATOK_STRINGIFY(__GNUC__) \
	"-cxx11abi-" MWAATOK_STRINGIFY(_GLIBCXX_USE_CXX11_ABI)

/// What an external module's factory receives: std types only.
struct ModuleArgs {
	PluginOptions options; ///< already checked against ModuleInfo::optionKeys
	std::ostream *out;
	std::ostream *err;
	/// Environment variable lookup (nullopt when unset).
	std::function<std::optional<std::string>(std::string_view)> getenv;
};

/// The description an external module exports as mwaatok_output_plugin_info.
struct ModuleInfo {
	int apiVersion;          ///< kOutputPluginApiVersion
	const char *abi;         ///< MWAATOK_PLUGIN_ABI
	const char *name;        ///< must match NAME in mwaatok-plugin-NAME.so
	const char *description; ///< one line for `mwaatok plugins`
	const char *const *optionKeys; ///< the accepted option keys, nullptr-terminated
};

/// The factory a module exports as mwaatok_output_plugin_create; the host
/// deletes the plugin (virtual destructor) before it unloads the module.
using ModuleFactory = OutputPlugin *(*)(const ModuleArgs *args);

inline constexpr const char *kModuleInfoSymbol = "mwaatok_output_plugin_info";
inline constexpr const char *kModuleFactorySymbol = "mwaatok_output_plugin_create";
inline constexpr const char *kModuleFilePrefix = "mwaatok-plugin-";
inline constexpr const char *kModuleFileSuffix = ".so";

} // namespace mwaatok

// Defined by each external module, never by the host.
extern "C" {
extern const mwaatok::ModuleInfo mwaatok_output_plugin_info;
mwaatok::OutputPlugin *mwaatok_output_plugin_create(const mwaatok::ModuleArgs *args);
}

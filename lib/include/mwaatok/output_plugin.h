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

/// What one environment of a run produces (plugin API version 2).
enum class ResultKind {
	LoginLink,     ///< a login link (url, open)
	AirflowAnswer, ///< an Airflow REST API answer (api)
	WebSession,    ///< an Airflow web session (session)
	CliOutput,     ///< the output of an Airflow CLI command (cli)
};

/// "a login link", "an Airflow API answer", "a web session" or "CLI output".
inline const char *resultKindName(ResultKind kind)
{
	switch (kind) {
	case ResultKind::LoginLink: return "a login link";
	case ResultKind::AirflowAnswer: return "an Airflow API answer";
	case ResultKind::WebSession: return "a web session";
	case ResultKind::CliOutput: return "CLI output";
	}
	return "result";
}

/// One environment's Airflow REST API answer (`mwaatok api`). An answer
/// with an error status is delivered too: it is Airflow's word.
struct AirflowAnswer {
	std::string alias;
	std::string environmentName;
	std::string region;
	std::string method; ///< GET, POST, ...
	std::string path;   ///< the Airflow API path asked, e.g. "/dags"
	int status = 0;     ///< Airflow's HTTP status
	/// Airflow's answer as one JSON value (object, array, a string for a
	/// non-JSON page, null when empty).
	std::string json;
	std::string title;  ///< the problem JSON's title, for an error status
	std::string detail; ///< the problem JSON's detail, for an error status
	bool ok() const { return status >= 200 && status < 300; }
};

/// One environment's Airflow web session (`mwaatok session`). The value is
/// a secret: deliver it only where the user asked.
struct AirflowSession {
	std::string alias;
	std::string environmentName;
	std::string region;
	std::string hostname;      ///< the web server
	int airflowMajor = 2;      ///< 2 or 3
	std::string apiBaseUrl;    ///< https://HOST/api/v1 or /api/v2
	std::string cookieName;    ///< "session" or "_token"
	std::string value;         ///< the cookie value (secret)
	std::string headerName;    ///< "Cookie" or "Authorization"
	std::string headerValue;   ///< "session=..." or "Bearer ..." (secret)
	std::optional<TimePoint> expires; ///< the cookie's expiry, when it has one
	/// "Cookie: session=..." or "Authorization: Bearer ...".
	std::string headerLine() const { return headerName + ": " + headerValue; }
};

/// One environment's Airflow CLI output (`mwaatok cli`).
struct CliOutput {
	std::string alias;
	std::string environmentName;
	std::string region;
	std::string command;    ///< the Airflow CLI command, as sent
	std::string stdoutText; ///< what the command wrote to standard output
	std::string stderrText; ///< what it wrote to standard error
};

/// What a plugin learns when a run starts.
struct RunInfo {
	size_t total = 0;    ///< how many environments the run covers
	TimePoint startedAt; ///< plugins use this, never the clock
	ResultKind kind = ResultKind::LoginLink; ///< what the run delivers
};

/// What a plugin learns when a run ends (also when it was interrupted).
struct RunSummary {
	size_t delivered = 0;
	size_t failed = 0;
	bool interrupted = false;
};

/// Option key/value pairs in the order they were given.
using PluginOptions = std::vector<std::pair<std::string, std::string>>;

/// A sink for login links and the other result kinds. The host calls begin once, then deliver and fail
/// in any order (never concurrently), then end, also after an interruption.
/// A plugin may write as it goes or collect and write at end. Failures throw
/// Error(ErrorKind::Plugin) (built-in) or any std::exception (module).
class OutputPlugin {
public:
	virtual ~OutputPlugin() = default;

	/// The name it was created under ("print", "file", ...).
	virtual std::string name() const = 0;
	/// Whether it can deliver results of \a kind; the host refuses a run
	/// before it starts when one of its plugins cannot (login links only by default).
	virtual bool accepts(ResultKind kind) const { return kind == ResultKind::LoginLink; }
	virtual void begin(const RunInfo &) {}
	virtual void deliver(const LoginLink &link) = 0;
	/// The other kinds; called only when accepts() said yes.
	virtual void deliver(const AirflowAnswer &) {}
	virtual void deliver(const AirflowSession &) {}
	virtual void deliver(const CliOutput &) {}
	/// An environment that produced nothing (for any kind).
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
/// Version 2 added the result kinds (AirflowAnswer, AirflowSession,
/// CliOutput, OutputPlugin::accepts, RunInfo::kind).
inline constexpr int kOutputPluginApiVersion = 2;

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

#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "mwaatok/output_plugin.h"
#include "mwaatok/plugin_registry.h"

namespace mwaatok {

/// The `exec` plugin: runs a command once per result, the login URL (or
/// the JSON of an API answer, a web session or CLI output) on its
/// standard input and MWAATOK_ALIAS, MWAATOK_REGION, MWAATOK_ENVIRONMENT in
/// its environment. Its standard output goes to the plugin's stream.
class ExecPlugin final : public OutputPlugin {
public:
	/// Options: command (required), shell=true to run it with sh -c,
	/// timeout=SECONDS (default 60). Throws Error(Usage).
	ExecPlugin(const PluginOptions &options, std::ostream &out, ProcessLauncher &launcher);

	std::string name() const override { return "exec"; }
	/// Runs the command; throws Error(Plugin) when it cannot start, times out
	/// or exits non-zero (with the first lines of its stderr).
	void deliver(const LoginLink &link) override;
	/// The other kinds: their JSON object (one line) on standard input.
	bool accepts(ResultKind) const override { return true; }
	void deliver(const AirflowAnswer &answer) override;
	void deliver(const AirflowSession &session) override;
	void deliver(const CliOutput &output) override;

	const std::vector<std::string> &argv() const { return argv_; }

	/// Its registry entry.
	static BuiltinPlugin builtin();

private:
	void run(const std::string &alias, const std::string &region, const std::string &environment,
		 std::string input, const std::string &secret);

	std::vector<std::string> argv_;
	std::chrono::seconds timeout_;
	std::ostream &out_;
	ProcessLauncher &launcher_;
};

/// Split \a command into words as a POSIX shell would without expansions:
/// blanks separate words, '...' is literal, "..." allows \" and \\, and a
/// backslash outside quotes escapes the next character. Throws Error(Usage).
std::vector<std::string> splitCommandLine(std::string_view command);

} // namespace mwaatok

#pragma once

#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "mwaatok/output_plugin.h"
#include "mwaatok/plugin_registry.h"

namespace mwaatok {

/// The `print` plugin: writes links to a stream as url, json, ndjson or table.
class PrintPlugin final : public OutputPlugin {
public:
	/// Default: url for links, the answer's JSON (one environment) or one
	/// line per environment for API answers, header for sessions, the text
	/// for CLI output.
	enum class Format { Default, Url, Json, Ndjson, Table, Header };

	PrintPlugin(std::ostream &out, Format format, std::ostream *err = nullptr);
	/// Options: format=url|json|ndjson|table|header. Throws Error(Usage).
	PrintPlugin(std::ostream &out, const PluginOptions &options, std::ostream *err = nullptr);

	std::string name() const override { return "print"; }
	bool accepts(ResultKind kind) const override;
	void begin(const RunInfo &info) override { info_ = info; }
	void deliver(const LoginLink &link) override;
	void deliver(const AirflowAnswer &answer) override;
	void deliver(const AirflowSession &session) override;
	void deliver(const CliOutput &output) override;
	void fail(const LinkFailure &failure) override;
	void end(const RunSummary &summary) override;

	/// Its registry entry.
	static BuiltinPlugin builtin();

private:
	void flush();
	void line(const std::string &text);

	std::ostream &out_;
	std::ostream *err_;
	Format format_;
	RunInfo info_;
	// json and table collect everything and write it at end.
	std::vector<std::variant<LoginLink, LinkFailure>> records_;
	std::vector<std::string> objects_;             ///< json of the other kinds
	std::vector<std::vector<std::string>> rows_;   ///< table rows of the other kinds
};

} // namespace mwaatok

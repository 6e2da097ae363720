#pragma once

#include <string>
#include <vector>

#include "mwaatok/output_plugin.h"
#include "mwaatok/plugin_registry.h"

namespace mwaatok {

/// The `file` plugin: collects the run and writes it at end, atomically and
/// with mode 0600, as txt (URLs), json, html (a page of links) or csv, and
/// the other result kinds as accepts() says.
class FilePlugin final : public OutputPlugin {
public:
	/// Cookiejar: a Netscape cookie file of web sessions (curl -b).
	enum class Format { Txt, Json, Html, Csv, Cookiejar };

	/// Options: path (required, ~ expanded with HOME), format (default from
	/// the path's extension). Throws Error(Usage).
	FilePlugin(const PluginOptions &options, const Environment &environment);

	std::string name() const override { return "file"; }
	void begin(const RunInfo &info) override;
	void deliver(const LoginLink &link) override;
	/// API answers: json, csv, txt (one JSON line each); sessions:
	/// cookiejar (txt too), json; CLI output: txt, json.
	bool accepts(ResultKind kind) const override;
	void deliver(const AirflowAnswer &answer) override;
	void deliver(const AirflowSession &session) override;
	void deliver(const CliOutput &output) override;
	void fail(const LinkFailure &failure) override;
	/// Writes the file; throws Error(Plugin) when it cannot.
	void end(const RunSummary &summary) override;

	const std::string &path() const { return path_; }
	Format format() const { return format_; }

	/// The file's content for what was collected.
	std::string render(const RunSummary &summary) const;

	/// Its registry entry.
	static BuiltinPlugin builtin();

private:
	std::string renderHtml(const RunSummary &summary) const;
	std::string renderResults() const;

	std::string path_;
	Format format_;
	RunInfo info_;
	std::vector<LoginLink> links_;
	std::vector<LinkFailure> failures_;
	std::vector<AirflowAnswer> answers_;
	std::vector<AirflowSession> sessions_;
	std::vector<CliOutput> outputs_;
};

} // namespace mwaatok

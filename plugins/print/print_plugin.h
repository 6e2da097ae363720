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
	enum class Format { Url, Json, Ndjson, Table };

	PrintPlugin(std::ostream &out, Format format);
	/// Options: format=url|json|ndjson|table (default url). Throws Error(Usage).
	PrintPlugin(std::ostream &out, const PluginOptions &options);

	std::string name() const override { return "print"; }
	void deliver(const LoginLink &link) override;
	void fail(const LinkFailure &failure) override;
	void end(const RunSummary &summary) override;

	/// Its registry entry.
	static BuiltinPlugin builtin();

private:
	void flush();

	std::ostream &out_;
	Format format_;
	// json and table collect everything and write it at end.
	std::vector<std::variant<LoginLink, LinkFailure>> records_;
};

} // namespace mwaatok

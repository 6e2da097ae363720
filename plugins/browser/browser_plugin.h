#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "mwaatok/output_plugin.h"
#include "mwaatok/plugin_registry.h"

namespace mwaatok {

/// The `browser` plugin: opens each link with $BROWSER, else xdg-open, else
/// (on macOS) open. So that the token never appears on a command line, it writes a
/// mode-0600 redirect page under $XDG_RUNTIME_DIR/mwaatok (else a private
/// $TMPDIR/mwaatok-UID) and opens that; pages older than kStaleAge at the
/// start of a run are removed. With no opener, it says so on err and writes
/// the URL to out.
class BrowserPlugin final : public OutputPlugin {
public:
	static constexpr std::chrono::minutes kStaleAge{5};

	BrowserPlugin(std::ostream &out, std::ostream &err, const Environment &environment,
		      ProcessLauncher &launcher);

	std::string name() const override { return "browser"; }
	void begin(const RunInfo &info) override;
	/// Throws Error(Plugin) when the page cannot be written or the opener not started.
	void deliver(const LoginLink &link) override;

	/// The command that opens a file (without the file), or empty when there is none.
	std::vector<std::string> opener() const;
	/// The directory for redirect pages, made private (0700) if needed.
	/// Throws Error(Plugin) for one that is not private.
	std::string pageDirectory() const;
	/// An HTML page that sends the browser on to \a url.
	static std::string redirectPage(const std::string &url);

	/// Its registry entry.
	static BuiltinPlugin builtin();

private:
	void removeStalePages(const std::string &dir) const;

	std::ostream &out_;
	std::ostream &err_;
	const Environment &environment_;
	ProcessLauncher &launcher_;
	RunInfo info_;
	std::string dir_; // found on first use
};

} // namespace mwaatok

// The `markdown` plugin, built only as a loadable module
// (mwaatok-plugin-markdown.so): writes a Markdown list of the run's links to a
// file (and, since plugin API version 2, one line per Airflow API answer).
// Like any external module it uses only the header-only parts of the API
// (mwaatok/output_plugin.h, mwaatok/terminal_text.h) and the C++ standard
// library, and reports errors with std::runtime_error.

#include "mwaatok/output_plugin.h"
#include "mwaatok/terminal_text.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace mwaatok;

/// \a s on one line with control characters escaped (terminalText) and the
/// characters that mean something in Markdown backslash-escaped.
std::string markdownEscape(const std::string &text)
{
	std::string out;
	for (char c : terminalText(text)) {
		if (c != '\0' && std::strchr("\\`*_[]()<>|", c))
			out += '\\';
		out += c == '\n' || c == '\r' ? ' ' : c;
	}
	return out;
}

class MarkdownPlugin final : public OutputPlugin {
public:
	explicit MarkdownPlugin(const ModuleArgs &args)
	{
		for (const auto &[key, value] : args.options)
			if (key == "path")
				path_ = value;
		if (path_.empty())
			throw std::runtime_error("needs option 'path' (e.g. -o markdown:path=links.md)");
		if (path_.size() > 1 && path_[0] == '~' && path_[1] == '/') {
			auto home = args.getenv("HOME");
			if (!home || home->empty())
				throw std::runtime_error("cannot expand '" + path_ + "': HOME is not set");
			path_ = *home + path_.substr(1);
		}
	}

	std::string name() const override { return "markdown"; }

	/// Links and Airflow API answers (plugin API version 2); never sessions,
	/// whose secret has no place in a document.
	bool accepts(ResultKind kind) const override
	{
		return kind == ResultKind::LoginLink || kind == ResultKind::AirflowAnswer;
	}

	void begin(const RunInfo &info) override
	{
		text_ = std::string(info.kind == ResultKind::LoginLink ? "# MWAA login links" : "# Airflow API answers") +
			"\n\nCreated " + formatUtc(info.startedAt) + ".\n\n";
	}

	void deliver(const AirflowAnswer &answer) override
	{
		text_ += "- " + markdownEscape(answer.alias) + " " + markdownEscape(answer.region) + ": " +
			 markdownEscape(answer.method + " " + answer.path) + " HTTP " + std::to_string(answer.status) +
			 (answer.ok() ? "" : ": " + markdownEscape(answer.title)) + "\n";
	}

	void deliver(const LoginLink &link) override
	{
		// The URL goes in <...> so its characters need no escaping.
		text_ += "- [" + markdownEscape(link.alias) + "](<" + link.loginUrl + ">) " +
			 markdownEscape(link.region) + ", expires " + formatUtc(link.expiresAt) + "\n";
	}

	void fail(const LinkFailure &failure) override
	{
		text_ += "- " + markdownEscape(failure.alias) + " " + markdownEscape(failure.region) +
			 ": failed: " + markdownEscape(failure.message) + "\n";
	}

	void end(const RunSummary &) override
	{
		int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(errno));
		bool ok = ::fchmod(fd, 0600) == 0;
		for (size_t done = 0; ok && done < text_.size();) {
			ssize_t n = ::write(fd, text_.data() + done, text_.size() - done);
			ok = n > 0 || (n < 0 && errno == EINTR);
			done += n > 0 ? static_cast<size_t>(n) : 0;
		}
		int err = errno;
		::close(fd);
		if (!ok)
			throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(err));
	}

private:
	std::string path_;
	std::string text_;
};

const char *const kOptionKeys[] = {"path", nullptr};

} // namespace

extern "C" {

const mwaatok::ModuleInfo mwaatok_output_plugin_info = {
	mwaatok::kOutputPluginApiVersion,
	MWAATOK_PLUGIN_ABI,
	"markdown",
	"write a Markdown list of links to a file (path=FILE)",
	kOptionKeys,
};

mwaatok::OutputPlugin *mwaatok_output_plugin_create(const mwaatok::ModuleArgs *args)
{
	return new MarkdownPlugin(*args);
}

}

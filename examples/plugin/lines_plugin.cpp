// mwaatok-plugin-lines: an example external output plugin. It writes one line
// per environment to mwaatok's standard output: "PREFIX ALIAS URL" for a link,
// "PREFIX ALIAS failed: MESSAGE" for a failure, and a count at the end on
// standard error. Options: prefix=TEXT (default "link").
//
// Like every module it uses only mwaatok/output_plugin.h and the C++ standard
// library, and reports errors by throwing a std::exception.

#include <mwaatok/output_plugin.h>

#include <ostream>
#include <stdexcept>

namespace {

class LinesPlugin final : public mwaatok::OutputPlugin {
public:
	explicit LinesPlugin(const mwaatok::ModuleArgs &args) : out_(*args.out), err_(*args.err)
	{
		for (const auto &[key, value] : args.options)
			if (key == "prefix")
				prefix_ = value;
		if (prefix_.empty() || prefix_.find_first_of(" \t\n") != std::string::npos)
			throw std::runtime_error("option 'prefix' must be one word");
	}

	std::string name() const override { return "lines"; }

	void deliver(const mwaatok::LoginLink &link) override
	{
		out_ << prefix_ << ' ' << link.alias << ' ' << link.loginUrl << '\n' << std::flush;
	}

	void fail(const mwaatok::LinkFailure &failure) override
	{
		out_ << prefix_ << ' ' << failure.alias << " failed: " << failure.message << '\n' << std::flush;
	}

	void end(const mwaatok::RunSummary &summary) override
	{
		err_ << "lines: " << summary.delivered << " delivered, " << summary.failed << " failed\n";
	}

private:
	std::ostream &out_;
	std::ostream &err_;
	std::string prefix_ = "link";
};

const char *const kOptionKeys[] = { "prefix", nullptr };

} // namespace

extern "C" {

const mwaatok::ModuleInfo mwaatok_output_plugin_info = {
	mwaatok::kOutputPluginApiVersion,
	MWAATOK_PLUGIN_ABI,
	"lines",
	"one line per environment on standard output (prefix=TEXT)",
	kOptionKeys,
};

mwaatok::OutputPlugin *mwaatok_output_plugin_create(const mwaatok::ModuleArgs *args)
{
	return new LinesPlugin(*args);
}
}

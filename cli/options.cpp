#include "options.h"

#include <charconv>
#include <cstdlib>
#include <functional>

#include "mwaatok/text.h"
#include "mwaatok/error.h"

namespace mwaatok::cli {

namespace {

struct OptionSpec {
	char shortName; ///< 0 when there is none
	const char *longName;
	bool takesValue;
	std::function<void(Options &, const std::string &)> apply;
};

[[noreturn]] void usageError(const std::string &message)
{
	throw Error(ErrorKind::Usage, message);
}

int parseInt(const std::string &option, const std::string &value, int min, int max)
{
	int n = 0;
	auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
	if (ec != std::errc() || p != value.data() + value.size() || n < min || n > max)
		usageError("option '" + option + "' expects a whole number from " + std::to_string(min) +
			   " to " + std::to_string(max) + ", got '" + value + "'");
	return n;
}

const std::vector<OptionSpec> &optionTable()
{
	static const std::vector<OptionSpec> table = {
		{ 'c', "config", true, [](Options &o, const std::string &v) { o.config = v; } },
		{ 'p', "profile", true, [](Options &o, const std::string &v) { o.profile = v; o.profiles.push_back(v); } },
		{ 'r', "region", true, [](Options &o, const std::string &v) { o.region = v; o.regions.push_back(v); } },
		{ 0, "endpoint-url", true, [](Options &o, const std::string &v) { o.endpointUrl = v; } },
		{ 'o', "output", true, [](Options &o, const std::string &v) { o.outputs.push_back(v); } },
		{ 'j', "jobs", true, [](Options &o, const std::string &v) { o.jobs = parseInt("--jobs", v, 1, 1024); } },
		{ 0, "timeout", true,
		  [](Options &o, const std::string &v) {
			  char *end = nullptr;
			  double d = std::strtod(v.c_str(), &end);
			  if (v.empty() || *end != '\0' || !(d > 0) || d > 86400)
				  usageError("option '--timeout' expects seconds greater than 0, got '" + v + "'");
			  o.timeoutSeconds = d;
		  } },
		{ 0, "max-attempts", true,
		  [](Options &o, const std::string &v) { o.maxAttempts = parseInt("--max-attempts", v, 1, 20); } },
		{ 0, "airflow-version", true,
		  [](Options &o, const std::string &v) {
			  if (v != "2" && v != "3")
				  usageError("option '--airflow-version' expects 2 or 3, got '" + v + "'");
			  o.airflowVersion = v;
		  } },
		{ 0, "connect-to", true, [](Options &o, const std::string &v) { o.connectTo.push_back(v); } },
		{ 0, "ca-bundle", true, [](Options &o, const std::string &v) { o.caBundle = v; } },
		{ 'v', "verbose", false, [](Options &o, const std::string &) { o.verbose = true; } },
		{ 0, "debug", false, [](Options &o, const std::string &) { o.verbose = o.debug = true; } },
		{ 'q', "quiet", false, [](Options &o, const std::string &) { o.quiet = true; } },
		{ 0, "no-progress", false, [](Options &o, const std::string &) { o.noProgress = true; } },
		{ 'h', "help", false, [](Options &o, const std::string &) { o.help = true; } },
		{ 0, "version", false, [](Options &o, const std::string &) { o.version = true; } },
		// Command options.
		{ 0, "all", false, [](Options &o, const std::string &) { o.all = true; } },
		{ 't', "tag", true, [](Options &o, const std::string &v) { o.tags.push_back(v); } },
		{ 0, "service", true, [](Options &o, const std::string &v) { o.service = v; } },
		{ 'H', "header", true, [](Options &o, const std::string &v) { o.headers.push_back(v); } },
		{ 'd', "data", true, [](Options &o, const std::string &v) { o.data = v; } },
		{ 0, "data-file", true, [](Options &o, const std::string &v) { o.dataFile = v; } },
		{ 0, "unsigned-payload", false, [](Options &o, const std::string &) { o.unsignedPayload = true; } },
		{ 0, "dry-run", false, [](Options &o, const std::string &) { o.dryRun = true; } },
		{ 'i', "include", false, [](Options &o, const std::string &) { o.include = true; } },
		{ 0, "format", true, [](Options &o, const std::string &v) { o.format = v; } },
		{ 0, "check", false, [](Options &o, const std::string &) { o.check = true; } },
		{ 0, "no-browser", false, [](Options &o, const std::string &) { o.noBrowser = true; } },
		{ 0, "sso-session", true, [](Options &o, const std::string &v) { o.ssoSession = v; } },
		{ 'X', "method", true, [](Options &o, const std::string &v) { o.method = v; } },
		{ 0, "query", true, [](Options &o, const std::string &v) { o.queries.push_back(v); } },
		{ 0, "via", true, [](Options &o, const std::string &v) { o.via = v; } },
		{ 0, "discover", false, [](Options &o, const std::string &) { o.discover = true; } },
	};
	return table;
}

const OptionSpec *findLong(std::string_view name)
{
	for (const auto &spec : optionTable())
		if (name == spec.longName)
			return &spec;
	return nullptr;
}

const OptionSpec *findShort(char c)
{
	for (const auto &spec : optionTable())
		if (spec.shortName == c)
			return &spec;
	return nullptr;
}

} // namespace

std::vector<std::string> longOptionNames()
{
	std::vector<std::string> names;
	for (const auto &spec : optionTable())
		names.push_back(std::string("--") + spec.longName);
	return names;
}

Options parseCommandLine(const std::vector<std::string> &argv)
{
	Options o;
	std::vector<std::string> positional;
	for (size_t i = 0; i < argv.size(); ++i) {
		const std::string &arg = argv[i];
		auto takeValue = [&](const std::string &shown) -> std::string {
			if (i + 1 >= argv.size())
				usageError("option '" + shown + "' needs a value");
			return argv[++i];
		};
		if (arg == "--") {
			o.passthrough.assign(argv.begin() + static_cast<long>(i) + 1, argv.end());
			break;
		}
		if (startsWith(arg, "--")) {
			std::string name = arg.substr(2);
			std::optional<std::string> inlineValue;
			if (auto eq = name.find('='); eq != std::string::npos) {
				inlineValue = name.substr(eq + 1);
				name.erase(eq);
			}
			const OptionSpec *spec = findLong(name);
			if (!spec) {
				std::string hint = closestMatch(arg.substr(0, arg.find('=')), longOptionNames());
				usageError("unknown option '--" + name + "'" +
					   (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
			}
			if (!spec->takesValue && inlineValue)
				usageError("option '--" + name + "' takes no value");
			std::string value;
			if (spec->takesValue)
				value = inlineValue ? *inlineValue : takeValue("--" + name);
			spec->apply(o, value);
		} else if (arg.size() > 1 && arg[0] == '-') {
			// Bundled short flags: -vq, or -r eu-west-1 / -reu-west-1.
			for (size_t k = 1; k < arg.size(); ++k) {
				const OptionSpec *spec = findShort(arg[k]);
				if (!spec)
					usageError(std::string("unknown option '-") + arg[k] + "'");
				if (spec->takesValue) {
					std::string shown = std::string("-") + arg[k];
					std::string value = k + 1 < arg.size() ? arg.substr(k + 1) : takeValue(shown);
					spec->apply(o, value);
					break;
				}
				spec->apply(o, "");
			}
		} else {
			positional.push_back(arg);
		}
	}
	if (!positional.empty()) {
		o.command = positional.front();
		o.args.assign(positional.begin() + 1, positional.end());
	}
	return o;
}

} // namespace mwaatok::cli

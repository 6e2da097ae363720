#include "mwaatok/output_spec.h"

#include "core/strings.h"
#include "mwaatok/error.h"

namespace mwaatok {

namespace {

bool validName(std::string_view s)
{
	if (s.empty())
		return false;
	for (char c : s) {
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '-' || c == '_';
		if (!ok)
			return false;
	}
	return true;
}

Error specError(std::string_view spec, const std::string &what)
{
	return Error(ErrorKind::Usage, "bad output spec '" + std::string(spec) + "': " + what);
}

} // namespace

OutputSpec parseOutputSpec(std::string_view text)
{
	OutputSpec spec;
	size_t colon = text.find(':');
	std::string_view name = text.substr(0, colon);
	if (text.empty())
		throw Error(ErrorKind::Usage,
			    "empty output spec; expected NAME or NAME:KEY=VALUE,... (e.g. print:format=json)");
	if (!validName(name))
		throw specError(text, "the plugin name must be letters, digits, '-' or '_'; expected NAME or NAME:KEY=VALUE,...");
	spec.name = toLower(name);
	if (colon == std::string_view::npos)
		return spec;

	std::string_view rest = text.substr(colon + 1);
	if (rest.empty())
		throw specError(text, "no options after ':'; write NAME:KEY=VALUE or just NAME");

	// One pass: split on unescaped commas, then at the first unescaped '='.
	std::string key, value;
	bool inValue = false;
	auto finish = [&]() {
		std::string k(trim(key));
		if (k.empty())
			throw specError(text, inValue ? "an option has no key before '='"
						      : "empty option between commas");
		if (!inValue)
			throw specError(text, "option '" + k + "' has no value; write " + k + "=VALUE");
		spec.options.emplace_back(toLower(k), value);
		key.clear();
		value.clear();
		inValue = false;
	};
	for (size_t i = 0; i < rest.size(); ++i) {
		char c = rest[i];
		if (c == '\\') {
			if (i + 1 == rest.size())
				throw specError(text, "it ends with a lone '\\'; write '\\\\' for a backslash");
			(inValue ? value : key) += rest[++i];
		} else if (c == ',') {
			finish();
		} else if (c == '=' && !inValue) {
			inValue = true;
		} else {
			(inValue ? value : key) += c;
		}
	}
	finish();
	return spec;
}

void checkOptionKeys(std::string_view plugin, const PluginOptions &options,
		     const std::vector<std::string> &known)
{
	for (size_t i = 0; i < options.size(); ++i) {
		const std::string &key = options[i].first;
		bool isKnown = false;
		for (const auto &k : known)
			isKnown = isKnown || k == key;
		if (!isKnown) {
			std::string msg = "unknown option '" + key + "' for output plugin '" +
					  std::string(plugin) + "'";
			std::string near = closestMatch(key, known);
			if (!near.empty())
				msg += "; did you mean '" + near + "'?";
			else if (known.empty())
				msg += "; it takes no options";
			else {
				msg += "; it takes:";
				for (const auto &k : known)
					msg += " " + k;
			}
			throw Error(ErrorKind::Usage, msg);
		}
		for (size_t j = 0; j < i; ++j)
			if (options[j].first == key)
				throw Error(ErrorKind::Usage, "option '" + key + "' given twice for output plugin '" +
								      std::string(plugin) + "'");
	}
}

std::optional<std::string> findOption(const PluginOptions &options, std::string_view key)
{
	for (const auto &[k, v] : options)
		if (k == key)
			return v;
	return std::nullopt;
}

std::string requireOption(std::string_view plugin, const PluginOptions &options,
			  std::string_view key, std::string_view example)
{
	auto v = findOption(options, key);
	if (!v || v->empty())
		throw Error(ErrorKind::Usage, "output plugin '" + std::string(plugin) + "' needs option '" +
						      std::string(key) + "' (e.g. -o " + std::string(example) + ")");
	return *v;
}

bool boolOption(std::string_view plugin, const PluginOptions &options, std::string_view key,
		bool fallback)
{
	auto v = findOption(options, key);
	if (!v)
		return fallback;
	std::string s = toLower(trim(*v));
	if (s == "true" || s == "yes" || s == "1")
		return true;
	if (s == "false" || s == "no" || s == "0")
		return false;
	throw Error(ErrorKind::Usage, "option '" + std::string(key) + "' of output plugin '" +
					      std::string(plugin) + "' must be true or false, not '" + *v + "'");
}

} // namespace mwaatok

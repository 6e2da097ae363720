// Checks of single YAML nodes for the profile reader: keys, scalars,
// numbers, lists, and where each problem is.
#include "config/profile_reader.h"

#include <algorithm>

#include "config/profile_values.h"
#include "core/strings.h"

namespace mwaatok::profile {

std::string quoted(std::string_view s)
{
	return "'" + std::string(s) + "'";
}

std::string describe(const YAML::Node &node)
{
	switch (node.Type()) {
	case YAML::NodeType::Map: return "a map";
	case YAML::NodeType::Sequence: return "a list";
	case YAML::NodeType::Scalar: return "a string";
	default: return "empty";
	}
}

std::string unknownWord(const std::string &word, const std::vector<std::string> &known,
			const std::string &listName)
{
	std::string close = closestMatch(word, known);
	if (!close.empty())
		return "; did you mean " + quoted(close) + "?";
	if (known.empty())
		return "; there are no " + listName;
	return "; " + listName + " are: " + joined(known);
}

void ProfileReader::report(const YAML::Mark &mark, const std::string &message)
{
	// yaml-cpp marks are 0-based; editors and compilers count from 1.
	if (mark.is_null())
		problems_.push_back({ 1, 1, message });
	else
		problems_.push_back({ mark.line + 1, mark.column + 1, message });
}

std::vector<std::string> ProfileReader::problems() const
{
	// Found section by section (a repeated key before the first one's
	// content): sorted, they read top to bottom like a compiler's.
	auto sorted = problems_;
	std::stable_sort(sorted.begin(), sorted.end(), [](const Problem &a, const Problem &b) {
		return a.line != b.line ? a.line < b.line : a.column < b.column;
	});
	std::vector<std::string> out;
	for (const auto &p : sorted)
		out.push_back(path_ + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) + ": " +
			      p.message);
	return out;
}

std::vector<Entry> ProfileReader::entries(const YAML::Node &node, const std::string &noun,
					  const std::string &where)
{
	std::vector<Entry> out;
	// yaml-cpp keeps every pair of a map with a repeated key but looks up only
	// one of them, so repeated keys are found by walking the pairs.
	std::map<std::string, int> seen;
	for (const auto &pair : node) {
		const YAML::Node &k = pair.first;
		if (!k.IsScalar()) {
			report(k.Mark(), noun + " names " + where + " must be strings, not " + describe(k));
			continue;
		}
		auto [first, inserted] = seen.emplace(k.Scalar(), k.Mark().line + 1);
		if (!inserted) {
			report(k.Mark(), "duplicate " + noun + " " + quoted(k.Scalar()) + " " + where +
						 " (first at line " + std::to_string(first->second) +
						 "): remove one");
			continue;
		}
		out.push_back({ k.Scalar(), k, pair.second });
	}
	return out;
}

bool ProfileReader::expectMap(const YAML::Node &node, const YAML::Node &markNode, const std::string &what,
			      const std::string &shape)
{
	if (node.IsMap())
		return true;
	report(markNode.Mark(), what + " must be " + shape + ", not " + describe(node));
	return false;
}

std::optional<std::string> ProfileReader::scalar(const Entry &e, const std::string &where)
{
	if (e.value.IsNull() || (e.value.IsScalar() && e.value.Scalar().empty())) {
		report(at(e).Mark(), e.key + " " + where + " is empty: give a value or remove the key");
		return std::nullopt;
	}
	if (!e.value.IsScalar()) {
		report(e.value.Mark(), e.key + " " + where + " must be a string, not " + describe(e.value));
		return std::nullopt;
	}
	return e.value.Scalar();
}

std::optional<int> ProfileReader::number(const Entry &e, const std::string &where,
					 std::optional<int> (*parse)(std::string_view), std::string_view rule)
{
	auto v = scalar(e, where);
	auto n = v ? parse(*v) : std::nullopt;
	if (v && !n)
		report(e.value.Mark(), "invalid " + e.key + " " + quoted(*v) + " " + where + ": " + std::string(rule));
	return n;
}

std::vector<std::pair<std::string, YAML::Node>> ProfileReader::stringList(const Entry &e, const std::string &where,
									  const std::string &itemNoun,
									  const std::string &example)
{
	std::vector<std::pair<std::string, YAML::Node>> out;
	if (!e.value.IsSequence()) {
		report(at(e).Mark(), e.key + " " + where + " must be a list of " + itemNoun + "s, like " +
					     example + ", not " + describe(e.value));
		return out;
	}
	for (const auto &item : e.value) {
		if (!item.IsScalar())
			report(item.Mark(), "each " + itemNoun + " " + where + " must be a string, not " +
						    describe(item));
		else if (item.Scalar().empty())
			report(item.Mark(), "empty " + itemNoun + " " + where + ": remove it");
		else
			out.emplace_back(item.Scalar(), item);
	}
	return out;
}

void ProfileReader::unknownKey(const Entry &e, const std::vector<std::string> &known, const std::string &where)
{
	report(e.keyNode.Mark(), "unknown key " + quoted(e.key) + " " + where +
					 unknownWord(e.key, known, "valid keys"));
}

void ProfileReader::checkPlugin(const std::string &plugin, const YAML::Node &markNode, const std::string &where)
{
	for (const auto &p : knownPlugins_)
		if (p == plugin)
			return;
	report(markNode.Mark(), "unknown output plugin " + quoted(plugin) + " " + where +
					unknownWord(plugin, knownPlugins_, "known plugins"));
}

} // namespace mwaatok::profile

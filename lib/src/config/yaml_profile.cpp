// The only code in mwaatok that includes yaml-cpp: YAML text in, a validated
// EnvironmentProfile (or located diagnostics) out.
#include "mwaatok/environment_profile.h"

#include <algorithm>
#include <sstream>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "config/profile_values.h"
#include "core/strings.h"
#include "mwaatok/error.h"

namespace mwaatok {

namespace {

const std::vector<std::string> topKeys = { "defaults", "environments", "outputs" };
const std::vector<std::string> defaultsKeys = { "region",	   "aws_profile", "endpoint_url",
						"airflow_version", "outputs",	  "jobs" };
const std::vector<std::string> environmentKeys = { "name",	  "region",	     "aws_profile",
						   "endpoint_url", "airflow_version", "tags" };

std::string quoted(std::string_view s)
{
	return "'" + std::string(s) + "'";
}

/// "a map", "a list", ... for "must be X, not Y" messages.
std::string describe(const YAML::Node &node)
{
	switch (node.Type()) {
	case YAML::NodeType::Map: return "a map";
	case YAML::NodeType::Sequence: return "a list";
	case YAML::NodeType::Scalar: return "a string";
	default: return "empty";
	}
}

/// A message for a word that is not among \a known: a suggestion, else the list.
std::string unknownWord(const std::string &word, const std::vector<std::string> &known,
			const std::string &listName)
{
	std::string close = closestMatch(word, known);
	if (!close.empty())
		return "; did you mean " + quoted(close) + "?";
	if (known.empty())
		return "; there are no " + listName;
	return "; " + listName + " are: " + profile::joined(known);
}

/// One key/value pair of a YAML map whose key is a string.
struct Entry {
	std::string key;
	YAML::Node keyNode;
	YAML::Node value;
};

/// Builds an EnvironmentProfile, recording every problem with its position.
class ProfileReader {
public:
	ProfileReader(const std::string &path, const std::vector<std::string> &knownPlugins)
		: path_(path), knownPlugins_(knownPlugins)
	{
	}

	void read(std::string_view text);

	/// Every problem as "path:line:column: message", in file order.
	std::vector<std::string> problems() const;

	EnvironmentProfile profile_;

	void report(const YAML::Mark &mark, const std::string &message);

private:
	/// The mark to point at for \a value: the key's when the value is null.
	static const YAML::Node &at(const Entry &e)
	{
		return e.value.IsNull() ? e.keyNode : e.value;
	}

	/// The string pairs of map \a node, reporting non-string and duplicate keys.
	std::vector<Entry> entries(const YAML::Node &node, const std::string &noun,
				   const std::string &where);
	/// True when \a node is a map; otherwise reports "\a what must be \a shape".
	bool expectMap(const YAML::Node &node, const YAML::Node &markNode, const std::string &what,
		       const std::string &shape);
	/// A non-empty string, or reports why \a e's value is not one.
	std::optional<std::string> scalar(const Entry &e, const std::string &where);
	/// \a e's value read by \a parse, or reports it as breaking \a rule.
	std::optional<int> number(const Entry &e, const std::string &where,
				  std::optional<int> (*parse)(std::string_view), std::string_view rule);
	/// The strings of list \a e, each with its node, reporting the other items.
	std::vector<std::pair<std::string, YAML::Node>> stringList(const Entry &e, const std::string &where,
								   const std::string &itemNoun,
								   const std::string &example);
	void unknownKey(const Entry &e, const std::vector<std::string> &known, const std::string &where);
	void checkPlugin(const std::string &plugin, const YAML::Node &markNode, const std::string &where);

	void readDefaults(const Entry &section);
	void readEnvironments(const Entry &section);
	void readEnvironment(const Entry &e);
	void readOutputs(const Entry &section);

	/// Shared by defaults and environments: returns false when \a e is not one of these keys.
	template <typename Settings>
	bool readCommonSetting(const Entry &e, const std::string &where, Settings &out);

	struct Problem {
		int line;
		int column;
		std::string message;
	};

	const std::string &path_;
	const std::vector<std::string> &knownPlugins_;
	std::vector<Problem> problems_;
};

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

template <typename Settings>
bool ProfileReader::readCommonSetting(const Entry &e, const std::string &where, Settings &out)
{
	if (e.key == "region") {
		auto v = scalar(e, where);
		if (v && !profile::regionProblem(*v).empty())
			report(e.value.Mark(), "invalid region " + quoted(*v) + " " + where + ": " +
						       std::string(profile::regionRule));
		else if (v)
			out.region = *v;
	} else if (e.key == "aws_profile") {
		if (auto v = scalar(e, where))
			out.awsProfile = *v;
	} else if (e.key == "endpoint_url") {
		auto v = scalar(e, where);
		std::string why = v ? profile::endpointUrlProblem(*v) : "";
		if (!why.empty())
			report(e.value.Mark(), "invalid endpoint_url " + quoted(*v) + " " + where + ": " + why);
		else if (v)
			out.endpointUrl = *v;
	} else if (e.key == "airflow_version") {
		out.airflowVersion = number(e, where, profile::parseAirflowVersion, profile::airflowVersionRule);
	} else {
		return false;
	}
	return true;
}

/// Sees whether a YAML stream holds more than one document, and where the second starts.
class DocumentCounter final : public YAML::EventHandler {
public:
	/// Where the second document starts, or nullopt when \a text holds one at most.
	static std::optional<YAML::Mark> secondDocument(const std::string &text)
	{
		std::istringstream in(text);
		YAML::Parser parser(in);
		DocumentCounter counter;
		// Two calls at most: yaml-cpp 0.7's own LoadAll loops forever on some
		// malformed input (",") where the parser stops making progress.
		if (!parser.HandleNextDocument(counter) || !parser.HandleNextDocument(counter))
			return std::nullopt;
		return counter.second_;
	}

	void OnDocumentStart(const YAML::Mark &mark) override
	{
		if (++documents_ == 2)
			second_ = mark;
	}
	void OnDocumentEnd() override {}
	void OnNull(const YAML::Mark &, YAML::anchor_t) override {}
	void OnAlias(const YAML::Mark &, YAML::anchor_t) override {}
	void OnScalar(const YAML::Mark &, const std::string &, YAML::anchor_t, const std::string &) override {}
	void OnSequenceStart(const YAML::Mark &, const std::string &, YAML::anchor_t,
			     YAML::EmitterStyle::value) override {}
	void OnSequenceEnd() override {}
	void OnMapStart(const YAML::Mark &, const std::string &, YAML::anchor_t, YAML::EmitterStyle::value) override {}
	void OnMapEnd() override {}

private:
	int documents_ = 0;
	YAML::Mark second_;
};

void ProfileReader::read(std::string_view text)
{
	const std::string input(text);
	YAML::Node root;
	try {
		root = YAML::Load(input);
		if (auto second = DocumentCounter::secondDocument(input))
			report(*second, "the profile holds more than one YAML document: keep one, "
					"without '---' separators");
	} catch (const YAML::Exception &e) {
		report(e.mark, "invalid YAML: " + e.msg + " (check the indentation and quoting here)");
		return;
	}
	if (root.IsNull())
		return;
	if (!expectMap(root, root, "the profile", "a map with defaults, environments and outputs"))
		return;
	for (const auto &e : entries(root, "key", "at the top level")) {
		if (e.key == "defaults")
			readDefaults(e);
		else if (e.key == "environments")
			readEnvironments(e);
		else if (e.key == "outputs")
			readOutputs(e);
		else
			unknownKey(e, topKeys, "at the top level");
	}
}

void ProfileReader::readDefaults(const Entry &section)
{
	const std::string where = "in defaults";
	if (section.value.IsNull() ||
	    !expectMap(section.value, section.value, "defaults", "a map of settings like region"))
		return;
	auto &defaults = profile_.defaults;
	for (const auto &e : entries(section.value, "key", where)) {
		if (readCommonSetting(e, where, defaults))
			continue;
		if (e.key == "outputs") {
			for (const auto &[spec, node] : stringList(e, where, "output spec", "[print]")) {
				// "name" or "name:key=value,...": the plugin name is all we check here.
				checkPlugin(spec.substr(0, spec.find(':')), node, "in defaults outputs");
				defaults.outputs.push_back(spec);
			}
		} else if (e.key == "jobs") {
			defaults.jobs = number(e, where, profile::parseJobs, profile::jobsRule);
		} else {
			unknownKey(e, defaultsKeys, where);
		}
	}
}

void ProfileReader::readEnvironments(const Entry &section)
{
	if (section.value.IsNull() ||
	    !expectMap(section.value, section.value, "environments", "a map of alias to settings"))
		return;
	for (const auto &e : entries(section.value, "alias", "in environments"))
		readEnvironment(e);
}

void ProfileReader::readEnvironment(const Entry &env)
{
	const std::string where = "in environment " + quoted(env.key);
	EnvironmentEntry entry;
	entry.alias = env.key;
	entry.line = env.keyNode.Mark().line + 1;
	if (env.key.empty())
		report(env.keyNode.Mark(), "empty environment alias: give it a name");
	bool isMap = env.value.IsNull() ||
		     expectMap(env.value, env.value, "environment " + quoted(env.key), "a map of settings or {}");
	if (isMap && !env.value.IsNull()) {
		for (const auto &e : entries(env.value, "key", where)) {
			if (readCommonSetting(e, where, entry))
				continue;
			if (e.key == "name") {
				auto v = scalar(e, where);
				if (v && !profile::nameProblem(*v).empty())
					report(e.value.Mark(), "invalid environment name " + quoted(*v) + " " +
								       where + ": " + std::string(profile::nameRule));
				else if (v)
					entry.name = *v;
			} else if (e.key == "tags") {
				for (auto &tag : stringList(e, where, "tag", "[prod, eu]"))
					entry.tags.push_back(std::move(tag.first));
			} else {
				unknownKey(e, environmentKeys, where);
			}
		}
	}
	if (!entry.name && !env.key.empty() && !profile::nameProblem(env.key).empty())
		report(env.keyNode.Mark(), "alias " + quoted(env.key) +
						   " is not a valid MWAA environment name and has no name key: "
						   "add name: <environment name>, or rename the alias (" +
						   std::string(profile::nameRule) + ")");
	profile_.environments.push_back(std::move(entry));
}

void ProfileReader::readOutputs(const Entry &section)
{
	if (section.value.IsNull() ||
	    !expectMap(section.value, section.value, "outputs", "a map of plugin name to options"))
		return;
	for (const auto &plugin : entries(section.value, "output plugin", "in outputs")) {
		checkPlugin(plugin.key, plugin.keyNode, "in outputs");
		auto &options = profile_.outputs[plugin.key];
		const std::string owner = "of output plugin " + quoted(plugin.key);
		if (plugin.value.IsNull() ||
		    !expectMap(plugin.value, plugin.value, "options " + owner, "a map like {format: json}"))
			continue;
		for (const auto &o : entries(plugin.value, "option", owner)) {
			if (o.value.IsNull())
				report(at(o).Mark(), "option " + quoted(o.key) + " " + owner +
							     " is empty: give a value or remove it");
			else if (!o.value.IsScalar())
				report(o.value.Mark(), "option " + quoted(o.key) + " " + owner +
							       " must be a single value, not " + describe(o.value));
			else
				options[o.key] = o.value.Scalar();
		}
	}
}

} // namespace

namespace {

/// Runs \a reader over \a text; yaml-cpp's own errors become problems too.
void readInto(ProfileReader &reader, std::string_view text)
{
	try {
		reader.read(text);
	} catch (const YAML::Exception &e) {
		// The parser reports with a position above; this is a node operation
		// on an odd document, which has none.
		reader.report(e.mark, "invalid YAML: " + e.msg);
	}
}

} // namespace

std::vector<std::string> checkProfileText(std::string_view text, const std::string &path,
					  const std::vector<std::string> &knownPlugins)
{
	ProfileReader reader(path, knownPlugins);
	readInto(reader, text);
	return reader.problems();
}

EnvironmentProfile parseProfile(std::string_view text, const std::string &path,
				const std::vector<std::string> &knownPlugins)
{
	ProfileReader reader(path, knownPlugins);
	readInto(reader, text);
	auto problems = reader.problems();
	if (!problems.empty())
		throw Error(ErrorKind::Config, problems.front());
	reader.profile_.path = path;
	return std::move(reader.profile_);
}

} // namespace mwaatok

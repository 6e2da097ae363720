// YAML text in, a validated EnvironmentProfile (or located diagnostics) out.
// Only this room (config/) includes yaml-cpp.
#include "mwaatok/environment_profile.h"

#include <algorithm>
#include <sstream>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "config/profile_reader.h"
#include "config/profile_values.h"
#include "core/strings.h"
#include "mwaatok/error.h"

namespace mwaatok::profile {

namespace {

const std::vector<std::string> topKeys = { "defaults", "environments", "outputs" };
const std::vector<std::string> defaultsKeys = { "region",	   "aws_profile", "endpoint_url",
						"airflow_version", "outputs",	  "jobs" };
const std::vector<std::string> environmentKeys = { "name",	  "region",	     "aws_profile",
						   "endpoint_url", "airflow_version", "tags" };

} // namespace

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

namespace {

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

} // namespace

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

} // namespace mwaatok::profile

namespace mwaatok {

namespace {

using profile::ProfileReader;

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

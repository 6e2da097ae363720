#pragma once

// The YAML profile reader's insides, shared by yaml_profile.cpp (the sections)
// and profile_reader.cpp (checks of single nodes). Only the config room
// includes yaml-cpp.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include <yaml-cpp/yaml.h>

#include "mwaatok/environment_profile.h"

namespace mwaatok::profile {

std::string quoted(std::string_view s);
/// "a map", "a list", ... for "must be X, not Y" messages.
std::string describe(const YAML::Node &node);
/// A message for a word that is not among \a known: a suggestion, else the list.
std::string unknownWord(const std::string &word, const std::vector<std::string> &known,
			const std::string &listName);

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

} // namespace mwaatok::profile

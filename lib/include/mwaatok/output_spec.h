#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mwaatok/output_plugin.h"

namespace mwaatok {

/// A plugin name and its options, from `-o` or the YAML profile.
struct OutputSpec {
	std::string name;
	PluginOptions options;
};

/// Parse `NAME` or `NAME:KEY=VALUE,KEY=VALUE`. A value runs to the next
/// unescaped comma and may contain '='; a backslash makes the next character
/// literal (`\,` is a comma, `\\` a backslash). Throws Error(Usage).
OutputSpec parseOutputSpec(std::string_view text);

/// Throws Error(Usage) naming the first key of \a options not in \a known,
/// with the nearest known key as a suggestion, or a key given twice.
void checkOptionKeys(std::string_view plugin, const PluginOptions &options,
		     const std::vector<std::string> &known);

/// The value of \a key, or nullopt when it was not given.
std::optional<std::string> findOption(const PluginOptions &options, std::string_view key);

/// The value of \a key; throws Error(Usage) saying how to give it when missing or empty.
std::string requireOption(std::string_view plugin, const PluginOptions &options,
			  std::string_view key, std::string_view example);

/// The boolean value of \a key (true/false/yes/no/1/0), \a fallback when absent;
/// throws Error(Usage) for anything else.
bool boolOption(std::string_view plugin, const PluginOptions &options, std::string_view key,
		bool fallback);

} // namespace mwaatok

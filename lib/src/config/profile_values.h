#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Checks of single profile values, shared by the YAML loader and the command
// line overrides. Each returns what is wrong and what to do, or an empty string.
namespace mwaatok::profile {

/// Empty when \a name is a valid MWAA environment name.
std::string nameProblem(std::string_view name);
/// Empty when \a region looks like an AWS region code.
std::string regionProblem(std::string_view region);
/// Empty when \a url is an absolute http(s) URL.
std::string endpointUrlProblem(std::string_view url);
/// 2 or 3 from "2" or "3"; nullopt otherwise.
std::optional<int> parseAirflowVersion(std::string_view text);
/// A whole number 1..1024; nullopt otherwise.
std::optional<int> parseJobs(std::string_view text);

/// "a, b, c": for lists of valid keys, plugins and tags in messages.
std::string joined(const std::vector<std::string> &words);

constexpr std::string_view nameRule =
	"use 1 to 80 letters, digits, '-' or '_', starting with a letter";
constexpr std::string_view regionRule = "use a region code like us-east-1 or eu-west-1";
constexpr std::string_view airflowVersionRule = "use 2 or 3";
constexpr std::string_view jobsRule = "use a whole number from 1 to 1024";

} // namespace mwaatok::profile

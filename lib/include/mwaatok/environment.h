#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mwaatok {

/// Process environment variables, behind a seam so tests inject their own.
class Environment {
public:
	virtual ~Environment() = default;

	/// The value of \a name, or nullopt when it is not set.
	virtual std::optional<std::string> get(std::string_view name) const = 0;

	/// The value of \a name, or nullopt when it is unset or empty.
	std::optional<std::string> getNonEmpty(std::string_view name) const;
	/// True when \a name is set to "true" in any letter case.
	bool isTrue(std::string_view name) const;
};

/// The real process environment.
class SystemEnvironment final : public Environment {
public:
	std::optional<std::string> get(std::string_view name) const override;
};

} // namespace mwaatok

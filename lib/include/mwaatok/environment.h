#pragma once

#include <map>
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

/// An environment held in a map.
class MapEnvironment final : public Environment {
public:
	MapEnvironment() = default;
	explicit MapEnvironment(std::map<std::string, std::string, std::less<>> vars);

	std::optional<std::string> get(std::string_view name) const override;
	void set(std::string name, std::string value);
	void unset(std::string_view name);

private:
	std::map<std::string, std::string, std::less<>> vars_;
};

} // namespace mwaatok

#include "mwaatok/environment.h"

#include <cstdlib>

#include "core/strings.h"

namespace mwaatok {

std::optional<std::string> Environment::getNonEmpty(std::string_view name) const
{
	auto v = get(name);
	if (v && v->empty())
		return std::nullopt;
	return v;
}

bool Environment::isTrue(std::string_view name) const
{
	auto v = get(name);
	return v && iequals(trim(*v), "true");
}

std::optional<std::string> SystemEnvironment::get(std::string_view name) const
{
	const char *v = std::getenv(std::string(name).c_str());
	if (!v)
		return std::nullopt;
	return std::string(v);
}

MapEnvironment::MapEnvironment(std::map<std::string, std::string, std::less<>> vars)
	: vars_(std::move(vars))
{
}

std::optional<std::string> MapEnvironment::get(std::string_view name) const
{
	auto it = vars_.find(name);
	if (it == vars_.end())
		return std::nullopt;
	return it->second;
}

void MapEnvironment::set(std::string name, std::string value)
{
	vars_[std::move(name)] = std::move(value);
}

void MapEnvironment::unset(std::string_view name)
{
	auto it = vars_.find(name);
	if (it != vars_.end())
		vars_.erase(it);
}

} // namespace mwaatok

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

} // namespace mwaatok

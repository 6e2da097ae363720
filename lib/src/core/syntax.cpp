#include "mwaatok/syntax.h"

#include "core/strings.h"

namespace mwaatok {

namespace {

bool isLower(char c) { return c >= 'a' && c <= 'z'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isLetter(char c) { return isLower(c) || (c >= 'A' && c <= 'Z'); }

} // namespace

bool isRegionCode(std::string_view region)
{
	// ^[a-z]{2}(-[a-z]+)+-\d+$
	auto parts = split(region, '-');
	bool ok = region.size() <= 64 && parts.size() >= 3 && parts.front().size() == 2;
	for (size_t i = 0; ok && i < parts.size(); ++i) {
		bool last = i + 1 == parts.size();
		ok = !parts[i].empty();
		for (char c : parts[i])
			ok = ok && (last ? isDigit(c) : isLower(c));
	}
	return ok;
}

bool isValidEnvironmentName(std::string_view name)
{
	if (name.empty() || name.size() > 80 || !isLetter(name.front()))
		return false;
	for (char c : name)
		if (!(isLetter(c) || isDigit(c) || c == '-' || c == '_'))
			return false;
	return true;
}

bool isHttpTokenChar(char c)
{
	static constexpr std::string_view specials = "!#$%&'*+-.^_`|~";
	return isLetter(c) || isDigit(c) || specials.find(c) != std::string_view::npos;
}

bool isHttpToken(std::string_view s)
{
	if (s.empty())
		return false;
	for (char c : s)
		if (!isHttpTokenChar(c))
			return false;
	return true;
}

} // namespace mwaatok

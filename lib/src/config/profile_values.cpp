#include "config/profile_values.h"

#include <charconv>

#include "core/strings.h"
#include "mwaatok/error.h"
#include "mwaatok/url.h"

namespace mwaatok::profile {

namespace {

bool isLower(char c) { return c >= 'a' && c <= 'z'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isLetter(char c) { return isLower(c) || (c >= 'A' && c <= 'Z'); }

} // namespace

std::string joined(const std::vector<std::string> &words)
{
	std::string out;
	for (const auto &w : words)
		out += (out.empty() ? "" : ", ") + w;
	return out;
}

std::string nameProblem(std::string_view name)
{
	// The MWAA API pattern: ^[a-zA-Z][0-9a-zA-Z-_]*$, 1 to 80 characters.
	if (name.empty() || name.size() > 80 || !isLetter(name.front()))
		return std::string(nameRule);
	for (char c : name)
		if (!(isLetter(c) || isDigit(c) || c == '-' || c == '_'))
			return std::string(nameRule);
	return {};
}

std::string regionProblem(std::string_view region)
{
	// ^[a-z]{2}(-[a-z]+)+-\d+$, e.g. us-east-1, us-gov-west-1.
	auto parts = split(region, '-');
	bool ok = region.size() <= 64 && parts.size() >= 3 && parts.front().size() == 2;
	for (size_t i = 0; ok && i < parts.size(); ++i) {
		bool last = i + 1 == parts.size();
		ok = !parts[i].empty();
		for (char c : parts[i])
			ok = ok && (last ? isDigit(c) : isLower(c));
	}
	return ok ? std::string() : std::string(regionRule);
}

std::string endpointUrlProblem(std::string_view url)
{
	try {
		Url::parse(url);
		return {};
	} catch (const Error &e) {
		// Url::parse names the URL itself; the caller already quotes it.
		std::string why = e.what();
		std::string prefix = "invalid URL '" + std::string(url) + "': ";
		if (startsWith(why, prefix))
			why.erase(0, prefix.size());
		return why;
	}
}

std::optional<int> parseAirflowVersion(std::string_view text)
{
	if (text == "2")
		return 2;
	if (text == "3")
		return 3;
	return std::nullopt;
}

std::optional<int> parseJobs(std::string_view text)
{
	int n = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
	if (text.empty() || !isDigit(text.front()) || ec != std::errc() ||
	    end != text.data() + text.size() || n < 1 || n > 1024)
		return std::nullopt;
	return n;
}

} // namespace mwaatok::profile

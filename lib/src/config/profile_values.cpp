#include "config/profile_values.h"

#include <charconv>

#include "core/strings.h"
#include "mwaatok/error.h"
#include "mwaatok/syntax.h"
#include "mwaatok/url.h"

namespace mwaatok::profile {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

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
	return isValidEnvironmentName(name) ? std::string() : std::string(nameRule);
}

std::string regionProblem(std::string_view region)
{
	return isRegionCode(region) ? std::string() : std::string(regionRule);
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

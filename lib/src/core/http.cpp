#include "mwaatok/http.h"

#include "core/strings.h"

namespace mwaatok {

std::optional<std::string> findHeader(const HttpHeaders &headers, std::string_view name)
{
	for (const auto &h : headers)
		if (iequals(h.name, name))
			return h.value;
	return std::nullopt;
}

} // namespace mwaatok

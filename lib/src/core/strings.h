#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mwaatok/text.h" // the shared helpers: trim, split, closestMatch, ...

namespace mwaatok {

/// Levenshtein distance, for "did you mean" suggestions.
size_t editDistance(std::string_view a, std::string_view b);

} // namespace mwaatok

#pragma once

#include <string>
#include <string_view>

#include "mwaatok/filesystem.h" // writeFileAtomically, writeAll

namespace mwaatok {

class Environment;

/// \a path with a leading "~" or "~/" replaced by $HOME. Throws Error(Usage)
/// for "~user" or when HOME is unset.
std::string expandHome(std::string_view path, const Environment &environment);

} // namespace mwaatok

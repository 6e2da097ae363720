#pragma once

#include <string>
#include <string_view>

namespace mwaatok {

class Environment;

/// \a path with a leading "~" or "~/" replaced by $HOME. Throws Error(Usage)
/// for "~user" or when HOME is unset.
std::string expandHome(std::string_view path, const Environment &environment);

/// Replace \a path with \a content atomically: a mode-0600 temporary file in
/// the same directory, fsync, rename. Refuses a \a path that is a symlink or
/// not a regular file. Throws Error(Io); no temporary file is left behind.
void writeFileAtomically(const std::string &path, std::string_view content);

/// Write all of \a content to \a fd; false with errno set on failure.
bool writeAll(int fd, std::string_view content);

} // namespace mwaatok

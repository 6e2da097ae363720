#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace mwaatok {

/// Reading local files, behind a seam so tests never touch the real home directory.
class FileSystem {
public:
	virtual ~FileSystem() = default;

	/// The whole content of \a path; nullopt when it does not exist.
	/// Throws Error(Io) when it exists but cannot be read.
	virtual std::optional<std::string> read(const std::string &path) const = 0;
};

/// The real file system.
class SystemFileSystem final : public FileSystem {
public:
	std::optional<std::string> read(const std::string &path) const override;
};

/// The one `~` expansion: \a path with a leading "~" or "~/" replaced by
/// \a home; \a path itself when it does not start with '~'; nullopt when it
/// cannot be expanded ("~user", or no \a home).
std::optional<std::string> expandTilde(std::string_view path, const std::optional<std::string> &home);

/// Replace \a path with \a content atomically: a mode-0600 temporary file in
/// the same directory, fsync, rename. Refuses a \a path that is a symlink or
/// not a regular file. Throws Error(Io); no temporary file is left behind.
void writeFileAtomically(const std::string &path, std::string_view content);

/// Write all of \a content to \a fd; false with errno set on failure.
bool writeAll(int fd, std::string_view content);

} // namespace mwaatok

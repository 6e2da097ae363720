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

} // namespace mwaatok

#pragma once

#include "mwaatok/error.h"

#include <optional>
#include <string>
#include <string_view>

namespace mwaatok {

/// Who owns a file and who may change it (from stat(2), symlinks followed).
struct FileStatus {
	unsigned uid = 0;
	unsigned mode = 0; ///< st_mode: type and permission bits
	bool isDirectory() const { return (mode & 0170000) == 0040000; }
};

/// Reading local files, behind a seam so tests never touch the real home directory.
class FileSystem {
public:
	virtual ~FileSystem() = default;

	/// As read(), but at most \a max bytes (a FIFO or /dev/zero included):
	/// throws FileTooLarge when \a path holds more.
	virtual std::optional<std::string> readCapped(const std::string &path, size_t max) const;
	/// Replace \a path with \a content atomically (a reader sees the old file or
	/// the new one), mode 0600, creating missing parent directories with mode
	/// 0700; refuses a symbolic link. Throws Error(Io).
	virtual void writePrivate(const std::string &path, std::string_view content) const;

	/// The whole content of \a path; nullopt when it does not exist.
	/// Throws Error(Io) when it exists but cannot be read.
	virtual std::optional<std::string> read(const std::string &path) const = 0;
	/// Owner and mode of \a path; nullopt when it does not exist (or is not known).
	virtual std::optional<FileStatus> status(const std::string &path) const { (void)path; return std::nullopt; }
	/// \a path absolute, with symbolic links resolved (realpath(3)); \a path itself when it cannot be.
	virtual std::string resolve(const std::string &path) const { return path; }
};

/// Thrown by FileSystem::readCapped for a file larger than allowed.
class FileTooLarge : public Error {
public:
	using Error::Error;
};

/// The real file system.
class SystemFileSystem final : public FileSystem {
public:
	std::optional<std::string> readCapped(const std::string &path, size_t max) const override;
	void writePrivate(const std::string &path, std::string_view content) const override;
	std::optional<std::string> read(const std::string &path) const override;
	std::optional<FileStatus> status(const std::string &path) const override;
	std::string resolve(const std::string &path) const override;
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

#include "mwaatok/filesystem.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mwaatok/error.h"

namespace mwaatok {

std::optional<std::string> SystemFileSystem::read(const std::string &path) const
{
	return readCapped(path, std::numeric_limits<size_t>::max());
}

std::optional<FileStatus> SystemFileSystem::status(const std::string &path) const
{
	struct stat st {};
	if (::stat(path.c_str(), &st) != 0)
		return std::nullopt;
	return FileStatus{ static_cast<unsigned>(st.st_uid), static_cast<unsigned>(st.st_mode) };
}

std::string SystemFileSystem::resolve(const std::string &path) const
{
	char *real = ::realpath(path.c_str(), nullptr);
	if (!real)
		return path;
	std::string out(real);
	std::free(real);
	return out;
}

std::optional<std::string> expandTilde(std::string_view path, const std::optional<std::string> &home)
{
	if (path.empty() || path.front() != '~')
		return std::string(path);
	if ((path.size() > 1 && path[1] != '/') || !home)
		return std::nullopt;
	return *home + std::string(path.substr(1));
}

std::optional<std::string> FileSystem::readCapped(const std::string &path, size_t max) const
{
	auto text = read(path);
	if (text && text->size() > max)
		throw FileTooLarge(ErrorKind::Io, path + " holds more than " + std::to_string(max) + " bytes");
	return text;
}

void FileSystem::writePrivate(const std::string &path, std::string_view) const
{
	throw Error(ErrorKind::Io, "cannot write " + path + ": this file system is read-only");
}

std::optional<std::string> SystemFileSystem::readCapped(const std::string &path, size_t max) const
{
	// Opened without blocking so that a FIFO without a writer cannot hang the open.
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return std::nullopt;
		throw Error(ErrorKind::Io, "cannot read " + path + ": " + std::strerror(errno));
	}
	struct stat st {};
	if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		::close(fd);
		throw Error(ErrorKind::Io, "cannot read " + path + ": it is a directory");
	}
	::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	std::string content;
	char buf[65536];
	for (;;) {
		ssize_t n = ::read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			::close(fd);
			throw Error(ErrorKind::Io, "cannot read " + path + ": " + std::strerror(e));
		}
		if (n == 0)
			break;
		content.append(buf, static_cast<size_t>(n));
		if (content.size() > max) {
			::close(fd);
			throw FileTooLarge(ErrorKind::Io, path + " holds more than " + std::to_string(max >> 10) +
								  " KiB, more than such a file can be");
		}
	}
	::close(fd);
	return content;
}

void SystemFileSystem::writePrivate(const std::string &path, std::string_view content) const
{
	auto fail = [&](const std::string &why) { return Error(ErrorKind::Io, "cannot write " + path + ": " + why); };
	size_t last = path.rfind('/');
	// Each missing ancestor in turn ("/h/.aws", "/h/.aws/cli", ...), mode 0700.
	for (size_t slash = path.find('/', 1); last != std::string::npos && slash <= last;
	     slash = path.find('/', slash + 1)) {
		std::string dir = path.substr(0, slash);
		if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
			throw fail("cannot create " + dir + ": " + std::strerror(errno));
	}
	struct stat st {};
	if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
		throw fail("it is a symbolic link or not a regular file; refusing to write through it");
	// A mode-0600 temporary file in the same directory, fsync, rename.
	std::string temp = path + ".XXXXXX";
	int fd = ::mkostemp(temp.data(), O_CLOEXEC);
	if (fd < 0)
		throw fail(std::strerror(errno));
	bool ok = ::fchmod(fd, 0600) == 0;
	for (std::string_view rest = content; ok && !rest.empty();) {
		ssize_t n = ::write(fd, rest.data(), rest.size());
		if (n < 0 && errno == EINTR)
			continue;
		ok = n > 0;
		if (ok)
			rest.remove_prefix(static_cast<size_t>(n));
	}
	ok = ok && ::fsync(fd) == 0;
	int err = errno;
	if (::close(fd) != 0 && ok) {
		ok = false;
		err = errno;
	}
	if (ok && ::rename(temp.c_str(), path.c_str()) == 0) {
		// Best effort: makes the rename itself durable.
		std::string dir = last == std::string::npos ? "." : last == 0 ? "/" : path.substr(0, last);
		int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			::fsync(dfd);
			::close(dfd);
		}
		return;
	}
	if (ok)
		err = errno;
	::unlink(temp.c_str());
	throw fail(std::strerror(err));
}

} // namespace mwaatok

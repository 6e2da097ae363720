#include "mwaatok/filesystem.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mwaatok/error.h"

namespace mwaatok {

std::optional<std::string> SystemFileSystem::read(const std::string &path) const
{
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
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
	std::string content;
	char buf[65536];
	for (;;) {
		ssize_t n = ::read(fd, buf, sizeof buf);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			::close(fd);
			throw Error(ErrorKind::Io, "cannot read " + path + ": " + std::strerror(e));
		}
		if (n == 0)
			break;
		content.append(buf, static_cast<size_t>(n));
	}
	::close(fd);
	return content;
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

} // namespace mwaatok

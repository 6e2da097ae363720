#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mwaatok/error.h"
#include "mwaatok/filesystem.h"

namespace mwaatok {

bool writeAll(int fd, std::string_view content)
{
	while (!content.empty()) {
		ssize_t n = ::write(fd, content.data(), content.size());
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		content.remove_prefix(static_cast<size_t>(n));
	}
	return true;
}

void writeFileAtomically(const std::string &path, std::string_view content)
{
	auto fail = [&](const std::string &why) {
		return Error(ErrorKind::Io, "cannot write " + path + ": " + why);
	};
	struct stat st {};
	if (::lstat(path.c_str(), &st) == 0) {
		if (S_ISLNK(st.st_mode))
			throw fail("it is a symbolic link; refusing to write through it");
		if (!S_ISREG(st.st_mode))
			throw fail("it is not a regular file");
	} else if (errno != ENOENT) {
		throw fail(std::strerror(errno));
	}

	size_t slash = path.rfind('/');
	std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
	std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
	std::string temp = (slash == std::string::npos ? "" : path.substr(0, slash + 1)) + "." + base + ".XXXXXX";

	// mkstemp creates the file 0600 with O_EXCL, so nobody else can own or read it.
	int fd = ::mkostemp(temp.data(), O_CLOEXEC);
	if (fd < 0)
		throw fail("cannot create a temporary file in " + dir + ": " + std::strerror(errno));
	auto discard = [&](int err) {
		::close(fd);
		::unlink(temp.c_str());
		return fail(std::strerror(err));
	};
	if (::fchmod(fd, 0600) != 0 || !writeAll(fd, content) || ::fsync(fd) != 0)
		throw discard(errno);
	if (::close(fd) != 0) {
		int err = errno;
		::unlink(temp.c_str());
		throw fail(std::strerror(err));
	}
	// rename replaces a symlink created since the lstat rather than following it.
	if (::rename(temp.c_str(), path.c_str()) != 0) {
		int err = errno;
		::unlink(temp.c_str());
		throw fail(std::strerror(err));
	}
	int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		::fsync(dfd); // best effort: makes the rename itself durable
		::close(dfd);
	}
}

} // namespace mwaatok

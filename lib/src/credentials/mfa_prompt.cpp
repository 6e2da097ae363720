#include "mwaatok/credential_provider.h"

#include <cerrno>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <mutex>
#include <string>

namespace mwaatok {

namespace {

void writeAll(int fd, const std::string &text)
{
	size_t done = 0;
	while (done < text.size()) {
		ssize_t n = ::write(fd, text.data() + done, text.size() - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		done += static_cast<size_t>(n);
	}
}

/// The controlling terminal, read without echo; one prompt at a time.
class TerminalMfaPrompt final : public MfaPrompt {
public:
	std::optional<std::string> ask(const std::string &serial) override
	{
		std::lock_guard lock(mutex_);
		int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (fd < 0)
			return std::nullopt;
		writeAll(fd, "Enter MFA code for " + serial + ": ");
		termios saved{};
		bool restore = ::tcgetattr(fd, &saved) == 0;
		if (restore) {
			termios quiet = saved;
			quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
			quiet.c_lflag |= ECHONL;
			::tcsetattr(fd, TCSANOW, &quiet); // keeps a code typed ahead
		}
		std::string code;
		char c;
		bool gotLine = false;
		for (;;) {
			ssize_t n = ::read(fd, &c, 1);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			if (c == '\n' || c == '\r') {
				gotLine = true;
				break;
			}
			if (code.size() < 64)
				code += c;
		}
		if (restore)
			::tcsetattr(fd, TCSANOW, &saved);
		::close(fd);
		if (!gotLine && code.empty())
			return std::nullopt;
		return code;
	}

private:
	std::mutex mutex_;
};

} // namespace

std::unique_ptr<MfaPrompt> makeTerminalMfaPrompt()
{
	return std::make_unique<TerminalMfaPrompt>();
}

} // namespace mwaatok

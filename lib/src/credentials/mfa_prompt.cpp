#include "mwaatok/credential_provider.h"

#include <cerrno>
#include <csignal>
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

// While echo is off, a signal that ends the process must not leave the
// terminal silent: these handlers put the terminal back, then let the
// signal do what it would have done.
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
int gTtyFd = -1;
volatile sig_atomic_t gInterrupted = 0;
termios gSaved{};
struct sigaction gOld[sizeof kSignals / sizeof kSignals[0]];

void restoreAndReraise(int sig)
{
	gInterrupted = 1;
	if (gTtyFd >= 0)
		::tcsetattr(gTtyFd, TCSANOW, &gSaved);
	for (size_t i = 0; i < sizeof kSignals / sizeof kSignals[0]; ++i)
		if (kSignals[i] == sig)
			::sigaction(sig, &gOld[i], nullptr);
	::raise(sig);
}

void guardTerminal(int fd, const termios &saved)
{
	gTtyFd = fd;
	gSaved = saved;
	gInterrupted = 0;
	struct sigaction sa {};
	sa.sa_handler = restoreAndReraise;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof kSignals / sizeof kSignals[0]; ++i)
		::sigaction(kSignals[i], &sa, &gOld[i]);
}

void unguardTerminal()
{
	for (size_t i = 0; i < sizeof kSignals / sizeof kSignals[0]; ++i)
		::sigaction(kSignals[i], &gOld[i], nullptr);
	gTtyFd = -1;
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
			guardTerminal(fd, saved);
			termios quiet = saved;
			quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
			quiet.c_lflag |= ECHONL;
			::tcsetattr(fd, TCSANOW, &quiet); // keeps a code typed ahead
		}
		std::string code;
		char c;
		bool gotLine = false; // a whole line, not just the end of input
		for (;;) {
			ssize_t n = ::read(fd, &c, 1);
			if (n < 0 && errno == EINTR && gInterrupted)
				break;
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
		if (restore) {
			::tcsetattr(fd, TCSANOW, &saved);
			unguardTerminal();
		}
		::close(fd);
		if (gInterrupted && !gotLine)
			throw Error(ErrorKind::Credentials, "interrupted while asking for the MFA code for " + serial);
		return code; // empty at end of input: the caller says no code was entered
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

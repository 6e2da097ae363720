#include "mwaatok/process.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/sigpipe.h"

extern char **environ;

namespace mwaatok {

namespace {

using Steady = std::chrono::steady_clock;

// Time given to a process between SIGTERM and SIGKILL.
constexpr std::chrono::milliseconds kTermGrace{1000};

struct Pipe {
	int fd[2] = {-1, -1};

	bool open() { return ::pipe2(fd, O_CLOEXEC) == 0; }
	void close(int i)
	{
		if (fd[i] >= 0)
			::close(fd[i]);
		fd[i] = -1;
	}
	~Pipe()
	{
		close(0);
		close(1);
	}
};

std::vector<std::string> mergedEnvironment(const std::map<std::string, std::string> &extra)
{
	std::vector<std::string> env;
	for (char **e = environ; e && *e; ++e) {
		std::string_view entry(*e);
		auto name = entry.substr(0, entry.find('='));
		if (extra.find(std::string(name)) == extra.end())
			env.emplace_back(entry);
	}
	for (const auto &[k, v] : extra)
		env.push_back(k + "=" + v);
	return env;
}

std::vector<char *> pointers(std::vector<std::string> &strings)
{
	std::vector<char *> out;
	for (auto &s : strings)
		out.push_back(s.data());
	out.push_back(nullptr);
	return out;
}

// Runs in the child between fork and exec: only async-signal-safe calls.
[[noreturn]] void execChild(char *const argv[], char *const envp[], int in, int out, int err,
			    int errorPipe, const sigset_t &mask)
{
	if ((in >= 0 && ::dup2(in, 0) < 0) || (out >= 0 && ::dup2(out, 1) < 0) ||
	    (err >= 0 && ::dup2(err, 2) < 0)) {
		int e = errno;
		(void)!::write(errorPipe, &e, sizeof e);
		::_exit(127);
	}
	::signal(SIGPIPE, SIG_DFL);
	::sigprocmask(SIG_SETMASK, &mask, nullptr);
	::execvpe(argv[0], argv, envp);
	int e = errno;
	(void)!::write(errorPipe, &e, sizeof e);
	::_exit(127);
}

// The errno the child reported before exec, or 0 when exec succeeded.
int readExecError(int fd)
{
	int e = 0;
	ssize_t n;
	do {
		n = ::read(fd, &e, sizeof e);
	} while (n < 0 && errno == EINTR);
	return n == static_cast<ssize_t>(sizeof e) ? e : 0;
}

int waitFor(pid_t pid)
{
	int status = 0;
	while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
	}
	return status;
}

ProcessResult runDetached(std::vector<char *> &argv, std::vector<char *> &envp, const sigset_t &mask)
{
	ProcessResult r;
	Pipe errorPipe;
	if (!errorPipe.open()) {
		r.error = std::string("cannot create a pipe: ") + std::strerror(errno);
		return r;
	}
	int devNull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
	pid_t pid = ::fork();
	if (pid < 0) {
		r.error = std::string("cannot fork: ") + std::strerror(errno);
		if (devNull >= 0)
			::close(devNull);
		return r;
	}
	if (pid == 0) {
		// Double fork: the grandchild is adopted by init, so it never becomes our zombie.
		::setsid();
		pid_t grandchild = ::fork();
		if (grandchild != 0)
			::_exit(grandchild < 0 ? 127 : 0);
		execChild(argv.data(), envp.data(), devNull, devNull, devNull, errorPipe.fd[1], mask);
	}
	if (devNull >= 0)
		::close(devNull);
	errorPipe.close(1);
	int status = waitFor(pid);
	int e = readExecError(errorPipe.fd[0]);
	if (e != 0) {
		r.error = argv[0] + std::string(": ") + std::strerror(e);
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		r.error = "cannot fork";
	} else {
		r.started = true;
	}
	return r;
}

} // namespace

ProcessResult SystemProcessLauncher::run(const ProcessSpec &spec)
{
	ProcessResult r;
	if (spec.argv.empty()) {
		r.error = "no program to run";
		return r;
	}
	std::vector<std::string> argvStrings = spec.argv;
	std::vector<std::string> envStrings = mergedEnvironment(spec.extraEnv);
	auto argv = pointers(argvStrings);
	auto envp = pointers(envStrings);
	SigpipeBlock sigpipe;
	if (spec.detach)
		return runDetached(argv, envp, sigpipe.old());

	Pipe in, out, err, errorPipe;
	if (!in.open() || !out.open() || !err.open() || !errorPipe.open()) {
		r.error = std::string("cannot create a pipe: ") + std::strerror(errno);
		return r;
	}
	pid_t pid = ::fork();
	if (pid < 0) {
		r.error = std::string("cannot fork: ") + std::strerror(errno);
		return r;
	}
	if (pid == 0)
		execChild(argv.data(), envp.data(), in.fd[0], out.fd[1], err.fd[1], errorPipe.fd[1], sigpipe.old());
	in.close(0);
	out.close(1);
	err.close(1);
	errorPipe.close(1);
	if (int e = readExecError(errorPipe.fd[0]); e != 0) {
		waitFor(pid);
		r.error = spec.argv[0] + ": " + std::strerror(e);
		return r;
	}
	r.started = true;

	::fcntl(in.fd[1], F_SETFL, O_NONBLOCK);
	size_t written = 0;
	if (spec.stdinData.empty())
		in.close(1);
	const bool limited = spec.timeout.count() > 0;
	const auto deadline = Steady::now() + spec.timeout;
	bool terminated = false;
	auto killAt = Steady::time_point::max();
	char buf[65536];
	while (out.fd[0] >= 0 || err.fd[0] >= 0) {
		struct pollfd fds[3];
		nfds_t n = 0;
		int outIdx = -1, errIdx = -1, inIdx = -1;
		if (out.fd[0] >= 0) {
			outIdx = static_cast<int>(n);
			fds[n++] = {out.fd[0], POLLIN, 0};
		}
		if (err.fd[0] >= 0) {
			errIdx = static_cast<int>(n);
			fds[n++] = {err.fd[0], POLLIN, 0};
		}
		if (in.fd[1] >= 0) {
			inIdx = static_cast<int>(n);
			fds[n++] = {in.fd[1], POLLOUT, 0};
		}
		int waitMs = -1;
		auto now = Steady::now();
		if (limited && !terminated) {
			if (now >= deadline) {
				r.timedOut = true;
				terminated = true;
				::kill(pid, SIGTERM);
				killAt = now + kTermGrace;
			} else {
				waitMs = static_cast<int>(
					std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1);
			}
		}
		if (terminated) {
			if (now >= killAt) {
				::kill(pid, SIGKILL);
				// Output a grandchild still holds open is not waited for.
				break;
			}
			waitMs = static_cast<int>(
				std::chrono::duration_cast<std::chrono::milliseconds>(killAt - now).count() + 1);
			// Once the killed process is gone, stop waiting for its pipes.
			int status;
			if (::waitpid(pid, &status, WNOHANG) == pid) {
				r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
				return r;
			}
			waitMs = std::min(waitMs, 50);
		}
		int rc = ::poll(fds, n, waitMs);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		auto drain = [&](int idx, Pipe &p, std::string &sink) {
			if (idx < 0 || !(fds[idx].revents & (POLLIN | POLLHUP | POLLERR)))
				return;
			ssize_t got = ::read(p.fd[0], buf, sizeof buf);
			if (got > 0)
				sink.append(buf, static_cast<size_t>(got));
			else if (got == 0 || (errno != EINTR && errno != EAGAIN))
				p.close(0);
		};
		drain(outIdx, out, r.stdoutData);
		drain(errIdx, err, r.stderrData);
		if (inIdx >= 0 && (fds[inIdx].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t put = ::write(in.fd[1], spec.stdinData.data() + written,
					      spec.stdinData.size() - written);
			if (put > 0)
				written += static_cast<size_t>(put);
			else if (put < 0 && errno != EAGAIN && errno != EINTR)
				written = spec.stdinData.size(); // the child closed its stdin
			if (written >= spec.stdinData.size())
				in.close(1);
		}
	}
	in.close(1);
	int status = waitFor(pid);
	r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	return r;
}

} // namespace mwaatok

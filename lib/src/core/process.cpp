#include "mwaatok/process.h"

#include <algorithm>
#include <atomic>
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

// Time the output pipes may stay open after the process itself exited
// (held by a background grandchild) before they are no longer read.
constexpr std::chrono::milliseconds kOrphanGrace{200};

std::vector<std::string> mergedEnvironment(const std::map<std::string, std::string> &extra, bool scrub)
{
	std::vector<std::string> env;
	for (char **e = environ; e && *e; ++e) {
		std::string_view entry(*e);
		auto name = entry.substr(0, entry.find('='));
		if (scrub && credentialVariable(name))
			continue;
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
	// Its own process group, so that the group (grandchildren included) can be killed.
	::setpgid(0, 0);
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

// The process groups of the children being waited for, for signalRunningProcesses().
constexpr size_t kTrackedGroups = 256;
std::atomic<pid_t> runningGroups[kTrackedGroups];
static_assert(std::atomic<pid_t>::is_always_lock_free, "signal handlers need lock-free atomics");

/// Records a child's process group while it is waited for.
class TrackedGroup {
public:
	explicit TrackedGroup(pid_t pid)
	{
		for (size_t i = 0; i < kTrackedGroups; ++i) {
			pid_t none = 0;
			if (runningGroups[i].compare_exchange_strong(none, pid)) {
				slot_ = i;
				break;
			}
		}
	}
	~TrackedGroup()
	{
		if (slot_ < kTrackedGroups)
			runningGroups[slot_].store(0);
	}
	TrackedGroup(const TrackedGroup &) = delete;
	TrackedGroup &operator=(const TrackedGroup &) = delete;

private:
	size_t slot_ = kTrackedGroups;
};

/// Signals the process group whose leader is \a pid (the child and what it started).
void killGroup(pid_t pid, int sig)
{
	::kill(-pid, sig);
}

} // namespace

void signalRunningProcesses(int sig) noexcept
{
	for (auto &group : runningGroups)
		if (pid_t pgid = group.load(); pgid > 0)
			::kill(-pgid, sig);
}

bool credentialVariable(std::string_view name)
{
	if (name.substr(0, 4) != "AWS_")
		return false;
	if (name == "AWS_ACCESS_KEY_ID" || name == "AWS_CREDENTIAL_EXPIRATION")
		return true;
	bool file = name.size() >= 5 && name.substr(name.size() - 5) == "_FILE";
	return name.find("SECRET") != std::string_view::npos ||
	       (name.find("TOKEN") != std::string_view::npos && !file);
}

ProcessResult SystemProcessLauncher::run(const ProcessSpec &spec)
{
	ProcessResult r;
	if (spec.argv.empty()) {
		r.error = "no program to run";
		return r;
	}
	std::vector<std::string> argvStrings = spec.argv;
	std::vector<std::string> envStrings = mergedEnvironment(spec.extraEnv, spec.scrubCredentials);
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
	// Also here, so that the group exists before any kill below (no race with the child).
	::setpgid(pid, pid);
	TrackedGroup tracked(pid);
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
	bool terminated = false;   // SIGTERM sent to the group
	bool reaped = false;       // the child itself has been waited for
	int status = 0;
	auto killAt = Steady::time_point::max();
	auto orphanedAt = Steady::time_point::max();
	auto stopReading = [&](bool kill) {
		if (kill)
			killGroup(pid, SIGKILL);
		in.close(1);
		out.close(0);
		err.close(0);
	};
	char buf[65536];
	while (!reaped || out.fd[0] >= 0 || err.fd[0] >= 0) {
		auto now = Steady::now();
		if (!reaped && ::waitpid(pid, &status, WNOHANG) == pid) {
			reaped = true;
			orphanedAt = now;
			if (out.fd[0] < 0 && err.fd[0] < 0)
				break;
		}
		// The child is gone but something it started holds the pipes: stop
		// reading. A child that was killed takes its group along; one that
		// exited leaves what it started in the background (a browser) alone.
		if (reaped && now >= orphanedAt + kOrphanGrace) {
			stopReading(WIFSIGNALED(status));
			break;
		}
		if (limited && !terminated && now >= deadline) {
			r.timedOut = true;
			terminated = true;
			killGroup(pid, SIGTERM);
			killAt = now + kTermGrace;
		}
		if (terminated && now >= killAt) {
			stopReading(true);
			break;
		}
		if (!reaped && out.fd[0] < 0 && err.fd[0] < 0 && !limited) {
			// Output closed and no deadline: the child is about to exit (or never will).
			status = waitFor(pid);
			reaped = true;
			break;
		}
		auto until = std::min({ limited && !terminated ? deadline : Steady::time_point::max(), killAt,
					reaped ? orphanedAt + kOrphanGrace : Steady::time_point::max() });
		// Also how soon a child's exit is noticed: soon once its output is closed.
		const long long tick = out.fd[0] < 0 && err.fd[0] < 0 ? 2 : 50;
		int waitMs = static_cast<int>(tick);
		if (until != Steady::time_point::max())
			waitMs = static_cast<int>(std::clamp<long long>(
				std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count() + 1, 0, tick));

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
		// With no pipe left open this only waits for the child to exit.
		int rc = ::poll(fds, n, waitMs);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			stopReading(true);
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
		if (spec.maxOutput && (r.stdoutData.size() > spec.maxOutput || r.stderrData.size() > spec.maxOutput)) {
			r.outputTooLarge = true;
			r.stdoutData.resize(std::min(r.stdoutData.size(), spec.maxOutput));
			r.stderrData.resize(std::min(r.stderrData.size(), spec.maxOutput));
			stopReading(true);
			break;
		}
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
	if (!reaped) {
		if (terminated || r.outputTooLarge)
			killGroup(pid, SIGKILL);
		status = waitFor(pid);
	}
	// Nothing of the group outlives a child that was stopped.
	if (terminated || r.outputTooLarge)
		killGroup(pid, SIGKILL);
	r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	return r;
}

} // namespace mwaatok

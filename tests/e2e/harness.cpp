#include "harness.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <stdexcept>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace mwaatok::e2e {

namespace {

std::vector<char *> cStrings(std::vector<std::string> &strings)
{
	std::vector<char *> out;
	for (auto &s : strings)
		out.push_back(s.data());
	out.push_back(nullptr);
	return out;
}

long long monotonicMs()
{
	timespec ts{};
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int spawn(const std::string &program, const std::vector<std::string> &args, const EnvMap &env,
	  int in, int out, int err)
{
	std::vector<std::string> argv{ program };
	argv.insert(argv.end(), args.begin(), args.end());
	std::vector<std::string> envp;
	for (const auto &[k, v] : env)
		envp.push_back(k + "=" + v);
	// Sanitizer settings (scripts/test --sanitize) reach every child, so that
	// a report from a child is written where the run looks for reports.
	for (const char *name : { "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS" })
		if (const char *value = std::getenv(name); value && !env.count(name))
			envp.push_back(std::string(name) + "=" + value);
	auto argvC = cStrings(argv);
	auto envC = cStrings(envp);
	pid_t pid = fork();
	if (pid < 0)
		throw std::runtime_error("fork failed");
	if (pid == 0) {
		// As from a shell: default signal handling, nothing blocked.
		for (int sig : { SIGINT, SIGTERM, SIGPIPE, SIGQUIT })
			signal(sig, SIG_DFL);
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, nullptr);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		for (int fd = 3; fd < 1024; ++fd)
			close(fd);
		execve(program.c_str(), argvC.data(), envC.data());
		_exit(127);
	}
	return pid;
}

} // namespace

std::string builtProgram(const char *variable)
{
	const char *v = std::getenv(variable);
	if (!v || !*v)
		throw std::runtime_error(std::string(variable) + " is not set (run the tests with meson test)");
	return v;
}

RunResult runProgram(const std::string &program, const std::vector<std::string> &args,
		     const EnvMap &env, const std::string &input, int timeoutSeconds)
{
	RunOptions options;
	options.input = input;
	options.timeoutSeconds = timeoutSeconds;
	return runProgram(program, args, env, options);
}

RunResult runProgram(const std::string &program, const std::vector<std::string> &args,
		     const EnvMap &env, const RunOptions &options)
{
	const std::string &input = options.input;
	const long long started = monotonicMs();
	int inPipe[2], outPipe[2], errPipe[2];
	if (pipe2(inPipe, O_CLOEXEC) || pipe2(outPipe, O_CLOEXEC) || pipe2(errPipe, O_CLOEXEC))
		throw std::runtime_error("pipe failed");
	pid_t pid = spawn(program, args, env, inPipe[0], outPipe[1], errPipe[1]);
	close(inPipe[0]);
	close(outPipe[1]);
	close(errPipe[1]);

	RunResult result;
	size_t written = 0;
	int inFd = inPipe[1];
	if (input.empty()) {
		close(inFd);
		inFd = -1;
	} else {
		fcntl(inFd, F_SETFL, O_NONBLOCK);
	}
	signal(SIGPIPE, SIG_IGN);
	const long long deadline = started + options.timeoutSeconds * 1000LL;
	long long signalAt =
		options.signalAfterMs >= 0 && !options.signalAfterFirstOutput ? started + options.signalAfterMs : -1;
	bool killed = false;
	bool signalled = false;
	int openFds = 2;
	while (openFds > 0) {
		pollfd fds[3] = { { outPipe[0], POLLIN, 0 }, { errPipe[0], POLLIN, 0 }, { inFd, POLLOUT, 0 } };
		const long long now = monotonicMs();
		long long left = deadline - now;
		if (left <= 0 && !killed) {
			kill(pid, SIGKILL);
			killed = true;
		}
		if (signalAt >= 0 && !signalled) {
			if (now >= signalAt) {
				kill(pid, options.signal);
				signalled = true;
			} else {
				left = std::min(left, signalAt - now);
			}
		}
		int n = poll(fds, inFd >= 0 ? 3 : 2, killed ? 1000 : static_cast<int>(std::clamp(left, 1LL, 1000LL)));
		if (n < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; ++i) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			char buf[65536];
			ssize_t r = read(fds[i].fd, buf, sizeof buf);
			if (r > 0) {
				if (i == 0 && result.out.empty() && options.signalAfterFirstOutput && options.signalAfterMs >= 0)
					signalAt = monotonicMs() + options.signalAfterMs;
				(i == 0 ? result.out : result.err).append(buf, static_cast<size_t>(r));
				size_t eol = result.out.find('\n');
				if (i == 0 && options.closeOutputAfterFirstLine && eol != std::string::npos) {
					result.out.resize(eol + 1);
					close(fds[i].fd);
					outPipe[0] = -1;
					--openFds;
				}
			} else if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN)) {
				close(fds[i].fd);
				(i == 0 ? outPipe[0] : errPipe[0]) = -1;
				--openFds;
			}
		}
		if (inFd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = write(inFd, input.data() + written, input.size() - written);
			if (w > 0)
				written += static_cast<size_t>(w);
			if (w < 0 || written == input.size()) {
				close(inFd);
				inFd = -1;
			}
		}
		if (killed && monotonicMs() > deadline + 5000)
			break;
	}
	if (inFd >= 0)
		close(inFd);
	int status = 0;
	waitpid(pid, &status, 0);
	result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	result.killedBy = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	result.elapsedMs = monotonicMs() - started;
	return result;
}

TempDir::TempDir()
{
	std::string tmpl = std::filesystem::temp_directory_path() / "mwaatok-e2e-XXXXXX";
	if (!mkdtemp(tmpl.data()))
		throw std::runtime_error("mkdtemp failed");
	path_ = tmpl;
}

TempDir::~TempDir()
{
	std::error_code ec;
	std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string &name, const std::string &content, unsigned mode) const
{
	std::string p = path_ + "/" + name;
	std::filesystem::create_directories(std::filesystem::path(p).parent_path());
	{
		std::ofstream f(p, std::ios::binary | std::ios::trunc);
		f << content;
	}
	chmod(p.c_str(), mode);
	return p;
}

Emulator::Emulator(const std::vector<std::string> &args)
{
	int outPipe[2];
	if (pipe2(outPipe, O_CLOEXEC))
		throw std::runtime_error("pipe failed");
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	EnvMap env = { { "PATH", "/usr/bin:/bin" } };
	pid_ = spawn(builtProgram("MWAA_EMULATOR"), args, env, devnull, outPipe[1], 2);
	close(outPipe[1]);
	close(devnull);
	std::string line;
	const long long deadline = monotonicMs() + 20000;
	while (line.find('\n') == std::string::npos && monotonicMs() < deadline) {
		pollfd p{ outPipe[0], POLLIN, 0 };
		if (poll(&p, 1, 500) <= 0)
			continue;
		char buf[512];
		ssize_t r = read(outPipe[0], buf, sizeof buf);
		if (r <= 0)
			break;
		line.append(buf, static_cast<size_t>(r));
	}
	// Kept open (and unread) so that a later line does not kill it with SIGPIPE.
	outFd_ = outPipe[0];
	const std::string marker = "listening on ";
	auto at = line.find(marker);
	if (at == std::string::npos) {
		close(outFd_);
		kill(pid_, SIGKILL);
		waitpid(pid_, nullptr, 0);
		throw std::runtime_error("the emulator did not start: " + line);
	}
	url_ = line.substr(at + marker.size());
	url_ = url_.substr(0, url_.find_first_of("\r\n"));
	port_ = std::atoi(url_.substr(url_.rfind(':') + 1).c_str());
}

Emulator::~Emulator()
{
	if (outFd_ >= 0)
		close(outFd_);
	if (pid_ > 0) {
		kill(pid_, SIGTERM);
		for (int i = 0; i < 50; ++i) {
			if (waitpid(pid_, nullptr, WNOHANG) == pid_)
				return;
			usleep(100000);
		}
		kill(pid_, SIGKILL);
		waitpid(pid_, nullptr, 0);
	}
}

} // namespace mwaatok::e2e

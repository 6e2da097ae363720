// mwaatok: parse the command line, wire the real seams, run one command.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <sys/prctl.h>
#include <unistd.h>

#include "app.h"
#include "mwaatok/text.h"
#include "mwaatok/error.h"
#include "mwaatok/process.h"
#include "mwaatok/terminal_text.h"
#include "mwaatok_config.h"
#include "options.h"
#include "usage.h"

using namespace mwaatok;
using namespace mwaatok::cli;

namespace {

struct Command {
	const char *name;
	int (*run)(App &);
};

const Command commands[] = {
	{ "url", runUrl },
	{ "open", runOpen },
	{ "token", runToken },
	{ "cli", runCli },
	{ "api", runApi },
	{ "session", runSession },
	{ "request", runRequest },
	{ "configure", runConfigure },
	{ "export-credentials", runExportCredentials },
	{ "environments", runEnvironments },
	{ "plugins", runPlugins },
	{ "sso", runSso },
};

int dispatch(Options options)
{
	if (options.help) {
		std::cout << usageText;
		return 0;
	}
	if (options.version) {
		std::cout << MWAATOK_VERSION << "\n";
		return 0;
	}
	if (options.command.empty()) {
		std::cerr << usageText;
		return 2;
	}
	for (const auto &c : commands) {
		if (options.command == c.name) {
			App app(std::move(options));
			return c.run(app);
		}
	}
	std::vector<std::string> names;
	for (const auto &c : commands)
		names.push_back(c.name);
	std::string hint = closestMatch(options.command, names);
	throw Error(ErrorKind::Usage, "unknown command '" + options.command + "'" +
					      (hint.empty() ? "" : "; did you mean '" + hint + "'?") +
					      " (see mwaatok --help)");
}

/// Which of the standard descriptors were closed when the process started.
struct StandardDescriptors {
	bool stdoutClosed = false;
};

/// Makes sure descriptors 0, 1 and 2 are open before anything else opens a
/// file or a socket: otherwise the first socket would become standard output,
/// and printed login URLs would go into the connection. A closed one is opened
/// on /dev/null in the direction it is not used in (as gnulib's stdopen does),
/// so that reading a closed stdin or writing a closed stdout fails instead of
/// quietly succeeding.
StandardDescriptors openStandardDescriptors()
{
	StandardDescriptors closed;
	for (int fd = 0; fd <= 2; ++fd) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		int opened = open("/dev/null", (fd == 0 ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
		if (opened != fd) {
			// Not the lowest free descriptor: nothing sane can follow.
			_exit(127);
		}
		// Inherited by children (exec plugin, browser) like any standard descriptor.
		fcntl(fd, F_SETFD, 0);
		if (fd == 1)
			closed.stdoutClosed = true;
	}
	return closed;
}

/// Ctrl-C outside a run (whose own handler stops it cleanly) ends mwaatok as
/// it always did, after passing it on to the children it waits for: they run
/// in process groups of their own, out of the terminal's reach.
extern "C" void onInterruptOutsideRun(int sig)
{
	signalRunningProcesses(sig);
	std::signal(sig, SIG_DFL);
	std::raise(sig); // delivered when this handler returns
}

/// Settings of the process as a whole, made here rather than by the library.
void setUpProcess()
{
	// A SIGINT that was ignored when mwaatok started (nohup, a background job) stays ignored.
	if (std::signal(SIGINT, onInterruptOutsideRun) == SIG_IGN)
		std::signal(SIGINT, SIG_IGN);
	// A core dump would hold credentials and tokens.
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	// A peer or reader that went away is an error (EPIPE) to report, not a
	// signal that ends the process in the middle of a run.
	std::signal(SIGPIPE, SIG_IGN);
}

/// The exit status once standard output is flushed: a command that printed
/// nothing wrong but whose output was lost fails, saying so once.
int finishOutput(int status, const StandardDescriptors &closed)
{
	std::cout.flush();
	if (!std::cout.fail() || status != 0)
		return status;
	std::cerr << "mwaatok: error: cannot write to standard output"
		  << (closed.stdoutClosed ? " (it is closed; redirect it to a file or to /dev/null)" : "")
		  << "\n";
	return 1;
}

} // namespace

int main(int argc, char **argv)
{
	StandardDescriptors closed = openStandardDescriptors();
	setUpProcess();
	std::ios::sync_with_stdio(false);
	int status;
	try {
		status = dispatch(parseCommandLine(std::vector<std::string>(argv + 1, argv + argc)));
	} catch (const Error &e) {
		std::cout.flush();
		std::cerr << "mwaatok: error: " << e.what() << "\n";
		status = exitStatusFor(e.kind());
	} catch (const std::exception &e) {
		std::cout.flush();
		std::cerr << "mwaatok: internal error: " << terminalText(e.what(), kServiceTextLimit) << "\n";
		status = 1;
	}
	return finishOutput(status, closed);
}

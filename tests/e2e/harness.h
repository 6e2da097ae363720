#pragma once

// Runs the built mwaatok (and the local emulator) as child processes with an
// environment the test controls completely.

#include <csignal>
#include <map>
#include <string>
#include <vector>

namespace mwaatok::e2e {

struct RunResult {
	int status = -1; ///< exit status; 128+N when killed by signal N
	std::string out;
	std::string err;
	long long elapsedMs = 0; ///< wall time from start to exit
	int killedBy = 0;	 ///< the signal that ended the child, 0 when it exited
};

/// How runProgram() runs the child beyond its arguments and environment.
struct RunOptions {
	std::string input;	///< written to the child's stdin, which is then closed
	int timeoutSeconds = 120; ///< then SIGKILL (status 128+9)
	int signalAfterMs = -1;	///< when >= 0, send \a signal this long after the start
	int signal = SIGINT;
	/// Count signalAfterMs from the child's first output on stdout instead,
	/// so that a slow start does not meet the signal before its handlers.
	bool signalAfterFirstOutput = false;
	/// Close the reading end of stdout once a whole line came (`| head -1`);
	/// \a out then holds that line.
	bool closeOutputAfterFirstLine = false;
};

using EnvMap = std::map<std::string, std::string>;

/// Run \a program with exactly \a env (nothing inherited), feeding \a input;
/// killed after \a timeoutSeconds (status then 128+9).
RunResult runProgram(const std::string &program, const std::vector<std::string> &args,
		     const EnvMap &env, const std::string &input = "", int timeoutSeconds = 120);

/// The same with all options, e.g. a signal sent to the running child.
RunResult runProgram(const std::string &program, const std::vector<std::string> &args,
		     const EnvMap &env, const RunOptions &options);

/// The path of a built program from an environment variable set by meson.
std::string builtProgram(const char *variable);

/// A fresh private temporary directory, removed with its contents on destruction.
class TempDir {
public:
	TempDir();
	~TempDir();
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;

	const std::string &path() const { return path_; }
	/// Write \a content to path()/name with \a mode and return the full path.
	std::string write(const std::string &name, const std::string &content, unsigned mode = 0600) const;

private:
	std::string path_;
};

/// The local MWAA emulator, started on a free loopback port.
class Emulator {
public:
	explicit Emulator(const std::vector<std::string> &args);
	~Emulator();
	Emulator(const Emulator &) = delete;
	Emulator &operator=(const Emulator &) = delete;

	/// "http://127.0.0.1:PORT" (or https).
	const std::string &url() const { return url_; }
	int port() const { return port_; }

private:
	int pid_ = -1;
	int outFd_ = -1;
	std::string url_;
	int port_ = 0;
};

} // namespace mwaatok::e2e

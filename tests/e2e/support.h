#pragma once

// What every end-to-end test needs beyond the harness: the demo credentials,
// a complete minimal environment for mwaatok, and small readers for its output.

#include <regex>
#include <string>
#include <vector>

#include "harness.h"

namespace mwaatok::e2e {

// Demo credentials; the emulator is started with --key kKeyId:kSecret.
inline constexpr const char *kKeyId = "AKIDE2EEXAMPLE";
inline constexpr const char *kSecret = "e2eSecretKey/NeverShown+0123456789abcdefXYZ";
inline constexpr const char *kSessionToken = "e2eSessionToken/NeverShown+FwoGZXIvYXdzEXAMPLE";
inline constexpr const char *kAccount = "123456789012";

/// "--key" "AKID:SECRET" for the emulator.
std::vector<std::string> keyArgs();

/// Emulator arguments: tests/data/e2e/emulator.json (alpha, bravo, charlie,
/// delta in us-east-1, echo in eu-west-1), the demo key, then \a extra.
std::vector<std::string> emulatorArgs(const std::vector<std::string> &extra = {});

/// "--endpoint-url" URL "--region" REGION, then \a args.
std::vector<std::string> against(const Emulator &emulator, std::vector<std::string> args,
				 const std::string &region = "us-east-1");

/// A file under MWAATOK_TEST_DATA (tests/data), e.g. "emulator/ca.pem".
std::string testData(const std::string &relative);

/// An mwaatok environment in \a dir: PATH, HOME, no IMDS, AWS files in the
/// directory (absent until written) and the demo keys in the environment.
EnvMap baseEnv(const TempDir &dir);

/// Run the built mwaatok.
RunResult mwaatok(const std::vector<std::string> &args, const EnvMap &env, const RunOptions &options = {});

/// A temporary directory with an mwaatok environment in it.
struct Workspace {
	TempDir dir;
	EnvMap env = baseEnv(dir);
	std::string path(const std::string &name) const { return dir.path() + "/" + name; }
	RunResult run(const std::vector<std::string> &args, const RunOptions &options = {}) const
	{
		return mwaatok(args, env, options);
	}
};

/// A workspace and an emulator started with emulatorArgs(): a test fixture.
struct EmulatorWorkspace : Workspace {
	Emulator emu{ emulatorArgs() };
};

/// \a text split into lines (without the newlines; no empty last line).
std::vector<std::string> lines(const std::string &text);
std::string readFile(const std::string &path);
bool fileExists(const std::string &path);
/// Permission bits of \a path (e.g. 0600).
unsigned fileMode(const std::string &path);
size_t countOf(const std::string &haystack, const std::string &needle);
bool contains(const std::string &haystack, const std::string &needle);
bool matches(const std::string &text, const std::string &pattern);

/// The lines of an emulator --log file whose "path" is \a path (every line when empty).
std::vector<std::string> loggedRequests(const std::string &logFile, const std::string &path = "");

/// A regex for the login URL of the emulator environment \a name of
/// emulator.json: https://NAME.c2.REGION.airflow.amazonaws.com/<path>?login=true#<token>.
std::string loginUrlOf(const std::string &name, int airflowMajor, const std::string &region = "us-east-1");

/// A regex for stdout of a `url` run that printed the login URLs of
/// \a envs (emulator.json names with their Airflow major version), in order.
std::string loginUrls(const std::vector<std::pair<std::string, int>> &envs);

/// The same for an environment without a configured hostname (<uuid>.c2.REGION...).
std::string generatedLoginUrl(const std::string &region, int airflowMajor);

/// One object of the JSON the file and print plugins write (one per line).
struct Record {
	std::string alias, name, region, loginUrl, error;
	bool ok() const { return error.empty(); }
};

/// The records of a JSON array or NDJSON text written by mwaatok.
std::vector<Record> jsonRecords(const std::string &text);

/// Environment names env-0001 .. env-N, as --generate-envs makes them.
std::string generatedName(size_t i);

} // namespace mwaatok::e2e

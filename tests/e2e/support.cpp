#include "support.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace mwaatok::e2e {

std::vector<std::string> keyArgs()
{
	return { "--key", std::string(kKeyId) + ":" + kSecret };
}

std::vector<std::string> emulatorArgs(const std::vector<std::string> &extra)
{
	std::vector<std::string> args{ "--config", testData("e2e/emulator.json") };
	for (const auto &a : keyArgs())
		args.push_back(a);
	args.insert(args.end(), extra.begin(), extra.end());
	return args;
}

std::vector<std::string> against(const Emulator &emulator, std::vector<std::string> args, const std::string &region)
{
	args.insert(args.begin(), { "--endpoint-url", emulator.url(), "--region", region });
	return args;
}

std::string testData(const std::string &relative)
{
	return builtProgram("MWAATOK_TEST_DATA") + "/" + relative;
}

EnvMap baseEnv(const TempDir &dir)
{
	return {
		{ "PATH", "/usr/bin:/bin" },
		{ "HOME", dir.path() },
		{ "AWS_EC2_METADATA_DISABLED", "true" },
		{ "AWS_CONFIG_FILE", dir.path() + "/aws-config" },
		{ "AWS_SHARED_CREDENTIALS_FILE", dir.path() + "/aws-credentials" },
		{ "AWS_ACCESS_KEY_ID", kKeyId },
		{ "AWS_SECRET_ACCESS_KEY", kSecret },
	};
}

RunResult mwaatok(const std::vector<std::string> &args, const EnvMap &env, const RunOptions &options)
{
	return runProgram(builtProgram("MWAATOK"), args, env, options);
}

std::vector<std::string> lines(const std::string &text)
{
	std::vector<std::string> out;
	std::istringstream in(text);
	for (std::string line; std::getline(in, line);)
		out.push_back(line);
	return out;
}

std::string readFile(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

bool fileExists(const std::string &path)
{
	struct stat st {};
	return ::stat(path.c_str(), &st) == 0;
}

unsigned fileMode(const std::string &path)
{
	struct stat st {};
	if (::stat(path.c_str(), &st) != 0)
		return 0xffff;
	return st.st_mode & 07777;
}

size_t countOf(const std::string &haystack, const std::string &needle)
{
	size_t n = 0;
	for (size_t at = haystack.find(needle); !needle.empty() && at != std::string::npos;
	     at = haystack.find(needle, at + needle.size()))
		++n;
	return n;
}

bool contains(const std::string &haystack, const std::string &needle)
{
	return haystack.find(needle) != std::string::npos;
}

bool matches(const std::string &text, const std::string &pattern)
{
	return std::regex_match(text, std::regex(pattern));
}

std::vector<std::string> loggedRequests(const std::string &logFile, const std::string &path)
{
	std::vector<std::string> out;
	for (const auto &line : lines(readFile(logFile)))
		if (path.empty() || contains(line, "\"path\": \"" + path + "\""))
			out.push_back(line);
	return out;
}

namespace {

std::string loginUrlForHost(const std::string &hostPattern, const std::string &region, int airflowMajor)
{
	// A region has only letters, digits and '-': nothing to escape.
	return "https://" + hostPattern + "\\.c2\\." + region + "\\.airflow\\.amazonaws\\.com" +
	       (airflowMajor >= 3 ? "/pluginsv2/aws_mwaa/aws-console-sso" : "/aws_mwaa/aws-console-sso") +
	       "\\?login=true#[0-9a-f]{96}";
}

} // namespace

std::string loginUrlOf(const std::string &name, int airflowMajor, const std::string &region)
{
	return loginUrlForHost(name, region, airflowMajor);
}

std::string loginUrls(const std::vector<std::pair<std::string, int>> &envs)
{
	std::string out;
	for (const auto &[name, major] : envs)
		out += loginUrlOf(name, major) + "\n";
	return out;
}

std::string generatedLoginUrl(const std::string &region, int airflowMajor)
{
	return loginUrlForHost("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", region, airflowMajor);
}

namespace {

std::string member(const std::string &line, const std::string &name)
{
	std::smatch m;
	if (!std::regex_search(line, m, std::regex("\"" + name + "\":\"((?:[^\"\\\\]|\\\\.)*)\"")))
		return {};
	return m[1];
}

} // namespace

std::vector<Record> jsonRecords(const std::string &text)
{
	std::vector<Record> out;
	for (const auto &line : lines(text)) {
		if (!contains(line, "{\"alias\":"))
			continue;
		out.push_back({ member(line, "alias"), member(line, "name"), member(line, "region"),
				member(line, "login_url"), member(line, "error") });
	}
	return out;
}

std::string generatedName(size_t i)
{
	char name[32];
	std::snprintf(name, sizeof name, "env-%04zu", i);
	return name;
}

} // namespace mwaatok::e2e

#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "assertions.h"
#include "mwaatok/error.h"
#include "mwaatok/output_plugin.h"
#include "mwaatok/process.h"

namespace mwaatok::test {

/// A fresh private directory under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
public:
	TempDir()
	{
		const char *base = std::getenv("TMPDIR");
		std::string tmpl = std::string(base && *base ? base : "/tmp") + "/mwaatok-plugins-test-XXXXXX";
		if (!::mkdtemp(tmpl.data()))
			throw std::runtime_error("mkdtemp failed");
		path_ = tmpl;
	}
	~TempDir() { std::filesystem::remove_all(path_); }
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;

	const std::string &path() const { return path_; }
	std::string operator/(const std::string &name) const { return path_ + "/" + name; }

private:
	std::string path_;
};

inline std::string readFile(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	if (!in)
		throw std::runtime_error("cannot read " + path);
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

/// The content of tests/data/plugins/\a name.
inline std::string testData(const std::string &name)
{
	const char *dir = std::getenv("MWAATOK_TEST_DATA");
	if (!dir)
		throw std::runtime_error("MWAATOK_TEST_DATA is not set; run through meson test");
	return readFile(std::string(dir) + "/plugins/" + name);
}

inline void writeFile(const std::string &path, const std::string &content)
{
	std::ofstream(path, std::ios::binary) << content;
}

/// The permission bits of \a path (lstat).
inline unsigned modeOf(const std::string &path)
{
	struct stat st {};
	if (::lstat(path.c_str(), &st) != 0)
		throw std::runtime_error("cannot stat " + path);
	return st.st_mode & 07777;
}

inline std::vector<std::string> listDir(const std::string &dir)
{
	std::vector<std::string> names;
	for (const auto &e : std::filesystem::directory_iterator(dir))
		names.push_back(e.path().filename().string());
	std::sort(names.begin(), names.end());
	return names;
}

/// 2024-05-01T12:00:00Z
inline TimePoint at(long long seconds = 1714564800)
{
	return TimePoint(std::chrono::seconds(seconds));
}

/// An Airflow 2 link with identities.
inline LoginLink prodLink()
{
	LoginLink l;
	l.alias = "prod";
	l.environmentName = "prod-airflow";
	l.region = "eu-west-1";
	l.hostname = "abc123.c1.eu-west-1.airflow.amazonaws.com";
	l.token = "SECRET-TOKEN-1";
	l.loginUrl = "https://abc123.c1.eu-west-1.airflow.amazonaws.com/aws_mwaa/aws-console-sso?login=true#SECRET-TOKEN-1";
	l.issuedAt = at();
	l.expiresAt = at() + std::chrono::seconds(60);
	l.airflowVersion = "2";
	l.iamIdentity = "arn:aws:sts::123456789012:assumed-role/Admin/alice";
	l.airflowIdentity = "assumed-role/Admin";
	return l;
}

/// An Airflow 3 link whose alias needs escaping everywhere, without identities.
inline LoginLink devLink()
{
	LoginLink l;
	l.alias = "dev <&> \"x\",y";
	l.environmentName = "dev";
	l.region = "us-east-1";
	l.hostname = "def456.c2.us-east-1.airflow.amazonaws.com";
	l.token = "SECRET-TOKEN-2";
	l.loginUrl = "https://def456.c2.us-east-1.airflow.amazonaws.com/pluginsv2/aws_mwaa/aws-console-sso?login=true#SECRET-TOKEN-2";
	l.issuedAt = at(1714564830);
	l.expiresAt = at(1714564890);
	l.airflowVersion = "3";
	return l;
}

inline LinkFailure brokenFailure()
{
	return {"broken", "broken-env", "us-west-2",
		"resourcenotfoundexception: environment \"broken-env\", not found", "ResourceNotFoundException"};
}

/// Runs nothing; records every spec and answers with \a result.
class FakeLauncher final : public ProcessLauncher {
public:
	ProcessResult run(const ProcessSpec &spec) override
	{
		specs.push_back(spec);
		return result;
	}

	std::vector<ProcessSpec> specs;
	ProcessResult result{true, 0, false, "", "", ""};
};

using mwaatok::test::errorOf;

} // namespace mwaatok::test

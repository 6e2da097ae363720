#pragma once

#include "mwaatok/clock.h"
#include "credentials/credentials_util.h"
#include "mwaatok/credential_provider.h"
#include "mwaatok/credentials_cache.h"
#include "mwaatok/environment.h"
#include "mwaatok/filesystem.h"
#include "mwaatok/process.h"
#include "assertions.h"
#include "fakes.h"
#include "scripted_transport.h"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <functional>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

namespace mwaatok {

inline std::ostream &operator<<(std::ostream &os, ErrorKind k)
{
	return os << "ErrorKind(" << static_cast<int>(k) << ")";
}

} // namespace mwaatok

namespace mwaatok::test {

inline std::string dataDir()
{
	const char *d = std::getenv("MWAATOK_TEST_DATA");
	return std::string(d ? d : "tests/data") + "/credentials";
}

inline std::string readText(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	if (!in)
		throw std::runtime_error("cannot read test data " + path);
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

inline Poco::Dynamic::Var loadJson(const std::string &path)
{
	Poco::JSON::Parser parser;
	return parser.parse(readText(path));
}

inline Poco::JSON::Object::Ptr object(const Poco::Dynamic::Var &v)
{
	return v.extract<Poco::JSON::Object::Ptr>();
}

/// An environment holding the string members of \a vars.
inline MapEnvironment envFrom(const Poco::JSON::Object::Ptr &vars)
{
	MapEnvironment env;
	for (const auto &k : vars->getNames())
		env.set(k, vars->getValue<std::string>(k));
	return env;
}

/// Call \a f(object) for each element of \a cases inside a context named by its \a nameKey.
template <typename F>
void forEachCase(const Poco::JSON::Array::Ptr &cases, const char *nameKey, F f)
{
	for (size_t i = 0; i < cases->size(); ++i) {
		auto t = cases->getObject(static_cast<unsigned>(i));
		BOOST_TEST_CONTEXT("case " << i << ": " << t->getValue<std::string>(nameKey))
		{
			f(t);
		}
	}
}

/// A launcher that must not be used.
class NoProcesses final : public ProcessLauncher {
public:
	ProcessResult run(const ProcessSpec &spec) override
	{
		throw std::logic_error("unexpected process " + (spec.argv.empty() ? "" : spec.argv.back()));
	}
};

/// A launcher that answers with a canned result and records what it was asked.
class CannedProcesses final : public ProcessLauncher {
public:
	ProcessResult result;
	std::vector<ProcessSpec> calls;

	ProcessResult run(const ProcessSpec &spec) override
	{
		calls.push_back(spec);
		return result;
	}
};

/// In-memory files that remember what the code under test wrote.
class RecordingFileSystem final : public FileSystem {
public:
	explicit RecordingFileSystem(MapFileSystem &inner) : inner_(inner) {}
	std::optional<std::string> read(const std::string &path) const override { return inner_.read(path); }
	void writePrivate(const std::string &path, std::string_view content) const override
	{
		written[path] = std::string(content);
		inner_.writePrivate(path, content);
	}
	/// Path to content of every writePrivate.
	mutable std::map<std::string, std::string> written;

private:
	MapFileSystem &inner_;
};

/// All the seams of a test, with a clock at epoch 0 and an empty home.
struct Seams {
	MapEnvironment env;
	MapFileSystem fs;
	RecordingFileSystem files{ fs }; ///< what the providers see: fs, with its writes recorded
	ReplayTransport http;
	FixedClock clock = FixedClock::fromSeconds(0);
	NoProcesses noProcesses;
	ProcessLauncher *processes = &noProcesses;
	std::vector<std::string> warnings;

	Seams() { env.set("HOME", "/home"); }

	ProviderContext context()
	{
		return ProviderContext{env, files, http, clock, *processes,
				       [this](const std::string &w) { warnings.push_back(w); }};
	}
};

inline long long epochSeconds(std::chrono::system_clock::time_point t)
{
	return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

} // namespace mwaatok::test

#include "sandbox.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <sstream>
#include <unistd.h>

namespace mwaatok::e2e {

Sandbox::Sandbox()
{
	env = {
		{ "PATH", "/usr/bin:/bin" },
		{ "HOME", home() },
		{ "AWS_CONFIG_FILE", configPath() },
		{ "AWS_SHARED_CREDENTIALS_FILE", credentialsPath() },
		{ "AWS_EC2_METADATA_DISABLED", "true" },
	};
}

std::string Sandbox::script(const std::string &name, const std::string &body) const
{
	return dir_.write(name, "#!/bin/sh\n" + body, 0700);
}

void Sandbox::useImds(const std::string &url)
{
	env.erase("AWS_EC2_METADATA_DISABLED");
	env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = url;
}

RunResult Sandbox::run(const std::vector<std::string> &args, const EnvMap &extra, int timeoutSeconds) const
{
	EnvMap e = env;
	for (const auto &[k, v] : extra) {
		if (v.empty())
			e.erase(k);
		else
			e[k] = v;
	}
	return runProgram(builtProgram("MWAATOK"), args, e, "", timeoutSeconds);
}

void writeProfiles(const Sandbox &box, const std::string &processScript)
{
	box.credentials("[default]\naws_access_key_id = AKIACREDDEFAULT00001\n"
			"aws_secret_access_key = credDefaultSecret0001\n"
			"[dev]\naws_access_key_id = AKIACREDDEV000000002\n"
			"aws_secret_access_key = credDevSecret0002\n"
			"aws_session_token = dev-session-token\n");
	box.config("[default]\nregion = eu-west-1\noutput = json\n"
		   "[profile ops]\naws_access_key_id = AKIACONFIGOPS0000003\n"
		   "aws_secret_access_key = configOpsSecret0003\nregion = us-east-2\n"
		   "[ops]\naws_access_key_id = AKIAIGNOREDSECTION00\naws_secret_access_key = ignored\n"
		   "region = ca-central-1\n"
		   "[profile dev]\nregion = ap-northeast-1\n"
		   "[profile spaced]\nregion =   sa-east-1   \n" +
		   (processScript.empty() ? "" : "[profile proc]\ncredential_process = " + processScript + "\n"));
}

std::map<std::string, std::string> processJson(const std::string &text)
{
	std::map<std::string, std::string> out;
	try {
		Poco::JSON::Parser parser;
		auto obj = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
		for (const auto &[k, v] : *obj)
			out[k] = v.toString();
	} catch (const std::exception &e) {
		BOOST_FAIL("not a JSON object (" << e.what() << "): " << text);
	}
	return out;
}

std::map<std::string, ListRow> listRows(const std::string &text)
{
	std::map<std::string, ListRow> rows;
	std::istringstream in(text);
	std::string line;
	while (std::getline(in, line)) {
		// The only value with a blank in it.
		for (auto at = line.find("<not set>"); at != std::string::npos; at = line.find("<not set>"))
			line.replace(at, 9, "<not-set>");
		std::istringstream fields(line);
		std::string name;
		ListRow row;
		if (!(fields >> name >> row.value >> row.type) || name == "Name" || name == "----")
			continue;
		std::getline(fields >> std::ws, row.location);
		if (row.value == "<not-set>")
			row.value = "<not set>";
		rows[name] = row;
	}
	return rows;
}

void checkKeyRows(const std::map<std::string, ListRow> &rows, const std::string &keyEnd,
		  const std::string &secretEnd, const std::string &type)
{
	const std::string mask(16, '*');
	for (const auto &[name, end] : { std::pair{ "access_key", keyEnd }, std::pair{ "secret_key", secretEnd } }) {
		auto it = rows.find(name);
		BOOST_TEST_REQUIRE((it != rows.end()), "no " << name << " row");
		BOOST_TEST(it->second.value == mask + end, name);
		BOOST_TEST(it->second.type == type, name);
	}
}

std::string describe(const RunResult &r)
{
	return "\n  status " + std::to_string(r.status) + "\n  stdout: " + r.out + "\n  stderr: " + r.err;
}

std::string awsCli()
{
	static const std::string found = [] {
		std::vector<std::string> candidates{ "/usr/bin/aws" };
		if (const char *path = std::getenv("PATH")) {
			std::istringstream dirs(path);
			std::string dir;
			while (std::getline(dirs, dir, ':'))
				if (!dir.empty())
					candidates.push_back(dir + "/aws");
		}
		for (const auto &c : candidates) {
			if (access(c.c_str(), X_OK) != 0)
				continue;
			auto dir = c.substr(0, c.rfind('/'));
			TempDir home;
			RunResult r = runProgram(c, { "--version" },
						 { { "PATH", dir + ":/usr/bin:/bin" }, { "HOME", home.path() } }, "", 60);
			if (r.status == 0)
				return c;
		}
		return std::string();
	}();
	return found;
}

} // namespace mwaatok::e2e

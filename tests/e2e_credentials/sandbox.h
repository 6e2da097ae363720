#pragma once

// A private HOME with the AWS shared files, and the built mwaatok run in it
// with a complete, minimal environment.

#include "../e2e/harness.h"

#include <map>
#include <string>
#include <vector>

namespace mwaatok::e2e {

/// One row of `configure list`.
struct ListRow {
	std::string value;
	std::string type;
	std::string location;
};

class Sandbox {
public:
	Sandbox();

	const std::string &home() const { return dir_.path(); }
	std::string configPath() const { return home() + "/config"; }
	std::string credentialsPath() const { return home() + "/credentials"; }
	void config(const std::string &text) const { dir_.write("config", text); }
	void credentials(const std::string &text) const { dir_.write("credentials", text); }
	/// An executable script (mode 0700) in HOME; returns its path.
	std::string script(const std::string &name, const std::string &body) const;
	std::string write(const std::string &name, const std::string &text) const { return dir_.write(name, text); }

	/// Point IMDS at \a url and allow it (the default environment disables IMDS
	/// so that no test can reach a real metadata service).
	void useImds(const std::string &url);

	EnvMap env; ///< what mwaatok gets, nothing else

	/// mwaatok \a args with env (plus \a extra; an empty value removes a variable).
	RunResult run(const std::vector<std::string> &args, const EnvMap &extra = {}, int timeoutSeconds = 30) const;

private:
	TempDir dir_;
};

/// A credentials file ([default] and [dev] with a session token) and a config
/// file ([default] with a region, [profile ops] with keys, an ignored [ops],
/// [profile dev], [profile spaced], and [profile proc] running \a processScript
/// when given) used by several cases.
void writeProfiles(const Sandbox &box, const std::string &processScript = "");

/// The JSON members of `export-credentials --format process` output as strings
/// ("Version" as its number's text); fails the test when it is not such a document.
std::map<std::string, std::string> processJson(const std::string &text);

/// The rows of `configure list` output by name.
std::map<std::string, ListRow> listRows(const std::string &text);

/// Checks the access_key and secret_key rows: masked to their last four
/// characters \a keyEnd and \a secretEnd, with \a type.
void checkKeyRows(const std::map<std::string, ListRow> &rows, const std::string &keyEnd,
		  const std::string &secretEnd, const std::string &type);

/// "  status N\n  stdout ...\n  stderr ..." for messages.
std::string describe(const RunResult &r);

/// The installed AWS CLI: /usr/bin/aws, else `aws` on PATH; empty when none runs.
std::string awsCli();

} // namespace mwaatok::e2e

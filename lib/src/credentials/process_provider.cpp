#include "mwaatok/credential_provider.h"

#include "core/strings.h"
#include "credentials/credentials_util.h"
#include "mwaatok/error.h"
#include "mwaatok/process.h"


namespace mwaatok {

namespace {

// A credentials document is well under 4 KiB; more is a broken or hostile
// program. The AWS SDKs for Kotlin (64 KiB) and Java (64,000 bytes) stop there too.
constexpr size_t kCredentialProcessOutputLimit = 64 * 1024;

} // namespace

Credentials runCredentialProcess(ProcessLauncher &launcher, const std::string &command,
				 const std::string &profile, const std::string &accountId,
				 std::chrono::milliseconds timeout)
{
	const std::string what = "credential_process of profile `" + profile + "`";
	ProcessSpec spec;
	spec.argv = {"sh", "-c", command};
	spec.timeout = timeout;
	spec.maxOutput = kCredentialProcessOutputLimit;
	ProcessResult r = launcher.run(spec);
	auto withStderr = [&](std::string msg) {
		std::string err = detail::oneLine(redactSecrets(r.stderrData));
		if (!err.empty())
			msg += ": stderr: " + err;
		return msg;
	};
	if (!r.started)
		throw Error(ErrorKind::Credentials, what + " could not be started: " + r.error);
	if (r.outputTooLarge)
		throw Error(ErrorKind::Credentials,
			    what + " printed more than " + std::to_string(kCredentialProcessOutputLimit / 1024) +
				    " KiB and was stopped; it must print one small Version 1 credentials object");
	if (r.timedOut)
		throw Error(ErrorKind::Credentials,
			    withStderr(what + " did not finish within " +
				       (timeout.count() % 1000 == 0 ? std::to_string(timeout.count() / 1000) + " s"
								     : std::to_string(timeout.count()) + " ms") +
				       " and was stopped"));
	if (r.exitCode != 0)
		throw Error(ErrorKind::Credentials,
			    withStderr(r.exitCode < 0 ? what + " was killed by a signal"
						      : what + " exited with status " + std::to_string(r.exitCode)));
	auto json = detail::parseJsonObject(r.stdoutData);
	if (!json)
		throw Error(ErrorKind::Credentials,
			    withStderr(what + " printed invalid json (" + std::to_string(r.stdoutData.size()) +
				       " bytes); it must print a Version 1 credentials object"));
	auto version = json->get("Version");
	bool versionOne = false;
	try {
		versionOne = version.isNumeric() && version.convert<int>() == 1;
	} catch (const std::exception &) {
	}
	if (!versionOne)
		throw Error(ErrorKind::Credentials, what + " printed a document whose Version is not the number 1");
	Credentials c = detail::credentialsFromJson(*json, {"SessionToken", "Expiration"}, what);
	if (c.accountId.empty())
		c.accountId = accountId;
	c.source = "process";
	return c;
}

} // namespace mwaatok

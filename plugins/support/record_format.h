#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mwaatok/error.h"
#include "mwaatok/output_plugin.h"

namespace mwaatok {

/// A link as one JSON object on one line: alias, name, region, hostname,
/// login_url, expires_at, airflow_version, iam_identity, airflow_identity.
/// The token appears only inside login_url.
std::string linkJson(const LoginLink &link);
/// A failure as one JSON object on one line: alias, name, region, error.
std::string failureJson(const LinkFailure &failure);

/// An Airflow API answer as one JSON line: alias, environment, region,
/// status, response (Airflow's JSON).
std::string answerJson(const AirflowAnswer &answer);
/// A failed environment of an API run, in the same shape: status null, error.
std::string answerFailureJson(const LinkFailure &failure);
/// A web session as one JSON line: alias, environment, region, host,
/// airflow_version, api_base_url, header_name, header_value (secret), expires.
std::string sessionJson(const AirflowSession &session);
/// Sessions as one Netscape cookie file (curl -b): one line per session.
std::string cookieJar(const std::vector<AirflowSession> &sessions);
/// Airflow CLI output as one JSON line: alias, environment, region, command, stdout, stderr.
std::string cliJson(const CliOutput &output);
/// CLI output as text: with \a header, a "== alias (name, region) ==" line first.
std::string cliText(const CliOutput &output, bool header);

/// JSON objects as one JSON array document, one object per line.
std::string jsonArray(const std::vector<std::string> &objects);

/// \a s with & < > " ' replaced by character references.
std::string htmlEscape(std::string_view s);
/// \a s as one RFC 4180 field: quoted (with "" for ") when it holds a comma,
/// quote, CR or LF, or starts or ends with a space. A field that starts (after
/// spaces) with = + - @ TAB or CR gets a leading ' and quotes, so that a
/// spreadsheet shows it as text instead of running it as a formula (OWASP).
std::string csvField(std::string_view s);

/// An Error(Plugin) whose message starts with the plugin's name.
Error pluginError(std::string_view plugin, const std::string &what);

} // namespace mwaatok

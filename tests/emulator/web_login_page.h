#pragma once

#include <optional>
#include <string_view>

#include "service.h"

namespace mwaatok::emulator {

/// The web server's login page (GET /aws_mwaa/aws-console-sso, Airflow 2, and
/// /pluginsv2/aws_mwaa/aws-console-sso, Airflow 3) for browser tests: an HTML
/// page whose script writes the location it was opened at, fragment included,
/// into elements a test reads back from the DOM (`chromium --dump-dom`):
///   <p id="mwaa-login-href">, <p id="mwaa-login-hash">.
/// The server never sees the fragment (where the token is); the page's script
/// does. Returns nothing for any other request.
std::optional<Reply> webLoginPage(const Request &request, std::string_view path);

} // namespace mwaatok::emulator

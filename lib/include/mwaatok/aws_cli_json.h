#pragma once

// MWAA answers formatted as the AWS CLI prints them (`mwaatok token`).

#include <string>

#include "mwaatok/mwaa_client.h"

namespace mwaatok {

/// The CreateWebLoginToken response as the AWS CLI prints it (4-space JSON,
/// members in the API's order, empty ones left out).
std::string formatWebLoginTokenJson(const WebLoginToken &token);

} // namespace mwaatok

#pragma once

#include "mwaatok/credential_provider.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mwaatok {

/// One row of `configure list`.
struct ConfigureListRow {
	std::string name;     ///< profile, access_key, secret_key, region
	std::string value;    ///< keys masked to their last 4 characters; "<not set>"
	std::string type;     ///< env, manual, config-file, shared-credentials-file, process, ...; "None"
	std::string location; ///< variable, flag or file; "None" when not set
};

/// The rows of `aws configure list` for \a options (region from flag, env,
/// profile or IMDS). Throws when a configured credential source fails.
std::vector<ConfigureListRow> configureList(const ProviderContext &ctx, const ChainOptions &options,
					    const std::optional<std::string> &explicitRegion);
/// The rows as `aws configure list` prints them, header included.
std::string formatConfigureList(const std::vector<ConfigureListRow> &rows);

enum class ExportFormat { Process, Env, EnvNoExport };

/// "process", "env" or "env-no-export"; nullopt for anything else.
std::optional<ExportFormat> parseExportFormat(std::string_view name);
/// \a c as `aws configure export-credentials --format F` prints it (newline-terminated;
/// like the AWS CLI, without the account id).
std::string exportCredentials(const Credentials &c, ExportFormat format);

} // namespace mwaatok

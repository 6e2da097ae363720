#include "mwaatok/configure.h"

#include "core/strings.h"
#include "credentials/credentials_util.h"
#include "mwaatok/profile_file.h"
#include "mwaatok/region.h"

#include <cstdio>

namespace mwaatok {

namespace {

const char *const kNotSet = "<not set>";

std::string mask(const std::string &value)
{
	return std::string(16, '*') + (value.size() > 4 ? value.substr(value.size() - 4) : value);
}

std::string credentialsLocation(const std::string &source, const ProfileFileLocations &loc,
				const char *envVar)
{
	if (source == "env")
		return envVar;
	if (source == "shared-credentials-file")
		return loc.credentialsPath;
	if (source == "config-file" || source == "process")
		return loc.configPath;
	return "";
}

} // namespace

std::vector<ConfigureListRow> configureList(const ProviderContext &ctx, const ChainOptions &options,
					    const std::optional<std::string> &explicitRegion)
{
	std::vector<ConfigureListRow> rows;
	auto sel = selectProfile(ctx.env, options.profile);
	if (sel.chosen())
		rows.push_back({"profile", sel.name, sel.type, sel.location});
	else
		rows.push_back({"profile", kNotSet, "None", "None"});

	std::string why;
	auto creds = makeDefaultChain(ctx, options)->resolve(why);
	if (creds) {
		auto files = profileFileLocations(ctx.env);
		rows.push_back({"access_key", mask(creds->accessKeyId), creds->source,
				credentialsLocation(creds->source, files, "AWS_ACCESS_KEY_ID")});
		rows.push_back({"secret_key", mask(creds->secretAccessKey), creds->source,
				credentialsLocation(creds->source, files, "AWS_SECRET_ACCESS_KEY")});
	} else {
		rows.push_back({"access_key", kNotSet, "None", "None"});
		rows.push_back({"secret_key", kNotSet, "None", "None"});
	}

	RegionOptions ro;
	ro.region = explicitRegion;
	ro.profile = options.profile;
	if (auto region = findRegion(ctx, ro))
		rows.push_back({"region", region->region, region->type,
				region->type == "imds" ? std::string() : region->location});
	else
		rows.push_back({"region", kNotSet, "None", "None"});
	return rows;
}

std::string formatConfigureList(const std::vector<ConfigureListRow> &rows)
{
	std::string out;
	auto line = [&out](const std::string &a, const std::string &b, const std::string &c, const std::string &d) {
		char buf[512];
		std::snprintf(buf, sizeof buf, "%10s %24s %16s    ", a.c_str(), b.c_str(), c.c_str());
		out += buf;
		out += d;
		out += '\n';
	};
	line("Name", "Value", "Type", "Location");
	line("----", "-----", "----", "--------");
	for (const auto &r : rows)
		line(r.name, r.value, r.type, r.location);
	return out;
}

std::optional<ExportFormat> parseExportFormat(std::string_view name)
{
	if (name == "process")
		return ExportFormat::Process;
	if (name == "env")
		return ExportFormat::Env;
	if (name == "env-no-export")
		return ExportFormat::EnvNoExport;
	return std::nullopt;
}

std::string exportCredentials(const Credentials &c, ExportFormat format)
{
	std::vector<std::pair<std::string, std::string>> fields;
	bool process = format == ExportFormat::Process;
	fields.emplace_back(process ? "AccessKeyId" : "AWS_ACCESS_KEY_ID", c.accessKeyId);
	fields.emplace_back(process ? "SecretAccessKey" : "AWS_SECRET_ACCESS_KEY", c.secretAccessKey);
	if (!c.sessionToken.empty())
		fields.emplace_back(process ? "SessionToken" : "AWS_SESSION_TOKEN", c.sessionToken);
	if (c.expiration)
		fields.emplace_back(process ? "Expiration" : "AWS_CREDENTIAL_EXPIRATION", formatExpiry(*c.expiration));
	std::string out;
	if (process) {
		// json.dumps(indent=2) layout, as the AWS CLI prints it.
		out = "{\n  \"Version\": 1";
		for (const auto &[k, v] : fields)
			out += ",\n  " + jsonQuote(k) + ": " + jsonQuote(v);
		out += "\n}\n";
		return out;
	}
	const char *prefix = format == ExportFormat::Env ? "export " : "";
	for (const auto &[k, v] : fields)
		out += prefix + k + "=" + v + "\n";
	return out;
}

} // namespace mwaatok

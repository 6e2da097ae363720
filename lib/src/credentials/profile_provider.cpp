#include "mwaatok/credential_provider.h"

#include "core/strings.h"
#include "credentials/credentials_util.h"
#include "credentials/profile_sources.h"
#include "mwaatok/error.h"
#include "mwaatok/profile_file.h"

namespace mwaatok {

namespace {

std::string filesText(const ProfileFileLocations &loc)
{
	std::string s;
	for (const auto *p : {&loc.configPath, &loc.credentialsPath}) {
		if (p->empty())
			continue;
		s += s.empty() ? "" : " or ";
		s += *p;
	}
	return s.empty() ? "the shared files (HOME is not set)" : s;
}

const ProfileValue *nonBlank(const ProfileValue *v)
{
	return v && !trim(v->value).empty() ? v : nullptr;
}

Credentials staticCredentials(const SharedConfig &config, const std::string &profile, const char *source)
{
	Credentials c;
	c.accessKeyId = *config.getIn(profile, "aws_access_key_id");
	c.secretAccessKey = *config.getIn(profile, "aws_secret_access_key");
	if (auto token = config.getIn(profile, "aws_session_token"))
		c.sessionToken = *token;
	else if (auto legacy = config.getIn(profile, "aws_security_token"))
		c.sessionToken = *legacy;
	c.accountId = config.getIn(profile, "aws_account_id").value_or("");
	c.source = source;
	return c;
}

std::string missingProfileMessage(const SharedConfig &config)
{
	const auto &sel = config.selection();
	std::vector<std::string> names;
	for (const auto &[name, props] : config.profiles().profiles())
		names.push_back(name);
	std::string msg = "aws profile `" + sel.name + "` (from " + sel.location + ") is not defined in " +
			  filesText(config.locations());
	std::string guess = closestMatch(sel.name, names);
	if (!guess.empty())
		msg += ": did you mean `" + guess + "`?";
	else
		msg += ": add it with `aws configure --profile " + sel.name + "` or choose another profile";
	return msg;
}

class ProfileProvider final : public CredentialProvider {
public:
	ProfileProvider(const ProviderContext &ctx, ChainOptions options)
		: ctx_(ctx), options_(std::move(options))
	{
	}

	std::string_view name() const override { return "shared-files"; }

	std::optional<Credentials> resolve(std::string &whyNot) override
	{
		SharedConfig config = SharedConfig::load(ctx_.env, ctx_.fs, options_.profile);
		const auto &sel = config.selection();
		if (!config.selected()) {
			if (sel.chosen())
				throw Error(ErrorKind::Config, missingProfileMessage(config));
			whyNot = "no [default] profile in " + filesText(config.locations());
			return std::nullopt;
		}
		return detail::keysOrProcess(ctx_, config, sel.name, options_, whyNot);
	}

private:
	ProviderContext ctx_;
	ChainOptions options_;
};

} // namespace

namespace detail {

std::string profileWhere(const SharedConfig &config, const std::string &profile, std::string_view key)
{
	std::string s = "profile `" + profile + "`";
	if (const ProfileValue *v = config.findIn(profile, key))
		s += " (" + v->path + ":" + std::to_string(v->line) + ")";
	return s;
}

std::optional<Credentials> keysOrProcess(const ProviderContext &ctx, const SharedConfig &config,
					 const std::string &profile, const ChainOptions &options, std::string &whyNot)
{
	const ProfileValue *id = nonBlank(config.findIn(profile, "aws_access_key_id"));
	const ProfileValue *secret = nonBlank(config.findIn(profile, "aws_secret_access_key"));
	auto at = [](const ProfileValue *v) { return v->path + ":" + std::to_string(v->line); };
	if (id && !secret)
		throw Error(ErrorKind::Credentials, "profile `" + profile + "` sets aws_access_key_id (" + at(id) +
							    ") but not aws_secret_access_key: add it");
	if (secret && !id)
		throw Error(ErrorKind::Credentials, "profile `" + profile + "` sets aws_secret_access_key (" +
							    at(secret) + ") but not aws_access_key_id: add it");
	// botocore order: credentials-file keys, then credential_process, then config-file keys.
	if (id && id->path == config.locations().credentialsPath)
		return staticCredentials(config, profile, "shared-credentials-file");
	if (auto command = config.getIn(profile, "credential_process"))
		return runCredentialProcess(ctx.processes, *command, profile,
					    config.getIn(profile, "aws_account_id").value_or(""), options.processTimeout);
	if (id)
		return staticCredentials(config, profile, "config-file");
	whyNot = "profile `" + profile + "` has no aws_access_key_id or credential_process";
	return std::nullopt;
}

} // namespace detail

std::unique_ptr<CredentialProvider> makeProfileProvider(const ProviderContext &ctx, const ChainOptions &options)
{
	return std::make_unique<ProfileProvider>(ctx, options);
}

} // namespace mwaatok

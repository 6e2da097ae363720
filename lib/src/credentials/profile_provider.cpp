#include "mwaatok/credential_provider.h"

#include "core/strings.h"
#include "credentials/sso_config.h"
#include "credentials/sso_provider.h"
#include "mwaatok/error.h"
#include "mwaatok/profile_file.h"

namespace mwaatok {

namespace {

std::string where(const ProfileValue &v)
{
	return v.path + ":" + std::to_string(v.line);
}

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

[[noreturn]] void unsupported(const std::string &profile, const ProfileValue &v, const std::string &what)
{
	throw Error(ErrorKind::Credentials, "profile `" + profile + "` (" + where(v) + ") uses " + what +
						    ", which is not supported yet: give the profile static keys "
						    "or a credential_process, or choose another profile");
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
		const std::string &profile = sel.name;
		if (const auto *v = config.find("role_arn"))
			unsupported(profile, *v, "role_arn (assume role)");
		if (const auto *v = config.find("web_identity_token_file"))
			unsupported(profile, *v, "web_identity_token_file (web identity)");
		if (auto sso = resolveSsoProfile(ctx_, config))
			return sso;

		const ProfileValue *id = nonBlank(config.find("aws_access_key_id"));
		const ProfileValue *secret = nonBlank(config.find("aws_secret_access_key"));
		if (id && !secret)
			throw Error(ErrorKind::Credentials, "profile `" + profile + "` sets aws_access_key_id (" +
								    where(*id) + ") but not aws_secret_access_key: add it");
		if (secret && !id)
			throw Error(ErrorKind::Credentials, "profile `" + profile + "` sets aws_secret_access_key (" +
								    where(*secret) + ") but not aws_access_key_id: add it");
		// botocore order: credentials-file keys, then credential_process, then config-file keys.
		if (id && id->path == config.locations().credentialsPath)
			return staticCredentials(config, "shared-credentials-file");
		if (auto command = config.get("credential_process")) {
			return runCredentialProcess(ctx_.processes, *command, profile,
						    config.get("aws_account_id").value_or(""),
						    options_.processTimeout);
		}
		if (id)
			return staticCredentials(config, "config-file");
		whyNot = detail::ssoTokenOnlyReason(config).value_or(
			"profile `" + profile + "` has no aws_access_key_id or credential_process");
		return std::nullopt;
	}

private:
	static const ProfileValue *nonBlank(const ProfileValue *v)
	{
		return v && !trim(v->value).empty() ? v : nullptr;
	}

	static Credentials staticCredentials(const SharedConfig &config, const char *source)
	{
		Credentials c;
		c.accessKeyId = std::string(trim(config.find("aws_access_key_id")->value));
		c.secretAccessKey = std::string(trim(config.find("aws_secret_access_key")->value));
		if (auto token = config.get("aws_session_token"))
			c.sessionToken = *token;
		else if (auto legacy = config.get("aws_security_token"))
			c.sessionToken = *legacy;
		c.accountId = config.get("aws_account_id").value_or("");
		c.source = source;
		return c;
	}

	static std::string missingProfileMessage(const SharedConfig &config)
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

	ProviderContext ctx_;
	ChainOptions options_;
};

} // namespace

std::unique_ptr<CredentialProvider> makeProfileProvider(const ProviderContext &ctx, const ChainOptions &options)
{
	return std::make_unique<ProfileProvider>(ctx, options);
}

} // namespace mwaatok

#include "mwaatok/credential_provider.h"

#include "core/strings.h"
#include "credentials/credentials_util.h"
#include "credentials/profile_sources.h"
#include "credentials/sts_client.h"
#include "mwaatok/clock.h"
#include "mwaatok/environment.h"
#include "mwaatok/profile_file.h"

namespace mwaatok {

namespace {

class WebIdentityProvider final : public CredentialProvider {
public:
	WebIdentityProvider(const ProviderContext &ctx, ChainOptions options) : ctx_(ctx), options_(std::move(options)) {}

	std::string_view name() const override { return "web-identity"; }

	std::optional<Credentials> resolve(std::string &whyNot) override
	{
		SharedConfig config = SharedConfig::load(ctx_.env, ctx_.fs, options_.profile);
		// As botocore: a profile named on the command line turns the variables off.
		auto file = options_.profile ? std::nullopt : ctx_.env.getNonEmpty("AWS_WEB_IDENTITY_TOKEN_FILE");
		if (file) {
			detail::WebIdentitySettings s;
			s.tokenFile = *file;
			s.where = "environment variable AWS_WEB_IDENTITY_TOKEN_FILE";
			auto role = ctx_.env.getNonEmpty("AWS_ROLE_ARN");
			if (!role)
				throw Error(ErrorKind::Credentials,
					    "environment variable AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not: "
					    "set the role to assume, or unset AWS_WEB_IDENTITY_TOKEN_FILE");
			s.roleArn = std::string(trim(*role));
			s.sessionName = std::string(trim(ctx_.env.getNonEmpty("AWS_ROLE_SESSION_NAME").value_or("")));
			return detail::webIdentityCredentials(ctx_, config, s);
		}
		const std::string &profile = config.selection().name;
		if (!config.selected() || !config.getIn(profile, "web_identity_token_file")) {
			whyNot = "AWS_WEB_IDENTITY_TOKEN_FILE is not set and profile `" + profile +
				 "` has no web_identity_token_file";
			return std::nullopt;
		}
		return detail::webIdentityCredentials(ctx_, config, detail::profileWebIdentity(config, profile));
	}

private:
	ProviderContext ctx_;
	ChainOptions options_;
};

} // namespace

namespace detail {

std::optional<long long> durationSeconds(const SharedConfig &config, const std::string &profile)
{
	auto text = config.getIn(profile, "duration_seconds");
	if (!text)
		return std::nullopt;
	char *end = nullptr;
	long long n = std::strtoll(text->c_str(), &end, 10);
	if (*end != '\0' || n < 900 || n > 43200)
		throw Error(ErrorKind::Credentials, profileWhere(config, profile, "duration_seconds") +
							    ": duration_seconds `" + oneLine(*text, 20) +
							    "` is not a number of seconds from 900 to 43200");
	return n;
}

std::string generatedSessionName(const ProviderContext &ctx)
{
	auto secs = std::chrono::duration_cast<std::chrono::seconds>(ctx.clock.now().time_since_epoch()).count();
	return "mwaatok-session-" + std::to_string(secs);
}

WebIdentitySettings profileWebIdentity(const SharedConfig &config, const std::string &profile)
{
	WebIdentitySettings s;
	s.where = profileWhere(config, profile, "web_identity_token_file");
	s.tokenFile = *config.getIn(profile, "web_identity_token_file");
	auto role = config.getIn(profile, "role_arn");
	if (!role)
		throw Error(ErrorKind::Credentials, s.where +
							    ": web_identity_token_file was specified but role_arn was "
							    "missing: add the role to assume");
	s.roleArn = *role;
	s.sessionName = config.getIn(profile, "role_session_name").value_or("");
	return s;
}

Credentials webIdentityCredentials(const ProviderContext &ctx, const SharedConfig &config,
				   const WebIdentitySettings &s)
{
	// As the AWS CLI: RoleArn and RoleSessionName only (no DurationSeconds), cached like AssumeRole.
	AssumeRoleParams p;
	p.roleArn = s.roleArn;
	p.sessionName = s.sessionName.empty() ? generatedSessionName(ctx) : s.sessionName;
	p.sessionNameGenerated = s.sessionName.empty();
	return throughRoleCache(ctx, p, "assume-role-with-web-identity", [&] {
		std::optional<std::string> token;
		try {
			token = readCapped(ctx.fs, s.tokenFile, kMaxTokenFile, s.where + ": the web identity token file",
					   ErrorKind::Credentials);
		} catch (const Error &e) {
			if (e.kind() == ErrorKind::Credentials)
				throw;
			throw Error(ErrorKind::Credentials, s.where + ": " + e.what());
		}
		if (!token)
			throw Error(ErrorKind::Credentials, s.where + ": the web identity token file " + s.tokenFile +
								    " does not exist: fix the path or create the token");
		std::string_view value = trim(*token);
		if (value.empty())
			throw Error(ErrorKind::Credentials,
				    s.where + ": the web identity token file " + s.tokenFile + " is empty");
		return assumeRoleWithWebIdentity(ctx, stsEndpoint(ctx.env, config), p, std::string(value), s.where);
	});
}

} // namespace detail

std::unique_ptr<CredentialProvider> makeWebIdentityProvider(const ProviderContext &ctx, const ChainOptions &options)
{
	return std::make_unique<WebIdentityProvider>(ctx, options);
}

} // namespace mwaatok

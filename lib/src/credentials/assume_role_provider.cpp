#include "mwaatok/credential_provider.h"

#include "core/strings.h"
#include "credentials/credentials_util.h"
#include "credentials/profile_sources.h"
#include "credentials/sso_provider.h"
#include "credentials/sts_client.h"
#include "mwaatok/clock.h"
#include "mwaatok/credentials_cache.h"
#include "mwaatok/profile_file.h"

#include <algorithm>
#include <functional>

namespace mwaatok {

namespace {

std::string chainText(const std::vector<std::string> &visited, const std::string &last)
{
	std::string s;
	for (const auto &v : visited)
		s += "`" + v + "` -> ";
	return s + "`" + last + "`";
}

class RoleResolver {
public:
	RoleResolver(const ProviderContext &ctx, const SharedConfig &config, const ChainOptions &options)
		: ctx_(ctx), config_(config), options_(options)
	{
	}

	Credentials role(const std::string &profile, std::vector<std::string> &visited)
	{
		return rolePlan(profile, visited)();
	}

private:
	// Profile \a profile's role, checked now (cycles, missing profiles, settings)
	// and assumed when called, so a valid cached answer needs no source at all.
	std::function<Credentials()> rolePlan(const std::string &profile, std::vector<std::string> &visited)
	{
		const std::string where = detail::profileWhere(config_, profile, "role_arn");
		auto source = config_.getIn(profile, "source_profile");
		auto credentialSource = config_.getIn(profile, "credential_source");
		if (source && credentialSource)
			throw Error(ErrorKind::Credentials,
				    where + " sets both source_profile and credential_source: keep one of them");
		if (!source && !credentialSource)
			throw Error(ErrorKind::Credentials, where +
								    " sets role_arn but neither source_profile nor "
								    "credential_source: add the one that gives the base credentials");
		detail::AssumeRoleParams p;
		p.roleArn = *config_.getIn(profile, "role_arn");
		auto name = config_.getIn(profile, "role_session_name");
		p.sessionName = name ? *name : detail::generatedSessionName(ctx_);
		p.sessionNameGenerated = !name;
		p.externalId = config_.getIn(profile, "external_id").value_or("");
		p.serialNumber = config_.getIn(profile, "mfa_serial").value_or("");
		p.durationSeconds = detail::durationSeconds(config_, profile);

		std::function<Credentials()> base;
		if (credentialSource) {
			base = [this, where, cs = *credentialSource] { return fromCredentialSource(cs, where); };
		} else if (*source == profile) {
			// A profile may be its own source: its static keys, then the role.
			if (!config_.getIn(profile, "aws_access_key_id"))
				throw Error(ErrorKind::Credentials,
					    where + " names itself as source_profile but has no aws_access_key_id: "
						    "add its keys, or name another source_profile");
			base = [this, profile] { return keys(profile); };
		} else {
			if (std::find(visited.begin(), visited.end(), *source) != visited.end())
				throw Error(ErrorKind::Credentials,
					    "profiles " + chainText(visited, *source) + " form a source_profile cycle (" +
						    detail::profileWhere(config_, profile, "source_profile") +
						    "): end the chain at a profile with keys or a credential_source");
			if (!config_.profiles().profile(*source))
				throw Error(ErrorKind::Credentials, detail::profileWhere(config_, profile, "source_profile") +
									    ": its source_profile `" + *source +
									    "` is not defined: add it or fix the name");
			visited.push_back(*source);
			base = plan(*source, visited);
		}
		return [this, p, base, where] { return assume(p, base, where); };
	}

	// How a source profile yields credentials, validated now and run later.
	std::function<Credentials()> plan(const std::string &profile, std::vector<std::string> &visited)
	{
		bool hasKeys = config_.findIn(profile, "aws_access_key_id") || config_.findIn(profile, "aws_secret_access_key");
		bool web = config_.getIn(profile, "web_identity_token_file").has_value();
		if (!hasKeys && !web && config_.getIn(profile, "role_arn"))
			return rolePlan(profile, visited);
		return [this, profile, hasKeys, web] {
			if (hasKeys)
				return keys(profile);
			if (web)
				return detail::webIdentityCredentials(ctx_, config_,
								      detail::profileWebIdentity(config_, profile));
			if (auto c = resolveSsoProfile(ctx_, config_, profile))
				return *c;
			std::string why;
			if (auto c = detail::keysOrProcess(ctx_, config_, profile, options_, why))
				return *c;
			throw Error(ErrorKind::Credentials,
				    "profile `" + profile +
					    "`, used as a source_profile, has no credentials: give it keys, a "
					    "credential_process, a role or a web identity token");
		};
	}

	Credentials keys(const std::string &profile)
	{
		std::string why;
		auto c = detail::keysOrProcess(ctx_, config_, profile, options_, why);
		if (!c)
			throw Error(ErrorKind::Credentials, "profile `" + profile + "`: " + why);
		return *c;
	}

	Credentials fromCredentialSource(const std::string &source, const std::string &where)
	{
		std::unique_ptr<CredentialProvider> provider;
		if (source == "Environment")
			provider = makeEnvironmentProvider(ctx_);
		else if (source == "Ec2InstanceMetadata")
			provider = makeImdsProvider(ctx_, options_);
		else if (source == "EcsContainer")
			provider = makeContainerProvider(ctx_);
		else
			throw Error(ErrorKind::Credentials, where + ": credential_source `" + detail::oneLine(source, 40) +
								    "` is not one of Environment, Ec2InstanceMetadata, "
								    "EcsContainer");
		std::string why;
		auto c = provider->resolve(why);
		if (!c)
			throw Error(ErrorKind::Credentials, where + " takes its base credentials from credential_source " +
								    source + ", but the provider was not enabled: " + why);
		return *c;
	}

	Credentials assume(const detail::AssumeRoleParams &p, const std::function<Credentials()> &base,
			   const std::string &where)
	{
		return detail::throughRoleCache(ctx_, p, "assume-role", [&] {
			std::string code;
			if (!p.serialNumber.empty())
				code = askMfa(p.serialNumber, where);
			Credentials source = base();
			return detail::assumeRole(ctx_, detail::stsEndpoint(ctx_.env, config_), source, p, code, where);
		});
	}

	std::string askMfa(const std::string &serial, const std::string &where)
	{
		std::optional<std::string> code = ctx_.mfa ? ctx_.mfa->ask(serial) : std::nullopt;
		if (!code)
			throw Error(ErrorKind::Credentials,
				    where + " needs an MFA code for " + serial +
					    " and there is no terminal to ask on: run mwaatok in a terminal, or assume "
					    "the role once with the AWS CLI (e.g. `aws sts get-caller-identity --profile " +
					    config_.selection().name + "`), whose cached credentials mwaatok reuses");
		std::string_view c = trim(*code);
		if (c.empty())
			throw Error(ErrorKind::Credentials, where + ": no MFA code was entered");
		return std::string(c);
	}

	const ProviderContext &ctx_;
	const SharedConfig &config_;
	const ChainOptions &options_;
};

class AssumeRoleProvider final : public CredentialProvider {
public:
	AssumeRoleProvider(const ProviderContext &ctx, ChainOptions options) : ctx_(ctx), options_(std::move(options)) {}

	std::string_view name() const override { return "assume-role"; }

	std::optional<Credentials> resolve(std::string &whyNot) override
	{
		SharedConfig config = SharedConfig::load(ctx_.env, ctx_.fs, options_.profile);
		const std::string &profile = config.selection().name;
		// A role_arn next to web_identity_token_file belongs to web identity (as botocore).
		if (!config.selected() || !config.getIn(profile, "role_arn") ||
		    config.getIn(profile, "web_identity_token_file")) {
			whyNot = "profile `" + profile + "` has no role_arn";
			return std::nullopt;
		}
		return detail::assumeRoleCredentials(ctx_, config, profile, options_);
	}

private:
	ProviderContext ctx_;
	ChainOptions options_;
};

} // namespace

namespace detail {

Credentials throughRoleCache(const ProviderContext &ctx, const AssumeRoleParams &params, const char *source,
			     const std::function<StsResult()> &call)
{
	Credentials c = throughRoleCache(ctx, assumeRoleCacheKey(params), credentialsFromCache, [&] {
		StsResult result = call();
		return CacheableCredentials{ std::move(result.credentials), std::move(result.cacheJson) };
	});
	c.source = source;
	return c;
}

Credentials assumeRoleCredentials(const ProviderContext &ctx, const SharedConfig &config, const std::string &profile,
				  const ChainOptions &options)
{
	std::vector<std::string> visited{profile};
	return RoleResolver(ctx, config, options).role(profile, visited);
}

} // namespace detail

std::unique_ptr<CredentialProvider> makeAssumeRoleProvider(const ProviderContext &ctx, const ChainOptions &options)
{
	return std::make_unique<AssumeRoleProvider>(ctx, options);
}

} // namespace mwaatok

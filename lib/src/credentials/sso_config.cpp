#include "credentials/sso_config.h"

#include "core/strings.h"
#include "mwaatok/error.h"
#include "mwaatok/profile_file.h"

#include <map>

namespace mwaatok::detail {

namespace {

std::string where(const ProfileValue &v)
{
	return v.path + ":" + std::to_string(v.line);
}

const ProfileValue *nonBlank(const ProfileProperties &props, const std::string &key)
{
	auto it = props.find(key);
	return it != props.end() && !trim(it->second.value).empty() ? &it->second : nullptr;
}

std::string value(const ProfileValue *v)
{
	return v ? std::string(trim(v->value)) : std::string();
}

std::vector<std::string> parseScopes(const std::string &raw)
{
	std::vector<std::string> scopes;
	for (auto s : split(raw, ','))
		if (auto t = trim(s); !t.empty())
			scopes.emplace_back(t);
	return scopes;
}

/// The [sso-session NAME] section named by \a ref; throws when it is missing.
const ProfileProperties &session(const SharedConfig &config, const std::string &profile, const std::string &name,
				 const std::string &at, ErrorKind kind)
{
	const auto &sessions = config.profiles().ssoSessions();
	auto it = sessions.find(name);
	if (it == sessions.end())
		throw Error(kind, "profile `" + profile + "` (" + at + ") uses sso_session `" + name +
					  "`, but no [sso-session " + name + "] section is defined in " +
					  (config.locations().configPath.empty() ? "the config file"
										 : config.locations().configPath) +
					  ": add one with sso_start_url and sso_region");
	return it->second;
}

} // namespace

std::optional<SsoSettings> ssoCredentialSettings(const SharedConfig &config)
{
	return ssoCredentialSettings(config, config.selection().name);
}

std::optional<SsoSettings> ssoCredentialSettings(const SharedConfig &config, const std::string &profile)
{
	const ProfileProperties *props = config.profiles().profile(profile);
	if (!props)
		return std::nullopt;
	const ProfileValue *marker = nonBlank(*props, "sso_role_name");
	if (!marker)
		marker = nonBlank(*props, "sso_account_id");
	if (!marker) // as botocore: without a role or account this is no SSO credential profile
		return std::nullopt;

	SsoSettings s;
	s.profile = profile;
	s.definedAt = where(*marker);
	std::map<std::string, const ProfileValue *> resolved;
	for (const char *key : { "sso_start_url", "sso_region", "sso_account_id", "sso_role_name" })
		resolved[key] = nonBlank(*props, key);
	if (const ProfileValue *ref = nonBlank(*props, "sso_session")) {
		s.sessionName = value(ref);
		const auto &sessionProps = session(config, profile, s.sessionName, where(*ref), ErrorKind::Credentials);
		for (const auto &[key, v] : sessionProps) {
			auto it = resolved.find(key);
			if (it != resolved.end() && it->second && value(it->second) != trim(v.value))
				throw Error(ErrorKind::Credentials,
					    "profile `" + profile + "`: " + key + " `" + value(it->second) + "` (" +
						    where(*it->second) + ") differs from `" +
						    std::string(trim(v.value)) + "` in [sso-session " + s.sessionName +
						    "] (" + where(v) +
						    "): make them the same or remove the profile's " + key);
			if (it != resolved.end() && !trim(v.value).empty())
				it->second = &v;
		}
		if (const ProfileValue *scopes = nonBlank(sessionProps, "sso_registration_scopes"))
			s.scopes = parseScopes(value(scopes));
	}
	std::string missing;
	for (const auto &[key, v] : resolved)
		if (!v)
			missing += (missing.empty() ? "" : ", ") + key;
	if (!missing.empty())
		throw Error(ErrorKind::Credentials,
			    "profile `" + profile + "` (" + s.definedAt +
				    ") is configured for IAM Identity Center (SSO) but lacks " + missing + ": add " +
				    (s.sessionName.empty() ? "them" : "them to the profile or its sso-session") +
				    " (aws configure sso)");
	s.startUrl = value(resolved["sso_start_url"]);
	s.region = value(resolved["sso_region"]);
	s.accountId = value(resolved["sso_account_id"]);
	s.roleName = value(resolved["sso_role_name"]);
	return s;
}

std::optional<std::string> ssoTokenOnlyReason(const SharedConfig &config)
{
	const ProfileProperties *props = config.selected();
	if (!props || nonBlank(*props, "sso_account_id") || nonBlank(*props, "sso_role_name"))
		return std::nullopt;
	for (const char *key : { "sso_session", "sso_start_url" })
		if (const ProfileValue *v = nonBlank(*props, key))
			return "profile `" + config.selection().name + "` sets " + key + " (" + where(*v) +
			       ") but neither sso_account_id nor sso_role_name, so the selected profile will resolve an "
			       "access token instead of credentials: add both to use an IAM Identity Center role";
	return std::nullopt;
}

SsoSettings ssoLoginSettings(const SharedConfig &config, const std::optional<std::string> &sessionOverride)
{
	const std::string &profile = config.selection().name;
	const ProfileProperties *props = config.selected();
	SsoSettings s;
	s.profile = profile;
	const ProfileProperties *source = props;
	std::string sourceName = "profile `" + profile + "`";
	const ProfileValue *ref = props ? nonBlank(*props, "sso_session") : nullptr;
	if (sessionOverride || ref) {
		s.sessionName = sessionOverride ? *sessionOverride : value(ref);
		source = &session(config, profile, s.sessionName, ref ? where(*ref) : "--sso-session",
				  ErrorKind::Config);
		sourceName = "[sso-session " + s.sessionName + "]";
		if (const ProfileValue *scopes = nonBlank(*source, "sso_registration_scopes"))
			s.scopes = parseScopes(value(scopes));
	}
	if (!source)
		throw Error(ErrorKind::Config,
			    "aws profile `" + profile +
				    "` is not defined, so it has no IAM Identity Center (SSO) settings: "
				    "add sso_session or sso_start_url and sso_region to it");
	s.startUrl = value(nonBlank(*source, "sso_start_url"));
	s.region = value(nonBlank(*source, "sso_region"));
	if (s.startUrl.empty() || s.region.empty())
		throw Error(ErrorKind::Config,
			    sourceName + " has no " +
				    (s.startUrl.empty() && s.region.empty() ? "sso_start_url and sso_region"
				     : s.startUrl.empty()                   ? "sso_start_url"
									    : "sso_region") +
				    ": add it (aws configure sso) to log in with IAM Identity Center (SSO)");
	return s;
}

} // namespace mwaatok::detail

#include "mwaatok/time.h"
#include "mwaatok/credential_provider.h"

#include "core/crypto.h"
#include "core/strings.h"
#include "credentials/credentials_util.h"
#include "credentials/imds_client.h"
#include "mwaatok/clock.h"
#include "mwaatok/environment.h"
#include "mwaatok/profile_file.h"

namespace mwaatok {

namespace {

constexpr std::string_view kExtended = "/latest/meta-data/iam/security-credentials-extended/";
constexpr std::string_view kLegacy = "/latest/meta-data/iam/security-credentials/";

class ImdsProvider final : public CredentialProvider {
public:
	ImdsProvider(const ProviderContext &ctx, ChainOptions options) : ctx_(ctx), options_(std::move(options)) {}

	std::string_view name() const override { return "imds"; }

	std::optional<Credentials> resolve(std::string &whyNot) override
	{
		if (!client_) {
			if (ctx_.env.isTrue("AWS_EC2_METADATA_DISABLED")) {
				whyNot = "AWS_EC2_METADATA_DISABLED is true";
				return std::nullopt;
			}
			SharedConfig config = SharedConfig::load(ctx_.env, ctx_.fs, options_.profile);
			client_.emplace(ctx_.http, ctx_.clock, detail::imdsSettings(ctx_.env, &config));
		}
		try {
			return fetch();
		} catch (const detail::ImdsUnavailable &e) {
			whyNot = e.what();
			return std::nullopt;
		}
	}

private:
	enum class Api { Unknown, Extended, Legacy };

	std::string_view base() const { return api_ == Api::Legacy ? kLegacy : kExtended; }

	Credentials fetch()
	{
		const std::string &configured = client_->settings().instanceProfileName;
		if (!configured.empty())
			return fetchConfigured(configured);
		if (role_.empty())
			role_ = listRole();
		HttpResponse r = client_->get(std::string(base()) + role_);
		if (r.status == 404) {
			// The instance profile changed since the name was read: read it once more.
			role_ = listRole();
			r = client_->get(std::string(base()) + role_);
		}
		return parse(r, role_);
	}

	Credentials fetchConfigured(const std::string &role)
	{
		if (api_ != Api::Legacy) {
			HttpResponse r = client_->get(std::string(kExtended) + role);
			if (r.status != 404) {
				api_ = Api::Extended;
				return parse(r, role);
			}
		}
		HttpResponse r = client_->get(std::string(kLegacy) + role);
		if (r.status == 404)
			throw Error(ErrorKind::Credentials,
				    "imds has no instance profile named `" + role +
					    "` (from AWS_EC2_INSTANCE_PROFILE_NAME / ec2_instance_profile_name): fix "
					    "the name or unset it");
		api_ = Api::Legacy;
		return parse(r, role);
	}

	std::string listRole()
	{
		HttpResponse r;
		if (api_ != Api::Legacy) {
			r = client_->get(std::string(kExtended));
			if (r.status == 200)
				api_ = Api::Extended;
			else if (r.status == 404 && api_ == Api::Unknown)
				api_ = Api::Legacy;
		}
		if (api_ == Api::Legacy) {
			r = client_->get(std::string(kLegacy));
		}
		if (r.status == 404)
			throw detail::ImdsUnavailable("no iam role is attached to this instance (imds http 404)");
		if (r.status != 200)
			throw detail::ImdsUnavailable("imds role name request got http " + std::to_string(r.status));
		std::string_view body = r.body;
		std::string_view first = trim(body.substr(0, body.find('\n')));
		if (first.empty())
			throw detail::ImdsUnavailable("imds listed no iam role for this instance");
		return std::string(first);
	}

	Credentials parse(const HttpResponse &r, const std::string &role)
	{
		const std::string what = "imds credentials of role `" + role + "`";
		if (r.status != 200)
			throw detail::ImdsUnavailable(what + ": http " + std::to_string(r.status));
		auto j = detail::parseJsonObject(r.body);
		if (!j)
			throw Error(ErrorKind::Credentials, what + ": the response is not a json object");
		std::string code = detail::jsonString(*j, "Code");
		if (!code.empty() && code != "Success")
			throw detail::ImdsUnavailable(what + ": Code " + code + ": " +
						      detail::oneLine(detail::jsonString(*j, "Message"), 200));
		Credentials c = detail::credentialsFromJson(*j, {"Token", "Expiration"}, what);
		if (c.sessionToken.empty() || !c.expiration)
			throw Error(ErrorKind::Credentials, what + ": the response lacks Token or Expiration");
		c.source = "iam-role";
		auto now = ctx_.clock.now();
		if (*c.expiration <= now) {
			// Static stability: IMDS may serve stale credentials during an outage,
			// and AWS still accepts them for a while; refresh again in 10-15 min.
			auto jitter = static_cast<unsigned char>(crypto::randomBytes(1)[0]) * 300 / 255;
			auto extended = now + std::chrono::minutes(10) + std::chrono::seconds(jitter);
			if (ctx_.warn)
				ctx_.warn("imds returned credentials that expired at " +
					  time::formatRfc3339(*c.expiration) + "; using them until " +
					  time::formatRfc3339(extended) + " and then trying again");
			c.expiration = extended;
		}
		return c;
	}

	ProviderContext ctx_;
	ChainOptions options_;
	std::optional<detail::ImdsClient> client_;
	Api api_ = Api::Unknown;
	std::string role_;
};

} // namespace

std::unique_ptr<CredentialProvider> makeImdsProvider(const ProviderContext &ctx, const ChainOptions &options)
{
	return std::make_unique<ImdsProvider>(ctx, options);
}

} // namespace mwaatok

#include "mwaatok/region.h"

#include "core/strings.h"
#include "credentials/imds_client.h"
#include "mwaatok/credential_provider.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/profile_file.h"

namespace mwaatok {

namespace {

constexpr const char *kImdsRegionPath = "/latest/meta-data/placement/region";

} // namespace

std::optional<RegionChoice> regionFromSettings(const Environment &env, const SharedConfig &config)
{
	for (const char *var : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
		auto v = env.get(var);
		if (v && !trim(*v).empty())
			return RegionChoice{std::string(trim(*v)), "env", var};
	}
	if (const auto *v = config.find("region"); v && !trim(v->value).empty())
		return RegionChoice{std::string(trim(v->value)), "config-file", v->path};
	return std::nullopt;
}

std::optional<RegionChoice> findRegion(const ProviderContext &ctx, const RegionOptions &options)
{
	if (options.region && !trim(*options.region).empty())
		return RegionChoice{std::string(trim(*options.region)), "manual", "--region"};
	SharedConfig config = SharedConfig::load(ctx.env, ctx.fs, options.profile);
	if (auto r = regionFromSettings(ctx.env, config))
		return r;
	if (!options.useImds)
		return std::nullopt;
	auto settings = detail::imdsSettings(ctx.env, &config);
	if (settings.disabled)
		return std::nullopt;
	try {
		detail::ImdsClient client(ctx.http, ctx.clock, settings);
		HttpResponse r = client.get(kImdsRegionPath);
		std::string_view region = trim(r.body);
		if (r.status == 200 && !region.empty())
			return RegionChoice{std::string(region), "imds", kImdsRegionPath};
	} catch (const detail::ImdsUnavailable &) {
		// Off EC2: simply no region from here.
	}
	return std::nullopt;
}

RegionChoice resolveRegion(const ProviderContext &ctx, const RegionOptions &options)
{
	if (auto r = findRegion(ctx, options))
		return *r;
	auto sel = selectProfile(ctx.env, options.profile);
	auto loc = profileFileLocations(ctx.env);
	std::string msg = "no aws region found: give --region, set AWS_REGION or AWS_DEFAULT_REGION, or set "
			  "`region` in profile `" +
			  sel.name + "`" + (loc.configPath.empty() ? "" : " of " + loc.configPath);
	msg += options.useImds ? " (ec2 instance metadata had none either)" : "";
	throw Error(ErrorKind::Config, msg);
}

} // namespace mwaatok

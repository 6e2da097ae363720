// ListEnvironments with pagination, discovery over AWS profiles and regions,
// and the discovered environments as a YAML profile.
#include "mwaatok/list_environments.h"

#include <Poco/JSON/Array.h>

#include <set>

#include "core/json.h"
#include "core/strings.h"
#include "mwaatok/aws_client.h"
#include "mwaatok/environment_profile.h"
#include "mwaatok/error.h"
#include "mwaatok/mwaa_client.h"
#include "mwaatok/url.h"

namespace mwaatok {

namespace {

/// A scalar as YAML reads it back unchanged: a JSON string (valid YAML
/// double-quoted), so names like "on" or "null" stay strings.
std::string yamlString(std::string_view s) { return jsonQuote(s); }

std::string scopeName(const DiscoveryScope &s)
{
	return "profile " + (s.awsProfile.empty() ? std::string("(default)") : s.awsProfile) + ", region " +
	       (s.region.empty() ? std::string("(default)") : s.region);
}

/// The existing entry describing \a env, if any.
const EnvironmentEntry *findExisting(const EnvironmentProfile &profile, const DiscoveredEnvironment &env,
				     const std::set<std::string> &used)
{
	for (const auto &entry : profile.environments) {
		if (used.count(entry.alias))
			continue;
		ResolvedEnvironment r = resolveEnvironment(profile, entry, {});
		if (r.name != env.name || r.region.value.value_or("") != env.region)
			continue;
		const std::string profileName = r.awsProfile.value.value_or("");
		if (!profileName.empty() && !env.awsProfile.empty() && profileName != env.awsProfile)
			continue;
		return &entry;
	}
	return nullptr;
}

struct Writer {
	std::string out;

	/// One entry; \a kept (from \a existing) lends its endpoint, Airflow
	/// version (defaults included) and tags.
	void entry(const std::string &alias, const std::string &name, const std::string &region,
		   const std::string &awsProfile, const EnvironmentEntry *kept, const EnvironmentProfile *existing)
	{
		out += "  " + yamlString(alias) + ":\n";
		out += "    name: " + yamlString(name) + "\n";
		if (!region.empty())
			out += "    region: " + yamlString(region) + "\n";
		if (!awsProfile.empty())
			out += "    aws_profile: " + yamlString(awsProfile) + "\n";
		if (!kept || !existing)
			return;
		ResolvedEnvironment r = resolveEnvironment(*existing, *kept, {});
		if (r.endpointUrl.value)
			out += "    endpoint_url: " + yamlString(*r.endpointUrl.value) + "\n";
		if (r.airflowVersion.value)
			out += "    airflow_version: \"" + std::to_string(*r.airflowVersion.value) + "\"\n";
		if (!kept->tags.empty()) {
			out += "    tags: [";
			for (size_t i = 0; i < kept->tags.size(); ++i)
				out += (i ? ", " : "") + yamlString(kept->tags[i]);
			out += "]\n";
		}
	}
};

} // namespace

EnvironmentPage MwaaClient::listEnvironments(const std::string &nextToken, int maxResults)
{
	if (maxResults < 1 || maxResults > kListEnvironmentsMaxResults)
		throw Error(ErrorKind::Usage, "ListEnvironments takes 1 to " +
						      std::to_string(kListEnvironmentsMaxResults) + " results per page");
	AwsRequest req;
	req.method = "GET";
	req.url = mwaaEndpoint(endpoint_, HostPrefix::Api);
	req.url.path += "/environments";
	req.url.query = "MaxResults=" + std::to_string(maxResults);
	if (!nextToken.empty())
		req.url.query += "&NextToken=" + uriEncode(nextToken);
	HttpResponse resp;
	try {
		resp = client_.send(req, options_);
	} catch (const ServiceError &e) {
		std::string hint;
		if (e.code() == "AccessDeniedException")
			hint = "; the caller needs airflow:ListEnvironments (resource \"*\")";
		throw ServiceError(e.status(), e.code(), e.serviceMessage(), e.requestId(),
				   std::string("ListEnvironments: ") + e.what() + hint);
	}
	auto obj = detail::parseJsonObject(resp.body);
	auto names = obj ? obj->getArray("Environments") : nullptr;
	if (!names)
		throw Error(ErrorKind::Service, "ListEnvironments response has no Environments list "
						"(is --endpoint-url an MWAA endpoint?)");
	EnvironmentPage page;
	for (size_t i = 0; i < names->size(); ++i) {
		auto v = names->get(static_cast<unsigned>(i));
		if (!v.isString() || !isValidEnvironmentName(v.extract<std::string>()))
			throw Error(ErrorKind::Service, "ListEnvironments returned an invalid environment name");
		page.names.push_back(v.extract<std::string>());
	}
	page.nextToken = detail::jsonString(*obj, "NextToken");
	return page;
}

std::vector<std::string> listAllEnvironments(MwaaClient &client, int pageSize, int maxPages)
{
	std::vector<std::string> names;
	std::set<std::string> tokens;
	std::string token;
	for (int page = 0;; ++page) {
		if (page >= maxPages)
			throw Error(ErrorKind::Service, "ListEnvironments sent more than " + std::to_string(maxPages) +
								" pages; stopping");
		EnvironmentPage p = client.listEnvironments(token, pageSize);
		names.insert(names.end(), p.names.begin(), p.names.end());
		if (p.nextToken.empty())
			return names;
		if (!tokens.insert(p.nextToken).second)
			throw Error(ErrorKind::Service, "ListEnvironments repeated a NextToken; stopping");
		token = p.nextToken;
	}
}

Discovery discoverEnvironments(const std::vector<DiscoveryScope> &scopes,
			       const std::function<std::vector<std::string>(const DiscoveryScope &)> &list)
{
	Discovery d;
	std::set<std::pair<std::string, std::string>> seen; // name, region
	for (const auto &scope : scopes) {
		std::vector<std::string> names;
		try {
			names = list(scope);
		} catch (const std::exception &e) {
			d.failures.push_back(scopeName(scope) + ": " + e.what());
			continue;
		}
		for (auto &name : names)
			if (seen.insert({ name, scope.region }).second)
				d.environments.push_back({ std::move(name), scope.region, scope.awsProfile });
	}
	return d;
}

std::string formatDiscoveredProfile(const std::vector<DiscoveredEnvironment> &found,
				    const EnvironmentProfile *existing)
{
	Writer w;
	w.out = "# Written by mwaatok environments --discover; see mwaatok(5).\n";
	std::set<std::string> aliases; // taken, by kept entries first
	std::vector<const EnvironmentEntry *> keptFor(found.size(), nullptr);
	std::set<std::string> usedExisting;
	if (existing) {
		for (size_t i = 0; i < found.size(); ++i) {
			keptFor[i] = findExisting(*existing, found[i], usedExisting);
			if (keptFor[i])
				usedExisting.insert(keptFor[i]->alias);
		}
		for (const auto &entry : existing->environments)
			aliases.insert(entry.alias);
		const auto &d = existing->defaults;
		if (!d.outputs.empty() || d.jobs) {
			w.out += "defaults:\n";
			if (!d.outputs.empty()) {
				w.out += "  outputs: [";
				for (size_t i = 0; i < d.outputs.size(); ++i)
					w.out += (i ? ", " : "") + yamlString(d.outputs[i]);
				w.out += "]\n";
			}
			if (d.jobs)
				w.out += "  jobs: " + std::to_string(*d.jobs) + "\n";
		}
	}
	w.out += "environments:\n";
	if (found.empty() && (!existing || existing->environments.empty()))
		w.out = w.out.substr(0, w.out.size() - 1) + " {}\n";
	for (size_t i = 0; i < found.size(); ++i) {
		const auto &env = found[i];
		std::string alias;
		if (keptFor[i]) {
			alias = keptFor[i]->alias;
		} else {
			for (std::string candidate : { env.name, env.name + "-" + env.region,
						       env.name + "-" + env.region + "-" + env.awsProfile }) {
				if (!aliases.count(candidate) && candidate.back() != '-') {
					alias = candidate;
					break;
				}
			}
			for (int n = 2; alias.empty(); ++n)
				if (!aliases.count(env.name + "-" + std::to_string(n)))
					alias = env.name + "-" + std::to_string(n);
			aliases.insert(alias);
		}
		w.entry(alias, env.name, env.region, env.awsProfile, keptFor[i], existing);
	}
	if (existing) {
		bool first = true;
		for (const auto &entry : existing->environments) {
			if (usedExisting.count(entry.alias))
				continue;
			if (first)
				w.out += "  # Listed before, not found by this discovery:\n";
			first = false;
			ResolvedEnvironment r = resolveEnvironment(*existing, entry, {});
			w.entry(entry.alias, r.name, r.region.value.value_or(""), r.awsProfile.value.value_or(""), &entry,
				existing);
		}
		if (!existing->outputs.empty()) {
			w.out += "outputs:\n";
			for (const auto &[plugin, options] : existing->outputs) {
				w.out += "  " + yamlString(plugin) + ":" + (options.empty() ? " {}" : "") + "\n";
				for (const auto &[key, value] : options)
					w.out += "    " + yamlString(key) + ": " + yamlString(value) + "\n";
			}
		}
	}
	return w.out;
}

} // namespace mwaatok

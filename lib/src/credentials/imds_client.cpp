#include "credentials/imds_client.h"

#include "core/strings.h"
#include "mwaatok/clock.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/profile_file.h"
#include "mwaatok/url.h"

#include <cmath>
#include <cstdlib>

namespace mwaatok::detail {

namespace {

constexpr int kTokenTtlSeconds = 21600;
// Use a token until shortly before IMDS expires it (as the Rust SDK does).
constexpr std::chrono::seconds kTokenMargin{120};

struct Setting {
	std::string value;
	std::string from; ///< variable or "key (path:line)"
};

std::optional<Setting> lookup(const Environment &env, const char *var, const SharedConfig *profile,
			      const char *key)
{
	if (auto v = env.get(var); v && !trim(*v).empty())
		return Setting{std::string(trim(*v)), var};
	if (profile) {
		if (const auto *p = profile->find(key); p && !trim(p->value).empty())
			return Setting{std::string(trim(p->value)),
				       std::string(key) + " (" + p->path + ":" + std::to_string(p->line) + ")"};
	}
	return std::nullopt;
}

std::string checkedEndpoint(const std::string &text, const std::string &from)
{
	try {
		Url::parse(text);
	} catch (const Error &e) {
		throw Error(ErrorKind::Config, from + ": invalid uri `" + text + "` (" + e.what() +
						       "): give a url such as http://169.254.169.254");
	}
	std::string s = text;
	while (!s.empty() && s.back() == '/')
		s.pop_back();
	return s;
}

std::string endpointForMode(const std::string &mode, const std::string &from)
{
	if (iequals(mode, "IPv4"))
		return "http://169.254.169.254";
	if (iequals(mode, "IPv6"))
		return "http://[fd00:ec2::254]";
	throw Error(ErrorKind::Config, from + ": `" + mode + "` is not a valid endpoint mode: use IPv4 or IPv6");
}

bool truthy(const std::optional<Setting> &s)
{
	return s && iequals(s->value, "true");
}

} // namespace

ImdsSettings imdsSettings(const Environment &env, const SharedConfig *profile,
			  const std::optional<std::string> &endpointOverride,
			  const std::optional<std::string> &modeOverride)
{
	ImdsSettings s;
	s.disabled = env.isTrue("AWS_EC2_METADATA_DISABLED");
	s.v1Disabled = truthy(lookup(env, "AWS_EC2_METADATA_V1_DISABLED", profile, "ec2_metadata_v1_disabled"));
	if (endpointOverride) {
		s.endpoint = checkedEndpoint(*endpointOverride, "the imds endpoint override");
	} else if (auto e = lookup(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT", profile,
				   "ec2_metadata_service_endpoint")) {
		s.endpoint = checkedEndpoint(e->value, e->from);
	} else if (modeOverride) {
		s.endpoint = endpointForMode(*modeOverride, "the imds endpoint mode override");
	} else if (auto m = lookup(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", profile,
				   "ec2_metadata_service_endpoint_mode")) {
		s.endpoint = endpointForMode(m->value, m->from);
	} else {
		s.endpoint = "http://169.254.169.254";
	}
	if (auto t = lookup(env, "AWS_METADATA_SERVICE_TIMEOUT", profile, "metadata_service_timeout")) {
		char *end = nullptr;
		double secs = std::strtod(t->value.c_str(), &end);
		if (end == t->value.c_str() || *end != '\0' || !(secs > 0) || secs > 3600)
			throw Error(ErrorKind::Config, t->from + ": `" + t->value +
							       "` is not a timeout in seconds, e.g. 1 or 2.5");
		s.timeout = std::chrono::milliseconds(static_cast<long long>(std::lround(secs * 1000)));
	}
	if (auto a = lookup(env, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", profile, "metadata_service_num_attempts")) {
		char *end = nullptr;
		long n = std::strtol(a->value.c_str(), &end, 10);
		if (end == a->value.c_str() || *end != '\0' || n < 1 || n > 10)
			throw Error(ErrorKind::Config,
				    a->from + ": `" + a->value + "` is not a number of attempts from 1 to 10");
		s.attempts = static_cast<int>(n);
	}
	if (auto n = lookup(env, "AWS_EC2_INSTANCE_PROFILE_NAME", profile, "ec2_instance_profile_name"))
		s.instanceProfileName = n->value;
	return s;
}

ImdsClient::ImdsClient(HttpTransport &http, Clock &clock, ImdsSettings settings)
	: http_(http), clock_(clock), settings_(std::move(settings))
{
}

std::optional<std::string> ImdsClient::token(bool refresh)
{
	std::lock_guard lock(mutex_);
	if (v1Fallback_)
		return std::nullopt;
	if (!refresh && token_ && clock_.now() < tokenExpiry_)
		return token_;
	HttpRequest req;
	req.method = "PUT";
	req.url = settings_.endpoint + "/latest/api/token";
	req.headers.push_back({"x-aws-ec2-metadata-token-ttl-seconds", std::to_string(kTokenTtlSeconds)});
	req.connectTimeout = settings_.timeout;
	req.readTimeout = settings_.timeout;
	std::string failure;
	for (int attempt = 0; attempt < settings_.attempts; ++attempt) {
		try {
			auto started = clock_.now();
			HttpResponse resp = http_.send(req);
			if (resp.status == 200 && !trim(resp.body).empty()) {
				token_ = std::string(trim(resp.body));
				tokenExpiry_ = started + std::chrono::seconds(kTokenTtlSeconds) - kTokenMargin;
				return token_;
			}
			if (resp.status == 403 || resp.status == 404 || resp.status == 405) {
				if (settings_.v1Disabled)
					throw ImdsUnavailable("the imdsv2 token request got http " +
							      std::to_string(resp.status) +
							      " and the imdsv1 fallback is disabled "
							      "(AWS_EC2_METADATA_V1_DISABLED / ec2_metadata_v1_disabled)");
				// The documented fallback: this instance serves IMDSv1 only.
				v1Fallback_ = true;
				token_.reset();
				return std::nullopt;
			}
			if (resp.status == 400)
				throw ImdsUnavailable("imds rejected the token request (http 400)");
			failure = "the imds token request got http " + std::to_string(resp.status);
		} catch (const NetworkError &e) {
			failure = "imds at " + settings_.endpoint + " is not reachable (" + e.what() + ")";
		}
	}
	throw ImdsUnavailable(failure);
}

HttpResponse ImdsClient::get(const std::string &path)
{
	HttpRequest req;
	req.method = "GET";
	req.url = settings_.endpoint + path;
	req.connectTimeout = settings_.timeout;
	req.readTimeout = settings_.timeout;
	bool refreshed = false;
	std::string failure;
	for (int attempt = 0; attempt < settings_.attempts;) {
		auto tok = token(false);
		req.headers.clear();
		if (tok)
			req.headers.push_back({"x-aws-ec2-metadata-token", *tok});
		try {
			HttpResponse resp = http_.send(req);
			if (resp.status == 401 && tok && !refreshed) {
				// The token expired early (e.g. the instance was stopped): get a new one.
				refreshed = true;
				token(true);
				continue;
			}
			if (resp.status < 500)
				return resp;
			failure = "imds GET " + path + " got http " + std::to_string(resp.status);
		} catch (const NetworkError &e) {
			failure = "imds at " + settings_.endpoint + " is not reachable (" + e.what() + ")";
		}
		++attempt;
	}
	throw ImdsUnavailable(failure);
}

} // namespace mwaatok::detail

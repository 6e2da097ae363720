#include "mwaatok/credential_provider.h"

#include "core/strings.h"
#include "credentials/credentials_util.h"
#include "mwaatok/clock.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/filesystem.h"
#include "mwaatok/http.h"
#include "mwaatok/url.h"

#include <arpa/inet.h>
#include <netinet/in.h>

namespace mwaatok {

namespace {

/// False when the deadline in force on this thread passes before \a wait ends.
bool deadlineAllows(std::chrono::steady_clock::duration wait)
{
	auto deadline = DeadlineScope::current();
	return !deadline || std::chrono::steady_clock::now() + wait < *deadline;
}

constexpr int kAttempts = 3; // botocore: 3 attempts, 1 s apart, 2 s timeout
constexpr std::chrono::milliseconds kTimeout{2000};
constexpr std::chrono::milliseconds kRetryDelay{1000};

/// localhost, an IPv4 literal in 127.0.0.0/8 or the IPv6 loopback literal; a
/// name that merely starts with "127." (127.evil.example) is not loopback.
bool loopbackHost(const std::string &host)
{
	if (host == "localhost")
		return true;
	if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
		in6_addr v6{};
		return inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &v6) == 1 &&
		       IN6_IS_ADDR_LOOPBACK(&v6);
	}
	in_addr v4{};
	return inet_pton(AF_INET, host.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

class ContainerProvider final : public CredentialProvider {
public:
	explicit ContainerProvider(const ProviderContext &ctx) : ctx_(ctx) {}

	std::string_view name() const override { return "container"; }

	std::optional<Credentials> resolve(std::string &whyNot) override
	{
		auto url = containerCredentialsUrl(ctx_.env);
		if (!url) {
			whyNot = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI "
				 "are not set";
			return std::nullopt;
		}
		HttpRequest req;
		req.method = "GET";
		req.url = *url;
		req.headers.push_back({"Accept", "application/json"});
		if (auto token = authorization())
			req.headers.push_back({"Authorization", *token});
		req.connectTimeout = kTimeout;
		req.readTimeout = kTimeout;
		const std::string what = "container credentials from " + *url;
		for (int attempt = 1;; ++attempt) {
			std::string failure;
			try {
				HttpResponse resp = ctx_.http.send(req);
				if (resp.status == 200)
					return parse(resp.body, what);
				failure = what + ": http " + std::to_string(resp.status);
				if (auto j = detail::parseJsonObject(resp.body)) {
					std::string message = detail::jsonString(*j, "message");
					if (message.empty())
						message = detail::jsonString(*j, "Message");
					if (!message.empty())
						failure += ": " + detail::oneLine(redactSecrets(message), 200);
				}
				if (resp.status < 500 && resp.status != 429)
					throw Error(ErrorKind::Credentials, failure);
			} catch (const NetworkError &e) {
				failure = what + ": " + e.what();
			}
			// No retry that would end past the run's deadline (--timeout).
			if (attempt >= kAttempts || !deadlineAllows(kRetryDelay))
				throw Error(ErrorKind::Credentials, failure);
			ctx_.clock.sleepFor(kRetryDelay);
		}
	}

private:
	std::optional<std::string> authorization() const
	{
		if (auto file = ctx_.env.getNonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
			auto text = detail::readCapped(ctx_.fs, *file, detail::kMaxTokenFile,
						       "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE names", ErrorKind::Credentials);
			if (!text)
				throw Error(ErrorKind::Credentials,
					    "environment variable AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE names " + *file +
						    ", which does not exist: fix the variable or unset it");
			return checked(std::string(trim(*text)), "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
		}
		if (auto token = ctx_.env.getNonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN"))
			return checked(*token, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
		return std::nullopt;
	}

	static std::string checked(std::string token, const char *source)
	{
		if (token.find_first_of("\r\n") != std::string::npos)
			throw Error(ErrorKind::Credentials,
				    std::string("the token from ") + source + " contains a line break: remove it");
		return token;
	}

	static Credentials parse(const std::string &body, const std::string &what)
	{
		auto j = detail::parseJsonObject(body);
		if (!j)
			throw Error(ErrorKind::Credentials, what + ": the response is not a json object");
		Credentials c = detail::credentialsFromJson(*j, {"Token", "Expiration"}, what);
		c.source = "container-role";
		return c;
	}

	ProviderContext ctx_;
};

} // namespace

std::optional<std::string> containerCredentialsUrl(const Environment &env)
{
	if (auto rel = env.getNonEmpty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
		// Without the slash the value would become part of the host name.
		if (rel->front() != '/')
			throw Error(ErrorKind::Credentials,
				    "environment variable AWS_CONTAINER_CREDENTIALS_RELATIVE_URI `" + detail::oneLine(*rel, 80) +
					    "` must start with `/`, e.g. /v2/credentials/ID");
		return "http://169.254.170.2" + *rel;
	}
	auto full = env.getNonEmpty("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	if (!full)
		return std::nullopt;
	Url url;
	try {
		url = Url::parse(*full);
	} catch (const Error &e) {
		throw Error(ErrorKind::Credentials,
			    "environment variable AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid url (" + std::string(e.what()) +
				    "): it needs a scheme and a host, e.g. http://169.254.170.23/v1/credentials");
	}
	if (url.scheme != "https" && !loopbackHost(url.host) && url.host != "169.254.170.2" &&
	    url.host != "169.254.170.23" && url.host != "[fd00:ec2::23]")
		throw Error(ErrorKind::Credentials,
			    "environment variable AWS_CONTAINER_CREDENTIALS_FULL_URI host `" + url.host +
				    "` is not allowed over http: use https, a loopback address, 169.254.170.2, "
				    "169.254.170.23 or fd00:ec2::23");
	return *full;
}

std::unique_ptr<CredentialProvider> makeContainerProvider(const ProviderContext &ctx)
{
	return std::make_unique<ContainerProvider>(ctx);
}

} // namespace mwaatok

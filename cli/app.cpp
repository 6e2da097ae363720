#include "app.h"

#include "mwaatok/error.h"
#include "mwaatok/poco_http_transport.h"

namespace mwaatok::cli {

App::App(Options options) : options_(std::move(options)) {}

HttpTransport &App::transport()
{
	if (!transport_) {
		TransportConfig config = TransportConfig::fromEnvironment(env_);
		for (const auto &spec : options_.connectTo)
			config.connectTo.push_back(ConnectTo::parse(spec));
		transport_ = std::make_unique<PocoHttpTransport>(std::move(config));
	}
	return *transport_;
}

void App::trace(const std::string &line) const
{
	if (options_.verbose)
		std::cerr << "mwaatok: " << line << "\n";
}

void App::warn(const std::string &line) const
{
	if (!options_.quiet)
		std::cerr << "mwaatok: warning: " << line << "\n";
}

Credentials App::credentials(const std::string &)
{
	auto id = env_.getNonEmpty("AWS_ACCESS_KEY_ID");
	auto secret = env_.getNonEmpty("AWS_SECRET_ACCESS_KEY");
	if (!id || !secret)
		throw Error(ErrorKind::Credentials,
			    "no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
	Credentials c;
	c.accessKeyId = *id;
	c.secretAccessKey = *secret;
	if (auto t = env_.getNonEmpty("AWS_SESSION_TOKEN"))
		c.sessionToken = *t;
	c.source = "env";
	return c;
}

std::string App::region(const std::string &)
{
	if (options_.region)
		return *options_.region;
	if (auto r = env_.getNonEmpty("AWS_REGION"))
		return *r;
	if (auto r = env_.getNonEmpty("AWS_DEFAULT_REGION"))
		return *r;
	return {};
}

} // namespace mwaatok::cli

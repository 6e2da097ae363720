#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mwaatok/aws_client.h"
#include "mwaatok/environment.h"
#include "mwaatok/syntax.h" // isValidEnvironmentName
#include "mwaatok/url.h"

namespace mwaatok {

struct AirflowRequest;  // mwaatok/rest_api.h
struct AirflowResponse; // mwaatok/rest_api.h
struct EnvironmentPage; // mwaatok/list_environments.h

/// Which MWAA host an operation goes to (botocore's endpoint.hostPrefix).
enum class HostPrefix {
	Env, ///< "env.": CreateWebLoginToken, CreateCliToken, InvokeRestApi
	Api, ///< "api.": GetEnvironment and the other management calls
};

/// How the MWAA endpoint is chosen (SPEC §5).
struct MwaaEndpointConfig {
	std::string region;
	std::optional<std::string> endpointUrl; ///< custom endpoint (no host prefix yet)
	bool useFips = false;
	bool useDualStack = false;
	bool injectHostPrefix = true;

	/// Fill the switches from AWS_ENDPOINT_URL_MWAA, AWS_ENDPOINT_URL,
	/// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, AWS_USE_FIPS_ENDPOINT,
	/// AWS_USE_DUALSTACK_ENDPOINT and AWS_DISABLE_HOST_PREFIX_INJECTION.
	/// \a explicitUrl (--endpoint-url) beats the variables; \a configuredUrl
	/// (the YAML or AWS profile endpoint_url) comes after them.
	static MwaaEndpointConfig fromEnvironment(const Environment &env, std::string region,
						  std::optional<std::string> explicitUrl,
						  std::optional<std::string> configuredUrl);
};

/// The base URL for \a prefix: partition rules, FIPS, dual-stack, custom
/// endpoints and host prefix injection (not for IP literals, localhost, or a
/// host that already starts with the prefix). Throws Error(Config).
Url mwaaEndpoint(const MwaaEndpointConfig &config, HostPrefix prefix);

/// Throws Error(Usage) saying why \a name is not a valid environment name.
void checkEnvironmentName(std::string_view name);
/// A bare DNS host name as the API's Hostname shape allows (no scheme, port or
/// path), with a dot and no all-numeric or 0x label: never an IP address.
bool isValidHostname(std::string_view host);
/// The major version of an Airflow version string ("2.10.3" -> 2); 0 if unknown.
int airflowMajorVersion(std::string_view version);

/// The browser login URL for a web token: Airflow 2
/// https://HOST/aws_mwaa/aws-console-sso?login=true#TOKEN, Airflow 3 under
/// /pluginsv2. \a pathOverride replaces the path. Throws Error(Service) for a
/// hostname that is not a valid host name.
std::string loginUrl(std::string_view hostname, std::string_view webToken, int airflowMajor,
		     const std::optional<std::string> &pathOverride = std::nullopt);

struct WebLoginToken {
	std::string webToken;
	std::string webServerHostname;
	std::string iamIdentity;
	std::string airflowIdentity;
};

struct CliToken {
	std::string cliToken;
	std::string webServerHostname;
};

struct EnvironmentInfo {
	std::string name;
	std::string arn;
	std::string airflowVersion;
	std::string status;
	std::string webserverUrl;
};

/// What the web server's /aws_mwaa/cli endpoint answered, decoded.
struct AirflowCliResult {
	std::string stdoutText;
	std::string stderrText;
};

/// POST the Airflow CLI \a command (without the leading "airflow") to
/// https://HOST/aws_mwaa/cli with the CLI token as a bearer token. Throws
/// Error(Service) for an error status (with the decoded stderr when there is
/// one) or a response that is not the documented JSON.
AirflowCliResult invokeAirflowCli(HttpTransport &transport, const CliToken &token,
				  const std::string &command, std::chrono::milliseconds timeout);

/// The MWAA operations mwaatok needs, over an AwsClient.
class MwaaClient {
public:
	MwaaClient(AwsClient &client, MwaaEndpointConfig endpoint, CallOptions options);

	/// POST /webtoken/{Name}. The raw JSON body is kept in \a rawJson when given.
	WebLoginToken createWebLoginToken(const std::string &name, std::string *rawJson = nullptr);
	/// POST /clitoken/{Name}.
	CliToken createCliToken(const std::string &name);
	/// GET /environments/{Name}.
	EnvironmentInfo getEnvironment(const std::string &name);
	/// POST /restapi/{Name} (rest_api.cpp): Airflow's answer, its errors
	/// (RestApiClientException, RestApiServerException) included; throws
	/// Error(Usage) for a bad request before sending, ServiceError for MWAA's own errors.
	AirflowResponse invokeRestApi(const std::string &name, const AirflowRequest &request);
	/// GET /environments?MaxResults&NextToken (list_environments.cpp): one page.
	EnvironmentPage listEnvironments(const std::string &nextToken = {}, int maxResults = 25);

	const MwaaEndpointConfig &endpoint() const { return endpoint_; }

private:
	HttpResponse call(const std::string &method, HostPrefix prefix, const std::string &path,
			  const std::string &name, const std::string &operation);

	AwsClient &client_;
	MwaaEndpointConfig endpoint_;
	CallOptions options_;
};

} // namespace mwaatok

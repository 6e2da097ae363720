#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mwaatok/aws_client.h"

namespace mwaatok {

/// The signing name and region an AWS host name implies
/// ("env.airflow.us-east-1.amazonaws.com" -> {"airflow", "us-east-1"});
/// empty parts when the host says nothing (not an AWS host, or a global one).
std::pair<std::string, std::string> inferServiceAndRegion(std::string_view host);

/// A `mwaatok request` as the user typed it.
struct RawRequestSpec {
	std::string method;
	std::string url;
	std::vector<std::string> headers; ///< "Name: value"
	std::string body;
	std::optional<std::string> service;
	std::string region; ///< may be empty: then inferred from the host
	std::string fallbackRegion; ///< the configured region, when the host implies none
	bool unsignedPayload = false;
};

/// Validate and turn \a spec into a request and call options; throws
/// Error(Usage) naming what is wrong (method, URL, header, encoding).
std::pair<AwsRequest, CallOptions> prepareRawRequest(const RawRequestSpec &spec);

/// True when \a s is well-formed UTF-8.
bool isValidUtf8(std::string_view s);

} // namespace mwaatok

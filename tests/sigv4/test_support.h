#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "mwaatok/sigv4.h"

namespace mwaatok::test {

/// A request parsed from the suites' request.txt / .req text.
struct ParsedRequest {
	std::string method;
	std::string path; ///< as in the request line (may hold raw UTF-8 or spaces)
	std::string query;
	HttpHeaders headers;
	std::string body;

	/// A view for the signer; the body must outlive it.
	sigv4::SignableRequest signable() const;
};

/// An aws-c-auth case's context.json, as signing parameters.
struct AwsCAuthContext {
	Credentials credentials;
	std::string region, service;
	std::string time; ///< "20150830T123600Z"
	bool normalize = true;
	bool signBody = false;
	bool omitSessionToken = false;
	std::chrono::seconds expires{ 0 };

	/// Parameters for header or query mode; they point into this object.
	sigv4::SigningParams params(bool queryMode) const;
};

/// Read \a dir/context.json.
AwsCAuthContext loadAwsCAuthContext(const std::string &dir);

/// Header-mode parameters for \a creds (which must outlive them) at \a amzDate.
sigv4::SigningParams signingParams(const Credentials &creds, std::string region, std::string service,
				   const std::string &amzDate);

/// The sigv4 test data directory (from MWAATOK_TEST_DATA); empty when unset.
std::string dataDir();
/// The file's bytes with every '\r' removed; throws when it cannot be read.
std::string readText(const std::string &path);
/// True when \a path exists.
bool exists(const std::string &path);
/// Names of the subdirectories of \a dir, sorted; empty when \a dir is missing.
std::vector<std::string> subdirectories(const std::string &dir);
/// Parse "METHOD target HTTP/1.1", headers (with folded continuation lines), body.
ParsedRequest parseRequest(const std::string &text);
/// "20150830T123600Z" as a time point; throws on bad input.
std::chrono::system_clock::time_point parseTime(const std::string &amzDate);
/// The value of the first header \a name in \a headers, or "" when absent.
std::string headerValue(const HttpHeaders &headers, std::string_view name);
/// The first "X-Amz-Signature=" value in \a text, or "".
std::string querySignature(const std::string &text);
/// The "Authorization:" header value in a signed-request text, or "".
std::string authorizationLine(const std::string &text);

} // namespace mwaatok::test

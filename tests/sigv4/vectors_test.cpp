// Every published SigV4 vector, one Boost.Test case per vector and mode, each
// stage compared byte for byte.
#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "core/crypto.h"
#include "core/strings.h"
#include "mwaatok/url.h"
#include "test_support.h"

using namespace mwaatok;
using namespace mwaatok::test;
namespace utf = boost::unit_test;

namespace {

const std::string suiteTime = "20150830T123600Z";
const std::string suiteAccessKey = "AKIDEXAMPLE";
const std::string suiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

Poco::JSON::Object::Ptr parseJson(const std::string &text)
{
	Poco::JSON::Parser parser;
	return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

// Each stage function on its own must give the same text as sign().
void checkStages(const sigv4::SignableRequest &req, const sigv4::SigningParams &params,
		 const sigv4::SigningOutput &out)
{
	BOOST_TEST(sigv4::canonicalRequest(req, params) == out.canonicalRequest);
	std::string scope = sigv4::credentialScope(params.time, params.region, params.service);
	BOOST_TEST(sigv4::stringToSign(params.time, scope, out.canonicalRequest) == out.stringToSign);
	std::string key = sigv4::signingKey(params.credentials->secretAccessKey, scope.substr(0, 8), params.region,
					    params.service);
	BOOST_TEST(sigv4::signature(key, out.stringToSign) == out.signature);
}

std::string authorizationOf(const sigv4::SigningOutput &out)
{
	return headerValue(out.headers, "Authorization");
}

std::string queryParam(const sigv4::SigningOutput &out, std::string_view name)
{
	for (const auto &[k, v] : out.queryParams)
		if (k == name)
			return v;
	return {};
}

// --- aws-c-auth v4 -------------------------------------------------------

void runAwsCAuth(const std::string &dir, bool queryMode)
{
	const AwsCAuthContext ctx = loadAwsCAuthContext(dir);
	const Credentials &creds = ctx.credentials;
	const std::string &stamp = ctx.time;
	sigv4::SigningParams params = ctx.params(queryMode);

	ParsedRequest parsed = parseRequest(readText(dir + "/request.txt"));
	auto req = parsed.signable();
	auto out = sigv4::sign(req, params);

	std::string prefix = dir + (queryMode ? "/query-" : "/header-");
	BOOST_TEST(out.canonicalRequest == readText(prefix + "canonical-request.txt"));
	BOOST_TEST(out.stringToSign == readText(prefix + "string-to-sign.txt"));
	BOOST_TEST(out.signature == std::string(trim(readText(prefix + "signature.txt"))));
	checkStages(req, params, out);

	std::string signedRequest = readText(prefix + "signed-request.txt");
	if (!queryMode) {
		BOOST_TEST(out.queryParams.empty());
		BOOST_TEST(authorizationOf(out) == authorizationLine(signedRequest));
		BOOST_TEST(headerValue(out.headers, "X-Amz-Date") == stamp);
		BOOST_TEST(headerValue(out.headers, "X-Amz-Security-Token") == creds.sessionToken);
	} else {
		BOOST_TEST(out.headers.empty());
		BOOST_TEST(queryParam(out, "X-Amz-Signature") == querySignature(signedRequest));
		if (!creds.sessionToken.empty()) {
			std::string token = queryParam(out, "X-Amz-Security-Token");
			BOOST_TEST(token == uriEncode(creds.sessionToken));
			BOOST_TEST(signedRequest.find("X-Amz-Security-Token=" + token) != std::string::npos);
		}
	}
}

// --- the original AWS suite, as botocore keeps it --------------------------

void runBotocoreSuite(const std::string &dir, const std::string &name)
{
	std::string base = dir + "/" + name;
	ParsedRequest parsed = parseRequest(readText(base + ".req"));
	Credentials creds{ suiteAccessKey, suiteSecret, "", std::nullopt, "", "test" };
	sigv4::SigningParams params = signingParams(creds, "us-east-1", "service", suiteTime);

	std::string creq = readText(base + ".creq");
	if (name == "get-vanilla-with-session-token") {
		// The token is only shown in the expected canonical request.
		for (std::string_view line : split(creq, '\n'))
			if (startsWith(line, "x-amz-security-token:"))
				creds.sessionToken = std::string(line.substr(21));
		BOOST_REQUIRE(!creds.sessionToken.empty());
	} else if (name == "post-sts-header-after") {
		creds.sessionToken = headerValue(parseRequest(readText(base + ".sreq")).headers, "X-Amz-Security-Token");
		BOOST_REQUIRE(!creds.sessionToken.empty());
		params.settings.signSessionToken = false;
	}

	auto req = parsed.signable();
	auto out = sigv4::sign(req, params);
	BOOST_TEST(out.canonicalRequest == creq);
	BOOST_TEST(out.stringToSign == readText(base + ".sts"));
	BOOST_TEST(authorizationOf(out) == readText(base + ".authz"));
	checkStages(req, params, out);
	if (!creds.sessionToken.empty())
		BOOST_TEST(headerValue(out.headers, "X-Amz-Security-Token") == creds.sessionToken);
}

std::vector<std::pair<std::string, std::string>> botocoreCases(const std::string &root)
{
	std::vector<std::pair<std::string, std::string>> cases;
	for (const auto &d : subdirectories(root)) {
		std::string dir = root + "/" + d;
		if (exists(dir + "/" + d + ".req")) {
			cases.emplace_back(dir, d);
			continue;
		}
		for (const auto &sub : subdirectories(dir))
			if (exists(dir + "/" + sub + "/" + sub + ".req"))
				cases.emplace_back(dir + "/" + sub, sub);
	}
	return cases;
}

// --- smithy-rs double-encoding extras ----------------------------------------

void runDoubleEncodePath(const std::string &dir)
{
	ParsedRequest parsed = parseRequest(readText(dir + "/request.txt"));
	auto req = parsed.signable();
	Credentials creds{ "ANOTREAL", "notrealrnrELgWzOk3IfjzDKtFBhDby", "", std::nullopt, "", "test" };
	// The expected canonical request was made at another time than the signature.
	sigv4::SigningParams params = signingParams(creds, "us-east-1", "service", "20210511T154045Z");
	BOOST_TEST(sigv4::canonicalRequest(req, params) == readText(dir + "/header-canonical-request.txt"));
	params.time = parseTime(suiteTime);
	auto out = sigv4::sign(req, params);
	BOOST_TEST(authorizationOf(out) == authorizationLine(readText(dir + "/header-signed-request.txt")));
	checkStages(req, params, out);
}

void runDoubleUrlEncode(const std::string &dir)
{
	ParsedRequest parsed = parseRequest(readText(dir + "/request.txt"));
	auto req = parsed.signable();
	Credentials creds{ suiteAccessKey, suiteSecret, "", std::nullopt, "", "test" };
	sigv4::SigningParams params = signingParams(creds, "us-east-2", "lambda", "20210511T154045Z");
	auto out = sigv4::sign(req, params);
	BOOST_TEST(out.canonicalRequest == readText(dir + "/header-canonical-request.txt"));
	std::string sts = readText(dir + "/header-string-to-sign.txt");
	// This one file ends with a newline that is not part of the string to sign.
	BOOST_TEST(out.stringToSign + "\n" == sts);
	BOOST_TEST(authorizationOf(out) == authorizationLine(readText(dir + "/header-signed-request.txt")));
	checkStages(req, params, out);
}

// --- S3 documentation examples -------------------------------------------

void runS3Example(const std::string &file, unsigned index)
{
	auto doc = parseJson(readText(file));
	auto credsJson = doc->getObject("credentials");
	Credentials creds{ credsJson->getValue<std::string>("access_key_id"),
			   credsJson->getValue<std::string>("secret_access_key"), "", std::nullopt, "", "test" };
	auto settings = doc->getObject("settings");
	auto t = doc->getArray("tests")->getObject(index);
	auto request = t->getObject("request");
	auto expected = t->getObject("expected");
	bool queryMode = t->getValue<std::string>("signature_location") == "query";

	ParsedRequest parsed;
	parsed.method = request->getValue<std::string>("method");
	// The examples give the raw object key; on the wire it is encoded once.
	parsed.path = uriEncode(request->getValue<std::string>("path"), true);
	parsed.query = request->getValue<std::string>("query");
	auto headers = request->getArray("headers");
	for (unsigned i = 0; i < headers->size(); ++i) {
		auto pair = headers->getArray(i);
		parsed.headers.push_back({ pair->getElement<std::string>(0), pair->getElement<std::string>(1) });
	}
	parsed.body = request->getValue<std::string>("body");

	sigv4::SigningParams params = signingParams(creds, doc->getValue<std::string>("region"),
						    doc->getValue<std::string>("service"),
						    doc->getValue<std::string>("timestamp"));
	params.settings.normalizePath = settings->getValue<bool>("normalize_uri_path");
	params.settings.doubleUriEncode = settings->getValue<bool>("double_uri_encode");
	std::string payloadHash = t->getValue<std::string>("payload_hash");
	if (payloadHash == "UNSIGNED-PAYLOAD") {
		params.settings.payload = sigv4::PayloadMode::Unsigned;
	} else {
		params.settings.payload = sigv4::PayloadMode::Given;
		params.settings.payloadHash = payloadHash;
		// The given hash is the body's; hashing it ourselves must agree.
		BOOST_TEST(crypto::sha256Hex(parsed.body) == payloadHash);
	}
	if (queryMode) {
		params.settings.location = sigv4::SignatureLocation::QueryParams;
		params.settings.expires = std::chrono::seconds(t->getValue<int>("expires_in_seconds"));
	} else {
		params.settings.addContentSha256Header = true;
	}

	auto req = parsed.signable();
	auto out = sigv4::sign(req, params);
	BOOST_TEST(out.canonicalRequest == expected->getValue<std::string>("canonical_request"));
	BOOST_TEST(out.stringToSign == expected->getValue<std::string>("string_to_sign"));
	BOOST_TEST(out.signature == expected->getValue<std::string>("signature"));
	checkStages(req, params, out);
	if (queryMode) {
		std::string url = "https://" + headerValue(parsed.headers, "Host") + parsed.path + "?";
		for (size_t i = 0; i < out.queryParams.size(); ++i)
			url += (i ? "&" : "") + out.queryParams[i].first + "=" + out.queryParams[i].second;
		BOOST_TEST(url == expected->getValue<std::string>("url"));
	} else {
		// The docs print the header without the spaces SDKs put after commas.
		std::string auth = authorizationOf(out);
		std::string compact;
		for (std::string_view part : split(auth, ','))
			compact += (compact.empty() ? "" : ",") + std::string(trim(part));
		BOOST_TEST(compact == expected->getValue<std::string>("authorization"));
		BOOST_TEST(headerValue(out.headers, "x-amz-content-sha256") == payloadHash);
	}
}

std::vector<std::string> s3ExampleNames(const std::string &file)
{
	std::vector<std::string> names;
	if (!exists(file))
		return names;
	auto tests = parseJson(readText(file))->getArray("tests");
	for (unsigned i = 0; i < tests->size(); ++i)
		names.push_back(tests->getObject(i)->getValue<std::string>("name"));
	return names;
}

// --- registration ----------------------------------------------------------

struct Counts {
	size_t awsCAuth = 0, botocore = 0, smithy = 0, s3 = 0;
};

Counts &counts()
{
	static Counts c;
	return c;
}

void add(utf::test_suite *suite, const std::string &name, std::function<void()> fn)
{
	suite->add(utf::make_test_case(fn, name, __FILE__, __LINE__));
}

struct Registrar {
	Registrar()
	{
		std::string root = dataDir();
		auto &master = utf::framework::master_test_suite();

		auto *awsCAuth = BOOST_TEST_SUITE("aws_c_auth_v4");
		for (const auto &name : subdirectories(root + "/aws-c-auth-v4")) {
			std::string dir = root + "/aws-c-auth-v4/" + name;
			add(awsCAuth, name + "_header", [dir] { runAwsCAuth(dir, false); });
			add(awsCAuth, name + "_query", [dir] { runAwsCAuth(dir, true); });
			++counts().awsCAuth;
		}
		master.add(awsCAuth);

		auto *botocore = BOOST_TEST_SUITE("aws4_testsuite");
		for (const auto &[dir, name] : botocoreCases(root + "/aws4_testsuite-botocore")) {
			add(botocore, name, [dir = dir, name = name] { runBotocoreSuite(dir, name); });
			++counts().botocore;
		}
		master.add(botocore);

		auto *smithy = BOOST_TEST_SUITE("smithy_rs_extra");
		std::string smithyDir = root + "/smithy-rs-extra";
		for (const auto &name : subdirectories(smithyDir)) {
			std::string dir = smithyDir + "/" + name;
			if (name == "double-encode-path")
				add(smithy, name, [dir] { runDoubleEncodePath(dir); });
			else if (name == "double-url-encode")
				add(smithy, name, [dir] { runDoubleUrlEncode(dir); });
			else
				add(smithy, name, [name] { BOOST_FAIL("no runner for smithy-rs case " + name); });
			++counts().smithy;
		}
		master.add(smithy);

		auto *s3 = BOOST_TEST_SUITE("s3_doc_examples");
		std::string s3File = root + "/s3-doc-examples.json";
		auto names = s3ExampleNames(s3File);
		for (unsigned i = 0; i < names.size(); ++i) {
			add(s3, names[i], [s3File, i] { runS3Example(s3File, i); });
			++counts().s3;
		}
		master.add(s3);
	}
};

const Registrar registrar;

} // namespace

BOOST_AUTO_TEST_CASE(every_vector_is_found)
{
	BOOST_TEST(!dataDir().empty());
	BOOST_TEST(counts().awsCAuth == 38u);
	BOOST_TEST(counts().botocore == 34u);
	BOOST_TEST(counts().smithy == 2u);
	BOOST_TEST(counts().s3 == 5u);
}

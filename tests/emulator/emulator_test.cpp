#define BOOST_TEST_MODULE emulator
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include <Poco/Base64Decoder.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>

#include "mwaatok/clock.h"
#include "mwaatok/credentials.h"
#include "mwaatok/sigv4.h"

using namespace mwaatok;

namespace {

std::string env(const char *name)
{
	const char *v = std::getenv(name);
	BOOST_TEST_REQUIRE(v, name << " is not set (run through meson test)");
	return v;
}

std::string dataFile(const std::string &name)
{
	return env("MWAATOK_TEST_DATA") + "/emulator/" + name;
}

std::string readAll(const std::string &path)
{
	std::ifstream in(path);
	return { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
}

/// The emulator as a child process, stopped with SIGINT when it goes away.
class Emulator {
public:
	explicit Emulator(std::vector<std::string> args)
		: handle_(launch(args)), out_(pipe_)
	{
		std::getline(out_, line_);
		BOOST_TEST_REQUIRE(line_.rfind("listening on http", 0) == 0u, "emulator said: " << line_);
		port_ = static_cast<unsigned short>(std::stoi(line_.substr(line_.rfind(':') + 1)));
	}

	~Emulator()
	{
		if (!stopped_)
			stop();
	}

	/// SIGINT, then the exit status.
	int stop()
	{
		stopped_ = true;
		Poco::Process::requestTermination(handle_.id());
		return handle_.wait();
	}

	unsigned short port() const { return port_; }
	const std::string &line() const { return line_; }

private:
	Poco::ProcessHandle launch(const std::vector<std::string> &args)
	{
		return Poco::Process::launch(env("EMULATOR"), args, nullptr, &pipe_, nullptr);
	}

	Poco::Pipe pipe_;
	Poco::ProcessHandle handle_;
	Poco::PipeInputStream out_;
	std::string line_;
	unsigned short port_ = 0;
	bool stopped_ = false;
};

struct Answer {
	int status = 0;
	std::string body;
	std::string errorType;
	std::string contentType;
	std::string requestId;
	std::string date;
};

/// Send one request and read the whole answer; Poco exceptions propagate.
Answer exchange(Poco::Net::HTTPClientSession &session, const std::string &method, const std::string &path,
		const HttpHeaders &headers, const std::string &body = "")
{
	Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
	for (const auto &h : headers)
		req.set(h.name, h.value);
	if (method == "POST")
		req.setContentLength(static_cast<std::streamsize>(body.size()));
	session.sendRequest(req) << body;
	Poco::Net::HTTPResponse resp;
	std::istream &in = session.receiveResponse(resp);
	Answer a;
	a.status = resp.getStatus();
	Poco::StreamCopier::copyToString(in, a.body);
	a.errorType = resp.get("X-Amzn-ErrorType", "");
	a.contentType = resp.getContentType();
	a.requestId = resp.get("x-amzn-RequestId", "");
	a.date = resp.get("Date", "");
	return a;
}

Credentials key(const std::string &id, const std::string &secret, const std::string &token = "")
{
	Credentials c;
	c.accessKeyId = id;
	c.secretAccessKey = secret;
	c.sessionToken = token;
	return c;
}

const Credentials kKey1 = key("AKIDEMULATOR0001", "emulator-secret-0001");

struct SignOptions {
	std::string region = "us-east-1";
	std::string service = "airflow";
	std::string host; ///< empty: 127.0.0.1:PORT
	Clock::time_point time = SystemClock().now();
};

/// The headers of a request to \a session, SigV4-signed over exactly what is sent.
HttpHeaders signedHeaders(const Poco::Net::HTTPClientSession &session, const std::string &method,
			  const std::string &path, const Credentials &creds = kKey1, const SignOptions &o = {})
{
	std::string host = o.host.empty() ? "127.0.0.1:" + std::to_string(session.getPort()) : o.host;
	HttpHeaders headers{ { "Host", host } };
	sigv4::SigningParams params;
	params.credentials = &creds;
	params.region = o.region;
	params.service = o.service;
	params.time = o.time;
	sigv4::applyHeaders(headers, sigv4::sign({ method, path, "", headers, "" }, params));
	return headers;
}

/// A signed request to the emulator.
Answer aws(Poco::Net::HTTPClientSession &session, const std::string &method, const std::string &path,
	   const Credentials &creds = kKey1, const SignOptions &o = {})
{
	return exchange(session, method, path, signedHeaders(session, method, path, creds, o));
}

Poco::JSON::Object::Ptr json(const std::string &text)
{
	return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string base64Decode(const std::string &text)
{
	std::istringstream in(text);
	Poco::Base64Decoder decoder(in);
	return { std::istreambuf_iterator<char>(decoder), std::istreambuf_iterator<char>() };
}

/// One emulator with the basic configuration, shared by the cases that only read.
struct Basic {
	Basic()
		: logFile(), emulator({ "--config", dataFile("basic.json"), "--log", logFile.path() }),
		  session("127.0.0.1", emulator.port())
	{
	}

	Poco::TemporaryFile logFile;
	Emulator emulator;
	Poco::Net::HTTPClientSession session;
};

} // namespace

BOOST_AUTO_TEST_SUITE(api)

BOOST_FIXTURE_TEST_CASE(signed_web_login_token_has_the_model_members, Basic)
{
	BOOST_TEST(emulator.line() == "listening on http://127.0.0.1:" + std::to_string(emulator.port()));
	Answer a = aws(session, "POST", "/webtoken/prod");
	BOOST_TEST_REQUIRE(a.status == 200, a.body);
	BOOST_TEST(a.contentType == "application/json");
	BOOST_TEST(!a.requestId.empty());
	auto o = json(a.body);
	BOOST_TEST(o->getValue<std::string>("WebToken").size() >= 32u);
	BOOST_TEST(o->getValue<std::string>("WebServerHostname").find(".c2.us-east-1.airflow.amazonaws.com") !=
		   std::string::npos);
	BOOST_TEST(o->getValue<std::string>("IamIdentity") == "assumed-role/mwaa-emulator/AKIDEMULATOR0001");
	BOOST_TEST(o->getValue<std::string>("AirflowIdentity") == "assumed-role/mwaa-emulator/AKIDEMULATOR0001");

	// Fresh token per call, same host name; the env. host prefix is accepted too.
	SignOptions prefixed;
	prefixed.host = "env.airflow.us-east-1.amazonaws.com";
	Answer b = aws(session, "POST", "/webtoken/prod", kKey1, prefixed);
	BOOST_TEST_REQUIRE(b.status == 200, b.body);
	BOOST_TEST(json(b.body)->getValue<std::string>("WebToken") != o->getValue<std::string>("WebToken"));
	BOOST_TEST(json(b.body)->getValue<std::string>("WebServerHostname") ==
		   o->getValue<std::string>("WebServerHostname"));
	// A configured host name is returned as is.
	Answer c = aws(session, "POST", "/webtoken/next");
	BOOST_TEST(json(c.body)->getValue<std::string>("WebServerHostname") == "next.example-mwaa.test");
}

BOOST_FIXTURE_TEST_CASE(bad_signatures_are_refused_with_aws_error_types, Basic)
{
	Answer unsigned_ = exchange(session, "POST", "/webtoken/prod", { { "Host", "127.0.0.1" } });
	BOOST_TEST(unsigned_.status == 403);
	BOOST_TEST(unsigned_.errorType == "MissingAuthenticationTokenException");

	Answer wrongSecret = aws(session, "POST", "/webtoken/prod", key("AKIDEMULATOR0001", "not-the-secret"));
	BOOST_TEST(wrongSecret.status == 403);
	BOOST_TEST(wrongSecret.errorType == "InvalidSignatureException");
	BOOST_TEST(json(wrongSecret.body)->getValue<std::string>("message").find(
			   "The request signature we calculated does not match the signature you provided. Check "
			   "your AWS Secret Access Key and signing method.") == 0u);

	Answer unknown = aws(session, "POST", "/webtoken/prod", key("AKIDUNKNOWN", "whatever"));
	BOOST_TEST(unknown.status == 403);
	BOOST_TEST(unknown.errorType == "UnrecognizedClientException");
	BOOST_TEST(json(unknown.body)->getValue<std::string>("message") ==
		   "The security token included in the request is invalid.");

	Answer malformed = exchange(session, "POST", "/webtoken/prod",
				    { { "Host", "127.0.0.1" }, { "Authorization", "AWS4-HMAC-SHA256 Credential=x" } });
	BOOST_TEST(malformed.status == 403);
	BOOST_TEST(malformed.errorType == "IncompleteSignatureException");

	SignOptions otherRegion;
	otherRegion.region = "us-west-2";
	Answer region = aws(session, "POST", "/webtoken/prod", kKey1, otherRegion);
	BOOST_TEST(region.status == 403);
	BOOST_TEST(region.errorType == "InvalidSignatureException");
	BOOST_TEST(region.body.find("Credential should be scoped to a valid region") != std::string::npos);

	SignOptions otherService;
	otherService.service = "execute-api";
	Answer service = aws(session, "POST", "/webtoken/prod", kKey1, otherService);
	BOOST_TEST(service.errorType == "InvalidSignatureException");
	BOOST_TEST(service.body.find("Credential should be scoped to correct service: 'airflow'") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(a_signature_covers_the_path, Basic)
{
	// Signed for one environment, sent for another.
	Answer a = exchange(session, "POST", "/webtoken/next", signedHeaders(session, "POST", "/webtoken/prod"));
	BOOST_TEST(a.status == 403);
	BOOST_TEST(a.errorType == "InvalidSignatureException");
}

BOOST_FIXTURE_TEST_CASE(unknown_invalid_and_denied_environments, Basic)
{
	Answer missing = aws(session, "POST", "/webtoken/nope");
	BOOST_TEST(missing.status == 404);
	BOOST_TEST(missing.errorType == "ResourceNotFoundException");
	BOOST_TEST(json(missing.body)->getValue<std::string>("message") == "Environment named nope not found.");

	for (const std::string &bad : std::vector<std::string>{ "1starts-with-digit", "has.dot", std::string(81, 'a') }) {
		Answer a = aws(session, "POST", "/webtoken/" + bad);
		BOOST_TEST(a.status == 400, bad);
		BOOST_TEST(a.errorType == "ValidationException", bad);
		BOOST_TEST(json(a.body)->has("message"));
	}
	BOOST_TEST(aws(session, "POST", "/webtoken/" + std::string(80, 'a')).status == 404);

	Answer denied = aws(session, "POST", "/webtoken/locked");
	BOOST_TEST(denied.status == 403);
	BOOST_TEST(denied.errorType == "AccessDeniedException");
	auto body = json(denied.body);
	BOOST_TEST(!body->has("message"));
	BOOST_TEST(body->getValue<std::string>("Message") ==
		   "User: arn:aws:sts::123456789012:assumed-role/mwaa-emulator/AKIDEMULATOR0001 is not authorized "
		   "to perform: airflow:CreateWebLoginToken on resource: "
		   "arn:aws:airflow:us-east-1:123456789012:role/locked/Admin");
}

BOOST_FIXTURE_TEST_CASE(validation_messages_quote_the_decoded_name, Basic)
{
	// The SDKs percent-encode {Name}: the message names what the user typed.
	Answer a = aws(session, "POST", "/webtoken/bad%20name");
	BOOST_TEST(a.status == 400);
	BOOST_TEST(a.errorType == "ValidationException");
	BOOST_TEST(json(a.body)->getValue<std::string>("message") ==
		   "1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member "
		   "must satisfy regular expression pattern: ^[a-zA-Z][0-9a-zA-Z-_]*$");
	BOOST_TEST(aws(session, "GET", "/environments/n%65xt").status == 200); // "next"
}

BOOST_FIXTURE_TEST_CASE(get_environment_reports_the_version, Basic)
{
	Answer a = aws(session, "GET", "/environments/next");
	BOOST_TEST_REQUIRE(a.status == 200, a.body);
	auto e = json(a.body)->getObject("Environment");
	BOOST_TEST_REQUIRE(e);
	BOOST_TEST(e->getValue<std::string>("Name") == "next");
	BOOST_TEST(e->getValue<std::string>("AirflowVersion") == "3.0.6");
	BOOST_TEST(e->getValue<std::string>("Arn") == "arn:aws:airflow:us-east-1:123456789012:environment/next");
	BOOST_TEST(e->getValue<std::string>("Status") == "AVAILABLE");
	BOOST_TEST(e->getValue<std::string>("WebserverUrl") == "https://next.example-mwaa.test");
	BOOST_TEST(e->getValue<std::string>("WebserverAccessMode") == "PUBLIC_ONLY");

	SignOptions eu;
	eu.region = "eu-west-1";
	eu.host = "api.airflow.eu-west-1.amazonaws.com";
	Answer quiet = aws(session, "GET", "/environments/quiet", kKey1, eu);
	BOOST_TEST(quiet.status == 403);
	BOOST_TEST(quiet.errorType == "AccessDeniedException");
	BOOST_TEST(json(quiet.body)->getValue<std::string>("Message").find("airflow:GetEnvironment on resource: "
									   "arn:aws:airflow:eu-west-1:123456789012:"
									   "environment/quiet") != std::string::npos);
	// The web token for the same environment is still allowed.
	BOOST_TEST(aws(session, "POST", "/webtoken/quiet", kKey1, eu).status == 200);
}

BOOST_FIXTURE_TEST_CASE(session_token_keys_need_a_token, Basic)
{
	BOOST_TEST(aws(session, "POST", "/webtoken/prod", key("AKIDEMULATOR0002", "emulator-secret-0002")).errorType ==
		   "UnrecognizedClientException");
	BOOST_TEST(aws(session, "POST", "/webtoken/prod",
		       key("AKIDEMULATOR0002", "emulator-secret-0002", "any-session-token"))
			   .status == 200);
	BOOST_TEST(aws(session, "POST", "/webtoken/prod",
		       key("AKIDEMULATOR0001", "emulator-secret-0001", "unexpected-token"))
			   .errorType == "UnrecognizedClientException");
}

BOOST_FIXTURE_TEST_CASE(cli_token_round_trip, Basic)
{
	Answer t = aws(session, "POST", "/clitoken/prod");
	BOOST_TEST_REQUIRE(t.status == 200, t.body);
	auto o = json(t.body);
	std::string token = o->getValue<std::string>("CliToken");
	std::string host = o->getValue<std::string>("WebServerHostname");
	auto cli = [&](const std::string &command, const std::string &bearer, const std::string &type = "text/plain") {
		return exchange(session, "POST", "/aws_mwaa/cli",
				{ { "Host", host }, { "Authorization", "Bearer " + bearer }, { "Content-Type", type } },
				command);
	};

	Answer list = cli("dags list", token);
	BOOST_TEST_REQUIRE(list.status == 200, list.body);
	BOOST_TEST(base64Decode(json(list.body)->getValue<std::string>("stdout")).find("example_dag") !=
		   std::string::npos);
	BOOST_TEST(base64Decode(json(list.body)->getValue<std::string>("stderr")).empty());

	Answer version = cli("version", token);
	BOOST_TEST(base64Decode(json(version.body)->getValue<std::string>("stdout")) == "2.10.3\n");

	Answer unknown = cli("db reset -y", token);
	BOOST_TEST(unknown.status == 500);
	BOOST_TEST(base64Decode(json(unknown.body)->getValue<std::string>("stderr")).find("'db'") !=
		   std::string::npos);

	BOOST_TEST(cli("version", "not-a-token").status == 403);
	BOOST_TEST(cli("version", token, "application/json").status == 415);
	// The web token is not a CLI token.
	std::string webToken = json(aws(session, "POST", "/webtoken/prod").body)->getValue<std::string>("WebToken");
	BOOST_TEST(cli("version", webToken).status == 403);
}

BOOST_FIXTURE_TEST_CASE(the_log_names_the_key_but_no_secret_or_token, Basic)
{
	Answer web = aws(session, "POST", "/webtoken/prod");
	Answer cli = aws(session, "POST", "/clitoken/prod");
	aws(session, "POST", "/webtoken/prod", key("AKIDEMULATOR0002", "emulator-secret-0002", "session-tok-xyz"));
	emulator.stop();
	std::string log = readAll(logFile.path());
	BOOST_TEST(std::count(log.begin(), log.end(), '\n') == 3);
	BOOST_TEST(log.find("\"access_key_id\": \"AKIDEMULATOR0001\"") != std::string::npos);
	BOOST_TEST(log.find("\"signature_verified\": true") != std::string::npos);
	BOOST_TEST(log.find("\"path\": \"/webtoken/prod\"") != std::string::npos);
	for (std::string secret : { std::string("emulator-secret-0001"), std::string("emulator-secret-0002"),
				    std::string("session-tok-xyz"), std::string("AWS4-HMAC-SHA256"),
				    std::string("Signature="), json(web.body)->getValue<std::string>("WebToken"),
				    json(cli.body)->getValue<std::string>("CliToken") })
		BOOST_TEST(log.find(secret) == std::string::npos, secret);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(behaviour)

BOOST_AUTO_TEST_CASE(fail_first_then_success_per_environment)
{
	Emulator e({ "--config", dataFile("basic.json"), "--fail-first", "3", "--faults", "503,429,500" });
	Poco::Net::HTTPClientSession s("127.0.0.1", e.port());
	const std::pair<int, const char *> expected[] = { { 503, "ServiceUnavailableException" },
							  { 429, "ThrottlingException" },
							  { 500, "InternalServerException" } };
	for (const auto &[status, type] : expected) {
		Answer a = aws(s, "POST", "/webtoken/prod");
		BOOST_TEST(a.status == status);
		BOOST_TEST(a.errorType == type);
		BOOST_TEST(json(a.body)->has("message"));
	}
	BOOST_TEST(aws(s, "POST", "/webtoken/prod").status == 200);
	// Each environment counts its own requests.
	BOOST_TEST(aws(s, "POST", "/webtoken/next").status == 503);
	BOOST_TEST(e.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_fault_rate_of_one_fails_everything_signed)
{
	Emulator e({ "--config", dataFile("basic.json"), "--fault-rate", "1", "--faults", "429" });
	Poco::Net::HTTPClientSession s("127.0.0.1", e.port());
	for (const char *path : { "/webtoken/prod", "/clitoken/next", "/environments/prod" })
		BOOST_TEST(aws(s, path[1] == 'e' ? "GET" : "POST", path).errorType == "ThrottlingException", path);
	// Authentication comes first: an unsigned request is refused, not throttled.
	BOOST_TEST(exchange(s, "POST", "/webtoken/prod", { { "Host", "127.0.0.1" } }).errorType ==
		   "MissingAuthenticationTokenException");
}

BOOST_AUTO_TEST_CASE(transport_faults_drop_truncate_badjson_hang)
{
	Emulator e({ "--config", dataFile("basic.json"), "--fail-first", "4", "--faults", "drop,truncate,badjson,hang" });
	auto fresh = [&] {
		auto s = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", e.port());
		s->setTimeout(Poco::Timespan(1, 0));
		return s;
	};
	BOOST_CHECK_THROW(aws(*fresh(), "POST", "/webtoken/prod"), Poco::Exception); // drop
	{
		// truncate: a Content-Length the body never reaches
		auto s = fresh();
		Poco::Net::HTTPRequest req("POST", "/webtoken/prod", Poco::Net::HTTPMessage::HTTP_1_1);
		for (const auto &h : signedHeaders(*s, "POST", "/webtoken/prod"))
			req.set(h.name, h.value);
		req.setContentLength(0);
		s->sendRequest(req);
		Poco::Net::HTTPResponse resp;
		std::istream &in = s->receiveResponse(resp);
		std::string body;
		Poco::StreamCopier::copyToString(in, body);
		BOOST_TEST(resp.getStatus() == 200);
		BOOST_TEST(static_cast<long long>(body.size()) < resp.getContentLength64());
	}
	Answer bad = aws(*fresh(), "POST", "/webtoken/prod"); // badjson
	BOOST_TEST(bad.status == 200);
	BOOST_CHECK_THROW(json(bad.body), Poco::Exception);
	BOOST_CHECK_THROW(aws(*fresh(), "POST", "/webtoken/prod"), Poco::TimeoutException); // hang
	BOOST_TEST(aws(*fresh(), "POST", "/webtoken/prod").status == 200);
	BOOST_TEST(e.stop() == 0);
}

BOOST_AUTO_TEST_CASE(a_skewed_clock_is_reported_and_correctable)
{
	Emulator e({ "--config", dataFile("basic.json"), "--skew-seconds", "3600" });
	Poco::Net::HTTPClientSession s("127.0.0.1", e.port());
	Answer a = aws(s, "POST", "/webtoken/prod");
	BOOST_TEST(a.status == 403);
	BOOST_TEST(a.errorType == "InvalidSignatureException");
	BOOST_TEST(json(a.body)->getValue<std::string>("message").find("Signature expired: ") == 0u);
	BOOST_TEST(a.body.find(" - 5 min.)") != std::string::npos);

	// The Date header carries the emulator's clock; signing with it works.
	int tzd = 0;
	Poco::DateTime serverTime = Poco::DateTimeParser::parse(Poco::DateTimeFormat::HTTP_FORMAT, a.date, tzd);
	SignOptions corrected;
	corrected.time = Clock::time_point(std::chrono::microseconds(serverTime.timestamp().epochMicroseconds()));
	BOOST_TEST(aws(s, "POST", "/webtoken/prod", kKey1, corrected).status == 200);
}

BOOST_AUTO_TEST_CASE(cli_tokens_expire)
{
	Emulator e({ "--config", dataFile("basic.json"), "--token-ttl-seconds", "1" });
	Poco::Net::HTTPClientSession s("127.0.0.1", e.port());
	std::string token = json(aws(s, "POST", "/clitoken/prod").body)->getValue<std::string>("CliToken");
	std::this_thread::sleep_for(std::chrono::milliseconds(2100));
	Answer a = exchange(s, "POST", "/aws_mwaa/cli",
			    { { "Host", "127.0.0.1" }, { "Authorization", "Bearer " + token }, { "Content-Type", "text/plain" } },
			    "version");
	BOOST_TEST(a.status == 403);
}

BOOST_AUTO_TEST_CASE(flags_without_a_config_file_and_many_parallel_clients)
{
	Poco::TemporaryFile portFile;
	Emulator e({ "--generate-envs", "100:us-west-2", "--key", "AKIDFLAG:flag-secret", "--latency-ms", "2",
		     "--threads", "64", "--port-file", portFile.path() });
	BOOST_TEST(readAll(portFile.path()) == std::to_string(e.port()) + "\n");

	const Credentials creds = key("AKIDFLAG", "flag-secret");
	SignOptions west;
	west.region = "us-west-2";
	std::atomic<int> ok{ 0 }, failed{ 0 };
	std::vector<std::thread> clients;
	for (int c = 0; c < 64; ++c) {
		clients.emplace_back([&, c] {
			try {
				// One keep-alive connection per client.
				Poco::Net::HTTPClientSession s("127.0.0.1", e.port());
				for (int i = 0; i < 16; ++i) {
					char name[32];
					std::snprintf(name, sizeof name, "/webtoken/env-%04d", 1 + (c * 16 + i) % 100);
					(aws(s, "POST", name, creds, west).status == 200 ? ok : failed)++;
				}
			} catch (const Poco::Exception &) {
				failed++;
			}
		});
	}
	for (auto &t : clients)
		t.join();
	BOOST_TEST(ok.load() == 64 * 16);
	BOOST_TEST(failed.load() == 0);
	BOOST_TEST(e.stop() == 0);
}

BOOST_AUTO_TEST_CASE(https_with_the_test_certificate)
{
	Emulator e({ "--env", "prod:us-east-1:2.9.2", "--key", "AKIDTLS:tls-secret", "--tls-cert", dataFile("server.pem"),
		     "--tls-key", dataFile("server-key.pem") });
	BOOST_TEST(e.line() == "listening on https://127.0.0.1:" + std::to_string(e.port()));
	Poco::Net::initializeSSL();
	{
		Poco::Net::Context::Ptr context =
			new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", dataFile("ca.pem"),
					       Poco::Net::Context::VERIFY_STRICT);
		Poco::Net::HTTPSClientSession s("127.0.0.1", e.port(), context);
		Answer a = aws(s, "GET", "/environments/prod", key("AKIDTLS", "tls-secret"));
		BOOST_TEST_REQUIRE(a.status == 200, a.body);
		BOOST_TEST(json(a.body)->getObject("Environment")->getValue<std::string>("AirflowVersion") == "2.9.2");
	}
	BOOST_TEST(e.stop() == 0);
	Poco::Net::uninitializeSSL();
}

BOOST_AUTO_TEST_CASE(bad_configuration_exits_2)
{
	Poco::TemporaryFile config;
	std::ofstream(config.path()) << R"({"environments": [{"name": "x", "region": "us-east-1", "versoin": "2"}]})";
	for (const auto &args : std::vector<std::vector<std::string>>{
		     { "--config", config.path() }, { "--bogus-flag" }, { "--faults", "500,teapot" }, { "--env", "only-name" },
		     { "--fault-rate", "1.5" } }) {
		Poco::Pipe err;
		auto h = Poco::Process::launch(env("EMULATOR"), args, nullptr, nullptr, &err);
		Poco::PipeInputStream in(err);
		std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
		BOOST_TEST(h.wait() == 2, args[0]);
		BOOST_TEST(text.find("mwaa-emulator: error: ") == 0u, text);
	}
}

BOOST_AUTO_TEST_SUITE_END()

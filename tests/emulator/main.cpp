// mwaa-emulator: a local stand-in for the Amazon MWAA API, for tests and demos.
//
// It listens on 127.0.0.1 only (port 0 = any free port), prints one line
// "listening on http://127.0.0.1:PORT" (https with --tls-cert/--tls-key) when
// ready, and stops on SIGTERM or SIGINT. It serves, for any Host header:
//   POST /webtoken/{Name}      CreateWebLoginToken  (SigV4, service "airflow")
//   POST /clitoken/{Name}      CreateCliToken       (SigV4)
//   GET  /environments/{Name}  GetEnvironment       (SigV4)
//   POST /aws_mwaa/cli         the web server's CLI (Authorization: Bearer <CliToken>)
//   POST /restapi/{Name}       InvokeRestApi        (SigV4; airflow_web.cpp)
//   GET  /environments         ListEnvironments     (SigV4; MaxResults, NextToken)
//   POST /aws_mwaa/login, /pluginsv2/aws_mwaa/login  web login token -> session cookie / JWT
//   /api/v1/..., /api/v2/...   a small Airflow REST API (session cookie / bearer JWT)
//   POST / (form body)         STS AssumeRole (SigV4, service "sts") and
//                              AssumeRoleWithWebIdentity (sts_service.h)
// and, with an "sso" member in the configuration, the IAM Identity Center
// portal and SSO OIDC (sso_service.h; README.md).
//
// Configuration file (--config FILE); every member is optional, unknown
// members are an error, and command-line flags add to what the file says:
// {
//   "keys": {"AKID": {"secret": "...", "denied": ["env-a"], "session_token": false}},
//   "environments": [{"name": "prod", "region": "us-east-1", "airflow_version": "2.10.3",
//                     "hostname": "optional.example", "deny_get_environment": false}],
//   "latency_ms": 0,
//   "faults": {"rate": 0.0, "kinds": ["500", "503", "429", "drop", "hang", "truncate", "badjson"],
//              "seed": 1, "first_n": 0},
//   "clock_skew_seconds": 0,
//   "tls": {"cert": "server.pem", "key": "server-key.pem"},
//   "threads": 64, "max_queued": 1024, "token_ttl_seconds": 60,
//   "sts": {"roles": {"arn:aws:iam::123456789012:role/r": {"external_id": "x",
//           "mfa_serial": "arn:aws:iam::123456789012:mfa/u", "mfa_code": "123456",
//           "web_identity_token": "token"}}}
// }
// "denied" lists the environments ("*": all) the key gets AccessDeniedException
// for; "session_token": true means requests must carry X-Amz-Security-Token
// (any value) and false means they must not.

#include <getopt.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>

#include <Poco/Event.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>

#include "core/strings.h"
#include "mwaatok/clock.h"
#include "mwaatok/filesystem.h"
#include "service.h"

using namespace mwaatok;
using namespace mwaatok::emulator;

namespace {

constexpr const char *kUsage =
	"usage: mwaa-emulator [options]\n"
	"  --config FILE               JSON configuration (see README.md)\n"
	"  --port N                    port on 127.0.0.1 (default 0: any free port)\n"
	"  --port-file FILE            write the port number to FILE once listening\n"
	"  --log FILE                  one JSON line per request (no secrets, no tokens)\n"
	"  --env NAME:REGION[:VERSION] an environment (repeatable)\n"
	"  --generate-envs N:REGION    environments env-0001 .. env-N\n"
	"  --key AKID:SECRET[:session] an access key (repeatable); \"session\": needs a session token\n"
	"  --role ARN                  a role STS AssumeRole hands out to any known key (repeatable)\n"
	"  --deny AKID:ENV[:ACTION]    the key gets AccessDeniedException for ENV (\"*\": all),\n"
	"                              for every action or only ACTION (e.g. InvokeRestApi)\n"
	"  --latency-ms N              sleep N ms before each answer\n"
	"  --faults KINDS              comma list of 500,503,429,drop,hang,truncate,badjson\n"
	"  --fault-rate P              probability a request fails (0..1)\n"
	"  --fault-seed N              seed for --fault-rate\n"
	"  --fail-first N              the first N requests per environment fail\n"
	"  --skew-seconds N            the emulator's clock is N seconds ahead (negative: behind)\n"
	"  --token-ttl-seconds N       CLI and web login token lifetime (default 60)\n"
	"  --tls-cert FILE, --tls-key FILE   serve HTTPS\n"
	"  --threads N                 server threads (default 64)\n"
	"  --max-queued N              queued connections (default 1024)\n"
	"  --help\n";

struct Options {
	Config config;
	unsigned short port = 0;
	std::string portFile;
	std::string logFile;
};

std::string readFile(const std::string &path)
{
	auto content = SystemFileSystem().read(path);
	if (!content)
		throw std::runtime_error("cannot read " + path + ": no such file");
	return *content;
}

long long number(const std::string &flag, const std::string &text)
{
	try {
		size_t used = 0;
		long long v = std::stoll(text, &used);
		if (used == text.size())
			return v;
	} catch (const std::exception &) {
	}
	throw std::runtime_error(flag + ": not a number: " + text);
}

double fraction(const std::string &flag, const std::string &text)
{
	try {
		size_t used = 0;
		double v = std::stod(text, &used);
		if (used == text.size() && v >= 0.0 && v <= 1.0)
			return v;
	} catch (const std::exception &) {
	}
	throw std::runtime_error(flag + ": not a number from 0 to 1: " + text);
}

/// \a text split on ':' into at least \a min and at most \a max fields.
std::vector<std::string> fields(const std::string &flag, const std::string &text, size_t min, size_t max)
{
	std::vector<std::string> out;
	for (auto piece : split(text, ':'))
		out.emplace_back(piece);
	if (out.size() < min || out.size() > max ||
	    std::any_of(out.begin(), out.end(), [](const std::string &f) { return f.empty(); }))
		throw std::runtime_error(flag + ": malformed value: " + text);
	return out;
}

Options parseOptions(int argc, char **argv)
{
	static const option longOptions[] = {
		{ "config", required_argument, nullptr, 'c' },
		{ "port", required_argument, nullptr, 'p' },
		{ "port-file", required_argument, nullptr, 'P' },
		{ "log", required_argument, nullptr, 'l' },
		{ "env", required_argument, nullptr, 'e' },
		{ "generate-envs", required_argument, nullptr, 'g' },
		{ "key", required_argument, nullptr, 'k' },
		{ "deny", required_argument, nullptr, 'd' },
		{ "latency-ms", required_argument, nullptr, 'L' },
		{ "faults", required_argument, nullptr, 'f' },
		{ "fault-rate", required_argument, nullptr, 'r' },
		{ "fault-seed", required_argument, nullptr, 's' },
		{ "fail-first", required_argument, nullptr, 'F' },
		{ "skew-seconds", required_argument, nullptr, 'S' },
		{ "token-ttl-seconds", required_argument, nullptr, 'T' },
		{ "tls-cert", required_argument, nullptr, 'C' },
		{ "tls-key", required_argument, nullptr, 'K' },
		{ "threads", required_argument, nullptr, 't' },
		{ "max-queued", required_argument, nullptr, 'q' },
		{ "role", required_argument, nullptr, 'R' },
		{ "help", no_argument, nullptr, 'h' },
		{ nullptr, 0, nullptr, 0 },
	};
	// The file first, so flags add to it wherever they appear.
	std::vector<std::pair<int, std::string>> given;
	Options o;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", longOptions, nullptr)) != -1) {
		if (c == '?')
			throw std::invalid_argument("unknown option or missing value: " + std::string(argv[optind - 1]));
		if (c == 'h') {
			std::cout << kUsage;
			std::exit(0);
		}
		if (c == 'c')
			loadConfigJson(readFile(optarg), o.config);
		else
			given.emplace_back(c, optarg);
	}
	if (optind < argc)
		throw std::invalid_argument("unexpected argument: " + std::string(argv[optind]));
	Config &cfg = o.config;
	for (const auto &[opt, value] : given) {
		std::string flag = std::string("--") + std::find_if(std::begin(longOptions), std::end(longOptions),
								    [&](const option &lo) { return lo.val == opt; })->name;
		switch (opt) {
		case 'p': o.port = static_cast<unsigned short>(number(flag, value)); break;
		case 'P': o.portFile = value; break;
		case 'l': o.logFile = value; break;
		case 'e': {
			auto f = fields(flag, value, 2, 3);
			EnvironmentConfig env{ f[0], f[1] };
			if (f.size() == 3)
				env.airflowVersion = f[2];
			cfg.environments.push_back(env);
			break;
		}
		case 'g': {
			auto f = fields(flag, value, 2, 2);
			for (long long i = 1, n = number(flag, f[0]); i <= n; ++i) {
				char name[32];
				std::snprintf(name, sizeof name, "env-%04lld", i);
				cfg.environments.push_back(EnvironmentConfig{ name, f[1] });
			}
			break;
		}
		case 'k': {
			auto f = fields(flag, value, 2, 3);
			if (f.size() == 3 && f[2] != "session")
				throw std::runtime_error(flag + ": the third field can only be \"session\"");
			cfg.keys[f[0]].secret = f[1];
			cfg.keys[f[0]].sessionToken = f.size() == 3;
			break;
		}
		case 'd': {
			auto f = fields(flag, value, 2, 3);
			cfg.keys[f[0]].denied.push_back(f.size() == 3 ? f[1] + ":" + f[2] : f[1]);
			break;
		}
		case 'L': cfg.latencyMs = static_cast<int>(number(flag, value)); break;
		case 'f': cfg.faults.kinds = parseFaults(value); break;
		case 'r': cfg.faults.rate = fraction(flag, value); break;
		case 's': cfg.faults.seed = static_cast<unsigned>(number(flag, value)); break;
		case 'F': cfg.faults.firstN = static_cast<int>(number(flag, value)); break;
		case 'S': cfg.clockSkewSeconds = number(flag, value); break;
		case 'T': cfg.tokenTtlSeconds = static_cast<int>(number(flag, value)); break;
		case 'C': cfg.tlsCert = value; break;
		case 'K': cfg.tlsKey = value; break;
		case 't': cfg.threads = static_cast<int>(number(flag, value)); break;
		case 'q': cfg.maxQueued = static_cast<int>(number(flag, value)); break;
		case 'R': cfg.sts.roles[value]; break;
		}
	}
	for (const auto &[akid, key] : cfg.keys)
		if (key.secret.empty())
			throw std::runtime_error("key " + akid + " has no secret");
	if (cfg.tlsCert.empty() != cfg.tlsKey.empty())
		throw std::runtime_error("--tls-cert and --tls-key go together");
	if (cfg.threads < 1 || cfg.maxQueued < 1)
		throw std::runtime_error("--threads and --max-queued must be positive");
	return o;
}

/// One JSON line per request. It records who signed, never what they signed with.
class RequestLog {
public:
	explicit RequestLog(const std::string &path)
	{
		if (!path.empty()) {
			out_.open(path, std::ios::app);
			if (!out_)
				throw std::runtime_error("cannot write " + path);
		}
	}

	void write(const Request &req, const Reply &reply)
	{
		if (!out_.is_open())
			return;
		std::string path = req.target.substr(0, req.target.find('?'));
		std::string line = "{\"method\": " + jsonQuote(req.method) + ", \"path\": " + jsonQuote(path) +
				   ", \"host\": " + jsonQuote(req.host) + ", \"status\": " +
				   std::to_string(reply.status) + ", \"access_key_id\": " + jsonQuote(reply.accessKeyId) +
				   ", \"error_type\": " + jsonQuote(reply.errorType) + ", \"signature_verified\": " +
				   (reply.signatureVerified ? "true" : "false") + "}\n";
		std::lock_guard lock(mutex_);
		out_ << line << std::flush;
	}

private:
	std::mutex mutex_;
	std::ofstream out_;
};

/// Set once on SIGTERM/SIGINT; wakes requests that are hanging on purpose.
Poco::Event stopping(false);

class Handler : public Poco::Net::HTTPRequestHandler {
public:
	Handler(Service &service, RequestLog &log, Clock &clock) : service_(service), log_(log), clock_(clock) {}

	void handleRequest(Poco::Net::HTTPServerRequest &in, Poco::Net::HTTPServerResponse &out) override
	{
		Request req{ in.getMethod(), in.getURI(), in.getHost(), {}, {} };
		for (const auto &[name, value] : in)
			req.headers.push_back({ name, value });
		// RFC 9112: no Content-Length and no chunking means no body (Poco
		// would read a POST until the client closes).
		if (in.hasContentLength() || in.getChunkedTransferEncoding())
			Poco::StreamCopier::copyToString(in.stream(), req.body);
		if (service_.config().latencyMs > 0)
			clock_.sleepFor(std::chrono::milliseconds(service_.config().latencyMs));

		Reply reply = service_.handle(req);
		log_.write(req, reply);

		auto now = std::chrono::duration_cast<std::chrono::microseconds>(service_.now().time_since_epoch());
		out.setDate(Poco::Timestamp(now.count()));
		out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
		for (const auto &h : reply.headers)
			out.set(h.name, h.value);
		switch (reply.fault) {
		case Fault::Hang:
			hang(static_cast<Poco::Net::HTTPServerRequestImpl &>(in).socket());
			[[fallthrough]];
		case Fault::Drop:
			// Returning without an answer on a connection that is not kept
			// alive makes the server close it.
			out.setKeepAlive(false);
			return;
		case Fault::Truncate:
			out.setKeepAlive(false);
			out.setContentLength64(static_cast<Poco::Int64>(reply.body.size()) + 100);
			out.send() << reply.body << std::flush;
			return;
		default:
			out.setContentLength64(static_cast<Poco::Int64>(reply.body.size()));
			out.sendBuffer(reply.body.data(), reply.body.size());
		}
	}

private:
	/// Wait until the client gives up or the emulator stops (at most 10 minutes).
	static void hang(Poco::Net::StreamSocket &socket)
	{
		for (int i = 0; i < 6000 && !stopping.tryWait(100); ++i) {
			try {
				char c;
				if (socket.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ) &&
				    socket.receiveBytes(&c, 1, MSG_PEEK) <= 0)
					return;
			} catch (const Poco::Exception &) {
				return;
			}
		}
	}

	Service &service_;
	RequestLog &log_;
	Clock &clock_;
};

class HandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
	HandlerFactory(Service &service, RequestLog &log, Clock &clock) : service_(service), log_(log), clock_(clock) {}

	Poco::Net::HTTPRequestHandler *createRequestHandler(const Poco::Net::HTTPServerRequest &) override
	{
		return new Handler(service_, log_, clock_);
	}

private:
	Service &service_;
	RequestLog &log_;
	Clock &clock_;
};

void writePortFile(const std::string &path, unsigned short port)
{
	// Written whole and renamed, so a reader never sees half a number.
	std::string tmp = path + ".tmp";
	{
		std::ofstream f(tmp, std::ios::trunc);
		f << port << "\n";
		if (!f.flush())
			throw std::runtime_error("cannot write " + tmp);
	}
	if (std::rename(tmp.c_str(), path.c_str()) != 0)
		throw std::runtime_error("cannot rename " + tmp + " to " + path);
}

int serve(const Options &o, const sigset_t &stopSignals)
{
	SystemClock clock;
	Service service(o.config, clock);
	RequestLog log(o.logFile);
	const Config &cfg = service.config();
	bool tls = !cfg.tlsCert.empty();

	Poco::Net::SocketAddress address("127.0.0.1", o.port);
	std::unique_ptr<Poco::Net::ServerSocket> socket;
	if (tls) {
		Poco::Net::initializeSSL();
		Poco::Net::Context::Ptr context = new Poco::Net::Context(
			Poco::Net::Context::TLS_SERVER_USE, cfg.tlsKey, cfg.tlsCert, "", Poco::Net::Context::VERIFY_NONE);
		socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 1024, context);
	} else {
		socket = std::make_unique<Poco::Net::ServerSocket>(address, 1024);
	}
	unsigned short port = socket->address().port();

	auto params = new Poco::Net::HTTPServerParams;
	params->setKeepAlive(true);
	params->setMaxKeepAliveRequests(0); // unlimited
	params->setKeepAliveTimeout(Poco::Timespan(5, 0));
	params->setMaxThreads(cfg.threads);
	params->setMaxQueued(cfg.maxQueued);
	// Bounds how long an idle worker can delay shutdown (Poco's default is 10 s).
	params->setThreadIdleTime(Poco::Timespan(1, 0));
	Poco::ThreadPool pool(2, cfg.threads);
	{
		Poco::Net::HTTPServer server(new HandlerFactory(service, log, clock), pool, *socket, params);
		server.start();
		if (!o.portFile.empty())
			writePortFile(o.portFile, port);
		std::cout << "listening on " << (tls ? "https" : "http") << "://127.0.0.1:" << port << std::endl;

		int sig = 0;
		sigwait(&stopSignals, &sig);
		stopping.set();
		server.stopAll(true);
	}
	pool.joinAll();
	if (tls)
		Poco::Net::uninitializeSSL();
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	// Blocked before any thread starts, so only sigwait() sees them.
	sigset_t stopSignals;
	sigemptyset(&stopSignals);
	sigaddset(&stopSignals, SIGTERM);
	sigaddset(&stopSignals, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
	signal(SIGPIPE, SIG_IGN);

	Options o;
	try {
		o = parseOptions(argc, argv);
	} catch (const std::exception &e) {
		std::cerr << "mwaa-emulator: error: " << e.what() << "\n" << kUsage;
		return 2;
	}
	try {
		return serve(o, stopSignals);
	} catch (const Poco::Exception &e) {
		std::cerr << "mwaa-emulator: error: " << e.displayText() << "\n";
	} catch (const std::exception &e) {
		std::cerr << "mwaa-emulator: error: " << e.what() << "\n";
	}
	return 1;
}

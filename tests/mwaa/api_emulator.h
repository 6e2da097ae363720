#pragma once

// A fixture for library tests against the emulator over loopback TLS: the
// emulator runs tests/data/e2e/emulator.json with the e2e key (and a key that
// is denied everything), and one PocoHttpTransport trusts the test CA and
// sends every host's port 443 to it, so the real MWAA host names
// (env./api.airflow.REGION.amazonaws.com) and the web servers'
// (NAME.c2.REGION.airflow.amazonaws.com) are what the client sees and checks.

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "../e2e/support.h"
#include "mwaatok/aws_client.h"
#include "mwaatok/clock.h"
#include "mwaatok/mwaa_client.h"
#include "mwaatok/poco_http_transport.h"
#include "mwaatok/rest_api.h"

namespace mwaatok::apitest {

inline constexpr const char *kDeniedKeyId = "AKIDDENIED";
inline constexpr const char *kDeniedSecret = "denied-secret";

struct TlsEmulator {
	e2e::TempDir dir;
	std::string logFile = dir.path() + "/requests.log";
	std::unique_ptr<e2e::Emulator> emulator;
	std::unique_ptr<PocoHttpTransport> transport;
	SystemClock clock;
	std::vector<std::unique_ptr<AwsClient>> clients; ///< kept alive for the MwaaClients

	TlsEmulator() { restart({}); }

	/// A new emulator (and an empty request log) with \a extra arguments.
	void restart(const std::vector<std::string> &extra)
	{
		transport.reset();
		emulator.reset();
		std::remove(logFile.c_str());
		std::vector<std::string> args = { "--tls-cert", e2e::testData("emulator/server.pem"), "--tls-key",
						  e2e::testData("emulator/server-key.pem"), "--log", logFile,
						  "--key", std::string(kDeniedKeyId) + ":" + kDeniedSecret,
						  "--deny", std::string(kDeniedKeyId) + ":*" };
		args.insert(args.end(), extra.begin(), extra.end());
		emulator = std::make_unique<e2e::Emulator>(e2e::emulatorArgs(args));
		TransportConfig config;
		config.caBundle = e2e::testData("emulator/ca.pem");
		config.connectTo.push_back(ConnectTo{ "", 443, "127.0.0.1", emulator->port() });
		transport = std::make_unique<PocoHttpTransport>(config);
	}

	/// An MWAA client for \a region signing with the given key.
	std::unique_ptr<MwaaClient> mwaa(const std::string &region, const std::string &keyId = e2e::kKeyId,
					 const std::string &secret = e2e::kSecret)
	{
		clients.push_back(std::make_unique<AwsClient>(*transport, clock, [keyId, secret] {
			return Credentials{ keyId, secret, "", {}, "", "test" };
		}));
		MwaaEndpointConfig endpoint;
		endpoint.region = region;
		CallOptions options;
		options.retry.maxAttempts = 1;
		options.deadline = std::chrono::seconds(20);
		return std::make_unique<MwaaClient>(*clients.back(), endpoint, options);
	}

	/// "HOST:443" of an emulator.json environment's web server.
	static std::string webHost(const std::string &name, const std::string &region = "us-east-1")
	{
		return name + ".c2." + region + ".airflow.amazonaws.com";
	}
};

} // namespace mwaatok::apitest

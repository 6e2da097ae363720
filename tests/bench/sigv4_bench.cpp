// Signatures per second on one thread for a typical MWAA request, with and
// without the signing-key cache, next to the cost of the hashing alone.
// Not a test: run it by hand on a release build (see BENCHMARKS.md).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>
#include <ctime>

#include "core/crypto.h"
#include "mwaatok/sigv4.h"
#include "sigv4/signer.h"
#include "sigv4/signing_key.h"

using namespace mwaatok;

namespace {

volatile unsigned sink;

// This thread's CPU time: on a shared machine, wall time also counts other processes.
double cpuNanoseconds()
{
	timespec ts{};
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

// Per call CPU nanoseconds of each of \a fns, best of \a rounds. Rounds are
// interleaved so that a busy spell on the machine hits every row alike.
std::vector<double> timeAll(const std::vector<std::function<void()>> &fns, long iterations, int rounds)
{
	std::vector<double> best(fns.size(), 1e300);
	for (int r = 0; r < rounds; ++r) {
		for (size_t f = 0; f < fns.size(); ++f) {
			double start = cpuNanoseconds();
			for (long i = 0; i < iterations; ++i)
				fns[f]();
			best[f] = std::min(best[f], (cpuNanoseconds() - start) / static_cast<double>(iterations));
		}
	}
	return best;
}

void row(const char *name, double ns, double hashNs)
{
	std::printf("| %-34s | %12.0f | %8.0f | %6.2fx |\n", name, 1e9 / ns, ns, ns / hashNs);
}

} // namespace

int main(int argc, char **argv)
{
	long iterations = argc > 1 ? std::atol(argv[1]) : 200000;
	const int rounds = 7;

	// An STS session token is several hundred characters; this one is 740.
	std::string token;
	while (token.size() < 740)
		token += "IQoJb3JpZ2luX2VjEXAMPLE/tokenFwoGZXIvYXdzEJr//////////wEaDKd+Y=";
	token.resize(740);
	Credentials creds{ "ASIAEXAMPLEEXAMPLE12", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token, std::nullopt, "", "bench" };
	sigv4::SigningParams params;
	params.credentials = &creds;
	params.region = "us-east-1";
	params.service = "airflow";
	params.time = std::chrono::sys_days(std::chrono::year(2024) / 6 / 1) + std::chrono::hours(12);
	HttpHeaders headers = { { "Host", "env.airflow.us-east-1.amazonaws.com" },
				{ "Content-Type", "application/json" },
				{ "User-Agent", "mwaatok/0.1.0" } };
	sigv4::SignableRequest req{ "POST", "/webtoken/my-env", "", headers, {} };

	// The same bytes the signer hashes: the canonical request, then the string to sign.
	auto reference = sigv4::sign(req, params);
	std::string key = sigv4::signingKey(creds.secretAccessKey, "20240601", params.region, params.service);

	auto hashOnly = [&] {
		auto d = crypto::sha256(reference.canonicalRequest);
		auto m = crypto::hmacSha256(key, reference.stringToSign);
		sink = d[0] + m[0];
	};
	auto cached = [&] { sink = static_cast<unsigned char>(sigv4::sign(req, params).signature[0]); };
	auto uncached = [&] {
		sink = static_cast<unsigned char>(
			sigv4::detail::sign(req, params, sigv4::detail::KeyCacheUse::Bypass).signature[0]);
	};
	auto derive = [&] {
		sink = sigv4::detail::deriveSigningKey(creds.secretAccessKey, "20240601", "us-east-1", "airflow")[0];
	};

	auto ns = timeAll({ hashOnly, cached, uncached, derive }, iterations, rounds);
	double hashNs = ns[0], cachedNs = ns[1], uncachedNs = ns[2], deriveNs = ns[3];

	std::printf("request: POST https://env.airflow.us-east-1.amazonaws.com/webtoken/my-env, no body,\n"
		    "         %zu-character session token; canonical request %zu bytes, string to sign %zu bytes\n"
		    "%ld iterations, best of %d interleaved rounds, one thread, thread CPU time\n\n",
		    token.size(), reference.canonicalRequest.size(), reference.stringToSign.size(), iterations, rounds);
	std::printf("| %-34s | %12s | %8s | %7s |\n", "what", "per second", "ns each", "vs hash");
	std::printf("|%s|%s|%s|%s|\n", std::string(36, '-').c_str(), std::string(14, '-').c_str(),
		    std::string(10, '-').c_str(), std::string(9, '-').c_str());
	row("hashing alone (SHA-256 + HMAC)", hashNs, hashNs);
	row("sign(), signing-key cache", cachedNs, hashNs);
	row("sign(), key derived every time", uncachedNs, hashNs);
	row("signing-key derivation alone", deriveNs, hashNs);
	return 0;
}

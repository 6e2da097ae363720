// libFuzzer target for the YAML profile loader: any input must end in a
// profile or in mwaatok::Error, never in a crash, a hang or another exception.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "mwaatok/environment_profile.h"
#include "mwaatok/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const std::vector<std::string> plugins = { "print", "browser", "file", "exec" };
	std::string text(reinterpret_cast<const char *>(data), size);
	try {
		auto profile = mwaatok::parseProfile(text, "fuzz.yaml", plugins);
		mwaatok::listEnvironments(profile, {});
	} catch (const mwaatok::Error &) {
	}
	// Never throws, by contract: an exception here aborts the fuzzer.
	mwaatok::checkProfileText(text, "fuzz.yaml", plugins);
	return 0;
}

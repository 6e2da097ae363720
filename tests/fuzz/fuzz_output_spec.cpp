// libFuzzer target for the `-o NAME:KEY=VALUE,...` output spec parser and the
// option helpers the plugins use on its result.
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "mwaatok/error.h"
#include "mwaatok/output_spec.h"

using namespace mwaatok;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const std::vector<std::string> known = { "path", "mode", "append", "command", "browser" };
	try {
		OutputSpec spec = parseOutputSpec(fuzz::asText(data, size));
		for (const auto &key : known) {
			findOption(spec.options, key);
			try {
				boolOption(spec.name, spec.options, key, false);
			} catch (const Error &) {
			}
			try {
				requireOption(spec.name, spec.options, key, "x");
			} catch (const Error &) {
			}
		}
		checkOptionKeys(spec.name, spec.options, known);
	} catch (const Error &) {
	}
	return 0;
}

// Replays each fuzz target's seed corpus (tests/fuzz/corpus/<target>/*) through
// its LLVMFuzzerTestOneInput, built without libFuzzer, so every test run checks
// the seeds and the crashers found so far. Each target is compiled with
// LLVMFuzzerTestOneInput renamed to fuzz_target_<name> (see meson.build).
// Usage: fuzz_corpus CORPUS_DIR
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#define MWAATOK_FUZZ_TARGETS(X)                                                                    \
	X(aws_error)                                                                               \
	X(credentials_json)                                                                        \
	X(http_response)                                                                           \
	X(ini_profile)                                                                             \
	X(mwaa_response)                                                                           \
	X(net_config)                                                                              \
	X(output_spec)                                                                             \
	X(sigv4_verify)                                                                            \
	X(url)                                                                                     \
	X(yaml_profile)

#define DECLARE(name) extern "C" int fuzz_target_##name(const uint8_t *data, size_t size);
MWAATOK_FUZZ_TARGETS(DECLARE)
#undef DECLARE

namespace {

struct Target {
	const char *name;
	int (*run)(const uint8_t *, size_t);
};

#define ENTRY(name) { #name, fuzz_target_##name },
const Target targets[] = { MWAATOK_FUZZ_TARGETS(ENTRY) };
#undef ENTRY

} // namespace

int main(int argc, char **argv)
{
	namespace fs = std::filesystem;
	if (argc != 2) {
		std::cerr << "usage: fuzz_corpus CORPUS_DIR\n";
		return 2;
	}
	fs::path root = argv[1];
	int failures = 0, inputs = 0;
	std::set<std::string> known;
	for (const auto &t : targets) {
		known.insert(t.name);
		fs::path dir = root / t.name;
		std::vector<fs::path> files;
		std::error_code ec;
		for (const auto &entry : fs::directory_iterator(dir, ec))
			if (entry.is_regular_file())
				files.push_back(entry.path());
		if (files.empty()) {
			std::cerr << t.name << ": no seeds in " << dir << "\n";
			++failures;
			continue;
		}
		std::sort(files.begin(), files.end());
		for (const auto &f : files) {
			std::ifstream in(f, std::ios::binary);
			std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
			// An exception other than mwaatok::Error, or a crash, ends the program here.
			t.run(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
			++inputs;
		}
		std::cout << t.name << ": " << files.size() << " inputs\n";
	}
	std::error_code ec;
	for (const auto &entry : fs::directory_iterator(root, ec))
		if (entry.is_directory() && !known.count(entry.path().filename().string())) {
			std::cerr << "corpus " << entry.path().filename() << " has no fuzz target\n";
			++failures;
		}
	std::cout << inputs << " inputs replayed, " << failures << " problems\n";
	return failures ? 1 : 0;
}

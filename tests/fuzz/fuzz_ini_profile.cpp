// libFuzzer target for the shared config/credentials file parser (parseIni),
// the profile naming rules (ProfileSet::mergeIn) and `configure get` lookups.
// Any input must parse or end in mwaatok::Error.
#include <optional>
#include <string>

#include "fuzz_support.h"
#include "mwaatok/environment.h"
#include "mwaatok/error.h"
#include "mwaatok/filesystem.h"
#include "mwaatok/profile_file.h"
#include "fakes.h"

using namespace mwaatok;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	std::string_view text = fuzz::asText(data, size);
	for (auto kind : { ProfileFileKind::Config, ProfileFileKind::Credentials }) {
		try {
			IniFile file = parseIni(text, "fuzz");
			ProfileSet set;
			set.mergeIn(file, kind);
			set.mergeIn(file, kind); // merging again: later values win
			for (const auto &[name, props] : set.profiles())
				if (set.profile(name) == nullptr)
					fuzz::fail("ini_profile", "profile " + name + " listed but not found");
		} catch (const Error &) {
		}
	}
	// The same text as both shared files, with a selected profile and lookups.
	MapFileSystem fs;
	fs.write("/fuzz/config", std::string(text));
	fs.write("/fuzz/credentials", std::string(text));
	MapEnvironment env;
	env.set("AWS_CONFIG_FILE", "/fuzz/config");
	env.set("AWS_SHARED_CREDENTIALS_FILE", "/fuzz/credentials");
	env.set("AWS_PROFILE", "dev");
	try {
		SharedConfig config = SharedConfig::load(env, fs, std::nullopt);
		for (const char *key : { "region", "aws_access_key_id", "s3.addressing_style",
					 "profile.default.region", "default.region", "dev.s3.x", "a.b.c.d" }) {
			config.get(key);
			configureGet(config, key);
		}
	} catch (const Error &) {
	}
	return 0;
}

// A module for the loader tests, compiled several ways (see meson.build):
// MODULE_NAME names it, API_VERSION overrides the API version, NO_INFO or
// NO_FACTORY leave a symbol out. Its option in=create|deliver|end makes it
// throw there. LOAD_MARKER makes it append a line to $MWAATOK_TEST_LOAD_MARKER
// as soon as it is loaded, before any of its functions is called.

#include "mwaatok/output_plugin.h"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#ifdef LOAD_MARKER
__attribute__((constructor)) static void markLoaded()
{
	if (const char *path = std::getenv("MWAATOK_TEST_LOAD_MARKER"))
		if (std::FILE *f = std::fopen(path, "a")) {
			std::fputs("loaded\n", f);
			std::fclose(f);
		}
}
#endif

#ifndef API_VERSION
#define API_VERSION mwaatok::kOutputPluginApiVersion
#endif

namespace {

class TestPlugin final : public mwaatok::OutputPlugin {
public:
	explicit TestPlugin(std::string in) : in_(std::move(in))
	{
		if (in_ == "create")
			throw std::runtime_error("boom in create");
	}
	std::string name() const override { return MODULE_NAME; }
	void deliver(const mwaatok::LoginLink &) override
	{
		if (in_ == "deliver")
			throw std::runtime_error("boom in deliver");
	}
	void end(const mwaatok::RunSummary &) override
	{
		if (in_ == "end")
			throw 42; // not even a std::exception
	}

private:
	std::string in_;
};

[[maybe_unused]] const char *const kOptionKeys[] = {"in", nullptr};

} // namespace

extern "C" {

#ifndef NO_INFO
const mwaatok::ModuleInfo mwaatok_output_plugin_info = {
	API_VERSION, MWAATOK_PLUGIN_ABI, MODULE_NAME, "a module for tests", kOptionKeys,
};
#endif

#ifndef NO_FACTORY
mwaatok::OutputPlugin *mwaatok_output_plugin_create(const mwaatok::ModuleArgs *args)
{
	std::string in;
	for (const auto &[key, value] : args->options)
		if (key == "in")
			in = value;
	return new TestPlugin(in);
}
#endif
}

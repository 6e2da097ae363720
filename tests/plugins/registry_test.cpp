#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <unistd.h>

#include "builtin_plugins.h"
#include "mwaatok/environment.h"
#include "mwaatok/output_dispatcher.h"
#include "plugin/plugin_module.h"
#include "mwaatok/plugin_registry.h"
#include "plugin_test_support.h"
#include "print/print_plugin.h"
#include "fakes.h"

using namespace mwaatok;
using namespace mwaatok::test;

namespace {

std::string envOrFail(const char *name)
{
	const char *v = std::getenv(name);
	BOOST_REQUIRE_MESSAGE(v && *v, name << " is not set; run through meson test");
	return v;
}

std::string moduleDir() { return envOrFail("MWAATOK_TEST_MODULE_DIR"); }
std::string markdownModule() { return envOrFail("MWAATOK_TEST_MARKDOWN_MODULE"); }
std::string markdownDir() { return std::filesystem::path(markdownModule()).parent_path().string(); }
std::string modulePath(const std::string &name) { return moduleDir() + "/mwaatok-plugin-" + name + ".so"; }

/// A registry with the built-ins and the test modules and markdown on MWAATOK_PLUGIN_PATH.
struct RegistryFixture {
	MapEnvironment env{{{"MWAATOK_PLUGIN_PATH", moduleDir() + ":" + markdownDir()}}};
	PluginRegistry registry{env, ""};
	FakeLauncher launcher;
	std::ostringstream out, err;
	PluginContext context{out, err, env, launcher};

	RegistryFixture() { registerBuiltinPlugins(registry); }

	std::unique_ptr<OutputPlugin> create(const std::string &spec)
	{
		return registry.create(parseOutputSpec(spec), context);
	}
	std::string usageError(const std::string &spec)
	{
		return errorOf([&] { create(spec); }, ErrorKind::Usage);
	}
	std::string pluginError(const std::string &spec)
	{
		return errorOf([&] { create(spec); }, ErrorKind::Plugin);
	}
};

/// Records the calls it gets.
class RecordingPlugin final : public OutputPlugin {
public:
	explicit RecordingPlugin(std::vector<std::string> &log) : log_(log) {}
	std::string name() const override { return "recording"; }
	void begin(const RunInfo &info) override { log_.push_back("begin " + std::to_string(info.total)); }
	void deliver(const LoginLink &link) override { log_.push_back("deliver " + link.alias); }
	void fail(const LinkFailure &failure) override { log_.push_back("fail " + failure.alias); }
	void end(const RunSummary &s) override
	{
		log_.push_back("end " + std::to_string(s.delivered) + " " + std::to_string(s.failed) +
			       (s.interrupted ? " interrupted" : ""));
	}

private:
	std::vector<std::string> &log_;
};

} // namespace

BOOST_AUTO_TEST_SUITE(registry)

BOOST_FIXTURE_TEST_CASE(builtins_by_name_with_option_checks, RegistryFixture)
{
	BOOST_TEST(create("print")->name() == "print");
	BOOST_TEST(create("print:format=table")->name() == "print");
	BOOST_TEST(create("browser")->name() == "browser");
	BOOST_TEST(create("exec:command=true")->name() == "exec");
	BOOST_TEST(create("file:path=/nonexistent/x.txt")->name() == "file");
	BOOST_TEST(usageError("print:formt=json") == "unknown option 'formt' for output plugin 'print'; did you mean 'format'?");
	BOOST_TEST(usageError("browser:new=1") == "unknown option 'new' for output plugin 'browser'; it takes no options");
}

BOOST_FIXTURE_TEST_CASE(unknown_names_get_did_you_mean, RegistryFixture)
{
	BOOST_TEST(usageError("prnt") == "unknown output plugin 'prnt'; did you mean 'print'?");
	BOOST_TEST(usageError("browse") == "unknown output plugin 'browse'; did you mean 'browser'?");
	BOOST_TEST(usageError("markdwn") == "unknown output plugin 'markdwn'; did you mean 'markdown'?");
	BOOST_TEST(usageError("zzzzzzzz") == "unknown output plugin 'zzzzzzzz'; run 'mwaatok plugins' to list them");
}

BOOST_FIXTURE_TEST_CASE(a_name_can_be_registered_once, RegistryFixture)
{
	BOOST_TEST(errorOf([&] { registry.add(PrintPlugin::builtin()); }, ErrorKind::Internal) ==
		   "output plugin 'print' registered twice");
}

BOOST_FIXTURE_TEST_CASE(list_shows_builtins_then_modules_with_load_errors, RegistryFixture)
{
	auto list = registry.list();
	std::vector<std::string> names, sources;
	for (const auto &l : list) {
		names.push_back(l.name);
		sources.push_back(l.source);
	}
	BOOST_TEST(names == (std::vector<std::string>{"browser", "exec", "file", "print", "markdown", "nofactory",
						     "noinfo", "throwing", "wrongversion"}));
	BOOST_TEST(sources[0] == "built-in");
	BOOST_TEST(sources[3] == "built-in");
	BOOST_TEST(list[3].description == "write results to standard output (format=url|json|ndjson|table|header)");
	BOOST_TEST(sources[4] == markdownModule());
	BOOST_TEST(list[4].loadable);
	BOOST_TEST(list[4].description == "write a Markdown list of links to a file (path=FILE)");
	BOOST_TEST(list[7].loadable);
	BOOST_TEST(!list[8].loadable);
	BOOST_TEST(list[8].description == "cannot load plugin module " + modulePath("wrongversion") +
						  ": it was built for plugin API version 1, this mwaatok uses version 2; "
						  "rebuild it");
}

BOOST_FIXTURE_TEST_CASE(markdown_module_through_the_loader, RegistryFixture)
{
	TempDir dir;
	auto p = create("markdown:path=" + dir / "links.md");
	BOOST_TEST(p->name() == "markdown");
	p->begin({3, at()});
	p->deliver(prodLink());
	p->deliver(devLink());
	p->fail(brokenFailure());
	p->end({2, 1, false});
	p.reset(); // unloads the module
	BOOST_TEST(readFile(dir / "links.md") ==
		   "# MWAA login links\n\nCreated 2024-05-01T12:00:00Z.\n\n"
		   "- [prod](<" + prodLink().loginUrl + ">) eu-west-1, expires 2024-05-01T12:01:00Z\n"
		   "- [dev \\<&\\> \"x\",y](<" + devLink().loginUrl + ">) us-east-1, expires 2024-05-01T12:01:30Z\n"
		   "- broken us-west-2: failed: resourcenotfoundexception: environment \"broken-env\", not found\n");
	BOOST_TEST(modeOf(dir / "links.md") == 0600u);
	BOOST_TEST(usageError("markdown:pth=x") == "unknown option 'pth' for output plugin 'markdown'; did you mean 'path'?");
	BOOST_TEST(pluginError("markdown") == "output plugin 'markdown' failed in create: "
					      "needs option 'path' (e.g. -o markdown:path=links.md)");
}

BOOST_FIXTURE_TEST_CASE(module_home_expansion_uses_the_environment_seam, RegistryFixture)
{
	TempDir dir;
	env.set("HOME", dir.path());
	auto p = create("markdown:path=~/m.md");
	p->begin({0, at()});
	p->end({});
	BOOST_TEST(listDir(dir.path()) == std::vector<std::string>{"m.md"});
}

BOOST_FIXTURE_TEST_CASE(wrong_api_version_is_refused, RegistryFixture)
{
	BOOST_TEST(pluginError("wrongversion") ==
		   "cannot load plugin module " + modulePath("wrongversion") +
			   ": it was built for plugin API version 1, this mwaatok uses version 2; rebuild it");
}

BOOST_FIXTURE_TEST_CASE(missing_symbols_are_refused, RegistryFixture)
{
	BOOST_TEST(pluginError("noinfo") == "cannot load plugin module " + modulePath("noinfo") +
						    ": it has no symbol mwaatok_output_plugin_info; is it an mwaatok plugin?");
	BOOST_TEST(pluginError("nofactory") == "cannot load plugin module " + modulePath("nofactory") +
						       ": it has no symbol mwaatok_output_plugin_create");
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_refused)
{
	TempDir dir;
	BOOST_TEST(errorOf([&] { PluginModule::load(dir / "mwaatok-plugin-gone.so"); }, ErrorKind::Plugin) ==
		   "cannot load plugin module " + dir / "mwaatok-plugin-gone.so" + ": No such file or directory");
	// A dangling link in a search directory names the same problem.
	BOOST_REQUIRE(::symlink((dir / "nowhere.so").c_str(), (dir / "mwaatok-plugin-gone.so").c_str()) == 0);
	MapEnvironment env({{"MWAATOK_PLUGIN_PATH", dir.path()}});
	PluginRegistry registry(env, "");
	FakeLauncher launcher;
	std::ostringstream out;
	PluginContext context{out, out, env, launcher};
	BOOST_TEST(errorOf([&] { registry.create({"gone", {}}, context); }, ErrorKind::Plugin) ==
		   "cannot load plugin module " + dir / "mwaatok-plugin-gone.so" + ": No such file or directory");
}

BOOST_AUTO_TEST_CASE(unsafe_or_misnamed_or_broken_files_are_refused)
{
	TempDir dir;
	std::filesystem::copy_file(markdownModule(), dir / "mwaatok-plugin-markdown.so");
	::chmod((dir / "mwaatok-plugin-markdown.so").c_str(), 0775);
	BOOST_TEST(errorOf([&] { PluginModule::load(dir / "mwaatok-plugin-markdown.so"); }, ErrorKind::Plugin) ==
		   "cannot load plugin module " + dir / "mwaatok-plugin-markdown.so" +
			   ": it is writable by group or others; chmod go-w it");

	std::filesystem::copy_file(markdownModule(), dir / "mwaatok-plugin-other.so");
	::chmod((dir / "mwaatok-plugin-other.so").c_str(), 0755);
	BOOST_TEST(errorOf([&] { PluginModule::load(dir / "mwaatok-plugin-other.so"); }, ErrorKind::Plugin) ==
		   "cannot load plugin module " + dir / "mwaatok-plugin-other.so" +
			   ": it calls itself 'markdown', but its file name says 'other'");

	writeFile(dir / "mwaatok-plugin-junk.so", "not a shared object\n");
	::chmod((dir / "mwaatok-plugin-junk.so").c_str(), 0755);
	std::string junk = errorOf([&] { PluginModule::load(dir / "mwaatok-plugin-junk.so"); }, ErrorKind::Plugin);
	BOOST_TEST(junk.rfind("cannot load plugin module " + dir / "mwaatok-plugin-junk.so" + ": ", 0) == 0u);
}

BOOST_AUTO_TEST_CASE(search_order_path_then_compiled_in_dir)
{
	TempDir dir;
	std::filesystem::copy_file(markdownModule(), dir / "mwaatok-plugin-markdown.so");
	::chmod((dir / "mwaatok-plugin-markdown.so").c_str(), 0755);
	MapEnvironment env({{"MWAATOK_PLUGIN_PATH", dir.path() + "::" + moduleDir()}});
	PluginRegistry registry(env, markdownDir());
	BOOST_TEST(registry.moduleDirs() == (std::vector<std::string>{dir.path(), moduleDir(), markdownDir()}));
	auto list = registry.list();
	BOOST_REQUIRE(!list.empty());
	BOOST_TEST(list[0].name == "markdown");
	BOOST_TEST(list[0].source == dir / "mwaatok-plugin-markdown.so");

	// Only the compiled-in directory.
	MapEnvironment none;
	PluginRegistry installed(none, markdownDir());
	auto only = installed.list();
	BOOST_REQUIRE(only.size() == 1u);
	BOOST_TEST(only[0].source == markdownModule());
	BOOST_TEST(!PluginRegistry::defaultModuleDir().empty());
}

BOOST_AUTO_TEST_CASE(modules_are_loaded_only_when_named_or_listed)
{
	// Issue 12: reading the configuration ran every module's constructors.
	TempDir dir;
	std::string marker = dir / "loaded";
	::setenv("MWAATOK_TEST_LOAD_MARKER", marker.c_str(), 1);
	std::string markerDir = std::filesystem::path(envOrFail("MWAATOK_TEST_MARKER_MODULE")).parent_path().string();
	MapEnvironment env({{"MWAATOK_PLUGIN_PATH", markerDir}});
	PluginRegistry registry(env, "");
	registerBuiltinPlugins(registry);
	FakeLauncher launcher;
	std::ostringstream out;
	PluginContext context{out, out, env, launcher};

	auto names = registry.names();
	BOOST_TEST(std::count(names.begin(), names.end(), "loadmarker") == 1);
	BOOST_TEST(std::count(names.begin(), names.end(), "print") == 1);
	registry.create({"print", {}}, context);
	BOOST_TEST(!std::filesystem::exists(marker), "names() and a built-in plugin loaded no module");

	auto plugin = registry.create({"loadmarker", {}}, context);
	BOOST_TEST(plugin->name() == "loadmarker");
	BOOST_TEST(std::filesystem::exists(marker), "the module named by an output is loaded");
	::unsetenv("MWAATOK_TEST_LOAD_MARKER");
}

BOOST_AUTO_TEST_CASE(relative_plugin_path_entries_are_refused)
{
	MapEnvironment env({{"MWAATOK_PLUGIN_PATH", moduleDir() + ":plugins"}});
	PluginRegistry registry(env, "");
	const std::string expected = "MWAATOK_PLUGIN_PATH entry 'plugins' is not an absolute directory; "
				     "give plugin directories as absolute paths";
	BOOST_TEST(errorOf([&] { registry.moduleDirs(); }, ErrorKind::Config) == expected);
	BOOST_TEST(errorOf([&] { registry.list(); }, ErrorKind::Config) == expected);
	BOOST_TEST(errorOf([&] { PluginModule::load("plugins/mwaatok-plugin-markdown.so"); }, ErrorKind::Plugin) ==
		   "cannot load plugin module plugins/mwaatok-plugin-markdown.so: not an absolute path; "
		   "give plugin directories as absolute paths");
}

BOOST_AUTO_TEST_CASE(a_module_in_a_directory_others_can_write_is_refused)
{
	TempDir dir;
	std::string sub = dir / "shared";
	std::filesystem::create_directory(sub);
	std::string module = sub + "/mwaatok-plugin-markdown.so";
	std::filesystem::copy_file(markdownModule(), module);
	::chmod(module.c_str(), 0755);
	for (unsigned mode : {0775u, 0757u, 01777u}) {
		BOOST_TEST_CONTEXT("directory mode " << std::oct << mode)
		{
			::chmod(sub.c_str(), mode);
			BOOST_TEST(errorOf([&] { PluginModule::load(module); }, ErrorKind::Plugin) ==
				   "cannot load plugin module " + module + ": its directory " + sub +
					   " is writable by group or others; chmod go-w " + sub);
		}
	}
	::chmod(sub.c_str(), 0755);
	BOOST_TEST(PluginModule::load(module)->name() == "markdown");
}

BOOST_FIXTURE_TEST_CASE(a_module_that_throws_is_caught_at_the_boundary, RegistryFixture)
{
	BOOST_TEST(pluginError("throwing:in=create") == "output plugin 'throwing' failed in create: boom in create");

	std::vector<std::unique_ptr<OutputPlugin>> plugins;
	plugins.push_back(create("throwing:in=deliver"));
	plugins.push_back(create("print:format=json"));
	plugins.push_back(create("throwing:in=end"));
	OutputDispatcher dispatcher(std::move(plugins));
	dispatcher.begin({2, at()});
	dispatcher.deliver(prodLink());
	dispatcher.fail(brokenFailure());
	dispatcher.end();
	// print still got everything.
	BOOST_TEST(out.str().find("\"alias\":\"prod\"") != std::string::npos);
	BOOST_TEST(out.str().find("\"alias\":\"broken\"") != std::string::npos);
	auto errors = dispatcher.errors();
	BOOST_REQUIRE(errors.size() == 2u);
	BOOST_TEST((errors[0].kind() == ErrorKind::Plugin));
	BOOST_TEST(errors[0].what() == std::string("output plugin 'throwing' failed in deliver: boom in deliver"));
	BOOST_TEST(errors[1].what() == std::string("output plugin 'throwing' failed in end with an unknown exception"));
}

BOOST_AUTO_TEST_CASE(dispatcher_counts_and_ends_an_interrupted_run)
{
	std::vector<std::string> log;
	{
		std::vector<std::unique_ptr<OutputPlugin>> plugins;
		plugins.push_back(std::make_unique<RecordingPlugin>(log));
		OutputDispatcher dispatcher(std::move(plugins));
		dispatcher.begin({5, at()});
		dispatcher.deliver(prodLink());
		dispatcher.fail(brokenFailure());
		dispatcher.deliver(devLink());
		// destroyed without end(): the run was interrupted
	}
	BOOST_TEST(log == (std::vector<std::string>{"begin 5", "deliver prod", "fail broken",
						    "deliver " + devLink().alias, "end 2 1 interrupted"}));

	log.clear();
	{
		std::vector<std::unique_ptr<OutputPlugin>> plugins;
		plugins.push_back(std::make_unique<RecordingPlugin>(log));
		OutputDispatcher dispatcher(std::move(plugins));
		dispatcher.begin({0, at()});
		dispatcher.end();
		dispatcher.end();
	}
	BOOST_TEST(log == (std::vector<std::string>{"begin 0", "end 0 0"}));
}

BOOST_AUTO_TEST_CASE(dispatcher_makes_other_errors_plugin_errors)
{
	struct IoFailing final : OutputPlugin {
		std::string name() const override { return "iofail"; }
		void deliver(const LoginLink &) override { throw Error(ErrorKind::Io, "disk full"); }
	};
	std::vector<std::unique_ptr<OutputPlugin>> plugins;
	plugins.push_back(std::make_unique<IoFailing>());
	OutputDispatcher dispatcher(std::move(plugins));
	dispatcher.deliver(prodLink());
	auto errors = dispatcher.errors();
	BOOST_REQUIRE(errors.size() == 1u);
	BOOST_TEST((errors[0].kind() == ErrorKind::Plugin));
	BOOST_TEST(errors[0].what() == std::string("output plugin 'iofail': disk full"));
}

BOOST_AUTO_TEST_SUITE_END()

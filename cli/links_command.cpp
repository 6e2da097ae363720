// url, open, token, cli: the commands that create MWAA tokens.
#include <csignal>
#include <cstdio>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <unistd.h>
#include <variant>

#include "app.h"
#include "builtin_plugins.h"
#include "core/strings.h"
#include "mwaatok/environment_profile.h"
#include "mwaatok/error.h"
#include "mwaatok/mwaa_client.h"
#include "mwaatok/ordered_run.h"
#include "mwaatok/output_plugin.h"
#include "plugin/output_dispatcher.h"

namespace mwaatok::cli {

namespace {

std::atomic<bool> interrupted{ false };

extern "C" void onInterrupt(int sig)
{
	interrupted.store(true);
	// A second Ctrl-C ends the process at once.
	std::signal(sig, SIG_DFL);
}

/// Stops new requests on SIGINT/SIGTERM for the lifetime of a run.
class InterruptGuard {
public:
	InterruptGuard()
	{
		interrupted.store(false);
		oldInt_ = std::signal(SIGINT, onInterrupt);
		oldTerm_ = std::signal(SIGTERM, onInterrupt);
	}
	~InterruptGuard()
	{
		std::signal(SIGINT, oldInt_);
		std::signal(SIGTERM, oldTerm_);
	}

private:
	void (*oldInt_)(int);
	void (*oldTerm_)(int);
};

/// One environment's work: the clients it needs and how to make a link.
class LinkMaker {
public:
	explicit LinkMaker(App &app) : app_(app) {}

	/// The MWAA client for \a env (clients are shared per AWS profile and endpoint).
	MwaaClient client(const ResolvedEnvironment &env)
	{
		auto awsProfile = env.awsProfile.value;
		std::string region = env.region.value ? *env.region.value : app_.region(awsProfile);
		std::optional<std::string> explicitUrl, configuredUrl;
		if (env.endpointUrl.source == ValueSource::CommandLine)
			explicitUrl = env.endpointUrl.value;
		else
			configuredUrl = env.endpointUrl.value ? env.endpointUrl.value : app_.profileEndpointUrl(awsProfile);
		auto endpoint = MwaaEndpointConfig::fromEnvironment(app_.env(), region, explicitUrl, configuredUrl);
		CallOptions options;
		app_.applyCallOptions(options);
		options.region = region;
		return MwaaClient(awsClient(awsProfile), endpoint, options);
	}

	/// Create a web login token and the login URL for \a env.
	LoginLink makeLink(const ResolvedEnvironment &env)
	{
		// --timeout bounds the whole environment, credentials included, however servers drip.
		CallOptions limits;
		app_.applyCallOptions(limits);
		DeadlineScope deadline(std::chrono::steady_clock::now() + limits.deadline);
		MwaaClient mwaa = client(env);
		LoginLink link;
		link.alias = env.alias;
		link.environmentName = env.name;
		link.region = mwaa.endpoint().region;

		int major = env.airflowVersion.value.value_or(0);
		std::future<int> version;
		if (major == 0) {
			// Asked concurrently with the token, so it adds no latency.
			version = std::async(std::launch::async, [this, &mwaa, &env]() -> int {
				try {
					int v = airflowMajorVersion(mwaa.getEnvironment(env.name).airflowVersion);
					if (v == 0)
						app_.trace(env.alias + ": unknown Airflow version; using the Airflow 2 login URL");
					return v == 0 ? 2 : v;
				} catch (const Error &e) {
					app_.trace(env.alias + ": GetEnvironment failed (" + e.what() +
						   "); using the Airflow 2 login URL (set airflow_version or --airflow-version)");
					return 2;
				}
			});
		}
		WebLoginToken token;
		try {
			token = mwaa.createWebLoginToken(env.name);
		} catch (...) {
			if (version.valid())
				version.wait();
			throw;
		}
		if (version.valid())
			major = version.get();
		link.issuedAt = app_.clock().now();
		link.expiresAt = link.issuedAt + std::chrono::seconds(60);
		link.hostname = token.webServerHostname;
		link.token = token.webToken;
		link.loginUrl = loginUrl(token.webServerHostname, token.webToken, major);
		link.airflowVersion = std::to_string(major);
		link.iamIdentity = token.iamIdentity;
		link.airflowIdentity = token.airflowIdentity;
		return link;
	}

	AwsClient &awsClient(const std::optional<std::string> &awsProfile)
	{
		std::lock_guard lock(mutex_);
		auto &slot = clients_[awsProfile.value_or("")];
		if (!slot)
			slot = std::make_unique<AwsClient>(
				app_.transport(), app_.clock(), [this, awsProfile] { return app_.credentials(awsProfile); },
				[this](const std::string &line) { app_.trace(line); },
				app_.debugSink());
		return *slot;
	}

private:
	App &app_;
	std::mutex mutex_;
	std::map<std::string, std::unique_ptr<AwsClient>> clients_;
};

/// Plugins for the run: -o specs (or the profile's defaults, or print), with
/// the profile's `outputs` options under the command line's.
std::vector<std::unique_ptr<OutputPlugin>> makePlugins(App &app, const EnvironmentProfile &profile,
						       bool openInBrowser)
{
	std::vector<std::string> specs = outputSpecs(profile, app.options().outputs);
	if (openInBrowser) {
		specs = app.options().outputs;
		specs.insert(specs.begin(), "browser");
	}
	if (specs.empty())
		specs.push_back("print");
	std::vector<std::unique_ptr<OutputPlugin>> plugins;
	PluginContext context{ std::cout, std::cerr, app.env(), app.launcher() };
	for (const auto &text : specs) {
		OutputSpec spec = parseOutputSpec(text);
		if (auto it = profile.outputs.find(spec.name); it != profile.outputs.end()) {
			PluginOptions merged;
			for (const auto &[k, v] : it->second)
				if (!findOption(spec.options, k))
					merged.emplace_back(k, v);
			merged.insert(merged.end(), spec.options.begin(), spec.options.end());
			spec.options = std::move(merged);
		}
		plugins.push_back(app.plugins().create(spec, context));
	}
	return plugins;
}

/// A progress line on stderr, at most ten times a second, when it is a terminal.
class ProgressLine {
public:
	ProgressLine(App &app, size_t total)
		: app_(app), enabled_(total > 1 && !app.options().quiet && !app.options().noProgress && isatty(2)),
		  start_(std::chrono::steady_clock::now())
	{
	}
	~ProgressLine() { clear(); }

	void update(const RunProgress &p)
	{
		if (!enabled_)
			return;
		auto now = std::chrono::steady_clock::now();
		if (p.done < p.total && now - last_ < std::chrono::milliseconds(100))
			return;
		last_ = now;
		double secs = std::chrono::duration<double>(now - start_).count();
		char line[160];
		std::snprintf(line, sizeof line, "\r\033[K%zu/%zu done, %zu failed, %.0f/s", p.done, p.total,
			      p.failed, secs > 0 ? static_cast<double>(p.done) / secs : 0.0);
		std::cerr << line << std::flush;
		shown_ = true;
	}

	void clear()
	{
		if (shown_)
			std::cerr << "\r\033[K" << std::flush;
		shown_ = false;
	}

private:
	App &app_;
	bool enabled_;
	bool shown_ = false;
	std::chrono::steady_clock::time_point start_, last_{};
};

int exitStatusForRun(size_t successes, const std::vector<ErrorKind> &failureKinds)
{
	if (failureKinds.empty())
		return 0;
	if (successes == 0) {
		// Nothing worked for one reason: say which (no credentials, bad configuration).
		bool same = std::all_of(failureKinds.begin(), failureKinds.end(),
					[&](ErrorKind k) { return exitStatusFor(k) == exitStatusFor(failureKinds[0]); });
		if (same)
			return exitStatusFor(failureKinds[0]);
	}
	return 1;
}

} // namespace

int runLinks(App &app, bool openInBrowser)
{
	const Options &o = app.options();
	const EnvironmentProfile &profile = app.profile();
	EnvironmentSelection selection{ o.args, o.all, o.tags };
	auto envs = selectEnvironments(profile, selection, app.profileOverrides());
	OutputDispatcher outputs(makePlugins(app, profile, openInBrowser));
	LinkMaker maker(app);

	using Result = std::variant<LoginLink, LinkFailure>;
	std::vector<Result> results(envs.size());
	std::vector<ErrorKind> failureKinds;
	std::mutex kindsMutex;
	int jobs = o.jobs ? *o.jobs : profile.defaults.jobs.value_or(16);

	InterruptGuard guard;
	outputs.begin(RunInfo{ envs.size(), app.clock().now() });
	ProgressLine progress(app, envs.size());
	size_t successes = 0;
	size_t started = runOrdered(
		envs.size(), jobs,
		[&](size_t i) {
			const auto &env = envs[i];
			try {
				results[i] = maker.makeLink(env);
				return true;
			} catch (const Error &e) {
				auto *service = dynamic_cast<const ServiceError *>(&e);
				results[i] = LinkFailure{ env.alias, env.name, env.region.value.value_or(""), e.what(),
							  service ? service->code() : "" };
				std::lock_guard lock(kindsMutex);
				failureKinds.push_back(e.kind());
			} catch (const std::exception &e) {
				results[i] = LinkFailure{ env.alias, env.name, env.region.value.value_or(""),
							  std::string("internal error: ") + e.what(), "" };
				std::lock_guard lock(kindsMutex);
				failureKinds.push_back(ErrorKind::Internal);
			}
			return false;
		},
		[&](size_t i) {
			if (auto *link = std::get_if<LoginLink>(&results[i])) {
				++successes;
				outputs.deliver(*link);
			} else {
				const auto &failure = std::get<LinkFailure>(results[i]);
				progress.clear();
				std::cerr << "mwaatok: error: " << failure.alias << ": " << failure.message << "\n";
				outputs.fail(failure);
			}
			results[i] = LinkFailure{}; // the token is not kept longer than needed
		},
		[&](const RunProgress &p) { progress.update(p); }, interrupted);
	progress.clear();
	bool wasInterrupted = started < envs.size();
	outputs.end(wasInterrupted);
	std::cout.flush();

	int status = exitStatusForRun(successes, failureKinds);
	for (const auto &e : outputs.errors()) {
		std::cerr << "mwaatok: error: " << e.what() << "\n";
		status = status == 0 ? 1 : status;
	}
	if (wasInterrupted) {
		std::cerr << "mwaatok: interrupted: " << envs.size() - started << " of " << envs.size()
			  << " environments were not started\n";
		return 130;
	}
	return status;
}

int runUrl(App &app)
{
	return runLinks(app, false);
}

int runOpen(App &app)
{
	return runLinks(app, true);
}

namespace {

ResolvedEnvironment singleEnvironment(App &app, const char *command)
{
	const Options &o = app.options();
	if (o.args.size() != 1)
		throw Error(ErrorKind::Usage, std::string(command) + " takes exactly one environment");
	EnvironmentSelection selection{ o.args, false, {} };
	return selectEnvironments(app.profile(), selection, app.profileOverrides()).front();
}

} // namespace

int runToken(App &app)
{
	auto env = singleEnvironment(app, "token");
	LinkMaker maker(app);
	std::cout << formatWebLoginTokenJson(maker.client(env).createWebLoginToken(env.name));
	return 0;
}

int runCli(App &app)
{
	const Options &o = app.options();
	auto env = singleEnvironment(app, "cli");
	if (o.passthrough.empty())
		throw Error(ErrorKind::Usage, "cli needs an Airflow command after --, e.g. mwaatok cli " +
						      env.alias + " -- dags list");
	std::string command;
	for (const auto &a : o.passthrough)
		command += (command.empty() ? "" : " ") + a;
	LinkMaker maker(app);
	CliToken token = maker.client(env).createCliToken(env.name);
	auto timeout = std::chrono::milliseconds(
		static_cast<long long>(o.timeoutSeconds.value_or(60) * 1000));
	auto result = invokeAirflowCli(app.transport(), token, command, timeout);
	std::cout << result.stdoutText << std::flush;
	std::cerr << result.stderrText << std::flush;
	return 0;
}

} // namespace mwaatok::cli

// url, open, token: the commands that create MWAA tokens, and the run
// every result kind shares (api, session and cli use it too).
// The work happens in the library (mwaatok/run.h); this file keeps the
// terminal: signals, the progress line, error lines and the exit status.
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <poll.h>
#include <unistd.h>

#include "app.h"
#include "mwaatok/aws_cli_json.h"
#include "mwaatok/environment_profile.h"
#include "mwaatok/error.h"
#include "mwaatok/output_dispatcher.h"
#include "mwaatok/output_plugin.h"
#include "mwaatok/output_spec.h"
#include "mwaatok/process.h"
#include "mwaatok/run.h"
#include "mwaatok/terminal_text.h"

namespace mwaatok::cli {

namespace {

std::atomic<bool> interrupted{ false };

extern "C" void onInterrupt(int sig)
{
	interrupted.store(true);
	// Children run in process groups of their own, out of the terminal's reach.
	if (sig == SIGINT)
		signalRunningProcesses(sig);
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

/// Plugins for the run: -o specs (or, for links, the profile's defaults; or print), with
/// the profile's `outputs` options under the command line's.
std::vector<std::unique_ptr<OutputPlugin>> makePlugins(App &app, const EnvironmentProfile &profile,
						       bool openInBrowser, ResultKind kind)
{
	// The profile's outputs (defaults and options) are for login links; the
	// other kinds (api, session, cli) print unless -o says otherwise.
	std::vector<std::string> specs = kind == ResultKind::LoginLink ? outputSpecs(profile, app.options().outputs)
								       : app.options().outputs;
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
		auto it = profile.outputs.find(spec.name);
		if (kind == ResultKind::LoginLink && it != profile.outputs.end()) {
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

/// True when standard output is a pipe or socket whose reader has gone.
bool stdoutClosed()
{
	pollfd p{ 1, POLLOUT, 0 };
	return ::poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

} // namespace

int runResults(App &app, RunRequest request, bool openInBrowser, size_t firstEnvironmentArg)
{
	const Options &o = app.options();
	const EnvironmentProfile &profile = app.profile();
	std::vector<std::string> names(o.args.begin() + static_cast<long>(std::min(firstEnvironmentArg, o.args.size())),
				       o.args.end());
	EnvironmentSelection selection{ names, o.all, o.tags };
	auto envs = selectEnvironments(profile, selection, app.profileOverrides());
	OutputDispatcher outputs(makePlugins(app, profile, openInBrowser, request.kind));
	Session &session = app.session();

	request.jobs = o.jobs ? *o.jobs : profile.defaults.jobs.value_or(16);

	InterruptGuard guard;
	ProgressLine progress(app, envs.size());
	RunHooks hooks;
	hooks.interrupt = &interrupted;
	hooks.progress = [&](const RunProgress &p) { progress.update(p); };
	hooks.result = [&](size_t, const RunResult &r) {
		if (const LinkFailure *failure = r.failure()) {
			progress.clear();
			std::cerr << "mwaatok: error: " << terminalText(failure->alias) << ": " << failure->message << "\n";
		} else if (const auto *answer = std::get_if<AirflowAnswer>(&r.value); answer && !answer->ok()) {
			progress.clear();
			std::cerr << "mwaatok: error: " << terminalText(answer->alias) << ": Airflow answered HTTP "
				  << answer->status
				  << (answer->title.empty() ? "" : ": " + terminalText(answer->title, kServiceTextLimit))
				  << (answer->detail.empty() ? "" : ": " + terminalText(answer->detail, kServiceTextLimit))
				  << "\n";
		}
	};
	// A reader that went away (`| head -1`) ends the run quietly, as cat does.
	hooks.outputClosed = [] { return stdoutClosed(); };
	RunReport report = session.run(envs, request, outputs, hooks);
	progress.clear();
	if (report.outputClosed)
		return 128 + SIGPIPE;
	std::cout.flush();

	int status = exitStatusForRun(report.succeeded, report.failureKinds);
	for (const auto &e : outputs.errors()) {
		std::cerr << "mwaatok: error: " << e.what() << "\n";
		status = status == 0 ? 1 : status;
	}
	if (report.interrupted) {
		std::cerr << "mwaatok: interrupted: " << report.total - report.started << " of " << report.total
			  << " environments were not started\n";
		return 130;
	}
	return status;
}

int runLinks(App &app, bool openInBrowser)
{
	RunRequest request;
	request.kind = ResultKind::LoginLink;
	return runResults(app, std::move(request), openInBrowser);
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
	std::cout << formatWebLoginTokenJson(app.session().createWebLoginToken(env));
	return 0;
}


} // namespace mwaatok::cli

// Session::run: many environments with bounded concurrency, one result per
// environment, delivered in order.
#include "mwaatok/output_dispatcher.h"
#include "mwaatok/terminal_text.h"
#include "run/ordered_run.h"
#include "run/session_impl.h"

namespace mwaatok {

namespace {

RunResult failed(const ResolvedEnvironment &env, const std::string &region, ResultKind kind,
		 ErrorKind errorKind, std::string message, std::string code)
{
	RunResult r;
	r.kind = kind;
	r.value = LinkFailure{ env.alias, env.name, region, std::move(message), std::move(code) };
	r.errorKind = errorKind;
	return r;
}

} // namespace

RunResult Session::Impl::produce(const ResolvedEnvironment &env, const RunRequest &request)
{
	ResultKind kind = request.kind;
	Impl &impl = *this;
	try {
		RunResult r;
		r.kind = kind;
		switch (kind) {
		case ResultKind::LoginLink:
			// --timeout is a deadline for each environment, credentials included.
			r.value = impl.withinDeadline([&] { return impl.makeLink(env); });
			break;
		case ResultKind::AirflowAnswer: {
			AirflowAnswer answer = impl.airflowAnswer(env, request);
			if (!answer.ok())
				r.errorKind = ErrorKind::Service; // Airflow's error: exit status 1
			r.value = std::move(answer);
			break;
		}
		case ResultKind::WebSession:
			r.value = impl.airflowSession(env);
			break;
		case ResultKind::CliOutput:
			r.value = impl.cliOutput(env, request.cliCommand);
			break;
		}
		return r;
	} catch (const Error &e) {
		auto *service = dynamic_cast<const ServiceError *>(&e);
		return failed(env, impl.regionOf(env), kind, e.kind(), e.what(), service ? service->code() : "");
	} catch (const std::exception &e) {
		// Not an Error, so not escaped yet: the text may come from anywhere.
		return failed(env, impl.regionOf(env), kind, ErrorKind::Internal,
			      terminalText(std::string("internal error: ") + e.what(), kServiceTextLimit), "");
	}
}

RunReport Session::run(const std::vector<ResolvedEnvironment> &envs, const RunRequest &request,
		       OutputDispatcher &outputs, const RunHooks &hooks)
{
	impl_->callOptions(); // a bad retry setting is one error for the run, before anything starts
	RunReport report;
	report.total = envs.size();
	std::vector<RunResult> results(envs.size());
	// Set once the output is gone; like an interrupt, it stops new work.
	std::atomic<bool> stop{ false };
	std::atomic<bool> outputClosed{ false };
	const std::atomic<bool> *interrupt = hooks.interrupt;
	auto stopped = [&] { return stop.load() || (interrupt && interrupt->load()); };

	outputs.check(request.kind);
	if (request.kind == ResultKind::AirflowAnswer) {
		if (!request.airflow)
			throw Error(ErrorKind::Internal, "an Airflow API run without a request");
		checkAirflowRequest(*request.airflow); // refused before anything is sent
	}
	outputs.begin(RunInfo{ envs.size(), impl_->seams.clock.now(), request.kind });
	report.started = runOrdered(
		envs.size(), request.jobs,
		[&](size_t i) {
			results[i] = impl_->produce(envs[i], request);
			return results[i].succeeded();
		},
		[&](size_t i) {
			RunResult &r = results[i];
			if (outputClosed.load())
				return;
			if (hooks.result)
				hooks.result(i, r);
			size_t errorsBefore = outputs.errors().size();
			if (r.ok()) {
				if (r.succeeded())
					++report.succeeded;
				else
					report.failureKinds.push_back(r.errorKind);
				std::visit(
					[&](const auto &payload) {
						using T = std::decay_t<decltype(payload)>;
						if constexpr (!std::is_same_v<T, LinkFailure>)
							outputs.deliver(payload);
					},
					r.value);
			} else {
				report.failureKinds.push_back(r.errorKind);
				outputs.fail(*r.failure());
			}
			r = RunResult{}; // the token is not kept longer than needed
			if (outputs.errors().size() > errorsBefore && hooks.outputClosed && hooks.outputClosed()) {
				outputClosed.store(true);
				stop.store(true);
			}
		},
		[&](const RunProgress &p) {
			if (hooks.progress && !outputClosed.load())
				hooks.progress(p);
		},
		stopped);
	report.outputClosed = outputClosed.load();
	report.interrupted = !report.outputClosed && report.started < envs.size();
	outputs.end(report.interrupted || report.outputClosed);
	return report;
}

} // namespace mwaatok

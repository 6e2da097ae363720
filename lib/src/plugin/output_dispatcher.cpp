#include "mwaatok/output_dispatcher.h"

#include <exception>

namespace mwaatok {

OutputDispatcher::OutputDispatcher(std::vector<std::unique_ptr<OutputPlugin>> plugins)
	: plugins_(std::move(plugins))
{
}

OutputDispatcher::~OutputDispatcher()
{
	try {
		if (begun_ && !ended_)
			end(true);
	} catch (...) {
		// end() already records plugin errors; nothing else can be done here.
	}
}

template <typename F>
void OutputDispatcher::forEach(const char *stage, F &&f)
{
	for (auto &p : plugins_) {
		try {
			f(*p);
		} catch (const Error &e) {
			errors_.push_back(e.kind() == ErrorKind::Plugin
						  ? e
						  : Error(ErrorKind::Plugin, "output plugin '" + p->name() + "': " + e.what()));
		} catch (const std::exception &e) {
			errors_.emplace_back(ErrorKind::Plugin, "output plugin '" + p->name() + "' failed in " +
									stage + ": " + e.what());
		}
	}
}

template <typename Result>
void OutputDispatcher::deliverOne(const Result &result)
{
	std::lock_guard lock(mutex_);
	++summary_.delivered;
	forEach("deliver", [&](OutputPlugin &p) { p.deliver(result); });
}

void OutputDispatcher::begin(const RunInfo &info)
{
	std::lock_guard lock(mutex_);
	begun_ = true;
	forEach("begin", [&](OutputPlugin &p) { p.begin(info); });
}

void OutputDispatcher::deliver(const LoginLink &link)
{
	deliverOne(link);
}

void OutputDispatcher::check(ResultKind kind) const
{
	std::lock_guard lock(mutex_);
	for (const auto &p : plugins_)
		if (!p->accepts(kind))
			throw Error(ErrorKind::Usage, "output plugin '" + p->name() + "' cannot deliver " +
							      resultKindName(kind) + "; choose another with -o");
}

void OutputDispatcher::deliver(const AirflowAnswer &answer)
{
	deliverOne(answer);
}

void OutputDispatcher::deliver(const AirflowSession &session)
{
	deliverOne(session);
}

void OutputDispatcher::deliver(const CliOutput &output)
{
	deliverOne(output);
}

void OutputDispatcher::fail(const LinkFailure &failure)
{
	std::lock_guard lock(mutex_);
	++summary_.failed;
	forEach("fail", [&](OutputPlugin &p) { p.fail(failure); });
}

void OutputDispatcher::end(bool interrupted)
{
	std::lock_guard lock(mutex_);
	if (ended_)
		return;
	ended_ = true;
	summary_.interrupted = interrupted;
	forEach("end", [&](OutputPlugin &p) { p.end(summary_); });
}

std::vector<Error> OutputDispatcher::errors() const
{
	std::lock_guard lock(mutex_);
	return errors_;
}

} // namespace mwaatok

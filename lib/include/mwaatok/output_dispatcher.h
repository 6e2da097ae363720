#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "mwaatok/error.h"
#include "mwaatok/output_plugin.h"

namespace mwaatok {

/// Hands every result and failure of a run to each plugin, one call at a time
/// (safe to call from several threads). A plugin that throws does not stop
/// the run or the other plugins: its error is kept in errors(). end() is
/// called on destruction if nobody called it, as an interrupted run.
class OutputDispatcher {
public:
	explicit OutputDispatcher(std::vector<std::unique_ptr<OutputPlugin>> plugins);
	~OutputDispatcher();

	OutputDispatcher(const OutputDispatcher &) = delete;
	OutputDispatcher &operator=(const OutputDispatcher &) = delete;

	/// Throws Error(Usage) naming the first plugin that cannot deliver \a kind.
	void check(ResultKind kind) const;
	void begin(const RunInfo &info);
	void deliver(const LoginLink &link);
	void deliver(const AirflowAnswer &answer);
	void deliver(const AirflowSession &session);
	void deliver(const CliOutput &output);
	void fail(const LinkFailure &failure);
	/// Tells every plugin the run is over, with the counts seen so far.
	void end(bool interrupted = false);

	/// Every plugin failure so far, each an Error(Plugin) naming the plugin.
	std::vector<Error> errors() const;

private:
	template <typename F>
	void forEach(const char *stage, F &&f);
	template <typename Result>
	void deliverOne(const Result &result);

	mutable std::mutex mutex_;
	std::vector<std::unique_ptr<OutputPlugin>> plugins_;
	std::vector<Error> errors_;
	RunSummary summary_;
	bool begun_ = false;
	bool ended_ = false;
};

} // namespace mwaatok

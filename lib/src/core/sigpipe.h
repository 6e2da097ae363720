#pragma once

#include <signal.h>

namespace mwaatok {

/// SIGPIPE blocked on this thread while it lives: a write to a closed pipe or
/// connection (OpenSSL writes with write(2), without MSG_NOSIGNAL) is then
/// EPIPE, never the end of the process. A SIGPIPE raised meanwhile is
/// consumed; one that was pending before is left for its owner.
class SigpipeBlock {
public:
	SigpipeBlock();
	~SigpipeBlock();
	SigpipeBlock(const SigpipeBlock &) = delete;
	SigpipeBlock &operator=(const SigpipeBlock &) = delete;

	/// The thread's signal mask from before (for a child to restore).
	const sigset_t &old() const { return old_; }

private:
	sigset_t old_;
	bool wasPending_ = false;
};

} // namespace mwaatok

#include "core/sigpipe.h"

#include <pthread.h>
#include <ctime>

namespace mwaatok {

namespace {

sigset_t sigpipeSet()
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	return set;
}

} // namespace

SigpipeBlock::SigpipeBlock()
{
	sigset_t set = sigpipeSet(), pending;
	::pthread_sigmask(SIG_BLOCK, &set, &old_);
	wasPending_ = ::sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
}

SigpipeBlock::~SigpipeBlock()
{
	if (!wasPending_) {
		sigset_t set = sigpipeSet();
		struct timespec zero {};
		while (::sigtimedwait(&set, nullptr, &zero) > 0) {
		}
	}
	::pthread_sigmask(SIG_SETMASK, &old_, nullptr);
}

} // namespace mwaatok

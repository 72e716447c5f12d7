/* clock.c - the command clock's per-thread snapshot (see clock.h). */
#include "base/clock.h"

_Thread_local long long clock__now;

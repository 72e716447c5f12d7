/* clock.h - the time commands see.
 *
 * Redis takes one wall-clock reading per command (its command time
 * snapshot) so that a key cannot expire halfway through a command; respite
 * takes one per batch of pipelined requests read together, and the cron
 * and background work set their own. Every reading of "now" by the
 * keyspace (lazy expiry, the LRU clock, relative TTLs) goes through
 * clock_now(). Per thread: each event-loop thread has its own batch. */
#ifndef RESPITE_CLOCK_H
#define RESPITE_CLOCK_H

#include "base/util.h"

extern _Thread_local long long clock__now; /* read through clock_now() */

/* Sets the snapshot (unix ms); 0 clears it. */
static inline void clock_set_now(long long ms)
{
    clock__now = ms;
}

/* The snapshot, or the wall clock when none is set. */
static inline long long clock_now(void)
{
    return clock__now ? clock__now : util_mstime();
}

#endif

/* blocking.h - clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN ... and
 * their MPOP forms) across event-loop threads.
 *
 * A blocking command whose keys cannot serve it calls blocking_wait: the
 * client joins, for each key, that key's queue of waiters (one registry
 * for all threads under one mutex), first come first served, and stops
 * running its later requests. When a list or sorted set appears at a
 * waited-on key (storage's ready hook, under the key's shard lock), the
 * thread that made it asks, once its top-level command has ended (so a
 * MULTI or a script wakes nobody before it is over), the first waiter of
 * the right type to try again: the waiter's own thread re-runs the
 * blocked command under the ordinary locks (Redis 7.2's model). Served,
 * the client leaves every queue and its next waiter is asked in turn (the
 * key may hold more); finding nothing (someone else was faster), it keeps
 * its place. One try is in flight per key at a time, and the flag that
 * says so is cleared under the key's shard lock, so no push between a
 * failed try and the next can go unnoticed.
 *
 * Timeouts are a libuv timer of the waiter's thread (millisecond
 * precision). CLIENT UNBLOCK, a disconnect and SWAPDB go through the same
 * registry. */
#ifndef RESPITE_BLOCKING_H
#define RESPITE_BLOCKING_H

#include <stddef.h>
#include <stdint.h>

struct client;
struct arg;

/* Registers the storage and call-path hooks and the client close hook. */
void blocking_setup(void);

/* From a blocking command's handler (holding its keys' locks), when no
 * key can serve it and call_may_block(c): c waits on the nkeys keys at
 * keys (repeats count once) for values of `type` (ENTRY_TYPE_LIST or
 * ENTRY_TYPE_ZSET) until deadline (unix ms; 0: for ever), when it gets
 * Redis's null array (BLMOVE's too). The handler sends no reply. A retry
 * that finds nothing calls it again: c keeps its place in every queue. */
void blocking_wait(struct client *c, const struct arg *keys, size_t nkeys, unsigned type,
                   long long deadline);

/* INFO: clients waiting, keys waited on. */
size_t blocking_clients(void);
size_t blocking_keys(void);
/* INFO clients_in_timeout_table: waiters with a timeout. */
size_t blocking_timeouts(void);

/* CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 when that client was waiting (it
 * then gets the timeout reply, or with error the UNBLOCKED error, from its
 * own thread), else 0. Any thread. */
int blocking_unblock(uint64_t id, int error);

/* After SWAPDB of databases a and b: keys waited on in either may now hold
 * values; their waiters try again. */
void blocking_swapdb(int a, int b);

/* CLIENT PAUSE: from now until end_ms (unix ms; a later pause may only
 * extend it), requests of every client (all) or those that may write wait
 * unread, and nothing expires or is evicted. CLIENT UNPAUSE, or the time
 * coming, ends it and the waiting requests run. Any thread. */
void blocking_pause(long long end_ms, int all);
void blocking_unpause(void);

/* The networking layer runs the requests a client sent while it waited
 * through this, once it no longer waits. */
typedef void blocking_resume_fn(struct client *c);
void blocking_set_resume(blocking_resume_fn *fn);

#endif

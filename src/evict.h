/* evict.h - keeping the data set inside maxmemory: the access clock each
 * key carries (LRU seconds or an LFU counter) and the sampled eviction
 * that frees memory before a command that may grow it. */
#ifndef RESPITE_EVICT_H
#define RESPITE_EVICT_H

#include <stdint.h>

struct entry;

/* Stamps e on access according to the policy: LRU clock, or LFU decay
 * then logarithmic increment. New entries get init_lfu_on_create. */
void evict_touch(struct entry *e, int is_new);

/* Called before a command flagged denyoom when maxmemory is set: evicts
 * until used memory is under the limit, within a time bound. Returns 0 if
 * the command may run, -1 if it must get the OOM error (noeviction, or
 * nothing evictable), -2 if a script past busy-reply-threshold holds the
 * locks (the command gets BUSY). */
int evict_before_command(void);

/* After a denyoom command: evicts back under the limit if the command
 * pushed memory over it (evicting policies only). */
void evict_after_command(void);

/* 1 when the last eviction stopped on its time limit with memory still
 * over maxmemory: the server then runs evict_cycle slices until it is 0. */
int evict_pending(void);

/* Evicts for up to us microseconds when over the limit (the cron, after
 * CONFIG SET maxmemory lowered it). Returns 1 if still over. */
int evict_cycle(uint64_t us);

/* Idle time in ms by the LRU clock (1 s resolution), for OBJECT IDLETIME. */
long long evict_idle_ms(const struct entry *e);
/* Forgets pooled candidates (FLUSHALL, policy change, tests). */
void evict_pool_clear(void);
/* Frees the calling thread's pool buffers (thread exit). */
void evict_thread_exit(void);

/* LFU helpers, exposed for OBJECT FREQ and the unit tests. */
uint8_t evict_lfu_counter(const struct entry *e);
uint8_t evict_lfu_log_incr(uint8_t counter, double r, int log_factor);

#endif

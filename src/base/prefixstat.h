/* prefixstat.h - keyspace hits and misses by key prefix: the part of the
 * key up to and including the first prefix-stats-delimiter (":" by
 * default: "product:", "user:"), so a team sharing one cache sees which of
 * its caches is cold. Beyond Redis: INFO prefixstats and /metrics'
 * respite_keyspace_prefix_{hits,misses}_total.
 *
 * Bounded: each thread keeps at most PREFIXSTAT_SLOTS prefixes, the busy
 * ones (a newcomer takes a slot from the lesser of its two candidates only
 * with probability 1/(that one's count + 1), so one-off prefixes do not
 * push out steady ones); what no slot holds is counted as "other", so
 * the rows and other always add up to keyspace_hits and keyspace_misses.
 * Counting is one memchr, a short hash and two compares on the thread's
 * own table, no lock. */
#ifndef RESPITE_PREFIXSTAT_H
#define RESPITE_PREFIXSTAT_H

#include <stddef.h>
#include <stdint.h>

#define PREFIXSTAT_SLOTS   64
#define PREFIXSTAT_MAX_LEN 31 /* longer prefixes count as other */

/* Gives the calling thread its table (before it runs commands). */
void prefixstat_thread_setup(void);
/* The delimiter byte, or -1 to count nothing (set from the config). */
void prefixstat_set_delimiter(int delim);
/* Counts a read lookup of key: a hit or a miss. */
void prefixstat_count(const char *key, size_t len, int hit);

struct prefixstat_row {
    char prefix[PREFIXSTAT_MAX_LEN + 1];
    size_t len;
    uint64_t hits, misses;
};
/* The top n prefixes by hits + misses over every thread, into rows
 * (returns how many); the rest, and what no slot held, into *other. */
size_t prefixstat_top(struct prefixstat_row *rows, size_t n, struct prefixstat_row *other);
/* CONFIG RESETSTAT: every count back to zero. */
void prefixstat_reset(void);

#endif

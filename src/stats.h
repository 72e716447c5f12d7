/* stats.h - server counters for INFO: totals, per-command and per-error
 * figures, and the instantaneous rates sampled by the cron. */
#ifndef RESPITE_STATS_H
#define RESPITE_STATS_H

#include <stddef.h>
#include <stdint.h>

struct stats {
    long long start_ms;
    uint64_t commands;
    uint64_t connections;
    uint64_t rejected_connections;
    uint64_t expired_keys;
    uint64_t evicted_keys;
    uint64_t keyspace_hits;
    uint64_t keyspace_misses;
    uint64_t net_input_bytes;
    uint64_t net_output_bytes;
    uint64_t error_replies;
    uint64_t rejected_calls;    /* refused before running: arity, unknown */
    uint64_t unexpected_errors; /* error replies outside any command */
    uint64_t expire_cycle_us;   /* CPU spent in active expiry */
    uint64_t expired_stale_pct; /* last cycle's estimate, percent */
    uint64_t io_reads;
    uint64_t io_writes;
};

extern struct stats stats;

/* Counts an error reply by its code (the first word: ERR, WRONGTYPE...). */
void stats_count_error(const char *msg, size_t len);
/* Visits errorstat entries for INFO errorstats. */
typedef void stats_error_fn(const char *code, uint64_t count, void *arg);
void stats_errors_each(stats_error_fn *fn, void *arg);
void stats_reset(void);

/* Called every 100 ms by the cron: samples ops and bytes per second. */
void stats_sample(long long now_ms);
double stats_inst_ops(void);
double stats_inst_input_kbps(void);
double stats_inst_output_kbps(void);

#endif

/* stats.h - server counters for INFO: totals, per-command and per-error
 * figures, and the instantaneous rates sampled by the cron.
 *
 * Every thread that runs commands owns one block of counters and is the
 * only writer of it; INFO sums the blocks. Updates are relaxed atomic
 * loads and stores, which compile to plain moves (no lock prefix, no
 * shared cache line), so counting costs what it did single-threaded while
 * readers on other threads see whole values. */
#ifndef RESPITE_STATS_H
#define RESPITE_STATS_H

#include <stddef.h>
#include <stdint.h>

#define STATS_MAX_ERROR_CODES 128

struct error_stat {
    char code[32];
    uint64_t count;
};

/* Per command (and subcommand), indexed by struct command's index. */
struct cmd_counters {
    uint64_t calls, usec, rejected_calls, failed_calls;
};

struct stats {
    uint64_t commands;
    uint64_t connections;
    uint64_t rejected_connections;
    uint64_t expired_keys;
    uint64_t expired_subkeys; /* hash fields removed by their TTL */
    uint64_t evicted_keys;
    uint64_t evicted_clients; /* closed by maxmemory-clients */
    uint64_t keyspace_hits;
    uint64_t keyspace_misses;
    uint64_t net_input_bytes;
    uint64_t net_output_bytes;
    uint64_t error_replies;
    uint64_t unexpected_errors;
    uint64_t expire_cycle_us;
    uint64_t expired_stale_pct; /* last cycle's estimate (main thread) */
    uint64_t io_reads;
    uint64_t io_writes;
    /* Not summed field by field: */
    int nerrors;
    struct error_stat errors[STATS_MAX_ERROR_CODES];
    struct cmd_counters *cmd;
    size_t ncmd;
};

/* This thread's block (registered by stats_thread_setup). */
extern _Thread_local struct stats *stats_mine;

#define STAT_LOAD(x)   __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define STAT_SET(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define STAT_ADD(x, n) STAT_SET(x, STAT_LOAD(x) + (uint64_t)(n))
/* The common case: a counter of this thread's block. */
#define STAT_INC(field, n) STAT_ADD(stats_mine->field, n)

/* Gives the calling thread its block; ncmd is the number of commands and
 * subcommands (command_total()). Call once per thread before commands. */
void stats_thread_setup(size_t ncmd);
/* Sums every thread's counters into out (errors and commands not
 * included: see the functions below). */
void stats_total(struct stats *out);
/* Counts an error reply by its code (the first word: ERR, WRONGTYPE...). */
void stats_count_error(const char *msg, size_t len);
/* Visits errorstat entries, summed over threads, for INFO errorstats. */
typedef void stats_error_fn(const char *code, uint64_t count, void *arg);
void stats_errors_each(stats_error_fn *fn, void *arg);
/* One command's counters summed over threads. */
void stats_command_total(size_t index, struct cmd_counters *out);
/* CONFIG RESETSTAT: every counter of every thread back to zero. */
void stats_reset(void);
long long stats_start_ms(void);
void stats_set_start(long long ms);

/* Called every 100 ms by the cron: samples ops and bytes per second. */
void stats_sample(long long now_ms);
double stats_inst_ops(void);
double stats_inst_input_kbps(void);
double stats_inst_output_kbps(void);

#endif

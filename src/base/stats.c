/* stats.c - per-thread counters, error statistics and instantaneous rates. */
#include "base/stats.h"

#include <pthread.h>
#include <string.h>

#include "base/mem.h"

#define STATS_MAX_THREADS 256

_Thread_local struct stats *stats_mine;
static struct stats *stats__blocks[STATS_MAX_THREADS];
static int stats__nblocks;
static pthread_mutex_t stats__lock = PTHREAD_MUTEX_INITIALIZER;
static long long stats__start_ms;

void stats_thread_setup(size_t ncmd)
{
    if (stats_mine != NULL) return;
    struct stats *s = mem_calloc(sizeof(*s));
    s->ncmd = ncmd;
    s->cmd = mem_calloc((ncmd ? ncmd : 1) * sizeof(*s->cmd));
    pthread_mutex_lock(&stats__lock);
    if (stats__nblocks < STATS_MAX_THREADS) stats__blocks[stats__nblocks++] = s;
    pthread_mutex_unlock(&stats__lock);
    stats_mine = s;
}

/* Blocks are never freed or removed, so the list only grows; readers copy
 * the count under the lock and then read blocks without it. */
static int stats__snapshot(struct stats **out)
{
    pthread_mutex_lock(&stats__lock);
    int n = stats__nblocks;
    memcpy(out, stats__blocks, (size_t)n * sizeof(*out));
    pthread_mutex_unlock(&stats__lock);
    return n;
}

void stats_total(struct stats *out)
{
    struct stats *blocks[STATS_MAX_THREADS];
    int n = stats__snapshot(blocks);
    memset(out, 0, sizeof(*out));
    for (int i = 0; i < n; i++) {
        struct stats *s = blocks[i];
        out->commands += STAT_LOAD(s->commands);
        out->connections += STAT_LOAD(s->connections);
        out->rejected_connections += STAT_LOAD(s->rejected_connections);
        out->expired_keys += STAT_LOAD(s->expired_keys);
        out->expired_subkeys += STAT_LOAD(s->expired_subkeys);
        out->evicted_keys += STAT_LOAD(s->evicted_keys);
        out->evicted_clients += STAT_LOAD(s->evicted_clients);
        out->keyspace_hits += STAT_LOAD(s->keyspace_hits);
        out->keyspace_misses += STAT_LOAD(s->keyspace_misses);
        out->net_input_bytes += STAT_LOAD(s->net_input_bytes);
        out->net_output_bytes += STAT_LOAD(s->net_output_bytes);
        out->error_replies += STAT_LOAD(s->error_replies);
        out->unexpected_errors += STAT_LOAD(s->unexpected_errors);
        out->expire_cycle_us += STAT_LOAD(s->expire_cycle_us);
        out->expired_stale_pct += STAT_LOAD(s->expired_stale_pct);
        out->io_reads += STAT_LOAD(s->io_reads);
        out->io_writes += STAT_LOAD(s->io_writes);
    }
}

/* Error codes are few (ERR, WRONGTYPE, NOPROTO, OOM...); a small array
 * per thread searched linearly is enough. Redis caps the number of
 * distinct codes it tracks at 128 to bound memory; so do we. A new code is
 * written before the count that publishes it (release/acquire). */
void stats_count_error(const char *msg, size_t len)
{
    struct stats *s = stats_mine;
    size_t n = 0;
    while (n < len && n < sizeof(s->errors[0].code) - 1 && msg[n] != ' ') n++;
    STAT_ADD(s->error_replies, 1);
    int count = s->nerrors;
    for (int i = 0; i < count; i++) {
        if (strlen(s->errors[i].code) == n && memcmp(s->errors[i].code, msg, n) == 0) {
            STAT_ADD(s->errors[i].count, 1);
            return;
        }
    }
    if (count == STATS_MAX_ERROR_CODES) return;
    memcpy(s->errors[count].code, msg, n);
    s->errors[count].code[n] = '\0';
    STAT_SET(s->errors[count].count, 1);
    __atomic_store_n(&s->nerrors, count + 1, __ATOMIC_RELEASE);
}

void stats_errors_each(stats_error_fn *fn, void *arg)
{
    struct stats *blocks[STATS_MAX_THREADS];
    int n = stats__snapshot(blocks);
    struct error_stat sum[STATS_MAX_ERROR_CODES];
    int nsum = 0;
    for (int b = 0; b < n; b++) {
        struct stats *s = blocks[b];
        int count = __atomic_load_n(&s->nerrors, __ATOMIC_ACQUIRE);
        for (int i = 0; i < count; i++) {
            int k = 0;
            while (k < nsum && strcmp(sum[k].code, s->errors[i].code) != 0) k++;
            if (k == nsum) {
                if (nsum == STATS_MAX_ERROR_CODES) continue;
                memcpy(sum[k].code, s->errors[i].code, sizeof(sum[k].code));
                sum[k].count = 0;
                nsum++;
            }
            sum[k].count += STAT_LOAD(s->errors[i].count);
        }
    }
    for (int k = 0; k < nsum; k++)
        if (sum[k].count) fn(sum[k].code, sum[k].count, arg);
}

void stats_command_total(size_t index, struct cmd_counters *out)
{
    struct stats *blocks[STATS_MAX_THREADS];
    int n = stats__snapshot(blocks);
    memset(out, 0, sizeof(*out));
    for (int b = 0; b < n; b++) {
        if (index >= blocks[b]->ncmd) continue;
        struct cmd_counters *c = &blocks[b]->cmd[index];
        out->calls += STAT_LOAD(c->calls);
        out->usec += STAT_LOAD(c->usec);
        out->rejected_calls += STAT_LOAD(c->rejected_calls);
        out->failed_calls += STAT_LOAD(c->failed_calls);
    }
}

void stats_reset(void)
{
    struct stats *blocks[STATS_MAX_THREADS];
    int n = stats__snapshot(blocks);
    for (int b = 0; b < n; b++) {
        struct stats *s = blocks[b];
        uint64_t *fields[] = {
            &s->commands,          &s->connections,       &s->rejected_connections,
            &s->expired_keys,      &s->evicted_keys,      &s->keyspace_hits,
            &s->keyspace_misses,   &s->net_input_bytes,   &s->net_output_bytes,
            &s->error_replies,     &s->unexpected_errors, &s->expire_cycle_us,
            &s->expired_stale_pct, &s->io_reads,          &s->io_writes,
            &s->expired_subkeys,   &s->evicted_clients};
        for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) STAT_SET(*fields[i], 0);
        int count = __atomic_load_n(&s->nerrors, __ATOMIC_ACQUIRE);
        for (int i = 0; i < count; i++) STAT_SET(s->errors[i].count, 0);
        for (size_t i = 0; i < s->ncmd; i++) {
            STAT_SET(s->cmd[i].calls, 0);
            STAT_SET(s->cmd[i].usec, 0);
            STAT_SET(s->cmd[i].rejected_calls, 0);
            STAT_SET(s->cmd[i].failed_calls, 0);
        }
    }
}

long long stats_start_ms(void)
{
    return stats__start_ms;
}

void stats_set_start(long long ms)
{
    stats__start_ms = ms;
}

/* Instantaneous metrics as Redis computes them: a sample every 100 ms of
 * the counter's delta per second, averaged over the last 16 samples. Only
 * the main thread's cron samples, and INFO on other threads reads the
 * averages: the samples are relaxed atomics. */
#define STATS_SAMPLES 16
enum { INST_OPS, INST_NET_IN, INST_NET_OUT, INST_COUNT };
static struct {
    long long last_ms;
    uint64_t last_value;
    double samples[STATS_SAMPLES];
    int idx;
} stats__inst[INST_COUNT];

static void stats__track(int metric, uint64_t value, long long now_ms)
{
    long long dt = now_ms - stats__inst[metric].last_ms;
    if (stats__inst[metric].last_ms != 0 && dt > 0 && value >= stats__inst[metric].last_value) {
        double rate = (double)(value - stats__inst[metric].last_value) * 1000.0 / (double)dt;
        __atomic_store(&stats__inst[metric].samples[stats__inst[metric].idx], &rate,
                       __ATOMIC_RELAXED);
        stats__inst[metric].idx = (stats__inst[metric].idx + 1) % STATS_SAMPLES;
    }
    stats__inst[metric].last_ms = now_ms;
    stats__inst[metric].last_value = value;
}

static double stats__avg(int metric)
{
    double sum = 0;
    for (int i = 0; i < STATS_SAMPLES; i++) {
        double v;
        __atomic_load(&stats__inst[metric].samples[i], &v, __ATOMIC_RELAXED);
        sum += v;
    }
    return sum / STATS_SAMPLES;
}

void stats_sample(long long now_ms)
{
    struct stats t;
    stats_total(&t);
    stats__track(INST_OPS, t.commands, now_ms);
    stats__track(INST_NET_IN, t.net_input_bytes, now_ms);
    stats__track(INST_NET_OUT, t.net_output_bytes, now_ms);
}

double stats_inst_ops(void)
{
    return stats__avg(INST_OPS);
}

double stats_inst_input_kbps(void)
{
    return stats__avg(INST_NET_IN) / 1024;
}

double stats_inst_output_kbps(void)
{
    return stats__avg(INST_NET_OUT) / 1024;
}

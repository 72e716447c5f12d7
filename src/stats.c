/* stats.c - counters, error statistics and instantaneous rates. */
#include "stats.h"

#include <string.h>

#include "mem.h"

struct stats stats;

/* Error codes are few (ERR, WRONGTYPE, NOPROTO, OOM...); a small array
 * searched linearly is enough. Redis caps the number of distinct codes it
 * tracks at 128 to bound memory; so do we. */
#define STATS_MAX_ERROR_CODES 128

struct error_stat {
    char code[32];
    uint64_t count;
};
static struct error_stat stats__errors[STATS_MAX_ERROR_CODES];
static int stats__nerrors;

void stats_count_error(const char *msg, size_t len)
{
    size_t n = 0;
    while (n < len && n < sizeof(stats__errors[0].code) - 1 && msg[n] != ' ') n++;
    stats.error_replies++;
    for (int i = 0; i < stats__nerrors; i++) {
        if (strlen(stats__errors[i].code) == n && memcmp(stats__errors[i].code, msg, n) == 0) {
            stats__errors[i].count++;
            return;
        }
    }
    if (stats__nerrors == STATS_MAX_ERROR_CODES) return;
    memcpy(stats__errors[stats__nerrors].code, msg, n);
    stats__errors[stats__nerrors].code[n] = '\0';
    stats__errors[stats__nerrors].count = 1;
    stats__nerrors++;
}

void stats_errors_each(stats_error_fn *fn, void *arg)
{
    for (int i = 0; i < stats__nerrors; i++) fn(stats__errors[i].code, stats__errors[i].count, arg);
}

/* Instantaneous metrics as Redis computes them: a sample every 100 ms of
 * the counter's delta per second, averaged over the last 16 samples. */
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
    if (stats__inst[metric].last_ms != 0 && dt > 0) {
        double rate = (double)(value - stats__inst[metric].last_value) * 1000.0 / (double)dt;
        stats__inst[metric].samples[stats__inst[metric].idx] = rate;
        stats__inst[metric].idx = (stats__inst[metric].idx + 1) % STATS_SAMPLES;
    }
    stats__inst[metric].last_ms = now_ms;
    stats__inst[metric].last_value = value;
}

static double stats__avg(int metric)
{
    double sum = 0;
    for (int i = 0; i < STATS_SAMPLES; i++) sum += stats__inst[metric].samples[i];
    return sum / STATS_SAMPLES;
}

void stats_sample(long long now_ms)
{
    stats__track(INST_OPS, stats.commands, now_ms);
    stats__track(INST_NET_IN, stats.net_input_bytes, now_ms);
    stats__track(INST_NET_OUT, stats.net_output_bytes, now_ms);
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

/* CONFIG RESETSTAT: counters back to zero (command.c resets its own); the
 * start time and sampled rates stay. */
void stats_reset(void)
{
    long long start = stats.start_ms;
    memset(&stats, 0, sizeof(stats));
    stats.start_ms = start;
    stats__nerrors = 0;
}

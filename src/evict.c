/* evict.c - approximate LRU / LFU / TTL / random eviction by sampling.
 *
 * Each entry has 24 bits of access data. Under an LRU policy it is the
 * time of last access in seconds (mod 2^24, ~194 days); under LFU it is
 * Redis's layout: 16 bits of "last decrement" time in minutes and an 8-bit
 * logarithmic access counter. Eviction samples maxmemory-samples random
 * keys (only keys with a TTL for volatile-* policies) from random
 * databases and evicts the best candidate: the longest idle, the least
 * frequently used, the nearest to expiring, or the first sampled. This is
 * the sampled approximation Redis uses, without its candidate pool yet.
 *
 * Cost: one eviction is `samples` random lookups; a command that needs
 * many evictions is bounded by EVICT_MAX_US, after which it runs anyway if
 * some memory was freed (the next command continues), as Redis does. */
#include "evict.h"

#include <math.h>

#include "config.h"
#include "db.h"
#include "entry.h"
#include "mem.h"
#include "stats.h"
#include "util.h"

#define EVICT_MAX_US   500 /* per command */
#define LFU_INIT_VAL   5
#define LFU_DECAY_MIN  1 /* lfu-decay-time, minutes */
#define LFU_LOG_FACTOR 10

static int evict__is_lfu(void)
{
    return cfg.maxmemory_policy == MM_ALLKEYS_LFU || cfg.maxmemory_policy == MM_VOLATILE_LFU;
}

static uint32_t evict__get(const struct entry *e)
{
    return (uint32_t)e->lru[0] | (uint32_t)e->lru[1] << 8 | (uint32_t)e->lru[2] << 16;
}

static void evict__put(struct entry *e, uint32_t v)
{
    e->lru[0] = (uint8_t)v;
    e->lru[1] = (uint8_t)(v >> 8);
    e->lru[2] = (uint8_t)(v >> 16);
}

static uint32_t evict__lru_clock(void)
{
    return (uint32_t)(db_now() / 1000) & 0xFFFFFFu;
}

static uint32_t evict__minutes(void)
{
    return (uint32_t)(db_now() / 60000) & 0xFFFFu;
}

uint8_t evict_lfu_log_incr(uint8_t counter, double r, int log_factor)
{
    if (counter == 255) return 255;
    double base = (double)counter - LFU_INIT_VAL;
    if (base < 0) base = 0;
    double p = 1.0 / (base * log_factor + 1);
    return r < p ? (uint8_t)(counter + 1) : counter;
}

/* The counter after decay: one step down per lfu-decay-time minutes since
 * the last decrement. */
uint8_t evict_lfu_counter(const struct entry *e)
{
    uint32_t v = evict__get(e);
    uint32_t ldt = v >> 8, counter = v & 0xFF;
    uint32_t now = evict__minutes();
    uint32_t elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
    uint32_t periods = elapsed / LFU_DECAY_MIN;
    return (uint8_t)(periods > counter ? 0 : counter - periods);
}

void evict_touch(struct entry *e, int is_new)
{
    if (!evict__is_lfu()) {
        evict__put(e, evict__lru_clock());
        return;
    }
    uint8_t counter = is_new ? LFU_INIT_VAL : evict_lfu_counter(e);
    if (!is_new) {
        double r = (double)(util_rand64() >> 11) / (double)(1ULL << 53);
        counter = evict_lfu_log_incr(counter, r, LFU_LOG_FACTOR);
    }
    evict__put(e, evict__minutes() << 8 | counter);
}

/* Higher is a better victim. */
static double evict__score(const struct entry *e)
{
    switch (cfg.maxmemory_policy) {
    case MM_ALLKEYS_LRU:
    case MM_VOLATILE_LRU: {
        uint32_t now = evict__lru_clock(), then = evict__get(e);
        return (double)(now >= then ? now - then : 0xFFFFFFu - then + now);
    }
    case MM_ALLKEYS_LFU:
    case MM_VOLATILE_LFU: return 255.0 - evict_lfu_counter(e);
    case MM_VOLATILE_TTL: return -(double)entry_expire(e);
    default: return 0;
    }
}

static struct db *evict__random_db(int volatile_only)
{
    uint64_t total = 0;
    for (int i = 0; i < db_count(); i++)
        total += volatile_only ? db_expires(db_get(i)) : db_size(db_get(i));
    if (total == 0) return NULL;
    uint64_t r = util_rand64() % total;
    for (int i = 0; i < db_count(); i++) {
        uint64_t n = volatile_only ? db_expires(db_get(i)) : db_size(db_get(i));
        if (r < n) return db_get(i);
        r -= n;
    }
    return NULL;
}

/* Evicts one key; returns 0 if there was nothing to evict. */
static int evict__one(void)
{
    int pol = cfg.maxmemory_policy;
    int volatile_only = pol == MM_VOLATILE_LRU || pol == MM_VOLATILE_LFU ||
                        pol == MM_VOLATILE_RANDOM || pol == MM_VOLATILE_TTL;
    int random = pol == MM_ALLKEYS_RANDOM || pol == MM_VOLATILE_RANDOM;
    struct entry *best = NULL;
    struct db *best_db = NULL;
    double best_score = 0;
    int found = 0, want = random ? 1 : cfg.maxmemory_samples;
    /* Volatile keys may be a small share of a table: allow more draws
     * than samples, bounded. */
    for (int tries = 0; found < want && tries < want * 16; tries++) {
        struct db *db = evict__random_db(volatile_only);
        if (db == NULL) break;
        struct entry *e = table_random(&db->keys);
        if (e == NULL || (volatile_only && entry_expire(e) < 0)) continue;
        double score = evict__score(e);
        if (best == NULL || score > best_score) {
            best = e;
            best_db = db;
            best_score = score;
        }
        found++;
    }
    if (best == NULL) return 0;
    db_delete(best_db, entry_key(best), entry_klen(best));
    stats.evicted_keys++;
    return 1;
}

static int evict__run(uint64_t us, int *freed_any)
{
    uint64_t start = util_monotonic_us();
    *freed_any = 0;
    int n = 0;
    while (mem_used() > cfg.maxmemory) {
        if (!evict__one()) return -1;
        *freed_any = 1;
        /* Check the clock every 16 evictions: it costs more than one. */
        if ((++n & 15) == 0 && util_monotonic_us() - start >= us) return 1;
    }
    return 0;
}

int evict_before_command(void)
{
    if (cfg.maxmemory == 0 || mem_used() <= cfg.maxmemory) return 0;
    if (cfg.maxmemory_policy == MM_NOEVICTION) return -1;
    int freed;
    int rc = evict__run(EVICT_MAX_US, &freed);
    if (rc < 0 && !freed) return -1;
    return 0;
}

void evict_after_command(void)
{
    if (cfg.maxmemory_policy == MM_NOEVICTION || mem_used() <= cfg.maxmemory) return;
    int freed;
    evict__run(EVICT_MAX_US, &freed);
}

int evict_cycle(uint64_t us)
{
    if (cfg.maxmemory == 0 || cfg.maxmemory_policy == MM_NOEVICTION) return 0;
    int freed;
    return evict__run(us, &freed) == 1;
}

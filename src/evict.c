/* evict.c - approximate LRU / LFU / TTL / random eviction by sampling.
 *
 * Each entry has 24 bits of access data. Under an LRU policy it is the
 * time of last access in seconds (mod 2^24, ~194 days); under LFU it is
 * Redis's layout: 16 bits of "last decrement" time in minutes and an 8-bit
 * logarithmic access counter.
 *
 * Choosing a victim follows Redis's approximation: each round samples
 * maxmemory-samples random keys (only keys with a TTL for volatile-*
 * policies) from a random non-empty shard, scores them (idle time, 255 -
 * frequency, or nearness of expiry) and merges them into a pool of the
 * EVICT_POOL_SIZE best candidates seen so far. The best pool entry that
 * still exists is evicted. The pool carries good candidates across rounds,
 * so with 5 samples a round the choice is close to true LRU. Random
 * policies skip the pool.
 *
 * Cost: a round is `samples` random picks plus a lookup of the victim.
 * One command's evictions are bounded by maxmemory-eviction-tenacity's
 * time limit (500 us at the default 10); past it the command runs anyway
 * if something was freed, and the rest is left to the next command and the
 * cron, as in Redis. */
#include "evict.h"

#include <math.h>
#include <string.h>

#include "config.h"
#include "db.h"
#include "entry.h"
#include "mem.h"
#include "notify.h"
#include "stats.h"
#include "util.h"

#define LFU_INIT_VAL    5
#define EVICT_POOL_SIZE 16

static int evict__is_lfu(void)
{
    return CFG(maxmemory_policy) == MM_ALLKEYS_LFU || CFG(maxmemory_policy) == MM_VOLATILE_LFU;
}

static int evict__is_volatile(void)
{
    int p = CFG(maxmemory_policy);
    return p == MM_VOLATILE_LRU || p == MM_VOLATILE_LFU || p == MM_VOLATILE_RANDOM ||
           p == MM_VOLATILE_TTL;
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
 * the last decrement (0 disables decay). */
uint8_t evict_lfu_counter(const struct entry *e)
{
    uint32_t v = evict__get(e);
    uint32_t ldt = v >> 8, counter = v & 0xFF;
    if (CFG(lfu_decay_time) <= 0) return (uint8_t)counter;
    uint32_t now = evict__minutes();
    uint32_t elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
    uint32_t periods = elapsed / (uint32_t)CFG(lfu_decay_time);
    return (uint8_t)(periods > counter ? 0 : counter - periods);
}

long long evict_idle_ms(const struct entry *e)
{
    uint32_t now = evict__lru_clock(), then = evict__get(e);
    uint32_t idle = now >= then ? now - then : 0xFFFFFFu - then + now;
    return (long long)idle * 1000;
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
        counter = evict_lfu_log_incr(counter, r, CFG(lfu_log_factor));
    }
    evict__put(e, evict__minutes() << 8 | counter);
}

/* Higher is a better victim. */
static double evict__score(const struct entry *e)
{
    switch (CFG(maxmemory_policy)) {
    case MM_ALLKEYS_LRU:
    case MM_VOLATILE_LRU: return (double)evict_idle_ms(e);
    case MM_ALLKEYS_LFU:
    case MM_VOLATILE_LFU: return 255.0 - evict_lfu_counter(e);
    case MM_VOLATILE_TTL: return -(double)entry_expire(e);
    default: return 0;
    }
}

/* The candidate pool, best (highest score) last. Keys are copied: the
 * entries may be deleted or replaced between rounds. Each slot keeps its
 * key buffer across uses (grown when needed), so steady-state eviction
 * does not allocate. */
struct pool_slot {
    double score;
    uint64_t tag; /* cheap key fingerprint: compared before the bytes */
    int dbid;
    size_t klen, cap;
    char *key;
};
/* Per thread: each event-loop thread evicts for its own commands. */
static _Thread_local struct pool_slot evict__pool[EVICT_POOL_SIZE];
static _Thread_local int evict__pool_n;

/* First and last 8 bytes with the length: distinguishes keys that share
 * a prefix (key:000001, key:000002) without hashing them. */
static uint64_t pool__tag(const char *key, size_t klen)
{
    uint64_t a = 0, b = 0;
    memcpy(&a, key, klen < 8 ? klen : 8);
    if (klen > 8) memcpy(&b, key + klen - 8, 8);
    return a ^ (b * 0x9E3779B97F4A7C15ULL) ^ klen;
}

static int pool__contains(int dbid, const char *key, size_t klen, uint64_t tag)
{
    for (int i = 0; i < evict__pool_n; i++)
        if (evict__pool[i].tag == tag && evict__pool[i].dbid == dbid &&
            evict__pool[i].klen == klen && memcmp(evict__pool[i].key, key, klen) == 0)
            return 1;
    return 0;
}

/* Inserts a candidate keeping the pool sorted by score; when full, it
 * replaces the worst entry if it is better. */
static void pool__insert(int dbid, const struct entry *e, double score)
{
    int pos = 0;
    while (pos < evict__pool_n && evict__pool[pos].score < score) pos++;
    if (pos == 0 && evict__pool_n == EVICT_POOL_SIZE) return; /* worse than all held */
    const char *key = entry_key(e);
    size_t klen = entry_klen(e);
    uint64_t tag = pool__tag(key, klen);
    if (pool__contains(dbid, key, klen, tag)) return;
    struct pool_slot slot;
    if (evict__pool_n == EVICT_POOL_SIZE) {
        if (pos == 0) return;  /* worse than everything held */
        slot = evict__pool[0]; /* the worst goes; its buffer is reused */
        memmove(&evict__pool[0], &evict__pool[1], (size_t)(pos - 1) * sizeof(slot));
        pos--;
    } else {
        slot = evict__pool[evict__pool_n]; /* an unused slot (maybe a buffer) */
        memmove(&evict__pool[pos + 1], &evict__pool[pos],
                (size_t)(evict__pool_n - pos) * sizeof(slot));
        evict__pool_n++;
    }
    if (slot.cap < klen) {
        slot.cap = klen < 64 ? 64 : klen;
        slot.key = mem_realloc(slot.key, slot.cap);
    }
    memcpy(slot.key, key, klen);
    slot.klen = klen;
    slot.tag = tag;
    slot.score = score;
    slot.dbid = dbid;
    evict__pool[pos] = slot;
}

/* Drops the best entry; its slot (and buffer) stays for reuse. */
static void pool__pop(void)
{
    evict__pool_n--;
}

void evict_pool_clear(void)
{
    evict__pool_n = 0;
}

void evict_thread_exit(void)
{
    for (int i = 0; i < EVICT_POOL_SIZE; i++) {
        mem_free(evict__pool[i].key);
        evict__pool[i].key = NULL;
        evict__pool[i].cap = 0;
    }
    evict__pool_n = 0;
}

/* Database weights (key counts, or volatile key counts) for picking where
 * to sample: summing them reads every shard's counter, so it is done every
 * 64 picks, not per pick. Stale weights only make a pick miss and retry.
 * Per thread. */
#define EVICT_MAX_DBS 64
static _Thread_local uint64_t evict__w[EVICT_MAX_DBS];
static _Thread_local uint64_t evict__wtotal;
static _Thread_local int evict__wvolatile = -1;
static _Thread_local unsigned evict__wuses;

static void evict__weigh(int volatile_only)
{
    int n = db_count() < EVICT_MAX_DBS ? db_count() : EVICT_MAX_DBS;
    evict__wtotal = 0;
    for (int i = 0; i < n; i++) {
        evict__w[i] = volatile_only ? db_expires(db_get(i)) : db_size(db_get(i));
        evict__wtotal += evict__w[i];
    }
    evict__wvolatile = volatile_only;
}

static struct db *evict__random_db(int volatile_only)
{
    /* Refreshed every 64 picks: fresh enough to follow the data set. */
    if (evict__wvolatile != volatile_only || evict__wtotal == 0 || (++evict__wuses & 63) == 0)
        evict__weigh(volatile_only);
    if (evict__wtotal == 0) return NULL;
    uint64_t r = util_rand64() % evict__wtotal;
    int n = db_count() < EVICT_MAX_DBS ? db_count() : EVICT_MAX_DBS;
    for (int i = 0; i < n; i++) {
        if (r < evict__w[i]) return db_get(i);
        r -= evict__w[i];
    }
    return NULL;
}

/* A random shard of db, weighted by its (volatile) key count; -1 if
 * none (the counts can move under us with several threads). */
static int evict__random_shard(struct db *db, int volatile_only)
{
    uint64_t total = volatile_only ? db_expires(db) : db_size(db);
    if (total == 0) return -1;
    uint64_t r = util_rand64() % total;
    for (int i = 0; i < TABLE_SHARDS; i++) {
        struct shard *s = &db->keys.shards[i];
        uint64_t n = volatile_only ? shard_volatile(s) : shard_count(s);
        if (r < n) return i;
        r -= n;
    }
    return -1;
}

/* Samples about maxmemory-samples keys of one random shard into the pool
 * (volatile policies keep only keys with a TTL, and try a few shards if
 * the first holds few of them). Returns how many keys were sampled, or -1
 * when a busy script holds the shard (see db_lock_shard_wait). */
static int evict__sample(int volatile_only)
{
    struct entry *picked[64];
    int want = CFG(maxmemory_samples) < 64 ? CFG(maxmemory_samples) : 64, found = 0;
    for (int tries = 0; found == 0 && tries < 8; tries++) {
        struct db *db = evict__random_db(volatile_only);
        if (db == NULL) return 0;
        int sh = evict__random_shard(db, volatile_only);
        if (sh < 0) continue;
        if (db_lock_shard_wait(db, (unsigned)sh) != 0) return -1;
        size_t n = shard_sample(&db->keys.shards[sh], picked, (size_t)want);
        for (size_t i = 0; i < n; i++) {
            if (volatile_only && entry_expire(picked[i]) < 0) continue;
            pool__insert(db->id, picked[i], evict__score(picked[i]));
            found++;
        }
        db_unlock_shard(db, (unsigned)sh);
    }
    return found;
}

/* Deletes key if it still qualifies (exists; has a TTL under a volatile
 * policy), under its shard's lock. Returns 1 if it was evicted, -1 if a
 * busy script holds the shard. */
static int evict__delete(struct db *db, const char *key, size_t klen, int volatile_only)
{
    unsigned sh = table_shard_of(util_hash(key, klen));
    struct keyref ref;
    int done = 0;
    if (db_lock_shard_wait(db, sh) != 0) return -1;
    struct entry *e = db_lookup(db, key, klen, DB_LOOKUP_NOTOUCH, &ref);
    if (e != NULL && (!volatile_only || entry_expire(e) >= 0)) {
        db_event(NOTIFY_EVICTED, "evicted", db, key, klen);
        db_remove(&ref);
        STAT_INC(evicted_keys, 1);
        done = 1;
    }
    db_unlock_shard(db, sh);
    return done;
}

/* Evicts one key; returns 0 if there was nothing to evict, -1 if a busy
 * script holds the locks. */
static int evict__one(void)
{
    int volatile_only = evict__is_volatile();
    int pol = CFG(maxmemory_policy);
    if (pol == MM_ALLKEYS_RANDOM || pol == MM_VOLATILE_RANDOM) {
        for (int tries = 0; tries < 64; tries++) {
            struct db *db = evict__random_db(volatile_only);
            if (db == NULL) return 0;
            int sh = evict__random_shard(db, volatile_only);
            if (sh < 0) continue;
            struct entry *picked[8];
            char key[256];
            size_t klen = 0;
            if (db_lock_shard_wait(db, (unsigned)sh) != 0) return -1;
            size_t n = shard_sample(&db->keys.shards[sh], picked, 8);
            for (size_t i = 0; i < n && klen == 0; i++) {
                if (volatile_only && entry_expire(picked[i]) < 0) continue;
                if (entry_klen(picked[i]) > sizeof(key)) continue;
                klen = entry_klen(picked[i]);
                memcpy(key, entry_key(picked[i]), klen);
            }
            db_unlock_shard(db, (unsigned)sh);
            int rc = klen ? evict__delete(db, key, klen, volatile_only) : 0;
            if (rc != 0) return rc;
        }
        return 0;
    }
    /* A few rounds at most: a round whose best candidates were all deleted
     * meanwhile samples again. */
    for (int round = 0; round < 4; round++) {
        int sampled = evict__sample(volatile_only);
        if (sampled < 0) return -1;
        if (sampled == 0 && evict__pool_n == 0) return 0;
        while (evict__pool_n > 0) {
            struct pool_slot *best = &evict__pool[evict__pool_n - 1];
            struct db *db = db_get(best->dbid);
            pool__pop();
            int rc = db ? evict__delete(db, best->key, best->klen, volatile_only) : 0;
            if (rc != 0) return rc;
        }
    }
    return 0;
}

/* Redis's maxmemory-eviction-tenacity: 50 us per level up to 10, then
 * growing 15% per level, unlimited at 100. */
static uint64_t evict__time_limit_us(void)
{
    int t = CFG(maxmemory_eviction_tenacity);
    if (t <= 10) return 50ULL * (uint64_t)t;
    if (t < 100) return (uint64_t)(500.0 * pow(1.15, t - 10.0));
    return UINT64_MAX;
}

/* Set when an eviction run stopped on its time limit with memory still
 * over: the server keeps evicting in slices until it is not. */
static int evict__pending; /* relaxed atomic: set by any thread */

int evict_pending(void)
{
    return __atomic_load_n(&evict__pending, __ATOMIC_RELAXED);
}

/* Evicts until under maxmemory or for us microseconds. Returns 0 (under),
 * 1 (time is up: pending), -1 (nothing left to evict) or -2 (a busy
 * script holds the locks). */
static int evict__run(uint64_t us, int *freed_any)
{
    uint64_t start = util_monotonic_us();
    *freed_any = 0;
    int n = 0;
    __atomic_store_n(&evict__pending, 0, __ATOMIC_RELAXED);
    while (mem_used() > CFG(maxmemory)) {
        int rc = evict__one();
        if (rc <= 0) return rc == 0 ? -1 : -2;
        *freed_any = 1;
        /* Check the clock every 16 evictions: it costs more than one. */
        if ((++n & 15) == 0 && util_monotonic_us() - start >= us) {
            __atomic_store_n(&evict__pending, 1, __ATOMIC_RELAXED);
            return 1;
        }
    }
    return 0;
}

int evict_before_command(void)
{
    if (CFG(maxmemory) == 0 || mem_used() <= CFG(maxmemory)) return 0;
    if (CFG(maxmemory_policy) == MM_NOEVICTION) return -1;
    int freed;
    int rc = evict__run(evict__time_limit_us(), &freed);
    if (rc == -2) return -2;
    if (rc < 0 && !freed) return -1;
    return 0;
}

void evict_after_command(void)
{
    if (CFG(maxmemory_policy) == MM_NOEVICTION || mem_used() <= CFG(maxmemory)) return;
    int freed;
    evict__run(evict__time_limit_us(), &freed);
}

int evict_cycle(uint64_t us)
{
    if (CFG(maxmemory) == 0 || CFG(maxmemory_policy) == MM_NOEVICTION) return 0;
    int freed;
    int rc = evict__run(us, &freed);
    return rc == 1 || rc == -2;
}

/* evict.c - approximate LRU / LFU / TTL / random eviction by sampling.
 *
 * Keys carry an access clock (access.c: the time of last access under LRU
 * policies, a logarithmic counter under LFU ones). Choosing a victim
 * follows Redis's approximation: each round samples maxmemory-samples
 * random keys (only keys with a TTL for volatile-*
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
 * cron, as in Redis.
 *
 * The resident-memory guard (a container's memory limit): used_memory
 * counts live bytes, but the process is charged for its resident pages,
 * and those run far above live bytes while the values written change size
 * (freed 1 KB slots are no use to 128-byte values until whole pages of
 * them are free; tests/cli/cgroup_memory.sh --limit 1g --maxmemory 192mb
 * --factor 3: the cgroup's peak reached 1.9 times maxmemory). With a ceiling
 * set, a check at most once a millisecond of command time reads the RSS:
 * when maxmemory plus what the process holds beyond used_memory would pass
 * the ceiling, eviction aims below maxmemory by the difference (so more
 * old values go, until whole pages of them are free), and jemalloc's free
 * pages are returned at once instead of over its decay time. When the
 * excess shrinks, the squeeze is given back an eighth every 100 ms and
 * the cache grows back. */
#include "storage/evict.h"

#include <math.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/mem.h"
#include "base/stats.h"
#include "base/util.h"
#include "storage/access.h"
#include "storage/db.h"

#define EVICT_POOL_SIZE 16

static int evict__is_volatile(void)
{
    int p = CFG(maxmemory_policy);
    return p == MM_VOLATILE_LRU || p == MM_VOLATILE_LFU || p == MM_VOLATILE_RANDOM ||
           p == MM_VOLATILE_TTL;
}

/* Higher is a better victim. */
static double evict__score(const struct entry *e)
{
    switch (CFG(maxmemory_policy)) {
    case MM_ALLKEYS_LRU:
    case MM_VOLATILE_LRU: return (double)access_idle_ms(e);
    case MM_ALLKEYS_LFU:
    case MM_VOLATILE_LFU: return 255.0 - access_lfu_counter(e);
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
/* Per thread: each event-loop thread evicts for its own commands. The
 * pool is valid for one db_epoch(): a flush or SWAPDB empties it. */
static _Thread_local struct pool_slot evict__pool[EVICT_POOL_SIZE];
static _Thread_local int evict__pool_n;
static _Thread_local uint64_t evict__pool_epoch;

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
    for (unsigned i = 0; i < DB_SHARDS; i++) {
        uint64_t n = volatile_only ? db_shard_volatile(db, i) : db_shard_size(db, i);
        if (r < n) return (int)i;
        r -= n;
    }
    return -1;
}

/* What one step of eviction came to. */
enum evict_step {
    STEP_EVICTED, /* a key went */
    STEP_NOTHING, /* nothing (left) to evict */
    STEP_BUSY,    /* a busy script holds a shard: stop (see db_lock_shard_wait) */
};

/* Samples about maxmemory-samples keys of one random shard into the pool
 * (volatile policies keep only keys with a TTL, and try a few shards if
 * the first holds few of them). Returns how many keys were sampled, or -1
 * when a busy script holds the shard. */
static int evict__sample(int volatile_only)
{
    struct entry *picked[64];
    int want = CFG(maxmemory_samples) < 64 ? CFG(maxmemory_samples) : 64, found = 0;
    for (int tries = 0; found == 0 && tries < 8; tries++) {
        struct db *db = evict__random_db(volatile_only);
        if (db == NULL) return 0;
        int sh = evict__random_shard(db, volatile_only);
        if (sh < 0) continue;
        if (db_lock_shard_wait(db, (unsigned)sh) != LOCKSET_OK) return -1;
        size_t n = db_shard_sample(db, (unsigned)sh, picked, (size_t)want);
        for (size_t i = 0; i < n; i++) {
            if (volatile_only && entry_expire(picked[i]) < 0) continue;
            pool__insert(db_id(db), picked[i], evict__score(picked[i]));
            found++;
        }
        db_unlock_shard(db, (unsigned)sh);
    }
    return found;
}

/* Deletes key if it still qualifies (exists; has a TTL under a volatile
 * policy), under its shard's lock. */
static enum evict_step evict__delete(struct db *db, const char *key, size_t klen, int volatile_only)
{
    unsigned sh = db_shard_of(key, klen);
    struct keyref ref;
    enum evict_step done = STEP_NOTHING;
    if (db_lock_shard_wait(db, sh) != LOCKSET_OK) return STEP_BUSY;
    struct entry *e = db_lookup(db, key, klen, DB_LOOKUP_NOTOUCH, &ref);
    if (e != NULL && (!volatile_only || entry_expire(e) >= 0)) {
        db_event(NOTIFY_EVICTED, "evicted", db, key, klen);
        db_remove_why(&ref, DB_DEL_EVICT);
        STAT_INC(evicted_keys, 1);
        done = STEP_EVICTED;
    }
    db_unlock_shard(db, sh);
    return done;
}

/* Random policies: a key from a few consecutive buckets of a random shard. */
static enum evict_step evict__one_random(int volatile_only)
{
    for (int tries = 0; tries < 64; tries++) {
        struct db *db = evict__random_db(volatile_only);
        if (db == NULL) return STEP_NOTHING;
        int sh = evict__random_shard(db, volatile_only);
        if (sh < 0) continue;
        struct entry *picked[8];
        char key[256];
        size_t klen = 0;
        if (db_lock_shard_wait(db, (unsigned)sh) != LOCKSET_OK) return STEP_BUSY;
        size_t n = db_shard_sample(db, (unsigned)sh, picked, 8);
        for (size_t i = 0; i < n && klen == 0; i++) {
            if (volatile_only && entry_expire(picked[i]) < 0) continue;
            if (entry_klen(picked[i]) > sizeof(key)) continue;
            klen = entry_klen(picked[i]);
            memcpy(key, entry_key(picked[i]), klen);
        }
        db_unlock_shard(db, (unsigned)sh);
        enum evict_step rc = klen ? evict__delete(db, key, klen, volatile_only) : STEP_NOTHING;
        if (rc != STEP_NOTHING) return rc;
    }
    return STEP_NOTHING;
}

/* Evicts one key. */
static enum evict_step evict__one(void)
{
    int volatile_only = evict__is_volatile();
    int pol = CFG(maxmemory_policy);
    if (pol == MM_ALLKEYS_RANDOM || pol == MM_VOLATILE_RANDOM)
        return evict__one_random(volatile_only);
    /* Pooled names from before a flush or SWAPDB would evict the wrong
     * keys, or none. */
    uint64_t epoch = db_epoch();
    if (epoch != evict__pool_epoch) {
        evict__pool_n = 0;
        evict__pool_epoch = epoch;
    }
    /* A few rounds at most: a round whose best candidates were all deleted
     * meanwhile samples again. */
    for (int round = 0; round < 4; round++) {
        int sampled = evict__sample(volatile_only);
        if (sampled < 0) return STEP_BUSY;
        if (sampled == 0 && evict__pool_n == 0) return STEP_NOTHING;
        while (evict__pool_n > 0) {
            struct pool_slot *best = &evict__pool[evict__pool_n - 1];
            struct db *db = db_get(best->dbid);
            pool__pop();
            enum evict_step rc =
                db ? evict__delete(db, best->key, best->klen, volatile_only) : STEP_NOTHING;
            if (rc != STEP_NOTHING) return rc;
        }
    }
    return STEP_NOTHING;
}

/* ---- the resident-memory guard ---- */

static size_t evict__ceiling;        /* set at startup; 0: no guard */
static size_t evict__hard;           /* RSS past which writes are refused */
static int evict__over_hard;         /* relaxed atomic: the last check found RSS past it */
static size_t evict__squeeze;        /* relaxed atomic: bytes below maxmemory */
static long long evict__checked_ms;  /* relaxed atomic: the last check */
static long long evict__released_ms; /* relaxed atomic: the last shrink of the squeeze */
static uint64_t evict__purges;       /* relaxed atomic: pages returned early (INFO) */
static uint64_t evict__refused;      /* relaxed atomic: writes refused past hard (INFO) */

static size_t evict__limit_seen; /* the cgroup limit the server found (INFO) */

void evict_set_rss_ceiling(size_t limit, size_t ceiling, size_t hard)
{
    evict__limit_seen = limit;
    evict__ceiling = ceiling;
    evict__hard = hard;
}

void evict_rss_guard_info(struct evict_guard_info *g)
{
    g->limit = evict__limit_seen;
    g->ceiling = evict__ceiling;
    g->squeeze = __atomic_load_n(&evict__squeeze, __ATOMIC_RELAXED);
    g->purges = __atomic_load_n(&evict__purges, __ATOMIC_RELAXED);
    g->hard = evict__hard;
    g->refused = __atomic_load_n(&evict__refused, __ATOMIC_RELAXED);
}

/* The budget eviction aims at: maxmemory less the squeeze, never below
 * half of it. Pages the allocator cannot give back do not come back by
 * evicting everything (a page is freed only when every value in it has
 * gone, and values of every age share pages): past half, writes wait at
 * the hard limit instead. */
static size_t evict__limit(void)
{
    size_t max = (size_t)CFG(maxmemory);
    size_t sq = __atomic_load_n(&evict__squeeze, __ATOMIC_RELAXED);
    return sq < max / 2 ? max - sq : max - max / 2;
}

/* The guard's check, at most once per millisecond of now (one thread
 * wins each millisecond). What the process holds beyond used_memory (the
 * allocator's partly used and free pages, buffers, the binary) is taken
 * as it is now, and the data gets what the ceiling leaves: the squeeze
 * needed is maxmemory + that excess - the ceiling. It applies at once;
 * it is given back an eighth per 100 ms, and not below what is needed. */
static void evict__watch(long long now)
{
    if (evict__ceiling == 0 || CFG(maxmemory) == 0) return;
    long long last = __atomic_load_n(&evict__checked_ms, __ATOMIC_RELAXED);
    if (now == last || !__atomic_compare_exchange_n(&evict__checked_ms, &last, now, 0,
                                                    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        return;
    size_t rss = mem_rss(), used = mem_used(), max = (size_t)CFG(maxmemory);
    size_t excess = rss > used ? rss - used : 0;
    size_t need = max + excess > evict__ceiling ? max + excess - evict__ceiling : 0;
    size_t sq = __atomic_load_n(&evict__squeeze, __ATOMIC_RELAXED);
    if (need > sq) {
        __atomic_store_n(&evict__squeeze, need, __ATOMIC_RELAXED);
        __atomic_store_n(&evict__released_ms, now, __ATOMIC_RELAXED);
    } else if (sq > need && now - __atomic_load_n(&evict__released_ms, __ATOMIC_RELAXED) >= 100) {
        size_t less = sq - sq / 8;
        __atomic_store_n(&evict__squeeze, less > need ? less : need, __ATOMIC_RELAXED);
        __atomic_store_n(&evict__released_ms, now, __ATOMIC_RELAXED);
    }
    /* Pages freed while squeezed go back to the system now, not after
     * jemalloc's decay time (every 4 ms at most: a purge walks every
     * arena). */
    if (need > 0 && rss > evict__ceiling - evict__ceiling / 16 && (now & 3) == 0) {
        mem_purge();
        __atomic_add_fetch(&evict__purges, 1, __ATOMIC_RELAXED);
        rss = mem_rss();
    }
    __atomic_store_n(&evict__over_hard, evict__hard && rss > evict__hard, __ATOMIC_RELAXED);
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

/* How an eviction run ended. */
enum evict_run {
    RUN_UNDER,   /* memory is under maxmemory */
    RUN_TIMEOUT, /* time is up with memory still over: pending */
    RUN_EMPTY,   /* nothing left to evict */
    RUN_BUSY,    /* a busy script holds the locks */
};

/* Evicts until under maxmemory or for us microseconds; *freed_any says
 * whether some key went. */
static enum evict_run evict__run(uint64_t us, int *freed_any)
{
    uint64_t start = util_monotonic_us();
    *freed_any = 0;
    if (db_paused()) return RUN_UNDER; /* CLIENT PAUSE: no eviction, as in Redis */
    int n = 0;
    __atomic_store_n(&evict__pending, 0, __ATOMIC_RELAXED);
    size_t limit = evict__limit();
    while (mem_used() > limit) {
        enum evict_step rc = evict__one();
        if (rc == STEP_NOTHING) return RUN_EMPTY;
        if (rc == STEP_BUSY) return RUN_BUSY;
        *freed_any = 1;
        /* Check the clock every 16 evictions: it costs more than one. */
        if ((++n & 15) == 0 && util_monotonic_us() - start >= us) {
            __atomic_store_n(&evict__pending, 1, __ATOMIC_RELAXED);
            return RUN_TIMEOUT;
        }
    }
    return RUN_UNDER;
}

enum evict_status evict_before_command(void)
{
    if (CFG(maxmemory) == 0) return EVICT_OK;
    evict__watch(clock_now());
    /* Resident memory at the edge of the container's limit: writes wait
     * (OOM errors) while eviction and purging bring it down, rather than
     * the kernel killing the server. Values changing size can do this
     * (see the guard, above); steady loads never get here. */
    if (__atomic_load_n(&evict__over_hard, __ATOMIC_RELAXED)) {
        if (CFG(maxmemory_policy) != MM_NOEVICTION) {
            int freed;
            evict__run(evict__time_limit_us(), &freed);
        }
        __atomic_add_fetch(&evict__refused, 1, __ATOMIC_RELAXED);
        return EVICT_OOM;
    }
    if (mem_used() <= evict__limit()) return EVICT_OK;
    if (CFG(maxmemory_policy) == MM_NOEVICTION) return EVICT_OOM;
    int freed;
    enum evict_run rc = evict__run(evict__time_limit_us(), &freed);
    if (rc == RUN_BUSY) return EVICT_BUSY;
    /* The command runs if something was freed, even if memory is still
     * over: the rest is left to the next command and the cron, as in
     * Redis. */
    if (rc == RUN_EMPTY && !freed) return EVICT_OOM;
    return EVICT_OK;
}

void evict_after_command(void)
{
    if (CFG(maxmemory_policy) == MM_NOEVICTION || mem_used() <= evict__limit()) return;
    int freed;
    evict__run(evict__time_limit_us(), &freed);
}

int evict_cycle(uint64_t us)
{
    if (CFG(maxmemory) == 0) return 0;
    evict__watch(clock_now());
    if (CFG(maxmemory_policy) == MM_NOEVICTION) return 0;
    int freed;
    enum evict_run rc = evict__run(us, &freed);
    return rc == RUN_TIMEOUT || rc == RUN_BUSY;
}

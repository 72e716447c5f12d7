/* expire.c - the active expiry cycle: sweeps the shards that hold keys
 * with a TTL through db.h's sweep, in time-budgeted slices, and the hashes
 * listed as having field TTLs (db_shard_expire_fields) under the same
 * budget. */
#include "storage/expire.h"

#include "base/mem.h"
#include "base/stats.h"
#include "base/util.h"
#include "storage/db.h"

/* Buckets swept per step; a step is the unit between time checks. */
#define EXPIRE_STEP_BUCKETS 32
/* CPU share active expiry may use while busy, in percent, raised by
 * active-expire-effort as Redis does (25% + 2% per effort level). */
#define EXPIRE_SLOW_TIME_PERC 25
/* Keep sweeping a shard while more than this percentage of the volatile
 * keys seen were expired (lowered by effort): many stale keys mean more
 * are likely left. */
#define EXPIRE_ACCEPTABLE_STALE 10

/* Where the next cycle starts: a database, and a shard in each. */
static unsigned *expire__next_shard;
static int expire__next_db;

void expire_setup(int databases)
{
    expire__next_shard = mem_calloc((size_t)databases * sizeof(*expire__next_shard));
    expire__next_db = 0;
}

void expire_teardown(void)
{
    mem_free(expire__next_shard);
    expire__next_shard = NULL;
}

struct expire_ctx {
    long long now;
    uint64_t volatile_seen, expired;
    long long ttl_sum;
    uint64_t ttl_count;
};

static int expire__pick(struct entry *e, void *arg)
{
    struct expire_ctx *x = arg;
    long long when = entry_expire(e);
    if (when < 0) return 0;
    x->volatile_seen++;
    if (when <= x->now) {
        x->expired++;
        return 1;
    }
    x->ttl_sum += when - x->now;
    x->ttl_count++;
    return 0;
}

/* Buckets of a big hash's table swept per visit: a hash of millions of
 * fields is expired a slice at a time, like the keyspace. */
#define EXPIRE_FIELD_BUCKETS 256

/* The listed hashes of one shard, until the list wraps or time is up. */
static int expire__fields(struct db *db, unsigned idx, long long now, uint64_t deadline)
{
    int wrapped = 0;
    while (!wrapped && db_shard_fields(db, idx) > 0) {
        if (db_lock_shard_wait(db, idx) != LOCKSET_OK) return 1;
        db_shard_expire_fields(db, idx, now, EXPIRE_STEP_BUCKETS, EXPIRE_FIELD_BUCKETS, &wrapped);
        db_unlock_shard(db, idx);
        if (util_monotonic_us() >= deadline) return 1;
    }
    return 0;
}

static int expire__db(struct db *db, long long now, uint64_t deadline, int stale_perc)
{
    struct expire_ctx x = {now, 0, 0, 0, 0};
    unsigned *next = &expire__next_shard[db_id(db)];
    int timed_out = 0;
    for (int n = 0; n < DB_SHARDS && !timed_out; n++) {
        unsigned idx = (*next + (unsigned)n) % DB_SHARDS;
        if (expire__fields(db, idx, now, deadline)) {
            timed_out = 1;
            *next = idx;
            break;
        }
        if (db_shard_volatile(db, idx) == 0) continue;
        /* Sweep this shard while the stale share stays high, up to one
         * full pass. */
        int wrapped = 0;
        do {
            uint64_t before_seen = x.volatile_seen, before_expired = x.expired;
            /* A busy script holds the shard: try again next cycle. */
            if (db_lock_shard_wait(db, idx) != LOCKSET_OK) return 1;
            db_shard_sweep_expired(db, idx, EXPIRE_STEP_BUCKETS, expire__pick, &x, &wrapped);
            db_unlock_shard(db, idx);
            uint64_t seen = x.volatile_seen - before_seen;
            uint64_t expired = x.expired - before_expired;
            if (util_monotonic_us() >= deadline) {
                timed_out = 1;
                *next = idx;
                break;
            }
            if (seen > 0 && expired * 100 <= seen * (uint64_t)stale_perc) break;
        } while (!wrapped && db_shard_volatile(db, idx) > 0);
    }
    if (x.ttl_count) {
        long long avg = x.ttl_sum / (long long)x.ttl_count;
        long long old = db_avg_ttl(db);
        db_set_avg_ttl(db, old ? (old / 50) * 49 + avg / 50 : avg);
    }
    if (!timed_out) *next = (*next + 1) % DB_SHARDS;
    if (x.volatile_seen) STAT_SET(stats_mine->expired_stale_pct, x.expired * 100 / x.volatile_seen);
    return timed_out;
}

uint64_t expire_gap_us(int effort)
{
    uint64_t perc = EXPIRE_SLOW_TIME_PERC + 2 * (uint64_t)(effort - 1);
    return EXPIRE_SLICE_US * (100 - perc) / perc;
}

int expire_cycle(long long now_ms, uint64_t budget_us, int effort_level)
{
    if (db_paused()) return 0; /* CLIENT PAUSE */
    int effort = effort_level - 1;
    uint64_t start = util_monotonic_us();
    uint64_t deadline = start + budget_us;
    int stale = EXPIRE_ACCEPTABLE_STALE - effort;
    int timed_out = 0;
    int dbs = db_count();
    for (int n = 0; n < dbs && !timed_out; n++) {
        struct db *db = db_get((expire__next_db + n) % dbs);
        if (db_expires(db) == 0 && db_fields(db) == 0) continue;
        timed_out = expire__db(db, now_ms, deadline, stale);
        if (timed_out) expire__next_db = db_id(db);
    }
    STAT_INC(expire_cycle_us, util_monotonic_us() - start);
    return timed_out;
}

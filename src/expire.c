/* expire.c - the active expiry cycle. */
#include "expire.h"

#include "db.h"
#include "stats.h"
#include "table.h"
#include "util.h"

/* Buckets swept per step; a step is the unit between time checks. */
#define EXPIRE_STEP_BUCKETS 32
/* CPU share active expiry may use while busy, in percent, raised by
 * active-expire-effort as Redis does (25% + 2% per effort level). */
#define EXPIRE_SLOW_TIME_PERC 25
/* Keep sweeping a shard while more than this percentage of the volatile
 * keys seen were expired (lowered by effort): many stale keys mean more
 * are likely left. */
#define EXPIRE_ACCEPTABLE_STALE 10

struct expire_ctx {
    struct db *db;
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

static void expire__free(struct entry *e, void *arg)
{
    struct expire_ctx *x = arg;
    db_expired_free(x->db, e);
}

static int expire__db(struct db *db, long long now, uint64_t deadline, int stale_perc)
{
    struct expire_ctx x = {db, now, 0, 0, 0, 0};
    int timed_out = 0;
    for (int n = 0; n < TABLE_SHARDS && !timed_out; n++) {
        unsigned idx = (db->expire_shard + (unsigned)n) % TABLE_SHARDS;
        struct shard *s = &db->keys.shards[idx];
        if (shard_volatile(s) == 0) continue;
        /* Sweep this shard while the stale share stays high, up to one
         * full pass. */
        int wrapped = 0;
        do {
            uint64_t before_seen = x.volatile_seen, before_expired = x.expired;
            /* A busy script holds the shard: try again next cycle. */
            if (db_lock_shard_wait(db, idx) != 0) return 1;
            shard_sweep(s, EXPIRE_STEP_BUCKETS, expire__pick, expire__free, &x, &wrapped);
            db_unlock_shard(db, idx);
            uint64_t seen = x.volatile_seen - before_seen;
            uint64_t expired = x.expired - before_expired;
            if (util_monotonic_us() >= deadline) {
                timed_out = 1;
                db->expire_shard = idx;
                break;
            }
            if (seen > 0 && expired * 100 <= seen * (uint64_t)stale_perc) break;
        } while (!wrapped && shard_volatile(s) > 0);
    }
    if (x.ttl_count) {
        long long avg = x.ttl_sum / (long long)x.ttl_count;
        long long old = db_avg_ttl(db);
        db_set_avg_ttl(db, old ? (old / 50) * 49 + avg / 50 : avg);
    }
    if (!timed_out) db->expire_shard = (db->expire_shard + 1) % TABLE_SHARDS;
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
    static int next_db;
    int effort = effort_level - 1;
    uint64_t start = util_monotonic_us();
    uint64_t deadline = start + budget_us;
    int stale = EXPIRE_ACCEPTABLE_STALE - effort;
    int timed_out = 0;
    int dbs = db_count();
    for (int n = 0; n < dbs && !timed_out; n++) {
        struct db *db = db_get((next_db + n) % dbs);
        if (db_expires(db) == 0) continue;
        timed_out = expire__db(db, now_ms, deadline, stale);
        if (timed_out) next_db = db->id;
    }
    STAT_INC(expire_cycle_us, util_monotonic_us() - start);
    return timed_out;
}

/* test_evict.c - the LFU counter and the sampled eviction loop. */
#include "base/clock.h"
#include "base/config.h"
#include "storage/access.h"
#include "storage/db.h"
#include "storage/evict.h"
#include "base/mem.h"
#include "base/stats.h"
#include "test.h"
#include "base/util.h"

TEST(lfu_log_increment)
{
    /* Below the initial value every access counts; above it the chance
     * falls as 1 / ((counter - 5) * factor + 1). */
    ASSERT_INT_EQ(access_lfu_log_incr(0, 0.999, 10), 1);
    ASSERT_INT_EQ(access_lfu_log_incr(5, 0.999, 10), 6);
    ASSERT_INT_EQ(access_lfu_log_incr(6, 0.05, 10), 7); /* p = 1/11 */
    ASSERT_INT_EQ(access_lfu_log_incr(6, 0.10, 10), 6);
    ASSERT_INT_EQ(access_lfu_log_incr(255, 0.0, 10), 255);
    /* A million hits with factor 10 land near Redis's table (~255 at 1M). */
    uint8_t c = 5;
    for (int i = 0; i < 1000000; i++) {
        double r = (double)(util_rand64() >> 11) / (double)(1ULL << 53);
        c = access_lfu_log_incr(c, r, 10);
    }
    ASSERT(c >= 200);
}

TEST(lfu_decays_with_time)
{
    cfg.maxmemory_policy = MM_ALLKEYS_LFU;
    struct db *db = db_get(0);
    clock_set_now(60000LL * 100);
    db_set(db, "k", 1, "v", 1, -1);
    struct entry *e = db_lookup(db, "k", 1, DB_LOOKUP_NOTOUCH, NULL);
    ASSERT_INT_EQ(access_lfu_counter(e), 5);
    clock_set_now(60000LL * 103); /* three decay periods of one minute */
    ASSERT_INT_EQ(access_lfu_counter(e), 2);
    db_flush(db, 0);
}

static void fill(struct db *db, const char *prefix, int n, long long expire)
{
    char key[32], val[256];
    memset(val, 'x', sizeof(val));
    for (int i = 0; i < n; i++) {
        int kl = snprintf(key, sizeof(key), "%s%d", prefix, i);
        db_set(db, key, (size_t)kl, val, sizeof(val), expire);
    }
}

TEST(volatile_policy_spares_persistent_keys)
{
    struct db *db = db_get(0);
    clock_set_now(1000);
    cfg.maxmemory_policy = MM_VOLATILE_LRU;
    cfg.maxmemory_samples = 5;
    fill(db, "keep", 1000, -1);
    fill(db, "vol", 3000, 1000000);
    cfg.maxmemory = mem_used() - 200 * 1024;
    uint64_t evicted = stats_mine->evicted_keys;
    for (int i = 0; i < 1000 && evict_cycle(100000); i++) {
    }
    ASSERT(mem_used() <= cfg.maxmemory);
    ASSERT(stats_mine->evicted_keys > evicted);
    char key[32];
    for (int i = 0; i < 1000; i++) {
        int kl = snprintf(key, sizeof(key), "keep%d", i);
        ASSERT(db_lookup(db, key, (size_t)kl, DB_LOOKUP_NOTOUCH, NULL) != NULL);
    }
    /* Only persistent keys left to pick from: nothing evictable. */
    db_flush(db, 0);
    fill(db, "keep", 1000, -1);
    cfg.maxmemory = mem_used() - 64 * 1024;
    ASSERT_INT_EQ(evict_before_command(), EVICT_OOM);
    cfg.maxmemory = 0;
    db_flush(db, 0);
}

TEST(noeviction_refuses)
{
    struct db *db = db_get(0);
    cfg.maxmemory_policy = MM_NOEVICTION;
    fill(db, "k", 100, -1);
    cfg.maxmemory = 1;
    ASSERT_INT_EQ(evict_before_command(), EVICT_OOM);
    ASSERT_INT_EQ(db_size(db), 100);
    cfg.maxmemory = 0;
    ASSERT_INT_EQ(evict_before_command(), EVICT_OK);
    db_flush(db, 0);
}

int main(void)
{
    uint8_t seed[16] = {0};
    util_hash_seed(seed);
    stats_thread_setup(0);
    mem_thread_register();
    config_load(NULL, NULL);
    db_setup(2);
    RUN(lfu_log_increment);
    RUN(lfu_decays_with_time);
    RUN(volatile_policy_spares_persistent_keys);
    RUN(noeviction_refuses);
    db_teardown();
    TEST_DONE();
}

/* test_expire.c - lazy and active expiry against a debug clock: the tests
 * set the time the database sees instead of sleeping. */
#include "base/clock.h"
#include "storage/db.h"
#include "storage/expire.h"
#include "base/stats.h"
#include "test.h"
#include "base/util.h"

static void set_key(struct db *db, int i, long long expire)
{
    char key[32];
    int n = snprintf(key, sizeof(key), "k%d", i);
    db_set(db, key, (size_t)n, "value", 5, expire);
}

static struct entry *get_key(struct db *db, int i)
{
    char key[32];
    int n = snprintf(key, sizeof(key), "k%d", i);
    return db_lookup(db, key, (size_t)n, DB_LOOKUP_READ, NULL);
}

TEST(lazy_expiry_on_access)
{
    struct db *db = db_get(0);
    clock_set_now(1000);
    set_key(db, 1, 2000);
    set_key(db, 2, -1);
    ASSERT(get_key(db, 1) != NULL);
    ASSERT_INT_EQ(db_size(db), 2);
    ASSERT_INT_EQ(db_expires(db), 1);
    uint64_t expired = stats_mine->expired_keys;
    clock_set_now(2000); /* expire time reached: gone */
    ASSERT(get_key(db, 1) == NULL);
    ASSERT_INT_EQ(stats_mine->expired_keys, expired + 1);
    ASSERT_INT_EQ(db_size(db), 1);
    ASSERT_INT_EQ(db_expires(db), 0);
    ASSERT(get_key(db, 2) != NULL);
    db_flush(db, 0);
}

TEST(active_expiry_reclaims_unread_keys)
{
    struct db *db = db_get(0);
    clock_set_now(1000);
    for (int i = 0; i < 20000; i++) set_key(db, i, i % 2 ? 5000 : -1);
    ASSERT_INT_EQ(db_expires(db), 10000);
    /* Before the deadline nothing goes. */
    expire_cycle(4999, 25000, 1);
    ASSERT_INT_EQ(db_size(db), 20000);
    uint64_t expired = stats_mine->expired_keys;
    int cycles = 0;
    while (db_expires(db) > 0 && cycles < 1000) {
        expire_cycle(5000, 25000, 1);
        cycles++;
    }
    ASSERT_INT_EQ(db_expires(db), 0);
    ASSERT_INT_EQ(db_size(db), 10000);
    ASSERT_INT_EQ(stats_mine->expired_keys, expired + 10000);
    clock_set_now(5000);
    for (int i = 0; i < 20000; i += 2) ASSERT(get_key(db, i) != NULL);
    db_flush(db, 0);
}

TEST(active_expiry_is_budgeted)
{
    /* With only part of the keys past their time the cycle leaves the
     * live ones and their TTLs alone. */
    struct db *db = db_get(1);
    clock_set_now(1000);
    for (int i = 0; i < 5000; i++) set_key(db, i, i < 100 ? 1500 : 100000);
    for (int k = 0; k < 200 && db_expires(db) > 4900; k++) expire_cycle(2000, 25000, 1);
    ASSERT_INT_EQ(db_expires(db), 4900);
    ASSERT_INT_EQ(db_size(db), 4900);
    ASSERT(db_avg_ttl(db) > 0);
    db_flush(db, 0);
}

TEST(async_flush_frees_in_slices)
{
    struct db *db = db_get(2);
    clock_set_now(1000);
    for (int i = 0; i < 30000; i++) set_key(db, i, -1);
    db_flush(db, 1);
    ASSERT_INT_EQ(db_size(db), 0);
    ASSERT_INT_EQ(db_lazyfree_pending(), 30000);
    int rounds = 0;
    while (db_free_pending(100) > 0 && rounds < 100000) rounds++;
    ASSERT_INT_EQ(db_lazyfree_pending(), 0);
}

int main(void)
{
    uint8_t seed[16] = {0};
    util_hash_seed(seed);
    stats_thread_setup(0);
    db_setup(4);
    expire_setup(4);
    RUN(lazy_expiry_on_access);
    RUN(active_expiry_reclaims_unread_keys);
    RUN(active_expiry_is_budgeted);
    RUN(async_flush_frees_in_slices);
    expire_teardown();
    db_teardown();
    TEST_DONE();
}

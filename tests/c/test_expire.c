/* test_expire.c - lazy and active expiry of keys and of hash fields
 * against a debug clock: the tests set the time the database sees instead
 * of sleeping. */
#include "base/clock.h"
#include "storage/db.h"
#include "storage/expire.h"
#include "storage/hash.h"
#include "storage/value.h"
#include "base/config.h"
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

TEST(async_flush_frees_on_the_freeing_thread)
{
    struct db *db = db_get(2);
    clock_set_now(1000);
    for (int i = 0; i < 30000; i++) set_key(db, i, -1);
    uint64_t freed = db_lazyfreed();
    db_flush(db, 1);
    ASSERT_INT_EQ(db_size(db), 0);
    db_lazyfree_drain();
    ASSERT_INT_EQ(db_lazyfree_pending(), 0);
    ASSERT_INT_EQ(db_lazyfreed(), freed + 30000);
}

/* A hash of n fields "f<i>" under key, fields i < with_ttl expiring at
 * `when`, stored in db. */
static void set_hash(struct db *db, const char *key, int n, int with_ttl, long long when)
{
    struct keyref ref;
    db_lookup(db, key, strlen(key), DB_LOOKUP_NOTOUCH, &ref);
    struct entry *e = hash_new(key, strlen(key), -1);
    char f[32];
    for (int i = 0; i < n; i++) {
        int len = snprintf(f, sizeof(f), "f%d", i);
        hash_set(&e, f, (size_t)len, "v", 1, 0);
    }
    hash_allow_ttl(&e);
    for (int i = 0; i < with_ttl; i++) {
        int len = snprintf(f, sizeof(f), "f%d", i);
        hash_set_expire(&e, f, (size_t)len, when, HASH_COND_NONE);
    }
    db_store(&ref, e);
}

TEST(active_expiry_reclaims_hash_fields)
{
    struct db *db = db_get(3);
    cfg.hash_max_listpack_entries = 128;
    cfg.hash_max_listpack_value = 64;
    clock_set_now(1000);
    set_hash(db, "small", 10, 4, 3000);      /* packed, keeps 6 fields */
    set_hash(db, "gone", 5, 5, 3000);        /* every field expires: the key goes */
    set_hash(db, "big", 20000, 15000, 4000); /* a table, expired a slice at a time */
    set_hash(db, "later", 10, 10, 100000);   /* not due */
    ASSERT_INT_EQ(db_fields(db), 4);
    ASSERT_INT_EQ(db_expires(db), 0);
    expire_cycle(2999, 25000, 1);
    ASSERT_INT_EQ(db_size(db), 4);
    uint64_t before = stats_mine->expired_subkeys;
    for (int k = 0; k < 10000 && db_size(db) == 4; k++) expire_cycle(3000, 1000, 1);
    ASSERT_INT_EQ(db_size(db), 3); /* "gone" went with its last field */
    struct entry *e = db_lookup(db, "small", 5, DB_LOOKUP_NOTOUCH, NULL);
    ASSERT(e != NULL);
    for (int k = 0; k < 100 && hash_len(e) > 6; k++) {
        expire_cycle(3000, 1000, 1);
        e = db_lookup(db, "small", 5, DB_LOOKUP_NOTOUCH, NULL);
    }
    ASSERT_INT_EQ(hash_len(e), 6);
    /* The big hash: many budgeted cycles, each sweeping part of it. */
    int cycles = 0;
    for (e = db_lookup(db, "big", 3, DB_LOOKUP_NOTOUCH, NULL);
         hash_len(e) > 5000 && cycles < 100000; cycles++) {
        expire_cycle(4000, 200, 1);
        e = db_lookup(db, "big", 3, DB_LOOKUP_NOTOUCH, NULL);
    }
    ASSERT_INT_EQ(hash_len(e), 5000);
    ASSERT(cycles > 1);
    ASSERT_INT_EQ(hash_next_expire(e), -1);
    ASSERT_INT_EQ(stats_mine->expired_subkeys, before + 4 + 5 + 15000);
    /* Hashes without TTLs left are unlisted; "later" stays listed. */
    for (int k = 0; k < 100 && db_fields(db) > 1; k++) expire_cycle(4000, 1000, 1);
    ASSERT_INT_EQ(db_fields(db), 1);
    /* Deleting a listed hash unlists it. */
    ASSERT(db_delete(db, "later", 5, DB_DEL_USER));
    ASSERT_INT_EQ(db_fields(db), 0);
    db_flush(db, 0);
}

int main(void)
{
    uint8_t seed[16] = {0};
    util_hash_seed(seed);
    stats_thread_setup(0);
    db_setup(4);
    value_setup(); /* containers' tables are freed through the entry hooks */
    expire_setup(4);
    RUN(lazy_expiry_on_access);
    RUN(active_expiry_reclaims_unread_keys);
    RUN(active_expiry_is_budgeted);
    RUN(async_flush_frees_on_the_freeing_thread);
    RUN(active_expiry_reclaims_hash_fields);
    expire_teardown();
    db_teardown();
    TEST_DONE();
}

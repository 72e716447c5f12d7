/* test_prefixstat.c - hits and misses by key prefix (base/prefixstat.c):
 * the prefix is the key up to its first delimiter; rows come busiest
 * first; the table is bounded and what it does not hold is "other", so
 * rows and other always add up to every event counted; a steady prefix
 * keeps its slot against a flood of one-off prefixes; several threads
 * count at once while another reads, and nothing is lost. */
#include <pthread.h>
#include <stdio.h>

#include "base/prefixstat.h"
#include "test.h"

static struct prefixstat_row rows[PREFIXSTAT_SLOTS], other;

static uint64_t total_of(size_t n)
{
    uint64_t t = other.hits + other.misses;
    for (size_t i = 0; i < n; i++) t += rows[i].hits + rows[i].misses;
    return t;
}

TEST(prefix_rows_and_other)
{
    prefixstat_thread_setup();
    prefixstat_reset();
    prefixstat_set_delimiter(':');
    for (int i = 0; i < 30; i++) prefixstat_count("product:1", 9, i % 3 != 0);
    for (int i = 0; i < 5; i++) prefixstat_count("user:7", 6, 0);
    prefixstat_count("nodelimiter", 11, 1);
    prefixstat_count("a-very-long-prefix-of-more-than-31-bytes:x", 42, 0);
    size_t n = prefixstat_top(rows, 16, &other);
    ASSERT_INT_EQ(n, 2);
    ASSERT_STR_EQ(rows[0].prefix, "product:");
    ASSERT_INT_EQ(rows[0].hits, 20);
    ASSERT_INT_EQ(rows[0].misses, 10);
    ASSERT_STR_EQ(rows[1].prefix, "user:");
    ASSERT_INT_EQ(rows[1].misses, 5);
    ASSERT_STR_EQ(other.prefix, "other");
    ASSERT_INT_EQ(other.hits, 1);
    ASSERT_INT_EQ(other.misses, 1);
    /* Asking for one row folds the rest into other. */
    n = prefixstat_top(rows, 1, &other);
    ASSERT_INT_EQ(n, 1);
    ASSERT_INT_EQ(other.misses, 6);
    /* Off: nothing is counted. */
    prefixstat_set_delimiter(-1);
    prefixstat_count("product:2", 9, 1);
    n = prefixstat_top(rows, 16, &other);
    ASSERT_INT_EQ(rows[0].hits, 20);
    prefixstat_set_delimiter(':');
    prefixstat_reset();
    n = prefixstat_top(rows, 16, &other);
    ASSERT_INT_EQ(n, 0);
    ASSERT_INT_EQ(total_of(n), 0);
}

/* 100,000 lookups of 20,000 distinct one-off prefixes around one steady
 * prefix taking a tenth of the traffic: the table stays bounded, the steady
 * prefix is the top row with its exact count, and everything adds up. */
TEST(bounded_and_steady_prefix_kept)
{
    prefixstat_reset();
    char key[32];
    uint64_t steady = 0;
    for (int i = 0; i < 100000; i++) {
        if (i % 10 == 0) {
            prefixstat_count("session:abc", 11, 1);
            steady++;
        } else {
            int len = snprintf(key, sizeof(key), "tmp%d:x", i % 20000);
            prefixstat_count(key, (size_t)len, 0);
        }
    }
    size_t n = prefixstat_top(rows, PREFIXSTAT_SLOTS, &other);
    ASSERT(n <= PREFIXSTAT_SLOTS);
    ASSERT_STR_EQ(rows[0].prefix, "session:");
    ASSERT(rows[0].hits >= steady * 9 / 10); /* taken back at most once, early */
    ASSERT_INT_EQ(total_of(n), 100000);
}

static volatile int stop_reader;

static void *writer(void *arg)
{
    prefixstat_thread_setup();
    const char *key = arg;
    for (int i = 0; i < 200000; i++) prefixstat_count(key, strlen(key), i & 1);
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    static struct prefixstat_row r[PREFIXSTAT_SLOTS];
    struct prefixstat_row o;
    while (!__atomic_load_n(&stop_reader, __ATOMIC_RELAXED)) prefixstat_top(r, 8, &o);
    return NULL;
}

TEST(threads_count_while_info_reads)
{
    prefixstat_reset();
    pthread_t w1, w2, r;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w1, NULL, writer, "cart:1");
    pthread_create(&w2, NULL, writer, "cart:2");
    pthread_join(w1, NULL);
    pthread_join(w2, NULL);
    __atomic_store_n(&stop_reader, 1, __ATOMIC_RELAXED);
    pthread_join(r, NULL);
    size_t n = prefixstat_top(rows, 16, &other);
    ASSERT_INT_EQ(n, 1); /* one prefix, merged over the threads */
    ASSERT_STR_EQ(rows[0].prefix, "cart:");
    ASSERT_INT_EQ(rows[0].hits, 200000);
    ASSERT_INT_EQ(rows[0].misses, 200000);
}

int main(void)
{
    RUN(prefix_rows_and_other);
    RUN(bounded_and_steady_prefix_kept);
    RUN(threads_count_while_info_reads);
    TEST_DONE();
}

/* test.h - a minimal unit-test harness: TEST() functions listed in main via
 * RUN(), asserts that print both sides, and the closing "N passed, N
 * failed" line CI reads. A failed assert ends the test binary. */
#ifndef RESPITE_TEST_H
#define RESPITE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test__passed;

#define TEST(name) static void test_##name(void)
#define RUN(name)                                                                                  \
    do {                                                                                           \
        test_##name();                                                                             \
        test__passed++;                                                                            \
        printf("[ok]: %s\n", #name);                                                               \
    } while (0)
#define TEST_DONE()                                                                                \
    do {                                                                                           \
        printf("%d passed, 0 failed\n", test__passed);                                             \
        return 0;                                                                                  \
    } while (0)

#define TEST_FAIL(...)                                                                             \
    do {                                                                                           \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                            \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fprintf(stderr, "\n%d passed, 1 failed\n", test__passed);                                  \
        exit(1);                                                                                   \
    } while (0)

#define ASSERT(x)                                                                                  \
    do {                                                                                           \
        if (!(x)) TEST_FAIL("assertion failed: %s", #x);                                           \
    } while (0)

#define ASSERT_INT_EQ(a, b)                                                                        \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_) TEST_FAIL("%s == %s: %lld != %lld", #a, #b, a_, b_);                         \
    } while (0)

#define ASSERT_MEM_EQ(p, n, lit)                                                                   \
    do {                                                                                           \
        size_t n_ = (size_t)(n), l_ = strlen(lit);                                                 \
        if (n_ != l_ || memcmp((p), (lit), l_) != 0)                                               \
            TEST_FAIL("%s: got '%.*s' (%zu bytes), want '%s'", #p, (int)n_, (const char *)(p), n_, \
                      (const char *)(lit));                                                        \
    } while (0)

#define ASSERT_STR_EQ(a, b)                                                                        \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0)                                       \
            TEST_FAIL("%s == %s: '%s' != '%s'", #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");   \
    } while (0)

#endif

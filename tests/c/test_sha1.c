/* test_sha1.c - SHA-1 against the FIPS 180 test vectors and sha1sum, fed
 * whole and split at every offset (the block boundary is where a digest
 * goes wrong). */
#include "base/sha1.h"
#include "test.h"

static void hex_of(const uint8_t d[20], char out[41])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 20; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[40] = '\0';
}

TEST(known_vectors)
{
    static const struct {
        const char *in, *hex;
    } cases[] = {
        {"", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
        {"abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
        /* A script body as EVALSHA names it (SCRIPT LOAD "return 'hello'"). */
        {"return 'hello'", "1b936e3fe509bcbc9cd0664897bbe8fd0cac101b"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[41];
        sha1_hex(cases[i].in, strlen(cases[i].in), out);
        ASSERT_STR_EQ(out, cases[i].hex);
    }
}

/* 1000 'a' (sha1sum of `printf 'a%.0s' $(seq 1000)`), and a million 'a'
 * from FIPS 180-2, fed in one piece and split at every offset < 130. */
TEST(long_inputs_and_every_split)
{
    char buf[1000];
    memset(buf, 'a', sizeof(buf));
    char out[41];
    sha1_hex(buf, sizeof(buf), out);
    ASSERT_STR_EQ(out, "291e9a6c66994949b57ba5e650361e98fc36b1ba");
    for (size_t split = 0; split < 130; split++) {
        struct sha1 s;
        uint8_t d[20];
        sha1_init(&s);
        sha1_update(&s, buf, split);
        sha1_update(&s, buf + split, sizeof(buf) - split);
        sha1_final(&s, d);
        hex_of(d, out);
        ASSERT_STR_EQ(out, "291e9a6c66994949b57ba5e650361e98fc36b1ba");
    }
    struct sha1 s;
    uint8_t d[20];
    sha1_init(&s);
    for (int i = 0; i < 1000; i++) sha1_update(&s, buf, sizeof(buf));
    sha1_final(&s, d);
    hex_of(d, out);
    ASSERT_STR_EQ(out, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

/* Lengths around the padding boundary (55, 56, 63, 64 bytes) against
 * digests from sha1sum. */
TEST(padding_boundaries)
{
    static const struct {
        size_t len;
        const char *hex;
    } cases[] = {
        {55, "c1c8bbdc22796e28c0e15163d20899b65621d65a"},
        {56, "c2db330f6083854c99d4b5bfb6e8f29f201be699"},
        {63, "03f09f5b158a7a8cdad920bddc29b81c18a551f5"},
        {64, "0098ba824b5c16427bd7a1122a5a442a25ec644d"},
    };
    char buf[64];
    memset(buf, 'a', sizeof(buf));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[41];
        sha1_hex(buf, cases[i].len, out);
        ASSERT_STR_EQ(out, cases[i].hex);
    }
}

int main(void)
{
    RUN(known_vectors);
    RUN(long_inputs_and_every_split);
    RUN(padding_boundaries);
    TEST_DONE();
}

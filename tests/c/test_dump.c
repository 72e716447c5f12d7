/* test_dump.c - the RDB pieces of a DUMP payload (base/dump.c): the CRC-64
 * check value, lengths at every encoding boundary read back, integer
 * encodings, LZF strings and the trailer of a payload Redis 7.4.1 wrote
 * (FUNCTION DUMP), truncated and corrupted input refused. */
#include <stdint.h>
#include <string.h>

#include "base/dump.h"
#include "base/mem.h"
#include "test.h"

/* FUNCTION DUMP of one library from Redis 7.4.1: its code is long enough
 * that Redis stored it LZF-compressed. */
static const unsigned char redis_payload[] =
    "\xf5\xc3\x40\x87\x41\x56\x1f\x23\x21\x6c\x75\x61\x20\x6e\x61\x6d"
    "\x65\x3d\x64\x75\x6d\x70\x6c\x69\x62\x0a\x2d\x2d\x20\x61\x20\x6c"
    "\x6f\x6e\x67\x20\x63\x6f\x6d\x0e\x6d\x65\x6e\x74\x20\x73\x6f\x20"
    "\x4c\x5a\x46\x20\x68\x61\x73\x20\x0a\x04\x6d\x65\x74\x68\x69\x20"
    "\x1c\x01\x74\x6f\x40\x1f\x05\x70\x72\x65\x73\x73\x20\xe0\xc3\x32"
    "\x19\x0a\x72\x65\x64\x69\x73\x2e\x72\x65\x67\x69\x73\x74\x65\x72"
    "\x5f\x66\x75\x6e\x63\x74\x69\x6f\x6e\x28\x27\x41\x20\x03\x66\x27"
    "\x2c\x20\xe0\x00\x11\x0b\x6b\x2c\x61\x29\x20\x72\x65\x74\x75\x72"
    "\x6e\x20\x60\x1d\x07\x65\x64\x27\x20\x65\x6e\x64\x29\x0c\x00\x33"
    "\x14\x96\x2c\xaa\xdd\xb1\x37";
static const char redis_code[] =
    "#!lua name=dumplib\n"
    "-- a long comment so LZF has something to compress "
    "-- a long comment so LZF has something to compress "
    "-- a long comment so LZF has something to compress "
    "-- a long comment so LZF has something to compress "
    "-- a long comment so LZF has something to compress "
    "\nredis.register_function('dumpf', function(k,a) return 'dumped' end)";

TEST(crc64_check_value)
{
    ASSERT(dump_crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9caULL);
    ASSERT(dump_crc64(0, "", 0) == 0);
}

TEST(strings_round_trip_at_each_length_encoding)
{
    static const size_t lens[] = {0, 1, 63, 64, 16383, 16384, 70000};
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        struct dump_buf b = {NULL, 0, 0};
        char *s = mem_alloc(lens[i] + 1);
        for (size_t k = 0; k < lens[i]; k++) s[k] = (char)('a' + k % 26);
        dump_put_string(&b, s, lens[i]);
        const unsigned char *p = (const unsigned char *)b.p, *end = p + b.len;
        char *out;
        size_t n;
        ASSERT_INT_EQ(dump_get_string(&p, end, &out, &n), 0);
        ASSERT_INT_EQ(n, lens[i]);
        ASSERT(memcmp(out, s, n) == 0);
        ASSERT(p == end);
        mem_free(out);
        /* Every truncation is refused. */
        for (size_t cut = 0; cut < b.len && cut < 70; cut++) {
            p = (const unsigned char *)b.p;
            ASSERT_INT_EQ(dump_get_string(&p, p + cut, &out, &n), -1);
        }
        mem_free(s);
        mem_free(b.p);
    }
}

TEST(integer_encoded_strings_read_as_text)
{
    static const unsigned char in[] = {0xc0, 0xfb, 0xc1, 0x39, 0x30, 0xc2, 0x00, 0x00, 0x00, 0x80};
    const unsigned char *p = in, *end = in + sizeof(in);
    char *out;
    size_t n;
    ASSERT_INT_EQ(dump_get_string(&p, end, &out, &n), 0);
    ASSERT_MEM_EQ(out, n, "-5");
    mem_free(out);
    ASSERT_INT_EQ(dump_get_string(&p, end, &out, &n), 0);
    ASSERT_MEM_EQ(out, n, "12345");
    mem_free(out);
    ASSERT_INT_EQ(dump_get_string(&p, end, &out, &n), 0);
    ASSERT_MEM_EQ(out, n, "-2147483648");
    mem_free(out);
}

TEST(a_redis_payload_verifies_and_its_lzf_string_decodes)
{
    unsigned version;
    size_t len = sizeof(redis_payload) - 1; /* the literal's NUL */
    ASSERT_INT_EQ(dump_verify(redis_payload, len, &version), 0);
    ASSERT_INT_EQ(version, 12);
    const unsigned char *p = redis_payload, *end = redis_payload + len - 10;
    ASSERT_INT_EQ(*p++, DUMP_OPCODE_FUNCTION2);
    char *out;
    size_t n;
    ASSERT_INT_EQ(dump_get_string(&p, end, &out, &n), 0);
    ASSERT_INT_EQ(n, sizeof(redis_code) - 1);
    ASSERT(memcmp(out, redis_code, n) == 0);
    ASSERT(p == end);
    mem_free(out);
    /* Any changed byte fails the checksum; any cut of the compressed
     * string is refused. */
    unsigned char copy[sizeof(redis_payload) - 1];
    for (size_t i = 0; i < len; i++) {
        memcpy(copy, redis_payload, len);
        copy[i] ^= 0x20;
        ASSERT_INT_EQ(dump_verify(copy, len, &version), -1);
    }
    for (size_t cut = 1; cut < (size_t)(end - redis_payload - 1); cut++) {
        p = redis_payload + 1;
        ASSERT_INT_EQ(dump_get_string(&p, redis_payload + 1 + cut, &out, &n), -1);
    }
}

TEST(a_written_payload_verifies)
{
    struct dump_buf b = {NULL, 0, 0};
    dump_put_byte(&b, DUMP_OPCODE_FUNCTION2);
    dump_put_string(&b, redis_code, sizeof(redis_code) - 1);
    dump_finish(&b);
    unsigned version;
    ASSERT_INT_EQ(dump_verify((const unsigned char *)b.p, b.len, &version), 0);
    ASSERT_INT_EQ(version, DUMP_RDB_VERSION);
    ASSERT_INT_EQ(dump_verify((const unsigned char *)b.p, 9, &version), -1);
    mem_free(b.p);
}

int main(void)
{
    RUN(crc64_check_value);
    RUN(strings_round_trip_at_each_length_encoding);
    RUN(integer_encoded_strings_read_as_text);
    RUN(a_redis_payload_verifies_and_its_lzf_string_decodes);
    RUN(a_written_payload_verifies);
    TEST_DONE();
}

/* test_resp.c - the request parser: every truncation point, bad lengths,
 * huge counts, inline quoting. Inputs sit against a guard page, so any read
 * past the end of the buffer crashes the test. */
#include <sys/mman.h>
#include <unistd.h>

#include "base/resp.h"
#include "test.h"

static const struct resp_limits lim = {512 * 1024 * 1024LL, 64 * 1024};

/* Copies (s, n) so that its last byte is the last byte before a page that
 * cannot be read. */
static char *guarded(const char *s, size_t n)
{
    static char *region;
    static size_t region_size;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t need = (n + page - 1) / page * page + page;
    if (region) munmap(region, region_size);
    region = mmap(NULL, need, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ASSERT(region != MAP_FAILED);
    region_size = need;
    ASSERT(mprotect(region + need - page, page, PROT_NONE) == 0);
    char *p = region + need - page - n;
    memcpy(p, s, n);
    return p;
}

static enum resp_status parse(struct resp_request *r, const char *s, size_t n)
{
    char *p = guarded(s, n);
    return resp_parse(r, p, n, &lim);
}

static void expect_args(struct resp_request *r, const char *buf, int argc, const char **argv)
{
    ASSERT_INT_EQ(r->argc, argc);
    for (int i = 0; i < argc; i++) ASSERT_MEM_EQ(buf + r->argv[i].off, r->argv[i].len, argv[i]);
}

/* Parses s at every prefix length: each prefix must be INCOMPLETE, both
 * fresh and resumed from the previous prefix's state; the whole is DONE. */
static void check_all_truncations(const char *s, size_t n, int argc, const char **argv)
{
    struct resp_request resumed;
    resp_request_init(&resumed);
    char *copy = malloc(n);
    for (size_t len = 0; len < n; len++) {
        struct resp_request fresh;
        resp_request_init(&fresh);
        ASSERT_INT_EQ(parse(&fresh, s, len), RESP_INCOMPLETE);
        resp_request_free(&fresh);
        ASSERT_INT_EQ(parse(&resumed, s, len), RESP_INCOMPLETE);
    }
    memcpy(copy, s, n);
    ASSERT_INT_EQ(resp_parse(&resumed, copy, n, &lim), RESP_DONE);
    ASSERT_INT_EQ(resumed.consumed, n);
    expect_args(&resumed, copy, argc, argv);
    resp_request_free(&resumed);
    free(copy);
}

TEST(multibulk_truncations)
{
    const char *argv[] = {"SET", "key", "", "va\r\nlue"};
    const char *s = "*4\r\n$3\r\nSET\r\n$3\r\nkey\r\n$0\r\n\r\n$7\r\nva\r\nlue\r\n";
    check_all_truncations(s, strlen(s), 4, argv);
}

TEST(inline_truncations)
{
    const char *argv[] = {"set", "a b", "c'd", "A\n"};
    const char *s = "set \"a b\" 'c\\'d' \"\\x41\\n\"\r\n";
    check_all_truncations(s, strlen(s), 4, argv);
}

TEST(binary_bulk)
{
    const char s[] = "*2\r\n$3\r\nGET\r\n$5\r\na\0b\r\n\r\n";
    struct resp_request r;
    resp_request_init(&r);
    char *p = guarded(s, sizeof(s) - 1);
    ASSERT_INT_EQ(resp_parse(&r, p, sizeof(s) - 1, &lim), RESP_DONE);
    ASSERT_INT_EQ(r.argc, 2);
    ASSERT_INT_EQ(r.argv[1].len, 5);
    ASSERT(memcmp(p + r.argv[1].off, "a\0b\r\n", 5) == 0);
    resp_request_free(&r);
}

TEST(pipelined_requests_consume_one_at_a_time)
{
    const char *s = "PING\r\n*1\r\n$4\r\nPING\r\n";
    struct resp_request r;
    resp_request_init(&r);
    char *p = guarded(s, strlen(s));
    ASSERT_INT_EQ(resp_parse(&r, p, strlen(s), &lim), RESP_DONE);
    ASSERT_INT_EQ(r.consumed, 6);
    size_t off = r.consumed;
    resp_request_reset(&r);
    ASSERT_INT_EQ(resp_parse(&r, p + off, strlen(s) - off, &lim), RESP_DONE);
    ASSERT_INT_EQ(r.consumed, strlen(s) - off);
    resp_request_free(&r);
}

TEST(empty_requests)
{
    const char *cases[] = {"*0\r\n", "*-1\r\n", "*-5\r\n", "\r\n", "\n", "   \r\n"};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct resp_request r;
        resp_request_init(&r);
        ASSERT_INT_EQ(parse(&r, cases[i], strlen(cases[i])), RESP_DONE);
        ASSERT_INT_EQ(r.argc, 0);
        ASSERT_INT_EQ(r.consumed, strlen(cases[i]));
        resp_request_free(&r);
    }
}

static void expect_error(const char *s, size_t n, const char *msg, const struct resp_limits *l)
{
    struct resp_request r;
    resp_request_init(&r);
    char *p = guarded(s, n);
    enum resp_status st = resp_parse(&r, p, n, l);
    if (st != RESP_ERROR) TEST_FAIL("'%.*s': status %d, want error '%s'", (int)n, s, st, msg);
    ASSERT_STR_EQ(r.error, msg);
    resp_request_free(&r);
}

TEST(bad_lengths)
{
    const char *mb = "Protocol error: invalid multibulk length";
    const char *bl = "Protocol error: invalid bulk length";
    expect_error("*abc\r\n", 6, mb, &lim);
    expect_error("*2147483648\r\n", 13, mb, &lim);
    expect_error("*99999999999999999999999\r\n", 26, mb, &lim);
    expect_error("*+1\r\n", 5, mb, &lim);
    expect_error("*01\r\n", 5, mb, &lim);
    expect_error("*1\r\n$-1\r\n", 9, bl, &lim);
    expect_error("*1\r\n$abc\r\n", 10, bl, &lim);
    expect_error("*1\r\n$03\r\n", 9, bl, &lim);
    expect_error("*1\r\n$\r\n", 7, bl, &lim);
    struct resp_limits small = {1024 * 1024, 64 * 1024};
    expect_error("*1\r\n$1048577\r\n", 14, bl, &small);
    expect_error("*1\r\n:1\r\n", 8, "Protocol error: expected '$', got ':'", &lim);
    expect_error("*2\r\n$1\r\na\r\nx\r\n", 14, "Protocol error: expected '$', got 'x'", &lim);
}

TEST(huge_counts_do_not_preallocate)
{
    /* A count of two billion arguments with one present: the parser keeps
     * asking for more without reserving slots for all of them. */
    const char *s = "*2147483647\r\n$1\r\na\r\n";
    struct resp_request r;
    resp_request_init(&r);
    ASSERT_INT_EQ(parse(&r, s, strlen(s)), RESP_INCOMPLETE);
    ASSERT(r.argv_cap <= 1024);
    ASSERT_INT_EQ(r.argc, 1);
    resp_request_free(&r);
    /* A huge bulk length asks the caller to buffer that much, no more. */
    const char *b = "*1\r\n$536870912\r\nab";
    resp_request_init(&r);
    ASSERT_INT_EQ(parse(&r, b, strlen(b)), RESP_INCOMPLETE);
    ASSERT_INT_EQ(r.want, 16 + 536870912 + 2);
    resp_request_free(&r);
}

TEST(oversized_lines)
{
    size_t n = 64 * 1024 + 10;
    char *big = malloc(n);
    memset(big, 'a', n);
    expect_error(big, n, "Protocol error: too big inline request", &lim);
    big[0] = '*';
    memset(big + 1, '1', n - 1);
    expect_error(big, n, "Protocol error: too big mbulk count string", &lim);
    memcpy(big, "*1\r\n$", 5);
    expect_error(big, n, "Protocol error: too big bulk count string", &lim);
    free(big);
}

TEST(inline_quotes)
{
    expect_error("set \"abc\r\n", 10, "Protocol error: unbalanced quotes in request", &lim);
    expect_error("set 'abc\r\n", 10, "Protocol error: unbalanced quotes in request", &lim);
    expect_error("set \"a\"b\r\n", 10, "Protocol error: unbalanced quotes in request", &lim);
    struct resp_request r;
    resp_request_init(&r);
    const char *s = "  get   \"\"  x\t\n";
    char *p = guarded(s, strlen(s));
    ASSERT_INT_EQ(resp_parse(&r, p, strlen(s), &lim), RESP_DONE);
    const char *argv[] = {"get", "", "x"};
    expect_args(&r, p, 3, argv);
    resp_request_free(&r);
}

TEST(split_args_escapes)
{
    char line[] = "\"\\t\\r\\n\\a\\b\\\\\\\"\\xzz\" 'it\\'s'";
    struct resp_span spans[4];
    long n = resp_split_args(line, strlen(line), spans, 4);
    ASSERT_INT_EQ(n, 2);
    ASSERT_MEM_EQ(line + spans[0].off, spans[0].len, "\t\r\n\a\b\\\"xzz");
    ASSERT_MEM_EQ(line + spans[1].off, spans[1].len, "it's");
}

/* Regression: a NUL byte in an inline request looped forever (found by
 * the protocol fuzz test). Redis ends the line at the NUL. */
TEST(inline_nul_ends_line)
{
    const char s[] = "get a\0b c\r\n";
    struct resp_request r;
    resp_request_init(&r);
    char *p = guarded(s, sizeof(s) - 1);
    ASSERT_INT_EQ(resp_parse(&r, p, sizeof(s) - 1, &lim), RESP_DONE);
    const char *argv[] = {"get", "a"};
    expect_args(&r, p, 2, argv);
    resp_request_free(&r);
    const char q[] = "set \"a\0b\" c\r\n";
    expect_error(q, sizeof(q) - 1, "Protocol error: unbalanced quotes in request", &lim);
    const char z[] = "\0\r\n";
    resp_request_init(&r);
    p = guarded(z, sizeof(z) - 1);
    ASSERT_INT_EQ(resp_parse(&r, p, sizeof(z) - 1, &lim), RESP_DONE);
    ASSERT_INT_EQ(r.argc, 0);
    resp_request_free(&r);
}

int main(void)
{
    RUN(multibulk_truncations);
    RUN(inline_truncations);
    RUN(binary_bulk);
    RUN(pipelined_requests_consume_one_at_a_time);
    RUN(empty_requests);
    RUN(bad_lengths);
    RUN(huge_counts_do_not_preallocate);
    RUN(oversized_lines);
    RUN(inline_quotes);
    RUN(split_args_escapes);
    RUN(inline_nul_ends_line);
    TEST_DONE();
}

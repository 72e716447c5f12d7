/* hiredis_test.c - respite against hiredis, the stock C client (Debian's
 * libhiredis-dev): pipelining, binary-safe arguments, transactions, error
 * replies, Lua scripts, hashes, sets, lists and bitmaps (a token bucket, tag
 * invalidation, a moving-window rate limiter, a reliable queue, BITFIELD
 * counters), AUTH, pub/sub and, where the library speaks it, RESP3.
 *
 * Usage: hiredis-test --host H --port P --auth-port P2 --password PW [--socket PATH]
 *
 * --port is a server without a password; --auth-port one with requirepass
 * PW. Each test prints "ok: NAME", "FAIL: NAME: why" or "skip: NAME: why";
 * a failed check ends only its own test, and the last line is "N passed,
 * N failed, N skipped". Every connection has a 5 s connect and read/write
 * timeout, so a server that stops answering gives FAIL lines, never a hang.
 * Talks to 127.0.0.1 only. */
#include <hiredis/hiredis.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define TIMEOUT_SEC 5
#define MAX_CONNS   8 /* contexts one test may hold open */

static const char *opt_host = "127.0.0.1";
static int opt_port, opt_auth_port;
static const char *opt_password;
static const char *opt_socket; /* the --port server's unix socket, if given */

/* The current test's open contexts and its failure message. The runner frees
 * the contexts after each test whatever happened, so a check that fails can
 * simply return. */
static redisContext *conns[MAX_CONNS];
static int nconns;
static char why[512];
static int skipped_now;

static int failf(int line, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(why, sizeof(why), "line %d: ", line);
    va_start(ap, fmt);
    vsnprintf(why + n, sizeof(why) - n, fmt, ap);
    va_end(ap);
    return -1;
}

#define FAIL(...) return failf(__LINE__, __VA_ARGS__)
#define CHECK(x)                                                                                   \
    do {                                                                                           \
        if (!(x)) FAIL("check failed: %s", #x);                                                    \
    } while (0)
#define SKIP(...)                                                                                  \
    do {                                                                                           \
        skipped_now = 1;                                                                           \
        snprintf(why, sizeof(why), __VA_ARGS__);                                                   \
        return 0;                                                                                  \
    } while (0)

static const char *type_name(int type)
{
    switch (type) {
    case REDIS_REPLY_STRING: return "string";
    case REDIS_REPLY_ARRAY: return "array";
    case REDIS_REPLY_INTEGER: return "integer";
    case REDIS_REPLY_NIL: return "nil";
    case REDIS_REPLY_STATUS: return "status";
    case REDIS_REPLY_ERROR: return "error";
    default: return "other";
    }
}

/* describe: a short printable form of a reply for failure messages. */
static const char *describe(const redisReply *r)
{
    static char buf[200];
    if (r == NULL) return "(no reply)";
    switch (r->type) {
    case REDIS_REPLY_INTEGER: snprintf(buf, sizeof(buf), "integer %lld", r->integer); break;
    case REDIS_REPLY_ARRAY: snprintf(buf, sizeof(buf), "array of %zu", r->elements); break;
    case REDIS_REPLY_NIL: snprintf(buf, sizeof(buf), "nil"); break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
        snprintf(buf, sizeof(buf), "%s '%.*s'", type_name(r->type),
                 (int)(r->len < 120 ? r->len : 120), r->str);
        break;
    default: snprintf(buf, sizeof(buf), "reply of type %d", r->type);
    }
    return buf;
}

/* A reply of TYPE whose bytes are exactly TEXT (strings, status, errors). */
#define CHECK_TEXT(r, t, text)                                                                     \
    do {                                                                                           \
        const redisReply *r_ = (r);                                                                \
        const char *x_ = (text);                                                                   \
        if (r_ == NULL || r_->type != (t) || r_->len != strlen(x_) ||                              \
            memcmp(r_->str, x_, r_->len) != 0)                                                     \
            FAIL("%s: expected %s '%s', got %s", #r, type_name(t), x_, describe(r_));              \
    } while (0)

#define CHECK_PREFIX(r, t, prefix)                                                                 \
    do {                                                                                           \
        const redisReply *r_ = (r);                                                                \
        const char *x_ = (prefix);                                                                 \
        if (r_ == NULL || r_->type != (t) || r_->len < strlen(x_) ||                               \
            memcmp(r_->str, x_, strlen(x_)) != 0)                                                  \
            FAIL("%s: expected %s starting '%s', got %s", #r, type_name(t), x_, describe(r_));     \
    } while (0)

#define CHECK_INT(r, n)                                                                            \
    do {                                                                                           \
        const redisReply *r_ = (r);                                                                \
        if (r_ == NULL || r_->type != REDIS_REPLY_INTEGER || r_->integer != (n))                   \
            FAIL("%s: expected integer %lld, got %s", #r, (long long)(n), describe(r_));           \
    } while (0)

/* A bulk string holding exactly the N bytes at P (NUL and CR LF included). */
#define CHECK_BYTES(r, p, n)                                                                       \
    do {                                                                                           \
        const redisReply *r_ = (r);                                                                \
        size_t n_ = (n);                                                                           \
        if (r_ == NULL || r_->type != REDIS_REPLY_STRING || r_->len != n_ ||                       \
            memcmp(r_->str, (p), n_) != 0)                                                         \
            FAIL("%s: expected a string of the %zu bytes sent, got %s", #r, n_, describe(r_));     \
    } while (0)

#define CHECK_ARRAY(r, n)                                                                          \
    do {                                                                                           \
        const redisReply *r_ = (r);                                                                \
        if (r_ == NULL || r_->type != REDIS_REPLY_ARRAY || r_->elements != (size_t)(n))            \
            FAIL("%s: expected an array of %d, got %s", #r, (int)(n), describe(r_));               \
    } while (0)

/* The replies a test got, freed by the runner after it. */
#define MAX_REPLIES 64
static redisReply *replies[MAX_REPLIES];
static int nreplies;

static redisReply *keep(redisReply *r)
{
    if (r == NULL) return NULL;
    if (nreplies == MAX_REPLIES) {
        freeReplyObject(replies[0]);
        memmove(replies, replies + 1, sizeof(replies[0]) * (MAX_REPLIES - 1));
        nreplies--;
    }
    replies[nreplies++] = r;
    return r;
}

/* cmd: redisCommand whose reply the runner frees; NULL on an I/O error. */
static redisReply *cmd(redisContext *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    redisReply *r = redisvCommand(c, fmt, ap);
    va_end(ap);
    return keep(r);
}

static redisReply *next_reply(redisContext *c)
{
    void *r = NULL;
    if (redisGetReply(c, &r) != REDIS_OK) return NULL;
    return keep(r);
}

/* conn: a connected context with timeouts, or NULL (the reason in why). */
static redisContext *conn(int port)
{
    struct timeval tv = {TIMEOUT_SEC, 0};
    if (nconns == MAX_CONNS) {
        failf(__LINE__, "too many connections in one test");
        return NULL;
    }
    redisContext *c = redisConnectWithTimeout(opt_host, port, tv);
    if (c == NULL || c->err) {
        failf(__LINE__, "connect to %s:%d: %s", opt_host, port, c ? c->errstr : "out of memory");
        if (c) redisFree(c);
        return NULL;
    }
    redisSetTimeout(c, tv);
    conns[nconns++] = c;
    return c;
}

#define CONNECT(var, port)                                                                         \
    redisContext *var = conn(port);                                                                \
    if (var == NULL) return -1

/* ------------------------------------------------------------------------ */

static int test_ping(void)
{
    CONNECT(c, opt_port);
    CHECK_TEXT(cmd(c, "PING"), REDIS_REPLY_STATUS, "PONG");
    CHECK_TEXT(cmd(c, "ECHO %s", "hello"), REDIS_REPLY_STRING, "hello");
    CHECK_TEXT(cmd(c, "SET %s %s", "c:k", "v"), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(cmd(c, "GET %s", "c:k"), REDIS_REPLY_STRING, "v");
    redisReply *r = cmd(c, "GET %s", "c:missing");
    CHECK(r != NULL && r->type == REDIS_REPLY_NIL);
    CHECK_INT(cmd(c, "INCRBY %s %d", "c:n", 41), 41);
    CHECK_INT(cmd(c, "INCR %s", "c:n"), 42);
    CHECK_INT(cmd(c, "DEL %s %s %s", "c:k", "c:n", "c:missing"), 2);
    return 0;
}

/* 10,000 SETs and 10,000 GETs written before the first reply is read: the
 * server sees them in large reads and must answer each, in order. */
#define PIPELINE_N 10000
static int test_pipeline(void)
{
    CONNECT(c, opt_port);
    for (int i = 0; i < PIPELINE_N; i++)
        CHECK(redisAppendCommand(c, "SET c:p:%d value-%d", i, i) == REDIS_OK);
    for (int i = 0; i < PIPELINE_N; i++) CHECK(redisAppendCommand(c, "GET c:p:%d", i) == REDIS_OK);
    for (int i = 0; i < PIPELINE_N; i++) {
        redisReply *r = next_reply(c);
        if (r == NULL) FAIL("SET reply %d: %s", i, c->errstr);
        CHECK_TEXT(r, REDIS_REPLY_STATUS, "OK");
    }
    char want[32];
    for (int i = 0; i < PIPELINE_N; i++) {
        redisReply *r = next_reply(c);
        if (r == NULL) FAIL("GET reply %d: %s", i, c->errstr);
        snprintf(want, sizeof(want), "value-%d", i);
        CHECK_TEXT(r, REDIS_REPLY_STRING, want);
    }
    /* One MSET with 2,001 arguments through the argv interface. */
    enum { PAIRS = 1000 };
    static const char *argv[1 + 2 * PAIRS];
    static size_t lens[1 + 2 * PAIRS];
    static char bufs[2 * PAIRS][24];
    argv[0] = "MSET";
    lens[0] = 4;
    for (int i = 0; i < 2 * PAIRS; i++) {
        snprintf(bufs[i], sizeof(bufs[i]), i % 2 ? "v%d" : "c:m:%d", i / 2);
        argv[1 + i] = bufs[i];
        lens[1 + i] = strlen(bufs[i]);
    }
    CHECK(redisAppendCommandArgv(c, 1 + 2 * PAIRS, argv, lens) == REDIS_OK);
    CHECK_TEXT(next_reply(c), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(cmd(c, "GET c:m:999"), REDIS_REPLY_STRING, "v999");
    return 0;
}

/* %b passes (pointer, length): values with NUL, CR LF and a '$' must come
 * back byte for byte, including one of 1 MiB that crosses many reads. */
static int test_binary(void)
{
    CONNECT(c, opt_port);
    static const char key[] = "c:bin\0key\r\n";
    static const char small[] = "a\0b\r\nc\r\n$5\r\n*1\r\n\0";
    size_t klen = sizeof(key) - 1, slen = sizeof(small) - 1;
    CHECK_TEXT(cmd(c, "SET %b %b", key, klen, small, slen), REDIS_REPLY_STATUS, "OK");
    redisReply *r = cmd(c, "GET %b", key, klen);
    CHECK(r != NULL && r->type == REDIS_REPLY_STRING);
    if (r->len != slen || memcmp(r->str, small, slen) != 0)
        FAIL("GET returned %zu bytes, want the %zu sent", r->len, slen);
    CHECK_INT(cmd(c, "STRLEN %b", key, klen), (long long)slen);
    CHECK_INT(cmd(c, "APPEND %b %b", key, klen, "\0", (size_t)1), (long long)slen + 1);

    size_t big_len = 1 << 20;
    char *big = malloc(big_len);
    CHECK(big != NULL);
    for (size_t i = 0; i < big_len; i++) big[i] = (char)(i * 31 + (i >> 8));
    memcpy(big + 1000, "\r\n\0\r\n", 5);
    r = cmd(c, "SET c:big %b", big, big_len);
    if (r == NULL || r->type != REDIS_REPLY_STATUS) {
        free(big);
        FAIL("SET of 1 MiB: %s", r ? describe(r) : c->errstr);
    }
    r = cmd(c, "GET c:big");
    int same = r != NULL && r->type == REDIS_REPLY_STRING && r->len == big_len &&
               memcmp(r->str, big, big_len) == 0;
    free(big);
    if (!same) FAIL("GET of 1 MiB: %s", r ? describe(r) : c->errstr);
    r = cmd(c, "GETRANGE c:big %d %d", 1000, 1004);
    CHECK(r != NULL && r->type == REDIS_REPLY_STRING && r->len == 5 &&
          memcmp(r->str, "\r\n\0\r\n", 5) == 0);
    return 0;
}

static int test_multi_exec(void)
{
    CONNECT(c, opt_port);
    cmd(c, "DEL c:t:n c:t:s");
    CHECK_TEXT(cmd(c, "MULTI"), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(cmd(c, "INCR c:t:n"), REDIS_REPLY_STATUS, "QUEUED");
    CHECK_TEXT(cmd(c, "SET c:t:s %b", "x\0y", (size_t)3), REDIS_REPLY_STATUS, "QUEUED");
    CHECK_TEXT(cmd(c, "INCR c:t:s"), REDIS_REPLY_STATUS, "QUEUED");
    CHECK_TEXT(cmd(c, "GET c:t:s"), REDIS_REPLY_STATUS, "QUEUED");
    redisReply *r = cmd(c, "EXEC");
    CHECK_ARRAY(r, 4);
    CHECK_INT(r->element[0], 1);
    CHECK_TEXT(r->element[1], REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(r->element[2], REDIS_REPLY_ERROR, "ERR value is not an integer or out of range");
    CHECK(r->element[3]->type == REDIS_REPLY_STRING && r->element[3]->len == 3 &&
          memcmp(r->element[3]->str, "x\0y", 3) == 0);

    /* A command refused while queuing aborts the whole transaction. */
    CHECK_TEXT(cmd(c, "MULTI"), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(cmd(c, "SET c:t:n 100"), REDIS_REPLY_STATUS, "QUEUED");
    CHECK_TEXT(cmd(c, "GET"), REDIS_REPLY_ERROR, "ERR wrong number of arguments for 'get' command");
    CHECK_TEXT(cmd(c, "EXEC"), REDIS_REPLY_ERROR,
               "EXECABORT Transaction discarded because of previous errors.");
    CHECK_TEXT(cmd(c, "GET c:t:n"), REDIS_REPLY_STRING, "1");

    /* DISCARD, and the same transaction pipelined in one write. */
    CHECK_TEXT(cmd(c, "MULTI"), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(cmd(c, "INCR c:t:n"), REDIS_REPLY_STATUS, "QUEUED");
    CHECK_TEXT(cmd(c, "DISCARD"), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(cmd(c, "EXEC"), REDIS_REPLY_ERROR, "ERR EXEC without MULTI");
    redisAppendCommand(c, "MULTI");
    redisAppendCommand(c, "INCR c:t:n");
    redisAppendCommand(c, "INCR c:t:n");
    redisAppendCommand(c, "EXEC");
    CHECK_TEXT(next_reply(c), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(next_reply(c), REDIS_REPLY_STATUS, "QUEUED");
    CHECK_TEXT(next_reply(c), REDIS_REPLY_STATUS, "QUEUED");
    r = next_reply(c);
    CHECK_ARRAY(r, 2);
    CHECK_INT(r->element[1], 3);

    /* WATCH: a write from another connection makes EXEC return nil. */
    CONNECT(other, opt_port);
    CHECK_TEXT(cmd(c, "WATCH c:t:n"), REDIS_REPLY_STATUS, "OK");
    CHECK_INT(cmd(other, "INCR c:t:n"), 4);
    CHECK_TEXT(cmd(c, "MULTI"), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(cmd(c, "SET c:t:n mine"), REDIS_REPLY_STATUS, "QUEUED");
    r = cmd(c, "EXEC");
    if (r == NULL || r->type != REDIS_REPLY_NIL) FAIL("EXEC after a WATCH hit: %s", describe(r));
    CHECK_TEXT(cmd(c, "GET c:t:n"), REDIS_REPLY_STRING, "4");
    return 0;
}

static int test_errors(void)
{
    CONNECT(c, opt_port);
    CHECK_TEXT(cmd(c, "SET c:e abc"), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(cmd(c, "INCR c:e"), REDIS_REPLY_ERROR,
               "ERR value is not an integer or out of range");
    CHECK_TEXT(cmd(c, "GET"), REDIS_REPLY_ERROR, "ERR wrong number of arguments for 'get' command");
    CHECK_TEXT(cmd(c, "SET c:e v EX 0"), REDIS_REPLY_ERROR,
               "ERR invalid expire time in 'set' command");
    CHECK_TEXT(cmd(c, "SET c:e v NX XX"), REDIS_REPLY_ERROR, "ERR syntax error");
    CHECK_PREFIX(cmd(c, "NOSUCHCOMMAND a b"), REDIS_REPLY_ERROR,
                 "ERR unknown command 'NOSUCHCOMMAND', with args beginning with: 'a' 'b'");
    /* Errors in a pipeline keep their place between good replies. */
    redisAppendCommand(c, "GET c:e");
    redisAppendCommand(c, "INCR c:e");
    redisAppendCommand(c, "ECHO after");
    CHECK_TEXT(next_reply(c), REDIS_REPLY_STRING, "abc");
    CHECK_TEXT(next_reply(c), REDIS_REPLY_ERROR, "ERR value is not an integer or out of range");
    CHECK_TEXT(next_reply(c), REDIS_REPLY_STRING, "after");
    CHECK_TEXT(cmd(c, "PING"), REDIS_REPLY_STATUS, "PONG");
    return 0;
}

/* Lua scripts. Keys and arguments passed with %b hold NUL and CR LF; the
 * script sees them as Lua strings and returns them byte for byte, also after
 * a round trip through redis.call. SCRIPT LOAD answers the SHA1 of the
 * script's text (the constants below are `printf '%s' SCRIPT | sha1sum`),
 * EVALSHA takes it in either case, and after SCRIPT FLUSH it gets NOSCRIPT
 * until an EVAL or SCRIPT LOAD caches the script again. */
#define ECHO_LUA "return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], {#KEYS, {#ARGV}}}"
#define ECHO_SHA "f4ac819e468282b0883f6783d761efa7d9fba1ad"
#define SETGET_LUA                                                                                 \
    "redis.call('SET', KEYS[1], ARGV[1]); return {KEYS[1], ARGV[1], redis.call('GET', KEYS[1])}"
#define NOSCRIPT_ERR "NOSCRIPT No matching script. Please use EVAL."

/* check_echo: R is ECHO_LUA's reply to keys K1, K2 and arguments A1, A2. */
static int check_echo(const redisReply *r, const char *k1, size_t k1len, const char *k2,
                      size_t k2len, const char *a1, size_t a1len, const char *a2, size_t a2len)
{
    CHECK_ARRAY(r, 5);
    CHECK_BYTES(r->element[0], k1, k1len);
    CHECK_BYTES(r->element[1], k2, k2len);
    CHECK_BYTES(r->element[2], a1, a1len);
    CHECK_BYTES(r->element[3], a2, a2len);
    CHECK_ARRAY(r->element[4], 2);
    CHECK_INT(r->element[4]->element[0], 2);
    CHECK_ARRAY(r->element[4]->element[1], 1);
    CHECK_INT(r->element[4]->element[1]->element[0], 2);
    return 0;
}

static int test_scripting(void)
{
    CONNECT(c, opt_port);
    static const char k1[] = "c:lua\0k\r\n1", k2[] = "c:lua\r\n\0k2";
    static const char a1[] = "\0a\r\n$3\r\n*1\r\n", a2[] = "\r\n\0";
    size_t k1len = sizeof(k1) - 1, k2len = sizeof(k2) - 1;
    size_t a1len = sizeof(a1) - 1, a2len = sizeof(a2) - 1;
    redisReply *r;

    r = cmd(c, "EVAL %s 2 %b %b %b %b", ECHO_LUA, k1, k1len, k2, k2len, a1, a1len, a2, a2len);
    if (check_echo(r, k1, k1len, k2, k2len, a1, a1len, a2, a2len)) return -1;
    r = cmd(c, "EVAL %s 1 %b %b", SETGET_LUA, k1, k1len, a1, a1len);
    CHECK_ARRAY(r, 3);
    CHECK_BYTES(r->element[0], k1, k1len);
    CHECK_BYTES(r->element[1], a1, a1len);
    CHECK_BYTES(r->element[2], a1, a1len);
    CHECK_BYTES(cmd(c, "GET %b", k1, k1len), a1, a1len);

    CHECK_TEXT(cmd(c, "SCRIPT FLUSH"), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(cmd(c, "EVALSHA %s 0", ECHO_SHA), REDIS_REPLY_ERROR, NOSCRIPT_ERR);
    CHECK_TEXT(cmd(c, "SCRIPT LOAD %s", ECHO_LUA), REDIS_REPLY_STRING, ECHO_SHA);
    r = cmd(c, "SCRIPT EXISTS %s %s", ECHO_SHA, "0000000000000000000000000000000000000000");
    CHECK_ARRAY(r, 2);
    CHECK_INT(r->element[0], 1);
    CHECK_INT(r->element[1], 0);
    r = cmd(c, "EVALSHA %s 2 %b %b %b %b", ECHO_SHA, k1, k1len, k2, k2len, a1, a1len, a2, a2len);
    if (check_echo(r, k1, k1len, k2, k2len, a1, a1len, a2, a2len)) return -1;
    r = cmd(c, "EVALSHA %s 2 %b %b %b %b", "F4AC819E468282B0883F6783D761EFA7D9FBA1AD", k1, k1len,
            k2, k2len, a1, a1len, a2, a2len);
    if (check_echo(r, k1, k1len, k2, k2len, a1, a1len, a2, a2len)) return -1;

    /* Pipelined: FLUSH, a NOSCRIPT, an EVAL that caches the script again,
     * then the EVALSHA works; argument errors keep their place. */
    redisAppendCommand(c, "SCRIPT FLUSH");
    redisAppendCommand(c, "EVALSHA %s 2 %b %b %b %b", ECHO_SHA, k1, k1len, k2, k2len, a1, a1len, a2,
                       a2len);
    redisAppendCommand(c, "EVAL %s 0", ECHO_LUA);
    redisAppendCommand(c, "EVALSHA %s 2 %b %b %b %b", ECHO_SHA, k1, k1len, k2, k2len, a1, a1len, a2,
                       a2len);
    redisAppendCommand(c, "EVAL %s 3 %s", ECHO_LUA, "only-one");
    redisAppendCommand(c, "EVAL %s -1", ECHO_LUA);
    redisAppendCommand(c, "EVALSHA %s 0", "f4ac819e");
    CHECK_TEXT(next_reply(c), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(next_reply(c), REDIS_REPLY_ERROR, NOSCRIPT_ERR);
    CHECK_ARRAY(next_reply(c), 0); /* KEYS[1] is nil: the table is empty */
    r = next_reply(c);
    if (check_echo(r, k1, k1len, k2, k2len, a1, a1len, a2, a2len)) return -1;
    CHECK_TEXT(next_reply(c), REDIS_REPLY_ERROR,
               "ERR Number of keys can't be greater than number of args");
    CHECK_TEXT(next_reply(c), REDIS_REPLY_ERROR, "ERR Number of keys can't be negative");
    CHECK_TEXT(next_reply(c), REDIS_REPLY_ERROR, NOSCRIPT_ERR);
    CHECK_TEXT(cmd(c, "PING"), REDIS_REPLY_STATUS, "PONG");
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Hashes, sets and bitmaps as a C application uses them: argv commands for
 * variable-length argument lists, cursor loops for HSCAN and SSCAN, a script
 * loaded once and run with EVALSHA (EVAL when the cache lost it), MULTI with
 * WATCH for tag invalidation. */

#define WRONGTYPE_ERR "WRONGTYPE Operation against a key holding the wrong kind of value"

/* field_index: the N in a "PREFIXN" string reply, or -1. */
static int field_index(const redisReply *r, const char *prefix)
{
    char buf[32];
    size_t plen = strlen(prefix);
    if (r == NULL || r->type != REDIS_REPLY_STRING || r->len <= plen || r->len >= sizeof(buf))
        return -1;
    memcpy(buf, r->str, r->len);
    buf[r->len] = '\0';
    if (strncmp(buf, prefix, plen) != 0) return -1;
    char *end;
    long n = strtol(buf + plen, &end, 10);
    return *end == '\0' && n >= 0 && n < 100000 ? (int)n : -1;
}

/* reply_is_int_text: R is a string holding the decimal N. */
static int reply_is_int_text(const redisReply *r, long long n)
{
    char want[32];
    int len = snprintf(want, sizeof(want), "%lld", n);
    return r != NULL && r->type == REDIS_REPLY_STRING && r->len == (size_t)len &&
           memcmp(r->str, want, (size_t)len) == 0;
}

/* A command whose arguments are PREFIX then "FMT % i" for i in [0, N):
 * HSET key f:0 0 f:1 7 ..., SADD key m:0 m:1 ... */
#define BIG_ARGS 1000
static const char *big_argv[2 + 2 * BIG_ARGS];
static size_t big_lens[2 + 2 * BIG_ARGS];
static char big_bufs[2 * BIG_ARGS][24];

static redisReply *cmd_numbered(redisContext *c, const char *command, const char *key, int n,
                                const char *field_fmt, int with_values)
{
    int argc = 0;
    big_argv[argc] = command;
    big_lens[argc++] = strlen(command);
    big_argv[argc] = key;
    big_lens[argc++] = strlen(key);
    for (int i = 0; i < n; i++) {
        char *f = big_bufs[2 * i], *v = big_bufs[2 * i + 1];
        snprintf(f, sizeof(big_bufs[0]), field_fmt, i);
        big_argv[argc] = f;
        big_lens[argc++] = strlen(f);
        if (with_values) {
            snprintf(v, sizeof(big_bufs[0]), "%d", i * 7);
            big_argv[argc] = v;
            big_lens[argc++] = strlen(v);
        }
    }
    return keep(redisCommandArgv(c, argc, big_argv, big_lens));
}

/* scan_all: runs "SCANCMD key CURSOR COUNT 100" until the cursor is 0 (at
 * most 10,000 rounds) and counts in SEEN[i] each "PREFIXi" returned; with
 * PAIRS, items come as field, value and the value must be i * 7. */
static int scan_all(redisContext *c, const char *scancmd, const char *key, const char *prefix,
                    int pairs, int *seen, int n)
{
    char cursor[32] = "0";
    int rounds = 0;
    do {
        redisReply *r = cmd(c, "%s %s %s COUNT 100", scancmd, key, cursor);
        CHECK_ARRAY(r, 2);
        CHECK(r->element[0]->type == REDIS_REPLY_STRING && r->element[0]->len < sizeof(cursor));
        memcpy(cursor, r->element[0]->str, r->element[0]->len);
        cursor[r->element[0]->len] = '\0';
        const redisReply *items = r->element[1];
        CHECK(items->type == REDIS_REPLY_ARRAY && items->elements % (pairs ? 2 : 1) == 0);
        for (size_t j = 0; j < items->elements; j += pairs ? 2 : 1) {
            int i = field_index(items->element[j], prefix);
            if (i < 0 || i >= n) FAIL("%s returned %s", scancmd, describe(items->element[j]));
            if (pairs && !reply_is_int_text(items->element[j + 1], i * 7LL))
                FAIL("%s value of %s%d: %s", scancmd, prefix, i, describe(items->element[j + 1]));
            seen[i]++;
        }
    } while (strcmp(cursor, "0") != 0 && ++rounds < 10000);
    CHECK(strcmp(cursor, "0") == 0);
    return 0;
}

static int test_hashes(void)
{
    CONNECT(c, opt_port);
    redisReply *r;
    cmd(c, "DEL c:user:1 c:user:str c:bighash");
    CHECK_INT(cmd(c, "HSET c:user:1 name %s email %s visits 0", "Alice", "alice@example.com"), 3);
    r = cmd(c, "HGETALL c:user:1");
    CHECK_ARRAY(r, 6);
    for (size_t i = 0; i < 6; i += 2) {
        const redisReply *f = r->element[i], *v = r->element[i + 1];
        const char *want = NULL;
        if (f->len == 4 && memcmp(f->str, "name", 4) == 0) want = "Alice";
        if (f->len == 5 && memcmp(f->str, "email", 5) == 0) want = "alice@example.com";
        if (f->len == 6 && memcmp(f->str, "visits", 6) == 0) want = "0";
        if (want == NULL) FAIL("HGETALL field %s", describe(f));
        CHECK_TEXT(v, REDIS_REPLY_STRING, want);
    }
    CHECK_ARRAY(cmd(c, "HGETALL c:user:none"), 0);
    r = cmd(c, "HMGET c:user:1 name nope visits");
    CHECK_ARRAY(r, 3);
    CHECK_TEXT(r->element[0], REDIS_REPLY_STRING, "Alice");
    CHECK(r->element[1]->type == REDIS_REPLY_NIL);
    CHECK_TEXT(r->element[2], REDIS_REPLY_STRING, "0");
    CHECK_INT(cmd(c, "HINCRBY c:user:1 visits 1"), 1);
    CHECK_INT(cmd(c, "HINCRBY c:user:1 visits -5"), -4);
    CHECK_TEXT(cmd(c, "HINCRBYFLOAT c:user:1 balance 10.5"), REDIS_REPLY_STRING, "10.5");
    CHECK_TEXT(cmd(c, "HINCRBYFLOAT c:user:1 balance 0.25"), REDIS_REPLY_STRING, "10.75");
    CHECK_TEXT(cmd(c, "HINCRBY c:user:1 name 1"), REDIS_REPLY_ERROR,
               "ERR hash value is not an integer");
    CHECK_TEXT(cmd(c, "HINCRBYFLOAT c:user:1 name 1"), REDIS_REPLY_ERROR,
               "ERR hash value is not a float");
    CHECK_INT(cmd(c, "HSETNX c:user:1 name Bob"), 0);
    CHECK_INT(cmd(c, "HEXISTS c:user:1 balance"), 1);
    CHECK_INT(cmd(c, "HSTRLEN c:user:1 email"), 17);
    /* Binary field names and values. */
    CHECK_INT(cmd(c, "HSET c:user:1 %b %b", "f\0\r\n", (size_t)4, "v\0\r\n$1", (size_t)6), 1);
    r = cmd(c, "HGET c:user:1 %b", "f\0\r\n", (size_t)4);
    CHECK_BYTES(r, "v\0\r\n$1", 6);
    CHECK_INT(cmd(c, "HDEL c:user:1 %b nope", "f\0\r\n", (size_t)4), 1);
    CHECK_INT(cmd(c, "HLEN c:user:1"), 4);
    CHECK_TEXT(cmd(c, "SET c:user:str v"), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(cmd(c, "HGET c:user:str f"), REDIS_REPLY_ERROR, WRONGTYPE_ERR);
    CHECK_TEXT(cmd(c, "HSET c:user:str f v"), REDIS_REPLY_ERROR, WRONGTYPE_ERR);
    CHECK_TEXT(cmd(c, "GET c:user:1"), REDIS_REPLY_ERROR, WRONGTYPE_ERR);

    /* 1000 fields in one HSET (a hashtable), each seen once by HSCAN. */
    CHECK_INT(cmd_numbered(c, "HSET", "c:bighash", BIG_ARGS, "f:%d", 1), BIG_ARGS);
    CHECK_INT(cmd(c, "HLEN c:bighash"), BIG_ARGS);
    static int seen[BIG_ARGS];
    memset(seen, 0, sizeof(seen));
    if (scan_all(c, "HSCAN", "c:bighash", "f:", 1, seen, BIG_ARGS)) return -1;
    for (int i = 0; i < BIG_ARGS; i++)
        if (seen[i] != 1) FAIL("HSCAN saw f:%d %d times", i, seen[i]);
    r = cmd(c, "HGETALL c:bighash");
    CHECK_ARRAY(r, 2 * BIG_ARGS);
    memset(seen, 0, sizeof(seen));
    for (size_t j = 0; j < r->elements; j += 2) {
        int i = field_index(r->element[j], "f:");
        if (i < 0 || !reply_is_int_text(r->element[j + 1], i * 7LL))
            FAIL("HGETALL pair %zu: %s", j / 2, describe(r->element[j]));
        seen[i]++;
    }
    for (int i = 0; i < BIG_ARGS; i++)
        if (seen[i] != 1) FAIL("HGETALL gave f:%d %d times", i, seen[i]);

    /* Pipelined MULTI with hash commands and a WRONGTYPE inside EXEC. */
    redisAppendCommand(c, "MULTI");
    redisAppendCommand(c, "HINCRBY c:bighash f:1 3");
    redisAppendCommand(c, "HGET c:user:str f");
    redisAppendCommand(c, "HDEL c:bighash f:2 f:3");
    redisAppendCommand(c, "EXEC");
    CHECK_TEXT(next_reply(c), REDIS_REPLY_STATUS, "OK");
    for (int i = 0; i < 3; i++) CHECK_TEXT(next_reply(c), REDIS_REPLY_STATUS, "QUEUED");
    r = next_reply(c);
    CHECK_ARRAY(r, 3);
    CHECK_INT(r->element[0], 10);
    CHECK_TEXT(r->element[1], REDIS_REPLY_ERROR, WRONGTYPE_ERR);
    CHECK_INT(r->element[2], 2);
    CHECK_INT(cmd(c, "HLEN c:bighash"), BIG_ARGS - 2);
    return 0;
}

/* The token bucket of the Python and Node suites (the same text, so the
 * same sha1): HMGET tokens, ts; refill; HSET; PEXPIRE; returns
 * {allowed, tokens left}. */
#define TOKEN_BUCKET_LUA                                                                           \
    "\n"                                                                                           \
    "local capacity = tonumber(ARGV[1])\n"                                                         \
    "local interval = tonumber(ARGV[2])\n"                                                         \
    "local now = tonumber(ARGV[3])\n"                                                              \
    "local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'ts')\n"                                \
    "local tokens, ts = tonumber(bucket[1]), tonumber(bucket[2])\n"                                \
    "if tokens == nil then\n"                                                                      \
    "  tokens, ts = capacity, now\n"                                                               \
    "elseif now > ts then\n"                                                                       \
    "  local refill = math.floor((now - ts) / interval)\n"                                         \
    "  tokens = math.min(capacity, tokens + refill)\n"                                             \
    "  ts = ts + refill * interval\n"                                                              \
    "  if tokens == capacity then ts = now end\n"                                                  \
    "end\n"                                                                                        \
    "local allowed = 0\n"                                                                          \
    "if tokens > 0 then\n"                                                                         \
    "  tokens = tokens - 1\n"                                                                      \
    "  allowed = 1\n"                                                                              \
    "end\n"                                                                                        \
    "redis.call('HSET', KEYS[1], 'tokens', tokens, 'ts', ts)\n"                                    \
    "redis.call('PEXPIRE', KEYS[1], capacity * interval)\n"                                        \
    "return {allowed, tokens}\n"
#define BUCKET_T0       1700000000000LL
#define BUCKET_CAPACITY 3
#define BUCKET_INTERVAL 10000

/* take_token: one call of the script: EVALSHA with SHA, and EVAL (which
 * caches it again) when the server answers NOSCRIPT. */
static redisReply *take_token(redisContext *c, const char *sha, const char *key, int capacity,
                              int interval, long long now)
{
    redisReply *r = cmd(c, "EVALSHA %s 1 %s %d %d %lld", sha, key, capacity, interval, now);
    if (r != NULL && r->type == REDIS_REPLY_ERROR && strncmp(r->str, "NOSCRIPT ", 9) == 0)
        r = cmd(c, "EVAL %s 1 %s %d %d %lld", TOKEN_BUCKET_LUA, key, capacity, interval, now);
    return r;
}

static int test_token_bucket(void)
{
    static const long long times[] = {0,     0,     0,     0,      5000,   10000, 10000, 35000,
                                      39999, 40000, 40000, 100000, 100000, 90000, 95000};
    enum { N = sizeof(times) / sizeof(times[0]) };
    static const int expected[N][2] = {{1, 2}, {1, 1}, {1, 0}, {0, 0}, {0, 0},
                                       {1, 0}, {0, 0}, {1, 1}, {1, 0}, {1, 0},
                                       {0, 0}, {1, 2}, {1, 1}, {1, 0}, {0, 0}};
    /* The model: the script's arithmetic in C. */
    long long tokens = -1, ts = 0;
    for (int i = 0; i < N; i++) {
        long long now = times[i];
        if (tokens < 0) {
            tokens = BUCKET_CAPACITY;
            ts = now;
        } else if (now > ts) {
            long long refill = (now - ts) / BUCKET_INTERVAL;
            tokens = tokens + refill < BUCKET_CAPACITY ? tokens + refill : BUCKET_CAPACITY;
            ts += refill * BUCKET_INTERVAL;
            if (tokens == BUCKET_CAPACITY) ts = now;
        }
        int allowed = tokens > 0;
        tokens -= allowed;
        if (allowed != expected[i][0] || tokens != expected[i][1])
            FAIL("model call %d: %d %lld, expected %d %d", i, allowed, tokens, expected[i][0],
                 expected[i][1]);
    }

    CONNECT(c, opt_port);
    cmd(c, "DEL c:bucket:alice c:bucket:str");
    redisReply *r = cmd(c, "SCRIPT LOAD %s", TOKEN_BUCKET_LUA);
    CHECK(r != NULL && r->type == REDIS_REPLY_STRING && r->len == 40);
    char sha[41];
    memcpy(sha, r->str, 40);
    sha[40] = '\0';
    for (int i = 0; i < N; i++) {
        if (i == 7) CHECK_TEXT(cmd(c, "SCRIPT FLUSH"), REDIS_REPLY_STATUS, "OK");
        r = take_token(c, sha, "c:bucket:alice", BUCKET_CAPACITY, BUCKET_INTERVAL,
                       BUCKET_T0 + times[i]);
        CHECK_ARRAY(r, 2);
        if (r->element[0]->type != REDIS_REPLY_INTEGER ||
            r->element[1]->type != REDIS_REPLY_INTEGER ||
            r->element[0]->integer != expected[i][0] || r->element[1]->integer != expected[i][1])
            FAIL("call %d (t0+%lld): expected {%d, %d}, got {%lld, %lld}", i, times[i],
                 expected[i][0], expected[i][1], r->element[0]->integer, r->element[1]->integer);
    }
    r = cmd(c, "HMGET c:bucket:alice tokens ts");
    CHECK_ARRAY(r, 2);
    CHECK_TEXT(r->element[0], REDIS_REPLY_STRING, "0");
    CHECK(reply_is_int_text(r->element[1], BUCKET_T0 + 100000));
    r = cmd(c, "PTTL c:bucket:alice");
    CHECK(r != NULL && r->type == REDIS_REPLY_INTEGER && r->integer > 0 &&
          r->integer <= BUCKET_CAPACITY * BUCKET_INTERVAL);
    CHECK_TEXT(cmd(c, "SET c:bucket:str x"), REDIS_REPLY_STATUS, "OK");
    char err[160];
    snprintf(err, sizeof(err), "%s script: %s, on @user_script:5.", WRONGTYPE_ERR, sha);
    CHECK_TEXT(take_token(c, sha, "c:bucket:str", 3, 1000, BUCKET_T0), REDIS_REPLY_ERROR, err);
    return 0;
}

static int test_sets(void)
{
    CONNECT(c, opt_port);
    redisReply *r;
    cmd(c, "DEL c:set:a c:set:b c:set:d c:set:big c:set:ints c:set:str");
    CHECK_INT(cmd(c, "SADD c:set:a 1 2 3 x"), 4);
    CHECK_INT(cmd(c, "SADD c:set:b 2 3 4"), 3);
    CHECK_INT(cmd(c, "SISMEMBER c:set:a x"), 1);
    r = cmd(c, "SMISMEMBER c:set:a 1 z 3");
    CHECK_ARRAY(r, 3);
    CHECK_INT(r->element[0], 1);
    CHECK_INT(r->element[1], 0);
    CHECK_INT(r->element[2], 1);
    CHECK_INT(cmd(c, "SINTERCARD 2 c:set:a c:set:b"), 2);
    CHECK_INT(cmd(c, "SINTERCARD 2 c:set:a c:set:b LIMIT 1"), 1);
    CHECK_INT(cmd(c, "SINTERSTORE c:set:d c:set:a c:set:b"), 2);
    CHECK_INT(cmd(c, "SUNIONSTORE c:set:d c:set:a c:set:b"), 5);
    CHECK_INT(cmd(c, "SDIFFSTORE c:set:d c:set:a c:set:b"), 2);
    CHECK_ARRAY(cmd(c, "SDIFF c:set:a c:set:b"), 2);
    CHECK_INT(cmd(c, "SMOVE c:set:a c:set:b 1"), 1);
    CHECK_INT(cmd(c, "SMOVE c:set:a c:set:b nope"), 0);
    CHECK_INT(cmd(c, "SCARD c:set:b"), 4);
    CHECK_ARRAY(cmd(c, "SPOP c:set:a 10"), 3); /* 2, 3 and x */
    CHECK_INT(cmd(c, "EXISTS c:set:a"), 0);
    r = cmd(c, "SPOP c:set:a");
    CHECK(r != NULL && r->type == REDIS_REPLY_NIL);
    CHECK_TEXT(cmd(c, "SET c:set:str v"), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(cmd(c, "SADD c:set:str m"), REDIS_REPLY_ERROR, WRONGTYPE_ERR);
    CHECK_TEXT(cmd(c, "SINTER c:set:b c:set:str"), REDIS_REPLY_ERROR, WRONGTYPE_ERR);
    CHECK_TEXT(cmd(c, "SMOVE c:set:b c:set:str 2"), REDIS_REPLY_ERROR, WRONGTYPE_ERR);

    /* 1000 members (a hashtable) and 600 integers (an intset), each seen
     * once by SSCAN. */
    static int seen[BIG_ARGS];
    CHECK_INT(cmd_numbered(c, "SADD", "c:set:big", BIG_ARGS, "m:%d", 0), BIG_ARGS);
    memset(seen, 0, sizeof(seen));
    if (scan_all(c, "SSCAN", "c:set:big", "m:", 0, seen, BIG_ARGS)) return -1;
    for (int i = 0; i < BIG_ARGS; i++)
        if (seen[i] != 1) FAIL("SSCAN saw m:%d %d times", i, seen[i]);
    CHECK_INT(cmd_numbered(c, "SADD", "c:set:ints", 600, "%d", 0), 600);
    memset(seen, 0, sizeof(seen));
    if (scan_all(c, "SSCAN", "c:set:ints", "", 0, seen, 600)) return -1;
    for (int i = 0; i < 600; i++)
        if (seen[i] != 1) FAIL("SSCAN saw %d %d times", i, seen[i]);
    CHECK_INT(cmd(c, "SISMEMBER c:set:ints 599"), 1);
    CHECK_INT(cmd(c, "SISMEMBER c:set:ints 600"), 0);
    return 0;
}

/* Tag invalidation. tagged_set caches a page and adds its key to each tag's
 * set in one pipelined MULTI; invalidate WATCHes the tag sets, SUNIONs them
 * and UNLINKs the members and the sets in MULTI, again while EXEC answers nil
 * (a page tagged meanwhile, here by RACER on the first attempt). */
static int tagged_set(redisContext *c, const char *key, const char *tag1, const char *tag2)
{
    int n = tag2 ? 2 : 1;
    redisAppendCommand(c, "MULTI");
    redisAppendCommand(c, "SET %s <html>%s</html> EX 300", key, key);
    redisAppendCommand(c, "SADD c:tag:%s %s", tag1, key);
    if (tag2) redisAppendCommand(c, "SADD c:tag:%s %s", tag2, key);
    redisAppendCommand(c, "EXEC");
    CHECK_TEXT(next_reply(c), REDIS_REPLY_STATUS, "OK");
    for (int i = 0; i < 1 + n; i++) CHECK_TEXT(next_reply(c), REDIS_REPLY_STATUS, "QUEUED");
    redisReply *r = next_reply(c);
    CHECK_ARRAY(r, 1 + n);
    CHECK_TEXT(r->element[0], REDIS_REPLY_STATUS, "OK");
    return 0;
}

static int invalidate(redisContext *c, redisContext *racer, const char *tag1, const char *tag2,
                      long long *deleted, int *attempts)
{
    char t1[64], t2[64];
    snprintf(t1, sizeof(t1), "c:tag:%s", tag1);
    snprintf(t2, sizeof(t2), "c:tag:%s", tag2 ? tag2 : tag1);
    for (*attempts = 1; *attempts <= 10; ++*attempts) {
        CHECK_TEXT(cmd(c, "WATCH %s %s", t1, t2), REDIS_REPLY_STATUS, "OK");
        redisReply *members = cmd(c, "SUNION %s %s", t1, t2);
        CHECK(members != NULL && members->type == REDIS_REPLY_ARRAY && members->elements < 60);
        if (racer && *attempts == 1 && tagged_set(racer, "c:page:sport2", tag1, NULL)) return -1;
        const char *argv[61];
        size_t lens[61];
        argv[0] = "UNLINK";
        lens[0] = 6;
        for (size_t i = 0; i < members->elements; i++) {
            argv[1 + i] = members->element[i]->str;
            lens[1 + i] = members->element[i]->len;
        }
        redisAppendCommand(c, "MULTI");
        if (members->elements) redisAppendCommandArgv(c, 1 + (int)members->elements, argv, lens);
        redisAppendCommand(c, "UNLINK %s %s", t1, t2);
        redisAppendCommand(c, "EXEC");
        CHECK_TEXT(next_reply(c), REDIS_REPLY_STATUS, "OK");
        if (members->elements) CHECK_TEXT(next_reply(c), REDIS_REPLY_STATUS, "QUEUED");
        CHECK_TEXT(next_reply(c), REDIS_REPLY_STATUS, "QUEUED");
        redisReply *r = next_reply(c);
        if (r != NULL && r->type == REDIS_REPLY_NIL) continue; /* a watched tag changed */
        CHECK_ARRAY(r, members->elements ? 2 : 1);
        *deleted = members->elements ? r->element[0]->integer : 0;
        return 0;
    }
    FAIL("invalidation not done in 10 attempts");
}

static int test_tag_invalidation(void)
{
    CONNECT(c, opt_port);
    CONNECT(other, opt_port);
    long long deleted;
    int attempts;
    cmd(c, "DEL c:page:home c:page:news1 c:page:sport1 c:page:sport2 c:page:about");
    cmd(c, "DEL c:tag:news c:tag:sport c:tag:static");
    if (tagged_set(c, "c:page:home", "news", "sport") ||
        tagged_set(c, "c:page:news1", "news", NULL) ||
        tagged_set(c, "c:page:sport1", "sport", NULL) ||
        tagged_set(c, "c:page:about", "static", NULL))
        return -1;
    CHECK_INT(cmd(c, "SCARD c:tag:news"), 2);
    if (invalidate(c, NULL, "news", NULL, &deleted, &attempts)) return -1;
    CHECK(deleted == 2 && attempts == 1);
    CHECK_INT(cmd(c, "EXISTS c:page:home c:page:news1 c:tag:news"), 0);
    CHECK_INT(cmd(c, "EXISTS c:page:sport1 c:page:about c:tag:sport c:tag:static"), 4);
    /* The racer tags c:page:sport2 between SUNION and EXEC: EXEC is nil, the
     * second attempt deletes it too (home is gone already: 2 deleted). */
    if (invalidate(c, other, "sport", NULL, &deleted, &attempts)) return -1;
    if (attempts != 2 || deleted != 2)
        FAIL("invalidate sport: %d attempts, %lld deleted; expected 2 and 2", attempts, deleted);
    CHECK_INT(cmd(c, "EXISTS c:page:sport1 c:page:sport2 c:tag:sport"), 0);
    CHECK_INT(cmd(c, "EXISTS c:page:about"), 1);
    if (invalidate(c, NULL, "none", "static", &deleted, &attempts)) return -1;
    CHECK(deleted == 1 && attempts == 1);
    CHECK_INT(cmd(c, "EXISTS c:page:about c:tag:static"), 0);
    return 0;
}

/* Daily active users as bitmaps, and BITFIELD counters. */
static int test_bitmaps(void)
{
    static const int day1[] = {1, 5, 7, 100, 1000, 4095}, day2[] = {5, 7, 8, 100, 9999};
    CONNECT(c, opt_port);
    redisReply *r;
    cmd(c, "DEL c:dau:1 c:dau:2 c:dau:both c:bf:hits c:bf:sat c:bits:hash");
    for (size_t i = 0; i < 6; i++) redisAppendCommand(c, "SETBIT c:dau:1 %d 1", day1[i]);
    for (size_t i = 0; i < 5; i++) redisAppendCommand(c, "SETBIT c:dau:2 %d 1", day2[i]);
    for (size_t i = 0; i < 11; i++) CHECK_INT(next_reply(c), 0);
    CHECK_INT(cmd(c, "SETBIT c:dau:1 5 1"), 1);
    CHECK_INT(cmd(c, "GETBIT c:dau:1 100"), 1);
    CHECK_INT(cmd(c, "GETBIT c:dau:1 101"), 0);
    CHECK_INT(cmd(c, "BITCOUNT c:dau:1"), 6);
    CHECK_INT(cmd(c, "BITCOUNT c:dau:1 0 0"), 3);
    CHECK_INT(cmd(c, "BITCOUNT c:dau:1 0 100 BIT"), 4);
    CHECK_INT(cmd(c, "BITPOS c:dau:1 1 1"), 100);
    CHECK_INT(cmd(c, "BITPOS c:dau:1 1 6 2000 BIT"), 7);
    CHECK_INT(cmd(c, "BITOP AND c:dau:both c:dau:1 c:dau:2"), 1250);
    r = cmd(c, "GET c:dau:both");
    CHECK(r != NULL && r->type == REDIS_REPLY_STRING && r->len == 1250);
    /* Users 5 and 7 in byte 0 (0x05), 100 in byte 12 (0x08), nothing else. */
    for (size_t i = 0; i < r->len; i++) {
        unsigned char want = i == 0 ? 0x05 : i == 12 ? 0x08 : 0;
        if ((unsigned char)r->str[i] != want)
            FAIL("byte %zu of the AND: 0x%02x, expected 0x%02x", i, (unsigned char)r->str[i], want);
    }
    /* Hourly hit counters, u32 each, and a saturating counter. */
    r = cmd(c, "BITFIELD c:bf:hits INCRBY u32 #3 1 INCRBY u32 #3 1 INCRBY u32 #7 1");
    CHECK_ARRAY(r, 3);
    CHECK_INT(r->element[0], 1);
    CHECK_INT(r->element[1], 2);
    CHECK_INT(r->element[2], 1);
    r = cmd(c, "GET c:bf:hits");
    CHECK_BYTES(r, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 32);
    r = cmd(c, "BITFIELD_RO c:bf:hits GET u32 #3 GET u32 #100");
    CHECK_ARRAY(r, 2);
    CHECK_INT(r->element[0], 2);
    CHECK_INT(r->element[1], 0);
    r = cmd(c, "BITFIELD c:bf:sat OVERFLOW SAT INCRBY u8 #0 200 INCRBY u8 #0 100 OVERFLOW FAIL "
               "INCRBY u8 #1 250 INCRBY u8 #1 10 OVERFLOW WRAP INCRBY u8 #2 200 INCRBY u8 #2 100");
    CHECK_ARRAY(r, 6);
    CHECK_INT(r->element[0], 200);
    CHECK_INT(r->element[1], 255);
    CHECK_INT(r->element[2], 250);
    CHECK(r->element[3]->type == REDIS_REPLY_NIL);
    CHECK_INT(r->element[4], 200);
    CHECK_INT(r->element[5], 44);
    CHECK_BYTES(cmd(c, "GET c:bf:sat"), "\xff\xfa\x2c", 3);
    CHECK_INT(cmd(c, "HSET c:bits:hash f v"), 1);
    CHECK_TEXT(cmd(c, "SETBIT c:bits:hash 1 1"), REDIS_REPLY_ERROR, WRONGTYPE_ERR);
    CHECK_TEXT(cmd(c, "BITFIELD c:bits:hash GET u8 0"), REDIS_REPLY_ERROR, WRONGTYPE_ERR);
    CHECK_TEXT(cmd(c, "SETBIT c:dau:1 4294967296 1"), REDIS_REPLY_ERROR,
               "ERR bit offset is not an integer or out of range");
    CHECK_TEXT(cmd(c, "SETBIT c:dau:1 1 2"), REDIS_REPLY_ERROR,
               "ERR bit is not an integer or out of range");
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Lists as a C application uses them: a moving-window rate limiter in a
 * pipelined MULTI, a reliable work queue (LMOVE to a processing list, LREM
 * when done, a reaper for a dead worker's job), and the list commands. */

#define CHECK_NIL(r)                                                                               \
    do {                                                                                           \
        const redisReply *r_ = (r);                                                                \
        if (r_ == NULL || r_->type != REDIS_REPLY_NIL)                                             \
            FAIL("%s: expected nil, got %s", #r, describe(r_));                                    \
    } while (0)

/* check_strings: R is an array of exactly the N strings in WANT. */
static int check_strings(int line, const redisReply *r, const char *what, size_t n,
                         const char *const *want)
{
    if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != n)
        return failf(line, "%s: expected an array of %zu, got %s", what, n, describe(r));
    for (size_t i = 0; i < n; i++) {
        const redisReply *e = r->element[i];
        if (e->type != REDIS_REPLY_STRING || e->len != strlen(want[i]) ||
            memcmp(e->str, want[i], e->len) != 0)
            return failf(line, "%s: element %zu: expected '%s', got %s", what, i, want[i],
                         describe(e));
    }
    return 0;
}

/* check_ints: R is an array of exactly the N integers in WANT. */
static int check_ints(int line, const redisReply *r, const char *what, size_t n,
                      const long long *want)
{
    if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != n)
        return failf(line, "%s: expected an array of %zu, got %s", what, n, describe(r));
    for (size_t i = 0; i < n; i++)
        if (r->element[i]->type != REDIS_REPLY_INTEGER || r->element[i]->integer != want[i])
            return failf(line, "%s: element %zu: expected %lld, got %s", what, i, want[i],
                         describe(r->element[i]));
    return 0;
}

#define CHECK_STRINGS(r, ...)                                                                      \
    do {                                                                                           \
        static const char *const w_[] = {__VA_ARGS__};                                             \
        if (check_strings(__LINE__, (r), #r, sizeof(w_) / sizeof(w_[0]), w_)) return -1;           \
    } while (0)

#define CHECK_INTS(r, ...)                                                                         \
    do {                                                                                           \
        static const long long w_[] = {__VA_ARGS__};                                               \
        if (check_ints(__LINE__, (r), #r, sizeof(w_) / sizeof(w_[0]), w_)) return -1;              \
    } while (0)

/* The moving-window limiter of the Python and Node suites: the list holds
 * the times of the last LIMIT requests, newest first; each request sends
 * MULTI, LINDEX key LIMIT-1 (the oldest of them), LPUSH key now, LTRIM key
 * 0 LIMIT-1, PEXPIRE key WINDOW_MS, EXEC in one write, and is allowed when
 * fewer than LIMIT are logged or the oldest is WINDOW_MS or more ago. */
#define WINDOW_T0    1700000000000LL
#define WINDOW_LIMIT 3
#define WINDOW_MS    10000

/* window_allow: one request at NOW; *ALLOWED gets the decision. */
static int window_allow(redisContext *c, const char *key, long long now, int limit, int *allowed)
{
    redisAppendCommand(c, "MULTI");
    redisAppendCommand(c, "LINDEX %s %d", key, limit - 1);
    redisAppendCommand(c, "LPUSH %s %lld", key, now);
    redisAppendCommand(c, "LTRIM %s 0 %d", key, limit - 1);
    redisAppendCommand(c, "PEXPIRE %s %d", key, WINDOW_MS);
    redisAppendCommand(c, "EXEC");
    CHECK_TEXT(next_reply(c), REDIS_REPLY_STATUS, "OK");
    for (int i = 0; i < 4; i++) CHECK_TEXT(next_reply(c), REDIS_REPLY_STATUS, "QUEUED");
    redisReply *r = next_reply(c);
    CHECK_ARRAY(r, 4);
    const redisReply *oldest = r->element[0];
    CHECK(oldest->type == REDIS_REPLY_NIL || oldest->type == REDIS_REPLY_STRING);
    CHECK(r->element[1]->type == REDIS_REPLY_INTEGER && r->element[1]->integer >= 1 &&
          r->element[1]->integer <= limit + 1);
    CHECK_TEXT(r->element[2], REDIS_REPLY_STATUS, "OK");
    CHECK_INT(r->element[3], 1);
    *allowed = oldest->type == REDIS_REPLY_NIL || now - strtoll(oldest->str, NULL, 10) >= WINDOW_MS;
    return 0;
}

static int test_list_window(void)
{
    static const long long times[] = {0,     0,     1000,  1000,  5000,  9999,  10000, 10000, 19999,
                                      20000, 21000, 45000, 45000, 45000, 45000, 40000, 60000};
    enum { N = sizeof(times) / sizeof(times[0]) };
    static const int expected[N] = {1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1};
    /* The model: the last LIMIT times, newest first, and the decision. */
    long long log[N][WINDOW_LIMIT];
    int loglen[N];
    long long cur[WINDOW_LIMIT] = {0};
    int len = 0;
    for (int i = 0; i < N; i++) {
        int allowed = len < WINDOW_LIMIT || times[i] - cur[WINDOW_LIMIT - 1] >= WINDOW_MS;
        if (allowed != expected[i]) FAIL("model call %d: %d, expected %d", i, allowed, expected[i]);
        memmove(cur + 1, cur, sizeof(cur[0]) * (WINDOW_LIMIT - 1));
        cur[0] = times[i];
        if (len < WINDOW_LIMIT) len++;
        memcpy(log[i], cur, sizeof(cur));
        loglen[i] = len;
    }

    CONNECT(c, opt_port);
    cmd(c, "DEL c:window:alice c:window:str");
    for (int i = 0; i < N; i++) {
        int allowed = -1;
        if (window_allow(c, "c:window:alice", WINDOW_T0 + times[i], WINDOW_LIMIT, &allowed))
            return -1;
        if (allowed != expected[i])
            FAIL("call %d (t0+%lld): allowed %d, expected %d", i, times[i], allowed, expected[i]);
        redisReply *r = cmd(c, "LRANGE c:window:alice 0 -1");
        if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != (size_t)loglen[i])
            FAIL("call %d: LRANGE: expected %d elements, got %s", i, loglen[i], describe(r));
        for (int j = 0; j < loglen[i]; j++)
            if (!reply_is_int_text(r->element[j], WINDOW_T0 + log[i][j]))
                FAIL("call %d: element %d: expected %lld, got %s", i, j, WINDOW_T0 + log[i][j],
                     describe(r->element[j]));
    }
    redisReply *r = cmd(c, "PTTL c:window:alice");
    CHECK(r != NULL && r->type == REDIS_REPLY_INTEGER && r->integer > 0 && r->integer <= WINDOW_MS);
    /* A limiter key holding a string: WRONGTYPE in place inside EXEC. */
    CHECK_TEXT(cmd(c, "SET c:window:str x"), REDIS_REPLY_STATUS, "OK");
    redisAppendCommand(c, "MULTI");
    redisAppendCommand(c, "LINDEX c:window:str 2");
    redisAppendCommand(c, "LPUSH c:window:str 1");
    redisAppendCommand(c, "LTRIM c:window:str 0 2");
    redisAppendCommand(c, "PEXPIRE c:window:str %d", WINDOW_MS);
    redisAppendCommand(c, "EXEC");
    CHECK_TEXT(next_reply(c), REDIS_REPLY_STATUS, "OK");
    for (int i = 0; i < 4; i++) CHECK_TEXT(next_reply(c), REDIS_REPLY_STATUS, "QUEUED");
    r = next_reply(c);
    CHECK_ARRAY(r, 4);
    for (int i = 0; i < 3; i++) CHECK_TEXT(r->element[i], REDIS_REPLY_ERROR, WRONGTYPE_ERR);
    CHECK_INT(r->element[3], 1);
    CHECK_TEXT(cmd(c, "GET c:window:str"), REDIS_REPLY_STRING, "x");
    return 0;
}

/* A reliable queue with one worker: RPOPLPUSH once (the old API), then
 * LMOVE jobs processing RIGHT LEFT; LREM processing 1 job when done. A
 * worker dies holding job:3; the reaper sees it with LRANGE and puts it
 * back with LMOVE processing jobs RIGHT RIGHT (the end served next). */
static int test_list_queue(void)
{
    CONNECT(c, opt_port);
    cmd(c, "DEL c:jobs c:jobs:processing");
    CHECK_INT(cmd(c, "LPUSH c:jobs job:1 job:2 job:3"), 3);
    CHECK_INT(cmd(c, "LPUSH c:jobs job:4"), 4);
    CHECK_INT(cmd(c, "LPUSH c:jobs job:5"), 5);
    CHECK_STRINGS(cmd(c, "LRANGE c:jobs 0 -1"), "job:5", "job:4", "job:3", "job:2", "job:1");
    int done[6] = {0};
    CHECK_TEXT(cmd(c, "RPOPLPUSH c:jobs c:jobs:processing"), REDIS_REPLY_STRING, "job:1");
    CHECK_STRINGS(cmd(c, "LRANGE c:jobs:processing 0 -1"), "job:1");
    done[1]++;
    CHECK_INT(cmd(c, "LREM c:jobs:processing 1 job:1"), 1);
    CHECK_TEXT(cmd(c, "LMOVE c:jobs c:jobs:processing RIGHT LEFT"), REDIS_REPLY_STRING, "job:2");
    done[2]++;
    CHECK_INT(cmd(c, "LREM c:jobs:processing 1 job:2"), 1);
    /* The dying worker. */
    CHECK_TEXT(cmd(c, "LMOVE c:jobs c:jobs:processing RIGHT LEFT"), REDIS_REPLY_STRING, "job:3");
    CHECK_INT(cmd(c, "LLEN c:jobs"), 2);
    CHECK_INT(cmd(c, "LLEN c:jobs:processing"), 1);
    /* The reaper. */
    CHECK_STRINGS(cmd(c, "LRANGE c:jobs:processing 0 -1"), "job:3");
    CHECK_TEXT(cmd(c, "LMOVE c:jobs:processing c:jobs RIGHT RIGHT"), REDIS_REPLY_STRING, "job:3");
    CHECK_INT(cmd(c, "EXISTS c:jobs:processing"), 0);
    CHECK_TEXT(cmd(c, "LINDEX c:jobs -1"), REDIS_REPLY_STRING, "job:3");
    int rounds = 0;
    for (; rounds < 10; rounds++) {
        redisReply *r = cmd(c, "LMOVE c:jobs c:jobs:processing RIGHT LEFT");
        if (r != NULL && r->type == REDIS_REPLY_NIL) break;
        int i = field_index(r, "job:");
        if (i < 1 || i > 5) FAIL("LMOVE: %s", describe(r));
        if (i != rounds + 3) FAIL("LMOVE took job:%d, expected job:%d", i, rounds + 3);
        done[i]++;
        CHECK_INT(cmd(c, "LREM c:jobs:processing 1 %b", r->str, r->len), 1);
    }
    CHECK(rounds == 3);
    for (int i = 1; i <= 5; i++)
        if (done[i] != 1) FAIL("job:%d processed %d times", i, done[i]);
    CHECK_NIL(cmd(c, "LMOVE c:jobs c:jobs:processing RIGHT LEFT"));
    CHECK_NIL(cmd(c, "RPOPLPUSH c:jobs c:jobs:processing"));
    CHECK_INT(cmd(c, "LREM c:jobs:processing 1 job:1"), 0);
    CHECK_INT(cmd(c, "EXISTS c:jobs c:jobs:processing"), 0);
    return 0;
}

static int test_lists(void)
{
    CONNECT(c, opt_port);
    CONNECT(other, opt_port);
    redisReply *r;
    cmd(c, "DEL c:list c:list:2 c:list:pos c:list:big c:list:str c:list:none c:list:bin");
    CHECK_INT(cmd(c, "RPUSH c:list x y"), 2);
    CHECK_INT(cmd(c, "LPUSH c:list w v"), 4);
    CHECK_INT(cmd(c, "LPUSHX c:list u"), 5);
    CHECK_INT(cmd(c, "RPUSHX c:list z"), 6);
    CHECK_INT(cmd(c, "LPUSHX c:list:none a"), 0);
    CHECK_INT(cmd(c, "RPUSHX c:list:none a b"), 0);
    CHECK_INT(cmd(c, "EXISTS c:list:none"), 0);
    CHECK_STRINGS(cmd(c, "LRANGE c:list 0 -1"), "u", "v", "w", "x", "y", "z");
    CHECK_STRINGS(cmd(c, "LRANGE c:list -2 100"), "y", "z");
    CHECK_ARRAY(cmd(c, "LRANGE c:list 10 20"), 0);
    CHECK_ARRAY(cmd(c, "LRANGE c:list:none 0 -1"), 0);
    CHECK_INT(cmd(c, "LLEN c:list"), 6);
    CHECK_TEXT(cmd(c, "LINDEX c:list -1"), REDIS_REPLY_STRING, "z");
    CHECK_NIL(cmd(c, "LINDEX c:list 6"));
    CHECK_TEXT(cmd(c, "LSET c:list 1 V"), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(cmd(c, "LSET c:list 6 no"), REDIS_REPLY_ERROR, "ERR index out of range");
    CHECK_TEXT(cmd(c, "LSET c:list:none 0 no"), REDIS_REPLY_ERROR, "ERR no such key");
    CHECK_INT(cmd(c, "LINSERT c:list BEFORE x x0"), 7);
    CHECK_INT(cmd(c, "LINSERT c:list AFTER z z1"), 8);
    CHECK_INT(cmd(c, "LINSERT c:list AFTER nope q"), -1);
    CHECK_INT(cmd(c, "LINSERT c:list:none AFTER x q"), 0);
    CHECK_TEXT(cmd(c, "LINSERT c:list MIDDLE x q"), REDIS_REPLY_ERROR, "ERR syntax error");
    CHECK_STRINGS(cmd(c, "LRANGE c:list 0 -1"), "u", "V", "w", "x0", "x", "y", "z", "z1");
    /* A bulk string without a count, an array with one: empty for COUNT 0
     * of a list, nil (a nil array) for a missing key. */
    CHECK_TEXT(cmd(c, "LPOP c:list"), REDIS_REPLY_STRING, "u");
    CHECK_STRINGS(cmd(c, "LPOP c:list 2"), "V", "w");
    CHECK_STRINGS(cmd(c, "RPOP c:list 2"), "z1", "z");
    CHECK_TEXT(cmd(c, "RPOP c:list"), REDIS_REPLY_STRING, "y");
    CHECK_ARRAY(cmd(c, "LPOP c:list 0"), 0);
    CHECK_NIL(cmd(c, "LPOP c:list:none 2"));
    CHECK_NIL(cmd(c, "RPOP c:list:none"));
    CHECK_TEXT(cmd(c, "LPOP c:list -1"), REDIS_REPLY_ERROR,
               "ERR value is out of range, must be positive");
    CHECK_STRINGS(cmd(c, "LRANGE c:list 0 -1"), "x0", "x");
    /* LPOS with RANK, COUNT and MAXLEN. */
    CHECK_INT(cmd(c, "RPUSH c:list:pos a b c a b c a"), 7);
    CHECK_INT(cmd(c, "LPOS c:list:pos a"), 0);
    CHECK_INT(cmd(c, "LPOS c:list:pos a RANK 2"), 3);
    CHECK_INT(cmd(c, "LPOS c:list:pos a RANK -1"), 6);
    CHECK_INTS(cmd(c, "LPOS c:list:pos a COUNT 0"), 0, 3, 6);
    CHECK_INTS(cmd(c, "LPOS c:list:pos a RANK -1 COUNT 2"), 6, 3);
    CHECK_INTS(cmd(c, "LPOS c:list:pos a COUNT 0 MAXLEN 4"), 0, 3);
    CHECK_INTS(cmd(c, "LPOS c:list:pos a RANK -1 COUNT 0 MAXLEN 2"), 6);
    CHECK_NIL(cmd(c, "LPOS c:list:pos c MAXLEN 1"));
    CHECK_NIL(cmd(c, "LPOS c:list:pos z"));
    CHECK_ARRAY(cmd(c, "LPOS c:list:pos z COUNT 1"), 0);
    CHECK_TEXT(cmd(c, "LPOS c:list:pos a RANK 0"), REDIS_REPLY_ERROR,
               "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
               "or use negative to start from the end of the list");
    CHECK_TEXT(cmd(c, "LPOS c:list:pos a MAXLEN -1"), REDIS_REPLY_ERROR,
               "ERR MAXLEN can't be negative");
    /* LREM, LTRIM. */
    CHECK_INT(cmd(c, "LREM c:list:pos 1 a"), 1);
    CHECK_INT(cmd(c, "LREM c:list:pos -1 c"), 1);
    CHECK_STRINGS(cmd(c, "LRANGE c:list:pos 0 -1"), "b", "c", "a", "b", "a");
    CHECK_INT(cmd(c, "LREM c:list:pos 0 b"), 2);
    CHECK_TEXT(cmd(c, "LTRIM c:list:pos 1 -1"), REDIS_REPLY_STATUS, "OK");
    CHECK_STRINGS(cmd(c, "LRANGE c:list:pos 0 -1"), "a", "a");
    CHECK_TEXT(cmd(c, "LTRIM c:list:pos 5 1"), REDIS_REPLY_STATUS, "OK");
    CHECK_INT(cmd(c, "EXISTS c:list:pos"), 0);
    /* LMPOP: [key, elements] of the first non-empty list, nil if none. */
    r = cmd(c, "LMPOP 2 c:list:none c:list LEFT");
    CHECK_ARRAY(r, 2);
    CHECK_TEXT(r->element[0], REDIS_REPLY_STRING, "c:list");
    CHECK_STRINGS(r->element[1], "x0");
    CHECK_INT(cmd(c, "RPUSH c:list:2 1 2 3"), 3);
    r = cmd(c, "LMPOP 3 c:list:none c:list:2 c:list RIGHT COUNT 5");
    CHECK_ARRAY(r, 2);
    CHECK_TEXT(r->element[0], REDIS_REPLY_STRING, "c:list:2");
    CHECK_STRINGS(r->element[1], "3", "2", "1");
    CHECK_INT(cmd(c, "EXISTS c:list:2"), 0);
    CHECK_NIL(cmd(c, "LMPOP 2 c:list:none c:list:2 LEFT"));
    CHECK_TEXT(cmd(c, "LMPOP 0 c:list LEFT"), REDIS_REPLY_ERROR,
               "ERR numkeys should be greater than 0");
    CHECK_TEXT(cmd(c, "LMPOP 1 c:list LEFT COUNT 0"), REDIS_REPLY_ERROR,
               "ERR count should be greater than 0");
    /* LMOVE between lists and onto the same list, RPOPLPUSH. */
    CHECK_INT(cmd(c, "RPUSH c:list:2 1 2 3"), 3);
    CHECK_TEXT(cmd(c, "LMOVE c:list:2 c:list LEFT RIGHT"), REDIS_REPLY_STRING, "1");
    CHECK_TEXT(cmd(c, "LMOVE c:list c:list LEFT RIGHT"), REDIS_REPLY_STRING, "x");
    CHECK_TEXT(cmd(c, "RPOPLPUSH c:list:2 c:list"), REDIS_REPLY_STRING, "3");
    CHECK_STRINGS(cmd(c, "LRANGE c:list 0 -1"), "3", "1", "x");
    CHECK_NIL(cmd(c, "LMOVE c:list:none c:list LEFT RIGHT"));
    CHECK_TEXT(cmd(c, "LMOVE c:list:2 c:list RIGHT UP"), REDIS_REPLY_ERROR, "ERR syntax error");
    CHECK_TEXT(cmd(c, "LMOVE c:list:2 c:list RIGHT LEFT"), REDIS_REPLY_STRING, "2");
    CHECK_INT(cmd(c, "EXISTS c:list:2"), 0);
    CHECK_TEXT(cmd(c, "TYPE c:list"), REDIS_REPLY_STATUS, "list");
    /* 1000 elements through the argv interface, each read back. */
    CHECK_INT(cmd_numbered(c, "RPUSH", "c:list:big", BIG_ARGS, "v:%d", 0), BIG_ARGS);
    r = cmd(c, "LRANGE c:list:big 0 -1");
    CHECK_ARRAY(r, BIG_ARGS);
    for (int i = 0; i < BIG_ARGS; i++)
        if (field_index(r->element[i], "v:") != i)
            FAIL("LRANGE element %d: %s", i, describe(r->element[i]));
    CHECK_TEXT(cmd(c, "LINDEX c:list:big 500"), REDIS_REPLY_STRING, "v:500");
    CHECK_INT(cmd(c, "LPOS c:list:big v:999"), 999);
    CHECK_NIL(cmd(c, "LPOS c:list:big v:200 MAXLEN 100"));
    /* Binary elements with %b. */
    CHECK_INT(cmd(c, "RPUSH c:list:bin %b %b", "a\0b\r\n", (size_t)5, "\r\n$1\r\n", (size_t)6), 2);
    r = cmd(c, "LRANGE c:list:bin 0 -1");
    CHECK_ARRAY(r, 2);
    CHECK_BYTES(r->element[0], "a\0b\r\n", 5);
    CHECK_BYTES(r->element[1], "\r\n$1\r\n", 6);
    CHECK_INT(cmd(c, "LPOS c:list:bin %b", "\r\n$1\r\n", (size_t)6), 1);
    CHECK_INT(cmd(c, "LREM c:list:bin 0 %b", "a\0b\r\n", (size_t)5), 1);
    /* WATCH on a list: another connection's RPUSH makes EXEC nil. */
    CHECK_TEXT(cmd(c, "WATCH c:list"), REDIS_REPLY_STATUS, "OK");
    CHECK_INT(cmd(other, "RPUSH c:list late"), 5);
    CHECK_TEXT(cmd(c, "MULTI"), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(cmd(c, "DEL c:list"), REDIS_REPLY_STATUS, "QUEUED");
    CHECK_NIL(cmd(c, "EXEC"));
    CHECK_STRINGS(cmd(c, "LRANGE c:list 0 -1"), "2", "3", "1", "x", "late");
    /* WRONGTYPE, in both directions. */
    CHECK_TEXT(cmd(c, "SET c:list:str v"), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(cmd(c, "LPUSH c:list:str a"), REDIS_REPLY_ERROR, WRONGTYPE_ERR);
    CHECK_TEXT(cmd(c, "LRANGE c:list:str 0 -1"), REDIS_REPLY_ERROR, WRONGTYPE_ERR);
    CHECK_TEXT(cmd(c, "LPOP c:list:str 2"), REDIS_REPLY_ERROR, WRONGTYPE_ERR);
    CHECK_TEXT(cmd(c, "LPOS c:list:str a"), REDIS_REPLY_ERROR, WRONGTYPE_ERR);
    CHECK_TEXT(cmd(c, "LMOVE c:list c:list:str LEFT RIGHT"), REDIS_REPLY_ERROR, WRONGTYPE_ERR);
    CHECK_TEXT(cmd(c, "LMPOP 2 c:list:none c:list:str LEFT"), REDIS_REPLY_ERROR, WRONGTYPE_ERR);
    CHECK_TEXT(cmd(c, "GET c:list"), REDIS_REPLY_ERROR, WRONGTYPE_ERR);
    CHECK_INT(cmd(c, "LLEN c:list"), 5);
    return 0;
}

static int test_auth(void)
{
    CONNECT(c, opt_auth_port);
    CHECK_TEXT(cmd(c, "GET c:a"), REDIS_REPLY_ERROR, "NOAUTH Authentication required.");
    CHECK_TEXT(cmd(c, "AUTH %s", "wrong"), REDIS_REPLY_ERROR,
               "WRONGPASS invalid username-password pair or user is disabled.");
    CHECK_TEXT(cmd(c, "AUTH %s", opt_password), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(cmd(c, "SET c:a 1"), REDIS_REPLY_STATUS, "OK");
    CONNECT(u, opt_auth_port);
    CHECK_TEXT(cmd(u, "AUTH default %s", opt_password), REDIS_REPLY_STATUS, "OK");
    CHECK_TEXT(cmd(u, "GET c:a"), REDIS_REPLY_STRING, "1");
    return 0;
}

/* A subscribed context reads pushes with redisGetReply; the payload is
 * binary. */
static int test_pubsub(void)
{
    CONNECT(sub, opt_port);
    CONNECT(pub, opt_port);
    redisReply *r = cmd(sub, "SUBSCRIBE c:chan");
    CHECK_ARRAY(r, 3);
    CHECK_TEXT(r->element[0], REDIS_REPLY_STRING, "subscribe");
    CHECK_TEXT(r->element[1], REDIS_REPLY_STRING, "c:chan");
    CHECK_INT(r->element[2], 1);
    CHECK_INT(cmd(pub, "PUBLISH c:chan %b", "hi\0\r\n", (size_t)5), 1);
    r = next_reply(sub);
    CHECK_ARRAY(r, 3);
    CHECK_TEXT(r->element[0], REDIS_REPLY_STRING, "message");
    CHECK_TEXT(r->element[1], REDIS_REPLY_STRING, "c:chan");
    CHECK(r->element[2]->type == REDIS_REPLY_STRING && r->element[2]->len == 5 &&
          memcmp(r->element[2]->str, "hi\0\r\n", 5) == 0);

    CHECK(redisAppendCommand(sub, "PSUBSCRIBE c:news.*") == REDIS_OK);
    r = next_reply(sub);
    CHECK_ARRAY(r, 3);
    CHECK_TEXT(r->element[0], REDIS_REPLY_STRING, "psubscribe");
    CHECK_INT(r->element[2], 2);
    CHECK_INT(cmd(pub, "PUBLISH c:news.x hello"), 1);
    r = next_reply(sub);
    CHECK_ARRAY(r, 4);
    CHECK_TEXT(r->element[0], REDIS_REPLY_STRING, "pmessage");
    CHECK_TEXT(r->element[1], REDIS_REPLY_STRING, "c:news.*");
    CHECK_TEXT(r->element[2], REDIS_REPLY_STRING, "c:news.x");
    CHECK_TEXT(r->element[3], REDIS_REPLY_STRING, "hello");

    CHECK(redisAppendCommand(sub, "UNSUBSCRIBE c:chan") == REDIS_OK);
    r = next_reply(sub);
    CHECK_ARRAY(r, 3);
    CHECK_TEXT(r->element[0], REDIS_REPLY_STRING, "unsubscribe");
    CHECK_INT(r->element[2], 1);
    CHECK_INT(cmd(pub, "PUBLISH c:chan x"), 0);
    return 0;
}

/* HELLO in the protocol the library parses: RESP2 gives the server's
 * properties as a flat array; hiredis 1.0+ also parses RESP3's map. */
static int test_hello(void)
{
    CONNECT(c, opt_port);
    redisReply *r = cmd(c, "HELLO 2");
    CHECK(r != NULL && r->type == REDIS_REPLY_ARRAY && r->elements >= 6 && r->elements % 2 == 0);
    CHECK_TEXT(r->element[0], REDIS_REPLY_STRING, "server");
    CHECK_TEXT(r->element[1], REDIS_REPLY_STRING, "redis");
    int proto = 0;
    for (size_t i = 0; i + 1 < r->elements; i += 2)
        if (r->element[i]->len == 5 && memcmp(r->element[i]->str, "proto", 5) == 0)
            proto = (int)r->element[i + 1]->integer;
    CHECK(proto == 2);
    return 0;
}

static int test_unix(void)
{
    if (opt_socket == NULL) SKIP("no --socket given");
    struct timeval tv = {TIMEOUT_SEC, 0};
    redisContext *c = redisConnectUnixWithTimeout(opt_socket, tv);
    if (c == NULL || c->err) {
        failf(__LINE__, "connect to %s: %s", opt_socket, c ? c->errstr : "out of memory");
        if (c) redisFree(c);
        return -1;
    }
    redisSetTimeout(c, tv);
    conns[nconns++] = c;
    CHECK_TEXT(cmd(c, "SET %s %s", "c:unix", "via socket"), REDIS_REPLY_STATUS, "OK");
    CONNECT(t, opt_port);
    CHECK_TEXT(cmd(t, "GET %s", "c:unix"), REDIS_REPLY_STRING, "via socket");
    redisReply *r = cmd(c, "CLIENT INFO");
    CHECK(r != NULL && r->type == REDIS_REPLY_STRING && strstr(r->str, " flags=U ") != NULL);
    /* Pipelined: 1000 appends, then their replies. */
    for (int i = 0; i < 1000; i++) redisAppendCommand(c, "INCR %s", "c:unix:n");
    for (int i = 1; i <= 1000; i++) {
        r = next_reply(c);
        CHECK(r != NULL && r->type == REDIS_REPLY_INTEGER && r->integer == i);
    }
    CHECK(cmd(c, "DEL %s %s", "c:unix", "c:unix:n") != NULL);
    return 0;
}

static int test_resp3(void)
{
#if HIREDIS_MAJOR >= 1
    CONNECT(c, opt_port);
    redisReply *r = cmd(c, "HELLO 3");
    if (r == NULL || r->type != REDIS_REPLY_MAP) FAIL("HELLO 3: %s", describe(r));
    CHECK_TEXT(cmd(c, "SET c:r3 %b", "a\0b", (size_t)3), REDIS_REPLY_STATUS, "OK");
    r = cmd(c, "GET c:r3");
    CHECK(r != NULL && r->type == REDIS_REPLY_STRING && r->len == 3);
    r = cmd(c, "GET c:r3:missing");
    CHECK(r != NULL && r->type == REDIS_REPLY_NIL);
    CHECK_INT(cmd(c, "INCR c:r3:n"), 1);
    return 0;
#else
    SKIP("hiredis %d.%d parses RESP2 only (RESP3 came in 1.0)", HIREDIS_MAJOR, HIREDIS_MINOR);
#endif
}

/* ------------------------------------------------------------------------ */

struct test {
    const char *name;
    int (*fn)(void);
};

static const struct test tests[] = {
    {"connect, PING and plain commands", test_ping},
    {"pipeline - 20000 appended commands then their replies, a 2001-argument MSET", test_pipeline},
    {"binary-safe %b - NUL, CRLF and a 1 MiB value round-trip", test_binary},
    {"MULTI/EXEC - results, error inside EXEC, EXECABORT, DISCARD, WATCH", test_multi_exec},
    {"error replies - exact texts, connection still usable", test_errors},
    {"Lua - EVAL with binary KEYS/ARGV, SCRIPT LOAD + EVALSHA, NOSCRIPT after FLUSH",
     test_scripting},
    {"hashes - HSET/HGETALL/HINCRBY, 1000 fields by HSCAN cursor, MULTI, WRONGTYPE", test_hashes},
    {"token bucket - SCRIPT LOAD, EVALSHA with EVAL on NOSCRIPT, the model's sequence",
     test_token_bucket},
    {"sets - SADD/SMISMEMBER/SINTERCARD/STORE/SMOVE/SPOP, SSCAN of 1000 and 600 ints", test_sets},
    {"tag invalidation - MULTI SET+SADD, WATCH+SUNION+MULTI UNLINK, nil EXEC retried",
     test_tag_invalidation},
    {"bitmaps - SETBIT/BITCOUNT/BITPOS/BITOP, BITFIELD u32 counters and OVERFLOW", test_bitmaps},
    {"moving-window rate limiter - MULTI LINDEX+LPUSH+LTRIM+PEXPIRE, the model's sequence",
     test_list_window},
    {"reliable queue - LPUSH, RPOPLPUSH/LMOVE to processing, LREM, a dead worker's job reaped",
     test_list_queue},
    {"lists - LPUSH/RPUSH, LPOP/RPOP COUNT, LINSERT, LPOS RANK/COUNT/MAXLEN, LMPOP, LMOVE, WATCH",
     test_lists},
    {"AUTH - NOAUTH, WRONGPASS, password, username default", test_auth},
    {"pubsub - SUBSCRIBE and PSUBSCRIBE pushes read with redisGetReply", test_pubsub},
    {"HELLO 2 - server properties as a flat array", test_hello},
    {"RESP3 - HELLO 3", test_resp3},
    {"unix socket - redisConnectUnixWithTimeout, pipelined", test_unix},
};

int main(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--host") == 0)
            opt_host = argv[i + 1];
        else if (strcmp(argv[i], "--port") == 0)
            opt_port = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--auth-port") == 0)
            opt_auth_port = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--password") == 0)
            opt_password = argv[i + 1];
        else if (strcmp(argv[i], "--socket") == 0)
            opt_socket = argv[i + 1];
    }
    if (opt_port <= 0 || opt_auth_port <= 0 || opt_password == NULL) {
        fprintf(stderr, "usage: %s --host H --port P --auth-port P2 --password PW\n", argv[0]);
        return 2;
    }
    printf("# hiredis %d.%d.%d\n", HIREDIS_MAJOR, HIREDIS_MINOR, HIREDIS_PATCH);

    int passed = 0, failed = 0, skipped = 0;
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        why[0] = '\0';
        skipped_now = 0;
        int rc = tests[i].fn();
        if (skipped_now) {
            skipped++;
            printf("skip: hiredis %s: %s\n", tests[i].name, why);
        } else if (rc == 0) {
            passed++;
            printf("ok: hiredis %s\n", tests[i].name);
        } else {
            failed++;
            printf("FAIL: hiredis %s: %s\n", tests[i].name, why);
        }
        fflush(stdout);
        while (nreplies > 0) freeReplyObject(replies[--nreplies]);
        while (nconns > 0) redisFree(conns[--nconns]);
    }
    printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    return failed ? 1 : 0;
}

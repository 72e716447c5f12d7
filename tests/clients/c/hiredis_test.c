/* hiredis_test.c - respite against hiredis, the stock C client (Debian's
 * libhiredis-dev): pipelining, binary-safe arguments, transactions, error
 * replies, Lua scripts, AUTH, pub/sub and, where the library speaks it, RESP3.
 *
 * Usage: hiredis-test --host H --port P --auth-port P2 --password PW
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
    {"AUTH - NOAUTH, WRONGPASS, password, username default", test_auth},
    {"pubsub - SUBSCRIBE and PSUBSCRIBE pushes read with redisGetReply", test_pubsub},
    {"HELLO 2 - server properties as a flat array", test_hello},
    {"RESP3 - HELLO 3", test_resp3},
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

/* cmd_hash.c - hash commands: HSET and friends, the counters, the whole-hash
 * replies, HSCAN and HRANDFIELD. The encodings are storage/hash.c's. */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "base/config.h"
#include "base/clock.h"
#include "base/mem.h"
#include "base/stats.h"
#include "base/util.h"
#include "client/client.h"
#include "client/reply.h"
#include "commands/arg.h"
#include "commands/commands.h"
#include "dispatch/command.h"
#include "services/notify.h"
#include "storage/db.h"
#include "storage/hash.h"

/* A hash being written: the key's entry (NULL until created), where it
 * lives, and whether it held a TTL (db_relink's bookkeeping). */
struct hash__write {
    struct keyref ref;
    struct entry *e;
    int created, had_expire;
};

/* Lazy field expiry, before a command sees the hash at ref: a packed
 * hash's expired fields go (they are few, and first in it), and with `all`
 * a table's too (for the commands that reply with every field or pick at
 * random); otherwise a table's expired fields are skipped by lookups and
 * left to active expiry, so a read of one field never walks a big hash.
 * Returns the hash, or NULL when its last field went (with the key). */
static struct entry *hash__expire(struct client *c, const struct arg *key, struct keyref *ref,
                                  struct entry *e, int all)
{
    long long next, now;
    if (e == NULL || (next = hash_next_expire(e)) < 0 || next > (now = clock_now())) return e;
    if (entry_enc(e) == ENTRY_ENC_TABLE && !all) return e;
    int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    size_t n = hash_expire_due(&e, now, UINT64_MAX, NULL, NULL);
    db_relocate(ref, e);
    if (n == 0) return e;
    STAT_INC(expired_subkeys, n);
    cmd_notify(c, NOTIFY_HASH, "hexpired", key);
    if (hash_len(e) == 0) {
        db_remove(ref);
        cmd_notify(c, NOTIFY_GENERIC, "del", key);
        return NULL;
    }
    db_relink(ref, e, had);
    return e;
}

/* Looks key up for writing: -1 after WRONGTYPE, else 0 with w->e the
 * hash or NULL. */
static int hash__open(struct client *c, const struct arg *key, struct hash__write *w)
{
    w->created = 0;
    if (arg_lookup_or_reply(c, key, ENTRY_TYPE_HASH, DB_LOOKUP_WRITE, &w->ref, &w->e) != 0)
        return -1;
    w->e = hash__expire(c, key, &w->ref, w->e, 0);
    w->had_expire = w->e && (w->e->flags & ENTRY_HAS_EXPIRE);
    return 0;
}

/* The hash to add fields to: the key's, or a new empty one. */
static struct entry **hash__target(const struct arg *key, struct hash__write *w)
{
    if (w->e == NULL) {
        w->e = hash_new(key->ptr, key->len, -1);
        w->created = 1;
    }
    return &w->e;
}

/* Puts the written hash back (or in place for a new key): the change
 * reaches watchers and client-side caching there. */
static void hash__close(struct hash__write *w)
{
    if (w->created)
        db_store(&w->ref, w->e);
    else
        db_relink(&w->ref, w->e, w->had_expire);
}

/* Looks key up for reading: -1 after WRONGTYPE, else 0 with *e the hash
 * or NULL. all: as for hash__expire. */
static int hash__read_all(struct client *c, const struct arg *key, struct entry **e, int all)
{
    struct keyref ref;
    if (arg_lookup_or_reply(c, key, ENTRY_TYPE_HASH, DB_LOOKUP_READ, &ref, e) != 0) return -1;
    *e = hash__expire(c, key, &ref, *e, all);
    return 0;
}

static int hash__read(struct client *c, const struct arg *key, struct entry **e)
{
    return hash__read_all(c, key, e, 0);
}

/* HSET key field value [field value ...], HMSET: the count of new fields,
 * or OK. */
static void hash__set(struct client *c, int hmset)
{
    if (c->argc % 2 != 0) {
        reply_error_arity(c, c->cmd->fullname);
        return;
    }
    struct hash__write w;
    if (hash__open(c, &c->argv[1], &w) != 0) return;
    struct entry **ep = hash__target(&c->argv[1], &w);
    long long created = 0;
    for (size_t j = 2; j < c->argc; j += 2)
        created +=
            hash_set(ep, c->argv[j].ptr, c->argv[j].len, c->argv[j + 1].ptr, c->argv[j + 1].len, 0);
    hash__close(&w);
    cmd_notify(c, NOTIFY_HASH, "hset", &c->argv[1]);
    if (hmset)
        reply_ok(c);
    else
        reply_long(c, created);
}

void cmd_hset(struct client *c)
{
    hash__set(c, 0);
}

void cmd_hmset(struct client *c)
{
    hash__set(c, 1);
}

void cmd_hsetnx(struct client *c)
{
    struct hash__write w;
    if (hash__open(c, &c->argv[1], &w) != 0) return;
    const char *v;
    size_t vlen;
    if (w.e && hash_get(w.e, c->argv[2].ptr, c->argv[2].len, &v, &vlen)) {
        reply_long(c, 0);
        return;
    }
    hash_set(hash__target(&c->argv[1], &w), c->argv[2].ptr, c->argv[2].len, c->argv[3].ptr,
             c->argv[3].len, 0);
    hash__close(&w);
    cmd_notify(c, NOTIFY_HASH, "hset", &c->argv[1]);
    reply_long(c, 1);
}

void cmd_hget(struct client *c)
{
    struct entry *e;
    if (hash__read(c, &c->argv[1], &e) != 0) return;
    const char *v;
    size_t vlen;
    if (e && hash_get(e, c->argv[2].ptr, c->argv[2].len, &v, &vlen))
        reply_bulk(c, v, vlen);
    else
        reply_null(c);
}

void cmd_hmget(struct client *c)
{
    struct entry *e;
    if (hash__read(c, &c->argv[1], &e) != 0) return;
    reply_array(c, c->argc - 2);
    for (size_t j = 2; j < c->argc; j++) {
        const char *v;
        size_t vlen;
        if (e && hash_get(e, c->argv[j].ptr, c->argv[j].len, &v, &vlen))
            reply_bulk(c, v, vlen);
        else
            reply_null(c);
    }
}

void cmd_hdel(struct client *c)
{
    struct hash__write w;
    if (hash__open(c, &c->argv[1], &w) != 0) return;
    if (w.e == NULL) {
        reply_long(c, 0);
        return;
    }
    long long deleted = 0;
    for (size_t j = 2; j < c->argc; j++) deleted += hash_del(&w.e, c->argv[j].ptr, c->argv[j].len);
    if (deleted)
        arg_put_back(c, &w.ref, w.e, w.had_expire, hash_len(w.e) == 0, NOTIFY_HASH, "hdel",
                     &c->argv[1]);
    reply_long(c, deleted);
}

void cmd_hlen(struct client *c)
{
    struct entry *e;
    if (hash__read(c, &c->argv[1], &e) != 0) return;
    reply_long(c, e ? (long long)hash_len(e) : 0);
}

void cmd_hstrlen(struct client *c)
{
    struct entry *e;
    if (hash__read(c, &c->argv[1], &e) != 0) return;
    const char *v;
    size_t vlen = 0;
    if (e == NULL || !hash_get(e, c->argv[2].ptr, c->argv[2].len, &v, &vlen)) vlen = 0;
    reply_long(c, (long long)vlen);
}

void cmd_hexists(struct client *c)
{
    struct entry *e;
    if (hash__read(c, &c->argv[1], &e) != 0) return;
    const char *v;
    size_t vlen;
    reply_long(c, e && hash_get(e, c->argv[2].ptr, c->argv[2].len, &v, &vlen));
}

void cmd_hincrby(struct client *c)
{
    long long incr, value = 0;
    if (arg_ll_or_reply(c, &c->argv[3], &incr, NULL) != 0) return;
    struct hash__write w;
    if (hash__open(c, &c->argv[1], &w) != 0) return;
    const char *v;
    size_t vlen;
    if (w.e && hash_get(w.e, c->argv[2].ptr, c->argv[2].len, &v, &vlen) &&
        !util_str2ll(v, vlen, &value)) {
        reply_error(c, REPLY_ERR_HASH_NOT_INT);
        return;
    }
    if (__builtin_add_overflow(value, incr, &value)) {
        reply_error(c, REPLY_ERR_OVERFLOW);
        return;
    }
    char buf[32];
    int n = util_ll2str(buf, value);
    hash_set(hash__target(&c->argv[1], &w), c->argv[2].ptr, c->argv[2].len, buf, (size_t)n, 1);
    hash__close(&w);
    cmd_notify(c, NOTIFY_HASH, "hincrby", &c->argv[1]);
    reply_long(c, value);
}

void cmd_hincrbyfloat(struct client *c)
{
    long double incr, value = 0;
    if (!util_str2ld(c->argv[3].ptr, c->argv[3].len, &incr)) {
        reply_error(c, REPLY_ERR_NOT_FLOAT);
        return;
    }
    if (isnan(incr) || isinf(incr)) {
        reply_error(c, REPLY_ERR_NAN_VALUE);
        return;
    }
    struct hash__write w;
    if (hash__open(c, &c->argv[1], &w) != 0) return;
    const char *v;
    size_t vlen;
    if (w.e && hash_get(w.e, c->argv[2].ptr, c->argv[2].len, &v, &vlen) &&
        !util_str2ld(v, vlen, &value)) {
        reply_error(c, REPLY_ERR_HASH_NOT_FLOAT);
        return;
    }
    char buf[ARG_FLOAT_BUF];
    int n = arg_float_add_or_reply(c, value, incr, buf);
    if (n < 0) return;
    hash_set(hash__target(&c->argv[1], &w), c->argv[2].ptr, c->argv[2].len, buf, n, 1);
    hash__close(&w);
    cmd_notify(c, NOTIFY_HASH, "hincrbyfloat", &c->argv[1]);
    reply_bulk(c, buf, n);
}

/* ---- whole-hash replies ---- */

#define HASH__FIELDS 1
#define HASH__VALUES 2

struct hash__emit {
    struct client *c;
    int what;
};

static void hash__emit(const char *f, size_t flen, const char *v, size_t vlen, void *arg)
{
    struct hash__emit *em = arg;
    if (em->what & HASH__FIELDS) reply_bulk(em->c, f, flen);
    if (em->what & HASH__VALUES) reply_bulk(em->c, v, vlen);
}

/* HKEYS, HVALS: an array; HGETALL: a map (an array of pairs in RESP2). */
static void hash__all(struct client *c, int what)
{
    struct entry *e;
    if (hash__read_all(c, &c->argv[1], &e, 1) != 0) return;
    size_t n = e ? hash_len(e) : 0;
    if (what == (HASH__FIELDS | HASH__VALUES))
        reply_map(c, n);
    else
        reply_array(c, n);
    struct hash__emit em = {c, what};
    if (e) hash_each(e, hash__emit, &em);
}

void cmd_hkeys(struct client *c)
{
    hash__all(c, HASH__FIELDS);
}

void cmd_hvals(struct client *c)
{
    hash__all(c, HASH__VALUES);
}

void cmd_hgetall(struct client *c)
{
    hash__all(c, HASH__FIELDS | HASH__VALUES);
}

/* ---- HSCAN ---- */

/* What one HSCAN call collects: field (and value) pointers, valid until
 * the reply is built (nothing changes the hash in between). */
struct hash__scan {
    const struct arg *pattern;
    int novalues;
    struct arg *items;
    size_t n, cap;
};

static void hash__scan_visit(const char *f, size_t flen, const char *v, size_t vlen, void *arg)
{
    struct hash__scan *hs = arg;
    if (hs->pattern && !util_glob_match(hs->pattern->ptr, hs->pattern->len, f, flen, 0)) return;
    if (hs->n + 2 > hs->cap) {
        hs->cap = hs->cap ? hs->cap * 2 : 32;
        hs->items = mem_realloc(hs->items, hs->cap * sizeof(*hs->items));
    }
    hs->items[hs->n++] = (struct arg){f, flen};
    if (!hs->novalues) hs->items[hs->n++] = (struct arg){v, vlen};
}

/* HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES]. As in Redis,
 * the cursor is checked first, a missing key replies an empty scan before
 * the options are, and a packed hash is returned whole with cursor 0. */
void cmd_hscan(struct client *c)
{
    unsigned long long cursor;
    if (arg_cursor_or_reply(c, &c->argv[2], &cursor) != 0) return;
    struct entry *e;
    if (hash__read(c, &c->argv[1], &e) != 0) return;
    if (e == NULL) {
        reply_array(c, 2);
        reply_bulk(c, "0", 1);
        reply_empty_array(c);
        return;
    }
    struct arg_scan o;
    if (arg_scan_or_reply(c, 3, ARG_SCAN_HASH, &o) != 0) return;
    struct hash__scan hs = {o.pattern, o.novalues, NULL, 0, 0};
    cursor = hash_scan(e, cursor, (uint64_t)o.count, hash__scan_visit, &hs);
    reply_array(c, 2);
    reply_bulk_long(c, (long long)cursor);
    reply_array(c, hs.n);
    for (size_t i = 0; i < hs.n; i++) reply_bulk(c, hs.items[i].ptr, hs.items[i].len);
    mem_free(hs.items);
}

/* ---- HRANDFIELD ---- */

struct hash__rand {
    struct client *c;
    int withvalues, pairs;
};

static void hash__rand_emit(const char *f, size_t flen, const char *v, size_t vlen, void *arg)
{
    struct hash__rand *hr = arg;
    if (hr->pairs) reply_array(hr->c, 2);
    reply_bulk(hr->c, f, flen);
    if (hr->withvalues) reply_bulk(hr->c, v, vlen);
}

/* HRANDFIELD key [count [WITHVALUES]]: without a count one field (or
 * null); a positive count, that many distinct fields at most; a negative
 * one, exactly -count fields, maybe repeated. WITHVALUES in RESP3 gives a
 * [field, value] pair per field. */
void cmd_hrandfield(struct client *c)
{
    long long count = 1;
    int withvalues = 0, with_count = c->argc >= 3;
    if (with_count) {
        if (arg_ll_or_reply(c, &c->argv[2], &count, NULL) != 0) return;
        if (count == LLONG_MIN) {
            reply_error(c, REPLY_ERR_LONG_RANGE);
            return;
        }
        if (c->argc > 4 || (c->argc == 4 && !arg_is(&c->argv[3], "withvalues"))) {
            reply_error(c, REPLY_ERR_SYNTAX);
            return;
        }
        if (c->argc == 4) {
            withvalues = 1;
            if (count < -LLONG_MAX / 2 || count > LLONG_MAX / 2) {
                reply_error(c, REPLY_ERR_OUT_OF_RANGE);
                return;
            }
        }
    }
    struct entry *e;
    if (hash__read_all(c, &c->argv[1], &e, 1) != 0) return;
    struct hash__rand hr = {c, withvalues, withvalues && c->resp >= 3};
    if (!with_count) {
        if (e == NULL) {
            reply_null(c);
            return;
        }
        hash_random(e, 1, 1, hash__rand_emit, &hr);
        return;
    }
    if (e == NULL || count == 0) {
        reply_empty_array(c);
        return;
    }
    int distinct = count > 0;
    size_t n = (size_t)(count > 0 ? count : -count);
    if (distinct && n > hash_len(e)) n = hash_len(e);
    reply_array(c, withvalues && !hr.pairs ? n * 2 : n);
    hash_random(e, n, distinct, hash__rand_emit, &hr);
}

/* ---- field TTLs: HEXPIRE HPEXPIRE HEXPIREAT HPEXPIREAT, HTTL HPTTL
 * HEXPIRETIME HPEXPIRETIME, HPERSIST (Redis 7.4) ---- */

/* The latest field TTL Redis accepts, in unix ms (its 48-bit expiry
 * buckets' range, a quarter of it). */
#define HASH__MAX_TTL_MS ((((long long)1 << 48) - 1) >> 2)

/* FIELDS numfields field...: argv[at] must be FIELDS and numfields the
 * count of the arguments after it. Returns 0, or -1 after the error, in
 * Redis's order of checks. */
static int hash__fields(struct client *c, size_t at, const char *count_err)
{
    long long n;
    if (!arg_is(&c->argv[at], "fields")) {
        reply_error(c, "ERR Mandatory argument FIELDS is missing or not at the right position");
        return -1;
    }
    if (!util_str2ll(c->argv[at + 1].ptr, c->argv[at + 1].len, &n) || n < 1) {
        reply_error(c, count_err);
        return -1;
    }
    if ((unsigned long long)n != c->argc - at - 2) {
        reply_error(c, "ERR The `numfields` parameter must match the number of arguments");
        return -1;
    }
    return 0;
}

/* Replies -2 for each field: a missing key has none of them. */
static void hash__no_fields(struct client *c, size_t first)
{
    reply_array(c, c->argc - first);
    for (size_t j = first; j < c->argc; j++) reply_long(c, HASH_NO_FIELD);
}

/* HEXPIRE key time [NX|XX|GT|LT] FIELDS n field...: unit_ms 1000 for
 * seconds; relative: time counts from now. Per field: -2 no such field,
 * 0 condition not met, 1 TTL set, 2 deleted (the time is not in the
 * future). */
static void hash__expire_cmd(struct client *c, long long unit_ms, int relative)
{
    struct hash__write w;
    if (hash__open(c, &c->argv[1], &w) != 0) return;
    long long when, base = relative ? clock_now() : 0;
    if (arg_ll_or_reply(c, &c->argv[2], &when, NULL) != 0) return;
    if (when < 0) {
        reply_error(c, "ERR invalid expire time, must be >= 0");
        return;
    }
    if ((unit_ms == 1000 && when > HASH__MAX_TTL_MS / 1000) ||
        when * unit_ms > HASH__MAX_TTL_MS - base) {
        reply_errorf(c, REPLY_ERR_EXPIRE_FMT, c->cmd->fullname);
        return;
    }
    when = when * unit_ms + base;
    int cond = HASH_COND_NONE;
    if (arg_is(&c->argv[3], "nx"))
        cond = HASH_COND_NX;
    else if (arg_is(&c->argv[3], "xx"))
        cond = HASH_COND_XX;
    else if (arg_is(&c->argv[3], "gt"))
        cond = HASH_COND_GT;
    else if (arg_is(&c->argv[3], "lt"))
        cond = HASH_COND_LT;
    size_t at = cond == HASH_COND_NONE ? 3 : 4;
    if (hash__fields(c, at, "ERR Parameter `numFields` should be greater than 0") != 0) return;
    if (w.e == NULL) {
        hash__no_fields(c, at + 2);
        return;
    }
    long long set = 0, deleted = 0;
    hash_allow_ttl(&w.e);
    reply_array(c, c->argc - at - 2);
    for (size_t j = at + 2; j < c->argc; j++) {
        int r = hash_set_expire(&w.e, c->argv[j].ptr, c->argv[j].len, when, cond);
        if (r == HASH_EXPIRE_SET) set++;
        if (r == HASH_EXPIRE_DELETED) deleted++;
        reply_long(c, r);
    }
    if (set + deleted == 0) {
        db_relocate(&w.ref, w.e); /* a pack may have become a packex */
        return;
    }
    db_relink(&w.ref, w.e, w.had_expire);
    STAT_INC(expired_subkeys, (uint64_t)deleted); /* as Redis counts them */
    if (deleted && hash_len(w.e) == 0) {
        db_remove(&w.ref);
        cmd_notify(c, NOTIFY_HASH, "hdel", &c->argv[1]);
        cmd_notify(c, NOTIFY_GENERIC, "del", &c->argv[1]);
        return;
    }
    cmd_notify(c, NOTIFY_HASH, deleted ? "hdel" : "hexpire", &c->argv[1]);
}

void cmd_hexpire(struct client *c)
{
    hash__expire_cmd(c, 1000, 1);
}

void cmd_hpexpire(struct client *c)
{
    hash__expire_cmd(c, 1, 1);
}

void cmd_hexpireat(struct client *c)
{
    hash__expire_cmd(c, 1000, 0);
}

void cmd_hpexpireat(struct client *c)
{
    hash__expire_cmd(c, 1, 0);
}

/* HTTL key FIELDS n field...: per field -2 (no such field), -1 (no TTL),
 * or the TTL (relative) or expire time, in seconds rounded up (unit_ms
 * 1000, as Redis rounds both) or ms. */
static void hash__ttl_cmd(struct client *c, long long unit_ms, int relative)
{
    struct entry *e;
    if (hash__read(c, &c->argv[1], &e) != 0) return;
    if (hash__fields(c, 2, "ERR Number of fields must be a positive integer") != 0) return;
    if (e == NULL) {
        hash__no_fields(c, 4);
        return;
    }
    long long base = relative ? clock_now() : 0;
    reply_array(c, c->argc - 4);
    for (size_t j = 4; j < c->argc; j++) {
        long long ttl = hash_field_expire(e, c->argv[j].ptr, c->argv[j].len);
        if (ttl >= 0) ttl = (ttl - base + unit_ms - 1) / unit_ms;
        reply_long(c, ttl);
    }
}

void cmd_httl(struct client *c)
{
    hash__ttl_cmd(c, 1000, 1);
}

void cmd_hpttl(struct client *c)
{
    hash__ttl_cmd(c, 1, 1);
}

void cmd_hexpiretime(struct client *c)
{
    hash__ttl_cmd(c, 1000, 0);
}

void cmd_hpexpiretime(struct client *c)
{
    hash__ttl_cmd(c, 1, 0);
}

/* HPERSIST key FIELDS n field...: per field 1 (TTL removed), -1 (had
 * none) or -2 (no such field). */
void cmd_hpersist(struct client *c)
{
    struct hash__write w;
    if (hash__open(c, &c->argv[1], &w) != 0) return;
    if (hash__fields(c, 2, "ERR Number of fields must be a positive integer") != 0) return;
    if (w.e == NULL) {
        hash__no_fields(c, 4);
        return;
    }
    int changed = 0;
    reply_array(c, c->argc - 4);
    for (size_t j = 4; j < c->argc; j++) {
        int r = hash_persist(&w.e, c->argv[j].ptr, c->argv[j].len);
        changed |= r == 1;
        reply_long(c, r);
    }
    if (!changed) return;
    db_relink(&w.ref, w.e, w.had_expire);
    cmd_notify(c, NOTIFY_HASH, "hpersist", &c->argv[1]);
}

/* cmd_string.c - string commands: GET, SET and friends, counters, ranges,
 * LCS. (The bit-level commands are in cmd_bitops.c.) */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/mem.h"
#include "base/util.h"
#include "client/client.h"
#include "client/reply.h"
#include "commands/arg.h"
#include "commands/commands.h"
#include "dispatch/command.h"
#include "services/notify.h"
#include "storage/db.h"

/* Options of SET and GETEX, parsed by one function as Redis does. */
#define SET_NX      0x01
#define SET_XX      0x02
#define SET_GET     0x04
#define SET_KEEPTTL 0x08
#define SET_PERSIST 0x10
#define SET_EX      0x20 /* any of EX PX EXAT PXAT */

enum set_kind { KIND_SET, KIND_GETEX };

/* Parses the options from argv[first]. On success *expire is the
 * absolute expire time in ms (or -1). Replies and returns -1 on error. */
static int string__parse_options(struct client *c, size_t first, enum set_kind kind, int *flags,
                                 long long *expire)
{
    const struct arg *expire_arg = NULL;
    long long unit = 1;
    int relative = 0;
    *flags = 0;
    *expire = -1;
    for (size_t j = first; j < c->argc; j++) {
        const struct arg *a = &c->argv[j];
        int has_next = j + 1 < c->argc;
        if (kind == KIND_SET && arg_is(a, "nx") && !(*flags & SET_XX)) {
            *flags |= SET_NX;
        } else if (kind == KIND_SET && arg_is(a, "xx") && !(*flags & SET_NX)) {
            *flags |= SET_XX;
        } else if (kind == KIND_SET && arg_is(a, "get")) {
            *flags |= SET_GET;
        } else if (kind == KIND_SET && arg_is(a, "keepttl") && !(*flags & (SET_EX | SET_PERSIST))) {
            *flags |= SET_KEEPTTL;
        } else if (kind == KIND_GETEX && arg_is(a, "persist") &&
                   !(*flags & (SET_EX | SET_KEEPTTL))) {
            *flags |= SET_PERSIST;
        } else if ((arg_is(a, "ex") || arg_is(a, "px") || arg_is(a, "exat") || arg_is(a, "pxat")) &&
                   !(*flags & (SET_EX | SET_KEEPTTL | SET_PERSIST)) && has_next) {
            *flags |= SET_EX;
            unit = (a->ptr[0] == 'e' || a->ptr[0] == 'E') ? 1000 : 1;
            relative = a->len == 2;
            expire_arg = &c->argv[++j];
        } else {
            reply_error(c, REPLY_ERR_SYNTAX);
            return -1;
        }
    }
    if (expire_arg && arg_expire_or_reply(c, expire_arg, unit, relative, expire) != 0) return -1;
    return 0;
}

/* Looks key up as a string: -1 after replying WRONGTYPE when it holds
 * another type, else 0 with *e the entry or NULL. (Inline, not
 * arg_lookup_or_reply: GET's path.) */
static inline int string__lookup(struct client *c, const struct arg *key, int flags,
                                 struct keyref *ref, struct entry **e)
{
    *e = db_lookup(c->db, key->ptr, key->len, flags, ref);
    if (*e && ((*e)->flags & ENTRY_CONTAINER)) {
        reply_error(c, REPLY_ERR_WRONGTYPE);
        return -1;
    }
    return 0;
}

/* Replies with the key's value or null: -1 after WRONGTYPE, else 0 with
 * *e the entry or NULL. */
static int string__get_reply(struct client *c, const struct arg *key, struct keyref *ref,
                             struct entry **e)
{
    if (string__lookup(c, key, DB_LOOKUP_READ, ref, e) != 0) return -1;
    if (*e == NULL)
        reply_null(c);
    else
        reply_bulk(c, entry_val(*e), entry_vlen(*e));
    return 0;
}

void cmd_get(struct client *c)
{
    struct entry *e;
    string__get_reply(c, &c->argv[1], NULL, &e);
}

/* The common core of SET, SETNX, SETEX, PSETEX and GETSET. expire is an
 * absolute time or -1; with SET_GET the old value is the reply. */
static void string__set(struct client *c, const struct arg *key, const struct arg *val, int flags,
                        long long expire, int reply_kind)
{
    struct keyref ref;
    struct entry *old;
    if (flags & SET_GET) {
        /* The old value is the reply: it must be a string. */
        if (string__get_reply(c, key, &ref, &old) != 0) return;
    } else {
        /* Without GET, SET replaces a value of any type. */
        old = db_lookup(c->db, key->ptr, key->len, DB_LOOKUP_NOTOUCH, &ref);
    }

    if (((flags & SET_NX) && old) || ((flags & SET_XX) && !old)) {
        if (flags & SET_GET) return;
        if (reply_kind == 1)
            reply_long(c, 0);
        else
            reply_null(c);
        return;
    }
    if ((flags & SET_KEEPTTL) && old) expire = entry_expire(old);
    if (expire >= 0 && expire <= clock_now()) {
        /* Already in the past: the key just goes away (Redis deletes it
         * rather than storing an expired value). */
        if (old) {
            db_remove(&ref);
            cmd_notify(c, NOTIFY_GENERIC, "del", key);
        }
    } else {
        db_store(&ref, entry_create(key->ptr, key->len, val->ptr, val->len, expire));
        cmd_notify(c, NOTIFY_STRING, "set", key);
        if (expire >= 0 && !(flags & SET_KEEPTTL)) cmd_notify(c, NOTIFY_GENERIC, "expire", key);
    }
    if (flags & SET_GET) return;
    if (reply_kind == 1)
        reply_long(c, 1);
    else
        reply_ok(c);
}

void cmd_set(struct client *c)
{
    int flags;
    long long expire;
    if (string__parse_options(c, 3, KIND_SET, &flags, &expire) != 0) return;
    string__set(c, &c->argv[1], &c->argv[2], flags, expire, 0);
}

void cmd_setnx(struct client *c)
{
    string__set(c, &c->argv[1], &c->argv[2], SET_NX, -1, 1);
}

void cmd_setex(struct client *c)
{
    long long expire;
    if (arg_expire_or_reply(c, &c->argv[2], 1000, 1, &expire) != 0) return;
    string__set(c, &c->argv[1], &c->argv[3], 0, expire, 0);
}

void cmd_psetex(struct client *c)
{
    long long expire;
    if (arg_expire_or_reply(c, &c->argv[2], 1, 1, &expire) != 0) return;
    string__set(c, &c->argv[1], &c->argv[3], 0, expire, 0);
}

void cmd_getset(struct client *c)
{
    string__set(c, &c->argv[1], &c->argv[2], SET_GET, -1, 0);
}

void cmd_getdel(struct client *c)
{
    struct keyref ref;
    struct entry *e;
    if (string__get_reply(c, &c->argv[1], &ref, &e) == 0 && e) {
        db_remove(&ref);
        cmd_notify(c, NOTIFY_GENERIC, "del", &c->argv[1]);
    }
}

void cmd_getex(struct client *c)
{
    int flags;
    long long expire;
    if (string__parse_options(c, 2, KIND_GETEX, &flags, &expire) != 0) return;
    struct keyref ref;
    struct entry *e;
    if (string__get_reply(c, &c->argv[1], &ref, &e) != 0 || e == NULL) return;
    int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    if (expire >= 0 && expire <= clock_now()) {
        db_remove(&ref);
        cmd_notify(c, NOTIFY_GENERIC, "del", &c->argv[1]);
    } else if (expire >= 0) {
        db_relink(&ref, entry_set_expire(e, expire), had);
        cmd_notify(c, NOTIFY_GENERIC, "expire", &c->argv[1]);
    } else if ((flags & SET_PERSIST) && had) {
        db_relink(&ref, entry_set_expire(e, -1), had);
        cmd_notify(c, NOTIFY_GENERIC, "persist", &c->argv[1]);
    }
}

void cmd_mget(struct client *c)
{
    reply_array(c, c->argc - 1);
    for (size_t j = 1; j < c->argc; j++) {
        /* A key of another type is a null here, not an error. */
        struct entry *e = db_lookup(c->db, c->argv[j].ptr, c->argv[j].len, DB_LOOKUP_READ, NULL);
        if (e && !(e->flags & ENTRY_CONTAINER))
            reply_bulk(c, entry_val(e), entry_vlen(e));
        else
            reply_null(c);
    }
}

static int string__mset_arity_ok(struct client *c)
{
    if (c->argc % 2 == 1) return 1;
    reply_error_arity(c, c->cmd->fullname);
    return 0;
}

void cmd_mset(struct client *c)
{
    if (!string__mset_arity_ok(c)) return;
    for (size_t j = 1; j < c->argc; j += 2) {
        db_set(c->db, c->argv[j].ptr, c->argv[j].len, c->argv[j + 1].ptr, c->argv[j + 1].len, -1);
        cmd_notify(c, NOTIFY_STRING, "set", &c->argv[j]);
    }
    reply_ok(c);
}

void cmd_msetnx(struct client *c)
{
    if (!string__mset_arity_ok(c)) return;
    for (size_t j = 1; j < c->argc; j += 2) {
        if (db_lookup(c->db, c->argv[j].ptr, c->argv[j].len, DB_LOOKUP_NOTOUCH, NULL)) {
            reply_long(c, 0);
            return;
        }
    }
    for (size_t j = 1; j < c->argc; j += 2) {
        db_set(c->db, c->argv[j].ptr, c->argv[j].len, c->argv[j + 1].ptr, c->argv[j + 1].len, -1);
        cmd_notify(c, NOTIFY_STRING, "set", &c->argv[j]);
    }
    reply_long(c, 1);
}

static int string__size_ok(struct client *c, long long size)
{
    if (size <= CFG(proto_max_bulk_len)) return 1;
    reply_error(c, REPLY_ERR_STR_SIZE);
    return 0;
}

void cmd_append(struct client *c)
{
    const struct arg *key = &c->argv[1], *val = &c->argv[2];
    struct keyref ref;
    struct entry *e;
    if (string__lookup(c, key, DB_LOOKUP_WRITE, &ref, &e) != 0) return;
    if (e == NULL) {
        db_store(&ref, entry_create(key->ptr, key->len, val->ptr, val->len, -1));
        cmd_notify(c, NOTIFY_STRING, "append", key);
        reply_long(c, (long long)val->len);
        return;
    }
    size_t old = entry_vlen(e);
    if (!string__size_ok(c, (long long)(old + val->len))) return;
    int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    e = entry_resize_value(e, old + val->len, 1);
    memcpy(entry_val(e) + old, val->ptr, val->len);
    e->flags |= ENTRY_ENC_RAW;
    db_relink(&ref, e, had);
    cmd_notify(c, NOTIFY_STRING, "append", key);
    reply_long(c, (long long)(old + val->len));
}

void cmd_strlen(struct client *c)
{
    struct entry *e;
    if (string__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    reply_long(c, e ? (long long)entry_vlen(e) : 0);
}

/* Stores a counter's new digits under key: a new entry, or the old one
 * rewritten in place when the digits fit (its TTL kept), no longer marked
 * raw (OBJECT ENCODING reports int/embstr again, as after Redis's INCR). */
static void string__store_number(struct keyref *ref, struct entry *e, const struct arg *key,
                                 const char *buf, size_t n)
{
    if (e == NULL) {
        db_store(ref, entry_create(key->ptr, key->len, buf, n, -1));
        return;
    }
    int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    e = entry_resize_value(e, n, 0);
    memcpy(entry_val(e), buf, n);
    e->flags &= (uint8_t)~ENTRY_ENC_RAW;
    db_relink(ref, e, had);
}

/* INCR, DECR, INCRBY, DECRBY: the value must be a strict integer; the
 * new value replaces it keeping the TTL. Rewrites the digits in place when
 * they fit in the entry's allocation. */
static void string__incr(struct client *c, long long incr)
{
    const struct arg *key = &c->argv[1];
    struct keyref ref;
    struct entry *e;
    if (string__lookup(c, key, DB_LOOKUP_WRITE, &ref, &e) != 0) return;
    long long value = 0;
    if (e && !util_str2ll(entry_val(e), entry_vlen(e), &value)) {
        reply_error(c, REPLY_ERR_NOT_INT);
        return;
    }
    if (__builtin_add_overflow(value, incr, &value)) {
        reply_error(c, REPLY_ERR_OVERFLOW);
        return;
    }
    char buf[32];
    size_t n = (size_t)util_ll2str(buf, value);
    string__store_number(&ref, e, key, buf, n);
    cmd_notify(c, NOTIFY_STRING, "incrby", key);
    reply_long(c, value);
}

void cmd_incr(struct client *c)
{
    string__incr(c, 1);
}

void cmd_decr(struct client *c)
{
    string__incr(c, -1);
}

void cmd_incrby(struct client *c)
{
    long long incr;
    if (arg_ll_or_reply(c, &c->argv[2], &incr, NULL) == 0) string__incr(c, incr);
}

void cmd_decrby(struct client *c)
{
    long long incr;
    if (arg_ll_or_reply(c, &c->argv[2], &incr, NULL) != 0) return;
    if (incr == LLONG_MIN) {
        reply_error(c, REPLY_ERR_DECR_OVERFLOW);
        return;
    }
    string__incr(c, -incr);
}

void cmd_incrbyfloat(struct client *c)
{
    const struct arg *key = &c->argv[1];
    struct keyref ref;
    long double value = 0, incr;
    struct entry *e;
    if (string__lookup(c, key, DB_LOOKUP_WRITE, &ref, &e) != 0) return;
    if (e && !util_str2ld(entry_val(e), entry_vlen(e), &value)) {
        reply_error(c, REPLY_ERR_NOT_FLOAT);
        return;
    }
    if (!util_str2ld(c->argv[2].ptr, c->argv[2].len, &incr)) {
        reply_error(c, REPLY_ERR_NOT_FLOAT);
        return;
    }
    char buf[ARG_FLOAT_BUF];
    int n = arg_float_add_or_reply(c, value, incr, buf);
    if (n < 0) return;
    string__store_number(&ref, e, key, buf, n);
    cmd_notify(c, NOTIFY_STRING, "incrbyfloat", key);
    reply_bulk(c, buf, n);
}

void cmd_getrange(struct client *c)
{
    long long start, end;
    if (arg_ll_or_reply(c, &c->argv[2], &start, NULL) != 0) return;
    if (arg_ll_or_reply(c, &c->argv[3], &end, NULL) != 0) return;
    struct entry *e;
    if (string__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    long long len = e ? (long long)entry_vlen(e) : 0;
    if (e == NULL || (start < 0 && end < 0 && start > end)) {
        reply_bulk(c, "", 0);
        return;
    }
    if (start < 0) start += len;
    if (end < 0) end += len;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= len) end = len - 1;
    if (start > end || len == 0) {
        reply_bulk(c, "", 0);
        return;
    }
    reply_bulk(c, entry_val(e) + start, (size_t)(end - start + 1));
}

void cmd_setrange(struct client *c)
{
    const struct arg *key = &c->argv[1], *val = &c->argv[3];
    long long offset;
    if (arg_ll_or_reply(c, &c->argv[2], &offset, NULL) != 0) return;
    if (offset < 0) {
        reply_error(c, REPLY_ERR_OFFSET);
        return;
    }
    struct keyref ref;
    struct entry *e;
    if (string__lookup(c, key, DB_LOOKUP_WRITE, &ref, &e) != 0) return;
    size_t old = e ? entry_vlen(e) : 0;
    if (val->len == 0) {
        reply_long(c, (long long)old);
        return;
    }
    if (offset > CFG(proto_max_bulk_len) - (long long)val->len) {
        reply_error(c, REPLY_ERR_STR_SIZE);
        return;
    }
    size_t need = (size_t)offset + val->len;
    if (e == NULL) {
        e = entry_create(key->ptr, key->len, NULL, need, -1);
        memset(entry_val(e), 0, (size_t)offset);
        memcpy(entry_val(e) + offset, val->ptr, val->len);
        e->flags |= ENTRY_ENC_RAW;
        db_store(&ref, e);
        cmd_notify(c, NOTIFY_STRING, "setrange", key);
        reply_long(c, (long long)need);
        return;
    }
    int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    if (need > old) {
        e = entry_resize_value(e, need, 1);
        memset(entry_val(e) + old, 0, need - old);
    }
    memcpy(entry_val(e) + offset, val->ptr, val->len);
    e->flags |= ENTRY_ENC_RAW;
    db_relink(&ref, e, had);
    cmd_notify(c, NOTIFY_STRING, "setrange", key);
    reply_long(c, (long long)entry_vlen(e));
}

/* One IDX match of LCS: a run of equal bytes at [a0, a1] and [b0, b1]. */
struct lcs_match {
    uint32_t a0, a1, b0, b1;
};

/* LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]: the longest
 * common subsequence of two strings (missing keys are empty) by the
 * classic dynamic program, a (|a|+1) x (|b|+1) table of prefix LCS
 * lengths. The table's size is bounded by proto-max-bulk-len, as in
 * Redis, so one call cannot take unbounded memory. IDX walks the table
 * back from the end, reporting the matched runs last first. */
void cmd_lcs(struct client *c)
{
    struct entry *ea, *eb;
    ea = db_lookup(c->db, c->argv[1].ptr, c->argv[1].len, DB_LOOKUP_READ, NULL);
    eb = db_lookup(c->db, c->argv[2].ptr, c->argv[2].len, DB_LOOKUP_READ, NULL);
    if ((ea && entry_type(ea) != ENTRY_TYPE_STRING) ||
        (eb && entry_type(eb) != ENTRY_TYPE_STRING)) {
        reply_error(c, "ERR The specified keys must contain string values");
        return;
    }
    int getlen = 0, getidx = 0, withmatchlen = 0;
    long long minmatchlen = 0;
    for (size_t j = 3; j < c->argc; j++) {
        const struct arg *opt = &c->argv[j];
        if (arg_is(opt, "idx")) {
            getidx = 1;
        } else if (arg_is(opt, "len")) {
            getlen = 1;
        } else if (arg_is(opt, "withmatchlen")) {
            withmatchlen = 1;
        } else if (arg_is(opt, "minmatchlen") && j + 1 < c->argc) {
            if (arg_ll_or_reply(c, &c->argv[++j], &minmatchlen, NULL) != 0) return;
            if (minmatchlen < 0) minmatchlen = 0;
        } else {
            reply_error(c, REPLY_ERR_SYNTAX);
            return;
        }
    }
    if (getlen && getidx) {
        reply_error(c, "ERR If you want both the length and indexes, please just use IDX.");
        return;
    }
    const char *a = ea ? entry_val(ea) : "", *b = eb ? entry_val(eb) : "";
    size_t alen = ea ? entry_vlen(ea) : 0, blen = eb ? entry_vlen(eb) : 0;
    if (alen >= UINT32_MAX - 1 || blen >= UINT32_MAX - 1) {
        reply_error(c, "ERR String too long for LCS");
        return;
    }
    unsigned long long cells = (unsigned long long)(alen + 1) * (blen + 1);
    if (cells * sizeof(uint32_t) > (unsigned long long)CFG(proto_max_bulk_len)) {
        reply_error(c,
                    "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        return;
    }
    uint32_t *t = mem_try_realloc(NULL, (size_t)cells * sizeof(uint32_t));
    if (t == NULL) {
        reply_error(c, "ERR Insufficient memory, failed allocating transient memory for LCS");
        return;
    }
#define LCS_AT(i, j) t[(size_t)(i) * (blen + 1) + (j)]
    for (size_t i = 0; i <= alen; i++) {
        for (size_t j = 0; j <= blen; j++) {
            if (i == 0 || j == 0)
                LCS_AT(i, j) = 0;
            else if (a[i - 1] == b[j - 1])
                LCS_AT(i, j) = LCS_AT(i - 1, j - 1) + 1;
            else
                LCS_AT(i, j) =
                    LCS_AT(i - 1, j) > LCS_AT(i, j - 1) ? LCS_AT(i - 1, j) : LCS_AT(i, j - 1);
        }
    }
    uint32_t total = LCS_AT(alen, blen);
    if (getlen) {
        mem_free(t);
        reply_long(c, total);
        return;
    }
    /* Walk back: equal bytes extend the current run (or start one); a
     * step off the diagonal, or reaching either string's start, ends it. */
    char *seq = mem_alloc(total + 1);
    struct lcs_match *m = getidx ? mem_alloc((total + 1) * sizeof(*m)) : NULL;
    size_t nm = 0, i = alen, j = blen, k = total;
    int open = 0;
    struct lcs_match run = {0, 0, 0, 0};
    while (i > 0 && j > 0) {
        int emit = 0;
        if (a[i - 1] == b[j - 1]) {
            seq[--k] = a[i - 1];
            if (!open) {
                run = (struct lcs_match){(uint32_t)i - 1, (uint32_t)i - 1, (uint32_t)j - 1,
                                         (uint32_t)j - 1};
                open = 1;
            } else {
                /* The last step was a match too (a mismatch closes the
                 * run), so this byte pair extends it backwards. */
                run.a0--;
                run.b0--;
            }
            if (run.a0 == 0 || run.b0 == 0) emit = 1;
            i--;
            j--;
        } else {
            if (LCS_AT(i - 1, j) > LCS_AT(i, j - 1))
                i--;
            else
                j--;
            if (open) emit = 1;
        }
        if (emit && open) {
            if (m && (minmatchlen == 0 || run.a1 - run.a0 + 1 >= (unsigned long long)minmatchlen))
                m[nm++] = run;
            open = 0;
        }
    }
#undef LCS_AT
    mem_free(t);
    if (!getidx) {
        reply_bulk(c, seq, total);
    } else {
        reply_map(c, 2);
        reply_bulk_cstr(c, "matches");
        reply_array(c, nm);
        for (size_t x = 0; x < nm; x++) {
            reply_array(c, 2 + (size_t)withmatchlen);
            reply_array(c, 2);
            reply_long(c, m[x].a0);
            reply_long(c, m[x].a1);
            reply_array(c, 2);
            reply_long(c, m[x].b0);
            reply_long(c, m[x].b1);
            if (withmatchlen) reply_long(c, m[x].a1 - m[x].a0 + 1);
        }
        reply_bulk_cstr(c, "len");
        reply_long(c, total);
    }
    mem_free(m);
    mem_free(seq);
}

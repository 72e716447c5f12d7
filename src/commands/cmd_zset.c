/* cmd_zset.c - sorted set commands: ZADD and ZINCRBY, lookups by member
 * and rank, the range family (ZRANGE with BYSCORE, BYLEX, REV and LIMIT,
 * its older forms and ZRANGESTORE), removals by range, pops, random
 * members, ZSCAN, and the set operations (ZUNION, ZINTER, ZDIFF, their
 * STORE forms, ZINTERCARD), and the blocking pops (BZPOPMIN, BZPOPMAX,
 * BZMPOP: services/blocking.c keeps the waiters). The encodings are storage/zset.c's; argument
 * order checks, replies, errors and keyspace events follow Redis 7.4's
 * t_zset.c. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "base/util.h"
#include "client/client.h"
#include "client/reply.h"
#include "commands/arg.h"
#include "commands/commands.h"
#include "dispatch/call.h"
#include "dispatch/command.h"
#include "services/blocking.h"
#include "services/notify.h"
#include "storage/db.h"
#include "storage/set.h"
#include "storage/zset.h"

#define ZSET_ERR_NX_XX "ERR XX and NX options at the same time are not compatible"
#define ZSET_ERR_GT_LT "ERR GT, LT, and/or NX options at the same time are not compatible"
#define ZSET_ERR_INCR  "ERR INCR option supports a single increment-element pair"
#define ZSET_ERR_NAN   "ERR resulting score is not a number (NaN)"
#define ZSET_ERR_RANGE "ERR min or max is not a float"
#define ZSET_ERR_LEX   "ERR min or max not valid string range item"
#define ZSET_ERR_LIMIT                                                                             \
    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
#define ZSET_ERR_BYLEX     "ERR syntax error, WITHSCORES not supported in combination with BYLEX"
#define ZSET_ERR_WEIGHT    "ERR weight value is not a float"
#define ZSET_ERR_INPUT_FMT "ERR at least 1 input key is needed for '%s' command"

static int zset__lookup(struct client *c, const struct arg *key, int flags, struct keyref *ref,
                        struct entry **e)
{
    return arg_lookup_or_reply(c, key, ENTRY_TYPE_ZSET, flags, ref, e);
}

/* Puts a changed sorted set back, or deletes the key when it emptied. */
static void zset__put_back(struct client *c, struct keyref *ref, struct entry *e, int had_expire,
                           const char *event, const struct arg *key)
{
    arg_put_back(c, ref, e, had_expire, zset_len(e) == 0, NOTIFY_ZSET, event, key);
}

static int zset__float_or_reply(struct client *c, const struct arg *a, double *out, const char *err)
{
    if (util_str2d(a->ptr, a->len, out)) return 0;
    reply_error(c, err ? err : REPLY_ERR_NOT_FLOAT);
    return -1;
}

/* ---- parsing ranges ---- */

/* One end of a score interval as Redis's zslParseRange reads it: strtod
 * over the whole argument, so "" is 0 and leading spaces are allowed. */
static int zset__parse_bound(const struct arg *a, double *v, int *ex)
{
    char stack[128], *buf = a->len < sizeof(stack) ? stack : mem_alloc(a->len + 1), *end;
    memcpy(buf, a->ptr, a->len);
    buf[a->len] = '\0';
    const char *s = buf;
    *ex = s[0] == '(';
    if (*ex) s++;
    *v = strtod(s, &end);
    int ok = end[0] == '\0' && !isnan(*v);
    if (buf != stack) mem_free(buf);
    return ok;
}

static int zset__score_range(const struct arg *min, const struct arg *max,
                             struct zset_score_range *r)
{
    return zset__parse_bound(min, &r->min, &r->minex) && zset__parse_bound(max, &r->max, &r->maxex);
}

static int zset__lex_bound(const struct arg *a, struct zset_lex_bound *b)
{
    if (a->len == 0) return 0;
    b->s = a->ptr + 1;
    b->len = a->len - 1;
    switch (a->ptr[0]) {
    case '+': b->kind = ZSET_LEX_PLUS; return a->len == 1;
    case '-': b->kind = ZSET_LEX_MINUS; return a->len == 1;
    case '(': b->kind = ZSET_LEX_EXCL; return 1;
    case '[': b->kind = ZSET_LEX_INCL; return 1;
    default: return 0;
    }
}

static int zset__lex_range(const struct arg *min, const struct arg *max, struct zset_lex_range *r)
{
    return zset__lex_bound(min, &r->min) && zset__lex_bound(max, &r->max);
}

/* ---- replies ---- */

struct zset__out {
    struct client *c;
    int withscores, nested;
};

static void zset__reply_pair(const char *m, size_t mlen, double score, void *arg)
{
    struct zset__out *o = arg;
    if (o->nested) reply_array(o->c, 2);
    reply_bulk(o->c, m, mlen);
    if (o->withscores) reply_double(o->c, score);
}

/* The array header for n members, with scores as RESP2 (flat) or RESP3
 * (a pair each) wants them. */
static struct zset__out zset__reply_header(struct client *c, size_t n, int withscores)
{
    struct zset__out o = {c, withscores, withscores && c->resp >= 3};
    reply_array(c, withscores && c->resp < 3 ? 2 * n : n);
    return o;
}

/* Members copied out of a container (a command's result being built from
 * values that may change or go before it is stored). */
struct zset__item {
    size_t off, len, seq;
    double score;
};

struct zset__items {
    struct zset__item *v;
    size_t n, cap;
    char *text;
    size_t tlen, tcap;
    size_t maxlen; /* the longest member */
};

static void zset__collect(const char *m, size_t mlen, double score, void *arg)
{
    struct zset__items *it = arg;
    if (it->n == it->cap) {
        it->cap = it->cap ? it->cap * 2 : 32;
        it->v = mem_realloc(it->v, it->cap * sizeof(*it->v));
    }
    if (it->tlen + mlen > it->tcap) {
        it->tcap = (it->tlen + mlen) * 2 + 64;
        it->text = mem_realloc(it->text, it->tcap);
    }
    if (mlen) memcpy(it->text + it->tlen, m, mlen);
    it->v[it->n] = (struct zset__item){it->tlen, mlen, it->n, score};
    it->n++;
    it->tlen += mlen;
    if (mlen > it->maxlen) it->maxlen = mlen;
}

static void zset__items_free(struct zset__items *it)
{
    mem_free(it->v);
    mem_free(it->text);
}

/* Stores the items (in order) as the sorted set dst, or deletes dst when
 * there are none; replies the count. */
static void zset__store(struct client *c, const struct arg *dst, struct zset__items *it,
                        size_t size_hint, size_t len_hint, const char *event)
{
    struct keyref ref;
    struct entry *old = db_lookup(c->db, dst->ptr, dst->len, DB_LOOKUP_NOTOUCH, &ref);
    if (it->n == 0) {
        reply_long(c, 0);
        if (old) {
            db_remove(&ref);
            cmd_notify(c, NOTIFY_GENERIC, "del", dst);
        }
        return;
    }
    struct entry *e = zset_new(dst->ptr, dst->len, size_hint, len_hint, -1);
    for (size_t i = 0; i < it->n; i++) {
        double ns;
        zset_add(&e, it->v[i].score, it->text + it->v[i].off, it->v[i].len, 0, &ns);
    }
    long long n = (long long)zset_len(e);
    db_store(&ref, e);
    reply_long(c, n);
    cmd_notify(c, NOTIFY_ZSET, event, dst);
}

/* ---- ZADD, ZINCRBY ---- */

static void zset__add(struct client *c, int in)
{
    const struct arg *key = &c->argv[1];
    size_t at = 2;
    int ch = 0;
    for (; at < c->argc; at++) {
        const struct arg *a = &c->argv[at];
        if (arg_is(a, "nx"))
            in |= ZSET_IN_NX;
        else if (arg_is(a, "xx"))
            in |= ZSET_IN_XX;
        else if (arg_is(a, "ch"))
            ch = 1;
        else if (arg_is(a, "incr"))
            in |= ZSET_IN_INCR;
        else if (arg_is(a, "gt"))
            in |= ZSET_IN_GT;
        else if (arg_is(a, "lt"))
            in |= ZSET_IN_LT;
        else
            break;
    }
    int incr = in & ZSET_IN_INCR, nx = in & ZSET_IN_NX, gt = in & ZSET_IN_GT, lt = in & ZSET_IN_LT;
    size_t elements = c->argc - at;
    if (elements % 2 || elements == 0) {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    elements /= 2;
    if (nx && (in & ZSET_IN_XX)) {
        reply_error(c, ZSET_ERR_NX_XX);
        return;
    }
    if ((gt && nx) || (lt && nx) || (gt && lt)) {
        reply_error(c, ZSET_ERR_GT_LT);
        return;
    }
    if (incr && elements > 1) {
        reply_error(c, ZSET_ERR_INCR);
        return;
    }
    /* Every score is checked before anything changes. */
    double one, *scores = elements == 1 ? &one : mem_alloc(elements * sizeof(double));
    for (size_t j = 0; j < elements; j++)
        if (zset__float_or_reply(c, &c->argv[at + 2 * j], &scores[j], NULL) != 0) goto done;

    struct keyref ref;
    struct entry *e;
    if (zset__lookup(c, key, DB_LOOKUP_WRITE, &ref, &e) != 0) goto done;
    long long added = 0, updated = 0, processed = 0;
    double score = 0;
    if (e == NULL && (in & ZSET_IN_XX)) goto reply;
    int created = e == NULL, had = e && (e->flags & ENTRY_HAS_EXPIRE), failed = 0;
    if (created)
        e = zset_new(key->ptr, key->len, elements, c->argv[at + 1].len, -1);
    else
        zset_prepare(&e, elements);
    for (size_t j = 0; j < elements; j++) {
        const struct arg *m = &c->argv[at + 2 * j + 1];
        double ns = 0;
        int out = zset_add(&e, scores[j], m->ptr, m->len, in, &ns);
        if (out & ZSET_OUT_NAN) {
            failed = 1;
            break;
        }
        if (out & ZSET_OUT_ADDED) added++;
        if (out & ZSET_OUT_UPDATED) updated++;
        if (!(out & ZSET_OUT_NOP)) {
            processed++;
            score = ns;
        }
    }
    if (created) {
        if (zset_len(e))
            db_store(&ref, e);
        else
            entry_destroy(e);
    } else if (added || updated) {
        db_relink(&ref, e, had);
    } else {
        db_relocate(&ref, e);
    }
    if (added || updated) cmd_notify(c, NOTIFY_ZSET, incr ? "zincr" : "zadd", key);
    if (failed) {
        reply_error(c, ZSET_ERR_NAN);
        goto done;
    }
reply:
    if (!incr)
        reply_long(c, ch ? added + updated : added);
    else if (processed)
        reply_double(c, score);
    else
        reply_null(c);
done:
    if (scores != &one) mem_free(scores);
}

void cmd_zadd(struct client *c)
{
    zset__add(c, 0);
}

void cmd_zincrby(struct client *c)
{
    zset__add(c, ZSET_IN_INCR);
}

/* ---- single members ---- */

void cmd_zrem(struct client *c)
{
    const struct arg *key = &c->argv[1];
    struct keyref ref;
    struct entry *e;
    if (zset__lookup(c, key, DB_LOOKUP_WRITE, &ref, &e) != 0) return;
    if (e == NULL) {
        reply_long(c, 0);
        return;
    }
    int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    long long deleted = 0;
    for (size_t j = 2; j < c->argc && zset_len(e) > 0; j++)
        deleted += zset_remove(&e, c->argv[j].ptr, c->argv[j].len);
    if (deleted)
        zset__put_back(c, &ref, e, had, "zrem", key);
    else
        db_relocate(&ref, e);
    reply_long(c, deleted);
}

void cmd_zcard(struct client *c)
{
    struct entry *e;
    if (zset__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    reply_long(c, e ? (long long)zset_len(e) : 0);
}

void cmd_zscore(struct client *c)
{
    struct entry *e;
    double s;
    if (zset__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    if (e && zset_score(e, c->argv[2].ptr, c->argv[2].len, &s))
        reply_double(c, s);
    else
        reply_null(c);
}

void cmd_zmscore(struct client *c)
{
    struct entry *e;
    if (zset__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    reply_array(c, c->argc - 2);
    for (size_t j = 2; j < c->argc; j++) {
        double s;
        if (e && zset_score(e, c->argv[j].ptr, c->argv[j].len, &s))
            reply_double(c, s);
        else
            reply_null(c);
    }
}

/* ZRANK, ZREVRANK key member [WITHSCORE]. */
static void zset__rank(struct client *c, int rev)
{
    int withscore = 0;
    if (c->argc > 4) {
        reply_error_arity(c, c->cmd->fullname);
        return;
    }
    if (c->argc == 4) {
        if (!arg_is(&c->argv[3], "withscore")) {
            reply_error(c, REPLY_ERR_SYNTAX);
            return;
        }
        withscore = 1;
    }
    struct entry *e;
    if (zset__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    double s = 0;
    long long r = e ? zset_rank(e, c->argv[2].ptr, c->argv[2].len, &s) : -1;
    if (r < 0) {
        if (withscore)
            reply_null_array(c);
        else
            reply_null(c);
        return;
    }
    if (rev) r = (long long)zset_len(e) - 1 - r;
    if (withscore) {
        reply_array(c, 2);
        reply_long(c, r);
        reply_double(c, s);
    } else {
        reply_long(c, r);
    }
}

void cmd_zrank(struct client *c)
{
    zset__rank(c, 0);
}

void cmd_zrevrank(struct client *c)
{
    zset__rank(c, 1);
}

void cmd_zcount(struct client *c)
{
    struct zset_score_range r;
    if (!zset__score_range(&c->argv[2], &c->argv[3], &r)) {
        reply_error(c, ZSET_ERR_RANGE);
        return;
    }
    struct entry *e;
    if (zset__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    size_t lo = 0, hi = 0;
    if (e) zset_score_span(e, &r, &lo, &hi);
    reply_long(c, hi > lo ? (long long)(hi - lo) : 0);
}

void cmd_zlexcount(struct client *c)
{
    struct zset_lex_range r;
    if (!zset__lex_range(&c->argv[2], &c->argv[3], &r)) {
        reply_error(c, ZSET_ERR_LEX);
        return;
    }
    struct entry *e;
    if (zset__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    size_t lo = 0, hi = 0;
    if (e) zset_lex_span(e, &r, &lo, &hi);
    reply_long(c, hi > lo ? (long long)(hi - lo) : 0);
}

/* ---- the range family ---- */

enum zset_by { ZSET_BY_AUTO, ZSET_BY_RANK, ZSET_BY_SCORE, ZSET_BY_LEX };
enum zset_dir { ZSET_DIR_AUTO, ZSET_DIR_FORWARD, ZSET_DIR_REVERSE };

/* Redis's zrangeGenericCommand: the key at argv[at], the range after it,
 * then the options; dst for ZRANGESTORE. by and dir are fixed by the
 * older commands (ZRANGEBYSCORE...) and chosen by options otherwise. */
static void zset__range(struct client *c, size_t at, const struct arg *dst, enum zset_by by,
                        enum zset_dir dir)
{
    const struct arg *key = &c->argv[at];
    size_t minidx = at + 1, maxidx = at + 2;
    long long offset = 0, limit = -1;
    int withscores = 0;
    for (size_t j = at + 3; j < c->argc; j++) {
        const struct arg *a = &c->argv[j];
        size_t left = c->argc - j - 1;
        if (!dst && arg_is(a, "withscores")) {
            withscores = 1;
        } else if (arg_is(a, "limit") && left >= 2) {
            if (arg_ll_or_reply(c, &c->argv[j + 1], &offset, NULL) != 0 ||
                arg_ll_or_reply(c, &c->argv[j + 2], &limit, NULL) != 0)
                return;
            j += 2;
        } else if (dir == ZSET_DIR_AUTO && arg_is(a, "rev")) {
            dir = ZSET_DIR_REVERSE;
        } else if (by == ZSET_BY_AUTO && arg_is(a, "bylex")) {
            by = ZSET_BY_LEX;
        } else if (by == ZSET_BY_AUTO && arg_is(a, "byscore")) {
            by = ZSET_BY_SCORE;
        } else {
            reply_error(c, REPLY_ERR_SYNTAX);
            return;
        }
    }
    if (dir == ZSET_DIR_AUTO) dir = ZSET_DIR_FORWARD;
    if (by == ZSET_BY_AUTO) by = ZSET_BY_RANK;
    int rev = dir == ZSET_DIR_REVERSE;
    if (limit != -1 && by == ZSET_BY_RANK) {
        reply_error(c, ZSET_ERR_LIMIT);
        return;
    }
    if (withscores && by == ZSET_BY_LEX) {
        reply_error(c, ZSET_ERR_BYLEX);
        return;
    }
    if (rev && by != ZSET_BY_RANK) { /* the range is given as max, min */
        size_t t = minidx;
        minidx = maxidx;
        maxidx = t;
    }
    long long start = 0, stop = 0;
    struct zset_score_range sr;
    struct zset_lex_range lr;
    if (by == ZSET_BY_RANK) {
        if (arg_ll_or_reply(c, &c->argv[minidx], &start, NULL) != 0 ||
            arg_ll_or_reply(c, &c->argv[maxidx], &stop, NULL) != 0)
            return;
    } else if (by == ZSET_BY_SCORE) {
        if (!zset__score_range(&c->argv[minidx], &c->argv[maxidx], &sr)) {
            reply_error(c, ZSET_ERR_RANGE);
            return;
        }
    } else if (!zset__lex_range(&c->argv[minidx], &c->argv[maxidx], &lr)) {
        reply_error(c, ZSET_ERR_LEX);
        return;
    }

    struct entry *e;
    if (zset__lookup(c, key, DB_LOOKUP_READ, NULL, &e) != 0) return;
    /* The ranks [from, from + n) in the set's order. */
    size_t from = 0, n = 0;
    if (e && by == ZSET_BY_RANK) {
        size_t a, b, len = zset_len(e);
        if (arg_rank_range(start, stop, len, &a, &b)) {
            from = rev ? len - 1 - b : a;
            n = b - a + 1;
        }
    } else if (e) {
        size_t lo, hi;
        if (by == ZSET_BY_SCORE)
            zset_score_span(e, &sr, &lo, &hi);
        else
            zset_lex_span(e, &lr, &lo, &hi);
        size_t avail = hi > lo ? hi - lo : 0;
        if (offset < 0 || (unsigned long long)offset >= avail) {
            avail = 0;
        } else {
            avail -= (size_t)offset;
            if (limit >= 0 && (unsigned long long)limit < avail) avail = (size_t)limit;
        }
        n = avail;
        from = rev ? hi - (size_t)offset - n : lo + (size_t)offset;
    }
    if (dst) {
        struct zset__items it = {0};
        if (n) zset_range(e, from, from + n - 1, rev, zset__collect, &it);
        zset__store(c, dst, &it, by == ZSET_BY_RANK ? n : 0, 0, "zrangestore");
        zset__items_free(&it);
        return;
    }
    struct zset__out o = zset__reply_header(c, n, withscores);
    if (n) zset_range(e, from, from + n - 1, rev, zset__reply_pair, &o);
}

void cmd_zrange(struct client *c)
{
    zset__range(c, 1, NULL, ZSET_BY_AUTO, ZSET_DIR_AUTO);
}

void cmd_zrangestore(struct client *c)
{
    zset__range(c, 2, &c->argv[1], ZSET_BY_AUTO, ZSET_DIR_AUTO);
}

void cmd_zrevrange(struct client *c)
{
    zset__range(c, 1, NULL, ZSET_BY_RANK, ZSET_DIR_REVERSE);
}

void cmd_zrangebyscore(struct client *c)
{
    zset__range(c, 1, NULL, ZSET_BY_SCORE, ZSET_DIR_FORWARD);
}

void cmd_zrevrangebyscore(struct client *c)
{
    zset__range(c, 1, NULL, ZSET_BY_SCORE, ZSET_DIR_REVERSE);
}

void cmd_zrangebylex(struct client *c)
{
    zset__range(c, 1, NULL, ZSET_BY_LEX, ZSET_DIR_FORWARD);
}

void cmd_zrevrangebylex(struct client *c)
{
    zset__range(c, 1, NULL, ZSET_BY_LEX, ZSET_DIR_REVERSE);
}

/* ---- removal by range ---- */

static void zset__remrange(struct client *c, enum zset_by by)
{
    const struct arg *key = &c->argv[1];
    long long start = 0, stop = 0;
    struct zset_score_range sr;
    struct zset_lex_range lr;
    if (by == ZSET_BY_RANK) {
        if (arg_ll_or_reply(c, &c->argv[2], &start, NULL) != 0 ||
            arg_ll_or_reply(c, &c->argv[3], &stop, NULL) != 0)
            return;
    } else if (by == ZSET_BY_SCORE) {
        if (!zset__score_range(&c->argv[2], &c->argv[3], &sr)) {
            reply_error(c, ZSET_ERR_RANGE);
            return;
        }
    } else if (!zset__lex_range(&c->argv[2], &c->argv[3], &lr)) {
        reply_error(c, ZSET_ERR_LEX);
        return;
    }
    struct keyref ref;
    struct entry *e;
    if (zset__lookup(c, key, DB_LOOKUP_WRITE, &ref, &e) != 0) return;
    if (e == NULL) {
        reply_long(c, 0);
        return;
    }
    size_t lo = 0, hi = 0, len = zset_len(e);
    if (by == ZSET_BY_RANK) {
        size_t a, b;
        if (arg_rank_range(start, stop, len, &a, &b)) {
            lo = a;
            hi = b + 1;
        }
    } else if (by == ZSET_BY_SCORE) {
        zset_score_span(e, &sr, &lo, &hi);
    } else {
        zset_lex_span(e, &lr, &lo, &hi);
    }
    if (hi <= lo) {
        reply_long(c, 0);
        return;
    }
    static const char *const events[] = {NULL, "zremrangebyrank", "zremrangebyscore",
                                         "zremrangebylex"};
    int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    /* Removing everything deletes the key (its value freed lazily when
     * big) without emptying the set first. */
    if (hi - lo < len) zset_delete_range(&e, lo, hi - 1);
    arg_put_back(c, &ref, e, had, hi - lo == len, NOTIFY_ZSET, events[by], key);
    reply_long(c, (long long)(hi - lo));
}

void cmd_zremrangebyrank(struct client *c)
{
    zset__remrange(c, ZSET_BY_RANK);
}

void cmd_zremrangebyscore(struct client *c)
{
    zset__remrange(c, ZSET_BY_SCORE);
}

void cmd_zremrangebylex(struct client *c)
{
    zset__remrange(c, ZSET_BY_LEX);
}

/* ---- pops ---- */

#define ZSET_MIN 0
#define ZSET_MAX 1

/* Redis's genericZpopCommand: pops up to count (-1: one, plainly) from
 * the first of the keys holding a sorted set. with_key: the key first,
 * then with nested ZMPOP's [key, [[member, score] ...]], without it
 * BZPOPMIN's [key, member, score]; nested alone: a pair per member. */
static void zset__pop(struct client *c, const struct arg *keys, size_t nkeys, int where,
                      long long count, int with_key, int nested, int nil_when_empty)
{
    struct keyref ref;
    struct entry *e = NULL;
    const struct arg *key = NULL;
    for (size_t i = 0; i < nkeys && e == NULL; i++) {
        key = &keys[i];
        if (zset__lookup(c, key, DB_LOOKUP_WRITE, &ref, &e) != 0) return;
    }
    if (e == NULL) {
        if (nil_when_empty)
            reply_null_array(c);
        else
            reply_empty_array(c);
        return;
    }
    if (count == 0) {
        reply_empty_array(c);
        return;
    }
    if (count == -1) count = 1;
    size_t len = zset_len(e), n = (unsigned long long)count > len ? len : (size_t)count;
    if (with_key && nested) { /* ZMPOP, BZMPOP */
        reply_array(c, 2);
        reply_bulk(c, key->ptr, key->len);
        reply_array(c, n);
    } else if (with_key) { /* BZPOPMIN, BZPOPMAX */
        reply_array(c, 2 * n + 1);
        reply_bulk(c, key->ptr, key->len);
    } else {
        reply_array(c, nested ? n : 2 * n);
    }
    struct zset__out o = {c, 1, nested};
    int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    if (where == ZSET_MIN) {
        zset_range(e, 0, n - 1, 0, zset__reply_pair, &o);
        if (n < len) zset_delete_range(&e, 0, n - 1);
    } else {
        zset_range(e, len - n, len - 1, 1, zset__reply_pair, &o);
        if (n < len) zset_delete_range(&e, len - n, len - 1);
    }
    arg_put_back(c, &ref, e, had, n == len, NOTIFY_ZSET, where == ZSET_MIN ? "zpopmin" : "zpopmax",
                 key);
}

/* ZPOPMIN, ZPOPMAX key [count]. */
static void zset__popminmax(struct client *c, int where)
{
    long long count = -1;
    if (c->argc > 3) {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    if (c->argc == 3) {
        if (arg_ll_or_reply(c, &c->argv[2], &count, REPLY_ERR_POSITIVE) != 0) return;
        if (count < 0) {
            reply_error(c, REPLY_ERR_POSITIVE);
            return;
        }
    }
    zset__pop(c, &c->argv[1], 1, where, count, 0, c->resp >= 3 && count != -1, 0);
}

void cmd_zpopmin(struct client *c)
{
    zset__popminmax(c, ZSET_MIN);
}

void cmd_zpopmax(struct client *c)
{
    zset__popminmax(c, ZSET_MAX);
}

/* ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]. */
void cmd_zmpop(struct client *c)
{
    size_t nkeys;
    int max;
    long long count;
    if (arg_mpop_or_reply(c, 1, "min", "max", &nkeys, &max, &count) != 0) return;
    zset__pop(c, &c->argv[2], nkeys, max ? ZSET_MAX : ZSET_MIN, count, 1, 1, 1);
}

/* ---- blocking pops ---- */

/* Redis's blockingGenericZpopCommand: pops from the first of the nkeys
 * keys holding a sorted set; with none, waits for one (or replies as a
 * timeout inside MULTI and scripts). count -1: BZPOPMIN's one member. */
static void zset__bpop(struct client *c, const struct arg *keys, size_t nkeys, int where,
                       const struct arg *timeout, long long count)
{
    long long deadline;
    if (arg_block_timeout_or_reply(c, timeout, &deadline) != 0) return;
    for (size_t j = 0; j < nkeys; j++) {
        struct keyref ref;
        struct entry *e;
        if (zset__lookup(c, &keys[j], DB_LOOKUP_WRITE, &ref, &e) != 0) return;
        if (e == NULL) continue;
        zset__pop(c, &keys[j], 1, where, count, 1, count != -1, 0);
        return;
    }
    if (!call_may_block(c)) {
        reply_null_array(c);
        return;
    }
    blocking_wait(c, keys, nkeys, ENTRY_TYPE_ZSET, deadline);
}

void cmd_bzpopmin(struct client *c)
{
    zset__bpop(c, &c->argv[1], c->argc - 2, ZSET_MIN, &c->argv[c->argc - 1], -1);
}

void cmd_bzpopmax(struct client *c)
{
    zset__bpop(c, &c->argv[1], c->argc - 2, ZSET_MAX, &c->argv[c->argc - 1], -1);
}

/* BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]. */
void cmd_bzmpop(struct client *c)
{
    size_t nkeys;
    int max;
    long long count;
    if (arg_mpop_or_reply(c, 2, "min", "max", &nkeys, &max, &count) != 0) return;
    zset__bpop(c, &c->argv[3], nkeys, max ? ZSET_MAX : ZSET_MIN, &c->argv[1], count);
}

/* ---- random members, scan ---- */

/* ZRANDMEMBER key [count [WITHSCORES]]. */
void cmd_zrandmember(struct client *c)
{
    struct entry *e;
    if (c->argc == 2) {
        if (zset__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
        if (e == NULL) {
            reply_null(c);
            return;
        }
        struct zset__out o = {c, 0, 0};
        zset_random(e, 1, 0, zset__reply_pair, &o);
        return;
    }
    long long l;
    if (arg_ll_or_reply(c, &c->argv[2], &l, NULL) != 0) return;
    if (l < -LLONG_MAX) {
        reply_error(c, REPLY_ERR_LONG_RANGE);
        return;
    }
    int withscores = 0;
    if (c->argc > 4 || (c->argc == 4 && !arg_is(&c->argv[3], "withscores"))) {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    if (c->argc == 4) {
        withscores = 1;
        if (l < -LLONG_MAX / 2 || l > LLONG_MAX / 2) {
            reply_error(c, REPLY_ERR_OUT_OF_RANGE);
            return;
        }
    }
    if (zset__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    if (e == NULL || l == 0) {
        reply_empty_array(c);
        return;
    }
    int distinct = l > 0;
    unsigned long long want = distinct ? (unsigned long long)l : (unsigned long long)(-l);
    size_t len = zset_len(e);
    size_t n = distinct && want > len ? len : (size_t)want;
    struct zset__out o = zset__reply_header(c, n, withscores);
    zset_random(e, n, distinct, zset__reply_pair, &o);
}

struct zset__scan {
    const struct arg *pattern;
    struct zset__items found;
};

static void zset__scan_visit(const char *m, size_t mlen, double score, void *arg)
{
    struct zset__scan *zs = arg;
    if (zs->pattern && !util_glob_match(zs->pattern->ptr, zs->pattern->len, m, mlen, 0)) return;
    zset__collect(m, mlen, score, &zs->found);
}

/* ZSCAN key cursor [MATCH pattern] [COUNT count]: scores as bulk
 * strings, as Redis sends them in RESP2 and RESP3 alike. */
void cmd_zscan(struct client *c)
{
    unsigned long long cursor;
    if (arg_cursor_or_reply(c, &c->argv[2], &cursor) != 0) return;
    struct entry *e;
    if (zset__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    if (e == NULL) {
        reply_array(c, 2);
        reply_bulk(c, "0", 1);
        reply_empty_array(c);
        return;
    }
    struct arg_scan o;
    if (arg_scan_or_reply(c, 3, ARG_SCAN_MEMBERS, &o) != 0) return;
    struct zset__scan zs = {o.pattern, {0}};
    cursor = zset_scan(e, cursor, (uint64_t)o.count, zset__scan_visit, &zs);
    reply_array(c, 2);
    reply_bulk_long(c, (long long)cursor);
    reply_array(c, 2 * zs.found.n);
    for (size_t i = 0; i < zs.found.n; i++) {
        char buf[32];
        reply_bulk(c, zs.found.text + zs.found.v[i].off, zs.found.v[i].len);
        reply_bulk(c, buf, (size_t)util_d2str(buf, sizeof(buf), zs.found.v[i].score));
    }
    zset__items_free(&zs.found);
}

/* ---- ZUNION, ZINTER, ZDIFF and their STORE forms, ZINTERCARD ---- */

enum zset_op { ZSET_OP_UNION, ZSET_OP_INTER, ZSET_OP_DIFF, ZSET_OP_CARD };
enum zset_agg { ZSET_AGG_SUM, ZSET_AGG_MIN, ZSET_AGG_MAX };

/* An input: a sorted set, a plain set (every member scores 1), or a
 * missing key (empty). */
struct zset__src {
    struct entry *e;
    double weight;
    size_t len;
};

static int zset__src_find(const struct zset__src *s, const char *m, size_t mlen, double *score)
{
    if (s->e == NULL) return 0;
    if (entry_type(s->e) == ENTRY_TYPE_SET) {
        *score = 1.0;
        return set_contains(s->e, m, mlen);
    }
    return zset_score(s->e, m, mlen, score);
}

static void zset__aggregate(double *target, double v, enum zset_agg agg)
{
    if (agg == ZSET_AGG_SUM) {
        *target += v;
        /* inf + -inf: Redis keeps 0 rather than NaN. */
        if (isnan(*target)) *target = 0.0;
    } else if (agg == ZSET_AGG_MIN) {
        *target = v < *target ? v : *target;
    } else {
        *target = v > *target ? v : *target;
    }
}

static double zset__weighted(double score, double weight)
{
    double v = score * weight;
    return isnan(v) ? 0.0 : v; /* inf * 0 */
}

/* Every member of one input, with its score (1 for a set's). */
struct zset__set_visit {
    zset_visit_fn *fn;
    void *arg;
};

static void zset__set_member(const char *m, size_t mlen, void *arg)
{
    struct zset__set_visit *sv = arg;
    sv->fn(m, mlen, 1.0, sv->arg);
}

static void zset__src_each(const struct zset__src *s, zset_visit_fn *fn, void *arg)
{
    if (s->e == NULL || s->len == 0) return;
    if (entry_type(s->e) == ENTRY_TYPE_SET) {
        struct zset__set_visit sv = {fn, arg};
        set_each(s->e, zset__set_member, &sv);
    } else {
        zset_range(s->e, 0, s->len - 1, 0, fn, arg);
    }
}

/* The state of one operation while the first (or smallest) input is
 * walked. */
struct zset__op {
    enum zset_op op;
    enum zset_agg agg;
    struct zset__src *src;
    size_t nsrc;
    long long limit, found; /* ZINTERCARD */
    struct zset__items *out;
    size_t tag; /* UNION: the input being walked */
};

static void zset__inter_member(const char *m, size_t mlen, double score, void *arg)
{
    struct zset__op *op = arg;
    if (op->limit && op->found >= op->limit) return;
    double acc = zset__weighted(score, op->src[0].weight);
    for (size_t j = 1; j < op->nsrc; j++) {
        double v;
        if (op->src[j].e == op->src[0].e) {
            v = score;
        } else if (!zset__src_find(&op->src[j], m, mlen, &v)) {
            return;
        }
        zset__aggregate(&acc, zset__weighted(v, op->src[j].weight), op->agg);
    }
    op->found++;
    if (op->out) zset__collect(m, mlen, acc, op->out);
}

static void zset__diff_member(const char *m, size_t mlen, double score, void *arg)
{
    struct zset__op *op = arg;
    double v;
    for (size_t j = 1; j < op->nsrc; j++)
        if (zset__src_find(&op->src[j], m, mlen, &v)) return;
    zset__collect(m, mlen, score, op->out);
}

static void zset__union_member(const char *m, size_t mlen, double score, void *arg)
{
    struct zset__op *op = arg;
    zset__collect(m, mlen, zset__weighted(score, op->src[op->tag].weight), op->out);
}

static const char *zset__sort_text;

/* Union items by member, then in the order they were gathered (input
 * order). */
static int zset__by_member(const void *a, const void *b)
{
    const struct zset__item *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = n ? memcmp(zset__sort_text + x->off, zset__sort_text + y->off, n) : 0;
    if (c) return c;
    if (x->len != y->len) return x->len < y->len ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int zset__by_score(const void *a, const void *b)
{
    const struct zset__item *x = a, *y = b;
    if (x->score < y->score) return -1;
    if (x->score > y->score) return 1;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = n ? memcmp(zset__sort_text + x->off, zset__sort_text + y->off, n) : 0;
    if (c) return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

static int zset__by_size(const void *a, const void *b)
{
    const struct zset__src *x = a, *y = b;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* Union: every input's members gathered in input order, sorted by member
 * (ties by gathering order, so scores aggregate in input order as Redis
 * adds them), folded into one item per member. */
static void zset__union(struct zset__op *op)
{
    struct zset__items *all = op->out;
    for (op->tag = 0; op->tag < op->nsrc; op->tag++)
        zset__src_each(&op->src[op->tag], zset__union_member, op);
    zset__sort_text = all->text;
    if (all->n) qsort(all->v, all->n, sizeof(all->v[0]), zset__by_member);
    size_t w = 0;
    for (size_t i = 0; i < all->n; i++) {
        struct zset__item *prev = w ? &all->v[w - 1] : NULL, *cur = &all->v[i];
        if (prev && prev->len == cur->len &&
            memcmp(all->text + prev->off, all->text + cur->off, cur->len) == 0) {
            zset__aggregate(&prev->score, cur->score, op->agg);
            continue;
        }
        all->v[w++] = *cur;
    }
    all->n = w;
}

/* Redis's zunionInterDiffGenericCommand: numkeys at argv[at], the keys,
 * then WEIGHTS, AGGREGATE, WITHSCORES (not with dst) or LIMIT
 * (ZINTERCARD). */
static void zset__setop(struct client *c, size_t at, const struct arg *dst, enum zset_op kind)
{
    long long setnum;
    if (arg_ll_or_reply(c, &c->argv[at], &setnum, NULL) != 0) return;
    if (setnum < 1) {
        reply_errorf(c, ZSET_ERR_INPUT_FMT, c->cmd->fullname);
        return;
    }
    if (setnum > (long long)(c->argc - at - 1)) {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    size_t n = (size_t)setnum, j = at + 1;
    struct zset__src *src = mem_calloc(n * sizeof(*src));
    for (size_t i = 0; i < n; i++, j++) {
        struct entry *e = db_lookup(c->db, c->argv[j].ptr, c->argv[j].len,
                                    dst ? DB_LOOKUP_WRITE : DB_LOOKUP_READ, NULL);
        if (e && entry_type(e) != ENTRY_TYPE_ZSET && entry_type(e) != ENTRY_TYPE_SET) {
            reply_error(c, REPLY_ERR_WRONGTYPE);
            goto done;
        }
        src[i].e = e;
        src[i].weight = 1.0;
        src[i].len = e == NULL ? 0 : entry_type(e) == ENTRY_TYPE_SET ? set_len(e) : zset_len(e);
    }
    enum zset_agg agg = ZSET_AGG_SUM;
    int withscores = 0, card = kind == ZSET_OP_CARD;
    long long limit = 0;
    while (j < c->argc) {
        const struct arg *a = &c->argv[j];
        size_t remaining = c->argc - j;
        if (kind != ZSET_OP_DIFF && !card && remaining >= n + 1 && arg_is(a, "weights")) {
            j++;
            for (size_t i = 0; i < n; i++, j++)
                if (zset__float_or_reply(c, &c->argv[j], &src[i].weight, ZSET_ERR_WEIGHT) != 0)
                    goto done;
        } else if (kind != ZSET_OP_DIFF && !card && remaining >= 2 && arg_is(a, "aggregate")) {
            const struct arg *v = &c->argv[j + 1];
            if (arg_is(v, "sum")) {
                agg = ZSET_AGG_SUM;
            } else if (arg_is(v, "min")) {
                agg = ZSET_AGG_MIN;
            } else if (arg_is(v, "max")) {
                agg = ZSET_AGG_MAX;
            } else {
                reply_error(c, REPLY_ERR_SYNTAX);
                goto done;
            }
            j += 2;
        } else if (!dst && !card && arg_is(a, "withscores")) {
            withscores = 1;
            j++;
        } else if (card && remaining >= 2 && arg_is(a, "limit")) {
            if (arg_ll_or_reply(c, &c->argv[j + 1], &limit, REPLY_ERR_LIMIT_NEGATIVE) != 0)
                goto done;
            if (limit < 0) {
                reply_error(c, REPLY_ERR_LIMIT_NEGATIVE);
                goto done;
            }
            j += 2;
        } else {
            reply_error(c, REPLY_ERR_SYNTAX);
            goto done;
        }
    }

    struct zset__items out = {0};
    struct zset__op op = {kind, agg, src, n, card ? limit : 0, 0, card ? NULL : &out, 0};
    if (kind == ZSET_OP_UNION) {
        zset__union(&op);
    } else if (kind == ZSET_OP_DIFF) {
        zset__src_each(&src[0], zset__diff_member, &op);
    } else {
        /* Walk the smallest input, look the others up (Redis's order, so
         * scores aggregate in the same sequence). */
        qsort(src, n, sizeof(*src), zset__by_size);
        zset__src_each(&src[0], zset__inter_member, &op);
    }
    if (card) {
        reply_long(c, op.found);
        goto done;
    }
    /* Results in (score, member) order: for the reply, and so a store
     * appends. */
    zset__sort_text = out.text;
    if (out.n) qsort(out.v, out.n, sizeof(out.v[0]), zset__by_score);
    if (dst) {
        static const char *const events[] = {"zunionstore", "zinterstore", "zdiffstore"};
        zset__store(c, dst, &out, out.n, out.maxlen, events[kind]);
    } else {
        struct zset__out o = zset__reply_header(c, out.n, withscores);
        for (size_t i = 0; i < out.n; i++)
            zset__reply_pair(out.text + out.v[i].off, out.v[i].len, out.v[i].score, &o);
    }
    zset__items_free(&out);
done:
    mem_free(src);
}

void cmd_zunion(struct client *c)
{
    zset__setop(c, 1, NULL, ZSET_OP_UNION);
}

void cmd_zinter(struct client *c)
{
    zset__setop(c, 1, NULL, ZSET_OP_INTER);
}

void cmd_zdiff(struct client *c)
{
    zset__setop(c, 1, NULL, ZSET_OP_DIFF);
}

void cmd_zunionstore(struct client *c)
{
    zset__setop(c, 2, &c->argv[1], ZSET_OP_UNION);
}

void cmd_zinterstore(struct client *c)
{
    zset__setop(c, 2, &c->argv[1], ZSET_OP_INTER);
}

void cmd_zdiffstore(struct client *c)
{
    zset__setop(c, 2, &c->argv[1], ZSET_OP_DIFF);
}

void cmd_zintercard(struct client *c)
{
    zset__setop(c, 1, NULL, ZSET_OP_CARD);
}

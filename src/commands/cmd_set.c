/* cmd_set.c - set commands: SADD and friends, random members, SMOVE, the
 * multi-key algebra (SINTER, SUNION, SDIFF and their STORE forms,
 * SINTERCARD) and SSCAN. The encodings are storage/set.c's. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

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
#include "storage/set.h"

/* Looks key up as a set: -1 after WRONGTYPE, else 0 with *e the set or
 * NULL. */
static int set__lookup(struct client *c, const struct arg *key, int flags, struct keyref *ref,
                       struct entry **e)
{
    return arg_lookup_or_reply(c, key, ENTRY_TYPE_SET, flags, ref, e);
}

/* Puts a changed set back, or deletes the key when it emptied. */
static void set__put_back(struct client *c, struct keyref *ref, struct entry *e, int had_expire,
                          const char *event, const struct arg *key)
{
    arg_put_back(c, ref, e, had_expire, set_len(e) == 0, NOTIFY_SET, event, key);
}

void cmd_sadd(struct client *c)
{
    const struct arg *key = &c->argv[1];
    struct keyref ref;
    struct entry *e;
    if (set__lookup(c, key, DB_LOOKUP_WRITE, &ref, &e) != 0) return;
    size_t members = c->argc - 2;
    int created = e == NULL, had = e && (e->flags & ENTRY_HAS_EXPIRE);
    if (created)
        e = set_new(key->ptr, key->len, c->argv[2].ptr, c->argv[2].len, members, -1);
    else
        set_prepare(&e, members);
    long long added = 0;
    for (size_t j = 2; j < c->argc; j++) added += set_add(&e, c->argv[j].ptr, c->argv[j].len);
    if (created)
        db_store(&ref, e);
    else if (added)
        db_relink(&ref, e, had);
    else
        db_relocate(&ref, e); /* only members already there: no change */
    if (added) cmd_notify(c, NOTIFY_SET, "sadd", key);
    reply_long(c, added);
}

void cmd_srem(struct client *c)
{
    struct keyref ref;
    struct entry *e;
    if (set__lookup(c, &c->argv[1], DB_LOOKUP_WRITE, &ref, &e) != 0) return;
    if (e == NULL) {
        reply_long(c, 0);
        return;
    }
    int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    long long removed = 0;
    for (size_t j = 2; j < c->argc && set_len(e) > 0; j++)
        removed += set_remove(&e, c->argv[j].ptr, c->argv[j].len);
    if (removed) set__put_back(c, &ref, e, had, "srem", &c->argv[1]);
    reply_long(c, removed);
}

void cmd_sismember(struct client *c)
{
    struct entry *e;
    if (set__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    reply_long(c, e && set_contains(e, c->argv[2].ptr, c->argv[2].len));
}

void cmd_smismember(struct client *c)
{
    struct entry *e;
    if (set__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    reply_array(c, c->argc - 2);
    for (size_t j = 2; j < c->argc; j++)
        reply_long(c, e && set_contains(e, c->argv[j].ptr, c->argv[j].len));
}

void cmd_scard(struct client *c)
{
    struct entry *e;
    if (set__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    reply_long(c, e ? (long long)set_len(e) : 0);
}

static void set__reply_member(const char *m, size_t mlen, void *arg)
{
    reply_bulk(arg, m, mlen);
}

void cmd_smembers(struct client *c)
{
    struct entry *e;
    if (set__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    reply_set(c, e ? set_len(e) : 0);
    if (e) set_each(e, set__reply_member, c);
}

/* SPOP key [count]: one member (or null), or up to count distinct members
 * as a set; the key goes with its last member. */
void cmd_spop(struct client *c)
{
    long long count = 1;
    int with_count = c->argc == 3;
    if (c->argc > 3) {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    if (with_count) {
        /* Any bad count, not a number included, is "out of range". */
        if (arg_ll_or_reply(c, &c->argv[2], &count, REPLY_ERR_POSITIVE) != 0) return;
        if (count < 0) {
            reply_error(c, REPLY_ERR_POSITIVE);
            return;
        }
    }
    struct keyref ref;
    struct entry *e;
    if (set__lookup(c, &c->argv[1], DB_LOOKUP_WRITE, &ref, &e) != 0) return;
    if (e == NULL) {
        if (with_count)
            reply_set(c, 0);
        else
            reply_null(c);
        return;
    }
    if (with_count && count == 0) {
        reply_set(c, 0);
        return;
    }
    int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    size_t n = (size_t)count > set_len(e) ? set_len(e) : (size_t)count;
    if (with_count) reply_set(c, n);
    set_pop(&e, n, set__reply_member, c);
    set__put_back(c, &ref, e, had, "spop", &c->argv[1]);
}

/* SRANDMEMBER key [count]: one member (or null); a positive count, up to
 * that many distinct members; a negative one, exactly -count members,
 * maybe repeated. */
void cmd_srandmember(struct client *c)
{
    long long count = 1;
    int with_count = c->argc == 3;
    if (c->argc > 3) {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    if (with_count) {
        if (arg_ll_or_reply(c, &c->argv[2], &count, NULL) != 0) return;
        if (count == LLONG_MIN) {
            reply_error(c, REPLY_ERR_LONG_RANGE);
            return;
        }
    }
    struct entry *e;
    if (set__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    if (!with_count) {
        if (e == NULL)
            reply_null(c);
        else
            set_random(e, 1, 1, set__reply_member, c);
        return;
    }
    if (e == NULL || count == 0) {
        reply_empty_array(c);
        return;
    }
    int distinct = count > 0;
    size_t n = (size_t)(count > 0 ? count : -count);
    if (distinct && n > set_len(e)) n = set_len(e);
    reply_array(c, n);
    set_random(e, n, distinct, set__reply_member, c);
}

/* SMOVE source destination member. */
void cmd_smove(struct client *c)
{
    const struct arg *src = &c->argv[1], *dst = &c->argv[2], *m = &c->argv[3];
    struct entry *se = db_lookup(c->db, src->ptr, src->len, DB_LOOKUP_WRITE, NULL);
    struct entry *de = db_lookup(c->db, dst->ptr, dst->len, DB_LOOKUP_WRITE, NULL);
    if (se == NULL) {
        reply_long(c, 0);
        return;
    }
    if (entry_type(se) != ENTRY_TYPE_SET || (de && entry_type(de) != ENTRY_TYPE_SET)) {
        reply_error(c, REPLY_ERR_WRONGTYPE);
        return;
    }
    if (se == de) {
        reply_long(c, set_contains(se, m->ptr, m->len));
        return;
    }
    struct keyref ref;
    se = db_lookup(c->db, src->ptr, src->len, DB_LOOKUP_NOTOUCH, &ref);
    int had = (se->flags & ENTRY_HAS_EXPIRE) != 0;
    if (!set_remove(&se, m->ptr, m->len)) {
        reply_long(c, 0);
        return;
    }
    set__put_back(c, &ref, se, had, "srem", src);
    /* The source may have been deleted: look the destination up again. */
    de = db_lookup(c->db, dst->ptr, dst->len, DB_LOOKUP_NOTOUCH, &ref);
    int added;
    if (de == NULL) {
        de = set_new(dst->ptr, dst->len, m->ptr, m->len, 1, -1);
        added = set_add(&de, m->ptr, m->len);
        db_store(&ref, de);
    } else {
        had = (de->flags & ENTRY_HAS_EXPIRE) != 0;
        added = set_add(&de, m->ptr, m->len);
        if (added)
            db_relink(&ref, de, had);
        else
            db_relocate(&ref, de);
    }
    if (added) cmd_notify(c, NOTIFY_SET, "sadd", dst);
    reply_long(c, 1);
}

/* ---- the algebra ---- */

/* The sets named by keys (NULL for a missing key): -1 after WRONGTYPE for
 * any of them (Redis checks every key before computing). */
static int set__gather(struct client *c, const struct arg *keys, size_t n, struct entry **sets)
{
    for (size_t j = 0; j < n; j++)
        if (set__lookup(c, &keys[j], DB_LOOKUP_READ, NULL, &sets[j]) != 0) return -1;
    return 0;
}

/* Stores result (a detached set, or NULL when empty) under dst: replaces
 * what dst held, deletes it when the result is empty; replies the
 * cardinality. */
static void set__store(struct client *c, const struct arg *dst, struct entry *result,
                       const char *event)
{
    struct keyref ref;
    struct entry *old = db_lookup(c->db, dst->ptr, dst->len, DB_LOOKUP_NOTOUCH, &ref);
    if (result == NULL || set_len(result) == 0) {
        if (result) entry_destroy(result);
        reply_long(c, 0);
        if (old) {
            db_remove(&ref);
            cmd_notify(c, NOTIFY_GENERIC, "del", dst);
        }
        return;
    }
    struct entry *stored = entry_copy(result, dst->ptr, dst->len, -1, 0);
    entry_free_shell(result);
    long long n = (long long)set_len(stored);
    db_store(&ref, stored);
    reply_long(c, n);
    cmd_notify(c, NOTIFY_SET, event, dst);
}

/* A result set being built: starts as an empty intset, as Redis's
 * temporary set does, so its encoding ends where Redis's would. */
static struct entry *set__result(void)
{
    return set_new("", 0, "0", 1, 0, -1);
}

struct set__acc {
    struct entry *result;
    long long delta;
    int remove;
};

static void set__acc_member(const char *m, size_t mlen, void *arg)
{
    struct set__acc *acc = arg;
    if (acc->remove)
        acc->delta -= set_remove(&acc->result, m, mlen);
    else
        acc->delta += set_add(&acc->result, m, mlen);
}

/* Orders sets by size; a missing key (NULL: SDIFF's sources may be) is
 * an empty set. */
static int set__by_size(const void *a, const void *b)
{
    const struct entry *ea = *(struct entry *const *)a, *eb = *(struct entry *const *)b;
    size_t x = ea ? set_len(ea) : 0, y = eb ? set_len(eb) : 0;
    return x < y ? -1 : x > y;
}

/* Member bytes copied out of the sets into one buffer, in order (an
 * intset's exist only while they are visited). */
struct set__copies {
    struct arg *items; /* ptr holds an offset into text until the end */
    size_t n, cap;
    char *text;
    size_t tlen, tcap;
};

static void set__copy(struct set__copies *cp, const char *m, size_t mlen)
{
    if (cp->n == cp->cap) {
        cp->cap = cp->cap ? cp->cap * 2 : 32;
        cp->items = mem_realloc(cp->items, cp->cap * sizeof(*cp->items));
    }
    if (cp->tlen + mlen > cp->tcap) {
        cp->tcap = (cp->tlen + mlen) * 2 + 64;
        cp->text = mem_realloc(cp->text, cp->tcap);
    }
    memcpy(cp->text + cp->tlen, m, mlen);
    cp->items[cp->n++] = (struct arg){(const char *)(uintptr_t)cp->tlen, mlen};
    cp->tlen += mlen;
}

static void set__reply_copies(struct client *c, struct set__copies *cp)
{
    for (size_t i = 0; i < cp->n; i++)
        reply_bulk(c, cp->text + (uintptr_t)cp->items[i].ptr, cp->items[i].len);
    mem_free(cp->items);
    mem_free(cp->text);
}

struct set__inter {
    struct entry **sets;
    size_t n;
    long long limit, found;
    struct entry *result;      /* STORE: the members found */
    struct set__copies *reply; /* SINTER: the members found, for the reply */
};

static void set__inter_member(const char *m, size_t mlen, void *arg)
{
    struct set__inter *in = arg;
    if (in->limit && in->found >= in->limit) return;
    for (size_t j = 1; j < in->n; j++)
        if (in->sets[j] != in->sets[0] && !set_contains(in->sets[j], m, mlen)) return;
    in->found++;
    if (in->result)
        set_add(&in->result, m, mlen);
    else if (in->reply)
        set__copy(in->reply, m, mlen);
}

/* SINTER, SINTERSTORE, SINTERCARD: the members of the smallest set that
 * every other set holds. */
static void set__inter(struct client *c, const struct arg *keys, size_t n, const struct arg *dst,
                       int card_only, long long limit)
{
    struct entry **sets = mem_alloc(n * sizeof(*sets));
    if (set__gather(c, keys, n, sets) != 0) {
        mem_free(sets);
        return;
    }
    int empty = 0;
    for (size_t j = 0; j < n; j++) empty |= sets[j] == NULL;
    if (empty) {
        mem_free(sets);
        if (dst)
            set__store(c, dst, NULL, "sinterstore");
        else if (card_only)
            reply_long(c, 0);
        else
            reply_set(c, 0);
        return;
    }
    qsort(sets, n, sizeof(*sets), set__by_size);
    struct set__copies copies = {NULL, 0, 0, NULL, 0, 0};
    struct set__inter in = {sets, n, card_only ? limit : 0, 0, NULL, NULL};
    if (dst)
        in.result = set__result();
    else if (!card_only)
        in.reply = &copies;
    set_each(sets[0], set__inter_member, &in);
    if (card_only) {
        reply_long(c, in.found);
    } else if (dst) {
        set__store(c, dst, in.result, "sinterstore");
    } else {
        reply_set(c, copies.n);
        set__reply_copies(c, &copies);
    }
    mem_free(sets);
}

void cmd_sinter(struct client *c)
{
    set__inter(c, &c->argv[1], c->argc - 1, NULL, 0, 0);
}

void cmd_sinterstore(struct client *c)
{
    set__inter(c, &c->argv[2], c->argc - 2, &c->argv[1], 0, 0);
}

/* SINTERCARD numkeys key [key ...] [LIMIT limit] */
void cmd_sintercard(struct client *c)
{
    long long numkeys, limit = 0;
    if (arg_ll_or_reply(c, &c->argv[1], &numkeys, REPLY_ERR_NUMKEYS_ZERO) != 0) return;
    if (numkeys < 1) {
        reply_error(c, REPLY_ERR_NUMKEYS_ZERO);
        return;
    }
    if (numkeys > (long long)c->argc - 2) {
        reply_error(c, REPLY_ERR_NUMKEYS_BIG);
        return;
    }
    for (size_t j = 2 + (size_t)numkeys; j < c->argc; j++) {
        if (arg_is(&c->argv[j], "limit") && j + 1 < c->argc) {
            if (arg_ll_or_reply(c, &c->argv[++j], &limit, REPLY_ERR_LIMIT_NEGATIVE) != 0) return;
            if (limit < 0) {
                reply_error(c, REPLY_ERR_LIMIT_NEGATIVE);
                return;
            }
        } else {
            reply_error(c, REPLY_ERR_SYNTAX);
            return;
        }
    }
    set__inter(c, &c->argv[2], (size_t)numkeys, NULL, 1, limit);
}

static void set__reply_result(struct client *c, struct entry *result)
{
    reply_set(c, set_len(result));
    set_each(result, set__reply_member, c);
    entry_destroy(result);
}

/* SUNION, SUNIONSTORE: every member of every set. */
static void set__union(struct client *c, const struct arg *keys, size_t n, const struct arg *dst)
{
    struct entry **sets = mem_alloc(n * sizeof(*sets));
    if (set__gather(c, keys, n, sets) != 0) {
        mem_free(sets);
        return;
    }
    struct set__acc acc = {set__result(), 0, 0};
    for (size_t j = 0; j < n; j++)
        if (sets[j]) set_each(sets[j], set__acc_member, &acc);
    mem_free(sets);
    if (dst)
        set__store(c, dst, acc.result, "sunionstore");
    else
        set__reply_result(c, acc.result);
}

static int set__by_size_desc(const void *a, const void *b)
{
    return set__by_size(b, a);
}

struct set__diff {
    struct entry **sets;
    size_t n;
    struct set__acc acc;
};

static void set__diff_member(const char *m, size_t mlen, void *arg)
{
    struct set__diff *d = arg;
    for (size_t j = 1; j < d->n; j++)
        if (d->sets[j] && set_contains(d->sets[j], m, mlen)) return;
    d->acc.delta += set_add(&d->acc.result, m, mlen);
}

/* SDIFF, SDIFFSTORE: the first set's members no other set holds. Redis's
 * two algorithms, chosen by the work each would do: test each member of
 * the first set against the others (the others largest first), or add the
 * first set and remove the others. */
static void set__diff(struct client *c, const struct arg *keys, size_t n, const struct arg *dst)
{
    struct entry **sets = mem_alloc(n * sizeof(*sets));
    if (set__gather(c, keys, n, sets) != 0) {
        mem_free(sets);
        return;
    }
    struct set__diff d = {sets, n, {set__result(), 0, 0}};
    int same = 0;
    for (size_t j = 1; j < n; j++) same |= sets[0] && sets[j] == sets[0];
    if (sets[0] && !same) {
        long long one = 0, two = 0;
        for (size_t j = 0; j < n; j++) {
            if (sets[j] == NULL) continue;
            one += (long long)set_len(sets[0]);
            two += (long long)set_len(sets[j]);
        }
        if (one / 2 <= two) {
            if (n > 1) qsort(sets + 1, n - 1, sizeof(*sets), set__by_size_desc);
            set_each(sets[0], set__diff_member, &d);
        } else {
            set_each(sets[0], set__acc_member, &d.acc);
            d.acc.remove = 1;
            for (size_t j = 1; j < n && d.acc.delta > 0; j++)
                if (sets[j]) set_each(sets[j], set__acc_member, &d.acc);
        }
    }
    mem_free(sets);
    if (dst)
        set__store(c, dst, d.acc.result, "sdiffstore");
    else
        set__reply_result(c, d.acc.result);
}

void cmd_sunion(struct client *c)
{
    set__union(c, &c->argv[1], c->argc - 1, NULL);
}

void cmd_sunionstore(struct client *c)
{
    set__union(c, &c->argv[2], c->argc - 2, &c->argv[1]);
}

void cmd_sdiff(struct client *c)
{
    set__diff(c, &c->argv[1], c->argc - 1, NULL);
}

void cmd_sdiffstore(struct client *c)
{
    set__diff(c, &c->argv[2], c->argc - 2, &c->argv[1]);
}

/* ---- SSCAN ---- */

struct set__scan {
    const struct arg *pattern;
    struct set__copies found;
};

static void set__scan_visit(const char *m, size_t mlen, void *arg)
{
    struct set__scan *ss = arg;
    if (ss->pattern && !util_glob_match(ss->pattern->ptr, ss->pattern->len, m, mlen, 0)) return;
    set__copy(&ss->found, m, mlen);
}

/* SSCAN key cursor [MATCH pattern] [COUNT count], HSCAN's rules. */
void cmd_sscan(struct client *c)
{
    unsigned long long cursor;
    if (arg_cursor_or_reply(c, &c->argv[2], &cursor) != 0) return;
    struct entry *e;
    if (set__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    if (e == NULL) {
        reply_array(c, 2);
        reply_bulk(c, "0", 1);
        reply_empty_array(c);
        return;
    }
    struct arg_scan o;
    if (arg_scan_or_reply(c, 3, ARG_SCAN_MEMBERS, &o) != 0) return;
    struct set__scan ss = {o.pattern, {NULL, 0, 0, NULL, 0, 0}};
    cursor = set_scan(e, cursor, (uint64_t)o.count, set__scan_visit, &ss);
    reply_array(c, 2);
    reply_bulk_long(c, (long long)cursor);
    reply_array(c, ss.found.n);
    set__reply_copies(c, &ss.found);
}

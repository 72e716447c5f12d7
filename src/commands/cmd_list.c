/* cmd_list.c - list commands: pushes and pops at both ends, indexes and
 * ranges, LINSERT, LREM, LTRIM, LPOS, and the moves between lists (LMOVE,
 * RPOPLPUSH, LMPOP), and the blocking forms (BLPOP, BRPOP, BLMOVE,
 * BRPOPLPUSH, BLMPOP: services/blocking.c keeps the waiters). The encodings are storage/list.c's;
 * argument order checks, replies, errors and keyspace events follow Redis 7.4's t_list.c. */
#include <limits.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "client/client.h"
#include "client/reply.h"
#include "commands/arg.h"
#include "commands/commands.h"
#include "dispatch/call.h"
#include "dispatch/command.h"
#include "services/blocking.h"
#include "services/notify.h"
#include "storage/db.h"
#include "storage/list.h"

#define LIST_ERR_NO_INDEX "ERR index out of range"
#define LIST_ERR_RANK_ZERO                                                                         \
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "   \
    "negative to start from the end of the list"
#define LIST_ERR_COUNT_NEG  "ERR COUNT can't be negative"
#define LIST_ERR_MAXLEN_NEG "ERR MAXLEN can't be negative"

static int list__lookup(struct client *c, const struct arg *key, int flags, struct keyref *ref,
                        struct entry **e)
{
    return arg_lookup_or_reply(c, key, ENTRY_TYPE_LIST, flags, ref, e);
}

/* Puts a changed list back, or deletes the key when it emptied. */
static void list__put_back(struct client *c, struct keyref *ref, struct entry *e, int had_expire,
                           const char *event, const struct arg *key)
{
    arg_put_back(c, ref, e, had_expire, list_len(e) == 0, NOTIFY_LIST, event, key);
}

/* LEFT or RIGHT (any case); -1 after a syntax error. */
static int list__where_or_reply(struct client *c, const struct arg *a)
{
    if (arg_is(a, "left")) return LIST_HEAD;
    if (arg_is(a, "right")) return LIST_TAIL;
    reply_error(c, REPLY_ERR_SYNTAX);
    return -1;
}

static void list__reply_elem(const char *s, size_t len, void *arg)
{
    reply_bulk(arg, s, len);
}

/* ---- pushes ---- */

/* LPUSH, RPUSH, and with `existing` LPUSHX, RPUSHX. */
static void list__push(struct client *c, int where, int existing)
{
    const struct arg *key = &c->argv[1];
    struct keyref ref;
    struct entry *e;
    if (list__lookup(c, key, DB_LOOKUP_WRITE, &ref, &e) != 0) return;
    if (e == NULL && existing) {
        reply_long(c, 0);
        return;
    }
    int created = e == NULL, had = e && (e->flags & ENTRY_HAS_EXPIRE);
    if (created) e = list_new(key->ptr, key->len, -1);
    size_t bytes = 0;
    for (size_t j = 2; j < c->argc; j++) bytes += c->argv[j].len;
    list_prepare(&e, bytes, c->argc - 2);
    for (size_t j = 2; j < c->argc; j++) list_push(&e, where, c->argv[j].ptr, c->argv[j].len);
    long long len = (long long)list_len(e);
    if (created)
        db_store(&ref, e);
    else
        db_relink(&ref, e, had);
    cmd_notify(c, NOTIFY_LIST, where == LIST_HEAD ? "lpush" : "rpush", key);
    reply_long(c, len);
}

void cmd_lpush(struct client *c)
{
    list__push(c, LIST_HEAD, 0);
}

void cmd_rpush(struct client *c)
{
    list__push(c, LIST_TAIL, 0);
}

void cmd_lpushx(struct client *c)
{
    list__push(c, LIST_HEAD, 1);
}

void cmd_rpushx(struct client *c)
{
    list__push(c, LIST_TAIL, 1);
}

/* ---- pops ---- */

/* Pops up to count elements of the list at key (there, not empty) and
 * replies them; with_key: as LMPOP's [key, [elements]]. */
static void list__pop_reply(struct client *c, const struct arg *key, struct keyref *ref,
                            struct entry *e, int where, long long count, int array, int with_key)
{
    int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    size_t n = (size_t)count > list_len(e) ? list_len(e) : (size_t)count;
    if (with_key) {
        reply_array(c, 2);
        reply_bulk(c, key->ptr, key->len);
    }
    if (array) reply_array(c, n);
    list_pop(&e, where, n, list__reply_elem, c);
    list__put_back(c, ref, e, had, where == LIST_HEAD ? "lpop" : "rpop", key);
}

/* LPOP, RPOP key [count]. */
static void list__pop(struct client *c, int where)
{
    long long count = 1;
    int with_count = c->argc == 3;
    if (c->argc > 3) {
        reply_error_arity(c, c->cmd->fullname);
        return;
    }
    if (with_count) {
        if (arg_ll_or_reply(c, &c->argv[2], &count, REPLY_ERR_POSITIVE) != 0) return;
        if (count < 0) {
            reply_error(c, REPLY_ERR_POSITIVE);
            return;
        }
    }
    struct keyref ref;
    struct entry *e;
    if (list__lookup(c, &c->argv[1], DB_LOOKUP_WRITE, &ref, &e) != 0) return;
    if (e == NULL) {
        if (with_count)
            reply_null_array(c);
        else
            reply_null(c);
        return;
    }
    if (with_count && count == 0) {
        reply_empty_array(c);
        return;
    }
    list__pop_reply(c, &c->argv[1], &ref, e, where, count, with_count, 0);
}

void cmd_lpop(struct client *c)
{
    list__pop(c, LIST_HEAD);
}

void cmd_rpop(struct client *c)
{
    list__pop(c, LIST_TAIL);
}

/* LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: from the first
 * key holding a list. */
void cmd_lmpop(struct client *c)
{
    size_t nkeys;
    int right;
    long long count;
    if (arg_mpop_or_reply(c, 1, "left", "right", &nkeys, &right, &count) != 0) return;
    int where = right ? LIST_TAIL : LIST_HEAD;
    size_t where_at = 2 + nkeys;
    for (size_t j = 2; j < where_at; j++) {
        struct keyref ref;
        struct entry *e;
        if (list__lookup(c, &c->argv[j], DB_LOOKUP_WRITE, &ref, &e) != 0) return;
        if (e == NULL) continue;
        list__pop_reply(c, &c->argv[j], &ref, e, where, count, 1, 1);
        return;
    }
    reply_null_array(c);
}

/* ---- blocking pops ---- */

/* Redis's blockingPopGenericCommand: pops from the first of the nkeys
 * keys holding a list ([key, element], or with count BLMPOP's [key,
 * [elements]]); with none, waits for one (or replies as a timeout inside
 * MULTI and scripts). */
static void list__bpop(struct client *c, const struct arg *keys, size_t nkeys, int where,
                       const struct arg *timeout, long long count)
{
    long long deadline;
    if (arg_block_timeout_or_reply(c, timeout, &deadline) != 0) return;
    for (size_t j = 0; j < nkeys; j++) {
        struct keyref ref;
        struct entry *e;
        if (list__lookup(c, &keys[j], DB_LOOKUP_WRITE, &ref, &e) != 0) return;
        if (e == NULL) continue;
        list__pop_reply(c, &keys[j], &ref, e, where, count < 0 ? 1 : count, count >= 0, 1);
        return;
    }
    if (!call_may_block(c)) {
        reply_null_array(c);
        return;
    }
    blocking_wait(c, keys, nkeys, ENTRY_TYPE_LIST, deadline);
}

void cmd_blpop(struct client *c)
{
    list__bpop(c, &c->argv[1], c->argc - 2, LIST_HEAD, &c->argv[c->argc - 1], -1);
}

void cmd_brpop(struct client *c)
{
    list__bpop(c, &c->argv[1], c->argc - 2, LIST_TAIL, &c->argv[c->argc - 1], -1);
}

/* BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]. */
void cmd_blmpop(struct client *c)
{
    size_t nkeys;
    int right;
    long long count;
    if (arg_mpop_or_reply(c, 2, "left", "right", &nkeys, &right, &count) != 0) return;
    list__bpop(c, &c->argv[3], nkeys, right ? LIST_TAIL : LIST_HEAD, &c->argv[1], count);
}

/* ---- reads ---- */

void cmd_llen(struct client *c)
{
    struct entry *e;
    if (list__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    reply_long(c, e ? (long long)list_len(e) : 0);
}

void cmd_lrange(struct client *c)
{
    long long start, stop;
    if (arg_ll_or_reply(c, &c->argv[2], &start, NULL) != 0) return;
    if (arg_ll_or_reply(c, &c->argv[3], &stop, NULL) != 0) return;
    struct entry *e;
    if (list__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    size_t from, to;
    if (e == NULL || !arg_rank_range(start, stop, list_len(e), &from, &to)) {
        reply_empty_array(c);
        return;
    }
    reply_array(c, to - from + 1);
    list_range(e, from, to, list__reply_elem, c);
}

/* An index argument against a list of len elements: 1 with *at when it
 * falls inside. */
static int list__index(long long index, size_t len, size_t *at)
{
    if (index < 0) index += (long long)len;
    if (index < 0 || index >= (long long)len) return 0;
    *at = (size_t)index;
    return 1;
}

void cmd_lindex(struct client *c)
{
    struct entry *e;
    if (list__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    if (e == NULL) {
        reply_null(c);
        return;
    }
    long long index;
    if (arg_ll_or_reply(c, &c->argv[2], &index, NULL) != 0) return;
    size_t at;
    if (!list__index(index, list_len(e), &at)) {
        reply_null(c);
        return;
    }
    const char *s;
    size_t len;
    list_index(e, at, &s, &len);
    reply_bulk(c, s, len);
}

struct list__pos_reply {
    struct client *c;
    long long found, last;
    int array;
};

static void list__reply_pos(size_t index, void *arg)
{
    struct list__pos_reply *r = arg;
    r->found++;
    r->last = (long long)index;
    if (r->array) reply_long(r->c, (long long)index);
}

static void list__count_pos(size_t index, void *arg)
{
    (void)index;
    ((struct list__pos_reply *)arg)->found++;
}

/* LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]. */
void cmd_lpos(struct client *c)
{
    long long rank = 1, count = -1, maxlen = 0;
    for (size_t j = 3; j < c->argc; j++) {
        const struct arg *opt = &c->argv[j];
        int more = j + 1 < c->argc;
        if (arg_is(opt, "rank") && more) {
            if (arg_ll_or_reply(c, &c->argv[++j], &rank, NULL) != 0) return;
            if (rank == LLONG_MIN) {
                reply_error(c, REPLY_ERR_LONG_RANGE);
                return;
            }
            if (rank == 0) {
                reply_error(c, LIST_ERR_RANK_ZERO);
                return;
            }
        } else if (arg_is(opt, "count") && more) {
            if (arg_ll_or_reply(c, &c->argv[++j], &count, LIST_ERR_COUNT_NEG) != 0) return;
            if (count < 0) {
                reply_error(c, LIST_ERR_COUNT_NEG);
                return;
            }
        } else if (arg_is(opt, "maxlen") && more) {
            if (arg_ll_or_reply(c, &c->argv[++j], &maxlen, LIST_ERR_MAXLEN_NEG) != 0) return;
            if (maxlen < 0) {
                reply_error(c, LIST_ERR_MAXLEN_NEG);
                return;
            }
        } else {
            reply_error(c, REPLY_ERR_SYNTAX);
            return;
        }
    }
    struct entry *e;
    if (list__lookup(c, &c->argv[1], DB_LOOKUP_READ, NULL, &e) != 0) return;
    const struct arg *el = &c->argv[2];
    if (e == NULL) {
        if (count != -1)
            reply_empty_array(c);
        else
            reply_null(c);
        return;
    }
    struct list__pos_reply r = {c, 0, -1, 0};
    if (count == -1) {
        list_pos(e, el->ptr, el->len, rank, 1, (size_t)maxlen, list__reply_pos, &r);
        if (r.found)
            reply_long(c, r.last);
        else
            reply_null(c);
        return;
    }
    /* The reply's length first: one pass counts, a second replies (a
     * list of matches would cost as much memory as the reply). */
    list_pos(e, el->ptr, el->len, rank, (size_t)count, (size_t)maxlen, list__count_pos, &r);
    reply_array(c, (size_t)r.found);
    r.array = 1;
    if (r.found)
        list_pos(e, el->ptr, el->len, rank, (size_t)count, (size_t)maxlen, list__reply_pos, &r);
}

/* ---- changes in place ---- */

void cmd_lset(struct client *c)
{
    struct keyref ref;
    struct entry *e;
    if (list__lookup(c, &c->argv[1], DB_LOOKUP_WRITE, &ref, &e) != 0) return;
    if (e == NULL) {
        reply_error(c, REPLY_ERR_NO_KEY);
        return;
    }
    long long index;
    if (arg_ll_or_reply(c, &c->argv[2], &index, NULL) != 0) return;
    const struct arg *v = &c->argv[3];
    size_t at;
    if (!list__index(index, list_len(e), &at)) {
        reply_error(c, LIST_ERR_NO_INDEX);
        return;
    }
    int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    list_set(&e, at, v->ptr, v->len);
    db_relink(&ref, e, had);
    reply_ok(c);
    cmd_notify(c, NOTIFY_LIST, "lset", &c->argv[1]);
}

/* LINSERT key BEFORE|AFTER pivot element. */
void cmd_linsert(struct client *c)
{
    int after;
    if (arg_is(&c->argv[2], "after")) {
        after = 1;
    } else if (arg_is(&c->argv[2], "before")) {
        after = 0;
    } else {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    struct keyref ref;
    struct entry *e;
    if (list__lookup(c, &c->argv[1], DB_LOOKUP_WRITE, &ref, &e) != 0) return;
    if (e == NULL) {
        reply_long(c, 0);
        return;
    }
    int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    const struct arg *pivot = &c->argv[3], *v = &c->argv[4];
    struct entry *was = e;
    if (!list_insert(&e, pivot->ptr, pivot->len, after, v->ptr, v->len)) {
        if (e != was) db_relocate(&ref, e); /* converted, nothing inserted */
        reply_long(c, -1);
        return;
    }
    long long len = (long long)list_len(e);
    db_relink(&ref, e, had);
    cmd_notify(c, NOTIFY_LIST, "linsert", &c->argv[1]);
    reply_long(c, len);
}

/* LREM key count element. */
void cmd_lrem(struct client *c)
{
    long long count;
    if (arg_ll_or_reply(c, &c->argv[2], &count, NULL) != 0) return;
    if (count == LLONG_MIN) { /* Redis 7.2+: -LONG_MAX..LONG_MAX */
        reply_error(c, REPLY_ERR_LONG_RANGE);
        return;
    }
    struct keyref ref;
    struct entry *e;
    if (list__lookup(c, &c->argv[1], DB_LOOKUP_WRITE, &ref, &e) != 0) return;
    if (e == NULL) {
        reply_long(c, 0);
        return;
    }
    int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    struct entry *was = e;
    size_t removed = list_remove(&e, count, c->argv[3].ptr, c->argv[3].len);
    if (removed)
        list__put_back(c, &ref, e, had, "lrem", &c->argv[1]);
    else if (e != was)
        db_relocate(&ref, e);
    reply_long(c, (long long)removed);
}

/* LTRIM key start stop: the key goes when nothing is left; the event and
 * the change signal come even when nothing was trimmed, as Redis's. */
void cmd_ltrim(struct client *c)
{
    long long start, stop;
    if (arg_ll_or_reply(c, &c->argv[2], &start, NULL) != 0) return;
    if (arg_ll_or_reply(c, &c->argv[3], &stop, NULL) != 0) return;
    struct keyref ref;
    struct entry *e;
    if (list__lookup(c, &c->argv[1], DB_LOOKUP_WRITE, &ref, &e) != 0) return;
    if (e == NULL) {
        reply_ok(c);
        return;
    }
    int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    size_t from, to;
    if (arg_rank_range(start, stop, list_len(e), &from, &to)) {
        list_trim(&e, from, to);
        list__put_back(c, &ref, e, had, "ltrim", &c->argv[1]);
    } else {
        /* Nothing kept: the key goes whole (a long list by the lazyfree
         * rules), not element by element. */
        db_remove(&ref);
        cmd_notify(c, NOTIFY_LIST, "ltrim", &c->argv[1]);
        cmd_notify(c, NOTIFY_GENERIC, "del", &c->argv[1]);
    }
    reply_ok(c);
}

/* ---- moves ---- */

/* Pushes (s, len) onto dst (looked up afresh: the source's changes may
 * have moved things), creating it; the push event. */
static void list__push_to(struct client *c, const struct arg *dst, int where, const char *s,
                          size_t len)
{
    struct keyref ref;
    struct entry *e = db_lookup(c->db, dst->ptr, dst->len, DB_LOOKUP_NOTOUCH, &ref);
    int created = e == NULL, had = e && (e->flags & ENTRY_HAS_EXPIRE);
    if (created) e = list_new(dst->ptr, dst->len, -1);
    list_push(&e, where, s, len);
    if (created)
        db_store(&ref, e);
    else
        db_relink(&ref, e, had);
    cmd_notify(c, NOTIFY_LIST, where == LIST_HEAD ? "lpush" : "rpush", dst);
}

struct list__taken {
    char *p;
    size_t len;
};

static void list__take(const char *s, size_t len, void *arg)
{
    struct list__taken *t = arg;
    t->p = mem_alloc(len ? len : 1);
    memcpy(t->p, s, len);
    t->len = len;
}

/* LMOVE and RPOPLPUSH: one element from src's end to dst's, replied. The
 * events are Redis's order: the push on dst, then the pop on src (and its
 * del when it emptied). */
static void list__move(struct client *c, int from, int to, const long long *deadline)
{
    const struct arg *src = &c->argv[1], *dst = &c->argv[2];
    struct keyref ref;
    struct entry *se, *de;
    if (list__lookup(c, src, DB_LOOKUP_WRITE, &ref, &se) != 0) return;
    if (se == NULL) {
        /* BLMOVE, BRPOPLPUSH: wait for the source (the destination is
         * not looked at until then, as in Redis). */
        if (deadline && call_may_block(c))
            blocking_wait(c, src, 1, ENTRY_TYPE_LIST, *deadline);
        else
            reply_null(c);
        return;
    }
    if (list__lookup(c, dst, DB_LOOKUP_WRITE, NULL, &de) != 0) return;
    /* The source again: the destination's lookup may have moved it. */
    se = db_lookup(c->db, src->ptr, src->len, DB_LOOKUP_NOTOUCH, &ref);
    int had = (se->flags & ENTRY_HAS_EXPIRE) != 0, same = se == de;
    struct list__taken t;
    list_pop(&se, from, 1, list__take, &t);
    const char *from_event = from == LIST_HEAD ? "lpop" : "rpop";
    if (same) {
        /* A rotation: the same list, never emptied. */
        list_push(&se, to, t.p, t.len);
        db_relink(&ref, se, had);
        cmd_notify(c, NOTIFY_LIST, to == LIST_HEAD ? "lpush" : "rpush", dst);
        cmd_notify(c, NOTIFY_LIST, from_event, src);
    } else {
        int emptied = list_len(se) == 0;
        db_relink(&ref, se, had);
        if (emptied) db_remove(&ref);
        list__push_to(c, dst, to, t.p, t.len);
        cmd_notify(c, NOTIFY_LIST, from_event, src);
        if (emptied) cmd_notify(c, NOTIFY_GENERIC, "del", src);
    }
    reply_bulk(c, t.p, t.len);
    mem_free(t.p);
}

/* LMOVE source destination LEFT|RIGHT LEFT|RIGHT. */
void cmd_lmove(struct client *c)
{
    int from = list__where_or_reply(c, &c->argv[3]);
    if (from < 0) return;
    int to = list__where_or_reply(c, &c->argv[4]);
    if (to < 0) return;
    list__move(c, from, to, NULL);
}

void cmd_rpoplpush(struct client *c)
{
    list__move(c, LIST_TAIL, LIST_HEAD, NULL);
}

/* BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout. */
void cmd_blmove(struct client *c)
{
    int from = list__where_or_reply(c, &c->argv[3]);
    if (from < 0) return;
    int to = list__where_or_reply(c, &c->argv[4]);
    if (to < 0) return;
    long long deadline;
    if (arg_block_timeout_or_reply(c, &c->argv[5], &deadline) != 0) return;
    list__move(c, from, to, &deadline);
}

/* BRPOPLPUSH source destination timeout. */
void cmd_brpoplpush(struct client *c)
{
    long long deadline;
    if (arg_block_timeout_or_reply(c, &c->argv[3], &deadline) != 0) return;
    list__move(c, LIST_TAIL, LIST_HEAD, &deadline);
}

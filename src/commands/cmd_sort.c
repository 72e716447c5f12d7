/* cmd_sort.c - SORT and SORT_RO: the elements of a list, set or sorted set
 * in numeric or byte order, or by the values of other keys (BY), with
 * LIMIT, DESC, the values of other keys instead of the elements (GET), and
 * the result stored as a list (STORE). Replies, errors and keyspace events
 * follow Redis 7.4's sort.c.
 *
 * BY and GET read keys named by the elements, which the command table
 * cannot list: both commands lock every shard of the client's database
 * (CMD_LOCK_DB in commands.c). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "client/client.h"
#include "client/reply.h"
#include "commands/arg.h"
#include "commands/commands.h"
#include "services/notify.h"
#include "storage/db.h"
#include "storage/hash.h"
#include "storage/list.h"
#include "storage/set.h"
#include "storage/zset.h"

#define SORT_ERR_SCORE "ERR One or more scores can't be converted into double"

/* One element to sort: its bytes, and what it sorts by (a score, or with
 * ALPHA and BY the looked-up value, by NULL when there is none). While the
 * buffers fill (they may move), s and by hold offsets into them. */
struct sort__item {
    const char *s;
    size_t len;
    const char *by;
    size_t bylen;
    double score;
    int has_by;
};

/* A growing byte buffer. */
struct sort__buf {
    char *p;
    size_t len, cap;
};

static size_t sort__buf_add(struct sort__buf *b, const char *s, size_t len)
{
    if (b->p == NULL || b->len + len > b->cap) {
        b->cap = (b->len + len) * 2 + 64;
        b->p = mem_realloc(b->p, b->cap);
    }
    if (len) memcpy(b->p + b->len, s, len);
    b->len += len;
    return b->len - len;
}

/* The vector being filled: the items and their element bytes. */
struct sort__vec {
    struct sort__item *items;
    size_t n, cap;
    struct sort__buf text;
};

static void sort__vec_add(const char *s, size_t len, void *arg)
{
    struct sort__vec *v = arg;
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 16;
        v->items = mem_realloc(v->items, v->cap * sizeof(*v->items));
    }
    size_t off = sort__buf_add(&v->text, s, len);
    v->items[v->n++] = (struct sort__item){(const char *)(uintptr_t)off, len, NULL, 0, 0, 0};
}

static void sort__vec_add_member(const char *m, size_t mlen, double score, void *arg)
{
    (void)score;
    sort__vec_add(m, mlen, arg);
}

/* The length of a's bytes as a C string: Redis reads patterns with strchr
 * and strstr, which stop at the first NUL byte. */
static size_t sort__clen(const char *p, size_t len)
{
    const char *z = memchr(p, '\0', len);
    return z ? (size_t)(z - p) : len;
}

/* Redis's lookupKeyByPattern: the value a BY or GET pattern names for
 * element (s, len). "#" is the element itself. Otherwise the first '*'
 * is replaced by the element to make a key name; with "->field" after
 * the '*' the value is that field of the hash at the key, else the key's
 * string. No '*', a missing key or field, or a key of another type: 0.
 * *v stays valid until the next call into the db. kb is scratch space
 * for the key name. */
static int sort__lookup(struct client *c, const struct arg *pat, const char *s, size_t len,
                        struct sort__buf *kb, const char **v, size_t *vlen)
{
    size_t clen = sort__clen(pat->ptr, pat->len);
    if (clen == 1 && pat->ptr[0] == '#') {
        *v = s;
        *vlen = len;
        return 1;
    }
    const char *star = memchr(pat->ptr, '*', clen);
    if (star == NULL) return 0;
    size_t prefix = (size_t)(star - pat->ptr), fieldlen = 0;
    const char *field = NULL;
    /* "->" after the '*' with at least one byte after it. */
    for (size_t i = prefix + 1; i + 2 < clen; i++)
        if (pat->ptr[i] == '-' && pat->ptr[i + 1] == '>') {
            field = pat->ptr + i + 2;
            fieldlen = pat->len - i - 2;
            break;
        }
    size_t postfix = pat->len - prefix - 1 - (field ? fieldlen + 2 : 0);
    kb->len = 0;
    sort__buf_add(kb, pat->ptr, prefix);
    sort__buf_add(kb, s, len);
    sort__buf_add(kb, star + 1, postfix);
    struct entry *e = db_lookup(c->db, kb->p, kb->len, DB_LOOKUP_READ, NULL);
    if (e == NULL) return 0;
    if (field) return entry_type(e) == ENTRY_TYPE_HASH && hash_get(e, field, fieldlen, v, vlen);
    if (entry_type(e) != ENTRY_TYPE_STRING) return 0;
    *v = entry_val(e);
    *vlen = entry_vlen(e);
    return 1;
}

/* A sort key as Redis reads it: strtod over the whole value (which may
 * hold leading spaces, hex, "inf"; it stops at a NUL byte), refusing
 * overflow, underflow and NaN. */
static int sort__score(const char *s, size_t len, double *out)
{
    char stack[64];
    char *buf = len < sizeof(stack) ? stack : mem_alloc(len + 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    *out = strtod(buf, &end);
    int ok = *end == '\0' && errno != ERANGE && !isnan(*out);
    if (buf != stack) mem_free(buf);
    return ok;
}

/* Byte order, the shorter first on a common prefix (Redis's binary
 * compareStringObjects). */
static int sort__cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    int r = memcmp(a, b, alen < blen ? alen : blen);
    if (r) return r;
    return alen < blen ? -1 : alen > blen;
}

/* strcoll in the C locale, which Redis uses for ALPHA without STORE: byte
 * order up to the first NUL byte. */
static int sort__cmp_coll(const char *a, size_t alen, const char *b, size_t blen)
{
    return sort__cmp_bytes(a, sort__clen(a, alen), b, sort__clen(b, blen));
}

struct sort__how {
    int alpha, by, desc, store;
};

/* Redis's sortCompare. Numeric: by score, equal scores by the elements'
 * bytes, so the output does not depend on the input order. ALPHA with
 * BY: a missing value first, then the values (no tie-break: equal values
 * keep their input order, as glibc's stable qsort keeps them in Redis).
 * ALPHA: the elements. STORE compares bytes, a reply collates. */
static int sort__cmp(const struct sort__item *a, const struct sort__item *b,
                     const struct sort__how *h)
{
    int r;
    if (!h->alpha) {
        if (a->score > b->score)
            r = 1;
        else if (a->score < b->score)
            r = -1;
        else
            r = sort__cmp_bytes(a->s, a->len, b->s, b->len);
    } else if (h->by) {
        if (a->by == NULL || b->by == NULL)
            r = a->by == b->by ? 0 : a->by == NULL ? -1 : 1;
        else if (h->store)
            r = sort__cmp_bytes(a->by, a->bylen, b->by, b->bylen);
        else
            r = sort__cmp_coll(a->by, a->bylen, b->by, b->bylen);
    } else if (h->store) {
        r = sort__cmp_bytes(a->s, a->len, b->s, b->len);
    } else {
        r = sort__cmp_coll(a->s, a->len, b->s, b->len);
    }
    return h->desc ? -r : r;
}

/* A stable merge sort of v[0..n) with tmp as scratch (n items): stable
 * so that ties come out as Redis's come out of glibc's qsort, a merge sort. */
static void sort__merge(struct sort__item *v, struct sort__item *tmp, size_t n,
                        const struct sort__how *h)
{
    if (n < 2) return;
    size_t half = n / 2;
    sort__merge(v, tmp, half, h);
    sort__merge(v + half, tmp, n - half, h);
    if (sort__cmp(&v[half - 1], &v[half], h) <= 0) return; /* already in order */
    memcpy(tmp, v, half * sizeof(*v));
    size_t i = 0, j = half, k = 0;
    while (i < half && j < n) v[k++] = sort__cmp(&v[j], &tmp[i], h) < 0 ? v[j++] : tmp[i++];
    while (i < half) v[k++] = tmp[i++];
}

/* Collects the elements of e (NULL: a missing key, an empty list) into
 * vec. With dontsort a list or sorted set gives only the range
 * [*start, *end] (in reverse with desc), and the range becomes the whole
 * vector, as Redis loads it. */
static void sort__collect(struct entry *e, int dontsort, int desc, long long *start, long long *end,
                          struct sort__vec *vec)
{
    if (e == NULL) return;
    unsigned type = entry_type(e);
    if (type == ENTRY_TYPE_SET) {
        set_each(e, sort__vec_add, vec);
        return;
    }
    size_t len = type == ENTRY_TYPE_LIST ? list_len(e) : zset_len(e);
    if (!dontsort) {
        if (type == ENTRY_TYPE_LIST)
            list_range(e, 0, len - 1, sort__vec_add, vec);
        else
            zset_range(e, 0, len - 1, 0, sort__vec_add_member, vec);
        return;
    }
    if (*end < *start) return; /* an empty range: nothing to load */
    size_t from = (size_t)*start, to = (size_t)*end;
    if (desc) {
        from = len - 1 - (size_t)*end;
        to = len - 1 - (size_t)*start;
    }
    if (type == ENTRY_TYPE_ZSET) {
        zset_range(e, from, to, desc, sort__vec_add_member, vec);
    } else {
        list_range(e, from, to, sort__vec_add, vec);
        if (desc)
            for (size_t i = 0, j = vec->n - 1; i < j; i++, j--) {
                struct sort__item t = vec->items[i];
                vec->items[i] = vec->items[j];
                vec->items[j] = t;
            }
    }
    *end -= *start;
    *start = 0;
}

/* Stores the result (outputlen > 0 elements, or GET values) under dst as
 * a list, or deletes dst when the result is empty; replies the count. */
static void sort__store(struct client *c, const struct arg *dst, const struct sort__item *items,
                        long long start, long long end, const struct arg **gets, size_t ngets,
                        struct sort__buf *kb)
{
    long long outputlen = (end - start + 1) * (long long)(ngets ? ngets : 1);
    struct keyref ref;
    if (outputlen == 0) {
        if (db_lookup(c->db, dst->ptr, dst->len, DB_LOOKUP_NOTOUCH, &ref)) {
            db_remove(&ref);
            cmd_notify(c, NOTIFY_GENERIC, "del", dst);
        }
        reply_long(c, 0);
        return;
    }
    struct entry *list = list_new(dst->ptr, dst->len, -1);
    for (long long j = start; j <= end; j++) {
        const struct sort__item *it = &items[j];
        if (ngets == 0) list_push(&list, LIST_TAIL, it->s, it->len);
        for (size_t g = 0; g < ngets; g++) {
            const char *v;
            size_t vlen;
            if (!sort__lookup(c, gets[g], it->s, it->len, kb, &v, &vlen)) {
                v = "";
                vlen = 0;
            }
            list_push(&list, LIST_TAIL, v, vlen);
        }
    }
    db_lookup(c->db, dst->ptr, dst->len, DB_LOOKUP_NOTOUCH, &ref);
    db_store(&ref, list);
    cmd_notify(c, NOTIFY_LIST, "sortstore", dst);
    reply_long(c, outputlen);
}

/* SORT and SORT_RO, as Redis's sortCommandGeneric:
 *
 * 1. The options, left to right; the first bad one is the reply (a LIMIT
 *    that is not two integers, an unknown word, STORE in SORT_RO). BY
 *    with a pattern without '*' means no sorting at all.
 * 2. The key: a list, set or sorted set (WRONGTYPE otherwise; missing,
 *    an empty list). A set is sorted anyway (ALPHA, no BY) when the
 *    result is stored or a script asks, so the output does not depend
 *    on the set's internal order. A sorted set becomes "skiplist"
 *    encoded, as Redis converts it for SORT (OBJECT ENCODING shows it).
 * 3. LIMIT clamped to the elements: a negative offset is 0, a negative
 *    count means all. Without sorting, a list or sorted set loads only
 *    that range, in reverse with DESC; a set keeps its own order.
 * 4. The sort keys (each element, or the value BY names: a missing one
 *    scores 0, or sorts first with ALPHA), then a stable merge sort:
 *    O(N log N) time, N items and their bytes in memory. Redis sorts
 *    only the LIMIT range with BY (a partial quicksort); the output is
 *    the same but for the order of equal ALPHA BY values.
 * 5. A value that is not a number: the error, after all the lookups.
 *    Otherwise the range, each element replaced by its GET values (nil
 *    when missing; an empty string in a stored list). */
static void sort__generic(struct client *c, int readonly)
{
    int desc = 0, alpha = 0, dontsort = 0;
    long long limit_start = 0, limit_count = -1;
    const struct arg *by = NULL, *store = NULL;
    const struct arg **gets = mem_alloc(c->argc * sizeof(*gets));
    size_t ngets = 0;
    for (size_t j = 2; j < c->argc; j++) {
        const struct arg *a = &c->argv[j];
        size_t left = c->argc - j - 1;
        if (arg_is(a, "asc")) {
            desc = 0;
        } else if (arg_is(a, "desc")) {
            desc = 1;
        } else if (arg_is(a, "alpha")) {
            alpha = 1;
        } else if (arg_is(a, "limit") && left >= 2) {
            if (arg_ll_or_reply(c, &c->argv[j + 1], &limit_start, NULL) != 0 ||
                arg_ll_or_reply(c, &c->argv[j + 2], &limit_count, NULL) != 0) {
                mem_free(gets);
                return;
            }
            j += 2;
        } else if (!readonly && arg_is(a, "store") && left >= 1) {
            store = &c->argv[++j];
        } else if (arg_is(a, "by") && left >= 1) {
            /* A pattern without '*' turns sorting off for good: a later
             * BY with one does not turn it back on (Redis's rule). */
            by = &c->argv[++j];
            if (memchr(by->ptr, '*', sort__clen(by->ptr, by->len)) == NULL) dontsort = 1;
        } else if (arg_is(a, "get") && left >= 1) {
            gets[ngets++] = &c->argv[++j];
        } else {
            reply_error(c, REPLY_ERR_SYNTAX);
            mem_free(gets);
            return;
        }
    }

    const struct arg *key = &c->argv[1];
    struct keyref ref;
    struct entry *e = db_lookup(c->db, key->ptr, key->len, DB_LOOKUP_READ, &ref);
    unsigned type = e ? entry_type(e) : ENTRY_TYPE_LIST;
    if (type != ENTRY_TYPE_LIST && type != ENTRY_TYPE_SET && type != ENTRY_TYPE_ZSET) {
        reply_error(c, REPLY_ERR_WRONGTYPE);
        mem_free(gets);
        return;
    }
    if (dontsort && type == ENTRY_TYPE_SET && (store || (c->flags & CLIENT_CAPTURE))) {
        dontsort = 0;
        alpha = 1;
        by = NULL;
    }
    if (type == ENTRY_TYPE_ZSET) {
        zset_prepare(&e, SIZE_MAX); /* to the table and tree ("skiplist") */
        db_relocate(&ref, e);
    }

    long long n = e == NULL                 ? 0
                  : type == ENTRY_TYPE_LIST ? (long long)list_len(e)
                  : type == ENTRY_TYPE_SET  ? (long long)set_len(e)
                                            : (long long)zset_len(e);
    long long start = limit_start < 0 ? 0 : limit_start > n ? n : limit_start;
    long long count = limit_count < -1 ? -1 : limit_count > n ? n : limit_count;
    long long end = count < 0 ? n - 1 : start + count - 1;
    if (start >= n) {
        start = n - 1;
        end = n - 2;
    }
    if (end >= n) end = n - 1;

    struct sort__vec vec = {NULL, 0, 0, {NULL, 0, 0}};
    sort__collect(e, dontsort, desc, &start, &end, &vec);
    for (size_t i = 0; i < vec.n; i++) vec.items[i].s = vec.text.p + (uintptr_t)vec.items[i].s;

    /* The sort keys; ALPHA BY values are copied (a later lookup may move
     * what the db handed out). */
    struct sort__buf kb = {NULL, 0, 0}, byvals = {NULL, 0, 0};
    int score_error = 0;
    if (!dontsort) {
        for (size_t i = 0; i < vec.n; i++) {
            struct sort__item *it = &vec.items[i];
            const char *v = it->s;
            size_t vlen = it->len;
            if (by && !sort__lookup(c, by, it->s, it->len, &kb, &v, &vlen)) continue;
            if (alpha) {
                if (by) {
                    it->by = (const char *)(uintptr_t)sort__buf_add(&byvals, v, vlen);
                    it->bylen = vlen;
                    it->has_by = 1;
                }
            } else if (!sort__score(v, vlen, &it->score)) {
                score_error = 1;
            }
        }
        if (alpha && by)
            for (size_t i = 0; i < vec.n; i++) {
                struct sort__item *it = &vec.items[i];
                it->by = it->has_by ? byvals.p + (uintptr_t)it->by : NULL;
            }
        struct sort__how how = {alpha, by != NULL, desc, store != NULL};
        struct sort__item *tmp = mem_alloc((vec.n / 2 + 1) * sizeof(*tmp));
        sort__merge(vec.items, tmp, vec.n, &how);
        mem_free(tmp);
    }

    if (score_error) {
        reply_error(c, SORT_ERR_SCORE);
    } else if (store) {
        sort__store(c, store, vec.items, start, end, gets, ngets, &kb);
    } else {
        long long outputlen = (end - start + 1) * (long long)(ngets ? ngets : 1);
        reply_array(c, (size_t)outputlen);
        for (long long j = start; j <= end; j++) {
            const struct sort__item *it = &vec.items[j];
            if (ngets == 0) reply_bulk(c, it->s, it->len);
            for (size_t g = 0; g < ngets; g++) {
                const char *v;
                size_t vlen;
                if (sort__lookup(c, gets[g], it->s, it->len, &kb, &v, &vlen))
                    reply_bulk(c, v, vlen);
                else
                    reply_null(c);
            }
        }
    }
    mem_free(vec.items);
    mem_free(vec.text.p);
    mem_free(kb.p);
    mem_free(byvals.p);
    mem_free(gets);
}

/* SORT key [BY pattern] [LIMIT offset count] [GET pattern ...] [ASC|DESC]
 * [ALPHA] [STORE destination] */
void cmd_sort(struct client *c)
{
    sort__generic(c, 0);
}

/* SORT_RO: SORT without STORE. */
void cmd_sort_ro(struct client *c)
{
    sort__generic(c, 1);
}

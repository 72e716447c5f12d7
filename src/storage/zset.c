/* zset.c - the sorted set type's two encodings and the move between them.
 *
 * Pack (ENTRY_ENC_PACK): the entry's value is
 *
 *   kind (1) | count (4) | member | score | member | score ...
 *
 * in (score, member) order, member and score as pack elements (pack.h).
 * A score is an element of 0 to 7 bytes holding an integer (little endian,
 * sign-extended: 0 is the empty element) when it is a whole number of
 * magnitude under 2^55 (-0 included: it becomes 0, as in Redis's
 * listpack), else of 8 bytes holding the double. A
 * small integer score, the usual case, costs 2 bytes with its length,
 * where Redis's listpack spends 2 to 3. Reading backwards (ZREVRANGE,
 * ZPOPMAX) walks forwards once to find the positions: packs are a few KB.
 *
 * Large (ENTRY_ENC_TREE): kind | a pointer to a struct zset_big: a shard
 * of member entries (storage/table.h; the member is the entry's key, the
 * score its 8-byte value) and a counted B+tree of (score, member entry)
 * pairs (zindex.h).
 *
 * Why a B+tree and not Redis's skiplist. Per member, a skiplist costs
 * Redis an sds member, a node of score, member, back link and on average
 * 1.33 levels of 16 bytes (48-64 B class), a dict entry and its bucket.
 * Here a member is one entry (22 bytes and the member: the 48 B class for
 * 16-byte members), its bucket slot and a 16-byte leaf slot in leaves
 * about two thirds full (fed in order: full). Measured with
 * bench/memory.sh --cases bigzset (1M 16-byte members, scrambled scores):
 * 83.9 bytes a member against Redis 7.4.1's 101.9 and 7.0's 125.9. A search
 * reads one 512-byte node per level (3 levels for 10^4 members, 5 for
 * 10^6) where a skiplist follows about 2 log2(n) pointers to scattered
 * nodes; ranks come from the inner nodes' counts, as from a skiplist's
 * spans.
 *
 * Conversions follow Redis 7.4: a set is created packed unless the
 * command's size or first member say otherwise (zsetTypeCreate), a pack
 * converts when an add would take it past zset-max-listpack-entries or
 * the member is longer than zset-max-listpack-value, and a large set never
 * goes back (stores of ZUNIONSTORE and friends choose their encoding from
 * the finished result, through zset_new's hints). */
#include "storage/zset.h"

#include <math.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "base/util.h"
#include "storage/entry.h"
#include "storage/pack.h"
#include "storage/table.h"
#include "storage/zindex.h"

#define ZSET_KIND(enc)  ((ENTRY_TYPE_ZSET << 4) | (enc))
#define ZSET_COUNT_AT   1
#define ZSET_PACK_HEAD  5 /* kind, count */
#define ZSET_BIG_SIZE   (1 + sizeof(struct zset_big *))
#define ZSET_INT_LIMIT  36028797018963968.0 /* 2^55: integers below fit 7 bytes */
#define ZSET_SCORE_SIZE 8

struct zset_big {
    struct shard dict;
    struct zindex *index;
};

/* (score, member) order: by score, then by the member's bytes. */
static int zs__cmp(double s1, const char *m1, size_t l1, double s2, const char *m2, size_t l2)
{
    if (s1 < s2) return -1;
    if (s1 > s2) return 1;
    size_t n = l1 < l2 ? l1 : l2;
    int c = n ? memcmp(m1, m2, n) : 0;
    if (c) return c;
    return l1 < l2 ? -1 : l1 > l2 ? 1 : 0;
}

static int zs__lexcmp(const char *m1, size_t l1, const char *m2, size_t l2)
{
    return zs__cmp(0, m1, l1, 0, m2, l2);
}

static int zs__packed(const struct entry *e)
{
    return entry_enc(e) == ENTRY_ENC_PACK;
}

static struct zset_big *zs__big(const struct entry *e)
{
    struct zset_big *b;
    memcpy(&b, entry_val(e) + 1, sizeof(b));
    return b;
}

static double zs__entry_score(const struct entry *m)
{
    double s;
    memcpy(&s, entry_val(m), sizeof(s));
    return s;
}

/* ---- scores in a pack ---- */

static size_t zs__score_encode(double d, unsigned char out[8])
{
    /* -0 is a whole number too: a pack keeps it as 0, as Redis's listpack
     * does (it stores "-0" as the integer 0); a skiplist keeps -0. */
    if (d == floor(d) && fabs(d) < ZSET_INT_LIMIT) {
        int64_t v = (int64_t)d;
        size_t n = 0;
        /* The fewest bytes that sign-extend back to v. */
        while (n < 7) {
            int64_t back = n ? (int64_t)((uint64_t)v << (64 - 8 * n)) >> (64 - 8 * n) : 0;
            if (back == v) break;
            n++;
        }
        for (size_t i = 0; i < n; i++) out[i] = (unsigned char)((uint64_t)v >> (8 * i));
        return n;
    }
    memcpy(out, &d, 8);
    return 8;
}

static double zs__score_decode(const char *s, size_t len)
{
    if (len == 8) {
        double d;
        memcpy(&d, s, 8);
        return d;
    }
    uint64_t u = 0;
    for (size_t i = 0; i < len; i++) u |= (uint64_t)(unsigned char)s[i] << (8 * i);
    if (len == 0) return 0;
    return (double)((int64_t)(u << (64 - 8 * len)) >> (64 - 8 * len));
}

/* ---- the pack ---- */

static uint32_t zs__count(const struct entry *e)
{
    uint32_t n;
    memcpy(&n, entry_val(e) + ZSET_COUNT_AT, 4);
    return n;
}

static void zs__set_count(struct entry *e, uint32_t n)
{
    memcpy(entry_val(e) + ZSET_COUNT_AT, &n, 4);
}

static const unsigned char *zs__pack(const struct entry *e)
{
    return (const unsigned char *)entry_val(e) + ZSET_PACK_HEAD;
}

/* One pair of a pack as a walk finds it. */
struct zs__pair {
    const char *m;
    size_t mlen;
    double score;
};

static const unsigned char *zs__read(const unsigned char *p, struct zs__pair *o)
{
    const char *s;
    size_t len;
    p = pack_get(p, &o->m, &o->mlen);
    p = pack_get(p, &s, &len);
    o->score = zs__score_decode(s, len);
    return p;
}

/* The offset (into the value) of the member m, and its pair's bytes; 0
 * when m is missing. */
static size_t zs__pack_find(const struct entry *e, const char *m, size_t mlen, size_t *bytes,
                            struct zs__pair *out)
{
    const unsigned char *base = (const unsigned char *)entry_val(e), *p = zs__pack(e);
    for (uint32_t i = 0, n = zs__count(e); i < n; i++) {
        const unsigned char *next = zs__read(p, out);
        if (out->mlen == mlen && memcmp(out->m, m, mlen) == 0) {
            *bytes = (size_t)(next - p);
            return (size_t)(p - base);
        }
        p = next;
    }
    return 0;
}

/* Inserts (score, m) in order into a pack that does not hold m. */
static void zs__pack_insert(struct entry **ep, double score, const char *m, size_t mlen)
{
    struct entry *e = *ep;
    const unsigned char *base = (const unsigned char *)entry_val(e), *p = zs__pack(e);
    uint32_t n = zs__count(e);
    for (uint32_t i = 0; i < n; i++) {
        struct zs__pair pr;
        const unsigned char *next = zs__read(p, &pr);
        if (zs__cmp(pr.score, pr.m, pr.mlen, score, m, mlen) > 0) break;
        p = next;
    }
    unsigned char sb[8];
    size_t sl = zs__score_encode(score, sb);
    size_t off = (size_t)(p - base), need = pack_elem_size(mlen) + pack_elem_size(sl);
    e = entry_splice_value(e, off, 0, need);
    unsigned char *w = (unsigned char *)entry_val(e) + off;
    w += pack_put(w, m, mlen);
    pack_put(w, (const char *)sb, sl);
    zs__set_count(e, n + 1);
    *ep = e;
}

/* Positions of the pairs of ranks start..stop of a pack, as offsets
 * into the value, and the offset after the last (out has stop - start + 2
 * slots). */
static void zs__pack_offsets(const struct entry *e, size_t start, size_t stop, size_t *out)
{
    const unsigned char *base = (const unsigned char *)entry_val(e), *p = zs__pack(e);
    for (size_t i = 0; i <= stop; i++) {
        if (i >= start) out[i - start] = (size_t)(p - base);
        p = pack_skip(pack_skip(p));
    }
    out[stop - start + 1] = (size_t)(p - base);
}

/* ---- the large encoding ---- */

struct zs__probe {
    double score;
    const char *m;
    size_t mlen;
};

/* Pairs before (score, m). */
static int zs__before_pair(double s, const struct entry *e, const void *arg)
{
    const struct zs__probe *pr = arg;
    return zs__cmp(s, entry_key(e), entry_klen(e), pr->score, pr->m, pr->mlen) < 0;
}

static uint64_t zs__hash(const char *m, size_t mlen)
{
    return util_hash(m, mlen);
}

static void zs__big_insert(struct zset_big *b, struct entry *me, double score)
{
    struct zs__probe pr = {score, entry_key(me), entry_klen(me)};
    zindex_insert(b->index, zs__before_pair, &pr, score, me);
}

/* Takes member entry me (at its current score) out of the index. */
static void zs__big_unindex(struct zset_big *b, struct entry *me)
{
    struct zs__probe pr = {zs__entry_score(me), entry_key(me), entry_klen(me)};
    zindex_delete(b->index, zs__before_pair, &pr);
}

static size_t zs__big_rank(const struct zset_big *b, const struct entry *me)
{
    struct zs__probe pr = {zs__entry_score(me), entry_key(me), entry_klen(me)};
    return zindex_count_while(b->index, zs__before_pair, &pr);
}

static struct entry *zs__member_entry(const char *m, size_t mlen, double score)
{
    return entry_create(m, mlen, (const char *)&score, ZSET_SCORE_SIZE, -1);
}

static void zs__to_big(struct entry **ep)
{
    struct entry *e = *ep;
    struct zset_big *b = mem_calloc(sizeof(*b));
    shard_init(&b->dict);
    b->index = zindex_create();
    const unsigned char *p = zs__pack(e);
    for (uint32_t i = 0, n = zs__count(e); i < n; i++) {
        struct zs__pair pr;
        p = zs__read(p, &pr);
        struct entry *me = zs__member_entry(pr.m, pr.mlen, pr.score);
        shard_add(&b->dict, me, zs__hash(pr.m, pr.mlen));
        zindex_insert_at(b->index, i, pr.score, me); /* already in order */
    }
    unsigned char v[ZSET_BIG_SIZE];
    v[0] = ZSET_KIND(ENTRY_ENC_TREE);
    memcpy(v + 1, &b, sizeof(b));
    e = entry_resize_value(e, ZSET_BIG_SIZE, 0);
    memcpy(entry_val(e), v, ZSET_BIG_SIZE);
    *ep = e;
}

/* ---- creation and lookups ---- */

static int zs__fits(size_t size, size_t len)
{
    return size <= (size_t)CFG(zset_max_listpack_entries) &&
           len <= (size_t)CFG(zset_max_listpack_value);
}

struct entry *zset_new(const char *key, size_t klen, size_t size_hint, size_t len_hint,
                       long long expire)
{
    unsigned char head[ZSET_PACK_HEAD] = {ZSET_KIND(ENTRY_ENC_PACK), 0, 0, 0, 0};
    struct entry *e = entry_create(key, klen, (const char *)head, ZSET_PACK_HEAD, expire);
    e->flags |= ENTRY_CONTAINER;
    if (!zs__fits(size_hint, len_hint)) zs__to_big(&e);
    return e;
}

void zset_prepare(struct entry **ep, size_t size_hint)
{
    if (zs__packed(*ep) && size_hint > (size_t)CFG(zset_max_listpack_entries)) zs__to_big(ep);
}

size_t zset_len(const struct entry *e)
{
    return zs__packed(e) ? zs__count(e) : zindex_len(zs__big(e)->index);
}

static struct entry **zs__big_find(const struct entry *e, const char *m, size_t mlen)
{
    return shard_find(&zs__big(e)->dict, m, mlen, zs__hash(m, mlen));
}

int zset_score(const struct entry *e, const char *m, size_t mlen, double *score)
{
    if (zs__packed(e)) {
        size_t bytes;
        struct zs__pair pr;
        if (zs__pack_find(e, m, mlen, &bytes, &pr) == 0) return 0;
        *score = pr.score;
        return 1;
    }
    struct entry **link = zs__big_find(e, m, mlen);
    if (link == NULL) return 0;
    *score = zs__entry_score(*link);
    return 1;
}

long long zset_rank(const struct entry *e, const char *m, size_t mlen, double *score)
{
    if (zs__packed(e)) {
        const unsigned char *p = zs__pack(e);
        for (uint32_t i = 0, n = zs__count(e); i < n; i++) {
            struct zs__pair pr;
            p = zs__read(p, &pr);
            if (pr.mlen == mlen && memcmp(pr.m, m, mlen) == 0) {
                *score = pr.score;
                return i;
            }
        }
        return -1;
    }
    struct entry **link = zs__big_find(e, m, mlen);
    if (link == NULL) return -1;
    *score = zs__entry_score(*link);
    return (long long)zs__big_rank(zs__big(e), *link);
}

/* ---- changes ---- */

/* Removes m from a pack; 1 when it was there. */
static int zs__pack_remove(struct entry **ep, const char *m, size_t mlen)
{
    size_t bytes;
    struct zs__pair pr;
    size_t off = zs__pack_find(*ep, m, mlen, &bytes, &pr);
    if (off == 0) return 0;
    uint32_t n = zs__count(*ep);
    struct entry *e = entry_splice_value(*ep, off, bytes, 0);
    zs__set_count(e, n - 1);
    *ep = e;
    return 1;
}

int zset_add(struct entry **ep, double score, const char *m, size_t mlen, int in, double *newscore)
{
    int incr = in & ZSET_IN_INCR, nx = in & ZSET_IN_NX, xx = in & ZSET_IN_XX;
    int gt = in & ZSET_IN_GT, lt = in & ZSET_IN_LT;
    double cur;
    if (zset_score(*ep, m, mlen, &cur)) {
        if (nx) return ZSET_OUT_NOP;
        if (incr) {
            score += cur;
            if (isnan(score)) return ZSET_OUT_NAN;
        }
        /* GT and LT leave the score alone unless it moves their way. */
        if ((lt && score >= cur) || (gt && score <= cur)) return ZSET_OUT_NOP;
        *newscore = score;
        if (score == cur) return 0;
        if (zs__packed(*ep)) {
            zs__pack_remove(ep, m, mlen);
            zs__pack_insert(ep, score, m, mlen);
        } else {
            struct zset_big *b = zs__big(*ep);
            struct entry *me = *zs__big_find(*ep, m, mlen);
            zs__big_unindex(b, me);
            memcpy(entry_val(me), &score, sizeof(score));
            zs__big_insert(b, me, score);
        }
        return ZSET_OUT_UPDATED;
    }
    if (xx) return ZSET_OUT_NOP;
    if (zs__packed(*ep) && !zs__fits(zs__count(*ep) + 1u, mlen)) zs__to_big(ep);
    if (zs__packed(*ep)) {
        zs__pack_insert(ep, score, m, mlen);
    } else {
        struct zset_big *b = zs__big(*ep);
        struct entry *me = zs__member_entry(m, mlen, score);
        shard_add(&b->dict, me, zs__hash(m, mlen));
        zs__big_insert(b, me, score);
    }
    *newscore = score;
    return ZSET_OUT_ADDED;
}

int zset_remove(struct entry **ep, const char *m, size_t mlen)
{
    if (zs__packed(*ep)) return zs__pack_remove(ep, m, mlen);
    struct zset_big *b = zs__big(*ep);
    uint64_t h = zs__hash(m, mlen);
    struct entry **link = shard_find(&b->dict, m, mlen, h);
    if (link == NULL) return 0;
    zs__big_unindex(b, *link);
    entry_destroy(shard_unlink(&b->dict, link, h));
    return 1;
}

/* ---- spans ---- */

typedef int zs__test_fn(double score, const char *m, size_t mlen, const void *arg);

struct zs__test {
    zs__test_fn *fn;
    const void *arg;
};

static int zs__index_test(double s, const struct entry *e, const void *arg)
{
    const struct zs__test *t = arg;
    return t->fn(s, entry_key(e), entry_klen(e), t->arg);
}

/* How many leading pairs pass fn (which holds for a prefix). */
static size_t zs__count_while(const struct entry *e, zs__test_fn *fn, const void *arg)
{
    if (!zs__packed(e)) {
        struct zs__test t = {fn, arg};
        return zindex_count_while(zs__big(e)->index, zs__index_test, &t);
    }
    const unsigned char *p = zs__pack(e);
    uint32_t i = 0, n = zs__count(e);
    for (; i < n; i++) {
        struct zs__pair pr;
        p = zs__read(p, &pr);
        if (!fn(pr.score, pr.m, pr.mlen, arg)) break;
    }
    return i;
}

static int zs__below(double s, const char *m, size_t mlen, const void *arg)
{
    (void)m, (void)mlen;
    return s < *(const double *)arg;
}

static int zs__at_most(double s, const char *m, size_t mlen, const void *arg)
{
    (void)m, (void)mlen;
    return s <= *(const double *)arg;
}

void zset_score_span(const struct entry *e, const struct zset_score_range *r, size_t *lo,
                     size_t *hi)
{
    *lo = zs__count_while(e, r->minex ? zs__at_most : zs__below, &r->min);
    *hi = zs__count_while(e, r->maxex ? zs__below : zs__at_most, &r->max);
}

static int zs__lex_below(double s, const char *m, size_t mlen, const void *arg)
{
    const struct zset_lex_bound *b = arg;
    (void)s;
    return zs__lexcmp(m, mlen, b->s, b->len) < 0;
}

static int zs__lex_at_most(double s, const char *m, size_t mlen, const void *arg)
{
    const struct zset_lex_bound *b = arg;
    (void)s;
    return zs__lexcmp(m, mlen, b->s, b->len) <= 0;
}

/* Members before the bound: those below it, or with `after` (the bound
 * closing a range from above) those up to it. */
static size_t zs__lex_rank(const struct entry *e, const struct zset_lex_bound *b, int upper)
{
    switch (b->kind) {
    case ZSET_LEX_MINUS: return 0;
    case ZSET_LEX_PLUS: return zset_len(e);
    case ZSET_LEX_INCL: return zs__count_while(e, upper ? zs__lex_at_most : zs__lex_below, b);
    default: return zs__count_while(e, upper ? zs__lex_below : zs__lex_at_most, b);
    }
}

void zset_lex_span(const struct entry *e, const struct zset_lex_range *r, size_t *lo, size_t *hi)
{
    *lo = zs__lex_rank(e, &r->min, 0);
    *hi = zs__lex_rank(e, &r->max, 1);
}

/* ---- walks ---- */

void zset_range(const struct entry *e, size_t start, size_t stop, int rev, zset_visit_fn *fn,
                void *arg)
{
    if (!zs__packed(e)) {
        struct zindex_pos pos;
        zindex_seek(zs__big(e)->index, rev ? stop : start, &pos);
        for (size_t k = start; k <= stop; k++) {
            double s;
            struct entry *me;
            zindex_get(&pos, &s, &me);
            fn(entry_key(me), entry_klen(me), s, arg);
            if (rev)
                zindex_prev(&pos);
            else
                zindex_next(&pos);
        }
        return;
    }
    const unsigned char *base = (const unsigned char *)entry_val(e);
    if (!rev) {
        const unsigned char *p = zs__pack(e);
        for (size_t i = 0; i <= stop; i++) {
            struct zs__pair pr;
            p = zs__read(p, &pr);
            if (i >= start) fn(pr.m, pr.mlen, pr.score, arg);
        }
        return;
    }
    size_t n = stop - start + 1, stack[130];
    size_t *offs = n + 1 <= 130 ? stack : mem_alloc((n + 1) * sizeof(size_t));
    zs__pack_offsets(e, start, stop, offs);
    for (size_t k = n; k-- > 0;) {
        struct zs__pair pr;
        zs__read(base + offs[k], &pr);
        fn(pr.m, pr.mlen, pr.score, arg);
    }
    if (offs != stack) mem_free(offs);
}

void zset_delete_range(struct entry **ep, size_t start, size_t stop)
{
    if (zs__packed(*ep)) {
        size_t offs[2] = {0, 0};
        const unsigned char *base = (const unsigned char *)entry_val(*ep), *p = zs__pack(*ep);
        for (size_t i = 0; i <= stop; i++) {
            if (i == start) offs[0] = (size_t)(p - base);
            p = pack_skip(pack_skip(p));
        }
        offs[1] = (size_t)(p - base);
        uint32_t n = zs__count(*ep);
        struct entry *e = entry_splice_value(*ep, offs[0], offs[1] - offs[0], 0);
        zs__set_count(e, n - (uint32_t)(stop - start + 1));
        *ep = e;
        return;
    }
    struct zset_big *b = zs__big(*ep);
    for (size_t k = start; k <= stop; k++) {
        struct zindex_pos pos;
        double s;
        struct entry *me;
        zindex_seek(b->index, start, &pos);
        zindex_get(&pos, &s, &me);
        zindex_delete_at(b->index, start);
        uint64_t h = zs__hash(entry_key(me), entry_klen(me));
        entry_destroy(
            shard_unlink(&b->dict, shard_find(&b->dict, entry_key(me), entry_klen(me), h), h));
    }
}

struct zs__scan {
    zset_visit_fn *fn;
    void *arg;
};

static void zs__scan_visit(struct entry *me, void *arg)
{
    struct zs__scan *sv = arg;
    sv->fn(entry_key(me), entry_klen(me), zs__entry_score(me), sv->arg);
}

uint64_t zset_scan(const struct entry *e, uint64_t cursor, uint64_t count, zset_visit_fn *fn,
                   void *arg)
{
    if (zs__packed(e)) {
        if (zs__count(e)) zset_range(e, 0, zs__count(e) - 1u, 0, fn, arg);
        return 0;
    }
    struct zs__scan sv = {fn, arg};
    return shard_scan_count(&zs__big(e)->dict, cursor, count, zs__scan_visit, &sv);
}

/* The pair of rank r. */
static void zs__at(const struct entry *e, size_t r, zset_visit_fn *fn, void *arg)
{
    zset_range(e, r, r, 0, fn, arg);
}

void zset_random(const struct entry *e, size_t n, int distinct, zset_visit_fn *fn, void *arg)
{
    size_t len = zset_len(e);
    if (len == 0 || n == 0) return;
    if (!distinct) {
        /* A pack's pairs are found once, then picked by offset. */
        size_t *offs = zs__packed(e) ? mem_alloc((len + 1) * sizeof(size_t)) : NULL;
        if (offs) zs__pack_offsets(e, 0, len - 1, offs);
        for (size_t k = 0; k < n; k++) {
            size_t r = (size_t)(util_rand64() % len);
            if (offs) {
                struct zs__pair pr;
                zs__read((const unsigned char *)entry_val(e) + offs[r], &pr);
                fn(pr.m, pr.mlen, pr.score, arg);
            } else {
                zs__at(e, r, fn, arg);
            }
        }
        mem_free(offs);
        return;
    }
    if (n >= len) {
        zset_range(e, 0, len - 1, 0, fn, arg);
        return;
    }
    /* Distinct ranks: a partial shuffle of all of them when n is a good
     * part of the set, else random draws remembered in a small table. */
    if (n * 3 > len || zs__packed(e)) {
        size_t *rank = mem_alloc(len * sizeof(size_t));
        for (size_t i = 0; i < len; i++) rank[i] = i;
        for (size_t i = 0; i < n; i++) {
            size_t j = i + (size_t)(util_rand64() % (len - i)), t = rank[i];
            rank[i] = rank[j];
            rank[j] = t;
            zs__at(e, rank[i], fn, arg);
        }
        mem_free(rank);
        return;
    }
    size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    size_t *seen = mem_alloc(cap * sizeof(size_t));
    memset(seen, 0xff, cap * sizeof(size_t));
    for (size_t got = 0; got < n;) {
        size_t r = (size_t)(util_rand64() % len), h = (r * 0x9E3779B97F4A7C15ull) & (cap - 1);
        while (seen[h] != SIZE_MAX && seen[h] != r) h = (h + 1) & (cap - 1);
        if (seen[h] == r) continue;
        seen[h] = r;
        got++;
        zs__at(e, r, fn, arg);
    }
    mem_free(seen);
}

/* ---- checks ---- */

static int zs__index_order(double s1, const struct entry *e1, double s2, const struct entry *e2)
{
    return zs__cmp(s1, entry_key(e1), entry_klen(e1), s2, entry_key(e2), entry_klen(e2)) < 0;
}

int zset_valid(const struct entry *e)
{
    if (!(e->flags & ENTRY_CONTAINER) || entry_type(e) != ENTRY_TYPE_ZSET) return 0;
    if (zs__packed(e)) {
        const unsigned char *p = zs__pack(e);
        size_t bytes = entry_vlen(e) - ZSET_PACK_HEAD;
        uint32_t n = zs__count(e);
        if (!pack_valid(p, bytes, 2 * (size_t)n)) return 0;
        struct zs__pair prev = {0}, pr;
        for (uint32_t i = 0; i < n; i++) {
            p = zs__read(p, &pr);
            if (isnan(pr.score)) return 0;
            if (i && zs__cmp(prev.score, prev.m, prev.mlen, pr.score, pr.m, pr.mlen) >= 0) return 0;
            prev = pr;
        }
        return 1;
    }
    const struct zset_big *b = zs__big(e);
    if (!zindex_valid(b->index, zs__index_order)) return 0;
    if (shard_count(&b->dict) != zindex_len(b->index)) return 0;
    struct zindex_pos pos;
    size_t len = zindex_len(b->index);
    if (len) zindex_seek(b->index, 0, &pos);
    for (size_t k = 0; k < len; k++) {
        double s;
        struct entry *me;
        zindex_get(&pos, &s, &me);
        struct entry **link = zs__big_find(e, entry_key(me), entry_klen(me));
        if (link == NULL || *link != me || zs__entry_score(me) != s) return 0;
        zindex_next(&pos);
    }
    return 1;
}

/* ---- the out-of-line part ---- */

void zset_free_big(void *big)
{
    struct zset_big *b = big;
    shard_clear(&b->dict);
    zindex_destroy(b->index);
    mem_free(b);
}

void zset_free_payload(struct entry *e)
{
    if (zs__packed(e) || zs__big(e) == NULL) return; /* NULL: taken */
    zset_free_big(zs__big(e));
}

size_t zset_big_len(const struct entry *e)
{
    return zs__packed(e) ? 0 : zindex_len(zs__big(e)->index);
}

void *zset_take_payload(struct entry *e)
{
    struct zset_big *b = zs__big(e), *none = NULL;
    memcpy(entry_val(e) + 1, &none, sizeof(none));
    return b;
}

void zset_dup_payload(struct entry *copy)
{
    if (zs__packed(copy)) return;
    const struct zset_big *src = zs__big(copy);
    struct zset_big *b = mem_calloc(sizeof(*b));
    shard_init(&b->dict);
    b->index = zindex_create();
    size_t len = zindex_len(src->index);
    struct zindex_pos pos;
    if (len) zindex_seek(src->index, 0, &pos);
    for (size_t k = 0; k < len; k++) {
        double s;
        struct entry *me;
        zindex_get(&pos, &s, &me);
        struct entry *c = zs__member_entry(entry_key(me), entry_klen(me), s);
        shard_add(&b->dict, c, zs__hash(entry_key(me), entry_klen(me)));
        zindex_insert_at(b->index, k, s, c);
        zindex_next(&pos);
    }
    memcpy(entry_val(copy) + 1, &b, sizeof(b));
}

size_t zset_payload_bytes(const struct entry *e, size_t samples)
{
    if (zs__packed(e)) return 0;
    struct zset_big *b = zs__big(e);
    return mem_usable(b) - sizeof(struct shard) + shard_memory(&b->dict, samples) +
           zindex_bytes(b->index);
}

/* zset_model.h - a program of sorted set operations run on storage/zset.c
 * and on a plain sorted array side by side, checked after every step
 * (zset_valid, the length, what the operation returned) and in full every
 * few steps. The unit test feeds it programs from a seeded generator; the
 * libFuzzer target feeds it its input. Members are "m" and a number, some
 * padded past the pack's value limit; scores come from a small table
 * (many ties, so member order matters; -0, infinities, fractions, big
 * integers), so every encoding boundary and tie rule is reached.
 *
 * The includer defines zset_model_check(ok), which fails its way. */
#ifndef RESPITE_ZSET_MODEL_H
#define RESPITE_ZSET_MODEL_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "storage/entry.h"
#include "storage/zset.h"

#define ZSET_MODEL_MAX  4000
#define ZSET_MODEL_MLEN 96

struct zset_model_item {
    double score;
    size_t len;
    char m[ZSET_MODEL_MLEN];
};

struct zset_model {
    struct zset_model_item v[ZSET_MODEL_MAX];
    size_t n;
};

static const double zset_model_scores[] = {0,    1,   2,      -1, 0.5,   -0.0,     1e300,
                                           3,    3,   3,      7,  -2.25, INFINITY, -INFINITY,
                                           1e17, 1.1, 100000, 42, 42,    42};

static double zset_model_score(uint8_t b)
{
    return zset_model_scores[b % (sizeof(zset_model_scores) / sizeof(zset_model_scores[0]))];
}

/* Member number id: "m<id>", padded with 'p' to one of a few lengths. */
static size_t zset_model_member(unsigned id, char *buf)
{
    static const size_t pad[] = {0, 0, 0, 10, 63, 70};
    int n = snprintf(buf, ZSET_MODEL_MLEN, "m%u", id);
    size_t len = (size_t)n + pad[id % 6];
    memset(buf + n, 'p', len - (size_t)n);
    return len;
}

static int zset_model_cmp(double s1, const char *m1, size_t l1, double s2, const char *m2,
                          size_t l2)
{
    if (s1 < s2) return -1;
    if (s1 > s2) return 1;
    size_t n = l1 < l2 ? l1 : l2;
    int c = memcmp(m1, m2, n);
    if (c) return c;
    return l1 < l2 ? -1 : l1 > l2;
}

static long zset_model_find(const struct zset_model *z, const char *m, size_t len)
{
    for (size_t i = 0; i < z->n; i++)
        if (z->v[i].len == len && memcmp(z->v[i].m, m, len) == 0) return (long)i;
    return -1;
}

static void zset_model_del(struct zset_model *z, size_t i)
{
    memmove(&z->v[i], &z->v[i + 1], (z->n - i - 1) * sizeof(z->v[0]));
    z->n--;
}

static void zset_model_ins(struct zset_model *z, double s, const char *m, size_t len)
{
    size_t i = 0;
    while (i < z->n && zset_model_cmp(z->v[i].score, z->v[i].m, z->v[i].len, s, m, len) < 0) i++;
    memmove(&z->v[i + 1], &z->v[i], (z->n - i) * sizeof(z->v[0]));
    z->v[i].score = s;
    z->v[i].len = len;
    memcpy(z->v[i].m, m, len);
    z->n++;
}

struct zset_model_walk {
    const struct zset_model *z;
    size_t at;
    int rev, ok;
};

static void zset_model_visit(const char *m, size_t mlen, double score, void *arg)
{
    struct zset_model_walk *w = arg;
    const struct zset_model_item *it = &w->z->v[w->at];
    /* == : a pack keeps -0 as 0, as Redis's listpack does. */
    if (it->len != mlen || memcmp(it->m, m, mlen) != 0 || it->score != score) w->ok = 0;
    if (w->rev)
        w->at--;
    else
        w->at++;
}

static int zset_model_same(const struct entry *e, const struct zset_model *z)
{
    if (zset_len(e) != z->n || !zset_valid(e)) return 0;
    if (z->n == 0) return 1;
    struct zset_model_walk w = {z, 0, 0, 1};
    zset_range(e, 0, z->n - 1, 0, zset_model_visit, &w);
    return w.ok && w.at == z->n;
}

struct zset_model_picks {
    const struct zset_model *z;
    char seen[ZSET_MODEL_MAX];
    size_t n;
    int ok;
};

static void zset_model_pick(const char *m, size_t mlen, double score, void *arg)
{
    struct zset_model_picks *p = arg;
    long i = zset_model_find(p->z, m, mlen);
    if (i < 0 || p->seen[i] || p->z->v[i].score != score) p->ok = 0;
    if (i >= 0) p->seen[i] = 1;
    p->n++;
}

static void zset_model_pick_any(const char *m, size_t mlen, double score, void *arg)
{
    struct zset_model_picks *p = arg;
    long i = zset_model_find(p->z, m, mlen);
    if (i < 0 || p->z->v[i].score != score) p->ok = 0;
    p->n++;
}

/* Runs the program (triples of bytes: operation, two arguments). */
static void zset_model_run(const uint8_t *prog, size_t size)
{
    static struct zset_model z;
    z.n = 0;
    char buf[ZSET_MODEL_MLEN], buf2[ZSET_MODEL_MLEN];
    struct entry *e = zset_new("z", 1, 0, 0, -1);
    for (size_t i = 0; i + 2 < size; i += 3) {
        uint8_t op = prog[i] % 10, a = prog[i + 1], b = prog[i + 2];
        unsigned id = ((unsigned)a << 8 | b) % 3000;
        size_t len = zset_model_member(id, buf);
        if (z.n == 0 && op != 0) op = 0;
        switch (op) {
        case 0: { /* ZADD with options, or ZINCRBY */
            static const int ins[] = {0,
                                      0,
                                      0,
                                      ZSET_IN_NX,
                                      ZSET_IN_XX,
                                      ZSET_IN_GT,
                                      ZSET_IN_LT,
                                      ZSET_IN_INCR,
                                      ZSET_IN_XX | ZSET_IN_GT,
                                      ZSET_IN_INCR | ZSET_IN_LT};
            int in = ins[(a >> 4) % 10];
            double s = zset_model_score(b + a), ns = 0, want = s;
            long at = zset_model_find(&z, buf, len);
            int expect;
            if (at >= 0) {
                double cur = z.v[at].score;
                if (in & ZSET_IN_INCR) want = cur + s;
                if (in & ZSET_IN_NX)
                    expect = ZSET_OUT_NOP;
                else if (isnan(want))
                    expect = ZSET_OUT_NAN;
                else if (((in & ZSET_IN_LT) && want >= cur) || ((in & ZSET_IN_GT) && want <= cur))
                    expect = ZSET_OUT_NOP;
                else
                    expect = want == cur ? 0 : ZSET_OUT_UPDATED;
            } else {
                expect = (in & ZSET_IN_XX) ? ZSET_OUT_NOP : ZSET_OUT_ADDED;
            }
            if (expect == ZSET_OUT_ADDED && z.n == ZSET_MODEL_MAX) break;
            int out = zset_add(&e, s, buf, len, in, &ns);
            zset_model_check(out == expect);
            if (expect == ZSET_OUT_ADDED || expect == ZSET_OUT_UPDATED || expect == 0)
                zset_model_check(ns == want);
            if (expect == ZSET_OUT_UPDATED) zset_model_del(&z, (size_t)at);
            if (expect == ZSET_OUT_ADDED || expect == ZSET_OUT_UPDATED)
                zset_model_ins(&z, want, buf, len);
            break;
        }
        case 1: { /* ZREM of a member that is there (mostly) or not */
            if (!(a & 1)) {
                const struct zset_model_item *it = &z.v[id % z.n];
                len = it->len;
                memcpy(buf, it->m, len);
            }
            long at = zset_model_find(&z, buf, len);
            zset_model_check(zset_remove(&e, buf, len) == (at >= 0));
            if (at >= 0) zset_model_del(&z, (size_t)at);
            break;
        }
        case 2:
        case 3: { /* ZSCORE, ZRANK */
            long at = zset_model_find(&z, buf, len);
            double s = 0;
            if (op == 2)
                zset_model_check(zset_score(e, buf, len, &s) == (at >= 0) &&
                                 (at < 0 || s == z.v[at].score));
            else
                zset_model_check(zset_rank(e, buf, len, &s) == at);
            break;
        }
        case 4: { /* a score span */
            struct zset_score_range r = {zset_model_score(a), zset_model_score(b), a & 1, b & 1};
            size_t lo, hi, wlo = 0, whi = 0;
            zset_score_span(e, &r, &lo, &hi);
            while (wlo < z.n && (r.minex ? z.v[wlo].score <= r.min : z.v[wlo].score < r.min)) wlo++;
            while (whi < z.n && (r.maxex ? z.v[whi].score < r.max : z.v[whi].score <= r.max)) whi++;
            zset_model_check(lo == wlo && hi == whi);
            break;
        }
        case 5: { /* a lexicographic span (meaningful with equal scores, run anyway) */
            size_t len2 = zset_model_member(((unsigned)b << 8 | a) % 3000, buf2);
            struct zset_lex_range r = {{(enum zset_lex_kind)(a % 4), buf, len},
                                       {(enum zset_lex_kind)(b % 4), buf2, len2}};
            size_t lo, hi, wlo = 0, whi = 0;
            zset_lex_span(e, &r, &lo, &hi);
            const struct zset_lex_bound *mn = &r.min, *mx = &r.max;
            if (mn->kind == ZSET_LEX_PLUS) wlo = z.n;
            if (mn->kind >= ZSET_LEX_INCL)
                while (wlo < z.n) {
                    int c = zset_model_cmp(0, z.v[wlo].m, z.v[wlo].len, 0, mn->s, mn->len);
                    if (mn->kind == ZSET_LEX_INCL ? c >= 0 : c > 0) break;
                    wlo++;
                }
            if (mx->kind == ZSET_LEX_PLUS) whi = z.n;
            if (mx->kind >= ZSET_LEX_INCL)
                while (whi < z.n) {
                    int c = zset_model_cmp(0, z.v[whi].m, z.v[whi].len, 0, mx->s, mx->len);
                    if (mx->kind == ZSET_LEX_INCL ? c > 0 : c >= 0) break;
                    whi++;
                }
            /* Spans count a prefix only when the set is in member order. */
            int all_equal = 1;
            for (size_t k = 1; k < z.n; k++)
                if (z.v[k].score != z.v[0].score) all_equal = 0;
            if (all_equal) zset_model_check(lo == wlo && hi == whi);
            break;
        }
        case 6: { /* a walk between two ranks, either way */
            size_t x = a % z.n, y = b % z.n, from = x < y ? x : y, to = x < y ? y : x;
            int rev = (a ^ b) & 1;
            struct zset_model_walk w = {&z, rev ? to : from, rev, 1};
            zset_range(e, from, to, rev, zset_model_visit, &w);
            zset_model_check(w.ok);
            break;
        }
        case 7: { /* removal of a rank range: mostly short, sometimes long */
            size_t from = a % z.n, n = (b & 0x80) ? (size_t)b : (size_t)(b % 4) + 1;
            if (from + n > z.n) n = z.n - from;
            if (n == z.n) n--; /* the command deletes the key instead */
            if (n == 0) break;
            zset_delete_range(&e, from, from + n - 1);
            memmove(&z.v[from], &z.v[from + n], (z.n - from - n) * sizeof(z.v[0]));
            z.n -= n;
            break;
        }
        case 8: { /* random members, distinct or not */
            static struct zset_model_picks p;
            memset(p.seen, 0, z.n);
            p.z = &z;
            p.n = 0;
            p.ok = 1;
            size_t want = (size_t)a % (z.n + 2);
            int distinct = b & 1;
            if (distinct && want > z.n) want = z.n;
            zset_random(e, want, distinct, distinct ? zset_model_pick : zset_model_pick_any, &p);
            zset_model_check(p.ok && p.n == want);
            break;
        }
        default: { /* a deep copy stands apart */
            struct entry *copy = entry_copy(e, "c", 1, -1, 1);
            zset_model_check(zset_model_same(copy, &z));
            entry_destroy(copy);
            break;
        }
        }
        zset_model_check(zset_len(e) == z.n);
        if (i % 64 == 0 || z.n < 40) zset_model_check(zset_model_same(e, &z));
    }
    zset_model_check(zset_model_same(e, &z));
    entry_destroy(e);
}

#endif

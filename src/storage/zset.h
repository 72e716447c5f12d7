/* zset.h - the sorted set type: distinct members, each with a score,
 * ordered by score and then by member bytes.
 *
 * Two encodings. A small sorted set is a pack of member, score pairs in
 * order inside its key's entry ("listpack", as Redis); past
 * zset-max-listpack-entries members, or with a member longer than
 * zset-max-listpack-value bytes, it becomes a hash table of member
 * entries (member to score, for ZSCORE and ZADD in O(1)) beside a counted
 * B+tree of the pairs in order (zindex.h, for ranks and ranges in
 * O(log n)). OBJECT ENCODING calls that one "skiplist", the name Redis
 * users and tools know for a large sorted set, though it is not one.
 *
 * Positions are ranks, 0 for the lowest pair. Range commands turn their
 * bounds into a span of ranks [lo, hi) first (zset_score_span,
 * zset_lex_span), then visit or delete by rank, so every command is a
 * search and a walk whichever the encoding.
 *
 * As for the other containers, changing functions take the entry by
 * reference (it may move or change encoding); the caller puts it back
 * (db_store, db_relink) under the key's shard lock and deletes the key
 * when the set is left empty. Member bytes handed to a visitor are valid
 * until the set next changes. */
#ifndef RESPITE_ZSET_H
#define RESPITE_ZSET_H

#include <stddef.h>
#include <stdint.h>

struct entry;

/* A new empty sorted set under key for about size_hint members of up to
 * len_hint bytes, packed unless those exceed the pack limits (Redis's
 * zsetTypeCreate); the caller adds members and stores it. */
struct entry *zset_new(const char *key, size_t klen, size_t size_hint, size_t len_hint,
                       long long expire);
/* Before adding about size_hint members: leaves the pack when that many
 * would not fit (Redis's zsetTypeMaybeConvert). */
void zset_prepare(struct entry **ep, size_t size_hint);
size_t zset_len(const struct entry *e);
/* 1 with m's score, 0 when m is not a member. */
int zset_score(const struct entry *e, const char *m, size_t mlen, double *score);

/* ZADD's options and outcomes (Redis's ZADD_IN_* / ZADD_OUT_*). */
#define ZSET_IN_INCR     0x01
#define ZSET_IN_NX       0x02
#define ZSET_IN_XX       0x04
#define ZSET_IN_GT       0x08
#define ZSET_IN_LT       0x10
#define ZSET_OUT_NOP     0x01 /* the options said not to change anything */
#define ZSET_OUT_NAN     0x02 /* INCR would make the score NaN: nothing changed */
#define ZSET_OUT_ADDED   0x04
#define ZSET_OUT_UPDATED 0x08
/* Adds m with score, or updates its score (adds score with INCR), as the
 * options allow; returns the ZSET_OUT_* flags and, unless NOP or NAN, the
 * member's score in *newscore. */
int zset_add(struct entry **ep, double score, const char *m, size_t mlen, int in, double *newscore);
/* Removes m; returns 1 when it was a member. */
int zset_remove(struct entry **ep, const char *m, size_t mlen);
/* m's rank from the lowest and its score, or -1 when it is not a member. */
long long zset_rank(const struct entry *e, const char *m, size_t mlen, double *score);

/* A score interval ("(1" excludes 1). */
struct zset_score_range {
    double min, max;
    int minex, maxex;
};
/* A lexicographic interval: a bound is "-", "+", inclusive or exclusive. */
enum zset_lex_kind { ZSET_LEX_MINUS, ZSET_LEX_PLUS, ZSET_LEX_INCL, ZSET_LEX_EXCL };
struct zset_lex_bound {
    enum zset_lex_kind kind;
    const char *s;
    size_t len;
};
struct zset_lex_range {
    struct zset_lex_bound min, max;
};
/* The ranks [*lo, *hi) of the members inside the interval (lo >= hi:
 * none). Lexicographic ranges assume equal scores, as Redis does. */
void zset_score_span(const struct entry *e, const struct zset_score_range *r, size_t *lo,
                     size_t *hi);
void zset_lex_span(const struct entry *e, const struct zset_lex_range *r, size_t *lo, size_t *hi);

typedef void zset_visit_fn(const char *m, size_t mlen, double score, void *arg);
/* Members of ranks start..stop (start <= stop < len), lowest first, or
 * highest first with rev. */
void zset_range(const struct entry *e, size_t start, size_t stop, int rev, zset_visit_fn *fn,
                void *arg);
/* Removes the members of ranks start..stop (start <= stop < len). */
void zset_delete_range(struct entry **ep, size_t start, size_t stop);
/* ZSCAN: about count members from cursor; the next cursor, 0 when done
 * (a pack in one call, as Redis does). */
uint64_t zset_scan(const struct entry *e, uint64_t cursor, uint64_t count, zset_visit_fn *fn,
                   void *arg);
/* ZRANDMEMBER: n members at random, distinct (n at most zset_len) or
 * maybe repeated. */
void zset_random(const struct entry *e, size_t n, int distinct, zset_visit_fn *fn, void *arg);

/* Checks the structure: a well-formed pack in order, or a table and a
 * tree that agree member for member (unit tests, fuzz target). */
int zset_valid(const struct entry *e);

/* For value.c: the out-of-line part of a large set. */
void zset_free_payload(struct entry *e);
void zset_dup_payload(struct entry *copy);
size_t zset_payload_bytes(const struct entry *e, size_t samples);
/* For lazy freeing: a large set's members (0 when packed), and its
 * out-of-line part, which the entry then no longer owns, with the function
 * that frees it on another thread. */
size_t zset_big_len(const struct entry *e);
void *zset_take_payload(struct entry *e);
void zset_free_big(void *big);

#endif

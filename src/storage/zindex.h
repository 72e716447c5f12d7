/* zindex.h - an ordered sequence of (score, member entry) pairs with
 * O(log n) access by rank: the order half of a large sorted set (zset.c
 * keeps the member-to-score half in a hash table of member entries, and
 * every pair here points at one of them).
 *
 * It is a B+tree that counts: leaves hold up to ZINDEX_LEAF_CAP pairs in
 * order and are linked both ways; an inner node holds, for each child, the
 * number of pairs under it and a copy of its last pair. Rank lookups
 * descend by the counts, searches by the last pairs, so both are
 * O(log n) with a handful of cache lines per level, where a skiplist
 * (Redis's choice) chases one pointer per level per step and spends 40 or
 * more bytes of node per member; here a member costs its 16-byte slot in a
 * leaf about two thirds full (zset.c's design note has the measurements).
 *
 * The tree knows positions, not order: a caller finds a rank with
 * zindex_count_while (how many leading pairs satisfy a test that holds for
 * a prefix of the sequence, e.g. "scores below 5") and inserts or deletes
 * there, so one tree serves score, lexicographic and member order without
 * a comparator inside. The caller keeps the sequence sorted.
 *
 * Not thread-safe: the sorted set's key lock guards it. */
#ifndef RESPITE_ZINDEX_H
#define RESPITE_ZINDEX_H

#include <stddef.h>

struct entry;
struct zindex;

struct zindex *zindex_create(void);
/* Frees the tree (not the entries it points at). */
void zindex_destroy(struct zindex *z);
size_t zindex_len(const struct zindex *z);
/* Bytes the tree's nodes take (jemalloc's size classes). */
size_t zindex_bytes(const struct zindex *z);

/* Inserts the pair so that it gets rank r (0 <= r <= len). */
void zindex_insert_at(struct zindex *z, size_t r, double score, struct entry *e);
/* Deletes the pair at rank r (< len). */
void zindex_delete_at(struct zindex *z, size_t r);

/* The same in one descent, at the place a test gives (see
 * zindex_count_while, declared below): insert before the first pair
 * `before` fails for; delete that pair (the caller knows it is there). */
typedef int zindex_test_fn(double score, const struct entry *e, const void *arg);
void zindex_insert(struct zindex *z, zindex_test_fn *before, const void *arg, double score,
                   struct entry *e);
void zindex_delete(struct zindex *z, zindex_test_fn *before, const void *arg);

/* How many leading pairs `before` returns non-zero for; before must hold
 * for a prefix of the sequence and fail for the rest. */
size_t zindex_count_while(const struct zindex *z, zindex_test_fn *before, const void *arg);

/* A position for walking the sequence from a rank, either way. */
struct zindex_pos {
    void *leaf; /* NULL: past either end */
    unsigned i;
};
/* The position of rank r (< len). */
void zindex_seek(const struct zindex *z, size_t r, struct zindex_pos *p);
void zindex_get(const struct zindex_pos *p, double *score, struct entry **e);
void zindex_next(struct zindex_pos *p);
void zindex_prev(struct zindex_pos *p);

/* Checks the structure: counts, last pairs and links agree, no node is
 * empty or over capacity, all leaves are at one depth, and the pairs are
 * in `in_order` order (for the unit tests and the fuzz target). */
int zindex_valid(const struct zindex *z, int (*in_order)(double s1, const struct entry *e1,
                                                         double s2, const struct entry *e2));

#endif

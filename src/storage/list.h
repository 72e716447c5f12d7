/* list.h - the list type: a key's sequence of elements.
 *
 * Two encodings, Redis 7.4's. A small list is one pack inside its key's
 * entry ("listpack"); past list-max-listpack-size (8 KB by default, or a
 * count of elements) it becomes an out-of-line chain of packs of that size
 * ("quicklist"): pushes and pops at either end touch one pack of a few KB
 * whatever the length, and an index walks the chain by each pack's count,
 * from the nearer end. A chain that shrinks to one pack of half the limit
 * goes back inline, as Redis converts back.
 *
 * As with hashes and sets, functions that change a list take the entry by
 * reference (it may move or change encoding); the caller puts it back
 * (db_store, db_relink) under the key's shard lock, and deletes the key
 * when the list is left empty (a key never holds an empty list). Indexes
 * are 0-based from the head and already checked against list_len. Element
 * bytes handed out are valid until the list next changes. */
#ifndef RESPITE_LIST_H
#define RESPITE_LIST_H

#include <stddef.h>

struct entry;

#define LIST_HEAD 0
#define LIST_TAIL 1

/* A new empty list under key, packed; the caller pushes and stores it. */
struct entry *list_new(const char *key, size_t klen, long long expire);
size_t list_len(const struct entry *e);
/* Before adding `count` elements of `bytes` bytes in all: converts a pack
 * that would outgrow the limit (Redis checks a command's elements at
 * once, so LPUSH of many converts before the first goes in). */
void list_prepare(struct entry **ep, size_t bytes, size_t count);
void list_push(struct entry **ep, int where, const char *s, size_t len);

typedef void list_visit_fn(const char *s, size_t len, void *arg);
/* Removes n elements (at most list_len) from where, handing each to fn
 * before it goes, in the order they come off. */
void list_pop(struct entry **ep, int where, size_t n, list_visit_fn *fn, void *arg);
/* Elements start..stop (start <= stop < list_len), head to tail. */
void list_range(const struct entry *e, size_t start, size_t stop, list_visit_fn *fn, void *arg);
/* The element at index i (< list_len). */
void list_index(const struct entry *e, size_t i, const char **s, size_t *len);
/* Replaces the element at index i. */
void list_set(struct entry **ep, size_t i, const char *s, size_t len);
/* Inserts (s, len) before or after the first element equal to pivot;
 * returns 0 when there is none. */
int list_insert(struct entry **ep, const char *pivot, size_t plen, int after, const char *s,
                size_t len);
/* LREM: removes elements equal to (s, len): the first count from the head
 * (count > 0), the last -count from the tail (count < 0), or all (0).
 * Returns how many went. */
size_t list_remove(struct entry **ep, long long count, const char *s, size_t len);
/* LTRIM: keeps elements start..stop (start <= stop < list_len). */
void list_trim(struct entry **ep, size_t start, size_t stop);
/* LPOS: the indexes of elements equal to (s, len), from the head (rank >
 * 0) or the tail (rank < 0), skipping the first |rank| - 1 matches, at
 * most count of them (0: all), looking at no more than maxlen elements
 * (0: all). fn gets each index. */
void list_pos(const struct entry *e, const char *s, size_t len, long long rank, size_t count,
              size_t maxlen, void (*fn)(size_t index, void *arg), void *arg);

/* Checks the list's structure: well-formed packs, counts and links that
 * agree, every node of more than one element within the limit (the unit
 * tests and the fuzz target). */
int list_valid(const struct entry *e);

/* For value.c: a chain's out-of-line part. */
void list_free_payload(struct entry *e);
void list_dup_payload(struct entry *copy);
size_t list_payload_bytes(const struct entry *e, size_t samples);
/* Packs in a chain (what freeing it costs, Redis's lazyfree effort), 0
 * for an inline list. */
size_t list_chain_packs(const struct entry *e);
/* For lazy freeing: the chain, which the entry then no longer owns, and
 * the function that frees it on another thread. */
void *list_take_payload(struct entry *e);
void list_free_chain(void *chain);

#endif

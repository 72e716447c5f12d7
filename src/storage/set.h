/* set.h - the set type: a key's distinct members.
 *
 * Three encodings, Redis 7.4's. All-integer sets start as an intset: the
 * members as sorted binary integers of one width (2, 4 or 8 bytes) inside
 * the key's entry, found by binary search ("intset"). Other small sets are
 * a pack of members ("listpack"). Past set-max-intset-entries members, or
 * set-max-listpack-entries, or with a member longer than
 * set-max-listpack-value bytes, a set becomes an out-of-line table of
 * member entries ("hashtable"), as Redis converts, and never goes back.
 *
 * As with hashes (hash.h), changing functions take the entry by reference
 * (it may move or change encoding) and the caller puts it back with
 * db_store or db_relink under the key's shard lock. Member bytes handed to
 * a visitor are valid during the call only (an intset's are formatted on
 * the fly). */
#ifndef RESPITE_SET_H
#define RESPITE_SET_H

#include <stddef.h>
#include <stdint.h>

struct entry;

/* A new set under key holding member m, its encoding chosen for about
 * size_hint members to come, as Redis's setTypeCreate: intset for an
 * integer member if that many fit, else packed, else a table. */
struct entry *set_new(const char *key, size_t klen, const char *m, size_t mlen, size_t size_hint,
                      long long expire);
/* Before adding about size_hint members: moves to a table when that many
 * would not fit the current encoding (Redis's setTypeMaybeConvert). */
void set_prepare(struct entry **ep, size_t size_hint);
size_t set_len(const struct entry *e);
int set_contains(const struct entry *e, const char *m, size_t mlen);
/* Adds m; returns 1 when it is new. */
int set_add(struct entry **ep, const char *m, size_t mlen);
/* Removes m; returns 1 when it was there. The caller deletes the key when
 * the set is left empty. */
int set_remove(struct entry **ep, const char *m, size_t mlen);

typedef void set_visit_fn(const char *m, size_t mlen, void *arg);
/* Every member once: an intset's in order, a pack's in insertion order. */
void set_each(const struct entry *e, set_visit_fn *fn, void *arg);
/* SSCAN: about count members from cursor; the next cursor, 0 when done
 * (an intset or a pack whole in one call). */
uint64_t set_scan(const struct entry *e, uint64_t cursor, uint64_t count, set_visit_fn *fn,
                  void *arg);
/* SRANDMEMBER: n members at random, distinct (n at most set_len) or maybe
 * repeated. */
void set_random(const struct entry *e, size_t n, int distinct, set_visit_fn *fn, void *arg);
/* SPOP: removes n distinct members at random (n at most set_len), handing
 * each to fn before it goes. */
void set_pop(struct entry **ep, size_t n, set_visit_fn *fn, void *arg);

/* For value.c: a table-encoded set's out-of-line part. */
void set_free_payload(struct entry *e);
/* For lazy freeing: the table of a table-encoded set, which the entry
 * then no longer owns. */
struct shard;
struct shard *set_take_payload(struct entry *e);
void set_dup_payload(struct entry *copy);
size_t set_payload_bytes(const struct entry *e, size_t samples);

#endif

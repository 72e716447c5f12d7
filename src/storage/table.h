/* table.h - the sharded hash table that holds a database's keys.
 *
 * A table is TABLE_SHARDS independent shards. The top bits of a key's hash
 * pick the shard, the low bits the bucket. Each shard is a chained hash
 * table that grows and shrinks by incremental rehashing (two bucket arrays,
 * buckets moved a few at a time by the operations that touch the shard and
 * by table_rehash_budget from the cron), so no single command pays for a
 * whole resize. A shard is the unit that expiry and eviction sample and
 * that a multi-threaded server will lock: nothing here is shared between
 * shards.
 *
 * Entries are single allocations holding the key, the value and, only for
 * keys with a TTL, the expire time (see entry.h).
 *
 * A hash's or set's elements past their packed encoding live in a single
 * shard of their own (the shard_* functions): a container is not locked in
 * parts, and one shard is a 72-byte header where a table is 1152. */
#ifndef RESPITE_TABLE_H
#define RESPITE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "storage/entry.h"

#define TABLE_SHARD_BITS 4
#define TABLE_SHARDS     (1 << TABLE_SHARD_BITS)

struct shard {
    struct entry **buckets[2]; /* [1] is the new array while rehashing */
    uint64_t mask[2];          /* size - 1, sizes are powers of two */
    uint64_t used[2];
    int64_t rehash_idx;     /* next bucket of [0] to move; -1 if idle */
    uint64_t volatile_keys; /* entries with an expire time */
    uint64_t expire_cursor; /* where active expiry resumes */
};

struct table {
    struct shard shards[TABLE_SHARDS];
};

void table_init(struct table *t);
void shard_init(struct shard *s);
/* Frees every entry and the bucket arrays; the table is empty afterwards. */
void table_clear(struct table *t);
void shard_clear(struct shard *s);

static inline unsigned table_shard_of(uint64_t hash)
{
    return (unsigned)(hash >> (64 - TABLE_SHARD_BITS));
}

uint64_t table_count(const struct table *t);
uint64_t table_volatile_count(const struct table *t);
uint64_t shard_count(const struct shard *s);
/* Keys with a TTL in the shard; like the counts, safe to read unlocked. */
static inline uint64_t shard_volatile(const struct shard *s)
{
    return __atomic_load_n(&s->volatile_keys, __ATOMIC_RELAXED);
}

/* Looks the key up and returns the address of the link that points at its
 * entry (so the caller can replace or unlink it), or NULL. Performs one
 * step of incremental rehashing on the shard first; the returned link stays
 * valid until the next table call on that shard. */
struct entry **table_find(struct table *t, const char *key, size_t len, uint64_t hash);
struct entry **shard_find(struct shard *s, const char *key, size_t len, uint64_t hash);
/* Adds e, whose key must not be present. May start a resize. */
void table_add(struct table *t, struct entry *e, uint64_t hash);
void shard_add(struct shard *s, struct entry *e, uint64_t hash);
/* Unlinks the entry *link points at and returns it (not freed). */
struct entry *table_unlink(struct table *t, struct entry **link, uint64_t hash);
struct entry *shard_unlink(struct shard *s, struct entry **link, uint64_t hash);
/* Puts e where *link's entry was (same key); returns the old entry. */
struct entry *table_swap(struct table *t, struct entry **link, struct entry *e, uint64_t hash);
struct entry *shard_swap(struct shard *s, struct entry **link, struct entry *e);
/* Call after an entry's expire flag changed in place (via a swap). */
void table_note_volatile(struct table *t, uint64_t hash, int delta);
void shard_note_volatile(struct shard *s, int delta);

/* Stateless cursor scan with Redis's guarantee: every entry present for
 * the whole scan is visited at least once, across resizes. The cursor
 * holds the shard in its low bits and the reversed-bit bucket cursor
 * above. Visits at least one bucket and stops after about `count` entries;
 * returns the next cursor, 0 when done. fn must not modify the table. */
typedef void table_visit_fn(struct entry *e, void *arg);
uint64_t table_scan(struct table *t, uint64_t cursor, uint64_t count, table_visit_fn *fn,
                    void *arg);
/* Scans one shard's buckets; same contract, cursor local to the shard. */
uint64_t shard_scan(struct shard *s, uint64_t cursor, table_visit_fn *fn, void *arg);
/* table_scan's contract (about `count` entries a call) for one shard. */
uint64_t shard_scan_count(struct shard *s, uint64_t cursor, uint64_t count, table_visit_fn *fn,
                          void *arg);

/* Visits every entry exactly once (no entry moves while it runs: fn must
 * not change the shard). For a whole container in one reply. */
void shard_each(struct shard *s, table_visit_fn *fn, void *arg);

/* A uniformly chosen shard weighted by size, then a random non-empty
 * bucket and a random entry of its chain. NULL when empty. */
struct entry *table_random(struct table *t);
/* A random non-empty bucket of the shard, a random entry of its chain. */
struct entry *shard_random(struct shard *s);

/* n random entries, visited in turn: independent picks, or with distinct
 * each entry at most once (repeats are drawn again, remembered in a small
 * open-addressing set, so n should be well under the count: HRANDFIELD and
 * SRANDMEMBER list the whole container instead past a third of it). */
void shard_random_picks(struct shard *s, size_t n, int distinct, table_visit_fn *fn, void *arg);

/* Up to n entries of one shard, from consecutive buckets starting at a
 * random one (for eviction sampling); returns how many. */
size_t shard_sample(struct shard *s, struct entry **out, size_t n);

/* Moves buckets of rehashing shards for about us microseconds; returns
 * non-zero if some shard still has work left. */
int table_rehash_budget(struct table *t, uint64_t us);
/* One shard: resize if due and rehash until deadline (monotonic us).
 * Returns 1 if work is left. */
int shard_rehash_until(struct shard *s, uint64_t deadline);
/* Memory held by the shard's bucket arrays (for INFO/MEMORY). */
size_t shard_overhead(const struct shard *s);
/* A container's shard: the struct, its buckets and its entries, the
 * entries' bytes estimated from about `samples` of them when there are
 * more (MEMORY USAGE's SAMPLES; 0: every entry). */
size_t shard_memory(struct shard *s, size_t samples);
/* Fills dst (initialized, empty) with copy(e) of every entry of src. */
typedef struct entry *table_copy_fn(const struct entry *e);
void shard_copy(struct shard *dst, struct shard *src, table_copy_fn *copy);

/* Unlinks and frees expired or otherwise selected entries of a shard in a
 * safe way: used by active expiry. Visits up to `buckets` buckets starting
 * at s->expire_cursor; for each entry calls fn; when fn returns 1 the entry
 * is removed and passed to free_fn. Returns entries visited. */
typedef int table_pick_fn(struct entry *e, void *arg);
typedef void table_free_fn(struct entry *e, void *arg);
uint64_t shard_sweep(struct shard *s, uint64_t buckets, table_pick_fn *fn, table_free_fn *free_fn,
                     void *arg, int *wrapped);

#endif

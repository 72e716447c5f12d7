/* db.h - the keyspace's interface: the numbered databases and what is done
 * to their keys (lookup with lazy expiry, store, delete, scan), the shard
 * locks that make commands atomic, WATCH bookkeeping, and the hooks through
 * which key changes reach the layers above. Commands, expiry, eviction,
 * transactions and scripts reach keys only through this header; the table
 * (table.h) and the access clock (access.h) are private to storage.
 *
 * A key's record is a struct entry (entry.h, included here as part of this
 * interface): read it with entry_key / entry_klen / entry_val / entry_vlen /
 * entry_expire and its type with entry_type; build a string with
 * entry_create, a container through its type module (hash.h), change one
 * with entry_resize_value, entry_set_expire or the type module, and hand it
 * back with db_store or db_relink, which keep the table, the watchers and
 * the hooks in step. value.h has what all types share (TYPE names, MEMORY
 * USAGE). */
#ifndef RESPITE_DB_H
#define RESPITE_DB_H

#include <stddef.h>
#include <stdint.h>

#include "storage/entry.h"
#include "storage/lockset.h"

/* Shards per database: the unit of locking, sampling and sweeping. */
#define DB_SHARDS 16

struct db; /* private to db.c */

/* A WATCHed key: one record per (client, key), in the list of the key's
 * shard, guarded by that shard's lock. A write to the key sets *dirty. */
struct watch {
    struct watch *next;
    int *dirty;
    size_t klen;
    char key[];
};

/* Where a looked-up key lives, so it can be replaced or deleted without a
 * second lookup. Valid until the next call into the db. */
struct keyref {
    struct db *db;
    uint64_t hash;
    struct entry **link; /* NULL if the key was not found */
};

void db_setup(int count);
void db_teardown(void);
int db_count(void);
struct db *db_get(int id);
int db_id(const struct db *db);

#define DB_LOOKUP_READ    0x01 /* counts keyspace_hits / misses */
#define DB_LOOKUP_NOTOUCH 0x02 /* does not update the access clock */
/* A write command's lookup: an access, like Redis's lookupKeyWrite, even
 * when the command then changes nothing (the access data moves with the
 * entry when a write reallocates it). */
#define DB_LOOKUP_WRITE 0

/* CLIENT NO-TOUCH: while on (for the command this thread runs), lookups
 * leave the access clock alone, as with DB_LOOKUP_NOTOUCH. */
void db_set_no_touch(int on);

/* CLIENT PAUSE (WRITE or ALL): while on, nothing expires or is evicted,
 * as in Redis: lookups treat an expired key as missing without deleting
 * it, active expiry and eviction do nothing. */
void db_set_paused(int on);
int db_paused(void);

/* Returns the live entry for key, or NULL; an expired entry found on the
 * way is deleted (lazy expiry, by the command clock: base/clock.h). ref, if
 * not NULL, is filled either way. */
struct entry *db_lookup(struct db *db, const char *key, size_t len, int flags, struct keyref *ref);
/* Stores e under the key of ref (from a db_lookup): replaces the entry
 * that is there, or adds e when the lookup found nothing. */
void db_store(struct keyref *ref, struct entry *e);
/* After entry_resize_value / entry_set_expire on *ref->link's entry:
 * puts the returned entry in place. had_expire: the old entry's TTL flag. */
void db_relink(struct keyref *ref, struct entry *e, int had_expire);
/* Puts e where *ref->link's entry was, telling no one: the entry moved
 * (a container changed encoding or grew) without a change to the key's
 * value, as when SADD adds only members already there. WATCH and
 * client-side caching see no change. */
void db_relocate(struct keyref *ref, struct entry *e);
/* Why a key is deleted: picks the lazyfree-lazy-* directive that decides
 * whether a big value is freed by the freeing thread (lazyfree.h) rather
 * than on the spot. UNLINK always frees big values in the background. */
enum db_why {
    DB_DEL_IMPLICIT, /* overwritten, emptied, moved over (lazyfree-lazy-server-del) */
    DB_DEL_USER,     /* DEL (lazyfree-lazy-user-del) */
    DB_DEL_UNLINK,   /* UNLINK */
    DB_DEL_EXPIRE,   /* lazyfree-lazy-expire */
    DB_DEL_EVICT,    /* lazyfree-lazy-eviction */
};
/* Deletes the entry ref points at (db_remove: an implicit deletion). */
void db_remove(struct keyref *ref);
void db_remove_why(struct keyref *ref, enum db_why why);
/* Looks up and deletes; returns 1 if a live key was deleted. */
int db_delete(struct db *db, const char *key, size_t len, enum db_why why);
/* Looks up and unlinks key without freeing it (watchers and hooks see a
 * deletion): the caller owns the entry, e.g. RENAME moving its value to
 * another name (entry_copy, then entry_free_shell). NULL when missing. */
struct entry *db_take(struct db *db, const char *key, size_t len);
/* Sets key to val with an optional expire time (< 0: none). */
void db_set(struct db *db, const char *key, size_t klen, const char *val, size_t vlen,
            long long expire);
/* The access clock of e, for OBJECT IDLETIME (LRU policies) and OBJECT
 * FREQ (LFU policies); whether the policy is an LFU one. */
long long db_idle_ms(const struct entry *e);
int db_lfu_freq(const struct entry *e);
int db_policy_is_lfu(void);

/* Whole-database iteration. db_scan: Redis's SCAN guarantee (every key
 * present for the whole iteration is visited at least once, across
 * resizes) with the shard in the cursor's low bits; visits at least one
 * bucket and stops after about count entries; returns the next cursor, 0
 * when done. fn must not change the database. db_random: a uniformly
 * chosen shard weighted by size, then a random entry; NULL when empty
 * (expired entries included: the caller checks). */
typedef void db_visit_fn(struct entry *e, void *arg);
uint64_t db_scan(struct db *db, uint64_t cursor, uint64_t count, db_visit_fn *fn, void *arg);
struct entry *db_random(struct db *db);

/* Shard locking (see lockset.h): with one event-loop thread nothing is
 * locked; with more, every access to a shard holds its lock. The locks are
 * numbered beside the databases, not kept in them, so SWAPDB swaps
 * contents, not locks. The script lock comes first in the order, then
 * every database's shards. */
void db_lockset_add_key(struct lockset *ls, struct db *db, const char *key, size_t len);
void db_lockset_add_db(struct lockset *ls, struct db *db);
void db_lockset_add_all(struct lockset *ls);
/* The script lock: held by a running script and by what touches the
 * script cache, so the Lua interpreter has one user at a time. */
void db_lockset_add_script(struct lockset *ls);
/* One shard, for background work: db_lock_shard waits as long as it
 * takes; db_lock_shard_wait gives up (LOCKSET_GAVE_UP) when a busy script
 * holds it. */
void db_lock_shard(struct db *db, unsigned shard);
enum lockset_status db_lock_shard_wait(struct db *db, unsigned shard);
void db_unlock_shard(struct db *db, unsigned shard);

/* Shards, for expiry and eviction (the caller holds the shard's lock,
 * except for the counts, which are safe to read unlocked). */
unsigned db_shard_of(const char *key, size_t len);
uint64_t db_shard_size(struct db *db, unsigned shard);
uint64_t db_shard_volatile(struct db *db, unsigned shard);
/* Up to n entries of one shard, from consecutive buckets starting at a
 * random one; returns how many. */
size_t db_shard_sample(struct db *db, unsigned shard, struct entry **out, size_t n);
/* Active expiry's sweep: visits up to `buckets` buckets of the shard from
 * where the last sweep stopped and deletes, as expired (watchers, hooks,
 * expired_keys), every entry pick returns 1 for. *wrapped is set when the
 * sweep passed the shard's end. Returns entries visited. */
typedef int db_pick_fn(struct entry *e, void *arg);
uint64_t db_shard_sweep_expired(struct db *db, unsigned shard, uint64_t buckets, db_pick_fn *pick,
                                void *arg, int *wrapped);

/* Active expiry of hash fields (Redis 7.4's field TTLs): the hashes of
 * the shard listed as having a field TTL due at now, found by sweeping
 * about `buckets` buckets of the list (as db_shard_sweep_expired sweeps
 * keys), lose their expired fields, up to about per_hash buckets of a big
 * hash's table at a time (it stays listed for the rest); `hexpired` and,
 * for a hash left empty, `del` events follow. Returns the fields removed.
 * db_shard_fields, db_fields: how many hashes the shard, the database
 * list. */
uint64_t db_shard_fields(struct db *db, unsigned shard);
uint64_t db_fields(struct db *db);
uint64_t db_shard_expire_fields(struct db *db, unsigned shard, long long now, uint64_t buckets,
                                uint64_t per_hash, int *wrapped);

/* Bucket-array bytes of a database, shard by shard under the locks. */
size_t db_overhead(struct db *db);
/* Background rehashing of every database for about us microseconds. */
void db_rehash_budget(uint64_t us);
/* The average TTL INFO reports, estimated by active expiry. */
long long db_avg_ttl(struct db *db);
void db_set_avg_ttl(struct db *db, long long ms);

/* WATCH support. Callers hold the key's shard lock (with threads). Every
 * change to a watched key (store, in-place update, delete, expiry) sets
 * the watcher's dirty flag. */
struct watch *db_watch(struct db *db, const char *key, size_t len, int *dirty);
void db_unwatch(struct db *db, struct watch *w);
/* INFO's total_watched_keys: the database's distinct watched keys (each
 * shard under its lock, one at a time; holding none). */
size_t db_watched_keys(struct db *db);
/* FLUSHDB / FLUSHALL / SWAPDB: marks watchers of keys that exist now.
 * Caller holds every shard lock of db. */
void db_touch_all_watched(struct db *db);

/* Keyspace events raised by storage itself (expired keys, evicted keys)
 * go through this hook (services/notify.c sets it), so storage does not
 * depend on pub/sub. type/event as in config.h's NOTIFY_* classes. */
typedef void db_event_fn(int type, const char *event, int dbid, const char *key, size_t klen);
void db_set_event_hook(db_event_fn *fn);
void db_event(int type, const char *event, struct db *db, const char *key, size_t klen);
/* Every change to a key (write, delete, expiry, eviction) also goes to
 * this hook (client-side caching invalidation). Set only while some
 * client tracks keys, so writes pay nothing otherwise. */
typedef void db_changed_fn(int dbid, const char *key, size_t klen);
void db_set_changed_hook(db_changed_fn *fn);

/* A container key was stored where no value of its type was (a list or
 * sorted set appearing): blocking commands' waiters may be served. Called
 * under the key's shard lock; set once some client has blocked (until
 * then stores pay one load). */
typedef void db_ready_fn(struct db *db, const char *key, size_t klen, unsigned type);
void db_set_ready_hook(db_ready_fn *fn);

uint64_t db_size(struct db *db);
uint64_t db_expires(struct db *db);
/* Empties a database. With async the entries are freed by the freeing
 * thread (FLUSHALL ASYNC): the database is empty at once either way. */
void db_flush(struct db *db, int async);
/* INFO's lazyfree_pending_objects and lazyfreed_objects (CONFIG
 * RESETSTAT zeroes the second); drain waits until nothing is pending. */
uint64_t db_lazyfree_pending(void);
uint64_t db_lazyfreed(void);
void db_lazyfree_reset_stats(void);
void db_lazyfree_drain(void);
void db_swap(int a, int b);
/* Changes whenever keys go wholesale (flush, swap): eviction forgets the
 * candidates it remembered by name. */
uint64_t db_epoch(void);

#endif

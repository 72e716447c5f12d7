/* db.h - the numbered databases and key-level operations on them: lookup
 * with lazy expiry, insert, replace, delete, and the hit/miss and expiry
 * counters that go with them. Commands use only this interface to reach
 * the table. */
#ifndef RESPITE_DB_H
#define RESPITE_DB_H

#include <stddef.h>
#include <stdint.h>

#include "entry.h"
#include "table.h"

/* A WATCHed key: one record per (client, key), in the list of the key's
 * shard, guarded by that shard's lock. A write to the key sets *dirty. */
struct watch {
    struct watch *next;
    int *dirty;
    size_t klen;
    char key[];
};

struct db {
    struct table keys;
    int id;
    long long avg_ttl;     /* ms, estimated by active expiry as Redis does */
    unsigned expire_shard; /* where the next active expiry cycle starts */
    /* Watches by shard; they stay with the database number (SWAPDB
     * touches them rather than swapping them). */
    struct watch *watches[TABLE_SHARDS];
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

/* The clock commands see: set once per command (Redis's command time
 * snapshot), so a key cannot expire halfway through a command. */
void db_set_now(long long ms);
long long db_now(void);

#define DB_LOOKUP_READ    0x01 /* counts keyspace_hits / misses */
#define DB_LOOKUP_NOTOUCH 0x02 /* does not update the access clock */

/* Returns the live entry for key, or NULL; an expired entry found on the
 * way is deleted (lazy expiry). ref, if not NULL, is filled either way. */
struct entry *db_lookup(struct db *db, const char *key, size_t len, int flags, struct keyref *ref);
/* Stores e under the key of ref (from a db_lookup): replaces the entry
 * that is there, or adds e when the lookup found nothing. */
void db_store(struct keyref *ref, struct entry *e);
/* After entry_resize_value / entry_set_expire on *ref->link's entry:
 * puts the returned entry in place. had_expire: the old entry's TTL flag. */
void db_relink(struct keyref *ref, struct entry *e, int had_expire);
/* Deletes the entry ref points at. */
void db_remove(struct keyref *ref);
/* Looks up and deletes; returns 1 if a live key was deleted. */
int db_delete(struct db *db, const char *key, size_t len);
/* Sets key to val with an optional expire time (< 0: none). */
void db_set(struct db *db, const char *key, size_t klen, const char *val, size_t vlen,
            long long expire);

/* Shard locking. With one event-loop thread nothing is locked; with more,
 * every access to a shard holds its mutex. The mutexes live beside the
 * databases, not in the tables, so SWAPDB swaps contents, not locks.
 *
 * A command takes all the locks it needs before it runs, as a lockset:
 * a bitmap over (database, shard), acquired in that global order, so two
 * commands can never wait on each other in a cycle. Background work
 * (expiry, eviction, rehashing) takes one shard lock at a time and never
 * while holding a lockset. */
void db_enable_locking(void);
extern int db__locking_on; /* read through db_locking() */
static inline int db_locking(void)
{
    return db__locking_on;
}
/* Frees the calling thread's lockset bitmap (thread exit). */
void db_thread_exit(void);

struct db_lockset {
    uint64_t *bits;
    unsigned lo, hi; /* words touched: [lo, hi) */
    int held;        /* 1: taken; 2: nested in the thread's held set */
};
void db_lockset_init(struct db_lockset *ls);
void db_lockset_add_key(struct db_lockset *ls, struct db *db, const char *key, size_t len);
void db_lockset_add_db(struct db_lockset *ls, struct db *db);
void db_lockset_add_all(struct db_lockset *ls);
/* The script lock: before every shard lock in the order; held by a
 * running script and by what touches the script cache, so the Lua
 * interpreter has one user at a time. */
void db_lockset_add_script(struct db_lockset *ls);
/* Takes the set's locks in order. Returns 0, or -1 holding none of them
 * when the give-up hook said so while waiting (see below).
 *
 * A lockset requested while the thread holds one (the commands a script
 * runs; work a busy script does for its thread's clients) is nested: the
 * locks it lacks join the held set, which keeps them until it is
 * released, and its own release does nothing. So a script starts with the
 * script lock and its declared keys' shards and takes the rest as it
 * touches them: strict two-phase locking, which keeps it atomic, while
 * other clients use every shard it has not reached. A lock below ones
 * already held is taken out of order; threads still acquiring let go and
 * retry meanwhile, so no cycle of waits can form (db.c, db__extend). */
int db_lockset_acquire(struct db_lockset *ls);
void db_lockset_release(struct db_lockset *ls);
/* Whether this thread holds a lockset (nested requests join it). */
int db_lockset_held(void);
/* One shard, for background work. db_lock_shard waits as long as it
 * takes; db_lock_shard_wait gives up (-1) like a lockset. With a lockset
 * held, both add the shard to it (and unlock does nothing). */
void db_lock_shard(struct db *db, unsigned shard);
int db_lock_shard_wait(struct db *db, unsigned shard);
void db_unlock_shard(struct db *db, unsigned shard);
/* Asked, while a lock is contended, every millisecond: nonzero means stop
 * waiting. The scripting layer answers "a script has run past
 * busy-reply-threshold on another thread", so no event loop stalls behind
 * a long script and its clients get BUSY instead. */
typedef int db_give_up_fn(void);
void db_set_lock_give_up(db_give_up_fn *fn);

/* Bucket-array bytes of a database, shard by shard under the locks. */
size_t db_overhead(struct db *db);
/* Background rehashing of every database for about us microseconds. */
void db_rehash_budget(uint64_t us);
long long db_avg_ttl(struct db *db);
void db_set_avg_ttl(struct db *db, long long ms);

/* WATCH support. Callers hold the key's shard lock (with threads). Every
 * change to a watched key (store, in-place update, delete, expiry) sets
 * the watcher's dirty flag. */
struct watch *db_watch(struct db *db, const char *key, size_t len, int *dirty);
void db_unwatch(struct db *db, struct watch *w);
/* FLUSHDB / FLUSHALL / SWAPDB: marks watchers of keys that exist now.
 * Caller holds every shard lock of db. */
void db_touch_all_watched(struct db *db);

/* Keyspace events raised by the db layer itself (expired keys) and by
 * eviction go through a hook the server sets (notify_event), so this
 * module does not depend on pub/sub. type/event as in notify.h. */
typedef void db_event_fn(int type, const char *event, int dbid, const char *key, size_t klen);
void db_set_event_hook(db_event_fn *fn);
/* Every change to a key (write, delete, expiry, eviction) also goes to
 * this hook (client-side caching invalidation). Set only while some
 * client tracks keys, so writes pay nothing otherwise. */
typedef void db_changed_fn(int dbid, const char *key, size_t klen);
void db_set_changed_hook(db_changed_fn *fn);
void db_event(int type, const char *event, struct db *db, const char *key, size_t klen);

uint64_t db_size(struct db *db);
uint64_t db_expires(struct db *db);
/* Empties a database. With async the entries are freed a slice at a time
 * by db_cron (FLUSHALL ASYNC): the database is empty at once either way. */
void db_flush(struct db *db, int async);
/* Frees entries of asynchronously flushed databases for about us
 * microseconds; returns how many entries are still waiting. */
uint64_t db_free_pending(uint64_t us);
uint64_t db_lazyfree_pending(void);
void db_swap(int a, int b);

/* Deletes an expired entry found by active expiry (already unlinked). */
void db_expired_free(struct db *db, struct entry *e);

/* Records an access on e for eviction (LRU clock or LFU counter). */
void db_touch(struct entry *e);

#endif

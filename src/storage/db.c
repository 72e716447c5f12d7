/* db.c - the databases and key operations, with lazy expiry.
 *
 * Each database is a sharded table (table.c) of entries (entry.c). Every
 * write path goes through db_store, db_relink, db_remove or the active
 * expiry sweep, so one place keeps the table, the access clock, WATCH and
 * the change hooks in step.
 *
 * Hashes with field TTLs are also listed in a second table per database,
 * `fields`: one entry per such hash, named as its key, whose expire time
 * is when the hash next needs a look (hash_next_expire). Active expiry
 * sweeps it as it sweeps the keys, so finding the hashes with fields to
 * expire costs nothing per key without them. The list is kept by the same
 * write paths: a stored or put-back hash with a field TTL is listed (or
 * its time lowered), a hash leaving the keyspace is unlisted; an entry
 * that is early or stale (a hash that lost its TTLs) is just dropped or
 * rescheduled when the sweep reaches it. */
#include "storage/db.h"

#include "base/clock.h"
#include "base/config.h"
#include "base/mem.h"
#include "base/prefixstat.h"
#include "base/stats.h"
#include "base/util.h"
#include "storage/access.h"
#include "storage/hash.h"
#include "storage/lazyfree.h"
#include "storage/table.h"
#include "storage/value.h"

_Static_assert(DB_SHARDS == TABLE_SHARDS, "db.h's shard count is the table's");

struct db {
    struct table keys;
    struct table fields; /* hashes with field TTLs: name -> next look */
    int id;
    long long avg_ttl; /* ms, estimated by active expiry as Redis does */
    /* Watches by shard; they stay with the database number (SWAPDB
     * touches them rather than swapping them). */
    struct watch *watches[TABLE_SHARDS];
};

static struct db *db__all;
static int db__count;
static uint64_t db__epoch; /* relaxed atomic */

/* Lock numbers: 0 is the script lock (the interpreter and script cache),
 * then 1 + db * TABLE_SHARDS + shard, so a lockset takes the script lock
 * first and shards in (database, shard) order. */
#define DB_LOCK_SCRIPT        0
#define DB_LOCK_ID(db, shard) (1 + (size_t)(db)*TABLE_SHARDS + (shard))

void db_setup(int count)
{
    db__count = count;
    db__all = mem_calloc((size_t)count * sizeof(*db__all));
    for (int i = 0; i < count; i++) {
        table_init(&db__all[i].keys);
        table_init(&db__all[i].fields);
        db__all[i].id = i;
    }
    lockset_setup(DB_LOCK_ID(count, 0));
    lazyfree_setup();
}

void db_lockset_add_key(struct lockset *ls, struct db *db, const char *key, size_t len)
{
    lockset_add(ls, DB_LOCK_ID(db->id, table_shard_of(util_hash(key, len))));
}

void db_lockset_add_db(struct lockset *ls, struct db *db)
{
    for (unsigned s = 0; s < TABLE_SHARDS; s++) lockset_add(ls, DB_LOCK_ID(db->id, s));
}

void db_lockset_add_all(struct lockset *ls)
{
    for (int i = 0; i < db__count; i++) db_lockset_add_db(ls, &db__all[i]);
}

void db_lockset_add_script(struct lockset *ls)
{
    lockset_add(ls, DB_LOCK_SCRIPT);
}

/* With one thread these cost a load each: the background loops over every
 * shard (rehashing, overhead) run on every cron tick. */
void db_lock_shard(struct db *db, unsigned shard)
{
    if (lockset_on()) lockset_lock(DB_LOCK_ID(db->id, shard));
}

enum lockset_status db_lock_shard_wait(struct db *db, unsigned shard)
{
    return lockset_on() ? lockset_lock_wait(DB_LOCK_ID(db->id, shard)) : LOCKSET_OK;
}

void db_unlock_shard(struct db *db, unsigned shard)
{
    if (lockset_on()) lockset_unlock(DB_LOCK_ID(db->id, shard));
}

void db_teardown(void)
{
    lazyfree_teardown();
    for (int i = 0; i < db__count; i++) {
        table_clear(&db__all[i].keys);
        table_clear(&db__all[i].fields);
    }
    mem_free(db__all);
    db__all = NULL;
    db__count = 0;
    lockset_teardown();
}

int db_count(void)
{
    return db__count;
}

struct db *db_get(int id)
{
    return id >= 0 && id < db__count ? &db__all[id] : NULL;
}

int db_id(const struct db *db)
{
    return db->id;
}

uint64_t db_epoch(void)
{
    return __atomic_load_n(&db__epoch, __ATOMIC_RELAXED);
}

static void db__new_epoch(void)
{
    __atomic_add_fetch(&db__epoch, 1, __ATOMIC_RELAXED);
}

static db_event_fn *db__event_hook;
static db_changed_fn *db__changed_hook;

void db_set_changed_hook(db_changed_fn *fn)
{
    __atomic_store_n(&db__changed_hook, fn, __ATOMIC_RELAXED);
}

void db_set_event_hook(db_event_fn *fn)
{
    db__event_hook = fn;
}

void db_event(int type, const char *event, struct db *db, const char *key, size_t klen)
{
    if (db__event_hook) db__event_hook(type, event, db->id, key, klen);
}

long long db_idle_ms(const struct entry *e)
{
    return access_idle_ms(e);
}

int db_lfu_freq(const struct entry *e)
{
    return access_lfu_counter(e);
}

int db_policy_is_lfu(void)
{
    return access_is_lfu();
}

/* ---- the list of hashes with field TTLs ---- */

/* After a hash was stored or changed under (db, hash): lists it, or lowers
 * its time, when a field has a TTL. A load and a branch for a string. */
static inline void db__fields_note(struct db *db, uint64_t hash, const struct entry *e)
{
    if (!(e->flags & ENTRY_CONTAINER) || entry_type(e) != ENTRY_TYPE_HASH) return;
    long long next = hash_next_expire(e);
    if (next < 0) return;
    const char *key = entry_key(e);
    size_t klen = entry_klen(e);
    struct entry **link = table_find(&db->fields, key, klen, hash);
    if (link == NULL)
        table_add(&db->fields, entry_create(key, klen, NULL, 0, next), hash);
    else if (entry_expire(*link) > next)
        *link = entry_set_expire(*link, next); /* same size: stays in its chain */
}

/* Whether a value leaving for `why` goes to the freeing thread when big:
 * the lazyfree-lazy-* directive for that kind of deletion. */
static int db__lazy(enum db_why why)
{
    switch (why) {
    case DB_DEL_USER: return CFG(lazyfree_lazy_user_del);
    case DB_DEL_UNLINK: return 1;
    case DB_DEL_EXPIRE: return CFG(lazyfree_lazy_expire);
    case DB_DEL_EVICT: return CFG(lazyfree_lazy_eviction);
    default: return CFG(lazyfree_lazy_server_del);
    }
}

/* Frees a value that left the keyspace for `why`: only a container asks
 * the directive (value_free hands the big ones to the freeing thread). */
static inline void db__free(struct entry *e, enum db_why why)
{
    value_free(e, (e->flags & ENTRY_CONTAINER) && db__lazy(why));
}

/* Before e leaves the keyspace (deleted, replaced, expired, moved out). */
static inline void db__fields_forget(struct db *db, uint64_t hash, const struct entry *e)
{
    if (!(e->flags & ENTRY_CONTAINER) || entry_type(e) != ENTRY_TYPE_HASH ||
        table_count(&db->fields) == 0)
        return;
    struct entry **link = table_find(&db->fields, entry_key(e), entry_klen(e), hash);
    if (link) entry_destroy(table_unlink(&db->fields, link, hash));
}

static _Thread_local int db__no_touch;

void db_set_no_touch(int on)
{
    db__no_touch = on;
}

static int db__paused;

void db_set_paused(int on)
{
    __atomic_store_n(&db__paused, on, __ATOMIC_RELEASE);
}

int db_paused(void)
{
    return __atomic_load_n(&db__paused, __ATOMIC_ACQUIRE);
}

struct entry *db_lookup(struct db *db, const char *key, size_t len, int flags, struct keyref *ref)
{
    struct keyref tmp;
    if (ref == NULL) ref = &tmp;
    ref->db = db;
    ref->hash = util_hash(key, len);
    ref->link = table_find(&db->keys, key, len, ref->hash);
    struct entry *e = ref->link ? *ref->link : NULL;
    if (e != NULL && (e->flags & ENTRY_HAS_EXPIRE) && entry_expire(e) <= clock_now() &&
        db_paused()) {
        e = NULL; /* CLIENT PAUSE: expired is missing, but stays until the end */
    } else if (e != NULL && (e->flags & ENTRY_HAS_EXPIRE) && entry_expire(e) <= clock_now()) {
        db_event(NOTIFY_EXPIRED, "expired", db, key, len);
        db_remove_why(ref, DB_DEL_EXPIRE);
        STAT_INC(expired_keys, 1);
        e = NULL;
    }
    if (flags & DB_LOOKUP_READ) {
        if (e)
            STAT_INC(keyspace_hits, 1);
        else
            STAT_INC(keyspace_misses, 1);
        prefixstat_count(key, len, e != NULL);
    }
    if (e && !(flags & DB_LOOKUP_NOTOUCH) && !db__no_touch) access_touch(e, 0);
    return e;
}

static void db__touch_watched(struct db *db, uint64_t hash, const char *key, size_t len)
{
    struct watch *w = db->watches[table_shard_of(hash)];
    for (; w; w = w->next)
        if (w->klen == len && memcmp(w->key, key, len) == 0)
            __atomic_store_n(w->dirty, 1, __ATOMIC_RELAXED);
}

/* Every write path goes through db_store, db_relink or db_remove (or the
 * active expiry sweep): one check of the shard's watch list, empty in the
 * common case. */
#define DB_TOUCH(db, hash, key, len)                                                               \
    do {                                                                                           \
        if ((db)->watches[table_shard_of(hash)]) db__touch_watched(db, hash, key, len);            \
        db_changed_fn *hook_ = __atomic_load_n(&db__changed_hook, __ATOMIC_RELAXED);               \
        if (hook_) hook_((db)->id, key, len);                                                      \
    } while (0)

struct watch *db_watch(struct db *db, const char *key, size_t len, int *dirty)
{
    struct watch *w = mem_alloc(sizeof(*w) + len);
    unsigned shard = table_shard_of(util_hash(key, len));
    w->dirty = dirty;
    w->klen = len;
    memcpy(w->key, key, len);
    w->next = db->watches[shard];
    db->watches[shard] = w;
    return w;
}

void db_unwatch(struct db *db, struct watch *w)
{
    struct watch **link = &db->watches[table_shard_of(util_hash(w->key, w->klen))];
    while (*link && *link != w) link = &(*link)->next;
    if (*link) *link = w->next;
    mem_free(w);
}

size_t db_watched_keys(struct db *db)
{
    size_t n = 0;
    for (unsigned s = 0; s < TABLE_SHARDS; s++) {
        db_lock_shard(db, s);
        /* Distinct keys: a key counts at its first record in the list. */
        for (struct watch *w = db->watches[s]; w; w = w->next) {
            int seen = 0;
            for (struct watch *o = db->watches[s]; o != w && !seen; o = o->next)
                seen = o->klen == w->klen && memcmp(o->key, w->key, w->klen) == 0;
            n += !seen;
        }
        db_unlock_shard(db, s);
    }
    return n;
}

void db_touch_all_watched(struct db *db)
{
    for (unsigned s = 0; s < TABLE_SHARDS; s++) {
        for (struct watch *w = db->watches[s]; w; w = w->next) {
            uint64_t hash = util_hash(w->key, w->klen);
            if (table_find(&db->keys, w->key, w->klen, hash))
                __atomic_store_n(w->dirty, 1, __ATOMIC_RELAXED);
        }
    }
}

static db_ready_fn *db__ready_hook;

void db_set_ready_hook(db_ready_fn *fn)
{
    __atomic_store_n(&db__ready_hook, fn, __ATOMIC_RELAXED);
}

void db_store(struct keyref *ref, struct entry *e)
{
    DB_TOUCH(ref->db, ref->hash, entry_key(e), entry_klen(e));
    access_touch(e, 1);
    db_ready_fn *ready = __atomic_load_n(&db__ready_hook, __ATOMIC_RELAXED);
    if (ready && (e->flags & ENTRY_CONTAINER)) {
        /* A list or sorted set appears where there was none of its type:
         * clients blocked on the key may be served. */
        const struct entry *old = ref->link ? *ref->link : NULL;
        if (old == NULL || entry_type(old) != entry_type(e))
            ready(ref->db, entry_key(e), entry_klen(e), entry_type(e));
    }
    if (ref->link && *ref->link) {
        db__fields_forget(ref->db, ref->hash, *ref->link);
        db__free(table_swap(&ref->db->keys, ref->link, e, ref->hash), DB_DEL_IMPLICIT);
    } else {
        table_add(&ref->db->keys, e, ref->hash);
    }
    db__fields_note(ref->db, ref->hash, e);
    /* The link may be stale after an add (resize); later calls re-lookup. */
    ref->link = NULL;
}

void db_relink(struct keyref *ref, struct entry *e, int had_expire)
{
    DB_TOUCH(ref->db, ref->hash, entry_key(e), entry_klen(e));
    int has = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    *ref->link = e;
    if (has != had_expire) table_note_volatile(&ref->db->keys, ref->hash, has ? 1 : -1);
    db__fields_note(ref->db, ref->hash, e);
}

void db_relocate(struct keyref *ref, struct entry *e)
{
    *ref->link = e;
}

void db_remove(struct keyref *ref)
{
    db_remove_why(ref, DB_DEL_IMPLICIT);
}

void db_remove_why(struct keyref *ref, enum db_why why)
{
    {
        struct entry *e = *ref->link;
        DB_TOUCH(ref->db, ref->hash, entry_key(e), entry_klen(e));
        db__fields_forget(ref->db, ref->hash, e);
    }
    db__free(table_unlink(&ref->db->keys, ref->link, ref->hash), why);
    ref->link = NULL;
}

int db_delete(struct db *db, const char *key, size_t len, enum db_why why)
{
    struct keyref ref;
    if (db_lookup(db, key, len, DB_LOOKUP_NOTOUCH, &ref) == NULL) return 0;
    db_remove_why(&ref, why);
    return 1;
}

struct entry *db_take(struct db *db, const char *key, size_t len)
{
    struct keyref ref;
    struct entry *e = db_lookup(db, key, len, DB_LOOKUP_NOTOUCH, &ref);
    if (e == NULL) return NULL;
    DB_TOUCH(ref.db, ref.hash, entry_key(e), entry_klen(e));
    db__fields_forget(db, ref.hash, e);
    return table_unlink(&db->keys, ref.link, ref.hash);
}

void db_set(struct db *db, const char *key, size_t klen, const char *val, size_t vlen,
            long long expire)
{
    struct keyref ref;
    db_lookup(db, key, klen, DB_LOOKUP_NOTOUCH, &ref);
    db_store(&ref, entry_create(key, klen, val, vlen, expire));
}

size_t db_overhead(struct db *db)
{
    size_t n = 0;
    for (unsigned s = 0; s < TABLE_SHARDS; s++) {
        if (db_lock_shard_wait(db, s) != LOCKSET_OK) continue; /* a busy script holds it */
        n += shard_overhead(&db->keys.shards[s]);
        db_unlock_shard(db, s);
    }
    return n;
}

void db_rehash_budget(uint64_t us)
{
    uint64_t deadline = util_monotonic_us() + us;
    for (int i = 0; i < db__count; i++) {
        for (unsigned s = 0; s < TABLE_SHARDS; s++) {
            if (db_lock_shard_wait(&db__all[i], s) != LOCKSET_OK) return; /* a busy script */
            int more = shard_rehash_until(&db__all[i].keys.shards[s], deadline);
            db_unlock_shard(&db__all[i], s);
            if (more) return;
        }
    }
}

long long db_avg_ttl(struct db *db)
{
    return __atomic_load_n(&db->avg_ttl, __ATOMIC_RELAXED);
}

void db_set_avg_ttl(struct db *db, long long ms)
{
    __atomic_store_n(&db->avg_ttl, ms, __ATOMIC_RELAXED);
}

uint64_t db_size(struct db *db)
{
    return table_count(&db->keys);
}

uint64_t db_expires(struct db *db)
{
    return table_volatile_count(&db->keys);
}

void db_flush(struct db *db, int async)
{
    db__new_epoch();          /* eviction's pooled candidates name keys that are going */
    table_clear(&db->fields); /* one small entry per hash with field TTLs */
    if (async && table_count(&db->keys) > 0)
        lazyfree_table(&db->keys, table_count(&db->keys));
    else
        table_clear(&db->keys);
    db_set_avg_ttl(db, 0);
}

uint64_t db_lazyfree_pending(void)
{
    return lazyfree_pending();
}

uint64_t db_lazyfreed(void)
{
    return lazyfree_freed();
}

void db_lazyfree_reset_stats(void)
{
    lazyfree_reset_stats();
}

void db_lazyfree_drain(void)
{
    lazyfree_drain();
}

void db_swap(int a, int b)
{
    db__new_epoch(); /* eviction's pooled candidates name keys by database */
    struct table t = db__all[a].keys;
    db__all[a].keys = db__all[b].keys;
    db__all[b].keys = t;
    t = db__all[a].fields;
    db__all[a].fields = db__all[b].fields;
    db__all[b].fields = t;
    long long ttl = db_avg_ttl(&db__all[a]);
    db_set_avg_ttl(&db__all[a], db_avg_ttl(&db__all[b]));
    db_set_avg_ttl(&db__all[b], ttl);
}

/* An entry active expiry found expired (already unlinked). */
static void db__expired_free(struct db *db, struct entry *e)
{
    uint64_t hash = util_hash(entry_key(e), entry_klen(e));
    DB_TOUCH(db, hash, entry_key(e), entry_klen(e));
    db__fields_forget(db, hash, e);
    db_event(NOTIFY_EXPIRED, "expired", db, entry_key(e), entry_klen(e));
    STAT_INC(expired_keys, 1);
    db__free(e, DB_DEL_EXPIRE);
}

/* ---- shards, for expiry and eviction ---- */

unsigned db_shard_of(const char *key, size_t len)
{
    return table_shard_of(util_hash(key, len));
}

uint64_t db_shard_size(struct db *db, unsigned shard)
{
    return shard_count(&db->keys.shards[shard]);
}

uint64_t db_shard_volatile(struct db *db, unsigned shard)
{
    return shard_volatile(&db->keys.shards[shard]);
}

size_t db_shard_sample(struct db *db, unsigned shard, struct entry **out, size_t n)
{
    return shard_sample(&db->keys.shards[shard], out, n);
}

struct db__sweep {
    struct db *db;
    db_pick_fn *pick;
    void *arg;
};

static int db__sweep_pick(struct entry *e, void *arg)
{
    struct db__sweep *sw = arg;
    return sw->pick(e, sw->arg);
}

static void db__sweep_free(struct entry *e, void *arg)
{
    struct db__sweep *sw = arg;
    db__expired_free(sw->db, e);
}

uint64_t db_shard_sweep_expired(struct db *db, unsigned shard, uint64_t buckets, db_pick_fn *pick,
                                void *arg, int *wrapped)
{
    struct db__sweep sw = {db, pick, arg};
    return shard_sweep(&db->keys.shards[shard], buckets, db__sweep_pick, db__sweep_free, &sw,
                       wrapped);
}

uint64_t db_shard_fields(struct db *db, unsigned shard)
{
    return shard_count(&db->fields.shards[shard]);
}

uint64_t db_fields(struct db *db)
{
    return table_count(&db->fields);
}

/* The listed hashes due for a look, unlinked from the list by the sweep
 * and handled after it (handling one changes the list). */
struct db__due {
    long long now;
    struct entry *list;
};

static int db__due_pick(struct entry *item, void *arg)
{
    return entry_expire(item) <= ((struct db__due *)arg)->now;
}

static void db__due_keep(struct entry *item, void *arg)
{
    struct db__due *d = arg;
    item->next = d->list;
    d->list = item;
}

uint64_t db_shard_expire_fields(struct db *db, unsigned shard, long long now, uint64_t buckets,
                                uint64_t per_hash, int *wrapped)
{
    struct db__due d = {now, NULL};
    shard_sweep(&db->fields.shards[shard], buckets, db__due_pick, db__due_keep, &d, wrapped);
    uint64_t removed = 0;
    while (d.list) {
        struct entry *item = d.list;
        d.list = item->next;
        const char *key = entry_key(item);
        size_t klen = entry_klen(item);
        struct keyref ref;
        struct entry *e = db_lookup(db, key, klen, DB_LOOKUP_NOTOUCH, &ref);
        if (e && entry_type(e) == ENTRY_TYPE_HASH) {
            int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
            size_t n = hash_expire_due(&e, now, per_hash, NULL, NULL);
            removed += n;
            if (n == 0) {
                /* Early, or mid-way through a big hash: relisted as is. */
                db__fields_note(db, ref.hash, e);
            } else {
                STAT_INC(expired_subkeys, n);
                db_event(NOTIFY_HASH, "hexpired", db, key, klen);
                if (hash_len(e) == 0) {
                    *ref.link = e;
                    db_remove(&ref);
                    db_event(NOTIFY_GENERIC, "del", db, key, klen);
                } else {
                    db_relink(&ref, e, had); /* relists it when a TTL is left */
                }
            }
        }
        entry_destroy(item);
    }
    return removed;
}

uint64_t db_scan(struct db *db, uint64_t cursor, uint64_t count, db_visit_fn *fn, void *arg)
{
    return table_scan(&db->keys, cursor, count, fn, arg);
}

struct entry *db_random(struct db *db)
{
    return table_random(&db->keys);
}

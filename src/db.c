/* db.c - databases and key operations with lazy expiry. */
#include "db.h"

#include <pthread.h>
#include <time.h>

#include "evict.h"
#include "mem.h"
#include "notify.h"
#include "stats.h"
#include "util.h"

static struct db *db__all;
static int db__count;
static _Thread_local long long db__now;
static pthread_mutex_t *db__locks; /* db__count * TABLE_SHARDS */
int db__locking_on;                /* set once before the other threads start */
static size_t db__lock_words;
static _Thread_local uint64_t *db__lockbits; /* each thread's lockset bitmap */

void db_setup(int count)
{
    db__count = count;
    db__all = mem_calloc((size_t)count * sizeof(*db__all));
    for (int i = 0; i < count; i++) {
        table_init(&db__all[i].keys);
        db__all[i].id = i;
    }
    size_t nlocks = (size_t)count * TABLE_SHARDS;
    db__locks = mem_alloc(nlocks * sizeof(*db__locks));
    for (size_t i = 0; i < nlocks; i++) pthread_mutex_init(&db__locks[i], NULL);
    db__lock_words = (nlocks + 63) / 64;
}

void db_enable_locking(void)
{
    db__locking_on = 1;
}

void db_thread_exit(void)
{
    mem_free(db__lockbits);
    db__lockbits = NULL;
}

void db_lockset_init(struct db_lockset *ls)
{
    if (db__lockbits == NULL) db__lockbits = mem_calloc(db__lock_words * sizeof(uint64_t));
    ls->bits = db__lockbits;
    ls->lo = (unsigned)db__lock_words;
    ls->hi = 0;
    ls->held = 0;
    ls->all = 0;
}

static void db__lockset_set(struct db_lockset *ls, size_t id)
{
    unsigned w = (unsigned)(id / 64);
    ls->bits[w] |= 1ULL << (id % 64);
    if (w < ls->lo) ls->lo = w;
    if (w + 1 > ls->hi) ls->hi = w + 1;
}

void db_lockset_add_key(struct db_lockset *ls, struct db *db, const char *key, size_t len)
{
    db__lockset_set(ls, (size_t)db->id * TABLE_SHARDS + table_shard_of(util_hash(key, len)));
}

void db_lockset_add_db(struct db_lockset *ls, struct db *db)
{
    for (unsigned s = 0; s < TABLE_SHARDS; s++)
        db__lockset_set(ls, (size_t)db->id * TABLE_SHARDS + s);
}

void db_lockset_add_all(struct db_lockset *ls)
{
    for (int i = 0; i < db__count; i++) db_lockset_add_db(ls, &db__all[i]);
    ls->all = 1;
}

/* Set while this thread holds every shard lock (a script, or EXEC of a
 * queue that needs them all): commands it runs meanwhile, and work
 * it does in between (a busy script serving its thread's other clients),
 * take no further locks. */
static _Thread_local int db__all_held;
static db_give_up_fn *db__give_up;

void db_set_lock_give_up(db_give_up_fn *fn)
{
    db__give_up = fn;
}

/* Takes m. Uncontended it is one trylock; contended it waits in 1 ms
 * slices, asking between them whether to give up (a script holding the
 * locks has run past busy-reply-threshold): then returns -1, not holding
 * m, so the caller can answer BUSY instead of stalling its whole event
 * loop behind the script. */
static int db__lock_wait(pthread_mutex_t *m)
{
    if (pthread_mutex_trylock(m) == 0) return 0;
    for (;;) {
        if (db__give_up && db__give_up()) return -1;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        if (pthread_mutex_timedlock(m, &ts) == 0) return 0;
    }
}

static void db__lockset_unlock(struct db_lockset *ls, unsigned upto_w, uint64_t upto_bit)
{
    for (unsigned w = ls->lo; w < ls->hi && w <= upto_w; w++)
        for (uint64_t b = ls->bits[w]; b; b &= b - 1) {
            if (w == upto_w && (b & -b) >= upto_bit) break;
            pthread_mutex_unlock(&db__locks[(size_t)w * 64 + (unsigned)__builtin_ctzll(b)]);
        }
}

static void db__lockset_clear(struct db_lockset *ls)
{
    for (unsigned w = ls->lo; w < ls->hi; w++) ls->bits[w] = 0;
    ls->held = 0;
    ls->all = 0;
    ls->lo = (unsigned)db__lock_words;
    ls->hi = 0;
}

int db_lockset_acquire(struct db_lockset *ls)
{
    if (db__all_held) {
        /* Nested inside a lockset that holds everything: nothing to take;
         * the bits stay those of the outer set. */
        ls->held = 2;
        ls->lo = (unsigned)db__lock_words;
        ls->hi = 0;
        return 0;
    }
    for (unsigned w = ls->lo; w < ls->hi; w++) {
        for (uint64_t b = ls->bits[w]; b; b &= b - 1) {
            if (db__lock_wait(&db__locks[(size_t)w * 64 + (unsigned)__builtin_ctzll(b)]) != 0) {
                db__lockset_unlock(ls, w, b & -b);
                db__lockset_clear(ls);
                return -1;
            }
        }
    }
    ls->held = 1;
    if (ls->all) db__all_held = 1;
    return 0;
}

void db_lockset_release(struct db_lockset *ls)
{
    if (ls->held == 2) {
        ls->held = 0;
        return;
    }
    if (ls->all) db__all_held = 0;
    db__lockset_unlock(ls, (unsigned)db__lock_words, 0);
    db__lockset_clear(ls);
}

int db_holds_all_locks(void)
{
    return db__all_held;
}

void db_lock_shard(struct db *db, unsigned shard)
{
    if (db__locking_on && !db__all_held)
        pthread_mutex_lock(&db__locks[(size_t)db->id * TABLE_SHARDS + shard]);
}

int db_lock_shard_wait(struct db *db, unsigned shard)
{
    if (!db__locking_on || db__all_held) return 0;
    return db__lock_wait(&db__locks[(size_t)db->id * TABLE_SHARDS + shard]);
}

void db_unlock_shard(struct db *db, unsigned shard)
{
    if (db__locking_on && !db__all_held)
        pthread_mutex_unlock(&db__locks[(size_t)db->id * TABLE_SHARDS + shard]);
}

void db_teardown(void)
{
    while (db_free_pending(1000000) > 0) {
    }
    for (int i = 0; i < db__count; i++) table_clear(&db__all[i].keys);
    mem_free(db__all);
    db__all = NULL;
    db__count = 0;
}

int db_count(void)
{
    return db__count;
}

struct db *db_get(int id)
{
    return id >= 0 && id < db__count ? &db__all[id] : NULL;
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

void db_set_now(long long ms)
{
    db__now = ms;
}

long long db_now(void)
{
    return db__now ? db__now : util_mstime();
}

void db_touch(struct entry *e)
{
    evict_touch(e, 0);
}

struct entry *db_lookup(struct db *db, const char *key, size_t len, int flags, struct keyref *ref)
{
    struct keyref tmp;
    if (ref == NULL) ref = &tmp;
    ref->db = db;
    ref->hash = util_hash(key, len);
    ref->link = table_find(&db->keys, key, len, ref->hash);
    struct entry *e = ref->link ? *ref->link : NULL;
    if (e != NULL && (e->flags & ENTRY_HAS_EXPIRE) && entry_expire(e) <= db_now()) {
        db_event(NOTIFY_EXPIRED, "expired", db, key, len);
        db_remove(ref);
        STAT_INC(expired_keys, 1);
        e = NULL;
    }
    if (flags & DB_LOOKUP_READ) {
        if (e)
            STAT_INC(keyspace_hits, 1);
        else
            STAT_INC(keyspace_misses, 1);
    }
    if (e && !(flags & DB_LOOKUP_NOTOUCH)) db_touch(e);
    return e;
}

static void db__touch_watched(struct db *db, uint64_t hash, const char *key, size_t len)
{
    struct watch *w = db->watches[table_shard_of(hash)];
    for (; w; w = w->next)
        if (w->klen == len && memcmp(w->key, key, len) == 0) *w->dirty = 1;
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

void db_touch_all_watched(struct db *db)
{
    for (unsigned s = 0; s < TABLE_SHARDS; s++) {
        for (struct watch *w = db->watches[s]; w; w = w->next) {
            uint64_t hash = util_hash(w->key, w->klen);
            if (table_find(&db->keys, w->key, w->klen, hash)) *w->dirty = 1;
        }
    }
}

void db_store(struct keyref *ref, struct entry *e)
{
    DB_TOUCH(ref->db, ref->hash, entry_key(e), entry_klen(e));
    evict_touch(e, 1);
    if (ref->link && *ref->link) {
        entry_destroy(table_swap(&ref->db->keys, ref->link, e, ref->hash));
    } else {
        table_add(&ref->db->keys, e, ref->hash);
    }
    /* The link may be stale after an add (resize); later calls re-lookup. */
    ref->link = NULL;
}

void db_relink(struct keyref *ref, struct entry *e, int had_expire)
{
    DB_TOUCH(ref->db, ref->hash, entry_key(e), entry_klen(e));
    int has = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    *ref->link = e;
    if (has != had_expire) table_note_volatile(&ref->db->keys, ref->hash, has ? 1 : -1);
}

void db_remove(struct keyref *ref)
{
    {
        struct entry *e = *ref->link;
        DB_TOUCH(ref->db, ref->hash, entry_key(e), entry_klen(e));
    }
    entry_destroy(table_unlink(&ref->db->keys, ref->link, ref->hash));
    ref->link = NULL;
}

int db_delete(struct db *db, const char *key, size_t len)
{
    struct keyref ref;
    if (db_lookup(db, key, len, DB_LOOKUP_NOTOUCH, &ref) == NULL) return 0;
    db_remove(&ref);
    return 1;
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
        if (db_lock_shard_wait(db, s) != 0) continue; /* a busy script holds it */
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
            if (db_lock_shard_wait(&db__all[i], s) != 0) return; /* a busy script */
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

/* Tables detached by an async flush, freed a bucket at a time by the
 * cron. Any thread may add one (under the garbage lock); the cron takes
 * the whole list out, frees for its budget, and puts back what is left. */
struct db__garbage {
    struct table t;
    struct db__garbage *next;
    int shard, array;
    uint64_t bucket;
};
static struct db__garbage *db__garbage;
static uint64_t db__garbage_entries; /* relaxed atomic */
static pthread_mutex_t db__garbage_lock = PTHREAD_MUTEX_INITIALIZER;

void db_flush(struct db *db, int async)
{
    evict_pool_clear(); /* pooled candidates name keys that are going */
    if (async && table_count(&db->keys) > 0) {
        struct db__garbage *g = mem_calloc(sizeof(*g));
        g->t = db->keys;
        pthread_mutex_lock(&db__garbage_lock);
        __atomic_add_fetch(&db__garbage_entries, table_count(&g->t), __ATOMIC_RELAXED);
        g->next = db__garbage;
        db__garbage = g;
        pthread_mutex_unlock(&db__garbage_lock);
        table_init(&db->keys);
    } else {
        table_clear(&db->keys);
    }
    db_set_avg_ttl(db, 0);
}

uint64_t db_lazyfree_pending(void)
{
    return __atomic_load_n(&db__garbage_entries, __ATOMIC_RELAXED);
}

/* Frees one detached table for the budget; returns 1 when it is done. */
static int db__free_some(struct db__garbage *g, uint64_t deadline)
{
    while (g->shard < TABLE_SHARDS) {
        struct shard *s = &g->t.shards[g->shard];
        if (g->array > 1 || s->buckets[g->array] == NULL) {
            mem_free(s->buckets[0]);
            mem_free(s->buckets[1]);
            s->buckets[0] = s->buckets[1] = NULL;
            g->shard++;
            g->array = 0;
            g->bucket = 0;
            continue;
        }
        if (g->bucket > s->mask[g->array]) {
            g->array++;
            g->bucket = 0;
            continue;
        }
        struct entry *e = s->buckets[g->array][g->bucket];
        s->buckets[g->array][g->bucket++] = NULL;
        uint64_t freed = 0;
        while (e) {
            struct entry *next = e->next;
            entry_destroy(e);
            freed++;
            e = next;
        }
        __atomic_sub_fetch(&db__garbage_entries, freed, __ATOMIC_RELAXED);
        if ((g->bucket & 1023) == 0 && util_monotonic_us() >= deadline) return 0;
    }
    return 1;
}

uint64_t db_free_pending(uint64_t us)
{
    uint64_t deadline = util_monotonic_us() + us;
    pthread_mutex_lock(&db__garbage_lock);
    struct db__garbage *list = db__garbage;
    db__garbage = NULL;
    pthread_mutex_unlock(&db__garbage_lock);
    while (list && db__free_some(list, deadline)) {
        struct db__garbage *next = list->next;
        mem_free(list);
        list = next;
    }
    if (list) {
        /* Put the rest back in front of anything added meanwhile. */
        struct db__garbage *tail = list;
        while (tail->next) tail = tail->next;
        pthread_mutex_lock(&db__garbage_lock);
        tail->next = db__garbage;
        db__garbage = list;
        pthread_mutex_unlock(&db__garbage_lock);
    }
    return db_lazyfree_pending();
}

void db_swap(int a, int b)
{
    evict_pool_clear(); /* pooled candidates name keys by database */
    struct table t = db__all[a].keys;
    db__all[a].keys = db__all[b].keys;
    db__all[b].keys = t;
    long long ttl = db_avg_ttl(&db__all[a]);
    db_set_avg_ttl(&db__all[a], db_avg_ttl(&db__all[b]));
    db_set_avg_ttl(&db__all[b], ttl);
}

void db_expired_free(struct db *db, struct entry *e)
{
    uint64_t hash = util_hash(entry_key(e), entry_klen(e));
    DB_TOUCH(db, hash, entry_key(e), entry_klen(e));
    db_event(NOTIFY_EXPIRED, "expired", db, entry_key(e), entry_klen(e));
    STAT_INC(expired_keys, 1);
    entry_destroy(e);
}

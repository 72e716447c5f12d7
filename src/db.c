/* db.c - databases and key operations with lazy expiry. */
#include "db.h"

#include <pthread.h>
#include <sched.h>
#include <time.h>

#include "evict.h"
#include "mem.h"
#include "notify.h"
#include "stats.h"
#include "util.h"

static struct db *db__all;
static int db__count;
static _Thread_local long long db__now;
/* Lock ids: 0 is the script lock (the interpreter and script cache),
 * then 1 + db * TABLE_SHARDS + shard. Locksets take ids in increasing
 * order. */
#define DB_LOCK_SCRIPT        0
#define DB_LOCK_ID(db, shard) (1 + (size_t)(db)*TABLE_SHARDS + (shard))
static pthread_mutex_t *db__locks; /* 1 + db__count * TABLE_SHARDS */
int db__locking_on;                /* set once before the other threads start */
static size_t db__lock_words;

void db_setup(int count)
{
    db__count = count;
    db__all = mem_calloc((size_t)count * sizeof(*db__all));
    for (int i = 0; i < count; i++) {
        table_init(&db__all[i].keys);
        db__all[i].id = i;
    }
    size_t nlocks = DB_LOCK_ID(count, 0);
    db__locks = mem_alloc(nlocks * sizeof(*db__locks));
    for (size_t i = 0; i < nlocks; i++) pthread_mutex_init(&db__locks[i], NULL);
    db__lock_words = (nlocks + 63) / 64;
}

void db_enable_locking(void)
{
    db__locking_on = 1;
}

/* Per thread: the bitmap of the lockset the thread holds (or is building)
 * and the one a nested request is built in; the held lockset that nested
 * requests join. */
static _Thread_local uint64_t *db__lockbits, *db__nestbits;
static _Thread_local struct db_lockset *db__held;
static db_give_up_fn *db__give_up;
/* Nonzero while a lockset holder waits for a lock below the ones it
 * holds (a script reaching an undeclared key): threads still acquiring
 * let go of what they took and start over, so that wait cannot close a
 * cycle (see db_lockset_acquire). */
static int db__extending;

void db_thread_exit(void)
{
    mem_free(db__lockbits);
    mem_free(db__nestbits);
    db__lockbits = db__nestbits = NULL;
}

void db_set_lock_give_up(db_give_up_fn *fn)
{
    db__give_up = fn;
}

void db_lockset_init(struct db_lockset *ls)
{
    if (db__lockbits == NULL) {
        db__lockbits = mem_calloc(db__lock_words * sizeof(uint64_t));
        db__nestbits = mem_calloc(db__lock_words * sizeof(uint64_t));
    }
    ls->bits = db__held ? db__nestbits : db__lockbits;
    ls->lo = (unsigned)db__lock_words;
    ls->hi = 0;
    ls->held = 0;
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
    db__lockset_set(ls, DB_LOCK_ID(db->id, table_shard_of(util_hash(key, len))));
}

void db_lockset_add_db(struct db_lockset *ls, struct db *db)
{
    for (unsigned s = 0; s < TABLE_SHARDS; s++) db__lockset_set(ls, DB_LOCK_ID(db->id, s));
}

void db_lockset_add_all(struct db_lockset *ls)
{
    for (int i = 0; i < db__count; i++) db_lockset_add_db(ls, &db__all[i]);
}

void db_lockset_add_script(struct db_lockset *ls)
{
    db__lockset_set(ls, DB_LOCK_SCRIPT);
}

/* Waits for m in 1 ms slices. Returns 0 holding it; 1 when the give-up
 * hook says so (a script holding the locks has run past
 * busy-reply-threshold: the caller answers BUSY instead of stalling its
 * event loop); 2 when restart is set and a lockset holder is extending
 * (the caller lets go and starts over). */
static int db__lock_wait(pthread_mutex_t *m, int restart)
{
    if (pthread_mutex_trylock(m) == 0) return 0;
    for (;;) {
        if (db__give_up && db__give_up()) return 1;
        if (restart && __atomic_load_n(&db__extending, __ATOMIC_RELAXED)) return 2;
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

/* Unlocks the set's ids below (upto_w, upto_bit); all of them with upto_w
 * past the end. */
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
    ls->lo = (unsigned)db__lock_words;
    ls->hi = 0;
}

/* Adds id to the held lockset h. An id above all of h's is taken in
 * order, simply waiting. One below is out of order: another thread may
 * hold it while it waits for one of h's. Threads can wait that way only
 * while acquiring (a lockset, once acquired, asks for nothing more; only
 * scripts, one at a time under the script lock, extend), so db__extending
 * tells them to let go and start over, and the wait ends. */
static void db__extend(struct db_lockset *h, size_t id)
{
    unsigned w = (unsigned)(id / 64);
    uint64_t bit = 1ULL << (id % 64);
    if (h->bits[w] & bit) return;
    int above = 1;
    for (unsigned x = w; x < h->hi && above; x++)
        if (h->bits[x] & (x == w ? ~(bit | (bit - 1)) : ~0ULL)) above = 0;
    pthread_mutex_t *m = &db__locks[id];
    if (above || pthread_mutex_trylock(m) != 0) {
        if (!above) __atomic_add_fetch(&db__extending, 1, __ATOMIC_SEQ_CST);
        pthread_mutex_lock(m);
        if (!above) __atomic_sub_fetch(&db__extending, 1, __ATOMIC_SEQ_CST);
    }
    db__lockset_set(h, id);
}

int db_lockset_acquire(struct db_lockset *ls)
{
    if (db__held && ls != db__held) {
        /* Nested in a held lockset (a script's commands, or work done
         * while a busy script serves its thread): what is missing joins
         * the held set and stays until it is released. */
        for (unsigned w = ls->lo; w < ls->hi; w++)
            for (uint64_t b = ls->bits[w]; b; b &= b - 1)
                db__extend(db__held, (size_t)w * 64 + (unsigned)__builtin_ctzll(b));
        db__lockset_clear(ls);
        ls->held = 2;
        return 0;
    }
    for (;;) {
        int rc = 0;
        unsigned w;
        uint64_t b = 0;
        for (w = ls->lo; w < ls->hi && rc == 0; w++) {
            for (b = ls->bits[w]; b; b &= b - 1) {
                rc = db__lock_wait(&db__locks[(size_t)w * 64 + (unsigned)__builtin_ctzll(b)], 1);
                if (rc != 0) break;
            }
            if (rc != 0) break;
        }
        if (rc == 0) break;
        db__lockset_unlock(ls, w, b & -b);
        if (rc == 1) {
            db__lockset_clear(ls);
            return -1;
        }
        /* rc == 2: let the extending holder through (for up to about
         * 10 ms), then start over. */
        uint64_t until = util_monotonic_us() + 10000;
        while (__atomic_load_n(&db__extending, __ATOMIC_RELAXED) && util_monotonic_us() < until)
            sched_yield();
    }
    ls->held = 1;
    /* An empty set (EXEC, UNWATCH: commands without keys) holds nothing
     * to join; what their handlers lock is a set of its own. */
    if (ls->lo < ls->hi) db__held = ls;
    return 0;
}

void db_lockset_release(struct db_lockset *ls)
{
    if (ls->held == 2) {
        ls->held = 0;
        return;
    }
    if (db__held == ls) db__held = NULL;
    db__lockset_unlock(ls, (unsigned)db__lock_words, 0);
    db__lockset_clear(ls);
}

int db_lockset_held(void)
{
    return db__held != NULL;
}

/* Background work and unwatching take one shard at a time, never while
 * holding a lockset: with one held (work a busy script does for its
 * thread's clients), the shard joins it instead. */
void db_lock_shard(struct db *db, unsigned shard)
{
    if (!db__locking_on) return;
    if (db__held)
        db__extend(db__held, DB_LOCK_ID(db->id, shard));
    else
        pthread_mutex_lock(&db__locks[DB_LOCK_ID(db->id, shard)]);
}

int db_lock_shard_wait(struct db *db, unsigned shard)
{
    if (!db__locking_on) return 0;
    if (db__held) {
        db__extend(db__held, DB_LOCK_ID(db->id, shard));
        return 0;
    }
    return db__lock_wait(&db__locks[DB_LOCK_ID(db->id, shard)], 0) ? -1 : 0;
}

void db_unlock_shard(struct db *db, unsigned shard)
{
    if (db__locking_on && !db__held) pthread_mutex_unlock(&db__locks[DB_LOCK_ID(db->id, shard)]);
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

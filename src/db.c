/* db.c - databases and key operations with lazy expiry. */
#include "db.h"

#include "evict.h"
#include "mem.h"
#include "stats.h"
#include "util.h"

static struct db *db__all;
static int db__count;
static _Thread_local long long db__now;

void db_setup(int count)
{
    db__count = count;
    db__all = mem_calloc((size_t)count * sizeof(*db__all));
    for (int i = 0; i < count; i++) {
        table_init(&db__all[i].keys);
        db__all[i].id = i;
    }
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

void db_store(struct keyref *ref, struct entry *e)
{
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
    int has = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    *ref->link = e;
    if (has != had_expire) table_note_volatile(&ref->db->keys, ref->hash, has ? 1 : -1);
}

void db_remove(struct keyref *ref)
{
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

uint64_t db_size(struct db *db)
{
    return table_count(&db->keys);
}

uint64_t db_expires(struct db *db)
{
    return table_volatile_count(&db->keys);
}

/* Tables detached by an async flush, freed a bucket at a time. */
struct db__garbage {
    struct table t;
    struct db__garbage *next;
    int shard, array;
    uint64_t bucket;
    uint64_t left; /* entries not freed yet */
};
static struct db__garbage *db__garbage;
static uint64_t db__garbage_entries;

void db_flush(struct db *db, int async)
{
    evict_pool_clear(); /* pooled candidates name keys that are going */
    if (async && table_count(&db->keys) > 0) {
        struct db__garbage *g = mem_calloc(sizeof(*g));
        g->t = db->keys;
        g->left = table_count(&g->t);
        db__garbage_entries += g->left;
        g->next = db__garbage;
        db__garbage = g;
        table_init(&db->keys);
    } else {
        table_clear(&db->keys);
    }
    db->avg_ttl = 0;
}

uint64_t db_lazyfree_pending(void)
{
    return db__garbage_entries;
}

uint64_t db_free_pending(uint64_t us)
{
    uint64_t start = util_monotonic_us();
    while (db__garbage) {
        struct db__garbage *g = db__garbage;
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
            while (e) {
                struct entry *next = e->next;
                entry_destroy(e);
                g->left--;
                db__garbage_entries--;
                e = next;
            }
            if ((g->bucket & 1023) == 0 && util_monotonic_us() - start >= us)
                return db__garbage_entries;
        }
        db__garbage = g->next;
        mem_free(g);
    }
    return db__garbage_entries;
}

void db_swap(int a, int b)
{
    evict_pool_clear(); /* pooled candidates name keys by database */
    struct table t = db__all[a].keys;
    db__all[a].keys = db__all[b].keys;
    db__all[b].keys = t;
    long long ttl = db__all[a].avg_ttl;
    db__all[a].avg_ttl = db__all[b].avg_ttl;
    db__all[b].avg_ttl = ttl;
}

void db_expired_free(struct db *db, struct entry *e)
{
    (void)db;
    STAT_INC(expired_keys, 1);
    entry_destroy(e);
}

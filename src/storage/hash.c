/* hash.c - the hash type's encodings, the moves between them, and field
 * TTLs.
 *
 * Packed (ENTRY_ENC_PACK): the entry's value is
 *
 *   kind (1) | count (4, little endian) | field | value | field | value ...
 *
 * with field and value pack elements (pack.h). A lookup walks the pack;
 * setting or deleting a field splices the entry's value in place
 * (entry_splice_value), so a packed hash is one allocation however many
 * fields it has, as a Redis listpack is.
 *
 * Packed with TTLs (ENTRY_ENC_PACKEX, Redis's listpackex): the first field
 * TTL turns a pack into triples, field | value | ttl, where ttl is an
 * element of 8 bytes (the unix ms time, little endian) or of none. As in
 * Redis the triples are kept in TTL order, those without one last in
 * insertion order, so the fields due to expire are always at the front:
 * finding the next expiry and dropping the expired fields cost no scan.
 *
 * Table (ENTRY_ENC_TABLE): the value is
 *
 *   kind (1) | table pointer (8) | next (8) | pass min (8)
 *
 * The table is one shard of the keyspace's table (storage/table.h), its
 * entries the fields (the field is the entry's key, its value the value, a
 * TTL the entry's expire time): the same incremental rehashing, cursor
 * scan, random picks and expired-entry sweep, so a hash of millions of
 * fields grows without a pause and HSCAN keeps SCAN's guarantee. A table
 * does not keep its fields in TTL order: `next` is a time at or before its
 * earliest field TTL (-1: none), lowered when a TTL is set and made exact
 * by each full sweep of the table (hash_expire_due), which collects the
 * smallest TTL left in `pass min`.
 *
 * An expired field not yet removed is invisible: lookups, iteration and
 * random picks skip it, writes treat it as missing. Removal is the
 * caller's (hash_expire_due, from lazy expiry before a command and from
 * active expiry); hash_len still counts such fields, as Redis's HLEN
 * does. */
#include "storage/hash.h"

#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/mem.h"
#include "base/util.h"
#include "storage/entry.h"
#include "storage/pack.h"
#include "storage/table.h"

#define HASH_KIND_PACK   ((ENTRY_TYPE_HASH << 4) | ENTRY_ENC_PACK)
#define HASH_KIND_PACKEX ((ENTRY_TYPE_HASH << 4) | ENTRY_ENC_PACKEX)
#define HASH_KIND_TABLE  ((ENTRY_TYPE_HASH << 4) | ENTRY_ENC_TABLE)
#define HASH_PACK_HEAD   5 /* kind and count */

/* The table encoding's value, field by field. */
#define HASH_T_PTR      1
#define HASH_T_NEXT     (HASH_T_PTR + sizeof(struct shard *))
#define HASH_T_PASSMIN  (HASH_T_NEXT + 8)
#define HASH_TABLE_SIZE (HASH_T_PASSMIN + 8)

static inline int hash__expired(long long when, long long now)
{
    return when >= 0 && when <= now;
}

/* Expired at the command's clock; no clock read for a field without TTL. */
static inline int hash__gone(long long when)
{
    return when >= 0 && when <= clock_now();
}

static long long hash__min(long long a, long long b)
{
    if (a < 0) return b;
    if (b < 0) return a;
    return a < b ? a : b;
}

/* ---- the packed encodings ---- */

static uint32_t hash__count(const struct entry *e)
{
    uint32_t n;
    memcpy(&n, entry_val(e) + 1, 4);
    return n;
}

static void hash__set_count(struct entry *e, uint32_t n)
{
    memcpy(entry_val(e) + 1, &n, 4);
}

static const unsigned char *hash__pack(const struct entry *e)
{
    return (const unsigned char *)entry_val(e) + HASH_PACK_HEAD;
}

static const unsigned char *hash__pack_end(const struct entry *e)
{
    return (const unsigned char *)entry_val(e) + entry_vlen(e);
}

static int hash__ex(const struct entry *e)
{
    return entry_enc(e) == ENTRY_ENC_PACKEX;
}

/* A packed field as the walk finds it: where its element starts (as an
 * offset into the value) and what follows it. */
struct hash__slot {
    size_t off, len; /* the field's first byte and its elements' length */
    const char *f, *v;
    size_t flen, vlen;
    long long ttl; /* -1: none */
};

/* Reads the field at p (a pack of stride 2 or 3); returns the position
 * after it. */
static const unsigned char *hash__slot_at(const struct entry *e, const unsigned char *p,
                                          struct hash__slot *s)
{
    const unsigned char *start = p;
    p = pack_get(pack_get(p, &s->f, &s->flen), &s->v, &s->vlen);
    s->ttl = -1;
    if (hash__ex(e)) {
        const char *t;
        size_t tlen;
        p = pack_get(p, &t, &tlen);
        if (tlen == 8) {
            int64_t v;
            memcpy(&v, t, 8);
            s->ttl = v;
        }
    }
    s->off = (size_t)(start - (const unsigned char *)entry_val(e));
    s->len = (size_t)(p - start);
    return p;
}

/* Finds field f in a pack: 1 with *s filled, 0 if it is not there
 * (expired or not). */
static int hash__pack_find(const struct entry *e, const char *f, size_t flen, struct hash__slot *s)
{
    const unsigned char *p = hash__pack(e), *end = hash__pack_end(e);
    while (p < end) {
        p = hash__slot_at(e, p, s);
        if (s->flen == flen && memcmp(s->f, f, flen) == 0) return 1;
    }
    return 0;
}

/* Bytes a triple takes. */
static size_t hash__triple_size(size_t flen, size_t vlen, long long ttl)
{
    return pack_elem_size(flen) + pack_elem_size(vlen) + (ttl >= 0 ? 9 : 1);
}

static void hash__put_triple(unsigned char *p, const char *f, size_t flen, const char *v,
                             size_t vlen, long long ttl)
{
    p += pack_put(p, f, flen);
    p += pack_put(p, v, vlen);
    if (ttl >= 0) {
        int64_t t = ttl;
        char buf[8];
        memcpy(buf, &t, 8);
        pack_put(p, buf, 8);
    } else {
        pack_put(p, "", 0);
    }
}

/* Where a triple with this TTL goes in a packex: before the first field
 * whose TTL is at or after it, or that has none (Redis's order); the end
 * for no TTL. */
static size_t hash__ex_insert_at(const struct entry *e, long long ttl)
{
    if (ttl >= 0) {
        const unsigned char *p = hash__pack(e), *end = hash__pack_end(e);
        while (p < end) {
            struct hash__slot s;
            p = hash__slot_at(e, p, &s);
            if (s.ttl < 0 || s.ttl >= ttl) return s.off;
        }
    }
    return entry_vlen(e);
}

/* Adds a triple to a packex in TTL order (the field is not there). */
static struct entry *hash__ex_insert(struct entry *e, const char *f, size_t flen, const char *v,
                                     size_t vlen, long long ttl)
{
    size_t at = hash__ex_insert_at(e, ttl), n = hash__triple_size(flen, vlen, ttl);
    e = entry_splice_value(e, at, 0, n);
    hash__put_triple((unsigned char *)entry_val(e) + at, f, flen, v, vlen, ttl);
    hash__set_count(e, hash__count(e) + 1);
    return e;
}

static struct entry *hash__pack_remove(struct entry *e, const struct hash__slot *s)
{
    e = entry_splice_value(e, s->off, s->len, 0);
    hash__set_count(e, hash__count(e) - 1);
    return e;
}

/* Moves a field of a packex to the place its new TTL gives it (the value
 * is copied out first: the splices move the bytes). */
static struct entry *hash__ex_retime(struct entry *e, const struct hash__slot *s, long long ttl)
{
    size_t flen = s->flen, vlen = s->vlen;
    char small[256];
    char *buf = flen + vlen <= sizeof(small) ? small : mem_alloc(flen + vlen);
    memcpy(buf, s->f, flen);
    memcpy(buf + flen, s->v, vlen);
    e = hash__ex_insert(hash__pack_remove(e, s), buf, flen, buf + flen, vlen, ttl);
    if (buf != small) mem_free(buf);
    return e;
}

/* A pack's first field TTL turns it into a packex: every pair gains an
 * empty TTL element, in place of order. */
static struct entry *hash__to_packex(struct entry *e)
{
    uint32_t n = hash__count(e);
    size_t old = entry_vlen(e);
    char *copy = mem_alloc(old);
    memcpy(copy, entry_val(e), old);
    e = entry_resize_value(e, old + n, 0);
    unsigned char *dst = (unsigned char *)entry_val(e) + HASH_PACK_HEAD;
    const unsigned char *p = (const unsigned char *)copy + HASH_PACK_HEAD;
    const unsigned char *end = (const unsigned char *)copy + old;
    while (p < end) {
        const unsigned char *start = p;
        p = pack_skip(pack_skip(p));
        memcpy(dst, start, (size_t)(p - start));
        dst += p - start;
        dst += pack_put(dst, "", 0);
    }
    entry_val(e)[0] = (char)HASH_KIND_PACKEX;
    mem_free(copy);
    return e;
}

/* ---- the table encoding ---- */

static struct shard *hash__table(const struct entry *e)
{
    struct shard *t;
    memcpy(&t, entry_val(e) + HASH_T_PTR, sizeof(t));
    return t;
}

static long long hash__t_get(const struct entry *e, size_t off)
{
    int64_t v;
    memcpy(&v, entry_val(e) + off, 8);
    return v;
}

static void hash__t_put(struct entry *e, size_t off, long long v)
{
    int64_t w = v;
    memcpy(entry_val(e) + off, &w, 8);
}

/* Lowers the table's expiry times for a new field TTL. */
static void hash__t_note_ttl(struct entry *e, long long ttl)
{
    hash__t_put(e, HASH_T_NEXT, hash__min(hash__t_get(e, HASH_T_NEXT), ttl));
    hash__t_put(e, HASH_T_PASSMIN, hash__min(hash__t_get(e, HASH_T_PASSMIN), ttl));
}

/* The link of a table's field f, if it is there and not expired at now;
 * *h gets f's hash. */
static struct entry **hash__t_live(const struct entry *e, const char *f, size_t flen, long long now,
                                   uint64_t *h)
{
    *h = util_hash(f, flen);
    struct entry **link = shard_find(hash__table(e), f, flen, *h);
    return link && !hash__expired(entry_expire(*link), now) ? link : NULL;
}

/* Moves a packed hash's fields into a table; the entry's value becomes
 * the table's header. */
static struct entry *hash__to_table(struct entry *e)
{
    struct shard *t = mem_alloc(sizeof(*t));
    shard_init(t);
    long long next = -1;
    const unsigned char *p = hash__pack(e), *end = hash__pack_end(e);
    while (p < end) {
        struct hash__slot s;
        p = hash__slot_at(e, p, &s);
        shard_add(t, entry_create(s.f, s.flen, s.v, s.vlen, s.ttl), util_hash(s.f, s.flen));
        next = hash__min(next, s.ttl);
    }
    e = entry_resize_value(e, HASH_TABLE_SIZE, 0);
    char *val = entry_val(e);
    val[0] = (char)HASH_KIND_TABLE;
    memcpy(val + HASH_T_PTR, &t, sizeof(t));
    hash__t_put(e, HASH_T_NEXT, next);
    hash__t_put(e, HASH_T_PASSMIN, next);
    return e;
}

/* ---- the interface ---- */

struct entry *hash_new(const char *key, size_t klen, long long expire)
{
    struct entry *e = entry_create(key, klen, NULL, HASH_PACK_HEAD, expire);
    e->flags |= ENTRY_CONTAINER;
    entry_val(e)[0] = (char)HASH_KIND_PACK;
    hash__set_count(e, 0);
    return e;
}

size_t hash_len(const struct entry *e)
{
    if (entry_enc(e) == ENTRY_ENC_TABLE) return shard_count(hash__table(e));
    return hash__count(e);
}

int hash_get(const struct entry *e, const char *f, size_t flen, const char **v, size_t *vlen)
{
    if (entry_enc(e) == ENTRY_ENC_TABLE) {
        uint64_t h;
        struct entry **link = hash__t_live(e, f, flen, clock_now(), &h);
        if (link == NULL) return 0;
        *v = entry_val(*link);
        *vlen = entry_vlen(*link);
        return 1;
    }
    struct hash__slot s;
    if (!hash__pack_find(e, f, flen, &s) || hash__gone(s.ttl)) return 0;
    *v = s.v;
    *vlen = s.vlen;
    return 1;
}

/* Whether a field or value of len bytes, or one more field, would take a
 * packed hash past its limits. */
static int hash__outgrows(const struct entry *e, size_t flen, size_t vlen, int adds)
{
    long long maxlen = CFG(hash_max_listpack_value);
    return (long long)flen > maxlen || (long long)vlen > maxlen ||
           (adds && (long long)hash__count(e) + 1 > CFG(hash_max_listpack_entries));
}

int hash_set(struct entry **ep, const char *f, size_t flen, const char *v, size_t vlen,
             int keep_ttl)
{
    struct entry *e = *ep;
    if (entry_enc(e) != ENTRY_ENC_TABLE) {
        struct hash__slot s;
        int found = hash__pack_find(e, f, flen, &s);
        int fresh = !found || hash__gone(s.ttl);
        if (!hash__outgrows(e, flen, vlen, !found)) {
            if (found && s.ttl >= 0 && !(keep_ttl && !fresh)) {
                /* The new value drops the TTL (Redis's HSET): the field
                 * moves to the end, among the fields without one. */
                e = hash__ex_insert(hash__pack_remove(e, &s), f, flen, v, vlen, -1);
            } else if (found) {
                /* Replace the value element that follows the field. */
                size_t voff = s.off + pack_elem_size(flen);
                e = entry_splice_value(e, voff, pack_elem_size(s.vlen), pack_elem_size(vlen));
                pack_put((unsigned char *)entry_val(e) + voff, v, vlen);
            } else if (hash__ex(e)) {
                e = hash__ex_insert(e, f, flen, v, vlen, -1);
            } else {
                size_t end = entry_vlen(e);
                e = entry_splice_value(e, end, 0, pack_elem_size(flen) + pack_elem_size(vlen));
                unsigned char *p = (unsigned char *)entry_val(e) + end;
                pack_put(p + pack_put(p, f, flen), v, vlen);
                hash__set_count(e, hash__count(e) + 1);
            }
            *ep = e;
            return fresh;
        }
        e = hash__to_table(e);
        *ep = e;
    }
    struct shard *t = hash__table(e);
    uint64_t h = util_hash(f, flen);
    struct entry **link = shard_find(t, f, flen, h);
    if (link) {
        long long ttl = entry_expire(*link);
        int fresh = hash__gone(ttl);
        struct entry *field = entry_create(f, flen, v, vlen, keep_ttl && !fresh ? ttl : -1);
        entry_destroy(shard_swap(t, link, field));
        return fresh;
    }
    struct entry *field = entry_create(f, flen, v, vlen, -1);
    shard_add(t, field, h);
    return 1;
}

int hash_del(struct entry **ep, const char *f, size_t flen)
{
    struct entry *e = *ep;
    int live;
    if (entry_enc(e) == ENTRY_ENC_TABLE) {
        struct shard *t = hash__table(e);
        uint64_t h = util_hash(f, flen);
        struct entry **link = shard_find(t, f, flen, h);
        if (link == NULL) return 0;
        live = !hash__gone(entry_expire(*link));
        entry_destroy(shard_unlink(t, link, h));
        return live;
    }
    struct hash__slot s;
    if (!hash__pack_find(e, f, flen, &s)) return 0;
    live = !hash__gone(s.ttl);
    *ep = hash__pack_remove(e, &s);
    return live;
}

/* ---- field TTLs ---- */

long long hash_field_expire(const struct entry *e, const char *f, size_t flen)
{
    long long ttl;
    if (entry_enc(e) == ENTRY_ENC_TABLE) {
        uint64_t h;
        struct entry **link = hash__t_live(e, f, flen, clock_now(), &h);
        if (link == NULL) return HASH_NO_FIELD;
        ttl = entry_expire(*link);
    } else {
        struct hash__slot s;
        if (!hash__pack_find(e, f, flen, &s)) return HASH_NO_FIELD;
        ttl = s.ttl;
    }
    if (hash__gone(ttl)) return HASH_NO_FIELD;
    return ttl < 0 ? HASH_NO_TTL : ttl;
}

/* Whether HEXPIRE's condition lets a field with TTL old (-1: none) take
 * when: a field without one counts as one that never expires. */
static int hash__cond_ok(int cond, long long old, long long when)
{
    switch (cond) {
    case HASH_COND_NX: return old < 0;
    case HASH_COND_XX: return old >= 0;
    case HASH_COND_GT: return old >= 0 && when > old;
    case HASH_COND_LT: return old < 0 || when < old;
    default: return 1;
    }
}

void hash_allow_ttl(struct entry **ep)
{
    if (entry_enc(*ep) == ENTRY_ENC_PACK) *ep = hash__to_packex(*ep);
}

int hash_set_expire(struct entry **ep, const char *f, size_t flen, long long when, int cond)
{
    struct entry *e = *ep;
    long long now = clock_now();
    if (entry_enc(e) == ENTRY_ENC_TABLE) {
        struct shard *t = hash__table(e);
        uint64_t h;
        struct entry **link = hash__t_live(e, f, flen, now, &h);
        if (link == NULL) return HASH_EXPIRE_NO_FIELD;
        if (!hash__cond_ok(cond, entry_expire(*link), when)) return HASH_EXPIRE_NOT_MET;
        if (when <= now) {
            entry_destroy(shard_unlink(t, link, h));
            return HASH_EXPIRE_DELETED;
        }
        struct entry *field = *link;
        int had = (field->flags & ENTRY_HAS_EXPIRE) != 0;
        *link = entry_set_expire(field, when); /* keeps the chain pointer */
        if (!had) shard_note_volatile(t, 1);
        hash__t_note_ttl(e, when);
        return HASH_EXPIRE_SET;
    }
    struct hash__slot s;
    if (!hash__pack_find(e, f, flen, &s) || hash__expired(s.ttl, now)) return HASH_EXPIRE_NO_FIELD;
    if (!hash__cond_ok(cond, s.ttl, when)) return HASH_EXPIRE_NOT_MET;
    if (when <= now) {
        *ep = hash__pack_remove(e, &s);
        return HASH_EXPIRE_DELETED;
    }
    if (!hash__ex(e)) {
        e = hash__to_packex(e);
        hash__pack_find(e, f, flen, &s);
    }
    *ep = hash__ex_retime(e, &s, when);
    return HASH_EXPIRE_SET;
}

int hash_persist(struct entry **ep, const char *f, size_t flen)
{
    struct entry *e = *ep;
    long long now = clock_now();
    if (entry_enc(e) == ENTRY_ENC_TABLE) {
        struct shard *t = hash__table(e);
        uint64_t h;
        struct entry **link = hash__t_live(e, f, flen, now, &h);
        if (link == NULL) return HASH_NO_FIELD;
        if (entry_expire(*link) < 0) return HASH_NO_TTL;
        *link = entry_set_expire(*link, -1);
        shard_note_volatile(t, -1);
        return 1;
    }
    struct hash__slot s;
    if (!hash__pack_find(e, f, flen, &s) || hash__expired(s.ttl, now)) return HASH_NO_FIELD;
    if (s.ttl < 0) return HASH_NO_TTL;
    *ep = hash__ex_retime(e, &s, -1);
    return 1;
}

long long hash_next_expire(const struct entry *e)
{
    switch (entry_enc(e)) {
    case ENTRY_ENC_PACKEX: {
        struct hash__slot s;
        if (hash__count(e) == 0) return -1;
        hash__slot_at(e, hash__pack(e), &s);
        return s.ttl;
    }
    case ENTRY_ENC_TABLE:
        return hash__t_get(e, HASH_T_NEXT); /* no look at the table: HGET's path */
    default: return -1;
    }
}

/* One table shard's sweep: expired fields go, the others' smallest TTL is
 * kept. */
struct hash__sweep {
    long long now, min;
    size_t removed;
    hash_visit_fn *fn;
    void *arg;
};

static int hash__sweep_pick(struct entry *field, void *arg)
{
    struct hash__sweep *sw = arg;
    long long ttl = entry_expire(field);
    if (ttl < 0) return 0;
    if (ttl <= sw->now) return 1;
    sw->min = hash__min(sw->min, ttl);
    return 0;
}

static void hash__sweep_free(struct entry *field, void *arg)
{
    struct hash__sweep *sw = arg;
    if (sw->fn) sw->fn(entry_key(field), entry_klen(field), entry_val(field), 0, sw->arg);
    sw->removed++;
    entry_destroy(field);
}

/* A whole table at once, exactly (a sweep can miss an entry that moves
 * while the table rehashes): the expired fields are listed by a walk, then
 * unlinked; the walk also finds the exact next TTL. */
struct hash__purge {
    long long now, min;
    struct entry **due;
    size_t n, cap;
};

static void hash__purge_visit(struct entry *field, void *arg)
{
    struct hash__purge *pg = arg;
    long long ttl = entry_expire(field);
    if (ttl < 0) return;
    if (ttl > pg->now) {
        pg->min = hash__min(pg->min, ttl);
        return;
    }
    if (pg->n == pg->cap) {
        pg->cap = pg->cap ? pg->cap * 2 : 16;
        pg->due = mem_realloc(pg->due, pg->cap * sizeof(*pg->due));
    }
    pg->due[pg->n++] = field;
}

static size_t hash__t_purge(struct entry *e, long long now, hash_visit_fn *fn, void *arg)
{
    struct shard *t = hash__table(e);
    struct hash__purge pg = {now, -1, NULL, 0, 0};
    if (shard_volatile(t) > 0) shard_each(t, hash__purge_visit, &pg);
    for (size_t i = 0; i < pg.n; i++) {
        struct entry *field = pg.due[i];
        const char *f = entry_key(field);
        size_t flen = entry_klen(field);
        uint64_t h = util_hash(f, flen);
        if (fn) fn(f, flen, entry_val(field), 0, arg);
        entry_destroy(shard_unlink(t, shard_find(t, f, flen, h), h));
    }
    mem_free(pg.due);
    hash__t_put(e, HASH_T_NEXT, pg.min);
    hash__t_put(e, HASH_T_PASSMIN, -1);
    t->expire_cursor = 0; /* the next sweep pass starts with PASSMIN: from the start */
    return pg.n;
}

size_t hash_expire_due(struct entry **ep, long long now, uint64_t budget, hash_visit_fn *fn,
                       void *arg)
{
    struct entry *e = *ep;
    if (entry_enc(e) == ENTRY_ENC_PACKEX) {
        /* The expired fields are the first ones. */
        size_t removed = 0;
        struct hash__slot s;
        while (hash__count(e) > 0) {
            hash__slot_at(e, hash__pack(e), &s);
            if (!hash__expired(s.ttl, now)) break;
            if (fn) fn(s.f, s.flen, s.v, s.vlen, arg);
            e = hash__pack_remove(e, &s);
            removed++;
        }
        *ep = e;
        return removed;
    }
    if (entry_enc(e) != ENTRY_ENC_TABLE) return 0;
    if (budget == UINT64_MAX) return hash__t_purge(e, now, fn, arg);
    /* A table: sweep on from where the last call stopped; a completed pass
     * makes `next` the smallest TTL it saw. */
    struct shard *t = hash__table(e);
    struct hash__sweep sw = {now, hash__t_get(e, HASH_T_PASSMIN), 0, fn, arg};
    int done = 0;
    while (!done && budget > 0) {
        uint64_t step = budget < 64 ? budget : 64;
        budget -= step;
        int wrapped = 1; /* nothing has a TTL: the pass ends here */
        if (shard_volatile(t) > 0)
            shard_sweep(t, step, hash__sweep_pick, hash__sweep_free, &sw, &wrapped);
        if (wrapped) {
            hash__t_put(e, HASH_T_NEXT, shard_volatile(t) ? sw.min : -1);
            sw.min = -1;
            done = 1;
        }
    }
    hash__t_put(e, HASH_T_PASSMIN, sw.min);
    /* Mid-pass, the earliest TTL may be in the buckets not swept yet. */
    if (!done) hash__t_put(e, HASH_T_NEXT, hash__min(hash__t_get(e, HASH_T_NEXT), now));
    return sw.removed;
}

/* ---- iteration ---- */

struct hash__visit {
    hash_visit_fn *fn;
    void *arg;
    long long now;
};

static void hash__visit_field(struct entry *field, void *arg)
{
    struct hash__visit *hv = arg;
    if (hash__expired(entry_expire(field), hv->now)) return;
    hv->fn(entry_key(field), entry_klen(field), entry_val(field), entry_vlen(field), hv->arg);
}

static void hash__pack_each(const struct entry *e, hash_visit_fn *fn, void *arg)
{
    long long now = hash__ex(e) ? clock_now() : 0;
    const unsigned char *p = hash__pack(e), *end = hash__pack_end(e);
    while (p < end) {
        struct hash__slot s;
        p = hash__slot_at(e, p, &s);
        if (!hash__expired(s.ttl, now)) fn(s.f, s.flen, s.v, s.vlen, arg);
    }
}

void hash_each(const struct entry *e, hash_visit_fn *fn, void *arg)
{
    if (entry_enc(e) == ENTRY_ENC_TABLE) {
        struct hash__visit hv = {fn, arg, clock_now()};
        shard_each(hash__table(e), hash__visit_field, &hv);
        return;
    }
    hash__pack_each(e, fn, arg);
}

uint64_t hash_scan(const struct entry *e, uint64_t cursor, uint64_t count, hash_visit_fn *fn,
                   void *arg)
{
    if (entry_enc(e) == ENTRY_ENC_TABLE) {
        struct hash__visit hv = {fn, arg, clock_now()};
        return shard_scan_count(hash__table(e), cursor, count, hash__visit_field, &hv);
    }
    hash__pack_each(e, fn, arg);
    return 0;
}

/* A field as random picks hold it: its bytes. */
struct hash__item {
    const char *f, *v;
    size_t flen, vlen;
};

struct hash__items {
    struct hash__item *items;
    size_t n;
};

static void hash__collect(const char *f, size_t flen, const char *v, size_t vlen, void *arg)
{
    struct hash__items *it = arg;
    it->items[it->n++] = (struct hash__item){f, v, flen, vlen};
}

/* Random picks. Repeats allowed: independent uniform picks (the table's
 * random entry, or a random index into the pack's fields). Distinct: when
 * n is a good share of the hash, every field is listed and the first n of
 * a partial Fisher-Yates shuffle go; a few out of a big table are picked
 * at random and repeats skipped (a small open-addressing set of the picked
 * entries), Redis's two strategies. The caller removes expired fields
 * first (hash_expire_due): a pick never lands on one. */
void hash_random(const struct entry *e, size_t n, int distinct, hash_visit_fn *fn, void *arg)
{
    size_t len = hash_len(e);
    if (len == 0 || n == 0) return;
    int table = entry_enc(e) == ENTRY_ENC_TABLE;
    if (table && !(distinct && n * 3 > len)) {
        struct hash__visit hv = {fn, arg, -1}; /* no field is expired: see above */
        shard_random_picks(hash__table(e), n, distinct, hash__visit_field, &hv);
        return;
    }
    struct hash__items all = {mem_alloc(len * sizeof(struct hash__item)), 0};
    hash_each(e, hash__collect, &all);
    if (all.n == 0) {
        mem_free(all.items);
        return;
    }
    if (distinct) {
        if (n > all.n) n = all.n;
        for (size_t i = 0; i < n; i++) {
            size_t j = i + (size_t)(util_rand64() % (all.n - i));
            struct hash__item tmp = all.items[i];
            all.items[i] = all.items[j];
            all.items[j] = tmp;
            fn(all.items[i].f, all.items[i].flen, all.items[i].v, all.items[i].vlen, arg);
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            struct hash__item *it = &all.items[util_rand64() % all.n];
            fn(it->f, it->flen, it->v, it->vlen, arg);
        }
    }
    mem_free(all.items);
}

/* ---- for value.c ---- */

void hash_free_payload(struct entry *e)
{
    if (entry_enc(e) != ENTRY_ENC_TABLE) return;
    struct shard *t = hash__table(e);
    if (t == NULL) return; /* taken by hash_take_payload */
    shard_clear(t);
    mem_free(t);
}

struct shard *hash_take_payload(struct entry *e)
{
    struct shard *t = hash__table(e), *none = NULL;
    memcpy(entry_val(e) + HASH_T_PTR, &none, sizeof(none));
    return t;
}

static struct entry *hash__copy_field(const struct entry *field)
{
    return entry_copy(field, entry_key(field), entry_klen(field), entry_expire(field), 0);
}

void hash_dup_payload(struct entry *copy)
{
    if (entry_enc(copy) != ENTRY_ENC_TABLE) return;
    struct shard *t = mem_alloc(sizeof(*t));
    shard_init(t);
    shard_copy(t, hash__table(copy), hash__copy_field);
    memcpy(entry_val(copy) + HASH_T_PTR, &t, sizeof(t));
}

size_t hash_payload_bytes(const struct entry *e, size_t samples)
{
    return entry_enc(e) == ENTRY_ENC_TABLE ? shard_memory(hash__table(e), samples) : 0;
}

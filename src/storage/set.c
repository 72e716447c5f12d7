/* set.c - the set type's three encodings and the moves between them.
 *
 * Intset (ENTRY_ENC_INTSET): the entry's value is
 *
 *   kind (1) | count (4) | width (1: 2, 4 or 8) | count integers, ascending
 *
 * little endian, all of one width; adding a member that does not fit
 * rewrites every member at the next width (Redis's "upgrade"). Membership
 * is a binary search.
 *
 * Pack (ENTRY_ENC_PACK): kind | count (4) | members as pack elements.
 *
 * Table (ENTRY_ENC_TABLE): kind | a pointer to a struct shard (one shard of
 * the keyspace's table, storage/table.h) whose entries
 * are the members (the member is the key, the value empty).
 *
 * The conversions follow Redis 7.4's setTypeAdd: an intset takes integers
 * up to set-max-intset-entries and then becomes a table; a non-integer
 * member turns it into a pack if the pack limits allow, else a table; a
 * pack becomes a table past set-max-listpack-entries members or with a
 * member longer than set-max-listpack-value. */
#include "storage/set.h"

#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "base/util.h"
#include "storage/entry.h"
#include "storage/pack.h"
#include "storage/table.h"

#define SET_KIND(enc)      ((ENTRY_TYPE_SET << 4) | (enc))
#define SET_COUNT_AT       1
#define SET_PACK_HEAD      5 /* kind, count */
#define SET_INTSET_HEAD    6 /* kind, count, width */
#define SET_TABLE_SIZE     (1 + sizeof(struct shard *))
#define SET_INTSET_MAX_CAP (1u << 30) /* Redis's bound on an intset's entries */

static uint32_t set__count(const struct entry *e)
{
    uint32_t n;
    memcpy(&n, entry_val(e) + SET_COUNT_AT, 4);
    return n;
}

static void set__set_count(struct entry *e, uint32_t n)
{
    memcpy(entry_val(e) + SET_COUNT_AT, &n, 4);
}

static struct shard *set__table(const struct entry *e)
{
    struct shard *t;
    memcpy(&t, entry_val(e) + 1, sizeof(t));
    return t;
}

/* Replaces e's whole value with (v, len) (a new encoding). */
static struct entry *set__rewrite(struct entry *e, const char *v, size_t len)
{
    e = entry_resize_value(e, len, 0);
    memcpy(entry_val(e), v, len);
    return e;
}

/* ---- intset ---- */

static unsigned set__width(const struct entry *e)
{
    return (unsigned char)entry_val(e)[5];
}

static int64_t set__int_at(const struct entry *e, uint32_t i)
{
    const char *p = entry_val(e) + SET_INTSET_HEAD;
    switch (set__width(e)) {
    case 2: {
        int16_t v;
        memcpy(&v, p + (size_t)i * 2, 2);
        return v;
    }
    case 4: {
        int32_t v;
        memcpy(&v, p + (size_t)i * 4, 4);
        return v;
    }
    default: {
        int64_t v;
        memcpy(&v, p + (size_t)i * 8, 8);
        return v;
    }
    }
}

static void set__put_int(char *p, unsigned width, int64_t v)
{
    if (width == 2) {
        int16_t w = (int16_t)v;
        memcpy(p, &w, 2);
    } else if (width == 4) {
        int32_t w = (int32_t)v;
        memcpy(p, &w, 4);
    } else {
        memcpy(p, &v, 8);
    }
}

static unsigned set__width_for(int64_t v)
{
    if (v >= INT16_MIN && v <= INT16_MAX) return 2;
    if (v >= INT32_MIN && v <= INT32_MAX) return 4;
    return 8;
}

/* Binary search: 1 with *pos the index of v, or 0 with *pos where it would
 * go. */
static int set__int_find(const struct entry *e, int64_t v, uint32_t *pos)
{
    uint32_t lo = 0, hi = set__count(e);
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int64_t m = set__int_at(e, mid);
        if (m == v) {
            *pos = mid;
            return 1;
        }
        if (m < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    *pos = lo;
    return 0;
}

/* Rewrites every member at width (greater than the current). */
static struct entry *set__upgrade(struct entry *e, unsigned width)
{
    uint32_t n = set__count(e);
    size_t len = SET_INTSET_HEAD + (size_t)n * width;
    char *v = mem_alloc(len);
    memcpy(v, entry_val(e), SET_INTSET_HEAD);
    v[5] = (char)width;
    for (uint32_t i = 0; i < n; i++)
        set__put_int(v + SET_INTSET_HEAD + (size_t)i * width, width, set__int_at(e, i));
    e = set__rewrite(e, v, len);
    mem_free(v);
    return e;
}

/* Adds integer v; returns 1 when it is new. */
static int set__int_add(struct entry **ep, int64_t v)
{
    struct entry *e = *ep;
    uint32_t pos;
    if (set__int_find(e, v, &pos)) return 0;
    unsigned width = set__width(e);
    if (set__width_for(v) > width) {
        width = set__width_for(v);
        e = set__upgrade(e, width);
        /* A value that needs a wider width is below or above them all. */
        pos = v < 0 ? 0 : set__count(e);
    }
    size_t off = SET_INTSET_HEAD + (size_t)pos * width;
    e = entry_splice_value(e, off, 0, width);
    set__put_int(entry_val(e) + off, width, v);
    set__set_count(e, set__count(e) + 1);
    *ep = e;
    return 1;
}

/* An intset member as text (Redis's members are strings). */
static size_t set__int_str(int64_t v, char *buf)
{
    return (size_t)util_ll2str(buf, (long long)v);
}

/* ---- pack ---- */

static const unsigned char *set__pack(const struct entry *e)
{
    return (const unsigned char *)entry_val(e) + SET_PACK_HEAD;
}

static const unsigned char *set__end(const struct entry *e)
{
    return (const unsigned char *)entry_val(e) + entry_vlen(e);
}

/* The value offset of member m in the pack, or 0. */
static size_t set__pack_find(const struct entry *e, const char *m, size_t mlen)
{
    const unsigned char *base = (const unsigned char *)entry_val(e);
    for (const unsigned char *p = set__pack(e), *end = set__end(e); p < end;) {
        const char *s;
        size_t len;
        const unsigned char *at = p;
        p = pack_get(p, &s, &len);
        if (len == mlen && memcmp(s, m, mlen) == 0) return (size_t)(at - base);
    }
    return 0;
}

static struct entry *set__pack_append(struct entry *e, const char *m, size_t mlen)
{
    size_t end = entry_vlen(e);
    e = entry_splice_value(e, end, 0, pack_elem_size(mlen));
    pack_put((unsigned char *)entry_val(e) + end, m, mlen);
    set__set_count(e, set__count(e) + 1);
    return e;
}

/* ---- conversions ---- */

struct set__builder {
    char *v;
    size_t len, cap;
};

static void set__to_pack_visit(const char *m, size_t mlen, void *arg)
{
    struct set__builder *b = arg;
    size_t need = b->len + pack_elem_size(mlen);
    if (need > b->cap) {
        b->cap = need * 2;
        b->v = mem_realloc(b->v, b->cap);
    }
    b->len += pack_put((unsigned char *)b->v + b->len, m, mlen);
}

static struct entry *set__to_pack(struct entry *e)
{
    uint32_t n = set__count(e);
    struct set__builder b = {mem_alloc(64), SET_PACK_HEAD, 64};
    b.v[0] = (char)SET_KIND(ENTRY_ENC_PACK);
    memcpy(b.v + SET_COUNT_AT, &n, 4);
    set_each(e, set__to_pack_visit, &b);
    e = set__rewrite(e, b.v, b.len);
    mem_free(b.v);
    return e;
}

static void set__to_table_visit(const char *m, size_t mlen, void *arg)
{
    shard_add(arg, entry_create(m, mlen, NULL, 0, -1), util_hash(m, mlen));
}

static struct entry *set__to_table(struct entry *e)
{
    struct shard *t = mem_alloc(sizeof(*t));
    shard_init(t);
    set_each(e, set__to_table_visit, t);
    char v[SET_TABLE_SIZE];
    v[0] = (char)SET_KIND(ENTRY_ENC_TABLE);
    memcpy(v + 1, &t, sizeof(t));
    return set__rewrite(e, v, sizeof(v));
}

/* ---- the interface ---- */

static long long set__intset_max(void)
{
    long long max = CFG(set_max_intset_entries);
    return max >= SET_INTSET_MAX_CAP ? SET_INTSET_MAX_CAP : max;
}

struct entry *set_new(const char *key, size_t klen, const char *m, size_t mlen, size_t size_hint,
                      long long expire)
{
    long long ll;
    char v[SET_INTSET_HEAD];
    size_t len;
    if (util_str2ll(m, mlen, &ll) && (long long)size_hint <= CFG(set_max_intset_entries)) {
        v[0] = (char)SET_KIND(ENTRY_ENC_INTSET);
        v[5] = 2;
        len = SET_INTSET_HEAD;
    } else {
        v[0] = (char)SET_KIND(ENTRY_ENC_PACK);
        len = SET_PACK_HEAD;
    }
    memset(v + SET_COUNT_AT, 0, 4);
    struct entry *e = entry_create(key, klen, v, len, expire);
    e->flags |= ENTRY_CONTAINER;
    if (entry_enc(e) == ENTRY_ENC_PACK && (long long)size_hint > CFG(set_max_listpack_entries))
        e = set__to_table(e);
    return e;
}

void set_prepare(struct entry **ep, size_t size_hint)
{
    struct entry *e = *ep;
    unsigned enc = entry_enc(e);
    if ((enc == ENTRY_ENC_PACK && (long long)size_hint > CFG(set_max_listpack_entries)) ||
        (enc == ENTRY_ENC_INTSET && (long long)size_hint > CFG(set_max_intset_entries)))
        *ep = set__to_table(e);
}

size_t set_len(const struct entry *e)
{
    if (entry_enc(e) == ENTRY_ENC_TABLE) return shard_count(set__table(e));
    return set__count(e);
}

int set_contains(const struct entry *e, const char *m, size_t mlen)
{
    switch (entry_enc(e)) {
    case ENTRY_ENC_TABLE: return shard_find(set__table(e), m, mlen, util_hash(m, mlen)) != NULL;
    case ENTRY_ENC_INTSET: {
        long long v;
        uint32_t pos;
        return util_str2ll(m, mlen, &v) && set__int_find(e, v, &pos);
    }
    default: return set__pack_find(e, m, mlen) != 0;
    }
}

/* The largest member of an intset as text, in bytes (Redis checks it
 * against set-max-listpack-value before packing). */
static size_t set__intset_widest(const struct entry *e)
{
    uint32_t n = set__count(e);
    if (n == 0) return 0;
    char buf[24];
    size_t a = set__int_str(set__int_at(e, 0), buf), b = set__int_str(set__int_at(e, n - 1), buf);
    return a > b ? a : b;
}

int set_add(struct entry **ep, const char *m, size_t mlen)
{
    struct entry *e = *ep;
    switch (entry_enc(e)) {
    case ENTRY_ENC_INTSET: {
        long long v;
        if (util_str2ll(m, mlen, &v)) {
            int added = set__int_add(ep, v);
            if (added && (long long)set__count(*ep) > set__intset_max()) *ep = set__to_table(*ep);
            return added;
        }
        /* Not an integer: the set is packed if it fits the pack's limits,
         * else it becomes a table. */
        long long maxlen = CFG(set_max_listpack_value);
        if ((long long)set__count(e) < CFG(set_max_listpack_entries) && (long long)mlen <= maxlen &&
            (long long)set__intset_widest(e) <= maxlen) {
            *ep = set__pack_append(set__to_pack(e), m, mlen);
            return 1;
        }
        *ep = set__to_table(e);
        return set_add(ep, m, mlen);
    }
    case ENTRY_ENC_PACK:
        if (set__pack_find(e, m, mlen)) return 0;
        if ((long long)set__count(e) < CFG(set_max_listpack_entries) &&
            (long long)mlen <= CFG(set_max_listpack_value)) {
            *ep = set__pack_append(e, m, mlen);
            return 1;
        }
        *ep = e = set__to_table(e);
        /* fall through */
    default: {
        struct shard *t = set__table(e);
        uint64_t h = util_hash(m, mlen);
        if (shard_find(t, m, mlen, h)) return 0;
        shard_add(t, entry_create(m, mlen, NULL, 0, -1), h);
        return 1;
    }
    }
}

int set_remove(struct entry **ep, const char *m, size_t mlen)
{
    struct entry *e = *ep;
    switch (entry_enc(e)) {
    case ENTRY_ENC_TABLE: {
        struct shard *t = set__table(e);
        uint64_t h = util_hash(m, mlen);
        struct entry **link = shard_find(t, m, mlen, h);
        if (link == NULL) return 0;
        entry_destroy(shard_unlink(t, link, h));
        return 1;
    }
    case ENTRY_ENC_INTSET: {
        long long v;
        uint32_t pos;
        if (!util_str2ll(m, mlen, &v) || !set__int_find(e, v, &pos)) return 0;
        unsigned width = set__width(e);
        e = entry_splice_value(e, SET_INTSET_HEAD + (size_t)pos * width, width, 0);
        break;
    }
    default: {
        size_t off = set__pack_find(e, m, mlen);
        if (off == 0) return 0;
        e = entry_splice_value(e, off, pack_elem_size(mlen), 0);
        break;
    }
    }
    set__set_count(e, set__count(e) - 1);
    *ep = e;
    return 1;
}

struct set__visit {
    set_visit_fn *fn;
    void *arg;
};

static void set__visit_member(struct entry *member, void *arg)
{
    struct set__visit *sv = arg;
    sv->fn(entry_key(member), entry_klen(member), sv->arg);
}

static void set__inline_each(const struct entry *e, set_visit_fn *fn, void *arg)
{
    if (entry_enc(e) == ENTRY_ENC_INTSET) {
        char buf[24];
        for (uint32_t i = 0, n = set__count(e); i < n; i++)
            fn(buf, set__int_str(set__int_at(e, i), buf), arg);
        return;
    }
    for (const unsigned char *p = set__pack(e), *end = set__end(e); p < end;) {
        const char *s;
        size_t len;
        p = pack_get(p, &s, &len);
        fn(s, len, arg);
    }
}

void set_each(const struct entry *e, set_visit_fn *fn, void *arg)
{
    if (entry_enc(e) == ENTRY_ENC_TABLE) {
        struct set__visit sv = {fn, arg};
        shard_each(set__table(e), set__visit_member, &sv);
        return;
    }
    set__inline_each(e, fn, arg);
}

uint64_t set_scan(const struct entry *e, uint64_t cursor, uint64_t count, set_visit_fn *fn,
                  void *arg)
{
    if (entry_enc(e) == ENTRY_ENC_TABLE) {
        struct set__visit sv = {fn, arg};
        return shard_scan_count(set__table(e), cursor, count, set__visit_member, &sv);
    }
    set__inline_each(e, fn, arg);
    return 0;
}

/* Members of an inline set copied out (an intset's formatted): what
 * random picks choose from. */
struct set__members {
    struct set__item {
        const char *m;
        size_t len;
    } * items;
    size_t n;
    char *text; /* an intset's members, 21 bytes each */
};

static void set__collect(const char *m, size_t mlen, void *arg)
{
    struct set__members *all = arg;
    const char *at = m;
    if (all->text) {
        at = all->text + all->n * 21;
        memcpy((char *)at, m, mlen);
    }
    all->items[all->n++] = (struct set__item){at, mlen};
}

static void set__members_init(const struct entry *e, struct set__members *all)
{
    size_t len = set_len(e);
    all->items = mem_alloc(len * sizeof(*all->items));
    all->n = 0;
    all->text = entry_enc(e) == ENTRY_ENC_INTSET ? mem_alloc(len * 21) : NULL;
    set_each(e, set__collect, all);
}

static void set__members_free(struct set__members *all)
{
    mem_free(all->items);
    mem_free(all->text);
}

/* Random picks, the strategies of hash_random (hash.c). */
void set_random(const struct entry *e, size_t n, int distinct, set_visit_fn *fn, void *arg)
{
    size_t len = set_len(e);
    if (len == 0 || n == 0) return;
    if (entry_enc(e) == ENTRY_ENC_TABLE && !(distinct && n * 3 > len)) {
        struct set__visit sv = {fn, arg};
        shard_random_picks(set__table(e), n, distinct, set__visit_member, &sv);
        return;
    }
    struct set__members all;
    set__members_init(e, &all);
    if (distinct) {
        if (n > all.n) n = all.n;
        for (size_t i = 0; i < n; i++) {
            size_t j = i + (size_t)(util_rand64() % (all.n - i));
            struct set__item tmp = all.items[i];
            all.items[i] = all.items[j];
            all.items[j] = tmp;
            fn(all.items[i].m, all.items[i].len, arg);
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            struct set__item *it = &all.items[util_rand64() % all.n];
            fn(it->m, it->len, arg);
        }
    }
    set__members_free(&all);
}

void set_pop(struct entry **ep, size_t n, set_visit_fn *fn, void *arg)
{
    struct entry *e = *ep;
    if (n > set_len(e)) n = set_len(e);
    if (entry_enc(e) == ENTRY_ENC_TABLE) {
        struct shard *t = set__table(e);
        for (size_t i = 0; i < n; i++) {
            struct entry *member = shard_random(t);
            const char *m = entry_key(member);
            size_t mlen = entry_klen(member);
            fn(m, mlen, arg);
            uint64_t h = util_hash(m, mlen);
            entry_destroy(shard_unlink(t, shard_find(t, m, mlen, h), h));
        }
        return;
    }
    /* Inline: the picks are made on a copy, then removed one by one. */
    struct set__members all;
    set__members_init(e, &all);
    char *copy = all.text ? NULL : mem_alloc(entry_vlen(e));
    if (copy) {
        /* A pack's members point into the entry, which the removals
         * rewrite: point them into a copy instead. */
        memcpy(copy, entry_val(e), entry_vlen(e));
        for (size_t i = 0; i < all.n; i++) all.items[i].m = copy + (all.items[i].m - entry_val(e));
    }
    for (size_t i = 0; i < n; i++) {
        size_t j = i + (size_t)(util_rand64() % (all.n - i));
        struct set__item tmp = all.items[i];
        all.items[i] = all.items[j];
        all.items[j] = tmp;
        fn(all.items[i].m, all.items[i].len, arg);
        set_remove(ep, all.items[i].m, all.items[i].len);
    }
    mem_free(copy);
    set__members_free(&all);
}

/* ---- for value.c ---- */

void set_free_payload(struct entry *e)
{
    if (entry_enc(e) != ENTRY_ENC_TABLE) return;
    struct shard *t = set__table(e);
    if (t == NULL) return; /* taken by set_take_payload */
    shard_clear(t);
    mem_free(t);
}

struct shard *set_take_payload(struct entry *e)
{
    struct shard *t = set__table(e), *none = NULL;
    memcpy(entry_val(e) + 1, &none, sizeof(none));
    return t;
}

static struct entry *set__copy_member(const struct entry *member)
{
    return entry_create(entry_key(member), entry_klen(member), NULL, 0, -1);
}

void set_dup_payload(struct entry *copy)
{
    if (entry_enc(copy) != ENTRY_ENC_TABLE) return;
    struct shard *t = mem_alloc(sizeof(*t));
    shard_init(t);
    shard_copy(t, set__table(copy), set__copy_member);
    memcpy(entry_val(copy) + 1, &t, sizeof(t));
}

size_t set_payload_bytes(const struct entry *e, size_t samples)
{
    return entry_enc(e) == ENTRY_ENC_TABLE ? shard_memory(set__table(e), samples) : 0;
}

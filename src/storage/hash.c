/* hash.c - the hash type's two encodings and the moves between them.
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
 * Table (ENTRY_ENC_TABLE): the value is the kind and a pointer to a struct
 * table whose entries are the fields (the field is the entry's key, its
 * value the value): the keyspace's own table, with its incremental
 * rehashing, cursor scan and random picks, so a hash of millions of fields
 * grows without a pause and HSCAN keeps SCAN's guarantee. */
#include "storage/hash.h"

#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "base/util.h"
#include "storage/entry.h"
#include "storage/pack.h"
#include "storage/table.h"

#define HASH_KIND_PACK  ((ENTRY_TYPE_HASH << 4) | ENTRY_ENC_PACK)
#define HASH_KIND_TABLE ((ENTRY_TYPE_HASH << 4) | ENTRY_ENC_TABLE)
#define HASH_PACK_HEAD  5 /* kind and count */
#define HASH_TABLE_SIZE (1 + sizeof(struct table *))

/* ---- the packed encoding ---- */

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

/* The value offset of field f's element in the pack, or 0 if it is not
 * there (a field is never at offset 0: the header is). */
static size_t hash__pack_find(const struct entry *e, const char *f, size_t flen)
{
    const unsigned char *base = (const unsigned char *)entry_val(e);
    const unsigned char *p = hash__pack(e), *end = hash__pack_end(e);
    while (p < end) {
        const char *s;
        size_t len;
        const unsigned char *at = p;
        p = pack_skip(pack_get(p, &s, &len));
        if (len == flen && memcmp(s, f, flen) == 0) return (size_t)(at - base);
    }
    return 0;
}

/* ---- the table encoding ---- */

static struct table *hash__table(const struct entry *e)
{
    struct table *t;
    memcpy(&t, entry_val(e) + 1, sizeof(t));
    return t;
}

/* Moves a packed hash's fields into a table; the entry's value becomes
 * the table's pointer. */
static struct entry *hash__to_table(struct entry *e)
{
    struct table *t = mem_alloc(sizeof(*t));
    table_init(t);
    const unsigned char *p = hash__pack(e), *end = hash__pack_end(e);
    while (p < end) {
        const char *f, *v;
        size_t flen, vlen;
        p = pack_get(pack_get(p, &f, &flen), &v, &vlen);
        table_add(t, entry_create(f, flen, v, vlen, -1), util_hash(f, flen));
    }
    e = entry_resize_value(e, HASH_TABLE_SIZE, 0);
    char *val = entry_val(e);
    val[0] = (char)HASH_KIND_TABLE;
    memcpy(val + 1, &t, sizeof(t));
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
    if (entry_enc(e) == ENTRY_ENC_TABLE) return table_count(hash__table(e));
    return hash__count(e);
}

int hash_get(const struct entry *e, const char *f, size_t flen, const char **v, size_t *vlen)
{
    if (entry_enc(e) == ENTRY_ENC_TABLE) {
        struct entry **link = table_find(hash__table(e), f, flen, util_hash(f, flen));
        if (link == NULL) return 0;
        *v = entry_val(*link);
        *vlen = entry_vlen(*link);
        return 1;
    }
    size_t off = hash__pack_find(e, f, flen);
    if (off == 0) return 0;
    const char *s;
    size_t len;
    pack_get(pack_skip((const unsigned char *)entry_val(e) + off), &s, &len);
    *v = s;
    *vlen = len;
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

int hash_set(struct entry **ep, const char *f, size_t flen, const char *v, size_t vlen)
{
    struct entry *e = *ep;
    if (entry_enc(e) == ENTRY_ENC_PACK) {
        size_t off = hash__pack_find(e, f, flen);
        if (!hash__outgrows(e, flen, vlen, off == 0)) {
            if (off) {
                /* Replace the value element that follows the field. */
                size_t voff = off + pack_elem_size(flen);
                const char *old;
                size_t oldlen;
                pack_get((const unsigned char *)entry_val(e) + voff, &old, &oldlen);
                e = entry_splice_value(e, voff, pack_elem_size(oldlen), pack_elem_size(vlen));
                pack_put((unsigned char *)entry_val(e) + voff, v, vlen);
            } else {
                size_t end = entry_vlen(e);
                e = entry_splice_value(e, end, 0, pack_elem_size(flen) + pack_elem_size(vlen));
                unsigned char *p = (unsigned char *)entry_val(e) + end;
                pack_put(p + pack_put(p, f, flen), v, vlen);
                hash__set_count(e, hash__count(e) + 1);
            }
            *ep = e;
            return off == 0;
        }
        e = hash__to_table(e);
        *ep = e;
    }
    struct table *t = hash__table(e);
    uint64_t h = util_hash(f, flen);
    struct entry **link = table_find(t, f, flen, h);
    struct entry *field = entry_create(f, flen, v, vlen, -1);
    if (link) {
        entry_destroy(table_swap(t, link, field, h));
        return 0;
    }
    table_add(t, field, h);
    return 1;
}

int hash_del(struct entry **ep, const char *f, size_t flen)
{
    struct entry *e = *ep;
    if (entry_enc(e) == ENTRY_ENC_TABLE) {
        struct table *t = hash__table(e);
        uint64_t h = util_hash(f, flen);
        struct entry **link = table_find(t, f, flen, h);
        if (link == NULL) return 0;
        entry_destroy(table_unlink(t, link, h));
        return 1;
    }
    size_t off = hash__pack_find(e, f, flen);
    if (off == 0) return 0;
    const unsigned char *at = (const unsigned char *)entry_val(e) + off;
    size_t len = (size_t)(pack_skip(pack_skip(at)) - at);
    e = entry_splice_value(e, off, len, 0);
    hash__set_count(e, hash__count(e) - 1);
    *ep = e;
    return 1;
}

struct hash__visit {
    hash_visit_fn *fn;
    void *arg;
};

static void hash__visit_field(struct entry *field, void *arg)
{
    struct hash__visit *hv = arg;
    hv->fn(entry_key(field), entry_klen(field), entry_val(field), entry_vlen(field), hv->arg);
}

static void hash__pack_each(const struct entry *e, hash_visit_fn *fn, void *arg)
{
    const unsigned char *p = hash__pack(e), *end = hash__pack_end(e);
    while (p < end) {
        const char *f, *v;
        size_t flen, vlen;
        p = pack_get(pack_get(p, &f, &flen), &v, &vlen);
        fn(f, flen, v, vlen, arg);
    }
}

void hash_each(const struct entry *e, hash_visit_fn *fn, void *arg)
{
    if (entry_enc(e) == ENTRY_ENC_TABLE) {
        struct hash__visit hv = {fn, arg};
        table_each(hash__table(e), hash__visit_field, &hv);
        return;
    }
    hash__pack_each(e, fn, arg);
}

uint64_t hash_scan(const struct entry *e, uint64_t cursor, uint64_t count, hash_visit_fn *fn,
                   void *arg)
{
    if (entry_enc(e) == ENTRY_ENC_TABLE) {
        struct hash__visit hv = {fn, arg};
        return table_scan(hash__table(e), cursor, count, hash__visit_field, &hv);
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
 * entries), Redis's two strategies. */
void hash_random(const struct entry *e, size_t n, int distinct, hash_visit_fn *fn, void *arg)
{
    size_t len = hash_len(e);
    if (len == 0 || n == 0) return;
    int table = entry_enc(e) == ENTRY_ENC_TABLE;
    if (table && !(distinct && n * 3 > len)) {
        struct table *t = hash__table(e);
        struct entry **seen = NULL;
        size_t mask = 0;
        if (distinct) {
            size_t size = 16;
            while (size < n * 2) size <<= 1;
            seen = mem_calloc(size * sizeof(*seen));
            mask = size - 1;
        }
        for (size_t got = 0; got < n;) {
            struct entry *field = table_random(t);
            if (distinct) {
                size_t i = (size_t)util_hash(&field, sizeof(field)) & mask;
                while (seen[i] && seen[i] != field) i = (i + 1) & mask;
                if (seen[i]) continue;
                seen[i] = field;
            }
            fn(entry_key(field), entry_klen(field), entry_val(field), entry_vlen(field), arg);
            got++;
        }
        mem_free(seen);
        return;
    }
    struct hash__items all = {mem_alloc(len * sizeof(struct hash__item)), 0};
    hash_each(e, hash__collect, &all);
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
    struct table *t = hash__table(e);
    table_clear(t);
    mem_free(t);
}

static struct entry *hash__copy_field(const struct entry *field)
{
    return entry_copy(field, entry_key(field), entry_klen(field), entry_expire(field), 0);
}

void hash_dup_payload(struct entry *copy)
{
    if (entry_enc(copy) != ENTRY_ENC_TABLE) return;
    struct table *t = mem_alloc(sizeof(*t));
    table_init(t);
    table_copy(t, hash__table(copy), hash__copy_field);
    memcpy(entry_val(copy) + 1, &t, sizeof(t));
}

size_t hash_payload_bytes(const struct entry *e, size_t samples)
{
    return entry_enc(e) == ENTRY_ENC_TABLE ? table_memory(hash__table(e), samples) : 0;
}

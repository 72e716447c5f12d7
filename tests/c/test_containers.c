/* test_containers.c - the compact encodings of hashes, sets, lists and
 * sorted sets (and the B+tree of large sorted sets): pack
 * elements at every varint boundary, every operation at every size around
 * the conversion thresholds, field TTLs (their order in a pack, the
 * conditions, expiry of packs and tables), intset width upgrades, and a
 * long random run of operations checked against a plain reference model. */
#include <stdint.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/mem.h"
#include "base/util.h"
#include "storage/entry.h"
#include "storage/hash.h"
#include "storage/list.h"
#include "storage/pack.h"
#include "storage/set.h"
#include "storage/value.h"
#include "storage/zset.h"
#include "test.h"

#define list_model_check(ok) ASSERT(ok)
#include "list_model.h"
#define zset_model_check(ok) ASSERT(ok)
#include "zset_model.h"

/* ---- pack ---- */

TEST(pack_lengths_at_varint_boundaries)
{
    static const size_t lens[] = {0, 1, 126, 127, 128, 129, 16383, 16384, 16385, 70000};
    size_t total = 0;
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) total += pack_elem_size(lens[i]);
    unsigned char *buf = mem_alloc(total);
    char *src = mem_alloc(70000);
    for (size_t i = 0; i < 70000; i++) src[i] = (char)(i * 7);
    unsigned char *p = buf;
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        size_t n = pack_put(p, src, lens[i]);
        ASSERT_INT_EQ(n, pack_elem_size(lens[i]));
        p += n;
    }
    ASSERT_INT_EQ(p - buf, total);
    ASSERT(pack_valid(buf, total, sizeof(lens) / sizeof(lens[0])));
    ASSERT(!pack_valid(buf, total, sizeof(lens) / sizeof(lens[0]) - 1));
    ASSERT(!pack_valid(buf, total - 1, sizeof(lens) / sizeof(lens[0])));
    const unsigned char *q = buf;
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        const char *s;
        size_t len;
        q = pack_get(q, &s, &len);
        ASSERT_INT_EQ(len, lens[i]);
        ASSERT(memcmp(s, src, len) == 0);
    }
    ASSERT_INT_EQ(pack_varint_size(127), 1);
    ASSERT_INT_EQ(pack_varint_size(128), 2);
    ASSERT_INT_EQ(pack_varint_size(16384), 3);
    mem_free(buf);
    mem_free(src);
}

/* ---- hashes ---- */

static int hash_has(const struct entry *e, const char *f, const char *want)
{
    const char *v;
    size_t vlen;
    if (!hash_get(e, f, strlen(f), &v, &vlen)) return want == NULL;
    return want && vlen == strlen(want) && memcmp(v, want, vlen) == 0;
}

static int hash_set_str(struct entry **e, const char *f, const char *v)
{
    return hash_set(e, f, strlen(f), v, strlen(v), 0);
}

struct visit_count {
    size_t n, bytes;
};

static void count_field(const char *f, size_t flen, const char *v, size_t vlen, void *arg)
{
    struct visit_count *vc = arg;
    vc->n++;
    vc->bytes += flen + vlen;
}

TEST(hash_converts_past_the_entry_limit_and_stays)
{
    cfg.hash_max_listpack_entries = 16;
    cfg.hash_max_listpack_value = 64;
    for (int size = 14; size <= 18; size++) {
        struct entry *e = hash_new("h", 1, -1);
        char f[32], v[32];
        for (int i = 0; i < size; i++) {
            snprintf(f, sizeof(f), "field:%d", i);
            snprintf(v, sizeof(v), "value:%d", i);
            ASSERT_INT_EQ(hash_set_str(&e, f, v), 1);
            ASSERT_INT_EQ(hash_len(e), i + 1);
            ASSERT_STR_EQ(entry_encoding(e), i + 1 <= 16 ? "listpack" : "hashtable");
        }
        /* Replacing a value adds nothing and changes no encoding. */
        ASSERT_INT_EQ(hash_set_str(&e, "field:0", "a longer value than before"), 0);
        ASSERT(hash_has(e, "field:0", "a longer value than before"));
        for (int i = 1; i < size; i++) {
            snprintf(f, sizeof(f), "field:%d", i);
            snprintf(v, sizeof(v), "value:%d", i);
            ASSERT(hash_has(e, f, v));
        }
        struct visit_count vc = {0, 0};
        hash_each(e, count_field, &vc);
        ASSERT_INT_EQ(vc.n, size);
        /* Deleting never converts back. */
        const char *enc = entry_encoding(e);
        for (int i = 0; i < size; i++) {
            snprintf(f, sizeof(f), "field:%d", i);
            ASSERT_INT_EQ(hash_del(&e, f, strlen(f)), 1);
            ASSERT_INT_EQ(hash_del(&e, f, strlen(f)), 0);
            ASSERT_STR_EQ(entry_encoding(e), enc);
            ASSERT_INT_EQ(hash_len(e), size - i - 1);
        }
        entry_destroy(e);
    }
}

TEST(hash_converts_on_a_long_field_or_value)
{
    cfg.hash_max_listpack_entries = 128;
    cfg.hash_max_listpack_value = 8;
    struct entry *e = hash_new("h", 1, -1);
    hash_set_str(&e, "12345678", "abcdefgh"); /* exactly 8 bytes: packed */
    ASSERT_STR_EQ(entry_encoding(e), "listpack");
    hash_set_str(&e, "a", "123456789"); /* 9 bytes */
    ASSERT_STR_EQ(entry_encoding(e), "hashtable");
    ASSERT(hash_has(e, "12345678", "abcdefgh"));
    ASSERT(hash_has(e, "a", "123456789"));
    entry_destroy(e);
    e = hash_new("h", 1, -1);
    hash_set_str(&e, "123456789", "x"); /* a 9-byte field */
    ASSERT_STR_EQ(entry_encoding(e), "hashtable");
    entry_destroy(e);
}

TEST(hash_copies_are_independent)
{
    cfg.hash_max_listpack_entries = 4;
    cfg.hash_max_listpack_value = 64;
    for (int n = 2; n <= 8; n += 6) {
        struct entry *e = hash_new("h", 1, -1);
        char f[16];
        for (int i = 0; i < n; i++) {
            snprintf(f, sizeof(f), "f%d", i);
            hash_set_str(&e, f, "v");
        }
        struct entry *copy = entry_copy(e, "c", 1, -1, 1);
        hash_set_str(&copy, "f0", "changed");
        hash_del(&copy, "f1", 2);
        ASSERT(hash_has(e, "f0", "v"));
        ASSERT(hash_has(e, "f1", "v"));
        ASSERT(hash_has(copy, "f0", "changed"));
        ASSERT(hash_has(copy, "f1", NULL));
        ASSERT_INT_EQ(hash_len(e), n);
        ASSERT_INT_EQ(hash_len(copy), n - 1);
        entry_destroy(e);
        entry_destroy(copy);
    }
}

struct field_seen {
    char seen[64];
    size_t picks;
    int dup;
};

static void mark_field(const char *f, size_t flen, const char *v, size_t vlen, void *arg)
{
    struct field_seen *fs = arg;
    (void)v;
    (void)vlen;
    char num[16];
    snprintf(num, sizeof(num), "%.*s", (int)flen - 1, f + 1);
    int i = atoi(num);
    if (fs->seen[i]) fs->dup = 1;
    fs->seen[i] = 1;
    fs->picks++;
}

TEST(hash_random_picks_distinct_and_repeated)
{
    for (int table = 0; table < 2; table++) {
        cfg.hash_max_listpack_entries = table ? 4 : 128;
        struct entry *e = hash_new("h", 1, -1);
        char f[16];
        for (int i = 0; i < 40; i++) {
            snprintf(f, sizeof(f), "f%d", i);
            hash_set_str(&e, f, "v");
        }
        for (size_t n = 1; n <= 40; n += 13) {
            struct field_seen fs = {{0}, 0, 0};
            hash_random(e, n, 1, mark_field, &fs);
            ASSERT_INT_EQ(fs.picks, n);
            ASSERT(!fs.dup);
        }
        struct field_seen fs = {{0}, 0, 0};
        hash_random(e, 500, 0, mark_field, &fs);
        ASSERT_INT_EQ(fs.picks, 500);
        entry_destroy(e);
    }
}

/* ---- sets ---- */

static int set_add_str(struct entry **e, const char *m)
{
    return set_add(e, m, strlen(m));
}

/* ---- hash field TTLs ---- */

struct order {
    char fields[64][16];
    size_t n;
};

static void note_order(const char *f, size_t flen, const char *v, size_t vlen, void *arg)
{
    (void)v;
    (void)vlen;
    struct order *o = arg;
    memcpy(o->fields[o->n], f, flen);
    o->fields[o->n++][flen] = '\0';
}

TEST(hash_ttls_keep_a_pack_in_ttl_order)
{
    cfg.hash_max_listpack_entries = 128;
    cfg.hash_max_listpack_value = 64;
    clock_set_now(1000);
    struct entry *e = hash_new("h", 1, -1);
    hash_set_str(&e, "a", "1");
    hash_set_str(&e, "b", "2");
    hash_set_str(&e, "c", "3");
    ASSERT_INT_EQ(hash_next_expire(e), -1);
    hash_allow_ttl(&e);
    ASSERT_STR_EQ(entry_encoding(e), "listpackex");
    ASSERT_INT_EQ(hash_set_expire(&e, "c", 1, 5000, HASH_COND_NONE), HASH_EXPIRE_SET);
    ASSERT_INT_EQ(hash_set_expire(&e, "b", 1, 3000, HASH_COND_NONE), HASH_EXPIRE_SET);
    /* TTL order first, the fields without one after, as Redis keeps them. */
    struct order o = {{{0}}, 0};
    hash_each(e, note_order, &o);
    ASSERT_INT_EQ(o.n, 3);
    ASSERT_STR_EQ(o.fields[0], "b");
    ASSERT_STR_EQ(o.fields[1], "c");
    ASSERT_STR_EQ(o.fields[2], "a");
    ASSERT_INT_EQ(hash_next_expire(e), 3000);
    /* Conditions: a field without TTL never expires (GT fails, LT passes). */
    ASSERT_INT_EQ(hash_set_expire(&e, "a", 1, 9000, HASH_COND_GT), HASH_EXPIRE_NOT_MET);
    ASSERT_INT_EQ(hash_set_expire(&e, "a", 1, 9000, HASH_COND_XX), HASH_EXPIRE_NOT_MET);
    ASSERT_INT_EQ(hash_set_expire(&e, "b", 1, 9000, HASH_COND_NX), HASH_EXPIRE_NOT_MET);
    ASSERT_INT_EQ(hash_set_expire(&e, "b", 1, 2000, HASH_COND_GT), HASH_EXPIRE_NOT_MET);
    ASSERT_INT_EQ(hash_set_expire(&e, "b", 1, 2000, HASH_COND_LT), HASH_EXPIRE_SET);
    ASSERT_INT_EQ(hash_set_expire(&e, "zz", 2, 2000, HASH_COND_NONE), HASH_EXPIRE_NO_FIELD);
    ASSERT_INT_EQ(hash_field_expire(e, "b", 1), 2000);
    ASSERT_INT_EQ(hash_field_expire(e, "a", 1), HASH_NO_TTL);
    ASSERT_INT_EQ(hash_field_expire(e, "zz", 2), HASH_NO_FIELD);
    /* HSET drops the TTL, HINCRBY's kind of set keeps it. */
    ASSERT_INT_EQ(hash_set(&e, "c", 1, "33", 2, 1), 0);
    ASSERT_INT_EQ(hash_field_expire(e, "c", 1), 5000);
    ASSERT_INT_EQ(hash_set(&e, "c", 1, "333", 3, 0), 0);
    ASSERT_INT_EQ(hash_field_expire(e, "c", 1), HASH_NO_TTL);
    ASSERT_INT_EQ(hash_persist(&e, "c", 1), HASH_NO_TTL);
    ASSERT_INT_EQ(hash_persist(&e, "b", 1), 1);
    ASSERT_INT_EQ(hash_next_expire(e), -1);
    /* A time not in the future deletes the field. */
    ASSERT_INT_EQ(hash_set_expire(&e, "a", 1, 1000, HASH_COND_NONE), HASH_EXPIRE_DELETED);
    ASSERT_INT_EQ(hash_len(e), 2);
    entry_destroy(e);
    clock_set_now(0);
}

TEST(hash_ttls_expire_at_every_size_around_the_threshold)
{
    cfg.hash_max_listpack_entries = 16;
    cfg.hash_max_listpack_value = 64;
    for (int size = 14; size <= 18; size++) {
        clock_set_now(1000);
        struct entry *e = hash_new("h", 1, -1);
        char f[32];
        for (int i = 0; i < size; i++) {
            snprintf(f, sizeof(f), "field:%d", i);
            hash_set_str(&e, f, "v");
        }
        hash_allow_ttl(&e);
        /* Every other field expires at 1000 + i. */
        for (int i = 0; i < size; i += 2) {
            snprintf(f, sizeof(f), "field:%d", i);
            ASSERT_INT_EQ(hash_set_expire(&e, f, strlen(f), 1001 + i, HASH_COND_NONE),
                          HASH_EXPIRE_SET);
        }
        ASSERT_STR_EQ(entry_encoding(e), size <= 16 ? "listpackex" : "hashtable");
        ASSERT(hash_next_expire(e) >= 0 && hash_next_expire(e) <= 1001);
        /* Halfway: the due ones are invisible, then removed. */
        clock_set_now(1001 + size / 2);
        int due = 0;
        for (int i = 0; i < size; i += 2) due += 1001 + i <= 1001 + size / 2;
        struct visit_count vc = {0, 0};
        hash_each(e, count_field, &vc);
        ASSERT_INT_EQ(vc.n, size - due);
        ASSERT_INT_EQ(hash_expire_due(&e, clock_now(), UINT64_MAX, NULL, NULL), due);
        ASSERT_INT_EQ(hash_len(e), size - due);
        ASSERT(hash_next_expire(e) > clock_now());
        /* A field that expired and is set again is new, without a TTL. */
        ASSERT_INT_EQ(hash_set_str(&e, "field:0", "back"), 1);
        ASSERT_INT_EQ(hash_field_expire(e, "field:0", 7), HASH_NO_TTL);
        /* Copies carry the TTLs. */
        struct entry *copy = entry_copy(e, "c", 1, -1, 1);
        int last = (size - 1) & ~1; /* the last field with a TTL */
        snprintf(f, sizeof(f), "field:%d", last);
        ASSERT_INT_EQ(hash_field_expire(copy, f, strlen(f)), 1001 + last);
        entry_destroy(copy);
        /* The rest, a few buckets at a time for a table. */
        clock_set_now(5000);
        size_t left = hash_len(e), removed = 0;
        for (int step = 0; step < 1000 && hash_next_expire(e) >= 0; step++)
            removed += hash_expire_due(&e, clock_now(), 2, NULL, NULL);
        ASSERT_INT_EQ(hash_next_expire(e), -1);
        ASSERT_INT_EQ(hash_len(e), left - removed);
        ASSERT_INT_EQ(hash_len(e), size / 2 + 1);
        entry_destroy(e);
    }
    clock_set_now(0);
}

TEST(set_intset_upgrades_its_width)
{
    cfg.set_max_intset_entries = 512;
    struct entry *e = set_new("s", 1, "1", 1, 1, -1);
    static const char *vals[] = {"1",
                                 "-5",
                                 "32767",
                                 "32768",
                                 "-32769",
                                 "2147483648",
                                 "-9223372036854775808",
                                 "9223372036854775807",
                                 "0"};
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        ASSERT_INT_EQ(set_add_str(&e, vals[i]), 1);
        ASSERT_INT_EQ(set_add_str(&e, vals[i]), 0);
        ASSERT_STR_EQ(entry_encoding(e), "intset");
    }
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
        ASSERT(set_contains(e, vals[i], strlen(vals[i])));
    /* Not integers by Redis's rule: plain strings, absent here. */
    ASSERT(!set_contains(e, "01", 2));
    ASSERT(!set_contains(e, "+1", 2));
    ASSERT(!set_contains(e, "-0", 2));
    ASSERT(!set_contains(e, "9223372036854775808", 19));
    ASSERT_INT_EQ(set_remove(&e, "32768", 5), 1);
    ASSERT_INT_EQ(set_remove(&e, "32768", 5), 0);
    ASSERT_INT_EQ(set_len(e), 8);
    entry_destroy(e);
}

struct member_list {
    char text[64][24];
    size_t n;
};

static void list_member(const char *m, size_t mlen, void *arg)
{
    struct member_list *ml = arg;
    snprintf(ml->text[ml->n++], 24, "%.*s", (int)mlen, m);
}

TEST(set_intset_lists_members_in_order)
{
    struct entry *e = set_new("s", 1, "5", 1, 1, -1);
    static const char *vals[] = {"5", "-100000", "3", "70000", "-2"};
    for (size_t i = 0; i < 5; i++) set_add_str(&e, vals[i]);
    struct member_list ml = {{{0}}, 0};
    set_each(e, list_member, &ml);
    ASSERT_INT_EQ(ml.n, 5);
    ASSERT_STR_EQ(ml.text[0], "-100000");
    ASSERT_STR_EQ(ml.text[1], "-2");
    ASSERT_STR_EQ(ml.text[2], "3");
    ASSERT_STR_EQ(ml.text[3], "5");
    ASSERT_STR_EQ(ml.text[4], "70000");
    entry_destroy(e);
}

TEST(set_conversions_at_each_threshold)
{
    cfg.set_max_intset_entries = 8;
    cfg.set_max_listpack_entries = 6;
    cfg.set_max_listpack_value = 10;
    char m[32];
    /* Integers: an intset up to 8 members, then a table. */
    struct entry *e = set_new("s", 1, "0", 1, 1, -1);
    for (int i = 0; i < 10; i++) {
        snprintf(m, sizeof(m), "%d", i);
        set_add_str(&e, m);
        ASSERT_STR_EQ(entry_encoding(e), i + 1 <= 8 ? "intset" : "hashtable");
    }
    entry_destroy(e);
    /* A string joins a small intset: packed; a big one: a table. */
    for (int n = 4; n <= 7; n++) {
        e = set_new("s", 1, "0", 1, 1, -1);
        for (int i = 0; i < n; i++) {
            snprintf(m, sizeof(m), "%d", i);
            set_add_str(&e, m);
        }
        set_add_str(&e, "word");
        ASSERT_STR_EQ(entry_encoding(e), n < 6 ? "listpack" : "hashtable");
        ASSERT_INT_EQ(set_len(e), n + 1);
        for (int i = 0; i < n; i++) {
            snprintf(m, sizeof(m), "%d", i);
            ASSERT(set_contains(e, m, strlen(m)));
        }
        ASSERT(set_contains(e, "word", 4));
        entry_destroy(e);
    }
    /* Strings: packed up to 6 members and 10 bytes. */
    e = set_new("s", 1, "a", 1, 1, -1);
    for (int i = 0; i < 8; i++) {
        snprintf(m, sizeof(m), "m%d", i);
        set_add_str(&e, m);
        ASSERT_STR_EQ(entry_encoding(e), i + 1 <= 6 ? "listpack" : "hashtable");
    }
    entry_destroy(e);
    e = set_new("s", 1, "a", 1, 1, -1);
    set_add_str(&e, "0123456789");
    ASSERT_STR_EQ(entry_encoding(e), "listpack");
    set_add_str(&e, "01234567890");
    ASSERT_STR_EQ(entry_encoding(e), "hashtable");
    entry_destroy(e);
    /* The size hint of a first SADD picks the encoding up front. */
    e = set_new("s", 1, "1", 1, 9, -1); /* past the intset and pack limits */
    ASSERT_STR_EQ(entry_encoding(e), "hashtable");
    entry_destroy(e);
    e = set_new("s", 1, "a", 1, 5, -1);
    ASSERT_STR_EQ(entry_encoding(e), "listpack");
    entry_destroy(e);
    e = set_new("s", 1, "1", 1, 7, -1);
    set_prepare(&e, 9);
    ASSERT_STR_EQ(entry_encoding(e), "hashtable");
    entry_destroy(e);
    cfg.set_max_intset_entries = 512;
    cfg.set_max_listpack_entries = 128;
    cfg.set_max_listpack_value = 64;
}

static void count_member(const char *m, size_t mlen, void *arg)
{
    (void)m;
    (void)mlen;
    (*(size_t *)arg)++;
}

TEST(set_pop_removes_what_it_hands_out)
{
    for (int enc = 0; enc < 3; enc++) {
        cfg.set_max_intset_entries = enc == 0 ? 512 : 4;
        cfg.set_max_listpack_entries = enc == 1 ? 128 : 4;
        struct entry *e = set_new("s", 1, enc == 1 ? "x" : "0", 1, 1, -1);
        char m[16];
        for (int i = 0; i < 50; i++) {
            snprintf(m, sizeof(m), enc == 1 ? "m%d" : "%d", i);
            set_add_str(&e, m);
        }
        struct member_list ml = {{{0}}, 0};
        set_pop(&e, 20, list_member, &ml);
        ASSERT_INT_EQ(ml.n, 20);
        ASSERT_INT_EQ(set_len(e), 30);
        for (size_t i = 0; i < ml.n; i++) ASSERT(!set_contains(e, ml.text[i], strlen(ml.text[i])));
        size_t left = 0;
        set_each(e, count_member, &left);
        ASSERT_INT_EQ(left, 30);
        entry_destroy(e);
    }
    cfg.set_max_intset_entries = 512;
    cfg.set_max_listpack_entries = 128;
}

/* ---- random operations against a reference ---- */

#define MODEL_KEYS 24

/* The reference: field i present with value number vals[i]. */
struct model {
    int present[MODEL_KEYS];
    int vals[MODEL_KEYS];
};

TEST(hash_matches_a_model_under_random_operations)
{
    cfg.hash_max_listpack_entries = 8;
    cfg.hash_max_listpack_value = 12;
    for (int round = 0; round < 50; round++) {
        struct model md;
        memset(&md, 0, sizeof(md));
        struct entry *e = hash_new("h", 1, -1);
        size_t len = 0;
        for (int op = 0; op < 400; op++) {
            int k = (int)(util_rand64() % MODEL_KEYS);
            char f[16], v[32];
            snprintf(f, sizeof(f), "f%d", k);
            if (util_rand64() % 3) {
                int val = (int)(util_rand64() % 1000000000);
                /* Long values sometimes, to cross the value limit. */
                snprintf(v, sizeof(v), util_rand64() % 10 ? "%d" : "%d-padding", val);
                int added = hash_set_str(&e, f, v);
                ASSERT_INT_EQ(added, !md.present[k]);
                len += (size_t)added;
                md.present[k] = 1;
                md.vals[k] = val;
            } else if (len > 1) {
                int removed = hash_del(&e, f, strlen(f));
                ASSERT_INT_EQ(removed, md.present[k]);
                len -= (size_t)removed;
                md.present[k] = 0;
            }
            ASSERT_INT_EQ(hash_len(e), len);
        }
        for (int k = 0; k < MODEL_KEYS; k++) {
            char f[16];
            snprintf(f, sizeof(f), "f%d", k);
            const char *v;
            size_t vlen;
            int found = hash_get(e, f, strlen(f), &v, &vlen);
            ASSERT_INT_EQ(found, md.present[k]);
            if (found) {
                char num[32]; /* values are not NUL-terminated */
                snprintf(num, sizeof(num), "%.*s", (int)vlen, v);
                ASSERT_INT_EQ(atoi(num), md.vals[k]);
            }
        }
        entry_destroy(e);
    }
}

TEST(set_matches_a_model_under_random_operations)
{
    cfg.set_max_intset_entries = 10;
    cfg.set_max_listpack_entries = 8;
    cfg.set_max_listpack_value = 12;
    for (int round = 0; round < 50; round++) {
        int present[MODEL_KEYS * 2] = {0};
        struct entry *e = set_new("s", 1, "0", 1, 1, -1);
        size_t len = 0;
        for (int op = 0; op < 400; op++) {
            int k = (int)(util_rand64() % (MODEL_KEYS * 2));
            char m[32];
            /* Half integers (some past 16 and 32 bits), half strings. */
            if (k < MODEL_KEYS)
                snprintf(m, sizeof(m), "%lld", (long long)k * (k % 3 ? 1 : 4000000000LL) - 7);
            else
                snprintf(m, sizeof(m), k % 5 ? "m%d" : "member-%d-long", k);
            if (util_rand64() % 3) {
                int added = set_add_str(&e, m);
                ASSERT_INT_EQ(added, !present[k]);
                len += (size_t)added;
                present[k] = 1;
            } else if (len > 1) {
                int removed = set_remove(&e, m, strlen(m));
                ASSERT_INT_EQ(removed, present[k]);
                len -= (size_t)removed;
                present[k] = 0;
            }
            ASSERT_INT_EQ(set_len(e), len);
        }
        size_t visited = 0;
        set_each(e, count_member, &visited);
        ASSERT_INT_EQ(visited, len);
        entry_destroy(e);
    }
    cfg.set_max_intset_entries = 512;
    cfg.set_max_listpack_entries = 128;
    cfg.set_max_listpack_value = 64;
}

/* ---- lists ---- */

TEST(pack_two_way_elements_read_both_ways)
{
    static const size_t lens[] = {0, 1, 126, 127, 128, 16383, 16384, 70000};
    enum { N = sizeof(lens) / sizeof(lens[0]) };
    size_t total = 0;
    for (size_t i = 0; i < N; i++) total += pack_elem2_size(lens[i]);
    unsigned char *buf = mem_alloc(total);
    char *src = mem_alloc(70000);
    for (size_t i = 0; i < 70000; i++) src[i] = (char)(i * 13);
    unsigned char *p = buf;
    for (size_t i = 0; i < N; i++) p += pack_put2(p, src, lens[i]);
    ASSERT_INT_EQ(p - buf, total);
    ASSERT(pack_valid2(buf, total, N));
    ASSERT(!pack_valid2(buf, total, N - 1));
    ASSERT(!pack_valid2(buf, total - 1, N));
    const unsigned char *q = buf;
    for (size_t i = 0; i < N; i++) {
        const char *s;
        size_t len;
        q = pack_get2(q, &s, &len);
        ASSERT_INT_EQ(len, lens[i]);
        ASSERT(memcmp(s, src, len) == 0);
    }
    for (size_t i = N; i-- > 0;) {
        const char *s;
        size_t len;
        q = pack_prev2(q, &s, &len);
        ASSERT_INT_EQ(len, lens[i]);
        ASSERT(memcmp(s, src, len) == 0);
    }
    ASSERT(q == buf);
    mem_free(buf);
    mem_free(src);
}

static struct entry *list_of(int n, size_t len)
{
    struct entry *e = list_new("l", 1, -1);
    char buf[16384];
    memset(buf, 'x', len);
    for (int i = 0; i < n; i++) list_push(&e, LIST_TAIL, buf, len);
    return e;
}

TEST(list_converts_at_each_limit_and_back)
{
    /* A count limit: 4 elements packed, the fifth makes a chain. */
    cfg.list_max_listpack_size = 4;
    struct entry *e = list_of(4, 3);
    ASSERT_STR_EQ(entry_encoding(e), "listpack");
    list_push(&e, LIST_HEAD, "y", 1);
    ASSERT_STR_EQ(entry_encoding(e), "quicklist");
    ASSERT(list_valid(e));
    /* Back inline at half the limit, in one node. */
    list_pop(&e, LIST_HEAD, 2, NULL, NULL);
    ASSERT_STR_EQ(entry_encoding(e), "quicklist");
    list_pop(&e, LIST_TAIL, 1, NULL, NULL);
    ASSERT_STR_EQ(entry_encoding(e), "listpack");
    ASSERT_INT_EQ(list_len(e), 2);
    entry_destroy(e);

    /* A size limit (-2: 8 KB): an element past it makes a chain. */
    cfg.list_max_listpack_size = -2;
    e = list_of(3, 100);
    ASSERT_STR_EQ(entry_encoding(e), "listpack");
    char big[9000];
    memset(big, 'b', sizeof(big));
    list_push(&e, LIST_TAIL, big, sizeof(big));
    ASSERT_STR_EQ(entry_encoding(e), "quicklist");
    list_pop(&e, LIST_TAIL, 1, NULL, NULL);
    ASSERT_STR_EQ(entry_encoding(e), "listpack");
    entry_destroy(e);

    /* LPUSH of many checks them all at once: 8 KB in small elements. */
    e = list_of(80, 100);
    ASSERT_STR_EQ(entry_encoding(e), "listpack");
    list_prepare(&e, 100 * 2, 2);
    ASSERT_STR_EQ(entry_encoding(e), "quicklist");
    ASSERT_INT_EQ(list_len(e), 80);
    ASSERT(list_valid(e));
    entry_destroy(e);

    /* Each of -1..-5 doubles the bytes a pack may reach (4 to 64 KB, as
     * Redis counts a listpack: its 7 bytes of header and end included);
     * below -5, -5's. 100-byte elements take 102 bytes. */
    static const int fills[] = {-1, -2, -3, -4, -5, -6};
    static const size_t limit[] = {4096, 8192, 16384, 32768, 65536, 65536};
    for (int i = 0; i < 6; i++) {
        cfg.list_max_listpack_size = fills[i];
        e = list_new("l", 1, -1);
        size_t packed = 0;
        while (strcmp(entry_encoding(e), "listpack") == 0) {
            packed = list_len(e);
            list_push(&e, LIST_TAIL, big, 100);
        }
        ASSERT(packed * 102 + 7 <= limit[i]);
        ASSERT(packed * 102 + 7 + 100 > limit[i]);
        entry_destroy(e);
    }
    cfg.list_max_listpack_size = -2;
}

TEST(list_middle_inserts_split_full_nodes)
{
    cfg.list_max_listpack_size = 4;
    struct entry *e = list_of(12, 3);
    ASSERT(list_valid(e));
    size_t news = 0;
    for (int i = 0; i < 40; i++) {
        char v[8];
        int n = snprintf(v, sizeof(v), "v%d", i);
        const char *old;
        size_t olen, at = (size_t)i * 5 % list_len(e);
        list_index(e, at, &old, &olen);
        if (olen == 3 && memcmp(old, "new", 3) == 0) news--;
        list_set(&e, at, v, (size_t)n);
        news++;
        ASSERT(list_insert(&e, v, (size_t)n, i & 1, "new", 3));
        ASSERT(list_valid(e));
    }
    ASSERT_INT_EQ(list_len(e), 52);
    ASSERT_INT_EQ(list_remove(&e, 0, "new", 3), news);
    ASSERT_INT_EQ(list_len(e), 52 - news);
    ASSERT(list_valid(e));
    list_trim(&e, 3, 10);
    ASSERT_INT_EQ(list_len(e), 8);
    ASSERT(list_valid(e));
    entry_destroy(e);
    cfg.list_max_listpack_size = -2;
}

TEST(list_matches_a_model_under_random_operations)
{
    static const int fills[] = {-2, -1, 1, 2, 3, 5, 16, 0, -5};
    uint8_t prog[4000];
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (int round = 0; round < 60; round++) {
        for (size_t i = 0; i < sizeof(prog); i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            prog[i] = (uint8_t)x;
        }
        /* Mostly pushes early on, so lists get long. */
        for (size_t i = 0; i < 600; i += 2) prog[i] = (uint8_t)(prog[i] & 1);
        list_model_run(fills[round % 9], prog, sizeof(prog));
    }
    cfg.list_max_listpack_size = -2;
}

TEST(zset_converts_at_each_limit)
{
    struct entry *e = zset_new("z", 1, 0, 0, -1);
    double ns;
    char m[80];
    for (int i = 0; i < 128; i++) {
        int n = snprintf(m, sizeof(m), "member:%d", i);
        ASSERT_INT_EQ(zset_add(&e, i, m, (size_t)n, 0, &ns), ZSET_OUT_ADDED);
    }
    ASSERT_STR_EQ(entry_encoding(e), "listpack");
    ASSERT_INT_EQ(zset_add(&e, 1000, "one more", 8, 0, &ns), ZSET_OUT_ADDED);
    ASSERT_STR_EQ(entry_encoding(e), "skiplist");
    ASSERT(zset_valid(e));
    entry_destroy(e);
    /* A member longer than zset-max-listpack-value converts a small set. */
    e = zset_new("z", 1, 1, 5, -1);
    ASSERT_STR_EQ(entry_encoding(e), "listpack");
    memset(m, 'x', 65);
    ASSERT_INT_EQ(zset_add(&e, 1, m, 64, 0, &ns), ZSET_OUT_ADDED);
    ASSERT_STR_EQ(entry_encoding(e), "listpack");
    ASSERT_INT_EQ(zset_add(&e, 1, m, 65, 0, &ns), ZSET_OUT_ADDED);
    ASSERT_STR_EQ(entry_encoding(e), "skiplist");
    entry_destroy(e);
    /* Created for more members than a pack holds. */
    e = zset_new("z", 1, 129, 1, -1);
    ASSERT_STR_EQ(entry_encoding(e), "skiplist");
    entry_destroy(e);
}

TEST(zset_scores_keep_their_bits_in_a_pack)
{
    static const double scores[] = {0,
                                    -0.0,
                                    1,
                                    -1,
                                    127,
                                    128,
                                    -129,
                                    1e15,
                                    -36028797018963967.0,
                                    36028797018963968.0,
                                    0.1,
                                    INFINITY,
                                    -INFINITY,
                                    4.9e-324};
    struct entry *e = zset_new("z", 1, 0, 0, -1);
    char m[8];
    double ns;
    for (size_t i = 0; i < sizeof(scores) / sizeof(scores[0]); i++) {
        m[0] = (char)('a' + i);
        zset_add(&e, scores[i], m, 1, 0, &ns);
    }
    ASSERT(zset_valid(e));
    for (size_t i = 0; i < sizeof(scores) / sizeof(scores[0]); i++) {
        double s;
        m[0] = (char)('a' + i);
        ASSERT(zset_score(e, m, 1, &s));
        /* Every bit, but -0's sign: a pack keeps it as 0, as Redis does. */
        double want = scores[i] == 0 ? 0.0 : scores[i];
        ASSERT(memcmp(&s, &want, sizeof(s)) == 0);
    }
    entry_destroy(e);
}

TEST(zset_fed_in_order_fills_its_leaves)
{
    cfg.zset_max_listpack_entries = 0;
    struct entry *e = zset_new("z", 1, 0, 0, -1);
    char m[32];
    double ns;
    for (int i = 0; i < 30000; i++) {
        int n = snprintf(m, sizeof(m), "%d", i);
        zset_add(&e, i, m, (size_t)n, 0, &ns);
    }
    ASSERT(zset_valid(e));
    /* Full leaves: 30000 pairs in 1000 leaves of 512 bytes and a few
     * inner nodes. */
    size_t tree = zset_payload_bytes(e, 0);
    ASSERT(tree < 30000 * (32 + 16 + 20));
    /* Deleting every other member keeps the tree over half full. */
    for (int i = 0; i < 30000; i += 2) {
        int n = snprintf(m, sizeof(m), "%d", i);
        ASSERT(zset_remove(&e, m, (size_t)n));
    }
    ASSERT(zset_valid(e));
    ASSERT_INT_EQ(zset_len(e), 15000);
    entry_destroy(e);
    cfg.zset_max_listpack_entries = 128;
}

TEST(zset_matches_a_model_under_random_operations)
{
    static uint8_t prog[12000];
    uint64_t x = 0x2545F4914F6CDD1Dull;
    for (int round = 0; round < 24; round++) {
        for (size_t i = 0; i < sizeof(prog); i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            prog[i] = (uint8_t)x;
        }
        /* Mostly adds early on, so sets get big. */
        for (size_t i = 0; i < 6000; i += 3) prog[i] = (uint8_t)(prog[i] & 0xF0);
        cfg.zset_max_listpack_entries = round % 3 == 0 ? 128 : round % 3 == 1 ? 4 : 0;
        cfg.zset_max_listpack_value = round % 2 ? 64 : 8;
        zset_model_run(prog, sizeof(prog));
    }
    cfg.zset_max_listpack_entries = 128;
    cfg.zset_max_listpack_value = 64;
}

int main(void)
{
    uint8_t seed[16] = {0};
    util_hash_seed(seed);
    config_load(NULL, NULL);
    value_setup();
    RUN(pack_lengths_at_varint_boundaries);
    RUN(hash_converts_past_the_entry_limit_and_stays);
    RUN(hash_converts_on_a_long_field_or_value);
    RUN(hash_copies_are_independent);
    RUN(hash_random_picks_distinct_and_repeated);
    RUN(hash_ttls_keep_a_pack_in_ttl_order);
    RUN(hash_ttls_expire_at_every_size_around_the_threshold);
    RUN(set_intset_upgrades_its_width);
    RUN(set_intset_lists_members_in_order);
    RUN(set_conversions_at_each_threshold);
    RUN(set_pop_removes_what_it_hands_out);
    RUN(hash_matches_a_model_under_random_operations);
    RUN(set_matches_a_model_under_random_operations);
    RUN(pack_two_way_elements_read_both_ways);
    RUN(list_converts_at_each_limit_and_back);
    RUN(list_middle_inserts_split_full_nodes);
    RUN(list_matches_a_model_under_random_operations);
    RUN(zset_converts_at_each_limit);
    RUN(zset_scores_keep_their_bits_in_a_pack);
    RUN(zset_fed_in_order_fills_its_leaves);
    RUN(zset_matches_a_model_under_random_operations);
    TEST_DONE();
}

/* fuzz_containers.c - libFuzzer target: the input is a program of hash and
 * set operations (with small conversion thresholds, so every encoding and
 * every move between them is reached); each step is checked against a
 * plain reference model, and the whole container is compared with it at
 * the end. Built with ASan and UBSan (make test-fuzz). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/util.h"
#include "storage/entry.h"
#include "storage/hash.h"
#include "storage/set.h"
#include "storage/value.h"

#define SLOTS 32

/* The reference: slot i present, with a value of vlen[i] bytes of vbyte[i]. */
struct ref {
    int present[SLOTS];
    size_t vlen[SLOTS];
    unsigned char vbyte[SLOTS];
    size_t n;
};

static void check(int ok)
{
    if (!ok) abort();
}

static size_t field_name(int slot, char *buf)
{
    /* Small integers, big integers and words: every set encoding. */
    switch (slot % 4) {
    case 0: return (size_t)snprintf(buf, 32, "%d", slot);
    case 1: return (size_t)snprintf(buf, 32, "-%lld", (long long)slot * 3000000000LL);
    case 2: return (size_t)snprintf(buf, 32, "w%d", slot);
    default: return (size_t)snprintf(buf, 32, "a-longer-member-name-%d", slot);
    }
}

static void count_visit(const char *f, size_t flen, const char *v, size_t vlen, void *arg)
{
    (void)f;
    (void)flen;
    (void)v;
    (void)vlen;
    (*(size_t *)arg)++;
}

static void count_member(const char *m, size_t mlen, void *arg)
{
    (void)m;
    (void)mlen;
    (*(size_t *)arg)++;
}

static void run_hash(const uint8_t *data, size_t size)
{
    struct ref r;
    memset(&r, 0, sizeof(r));
    struct entry *e = hash_new("h", 1, -1);
    char f[32], v[200];
    for (size_t i = 0; i + 2 < size; i += 3) {
        int slot = data[i + 1] % SLOTS;
        size_t flen = field_name(slot, f);
        switch (data[i] % 4) {
        case 0:
        case 1: { /* HSET */
            size_t vlen = data[i + 2] % 100;
            memset(v, 'a' + slot % 26, vlen);
            int added = hash_set(&e, f, flen, v, vlen);
            check(added == !r.present[slot]);
            r.n += (size_t)added;
            r.present[slot] = 1;
            r.vlen[slot] = vlen;
            r.vbyte[slot] = (unsigned char)('a' + slot % 26);
            break;
        }
        case 2: /* HDEL, never emptying (a key holds no empty hash) */
            if (r.n > 1 || !r.present[slot]) {
                int removed = hash_del(&e, f, flen);
                check(removed == r.present[slot]);
                r.n -= (size_t)removed;
                r.present[slot] = 0;
            }
            break;
        default: { /* HGET and a copy */
            const char *got;
            size_t glen;
            int found = hash_get(e, f, flen, &got, &glen);
            check(found == r.present[slot]);
            if (found) check(glen == r.vlen[slot]);
            struct entry *copy = entry_copy(e, "c", 1, -1, 1);
            check(hash_len(copy) == r.n);
            entry_destroy(copy);
            break;
        }
        }
        check(hash_len(e) == r.n);
    }
    size_t visited = 0;
    hash_each(e, count_visit, &visited);
    check(visited == r.n);
    for (int s = 0; s < SLOTS; s++) {
        size_t flen = field_name(s, f);
        const char *got;
        size_t glen;
        int found = hash_get(e, f, flen, &got, &glen);
        check(found == r.present[s]);
        if (found) {
            check(glen == r.vlen[s]);
            for (size_t k = 0; k < glen; k++) check((unsigned char)got[k] == r.vbyte[s]);
        }
    }
    entry_destroy(e);
}

static void run_set(const uint8_t *data, size_t size)
{
    struct ref r;
    memset(&r, 0, sizeof(r));
    char m[32];
    size_t mlen = field_name(size ? data[0] % SLOTS : 0, m);
    struct entry *e = set_new("s", 1, m, mlen, 1, -1);
    for (size_t i = 0; i + 1 < size; i += 2) {
        int slot = data[i + 1] % SLOTS;
        mlen = field_name(slot, m);
        switch (data[i] % 4) {
        case 0:
        case 1: {
            int added = set_add(&e, m, mlen);
            check(added == !r.present[slot]);
            r.n += (size_t)added;
            r.present[slot] = 1;
            break;
        }
        case 2:
            if (r.n > 1 || !r.present[slot]) {
                int removed = set_remove(&e, m, mlen);
                check(removed == r.present[slot]);
                r.n -= (size_t)removed;
                r.present[slot] = 0;
            }
            break;
        default: check(set_contains(e, m, mlen) == r.present[slot]); break;
        }
        check(set_len(e) == r.n);
    }
    size_t visited = 0;
    set_each(e, count_member, &visited);
    check(visited == r.n);
    for (int s = 0; s < SLOTS; s++) {
        mlen = field_name(s, m);
        check(set_contains(e, m, mlen) == r.present[s]);
    }
    entry_destroy(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        uint8_t seed[16] = {0};
        util_hash_seed(seed);
        config_load(NULL, NULL);
        value_setup();
        ready = 1;
    }
    if (size < 2) return 0;
    /* The thresholds come from the input too: every boundary is reached. */
    cfg.hash_max_listpack_entries = data[0] % 12;
    cfg.hash_max_listpack_value = 8 + data[1] % 64;
    cfg.set_max_intset_entries = data[0] % 10;
    cfg.set_max_listpack_entries = data[1] % 10;
    cfg.set_max_listpack_value = 4 + data[0] % 24;
    run_hash(data + 2, size - 2);
    run_set(data + 2, size - 2);
    return 0;
}

/* fuzz_containers.c - libFuzzer target: the input is a program of hash,
 * set and list operations (with small conversion thresholds, so every encoding and
 * every move between them is reached); each step is checked against a
 * plain reference model, and the whole container is compared with it at
 * the end. Hash fields get TTLs on a clock the input moves, so packed
 * hashes with TTLs, expiry sweeps and every conversion with TTLs are
 * reached too. The same input then runs as a program of list operations
 * (list_model.h), and as one of sorted set operations (zset_model.h).
 * Built with ASan and UBSan (make test-fuzz). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/util.h"
#include "storage/entry.h"
#include "storage/hash.h"
#include "storage/set.h"
#include "storage/value.h"

#define list_model_check(ok) check(ok)

#define SLOTS 32

/* The reference: slot i present, with a value of vlen[i] bytes of vbyte[i]. */
struct ref {
    int present[SLOTS];
    size_t vlen[SLOTS];
    unsigned char vbyte[SLOTS];
    size_t n;
};

#define check(ok)                                                                                  \
    do {                                                                                           \
        if (!(ok)) {                                                                               \
            fprintf(stderr, "check failed at line %d: %s\n", __LINE__, #ok);                       \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#include "list_model.h"
#define zset_model_check(ok) check(ok)
#include "zset_model.h"

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

/* The hash model adds field TTLs on a clock the input moves: a slot is
 * absent (0), present (1), or expired but maybe not removed yet (2: after
 * a partial sweep of a table only the bounds of hash_len are known). */
struct href {
    int state[SLOTS];
    long long ttl[SLOTS]; /* -1: none */
    size_t vlen[SLOTS];
    unsigned char vbyte[SLOTS];
};

static long long fuzz_now;

static int href_live(const struct href *r, int s)
{
    return r->state[s] == 1 && !(r->ttl[s] >= 0 && r->ttl[s] <= fuzz_now);
}

/* Checks hash_len against the model: present slots count, expired ones
 * not yet removed may. */
static void href_check_len(const struct href *r, const struct entry *e)
{
    size_t lo = 0, hi = 0;
    for (int s = 0; s < SLOTS; s++) {
        if (r->state[s] == 1) {
            hi++;
            if (href_live(r, s))
                lo++;
            else
                lo += 0;
        } else if (r->state[s] == 2) {
            hi++;
        }
    }
    /* An expired slot still in state 1 is physically there until a sweep. */
    size_t sure = 0;
    for (int s = 0; s < SLOTS; s++) sure += r->state[s] == 1;
    check(hash_len(e) <= hi && hash_len(e) >= (sure < lo ? sure : lo));
}

static size_t href_live_count(const struct href *r)
{
    size_t n = 0;
    for (int s = 0; s < SLOTS; s++) n += (size_t)href_live(r, s);
    return n;
}

static void run_hash(const uint8_t *data, size_t size)
{
    struct href r;
    memset(&r, 0, sizeof(r));
    for (int s = 0; s < SLOTS; s++) r.ttl[s] = -1;
    fuzz_now = 1000000;
    clock_set_now(fuzz_now);
    struct entry *e = hash_new("h", 1, -1);
    char f[32], v[200];
    for (size_t i = 0; i + 2 < size; i += 3) {
        int slot = data[i + 1] % SLOTS;
        size_t flen = field_name(slot, f);
        int live = href_live(&r, slot);
        switch (data[i] % 9) {
        case 0:
        case 1: { /* HSET (or HINCRBY's keep-the-TTL set) */
            size_t vlen = data[i + 2] % 100;
            int keep = data[i] & 0x10;
            memset(v, 'a' + slot % 26, vlen);
            int added = hash_set(&e, f, flen, v, vlen, keep);
            check(added == !live);
            if (!(keep && live)) r.ttl[slot] = -1;
            r.state[slot] = 1;
            r.vlen[slot] = vlen;
            r.vbyte[slot] = (unsigned char)('a' + slot % 26);
            break;
        }
        case 2: /* HDEL, never of the last field (a key holds no empty hash) */
            if (hash_len(e) > 1) {
                check(hash_del(&e, f, flen) == live);
                r.state[slot] = 0;
                r.ttl[slot] = -1;
            }
            break;
        case 3: { /* HGET, HTTL and a copy */
            const char *got;
            size_t glen;
            int found = hash_get(e, f, flen, &got, &glen);
            check(found == live);
            if (found) check(glen == r.vlen[slot]);
            long long ttl = hash_field_expire(e, f, flen);
            check(ttl == (live ? (r.ttl[slot] >= 0 ? r.ttl[slot] : HASH_NO_TTL) : HASH_NO_FIELD));
            struct entry *copy = entry_copy(e, "c", 1, -1, 1);
            check(hash_len(copy) == hash_len(e));
            entry_destroy(copy);
            break;
        }
        case 4:
        case 5: { /* HEXPIRE with a condition, now or up to 40 ms ahead */
            long long when = fuzz_now + data[i + 2] % 48 - 8;
            int cond = data[i + 2] / 48 % 5;
            if (hash_len(e) == 1 && when <= fuzz_now) break; /* would empty it */
            hash_allow_ttl(&e);
            int got = hash_set_expire(&e, f, flen, when, cond);
            long long old = r.ttl[slot];
            int ok = cond == HASH_COND_NX   ? old < 0
                     : cond == HASH_COND_XX ? old >= 0
                     : cond == HASH_COND_GT ? old >= 0 && when > old
                     : cond == HASH_COND_LT ? old < 0 || when < old
                                            : 1;
            int want = !live              ? HASH_EXPIRE_NO_FIELD
                       : !ok              ? HASH_EXPIRE_NOT_MET
                       : when <= fuzz_now ? HASH_EXPIRE_DELETED
                                          : HASH_EXPIRE_SET;
            check(got == want);
            if (want == HASH_EXPIRE_DELETED) {
                r.state[slot] = 0;
                r.ttl[slot] = -1;
            } else if (want == HASH_EXPIRE_SET) {
                r.ttl[slot] = when;
            }
            break;
        }
        case 6: { /* HPERSIST */
            int got = hash_persist(&e, f, flen);
            check(got == (!live ? HASH_NO_FIELD : r.ttl[slot] < 0 ? HASH_NO_TTL : 1));
            if (live) r.ttl[slot] = -1;
            break;
        }
        case 7: /* time passes */
            fuzz_now += data[i + 2] % 24;
            clock_set_now(fuzz_now);
            break;
        default: { /* expiry: all due fields, or a few buckets of a table */
            long long next = hash_next_expire(e);
            for (int s = 0; s < SLOTS; s++)
                if (r.state[s] == 1 && r.ttl[s] >= 0) check(next >= 0 && next <= r.ttl[s]);
            int whole = data[i + 2] & 1;
            size_t before = hash_len(e);
            size_t removed =
                hash_expire_due(&e, fuzz_now, whole ? UINT64_MAX : data[i + 2] % 8, NULL, NULL);
            check(hash_len(e) == before - removed);
            for (int s = 0; s < SLOTS; s++) {
                if (r.state[s] && !href_live(&r, s)) {
                    r.state[s] = whole || entry_encoding(e)[0] == 'l' ? 0 : 2;
                    if (r.state[s] == 0) r.ttl[s] = -1;
                }
            }
            if (hash_len(e) == 0) { /* the key would go: start again */
                entry_destroy(e);
                e = hash_new("h", 1, -1);
                memset(&r, 0, sizeof(r));
                for (int s = 0; s < SLOTS; s++) r.ttl[s] = -1;
            }
            break;
        }
        }
        href_check_len(&r, e);
    }
    size_t visited = 0;
    hash_each(e, count_visit, &visited);
    check(visited == href_live_count(&r));
    for (int s = 0; s < SLOTS; s++) {
        size_t flen = field_name(s, f);
        const char *got;
        size_t glen;
        int found = hash_get(e, f, flen, &got, &glen);
        check(found == href_live(&r, s));
        if (found) {
            check(glen == r.vlen[s]);
            for (size_t k = 0; k < glen; k++) check((unsigned char)got[k] == r.vbyte[s]);
        }
    }
    entry_destroy(e);
    clock_set_now(0);
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
    /* Lists: limits of -5..-1 bytes and 0..7 elements. */
    list_model_run((int)(data[0] % 13) - 5, data + 2, size - 2);
    /* Sorted sets: packs of 0..8 members of up to 8..71 bytes. */
    cfg.zset_max_listpack_entries = data[0] % 9;
    cfg.zset_max_listpack_value = 8 + data[1] % 64;
    zset_model_run(data + 2, size - 2);
    return 0;
}

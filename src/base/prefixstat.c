/* prefixstat.c - per-thread tables of key prefixes and their hits and
 * misses, merged when INFO asks.
 *
 * Each thread writes only its own table; INFO reads every table from its
 * own thread. Counts are relaxed atomics (plain moves). A slot's prefix
 * changes rarely (a newcomer taking it): the owner bumps the slot's
 * sequence to odd, stores the new bytes, zeroes the counts and bumps it
 * back to even, and a reader that sees the sequence move or odd reads the
 * slot again (a seqlock); the bytes are stored as atomic words so that
 * the reader's racing copy is defined. */
#include "base/prefixstat.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#define PS_MAX_THREADS 256
#define PS_WORDS       ((PREFIXSTAT_MAX_LEN + 1) / 8)

struct ps_slot {
    uint64_t word[PS_WORDS]; /* the prefix's bytes, zero padded */
    uint32_t len;            /* 0: empty */
    uint32_t seq;            /* odd while the owner rewrites the slot */
    uint64_t hits, misses;
};

struct ps_table {
    struct ps_slot slot[PREFIXSTAT_SLOTS];
    uint64_t other_hits, other_misses;
    uint64_t rng; /* owner only */
};

static _Thread_local struct ps_table *ps__mine;
static struct ps_table *ps__tables[PS_MAX_THREADS];
static int ps__ntables;
static pthread_mutex_t ps__lock = PTHREAD_MUTEX_INITIALIZER;
static int ps__delim = ':'; /* relaxed atomic; -1: off */

#define LOAD(x)     __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define STORE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define BUMP(x)     STORE(x, LOAD(x) + 1)

void prefixstat_thread_setup(void)
{
    if (ps__mine) return;
    struct ps_table *t = mem_calloc(sizeof(*t));
    t->rng = 0x9E3779B97F4A7C15ULL ^ (uint64_t)(uintptr_t)t;
    pthread_mutex_lock(&ps__lock);
    if (ps__ntables < PS_MAX_THREADS) ps__tables[ps__ntables++] = t;
    pthread_mutex_unlock(&ps__lock);
    ps__mine = t;
}

void prefixstat_set_delimiter(int delim)
{
    STORE(ps__delim, delim);
}

static uint64_t ps__rand(struct ps_table *t)
{
    uint64_t x = t->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return t->rng = x;
}

static int ps__holds(const struct ps_slot *s, const char *p, size_t len)
{
    return s->len == len && memcmp(s->word, p, len) == 0;
}

/* The owner rewrites slot s to hold prefix p, counting one event. */
static void ps__take(struct ps_table *t, struct ps_slot *s, const char *p, size_t len, int hit)
{
    if (s->len) {
        STORE(t->other_hits, LOAD(t->other_hits) + LOAD(s->hits));
        STORE(t->other_misses, LOAD(t->other_misses) + LOAD(s->misses));
    }
    uint64_t w[PS_WORDS] = {0};
    memcpy(w, p, len);
    /* Sequentially consistent: the odd sequence is seen before the new
     * bytes, the even one after them (this path is rare: a slot changing
     * hands). */
    __atomic_store_n(&s->seq, s->seq + 1, __ATOMIC_SEQ_CST);
    for (int i = 0; i < PS_WORDS; i++) __atomic_store_n(&s->word[i], w[i], __ATOMIC_SEQ_CST);
    __atomic_store_n(&s->len, (uint32_t)len, __ATOMIC_SEQ_CST);
    __atomic_store_n(&s->hits, (uint64_t)(hit != 0), __ATOMIC_SEQ_CST);
    __atomic_store_n(&s->misses, (uint64_t)(hit == 0), __ATOMIC_SEQ_CST);
    __atomic_store_n(&s->seq, s->seq + 1, __ATOMIC_SEQ_CST);
}

static void ps__other(struct ps_table *t, int hit)
{
    if (hit)
        BUMP(t->other_hits);
    else
        BUMP(t->other_misses);
}

void prefixstat_count(const char *key, size_t len, int hit)
{
    struct ps_table *t = ps__mine;
    int delim = LOAD(ps__delim);
    if (t == NULL || delim < 0) return;
    const char *d = memchr(key, delim, len < PREFIXSTAT_MAX_LEN ? len : PREFIXSTAT_MAX_LEN);
    if (d == NULL) {
        ps__other(t, hit);
        return;
    }
    size_t plen = (size_t)(d - key) + 1;
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < plen; i++) h = (h ^ (unsigned char)key[i]) * 1099511628211ULL;
    struct ps_slot *a = &t->slot[h % PREFIXSTAT_SLOTS];
    struct ps_slot *b = &t->slot[(h >> 32) % PREFIXSTAT_SLOTS];
    struct ps_slot *s = ps__holds(a, key, plen) ? a : ps__holds(b, key, plen) ? b : NULL;
    if (s == NULL) {
        if (a->len == 0 || b->len == 0) {
            ps__take(t, a->len == 0 ? a : b, key, plen, hit);
            return;
        }
        struct ps_slot *low = a->hits + a->misses <= b->hits + b->misses ? a : b;
        if (ps__rand(t) % (low->hits + low->misses + 1) == 0) {
            ps__take(t, low, key, plen, hit);
        } else {
            ps__other(t, hit);
        }
        return;
    }
    if (hit)
        BUMP(s->hits);
    else
        BUMP(s->misses);
}

/* A consistent copy of slot s (another thread's); 0 if empty or if it
 * kept changing. */
static int ps__read(struct ps_slot *s, struct prefixstat_row *out)
{
    for (int tries = 0; tries < 8; tries++) {
        uint32_t seq = __atomic_load_n(&s->seq, __ATOMIC_SEQ_CST);
        if (seq & 1) continue;
        uint64_t w[PS_WORDS];
        for (int i = 0; i < PS_WORDS; i++) w[i] = __atomic_load_n(&s->word[i], __ATOMIC_SEQ_CST);
        uint32_t len = __atomic_load_n(&s->len, __ATOMIC_SEQ_CST);
        out->hits = __atomic_load_n(&s->hits, __ATOMIC_SEQ_CST);
        out->misses = __atomic_load_n(&s->misses, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&s->seq, __ATOMIC_SEQ_CST) != seq) continue;
        if (len == 0 || len > PREFIXSTAT_MAX_LEN) return 0;
        memcpy(out->prefix, w, len);
        out->prefix[len] = '\0';
        out->len = len;
        return 1;
    }
    return 0;
}

static int ps__by_traffic(const void *x, const void *y)
{
    const struct prefixstat_row *a = x, *b = y;
    uint64_t ta = a->hits + a->misses, tb = b->hits + b->misses;
    if (ta != tb) return ta < tb ? 1 : -1;
    return strcmp(a->prefix, b->prefix);
}

size_t prefixstat_top(struct prefixstat_row *rows, size_t n, struct prefixstat_row *other)
{
    pthread_mutex_lock(&ps__lock);
    int nt = ps__ntables;
    struct ps_table *tables[PS_MAX_THREADS];
    memcpy(tables, ps__tables, (size_t)nt * sizeof(tables[0]));
    pthread_mutex_unlock(&ps__lock);
    memset(other, 0, sizeof(*other));
    memcpy(other->prefix, "other", 6);
    other->len = 5;
    struct prefixstat_row *all = mem_alloc(((size_t)nt * PREFIXSTAT_SLOTS + 1) * sizeof(*all));
    size_t count = 0;
    for (int i = 0; i < nt; i++) {
        other->hits += LOAD(tables[i]->other_hits);
        other->misses += LOAD(tables[i]->other_misses);
        for (int j = 0; j < PREFIXSTAT_SLOTS; j++) {
            struct prefixstat_row r;
            if (!ps__read(&tables[i]->slot[j], &r)) continue;
            size_t k = 0;
            while (k < count && !(all[k].len == r.len && !memcmp(all[k].prefix, r.prefix, r.len)))
                k++;
            if (k == count)
                all[count++] = r;
            else {
                all[k].hits += r.hits;
                all[k].misses += r.misses;
            }
        }
    }
    qsort(all, count, sizeof(*all), ps__by_traffic);
    size_t shown = 0;
    for (size_t k = 0; k < count; k++) {
        if (shown < n && all[k].hits + all[k].misses > 0) {
            rows[shown++] = all[k];
        } else {
            other->hits += all[k].hits;
            other->misses += all[k].misses;
        }
    }
    mem_free(all);
    return shown;
}

void prefixstat_reset(void)
{
    pthread_mutex_lock(&ps__lock);
    for (int i = 0; i < ps__ntables; i++) {
        struct ps_table *t = ps__tables[i];
        STORE(t->other_hits, 0);
        STORE(t->other_misses, 0);
        for (int j = 0; j < PREFIXSTAT_SLOTS; j++) {
            STORE(t->slot[j].hits, 0);
            STORE(t->slot[j].misses, 0);
        }
    }
    pthread_mutex_unlock(&ps__lock);
}

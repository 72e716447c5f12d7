/* table.c - sharded, incrementally rehashed chained hash table. */
#include "storage/table.h"

#include "base/mem.h"
#include "base/util.h"

/* Counters (used, volatile_keys) change under the shard's lock but are
 * read without it (DBSIZE-like totals, eviction weights, INFO), so they
 * are written and read as relaxed atomics: plain moves, whole values. */
#define CNT_GET(x)    __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define CNT_SET(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define CNT_ADD(x, n) CNT_SET(x, CNT_GET(x) + (uint64_t)(int64_t)(n))

#define TABLE_INITIAL_SIZE 4
/* A shard grows when it holds as many entries as buckets and shrinks when
 * fewer than one in eight buckets would be used (Redis 7.4's thresholds). */
#define TABLE_SHRINK_RATIO 8
/* Empty buckets one rehash step may skip before giving up: bounds the cost
 * of a step on a sparse, shrinking table. */
#define TABLE_REHASH_EMPTY_VISITS 10
/* Shards of fewer buckets than this rehash in one go (see shard__resize). */
#define TABLE_EAGER_REHASH 1024

void shard_init(struct shard *s)
{
    memset(s, 0, sizeof(*s));
    s->rehash_idx = -1;
}

void table_init(struct table *t)
{
    for (int i = 0; i < TABLE_SHARDS; i++) shard_init(&t->shards[i]);
}

void shard_clear(struct shard *s)
{
    for (int k = 0; k < 2; k++) {
        if (s->buckets[k] == NULL) continue;
        for (uint64_t i = 0; i <= s->mask[k]; i++) {
            struct entry *e = s->buckets[k][i];
            while (e) {
                struct entry *next = e->next;
                entry_destroy(e);
                e = next;
            }
        }
        mem_free(s->buckets[k]);
    }
    shard_init(s);
}

void table_clear(struct table *t)
{
    for (int i = 0; i < TABLE_SHARDS; i++) shard_clear(&t->shards[i]);
}

uint64_t shard_count(const struct shard *s)
{
    return CNT_GET(s->used[0]) + CNT_GET(s->used[1]);
}

uint64_t table_count(const struct table *t)
{
    uint64_t n = 0;
    for (int i = 0; i < TABLE_SHARDS; i++) n += shard_count(&t->shards[i]);
    return n;
}

uint64_t table_volatile_count(const struct table *t)
{
    uint64_t n = 0;
    for (int i = 0; i < TABLE_SHARDS; i++) n += CNT_GET(t->shards[i].volatile_keys);
    return n;
}

static inline int shard__rehashing(const struct shard *s)
{
    return s->rehash_idx >= 0;
}

static inline uint64_t entry__hash(const struct entry *e)
{
    return util_hash(entry_key(e), entry_klen(e));
}

/* Moves up to n buckets from [0] to [1]. When [0] is empty it is freed and
 * [1] takes its place. Returns 1 if more work remains. */
static int shard__rehash(struct shard *s, int n)
{
    int empty_visits = n * TABLE_REHASH_EMPTY_VISITS;
    if (!shard__rehashing(s)) return 0;
    while (n-- && s->used[0] != 0) {
        while (s->buckets[0][s->rehash_idx] == NULL) {
            s->rehash_idx++;
            if (--empty_visits == 0) return 1;
        }
        struct entry *e = s->buckets[0][s->rehash_idx];
        while (e) {
            struct entry *next = e->next;
            uint64_t idx = entry__hash(e) & s->mask[1];
            e->next = s->buckets[1][idx];
            s->buckets[1][idx] = e;
            CNT_ADD(s->used[0], -1);
            CNT_ADD(s->used[1], 1);
            e = next;
        }
        s->buckets[0][s->rehash_idx] = NULL;
        s->rehash_idx++;
    }
    if (s->used[0] == 0) {
        mem_free(s->buckets[0]);
        s->buckets[0] = s->buckets[1];
        s->mask[0] = s->mask[1];
        CNT_SET(s->used[0], s->used[1]);
        s->buckets[1] = NULL;
        s->mask[1] = 0;
        CNT_SET(s->used[1], 0);
        s->rehash_idx = -1;
        return 0;
    }
    return 1;
}

static uint64_t table__next_power(uint64_t n)
{
    uint64_t size = TABLE_INITIAL_SIZE;
    while (size < n && size < (1ULL << 62)) size <<= 1;
    return size;
}

/* Starts moving the shard into an array of `size` buckets. The first
 * allocation of a shard is not a rehash: it just installs the array. */
static void shard__resize(struct shard *s, uint64_t size)
{
    size = table__next_power(size);
    if (s->buckets[0] != NULL && size == s->mask[0] + 1) return;
    struct entry **b = mem_calloc(size * sizeof(*b));
    if (s->buckets[0] == NULL) {
        s->buckets[0] = b;
        s->mask[0] = size - 1;
        return;
    }
    s->buckets[1] = b;
    s->mask[1] = size - 1;
    s->rehash_idx = 0;
    /* A small shard moves at once: a few microseconds, and it does not
     * hold two bucket arrays until enough later operations come by (a
     * container's shard has no cron to finish the move). */
    if (s->mask[0] < TABLE_EAGER_REHASH)
        while (shard__rehash(s, TABLE_EAGER_REHASH)) continue;
}

static void shard__maybe_resize(struct shard *s)
{
    if (shard__rehashing(s)) return;
    if (s->buckets[0] == NULL) {
        shard__resize(s, TABLE_INITIAL_SIZE);
        return;
    }
    uint64_t size = s->mask[0] + 1;
    if (s->used[0] >= size)
        shard__resize(s, s->used[0] + 1);
    else if (size > TABLE_INITIAL_SIZE && s->used[0] * TABLE_SHRINK_RATIO < size)
        shard__resize(s, s->used[0]);
}

static inline struct shard *table__shard(struct table *t, uint64_t hash)
{
    return &t->shards[table_shard_of(hash)];
}

struct entry **table_find(struct table *t, const char *key, size_t len, uint64_t hash)
{
    return shard_find(table__shard(t, hash), key, len, hash);
}

struct entry **shard_find(struct shard *s, const char *key, size_t len, uint64_t hash)
{
    if (shard__rehashing(s)) shard__rehash(s, 1);
    for (int k = 0; k < 2; k++) {
        if (s->buckets[k] == NULL) break;
        struct entry **link = &s->buckets[k][hash & s->mask[k]];
        while (*link) {
            struct entry *e = *link;
            if (entry_klen(e) == len && memcmp(entry_key(e), key, len) == 0) return link;
            link = &e->next;
        }
        if (!shard__rehashing(s)) break;
    }
    return NULL;
}

/* Which array holds (or should hold) an entry of this hash: [1] iff the
 * rehash has already moved its [0] bucket. */
static int shard__array_of(struct shard *s, uint64_t hash)
{
    if (!shard__rehashing(s)) return 0;
    uint64_t idx0 = hash & s->mask[0];
    return (int64_t)idx0 < s->rehash_idx ? 1 : 0;
}

void table_add(struct table *t, struct entry *e, uint64_t hash)
{
    shard_add(table__shard(t, hash), e, hash);
}

void shard_add(struct shard *s, struct entry *e, uint64_t hash)
{
    if (shard__rehashing(s)) shard__rehash(s, 1);
    shard__maybe_resize(s);
    /* While rehashing, an entry goes to [1] only if its [0] bucket was
     * already moved; otherwise it waits in [0] with its neighbours. This
     * keeps one invariant that unlink relies on: an entry is in [1] iff its
     * [0] bucket index is below rehash_idx. */
    int k = shard__array_of(s, hash);
    struct entry **head = &s->buckets[k][hash & s->mask[k]];
    e->next = *head;
    *head = e;
    CNT_ADD(s->used[k], 1);
    if (e->flags & ENTRY_HAS_EXPIRE) CNT_ADD(s->volatile_keys, 1);
}

struct entry *table_unlink(struct table *t, struct entry **link, uint64_t hash)
{
    return shard_unlink(table__shard(t, hash), link, hash);
}

struct entry *shard_unlink(struct shard *s, struct entry **link, uint64_t hash)
{
    struct entry *e = *link;
    *link = e->next;
    e->next = NULL;
    CNT_ADD(s->used[shard__array_of(s, hash)], -1);
    if (e->flags & ENTRY_HAS_EXPIRE) CNT_ADD(s->volatile_keys, -1);
    shard__maybe_resize(s);
    return e;
}

struct entry *table_swap(struct table *t, struct entry **link, struct entry *e, uint64_t hash)
{
    return shard_swap(table__shard(t, hash), link, e);
}

struct entry *shard_swap(struct shard *s, struct entry **link, struct entry *e)
{
    struct entry *old = *link;
    e->next = old->next;
    *link = e;
    old->next = NULL;
    if (old->flags & ENTRY_HAS_EXPIRE) CNT_ADD(s->volatile_keys, -1);
    if (e->flags & ENTRY_HAS_EXPIRE) CNT_ADD(s->volatile_keys, 1);
    return old;
}

void table_note_volatile(struct table *t, uint64_t hash, int delta)
{
    shard_note_volatile(table__shard(t, hash), delta);
}

void shard_note_volatile(struct shard *s, int delta)
{
    CNT_ADD(s->volatile_keys, delta);
}

static uint64_t rev64(uint64_t v)
{
    v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
    v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
    v = ((v >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((v & 0x0F0F0F0F0F0F0F0FULL) << 4);
    v = ((v >> 8) & 0x00FF00FF00FF00FFULL) | ((v & 0x00FF00FF00FF00FFULL) << 8);
    v = ((v >> 16) & 0x0000FFFF0000FFFFULL) | ((v & 0x0000FFFF0000FFFFULL) << 16);
    return (v >> 32) | (v << 32);
}

static void shard__visit_bucket(struct entry *e, table_visit_fn *fn, void *arg)
{
    while (e) {
        struct entry *next = e->next;
        fn(e, arg);
        e = next;
    }
}

/* Increments the reversed-bit cursor under mask: the high bits are set so
 * the carry of the increment, done on the reversed value, propagates from
 * the mask's top bit downward. Buckets are thus visited in an order where
 * every bucket of a smaller table maps to a contiguous set of steps in a
 * larger one, which is what makes the scan survive resizes. */
static inline uint64_t scan__next(uint64_t v, uint64_t mask)
{
    v |= ~mask;
    v = rev64(v);
    v++;
    return rev64(v);
}

uint64_t shard_scan(struct shard *s, uint64_t v, table_visit_fn *fn, void *arg)
{
    if (shard_count(s) == 0 || s->buckets[0] == NULL) return 0;
    if (!shard__rehashing(s)) {
        shard__visit_bucket(s->buckets[0][v & s->mask[0]], fn, arg);
        return scan__next(v, s->mask[0]);
    }
    /* Visit the smaller array's bucket, then every bucket of the larger
     * array that its index expands to. */
    int small = s->mask[0] <= s->mask[1] ? 0 : 1, large = 1 - small;
    uint64_t m0 = s->mask[small], m1 = s->mask[large];
    shard__visit_bucket(s->buckets[small][v & m0], fn, arg);
    do {
        shard__visit_bucket(s->buckets[large][v & m1], fn, arg);
        v = scan__next(v, m1);
    } while (v & (m0 ^ m1));
    return v;
}

struct scan__counter {
    table_visit_fn *fn;
    void *arg;
    uint64_t seen;
};

static void scan__count(struct entry *e, void *arg)
{
    struct scan__counter *sc = arg;
    sc->seen++;
    sc->fn(e, sc->arg);
}

uint64_t table_scan(struct table *t, uint64_t cursor, uint64_t count, table_visit_fn *fn, void *arg)
{
    unsigned shard = (unsigned)(cursor & (TABLE_SHARDS - 1));
    uint64_t v = cursor >> TABLE_SHARD_BITS;
    struct scan__counter sc = {fn, arg, 0};
    /* Bound the number of empty buckets walked per call, as Redis does
     * (count * 10), so a sparse table cannot make one SCAN call long. */
    if (count == 0) count = 1;
    uint64_t max_steps = count * 10;

    do {
        v = shard_scan(&t->shards[shard], v, scan__count, &sc);
        if (v == 0) {
            if (++shard == TABLE_SHARDS) return 0;
        }
    } while (sc.seen < count && --max_steps > 0);
    return (v << TABLE_SHARD_BITS) | shard;
}

void shard_each(struct shard *s, table_visit_fn *fn, void *arg)
{
    /* While rehashing, an entry is in [0] (not moved yet) or [1]. */
    for (int k = 0; k < 2; k++)
        for (uint64_t b = 0; s->buckets[k] && b <= s->mask[k]; b++)
            shard__visit_bucket(s->buckets[k][b], fn, arg);
}

uint64_t shard_scan_count(struct shard *s, uint64_t cursor, uint64_t count, table_visit_fn *fn,
                          void *arg)
{
    struct scan__counter sc = {fn, arg, 0};
    if (count == 0) count = 1;
    uint64_t max_steps = count * 10; /* as table_scan */
    do cursor = shard_scan(s, cursor, scan__count, &sc);
    while (cursor != 0 && sc.seen < count && --max_steps > 0);
    return cursor;
}

struct entry *table_random(struct table *t)
{
    uint64_t total = table_count(t);
    if (total == 0) return NULL;
    uint64_t r = util_rand64() % total;
    struct shard *s = NULL;
    for (int i = 0; i < TABLE_SHARDS; i++) {
        uint64_t n = shard_count(&t->shards[i]);
        if (r < n) {
            s = &t->shards[i];
            break;
        }
        r -= n;
    }
    return shard_random(s);
}

struct entry *shard_random(struct shard *s)
{
    if (shard_count(s) == 0) return NULL;
    if (shard__rehashing(s)) shard__rehash(s, 1);
    struct entry *head = NULL;
    /* Bounded retries over random buckets; tables are at least 1/8 full
     * (shrink threshold), so this finds a non-empty bucket quickly. */
    for (int tries = 0; head == NULL && tries < 100000; tries++) {
        if (shard__rehashing(s)) {
            /* Buckets of [0] before rehash_idx are empty. */
            uint64_t span = s->mask[0] + 1 + s->mask[1] + 1 - (uint64_t)s->rehash_idx;
            uint64_t i = (uint64_t)s->rehash_idx + util_rand64() % span;
            head = i <= s->mask[0] ? s->buckets[0][i] : s->buckets[1][i - (s->mask[0] + 1)];
        } else {
            head = s->buckets[0][util_rand64() & s->mask[0]];
        }
    }
    if (head == NULL) {
        /* Practically unreachable; fall back to a linear walk. */
        for (int k = 0; k < 2 && head == NULL; k++)
            for (uint64_t i = 0; s->buckets[k] && i <= s->mask[k] && head == NULL; i++)
                head = s->buckets[k][i];
        return head;
    }
    uint64_t len = 0;
    for (struct entry *e = head; e; e = e->next) len++;
    uint64_t pick = util_rand64() % len;
    while (pick--) head = head->next;
    return head;
}

size_t shard_sample(struct shard *s, struct entry **out, size_t n)
{
    if (shard_count(s) == 0 || n == 0) return 0;
    if (shard__rehashing(s)) shard__rehash(s, 1);
    /* Walk consecutive buckets from a random one, in both arrays while
     * rehashing (the index wraps per array, so the smaller array's entries
     * may come twice; the eviction pool ignores repeats), like Redis's
     * dictGetSomeKeys:
     * cheaper than n independent random picks and cache friendly. The walk
     * is bounded so a sparse shard cannot make it long. */
    uint64_t maxmask = s->mask[0];
    if (shard__rehashing(s) && s->mask[1] > maxmask) maxmask = s->mask[1];
    uint64_t i = util_rand64() & maxmask;
    size_t got = 0;
    for (uint64_t steps = 0; got < n && steps < n * 10 && steps <= maxmask; steps++) {
        for (int k = 0; k < 2 && got < n; k++) {
            if (s->buckets[k] == NULL || (k == 1 && !shard__rehashing(s))) continue;
            if (k == 0 && shard__rehashing(s) && (int64_t)(i & s->mask[0]) < s->rehash_idx)
                continue; /* already moved: empty */
            for (struct entry *e = s->buckets[k][i & s->mask[k]]; e && got < n; e = e->next)
                out[got++] = e;
        }
        i = (i + 1) & maxmask;
    }
    return got;
}

int shard_rehash_until(struct shard *s, uint64_t deadline)
{
    for (shard__maybe_resize(s); shard__rehashing(s); shard__maybe_resize(s)) {
        while (shard__rehashing(s)) {
            shard__rehash(s, 100);
            if (util_monotonic_us() >= deadline) return 1;
        }
    }
    return 0;
}

size_t shard_overhead(const struct shard *s)
{
    size_t n = 0;
    for (int k = 0; k < 2; k++)
        if (s->buckets[k]) n += mem_usable(s->buckets[k]);
    return n;
}

int table_rehash_budget(struct table *t, uint64_t us)
{
    uint64_t start = util_monotonic_us();
    for (int i = 0; i < TABLE_SHARDS; i++) {
        struct shard *s = &t->shards[i];
        /* A shard that emptied while it was rehashing (deletes do not start
         * a second resize mid-rehash) gets its shrink here. */
        for (shard__maybe_resize(s); shard__rehashing(s); shard__maybe_resize(s)) {
            while (shard__rehashing(s)) {
                shard__rehash(s, 100);
                if (util_monotonic_us() - start >= us) return 1;
            }
        }
    }
    return 0;
}

void shard_random_picks(struct shard *s, size_t n, int distinct, table_visit_fn *fn, void *arg)
{
    struct entry **seen = NULL;
    size_t mask = 0;
    if (distinct) {
        size_t size = 16;
        while (size < n * 2) size <<= 1;
        seen = mem_calloc(size * sizeof(*seen));
        mask = size - 1;
    }
    for (size_t got = 0; got < n;) {
        struct entry *e = shard_random(s);
        if (distinct) {
            size_t i = (size_t)util_hash(&e, sizeof(e)) & mask;
            while (seen[i] && seen[i] != e) i = (i + 1) & mask;
            if (seen[i]) continue;
            seen[i] = e;
        }
        fn(e, arg);
        got++;
    }
    mem_free(seen);
}

struct table__bytes {
    size_t total, seen;
};

static void table__count_bytes(struct entry *e, void *arg)
{
    struct table__bytes *b = arg;
    b->total += mem_usable(e);
    b->seen++;
}

size_t shard_memory(struct shard *s, size_t samples)
{
    size_t n = shard_count(s);
    struct table__bytes b = {0, 0};
    if (samples == 0 || samples >= n) {
        shard_each(s, table__count_bytes, &b);
    } else {
        /* Whole buckets from the scan's start until enough are seen. */
        uint64_t v = 0;
        do v = shard_scan(s, v, table__count_bytes, &b);
        while (v != 0 && b.seen < samples);
    }
    size_t entries = b.seen ? b.total / b.seen * n : 0;
    return sizeof(*s) + shard_overhead(s) + entries;
}

struct shard__copy {
    struct shard *dst;
    table_copy_fn *copy;
};

static void shard__copy_one(struct entry *e, void *arg)
{
    struct shard__copy *sc = arg;
    shard_add(sc->dst, sc->copy(e), util_hash(entry_key(e), entry_klen(e)));
}

void shard_copy(struct shard *dst, struct shard *src, table_copy_fn *copy)
{
    struct shard__copy sc = {dst, copy};
    shard_each(src, shard__copy_one, &sc);
}

uint64_t shard_sweep(struct shard *s, uint64_t buckets, table_pick_fn *pick, table_free_fn *free_fn,
                     void *arg, int *wrapped)
{
    uint64_t visited = 0;
    *wrapped = 0;
    if (shard_count(s) == 0) {
        *wrapped = 1;
        return 0;
    }
    /* A sweep is a scan whose callback may delete: collect the victims of
     * each bucket step first, then unlink them, so the scan itself never
     * sees a modified chain. */
    while (buckets--) {
        struct entry *victims = NULL;
        uint64_t v = s->expire_cursor;
        for (int k = 0; k < 2; k++) {
            if (s->buckets[k] == NULL) continue;
            if (k == 1 && !shard__rehashing(s)) break;
            /* Sweep uses a plain linear cursor over [0] and, while
             * rehashing, the same index range of [1]: every entry is in
             * one of the two, and a miss is retried on the next pass. */
            uint64_t idx = v & s->mask[k];
            struct entry **link = &s->buckets[k][idx];
            while (*link) {
                struct entry *e = *link;
                visited++;
                if (pick(e, arg)) {
                    *link = e->next;
                    CNT_ADD(s->used[k], -1);
                    if (e->flags & ENTRY_HAS_EXPIRE) CNT_ADD(s->volatile_keys, -1);
                    e->next = victims;
                    victims = e;
                } else {
                    link = &e->next;
                }
            }
        }
        uint64_t size = (s->buckets[0] ? s->mask[0] : 0) + 1;
        if (shard__rehashing(s) && s->mask[1] + 1 > size) size = s->mask[1] + 1;
        s->expire_cursor = v + 1;
        if (s->expire_cursor >= size) {
            s->expire_cursor = 0;
            *wrapped = 1;
        }
        while (victims) {
            struct entry *next = victims->next;
            free_fn(victims, arg);
            victims = next;
        }
        if (*wrapped || shard_count(s) == 0) break;
    }
    shard__maybe_resize(s);
    return visited;
}

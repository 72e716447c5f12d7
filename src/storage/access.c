/* access.c - the LRU clock and LFU counter each key carries.
 *
 * Each entry has 24 bits of access data. Under an LRU policy it is the
 * time of last access in seconds (mod 2^24, about 194 days); under LFU it
 * is Redis's layout: 16 bits of "last decrement" time in minutes and an
 * 8-bit logarithmic access counter. Both clocks come from the command
 * clock (base/clock.h), so a batch of requests stamps its keys with one
 * reading. */
#include "storage/access.h"

#include "base/clock.h"
#include "base/config.h"
#include "base/util.h"
#include "storage/entry.h"

#define LFU_INIT_VAL 5

int access_is_lfu(void)
{
    int p = CFG(maxmemory_policy);
    return p == MM_ALLKEYS_LFU || p == MM_VOLATILE_LFU;
}

static uint32_t access__get(const struct entry *e)
{
    return (uint32_t)e->lru[0] | (uint32_t)e->lru[1] << 8 | (uint32_t)e->lru[2] << 16;
}

static void access__put(struct entry *e, uint32_t v)
{
    e->lru[0] = (uint8_t)v;
    e->lru[1] = (uint8_t)(v >> 8);
    e->lru[2] = (uint8_t)(v >> 16);
}

static uint32_t access__lru_clock(void)
{
    return (uint32_t)(clock_now() / 1000) & 0xFFFFFFu;
}

static uint32_t access__minutes(void)
{
    return (uint32_t)(clock_now() / 60000) & 0xFFFFu;
}

uint8_t access_lfu_log_incr(uint8_t counter, double r, int log_factor)
{
    if (counter == 255) return 255;
    double base = (double)counter - LFU_INIT_VAL;
    if (base < 0) base = 0;
    double p = 1.0 / (base * log_factor + 1);
    return r < p ? (uint8_t)(counter + 1) : counter;
}

uint8_t access_lfu_counter(const struct entry *e)
{
    uint32_t v = access__get(e);
    uint32_t ldt = v >> 8, counter = v & 0xFF;
    if (CFG(lfu_decay_time) <= 0) return (uint8_t)counter;
    uint32_t now = access__minutes();
    uint32_t elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
    uint32_t periods = elapsed / (uint32_t)CFG(lfu_decay_time);
    return (uint8_t)(periods > counter ? 0 : counter - periods);
}

long long access_idle_ms(const struct entry *e)
{
    uint32_t now = access__lru_clock(), then = access__get(e);
    uint32_t idle = now >= then ? now - then : 0xFFFFFFu - then + now;
    return (long long)idle * 1000;
}

void access_touch(struct entry *e, int is_new)
{
    if (!access_is_lfu()) {
        access__put(e, access__lru_clock());
        return;
    }
    uint8_t counter = is_new ? LFU_INIT_VAL : access_lfu_counter(e);
    if (!is_new) {
        double r = (double)(util_rand64() >> 11) / (double)(1ULL << 53);
        counter = access_lfu_log_incr(counter, r, CFG(lfu_log_factor));
    }
    access__put(e, access__minutes() << 8 | counter);
}

/* access.h - the access clock each key carries, for eviction: the time of
 * its last access (LRU policies) or a logarithmic access counter that
 * decays with time (LFU policies), in the entry's 24 bits of lru data.
 *
 * db.c stamps entries on access and creation; evict.c scores eviction
 * candidates by it; OBJECT IDLETIME and FREQ read it through db.h. Private
 * to storage. */
#ifndef RESPITE_ACCESS_H
#define RESPITE_ACCESS_H

#include <stdint.h>

struct entry;

/* Stamps e on access according to the policy: the LRU clock, or LFU decay
 * then logarithmic increment. New entries get the LFU counter's initial
 * value (5, as Redis), so a new key is not the first to go. */
void access_touch(struct entry *e, int is_new);

/* Idle time in ms by the LRU clock (1 s resolution). */
long long access_idle_ms(const struct entry *e);
/* The LFU counter after decay: one step down per lfu-decay-time minutes
 * since the last decrement (0 disables decay). */
uint8_t access_lfu_counter(const struct entry *e);
/* One access's increment: counter + 1 with probability
 * 1 / ((counter - 5) * log_factor + 1) for r in [0, 1), Redis's curve. */
uint8_t access_lfu_log_incr(uint8_t counter, double r, int log_factor);
/* Whether the configured policy counts frequency (LFU) rather than
 * recency. */
int access_is_lfu(void);

#endif

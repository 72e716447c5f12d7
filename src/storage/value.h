/* value.h - what every type's value has in common: its type's name (TYPE,
 * SCAN ... TYPE), the memory a key takes (MEMORY USAGE), and the hooks
 * through which freeing or copying any entry reaches a container's
 * out-of-line part (whoever frees an entry: DEL, overwrite, expiry,
 * eviction, FLUSHALL). */
#ifndef RESPITE_VALUE_H
#define RESPITE_VALUE_H

#include <stddef.h>

struct entry;

/* Registers the entry hooks (startup, before any container exists). */
void value_setup(void);
/* "string", "hash", "set", "list", "zset": Redis's TYPE names. */
const char *value_type_name(const struct entry *e);
/* MEMORY USAGE: the entry's allocation, its bucket slot and a container's
 * out-of-line part, estimated from about `samples` elements (0: all), as
 * Redis's SAMPLES option does. */
size_t value_memory(const struct entry *e, size_t samples);

/* Frees a key's entry. With lazy, a container of more than
 * VALUE_LAZYFREE_THRESHOLD elements (a list: packs; Redis's
 * LAZYFREE_THRESHOLD) has its table or chain freed by the freeing thread
 * (lazyfree.h) instead. */
#define VALUE_LAZYFREE_THRESHOLD 64
void value_free(struct entry *e, int lazy);

#endif

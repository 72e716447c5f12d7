/* lazyfree.h - freeing big values off the event loops.
 *
 * What DEL, UNLINK, FLUSHALL ASYNC, overwrites, expiry and eviction take
 * out of the keyspace is only unlinked on the command's thread; a table of
 * entries worth freeing in the background (a flushed database, a hash or
 * set of thousands of elements) is handed to one freeing thread, as Redis
 * hands it to its lazyfree bio thread. Private to storage: db.c decides
 * what goes here by the lazyfree-lazy-* directives. */
#ifndef RESPITE_LAZYFREE_H
#define RESPITE_LAZYFREE_H

#include <stdint.h>

struct table;
struct shard;

/* Starts the freeing thread. */
void lazyfree_setup(void);
/* Frees what is still queued (on the caller's thread) and stops it. */
void lazyfree_teardown(void);
/* Takes over t's entries and buckets (t is left empty, ready for reuse);
 * `objects` is what INFO counts for it (keys for a flushed database, 1 for
 * a value). */
void lazyfree_table(struct table *t, uint64_t objects);
/* The same for one shard (a hash's or set's table). */
void lazyfree_shard(struct shard *s, uint64_t objects);
/* Frees value with free_fn on the freeing thread (one object). */
void lazyfree_value(void (*free_fn)(void *), void *value);
/* Objects queued and not yet freed; objects freed since the start or the
 * last CONFIG RESETSTAT. */
uint64_t lazyfree_pending(void);
uint64_t lazyfree_freed(void);
void lazyfree_reset_stats(void);
/* Waits until the queue is empty (tests, shutdown). */
void lazyfree_drain(void);

#endif

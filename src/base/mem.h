/* mem.h - allocation through jemalloc and the memory figures INFO reports. */
#ifndef RESPITE_MEM_H
#define RESPITE_MEM_H

#include <stddef.h>

/* Allocation wrappers: they never return NULL (out of memory aborts with a
 * log line, as Redis does), so callers need no error path. */
void *mem_alloc(size_t size);
void *mem_calloc(size_t size);
void *mem_realloc(void *ptr, size_t size);
char *mem_strndup(const char *s, size_t len);
/* realloc that returns NULL on failure (ptr then unchanged), for callers
 * that can report it: the Lua interpreter raises "not enough memory". */
void *mem_try_realloc(void *ptr, size_t size);
void mem_free(void *ptr);
/* Bytes jemalloc really reserved for ptr (its size class). */
size_t mem_usable(const void *ptr);
/* Size class jemalloc would use for a request of size bytes. */
size_t mem_good_size(size_t size);

/* Live bytes the program holds (usable sizes of its allocations): what
 * INFO calls used_memory and maxmemory is checked against. Cheap: sums the
 * per-thread counters jemalloc keeps (see mem.c). */
size_t mem_used(void);
/* Each thread that allocates calls this once (the main thread at start). */
void mem_thread_register(void);

struct mem_stats {
    size_t used;      /* mem_used() */
    size_t allocated; /* stats.allocated: includes thread-cached objects */
    size_t active;    /* stats.active: pages backing those allocations */
    size_t resident;  /* stats.resident: allocator pages resident in RAM */
    size_t retained;  /* stats.retained */
    size_t rss;       /* process RSS from /proc/self/statm */
};
/* Refreshes jemalloc's statistics epoch and fills st. Costs a few
 * microseconds: for INFO, not per command. */
void mem_stats(struct mem_stats *st);
/* The process's resident set size in bytes (0 if unknown). A system call
 * (a few microseconds): fine once a millisecond, not per command. */
size_t mem_rss(void);
/* Turns jemalloc's background purging thread on or off (Redis's
 * jemalloc-bg-thread): with it, pages freed by evictions or deletions go
 * back to the system over time even when nothing allocates, so RSS
 * follows used_memory down. Returns 0 on success. */
int mem_background_thread(int on);
/* Returns dirty pages of every arena to the system (MEMORY PURGE). */
void mem_purge(void);
/* jemalloc's statistics report as text (MEMORY MALLOC-STATS); caller
 * frees with mem_free. */
char *mem_malloc_stats(void);
/* "jemalloc-5.3.0" */
const char *mem_allocator_name(void);

#endif

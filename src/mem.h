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
void mem_free(void *ptr);
/* Bytes jemalloc really reserved for ptr (its size class). */
size_t mem_usable(const void *ptr);
/* Size class jemalloc would use for a request of size bytes. */
size_t mem_good_size(size_t size);

/* Live bytes allocated through jemalloc by the whole process. Cheap: reads
 * the per-thread counters jemalloc keeps, summed over threads that ever
 * allocated (see mem.c). */
size_t mem_used(void);

struct mem_stats {
    size_t allocated; /* stats.allocated: what the process holds */
    size_t active;    /* stats.active: pages backing those allocations */
    size_t resident;  /* stats.resident: allocator pages resident in RAM */
    size_t retained;  /* stats.retained */
    size_t rss;       /* process RSS from /proc/self/statm */
};
/* Refreshes jemalloc's statistics epoch and fills st. Costs a few
 * microseconds: for INFO, not per command. */
void mem_stats(struct mem_stats *st);
/* "jemalloc-5.3.0" */
const char *mem_allocator_name(void);

#endif

/* mem.c - jemalloc-backed allocation and memory statistics. */
#include "mem.h"

#include <jemalloc/jemalloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void mem__oom(size_t size)
{
    fprintf(stderr, "respite: out of memory allocating %zu bytes\n", size);
    fflush(stderr);
    abort();
}

void *mem_alloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p == NULL) mem__oom(size);
    return p;
}

void *mem_calloc(size_t size)
{
    void *p = calloc(1, size ? size : 1);
    if (p == NULL) mem__oom(size);
    return p;
}

void *mem_realloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (p == NULL) mem__oom(size);
    return p;
}

char *mem_strndup(const char *s, size_t len)
{
    char *p = mem_alloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void mem_free(void *ptr)
{
    free(ptr);
}

/* Under AddressSanitizer malloc is ASan's, not jemalloc's, and jemalloc's
 * extended API must not see those pointers. */
#ifdef __SANITIZE_ADDRESS__
#include <malloc.h>
size_t mem_usable(const void *ptr)
{
    return malloc_usable_size((void *)ptr);
}

size_t mem_good_size(size_t size)
{
    return size ? size : 1;
}
#else
size_t mem_usable(const void *ptr)
{
    return sallocx((void *)ptr, 0);
}

size_t mem_good_size(size_t size)
{
    return nallocx(size ? size : 1, 0);
}
#endif

/* stats.allocated is only refreshed when the epoch is advanced, which walks
 * every arena; too slow per command. jemalloc also keeps exact per-thread
 * counters of bytes allocated and freed, readable through pointers that
 * stay valid for the thread's life. The server allocates on its event-loop
 * thread(s); libuv's thread pool is not used for allocation-heavy work. So
 * the difference of the main thread's counters, plus what other threads
 * hold (refreshed in mem_stats), is the live figure. */
static uint64_t *mem__allocatedp;
static uint64_t *mem__deallocatedp;
static size_t mem__base; /* bytes held by other threads at last mem_stats */

size_t mem_used(void)
{
    if (mem__allocatedp == NULL) {
        size_t sz = sizeof(mem__allocatedp);
        if (mallctl("thread.allocatedp", &mem__allocatedp, &sz, NULL, 0) != 0 ||
            mallctl("thread.deallocatedp", &mem__deallocatedp, &sz, NULL, 0) != 0) {
            mem__allocatedp = NULL;
            struct mem_stats st;
            mem_stats(&st);
            return st.allocated;
        }
    }
    int64_t live = (int64_t)(*mem__allocatedp - *mem__deallocatedp) + (int64_t)mem__base;
    return live > 0 ? (size_t)live : 0;
}

static size_t mem__read_rss(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL) return 0;
    unsigned long size = 0, resident = 0;
    int n = fscanf(f, "%lu %lu", &size, &resident);
    fclose(f);
    return n == 2 ? resident * (size_t)sysconf(_SC_PAGESIZE) : 0;
}

void mem_stats(struct mem_stats *st)
{
    uint64_t epoch = 1;
    size_t sz = sizeof(epoch);
    mallctl("epoch", &epoch, &sz, &epoch, sz);
    memset(st, 0, sizeof(*st));
    sz = sizeof(size_t);
    mallctl("stats.allocated", &st->allocated, &sz, NULL, 0);
    mallctl("stats.active", &st->active, &sz, NULL, 0);
    mallctl("stats.resident", &st->resident, &sz, NULL, 0);
    mallctl("stats.retained", &st->retained, &sz, NULL, 0);
    st->rss = mem__read_rss();
    if (mem__allocatedp != NULL) {
        /* Re-anchor the cheap counter on the global figure so that memory
         * held by other threads (libuv, jemalloc's background) counts. */
        int64_t mine = (int64_t)(*mem__allocatedp - *mem__deallocatedp);
        int64_t other = (int64_t)st->allocated - mine;
        mem__base = other > 0 ? (size_t)other : 0;
    }
}

const char *mem_allocator_name(void)
{
    static char name[64];
    if (name[0] == '\0') {
        const char *v = NULL;
        size_t sz = sizeof(v);
        if (mallctl("version", &v, &sz, NULL, 0) != 0 || v == NULL) v = JEMALLOC_VERSION;
        /* "5.3.0-0-g54eaed..." -> "jemalloc-5.3.0" */
        size_t n = strcspn(v, "-");
        snprintf(name, sizeof(name), "jemalloc-%.*s", (int)n, v);
    }
    return name;
}

/* mem.c - jemalloc-backed allocation and memory statistics. */
#include "base/mem.h"

#include <jemalloc/jemalloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

static void mem__oom(size_t size)
{
    fprintf(stderr, "respite: out of memory allocating %zu bytes\n", size);
    fflush(stderr);
    abort();
}

/* Under AddressSanitizer malloc is ASan's, not jemalloc's: jemalloc's
 * extended API must not see those pointers and its counters stay at zero.
 * The sanitizer build therefore counts usable sizes in these wrappers
 * (allocations libuv makes directly are not counted there). GCC says
 * "sanitized" with __SANITIZE_*__, clang with __has_feature. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MEM_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define MEM_SANITIZED 1
#endif
#endif
#ifdef MEM_SANITIZED
#include <malloc.h>
static size_t mem__asan_used;
#define MEM_COUNT_ADD(p)                                                                           \
    __atomic_add_fetch(&mem__asan_used, malloc_usable_size(p), __ATOMIC_RELAXED)
#define MEM_COUNT_SUB(p)                                                                           \
    __atomic_sub_fetch(&mem__asan_used, malloc_usable_size(p), __ATOMIC_RELAXED)
#else
#define MEM_COUNT_ADD(p) ((void)0)
#define MEM_COUNT_SUB(p) ((void)0)
#endif

void *mem_alloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p == NULL) mem__oom(size);
    MEM_COUNT_ADD(p);
    return p;
}

void *mem_calloc(size_t size)
{
    void *p = calloc(1, size ? size : 1);
    if (p == NULL) mem__oom(size);
    MEM_COUNT_ADD(p);
    return p;
}

void *mem_realloc(void *ptr, size_t size)
{
    if (ptr) MEM_COUNT_SUB(ptr);
    void *p = realloc(ptr, size ? size : 1);
    if (p == NULL) mem__oom(size);
    MEM_COUNT_ADD(p);
    return p;
}

void *mem_try_realloc(void *ptr, size_t size)
{
#ifdef MEM_SANITIZED
    size_t before = ptr ? malloc_usable_size(ptr) : 0;
#endif
    void *p = realloc(ptr, size ? size : 1);
    if (p == NULL) return NULL; /* ptr is untouched and still counted */
#ifdef MEM_SANITIZED
    __atomic_sub_fetch(&mem__asan_used, before, __ATOMIC_RELAXED);
#endif
    MEM_COUNT_ADD(p);
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
    if (ptr) MEM_COUNT_SUB(ptr);
    free(ptr);
}

#ifdef MEM_SANITIZED
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

/* Live bytes are summed from jemalloc's exact per-thread counters of bytes
 * allocated and freed (usable sizes, like Redis's own counter), read
 * through pointers that stay valid for each thread's life. stats.allocated
 * is not used for this: it needs an epoch refresh that walks every arena,
 * and it counts objects cached in thread caches as allocated, so it runs
 * tens of kilobytes ahead of what the program holds. Every thread that
 * allocates registers once (mem_thread_register). */
#define MEM_MAX_THREADS 64
static struct {
    uint64_t *allocated, *deallocated;
} mem__threads[MEM_MAX_THREADS];
static int mem__nthreads;

static pthread_mutex_t mem__threads_lock = PTHREAD_MUTEX_INITIALIZER;

void mem_thread_register(void)
{
    uint64_t *a = NULL, *d = NULL;
    size_t sz = sizeof(a);
    if (mallctl("thread.allocatedp", &a, &sz, NULL, 0) != 0) return;
    sz = sizeof(d);
    if (mallctl("thread.deallocatedp", &d, &sz, NULL, 0) != 0) return;
    pthread_mutex_lock(&mem__threads_lock);
    if (mem__nthreads < MEM_MAX_THREADS) {
        mem__threads[mem__nthreads].allocated = a;
        mem__threads[mem__nthreads].deallocated = d;
        __atomic_store_n(&mem__nthreads, mem__nthreads + 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&mem__threads_lock);
}

size_t mem_used(void)
{
#ifdef MEM_SANITIZED
    return __atomic_load_n(&mem__asan_used, __ATOMIC_RELAXED);
#endif
    int n = __atomic_load_n(&mem__nthreads, __ATOMIC_ACQUIRE);
    if (n == 0) {
        mem_thread_register();
        n = __atomic_load_n(&mem__nthreads, __ATOMIC_ACQUIRE);
    }
    int64_t live = 0;
    for (int i = 0; i < n; i++)
        live += (int64_t)(*mem__threads[i].allocated - *mem__threads[i].deallocated);
    return live > 0 ? (size_t)live : 0;
}

/* /proc/self/statm, opened once and read with pread (the kernel makes
 * the text anew at each read from offset 0), so that any thread may ask
 * for the RSS often: one system call, no open or allocation. */
static int mem__statm_fd = -1; /* relaxed atomic once opened */

size_t mem_rss(void)
{
    int fd = __atomic_load_n(&mem__statm_fd, __ATOMIC_RELAXED);
    if (fd < 0) {
        fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
        if (fd < 0) return 0;
        int expected = -1;
        if (!__atomic_compare_exchange_n(&mem__statm_fd, &expected, fd, 0, __ATOMIC_RELAXED,
                                         __ATOMIC_RELAXED)) {
            close(fd); /* another thread opened it first */
            fd = expected;
        }
    }
    char buf[128];
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
    if (n <= 0) return 0;
    buf[n] = '\0';
    unsigned long size = 0, resident = 0;
    if (sscanf(buf, "%lu %lu", &size, &resident) != 2) return 0;
    return resident * (size_t)sysconf(_SC_PAGESIZE);
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
    st->rss = mem_rss();
    st->used = mem_used();
}

int mem_background_thread(int on)
{
#ifdef MEM_SANITIZED
    (void)on;
    return -1;
#else
    bool val = on != 0;
    return mallctl("background_thread", NULL, NULL, &val, sizeof(val)) == 0 ? 0 : -1;
#endif
}

void mem_purge(void)
{
    char name[64];
    snprintf(name, sizeof(name), "arena.%u.purge", (unsigned)MALLCTL_ARENAS_ALL);
    mallctl(name, NULL, NULL, NULL, 0);
}

struct mem__text {
    char *p;
    size_t len, cap;
};

static void mem__append_stats(void *arg, const char *s)
{
    struct mem__text *t = arg;
    size_t n = strlen(s);
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->p = mem_realloc(t->p, t->cap);
    }
    memcpy(t->p + t->len, s, n + 1);
    t->len += n;
}

char *mem_malloc_stats(void)
{
    struct mem__text t = {mem_alloc(1), 0, 1};
    t.p[0] = '\0';
#ifdef MEM_SANITIZED
    mem__append_stats(&t, "Stats not supported for the sanitizer build's allocator\n");
#else
    malloc_stats_print(mem__append_stats, &t, NULL);
#endif
    return t.p;
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

/* lazyfree.c - the freeing thread and its queue.
 *
 * One thread, woken by a condition variable, takes the whole queue and
 * frees table after table. Freeing is the slow part of deleting millions
 * of entries (a pointer chase and a free per entry); doing it here keeps
 * the event loops' pauses to the unlink, and with jemalloc the frees from
 * this thread land in the arenas the entries came from. The thread is
 * registered with the memory accounting, so used_memory falls as it
 * frees. */
#include "storage/lazyfree.h"

#include <pthread.h>
#include <string.h>

#include "base/mem.h"
#include "storage/table.h"

/* A job holds the shards it took over (a flushed database's 16, or the
 * one of a hash's or set's table), or a value and the function that frees
 * it (a list's chain). */
struct lazyfree_job {
    uint64_t objects;
    struct lazyfree_job *next;
    void (*free_fn)(void *);
    void *value;
    unsigned n;
    struct shard held[];
};

static pthread_mutex_t lazyfree__lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t lazyfree__wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t lazyfree__idle = PTHREAD_COND_INITIALIZER;
static struct lazyfree_job *lazyfree__queue;
static int lazyfree__busy, lazyfree__stop, lazyfree__running;
static pthread_t lazyfree__thread;
static uint64_t lazyfree__pending, lazyfree__freed; /* relaxed atomics */

/* Frees a list of jobs (no lock held). */
static void lazyfree__free_jobs(struct lazyfree_job *j)
{
    while (j) {
        struct lazyfree_job *next = j->next;
        for (unsigned i = 0; i < j->n; i++) shard_clear(&j->held[i]);
        if (j->free_fn) j->free_fn(j->value);
        __atomic_sub_fetch(&lazyfree__pending, j->objects, __ATOMIC_RELAXED);
        __atomic_add_fetch(&lazyfree__freed, j->objects, __ATOMIC_RELAXED);
        mem_free(j);
        j = next;
    }
}

static void *lazyfree__main(void *arg)
{
    (void)arg;
    mem_thread_register();
    pthread_mutex_lock(&lazyfree__lock);
    for (;;) {
        while (lazyfree__queue == NULL && !lazyfree__stop)
            pthread_cond_wait(&lazyfree__wake, &lazyfree__lock);
        if (lazyfree__queue == NULL) break;
        struct lazyfree_job *jobs = lazyfree__queue;
        lazyfree__queue = NULL;
        lazyfree__busy = 1;
        pthread_mutex_unlock(&lazyfree__lock);
        lazyfree__free_jobs(jobs);
        pthread_mutex_lock(&lazyfree__lock);
        lazyfree__busy = 0;
        if (lazyfree__queue == NULL) pthread_cond_broadcast(&lazyfree__idle);
    }
    pthread_mutex_unlock(&lazyfree__lock);
    return NULL;
}

void lazyfree_setup(void)
{
    lazyfree__stop = 0;
    lazyfree__running = pthread_create(&lazyfree__thread, NULL, lazyfree__main, NULL) == 0;
}

/* Queues a job (or, without the thread, frees it here). */
static void lazyfree__queue_job(struct lazyfree_job *j)
{
    __atomic_add_fetch(&lazyfree__pending, j->objects, __ATOMIC_RELAXED);
    if (!lazyfree__running) {
        /* No thread (it could not start, or a unit test): free here. */
        j->next = NULL;
        lazyfree__free_jobs(j);
        return;
    }
    pthread_mutex_lock(&lazyfree__lock);
    j->next = lazyfree__queue;
    lazyfree__queue = j;
    pthread_cond_signal(&lazyfree__wake);
    pthread_mutex_unlock(&lazyfree__lock);
}

void lazyfree_table(struct table *t, uint64_t objects)
{
    struct lazyfree_job *j = mem_alloc(sizeof(*j) + sizeof(t->shards));
    j->objects = objects;
    j->free_fn = NULL;
    j->n = TABLE_SHARDS;
    memcpy(j->held, t->shards, sizeof(t->shards));
    table_init(t);
    lazyfree__queue_job(j);
}

void lazyfree_shard(struct shard *s, uint64_t objects)
{
    struct lazyfree_job *j = mem_alloc(sizeof(*j) + sizeof(*s));
    j->objects = objects;
    j->free_fn = NULL;
    j->n = 1;
    j->held[0] = *s;
    shard_init(s);
    lazyfree__queue_job(j);
}

void lazyfree_value(void (*free_fn)(void *), void *value)
{
    struct lazyfree_job *j = mem_alloc(sizeof(*j));
    j->objects = 1;
    j->free_fn = free_fn;
    j->value = value;
    j->n = 0;
    lazyfree__queue_job(j);
}

void lazyfree_drain(void)
{
    if (!lazyfree__running) return;
    pthread_mutex_lock(&lazyfree__lock);
    while (lazyfree__queue || lazyfree__busy) pthread_cond_wait(&lazyfree__idle, &lazyfree__lock);
    pthread_mutex_unlock(&lazyfree__lock);
}

void lazyfree_teardown(void)
{
    if (!lazyfree__running) return;
    pthread_mutex_lock(&lazyfree__lock);
    lazyfree__stop = 1;
    pthread_cond_signal(&lazyfree__wake);
    pthread_mutex_unlock(&lazyfree__lock);
    pthread_join(lazyfree__thread, NULL); /* it empties the queue first */
    lazyfree__running = 0;
}

uint64_t lazyfree_pending(void)
{
    return __atomic_load_n(&lazyfree__pending, __ATOMIC_RELAXED);
}

uint64_t lazyfree_freed(void)
{
    return __atomic_load_n(&lazyfree__freed, __ATOMIC_RELAXED);
}

void lazyfree_reset_stats(void)
{
    __atomic_store_n(&lazyfree__freed, 0, __ATOMIC_RELAXED);
}

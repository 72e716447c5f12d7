/* worker.c - event-loop threads and the messages between them. */
#include "base/worker.h"

#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cgroup.h"
#include "base/config.h"
#include "base/log.h"
#include "base/mem.h"

#define WORKER_MAX 128

struct main_call {
    void (*fn)(void *);
    void *arg;
    int done;
    struct main_call *next;
};

struct worker_post {
    worker_post_fn *fn;
    void *arg;
};

struct worker {
    int id;
    uv_loop_t *loop;
    uv_loop_t own_loop;
    uv_async_t wake;
    pthread_t thread;
    pthread_mutex_t lock; /* guards the queues below */
    void **items;         /* new connections to adopt */
    size_t nitems, capitems;
    uint64_t *kills;
    size_t nkills, capkills;
    struct worker_post *posts; /* worker_post's messages, in order */
    size_t nposts, capposts;
    int stop;
    struct main_call *calls; /* main thread only: calls to run */
};

static struct worker *worker__all[WORKER_MAX];
static int worker__n;
static _Thread_local struct worker *worker__me;
static worker_adopt_fn *worker__adopt;
static worker_kill_fn *worker__killfn;
static worker_hook_fn *worker__start_hook, *worker__stop_hook, *worker__exit_hook;
static worker_hook_fn *worker__flush_hook;

void worker_set_flush(worker_hook_fn *fn)
{
    worker__flush_hook = fn;
}

void worker_wake(struct worker *w)
{
    uv_async_send(&w->wake);
}
static pthread_cond_t worker__call_done = PTHREAD_COND_INITIALIZER;
static int worker__stopping; /* under worker__all[0]->lock */

void worker_set_adopt(worker_adopt_fn *fn)
{
    worker__adopt = fn;
}

void worker_set_kill(worker_kill_fn *fn)
{
    worker__killfn = fn;
}

void worker_set_hooks(worker_hook_fn *thread_start, worker_hook_fn *thread_stop,
                      worker_hook_fn *thread_exit)
{
    worker__start_hook = thread_start;
    worker__stop_hook = thread_stop;
    worker__exit_hook = thread_exit;
}

int worker_count(void)
{
    int n = __atomic_load_n(&worker__n, __ATOMIC_ACQUIRE);
    return n ? n : 1;
}

struct worker *worker_self(void)
{
    return worker__me;
}

int worker_id(const struct worker *w)
{
    return w ? w->id : 0;
}

uv_loop_t *worker_loop(const struct worker *w)
{
    return w->loop;
}

int worker_is_main(void)
{
    return worker__me == NULL || worker__me->id == 0;
}

static void worker__close_walk(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h)) uv_close(h, NULL);
}

/* Takes what was queued for w (under its lock) and acts on it: adopts new
 * connections, performs kills, runs the flush hook. The main-thread calls
 * and the stop flag are handed back when calls and stop are not NULL, and
 * left queued otherwise. */
static void worker__drain(struct worker *w, struct main_call **calls, int *stop)
{
    pthread_mutex_lock(&w->lock);
    void **items = w->items;
    size_t nitems = w->nitems;
    uint64_t *kills = w->kills;
    size_t nkills = w->nkills;
    struct worker_post *posts = NULL;
    size_t nposts = 0;
    w->items = NULL;
    w->nitems = w->capitems = 0;
    w->kills = NULL;
    w->nkills = w->capkills = 0;
    if (calls) {
        *calls = w->calls;
        *stop = w->stop;
        w->calls = NULL;
        /* Posts run commands: from the loop only, never from inside a
         * busy script's poll (calls is NULL there). */
        posts = w->posts;
        nposts = w->nposts;
        w->posts = NULL;
        w->nposts = w->capposts = 0;
    }
    pthread_mutex_unlock(&w->lock);

    if (worker__flush_hook) worker__flush_hook();
    for (size_t i = 0; i < nitems; i++) worker__adopt(items[i]);
    for (size_t i = 0; i < nkills; i++) worker__killfn(kills[i]);
    for (size_t i = 0; i < nposts; i++) posts[i].fn(posts[i].arg);
    mem_free(items);
    mem_free(kills);
    mem_free(posts);
}

/* Runs on w's thread when woken: adopts new sockets, performs kills, runs
 * main-thread calls (main only), and stops when asked. */
static void worker__on_wake(uv_async_t *a)
{
    struct worker *w = a->data;
    struct main_call *calls;
    int stop;
    worker__drain(w, &calls, &stop);
    while (calls) {
        struct main_call *next = calls->next;
        calls->fn(calls->arg);
        pthread_mutex_lock(&w->lock);
        calls->done = 1;
        pthread_cond_broadcast(&worker__call_done);
        pthread_mutex_unlock(&w->lock);
        calls = next;
    }
    if (stop) {
        if (w->id == 0) {
            uv_stop(w->loop);
        } else {
            if (worker__stop_hook) worker__stop_hook();
            uv_walk(w->loop, worker__close_walk, NULL);
        }
    }
}

void worker_poll(void)
{
    if (worker__me) worker__drain(worker__me, NULL, NULL);
}

static void *worker__main(void *arg)
{
    struct worker *w = arg;
    worker__me = w;
    if (worker__start_hook) worker__start_hook();
    uv_run(w->loop, UV_RUN_DEFAULT);
    /* Closing handles: let their callbacks run, then the loop is empty. */
    uv_run(w->loop, UV_RUN_DEFAULT);
    uv_loop_close(w->loop);
    if (worker__exit_hook) worker__exit_hook();
    return NULL;
}

static struct worker *worker__create(int id, uv_loop_t *loop)
{
    struct worker *w = mem_calloc(sizeof(*w));
    w->id = id;
    if (loop == NULL) {
        uv_loop_init(&w->own_loop);
        loop = &w->own_loop;
    }
    w->loop = loop;
    pthread_mutex_init(&w->lock, NULL);
    uv_async_init(loop, &w->wake, worker__on_wake);
    w->wake.data = w;
    return w;
}

int worker_setup(uv_loop_t *main_loop, int n)
{
    worker__all[0] = worker__create(0, main_loop);
    worker__me = worker__all[0];
    worker__n = 1;
    for (int i = 1; i < n; i++)
        if (worker_add(i) != 0) return -1;
    return 0;
}

int worker_add(int id)
{
    if (id != worker__n || id >= WORKER_MAX) return -1;
    struct worker *w = worker__create(id, NULL);
    if (pthread_create(&w->thread, NULL, worker__main, w) != 0) {
        log_msg(LL_WARNING, "Could not start event-loop thread %d", id);
        return -1;
    }
    /* Published after the thread exists: the acceptor may pick it now;
     * handed sockets wait in its queue until its loop runs. */
    __atomic_store_n(&worker__all[id], w, __ATOMIC_RELEASE);
    __atomic_store_n(&worker__n, id + 1, __ATOMIC_RELEASE);
    return 0;
}

static void worker__wake(struct worker *w)
{
    uv_async_send(&w->wake);
}

struct worker *worker_of(int id)
{
    return id >= 0 && id < worker__n ? worker__all[id] : NULL;
}

void worker_post(struct worker *w, worker_post_fn *fn, void *arg)
{
    pthread_mutex_lock(&w->lock);
    if (w->nposts == w->capposts) {
        w->capposts = w->capposts ? w->capposts * 2 : 16;
        w->posts = mem_realloc(w->posts, w->capposts * sizeof(*w->posts));
    }
    w->posts[w->nposts++] = (struct worker_post){fn, arg};
    pthread_mutex_unlock(&w->lock);
    worker__wake(w);
}

void worker_assign(struct worker *w, void *item)
{
    pthread_mutex_lock(&w->lock);
    if (w->nitems == w->capitems) {
        w->capitems = w->capitems ? w->capitems * 2 : 16;
        w->items = mem_realloc(w->items, w->capitems * sizeof(*w->items));
    }
    w->items[w->nitems++] = item;
    pthread_mutex_unlock(&w->lock);
    worker__wake(w);
}

void worker_kill(struct worker *w, uint64_t id)
{
    pthread_mutex_lock(&w->lock);
    if (w->nkills == w->capkills) {
        w->capkills = w->capkills ? w->capkills * 2 : 8;
        w->kills = mem_realloc(w->kills, w->capkills * sizeof(*w->kills));
    }
    w->kills[w->nkills++] = id;
    pthread_mutex_unlock(&w->lock);
    worker__wake(w);
}

int worker_call_main(void (*fn)(void *), void *arg)
{
    if (worker_is_main()) {
        fn(arg);
        return 0;
    }
    struct worker *m = worker__all[0];
    struct main_call call = {fn, arg, 0, NULL};
    pthread_mutex_lock(&m->lock);
    if (worker__stopping) {
        pthread_mutex_unlock(&m->lock);
        return -1;
    }
    call.next = m->calls;
    m->calls = &call;
    pthread_mutex_unlock(&m->lock);
    worker__wake(m);
    pthread_mutex_lock(&m->lock);
    while (!call.done) pthread_cond_wait(&worker__call_done, &m->lock);
    pthread_mutex_unlock(&m->lock);
    return 0;
}

void worker_request_stop(void)
{
    struct worker *m = worker__all[0];
    if (m == NULL) return;
    pthread_mutex_lock(&m->lock);
    m->stop = 1;
    pthread_mutex_unlock(&m->lock);
    worker__wake(m);
}

void worker_teardown(void)
{
    struct worker *m = worker__all[0];
    if (m == NULL) return;
    /* Run calls that workers are blocked on, refuse new ones, then stop
     * and join every worker. */
    pthread_mutex_lock(&m->lock);
    worker__stopping = 1;
    struct main_call *calls = m->calls;
    m->calls = NULL;
    pthread_mutex_unlock(&m->lock);
    while (calls) {
        struct main_call *next = calls->next;
        pthread_mutex_lock(&m->lock);
        calls->done = 1; /* not run: the server is going away */
        pthread_cond_broadcast(&worker__call_done);
        pthread_mutex_unlock(&m->lock);
        calls = next;
    }
    for (int i = 1; i < worker__n; i++) {
        struct worker *w = worker__all[i];
        pthread_mutex_lock(&w->lock);
        w->stop = 1;
        pthread_mutex_unlock(&w->lock);
        worker__wake(w);
        pthread_join(w->thread, NULL);
        /* Connections handed over but never adopted were closed by the
         * thread's stop hook walking its client list. */
        mem_free(w->items);
        mem_free(w->kills);
        mem_free(w->posts);
        pthread_mutex_destroy(&w->lock);
        mem_free(w);
        worker__all[i] = NULL;
    }
    if (!uv_is_closing((uv_handle_t *)&m->wake)) uv_close((uv_handle_t *)&m->wake, NULL);
    worker__n = 1;
}

/* CPUs this process may run on, capped by its cgroup's CPU quota (v2
 * cpu.max or v1 cfs quota/period), so a container limited to 2 CPUs gets
 * 2. */
int worker_default_count(void)
{
    int n = 1;
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) n = CPU_COUNT(&set);
    if (n < 1) n = 1;
    double quota = cgroup_cpu_quota();
    if (quota > 0) {
        int cap = (int)ceil(quota);
        if (cap < 1) cap = 1;
        if (cap < n) n = cap;
    }
    return n;
}

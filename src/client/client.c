/* client.c - a client's lifetime, the per-thread client lists, its output
 * and the pushes other threads queue for it.
 *
 * Writing: replies of one batch of requests (those read together) gather
 * in a per-thread scratch buffer and are written with a single write when
 * the batch ends, so pipelining costs one syscall per read, not per
 * command. What the socket does not take goes to a queue of blocks owned
 * by the client and is written by the transport when the socket is
 * writable, so a client that does not read its replies never blocks the
 * others.
 *
 * Pushes: one mutex (the push lock) guards every client's inbox and every
 * thread's list of clients with inbox bytes. client_push appends to the
 * inbox, lists the client as pending on its thread and wakes that thread
 * (or, for this thread's own clients, leaves a flag the call path checks
 * after each command); the thread then writes the bytes like replies.
 * Callers that must check a condition atomically with the push (pub/sub:
 * "is it still subscribed") hold their own lock around it; the push lock
 * is always taken last.
 *
 * Lists: each event-loop thread lists its clients; the list changes on the
 * owner thread (and, for new clients, on the accepting thread) under the
 * list's lock, which other threads take to read it. */
#include "client/client.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/stats.h"
#include "base/util.h"
#include "base/worker.h"
#include "storage/db.h"

#define CLIENT_SCRATCH   (64 * 1024)
#define CLIENT_BLOCK     (16 * 1024)
#define CLIENT_THREADS   128
#define CLIENT_MAX_HOOKS 4

struct client_thread {
    struct worker *w;
    pthread_mutex_t lock; /* the list */
    struct client *clients;
    struct client *push_pending; /* clients with inbox bytes (push lock) */
};

static struct client_thread *client__threads[CLIENT_THREADS];
static int client__nthreads;
static pthread_mutex_t client__threads_lock = PTHREAD_MUTEX_INITIALIZER;
static struct client_thread *client__by_worker[CLIENT_THREADS]; /* by worker id */
static _Thread_local struct client_thread *client__me;
static size_t client__count; /* relaxed atomic: all threads */

static const struct client_transport *client__io;
static client_hook_fn *client__gone_hooks[CLIENT_MAX_HOOKS], *client__free_hooks[CLIENT_MAX_HOOKS];
static int client__ngone, client__nfree;

/* Per event-loop thread: the reply scratch buffer and whose batch runs. */
static _Thread_local char *client__obuf;
static _Thread_local size_t client__olen;
static _Thread_local struct client *client__batch;

static pthread_mutex_t client__push_lock = PTHREAD_MUTEX_INITIALIZER;
_Thread_local int client__push_local;

static void client__kill_local(uint64_t id);

void client_setup(void)
{
    worker_set_kill(client__kill_local);
    worker_set_flush(client_flush_pushes);
}

void client_set_transport(const struct client_transport *t)
{
    client__io = t;
}

void client_on_gone(client_hook_fn *fn)
{
    if (client__ngone < CLIENT_MAX_HOOKS) client__gone_hooks[client__ngone++] = fn;
}

void client_on_free(client_hook_fn *fn)
{
    if (client__nfree < CLIENT_MAX_HOOKS) client__free_hooks[client__nfree++] = fn;
}

/* ---- threads ---- */

void client_thread_start(void)
{
    if (client__obuf == NULL) client__obuf = mem_alloc(CLIENT_SCRATCH);
    struct client_thread *t = mem_calloc(sizeof(*t));
    t->w = worker_self();
    pthread_mutex_init(&t->lock, NULL);
    client__me = t;
    pthread_mutex_lock(&client__threads_lock);
    client__threads[client__nthreads++] = t;
    pthread_mutex_unlock(&client__threads_lock);
    __atomic_store_n(&client__by_worker[worker_id(t->w)], t, __ATOMIC_RELEASE);
}

void client_thread_stop(void)
{
    while (client__me->clients) client_close(client__me->clients, 0);
}

void client_thread_exit(void)
{
    mem_free(client__obuf);
    client__obuf = NULL;
}

struct client_thread *client_thread_of(int worker_id)
{
    if (worker_id < 0 || worker_id >= CLIENT_THREADS) return NULL;
    return __atomic_load_n(&client__by_worker[worker_id], __ATOMIC_ACQUIRE);
}

struct client_thread *client_thread_self(void)
{
    return client__me;
}

/* ---- published fields ---- */

/* With one thread nobody else reads, and readers use the fields. */
void client_publish(struct client *c)
{
    if (!lockset_on()) return;
    size_t oll = 0;
    for (struct outblock *b = c->out_head; b; b = b->next) oll++;
    __atomic_store_n(&c->pub.last_interaction_ms, c->last_interaction_ms, __ATOMIC_RELAXED);
    __atomic_store_n(&c->pub.dbid, c->dbid, __ATOMIC_RELAXED);
    __atomic_store_n(&c->pub.resp, c->resp, __ATOMIC_RELAXED);
    __atomic_store_n(&c->pub.writing, c->writing, __ATOMIC_RELAXED);
    __atomic_store_n(&c->pub.qlen, c->qlen, __ATOMIC_RELAXED);
    __atomic_store_n(&c->pub.qcap, c->qcap, __ATOMIC_RELAXED);
    __atomic_store_n(&c->pub.out_bytes, c->out_bytes, __ATOMIC_RELAXED);
    __atomic_store_n(&c->pub.oll, oll, __ATOMIC_RELAXED);
    __atomic_store_n(&c->pub.lastcmd, c->lastcmd, __ATOMIC_RELAXED);
}

/* ---- lifetime ---- */

int client_admit(void)
{
    if (__atomic_add_fetch(&client__count, 1, __ATOMIC_RELAXED) <= (size_t)CFG(maxclients))
        return 0;
    __atomic_sub_fetch(&client__count, 1, __ATOMIC_RELAXED);
    return -1;
}

struct client *client_create(struct client_thread *t, int fd, uint64_t id, const char *addr,
                             const char *laddr)
{
    struct client *c = mem_calloc(sizeof(*c));
    resp_request_init(&c->req);
    c->id = id;
    c->owner = t;
    c->fd = fd;
    c->resp = 2;
    c->dbid = 0;
    c->db = db_get(0);
    c->ctime_ms = c->last_interaction_ms = util_mstime();
    c->authenticated = !CFG(auth_required);
    snprintf(c->addr, sizeof(c->addr), "%s", addr);
    snprintf(c->laddr, sizeof(c->laddr), "%s", laddr);
    client_publish(c);
    pthread_mutex_lock(&t->lock);
    c->next = t->clients;
    if (t->clients) t->clients->prev = c;
    t->clients = c;
    pthread_mutex_unlock(&t->lock);
    return c;
}

static void client__unlink(struct client *c)
{
    struct client_thread *t = c->owner;
    pthread_mutex_lock(&t->lock);
    if (c->prev)
        c->prev->next = c->next;
    else
        t->clients = c->next;
    if (c->next) c->next->prev = c->prev;
    c->prev = c->next = NULL;
    pthread_mutex_unlock(&t->lock);
    __atomic_sub_fetch(&client__count, 1, __ATOMIC_RELAXED);
}

void client_close(struct client *c, unsigned flags)
{
    if (c->flags & CLIENT_CLOSING) return;
    if (flags & CLIENT_CLOSE_AFTER_REPLY) {
        c->flags |= CLIENT_CLOSE_AFTER_REPLY;
        if (c == client__batch || c->writing || c->out_head) return;
    } else if (c == client__batch) {
        c->flags |= CLIENT_KILLED;
        return;
    }
    c->flags |= CLIENT_CLOSING;
    client__unlink(c);
    /* Off the list, no command of its own to come: what services track
     * about it (client-side caching, redirects naming it) ends now. */
    for (int i = 0; i < client__ngone; i++) client__gone_hooks[i](c);
    client__io->close(c);
}

void client_drop_pushes(struct client *c)
{
    pthread_mutex_lock(&client__push_lock);
    if (c->inbox_pending) {
        for (struct client **link = &c->owner->push_pending; *link; link = &(*link)->inbox_next) {
            if (*link == c) {
                *link = c->inbox_next;
                break;
            }
        }
        c->inbox_pending = 0;
    }
    pthread_mutex_unlock(&client__push_lock);
    mem_free(c->inbox);
    c->inbox = NULL;
    c->inbox_len = c->inbox_cap = 0;
}

void client_destroy(struct client *c)
{
    /* First the services, so nothing can find c to push to it any more;
     * then its inbox. */
    for (int i = 0; i < client__nfree; i++) client__free_hooks[i](c);
    client_drop_pushes(c);
    /* A write in flight was cancelled before the transport closed the
     * handle, and its completion already ran. */
    while (c->out_head) {
        struct outblock *b = c->out_head;
        c->out_head = b->next;
        mem_free(b);
    }
    mem_free(c->qbuf);
    mem_free(c->argv);
    mem_free(c->name);
    mem_free(c->lib_name);
    mem_free(c->lib_ver);
    mem_free(c->capture);
    resp_request_free(&c->req);
    mem_free(c);
}

static void client__kill_local(uint64_t id)
{
    for (struct client *c = client__me->clients; c; c = c->next) {
        if (c->id == id) {
            client_close(c, 0);
            return;
        }
    }
}

/* Clients idle past `timeout` are collected under the list lock (the
 * acceptor may be adding one) and closed after it: only this thread
 * frees its clients, so they stay valid in between. */
void client_close_idle(long long now_ms)
{
    long long timeout = CFG(timeout);
    if (timeout <= 0) return;
    size_t n = 0, cap = 0;
    struct client **idle = NULL;
    pthread_mutex_lock(&client__me->lock);
    for (struct client *c = client__me->clients; c; c = c->next) {
        if (c->writing || now_ms - c->last_interaction_ms <= timeout * 1000) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            idle = mem_realloc(idle, cap * sizeof(*idle));
        }
        idle[n++] = c;
    }
    pthread_mutex_unlock(&client__me->lock);
    for (size_t i = 0; i < n; i++) {
        log_msg(LL_VERBOSE, "Closing idle client");
        client_close(idle[i], 0);
    }
    mem_free(idle);
}

/* ---- output ---- */

static void client__queue(struct client *c, const char *p, size_t len)
{
    struct outblock *b = c->out_tail;
    while (len) {
        /* Blocks covered by a write in flight (sent) are never appended to. */
        if (b == NULL || b->sent || b->len == b->cap) {
            size_t cap = len > CLIENT_BLOCK ? len : CLIENT_BLOCK;
            struct outblock *nb = mem_alloc(sizeof(*nb) + cap);
            nb->next = NULL;
            nb->len = 0;
            nb->cap = cap;
            nb->sent = 0;
            if (c->out_tail)
                c->out_tail->next = nb;
            else
                c->out_head = nb;
            c->out_tail = nb;
            b = nb;
        }
        size_t n = b->cap - b->len;
        if (n > len) n = len;
        memcpy(b->data + b->len, p, n);
        b->len += n;
        c->out_bytes += n;
        p += n;
        len -= n;
    }
}

/* Writes as much of (p, len) as the socket takes now; queues the rest.
 * An error closes the client. */
static void client__write_now(struct client *c, const char *p, size_t len)
{
    ssize_t n = client__io->try_write(c, p, len);
    if (n < 0) {
        client_close(c, 0);
        return;
    }
    if ((size_t)n < len) client__queue(c, p + n, len - (size_t)n);
}

void client_flush_scratch(struct client *c)
{
    if (client__olen == 0) return;
    size_t len = client__olen;
    client__olen = 0;
    if (c->out_head)
        client__queue(c, client__obuf, len);
    else
        client__write_now(c, client__obuf, len);
}

/* A script's client: keep the reply for the script to read. */
static void client__capture(struct client *c, const char *p, size_t len)
{
    if (c->capture_len + len > c->capture_cap) {
        size_t cap = c->capture_cap ? c->capture_cap * 2 : 1024;
        while (cap < c->capture_len + len) cap *= 2;
        c->capture = mem_realloc(c->capture, cap);
        c->capture_cap = cap;
    }
    memcpy(c->capture + c->capture_len, p, len);
    c->capture_len += len;
}

void client_write(struct client *c, const char *p, size_t len)
{
    if (c->flags & (CLIENT_CLOSING | CLIENT_CAPTURE)) {
        if (c->flags & CLIENT_CAPTURE) client__capture(c, p, len);
        return;
    }
    c->net_out += len;
    STAT_INC(net_output_bytes, len);
    if (c == client__batch && c->out_head == NULL) {
        if (client__olen + len <= CLIENT_SCRATCH) {
            memcpy(client__obuf + client__olen, p, len);
            client__olen += len;
            return;
        }
        client_flush_scratch(c);
        if (c->out_head == NULL && !(c->flags & CLIENT_CLOSING)) {
            if (len > CLIENT_SCRATCH) {
                client__write_now(c, p, len);
            } else {
                memcpy(client__obuf, p, len);
                client__olen = len;
            }
            return;
        }
    }
    client__queue(c, p, len);
    if (c != client__batch && !c->writing && !(c->flags & CLIENT_CLOSING))
        client__io->start_write(c);
}

void client_batch_begin(struct client *c)
{
    client__batch = c;
    c->flags |= CLIENT_IN_BATCH;
}

void client_batch_resume(struct client *c)
{
    client__batch = c;
}

void client_batch_end(struct client *c)
{
    client__batch = NULL;
    c->flags &= ~CLIENT_IN_BATCH;
    if (!(c->flags & CLIENT_CLOSING))
        client_flush_scratch(c);
    else
        client__olen = 0;
    if (c->flags & CLIENT_KILLED) {
        client_close(c, 0);
        return;
    }
    if (c->out_head && !c->writing) {
        client__io->start_write(c);
    } else if (!c->out_head && (c->flags & CLIENT_CLOSE_AFTER_REPLY)) {
        client_close(c, 0);
        return;
    }
    client_publish(c);
}

void client_drop_sent(struct client *c)
{
    /* Every block marked sent was fully written by the completed write. */
    while (c->out_head && c->out_head->sent) {
        struct outblock *b = c->out_head;
        c->out_head = b->next;
        c->out_bytes -= b->len;
        mem_free(b);
    }
    if (c->out_head == NULL) c->out_tail = NULL;
}

/* ---- pushes ---- */

/* client-output-buffer-limit pubsub: the hard limit, or the soft limit
 * held for the configured seconds. The owner thread's view of c's
 * backlog. */
static int client__over_push_limit(struct client *c, size_t pending)
{
    long long hard = CFG(pubsub_hard_limit), soft = CFG(pubsub_soft_limit);
    long long secs = CFG(pubsub_soft_seconds);
    if (hard && (long long)pending > hard) return 1;
    if (soft && (long long)pending > soft) {
        long long now = util_mstime();
        if (c->push_soft_since == 0)
            c->push_soft_since = now;
        else if (now - c->push_soft_since >= secs * 1000)
            return 1;
    } else {
        c->push_soft_since = 0;
    }
    return 0;
}

static void client__deliver(struct client *c, const char *bytes, size_t len)
{
    if (c->flags & (CLIENT_CLOSING | CLIENT_KILLED | CLIENT_CLOSE_AFTER_REPLY)) return;
    if (client__over_push_limit(c, c->out_bytes + len)) {
        client_close(c, 0);
        return;
    }
    client_write(c, bytes, len);
}

void client_push(struct client *c, const char *bytes, size_t len)
{
    struct client_thread *t = c->owner;
    int wake = 0;
    pthread_mutex_lock(&client__push_lock);
    if (c->inbox_len + len > c->inbox_cap) {
        c->inbox_cap = (c->inbox_len + len) * 2;
        c->inbox = mem_realloc(c->inbox, c->inbox_cap);
    }
    memcpy(c->inbox + c->inbox_len, bytes, len);
    c->inbox_len += len;
    if (!c->inbox_pending) {
        c->inbox_pending = 1;
        c->inbox_next = t->push_pending;
        t->push_pending = c;
        wake = t != client__me;
    }
    pthread_mutex_unlock(&client__push_lock);
    if (wake)
        worker_wake(t->w);
    else if (t == client__me)
        client__push_local = 1;
}

void client_flush_pushes(void)
{
    client__push_local = 0;
    struct client_thread *t = client__me;
    if (t == NULL) return;
    for (;;) {
        pthread_mutex_lock(&client__push_lock);
        struct client *c = t->push_pending;
        if (c == NULL) {
            pthread_mutex_unlock(&client__push_lock);
            return;
        }
        t->push_pending = c->inbox_next;
        c->inbox_pending = 0;
        char *bytes = c->inbox;
        size_t len = c->inbox_len;
        c->inbox = NULL;
        c->inbox_len = c->inbox_cap = 0;
        pthread_mutex_unlock(&client__push_lock);
        /* Only this thread frees its clients, so c is alive here. */
        client__deliver(c, bytes, len);
        mem_free(bytes);
    }
}

/* ---- names ---- */

int client_name_valid(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] < '!' || p[i] > '~') return 0;
    return 1;
}

void client_set_name(struct client *c, char **slot, const char *p, size_t len)
{
    char *fresh = len ? mem_strndup(p, len) : NULL;
    client_lock(c);
    char *old = *slot;
    *slot = fresh;
    client_unlock(c);
    mem_free(old);
}

/* ---- every client ---- */

void client_each(client_visit_fn *fn, void *arg)
{
    pthread_mutex_lock(&client__threads_lock);
    int n = client__nthreads;
    struct client_thread *threads[CLIENT_THREADS];
    memcpy(threads, client__threads, (size_t)n * sizeof(threads[0]));
    pthread_mutex_unlock(&client__threads_lock);
    for (int i = 0; i < n; i++) {
        pthread_mutex_lock(&threads[i]->lock);
        for (struct client *c = threads[i]->clients; c; c = c->next) fn(c, arg);
        pthread_mutex_unlock(&threads[i]->lock);
    }
}

void client_each_local(client_visit_fn *fn, void *arg)
{
    pthread_mutex_lock(&client__me->lock);
    for (struct client *c = client__me->clients; c; c = c->next) fn(c, arg);
    pthread_mutex_unlock(&client__me->lock);
}

size_t client_count(void)
{
    return __atomic_load_n(&client__count, __ATOMIC_RELAXED);
}

void client_lock(struct client *c)
{
    pthread_mutex_lock(&c->owner->lock);
}

void client_unlock(struct client *c)
{
    pthread_mutex_unlock(&c->owner->lock);
}

struct worker *client_worker(const struct client *c)
{
    return c->owner->w;
}

struct client__mem {
    size_t total;
};

static void client__mem_each(struct client *c, void *arg)
{
    struct client__mem *m = arg;
    m->total += sizeof(*c) + CLIENT_PUB_GET(c, qcap) + CLIENT_PUB_GET(c, out_bytes);
}

size_t client_memory(void)
{
    struct client__mem m = {0};
    client_each(client__mem_each, &m);
    return m.total;
}

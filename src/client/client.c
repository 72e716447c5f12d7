/* client.c - a client's lifetime, the per-thread client lists, its output
 * and the pushes other threads queue for it.
 *
 * Writing: replies of one batch of requests (those read together) gather
 * in a per-thread scratch buffer, so pipelining costs one syscall per
 * read, not per command. When the batch ends they stay there, held back,
 * until the event loop's iteration has read every ready client; then each
 * client's are written with one write (client_flush_held). Writes to many
 * clients in a burst wake the benchmark or application thread that reads
 * them once rather than once each, a wake-up the writer pays for (on a VM
 * an inter-processor interrupt, a fifth of the CPU of a pipelined SADD).
 * What the socket does not take goes to a queue of blocks owned by the
 * client and is written by the transport when the socket is writable, so a
 * client that does not read its replies never blocks the others. A full
 * scratch buffer writes what it holds at once, ending with the running
 * batch's bytes and the reply that did not fit, in one write.
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
#include <stdlib.h>
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
#define CLIENT_HELD_MAX  128 /* batches' replies held back at once */
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

/* Per event-loop thread: the reply scratch buffer, whose batch runs and
 * where its replies start in the scratch, and the replies of batches that
 * ended, held back there until the loop's iteration ends (a slot's client
 * is NULL once written or dropped). */
struct client__held {
    struct client *c;
    size_t off, len;
};
static _Thread_local char *client__obuf;
static _Thread_local size_t client__olen, client__bstart;
static _Thread_local struct client *client__batch;
static _Thread_local struct client__held client__held[CLIENT_HELD_MAX];
static _Thread_local int client__nheld, client__hold;
static _Thread_local int client__pushing; /* writing a push: no reply mode drops it */

static pthread_mutex_t client__push_lock = PTHREAD_MUTEX_INITIALIZER;
_Thread_local int client__push_local;

static void client__kill_local(uint64_t id);
static void client__release(struct client *c);
static void client__drop_held(struct client *c);

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
    __atomic_store_n(&c->pub.flags, c->flags, __ATOMIC_RELAXED);
    __atomic_store_n(&c->pub.tracking, c->tracking, __ATOMIC_RELAXED);
    __atomic_store_n(&c->pub.sub, c->nchannels, __ATOMIC_RELAXED);
    __atomic_store_n(&c->pub.psub, c->npatterns, __ATOMIC_RELAXED);
    __atomic_store_n(&c->pub.watch, c->nwatched, __ATOMIC_RELAXED);
    __atomic_store_n(&c->pub.multi, c->in_multi ? (long long)c->nqueued : -1, __ATOMIC_RELAXED);
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
                             const char *laddr, unsigned flags)
{
    struct client *c = mem_calloc(sizeof(*c));
    c->flags = flags;
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
    if (c->held) {
        if (flags & CLIENT_CLOSE_AFTER_REPLY)
            client__release(c);
        else
            client__drop_held(c);
    }
    if (c->flags & CLIENT_CLOSING) return; /* the release failed */
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
    client__drop_held(c);
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
        /* A blocked client waits as long as its command says (Redis). */
        if (c->writing || (c->flags & CLIENT_BLOCKED) ||
            now_ms - c->last_interaction_ms <= timeout * 1000)
            continue;
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

/* Writes as much of the parts as the socket takes now, in one system
 * call; queues the rest. An error closes the client. */
static void client__write_now(struct client *c, const struct client_part *parts, int n)
{
    ssize_t w = client__io->try_write(c, parts, n);
    if (w < 0) {
        client_close(c, 0);
        return;
    }
    size_t sent = (size_t)w;
    for (int i = 0; i < n; i++) {
        if (sent < parts[i].len) client__queue(c, parts[i].p + sent, parts[i].len - sent);
        sent = sent > parts[i].len ? sent - parts[i].len : 0;
    }
}

/* Bytes for c now: behind its queue if it has one, else written. */
static void client__emit(struct client *c, const char *p, size_t len)
{
    if (c->out_head)
        client__queue(c, p, len);
    else
        client__write_now(c, &(struct client_part){p, len}, 1);
}

/* Forgets c's held replies without writing them (c is going). */
static void client__drop_held(struct client *c)
{
    if (!c->held) return;
    client__held[c->held - 1].c = NULL;
    c->held = 0;
}

/* Writes c's held replies now (something must follow them). */
static void client__release(struct client *c)
{
    struct client__held *h = &client__held[c->held - 1];
    client__drop_held(c);
    if (c->flags & CLIENT_CLOSING) return;
    client__emit(c, client__obuf + h->off, h->len);
    if (c->out_head && !c->writing && c != client__batch && !(c->flags & CLIENT_CLOSING))
        client__io->start_write(c);
}

/* Writes every held reply; their bytes stay in the scratch, dead. */
static void client__release_all(void)
{
    for (int i = 0; i < client__nheld; i++)
        if (client__held[i].c) client__release(client__held[i].c);
    client__nheld = 0;
}

/* The scratch is full while c's batch runs: the held replies go out, then
 * c's so far and the parts that did not fit, in one write. */
static void client__spill(struct client *c, struct client_part *parts, int n)
{
    client__release_all();
    parts[0] = (struct client_part){client__obuf + client__bstart, client__olen - client__bstart};
    client__olen = client__bstart = 0;
    client__write_now(c, parts, n);
}

void client_hold_replies(int on)
{
    client__hold = on;
}

static void (*client__iteration_hook)(void);

void client_on_flush(void (*fn)(void))
{
    client__iteration_hook = fn;
}

void client_flush_held(void)
{
    /* What services gathered during the iteration goes out with it
     * (client-side caching's BCAST batches). */
    if (client__iteration_hook) client__iteration_hook();
    client__release_all();
    if (client__batch == NULL) client__olen = client__bstart = 0;
}

void client_flush_scratch(struct client *c)
{
    client__release_all();
    if (client__olen > client__bstart)
        client__emit(c, client__obuf + client__bstart, client__olen - client__bstart);
    client__olen = client__bstart = 0;
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

/* Whether c's bytes may go to the scratch buffer (or straight out). */
static int client__direct(struct client *c)
{
    return c == client__batch && c->out_head == NULL;
}

void client_write(struct client *c, const char *p, size_t len)
{
    if (c->flags & (CLIENT_CLOSING | CLIENT_CAPTURE | CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP)) {
        if (c->flags & CLIENT_CAPTURE) {
            client__capture(c, p, len);
            return;
        }
        /* CLIENT REPLY OFF or SKIP: replies go nowhere, pushes still do. */
        if ((c->flags & CLIENT_CLOSING) || !client__pushing) return;
    }
    c->net_out += len;
    STAT_INC(net_output_bytes, len);
    if (client__direct(c)) {
        if (client__olen + len <= CLIENT_SCRATCH) {
            memcpy(client__obuf + client__olen, p, len);
            client__olen += len;
            return;
        }
        struct client_part parts[2] = {{NULL, 0}, {p, len}};
        client__spill(c, parts, 2);
        return;
    }
    /* Outside its batch (a push, a message): after what it holds. */
    if (c->held) client__release(c);
    client__queue(c, p, len);
    if (c != client__batch && !c->writing && !(c->flags & CLIENT_CLOSING))
        client__io->start_write(c);
}

void client_write_framed(struct client *c, const char *head, size_t hlen, const char *p, size_t len,
                         const char *tail, size_t tlen)
{
    if (!client__direct(c) ||
        (c->flags & (CLIENT_CLOSING | CLIENT_CAPTURE | CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP)) ||
        client__olen + hlen + len + tlen <= CLIENT_SCRATCH) {
        client_write(c, head, hlen);
        client_write(c, p, len);
        client_write(c, tail, tlen);
        return;
    }
    c->net_out += hlen + len + tlen;
    STAT_INC(net_output_bytes, hlen + len + tlen);
    struct client_part parts[4] = {{NULL, 0}, {head, hlen}, {p, len}, {tail, tlen}};
    client__spill(c, parts, 4);
}

void client_batch_begin(struct client *c)
{
    client__batch = c;
    c->flags |= CLIENT_IN_BATCH;
    client__bstart = client__olen;
    if (!c->held) return;
    /* An earlier batch of c's in this iteration: its replies join this
     * one's when they are last in the scratch, else they go now. */
    struct client__held *h = &client__held[c->held - 1];
    if (h->off + h->len == client__olen) {
        client__bstart = h->off;
        client__drop_held(c);
    } else {
        client__release(c);
    }
}

void client_batch_resume(struct client *c)
{
    client__batch = c;
}

void client_batch_end(struct client *c)
{
    client__batch = NULL;
    c->flags &= ~CLIENT_IN_BATCH;
    if (c->flags & CLIENT_CLOSING) {
        client__olen = client__bstart;
    } else if (client__olen > client__bstart) {
        if (client__hold && client__nheld < CLIENT_HELD_MAX && !c->out_head &&
            !(c->flags & (CLIENT_KILLED | CLIENT_CLOSE_AFTER_REPLY))) {
            client__held[client__nheld] =
                (struct client__held){c, client__bstart, client__olen - client__bstart};
            c->held = ++client__nheld;
        } else {
            /* Its bytes are the scratch's last: they go, and their room
             * is free again. */
            client__emit(c, client__obuf + client__bstart, client__olen - client__bstart);
            client__olen = client__bstart;
        }
    }
    if (c->flags & CLIENT_KILLED) {
        client_close(c, 0);
        return;
    }
    if (c->out_head && !c->writing) {
        client__io->start_write(c);
    } else if (!c->out_head && !c->held && (c->flags & CLIENT_CLOSE_AFTER_REPLY)) {
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
    client__pushing = 1;
    client_write(c, bytes, len);
    client__pushing = 0;
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

struct client__usage {
    struct client__one {
        uint64_t id;
        struct worker *owner;
        size_t bytes;
    } * v;
    size_t n, cap, total;
};

static void client__usage_each(struct client *c, void *arg)
{
    struct client__usage *u = arg;
    size_t bytes = sizeof(*c) + CLIENT_PUB_GET(c, qcap) + CLIENT_PUB_GET(c, out_bytes);
    u->total += bytes;
    if (CLIENT_PUB_GET(c, flags) & (CLIENT_NO_EVICT | CLIENT_CLOSING)) return;
    if (u->n == u->cap) {
        u->cap = u->cap ? u->cap * 2 : 64;
        u->v = mem_realloc(u->v, u->cap * sizeof(*u->v));
    }
    u->v[u->n++] = (struct client__one){c->id, client_worker(c), bytes};
}

static int client__by_bytes_desc(const void *a, const void *b)
{
    const struct client__one *x = a, *y = b;
    return x->bytes < y->bytes ? 1 : x->bytes > y->bytes ? -1 : 0;
}

size_t client_evict_over_limit(void)
{
    long long conf = CFG(maxmemory_clients);
    unsigned long long limit =
        conf >= 0 ? (unsigned long long)conf : CFG(maxmemory) / 100 * (unsigned long long)-conf;
    if (limit == 0) return 0;
    struct client__usage u = {NULL, 0, 0, 0};
    client_each(client__usage_each, &u);
    size_t closed = 0;
    if (u.total > limit && u.n) {
        /* The biggest first, as Redis picks from its biggest bucket. */
        qsort(u.v, u.n, sizeof(*u.v), client__by_bytes_desc);
        for (size_t i = 0; i < u.n && u.total > limit; i++) {
            log_msg(LL_VERBOSE, "Evicting client: id=%llu, %zu bytes",
                    (unsigned long long)u.v[i].id, u.v[i].bytes);
            worker_kill(u.v[i].owner, u.v[i].id);
            u.total -= u.v[i].bytes;
            closed++;
        }
        STAT_INC(evicted_clients, closed);
    }
    mem_free(u.v);
    return closed;
}

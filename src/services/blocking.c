/* blocking.c - the registry of clients blocked on keys and the hand-offs
 * that serve them (see blocking.h for the model).
 *
 * The registry is a hash table of waited-on keys, (database, key) to a
 * FIFO of nodes, one node per (waiter, key); each waiter also sits in a
 * list of all waiters (CLIENT UNBLOCK finds it by client id). All of it is
 * guarded by block__lock, taken alone or inside shard locks (never the
 * other way round), so it cannot deadlock with them.
 *
 * A waiter (struct block_wait) is owned by its client's thread: only that
 * thread changes its state, except for the per-key `trying` marks and the
 * reference count, which change under the lock. References: the registry
 * holds one while the waiter waits, each posted message one, its timer one
 * while open; the last to let go frees it, so a message that arrives after
 * the client left finds a waiter marked gone, never freed memory.
 *
 * Wake-ups: storage calls the ready hook when a list or sorted set appears
 * at a key (under the key's shard lock). The hook notes the key in its
 * thread's ready list and asks the call path to run blocking__after once
 * the top-level command is over; that asks the first waiter of the type,
 * on any thread, to retry (a posted message), unless a retry is already
 * in flight for the key. */
#include "services/blocking.h"

#include <pthread.h>
#include <string.h>
#include <uv.h>

#include "base/mem.h"
#include "base/util.h"
#include "base/worker.h"
#include "client/client.h"
#include "client/reply.h"
#include "dispatch/command.h"
#include "services/multi.h"
#include "dispatch/call.h"
#include "storage/db.h"

#define BLOCK_ANY_TYPE      0xFFu /* any waiter; as a key's type: no value */
#define BLOCK_TYPE_UNKNOWN  0xFEu /* the key could not be looked at */
#define BLOCK_RETRY_MS      10
#define BLOCK_ERR_UNBLOCKED "UNBLOCKED client unblocked via CLIENT UNBLOCK"

struct block_key;
struct block_wait;

struct block_node {
    struct block_node *prev, *next; /* the key's queue */
    struct block_wait *w;
    struct block_key *k;
};

struct block_key {
    struct block_key *hnext;
    uint64_t hash;
    int dbid;
    struct block_node *head, *tail;
    struct block_wait *trying; /* a retry was asked of this waiter and is not over */
    size_t klen;
    char key[];
};

struct block_wait {
    struct client *c; /* NULL once the client left */
    struct worker *owner;
    uint64_t client_id;
    unsigned type;
    int refs;       /* under block__lock */
    int active;     /* in the registry */
    int rewaited;   /* a retry found nothing and waits again */
    int unblocking; /* CLIENT UNBLOCK sent a message */
    int unblock_error;
    struct block_node *nodes;
    size_t nnodes;
    struct arg *argv; /* the blocked command, copied */
    size_t argc;
    long long deadline; /* unix ms; 0: none */
    uv_timer_t timer, retry;
    int timer_open, retry_open;
    struct block_wait *prev, *next; /* every waiter */
};

static pthread_mutex_t block__lock = PTHREAD_MUTEX_INITIALIZER;
static struct block_key **block__table;
static size_t block__mask, block__nkeys, block__nwaiters;
static struct block_wait *block__all;
static blocking_resume_fn *block__resume;

/* Keys that became ready during this thread's command. */
struct block_ready {
    int dbid;
    unsigned type;
    size_t klen;
    char *key;
};
static _Thread_local struct block_ready *block__ready;
static _Thread_local size_t block__nready, block__capready;

void blocking_set_resume(blocking_resume_fn *fn)
{
    block__resume = fn;
}

size_t blocking_clients(void)
{
    return __atomic_load_n(&block__nwaiters, __ATOMIC_RELAXED);
}

static size_t block__ntimeouts; /* relaxed atomic */

size_t blocking_timeouts(void)
{
    return __atomic_load_n(&block__ntimeouts, __ATOMIC_RELAXED);
}

size_t blocking_keys(void)
{
    return __atomic_load_n(&block__nkeys, __ATOMIC_RELAXED);
}

/* ---- the registry (callers hold block__lock) ---- */

static uint64_t block__hash(int dbid, const char *key, size_t klen)
{
    return util_hash(key, klen) ^ ((uint64_t)(unsigned)dbid * 0x9E3779B97F4A7C15ull);
}

static struct block_key **block__slot(int dbid, const char *key, size_t klen, uint64_t h)
{
    if (block__table == NULL) return NULL;
    struct block_key **p = &block__table[h & block__mask];
    for (; *p; p = &(*p)->hnext)
        if ((*p)->hash == h && (*p)->dbid == dbid && (*p)->klen == klen &&
            memcmp((*p)->key, key, klen) == 0)
            return p;
    return p;
}

static void block__grow(void)
{
    size_t size = block__table ? (block__mask + 1) * 2 : 64;
    struct block_key **t = mem_calloc(size * sizeof(*t));
    if (block__table) {
        for (size_t i = 0; i <= block__mask; i++)
            for (struct block_key *k = block__table[i], *next; k; k = next) {
                next = k->hnext;
                k->hnext = t[k->hash & (size - 1)];
                t[k->hash & (size - 1)] = k;
            }
        mem_free(block__table);
    }
    block__table = t;
    block__mask = size - 1;
}

static struct block_key *block__find(int dbid, const char *key, size_t klen)
{
    struct block_key **p = block__slot(dbid, key, klen, block__hash(dbid, key, klen));
    return p ? *p : NULL;
}

static struct block_key *block__get(int dbid, const char *key, size_t klen)
{
    if (block__table == NULL || block__nkeys > block__mask) block__grow();
    uint64_t h = block__hash(dbid, key, klen);
    struct block_key **p = block__slot(dbid, key, klen, h);
    if (*p) return *p;
    struct block_key *k = mem_calloc(sizeof(*k) + klen);
    k->hash = h;
    k->dbid = dbid;
    k->klen = klen;
    memcpy(k->key, key, klen);
    *p = k;
    __atomic_store_n(&block__nkeys, block__nkeys + 1, __ATOMIC_RELAXED);
    return k;
}

static void block__drop_key(struct block_key *k)
{
    struct block_key **p = block__slot(k->dbid, k->key, k->klen, k->hash);
    *p = k->hnext;
    __atomic_store_n(&block__nkeys, block__nkeys - 1, __ATOMIC_RELAXED);
    mem_free(k);
}

/* ---- references ---- */

static void block__free(struct block_wait *w)
{
    mem_free(w->nodes);
    mem_free(w->argv);
    mem_free(w);
}

/* Drops one reference (the lock not held). */
static void block__unref(struct block_wait *w)
{
    pthread_mutex_lock(&block__lock);
    int last = --w->refs == 0;
    pthread_mutex_unlock(&block__lock);
    if (last) block__free(w);
}

static void block__handle_closed(uv_handle_t *h)
{
    block__unref(h->data);
}

/* ---- ready keys ---- */

static void block__note_ready(int dbid, const char *key, size_t klen, unsigned type)
{
    if (block__nready == block__capready) {
        block__capready = block__capready ? block__capready * 2 : 8;
        block__ready = mem_realloc(block__ready, block__capready * sizeof(*block__ready));
    }
    block__ready[block__nready++] = (struct block_ready){dbid, type, klen, mem_strndup(key, klen)};
    call_after_asked();
}

/* Storage's hook: a list or sorted set appeared at key (shard lock held). */
static void block__key_ready(struct db *db, const char *key, size_t klen, unsigned type)
{
    if (blocking_keys() == 0) return;
    block__note_ready(db_id(db), key, klen, type);
}

static void block__retry_msg(void *arg);

/* Asks the first waiter of a fitting type on k to retry, unless one is
 * trying already. Lock held. */
static void block__ask(struct block_key *k, unsigned type)
{
    if (k->trying) return;
    for (struct block_node *n = k->head; n; n = n->next) {
        struct block_wait *w = n->w;
        if (type != BLOCK_ANY_TYPE && w->type != type) continue;
        k->trying = w;
        w->refs++;
        worker_post(w->owner, block__retry_msg, w);
        return;
    }
}

/* The type of the value at key now (ENTRY_TYPE_*), or BLOCK_ANY_TYPE
 * when there is none; looked up under the key's shard lock. A busy script
 * holding that lock gives BLOCK_TYPE_UNKNOWN: the caller assumes the
 * type noted, and the retry sees the truth. */
static unsigned block__type_now(int dbid, const char *key, size_t klen)
{
    struct db *db = db_get(dbid);
    unsigned shard = db_shard_of(key, klen);
    if (db_lock_shard_wait(db, shard) != LOCKSET_OK) return BLOCK_TYPE_UNKNOWN;
    struct entry *e = db_lookup(db, key, klen, DB_LOOKUP_NOTOUCH, NULL);
    unsigned type = e ? entry_type(e) : BLOCK_ANY_TYPE;
    db_unlock_shard(db, shard);
    return type;
}

/* Serves the keys this thread noted ready: the first waiter on each whose
 * type the key holds now is asked to retry (as Redis wakes only clients
 * of the key's type: a list pushed and replaced by a string inside one
 * MULTI wakes nobody). The call path's after-hook; also called after a
 * wait ended here. No lock held. */
static void block__after(void)
{
    while (block__nready > 0) {
        struct block_ready r = block__ready[--block__nready];
        unsigned type = block__type_now(r.dbid, r.key, r.klen);
        if (type == BLOCK_TYPE_UNKNOWN) type = r.type;
        if (type != BLOCK_ANY_TYPE) {
            pthread_mutex_lock(&block__lock);
            struct block_key *k = block__find(r.dbid, r.key, r.klen);
            if (k) block__ask(k, type);
            pthread_mutex_unlock(&block__lock);
        }
        mem_free(r.key);
    }
    /* Given back: a thread-local array must not outlive its thread. */
    mem_free(block__ready);
    block__ready = NULL;
    block__capready = 0;
}

/* ---- waiting ---- */

static void block__timeout(uv_timer_t *t);

void blocking_wait(struct client *c, const struct arg *keys, size_t nkeys, unsigned type,
                   long long deadline)
{
    struct block_wait *w = c->blocked;
    if (w) {
        /* A retry that found nothing: keep the place, end the try. */
        w->rewaited = 1;
        pthread_mutex_lock(&block__lock);
        for (size_t i = 0; i < w->nnodes; i++)
            if (w->nodes[i].k->trying == w) w->nodes[i].k->trying = NULL;
        pthread_mutex_unlock(&block__lock);
        return;
    }
    static int hooked;
    if (!__atomic_load_n(&hooked, __ATOMIC_ACQUIRE)) {
        db_set_ready_hook(block__key_ready);
        __atomic_store_n(&hooked, 1, __ATOMIC_RELEASE);
    }
    w = mem_calloc(sizeof(*w));
    w->c = c;
    w->owner = client_worker(c);
    w->client_id = c->id;
    w->type = type;
    /* The command, to run again: its arguments in one block. */
    size_t bytes = c->argc * sizeof(struct arg);
    for (size_t i = 0; i < c->argc; i++) bytes += c->argv[i].len;
    w->argv = mem_alloc(bytes ? bytes : 1);
    char *text = (char *)(w->argv + c->argc);
    for (size_t i = 0; i < c->argc; i++) {
        memcpy(text, c->argv[i].ptr, c->argv[i].len);
        w->argv[i] = (struct arg){text, c->argv[i].len};
        text += c->argv[i].len;
    }
    w->argc = c->argc;
    w->nodes = mem_calloc(nkeys * sizeof(*w->nodes));
    pthread_mutex_lock(&block__lock);
    for (size_t i = 0; i < nkeys; i++) {
        struct block_key *k = block__get(c->dbid, keys[i].ptr, keys[i].len);
        int seen = 0;
        for (size_t j = 0; j < w->nnodes; j++) seen |= w->nodes[j].k == k;
        if (seen) continue;
        struct block_node *n = &w->nodes[w->nnodes++];
        n->w = w;
        n->k = k;
        n->prev = k->tail;
        if (k->tail)
            k->tail->next = n;
        else
            k->head = n;
        k->tail = n;
    }
    w->refs = deadline > 0 ? 2 : 1; /* the registry's, and the timer's */
    w->active = 1;
    w->next = block__all;
    if (block__all) block__all->prev = w;
    block__all = w;
    __atomic_store_n(&block__nwaiters, block__nwaiters + 1, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&block__lock);
    c->blocked = w;
    c->flags |= CLIENT_BLOCKED;
    if (deadline > 0) {
        w->deadline = deadline;
        __atomic_add_fetch(&block__ntimeouts, 1, __ATOMIC_RELAXED);
        uv_timer_init(worker_loop(w->owner), &w->timer);
        w->timer.data = w;
        w->timer_open = 1;
        long long ms = deadline - util_mstime() + 1;
        uv_timer_start(&w->timer, block__timeout, ms > 0 ? (uint64_t)ms : 0, 0);
    }
}

/* Takes w out of the registry: its keys' queues lose it, and a key whose
 * retry was w's is noted ready for its next waiter (the caller runs
 * block__after once it holds no lock). Owner thread. */
static void block__finish(struct block_wait *w)
{
    pthread_mutex_lock(&block__lock);
    for (size_t i = 0; i < w->nnodes; i++) {
        struct block_node *n = &w->nodes[i];
        struct block_key *k = n->k;
        if (n->prev)
            n->prev->next = n->next;
        else
            k->head = n->next;
        if (n->next)
            n->next->prev = n->prev;
        else
            k->tail = n->prev;
        if (k->trying == w) {
            /* Its next waiter may be served (the key may hold more),
             * once the caller holds no lock: block__after. */
            k->trying = NULL;
            if (k->head) block__note_ready(k->dbid, k->key, k->klen, BLOCK_ANY_TYPE);
        }
        if (k->head == NULL) block__drop_key(k);
    }
    w->active = 0;
    if (w->prev)
        w->prev->next = w->next;
    else
        block__all = w->next;
    if (w->next) w->next->prev = w->prev;
    __atomic_store_n(&block__nwaiters, block__nwaiters - 1, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&block__lock);
    if (w->c) {
        w->c->blocked = NULL;
        w->c->flags &= ~CLIENT_BLOCKED;
        client_publish(w->c); /* CLIENT LIST's b flag */
    }
    if (w->timer_open) {
        __atomic_sub_fetch(&block__ntimeouts, 1, __ATOMIC_RELAXED);
        w->timer_open = 0;
        uv_close((uv_handle_t *)&w->timer, block__handle_closed);
    }
    if (w->retry_open) {
        w->retry_open = 0;
        uv_close((uv_handle_t *)&w->retry, block__handle_closed);
    }
    block__unref(w); /* the registry's */
}

/* Ends c's wait with a reply sent outside any command (timeout, CLIENT
 * UNBLOCK), then runs what c sent meanwhile. */
static void block__end_with(struct block_wait *w, const char *error)
{
    struct client *c = w->c;
    client_batch_begin(c);
    if (error)
        reply_error(c, error);
    else
        reply_null_array(c); /* every blocking command's timeout, BLMOVE's too */
    client_batch_end(c);
    block__finish(w);
    block__after();
    if (block__resume) block__resume(c);
    /* From a timer, before the loop polls (and maybe sleeps). */
    client_flush_held();
}

/* The wait ends once the clock is past the deadline, as Redis checks
 * it; libuv's loop time can lag the clock, so a timer that fires early
 * is set again for what is left. */
static void block__timeout(uv_timer_t *t)
{
    struct block_wait *w = t->data;
    if (!w->active || w->c == NULL) return;
    long long left = w->deadline - util_mstime();
    if (left >= 0) {
        uv_timer_start(&w->timer, block__timeout, (uint64_t)left + 1, 0);
        return;
    }
    block__end_with(w, NULL);
}

static void block__retry_later(uv_timer_t *t);

/* On the waiter's thread: run the blocked command again. */
static void block__retry_msg(void *arg)
{
    struct block_wait *w = arg;
    struct client *c = w->c;
    if (!w->active || c == NULL || (c->flags & CLIENT_CLOSING)) {
        block__unref(w);
        return;
    }
    struct arg *saved = c->argv;
    size_t saved_cap = c->argv_cap;
    c->argv = w->argv;
    c->argc = w->argc;
    w->rewaited = 0;
    call_batch_begin(util_mstime());
    client_batch_begin(c);
    int ran = call_rerun(c);
    client_batch_end(c);
    c->argv = saved;
    c->argv_cap = saved_cap;
    c->argc = 0;
    if (ran != 0) {
        /* A busy script holds the locks: the try stays w's, again soon. */
        if (!w->retry_open) {
            uv_timer_init(worker_loop(w->owner), &w->retry);
            w->retry.data = w;
            w->retry_open = 1;
            pthread_mutex_lock(&block__lock);
            w->refs++;
            pthread_mutex_unlock(&block__lock);
        }
        uv_timer_start(&w->retry, block__retry_later, BLOCK_RETRY_MS, 0);
    } else if (!w->rewaited && w->active) {
        block__finish(w);
        block__after();
        if (block__resume) block__resume(c);
    }
    client_flush_held();
    block__unref(w); /* the message's */
}

static void block__retry_later(uv_timer_t *t)
{
    struct block_wait *w = t->data;
    if (!w->active) return;
    pthread_mutex_lock(&block__lock);
    w->refs++;
    pthread_mutex_unlock(&block__lock);
    block__retry_msg(w);
}

/* ---- unblocking, leaving, SWAPDB ---- */

static void block__unblock_msg(void *arg)
{
    struct block_wait *w = arg;
    if (w->active && w->c && !(w->c->flags & CLIENT_CLOSING))
        block__end_with(w, w->unblock_error ? BLOCK_ERR_UNBLOCKED : NULL);
    block__unref(w);
}

int blocking_unblock(uint64_t id, int error)
{
    int found = 0;
    pthread_mutex_lock(&block__lock);
    for (struct block_wait *w = block__all; w; w = w->next)
        if (w->client_id == id && w->active && !w->unblocking) {
            w->unblocking = 1;
            w->unblock_error = error;
            w->refs++;
            worker_post(w->owner, block__unblock_msg, w);
            found = 1;
            break;
        }
    pthread_mutex_unlock(&block__lock);
    return found;
}

/* A client leaving: its wait ends without a reply. Owner thread. */
static void block__client_gone(struct client *c)
{
    struct block_wait *w = c->blocked;
    if (w == NULL) return;
    w->c = NULL;
    c->blocked = NULL;
    c->flags &= ~CLIENT_BLOCKED;
    if (w->active) {
        block__finish(w);
        block__after(); /* no command of a blocked client holds shard locks */
    }
}

void blocking_swapdb(int a, int b)
{
    /* Noted now, served once SWAPDB has let its locks go. */
    pthread_mutex_lock(&block__lock);
    for (size_t i = 0; block__table && i <= block__mask; i++)
        for (struct block_key *k = block__table[i]; k; k = k->hnext)
            if (k->dbid == a || k->dbid == b)
                block__note_ready(k->dbid, k->key, k->klen, BLOCK_ANY_TYPE);
    pthread_mutex_unlock(&block__lock);
}

/* ---- CLIENT PAUSE ----
 * While a pause is on, requests it covers (all, or those that may write:
 * write commands, EVAL and the like, PUBLISH, an EXEC with a write
 * queued) are postponed, as Redis's blockPostponeClient: the call path
 * leaves the request unread and the client reads nothing more. When the
 * pause ends (its time, a timer on the main loop; or CLIENT UNPAUSE),
 * every thread is told to run its postponed clients' requests. Keys
 * neither expire nor are evicted meanwhile (storage's paused state). */
static int block__paused;    /* atomic: a pause is on (the call path reads it) */
static int block__pause_all; /* under block__lock */
static long long block__pause_end;
static uv_timer_t block__pause_timer; /* main loop */
static int block__pause_timer_ready;

static int block__postpone(struct client *c, const struct command *cmd)
{
    int all = __atomic_load_n(&block__pause_all, __ATOMIC_RELAXED);
    int writes = (cmd->flags & (CMD_WRITE | CMD_MAY_REPLICATE)) != 0;
    if (!writes && (cmd->flags & CMD_EXEC))
        for (size_t i = 0; i < c->nqueued && !writes; i++)
            writes = (c->queued[i].cmd->flags & (CMD_WRITE | CMD_MAY_REPLICATE)) != 0;
    if (!all && !writes) return 0;
    c->flags |= CLIENT_POSTPONED;
    client_publish(c);
    return 1;
}

/* On each thread when a pause ends: its postponed clients run their
 * request now. */
struct block__postponed {
    struct client **v;
    size_t n, cap;
};

static void block__collect_postponed(struct client *c, void *arg)
{
    struct block__postponed *p = arg;
    if (!(c->flags & CLIENT_POSTPONED)) return;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->v = mem_realloc(p->v, p->cap * sizeof(*p->v));
    }
    p->v[p->n++] = c;
}

/* On each thread when a pause ends: its postponed clients run their
 * request now, in the order they are listed. Collected under the
 * client-list lock, resumed outside it (a request may close its client,
 * which only frees it on a later loop iteration). */
static void block__resume_postponed(void *arg)
{
    (void)arg;
    if (__atomic_load_n(&block__paused, __ATOMIC_ACQUIRE)) return; /* paused again */
    struct block__postponed p = {NULL, 0, 0};
    client_each_local(block__collect_postponed, &p);
    for (size_t i = 0; i < p.n; i++) {
        struct client *c = p.v[i];
        c->flags &= ~CLIENT_POSTPONED;
        client_publish(c);
        if (block__resume) block__resume(c);
    }
    mem_free(p.v);
    client_flush_held();
}

void blocking_unpause(void)
{
    pthread_mutex_lock(&block__lock);
    int was = __atomic_load_n(&block__paused, __ATOMIC_RELAXED);
    __atomic_store_n(&block__paused, 0, __ATOMIC_RELEASE);
    __atomic_store_n(&block__pause_all, 0, __ATOMIC_RELAXED);
    block__pause_end = 0;
    pthread_mutex_unlock(&block__lock);
    db_set_paused(0);
    if (!was) return;
    for (int i = 0; i < worker_count(); i++) {
        struct worker *w = worker_of(i);
        if (w) worker_post(w, block__resume_postponed, NULL);
    }
}

static void block__pause_tick(uv_timer_t *t)
{
    (void)t;
    pthread_mutex_lock(&block__lock);
    long long left = block__pause_end - util_mstime();
    int on = __atomic_load_n(&block__paused, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&block__lock);
    if (!on) return;
    if (left > 0)
        uv_timer_start(&block__pause_timer, block__pause_tick, (uint64_t)left, 0);
    else
        blocking_unpause();
}

/* On the main thread: (re)arms the end-of-pause timer. */
static void block__arm_pause(void *arg)
{
    (void)arg;
    if (!block__pause_timer_ready) {
        uv_timer_init(worker_loop(worker_self()), &block__pause_timer);
        block__pause_timer_ready = 1;
    }
    block__pause_tick(&block__pause_timer);
}

void blocking_pause(long long end_ms, int all)
{
    pthread_mutex_lock(&block__lock);
    /* A new pause sets what is paused; its end only moves later. */
    __atomic_store_n(&block__pause_all, all, __ATOMIC_RELAXED);
    if (end_ms > block__pause_end) block__pause_end = end_ms;
    __atomic_store_n(&block__paused, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&block__lock);
    db_set_paused(1);
    worker_call_main(block__arm_pause, NULL);
}

void blocking_setup(void)
{
    call_hook_after(block__after);
    call_hook_postpone(block__postpone, &block__paused);
    client_on_gone(block__client_gone);
}

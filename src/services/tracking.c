/* tracking.c - server-assisted client-side caching (CLIENT TRACKING).
 *
 * Default mode: after a read-only command of a tracking client, its keys
 * are remembered with the client; when one of them changes (written,
 * deleted, expired, evicted) every client that read it gets one
 * invalidation message and the key is forgotten. BCAST mode: no
 * bookkeeping of reads, every change to a key under one of the client's
 * prefixes is sent. Messages are RESP3 pushes (`invalidate [key]`), or,
 * for RESP2, `message __redis__:invalidate [key]` to the REDIRECT client.
 *
 * One mutex guards the key table and every client's tracking state that
 * other threads read (mode, redirect target, prefixes). Clients are kept
 * by pointer and removed from everything when they close (a client-module
 * hook), so an invalidation never reaches a freed client. Delivery is the
 * client module's pushes, which work across threads. The commands (CLIENT
 * TRACKING, TRACKINGINFO, CACHING, GETREDIR) are commands/cmd_client.c.
 *
 * REDIRECT keeps a pointer to the target next to its id. When the target
 * closes, the pointer is cleared and the id kept: as in Redis, the
 * redirect is then broken. Nothing is sent at that moment; each later
 * invalidation that would have gone to the target becomes a
 * `tracking-redir-broken <id>` push to the tracking client itself (RESP3;
 * a RESP2 client cannot be told) and sets the `broken_redirect` flag of
 * CLIENT TRACKINGINFO, until tracking is switched on again or off. A
 * closing client takes the lock to break redirects only if some REDIRECT
 * ever named it (tracking_targeted). */
#include "services/tracking.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/util.h"
#include "client/client.h"
#include "dispatch/call.h"
#include "dispatch/command.h"
#include "services/pubsub.h"
#include "storage/db.h"

struct tkey {
    struct tkey *next;
    struct client **subs;
    size_t nsubs, cap;
    size_t len;
    char key[];
};

static pthread_mutex_t tr__lock = PTHREAD_MUTEX_INITIALIZER;
static struct tkey **tr__buckets;
static size_t tr__nbuckets, tr__nkeys;
static struct client **tr__clients; /* every client with tracking on */
static size_t tr__nclients, tr__capclients;
static int tr__active; /* relaxed atomic: tr__nclients, for the fast path */

/* ---- messages (tr__lock held) ---- */

/* c's REDIRECT client has gone: flags the redirect broken and tells c,
 * if it speaks RESP3, at each invalidation it misses. */
static void tr__send_broken(struct client *c)
{
    __atomic_store_n(&c->tracking_redir_broken, 1, __ATOMIC_RELAXED);
    if (CLIENT_PUB_GET(c, resp) < 3) return;
    char buf[64];
    int n = snprintf(buf, sizeof(buf), ">2\r\n$21\r\ntracking-redir-broken\r\n:%llu\r\n",
                     (unsigned long long)c->tracking_redirect_id);
    client_push(c, buf, (size_t)n);
}

/* The invalidation of key (NULL: everything) for tracking client c. It
 * goes where Redis sends it: without REDIRECT, to c if c speaks RESP3
 * (a RESP2 connection has no way to receive it); with REDIRECT, to the
 * target as a push if it speaks RESP3, as a __redis__:invalidate message
 * if it is subscribed to something, else nowhere (a RESP2 client that is
 * not subscribed would take it for a reply). */
static void tr__send_keys(struct client *c, const struct arg *keys, size_t n);

/* One key (NULL: everything, after a flush). */
static void tr__send(struct client *c, const char *key, size_t len)
{
    if (key) {
        struct arg one = {key, len};
        tr__send_keys(c, &one, 1);
        return;
    }
    struct client *target = c;
    if (c->tracking_redirect_id) {
        target = c->tracking_redirect;
        if (target == NULL) {
            tr__send_broken(c);
            return;
        }
    }
    int resp3 = CLIENT_PUB_GET(target, resp) >= 3;
    if (!resp3 && !c->tracking_redirect_id) return;
    char head[96];
    int n = resp3 ? snprintf(head, sizeof(head), ">2\r\n$10\r\ninvalidate\r\n")
                  : snprintf(head, sizeof(head),
                             "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n");
    char buf[128];
    memcpy(buf, head, (size_t)n);
    size_t off = (size_t)n;
    memcpy(buf + off, resp3 ? "_\r\n" : "$-1\r\n", resp3 ? 3 : 5);
    off += resp3 ? 3 : 5;
    if (resp3)
        client_push(target, buf, off);
    else
        pubsub_push_if_subscribed(target, buf, off);
}

/* One message naming n keys (an array), where tr__send says. */
static void tr__send_keys(struct client *c, const struct arg *keys, size_t n)
{
    struct client *target = c;
    if (c->tracking_redirect_id) {
        target = c->tracking_redirect;
        if (target == NULL) {
            tr__send_broken(c);
            return;
        }
    }
    int resp3 = CLIENT_PUB_GET(target, resp) >= 3;
    if (!resp3 && !c->tracking_redirect_id) return;
    size_t total = 96 + 24;
    for (size_t i = 0; i < n; i++) total += keys[i].len + 24;
    char stack[512];
    char *buf = total <= sizeof(stack) ? stack : mem_alloc(total);
    size_t off =
        (size_t)(resp3 ? snprintf(buf, total, ">2\r\n$10\r\ninvalidate\r\n")
                       : snprintf(buf, total,
                                  "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n"));
    off += (size_t)snprintf(buf + off, total - off, "*%zu\r\n", n);
    for (size_t i = 0; i < n; i++) {
        off += (size_t)snprintf(buf + off, total - off, "$%zu\r\n", keys[i].len);
        memcpy(buf + off, keys[i].ptr, keys[i].len);
        off += keys[i].len;
        memcpy(buf + off, "\r\n", 2);
        off += 2;
    }
    if (resp3)
        client_push(target, buf, off);
    else
        pubsub_push_if_subscribed(target, buf, off);
    if (buf != stack) mem_free(buf);
}

/* ---- BCAST batches ----
 * Keys a BCAST client must hear of are gathered per (client, prefix) on
 * the thread that changed them and sent when its event-loop iteration
 * ends, one message per client and prefix naming them all, as Redis
 * sends them before it sleeps. A batch holds a client by pointer and id:
 * at the flush it is used only if still among the tracking clients
 * (under the lock; a client leaves that list before it is freed). */
struct tr__batch {
    struct client *c;
    uint64_t id;
    size_t prefix;
    struct arg *keys; /* ptr: an offset into text until the flush */
    size_t n, cap;
    char *text;
    size_t tlen, tcap;
};
static _Thread_local struct tr__batch *tr__batches;
static _Thread_local size_t tr__nbatches, tr__capbatches;

static void tr__batch_add(struct client *c, size_t prefix, const char *key, size_t len)
{
    struct tr__batch *b = NULL;
    for (size_t i = 0; i < tr__nbatches && b == NULL; i++)
        if (tr__batches[i].c == c && tr__batches[i].prefix == prefix) b = &tr__batches[i];
    if (b == NULL) {
        if (tr__nbatches == tr__capbatches) {
            tr__capbatches = tr__capbatches ? tr__capbatches * 2 : 8;
            tr__batches = mem_realloc(tr__batches, tr__capbatches * sizeof(*tr__batches));
        }
        b = &tr__batches[tr__nbatches++];
        memset(b, 0, sizeof(*b));
        b->c = c;
        b->id = c->id;
        b->prefix = prefix;
    }
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 8;
        b->keys = mem_realloc(b->keys, b->cap * sizeof(*b->keys));
    }
    if (b->tlen + len > b->tcap) {
        b->tcap = (b->tlen + len) * 2 + 64;
        b->text = mem_realloc(b->text, b->tcap);
    }
    if (len) memcpy(b->text + b->tlen, key, len);
    b->keys[b->n++] = (struct arg){(const char *)(uintptr_t)b->tlen, len};
    b->tlen += len;
}

static int tr__key_cmp(const void *a, const void *b)
{
    const struct arg *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = n ? memcmp(x->ptr, y->ptr, n) : 0;
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int tr__listed(const struct client *c, uint64_t id)
{
    for (size_t i = 0; i < tr__nclients; i++)
        if (tr__clients[i] == c) return c->id == id;
    return 0;
}

void tracking_flush_bcast(void)
{
    if (tr__nbatches == 0) return;
    pthread_mutex_lock(&tr__lock);
    for (size_t i = 0; i < tr__nbatches; i++) {
        struct tr__batch *b = &tr__batches[i];
        if (tr__listed(b->c, b->id) && (b->c->tracking & TRACK_BCAST)) {
            for (size_t k = 0; k < b->n; k++) b->keys[k].ptr = b->text + (uintptr_t)b->keys[k].ptr;
            /* In byte order, a key changed twice once: what Redis's radix
             * tree of a prefix's keys gives. */
            qsort(b->keys, b->n, sizeof(*b->keys), tr__key_cmp);
            size_t w = 0;
            for (size_t k = 0; k < b->n; k++)
                if (w == 0 || tr__key_cmp(&b->keys[w - 1], &b->keys[k]) != 0)
                    b->keys[w++] = b->keys[k];
            tr__send_keys(b->c, b->keys, w);
        }
        mem_free(b->keys);
        mem_free(b->text);
    }
    pthread_mutex_unlock(&tr__lock);
    /* Given back: a thread-local array must not outlive its thread. */
    mem_free(tr__batches);
    tr__batches = NULL;
    tr__nbatches = tr__capbatches = 0;
}

/* ---- the key table (tr__lock held) ---- */

static struct tkey **tr__find(const char *key, size_t len)
{
    if (tr__nbuckets == 0) return NULL;
    struct tkey **link = &tr__buckets[util_hash(key, len) & (tr__nbuckets - 1)];
    while (*link && !((*link)->len == len && memcmp((*link)->key, key, len) == 0))
        link = &(*link)->next;
    return link;
}

static void tr__grow(void)
{
    size_t n = tr__nbuckets ? tr__nbuckets * 2 : 256;
    struct tkey **b = mem_calloc(n * sizeof(*b));
    for (size_t i = 0; i < tr__nbuckets; i++) {
        struct tkey *k = tr__buckets[i];
        while (k) {
            struct tkey *next = k->next;
            size_t idx = util_hash(k->key, k->len) & (n - 1);
            k->next = b[idx];
            b[idx] = k;
            k = next;
        }
    }
    mem_free(tr__buckets);
    tr__buckets = b;
    tr__nbuckets = n;
}

static void tr__remember(struct client *c, const char *key, size_t len)
{
    if (tr__nkeys >= tr__nbuckets) tr__grow();
    struct tkey **link = tr__find(key, len);
    struct tkey *k = *link;
    if (k == NULL) {
        k = mem_calloc(sizeof(*k) + len);
        k->len = len;
        memcpy(k->key, key, len);
        *link = k;
        tr__nkeys++;
    }
    for (size_t i = 0; i < k->nsubs; i++)
        if (k->subs[i] == c) return;
    if (k->nsubs == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 2;
        k->subs = mem_realloc(k->subs, k->cap * sizeof(*k->subs));
    }
    k->subs[k->nsubs++] = c;
}

static void tr__free_key(struct tkey *k)
{
    mem_free(k->subs);
    mem_free(k);
}

/* Removes c from every key (and keys left without readers). */
static void tr__forget_client(struct client *c)
{
    for (size_t b = 0; b < tr__nbuckets; b++) {
        struct tkey **link = &tr__buckets[b];
        while (*link) {
            struct tkey *k = *link;
            for (size_t i = 0; i < k->nsubs; i++) {
                if (k->subs[i] == c) {
                    k->subs[i] = k->subs[--k->nsubs];
                    break;
                }
            }
            if (k->nsubs == 0) {
                *link = k->next;
                tr__free_key(k);
                tr__nkeys--;
            } else {
                link = &k->next;
            }
        }
    }
}

/* Puts c on the list of tracking clients and installs the key-change
 * hook with the first one. */
static void tr__enable(struct client *c)
{
    if (tr__nclients == tr__capclients) {
        tr__capclients = tr__capclients ? tr__capclients * 2 : 8;
        tr__clients = mem_realloc(tr__clients, tr__capclients * sizeof(*tr__clients));
    }
    tr__clients[tr__nclients++] = c;
    __atomic_store_n(&tr__active, (int)tr__nclients, __ATOMIC_RELAXED);
    db_set_changed_hook(tracking_key_changed);
}

/* Tracking off for c (on c's thread): its keys, prefixes, redirect and
 * CLIENT CACHING state go. */
static void tr__disable(struct client *c)
{
    tr__forget_client(c);
    for (size_t i = 0; i < tr__nclients; i++) {
        if (tr__clients[i] == c) {
            tr__clients[i] = tr__clients[--tr__nclients];
            break;
        }
    }
    __atomic_store_n(&tr__active, (int)tr__nclients, __ATOMIC_RELAXED);
    if (tr__nclients == 0) db_set_changed_hook(NULL);
    for (size_t i = 0; i < c->ntrack_prefixes; i++) mem_free(c->track_prefixes[i]);
    mem_free(c->track_prefixes);
    c->track_prefixes = NULL;
    c->ntrack_prefixes = 0;
    c->tracking = 0;
    c->tracking_caching = 0;
    __atomic_store_n(&c->tracking_redir_broken, 0, __ATOMIC_RELAXED);
    c->tracking_redirect = NULL;
    c->tracking_redirect_id = 0;
}

/* ---- prefixes (BCAST) ---- */

/* Byte order, a prefix before its extensions: the order Redis lists
 * them in (its prefix tree's). */
static int tr__prefix_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    int r = memcmp(a, b, alen < blen ? alen : blen);
    if (r != 0) return r;
    return alen < blen ? -1 : alen > blen;
}

/* Adds p to c's sorted prefixes, unless it is there already. They are
 * kept as C strings (matching uses strlen): a NUL byte ends one. */
static void tr__prefix_add(struct client *c, const char *p, size_t len)
{
    len = strnlen(p, len);
    size_t at = 0;
    while (at < c->ntrack_prefixes) {
        const char *q = c->track_prefixes[at];
        int r = tr__prefix_cmp(q, strlen(q), p, len);
        if (r == 0) return;
        if (r > 0) break;
        at++;
    }
    c->track_prefixes =
        mem_realloc(c->track_prefixes, (c->ntrack_prefixes + 1) * sizeof(*c->track_prefixes));
    memmove(c->track_prefixes + at + 1, c->track_prefixes + at,
            (c->ntrack_prefixes - at) * sizeof(*c->track_prefixes));
    c->track_prefixes[at] = mem_strndup(p, len);
    c->ntrack_prefixes++;
}

/* ---- hooks ---- */

/* CLIENT CACHING yes/no covers the next command, or the next
 * transaction: as in Redis, the flag outlives CLIENT subcommands (CLIENT
 * CACHING itself, CLIENT TRACKINGINFO that reports it, ...) and every
 * command while a MULTI is open, EXEC's queued ones included. */
static void tr__caching_done(struct client *c, const struct command *cmd)
{
    if (c->in_multi) return;
    if (cmd && cmd->parent && strcmp(cmd->parent->name, "client") == 0) return;
    c->tracking_caching = 0;
}

/* Remembers for owner the keys cmd reads in argv, by owner's tracking
 * mode t and its CLIENT CACHING answer for this request. */
static void tr__remember_keys(struct client *owner, unsigned t, int caching,
                              const struct command *cmd, const struct arg *argv, size_t argc)
{
    if (!(t & TRACK_ON) || (t & TRACK_BCAST) || !(cmd->flags & CMD_READONLY) || cmd->first_key <= 0)
        return;
    if ((t & TRACK_OPTIN) && !caching) return;
    if ((t & TRACK_OPTOUT) && caching) return;
    int last = cmd->last_key < 0 ? (int)argc + cmd->last_key : cmd->last_key;
    pthread_mutex_lock(&tr__lock);
    for (int j = cmd->first_key; j <= last && j < (int)argc; j += cmd->key_step)
        tr__remember(owner, argv[j].ptr, argv[j].len);
    pthread_mutex_unlock(&tr__lock);
}

/* After a command of c ran: remembers its keys if it read some, and ends
 * CLIENT CACHING's one-command window. */
static void tr__after_command(struct client *c, const struct command *cmd)
{
    int caching = c->tracking_caching;
    if (caching) tr__caching_done(c, cmd);
    tr__remember_keys(c, c->tracking, caching, cmd, c->argv, c->argc);
}

/* A command a script of owner's ran read keys in argv: they count as
 * owner's reads, as in Redis. */
static void tr__script_command(struct client *owner, const struct command *cmd,
                               const struct arg *argv, size_t argc)
{
    tr__remember_keys(owner, owner->tracking, owner->tracking_caching, cmd, argv, argc);
}

/* A command of c was refused before running (cmd NULL: unknown): it ends
 * CLIENT CACHING's window too. */
static void tr__command_refused(struct client *c, const struct command *cmd)
{
    tr__caching_done(c, cmd);
}

void tracking_key_changed(int dbid, const char *key, size_t len)
{
    (void)dbid; /* Redis tracks key names across databases too */
    if (__atomic_load_n(&tr__active, __ATOMIC_RELAXED) == 0) return;
    pthread_mutex_lock(&tr__lock);
    struct tkey **link = tr__find(key, len);
    if (link && *link) {
        struct tkey *k = *link;
        *link = k->next;
        tr__nkeys--;
        for (size_t i = 0; i < k->nsubs; i++) {
            struct client *c = k->subs[i];
            if ((c->tracking & TRACK_NOLOOP) && c == call_current()) continue;
            tr__send(c, key, len);
        }
        tr__free_key(k);
    }
    for (size_t i = 0; i < tr__nclients; i++) {
        struct client *c = tr__clients[i];
        if (!(c->tracking & TRACK_BCAST)) continue;
        if ((c->tracking & TRACK_NOLOOP) && c == call_current()) continue;
        for (size_t p = 0; p < c->ntrack_prefixes; p++) {
            size_t plen = strlen(c->track_prefixes[p]);
            if (plen <= len && memcmp(c->track_prefixes[p], key, plen) == 0) {
                tr__batch_add(c, p, key, len);
                break;
            }
        }
    }
    pthread_mutex_unlock(&tr__lock);
}

void tracking_flush(void)
{
    if (__atomic_load_n(&tr__active, __ATOMIC_RELAXED) == 0) return;
    pthread_mutex_lock(&tr__lock);
    for (size_t i = 0; i < tr__nclients; i++) tr__send(tr__clients[i], NULL, 0);
    for (size_t b = 0; b < tr__nbuckets; b++) {
        while (tr__buckets[b]) {
            struct tkey *k = tr__buckets[b];
            tr__buckets[b] = k->next;
            tr__free_key(k);
        }
    }
    tr__nkeys = 0;
    pthread_mutex_unlock(&tr__lock);
}

/* Called once c is off its thread's client list, so no CLIENT TRACKING
 * REDIRECT can find it any more; one that found it before set
 * tracking_targeted under that list's lock, which the unlink took after
 * it, so the flag is seen here. A client nobody tracks and nobody named
 * costs no lock. */
void tracking_client_gone(struct client *c)
{
    if (!(c->tracking & TRACK_ON) && !c->tracking_targeted) return;
    pthread_mutex_lock(&tr__lock);
    if (c->tracking & TRACK_ON) tr__disable(c);
    if (c->tracking_targeted) {
        /* Their redirects break: the id stays, the target goes. */
        for (size_t i = 0; i < tr__nclients; i++)
            if (tr__clients[i]->tracking_redirect == c) tr__clients[i]->tracking_redirect = NULL;
    }
    pthread_mutex_unlock(&tr__lock);
}

/* ---- CLIENT TRACKING ---- */

struct tr__finder {
    uint64_t id;
    struct client *found;
    int target; /* mark the client found as a REDIRECT target */
};

/* Under o's thread's client-list lock. */
static void tr__find_client(struct client *o, void *arg)
{
    struct tr__finder *f = arg;
    if (o->id != f->id) return;
    f->found = o;
    if (f->target) o->tracking_targeted = 1;
}

int tracking_target_exists(struct client *c, uint64_t id)
{
    if (id == c->id) return 1;
    struct tr__finder f = {id, NULL, 0};
    client_each(tr__find_client, &f);
    return f.found != NULL;
}

/* The client a REDIRECT names (c itself is allowed), or NULL. Called
 * with tr__lock held, so the target cannot run tracking_client_gone
 * between this lookup and the redirect being stored. */
static struct client *tr__redirect_target(struct client *c, uint64_t id)
{
    if (id == c->id) return c;
    struct tr__finder f = {id, NULL, 1};
    client_each(tr__find_client, &f);
    return f.found;
}

int tracking_on(struct client *c, unsigned flags, uint64_t redirect_id, const struct arg *prefixes,
                size_t nprefix)
{
    pthread_mutex_lock(&tr__lock);
    struct client *target = NULL;
    if (redirect_id && (target = tr__redirect_target(c, redirect_id)) == NULL) {
        pthread_mutex_unlock(&tr__lock);
        return -1;
    }
    /* On again: the mode, redirect and NOLOOP are replaced (a broken
     * redirect is forgotten), BCAST prefixes add up, CLIENT CACHING's
     * flag stays. */
    if (!(c->tracking & TRACK_ON)) tr__enable(c);
    c->tracking = TRACK_ON | flags;
    c->tracking_redirect = target;
    c->tracking_redirect_id = redirect_id;
    __atomic_store_n(&c->tracking_redir_broken, 0, __ATOMIC_RELAXED);
    if (flags & TRACK_BCAST) {
        if (nprefix == 0) tr__prefix_add(c, "", 0); /* BCAST alone: every key */
        for (size_t i = 0; i < nprefix; i++) tr__prefix_add(c, prefixes[i].ptr, prefixes[i].len);
    }
    pthread_mutex_unlock(&tr__lock);
    return 0;
}

void tracking_off(struct client *c)
{
    if (!(c->tracking & TRACK_ON)) return;
    pthread_mutex_lock(&tr__lock);
    tr__disable(c);
    pthread_mutex_unlock(&tr__lock);
}

int tracking_redirect_broken(struct client *c)
{
    return __atomic_load_n(&c->tracking_redir_broken, __ATOMIC_RELAXED);
}

void tracking_setup(void)
{
    call_hook_tracking(tr__after_command, tr__command_refused, tr__script_command);
    client_on_flush(tracking_flush_bcast);
    client_on_gone(tracking_client_gone);
}

static int tr__cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void tracking_stats(struct tracking_stats *st)
{
    memset(st, 0, sizeof(*st));
    pthread_mutex_lock(&tr__lock);
    st->clients = tr__nclients;
    st->keys = tr__nkeys;
    for (size_t i = 0; i < tr__nbuckets; i++)
        for (struct tkey *k = tr__buckets[i]; k; k = k->next) st->items += k->nsubs;
    /* Distinct prefixes: every client's, sorted, repeats skipped (the
     * strings are the clients': read under the lock). */
    size_t n = 0;
    for (size_t i = 0; i < tr__nclients; i++) n += tr__clients[i]->ntrack_prefixes;
    if (n) {
        char **all = mem_alloc(n * sizeof(*all));
        n = 0;
        for (size_t i = 0; i < tr__nclients; i++)
            for (size_t j = 0; j < tr__clients[i]->ntrack_prefixes; j++)
                all[n++] = tr__clients[i]->track_prefixes[j];
        qsort(all, n, sizeof(*all), tr__cmp_str);
        for (size_t i = 0; i < n; i++)
            if (i == 0 || strcmp(all[i], all[i - 1]) != 0) st->prefixes++;
        mem_free(all);
    }
    pthread_mutex_unlock(&tr__lock);
}

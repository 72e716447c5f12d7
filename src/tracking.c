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
 * other threads read (redirect target, prefixes). Clients are kept by
 * pointer and removed from everything before they are freed, so an
 * invalidation never reaches a freed client. Delivery goes through
 * pubsub_send, which works across threads. */
#include "tracking.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "cmd.h"
#include "command.h"
#include "db.h"
#include "mem.h"
#include "net.h"
#include "pubsub.h"
#include "reply.h"
#include "util.h"

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
_Thread_local struct client *tracking_current;

/* ---- messages ---- */

/* The invalidation of key (NULL: everything) for tracking client c. */
static void tr__send(struct client *c, const char *key, size_t len)
{
    struct client *target = c->tracking_redirect ? c->tracking_redirect : c;
    int resp3 = CLIENT_PUB_GET(target, resp) >= 3;
    if (!resp3 && target == c) return; /* RESP2 without REDIRECT: nowhere to send */
    char head[96];
    int n = resp3 ? snprintf(head, sizeof(head), ">2\r\n$10\r\ninvalidate\r\n")
                  : snprintf(head, sizeof(head),
                             "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n");
    size_t total = (size_t)n + (key ? 32 + len : 8);
    char stack[512];
    char *buf = total <= sizeof(stack) ? stack : mem_alloc(total);
    memcpy(buf, head, (size_t)n);
    size_t off = (size_t)n;
    if (key) {
        off += (size_t)snprintf(buf + off, total - off, "*1\r\n$%zu\r\n", len);
        memcpy(buf + off, key, len);
        off += len;
        memcpy(buf + off, "\r\n", 2);
        off += 2;
    } else {
        memcpy(buf + off, resp3 ? "_\r\n" : "$-1\r\n", resp3 ? 3 : 5);
        off += resp3 ? 3 : 5;
    }
    pubsub_send(target, buf, off);
    if (buf != stack) mem_free(buf);
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
    c->tracking_redirect = NULL;
    c->tracking_redirect_id = 0;
}

/* ---- hooks ---- */

void tracking_after_command(struct client *c, const struct command *cmd)
{
    unsigned t = c->tracking;
    if (c->tracking_caching_keep)
        c->tracking_caching_keep = 0; /* CLIENT CACHING itself: keep it for the next one */
    else
        c->tracking &= ~(TRACK_CACHING_YES | TRACK_CACHING_NO);
    if (!(t & TRACK_ON) || (t & TRACK_BCAST) || !(cmd->flags & CMD_READONLY) || cmd->first_key <= 0)
        return;
    if ((t & TRACK_OPTIN) && !(t & TRACK_CACHING_YES)) return;
    if ((t & TRACK_OPTOUT) && (t & TRACK_CACHING_NO)) return;
    int last = cmd->last_key < 0 ? (int)c->argc + cmd->last_key : cmd->last_key;
    pthread_mutex_lock(&tr__lock);
    for (int j = cmd->first_key; j <= last && j < (int)c->argc; j += cmd->key_step)
        tr__remember(c, c->argv[j].ptr, c->argv[j].len);
    pthread_mutex_unlock(&tr__lock);
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
            if ((c->tracking & TRACK_NOLOOP) && c == tracking_current) continue;
            tr__send(c, key, len);
        }
        tr__free_key(k);
    }
    for (size_t i = 0; i < tr__nclients; i++) {
        struct client *c = tr__clients[i];
        if (!(c->tracking & TRACK_BCAST)) continue;
        if ((c->tracking & TRACK_NOLOOP) && c == tracking_current) continue;
        for (size_t p = 0; p < c->ntrack_prefixes; p++) {
            size_t plen = strlen(c->track_prefixes[p]);
            if (plen <= len && memcmp(c->track_prefixes[p], key, plen) == 0) {
                tr__send(c, key, len);
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

void tracking_client_gone(struct client *c)
{
    pthread_mutex_lock(&tr__lock);
    if (c->tracking & TRACK_ON) tr__disable(c);
    /* Clients redirecting to c lose their target. */
    for (size_t i = 0; i < tr__nclients; i++)
        if (tr__clients[i]->tracking_redirect == c) tr__clients[i]->tracking_redirect = NULL;
    pthread_mutex_unlock(&tr__lock);
}

/* ---- commands ---- */

struct tr__finder {
    uint64_t id;
    struct client *found;
};

static void tr__find_client(struct client *o, void *arg)
{
    struct tr__finder *f = arg;
    if (o->id == f->id) f->found = o;
}

/* CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN]
 * [OPTOUT] [NOLOOP] */
void cmd_client_tracking(struct client *c)
{
    const struct arg *mode = &c->argv[2];
    unsigned flags = 0;
    long long redirect = 0;
    size_t nprefix = 0, first_prefix = 0;
    for (size_t j = 3; j < c->argc; j++) {
        const struct arg *a = &c->argv[j];
        int more = j + 1 < c->argc;
        if (arg_is(a, "redirect") && more) {
            if (arg_ll_or_reply(c, &c->argv[++j], &redirect, NULL) != 0) return;
        } else if (arg_is(a, "bcast")) {
            flags |= TRACK_BCAST;
        } else if (arg_is(a, "optin")) {
            flags |= TRACK_OPTIN;
        } else if (arg_is(a, "optout")) {
            flags |= TRACK_OPTOUT;
        } else if (arg_is(a, "noloop")) {
            flags |= TRACK_NOLOOP;
        } else if (arg_is(a, "prefix") && more) {
            if (nprefix == 0) first_prefix = j + 1;
            nprefix++;
            j++;
        } else {
            reply_error(c, REPLY_ERR_SYNTAX);
            return;
        }
    }
    if (arg_is(mode, "off")) {
        pthread_mutex_lock(&tr__lock);
        if (c->tracking & TRACK_ON) tr__disable(c);
        pthread_mutex_unlock(&tr__lock);
        reply_ok(c);
        return;
    }
    if (!arg_is(mode, "on")) {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    if (nprefix && !(flags & TRACK_BCAST)) {
        reply_error(c, "ERR PREFIX option requires BCAST mode to be enabled");
        return;
    }
    if ((flags & TRACK_OPTIN) && (flags & TRACK_OPTOUT)) {
        reply_error(c, "ERR You can't specify both OPTIN mode and OPTOUT mode");
        return;
    }
    if ((flags & TRACK_BCAST) && (flags & (TRACK_OPTIN | TRACK_OPTOUT))) {
        reply_error(c, "ERR OPTIN and OPTOUT are not compatible with BCAST");
        return;
    }
    if ((c->tracking & TRACK_ON) && (c->tracking & TRACK_BCAST) != (flags & TRACK_BCAST)) {
        reply_error(c, "ERR You can't switch BCAST mode on/off before disabling tracking for "
                       "this client, and then re-enabling it with a different mode.");
        return;
    }
    struct tr__finder f = {(uint64_t)redirect, NULL};
    if (redirect) {
        if ((uint64_t)redirect != c->id) net_clients_each(tr__find_client, &f);
        if (f.found == NULL) {
            reply_error(c, "ERR The client ID you want redirect to does not exist");
            return;
        }
    }
    pthread_mutex_lock(&tr__lock);
    if (!(c->tracking & TRACK_ON)) {
        if (tr__nclients == tr__capclients) {
            tr__capclients = tr__capclients ? tr__capclients * 2 : 8;
            tr__clients = mem_realloc(tr__clients, tr__capclients * sizeof(*tr__clients));
        }
        tr__clients[tr__nclients++] = c;
        __atomic_store_n(&tr__active, (int)tr__nclients, __ATOMIC_RELAXED);
        db_set_changed_hook(tracking_key_changed);
    }
    c->tracking = TRACK_ON | flags;
    c->tracking_redirect = f.found;
    c->tracking_redirect_id = (uint64_t)redirect;
    for (size_t p = 0, j = first_prefix; p < nprefix; p++, j += 2) {
        c->track_prefixes =
            mem_realloc(c->track_prefixes, (c->ntrack_prefixes + 1) * sizeof(char *));
        c->track_prefixes[c->ntrack_prefixes++] = mem_strndup(c->argv[j].ptr, c->argv[j].len);
    }
    pthread_mutex_unlock(&tr__lock);
    reply_ok(c);
}

void cmd_client_caching(struct client *c)
{
    const struct arg *a = &c->argv[2];
    if (!(c->tracking & TRACK_ON) || !(c->tracking & (TRACK_OPTIN | TRACK_OPTOUT))) {
        reply_error(c, "ERR CLIENT CACHING can be called only when the client is in tracking "
                       "mode with OPTIN or OPTOUT mode enabled");
        return;
    }
    if (arg_is(a, "yes")) {
        if (!(c->tracking & TRACK_OPTIN)) {
            reply_error(c, "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN "
                           "mode.");
            return;
        }
        c->tracking |= TRACK_CACHING_YES;
    } else if (arg_is(a, "no")) {
        if (!(c->tracking & TRACK_OPTOUT)) {
            reply_error(c, "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT "
                           "mode.");
            return;
        }
        c->tracking |= TRACK_CACHING_NO;
    } else {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    /* The flag must survive until the next command: this command's own
     * tracking_after_command would clear it. */
    c->tracking_caching_keep = 1;
    reply_ok(c);
}

void cmd_client_getredir(struct client *c)
{
    if (!(c->tracking & TRACK_ON))
        reply_long(c, -1);
    else
        reply_long(c, (long long)c->tracking_redirect_id);
}

/* pubsub.c - publish/subscribe with Redis's replies and push messages.
 *
 * One registry for the whole server: channels in a chained hash table of
 * their own, each with its subscribers; patterns in a list matched on
 * every publish (as Redis does). One mutex guards the registry and every
 * client's inbox. PUBLISH writes a message straight to a subscriber on
 * its own thread; for one on another thread it appends the encoded
 * message to the subscriber's inbox, lists the subscriber as pending on
 * its thread and wakes that thread, which writes it out. A client
 * unsubscribes from everything (under the mutex) before it is freed, so a
 * publisher never sees a freed subscriber, and only the owner thread takes
 * a client off its pending list.
 *
 * A subscriber that does not read is disconnected by
 * client-output-buffer-limit's pubsub class (32 MB hard, or 8 MB for 60
 * s, by default) instead of growing without bound. */
#include "pubsub.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "cmd.h"
#include "command.h"
#include "config.h"
#include "db.h"
#include "mem.h"
#include "net.h"
#include "reply.h"
#include "util.h"
#include "worker.h"

struct channel {
    struct channel *next;
    struct client **subs;
    size_t nsubs, cap;
    size_t len;
    char name[];
};

struct pattern {
    struct pattern *next;
    struct client *client;
    size_t len;
    char text[];
};

static pthread_mutex_t ps__lock = PTHREAD_MUTEX_INITIALIZER;
_Thread_local int pubsub_local_pending;
static struct channel **ps__buckets;
static size_t ps__nbuckets, ps__nchannels;
static struct pattern *ps__patterns;
static size_t ps__npatterns; /* subscriptions (client, pattern) */
/* Per thread (indexed by worker id): clients with inbox bytes. */
#define PS_MAX_THREADS 128
static struct client *ps__pending[PS_MAX_THREADS];

int pubsub_allowed_when_subscribed(const char *name)
{
    static const char *const ok[] = {
        "subscribe",    "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe",
        "sunsubscribe", "ping",        "quit",       "reset",        NULL};
    for (int i = 0; ok[i]; i++)
        if (strcmp(ok[i], name) == 0) return 1;
    return 0;
}

int pubsub_is_subscribed(const struct client *c)
{
    return c->nchannels + c->npatterns > 0;
}

/* ---- registry (ps__lock held) ---- */

static struct channel **ps__find(const char *name, size_t len)
{
    if (ps__nbuckets == 0) return NULL;
    struct channel **link = &ps__buckets[util_hash(name, len) & (ps__nbuckets - 1)];
    while (*link && !((*link)->len == len && memcmp((*link)->name, name, len) == 0))
        link = &(*link)->next;
    return link;
}

static void ps__grow(void)
{
    size_t n = ps__nbuckets ? ps__nbuckets * 2 : 64;
    struct channel **b = mem_calloc(n * sizeof(*b));
    for (size_t i = 0; i < ps__nbuckets; i++) {
        struct channel *ch = ps__buckets[i];
        while (ch) {
            struct channel *next = ch->next;
            size_t k = util_hash(ch->name, ch->len) & (n - 1);
            ch->next = b[k];
            b[k] = ch;
            ch = next;
        }
    }
    mem_free(ps__buckets);
    ps__buckets = b;
    ps__nbuckets = n;
}

static void ps__add_sub(const char *name, size_t len, struct client *c)
{
    if (ps__nchannels >= ps__nbuckets) ps__grow();
    struct channel **link = ps__find(name, len);
    struct channel *ch = *link;
    if (ch == NULL) {
        ch = mem_calloc(sizeof(*ch) + len);
        ch->len = len;
        memcpy(ch->name, name, len);
        *link = ch;
        ps__nchannels++;
    }
    if (ch->nsubs == ch->cap) {
        ch->cap = ch->cap ? ch->cap * 2 : 4;
        ch->subs = mem_realloc(ch->subs, ch->cap * sizeof(*ch->subs));
    }
    ch->subs[ch->nsubs++] = c;
}

static void ps__del_sub(const char *name, size_t len, struct client *c)
{
    struct channel **link = ps__find(name, len);
    if (link == NULL || *link == NULL) return;
    struct channel *ch = *link;
    for (size_t i = 0; i < ch->nsubs; i++) {
        if (ch->subs[i] == c) {
            ch->subs[i] = ch->subs[--ch->nsubs];
            break;
        }
    }
    if (ch->nsubs == 0) {
        *link = ch->next;
        mem_free(ch->subs);
        mem_free(ch);
        ps__nchannels--;
    }
}

/* ---- the client's own lists ---- */

static int ps__client_has(char **list, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && memcmp(list[i], name, len) == 0) return (int)i;
    return -1;
}

/* Channel and pattern names may hold any bytes but NUL is rare; names are
 * kept as length-prefixed copies to stay binary safe. */
static char *ps__dup(const char *p, size_t len)
{
    return mem_strndup(p, len);
}

/* ---- replies ---- */

static void ps__reply_sub(struct client *c, const char *kind, const char *name, size_t len,
                          int null_name)
{
    if (c->resp >= 3)
        reply_raw(c, ">3\r\n", 4);
    else
        reply_array(c, 3);
    reply_bulk_cstr(c, kind);
    if (null_name)
        reply_null(c);
    else
        reply_bulk(c, name, len);
    reply_long(c, (long long)(c->nchannels + c->npatterns));
}

static void ps__subscribe(struct client *c, int pattern)
{
    for (size_t j = 1; j < c->argc; j++) {
        const struct arg *a = &c->argv[j];
        pthread_mutex_lock(&ps__lock);
        if (!pattern) {
            if (ps__client_has(c->channels, c->nchannels, a->ptr, a->len) < 0) {
                if (c->nchannels == c->capchannels) {
                    c->capchannels = c->capchannels ? c->capchannels * 2 : 4;
                    c->channels = mem_realloc(c->channels, c->capchannels * sizeof(char *));
                }
                c->channels[c->nchannels++] = ps__dup(a->ptr, a->len);
                ps__add_sub(a->ptr, a->len, c);
            }
        } else if (ps__client_has(c->patterns, c->npatterns, a->ptr, a->len) < 0) {
            if (c->npatterns == c->cappatterns) {
                c->cappatterns = c->cappatterns ? c->cappatterns * 2 : 4;
                c->patterns = mem_realloc(c->patterns, c->cappatterns * sizeof(char *));
            }
            c->patterns[c->npatterns++] = ps__dup(a->ptr, a->len);
            struct pattern *p = mem_alloc(sizeof(*p) + a->len);
            p->client = c;
            p->len = a->len;
            memcpy(p->text, a->ptr, a->len);
            p->next = ps__patterns;
            ps__patterns = p;
            ps__npatterns++;
        }
        pthread_mutex_unlock(&ps__lock);
        ps__reply_sub(c, pattern ? "psubscribe" : "subscribe", a->ptr, a->len, 0);
    }
}

static void ps__unsub_one(struct client *c, int pattern, size_t idx)
{
    if (!pattern) {
        char *name = c->channels[idx];
        ps__del_sub(name, strlen(name), c);
        c->channels[idx] = c->channels[--c->nchannels];
        mem_free(name);
        return;
    }
    char *text = c->patterns[idx];
    size_t len = strlen(text);
    for (struct pattern **link = &ps__patterns; *link; link = &(*link)->next) {
        struct pattern *p = *link;
        if (p->client == c && p->len == len && memcmp(p->text, text, len) == 0) {
            *link = p->next;
            mem_free(p);
            ps__npatterns--;
            break;
        }
    }
    c->patterns[idx] = c->patterns[--c->npatterns];
    mem_free(text);
}

static void ps__unsubscribe(struct client *c, int pattern)
{
    const char *kind = pattern ? "punsubscribe" : "unsubscribe";
    char ***list = pattern ? &c->patterns : &c->channels;
    size_t *n = pattern ? &c->npatterns : &c->nchannels;
    if (c->argc == 1) {
        if (*n == 0) {
            ps__reply_sub(c, kind, NULL, 0, 1);
            return;
        }
        while (*n > 0) {
            char *name = mem_strndup((*list)[*n - 1], strlen((*list)[*n - 1]));
            pthread_mutex_lock(&ps__lock);
            ps__unsub_one(c, pattern, *n - 1);
            pthread_mutex_unlock(&ps__lock);
            ps__reply_sub(c, kind, name, strlen(name), 0);
            mem_free(name);
        }
        return;
    }
    for (size_t j = 1; j < c->argc; j++) {
        const struct arg *a = &c->argv[j];
        pthread_mutex_lock(&ps__lock);
        int idx = ps__client_has(*list, *n, a->ptr, a->len);
        if (idx >= 0) ps__unsub_one(c, pattern, (size_t)idx);
        pthread_mutex_unlock(&ps__lock);
        ps__reply_sub(c, kind, a->ptr, a->len, 0);
    }
}

void pubsub_unsubscribe_all(struct client *c)
{
    pthread_mutex_lock(&ps__lock);
    while (c->nchannels) ps__unsub_one(c, 0, c->nchannels - 1);
    while (c->npatterns) ps__unsub_one(c, 1, c->npatterns - 1);
    /* Off this thread's pending list (only the owner thread gets here). */
    int w = worker_id(worker_self());
    for (struct client **link = &ps__pending[w]; *link; link = &(*link)->inbox_next) {
        if (*link == c) {
            *link = c->inbox_next;
            break;
        }
    }
    c->inbox_pending = 0;
    pthread_mutex_unlock(&ps__lock);
    mem_free(c->channels);
    mem_free(c->patterns);
    mem_free(c->inbox);
    c->channels = c->patterns = NULL;
    c->capchannels = c->cappatterns = 0;
    c->inbox = NULL;
    c->inbox_len = c->inbox_cap = 0;
}

/* ---- delivery ---- */

/* The message as the subscriber's protocol frames it. */
static size_t ps__encode(char *out, size_t cap, int resp3, const struct pattern *p, const char *ch,
                         size_t clen, const char *msg, size_t mlen)
{
    size_t need = 96 + clen + mlen + (p ? p->len : 0);
    if (out == NULL || need > cap) return need;
    int n;
    if (p)
        n = snprintf(out, cap, "%c4\r\n$8\r\npmessage\r\n$%zu\r\n", resp3 ? '>' : '*', p->len);
    else
        n = snprintf(out, cap, "%c3\r\n$7\r\nmessage\r\n", resp3 ? '>' : '*');
    size_t len = (size_t)n;
    if (p) {
        memcpy(out + len, p->text, p->len);
        len += p->len;
        memcpy(out + len, "\r\n", 2);
        len += 2;
    }
    len += (size_t)snprintf(out + len, cap - len, "$%zu\r\n", clen);
    memcpy(out + len, ch, clen);
    len += clen;
    len += (size_t)snprintf(out + len, cap - len, "\r\n$%zu\r\n", mlen);
    memcpy(out + len, msg, mlen);
    len += mlen;
    memcpy(out + len, "\r\n", 2);
    return len + 2;
}

/* client-output-buffer-limit pubsub: hard limit, or soft limit held for
 * the configured seconds. Owner-thread view of its backlog. */
static int ps__over_limit(struct client *c, size_t pending)
{
    long long hard = CFG(pubsub_hard_limit), soft = CFG(pubsub_soft_limit);
    long long secs = CFG(pubsub_soft_seconds);
    if (hard && (long long)pending > hard) return 1;
    if (soft && (long long)pending > soft) {
        long long now = util_mstime();
        if (c->pubsub_soft_since == 0)
            c->pubsub_soft_since = now;
        else if (now - c->pubsub_soft_since >= secs * 1000)
            return 1;
    } else {
        c->pubsub_soft_since = 0;
    }
    return 0;
}

static void ps__deliver_local(struct client *c, const char *bytes, size_t len)
{
    if (c->flags & (CLIENT_CLOSING | CLIENT_KILLED | CLIENT_CLOSE_AFTER_REPLY)) return;
    if (ps__over_limit(c, c->out_bytes + len)) {
        net_close_client(c, 0);
        return;
    }
    net_write(c, bytes, len);
}

struct ps__wakes {
    struct worker *w[PS_MAX_THREADS];
    int n;
};

/* Appends the message to c's inbox and lists c as pending on its thread
 * (ps__lock held). */
static void ps__enqueue(struct client *c, const struct pattern *p, const char *channel, size_t clen,
                        const char *msg, size_t mlen, struct ps__wakes *wakes)
{
    int resp3 = CLIENT_PUB_GET(c, resp) >= 3;
    size_t need = ps__encode(NULL, 0, resp3, p, channel, clen, msg, mlen);
    if (c->inbox_len + need > c->inbox_cap) {
        c->inbox_cap = (c->inbox_len + need) * 2;
        c->inbox = mem_realloc(c->inbox, c->inbox_cap);
    }
    c->inbox_len += ps__encode(c->inbox + c->inbox_len, need, resp3, p, channel, clen, msg, mlen);
    if (c->inbox_pending) return;
    struct worker *w = net_client_worker(c);
    int id = worker_id(w);
    c->inbox_pending = 1;
    c->inbox_next = ps__pending[id];
    ps__pending[id] = c;
    if (w == worker_self()) return;
    for (int k = 0; k < wakes->n; k++)
        if (wakes->w[k] == w) return;
    if (wakes->n < PS_MAX_THREADS) wakes->w[wakes->n++] = w;
}

long long pubsub_publish(const char *channel, size_t clen, const char *msg, size_t mlen)
{
    long long receivers = 0;
    struct ps__wakes wakes = {{0}, 0};
    pthread_mutex_lock(&ps__lock);
    struct channel **link = ps__find(channel, clen);
    struct channel *ch = link ? *link : NULL;
    for (size_t i = 0; ch && i < ch->nsubs; i++, receivers++)
        ps__enqueue(ch->subs[i], NULL, channel, clen, msg, mlen, &wakes);
    for (struct pattern *p = ps__patterns; p; p = p->next) {
        if (!util_glob_match(p->text, p->len, channel, clen, 0)) continue;
        ps__enqueue(p->client, p, channel, clen, msg, mlen, &wakes);
        receivers++;
    }
    pthread_mutex_unlock(&ps__lock);
    for (int k = 0; k < wakes.n; k++) worker_wake(wakes.w[k]);
    /* This thread's own subscribers are written now. */
    pubsub_flush_thread();
    return receivers;
}

/* Queues bytes in c's inbox; with only_subscribed, only if c is
 * subscribed to a channel or pattern (checked under ps__lock, which
 * guards those counts). Returns whether they were queued. */
static int ps__send(struct client *c, const char *bytes, size_t len, int only_subscribed)
{
    struct worker *w = net_client_worker(c);
    int wake = 0;
    pthread_mutex_lock(&ps__lock);
    if (only_subscribed && c->nchannels + c->npatterns == 0) {
        pthread_mutex_unlock(&ps__lock);
        return 0;
    }
    if (c->inbox_len + len > c->inbox_cap) {
        c->inbox_cap = (c->inbox_len + len) * 2;
        c->inbox = mem_realloc(c->inbox, c->inbox_cap);
    }
    memcpy(c->inbox + c->inbox_len, bytes, len);
    c->inbox_len += len;
    if (!c->inbox_pending) {
        int id = worker_id(w);
        c->inbox_pending = 1;
        c->inbox_next = ps__pending[id];
        ps__pending[id] = c;
        wake = w != worker_self();
    }
    pthread_mutex_unlock(&ps__lock);
    if (wake)
        worker_wake(w);
    else
        pubsub_local_pending = 1;
    return 1;
}

void pubsub_send(struct client *c, const char *bytes, size_t len)
{
    ps__send(c, bytes, len, 0);
}

int pubsub_send_if_subscribed(struct client *c, const char *bytes, size_t len)
{
    return ps__send(c, bytes, len, 1);
}

void pubsub_flush_thread(void)
{
    pubsub_local_pending = 0;
    int id = worker_id(worker_self());
    for (;;) {
        pthread_mutex_lock(&ps__lock);
        struct client *c = ps__pending[id];
        if (c == NULL) {
            pthread_mutex_unlock(&ps__lock);
            return;
        }
        ps__pending[id] = c->inbox_next;
        c->inbox_pending = 0;
        char *bytes = c->inbox;
        size_t len = c->inbox_len;
        c->inbox = NULL;
        c->inbox_len = c->inbox_cap = 0;
        pthread_mutex_unlock(&ps__lock);
        /* Only this thread frees its clients, so c is alive here. */
        ps__deliver_local(c, bytes, len);
        mem_free(bytes);
    }
}

/* ---- commands ---- */

void cmd_subscribe(struct client *c)
{
    ps__subscribe(c, 0);
}

void cmd_psubscribe(struct client *c)
{
    ps__subscribe(c, 1);
}

void cmd_unsubscribe(struct client *c)
{
    ps__unsubscribe(c, 0);
}

void cmd_punsubscribe(struct client *c)
{
    ps__unsubscribe(c, 1);
}

void cmd_publish(struct client *c)
{
    reply_long(c, pubsub_publish(c->argv[1].ptr, c->argv[1].len, c->argv[2].ptr, c->argv[2].len));
}

void cmd_pubsub_channels(struct client *c)
{
    const struct arg *pat = c->argc == 3 ? &c->argv[2] : NULL;
    size_t n = 0, cap = 0;
    char **names = NULL;
    size_t *lens = NULL;
    pthread_mutex_lock(&ps__lock);
    for (size_t i = 0; i < ps__nbuckets; i++) {
        for (struct channel *ch = ps__buckets[i]; ch; ch = ch->next) {
            if (pat && !util_glob_match(pat->ptr, pat->len, ch->name, ch->len, 0)) continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 16;
                names = mem_realloc(names, cap * sizeof(*names));
                lens = mem_realloc(lens, cap * sizeof(*lens));
            }
            names[n] = mem_strndup(ch->name, ch->len);
            lens[n++] = ch->len;
        }
    }
    pthread_mutex_unlock(&ps__lock);
    reply_array(c, n);
    for (size_t i = 0; i < n; i++) {
        reply_bulk(c, names[i], lens[i]);
        mem_free(names[i]);
    }
    mem_free(names);
    mem_free(lens);
}

void cmd_pubsub_numsub(struct client *c)
{
    reply_map(c, c->argc - 2);
    for (size_t j = 2; j < c->argc; j++) {
        pthread_mutex_lock(&ps__lock);
        struct channel **link = ps__find(c->argv[j].ptr, c->argv[j].len);
        long long n = link && *link ? (long long)(*link)->nsubs : 0;
        pthread_mutex_unlock(&ps__lock);
        reply_bulk(c, c->argv[j].ptr, c->argv[j].len);
        reply_long(c, n);
    }
}

void cmd_pubsub_numpat(struct client *c)
{
    /* Distinct patterns, as Redis counts them. */
    long long n = 0;
    pthread_mutex_lock(&ps__lock);
    for (struct pattern *p = ps__patterns; p; p = p->next) {
        int dup = 0;
        for (struct pattern *q = ps__patterns; q != p && !dup; q = q->next)
            dup = q->len == p->len && memcmp(q->text, p->text, p->len) == 0;
        if (!dup) n++;
    }
    pthread_mutex_unlock(&ps__lock);
    reply_long(c, n);
}

void cmd_pubsub_help(struct client *c)
{
    static const char *const lines[] = {
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "HELP",
        "    Print this help.",
    };
    size_t n = sizeof(lines) / sizeof(lines[0]);
    reply_array(c, n);
    for (size_t i = 0; i < n; i++) reply_status(c, lines[i]);
}

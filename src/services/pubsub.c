/* pubsub.c - the publish/subscribe registry and publishing.
 *
 * One registry for the whole server: channels in a chained hash table of
 * their own, each with its subscribers; patterns in a list matched on every
 * publish (as Redis does). One mutex, the pub/sub lock, guards the registry
 * and every client's channel and pattern lists. PUBLISH encodes the message
 * in each subscriber's protocol and pushes it (client_push), still under
 * the pub/sub lock: a client unsubscribes from everything (under the lock)
 * before it is freed, so a publisher never sees a freed subscriber, and a
 * push that depends on being subscribed is decided atomically with it. The
 * push lock is taken inside this one, never the other way round.
 *
 * A subscriber that does not read is disconnected by
 * client-output-buffer-limit's pubsub class (32 MB hard, or 8 MB for 60 s,
 * by default) when its pushes are written, instead of growing without
 * bound. */
#include "services/pubsub.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "base/util.h"
#include "client/client.h"

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
static struct channel **ps__buckets;
static size_t ps__nbuckets, ps__nchannels;
static struct pattern *ps__patterns;
static size_t ps__npatterns; /* subscriptions (client, pattern) */

void pubsub_setup(void)
{
    client_on_free(pubsub_unsubscribe_all);
}

size_t pubsub_subscriptions(const struct client *c)
{
    return c->nchannels + c->npatterns;
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

/* ---- the client's own lists (ps__lock held) ---- */

static int ps__client_has(char **list, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && memcmp(list[i], name, len) == 0) return (int)i;
    return -1;
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

/* ---- subscribing ---- */

int pubsub_subscribe(struct client *c, const char *name, size_t len, int pattern)
{
    int added = 0;
    pthread_mutex_lock(&ps__lock);
    if (!pattern) {
        if (ps__client_has(c->channels, c->nchannels, name, len) < 0) {
            if (c->nchannels == c->capchannels) {
                c->capchannels = c->capchannels ? c->capchannels * 2 : 4;
                c->channels = mem_realloc(c->channels, c->capchannels * sizeof(char *));
            }
            c->channels[c->nchannels++] = mem_strndup(name, len);
            ps__add_sub(name, len, c);
            added = 1;
        }
    } else if (ps__client_has(c->patterns, c->npatterns, name, len) < 0) {
        if (c->npatterns == c->cappatterns) {
            c->cappatterns = c->cappatterns ? c->cappatterns * 2 : 4;
            c->patterns = mem_realloc(c->patterns, c->cappatterns * sizeof(char *));
        }
        c->patterns[c->npatterns++] = mem_strndup(name, len);
        struct pattern *p = mem_alloc(sizeof(*p) + len);
        p->client = c;
        p->len = len;
        memcpy(p->text, name, len);
        p->next = ps__patterns;
        ps__patterns = p;
        ps__npatterns++;
        added = 1;
    }
    pthread_mutex_unlock(&ps__lock);
    return added;
}

int pubsub_unsubscribe(struct client *c, const char *name, size_t len, int pattern)
{
    pthread_mutex_lock(&ps__lock);
    int idx = pattern ? ps__client_has(c->patterns, c->npatterns, name, len)
                      : ps__client_has(c->channels, c->nchannels, name, len);
    if (idx >= 0) ps__unsub_one(c, pattern, (size_t)idx);
    pthread_mutex_unlock(&ps__lock);
    return idx >= 0;
}

void pubsub_unsubscribe_all(struct client *c)
{
    pthread_mutex_lock(&ps__lock);
    while (c->nchannels) ps__unsub_one(c, 0, c->nchannels - 1);
    while (c->npatterns) ps__unsub_one(c, 1, c->npatterns - 1);
    pthread_mutex_unlock(&ps__lock);
    mem_free(c->channels);
    mem_free(c->patterns);
    c->channels = c->patterns = NULL;
    c->capchannels = c->cappatterns = 0;
}

/* ---- publishing ---- */

/* The message as a subscriber's protocol frames it: a push in RESP3, an
 * array in RESP2; pmessage with the pattern for pattern subscribers.
 * Returns the length, or the room needed when out is NULL or too small. */
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

/* Pushes the message to subscriber c (ps__lock held). */
static void ps__deliver(struct client *c, const struct pattern *p, const char *channel, size_t clen,
                        const char *msg, size_t mlen)
{
    int resp3 = CLIENT_PUB_GET(c, resp) >= 3;
    char stack[512];
    size_t need = ps__encode(NULL, 0, resp3, p, channel, clen, msg, mlen);
    char *buf = need <= sizeof(stack) ? stack : mem_alloc(need);
    size_t len = ps__encode(buf, need, resp3, p, channel, clen, msg, mlen);
    client_push(c, buf, len);
    if (buf != stack) mem_free(buf);
}

long long pubsub_publish(const char *channel, size_t clen, const char *msg, size_t mlen)
{
    long long receivers = 0;
    pthread_mutex_lock(&ps__lock);
    struct channel **link = ps__find(channel, clen);
    struct channel *ch = link ? *link : NULL;
    for (size_t i = 0; ch && i < ch->nsubs; i++, receivers++)
        ps__deliver(ch->subs[i], NULL, channel, clen, msg, mlen);
    for (struct pattern *p = ps__patterns; p; p = p->next) {
        if (!util_glob_match(p->text, p->len, channel, clen, 0)) continue;
        ps__deliver(p->client, p, channel, clen, msg, mlen);
        receivers++;
    }
    pthread_mutex_unlock(&ps__lock);
    /* This thread's own subscribers are written now. */
    client_flush_pushes();
    return receivers;
}

int pubsub_push_if_subscribed(struct client *c, const char *bytes, size_t len)
{
    pthread_mutex_lock(&ps__lock);
    int subscribed = c->nchannels + c->npatterns > 0;
    if (subscribed) client_push(c, bytes, len);
    pthread_mutex_unlock(&ps__lock);
    return subscribed;
}

/* ---- PUBSUB ---- */

size_t pubsub_channels(const char *pattern, size_t plen, char ***names_out, size_t **lens_out)
{
    size_t n = 0, cap = 0;
    char **names = NULL;
    size_t *lens = NULL;
    pthread_mutex_lock(&ps__lock);
    for (size_t i = 0; i < ps__nbuckets; i++) {
        for (struct channel *ch = ps__buckets[i]; ch; ch = ch->next) {
            if (pattern && !util_glob_match(pattern, plen, ch->name, ch->len, 0)) continue;
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
    *names_out = names;
    *lens_out = lens;
    return n;
}

long long pubsub_numsub(const char *name, size_t len)
{
    pthread_mutex_lock(&ps__lock);
    struct channel **link = ps__find(name, len);
    long long n = link && *link ? (long long)(*link)->nsubs : 0;
    pthread_mutex_unlock(&ps__lock);
    return n;
}

long long pubsub_numpat(void)
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
    return n;
}

size_t pubsub_channel_count(void)
{
    pthread_mutex_lock(&ps__lock);
    size_t n = ps__nchannels;
    pthread_mutex_unlock(&ps__lock);
    return n;
}

/* cmd_pubsub.c - SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH
 * and PUBSUB, with Redis's replies: one confirmation per channel, as a push
 * in RESP3. The registry and delivery are services/pubsub.c. */
#include <string.h>

#include "base/mem.h"
#include "client/client.h"
#include "client/reply.h"
#include "commands/commands.h"
#include "services/pubsub.h"

/* [kind, name or null, subscriptions left] */
static void pubsub__reply(struct client *c, const char *kind, const char *name, size_t len,
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
    reply_long(c, (long long)pubsub_subscriptions(c));
}

static void pubsub__subscribe(struct client *c, int pattern)
{
    for (size_t j = 1; j < c->argc; j++) {
        const struct arg *a = &c->argv[j];
        pubsub_subscribe(c, a->ptr, a->len, pattern);
        pubsub__reply(c, pattern ? "psubscribe" : "subscribe", a->ptr, a->len, 0);
    }
}

/* Without arguments: from every channel (pattern), the last one first,
 * or one reply with a null name when there are none. */
static void pubsub__unsubscribe(struct client *c, int pattern)
{
    const char *kind = pattern ? "punsubscribe" : "unsubscribe";
    if (c->argc > 1) {
        for (size_t j = 1; j < c->argc; j++) {
            const struct arg *a = &c->argv[j];
            pubsub_unsubscribe(c, a->ptr, a->len, pattern);
            pubsub__reply(c, kind, a->ptr, a->len, 0);
        }
        return;
    }
    size_t *n = pattern ? &c->npatterns : &c->nchannels;
    if (*n == 0) {
        pubsub__reply(c, kind, NULL, 0, 1);
        return;
    }
    while (*n > 0) {
        const char *last = (pattern ? c->patterns : c->channels)[*n - 1];
        char *name = mem_strndup(last, strlen(last));
        pubsub_unsubscribe(c, name, strlen(name), pattern);
        pubsub__reply(c, kind, name, strlen(name), 0);
        mem_free(name);
    }
}

void cmd_subscribe(struct client *c)
{
    pubsub__subscribe(c, 0);
}

void cmd_psubscribe(struct client *c)
{
    pubsub__subscribe(c, 1);
}

void cmd_unsubscribe(struct client *c)
{
    pubsub__unsubscribe(c, 0);
}

void cmd_punsubscribe(struct client *c)
{
    pubsub__unsubscribe(c, 1);
}

void cmd_publish(struct client *c)
{
    reply_long(c, pubsub_publish(c->argv[1].ptr, c->argv[1].len, c->argv[2].ptr, c->argv[2].len));
}

void cmd_pubsub_channels(struct client *c)
{
    const struct arg *pat = c->argc == 3 ? &c->argv[2] : NULL;
    char **names;
    size_t *lens;
    size_t n = pubsub_channels(pat ? pat->ptr : NULL, pat ? pat->len : 0, &names, &lens);
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
        long long n = pubsub_numsub(c->argv[j].ptr, c->argv[j].len);
        reply_bulk(c, c->argv[j].ptr, c->argv[j].len);
        reply_long(c, n);
    }
}

void cmd_pubsub_numpat(struct client *c)
{
    reply_long(c, pubsub_numpat());
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
        NULL,
    };
    reply_help(c, lines);
}

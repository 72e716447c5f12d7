/* pubsub.h - publish/subscribe: the registry of channels and patterns and
 * their subscribers, and publishing to them on any event-loop thread
 * (delivery is the client module's pushes). The commands are
 * commands/cmd_pubsub.c. */
#ifndef RESPITE_PUBSUB_H
#define RESPITE_PUBSUB_H

#include <stddef.h>

struct client;

/* Registers with the client module: a closing client's subscriptions go. */
void pubsub_setup(void);

/* Subscribes c to a channel (pattern 0) or pattern (1); returns 1 if it
 * was not subscribed to it yet. Unsubscribes; returns 1 if it was. */
int pubsub_subscribe(struct client *c, const char *name, size_t len, int pattern);
int pubsub_unsubscribe(struct client *c, const char *name, size_t len, int pattern);
/* Channels plus patterns c is subscribed to. */
size_t pubsub_subscriptions(const struct client *c);
/* Drops every subscription of c (close, RESET). */
void pubsub_unsubscribe_all(struct client *c);

/* Publishes to subscribers; returns how many received it. Usable from
 * anywhere (keyspace notifications). This thread's subscribers get the
 * message before it returns; other threads' shortly after. */
long long pubsub_publish(const char *channel, size_t clen, const char *msg, size_t mlen);
/* Pushes bytes to c only if c is subscribed to some channel or pattern,
 * checked atomically with the push (a RESP2 client can take a message
 * then, and would take it for a reply otherwise); returns 1 if pushed. */
int pubsub_push_if_subscribed(struct client *c, const char *bytes, size_t len);

/* PUBSUB CHANNELS: the active channels (matching pattern if not NULL),
 * copied out of the registry: returns how many, with their names and
 * lengths in arrays the caller frees (names one by one, then both) with
 * mem_free. NUMSUB: subscribers of a channel. NUMPAT: distinct patterns
 * subscribed to. */
size_t pubsub_channels(const char *pattern, size_t plen, char ***names, size_t **lens);
long long pubsub_numsub(const char *name, size_t len);
long long pubsub_numpat(void);
/* INFO's pubsub_channels: channels with at least one subscriber. */
size_t pubsub_channel_count(void);

#endif

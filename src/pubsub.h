/* pubsub.h - publish/subscribe: channels, patterns, and delivery of
 * messages to subscribers on any event-loop thread. */
#ifndef RESPITE_PUBSUB_H
#define RESPITE_PUBSUB_H

#include <stddef.h>

struct client;

/* In RESP2 a subscribed client may only run these. */
int pubsub_allowed_when_subscribed(const char *name);
int pubsub_is_subscribed(const struct client *c);
/* Drops every subscription of c (close, RESET). */
void pubsub_unsubscribe_all(struct client *c);
/* Publishes to subscribers; returns how many received it. Usable from
 * anywhere (keyspace notifications). */
long long pubsub_publish(const char *channel, size_t clen, const char *msg, size_t mlen);
/* Queues raw protocol bytes (a push) for c, whichever thread serves it;
 * this thread's own clients get them at its next flush. The caller keeps
 * c alive (it is listed somewhere a close removes it from first). */
void pubsub_send(struct client *c, const char *bytes, size_t len);
/* The same, only if c is subscribed to some channel or pattern (a RESP2
 * client can take a message then, not otherwise); returns 1 if queued. */
int pubsub_send_if_subscribed(struct client *c, const char *bytes, size_t len);
/* Set when pubsub_send queued bytes for a client of the calling thread:
 * they go out at pubsub_flush_if_pending (after each command). */
extern _Thread_local int pubsub_local_pending;
void pubsub_flush_thread(void);
static inline void pubsub_flush_if_pending(void)
{
    if (pubsub_local_pending) pubsub_flush_thread();
}
/* Writes the messages other threads left for this thread's clients. */
void pubsub_flush_thread(void);

void cmd_subscribe(struct client *c);
void cmd_unsubscribe(struct client *c);
void cmd_psubscribe(struct client *c);
void cmd_punsubscribe(struct client *c);
void cmd_publish(struct client *c);
void cmd_pubsub_channels(struct client *c);
void cmd_pubsub_numsub(struct client *c);
void cmd_pubsub_numpat(struct client *c);
void cmd_pubsub_help(struct client *c);

#endif

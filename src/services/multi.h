/* multi.h - transactions: the commands queued between MULTI and EXEC, and
 * the keys a client WATCHes, with Redis's semantics. The commands (MULTI,
 * EXEC, DISCARD, WATCH, UNWATCH) are commands/cmd_multi.c; this module
 * keeps the state they share with the call path, which queues commands and
 * flags refused ones through the hooks multi_setup registers. */
#ifndef RESPITE_MULTI_H
#define RESPITE_MULTI_H

#include <stddef.h>

struct client;
struct command;
struct arg;
struct db;
struct watch;
struct lockset;

/* A command queued between MULTI and EXEC: its arguments copied out of
 * the query buffer (one allocation). */
struct queued_cmd {
    const struct command *cmd;
    size_t argc;
    struct arg *argv;
};

struct watched_key {
    struct db *db;
    struct watch *w;
};

/* Registers with the call path (queueing, refusals) and the client
 * module (a closing client's transaction goes). */
void multi_setup(void);

/* Frees the queue and the watches (client close, RESET, DISCARD). */
void multi_reset(struct client *c);
/* Frees the queue only (the transaction ends), leaving the watches. */
void multi_discard_queue(struct client *c);

/* WATCH of key in c's database; the caller holds the key's shard lock. A
 * key already watched is not added twice. */
void multi_watch(struct client *c, const struct arg *key);
/* Drops every watch; `locked` says the caller already holds their shard
 * locks (EXEC), otherwise each is taken in turn. */
void multi_unwatch_all(struct client *c, int locked);
/* Adds the shards of c's watched keys to ls (EXEC's locks). */
void multi_lock_watched(struct lockset *ls, struct client *c);
/* Under those locks: whether a watched key changed since WATCH (an
 * expired one is deleted now, which counts as a change). */
int multi_watched_changed(struct client *c);

#endif

/* multi.h - transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH. */
#ifndef RESPITE_MULTI_H
#define RESPITE_MULTI_H

#include <stddef.h>

struct client;
struct command;
struct arg;
struct db;
struct watch;

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

/* Commands that run at once even inside MULTI. */
int multi_runs_now(const struct command *cmd);
/* Queues c's current command (replies +QUEUED). */
void multi_queue(struct client *c, const struct command *cmd);
/* A command refused while in MULTI makes EXEC abort. */
void multi_flag_error(struct client *c);
/* Frees the queue and the watches (client close, RESET). */
void multi_reset(struct client *c);
/* Frees the queue only: EXEC refused while a busy script holds the locks
 * the watches would need (they go at the next EXEC, DISCARD or UNWATCH). */
void multi_discard_queue(struct client *c);

void cmd_multi(struct client *c);
void cmd_exec(struct client *c);
void cmd_discard(struct client *c);
void cmd_watch(struct client *c);
void cmd_unwatch(struct client *c);

#endif

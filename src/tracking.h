/* tracking.h - server-assisted client-side caching: CLIENT TRACKING,
 * TRACKINGINFO, CACHING, GETREDIR, and the invalidation messages. */
#ifndef RESPITE_TRACKING_H
#define RESPITE_TRACKING_H

#include <stddef.h>

struct client;
struct command;

#define TRACK_ON     0x01u
#define TRACK_BCAST  0x02u
#define TRACK_OPTIN  0x04u
#define TRACK_OPTOUT 0x08u
#define TRACK_NOLOOP 0x10u

/* After a command of c ran: remembers its keys if it read some, and ends
 * CLIENT CACHING's one-command window. */
void tracking_after_command(struct client *c, const struct command *cmd);
/* A command of c was refused before running (cmd NULL: unknown): it
 * ends CLIENT CACHING's window too. Call only if c->tracking_caching. */
void tracking_command_refused(struct client *c, const struct command *cmd);
/* A command a script of owner's ran (EVAL) read keys in argv: they count
 * as owner's reads, as in Redis. */
struct arg;
void tracking_remember_keys(struct client *owner, const struct command *cmd, const struct arg *argv,
                            size_t argc);
/* The client whose command is running on this thread (for NOLOOP). */
extern _Thread_local struct client *tracking_current;
static inline void tracking_set_current(struct client *c)
{
    tracking_current = c;
}
/* A key changed: tells the clients that read it (and broadcast
 * subscribers of a matching prefix). Called by the db layer. */
void tracking_key_changed(int dbid, const char *key, size_t len);
/* FLUSHDB / FLUSHALL: every tracking client drops everything. */
void tracking_flush(void);
/* RESET: c stops tracking. Clients redirecting to c keep it: its id is
 * unchanged. On c's own thread. */
void tracking_reset(struct client *c);
/* c goes away (after it left its thread's client list): it stops
 * tracking, and the redirects of clients that named it break. */
void tracking_client_gone(struct client *c);

void cmd_client_tracking(struct client *c);
void cmd_client_trackinginfo(struct client *c);
void cmd_client_caching(struct client *c);
void cmd_client_getredir(struct client *c);

#endif

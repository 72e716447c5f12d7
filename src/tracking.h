/* tracking.h - server-assisted client-side caching: CLIENT TRACKING,
 * CACHING, GETREDIR, and the invalidation messages. */
#ifndef RESPITE_TRACKING_H
#define RESPITE_TRACKING_H

#include <stddef.h>

struct client;
struct command;

#define TRACK_ON          0x01u
#define TRACK_BCAST       0x02u
#define TRACK_OPTIN       0x04u
#define TRACK_OPTOUT      0x08u
#define TRACK_NOLOOP      0x10u
#define TRACK_CACHING_YES 0x20u /* CLIENT CACHING yes, for the next command */
#define TRACK_CACHING_NO  0x40u /* CLIENT CACHING no, for the next command */

/* After a read-only command ran for c: remembers its keys for c. */
void tracking_after_command(struct client *c, const struct command *cmd);
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
/* c goes away: forget it everywhere (and break redirects to it). */
void tracking_client_gone(struct client *c);

void cmd_client_tracking(struct client *c);
void cmd_client_caching(struct client *c);
void cmd_client_getredir(struct client *c);

#endif

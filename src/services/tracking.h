/* tracking.h - server-assisted client-side caching: which clients read
 * which keys (or watch which prefixes), and the invalidation messages sent
 * to them when those keys change. The commands (CLIENT TRACKING,
 * TRACKINGINFO, CACHING, GETREDIR) are commands/cmd_client.c. */
#ifndef RESPITE_TRACKING_H
#define RESPITE_TRACKING_H

#include <stddef.h>
#include <stdint.h>

struct client;
struct arg;

/* A client's tracking mode (client.h: tracking). */
#define TRACK_ON     0x01u
#define TRACK_BCAST  0x02u
#define TRACK_OPTIN  0x04u
#define TRACK_OPTOUT 0x08u
#define TRACK_NOLOOP 0x10u

/* Registers with the call path (keys read by tracking clients, CLIENT
 * CACHING's window) and the client module (a closing client stops
 * tracking, and redirects naming it break). */
void tracking_setup(void);

/* Whether a REDIRECT to client id could be set up now (c itself counts). */
int tracking_target_exists(struct client *c, uint64_t id);
/* CLIENT TRACKING ON with the mode flags (TRACK_*), a REDIRECT target id
 * (0: none) and BCAST prefixes, already checked by the command. Returns
 * 0, or -1 when the REDIRECT target has gone meanwhile. On c's thread. */
int tracking_on(struct client *c, unsigned flags, uint64_t redirect_id, const struct arg *prefixes,
                size_t nprefix);
/* CLIENT TRACKING OFF, RESET: c stops tracking. Clients redirecting to c
 * keep it: its id is unchanged. On c's thread. */
void tracking_off(struct client *c);
/* Whether c's REDIRECT client has gone and an invalidation found it so
 * (CLIENT TRACKINGINFO's broken_redirect, CLIENT LIST's R). Lock-free: any
 * thread may ask about any client it holds. */
int tracking_redirect_broken(struct client *c);

/* A key changed: tells the clients that read it (and broadcast
 * subscribers of a matching prefix). Storage calls it through its
 * changed-key hook, installed while some client tracks. */
void tracking_key_changed(int dbid, const char *key, size_t len);
/* At the end of each event-loop iteration (the networking layer, through
 * the client module's hook): sends the BCAST invalidations this thread
 * gathered, one message per client and prefix. */
void tracking_flush_bcast(void);
/* FLUSHDB / FLUSHALL: every tracking client drops everything. */
void tracking_flush(void);
/* INFO's figures: clients with tracking on, keys remembered, (key,
 * client) pairs remembered, and distinct BCAST prefixes. */
struct tracking_stats {
    size_t clients, keys, items, prefixes;
};
void tracking_stats(struct tracking_stats *st);

/* c goes away (after it left its thread's client list): it stops
 * tracking, and the redirects of clients that named it break. */
void tracking_client_gone(struct client *c);

#endif

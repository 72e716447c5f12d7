/* client.h - one connected client: its buffers, parser state and settings. */
#ifndef RESPITE_CLIENT_H
#define RESPITE_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "resp.h"

struct db;
struct command;
struct netthread;

/* A command argument: bytes in the query buffer, valid during the call. */
struct arg {
    const char *ptr;
    size_t len;
};

/* Replies that could not be written at once wait in a list of blocks. */
struct outblock {
    struct outblock *next;
    size_t len, cap, sent;
    char data[];
};

#define CLIENT_CLOSE_AFTER_REPLY 0x01u /* QUIT, protocol error, KILL */
#define CLIENT_CLOSING           0x02u /* uv_close called */
#define CLIENT_READ_PAUSED       0x04u /* reading stopped: output backlog */
#define CLIENT_IN_BATCH          0x08u /* inside the read callback */
#define CLIENT_KILLED            0x10u /* close once the batch ends */
#define CLIENT_ADOPTED           0x20u /* its socket is open on its thread's loop */
#define CLIENT_CAPTURE           0x40u /* a script's client: replies go to capture */

struct client {
    uv_tcp_t tcp; /* first: the handle's address is the client's */
    uint64_t id;
    struct client *prev, *next; /* all clients, for CLIENT LIST / KILL */
    unsigned flags;
    int resp; /* 2 or 3 */
    int dbid;
    struct db *db;
    char *name, *lib_name, *lib_ver;
    char addr[64], laddr[64];
    int fd;

    /* Input: a partial request waiting for more bytes; NULL when the last
     * read ended on a request boundary (idle clients hold no buffer). */
    char *qbuf;
    size_t qlen, qcap;
    struct resp_request req;
    struct arg *argv;
    size_t argc, argv_cap;
    const struct command *cmd;     /* the command running now */
    const struct command *lastcmd; /* for CLIENT LIST's cmd= */
    int cmd_failed;                /* an error reply was sent by it */

    /* Output waiting for the socket. */
    struct outblock *out_head, *out_tail;
    size_t out_bytes;
    int writing; /* a uv_write is in flight */
    uv_write_t wreq;

    /* A script's client (script.c) has no socket: what its commands reply
     * gathers here for the Lua side to read back. */
    char *capture;
    size_t capture_len, capture_cap;

    long long ctime_ms;            /* connected at (unix ms) */
    long long last_interaction_ms; /* for timeout and idle= */
    unsigned long long net_in, net_out;

    /* Transactions (multi.c): commands queued since MULTI, whether one
     * was refused (EXECABORT), and WATCHed keys with their dirty flag,
     * which writers on any thread set under the key's shard lock. */
    int in_multi, dirty_exec, dirty_cas;
    struct queued_cmd *queued;
    size_t nqueued, capqueued;
    struct watched_key *watched;
    size_t nwatched, capwatched;
    int authenticated; /* AUTH passed, or no requirepass when it connected */

    /* Pub/sub (pubsub.c): the client's channels and patterns, and
     * messages published on other threads waiting for this one to write
     * them (inbox, guarded by the pub/sub lock). */
    char **channels, **patterns;
    size_t nchannels, npatterns, capchannels, cappatterns;
    char *inbox;
    size_t inbox_len, inbox_cap;
    int inbox_pending;
    struct client *inbox_next;
    long long pubsub_soft_since; /* over the soft output limit since (ms) */

    /* Client-side caching (tracking.c). The owner thread changes the
     * mode, redirect and prefixes under the tracking lock; other threads
     * read them under it. tracking_redirect is NULL once the REDIRECT
     * client has gone (its id stays: the redirect is broken), and
     * tracking_redir_broken is set, under the lock, by the first
     * invalidation that found it gone. tracking_caching (CLIENT CACHING,
     * for the next command) is the owner's alone. tracking_targeted is
     * set, under the owner's client-list lock, once some CLIENT TRACKING
     * REDIRECT named this client: only then does its close look for
     * clients redirecting to it. */
    unsigned tracking;
    int tracking_caching;
    int tracking_redir_broken;
    int tracking_targeted;
    struct client *tracking_redirect;
    uint64_t tracking_redirect_id;
    char **track_prefixes; /* sorted; BCAST without PREFIX is "" */
    size_t ntrack_prefixes;

    struct netthread *owner; /* the event-loop thread that serves it */
    /* What other threads may read (CLIENT LIST, INFO, CLIENT KILL): copies
     * the owner publishes with relaxed atomic stores at the end of each
     * batch and write. The names above change only under the owner's
     * client-list lock. */
    struct {
        long long last_interaction_ms;
        int dbid, resp, writing;
        size_t qlen, qcap, out_bytes, oll;
        const struct command *lastcmd;
    } pub;
};

/* A published field of a client that may be another thread's. With one
 * event-loop thread (no shard locking) the fields themselves are read. */
#define CLIENT_PUB_GET(c, f)                                                                       \
    (db_locking() ? __atomic_load_n(&(c)->pub.f, __ATOMIC_RELAXED) : (c)->f)

#endif

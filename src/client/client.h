/* client.h - one connected client: its lifetime, the per-thread lists that
 * find it, and its output.
 *
 * The client module owns a client from creation to destruction and every
 * byte it is sent: replies (reply.c encodes them into client_write), the
 * pushes other threads queue for it (pub/sub messages, invalidations), and
 * the capture buffer of the client a script's commands run as. It knows
 * nothing of sockets: the networking layer above registers a transport
 * (write what the socket takes now, write the rest when it is writable,
 * close the handle) and reads requests into the client's buffers. Services
 * that keep per-client state (transactions, pub/sub, client-side caching)
 * register close hooks here instead of being called by the networking
 * layer.
 *
 * Threads: a client is served by one event-loop thread for its whole life
 * (its owner). Only the owner changes its fields, except where a comment
 * says otherwise; other threads (CLIENT LIST, INFO, CLIENT KILL) read its
 * names under the owner's list lock and its figures from the published
 * copies below. */
#ifndef RESPITE_CLIENT_H
#define RESPITE_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include "base/resp.h"
#include "storage/lockset.h"

struct db;
struct command;
struct client_thread;
struct worker;

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
#define CLIENT_CLOSING           0x02u /* its handle is being closed */
#define CLIENT_READ_PAUSED       0x04u /* reading stopped: output backlog */
#define CLIENT_IN_BATCH          0x08u /* its requests are running */
#define CLIENT_KILLED            0x10u /* close once the batch ends */
#define CLIENT_ADOPTED           0x20u /* its socket is open on its thread's loop */
#define CLIENT_CAPTURE           0x40u /* a script's client: replies go to capture */
/* CLIENT REPLY OFF, SKIP (this request's reply dropped) and SKIP's
 * request itself (the next one's to drop); CLIENT NO-TOUCH. Pushes
 * (messages, invalidations) are written whatever the reply mode. */
#define CLIENT_REPLY_OFF       0x80u
#define CLIENT_REPLY_SKIP      0x100u
#define CLIENT_REPLY_SKIP_NEXT 0x200u
#define CLIENT_NO_TOUCH        0x400u
#define CLIENT_MONITOR         0x800u /* MONITOR: receives every command */
/* Blocked by a blocking command (BLPOP...): its later requests wait,
 * unread by the call path, until it is served, times out or is
 * unblocked (services/blocking.c). */
#define CLIENT_BLOCKED 0x1000u
/* Its request arrived during CLIENT PAUSE: left unread until the pause
 * ends (services/blocking.c), then run as if it had just arrived. */
#define CLIENT_POSTPONED 0x2000u
/* CLIENT NO-EVICT ON: never closed by maxmemory-clients. */
#define CLIENT_NO_EVICT 0x4000u
/* Connected through the unix socket (CLIENT LIST's U). */
#define CLIENT_UNIX 0x8000u

struct client {
    /* The transport's handle (net.c): a TCP socket or a unix socket's
     * pipe, used as a stream. First: its address is the client's. */
    union {
        uv_handle_t handle;
        uv_stream_t stream;
        uv_tcp_t tcp;
        uv_pipe_t pipe;
    } io;
    uint64_t id;
    struct client *prev, *next; /* its thread's list, for CLIENT LIST / KILL */
    unsigned flags;
    int resp; /* 2 or 3 */
    int dbid;
    struct db *db;
    char *name, *lib_name, *lib_ver;
    char addr[112], laddr[112]; /* ip:port, or a unix socket's path:0 */
    int fd;

    /* Input (net.c): a partial request waiting for more bytes; NULL when
     * the last read ended on a request boundary (idle clients hold no
     * buffer). */
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
    int writing; /* a write of the transport is in flight */
    int held;    /* 1 + its slot in its thread's held replies, 0 if none */
    uv_write_t wreq;

    /* A script's client has no socket: what its commands reply gathers
     * here for the Lua side to read back. */
    char *capture;
    size_t capture_len, capture_cap;

    /* Pushes: bytes other threads (or this one, outside a command) queued
     * for it, waiting for its thread to write them; guarded by the push
     * lock (client.c). */
    char *inbox;
    size_t inbox_len, inbox_cap;
    int inbox_pending;
    struct client *inbox_next;
    long long push_soft_since; /* over the pubsub soft output limit since (ms) */

    long long ctime_ms;            /* connected at (unix ms) */
    long long last_interaction_ms; /* for timeout and idle= */
    unsigned long long net_in, net_out;
    int authenticated; /* AUTH passed, or no requirepass when it connected */

    /* Transactions (services/multi.c): commands queued since MULTI,
     * whether one was refused (EXECABORT), and WATCHed keys with their
     * dirty flag, which writers on any thread set under the key's shard
     * lock. */
    int in_multi, dirty_exec, dirty_cas;
    struct queued_cmd *queued;
    size_t nqueued, capqueued;
    struct watched_key *watched;
    size_t nwatched, capwatched;

    /* Pub/sub (services/pubsub.c): the client's channels and patterns,
     * changed under the pub/sub lock. */
    char **channels, **patterns;
    size_t nchannels, npatterns, capchannels, cappatterns;

    /* Blocking commands (services/blocking.c): the wait c is in, set and
     * cleared by its owner thread. */
    struct block_wait *blocked;

    /* Client-side caching (services/tracking.c). The owner thread changes
     * the mode, redirect and prefixes under the tracking lock; other
     * threads read them under it. tracking_redirect is NULL once the
     * REDIRECT client has gone (its id stays: the redirect is broken), and
     * tracking_redir_broken is set, under the lock, by the first
     * invalidation that found it gone (a relaxed atomic: CLIENT LIST reads
     * it from any thread without the lock). tracking_caching (CLIENT CACHING,
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

    struct client_thread *owner; /* the event-loop thread that serves it */
    /* What other threads may read (CLIENT LIST, INFO, CLIENT KILL): copies
     * the owner publishes with relaxed atomic stores at the end of each
     * batch and write (client_publish). The names above change only under
     * the owner's client-list lock. */
    struct {
        long long last_interaction_ms;
        int dbid, resp, writing;
        size_t qlen, qcap, out_bytes, oll;
        const struct command *lastcmd;
        /* CLIENT LIST's flags= and counts come from these. */
        unsigned flags, tracking;
        size_t sub, psub, watch;
        long long multi; /* commands queued, -1 outside MULTI */
    } pub;
};

/* A published field of a client that may be another thread's. With one
 * event-loop thread (no shard locking) the fields themselves are read. */
#define CLIENT_PUB_GET(c, f)                                                                       \
    (lockset_on() ? __atomic_load_n(&(c)->pub.f, __ATOMIC_RELAXED) : (c)->f)

/* ---- setup and threads ---- */

/* Registers with the event-loop threads (kills and pushes they are sent). */
void client_setup(void);
/* On each event-loop thread: first thing (its list and reply scratch
 * buffer), when it is asked to stop (closes its clients), and last (frees
 * its buffers). */
void client_thread_start(void);
void client_thread_stop(void);
void client_thread_exit(void);
/* The client side of event-loop thread `worker_id`, NULL until it started;
 * the calling thread's. */
struct client_thread *client_thread_of(int worker_id);
struct client_thread *client_thread_self(void);

/* ---- the transport (registered by the networking layer) ---- */

/* A piece of output: several of them go out in one system call. */
struct client_part {
    const char *p;
    size_t len;
};

struct client_transport {
    /* Writes what the socket takes of the n parts (at most 4), in order
     * and in one system call, now: returns the bytes written (maybe 0),
     * or -1 on an error (the client then closes). */
    ssize_t (*try_write)(struct client *c, const struct client_part *parts, int n);
    /* Starts writing c's queued blocks (out_head...) when the socket is
     * writable; sets c->writing while a write is in flight. */
    void (*start_write)(struct client *c);
    /* Closes c's connection; client_destroy(c) follows once the handle is
     * closed (at once for a socket never opened on its loop). */
    void (*close)(struct client *c);
};
void client_set_transport(const struct client_transport *t);

/* ---- lifetime ---- */

/* Counts a new connection if maxclients allows it: 0, or -1 (not
 * counted; the caller refuses it). */
int client_admit(void);
/* A new client of thread t for socket fd, listed there at once (so CLIENT
 * LIST and KILL see it from the moment it is accepted); from the thread
 * that accepts. */
struct client *client_create(struct client_thread *t, int fd, uint64_t id, const char *addr,
                             const char *laddr, unsigned flags);
/* Marks c to be closed: at once if idle; with CLIENT_CLOSE_AFTER_REPLY in
 * flags, after its pending replies are written; while its batch runs, when
 * the batch ends. Owner thread. */
void client_close(struct client *c, unsigned flags);
/* Frees c; called by the transport once c's handle is closed. */
void client_destroy(struct client *c);
/* Closes this thread's clients idle for longer than the timeout
 * directive (never with timeout 0). */
void client_close_idle(long long now_ms);

/* Hooks services register (at most a few each): on_gone runs when a
 * client leaves its thread's list, before its handle closes (client-side
 * caching drops it then, so no invalidation is queued for a closing
 * client); on_free runs when it is destroyed, before its memory goes
 * (transactions drop their queue and watches, pub/sub its channels). */
typedef void client_hook_fn(struct client *c);
void client_on_gone(client_hook_fn *fn);
void client_on_free(client_hook_fn *fn);

/* ---- output ---- */

/* Appends reply bytes for c. While c's batch is running the bytes go to a
 * per-thread scratch buffer, written with one write when the batch ends;
 * otherwise (or once output is backed up) they queue on the client. A
 * script's client keeps them in its capture buffer. */
void client_write(struct client *c, const char *p, size_t len);
/* The same as client_write of head, p and tail in turn (a bulk reply's
 * header, payload and trailer); when they overflow the scratch buffer,
 * its bytes and all three leave in one write: a batch whose last reply
 * overflows it (16 replies of 4 KB) costs one system call, not two. */
void client_write_framed(struct client *c, const char *head, size_t hlen, const char *p, size_t len,
                         const char *tail, size_t tlen);
/* A batch: the requests of one read, whose replies leave together. The
 * end holds the batch's replies back in the scratch buffer until
 * client_flush_held (when holding is on), or writes them; starts writing
 * what is queued, closes c if it was killed or asked to close after its
 * reply, and publishes its figures. */
void client_batch_begin(struct client *c);
void client_batch_end(struct client *c);
/* Holding replies back (off by default): the transport turns it on for
 * an event loop whose iterations end with client_flush_held, and off
 * while a busy script serves clients from inside a command. */
void client_hold_replies(int on);
/* Writes the replies batches held back: one write per client. Called by
 * the transport once per event-loop iteration, after its reads, so a
 * client that sent several requests and a server that read many clients
 * answer them in a burst (Redis does the same before it sleeps): each
 * write that wakes a sleeping client costs the sender a wake-up, and a
 * burst pays it about once. */
void client_flush_held(void);
/* A service's work for the end of each iteration, run first thing by
 * client_flush_held (client-side caching sends its BCAST batches). */
void client_on_flush(void (*fn)(void));
/* While a script runs in c's batch and this thread serves other clients
 * meanwhile (a busy script): writes the held replies and c's so far, and
 * makes c's batch current again afterwards. */
void client_flush_scratch(struct client *c);
void client_batch_resume(struct client *c);
/* After a transport write of the blocks marked sent completed: frees
 * them. */
void client_drop_sent(struct client *c);

/* ---- pushes ---- */

/* Queues protocol bytes (a push, a message) for c, whichever thread
 * serves it: its thread writes them at its next flush (after the running
 * command, or when woken). The caller keeps c alive: it found c somewhere
 * a close removes it from first (under a lock the caller holds). A client
 * past client-output-buffer-limit's pubsub class is closed instead. */
void client_push(struct client *c, const char *bytes, size_t len);
/* Drops what was pushed to c and not written yet (RESET, destroy). Owner
 * thread. */
void client_drop_pushes(struct client *c);
/* Writes what was pushed to this thread's clients. */
void client_flush_pushes(void);
extern _Thread_local int client__push_local; /* pushes wait for this thread */
static inline void client_flush_pushes_if_pending(void)
{
    if (client__push_local) client_flush_pushes();
}

/* ---- names ---- */

/* Names shown in CLIENT LIST (name, lib-name, lib-ver) must not break its
 * space-separated format: printable ASCII without spaces. */
int client_name_valid(const char *p, size_t len);
/* Sets one of c's names (an empty one clears it). Other threads read names
 * under the owner's list lock, so the change happens under it. c is the
 * calling thread's. */
void client_set_name(struct client *c, char **slot, const char *p, size_t len);

/* ---- every client ---- */

/* Visits every client of every thread; fn runs under the owner thread's
 * client-list lock, so it may read the client's names and published
 * fields but must not close it. */
typedef void client_visit_fn(struct client *c, void *arg);
void client_each(client_visit_fn *fn, void *arg);
/* The same for the calling thread's clients only. */
void client_each_local(client_visit_fn *fn, void *arg);
size_t client_count(void);
/* The owner thread's client-list lock: held to change a client's names. */
void client_lock(struct client *c);
void client_unlock(struct client *c);
/* The event-loop thread that serves c (stable for c's life). */
struct worker *client_worker(const struct client *c);
/* Copies what other threads may read (see above). Owner thread. */
void client_publish(struct client *c);
/* Bytes of client buffers (query and output) for INFO memory. */
size_t client_memory(void);
/* maxmemory-clients (cron): while every client's memory together is over
 * the limit, closes the client using the most that is not NO-EVICT, as
 * Redis's client eviction; returns how many it closed. Any thread. */
size_t client_evict_over_limit(void);

#endif

/* net.h - listening sockets, connections and the bytes they carry. */
#ifndef RESPITE_NET_H
#define RESPITE_NET_H

#include <stddef.h>
#include <uv.h>

#include "client.h"

/* Opens every configured bind address on the configured port. Returns 0,
 * or -1 after logging why (address in use, bad address). */
int net_setup(uv_loop_t *loop);
/* Listens on a new port / bind list (CONFIG SET). The old sockets close
 * only once the new ones are open; returns -1 (old ones kept) on failure. */
int net_rebind(const char *bind, int port);
/* Stops accepting and closes all clients. */
void net_teardown(void);

/* Appends reply bytes for c. While c's batch is running the bytes go to a
 * per-thread scratch buffer, flushed with one write when the batch ends;
 * otherwise (or once output is backed up) they queue on the client. */
void net_write(struct client *c, const char *p, size_t len);

/* A script running for caller on this thread went past
 * busy-reply-threshold: until net_busy_end, net_busy_poll (called from the
 * script's hook) accepts connections (main thread), takes in connections
 * and kills handed to this thread, and serves its other clients, whose
 * commands then mostly get BUSY. */
void net_busy_begin(struct client *caller);
void net_busy_poll(void);
void net_busy_end(void);

/* Marks c to be closed: at once if idle, after pending replies are
 * written if flags contain CLIENT_CLOSE_AFTER_REPLY. */
void net_close_client(struct client *c, unsigned flags);

/* Visits every client of every thread; fn runs under the owner thread's
 * client-list lock, so it may read the client's names and published
 * fields (client.h) but must not close it. */
typedef void net_client_fn(struct client *c, void *arg);
void net_clients_each(net_client_fn *fn, void *arg);
size_t net_client_count(void);
/* Whether c is served by the calling thread. */
int net_client_is_local(const struct client *c);
/* The owner thread's client-list lock: held to change a client's names. */
void net_client_lock(struct client *c);
void net_client_unlock(struct client *c);
/* The event-loop thread that serves c (stable for c's life). */
struct worker *net_client_worker(const struct client *c);
/* Closes c: at once if it is the calling thread's, else by message to
 * its thread (the close happens shortly after). */
void net_kill_client(struct client *c);

/* Per event-loop thread: buffers, client list and idle-timeout timer
 * (start), and closing its clients (stop). */
void net_thread_start(void);
void net_thread_stop(void);
/* Frees the calling thread's buffers once its loop has closed. */
void net_thread_exit(void);
/* Bytes of client buffers (query and output) for INFO memory. */
size_t net_clients_memory(void);

#endif

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

/* Marks c to be closed: at once if idle, after pending replies are
 * written if flags contain CLIENT_CLOSE_AFTER_REPLY. */
void net_close_client(struct client *c, unsigned flags);

/* All clients, newest first. */
struct client *net_clients(void);
size_t net_client_count(void);
/* Closes clients idle for longer than `timeout` seconds (0: never). */
void net_clients_cron(long long now_ms, long long timeout);
/* Bytes of client buffers (query and output) for INFO memory. */
size_t net_clients_memory(void);

#endif

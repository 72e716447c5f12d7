/* net.h - listening sockets, connections and the bytes they carry: the
 * libuv side of clients. Reads requests into a client's buffers and runs
 * them through the call path; writes what the client module hands it; and,
 * while a script is busy, serves this thread's sockets by hand. */
#ifndef RESPITE_NET_H
#define RESPITE_NET_H

#include <sys/socket.h>
#include <uv.h>

/* Opens every configured bind address on the configured port, and
 * registers with the threads (new connections), the client module (the
 * transport) and the call path (serving while busy). Returns 0, or -1
 * after logging why (address in use, bad address). */
int net_setup(uv_loop_t *loop);
/* Listens on a new port / bind list (CONFIG SET). The old sockets close
 * only once the new ones are open; returns -1 (old ones kept) on failure. */
int net_rebind(const char *bind, int port);
/* addr:port as a socket address: a numeric IPv4 or IPv6 address, "*" and
 * "::*" for every interface, else a host name resolved as Redis does
 * (IPv6 if the name has a colon, else IPv4; the first address found).
 * Returns 0, or -1 with the reason in *why. */
int net_resolve(const char *addr, int port, struct sockaddr_storage *sa, const char **why);
/* Stops accepting and closes the main thread's clients. */
void net_teardown(void);

/* Per event-loop thread: its read buffer and idle-timeout timer (start),
 * and freeing the buffer once its loop has closed (exit). */
void net_thread_start(void);
void net_thread_exit(void);

#endif

/* net.c - libuv listeners, connections, reading and socket writes.
 *
 * Reading: a client with no partial request reads into a per-thread
 * buffer, and its complete requests are executed straight from there
 * (arguments point into it, nothing is copied). Only the tail of a request
 * split across reads is copied into a buffer of the client's own, which is
 * freed again once the request completes, so idle connections cost no
 * buffer at all. A client with a large output backlog stops being read
 * until it drains.
 *
 * Writing is the client module's (client.c): it gathers a batch's replies
 * and queues what the socket does not take; this file is its transport,
 * the socket calls (try a write now, write the queue when writable, close
 * the handle). */
#include "server/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netdb.h>
#include <unistd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/stats.h"
#include "base/util.h"
#include "base/worker.h"
#include "client/client.h"
#include "dispatch/call.h"
#include "services/blocking.h"

#define NET_READ_BUF      (64 * 1024)
#define NET_MAX_LISTENERS 16
#define NET_WRITE_IOVS    64
/* Output backlog at which a client stops being read, and where it resumes. */
#define NET_PAUSE_BYTES  (8 * 1024 * 1024)
#define NET_RESUME_BYTES (1024 * 1024)
#define NET_INLINE_MAX   (64 * 1024)

#define NET_ACCEPT_BATCH 64

/* The listening sockets, watched by the main loop: TCP (bind x port) and
 * the unix socket (unixsocket). CONFIG SET port/bind opens a new TCP set
 * before closing the old one, so a failed change leaves the server
 * listening; the unix socket carries over. */
struct listener {
    uv_poll_t poll;
    int fd;
    char *path; /* the unix socket's path; NULL for TCP */
};
struct listeners {
    struct listener *l[NET_MAX_LISTENERS];
    int n;
};
static uv_loop_t *net__main_loop;
static struct listeners net__listeners;
static uint64_t net__next_id = 1; /* main thread only: it accepts */
static unsigned net__next_worker; /* round robin, main thread only */

/* Per event-loop thread: its loop, the idle-timeout timer and the read
 * buffer. */
struct netthread {
    uv_loop_t *loop;
    uv_timer_t cron;
    uv_check_t flush; /* after each iteration's reads: the held replies */
};
static _Thread_local struct netthread *net__me;
static _Thread_local char *net__rbuf;

/* While a script on this thread is busy (see net__busy_begin): an epoll set
 * of this thread's sockets, read without returning to the event loop. */
struct net_busy {
    int epfd;
    struct client *caller;
    char *rbuf;
};
static _Thread_local struct net_busy net__busy = {-1, NULL, NULL};

static void net__process(struct client *c, char *data, size_t len);
static void net__busy_watch(struct client *c, void *arg);
static void net__start_write(struct client *c);
static void net__alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void net__read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);

/* ---- the client module's transport ---- */

static ssize_t net__try_write(struct client *c, const struct client_part *parts, int nparts)
{
    uv_buf_t bufs[4];
    unsigned k = 0;
    for (int i = 0; i < nparts && k < 4; i++)
        if (parts[i].len) bufs[k++] = uv_buf_init((char *)parts[i].p, (unsigned)parts[i].len);
    if (k == 0) return 0;
    int n = uv_try_write(&c->io.stream, bufs, k);
    STAT_INC(io_writes, 1);
    if (n == UV_EAGAIN) return 0;
    return n < 0 ? -1 : n;
}

static void net__write_done(uv_write_t *req, int status)
{
    struct client *c = req->data;
    c->writing = 0;
    client_drop_sent(c);
    if (c->flags & CLIENT_CLOSING) return;
    if (status < 0) {
        client_close(c, 0);
        return;
    }
    if (c->out_head) {
        net__start_write(c);
    } else if (c->flags & CLIENT_CLOSE_AFTER_REPLY) {
        client_close(c, 0);
        return;
    }
    client_publish(c);
    if ((c->flags & CLIENT_READ_PAUSED) && c->out_bytes < NET_RESUME_BYTES) {
        c->flags &= ~CLIENT_READ_PAUSED;
        /* Requests already buffered run now; reading resumes after. */
        if (c->qbuf) {
            call_batch_begin(util_mstime());
            net__process(c, c->qbuf, c->qlen);
            /* A write completion may run before the loop's poll phase,
             * which could then sleep: no holding these replies back. */
            client_flush_held();
        }
        if (!(c->flags & (CLIENT_CLOSING | CLIENT_READ_PAUSED)))
            uv_read_start(&c->io.stream, net__alloc, net__read);
    }
}

static void net__start_write(struct client *c)
{
    uv_buf_t bufs[NET_WRITE_IOVS];
    unsigned n = 0;
    for (struct outblock *b = c->out_head; b && n < NET_WRITE_IOVS; b = b->next) {
        bufs[n++] = uv_buf_init(b->data, (unsigned)b->len);
        b->sent = 1;
    }
    if (n == 0) return;
    c->writing = 1;
    c->wreq.data = c;
    STAT_INC(io_writes, 1);
    if (uv_write(&c->wreq, &c->io.stream, bufs, n, net__write_done) != 0) {
        c->writing = 0;
        client_close(c, 0);
    }
}

static void net__on_close(uv_handle_t *h)
{
    /* A write in flight was cancelled before this callback and its
     * callback already ran (libuv guarantees the order). */
    client_destroy((struct client *)h);
}

static void net__close(struct client *c)
{
    if (!(c->flags & CLIENT_ADOPTED)) {
        /* Handed to this thread but never opened on its loop. */
        close(c->fd);
        client_destroy(c);
        return;
    }
    uv_read_stop(&c->io.stream);
    uv_close(&c->io.handle, net__on_close);
}

static const struct client_transport net__transport = {net__try_write, net__start_write,
                                                       net__close};

/* ---- input ---- */

static void net__alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    struct client *c = h->data;
    (void)suggested;
    if (c->qbuf == NULL) {
        *buf = uv_buf_init(net__rbuf, NET_READ_BUF);
        return;
    }
    /* A partial request: read after it. If its size is known (a big bulk
     * argument) grow toward it by doubling, so a client announcing a huge
     * bulk it never sends does not get the whole size up front. */
    size_t want = NET_READ_BUF;
    if (c->req.want > c->qlen && c->req.want - c->qlen > want) want = c->req.want - c->qlen;
    if (c->qcap - c->qlen < want) {
        size_t cap = c->qcap * 2;
        if (cap < c->qlen + NET_READ_BUF) cap = c->qlen + NET_READ_BUF;
        if (cap > c->qlen + want) cap = c->qlen + want;
        c->qbuf = mem_realloc(c->qbuf, cap);
        c->qcap = cap;
    }
    *buf = uv_buf_init(c->qbuf + c->qlen, (unsigned)(c->qcap - c->qlen));
}

static void net__keep_tail(struct client *c, char *data, size_t len, size_t pos)
{
    size_t rem = len - pos;
    if (rem == 0) {
        mem_free(c->qbuf);
        c->qbuf = NULL;
        c->qlen = c->qcap = 0;
        return;
    }
    if (c->qbuf != NULL && data == c->qbuf) {
        if (pos) memmove(c->qbuf, c->qbuf + pos, rem);
        c->qlen = rem;
        return;
    }
    size_t cap = rem < 1024 ? 1024 : rem;
    c->qbuf = mem_alloc(cap);
    c->qcap = cap;
    memcpy(c->qbuf, data + pos, rem);
    c->qlen = rem;
}

static void net__protocol_error(struct client *c, const char *msg)
{
    char buf[160];
    int n = snprintf(buf, sizeof(buf), "-ERR %s\r\n", msg);
    stats_count_error("ERR", 3);
    client_write(c, buf, (size_t)n);
    log_msg(LL_VERBOSE, "Protocol error (%s) from client: id=%llu addr=%s", msg,
            (unsigned long long)c->id, c->addr);
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
}

/* Executes every complete request in (data, len) and keeps the tail. */
static void net__process(struct client *c, char *data, size_t len)
{
    struct resp_limits lim = {CFG(proto_max_bulk_len), NET_INLINE_MAX};
    size_t pos = 0;

    client_batch_begin(c);
    /* A blocked client's requests wait until it is served (BLPOP...). */
    while (pos < len && !(c->flags & (CLIENT_CLOSE_AFTER_REPLY | CLIENT_KILLED | CLIENT_BLOCKED |
                                      CLIENT_POSTPONED))) {
        if (c->out_bytes > NET_PAUSE_BYTES) {
            c->flags |= CLIENT_READ_PAUSED;
            uv_read_stop(&c->io.stream);
            break;
        }
        enum resp_status st = resp_parse(&c->req, data + pos, len - pos, &lim);
        if (st == RESP_INCOMPLETE) break;
        if (st == RESP_ERROR) {
            net__protocol_error(c, c->req.error);
            pos = len;
            break;
        }
        if (c->req.argc > 0) {
            if (c->argv_cap < c->req.argc) {
                c->argv = mem_realloc(c->argv, c->req.argc * sizeof(*c->argv));
                c->argv_cap = c->req.argc;
            }
            for (size_t i = 0; i < c->req.argc; i++) {
                c->argv[i].ptr = data + pos + c->req.argv[i].off;
                c->argv[i].len = c->req.argv[i].len;
            }
            c->argc = c->req.argc;
            call_execute(c);
            c->argc = 0;
            if (c->flags & CLIENT_POSTPONED) {
                /* CLIENT PAUSE: the request stays unread, for later. */
                resp_request_reset(&c->req);
                break;
            }
        }
        pos += c->req.consumed;
        resp_request_reset(&c->req);
        /* Keep the span array of a huge request from living on. */
        if (c->req.argv_cap > 4096) resp_request_free(&c->req);
    }
    if (c->argv_cap > 4096) {
        mem_free(c->argv);
        c->argv = NULL;
        c->argv_cap = 0;
    }
    net__keep_tail(c, data, len, pos);
    if (c->qlen > (size_t)CFG(client_query_buffer_limit)) {
        log_msg(LL_WARNING, "Closing client that reached max query buffer length: id=%llu addr=%s",
                (unsigned long long)c->id, c->addr);
        c->flags |= CLIENT_KILLED;
    }
    client_batch_end(c);
}

/* n bytes arrived for c at base (after its partial request, if it has
 * one, or in a thread buffer): counts them and runs what is complete. */
static void net__received(struct client *c, char *base, size_t n, long long now)
{
    STAT_INC(io_reads, 1);
    STAT_INC(net_input_bytes, (uint64_t)n);
    c->net_in += (uint64_t)n;
    c->last_interaction_ms = now;
    if (c->qbuf) {
        c->qlen += n;
        net__process(c, c->qbuf, c->qlen);
    } else {
        net__process(c, base, n);
    }
}

static void net__read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    struct client *c = s->data;
    if (nread == 0) return;
    if (nread < 0) {
        client_close(c, 0);
        return;
    }
    long long now = util_mstime();
    call_batch_begin(now);
    net__received(c, buf->base, (size_t)nread, now);
}

/* ---- accepting ---- */

static void net__format_addr(const struct sockaddr_storage *sa, char *out, size_t cap)
{
    char ip[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (sa->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        uv_ip4_name(in, ip, sizeof(ip));
        port = ntohs(in->sin_port);
        snprintf(out, cap, "%s:%d", ip, port);
    } else if (sa->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        uv_ip6_name(in6, ip, sizeof(ip));
        port = ntohs(in6->sin6_port);
        snprintf(out, cap, "%s:%d", ip, port);
    } else {
        snprintf(out, cap, "?:0");
    }
}

/* A client made by the acceptor for thread t: listed there at once (so
 * CLIENT LIST and KILL see it from the moment it is accepted), opened on
 * t's loop by net__adopt. */
static struct client *net__client_new(const struct listener *l, int fd, uint64_t id,
                                      struct client_thread *t)
{
    char addr[112] = "", laddr[112] = "";
    if (l->path) {
        /* Both ends are the socket's path, port 0, as Redis shows them. */
        snprintf(addr, sizeof(addr), "%s:0", l->path);
        snprintf(laddr, sizeof(laddr), "%s:0", l->path);
        return client_create(t, fd, id, addr, laddr, CLIENT_UNIX);
    }
    struct sockaddr_storage sa;
    socklen_t len = sizeof(sa);
    if (getpeername(fd, (struct sockaddr *)&sa, &len) == 0)
        net__format_addr(&sa, addr, sizeof(addr));
    len = sizeof(sa);
    if (getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
        net__format_addr(&sa, laddr, sizeof(laddr));
    return client_create(t, fd, id, addr, laddr, 0);
}

/* On the owner thread: opens the client's socket on this loop and starts
 * reading. */
static void net__adopt(void *item)
{
    struct client *c = item;
    int is_unix = (c->flags & CLIENT_UNIX) != 0;
    if (is_unix)
        uv_pipe_init(net__me->loop, &c->io.pipe, 0);
    else
        uv_tcp_init(net__me->loop, &c->io.tcp);
    c->flags |= CLIENT_ADOPTED;
    if ((is_unix ? uv_pipe_open(&c->io.pipe, c->fd) : uv_tcp_open(&c->io.tcp, c->fd)) != 0) {
        close(c->fd);
        client_close(c, 0);
        return;
    }
    c->io.handle.data = c;
    if (!is_unix) {
        uv_tcp_nodelay(&c->io.tcp, 1);
        if (CFG(tcp_keepalive) > 0) uv_tcp_keepalive(&c->io.tcp, 1, (unsigned)CFG(tcp_keepalive));
    }
    STAT_INC(connections, 1);
    uv_read_start(&c->io.stream, net__alloc, net__read);
    if (net__busy.epfd >= 0) net__busy_watch(c, NULL);
}

/* Accepts what the listening socket has (a bounded batch per wake-up)
 * and spreads the connections over the event-loop threads round robin. */
static void net__accept_from(struct listener *l)
{
    for (int i = 0; i < NET_ACCEPT_BATCH; i++) {
        int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) break;
        if (client_admit() != 0) {
            static const char msg[] = "-ERR max number of clients reached\r\n";
            ssize_t n = write(fd, msg, sizeof(msg) - 1);
            (void)n;
            close(fd);
            STAT_INC(rejected_connections, 1);
            continue;
        }
        /* Round robin over the threads whose client lists are up. */
        int n = worker_count();
        struct client_thread *t = NULL;
        for (int tries = 0; tries < n && t == NULL; tries++)
            t = client_thread_of((int)(net__next_worker++ % (unsigned)n));
        if (t == NULL) t = client_thread_self();
        struct client *c = net__client_new(l, fd, net__next_id++, t);
        if (t == client_thread_self())
            net__adopt(c);
        else
            worker_assign(client_worker(c), c);
    }
}

static void net__on_accept(uv_poll_t *p, int status, int events)
{
    (void)events;
    if (status < 0) return;
    net__accept_from(p->data);
}

static void net__listener_closed(uv_handle_t *h)
{
    struct listener *l = h->data;
    close(l->fd);
    mem_free(l->path);
    mem_free(l);
}

static void net__close_listeners(struct listeners *ls)
{
    for (int i = 0; i < ls->n; i++) uv_close((uv_handle_t *)&ls->l[i]->poll, net__listener_closed);
    ls->n = 0;
}

/* Watches listening socket fd (path: a unix socket's) from the main loop. */
static void net__add_listener(struct listeners *ls, int fd, const char *path)
{
    struct listener *l = mem_calloc(sizeof(*l));
    l->fd = fd;
    l->path = path ? mem_strndup(path, strlen(path)) : NULL;
    uv_poll_init_socket(net__main_loop, &l->poll, fd);
    l->poll.data = l;
    uv_poll_start(&l->poll, UV_READABLE, net__on_accept);
    ls->l[ls->n++] = l;
}

int net_resolve(const char *addr, int port, struct sockaddr_storage *sa, const char **why)
{
    const char *host = addr;
    if (strcmp(addr, "*") == 0)
        host = "0.0.0.0";
    else if (strcmp(addr, "::*") == 0)
        host = "::";
    memset(sa, 0, sizeof(*sa));
    if (uv_ip4_addr(host, port, (struct sockaddr_in *)sa) == 0 ||
        uv_ip6_addr(host, port, (struct sockaddr_in6 *)sa) == 0)
        return 0;
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = strchr(host, ':') ? AF_INET6 : AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    int rc = getaddrinfo(host, NULL, &hints, &res);
    if (rc != 0 || res == NULL) {
        *why = rc != 0 ? gai_strerror(rc) : "no address";
        return -1;
    }
    memcpy(sa, res->ai_addr, res->ai_addrlen);
    if (sa->ss_family == AF_INET)
        ((struct sockaddr_in *)sa)->sin_port = htons((uint16_t)port);
    else
        ((struct sockaddr_in6 *)sa)->sin6_port = htons((uint16_t)port);
    freeaddrinfo(res);
    return 0;
}

/* A listening socket made by hand (not a uv_tcp_t): the main loop only
 * polls it, and accepted sockets are opened on whichever thread's loop
 * serves them. */
static int net__listen(struct listeners *ls, const char *addr, int port, int optional)
{
    struct sockaddr_storage sa;
    const char *why = NULL;
    if (net_resolve(addr, port, &sa, &why) != 0) {
        log_msg(LL_WARNING, "Warning: Could not create server TCP listening socket %s:%d: %s", addr,
                port, why);
        return -1;
    }
    if (ls->n == NET_MAX_LISTENERS) return -1;
    int v6 = sa.ss_family == AF_INET6;
    int fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int err = fd < 0 ? errno : 0;
    int one = 1;
    if (fd >= 0) {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (v6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
        socklen_t salen = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
        if (bind(fd, (struct sockaddr *)&sa, salen) != 0 || listen(fd, CFG(tcp_backlog)) != 0)
            err = errno;
    }
    if (err != 0) {
        if (fd >= 0) close(fd);
        if (optional && (err == EADDRNOTAVAIL || err == EAFNOSUPPORT)) {
            log_msg(LL_NOTICE, "Skipping optional bind address %s: %s", addr, strerror(err));
            return 0;
        }
        log_msg(LL_WARNING, "Warning: Could not create server TCP listening socket %s:%d: %s", addr,
                port, strerror(err));
        return -1;
    }
    net__add_listener(ls, fd, NULL);
    return 0;
}

/* The unix socket listener at path (a file there before is replaced, as
 * Redis does), with mode perm unless 0. */
static int net__listen_unix(struct listeners *ls, const char *path, int perm)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(sa.sun_path)) {
        log_msg(LL_WARNING, "Failed opening Unix socket: path too long: %s", path);
        return -1;
    }
    memcpy(sa.sun_path, path, strlen(path) + 1);
    unlink(path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const char *step = "socket";
    if (fd >= 0) {
        step = "bind";
        if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
            step = "chmod";
            if (perm == 0 || chmod(path, (mode_t)perm) == 0) {
                step = "listen";
                if (listen(fd, CFG(tcp_backlog)) == 0) {
                    net__add_listener(ls, fd, path);
                    return 0;
                }
            }
        }
    }
    log_msg(LL_WARNING, "Failed opening Unix socket: %s: %s", step, strerror(errno));
    if (fd >= 0) close(fd);
    return -1;
}

/* Opens every address of `bind` on `port` into ls (none when port is 0:
 * no TCP); all or nothing. */
static int net__listen_all(struct listeners *ls, const char *bind, int port)
{
    if (port == 0) return 0;
    char *copy = mem_strndup(bind, strlen(bind));
    char *save = NULL;
    int rc = 0, before = ls->n;
    for (char *tok = strtok_r(copy, " ", &save); tok && rc == 0; tok = strtok_r(NULL, " ", &save)) {
        int optional = tok[0] == '-';
        rc = net__listen(ls, optional ? tok + 1 : tok, port, optional);
    }
    mem_free(copy);
    if (rc == 0 && ls->n == before) rc = -1;
    if (rc != 0) net__close_listeners(ls);
    return rc;
}

/* Closes this thread's clients idle for longer than `timeout`. */
static void net__on_cron(uv_timer_t *t)
{
    (void)t;
    client_close_idle(util_mstime());
}

/* libuv runs check handles right after the poll phase's callbacks: the
 * batches read in this iteration have run, and their replies go out
 * together. */
static void net__on_flush(uv_check_t *h)
{
    (void)h;
    client_flush_held();
}

void net_thread_start(void)
{
    if (net__rbuf == NULL) net__rbuf = mem_alloc(NET_READ_BUF);
    struct netthread *t = mem_calloc(sizeof(*t));
    t->loop = worker_loop(worker_self());
    uv_timer_init(t->loop, &t->cron);
    uv_timer_start(&t->cron, net__on_cron, 1000, 1000);
    uv_check_init(t->loop, &t->flush);
    uv_check_start(&t->flush, net__on_flush);
    client_hold_replies(1);
    net__me = t;
}

void net_thread_exit(void)
{
    mem_free(net__rbuf);
    net__rbuf = NULL;
    mem_free(net__me);
    net__me = NULL;
}

static const struct call_busy_server net__busy_server;

/* A client that waited on keys (services/blocking.c) runs the requests
 * it sent meanwhile. */
static void net__resume(struct client *c)
{
    if (c->flags &
        (CLIENT_CLOSING | CLIENT_KILLED | CLIENT_BLOCKED | CLIENT_POSTPONED | CLIENT_READ_PAUSED))
        return;
    if (c->qbuf) {
        call_batch_begin(util_mstime());
        net__process(c, c->qbuf, c->qlen);
    }
}

int net_setup(uv_loop_t *loop)
{
    net__main_loop = loop;
    blocking_set_resume(net__resume);
    worker_set_adopt(net__adopt);
    client_set_transport(&net__transport);
    call_set_busy_server(&net__busy_server);
    if (net__listen_all(&net__listeners, cfg.bind, CFG(port)) != 0) {
        log_msg(LL_WARNING, "Failed listening on port %d (tcp), aborting.", CFG(port));
        return -1;
    }
    if (cfg.unixsocket[0] &&
        net__listen_unix(&net__listeners, cfg.unixsocket, CFG(unixsocketperm)) != 0) {
        log_msg(LL_WARNING, "Failed listening on unix socket %s, aborting.", cfg.unixsocket);
        net__close_listeners(&net__listeners);
        return -1;
    }
    if (net__listeners.n == 0) {
        log_msg(LL_WARNING, "Configured to not listen anywhere, exiting.");
        return -1;
    }
    return 0;
}

int net_rebind(const char *bind, int port)
{
    struct listeners fresh = {{0}, 0};
    if (net__listen_all(&fresh, bind, port) != 0) return -1;
    /* The unix socket stays; the old TCP sockets close. */
    struct listeners old = {{0}, 0};
    for (int i = 0; i < net__listeners.n; i++) {
        struct listener *l = net__listeners.l[i];
        if (l->path && fresh.n < NET_MAX_LISTENERS)
            fresh.l[fresh.n++] = l;
        else
            old.l[old.n++] = l;
    }
    net__close_listeners(&old);
    net__listeners = fresh;
    return 0;
}

void net_teardown(void)
{
    for (int i = 0; i < net__listeners.n; i++)
        if (net__listeners.l[i]->path) {
            log_msg(LL_NOTICE, "Removing the unix socket file.");
            if (unlink(net__listeners.l[i]->path) != 0)
                log_msg(LL_WARNING, "Error removing the unix socket file: %s", strerror(errno));
        }
    net__close_listeners(&net__listeners);
    client_thread_stop();
}

/* ---- serving while a script is busy ----
 *
 * A script past busy-reply-threshold runs on, but the server must keep
 * answering (BUSY to most commands; SCRIPT KILL and SHUTDOWN NOSAVE must
 * get through). libuv's loop cannot be re-entered from inside a callback,
 * so from the script's hook this thread serves its sockets by hand: one
 * epoll set with its clients (and, on the main thread, the listening
 * sockets, so a new redis-cli can connect to send SCRIPT KILL), polled
 * without waiting. Requests read this way go through the usual parsing and
 * dispatch; their replies are written at once. The script's caller is
 * left alone (its next requests wait for the script's reply), and reads go
 * to a buffer of their own: the thread's read buffer still holds the
 * caller's pipelined requests. libuv reads whatever is left once the loop
 * runs again. */

static int net__busy_eligible(const struct client *c)
{
    return c != net__busy.caller && (c->flags & CLIENT_ADOPTED) &&
           !(c->flags &
             (CLIENT_CLOSING | CLIENT_READ_PAUSED | CLIENT_KILLED | CLIENT_CLOSE_AFTER_REPLY));
}

static void net__busy_watch(struct client *c, void *arg)
{
    (void)arg;
    if (!net__busy_eligible(c)) return;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(net__busy.epfd, EPOLL_CTL_ADD, c->fd, &ev);
}

static void net__busy_begin(struct client *caller)
{
    net__busy.epfd = epoll_create1(EPOLL_CLOEXEC);
    if (net__busy.epfd < 0) return;
    net__busy.caller = caller;
    /* No iteration ends while the script runs: replies go out at once. */
    client_hold_replies(0);
    if (net__busy.rbuf == NULL) net__busy.rbuf = mem_alloc(NET_READ_BUF);
    /* The acceptor adds to this thread's list from its own thread: the
     * visit holds the list's lock. */
    client_each_local(net__busy_watch, NULL);
    if (net__me->loop == net__main_loop) {
        for (int i = 0; i < net__listeners.n; i++) {
            struct epoll_event ev = {.events = EPOLLIN, .data.ptr = net__listeners.l[i]};
            epoll_ctl(net__busy.epfd, EPOLL_CTL_ADD, net__listeners.l[i]->fd, &ev);
        }
    }
}

static int net__is_listener(const void *p)
{
    for (int i = 0; i < net__listeners.n; i++)
        if (net__listeners.l[i] == p) return 1;
    return 0;
}

/* Reads what c has and runs its complete requests. */
static void net__busy_read(struct client *c)
{
    uv_buf_t buf;
    if (c->qbuf)
        net__alloc(&c->io.handle, NET_READ_BUF, &buf);
    else
        buf = uv_buf_init(net__busy.rbuf, NET_READ_BUF);
    ssize_t n = recv(c->fd, buf.base, buf.len, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
    if (n <= 0) {
        client_close(c, 0);
        return;
    }
    net__received(c, buf.base, (size_t)n, util_mstime());
}

static void net__busy_poll(void)
{
    if (net__busy.epfd < 0) return;
    struct client *caller = net__busy.caller;
    /* The held replies and the caller's so far go out now: the scratch
     * buffer is about to serve other clients. */
    if (!(caller->flags & CLIENT_CLOSING)) client_flush_scratch(caller);
    long long now = clock_now();
    worker_poll();
    struct epoll_event evs[64];
    int n = epoll_wait(net__busy.epfd, evs, 64, 0);
    for (int i = 0; i < n; i++) {
        void *p = evs[i].data.ptr;
        if (net__is_listener(p)) {
            net__accept_from(p);
            continue;
        }
        struct client *c = p;
        if (!net__busy_eligible(c)) {
            epoll_ctl(net__busy.epfd, EPOLL_CTL_DEL, c->fd, NULL);
            continue;
        }
        net__busy_read(c);
        if (!net__busy_eligible(c) && !(c->flags & CLIENT_CLOSING))
            epoll_ctl(net__busy.epfd, EPOLL_CTL_DEL, c->fd, NULL);
    }
    client_batch_resume(caller);
    clock_set_now(now);
    call_set_current(caller);
}

static void net__busy_end(void)
{
    if (net__busy.epfd < 0) return;
    close(net__busy.epfd);
    net__busy.epfd = -1;
    client_hold_replies(1);
    net__busy.caller = NULL;
    mem_free(net__busy.rbuf);
    net__busy.rbuf = NULL;
}

static const struct call_busy_server net__busy_server = {net__busy_begin, net__busy_poll,
                                                         net__busy_end};

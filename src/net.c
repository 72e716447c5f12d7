/* net.c - libuv listeners, client connections, reading and writing.
 *
 * Reading: a client with no partial request reads into a per-thread
 * buffer, and its complete requests are executed straight from there
 * (arguments point into it, nothing is copied). Only the tail of a request
 * split across reads is copied into a buffer of the client's own, which is
 * freed again once the request completes, so idle connections cost no
 * buffer at all.
 *
 * Writing: replies of one read's batch of commands are gathered in a
 * per-thread scratch buffer and written with a single write() when the
 * batch ends (pipelining costs one syscall per read, not per command).
 * What the socket does not take goes to a queue of blocks owned by the
 * client and is written by libuv when the socket is writable, so a client
 * that does not read its replies never blocks the others. A client with a
 * large backlog stops being read until it drains. */
#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "config.h"
#include "db.h"
#include "log.h"
#include "mem.h"
#include "stats.h"
#include "util.h"

#define NET_READ_BUF      (64 * 1024)
#define NET_SCRATCH       (64 * 1024)
#define NET_BLOCK         (16 * 1024)
#define NET_MAX_LISTENERS 16
#define NET_WRITE_IOVS    64
/* Output backlog at which a client stops being read, and where it resumes. */
#define NET_PAUSE_BYTES  (8 * 1024 * 1024)
#define NET_RESUME_BYTES (1024 * 1024)
#define NET_INLINE_MAX   (64 * 1024)

static uv_loop_t *net__loop;
/* The listening sockets; CONFIG SET port/bind opens a new set before
 * closing the old one, so a failed change leaves the server listening. */
struct listeners {
    uv_tcp_t *tcp[NET_MAX_LISTENERS];
    int n;
};
static struct listeners net__listeners;
static struct client *net__clients;
static size_t net__nclients;
static uint64_t net__next_id = 1;

/* Per event-loop thread: the read buffer, the reply scratch buffer and
 * which client's batch is running. */
static _Thread_local char *net__rbuf;
static _Thread_local char *net__obuf;
static _Thread_local size_t net__olen;
static _Thread_local struct client *net__batch;

static void net__process(struct client *c, char *data, size_t len);
static void net__start_write(struct client *c);
static void net__on_close(uv_handle_t *h);
static void net__alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf);
static void net__read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);

struct client *net_clients(void)
{
    return net__clients;
}

size_t net_client_count(void)
{
    return net__nclients;
}

/* ---- output ---- */

static void net__queue(struct client *c, const char *p, size_t len)
{
    struct outblock *b = c->out_tail;
    while (len) {
        /* Blocks covered by a write in flight (sent) are never appended to. */
        if (b == NULL || b->sent || b->len == b->cap) {
            size_t cap = len > NET_BLOCK ? len : NET_BLOCK;
            struct outblock *nb = mem_alloc(sizeof(*nb) + cap);
            nb->next = NULL;
            nb->len = 0;
            nb->cap = cap;
            nb->sent = 0;
            if (c->out_tail)
                c->out_tail->next = nb;
            else
                c->out_head = nb;
            c->out_tail = nb;
            b = nb;
        }
        size_t n = b->cap - b->len;
        if (n > len) n = len;
        memcpy(b->data + b->len, p, n);
        b->len += n;
        c->out_bytes += n;
        p += n;
        len -= n;
    }
}

/* Writes as much of (p, len) as the socket takes now; queues the rest.
 * An error other than EAGAIN closes the client. */
static void net__write_now(struct client *c, const char *p, size_t len)
{
    uv_buf_t buf = uv_buf_init((char *)p, (unsigned)len);
    int n = uv_try_write((uv_stream_t *)&c->tcp, &buf, 1);
    STAT_INC(io_writes, 1);
    if (n == UV_EAGAIN) n = 0;
    if (n < 0) {
        net_close_client(c, 0);
        return;
    }
    if ((size_t)n < len) net__queue(c, p + n, len - (size_t)n);
}

static void net__flush_scratch(struct client *c)
{
    if (net__olen == 0) return;
    size_t len = net__olen;
    net__olen = 0;
    if (c->out_head)
        net__queue(c, net__obuf, len);
    else
        net__write_now(c, net__obuf, len);
}

void net_write(struct client *c, const char *p, size_t len)
{
    if (c->flags & CLIENT_CLOSING) return;
    c->net_out += len;
    STAT_INC(net_output_bytes, len);
    if (c == net__batch && c->out_head == NULL) {
        if (net__olen + len <= NET_SCRATCH) {
            memcpy(net__obuf + net__olen, p, len);
            net__olen += len;
            return;
        }
        net__flush_scratch(c);
        if (c->out_head == NULL && !(c->flags & CLIENT_CLOSING)) {
            if (len > NET_SCRATCH) {
                net__write_now(c, p, len);
            } else {
                memcpy(net__obuf, p, len);
                net__olen = len;
            }
            return;
        }
    }
    net__queue(c, p, len);
    if (c != net__batch && !c->writing && !(c->flags & CLIENT_CLOSING)) net__start_write(c);
}

static void net__write_done(uv_write_t *req, int status)
{
    struct client *c = req->data;
    c->writing = 0;
    /* Every block marked sent was fully written by this request. */
    while (c->out_head && c->out_head->sent) {
        struct outblock *b = c->out_head;
        c->out_head = b->next;
        c->out_bytes -= b->len;
        mem_free(b);
    }
    if (c->out_head == NULL) c->out_tail = NULL;
    if (c->flags & CLIENT_CLOSING) return;
    if (status < 0) {
        net_close_client(c, 0);
        return;
    }
    if (c->out_head) {
        net__start_write(c);
    } else if (c->flags & CLIENT_CLOSE_AFTER_REPLY) {
        net_close_client(c, 0);
        return;
    }
    if ((c->flags & CLIENT_READ_PAUSED) && c->out_bytes < NET_RESUME_BYTES) {
        c->flags &= ~CLIENT_READ_PAUSED;
        /* Requests already buffered run now; reading resumes after. */
        if (c->qbuf) {
            command_batch_begin(util_mstime());
            net__process(c, c->qbuf, c->qlen);
        }
        if (!(c->flags & (CLIENT_CLOSING | CLIENT_READ_PAUSED)))
            uv_read_start((uv_stream_t *)&c->tcp, net__alloc, net__read);
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
    if (uv_write(&c->wreq, (uv_stream_t *)&c->tcp, bufs, n, net__write_done) != 0) {
        c->writing = 0;
        net_close_client(c, 0);
    }
}

/* ---- closing ---- */

static void net__unlink(struct client *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        net__clients = c->next;
    if (c->next) c->next->prev = c->prev;
    c->prev = c->next = NULL;
    net__nclients--;
}

void net_close_client(struct client *c, unsigned flags)
{
    if (c->flags & CLIENT_CLOSING) return;
    if (flags & CLIENT_CLOSE_AFTER_REPLY) {
        c->flags |= CLIENT_CLOSE_AFTER_REPLY;
        if (c == net__batch || c->writing || c->out_head) return;
    } else if (c == net__batch) {
        c->flags |= CLIENT_KILLED;
        return;
    }
    c->flags |= CLIENT_CLOSING;
    net__unlink(c);
    uv_read_stop((uv_stream_t *)&c->tcp);
    uv_close((uv_handle_t *)&c->tcp, net__on_close);
}

static void net__on_close(uv_handle_t *h)
{
    struct client *c = (struct client *)h;
    /* A write in flight was cancelled before this callback and its
     * callback already ran (libuv guarantees the order). */
    while (c->out_head) {
        struct outblock *b = c->out_head;
        c->out_head = b->next;
        mem_free(b);
    }
    mem_free(c->qbuf);
    mem_free(c->argv);
    mem_free(c->name);
    mem_free(c->lib_name);
    mem_free(c->lib_ver);
    resp_request_free(&c->req);
    mem_free(c);
}

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
    net_write(c, buf, (size_t)n);
    log_msg(LL_VERBOSE, "Protocol error (%s) from client: id=%llu addr=%s", msg,
            (unsigned long long)c->id, c->addr);
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
}

/* Executes every complete request in (data, len) and keeps the tail. */
static void net__process(struct client *c, char *data, size_t len)
{
    struct resp_limits lim = {CFG(proto_max_bulk_len), NET_INLINE_MAX};
    size_t pos = 0;

    net__batch = c;
    c->flags |= CLIENT_IN_BATCH;
    while (pos < len && !(c->flags & (CLIENT_CLOSE_AFTER_REPLY | CLIENT_KILLED))) {
        if (c->out_bytes > NET_PAUSE_BYTES) {
            c->flags |= CLIENT_READ_PAUSED;
            uv_read_stop((uv_stream_t *)&c->tcp);
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
            command_execute(c);
            c->argc = 0;
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
    net__batch = NULL;
    c->flags &= ~CLIENT_IN_BATCH;
    if (!(c->flags & CLIENT_CLOSING))
        net__flush_scratch(c);
    else
        net__olen = 0;
    if (c->flags & CLIENT_KILLED) {
        net_close_client(c, 0);
        return;
    }
    if (c->out_head && !c->writing)
        net__start_write(c);
    else if (!c->out_head && (c->flags & CLIENT_CLOSE_AFTER_REPLY))
        net_close_client(c, 0);
}

static void net__read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    struct client *c = s->data;
    if (nread == 0) return;
    if (nread < 0) {
        net_close_client(c, 0);
        return;
    }
    STAT_INC(io_reads, 1);
    STAT_INC(net_input_bytes, (uint64_t)nread);
    c->net_in += (uint64_t)nread;
    c->last_interaction_ms = util_mstime();
    command_batch_begin(c->last_interaction_ms);
    if (c->qbuf) {
        c->qlen += (size_t)nread;
        net__process(c, c->qbuf, c->qlen);
    } else {
        net__process(c, buf->base, (size_t)nread);
    }
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

static void net__reject_close(uv_handle_t *h)
{
    mem_free(h);
}

static void net__on_connection(uv_stream_t *server, int status)
{
    if (status < 0) return;
    struct client *c = mem_calloc(sizeof(*c));
    uv_tcp_init(net__loop, &c->tcp);
    if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0) {
        uv_close((uv_handle_t *)&c->tcp, net__reject_close);
        return;
    }
    if (net__nclients >= (size_t)CFG(maxclients)) {
        static const char msg[] = "-ERR max number of clients reached\r\n";
        uv_buf_t b = uv_buf_init((char *)msg, sizeof(msg) - 1);
        uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
        STAT_INC(rejected_connections, 1);
        uv_close((uv_handle_t *)&c->tcp, net__reject_close);
        return;
    }
    c->tcp.data = c;
    c->id = net__next_id++;
    c->resp = 2;
    c->dbid = 0;
    c->db = db_get(0);
    c->ctime_ms = c->last_interaction_ms = util_mstime();
    resp_request_init(&c->req);
    uv_os_fd_t fd;
    c->fd = uv_fileno((uv_handle_t *)&c->tcp, &fd) == 0 ? (int)fd : -1;
    struct sockaddr_storage sa;
    int len = sizeof(sa);
    if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&sa, &len) == 0)
        net__format_addr(&sa, c->addr, sizeof(c->addr));
    len = sizeof(sa);
    if (uv_tcp_getsockname(&c->tcp, (struct sockaddr *)&sa, &len) == 0)
        net__format_addr(&sa, c->laddr, sizeof(c->laddr));
    uv_tcp_nodelay(&c->tcp, 1);
    if (CFG(tcp_keepalive) > 0) uv_tcp_keepalive(&c->tcp, 1, (unsigned)CFG(tcp_keepalive));
    c->next = net__clients;
    if (net__clients) net__clients->prev = c;
    net__clients = c;
    net__nclients++;
    STAT_INC(connections, 1);
    uv_read_start((uv_stream_t *)&c->tcp, net__alloc, net__read);
}

static void net__listener_closed(uv_handle_t *h)
{
    mem_free(h);
}

static void net__close_listeners(struct listeners *ls)
{
    for (int i = 0; i < ls->n; i++) uv_close((uv_handle_t *)ls->tcp[i], net__listener_closed);
    ls->n = 0;
}

static int net__listen(struct listeners *ls, const char *addr, int port, int optional)
{
    struct sockaddr_storage sa;
    const char *host = addr;
    if (strcmp(addr, "*") == 0)
        host = "0.0.0.0";
    else if (strcmp(addr, "::*") == 0)
        host = "::";
    if (uv_ip4_addr(host, port, (struct sockaddr_in *)&sa) != 0 &&
        uv_ip6_addr(host, port, (struct sockaddr_in6 *)&sa) != 0) {
        log_msg(LL_WARNING, "Invalid bind address '%s'", addr);
        return -1;
    }
    if (ls->n == NET_MAX_LISTENERS) return -1;
    uv_tcp_t *l = mem_alloc(sizeof(*l));
    uv_tcp_init(net__loop, l);
    unsigned flags = sa.ss_family == AF_INET6 ? UV_TCP_IPV6ONLY : 0;
    int rc = uv_tcp_bind(l, (struct sockaddr *)&sa, flags);
    if (rc == 0) rc = uv_listen((uv_stream_t *)l, CFG(tcp_backlog), net__on_connection);
    if (rc != 0) {
        uv_close((uv_handle_t *)l, net__listener_closed);
        if (optional && (rc == UV_EADDRNOTAVAIL || rc == UV_EAFNOSUPPORT)) {
            log_msg(LL_NOTICE, "Skipping optional bind address %s: %s", addr, uv_strerror(rc));
            return 0;
        }
        log_msg(LL_WARNING, "Warning: Could not create server TCP listening socket %s:%d: %s", host,
                port, uv_strerror(rc));
        return -1;
    }
    ls->tcp[ls->n++] = l;
    return 0;
}

/* Opens every address of `bind` on `port` into ls; all or nothing. */
static int net__listen_all(struct listeners *ls, const char *bind, int port)
{
    char *copy = mem_strndup(bind, strlen(bind));
    char *save = NULL;
    int rc = 0;
    for (char *tok = strtok_r(copy, " ", &save); tok && rc == 0; tok = strtok_r(NULL, " ", &save)) {
        int optional = tok[0] == '-';
        rc = net__listen(ls, optional ? tok + 1 : tok, port, optional);
    }
    mem_free(copy);
    if (rc == 0 && ls->n == 0) rc = -1;
    if (rc != 0) net__close_listeners(ls);
    return rc;
}

int net_setup(uv_loop_t *loop)
{
    net__loop = loop;
    if (net__rbuf == NULL) net__rbuf = mem_alloc(NET_READ_BUF);
    if (net__obuf == NULL) net__obuf = mem_alloc(NET_SCRATCH);
    if (net__listen_all(&net__listeners, cfg.bind, CFG(port)) != 0) {
        log_msg(LL_WARNING, "Failed listening on port %d (tcp), aborting.", CFG(port));
        return -1;
    }
    return 0;
}

int net_rebind(const char *bind, int port)
{
    struct listeners fresh = {{0}, 0};
    if (net__listen_all(&fresh, bind, port) != 0) return -1;
    net__close_listeners(&net__listeners);
    net__listeners = fresh;
    return 0;
}

void net_teardown(void)
{
    net__close_listeners(&net__listeners);
    while (net__clients) net_close_client(net__clients, 0);
}

void net_clients_cron(long long now_ms, long long timeout)
{
    if (timeout <= 0) return;
    struct client *c = net__clients;
    while (c) {
        struct client *next = c->next;
        if (!c->writing && now_ms - c->last_interaction_ms > timeout * 1000) {
            log_msg(LL_VERBOSE, "Closing idle client");
            net_close_client(c, 0);
        }
        c = next;
    }
}

size_t net_clients_memory(void)
{
    size_t n = 0;
    for (struct client *c = net__clients; c; c = c->next) {
        n += sizeof(*c) + c->qcap + c->out_bytes + c->req.argv_cap * sizeof(struct resp_span) +
             c->argv_cap * sizeof(struct arg);
    }
    return n;
}

/* http.c - /healthz, /readyz and /metrics over HTTP/1.x on the main event
 * loop, with libuv sockets and Debian's http-parser for the requests.
 *
 * Deliberately small: probes and scrapers send one short GET and read
 * one reply, so each connection serves one request and closes (the reply
 * says Connection: close). Bounded: at most HTTP_MAX_CONNS connections at
 * once (more are closed at accept), requests over HTTP_MAX_REQUEST bytes
 * get 431, and a connection idle for HTTP_IDLE_MS is closed. /metrics runs
 * INFO on this thread, as an INFO command from a client of this thread
 * would. */
#include "server/http.h"

#include <http_parser.h>
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/util.h"
#include "commands/commands.h"
#include "server/metrics.h"
#include "server/net.h"

#define HTTP_MAX_CONNS   64
#define HTTP_MAX_REQUEST 8192
#define HTTP_IDLE_MS     5000
#define HTTP_MAX_PATH    256

struct http_conn {
    uv_tcp_t tcp; /* first: the handle's address is the connection's */
    uv_timer_t idle;
    http_parser parser;
    size_t received;
    char path[HTTP_MAX_PATH];
    size_t path_len;
    int path_too_long;
    int replied;
    int handles_open; /* tcp and idle: freed when both have closed */
    uv_write_t wreq;
    char *reply;
    struct http_conn *prev, *next; /* the open connections, for shutdown */
};

static uv_loop_t *http__loop;
static uv_tcp_t http__listener;
static int http__listening;
static int http__ready;
static int http__conns;
static struct http_conn *http__open;
static http_parser_settings http__settings;

void http_set_ready(int ready)
{
    http__ready = ready;
}

static void http__handle_closed(uv_handle_t *h)
{
    struct http_conn *hc = h->data;
    if (--hc->handles_open > 0) return;
    if (hc->prev)
        hc->prev->next = hc->next;
    else
        http__open = hc->next;
    if (hc->next) hc->next->prev = hc->prev;
    mem_free(hc->reply);
    mem_free(hc);
    http__conns--;
}

static void http__close(struct http_conn *hc)
{
    if (uv_is_closing((uv_handle_t *)&hc->tcp)) return;
    uv_close((uv_handle_t *)&hc->idle, http__handle_closed);
    uv_close((uv_handle_t *)&hc->tcp, http__handle_closed);
}

static void http__written(uv_write_t *req, int status)
{
    (void)status;
    http__close(req->data);
}

/* Sends status, headers and body (none for HEAD), then closes. */
static void http__reply(struct http_conn *hc, int status, const char *reason, const char *type,
                        const char *body, size_t body_len, const char *extra_headers)
{
    if (hc->replied) return;
    hc->replied = 1;
    uv_read_stop((uv_stream_t *)&hc->tcp);
    int head_only = hc->parser.method == HTTP_HEAD;
    char head[512];
    int n = snprintf(head, sizeof(head),
                     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"
                     "Connection: close\r\n\r\n",
                     status, reason, type, body_len, extra_headers ? extra_headers : "");
    size_t total = (size_t)n + (head_only ? 0 : body_len);
    hc->reply = mem_alloc(total);
    memcpy(hc->reply, head, (size_t)n);
    if (!head_only) memcpy(hc->reply + n, body, body_len);
    uv_buf_t buf = uv_buf_init(hc->reply, (unsigned)total);
    hc->wreq.data = hc;
    if (uv_write(&hc->wreq, (uv_stream_t *)&hc->tcp, &buf, 1, http__written) != 0) http__close(hc);
}

static void http__text(struct http_conn *hc, int status, const char *reason, const char *body)
{
    http__reply(hc, status, reason, "text/plain; charset=utf-8", body, strlen(body), NULL);
}

/* ---- the endpoints ---- */

static void http__metrics(struct http_conn *hc)
{
    size_t info_len, len;
    char *info = info_text("everything", &info_len);
    char *text = metrics_from_info(info, info_len, CFG(databases), util_mstime() / 1000, &len);
    mem_free(info);
    http__reply(hc, 200, "OK", "text/plain; version=0.0.4; charset=utf-8", text, len, NULL);
    mem_free(text);
}

static void http__route(struct http_conn *hc)
{
    if (hc->path_too_long) {
        http__text(hc, 414, "URI Too Long", "URI too long\n");
        return;
    }
    size_t n = strcspn(hc->path, "?#"); /* the query is not looked at */
    hc->path[n] = '\0';
    int known = !strcmp(hc->path, "/healthz") || !strcmp(hc->path, "/readyz") ||
                !strcmp(hc->path, "/metrics");
    if (!known) {
        http__text(hc, 404, "Not Found", "not found: try /metrics, /healthz or /readyz\n");
    } else if (hc->parser.method != HTTP_GET && hc->parser.method != HTTP_HEAD) {
        http__reply(hc, 405, "Method Not Allowed", "text/plain; charset=utf-8",
                    "method not allowed\n", 19, "Allow: GET, HEAD\r\n");
    } else if (!strcmp(hc->path, "/healthz")) {
        http__text(hc, 200, "OK", "ok\n");
    } else if (!strcmp(hc->path, "/readyz")) {
        if (http__ready)
            http__text(hc, 200, "OK", "ready\n");
        else
            http__text(hc, 503, "Service Unavailable", "not ready\n");
    } else {
        http__metrics(hc);
    }
}

/* ---- parsing ---- */

static int http__on_url(http_parser *p, const char *at, size_t len)
{
    struct http_conn *hc = p->data;
    if (hc->path_len + len >= HTTP_MAX_PATH) {
        hc->path_too_long = 1;
        return 0;
    }
    memcpy(hc->path + hc->path_len, at, len);
    hc->path_len += len;
    hc->path[hc->path_len] = '\0';
    return 0;
}

static int http__on_complete(http_parser *p)
{
    http__route(p->data);
    return 1; /* one request per connection: stop parsing */
}

static void http__alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    (void)suggested;
    static char chunk[4096]; /* main loop only: parsed before the next read */
    *buf = uv_buf_init(chunk, sizeof(chunk));
}

static void http__read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    struct http_conn *hc = s->data;
    if (nread < 0) {
        http__close(hc);
        return;
    }
    if (nread == 0 || hc->replied) return;
    hc->received += (size_t)nread;
    if (hc->received > HTTP_MAX_REQUEST) {
        http__text(hc, 431, "Request Header Fields Too Large", "request too large\n");
        return;
    }
    http_parser_execute(&hc->parser, &http__settings, buf->base, (size_t)nread);
    if (!hc->replied && HTTP_PARSER_ERRNO(&hc->parser) != HPE_OK &&
        HTTP_PARSER_ERRNO(&hc->parser) != HPE_CB_message_complete)
        http__text(hc, 400, "Bad Request", "bad request\n");
}

static void http__on_idle(uv_timer_t *t)
{
    http__close(t->data);
}

static void http__on_connection(uv_stream_t *server, int status)
{
    if (status < 0) return;
    struct http_conn *hc = mem_calloc(sizeof(*hc));
    uv_tcp_init(http__loop, &hc->tcp);
    uv_timer_init(http__loop, &hc->idle);
    hc->tcp.data = hc->idle.data = hc;
    hc->handles_open = 2;
    hc->next = http__open;
    if (http__open) http__open->prev = hc;
    http__open = hc;
    http__conns++;
    if (uv_accept(server, (uv_stream_t *)&hc->tcp) != 0 || http__conns > HTTP_MAX_CONNS) {
        http__close(hc);
        return;
    }
    http_parser_init(&hc->parser, HTTP_REQUEST);
    hc->parser.data = hc;
    uv_timer_start(&hc->idle, http__on_idle, HTTP_IDLE_MS, 0);
    uv_read_start((uv_stream_t *)&hc->tcp, http__alloc, http__read);
}

int http_setup(uv_loop_t *loop)
{
    http__loop = loop;
    int port = CFG(http_port);
    if (port == 0) return 0;
    http_parser_settings_init(&http__settings);
    http__settings.on_url = http__on_url;
    http__settings.on_message_complete = http__on_complete;
    /* The first bind address ("*" by default: every IPv4 interface). */
    config_lock();
    char first[256];
    snprintf(first, sizeof(first), "%s", cfg.bind);
    config_unlock();
    first[strcspn(first, " ")] = '\0';
    const char *addr = first[0] == '-' ? first + 1 : first;
    struct sockaddr_storage sa;
    const char *why = "";
    int rc = net_resolve(addr, port, &sa, &why);
    if (rc == 0) {
        uv_tcp_init(loop, &http__listener);
        rc = uv_tcp_bind(&http__listener, (struct sockaddr *)&sa, 0);
        if (rc == 0) rc = uv_listen((uv_stream_t *)&http__listener, 64, http__on_connection);
        why = rc ? uv_strerror(rc) : why;
        if (rc != 0) uv_close((uv_handle_t *)&http__listener, NULL);
    }
    if (rc != 0) {
        log_msg(LL_WARNING, "Could not listen for HTTP on %s:%d: %s", addr, port, why);
        return -1;
    }
    http__listening = 1;
    log_msg(LL_NOTICE, "HTTP endpoints /metrics /healthz /readyz on %s:%d", addr, port);
    return 0;
}

void http_teardown(void)
{
    http__ready = 0;
    if (http__listening && !uv_is_closing((uv_handle_t *)&http__listener))
        uv_close((uv_handle_t *)&http__listener, NULL);
    http__listening = 0;
    for (struct http_conn *hc = http__open; hc; hc = hc->next) http__close(hc);
}

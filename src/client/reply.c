/* reply.c - RESP2 / RESP3 reply encoding. */
#include "client/reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "base/stats.h"
#include "base/util.h"

void reply_raw(struct client *c, const char *p, size_t len)
{
    client_write(c, p, len);
}

static void reply__header(struct client *c, char type, long long n)
{
    char buf[32];
    buf[0] = type;
    int len = 1 + util_ll2str(buf + 1, n);
    buf[len++] = '\r';
    buf[len++] = '\n';
    client_write(c, buf, (size_t)len);
}

void reply_status(struct client *c, const char *s)
{
    char buf[256];
    size_t n = strlen(s);
    if (n + 3 <= sizeof(buf)) {
        buf[0] = '+';
        memcpy(buf + 1, s, n);
        buf[n + 1] = '\r';
        buf[n + 2] = '\n';
        client_write(c, buf, n + 3);
        return;
    }
    client_write(c, "+", 1);
    client_write(c, s, n);
    client_write(c, "\r\n", 2);
}

void reply_ok(struct client *c)
{
    client_write(c, "+OK\r\n", 5);
}

static void reply__error_len(struct client *c, const char *msg, size_t n, int counted)
{
    char buf[1024];
    if (n > sizeof(buf) - 3) n = sizeof(buf) - 3;
    buf[0] = '-';
    for (size_t i = 0; i < n; i++) buf[i + 1] = (msg[i] == '\r' || msg[i] == '\n') ? ' ' : msg[i];
    buf[n + 1] = '\r';
    buf[n + 2] = '\n';
    client_write(c, buf, n + 3);
    if (counted) stats_count_error(msg, n);
    if (c->cmd) c->cmd_failed = 1;
}

void reply_error(struct client *c, const char *msg)
{
    reply__error_len(c, msg, strlen(msg), 1);
}

void reply_error_counted(struct client *c, const char *msg, int counted)
{
    reply__error_len(c, msg, strlen(msg), counted);
}

void reply_errorf(struct client *c, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof(buf)) n = sizeof(buf) - 1;
    reply__error_len(c, buf, (size_t)n, 1);
}

void reply_error_arity(struct client *c, const char *name)
{
    reply_errorf(c, REPLY_ERR_ARITY_FMT, name);
}

void reply_long(struct client *c, long long v)
{
    if (v >= 0 && v < 10) {
        char buf[4] = {':', (char)('0' + v), '\r', '\n'};
        client_write(c, buf, 4);
        return;
    }
    reply__header(c, ':', v);
}

void reply_bulk(struct client *c, const char *p, size_t len)
{
    char buf[64 + 32];
    buf[0] = '$';
    size_t n = 1 + (size_t)util_ll2str(buf + 1, (long long)len);
    buf[n++] = '\r';
    buf[n++] = '\n';
    if (len > 64) {
        client_write_framed(c, buf, n, p, len, "\r\n", 2);
        return;
    }
    /* Header, payload and trailer in one append. */
    memcpy(buf + n, p, len);
    n += len;
    buf[n++] = '\r';
    buf[n++] = '\n';
    client_write(c, buf, n);
}

void reply_bulk_cstr(struct client *c, const char *s)
{
    reply_bulk(c, s, strlen(s));
}

void reply_bulk_long(struct client *c, long long v)
{
    char buf[32];
    int n = util_ll2str(buf, v);
    reply_bulk(c, buf, (size_t)n);
}

void reply_null(struct client *c)
{
    if (c->resp >= 3)
        client_write(c, "_\r\n", 3);
    else
        client_write(c, "$-1\r\n", 5);
}

void reply_null_array(struct client *c)
{
    if (c->resp >= 3)
        client_write(c, "_\r\n", 3);
    else
        client_write(c, "*-1\r\n", 5);
}

void reply_array(struct client *c, size_t n)
{
    reply__header(c, '*', (long long)n);
}

void reply_empty_array(struct client *c)
{
    client_write(c, "*0\r\n", 4);
}

void reply_map(struct client *c, size_t n)
{
    if (c->resp >= 3)
        reply__header(c, '%', (long long)n);
    else
        reply__header(c, '*', (long long)(2 * n));
}

void reply_set(struct client *c, size_t n)
{
    reply__header(c, c->resp >= 3 ? '~' : '*', (long long)n);
}

void reply_double(struct client *c, double d)
{
    char buf[64];
    int n = util_d2str(buf, sizeof(buf), d);
    if (c->resp >= 3) {
        client_write(c, ",", 1);
        client_write(c, buf, (size_t)n);
        client_write(c, "\r\n", 2);
    } else {
        reply_bulk(c, buf, (size_t)n);
    }
}

void reply_verbatim(struct client *c, const char *p, size_t len, const char *ext)
{
    if (c->resp < 3) {
        reply_bulk(c, p, len);
        return;
    }
    reply__header(c, '=', (long long)(len + 4));
    client_write(c, ext, 3);
    client_write(c, ":", 1);
    client_write(c, p, len);
    client_write(c, "\r\n", 2);
}

void reply_bool(struct client *c, int v)
{
    if (c->resp >= 3)
        client_write(c, v ? "#t\r\n" : "#f\r\n", 4);
    else
        client_write(c, v ? ":1\r\n" : ":0\r\n", 4);
}

void reply_big_number(struct client *c, const char *p, size_t len)
{
    if (c->resp < 3) {
        reply_bulk(c, p, len);
        return;
    }
    /* CR and LF would end the line early: spaces instead, as Redis does. */
    char *digits = mem_strndup(p, len);
    for (size_t i = 0; i < len; i++)
        if (digits[i] == '\r' || digits[i] == '\n') digits[i] = ' ';
    client_write(c, "(", 1);
    client_write(c, digits, len);
    client_write(c, "\r\n", 2);
    mem_free(digits);
}

void reply_help(struct client *c, const char *const *lines)
{
    size_t n = 0;
    while (lines[n]) n++;
    reply_array(c, n);
    for (size_t i = 0; i < n; i++) reply_status(c, lines[i]);
}

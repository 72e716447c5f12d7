/* monitor.c - the monitors and the line each command becomes.
 *
 * The monitors are one array under a mutex; a relaxed atomic count lets
 * the call path skip all of this with one load when nobody monitors. A
 * line is formatted once per command and pushed to every monitor. As in
 * Redis, AUTH's arguments and HELLO's AUTH user and password show as
 * "(redacted)". */
#include "services/monitor.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

#include "base/mem.h"
#include "base/resp.h"
#include "client/client.h"
#include "dispatch/call.h"

static pthread_mutex_t mon__lock = PTHREAD_MUTEX_INITIALIZER;
static struct client **mon__clients;
static size_t mon__n, mon__cap;
static size_t mon__count; /* relaxed atomic: mon__n */

struct mon__line {
    char *p;
    size_t len, cap;
};

static void mon__put(struct mon__line *l, const char *s, size_t n)
{
    if (l->len + n > l->cap) {
        l->cap = (l->len + n) * 2 + 64;
        l->p = mem_realloc(l->p, l->cap);
    }
    memcpy(l->p + l->len, s, n);
    l->len += n;
}

/* An argument in double quotes, escaped as Redis's sdscatrepr does. */
static void mon__repr(struct mon__line *l, const char *s, size_t n)
{
    mon__put(l, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        char esc[5];
        switch (ch) {
        case '\\': mon__put(l, "\\\\", 2); break;
        case '"': mon__put(l, "\\\"", 2); break;
        case '\n': mon__put(l, "\\n", 2); break;
        case '\r': mon__put(l, "\\r", 2); break;
        case '\t': mon__put(l, "\\t", 2); break;
        case '\a': mon__put(l, "\\a", 2); break;
        case '\b': mon__put(l, "\\b", 2); break;
        default:
            if (isprint(ch)) {
                mon__put(l, (const char *)&ch, 1);
            } else {
                snprintf(esc, sizeof(esc), "\\x%02x", ch);
                mon__put(l, esc, 4);
            }
        }
    }
    mon__put(l, "\"", 1);
}

static int mon__is(const struct arg *a, const char *lit)
{
    return a->len == strlen(lit) && strncasecmp(a->ptr, lit, a->len) == 0;
}

/* Whether argument j of the command is a secret (Redis redacts them):
 * AUTH's, and the user and password after HELLO's AUTH. */
static int mon__secret(const struct arg *argv, size_t argc, size_t j)
{
    if (mon__is(&argv[0], "auth")) return j >= 1;
    if (!mon__is(&argv[0], "hello")) return 0;
    for (size_t k = 2; k < argc; k++) {
        if (mon__is(&argv[k], "auth") && argc - 1 - k >= 2) {
            if (j == k + 1 || j == k + 2) return 1;
            k += 2;
        } else if (mon__is(&argv[k], "setname") && argc - 1 - k >= 1) {
            k += 1;
        }
    }
    return 0;
}

void monitor_feed(struct client *c, int dbid, const struct arg *argv, size_t argc, int script)
{
    if (__atomic_load_n(&mon__count, __ATOMIC_RELAXED) == 0) return;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct mon__line l = {NULL, 0, 0};
    char head[160];
    int n = script ? snprintf(head, sizeof(head), "+%ld.%06ld [%d lua] ", (long)tv.tv_sec,
                              (long)tv.tv_usec, dbid)
                   : snprintf(head, sizeof(head), "+%ld.%06ld [%d %s] ", (long)tv.tv_sec,
                              (long)tv.tv_usec, dbid, c->addr);
    mon__put(&l, head, (size_t)n);
    for (size_t j = 0; j < argc; j++) {
        if (mon__secret(argv, argc, j))
            mon__repr(&l, "(redacted)", 10);
        else
            mon__repr(&l, argv[j].ptr, argv[j].len);
        if (j + 1 < argc) mon__put(&l, " ", 1);
    }
    mon__put(&l, "\r\n", 2);
    pthread_mutex_lock(&mon__lock);
    for (size_t i = 0; i < mon__n; i++) client_push(mon__clients[i], l.p, l.len);
    pthread_mutex_unlock(&mon__lock);
    mem_free(l.p);
}

int monitor_add(struct client *c)
{
    pthread_mutex_lock(&mon__lock);
    for (size_t i = 0; i < mon__n; i++) {
        if (mon__clients[i] == c) {
            pthread_mutex_unlock(&mon__lock);
            return -1;
        }
    }
    if (mon__n == mon__cap) {
        mon__cap = mon__cap ? mon__cap * 2 : 8;
        mon__clients = mem_realloc(mon__clients, mon__cap * sizeof(*mon__clients));
    }
    mon__clients[mon__n++] = c;
    __atomic_store_n(&mon__count, mon__n, __ATOMIC_RELAXED);
    c->flags |= CLIENT_MONITOR;
    pthread_mutex_unlock(&mon__lock);
    return 0;
}

/* A closing monitor leaves the list before it is freed. */
static void mon__gone(struct client *c)
{
    if (!(c->flags & CLIENT_MONITOR)) return;
    pthread_mutex_lock(&mon__lock);
    for (size_t i = 0; i < mon__n; i++) {
        if (mon__clients[i] == c) {
            mon__clients[i] = mon__clients[--mon__n];
            break;
        }
    }
    __atomic_store_n(&mon__count, mon__n, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&mon__lock);
}

static void mon__ran(struct client *c, const struct arg *argv, size_t argc, int script)
{
    monitor_feed(c, c->dbid, argv, argc, script);
}

void monitor_setup(void)
{
    client_on_gone(mon__gone);
    call_hook_monitor(mon__ran, &mon__count);
}

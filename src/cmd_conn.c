/* cmd_conn.c - connection commands: PING, ECHO, QUIT, RESET, HELLO, CLIENT. */
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "cmd.h"
#include "command.h"
#include "db.h"
#include "config.h"
#include "mem.h"
#include "multi.h"
#include "pubsub.h"
#include "tracking.h"
#include "net.h"
#include "reply.h"
#include "util.h"
#include "worker.h"

#define RESPITE_REDIS_COMPAT_VERSION "7.4.0"

void cmd_ping(struct client *c)
{
    if (c->argc > 2) {
        reply_error_arity(c, c->cmd->fullname);
        return;
    }
    if (c->resp < 3 && pubsub_is_subscribed(c)) {
        /* RESP2 subscribed mode: a pong in the message format. */
        reply_array(c, 2);
        reply_bulk_cstr(c, "pong");
        if (c->argc == 1)
            reply_bulk(c, "", 0);
        else
            reply_bulk(c, c->argv[1].ptr, c->argv[1].len);
        return;
    }
    if (c->argc == 1)
        reply_status(c, "PONG");
    else
        reply_bulk(c, c->argv[1].ptr, c->argv[1].len);
}

void cmd_echo(struct client *c)
{
    reply_bulk(c, c->argv[1].ptr, c->argv[1].len);
}

void cmd_quit(struct client *c)
{
    reply_ok(c);
    net_close_client(c, CLIENT_CLOSE_AFTER_REPLY);
}

/* Names are read by CLIENT LIST on other threads: they change under the
 * owner thread's client-list lock. c is the calling client. */
static void conn__set_name(struct client *c, char **slot, const struct arg *a)
{
    char *fresh = a && a->len ? mem_strndup(a->ptr, a->len) : NULL;
    net_client_lock(c);
    char *old = *slot;
    *slot = fresh;
    net_client_unlock(c);
    mem_free(old);
}

void cmd_reset(struct client *c)
{
    multi_reset(c);
    pubsub_unsubscribe_all(c);
    tracking_reset(c);
    c->resp = 2;
    c->dbid = 0;
    c->db = db_get(0);
    conn__set_name(c, &c->name, NULL);
    reply_status(c, "RESET");
}

/* Names shown in CLIENT LIST must not break its space-separated format. */
static int conn__valid_name(const struct arg *a)
{
    for (size_t i = 0; i < a->len; i++)
        if (a->ptr[i] < '!' || a->ptr[i] > '~') return 0;
    return 1;
}

static int conn__setname_or_reply(struct client *c, const struct arg *a)
{
    if (!conn__valid_name(a)) {
        reply_error(c, "ERR Client names cannot contain spaces, newlines or special characters.");
        return -1;
    }
    conn__set_name(c, &c->name, a);
    return 0;
}

void cmd_hello(struct client *c)
{
    long long ver = 0;
    size_t j = 1;
    if (c->argc >= 2) {
        if (!util_str2ll(c->argv[1].ptr, c->argv[1].len, &ver)) {
            reply_error(c, "ERR Protocol version is not an integer or out of range");
            return;
        }
        if (ver < 2 || ver > 3) {
            reply_error(c, REPLY_ERR_NOPROTO);
            return;
        }
        j = 2;
    }
    const struct arg *setname = NULL;
    int auth_ok = 0;
    for (; j < c->argc; j++) {
        size_t more = c->argc - j - 1;
        if (arg_is(&c->argv[j], "auth") && more >= 2) {
            /* The default user is the only one: with requirepass it needs
             * that password, without it any. */
            const struct arg *pass = &c->argv[j + 2];
            if (!arg_is(&c->argv[j + 1], "default") ||
                (CFG(auth_required) && !config_check_password(pass->ptr, pass->len))) {
                reply_error(c, REPLY_ERR_WRONGPASS);
                return;
            }
            auth_ok = 1;
            j += 2;
        } else if (arg_is(&c->argv[j], "setname") && more >= 1) {
            setname = &c->argv[++j];
            if (!conn__valid_name(setname)) {
                reply_error(
                    c, "ERR Client names cannot contain spaces, newlines or special characters.");
                return;
            }
        } else {
            reply_errorf(c, "ERR Syntax error in HELLO option '%.*s'", (int)c->argv[j].len,
                         c->argv[j].ptr);
            return;
        }
    }
    if (!auth_ok && !c->authenticated && CFG(auth_required)) {
        reply_error(c, "NOAUTH HELLO must be called with the client already authenticated, "
                       "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to "
                       "authenticate the client and select the RESP protocol version at the same "
                       "time");
        return;
    }
    if (auth_ok) c->authenticated = 1;
    if (setname) conn__set_name(c, &c->name, setname);
    if (ver) c->resp = (int)ver;

    reply_map(c, 7);
    reply_bulk_cstr(c, "server");
    reply_bulk_cstr(c, "redis");
    reply_bulk_cstr(c, "version");
    reply_bulk_cstr(c, RESPITE_REDIS_COMPAT_VERSION);
    reply_bulk_cstr(c, "proto");
    reply_long(c, c->resp);
    reply_bulk_cstr(c, "id");
    reply_long(c, (long long)c->id);
    reply_bulk_cstr(c, "mode");
    reply_bulk_cstr(c, "standalone");
    reply_bulk_cstr(c, "role");
    reply_bulk_cstr(c, "master");
    reply_bulk_cstr(c, "modules");
    reply_empty_array(c);
}

void cmd_client_id(struct client *c)
{
    reply_long(c, (long long)c->id);
}

void cmd_client_setname(struct client *c)
{
    if (conn__setname_or_reply(c, &c->argv[2]) == 0) reply_ok(c);
}

void cmd_client_getname(struct client *c)
{
    if (c->name)
        reply_bulk_cstr(c, c->name);
    else
        reply_null(c);
}

void cmd_client_setinfo(struct client *c)
{
    const struct arg *attr = &c->argv[2], *val = &c->argv[3];
    char **slot;
    if (arg_is(attr, "lib-name"))
        slot = &c->lib_name;
    else if (arg_is(attr, "lib-ver"))
        slot = &c->lib_ver;
    else {
        reply_errorf(c, "ERR Unrecognized option '%.*s'", (int)attr->len, attr->ptr);
        return;
    }
    if (!conn__valid_name(val)) {
        reply_errorf(c, "ERR %.*s cannot contain spaces, newlines or special characters.",
                     (int)attr->len, attr->ptr);
        return;
    }
    conn__set_name(c, slot, val);
    reply_ok(c);
}

/* One CLIENT LIST line, Redis 7.4's fields and order. For another
 * client, the figures are those its thread published (client.h) and the
 * caller holds that thread's client-list lock (names). */
static size_t conn__info_line(struct client *c, struct client *self, char *buf, size_t cap)
{
    long long now = util_mstime();
    int mine = c == self;
    const struct command *cmd = mine && c->cmd ? c->cmd : CLIENT_PUB_GET(c, lastcmd);
    size_t omem = CLIENT_PUB_GET(c, out_bytes), qcap = CLIENT_PUB_GET(c, qcap);
    size_t oll = 0;
    if (db_locking()) {
        oll = __atomic_load_n(&c->pub.oll, __ATOMIC_RELAXED);
    } else {
        for (struct outblock *b = c->out_head; b; b = b->next) oll++;
    }
    size_t qbuf = mine ? 0 : CLIENT_PUB_GET(c, qlen);
    size_t qfree = mine ? 0 : qcap - qbuf;
    long long idle = mine ? 0 : (now - CLIENT_PUB_GET(c, last_interaction_ms)) / 1000;
    int n = snprintf(buf, cap,
                     "id=%llu addr=%s laddr=%s fd=%d name=%s age=%lld idle=%lld flags=N db=%d "
                     "sub=0 psub=0 ssub=0 multi=-1 watch=0 qbuf=%zu qbuf-free=%zu argv-mem=0 "
                     "multi-mem=0 rbs=%zu rbp=0 obl=0 oll=%zu omem=%zu tot-mem=%zu events=%s "
                     "cmd=%s user=default redir=-1 resp=%d lib-name=%s lib-ver=%s\n",
                     (unsigned long long)c->id, c->addr, c->laddr, c->fd, c->name ? c->name : "",
                     (now - c->ctime_ms) / 1000, idle < 0 ? 0 : idle,
                     mine ? c->dbid : CLIENT_PUB_GET(c, dbid), qbuf, qfree, qcap, oll, omem,
                     sizeof(*c) + qcap + omem, CLIENT_PUB_GET(c, writing) ? "rw" : "r",
                     cmd ? cmd->fullname : "NULL", mine ? c->resp : CLIENT_PUB_GET(c, resp),
                     c->lib_name ? c->lib_name : "", c->lib_ver ? c->lib_ver : "");
    if (n < 0) return 0;
    return (size_t)n < cap ? (size_t)n : cap - 1;
}

struct textbuf {
    char *p;
    size_t len, cap;
};

static void textbuf__reserve(struct textbuf *t, size_t more)
{
    if (t->len + more <= t->cap) return;
    t->cap = (t->len + more) * 2;
    t->p = mem_realloc(t->p, t->cap);
}

struct conn__lister {
    struct client *self;
    struct textbuf t;
    int only_ids; /* argv index of the first id, 0 if no ID filter */
};

static void conn__list_each(struct client *o, void *arg)
{
    struct conn__lister *l = arg;
    struct client *c = l->self;
    if (l->only_ids) {
        int match = 0;
        for (size_t k = (size_t)l->only_ids; k < c->argc; k++) {
            long long id;
            if (util_str2ll(c->argv[k].ptr, c->argv[k].len, &id) && (unsigned long long)id == o->id)
                match = 1;
        }
        if (!match) return;
    }
    textbuf__reserve(&l->t, 1024);
    l->t.len += conn__info_line(o, c, l->t.p + l->t.len, l->t.cap - l->t.len);
}

void cmd_client_list(struct client *c)
{
    /* Filters: TYPE normal|... and ID id [id ...]. */
    int only_ids = 0, type_ok = 1;
    for (size_t j = 2; j < c->argc; j++) {
        if (arg_is(&c->argv[j], "type") && j + 1 < c->argc) {
            const struct arg *t = &c->argv[++j];
            if (arg_is(t, "normal"))
                type_ok = 1;
            else if (arg_is(t, "master") || arg_is(t, "replica") || arg_is(t, "slave") ||
                     arg_is(t, "pubsub"))
                type_ok = 0;
            else {
                reply_errorf(c, "ERR Unknown client type '%.*s'", (int)t->len, t->ptr);
                return;
            }
        } else if (arg_is(&c->argv[j], "id") && j + 1 < c->argc) {
            only_ids = (int)j + 1;
            for (size_t k = j + 1; k < c->argc; k++) {
                long long id;
                if (!util_str2ll(c->argv[k].ptr, c->argv[k].len, &id) || id <= 0) {
                    reply_error(c, "ERR Invalid client ID");
                    return;
                }
            }
            break;
        } else {
            reply_error(c, REPLY_ERR_SYNTAX);
            return;
        }
    }
    struct conn__lister l = {c, {NULL, 0, 0}, only_ids};
    if (type_ok) net_clients_each(conn__list_each, &l);
    reply_verbatim(c, l.t.p ? l.t.p : "", l.t.len, "txt");
    mem_free(l.t.p);
}

void cmd_client_info(struct client *c)
{
    char buf[1024];
    size_t n = conn__info_line(c, c, buf, sizeof(buf));
    reply_verbatim(c, buf, n, "txt");
}

struct conn__victim {
    struct worker *w;
    uint64_t id;
};

struct conn__killer {
    struct client *self;
    const struct arg *addr, *laddr, *user;
    long long id, maxage;
    int skipme, type_ok;
    long long now;
    struct conn__victim *victims;
    size_t n, cap;
    int self_matched;
};

static void conn__kill_each(struct client *o, void *arg)
{
    struct conn__killer *k = arg;
    int match = k->type_ok;
    if (k->addr && (strlen(o->addr) != k->addr->len || memcmp(o->addr, k->addr->ptr, k->addr->len)))
        match = 0;
    if (k->laddr &&
        (strlen(o->laddr) != k->laddr->len || memcmp(o->laddr, k->laddr->ptr, k->laddr->len)))
        match = 0;
    if (k->user && !arg_is(k->user, "default")) match = 0;
    if (k->id && o->id != (unsigned long long)k->id) match = 0;
    if (k->maxage && (k->now - o->ctime_ms) / 1000 < k->maxage) match = 0;
    if (o == k->self && k->skipme) match = 0;
    if (!match) return;
    if (o == k->self) {
        k->self_matched = 1;
        return;
    }
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 8;
        k->victims = mem_realloc(k->victims, k->cap * sizeof(*k->victims));
    }
    k->victims[k->n].w = net_client_worker(o);
    k->victims[k->n].id = o->id;
    k->n++;
}

/* CLIENT KILL addr:port (old form, +OK or error) or CLIENT KILL with
 * filters ID, ADDR, LADDR, SKIPME, TYPE, USER, MAXAGE (count of killed). */
void cmd_client_kill(struct client *c)
{
    const struct arg *addr = NULL, *laddr = NULL, *user = NULL;
    long long id = 0, maxage = 0;
    int skipme = 1, type_ok = 1, old_form = c->argc == 3;
    if (old_form) {
        addr = &c->argv[2];
    } else {
        for (size_t j = 2; j < c->argc; j += 2) {
            const struct arg *opt = &c->argv[j], *val = j + 1 < c->argc ? &c->argv[j + 1] : NULL;
            if (val == NULL) {
                reply_error(c, REPLY_ERR_SYNTAX);
                return;
            }
            if (arg_is(opt, "id")) {
                if (!util_str2ll(val->ptr, val->len, &id) || id <= 0) {
                    reply_error(c, "ERR client-id should be greater than 0");
                    return;
                }
            } else if (arg_is(opt, "addr")) {
                addr = val;
            } else if (arg_is(opt, "laddr")) {
                laddr = val;
            } else if (arg_is(opt, "user")) {
                user = val;
            } else if (arg_is(opt, "maxage")) {
                if (!util_str2ll(val->ptr, val->len, &maxage) || maxage < 0) {
                    reply_error(c, REPLY_ERR_SYNTAX);
                    return;
                }
            } else if (arg_is(opt, "type")) {
                if (arg_is(val, "normal"))
                    type_ok = 1;
                else if (arg_is(val, "master") || arg_is(val, "replica") || arg_is(val, "slave") ||
                         arg_is(val, "pubsub"))
                    type_ok = 0;
                else {
                    reply_errorf(c, "ERR Unknown client type '%.*s'", (int)val->len, val->ptr);
                    return;
                }
            } else if (arg_is(opt, "skipme")) {
                if (arg_is(val, "yes"))
                    skipme = 1;
                else if (arg_is(val, "no"))
                    skipme = 0;
                else {
                    reply_error(c, REPLY_ERR_SYNTAX);
                    return;
                }
            } else {
                reply_error(c, REPLY_ERR_SYNTAX);
                return;
            }
        }
    }
    struct conn__killer k = {c,       addr,          laddr, user, id, maxage, skipme && !old_form,
                             type_ok, util_mstime(), NULL,  0,    0,  0};
    net_clients_each(conn__kill_each, &k);
    /* Close outside the list locks: others by message to their thread,
     * this client after its reply. */
    for (size_t i = 0; i < k.n; i++) worker_kill(k.victims[i].w, k.victims[i].id);
    mem_free(k.victims);
    if (k.self_matched) net_close_client(c, CLIENT_CLOSE_AFTER_REPLY);
    long long killed = (long long)k.n + k.self_matched;
    if (old_form) {
        if (killed)
            reply_ok(c);
        else
            reply_error(c, "ERR No such client");
    } else {
        reply_long(c, killed);
    }
}

static void conn__help(struct client *c, const char *const *lines)
{
    size_t n = 0;
    while (lines[n]) n++;
    reply_array(c, n);
    for (size_t i = 0; i < n; i++) reply_status(c, lines[i]);
}

void cmd_client_help(struct client *c)
{
    static const char *const lines[] = {
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CACHING (YES|NO)",
        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are: ID, ADDR, LADDR, TYPE, USER, SKIPME, MAXAGE.",
        "LIST [options ...]",
        "    Return information about client connections. Options: TYPE, ID.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "SETINFO <option> <value>",
        "    Set client meta attr. Options are: LIB-NAME, LIB-VER.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "HELP",
        "    Print this help.",
        NULL,
    };
    conn__help(c, lines);
}

/* AUTH [username] password, for the default user (respite has no other):
 * requirepass is its password; without one it takes any password when
 * named, and AUTH <password> alone is an error, as in Redis. */
void cmd_auth(struct client *c)
{
    if (c->argc > 3) {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    const struct arg *pass = &c->argv[c->argc - 1];
    if (c->argc == 3 && !arg_is(&c->argv[1], "default")) {
        reply_error(c, REPLY_ERR_WRONGPASS);
        return;
    }
    if (!CFG(auth_required)) {
        if (c->argc == 2) {
            reply_error(c, "ERR AUTH <password> called without any password configured for the "
                           "default user. Are you sure your configuration is correct?");
            return;
        }
        c->authenticated = 1;
        reply_ok(c);
        return;
    }
    if (!config_check_password(pass->ptr, pass->len)) {
        reply_error(c, REPLY_ERR_WRONGPASS);
        return;
    }
    c->authenticated = 1;
    reply_ok(c);
}

void cmd_acl_whoami(struct client *c)
{
    reply_bulk_cstr(c, "default");
}

/* cmd_client.c - CLIENT: ID, SETNAME, GETNAME, SETINFO, LIST, INFO, KILL,
 * HELP, and client-side caching's TRACKING, TRACKINGINFO, CACHING and
 * GETREDIR (the bookkeeping behind them is services/tracking.c). */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/mem.h"
#include "base/util.h"
#include "base/worker.h"
#include "client/client.h"
#include "client/reply.h"
#include "commands/arg.h"
#include "commands/commands.h"
#include "dispatch/command.h"
#include "services/blocking.h"
#include "services/tracking.h"

void cmd_client_id(struct client *c)
{
    reply_long(c, (long long)c->id);
}

void cmd_client_setname(struct client *c)
{
    const struct arg *a = &c->argv[2];
    if (!client_name_valid(a->ptr, a->len)) {
        reply_error(c, REPLY_ERR_CLIENT_NAME);
        return;
    }
    client_set_name(c, &c->name, a->ptr, a->len);
    reply_ok(c);
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
        reply_errorf(c, REPLY_ERR_SETINFO_OPTION_FMT, (int)attr->len, attr->ptr);
        return;
    }
    if (!client_name_valid(val->ptr, val->len)) {
        reply_errorf(c, REPLY_ERR_SETINFO_VALUE_FMT, (int)attr->len, attr->ptr);
        return;
    }
    client_set_name(c, slot, val->ptr, val->len);
    reply_ok(c);
}

/* A field of c as CLIENT LIST reads it: c's own value (expr) when c is
 * the caller or there is one thread, else what c's thread published. */
#define CLIENT__SEEN(c, mine, pubfield, expr)                                                      \
    ((mine) || !lockset_on() ? (expr) : __atomic_load_n(&(c)->pub.pubfield, __ATOMIC_RELAXED))

/* flags= of a CLIENT LIST line: Redis's letters in its order, N for
 * none. */
static void client__flags(struct client *c, int mine, char *out)
{
    unsigned f = CLIENT__SEEN(c, mine, flags, c->flags);
    unsigned t = CLIENT__SEEN(c, mine, tracking, c->tracking);
    int broken = tracking_redirect_broken(c);
    /* Set by writers on any thread as it happens: read it, not a copy. */
    int dirty = __atomic_load_n(&c->dirty_cas, __ATOMIC_RELAXED);
    size_t subs =
        CLIENT__SEEN(c, mine, sub, c->nchannels) + CLIENT__SEEN(c, mine, psub, c->npatterns);
    long long multi = CLIENT__SEEN(c, mine, multi, c->in_multi ? (long long)c->nqueued : -1);
    char *p = out;
    if (f & CLIENT_MONITOR) *p++ = 'O';
    if (subs) *p++ = 'P';
    if (multi >= 0) *p++ = 'x';
    if (f & (CLIENT_BLOCKED | CLIENT_POSTPONED)) *p++ = 'b';
    if (t & TRACK_ON) *p++ = 't';
    if (broken) *p++ = 'R';
    if (t & TRACK_BCAST) *p++ = 'B';
    if (dirty) *p++ = 'd';
    if (f & CLIENT_CLOSE_AFTER_REPLY) *p++ = 'c';
    if (f & CLIENT_UNIX) *p++ = 'U';
    if (f & CLIENT_NO_EVICT) *p++ = 'e';
    if (f & CLIENT_NO_TOUCH) *p++ = 'T';
    if (p == out) *p++ = 'N';
    *p = '\0';
}

/* One CLIENT LIST line, Redis 7.4's fields and order. For another
 * client, the figures are those its thread published (client.h) and the
 * caller holds that thread's client-list lock (names). */
static size_t client__info_line(struct client *c, struct client *self, char *buf, size_t cap)
{
    long long now = util_mstime();
    int mine = c == self;
    const struct command *cmd = mine && c->cmd ? c->cmd : CLIENT_PUB_GET(c, lastcmd);
    size_t omem = CLIENT_PUB_GET(c, out_bytes), qcap = CLIENT_PUB_GET(c, qcap);
    size_t oll = 0;
    if (lockset_on()) {
        oll = __atomic_load_n(&c->pub.oll, __ATOMIC_RELAXED);
    } else {
        for (struct outblock *b = c->out_head; b; b = b->next) oll++;
    }
    size_t qbuf = mine ? 0 : CLIENT_PUB_GET(c, qlen);
    size_t qfree = mine ? 0 : qcap - qbuf;
    long long idle = mine ? 0 : (now - CLIENT_PUB_GET(c, last_interaction_ms)) / 1000;
    char flags[16];
    client__flags(c, mine, flags);
    size_t sub = CLIENT__SEEN(c, mine, sub, c->nchannels);
    size_t psub = CLIENT__SEEN(c, mine, psub, c->npatterns);
    size_t watch = CLIENT__SEEN(c, mine, watch, c->nwatched);
    long long multi = CLIENT__SEEN(c, mine, multi, c->in_multi ? (long long)c->nqueued : -1);
    int n =
        snprintf(buf, cap,
                 "id=%llu addr=%s laddr=%s fd=%d name=%s age=%lld idle=%lld flags=%s db=%d "
                 "sub=%zu psub=%zu ssub=0 multi=%lld watch=%zu qbuf=%zu qbuf-free=%zu argv-mem=0 "
                 "multi-mem=0 rbs=%zu rbp=0 obl=0 oll=%zu omem=%zu tot-mem=%zu events=%s "
                 "cmd=%s user=default redir=-1 resp=%d lib-name=%s lib-ver=%s\n",
                 (unsigned long long)c->id, c->addr, c->laddr, c->fd, c->name ? c->name : "",
                 (now - c->ctime_ms) / 1000, idle < 0 ? 0 : idle, flags,
                 mine ? c->dbid : CLIENT_PUB_GET(c, dbid), sub, psub, multi, watch, qbuf, qfree,
                 qcap, oll, omem, sizeof(*c) + qcap + omem, CLIENT_PUB_GET(c, writing) ? "rw" : "r",
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

struct client__lister {
    struct client *self;
    struct textbuf t;
    int only_ids; /* argv index of the first id, 0 if no ID filter */
};

static void client__list_each(struct client *o, void *arg)
{
    struct client__lister *l = arg;
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
    l->t.len += client__info_line(o, c, l->t.p + l->t.len, l->t.cap - l->t.len);
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
                reply_errorf(c, REPLY_ERR_CLIENT_TYPE_FMT, (int)t->len, t->ptr);
                return;
            }
        } else if (arg_is(&c->argv[j], "id") && j + 1 < c->argc) {
            only_ids = (int)j + 1;
            for (size_t k = j + 1; k < c->argc; k++) {
                long long id;
                if (!util_str2ll(c->argv[k].ptr, c->argv[k].len, &id) || id <= 0) {
                    reply_error(c, REPLY_ERR_CLIENT_ID);
                    return;
                }
            }
            break;
        } else {
            reply_error(c, REPLY_ERR_SYNTAX);
            return;
        }
    }
    struct client__lister l = {c, {NULL, 0, 0}, only_ids};
    if (type_ok) client_each(client__list_each, &l);
    reply_verbatim(c, l.t.p ? l.t.p : "", l.t.len, "txt");
    mem_free(l.t.p);
}

void cmd_client_info(struct client *c)
{
    char buf[1024];
    size_t n = client__info_line(c, c, buf, sizeof(buf));
    reply_verbatim(c, buf, n, "txt");
}

struct client__victim {
    struct worker *w;
    uint64_t id;
};

struct client__killer {
    struct client *self;
    const struct arg *addr, *laddr, *user;
    long long id, maxage;
    int skipme, type_ok;
    long long now;
    struct client__victim *victims;
    size_t n, cap;
    int self_matched;
};

static void client__kill_each(struct client *o, void *arg)
{
    struct client__killer *k = arg;
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
    k->victims[k->n].w = client_worker(o);
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
                    reply_error(c, REPLY_ERR_CLIENT_ID_POSITIVE);
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
                    reply_errorf(c, REPLY_ERR_CLIENT_TYPE_FMT, (int)val->len, val->ptr);
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
    struct client__killer k = {c,       addr,          laddr, user, id, maxage, skipme && !old_form,
                               type_ok, util_mstime(), NULL,  0,    0,  0};
    client_each(client__kill_each, &k);
    /* Close outside the list locks: others by message to their thread,
     * this client after its reply. */
    for (size_t i = 0; i < k.n; i++) worker_kill(k.victims[i].w, k.victims[i].id);
    mem_free(k.victims);
    if (k.self_matched) client_close(c, CLIENT_CLOSE_AFTER_REPLY);
    long long killed = (long long)k.n + k.self_matched;
    if (old_form) {
        if (killed)
            reply_ok(c);
        else
            reply_error(c, REPLY_ERR_NO_CLIENT);
    } else {
        reply_long(c, killed);
    }
}

/* CLIENT REPLY ON|OFF|SKIP: OFF and SKIP reply nothing (their own reply
 * is the first one dropped); SKIP does nothing while OFF. */
void cmd_client_reply(struct client *c)
{
    const struct arg *a = &c->argv[2];
    if (arg_is(a, "on")) {
        c->flags &= ~(CLIENT_REPLY_SKIP | CLIENT_REPLY_OFF);
        reply_ok(c);
    } else if (arg_is(a, "off")) {
        c->flags |= CLIENT_REPLY_OFF;
    } else if (arg_is(a, "skip")) {
        if (!(c->flags & CLIENT_REPLY_OFF)) c->flags |= CLIENT_REPLY_SKIP_NEXT;
    } else {
        reply_error(c, REPLY_ERR_SYNTAX);
    }
}

/* CLIENT NO-TOUCH ON|OFF: the client's commands (but TOUCH) leave keys'
 * LRU/LFU data alone (dispatch/call.c). */
/* CLIENT NO-EVICT ON|OFF: whether maxmemory-clients may close c. */
void cmd_client_no_evict(struct client *c)
{
    const struct arg *a = &c->argv[2];
    if (arg_is(a, "on")) {
        c->flags |= CLIENT_NO_EVICT;
    } else if (arg_is(a, "off")) {
        c->flags &= ~CLIENT_NO_EVICT;
    } else {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    reply_ok(c);
}

void cmd_client_no_touch(struct client *c)
{
    const struct arg *a = &c->argv[2];
    if (arg_is(a, "on")) {
        c->flags |= CLIENT_NO_TOUCH;
    } else if (arg_is(a, "off")) {
        c->flags &= ~CLIENT_NO_TOUCH;
    } else {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    reply_ok(c);
}

/* CLIENT UNBLOCK client-id [TIMEOUT|ERROR]: the reason is checked before
 * the id, as in Redis; 1 when the client was blocked. */
void cmd_client_unblock(struct client *c)
{
    int error = 0;
    if (c->argc == 4) {
        if (arg_is(&c->argv[3], "timeout")) {
            error = 0;
        } else if (arg_is(&c->argv[3], "error")) {
            error = 1;
        } else {
            reply_error(c, "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            return;
        }
    } else if (c->argc > 4) {
        reply_error(c, "ERR unknown subcommand or wrong number of arguments for 'unblock'. Try "
                       "CLIENT HELP.");
        return;
    }
    long long id;
    if (arg_ll_or_reply(c, &c->argv[2], &id, NULL) != 0) return;
    reply_long(c, id > 0 && blocking_unblock((uint64_t)id, error));
}

/* CLIENT PAUSE timeout [WRITE|ALL]: the mode is checked before the
 * timeout (milliseconds), as in Redis. */
void cmd_client_pause(struct client *c)
{
    int all = 1;
    if (c->argc == 4) {
        if (arg_is(&c->argv[3], "write")) {
            all = 0;
        } else if (!arg_is(&c->argv[3], "all")) {
            reply_error(c, "ERR CLIENT PAUSE mode must be WRITE or ALL");
            return;
        }
    } else if (c->argc > 4) {
        reply_error(c, "ERR unknown subcommand or wrong number of arguments for 'pause'. Try "
                       "CLIENT HELP.");
        return;
    }
    long long ms;
    if (arg_ll_or_reply(c, &c->argv[2], &ms, REPLY_ERR_TIMEOUT) != 0) return;
    if (ms < 0) {
        reply_error(c, REPLY_ERR_TIMEOUT_NEG);
        return;
    }
    long long now = clock_now();
    if (ms > LLONG_MAX - now) {
        reply_error(c, REPLY_ERR_TIMEOUT_RANGE);
        return;
    }
    blocking_pause(ms ? now + ms : 0, all);
    reply_ok(c);
}

void cmd_client_unpause(struct client *c)
{
    blocking_unpause();
    reply_ok(c);
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
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "SETINFO <option> <value>",
        "    Set client meta attr. Options are: LIB-NAME, LIB-VER.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        "NO-TOUCH (ON|OFF)",
        "    Will not touch LRU/LFU stats when this mode is on.",
        "HELP",
        "    Print this help.",
        NULL,
    };
    reply_help(c, lines);
}

/* ---- client-side caching ---- */

/* Two prefixes overlap when one starts the other: a key under both would
 * be sent twice. */
static int client__prefix_overlap(const char *a, size_t alen, const char *b, size_t blen)
{
    return memcmp(a, b, alen < blen ? alen : blen) == 0;
}

/* CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN]
 * [OPTOUT] [NOLOOP]. Checks come in Redis's order: the options one by one
 * (REDIRECT's target must exist, even for OFF), then for ON, PREFIX
 * without BCAST, a BCAST switch, OPTIN/OPTOUT with BCAST, both OPTIN and
 * OPTOUT, an OPTIN/OPTOUT switch, overlapping prefixes. Returns NULL, or
 * the error to reply. */
static const char *client__tracking(struct client *c, struct arg *prefixes, char *err, size_t cap)
{
    unsigned flags = 0;
    int has_redirect = 0;
    long long redirect = 0;
    size_t nprefix = 0;
    for (size_t j = 3; j < c->argc; j++) {
        const struct arg *a = &c->argv[j];
        int more = j + 1 < c->argc;
        if (arg_is(a, "redirect") && more) {
            j++;
            if (has_redirect) return REPLY_ERR_TRACK_ONE_REDIRECT;
            if (!util_str2ll(c->argv[j].ptr, c->argv[j].len, &redirect)) return REPLY_ERR_NOT_INT;
            if (!tracking_target_exists(c, (uint64_t)redirect)) return REPLY_ERR_TRACK_NO_TARGET;
            has_redirect = 1;
        } else if (arg_is(a, "bcast")) {
            flags |= TRACK_BCAST;
        } else if (arg_is(a, "optin")) {
            flags |= TRACK_OPTIN;
        } else if (arg_is(a, "optout")) {
            flags |= TRACK_OPTOUT;
        } else if (arg_is(a, "noloop")) {
            flags |= TRACK_NOLOOP;
        } else if (arg_is(a, "prefix") && more) {
            prefixes[nprefix++] = c->argv[++j];
        } else {
            return REPLY_ERR_SYNTAX;
        }
    }
    if (arg_is(&c->argv[2], "off")) {
        tracking_off(c);
        return NULL;
    }
    if (!arg_is(&c->argv[2], "on")) return REPLY_ERR_SYNTAX;
    unsigned old = c->tracking;
    if (nprefix && !(flags & TRACK_BCAST)) return REPLY_ERR_TRACK_PREFIX_BCAST;
    if ((old & TRACK_ON) && (old & TRACK_BCAST) != (flags & TRACK_BCAST))
        return REPLY_ERR_TRACK_BCAST_SWITCH;
    if ((flags & TRACK_BCAST) && (flags & (TRACK_OPTIN | TRACK_OPTOUT)))
        return REPLY_ERR_TRACK_OPT_BCAST;
    if ((flags & TRACK_OPTIN) && (flags & TRACK_OPTOUT)) return REPLY_ERR_TRACK_OPT_BOTH;
    if ((old & TRACK_ON) && (((flags & TRACK_OPTIN) && (old & TRACK_OPTOUT)) ||
                             ((flags & TRACK_OPTOUT) && (old & TRACK_OPTIN))))
        return REPLY_ERR_TRACK_OPT_SWITCH;
    /* Each new prefix against the client's, then against the later new
     * ones. */
    for (size_t i = 0; i < nprefix; i++) {
        const struct arg *p = &prefixes[i];
        for (size_t e = 0; e < c->ntrack_prefixes; e++) {
            const char *q = c->track_prefixes[e];
            if (client__prefix_overlap(p->ptr, p->len, q, strlen(q))) {
                snprintf(err, cap, REPLY_ERR_TRACK_OVERLAP_FMT, (int)p->len, p->ptr, q);
                return err;
            }
        }
        for (size_t k = i + 1; k < nprefix; k++) {
            const struct arg *q = &prefixes[k];
            if (client__prefix_overlap(p->ptr, p->len, q->ptr, q->len)) {
                snprintf(err, cap, REPLY_ERR_TRACK_OVERLAP_NEW_FMT, (int)p->len, p->ptr,
                         (int)q->len, q->ptr);
                return err;
            }
        }
    }
    /* The REDIRECT target may have gone since it was found above. */
    if (tracking_on(c, flags, (uint64_t)redirect, prefixes, nprefix) != 0)
        return REPLY_ERR_TRACK_NO_TARGET;
    return NULL;
}

void cmd_client_tracking(struct client *c)
{
    struct arg *prefixes = mem_alloc(c->argc * sizeof(*prefixes));
    char buf[1024];
    const char *err = client__tracking(c, prefixes, buf, sizeof(buf));
    mem_free(prefixes);
    if (err) {
        reply_error(c, err);
        return;
    }
    reply_ok(c);
}

/* CLIENT TRACKINGINFO: Redis's map of flags (a set in RESP3), redirect
 * (-1 when tracking is off, 0 without REDIRECT, the id even once that
 * client has gone) and prefixes (BCAST's, sorted). */
void cmd_client_trackinginfo(struct client *c)
{
    unsigned t = c->tracking;
    int broken = tracking_redirect_broken(c);
    const char *flags[8];
    size_t n = 0;
    flags[n++] = t & TRACK_ON ? "on" : "off";
    if (t & TRACK_BCAST) flags[n++] = "bcast";
    if (t & TRACK_OPTIN) {
        flags[n++] = "optin";
        if (c->tracking_caching) flags[n++] = "caching-yes";
    }
    if (t & TRACK_OPTOUT) {
        flags[n++] = "optout";
        if (c->tracking_caching) flags[n++] = "caching-no";
    }
    if (t & TRACK_NOLOOP) flags[n++] = "noloop";
    if (broken) flags[n++] = "broken_redirect";
    reply_map(c, 3);
    reply_bulk_cstr(c, "flags");
    reply_set(c, n);
    for (size_t i = 0; i < n; i++) reply_bulk_cstr(c, flags[i]);
    reply_bulk_cstr(c, "redirect");
    reply_long(c, t & TRACK_ON ? (long long)c->tracking_redirect_id : -1);
    reply_bulk_cstr(c, "prefixes");
    reply_array(c, c->ntrack_prefixes);
    for (size_t i = 0; i < c->ntrack_prefixes; i++) reply_bulk_cstr(c, c->track_prefixes[i]);
}

void cmd_client_caching(struct client *c)
{
    const struct arg *a = &c->argv[2];
    if (!(c->tracking & TRACK_ON) || !(c->tracking & (TRACK_OPTIN | TRACK_OPTOUT))) {
        reply_error(c, REPLY_ERR_CACHING_MODE);
        return;
    }
    if (arg_is(a, "yes")) {
        if (!(c->tracking & TRACK_OPTIN)) {
            reply_error(c, REPLY_ERR_CACHING_YES);
            return;
        }
    } else if (arg_is(a, "no")) {
        if (!(c->tracking & TRACK_OPTOUT)) {
            reply_error(c, REPLY_ERR_CACHING_NO);
            return;
        }
    } else {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    /* One flag, read by the mode: yes in OPTIN, no in OPTOUT. */
    c->tracking_caching = 1;
    reply_ok(c);
}

void cmd_client_getredir(struct client *c)
{
    if (!(c->tracking & TRACK_ON))
        reply_long(c, -1);
    else
        reply_long(c, (long long)c->tracking_redirect_id);
}

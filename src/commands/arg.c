/* arg.c - parsing helpers for command arguments. */
#include "commands/arg.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/util.h"
#include "client/client.h"
#include "client/reply.h"
#include "commands/commands.h"
#include "dispatch/command.h"
#include "services/notify.h"
#include "storage/db.h"

int arg_is(const struct arg *a, const char *lit)
{
    size_t n = strlen(lit);
    return a->len == n && strncasecmp(a->ptr, lit, n) == 0;
}

int arg_ll_or_reply(struct client *c, const struct arg *a, long long *out, const char *err)
{
    if (util_str2ll(a->ptr, a->len, out)) return 0;
    reply_error(c, err ? err : REPLY_ERR_NOT_INT);
    return -1;
}

int arg_db_or_reply(struct client *c, const struct arg *a, int *out)
{
    long long id;
    if (!util_str2ll(a->ptr, a->len, &id) || id < INT_MIN || id > INT_MAX) {
        reply_error(c, REPLY_ERR_NOT_INT);
        return -1;
    }
    if (id < 0 || id >= db_count()) {
        reply_error(c, REPLY_ERR_DB_RANGE);
        return -1;
    }
    *out = (int)id;
    return 0;
}

static void arg__invalid_expire(struct client *c)
{
    reply_errorf(c, REPLY_ERR_EXPIRE_FMT, c->cmd->fullname);
}

int arg_expire_or_reply(struct client *c, const struct arg *a, long long unit_ms, int relative,
                        long long *out)
{
    long long v;
    if (arg_ll_or_reply(c, a, &v, NULL) != 0) return -1;
    if (v <= 0 || (unit_ms == 1000 && v > LLONG_MAX / 1000)) {
        arg__invalid_expire(c);
        return -1;
    }
    v *= unit_ms;
    if (relative) {
        long long now = clock_now();
        if (v > LLONG_MAX - now) {
            arg__invalid_expire(c);
            return -1;
        }
        v += now;
    }
    *out = v;
    return 0;
}

int arg_lookup_or_reply(struct client *c, const struct arg *key, unsigned type, int flags,
                        struct keyref *ref, struct entry **e)
{
    *e = db_lookup(c->db, key->ptr, key->len, flags, ref);
    if (*e && entry_type(*e) != type) {
        reply_error(c, REPLY_ERR_WRONGTYPE);
        return -1;
    }
    return 0;
}

void arg_put_back(struct client *c, struct keyref *ref, struct entry *e, int had_expire,
                  int emptied, int type, const char *event, const struct arg *key)
{
    db_relink(ref, e, had_expire);
    if (emptied) db_remove(ref);
    cmd_notify(c, type, event, key);
    if (emptied) cmd_notify(c, NOTIFY_GENERIC, "del", key);
}

int arg_cursor_or_reply(struct client *c, const struct arg *a, unsigned long long *out)
{
    char buf[32];
    char *end;
    if (a->len == 0 || a->len >= sizeof(buf) || a->ptr[0] == '-' || a->ptr[0] == ' ') {
        reply_error(c, REPLY_ERR_INV_CURSOR);
        return -1;
    }
    memcpy(buf, a->ptr, a->len);
    buf[a->len] = '\0';
    errno = 0;
    *out = strtoull(buf, &end, 10);
    if (errno == ERANGE || *end != '\0') {
        reply_error(c, REPLY_ERR_INV_CURSOR);
        return -1;
    }
    return 0;
}

int arg_scan_or_reply(struct client *c, size_t first, enum arg_scan_kind kind, struct arg_scan *o)
{
    *o = (struct arg_scan){NULL, NULL, 10, 0};
    for (size_t j = first; j < c->argc; j++) {
        const struct arg *a = &c->argv[j];
        int more = j + 1 < c->argc;
        if (arg_is(a, "count") && more) {
            if (arg_ll_or_reply(c, &c->argv[++j], &o->count, NULL) != 0) return -1;
            if (o->count < 1) {
                reply_error(c, REPLY_ERR_SYNTAX);
                return -1;
            }
        } else if (arg_is(a, "match") && more) {
            o->pattern = &c->argv[++j];
            if (o->pattern->len == 1 && o->pattern->ptr[0] == '*') o->pattern = NULL;
        } else if (arg_is(a, "type") && kind == ARG_SCAN_KEYS && more) {
            o->type = &c->argv[++j];
        } else if (arg_is(a, "novalues")) {
            if (kind != ARG_SCAN_HASH) {
                reply_error(c, REPLY_ERR_NOVALUES);
                return -1;
            }
            o->novalues = 1;
        } else {
            reply_error(c, REPLY_ERR_SYNTAX);
            return -1;
        }
    }
    return 0;
}

int arg_float_add_or_reply(struct client *c, long double value, long double incr, char *buf)
{
    value += incr;
    if (isnan(value) || isinf(value)) {
        reply_error(c, REPLY_ERR_NAN);
        return -1;
    }
    return util_ld2str(buf, ARG_FLOAT_BUF, value);
}

int arg_block_timeout_or_reply(struct client *c, const struct arg *a, long long *deadline)
{
    long double ft;
    if (!util_str2ld(a->ptr, a->len, &ft)) {
        reply_error(c, REPLY_ERR_BLOCK_TIMEOUT);
        return -1;
    }
    ft *= 1000.0L;
    if (ft > (long double)LLONG_MAX) {
        reply_error(c, REPLY_ERR_TIMEOUT_RANGE);
        return -1;
    }
    long long ms = (long long)ceill(ft), now = clock_now();
    if (ms < 0) {
        reply_error(c, REPLY_ERR_TIMEOUT_NEG);
        return -1;
    }
    if (ms > 0 && ms > LLONG_MAX - now) {
        reply_error(c, REPLY_ERR_TIMEOUT_RANGE);
        return -1;
    }
    *deadline = ms > 0 ? ms + now : 0;
    return 0;
}

int arg_mpop_or_reply(struct client *c, size_t at, const char *first, const char *second,
                      size_t *nkeys, int *is_second, long long *count)
{
    static const char numkeys_err[] = "ERR numkeys should be greater than 0";
    static const char count_err[] = "ERR count should be greater than 0";
    long long n;
    if (arg_ll_or_reply(c, &c->argv[at], &n, numkeys_err) != 0) return -1;
    if (n < 1) {
        reply_error(c, numkeys_err);
        return -1;
    }
    if (n >= (long long)(c->argc - at - 1)) {
        reply_error(c, REPLY_ERR_SYNTAX);
        return -1;
    }
    size_t where_at = at + 1 + (size_t)n;
    if (arg_is(&c->argv[where_at], first)) {
        *is_second = 0;
    } else if (arg_is(&c->argv[where_at], second)) {
        *is_second = 1;
    } else {
        reply_error(c, REPLY_ERR_SYNTAX);
        return -1;
    }
    *count = -1;
    for (size_t j = where_at + 1; j < c->argc; j++) {
        if (*count == -1 && arg_is(&c->argv[j], "count") && j + 1 < c->argc) {
            if (arg_ll_or_reply(c, &c->argv[++j], count, count_err) != 0) return -1;
            if (*count < 1) {
                reply_error(c, count_err);
                return -1;
            }
        } else {
            reply_error(c, REPLY_ERR_SYNTAX);
            return -1;
        }
    }
    if (*count == -1) *count = 1;
    *nkeys = (size_t)n;
    return 0;
}

int arg_rank_range(long long start, long long stop, size_t len, size_t *from, size_t *to)
{
    long long n = (long long)len;
    if (start < 0) start += n;
    if (stop < 0) stop += n;
    if (start < 0) start = 0;
    if (start > stop || start >= n) return 0;
    if (stop >= n) stop = n - 1;
    *from = (size_t)start;
    *to = (size_t)stop;
    return 1;
}

/* arg.c - parsing helpers for command arguments. */
#include "commands/arg.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

#include "base/clock.h"
#include "base/util.h"
#include "client/client.h"
#include "client/reply.h"
#include "dispatch/command.h"
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

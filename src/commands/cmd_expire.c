/* cmd_expire.c - TTL commands: EXPIRE family, TTL family, PERSIST. */
#include <limits.h>

#include "base/clock.h"
#include "base/config.h"
#include "client/client.h"
#include "client/reply.h"
#include "commands/arg.h"
#include "commands/commands.h"
#include "dispatch/command.h"
#include "services/notify.h"
#include "storage/db.h"

#define EXPIRE_NX 0x1
#define EXPIRE_XX 0x2
#define EXPIRE_GT 0x4
#define EXPIRE_LT 0x8

static int expire__options_or_reply(struct client *c, int *flags)
{
    *flags = 0;
    for (size_t j = 3; j < c->argc; j++) {
        const struct arg *a = &c->argv[j];
        if (arg_is(a, "nx"))
            *flags |= EXPIRE_NX;
        else if (arg_is(a, "xx"))
            *flags |= EXPIRE_XX;
        else if (arg_is(a, "gt"))
            *flags |= EXPIRE_GT;
        else if (arg_is(a, "lt"))
            *flags |= EXPIRE_LT;
        else {
            reply_errorf(c, REPLY_ERR_EXPIRE_OPTION_FMT, (int)a->len, a->ptr);
            return -1;
        }
    }
    if ((*flags & EXPIRE_NX) && (*flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT))) {
        reply_error(c, REPLY_ERR_EXPIRE_NX);
        return -1;
    }
    if ((*flags & EXPIRE_GT) && (*flags & EXPIRE_LT)) {
        reply_error(c, REPLY_ERR_EXPIRE_GTLT);
        return -1;
    }
    return 0;
}

/* EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT. basetime is the command clock for
 * relative forms and 0 for absolute ones. A time in the past deletes. */
static void expire__generic(struct client *c, long long basetime, long long unit_ms)
{
    int flags;
    long long when;
    if (expire__options_or_reply(c, &flags) != 0) return;
    if (arg_ll_or_reply(c, &c->argv[2], &when, NULL) != 0) return;
    if (unit_ms == 1000) {
        if (when > LLONG_MAX / 1000 || when < LLONG_MIN / 1000) goto invalid;
        when *= 1000;
    }
    if (when > LLONG_MAX - basetime) goto invalid;
    when += basetime;

    struct keyref ref;
    struct entry *e = db_lookup(c->db, c->argv[1].ptr, c->argv[1].len, DB_LOOKUP_WRITE, &ref);
    if (e == NULL) {
        reply_long(c, 0);
        return;
    }
    long long current = entry_expire(e);
    if (((flags & EXPIRE_NX) && current != -1) || ((flags & EXPIRE_XX) && current == -1) ||
        ((flags & EXPIRE_GT) && (current == -1 || when <= current)) ||
        ((flags & EXPIRE_LT) && current != -1 && when >= current)) {
        reply_long(c, 0);
        return;
    }
    if (when <= clock_now()) {
        db_remove(&ref);
        cmd_notify(c, NOTIFY_GENERIC, "del", &c->argv[1]);
    } else {
        int had = current != -1;
        db_relink(&ref, entry_set_expire(e, when), had);
        cmd_notify(c, NOTIFY_GENERIC, "expire", &c->argv[1]);
    }
    reply_long(c, 1);
    return;
invalid:
    reply_errorf(c, REPLY_ERR_EXPIRE_FMT, c->cmd->fullname);
}

void cmd_expire(struct client *c)
{
    expire__generic(c, clock_now(), 1000);
}

void cmd_pexpire(struct client *c)
{
    expire__generic(c, clock_now(), 1);
}

void cmd_expireat(struct client *c)
{
    expire__generic(c, 0, 1000);
}

void cmd_pexpireat(struct client *c)
{
    expire__generic(c, 0, 1);
}

/* TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 no key, -1 no TTL. */
static void expire__ttl(struct client *c, int ms, int absolute)
{
    struct entry *e =
        db_lookup(c->db, c->argv[1].ptr, c->argv[1].len, DB_LOOKUP_READ | DB_LOOKUP_NOTOUCH, NULL);
    if (e == NULL) {
        reply_long(c, -2);
        return;
    }
    long long expire = entry_expire(e);
    if (expire == -1) {
        reply_long(c, -1);
        return;
    }
    if (absolute) {
        reply_long(c, ms ? expire : (expire + 500) / 1000);
        return;
    }
    long long ttl = expire - clock_now();
    if (ttl < 0) ttl = 0;
    reply_long(c, ms ? ttl : (ttl + 500) / 1000);
}

void cmd_ttl(struct client *c)
{
    expire__ttl(c, 0, 0);
}

void cmd_pttl(struct client *c)
{
    expire__ttl(c, 1, 0);
}

void cmd_expiretime(struct client *c)
{
    expire__ttl(c, 0, 1);
}

void cmd_pexpiretime(struct client *c)
{
    expire__ttl(c, 1, 1);
}

void cmd_persist(struct client *c)
{
    struct keyref ref;
    struct entry *e = db_lookup(c->db, c->argv[1].ptr, c->argv[1].len, DB_LOOKUP_WRITE, &ref);
    if (e == NULL || entry_expire(e) == -1) {
        reply_long(c, 0);
        return;
    }
    db_relink(&ref, entry_set_expire(e, -1), 1);
    cmd_notify(c, NOTIFY_GENERIC, "persist", &c->argv[1]);
    reply_long(c, 1);
}

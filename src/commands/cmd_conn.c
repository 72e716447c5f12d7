/* cmd_conn.c - connection commands: PING, ECHO, QUIT, RESET, HELLO, AUTH,
 * ACL WHOAMI. (CLIENT is cmd_client.c.) */
#include <string.h>

#include "base/config.h"
#include "base/util.h"
#include "base/version.h"
#include "client/client.h"
#include "client/reply.h"
#include "commands/arg.h"
#include "commands/commands.h"
#include "dispatch/command.h"
#include "services/multi.h"
#include "services/pubsub.h"
#include "services/tracking.h"
#include "storage/db.h"

void cmd_ping(struct client *c)
{
    if (c->argc > 2) {
        reply_error_arity(c, c->cmd->fullname);
        return;
    }
    if (c->resp < 3 && pubsub_subscriptions(c) > 0) {
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
    client_close(c, CLIENT_CLOSE_AFTER_REPLY);
}

void cmd_reset(struct client *c)
{
    multi_reset(c);
    pubsub_unsubscribe_all(c);
    /* Messages and invalidations still waiting to be written go too: the
     * client has left subscribed mode. */
    client_drop_pushes(c);
    tracking_off(c);
    c->resp = 2;
    c->dbid = 0;
    c->db = db_get(0);
    client_set_name(c, &c->name, NULL, 0);
    c->flags &= ~(CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP_NEXT | CLIENT_NO_TOUCH);
    reply_status(c, "RESET");
}

void cmd_hello(struct client *c)
{
    long long ver = 0;
    size_t j = 1;
    if (c->argc >= 2) {
        if (!util_str2ll(c->argv[1].ptr, c->argv[1].len, &ver)) {
            reply_error(c, REPLY_ERR_PROTO_VER);
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
            if (!client_name_valid(setname->ptr, setname->len)) {
                reply_error(c, REPLY_ERR_CLIENT_NAME);
                return;
            }
        } else {
            reply_errorf(c, REPLY_ERR_HELLO_OPTION_FMT, (int)c->argv[j].len, c->argv[j].ptr);
            return;
        }
    }
    if (!auth_ok && !c->authenticated && CFG(auth_required)) {
        reply_error(c, REPLY_ERR_HELLO_NOAUTH);
        return;
    }
    if (auth_ok) c->authenticated = 1;
    if (setname) client_set_name(c, &c->name, setname->ptr, setname->len);
    if (ver) c->resp = (int)ver;

    reply_map(c, 7);
    reply_bulk_cstr(c, "server");
    reply_bulk_cstr(c, "redis");
    reply_bulk_cstr(c, "version");
    reply_bulk_cstr(c, REDIS_COMPAT_VERSION);
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
            reply_error(c, REPLY_ERR_AUTH_NOPASS);
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

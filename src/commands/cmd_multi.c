/* cmd_multi.c - transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
 *
 * EXEC takes, in one lockset, the shard locks of every key of every queued
 * command and of every watched key, so the whole transaction is atomic
 * with respect to other clients on any thread; then it checks the watched
 * keys and either runs the queue through the call path or replies null
 * when a watched key changed since WATCH. Errors inside EXEC do not roll
 * anything back. */
#include "client/client.h"
#include "client/reply.h"
#include "commands/commands.h"
#include "dispatch/call.h"
#include "dispatch/command.h"
#include "services/multi.h"
#include "storage/db.h"
#include "storage/lockset.h"

void cmd_multi(struct client *c)
{
    if (c->in_multi) {
        reply_error(c, REPLY_ERR_MULTI_NESTED);
        return;
    }
    c->in_multi = 1;
    c->dirty_exec = 0;
    reply_ok(c);
}

void cmd_discard(struct client *c)
{
    if (!c->in_multi) {
        reply_error(c, REPLY_ERR_DISCARD_NO_MULTI);
        return;
    }
    multi_reset(c);
    reply_ok(c);
}

void cmd_watch(struct client *c)
{
    if (c->in_multi) {
        reply_error(c, REPLY_ERR_WATCH_IN_MULTI);
        return;
    }
    /* The call path holds the keys' shard locks. */
    for (size_t j = 1; j < c->argc; j++) multi_watch(c, &c->argv[j]);
    reply_ok(c);
}

void cmd_unwatch(struct client *c)
{
    multi_unwatch_all(c, 0);
    reply_ok(c);
}

/* The locks EXEC needs: every queued command's keys (in the database the
 * client will have selected when it runs; the script lock for scripts),
 * every watched key, and every shard when the queue selects, swaps or
 * flushes databases. */
static enum lockset_status multi__lock(struct client *c, struct lockset *ls)
{
    lockset_init(ls);
    int all = 0;
    for (size_t i = 0; i < c->nqueued; i++) {
        const struct queued_cmd *q = &c->queued[i];
        const struct command *cmd = q->cmd;
        if (cmd->flags & (CMD_LOCK_ALL | CMD_LOCK_DB | CMD_SWITCHES_DB)) all = 1;
        call_lock_keys(ls, c->db, cmd, q->argv, q->argc);
    }
    if (all)
        db_lockset_add_all(ls);
    else
        multi_lock_watched(ls, c);
    return lockset_acquire(ls);
}

void cmd_exec(struct client *c)
{
    if (!c->in_multi) {
        reply_error(c, REPLY_ERR_EXEC_NO_MULTI);
        return;
    }
    if (c->dirty_exec) {
        reply_error(c, REPLY_ERR_EXECABORT);
        multi_reset(c);
        return;
    }
    struct lockset ls;
    int locking = lockset_on();
    if (locking && multi__lock(c, &ls) != LOCKSET_OK) {
        /* A script past busy-reply-threshold holds the locks. */
        reply_errorf(c, REPLY_ERR_EXECABORT_FMT, REPLY_ERR_BUSY);
        multi_discard_queue(c);
        return;
    }
    if (multi_watched_changed(c)) {
        reply_null_array(c);
    } else {
        /* The queued commands run with their own argument arrays; the
         * client's (reused for the next request) is put back after. */
        struct arg *argv = c->argv;
        size_t argc = c->argc;
        reply_array(c, c->nqueued);
        for (size_t i = 0; i < c->nqueued; i++) {
            c->argv = c->queued[i].argv;
            c->argc = c->queued[i].argc;
            call_queued(c, c->queued[i].cmd);
        }
        c->argv = argv;
        c->argc = argc;
    }
    multi_unwatch_all(c, locking);
    if (locking) lockset_release(&ls);
    multi_discard_queue(c);
}

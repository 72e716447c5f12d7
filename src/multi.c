/* multi.c - transactions: MULTI/EXEC/DISCARD and optimistic locking with
 * WATCH/UNWATCH, with Redis's semantics.
 *
 * Queued commands keep copies of their arguments (the query buffer moves
 * on). EXEC takes, in one lockset, the shard locks of every key of every
 * queued command and of every watched key, so the whole transaction is
 * atomic with respect to other clients on any thread; then it checks the
 * watched keys (an expired one is deleted by the lookup, which marks it
 * changed), and either runs the queue or replies null when a watched key
 * changed since WATCH. Errors inside EXEC do not roll anything back. */
#include "multi.h"

#include <string.h>

#include "client.h"
#include "cmd.h"
#include "command.h"
#include "db.h"
#include "mem.h"
#include "reply.h"
#include "script.h"
#include "util.h"

int multi_runs_now(const struct command *cmd)
{
    return cmd->fn == cmd_exec || cmd->fn == cmd_discard || cmd->fn == cmd_multi ||
           cmd->fn == cmd_watch || cmd->fn == cmd_quit || cmd->fn == cmd_reset;
}

void multi_queue(struct client *c, const struct command *cmd)
{
    size_t bytes = 0;
    for (size_t i = 0; i < c->argc; i++) bytes += c->argv[i].len;
    if (c->nqueued == c->capqueued) {
        c->capqueued = c->capqueued ? c->capqueued * 2 : 8;
        c->queued = mem_realloc(c->queued, c->capqueued * sizeof(*c->queued));
    }
    struct queued_cmd *q = &c->queued[c->nqueued++];
    q->cmd = cmd;
    q->argc = c->argc;
    q->argv = mem_alloc(c->argc * sizeof(struct arg) + bytes);
    char *p = (char *)(q->argv + c->argc);
    for (size_t i = 0; i < c->argc; i++) {
        memcpy(p, c->argv[i].ptr, c->argv[i].len);
        q->argv[i].ptr = p;
        q->argv[i].len = c->argv[i].len;
        p += c->argv[i].len;
    }
    reply_status(c, "QUEUED");
}

void multi_flag_error(struct client *c)
{
    if (c->in_multi) c->dirty_exec = 1;
}

void multi_discard_queue(struct client *c)
{
    for (size_t i = 0; i < c->nqueued; i++) mem_free(c->queued[i].argv);
    mem_free(c->queued);
    c->queued = NULL;
    c->nqueued = c->capqueued = 0;
    c->in_multi = 0;
    c->dirty_exec = 0;
}

/* Drops every watch; `locked` says the caller already holds their shard
 * locks (EXEC), otherwise each is taken in turn. */
static void multi__unwatch(struct client *c, int locked)
{
    for (size_t i = 0; i < c->nwatched; i++) {
        struct watched_key *wk = &c->watched[i];
        unsigned shard = table_shard_of(util_hash(wk->w->key, wk->w->klen));
        if (!locked) db_lock_shard(wk->db, shard);
        db_unwatch(wk->db, wk->w);
        if (!locked) db_unlock_shard(wk->db, shard);
    }
    mem_free(c->watched);
    c->watched = NULL;
    c->nwatched = c->capwatched = 0;
    c->dirty_cas = 0;
}

void multi_reset(struct client *c)
{
    multi_discard_queue(c);
    multi__unwatch(c, 0);
}

void cmd_multi(struct client *c)
{
    if (c->in_multi) {
        reply_error(c, "ERR MULTI calls can not be nested");
        return;
    }
    c->in_multi = 1;
    c->dirty_exec = 0;
    reply_ok(c);
}

void cmd_discard(struct client *c)
{
    if (!c->in_multi) {
        reply_error(c, "ERR DISCARD without MULTI");
        return;
    }
    multi_reset(c);
    reply_ok(c);
}

void cmd_watch(struct client *c)
{
    if (c->in_multi) {
        reply_error(c, "ERR WATCH inside MULTI is not allowed");
        return;
    }
    /* The dispatcher holds the keys' shard locks. */
    for (size_t j = 1; j < c->argc; j++) {
        const struct arg *k = &c->argv[j];
        int already = 0;
        for (size_t i = 0; i < c->nwatched && !already; i++) {
            struct watch *w = c->watched[i].w;
            already = c->watched[i].db == c->db && w->klen == k->len &&
                      memcmp(w->key, k->ptr, k->len) == 0;
        }
        if (already) continue;
        /* An already expired key goes now, so only a later change (or a
         * later expiry) counts against the transaction. */
        db_lookup(c->db, k->ptr, k->len, DB_LOOKUP_NOTOUCH, NULL);
        if (c->nwatched == c->capwatched) {
            c->capwatched = c->capwatched ? c->capwatched * 2 : 4;
            c->watched = mem_realloc(c->watched, c->capwatched * sizeof(*c->watched));
        }
        c->watched[c->nwatched].db = c->db;
        c->watched[c->nwatched].w = db_watch(c->db, k->ptr, k->len, &c->dirty_cas);
        c->nwatched++;
    }
    reply_ok(c);
}

void cmd_unwatch(struct client *c)
{
    multi__unwatch(c, 0);
    reply_ok(c);
}

/* The locks EXEC needs: every queued command's keys (in the database the
 * client will have selected when it runs; the script lock for scripts),
 * every watched key, and every shard when the queue selects, swaps or
 * flushes databases. */
static int multi__lockset(struct client *c, struct db_lockset *ls)
{
    db_lockset_init(ls);
    int all = 0;
    for (size_t i = 0; i < c->nqueued; i++) {
        const struct queued_cmd *q = &c->queued[i];
        const struct command *cmd = q->cmd;
        if ((cmd->flags & (CMD_LOCK_ALL | CMD_LOCK_DB)) || cmd->fn == cmd_select) all = 1;
        command_lock_keys(ls, c->db, cmd, q->argv, q->argc);
    }
    if (all) {
        db_lockset_add_all(ls);
    } else {
        for (size_t i = 0; i < c->nwatched; i++)
            db_lockset_add_key(ls, c->watched[i].db, c->watched[i].w->key, c->watched[i].w->klen);
    }
    return db_lockset_acquire(ls);
}

void cmd_exec(struct client *c)
{
    if (!c->in_multi) {
        reply_error(c, "ERR EXEC without MULTI");
        return;
    }
    if (c->dirty_exec) {
        reply_error(c, "EXECABORT Transaction discarded because of previous errors.");
        multi_reset(c);
        return;
    }
    struct db_lockset ls;
    int locking = db_locking();
    if (locking && multi__lockset(c, &ls) != 0) {
        /* A script past busy-reply-threshold holds the locks. */
        reply_error(c, "EXECABORT Transaction discarded because of: " SCRIPT_ERR_BUSY);
        multi_discard_queue(c);
        return;
    }
    /* Lazy expiry of watched keys: an expired one is deleted here, which
     * marks the transaction dirty. */
    for (size_t i = 0; i < c->nwatched && !c->dirty_cas; i++)
        db_lookup(c->watched[i].db, c->watched[i].w->key, c->watched[i].w->klen, DB_LOOKUP_NOTOUCH,
                  NULL);
    if (c->dirty_cas) {
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
            command_run_queued(c, c->queued[i].cmd);
        }
        c->argv = argv;
        c->argc = argc;
    }
    multi__unwatch(c, locking);
    if (locking) db_lockset_release(&ls);
    multi_discard_queue(c);
}

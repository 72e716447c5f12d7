/* multi.c - transaction state: the queue and the watched keys.
 *
 * Queued commands keep copies of their arguments (the query buffer moves
 * on). A watch is a record in the watched key's shard (storage/db.c) that
 * any write to the key marks dirty, so EXEC only checks one flag. */
#include "services/multi.h"

#include <string.h>

#include "base/mem.h"
#include "client/client.h"
#include "client/reply.h"
#include "dispatch/call.h"
#include "storage/db.h"
#include "storage/lockset.h"

static void multi__queue(struct client *c, const struct command *cmd)
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

/* A command refused while MULTI is open makes EXEC abort. */
static void multi__refused(struct client *c)
{
    c->dirty_exec = 1;
}

/* EXEC refused at dispatch ends the transaction. The watches need their
 * shards' locks, which a busy script on another thread may hold: then they
 * stay until the next EXEC, DISCARD or UNWATCH. */
static void multi__exec_refused(struct client *c)
{
    if (call_busy() && lockset_on() && !lockset_held())
        multi_discard_queue(c);
    else
        multi_reset(c);
}

void multi_setup(void)
{
    call_hook_transactions(multi__queue, multi__refused, multi__exec_refused);
    client_on_free(multi_reset);
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

void multi_unwatch_all(struct client *c, int locked)
{
    for (size_t i = 0; i < c->nwatched; i++) {
        struct watched_key *wk = &c->watched[i];
        unsigned shard = db_shard_of(wk->w->key, wk->w->klen);
        if (!locked) db_lock_shard(wk->db, shard);
        db_unwatch(wk->db, wk->w);
        if (!locked) db_unlock_shard(wk->db, shard);
    }
    mem_free(c->watched);
    c->watched = NULL;
    c->nwatched = c->capwatched = 0;
    /* Atomic: CLIENT LIST on other threads reads it (its d flag). */
    __atomic_store_n(&c->dirty_cas, 0, __ATOMIC_RELAXED);
}

void multi_reset(struct client *c)
{
    multi_discard_queue(c);
    multi_unwatch_all(c, 0);
}

void multi_watch(struct client *c, const struct arg *k)
{
    for (size_t i = 0; i < c->nwatched; i++) {
        struct watch *w = c->watched[i].w;
        if (c->watched[i].db == c->db && w->klen == k->len && memcmp(w->key, k->ptr, k->len) == 0)
            return;
    }
    /* An already expired key goes now, so only a later change (or a later
     * expiry) counts against the transaction. */
    db_lookup(c->db, k->ptr, k->len, DB_LOOKUP_NOTOUCH, NULL);
    if (c->nwatched == c->capwatched) {
        c->capwatched = c->capwatched ? c->capwatched * 2 : 4;
        c->watched = mem_realloc(c->watched, c->capwatched * sizeof(*c->watched));
    }
    c->watched[c->nwatched].db = c->db;
    c->watched[c->nwatched].w = db_watch(c->db, k->ptr, k->len, &c->dirty_cas);
    c->nwatched++;
}

void multi_lock_watched(struct lockset *ls, struct client *c)
{
    for (size_t i = 0; i < c->nwatched; i++)
        db_lockset_add_key(ls, c->watched[i].db, c->watched[i].w->key, c->watched[i].w->klen);
}

int multi_watched_changed(struct client *c)
{
    /* Lazy expiry of watched keys: an expired one is deleted here, which
     * marks the transaction dirty. */
    for (size_t i = 0; i < c->nwatched && !c->dirty_cas; i++)
        db_lookup(c->watched[i].db, c->watched[i].w->key, c->watched[i].w->klen, DB_LOOKUP_NOTOUCH,
                  NULL);
    return c->dirty_cas;
}

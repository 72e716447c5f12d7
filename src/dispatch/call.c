/* call.c - the call path: checks, locks, runs and counts every command
 * (see call.h). */
#include "dispatch/call.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/stats.h"
#include "base/util.h"
#include "client/client.h"
#include "client/reply.h"
#include "dispatch/command.h"
#include "storage/db.h"
#include "storage/evict.h"
#include "storage/lockset.h"

_Thread_local struct client *call__current;
int call__busy;
static _Thread_local int call__oom;
static const struct call_busy_server *call__busy_server;

/* The hooks (call.h); NULL until the service registers. */
static call_queue_fn *call__queue;
static call_client_fn *call__refused_in_multi, *call__exec_refused;

static call_postpone_fn *call__postpone;
static const int *call__paused;

void call_hook_postpone(call_postpone_fn *fn, const int *paused)
{
    call__postpone = fn;
    call__paused = paused;
}

static call_tracked_fn *call__tracked, *call__tracked_refused;
static call_tracked_script_fn *call__tracked_in_script;
static call_flags_fn *call__script_flags;

void call_hook_transactions(call_queue_fn *queue, call_client_fn *refused_in_multi,
                            call_client_fn *exec_refused)
{
    call__queue = queue;
    call__refused_in_multi = refused_in_multi;
    call__exec_refused = exec_refused;
}

void call_hook_tracking(call_tracked_fn *ran, call_tracked_fn *refused,
                        call_tracked_script_fn *ran_in_script)
{
    call__tracked = ran;
    call__tracked_refused = refused;
    call__tracked_in_script = ran_in_script;
}

static call_monitor_fn *call__monitor;
static const size_t *call__monitors;

void call_hook_monitor(call_monitor_fn *fn, const size_t *active)
{
    call__monitor = fn;
    call__monitors = active;
}

/* Whether commands go to monitors now (one relaxed load when none). */
static inline int call__monitored(void)
{
    return call__monitors && __atomic_load_n(call__monitors, __ATOMIC_RELAXED) != 0;
}

void call_hook_script_flags(call_flags_fn *fn)
{
    call__script_flags = fn;
}

int call_oom(void)
{
    return call__oom;
}

/* How a command runs (CALL_DIRECT and CALL_LOCKED are lockset_on()'s
 * values). */
enum call_mode {
    CALL_IN_EXEC = -1, /* queued, inside EXEC: its locks are EXEC's */
    CALL_DIRECT = 0,   /* one event-loop thread: no locks */
    CALL_LOCKED = 1,   /* several threads: it takes its locks */
};

/* ---- busy ---- */

void call_set_busy_server(const struct call_busy_server *s)
{
    call__busy_server = s;
}

void call_busy_begin(struct client *caller)
{
    __atomic_store_n(&call__busy, 1, __ATOMIC_RELAXED);
    if (call__busy_server) call__busy_server->begin(caller);
}

void call_busy_poll(void)
{
    if (call__busy_server) call__busy_server->poll();
}

void call_busy_end(void)
{
    if (call__busy_server) call__busy_server->end();
    __atomic_store_n(&call__busy, 0, __ATOMIC_RELAXED);
}

static int call__busy_function; /* relaxed atomic */

void call_busy_set_function(int on)
{
    __atomic_store_n(&call__busy_function, on, __ATOMIC_RELAXED);
}

static const char *call__busy_msg(void)
{
    return __atomic_load_n(&call__busy_function, __ATOMIC_RELAXED) ? REPLY_ERR_BUSY_FUNCTION
                                                                   : REPLY_ERR_BUSY;
}

/* ---- the clock ---- */

/* Each command's duration for commandstats is the monotonic time since the
 * previous one of the batch ended, so a command costs one clock read, not
 * three. */
static _Thread_local uint64_t call__tick;

void call_batch_begin(long long now_ms)
{
    clock_set_now(now_ms);
    call__tick = util_monotonic_us();
}

/* ---- locks ---- */

void call_lock_keys(struct lockset *ls, struct db *db, const struct command *cmd,
                    const struct arg *argv, size_t argc)
{
    if (cmd->flags & CMD_LOCK_ALL) {
        db_lockset_add_all(ls);
    } else if (cmd->flags & CMD_LOCK_DB) {
        db_lockset_add_db(ls, db);
    } else if (cmd->keynum > 0) {
        /* A count at argv[keynum], the keys after it (EVAL, SINTERCARD),
         * and a destination before it (ZUNIONSTORE). A bad count gets its
         * error from the handler; then no keys. */
        if (cmd->flags & CMD_LOCK_SCRIPT) db_lockset_add_script(ls);
        if (cmd->first_key > 0 && argc > (size_t)cmd->first_key)
            db_lockset_add_key(ls, db, argv[cmd->first_key].ptr, argv[cmd->first_key].len);
        size_t at = (size_t)cmd->keynum;
        long long n;
        if (argc > at && util_str2ll(argv[at].ptr, argv[at].len, &n) && n > 0 &&
            n <= (long long)(argc - at - 1))
            for (size_t j = at + 1; j < at + 1 + (size_t)n; j++)
                db_lockset_add_key(ls, db, argv[j].ptr, argv[j].len);
    } else if (cmd->flags & CMD_LOCK_SCRIPT) {
        db_lockset_add_script(ls);
    } else if (cmd->first_key > 0) {
        int last = cmd->last_key < 0 ? (int)argc + cmd->last_key : cmd->last_key;
        for (int j = cmd->first_key; j <= last && j < (int)argc; j += cmd->key_step)
            db_lockset_add_key(ls, db, argv[j].ptr, argv[j].len);
    }
}

static enum lockset_status call__lock(struct client *c, const struct command *cmd,
                                      struct lockset *ls)
{
    lockset_init(ls);
    call_lock_keys(ls, c->db, cmd, c->argv, c->argc);
    return lockset_acquire(ls);
}

/* ---- running ---- */

/* Counters, clock and pending pushes after a command ran for c. */
static void call__account(struct client *c, const struct command *cmd, uint64_t now)
{
    struct cmd_counters *cs = &stats_mine->cmd[cmd->index];
    STAT_ADD(cs->usec, now - call__tick);
    call__tick = now;
    STAT_ADD(cs->calls, 1);
    if (c->cmd_failed) STAT_ADD(cs->failed_calls, 1);
    c->lastcmd = cmd;
    c->cmd = NULL;
    STAT_INC(commands, 1);
    /* Invalidations and notifications this command sent to clients of
     * this thread. */
    client_flush_pushes_if_pending();
}

/* A refused request (cmd NULL: unknown) counts against the transaction
 * and ends CLIENT CACHING's window. */
static void call__reject(struct client *c, const struct command *cmd)
{
    if (cmd) STAT_INC(cmd[cmd->index].rejected_calls, 1);
    if (c->in_multi && call__refused_in_multi) call__refused_in_multi(c);
    if (c->tracking_caching && call__tracked_refused) call__tracked_refused(c, cmd);
}

/* Refuses c's request with msg (an error with its code). EXEC refused
 * inside MULTI ends the transaction, as in Redis: "EXECABORT Transaction
 * discarded because of: <msg>" (msg without a leading "ERR "). */
static void call__refuse(struct client *c, const struct command *cmd, const char *msg)
{
    if (cmd && (cmd->flags & CMD_EXEC) && c->in_multi) {
        reply_errorf(c, REPLY_ERR_EXECABORT_FMT, strncmp(msg, "ERR ", 4) == 0 ? msg + 4 : msg);
        STAT_INC(cmd[cmd->index].rejected_calls, 1);
        /* Monitors saw MULTI: they see the transaction end (Redis's). */
        if (call__monitored()) call__monitor(c, c->argv, c->argc, 0);
        if (call__exec_refused) call__exec_refused(c);
        if (c->tracking_caching && call__tracked_refused) call__tracked_refused(c, cmd);
        return;
    }
    reply_error(c, msg);
    call__reject(c, cmd);
}

/* Out of line so the single-threaded path carries no lockset. */
static __attribute__((noinline)) enum lockset_status call__run_locked(struct client *c,
                                                                      const struct command *cmd)
{
    struct lockset ls;
    if (call__lock(c, cmd, &ls) != LOCKSET_OK) return LOCKSET_GAVE_UP;
    cmd->fn(c);
    lockset_release(&ls);
    return LOCKSET_OK;
}

/* Runs cmd for c: its locks (with threads), the handler, tracking, the
 * counters, and eviction after a write. */
static void call__run(struct client *c, const struct command *cmd, enum call_mode mode)
{
    c->cmd = cmd;
    c->cmd_failed = 0;
    call_set_current(c);
    /* CLIENT NO-TOUCH: no access is counted, but TOUCH's (Redis's rule);
     * a script's commands inherit their caller's. */
    int no_touch = (c->flags & CLIENT_NO_TOUCH) && strcmp(cmd->name, "touch") != 0;
    if (no_touch) db_set_no_touch(1);
    if (mode == CALL_LOCKED) {
        if (call__run_locked(c, cmd) != LOCKSET_OK) {
            /* A script past busy-reply-threshold holds the locks. */
            c->cmd = NULL;
            if (no_touch) db_set_no_touch(0);
            call__refuse(c, cmd, call__busy_msg());
            return;
        }
    } else {
        cmd->fn(c);
    }
    if (c->tracking && call__tracked) call__tracked(c, cmd);
    /* A write may leave memory above the limit (the value it stored):
     * evict right away so used_memory is within maxmemory between
     * commands, not just before them. Not inside EXEC: the transaction's
     * locks are held until it ends, and eviction takes shard locks. A
     * script may have written anything. */
    if ((cmd->flags & (CMD_DENYOOM | CMD_SCRIPT_FLAGS)) && CFG(maxmemory) && mode != CALL_IN_EXEC)
        evict_after_command();
    if (no_touch) db_set_no_touch(0);
    if (call__monitored() && !(cmd->flags & (CMD_SKIP_MONITOR | CMD_ADMIN)))
        call__monitor(c, c->argv, c->argc, 0);
    call__account(c, cmd, util_monotonic_us());
}

static _Thread_local int call__in_exec;

void call_queued(struct client *c, const struct command *cmd)
{
    const struct command *exec = c->cmd;
    call__in_exec = 1;
    call__run(c, cmd, CALL_IN_EXEC);
    call__in_exec = 0;
    c->cmd = exec;
}

int call_may_block(const struct client *c)
{
    return !call__in_exec && !(c->flags & CLIENT_CAPTURE);
}

void call_for_script(struct client *c, const struct command *cmd, struct client *caller)
{
    /* call_current() stays the caller: NOLOOP is about its own writes. */
    c->cmd = cmd;
    c->cmd_failed = 0;
    if (lockset_on()) {
        /* Nested in the script's lockset: what the command needs joins it
         * (never gives up: no give-up for the holder). */
        struct lockset ls;
        call__lock(c, cmd, &ls);
        cmd->fn(c);
        lockset_release(&ls);
    } else {
        cmd->fn(c);
    }
    if (caller->tracking && call__tracked_in_script)
        call__tracked_in_script(caller, cmd, c->argv, c->argc);
    if (call__monitored() && !(cmd->flags & (CMD_SKIP_MONITOR | CMD_ADMIN)))
        call__monitor(c, c->argv, c->argc, 1);
    call__account(c, cmd, util_monotonic_us());
}

/* ---- checks ---- */

/* Redis's reply to an unknown command: the name and the first arguments,
 * each quoted, up to about 128 bytes of them. */
static void call__reply_unknown(struct client *c)
{
    char args[512];
    size_t n = 0;
    args[0] = '\0';
    for (size_t i = 1; i < c->argc && n < 128; i++) {
        int room = 128 - (int)n;
        int len = (int)c->argv[i].len < room ? (int)c->argv[i].len : room;
        n += (size_t)snprintf(args + n, sizeof(args) - n, "'%.*s' ", len, c->argv[i].ptr);
    }
    int namelen = c->argv[0].len > 128 ? 128 : (int)c->argv[0].len;
    reply_errorf(c, REPLY_ERR_UNKNOWN_CMD_FMT, namelen, c->argv[0].ptr, args);
}

/* Eviction before a command that may grow memory (denyoom), and the OOM
 * state scripts start with. Returns 0 to go on, or -1 after refusing. A
 * script's own flags (its shebang) are looked up only when memory is
 * still over the limit: the common case pays no cache lookup. */
static __attribute__((noinline)) int call__memory(struct client *c, const struct command *cmd)
{
    enum evict_status rc = evict_before_command();
    if (cmd->flags & CMD_NOTE_OOM) call__oom = rc != EVICT_OK;
    if (rc == EVICT_BUSY) {
        call__refuse(c, cmd, call__busy_msg());
        return -1;
    }
    if (rc == EVICT_OK) return 0;
    uint32_t flags = cmd->flags;
    if ((flags & CMD_SCRIPT_FLAGS) && call__script_flags) flags = call__script_flags(c, cmd);
    if (flags & CMD_DENYOOM) {
        call__refuse(c, cmd, REPLY_ERR_OOM);
        return -1;
    }
    return 0;
}

static void call__execute(struct client *c)
{
    struct command *cmd = command_lookup(c->argv[0].ptr, c->argv[0].len);
    if (cmd == NULL) {
        call__reply_unknown(c);
        call__reject(c, NULL);
        return;
    }
    if (cmd->subcommands && c->argc >= 2) {
        struct command *sub = command_lookup_sub(cmd, c->argv[1].ptr, c->argv[1].len);
        if (sub == NULL) {
            char upper[64];
            size_t n = strlen(cmd->name);
            for (size_t i = 0; i <= n; i++) upper[i] = (char)toupper((unsigned char)cmd->name[i]);
            int sublen = c->argv[1].len > 128 ? 128 : (int)c->argv[1].len;
            reply_errorf(c, REPLY_ERR_UNKNOWN_SUB_FMT, sublen, c->argv[1].ptr, upper);
            call__reject(c, NULL);
            return;
        }
        cmd = sub;
    }
    if (!command_arity_ok(cmd, c->argc)) {
        char msg[128];
        snprintf(msg, sizeof(msg), REPLY_ERR_ARITY_FMT, cmd->fullname);
        call__refuse(c, cmd, msg);
        return;
    }
    if (!c->authenticated && !(cmd->flags & CMD_NO_AUTH) && CFG(auth_required)) {
        call__refuse(c, cmd, REPLY_ERR_NOAUTH);
        return;
    }
    int busy = call_busy();
    if (CFG(maxmemory) && !busy && (cmd->flags & (CMD_DENYOOM | CMD_NOTE_OOM))) {
        if (call__memory(c, cmd) != 0) return;
    } else if (cmd->flags & CMD_NOTE_OOM) {
        call__oom = 0;
    }
    if (c->resp < 3 && (c->nchannels | c->npatterns) && !(cmd->flags & CMD_SUBSCRIBED)) {
        char msg[256];
        snprintf(msg, sizeof(msg), REPLY_ERR_SUBSCRIBED_FMT, cmd->fullname);
        call__refuse(c, cmd, msg);
        return;
    }
    /* A script past busy-reply-threshold: only what Redis allows then.
     * (SHUTDOWN without NOSAVE is refused by its handler.) */
    if (busy && !(cmd->flags & CMD_ALLOW_BUSY)) {
        call__refuse(c, cmd, call__busy_msg());
        return;
    }
    if (call__paused && __atomic_load_n(call__paused, __ATOMIC_ACQUIRE) && call__postpone(c, cmd))
        return;
    if (c->in_multi && (cmd->flags & CMD_NO_MULTI)) {
        call__refuse(c, cmd, REPLY_ERR_NOT_IN_MULTI);
        return;
    }
    if (c->in_multi && !(cmd->flags & CMD_MULTI_NOW) && call__queue) {
        call__queue(c, cmd);
        return;
    }
    /* lockset_on() is 0 or 1: CALL_DIRECT or CALL_LOCKED. */
    call__run(c, cmd, (enum call_mode)lockset_on());
}

_Thread_local int call__after_pending;
static void (*call__after)(void);

void call_hook_after(void (*fn)(void))
{
    call__after = fn;
}

int call_rerun(struct client *c)
{
    const struct command *cmd = command_find(c->argv, c->argc);
    c->cmd = cmd;
    c->cmd_failed = 0;
    call_set_current(c);
    if (lockset_on()) {
        if (call__run_locked(c, cmd) != LOCKSET_OK) return -1;
    } else {
        cmd->fn(c);
    }
    if (c->tracking && call__tracked) call__tracked(c, cmd);
    if ((cmd->flags & CMD_DENYOOM) && CFG(maxmemory)) evict_after_command();
    if (call__after_pending && call__after) {
        call__after_pending = 0;
        call__after();
    }
    return 0;
}

void call_execute(struct client *c)
{
    call__execute(c);
    if (call__after_pending && call__after) {
        call__after_pending = 0;
        call__after();
    }
    /* CLIENT REPLY SKIP: the request after it has its reply dropped (the
     * flag lasts one request, run, queued or refused). */
    if (c->flags & (CLIENT_REPLY_SKIP | CLIENT_REPLY_SKIP_NEXT)) {
        c->flags &= ~CLIENT_REPLY_SKIP;
        if (c->flags & CLIENT_REPLY_SKIP_NEXT)
            c->flags ^= CLIENT_REPLY_SKIP_NEXT | CLIENT_REPLY_SKIP;
    }
}

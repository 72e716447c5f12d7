/* call.h - the call path: the one place that runs a command, whether it
 * came from a socket, from EXEC or from a script.
 *
 * For a request read from a client, call_execute looks the command up,
 * checks it (arity, authentication, memory, RESP2 subscribed mode, a busy
 * script, an open MULTI), takes its shard locks (with several event-loop
 * threads), runs the handler, evicts if the command pushed memory over the
 * limit, and counts it. A refused command gets Redis's error and counts as
 * rejected.
 *
 * The services above this layer (transactions, scripting, client-side
 * caching) extend the path through the hooks below, which they register
 * at startup: the call path knows that a MULTI may be open, not how
 * commands are queued. */
#ifndef RESPITE_CALL_H
#define RESPITE_CALL_H

#include <stddef.h>
#include <stdint.h>

struct client;
struct command;
struct arg;
struct db;
struct lockset;

/* Starts a batch of requests read together: sets the clock they see (one
 * reading per batch: Redis's command time snapshot) and the start of the
 * first one's duration for commandstats. */
void call_batch_begin(long long now_ms);
/* Runs the request in c->argv[0..argc); replies to c. */
void call_execute(struct client *c);
/* Runs a command queued by MULTI, inside EXEC (locks already held). */
void call_queued(struct client *c, const struct command *cmd);
/* Runs cmd for a script's client c on behalf of caller (the client that
 * sent EVAL; the script holds the locks, and what cmd needs joins them):
 * counts it in commandstats, and lets client-side caching track the keys
 * it reads for caller. */
void call_for_script(struct client *c, const struct command *cmd, struct client *caller);
/* Adds the locks cmd needs for argv in database db to ls: its keys'
 * shards, its whole database or everything, by its flags; the script lock
 * and EVAL's declared keys for the EVAL family. */
void call_lock_keys(struct lockset *ls, struct db *db, const struct command *cmd,
                    const struct arg *argv, size_t argc);

/* Runs the request in c->argv again, as call_execute does once its
 * checks passed (locks, handler, tracking, eviction), without counting
 * the call a second time: a blocked command retried when a key it waits
 * on may have data. Returns 0, or -1 when a busy script holds the locks
 * (nothing ran). */
int call_rerun(struct client *c);
/* Whether the command running for c may block: not inside EXEC, not from
 * a script (both reply as if the wait timed out, as in Redis). */
int call_may_block(const struct client *c);
/* CLIENT PAUSE: asked before a request runs (after its checks, before
 * MULTI queues it); nonzero when it must wait for the pause to end (fn
 * then marked c CLIENT_POSTPONED and nothing is replied). *paused says
 * whether any pause is on (read first: the common case pays one load). */
typedef int call_postpone_fn(struct client *c, const struct command *cmd);
void call_hook_postpone(call_postpone_fn *fn, const int *paused);

/* Blocking commands: after a top-level command (a request, or the EXEC
 * or script it ran in) during which call_after_asked() was called, fn runs
 * on the same thread with no lock held (serving clients that waited on
 * keys it filled: a push inside MULTI or a script wakes them only once it
 * ends). */
void call_hook_after(void (*fn)(void));
extern _Thread_local int call__after_pending;
static inline void call_after_asked(void)
{
    call__after_pending = 1;
}

/* The client whose command runs on this thread now (set per command;
 * client-side caching's NOLOOP compares writers with it). */
extern _Thread_local struct client *call__current;
static inline struct client *call_current(void)
{
    return call__current;
}
static inline void call_set_current(struct client *c)
{
    call__current = c;
}
/* Whether memory was still over maxmemory, after evicting, when the
 * request running now (or the EXEC running it) was dispatched: a script
 * may not start writing then. Set for CMD_NOTE_OOM commands. */
int call_oom(void);

/* ---- busy ----
 * A script that runs past busy-reply-threshold makes the server busy:
 * every command without allow_busy gets BUSY. The script's own thread
 * keeps serving its other connections meanwhile, from the script's
 * interrupt hook: the networking layer registers how (it owns the
 * sockets), scripting says when. */
extern int call__busy; /* relaxed atomic; read through call_busy() */
static inline int call_busy(void)
{
    return __atomic_load_n(&call__busy, __ATOMIC_RELAXED);
}
struct call_busy_server {
    void (*begin)(struct client *caller); /* caller's script went past the threshold */
    void (*poll)(void);                   /* serve what is ready, without waiting */
    void (*end)(void);                    /* the script ended */
};
void call_set_busy_server(const struct call_busy_server *s);
/* From the thread running the script: the server is busy from now on;
 * serve this thread's clients; the script ended. */
void call_busy_begin(struct client *caller);
/* What is busy: a function (FCALL; BUSY replies name FUNCTION KILL) or
 * an EVAL script (SCRIPT KILL). Set before call_busy_begin. */
void call_busy_set_function(int on);
void call_busy_poll(void);
void call_busy_end(void);

/* ---- hooks the services register ---- */

/* Transactions: queue cmd for c (MULTI is open and cmd is not
 * CMD_MULTI_NOW); c's request was refused while MULTI is open (EXEC will
 * abort); EXEC itself was refused at dispatch (the transaction ends; the
 * EXECABORT reply is sent already). */
typedef void call_queue_fn(struct client *c, const struct command *cmd);
typedef void call_client_fn(struct client *c);
void call_hook_transactions(call_queue_fn *queue, call_client_fn *refused_in_multi,
                            call_client_fn *exec_refused);
/* Client-side caching: after cmd ran for c, a client with tracking on;
 * after c's request was refused while CLIENT CACHING is pending (cmd NULL:
 * an unknown command); after cmd ran in a script of owner's, a client with
 * tracking on, with the arguments it ran with. */
typedef void call_tracked_fn(struct client *c, const struct command *cmd);
typedef void call_tracked_script_fn(struct client *owner, const struct command *cmd,
                                    const struct arg *argv, size_t argc);
void call_hook_tracking(call_tracked_fn *ran, call_tracked_fn *refused,
                        call_tracked_script_fn *ran_in_script);
/* MONITOR: after a command ran for c (not one flagged skip_monitor or
 * admin), or one of a script's commands (script set); *active is the
 * number of monitors, read before each call. */
typedef void call_monitor_fn(struct client *c, const struct arg *argv, size_t argc, int script);
void call_hook_monitor(call_monitor_fn *fn, const size_t *active);
/* Scripting: the flags of an EVAL-family request by its script's shebang
 * (asked only when memory is over the limit, for the OOM check). */
typedef uint32_t call_flags_fn(struct client *c, const struct command *cmd);
void call_hook_script_flags(call_flags_fn *fn);

#endif

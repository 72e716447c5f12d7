/* script.h - Lua scripting, Redis's EVAL model: the script cache, running a
 * script as one atomic unit, the commands it calls through redis.call, and
 * the busy state other clients see while a long script runs (BUSY, SCRIPT
 * KILL). The Lua side (sandbox, redis.* library, conversions) is
 * script_lua.c; the commands are in cmd_script.c.
 *
 * Atomicity (with several event-loop threads; with one there are no
 * locks and nothing else runs meanwhile): EVAL takes the script lock, then
 * its declared keys' shards, as one lockset (db.h). Every command the
 * script runs adds the shards it touches to that set, which is released
 * only when the script ends: strict two-phase locking, so the script is
 * one unit against every other client, undeclared keys and SELECT
 * included (Redis allows both outside cluster mode), while commands on
 * shards the script never reaches run on. The script lock also gives the
 * one interpreter one user at a time (SCRIPT LOAD/EXISTS/FLUSH take it
 * too). Locking every shard instead would be simpler but costs 256 mutex
 * operations per call and stops every other thread for the script's
 * duration: 4.5x the CPU per EVALSHA with two threads (README, Performance).
 *
 * Busy scripts: a script that runs past busy-reply-threshold makes the
 * server "busy" (dispatch/call.h): commands get -BUSY except the few Redis
 * allows (SCRIPT KILL, SHUTDOWN NOSAVE, AUTH, HELLO, MULTI...). The
 * script's own thread keeps serving its other connections from the Lua
 * hook (call_busy_poll, which the networking layer implements); other
 * threads stop waiting for the locks and answer BUSY. */
#ifndef RESPITE_SCRIPT_H
#define RESPITE_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

struct client;
struct command;
struct arg;

/* Shebang flags (#!lua flags=...), Redis's names. A script without a
 * shebang runs in compatibility mode: no flags, Redis's pre-7 rules. */
#define SCRIPT_FLAG_NO_WRITES   0x01u /* no-writes */
#define SCRIPT_FLAG_ALLOW_OOM   0x02u /* allow-oom */
#define SCRIPT_FLAG_ALLOW_STALE 0x04u /* allow-stale */
#define SCRIPT_FLAG_NO_CLUSTER  0x08u /* no-cluster */
#define SCRIPT_FLAG_CROSS_SLOT  0x10u /* allow-cross-slot-keys */
#define SCRIPT_FLAG_COMPAT      0x80u /* no shebang */

/* Prepares the client scripts' commands run as, and registers with the
 * call path (a request's flags by its shebang), the shard locks (threads
 * waiting for a busy script give up) and the Lua side (its host); frees
 * everything at shutdown. The interpreter is created on first use. */
void script_setup(void);
void script_teardown(void);

/* EVAL / EVALSHA (and _RO): runs the script in body (EVAL) or the cached
 * one named by sha (EVALSHA) with c's arguments from argv[2] on; replies
 * to c. Caller holds the script lock (CMD_LOCK_SCRIPT). A script that is
 * not no-writes or allow-oom may not start while call_oom() says memory
 * is over the limit. */
void script_eval(struct client *c, int by_sha, int readonly);
/* SCRIPT LOAD: compiles and caches body (no longer evictable if EVAL had
 * cached it); returns 0 with its digest in sha, or -1 after replying the
 * error (bad shebang, syntax error) to c. */
int script_load(struct client *c, const char *body, size_t len, char sha[41]);
/* SCRIPT EXISTS: whether a (40 hex digits, any case) names a cached script. */
int script_exists(const struct arg *a);
/* async: the old interpreter is freed by the cron, not by this command. */
void script_flush(int async);
/* SCRIPT KILL (function 0) or FUNCTION KILL (1) from any thread: 0
 * (killed), or -1 with Redis's error in *err (NOTBUSY: nothing running;
 * UNKILLABLE: it already wrote; BUSY: the other kind is running). */
int script_kill(int function, const char **err);

/* ---- functions (services/function.c keeps the libraries) ---- */
/* FCALL / FCALL_RO: runs the function ref of the functions interpreter L,
 * named name, with flags (SCRIPT_FLAG_*, never COMPAT), keys from
 * argv[3]; replies to c. Caller holds the script lock. */
struct lua_State;
void script_fcall(struct client *c, struct lua_State *L, int ref, const char *name, uint32_t flags,
                  int readonly, size_t nkeys);
/* FUNCTION STATS: when a function runs, calls fn with its name, its
 * caller's arguments and how long it has run (all valid during the call)
 * and returns 1; else 0. Any thread. */
typedef void script_running_fn(const char *name, const struct arg *argv, size_t argc, long long ms,
                               void *arg);
int script_running_function(script_running_fn *fn, void *arg);
/* Whether an EVAL script (not a function) runs now. Any thread. */
int script_eval_running(void);
/* The call path asks FCALL's flags from the function (by the name in
 * argv[1]): fn returns 1 with them, or 0 when there is no such function. */
typedef int script_function_flags_fn(const struct arg *name, uint32_t *flags);
void script_set_function_flags(script_function_flags_fn *fn);
/* SHUTDOWN NOSAVE: stops the running script even if it wrote. */
void script_abort_for_shutdown(void);
/* Cron: frees an interpreter left by SCRIPT FLUSH ASYNC. */
void script_cron(void);

/* INFO: memory and counts. */
struct script_info {
    size_t lua_bytes;      /* EVAL's interpreter's heap */
    size_t vm_functions;   /* the functions' interpreter's heap */
    size_t cache_bytes;    /* bodies and bookkeeping of cached scripts */
    size_t cached_scripts; /* number_of_cached_scripts */
    uint64_t evicted;      /* evicted_scripts: EVAL scripts dropped from the cache */
};
void script_info(struct script_info *out);

#endif

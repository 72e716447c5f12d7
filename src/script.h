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
 * server "busy": commands get -BUSY except the few Redis allows (SCRIPT
 * KILL, SHUTDOWN NOSAVE, AUTH, HELLO, MULTI...). The script's own thread
 * keeps serving its other connections from the Lua hook (net_busy_poll);
 * other threads stop waiting for the locks and answer BUSY. */
#ifndef RESPITE_SCRIPT_H
#define RESPITE_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

struct client;
struct command;
struct arg;

#define SCRIPT_ERR_BUSY                                                                            \
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
#define SCRIPT_ERR_NOSCRIPT "NOSCRIPT No matching script. Please use EVAL."

/* Shebang flags (#!lua flags=...), Redis's names. A script without a
 * shebang runs in compatibility mode: no flags, Redis's pre-7 rules. */
#define SCRIPT_FLAG_NO_WRITES   0x01u /* no-writes */
#define SCRIPT_FLAG_ALLOW_OOM   0x02u /* allow-oom */
#define SCRIPT_FLAG_ALLOW_STALE 0x04u /* allow-stale */
#define SCRIPT_FLAG_NO_CLUSTER  0x08u /* no-cluster */
#define SCRIPT_FLAG_CROSS_SLOT  0x10u /* allow-cross-slot-keys */
#define SCRIPT_FLAG_COMPAT      0x80u /* no shebang */

/* Creates the interpreter (startup) and frees everything (shutdown). */
void script_setup(void);
void script_teardown(void);

/* Nonzero while a script has run past busy-reply-threshold. Read by the
 * dispatcher for every command: one relaxed load. */
extern int script__busy;
static inline int script_busy(void)
{
    return __atomic_load_n(&script__busy, __ATOMIC_RELAXED);
}

/* The dispatcher's view of an EVAL-family request: the command's flags
 * adjusted by the script's shebang (a script without no-writes is a write,
 * and denyoom without allow-oom), as Redis does before running it. */
uint32_t script_command_flags(struct client *c, const struct command *cmd);
/* The dispatcher found memory over maxmemory (after evicting) before this
 * command: a script started now may not make its first write with a
 * denyoom command. Per thread, set before every EVAL-family command. */
void script_note_oom(int oom);

/* EVAL / EVALSHA (and _RO): runs the script in body (EVAL) or the cached
 * one named by sha (EVALSHA) with c's arguments from argv[2] on; replies
 * to c. Caller holds the script lock (CMD_LOCK_SCRIPT). */
void script_eval(struct client *c, int by_sha, int readonly);
/* SCRIPT LOAD / EXISTS / FLUSH. */
void script_load_command(struct client *c);
void script_exists_command(struct client *c);
/* async: the old interpreter is freed by the cron, not by this command. */
void script_flush(int async);
/* SCRIPT KILL from any thread: 0 (killed), or -1 with Redis's error in
 * *err (nothing running, or it already wrote). */
int script_kill(const char **err);
/* SHUTDOWN NOSAVE: stops the running script even if it wrote. */
void script_abort_for_shutdown(void);
/* Cron: frees an interpreter left by SCRIPT FLUSH ASYNC. */
void script_cron(void);

/* For script_lua.c: runs one redis.call from the running script. On
 * success returns 0 and points *reply at the RESP bytes the command
 * replied (valid until the next call); on refusal returns -1 with the error
 * text in *err ("-CODE msg" or a message that gets "ERR"); returns 1 when
 * the script was killed meanwhile (the caller raises the kill error). */
int script_call(const struct arg *argv, size_t argc, const char **reply, size_t *reply_len,
                const char **err);
/* For script_lua.c's hook, every so many Lua instructions: notices the
 * script going past busy-reply-threshold, serves this thread's clients
 * while it is busy, and returns nonzero when the script must stop. */
int script_interrupt(void);
/* The running script's RESP version for redis.call replies (setresp). */
void script_set_resp(int resp);
int script_get_resp(void);
/* Whether cmd (from redis.acl_check_cmd) names a command. */
int script_command_exists(const struct arg *argv, size_t argc);

/* INFO: memory and counts. */
struct script_info {
    size_t lua_bytes;      /* the interpreter's heap */
    size_t cache_bytes;    /* bodies and bookkeeping of cached scripts */
    size_t cached_scripts; /* number_of_cached_scripts */
    uint64_t evicted;      /* evicted_scripts: EVAL scripts dropped from the cache */
};
void script_info(struct script_info *out);

#endif

/* cmd_script.c - EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT, FCALL,
 * FCALL_RO and FUNCTION: argument handling; the work is in script.c and
 * function.c. */
#include "base/config.h"
#include "client/client.h"
#include "client/reply.h"
#include "commands/arg.h"
#include "commands/commands.h"
#include "services/function.h"
#include "services/monitor.h"
#include "services/script.h"

/* Monitors see the script's command before its own (skip_monitor: fed
 * here, not after it ran, as Redis does). */
static void script__eval(struct client *c, int sha, int ro)
{
    monitor_feed(c, c->dbid, c->argv, c->argc, 0);
    script_eval(c, sha, ro);
}

void cmd_eval(struct client *c)
{
    script__eval(c, 0, 0);
}

void cmd_evalsha(struct client *c)
{
    script__eval(c, 1, 0);
}

void cmd_eval_ro(struct client *c)
{
    script__eval(c, 0, 1);
}

void cmd_evalsha_ro(struct client *c)
{
    script__eval(c, 1, 1);
}

void cmd_script_load(struct client *c)
{
    char sha[41];
    if (script_load(c, c->argv[2].ptr, c->argv[2].len, sha) == 0) reply_bulk(c, sha, 40);
}

void cmd_script_exists(struct client *c)
{
    reply_array(c, c->argc - 2);
    for (size_t j = 2; j < c->argc; j++) reply_long(c, script_exists(&c->argv[j]));
}

/* SCRIPT FLUSH [ASYNC|SYNC]: without a mode, lazyfree-lazy-user-flush
 * decides, as in Redis. */
void cmd_script_flush(struct client *c)
{
    int async = CFG(lazyfree_lazy_user_flush);
    if (c->argc == 3 && arg_is(&c->argv[2], "async")) {
        async = 1;
    } else if (c->argc == 3 && arg_is(&c->argv[2], "sync")) {
        async = 0;
    } else if (c->argc >= 3) {
        reply_error(c, REPLY_ERR_SCRIPT_FLUSH);
        return;
    }
    script_flush(async);
    reply_ok(c);
}

void cmd_script_kill(struct client *c)
{
    const char *err;
    if (script_kill(0, &err) != 0) {
        reply_error(c, err);
        return;
    }
    reply_ok(c);
}

void cmd_script_help(struct client *c)
{
    static const char *const lines[] = {
        "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
        "HELP",
        "    Prints this help.",
        NULL,
    };
    reply_help(c, lines);
}

/* ---- functions ---- */

void cmd_fcall(struct client *c)
{
    monitor_feed(c, c->dbid, c->argv, c->argc, 0);
    function_fcall(c, 0);
}

void cmd_fcall_ro(struct client *c)
{
    monitor_feed(c, c->dbid, c->argv, c->argc, 0);
    function_fcall(c, 1);
}

void cmd_function_load(struct client *c)
{
    function_load(c);
}

void cmd_function_list(struct client *c)
{
    function_list(c);
}

void cmd_function_delete(struct client *c)
{
    function_delete(c);
}

void cmd_function_flush(struct client *c)
{
    function_flush(c);
}

void cmd_function_stats(struct client *c)
{
    function_stats(c);
}

void cmd_function_dump(struct client *c)
{
    function_dump(c);
}

void cmd_function_restore(struct client *c)
{
    function_restore(c);
}

void cmd_function_kill(struct client *c)
{
    const char *err;
    if (script_kill(1, &err) != 0) {
        reply_error(c, err);
        return;
    }
    reply_ok(c);
}

void cmd_function_help(struct client *c)
{
    static const char *const lines[] = {
        "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME "
        "argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Return a serialized payload representing the current libraries, can be restored using "
        "FUNCTION RESTORE command",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Restore the libraries represented by the given payload, it is possible to give a "
        "restore policy to",
        "    control how to handle existing libraries (default APPEND):",
        "    * FLUSH: delete all existing libraries.",
        "    * APPEND: appends the restored libraries to the existing libraries. On collision, "
        "abort.",
        "    * REPLACE: appends the restored libraries to the existing libraries, On collision, "
        "replace the old",
        "      libraries with the new libraries (notice that even on this option there is a chance "
        "of failure",
        "      in case of functions name collision with another library).",
        "HELP",
        "    Print this help.",
        NULL,
    };
    reply_help(c, lines);
}

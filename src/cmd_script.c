/* cmd_script.c - EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT: argument
 * handling; the work is in script.c. */
#include <stdio.h>

#include "client.h"
#include "cmd.h"
#include "reply.h"
#include "script.h"

void cmd_eval(struct client *c)
{
    script_eval(c, 0, 0);
}

void cmd_evalsha(struct client *c)
{
    script_eval(c, 1, 0);
}

void cmd_eval_ro(struct client *c)
{
    script_eval(c, 0, 1);
}

void cmd_evalsha_ro(struct client *c)
{
    script_eval(c, 1, 1);
}

void cmd_script_load(struct client *c)
{
    script_load_command(c);
}

void cmd_script_exists(struct client *c)
{
    script_exists_command(c);
}

/* SCRIPT FLUSH [ASYNC|SYNC]: without a mode, synchronous (Redis decides
 * by lazyfree-lazy-user-flush, whose default is no). */
void cmd_script_flush(struct client *c)
{
    int async = 0;
    if (c->argc == 3 && arg_is(&c->argv[2], "async")) {
        async = 1;
    } else if (c->argc > 3 || (c->argc == 3 && !arg_is(&c->argv[2], "sync"))) {
        reply_error(c, "ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        return;
    }
    script_flush(async);
    reply_ok(c);
}

void cmd_script_kill(struct client *c)
{
    const char *err;
    if (script_kill(&err) != 0) {
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
    };
    size_t n = sizeof(lines) / sizeof(lines[0]);
    reply_array(c, n);
    for (size_t i = 0; i < n; i++) reply_status(c, lines[i]);
}

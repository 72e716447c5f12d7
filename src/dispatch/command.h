/* command.h - the command type: a command's name, handler, arity, flags
 * and key positions, as the command table (commands/commands.c) lists
 * them; lookup by name over the table registered at startup; and
 * iteration for COMMAND and INFO commandstats. */
#ifndef RESPITE_COMMAND_H
#define RESPITE_COMMAND_H

#include <stddef.h>
#include <stdint.h>

struct client;
struct arg;
typedef void command_fn(struct client *c);

/* Flags, with the names COMMAND INFO prints. */
#define CMD_WRITE         (1u << 0)  /* write */
#define CMD_READONLY      (1u << 1)  /* readonly */
#define CMD_DENYOOM       (1u << 2)  /* denyoom: refused when over maxmemory */
#define CMD_ADMIN         (1u << 3)  /* admin */
#define CMD_FAST          (1u << 4)  /* fast: O(1) or O(log N) */
#define CMD_NOSCRIPT      (1u << 5)  /* noscript */
#define CMD_LOADING       (1u << 6)  /* loading */
#define CMD_STALE         (1u << 7)  /* stale */
#define CMD_NO_AUTH       (1u << 8)  /* no_auth */
#define CMD_SENTINEL      (1u << 9)  /* sentinel */
#define CMD_NO_MULTI      (1u << 10) /* no_multi: refused inside MULTI */
#define CMD_MAY_REPLICATE (1u << 11) /* may_replicate */
#define CMD_ALLOW_BUSY    (1u << 12) /* allow_busy */
#define CMD_PUBSUB        (1u << 13) /* pubsub */
#define CMD_SKIP_MONITOR  (1u << 14) /* skip_monitor */
#define CMD_NO_MANDATORY  (1u << 15) /* no_mandatory_keys */
#define CMD_MOVABLE_KEYS  (1u << 16) /* movablekeys: keys found by a count (EVAL) */
#define CMD_SKIP_SLOWLOG  (1u << 17) /* skip_slowlog (shown only: no slowlog yet) */
#define CMD_BLOCKING      (1u << 18) /* blocking: may wait for keys (BLPOP...) */
/* What the call path needs to know (not shown by COMMAND).
 * Locking scope with several event-loop threads: a command locks the
 * shards of its keys; these lock more. */
#define CMD_LOCK_DB  (1u << 20) /* every shard of the client's database */
#define CMD_LOCK_ALL (1u << 21) /* every shard of every database */
/* The call path evicts before the command (when maxmemory is set) and
 * records whether memory stayed over the limit (call_oom): a script may
 * not start writing then (EVAL family, EXEC). */
#define CMD_NOTE_OOM (1u << 22)
/* The flags of the request depend on the script it runs (shebang). */
#define CMD_SCRIPT_FLAGS (1u << 23)
/* Takes the script lock (before the keys', if any): scripts and the script
 * cache. */
#define CMD_LOCK_SCRIPT (1u << 24)
/* Runs at once inside MULTI instead of being queued (EXEC, DISCARD,
 * MULTI, WATCH, QUIT, RESET). */
#define CMD_MULTI_NOW (1u << 25)
/* EXEC: refused at dispatch inside MULTI, it ends the transaction with
 * EXECABORT (Redis's rule). */
#define CMD_EXEC (1u << 26)
/* Allowed to a RESP2 client in subscribed mode ((P|S)SUBSCRIBE,
 * (P|S)UNSUBSCRIBE, PING, QUIT, RESET). */
#define CMD_SUBSCRIBED (1u << 27)
/* Changes the client's database (SELECT): a transaction running it locks
 * every database. */
#define CMD_SWITCHES_DB (1u << 28)

/* Key spec flags (COMMAND INFO), Redis 7.4's for each command: how the
 * command uses its keys. Shown only; nothing checks them. A command with
 * KS2(first, rest) has two specs: its first key, then the keys after it
 * (SMOVE, RENAME, COPY, the *STORE commands, BITOP). */
#define KS_RO             (1u << 0)
#define KS_RW             (1u << 1)
#define KS_OW             (1u << 2)
#define KS_RM             (1u << 3)
#define KS_ACCESS         (1u << 4)
#define KS_UPDATE         (1u << 5)
#define KS_INSERT         (1u << 6)
#define KS_DELETE         (1u << 7)
#define KS_NOT_KEY        (1u << 8)
#define KS_INCOMPLETE     (1u << 9)
#define KS_VARIABLE_FLAGS (1u << 10)
#define KS2(first, rest)  ((uint32_t)(first) | ((uint32_t)(rest) << 16))

/* A key spec COMMAND INFO shows as "unknown": keys found by no position,
 * named inside values or after a keyword anywhere (SORT's BY/GET patterns
 * and its STORE key). */
struct key_spec_unknown {
    uint32_t flags; /* KS_* */
    const char *notes;
};

struct command {
    const char *name; /* lower case */
    command_fn *fn;   /* NULL for a container (CLIENT, CONFIG, COMMAND) */
    int arity;        /* argc including the name; -N means at least N */
    uint32_t flags;
    int first_key, last_key, key_step; /* last -1: to the end */
    int keynum;                        /* > 0: argv[keynum] counts the keys that follow it (EVAL) */
    uint32_t key_specs;                /* KS_* of the key spec(s) COMMAND INFO shows */
    const char *group;                 /* string, generic, connection, server */
    const char *since;
    const char *summary;
    const char *complexity;
    struct command *subcommands; /* ends with a NULL name */
    /* COMMAND INFO's tips, space-separated (Redis 7.4's: routing hints for
     * cluster clients and "nondeterministic_output"); NULL: none. Set by
     * command_set_tips. Shown only. */
    const char *tips;
    /* COMMAND INFO's notes on the first key spec, and the unknown specs
     * after the positional ones (ending with flags 0); NULL: none. Set by
     * command_set_key_notes. Shown only. */
    const char *key_notes;
    const struct key_spec_unknown *unknown_specs;
    /* Filled at registration. */
    char fullname[48]; /* "client|kill" */
    struct command *parent;
    size_t index;    /* into each thread's struct cmd_counters array */
    size_t name_len; /* strlen(name), for the lookup */
};

/* Makes table (n commands, each with its subcommands) the one every
 * lookup searches; fills the fields after complexity. Startup only. */
void command_register(struct command *table, size_t n);
/* A command (not a subcommand) by name, case-insensitively, or NULL. */
struct command *command_lookup(const char *name, size_t len);
/* A subcommand of parent by name, case-insensitively, or NULL. */
struct command *command_lookup_sub(struct command *parent, const char *name, size_t len);
/* A command or subcommand by its full name, "get" or "client|list". */
struct command *command_lookup_full(const char *name, size_t len);
/* Gives the command fullname (which must exist) its COMMAND INFO tips. */
void command_set_tips(const char *fullname, const char *tips);
/* Gives the command fullname (which must exist) its key spec notes and
 * unknown key specs (either may be NULL). */
void command_set_key_notes(const char *fullname, const char *notes,
                           const struct key_spec_unknown *unknown);
/* The command or subcommand argv names, or NULL. */
const struct command *command_find(const struct arg *argv, size_t argc);
/* argc fits cmd's arity (negative: at least). Inline: the call path asks
 * for every request. */
static inline int command_arity_ok(const struct command *cmd, size_t argc)
{
    return cmd->arity > 0 ? argc == (size_t)cmd->arity : argc >= (size_t)-cmd->arity;
}
/* Visits every command and, with with_subcommands, every subcommand. */
typedef void command_visit_fn(struct command *cmd, void *arg);
void command_each(command_visit_fn *fn, int with_subcommands, void *arg);
/* Commands plus subcommands: the size of the per-thread counter arrays. */
size_t command_total(void);

#endif

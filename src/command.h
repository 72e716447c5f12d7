/* command.h - the command table and the dispatcher that runs a parsed
 * request: lookup, arity check, then the handler, with per-command stats. */
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
#define CMD_NO_MULTI      (1u << 10) /* no_multi */
#define CMD_MAY_REPLICATE (1u << 11) /* may_replicate */
#define CMD_ALLOW_BUSY    (1u << 12) /* allow_busy */
#define CMD_PUBSUB        (1u << 13) /* pubsub */
#define CMD_SKIP_MONITOR  (1u << 14) /* skip_monitor */
#define CMD_NO_MANDATORY  (1u << 15) /* no_mandatory_keys */
#define CMD_MOVABLE_KEYS  (1u << 16) /* movablekeys: keys found by a count (EVAL) */
/* Locking scope with several event-loop threads (not shown by COMMAND):
 * a command locks the shards of its keys; these lock more. */
#define CMD_LOCK_DB  (1u << 20) /* every shard of the client's database */
#define CMD_LOCK_ALL (1u << 21) /* every shard of every database */
/* The dispatcher evicts before the command (when maxmemory is set) and
 * tells the scripting layer whether memory stayed over the limit: a
 * script may not start writing then (EVAL family, EXEC). */
#define CMD_NOTE_OOM (1u << 22)
/* The flags of the request depend on the script it runs (shebang). */
#define CMD_SCRIPT_FLAGS (1u << 23)
/* Takes the script lock (before the keys', if any): scripts and the script
 * cache. With CMD_MOVABLE_KEYS the keys are EVAL's: a count at argv[2]. */
#define CMD_LOCK_SCRIPT (1u << 24)

struct command {
    const char *name; /* lower case */
    command_fn *fn;   /* NULL for a container (CLIENT, CONFIG, COMMAND) */
    int arity;        /* argc including the name; -N means at least N */
    uint32_t flags;
    int first_key, last_key, key_step; /* last -1: to the end */
    const char *group;                 /* string, generic, connection, server */
    const char *since;
    const char *summary;
    const char *complexity;
    struct command *subcommands; /* ends with a NULL name */
    /* Filled at run time. */
    char fullname[48]; /* "client|kill" */
    struct command *parent;
    size_t index;    /* into each thread's struct cmd_counters array */
    size_t name_len; /* strlen(name), for the lookup */
};

void command_setup(void);
/* Starts a batch of requests read together: sets the clock they see. */
void command_batch_begin(long long now_ms);
/* Runs a command queued by MULTI, inside EXEC (locks already held). */
void command_run_queued(struct client *c, const struct command *cmd);
/* Runs cmd for a script's client c on behalf of caller (the client that
 * sent EVAL; the script holds the locks): counts it in commandstats, and
 * tracks the keys it reads for caller when caller uses CLIENT TRACKING. */
void command_run_for_script(struct client *c, const struct command *cmd, struct client *caller);
/* Adds the locks cmd needs for argv in database db to ls: its keys'
 * shards, its whole database or everything, by its flags. */
struct db;
struct db_lockset;
void command_lock_keys(struct db_lockset *ls, struct db *db, const struct command *cmd,
                       const struct arg *argv, size_t argc);
/* The command or subcommand argv names, or NULL. */
const struct command *command_find(const struct arg *argv, size_t argc);
/* argc fits cmd's arity (negative: at least). */
int command_arity_ok(const struct command *cmd, size_t argc);
/* Runs the request in c->argv; replies to c. */
void command_execute(struct client *c);
/* Finds a command (not a subcommand) by name, case-insensitively. */
struct command *command_lookup(const char *name, size_t len);
/* Visits every command and subcommand (for COMMAND, INFO commandstats). */
typedef void command_visit_fn(struct command *cmd, void *arg);
void command_each(command_visit_fn *fn, int with_subcommands, void *arg);
/* Commands plus subcommands: the size of the per-thread counter arrays. */
size_t command_total(void);
/* COMMAND and its subcommands (in cmd_server.c). */
void command_reply_info(struct client *c, struct command *cmd);
void command_reply_docs(struct client *c, struct command *cmd);

#endif

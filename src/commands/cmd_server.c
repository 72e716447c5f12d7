/* cmd_server.c - server commands: COMMAND, CONFIG, TIME, SHUTDOWN, MEMORY.
 * (INFO is cmd_info.c.) */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/config.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/process.h"
#include "base/prefixstat.h"
#include "base/stats.h"
#include "base/util.h"
#include "base/worker.h"
#include "client/client.h"
#include "client/reply.h"
#include "commands/arg.h"
#include "commands/commands.h"
#include "dispatch/call.h"
#include "dispatch/command.h"
#include "services/monitor.h"
#include "services/script.h"
#include "storage/db.h"
#include "storage/value.h"

static const struct {
    uint32_t flag;
    const char *name;
} cmd__flag_names[] = {
    /* In the order Redis prints them. */
    {CMD_WRITE, "write"},
    {CMD_READONLY, "readonly"},
    {CMD_DENYOOM, "denyoom"},
    {CMD_ADMIN, "admin"},
    {CMD_PUBSUB, "pubsub"},
    {CMD_NOSCRIPT, "noscript"},
    {CMD_BLOCKING, "blocking"},
    {CMD_LOADING, "loading"},
    {CMD_STALE, "stale"},
    {CMD_SKIP_MONITOR, "skip_monitor"},
    {CMD_SKIP_SLOWLOG, "skip_slowlog"},
    {CMD_FAST, "fast"},
    {CMD_NO_AUTH, "no_auth"},
    {CMD_NO_MANDATORY, "no_mandatory_keys"},
    {CMD_NO_MULTI, "no_multi"},
    {CMD_MOVABLE_KEYS, "movablekeys"},
    {CMD_ALLOW_BUSY, "allow_busy"},
};
#define FLAG_NAMES (sizeof(cmd__flag_names) / sizeof(cmd__flag_names[0]))

/* ACL categories derived from flags and group, as Redis assigns them,
 * in Redis's category order. */
static size_t cmd__categories(const struct command *cmd, const char **out)
{
    size_t n = 0;
    /* A container (CLIENT, OBJECT, SCRIPT, PUBSUB...) is only @slow; its
     * subcommands have their own. */
    if (cmd->subcommands) {
        out[n++] = "@slow";
        if (!strcmp(cmd->name, "command")) out[n++] = "@connection";
        return n;
    }
    /* Categories Redis's command table names outright (its
     * acl_categories) where flags and group do not give them. */
    static const struct {
        const char *name;
        int keyspace, dangerous, containers;
    } named[] = {{"dbsize", 1, 0, 0}, {"flushall", 1, 1, 0}, {"flushdb", 1, 1, 0},
                 {"swapdb", 1, 1, 0}, {"keys", 0, 1, 0},     {"info", 0, 1, 0},
                 {"sort", -1, 1, 1},  {"sort_ro", -1, 1, 1}};
    int keyspace = !strcmp(cmd->group, "generic"), dangerous = (cmd->flags & CMD_ADMIN) != 0;
    int containers = 0; /* SORT: @set @sortedset @list, not @keyspace */
    if (!cmd->parent)
        for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
            if (!strcmp(cmd->name, named[i].name)) {
                keyspace = named[i].keyspace < 0 ? 0 : keyspace | named[i].keyspace;
                dangerous |= named[i].dangerous;
                containers = named[i].containers;
            }
    /* Scripting commands are not @read (EVAL_RO runs a script: Redis's
     * rule), though the writing ones (FUNCTION LOAD) are @write. */
    int scripting = !strcmp(cmd->group, "scripting");
    if (keyspace) out[n++] = "@keyspace";
    if ((cmd->flags & CMD_READONLY) && !scripting) out[n++] = "@read";
    if (cmd->flags & CMD_WRITE) out[n++] = "@write";
    if (!strcmp(cmd->group, "set") || containers) out[n++] = "@set";
    if (!strcmp(cmd->group, "sorted-set") || containers) out[n++] = "@sortedset";
    if (!strcmp(cmd->group, "list") || containers) out[n++] = "@list";
    if (!strcmp(cmd->group, "hash")) out[n++] = "@hash";
    if (!strcmp(cmd->group, "string")) out[n++] = "@string";
    if (!strcmp(cmd->group, "bitmap")) out[n++] = "@bitmap";
    if (cmd->flags & CMD_PUBSUB) out[n++] = "@pubsub";
    if (cmd->flags & CMD_ADMIN) out[n++] = "@admin";
    out[n++] = (cmd->flags & CMD_FAST) ? "@fast" : "@slow";
    if (cmd->flags & CMD_BLOCKING) out[n++] = "@blocking";
    if (dangerous) out[n++] = "@dangerous";
    /* COMMAND and its subcommands are @connection in Redis, though of the
     * server group. */
    const struct command *top = cmd->parent ? cmd->parent : cmd;
    if (!strcmp(cmd->group, "connection") || !strcmp(top->name, "command"))
        out[n++] = "@connection";
    if (!strcmp(cmd->group, "transactions")) out[n++] = "@transaction";
    if (scripting) out[n++] = "@scripting";
    return n;
}

/* A key spec's flags, in Redis's order. */
static void cmd__reply_flag_names(struct client *c, uint32_t flags, int named)
{
    static const struct {
        uint32_t flag;
        const char *name;
    } names[] = {{KS_RO, "RO"},
                 {KS_RW, "RW"},
                 {KS_OW, "OW"},
                 {KS_RM, "RM"},
                 {KS_ACCESS, "access"},
                 {KS_UPDATE, "update"},
                 {KS_INSERT, "insert"},
                 {KS_DELETE, "delete"},
                 {KS_NOT_KEY, "not_key"},
                 {KS_INCOMPLETE, "incomplete"},
                 {KS_VARIABLE_FLAGS, "variable_flags"}};
    size_t n = 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) n += (flags & names[i].flag) != 0;
    if (named) reply_bulk_cstr(c, "flags");
    reply_set(c, n);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (flags & names[i].flag) reply_status(c, names[i].name);
}

/* A key's flags as a set of names (GETKEYSANDFLAGS). */
static void cmd__reply_flag_set(struct client *c, uint32_t flags)
{
    cmd__reply_flag_names(c, flags, 0);
}

/* A key spec's flags field: "flags" and the set of names. */
static void cmd__reply_key_flags(struct client *c, uint32_t flags)
{
    cmd__reply_flag_names(c, flags, 1);
}

/* A key spec's head: its notes (if any), flags and begin_search (keys
 * start at argument index, or "unknown" when index is 0), then the head of
 * its find_keys of the given type; the caller replies find_keys' spec. */
static void cmd__reply_spec_head(struct client *c, const char *notes, uint32_t flags, int index,
                                 const char *find_type)
{
    reply_map(c, 3 + (notes != NULL));
    if (notes) {
        reply_bulk_cstr(c, "notes");
        reply_bulk_cstr(c, notes);
    }
    cmd__reply_key_flags(c, flags);
    reply_bulk_cstr(c, "begin_search");
    reply_map(c, 2);
    reply_bulk_cstr(c, "type");
    reply_bulk_cstr(c, index ? "index" : "unknown");
    reply_bulk_cstr(c, "spec");
    reply_map(c, index ? 1 : 0);
    if (index) {
        reply_bulk_cstr(c, "index");
        reply_long(c, index);
    }
    reply_bulk_cstr(c, "find_keys");
    reply_map(c, 2);
    reply_bulk_cstr(c, "type");
    reply_bulk_cstr(c, find_type);
}

/* A range key spec: keys from argument index to lastkey (relative to it;
 * -1: the last argument) every step. */
static void cmd__reply_range_spec(struct client *c, const char *notes, uint32_t flags, int index,
                                  int lastkey, int step)
{
    cmd__reply_spec_head(c, notes, flags, index, "range");
    reply_bulk_cstr(c, "spec");
    reply_map(c, 3);
    reply_bulk_cstr(c, "lastkey");
    reply_long(c, lastkey);
    reply_bulk_cstr(c, "keystep");
    reply_long(c, step);
    reply_bulk_cstr(c, "limit");
    reply_long(c, 0);
}

/* The keys after a count at argv[keynum]. */
static void cmd__reply_keynum_spec(struct client *c, const char *notes, uint32_t flags, int keynum)
{
    cmd__reply_spec_head(c, notes, flags, keynum, "keynum");
    reply_bulk_cstr(c, "spec");
    reply_map(c, 3);
    reply_bulk_cstr(c, "keynumidx");
    reply_long(c, 0);
    reply_bulk_cstr(c, "firstkey");
    reply_long(c, 1);
    reply_bulk_cstr(c, "keystep");
    reply_long(c, 1);
}

/* A key spec with no positions. */
static void cmd__reply_unknown_spec(struct client *c, const struct key_spec_unknown *u)
{
    cmd__reply_spec_head(c, u->notes, u->flags, 0, "unknown");
    reply_bulk_cstr(c, "spec");
    reply_map(c, 0);
}

static void cmd__reply_info(struct client *c, struct command *cmd)
{
    reply_array(c, 10);
    reply_bulk_cstr(c, cmd->fullname);
    reply_long(c, cmd->arity);
    size_t nflags = 0;
    for (size_t i = 0; i < FLAG_NAMES; i++)
        if (cmd->flags & cmd__flag_names[i].flag) nflags++;
    reply_set(c, nflags);
    for (size_t i = 0; i < FLAG_NAMES; i++)
        if (cmd->flags & cmd__flag_names[i].flag) reply_status(c, cmd__flag_names[i].name);
    reply_long(c, cmd->first_key);
    reply_long(c, cmd->last_key);
    reply_long(c, cmd->key_step);
    const char *cats[8];
    size_t ncats = cmd__categories(cmd, cats);
    reply_set(c, ncats);
    for (size_t i = 0; i < ncats; i++) reply_status(c, cats[i]);
    /* Tips: space-separated words in the table, a set of bulk strings here. */
    size_t ntips = 0;
    for (const char *t = cmd->tips; t && *t; ntips++) {
        t += strcspn(t, " ");
        t += strspn(t, " ");
    }
    reply_set(c, ntips);
    for (const char *t = cmd->tips; t && *t;) {
        size_t len = strcspn(t, " ");
        reply_bulk(c, t, len);
        t += len;
        t += strspn(t, " ");
    }
    /* Key specs: the range first..last (or, with KS2, the first key and
     * then the rest), or the keys after a count (EVAL), then the unknown
     * ones (SORT). */
    uint32_t first = cmd->key_specs & 0xFFFF, rest = cmd->key_specs >> 16;
    size_t nunknown = 0;
    for (const struct key_spec_unknown *u = cmd->unknown_specs; u && u->flags; u++) nunknown++;
    const char *notes = cmd->key_notes;
    if (cmd->first_key > 0 && cmd->keynum > 0) {
        /* A destination, then a count and the keys after it. */
        reply_set(c, 2 + nunknown);
        cmd__reply_range_spec(c, notes, first, cmd->first_key, 0, 1);
        cmd__reply_keynum_spec(c, NULL, rest, cmd->keynum);
    } else if (cmd->first_key > 0 && rest) {
        reply_set(c, 2 + nunknown);
        cmd__reply_range_spec(c, notes, first, cmd->first_key, 0, 1);
        cmd__reply_range_spec(
            c, NULL, rest, cmd->first_key + 1,
            cmd->last_key < 0 ? cmd->last_key : cmd->last_key - cmd->first_key - 1, cmd->key_step);
    } else if (cmd->first_key > 0) {
        reply_set(c, 1 + nunknown);
        cmd__reply_range_spec(c, notes, first, cmd->first_key,
                              cmd->last_key < 0 ? cmd->last_key : cmd->last_key - cmd->first_key,
                              cmd->key_step);
    } else if (cmd->keynum > 0) {
        /* A key count at argv[keynum], the keys after it (EVAL, SINTERCARD). */
        reply_set(c, 1 + nunknown);
        cmd__reply_keynum_spec(c, notes, first, cmd->keynum);
    } else {
        reply_set(c, nunknown);
    }
    for (size_t i = 0; i < nunknown; i++) cmd__reply_unknown_spec(c, &cmd->unknown_specs[i]);
    /* No subcommands: an empty set, as Redis replies (an array otherwise). */
    size_t nsub = 0;
    for (struct command *s = cmd->subcommands; s && s->name; s++) nsub++;
    if (nsub)
        reply_array(c, nsub);
    else
        reply_set(c, 0);
    for (struct command *s = cmd->subcommands; s && s->name; s++) cmd__reply_info(c, s);
}

static void cmd__reply_docs(struct client *c, struct command *cmd)
{
    size_t nsub = 0;
    for (struct command *s = cmd->subcommands; s && s->name; s++) nsub++;
    /* A command without a complexity (MONITOR) has no such field. */
    int cx = cmd->complexity[0] != '\0';
    reply_map(c, 3 + (size_t)cx + (nsub ? 1 : 0));
    reply_bulk_cstr(c, "summary");
    reply_bulk_cstr(c, cmd->summary);
    reply_bulk_cstr(c, "since");
    reply_bulk_cstr(c, cmd->since);
    reply_bulk_cstr(c, "group");
    reply_bulk_cstr(c, cmd->group);
    if (cx) {
        reply_bulk_cstr(c, "complexity");
        reply_bulk_cstr(c, cmd->complexity);
    }
    if (nsub) {
        reply_bulk_cstr(c, "subcommands");
        reply_map(c, nsub);
        for (struct command *s = cmd->subcommands; s && s->name; s++) {
            reply_bulk_cstr(c, s->fullname);
            cmd__reply_docs(c, s);
        }
    }
}

struct cmd__counter {
    size_t n;
};

static void cmd__count(struct command *cmd, void *arg)
{
    (void)cmd;
    ((struct cmd__counter *)arg)->n++;
}

static void cmd__info_each(struct command *cmd, void *arg)
{
    cmd__reply_info(arg, cmd);
}

void cmd_command(struct client *c)
{
    struct cmd__counter n = {0};
    command_each(cmd__count, 0, &n);
    reply_array(c, n.n);
    command_each(cmd__info_each, 0, c);
}

void cmd_command_count(struct client *c)
{
    struct cmd__counter n = {0};
    command_each(cmd__count, 0, &n);
    reply_long(c, (long long)n.n);
}

void cmd_command_info(struct client *c)
{
    if (c->argc == 2) {
        cmd_command(c);
        return;
    }
    reply_array(c, c->argc - 2);
    for (size_t j = 2; j < c->argc; j++) {
        struct command *cmd = command_lookup_full(c->argv[j].ptr, c->argv[j].len);
        if (cmd)
            cmd__reply_info(c, cmd);
        else
            reply_null_array(c);
    }
}

static void cmd__docs_each(struct command *cmd, void *arg)
{
    struct client *c = arg;
    reply_bulk_cstr(c, cmd->fullname);
    cmd__reply_docs(c, cmd);
}

void cmd_command_docs(struct client *c)
{
    if (c->argc == 2) {
        struct cmd__counter n = {0};
        command_each(cmd__count, 0, &n);
        reply_map(c, n.n);
        command_each(cmd__docs_each, 0, c);
        return;
    }
    size_t found = 0;
    for (size_t j = 2; j < c->argc; j++)
        if (command_lookup_full(c->argv[j].ptr, c->argv[j].len)) found++;
    reply_map(c, found);
    for (size_t j = 2; j < c->argc; j++) {
        struct command *cmd = command_lookup_full(c->argv[j].ptr, c->argv[j].len);
        if (cmd) cmd__docs_each(cmd, c);
    }
}

struct cmd__lister {
    struct client *c;
    const struct arg *pattern, *aclcat; /* FILTERBY PATTERN, ACLCAT */
    int module;                         /* FILTERBY MODULE: respite loads none */
    int emit;
    size_t n;
};

/* Whether cmd is in ACL category name (without its '@', any case). */
static int cmd__in_category(const struct command *cmd, const struct arg *name)
{
    const char *cats[8];
    size_t n = cmd__categories(cmd, cats);
    for (size_t i = 0; i < n; i++)
        if (strlen(cats[i] + 1) == name->len && strncasecmp(cats[i] + 1, name->ptr, name->len) == 0)
            return 1;
    return 0;
}

static void cmd__list_each(struct command *cmd, void *arg)
{
    struct cmd__lister *l = arg;
    if (l->module) return;
    if (l->pattern &&
        !util_glob_match(l->pattern->ptr, l->pattern->len, cmd->fullname, strlen(cmd->fullname), 1))
        return;
    if (l->aclcat && !cmd__in_category(cmd, l->aclcat)) return;
    l->n++;
    if (l->emit) reply_bulk_cstr(l->c, cmd->fullname);
}

/* ---- COMMAND GETKEYS ---- */

/* Adds the keys of one range spec (argv indexes first..last every step)
 * to pos/flags; 0 when the range does not fit the arguments (Redis's
 * invalid spec). */
static int cmd__range_keys(long first, long last, long step, size_t argc, uint32_t fl, size_t *pos,
                           uint32_t *flags, size_t *n)
{
    if (last >= (long)argc || last < first || first >= (long)argc) return 0;
    for (long i = first; i <= last; i += step) {
        pos[*n] = (size_t)i;
        flags[(*n)++] = fl;
    }
    return 1;
}

/* The argv positions of cmd's keys and each one's key spec flags, as
 * Redis's key specs (or, for SET and BITFIELD, whose flags depend on
 * their arguments, and SORT, whose STORE key may come anywhere, its
 * getkeys functions) find them; 0 keys when the
 * arguments do not fit the specs. pos and flags have room for argc. */
static size_t cmd__keys(const struct command *cmd, const struct arg *argv, size_t argc, size_t *pos,
                        uint32_t *flags)
{
    uint32_t first = cmd->key_specs & 0xFFFF, rest = cmd->key_specs >> 16;
    size_t n = 0;
    if (first & KS_VARIABLE_FLAGS) {
        pos[0] = 1;
        if (strcmp(cmd->name, "set") == 0) {
            flags[0] = KS_OW | KS_UPDATE;
            for (size_t i = 3; i < argc; i++)
                if (arg_is(&argv[i], "get")) flags[0] = KS_RW | KS_ACCESS | KS_UPDATE;
        } else { /* bitfield: read-only unless a SET or INCRBY (or a syntax error) */
            flags[0] = KS_RO | KS_ACCESS;
            for (size_t i = 2; i < argc; i++) {
                size_t more = argc - i - 1;
                if (arg_is(&argv[i], "get") && more >= 2) {
                    i += 2;
                } else if (arg_is(&argv[i], "overflow") && more >= 1) {
                    i += 1;
                } else {
                    flags[0] = KS_RW | KS_ACCESS | KS_UPDATE;
                    break;
                }
            }
        }
        return 1;
    }
    if (strcmp(cmd->name, "sort") == 0) {
        /* The sorted key, and the key after the last STORE, found as
         * Redis's sortGetKeys finds it: LIMIT skips two arguments, BY and
         * GET one, and anything else none. */
        pos[0] = 1;
        flags[0] = KS_RO | KS_ACCESS;
        n = 1;
        for (size_t i = 2; i < argc; i++) {
            if (arg_is(&argv[i], "limit")) {
                i += 2;
            } else if (arg_is(&argv[i], "get") || arg_is(&argv[i], "by")) {
                i += 1;
            } else if (arg_is(&argv[i], "store") && i + 1 < argc) {
                pos[1] = i + 1;
                flags[1] = KS_OW | KS_UPDATE;
                n = 2;
            }
        }
        return n;
    }
    int ok = 1;
    if (cmd->first_key > 0 && cmd->keynum > 0) {
        /* ZUNIONSTORE: the destination, then the keys after the count. */
        long long num;
        size_t at = (size_t)cmd->keynum;
        ok = cmd__range_keys(cmd->first_key, cmd->first_key, 1, argc, first, pos, flags, &n) &&
             at < argc && util_str2ll(argv[at].ptr, argv[at].len, &num) && num >= 0 &&
             num <= (long long)argc &&
             cmd__range_keys((long)at + 1, (long)at + (long)num, 1, argc, rest, pos, flags, &n);
    } else if (cmd->first_key > 0 && rest) {
        long f = cmd->first_key;
        long last = cmd->last_key < 0 ? (long)argc + cmd->last_key : cmd->last_key;
        ok = cmd__range_keys(f, f, 1, argc, first, pos, flags, &n) &&
             cmd__range_keys(f + 1, last, cmd->key_step, argc, rest, pos, flags, &n);
    } else if (cmd->first_key > 0) {
        long last = cmd->last_key < 0 ? (long)argc + cmd->last_key : cmd->last_key;
        ok = cmd__range_keys(cmd->first_key, last, cmd->key_step, argc, first, pos, flags, &n);
    } else if (cmd->keynum > 0) {
        long long num;
        size_t at = (size_t)cmd->keynum;
        ok = at < argc && util_str2ll(argv[at].ptr, argv[at].len, &num) && num >= 0 &&
             num <= (long long)argc &&
             cmd__range_keys((long)at + 1, (long)at + (long)num, 1, argc, first, pos, flags, &n);
    }
    return ok ? n : 0;
}

/* COMMAND GETKEYS and GETKEYSANDFLAGS: the errors and replies of Redis's
 * getKeysSubcommandImpl. */
static void cmd__getkeys(struct client *c, int with_flags)
{
    const struct arg *argv = &c->argv[2];
    size_t argc = c->argc - 2;
    struct command *cmd = command_lookup(argv[0].ptr, argv[0].len);
    if (cmd && cmd->subcommands && argc > 1)
        cmd = command_lookup_sub(cmd, argv[1].ptr, argv[1].len);
    if (cmd == NULL) {
        reply_error(c, "ERR Invalid command specified");
        return;
    }
    if (cmd->first_key <= 0 && cmd->keynum <= 0 && !(cmd->key_specs & KS_VARIABLE_FLAGS)) {
        reply_error(c, "ERR The command has no key arguments");
        return;
    }
    if (!command_arity_ok(cmd, argc)) {
        reply_error(c, "ERR Invalid number of arguments specified for command");
        return;
    }
    size_t *pos = mem_alloc(argc * sizeof(*pos));
    uint32_t *flags = mem_alloc(argc * sizeof(*flags));
    size_t n = cmd__keys(cmd, argv, argc, pos, flags);
    if (n == 0 && !(cmd->flags & CMD_NO_MANDATORY)) {
        reply_error(c, "ERR Invalid arguments specified for command");
    } else {
        reply_array(c, n);
        for (size_t i = 0; i < n; i++) {
            if (with_flags) {
                reply_array(c, 2);
                reply_bulk(c, argv[pos[i]].ptr, argv[pos[i]].len);
                cmd__reply_flag_set(c, flags[i]);
            } else {
                reply_bulk(c, argv[pos[i]].ptr, argv[pos[i]].len);
            }
        }
    }
    mem_free(pos);
    mem_free(flags);
}

/* MONITOR: from now on c receives every command as a line (services/
 * monitor.c). Not inside a transaction (Redis: a client that expects one
 * reply per command); a second MONITOR replies nothing. */
void cmd_monitor(struct client *c)
{
    if (c->in_multi) {
        reply_error(c, "ERR MONITOR isn't allowed for DENY BLOCKING client");
        return;
    }
    if (monitor_add(c) == 0) reply_ok(c);
}

void cmd_command_getkeys(struct client *c)
{
    cmd__getkeys(c, 0);
}

void cmd_command_getkeysandflags(struct client *c)
{
    cmd__getkeys(c, 1);
}

void cmd_command_list(struct client *c)
{
    struct cmd__lister l = {c, NULL, NULL, 0, 0, 0};
    if (c->argc == 5 && arg_is(&c->argv[2], "filterby")) {
        if (arg_is(&c->argv[3], "pattern")) {
            l.pattern = &c->argv[4];
        } else if (arg_is(&c->argv[3], "aclcat")) {
            l.aclcat = &c->argv[4];
        } else if (arg_is(&c->argv[3], "module")) {
            l.module = 1;
        } else {
            reply_error(c, REPLY_ERR_SYNTAX);
            return;
        }
    } else if (c->argc != 2) {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    command_each(cmd__list_each, 1, &l);
    reply_array(c, l.n);
    l.emit = 1;
    command_each(cmd__list_each, 1, &l);
}

void cmd_command_help(struct client *c)
{
    static const char *const lines[] = {
        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "(no subcommand)",
        "    Return details about all commands.",
        "COUNT",
        "    Return the total number of commands in this server.",
        "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
        "    Return a list of all commands in this server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple commands.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple commands.",
        "GETKEYS <full-command>",
        "    Return the keys from a full command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full command.",
        "HELP",
        "    Print this help.",
        NULL,
    };
    reply_help(c, lines);
}

void cmd_config_get(struct client *c)
{
    size_t total = config_count(), n = 0;
    size_t *found = mem_alloc(total * sizeof(*found));
    for (size_t i = 0; i < total; i++) {
        const char *name = config_name(i);
        for (size_t j = 2; j < c->argc; j++) {
            if (util_glob_match(c->argv[j].ptr, c->argv[j].len, name, strlen(name), 1)) {
                found[n++] = i;
                break;
            }
        }
    }
    reply_map(c, n);
    for (size_t i = 0; i < n; i++) {
        char buf[1024];
        config_lock();
        config_format(found[i], buf, sizeof(buf));
        config_unlock();
        reply_bulk_cstr(c, config_name(found[i]));
        reply_bulk_cstr(c, buf);
    }
    mem_free(found);
}

struct config_call {
    const struct config_change *ch;
    size_t n;
    char err[1024];
    int rc;
};

static void config__set_on_main(void *arg)
{
    struct config_call *call = arg;
    call->rc = config_set(call->ch, call->n, call->err, sizeof(call->err));
}

void cmd_config_set(struct client *c)
{
    if (c->argc % 2 != 0) {
        reply_error_arity(c, c->cmd->fullname);
        return;
    }
    size_t n = (c->argc - 2) / 2;
    struct config_change *ch = mem_alloc(n * sizeof(*ch));
    for (size_t i = 0; i < n; i++) {
        ch[i].name = c->argv[2 + 2 * i].ptr;
        ch[i].name_len = c->argv[2 + 2 * i].len;
        ch[i].value = c->argv[3 + 2 * i].ptr;
        ch[i].value_len = c->argv[3 + 2 * i].len;
    }
    /* Applied on the main thread: it owns the listening sockets that a
     * new port or bind list reopens. */
    struct config_call call = {ch, n, {0}, -1};
    if (worker_call_main(config__set_on_main, &call) != 0)
        snprintf(call.err, sizeof(call.err), "ERR CONFIG SET failed: server is shutting down");
    char *err = call.err;
    if (call.rc == 0)
        reply_ok(c);
    else
        reply_error(c, err);
    mem_free(ch);
}

void cmd_config_resetstat(struct client *c)
{
    stats_reset();
    prefixstat_reset();
    db_lazyfree_reset_stats();
    reply_ok(c);
}

void cmd_config_help(struct client *c)
{
    static const char *const lines[] = {
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "HELP",
        "    Print this help.",
        NULL,
    };
    reply_help(c, lines);
}

void cmd_time(struct client *c)
{
    long long us = util_ustime();
    reply_array(c, 2);
    reply_bulk_long(c, us / 1000000);
    reply_bulk_long(c, us % 1000000);
}

/* SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE]. respite keeps nothing on disk, so
 * there is nothing to save; SAVE is refused rather than pretended. */
void cmd_shutdown(struct client *c)
{
    int nosave = 0;
    for (size_t j = 1; j < c->argc; j++) {
        const struct arg *a = &c->argv[j];
        if (arg_is(a, "nosave")) {
            nosave = 1;
            continue;
        }
        if (arg_is(a, "now") || arg_is(a, "force")) continue;
        if (arg_is(a, "save")) {
            log_msg(LL_WARNING, "SHUTDOWN SAVE refused: respite has no persistence");
            reply_error(c, REPLY_ERR_SHUTDOWN);
            return;
        }
        if (arg_is(a, "abort")) {
            reply_error(c, REPLY_ERR_NO_SHUTDOWN);
            return;
        }
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    /* While a script is busy only SHUTDOWN NOSAVE goes through (Redis's
     * rule), and it stops the script even if it wrote. */
    if (call_busy() && !nosave) {
        reply_error(c, REPLY_ERR_BUSY);
        return;
    }
    script_abort_for_shutdown();
    log_msg(LL_WARNING, "User requested shutdown...");
    process_request_shutdown();
}

/* MEMORY USAGE key [SAMPLES n]: the bytes the key costs: its entry's
 * allocation (jemalloc's size class), its bucket slot, and for a large
 * container its table, estimated from n of its elements (5 by default, 0:
 * all), as Redis does. */
void cmd_memory_usage(struct client *c)
{
    long long samples = 5; /* Redis's default */
    if (c->argc == 5 && arg_is(&c->argv[3], "samples")) {
        if (arg_ll_or_reply(c, &c->argv[4], &samples, NULL) != 0) return;
        if (samples < 0) {
            reply_error(c, REPLY_ERR_NOT_INT);
            return;
        }
    } else if (c->argc != 3) {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    struct entry *e = db_lookup(c->db, c->argv[2].ptr, c->argv[2].len, DB_LOOKUP_NOTOUCH, NULL);
    if (e == NULL) {
        reply_null(c);
        return;
    }
    reply_long(c, (long long)value_memory(e, (size_t)samples));
}

/* MEMORY STATS: Redis's field names; parts respite does not have
 * (replication, AOF, cluster, functions) are zero. */
void cmd_memory_stats(struct client *c)
{
    struct mem_stats st;
    size_t used = mem_used();
    mem_stats(&st);
    process_note_memory(used);
    size_t peak = process_memory_peak(), startup = process_startup_memory();
    size_t clients = client_memory(), tables = 0;
    uint64_t keys = 0;
    int dbs_used = 0;
    for (int i = 0; i < db_count(); i++) {
        struct db *db = db_get(i);
        tables += db_overhead(db);
        keys += db_size(db);
        if (db_size(db)) dbs_used++;
    }
    struct script_info si;
    script_info(&si);
    size_t overhead = startup + clients + tables + si.cache_bytes + si.lua_bytes;
    size_t dataset = used > overhead ? used - overhead : 0;
    size_t net_used = used > startup ? used - startup : 0;
    reply_map(c, 26 + (size_t)dbs_used);
    reply_bulk_cstr(c, "peak.allocated");
    reply_long(c, (long long)peak);
    reply_bulk_cstr(c, "total.allocated");
    reply_long(c, (long long)used);
    reply_bulk_cstr(c, "startup.allocated");
    reply_long(c, (long long)startup);
    reply_bulk_cstr(c, "replication.backlog");
    reply_long(c, 0);
    reply_bulk_cstr(c, "clients.slaves");
    reply_long(c, 0);
    reply_bulk_cstr(c, "clients.normal");
    reply_long(c, (long long)clients);
    reply_bulk_cstr(c, "cluster.links");
    reply_long(c, 0);
    reply_bulk_cstr(c, "aof.buffer");
    reply_long(c, 0);
    reply_bulk_cstr(c, "lua.caches");
    reply_long(c, (long long)si.cache_bytes);
    reply_bulk_cstr(c, "functions.caches");
    reply_long(c, 0);
    for (int i = 0; i < db_count(); i++) {
        struct db *db = db_get(i);
        if (db_size(db) == 0) continue;
        char name[32];
        snprintf(name, sizeof(name), "db.%d", i);
        reply_bulk_cstr(c, name);
        reply_map(c, 2);
        reply_bulk_cstr(c, "overhead.hashtable.main");
        reply_long(c, (long long)db_overhead(db));
        reply_bulk_cstr(c, "overhead.hashtable.expires");
        reply_long(c, 0);
    }
    reply_bulk_cstr(c, "overhead.total");
    reply_long(c, (long long)overhead);
    reply_bulk_cstr(c, "keys.count");
    reply_long(c, (long long)keys);
    reply_bulk_cstr(c, "keys.bytes-per-key");
    reply_long(c, keys ? (long long)(net_used / keys) : 0);
    reply_bulk_cstr(c, "dataset.bytes");
    reply_long(c, (long long)dataset);
    reply_bulk_cstr(c, "dataset.percentage");
    reply_double(c, net_used ? (double)dataset * 100 / (double)net_used : 0);
    reply_bulk_cstr(c, "peak.percentage");
    reply_double(c, peak ? (double)used * 100 / (double)peak : 0);
    reply_bulk_cstr(c, "allocator.allocated");
    reply_long(c, (long long)st.allocated);
    reply_bulk_cstr(c, "allocator.active");
    reply_long(c, (long long)st.active);
    reply_bulk_cstr(c, "allocator.resident");
    reply_long(c, (long long)st.resident);
    reply_bulk_cstr(c, "allocator-fragmentation.ratio");
    reply_double(c, st.allocated ? (double)st.active / (double)st.allocated : 0);
    reply_bulk_cstr(c, "allocator-fragmentation.bytes");
    reply_long(c, (long long)st.active - (long long)st.allocated);
    reply_bulk_cstr(c, "allocator.rss-ratio");
    reply_double(c, st.active ? (double)st.resident / (double)st.active : 0);
    reply_bulk_cstr(c, "allocator.rss-bytes");
    reply_long(c, (long long)st.resident - (long long)st.active);
    reply_bulk_cstr(c, "rss-overhead.ratio");
    reply_double(c, st.resident ? (double)st.rss / (double)st.resident : 0);
    reply_bulk_cstr(c, "rss-overhead.bytes");
    reply_long(c, (long long)st.rss - (long long)st.resident);
    reply_bulk_cstr(c, "fragmentation");
    reply_double(c, used ? (double)st.rss / (double)used : 0);
    reply_bulk_cstr(c, "fragmentation.bytes");
    reply_long(c, (long long)st.rss - (long long)used);
}

void cmd_memory_purge(struct client *c)
{
    mem_purge();
    reply_ok(c);
}

void cmd_memory_malloc_stats(struct client *c)
{
    char *text = mem_malloc_stats();
    reply_verbatim(c, text, strlen(text), "txt");
    mem_free(text);
}

void cmd_memory_help(struct client *c)
{
    static const char *const lines[] = {
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value.",
        "HELP",
        "    Print this help.",
        NULL,
    };
    reply_help(c, lines);
}

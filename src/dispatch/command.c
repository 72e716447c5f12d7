/* command.c - the registered command table and lookup by name. */
#include "dispatch/command.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/client.h"

static struct command *command__table;
static size_t command__count, command__total;

/* Lookup: an open-addressing table over lower-cased names, built once. */
#define LOOKUP_SLOTS 1024 /* a power of two, mostly empty: short probes */
static struct command *command__slots[LOOKUP_SLOTS];

/* FNV-1a over the name with ASCII letters folded to lower case: the
 * lookup runs for every request, so no locale-aware tolower. */
static inline unsigned char command__lower(unsigned char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch + 32) : ch;
}

static uint32_t command__hash(const char *name, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= command__lower((unsigned char)name[i]);
        h *= 16777619u;
    }
    return h;
}

/* name (any case) equals lower (a table name, lower case) over len. */
static inline int command__eq(const char *name, const char *lower, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (command__lower((unsigned char)name[i]) != (unsigned char)lower[i]) return 0;
    return 1;
}

void command_register(struct command *table, size_t n)
{
    command__table = table;
    command__count = n;
    command__total = 0;
    memset(command__slots, 0, sizeof(command__slots));
    for (size_t i = 0; i < n; i++) {
        struct command *cmd = &table[i];
        snprintf(cmd->fullname, sizeof(cmd->fullname), "%s", cmd->name);
        cmd->name_len = strlen(cmd->name);
        cmd->index = command__total++;
        for (struct command *sub = cmd->subcommands; sub && sub->name; sub++) {
            snprintf(sub->fullname, sizeof(sub->fullname), "%s|%s", cmd->name, sub->name);
            sub->name_len = strlen(sub->name);
            sub->parent = cmd;
            sub->index = command__total++;
        }
        uint32_t slot = command__hash(cmd->name, cmd->name_len) % LOOKUP_SLOTS;
        while (command__slots[slot]) slot = (slot + 1) % LOOKUP_SLOTS;
        command__slots[slot] = cmd;
    }
}

struct command *command_lookup(const char *name, size_t len)
{
    uint32_t slot = command__hash(name, len) & (LOOKUP_SLOTS - 1);
    while (command__slots[slot]) {
        struct command *cmd = command__slots[slot];
        if (cmd->name_len == len && command__eq(name, cmd->name, len)) return cmd;
        slot = (slot + 1) & (LOOKUP_SLOTS - 1);
    }
    return NULL;
}

struct command *command_lookup_sub(struct command *parent, const char *name, size_t len)
{
    for (struct command *sub = parent->subcommands; sub->name; sub++)
        if (sub->name_len == len && strncasecmp(sub->name, name, len) == 0) return sub;
    return NULL;
}

struct command *command_lookup_full(const char *name, size_t len)
{
    const char *bar = memchr(name, '|', len);
    if (bar == NULL) return command_lookup(name, len);
    struct command *parent = command_lookup(name, (size_t)(bar - name));
    if (parent == NULL || parent->subcommands == NULL) return NULL;
    return command_lookup_sub(parent, bar + 1, len - (size_t)(bar - name) - 1);
}

/* fullname's command: a table naming one that does not exist is a bug. */
static struct command *command__must_find(const char *fullname)
{
    struct command *cmd = command_lookup_full(fullname, strlen(fullname));
    if (cmd == NULL) {
        fprintf(stderr, "command table: no command %s\n", fullname);
        abort();
    }
    return cmd;
}

void command_set_tips(const char *fullname, const char *tips)
{
    command__must_find(fullname)->tips = tips;
}

void command_set_key_notes(const char *fullname, const char *notes,
                           const struct key_spec_unknown *unknown)
{
    struct command *cmd = command__must_find(fullname);
    cmd->key_notes = notes;
    cmd->unknown_specs = unknown;
}

const struct command *command_find(const struct arg *argv, size_t argc)
{
    struct command *cmd = argc ? command_lookup(argv[0].ptr, argv[0].len) : NULL;
    if (cmd && cmd->subcommands && argc >= 2)
        return command_lookup_sub(cmd, argv[1].ptr, argv[1].len);
    return cmd;
}

void command_each(command_visit_fn *fn, int with_subcommands, void *arg)
{
    for (size_t i = 0; i < command__count; i++) {
        fn(&command__table[i], arg);
        if (!with_subcommands) continue;
        for (struct command *sub = command__table[i].subcommands; sub && sub->name; sub++)
            fn(sub, arg);
    }
}

size_t command_total(void)
{
    return command__total;
}

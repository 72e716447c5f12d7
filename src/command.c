/* command.c - the command table and the dispatcher. */
#include "command.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "client.h"
#include "cmd.h"
#include "config.h"
#include "db.h"
#include "evict.h"
#include "multi.h"
#include "pubsub.h"
#include "script.h"
#include "tracking.h"
#include "reply.h"
#include "stats.h"
#include "util.h"

#define W  CMD_WRITE
#define R  CMD_READONLY
#define M  CMD_DENYOOM
#define F  CMD_FAST
#define A  CMD_ADMIN
#define NS CMD_NOSCRIPT
#define LD CMD_LOADING
#define ST CMD_STALE
#define NA CMD_NO_AUTH
#define AB CMD_ALLOW_BUSY
/* EVAL family: may run any key (all locks), Redis's flags, and the two
 * dispatcher steps scripts need. */
#define SCRIPT_FLAGS                                                                               \
    (NS | CMD_SKIP_MONITOR | CMD_NO_MANDATORY | CMD_MOVABLE_KEYS | CMD_LOCK_SCRIPT |               \
     CMD_NOTE_OOM | CMD_SCRIPT_FLAGS)

/* Fields after the complexity are filled at startup (fullname, parent,
 * index) or by the table itself (subcommands). */
#define CMD(name_, fn_, arity_, flags_, first_, last_, step_, group_, since_, summary_, cx_)       \
    {                                                                                              \
        .name = name_, .fn = fn_, .arity = arity_, .flags = flags_, .first_key = first_,           \
        .last_key = last_, .key_step = step_, .group = group_, .since = since_,                    \
        .summary = summary_, .complexity = cx_                                                     \
    }
#define CONTAINER(name_, fn_, arity_, flags_, group_, since_, summary_, cx_, subs_)                \
    {                                                                                              \
        .name = name_, .fn = fn_, .arity = arity_, .flags = flags_, .group = group_,               \
        .since = since_, .summary = summary_, .complexity = cx_, .subcommands = subs_              \
    }
#define CMD_END                                                                                    \
    {                                                                                              \
        .name = NULL                                                                               \
    }

/* The command table: name, handler, arity, flags, first key, last key, key
 * step, group, since, summary, complexity. Arity and flags are Redis
 * 7.4's; subcommand tables come first so the main table can name them. */
// clang-format off
static struct command client_subcommands[] = {
    CMD("id",      cmd_client_id,      2, NS | LD | ST, 0, 0, 0, "connection", "5.0.0", "Returns the unique client ID of the connection.", "O(1)"),
    CMD("setname", cmd_client_setname, 3, NS | LD | ST, 0, 0, 0, "connection", "2.6.9", "Sets the connection name.", "O(1)"),
    CMD("getname", cmd_client_getname, 2, NS | LD | ST, 0, 0, 0, "connection", "2.6.9", "Returns the name of the connection.", "O(1)"),
    CMD("setinfo", cmd_client_setinfo, 4, NS | LD | ST, 0, 0, 0, "connection", "7.2.0", "Sets information specific to the client or connection.", "O(1)"),
    CMD("list",    cmd_client_list,   -2, A | NS | LD | ST, 0, 0, 0, "connection", "2.4.0", "Lists open connections.", "O(N) where N is the number of client connections"),
    CMD("info",    cmd_client_info,    2, NS | LD | ST, 0, 0, 0, "connection", "6.2.0", "Returns information about the connection.", "O(1)"),
    CMD("kill",    cmd_client_kill,   -3, A | NS | LD | ST, 0, 0, 0, "connection", "2.4.0", "Terminates open connections.", "O(N) where N is the number of client connections"),
    CMD("tracking", cmd_client_tracking, -3, NS | LD | ST, 0, 0, 0, "connection", "6.0.0", "Controls server-assisted client-side caching for the connection.", "O(1). Some options may introduce additional complexity."),
    CMD("caching",  cmd_client_caching,  3, NS | LD | ST, 0, 0, 0, "connection", "6.0.0", "Instructs the server whether to track the keys in the next request.", "O(1)"),
    CMD("getredir", cmd_client_getredir, 2, NS | LD | ST, 0, 0, 0, "connection", "6.0.0", "Returns the client ID to which the connection's tracking notifications are redirected.", "O(1)"),
    CMD("trackinginfo", cmd_client_trackinginfo, 2, NS | LD | ST, 0, 0, 0, "connection", "6.2.0", "Returns information about server-assisted client-side caching for the connection.", "O(1)"),
    CMD("help",    cmd_client_help,    2, LD | ST, 0, 0, 0, "connection", "5.0.0", "Returns helpful text about the different subcommands.", "O(1)"),
    CMD_END,
};

static struct command command_subcommands[] = {
    CMD("count", cmd_command_count, 2, LD | ST, 0, 0, 0, "server", "2.8.13", "Returns a count of commands.", "O(1)"),
    CMD("info",  cmd_command_info, -2, LD | ST, 0, 0, 0, "server", "2.8.13", "Returns information about one, multiple or all commands.", "O(N) where N is the number of commands to look up"),
    CMD("docs",  cmd_command_docs, -2, LD | ST, 0, 0, 0, "server", "7.0.0", "Returns documentary information about one, multiple or all commands.", "O(N) where N is the number of commands to look up"),
    CMD("list",  cmd_command_list, -2, LD | ST, 0, 0, 0, "server", "7.0.0", "Returns a list of command names.", "O(N) where N is the total number of Redis commands"),
    CMD("help",  cmd_command_help,  2, LD | ST, 0, 0, 0, "server", "5.0.0", "Returns helpful text about the different subcommands.", "O(1)"),
    CMD_END,
};

static struct command config_subcommands[] = {
    CMD("get",       cmd_config_get,      -3, A | NS | LD | ST, 0, 0, 0, "server", "2.0.0", "Returns the effective values of configuration parameters.", "O(N) when N is the number of configuration parameters provided"),
    CMD("set",       cmd_config_set,      -4, A | NS | LD | ST, 0, 0, 0, "server", "2.0.0", "Sets configuration parameters in-flight.", "O(N) when N is the number of configuration parameters provided"),
    CMD("resetstat", cmd_config_resetstat, 2, A | NS | LD | ST, 0, 0, 0, "server", "2.0.0", "Resets the server's statistics.", "O(1)"),
    CMD("help",      cmd_config_help,      2, LD | ST, 0, 0, 0, "server", "5.0.0", "Returns helpful text about the different subcommands.", "O(1)"),
    CMD_END,
};

static struct command object_subcommands[] = {
    CMD("encoding", cmd_object_encoding, 3, R, 2, 2, 1, "generic", "2.2.3", "Returns the internal encoding of a Redis object.", "O(1)"),
    CMD("freq",     cmd_object_freq,     3, R, 2, 2, 1, "generic", "4.0.0", "Returns the logarithmic access frequency counter of a Redis object.", "O(1)"),
    CMD("idletime", cmd_object_idletime, 3, R, 2, 2, 1, "generic", "2.2.3", "Returns the time since the last access to a Redis object.", "O(1)"),
    CMD("refcount", cmd_object_refcount, 3, R, 2, 2, 1, "generic", "2.2.3", "Returns the reference count of a value of a key.", "O(1)"),
    CMD("help",     cmd_object_help,     2, LD | ST, 0, 0, 0, "generic", "6.2.0", "Returns helpful text about the different subcommands.", "O(1)"),
    CMD_END,
};

static struct command memory_subcommands[] = {
    CMD("usage",        cmd_memory_usage,       -3, R, 2, 2, 1, "server", "4.0.0", "Estimates the memory usage of a key.", "O(N) where N is the number of samples."),
    CMD("stats",        cmd_memory_stats,        2, 0, 0, 0, 0, "server", "4.0.0", "Returns details about memory usage.", "O(1)"),
    CMD("purge",        cmd_memory_purge,        2, 0, 0, 0, 0, "server", "4.0.0", "Asks the allocator to release memory.", "Depends on how much memory is allocated, could be slow"),
    CMD("malloc-stats", cmd_memory_malloc_stats, 2, 0, 0, 0, 0, "server", "4.0.0", "Returns the allocator statistics.", "Depends on how much memory is allocated, could be slow"),
    CMD("help",         cmd_memory_help,         2, LD | ST, 0, 0, 0, "server", "4.0.0", "Returns helpful text about the different subcommands.", "O(1)"),
    CMD_END,
};

static struct command acl_subcommands[] = {
    CMD("whoami", cmd_acl_whoami, 2, NS | LD | ST, 0, 0, 0, "server", "6.0.0", "Returns the authenticated username of the current connection.", "O(1)"),
    CMD_END,
};

static struct command script_subcommands[] = {
    CMD("load",   cmd_script_load,    3, NS | ST | CMD_LOCK_SCRIPT, 0, 0, 0, "scripting", "2.6.0", "Loads a server-side Lua script to the script cache.", "O(N) with N being the length in bytes of the script body."),
    CMD("exists", cmd_script_exists, -3, NS | CMD_LOCK_SCRIPT, 0, 0, 0, "scripting", "2.6.0", "Determines whether server-side Lua scripts exist in the script cache.", "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation)."),
    CMD("flush",  cmd_script_flush,  -2, NS | CMD_LOCK_SCRIPT, 0, 0, 0, "scripting", "2.6.0", "Removes all server-side Lua scripts from the script cache.", "O(N) with N being the number of scripts in cache"),
    CMD("kill",   cmd_script_kill,    2, NS | AB, 0, 0, 0, "scripting", "2.6.0", "Terminates a server-side Lua script during execution.", "O(1)"),
    CMD("help",   cmd_script_help,    2, LD | ST, 0, 0, 0, "scripting", "5.0.0", "Returns helpful text about the different subcommands.", "O(1)"),
    CMD_END,
};

static struct command pubsub_subcommands[] = {
    CMD("channels", cmd_pubsub_channels, -2, LD | ST, 0, 0, 0, "pubsub", "2.8.0", "Returns the active channels.", "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)"),
    CMD("numsub",   cmd_pubsub_numsub,   -2, LD | ST, 0, 0, 0, "pubsub", "2.8.0", "Returns a count of subscribers to channels.", "O(N) for the NUMSUB subcommand, where N is the number of requested channels"),
    CMD("numpat",   cmd_pubsub_numpat,    2, LD | ST, 0, 0, 0, "pubsub", "2.8.0", "Returns a count of unique pattern subscriptions.", "O(1)"),
    CMD("help",     cmd_pubsub_help,      2, LD | ST, 0, 0, 0, "pubsub", "6.2.0", "Returns helpful text about the different subcommands.", "O(1)"),
    CMD_END,
};

static struct command command_table[] = {
    /* Strings */
    CMD("get", cmd_get, 2, R | F, 1, 1, 1, "string", "1.0.0", "Returns the string value of a key.", "O(1)"),
    CMD("set", cmd_set, -3, W | M, 1, 1, 1, "string", "1.0.0", "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.", "O(1)"),
    CMD("setnx", cmd_setnx, 3, W | M | F, 1, 1, 1, "string", "1.0.0", "Set the string value of a key only when the key doesn't exist.", "O(1)"),
    CMD("setex", cmd_setex, 4, W | M, 1, 1, 1, "string", "2.0.0", "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.", "O(1)"),
    CMD("psetex", cmd_psetex, 4, W | M, 1, 1, 1, "string", "2.6.0", "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.", "O(1)"),
    CMD("getset", cmd_getset, 3, W | M | F, 1, 1, 1, "string", "1.0.0", "Returns the previous string value of a key after setting it to a new value.", "O(1)"),
    CMD("getdel", cmd_getdel, 2, W | F, 1, 1, 1, "string", "6.2.0", "Returns the string value of a key after deleting the key.", "O(1)"),
    CMD("getex", cmd_getex, -2, W | F, 1, 1, 1, "string", "6.2.0", "Returns the string value of a key after setting its expiration time.", "O(1)"),
    CMD("mget", cmd_mget, -2, R | F, 1, -1, 1, "string", "1.0.0", "Atomically returns the string values of one or more keys.", "O(N) where N is the number of keys to retrieve."),
    CMD("mset", cmd_mset, -3, W | M, 1, -1, 2, "string", "1.0.1", "Atomically creates or modifies the string values of one or more keys.", "O(N) where N is the number of keys to set."),
    CMD("msetnx", cmd_msetnx, -3, W | M, 1, -1, 2, "string", "1.0.1", "Atomically modifies the string values of one or more keys only when all keys don't exist.", "O(N) where N is the number of keys to set."),
    CMD("append", cmd_append, 3, W | M | F, 1, 1, 1, "string", "2.0.0", "Appends a string to the value of a key. Creates the key if it doesn't exist.", "O(1)."),
    CMD("strlen", cmd_strlen, 2, R | F, 1, 1, 1, "string", "2.2.0", "Returns the length of a string value.", "O(1)"),
    CMD("incr", cmd_incr, 2, W | M | F, 1, 1, 1, "string", "1.0.0", "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.", "O(1)"),
    CMD("decr", cmd_decr, 2, W | M | F, 1, 1, 1, "string", "1.0.0", "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.", "O(1)"),
    CMD("incrby", cmd_incrby, 3, W | M | F, 1, 1, 1, "string", "1.0.0", "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.", "O(1)"),
    CMD("decrby", cmd_decrby, 3, W | M | F, 1, 1, 1, "string", "1.0.0", "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.", "O(1)"),
    CMD("incrbyfloat", cmd_incrbyfloat, 3, W | M | F, 1, 1, 1, "string", "2.6.0", "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.", "O(1)"),
    CMD("getrange", cmd_getrange, 4, R, 1, 1, 1, "string", "2.4.0", "Returns a substring of the string stored at a key.", "O(N) where N is the length of the returned string."),
    CMD("substr", cmd_getrange, 4, R, 1, 1, 1, "string", "1.0.0", "Returns a substring from a string value.", "O(N) where N is the length of the returned string."),
    CMD("setrange", cmd_setrange, 4, W | M, 1, 1, 1, "string", "2.2.0", "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.", "O(1), not counting the time taken to copy the new string in place."),

    /* Keys */
    CMD("del", cmd_del, -2, W, 1, -1, 1, "generic", "1.0.0", "Deletes one or more keys.", "O(N) where N is the number of keys that will be removed."),
    CMD("unlink", cmd_del, -2, W | F, 1, -1, 1, "generic", "4.0.0", "Asynchronously deletes one or more keys.", "O(1) for each key removed regardless of its size."),
    CMD("exists", cmd_exists, -2, R | F, 1, -1, 1, "generic", "1.0.0", "Determines whether one or more keys exist.", "O(N) where N is the number of keys to check."),
    CMD("type", cmd_type, 2, R | F, 1, 1, 1, "generic", "1.0.0", "Determines the type of value stored at a key.", "O(1)"),
    CMD("touch", cmd_touch, -2, R | F, 1, -1, 1, "generic", "3.2.1", "Returns the number of existing keys out of those specified after updating the time they were last accessed.", "O(N) where N is the number of keys that will be touched."),
    CMD("rename", cmd_rename, 3, W, 1, 2, 1, "generic", "1.0.0", "Renames a key and overwrites the destination.", "O(1)"),
    CMD("renamenx", cmd_renamenx, 3, W | F, 1, 2, 1, "generic", "1.0.0", "Renames a key only when the target key name doesn't exist.", "O(1)"),
    CMD("copy", cmd_copy, -3, W | M | CMD_LOCK_ALL, 1, 2, 1, "generic", "6.2.0", "Copies the value of a key to a new key.", "O(N) worst case for collections, where N is the number of nested items. O(1) for string values."),
    CMD("move", cmd_move, 3, W | F | CMD_LOCK_ALL, 1, 1, 1, "generic", "1.0.0", "Moves a key to another database.", "O(1)"),
    CONTAINER("object", NULL, -2, 0, "generic", "2.2.3", "A container for object introspection commands.", "Depends on subcommand.", object_subcommands),
    CMD("keys", cmd_keys, 2, R | CMD_LOCK_DB, 0, 0, 0, "generic", "1.0.0", "Returns all key names that match a pattern.", "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length."),
    CMD("scan", cmd_scan, -2, R | CMD_LOCK_DB, 0, 0, 0, "generic", "2.8.0", "Iterates over the key names in the database.", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection."),
    CMD("randomkey", cmd_randomkey, 1, R | CMD_LOCK_DB, 0, 0, 0, "generic", "1.0.0", "Returns a random key name from the database.", "O(1)"),
    CMD("dbsize", cmd_dbsize, 1, R | F | CMD_LOCK_DB, 0, 0, 0, "server", "1.0.0", "Returns the number of keys in the database.", "O(1)"),
    CMD("flushdb", cmd_flushdb, -1, W | CMD_LOCK_DB, 0, 0, 0, "server", "1.0.0", "Remove all keys from the current database.", "O(N) where N is the number of keys in the selected database"),
    CMD("flushall", cmd_flushall, -1, W | CMD_LOCK_ALL, 0, 0, 0, "server", "1.0.0", "Removes all keys from all databases.", "O(N) where N is the total number of keys in all databases"),
    CMD("select", cmd_select, 2, LD | ST | F, 0, 0, 0, "connection", "1.0.0", "Changes the selected database.", "O(1)"),
    CMD("swapdb", cmd_swapdb, 3, W | F | CMD_LOCK_ALL, 0, 0, 0, "server", "4.0.0", "Swaps two Redis databases.", "O(N) where N is the count of clients watching or blocking on keys from both databases."),

    /* Expiry */
    CMD("expire", cmd_expire, -3, W | F, 1, 1, 1, "generic", "1.0.0", "Sets the expiration time of a key in seconds.", "O(1)"),
    CMD("pexpire", cmd_pexpire, -3, W | F, 1, 1, 1, "generic", "2.6.0", "Sets the expiration time of a key in milliseconds.", "O(1)"),
    CMD("expireat", cmd_expireat, -3, W | F, 1, 1, 1, "generic", "1.2.0", "Sets the expiration time of a key to a Unix timestamp.", "O(1)"),
    CMD("pexpireat", cmd_pexpireat, -3, W | F, 1, 1, 1, "generic", "2.6.0", "Sets the expiration time of a key to a Unix milliseconds timestamp.", "O(1)"),
    CMD("ttl", cmd_ttl, 2, R | F, 1, 1, 1, "generic", "1.0.0", "Returns the expiration time in seconds of a key.", "O(1)"),
    CMD("pttl", cmd_pttl, 2, R | F, 1, 1, 1, "generic", "2.6.0", "Returns the expiration time in milliseconds of a key.", "O(1)"),
    CMD("expiretime", cmd_expiretime, 2, R | F, 1, 1, 1, "generic", "7.0.0", "Returns the expiration time of a key as a Unix timestamp.", "O(1)"),
    CMD("pexpiretime", cmd_pexpiretime, 2, R | F, 1, 1, 1, "generic", "7.0.0", "Returns the expiration time of a key as a Unix milliseconds timestamp.", "O(1)"),
    CMD("persist", cmd_persist, 2, W | F, 1, 1, 1, "generic", "2.2.0", "Removes the expiration time of a key.", "O(1)"),

    /* Pub/sub */
    CMD("subscribe", cmd_subscribe, -2, CMD_PUBSUB | NS | LD | ST, 0, 0, 0, "pubsub", "2.0.0", "Listens for messages published to channels.", "O(N) where N is the number of channels to subscribe to."),
    CMD("unsubscribe", cmd_unsubscribe, -1, CMD_PUBSUB | NS | LD | ST, 0, 0, 0, "pubsub", "2.0.0", "Stops listening to messages posted to channels.", "O(N) where N is the number of channels to unsubscribe."),
    CMD("psubscribe", cmd_psubscribe, -2, CMD_PUBSUB | NS | LD | ST, 0, 0, 0, "pubsub", "2.0.0", "Listens for messages published to channels that match one or more patterns.", "O(N) where N is the number of patterns to subscribe to."),
    CMD("punsubscribe", cmd_punsubscribe, -1, CMD_PUBSUB | NS | LD | ST, 0, 0, 0, "pubsub", "2.0.0", "Stops listening to messages published to channels that match one or more patterns.", "O(N) where N is the number of patterns to unsubscribe."),
    CMD("publish", cmd_publish, 3, CMD_PUBSUB | LD | ST | F, 0, 0, 0, "pubsub", "2.0.0", "Posts a message to a channel.", "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client)."),
    CONTAINER("pubsub", NULL, -2, 0, "pubsub", "2.8.0", "A container for Pub/Sub commands.", "Depends on subcommand.", pubsub_subcommands),

    /* Scripting */
    CMD("eval", cmd_eval, -3, SCRIPT_FLAGS | ST, 0, 0, 0, "scripting", "2.6.0", "Executes a server-side Lua script.", "Depends on the script that is executed."),
    CMD("evalsha", cmd_evalsha, -3, SCRIPT_FLAGS | ST, 0, 0, 0, "scripting", "2.6.0", "Executes a server-side Lua script by SHA1 digest.", "Depends on the script that is executed."),
    CMD("eval_ro", cmd_eval_ro, -3, SCRIPT_FLAGS | R | ST, 0, 0, 0, "scripting", "7.0.0", "Executes a read-only server-side Lua script.", "Depends on the script that is executed."),
    CMD("evalsha_ro", cmd_evalsha_ro, -3, SCRIPT_FLAGS | R | ST, 0, 0, 0, "scripting", "7.0.0", "Executes a read-only server-side Lua script by SHA1 digest.", "Depends on the script that is executed."),
    CONTAINER("script", NULL, -2, 0, "scripting", "2.6.0", "A container for Lua scripts management commands.", "Depends on subcommand.", script_subcommands),

    /* Transactions */
    CMD("multi", cmd_multi, 1, NS | LD | ST | F | CMD_NO_MULTI | AB, 0, 0, 0, "transactions", "1.2.0", "Starts a transaction.", "O(1)"),
    CMD("exec", cmd_exec, 1, NS | LD | ST | CMD_NOTE_OOM, 0, 0, 0, "transactions", "1.2.0", "Executes all commands in a transaction.", "Depends on commands in the transaction"),
    CMD("discard", cmd_discard, 1, NS | LD | ST | F | AB, 0, 0, 0, "transactions", "2.0.0", "Discards a transaction.", "O(N), when N is the number of queued commands"),
    CMD("watch", cmd_watch, -2, NS | LD | ST | F | CMD_NO_MULTI | AB, 1, -1, 1, "transactions", "2.2.0", "Monitors changes to keys to determine the execution of a transaction.", "O(1) for every key."),
    CMD("unwatch", cmd_unwatch, 1, NS | LD | ST | F | AB, 0, 0, 0, "transactions", "2.2.0", "Forgets about watched keys of a transaction.", "O(1)"),

    /* Connection */
    CMD("auth", cmd_auth, -2, NS | LD | ST | F | NA | AB, 0, 0, 0, "connection", "1.0.0", "Authenticates the connection.", "O(N) where N is the number of passwords defined for the user"),
    CMD("ping", cmd_ping, -1, F, 0, 0, 0, "connection", "1.0.0", "Returns the server's liveliness response.", "O(1)"),
    CMD("echo", cmd_echo, 2, F, 0, 0, 0, "connection", "1.0.0", "Returns the given string.", "O(1)"),
    CMD("quit", cmd_quit, -1, A | NS | LD | ST | F | NA | AB, 0, 0, 0, "connection", "1.0.0", "Closes the connection.", "O(1)"),
    CMD("reset", cmd_reset, 1, NS | LD | ST | F | NA | AB, 0, 0, 0, "connection", "6.2.0", "Resets the connection.", "O(1)"),
    CMD("hello", cmd_hello, -1, NS | LD | ST | F | NA | AB, 0, 0, 0, "connection", "6.0.0", "Handshakes with the Redis server.", "O(1)"),
    CONTAINER("acl", NULL, -2, 0, "server", "6.0.0", "A container for Access List Control commands.", "Depends on subcommand.", acl_subcommands),
    CONTAINER("client", NULL, -2, 0, "connection", "2.4.0", "A container for client connection commands.", "Depends on subcommand.", client_subcommands),

    /* Server */
    /* COMMAND alone lists every command, so this container has a handler. */
    CONTAINER("command", cmd_command, -1, LD | ST, "server", "2.8.13", "Returns detailed information about all commands.", "O(N) where N is the total number of Redis commands", command_subcommands),
    CONTAINER("config", NULL, -2, 0, "server", "2.0.0", "A container for server configuration commands.", "Depends on subcommand.", config_subcommands),
    CMD("info", cmd_info, -1, LD | ST, 0, 0, 0, "server", "1.0.0", "Returns information and statistics about the server.", "O(1)"),
    CONTAINER("memory", NULL, -2, 0, "server", "4.0.0", "A container for memory diagnostics commands.", "Depends on subcommand.", memory_subcommands),
    CMD("time", cmd_time, 1, LD | ST | F, 0, 0, 0, "server", "2.6.0", "Returns the server time.", "O(1)"),
    CMD("shutdown", cmd_shutdown, -1, A | NS | LD | ST | AB, 0, 0, 0, "server", "1.0.0", "Synchronously saves the database(s) to disk and shuts down the Redis server.", "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)"),
};
// clang-format on

#define COMMAND_COUNT (sizeof(command_table) / sizeof(command_table[0]))

static size_t command__total;

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

void command_setup(void)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        struct command *cmd = &command_table[i];
        snprintf(cmd->fullname, sizeof(cmd->fullname), "%s", cmd->name);
        cmd->name_len = strlen(cmd->name);
        cmd->index = command__total++;
        for (struct command *sub = cmd->subcommands; sub && sub->name; sub++) {
            snprintf(sub->fullname, sizeof(sub->fullname), "%s|%s", cmd->name, sub->name);
            sub->parent = cmd;
            sub->index = command__total++;
        }
        uint32_t slot = command__hash(cmd->name, strlen(cmd->name)) % LOOKUP_SLOTS;
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

static struct command *command__lookup_sub(struct command *parent, const char *name, size_t len)
{
    for (struct command *sub = parent->subcommands; sub->name; sub++)
        if (strlen(sub->name) == len && strncasecmp(sub->name, name, len) == 0) return sub;
    return NULL;
}

const struct command *command_find(const struct arg *argv, size_t argc)
{
    struct command *cmd = argc ? command_lookup(argv[0].ptr, argv[0].len) : NULL;
    if (cmd && cmd->subcommands && argc >= 2)
        return command__lookup_sub(cmd, argv[1].ptr, argv[1].len);
    return cmd;
}

void command_each(command_visit_fn *fn, int with_subcommands, void *arg)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        fn(&command_table[i], arg);
        if (!with_subcommands) continue;
        for (struct command *sub = command_table[i].subcommands; sub && sub->name; sub++)
            fn(sub, arg);
    }
}

size_t command_total(void)
{
    return command__total;
}

int command_arity_ok(const struct command *cmd, size_t argc)
{
    return cmd->arity > 0 ? argc == (size_t)cmd->arity : argc >= (size_t)-cmd->arity;
}

/* Redis's reply to an unknown command: the name and the first arguments,
 * each quoted, up to about 128 bytes of them. */
static void command__reply_unknown(struct client *c)
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
    reply_errorf(c, "ERR unknown command '%.*s', with args beginning with: %s", namelen,
                 c->argv[0].ptr, args);
}

/* The clock of the running batch: commands see one wall-clock time per
 * batch of pipelined requests (Redis's command time snapshot, taken per
 * read instead of per command), and each command's duration for
 * commandstats is the monotonic time since the previous one ended, so a
 * command costs one clock read, not three. */
static _Thread_local uint64_t command__tick;

void command_batch_begin(long long now_ms)
{
    db_set_now(now_ms);
    command__tick = util_monotonic_us();
}

/* With several event-loop threads, a command holds the locks of every
 * shard it may touch while it runs: its keys' shards (from the table's
 * first/last/step), its whole database, or everything, by its flags.
 * Returns -1 (nothing held) when a busy script holds them. */
void command_lock_keys(struct db_lockset *ls, struct db *db, const struct command *cmd,
                       const struct arg *argv, size_t argc)
{
    if (cmd->flags & CMD_LOCK_ALL) {
        db_lockset_add_all(ls);
    } else if (cmd->flags & CMD_LOCK_DB) {
        db_lockset_add_db(ls, db);
    } else if (cmd->flags & CMD_LOCK_SCRIPT) {
        db_lockset_add_script(ls);
        long long n;
        /* A bad count gets its error from the handler; then no keys. */
        if ((cmd->flags & CMD_MOVABLE_KEYS) && argc >= 3 &&
            util_str2ll(argv[2].ptr, argv[2].len, &n) && n > 0 && n <= (long long)argc - 3)
            for (size_t j = 3; j < 3 + (size_t)n; j++)
                db_lockset_add_key(ls, db, argv[j].ptr, argv[j].len);
    } else if (cmd->first_key > 0) {
        int last = cmd->last_key < 0 ? (int)argc + cmd->last_key : cmd->last_key;
        for (int j = cmd->first_key; j <= last && j < (int)argc; j += cmd->key_step)
            db_lockset_add_key(ls, db, argv[j].ptr, argv[j].len);
    }
}

static int command__lock(struct client *c, const struct command *cmd, struct db_lockset *ls)
{
    db_lockset_init(ls);
    command_lock_keys(ls, c->db, cmd, c->argv, c->argc);
    return db_lockset_acquire(ls);
}

/* Counters, clock and pending deliveries after a command ran for c. */
static void command__account(struct client *c, const struct command *cmd, uint64_t now)
{
    struct cmd_counters *cs = &stats_mine->cmd[cmd->index];
    STAT_ADD(cs->usec, now - command__tick);
    command__tick = now;
    STAT_ADD(cs->calls, 1);
    if (c->cmd_failed) STAT_ADD(cs->failed_calls, 1);
    c->lastcmd = cmd;
    c->cmd = NULL;
    STAT_INC(commands, 1);
    /* Invalidations and notifications this command sent to clients of
     * this thread. */
    pubsub_flush_if_pending();
}

static void command__refuse(struct client *c, const struct command *cmd, const char *msg);

/* Out of line so the single-threaded path carries no lockset. */
static __attribute__((noinline)) int command__call_locked(struct client *c,
                                                          const struct command *cmd)
{
    struct db_lockset ls;
    if (command__lock(c, cmd, &ls) != 0) return -1;
    cmd->fn(c);
    db_lockset_release(&ls);
    return 0;
}

/* Runs cmd for c: its locks (with threads), the handler, the counters,
 * and eviction after a write. */
static void command__run(struct client *c, const struct command *cmd, int lock)
{
    c->cmd = cmd;
    c->cmd_failed = 0;
    tracking_set_current(c);
    if (lock > 0) {
        if (command__call_locked(c, cmd) != 0) {
            c->cmd = NULL;
            command__refuse(c, cmd, SCRIPT_ERR_BUSY);
            return;
        }
    } else {
        cmd->fn(c);
    }
    if (c->tracking) tracking_after_command(c, cmd);
    /* A write may leave memory above the limit (the value it stored):
     * evict right away so used_memory is within maxmemory between
     * commands, not just before them. Not inside EXEC: the transaction's
     * locks are held until it ends, and eviction takes shard locks. A
     * script may have written anything. */
    if ((cmd->flags & (CMD_DENYOOM | CMD_SCRIPT_FLAGS)) && CFG(maxmemory) && lock >= 0)
        evict_after_command();
    command__account(c, cmd, util_monotonic_us());
}

void command_run_queued(struct client *c, const struct command *cmd)
{
    const struct command *exec = c->cmd;
    command__run(c, cmd, -1);
    c->cmd = exec;
}

void command_run_for_script(struct client *c, const struct command *cmd, struct client *caller)
{
    /* tracking_current stays the caller: NOLOOP is about its own writes. */
    c->cmd = cmd;
    c->cmd_failed = 0;
    if (db_locking()) {
        /* Nested in the script's lockset: what the command needs joins it
         * (never fails: no give-up for the holder). */
        struct db_lockset ls;
        command__lock(c, cmd, &ls);
        cmd->fn(c);
        db_lockset_release(&ls);
    } else {
        cmd->fn(c);
    }
    if (caller->tracking) tracking_remember_keys(caller, cmd, c->argv, c->argc);
    command__account(c, cmd, util_monotonic_us());
}

static void command__reject(struct client *c, const struct command *cmd)
{
    if (cmd) STAT_INC(cmd[cmd->index].rejected_calls, 1);
    multi_flag_error(c);
    if (c->tracking_caching) tracking_command_refused(c, cmd);
}

/* Refuses c's request with msg (an error with its code). EXEC refused
 * inside MULTI ends the transaction, as in Redis: "EXECABORT Transaction
 * discarded because of: <msg>" (msg without a leading "ERR "). */
static void command__refuse(struct client *c, const struct command *cmd, const char *msg)
{
    if (cmd && cmd->fn == cmd_exec && c->in_multi) {
        reply_errorf(c, "EXECABORT Transaction discarded because of: %s",
                     strncmp(msg, "ERR ", 4) == 0 ? msg + 4 : msg);
        STAT_INC(cmd[cmd->index].rejected_calls, 1);
        /* The watches need their shards' locks, which a busy script on
         * another thread holds: they stay until the next EXEC or UNWATCH. */
        if (script_busy() && db_locking() && !db_lockset_held())
            multi_discard_queue(c);
        else
            multi_reset(c);
        if (c->tracking_caching) tracking_command_refused(c, cmd);
        return;
    }
    reply_error(c, msg);
    command__reject(c, cmd);
}

/* Eviction before a command that may grow memory (denyoom), and the OOM
 * state scripts start with. Returns 0 to go on, or -1 after refusing. A
 * script's own flags (its shebang) are looked up only when memory is
 * still over the limit: the common case pays no cache lookup. */
static __attribute__((noinline)) int command__memory(struct client *c, const struct command *cmd)
{
    int rc = evict_before_command();
    if (cmd->flags & CMD_NOTE_OOM) script_note_oom(rc != 0);
    if (rc == -2) {
        command__refuse(c, cmd, SCRIPT_ERR_BUSY);
        return -1;
    }
    if (rc == 0) return 0;
    uint32_t flags = cmd->flags;
    if (flags & CMD_SCRIPT_FLAGS) flags = script_command_flags(c, cmd);
    if (flags & CMD_DENYOOM) {
        command__refuse(c, cmd, "OOM command not allowed when used memory > 'maxmemory'.");
        return -1;
    }
    return 0;
}

void command_execute(struct client *c)
{
    struct command *cmd = command_lookup(c->argv[0].ptr, c->argv[0].len);
    if (cmd == NULL) {
        command__reply_unknown(c);
        command__reject(c, NULL);
        return;
    }
    if (cmd->subcommands && c->argc >= 2) {
        struct command *sub = command__lookup_sub(cmd, c->argv[1].ptr, c->argv[1].len);
        if (sub == NULL) {
            char upper[64];
            size_t n = strlen(cmd->name);
            for (size_t i = 0; i <= n; i++) upper[i] = (char)toupper((unsigned char)cmd->name[i]);
            int sublen = c->argv[1].len > 128 ? 128 : (int)c->argv[1].len;
            reply_errorf(c, "ERR unknown subcommand '%.*s'. Try %s HELP.", sublen, c->argv[1].ptr,
                         upper);
            command__reject(c, NULL);
            return;
        }
        cmd = sub;
    }
    if (!command_arity_ok(cmd, c->argc)) {
        char msg[128];
        snprintf(msg, sizeof(msg), REPLY_ERR_ARITY_FMT, cmd->fullname);
        command__refuse(c, cmd, msg);
        return;
    }
    if (!c->authenticated && !(cmd->flags & CMD_NO_AUTH) && CFG(auth_required)) {
        command__refuse(c, cmd, "NOAUTH Authentication required.");
        return;
    }
    int busy = script_busy();
    if (CFG(maxmemory) && !busy && (cmd->flags & (CMD_DENYOOM | CMD_NOTE_OOM))) {
        if (command__memory(c, cmd) != 0) return;
    } else if (cmd->flags & CMD_NOTE_OOM) {
        script_note_oom(0);
    }
    if (c->resp < 3 && (c->nchannels | c->npatterns) &&
        !pubsub_allowed_when_subscribed(cmd->parent ? cmd->parent->name : cmd->name)) {
        char msg[256];
        snprintf(msg, sizeof(msg),
                 "ERR Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
                 "RESET are allowed in this context",
                 cmd->fullname);
        command__refuse(c, cmd, msg);
        return;
    }
    /* A script past busy-reply-threshold: only what Redis allows then.
     * (SHUTDOWN without NOSAVE is refused by its handler.) */
    if (busy && !(cmd->flags & CMD_ALLOW_BUSY)) {
        command__refuse(c, cmd, SCRIPT_ERR_BUSY);
        return;
    }
    if (c->in_multi && !multi_runs_now(cmd)) {
        multi_queue(c, cmd);
        return;
    }
    command__run(c, cmd, db_locking());
}

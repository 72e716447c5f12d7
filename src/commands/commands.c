/* commands.c - the command table: every command respite runs, one line
 * each, with Redis 7.4's arity, flags and key positions. The call path
 * (dispatch/call.c) looks commands up here and checks them by these
 * fields before calling the handler. */
#include "commands/commands.h"

#include "dispatch/command.h"

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
#define MN CMD_MULTI_NOW
#define SB CMD_SUBSCRIBED
#define BL CMD_BLOCKING
/* may_replicate (hidden from COMMAND INFO, as in Redis): what CLIENT PAUSE
 * WRITE holds besides writes. */
#define MR CMD_MAY_REPLICATE
/* EVAL family: Redis's flags, the script lock (and the declared keys'
 * shards), and the two call-path steps scripts need. */
#define SCRIPT_FLAGS                                                                               \
    (NS | CMD_SKIP_MONITOR | CMD_NO_MANDATORY | CMD_LOCK_SCRIPT | CMD_NOTE_OOM | CMD_SCRIPT_FLAGS)

/* Fields after the complexity are filled at startup (fullname, parent,
 * index) or by the table itself (subcommands). */
#define CMD(name_, fn_, arity_, flags_, first_, last_, step_, ks_, group_, since_, summary_, cx_)  \
    {                                                                                              \
        .name = name_, .fn = fn_, .arity = arity_, .flags = flags_, .first_key = first_,           \
        .last_key = last_, .key_step = step_, .key_specs = ks_, .group = group_, .since = since_,  \
        .summary = summary_, .complexity = cx_                                                     \
    }
#define CONTAINER(name_, fn_, arity_, flags_, group_, since_, summary_, cx_, subs_)                \
    {                                                                                              \
        .name = name_, .fn = fn_, .arity = arity_, .flags = flags_, .group = group_,               \
        .since = since_, .summary = summary_, .complexity = cx_, .subcommands = subs_              \
    }
/* A command whose keys follow a count at argv[keynum_] (EVAL, SINTERCARD):
 * no fixed key range, movable keys. */
#define CMDK(name_, fn_, arity_, flags_, keynum_, ks_, group_, since_, summary_, cx_)              \
    {                                                                                              \
        .name = name_, .fn = fn_, .arity = arity_, .flags = (flags_) | CMD_MOVABLE_KEYS,           \
        .keynum = keynum_, .key_specs = ks_, .group = group_, .since = since_,                     \
        .summary = summary_, .complexity = cx_                                                     \
    }
/* A destination key at first_, then a count at argv[keynum_] and the keys
 * after it (ZUNIONSTORE): COMMAND INFO shows first_ as the key range. */
#define CMDKD(name_, fn_, arity_, flags_, first_, keynum_, ks_, group_, since_, summary_, cx_)     \
    {                                                                                              \
        .name = name_, .fn = fn_, .arity = arity_, .flags = (flags_) | CMD_MOVABLE_KEYS,           \
        .first_key = first_, .last_key = first_, .key_step = 1, .keynum = keynum_,                 \
        .key_specs = ks_, .group = group_, .since = since_, .summary = summary_, .complexity = cx_ \
    }
#define CMD_END                                                                                    \
    {                                                                                              \
        .name = NULL                                                                               \
    }

/* The command table: name, handler, arity, flags, first key, last key, key
 * step, key spec flags (COMMAND INFO's; KS2 for a command whose first key
 * is spec'd apart from the others), group, since, summary, complexity. Arity and flags are Redis
 * 7.4's, plus what the call path needs (dispatch/command.h: locking scope,
 * MN: runs at once inside MULTI, SB: allowed in RESP2 subscribed mode);
 * subcommand tables come first so the main table can name them. */
// clang-format off
static struct command client_subcommands[] = {
    CMD("id",      cmd_client_id,      2, NS | LD | ST, 0, 0, 0, 0, "connection", "5.0.0", "Returns the unique client ID of the connection.", "O(1)"),
    CMD("setname", cmd_client_setname, 3, NS | LD | ST, 0, 0, 0, 0, "connection", "2.6.9", "Sets the connection name.", "O(1)"),
    CMD("getname", cmd_client_getname, 2, NS | LD | ST, 0, 0, 0, 0, "connection", "2.6.9", "Returns the name of the connection.", "O(1)"),
    CMD("setinfo", cmd_client_setinfo, 4, NS | LD | ST, 0, 0, 0, 0, "connection", "7.2.0", "Sets information specific to the client or connection.", "O(1)"),
    CMD("list",    cmd_client_list,   -2, A | NS | LD | ST, 0, 0, 0, 0, "connection", "2.4.0", "Lists open connections.", "O(N) where N is the number of client connections"),
    CMD("info",    cmd_client_info,    2, NS | LD | ST, 0, 0, 0, 0, "connection", "6.2.0", "Returns information about the connection.", "O(1)"),
    CMD("pause",   cmd_client_pause,   -3, A | NS | LD | ST, 0, 0, 0, 0, "connection", "3.0.0", "Suspends commands processing.", "O(1)"),
    CMD("unpause", cmd_client_unpause,  2, A | NS | LD | ST, 0, 0, 0, 0, "connection", "6.2.0", "Resumes processing commands from paused clients.", "O(N) Where N is the number of paused clients"),
    CMD("unblock", cmd_client_unblock, -3, A | NS | LD | ST, 0, 0, 0, 0, "connection", "5.0.0", "Unblocks a client blocked by a blocking command from a different connection.", "O(log N) where N is the number of client connections"),
    CMD("kill",    cmd_client_kill,   -3, A | NS | LD | ST, 0, 0, 0, 0, "connection", "2.4.0", "Terminates open connections.", "O(N) where N is the number of client connections"),
    CMD("tracking", cmd_client_tracking, -3, NS | LD | ST, 0, 0, 0, 0, "connection", "6.0.0", "Controls server-assisted client-side caching for the connection.", "O(1). Some options may introduce additional complexity."),
    CMD("caching",  cmd_client_caching,  3, NS | LD | ST, 0, 0, 0, 0, "connection", "6.0.0", "Instructs the server whether to track the keys in the next request.", "O(1)"),
    CMD("getredir", cmd_client_getredir, 2, NS | LD | ST, 0, 0, 0, 0, "connection", "6.0.0", "Returns the client ID to which the connection's tracking notifications are redirected.", "O(1)"),
    CMD("trackinginfo", cmd_client_trackinginfo, 2, NS | LD | ST, 0, 0, 0, 0, "connection", "6.2.0", "Returns information about server-assisted client-side caching for the connection.", "O(1)"),
    CMD("reply",   cmd_client_reply,   3, NS | LD | ST, 0, 0, 0, 0, "connection", "3.2.0", "Instructs the server whether to reply to commands.", "O(1)"),
    CMD("no-evict", cmd_client_no_evict, 3, A | NS | LD | ST, 0, 0, 0, 0, "connection", "7.0.0", "Sets the client eviction mode of the connection.", "O(1)"),
    CMD("no-touch", cmd_client_no_touch, 3, NS | LD | ST, 0, 0, 0, 0, "connection", "7.2.0", "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.", "O(1)"),
    CMD("help",    cmd_client_help,    2, LD | ST, 0, 0, 0, 0, "connection", "5.0.0", "Returns helpful text about the different subcommands.", "O(1)"),
    CMD_END,
};

static struct command command_subcommands[] = {
    CMD("count", cmd_command_count, 2, LD | ST, 0, 0, 0, 0, "server", "2.8.13", "Returns a count of commands.", "O(1)"),
    CMD("info",  cmd_command_info, -2, LD | ST, 0, 0, 0, 0, "server", "2.8.13", "Returns information about one, multiple or all commands.", "O(N) where N is the number of commands to look up"),
    CMD("docs",  cmd_command_docs, -2, LD | ST, 0, 0, 0, 0, "server", "7.0.0", "Returns documentary information about one, multiple or all commands.", "O(N) where N is the number of commands to look up"),
    CMD("list",  cmd_command_list, -2, LD | ST, 0, 0, 0, 0, "server", "7.0.0", "Returns a list of command names.", "O(N) where N is the total number of Redis commands"),
    CMD("getkeys", cmd_command_getkeys, -3, LD | ST, 0, 0, 0, 0, "server", "2.8.13", "Extracts the key names from an arbitrary command.", "O(N) where N is the number of arguments to the command"),
    CMD("getkeysandflags", cmd_command_getkeysandflags, -3, LD | ST, 0, 0, 0, 0, "server", "7.0.0", "Extracts the key names and access flags for an arbitrary command.", "O(N) where N is the number of arguments to the command"),
    CMD("help",  cmd_command_help,  2, LD | ST, 0, 0, 0, 0, "server", "5.0.0", "Returns helpful text about the different subcommands.", "O(1)"),
    CMD_END,
};

static struct command config_subcommands[] = {
    CMD("get",       cmd_config_get,      -3, A | NS | LD | ST, 0, 0, 0, 0, "server", "2.0.0", "Returns the effective values of configuration parameters.", "O(N) when N is the number of configuration parameters provided"),
    CMD("set",       cmd_config_set,      -4, A | NS | LD | ST, 0, 0, 0, 0, "server", "2.0.0", "Sets configuration parameters in-flight.", "O(N) when N is the number of configuration parameters provided"),
    CMD("resetstat", cmd_config_resetstat, 2, A | NS | LD | ST, 0, 0, 0, 0, "server", "2.0.0", "Resets the server's statistics.", "O(1)"),
    CMD("help",      cmd_config_help,      2, LD | ST, 0, 0, 0, 0, "server", "5.0.0", "Returns helpful text about the different subcommands.", "O(1)"),
    CMD_END,
};

static struct command object_subcommands[] = {
    CMD("encoding", cmd_object_encoding, 3, R, 2, 2, 1, KS_RO, "generic", "2.2.3", "Returns the internal encoding of a Redis object.", "O(1)"),
    CMD("freq",     cmd_object_freq,     3, R, 2, 2, 1, KS_RO, "generic", "4.0.0", "Returns the logarithmic access frequency counter of a Redis object.", "O(1)"),
    CMD("idletime", cmd_object_idletime, 3, R, 2, 2, 1, KS_RO, "generic", "2.2.3", "Returns the time since the last access to a Redis object.", "O(1)"),
    CMD("refcount", cmd_object_refcount, 3, R, 2, 2, 1, KS_RO, "generic", "2.2.3", "Returns the reference count of a value of a key.", "O(1)"),
    CMD("help",     cmd_object_help,     2, LD | ST, 0, 0, 0, 0, "generic", "6.2.0", "Returns helpful text about the different subcommands.", "O(1)"),
    CMD_END,
};

static struct command memory_subcommands[] = {
    CMD("usage",        cmd_memory_usage,       -3, R, 2, 2, 1, KS_RO, "server", "4.0.0", "Estimates the memory usage of a key.", "O(N) where N is the number of samples."),
    CMD("stats",        cmd_memory_stats,        2, 0, 0, 0, 0, 0, "server", "4.0.0", "Returns details about memory usage.", "O(1)"),
    CMD("purge",        cmd_memory_purge,        2, 0, 0, 0, 0, 0, "server", "4.0.0", "Asks the allocator to release memory.", "Depends on how much memory is allocated, could be slow"),
    CMD("malloc-stats", cmd_memory_malloc_stats, 2, 0, 0, 0, 0, 0, "server", "4.0.0", "Returns the allocator statistics.", "Depends on how much memory is allocated, could be slow"),
    CMD("help",         cmd_memory_help,         2, LD | ST, 0, 0, 0, 0, "server", "4.0.0", "Returns helpful text about the different subcommands.", "O(1)"),
    CMD_END,
};

static struct command acl_subcommands[] = {
    CMD("whoami", cmd_acl_whoami, 2, NS | LD | ST, 0, 0, 0, 0, "server", "6.0.0", "Returns the authenticated username of the current connection.", "O(1)"),
    CMD_END,
};

/* FUNCTION: the libraries change under the script lock; STATS and KILL
 * run while a function is busy, so they take no lock. */
static struct command function_subcommands[] = {
    CMD("load",   cmd_function_load,   -3, W | M | NS | CMD_LOCK_SCRIPT, 0, 0, 0, 0, "scripting", "7.0.0", "Creates a library.", "O(1) (considering compilation time is redundant)"),
    CMD("list",   cmd_function_list,   -2, NS | CMD_LOCK_SCRIPT, 0, 0, 0, 0, "scripting", "7.0.0", "Returns information about all libraries.", "O(N) where N is the number of functions"),
    CMD("delete", cmd_function_delete,  3, W | NS | CMD_LOCK_SCRIPT, 0, 0, 0, 0, "scripting", "7.0.0", "Deletes a library and its functions.", "O(1)"),
    CMD("flush",  cmd_function_flush,  -2, W | NS | CMD_LOCK_SCRIPT, 0, 0, 0, 0, "scripting", "7.0.0", "Deletes all libraries and functions.", "O(N) where N is the number of functions deleted"),
    CMD("stats",  cmd_function_stats,   2, NS | AB, 0, 0, 0, 0, "scripting", "7.0.0", "Returns information about a function during execution.", "O(1)"),
    CMD("kill",   cmd_function_kill,    2, NS | AB, 0, 0, 0, 0, "scripting", "7.0.0", "Terminates a function during execution.", "O(1)"),
    CMD("dump",    cmd_function_dump,   2, NS | CMD_LOCK_SCRIPT, 0, 0, 0, 0, "scripting", "7.0.0", "Dumps all libraries into a serialized binary payload.", "O(N) where N is the number of functions"),
    CMD("restore", cmd_function_restore, -3, W | M | NS | CMD_LOCK_SCRIPT, 0, 0, 0, 0, "scripting", "7.0.0", "Restores all libraries from a payload.", "O(N) where N is the number of functions on the payload"),
    CMD("help",   cmd_function_help,    2, LD | ST, 0, 0, 0, 0, "scripting", "7.0.0", "Returns helpful text about the different subcommands.", "O(1)"),
    CMD_END,
};

static struct command script_subcommands[] = {
    CMD("load",   cmd_script_load,    3, NS | ST | CMD_LOCK_SCRIPT, 0, 0, 0, 0, "scripting", "2.6.0", "Loads a server-side Lua script to the script cache.", "O(N) with N being the length in bytes of the script body."),
    CMD("exists", cmd_script_exists, -3, NS | CMD_LOCK_SCRIPT, 0, 0, 0, 0, "scripting", "2.6.0", "Determines whether server-side Lua scripts exist in the script cache.", "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation)."),
    CMD("flush",  cmd_script_flush,  -2, NS | CMD_LOCK_SCRIPT, 0, 0, 0, 0, "scripting", "2.6.0", "Removes all server-side Lua scripts from the script cache.", "O(N) with N being the number of scripts in cache"),
    CMD("kill",   cmd_script_kill,    2, NS | AB, 0, 0, 0, 0, "scripting", "2.6.0", "Terminates a server-side Lua script during execution.", "O(1)"),
    CMD("help",   cmd_script_help,    2, LD | ST, 0, 0, 0, 0, "scripting", "5.0.0", "Returns helpful text about the different subcommands.", "O(1)"),
    CMD_END,
};

static struct command pubsub_subcommands[] = {
    CMD("channels", cmd_pubsub_channels, -2, CMD_PUBSUB | LD | ST, 0, 0, 0, 0, "pubsub", "2.8.0", "Returns the active channels.", "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)"),
    CMD("numsub",   cmd_pubsub_numsub,   -2, CMD_PUBSUB | LD | ST, 0, 0, 0, 0, "pubsub", "2.8.0", "Returns a count of subscribers to channels.", "O(N) for the NUMSUB subcommand, where N is the number of requested channels"),
    CMD("numpat",   cmd_pubsub_numpat,    2, CMD_PUBSUB | LD | ST, 0, 0, 0, 0, "pubsub", "2.8.0", "Returns a count of unique pattern subscriptions.", "O(1)"),
    CMD("help",     cmd_pubsub_help,      2, LD | ST, 0, 0, 0, 0, "pubsub", "6.2.0", "Returns helpful text about the different subcommands.", "O(1)"),
    CMD_END,
};

static struct command command_table[] = {
    /* Strings */
    CMD("get", cmd_get, 2, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "string", "1.0.0", "Returns the string value of a key.", "O(1)"),
    CMD("set", cmd_set, -3, W | M, 1, 1, 1, KS_RW | KS_ACCESS | KS_UPDATE | KS_VARIABLE_FLAGS, "string", "1.0.0", "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.", "O(1)"),
    CMD("setnx", cmd_setnx, 3, W | M | F, 1, 1, 1, KS_OW | KS_INSERT, "string", "1.0.0", "Set the string value of a key only when the key doesn't exist.", "O(1)"),
    CMD("setex", cmd_setex, 4, W | M, 1, 1, 1, KS_OW | KS_UPDATE, "string", "2.0.0", "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.", "O(1)"),
    CMD("psetex", cmd_psetex, 4, W | M, 1, 1, 1, KS_OW | KS_UPDATE, "string", "2.6.0", "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.", "O(1)"),
    CMD("getset", cmd_getset, 3, W | M | F, 1, 1, 1, KS_RW | KS_ACCESS | KS_UPDATE, "string", "1.0.0", "Returns the previous string value of a key after setting it to a new value.", "O(1)"),
    CMD("getdel", cmd_getdel, 2, W | F, 1, 1, 1, KS_RW | KS_ACCESS | KS_DELETE, "string", "6.2.0", "Returns the string value of a key after deleting the key.", "O(1)"),
    CMD("getex", cmd_getex, -2, W | F, 1, 1, 1, KS_RW | KS_ACCESS | KS_UPDATE, "string", "6.2.0", "Returns the string value of a key after setting its expiration time.", "O(1)"),
    CMD("mget", cmd_mget, -2, R | F, 1, -1, 1, KS_RO | KS_ACCESS, "string", "1.0.0", "Atomically returns the string values of one or more keys.", "O(N) where N is the number of keys to retrieve."),
    CMD("mset", cmd_mset, -3, W | M, 1, -1, 2, KS_OW | KS_UPDATE, "string", "1.0.1", "Atomically creates or modifies the string values of one or more keys.", "O(N) where N is the number of keys to set."),
    CMD("msetnx", cmd_msetnx, -3, W | M, 1, -1, 2, KS_OW | KS_INSERT, "string", "1.0.1", "Atomically modifies the string values of one or more keys only when all keys don't exist.", "O(N) where N is the number of keys to set."),
    CMD("append", cmd_append, 3, W | M | F, 1, 1, 1, KS_RW | KS_INSERT, "string", "2.0.0", "Appends a string to the value of a key. Creates the key if it doesn't exist.", "O(1)."),
    CMD("strlen", cmd_strlen, 2, R | F, 1, 1, 1, KS_RO, "string", "2.2.0", "Returns the length of a string value.", "O(1)"),
    CMD("incr", cmd_incr, 2, W | M | F, 1, 1, 1, KS_RW | KS_ACCESS | KS_UPDATE, "string", "1.0.0", "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.", "O(1)"),
    CMD("decr", cmd_decr, 2, W | M | F, 1, 1, 1, KS_RW | KS_ACCESS | KS_UPDATE, "string", "1.0.0", "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.", "O(1)"),
    CMD("incrby", cmd_incrby, 3, W | M | F, 1, 1, 1, KS_RW | KS_ACCESS | KS_UPDATE, "string", "1.0.0", "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.", "O(1)"),
    CMD("decrby", cmd_decrby, 3, W | M | F, 1, 1, 1, KS_RW | KS_ACCESS | KS_UPDATE, "string", "1.0.0", "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.", "O(1)"),
    CMD("incrbyfloat", cmd_incrbyfloat, 3, W | M | F, 1, 1, 1, KS_RW | KS_ACCESS | KS_UPDATE, "string", "2.6.0", "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.", "O(1)"),
    CMD("getrange", cmd_getrange, 4, R, 1, 1, 1, KS_RO | KS_ACCESS, "string", "2.4.0", "Returns a substring of the string stored at a key.", "O(N) where N is the length of the returned string."),
    CMD("substr", cmd_getrange, 4, R, 1, 1, 1, KS_RO | KS_ACCESS, "string", "1.0.0", "Returns a substring from a string value.", "O(N) where N is the length of the returned string."),
    CMD("setrange", cmd_setrange, 4, W | M, 1, 1, 1, KS_RW | KS_UPDATE, "string", "2.2.0", "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.", "O(1), not counting the time taken to copy the new string in place."),
    CMD("lcs", cmd_lcs, -3, R, 1, 2, 1, KS_RO | KS_ACCESS, "string", "7.0.0", "Finds the longest common substring.", "O(N*M) where N and M are the lengths of s1 and s2, respectively"),
    CMD("setbit", cmd_setbit, 4, W | M, 1, 1, 1, KS_RW | KS_ACCESS | KS_UPDATE, "bitmap", "2.2.0", "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.", "O(1)"),
    CMD("getbit", cmd_getbit, 3, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "bitmap", "2.2.0", "Returns a bit value by offset.", "O(1)"),
    CMD("bitcount", cmd_bitcount, -2, R, 1, 1, 1, KS_RO | KS_ACCESS, "bitmap", "2.6.0", "Counts the number of set bits (population counting) in a string.", "O(N)"),
    CMD("bitpos", cmd_bitpos, -3, R, 1, 1, 1, KS_RO | KS_ACCESS, "bitmap", "2.8.7", "Finds the first set (1) or clear (0) bit in a string.", "O(N)"),
    CMD("bitop", cmd_bitop, -4, W | M, 2, -1, 1, KS2(KS_OW | KS_UPDATE, KS_RO | KS_ACCESS), "bitmap", "2.6.0", "Performs bitwise operations on multiple strings, and stores the result.", "O(N)"),
    CMD("bitfield", cmd_bitfield, -2, W | M, 1, 1, 1, KS_RW | KS_UPDATE | KS_ACCESS | KS_VARIABLE_FLAGS, "bitmap", "3.2.0", "Performs arbitrary bitfield integer operations on strings.", "O(1) for each subcommand specified"),
    CMD("bitfield_ro", cmd_bitfield_ro, -2, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "bitmap", "6.0.0", "Performs arbitrary read-only bitfield integer operations on strings.", "O(1) for each subcommand specified"),

    /* Hashes */
    CMD("hset", cmd_hset, -4, W | M | F, 1, 1, 1, KS_RW | KS_UPDATE, "hash", "2.0.0", "Creates or modifies the value of a field in a hash.", "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs."),
    CMD("hsetnx", cmd_hsetnx, 4, W | M | F, 1, 1, 1, KS_RW | KS_INSERT, "hash", "2.0.0", "Sets the value of a field in a hash only when the field doesn't exist.", "O(1)"),
    CMD("hmset", cmd_hmset, -4, W | M | F, 1, 1, 1, KS_RW | KS_UPDATE, "hash", "2.0.0", "Sets the values of multiple fields.", "O(N) where N is the number of fields being set."),
    CMD("hget", cmd_hget, 3, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "hash", "2.0.0", "Returns the value of a field in a hash.", "O(1)"),
    CMD("hmget", cmd_hmget, -3, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "hash", "2.0.0", "Returns the values of all fields in a hash.", "O(N) where N is the number of fields being requested."),
    CMD("hdel", cmd_hdel, -3, W | F, 1, 1, 1, KS_RW | KS_DELETE, "hash", "2.0.0", "Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.", "O(N) where N is the number of fields to be removed."),
    CMD("hlen", cmd_hlen, 2, R | F, 1, 1, 1, KS_RO, "hash", "2.0.0", "Returns the number of fields in a hash.", "O(1)"),
    CMD("hstrlen", cmd_hstrlen, 3, R | F, 1, 1, 1, KS_RO, "hash", "3.2.0", "Returns the length of the value of a field.", "O(1)"),
    CMD("hexists", cmd_hexists, 3, R | F, 1, 1, 1, KS_RO, "hash", "2.0.0", "Determines whether a field exists in a hash.", "O(1)"),
    CMD("hincrby", cmd_hincrby, 4, W | M | F, 1, 1, 1, KS_RW | KS_ACCESS | KS_UPDATE, "hash", "2.0.0", "Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn't exist.", "O(1)"),
    CMD("hincrbyfloat", cmd_hincrbyfloat, 4, W | M | F, 1, 1, 1, KS_RW | KS_ACCESS | KS_UPDATE, "hash", "2.6.0", "Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn't exist.", "O(1)"),
    CMD("hkeys", cmd_hkeys, 2, R, 1, 1, 1, KS_RO | KS_ACCESS, "hash", "2.0.0", "Returns all fields in a hash.", "O(N) where N is the size of the hash."),
    CMD("hvals", cmd_hvals, 2, R, 1, 1, 1, KS_RO | KS_ACCESS, "hash", "2.0.0", "Returns all values in a hash.", "O(N) where N is the size of the hash."),
    CMD("hgetall", cmd_hgetall, 2, R, 1, 1, 1, KS_RO | KS_ACCESS, "hash", "2.0.0", "Returns all fields and values in a hash.", "O(N) where N is the size of the hash."),
    CMD("hscan", cmd_hscan, -3, R, 1, 1, 1, KS_RO | KS_ACCESS, "hash", "2.8.0", "Iterates over fields and values of a hash.", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection."),
    CMD("hrandfield", cmd_hrandfield, -2, R, 1, 1, 1, KS_RO | KS_ACCESS, "hash", "6.2.0", "Returns one or more random fields from a hash.", "O(N) where N is the number of fields returned"),
    CMD("hexpire", cmd_hexpire, -6, W | M | F, 1, 1, 1, KS_RW | KS_UPDATE, "hash", "7.4.0", "Set expiry for hash field using relative time to expire (seconds)", "O(N) where N is the number of specified fields"),
    CMD("hpexpire", cmd_hpexpire, -6, W | M | F, 1, 1, 1, KS_RW | KS_UPDATE, "hash", "7.4.0", "Set expiry for hash field using relative time to expire (milliseconds)", "O(N) where N is the number of specified fields"),
    CMD("hexpireat", cmd_hexpireat, -6, W | M | F, 1, 1, 1, KS_RW | KS_UPDATE, "hash", "7.4.0", "Set expiry for hash field using an absolute Unix timestamp (seconds)", "O(N) where N is the number of specified fields"),
    CMD("hpexpireat", cmd_hpexpireat, -6, W | M | F, 1, 1, 1, KS_RW | KS_UPDATE, "hash", "7.4.0", "Set expiry for hash field using an absolute Unix timestamp (milliseconds)", "O(N) where N is the number of specified fields"),
    CMD("httl", cmd_httl, -5, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "hash", "7.4.0", "Returns the TTL in seconds of a hash field.", "O(N) where N is the number of specified fields"),
    CMD("hpttl", cmd_hpttl, -5, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "hash", "7.4.0", "Returns the TTL in milliseconds of a hash field.", "O(N) where N is the number of specified fields"),
    CMD("hexpiretime", cmd_hexpiretime, -5, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "hash", "7.4.0", "Returns the expiration time of a hash field as a Unix timestamp, in seconds.", "O(N) where N is the number of specified fields"),
    CMD("hpexpiretime", cmd_hpexpiretime, -5, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "hash", "7.4.0", "Returns the expiration time of a hash field as a Unix timestamp, in msec.", "O(N) where N is the number of specified fields"),
    CMD("hpersist", cmd_hpersist, -5, W | F, 1, 1, 1, KS_RW | KS_UPDATE, "hash", "7.4.0", "Removes the expiration time for each specified field", "O(N) where N is the number of specified fields"),

    /* Sets */
    CMD("sadd", cmd_sadd, -3, W | M | F, 1, 1, 1, KS_RW | KS_INSERT, "set", "1.0.0", "Adds one or more members to a set. Creates the key if it doesn't exist.", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."),
    CMD("srem", cmd_srem, -3, W | F, 1, 1, 1, KS_RW | KS_DELETE, "set", "1.0.0", "Removes one or more members from a set. Deletes the set if the last member was removed.", "O(N) where N is the number of members to be removed."),
    CMD("sismember", cmd_sismember, 3, R | F, 1, 1, 1, KS_RO, "set", "1.0.0", "Determines whether a member belongs to a set.", "O(1)"),
    CMD("smismember", cmd_smismember, -3, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "set", "6.2.0", "Determines whether multiple members belong to a set.", "O(N) where N is the number of elements being checked for membership"),
    CMD("scard", cmd_scard, 2, R | F, 1, 1, 1, KS_RO, "set", "1.0.0", "Returns the number of members in a set.", "O(1)"),
    CMD("smembers", cmd_smembers, 2, R, 1, 1, 1, KS_RO | KS_ACCESS, "set", "1.0.0", "Returns all members of a set.", "O(N) where N is the set cardinality."),
    CMD("spop", cmd_spop, -2, W | F, 1, 1, 1, KS_RW | KS_ACCESS | KS_DELETE, "set", "1.0.0", "Returns one or more random members from a set after removing them. Deletes the set if the last member was popped.", "Without the count argument O(1), otherwise O(N) where N is the value of the passed count."),
    CMD("srandmember", cmd_srandmember, -2, R, 1, 1, 1, KS_RO | KS_ACCESS, "set", "1.0.0", "Get one or multiple random members from a set", "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count."),
    CMD("smove", cmd_smove, 4, W | F, 1, 2, 1, KS2(KS_RW | KS_ACCESS | KS_DELETE, KS_RW | KS_INSERT), "set", "1.0.0", "Moves a member from one set to another.", "O(1)"),
    CMD("sinter", cmd_sinter, -2, R, 1, -1, 1, KS_RO | KS_ACCESS, "set", "1.0.0", "Returns the intersect of multiple sets.", "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets."),
    CMDK("sintercard", cmd_sintercard, -3, R, 1, KS_RO | KS_ACCESS, "set", "7.0.0", "Returns the number of members of the intersect of multiple sets.", "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets."),
    CMD("sinterstore", cmd_sinterstore, -3, W | M, 1, -1, 1, KS2(KS_OW | KS_UPDATE, KS_RO | KS_ACCESS), "set", "1.0.0", "Stores the intersect of multiple sets in a key.", "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets."),
    CMD("sunion", cmd_sunion, -2, R, 1, -1, 1, KS_RO | KS_ACCESS, "set", "1.0.0", "Returns the union of multiple sets.", "O(N) where N is the total number of elements in all given sets."),
    CMD("sunionstore", cmd_sunionstore, -3, W | M, 1, -1, 1, KS2(KS_OW | KS_UPDATE, KS_RO | KS_ACCESS), "set", "1.0.0", "Stores the union of multiple sets in a key.", "O(N) where N is the total number of elements in all given sets."),
    CMD("sdiff", cmd_sdiff, -2, R, 1, -1, 1, KS_RO | KS_ACCESS, "set", "1.0.0", "Returns the difference of multiple sets.", "O(N) where N is the total number of elements in all given sets."),
    CMD("sdiffstore", cmd_sdiffstore, -3, W | M, 1, -1, 1, KS2(KS_OW | KS_UPDATE, KS_RO | KS_ACCESS), "set", "1.0.0", "Stores the difference of multiple sets in a key.", "O(N) where N is the total number of elements in all given sets."),
    CMD("sscan", cmd_sscan, -3, R, 1, 1, 1, KS_RO | KS_ACCESS, "set", "2.8.0", "Iterates over members of a set.", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection."),

    /* Sorted sets */
    CMD("zadd", cmd_zadd, -4, W | M | F, 1, 1, 1, KS_RW | KS_UPDATE, "sorted-set", "1.2.0", "Adds one or more members to a sorted set, or updates their scores. Creates the key if it doesn't exist.", "O(log(N)) for each item added, where N is the number of elements in the sorted set."),
    CMD("zincrby", cmd_zincrby, 4, W | M | F, 1, 1, 1, KS_RW | KS_ACCESS | KS_UPDATE, "sorted-set", "1.2.0", "Increments the score of a member in a sorted set.", "O(log(N)) where N is the number of elements in the sorted set."),
    CMD("zrem", cmd_zrem, -3, W | F, 1, 1, 1, KS_RW | KS_DELETE, "sorted-set", "1.2.0", "Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.", "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed."),
    CMD("zcard", cmd_zcard, 2, R | F, 1, 1, 1, KS_RO, "sorted-set", "1.2.0", "Returns the number of members in a sorted set.", "O(1)"),
    CMD("zscore", cmd_zscore, 3, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "sorted-set", "1.2.0", "Returns the score of a member in a sorted set.", "O(1)"),
    CMD("zmscore", cmd_zmscore, -3, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "sorted-set", "6.2.0", "Returns the score of one or more members in a sorted set.", "O(N) where N is the number of members being requested."),
    CMD("zrank", cmd_zrank, -3, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "sorted-set", "2.0.0", "Returns the index of a member in a sorted set ordered by ascending scores.", "O(log(N))"),
    CMD("zrevrank", cmd_zrevrank, -3, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "sorted-set", "2.0.0", "Returns the index of a member in a sorted set ordered by descending scores.", "O(log(N))"),
    CMD("zcount", cmd_zcount, 4, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "sorted-set", "2.0.0", "Returns the count of members in a sorted set that have scores within a range.", "O(log(N)) with N being the number of elements in the sorted set."),
    CMD("zlexcount", cmd_zlexcount, 4, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "sorted-set", "2.8.9", "Returns the number of members in a sorted set within a lexicographical range.", "O(log(N)) with N being the number of elements in the sorted set."),
    CMD("zrange", cmd_zrange, -4, R, 1, 1, 1, KS_RO | KS_ACCESS, "sorted-set", "1.2.0", "Returns members in a sorted set within a range of indexes.", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned."),
    CMD("zrangestore", cmd_zrangestore, -5, W | M, 1, 2, 1, KS2(KS_OW | KS_UPDATE, KS_RO | KS_ACCESS), "sorted-set", "6.2.0", "Stores a range of members from sorted set in a key.", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key."),
    CMD("zrangebyscore", cmd_zrangebyscore, -4, R, 1, 1, 1, KS_RO | KS_ACCESS, "sorted-set", "1.0.5", "Returns members in a sorted set within a range of scores.", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N))."),
    CMD("zrevrangebyscore", cmd_zrevrangebyscore, -4, R, 1, 1, 1, KS_RO | KS_ACCESS, "sorted-set", "2.2.0", "Returns members in a sorted set within a range of scores in reverse order.", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N))."),
    CMD("zrangebylex", cmd_zrangebylex, -4, R, 1, 1, 1, KS_RO | KS_ACCESS, "sorted-set", "2.8.9", "Returns members in a sorted set within a lexicographical range.", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N))."),
    CMD("zrevrangebylex", cmd_zrevrangebylex, -4, R, 1, 1, 1, KS_RO | KS_ACCESS, "sorted-set", "2.8.9", "Returns members in a sorted set within a lexicographical range in reverse order.", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N))."),
    CMD("zrevrange", cmd_zrevrange, -4, R, 1, 1, 1, KS_RO | KS_ACCESS, "sorted-set", "1.2.0", "Returns members in a sorted set within a range of indexes in reverse order.", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned."),
    CMD("zremrangebyrank", cmd_zremrangebyrank, 4, W, 1, 1, 1, KS_RW | KS_DELETE, "sorted-set", "2.0.0", "Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation."),
    CMD("zremrangebyscore", cmd_zremrangebyscore, 4, W, 1, 1, 1, KS_RW | KS_DELETE, "sorted-set", "1.2.0", "Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation."),
    CMD("zremrangebylex", cmd_zremrangebylex, 4, W, 1, 1, 1, KS_RW | KS_DELETE, "sorted-set", "2.8.9", "Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation."),
    CMD("zpopmin", cmd_zpopmin, -2, W | F, 1, 1, 1, KS_RW | KS_ACCESS | KS_DELETE, "sorted-set", "5.0.0", "Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.", "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped."),
    CMD("zpopmax", cmd_zpopmax, -2, W | F, 1, 1, 1, KS_RW | KS_ACCESS | KS_DELETE, "sorted-set", "5.0.0", "Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.", "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped."),
    CMDK("zmpop", cmd_zmpop, -4, W, 1, KS_RW | KS_ACCESS | KS_DELETE, "sorted-set", "7.0.0", "Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped."),
    CMD("bzpopmin", cmd_bzpopmin, -3, W | BL | F, 1, -2, 1, KS_RW | KS_ACCESS | KS_DELETE, "sorted-set", "5.0.0", "Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.", "O(log(N)) with N being the number of elements in the sorted set."),
    CMD("bzpopmax", cmd_bzpopmax, -3, W | BL | F, 1, -2, 1, KS_RW | KS_ACCESS | KS_DELETE, "sorted-set", "5.0.0", "Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise.  Deletes the sorted set if the last element was popped.", "O(log(N)) with N being the number of elements in the sorted set."),
    CMDK("bzmpop", cmd_bzmpop, -5, W | BL, 2, KS_RW | KS_ACCESS | KS_DELETE, "sorted-set", "7.0.0", "Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped."),
    CMD("zrandmember", cmd_zrandmember, -2, R, 1, 1, 1, KS_RO | KS_ACCESS, "sorted-set", "6.2.0", "Returns one or more random members from a sorted set.", "O(N) where N is the number of members returned"),
    CMD("zscan", cmd_zscan, -3, R, 1, 1, 1, KS_RO | KS_ACCESS, "sorted-set", "2.8.0", "Iterates over members and scores of a sorted set.", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection."),
    CMDK("zunion", cmd_zunion, -3, R, 1, KS_RO | KS_ACCESS, "sorted-set", "6.2.0", "Returns the union of multiple sorted sets.", "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set."),
    CMDK("zinter", cmd_zinter, -3, R, 1, KS_RO | KS_ACCESS, "sorted-set", "6.2.0", "Returns the intersect of multiple sorted sets.", "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set."),
    CMDK("zdiff", cmd_zdiff, -3, R, 1, KS_RO | KS_ACCESS, "sorted-set", "6.2.0", "Returns the difference between multiple sorted sets.", "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set."),
    CMDKD("zunionstore", cmd_zunionstore, -4, W | M, 1, 2, KS2(KS_OW | KS_UPDATE, KS_RO | KS_ACCESS), "sorted-set", "2.0.0", "Stores the union of multiple sorted sets in a key.", "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set."),
    CMDKD("zinterstore", cmd_zinterstore, -4, W | M, 1, 2, KS2(KS_OW | KS_UPDATE, KS_RO | KS_ACCESS), "sorted-set", "2.0.0", "Stores the intersect of multiple sorted sets in a key.", "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set."),
    CMDKD("zdiffstore", cmd_zdiffstore, -4, W | M, 1, 2, KS2(KS_OW | KS_UPDATE, KS_RO | KS_ACCESS), "sorted-set", "6.2.0", "Stores the difference of multiple sorted sets in a key.", "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set."),
    CMDK("zintercard", cmd_zintercard, -3, R, 1, KS_RO | KS_ACCESS, "sorted-set", "7.0.0", "Returns the number of members of the intersect of multiple sorted sets.", "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets."),

    /* Lists */
    CMD("lpush", cmd_lpush, -3, W | M | F, 1, 1, 1, KS_RW | KS_INSERT, "list", "1.0.0", "Prepends one or more elements to a list. Creates the key if it doesn't exist.", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."),
    CMD("rpush", cmd_rpush, -3, W | M | F, 1, 1, 1, KS_RW | KS_INSERT, "list", "1.0.0", "Appends one or more elements to a list. Creates the key if it doesn't exist.", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."),
    CMD("lpushx", cmd_lpushx, -3, W | M | F, 1, 1, 1, KS_RW | KS_INSERT, "list", "2.2.0", "Prepends one or more elements to a list only when the list exists.", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."),
    CMD("rpushx", cmd_rpushx, -3, W | M | F, 1, 1, 1, KS_RW | KS_INSERT, "list", "2.2.0", "Appends an element to a list only when the list exists.", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."),
    CMD("lpop", cmd_lpop, -2, W | F, 1, 1, 1, KS_RW | KS_ACCESS | KS_DELETE, "list", "1.0.0", "Returns the first elements in a list after removing it. Deletes the list if the last element was popped.", "O(N) where N is the number of elements returned"),
    CMD("rpop", cmd_rpop, -2, W | F, 1, 1, 1, KS_RW | KS_ACCESS | KS_DELETE, "list", "1.0.0", "Returns and removes the last elements of a list. Deletes the list if the last element was popped.", "O(N) where N is the number of elements returned"),
    CMDK("lmpop", cmd_lmpop, -4, W, 1, KS_RW | KS_ACCESS | KS_DELETE, "list", "7.0.0", "Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.", "O(N+M) where N is the number of provided keys and M is the number of elements returned."),
    CMD("llen", cmd_llen, 2, R | F, 1, 1, 1, KS_RO, "list", "1.0.0", "Returns the length of a list.", "O(1)"),
    CMD("lrange", cmd_lrange, 4, R, 1, 1, 1, KS_RO | KS_ACCESS, "list", "1.0.0", "Returns a range of elements from a list.", "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range."),
    CMD("lindex", cmd_lindex, 3, R, 1, 1, 1, KS_RO | KS_ACCESS, "list", "1.0.0", "Returns an element from a list by its index.", "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1)."),
    CMD("lset", cmd_lset, 4, W | M, 1, 1, 1, KS_RW | KS_UPDATE, "list", "1.0.0", "Sets the value of an element in a list by its index.", "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1)."),
    CMD("linsert", cmd_linsert, 5, W | M, 1, 1, 1, KS_RW | KS_INSERT, "list", "2.2.0", "Inserts an element before or after another element in a list.", "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N)."),
    CMD("lrem", cmd_lrem, 4, W, 1, 1, 1, KS_RW | KS_DELETE, "list", "1.0.0", "Removes elements from a list. Deletes the list if the last element was removed.", "O(N+M) where N is the length of the list and M is the number of elements removed."),
    CMD("ltrim", cmd_ltrim, 4, W, 1, 1, 1, KS_RW | KS_DELETE, "list", "1.0.0", "Removes elements from both ends a list. Deletes the list if all elements were trimmed.", "O(N) where N is the number of elements to be removed by the operation."),
    CMD("lpos", cmd_lpos, -3, R, 1, 1, 1, KS_RO | KS_ACCESS, "list", "6.0.6", "Returns the index of matching elements in a list.", "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time."),
    CMD("lmove", cmd_lmove, 5, W | M, 1, 2, 1, KS2(KS_RW | KS_ACCESS | KS_DELETE, KS_RW | KS_INSERT), "list", "6.2.0", "Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.", "O(1)"),
    CMD("rpoplpush", cmd_rpoplpush, 3, W | M, 1, 2, 1, KS2(KS_RW | KS_ACCESS | KS_DELETE, KS_RW | KS_INSERT), "list", "1.2.0", "Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.", "O(1)"),
CMD("blpop", cmd_blpop, -3, W | BL, 1, -2, 1, KS_RW | KS_ACCESS | KS_DELETE, "list", "2.0.0", "Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", "O(N) where N is the number of provided keys."),
    CMD("brpop", cmd_brpop, -3, W | BL, 1, -2, 1, KS_RW | KS_ACCESS | KS_DELETE, "list", "2.0.0", "Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", "O(N) where N is the number of provided keys."),
    CMD("blmove", cmd_blmove, 6, W | M | BL, 1, 2, 1, KS2(KS_RW | KS_ACCESS | KS_DELETE, KS_RW | KS_INSERT), "list", "6.2.0", "Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.", "O(1)"),
    CMD("brpoplpush", cmd_brpoplpush, 4, W | M | BL, 1, 2, 1, KS2(KS_RW | KS_ACCESS | KS_DELETE, KS_RW | KS_INSERT), "list", "2.2.0", "Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.", "O(1)"),
    CMDK("blmpop", cmd_blmpop, -5, W | BL, 2, KS_RW | KS_ACCESS | KS_DELETE, "list", "7.0.0", "Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.", "O(N+M) where N is the number of provided keys and M is the number of elements returned."),

    /* Keys */
    CMD("del", cmd_del, -2, W, 1, -1, 1, KS_RM | KS_DELETE, "generic", "1.0.0", "Deletes one or more keys.", "O(N) where N is the number of keys that will be removed."),
    CMD("unlink", cmd_unlink, -2, W | F, 1, -1, 1, KS_RM | KS_DELETE, "generic", "4.0.0", "Asynchronously deletes one or more keys.", "O(1) for each key removed regardless of its size."),
    CMD("exists", cmd_exists, -2, R | F, 1, -1, 1, KS_RO, "generic", "1.0.0", "Determines whether one or more keys exist.", "O(N) where N is the number of keys to check."),
    CMD("type", cmd_type, 2, R | F, 1, 1, 1, KS_RO, "generic", "1.0.0", "Determines the type of value stored at a key.", "O(1)"),
    CMD("touch", cmd_touch, -2, R | F, 1, -1, 1, KS_RO, "generic", "3.2.1", "Returns the number of existing keys out of those specified after updating the time they were last accessed.", "O(N) where N is the number of keys that will be touched."),
    CMD("rename", cmd_rename, 3, W, 1, 2, 1, KS2(KS_RW | KS_ACCESS | KS_DELETE, KS_OW | KS_UPDATE), "generic", "1.0.0", "Renames a key and overwrites the destination.", "O(1)"),
    CMD("renamenx", cmd_renamenx, 3, W | F, 1, 2, 1, KS2(KS_RW | KS_ACCESS | KS_DELETE, KS_OW | KS_INSERT), "generic", "1.0.0", "Renames a key only when the target key name doesn't exist.", "O(1)"),
    CMD("copy", cmd_copy, -3, W | M | CMD_LOCK_ALL, 1, 2, 1, KS2(KS_RO | KS_ACCESS, KS_OW | KS_UPDATE), "generic", "6.2.0", "Copies the value of a key to a new key.", "O(N) worst case for collections, where N is the number of nested items. O(1) for string values."),
    CMD("move", cmd_move, 3, W | F | CMD_LOCK_ALL, 1, 1, 1, KS_RW | KS_ACCESS | KS_UPDATE, "generic", "1.0.0", "Moves a key to another database.", "O(1)"),
    CONTAINER("object", NULL, -2, 0, "generic", "2.2.3", "A container for object introspection commands.", "Depends on subcommand.", object_subcommands),
    CMD("keys", cmd_keys, 2, R | CMD_LOCK_DB, 0, 0, 0, 0, "generic", "1.0.0", "Returns all key names that match a pattern.", "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length."),
    CMD("scan", cmd_scan, -2, R | CMD_LOCK_DB, 0, 0, 0, 0, "generic", "2.8.0", "Iterates over the key names in the database.", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection."),
    CMD("randomkey", cmd_randomkey, 1, R | CMD_LOCK_DB, 0, 0, 0, 0, "generic", "1.0.0", "Returns a random key name from the database.", "O(1)"),
    /* SORT's BY and GET patterns read keys named by the elements: lock the whole database. */
    CMD("sort", cmd_sort, -2, W | M | CMD_MOVABLE_KEYS | CMD_LOCK_DB, 1, 1, 1, KS_RO | KS_ACCESS, "generic", "1.0.0", "Sorts the elements in a list, a set, or a sorted set, optionally storing the result.", "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N)."),
    CMD("sort_ro", cmd_sort_ro, -2, R | CMD_MOVABLE_KEYS | CMD_LOCK_DB, 1, 1, 1, KS_RO | KS_ACCESS, "generic", "7.0.0", "Returns the sorted elements of a list, a set, or a sorted set.", "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N)."),
    CMD("dbsize", cmd_dbsize, 1, R | F | CMD_LOCK_DB, 0, 0, 0, 0, "server", "1.0.0", "Returns the number of keys in the database.", "O(1)"),
    CMD("flushdb", cmd_flushdb, -1, W | CMD_LOCK_DB, 0, 0, 0, 0, "server", "1.0.0", "Remove all keys from the current database.", "O(N) where N is the number of keys in the selected database"),
    CMD("flushall", cmd_flushall, -1, W | CMD_LOCK_ALL, 0, 0, 0, 0, "server", "1.0.0", "Removes all keys from all databases.", "O(N) where N is the total number of keys in all databases"),
    CMD("select", cmd_select, 2, LD | ST | F | CMD_SWITCHES_DB, 0, 0, 0, 0, "connection", "1.0.0", "Changes the selected database.", "O(1)"),
    CMD("swapdb", cmd_swapdb, 3, W | F | CMD_LOCK_ALL, 0, 0, 0, 0, "server", "4.0.0", "Swaps two Redis databases.", "O(N) where N is the count of clients watching or blocking on keys from both databases."),

    /* Expiry */
    CMD("expire", cmd_expire, -3, W | F, 1, 1, 1, KS_RW | KS_UPDATE, "generic", "1.0.0", "Sets the expiration time of a key in seconds.", "O(1)"),
    CMD("pexpire", cmd_pexpire, -3, W | F, 1, 1, 1, KS_RW | KS_UPDATE, "generic", "2.6.0", "Sets the expiration time of a key in milliseconds.", "O(1)"),
    CMD("expireat", cmd_expireat, -3, W | F, 1, 1, 1, KS_RW | KS_UPDATE, "generic", "1.2.0", "Sets the expiration time of a key to a Unix timestamp.", "O(1)"),
    CMD("pexpireat", cmd_pexpireat, -3, W | F, 1, 1, 1, KS_RW | KS_UPDATE, "generic", "2.6.0", "Sets the expiration time of a key to a Unix milliseconds timestamp.", "O(1)"),
    CMD("ttl", cmd_ttl, 2, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "generic", "1.0.0", "Returns the expiration time in seconds of a key.", "O(1)"),
    CMD("pttl", cmd_pttl, 2, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "generic", "2.6.0", "Returns the expiration time in milliseconds of a key.", "O(1)"),
    CMD("expiretime", cmd_expiretime, 2, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "generic", "7.0.0", "Returns the expiration time of a key as a Unix timestamp.", "O(1)"),
    CMD("pexpiretime", cmd_pexpiretime, 2, R | F, 1, 1, 1, KS_RO | KS_ACCESS, "generic", "7.0.0", "Returns the expiration time of a key as a Unix milliseconds timestamp.", "O(1)"),
    CMD("persist", cmd_persist, 2, W | F, 1, 1, 1, KS_RW | KS_UPDATE, "generic", "2.2.0", "Removes the expiration time of a key.", "O(1)"),

    /* Pub/sub */
    CMD("subscribe", cmd_subscribe, -2, CMD_PUBSUB | NS | LD | ST | SB, 0, 0, 0, 0, "pubsub", "2.0.0", "Listens for messages published to channels.", "O(N) where N is the number of channels to subscribe to."),
    CMD("unsubscribe", cmd_unsubscribe, -1, CMD_PUBSUB | NS | LD | ST | SB, 0, 0, 0, 0, "pubsub", "2.0.0", "Stops listening to messages posted to channels.", "O(N) where N is the number of channels to unsubscribe."),
    CMD("psubscribe", cmd_psubscribe, -2, CMD_PUBSUB | NS | LD | ST | SB, 0, 0, 0, 0, "pubsub", "2.0.0", "Listens for messages published to channels that match one or more patterns.", "O(N) where N is the number of patterns to subscribe to."),
    CMD("punsubscribe", cmd_punsubscribe, -1, CMD_PUBSUB | NS | LD | ST | SB, 0, 0, 0, 0, "pubsub", "2.0.0", "Stops listening to messages published to channels that match one or more patterns.", "O(N) where N is the number of patterns to unsubscribe."),
    CMD("publish", cmd_publish, 3, CMD_PUBSUB | LD | ST | F | MR, 0, 0, 0, 0, "pubsub", "2.0.0", "Posts a message to a channel.", "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client)."),
    CONTAINER("pubsub", NULL, -2, 0, "pubsub", "2.8.0", "A container for Pub/Sub commands.", "Depends on subcommand.", pubsub_subcommands),

    /* Scripting */
    CMDK("eval", cmd_eval, -3, SCRIPT_FLAGS | ST | MR, 2, KS_RW | KS_ACCESS | KS_UPDATE, "scripting", "2.6.0", "Executes a server-side Lua script.", "Depends on the script that is executed."),
    CMDK("evalsha", cmd_evalsha, -3, SCRIPT_FLAGS | ST | MR, 2, KS_RW | KS_ACCESS | KS_UPDATE, "scripting", "2.6.0", "Executes a server-side Lua script by SHA1 digest.", "Depends on the script that is executed."),
    CMDK("eval_ro", cmd_eval_ro, -3, SCRIPT_FLAGS | R | ST, 2, KS_RO | KS_ACCESS, "scripting", "7.0.0", "Executes a read-only server-side Lua script.", "Depends on the script that is executed."),
    CMDK("evalsha_ro", cmd_evalsha_ro, -3, SCRIPT_FLAGS | R | ST, 2, KS_RO | KS_ACCESS, "scripting", "7.0.0", "Executes a read-only server-side Lua script by SHA1 digest.", "Depends on the script that is executed."),
    CMDK("fcall", cmd_fcall, -3, SCRIPT_FLAGS | ST | MR, 2, KS_RW | KS_ACCESS | KS_UPDATE, "scripting", "7.0.0", "Invokes a function.", "Depends on the function that is executed."),
    CMDK("fcall_ro", cmd_fcall_ro, -3, SCRIPT_FLAGS | R | ST, 2, KS_RO | KS_ACCESS, "scripting", "7.0.0", "Invokes a read-only function.", "Depends on the function that is executed."),
    CONTAINER("function", NULL, -2, 0, "scripting", "7.0.0", "A container for function commands.", "Depends on subcommand.", function_subcommands),
    CONTAINER("script", NULL, -2, 0, "scripting", "2.6.0", "A container for Lua scripts management commands.", "Depends on subcommand.", script_subcommands),

    /* Transactions */
    CMD("multi", cmd_multi, 1, NS | LD | ST | F | AB | MN, 0, 0, 0, 0, "transactions", "1.2.0", "Starts a transaction.", "O(1)"),
    CMD("exec", cmd_exec, 1, NS | LD | ST | CMD_SKIP_SLOWLOG | CMD_NOTE_OOM | MN | CMD_EXEC, 0, 0, 0, 0, "transactions", "1.2.0", "Executes all commands in a transaction.", "Depends on commands in the transaction"),
    CMD("discard", cmd_discard, 1, NS | LD | ST | F | AB | MN, 0, 0, 0, 0, "transactions", "2.0.0", "Discards a transaction.", "O(N), when N is the number of queued commands"),
    CMD("watch", cmd_watch, -2, NS | LD | ST | F | AB | MN, 1, -1, 1, KS_RO, "transactions", "2.2.0", "Monitors changes to keys to determine the execution of a transaction.", "O(1) for every key."),
    CMD("unwatch", cmd_unwatch, 1, NS | LD | ST | F | AB, 0, 0, 0, 0, "transactions", "2.2.0", "Forgets about watched keys of a transaction.", "O(1)"),

    /* Connection */
    CMD("auth", cmd_auth, -2, NS | LD | ST | F | NA | AB, 0, 0, 0, 0, "connection", "1.0.0", "Authenticates the connection.", "O(N) where N is the number of passwords defined for the user"),
    CMD("ping", cmd_ping, -1, F | SB, 0, 0, 0, 0, "connection", "1.0.0", "Returns the server's liveliness response.", "O(1)"),
    CMD("echo", cmd_echo, 2, LD | ST | F, 0, 0, 0, 0, "connection", "1.0.0", "Returns the given string.", "O(1)"),
    CMD("quit", cmd_quit, -1, NS | LD | ST | F | NA | AB | MN | SB, 0, 0, 0, 0, "connection", "1.0.0", "Closes the connection.", "O(1)"),
    CMD("reset", cmd_reset, 1, NS | LD | ST | F | NA | AB | MN | SB, 0, 0, 0, 0, "connection", "6.2.0", "Resets the connection.", "O(1)"),
    CMD("hello", cmd_hello, -1, NS | LD | ST | F | NA | AB, 0, 0, 0, 0, "connection", "6.0.0", "Handshakes with the Redis server.", "O(1)"),
    CONTAINER("acl", NULL, -2, 0, "server", "6.0.0", "A container for Access List Control commands.", "Depends on subcommand.", acl_subcommands),
    CONTAINER("client", NULL, -2, 0, "connection", "2.4.0", "A container for client connection commands.", "Depends on subcommand.", client_subcommands),

    /* Server */
    /* COMMAND alone lists every command, so this container has a handler. */
    CONTAINER("command", cmd_command, -1, LD | ST, "server", "2.8.13", "Returns detailed information about all commands.", "O(N) where N is the total number of Redis commands", command_subcommands),
    CONTAINER("config", NULL, -2, 0, "server", "2.0.0", "A container for server configuration commands.", "Depends on subcommand.", config_subcommands),
    CMD("info", cmd_info, -1, LD | ST, 0, 0, 0, 0, "server", "1.0.0", "Returns information and statistics about the server.", "O(1)"),
    CONTAINER("memory", NULL, -2, 0, "server", "4.0.0", "A container for memory diagnostics commands.", "Depends on subcommand.", memory_subcommands),
    CMD("monitor", cmd_monitor, 1, A | NS | LD | ST, 0, 0, 0, 0, "server", "1.0.0", "Listens for all requests received by the server in real-time.", ""),
    CMD("time", cmd_time, 1, LD | ST | F, 0, 0, 0, 0, "server", "2.6.0", "Returns the server time.", "O(1)"),
    CMD("shutdown", cmd_shutdown, -1, A | NS | LD | ST | CMD_NO_MULTI | AB, 0, 0, 0, 0, "server", "1.0.0", "Synchronously saves the database(s) to disk and shuts down the Redis server.", "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)"),
};

/* COMMAND INFO's tips, Redis 7.4's for the commands above: how a cluster
 * client routes a command and merges the replies (request_policy,
 * response_policy), and which replies vary from run to run
 * (nondeterministic_output[_order]). Client libraries read them; respite
 * only shows them. */
static const struct {
    const char *fullname, *tips;
} command_tips[] = {
    {"client|info", "nondeterministic_output"},
    {"client|list", "nondeterministic_output"},
    {"client|setinfo", "request_policy:all_nodes response_policy:all_succeeded"},
    {"client|setname", "request_policy:all_nodes response_policy:all_succeeded"},
    {"command", "nondeterministic_output_order"},
    {"command|docs", "nondeterministic_output_order"},
    {"command|info", "nondeterministic_output_order"},
    {"command|list", "nondeterministic_output_order"},
    {"config|resetstat", "request_policy:all_nodes response_policy:all_succeeded"},
    {"config|set", "request_policy:all_nodes response_policy:all_succeeded"},
    {"dbsize", "request_policy:all_shards response_policy:agg_sum"},
    {"del", "request_policy:multi_shard response_policy:agg_sum"},
    {"exists", "request_policy:multi_shard response_policy:agg_sum"},
    {"flushall", "request_policy:all_shards response_policy:all_succeeded"},
    {"flushdb", "request_policy:all_shards response_policy:all_succeeded"},
    {"function|delete", "request_policy:all_shards response_policy:all_succeeded"},
    {"function|flush", "request_policy:all_shards response_policy:all_succeeded"},
    {"function|kill", "request_policy:all_shards response_policy:one_succeeded"},
    {"function|list", "nondeterministic_output_order"},
    {"function|load", "request_policy:all_shards response_policy:all_succeeded"},
    {"function|restore", "request_policy:all_shards response_policy:all_succeeded"},
    {"function|stats", "nondeterministic_output request_policy:all_shards response_policy:special"},
    {"hgetall", "nondeterministic_output_order"},
    {"hkeys", "nondeterministic_output_order"},
    {"hrandfield", "nondeterministic_output"},
    {"hscan", "nondeterministic_output"},
    {"hvals", "nondeterministic_output_order"},
    {"info", "nondeterministic_output request_policy:all_shards response_policy:special"},
    {"keys", "request_policy:all_shards nondeterministic_output_order"},
    {"memory|malloc-stats", "nondeterministic_output request_policy:all_shards response_policy:special"},
    {"memory|purge", "request_policy:all_shards response_policy:all_succeeded"},
    {"memory|stats", "nondeterministic_output request_policy:all_shards response_policy:special"},
    {"mget", "request_policy:multi_shard"},
    {"mset", "request_policy:multi_shard response_policy:all_succeeded"},
    {"object|encoding", "nondeterministic_output"},
    {"object|freq", "nondeterministic_output"},
    {"object|idletime", "nondeterministic_output"},
    {"object|refcount", "nondeterministic_output"},
    {"ping", "request_policy:all_shards response_policy:all_succeeded"},
    {"pttl", "nondeterministic_output"},
    {"randomkey", "request_policy:all_shards response_policy:special nondeterministic_output"},
    {"scan", "nondeterministic_output request_policy:special response_policy:special"},
    {"script|exists", "request_policy:all_shards response_policy:agg_logical_and"},
    {"script|flush", "request_policy:all_nodes response_policy:all_succeeded"},
    {"script|kill", "request_policy:all_shards response_policy:one_succeeded"},
    {"script|load", "request_policy:all_nodes response_policy:all_succeeded"},
    {"sdiff", "nondeterministic_output_order"},
    {"sinter", "nondeterministic_output_order"},
    {"smembers", "nondeterministic_output_order"},
    {"spop", "nondeterministic_output"},
    {"srandmember", "nondeterministic_output"},
    {"sscan", "nondeterministic_output"},
    {"sunion", "nondeterministic_output_order"},
    {"time", "nondeterministic_output"},
    {"touch", "request_policy:multi_shard response_policy:agg_sum"},
    {"ttl", "nondeterministic_output"},
    {"unlink", "request_policy:multi_shard response_policy:agg_sum"},
    {"zrandmember", "nondeterministic_output"},
    {"zscan", "nondeterministic_output"},
};

/* COMMAND INFO's key spec notes, Redis 7.4's, and SORT's unknown specs:
 * the keys its BY and GET patterns name (read from the sorted values) and
 * its STORE key (after a keyword that may come anywhere). */
#define SORT_BY_GET_NOTES "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort"
static const struct key_spec_unknown sort_unknown_specs[] = {
    {KS_RO | KS_ACCESS, SORT_BY_GET_NOTES},
    {KS_OW | KS_UPDATE, "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array"},
    {0, NULL}};
static const struct key_spec_unknown sort_ro_unknown_specs[] = {
    {KS_RO | KS_ACCESS, SORT_BY_GET_NOTES},
    {0, NULL}};
#define SCRIPT_RW_NOTES "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE"
#define SCRIPT_RO_NOTES "We cannot tell how the keys will be used so we assume the worst, RO and ACCESS"
static const struct {
    const char *fullname, *notes;
    const struct key_spec_unknown *unknown;
} command_key_notes[] = {
    {"set", "RW and ACCESS due to the optional `GET` argument", NULL},
    {"getex", "RW and UPDATE because it changes the TTL", NULL},
    {"bitfield", "This command allows both access and modification of the key", NULL},
    {"eval", SCRIPT_RW_NOTES, NULL},
    {"eval_ro", SCRIPT_RO_NOTES, NULL},
    {"fcall", SCRIPT_RW_NOTES, NULL},
    {"fcall_ro", SCRIPT_RO_NOTES, NULL},
    {"sort", NULL, sort_unknown_specs},
    {"sort_ro", NULL, sort_ro_unknown_specs},
};
// clang-format on

#define COMMAND_COUNT (sizeof(command_table) / sizeof(command_table[0]))

void commands_setup(void)
{
    command_register(command_table, COMMAND_COUNT);
    for (size_t i = 0; i < sizeof(command_tips) / sizeof(command_tips[0]); i++)
        command_set_tips(command_tips[i].fullname, command_tips[i].tips);
    for (size_t i = 0; i < sizeof(command_key_notes) / sizeof(command_key_notes[0]); i++)
        command_set_key_notes(command_key_notes[i].fullname, command_key_notes[i].notes,
                              command_key_notes[i].unknown);
}

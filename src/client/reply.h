/* reply.h - RESP2 / RESP3 reply encoding, and Redis's error strings. Each
 * function appends one reply (or the header of an aggregate) for client c,
 * in the protocol c speaks, through client_write. The error replies live
 * in one place: the REPLY_ERR_* macros below. */
#ifndef RESPITE_REPLY_H
#define RESPITE_REPLY_H

#include <stddef.h>

#include "client/client.h"

/* ---- Redis's error replies, byte for byte: the code, then the message.
 * Names ending in _FMT are printf formats (reply_errorf). Directive errors
 * (config file, CONFIG SET) are config.c's: the base layer words them. */

/* Any command */
#define REPLY_ERR_SYNTAX    "ERR syntax error"
#define REPLY_ERR_NOT_INT   "ERR value is not an integer or out of range"
#define REPLY_ERR_NOT_FLOAT "ERR value is not a valid float"
#define REPLY_ERR_ARITY_FMT "ERR wrong number of arguments for '%s' command"
#define REPLY_ERR_TIMEOUT   "ERR timeout is not an integer or out of range"
/* Blocking commands' timeouts (seconds, fractions allowed) */
#define REPLY_ERR_BLOCK_TIMEOUT "ERR timeout is not a float or out of range"
#define REPLY_ERR_TIMEOUT_RANGE "ERR timeout is out of range"
#define REPLY_ERR_TIMEOUT_NEG   "ERR timeout is negative"
#define REPLY_ERR_WRONGTYPE     "WRONGTYPE Operation against a key holding the wrong kind of value"
#define REPLY_ERR_EXPIRE_FMT    "ERR invalid expire time in '%s' command"

/* The call path */
#define REPLY_ERR_UNKNOWN_CMD_FMT "ERR unknown command '%.*s', with args beginning with: %s"
#define REPLY_ERR_UNKNOWN_SUB_FMT "ERR unknown subcommand '%.*s'. Try %s HELP."
#define REPLY_ERR_NOAUTH          "NOAUTH Authentication required."
#define REPLY_ERR_OOM             "OOM command not allowed when used memory > 'maxmemory'."
#define REPLY_ERR_BUSY                                                                             \
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
#define REPLY_ERR_SUBSCRIBED_FMT                                                                   \
    "ERR Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are "    \
    "allowed in this context"
#define REPLY_ERR_EXECABORT_FMT "EXECABORT Transaction discarded because of: %s"

/* Keys and strings */
#define REPLY_ERR_NO_KEY        "ERR no such key"
#define REPLY_ERR_NOT_IN_MULTI  "ERR Command not allowed inside a transaction"
#define REPLY_ERR_DB_RANGE      "ERR DB index is out of range"
#define REPLY_ERR_DB_FIRST      "ERR invalid first DB index"
#define REPLY_ERR_DB_SECOND     "ERR invalid second DB index"
#define REPLY_ERR_SAME_OBJ      "ERR source and destination objects are the same"
#define REPLY_ERR_INV_CURSOR    "ERR invalid cursor"
#define REPLY_ERR_STR_SIZE      "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
#define REPLY_ERR_OFFSET        "ERR offset is out of range"
#define REPLY_ERR_OVERFLOW      "ERR increment or decrement would overflow"
#define REPLY_ERR_DECR_OVERFLOW "ERR decrement would overflow"
#define REPLY_ERR_NAN           "ERR increment would produce NaN or Infinity"
#define REPLY_ERR_NAN_VALUE     "ERR value is NaN or Infinity"
#define REPLY_ERR_OUT_OF_RANGE  "ERR value is out of range"
#define REPLY_ERR_LONG_RANGE                                                                       \
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"
#define REPLY_ERR_EXPIRE_OPTION_FMT "ERR Unsupported option %.*s"
#define REPLY_ERR_EXPIRE_NX         "ERR NX and XX, GT or LT options at the same time are not compatible"
#define REPLY_ERR_EXPIRE_GTLT       "ERR GT and LT options at the same time are not compatible"
#define REPLY_ERR_LFU_IDLE                                                                         \
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "       \
    "switching between policies at runtime LRU and LFU data will take some time to adjust."
#define REPLY_ERR_LFU_FREQ                                                                         \
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "      \
    "that when switching between policies at runtime LRU and LFU data will take some time to "     \
    "adjust."

/* Sets */
#define REPLY_ERR_POSITIVE       "ERR value is out of range, must be positive"
#define REPLY_ERR_NUMKEYS_ZERO   "ERR numkeys should be greater than 0"
#define REPLY_ERR_LIMIT_NEGATIVE "ERR LIMIT can't be negative"
#define REPLY_ERR_NOVALUES       "ERR NOVALUES option can only be used in HSCAN"

/* Hashes */
#define REPLY_ERR_HASH_NOT_INT   "ERR hash value is not an integer"
#define REPLY_ERR_HASH_NOT_FLOAT "ERR hash value is not a float"

/* Connections and CLIENT */
#define REPLY_ERR_NOPROTO          "NOPROTO unsupported protocol version"
#define REPLY_ERR_PROTO_VER        "ERR Protocol version is not an integer or out of range"
#define REPLY_ERR_HELLO_OPTION_FMT "ERR Syntax error in HELLO option '%.*s'"
#define REPLY_ERR_HELLO_NOAUTH                                                                     \
    "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "      \
    "<proto> AUTH <user> <pass> option can be used to authenticate the client and select the "     \
    "RESP protocol version at the same time"
#define REPLY_ERR_WRONGPASS "WRONGPASS invalid username-password pair or user is disabled."
#define REPLY_ERR_AUTH_NOPASS                                                                      \
    "ERR AUTH <password> called without any password configured for the default user. Are you "    \
    "sure your configuration is correct?"
#define REPLY_ERR_CLIENT_NAME                                                                      \
    "ERR Client names cannot contain spaces, newlines or special characters."
#define REPLY_ERR_SETINFO_OPTION_FMT "ERR Unrecognized option '%.*s'"
#define REPLY_ERR_SETINFO_VALUE_FMT                                                                \
    "ERR %.*s cannot contain spaces, newlines or special characters."
#define REPLY_ERR_CLIENT_TYPE_FMT    "ERR Unknown client type '%.*s'"
#define REPLY_ERR_CLIENT_ID          "ERR Invalid client ID"
#define REPLY_ERR_CLIENT_ID_POSITIVE "ERR client-id should be greater than 0"
#define REPLY_ERR_NO_CLIENT          "ERR No such client"

/* Client-side caching (CLIENT TRACKING / CACHING) */
#define REPLY_ERR_TRACK_ONE_REDIRECT "ERR A client can only redirect to a single other client"
#define REPLY_ERR_TRACK_NO_TARGET    "ERR The client ID you want redirect to does not exist"
#define REPLY_ERR_TRACK_PREFIX_BCAST "ERR PREFIX option requires BCAST mode to be enabled"
#define REPLY_ERR_TRACK_BCAST_SWITCH                                                               \
    "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then "  \
    "re-enabling it with a different mode."
#define REPLY_ERR_TRACK_OPT_BCAST "ERR OPTIN and OPTOUT are not compatible with BCAST"
#define REPLY_ERR_TRACK_OPT_BOTH  "ERR You can't specify both OPTIN mode and OPTOUT mode"
#define REPLY_ERR_TRACK_OPT_SWITCH                                                                 \
    "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then "  \
    "re-enabling it with a different mode."
#define REPLY_ERR_TRACK_OVERLAP_FMT                                                                \
    "ERR Prefix '%.*s' overlaps with an existing prefix '%s'. Prefixes for a single client must "  \
    "not overlap."
#define REPLY_ERR_TRACK_OVERLAP_NEW_FMT                                                            \
    "ERR Prefix '%.*s' overlaps with another provided prefix '%.*s'. Prefixes for a single "       \
    "client must not overlap."
#define REPLY_ERR_CACHING_MODE                                                                     \
    "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "     \
    "OPTOUT mode enabled"
#define REPLY_ERR_CACHING_YES                                                                      \
    "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode."
#define REPLY_ERR_CACHING_NO                                                                       \
    "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode."

/* Transactions */
#define REPLY_ERR_MULTI_NESTED     "ERR MULTI calls can not be nested"
#define REPLY_ERR_DISCARD_NO_MULTI "ERR DISCARD without MULTI"
#define REPLY_ERR_EXEC_NO_MULTI    "ERR EXEC without MULTI"
#define REPLY_ERR_WATCH_IN_MULTI   "ERR WATCH inside MULTI is not allowed"
#define REPLY_ERR_EXECABORT        "EXECABORT Transaction discarded because of previous errors."

/* Scripting */
#define REPLY_ERR_NOSCRIPT    "NOSCRIPT No matching script. Please use EVAL."
#define REPLY_ERR_NUMKEYS_BIG "ERR Number of keys can't be greater than number of args"
#define REPLY_ERR_NUMKEYS_NEG "ERR Number of keys can't be negative"
#define REPLY_ERR_SCRIPT_OOM                                                                       \
    "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'"
#define REPLY_ERR_SCRIPT_RO "ERR Can not execute a script with write flag using *_ro command."
#define REPLY_ERR_NOTBUSY   "NOTBUSY No scripts in execution right now."
/* While a function (FCALL) runs, BUSY names FUNCTION KILL. */
#define REPLY_ERR_BUSY_FUNCTION                                                                    \
    "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
#define REPLY_ERR_UNKILLABLE                                                                       \
    "UNKILLABLE Sorry the script already executed write commands against the dataset. You can "    \
    "either wait the script termination or kill the server in a hard way using the SHUTDOWN "      \
    "NOSAVE command."
#define REPLY_ERR_SCRIPT_FLUSH       "ERR SCRIPT FLUSH only support SYNC|ASYNC option"
#define REPLY_ERR_LUA_STACK          "ERR reached lua stack limit"
#define REPLY_ERR_SCRIPT_RUN_FMT     "ERR Error running script %s, %.100s"
#define REPLY_ERR_SCRIPT_COMPILE_FMT "ERR Error compiling script (new function): %s"
/* redis.call refusals: messages the script sees as its error (a leading
 * "-" carries the code; the others get ERR). */
#define REPLY_ERR_CALL_UNKNOWN  "Unknown Redis command called from script"
#define REPLY_ERR_CALL_ARITY    "Wrong number of args calling Redis command from script"
#define REPLY_ERR_CALL_NOSCRIPT "This Redis command is not allowed from script"
#define REPLY_ERR_CALL_WRITE_RO "Write commands are not allowed from read-only scripts."
#define REPLY_ERR_CALL_OOM      "-" REPLY_ERR_OOM
/* redis.call / redis.acl_check_cmd argument checks. The other errors a
 * script raises inside Lua (the sandbox, redis.log, redis.setresp...) are
 * script_lua.c's: they reach the client as a script error with its
 * location. */
#define REPLY_ERR_LUA_NO_ARGS  "Please specify at least one argument for this redis lib call"
#define REPLY_ERR_LUA_ARG_TYPE "Lua redis lib command arguments must be strings or integers"

/* Server */
#define REPLY_ERR_SHUTDOWN    "ERR Errors trying to SHUTDOWN. Check logs."
#define REPLY_ERR_NO_SHUTDOWN "ERR No shutdown in progress."

void reply_raw(struct client *c, const char *p, size_t len);
void reply_status(struct client *c, const char *s);
void reply_ok(struct client *c);
/* msg includes the code ("ERR syntax error"); CR/LF become spaces. */
void reply_error(struct client *c, const char *msg);
void reply_errorf(struct client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* counted 0: an error already counted in errorstats when it was first
 * replied (a script passing on a command's error). */
void reply_error_counted(struct client *c, const char *msg, int counted);
/* "ERR wrong number of arguments for 'get' command" */
void reply_error_arity(struct client *c, const char *name);
void reply_long(struct client *c, long long v);
void reply_bulk(struct client *c, const char *p, size_t len);
void reply_bulk_cstr(struct client *c, const char *s);
void reply_bulk_long(struct client *c, long long v);
/* Null bulk string: $-1 in RESP2, _ in RESP3. */
void reply_null(struct client *c);
/* Null array: *-1 in RESP2, _ in RESP3. */
void reply_null_array(struct client *c);
void reply_array(struct client *c, size_t n);
/* A map of n pairs: %n in RESP3, an array of 2n in RESP2. */
void reply_map(struct client *c, size_t n);
/* A set: ~n in RESP3, an array in RESP2. */
void reply_set(struct client *c, size_t n);
/* A double: ,d in RESP3, a bulk string in RESP2. */
void reply_double(struct client *c, double d);
/* Verbatim text (INFO, CLIENT LIST): =len\r\ntxt:... in RESP3, bulk in RESP2. */
void reply_verbatim(struct client *c, const char *p, size_t len, const char *ext);
void reply_bool(struct client *c, int v);
/* A big number: (digits in RESP3, a bulk string in RESP2. */
void reply_big_number(struct client *c, const char *p, size_t len);
/* The empty array reply (*0). */
void reply_empty_array(struct client *c);
/* A HELP subcommand's reply: the NULL-terminated lines as an array of
 * status replies. */
void reply_help(struct client *c, const char *const *lines);

#endif

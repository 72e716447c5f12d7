/* script_lua.h - the Lua 5.1 side of scripting: a sandboxed interpreter
 * with Redis's globals and libraries (redis.*, cjson, bit), compiling
 * script bodies, and running one with Redis's conversions between Lua
 * values and RESP in both directions. script.c owns when and how: it is
 * this module's host, which runs the commands a script calls and says when
 * a script must stop. */
#ifndef RESPITE_SCRIPT_LUA_H
#define RESPITE_SCRIPT_LUA_H

#include <stddef.h>
#include <stdint.h>

struct client;
struct arg;
struct lua_State;

/* What a redis.call came to. */
enum script_call_status {
    SCRIPT_CALL_OK = 0,       /* *reply holds the command's RESP reply */
    SCRIPT_CALL_REFUSED = -1, /* *err: "-CODE msg", or a message that gets ERR */
    SCRIPT_CALL_KILLED = 1,   /* the script was killed meanwhile */
};

struct script_lua_host {
    /* Runs one redis.call from the running script. On SCRIPT_CALL_OK
     * *reply points at the RESP bytes the command replied (valid until the
     * next call); a refusal is counted in errorstats by the host. */
    enum script_call_status (*call)(const struct arg *argv, size_t argc, const char **reply,
                                    size_t *reply_len, const char **err);
    /* Every so many Lua instructions (with the count hook): nonzero when
     * the script must stop (SCRIPT KILL, SHUTDOWN NOSAVE). */
    int (*interrupt)(void);
};
void script_lua_set_host(const struct script_lua_host *host);
/* The running script's RESP version for redis.call replies (2 unless it
 * called redis.setresp(3)). */
int script_lua_resp(void);

/* A new interpreter with the sandbox in place. */
struct lua_State *script_lua_create(void);
void script_lua_destroy(struct lua_State *L);
/* Frees the argument buffers redis.call shares across interpreters. */
void script_lua_free_scratch(void);

/* Compiles body (chunk name "@user_script", as Redis names it) into a
 * function kept in the registry; returns its reference, or -1 with
 * Redis's "Error compiling script (new function): ..." text in err. */
int script_lua_compile(struct lua_State *L, const char *body, size_t len, char *err, size_t errcap);
void script_lua_release(struct lua_State *L, int ref);

/* Runs the compiled function ref with KEYS and ARGV set (with function:
 * a library's function, given keys and args as its two parameters), and
 * replies to caller: the return value converted to RESP, or the error as
 * Redis words it ("... script: <sha or function name>, on
 * @user_script:<line>." or @user_function). hook: install the count hook
 * that calls the host's interrupt (busy-reply-threshold > 0). */
void script_lua_run(struct lua_State *L, int ref, const char *sha, struct client *caller,
                    const struct arg *keys, size_t nkeys, const struct arg *args, size_t nargs,
                    int hook, int function);

/* ---- function libraries (FUNCTION LOAD, FCALL) ----
 * Flags a library gives a function (redis.register_function's flags=),
 * the same bits as script.h's SCRIPT_FLAG_*. */
#define SCRIPT_LUA_FLAG_NO_WRITES   0x01u
#define SCRIPT_LUA_FLAG_ALLOW_OOM   0x02u
#define SCRIPT_LUA_FLAG_ALLOW_STALE 0x04u
#define SCRIPT_LUA_FLAG_NO_CLUSTER  0x08u
#define SCRIPT_LUA_FLAG_CROSS_SLOT  0x10u
/* Called by redis.register_function for each function a library's body
 * registers (ref: the callback in the registry): 0, or -1 with the error
 * (Redis's words, without a code) in err. */
typedef int script_lua_register_fn(void *ctx, const char *name, size_t nlen, const char *desc,
                                   size_t dlen, uint32_t flags, int ref, char *err, size_t errcap);
/* An interpreter for function libraries: the same sandbox, and
 * redis.register_function. */
struct lua_State *script_lua_create_functions(void);
/* Runs a library's body (chunk "@user_function"; its shebang line already
 * cut to a newline so line numbers stay the user's), reg taking what it
 * registers; at most 500 ms. Returns 0, or -1 with Redis's "ERR Error
 * compiling function: ..." or "ERR Error registering functions: ..." in
 * err. */
int script_lua_load_library(struct lua_State *L, const char *body, size_t len,
                            script_lua_register_fn *reg, void *ctx, char *err, size_t errcap);

/* Bytes every interpreter holds (all threads; a relaxed counter), and
 * those of the functions' interpreter. */
size_t script_lua_memory(void);
size_t script_lua_memory_functions(void);

#endif

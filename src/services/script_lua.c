/* script_lua.c - the sandboxed Lua interpreter scripts run in: Redis's
 * globals, the redis.* library, and the conversions between Lua values and
 * RESP replies.
 *
 * The sandbox. Scripts see Redis's allow-list of globals: the base
 * functions minus dofile, loadfile, print, getfenv, setfenv and newproxy
 * (no require, io or debug either), and the libraries string, table,
 * math, coroutine, cjson, bit, redis and os (only os.clock, as in 7.4). Redis locks every one of
 * them with a patched Lua ("readonly tables"); Debian's Lua 5.1 has no such patch, so here
 * protection is by proxies:
 *   - The globals a script runs with (its environment, also _G) are an
 *     always-empty table E whose metatable sends reads to the real globals
 *     table G and raises "Attempt to modify a readonly table" on writes.
 *     G's own metatable raises "Script attempted to access nonexistent
 *     global variable" for names it lacks.
 *   - Each library table is reached through such a proxy as well, and the
 *     string metatable's __index points at the string proxy, so neither
 *     string.x = 1 nor getmetatable('').__index.x = 1 can change it.
 *   - rawset, setmetatable and the writing table functions (insert,
 *     remove, sort) refuse protected tables, since they bypass
 *     metamethods; getmetatable of a protected table returns a protected
 *     view of its metatable.
 *   - loadstring/load refuse precompiled chunks (Lua 5.1 does not verify
 *     bytecode): as in Redis, a chunk starting with the bytecode signature
 *     is read as source text and fails to parse.
 * So nothing a script does can leave state behind for the next one, except
 * through the data set (and cjson's configuration, as in Redis).
 *
 * Errors are tables {err = "CODE message", source = ..., line = ...}, as in
 * Redis 7: redis.call raises one built from the command's error reply, an
 * error handler turns any other error value into one and records where it
 * was raised, and the reply is "-CODE message script: <sha>, on
 * <source>:<line>.". pcall is replaced so that a caught error table comes
 * back as its message string, as scripts written for Redis 6 expect. */
#include "services/script_lua.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <lua-bitop.h>
#include <lua-cjson.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/config.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/sha1.h"
#include "base/util.h"
#include "base/version.h"
#include "client/client.h"
#include "client/reply.h"
#include "dispatch/command.h"

/* Instructions between two calls of the busy/kill hook (Redis's figure):
 * a fraction of a millisecond of Lua. */
#define SLUA_HOOK_INSTRUCTIONS 100000
/* A library body that runs longer than this fails to load (Redis's
 * FUNCTION LOAD timeout, 500 ms). */
#define SLUA_LOAD_TIMEOUT_US 500000
/* Runs between two incremental GC steps, as Redis does. */
#define SLUA_GC_PERIOD 50

/* Registry keys: the addresses of these statics. */
static char slua__key_globals;   /* G: the real globals */
static char slua__key_load_api;  /* what a function library's body sees instead */
static char slua__key_protected; /* weak set of protected tables */
static char slua__key_errh;      /* the error handler */
static char slua__key_target;    /* in a proxy's metatable: the table it shows */

static size_t slua__bytes; /* relaxed atomic: all interpreters' heaps */
/* What runs a script's commands and decides when it must stop
 * (services/script.c). */
static const struct script_lua_host *slua__host;
/* The running script's protocol for redis.call replies (setresp). */
static int slua__resp = 2;

void script_lua_set_host(const struct script_lua_host *host)
{
    slua__host = host;
}

int script_lua_resp(void)
{
    return slua__resp;
}

static size_t slua__bytes_eval, slua__bytes_functions;
static int slua__building_functions;

size_t script_lua_memory(void)
{
    return __atomic_load_n(&slua__bytes, __ATOMIC_RELAXED);
}

size_t script_lua_memory_functions(void)
{
    return __atomic_load_n(&slua__bytes_functions, __ATOMIC_RELAXED);
}

/* Lua's allocator: jemalloc through mem_, so the interpreter counts in
 * used_memory (and maxmemory) like everything else. A failed allocation
 * becomes Lua's "not enough memory" error, never an abort, and with
 * maxmemory set the interpreter may not grow past it (nor past
 * SLUA_HEAP_FLOOR when maxmemory is smaller): a script that builds a huge
 * table fails instead of taking the machine's memory. In Lua 5.1 osize is
 * 0 for new blocks. */
#define SLUA_HEAP_FLOOR (32ULL << 20)
/* Set while the script's own code runs (not while KEYS/ARGV are built or
 * its result converted, which must not fail half way). Scripts run one at
 * a time. */
static int slua__capped;
static int slua__heap_full; /* the bound refused an allocation this run */
/* ud: the interpreter's own count (EVAL's or the functions'), beside
 * the total. */

static void *slua__alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    size_t *mine = ud;
    if (nsize == 0) {
        if (ptr) {
            __atomic_sub_fetch(&slua__bytes, osize, __ATOMIC_RELAXED);
            __atomic_sub_fetch(mine, osize, __ATOMIC_RELAXED);
            mem_free(ptr);
        }
        return NULL;
    }
    unsigned long long cap = CFG(maxmemory);
    if (slua__capped && cap && nsize > osize) {
        if (cap < SLUA_HEAP_FLOOR) cap = SLUA_HEAP_FLOOR;
        if (script_lua_memory() + (nsize - osize) > cap) {
            slua__heap_full = 1;
            return NULL;
        }
    }
    void *p = mem_try_realloc(ptr, nsize);
    if (p == NULL) return NULL;
    __atomic_add_fetch(&slua__bytes, nsize, __ATOMIC_RELAXED);
    __atomic_add_fetch(mine, nsize, __ATOMIC_RELAXED);
    if (ptr) {
        __atomic_sub_fetch(&slua__bytes, osize, __ATOMIC_RELAXED);
        __atomic_sub_fetch(mine, osize, __ATOMIC_RELAXED);
    }
    return p;
}

static int slua__panic(lua_State *L)
{
    log_msg(LL_WARNING, "Lua panic: %s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
    abort();
    return 0;
}

/* ---- errors ---- */

/* Pushes Redis's error table for text: "-CODE msg" keeps its code, plain
 * text gets "ERR"; surrounding CR/LF are trimmed. */
static void slua__push_error(lua_State *L, const char *text, size_t len)
{
    const char *code = "ERR", *msg = text;
    size_t codelen = 3, msglen = len;
    if (len > 0 && text[0] == '-') {
        const char *sp = memchr(text, ' ', len);
        if (sp == NULL) {
            msg = text + 1;
            msglen = len - 1;
        } else {
            code = text + 1;
            codelen = (size_t)(sp - text - 1);
            msg = sp + 1;
            msglen = len - (size_t)(sp + 1 - text);
        }
    }
    while (msglen && (msg[0] == '\r' || msg[0] == '\n')) msg++, msglen--;
    while (msglen && (msg[msglen - 1] == '\r' || msg[msglen - 1] == '\n')) msglen--;
    lua_newtable(L);
    lua_pushliteral(L, "err");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addlstring(&b, code, codelen);
    luaL_addchar(&b, ' ');
    luaL_addlstring(&b, msg, msglen);
    luaL_pushresult(&b);
    lua_rawset(L, -3);
}

static int slua__raise(lua_State *L, const char *text)
{
    slua__push_error(L, text, strlen(text));
    return lua_error(L);
}

/* The error handler of every script run: makes the error a table and
 * notes where it was raised (the function that raised it, or its caller
 * when that was a C function such as error() or redis.call). */
static int slua__errh(lua_State *L)
{
    lua_Debug ar;
    int have = lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar);
    if (have && strcmp(ar.what, "C") == 0)
        have = lua_getstack(L, 2, &ar) && lua_getinfo(L, "Sl", &ar);
    if (!lua_istable(L, 1)) {
        const char *s = NULL;
        lua_settop(L, 1);
        /* The real globals' tostring: a library body loads with others. */
        lua_pushlightuserdata(L, &slua__key_globals);
        lua_rawget(L, LUA_REGISTRYINDEX);
        lua_pushliteral(L, "tostring");
        lua_rawget(L, -2);
        lua_remove(L, -2);
        if (lua_isfunction(L, -1)) {
            lua_pushvalue(L, 1);
            lua_call(L, 1, 1);
            s = lua_tostring(L, -1);
        }
        lua_newtable(L);
        lua_pushliteral(L, "err");
        lua_pushfstring(L, "ERR %s", s ? s : "?");
        lua_rawset(L, -3);
        lua_replace(L, 1);
        lua_settop(L, 1);
    }
    if (have) {
        lua_pushliteral(L, "source");
        lua_pushstring(L, ar.source);
        lua_rawset(L, 1);
        lua_pushliteral(L, "line");
        lua_pushinteger(L, ar.currentline);
        lua_rawset(L, 1);
    }
    return 1;
}

/* ---- the sandbox ---- */

static int slua__readonly_error(lua_State *L)
{
    return luaL_error(L, "Attempt to modify a readonly table");
}

static int slua__nonexistent(lua_State *L)
{
    const char *name = lua_tostring(L, 2);
    return luaL_error(L, "Script attempted to access nonexistent global variable '%s'",
                      name ? name : "?");
}

/* Protected tables are kept in a weak registry set: PROXY for the
 * always-empty proxies (safe to hand out), HIDDEN for the real globals
 * table, which only rawset and friends are kept from. */
#define SLUA_PROXY  1
#define SLUA_HIDDEN 2

static int slua__protection(lua_State *L, int idx)
{
    if (!lua_istable(L, idx)) return 0;
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    lua_pushlightuserdata(L, &slua__key_protected);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_pushvalue(L, idx);
    lua_rawget(L, -2);
    int kind = (int)lua_tointeger(L, -1);
    lua_pop(L, 2);
    return kind;
}

static void slua__mark_protected(lua_State *L, int idx, int kind)
{
    idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
    lua_pushlightuserdata(L, &slua__key_protected);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_pushvalue(L, idx);
    lua_pushinteger(L, kind);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

/* Replaces the table at the top of the stack with a read-only proxy of it:
 * an empty table whose metatable reads through to the original and refuses
 * writes. */
static void slua__proxy(lua_State *L)
{
    lua_newtable(L); /* t proxy */
    lua_newtable(L); /* t proxy mt */
    lua_pushliteral(L, "__index");
    lua_pushvalue(L, -4);
    lua_rawset(L, -3);
    lua_pushliteral(L, "__newindex");
    lua_pushcfunction(L, slua__readonly_error);
    lua_rawset(L, -3);
    lua_pushliteral(L, "__metatable");
    lua_pushboolean(L, 0);
    lua_rawset(L, -3);
    lua_pushlightuserdata(L, &slua__key_target);
    lua_pushvalue(L, -4);
    lua_rawset(L, -3);
    lua_setmetatable(L, -2); /* t proxy */
    lua_replace(L, -2);      /* proxy */
    slua__mark_protected(L, -1, SLUA_PROXY);
}

/* getmetatable on a protected table (or on a string) must not hand out
 * the real metatable, which a script could then change: its __metatable
 * field is a protected copy whose table fields are proxies too. mt is at
 * the top of the stack and stays there. */
static void slua__protect_metatable(lua_State *L)
{
    int mt = lua_gettop(L);
    lua_newtable(L); /* view */
    lua_pushnil(L);
    while (lua_next(L, mt)) {
        if (lua_istable(L, -1) && slua__protection(L, -1) != SLUA_PROXY) slua__proxy(L);
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    slua__proxy(L);
    lua_pushliteral(L, "__metatable");
    lua_insert(L, -2);
    lua_rawset(L, mt);
}

/* next and pairs see through proxies: pairs(string) or pairs(_G) list
 * what the table shows, as with Redis's read-only tables, while the table
 * itself never reaches the script (next maps the proxy every step). */
static int slua__next(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (lua_getmetatable(L, 1)) {
        lua_pushlightuserdata(L, &slua__key_target);
        lua_rawget(L, -2);
        if (lua_istable(L, -1)) lua_replace(L, 1);
        lua_settop(L, 2);
    }
    if (lua_next(L, 1)) return 2;
    lua_pushnil(L);
    return 1;
}

static int slua__pairs(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_pushcfunction(L, slua__next);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* os.clock, the one os function Redis 7.4 gives scripts (to time their
 * own work): processor time used, in seconds. */
static int slua__os_clock(lua_State *L)
{
    lua_pushnumber(L, (lua_Number)clock() / (lua_Number)CLOCKS_PER_SEC);
    return 1;
}

/* rawset, setmetatable, table.insert, table.remove and table.sort bypass
 * metamethods: each is wrapped to call the original (upvalue 1) unless its
 * first argument is a protected table. */
static int slua__guard(lua_State *L)
{
    if (slua__protection(L, 1)) {
        lua_pushliteral(L, "Attempt to modify a readonly table");
        return lua_error(L);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* Loads a chunk the way loadstring does, refusing bytecode as Redis's
 * Lua does: a chunk starting with the signature byte is parsed as text
 * (one space in front does not move line numbers), so it fails with the
 * usual syntax error. */
static int slua__load_text(lua_State *L, const char *s, size_t len, const char *name)
{
    if (len > 0 && s[0] == LUA_SIGNATURE[0]) {
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        luaL_addchar(&b, ' ');
        luaL_addlstring(&b, s, len);
        luaL_pushresult(&b);
        size_t n;
        const char *t = lua_tolstring(L, -1, &n);
        int rc = luaL_loadbuffer(L, t, n, name);
        lua_remove(L, -2);
        return rc;
    }
    return luaL_loadbuffer(L, s, len, name);
}

static int slua__loadstring(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, s);
    if (slua__load_text(L, s, len, name) == 0) return 1;
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
}

/* load(f [, name]): gathers the pieces f returns, then loads them as one
 * text chunk, so bytecode cannot come in piecewise either. */
static int slua__load(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    const char *name = luaL_optstring(L, 2, "=(load)");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (;;) {
        lua_pushvalue(L, 1);
        lua_call(L, 0, 1);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            break;
        }
        if (!lua_isstring(L, -1)) return luaL_error(L, "reader function must return a string");
        size_t n;
        lua_tolstring(L, -1, &n);
        if (n == 0) {
            lua_pop(L, 1);
            break;
        }
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (slua__load_text(L, s, len, name) == 0) return 1;
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
}

/* pcall as Redis has it: a caught error table comes back as its message. */
static int slua__pcall(lua_State *L)
{
    int argc = lua_gettop(L);
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    if (lua_pcall(L, argc - 1, LUA_MULTRET, 0) != 0) {
        lua_remove(L, 1);
        if (lua_istable(L, -1)) {
            lua_getfield(L, -1, "err");
            if (lua_isstring(L, -1))
                lua_replace(L, -2);
            else
                lua_pop(L, 1);
        }
        lua_pushboolean(L, 0);
        lua_insert(L, 1);
    }
    return lua_gettop(L);
}

/* math.random / math.randomseed with a 48-bit linear congruential
 * generator (the rand48 family's constants), as Redis ships its own so
 * that a seed gives the same sequence on every platform. */
static uint64_t slua__rand = 0x1234ABCD330EULL;

static int slua__math_random(lua_State *L)
{
    slua__rand = (0x5DEECE66DULL * slua__rand + 0xB) & ((1ULL << 48) - 1);
    int32_t x = (int32_t)(slua__rand >> 17);
    lua_Number r = (lua_Number)(x % INT32_MAX) / (lua_Number)INT32_MAX;
    switch (lua_gettop(L)) {
    case 0: lua_pushnumber(L, r); break;
    case 1: {
        int u = luaL_checkint(L, 1);
        luaL_argcheck(L, 1 <= u, 1, "interval is empty");
        lua_pushnumber(L, floor(r * u) + 1);
        break;
    }
    case 2: {
        int l = luaL_checkint(L, 1), u = luaL_checkint(L, 2);
        luaL_argcheck(L, l <= u, 2, "interval is empty");
        lua_pushnumber(L, floor(r * (u - l + 1)) + l);
        break;
    }
    default: return luaL_error(L, "wrong number of arguments");
    }
    return 1;
}

static int slua__math_randomseed(lua_State *L)
{
    slua__rand = ((uint64_t)(uint32_t)luaL_checkint(L, 1) << 16) | 0x330E;
    return 0;
}

/* ---- RESP -> Lua ---- */

/* Reads one RESP reply our own server wrote at p[*pos] (so well formed)
 * and pushes its Lua value: integers as numbers, bulk strings as strings,
 * null bulk / null array as false, status as {ok=...}, errors as Redis's
 * error table, arrays as tables; RESP3 types (after redis.setresp(3)) as
 * nil, booleans, {double=...}, {map=...}, {set=...}, {big_number=...},
 * {verbatim_string={format=..., string=...}}. */
static void slua__push_reply(lua_State *L, const char *p, size_t len, size_t *pos);

static const char *slua__line(const char *p, size_t len, size_t *pos, size_t *n)
{
    const char *s = p + *pos + 1;
    const char *e = memchr(s, '\r', len - *pos - 1);
    if (e == NULL) e = p + len;
    *n = (size_t)(e - s);
    *pos = (size_t)(e - p) + 2;
    if (*pos > len) *pos = len;
    return s;
}

static long long slua__line_ll(const char *p, size_t len, size_t *pos)
{
    size_t n;
    const char *s = slua__line(p, len, pos, &n);
    long long v = 0;
    util_str2ll(s, n, &v);
    return v;
}

static void slua__push_aggregate(lua_State *L, const char *p, size_t len, size_t *pos, char type,
                                 long long n)
{
    if (!lua_checkstack(L, 4)) luaL_error(L, "reached lua stack limit");
    lua_newtable(L);
    if (type == '%' || type == '~') {
        lua_pushstring(L, type == '%' ? "map" : "set");
        lua_newtable(L);
        for (long long i = 0; i < n && *pos < len; i++) {
            slua__push_reply(L, p, len, pos);
            if (type == '%')
                slua__push_reply(L, p, len, pos);
            else
                lua_pushboolean(L, 1);
            if (lua_isnil(L, -2)) {
                lua_pop(L, 2);
                continue;
            }
            lua_rawset(L, -3);
        }
        lua_rawset(L, -3);
        return;
    }
    for (long long i = 0; i < n && *pos < len; i++) {
        lua_pushnumber(L, (lua_Number)(i + 1));
        slua__push_reply(L, p, len, pos);
        lua_rawset(L, -3);
    }
}

/* Marks the error table at the top: already counted in errorstats when
 * the command replied it (or was refused), so the script's reply of it is
 * not counted again. */
static void slua__mark_counted(lua_State *L)
{
    lua_pushliteral(L, "ignore_error_stats_update");
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
}

/* Pushes {field = (s, n)}. */
static void slua__push_field(lua_State *L, const char *field, const char *s, size_t n)
{
    lua_newtable(L);
    lua_pushstring(L, field);
    lua_pushlstring(L, s, n);
    lua_rawset(L, -3);
}

static void slua__push_reply(lua_State *L, const char *p, size_t len, size_t *pos)
{
    if (!lua_checkstack(L, 4)) luaL_error(L, "reached lua stack limit");
    if (*pos >= len) {
        lua_pushnil(L);
        return;
    }
    char type = p[*pos];
    size_t n;
    const char *s;
    switch (type) {
    case ':': lua_pushnumber(L, (lua_Number)slua__line_ll(p, len, pos)); return;
    case '$':
    case '=': {
        long long blen = slua__line_ll(p, len, pos);
        if (blen < 0 || (size_t)blen > len - *pos) {
            lua_pushboolean(L, 0);
            return;
        }
        s = p + *pos;
        *pos += (size_t)blen + 2;
        if (type == '$' || blen < 4) {
            lua_pushlstring(L, s, (size_t)blen);
            return;
        }
        lua_newtable(L);
        lua_pushliteral(L, "verbatim_string");
        lua_newtable(L);
        lua_pushliteral(L, "format");
        lua_pushlstring(L, s, 3);
        lua_rawset(L, -3);
        lua_pushliteral(L, "string");
        lua_pushlstring(L, s + 4, (size_t)blen - 4);
        lua_rawset(L, -3);
        lua_rawset(L, -3);
        return;
    }
    case '+':
        s = slua__line(p, len, pos, &n);
        slua__push_field(L, "ok", s, n);
        return;
    case '-':
        s = slua__line(p, len, pos, &n);
        slua__push_error(L, s - 1, n + 1);
        slua__mark_counted(L);
        return;
    case '*':
    case '>':
    case '%':
    case '~': {
        long long count = slua__line_ll(p, len, pos);
        if (count < 0) {
            lua_pushboolean(L, 0);
            return;
        }
        slua__push_aggregate(L, p, len, pos, type, count);
        return;
    }
    case '_':
        slua__line(p, len, pos, &n);
        lua_pushnil(L);
        return;
    case '#':
        s = slua__line(p, len, pos, &n);
        lua_pushboolean(L, n > 0 && s[0] == 't');
        return;
    case ',': {
        s = slua__line(p, len, pos, &n);
        char buf[64];
        snprintf(buf, sizeof(buf), "%.*s", (int)(n < 63 ? n : 63), s);
        lua_newtable(L);
        lua_pushliteral(L, "double");
        lua_pushnumber(L, strtod(buf, NULL));
        lua_rawset(L, -3);
        return;
    }
    case '(':
        s = slua__line(p, len, pos, &n);
        slua__push_field(L, "big_number", s, n);
        return;
    case '|': {
        /* Attributes are not shown to scripts: skip them, then the reply. */
        long long count = slua__line_ll(p, len, pos);
        for (long long i = 0; i < 2 * count && *pos < len; i++) {
            slua__push_reply(L, p, len, pos);
            lua_pop(L, 1);
        }
        slua__push_reply(L, p, len, pos);
        return;
    }
    default:
        *pos = len;
        lua_pushnil(L);
        return;
    }
}

/* ---- the redis library ---- */

/* Scratch space for building a command's arguments: scripts run one at a
 * time (script.h), so one set serves them all. Numbers are formatted into
 * numbuf, 32 bytes per argument. */
static struct arg *slua__argv;
static char *slua__numbuf;
static size_t slua__argv_cap;

/* Converts the Lua arguments at 1..argc into slua__argv: strings as they
 * are, numbers as integers when integral (%.17g otherwise). Returns 0, or
 * -1 if one is neither. The strings stay valid while they are on the
 * stack. */
static int slua__args(lua_State *L, int argc)
{
    if ((size_t)argc > slua__argv_cap) {
        slua__argv_cap = (size_t)argc * 2;
        slua__argv = mem_realloc(slua__argv, slua__argv_cap * sizeof(*slua__argv));
        slua__numbuf = mem_realloc(slua__numbuf, slua__argv_cap * 32);
    }
    for (int j = 0; j < argc; j++) {
        if (lua_type(L, j + 1) == LUA_TNUMBER) {
            double d = lua_tonumber(L, j + 1);
            char *buf = slua__numbuf + (size_t)j * 32;
            int n;
            /* As Redis 7.4 sends numbers: a whole number within half
             * the 64-bit range as an integer (-0 too: "0"), anything
             * else in its shortest round-trip digits. */
            if (d >= (double)(-LLONG_MAX / 2) && d <= (double)(LLONG_MAX / 2) &&
                d == (double)(long long)d)
                n = util_ll2str(buf, (long long)d);
            else
                n = util_d2str(buf, 32, d);
            slua__argv[j].ptr = buf;
            slua__argv[j].len = (size_t)n;
        } else {
            size_t len;
            const char *s =
                lua_type(L, j + 1) == LUA_TSTRING ? lua_tolstring(L, j + 1, &len) : NULL;
            if (s == NULL) return -1;
            slua__argv[j].ptr = s;
            slua__argv[j].len = len;
        }
    }
    return 0;
}

static int slua__kill(lua_State *L);

/* redis.call (raise = 1) and redis.pcall (raise = 0). */
static void slua__rawfield(lua_State *L, int t, const char *name);

/* FUNCTION LOAD's context while a library's body runs (one load at a
 * time: the script lock). */
static script_lua_register_fn *slua__reg;
static void *slua__reg_ctx;
static uint64_t slua__load_deadline_us;

static int slua__command(lua_State *L, int raise)
{
    int argc = lua_gettop(L);
    const char *err = NULL;
    if (argc == 0)
        err = REPLY_ERR_LUA_NO_ARGS;
    else if (slua__args(L, argc) != 0)
        err = REPLY_ERR_LUA_ARG_TYPE;
    const char *reply = NULL;
    size_t rlen = 0;
    int refused = 0;
    if (err == NULL) {
        enum script_call_status rc =
            slua__host->call(slua__argv, (size_t)argc, &reply, &rlen, &err);
        if (rc == SCRIPT_CALL_KILLED) return slua__kill(L);
        refused = rc == SCRIPT_CALL_REFUSED;
    }
    if (err != NULL) {
        slua__push_error(L, err, strlen(err));
        /* The host counted its refusals; bad arguments count when the
         * script replies the error. */
        if (refused) slua__mark_counted(L);
        return raise ? lua_error(L) : 1;
    }
    size_t pos = 0;
    slua__push_reply(L, reply, rlen, &pos);
    if (raise && rlen > 0 && reply[0] == '-') return lua_error(L);
    return 1;
}

static int slua__call(lua_State *L)
{
    return slua__command(L, 1);
}

static int slua__pcall_command(lua_State *L)
{
    return slua__command(L, 0);
}

static int slua__sha1hex(lua_State *L)
{
    if (lua_gettop(L) != 1) return slua__raise(L, "wrong number of arguments");
    size_t len = 0;
    const char *s = lua_tolstring(L, 1, &len);
    char hex[41];
    sha1_hex(s ? s : "", s ? len : 0, hex);
    lua_pushstring(L, hex);
    return 1;
}

static int slua__error_reply(lua_State *L)
{
    if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
        slua__push_error(L, "wrong number or type of arguments", 33);
        return 1;
    }
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    if (len > 0 && s[0] == '-') {
        slua__push_error(L, s, len);
    } else {
        lua_pushliteral(L, "-");
        lua_pushvalue(L, 1);
        lua_concat(L, 2);
        s = lua_tolstring(L, -1, &len);
        slua__push_error(L, s, len);
    }
    return 1;
}

static int slua__status_reply(lua_State *L)
{
    if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
        slua__push_error(L, "wrong number or type of arguments", 33);
        return 1;
    }
    lua_newtable(L);
    lua_pushliteral(L, "ok");
    lua_pushvalue(L, 1);
    lua_rawset(L, -3);
    return 1;
}

static int slua__log(lua_State *L)
{
    int argc = lua_gettop(L);
    if (argc < 2) return slua__raise(L, "redis.log() requires two arguments or more.");
    if (!lua_isnumber(L, 1)) return slua__raise(L, "First argument must be a number (log level).");
    int level = (int)lua_tonumber(L, 1);
    if (level < LL_DEBUG || level > LL_WARNING) return slua__raise(L, "Invalid debug level.");
    if (level < CFG(loglevel)) return 0;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int j = 2; j <= argc; j++) {
        size_t len;
        const char *s = lua_tolstring(L, j, &len);
        if (s == NULL) continue;
        if (j != 2) luaL_addchar(&b, ' ');
        luaL_addlstring(&b, s, len);
    }
    luaL_pushresult(&b);
    log_msg(level, "%s", lua_tostring(L, -1));
    return 0;
}

static int slua__setresp(lua_State *L)
{
    if (lua_gettop(L) != 1) return slua__raise(L, "redis.setresp() requires one argument.");
    int resp = (int)lua_tonumber(L, 1);
    if (resp != 2 && resp != 3) return slua__raise(L, "RESP version must be 2 or 3.");
    slua__resp = resp;
    return 0;
}

/* respite has no replicas or AOF, so there is nothing to propagate; the
 * flags are still checked as Redis checks them. */
static int slua__set_repl(lua_State *L)
{
    if (lua_gettop(L) != 1) return slua__raise(L, "redis.set_repl() requires one argument.");
    int flags = (int)lua_tonumber(L, 1);
    if (flags & ~3)
        return slua__raise(
            L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.");
    return 0;
}

/* Always on since Redis 7 (effects replication): true. */
static int slua__replicate_commands(lua_State *L)
{
    lua_pushboolean(L, 1);
    return 1;
}

/* The Lua debugger (SCRIPT DEBUG) is not available: as in Redis outside a
 * debugging session, breakpoint() answers false and debug() does nothing. */
static int slua__breakpoint(lua_State *L)
{
    lua_pushboolean(L, 0);
    return 1;
}

static int slua__debug(lua_State *L)
{
    (void)L;
    return 0;
}

/* The only user is "default", which may run every command: true for any
 * command that exists. */
static int slua__acl_check_cmd(lua_State *L)
{
    int argc = lua_gettop(L);
    if (argc == 0) return slua__raise(L, REPLY_ERR_LUA_NO_ARGS);
    if (slua__args(L, argc) != 0) return slua__raise(L, REPLY_ERR_LUA_ARG_TYPE);
    if (command_find(slua__argv, (size_t)argc) == NULL)
        return slua__raise(L, "Invalid command passed to redis.acl_check_cmd()");
    lua_pushboolean(L, 1);
    return 1;
}

static void slua__set_fn(lua_State *L, const char *name, lua_CFunction fn)
{
    lua_pushstring(L, name);
    lua_pushcfunction(L, fn);
    lua_rawset(L, -3);
}

static void slua__set_num(lua_State *L, const char *name, lua_Number v)
{
    lua_pushstring(L, name);
    lua_pushnumber(L, v);
    lua_rawset(L, -3);
}

/* redis.register_function(name, callback) or ({function_name=,
 * callback=, flags={...}, description=}): only while FUNCTION LOAD runs
 * a library's body. Redis's checks and wording. */
static int slua__register_function(lua_State *L)
{
    static const struct {
        const char *name;
        uint32_t flag;
    } names[] = {{"no-writes", SCRIPT_LUA_FLAG_NO_WRITES},
                 {"allow-oom", SCRIPT_LUA_FLAG_ALLOW_OOM},
                 {"allow-stale", SCRIPT_LUA_FLAG_ALLOW_STALE},
                 {"no-cluster", SCRIPT_LUA_FLAG_NO_CLUSTER},
                 {"allow-cross-slot-keys", SCRIPT_LUA_FLAG_CROSS_SLOT}};
    if (slua__reg == NULL)
        return slua__raise(L,
                           "redis.register_function can only be called on FUNCTION LOAD command");
    int argc = lua_gettop(L);
    if (argc < 1 || argc > 2)
        return slua__raise(L, "wrong number of arguments to redis.register_function");
    const char *name = NULL, *desc = NULL;
    size_t nlen = 0, dlen = 0;
    uint32_t flags = 0;
    int cb = 0;
    if (argc == 1) {
        if (!lua_istable(L, 1))
            return slua__raise(L, "calling redis.register_function with a single argument is only "
                                  "applicable to Lua table (representing named arguments).");
        lua_pushnil(L);
        while (lua_next(L, 1)) {
            if (!lua_isstring(L, -2))
                return slua__raise(
                    L, "named argument key given to redis.register_function is not a string");
            const char *key = lua_tostring(L, -2);
            if (!strcasecmp(key, "function_name")) {
                if (!lua_isstring(L, -1))
                    return slua__raise(L, "function_name argument given to "
                                          "redis.register_function must be a string");
                name = lua_tolstring(L, -1, &nlen);
                lua_pushvalue(L, -1); /* kept on the stack: the string stays alive */
                lua_insert(L, 2);
            } else if (!strcasecmp(key, "description")) {
                if (!lua_isstring(L, -1))
                    return slua__raise(L, "description argument given to "
                                          "redis.register_function must be a string");
                desc = lua_tolstring(L, -1, &dlen);
                lua_pushvalue(L, -1);
                lua_insert(L, 2);
            } else if (!strcasecmp(key, "callback")) {
                if (!lua_isfunction(L, -1))
                    return slua__raise(L, "callback argument given to redis.register_function "
                                          "must be a function");
                lua_pushvalue(L, -1);
                lua_insert(L, 2);
                cb = 1;
            } else if (!strcasecmp(key, "flags")) {
                if (!lua_istable(L, -1))
                    return slua__raise(L, "flags argument to redis.register_function must be a "
                                          "table representing function flags");
                lua_pushnil(L);
                while (lua_next(L, -2)) {
                    size_t i = 0, n = sizeof(names) / sizeof(names[0]);
                    if (lua_type(L, -1) == LUA_TSTRING)
                        for (; i < n; i++)
                            if (!strcasecmp(lua_tostring(L, -1), names[i].name)) break;
                    if (lua_type(L, -1) != LUA_TSTRING || i == n)
                        return slua__raise(L, "unknown flag given");
                    flags |= names[i].flag;
                    lua_pop(L, 1);
                }
            } else {
                return slua__raise(L, "unknown argument given to redis.register_function");
            }
            lua_pop(L, 1);
        }
        if (name == NULL)
            return slua__raise(L, "redis.register_function must get a function name argument");
        if (!cb) return slua__raise(L, "redis.register_function must get a callback argument");
        /* The callback: the function among the values kept (the last
         * inserted callback sits at index 2 or below the strings). */
        int at = 0;
        for (int i = 2; i <= lua_gettop(L); i++)
            if (lua_isfunction(L, i)) at = i;
        lua_pushvalue(L, at);
    } else {
        if (!lua_isstring(L, 1))
            return slua__raise(L, "first argument to redis.register_function must be a string");
        if (!lua_isfunction(L, 2))
            return slua__raise(L, "second argument to redis.register_function must be a function");
        name = lua_tolstring(L, 1, &nlen);
        lua_pushvalue(L, 2);
    }
    int ref = luaL_ref(L, LUA_REGISTRYINDEX);
    char err[256];
    if (slua__reg(slua__reg_ctx, name, nlen, desc, dlen, flags, ref, err, sizeof(err)) != 0) {
        luaL_unref(L, LUA_REGISTRYINDEX, ref);
        return slua__raise(L, err);
    }
    return 0;
}

/* slua__building_functions: set while script_lua_create_functions
 * builds its interpreter. */

/* redis.log and its levels, in the table on top (EVAL's and a function
 * library's redis table alike). */
static void slua__set_log(lua_State *L)
{
    slua__set_fn(L, "log", slua__log);
    slua__set_num(L, "LOG_DEBUG", LL_DEBUG);
    slua__set_num(L, "LOG_VERBOSE", LL_VERBOSE);
    slua__set_num(L, "LOG_NOTICE", LL_NOTICE);
    slua__set_num(L, "LOG_WARNING", LL_WARNING);
}

/* REDIS_VERSION and REDIS_VERSION_NUM, in the table on top. */
static void slua__set_version(lua_State *L)
{
    int major = 0, minor = 0, patch = 0;
    sscanf(REDIS_COMPAT_VERSION, "%d.%d.%d", &major, &minor, &patch);
    slua__set_num(L, "REDIS_VERSION_NUM", (lua_Number)((major << 16) | (minor << 8) | patch));
    lua_pushliteral(L, "REDIS_VERSION");
    lua_pushliteral(L, REDIS_COMPAT_VERSION);
    lua_rawset(L, -3);
}

static void slua__push_redis_lib(lua_State *L)
{
    lua_newtable(L);
    slua__set_fn(L, "call", slua__call);
    slua__set_fn(L, "pcall", slua__pcall_command);
    slua__set_log(L);
    slua__set_fn(L, "setresp", slua__setresp);
    slua__set_fn(L, "sha1hex", slua__sha1hex);
    slua__set_fn(L, "error_reply", slua__error_reply);
    slua__set_fn(L, "status_reply", slua__status_reply);
    slua__set_fn(L, "set_repl", slua__set_repl);
    slua__set_num(L, "REPL_NONE", 0);
    slua__set_num(L, "REPL_AOF", 1);
    slua__set_num(L, "REPL_SLAVE", 2);
    slua__set_num(L, "REPL_REPLICA", 2);
    slua__set_num(L, "REPL_ALL", 3);
    slua__set_fn(L, "replicate_commands", slua__replicate_commands);
    slua__set_fn(L, "breakpoint", slua__breakpoint);
    slua__set_fn(L, "debug", slua__debug);
    slua__set_fn(L, "acl_check_cmd", slua__acl_check_cmd);
    slua__set_version(L);
}

/* ---- building the interpreter ---- */

static void slua__open(lua_State *L, lua_CFunction open, const char *name)
{
    lua_pushcfunction(L, open);
    lua_pushstring(L, name);
    lua_call(L, 1, 0);
}

/* Wraps global fn (in table at index t, key name) with guard, the
 * original as its upvalue. */
static void slua__wrap(lua_State *L, int t, const char *name, lua_CFunction guard)
{
    lua_getfield(L, t, name);
    lua_pushcclosure(L, guard, 1);
    lua_setfield(L, t, name);
}

/* What a function library's body sees as its globals while it loads (as
 * Redis's library API): only `redis`, holding register_function, log and
 * its levels and the version; anything else is a nonexistent global. The
 * functions it registers run with the full globals (and without
 * register_function). Kept in the registry. */
static void slua__push_load_api(lua_State *L)
{
    lua_pushlightuserdata(L, &slua__key_load_api);
    lua_newtable(L); /* the globals */
    lua_pushliteral(L, "redis");
    lua_newtable(L);
    slua__set_fn(L, "register_function", slua__register_function);
    slua__set_log(L);
    slua__set_version(L);
    for (int k = 0; k < 2; k++) { /* the redis table, then the globals */
        lua_newtable(L);
        lua_pushliteral(L, "__index");
        lua_pushcfunction(L, slua__nonexistent);
        lua_rawset(L, -3);
        lua_pushliteral(L, "__newindex");
        lua_pushcfunction(L, slua__readonly_error);
        lua_rawset(L, -3);
        lua_setmetatable(L, -2);
        if (k == 0) lua_rawset(L, -3);
    }
    lua_rawset(L, LUA_REGISTRYINDEX);
}

/* Points the globals' lookups (the environment's __index) at the load
 * API (load) or back at the real globals. */
static void slua__globals_for_load(lua_State *L, int load)
{
    lua_getmetatable(L, LUA_GLOBALSINDEX);
    lua_pushliteral(L, "__index");
    lua_pushlightuserdata(L, load ? (void *)&slua__key_load_api : (void *)&slua__key_globals);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

static const char *const slua__base_allowed[] = {
    "assert", "collectgarbage", "error",  "gcinfo",       "getmetatable", "ipairs",
    "load",   "loadstring",     "next",   "pairs",        "pcall",        "rawequal",
    "rawget", "rawset",         "select", "setmetatable", "tonumber",     "tostring",
    "type",   "unpack",         "xpcall", "_VERSION",     NULL,
};
static const char *const slua__libs[] = {"string", "table", "math", "coroutine", "cjson",
                                         "bit",    "redis", "os",   NULL};

struct lua_State *script_lua_create(void)
{
    lua_State *L = lua_newstate(slua__alloc, slua__building_functions ? &slua__bytes_functions
                                                                      : &slua__bytes_eval);
    if (L == NULL) return NULL;
    lua_atpanic(L, slua__panic);
    slua__open(L, luaopen_base, "");
    slua__open(L, luaopen_table, LUA_TABLIBNAME);
    slua__open(L, luaopen_string, LUA_STRLIBNAME);
    slua__open(L, luaopen_math, LUA_MATHLIBNAME);
    lua_pushcfunction(L, luaopen_cjson);
    lua_call(L, 0, 1);
    lua_setglobal(L, "cjson");
    lua_pushcfunction(L, luaopen_bit);
    lua_call(L, 0, 1);
    lua_setglobal(L, "bit");
    slua__push_redis_lib(L);
    lua_setglobal(L, "redis");

    /* The protected set (weak keys) and the error handler. */
    lua_pushlightuserdata(L, &slua__key_protected);
    lua_newtable(L);
    lua_newtable(L);
    lua_pushliteral(L, "__mode");
    lua_pushliteral(L, "k");
    lua_rawset(L, -3);
    lua_setmetatable(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
    lua_pushlightuserdata(L, &slua__key_errh);
    lua_pushcfunction(L, slua__errh);
    lua_rawset(L, LUA_REGISTRYINDEX);

    /* Functions replaced or guarded, in the full globals (index g0). */
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    int g0 = lua_gettop(L);
    lua_pushcfunction(L, slua__pcall);
    lua_setfield(L, g0, "pcall");
    lua_pushcfunction(L, slua__loadstring);
    lua_setfield(L, g0, "loadstring");
    lua_pushcfunction(L, slua__load);
    lua_setfield(L, g0, "load");
    lua_pushcfunction(L, slua__next);
    lua_setfield(L, g0, "next");
    lua_pushcfunction(L, slua__pairs);
    lua_setfield(L, g0, "pairs");
    lua_newtable(L);
    lua_pushcfunction(L, slua__os_clock);
    lua_setfield(L, -2, "clock");
    lua_setfield(L, g0, "os");
    slua__wrap(L, g0, "rawset", slua__guard);
    slua__wrap(L, g0, "setmetatable", slua__guard);
    lua_getfield(L, g0, "table");
    int tab = lua_gettop(L);
    slua__wrap(L, tab, "insert", slua__guard);
    slua__wrap(L, tab, "remove", slua__guard);
    slua__wrap(L, tab, "sort", slua__guard);
    lua_pop(L, 1);
    lua_getfield(L, g0, "math");
    lua_pushcfunction(L, slua__math_random);
    lua_setfield(L, -2, "random");
    lua_pushcfunction(L, slua__math_randomseed);
    lua_setfield(L, -2, "randomseed");
    lua_pop(L, 1);

    /* G: the allowed globals, libraries behind proxies. */
    lua_newtable(L);
    int g = lua_gettop(L);
    for (int i = 0; slua__base_allowed[i]; i++) {
        lua_getfield(L, g0, slua__base_allowed[i]);
        lua_setfield(L, g, slua__base_allowed[i]);
    }
    for (int i = 0; slua__libs[i]; i++) {
        lua_getfield(L, g0, slua__libs[i]);
        if (strcmp(slua__libs[i], "string") == 0) {
            /* The string metatable reads the library through the proxy. */
            slua__proxy(L);
            lua_pushliteral(L, "");
            lua_getmetatable(L, -1);
            lua_pushliteral(L, "__index");
            lua_pushvalue(L, -4);
            lua_rawset(L, -3);
            slua__protect_metatable(L);
            lua_pop(L, 2);
        } else {
            slua__proxy(L);
        }
        lua_setfield(L, g, slua__libs[i]);
    }
    lua_newtable(L);
    lua_pushliteral(L, "__index");
    lua_pushcfunction(L, slua__nonexistent);
    lua_rawset(L, -3);
    lua_setmetatable(L, g);
    slua__mark_protected(L, g, SLUA_HIDDEN);
    lua_pushlightuserdata(L, &slua__key_globals);
    lua_pushvalue(L, g);
    lua_rawset(L, LUA_REGISTRYINDEX);

    /* E: the empty environment scripts run in (and their _G). */
    lua_newtable(L);
    int e = lua_gettop(L);
    lua_newtable(L);
    lua_pushliteral(L, "__index");
    lua_pushvalue(L, g);
    lua_rawset(L, -3);
    lua_pushliteral(L, "__newindex");
    lua_pushcfunction(L, slua__readonly_error);
    lua_rawset(L, -3);
    lua_pushlightuserdata(L, &slua__key_target);
    lua_pushvalue(L, g);
    lua_rawset(L, -3);
    slua__protect_metatable(L);
    lua_setmetatable(L, e);
    slua__mark_protected(L, e, SLUA_PROXY);
    lua_pushvalue(L, e);
    lua_setfield(L, g, "_G");
    lua_pushvalue(L, e);
    lua_replace(L, LUA_GLOBALSINDEX);
    lua_settop(L, 0);
    if (slua__building_functions) slua__push_load_api(L);
    return L;
}

struct lua_State *script_lua_create_functions(void)
{
    slua__building_functions = 1;
    struct lua_State *L = script_lua_create();
    slua__building_functions = 0;
    return L;
}

static void slua__load_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    if (util_monotonic_us() > slua__load_deadline_us) {
        lua_sethook(L, slua__load_hook, LUA_MASKLINE, 0);
        slua__raise(L, "FUNCTION LOAD timeout");
    }
}

int script_lua_load_library(struct lua_State *L, const char *body, size_t len,
                            script_lua_register_fn *reg, void *ctx, char *err, size_t errcap)
{
    if (slua__load_text(L, body, len, "@user_function") != 0) {
        snprintf(err, errcap, "ERR Error compiling function: %s",
                 lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
        lua_settop(L, 0);
        return -1;
    }
    lua_pushlightuserdata(L, &slua__key_errh);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_insert(L, -2);
    slua__globals_for_load(L, 1);
    slua__reg = reg;
    slua__reg_ctx = ctx;
    slua__load_deadline_us = util_monotonic_us() + SLUA_LOAD_TIMEOUT_US;
    lua_sethook(L, slua__load_hook, LUA_MASKCOUNT, SLUA_HOOK_INSTRUCTIONS);
    slua__capped = 1;
    int rc = lua_pcall(L, 0, 0, -2);
    slua__capped = 0;
    lua_sethook(L, NULL, 0, 0);
    slua__reg = NULL;
    slua__reg_ctx = NULL;
    slua__globals_for_load(L, 0);
    if (rc != 0) {
        const char *msg = NULL;
        if (lua_istable(L, -1)) {
            slua__rawfield(L, -1, "err");
            msg = lua_tostring(L, -1);
        } else {
            msg = lua_tostring(L, -1);
        }
        snprintf(err, errcap, "ERR Error registering functions: %s", msg ? msg : "?");
        lua_settop(L, 0);
        return -1;
    }
    lua_settop(L, 0);
    return 0;
}

void script_lua_destroy(struct lua_State *L)
{
    if (L) lua_close(L);
}

void script_lua_free_scratch(void)
{
    mem_free(slua__argv);
    mem_free(slua__numbuf);
    slua__argv = NULL;
    slua__numbuf = NULL;
    slua__argv_cap = 0;
}

int script_lua_compile(struct lua_State *L, const char *body, size_t len, char *err, size_t errcap)
{
    if (slua__load_text(L, body, len, "@user_script") != 0) {
        snprintf(err, errcap, REPLY_ERR_SCRIPT_COMPILE_FMT,
                 lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
        lua_pop(L, 1);
        return -1;
    }
    return luaL_ref(L, LUA_REGISTRYINDEX);
}

void script_lua_release(struct lua_State *L, int ref)
{
    luaL_unref(L, LUA_REGISTRYINDEX, ref);
}

/* ---- Lua -> RESP ---- */

/* A Lua number as an integer reply: truncated toward zero; out of range
 * (and NaN) gives what Redis's cast gives on x86, LLONG_MIN. */
static long long slua__to_ll(lua_Number d)
{
    if (!(d > -9223372036854775808.0 && d < 9223372036854775808.0)) return INT64_MIN;
    return (long long)d;
}

/* t[name] without metamethods: after the script, nothing it defined may
 * run (an __index raising an error there would be unprotected). */
static void slua__rawfield(lua_State *L, int t, const char *name)
{
    t = t < 0 ? lua_gettop(L) + t + 1 : t;
    lua_pushstring(L, name);
    lua_rawget(L, t);
}

static size_t slua__table_field(lua_State *L, const char *field, int type)
{
    lua_pushstring(L, field);
    lua_rawget(L, -2);
    if (lua_type(L, -1) == type) return 1;
    lua_pop(L, 1);
    return 0;
}

/* Error replies from a script's error table: its message, and where it
 * was raised when known. counted: 0 when the error was already counted in
 * errorstats (it came from a command). */
static void slua__reply_error_table(lua_State *L, struct client *c, const char *sha)
{
    const char *msg = NULL, *source = NULL;
    char line[32] = "";
    int counted = 1;
    slua__rawfield(L, -1, "err");
    if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER) msg = lua_tostring(L, -1);
    slua__rawfield(L, -2, "source");
    if (lua_type(L, -1) == LUA_TSTRING) source = lua_tostring(L, -1);
    slua__rawfield(L, -3, "line");
    if (lua_type(L, -1) == LUA_TNUMBER)
        snprintf(line, sizeof(line), "%d", (int)lua_tonumber(L, -1));
    slua__rawfield(L, -4, "ignore_error_stats_update");
    if (lua_toboolean(L, -1)) counted = 0;
    char buf[1024];
    if (sha && source && line[0])
        snprintf(buf, sizeof(buf), "%s script: %s, on %s:%s.", msg ? msg : "ERR unknown error", sha,
                 source, line);
    else
        snprintf(buf, sizeof(buf), "%s", msg ? msg : "ERR unknown error");
    reply_error_counted(c, buf, counted);
    lua_pop(L, 4);
}

/* Replies the value at the top of the stack to c and pops it. */
static void slua__reply(lua_State *L, struct client *c)
{
    if (!lua_checkstack(L, 4)) {
        reply_error(c, REPLY_ERR_LUA_STACK);
        lua_pop(L, 1);
        return;
    }
    switch (lua_type(L, -1)) {
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        reply_bulk(c, s, len);
        break;
    }
    case LUA_TBOOLEAN:
        if (slua__resp == 2) {
            if (lua_toboolean(L, -1))
                reply_long(c, 1);
            else
                reply_null(c);
        } else {
            reply_bool(c, lua_toboolean(L, -1));
        }
        break;
    case LUA_TNUMBER: reply_long(c, slua__to_ll(lua_tonumber(L, -1))); break;
    case LUA_TTABLE: {
        if (slua__table_field(L, "err", LUA_TSTRING)) {
            lua_pop(L, 1);
            slua__reply_error_table(L, c, NULL);
            break;
        }
        if (slua__table_field(L, "ok", LUA_TSTRING)) {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            char *status = mem_strndup(s, len);
            for (size_t i = 0; i < len; i++)
                if (status[i] == '\r' || status[i] == '\n') status[i] = ' ';
            reply_status(c, status);
            mem_free(status);
            lua_pop(L, 1);
            break;
        }
        if (slua__table_field(L, "double", LUA_TNUMBER)) {
            reply_double(c, lua_tonumber(L, -1));
            lua_pop(L, 1);
            break;
        }
        if (slua__table_field(L, "big_number", LUA_TSTRING)) {
            size_t len;
            const char *s = lua_tolstring(L, -1, &len);
            reply_big_number(c, s, len);
            lua_pop(L, 1);
            break;
        }
        if (slua__table_field(L, "verbatim_string", LUA_TTABLE)) {
            slua__rawfield(L, -1, "format");
            slua__rawfield(L, -2, "string");
            if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING) {
                size_t flen, len;
                const char *f = lua_tolstring(L, -2, &flen);
                const char *s = lua_tolstring(L, -1, &len);
                char ext[4] = "txt";
                if (flen >= 3) memcpy(ext, f, 3);
                reply_verbatim(c, s, len, ext);
                lua_pop(L, 3);
                break;
            }
            lua_pop(L, 3);
        }
        if (slua__table_field(L, "map", LUA_TTABLE)) {
            size_t n = 0;
            lua_pushnil(L);
            while (lua_next(L, -2)) n++, lua_pop(L, 1);
            reply_map(c, n);
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                lua_pushvalue(L, -2);
                slua__reply(L, c); /* key */
                slua__reply(L, c); /* value */
            }
            lua_pop(L, 1);
            break;
        }
        if (slua__table_field(L, "set", LUA_TTABLE)) {
            size_t n = 0;
            lua_pushnil(L);
            while (lua_next(L, -2)) n++, lua_pop(L, 1);
            reply_set(c, n);
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                lua_pop(L, 1);
                lua_pushvalue(L, -1);
                slua__reply(L, c);
            }
            lua_pop(L, 1);
            break;
        }
        /* An array: up to the first nil. */
        size_t n = 0;
        for (;; n++) {
            lua_rawgeti(L, -1, (int)n + 1);
            int end = lua_isnil(L, -1);
            lua_pop(L, 1);
            if (end) break;
        }
        reply_array(c, n);
        for (size_t i = 0; i < n; i++) {
            lua_rawgeti(L, -1, (int)i + 1);
            slua__reply(L, c);
        }
        break;
    }
    default: reply_null(c); break;
    }
    lua_pop(L, 1);
}

/* ---- running ---- */

/* The kill error (SCRIPT KILL, SHUTDOWN NOSAVE): raised now, and again at
 * every line from here on, so a pcall in the script cannot swallow it for
 * good. */
static void slua__hook(lua_State *L, lua_Debug *ar);

static int slua__kill(lua_State *L)
{
    lua_sethook(L, slua__hook, LUA_MASKLINE, 0);
    return slua__raise(L, "Script killed by user with SCRIPT KILL...");
}

static void slua__hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    if (slua__host->interrupt()) slua__kill(L);
}

static void slua__set_array(lua_State *L, int g, const char *name, const struct arg *v, size_t n)
{
    lua_pushstring(L, name);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        lua_pushlstring(L, v[i].ptr, v[i].len);
        lua_rawseti(L, -2, (int)i + 1);
    }
    lua_rawset(L, g);
}

struct slua_run {
    int ref;
    const char *sha;
    struct client *caller;
    const struct arg *keys, *args;
    size_t nkeys, nargs;
    int hook;
    int function; /* FCALL: keys and args are its two parameters, not globals */
};

/* The whole run under lua_cpcall: building KEYS and ARGV or converting
 * the result could raise a Lua error (out of memory), which outside a
 * protected call would end the process. */
static int slua__run(lua_State *L)
{
    struct slua_run *r = lua_touserdata(L, 1);
    lua_settop(L, 0);
    luaL_checkstack(L, 8, "script");
    int nparams = 0;
    if (!r->function) {
        lua_pushlightuserdata(L, &slua__key_globals);
        lua_rawget(L, LUA_REGISTRYINDEX);
        slua__set_array(L, 1, "KEYS", r->keys, r->nkeys);
        slua__set_array(L, 1, "ARGV", r->args, r->nargs);
        lua_pop(L, 1);
    }
    lua_pushlightuserdata(L, &slua__key_errh);
    lua_rawget(L, LUA_REGISTRYINDEX);
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->ref);
    if (r->function) {
        for (int k = 0; k < 2; k++) {
            const struct arg *v = k ? r->args : r->keys;
            size_t n = k ? r->nargs : r->nkeys;
            lua_createtable(L, (int)n, 0);
            for (size_t i = 0; i < n; i++) {
                lua_pushlstring(L, v[i].ptr, v[i].len);
                lua_rawseti(L, -2, (int)i + 1);
            }
        }
        nparams = 2;
    }
    if (r->hook) lua_sethook(L, slua__hook, LUA_MASKCOUNT, SLUA_HOOK_INSTRUCTIONS);
    slua__capped = 1;
    int err = lua_pcall(L, nparams, 1, 1);
    slua__capped = 0;
    if (r->hook) lua_sethook(L, NULL, 0, 0);
    if (err == 0) {
        slua__reply(L, r->caller);
    } else if (lua_istable(L, -1)) {
        slua__reply_error_table(L, r->caller, r->sha);
    } else {
        /* Out of memory, or an error in the error handler: a message. */
        const char *msg = lua_tostring(L, -1);
        reply_errorf(r->caller, REPLY_ERR_SCRIPT_RUN_FMT, r->sha, msg ? msg : "execution failure");
    }
    return 0;
}

void script_lua_run(struct lua_State *L, int ref, const char *sha, struct client *caller,
                    const struct arg *keys, size_t nkeys, const struct arg *args, size_t nargs,
                    int hook, int function)
{
    static unsigned runs;
    struct slua_run r = {ref, sha, caller, keys, args, nkeys, nargs, hook, function};
    slua__resp = 2;
    int rc = lua_cpcall(L, slua__run, &r);
    if (rc == LUA_ERRMEM || slua__heap_full) {
        /* What a script that ran out of memory built is garbage now: give
         * it back at once rather than a GC step at a time. */
        slua__heap_full = 0;
        lua_gc(L, LUA_GCCOLLECT, 0);
    }
    if (rc != 0) {
        slua__capped = 0;
        lua_sethook(L, NULL, 0, 0);
        const char *msg = lua_tostring(L, -1);
        reply_errorf(caller, REPLY_ERR_SCRIPT_RUN_FMT, sha, msg ? msg : "execution failure");
    }
    lua_settop(L, 0);
    /* collectgarbage() is the one knob a script can leave turned for the
     * next ones: the collector runs, with Lua's default pacing, after each. */
    lua_gc(L, LUA_GCRESTART, 0);
    lua_gc(L, LUA_GCSETPAUSE, 200);
    lua_gc(L, LUA_GCSETSTEPMUL, 200);
    if (++runs % SLUA_GC_PERIOD == 0) lua_gc(L, LUA_GCSTEP, SLUA_GC_PERIOD);
}

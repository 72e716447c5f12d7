/* script.c - the script cache, running a script, its redis.call commands,
 * and the busy state (see script.h for the locking and BUSY design). */
#include "services/script.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/sha1.h"
#include "base/stats.h"
#include "base/util.h"
#include "client/client.h"
#include "client/reply.h"
#include "dispatch/call.h"
#include "dispatch/command.h"
#include "services/script_lua.h"
#include "storage/db.h"
#include "storage/lockset.h"

/* Scripts loaded by EVAL (not SCRIPT LOAD) beyond this many are dropped,
 * least recently used first, as Redis 7.4 does: an application that builds
 * a new script text per call must not grow the cache without bound. */
#define SCRIPT_EVAL_CACHE_MAX 500

struct script {
    char sha[41];
    int ref;        /* the compiled function, in the interpreter's registry */
    uint32_t flags; /* SCRIPT_FLAG_* */
    int from_eval;  /* loaded by EVAL and not SCRIPT LOAD: evictable */
    size_t body_len;
    struct script *hnext;
    struct script *lru_prev, *lru_next; /* EVAL-loaded ones, most recent first */
};

/* The interpreter and the cache. The interpreter is created on first use
 * and touched only by a command holding the script lock (or with one thread);
 * the hash table also changes only then, but the call path asks for
 * EVALSHA's flags without those locks, so it has a mutex of its own. */
static struct lua_State *script__L;
static struct lua_State *script__old_L; /* SCRIPT FLUSH ASYNC: the cron frees it */
static pthread_mutex_t script__cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct script **script__buckets;
static size_t script__nbuckets;
static struct script *script__lru_head, *script__lru_tail;
static size_t script__lru_n;
/* For INFO from any thread: relaxed atomics. */
static size_t script__count, script__bytes;
static uint64_t script__evicted;

/* The running script. state is a word other threads change (SCRIPT KILL)
 * with compare-and-swap, so "not yet written" and "killed" are decided in
 * one place: a kill can never land after the script's first write. */
#define SCRIPT_RUNNING 0x1
#define SCRIPT_WROTE   0x2
#define SCRIPT_KILLED  0x4
static int script__state;
static _Thread_local int script__mine; /* this thread runs the script */
static struct {
    struct client *caller;
    const char *name; /* the sha, or the function's name */
    int function;     /* FCALL (FUNCTION KILL, FUNCTION STATS) */
    uint64_t start_us;
    int readonly, allow_oom, oom;
} script__run;
/* Guards caller, name and function for other threads (FUNCTION STATS). */
static pthread_mutex_t script__info_lock = PTHREAD_MUTEX_INITIALIZER;
/* The client the script's commands run as: not connected; its replies
 * gather in its capture buffer (see client_write). */
static struct client script__client;

/* Threads waiting for a lock a busy script holds stop waiting (and their
 * clients get BUSY), except the script's own. */
static int script__give_up(void)
{
    return call_busy() && !script__mine;
}

static uint32_t script__command_flags(struct client *c, const struct command *cmd);
static script_function_flags_fn *script__function_flags;
static enum script_call_status script__call(const struct arg *argv, size_t argc, const char **reply,
                                            size_t *reply_len, const char **err);
static int script__interrupt(void);

void script_setup(void)
{
    static const struct script_lua_host host = {script__call, script__interrupt};
    script__client.flags = CLIENT_CAPTURE;
    script__client.resp = 2;
    script__client.authenticated = 1;
    script__client.db = db_get(0);
    lockset_set_give_up(script__give_up);
    call_hook_script_flags(script__command_flags);
    script_lua_set_host(&host);
}

/* ---- the cache ---- */

static size_t script__bucket(const char *sha)
{
    uint64_t h = 0;
    for (int i = 0; i < 16; i++)
        h = h << 4 | (uint64_t)(isdigit((unsigned char)sha[i]) ? sha[i] - '0' : sha[i] - 'a' + 10);
    return (size_t)h & (script__nbuckets - 1);
}

/* sha: 40 lower-case hex digits. The table changes only under both the
 * script lock and the cache lock, so a caller holding either may read it:
 * the EVAL family and SCRIPT (the script lock, CMD_LOCK_SCRIPT) or the
 * call path's flags hook (the cache lock, script__command_flags). */
static struct script *script__find(const char *sha)
{
    if (script__nbuckets == 0) return NULL;
    for (struct script *s = script__buckets[script__bucket(sha)]; s; s = s->hnext)
        if (memcmp(s->sha, sha, 40) == 0) return s;
    return NULL;
}

/* A sha argument as a lookup key: EVALSHA and SCRIPT EXISTS take any
 * case. Returns 0 if it cannot name a script. */
static int script__key(const struct arg *a, char out[41])
{
    if (a->len != 40) return 0;
    for (int i = 0; i < 40; i++) out[i] = (char)tolower((unsigned char)a->ptr[i]);
    out[40] = '\0';
    return 1;
}

static void script__lru_unlink(struct script *s)
{
    if (s->lru_prev)
        s->lru_prev->lru_next = s->lru_next;
    else
        script__lru_head = s->lru_next;
    if (s->lru_next)
        s->lru_next->lru_prev = s->lru_prev;
    else
        script__lru_tail = s->lru_prev;
    s->lru_prev = s->lru_next = NULL;
    script__lru_n--;
}

static void script__lru_push(struct script *s)
{
    s->lru_prev = NULL;
    s->lru_next = script__lru_head;
    if (script__lru_head) script__lru_head->lru_prev = s;
    script__lru_head = s;
    if (script__lru_tail == NULL) script__lru_tail = s;
    script__lru_n++;
}

static size_t script__cost(const struct script *s)
{
    return sizeof(*s) + s->body_len;
}

/* Unlinks s from the hash table and frees it (its function goes with
 * the interpreter, or is released here). */
static void script__drop(struct script *s, int release)
{
    pthread_mutex_lock(&script__cache_lock);
    struct script **link = &script__buckets[script__bucket(s->sha)];
    while (*link != s) link = &(*link)->hnext;
    *link = s->hnext;
    pthread_mutex_unlock(&script__cache_lock);
    if (s->from_eval) script__lru_unlink(s);
    if (release) script_lua_release(script__L, s->ref);
    __atomic_sub_fetch(&script__count, 1, __ATOMIC_RELAXED);
    __atomic_sub_fetch(&script__bytes, script__cost(s), __ATOMIC_RELAXED);
    mem_free(s);
}

static void script__insert(struct script *s)
{
    pthread_mutex_lock(&script__cache_lock);
    size_t count = __atomic_load_n(&script__count, __ATOMIC_RELAXED);
    if (count + 1 > script__nbuckets) {
        size_t n = script__nbuckets ? script__nbuckets * 2 : 64;
        struct script **b = mem_calloc(n * sizeof(*b));
        size_t old = script__nbuckets;
        struct script **ob = script__buckets;
        script__buckets = b;
        script__nbuckets = n;
        for (size_t i = 0; i < old; i++) {
            while (ob[i]) {
                struct script *x = ob[i];
                ob[i] = x->hnext;
                size_t k = script__bucket(x->sha);
                x->hnext = b[k];
                b[k] = x;
            }
        }
        mem_free(ob);
    }
    size_t k = script__bucket(s->sha);
    s->hnext = script__buckets[k];
    script__buckets[k] = s;
    pthread_mutex_unlock(&script__cache_lock);
    __atomic_add_fetch(&script__count, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&script__bytes, script__cost(s), __ATOMIC_RELAXED);
}

/* The shebang line, Redis 7's rules: "#!lua" then options separated by
 * white space; only flags=<comma separated list> is known. Returns 0 with
 * the flags and the shebang's length (up to, not including, its newline,
 * so line numbers stay the user's), or -1 with the error reply in err. */
static int script__shebang(const char *body, size_t len, uint32_t *flags, size_t *skip, char *err,
                           size_t errcap)
{
    static const struct {
        const char *name;
        uint32_t flag;
    } names[] = {
        {"no-writes", SCRIPT_FLAG_NO_WRITES},
        {"allow-oom", SCRIPT_FLAG_ALLOW_OOM},
        {"allow-stale", SCRIPT_FLAG_ALLOW_STALE},
        {"no-cluster", SCRIPT_FLAG_NO_CLUSTER},
        {"allow-cross-slot-keys", SCRIPT_FLAG_CROSS_SLOT},
    };
    *flags = SCRIPT_FLAG_COMPAT;
    *skip = 0;
    if (len < 2 || body[0] != '#' || body[1] != '!') return 0;
    const char *nl = memchr(body, '\n', len);
    if (nl == NULL) {
        snprintf(err, errcap, "ERR Invalid script shebang");
        return -1;
    }
    *skip = (size_t)(nl - body);
    *flags = 0;
    size_t pos = 0;
    for (int part = 0;; part++) {
        while (pos < *skip && isspace((unsigned char)body[pos])) pos++;
        if (pos == *skip) break;
        size_t start = pos;
        while (pos < *skip && !isspace((unsigned char)body[pos])) pos++;
        const char *tok = body + start;
        int n = (int)(pos - start);
        if (part == 0) {
            if (n != 5 || memcmp(tok, "#!lua", 5) != 0) {
                snprintf(err, errcap, "ERR Unexpected engine in script shebang: %.*s", n, tok);
                return -1;
            }
            continue;
        }
        if (n < 6 || memcmp(tok, "flags=", 6) != 0) {
            snprintf(err, errcap, "ERR Unknown lua shebang option: %.*s", n, tok);
            return -1;
        }
        const char *f = tok + 6, *end = tok + n;
        while (f < end) {
            const char *comma = memchr(f, ',', (size_t)(end - f));
            size_t flen = comma ? (size_t)(comma - f) : (size_t)(end - f);
            size_t i = 0;
            for (; i < sizeof(names) / sizeof(names[0]); i++)
                if (strlen(names[i].name) == flen && memcmp(names[i].name, f, flen) == 0) break;
            if (i == sizeof(names) / sizeof(names[0])) {
                snprintf(err, errcap, "ERR Unexpected flag in script shebang: %.*s", (int)flen, f);
                return -1;
            }
            *flags |= names[i].flag;
            f += flen + (comma != NULL);
            if (comma && f == end) {
                snprintf(err, errcap, "ERR Unexpected flag in script shebang: ");
                return -1;
            }
        }
    }
    return 0;
}

static struct lua_State *script__interp(void)
{
    if (script__L == NULL) script__L = script_lua_create();
    return script__L;
}

/* Drops least recently used EVAL scripts beyond the cap. */
static void script__evict(void)
{
    while (script__lru_n > SCRIPT_EVAL_CACHE_MAX) {
        script__drop(script__lru_tail, 1);
        __atomic_add_fetch(&script__evicted, 1, __ATOMIC_RELAXED);
    }
}

/* Compiles and caches body under sha. Returns the script, or NULL after
 * replying the error (bad shebang, syntax error) to c. */
static struct script *script__create(struct client *c, const char *body, size_t len,
                                     const char *sha, int from_eval)
{
    uint32_t flags;
    size_t skip;
    char err[512];
    if (script__shebang(body, len, &flags, &skip, err, sizeof(err)) != 0) {
        reply_error(c, err);
        return NULL;
    }
    int ref = script_lua_compile(script__interp(), body + skip, len - skip, err, sizeof(err));
    if (ref < 0) {
        reply_error(c, err);
        return NULL;
    }
    struct script *s = mem_calloc(sizeof(*s));
    memcpy(s->sha, sha, 41);
    s->ref = ref;
    s->flags = flags;
    s->from_eval = from_eval;
    s->body_len = len;
    script__insert(s);
    if (from_eval) {
        script__lru_push(s);
        script__evict();
    }
    return s;
}

/* ---- the call path's question ---- */

/* An EVAL-family request's flags adjusted by its script's shebang (a
 * script without no-writes is a write, and denyoom without allow-oom), as
 * Redis does before running it. */
static uint32_t script__command_flags(struct client *c, const struct command *cmd)
{
    uint32_t flags = cmd->flags, sf;
    if (c->argc < 2) return flags;
    if (strncmp(cmd->name, "fcall", 5) == 0) { /* FCALL, FCALL_RO: the function's flags */
        if (script__function_flags == NULL || !script__function_flags(&c->argv[1], &sf))
            return flags;
    } else if (strncmp(cmd->name, "evalsha", 7) == 0) { /* EVALSHA, EVALSHA_RO */
        char sha[41];
        if (!script__key(&c->argv[1], sha)) return flags;
        pthread_mutex_lock(&script__cache_lock);
        struct script *s = script__find(sha);
        sf = s ? s->flags : SCRIPT_FLAG_COMPAT;
        pthread_mutex_unlock(&script__cache_lock);
    } else {
        size_t skip;
        char err[256];
        if (script__shebang(c->argv[1].ptr, c->argv[1].len, &sf, &skip, err, sizeof(err)) != 0)
            return flags;
    }
    if (sf & SCRIPT_FLAG_COMPAT) return flags;
    /* Declared flags replace the command's: writes unless no-writes, and
     * denyoom unless allow-oom (no-writes implies it). */
    flags &= ~(CMD_WRITE | CMD_DENYOOM | CMD_STALE);
    if (!(sf & (SCRIPT_FLAG_NO_WRITES | SCRIPT_FLAG_ALLOW_OOM))) flags |= CMD_DENYOOM;
    if (!(sf & SCRIPT_FLAG_NO_WRITES)) flags |= CMD_WRITE;
    if (sf & SCRIPT_FLAG_ALLOW_STALE) flags |= CMD_STALE;
    return flags;
}

/* ---- running ---- */

static void script__busy_end(void)
{
    if (!call_busy()) return;
    call_busy_end();
    log_msg(LL_WARNING, "Slow script finished after %llu milliseconds.",
            (unsigned long long)((util_monotonic_us() - script__run.start_us) / 1000));
}

static void script__execute(struct client *c, struct lua_State *L, int ref, const char *name,
                            uint32_t flags, int readonly, int function, size_t nk);

void script_eval(struct client *c, int by_sha, int readonly)
{
    long long numkeys;
    if (!util_str2ll(c->argv[2].ptr, c->argv[2].len, &numkeys)) {
        reply_error(c, REPLY_ERR_NOT_INT);
        return;
    }
    if (numkeys > (long long)c->argc - 3) {
        reply_error(c, REPLY_ERR_NUMKEYS_BIG);
        return;
    }
    if (numkeys < 0) {
        reply_error(c, REPLY_ERR_NUMKEYS_NEG);
        return;
    }
    struct script *s;
    char sha[41];
    if (by_sha) {
        s = script__key(&c->argv[1], sha) ? script__find(sha) : NULL;
        if (s == NULL) {
            reply_error(c, REPLY_ERR_NOSCRIPT);
            return;
        }
    } else {
        sha1_hex(c->argv[1].ptr, c->argv[1].len, sha);
        s = script__find(sha);
        if (s == NULL && (s = script__create(c, c->argv[1].ptr, c->argv[1].len, sha, 1)) == NULL)
            return;
    }
    if (s->from_eval && s != script__lru_head) {
        script__lru_unlink(s);
        script__lru_push(s);
    }
    script__execute(c, script__L, s->ref, s->sha, s->flags, readonly, 0, (size_t)numkeys);
}

/* Runs a compiled callable for c, an EVAL body or (function) a library's
 * function named name: the shebang or function flags' checks (OOM, a
 * write flag under *_RO), the run state other threads see (SCRIPT KILL,
 * FUNCTION STATS), the run, and the cleanup. Caller holds the script
 * lock. */
static void script__execute(struct client *c, struct lua_State *L, int ref, const char *name,
                            uint32_t flags, int readonly, int function, size_t nk)
{
    if (!(flags & SCRIPT_FLAG_COMPAT)) {
        /* no-writes implies allow-oom: it cannot grow memory. */
        if (!(flags & (SCRIPT_FLAG_ALLOW_OOM | SCRIPT_FLAG_NO_WRITES)) && call_oom() &&
            CFG(maxmemory)) {
            reply_error(c, REPLY_ERR_SCRIPT_OOM);
            return;
        }
        if (readonly && !(flags & SCRIPT_FLAG_NO_WRITES)) {
            reply_error(c, REPLY_ERR_SCRIPT_RO);
            return;
        }
    }
    pthread_mutex_lock(&script__info_lock);
    script__run.caller = c;
    script__run.name = name;
    script__run.function = function;
    pthread_mutex_unlock(&script__info_lock);
    script__run.readonly =
        readonly || (!(flags & SCRIPT_FLAG_COMPAT) && (flags & SCRIPT_FLAG_NO_WRITES));
    script__run.allow_oom = !(flags & SCRIPT_FLAG_COMPAT) && (flags & SCRIPT_FLAG_ALLOW_OOM);
    script__run.oom = call_oom();
    script__run.start_us = util_monotonic_us();
    script__client.db = c->db;
    script__client.dbid = c->dbid;
    script__mine = 1;
    __atomic_store_n(&script__state, SCRIPT_RUNNING, __ATOMIC_SEQ_CST);

    script_lua_run(L, ref, name, c, &c->argv[3], nk, &c->argv[3 + nk], c->argc - 3 - nk,
                   CFG(busy_reply_threshold) > 0, function);

    __atomic_store_n(&script__state, 0, __ATOMIC_SEQ_CST);
    script__busy_end();
    script__mine = 0;
    pthread_mutex_lock(&script__info_lock);
    script__run.caller = NULL;
    script__run.name = NULL;
    pthread_mutex_unlock(&script__info_lock);
    if (script__client.capture_cap > 64 * 1024) {
        mem_free(script__client.capture);
        script__client.capture = NULL;
        script__client.capture_cap = 0;
    }
    script__client.capture_len = 0;
}

/* The Lua side's redis.call: the checks Redis makes for a command called
 * from a script, then the call path, on the script's client. */
static enum script_call_status script__call(const struct arg *argv, size_t argc, const char **reply,
                                            size_t *reply_len, const char **err)
{
    struct client *c = &script__client;
    const struct command *cmd = command_find(argv, argc);
    *err = NULL;
    if (cmd == NULL)
        *err = REPLY_ERR_CALL_UNKNOWN;
    else if (!command_arity_ok(cmd, argc))
        *err = REPLY_ERR_CALL_ARITY;
    else if (cmd->flags & CMD_NOSCRIPT)
        *err = REPLY_ERR_CALL_NOSCRIPT;
    else if ((cmd->flags & CMD_WRITE) && script__run.readonly)
        *err = REPLY_ERR_CALL_WRITE_RO;
    else if ((cmd->flags & CMD_DENYOOM) && !script__run.allow_oom && script__run.oom &&
             CFG(maxmemory) && !(__atomic_load_n(&script__state, __ATOMIC_RELAXED) & SCRIPT_WROTE))
        /* Only before the first write: a script cannot stop half way. */
        *err = REPLY_ERR_CALL_OOM;
    if (*err) {
        if ((*err)[0] == '-') {
            stats_count_error(*err + 1, strlen(*err + 1));
        } else {
            stats_count_error("ERR", 3);
        }
        if (cmd) STAT_INC(cmd[cmd->index].rejected_calls, 1);
        return SCRIPT_CALL_REFUSED;
    }
    if (cmd->flags & CMD_WRITE) {
        int st = __atomic_load_n(&script__state, __ATOMIC_SEQ_CST);
        while (!(st & SCRIPT_WROTE)) {
            if (st & SCRIPT_KILLED) return SCRIPT_CALL_KILLED;
            if (__atomic_compare_exchange_n(&script__state, &st, st | SCRIPT_WROTE, 0,
                                            __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
                break;
        }
    }
    c->argv = (struct arg *)argv;
    c->argc = argc;
    c->capture_len = 0;
    c->resp = script_lua_resp();
    call_for_script(c, cmd, script__run.caller);
    c->argv = NULL;
    c->argc = 0;
    *reply = c->capture ? c->capture : "";
    *reply_len = c->capture_len;
    return SCRIPT_CALL_OK;
}

/* The Lua side's hook, every so many instructions: notices the script
 * going past busy-reply-threshold, serves this thread's clients while it
 * is busy, and says whether the script must stop. */
static int script__interrupt(void)
{
    if (!call_busy()) {
        long long limit = CFG(busy_reply_threshold);
        uint64_t elapsed = (util_monotonic_us() - script__run.start_us) / 1000;
        if (limit > 0 && elapsed >= (uint64_t)limit) {
            log_msg(LL_WARNING,
                    "Slow script detected: still in execution after %llu milliseconds. You can "
                    "try killing the script using the SCRIPT KILL command.",
                    (unsigned long long)elapsed);
            call_busy_set_function(script__run.function);
            call_busy_begin(script__run.caller);
        }
    }
    if (call_busy()) call_busy_poll();
    return (__atomic_load_n(&script__state, __ATOMIC_SEQ_CST) & SCRIPT_KILLED) != 0;
}

int script_kill(int function, const char **err)
{
    int st = __atomic_load_n(&script__state, __ATOMIC_SEQ_CST);
    for (;;) {
        if (!(st & SCRIPT_RUNNING)) {
            *err = REPLY_ERR_NOTBUSY;
            return -1;
        }
        if (st & SCRIPT_WROTE) {
            *err = REPLY_ERR_UNKILLABLE;
            return -1;
        }
        /* SCRIPT KILL stops an EVAL, FUNCTION KILL a function. */
        pthread_mutex_lock(&script__info_lock);
        int running_function = script__run.function;
        pthread_mutex_unlock(&script__info_lock);
        if (running_function != function) {
            *err = running_function ? REPLY_ERR_BUSY_FUNCTION : REPLY_ERR_BUSY;
            return -1;
        }
        if (__atomic_compare_exchange_n(&script__state, &st, st | SCRIPT_KILLED, 0,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            return 0;
    }
}

void script_fcall(struct client *c, struct lua_State *L, int ref, const char *name, uint32_t flags,
                  int readonly, size_t nkeys)
{
    script__execute(c, L, ref, name, flags, readonly, 1, nkeys);
}

int script_eval_running(void)
{
    pthread_mutex_lock(&script__info_lock);
    int eval = script__run.caller != NULL && !script__run.function;
    pthread_mutex_unlock(&script__info_lock);
    return eval;
}

int script_running_function(script_running_fn *fn, void *arg)
{
    pthread_mutex_lock(&script__info_lock);
    int found = script__run.caller != NULL && script__run.function;
    if (found)
        fn(script__run.name, script__run.caller->argv, script__run.caller->argc,
           (long long)((util_monotonic_us() - script__run.start_us) / 1000), arg);
    pthread_mutex_unlock(&script__info_lock);
    return found;
}

void script_set_function_flags(script_function_flags_fn *fn)
{
    script__function_flags = fn;
}

void script_abort_for_shutdown(void)
{
    if (__atomic_load_n(&script__state, __ATOMIC_SEQ_CST) & SCRIPT_RUNNING)
        __atomic_or_fetch(&script__state, SCRIPT_KILLED, __ATOMIC_SEQ_CST);
}

/* ---- SCRIPT LOAD / EXISTS / FLUSH ---- */

int script_load(struct client *c, const char *body, size_t len, char sha[41])
{
    sha1_hex(body, len, sha);
    struct script *s = script__find(sha);
    if (s == NULL) {
        if (script__create(c, body, len, sha, 0) == NULL) return -1;
    } else if (s->from_eval) {
        /* Loaded on purpose now: no longer evictable. */
        script__lru_unlink(s);
        s->from_eval = 0;
    }
    return 0;
}

int script_exists(const struct arg *a)
{
    char sha[41];
    return script__key(a, sha) && script__find(sha) != NULL;
}

void script_flush(int async)
{
    for (size_t i = 0; i < script__nbuckets; i++)
        while (script__buckets[i]) script__drop(script__buckets[i], 0);
    struct lua_State *L = script__L;
    script__L = NULL; /* a new one on next use */
    if (L == NULL) return;
    if (async) L = __atomic_exchange_n(&script__old_L, L, __ATOMIC_ACQ_REL);
    script_lua_destroy(L);
}

void script_cron(void)
{
    if (__atomic_load_n(&script__old_L, __ATOMIC_RELAXED) == NULL) return;
    script_lua_destroy(__atomic_exchange_n(&script__old_L, NULL, __ATOMIC_ACQ_REL));
}

void script_info(struct script_info *out)
{
    out->vm_functions = script_lua_memory_functions();
    out->lua_bytes = script_lua_memory() - out->vm_functions;
    out->cache_bytes = __atomic_load_n(&script__bytes, __ATOMIC_RELAXED);
    out->cached_scripts = __atomic_load_n(&script__count, __ATOMIC_RELAXED);
    out->evicted = __atomic_load_n(&script__evicted, __ATOMIC_RELAXED);
}

void script_teardown(void)
{
    script_flush(0);
    script_cron();
    script_lua_free_scratch();
    mem_free(script__buckets);
    script__buckets = NULL;
    script__nbuckets = 0;
    mem_free(script__client.capture);
    script__client.capture = NULL;
}

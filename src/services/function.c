/* function.c - the function libraries and the FUNCTION and FCALL
 * commands' work (see function.h for the model).
 *
 * Libraries are a list, each with its list of functions; FCALL finds a
 * function by a walk over them. Applications load a handful of libraries
 * of a few functions each, for which a walk of a few dozen names costs
 * less than the hash of the name would; a table would come with a need.
 *
 * FUNCTION LOAD builds the new library apart, from what its body
 * registers, and only then checks it against the others and links it in
 * (replacing the old one with REPLACE), so a failed load changes nothing,
 * as in Redis. */
#include "services/function.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/dump.h"
#include "base/mem.h"
#include "base/util.h"
#include "client/client.h"
#include "client/reply.h"
#include "services/script.h"
#include "services/script_lua.h"

#define FN_ERR_NAME                                                                                \
    "Library names can only contain letters, numbers, or underscores(_) and must be at least one " \
    "character long"

struct fn_lib;

struct fn_func {
    struct fn_func *next;
    struct fn_lib *lib;
    char *name, *desc; /* desc NULL: none */
    uint32_t flags;    /* SCRIPT_FLAG_* */
    int ref;           /* the callback, in the interpreter's registry */
};

struct fn_lib {
    struct fn_lib *next;
    char *name;
    char *code;
    size_t code_len;
    struct fn_func *funcs;
    size_t nfuncs;
};

static struct lua_State *fn__L;
static struct fn_lib *fn__libs;
static size_t fn__nlibs, fn__nfuncs, fn__bytes;
/* Taken with the script lock to change the lists, alone to read FCALL's
 * flags from the call path. */
static pthread_mutex_t fn__lock = PTHREAD_MUTEX_INITIALIZER;

static struct lua_State *fn__interp(void)
{
    if (fn__L == NULL) fn__L = script_lua_create_functions();
    return fn__L;
}

/* Letters, digits and underscores, at least one (Redis's rule for both
 * library and function names). */
static int fn__name_ok(const char *s, size_t len)
{
    if (len == 0) return 0;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_'))
            return 0;
    }
    return 1;
}

/* Function names are case-insensitive across libraries (FCALL, and a
 * name another library has), as in Redis. */
static struct fn_func *fn__find(const char *name, size_t len)
{
    for (struct fn_lib *l = fn__libs; l; l = l->next)
        for (struct fn_func *f = l->funcs; f; f = f->next)
            if (strlen(f->name) == len && strncasecmp(f->name, name, len) == 0) return f;
    return NULL;
}

static struct fn_lib *fn__find_lib(const char *name, size_t len)
{
    for (struct fn_lib *l = fn__libs; l; l = l->next)
        if (strlen(l->name) == len && memcmp(l->name, name, len) == 0) return l;
    return NULL;
}

static size_t fn__lib_bytes(const struct fn_lib *l)
{
    size_t n = sizeof(*l) + strlen(l->name) + l->code_len;
    for (const struct fn_func *f = l->funcs; f; f = f->next)
        n += sizeof(*f) + strlen(f->name) + (f->desc ? strlen(f->desc) : 0);
    return n;
}

/* Frees a library that is not linked (its functions' callbacks too, when
 * the interpreter still lives). */
static void fn__lib_free(struct fn_lib *l, int release)
{
    for (struct fn_func *f = l->funcs, *next; f; f = next) {
        next = f->next;
        if (release && fn__L) script_lua_release(fn__L, f->ref);
        mem_free(f->name);
        mem_free(f->desc);
        mem_free(f);
    }
    mem_free(l->name);
    mem_free(l->code);
    mem_free(l);
}

static void fn__link(struct fn_lib *l)
{
    pthread_mutex_lock(&fn__lock);
    l->next = fn__libs;
    fn__libs = l;
    fn__nlibs++;
    fn__nfuncs += l->nfuncs;
    fn__bytes += fn__lib_bytes(l);
    pthread_mutex_unlock(&fn__lock);
}

static void fn__unlink(struct fn_lib *l)
{
    pthread_mutex_lock(&fn__lock);
    struct fn_lib **p = &fn__libs;
    while (*p != l) p = &(*p)->next;
    *p = l->next;
    fn__nlibs--;
    fn__nfuncs -= l->nfuncs;
    fn__bytes -= fn__lib_bytes(l);
    pthread_mutex_unlock(&fn__lock);
}

/* ---- FUNCTION LOAD ---- */

/* redis.register_function's callback: a function joins the library
 * being built. */
static int fn__register(void *ctx, const char *name, size_t nlen, const char *desc, size_t dlen,
                        uint32_t flags, int ref, char *err, size_t errcap)
{
    struct fn_lib *l = ctx;
    if (!fn__name_ok(name, nlen)) {
        snprintf(err, errcap, "%s", FN_ERR_NAME);
        return -1;
    }
    for (struct fn_func *f = l->funcs; f; f = f->next)
        if (strlen(f->name) == nlen && memcmp(f->name, name, nlen) == 0) {
            snprintf(err, errcap, "Function already exists in the library");
            return -1;
        }
    struct fn_func *f = mem_calloc(sizeof(*f));
    f->lib = l;
    f->name = mem_strndup(name, nlen);
    f->desc = desc ? mem_strndup(desc, dlen) : NULL;
    f->flags = flags;
    f->ref = ref;
    /* Appended: FUNCTION LIST shows them in registration order. */
    struct fn_func **tail = &l->funcs;
    while (*tail) tail = &(*tail)->next;
    *tail = f;
    l->nfuncs++;
    return 0;
}

/* The shebang, Redis's functionExtractLibMetaData: "#!<engine>" and
 * name=<library>, separated by spaces. Fills name (owned by the caller)
 * and where the body starts; or writes the error. */
static int fn__metadata(const char *code, size_t len, char **name, size_t *body_at, char *err,
                        size_t errcap)
{
    *name = NULL;
    if (len < 2 || code[0] != '#' || code[1] != '!') {
        snprintf(err, errcap, "ERR Missing library metadata");
        return -1;
    }
    const char *nl = memchr(code, '\n', len);
    if (nl == NULL) {
        snprintf(err, errcap, "ERR Invalid library metadata");
        return -1;
    }
    size_t end = (size_t)(nl - code), pos = 2, start;
    /* The engine. */
    start = pos;
    while (pos < end && !isspace((unsigned char)code[pos])) pos++;
    size_t elen = pos - start;
    const char *engine = code + start;
    while (pos < end) {
        while (pos < end && isspace((unsigned char)code[pos])) pos++;
        if (pos == end) break;
        start = pos;
        while (pos < end && !isspace((unsigned char)code[pos])) pos++;
        const char *part = code + start;
        size_t plen = pos - start;
        if (plen >= 5 && strncasecmp(part, "name=", 5) == 0) {
            if (*name) {
                snprintf(err, errcap,
                         "ERR Invalid metadata value, name argument was given multiple times");
                goto fail;
            }
            *name = mem_strndup(part + 5, plen - 5);
            continue;
        }
        snprintf(err, errcap, "ERR Invalid metadata value given: %.*s", (int)plen, part);
        goto fail;
    }
    if (*name == NULL) {
        snprintf(err, errcap, "ERR Library name was not given");
        return -1;
    }
    if (!fn__name_ok(*name, strlen(*name))) {
        snprintf(err, errcap, "ERR %s", FN_ERR_NAME);
        goto fail;
    }
    if (elen != 3 || strncasecmp(engine, "lua", 3) != 0) {
        snprintf(err, errcap, "ERR Engine '%.*s' not found", (int)elen, engine);
        goto fail;
    }
    *body_at = end;
    return 0;
fail:
    mem_free(*name);
    *name = NULL;
    return -1;
}

/* Runs a library's body (after its metadata was read: name taken, body
 * from body_at) into an unlinked library; NULL with the error in err. */
static struct fn_lib *fn__build(char *name, const char *code, size_t len, size_t body_at, char *err,
                                size_t errcap)
{
    struct fn_lib *l = mem_calloc(sizeof(*l));
    l->name = name;
    l->code = mem_strndup(code, len);
    l->code_len = len;
    /* The body from the shebang's newline: line numbers stay the user's. */
    if (script_lua_load_library(fn__interp(), l->code + body_at, l->code_len - body_at,
                                fn__register, l, err, errcap) != 0) {
        fn__lib_free(l, 1);
        return NULL;
    }
    if (l->nfuncs == 0) {
        snprintf(err, errcap, "ERR No functions registered");
        fn__lib_free(l, 1);
        return NULL;
    }
    return l;
}

void function_load(struct client *c)
{
    int replace = 0;
    size_t at = 2;
    while (at < c->argc - 1) {
        const struct arg *a = &c->argv[at++];
        if (a->len == 7 && strncasecmp(a->ptr, "replace", 7) == 0) {
            replace = 1;
            continue;
        }
        reply_errorf(c, "ERR Unknown option given: %.*s", (int)a->len, a->ptr);
        return;
    }
    if (at >= c->argc) {
        reply_error(c, "ERR Function code is missing");
        return;
    }
    const struct arg *code = &c->argv[at];
    char err[512], *name;
    size_t body_at;
    if (fn__metadata(code->ptr, code->len, &name, &body_at, err, sizeof(err)) != 0) {
        reply_error(c, err);
        return;
    }
    struct fn_lib *old = fn__find_lib(name, strlen(name));
    if (old && !replace) {
        reply_errorf(c, "ERR Library '%s' already exists", name);
        mem_free(name);
        return;
    }
    struct fn_lib *l = fn__build(name, code->ptr, code->len, body_at, err, sizeof(err));
    if (l == NULL) {
        reply_error(c, err);
        return;
    }
    for (struct fn_func *f = l->funcs; f; f = f->next) {
        struct fn_func *other = fn__find(f->name, strlen(f->name));
        if (other && other->lib != old) {
            reply_errorf(c, "ERR Function %s already exists", f->name);
            fn__lib_free(l, 1);
            return;
        }
    }
    if (old) {
        fn__unlink(old);
        fn__lib_free(old, 1);
    }
    fn__link(l);
    reply_bulk_cstr(c, l->name);
}

/* ---- FCALL ---- */

void function_fcall(struct client *c, int readonly)
{
    struct fn_func *f = fn__find(c->argv[1].ptr, c->argv[1].len);
    if (f == NULL) {
        reply_error(c, "ERR Function not found");
        return;
    }
    long long numkeys;
    if (!util_str2ll(c->argv[2].ptr, c->argv[2].len, &numkeys)) {
        reply_error(c, "ERR Bad number of keys provided");
        return;
    }
    if (numkeys > (long long)c->argc - 3) {
        reply_error(c, "ERR Number of keys can't be greater than number of args");
        return;
    }
    if (numkeys < 0) {
        reply_error(c, "ERR Number of keys can't be negative");
        return;
    }
    script_fcall(c, fn__L, f->ref, f->name, f->flags, readonly, (size_t)numkeys);
}

static int fn__flags(const struct arg *name, uint32_t *flags)
{
    pthread_mutex_lock(&fn__lock);
    struct fn_func *f = fn__find(name->ptr, name->len);
    if (f) *flags = f->flags;
    pthread_mutex_unlock(&fn__lock);
    return f != NULL;
}

/* ---- FUNCTION LIST, DELETE, FLUSH, STATS ---- */

static void fn__reply_flags(struct client *c, uint32_t flags)
{
    static const struct {
        uint32_t flag;
        const char *name;
    } names[] = {{SCRIPT_FLAG_NO_WRITES, "no-writes"},
                 {SCRIPT_FLAG_ALLOW_OOM, "allow-oom"},
                 {SCRIPT_FLAG_ALLOW_STALE, "allow-stale"},
                 {SCRIPT_FLAG_NO_CLUSTER, "no-cluster"},
                 {SCRIPT_FLAG_CROSS_SLOT, "allow-cross-slot-keys"}};
    size_t n = 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) n += (flags & names[i].flag) != 0;
    reply_set(c, n);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (flags & names[i].flag) reply_status(c, names[i].name);
}

/* FUNCTION LIST [WITHCODE] [LIBRARYNAME pattern]. */
void function_list(struct client *c)
{
    int with_code = 0;
    const struct arg *pattern = NULL;
    for (size_t i = 2; i < c->argc; i++) {
        const struct arg *a = &c->argv[i];
        if (!with_code && a->len == 8 && strncasecmp(a->ptr, "withcode", 8) == 0) {
            with_code = 1;
            continue;
        }
        if (!pattern && a->len == 11 && strncasecmp(a->ptr, "libraryname", 11) == 0) {
            if (i >= c->argc - 1) {
                reply_error(c, "ERR library name argument was not given");
                return;
            }
            pattern = &c->argv[++i];
            continue;
        }
        reply_errorf(c, "ERR Unknown argument %.*s", (int)a->len, a->ptr);
        return;
    }
    size_t n = 0;
    for (struct fn_lib *l = fn__libs; l; l = l->next)
        if (!pattern || util_glob_match(pattern->ptr, pattern->len, l->name, strlen(l->name), 1))
            n++;
    reply_array(c, n);
    for (struct fn_lib *l = fn__libs; l; l = l->next) {
        if (pattern && !util_glob_match(pattern->ptr, pattern->len, l->name, strlen(l->name), 1))
            continue;
        reply_map(c, with_code ? 4 : 3);
        reply_bulk_cstr(c, "library_name");
        reply_bulk_cstr(c, l->name);
        reply_bulk_cstr(c, "engine");
        reply_bulk_cstr(c, "LUA");
        reply_bulk_cstr(c, "functions");
        reply_array(c, l->nfuncs);
        for (struct fn_func *f = l->funcs; f; f = f->next) {
            reply_map(c, 3);
            reply_bulk_cstr(c, "name");
            reply_bulk_cstr(c, f->name);
            reply_bulk_cstr(c, "description");
            if (f->desc)
                reply_bulk_cstr(c, f->desc);
            else
                reply_null(c);
            reply_bulk_cstr(c, "flags");
            fn__reply_flags(c, f->flags);
        }
        if (with_code) {
            reply_bulk_cstr(c, "library_code");
            reply_bulk(c, l->code, l->code_len);
        }
    }
}

void function_delete(struct client *c)
{
    struct fn_lib *l = fn__find_lib(c->argv[2].ptr, c->argv[2].len);
    if (l == NULL) {
        reply_error(c, "ERR Library not found");
        return;
    }
    fn__unlink(l);
    fn__lib_free(l, 1);
    reply_ok(c);
}

static void fn__flush_all(void)
{
    while (fn__libs) {
        struct fn_lib *l = fn__libs;
        fn__unlink(l);
        fn__lib_free(l, 0);
    }
    /* The interpreter goes with them: a fresh one on the next load. */
    if (fn__L) script_lua_destroy(fn__L);
    fn__L = NULL;
}

/* FUNCTION FLUSH [ASYNC|SYNC]: both free at once (libraries are small). */
void function_flush(struct client *c)
{
    if (c->argc == 3) {
        const struct arg *a = &c->argv[2];
        int sync = a->len == 4 && strncasecmp(a->ptr, "sync", 4) == 0;
        int async = a->len == 5 && strncasecmp(a->ptr, "async", 5) == 0;
        if (!sync && !async) {
            reply_error(c, "ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
            return;
        }
    } else if (c->argc > 3) {
        reply_error(c, "ERR unknown subcommand or wrong number of arguments for 'flush'. Try "
                       "FUNCTION HELP.");
        return;
    }
    fn__flush_all();
    reply_ok(c);
}

static void fn__reply_running(const char *name, const struct arg *argv, size_t argc, long long ms,
                              void *arg)
{
    struct client *c = arg;
    reply_map(c, 3);
    reply_bulk_cstr(c, "name");
    reply_bulk_cstr(c, name);
    reply_bulk_cstr(c, "command");
    reply_array(c, argc);
    for (size_t i = 0; i < argc; i++) reply_bulk(c, argv[i].ptr, argv[i].len);
    reply_bulk_cstr(c, "duration_ms");
    reply_long(c, ms);
}

void function_stats(struct client *c)
{
    /* While an EVAL script is busy, Redis answers this with BUSY. */
    if (script_eval_running()) {
        reply_error(c, REPLY_ERR_BUSY);
        return;
    }
    reply_map(c, 2);
    reply_bulk_cstr(c, "running_script");
    if (!script_running_function(fn__reply_running, c)) reply_null(c);
    reply_bulk_cstr(c, "engines");
    reply_map(c, 1);
    reply_bulk_cstr(c, "LUA");
    reply_map(c, 2);
    pthread_mutex_lock(&fn__lock);
    size_t libs = fn__nlibs, funcs = fn__nfuncs;
    pthread_mutex_unlock(&fn__lock);
    reply_bulk_cstr(c, "libraries_count");
    reply_long(c, (long long)libs);
    reply_bulk_cstr(c, "functions_count");
    reply_long(c, (long long)funcs);
}

/* ---- FUNCTION DUMP / RESTORE ---- */

/* FUNCTION DUMP: each library's code as an RDB FUNCTION2 record, then the
 * version and CRC (base/dump.h), as Redis writes it (Redis compresses
 * long strings with LZF; a plain one is as valid). */
void function_dump(struct client *c)
{
    struct dump_buf b = {NULL, 0, 0};
    /* Oldest first: a RESTORE links them back in the same order. */
    size_t n = 0;
    for (struct fn_lib *l = fn__libs; l; l = l->next) n++;
    struct fn_lib **v = mem_alloc((n ? n : 1) * sizeof(*v));
    n = 0;
    for (struct fn_lib *l = fn__libs; l; l = l->next) v[n++] = l;
    while (n-- > 0) {
        dump_put_byte(&b, DUMP_OPCODE_FUNCTION2);
        dump_put_string(&b, v[n]->code, v[n]->code_len);
    }
    mem_free(v);
    dump_finish(&b);
    reply_bulk(c, b.p, b.len);
    mem_free(b.p);
}

/* A function of incoming whose name a linked library other than `except`
 * already uses (the check of a join), or NULL. */
static struct fn_func *fn__collision(struct fn_lib *incoming, struct fn_lib *except)
{
    for (struct fn_func *f = incoming->funcs; f; f = f->next) {
        struct fn_func *other = fn__find(f->name, strlen(f->name));
        if (other && other->lib != except) return f;
    }
    return NULL;
}

/* FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]: every library of the
 * payload is loaded apart first; then FLUSH drops the current ones, APPEND
 * refuses any name already there, REPLACE swaps same-named libraries.
 * Nothing changes on an error, as in Redis. */
void function_restore(struct client *c)
{
    enum { FN_APPEND, FN_REPLACE, FN_FLUSH } policy = FN_APPEND;
    if (c->argc > 4) {
        reply_error(c, "ERR unknown subcommand or wrong number of arguments for 'restore'. Try "
                       "FUNCTION HELP.");
        return;
    }
    if (c->argc == 4) {
        const struct arg *a = &c->argv[3];
        if (a->len == 6 && strncasecmp(a->ptr, "append", 6) == 0) {
            policy = FN_APPEND;
        } else if (a->len == 7 && strncasecmp(a->ptr, "replace", 7) == 0) {
            policy = FN_REPLACE;
        } else if (a->len == 5 && strncasecmp(a->ptr, "flush", 5) == 0) {
            policy = FN_FLUSH;
        } else {
            reply_error(c, "ERR Wrong restore policy given, value should be either FLUSH, APPEND "
                           "or REPLACE.");
            return;
        }
    }
    const unsigned char *p = (const unsigned char *)c->argv[2].ptr;
    size_t len = c->argv[2].len;
    unsigned version;
    if (dump_verify(p, len, &version) != 0) {
        reply_error(c, "ERR DUMP payload version or checksum are wrong");
        return;
    }
    const unsigned char *end = p + len - 10;
    struct fn_lib *loaded = NULL; /* newest first */
    char err[512] = "";
    while (p < end) {
        unsigned type = *p++;
        if (type == DUMP_OPCODE_FUNCTION_PRE_GA) {
            snprintf(err, sizeof(err), "ERR Pre-GA function format not supported");
            goto fail;
        }
        if (type != DUMP_OPCODE_FUNCTION2) {
            snprintf(err, sizeof(err), "ERR given type is not a function");
            goto fail;
        }
        char *code, *name;
        size_t clen, body_at;
        if (dump_get_string(&p, end, &code, &clen) != 0) {
            snprintf(err, sizeof(err), "ERR failed loading the given functions payload");
            goto fail;
        }
        int bad = fn__metadata(code, clen, &name, &body_at, err, sizeof(err)) != 0;
        for (struct fn_lib *l = loaded; !bad && l; l = l->next)
            if (strcmp(l->name, name) == 0) {
                snprintf(err, sizeof(err), "ERR Library '%s' already exists", name);
                mem_free(name);
                bad = 1;
            }
        struct fn_lib *l = bad ? NULL : fn__build(name, code, clen, body_at, err, sizeof(err));
        mem_free(code);
        if (l == NULL) goto fail;
        for (struct fn_lib *o = loaded; o; o = o->next)
            for (struct fn_func *f = l->funcs; f; f = f->next)
                for (struct fn_func *g = o->funcs; g; g = g->next)
                    if (strcasecmp(f->name, g->name) == 0) {
                        snprintf(err, sizeof(err), "ERR Function %s already exists", f->name);
                        fn__lib_free(l, 1);
                        goto fail;
                    }
        l->next = loaded;
        loaded = l;
    }
    if (policy == FN_FLUSH) {
        while (fn__libs) {
            struct fn_lib *l = fn__libs;
            fn__unlink(l);
            fn__lib_free(l, 1);
        }
    } else {
        /* Check every incoming library against what stays. */
        for (struct fn_lib *l = loaded; l; l = l->next) {
            struct fn_lib *old = fn__find_lib(l->name, strlen(l->name));
            if (old && policy == FN_APPEND) {
                snprintf(err, sizeof(err), "ERR Library %s already exists", l->name);
                goto fail;
            }
            struct fn_func *f = fn__collision(l, old);
            if (f) {
                snprintf(err, sizeof(err), "ERR Function %s already exists", f->name);
                goto fail;
            }
        }
        for (struct fn_lib *l = loaded; l; l = l->next) {
            struct fn_lib *old = fn__find_lib(l->name, strlen(l->name));
            if (old) {
                fn__unlink(old);
                fn__lib_free(old, 1);
            }
        }
    }
    /* Oldest first, so LIST shows them as they were. */
    while (loaded) {
        struct fn_lib *l = loaded, *prev = NULL;
        while (l->next) prev = l, l = l->next;
        if (prev)
            prev->next = NULL;
        else
            loaded = NULL;
        fn__link(l);
    }
    reply_ok(c);
    return;
fail:
    while (loaded) {
        struct fn_lib *next = loaded->next;
        fn__lib_free(loaded, 1);
        loaded = next;
    }
    reply_error(c, err);
}

size_t function_memory(void)
{
    pthread_mutex_lock(&fn__lock);
    size_t n = fn__bytes;
    pthread_mutex_unlock(&fn__lock);
    return n;
}

size_t function_count(void)
{
    pthread_mutex_lock(&fn__lock);
    size_t n = fn__nfuncs;
    pthread_mutex_unlock(&fn__lock);
    return n;
}

size_t function_libraries(void)
{
    pthread_mutex_lock(&fn__lock);
    size_t n = fn__nlibs;
    pthread_mutex_unlock(&fn__lock);
    return n;
}

void function_setup(void)
{
    script_set_function_flags(fn__flags);
}

void function_teardown(void)
{
    fn__flush_all();
}

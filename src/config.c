/* config.c - the directive table, redis.conf parsing and CONFIG GET/SET. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mem.h"
#include "notify.h"
#include "resp.h"
#include "server.h"
#include "util.h"

struct config cfg;
/* Settings applied to running parts (the allocator) only after startup:
 * the server applies the loaded values itself once it runs. */
static int cfg__started;

/* T_LL: an integer stored as long long (no memory units). */
enum cfg_type { T_INT, T_LL, T_MEM, T_ENUM, T_STR, T_BOOL, T_OBL, T_NOTIFY };

struct cfg_enum {
    const char *name;
    int value;
};

#define CFG_IMMUTABLE 0x1
#define CFG_MULTI_ARG 0x2  /* bind: several words form the value */
#define CFG_CLAMP_HZ  0x4  /* accepted from 0, stored clamped to 1..500 */
#define CFG_REBIND    0x8  /* applying it reopens the listening sockets */
#define CFG_NO_DISK   0x10 /* persistence directive: only "off" values */
#define CFG_SECRET    0x20 /* requirepass: also sets cfg.auth_required */
#define CFG_BG_THREAD 0x40 /* jemalloc-bg-thread: applied to the allocator */

struct cfg_entry {
    const char *name;
    enum cfg_type type;
    void *ptr; /* int*, long long* / unsigned long long*, char** */
    long long min, max;
    const char *def; /* default, in config-file syntax */
    const struct cfg_enum *enums;
    unsigned flags;
};

static const struct cfg_enum cfg__loglevels[] = {
    {"debug", LL_DEBUG},     {"verbose", LL_VERBOSE}, {"notice", LL_NOTICE},
    {"warning", LL_WARNING}, {"nothing", LL_NOTHING}, {NULL, 0},
};

static const struct cfg_enum cfg__policies[] = {
    {"volatile-lru", MM_VOLATILE_LRU},
    {"volatile-lfu", MM_VOLATILE_LFU},
    {"volatile-random", MM_VOLATILE_RANDOM},
    {"volatile-ttl", MM_VOLATILE_TTL},
    {"allkeys-lru", MM_ALLKEYS_LRU},
    {"allkeys-lfu", MM_ALLKEYS_LFU},
    {"allkeys-random", MM_ALLKEYS_RANDOM},
    {"noeviction", MM_NOEVICTION},
    {NULL, 0},
};

static const struct cfg_enum cfg__empty_only[] = {{"", 0}, {NULL, 0}};
static const struct cfg_enum cfg__no_only[] = {{"no", 0}, {NULL, 0}};

/* Every directive respite understands, with Redis's name and default
 * (except maxmemory-policy: respite is a cache and evicts by default). */
enum { CFG_BIND, CFG_PORT }; /* positions in the table below */
static const struct cfg_entry cfg__table[] = {
    {"bind", T_STR, &cfg.bind, 0, 0, "* -::*", NULL, CFG_MULTI_ARG | CFG_REBIND},
    {"port", T_INT, &cfg.port, 0, 65535, "6379", NULL, CFG_REBIND},
    {"tcp-backlog", T_INT, &cfg.tcp_backlog, 0, INT_MAX, "511", NULL, CFG_IMMUTABLE},
    {"databases", T_INT, &cfg.databases, 1, INT_MAX, "16", NULL, CFG_IMMUTABLE},
    {"hz", T_INT, &cfg.hz, 0, INT_MAX, "10", NULL, CFG_CLAMP_HZ},
    {"timeout", T_INT, &cfg.timeout, 0, INT_MAX, "0", NULL, 0},
    {"tcp-keepalive", T_INT, &cfg.tcp_keepalive, 0, INT_MAX, "300", NULL, 0},
    {"maxclients", T_INT, &cfg.maxclients, 1, INT_MAX, "10000", NULL, 0},
    {"loglevel", T_ENUM, &cfg.loglevel, 0, 0, "notice", cfg__loglevels, 0},
    {"logfile", T_STR, &cfg.logfile, 0, 0, "", NULL, CFG_IMMUTABLE},
    {"pidfile", T_STR, &cfg.pidfile, 0, 0, "", NULL, CFG_IMMUTABLE},
    {"proto-max-bulk-len", T_MEM, &cfg.proto_max_bulk_len, 1024 * 1024, LLONG_MAX, "512mb", NULL,
     0},
    {"client-query-buffer-limit", T_MEM, &cfg.client_query_buffer_limit, 1024 * 1024, LLONG_MAX,
     "1gb", NULL, 0},
    {"maxmemory", T_MEM, &cfg.maxmemory, 0, LLONG_MAX, "0", NULL, 0},
    {"maxmemory-policy", T_ENUM, &cfg.maxmemory_policy, 0, 0, "allkeys-lru", cfg__policies, 0},
    {"maxmemory-samples", T_INT, &cfg.maxmemory_samples, 1, 64, "5", NULL, 0},
    {"maxmemory-eviction-tenacity", T_INT, &cfg.maxmemory_eviction_tenacity, 0, 100, "10", NULL, 0},
    {"lfu-log-factor", T_INT, &cfg.lfu_log_factor, 0, INT_MAX, "10", NULL, 0},
    {"lfu-decay-time", T_INT, &cfg.lfu_decay_time, 0, INT_MAX, "1", NULL, 0},
    {"active-expire-effort", T_INT, &cfg.active_expire_effort, 1, 10, "1", NULL, 0},
    {"notify-keyspace-events", T_NOTIFY, &cfg.notify_keyspace_events, 0, 0, "", NULL, 0},
    {"client-output-buffer-limit", T_OBL, &cfg.client_output_buffer_limit, 0, 0,
     "normal 0 0 0 replica 256mb 64mb 60 pubsub 32mb 8mb 60", NULL, CFG_MULTI_ARG},
    {"requirepass", T_STR, &cfg.requirepass, 0, 0, "", NULL, CFG_SECRET},
    {"io-threads", T_INT, &cfg.io_threads, 0, 128, "0", NULL, CFG_IMMUTABLE},
    /* A script running longer makes the server busy (BUSY replies, SCRIPT
     * KILL); lua-time-limit is its old name, one setting under both. */
    {"busy-reply-threshold", T_LL, &cfg.busy_reply_threshold, 0, LLONG_MAX, "5000", NULL, 0},
    {"lua-time-limit", T_LL, &cfg.busy_reply_threshold, 0, LLONG_MAX, "5000", NULL, 0},
    {"activerehashing", T_BOOL, &cfg.activerehashing, 0, 0, "yes", NULL, 0},
    {"jemalloc-bg-thread", T_BOOL, &cfg.jemalloc_bg_thread, 0, 0, "yes", NULL, CFG_BG_THREAD},
    /* Persistence: respite keeps nothing on disk. These accept only the
     * values that say so, so a redis.conf that disables persistence loads,
     * and tools that read them (redis-benchmark does) get a true answer. */
    {"save", T_ENUM, &cfg.save_unused, 0, 0, "", cfg__empty_only, CFG_MULTI_ARG | CFG_NO_DISK},
    {"appendonly", T_ENUM, &cfg.save_unused, 0, 0, "no", cfg__no_only, CFG_NO_DISK},
};
#define CFG_COUNT (sizeof(cfg__table) / sizeof(cfg__table[0]))

static const struct cfg_entry *cfg__find(const char *name, size_t len)
{
    for (size_t i = 0; i < CFG_COUNT; i++)
        if (strlen(cfg__table[i].name) == len && strncasecmp(cfg__table[i].name, name, len) == 0)
            return &cfg__table[i];
    return NULL;
}

/* A parsed but not yet applied value (CONFIG SET checks all first). */
union cfg_value {
    long long ll;
    char *str;
};

/* client-output-buffer-limit: "<class> <hard> <soft> <seconds>" groups,
 * classes normal, replica (or slave) and pubsub. respite enforces the
 * pubsub class; replicas do not exist; normal clients are not cut off
 * (a client with a large reply backlog stops being read instead), so
 * only "normal 0 0 0" is accepted. Fills out[] = pubsub hard, soft,
 * seconds when out is not NULL. */
static const char *cfg__parse_obl(const char *text, long long *out)
{
    char buf[512];
    snprintf(buf, sizeof(buf), "%s", text);
    char *save = NULL, *tok[64];
    int n = 0;
    for (char *t = strtok_r(buf, " ", &save); t && n < 64; t = strtok_r(NULL, " ", &save))
        tok[n++] = t;
    if (n == 0 || n % 4 != 0) return "Wrong number of arguments in buffer limit configuration.";
    long long ps[3] = {32LL << 20, 8LL << 20, 60};
    for (int i = 0; i < n; i += 4) {
        unsigned long long hard, soft;
        long long secs;
        if (!util_memtoull(tok[i + 1], &hard) || !util_memtoull(tok[i + 2], &soft) ||
            !util_str2ll(tok[i + 3], strlen(tok[i + 3]), &secs) || secs < 0)
            return "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
        if (!strcasecmp(tok[i], "pubsub")) {
            ps[0] = (long long)hard;
            ps[1] = (long long)soft;
            ps[2] = secs;
        } else if (!strcasecmp(tok[i], "normal")) {
            if (hard || soft || secs)
                return "respite does not cut off normal clients by output size (it stops reading "
                       "a client with 8 MB of unsent replies): use normal 0 0 0";
        } else if (strcasecmp(tok[i], "replica") && strcasecmp(tok[i], "slave")) {
            return "Invalid client class specified in buffer limit configuration.";
        }
    }
    if (out) memcpy(out, ps, sizeof(ps));
    return NULL;
}

/* Parses text into v; returns NULL or the reason, in Redis's words. */
static const char *cfg__parse(const struct cfg_entry *e, const char *text, union cfg_value *v)
{
    static char reason[512];
    switch (e->type) {
    case T_INT:
    case T_LL: {
        long long ll;
        if (!util_str2ll(text, strlen(text), &ll))
            return "argument couldn't be parsed into an integer";
        if (ll < e->min || ll > e->max) {
            snprintf(reason, sizeof(reason), "argument must be between %lld and %lld inclusive",
                     e->min, e->max);
            return reason;
        }
        v->ll = ll;
        return NULL;
    }
    case T_MEM: {
        unsigned long long ull;
        if (!util_memtoull(text, &ull)) return "argument must be a memory value";
        if ((long long)ull < e->min || ull > (unsigned long long)e->max) {
            snprintf(reason, sizeof(reason), "argument must be between %lld and %lld inclusive",
                     e->min, e->max);
            return reason;
        }
        v->ll = (long long)ull;
        return NULL;
    }
    case T_BOOL:
        if (!strcasecmp(text, "yes"))
            v->ll = 1;
        else if (!strcasecmp(text, "no"))
            v->ll = 0;
        else
            return "argument must be 'yes' or 'no'";
        return NULL;
    case T_ENUM:
        for (const struct cfg_enum *en = e->enums; en->name; en++) {
            if (!strcasecmp(text, en->name)) {
                v->ll = en->value;
                return NULL;
            }
        }
        if (e->flags & CFG_NO_DISK)
            return "respite keeps no data on disk: only 'save \"\"' and 'appendonly no' are "
                   "accepted";
        snprintf(reason, sizeof(reason), "argument(s) must be one of the following: ");
        for (const struct cfg_enum *en = e->enums; en->name; en++) {
            strncat(reason, en->name, sizeof(reason) - strlen(reason) - 1);
            if (en[1].name) strncat(reason, ", ", sizeof(reason) - strlen(reason) - 1);
        }
        return reason;
    case T_STR: v->str = mem_strndup(text, strlen(text)); return NULL;
    case T_NOTIFY:
        if (notify_parse_flags(text) < 0)
            return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
        v->str = mem_strndup(text, strlen(text));
        return NULL;
    case T_OBL: {
        const char *err = cfg__parse_obl(text, NULL);
        if (err) return err;
        v->str = mem_strndup(text, strlen(text));
        return NULL;
    }
    }
    return "unknown type";
}

static void cfg__apply(const struct cfg_entry *e, union cfg_value *v)
{
    switch (e->type) {
    case T_INT:
    case T_ENUM:
    case T_BOOL:
        if (e->flags & CFG_CLAMP_HZ) v->ll = v->ll < 1 ? 1 : v->ll > 500 ? 500 : v->ll;
        __atomic_store_n((int *)e->ptr, (int)v->ll, __ATOMIC_RELAXED);
        if ((e->flags & CFG_BG_THREAD) && cfg__started) mem_background_thread((int)v->ll);
        break;
    case T_LL:
    case T_MEM: __atomic_store_n((long long *)e->ptr, v->ll, __ATOMIC_RELAXED); break;
    case T_NOTIFY: {
        int flags = notify_parse_flags(v->str);
        char canon[32];
        notify_format_flags(flags, canon, sizeof(canon));
        __atomic_store_n(&cfg.notify_flags, flags, __ATOMIC_RELAXED);
        mem_free(v->str);
        mem_free(*(char **)e->ptr);
        *(char **)e->ptr = mem_strndup(canon, strlen(canon));
        break;
    }
    case T_OBL: {
        long long ps[3];
        cfg__parse_obl(v->str, ps);
        __atomic_store_n(&cfg.pubsub_hard_limit, ps[0], __ATOMIC_RELAXED);
        __atomic_store_n(&cfg.pubsub_soft_limit, ps[1], __ATOMIC_RELAXED);
        __atomic_store_n(&cfg.pubsub_soft_seconds, ps[2], __ATOMIC_RELAXED);
        mem_free(*(char **)e->ptr);
        *(char **)e->ptr = v->str;
        break;
    }
    case T_STR:
        mem_free(*(char **)e->ptr);
        *(char **)e->ptr = v->str;
        if (e->flags & CFG_SECRET)
            __atomic_store_n(&cfg.auth_required, v->str[0] != '\0', __ATOMIC_RELAXED);
        break;
    }
}

static void cfg__format(const struct cfg_entry *e, char *buf, size_t cap)
{
    switch (e->type) {
    case T_INT: snprintf(buf, cap, "%d", *(int *)e->ptr); break;
    case T_LL:
    case T_MEM: snprintf(buf, cap, "%lld", *(long long *)e->ptr); break;
    case T_BOOL: snprintf(buf, cap, "%s", *(int *)e->ptr ? "yes" : "no"); break;
    case T_ENUM:
        buf[0] = '\0';
        for (const struct cfg_enum *en = e->enums; en->name; en++)
            if (en->value == *(int *)e->ptr) snprintf(buf, cap, "%s", en->name);
        break;
    case T_NOTIFY:
    case T_OBL:
    case T_STR: snprintf(buf, cap, "%s", *(char **)e->ptr ? *(char **)e->ptr : ""); break;
    }
}

static int cfg__fatal(int linenum, const char *line, const char *msg)
{
    fprintf(stderr, "\n*** FATAL CONFIG FILE ERROR (respite %s) ***\n", RESPITE_VERSION);
    fprintf(stderr, "Reading the configuration file, at line %d\n", linenum);
    fprintf(stderr, ">>> '%s'\n", line);
    fprintf(stderr, "%s\n", msg);
    return -1;
}

/* Applies config text (file contents followed by command-line options). */
static int cfg__load_text(char *text)
{
    int linenum = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        linenum++;
        char *p = line;
        while (isspace((unsigned char)*p)) p++;
        size_t len = strlen(p);
        while (len && isspace((unsigned char)p[len - 1])) p[--len] = '\0';
        if (len == 0 || p[0] == '#') continue;
        char orig[1024];
        snprintf(orig, sizeof(orig), "%s", p);
        struct resp_span spans[64];
        long n = resp_split_args(p, len, spans, 64);
        if (n < 0) return cfg__fatal(linenum, orig, "Unbalanced quotes in configuration line");
        if (n == 0) continue;
        if (n > 64) return cfg__fatal(linenum, orig, "Too many arguments");
        for (long i = 0; i < n; i++) p[spans[i].off + spans[i].len] = '\0';
        const struct cfg_entry *e = cfg__find(p + spans[0].off, spans[0].len);
        int multi = e && (e->flags & CFG_MULTI_ARG);
        if (e == NULL || n < 2 || (n > 2 && !multi))
            return cfg__fatal(linenum, orig, "Bad directive or wrong number of arguments");
        char value[1024] = "";
        for (long i = 1; i < n; i++) {
            if (i > 1) strncat(value, " ", sizeof(value) - strlen(value) - 1);
            strncat(value, p + spans[i].off, sizeof(value) - strlen(value) - 1);
        }
        union cfg_value v;
        const char *err = cfg__parse(e, value, &v);
        if (err) return cfg__fatal(linenum, orig, err);
        cfg__apply(e, &v);
    }
    return 0;
}

int config_load(const char *path, const char *overrides)
{
    for (size_t i = 0; i < CFG_COUNT; i++) {
        union cfg_value v;
        char def[64];
        snprintf(def, sizeof(def), "%s", cfg__table[i].def);
        cfg__parse(&cfg__table[i], def, &v);
        cfg__apply(&cfg__table[i], &v);
    }
    size_t cap = 1, len = 0;
    char *text = mem_alloc(cap);
    text[0] = '\0';
    if (path) {
        FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
        if (f == NULL) {
            fprintf(stderr, "Fatal error, can't open config file '%s': %s\n", path,
                    strerror(errno));
            mem_free(text);
            return -1;
        }
        char buf[4096];
        size_t n;
        while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
            text = mem_realloc(text, cap + n);
            memcpy(text + len, buf, n);
            len += n;
            cap += n;
            text[len] = '\0';
        }
        if (f != stdin) fclose(f);
    }
    if (overrides) {
        size_t n = strlen(overrides);
        text = mem_realloc(text, cap + n + 1);
        text[len++] = '\n';
        memcpy(text + len, overrides, n);
        len += n;
        text[len] = '\0';
    }
    int rc = cfg__load_text(text);
    mem_free(text);
    return rc;
}

/* "--port 7000 --bind a b" becomes "port 7000\nbind a b\n"; arguments are
 * quoted so that values with spaces survive the config-line split. */
char *config_argv_to_text(int argc, char **argv)
{
    size_t cap = 1;
    for (int i = 0; i < argc; i++) cap += strlen(argv[i]) * 4 + 4;
    char *out = mem_alloc(cap);
    size_t len = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] == '-' && a[1] == '-' && a[2]) {
            if (len) out[len++] = '\n';
            len += (size_t)snprintf(out + len, cap - len, "%s", a + 2);
            continue;
        }
        out[len++] = ' ';
        out[len++] = '"';
        for (; *a; a++) {
            if (*a == '"' || *a == '\\') out[len++] = '\\';
            out[len++] = *a;
        }
        out[len++] = '"';
    }
    out[len] = '\0';
    return out;
}

int config_check_password(const char *p, size_t len)
{
    config_lock();
    const char *want = cfg.requirepass ? cfg.requirepass : "";
    size_t n = strlen(want);
    /* Compare every byte whatever the first difference, so the time taken
     * says nothing about how much of a guess was right. */
    unsigned diff = (unsigned)(n ^ len);
    for (size_t i = 0; i < len; i++)
        diff |= (unsigned char)p[i] ^ (unsigned char)want[i < n ? i : 0];
    config_unlock();
    return n > 0 && diff == 0;
}

size_t config_count(void)
{
    return CFG_COUNT;
}

const char *config_name(size_t i)
{
    return cfg__table[i].name;
}

void config_format(size_t i, char *buf, size_t cap)
{
    cfg__format(&cfg__table[i], buf, cap);
}

static config_rebind_fn *cfg__rebind;

void config_started(void)
{
    cfg__started = 1;
}
static pthread_mutex_t cfg__lock = PTHREAD_MUTEX_INITIALIZER;

void config_lock(void)
{
    pthread_mutex_lock(&cfg__lock);
}

void config_unlock(void)
{
    pthread_mutex_unlock(&cfg__lock);
}

void config_set_rebind_hook(config_rebind_fn *fn)
{
    cfg__rebind = fn;
}

/* All values are checked before any is applied, so a failed call changes
 * nothing; a new port or bind list is opened before anything commits. */
int config_set(const struct config_change *ch, size_t n, char *err, size_t errcap)
{
    const struct cfg_entry **entries = mem_calloc(n * sizeof(*entries));
    union cfg_value *values = mem_calloc(n * sizeof(*values));
    const struct cfg_entry *rebind = NULL;
    size_t parsed = 0;
    int rc = -1;
    for (size_t i = 0; i < n; i++) {
        const struct cfg_entry *e = cfg__find(ch[i].name, ch[i].name_len);
        if (e == NULL) {
            snprintf(err, errcap,
                     "ERR Unknown option or number of arguments for CONFIG SET - '%.*s'",
                     (int)ch[i].name_len, ch[i].name);
            goto done;
        }
        for (size_t k = 0; k < i; k++) {
            if (entries[k] == e) {
                snprintf(err, errcap,
                         "ERR CONFIG SET failed (possibly related to argument '%s') - duplicate "
                         "parameter",
                         e->name);
                goto done;
            }
        }
        entries[i] = e;
        if (e->flags & CFG_IMMUTABLE) {
            snprintf(err, errcap,
                     "ERR CONFIG SET failed (possibly related to argument '%s') - can't set "
                     "immutable config",
                     e->name);
            goto done;
        }
        char text[1024];
        snprintf(text, sizeof(text), "%.*s", (int)ch[i].value_len, ch[i].value);
        const char *why = cfg__parse(e, text, &values[i]);
        if (why) {
            snprintf(err, errcap, "ERR CONFIG SET failed (possibly related to argument '%s') - %s",
                     e->name, why);
            goto done;
        }
        parsed = i + 1;
        if (e->flags & CFG_REBIND) rebind = e;
    }
    if (rebind && cfg__rebind) {
        const char *bind = cfg.bind;
        int port = cfg.port;
        for (size_t i = 0; i < n; i++) {
            if (entries[i] == &cfg__table[CFG_PORT]) port = (int)values[i].ll;
            if (entries[i] == &cfg__table[CFG_BIND]) bind = values[i].str;
        }
        if ((port != cfg.port || strcmp(bind, cfg.bind) != 0) && cfg__rebind(bind, port) != 0) {
            snprintf(err, errcap, "ERR CONFIG SET failed (possibly related to argument '%s') - %s",
                     rebind->name,
                     rebind == &cfg__table[CFG_PORT] ? "Unable to listen on this port"
                                                     : "Failed to bind to specified addresses.");
            goto done;
        }
    }
    config_lock();
    for (size_t i = 0; i < n; i++) cfg__apply(entries[i], &values[i]);
    config_unlock();
    parsed = 0; /* string values now belong to cfg */
    rc = 0;
done:
    for (size_t i = 0; i < parsed; i++)
        if (entries[i] && (entries[i]->type == T_STR || entries[i]->type == T_OBL ||
                           entries[i]->type == T_NOTIFY))
            mem_free(values[i].str);
    mem_free(entries);
    mem_free(values);
    return rc;
}

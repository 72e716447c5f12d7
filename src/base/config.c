/* config.c - the directive table, redis.conf parsing and CONFIG GET/SET.
 *
 * Every directive is one line of cfg__table: its name, its value type, where
 * the value lives, its bounds and default, and an apply callback when
 * setting it does more than store the value (a derived setting, the
 * allocator's background thread). A value type is a set of callbacks
 * (parse text, store, format for CONFIG GET, free an unused value), so a
 * directive with its own syntax (notify-keyspace-events,
 * client-output-buffer-limit) is a type of its own here rather than a
 * special case in the loader or in CONFIG SET. */
#include "base/config.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "base/prefixstat.h"
#include "base/resp.h"
#include "base/util.h"
#include "base/version.h"

struct config cfg;
/* Settings applied to running parts (the allocator) only after startup:
 * the server applies the loaded values itself once it runs. */
static int cfg__started;

struct cfg_enum {
    const char *name;
    int value;
};

#define CFG_IMMUTABLE 0x1
#define CFG_MULTI_ARG 0x2 /* bind: several words form the value */
#define CFG_CLAMP_HZ  0x4 /* accepted from 0, stored clamped to 1..500 */
#define CFG_REBIND    0x8 /* applying it reopens the listening sockets */

/* A parsed but not yet applied value (CONFIG SET checks all first). */
union cfg_value {
    long long ll;
    char *str;
};

struct cfg_entry;

/* A value type: how text becomes a value and back. */
struct cfg_type {
    /* Parses text into v; returns NULL, or the reason it is refused in
     * Redis's words. */
    const char *(*parse)(const struct cfg_entry *e, const char *text, union cfg_value *v);
    /* Stores a parsed value (owning it from then on). */
    void (*store)(const struct cfg_entry *e, union cfg_value *v);
    /* The value as CONFIG GET shows it. */
    void (*format)(const struct cfg_entry *e, char *buf, size_t cap);
    /* Frees a parsed value that will not be stored; NULL when it holds
     * nothing to free. */
    void (*discard)(union cfg_value *v);
};

struct cfg_entry {
    const char *name;
    const struct cfg_type *type;
    void *ptr; /* int*, long long* / unsigned long long*, char** */
    long long min, max;
    const char *def; /* default, in config-file syntax */
    const struct cfg_enum *enums;
    unsigned flags;
    /* After a new value is stored: what follows from it. */
    void (*apply)(const struct cfg_entry *e);
};

/* ---- value types ---- */

static const char *cfg__range_error(const struct cfg_entry *e)
{
    static char reason[128];
    snprintf(reason, sizeof(reason), "argument must be between %lld and %lld inclusive", e->min,
             e->max);
    return reason;
}

static const char *cfg__parse_ll(const struct cfg_entry *e, const char *text, union cfg_value *v)
{
    long long ll;
    if (!util_str2ll(text, strlen(text), &ll)) return "argument couldn't be parsed into an integer";
    if (ll < e->min || ll > e->max) return cfg__range_error(e);
    v->ll = ll;
    return NULL;
}

/* unixsocketperm: octal, as Redis reads it (a decimal number is taken
 * only when it is not valid octal). */
static const char *cfg__parse_octal(const struct cfg_entry *e, const char *text, union cfg_value *v)
{
    char *end;
    errno = 0;
    long long ll = strtoll(text, &end, 8);
    if (errno != 0 || *end != '\0' || end == text) {
        if (!util_str2ll(text, strlen(text), &ll))
            return "argument couldn't be parsed into an integer";
    }
    if (ll < e->min || ll > e->max) return cfg__range_error(e);
    v->ll = ll;
    return NULL;
}

static void cfg__format_octal(const struct cfg_entry *e, char *buf, size_t cap)
{
    snprintf(buf, cap, "%o", (unsigned)*(int *)e->ptr);
}

static const char *cfg__parse_mem(const struct cfg_entry *e, const char *text, union cfg_value *v)
{
    unsigned long long ull;
    if (!util_memtoull(text, &ull)) return "argument must be a memory value";
    if ((long long)ull < e->min || ull > (unsigned long long)e->max) return cfg__range_error(e);
    v->ll = (long long)ull;
    return NULL;
}

/* A memory value, or a percentage (of maxmemory) kept negative, as Redis
 * keeps maxmemory-clients. */
static const char *cfg__parse_memperc(const struct cfg_entry *e, const char *text,
                                      union cfg_value *v)
{
    size_t len = strlen(text);
    if (len > 1 && text[len - 1] == '%') {
        long long pct;
        if (!util_str2ll(text, len - 1, &pct) || pct < 0)
            return "argument must be a memory or percent value";
        if (pct > 100) return "percentage argument must be less or equal to 100";
        v->ll = -pct;
        return NULL;
    }
    unsigned long long ull;
    if (!util_memtoull(text, &ull)) return "argument must be a memory or percent value";
    if (ull > (unsigned long long)e->max) return cfg__range_error(e);
    v->ll = (long long)ull;
    return NULL;
}

static void cfg__format_memperc(const struct cfg_entry *e, char *buf, size_t cap)
{
    long long v = *(long long *)e->ptr;
    if (v < 0)
        snprintf(buf, cap, "%lld%%", -v);
    else
        snprintf(buf, cap, "%lld", v);
}

static const char *cfg__parse_bool(const struct cfg_entry *e, const char *text, union cfg_value *v)
{
    (void)e;
    if (!strcasecmp(text, "yes"))
        v->ll = 1;
    else if (!strcasecmp(text, "no"))
        v->ll = 0;
    else
        return "argument must be 'yes' or 'no'";
    return NULL;
}

static const char *cfg__parse_enum(const struct cfg_entry *e, const char *text, union cfg_value *v)
{
    static char reason[512];
    for (const struct cfg_enum *en = e->enums; en->name; en++) {
        if (!strcasecmp(text, en->name)) {
            v->ll = en->value;
            return NULL;
        }
    }
    snprintf(reason, sizeof(reason), "argument(s) must be one of the following: ");
    for (const struct cfg_enum *en = e->enums; en->name; en++) {
        strncat(reason, en->name, sizeof(reason) - strlen(reason) - 1);
        if (en[1].name) strncat(reason, ", ", sizeof(reason) - strlen(reason) - 1);
    }
    return reason;
}

/* save / appendonly: respite keeps nothing on disk, so only the values
 * that say so are accepted. */
static const char *cfg__parse_no_disk(const struct cfg_entry *e, const char *text,
                                      union cfg_value *v)
{
    if (cfg__parse_enum(e, text, v) == NULL) return NULL;
    return "respite keeps no data on disk: only 'save \"\"' and 'appendonly no' are accepted";
}

static const char *cfg__parse_str(const struct cfg_entry *e, const char *text, union cfg_value *v)
{
    (void)e;
    v->str = mem_strndup(text, strlen(text));
    return NULL;
}

static void cfg__store_int(const struct cfg_entry *e, union cfg_value *v)
{
    if (e->flags & CFG_CLAMP_HZ) v->ll = v->ll < 1 ? 1 : v->ll > 500 ? 500 : v->ll;
    __atomic_store_n((int *)e->ptr, (int)v->ll, __ATOMIC_RELAXED);
}

static void cfg__store_ll(const struct cfg_entry *e, union cfg_value *v)
{
    __atomic_store_n((long long *)e->ptr, v->ll, __ATOMIC_RELAXED);
}

static void cfg__store_str(const struct cfg_entry *e, union cfg_value *v)
{
    mem_free(*(char **)e->ptr);
    *(char **)e->ptr = v->str;
}

static void cfg__format_int(const struct cfg_entry *e, char *buf, size_t cap)
{
    snprintf(buf, cap, "%d", *(int *)e->ptr);
}

static void cfg__format_ll(const struct cfg_entry *e, char *buf, size_t cap)
{
    snprintf(buf, cap, "%lld", *(long long *)e->ptr);
}

static void cfg__format_bool(const struct cfg_entry *e, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", *(int *)e->ptr ? "yes" : "no");
}

static void cfg__format_enum(const struct cfg_entry *e, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (const struct cfg_enum *en = e->enums; en->name; en++)
        if (en->value == *(int *)e->ptr) snprintf(buf, cap, "%s", en->name);
}

static void cfg__format_str(const struct cfg_entry *e, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", *(char **)e->ptr ? *(char **)e->ptr : "");
}

static void cfg__discard_str(union cfg_value *v)
{
    mem_free(v->str);
}

/* notify-keyspace-events: "KEA" -> NOTIFY_* flags; -1 on an unknown
 * letter. */
static int cfg__notify_parse_flags(const char *s)
{
    int flags = 0;
    for (; *s; s++) {
        switch (*s) {
        case 'A': flags |= NOTIFY_ALL; break;
        case 'g': flags |= NOTIFY_GENERIC; break;
        case '$': flags |= NOTIFY_STRING; break;
        case 'l': flags |= NOTIFY_LIST; break;
        case 's': flags |= NOTIFY_SET; break;
        case 'h': flags |= NOTIFY_HASH; break;
        case 'z': flags |= NOTIFY_ZSET; break;
        case 'x': flags |= NOTIFY_EXPIRED; break;
        case 'e': flags |= NOTIFY_EVICTED; break;
        case 'K': flags |= NOTIFY_KEYSPACE; break;
        case 'E': flags |= NOTIFY_KEYEVENT; break;
        case 't': flags |= NOTIFY_STREAM; break;
        case 'm': flags |= NOTIFY_KEY_MISS; break;
        case 'd': flags |= NOTIFY_MODULE; break;
        case 'n': flags |= NOTIFY_NEW; break;
        default: return -1;
        }
    }
    return flags;
}

/* Flags -> the letters CONFIG GET shows, in Redis's order: A (or its
 * letters), then m, n, K, E. */
static void cfg__notify_format_flags(int flags, char *buf, size_t cap)
{
    size_t n = 0;
    char tmp[32];
    if ((flags & NOTIFY_ALL) == NOTIFY_ALL) {
        tmp[n++] = 'A';
    } else {
        static const struct {
            int flag;
            char c;
        } letters[] = {{NOTIFY_GENERIC, 'g'}, {NOTIFY_STRING, '$'},  {NOTIFY_LIST, 'l'},
                       {NOTIFY_SET, 's'},     {NOTIFY_HASH, 'h'},    {NOTIFY_ZSET, 'z'},
                       {NOTIFY_EXPIRED, 'x'}, {NOTIFY_EVICTED, 'e'}, {NOTIFY_STREAM, 't'},
                       {NOTIFY_MODULE, 'd'}};
        for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
            if (flags & letters[i].flag) tmp[n++] = letters[i].c;
    }
    if (flags & NOTIFY_KEY_MISS) tmp[n++] = 'm';
    if (flags & NOTIFY_NEW) tmp[n++] = 'n';
    if (flags & NOTIFY_KEYSPACE) tmp[n++] = 'K';
    if (flags & NOTIFY_KEYEVENT) tmp[n++] = 'E';
    tmp[n] = '\0';
    snprintf(buf, cap, "%s", tmp);
}

static const char *cfg__parse_notify(const struct cfg_entry *e, const char *text,
                                     union cfg_value *v)
{
    if (cfg__notify_parse_flags(text) < 0)
        return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
    return cfg__parse_str(e, text, v);
}

/* Stores the flags and the letters in canonical order. */
static void cfg__store_notify(const struct cfg_entry *e, union cfg_value *v)
{
    int flags = cfg__notify_parse_flags(v->str);
    char canon[32];
    cfg__notify_format_flags(flags, canon, sizeof(canon));
    __atomic_store_n(&cfg.notify_flags, flags, __ATOMIC_RELAXED);
    mem_free(v->str);
    v->str = mem_strndup(canon, strlen(canon));
    cfg__store_str(e, v);
}

/* client-output-buffer-limit: "<class> <hard> <soft> <seconds>" groups,
 * classes normal, replica (or slave) and pubsub. respite enforces the
 * pubsub class; replicas do not exist; normal clients are not cut off
 * (a client with a large reply backlog stops being read instead), so
 * only "normal 0 0 0" is accepted. Fills out[] = pubsub hard, soft,
 * seconds when out is not NULL. */
static const char *cfg__obl_groups(const char *text, long long *out)
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

static const char *cfg__parse_obl(const struct cfg_entry *e, const char *text, union cfg_value *v)
{
    const char *err = cfg__obl_groups(text, NULL);
    return err ? err : cfg__parse_str(e, text, v);
}

static void cfg__store_obl(const struct cfg_entry *e, union cfg_value *v)
{
    long long ps[3];
    cfg__obl_groups(v->str, ps);
    __atomic_store_n(&cfg.pubsub_hard_limit, ps[0], __ATOMIC_RELAXED);
    __atomic_store_n(&cfg.pubsub_soft_limit, ps[1], __ATOMIC_RELAXED);
    __atomic_store_n(&cfg.pubsub_soft_seconds, ps[2], __ATOMIC_RELAXED);
    cfg__store_str(e, v);
}

/* The types: int (stored as int), ll (long long, no units), mem (memory
 * units), bool, enum, str, and the directives with a syntax of their own. */
static const struct cfg_type cfg__int = {cfg__parse_ll, cfg__store_int, cfg__format_int, NULL};
static const struct cfg_type cfg__octal = {cfg__parse_octal, cfg__store_int, cfg__format_octal,
                                           NULL};
static const struct cfg_type cfg__ll = {cfg__parse_ll, cfg__store_ll, cfg__format_ll, NULL};
static const struct cfg_type cfg__mem = {cfg__parse_mem, cfg__store_ll, cfg__format_ll, NULL};
static const struct cfg_type cfg__memperc = {cfg__parse_memperc, cfg__store_ll, cfg__format_memperc,
                                             NULL};
static const struct cfg_type cfg__bool = {cfg__parse_bool, cfg__store_int, cfg__format_bool, NULL};
static const struct cfg_type cfg__enum = {cfg__parse_enum, cfg__store_int, cfg__format_enum, NULL};
static const struct cfg_type cfg__no_disk = {cfg__parse_no_disk, cfg__store_int, cfg__format_enum,
                                             NULL};
static const struct cfg_type cfg__str = {cfg__parse_str, cfg__store_str, cfg__format_str,
                                         cfg__discard_str};
static const struct cfg_type cfg__notify = {cfg__parse_notify, cfg__store_notify, cfg__format_str,
                                            cfg__discard_str};
static const struct cfg_type cfg__obl = {cfg__parse_obl, cfg__store_obl, cfg__format_str,
                                         cfg__discard_str};

/* ---- apply callbacks ---- */

/* requirepass: clients need AUTH once it is not empty. */
static void cfg__apply_requirepass(const struct cfg_entry *e)
{
    (void)e;
    __atomic_store_n(&cfg.auth_required, cfg.requirepass[0] != '\0', __ATOMIC_RELAXED);
}

/* prefix-stats-delimiter: its first byte splits keys (none: off). */
static void cfg__apply_prefix_delim(const struct cfg_entry *e)
{
    (void)e;
    prefixstat_set_delimiter(
        cfg.prefix_stats_delimiter[0] ? (unsigned char)cfg.prefix_stats_delimiter[0] : -1);
}

/* jemalloc-bg-thread: the allocator's purging thread follows the setting
 * once the server runs (at startup the server applies it itself). */
static void cfg__apply_bg_thread(const struct cfg_entry *e)
{
    (void)e;
    if (cfg__started) mem_background_thread(CFG(jemalloc_bg_thread));
}

/* ---- the table ---- */

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
 * (except maxmemory-policy: respite is a cache and evicts by default):
 * name, type, value, min, max, default, enum names, flags, apply. */
enum { CFG_BIND, CFG_PORT }; /* positions in the table below */
// clang-format off
static const struct cfg_entry cfg__table[] = {
    {"bind", &cfg__str, &cfg.bind, 0, 0, "* -::*", NULL, CFG_MULTI_ARG | CFG_REBIND, NULL},
    {"port", &cfg__int, &cfg.port, 0, 65535, "6379", NULL, CFG_REBIND, NULL},
    {"unixsocket", &cfg__str, &cfg.unixsocket, 0, 0, "", NULL, CFG_IMMUTABLE, NULL},
    {"unixsocketperm", &cfg__octal, &cfg.unixsocketperm, 0, 0777, "0", NULL, CFG_IMMUTABLE, NULL},
    {"http-port", &cfg__int, &cfg.http_port, 0, 65535, "0", NULL, CFG_IMMUTABLE, NULL},
    /* Keyspace hits and misses by key prefix (INFO prefixstats, /metrics):
     * the delimiter ending a prefix ("" turns counting off) and how many
     * prefixes INFO shows (the rest as other). respite's own. */
    {"prefix-stats-delimiter", &cfg__str, &cfg.prefix_stats_delimiter, 0, 0, ":", NULL, 0, cfg__apply_prefix_delim},
    {"prefix-stats-max", &cfg__int, &cfg.prefix_stats_max, 1, PREFIXSTAT_SLOTS, "16", NULL, 0, NULL},
    {"tcp-backlog", &cfg__int, &cfg.tcp_backlog, 0, INT_MAX, "511", NULL, CFG_IMMUTABLE, NULL},
    {"databases", &cfg__int, &cfg.databases, 1, INT_MAX, "16", NULL, CFG_IMMUTABLE, NULL},
    {"hz", &cfg__int, &cfg.hz, 0, INT_MAX, "10", NULL, CFG_CLAMP_HZ, NULL},
    {"timeout", &cfg__int, &cfg.timeout, 0, INT_MAX, "0", NULL, 0, NULL},
    {"tcp-keepalive", &cfg__int, &cfg.tcp_keepalive, 0, INT_MAX, "300", NULL, 0, NULL},
    {"maxclients", &cfg__int, &cfg.maxclients, 1, INT_MAX, "10000", NULL, 0, NULL},
    {"loglevel", &cfg__enum, &cfg.loglevel, 0, 0, "notice", cfg__loglevels, 0, NULL},
    {"logfile", &cfg__str, &cfg.logfile, 0, 0, "", NULL, CFG_IMMUTABLE, NULL},
    {"pidfile", &cfg__str, &cfg.pidfile, 0, 0, "", NULL, CFG_IMMUTABLE, NULL},
    {"daemonize", &cfg__bool, &cfg.daemonize, 0, 0, "no", NULL, CFG_IMMUTABLE, NULL},
    {"proto-max-bulk-len", &cfg__mem, &cfg.proto_max_bulk_len, 1024 * 1024, CFG_MAX_BULK_LEN, "512mb", NULL, 0, NULL},
    {"client-query-buffer-limit", &cfg__mem, &cfg.client_query_buffer_limit, 1024 * 1024, LLONG_MAX, "1gb", NULL, 0, NULL},
    {"maxmemory", &cfg__mem, &cfg.maxmemory, 0, LLONG_MAX, "0", NULL, 0, NULL},
    /* Clients' buffers beyond this (bytes, or a percentage of maxmemory;
     * 0: no limit) close the clients using the most, as Redis does. */
    {"maxmemory-clients", &cfg__memperc, &cfg.maxmemory_clients, 0, LLONG_MAX, "0", NULL, 0, NULL},
    {"maxmemory-policy", &cfg__enum, &cfg.maxmemory_policy, 0, 0, "allkeys-lru", cfg__policies, 0, NULL},
    {"maxmemory-samples", &cfg__int, &cfg.maxmemory_samples, 1, 64, "5", NULL, 0, NULL},
    {"maxmemory-eviction-tenacity", &cfg__int, &cfg.maxmemory_eviction_tenacity, 0, 100, "10", NULL, 0, NULL},
    {"lfu-log-factor", &cfg__int, &cfg.lfu_log_factor, 0, INT_MAX, "10", NULL, 0, NULL},
    {"lfu-decay-time", &cfg__int, &cfg.lfu_decay_time, 0, INT_MAX, "1", NULL, 0, NULL},
    {"active-expire-effort", &cfg__int, &cfg.active_expire_effort, 1, 10, "1", NULL, 0, NULL},
    {"notify-keyspace-events", &cfg__notify, &cfg.notify_keyspace_events, 0, 0, "", NULL, 0, NULL},
    {"client-output-buffer-limit", &cfg__obl, &cfg.client_output_buffer_limit, 0, 0,
     "normal 0 0 0 replica 256mb 64mb 60 pubsub 32mb 8mb 60", NULL, CFG_MULTI_ARG, NULL},
    {"requirepass", &cfg__str, &cfg.requirepass, 0, 0, "", NULL, 0, cfg__apply_requirepass},
    {"io-threads", &cfg__int, &cfg.io_threads, 0, 128, "0", NULL, CFG_IMMUTABLE, NULL},
    /* A script running longer makes the server busy (BUSY replies, SCRIPT
     * KILL); lua-time-limit is its old name, one setting under both. */
    {"busy-reply-threshold", &cfg__ll, &cfg.busy_reply_threshold, 0, LLONG_MAX, "5000", NULL, 0, NULL},
    {"lua-time-limit", &cfg__ll, &cfg.busy_reply_threshold, 0, LLONG_MAX, "5000", NULL, 0, NULL},
    /* Containers up to these sizes stay packed in their key's entry
     * (Redis's names and compiled-in defaults: 512 hash fields, as a
     * redis-server started without a config file has; its sample
     * redis.conf, like server.conf, sets 128. The ziplist names are the
     * old names of the same settings). */
    {"hash-max-listpack-entries", &cfg__ll, &cfg.hash_max_listpack_entries, 0, LLONG_MAX, "512", NULL, 0, NULL},
    {"hash-max-ziplist-entries", &cfg__ll, &cfg.hash_max_listpack_entries, 0, LLONG_MAX, "512", NULL, 0, NULL},
    {"hash-max-listpack-value", &cfg__mem, &cfg.hash_max_listpack_value, 0, LLONG_MAX, "64", NULL, 0, NULL},
    {"hash-max-ziplist-value", &cfg__mem, &cfg.hash_max_listpack_value, 0, LLONG_MAX, "64", NULL, 0, NULL},
    {"set-max-intset-entries", &cfg__ll, &cfg.set_max_intset_entries, 0, LLONG_MAX, "512", NULL, 0, NULL},
    {"set-max-listpack-entries", &cfg__ll, &cfg.set_max_listpack_entries, 0, LLONG_MAX, "128", NULL, 0, NULL},
    {"set-max-listpack-value", &cfg__ll, &cfg.set_max_listpack_value, 0, LLONG_MAX, "64", NULL, 0, NULL},
    /* A list stays one pack up to this (negative: -1..-5 for 4, 8, 16,
     * 32 or 64 KB; positive: that many elements, within 8 KB), and is a
     * chain of packs of that size past it. Nodes are not compressed:
     * list-compress-depth is kept for CONFIG GET only. */
    {"list-max-listpack-size", &cfg__int, &cfg.list_max_listpack_size, INT_MIN, INT_MAX, "-2", NULL, 0, NULL},
    {"list-max-ziplist-size", &cfg__int, &cfg.list_max_listpack_size, INT_MIN, INT_MAX, "-2", NULL, 0, NULL},
    {"list-compress-depth", &cfg__int, &cfg.list_compress_depth, 0, INT_MAX, "0", NULL, 0, NULL},
    /* A sorted set stays packed up to 128 members of up to 64 bytes. */
    {"zset-max-listpack-entries", &cfg__ll, &cfg.zset_max_listpack_entries, 0, LLONG_MAX, "128", NULL, 0, NULL},
    {"zset-max-ziplist-entries", &cfg__ll, &cfg.zset_max_listpack_entries, 0, LLONG_MAX, "128", NULL, 0, NULL},
    {"zset-max-listpack-value", &cfg__mem, &cfg.zset_max_listpack_value, 0, LLONG_MAX, "64", NULL, 0, NULL},
    {"zset-max-ziplist-value", &cfg__mem, &cfg.zset_max_listpack_value, 0, LLONG_MAX, "64", NULL, 0, NULL},
    {"activerehashing", &cfg__bool, &cfg.activerehashing, 0, 0, "yes", NULL, 0, NULL},
    {"jemalloc-bg-thread", &cfg__bool, &cfg.jemalloc_bg_thread, 0, 0, "yes", NULL, 0, cfg__apply_bg_thread},
    /* Redis defaults these to no; a cache that must not stall frees big
     * values in the background unless told otherwise. */
    {"lazyfree-lazy-eviction", &cfg__bool, &cfg.lazyfree_lazy_eviction, 0, 0, "yes", NULL, 0, NULL},
    {"lazyfree-lazy-expire", &cfg__bool, &cfg.lazyfree_lazy_expire, 0, 0, "yes", NULL, 0, NULL},
    {"lazyfree-lazy-server-del", &cfg__bool, &cfg.lazyfree_lazy_server_del, 0, 0, "yes", NULL, 0, NULL},
    {"lazyfree-lazy-user-del", &cfg__bool, &cfg.lazyfree_lazy_user_del, 0, 0, "yes", NULL, 0, NULL},
    {"lazyfree-lazy-user-flush", &cfg__bool, &cfg.lazyfree_lazy_user_flush, 0, 0, "yes", NULL, 0, NULL},
    /* Persistence: respite keeps nothing on disk. These accept only the
     * values that say so, so a redis.conf that disables persistence loads,
     * and tools that read them (redis-benchmark does) get a true answer. */
    {"save", &cfg__no_disk, &cfg.save_unused, 0, 0, "", cfg__empty_only, CFG_MULTI_ARG, NULL},
    {"appendonly", &cfg__no_disk, &cfg.save_unused, 0, 0, "no", cfg__no_only, 0, NULL},
};
// clang-format on
#define CFG_COUNT (sizeof(cfg__table) / sizeof(cfg__table[0]))

/* Which directives the file or the command line set (config_given). */
static unsigned char cfg__given[CFG_COUNT];

static const struct cfg_entry *cfg__find(const char *name, size_t len)
{
    for (size_t i = 0; i < CFG_COUNT; i++)
        if (strlen(cfg__table[i].name) == len && strncasecmp(cfg__table[i].name, name, len) == 0)
            return &cfg__table[i];
    return NULL;
}

/* Stores a parsed value and applies what follows from it. */
static void cfg__set(const struct cfg_entry *e, union cfg_value *v)
{
    e->type->store(e, v);
    if (e->apply) e->apply(e);
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
        const char *err = e->type->parse(e, value, &v);
        if (err) return cfg__fatal(linenum, orig, err);
        cfg__set(e, &v);
        cfg__given[e - cfg__table] = 1;
    }
    return 0;
}

int config_given(const char *name)
{
    const struct cfg_entry *e = cfg__find(name, strlen(name));
    return e && cfg__given[e - cfg__table];
}

int config_load(const char *path, const char *overrides)
{
    memset(cfg__given, 0, sizeof(cfg__given));
    for (size_t i = 0; i < CFG_COUNT; i++) {
        const struct cfg_entry *e = &cfg__table[i];
        union cfg_value v;
        e->type->parse(e, e->def, &v);
        cfg__set(e, &v);
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
    cfg__table[i].type->format(&cfg__table[i], buf, cap);
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
        const char *why = e->type->parse(e, text, &values[i]);
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
    for (size_t i = 0; i < n; i++) cfg__set(entries[i], &values[i]);
    config_unlock();
    parsed = 0; /* string values now belong to cfg */
    rc = 0;
done:
    for (size_t i = 0; i < parsed; i++)
        if (entries[i]->type->discard) entries[i]->type->discard(&values[i]);
    mem_free(entries);
    mem_free(values);
    return rc;
}

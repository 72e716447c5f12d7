/* config.h - server settings: redis.conf syntax, command-line overrides,
 * CONFIG GET / SET. All directives live in one table in config.c, each with
 * its value type (how text becomes a value and back) and, where setting it
 * has effects beyond the stored value, an apply callback. The values some
 * directives take (log levels, eviction policies, keyspace event classes)
 * are defined here, for the modules that act on them. */
#ifndef RESPITE_CONFIG_H
#define RESPITE_CONFIG_H

#include <stddef.h>

enum loglevel { LL_DEBUG, LL_VERBOSE, LL_NOTICE, LL_WARNING, LL_NOTHING };

/* Eviction policies, Redis's names. Enforcement is in evict.c. */
enum maxmemory_policy {
    MM_VOLATILE_LRU,
    MM_VOLATILE_LFU,
    MM_VOLATILE_RANDOM,
    MM_VOLATILE_TTL,
    MM_ALLKEYS_LRU,
    MM_ALLKEYS_LFU,
    MM_ALLKEYS_RANDOM,
    MM_NOEVICTION,
};

/* Keyspace event classes (notify-keyspace-events), Redis's flag letters.
 * Notifications are published by services/notify.c; storage raises the
 * expired and evicted ones through a hook. */
/* proto-max-bulk-len's ceiling: a value lives in an entry whose lengths
 * are 32-bit (storage/entry.h checks it is no more than it can hold), so
 * strings and bulks stop at 4 GB - 1 where Redis's stop at LLONG_MAX. */
#define CFG_MAX_BULK_LEN 4294967295LL

#define NOTIFY_KEYSPACE (1 << 0)  /* K */
#define NOTIFY_KEYEVENT (1 << 1)  /* E */
#define NOTIFY_GENERIC  (1 << 2)  /* g */
#define NOTIFY_STRING   (1 << 3)  /* $ */
#define NOTIFY_LIST     (1 << 4)  /* l */
#define NOTIFY_SET      (1 << 5)  /* s */
#define NOTIFY_HASH     (1 << 6)  /* h */
#define NOTIFY_ZSET     (1 << 7)  /* z */
#define NOTIFY_EXPIRED  (1 << 8)  /* x */
#define NOTIFY_EVICTED  (1 << 9)  /* e */
#define NOTIFY_STREAM   (1 << 10) /* t */
#define NOTIFY_KEY_MISS (1 << 11) /* m */
#define NOTIFY_MODULE   (1 << 12) /* d */
#define NOTIFY_NEW      (1 << 13) /* n */
#define NOTIFY_ALL                                                                                 \
    (NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET |       \
     NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE) /* A */

struct config {
    char *bind;         /* space separated, "-" prefix = optional */
    int port;           /* 0: no TCP listener */
    char *unixsocket;   /* path of a unix socket listener; "" = none */
    int unixsocketperm; /* its mode (octal in the config); 0: as the umask leaves it */
    int tcp_backlog;
    int databases;
    int hz;
    int timeout;       /* seconds, 0 = never */
    int tcp_keepalive; /* seconds */
    int maxclients;
    int loglevel;
    char *logfile; /* "" = stdout */
    char *pidfile;
    int daemonize;
    long long proto_max_bulk_len;
    long long client_query_buffer_limit;
    unsigned long long maxmemory;
    long long maxmemory_clients; /* bytes; negative: a percentage of maxmemory */
    int maxmemory_policy;
    int maxmemory_samples;
    int maxmemory_eviction_tenacity;
    int lfu_log_factor;
    int lfu_decay_time;
    int active_expire_effort;
    int activerehashing;
    int jemalloc_bg_thread;
    /* lazyfree-lazy-*: whether big values leave in the background when
     * evicted, expired, deleted implicitly (overwritten), by DEL, by
     * FLUSHALL/FLUSHDB without ASYNC or SYNC. */
    int lazyfree_lazy_eviction, lazyfree_lazy_expire, lazyfree_lazy_server_del;
    int lazyfree_lazy_user_del, lazyfree_lazy_user_flush;
    int save_unused;              /* save "" / appendonly no: the only values accepted */
    int http_port;                /* /metrics /healthz /readyz (server/http.c); 0: off */
    char *prefix_stats_delimiter; /* base/prefixstat.c; "": off */
    int prefix_stats_max;         /* rows INFO prefixstats shows */
    int io_threads;               /* 0 until resolved at startup: 0 means "auto" */
    char *requirepass;
    char *notify_keyspace_events;     /* as given; parsed into notify_flags */
    int notify_flags;                 /* NOTIFY_* */
    char *client_output_buffer_limit; /* as given; parsed into: */
    long long pubsub_hard_limit, pubsub_soft_limit, pubsub_soft_seconds;
    long long busy_reply_threshold; /* ms; also lua-time-limit */
    /* Small containers stay packed inline (storage/hash.c, set.c) up to: */
    long long hash_max_listpack_entries, hash_max_listpack_value;
    long long set_max_intset_entries, set_max_listpack_entries, set_max_listpack_value;
    int list_max_listpack_size, list_compress_depth;              /* storage/list.c */
    long long zset_max_listpack_entries, zset_max_listpack_value; /* storage/zset.c */
    int auth_required; /* requirepass is not empty (derived) */
};

extern struct config cfg;

/* Numeric settings are read by every event-loop thread while CONFIG SET
 * may change them: reads and writes are relaxed atomics (plain moves on
 * x86). String settings (bind, logfile, pidfile) change only under
 * config_lock, and readers on other threads take it too. */
#define CFG(field) __atomic_load_n(&cfg.field, __ATOMIC_RELAXED)
void config_lock(void);
void config_unlock(void);

/* Loads defaults, then the file (if path is not NULL), then the extra
 * "directive value" text built from command-line options. On a bad
 * directive prints the error with the line and returns -1. */
int config_load(const char *path, const char *overrides);
/* Whether the config file or the command line set directive name (as
 * opposed to its default). */
int config_given(const char *name);
/* Builds the override text from argv the way redis-server does:
 * "--port 7000 --bind a b" -> "port 7000\nbind a b\n". Caller frees. */
char *config_argv_to_text(int argc, char **argv);

/* Called once the server runs: later CONFIG SETs apply to live parts. */
void config_started(void);
/* Compares a password with requirepass (under the config lock). */
int config_check_password(const char *p, size_t len);

/* CONFIG GET: the directives by index, and a value as CONFIG GET prints
 * it. */
size_t config_count(void);
const char *config_name(size_t i);
void config_format(size_t i, char *buf, size_t cap);

/* CONFIG SET of n name/value pairs, atomically. Returns 0, or -1 with
 * Redis's error reply text in err. */
struct config_change {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
};
int config_set(const struct config_change *changes, size_t n, char *err, size_t errcap);

/* Opens listeners for a new bind/port before CONFIG SET commits them;
 * returns 0 on success. Set by the server at startup (net_rebind): the
 * networking layer is above this one. */
typedef int config_rebind_fn(const char *bind, int port);
void config_set_rebind_hook(config_rebind_fn *fn);

#endif

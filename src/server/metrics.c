/* metrics.c - INFO text to Prometheus text, the way redis_exporter maps
 * it: each INFO field it knows becomes redis_<name> (a gauge, or a
 * counter ending in _total), commandstats become redis_commands_total and
 * redis_commands_duration_seconds_total by cmd, errorstats
 * redis_errors_total by err, the keyspace redis_db_keys and
 * redis_db_keys_expiring by db, and the server's identity
 * redis_instance_info. Working from INFO's text keeps one source for
 * both: a field INFO shows is the figure /metrics shows. */
#include "server/metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/textbuf.h"

enum metric_type { GAUGE, COUNTER };

/* INFO fields and their metric names (redis_exporter's, for the fields
 * respite's INFO has; respite's own with a name of their own). */
static const struct {
    const char *field, *name;
    enum metric_type type;
} metrics__map[] = {
    /* Server */
    {"process_id", "redis_process_id", GAUGE},
    {"uptime_in_seconds", "redis_uptime_in_seconds", GAUGE},
    {"io_threads_active", "redis_io_threads_active", GAUGE},
    {"hz", "redis_hz", GAUGE},
    {"configured_hz", "redis_configured_hz", GAUGE},
    /* Clients */
    {"connected_clients", "redis_connected_clients", GAUGE},
    {"maxclients", "redis_max_clients", GAUGE},
    {"client_recent_max_input_buffer", "redis_client_recent_max_input_buffer_bytes", GAUGE},
    {"client_recent_max_output_buffer", "redis_client_recent_max_output_buffer_bytes", GAUGE},
    {"blocked_clients", "redis_blocked_clients", GAUGE},
    {"tracking_clients", "redis_tracking_clients", GAUGE},
    {"pubsub_clients", "redis_pubsub_clients", GAUGE},
    {"watching_clients", "redis_watching_clients", GAUGE},
    {"clients_in_timeout_table", "redis_clients_in_timeout_table", GAUGE},
    {"total_watched_keys", "redis_total_watched_keys", GAUGE},
    {"total_blocking_keys", "redis_total_blocking_keys", GAUGE},
    {"total_blocking_keys_on_nokey", "redis_total_blocking_keys_on_nokey", GAUGE},
    /* Memory */
    {"used_memory", "redis_memory_used_bytes", GAUGE},
    {"used_memory_rss", "redis_memory_used_rss_bytes", GAUGE},
    {"used_memory_peak", "redis_memory_used_peak_bytes", GAUGE},
    {"used_memory_overhead", "redis_memory_used_overhead_bytes", GAUGE},
    {"used_memory_dataset", "redis_memory_used_dataset_bytes", GAUGE},
    {"allocator_allocated", "redis_allocator_allocated_bytes", GAUGE},
    {"allocator_active", "redis_allocator_active_bytes", GAUGE},
    {"allocator_resident", "redis_allocator_resident_bytes", GAUGE},
    {"total_system_memory", "redis_total_system_memory_bytes", GAUGE},
    {"used_memory_lua", "redis_memory_used_lua_bytes", GAUGE},
    {"used_memory_vm_eval", "redis_memory_used_vm_eval_bytes", GAUGE},
    {"used_memory_scripts_eval", "redis_memory_used_scripts_eval_bytes", GAUGE},
    {"number_of_cached_scripts", "redis_number_of_cached_scripts", GAUGE},
    {"number_of_functions", "redis_number_of_functions", GAUGE},
    {"number_of_libraries", "redis_number_of_libraries", GAUGE},
    {"used_memory_vm_functions", "redis_memory_used_vm_functions_bytes", GAUGE},
    {"used_memory_vm_total", "redis_memory_used_vm_total", GAUGE},
    {"used_memory_functions", "redis_memory_used_functions_bytes", GAUGE},
    {"used_memory_scripts", "redis_memory_used_scripts_bytes", GAUGE},
    {"maxmemory", "redis_memory_max_bytes", GAUGE},
    {"allocator_frag_ratio", "redis_allocator_frag_ratio", GAUGE},
    {"allocator_frag_bytes", "redis_allocator_frag_bytes", GAUGE},
    {"mem_fragmentation_ratio", "redis_mem_fragmentation_ratio", GAUGE},
    {"mem_fragmentation_bytes", "redis_mem_fragmentation_bytes", GAUGE},
    {"lazyfree_pending_objects", "redis_lazyfree_pending_objects", GAUGE},
    {"lazyfreed_objects", "redis_lazyfreed_objects", GAUGE},
    {"cgroup_memory_limit", "respite_cgroup_memory_limit_bytes", GAUGE},
    {"rss_guard_ceiling", "respite_rss_guard_ceiling_bytes", GAUGE},
    {"rss_guard_squeeze", "respite_rss_guard_squeeze_bytes", GAUGE},
    {"rss_guard_purges", "respite_rss_guard_purges_total", COUNTER},
    {"rss_guard_refused", "respite_rss_guard_refused_total", COUNTER},
    /* Persistence */
    {"loading", "redis_loading_dump_file", GAUGE},
    {"async_loading", "redis_async_loading", GAUGE},
    {"rdb_bgsave_in_progress", "redis_rdb_bgsave_in_progress", GAUGE},
    {"aof_enabled", "redis_aof_enabled", GAUGE},
    {"aof_rewrite_in_progress", "redis_aof_rewrite_in_progress", GAUGE},
    /* Stats */
    {"total_connections_received", "redis_connections_received_total", COUNTER},
    {"total_commands_processed", "redis_commands_processed_total", COUNTER},
    {"total_net_input_bytes", "redis_net_input_bytes_total", COUNTER},
    {"total_net_output_bytes", "redis_net_output_bytes_total", COUNTER},
    {"rejected_connections", "redis_rejected_connections_total", COUNTER},
    {"expired_keys", "redis_expired_keys_total", COUNTER},
    {"expired_subkeys", "redis_expired_subkeys_total", COUNTER},
    {"expired_stale_perc", "redis_expired_stale_percentage", GAUGE},
    {"expire_cycle_cpu_milliseconds", "redis_expire_cycle_cpu_time_ms_total", COUNTER},
    {"evicted_keys", "redis_evicted_keys_total", COUNTER},
    {"evicted_clients", "redis_evicted_clients_total", COUNTER},
    {"evicted_scripts", "redis_evicted_scripts_total", COUNTER},
    {"keyspace_hits", "redis_keyspace_hits_total", COUNTER},
    {"keyspace_misses", "redis_keyspace_misses_total", COUNTER},
    {"pubsub_channels", "redis_pubsub_channels", GAUGE},
    {"pubsub_patterns", "redis_pubsub_patterns", GAUGE},
    {"tracking_total_keys", "redis_tracking_total_keys", GAUGE},
    {"tracking_total_items", "redis_tracking_total_items", GAUGE},
    {"tracking_total_prefixes", "redis_tracking_total_prefixes", GAUGE},
    {"unexpected_error_replies", "redis_unexpected_error_replies", COUNTER},
    {"total_error_replies", "redis_total_error_replies", COUNTER},
    {"total_reads_processed", "redis_total_reads_processed", COUNTER},
    {"total_writes_processed", "redis_total_writes_processed", COUNTER},
    /* Replication */
    {"connected_slaves", "redis_connected_slaves", GAUGE},
    /* CPU */
    {"used_cpu_sys", "redis_cpu_sys_seconds_total", COUNTER},
    {"used_cpu_user", "redis_cpu_user_seconds_total", COUNTER},
    {"used_cpu_sys_children", "redis_cpu_sys_children_seconds_total", COUNTER},
    {"used_cpu_user_children", "redis_cpu_user_children_seconds_total", COUNTER},
};
#define METRICS_MAP (sizeof(metrics__map) / sizeof(metrics__map[0]))

/* A number as the shortest text that reads back the same (0.00025, not
 * 0.00025000000000000001). */
static const char *metrics__fmt(double v, char *buf, size_t cap)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    return buf;
}

static void metrics__head(struct textbuf *b, const char *name, const char *help, enum metric_type t)
{
    textbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
                   t == COUNTER ? "counter" : "gauge");
}

/* A label value with \ and " escaped, as the format asks, and any byte
 * outside printable ASCII as '?' (a label must be UTF-8 without NULs; an
 * error code a script made up could be anything). */
static void metrics__label(struct textbuf *b, const char *v, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)v[i];
        if (ch == '\\' || ch == '"')
            textbuf_printf(b, "\\%c", ch);
        else
            textbuf_printf(b, "%c", ch >= 0x20 && ch < 0x7f ? ch : '?');
    }
}

/* A value INFO prints as a number (or ok/err, as redis_exporter reads
 * them); 0 when it is neither. */
static int metrics__number(const char *v, size_t len, double *out)
{
    char buf[64];
    if (len == 0 || len >= sizeof(buf)) return 0;
    memcpy(buf, v, len);
    buf[len] = '\0';
    if (!strcmp(buf, "ok") || !strcmp(buf, "true")) {
        *out = 1;
        return 1;
    }
    if (!strcmp(buf, "err") || !strcmp(buf, "fail") || !strcmp(buf, "false")) {
        *out = 0;
        return 1;
    }
    char *end;
    *out = strtod(buf, &end);
    return *end == '\0';
}

/* k=v,k=v... : the number after "key=" in list, or -1. */
static double metrics__field(const char *list, size_t len, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = list, *end = list + len; p < end;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        if ((size_t)(stop - p) > kl && !strncmp(p, key, kl) && p[kl] == '=') {
            double v;
            if (metrics__number(p + kl + 1, (size_t)(stop - p - kl - 1), &v)) return v;
        }
        p = stop + 1;
    }
    return -1;
}

/* The labelled families, each built apart and appended whole (the format
 * wants a family's samples together). */
enum {
    F_CALLS,
    F_USEC,
    F_REJECTED,
    F_FAILED,
    F_ERRORS,
    F_DB_KEYS,
    F_DB_EXPIRING,
    F_DB_TTL,
    F_PREFIX_HITS,
    F_PREFIX_MISSES,
    FAMILIES
};
static const struct {
    const char *name, *help;
    enum metric_type type;
} metrics__families[FAMILIES] = {
    {"redis_commands_total", "Total number of calls per command", COUNTER},
    {"redis_commands_duration_seconds_total", "Total amount of time in seconds spent per command",
     COUNTER},
    {"redis_commands_rejected_calls_total",
     "Total number of errors within command execution per command", COUNTER},
    {"redis_commands_failed_calls_total",
     "Total number of errors prior command execution per command", COUNTER},
    {"redis_errors_total", "Total number of errors per error type", COUNTER},
    {"redis_db_keys", "Total number of keys by DB", GAUGE},
    {"redis_db_keys_expiring", "Total number of expiring keys by DB", GAUGE},
    {"redis_db_avg_ttl_seconds", "Avg TTL in seconds", GAUGE},
    {"respite_keyspace_prefix_hits_total", "Keyspace hits by key prefix (INFO prefixstats)",
     COUNTER},
    {"respite_keyspace_prefix_misses_total", "Keyspace misses by key prefix (INFO prefixstats)",
     COUNTER},
};

/* The identity fields redis_instance_info carries, in its label order. */
static const char *const metrics__info_labels[] = {
    "role",     "redis_version", "redis_build_id", "redis_mode",   "os", "maxmemory_policy",
    "tcp_port", "run_id",        "process_id",     "master_replid"};
#define INFO_LABELS (sizeof(metrics__info_labels) / sizeof(metrics__info_labels[0]))

char *metrics_from_info(const char *info, size_t info_len, int databases, long long now,
                        size_t *len)
{
    char numbuf[40];
#define NUM(v) metrics__fmt((v), numbuf, sizeof(numbuf))
    struct textbuf out, fam[FAMILIES];
    textbuf_init(&out, 1024);
    for (int i = 0; i < FAMILIES; i++) textbuf_init(&fam[i], 1024);
    const char *labels[INFO_LABELS] = {0};
    size_t label_len[INFO_LABELS] = {0};
    char *seen_db = mem_calloc(databases > 0 ? (size_t)databases : 1);
    metrics__head(&out, "redis_up", "Information about the Redis instance", GAUGE);
    textbuf_printf(&out, "redis_up 1\n");
    for (const char *p = info, *end = info + info_len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        size_t n = (size_t)(stop - p);
        if (n && p[n - 1] == '\r') n--;
        const char *colon = n && p[0] != '#' ? memchr(p, ':', n) : NULL;
        if (colon) {
            size_t kl = (size_t)(colon - p), vl = n - kl - 1;
            const char *v = colon + 1;
            double num;
            for (size_t i = 0; i < INFO_LABELS; i++)
                if (strlen(metrics__info_labels[i]) == kl &&
                    !strncmp(p, metrics__info_labels[i], kl)) {
                    labels[i] = v;
                    label_len[i] = vl;
                }
            if (kl > 8 && !strncmp(p, "cmdstat_", 8)) {
                double value[4] = {
                    metrics__field(v, vl, "calls"), metrics__field(v, vl, "usec") / 1e6,
                    metrics__field(v, vl, "rejected_calls"), metrics__field(v, vl, "failed_calls")};
                for (int f = F_CALLS; f <= F_FAILED; f++) {
                    textbuf_printf(&fam[f], "%s{cmd=\"", metrics__families[f].name);
                    metrics__label(&fam[f], p + 8, kl - 8);
                    textbuf_printf(&fam[f], "\"} %s\n", NUM(value[f - F_CALLS]));
                }
            } else if (kl > 10 && !strncmp(p, "errorstat_", 10)) {
                textbuf_printf(&fam[F_ERRORS], "%s{err=\"", metrics__families[F_ERRORS].name);
                metrics__label(&fam[F_ERRORS], p + 10, kl - 10);
                textbuf_printf(&fam[F_ERRORS], "\"} %s\n", NUM(metrics__field(v, vl, "count")));
            } else if (kl > 11 && !strncmp(p, "prefixstat_", 11)) {
                /* prefixstat_N:prefix=P,hits=H,misses=M, or prefixstat_other:... */
                const char *name = "other";
                size_t name_len = 5;
                if (vl > 7 && !strncmp(v, "prefix=", 7)) {
                    name = v + 7;
                    const char *comma = memchr(name, ',', vl - 7);
                    name_len = comma ? (size_t)(comma - name) : vl - 7;
                }
                for (int f = F_PREFIX_HITS; f <= F_PREFIX_MISSES; f++) {
                    textbuf_printf(&fam[f], "%s{prefix=\"", metrics__families[f].name);
                    metrics__label(&fam[f], name, name_len);
                    textbuf_printf(
                        &fam[f], "\"} %s\n",
                        NUM(metrics__field(v, vl, f == F_PREFIX_HITS ? "hits" : "misses")));
                }
            } else if (kl > 2 && !strncmp(p, "db", 2) && strspn(p + 2, "0123456789") == kl - 2) {
                int db = atoi(p + 2);
                if (db >= 0 && db < databases) seen_db[db] = 1;
                double ttl = metrics__field(v, vl, "avg_ttl");
                textbuf_printf(&fam[F_DB_KEYS], "redis_db_keys{db=\"db%d\"} %s\n", db,
                               NUM(metrics__field(v, vl, "keys")));
                textbuf_printf(&fam[F_DB_EXPIRING], "redis_db_keys_expiring{db=\"db%d\"} %s\n", db,
                               NUM(metrics__field(v, vl, "expires")));
                if (ttl >= 0)
                    textbuf_printf(&fam[F_DB_TTL], "redis_db_avg_ttl_seconds{db=\"db%d\"} %s\n", db,
                                   NUM(ttl / 1000));
            } else {
                for (size_t i = 0; i < METRICS_MAP; i++) {
                    if (strlen(metrics__map[i].field) != kl ||
                        strncmp(p, metrics__map[i].field, kl) != 0)
                        continue;
                    if (!metrics__number(v, vl, &num)) break;
                    /* redis_exporter's help: the name without its namespace. */
                    char help[96];
                    snprintf(help, sizeof(help), "%s metric",
                             strchr(metrics__map[i].name, '_') + 1);
                    metrics__head(&out, metrics__map[i].name, help, metrics__map[i].type);
                    textbuf_printf(&out, "%s %s\n", metrics__map[i].name, NUM(num));
                    if (!strcmp(metrics__map[i].field, "uptime_in_seconds")) {
                        metrics__head(&out, "redis_start_time_seconds",
                                      "Start time of the Redis instance since unix epoch in "
                                      "seconds.",
                                      GAUGE);
                        textbuf_printf(&out, "redis_start_time_seconds %lld\n",
                                       now - (long long)num);
                    }
                    break;
                }
            }
        }
        p = stop + 1;
    }
    /* Empty databases count as zero keys (redis_exporter's default). */
    for (int db = 0; db < databases; db++) {
        if (seen_db[db]) continue;
        textbuf_printf(&fam[F_DB_KEYS], "redis_db_keys{db=\"db%d\"} 0\n", db);
        textbuf_printf(&fam[F_DB_EXPIRING], "redis_db_keys_expiring{db=\"db%d\"} 0\n", db);
    }
    mem_free(seen_db);
    for (int i = 0; i < FAMILIES; i++) {
        if (fam[i].len)
            metrics__head(&out, metrics__families[i].name, metrics__families[i].help,
                          metrics__families[i].type);
        textbuf_append(&out, fam[i].p, fam[i].len);
        mem_free(fam[i].p);
    }
    metrics__head(&out, "redis_instance_info", "Information about the Redis instance", GAUGE);
    textbuf_printf(&out, "redis_instance_info{");
    for (size_t i = 0; i < INFO_LABELS; i++) {
        textbuf_printf(&out, "%s%s=\"", i ? "," : "", metrics__info_labels[i]);
        if (labels[i]) metrics__label(&out, labels[i], label_len[i]);
        textbuf_printf(&out, "\"");
    }
    textbuf_printf(&out, "} 1\n");
#undef NUM
    *len = out.len;
    return out.p;
}

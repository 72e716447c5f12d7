/* cmd_info.c - INFO: Redis's sections and field names, filled from the
 * stats, memory, db and client modules. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "base/config.h"
#include "base/mem.h"
#include "base/prefixstat.h"
#include "base/process.h"
#include "base/stats.h"
#include "base/textbuf.h"
#include "base/util.h"
#include "base/version.h"
#include "base/worker.h"
#include "client/client.h"
#include "client/reply.h"
#include "commands/arg.h"
#include "commands/commands.h"
#include "dispatch/command.h"
#include "services/tracking.h"
#include "services/blocking.h"
#include "services/function.h"
#include "services/pubsub.h"
#include "services/script.h"
#include "storage/db.h"
#include "storage/evict.h"

struct info {
    struct textbuf text;
    int sections; /* emitted so far, for the blank line between them */
    size_t used;  /* used_memory before INFO allocated its own buffer */
};

static void info__printf(struct info *in, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void info__printf(struct info *in, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    textbuf_vprintf(&in->text, fmt, ap);
    va_end(ap);
}

static void info__section(struct info *in, const char *title)
{
    if (in->sections++) info__printf(in, "\r\n");
    info__printf(in, "# %s\r\n", title);
}

static void info__human(char *buf, size_t cap, unsigned long long n)
{
    double d = (double)n;
    if (n < 1024)
        snprintf(buf, cap, "%lluB", n);
    else if (n < 1024ULL * 1024)
        snprintf(buf, cap, "%.2fK", d / 1024);
    else if (n < 1024ULL * 1024 * 1024)
        snprintf(buf, cap, "%.2fM", d / (1024 * 1024));
    else if (n < 1024ULL * 1024 * 1024 * 1024)
        snprintf(buf, cap, "%.2fG", d / (1024.0 * 1024 * 1024));
    else
        snprintf(buf, cap, "%.2fT", d / (1024.0 * 1024 * 1024 * 1024));
}

static void info__server(struct info *in)
{
    char bind[256];
    config_lock();
    snprintf(bind, sizeof(bind), "%s", cfg.bind);
    config_unlock();
    struct utsname un;
    uname(&un);
    long long now_us = util_ustime();
    long long uptime = (now_us / 1000 - stats_start_ms()) / 1000;
    info__section(in, "Server");
    info__printf(in,
                 "redis_version:%s\r\n"
                 "respite_version:%s\r\n"
                 "redis_git_sha1:00000000\r\n"
                 "redis_git_dirty:0\r\n"
                 "redis_build_id:0\r\n"
                 "redis_mode:standalone\r\n"
                 "os:%s %s %s\r\n"
                 "arch_bits:%d\r\n"
                 "monotonic_clock:POSIX clock_gettime\r\n"
                 "multiplexing_api:epoll\r\n"
                 "atomicvar_api:c11-builtin\r\n"
                 "gcc_version:%d.%d.%d\r\n"
                 "process_id:%d\r\n"
                 "process_supervised:no\r\n"
                 "run_id:%s\r\n"
                 "tcp_port:%d\r\n"
                 "server_time_usec:%lld\r\n"
                 "uptime_in_seconds:%lld\r\n"
                 "uptime_in_days:%lld\r\n"
                 "hz:%d\r\n"
                 "configured_hz:%d\r\n"
                 "lru_clock:%lld\r\n"
                 "executable:%s\r\n"
                 "config_file:%s\r\n"
                 "io_threads_active:%d\r\n",
                 REDIS_COMPAT_VERSION, RESPITE_VERSION, un.sysname, un.release, un.machine,
                 (int)sizeof(void *) * 8,
#ifdef __GNUC__
                 __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__,
#else
                 0, 0, 0,
#endif
                 (int)getpid(), process_run_id(), CFG(port), now_us, uptime, uptime / 86400,
                 CFG(hz), CFG(hz), (now_us / 1000000) & 0xFFFFFF, process_executable(),
                 process_config_file(), worker_count() > 1);
    /* Redis 7.4's listener lines: TCP unless port is 0, each bind
     * address as its own field; the unix socket. */
    if (CFG(port) != 0) {
        info__printf(in, "listener0:name=tcp");
        char *save = NULL;
        for (char *a = strtok_r(bind, " ", &save); a; a = strtok_r(NULL, " ", &save))
            info__printf(in, ",bind=%s", a);
        info__printf(in, ",port=%d\r\n", CFG(port));
    }
    if (cfg.unixsocket[0]) info__printf(in, "listener1:name=unix,bind=%s\r\n", cfg.unixsocket);
}

struct info__bufs {
    size_t max_in, max_out, pubsub, watching;
};

static void info__client_bufs(struct client *c, void *arg)
{
    struct info__bufs *b = arg;
    size_t in = CLIENT_PUB_GET(c, qcap), out = CLIENT_PUB_GET(c, out_bytes);
    if (in > b->max_in) b->max_in = in;
    if (out > b->max_out) b->max_out = out;
    size_t subs = lockset_on() ? __atomic_load_n(&c->pub.sub, __ATOMIC_RELAXED) +
                                     __atomic_load_n(&c->pub.psub, __ATOMIC_RELAXED)
                               : c->nchannels + c->npatterns;
    if (subs) b->pubsub++;
    size_t watched = lockset_on() ? __atomic_load_n(&c->pub.watch, __ATOMIC_RELAXED) : c->nwatched;
    if (watched) b->watching++;
}

static size_t info__watched_keys(void)
{
    size_t n = 0;
    for (int i = 0; i < db_count(); i++) n += db_watched_keys(db_get(i));
    return n;
}

static void info__clients(struct info *in)
{
    struct info__bufs b = {0, 0, 0, 0};
    client_each(info__client_bufs, &b);
    size_t max_in = b.max_in, max_out = b.max_out;
    struct tracking_stats ts;
    tracking_stats(&ts);
    info__section(in, "Clients");
    info__printf(in,
                 "connected_clients:%zu\r\n"
                 "cluster_connections:0\r\n"
                 "maxclients:%d\r\n"
                 "client_recent_max_input_buffer:%zu\r\n"
                 "client_recent_max_output_buffer:%zu\r\n"
                 "blocked_clients:%zu\r\n"
                 "tracking_clients:%zu\r\n"
                 "pubsub_clients:%zu\r\n"
                 "watching_clients:%zu\r\n"
                 "clients_in_timeout_table:%zu\r\n"
                 "total_watched_keys:%zu\r\n"
                 "total_blocking_keys:%zu\r\n"
                 "total_blocking_keys_on_nokey:0\r\n",
                 client_count(), CFG(maxclients), max_in, max_out, blocking_clients(), ts.clients,
                 b.pubsub, b.watching, blocking_timeouts(), info__watched_keys(), blocking_keys());
}

static const char *info__policy_name(int policy)
{
    static const char *names[] = {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
                                  "allkeys-lru",  "allkeys-lfu",  "allkeys-random",  "noeviction"};
    return names[policy];
}

static void info__memory(struct info *in)
{
    struct mem_stats st;
    mem_stats(&st);
    unsigned long long used = in->used;
    process_note_memory(used);
    unsigned long long peak = process_memory_peak();
    struct script_info si;
    script_info(&si);
    /* The interpreter lives in the same heap (it counts in used_memory):
     * overhead, not dataset. */
    size_t overhead = client_memory() + si.lua_bytes + si.cache_bytes;
    for (int i = 0; i < db_count(); i++) overhead += db_overhead(db_get(i));
    unsigned long long dataset = used > overhead ? used - overhead : 0;
    long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
    unsigned long long total = pages > 0 && psize > 0 ? (unsigned long long)pages * psize : 0;
    char h_used[32], h_rss[32], h_peak[32], h_total[32], h_max[32], h_lua[32], h_scripts[32];
    char h_vm_total[32];
    info__human(h_lua, sizeof(h_lua), si.lua_bytes);
    info__human(h_vm_total, sizeof(h_vm_total), si.lua_bytes + si.vm_functions);
    info__human(h_scripts, sizeof(h_scripts), si.cache_bytes + function_memory());
    info__human(h_used, sizeof(h_used), used);
    info__human(h_rss, sizeof(h_rss), st.rss);
    info__human(h_peak, sizeof(h_peak), peak);
    info__human(h_total, sizeof(h_total), total);
    info__human(h_max, sizeof(h_max), CFG(maxmemory));
    info__section(in, "Memory");
    info__printf(
        in,
        "used_memory:%llu\r\n"
        "used_memory_human:%s\r\n"
        "used_memory_rss:%zu\r\n"
        "used_memory_rss_human:%s\r\n"
        "used_memory_peak:%llu\r\n"
        "used_memory_peak_human:%s\r\n"
        "used_memory_peak_perc:%.2f%%\r\n"
        "used_memory_overhead:%zu\r\n"
        "used_memory_dataset:%llu\r\n"
        "used_memory_dataset_perc:%.2f%%\r\n"
        "allocator_allocated:%zu\r\n"
        "allocator_active:%zu\r\n"
        "allocator_resident:%zu\r\n"
        "total_system_memory:%llu\r\n"
        "total_system_memory_human:%s\r\n"
        "used_memory_lua:%zu\r\n"
        "used_memory_vm_eval:%zu\r\n"
        "used_memory_lua_human:%s\r\n"
        "used_memory_scripts_eval:%zu\r\n"
        "number_of_cached_scripts:%zu\r\n"
        "number_of_functions:%zu\r\n"
        "number_of_libraries:%zu\r\n"
        "used_memory_vm_functions:%zu\r\n"
        "used_memory_vm_total:%zu\r\n"
        "used_memory_vm_total_human:%s\r\n"
        "used_memory_functions:%zu\r\n"
        "used_memory_scripts:%zu\r\n"
        "used_memory_scripts_human:%s\r\n"
        "maxmemory:%llu\r\n"
        "maxmemory_human:%s\r\n"
        "maxmemory_policy:%s\r\n"
        "allocator_frag_ratio:%.2f\r\n"
        "allocator_frag_bytes:%lld\r\n"
        "mem_fragmentation_ratio:%.2f\r\n"
        "mem_fragmentation_bytes:%lld\r\n"
        "mem_allocator:%s\r\n"
        "lazyfree_pending_objects:%llu\r\n"
        "lazyfreed_objects:%llu\r\n",
        used, h_used, st.rss, h_rss, peak, h_peak, peak ? (double)used * 100 / (double)peak : 0.0,
        overhead, dataset, used ? (double)dataset * 100 / (double)used : 0.0, st.allocated,
        st.active, st.resident, total, h_total, si.lua_bytes, si.lua_bytes, h_lua, si.cache_bytes,
        si.cached_scripts, function_count(), function_libraries(), si.vm_functions,
        si.lua_bytes + si.vm_functions, h_vm_total, function_memory(),
        si.cache_bytes + function_memory(), h_scripts, CFG(maxmemory), h_max,
        info__policy_name(CFG(maxmemory_policy)),
        st.allocated ? (double)st.active / (double)st.allocated : 0.0,
        (long long)st.active - (long long)st.allocated, used ? (double)st.rss / (double)used : 0.0,
        (long long)st.rss - (long long)used, mem_allocator_name(),
        (unsigned long long)db_lazyfree_pending(), (unsigned long long)db_lazyfreed());
    /* respite's own: the container's memory limit (0: none; read once at
     * startup, not per INFO) and the resident-memory guard kept under it
     * (storage/evict.c). */
    struct evict_guard_info g;
    evict_rss_guard_info(&g);
    info__printf(in,
                 "cgroup_memory_limit:%zu\r\n"
                 "rss_guard_ceiling:%zu\r\n"
                 "rss_guard_squeeze:%zu\r\n"
                 "rss_guard_purges:%llu\r\n"
                 "rss_guard_hard:%zu\r\n"
                 "rss_guard_refused:%llu\r\n",
                 g.limit, g.ceiling, g.squeeze, (unsigned long long)g.purges, g.hard,
                 (unsigned long long)g.refused);
}

static void info__persistence(struct info *in)
{
    /* respite keeps no data on disk; these fields tell clients (ioredis's
     * ready check reads loading:) that nothing is being loaded. */
    info__section(in, "Persistence");
    info__printf(in, "loading:0\r\n"
                     "async_loading:0\r\n"
                     "rdb_bgsave_in_progress:0\r\n"
                     "aof_enabled:0\r\n"
                     "aof_rewrite_in_progress:0\r\n");
}

static void info__stats(struct info *in)
{
    struct stats stats;
    stats_total(&stats);
    struct script_info si;
    script_info(&si);
    struct tracking_stats ts;
    tracking_stats(&ts);
    info__section(in, "Stats");
    info__printf(in,
                 "total_connections_received:%llu\r\n"
                 "total_commands_processed:%llu\r\n"
                 "instantaneous_ops_per_sec:%lld\r\n"
                 "total_net_input_bytes:%llu\r\n"
                 "total_net_output_bytes:%llu\r\n"
                 "instantaneous_input_kbps:%.2f\r\n"
                 "instantaneous_output_kbps:%.2f\r\n"
                 "rejected_connections:%llu\r\n"
                 "expired_keys:%llu\r\n"
                 "expired_subkeys:%llu\r\n"
                 "expired_stale_perc:%.2f\r\n"
                 "expire_cycle_cpu_milliseconds:%llu\r\n"
                 "evicted_keys:%llu\r\n"
                 "evicted_clients:%llu\r\n"
                 "evicted_scripts:%llu\r\n"
                 "keyspace_hits:%llu\r\n"
                 "keyspace_misses:%llu\r\n"
                 "pubsub_channels:%zu\r\n"
                 "pubsub_patterns:%lld\r\n"
                 "tracking_total_keys:%zu\r\n"
                 "tracking_total_items:%zu\r\n"
                 "tracking_total_prefixes:%zu\r\n"
                 "unexpected_error_replies:%llu\r\n"
                 "total_error_replies:%llu\r\n"
                 "total_reads_processed:%llu\r\n"
                 "total_writes_processed:%llu\r\n",
                 (unsigned long long)stats.connections, (unsigned long long)stats.commands,
                 (long long)(stats_inst_ops() + 0.5), (unsigned long long)stats.net_input_bytes,
                 (unsigned long long)stats.net_output_bytes, stats_inst_input_kbps(),
                 stats_inst_output_kbps(), (unsigned long long)stats.rejected_connections,
                 (unsigned long long)stats.expired_keys, (unsigned long long)stats.expired_subkeys,
                 (double)stats.expired_stale_pct,
                 (unsigned long long)(stats.expire_cycle_us / 1000),
                 (unsigned long long)stats.evicted_keys, (unsigned long long)stats.evicted_clients,
                 (unsigned long long)si.evicted, (unsigned long long)stats.keyspace_hits,
                 (unsigned long long)stats.keyspace_misses, pubsub_channel_count(), pubsub_numpat(),
                 ts.keys, ts.items, ts.prefixes, (unsigned long long)stats.unexpected_errors,
                 (unsigned long long)stats.error_replies, (unsigned long long)stats.io_reads,
                 (unsigned long long)stats.io_writes);
}

static void info__replication(struct info *in)
{
    info__section(in, "Replication");
    info__printf(in, "role:master\r\nconnected_slaves:0\r\n");
}

static void info__cpu(struct info *in)
{
    struct rusage self, children;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    info__section(in, "CPU");
    info__printf(in,
                 "used_cpu_sys:%ld.%06ld\r\n"
                 "used_cpu_user:%ld.%06ld\r\n"
                 "used_cpu_sys_children:%ld.%06ld\r\n"
                 "used_cpu_user_children:%ld.%06ld\r\n",
                 (long)self.ru_stime.tv_sec, (long)self.ru_stime.tv_usec,
                 (long)self.ru_utime.tv_sec, (long)self.ru_utime.tv_usec,
                 (long)children.ru_stime.tv_sec, (long)children.ru_stime.tv_usec,
                 (long)children.ru_utime.tv_sec, (long)children.ru_utime.tv_usec);
}

static void info__errorstat(const char *code, uint64_t count, void *arg)
{
    info__printf(arg, "errorstat_%s:count=%llu\r\n", code, (unsigned long long)count);
}

static void info__errorstats(struct info *in)
{
    info__section(in, "Errorstats");
    stats_errors_each(info__errorstat, in);
}

static void info__cmdstat(struct command *cmd, void *arg)
{
    struct cmd_counters t;
    stats_command_total(cmd->index, &t);
    if (t.calls == 0 && t.rejected_calls == 0 && t.failed_calls == 0) return;
    info__printf(arg,
                 "cmdstat_%s:calls=%llu,usec=%llu,usec_per_call=%.2f,rejected_calls=%llu,"
                 "failed_calls=%llu\r\n",
                 cmd->fullname, (unsigned long long)t.calls, (unsigned long long)t.usec,
                 t.calls ? (double)t.usec / (double)t.calls : 0.0,
                 (unsigned long long)t.rejected_calls, (unsigned long long)t.failed_calls);
}

static void info__commandstats(struct info *in)
{
    info__section(in, "Commandstats");
    command_each(info__cmdstat, 1, in);
}

static void info__keyspace(struct info *in)
{
    info__section(in, "Keyspace");
    for (int i = 0; i < db_count(); i++) {
        struct db *db = db_get(i);
        uint64_t keys = db_size(db);
        if (keys == 0) continue;
        /* subexpiry: hashes with field TTLs (as listed for active expiry:
         * one that lost its last TTL counts until the sweep passes it). */
        info__printf(in, "db%d:keys=%llu,expires=%llu,avg_ttl=%lld,subexpiry=%llu\r\n", i,
                     (unsigned long long)keys, (unsigned long long)db_expires(db), db_avg_ttl(db),
                     (unsigned long long)db_fields(db));
    }
}

/* respite's own: hits and misses by key prefix, busiest first, then the
 * rest. A prefix's bytes that INFO's syntax or a terminal would trip on
 * show as '?'. */
static void info__prefixstats(struct info *in)
{
    info__section(in, "Prefixstats");
    struct prefixstat_row rows[PREFIXSTAT_SLOTS], other;
    int max = CFG(prefix_stats_max);
    size_t n = prefixstat_top(rows, max > 0 && max <= PREFIXSTAT_SLOTS ? (size_t)max : 16, &other);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < rows[i].len; j++) {
            unsigned char ch = (unsigned char)rows[i].prefix[j];
            if (ch < 33 || ch > 126 || ch == ',' || ch == '=') rows[i].prefix[j] = '?';
        }
        info__printf(in, "prefixstat_%zu:prefix=%s,hits=%llu,misses=%llu\r\n", i, rows[i].prefix,
                     (unsigned long long)rows[i].hits, (unsigned long long)rows[i].misses);
    }
    info__printf(in, "prefixstat_other:hits=%llu,misses=%llu\r\n", (unsigned long long)other.hits,
                 (unsigned long long)other.misses);
}

struct info_section {
    const char *name;
    void (*fn)(struct info *in);
    int is_default;
};

static const struct info_section info__sections[] = {
    {"server", info__server, 1},
    {"clients", info__clients, 1},
    {"memory", info__memory, 1},
    {"persistence", info__persistence, 1},
    {"stats", info__stats, 1},
    {"replication", info__replication, 1},
    {"cpu", info__cpu, 1},
    {"commandstats", info__commandstats, 0},
    {"errorstats", info__errorstats, 1},
    {"keyspace", info__keyspace, 1},
    {"prefixstats", info__prefixstats, 0},
};
#define INFO_SECTIONS (sizeof(info__sections) / sizeof(info__sections[0]))

/* Marks in want the sections one INFO argument names. */
static void info__want(const char *name, size_t len, int *want)
{
    const struct arg a = {.ptr = name, .len = len};
    for (size_t i = 0; i < INFO_SECTIONS; i++) {
        if (arg_is(&a, "all") || arg_is(&a, "everything"))
            want[i] = 1;
        else if (arg_is(&a, "default"))
            want[i] |= info__sections[i].is_default;
        else if (arg_is(&a, info__sections[i].name))
            want[i] = 1;
    }
}

static char *info__build(const int *want, size_t *len)
{
    /* used_memory as it was before INFO's own buffer. */
    size_t used = mem_used();
    struct info in = {.used = used};
    textbuf_init(&in.text, 4096);
    for (size_t i = 0; i < INFO_SECTIONS; i++)
        if (want[i]) info__sections[i].fn(&in);
    *len = in.text.len;
    return in.text.p;
}

void cmd_info(struct client *c)
{
    int want[INFO_SECTIONS] = {0};
    if (c->argc == 1) info__want("default", 7, want);
    for (size_t j = 1; j < c->argc; j++) info__want(c->argv[j].ptr, c->argv[j].len, want);
    size_t len;
    char *text = info__build(want, &len);
    reply_verbatim(c, text, len, "txt");
    mem_free(text);
}

char *info_text(const char *sections, size_t *len)
{
    int want[INFO_SECTIONS] = {0};
    for (const char *p = sections; *p;) {
        size_t n = strcspn(p, " ");
        if (n) info__want(p, n, want);
        p += n;
        p += strspn(p, " ");
    }
    return info__build(want, len);
}

/* server.c - main: startup, the signals that stop the server, and
 * shutdown. Startup wires the layers together: each module below registers
 * its hooks with the ones below it, so no lower module includes a higher
 * one (src/LAYERS). */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "base/cgroup.h"
#include "base/config.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/prefixstat.h"
#include "base/process.h"
#include "base/stats.h"
#include "base/util.h"
#include "base/version.h"
#include "base/worker.h"
#include "client/client.h"
#include "commands/commands.h"
#include "dispatch/command.h"
#include "server/cron.h"
#include "server/http.h"
#include "server/net.h"
#include "services/blocking.h"
#include "services/multi.h"
#include "services/function.h"
#include "services/monitor.h"
#include "services/notify.h"
#include "services/pubsub.h"
#include "services/script.h"
#include "services/tracking.h"
#include "storage/db.h"
#include "storage/evict.h"
#include "storage/expire.h"
#include "storage/lockset.h"
#include "storage/value.h"

static uv_loop_t *server__loop;
static uv_signal_t server__sigterm, server__sigint;

static void server__on_signal(uv_signal_t *s, int signum)
{
    (void)s;
    log_msg(LL_WARNING, "Received %s scheduling shutdown...",
            signum == SIGINT ? "SIGINT" : "SIGTERM");
    process_request_shutdown();
}

static void server__usage(void)
{
    fprintf(stderr, "Usage: ./respite-server [/path/to/server.conf] [options]\n"
                    "       ./respite-server - (read config from stdin)\n"
                    "       ./respite-server -v or --version\n"
                    "       ./respite-server -h or --help\n\n"
                    "Examples:\n"
                    "       ./respite-server (run the server with default conf)\n"
                    "       ./respite-server server.conf\n"
                    "       ./respite-server --port 7777\n"
                    "       ./respite-server server.conf --loglevel verbose\n");
}

/* The PID file: the configured one, or, for a daemon without one, the
 * default path (Redis writes /var/run/redis.pid then). NULL: none. */
static const char *server__pidfile(void)
{
    if (cfg.pidfile && cfg.pidfile[0]) return cfg.pidfile;
    return cfg.daemonize ? "/var/run/respite.pid" : NULL;
}

static void server__write_pidfile(void)
{
    const char *path = server__pidfile();
    if (path == NULL) return;
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        log_msg(LL_WARNING, "Failed to write PID file: %s", path);
        return;
    }
    fprintf(f, "%d\n", (int)getpid());
    fclose(f);
}

/* daemonize yes: the parent exits at once; the child leaves the
 * terminal's session and points its standard streams at /dev/null (so an
 * empty logfile logs nowhere, as Redis's does). Runs before any thread
 * exists: fork keeps only the calling one. */
static void server__daemonize(void)
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid > 0) exit(0);
    setsid();
    int fd = open("/dev/null", O_RDWR);
    if (fd != -1) {
        dup2(fd, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        if (fd > STDERR_FILENO) close(fd);
    }
}

/* Under a cgroup memory limit (a container): the process is killed when
 * its resident memory reaches the limit, and used_memory is not resident
 * memory. Steady loads hold about maxmemory + 5 MB, but when the values
 * written change size the pages of the old size stay resident until
 * nearly all of their values have gone (tests/cli/cgroup_memory.sh
 * --limit 1g --maxmemory 192mb --factor 3: the cgroup's peak reached 1.9
 * times maxmemory at the switches from 1 KB to 128-byte and to 16 KB
 * values). So, unless maxmemory was given, it is derived as half of
 * what is left under the guard's ceiling (90% of the limit) after the
 * server's own memory at startup: room for a full set of values of one
 * size and a full set of another. And whether or not maxmemory was given,
 * the resident-memory guard (storage/evict.c) evicts harder as resident
 * memory nears the ceiling and refuses writes past 95% of the limit. */
#define SERVER_RSS_CEILING 0.90
#define SERVER_RSS_HARD    0.95
static void server__container_memory(void)
{
    long long limit = cgroup_memory_limit();
    if (limit <= 0) return;
    long long ceiling = (long long)((double)limit * SERVER_RSS_CEILING);
    evict_set_rss_ceiling((size_t)limit, (size_t)ceiling,
                          (size_t)((double)limit * SERVER_RSS_HARD));
    if (config_given("maxmemory")) {
        log_msg(LL_NOTICE,
                "cgroup memory limit %lld bytes: maxmemory %lld as configured; eviction "
                "keeps resident memory under %.0f%% of the limit",
                limit, (long long)CFG(maxmemory), SERVER_RSS_CEILING * 100);
        return;
    }
    long long base = (long long)mem_rss();
    long long derived = (ceiling - base) / 2;
    if (derived < 1024 * 1024) derived = 1024 * 1024;
    cfg.maxmemory = derived;
    log_msg(LL_NOTICE,
            "maxmemory %lld bytes (%.1f MB) from the cgroup memory limit of %lld bytes (%.1f MB): "
            "half of %.0f%% of it less the %.1f MB the server holds at startup",
            derived, (double)derived / 1048576, limit, (double)limit / 1048576,
            SERVER_RSS_CEILING * 100, (double)base / 1048576);
}

/* maxclients connections need as many descriptors, plus a few for
 * listeners, logs and libuv's own. Raise the soft limit toward the hard
 * one as redis-server does, and lower maxclients (with a warning) if the
 * system will not allow enough. */
#define SERVER_RESERVED_FDS 32
static void server__adjust_fd_limit(void)
{
    struct rlimit rl;
    rlim_t want = (rlim_t)CFG(maxclients) + SERVER_RESERVED_FDS;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want) return;
    rlim_t target = want;
    if (rl.rlim_max != RLIM_INFINITY && target > rl.rlim_max) target = rl.rlim_max;
    rl.rlim_cur = target;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < want) {
        int old = CFG(maxclients);
        cfg.maxclients =
            rl.rlim_cur > SERVER_RESERVED_FDS ? (int)(rl.rlim_cur - SERVER_RESERVED_FDS) : 1;
        log_msg(LL_WARNING,
                "You requested maxclients of %d requiring at least %llu max file descriptors; "
                "the limit is %llu, so maxclients is now %d.",
                old, (unsigned long long)want, (unsigned long long)rl.rlim_cur, CFG(maxclients));
    }
}

/* Every event-loop thread: its memory counter, stats block, client list
 * and networking state; when it is asked to stop, its clients close; at
 * exit, its buffers go. */
static void server__thread_start(void)
{
    mem_thread_register();
    stats_thread_setup(command_total());
    prefixstat_thread_setup();
    client_thread_start();
    net_thread_start();
}

static void server__thread_exit(void)
{
    net_thread_exit();
    client_thread_exit();
    lockset_thread_exit();
    evict_thread_exit();
}

static void server__close_walk(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h)) uv_close(h, NULL);
}

int main(int argc, char **argv)
{
    const char *config_path = NULL;
    int first_opt = 1;
    if (argc >= 2) {
        if (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--version")) {
            printf("respite v=%s (redis protocol %s) malloc=%s\n", RESPITE_VERSION,
                   REDIS_COMPAT_VERSION, mem_allocator_name());
            return 0;
        }
        if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
            server__usage();
            return 0;
        }
        if (argv[1][0] != '-' || argv[1][1] == '\0') {
            config_path = argv[1];
            first_opt = 2;
        }
    }
    char *overrides = config_argv_to_text(argc - first_opt, argv + first_opt);
    int rc = config_load(config_path, overrides);
    mem_free(overrides);
    if (rc != 0) return 1;
    if (cfg.daemonize) server__daemonize();
    process_setup(config_path, argv[0]);

    uint8_t seed[16];
    util_random_bytes(seed, sizeof(seed));
    util_hash_seed(seed);
    signal(SIGPIPE, SIG_IGN);
    stats_set_start(util_mstime());

    server__adjust_fd_limit();
    /* Bottom up: storage, the command table, clients, then the services,
     * each registering its hooks with the layers below. */
    db_setup(CFG(databases));
    value_setup();
    expire_setup(CFG(databases));
    commands_setup();
    client_setup();
    multi_setup();
    pubsub_setup();
    notify_setup();
    tracking_setup();
    blocking_setup();
    monitor_setup();
    script_setup();
    function_setup();
    if (cfg.io_threads == 0) cfg.io_threads = worker_default_count();
    server__loop = uv_default_loop();
    log_msg(LL_NOTICE, "respite %s starting (pid %d), speaking Redis %s protocol", RESPITE_VERSION,
            (int)getpid(), REDIS_COMPAT_VERSION);
    if (config_path == NULL)
        log_msg(LL_WARNING, "Warning: no config file specified, using the default config.");
    server__container_memory();
    /* Threads: the main one first (it accepts and runs the cron), then
     * the others, which start serving as connections are handed to them.
     * Shard locks are only taken when there is more than one. */
    if (cfg.io_threads > 1) lockset_enable();
    worker_set_hooks(server__thread_start, client_thread_stop, server__thread_exit);
    if (worker_setup(server__loop, 1) != 0) return 1;
    server__thread_start();
    if (net_setup(server__loop) != 0) return 1;
    if (http_setup(server__loop) != 0) return 1;
    config_set_rebind_hook(net_rebind);
    server__write_pidfile();

    cron_start(server__loop);
    uv_signal_init(server__loop, &server__sigterm);
    uv_signal_start(&server__sigterm, server__on_signal, SIGTERM);
    uv_signal_init(server__loop, &server__sigint);
    uv_signal_start(&server__sigint, server__on_signal, SIGINT);
    if (cfg.jemalloc_bg_thread) mem_background_thread(1);
    config_started();
    process_set_startup_memory(mem_used());
    for (int i = 1; i < cfg.io_threads; i++)
        if (worker_add(i) != 0) return 1;
    if (CFG(port) != 0)
        log_msg(LL_NOTICE, "Ready to accept connections tcp (%d event-loop thread%s)",
                cfg.io_threads, cfg.io_threads == 1 ? "" : "s");
    if (cfg.unixsocket[0])
        log_msg(LL_NOTICE, "Ready to accept connections unix (%d event-loop thread%s)",
                cfg.io_threads, cfg.io_threads == 1 ? "" : "s");
    http_set_ready(1);

    uv_run(server__loop, UV_RUN_DEFAULT);

    /* Shutdown: close every client and handle, let libuv run the close
     * callbacks, then free the data so leak checkers see a clean exit. */
    http_teardown();
    net_teardown();
    worker_teardown();
    uv_walk(server__loop, server__close_walk, NULL);
    uv_run(server__loop, UV_RUN_DEFAULT);
    uv_loop_close(server__loop);
    function_teardown();
    script_teardown();
    expire_teardown();
    db_teardown();
    if (server__pidfile()) unlink(server__pidfile());
    log_msg(LL_WARNING, "respite is now ready to exit, bye bye...");
    return 0;
}

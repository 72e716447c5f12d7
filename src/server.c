/* server.c - main: startup, the cron timer, and shutdown. */
#include "server.h"

#include <limits.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "command.h"
#include "config.h"
#include "db.h"
#include "evict.h"
#include "expire.h"
#include "log.h"
#include "mem.h"
#include "net.h"
#include "notify.h"
#include "pubsub.h"
#include "script.h"
#include "tracking.h"
#include "stats.h"
#include "util.h"
#include "worker.h"

static uv_loop_t *server__loop;
static uv_timer_t server__cron;
static uv_signal_t server__sigterm, server__sigint;
static char server__config_file[PATH_MAX];
static char server__executable[PATH_MAX];
static char server__run_id[41];
static unsigned long long server__peak;
static int server__cron_hz;

const char *server_config_file(void)
{
    return server__config_file;
}

const char *server_executable(void)
{
    return server__executable;
}

const char *server_run_id(void)
{
    return server__run_id;
}

static unsigned long long server__startup_memory;

unsigned long long server_startup_memory(void)
{
    return server__startup_memory;
}

unsigned long long server_memory_peak(void)
{
    return __atomic_load_n(&server__peak, __ATOMIC_RELAXED);
}

void server_note_memory(unsigned long long used)
{
    /* Any thread may report (INFO); keep the maximum with a CAS loop. */
    unsigned long long peak = __atomic_load_n(&server__peak, __ATOMIC_RELAXED);
    while (used > peak && !__atomic_compare_exchange_n(&server__peak, &peak, used, 1,
                                                       __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
}

void server_request_shutdown(void)
{
    worker_request_stop();
}

/* Active expiry runs in short slices: once per cron tick when little
 * expires, and back to back with gaps (25% of a core) while a slice keeps
 * finding expired keys, so a mass expiry is reclaimed fast without making
 * clients wait behind one long pass. */
static uv_timer_t server__expire_timer;
static int server__expire_busy;

static void server__on_expire_timer(uv_timer_t *t);

static void server__expire_slice(long long now)
{
    db_set_now(now);
    int more = expire_cycle(now, EXPIRE_SLICE_US, CFG(active_expire_effort));
    pubsub_flush_if_pending();
    db_set_now(0);
    server__expire_busy = more;
    if (more) {
        uint64_t gap_ms = (expire_gap_us(CFG(active_expire_effort)) + 999) / 1000;
        uv_timer_start(&server__expire_timer, server__on_expire_timer, gap_ms, 0);
    }
}

static void server__on_expire_timer(uv_timer_t *t)
{
    (void)t;
    server__expire_slice(util_mstime());
}

/* The cron: hz times a second. Each duty has its own bounded budget so
 * the cron never stalls clients: an expiry slice (1 ms; see above),
 * incremental rehashing, async-flush freeing and eviction 1 ms each. */
static void server__on_cron(uv_timer_t *t)
{
    static long long last_sample;
    long long now = util_mstime();
    (void)t;
    if (now - last_sample >= 100) {
        stats_sample(now);
        last_sample = now;
    }
    if (!server__expire_busy) server__expire_slice(now);
    if (CFG(activerehashing)) db_rehash_budget(1000);
    db_free_pending(1000);
    script_cron();
    pubsub_flush_if_pending();
    db_set_now(now);
    evict_cycle(1000);
    db_set_now(0);
    server_note_memory(mem_used());
    if (CFG(hz) != server__cron_hz) {
        server__cron_hz = CFG(hz);
        uv_timer_set_repeat(&server__cron, (uint64_t)(1000 / CFG(hz)));
    }
}

/* Eviction that a command left unfinished (its time limit ran out with
 * memory still over maxmemory) continues in 1 ms slices, one every 2 ms,
 * checked once per loop iteration, as Redis's eviction time proc does. */
static uv_prepare_t server__evict_check;
static uv_timer_t server__evict_timer;

static void server__on_evict_timer(uv_timer_t *t)
{
    db_set_now(util_mstime());
    if (evict_cycle(1000)) uv_timer_start(t, server__on_evict_timer, 1, 0);
    db_set_now(0);
}

static void server__on_evict_check(uv_prepare_t *p)
{
    (void)p;
    if (evict_pending() && !uv_is_active((uv_handle_t *)&server__evict_timer))
        uv_timer_start(&server__evict_timer, server__on_evict_timer, 1, 0);
}

static void server__on_signal(uv_signal_t *s, int signum)
{
    (void)s;
    log_msg(LL_WARNING, "Received %s scheduling shutdown...",
            signum == SIGINT ? "SIGINT" : "SIGTERM");
    server_request_shutdown();
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

static void server__write_pidfile(void)
{
    if (cfg.pidfile == NULL || cfg.pidfile[0] == '\0') return;
    FILE *f = fopen(cfg.pidfile, "w");
    if (f == NULL) {
        log_msg(LL_WARNING, "Failed to write PID file: %s", cfg.pidfile);
        return;
    }
    fprintf(f, "%d\n", (int)getpid());
    fclose(f);
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

/* Every event-loop thread: its memory counter, stats block and
 * networking state; and, when it is asked to stop, its clients. */
static void server__thread_start(void)
{
    mem_thread_register();
    stats_thread_setup(command_total());
    net_thread_start();
}

static void server__thread_stop(void)
{
    net_thread_stop();
}

static void server__thread_exit(void)
{
    net_thread_exit();
    db_thread_exit();
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
    if (config_path && strcmp(config_path, "-") != 0 &&
        realpath(config_path, server__config_file) == NULL)
        snprintf(server__config_file, sizeof(server__config_file), "%s", config_path);
    if (realpath("/proc/self/exe", server__executable) == NULL)
        snprintf(server__executable, sizeof(server__executable), "%s", argv[0]);

    uint8_t seed[16];
    util_random_bytes(seed, sizeof(seed));
    util_hash_seed(seed);
    uint8_t rid[20];
    util_random_bytes(rid, sizeof(rid));
    for (int i = 0; i < 20; i++) snprintf(server__run_id + 2 * i, 3, "%02x", rid[i]);
    signal(SIGPIPE, SIG_IGN);
    stats_set_start(util_mstime());

    server__adjust_fd_limit();
    db_setup(CFG(databases));
    command_setup();
    script_setup();
    if (cfg.io_threads == 0) cfg.io_threads = worker_default_count();
    server__loop = uv_default_loop();
    log_msg(LL_NOTICE, "respite %s starting (pid %d), speaking Redis %s protocol", RESPITE_VERSION,
            (int)getpid(), REDIS_COMPAT_VERSION);
    if (config_path == NULL)
        log_msg(LL_WARNING, "Warning: no config file specified, using the default config.");
    /* Threads: the main one first (it accepts and runs the cron), then
     * the others, which start serving as connections are handed to them.
     * Shard locks are only taken when there is more than one. */
    if (cfg.io_threads > 1) db_enable_locking();
    worker_set_hooks(server__thread_start, server__thread_stop, server__thread_exit);
    worker_set_flush(pubsub_flush_thread);
    db_set_event_hook(notify_event);
    if (worker_setup(server__loop, 1) != 0) return 1;
    server__thread_start();
    if (net_setup(server__loop) != 0) return 1;
    config_set_rebind_hook(net_rebind);
    server__write_pidfile();

    uv_timer_init(server__loop, &server__cron);
    uv_timer_init(server__loop, &server__expire_timer);
    uv_timer_init(server__loop, &server__evict_timer);
    uv_prepare_init(server__loop, &server__evict_check);
    uv_prepare_start(&server__evict_check, server__on_evict_check);
    server__cron_hz = CFG(hz);
    uv_timer_start(&server__cron, server__on_cron, (uint64_t)(1000 / CFG(hz)),
                   (uint64_t)(1000 / CFG(hz)));
    uv_signal_init(server__loop, &server__sigterm);
    uv_signal_start(&server__sigterm, server__on_signal, SIGTERM);
    uv_signal_init(server__loop, &server__sigint);
    uv_signal_start(&server__sigint, server__on_signal, SIGINT);
    if (cfg.jemalloc_bg_thread) mem_background_thread(1);
    config_started();
    server__startup_memory = mem_used();
    for (int i = 1; i < cfg.io_threads; i++)
        if (worker_add(i) != 0) return 1;
    log_msg(LL_NOTICE, "Ready to accept connections tcp (%d event-loop thread%s)", cfg.io_threads,
            cfg.io_threads == 1 ? "" : "s");

    uv_run(server__loop, UV_RUN_DEFAULT);

    /* Shutdown: close every client and handle, let libuv run the close
     * callbacks, then free the data so leak checkers see a clean exit. */
    net_teardown();
    worker_teardown();
    uv_walk(server__loop, server__close_walk, NULL);
    uv_run(server__loop, UV_RUN_DEFAULT);
    uv_loop_close(server__loop);
    script_teardown();
    db_teardown();
    if (cfg.pidfile && cfg.pidfile[0]) unlink(cfg.pidfile);
    log_msg(LL_WARNING, "respite is now ready to exit, bye bye...");
    return 0;
}

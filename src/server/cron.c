/* cron.c - the main thread's periodic work, each duty in a bounded slice
 * so the cron never makes clients wait for long. */
#include "server/cron.h"

#include "base/clock.h"
#include "base/config.h"
#include "base/mem.h"
#include "base/process.h"
#include "base/stats.h"
#include "base/util.h"
#include "client/client.h"
#include "services/script.h"
#include "storage/db.h"
#include "storage/evict.h"
#include "storage/expire.h"

static uv_timer_t cron__timer;
static int cron__hz;

/* Active expiry runs in short slices: once per cron tick when little
 * expires, and back to back with gaps (25% of a core) while a slice keeps
 * finding expired keys, so a mass expiry is reclaimed fast without making
 * clients wait behind one long pass. */
static uv_timer_t cron__expire_timer;
static int cron__expire_busy;

static void cron__on_expire_timer(uv_timer_t *t);

static void cron__expire_slice(long long now)
{
    clock_set_now(now);
    int more = expire_cycle(now, EXPIRE_SLICE_US, CFG(active_expire_effort));
    client_flush_pushes_if_pending();
    clock_set_now(0);
    cron__expire_busy = more;
    if (more) {
        uint64_t gap_ms = (expire_gap_us(CFG(active_expire_effort)) + 999) / 1000;
        uv_timer_start(&cron__expire_timer, cron__on_expire_timer, gap_ms, 0);
    }
}

static void cron__on_expire_timer(uv_timer_t *t)
{
    (void)t;
    cron__expire_slice(util_mstime());
}

/* The cron: hz times a second. Each duty has its own bounded budget: an
 * expiry slice (1 ms; see above), incremental rehashing, async-flush
 * freeing and eviction 1 ms each. */
static void cron__on_tick(uv_timer_t *t)
{
    static long long last_sample;
    long long now = util_mstime();
    (void)t;
    if (now - last_sample >= 100) {
        stats_sample(now);
        last_sample = now;
    }
    if (!cron__expire_busy) cron__expire_slice(now);
    if (CFG(activerehashing)) db_rehash_budget(1000);
    script_cron();
    client_flush_pushes_if_pending();
    client_evict_over_limit();
    clock_set_now(now);
    evict_cycle(1000);
    clock_set_now(0);
    process_note_memory(mem_used());
    if (CFG(hz) != cron__hz) {
        cron__hz = CFG(hz);
        uv_timer_set_repeat(&cron__timer, (uint64_t)(1000 / CFG(hz)));
    }
}

/* Eviction that a command left unfinished (its time limit ran out with
 * memory still over maxmemory) continues in 1 ms slices, one every 2 ms,
 * checked once per loop iteration, as Redis's eviction time proc does. */
static uv_prepare_t cron__evict_check;
static uv_timer_t cron__evict_timer;

static void cron__on_evict_timer(uv_timer_t *t)
{
    clock_set_now(util_mstime());
    if (evict_cycle(1000)) uv_timer_start(t, cron__on_evict_timer, 1, 0);
    clock_set_now(0);
}

static void cron__on_evict_check(uv_prepare_t *p)
{
    (void)p;
    if (evict_pending() && !uv_is_active((uv_handle_t *)&cron__evict_timer))
        uv_timer_start(&cron__evict_timer, cron__on_evict_timer, 1, 0);
}

void cron_start(uv_loop_t *loop)
{
    uv_timer_init(loop, &cron__timer);
    uv_timer_init(loop, &cron__expire_timer);
    uv_timer_init(loop, &cron__evict_timer);
    uv_prepare_init(loop, &cron__evict_check);
    uv_prepare_start(&cron__evict_check, cron__on_evict_check);
    cron__hz = CFG(hz);
    uv_timer_start(&cron__timer, cron__on_tick, (uint64_t)(1000 / cron__hz),
                   (uint64_t)(1000 / cron__hz));
}

/* worker.h - event-loop threads: each runs a libuv loop with its own
 * connections; the main thread's loop also runs the cron. Threads talk
 * through queues and uv_async wake-ups, never by touching each other's
 * handles. */
#ifndef RESPITE_WORKER_H
#define RESPITE_WORKER_H

#include <stdint.h>
#include <uv.h>

struct worker;
typedef void worker_hook_fn(void);

/* Thread 0 is the caller (the main thread) with main_loop; threads
 * 1..n-1 get loops of their own and start running. Returns -1 if a thread
 * could not start. */
int worker_setup(uv_loop_t *main_loop, int n);
/* Starts event-loop thread `id` (the next one). */
int worker_add(int id);
/* From the main thread after its loop stopped: stops and joins the
 * others (each closes its clients first). */
void worker_teardown(void);

int worker_count(void);
struct worker *worker_self(void);
/* Event-loop thread id (0: the main thread), NULL if it has not started. */
struct worker *worker_of(int id);
int worker_id(const struct worker *w);
uv_loop_t *worker_loop(const struct worker *w);
int worker_is_main(void);

/* Hands a new connection (the networking layer's client) to worker w;
 * its thread adopts it through the callback set with worker_set_adopt. */
typedef void worker_adopt_fn(void *item);
void worker_set_adopt(worker_adopt_fn *fn);
void worker_assign(struct worker *w, void *item);

/* Asks w's thread to close the client with this id. */
typedef void worker_kill_fn(uint64_t id);
void worker_set_kill(worker_kill_fn *fn);
void worker_kill(struct worker *w, uint64_t id);

/* Runs fn(arg) on w's thread, from its loop (any thread may post; posts
 * to one thread run in order). Not from inside a busy script's polling:
 * they wait for the loop. A post left when the thread stops is dropped:
 * the poster must not depend on it for freeing memory at exit. */
typedef void worker_post_fn(void *arg);
void worker_post(struct worker *w, worker_post_fn *fn, void *arg);

/* Wakes w's thread; it then runs the flush hook (pub/sub deliveries). */
void worker_wake(struct worker *w);
void worker_set_flush(worker_hook_fn *fn);

/* From inside a callback that cannot return to the loop yet (a busy
 * script): adopts the connections and performs the kills queued for the
 * calling thread, and delivers pending pub/sub messages. Main-thread calls
 * and stop requests wait for the loop. */
void worker_poll(void);

/* Runs fn(arg) on the main thread and returns when it is done (directly
 * when called there). The caller must hold no shard lock. Calls made once
 * shutdown has begun are not run; returns -1 then. */
int worker_call_main(void (*fn)(void *), void *arg);

/* Asks the main loop to stop (any thread). */
void worker_request_stop(void);

/* Number of event-loop threads to run by default: the CPUs this process
 * may use (affinity mask), capped by a cgroup CPU quota if one is set. */
int worker_default_count(void);

/* Hooks run on every worker thread: first thing (net buffers, stats
 * block, memory counter), when it is asked to stop (close its clients),
 * and last, after its loop closed (free its thread-local buffers). */
void worker_set_hooks(worker_hook_fn *thread_start, worker_hook_fn *thread_stop,
                      worker_hook_fn *thread_exit);

#endif

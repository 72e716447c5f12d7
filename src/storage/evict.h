/* evict.h - keeping the data set inside maxmemory: sampled eviction by
 * the configured policy before (and after) commands that may grow memory,
 * and in slices from the cron. The access clock the policies read is
 * access.c's. */
#ifndef RESPITE_EVICT_H
#define RESPITE_EVICT_H

#include <stddef.h>
#include <stdint.h>

/* What eviction before a command decided. */
enum evict_status {
    EVICT_OK = 0,    /* under the limit now (or something was freed): run it */
    EVICT_OOM = -1,  /* still over and nothing evictable (noeviction, or no
                      * key with a TTL under a volatile policy): refuse it */
    EVICT_BUSY = -2, /* a script past busy-reply-threshold holds the locks:
                      * the command gets BUSY */
};

/* Called before a command flagged denyoom when maxmemory is set: evicts
 * until used memory is under the limit, within maxmemory-eviction-
 * tenacity's time bound. */
enum evict_status evict_before_command(void);

/* After a denyoom command: evicts back under the limit if the command
 * pushed memory over it (evicting policies only). */
void evict_after_command(void);

/* 1 when the last eviction stopped on its time limit with memory still
 * over maxmemory: the server then runs evict_cycle slices until it is 0. */
int evict_pending(void);

/* Evicts for up to us microseconds when over the limit (the cron, after
 * CONFIG SET maxmemory lowered it). Returns 1 if still over. */
int evict_cycle(uint64_t us);

/* The resident-memory guard (see evict.c): with a ceiling in bytes (0:
 * off; the server sets it from a cgroup memory limit), eviction aims
 * below maxmemory while the process's RSS would pass it, and past hard
 * (closer to the limit) commands that may grow memory are refused with
 * OOM errors until it falls back. Startup only. */
void evict_set_rss_ceiling(size_t limit, size_t ceiling, size_t hard);
struct evict_guard_info {
    size_t limit;         /* the cgroup memory limit read at startup; 0: none */
    size_t ceiling, hard; /* 0: no guard */
    size_t squeeze;       /* bytes eviction aims below maxmemory now */
    uint64_t purges;      /* times it returned free pages early */
    uint64_t refused;     /* writes refused past hard */
};
void evict_rss_guard_info(struct evict_guard_info *g);

/* Frees the calling thread's pool buffers (thread exit). */
void evict_thread_exit(void);

#endif

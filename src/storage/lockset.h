/* lockset.h - the locks that make commands atomic across event-loop
 * threads: numbered mutexes taken in one global order, as sets.
 *
 * With one event-loop thread nothing is locked (lockset_on() is 0 and
 * every call here returns at once). With more, every access to a shard of
 * the keyspace holds that shard's lock; db.h numbers them (the script lock
 * first, then each database's shards) and this module knows only numbers.
 *
 * A command takes all the locks it needs before it runs, as a lockset: a
 * bitmap over lock numbers, acquired in increasing order, so two commands
 * can never wait on each other in a cycle. Background work (expiry,
 * eviction, rehashing) takes one lock at a time and never while holding a
 * set.
 *
 * A set requested while the thread holds one (the commands a script runs;
 * work a busy script does for its thread's clients) is nested: the locks it
 * lacks join the held set, which keeps them until it is released, and its
 * own release does nothing. So a script starts with the script lock and its
 * declared keys' shards and takes the rest as it touches them: strict
 * two-phase locking, which keeps it atomic while other clients use every
 * shard it has not reached. A lock below ones already held is taken out of
 * order; threads still acquiring let go and retry meanwhile, so no cycle of
 * waits can form (lockset.c, lockset__extend). */
#ifndef RESPITE_LOCKSET_H
#define RESPITE_LOCKSET_H

#include <stddef.h>
#include <stdint.h>

struct lockset {
    uint64_t *bits;
    unsigned lo, hi; /* words touched: [lo, hi) */
    int held;        /* 1: taken; 2: nested in the thread's held set */
};

enum lockset_status {
    LOCKSET_OK = 0,
    /* The give-up hook said stop waiting: nothing is held. */
    LOCKSET_GAVE_UP = -1,
};

/* nlocks mutexes, numbered 0..nlocks-1 (startup, before any thread). */
void lockset_setup(size_t nlocks);
void lockset_teardown(void);
/* Several event-loop threads: locks are taken from now on. Called once,
 * before the other threads start. */
void lockset_enable(void);
extern int lockset__on; /* read through lockset_on() */
static inline int lockset_on(void)
{
    return lockset__on;
}
/* Frees the calling thread's bitmaps (thread exit). */
void lockset_thread_exit(void);

void lockset_init(struct lockset *ls);
void lockset_add(struct lockset *ls, size_t id);
/* Takes the set's locks in order: LOCKSET_OK, or LOCKSET_GAVE_UP holding
 * none of them when the give-up hook said so while waiting. */
enum lockset_status lockset_acquire(struct lockset *ls);
void lockset_release(struct lockset *ls);
/* Whether this thread holds a set (nested requests join it). */
int lockset_held(void);

/* One lock, for background work. lockset_lock waits as long as it takes;
 * lockset_lock_wait gives up (LOCKSET_GAVE_UP) like a set. With a set
 * held, both add the lock to it, and lockset_unlock does nothing. */
void lockset_lock(size_t id);
enum lockset_status lockset_lock_wait(size_t id);
void lockset_unlock(size_t id);

/* Asked, while a lock is contended, every millisecond: nonzero means stop
 * waiting. The scripting layer answers "a script has run past
 * busy-reply-threshold on another thread", so no event loop stalls behind
 * a long script and its clients get BUSY instead. */
typedef int lockset_give_up_fn(void);
void lockset_set_give_up(lockset_give_up_fn *fn);

#endif

/* lockset.c - numbered mutexes taken as ordered sets (see lockset.h). */
#include "storage/lockset.h"

#include <pthread.h>
#include <sched.h>
#include <time.h>

#include "base/mem.h"
#include "base/util.h"

static pthread_mutex_t *lockset__locks;
static size_t lockset__n, lockset__words;
int lockset__on; /* set once before the other threads start */

/* Per thread: the bitmap of the set the thread holds (or is building) and
 * the one a nested request is built in; the held set that nested requests
 * join. */
static _Thread_local uint64_t *lockset__bits, *lockset__nestbits;
static _Thread_local struct lockset *lockset__held;
static lockset_give_up_fn *lockset__give_up;
/* Nonzero while a set holder waits for a lock below the ones it holds (a
 * script reaching an undeclared key): threads still acquiring let go of
 * what they took and start over, so that wait cannot close a cycle (see
 * lockset_acquire). */
static int lockset__extending;

/* What a wait for one lock ended with. */
enum lockset_wait {
    WAIT_TAKEN,   /* holding it */
    WAIT_GAVE_UP, /* the give-up hook said stop */
    WAIT_RESTART, /* a holder is extending: let go and start over */
};

void lockset_setup(size_t nlocks)
{
    lockset__n = nlocks;
    lockset__locks = mem_alloc(nlocks * sizeof(*lockset__locks));
    for (size_t i = 0; i < nlocks; i++) pthread_mutex_init(&lockset__locks[i], NULL);
    lockset__words = (nlocks + 63) / 64;
}

void lockset_teardown(void)
{
    for (size_t i = 0; i < lockset__n; i++) pthread_mutex_destroy(&lockset__locks[i]);
    mem_free(lockset__locks);
    lockset__locks = NULL;
    lockset__n = lockset__words = 0;
}

void lockset_enable(void)
{
    lockset__on = 1;
}

void lockset_thread_exit(void)
{
    mem_free(lockset__bits);
    mem_free(lockset__nestbits);
    lockset__bits = lockset__nestbits = NULL;
}

void lockset_set_give_up(lockset_give_up_fn *fn)
{
    lockset__give_up = fn;
}

void lockset_init(struct lockset *ls)
{
    if (lockset__bits == NULL) {
        lockset__bits = mem_calloc(lockset__words * sizeof(uint64_t));
        lockset__nestbits = mem_calloc(lockset__words * sizeof(uint64_t));
    }
    ls->bits = lockset__held ? lockset__nestbits : lockset__bits;
    ls->lo = (unsigned)lockset__words;
    ls->hi = 0;
    ls->held = 0;
}

void lockset_add(struct lockset *ls, size_t id)
{
    unsigned w = (unsigned)(id / 64);
    ls->bits[w] |= 1ULL << (id % 64);
    if (w < ls->lo) ls->lo = w;
    if (w + 1 > ls->hi) ls->hi = w + 1;
}

/* Waits for m in 1 ms slices, asking the give-up hook between them; with
 * restart, also gives way to a holder that is extending its set. */
static enum lockset_wait lockset__wait(pthread_mutex_t *m, int restart)
{
    if (pthread_mutex_trylock(m) == 0) return WAIT_TAKEN;
    for (;;) {
        if (lockset__give_up && lockset__give_up()) return WAIT_GAVE_UP;
        if (restart && __atomic_load_n(&lockset__extending, __ATOMIC_RELAXED)) return WAIT_RESTART;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 1000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        if (pthread_mutex_timedlock(m, &ts) == 0) return WAIT_TAKEN;
    }
}

/* Unlocks the set's ids below (upto_w, upto_bit); all of them with upto_w
 * past the end. */
static void lockset__unlock_upto(struct lockset *ls, unsigned upto_w, uint64_t upto_bit)
{
    for (unsigned w = ls->lo; w < ls->hi && w <= upto_w; w++)
        for (uint64_t b = ls->bits[w]; b; b &= b - 1) {
            if (w == upto_w && (b & -b) >= upto_bit) break;
            pthread_mutex_unlock(&lockset__locks[(size_t)w * 64 + (unsigned)__builtin_ctzll(b)]);
        }
}

static void lockset__clear(struct lockset *ls)
{
    for (unsigned w = ls->lo; w < ls->hi; w++) ls->bits[w] = 0;
    ls->held = 0;
    ls->lo = (unsigned)lockset__words;
    ls->hi = 0;
}

/* Adds id to the held set h. An id above all of h's is taken in order,
 * simply waiting. One below is out of order: another thread may hold it
 * while it waits for one of h's. Threads can wait that way only while
 * acquiring (a set, once acquired, asks for nothing more; only scripts, one
 * at a time under the script lock, extend), so lockset__extending tells
 * them to let go and start over, and the wait ends. */
static void lockset__extend(struct lockset *h, size_t id)
{
    unsigned w = (unsigned)(id / 64);
    uint64_t bit = 1ULL << (id % 64);
    if (h->bits[w] & bit) return;
    int above = 1;
    for (unsigned x = w; x < h->hi && above; x++)
        if (h->bits[x] & (x == w ? ~(bit | (bit - 1)) : ~0ULL)) above = 0;
    pthread_mutex_t *m = &lockset__locks[id];
    if (above || pthread_mutex_trylock(m) != 0) {
        if (!above) __atomic_add_fetch(&lockset__extending, 1, __ATOMIC_SEQ_CST);
        pthread_mutex_lock(m);
        if (!above) __atomic_sub_fetch(&lockset__extending, 1, __ATOMIC_SEQ_CST);
    }
    lockset_add(h, id);
}

enum lockset_status lockset_acquire(struct lockset *ls)
{
    if (lockset__held && ls != lockset__held) {
        /* Nested in a held set (a script's commands, or work done while a
         * busy script serves its thread): what is missing joins the held
         * set and stays until it is released. */
        for (unsigned w = ls->lo; w < ls->hi; w++)
            for (uint64_t b = ls->bits[w]; b; b &= b - 1)
                lockset__extend(lockset__held, (size_t)w * 64 + (unsigned)__builtin_ctzll(b));
        lockset__clear(ls);
        ls->held = 2;
        return LOCKSET_OK;
    }
    for (;;) {
        enum lockset_wait rc = WAIT_TAKEN;
        unsigned w;
        uint64_t b = 0;
        for (w = ls->lo; w < ls->hi && rc == WAIT_TAKEN; w++) {
            for (b = ls->bits[w]; b; b &= b - 1) {
                rc = lockset__wait(&lockset__locks[(size_t)w * 64 + (unsigned)__builtin_ctzll(b)],
                                   1);
                if (rc != WAIT_TAKEN) break;
            }
            if (rc != WAIT_TAKEN) break;
        }
        if (rc == WAIT_TAKEN) break;
        lockset__unlock_upto(ls, w, b & -b);
        if (rc == WAIT_GAVE_UP) {
            lockset__clear(ls);
            return LOCKSET_GAVE_UP;
        }
        /* WAIT_RESTART: let the extending holder through (for up to about
         * 10 ms), then start over. */
        uint64_t until = util_monotonic_us() + 10000;
        while (__atomic_load_n(&lockset__extending, __ATOMIC_RELAXED) &&
               util_monotonic_us() < until)
            sched_yield();
    }
    ls->held = 1;
    /* An empty set (EXEC, UNWATCH: commands without keys) holds nothing
     * to join; what their handlers lock is a set of its own. */
    if (ls->lo < ls->hi) lockset__held = ls;
    return LOCKSET_OK;
}

void lockset_release(struct lockset *ls)
{
    if (ls->held == 2) {
        ls->held = 0;
        return;
    }
    if (lockset__held == ls) lockset__held = NULL;
    lockset__unlock_upto(ls, (unsigned)lockset__words, 0);
    lockset__clear(ls);
}

int lockset_held(void)
{
    return lockset__held != NULL;
}

/* Background work and unwatching take one lock at a time, never while
 * holding a set: with one held (work a busy script does for its thread's
 * clients), the lock joins it instead. */
void lockset_lock(size_t id)
{
    if (!lockset__on) return;
    if (lockset__held)
        lockset__extend(lockset__held, id);
    else
        pthread_mutex_lock(&lockset__locks[id]);
}

enum lockset_status lockset_lock_wait(size_t id)
{
    if (!lockset__on) return LOCKSET_OK;
    if (lockset__held) {
        lockset__extend(lockset__held, id);
        return LOCKSET_OK;
    }
    return lockset__wait(&lockset__locks[id], 0) == WAIT_TAKEN ? LOCKSET_OK : LOCKSET_GAVE_UP;
}

void lockset_unlock(size_t id)
{
    if (lockset__on && !lockset__held) pthread_mutex_unlock(&lockset__locks[id]);
}

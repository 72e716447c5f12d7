/* arg.h - argument helpers shared by the handlers. Those ending in
 * _or_reply send the error reply themselves and return -1. */
#ifndef RESPITE_ARG_H
#define RESPITE_ARG_H

#include <stddef.h>

struct client;
struct arg;

/* Case-insensitive compare of an argument with a lower-case literal. */
int arg_is(const struct arg *a, const char *lit);
/* Integer argument; err NULL means Redis's "not an integer" error. */
int arg_ll_or_reply(struct client *c, const struct arg *a, long long *out, const char *err);
/* INCRBYFLOAT's and HINCRBYFLOAT's step: value + incr formatted into buf
 * (ARG_FLOAT_BUF bytes, Redis's %.17Lg rules); the length, or -1 after
 * Redis's NaN/Infinity error. */
#define ARG_FLOAT_BUF 5600
int arg_float_add_or_reply(struct client *c, long double value, long double incr, char *buf);
/* Database index argument (SELECT, MOVE, COPY DB, SWAPDB). */
int arg_db_or_reply(struct client *c, const struct arg *a, int *out);
/* Expire arguments (SET, GETEX, SETEX, EXPIRE...) to an absolute unix ms
 * time. unit_ms: 1 or 1000; relative: added to the command's clock.
 * Errors: not an integer, or "invalid expire time in '<cmd>' command". */
int arg_expire_or_reply(struct client *c, const struct arg *a, long long unit_ms, int relative,
                        long long *out);

/* A blocking command's timeout (seconds, fractions allowed) as Redis's
 * getTimeoutFromObjectOrReply reads it: *deadline is the command time
 * plus the timeout in ms (rounded up), or 0 for 0 (for ever). */
int arg_block_timeout_or_reply(struct client *c, const struct arg *a, long long *deadline);

/* Redis's start/stop index pair (negative: from the end) against a
 * sequence of len elements (LRANGE, LTRIM, ZRANGE, ZREMRANGEBYRANK...):
 * 1 with the inclusive range, clamped, or 0 when it is empty. */
int arg_rank_range(long long start, long long stop, size_t len, size_t *from, size_t *to);

/* The MPOP family's arguments (LMPOP, BLMPOP, ZMPOP, BZMPOP) in Redis's
 * order and words: numkeys at argv[at] (>= 1), the keys, one of the two
 * direction words (*second: the second given), [COUNT n] (>= 1; *count is
 * 1 without it). */
int arg_mpop_or_reply(struct client *c, size_t at, const char *first, const char *second,
                      size_t *nkeys, int *is_second, long long *count);

/* Looks up key in c's database as a value of `type` (ENTRY_TYPE_*):
 * *e is the entry, or NULL when the key is missing; returns -1 after
 * replying WRONGTYPE when it holds another type. flags and ref as for
 * db_lookup. */
struct entry;
struct keyref;
int arg_lookup_or_reply(struct client *c, const struct arg *key, unsigned type, int flags,
                        struct keyref *ref, struct entry **e);
/* After a command changed a container in place: puts it back under ref
 * (db_relink), or deletes the key when the change emptied it, with Redis's
 * events: the command's event of class `type` (NOTIFY_*), then del. */
void arg_put_back(struct client *c, struct keyref *ref, struct entry *e, int had_expire,
                  int emptied, int type, const char *event, const struct arg *key);
/* A SCAN-family cursor: an unsigned decimal; -1 after replying "ERR
 * invalid cursor" otherwise. */
int arg_cursor_or_reply(struct client *c, const struct arg *a, unsigned long long *out);

/* The SCAN family's options after the cursor, parsed as Redis's
 * scanGenericCommand does: MATCH (pattern NULL when absent or "*"), COUNT
 * (>= 1, default 10), TYPE (SCAN only; type NULL when absent), NOVALUES
 * (HSCAN only: elsewhere "ERR NOVALUES option can only be used in HSCAN").
 * Anything else is a syntax error. */
enum arg_scan_kind { ARG_SCAN_KEYS, ARG_SCAN_HASH, ARG_SCAN_MEMBERS };
struct arg_scan {
    const struct arg *pattern, *type;
    long long count;
    int novalues;
};
int arg_scan_or_reply(struct client *c, size_t first, enum arg_scan_kind kind, struct arg_scan *o);

#endif

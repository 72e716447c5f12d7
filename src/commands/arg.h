/* arg.h - argument helpers shared by the handlers. Those ending in
 * _or_reply send the error reply themselves and return -1. */
#ifndef RESPITE_ARG_H
#define RESPITE_ARG_H

struct client;
struct arg;

/* Case-insensitive compare of an argument with a lower-case literal. */
int arg_is(const struct arg *a, const char *lit);
/* Integer argument; err NULL means Redis's "not an integer" error. */
int arg_ll_or_reply(struct client *c, const struct arg *a, long long *out, const char *err);
/* Database index argument (SELECT, MOVE, COPY DB, SWAPDB). */
int arg_db_or_reply(struct client *c, const struct arg *a, int *out);
/* Expire arguments (SET, GETEX, SETEX, EXPIRE...) to an absolute unix ms
 * time. unit_ms: 1 or 1000; relative: added to the command's clock.
 * Errors: not an integer, or "invalid expire time in '<cmd>' command". */
int arg_expire_or_reply(struct client *c, const struct arg *a, long long unit_ms, int relative,
                        long long *out);

#endif

/* reply.h - RESP2 / RESP3 reply encoding. Each function appends one reply
 * (or the header of an aggregate) for client c, in the protocol c speaks.
 * Error strings live in one place: the REPLY_ERR_* macros below. */
#ifndef RESPITE_REPLY_H
#define RESPITE_REPLY_H

#include <stddef.h>

#include "client.h"

#define REPLY_ERR_SYNTAX     "ERR syntax error"
#define REPLY_ERR_NOT_INT    "ERR value is not an integer or out of range"
#define REPLY_ERR_NOT_FLOAT  "ERR value is not a valid float"
#define REPLY_ERR_OVERFLOW   "ERR increment or decrement would overflow"
#define REPLY_ERR_WRONGTYPE  "WRONGTYPE Operation against a key holding the wrong kind of value"
#define REPLY_ERR_NO_KEY     "ERR no such key"
#define REPLY_ERR_DB_RANGE   "ERR DB index is out of range"
#define REPLY_ERR_SAME_OBJ   "ERR source and destination objects are the same"
#define REPLY_ERR_INV_CURSOR "ERR invalid cursor"
#define REPLY_ERR_STR_SIZE   "ERR string exceeds maximum allowed size (proto-max-bulk-len)"
#define REPLY_ERR_OFFSET     "ERR offset is out of range"
#define REPLY_ERR_NOPROTO    "NOPROTO unsupported protocol version"
#define REPLY_ERR_TIMEOUT    "ERR timeout is not an integer or out of range"
#define REPLY_ERR_WRONGPASS  "WRONGPASS invalid username-password pair or user is disabled."
#define REPLY_ERR_ARITY_FMT  "ERR wrong number of arguments for '%s' command"

void reply_raw(struct client *c, const char *p, size_t len);
void reply_status(struct client *c, const char *s);
void reply_ok(struct client *c);
/* msg includes the code ("ERR syntax error"); CR/LF become spaces. */
void reply_error(struct client *c, const char *msg);
void reply_errorf(struct client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* counted 0: an error already counted in errorstats when it was first
 * replied (a script passing on a command's error). */
void reply_error_counted(struct client *c, const char *msg, int counted);
/* "ERR wrong number of arguments for 'get' command" */
void reply_error_arity(struct client *c, const char *name);
void reply_long(struct client *c, long long v);
void reply_bulk(struct client *c, const char *p, size_t len);
void reply_bulk_cstr(struct client *c, const char *s);
void reply_bulk_long(struct client *c, long long v);
/* Null bulk string: $-1 in RESP2, _ in RESP3. */
void reply_null(struct client *c);
/* Null array: *-1 in RESP2, _ in RESP3. */
void reply_null_array(struct client *c);
void reply_array(struct client *c, size_t n);
/* A map of n pairs: %n in RESP3, an array of 2n in RESP2. */
void reply_map(struct client *c, size_t n);
/* A set: ~n in RESP3, an array in RESP2. */
void reply_set(struct client *c, size_t n);
/* A double: ,d in RESP3, a bulk string in RESP2. */
void reply_double(struct client *c, double d);
/* Verbatim text (INFO, CLIENT LIST): =len\r\ntxt:... in RESP3, bulk in RESP2. */
void reply_verbatim(struct client *c, const char *p, size_t len, const char *ext);
void reply_bool(struct client *c, int v);
/* A big number: (digits in RESP3, a bulk string in RESP2. */
void reply_big_number(struct client *c, const char *p, size_t len);
/* The empty array reply (*0). */
void reply_empty_array(struct client *c);

#endif

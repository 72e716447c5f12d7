/* hash.h - the hash type: a key's fields and their values.
 *
 * Three encodings, Redis's. A small hash is a pack inside its key's entry
 * (the value is the kind byte, the field count, then field, value, field,
 * value ... as pack elements: OBJECT ENCODING "listpack"; "listpackex"
 * once a field has had a TTL: hash.c has the layouts); past
 * hash-max-listpack-entries fields, or with a field or value longer than
 * hash-max-listpack-value bytes, it becomes an out-of-line table of field
 * entries ("hashtable", incrementally rehashed like the keyspace), and never
 * goes back. Lookups in a pack are a linear scan of at most a few KB; in a
 * table, O(1).
 *
 * Functions that change a hash take the entry by reference: it may move
 * (a pack grows or shrinks with its entry) or change encoding. The caller
 * stores it (db_store for a new key) or puts it back (db_relink), which
 * is also what tells watchers and client-side caching the key changed.
 * A caller holds the key's shard lock. Field and value pointers handed out
 * are valid until the hash next changes. */
#ifndef RESPITE_HASH_H
#define RESPITE_HASH_H

#include <stddef.h>
#include <stdint.h>

struct entry;

/* A new empty hash under key, packed; the caller adds fields and stores
 * it (a key never holds an empty hash). */
struct entry *hash_new(const char *key, size_t klen, long long expire);
/* Number of fields. */
size_t hash_len(const struct entry *e);
/* Looks field f up: 1 with its value, 0 if missing. */
int hash_get(const struct entry *e, const char *f, size_t flen, const char **v, size_t *vlen);
/* Sets f to v; returns 1 when f is new. May convert the hash to a table.
 * The field's TTL goes (HSET), or stays with keep_ttl (HINCRBY). */
int hash_set(struct entry **ep, const char *f, size_t flen, const char *v, size_t vlen,
             int keep_ttl);
/* Deletes f; returns 1 when it was there. The caller deletes the key when
 * the hash is left empty. */
int hash_del(struct entry **ep, const char *f, size_t flen);

/* Visits every field once, in the hash's order (a pack's: insertion). fn
 * must not change the hash. */
typedef void hash_visit_fn(const char *f, size_t flen, const char *v, size_t vlen, void *arg);
void hash_each(const struct entry *e, hash_visit_fn *fn, void *arg);
/* HSCAN: visits about count fields from cursor and returns the next cursor
 * (0 when done), with SCAN's guarantee for a table; a pack is visited
 * whole in one call, as Redis does for small encodings. */
uint64_t hash_scan(const struct entry *e, uint64_t cursor, uint64_t count, hash_visit_fn *fn,
                   void *arg);
/* HRANDFIELD: n fields picked at random, each at most once with distinct
 * (then n is at most hash_len), otherwise possibly repeated. */
void hash_random(const struct entry *e, size_t n, int distinct, hash_visit_fn *fn, void *arg);

/* ---- field TTLs (Redis 7.4's hash field expiration) ----
 * A field's TTL is an absolute unix ms time. A field whose time has come
 * (at clock_now()) is gone for every function here except hash_len, even
 * before hash_expire_due removes it. */
#define HASH_NO_FIELD -2 /* the field is missing */
#define HASH_NO_TTL   -1 /* the field has no TTL */
/* The field's TTL, or HASH_NO_FIELD / HASH_NO_TTL. */
long long hash_field_expire(const struct entry *e, const char *f, size_t flen);
/* HEXPIRE's conditions and its per-field results (Redis's reply codes). */
#define HASH_COND_NONE       0
#define HASH_COND_NX         1
#define HASH_COND_XX         2
#define HASH_COND_GT         3
#define HASH_COND_LT         4
#define HASH_EXPIRE_NO_FIELD -2
#define HASH_EXPIRE_NOT_MET  0
#define HASH_EXPIRE_SET      1
#define HASH_EXPIRE_DELETED  2 /* the time was not in the future: the field went */
/* Readies a hash for field TTLs, as Redis does once HEXPIRE's arguments
 * are valid: a pack becomes a packex ("listpackex") whatever comes next. */
void hash_allow_ttl(struct entry **ep);
/* Gives field f the TTL `when` if cond allows (a field without a TTL
 * counts as never expiring: GT fails, LT passes). A packed hash becomes a
 * packex. The caller deletes the key when the hash is left empty. */
int hash_set_expire(struct entry **ep, const char *f, size_t flen, long long when, int cond);
/* HPERSIST: 1 when f's TTL was removed, HASH_NO_FIELD or HASH_NO_TTL. */
int hash_persist(struct entry **ep, const char *f, size_t flen);
/* A time at or before the hash's earliest field TTL; -1 when no field has
 * one. Exact for packed hashes. A table's is a bound kept in the hash's
 * header, read without touching the table (every HGET asks): it may stay
 * set after the last TTL went (HPERSIST, HDEL) until the next complete pass
 * of hash_expire_due finds no TTL and makes it -1. */
long long hash_next_expire(const struct entry *e);
/* Removes the fields expired at now, calling fn (if not NULL) with each
 * before it goes (vlen 0 for a table's): all of a packed hash's; a
 * table's by sweeping about `budget` buckets from where the last call
 * stopped (UINT64_MAX: the whole table, exactly). Returns how many went. The caller
 * deletes the key when the hash is left empty. */
size_t hash_expire_due(struct entry **ep, long long now, uint64_t budget, hash_visit_fn *fn,
                       void *arg);

/* For value.c: the out-of-line part of a table-encoded hash (free it,
 * duplicate it into copy, count its bytes). */
void hash_free_payload(struct entry *e);
/* For lazy freeing: the table of a table-encoded hash, which the entry
 * then no longer owns. */
struct shard;
struct shard *hash_take_payload(struct entry *e);
void hash_dup_payload(struct entry *copy);
size_t hash_payload_bytes(const struct entry *e, size_t samples);

#endif

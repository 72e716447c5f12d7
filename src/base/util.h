/* util.h - number parsing and formatting, glob matching, hashing, time. */
#ifndef RESPITE_UTIL_H
#define RESPITE_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Strict integer parse, Redis's rules: optional '-', no '+', no leading
 * zeros, no spaces, must fit in int64. Returns 1 on success. */
int util_str2ll(const char *s, size_t len, long long *out);
/* Formats v in base 10 into buf (>= 21 bytes); returns the length. */
int util_ll2str(char *buf, long long v);
/* Long double parse as Redis's string2ld: no spaces, not NaN. */
int util_str2ld(const char *s, size_t len, long double *out);
/* Formats a long double the way INCRBYFLOAT replies ("%.17Lf", trailing
 * zeros and point trimmed). Returns length; buf >= 5500 bytes is safe. */
int util_ld2str(char *buf, size_t cap, long double v);
/* Double parse as Redis's string2d (ZADD scores, weights): no spaces,
 * the whole argument, not NaN, no overflow or underflow. */
int util_str2d(const char *s, size_t len, double *out);
/* Formats a double as Redis 7.4's d2string: "inf", "-inf", "-0", integers
 * as integers, otherwise the shortest digits that read back as v, laid
 * out as its fpconv does. At most 26 bytes. */
int util_d2str(char *buf, size_t cap, double v);
/* Memory size with Redis's units: b k kb m mb g gb (k = 1000, kb = 1024). */
int util_memtoull(const char *s, unsigned long long *out);

/* Glob-style match as KEYS and SCAN MATCH: * ? [a-z] [^x] \x. */
int util_glob_match(const char *pat, size_t patlen, const char *str, size_t len, int nocase);

/* Seeded SipHash-1-3 of (p, len); the seed is set once at startup. */
void util_hash_seed(const uint8_t seed[16]);
uint64_t util_hash(const void *p, size_t len);

/* Wall clock in milliseconds / microseconds; monotonic microseconds. */
long long util_mstime(void);
long long util_ustime(void);
uint64_t util_monotonic_us(void);

/* Fills buf with len random bytes from the kernel (falls back to time). */
void util_random_bytes(void *buf, size_t len);
/* Fast non-cryptographic PRNG for sampling (xorshift; per thread). */
uint64_t util_rand64(void);

#endif

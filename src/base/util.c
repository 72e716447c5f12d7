/* util.c - number parsing and formatting, glob matching, hashing, time. */
#include "base/util.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

int util_str2ll(const char *s, size_t len, long long *out)
{
    const char *p = s;
    size_t plen = 0;
    int negative = 0;
    unsigned long long v;

    if (len == 0 || len > 20) return 0;
    if (len == 1 && p[0] == '0') {
        *out = 0;
        return 1;
    }
    if (p[0] == '-') {
        negative = 1;
        p++;
        plen++;
        if (plen == len) return 0;
    }
    if (p[0] >= '1' && p[0] <= '9') {
        v = (unsigned long long)(p[0] - '0');
        p++;
        plen++;
    } else {
        return 0;
    }
    while (plen < len && p[0] >= '0' && p[0] <= '9') {
        if (v > ULLONG_MAX / 10) return 0;
        v *= 10;
        if (v > ULLONG_MAX - (unsigned long long)(p[0] - '0')) return 0;
        v += (unsigned long long)(p[0] - '0');
        p++;
        plen++;
    }
    if (plen < len) return 0;
    if (negative) {
        if (v > (unsigned long long)LLONG_MAX + 1) return 0;
        *out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v;
    } else {
        if (v > (unsigned long long)LLONG_MAX) return 0;
        *out = (long long)v;
    }
    return 1;
}

int util_ll2str(char *buf, long long v)
{
    char tmp[24];
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    int n = 0;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    int len = 0;
    if (v < 0) buf[len++] = '-';
    while (n) buf[len++] = tmp[--n];
    buf[len] = '\0';
    return len;
}

int util_str2ld(const char *s, size_t len, long double *out)
{
    char buf[5600];
    char *end;
    if (len == 0 || len >= sizeof(buf)) return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (isspace((unsigned char)buf[0])) return 0;
    errno = 0;
    long double v = strtold(buf, &end);
    if ((size_t)(end - buf) != len || isnan(v)) return 0;
    if (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || fpclassify(v) == FP_ZERO))
        return 0;
    *out = v;
    return 1;
}

int util_ld2str(char *buf, size_t cap, long double v)
{
    if (isinf(v)) return snprintf(buf, cap, "%s", v > 0 ? "inf" : "-inf");
    int len = snprintf(buf, cap, "%.17Lf", v);
    if (len <= 0 || (size_t)len >= cap) return 0;
    if (strchr(buf, '.') != NULL) {
        char *p = buf + len - 1;
        while (*p == '0') {
            p--;
            len--;
        }
        if (*p == '.') len--;
        buf[len] = '\0';
    }
    if (len == 2 && buf[0] == '-' && buf[1] == '0') {
        buf[0] = '0';
        len = 1;
        buf[1] = '\0';
    }
    return len;
}

int util_str2d(const char *s, size_t len, double *out)
{
    char stack[128], *buf = len < sizeof(stack) ? stack : malloc(len + 1);
    char *end;
    if (len == 0 || buf == NULL) return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    double v = strtod(buf, &end);
    int ok = !isspace((unsigned char)buf[0]) && (size_t)(end - buf) == len && !isnan(v) &&
             !(errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || fpclassify(v) == FP_ZERO));
    if (buf != stack) free(buf);
    if (ok) *out = v;
    return ok;
}

/* The shortest digits that read back as v (v finite, > 0): tries 15
 * significant digits (any double that has a representation that short
 * reads back from its 15-digit rounding), then 16, then 17, which always
 * does. Writes the digits without trailing zeros to out and returns their
 * number; *exp10 is the power of ten of the last digit. */
static int util__shortest(double v, char out[18], int *exp10)
{
    char tmp[40];
    /* A subnormal has fewer digits of precision: search from 1. */
    for (int prec = v < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
        if (prec == 17 || strtod(tmp, NULL) == v) break;
    }
    /* tmp is "d.ddde[+-]x". */
    int n = 0;
    const char *p = tmp;
    for (; *p != 'e'; p++)
        if (*p != '.') out[n++] = *p;
    int e = atoi(p + 1);
    while (n > 1 && out[n - 1] == '0') n--;
    *exp10 = e - (n - 1);
    return n;
}

int util_d2str(char *buf, size_t cap, double v)
{
    if (isnan(v)) return snprintf(buf, cap, "nan");
    if (isinf(v)) return snprintf(buf, cap, "%s", v > 0 ? "inf" : "-inf");
    if (v == 0) return snprintf(buf, cap, "%s", signbit(v) ? "-0" : "0");
    if (v >= (double)(-LLONG_MAX / 2) && v <= (double)(LLONG_MAX / 2) &&
        v == (double)(long long)v) {
        char tmp[24];
        int n = util_ll2str(tmp, (long long)v);
        return snprintf(buf, cap, "%s", tmp) < 0 ? 0 : n;
    }
    /* Redis 7.2+'s layout (fpconv's emit_digits): plain digits for
     * integers up to 7 zeros past the digits, a plain decimal for
     * fractions down to 10^-6 (or any with a short integer part),
     * scientific notation otherwise. */
    char d[18], out[40];
    int K, n = util__shortest(fabs(v), d, &K), len = 0;
    int e = K + n - 1, ae = e < 0 ? -e : e;
    if (v < 0) out[len++] = '-';
    if (K >= 0 && ae < n + 7) {
        memcpy(out + len, d, (size_t)n);
        memset(out + len + n, '0', (size_t)K);
        len += n + K;
    } else if (K < 0 && (K > -7 || ae < 4)) {
        int offset = n + K;
        if (offset <= 0) {
            out[len++] = '0';
            out[len++] = '.';
            memset(out + len, '0', (size_t)-offset);
            len += -offset;
            memcpy(out + len, d, (size_t)n);
            len += n;
        } else {
            memcpy(out + len, d, (size_t)offset);
            out[len + offset] = '.';
            memcpy(out + len + offset + 1, d + offset, (size_t)(n - offset));
            len += n + 1;
        }
    } else {
        out[len++] = d[0];
        if (n > 1) {
            out[len++] = '.';
            memcpy(out + len, d + 1, (size_t)(n - 1));
            len += n - 1;
        }
        len += snprintf(out + len, sizeof(out) - (size_t)len, "e%c%d", e < 0 ? '-' : '+', ae);
    }
    out[len] = '\0';
    return snprintf(buf, cap, "%s", out) < 0 ? 0 : len;
}

int util_memtoull(const char *s, unsigned long long *out)
{
    const char *u = s;
    unsigned long long mul = 1;
    while (*u == '-' || (*u >= '0' && *u <= '9')) u++;
    if (*u == '\0' || !strcasecmp(u, "b"))
        mul = 1;
    else if (!strcasecmp(u, "k"))
        mul = 1000ULL;
    else if (!strcasecmp(u, "kb"))
        mul = 1024ULL;
    else if (!strcasecmp(u, "m"))
        mul = 1000ULL * 1000;
    else if (!strcasecmp(u, "mb"))
        mul = 1024ULL * 1024;
    else if (!strcasecmp(u, "g"))
        mul = 1000ULL * 1000 * 1000;
    else if (!strcasecmp(u, "gb"))
        mul = 1024ULL * 1024 * 1024;
    else
        return 0;
    size_t digits = (size_t)(u - s);
    long long v;
    if (digits == 0 || !util_str2ll(s, digits, &v) || v < 0) return 0;
    if (v != 0 && (unsigned long long)v > ULLONG_MAX / mul) return 0;
    *out = (unsigned long long)v * mul;
    return 1;
}

/* Recursive glob matcher. The recursion on '*' is bounded by the pattern
 * length; consecutive stars are collapsed first so a pattern of many stars
 * cannot explode, and a nesting cap stops pathological patterns. */
static int util__glob(const char *p, size_t plen, const char *s, size_t slen, int nocase, int *skip,
                      int nesting)
{
    if (nesting > 1000) return 0;
    while (plen && slen) {
        switch (p[0]) {
        case '*':
            while (plen > 1 && p[1] == '*') {
                p++;
                plen--;
            }
            if (plen == 1) return 1;
            while (slen) {
                if (util__glob(p + 1, plen - 1, s, slen, nocase, skip, nesting + 1)) return 1;
                if (*skip) return 0;
                s++;
                slen--;
            }
            *skip = 1;
            return 0;
        case '?':
            s++;
            slen--;
            break;
        case '[': {
            int not, match = 0;
            p++;
            plen--;
            not = plen && p[0] == '^';
            if (not ) {
                p++;
                plen--;
            }
            while (plen) {
                if (p[0] == '\\' && plen >= 2) {
                    p++;
                    plen--;
                    if (p[0] == s[0]) match = 1;
                } else if (p[0] == ']') {
                    break;
                } else if (plen >= 3 && p[1] == '-') {
                    int start = (unsigned char)p[0], end = (unsigned char)p[2];
                    int c = (unsigned char)s[0];
                    if (start > end) {
                        int t = start;
                        start = end;
                        end = t;
                    }
                    if (nocase) {
                        start = tolower(start);
                        end = tolower(end);
                        c = tolower(c);
                    }
                    p += 2;
                    plen -= 2;
                    if (c >= start && c <= end) match = 1;
                } else {
                    if (nocase ? tolower((unsigned char)p[0]) == tolower((unsigned char)s[0])
                               : p[0] == s[0])
                        match = 1;
                }
                p++;
                plen--;
            }
            if (plen == 0) {
                /* Unterminated class: Redis treats the '[' as matched up to
                 * the end of the pattern. */
                p--;
                plen++;
            }
            if (not ) match = !match;
            if (!match) return 0;
            s++;
            slen--;
            break;
        }
        case '\\':
            if (plen >= 2) {
                p++;
                plen--;
            }
            /* fall through */
        default:
            if (nocase ? tolower((unsigned char)p[0]) != tolower((unsigned char)s[0])
                       : p[0] != s[0])
                return 0;
            s++;
            slen--;
            break;
        }
        p++;
        plen--;
        if (slen == 0) {
            while (plen && *p == '*') {
                p++;
                plen--;
            }
            break;
        }
    }
    return plen == 0 && slen == 0;
}

int util_glob_match(const char *pat, size_t patlen, const char *str, size_t len, int nocase)
{
    int skip = 0;
    return util__glob(pat, patlen, str, len, nocase, &skip, 0);
}

/* SipHash-1-3 (Aumasson and Bernstein): one compression round per 8-byte
 * word and three finalization rounds; keyed, so clients cannot aim keys at
 * one bucket. */
static uint64_t util__k0, util__k1;

void util_hash_seed(const uint8_t seed[16])
{
    memcpy(&util__k0, seed, 8);
    memcpy(&util__k1, seed + 8, 8);
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                   \
    do {                                                                                           \
        v0 += v1;                                                                                  \
        v1 = ROTL(v1, 13);                                                                         \
        v1 ^= v0;                                                                                  \
        v0 = ROTL(v0, 32);                                                                         \
        v2 += v3;                                                                                  \
        v3 = ROTL(v3, 16);                                                                         \
        v3 ^= v2;                                                                                  \
        v0 += v3;                                                                                  \
        v3 = ROTL(v3, 21);                                                                         \
        v3 ^= v0;                                                                                  \
        v2 += v1;                                                                                  \
        v1 = ROTL(v1, 17);                                                                         \
        v1 ^= v2;                                                                                  \
        v2 = ROTL(v2, 32);                                                                         \
    } while (0)

uint64_t util_hash(const void *data, size_t len)
{
    const uint8_t *in = data;
    uint64_t v0 = 0x736f6d6570736575ULL ^ util__k0;
    uint64_t v1 = 0x646f72616e646f6dULL ^ util__k1;
    uint64_t v2 = 0x6c7967656e657261ULL ^ util__k0;
    uint64_t v3 = 0x7465646279746573ULL ^ util__k1;
    uint64_t b = (uint64_t)len << 56;
    const uint8_t *end = in + (len & ~(size_t)7);

    for (; in != end; in += 8) {
        uint64_t m;
        memcpy(&m, in, 8);
        v3 ^= m;
        SIPROUND;
        v0 ^= m;
    }
    switch (len & 7) {
    case 7: b |= (uint64_t)in[6] << 48; /* fall through */
    case 6: b |= (uint64_t)in[5] << 40; /* fall through */
    case 5: b |= (uint64_t)in[4] << 32; /* fall through */
    case 4: b |= (uint64_t)in[3] << 24; /* fall through */
    case 3: b |= (uint64_t)in[2] << 16; /* fall through */
    case 2: b |= (uint64_t)in[1] << 8;  /* fall through */
    case 1: b |= (uint64_t)in[0]; break;
    case 0: break;
    }
    v3 ^= b;
    SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

long long util_ustime(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

long long util_mstime(void)
{
    return util_ustime() / 1000;
}

uint64_t util_monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
}

void util_random_bytes(void *buf, size_t len)
{
    uint8_t *p = buf;
    size_t got = 0;
    while (got < len) {
        ssize_t n = getrandom(p + got, len - got, 0);
        if (n <= 0) break;
        got += (size_t)n;
    }
    if (got < len) {
        uint64_t x = (uint64_t)util_ustime() ^ 0x9e3779b97f4a7c15ULL;
        for (; got < len; got++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            p[got] = (uint8_t)x;
        }
    }
}

static _Thread_local uint64_t util__rng;

uint64_t util_rand64(void)
{
    if (util__rng == 0) util_random_bytes(&util__rng, sizeof(util__rng));
    if (util__rng == 0) util__rng = 0x2545F4914F6CDD1DULL;
    uint64_t x = util__rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    util__rng = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* pack.c - writing and checking packed element runs (see pack.h). */
#include "storage/pack.h"

#include <string.h>

size_t pack_put(unsigned char *p, const char *s, size_t len)
{
    size_t n = 0, v = len;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    if (len) memcpy(p + n, s, len);
    return n + len;
}

int pack_valid(const unsigned char *p, size_t len, size_t n)
{
    const unsigned char *end = p + len;
    for (size_t i = 0; i < n; i++) {
        size_t v = 0;
        unsigned shift = 0;
        for (;;) {
            if (p >= end || shift > 63) return 0;
            unsigned char b = *p++;
            v |= (size_t)(b & 0x7F) << shift;
            if (!(b & 0x80)) break;
            shift += 7;
        }
        if (v > (size_t)(end - p)) return 0;
        p += v;
    }
    return p == end;
}

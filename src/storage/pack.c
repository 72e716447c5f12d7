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

size_t pack_put2(unsigned char *p, const char *s, size_t len)
{
    size_t n = pack_put(p, s, len), w = pack_varint_size(len);
    /* The leading varint, its bytes reversed: read backwards, the low
     * bits come first and each byte but the last says more follow. */
    for (size_t i = 0; i < w; i++) p[n + i] = p[w - 1 - i];
    return n + w;
}

int pack_valid2(const unsigned char *p, size_t len, size_t n)
{
    const unsigned char *end = p + len;
    for (size_t i = 0; i < n; i++) {
        size_t v = 0, w = 0;
        unsigned shift = 0;
        for (;;) {
            if (p + w >= end || shift > 63) return 0;
            unsigned char b = p[w++];
            v |= (size_t)(b & 0x7F) << shift;
            if (!(b & 0x80)) break;
            shift += 7;
        }
        if (v > (size_t)(end - p) - w || w > (size_t)(end - p) - w - v) return 0;
        for (size_t j = 0; j < w; j++)
            if (p[w + v + j] != p[w - 1 - j]) return 0;
        p += 2 * w + v;
    }
    return p == end;
}

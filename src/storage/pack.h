/* pack.h - a compact run of byte strings in one buffer (Redis's listpack
 * idea): each element is its length as a varint (7 bits a byte, low bits
 * first: one byte up to 127, two up to 16383) followed by its bytes. No
 * pointer and no allocation per element, so a small hash or set lives
 * inside its key's entry. Operations are linear scans, which for the sizes
 * packs are kept to (hash-max-listpack-entries, 512 by default) cost less
 * than a hash table's pointer chasing.
 *
 * The functions only read and write bytes at the given position; the
 * caller owns the buffer and its size (entry_resize_value). Private to
 * storage: the type modules (hash.c, set.c) use it. */
#ifndef RESPITE_PACK_H
#define RESPITE_PACK_H

#include <stddef.h>
#include <stdint.h>

/* Bytes the varint for len takes (1..10). */
static inline size_t pack_varint_size(size_t len)
{
    size_t n = 1;
    while (len >= 0x80) {
        len >>= 7;
        n++;
    }
    return n;
}

/* Bytes an element of len bytes takes. */
static inline size_t pack_elem_size(size_t len)
{
    return pack_varint_size(len) + len;
}

/* Writes the element (s, len) at p; returns the bytes written. */
size_t pack_put(unsigned char *p, const char *s, size_t len);

/* Reads the element at p: *s and *len are its bytes (inside the buffer);
 * returns the position after it. The buffer must hold a whole element
 * (packs are only ever built by pack_put). */
static inline const unsigned char *pack_get(const unsigned char *p, const char **s, size_t *len)
{
    size_t v = 0;
    unsigned shift = 0;
    while (*p & 0x80) {
        v |= (size_t)(*p++ & 0x7F) << shift;
        shift += 7;
    }
    v |= (size_t)*p++ << shift;
    *s = (const char *)p;
    *len = v;
    return p + v;
}

/* The position after the element at p. */
static inline const unsigned char *pack_skip(const unsigned char *p)
{
    const char *s;
    size_t len;
    return pack_get(p, &s, &len);
}

/* Checks that (p, len) is a well-formed run of n elements exactly (the
 * fuzz target and the unit tests use it). */
int pack_valid(const unsigned char *p, size_t len, size_t n);

/* ---- two-way elements (lists) ----
 * A list is read from both ends (RPOP, LRANGE -10 -1), so its elements
 * also end with their length: the same varint with its bytes in reverse
 * order, so it reads backwards from the element's end (Redis's listpack
 * "backlen"). One byte more than a one-way element up to 127 bytes. */

/* Bytes a two-way element of len bytes takes. */
static inline size_t pack_elem2_size(size_t len)
{
    return 2 * pack_varint_size(len) + len;
}

/* Writes the two-way element (s, len) at p; returns the bytes written. */
size_t pack_put2(unsigned char *p, const char *s, size_t len);

/* Reads the two-way element at p (as pack_get); returns the position after
 * it. */
static inline const unsigned char *pack_get2(const unsigned char *p, const char **s, size_t *len)
{
    p = pack_get(p, s, len);
    return p + pack_varint_size(*len);
}

/* Reads the two-way element that ends at end: *s and *len are its bytes;
 * returns its start. */
static inline const unsigned char *pack_prev2(const unsigned char *end, const char **s, size_t *len)
{
    size_t v = 0;
    unsigned shift = 0;
    const unsigned char *p = end;
    unsigned char b;
    do {
        b = *--p;
        v |= (size_t)(b & 0x7Fu) << shift;
        shift += 7;
    } while (b & 0x80);
    *len = v;
    *s = (const char *)p - v;
    return (const unsigned char *)*s - pack_varint_size(v);
}

/* Checks that (p, len) is a well-formed run of n two-way elements. */
int pack_valid2(const unsigned char *p, size_t len, size_t n);

#endif

/* entry.h - the compact record that stores one key, its value and TTL.
 *
 * One allocation per key:
 *
 *   next (8) | lru (3) | flags (1) | [expire (8)] | klen (1/2/4) | vlen (1/2/4) | key | value
 *
 * The chain pointer is the only fixed cost besides 4 bytes of metadata;
 * lengths take 1, 2 or 4 bytes by size (the flags say which), and the 8-byte
 * expire time is present only for keys that have a TTL. A 16-byte key with a
 * 32-byte value is 14 + 48 = 62 bytes in jemalloc's 64-byte class. Values
 * are raw bytes; there is no NUL terminator and no separate object. */
#ifndef RESPITE_ENTRY_H
#define RESPITE_ENTRY_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct entry {
    struct entry *next;
    uint8_t lru[3]; /* access clock for eviction (issue 3) */
    uint8_t flags;
    unsigned char data[];
};

#define ENTRY_KLEN_MASK  0x03u /* 0: 1 byte, 1: 2 bytes, 2: 4 bytes */
#define ENTRY_VLEN_SHIFT 2
#define ENTRY_HAS_EXPIRE 0x10u
/* The value was modified in place (APPEND, SETRANGE): OBJECT ENCODING
 * reports "raw" as Redis does, whatever the bytes look like. */
#define ENTRY_ENC_RAW     0x20u
#define ENTRY_HEADER      offsetof(struct entry, data)
#define ENTRY_MAX_KEY_LEN UINT32_MAX
#define ENTRY_MAX_VAL_LEN UINT32_MAX

static inline unsigned entry__width(unsigned code)
{
    return 1u << code; /* 1, 2, 4 */
}

static inline unsigned entry__code(size_t len)
{
    return len <= UINT8_MAX ? 0 : len <= UINT16_MAX ? 1 : 2;
}

static inline uint32_t entry__get(const unsigned char *p, unsigned code)
{
    if (code == 0) return p[0];
    if (code == 1) {
        uint16_t v;
        memcpy(&v, p, 2);
        return v;
    }
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline void entry__put(unsigned char *p, unsigned code, uint32_t v)
{
    if (code == 0)
        p[0] = (unsigned char)v;
    else if (code == 1) {
        uint16_t w = (uint16_t)v;
        memcpy(p, &w, 2);
    } else
        memcpy(p, &v, 4);
}

static inline const unsigned char *entry__lens(const struct entry *e)
{
    return e->data + ((e->flags & ENTRY_HAS_EXPIRE) ? 8 : 0);
}

static inline size_t entry_klen(const struct entry *e)
{
    return entry__get(entry__lens(e), e->flags & ENTRY_KLEN_MASK);
}

static inline size_t entry_vlen(const struct entry *e)
{
    unsigned kc = e->flags & ENTRY_KLEN_MASK, vc = (e->flags >> ENTRY_VLEN_SHIFT) & 3u;
    return entry__get(entry__lens(e) + entry__width(kc), vc);
}

static inline char *entry_key(const struct entry *e)
{
    unsigned kc = e->flags & ENTRY_KLEN_MASK, vc = (e->flags >> ENTRY_VLEN_SHIFT) & 3u;
    return (char *)entry__lens(e) + entry__width(kc) + entry__width(vc);
}

static inline char *entry_val(const struct entry *e)
{
    return entry_key(e) + entry_klen(e);
}

/* Absolute expire time in unix milliseconds, or -1 when the key has none. */
static inline long long entry_expire(const struct entry *e)
{
    if (!(e->flags & ENTRY_HAS_EXPIRE)) return -1;
    long long v;
    memcpy(&v, e->data, 8);
    return v;
}

/* Bytes an entry with these sizes needs (before the allocator rounds). */
static inline size_t entry_size(size_t klen, size_t vlen, int has_expire)
{
    return ENTRY_HEADER + (has_expire ? 8 : 0) + entry__width(entry__code(klen)) +
           entry__width(entry__code(vlen)) + klen + vlen;
}

/* Allocates an entry; val may be NULL to leave the value bytes for the
 * caller to fill. expire < 0 means no TTL. */
struct entry *entry_create(const char *key, size_t klen, const char *val, size_t vlen,
                           long long expire);
/* Same key and value, new expire time (-1 removes it). May reallocate:
 * returns the entry to put in the old one's place (chain link kept; the
 * old one is freed if replaced). */
struct entry *entry_set_expire(struct entry *e, long long expire);
/* Grows or shrinks the value to vlen bytes keeping its prefix. With
 * `greedy`, leaves room so repeated APPENDs are amortized O(1). Returns the
 * entry to store (the old one is freed if replaced). */
struct entry *entry_resize_value(struct entry *e, size_t vlen, int greedy);
void entry_destroy(struct entry *e);
/* Redis's encoding name for the value: "int", "embstr" or "raw". */
const char *entry_encoding(const struct entry *e);
/* Bytes the allocator really holds for e. */
size_t entry_alloc_size(const struct entry *e);

#endif

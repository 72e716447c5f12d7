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
 * are raw bytes; there is no NUL terminator and no separate object.
 *
 * A string's value is its bytes. Any other type (a container: hash, set)
 * sets ENTRY_CONTAINER, and its value starts with a kind byte, the type in
 * the high nibble and the encoding in the low one, followed by the
 * encoding's payload: a small container's elements inline (a pack or an
 * intset: still one allocation per key), a large one's pointer to an
 * out-of-line table. So a string costs nothing more than before, and a
 * command tells the types apart by one flag test. The type modules
 * (hash.c, set.c) own the payloads; value.c registers the hooks through
 * which freeing and copying an entry reach a container's out-of-line
 * part. */
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
#define ENTRY_ENC_RAW 0x20u
/* The value starts with a kind byte (ENTRY_TYPE_* << 4 | ENTRY_ENC_*). */
#define ENTRY_CONTAINER   0x40u
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

/* Value types and container encodings (a container's kind byte). */
#define ENTRY_TYPE_STRING 0u
#define ENTRY_TYPE_HASH   1u
#define ENTRY_TYPE_SET    2u
#define ENTRY_TYPE_LIST   3u
#define ENTRY_TYPE_ZSET   4u
#define ENTRY_ENC_PACK    0u /* elements inline, one after the other (Redis's listpack) */
#define ENTRY_ENC_PACKEX  1u /* the same with a TTL per hash field (listpackex) */
#define ENTRY_ENC_INTSET  2u /* sorted integers inline (intset) */
#define ENTRY_ENC_TABLE   3u /* a pointer to an out-of-line table (hashtable) */
#define ENTRY_ENC_CHAIN   4u /* a pointer to an out-of-line chain of packs (quicklist) */
#define ENTRY_ENC_TREE    5u /* a pointer to a table and an ordered index (skiplist) */

static inline unsigned entry_type(const struct entry *e)
{
    return (e->flags & ENTRY_CONTAINER) ? (unsigned)(unsigned char)entry_val(e)[0] >> 4
                                        : ENTRY_TYPE_STRING;
}

/* A container's encoding (ENTRY_ENC_*). */
static inline unsigned entry_enc(const struct entry *e)
{
    return (unsigned)(unsigned char)entry_val(e)[0] & 0x0Fu;
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
/* Replaces old_len value bytes at off with room for new_len bytes (the
 * bytes after them move), for the caller to fill. Returns the entry to
 * store, as entry_resize_value. */
struct entry *entry_splice_value(struct entry *e, size_t off, size_t old_len, size_t new_len);
/* Frees e, and a container's out-of-line part (the finalizer hook). */
void entry_destroy(struct entry *e);
/* Frees e's allocation only: its container payload moved elsewhere. */
void entry_free_shell(struct entry *e);
/* A new entry under key (klen bytes) with e's value and the given expire
 * time. A container's out-of-line part moves to the copy, or with deep is
 * duplicated (the copy hook); e itself is left as it is. */
struct entry *entry_copy(const struct entry *e, const char *key, size_t klen, long long expire,
                         int deep);
/* What freeing and deep-copying a container's out-of-line part take
 * (value.c registers them; entries without one never call them). */
struct entry_hooks {
    void (*finalize)(struct entry *e);     /* before e is freed */
    void (*deep_copy)(struct entry *copy); /* copy holds a moved payload: duplicate it */
};
void entry_set_hooks(const struct entry_hooks *h);
/* Redis's encoding name for the value: "int", "embstr" or "raw" for a
 * string; "listpack", "listpackex", "intset", "hashtable", "quicklist" or
 * "skiplist" for a container. */
const char *entry_encoding(const struct entry *e);

#endif

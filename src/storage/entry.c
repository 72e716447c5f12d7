/* entry.c - creation and in-place updates of key entries. */
#include "storage/entry.h"

#include "base/config.h"
#include "base/mem.h"

/* The protocol's largest bulk (proto-max-bulk-len's ceiling) fits. */
_Static_assert(CFG_MAX_BULK_LEN <= ENTRY_MAX_VAL_LEN, "a bulk the protocol takes fits an entry");

static const struct entry_hooks *entry__hooks;

/* What a re-laid-out entry keeps of the old one's flags (the lengths and
 * the TTL flag are laid out anew). */
#define ENTRY__KEPT_FLAGS (ENTRY_CONTAINER | ENTRY_ENC_RAW)

void entry_set_hooks(const struct entry_hooks *h)
{
    entry__hooks = h;
}

static void entry__layout(struct entry *e, size_t klen, size_t vlen, long long expire)
{
    unsigned kc = entry__code(klen), vc = entry__code(vlen);
    e->next = NULL;
    e->lru[0] = e->lru[1] = e->lru[2] = 0;
    e->flags = (uint8_t)(kc | (vc << ENTRY_VLEN_SHIFT));
    if (expire >= 0) {
        e->flags |= ENTRY_HAS_EXPIRE;
        memcpy(e->data, &expire, 8);
    }
    unsigned char *p = (unsigned char *)entry__lens(e);
    entry__put(p, kc, (uint32_t)klen);
    entry__put(p + entry__width(kc), vc, (uint32_t)vlen);
}

struct entry *entry_create(const char *key, size_t klen, const char *val, size_t vlen,
                           long long expire)
{
    struct entry *e = mem_alloc(entry_size(klen, vlen, expire >= 0));
    entry__layout(e, klen, vlen, expire);
    memcpy(entry_key(e), key, klen);
    if (val != NULL && vlen) memcpy(entry_val(e), val, vlen);
    return e;
}

struct entry *entry_set_expire(struct entry *e, long long expire)
{
    int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    if (had && expire >= 0) {
        memcpy(e->data, &expire, 8);
        return e;
    }
    if (!had && expire < 0) return e;
    struct entry *n =
        entry_create(entry_key(e), entry_klen(e), entry_val(e), entry_vlen(e), expire);
    n->flags |= e->flags & ENTRY__KEPT_FLAGS;
    memcpy(n->lru, e->lru, 3);
    n->next = e->next;
    mem_free(e);
    return n;
}

struct entry *entry_resize_value(struct entry *e, size_t vlen, int greedy)
{
    size_t klen = entry_klen(e), old = entry_vlen(e);
    int has_expire = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    unsigned vc = (e->flags >> ENTRY_VLEN_SHIFT) & 3u;
    size_t need = entry_size(klen, vlen, has_expire);

    size_t usable = mem_usable(e);
    if (entry__code(vlen) == vc && need <= usable && (vlen >= old || need * 2 >= usable)) {
        /* Fits in the current allocation with the same length width (a
         * shrink that would leave more than half of it unused moves to a
         * smaller one instead: a container that lost elements gives their
         * memory back). */
        unsigned kc = e->flags & ENTRY_KLEN_MASK;
        entry__put((unsigned char *)entry__lens(e) + entry__width(kc), vc, (uint32_t)vlen);
        return e;
    }
    size_t alloc = need;
    if (greedy && vlen > old) {
        /* Double up to 1 MB of slack, as Redis's sds does for APPEND. */
        size_t slack = vlen < (1u << 20) ? vlen : (1u << 20);
        alloc = entry_size(klen, vlen + slack, has_expire);
    }
    struct entry *n = mem_alloc(alloc);
    entry__layout(n, klen, vlen, entry_expire(e));
    n->flags |= e->flags & ENTRY__KEPT_FLAGS;
    memcpy(n->lru, e->lru, 3);
    n->next = e->next;
    memcpy(entry_key(n), entry_key(e), klen);
    memcpy(entry_val(n), entry_val(e), old < vlen ? old : vlen);
    mem_free(e);
    return n;
}

struct entry *entry_splice_value(struct entry *e, size_t off, size_t old_len, size_t new_len)
{
    size_t vlen = entry_vlen(e), tail = vlen - off - old_len;
    if (new_len > old_len) {
        e = entry_resize_value(e, vlen + (new_len - old_len), 0);
        char *v = entry_val(e);
        memmove(v + off + new_len, v + off + old_len, tail);
    } else if (new_len < old_len) {
        char *v = entry_val(e);
        memmove(v + off + new_len, v + off + old_len, tail);
        e = entry_resize_value(e, vlen - (old_len - new_len), 0);
    }
    return e;
}

void entry_destroy(struct entry *e)
{
    if ((e->flags & ENTRY_CONTAINER) && entry__hooks) entry__hooks->finalize(e);
    mem_free(e);
}

void entry_free_shell(struct entry *e)
{
    mem_free(e);
}

struct entry *entry_copy(const struct entry *e, const char *key, size_t klen, long long expire,
                         int deep)
{
    struct entry *n = entry_create(key, klen, entry_val(e), entry_vlen(e), expire);
    n->flags |= e->flags & ENTRY__KEPT_FLAGS;
    if (deep && (n->flags & ENTRY_CONTAINER) && entry__hooks) entry__hooks->deep_copy(n);
    return n;
}

const char *entry_encoding(const struct entry *e)
{
    if (e->flags & ENTRY_CONTAINER) {
        switch (entry_enc(e)) {
        case ENTRY_ENC_PACK: return "listpack";
        case ENTRY_ENC_PACKEX: return "listpackex";
        case ENTRY_ENC_INTSET: return "intset";
        case ENTRY_ENC_CHAIN: return "quicklist";
        case ENTRY_ENC_TREE: return "skiplist";
        default: return "hashtable";
        }
    }
    size_t len = entry_vlen(e);
    if (e->flags & ENTRY_ENC_RAW) return "raw";
    if (len >= 1 && len <= 20) {
        /* Redis stores a value as a long when it parses strictly as one:
         * optional '-', no leading zero, no "-0", within 64 bits. */
        const char *v = entry_val(e);
        size_t i = v[0] == '-' ? 1 : 0;
        size_t digits = len - i;
        int ok = digits >= 1 && digits <= 19 && !(v[i] == '0' && (digits > 1 || i == 1));
        for (size_t k = i; ok && k < len; k++)
            if (v[k] < '0' || v[k] > '9') ok = 0;
        if (ok && digits == 19) {
            const char *lim = i ? "9223372036854775808" : "9223372036854775807";
            ok = memcmp(v + i, lim, 19) <= 0;
        }
        if (ok) return "int";
    }
    return len <= 44 ? "embstr" : "raw";
}

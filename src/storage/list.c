/* list.c - the list type's two encodings and the moves between them.
 *
 * Pack (ENTRY_ENC_PACK): the entry's value is
 *
 *   kind (1) | count (4) | elements
 *
 * with two-way pack elements (pack.h), so both ends are read in O(1).
 *
 * Chain (ENTRY_ENC_CHAIN): kind | a pointer to a struct list_chain, a
 * doubly linked chain of nodes, each a count, a size and a run of two-way
 * elements (Redis's quicklist of listpacks, uncompressed).
 *
 * Limits are Redis's quicklist rules, on sizes counted as Redis counts a
 * listpack (its 7 bytes of header and end byte included): a negative
 * list-max-listpack-size bounds a pack's bytes (-1..-5: 4 to 64 KB), a
 * positive one its elements (0 means 1) within 8 KB. A node that an
 * insert or replace in the middle pushes past the limit splits in two.
 *
 * Both encodings are edited through one splice of an element area: the
 * entry's (entry_splice_value) or a node's (realloc, relinking its
 * neighbours when it moves), so each operation is written once. */
#include "storage/list.h"

#include <stdint.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "storage/entry.h"
#include "storage/pack.h"

#define LIST_KIND(enc) ((ENTRY_TYPE_LIST << 4) | (enc))
#define LIST_COUNT_AT  1
#define LIST_PACK_HEAD 5 /* kind, count */
/* What a pack costs besides its elements: a Redis listpack's header and
 * end byte when deciding between the encodings (so lists convert where
 * Redis's do), a node's header when filling a chain (so a full node is
 * one allocation of the limit's size: 8 KB, jemalloc's class). */
#define LIST_LP_OVERHEAD   7
#define LIST_NODE_OVERHEAD sizeof(struct list_node)
#define LIST_SAFETY_LIMIT  8192

struct list_node {
    struct list_node *prev, *next;
    uint32_t count, bytes;
    unsigned char data[];
};

struct list_chain {
    struct list_node *head, *tail;
    size_t count, nodes;
};

/* ---- limits (Redis's quicklistNodeLimit and quicklistNodeExceedsLimit) ---- */

static void list__limits(size_t *bytes, size_t *count)
{
    long long fill = CFG(list_max_listpack_size);
    if (fill >= 0) {
        *bytes = SIZE_MAX;
        *count = fill ? (size_t)fill : 1;
    } else {
        static const size_t levels[] = {4096, 8192, 16384, 32768, 65536};
        long long i = -(fill + 1);
        *bytes = levels[i > 4 ? 4 : i];
        *count = SIZE_MAX;
    }
}

/* Whether a pack of `bytes` (all told) and `count` elements is over the
 * limit. */
static int list__exceeds(size_t bytes, size_t count)
{
    size_t lb, lc;
    list__limits(&lb, &lc);
    if (lb != SIZE_MAX) return bytes > lb;
    return bytes > LIST_SAFETY_LIMIT || count > lc;
}

/* ---- the two encodings' parts ---- */

static int list__packed(const struct entry *e)
{
    return entry_enc(e) == ENTRY_ENC_PACK;
}

static uint32_t list__pcount(const struct entry *e)
{
    uint32_t n;
    memcpy(&n, entry_val(e) + LIST_COUNT_AT, 4);
    return n;
}

static void list__set_pcount(struct entry *e, uint32_t n)
{
    memcpy(entry_val(e) + LIST_COUNT_AT, &n, 4);
}

static struct list_chain *list__chain(const struct entry *e)
{
    struct list_chain *c;
    memcpy(&c, entry_val(e) + 1, sizeof(c));
    return c;
}

/* A run of elements: the entry's pack (node NULL) or a chain node. */
struct list__area {
    struct list_node *node;
    unsigned char *p;
    size_t bytes;
    uint32_t count;
};

static struct list__area list__pack_area(const struct entry *e)
{
    return (struct list__area){NULL, (unsigned char *)entry_val(e) + LIST_PACK_HEAD,
                               entry_vlen(e) - LIST_PACK_HEAD, list__pcount(e)};
}

static struct list__area list__node_area(struct list_node *n)
{
    return (struct list__area){n, n->data, n->bytes, n->count};
}

/* The area of the first (or last) run. */
static struct list__area list__end_area(const struct entry *e, int where)
{
    if (list__packed(e)) return list__pack_area(e);
    struct list_chain *c = list__chain(e);
    return list__node_area(where == LIST_HEAD ? c->head : c->tail);
}

/* A node was reallocated: its neighbours (or the chain's ends) follow. */
static void list__relink(struct list_chain *c, struct list_node *n)
{
    if (n->prev)
        n->prev->next = n;
    else
        c->head = n;
    if (n->next)
        n->next->prev = n;
    else
        c->tail = n;
}

/* Replaces old_len bytes at off in area a with room for new_len; a is
 * updated (its bytes move), as is *ep for a pack. Counts are the
 * caller's. */
static void list__splice(struct entry **ep, struct list__area *a, size_t off, size_t old_len,
                         size_t new_len)
{
    if (a->node == NULL) {
        *ep = entry_splice_value(*ep, LIST_PACK_HEAD + off, old_len, new_len);
        a->p = (unsigned char *)entry_val(*ep) + LIST_PACK_HEAD;
        a->bytes = a->bytes - old_len + new_len;
        return;
    }
    struct list_node *n = a->node;
    size_t bytes = n->bytes, after = bytes - off - old_len;
    if (new_len < old_len) memmove(n->data + off + new_len, n->data + off + old_len, after);
    if (new_len != old_len) {
        struct list_node *m = mem_realloc(n, sizeof(*n) + bytes - old_len + new_len);
        if (m != n) list__relink(list__chain(*ep), m);
        n = m;
    }
    if (new_len > old_len) memmove(n->data + off + new_len, n->data + off + old_len, after);
    n->bytes = (uint32_t)(bytes - old_len + new_len);
    *a = list__node_area(n);
}

/* Adds delta to the count of area a (and of its chain). */
static void list__count_add(struct entry *e, struct list__area *a, long delta)
{
    a->count = (uint32_t)((long)a->count + delta);
    if (a->node == NULL) {
        list__set_pcount(e, a->count);
        return;
    }
    a->node->count = a->count;
    list__chain(e)->count = (size_t)((long)list__chain(e)->count + delta);
}

static struct list_node *list__node_new(const unsigned char *data, size_t bytes, uint32_t count)
{
    struct list_node *n = mem_alloc(sizeof(*n) + bytes);
    n->prev = n->next = NULL;
    n->count = count;
    n->bytes = (uint32_t)bytes;
    if (bytes) memcpy(n->data, data, bytes);
    return n;
}

/* Links n into c after `at` (NULL: at the head). */
static void list__link_after(struct list_chain *c, struct list_node *at, struct list_node *n)
{
    n->prev = at;
    n->next = at ? at->next : c->head;
    if (n->next)
        n->next->prev = n;
    else
        c->tail = n;
    if (at)
        at->next = n;
    else
        c->head = n;
    c->nodes++;
}

static void list__unlink(struct list_chain *c, struct list_node *n)
{
    if (n->prev)
        n->prev->next = n->next;
    else
        c->head = n->next;
    if (n->next)
        n->next->prev = n->prev;
    else
        c->tail = n->prev;
    c->nodes--;
    mem_free(n);
}

/* The byte offset of the k-th element of area a, from the nearer end. */
static size_t list__offset(const struct list__area *a, size_t k)
{
    const unsigned char *p;
    if (k <= a->count / 2) {
        p = a->p;
        for (size_t i = 0; i < k; i++) {
            const char *s;
            size_t len;
            p = pack_get2(p, &s, &len);
        }
    } else {
        p = a->p + a->bytes;
        for (size_t i = a->count; i > k; i--) {
            const char *s;
            size_t len;
            p = pack_prev2(p, &s, &len);
        }
    }
    return (size_t)(p - a->p);
}

/* Splits node n of c into two halves by count, recursively, until each
 * part is within the limit or holds one element. */
static void list__fit(struct list_chain *c, struct list_node *n)
{
    if (n->count < 2 || !list__exceeds(LIST_NODE_OVERHEAD + n->bytes, n->count)) return;
    struct list__area a = list__node_area(n);
    uint32_t k = n->count / 2;
    size_t off = list__offset(&a, k);
    struct list_node *m = list__node_new(n->data + off, n->bytes - off, n->count - k);
    list__link_after(c, n, m);
    n->count = k;
    n->bytes = (uint32_t)off;
    struct list_node *shrunk = mem_realloc(n, sizeof(*n) + off);
    if (shrunk != n) list__relink(c, shrunk);
    list__fit(c, shrunk);
    list__fit(c, m);
}

/* Merges node n into a neighbour when both fit one node (after n shrank:
 * an LSET of a big element to a small one, as Redis's replace merges). */
static void list__merge(struct list_chain *c, struct list_node *n)
{
    for (int side = 0; side < 2; side++) {
        struct list_node *a = side ? n : n->prev, *b = side ? n->next : n;
        if (a == NULL || b == NULL ||
            list__exceeds(LIST_NODE_OVERHEAD + a->bytes + b->bytes, (size_t)a->count + b->count))
            continue;
        struct list_node *m = mem_realloc(a, sizeof(*a) + a->bytes + b->bytes);
        if (m != a) list__relink(c, m);
        memcpy(m->data + m->bytes, b->data, b->bytes);
        m->bytes += b->bytes;
        m->count += b->count;
        list__unlink(c, b);
        return;
    }
}

/* ---- conversions ---- */

static struct entry *list__rewrite(struct entry *e, const void *v, size_t len)
{
    e = entry_resize_value(e, len, 0);
    memcpy(entry_val(e), v, len);
    return e;
}

static void list__chain_push(struct list_chain *c, int where, const char *s, size_t len);

static struct entry *list__to_chain(struct entry *e)
{
    struct list_chain *c = mem_calloc(sizeof(*c));
    struct list__area a = list__pack_area(e);
    const unsigned char *p = a.p;
    for (uint32_t i = 0; i < a.count; i++) {
        const char *s;
        size_t len;
        p = pack_get2(p, &s, &len);
        list__chain_push(c, LIST_TAIL, s, len);
    }
    char v[1 + sizeof(c)];
    v[0] = (char)LIST_KIND(ENTRY_ENC_CHAIN);
    memcpy(v + 1, &c, sizeof(c));
    return list__rewrite(e, v, sizeof(v));
}

/* After elements went: a chain of one node of at most half the limit
 * goes back inline (Redis's listTypeTryConvertQuicklist, shrinking). */
static struct entry *list__maybe_shrink(struct entry *e)
{
    if (list__packed(e)) return e;
    struct list_chain *c = list__chain(e);
    if (c->nodes != 1) return e;
    size_t lb, lc;
    list__limits(&lb, &lc);
    struct list_node *n = c->head;
    if (n->bytes + LIST_LP_OVERHEAD > lb / 2 || n->count > lc / 2) return e;
    size_t len = LIST_PACK_HEAD + n->bytes;
    e = entry_resize_value(e, len, 0);
    char *v = entry_val(e);
    v[0] = (char)LIST_KIND(ENTRY_ENC_PACK);
    memcpy(v + LIST_COUNT_AT, &n->count, 4);
    memcpy(v + LIST_PACK_HEAD, n->data, n->bytes);
    mem_free(n);
    mem_free(c);
    return e;
}

/* ---- the interface ---- */

struct entry *list_new(const char *key, size_t klen, long long expire)
{
    char v[LIST_PACK_HEAD] = {(char)LIST_KIND(ENTRY_ENC_PACK), 0, 0, 0, 0};
    struct entry *e = entry_create(key, klen, v, sizeof(v), expire);
    e->flags |= ENTRY_CONTAINER;
    return e;
}

size_t list_len(const struct entry *e)
{
    return list__packed(e) ? list__pcount(e) : list__chain(e)->count;
}

void list_prepare(struct entry **ep, size_t bytes, size_t count)
{
    struct entry *e = *ep;
    if (list__packed(e) && list__exceeds(LIST_LP_OVERHEAD + entry_vlen(e) - LIST_PACK_HEAD + bytes,
                                         list__pcount(e) + count))
        *ep = list__to_chain(e);
}

static void list__chain_push(struct list_chain *c, int where, const char *s, size_t len)
{
    size_t es = pack_elem2_size(len);
    struct list_node *n = where == LIST_HEAD ? c->head : c->tail;
    if (n == NULL || list__exceeds(LIST_NODE_OVERHEAD + n->bytes + es, n->count + 1u)) {
        struct list_node *m = list__node_new(NULL, 0, 0);
        list__link_after(c, where == LIST_HEAD ? NULL : c->tail, m);
        n = m;
    }
    size_t off = where == LIST_HEAD ? 0 : n->bytes;
    struct list_node *m = mem_realloc(n, sizeof(*n) + n->bytes + es);
    if (m != n) list__relink(c, m);
    if (off == 0) memmove(m->data + es, m->data, m->bytes);
    pack_put2(m->data + off, s, len);
    m->bytes += (uint32_t)es;
    m->count++;
    c->count++;
}

void list_push(struct entry **ep, int where, const char *s, size_t len)
{
    list_prepare(ep, len, 1);
    struct entry *e = *ep;
    if (!list__packed(e)) {
        list__chain_push(list__chain(e), where, s, len);
        return;
    }
    struct list__area a = list__pack_area(e);
    size_t off = where == LIST_HEAD ? 0 : a.bytes;
    list__splice(ep, &a, off, 0, pack_elem2_size(len));
    pack_put2(a.p + off, s, len);
    list__count_add(*ep, &a, 1);
}

/* Deletes the element of es bytes at off in area a; an emptied node
 * leaves its chain (a->node is then NULL and a->count 0). */
static void list__delete_at(struct entry **ep, struct list__area *a, size_t off, size_t es)
{
    list__splice(ep, a, off, es, 0);
    list__count_add(*ep, a, -1);
    if (a->node && a->count == 0) {
        list__unlink(list__chain(*ep), a->node);
        a->node = NULL;
    }
}

/* Deletes n elements (at most the list's length) from where: whole nodes
 * unlinked, one splice for the rest. */
static void list__drop(struct entry **ep, int where, size_t n)
{
    while (n > 0) {
        struct list__area a = list__end_area(*ep, where);
        if (a.node && a.count <= n) {
            n -= a.count;
            list__chain(*ep)->count -= a.count;
            list__unlink(list__chain(*ep), a.node);
            continue;
        }
        size_t cut =
            where == LIST_HEAD ? list__offset(&a, n) : a.bytes - list__offset(&a, a.count - n);
        list__splice(ep, &a, where == LIST_HEAD ? 0 : a.bytes - cut, cut, 0);
        list__count_add(*ep, &a, -(long)n);
        n = 0;
    }
}

/* The last n elements from the tail backwards, to fn. */
static void list__visit_tail(const struct entry *e, size_t n, list_visit_fn *fn, void *arg)
{
    struct list__area a = list__end_area(e, LIST_TAIL);
    const unsigned char *p = a.p + a.bytes;
    for (size_t i = 0; i < n; i++) {
        if (p == a.p) {
            a = list__node_area(a.node->prev);
            p = a.p + a.bytes;
        }
        const char *s;
        size_t len;
        p = pack_prev2(p, &s, &len);
        fn(s, len, arg);
    }
}

void list_pop(struct entry **ep, int where, size_t n, list_visit_fn *fn, void *arg)
{
    size_t len = list_len(*ep);
    if (n > len) n = len;
    if (n == 0) return;
    /* Visit them all, then delete them in one go: popping one at a time
     * would move a node's bytes once per element (LPOP key 1000000). */
    if (fn && where == LIST_HEAD)
        list_range(*ep, 0, n - 1, fn, arg);
    else if (fn)
        list__visit_tail(*ep, n, fn, arg);
    list__drop(ep, where, n);
    *ep = list__maybe_shrink(*ep);
}

/* The area holding index i and i's index within it. */
static struct list__area list__locate(const struct entry *e, size_t i, size_t *k)
{
    if (list__packed(e)) {
        *k = i;
        return list__pack_area(e);
    }
    struct list_chain *c = list__chain(e);
    struct list_node *n;
    if (i < c->count / 2) {
        for (n = c->head; i >= n->count; n = n->next) i -= n->count;
    } else {
        size_t from_end = c->count - 1 - i;
        for (n = c->tail; from_end >= n->count; n = n->prev) from_end -= n->count;
        i = n->count - 1 - from_end;
    }
    *k = i;
    return list__node_area(n);
}

void list_range(const struct entry *e, size_t start, size_t stop, list_visit_fn *fn, void *arg)
{
    size_t k;
    struct list__area a = list__locate(e, start, &k);
    const unsigned char *p = a.p + list__offset(&a, k), *end = a.p + a.bytes;
    for (size_t left = stop - start + 1; left > 0; left--) {
        if (p == end) {
            a = list__node_area(a.node->next);
            p = a.p;
            end = a.p + a.bytes;
        }
        const char *s;
        size_t len;
        p = pack_get2(p, &s, &len);
        fn(s, len, arg);
    }
}

void list_index(const struct entry *e, size_t i, const char **s, size_t *len)
{
    size_t k;
    struct list__area a = list__locate(e, i, &k);
    pack_get2(a.p + list__offset(&a, k), s, len);
}

void list_set(struct entry **ep, size_t i, const char *s, size_t len)
{
    list_prepare(ep, len, 1);
    size_t k;
    struct list__area a = list__locate(*ep, i, &k);
    size_t off = list__offset(&a, k);
    const char *old;
    size_t olen;
    pack_get2(a.p + off, &old, &olen);
    list__splice(ep, &a, off, pack_elem2_size(olen), pack_elem2_size(len));
    pack_put2(a.p + off, s, len);
    if (a.node && pack_elem2_size(len) < pack_elem2_size(olen))
        list__merge(list__chain(*ep), a.node);
    else if (a.node)
        list__fit(list__chain(*ep), a.node);
    /* A big element replaced by a small one: maybe back inline (Redis
     * tries the shrinking conversion after LSET too). */
    *ep = list__maybe_shrink(*ep);
}

int list_insert(struct entry **ep, const char *pivot, size_t plen, int after, const char *s,
                size_t len)
{
    list_prepare(ep, len, 1);
    struct entry *e = *ep;
    struct list__area a = list__end_area(e, LIST_HEAD);
    for (;;) {
        const unsigned char *p = a.p, *end = a.p + a.bytes;
        while (p < end) {
            const char *m;
            size_t mlen;
            const unsigned char *at = p;
            p = pack_get2(p, &m, &mlen);
            if (mlen != plen || memcmp(m, pivot, plen) != 0) continue;
            size_t off = (size_t)((after ? p : at) - a.p);
            list__splice(ep, &a, off, 0, pack_elem2_size(len));
            pack_put2(a.p + off, s, len);
            list__count_add(*ep, &a, 1);
            if (a.node) list__fit(list__chain(*ep), a.node);
            return 1;
        }
        if (a.node == NULL || a.node->next == NULL) return 0;
        a = list__node_area(a.node->next);
    }
}

size_t list_remove(struct entry **ep, long long count, const char *s, size_t len)
{
    size_t removed = 0,
           limit = count == 0 ? SIZE_MAX : (size_t)(count < 0 ? -(count + 1) : count - 1) + 1;
    int backward = count < 0;
    struct list__area a = list__end_area(*ep, backward ? LIST_TAIL : LIST_HEAD);
    size_t es = pack_elem2_size(len);
    while (removed < limit) {
        /* One area: forward from its start or backward from its end. */
        size_t off = backward ? a.bytes : 0;
        struct list_node *prev = a.node ? a.node->prev : NULL, *next = a.node ? a.node->next : NULL;
        while (removed < limit && (backward ? off > 0 : off < a.bytes)) {
            const char *m;
            size_t mlen;
            size_t at;
            if (backward) {
                at = (size_t)(pack_prev2(a.p + off, &m, &mlen) - a.p);
                off = at;
            } else {
                at = off;
                off = (size_t)(pack_get2(a.p + off, &m, &mlen) - a.p);
            }
            if (mlen != len || memcmp(m, s, len) != 0) continue;
            struct list_node *was = a.node;
            list__delete_at(ep, &a, at, es);
            removed++;
            if (was && a.node == NULL) break; /* the node emptied and went */
            if (!backward) off = at;
        }
        struct list_node *n = backward ? prev : next;
        if (n == NULL || removed >= limit) break;
        a = list__node_area(n);
    }
    if (list_len(*ep) > 0) *ep = list__maybe_shrink(*ep);
    return removed;
}

void list_trim(struct entry **ep, size_t start, size_t stop)
{
    size_t len = list_len(*ep);
    list__drop(ep, LIST_TAIL, len - 1 - stop);
    list__drop(ep, LIST_HEAD, start);
    *ep = list__maybe_shrink(*ep);
}

void list_pos(const struct entry *e, const char *s, size_t len, long long rank, size_t count,
              size_t maxlen, void (*fn)(size_t index, void *arg), void *arg)
{
    int backward = rank < 0;
    size_t skip = (size_t)(backward ? -(rank + 1) : rank - 1), found = 0, seen = 0;
    size_t total = list_len(e), index = backward ? total - 1 : 0;
    struct list__area a = list__end_area(e, backward ? LIST_TAIL : LIST_HEAD);
    const unsigned char *p = backward ? a.p + a.bytes : a.p;
    while (seen < total && (maxlen == 0 || seen < maxlen)) {
        if (backward ? p == a.p : p == a.p + a.bytes) {
            a = list__node_area(backward ? a.node->prev : a.node->next);
            p = backward ? a.p + a.bytes : a.p;
        }
        const char *m;
        size_t mlen;
        if (backward)
            p = pack_prev2(p, &m, &mlen);
        else
            p = pack_get2(p, &m, &mlen);
        if (mlen == len && memcmp(m, s, len) == 0) {
            if (skip > 0) {
                skip--;
            } else {
                fn(index, arg);
                if (++found == count) return;
            }
        }
        seen++;
        index = backward ? index - 1 : index + 1;
    }
}

/* ---- the out-of-line part ---- */

void list_free_chain(void *chain)
{
    struct list_chain *c = chain;
    for (struct list_node *n = c->head, *next; n; n = next) {
        next = n->next;
        mem_free(n);
    }
    mem_free(c);
}

void list_free_payload(struct entry *e)
{
    if (list__packed(e) || list__chain(e) == NULL) return; /* NULL: taken */
    list_free_chain(list__chain(e));
}

void *list_take_payload(struct entry *e)
{
    struct list_chain *c = list__chain(e), *none = NULL;
    memcpy(entry_val(e) + 1, &none, sizeof(none));
    return c;
}

void list_dup_payload(struct entry *copy)
{
    if (list__packed(copy)) return;
    struct list_chain *src = list__chain(copy), *c = mem_calloc(sizeof(*c));
    for (struct list_node *n = src->head; n; n = n->next)
        list__link_after(c, c->tail, list__node_new(n->data, n->bytes, n->count));
    c->count = src->count;
    memcpy(entry_val(copy) + 1, &c, sizeof(c));
}

size_t list_payload_bytes(const struct entry *e, size_t samples)
{
    if (list__packed(e)) return 0;
    struct list_chain *c = list__chain(e);
    size_t bytes = 0, seen = 0;
    for (struct list_node *n = c->head; n && (samples == 0 || seen < samples); n = n->next) {
        bytes += mem_usable(n);
        seen++;
    }
    if (seen < c->nodes) bytes = bytes / seen * c->nodes;
    return bytes + mem_usable(c);
}

size_t list_chain_packs(const struct entry *e)
{
    return list__packed(e) ? 0 : list__chain(e)->nodes;
}

int list_valid(const struct entry *e)
{
    if (!(e->flags & ENTRY_CONTAINER) || entry_type(e) != ENTRY_TYPE_LIST) return 0;
    if (list__packed(e)) {
        struct list__area a = list__pack_area(e);
        return pack_valid2(a.p, a.bytes, a.count);
    }
    const struct list_chain *c = list__chain(e);
    size_t count = 0, nodes = 0;
    const struct list_node *prev = NULL;
    for (const struct list_node *n = c->head; n; prev = n, n = n->next) {
        if (n->prev != prev || n->count == 0 || !pack_valid2(n->data, n->bytes, n->count)) return 0;
        if (n->count > 1 && list__exceeds(LIST_NODE_OVERHEAD + n->bytes, n->count)) return 0;
        count += n->count;
        nodes++;
    }
    return prev == c->tail && count == c->count && nodes == c->nodes;
}

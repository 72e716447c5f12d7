/* zindex.c - the counted B+tree behind large sorted sets (see zindex.h).
 *
 * Node sizes are picked to fill a jemalloc size class: a leaf is a header,
 * its two links and 30 pairs (504 bytes, the 512 class); an inner node a
 * header and, for 15 children, the child, its count and its last pair
 * (488 bytes, also 512).
 *
 * Inserts split a full node in half, except at either end of the sequence,
 * where the full node is left full and the new pair starts a node of its
 * own: a sorted set fed in order (timestamps as scores, the commonest
 * case) then fills its leaves completely instead of half. A delete merges
 * the node it emptied into a sibling whenever the two fit in one, so a
 * node shrunk by deletes does not stay sparse beside one with room, and a
 * set emptied piecemeal gives its nodes back as it goes. All leaves are at
 * the same depth; the root shrinks when it is left with one child.
 *
 * The recursion is as deep as the tree: 5 levels hold 30 * 15^4 = 1.5
 * million pairs at the worst fill, 8 levels billions. */
#include "storage/zindex.h"

#include <stdint.h>
#include <string.h>

#include "base/mem.h"

#define ZI_LEAF_CAP  30
#define ZI_INNER_CAP 15

struct zi_node {
    uint16_t n;
    uint8_t leaf;
};

struct zi_leaf {
    struct zi_node h;
    struct zi_leaf *prev, *next;
    double score[ZI_LEAF_CAP];
    struct entry *e[ZI_LEAF_CAP];
};

struct zi_inner {
    struct zi_node h;
    size_t count[ZI_INNER_CAP];
    struct zi_node *child[ZI_INNER_CAP];
    double last_score[ZI_INNER_CAP];
    struct entry *last_e[ZI_INNER_CAP];
};

struct zindex {
    struct zi_node *root;
    size_t len, bytes;
    struct zi_leaf *head, *tail;
};

#define ZI_LEAF(nd)  ((struct zi_leaf *)(nd))
#define ZI_INNER(nd) ((struct zi_inner *)(nd))

static void *zi__alloc(struct zindex *z, size_t size)
{
    void *p = mem_calloc(size);
    z->bytes += mem_usable(p);
    return p;
}

static void zi__free(struct zindex *z, void *p)
{
    z->bytes -= mem_usable(p);
    mem_free(p);
}

static struct zi_leaf *zi__new_leaf(struct zindex *z)
{
    struct zi_leaf *l = zi__alloc(z, sizeof(*l));
    l->h.leaf = 1;
    return l;
}

static struct zi_inner *zi__new_inner(struct zindex *z)
{
    return zi__alloc(z, sizeof(struct zi_inner));
}

struct zindex *zindex_create(void)
{
    struct zindex *z = mem_calloc(sizeof(*z));
    struct zi_leaf *l = zi__new_leaf(z);
    z->root = &l->h;
    z->head = z->tail = l;
    return z;
}

static void zi__destroy(struct zi_node *nd)
{
    if (!nd->leaf)
        for (unsigned i = 0; i < nd->n; i++) zi__destroy(ZI_INNER(nd)->child[i]);
    mem_free(nd);
}

void zindex_destroy(struct zindex *z)
{
    zi__destroy(z->root);
    mem_free(z);
}

size_t zindex_len(const struct zindex *z)
{
    return z->len;
}

size_t zindex_bytes(const struct zindex *z)
{
    return z->bytes + mem_usable(z);
}

/* ---- node parts ---- */

static size_t zi__count(const struct zi_node *nd)
{
    if (nd->leaf) return nd->n;
    size_t n = 0;
    for (unsigned i = 0; i < nd->n; i++) n += ZI_INNER(nd)->count[i];
    return n;
}

static void zi__last(const struct zi_node *nd, double *s, struct entry **e)
{
    unsigned k = nd->n - 1u;
    if (nd->leaf) {
        *s = ZI_LEAF(nd)->score[k];
        *e = ZI_LEAF(nd)->e[k];
    } else {
        *s = ZI_INNER(nd)->last_score[k];
        *e = ZI_INNER(nd)->last_e[k];
    }
}

/* Refreshes what the inner node records about child i. */
static void zi__note(struct zi_inner *in, unsigned i)
{
    in->count[i] = zi__count(in->child[i]);
    zi__last(in->child[i], &in->last_score[i], &in->last_e[i]);
}

/* Moves slots [from, n) of an inner node by `by` (+1 opens slot `from`,
 * -1 closes slot from - 1). */
static void zi__shift_inner(struct zi_inner *in, unsigned from, int by)
{
    unsigned n = in->h.n - from;
    memmove(&in->count[from + by], &in->count[from], n * sizeof(in->count[0]));
    memmove(&in->child[from + by], &in->child[from], n * sizeof(in->child[0]));
    memmove(&in->last_score[from + by], &in->last_score[from], n * sizeof(in->last_score[0]));
    memmove(&in->last_e[from + by], &in->last_e[from], n * sizeof(in->last_e[0]));
}

static void zi__shift_leaf(struct zi_leaf *l, unsigned from, int by)
{
    unsigned n = l->h.n - from;
    memmove(&l->score[from + by], &l->score[from], n * sizeof(l->score[0]));
    memmove(&l->e[from + by], &l->e[from], n * sizeof(l->e[0]));
}

/* Copies k slots of src from `at` to the end of dst. */
static void zi__move_leaf(struct zi_leaf *dst, struct zi_leaf *src, unsigned at, unsigned k)
{
    memcpy(&dst->score[dst->h.n], &src->score[at], k * sizeof(src->score[0]));
    memcpy(&dst->e[dst->h.n], &src->e[at], k * sizeof(src->e[0]));
    dst->h.n = (uint16_t)(dst->h.n + k);
}

static void zi__move_inner(struct zi_inner *dst, struct zi_inner *src, unsigned at, unsigned k)
{
    unsigned d = dst->h.n;
    memcpy(&dst->count[d], &src->count[at], k * sizeof(src->count[0]));
    memcpy(&dst->child[d], &src->child[at], k * sizeof(src->child[0]));
    memcpy(&dst->last_score[d], &src->last_score[at], k * sizeof(src->last_score[0]));
    memcpy(&dst->last_e[d], &src->last_e[at], k * sizeof(src->last_e[0]));
    dst->h.n = (uint16_t)(d + k);
}

/* ---- finding a position ----
 * Inserts and deletes descend once, to a rank or to the first pair a test
 * fails for (the place of a pair in the caller's order): a locator says
 * which, and the recursion asks it for the child to enter and, in the
 * leaf, the slot. */
struct zi_loc {
    zindex_test_fn *before; /* NULL: by rank */
    const void *arg;
    size_t r;
};

/* The child of in to enter (and for a rank, what is left of it); insert:
 * a rank may fall at the end of a child. */
static unsigned zi__child(const struct zi_inner *in, struct zi_loc *loc, int insert)
{
    unsigned i = 0;
    if (loc->before) {
        while (i + 1u < in->h.n && loc->before(in->last_score[i], in->last_e[i], loc->arg)) i++;
    } else if (insert) {
        while (i + 1u < in->h.n && loc->r > in->count[i]) loc->r -= in->count[i++];
    } else {
        while (loc->r >= in->count[i]) loc->r -= in->count[i++];
    }
    return i;
}

/* The slot in a leaf: the rank left, or the first pair the test fails
 * for. */
static unsigned zi__slot(const struct zi_leaf *l, const struct zi_loc *loc)
{
    if (!loc->before) return (unsigned)loc->r;
    unsigned lo = 0, hi = l->h.n;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (loc->before(l->score[mid], l->e[mid], loc->arg))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- insert ---- */

static void zi__leaf_put(struct zi_leaf *l, unsigned r, double s, struct entry *e)
{
    zi__shift_leaf(l, r, 1);
    l->score[r] = s;
    l->e[r] = e;
    l->h.n++;
}

/* Inserts at rank r of leaf l; returns the new right sibling if l split. */
static struct zi_node *zi__insert_leaf(struct zindex *z, struct zi_leaf *l, unsigned r, double s,
                                       struct entry *e)
{
    if (l->h.n < ZI_LEAF_CAP) {
        zi__leaf_put(l, r, s, e);
        return NULL;
    }
    /* Full: keep k pairs here, the rest go to a new right sibling. */
    unsigned k = ZI_LEAF_CAP / 2;
    if (r == ZI_LEAF_CAP && l->next == NULL) k = ZI_LEAF_CAP; /* appending */
    if (r == 0 && l->prev == NULL) k = 0;                     /* prepending */
    struct zi_leaf *right = zi__new_leaf(z);
    zi__move_leaf(right, l, k, ZI_LEAF_CAP - k);
    l->h.n = (uint16_t)k;
    right->prev = l;
    right->next = l->next;
    if (l->next)
        l->next->prev = right;
    else
        z->tail = right;
    l->next = right;
    if (r <= k && l->h.n < ZI_LEAF_CAP)
        zi__leaf_put(l, r, s, e);
    else
        zi__leaf_put(right, r - k, s, e);
    return &right->h;
}

/* Puts child `c` at slot i of the inner node; returns the new right
 * sibling if the node was full and split. The caller notes c. */
static struct zi_node *zi__inner_put(struct zindex *z, struct zi_inner *in, unsigned i,
                                     struct zi_node *c)
{
    struct zi_inner *dst = in, *right = NULL;
    if (in->h.n == ZI_INNER_CAP) {
        unsigned k = ZI_INNER_CAP / 2 + 1;
        right = zi__new_inner(z);
        zi__move_inner(right, in, k, ZI_INNER_CAP - k);
        in->h.n = (uint16_t)k;
        if (i > k) {
            dst = right;
            i -= k;
        }
    }
    zi__shift_inner(dst, i, 1);
    dst->child[i] = c;
    dst->h.n++;
    zi__note(dst, i);
    return right ? &right->h : NULL;
}

static struct zi_node *zi__insert(struct zindex *z, struct zi_node *nd, struct zi_loc *loc,
                                  double s, struct entry *e)
{
    if (nd->leaf) return zi__insert_leaf(z, ZI_LEAF(nd), zi__slot(ZI_LEAF(nd), loc), s, e);
    struct zi_inner *in = ZI_INNER(nd);
    unsigned i = zi__child(in, loc, 1);
    struct zi_node *split = zi__insert(z, in->child[i], loc, s, e);
    zi__note(in, i);
    if (split == NULL) return NULL;
    /* When this node splits, child i may have moved to the new sibling;
     * the put notes the new child wherever it lands, and child i is
     * noted above, before the move. */
    return zi__inner_put(z, in, i + 1, split);
}

static void zi__insert_root(struct zindex *z, struct zi_loc *loc, double score, struct entry *e)
{
    struct zi_node *split = zi__insert(z, z->root, loc, score, e);
    if (split) {
        struct zi_inner *root = zi__new_inner(z);
        root->child[0] = z->root;
        root->child[1] = split;
        root->h.n = 2;
        zi__note(root, 0);
        zi__note(root, 1);
        z->root = &root->h;
    }
    z->len++;
}

void zindex_insert_at(struct zindex *z, size_t r, double score, struct entry *e)
{
    struct zi_loc loc = {NULL, NULL, r};
    zi__insert_root(z, &loc, score, e);
}

void zindex_insert(struct zindex *z, zindex_test_fn *before, const void *arg, double score,
                   struct entry *e)
{
    struct zi_loc loc = {before, arg, 0};
    zi__insert_root(z, &loc, score, e);
}

/* ---- delete ---- */

static void zi__unlink_leaf(struct zindex *z, struct zi_leaf *l)
{
    if (l->prev)
        l->prev->next = l->next;
    else
        z->head = l->next;
    if (l->next)
        l->next->prev = l->prev;
    else
        z->tail = l->prev;
}

/* Drops slot i of an inner node (its child already freed or merged). */
static void zi__inner_drop(struct zi_inner *in, unsigned i)
{
    zi__shift_inner(in, i + 1, -1);
    in->h.n--;
}

/* Merges child j + 1 into child j when both fit in one node. */
static void zi__maybe_merge(struct zindex *z, struct zi_inner *in, unsigned j)
{
    if (j + 1u >= in->h.n) return;
    struct zi_node *a = in->child[j], *b = in->child[j + 1];
    unsigned cap = a->leaf ? ZI_LEAF_CAP : ZI_INNER_CAP;
    if ((unsigned)a->n + b->n > cap) return;
    if (a->leaf) {
        zi__move_leaf(ZI_LEAF(a), ZI_LEAF(b), 0, b->n);
        zi__unlink_leaf(z, ZI_LEAF(b));
    } else {
        zi__move_inner(ZI_INNER(a), ZI_INNER(b), 0, b->n);
    }
    zi__free(z, b);
    zi__inner_drop(in, j + 1);
    zi__note(in, j);
}

static void zi__delete(struct zindex *z, struct zi_node *nd, struct zi_loc *loc)
{
    if (nd->leaf) {
        struct zi_leaf *l = ZI_LEAF(nd);
        zi__shift_leaf(l, zi__slot(l, loc) + 1, -1);
        l->h.n--;
        return;
    }
    struct zi_inner *in = ZI_INNER(nd);
    unsigned i = zi__child(in, loc, 0);
    struct zi_node *c = in->child[i];
    zi__delete(z, c, loc);
    if (c->n == 0) {
        if (c->leaf) zi__unlink_leaf(z, ZI_LEAF(c));
        zi__free(z, c);
        zi__inner_drop(in, i);
        if (i > 0) zi__maybe_merge(z, in, i - 1);
        return;
    }
    zi__note(in, i);
    unsigned before = in->h.n;
    zi__maybe_merge(z, in, i);
    if (in->h.n == before && i > 0) zi__maybe_merge(z, in, i - 1);
}

static void zi__delete_root(struct zindex *z, struct zi_loc *loc)
{
    zi__delete(z, z->root, loc);
    z->len--;
    while (!z->root->leaf && z->root->n == 1) {
        struct zi_node *old = z->root;
        z->root = ZI_INNER(old)->child[0];
        zi__free(z, old);
    }
}

void zindex_delete_at(struct zindex *z, size_t r)
{
    struct zi_loc loc = {NULL, NULL, r};
    zi__delete_root(z, &loc);
}

void zindex_delete(struct zindex *z, zindex_test_fn *before, const void *arg)
{
    struct zi_loc loc = {before, arg, 0};
    zi__delete_root(z, &loc);
}

/* ---- search and walk ---- */

size_t zindex_count_while(const struct zindex *z, zindex_test_fn *before, const void *arg)
{
    const struct zi_node *nd = z->root;
    size_t acc = 0;
    while (!nd->leaf) {
        const struct zi_inner *in = ZI_INNER(nd);
        unsigned i = 0;
        /* Every pair of a child whose last pair passes passes too. */
        while (i + 1u < in->h.n && before(in->last_score[i], in->last_e[i], arg))
            acc += in->count[i++];
        nd = in->child[i];
    }
    const struct zi_leaf *l = ZI_LEAF(nd);
    unsigned lo = 0, hi = l->h.n; /* the first failing slot is in [lo, hi] */
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (before(l->score[mid], l->e[mid], arg))
            lo = mid + 1;
        else
            hi = mid;
    }
    return acc + lo;
}

void zindex_seek(const struct zindex *z, size_t r, struct zindex_pos *p)
{
    const struct zi_node *nd = z->root;
    while (!nd->leaf) {
        const struct zi_inner *in = ZI_INNER(nd);
        unsigned i = 0;
        while (r >= in->count[i]) r -= in->count[i++];
        nd = in->child[i];
    }
    p->leaf = (void *)nd;
    p->i = (unsigned)r;
}

void zindex_get(const struct zindex_pos *p, double *score, struct entry **e)
{
    const struct zi_leaf *l = p->leaf;
    *score = l->score[p->i];
    *e = l->e[p->i];
}

void zindex_next(struct zindex_pos *p)
{
    struct zi_leaf *l = p->leaf;
    if (++p->i < l->h.n) return;
    p->leaf = l->next;
    p->i = 0;
}

void zindex_prev(struct zindex_pos *p)
{
    struct zi_leaf *l = p->leaf;
    if (p->i > 0) {
        p->i--;
        return;
    }
    l = l->prev;
    p->leaf = l;
    p->i = l ? l->h.n - 1u : 0;
}

/* ---- checks ---- */

struct zi_check {
    int (*in_order)(double, const struct entry *, double, const struct entry *);
    const struct zi_leaf *next_leaf; /* the leaf the walk expects next */
    int depth;                       /* of the leaves; -1 until one is seen */
    int have_prev;
    double prev_s;
    const struct entry *prev_e;
};

static int zi__check(const struct zi_node *nd, int depth, int is_root, struct zi_check *ck)
{
    if (nd->leaf) {
        const struct zi_leaf *l = ZI_LEAF(nd);
        if (l != ck->next_leaf || (!is_root && l->h.n == 0) || l->h.n > ZI_LEAF_CAP) return 0;
        if (ck->depth < 0) ck->depth = depth;
        if (ck->depth != depth) return 0;
        for (unsigned i = 0; i < l->h.n; i++) {
            if (ck->have_prev && !ck->in_order(ck->prev_s, ck->prev_e, l->score[i], l->e[i]))
                return 0;
            ck->have_prev = 1;
            ck->prev_s = l->score[i];
            ck->prev_e = l->e[i];
        }
        if (l->next && l->next->prev != l) return 0;
        ck->next_leaf = l->next;
        return 1;
    }
    const struct zi_inner *in = ZI_INNER(nd);
    if (in->h.n == 0 || in->h.n > ZI_INNER_CAP || (is_root && in->h.n < 2)) return 0;
    for (unsigned i = 0; i < in->h.n; i++) {
        const struct zi_node *c = in->child[i];
        double s;
        struct entry *e;
        if (!zi__check(c, depth + 1, 0, ck)) return 0;
        zi__last(c, &s, &e);
        if (in->count[i] != zi__count(c) || in->last_e[i] != e ||
            memcmp(&in->last_score[i], &s, sizeof(s)) != 0)
            return 0;
    }
    return 1;
}

int zindex_valid(const struct zindex *z, int (*in_order)(double s1, const struct entry *e1,
                                                         double s2, const struct entry *e2))
{
    struct zi_check ck = {in_order, z->head, -1, 0, 0, NULL};
    if (z->head == NULL || z->head->prev != NULL) return 0;
    if (!zi__check(z->root, 0, 1, &ck)) return 0;
    return ck.next_leaf == NULL && zi__count(z->root) == z->len;
}

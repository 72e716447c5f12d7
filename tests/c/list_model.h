/* list_model.h - a program of list operations run on storage/list.c and on
 * a plain array side by side, checked after every step (list_valid, the
 * length, the element touched) and in full at the end. The unit test feeds
 * it programs from a seeded generator; the libFuzzer target feeds it its
 * input. Elements are runs of one byte ('a' to 'd') of lengths around the
 * varint and node boundaries, so equal elements recur (LREM, LPOS,
 * LINSERT find several) and nodes fill, split and empty.
 *
 * The includer defines list_model_check(ok), which fails its way. */
#ifndef RESPITE_LIST_MODEL_H
#define RESPITE_LIST_MODEL_H

#include <stdint.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "storage/entry.h"
#include "storage/list.h"

#define LIST_MODEL_MAX 400

struct list_model {
    size_t len[LIST_MODEL_MAX];
    unsigned char byte[LIST_MODEL_MAX];
    size_t n;
};

static const size_t list_model_lens[] = {0, 1, 3, 60, 127, 128, 300, 9000};

static void list_model_elem(uint8_t arg, size_t *len, unsigned char *byte, char *buf)
{
    *len = list_model_lens[arg % 8];
    /* Empty elements are all equal: one byte value for them. */
    *byte = *len ? (unsigned char)('a' + (arg / 8) % 4) : 'a';
    memset(buf, *byte, *len);
}

static int list_model_is(const char *s, size_t len, size_t want_len, unsigned char want_byte)
{
    if (len != want_len) return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] != want_byte) return 0;
    return 1;
}

struct list_model_walk {
    const struct list_model *m;
    size_t at;
    int ok;
};

static void list_model_visit(const char *s, size_t len, void *arg)
{
    struct list_model_walk *w = arg;
    if (w->at >= w->m->n || !list_model_is(s, len, w->m->len[w->at], w->m->byte[w->at])) w->ok = 0;
    w->at++;
}

/* Every element of e equals the model's, in order, between start and stop. */
static int list_model_same(const struct entry *e, const struct list_model *m, size_t start,
                           size_t stop)
{
    struct list_model_walk w = {m, start, 1};
    list_range(e, start, stop, list_model_visit, &w);
    return w.ok && w.at == stop + 1;
}

static void list_model_del(struct list_model *m, size_t i)
{
    memmove(&m->len[i], &m->len[i + 1], (m->n - i - 1) * sizeof(m->len[0]));
    memmove(&m->byte[i], &m->byte[i + 1], m->n - i - 1);
    m->n--;
}

static void list_model_ins(struct list_model *m, size_t i, size_t len, unsigned char byte)
{
    memmove(&m->len[i + 1], &m->len[i], (m->n - i) * sizeof(m->len[0]));
    memmove(&m->byte[i + 1], &m->byte[i], m->n - i);
    m->len[i] = len;
    m->byte[i] = byte;
    m->n++;
}

struct list_model_pos {
    size_t got[LIST_MODEL_MAX];
    size_t n;
};

static void list_model_note_pos(size_t index, void *arg)
{
    struct list_model_pos *p = arg;
    if (p->n < LIST_MODEL_MAX) p->got[p->n++] = index;
}

struct list_model_pops {
    const struct list_model *m;
    int where, ok;
    size_t k;
};

static void list_model_check_pop(const char *s, size_t len, void *arg)
{
    struct list_model_pops *p = arg;
    size_t i = p->where == LIST_HEAD ? p->k : p->m->n - 1 - p->k;
    if (!list_model_is(s, len, p->m->len[i], p->m->byte[i])) p->ok = 0;
    p->k++;
}

/* Runs the program (pairs of bytes: operation, argument) with the list
 * limit `fill` (list-max-listpack-size). */
static void list_model_run(int fill, const uint8_t *prog, size_t size)
{
    cfg.list_max_listpack_size = fill;
    static struct list_model m;
    m.n = 0;
    char *buf = mem_alloc(9000), *buf2 = mem_alloc(9000);
    struct entry *e = list_new("l", 1, -1);
    for (size_t i = 0; i + 1 < size; i += 2) {
        uint8_t op = prog[i] % 12, arg = prog[i + 1];
        size_t len;
        unsigned char byte;
        if (m.n == 0 && op >= 2) op = arg & 1; /* only pushes reach an empty list */
        switch (op) {
        case 0:
        case 1: { /* LPUSH, RPUSH */
            if (m.n == LIST_MODEL_MAX) break;
            list_model_elem(arg, &len, &byte, buf);
            list_push(&e, op, buf, len);
            list_model_ins(&m, op == LIST_HEAD ? 0 : m.n, len, byte);
            break;
        }
        case 2:
        case 3: { /* LPOP, RPOP of 1 to 4 (more than there are, sometimes) */
            int where = op == 2 ? LIST_HEAD : LIST_TAIL;
            size_t k = (size_t)arg % 4 + 1;
            if (k > m.n) k = m.n;
            struct list_model_pops p = {&m, where, 1, 0};
            list_pop(&e, where, k, list_model_check_pop, &p);
            list_model_check(p.ok && p.k == k);
            for (size_t j = 0; j < k; j++) list_model_del(&m, where == LIST_HEAD ? 0 : m.n - 1);
            break;
        }
        case 4: { /* LINDEX */
            size_t at = arg % m.n;
            const char *s;
            list_index(e, at, &s, &len);
            list_model_check(list_model_is(s, len, m.len[at], m.byte[at]));
            break;
        }
        case 5: { /* LSET */
            size_t at = (size_t)arg * 7 % m.n;
            list_model_elem((uint8_t)(arg >> 1), &len, &byte, buf);
            list_set(&e, at, buf, len);
            m.len[at] = len;
            m.byte[at] = byte;
            break;
        }
        case 6: { /* LINSERT before or after an element that is there, or one that is not */
            if (m.n == LIST_MODEL_MAX) break;
            size_t at = (size_t)arg % m.n, plen = m.len[at];
            unsigned char pbyte = m.byte[at];
            if (arg & 0x80) { /* no element has this length */
                plen = 2;
                pbyte = 'z';
            }
            memset(buf2, pbyte, plen);
            list_model_elem((uint8_t)(arg * 3), &len, &byte, buf);
            int after = (arg >> 6) & 1;
            int inserted = list_insert(&e, buf2, plen, after, buf, len);
            size_t first = m.n;
            for (size_t j = 0; j < m.n; j++)
                if (m.len[j] == plen && m.byte[j] == pbyte) {
                    first = j;
                    break;
                }
            list_model_check(inserted == (first < m.n));
            if (inserted) list_model_ins(&m, first + (size_t)after, len, byte);
            break;
        }
        case 7: { /* LREM of count -2..2 */
            long long count = (long long)(arg % 5) - 2;
            size_t at = (size_t)(arg / 5) % m.n;
            size_t rlen = m.len[at];
            unsigned char rbyte = m.byte[at];
            memset(buf2, rbyte, rlen);
            size_t removed = list_remove(&e, count, buf2, rlen), want = 0;
            size_t limit = count == 0 ? SIZE_MAX : (size_t)(count < 0 ? -count : count);
            if (count >= 0) {
                for (size_t j = 0; j < m.n && want < limit;)
                    if (m.len[j] == rlen && m.byte[j] == rbyte) {
                        list_model_del(&m, j);
                        want++;
                    } else {
                        j++;
                    }
            } else {
                for (size_t j = m.n; j-- > 0 && want < limit;)
                    if (m.len[j] == rlen && m.byte[j] == rbyte) {
                        list_model_del(&m, j);
                        want++;
                    }
            }
            list_model_check(removed == want && want > 0);
            break;
        }
        case 8: { /* LTRIM to a range inside */
            size_t start = (size_t)(arg & 15) % m.n, stop = m.n - 1 - (size_t)(arg >> 4) % m.n;
            if (start > stop) break;
            list_trim(&e, start, stop);
            memmove(&m.len[0], &m.len[start], (stop - start + 1) * sizeof(m.len[0]));
            memmove(&m.byte[0], &m.byte[start], stop - start + 1);
            m.n = stop - start + 1;
            break;
        }
        case 9: { /* LPOS with a rank, a count and a maxlen */
            size_t at = (size_t)arg % m.n;
            long long rank = (long long)(arg >> 5) % 3 + 1;
            if (arg & 0x10) rank = -rank;
            size_t count = (size_t)(arg >> 3) % 3, maxlen = (arg & 8) ? m.n / 2 : 0;
            memset(buf2, m.byte[at], m.len[at]);
            struct list_model_pos got = {{0}, 0}, want = {{0}, 0};
            list_pos(e, buf2, m.len[at], rank, count, maxlen, list_model_note_pos, &got);
            size_t skip = (size_t)(rank < 0 ? -rank : rank) - 1;
            for (size_t seen = 0; seen < m.n && (maxlen == 0 || seen < maxlen); seen++) {
                size_t j = rank > 0 ? seen : m.n - 1 - seen;
                if (m.len[j] != m.len[at] || m.byte[j] != m.byte[at]) continue;
                if (skip) {
                    skip--;
                    continue;
                }
                want.got[want.n++] = j;
                if (want.n == count) break;
            }
            list_model_check(got.n == want.n);
            for (size_t j = 0; j < got.n; j++) list_model_check(got.got[j] == want.got[j]);
            break;
        }
        case 10: { /* LRANGE of a slice */
            size_t start = (size_t)arg % m.n, stop = start + (size_t)(arg >> 4) % (m.n - start);
            list_model_check(list_model_same(e, &m, start, stop));
            break;
        }
        default: { /* a deep copy, checked, then freed */
            struct entry *copy = entry_copy(e, "c", 1, -1, 1);
            list_model_check(list_valid(copy) && list_len(copy) == m.n);
            list_model_check(list_model_same(copy, &m, 0, m.n - 1));
            entry_destroy(copy);
            break;
        }
        }
        list_model_check(list_valid(e));
        list_model_check(list_len(e) == m.n);
        if (m.n == 0) { /* a key never holds an empty list: start again */
            entry_destroy(e);
            e = list_new("l", 1, -1);
        }
    }
    if (m.n) list_model_check(list_model_same(e, &m, 0, m.n - 1));
    entry_destroy(e);
    mem_free(buf);
    mem_free(buf2);
}

#endif

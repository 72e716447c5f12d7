/* cmd_bitops.c - bitmaps: the bit-level commands on string values
 * (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO).
 *
 * A bitmap is an ordinary string read as bits, most significant bit of
 * byte 0 first, so SETBIT k 0 1 sets the byte "\x80". A missing key reads
 * as endless zero bits; a write past the end grows the string with zero
 * bytes (as SETRANGE does). Offsets are bounded by proto-max-bulk-len, as
 * in Redis, which keeps one command from allocating more than a bulk
 * argument could. Written values are "raw" strings for OBJECT ENCODING,
 * as after Redis's SETBIT. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "base/util.h"
#include "client/client.h"
#include "client/reply.h"
#include "commands/arg.h"
#include "commands/commands.h"
#include "services/notify.h"
#include "storage/db.h"

#define BITOPS_ERR_OFFSET "ERR bit offset is not an integer or out of range"
#define BITOPS_ERR_BIT    "ERR bit is not an integer or out of range"
#define BITOPS_ERR_TYPE                                                                            \
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but "    \
    "i64 is."

/* --- parsing -------------------------------------------------------- */

/* A bit offset: a non-negative integer whose byte is below
 * proto-max-bulk-len. With `bits` > 0 (BITFIELD) "#N" means N * bits. */
static int bitops__offset(struct client *c, const struct arg *a, int bits, uint64_t *out)
{
    int hash = bits > 0 && a->len > 0 && a->ptr[0] == '#';
    long long v;
    if (!util_str2ll(a->ptr + hash, a->len - (size_t)hash, &v) || v < 0 ||
        (hash && __builtin_mul_overflow(v, bits, &v)) || (v >> 3) >= CFG(proto_max_bulk_len)) {
        reply_error(c, BITOPS_ERR_OFFSET);
        return -1;
    }
    *out = (uint64_t)v;
    return 0;
}

/* A BITFIELD type: i1..i64 or u1..u63 (lower case only, as in Redis). */
static int bitops__type(struct client *c, const struct arg *a, int *sign, int *bits)
{
    long long n;
    if (a->len < 2 || (a->ptr[0] != 'i' && a->ptr[0] != 'u') ||
        !util_str2ll(a->ptr + 1, a->len - 1, &n) || n < 1 || n > (a->ptr[0] == 'i' ? 64 : 63)) {
        reply_error(c, BITOPS_ERR_TYPE);
        return -1;
    }
    *sign = a->ptr[0] == 'i';
    *bits = (int)n;
    return 0;
}

/* Looks key up as a string for a write reaching byte `need` - 1 (the
 * caller checked the offset): *e is the entry with at least `need` bytes,
 * zero-filled past the old end, or a new zeroed entry not yet stored when
 * the key was missing (*created). *grown: the length changed. -1 after
 * WRONGTYPE or a size error. */
static int bitops__writable(struct client *c, const struct arg *key, size_t need,
                            struct keyref *ref, struct entry **e, int *created, int *grown)
{
    if (arg_lookup_or_reply(c, key, ENTRY_TYPE_STRING, DB_LOOKUP_WRITE, ref, e) != 0) return -1;
    if (need > ENTRY_MAX_VAL_LEN) {
        reply_error(c, REPLY_ERR_STR_SIZE);
        return -1;
    }
    *created = *e == NULL;
    *grown = 0;
    if (*e == NULL) {
        *e = entry_create(key->ptr, key->len, NULL, need, -1);
        memset(entry_val(*e), 0, need);
        *grown = 1;
    } else if (entry_vlen(*e) < need) {
        size_t old = entry_vlen(*e);
        *e = entry_resize_value(*e, need, 1);
        memset(entry_val(*e) + old, 0, need - old);
        *grown = 1;
    }
    (*e)->flags |= ENTRY_ENC_RAW;
    return 0;
}

/* Hands a written bitmap back to the keyspace: stores a new key, or puts
 * an existing one (maybe moved by growing) back in place, which marks it
 * changed for WATCH and client-side caching. */
static void bitops__commit(struct keyref *ref, struct entry *e, int created, int had_expire)
{
    if (created)
        db_store(ref, e);
    else
        db_relink(ref, e, had_expire);
}

/* --- counting and searching ------------------------------------------ */

static long long bitops__popcount(const unsigned char *p, size_t n)
{
    long long count = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        count += __builtin_popcountll(w);
    }
    for (; i < n; i++) count += __builtin_popcount(p[i]);
    return count;
}

/* Bit masks of the bits of a byte at or after bit s, at or before bit e
 * (bit 0 is the most significant). */
static inline unsigned char bitops__from(uint64_t s)
{
    return (unsigned char)(0xFFu >> (s & 7));
}
static inline unsigned char bitops__to(uint64_t e)
{
    return (unsigned char)(0xFFu << (7 - (e & 7)));
}

/* Set bits of p in bit positions [s, e], s <= e. */
static long long bitops__count_range(const unsigned char *p, uint64_t s, uint64_t e)
{
    uint64_t first = s >> 3, last = e >> 3;
    if (first == last) return __builtin_popcount(p[first] & bitops__from(s) & bitops__to(e));
    return __builtin_popcount(p[first] & bitops__from(s)) +
           bitops__popcount(p + first + 1, (size_t)(last - first - 1)) +
           __builtin_popcount(p[last] & bitops__to(e));
}

/* The first position in [s, e] (s <= e) of a bit equal to `bit`, or -1. */
static long long bitops__find(const unsigned char *p, uint64_t s, uint64_t e, int bit)
{
    unsigned char flip = bit ? 0 : 0xFF; /* makes the wanted bits ones */
    uint64_t first = s >> 3, last = e >> 3;
    for (uint64_t i = first; i <= last; i++) {
        if (i > first && i < last) {
            /* Whole bytes in the middle: skip 8 at a time. */
            uint64_t skip = bit ? 0 : UINT64_MAX;
            while (i + 8 < last) {
                uint64_t w;
                memcpy(&w, p + i, 8);
                if (w != skip) break;
                i += 8;
            }
        }
        unsigned b = (unsigned char)(p[i] ^ flip);
        if (i == first) b &= bitops__from(s);
        if (i == last) b &= bitops__to(e);
        if (b) return (long long)(i * 8) + __builtin_clz(b) - 24;
    }
    return -1;
}

/* BITCOUNT and BITPOS ranges: start/end in bytes or (BIT) bits, negative
 * from the end, clamped to the string. Sets [*s, *e] in bits; returns 0
 * when the range is empty. */
static int bitops__range(long long start, long long end, int isbit, size_t len, uint64_t *s,
                         uint64_t *e)
{
    long long total = isbit ? (long long)len * 8 : (long long)len;
    if (start < 0) start += total;
    if (end < 0) end += total;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= total) end = total - 1;
    if (start > end) return 0;
    *s = isbit ? (uint64_t)start : (uint64_t)start * 8;
    *e = isbit ? (uint64_t)end : (uint64_t)end * 8 + 7;
    return 1;
}

/* The BIT|BYTE unit argument: 1 for BIT, 0 for BYTE, -1 after a syntax
 * error. */
static int bitops__unit(struct client *c, const struct arg *a)
{
    if (arg_is(a, "bit")) return 1;
    if (arg_is(a, "byte")) return 0;
    reply_error(c, REPLY_ERR_SYNTAX);
    return -1;
}

/* --- commands --------------------------------------------------------- */

void cmd_setbit(struct client *c)
{
    const struct arg *key = &c->argv[1];
    uint64_t offset;
    long long on;
    if (bitops__offset(c, &c->argv[2], 0, &offset) != 0) return;
    if (arg_ll_or_reply(c, &c->argv[3], &on, BITOPS_ERR_BIT) != 0) return;
    if (on != 0 && on != 1) {
        reply_error(c, BITOPS_ERR_BIT);
        return;
    }
    struct keyref ref;
    struct entry *e;
    int created, grown;
    if (bitops__writable(c, key, (size_t)(offset >> 3) + 1, &ref, &e, &created, &grown) != 0)
        return;
    int had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    unsigned char *byte = (unsigned char *)entry_val(e) + (offset >> 3);
    unsigned char mask = (unsigned char)(0x80u >> (offset & 7));
    int old = (*byte & mask) != 0;
    if (grown || old != on) {
        *byte = (unsigned char)(on ? (*byte | mask) : (*byte & ~mask));
        bitops__commit(&ref, e, created, had);
        cmd_notify(c, NOTIFY_STRING, "setbit", key);
    }
    reply_long(c, old);
}

void cmd_getbit(struct client *c)
{
    uint64_t offset;
    if (bitops__offset(c, &c->argv[2], 0, &offset) != 0) return;
    struct entry *e;
    if (arg_lookup_or_reply(c, &c->argv[1], ENTRY_TYPE_STRING, DB_LOOKUP_READ, NULL, &e) != 0)
        return;
    int bit = 0;
    if (e && (offset >> 3) < entry_vlen(e))
        bit = ((unsigned char)entry_val(e)[offset >> 3] >> (7 - (offset & 7))) & 1;
    reply_long(c, bit);
}

/* BITCOUNT key [start end [BYTE|BIT]]: arguments are checked before the
 * key (Redis 7.2 and later). */
void cmd_bitcount(struct client *c)
{
    long long start = 0, end = -1;
    int isbit = 0;
    if (c->argc == 3 || c->argc > 5) {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    if (c->argc >= 4) {
        if (arg_ll_or_reply(c, &c->argv[2], &start, NULL) != 0) return;
        if (arg_ll_or_reply(c, &c->argv[3], &end, NULL) != 0) return;
        if (c->argc == 5 && (isbit = bitops__unit(c, &c->argv[4])) < 0) return;
    }
    struct entry *e;
    if (arg_lookup_or_reply(c, &c->argv[1], ENTRY_TYPE_STRING, DB_LOOKUP_READ, NULL, &e) != 0)
        return;
    uint64_t s, t;
    /* Two negative indexes the wrong way round are empty before clamping
     * (clamping would turn -100 -200 into the first byte). */
    if (e == NULL || (start < 0 && end < 0 && start > end) ||
        !bitops__range(start, end, isbit, entry_vlen(e), &s, &t)) {
        reply_long(c, 0);
        return;
    }
    reply_long(c, bitops__count_range((const unsigned char *)entry_val(e), s, t));
}

/* BITPOS key bit [start [end [BYTE|BIT]]]: a missing key is all zeros.
 * Without an explicit end the string is taken as followed by zeros, so a
 * search for 0 in all ones finds the bit just past the end. */
void cmd_bitpos(struct client *c)
{
    long long bit, start = 0, end = -1;
    int isbit = 0, end_given = c->argc >= 5;
    if (arg_ll_or_reply(c, &c->argv[2], &bit, NULL) != 0) return;
    if (bit != 0 && bit != 1) {
        reply_error(c, "ERR The bit argument must be 1 or 0.");
        return;
    }
    if (c->argc > 6) {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    if (c->argc >= 4 && arg_ll_or_reply(c, &c->argv[3], &start, NULL) != 0) return;
    if (c->argc == 6 && (isbit = bitops__unit(c, &c->argv[5])) < 0) return;
    if (end_given && arg_ll_or_reply(c, &c->argv[4], &end, NULL) != 0) return;
    struct entry *e;
    if (arg_lookup_or_reply(c, &c->argv[1], ENTRY_TYPE_STRING, DB_LOOKUP_READ, NULL, &e) != 0)
        return;
    if (e == NULL) {
        reply_long(c, bit ? -1 : 0);
        return;
    }
    uint64_t s, t;
    if (!bitops__range(start, end, isbit, entry_vlen(e), &s, &t)) {
        reply_long(c, -1);
        return;
    }
    long long pos = bitops__find((const unsigned char *)entry_val(e), s, t, (int)bit);
    if (pos < 0 && bit == 0 && !end_given) pos = (long long)t + 1;
    reply_long(c, pos);
}

/* BITOP AND|OR|XOR|NOT dest src...: the result is as long as the longest
 * source, missing sources and the short ones' tails reading as zeros. An
 * empty result deletes dest. The result replaces dest whatever its type,
 * without a TTL. */
void cmd_bitop(struct client *c)
{
    enum { AND, OR, XOR, NOT } op;
    const struct arg *a = &c->argv[1], *dest = &c->argv[2];
    if (arg_is(a, "and"))
        op = AND;
    else if (arg_is(a, "or"))
        op = OR;
    else if (arg_is(a, "xor"))
        op = XOR;
    else if (arg_is(a, "not"))
        op = NOT;
    else {
        reply_error(c, REPLY_ERR_SYNTAX);
        return;
    }
    if (op == NOT && c->argc != 4) {
        reply_error(c, "ERR BITOP NOT must be called with a single source key.");
        return;
    }
    size_t n = c->argc - 3, maxlen = 0;
    struct entry **src = mem_alloc(n * sizeof(*src));
    for (size_t i = 0; i < n; i++) {
        if (arg_lookup_or_reply(c, &c->argv[3 + i], ENTRY_TYPE_STRING, DB_LOOKUP_READ, NULL,
                                &src[i]) != 0) {
            mem_free(src);
            return;
        }
        if (src[i] && entry_vlen(src[i]) > maxlen) maxlen = entry_vlen(src[i]);
    }
    struct keyref ref;
    if (maxlen == 0) {
        mem_free(src);
        if (db_lookup(c->db, dest->ptr, dest->len, DB_LOOKUP_NOTOUCH, &ref)) {
            db_remove(&ref);
            cmd_notify(c, NOTIFY_GENERIC, "del", dest);
        }
        reply_long(c, 0);
        return;
    }
    /* The result is built in the new entry itself; the sources stay valid
     * until it replaces dest (which may be one of them). */
    struct entry *out = entry_create(dest->ptr, dest->len, NULL, maxlen, -1);
    out->flags |= ENTRY_ENC_RAW;
    unsigned char *r = (unsigned char *)entry_val(out);
    size_t len0 = src[0] ? entry_vlen(src[0]) : 0;
    if (len0) memcpy(r, entry_val(src[0]), len0);
    memset(r + len0, 0, maxlen - len0);
    if (op == NOT) {
        for (size_t j = 0; j < maxlen; j++) r[j] = (unsigned char)~r[j];
    } else {
        for (size_t i = 1; i < n; i++) {
            const unsigned char *p = src[i] ? (const unsigned char *)entry_val(src[i]) : NULL;
            size_t len = src[i] ? entry_vlen(src[i]) : 0;
            if (op == AND) {
                for (size_t j = 0; j < len; j++) r[j] &= p[j];
                memset(r + len, 0, maxlen - len);
            } else if (op == OR) {
                for (size_t j = 0; j < len; j++) r[j] |= p[j];
            } else {
                for (size_t j = 0; j < len; j++) r[j] ^= p[j];
            }
        }
    }
    mem_free(src);
    db_lookup(c->db, dest->ptr, dest->len, DB_LOOKUP_NOTOUCH, &ref);
    db_store(&ref, out);
    cmd_notify(c, NOTIFY_STRING, "set", dest);
    reply_long(c, (long long)maxlen);
}

/* --- BITFIELD ------------------------------------------------------------ */

enum bitfield_op { BF_GET, BF_SET, BF_INCRBY };
enum bitfield_overflow { BF_WRAP, BF_SAT, BF_FAIL };

struct bitfield {
    uint64_t offset;
    int64_t value; /* SET's value or INCRBY's increment */
    enum bitfield_op op;
    enum bitfield_overflow overflow;
    int bits;
    int sign;
};

/* The `bits`-wide unsigned integer at bit `offset` of p, most significant
 * bit first. */
static uint64_t bitfield__get(const unsigned char *p, uint64_t offset, int bits)
{
    uint64_t v = 0;
    for (int i = 0; i < bits; i++, offset++)
        v = (v << 1) | ((p[offset >> 3] >> (7 - (offset & 7))) & 1u);
    return v;
}

static void bitfield__set(unsigned char *p, uint64_t offset, int bits, uint64_t v)
{
    for (int i = bits - 1; i >= 0; i--, offset++) {
        unsigned char mask = (unsigned char)(0x80u >> (offset & 7));
        if ((v >> i) & 1u)
            p[offset >> 3] |= mask;
        else
            p[offset >> 3] &= (unsigned char)~mask;
    }
}

/* Reads a field that may run past the end of the string (GET): from a
 * zero-padded copy of the up to 9 bytes it covers. */
static uint64_t bitfield__read(const struct entry *e, uint64_t offset, int bits)
{
    unsigned char buf[9] = {0};
    uint64_t first = offset >> 3;
    size_t len = e ? entry_vlen(e) : 0;
    for (size_t i = 0; i < sizeof(buf) && first + i < len; i++)
        buf[i] = (unsigned char)entry_val(e)[first + i];
    return bitfield__get(buf, offset & 7, bits);
}

/* Sign-extends a bits-wide field. */
static int64_t bitfield__signed(uint64_t v, int bits)
{
    if (bits < 64 && (v >> (bits - 1)) & 1u) v |= UINT64_MAX << bits;
    return (int64_t)v;
}

/* The value an operation writes, given the field's old value; returns 0
 * when the operation fails (OVERFLOW FAIL). The written value's low
 * `bits` bits are the field; for a signed field it is sign-extended. */
static int bitfield__apply(const struct bitfield *f, uint64_t old, uint64_t *out)
{
    int bits = f->bits, dir = 0; /* +1 above the range, -1 below */
    uint64_t wrapped;
    if (f->sign) {
        int64_t max = bits == 64 ? INT64_MAX : (int64_t)((UINT64_C(1) << (bits - 1)) - 1);
        int64_t min = -max - 1, v = bitfield__signed(old, bits), sum;
        if (f->op == BF_SET) {
            sum = f->value;
            wrapped = (uint64_t)f->value;
        } else {
            wrapped = (uint64_t)v + (uint64_t)f->value;
            if (__builtin_add_overflow(v, f->value, &sum)) {
                dir = f->value > 0 ? 1 : -1;
                sum = 0;
            }
        }
        if (!dir) dir = sum > max ? 1 : sum < min ? -1 : 0;
        if (!dir) {
            *out = (uint64_t)sum;
            return 1;
        }
        if (f->overflow == BF_FAIL) return 0;
        if (f->overflow == BF_SAT)
            *out = (uint64_t)(dir > 0 ? max : min);
        else
            *out = (uint64_t)bitfield__signed(
                wrapped & (bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1), bits);
        return 1;
    }
    uint64_t max = (UINT64_C(1) << bits) - 1; /* unsigned fields have at most 63 bits */
    if (f->op == BF_SET) {
        /* The value is taken as unsigned 64-bit: -5 is far above u8. */
        wrapped = (uint64_t)f->value;
        dir = wrapped > max ? 1 : 0;
    } else {
        /* old <= max < 2^63, so the sum fits unless the increment is huge. */
        int64_t sum;
        wrapped = old + (uint64_t)f->value;
        if (__builtin_add_overflow((int64_t)old, f->value, &sum))
            dir = 1;
        else
            dir = sum > (int64_t)max ? 1 : sum < 0 ? -1 : 0;
    }
    if (!dir) {
        *out = wrapped;
        return 1;
    }
    if (f->overflow == BF_FAIL) return 0;
    *out = f->overflow == BF_SAT ? (dir > 0 ? max : 0) : wrapped & max;
    return 1;
}

/* Parses the operations from argv[2]; returns how many, or -1 after
 * replying. *write_end: one past the last byte a SET or INCRBY touches (0
 * when all are GETs). Any error means no operation runs. */
static long bitfield__parse(struct client *c, struct bitfield *ops, size_t *write_end)
{
    enum bitfield_overflow overflow = BF_WRAP;
    long n = 0;
    *write_end = 0;
    for (size_t j = 2; j < c->argc; j++) {
        size_t rest = c->argc - j - 1;
        const struct arg *a = &c->argv[j];
        struct bitfield *f = &ops[n];
        if (arg_is(a, "get") && rest >= 2) {
            f->op = BF_GET;
        } else if (arg_is(a, "set") && rest >= 3) {
            f->op = BF_SET;
        } else if (arg_is(a, "incrby") && rest >= 3) {
            f->op = BF_INCRBY;
        } else if (arg_is(a, "overflow") && rest >= 1) {
            const struct arg *kind = &c->argv[++j];
            if (arg_is(kind, "wrap"))
                overflow = BF_WRAP;
            else if (arg_is(kind, "sat"))
                overflow = BF_SAT;
            else if (arg_is(kind, "fail"))
                overflow = BF_FAIL;
            else {
                reply_error(c, "ERR Invalid OVERFLOW type specified");
                return -1;
            }
            continue;
        } else {
            reply_error(c, REPLY_ERR_SYNTAX);
            return -1;
        }
        if (bitops__type(c, &c->argv[j + 1], &f->sign, &f->bits) != 0) return -1;
        if (bitops__offset(c, &c->argv[j + 2], f->bits, &f->offset) != 0) return -1;
        f->overflow = overflow;
        f->value = 0;
        if (f->op != BF_GET) {
            long long v;
            if (arg_ll_or_reply(c, &c->argv[j + 3], &v, NULL) != 0) return -1;
            f->value = v;
            size_t end = (size_t)((f->offset + (uint64_t)f->bits - 1) >> 3) + 1;
            if (end > *write_end) *write_end = end;
        }
        j += f->op == BF_GET ? 2 : 3;
        n++;
    }
    return n;
}

/* BITFIELD and BITFIELD_RO (readonly: GET only). A call with only GETs
 * reads, and does not create the key; one with a write first grows the
 * string to the farthest field written. */
static void bitfield__run(struct client *c, int readonly)
{
    const struct arg *key = &c->argv[1];
    struct bitfield *ops = mem_alloc((c->argc / 2 + 1) * sizeof(*ops));
    size_t write_end;
    long n = bitfield__parse(c, ops, &write_end);
    if (n < 0) {
        mem_free(ops);
        return;
    }
    struct keyref ref;
    struct entry *e;
    int created = 0, grown = 0, had = 0, changes = 0;
    if (write_end == 0) {
        if (arg_lookup_or_reply(c, key, ENTRY_TYPE_STRING, DB_LOOKUP_READ, NULL, &e) != 0) {
            mem_free(ops);
            return;
        }
    } else {
        if (readonly) {
            mem_free(ops);
            reply_error(c, "ERR BITFIELD_RO only supports the GET subcommand");
            return;
        }
        if (bitops__writable(c, key, write_end, &ref, &e, &created, &grown) != 0) {
            mem_free(ops);
            return;
        }
        had = (e->flags & ENTRY_HAS_EXPIRE) != 0;
    }
    reply_array(c, (size_t)n);
    for (long i = 0; i < n; i++) {
        const struct bitfield *f = &ops[i];
        if (f->op == BF_GET) {
            uint64_t v = bitfield__read(e, f->offset, f->bits);
            reply_long(c, f->sign ? bitfield__signed(v, f->bits) : (long long)v);
            continue;
        }
        unsigned char *p = (unsigned char *)entry_val(e);
        uint64_t old = bitfield__get(p, f->offset, f->bits), v;
        if (!bitfield__apply(f, old, &v)) {
            reply_null(c);
            continue;
        }
        uint64_t field = f->bits == 64 ? v : v & ((UINT64_C(1) << f->bits) - 1);
        if (f->op == BF_INCRBY)
            reply_long(c, f->sign ? (long long)v : (long long)field);
        else
            reply_long(c, f->sign ? bitfield__signed(old, f->bits) : (long long)old);
        bitfield__set(p, f->offset, f->bits, field);
        if (grown || field != old) changes++;
    }
    /* As in Redis, the event needs a write that went through; a grown
     * string is a change to WATCH and tracking either way. */
    if (write_end) {
        if (created || grown || changes) bitops__commit(&ref, e, created, had);
        if (changes) cmd_notify(c, NOTIFY_STRING, "setbit", key);
    }
    mem_free(ops);
}

void cmd_bitfield(struct client *c)
{
    bitfield__run(c, 0);
}

void cmd_bitfield_ro(struct client *c)
{
    bitfield__run(c, 1);
}

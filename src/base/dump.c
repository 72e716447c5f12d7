/* dump.c - RDB lengths, strings and the payload trailer (see dump.h). */
#include "base/dump.h"

#include <string.h>

#include "base/mem.h"

/* ---- CRC-64 ----
 * Redis's: polynomial 0xad93d23594c935a9, reflected in and out, initial
 * value and final xor 0 (crc64("123456789") = 0xe9c6d914c4b8d9ca). A byte
 * table of the reflected polynomial, built once. */
static uint64_t dump__table[256];
static int dump__table_ready;

static void dump__build_table(void)
{
    const uint64_t rpoly = 0x95ac9329ac4bc9b5ULL; /* 0xad93d23594c935a9 reflected */
    for (unsigned i = 0; i < 256; i++) {
        uint64_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? (c >> 1) ^ rpoly : c >> 1;
        dump__table[i] = c;
    }
    __atomic_store_n(&dump__table_ready, 1, __ATOMIC_RELEASE);
}

uint64_t dump_crc64(uint64_t crc, const void *p, size_t len)
{
    if (!__atomic_load_n(&dump__table_ready, __ATOMIC_ACQUIRE)) dump__build_table();
    const unsigned char *s = p;
    for (size_t i = 0; i < len; i++) crc = dump__table[(crc ^ s[i]) & 0xff] ^ (crc >> 8);
    return crc;
}

/* ---- writing ---- */

static void dump__put(struct dump_buf *b, const void *p, size_t len)
{
    if (b->len + len > b->cap) {
        b->cap = (b->len + len) * 2 + 64;
        b->p = mem_realloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, p, len);
    b->len += len;
}

void dump_put_byte(struct dump_buf *b, unsigned char v)
{
    dump__put(b, &v, 1);
}

/* 6 bits in one byte (00), 14 in two (01), else 0x80 and 32 bits or 0x81
 * and 64 bits, big endian. */
void dump_put_len(struct dump_buf *b, uint64_t len)
{
    unsigned char out[9];
    size_t n;
    if (len < (1u << 6)) {
        out[0] = (unsigned char)len;
        n = 1;
    } else if (len < (1u << 14)) {
        out[0] = (unsigned char)(0x40 | (len >> 8));
        out[1] = (unsigned char)len;
        n = 2;
    } else if (len <= UINT32_MAX) {
        out[0] = 0x80;
        for (int i = 0; i < 4; i++) out[1 + i] = (unsigned char)(len >> (24 - 8 * i));
        n = 5;
    } else {
        out[0] = 0x81;
        for (int i = 0; i < 8; i++) out[1 + i] = (unsigned char)(len >> (56 - 8 * i));
        n = 9;
    }
    dump__put(b, out, n);
}

void dump_put_string(struct dump_buf *b, const char *s, size_t len)
{
    dump_put_len(b, len);
    if (len) dump__put(b, s, len);
}

void dump_finish(struct dump_buf *b)
{
    unsigned char tail[10];
    tail[0] = DUMP_RDB_VERSION & 0xff;
    tail[1] = (DUMP_RDB_VERSION >> 8) & 0xff;
    dump__put(b, tail, 2);
    uint64_t crc = dump_crc64(0, b->p, b->len);
    for (int i = 0; i < 8; i++) tail[2 + i] = (unsigned char)(crc >> (8 * i));
    dump__put(b, tail + 2, 8);
}

/* ---- reading ---- */

int dump_verify(const unsigned char *p, size_t len, unsigned *version)
{
    if (len < 10) return -1;
    unsigned v = (unsigned)p[len - 10] | (unsigned)p[len - 9] << 8;
    if (v > DUMP_RDB_VERSION) return -1;
    uint64_t want = 0;
    for (int i = 0; i < 8; i++) want |= (uint64_t)p[len - 8 + i] << (8 * i);
    if (dump_crc64(0, p, len - 8) != want) return -1;
    *version = v;
    return 0;
}

/* A length; *special set for the 11xxxxxx encodings (their low 6 bits in
 * *len). */
static int dump__get_len(const unsigned char **pp, const unsigned char *end, uint64_t *len,
                         int *special)
{
    const unsigned char *p = *pp;
    if (p >= end) return -1;
    unsigned char b = *p++;
    *special = 0;
    switch (b >> 6) {
    case 0: *len = b & 0x3f; break;
    case 1:
        if (p >= end) return -1;
        *len = (uint64_t)(b & 0x3f) << 8 | *p++;
        break;
    case 2: {
        int n = b == 0x80 ? 4 : b == 0x81 ? 8 : 0;
        if (n == 0 || end - p < n) return -1;
        uint64_t v = 0;
        for (int i = 0; i < n; i++) v = v << 8 | *p++;
        *len = v;
        break;
    }
    default: *special = 1; *len = b & 0x3f;
    }
    *pp = p;
    return 0;
}

/* LZF's format: a control byte under 32 starts a run of that many + 1
 * literal bytes; otherwise its top 3 bits (7: plus the next byte) + 2
 * bytes are copied from a distance of its low 5 bits, the next byte and
 * one further back in the output. */
static int dump__lzf(const unsigned char *in, size_t inlen, unsigned char *out, size_t outlen)
{
    const unsigned char *ip = in, *iend = in + inlen;
    unsigned char *op = out, *oend = out + outlen;
    while (ip < iend) {
        unsigned ctrl = *ip++;
        if (ctrl < 32) {
            size_t n = ctrl + 1u;
            if ((size_t)(iend - ip) < n || (size_t)(oend - op) < n) return -1;
            memcpy(op, ip, n);
            op += n;
            ip += n;
            continue;
        }
        size_t n = ctrl >> 5;
        if (n == 7) {
            if (ip >= iend) return -1;
            n += *ip++;
        }
        if (ip >= iend) return -1;
        size_t back = ((size_t)(ctrl & 0x1f) << 8) + *ip++ + 1;
        n += 2;
        if (back > (size_t)(op - out) || (size_t)(oend - op) < n) return -1;
        const unsigned char *ref = op - back;
        for (size_t i = 0; i < n; i++) op[i] = ref[i]; /* may overlap: byte by byte */
        op += n;
    }
    return op == oend ? 0 : -1;
}

int dump_get_string(const unsigned char **pp, const unsigned char *end, char **out, size_t *len)
{
    const unsigned char *p = *pp;
    uint64_t n;
    int special;
    if (dump__get_len(&p, end, &n, &special) != 0) return -1;
    if (!special) {
        if ((uint64_t)(end - p) < n) return -1;
        *out = mem_alloc(n ? n : 1);
        memcpy(*out, p, n);
        *len = n;
        *pp = p + n;
        return 0;
    }
    if (n <= 2) { /* an integer of 1, 2 or 4 bytes, little endian, as text */
        int w = 1 << n;
        if (end - p < w) return -1;
        int64_t v = n == 0   ? (int8_t)p[0]
                    : n == 1 ? (int16_t)(p[0] | p[1] << 8)
                             : (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
                                         (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
        char buf[24];
        int k = 0;
        uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        do buf[k++] = (char)('0' + u % 10);
        while ((u /= 10) != 0);
        if (v < 0) buf[k++] = '-';
        *out = mem_alloc((size_t)k);
        for (int i = 0; i < k; i++) (*out)[i] = buf[k - 1 - i];
        *len = (size_t)k;
        *pp = p + w;
        return 0;
    }
    if (n != 3) return -1;
    uint64_t clen, ulen;
    if (dump__get_len(&p, end, &clen, &special) != 0 || special) return -1;
    if (dump__get_len(&p, end, &ulen, &special) != 0 || special) return -1;
    if ((uint64_t)(end - p) < clen || ulen > (512ULL << 20)) return -1;
    unsigned char *buf = mem_alloc(ulen ? ulen : 1);
    if (dump__lzf(p, (size_t)clen, buf, (size_t)ulen) != 0) {
        mem_free(buf);
        return -1;
    }
    *out = (char *)buf;
    *len = (size_t)ulen;
    *pp = p + clen;
    return 0;
}

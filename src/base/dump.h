/* dump.h - the pieces of Redis's RDB format that a DUMP payload is made of
 * (FUNCTION DUMP / RESTORE now; DUMP / RESTORE of keys and snapshots will
 * build on them): length encodings, strings (LZF-compressed ones read,
 * written plain, which every reader accepts), and the trailer of a payload:
 * the RDB version (2 bytes) and a CRC-64 (Jones polynomial, as Redis's
 * crc64.c: reflected, initial value 0; 8 bytes, little endian) of all that
 * comes before it.
 *
 * Readers are bounded by an end pointer and never read past it: a payload
 * comes from a client and may be anything. */
#ifndef RESPITE_DUMP_H
#define RESPITE_DUMP_H

#include <stddef.h>
#include <stdint.h>

/* The RDB version respite writes: Redis 7.4's (it accepts payloads of
 * this version or older). */
#define DUMP_RDB_VERSION 12

/* RDB opcodes a payload may hold. */
#define DUMP_OPCODE_FUNCTION_PRE_GA 246
#define DUMP_OPCODE_FUNCTION2       245

uint64_t dump_crc64(uint64_t crc, const void *p, size_t len);

/* A growing output buffer (mem_ allocated; the caller frees p). */
struct dump_buf {
    char *p;
    size_t len, cap;
};
void dump_put_byte(struct dump_buf *b, unsigned char v);
void dump_put_len(struct dump_buf *b, uint64_t len);
void dump_put_string(struct dump_buf *b, const char *s, size_t len);
/* Appends the version and the CRC of everything so far. */
void dump_finish(struct dump_buf *b);

/* 0 with the payload's version when its trailer is sound (version at most
 * DUMP_RDB_VERSION, CRC matching), else -1. */
int dump_verify(const unsigned char *p, size_t len, unsigned *version);
/* Reads a string at *pp (before end): 0 with a new copy in *out (mem_,
 * the caller frees) and *pp moved past it, or -1 when it is malformed. */
int dump_get_string(const unsigned char **pp, const unsigned char *end, char **out, size_t *len);

#endif

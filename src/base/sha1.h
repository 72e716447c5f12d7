/* sha1.h - SHA-1 (FIPS 180-4), for script digests: EVALSHA names a
 * script by the SHA-1 of its body, in lower-case hex. */
#ifndef RESPITE_SHA1_H
#define RESPITE_SHA1_H

#include <stddef.h>
#include <stdint.h>

struct sha1 {
    uint32_t h[5];
    uint64_t bytes;    /* message length so far */
    uint8_t block[64]; /* the partial block */
    size_t used;       /* bytes in block */
};

void sha1_init(struct sha1 *s);
void sha1_update(struct sha1 *s, const void *data, size_t len);
void sha1_final(struct sha1 *s, uint8_t digest[20]);
/* The digest of (data, len) as 40 lower-case hex digits and a NUL. */
void sha1_hex(const void *data, size_t len, char out[41]);

#endif

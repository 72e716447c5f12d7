/* fuzz_resp.c - libFuzzer target for the request parser: any bytes, fed
 * whole and then split at a fuzzer-chosen point (resume path), must give
 * DONE/INCOMPLETE/ERROR with spans inside the buffer, never a crash, hang
 * or over-read (built with ASan+UBSan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/resp.h"

static void check(struct resp_request *r, size_t len)
{
    if (r->consumed > len) abort();
    for (size_t i = 0; i < r->argc; i++)
        if (r->argv[i].off > len || r->argv[i].len > len - r->argv[i].off) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct resp_limits lim = {1024 * 1024, 64 * 1024};
    if (size == 0) return 0;
    size_t split = data[0] % (size + 1);
    const uint8_t *in = data + 1;
    size_t len = size - 1;
    char *buf = malloc(len ? len : 1);
    struct resp_request r;
    resp_request_init(&r);
    size_t pos = 0;
    /* Parse every request in the input, first with only `split` bytes
     * available, then with all of them. */
    for (int guard = 0; pos < len && guard < 100000; guard++) {
        memcpy(buf, in, len);
        size_t avail = split > pos && split < len ? split - pos : len - pos;
        enum resp_status st = resp_parse(&r, buf + pos, avail, &lim);
        if (st == RESP_INCOMPLETE && avail < len - pos)
            st = resp_parse(&r, buf + pos, len - pos, &lim);
        if (st != RESP_DONE) break;
        check(&r, len - pos);
        if (r.consumed == 0) abort(); /* no progress: would loop forever */
        pos += r.consumed;
        resp_request_reset(&r);
    }
    resp_request_free(&r);
    free(buf);
    return 0;
}

/* fuzz_metrics.c - libFuzzer target for the INFO-to-Prometheus converter
 * (server/metrics.c): any text, any database count, must give output
 * whose every line is a comment or "name[{labels}] value" with balanced,
 * escaped label quotes, and never crash or over-read (ASan+UBSan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "server/metrics.h"

/* A sample line: name, optional {k="v",...} with \" \\ \n escapes, one
 * space, a value without spaces. */
static int sample_ok(const char *p, const char *end)
{
    const char *q = p;
    while (q < end && (*q == '_' || (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9'))) q++;
    if (q == p) return 0;
    if (q < end && *q == '{') {
        q++;
        int in_quotes = 0;
        for (; q < end; q++) {
            if (in_quotes && *q == '\\') {
                if (q + 1 >= end || (q[1] != '"' && q[1] != '\\' && q[1] != 'n')) return 0;
                q++;
            } else if (*q == '"') {
                in_quotes = !in_quotes;
            } else if (!in_quotes && *q == '}') {
                break;
            }
        }
        if (q >= end) return 0;
        q++;
    }
    if (q >= end || *q != ' ') return 0;
    q++;
    if (q >= end) return 0;
    for (; q < end; q++)
        if (*q == ' ') return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    int databases = data[0] % 20;
    size_t len;
    char *out = metrics_from_info((const char *)data + 1, size - 1, databases, 1000000, &len);
    if (strlen(out) != len) abort();
    for (const char *p = out, *end = out + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL) abort(); /* every line ends with a newline */
        if (*p != '#' && !sample_ok(p, nl)) abort();
        p = nl + 1;
    }
    mem_free(out);
    return 0;
}

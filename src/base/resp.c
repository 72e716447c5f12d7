/* resp.c - incremental RESP request parser. */
#include "base/resp.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>

#include "base/mem.h"
#include "base/util.h"

/* Redis caps how many argument slots it preallocates from a declared
 * multibulk count; we do the same, growing as arguments really arrive. */
#define RESP_ARGV_PREALLOC 1024

void resp_request_init(struct resp_request *r)
{
    memset(r, 0, sizeof(*r));
    resp_request_reset(r);
}

void resp_request_reset(struct resp_request *r)
{
    r->argc = 0;
    r->consumed = 0;
    r->error = NULL;
    r->multibulk = -1;
    r->bulklen = -1;
    r->pos = 0;
    r->is_inline = 0;
    r->want = 0;
}

void resp_request_free(struct resp_request *r)
{
    mem_free(r->argv);
    r->argv = NULL;
    r->argv_cap = 0;
}

static void resp__reserve(struct resp_request *r, size_t n)
{
    if (n <= r->argv_cap) return;
    size_t cap = r->argv_cap ? r->argv_cap : 8;
    while (cap < n) cap *= 2;
    r->argv = mem_realloc(r->argv, cap * sizeof(*r->argv));
    r->argv_cap = cap;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

long resp_split_args(char *line, size_t len, struct resp_span *spans, size_t max)
{
    size_t i = 0;
    long n = 0;
    /* Redis splits a C string: a NUL byte ends the line. */
    len = strnlen(line, len);
    for (;;) {
        while (i < len && isspace((unsigned char)line[i])) i++;
        if (i >= len) return n;
        size_t start = i, out = i;
        int inq = 0, insq = 0;
        for (;;) {
            if (inq) {
                if (i >= len) return -1;
                if (line[i] == '\\' && i + 3 < len && line[i + 1] == 'x' &&
                    hexval((unsigned char)line[i + 2]) >= 0 &&
                    hexval((unsigned char)line[i + 3]) >= 0) {
                    line[out++] = (char)(hexval((unsigned char)line[i + 2]) * 16 +
                                         hexval((unsigned char)line[i + 3]));
                    i += 4;
                    continue;
                } else if (line[i] == '\\' && i + 1 < len) {
                    char c;
                    i++;
                    switch (line[i]) {
                    case 'n': c = '\n'; break;
                    case 'r': c = '\r'; break;
                    case 't': c = '\t'; break;
                    case 'b': c = '\b'; break;
                    case 'a': c = '\a'; break;
                    default: c = line[i]; break;
                    }
                    line[out++] = c;
                    i++;
                    continue;
                } else if (line[i] == '"') {
                    /* The closing quote must end the argument. */
                    if (i + 1 < len && !isspace((unsigned char)line[i + 1])) return -1;
                    i++;
                    break;
                }
                line[out++] = line[i++];
            } else if (insq) {
                if (i >= len) return -1;
                if (line[i] == '\\' && i + 1 < len && line[i + 1] == '\'') {
                    line[out++] = '\'';
                    i += 2;
                    continue;
                } else if (line[i] == '\'') {
                    if (i + 1 < len && !isspace((unsigned char)line[i + 1])) return -1;
                    i++;
                    break;
                }
                line[out++] = line[i++];
            } else {
                if (i >= len) break;
                char c = line[i];
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\0') break;
                if (c == '"')
                    inq = 1;
                else if (c == '\'')
                    insq = 1;
                else
                    line[out++] = c;
                i++;
            }
        }
        if ((size_t)n < max) {
            spans[n].off = start;
            spans[n].len = out - start;
        }
        n++;
    }
}

static enum resp_status resp__inline(struct resp_request *r, char *buf, size_t len,
                                     const struct resp_limits *lim)
{
    char *nl = memchr(buf, '\n', len);
    if (nl == NULL) {
        if (len > lim->max_inline_len) {
            r->error = "Protocol error: too big inline request";
            return RESP_ERROR;
        }
        return RESP_INCOMPLETE;
    }
    size_t linelen = (size_t)(nl - buf);
    if (linelen > 0 && buf[linelen - 1] == '\r') linelen--;
    /* resp_parse reserved a slot per whitespace byte plus one, an upper
     * bound on the argument count, so every span fits. */
    long n = resp_split_args(buf, linelen, r->argv, r->argv_cap);
    if (n < 0) {
        r->error = "Protocol error: unbalanced quotes in request";
        return RESP_ERROR;
    }
    r->argc = (size_t)n;
    r->consumed = (size_t)(nl - buf) + 1;
    return RESP_DONE;
}

/* Finds the CR that ends a header line starting at p; Redis looks for
 * '\r' and then skips two bytes without checking the '\n'. */
static const char *resp__line_end(const char *p, size_t avail)
{
    return memchr(p, '\r', avail);
}

enum resp_status resp_parse(struct resp_request *r, char *buf, size_t len,
                            const struct resp_limits *lim)
{
    if (r->multibulk < 0 && !r->is_inline) {
        if (len == 0) return RESP_INCOMPLETE;
        if (buf[0] != '*') {
            r->is_inline = 1;
        } else {
            const char *cr = resp__line_end(buf, len);
            if (cr == NULL) {
                if (len > lim->max_inline_len) {
                    r->error = "Protocol error: too big mbulk count string";
                    return RESP_ERROR;
                }
                return RESP_INCOMPLETE;
            }
            if ((size_t)(cr - buf) + 2 > len) return RESP_INCOMPLETE;
            long long ll;
            if (!util_str2ll(buf + 1, (size_t)(cr - buf) - 1, &ll) || ll > INT_MAX) {
                r->error = "Protocol error: invalid multibulk length";
                return RESP_ERROR;
            }
            r->pos = (size_t)(cr - buf) + 2;
            if (ll <= 0) {
                r->argc = 0;
                r->consumed = r->pos;
                return RESP_DONE;
            }
            r->multibulk = ll;
            resp__reserve(r, ll < RESP_ARGV_PREALLOC ? (size_t)ll : RESP_ARGV_PREALLOC);
        }
    }
    if (r->is_inline) {
        /* Inline arguments need a slot each; make sure the array can hold
         * the worst case for this line before splitting in place. */
        char *nl = memchr(buf, '\n', len);
        if (nl != NULL) {
            size_t words = 1;
            for (const char *p = buf; p < nl; p++)
                if (isspace((unsigned char)*p)) words++;
            resp__reserve(r, words);
        }
        return resp__inline(r, buf, len, lim);
    }

    while ((long long)r->argc < r->multibulk) {
        size_t avail = len - r->pos;
        char *p = buf + r->pos;
        if (r->bulklen < 0) {
            if (avail == 0) return RESP_INCOMPLETE;
            const char *cr = resp__line_end(p, avail);
            if (cr == NULL) {
                if (avail > lim->max_inline_len) {
                    r->error = "Protocol error: too big bulk count string";
                    return RESP_ERROR;
                }
                return RESP_INCOMPLETE;
            }
            if ((size_t)(cr - p) + 2 > avail) return RESP_INCOMPLETE;
            if (p[0] != '$') {
                strcpy(r->errbuf, "Protocol error: expected '$', got ' '");
                r->errbuf[sizeof("Protocol error: expected '$', got '") - 1] = p[0];
                r->error = r->errbuf;
                return RESP_ERROR;
            }
            long long ll;
            if (!util_str2ll(p + 1, (size_t)(cr - p) - 1, &ll) || ll < 0 ||
                ll > lim->max_bulk_len) {
                r->error = "Protocol error: invalid bulk length";
                return RESP_ERROR;
            }
            r->bulklen = ll;
            r->pos += (size_t)(cr - p) + 2;
            avail = len - r->pos;
            p = buf + r->pos;
        }
        if (avail < (size_t)r->bulklen + 2) {
            r->want = r->pos + (size_t)r->bulklen + 2;
            return RESP_INCOMPLETE;
        }
        resp__reserve(r, r->argc + 1);
        r->argv[r->argc].off = r->pos;
        r->argv[r->argc].len = (size_t)r->bulklen;
        r->argc++;
        r->pos += (size_t)r->bulklen + 2;
        r->bulklen = -1;
    }
    r->consumed = r->pos;
    r->want = 0;
    return RESP_DONE;
}

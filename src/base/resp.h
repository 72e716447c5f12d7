/* resp.h - incremental parser for client requests (RESP multibulk and
 * inline commands).
 *
 * The parser never copies or allocates argument bytes: it records each
 * argument as an offset and length into the caller's buffer, which holds
 * the request from its first byte. Between calls it keeps only where it
 * stopped (how many arguments are complete and where the next one starts),
 * so a request arriving one byte at a time costs O(bytes), and a partial
 * request can be moved to another buffer between calls. The one allocation
 * is the span array, reused across requests and grown on demand (never
 * sized from a client's declared count alone). */
#ifndef RESPITE_RESP_H
#define RESPITE_RESP_H

#include <stddef.h>
#include <stdint.h>

struct resp_span {
    size_t off;
    size_t len;
};

struct resp_limits {
    long long max_bulk_len; /* proto-max-bulk-len */
    size_t max_inline_len;  /* 64 KB in Redis */
};

enum resp_status {
    RESP_DONE = 0,       /* a whole request; req->consumed bytes */
    RESP_INCOMPLETE = 1, /* call again with the same bytes and more */
    RESP_ERROR = 2,      /* req->error is the reply text (no '-', no CRLF) */
};

struct resp_request {
    /* Result: argc spans into the buffer. argc may be 0 (an empty inline
     * line or "*0"): nothing to execute, no reply. */
    struct resp_span *argv;
    size_t argc;
    size_t argv_cap;
    size_t consumed;
    const char *error;
    /* Resume state. */
    long long multibulk; /* declared count; -1 until read; 0 for inline */
    long long bulklen;   /* current argument's length; -1 until read */
    size_t pos;          /* bytes of the request parsed so far */
    int is_inline;
    /* Bytes the caller should have buffered before calling again (a big
     * bulk whose header was read); lets the reader size one allocation. */
    size_t want;
    char errbuf[48];
};

void resp_request_init(struct resp_request *r);
/* Resets the resume state for the next request; keeps the span array. */
void resp_request_reset(struct resp_request *r);
void resp_request_free(struct resp_request *r);

/* Parses (buf, len), which starts at the request's first byte. Inline
 * arguments are unescaped in place, hence the non-const buffer. */
enum resp_status resp_parse(struct resp_request *r, char *buf, size_t len,
                            const struct resp_limits *lim);

/* Splits a line into arguments like redis.conf and inline commands do:
 * whitespace separated, "double quoted" with \n \r \t \b \a \\ \" \xHH
 * escapes, 'single quoted' with \'. Unescapes in place; stores up to
 * max spans. Returns the number of arguments, or -1 on unbalanced quotes
 * (or a closing quote not followed by a space). */
long resp_split_args(char *line, size_t len, struct resp_span *spans, size_t max);

#endif

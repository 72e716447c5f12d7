/* textbuf.c - the growing text buffer. */
#include "base/textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"

void textbuf_init(struct textbuf *b, size_t cap)
{
    b->cap = cap ? cap : 64;
    b->len = 0;
    b->p = mem_alloc(b->cap);
    b->p[0] = '\0';
}

static void textbuf__room(struct textbuf *b, size_t more)
{
    if (b->len + more < b->cap) return;
    b->cap = b->cap * 2 + more + 256;
    b->p = mem_realloc(b->p, b->cap);
}

void textbuf_vprintf(struct textbuf *b, const char *fmt, va_list ap)
{
    for (;;) {
        va_list copy;
        va_copy(copy, ap);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, copy);
        va_end(copy);
        if (n < 0) return;
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        textbuf__room(b, (size_t)n);
    }
}

void textbuf_printf(struct textbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    textbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

void textbuf_append(struct textbuf *b, const char *s, size_t len)
{
    textbuf__room(b, len);
    memcpy(b->p + b->len, s, len);
    b->len += len;
    b->p[b->len] = '\0';
}

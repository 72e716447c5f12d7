/* textbuf.h - a growing text buffer for replies built piece by piece
 * (INFO's sections, the /metrics text): printf-style appends that grow
 * it, always NUL-terminated. */
#ifndef RESPITE_TEXTBUF_H
#define RESPITE_TEXTBUF_H

#include <stdarg.h>
#include <stddef.h>

struct textbuf {
    char *p; /* mem_alloc'd; the caller owns it (mem_free) */
    size_t len, cap;
};

/* An empty buffer with room for cap bytes. */
void textbuf_init(struct textbuf *b, size_t cap);
void textbuf_printf(struct textbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void textbuf_vprintf(struct textbuf *b, const char *fmt, va_list ap);
void textbuf_append(struct textbuf *b, const char *s, size_t len);

#endif

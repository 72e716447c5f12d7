/* notify.h - keyspace notifications (notify-keyspace-events): events about
 * keys published on __keyspace@<db>__:<key> and __keyevent@<db>__:<event>. */
#ifndef RESPITE_NOTIFY_H
#define RESPITE_NOTIFY_H

#include <stddef.h>
#include <stdio.h>

/* Event classes, Redis's flag letters. */
#define NOTIFY_KEYSPACE (1 << 0)  /* K */
#define NOTIFY_KEYEVENT (1 << 1)  /* E */
#define NOTIFY_GENERIC  (1 << 2)  /* g */
#define NOTIFY_STRING   (1 << 3)  /* $ */
#define NOTIFY_LIST     (1 << 4)  /* l */
#define NOTIFY_SET      (1 << 5)  /* s */
#define NOTIFY_HASH     (1 << 6)  /* h */
#define NOTIFY_ZSET     (1 << 7)  /* z */
#define NOTIFY_EXPIRED  (1 << 8)  /* x */
#define NOTIFY_EVICTED  (1 << 9)  /* e */
#define NOTIFY_STREAM   (1 << 10) /* t */
#define NOTIFY_KEY_MISS (1 << 11) /* m */
#define NOTIFY_MODULE   (1 << 12) /* d */
#define NOTIFY_NEW      (1 << 13) /* n */
#define NOTIFY_ALL                                                                                 \
    (NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET |       \
     NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE) /* A */

/* "KEA" -> flags; -1 on an unknown letter. (Inline: config.c parses the
 * directive without linking the publishing side.) */
static inline int notify_parse_flags(const char *s)
{
    int flags = 0;
    for (; *s; s++) {
        switch (*s) {
        case 'A': flags |= NOTIFY_ALL; break;
        case 'g': flags |= NOTIFY_GENERIC; break;
        case '$': flags |= NOTIFY_STRING; break;
        case 'l': flags |= NOTIFY_LIST; break;
        case 's': flags |= NOTIFY_SET; break;
        case 'h': flags |= NOTIFY_HASH; break;
        case 'z': flags |= NOTIFY_ZSET; break;
        case 'x': flags |= NOTIFY_EXPIRED; break;
        case 'e': flags |= NOTIFY_EVICTED; break;
        case 'K': flags |= NOTIFY_KEYSPACE; break;
        case 'E': flags |= NOTIFY_KEYEVENT; break;
        case 't': flags |= NOTIFY_STREAM; break;
        case 'm': flags |= NOTIFY_KEY_MISS; break;
        case 'd': flags |= NOTIFY_MODULE; break;
        case 'n': flags |= NOTIFY_NEW; break;
        default: return -1;
        }
    }
    return flags;
}

/* flags -> the letters CONFIG GET shows, in Redis's order: A (or its
 * letters), then m, n, K, E. */
static inline void notify_format_flags(int flags, char *buf, size_t cap)
{
    size_t n = 0;
    char tmp[32];
    if ((flags & NOTIFY_ALL) == NOTIFY_ALL) {
        tmp[n++] = 'A';
    } else {
        static const struct {
            int flag;
            char c;
        } letters[] = {{NOTIFY_GENERIC, 'g'}, {NOTIFY_STRING, '$'},  {NOTIFY_LIST, 'l'},
                       {NOTIFY_SET, 's'},     {NOTIFY_HASH, 'h'},    {NOTIFY_ZSET, 'z'},
                       {NOTIFY_EXPIRED, 'x'}, {NOTIFY_EVICTED, 'e'}, {NOTIFY_STREAM, 't'},
                       {NOTIFY_MODULE, 'd'}};
        for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
            if (flags & letters[i].flag) tmp[n++] = letters[i].c;
    }
    if (flags & NOTIFY_KEY_MISS) tmp[n++] = 'm';
    if (flags & NOTIFY_NEW) tmp[n++] = 'n';
    if (flags & NOTIFY_KEYSPACE) tmp[n++] = 'K';
    if (flags & NOTIFY_KEYEVENT) tmp[n++] = 'E';
    tmp[n] = '\0';
    snprintf(buf, cap, "%s", tmp);
}

/* Publishes an event of class `type` about key in database dbid, if the
 * configured flags ask for it. Cheap when notifications are off. */
void notify_event(int type, const char *event, int dbid, const char *key, size_t klen);

#endif

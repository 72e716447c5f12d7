/* notify.c - keyspace notifications. */
#include "services/notify.h"

#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "base/mem.h"
#include "services/pubsub.h"
#include "storage/db.h"

void notify_setup(void)
{
    db_set_event_hook(notify_event);
}

void notify_event(int type, const char *event, int dbid, const char *key, size_t klen)
{
    int flags = CFG(notify_flags);
    if (!(flags & type) || !(flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT))) return;
    char stack[256];
    size_t elen = strlen(event);
    size_t cap = 64 + klen + elen;
    char *chan = cap <= sizeof(stack) ? stack : mem_alloc(cap);
    if (flags & NOTIFY_KEYSPACE) {
        int n = snprintf(chan, cap, "__keyspace@%d__:", dbid);
        memcpy(chan + n, key, klen);
        pubsub_publish(chan, (size_t)n + klen, event, elen);
    }
    if (flags & NOTIFY_KEYEVENT) {
        int n = snprintf(chan, cap, "__keyevent@%d__:%s", dbid, event);
        pubsub_publish(chan, (size_t)n, key, klen);
    }
    if (chan != stack) mem_free(chan);
}

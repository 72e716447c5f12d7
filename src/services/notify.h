/* notify.h - keyspace notifications (notify-keyspace-events): events about
 * keys published on __keyspace@<db>__:<key> and __keyevent@<db>__:<event>.
 * The event classes (NOTIFY_*) and the directive are config.h's. */
#ifndef RESPITE_NOTIFY_H
#define RESPITE_NOTIFY_H

#include <stddef.h>

/* Registers with storage: expired and evicted keys raise events. */
void notify_setup(void);

/* Publishes an event of class `type` about key in database dbid, if the
 * configured flags ask for it. Cheap when notifications are off. */
void notify_event(int type, const char *event, int dbid, const char *key, size_t klen);

#endif

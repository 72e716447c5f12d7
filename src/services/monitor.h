/* monitor.h - MONITOR: every command any client runs, as a line to each
 * client that asked, Redis's format:
 *
 *   +1733245200.123456 [0 127.0.0.1:51234] "set" "key" "value"
 *
 * (db and peer address, or "[0 lua]" for a script's commands). Lines go to
 * the monitors through client_push, so a command on one event-loop thread
 * reaches a monitor on another in order. */
#ifndef RESPITE_MONITOR_H
#define RESPITE_MONITOR_H

#include <stddef.h>

struct client;
struct arg;

/* Registers with the call path and the client module. */
void monitor_setup(void);
/* MONITOR: c receives every later command; 0, or -1 if it already does. */
int monitor_add(struct client *c);
/* Sends a command (its arguments as run, by client c, in database dbid)
 * to the monitors; script: one of a script's commands. Cheap with none. */
void monitor_feed(struct client *c, int dbid, const struct arg *argv, size_t argc, int script);

#endif

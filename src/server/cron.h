/* cron.h - the main thread's periodic work: active expiry in short
 * slices, incremental rehashing, freeing flushed databases, eviction left
 * over by commands, sampling the instantaneous rates. */
#ifndef RESPITE_CRON_H
#define RESPITE_CRON_H

#include <uv.h>

/* Starts the timers on the main loop (closed with the loop's handles). */
void cron_start(uv_loop_t *loop);

#endif

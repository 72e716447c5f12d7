/* expire.h - active expiry: reclaims keys whose TTL passed even if nobody
 * reads them again (lazy expiry on access is in db.c). */
#ifndef RESPITE_EXPIRE_H
#define RESPITE_EXPIRE_H

#include <stdint.h>

/* One slow cycle, run by the cron hz times a second: may use up to 25% of
 * the 1/hz period (more with effort, 1..10, as active-expire-effort).
 * Returns 1 if it stopped on its time budget with expired keys likely
 * left. */
int expire_cycle(long long now_ms, int hz, int effort);

#endif

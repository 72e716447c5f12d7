/* expire.h - active expiry: reclaims keys whose TTL passed even if nobody
 * reads them again (lazy expiry on access is in db.c). */
#ifndef RESPITE_EXPIRE_H
#define RESPITE_EXPIRE_H

#include <stdint.h>

/* Per-database sweep positions (startup / shutdown). */
void expire_setup(int databases);
void expire_teardown(void);

/* One slice of active expiry: sweeps shards holding keys with a TTL for
 * at most budget_us, resuming where the last slice stopped. effort (1..10,
 * active-expire-effort) lowers the share of stale keys it tolerates before
 * moving on. Returns 1 if it stopped on its budget with expired keys
 * likely left, so the caller should run another slice soon. */
int expire_cycle(long long now_ms, uint64_t budget_us, int effort);

/* How the server paces slices: while keys keep expiring it runs a slice
 * of EXPIRE_SLICE_US every EXPIRE_SLICE_US + EXPIRE_GAP_US (25% of one
 * core, Redis's share for active expiry, raised 2 points per effort level)
 * so clients wait at most one short slice; otherwise once per cron tick. */
#define EXPIRE_SLICE_US 1000
uint64_t expire_gap_us(int effort);

#endif

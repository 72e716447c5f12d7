/* metrics.h - INFO as Prometheus metrics, under the names and labels
 * redis_exporter (oliver006/redis_exporter) gives them, so dashboards and
 * scrape configs written for Redis work unchanged against the /metrics
 * endpoint (server/http.c); plus respite's own, named respite_*. */
#ifndef RESPITE_METRICS_H
#define RESPITE_METRICS_H

#include <stddef.h>

/* The Prometheus text exposition (format 0.0.4) of an INFO text (every
 * section: "INFO everything"), with databases empty ones included as
 * zeros and now the unix time in seconds (for redis_start_time_seconds).
 * Caller frees with mem_free; *len is its length. */
char *metrics_from_info(const char *info, size_t info_len, int databases, long long now,
                        size_t *len);

#endif

/* http.h - the HTTP endpoints for orchestrators and monitoring, on their
 * own port (http-port; 0, the default, turns them off):
 *   GET /healthz  200 while the process serves its event loop (liveness)
 *   GET /readyz   200 once the listeners are open (and, when snapshots
 *                 come, not loading), 503 before (readiness)
 *   GET /metrics  Prometheus text: INFO under redis_exporter's names
 *                 (server/metrics.c)
 * Requests are parsed by Debian's http-parser (libhttp-parser) on the main
 * event loop; one request per connection, then the connection closes. */
#ifndef RESPITE_HTTP_H
#define RESPITE_HTTP_H

#include <uv.h>

/* Listens on http-port (on the first bind address) when it is not 0.
 * Returns 0, or -1 after logging why. */
int http_setup(uv_loop_t *loop);
/* Readiness as /readyz reports it: 1 once serving. */
void http_set_ready(int ready);
/* Closes the listener and the open connections (shutdown). */
void http_teardown(void);

#endif

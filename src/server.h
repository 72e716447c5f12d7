/* server.h - process-level facts other modules ask for: version, start
 * time, the config file path, and the shutdown request. */
#ifndef RESPITE_SERVER_H
#define RESPITE_SERVER_H

#define RESPITE_VERSION      "0.1.0"
#define REDIS_COMPAT_VERSION "7.4.0"

/* Stops the event loop after the current command; main then exits 0. */
void server_request_shutdown(void);
const char *server_config_file(void);
const char *server_executable(void);
const char *server_run_id(void);
/* used_memory when the server became ready (MEMORY STATS startup). */
unsigned long long server_startup_memory(void);
/* Peak of used_memory, updated by the cron and by INFO. */
unsigned long long server_memory_peak(void);
void server_note_memory(unsigned long long used);

#endif

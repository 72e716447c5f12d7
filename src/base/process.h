/* process.h - facts about this server process that any layer may ask for:
 * its run id, executable and config file paths, the memory it used when it
 * became ready and its peak since; and the request to shut it down.
 * server.c fills them in at startup. */
#ifndef RESPITE_PROCESS_H
#define RESPITE_PROCESS_H

/* Resolves the paths (config_path may be NULL or "-": stdin) and draws
 * the run id. Call once, first thing in main. */
void process_setup(const char *config_path, const char *argv0);
const char *process_config_file(void);
const char *process_executable(void);
/* 40 hex digits, new at every start (INFO run_id). */
const char *process_run_id(void);

/* used_memory when the server became ready (MEMORY STATS startup). */
void process_set_startup_memory(unsigned long long used);
unsigned long long process_startup_memory(void);
/* Peak of used_memory: raised by the cron, INFO and MEMORY STATS with the
 * figure they read (any thread). */
void process_note_memory(unsigned long long used);
unsigned long long process_memory_peak(void);

/* Stops the event loops after the current command; main then exits 0.
 * From any thread. */
void process_request_shutdown(void);

#endif

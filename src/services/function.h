/* function.h - Redis 7 functions: libraries of Lua functions loaded with
 * FUNCTION LOAD ("#!lua name=<library>" and redis.register_function),
 * called with FCALL and FCALL_RO.
 *
 * The libraries live in a Lua interpreter of their own (script_lua.c's
 * sandbox plus redis.register_function), apart from EVAL's, so SCRIPT
 * FLUSH and FUNCTION FLUSH leave each other alone. A function runs through
 * script.c like an EVAL script: the script lock, the same atomicity, BUSY,
 * SCRIPT/FUNCTION KILL and OOM rules, with its registered flags in the
 * place of a shebang's (a function is never in pre-7 compatibility
 * mode). The libraries change only under the script lock (the commands
 * take it) and a mutex of their own, which the call path takes alone to
 * read FCALL's flags. FUNCTION DUMP and RESTORE move libraries as Redis's
 * payload (base/dump.h). */
#ifndef RESPITE_FUNCTION_H
#define RESPITE_FUNCTION_H

#include <stddef.h>

struct client;

/* Registers FCALL's flags with the call path; frees everything at
 * shutdown. */
void function_setup(void);
void function_teardown(void);

/* The commands, each replying to c (caller holds the script lock, but
 * STATS and KILL, which run while a function is busy). */
void function_fcall(struct client *c, int readonly);
void function_load(struct client *c);
void function_list(struct client *c);
void function_delete(struct client *c);
void function_flush(struct client *c);
void function_stats(struct client *c);
void function_dump(struct client *c);
void function_restore(struct client *c);

/* INFO memory: the functions interpreter's heap is part of
 * used_memory_lua; the libraries' bookkeeping and code. */
size_t function_memory(void);
size_t function_count(void);
size_t function_libraries(void);

#endif

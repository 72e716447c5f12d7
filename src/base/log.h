/* log.h - the server log, in redis-server's line format. */
#ifndef RESPITE_LOG_H
#define RESPITE_LOG_H

/* Writes "pid:M dd Mon yyyy hh:mm:ss.mmm <mark> message" to the logfile
 * (stdout when empty) if level >= the configured loglevel. */
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

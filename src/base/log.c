/* log.c - log lines in redis-server's format. */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"

void log_msg(int level, const char *fmt, ...)
{
    static const char marks[] = ".-*#";
    if (level < CFG(loglevel) || level >= LL_NOTHING) return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);

    FILE *f = stdout;
    int to_file = cfg.logfile != NULL && cfg.logfile[0] != '\0';
    if (to_file && (f = fopen(cfg.logfile, "a")) == NULL) return;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    char ts[64];
    size_t n = strftime(ts, sizeof(ts), "%d %b %Y %H:%M:%S.", &tm);
    snprintf(ts + n, sizeof(ts) - n, "%03d", (int)(tv.tv_usec / 1000));
    fprintf(f, "%d:M %s %c %s\n", (int)getpid(), ts, marks[level], msg);
    fflush(f);
    if (to_file) fclose(f);
}

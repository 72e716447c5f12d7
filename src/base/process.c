/* process.c - facts about the server process and the shutdown request. */
#include "base/process.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/worker.h"

static char process__config_file[PATH_MAX];
static char process__executable[PATH_MAX];
static char process__run_id[41];
static unsigned long long process__startup_memory;
static unsigned long long process__peak; /* relaxed atomic: any thread */

void process_setup(const char *config_path, const char *argv0)
{
    if (config_path && strcmp(config_path, "-") != 0 &&
        realpath(config_path, process__config_file) == NULL)
        snprintf(process__config_file, sizeof(process__config_file), "%s", config_path);
    if (realpath("/proc/self/exe", process__executable) == NULL)
        snprintf(process__executable, sizeof(process__executable), "%s", argv0);
    uint8_t rid[20];
    util_random_bytes(rid, sizeof(rid));
    for (int i = 0; i < 20; i++) snprintf(process__run_id + 2 * i, 3, "%02x", rid[i]);
}

const char *process_config_file(void)
{
    return process__config_file;
}

const char *process_executable(void)
{
    return process__executable;
}

const char *process_run_id(void)
{
    return process__run_id;
}

void process_set_startup_memory(unsigned long long used)
{
    process__startup_memory = used;
}

unsigned long long process_startup_memory(void)
{
    return process__startup_memory;
}

unsigned long long process_memory_peak(void)
{
    return __atomic_load_n(&process__peak, __ATOMIC_RELAXED);
}

void process_note_memory(unsigned long long used)
{
    /* Any thread may report (INFO); keep the maximum with a CAS loop. */
    unsigned long long peak = __atomic_load_n(&process__peak, __ATOMIC_RELAXED);
    while (used > peak && !__atomic_compare_exchange_n(&process__peak, &peak, used, 1,
                                                       __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
    }
}

void process_request_shutdown(void)
{
    worker_request_stop();
}

/* cgroup.c - memory and CPU limits from the process's control groups
 * (v1, v2 and the hybrid layout, where v1 holds the controllers and the
 * v2 hierarchy only the processes). */
#include "base/cgroup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CG_PATH 1024
/* v1 writes "unlimited" as the largest page-aligned long long. */
#define CG_V1_UNLIMITED (1LL << 62)

/* Whether comma-separated list has item. */
static int cg__has(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, item, n) == 0) return 1;
        if (!end) break;
        p = end + 1;
    }
    return 0;
}

/* The process's group in the hierarchy of controller (v1), or in the v2
 * hierarchy when controller is NULL, from proc_cgroup's
 * "id:controllers:path" lines. */
static int cg__group(const char *proc_cgroup, const char *controller, char *out, size_t cap)
{
    FILE *f = fopen(proc_cgroup, "r");
    if (f == NULL) return -1;
    char line[CG_PATH + 256];
    int found = -1;
    while (found < 0 && fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        char *c1 = strchr(line, ':');
        char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (c2 == NULL) continue;
        *c1 = *c2 = '\0';
        const char *controllers = c1 + 1, *path = c2 + 1;
        int match = controller ? cg__has(controllers, controller)
                               : strcmp(line, "0") == 0 && controllers[0] == '\0';
        if (match && strlen(path) < cap) {
            memcpy(out, path, strlen(path) + 1);
            found = 0;
        }
    }
    fclose(f);
    return found;
}

/* Where the hierarchy is mounted (mnt) and which of its groups the mount
 * shows (mroot), from mountinfo: fstype cgroup with controller among its
 * options, or cgroup2 when controller is NULL. */
static int cg__mount(const char *mountinfo, const char *controller, char *mroot, char *mnt,
                     size_t cap)
{
    FILE *f = fopen(mountinfo, "r");
    if (f == NULL) return -1;
    char line[4 * CG_PATH];
    int found = -1;
    while (found < 0 && fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        /* id parent dev root mountpoint options [optional...] - type source superopts */
        char *tok[32];
        int n = 0, dash = -1;
        char *save = NULL;
        for (char *t = strtok_r(line, " ", &save); t && n < 32; t = strtok_r(NULL, " ", &save)) {
            if (dash < 0 && n >= 6 && strcmp(t, "-") == 0) dash = n;
            tok[n++] = t;
        }
        if (dash < 0 || dash + 3 >= n) continue;
        const char *type = tok[dash + 1], *super = tok[dash + 3];
        int match = controller ? strcmp(type, "cgroup") == 0 && cg__has(super, controller)
                               : strcmp(type, "cgroup2") == 0;
        if (match && strlen(tok[3]) < cap && strlen(tok[4]) < cap) {
            memcpy(mroot, tok[3], strlen(tok[3]) + 1);
            memcpy(mnt, tok[4], strlen(tok[4]) + 1);
            found = 0;
        }
    }
    fclose(f);
    return found;
}

/* The group's directory (dir) and its mount point (top), both under root:
 * the mount point plus the group's path below the mount's root. A group
 * outside what the mount shows (a container seeing its own group as /)
 * is the mount point itself. */
static int cg__dir(const char *proc_cgroup, const char *mountinfo, const char *root,
                   const char *controller, char *dir, char *top)
{
    char group[CG_PATH], mroot[CG_PATH], mnt[CG_PATH];
    if (cg__group(proc_cgroup, controller, group, sizeof(group)) != 0 ||
        cg__mount(mountinfo, controller, mroot, mnt, sizeof(mnt)) != 0)
        return -1;
    const char *rel = "";
    size_t rl = strlen(mroot);
    if (strcmp(mroot, "/") == 0)
        rel = group;
    else if (strncmp(group, mroot, rl) == 0 && (group[rl] == '/' || group[rl] == '\0'))
        rel = group + rl;
    if (strcmp(rel, "/") == 0) rel = "";
    snprintf(top, CG_PATH, "%s%s", root, mnt);
    int n = snprintf(dir, CG_PATH, "%s%s", top, rel);
    return n > 0 && n < CG_PATH ? 0 : -1;
}

/* The first line of dir/name, or -1. */
static int cg__read(const char *dir, const char *name, char *out, size_t cap)
{
    char path[CG_PATH + 64];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (f == NULL) return -1;
    int ok = fgets(out, (int)cap, f) != NULL;
    fclose(f);
    if (!ok) return -1;
    out[strcspn(out, "\n")] = '\0';
    return 0;
}

/* A limit in one directory: bytes, or CPUs scaled by 1e6; -1 for none. */
typedef long long cg_read_fn(const char *dir);

/* The smallest limit from dir up to top (the mount point), or -1. */
static long long cg__walk(char *dir, const char *top, cg_read_fn *read)
{
    long long best = -1;
    size_t toplen = strlen(top);
    for (;;) {
        long long v = read(dir);
        if (v >= 0 && (best < 0 || v < best)) best = v;
        if (strlen(dir) <= toplen) break;
        char *slash = strrchr(dir, '/');
        if (slash == NULL || (size_t)(slash - dir) < toplen) break;
        *slash = '\0';
    }
    return best;
}

static long long cg__mem_v2(const char *dir)
{
    char buf[64];
    if (cg__read(dir, "memory.max", buf, sizeof(buf)) != 0 || strcmp(buf, "max") == 0) return -1;
    char *end;
    long long v = strtoll(buf, &end, 10);
    return end != buf && v >= 0 ? v : -1;
}

static long long cg__mem_v1(const char *dir)
{
    char buf[64];
    if (cg__read(dir, "memory.limit_in_bytes", buf, sizeof(buf)) != 0) return -1;
    char *end;
    long long v = strtoll(buf, &end, 10);
    return end != buf && v >= 0 && v < CG_V1_UNLIMITED ? v : -1;
}

static long long cg__cpu_v2(const char *dir)
{
    char buf[64], quota[32];
    long long period = 0;
    if (cg__read(dir, "cpu.max", buf, sizeof(buf)) != 0) return -1;
    if (sscanf(buf, "%31s %lld", quota, &period) != 2 || strcmp(quota, "max") == 0 || period <= 0)
        return -1;
    long long q = atoll(quota);
    return q > 0 ? q * 1000000 / period : -1;
}

static long long cg__cpu_v1(const char *dir)
{
    char q[32], p[32];
    if (cg__read(dir, "cpu.cfs_quota_us", q, sizeof(q)) != 0 ||
        cg__read(dir, "cpu.cfs_period_us", p, sizeof(p)) != 0)
        return -1;
    long long quota = atoll(q), period = atoll(p);
    return quota > 0 && period > 0 ? quota * 1000000 / period : -1;
}

/* The smallest of the v2 limit and the v1 one (controller's hierarchy). */
static long long cg__limit(const char *proc_cgroup, const char *mountinfo, const char *root,
                           const char *controller, cg_read_fn *v2, cg_read_fn *v1)
{
    char dir[CG_PATH], top[CG_PATH];
    long long best = -1;
    if (cg__dir(proc_cgroup, mountinfo, root, NULL, dir, top) == 0) best = cg__walk(dir, top, v2);
    if (cg__dir(proc_cgroup, mountinfo, root, controller, dir, top) == 0) {
        long long v = cg__walk(dir, top, v1);
        if (v >= 0 && (best < 0 || v < best)) best = v;
    }
    return best;
}

long long cgroup_memory_limit_at(const char *proc_cgroup, const char *mountinfo, const char *root)
{
    return cg__limit(proc_cgroup, mountinfo, root, "memory", cg__mem_v2, cg__mem_v1);
}

double cgroup_cpu_quota_at(const char *proc_cgroup, const char *mountinfo, const char *root)
{
    long long v = cg__limit(proc_cgroup, mountinfo, root, "cpu", cg__cpu_v2, cg__cpu_v1);
    return v < 0 ? -1 : (double)v / 1e6;
}

long long cgroup_memory_limit(void)
{
    return cgroup_memory_limit_at("/proc/self/cgroup", "/proc/self/mountinfo", "");
}

double cgroup_cpu_quota(void)
{
    return cgroup_cpu_quota_at("/proc/self/cgroup", "/proc/self/mountinfo", "");
}

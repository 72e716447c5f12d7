/* cgroup.h - the limits a container (or any control group) puts on this
 * process: memory (cgroup v2 memory.max, v1 memory.limit_in_bytes) and CPU
 * (v2 cpu.max, v1 cpu.cfs_quota_us / cpu.cfs_period_us).
 *
 * The group is found the way the kernel publishes it, not guessed:
 * /proc/self/cgroup names the process's group in each hierarchy and
 * /proc/self/mountinfo where each hierarchy is mounted (and which part of
 * it: inside a container, the mount's root is the container's own group).
 * A limit is the smallest one on the path from the group up to the mount,
 * since a parent's limit binds its children too. */
#ifndef RESPITE_CGROUP_H
#define RESPITE_CGROUP_H

/* The memory limit in bytes, or -1 when there is none ("max", or a v1
 * value so large it means unlimited). */
long long cgroup_memory_limit(void);
/* The CPU quota in CPUs (1.5 for 150 ms per 100 ms), or -1 for none. */
double cgroup_cpu_quota(void);

/* The same, read from the given files and under root instead of / (for
 * tests: a fake /proc and /sys tree). proc_cgroup and mountinfo are the
 * paths of the files standing for /proc/self/cgroup and mountinfo; the
 * mount points named in mountinfo are looked up under root. */
long long cgroup_memory_limit_at(const char *proc_cgroup, const char *mountinfo, const char *root);
double cgroup_cpu_quota_at(const char *proc_cgroup, const char *mountinfo, const char *root);

#endif

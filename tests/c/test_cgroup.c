/* test_cgroup.c - memory and CPU limits read from fake /proc and /sys
 * trees laid out as the kernel does in each case respite meets: a
 * container with its own cgroup v2 namespace, a v2 host path whose parent
 * holds the limit, the hybrid layout (v1 controllers, an empty v2
 * hierarchy) of this project's CI machines, a v1 container whose mount
 * shows only its own group, and no limit at all. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/cgroup.h"
#include "test.h"

static char root[256];

/* Writes text to root/path, making the directories on the way. */
static void put(const char *path, const char *text)
{
    char full[512];
    snprintf(full, sizeof(full), "%s%s", root, path);
    for (char *p = full + strlen(root) + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        mkdir(full, 0755);
        *p = '/';
    }
    FILE *f = fopen(full, "w");
    ASSERT(f != NULL);
    fputs(text, f);
    fclose(f);
}

static void fresh_root(const char *name)
{
    snprintf(root, sizeof(root), "%s/respite-cgroup-test-%d-%s",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid(), name);
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    ASSERT(system(cmd) == 0);
    ASSERT(mkdir(root, 0755) == 0);
}

static void drop_root(void)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    ASSERT(system(cmd) == 0);
}

static long long mem(void)
{
    char pc[512], mi[512];
    snprintf(pc, sizeof(pc), "%s/proc/self/cgroup", root);
    snprintf(mi, sizeof(mi), "%s/proc/self/mountinfo", root);
    return cgroup_memory_limit_at(pc, mi, root);
}

static double cpu(void)
{
    char pc[512], mi[512];
    snprintf(pc, sizeof(pc), "%s/proc/self/cgroup", root);
    snprintf(mi, sizeof(mi), "%s/proc/self/mountinfo", root);
    return cgroup_cpu_quota_at(pc, mi, root);
}

/* podman/docker with a cgroup namespace on a v2 host: the group is "/",
 * the mount shows it as the hierarchy's root. */
TEST(v2_container_namespace)
{
    fresh_root("v2ns");
    put("/proc/self/cgroup", "0::/\n");
    put("/proc/self/mountinfo",
        "22 28 0:21 / /proc rw,nosuid - proc proc rw\n"
        "25 28 0:24 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw\n");
    put("/sys/fs/cgroup/memory.max", "268435456\n");
    put("/sys/fs/cgroup/cpu.max", "150000 100000\n");
    ASSERT_INT_EQ(mem(), 268435456LL);
    ASSERT(cpu() > 1.49 && cpu() < 1.51);
    drop_root();
}

/* A v2 host path: the app's own group says max, its parent 1 GB, and the
 * parent's limit binds. cpu.max "max" is no quota. */
TEST(v2_parent_limit_binds)
{
    fresh_root("v2host");
    put("/proc/self/cgroup", "0::/app.slice/cache.service\n");
    put("/proc/self/mountinfo",
        "35 24 0:30 / /sys/fs/cgroup rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate\n");
    put("/sys/fs/cgroup/app.slice/cache.service/memory.max", "max\n");
    put("/sys/fs/cgroup/app.slice/memory.max", "1073741824\n");
    put("/sys/fs/cgroup/app.slice/cache.service/cpu.max", "max 100000\n");
    ASSERT_INT_EQ(mem(), 1073741824LL);
    ASSERT(cpu() < 0);
    drop_root();
}

/* The hybrid layout: v1 memory and cpu,cpuacct hierarchies mounted at
 * the whole tree's root, an empty unified hierarchy; the group's limit is
 * below the root's "unlimited". */
TEST(v1_hybrid_host)
{
    fresh_root("hybrid");
    put("/proc/self/cgroup",
        "9:name=systemd:/\n4:memory:/process_api/abc\n2:cpu,cpuacct:/process_api/abc\n0::/\n");
    put("/proc/self/mountinfo",
        "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
        "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
        "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
        "39 30 0:36 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n");
    put("/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
    put("/sys/fs/cgroup/memory/process_api/abc/memory.limit_in_bytes", "268435456\n");
    put("/sys/fs/cgroup/cpu,cpuacct/process_api/abc/cpu.cfs_quota_us", "200000\n");
    put("/sys/fs/cgroup/cpu,cpuacct/process_api/abc/cpu.cfs_period_us", "100000\n");
    put("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
    put("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
    ASSERT_INT_EQ(mem(), 268435456LL);
    ASSERT(cpu() > 1.99 && cpu() < 2.01);
    drop_root();
}

/* A v1 container: /proc/self/cgroup names the group as the host sees it,
 * and the mount shows only that group (its root is the group's path). */
TEST(v1_container_mount_root)
{
    fresh_root("v1ct");
    put("/proc/self/cgroup", "5:memory:/machine/libpod-1234\n3:cpu,cpuacct:/machine/libpod-1234\n");
    put("/proc/self/mountinfo",
        "700 690 0:40 /machine/libpod-1234 /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup "
        "rw,memory\n"
        "701 690 0:41 /machine/libpod-1234 /sys/fs/cgroup/cpu,cpuacct ro,nosuid - cgroup cgroup "
        "rw,cpu,cpuacct\n");
    put("/sys/fs/cgroup/memory/memory.limit_in_bytes", "536870912\n");
    put("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
    put("/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
    ASSERT_INT_EQ(mem(), 536870912LL);
    ASSERT(cpu() < 0);
    drop_root();
}

/* No limits anywhere, and no files at all: -1, never a made-up figure. */
TEST(no_limits)
{
    fresh_root("none");
    put("/proc/self/cgroup", "0::/user.slice\n");
    put("/proc/self/mountinfo", "35 24 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
    put("/sys/fs/cgroup/user.slice/memory.max", "max\n");
    ASSERT_INT_EQ(mem(), -1);
    ASSERT(cpu() < 0);
    drop_root();
    fresh_root("empty");
    ASSERT_INT_EQ(mem(), -1);
    ASSERT(cpu() < 0);
    put("/proc/self/cgroup", "garbage without colons\n4:memory:\n");
    put("/proc/self/mountinfo", "short line\n1 2 3 - cgroup\n");
    ASSERT_INT_EQ(mem(), -1);
    drop_root();
}

int main(void)
{
    RUN(v2_container_namespace);
    RUN(v2_parent_limit_binds);
    RUN(v1_hybrid_host);
    RUN(v1_container_mount_root);
    RUN(no_limits);
    TEST_DONE();
}

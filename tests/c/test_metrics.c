/* test_metrics.c - INFO text to Prometheus text (server/metrics.c): the
 * names and types redis_exporter gives, labelled families kept together,
 * label values escaped, empty databases as zeros, ok/err as 1/0, and
 * fields it does not know (or that are not numbers) left out. */
#include <stdlib.h>

#include "base/mem.h"
#include "server/metrics.h"
#include "test.h"

static char *out;

static void convert(const char *info, int databases)
{
    size_t len;
    mem_free(out);
    out = metrics_from_info(info, strlen(info), databases, 1000000, &len);
    ASSERT_INT_EQ(strlen(out), len);
}

static int has(const char *line)
{
    size_t n = strlen(line);
    for (const char *p = out; (p = strstr(p, line)) != NULL; p++)
        if ((p == out || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0')) return 1;
    return 0;
}

TEST(gauges_counters_and_names)
{
    convert("# Server\r\nredis_version:7.4.0\r\nprocess_id:42\r\nuptime_in_seconds:100\r\n"
            "tcp_port:6379\r\n\r\n# Stats\r\nkeyspace_hits:7\r\nkeyspace_misses:3\r\n"
            "evicted_keys:0\r\ninstantaneous_ops_per_sec:12\r\n"
            "# Memory\r\nused_memory:1048576\r\nmaxmemory_policy:allkeys-lru\r\n"
            "mem_fragmentation_ratio:1.25\r\nused_memory_human:1.00M\r\n",
            1);
    ASSERT(has("redis_up 1"));
    ASSERT(has("# TYPE redis_keyspace_hits_total counter"));
    ASSERT(has("redis_keyspace_hits_total 7"));
    ASSERT(has("redis_keyspace_misses_total 3"));
    ASSERT(has("# HELP redis_memory_used_bytes memory_used_bytes metric"));
    ASSERT(has("# TYPE redis_memory_used_bytes gauge"));
    ASSERT(has("redis_memory_used_bytes 1048576"));
    ASSERT(has("redis_mem_fragmentation_ratio 1.25"));
    ASSERT(has("redis_process_id 42"));
    /* Started 100 s before "now" (1000000). */
    ASSERT(has("redis_start_time_seconds 999900"));
    /* Not in the map, or not a number: not shown. */
    ASSERT(strstr(out, "instantaneous_ops") == NULL);
    ASSERT(strstr(out, "used_memory_human") == NULL);
    ASSERT(has("redis_instance_info{role=\"\",redis_version=\"7.4.0\",redis_build_id=\"\","
               "redis_mode=\"\",os=\"\",maxmemory_policy=\"allkeys-lru\",tcp_port=\"6379\","
               "run_id=\"\",process_id=\"42\",master_replid=\"\"} 1"));
}

TEST(labelled_families_together)
{
    convert("# Commandstats\r\n"
            "cmdstat_get:calls=5,usec=250,usec_per_call=50.00,rejected_calls=1,failed_calls=2\r\n"
            "cmdstat_client|list:calls=1,usec=1000000,usec_per_call=1000000.00,rejected_calls=0,"
            "failed_calls=0\r\n"
            "# Errorstats\r\nerrorstat_ERR:count=4\r\nerrorstat_WRONG\"TYPE:count=1\r\n"
            "# Keyspace\r\ndb0:keys=10,expires=2,avg_ttl=5000,subexpiry=0\r\n"
            "db2:keys=1,expires=0,avg_ttl=0,subexpiry=0\r\n",
            4);
    ASSERT(has("redis_commands_total{cmd=\"get\"} 5"));
    ASSERT(has("redis_commands_total{cmd=\"client|list\"} 1"));
    ASSERT(has("redis_commands_duration_seconds_total{cmd=\"get\"} 0.00025"));
    ASSERT(has("redis_commands_duration_seconds_total{cmd=\"client|list\"} 1"));
    ASSERT(has("redis_commands_rejected_calls_total{cmd=\"get\"} 1"));
    ASSERT(has("redis_commands_failed_calls_total{cmd=\"get\"} 2"));
    ASSERT(has("redis_errors_total{err=\"ERR\"} 4"));
    ASSERT(has("redis_errors_total{err=\"WRONG\\\"TYPE\"} 1"));
    ASSERT(has("redis_db_keys{db=\"db0\"} 10"));
    ASSERT(has("redis_db_keys_expiring{db=\"db0\"} 2"));
    ASSERT(has("redis_db_avg_ttl_seconds{db=\"db0\"} 5"));
    ASSERT(has("redis_db_keys{db=\"db1\"} 0"));
    ASSERT(has("redis_db_keys{db=\"db3\"} 0"));
    /* One HELP and TYPE per family, its samples right after it. */
    const char *head = strstr(out, "# TYPE redis_commands_total counter\n");
    ASSERT(head != NULL);
    ASSERT(strstr(head + 1, "# TYPE redis_commands_total") == NULL);
    const char *first = strstr(out, "redis_db_keys{"),
               *last = strstr(out, "redis_db_keys{db=\"db3\"}");
    ASSERT(first && last && strstr(first, "# TYPE") > last);
}

TEST(status_words_and_odd_input)
{
    convert("rdb_last_bgsave_status:ok\r\nloading:0\r\naof_enabled:err\r\nno colon here\r\n"
            ":empty key\r\nconnected_clients:\r\nused_memory:12abc\r\n",
            0);
    ASSERT(has("redis_loading_dump_file 0"));
    ASSERT(has("redis_aof_enabled 0"));
    ASSERT(strstr(out, "redis_connected_clients") == NULL);
    ASSERT(strstr(out, "redis_memory_used_bytes") == NULL);
    convert("", 0);
    ASSERT(has("redis_up 1"));
}

int main(void)
{
    RUN(gauges_counters_and_names);
    RUN(labelled_families_together);
    RUN(status_words_and_odd_input);
    mem_free(out);
    TEST_DONE();
}

/* commands.h - the commands layer's interface: the command table's
 * registration, and the handlers by family. Each cmd_<family>.c implements
 * its group; commands.c lists them all in the command table. */
#ifndef RESPITE_COMMANDS_H
#define RESPITE_COMMANDS_H

#include <stddef.h>

struct client;

/* Registers the command table with the call path (startup). */
void commands_setup(void);

/* cmd_string.c */
void cmd_get(struct client *c);
void cmd_set(struct client *c);
void cmd_setnx(struct client *c);
void cmd_setex(struct client *c);
void cmd_psetex(struct client *c);
void cmd_getset(struct client *c);
void cmd_getdel(struct client *c);
void cmd_getex(struct client *c);
void cmd_mget(struct client *c);
void cmd_mset(struct client *c);
void cmd_msetnx(struct client *c);
void cmd_append(struct client *c);
void cmd_strlen(struct client *c);
void cmd_incr(struct client *c);
void cmd_decr(struct client *c);
void cmd_incrby(struct client *c);
void cmd_decrby(struct client *c);
void cmd_incrbyfloat(struct client *c);
void cmd_getrange(struct client *c);
void cmd_setrange(struct client *c);
void cmd_lcs(struct client *c);

/* cmd_bitops.c */
void cmd_setbit(struct client *c);
void cmd_getbit(struct client *c);
void cmd_bitcount(struct client *c);
void cmd_bitpos(struct client *c);
void cmd_bitop(struct client *c);
void cmd_bitfield(struct client *c);
void cmd_bitfield_ro(struct client *c);

/* cmd_hash.c */
void cmd_hset(struct client *c);
void cmd_hsetnx(struct client *c);
void cmd_hmset(struct client *c);
void cmd_hget(struct client *c);
void cmd_hmget(struct client *c);
void cmd_hdel(struct client *c);
void cmd_hlen(struct client *c);
void cmd_hstrlen(struct client *c);
void cmd_hexists(struct client *c);
void cmd_hincrby(struct client *c);
void cmd_hincrbyfloat(struct client *c);
void cmd_hkeys(struct client *c);
void cmd_hvals(struct client *c);
void cmd_hgetall(struct client *c);
void cmd_hscan(struct client *c);
void cmd_hrandfield(struct client *c);
void cmd_hexpire(struct client *c);
void cmd_hpexpire(struct client *c);
void cmd_hexpireat(struct client *c);
void cmd_hpexpireat(struct client *c);
void cmd_httl(struct client *c);
void cmd_hpttl(struct client *c);
void cmd_hexpiretime(struct client *c);
void cmd_hpexpiretime(struct client *c);
void cmd_hpersist(struct client *c);

/* cmd_set.c */
void cmd_sadd(struct client *c);
void cmd_srem(struct client *c);
void cmd_sismember(struct client *c);
void cmd_smismember(struct client *c);
void cmd_scard(struct client *c);
void cmd_smembers(struct client *c);
void cmd_spop(struct client *c);
void cmd_srandmember(struct client *c);
void cmd_smove(struct client *c);
void cmd_sinter(struct client *c);
void cmd_sintercard(struct client *c);
void cmd_sinterstore(struct client *c);
void cmd_sunion(struct client *c);
void cmd_sunionstore(struct client *c);
void cmd_sdiff(struct client *c);
void cmd_sdiffstore(struct client *c);
void cmd_sscan(struct client *c);

/* cmd_zset.c */
void cmd_bzpopmin(struct client *c);
void cmd_bzpopmax(struct client *c);
void cmd_bzmpop(struct client *c);
void cmd_zadd(struct client *c);
void cmd_zincrby(struct client *c);
void cmd_zrem(struct client *c);
void cmd_zcard(struct client *c);
void cmd_zscore(struct client *c);
void cmd_zmscore(struct client *c);
void cmd_zrank(struct client *c);
void cmd_zrevrank(struct client *c);
void cmd_zcount(struct client *c);
void cmd_zlexcount(struct client *c);
void cmd_zrange(struct client *c);
void cmd_zrangestore(struct client *c);
void cmd_zrangebyscore(struct client *c);
void cmd_zrevrangebyscore(struct client *c);
void cmd_zrangebylex(struct client *c);
void cmd_zrevrangebylex(struct client *c);
void cmd_zrevrange(struct client *c);
void cmd_zremrangebyrank(struct client *c);
void cmd_zremrangebyscore(struct client *c);
void cmd_zremrangebylex(struct client *c);
void cmd_zpopmin(struct client *c);
void cmd_zpopmax(struct client *c);
void cmd_zmpop(struct client *c);
void cmd_zrandmember(struct client *c);
void cmd_zscan(struct client *c);
void cmd_zunion(struct client *c);
void cmd_zinter(struct client *c);
void cmd_zdiff(struct client *c);
void cmd_zunionstore(struct client *c);
void cmd_zinterstore(struct client *c);
void cmd_zdiffstore(struct client *c);
void cmd_zintercard(struct client *c);

/* cmd_list.c */
void cmd_blpop(struct client *c);
void cmd_brpop(struct client *c);
void cmd_blmove(struct client *c);
void cmd_brpoplpush(struct client *c);
void cmd_blmpop(struct client *c);
void cmd_lpush(struct client *c);
void cmd_rpush(struct client *c);
void cmd_lpushx(struct client *c);
void cmd_rpushx(struct client *c);
void cmd_lpop(struct client *c);
void cmd_rpop(struct client *c);
void cmd_lmpop(struct client *c);
void cmd_llen(struct client *c);
void cmd_lrange(struct client *c);
void cmd_lindex(struct client *c);
void cmd_lset(struct client *c);
void cmd_linsert(struct client *c);
void cmd_lrem(struct client *c);
void cmd_ltrim(struct client *c);
void cmd_lpos(struct client *c);
void cmd_lmove(struct client *c);
void cmd_rpoplpush(struct client *c);

/* cmd_keys.c */
void cmd_del(struct client *c);
void cmd_unlink(struct client *c);
void cmd_exists(struct client *c);
void cmd_type(struct client *c);
void cmd_touch(struct client *c);
void cmd_rename(struct client *c);
void cmd_renamenx(struct client *c);
void cmd_copy(struct client *c);
void cmd_move(struct client *c);
void cmd_keys(struct client *c);
void cmd_scan(struct client *c);
void cmd_randomkey(struct client *c);
void cmd_dbsize(struct client *c);
void cmd_flushdb(struct client *c);
void cmd_flushall(struct client *c);
void cmd_select(struct client *c);
void cmd_swapdb(struct client *c);

void cmd_object_encoding(struct client *c);
void cmd_object_refcount(struct client *c);
void cmd_object_idletime(struct client *c);
void cmd_object_freq(struct client *c);
void cmd_object_help(struct client *c);

/* cmd_sort.c */
void cmd_sort(struct client *c);
void cmd_sort_ro(struct client *c);

/* cmd_expire.c */
void cmd_expire(struct client *c);
void cmd_pexpire(struct client *c);
void cmd_expireat(struct client *c);
void cmd_pexpireat(struct client *c);
void cmd_ttl(struct client *c);
void cmd_pttl(struct client *c);
void cmd_expiretime(struct client *c);
void cmd_pexpiretime(struct client *c);
void cmd_persist(struct client *c);

/* cmd_multi.c */
void cmd_multi(struct client *c);
void cmd_exec(struct client *c);
void cmd_discard(struct client *c);
void cmd_watch(struct client *c);
void cmd_unwatch(struct client *c);

/* cmd_script.c */
void cmd_eval(struct client *c);
void cmd_fcall(struct client *c);
void cmd_fcall_ro(struct client *c);
void cmd_function_load(struct client *c);
void cmd_function_list(struct client *c);
void cmd_function_delete(struct client *c);
void cmd_function_flush(struct client *c);
void cmd_function_stats(struct client *c);
void cmd_function_kill(struct client *c);
void cmd_function_dump(struct client *c);
void cmd_function_restore(struct client *c);
void cmd_function_help(struct client *c);
void cmd_evalsha(struct client *c);
void cmd_eval_ro(struct client *c);
void cmd_evalsha_ro(struct client *c);
void cmd_script_load(struct client *c);
void cmd_script_exists(struct client *c);
void cmd_script_flush(struct client *c);
void cmd_script_kill(struct client *c);
void cmd_script_help(struct client *c);

/* cmd_pubsub.c */
void cmd_subscribe(struct client *c);
void cmd_unsubscribe(struct client *c);
void cmd_psubscribe(struct client *c);
void cmd_punsubscribe(struct client *c);
void cmd_publish(struct client *c);
void cmd_pubsub_channels(struct client *c);
void cmd_pubsub_numsub(struct client *c);
void cmd_pubsub_numpat(struct client *c);
void cmd_pubsub_help(struct client *c);

/* cmd_conn.c */
void cmd_auth(struct client *c);
void cmd_acl_whoami(struct client *c);
void cmd_ping(struct client *c);
void cmd_echo(struct client *c);
void cmd_quit(struct client *c);
void cmd_reset(struct client *c);
void cmd_hello(struct client *c);

/* cmd_client.c */
void cmd_client_id(struct client *c);
void cmd_client_setname(struct client *c);
void cmd_client_getname(struct client *c);
void cmd_client_setinfo(struct client *c);
void cmd_client_list(struct client *c);
void cmd_client_info(struct client *c);
void cmd_client_kill(struct client *c);
void cmd_client_unblock(struct client *c);
void cmd_client_no_evict(struct client *c);
void cmd_client_pause(struct client *c);
void cmd_client_unpause(struct client *c);
void cmd_client_help(struct client *c);
void cmd_client_reply(struct client *c);
void cmd_client_no_touch(struct client *c);
void cmd_client_tracking(struct client *c);
void cmd_client_trackinginfo(struct client *c);
void cmd_client_caching(struct client *c);
void cmd_client_getredir(struct client *c);

/* cmd_server.c */
void cmd_command(struct client *c);
void cmd_command_count(struct client *c);
void cmd_command_info(struct client *c);
void cmd_command_docs(struct client *c);
void cmd_command_list(struct client *c);
void cmd_command_getkeys(struct client *c);
void cmd_monitor(struct client *c);
void cmd_command_getkeysandflags(struct client *c);
void cmd_command_help(struct client *c);
void cmd_config_get(struct client *c);
void cmd_config_set(struct client *c);
void cmd_config_resetstat(struct client *c);
void cmd_config_help(struct client *c);
void cmd_time(struct client *c);
void cmd_memory_usage(struct client *c);
void cmd_memory_stats(struct client *c);
void cmd_memory_purge(struct client *c);
void cmd_memory_malloc_stats(struct client *c);
void cmd_memory_help(struct client *c);
void cmd_shutdown(struct client *c);

/* cmd_info.c */
void cmd_info(struct client *c);
/* INFO's text for sections (its arguments, space separated: "everything",
 * "default keyspace"...), for callers without a client (the metrics
 * endpoint). Caller frees with mem_free. */
char *info_text(const char *sections, size_t *len);

/* A keyspace notification about key in the client's database; a load
 * and a branch when notifications are off (the default). Users include
 * base/config.h and services/notify.h. */
#define cmd_notify(c, type, event, key)                                                            \
    do {                                                                                           \
        if (CFG(notify_flags) & (type))                                                            \
            notify_event(type, event, (c)->dbid, (key)->ptr, (key)->len);                          \
    } while (0)

#endif

/* cmd_keys.c - generic key commands: DEL, EXISTS, RENAME, SCAN, databases. */
#include <string.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/mem.h"
#include "base/util.h"
#include "client/client.h"
#include "client/reply.h"
#include "commands/arg.h"
#include "commands/commands.h"
#include "services/blocking.h"
#include "services/notify.h"
#include "services/tracking.h"
#include "storage/db.h"
#include "storage/value.h"

/* DEL and UNLINK: the same but for how a big value is freed (UNLINK:
 * always in the background; DEL: as lazyfree-lazy-user-del says). */
static void keys__del(struct client *c, enum db_why why)
{
    long long deleted = 0;
    for (size_t j = 1; j < c->argc; j++) {
        if (db_delete(c->db, c->argv[j].ptr, c->argv[j].len, why)) {
            deleted++;
            cmd_notify(c, NOTIFY_GENERIC, "del", &c->argv[j]);
        }
    }
    reply_long(c, deleted);
}

void cmd_del(struct client *c)
{
    keys__del(c, DB_DEL_USER);
}

void cmd_unlink(struct client *c)
{
    keys__del(c, DB_DEL_UNLINK);
}

void cmd_exists(struct client *c)
{
    long long n = 0;
    for (size_t j = 1; j < c->argc; j++)
        if (db_lookup(c->db, c->argv[j].ptr, c->argv[j].len, DB_LOOKUP_READ | DB_LOOKUP_NOTOUCH,
                      NULL))
            n++;
    reply_long(c, n);
}

void cmd_type(struct client *c)
{
    struct entry *e =
        db_lookup(c->db, c->argv[1].ptr, c->argv[1].len, DB_LOOKUP_READ | DB_LOOKUP_NOTOUCH, NULL);
    reply_status(c, e ? value_type_name(e) : "none");
}

void cmd_touch(struct client *c)
{
    long long n = 0;
    for (size_t j = 1; j < c->argc; j++)
        if (db_lookup(c->db, c->argv[j].ptr, c->argv[j].len, DB_LOOKUP_READ, NULL)) n++;
    reply_long(c, n);
}

/* What copying a key came to. */
enum keys_copy {
    COPY_DONE,      /* dst holds src's value now */
    COPY_NO_SOURCE, /* src is missing */
    COPY_EXISTS,    /* dst exists and replacing was not asked for */
};

/* Copies src's value (and TTL) under dst's name, in dst_db, and deletes
 * src with remove_src (RENAME, MOVE). The destination's old value goes
 * (COPY REPLACE, RENAME). */
static enum keys_copy keys__copy(struct client *c, const struct arg *src, struct db *dst_db,
                                 const struct arg *dst, int replace, int remove_src)
{
    struct keyref dref;
    struct entry *e = db_lookup(c->db, src->ptr, src->len, DB_LOOKUP_NOTOUCH, NULL);
    if (e == NULL) return COPY_NO_SOURCE;
    long long expire = entry_expire(e);
    if (db_lookup(dst_db, dst->ptr, dst->len, DB_LOOKUP_NOTOUCH, NULL) && !replace)
        return COPY_EXISTS;
    struct entry *copy;
    if (remove_src) {
        /* RENAME, MOVE: the value moves under the new name (a container's
         * out-of-line part with it), and the old entry's shell goes. */
        struct entry *old = db_take(c->db, src->ptr, src->len);
        copy = entry_copy(old, dst->ptr, dst->len, expire, 0);
        entry_free_shell(old);
    } else {
        copy = entry_copy(e, dst->ptr, dst->len, expire, 1);
    }
    db_lookup(dst_db, dst->ptr, dst->len, DB_LOOKUP_NOTOUCH, &dref);
    db_store(&dref, copy);
    return COPY_DONE;
}

static void keys__rename(struct client *c, int nx)
{
    const struct arg *src = &c->argv[1], *dst = &c->argv[2];
    int same = src->len == dst->len && memcmp(src->ptr, dst->ptr, src->len) == 0;
    if (!db_lookup(c->db, src->ptr, src->len, DB_LOOKUP_NOTOUCH, NULL)) {
        reply_error(c, REPLY_ERR_NO_KEY);
        return;
    }
    if (same) {
        if (nx)
            reply_long(c, 0);
        else
            reply_ok(c);
        return;
    }
    enum keys_copy rc = keys__copy(c, src, c->db, dst, !nx, 1);
    if (rc == COPY_DONE) {
        cmd_notify(c, NOTIFY_GENERIC, "rename_from", src);
        cmd_notify(c, NOTIFY_GENERIC, "rename_to", dst);
    }
    if (nx)
        reply_long(c, rc == COPY_DONE);
    else
        reply_ok(c);
}

void cmd_rename(struct client *c)
{
    keys__rename(c, 0);
}

void cmd_renamenx(struct client *c)
{
    keys__rename(c, 1);
}

void cmd_copy(struct client *c)
{
    struct db *dst_db = c->db;
    int replace = 0;
    for (size_t j = 3; j < c->argc; j++) {
        if (arg_is(&c->argv[j], "replace")) {
            replace = 1;
        } else if (arg_is(&c->argv[j], "db") && j + 1 < c->argc) {
            int id;
            if (arg_db_or_reply(c, &c->argv[++j], &id) != 0) return;
            dst_db = db_get(id);
        } else {
            reply_error(c, REPLY_ERR_SYNTAX);
            return;
        }
    }
    const struct arg *src = &c->argv[1], *dst = &c->argv[2];
    if (dst_db == c->db && src->len == dst->len && memcmp(src->ptr, dst->ptr, src->len) == 0) {
        reply_error(c, REPLY_ERR_SAME_OBJ);
        return;
    }
    enum keys_copy rc = keys__copy(c, src, dst_db, dst, replace, 0);
    if (rc == COPY_DONE) notify_event(NOTIFY_GENERIC, "copy_to", db_id(dst_db), dst->ptr, dst->len);
    reply_long(c, rc == COPY_DONE);
}

void cmd_move(struct client *c)
{
    int id;
    if (arg_db_or_reply(c, &c->argv[2], &id) != 0) return;
    if (id == c->dbid) {
        reply_error(c, REPLY_ERR_SAME_OBJ);
        return;
    }
    enum keys_copy rc = keys__copy(c, &c->argv[1], db_get(id), &c->argv[1], 0, 1);
    if (rc == COPY_DONE) {
        cmd_notify(c, NOTIFY_GENERIC, "move_from", &c->argv[1]);
        notify_event(NOTIFY_GENERIC, "move_to", id, c->argv[1].ptr, c->argv[1].len);
    }
    reply_long(c, rc == COPY_DONE);
}

/* A growable list of key names copied out of the table, so replies are
 * built after iteration ends. */
struct keylist {
    struct arg *keys;
    size_t n, cap;
    const struct arg *pattern; /* NULL: all */
    long long now;
    int type; /* SCAN TYPE: the ENTRY_TYPE_* wanted; -1: any; KEYS__NO_TYPE: none */
};

#define KEYS__NO_TYPE 0xFF

/* SCAN TYPE's name: Redis's type names, any case; a name of no type
 * respite has yet (stream) or of none at all matches no key, as in
 * Redis 7. */
static int keys__type_by_name(const struct arg *a)
{
    if (arg_is(a, "string")) return ENTRY_TYPE_STRING;
    if (arg_is(a, "hash")) return ENTRY_TYPE_HASH;
    if (arg_is(a, "set")) return ENTRY_TYPE_SET;
    if (arg_is(a, "list")) return ENTRY_TYPE_LIST;
    if (arg_is(a, "zset")) return ENTRY_TYPE_ZSET;
    return KEYS__NO_TYPE;
}

static void keylist__visit(struct entry *e, void *arg)
{
    struct keylist *kl = arg;
    if (kl->type >= 0 && (unsigned)kl->type != entry_type(e)) return;
    long long exp = entry_expire(e);
    if (exp >= 0 && exp <= kl->now) return;
    const char *k = entry_key(e);
    size_t klen = entry_klen(e);
    if (kl->pattern && !util_glob_match(kl->pattern->ptr, kl->pattern->len, k, klen, 0)) return;
    if (kl->n == kl->cap) {
        kl->cap = kl->cap ? kl->cap * 2 : 16;
        kl->keys = mem_realloc(kl->keys, kl->cap * sizeof(*kl->keys));
    }
    /* The entry stays alive until the reply is built: no command runs in
     * between, and visiting never deletes. */
    kl->keys[kl->n].ptr = k;
    kl->keys[kl->n].len = klen;
    kl->n++;
}

static void keylist__reply(struct client *c, struct keylist *kl)
{
    reply_array(c, kl->n);
    for (size_t i = 0; i < kl->n; i++) reply_bulk(c, kl->keys[i].ptr, kl->keys[i].len);
    mem_free(kl->keys);
}

void cmd_keys(struct client *c)
{
    struct keylist kl = {NULL, 0, 0, &c->argv[1], clock_now(), -1};
    uint64_t cursor = 0;
    do {
        cursor = db_scan(c->db, cursor, 1024, keylist__visit, &kl);
    } while (cursor != 0);
    keylist__reply(c, &kl);
}

void cmd_scan(struct client *c)
{
    unsigned long long cursor;
    if (arg_cursor_or_reply(c, &c->argv[1], &cursor) != 0) return;
    struct arg_scan o;
    if (arg_scan_or_reply(c, 2, ARG_SCAN_KEYS, &o) != 0) return;
    struct keylist kl = {NULL,      0,           0,
                         o.pattern, clock_now(), o.type ? keys__type_by_name(o.type) : -1};
    cursor = db_scan(c->db, cursor, (uint64_t)o.count, keylist__visit, &kl);
    reply_array(c, 2);
    reply_bulk_long(c, (long long)cursor);
    keylist__reply(c, &kl);
}

void cmd_randomkey(struct client *c)
{
    /* Expired keys found on the way are deleted, like Redis; bounded so a
     * database of only expired keys cannot make this loop long. */
    for (int tries = 0; tries < 100; tries++) {
        struct entry *e = db_random(c->db);
        if (e == NULL) break;
        long long exp = entry_expire(e);
        if (exp >= 0 && exp <= clock_now()) {
            db_lookup(c->db, entry_key(e), entry_klen(e), DB_LOOKUP_NOTOUCH, NULL);
            continue;
        }
        reply_bulk(c, entry_key(e), entry_klen(e));
        return;
    }
    reply_null(c);
}

void cmd_dbsize(struct client *c)
{
    reply_long(c, (long long)db_size(c->db));
}

/* FLUSHDB / FLUSHALL take an optional ASYNC or SYNC; without either,
 * lazyfree-lazy-user-flush decides. */
static int keys__flush_mode_or_reply(struct client *c, int *async)
{
    *async = CFG(lazyfree_lazy_user_flush);
    if (c->argc == 1) return 0;
    if (c->argc == 2 && arg_is(&c->argv[1], "async"))
        *async = 1;
    else if (c->argc == 2 && arg_is(&c->argv[1], "sync"))
        *async = 0;
    else {
        reply_error(c, REPLY_ERR_SYNTAX);
        return -1;
    }
    return 0;
}

void cmd_flushdb(struct client *c)
{
    int async;
    if (keys__flush_mode_or_reply(c, &async) != 0) return;
    db_touch_all_watched(c->db);
    db_flush(c->db, async);
    tracking_flush();
    reply_ok(c);
}

void cmd_flushall(struct client *c)
{
    int async;
    if (keys__flush_mode_or_reply(c, &async) != 0) return;
    for (int i = 0; i < db_count(); i++) {
        db_touch_all_watched(db_get(i));
        db_flush(db_get(i), async);
    }
    tracking_flush();
    reply_ok(c);
}

void cmd_select(struct client *c)
{
    int id;
    if (arg_db_or_reply(c, &c->argv[1], &id) != 0) return;
    c->dbid = id;
    c->db = db_get(id);
    reply_ok(c);
}

void cmd_swapdb(struct client *c)
{
    long long a, b;
    if (arg_ll_or_reply(c, &c->argv[1], &a, REPLY_ERR_DB_FIRST) != 0) return;
    if (arg_ll_or_reply(c, &c->argv[2], &b, REPLY_ERR_DB_SECOND) != 0) return;
    if (a < 0 || a >= db_count() || b < 0 || b >= db_count()) {
        reply_error(c, REPLY_ERR_DB_RANGE);
        return;
    }
    if (a != b) {
        /* Watchers of keys in either database see a change. */
        db_touch_all_watched(db_get((int)a));
        db_touch_all_watched(db_get((int)b));
        db_swap((int)a, (int)b);
        db_touch_all_watched(db_get((int)a));
        db_touch_all_watched(db_get((int)b));
        /* Clients blocked on keys either database now holds try again. */
        blocking_swapdb((int)a, (int)b);
    }
    reply_ok(c);
}

/* OBJECT subcommands: introspection of one key without touching its
 * access clock. A missing key replies null. */
static struct entry *keys__object_lookup(struct client *c)
{
    struct entry *e =
        db_lookup(c->db, c->argv[2].ptr, c->argv[2].len, DB_LOOKUP_READ | DB_LOOKUP_NOTOUCH, NULL);
    if (e == NULL) reply_null(c);
    return e;
}

void cmd_object_encoding(struct client *c)
{
    struct entry *e = keys__object_lookup(c);
    if (e) reply_bulk_cstr(c, entry_encoding(e));
}

void cmd_object_refcount(struct client *c)
{
    /* Values are never shared between keys here. */
    if (keys__object_lookup(c)) reply_long(c, 1);
}

void cmd_object_idletime(struct client *c)
{
    struct entry *e = keys__object_lookup(c);
    if (e == NULL) return;
    if (db_policy_is_lfu()) {
        reply_error(c, REPLY_ERR_LFU_IDLE);
        return;
    }
    reply_long(c, db_idle_ms(e) / 1000);
}

void cmd_object_freq(struct client *c)
{
    struct entry *e = keys__object_lookup(c);
    if (e == NULL) return;
    if (!db_policy_is_lfu()) {
        reply_error(c, REPLY_ERR_LFU_FREQ);
        return;
    }
    reply_long(c, db_lfu_freq(e));
}

void cmd_object_help(struct client *c)
{
    static const char *const lines[] = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Print this help.",
        NULL,
    };
    reply_help(c, lines);
}

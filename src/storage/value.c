/* value.c - type-generic operations on a key's value, by its type. */
#include "storage/value.h"

#include "base/mem.h"
#include "storage/entry.h"
#include "storage/hash.h"
#include "storage/lazyfree.h"
#include "storage/list.h"
#include "storage/set.h"
#include "storage/zset.h"

static void value__finalize(struct entry *e)
{
    switch (entry_type(e)) {
    case ENTRY_TYPE_HASH: hash_free_payload(e); break;
    case ENTRY_TYPE_SET: set_free_payload(e); break;
    case ENTRY_TYPE_LIST: list_free_payload(e); break;
    case ENTRY_TYPE_ZSET: zset_free_payload(e); break;
    default: break;
    }
}

static void value__deep_copy(struct entry *copy)
{
    switch (entry_type(copy)) {
    case ENTRY_TYPE_HASH: hash_dup_payload(copy); break;
    case ENTRY_TYPE_SET: set_dup_payload(copy); break;
    case ENTRY_TYPE_LIST: list_dup_payload(copy); break;
    case ENTRY_TYPE_ZSET: zset_dup_payload(copy); break;
    default: break;
    }
}

void value_setup(void)
{
    static const struct entry_hooks hooks = {value__finalize, value__deep_copy};
    entry_set_hooks(&hooks);
}

const char *value_type_name(const struct entry *e)
{
    switch (entry_type(e)) {
    case ENTRY_TYPE_STRING: return "string";
    case ENTRY_TYPE_HASH: return "hash";
    case ENTRY_TYPE_SET: return "set";
    case ENTRY_TYPE_LIST: return "list";
    case ENTRY_TYPE_ZSET: return "zset";
    default: return "none";
    }
}

size_t value_memory(const struct entry *e, size_t samples)
{
    size_t n = mem_usable(e) + sizeof(struct entry *);
    switch (entry_type(e)) {
    case ENTRY_TYPE_HASH: n += hash_payload_bytes(e, samples); break;
    case ENTRY_TYPE_SET: n += set_payload_bytes(e, samples); break;
    case ENTRY_TYPE_LIST: n += list_payload_bytes(e, samples); break;
    case ENTRY_TYPE_ZSET: n += zset_payload_bytes(e, samples); break;
    default: break;
    }
    return n;
}

void value_free(struct entry *e, int lazy)
{
    /* A list costs a free per pack of its chain (Redis's effort). */
    if (lazy && (e->flags & ENTRY_CONTAINER) && entry_type(e) == ENTRY_TYPE_LIST &&
        list_chain_packs(e) > VALUE_LAZYFREE_THRESHOLD)
        lazyfree_value(list_free_chain, list_take_payload(e));
    if (lazy && (e->flags & ENTRY_CONTAINER) && entry_type(e) == ENTRY_TYPE_ZSET &&
        zset_big_len(e) > VALUE_LAZYFREE_THRESHOLD)
        lazyfree_value(zset_free_big, zset_take_payload(e));
    if (lazy && (e->flags & ENTRY_CONTAINER) && entry_enc(e) == ENTRY_ENC_TABLE) {
        int hash = entry_type(e) == ENTRY_TYPE_HASH;
        if ((hash ? hash_len(e) : set_len(e)) > VALUE_LAZYFREE_THRESHOLD) {
            struct shard *t = hash ? hash_take_payload(e) : set_take_payload(e);
            lazyfree_shard(t, 1);
            mem_free(t); /* the struct: lazyfree_shard took what it held */
        }
    }
    entry_destroy(e);
}

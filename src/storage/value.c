/* value.c - type-generic operations on a key's value, by its type. */
#include "storage/value.h"

#include "base/mem.h"
#include "storage/entry.h"
#include "storage/hash.h"
#include "storage/lazyfree.h"
#include "storage/set.h"
#include "storage/table.h"

static void value__finalize(struct entry *e)
{
    switch (entry_type(e)) {
    case ENTRY_TYPE_HASH: hash_free_payload(e); break;
    case ENTRY_TYPE_SET: set_free_payload(e); break;
    default: break;
    }
}

static void value__deep_copy(struct entry *copy)
{
    switch (entry_type(copy)) {
    case ENTRY_TYPE_HASH: hash_dup_payload(copy); break;
    case ENTRY_TYPE_SET: set_dup_payload(copy); break;
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
    default: return "none";
    }
}

size_t value_memory(const struct entry *e, size_t samples)
{
    size_t n = mem_usable(e) + sizeof(struct entry *);
    switch (entry_type(e)) {
    case ENTRY_TYPE_HASH: n += hash_payload_bytes(e, samples); break;
    case ENTRY_TYPE_SET: n += set_payload_bytes(e, samples); break;
    default: break;
    }
    return n;
}

void value_free(struct entry *e, int lazy)
{
    struct table *t = NULL;
    size_t n = 0;
    if (lazy && (e->flags & ENTRY_CONTAINER)) {
        switch (entry_type(e)) {
        case ENTRY_TYPE_HASH: t = hash_take_payload(e, &n); break;
        case ENTRY_TYPE_SET: t = set_take_payload(e, &n); break;
        default: break;
        }
    }
    if (t && n > VALUE_LAZYFREE_THRESHOLD) {
        lazyfree_table(t, 1);
        mem_free(t);
    } else if (t) {
        table_clear(t); /* small: cheaper here than a hand-off */
        mem_free(t);
    }
    entry_destroy(e);
}

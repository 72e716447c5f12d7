# List commands that do not block: LPUSH RPUSH LPUSHX RPUSHX, LPOP and RPOP
# with and without a count, LLEN LRANGE LINDEX LSET LINSERT LREM LTRIM, LPOS
# with RANK COUNT MAXLEN, LMOVE RPOPLPUSH and LMPOP. Their exact replies (nil
# versus empty array, RESP2 and RESP3) and errors, the key going away with its
# last element, the listpack and quicklist encodings and the thresholds
# between them (list-max-listpack-size), lists meeting the generic commands,
# keyspace events, WATCH/MULTI and scripts, a 10,000 element list and random
# operations checked against a Tcl model. The blocking commands (BLPOP,
# BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) are not covered here.
#
# Everything asserted is what Redis 7.0 and 7.4 both reply, except where a
# test says otherwise: small lists are listpacks only since Redis 7.2 (7.0
# reports quicklist for every list), LREM and LPOS reject a count or rank of
# -9223372036854775808 since 7.2, and Redis 7.2+ truncates LSET's index to 32
# bits (see the LSET tests).

# --- helpers (prefixed list_, the unit files share one interpreter) ---

set ::list_wrongtype {WRONGTYPE Operation against a key holding the wrong kind of value}

# Asserts the encoding of KEY: WANT (listpack or quicklist) on Redis 7.2+
# and respite, quicklist on older Redis, which has no listpack lists.
proc list_assert_encoding {key want {detail ""}} {
    set enc [r object encoding $key]
    if {[version_at_least 7.2]} {
        assert_equal $enc $want "(key $key) $detail"
    } else {
        assert_equal $enc quicklist "(key $key, Redis < 7.2) $detail"
    }
}

# The next keyspace event on subscriber S as "key event".
proc list_next_event {s} {
    set m [$s read]
    set channel [lindex $m 2]
    if {![string match {__keyspace@0__:*} $channel]} {
        fail "unexpected message '$m'"
    }
    return [list [string range $channel 15 end] [lindex $m 3]]
}

# A deferring client subscribed to the keyspace events of keys ev:*.
proc list_subscribe {flags} {
    r config set notify-keyspace-events $flags
    set s [redis_deferring_client]
    $s timeout 3000
    $s psubscribe __keyspace@0__:ev:*
    assert_equal [$s read] {psubscribe __keyspace@0__:ev:* 1}
    return $s
}

# RPUSHes ELEMENTS to KEY 500 per command; returns the last reply.
proc list_rpush_batches {key elements} {
    set n 0
    for {set i 0} {$i < [llength $elements]} {incr i 500} {
        set n [r rpush $key {*}[lrange $elements $i [expr {$i + 499}]]]
    }
    return $n
}

# The model of LREM COUNT ELEMENT on the Tcl list L: "newlist removed".
proc list_model_lrem {l count element} {
    set removed 0
    if {$count >= 0} {
        set out {}
        foreach e $l {
            if {$e eq $element && ($count == 0 || $removed < $count)} {
                incr removed
            } else {
                lappend out $e
            }
        }
        return [list $out $removed]
    }
    set out {}
    for {set i [expr {[llength $l] - 1}]} {$i >= 0} {incr i -1} {
        set e [lindex $l $i]
        if {$e eq $element && $removed < -$count} {
            incr removed
        } else {
            lappend out $e
        }
    }
    return [list [lreverse $out] $removed]
}

# Redis's index normalisation for LRANGE and LTRIM on a list of LEN:
# "start end" clamped into the list, or "" when the range is empty.
proc list_model_range {len start end} {
    if {$start < 0} { set start [expr {$len + $start}] }
    if {$end < 0} { set end [expr {$len + $end}] }
    if {$start < 0} { set start 0 }
    if {$start > $end || $start >= $len} { return "" }
    if {$end >= $len} { set end [expr {$len - 1}] }
    return [list $start $end]
}

# The model of LPOS ELEMENT RANK R (no COUNT): the index or "".
proc list_model_lpos {l element rank} {
    set len [llength $l]
    set seen 0
    if {$rank > 0} {
        for {set i 0} {$i < $len} {incr i} {
            if {[lindex $l $i] eq $element && [incr seen] == $rank} { return $i }
        }
    } else {
        for {set i [expr {$len - 1}]} {$i >= 0} {incr i -1} {
            if {[lindex $l $i] eq $element && [incr seen] == -$rank} { return $i }
        }
    }
    return ""
}

start_server {tags {list}} {
    # --- LPUSH, RPUSH ---

    test {LPUSH - returns the list's new length} {
        r del l
        assert_equal [r lpush l a] 1
        assert_equal [r lpush l b c] 3
        assert_equal [r lpush l d] 4
        assert_equal [r llen l] 4
    }

    test {LPUSH - elements go to the head one by one, so several end up reversed} {
        r del l
        r lpush l a b c
        assert_equal [r lrange l 0 -1] {c b a}
        r lpush l d
        assert_equal [r lrange l 0 -1] {d c b a}
    }

    test {RPUSH - appends in argument order and returns the new length} {
        r del l
        assert_equal [r rpush l a b c] 3
        assert_equal [r rpush l d] 4
        assert_equal [r lrange l 0 -1] {a b c d}
    }

    test {RPUSH - creates the key as a list} {
        r del l
        assert_equal [r exists l] 0
        r rpush l a
        assert_equal [r exists l] 1
        assert_equal [r type l] list
    }

    test {LPUSH - duplicates and the empty string are elements} {
        r del l
        assert_equal [r rpush l x x "" x ""] 5
        assert_equal [r lrange l 0 -1] [list x x "" x ""]
        assert_equal [r lindex l 2] ""
        assert_equal [r llen l] 5
    }

    test {LPUSH - arity errors} {
        assert_error {ERR wrong number of arguments for 'lpush' command} {r lpush l}
        assert_error {ERR wrong number of arguments for 'lpush' command} {r lpush}
        assert_error {ERR wrong number of arguments for 'rpush' command} {r rpush l}
        assert_error {ERR wrong number of arguments for 'rpush' command} {r rpush}
    }

    test {LPUSH - WRONGTYPE against a string, a hash and a set; nothing changes} {
        r del str h st
        r set str v
        r hset h f v
        r sadd st m
        foreach key {str h st} {
            assert_error $::list_wrongtype {r lpush $key a}
            assert_error $::list_wrongtype {r rpush $key a b}
        }
        assert_equal [r get str] v
        assert_equal [r hgetall h] {f v}
        assert_equal [r smembers st] m
    }

    # --- LPUSHX, RPUSHX ---

    test {LPUSHX - pushes onto an existing list only} {
        r del l nokey
        r rpush l a
        assert_equal [r lpushx l b c] 3
        assert_equal [r rpushx l d] 4
        assert_equal [r lrange l 0 -1] {c b a d}
    }

    test {LPUSHX - a missing key replies 0 and is not created} {
        r del nokey
        assert_equal [r lpushx nokey a] 0
        assert_equal [r rpushx nokey a b] 0
        assert_equal [r exists nokey] 0
    }

    test {LPUSHX - WRONGTYPE and arity errors} {
        r del str h
        r set str v
        r hset h f v
        assert_error $::list_wrongtype {r lpushx str a}
        assert_error $::list_wrongtype {r rpushx h a}
        assert_error {ERR wrong number of arguments for 'lpushx' command} {r lpushx l}
        assert_error {ERR wrong number of arguments for 'rpushx' command} {r rpushx l}
    }

    # --- LPOP, RPOP ---

    test {LPOP - without a count returns the head element as a bulk string} {
        r del l
        r rpush l a b c
        assert_equal [r lpop l] a
        assert_equal [r rpop l] c
        assert_equal [r lrange l 0 -1] {b}
        set c [raw_connect]
        r rpush l z
        assert_equal [raw_reply $c 2 lpop l] [list {$1} b]
        assert_equal [raw_reply $c 2 rpop l] [list {$1} z]
    }

    test {LPOP - popping the last element deletes the key} {
        r del l
        r rpush l a b
        assert_equal [r lpop l] a
        assert_equal [r rpop l] b
        assert_equal [r exists l] 0
        assert_equal [r type l] none
        assert_equal [r lpop l] {}
    }

    test {LPOP - a missing key is a null bulk, with a count a null array} {
        r del nokey
        set c [raw_connect]
        assert_equal [raw_reply $c 1 lpop nokey] [list {$-1}]
        assert_equal [raw_reply $c 1 rpop nokey] [list {$-1}]
        assert_equal [raw_reply $c 1 lpop nokey 2] {*-1}
        assert_equal [raw_reply $c 1 rpop nokey 1] {*-1}
        assert_equal [raw_reply $c 1 lpop nokey 0] {*-1}
        assert_equal [r exists nokey] 0
    }

    test {LPOP - a count returns an array in popping order} {
        r del l
        r rpush l a b c d e f
        assert_equal [r lpop l 2] {a b}
        assert_equal [r rpop l 2] {f e}
        assert_equal [r lrange l 0 -1] {c d}
        set c [raw_connect]
        assert_equal [raw_reply $c 3 lpop l 1] [list {*1} {$1} c]
        assert_equal [raw_reply $c 3 rpop l 1] [list {*1} {$1} d]
        assert_equal [r exists l] 0
    }

    test {LPOP - count 0 on an existing list is an empty array and pops nothing} {
        r del l
        r rpush l a b
        assert_equal [r lpop l 0] {}
        assert_equal [r rpop l 0] {}
        set c [raw_connect]
        assert_equal [raw_reply $c 1 lpop l 0] {*0}
        assert_equal [raw_reply $c 1 rpop l 0] {*0}
        assert_equal [r lrange l 0 -1] {a b}
    }

    test {LPOP - a count larger than the list returns everything and deletes the key} {
        r del l
        r rpush l a b c
        assert_equal [r lpop l 10] {a b c}
        assert_equal [r exists l] 0
        r rpush l a b c
        assert_equal [r rpop l 3] {c b a}
        assert_equal [r exists l] 0
        r rpush l a b c
        assert_equal [r rpop l 9223372036854775807] {c b a}
        assert_equal [r exists l] 0
    }

    test {LPOP - a negative or non-integer count is an error, before the key is looked at} {
        r del l str nokey
        r rpush l a b
        r set str v
        foreach cmd {lpop rpop} {
            foreach count {-1 -9223372036854775808 x 1.5 "" 9223372036854775808} {
                assert_error {ERR value is out of range, must be positive} {r $cmd l $count}
            }
            assert_error {ERR value is out of range, must be positive} {r $cmd nokey -1}
            assert_error {ERR value is out of range, must be positive} {r $cmd str -1}
        }
        assert_equal [r lrange l 0 -1] {a b}
    }

    test {LPOP - arity errors} {
        assert_error {ERR wrong number of arguments for 'lpop' command} {r lpop}
        assert_error {ERR wrong number of arguments for 'lpop' command} {r lpop l 1 2}
        assert_error {ERR wrong number of arguments for 'rpop' command} {r rpop}
        assert_error {ERR wrong number of arguments for 'rpop' command} {r rpop l 1 2}
    }

    test {LPOP - WRONGTYPE with and without a count, even count 0} {
        r del str h
        r set str v
        r hset h f v
        foreach cmd {lpop rpop} {
            assert_error $::list_wrongtype {r $cmd str}
            assert_error $::list_wrongtype {r $cmd str 2}
            assert_error $::list_wrongtype {r $cmd h 0}
        }
        assert_equal [r get str] v
    }

    # --- LLEN ---

    test {LLEN - number of elements, 0 for a missing key} {
        r del l nokey
        r rpush l a b c
        assert_equal [r llen l] 3
        r lpop l
        assert_equal [r llen l] 2
        assert_equal [r llen nokey] 0
        r set str v
        assert_error $::list_wrongtype {r llen str}
        assert_error {ERR wrong number of arguments for 'llen' command} {r llen}
        assert_error {ERR wrong number of arguments for 'llen' command} {r llen l l}
    }

    # --- LRANGE ---

    test {LRANGE - inclusive ranges with positive and negative indexes} {
        r del l
        r rpush l a b c d e
        assert_equal [r lrange l 0 -1] {a b c d e}
        assert_equal [r lrange l 0 0] {a}
        assert_equal [r lrange l 1 3] {b c d}
        assert_equal [r lrange l -2 -1] {d e}
        assert_equal [r lrange l -3 3] {c d}
        assert_equal [r lrange l 1 -2] {b c d}
        assert_equal [r lrange l -1 -1] {e}
        assert_equal [r lrange l 4 4] {e}
    }

    test {LRANGE - out-of-range indexes are clamped to the list} {
        r del l
        r rpush l a b c
        assert_equal [r lrange l -100 1] {a b}
        assert_equal [r lrange l 1 100] {b c}
        assert_equal [r lrange l -100 100] {a b c}
        assert_equal [r lrange l -9223372036854775808 9223372036854775807] {a b c}
    }

    test {LRANGE - an empty range is an empty array} {
        r del l
        r rpush l a b c
        set c [raw_connect]
        foreach {start end} {2 1 3 5 100 200 -1 -2 0 -4 -100 -4 9223372036854775807 -9223372036854775808} {
            assert_equal [r lrange l $start $end] {} "(LRANGE $start $end)"
            assert_equal [raw_reply $c 1 lrange l $start $end] {*0} "(LRANGE $start $end)"
        }
        assert_equal [r llen l] 3
    }

    test {LRANGE - a missing key is an empty array} {
        r del nokey
        set c [raw_connect]
        assert_equal [raw_reply $c 1 lrange nokey 0 -1] {*0}
        assert_equal [r lrange nokey 0 -1] {}
    }

    test {LRANGE - indexes must be canonical integers, even for a missing key} {
        r del l nokey
        r rpush l a b c
        foreach {start end} {x 1 0 y 1.5 2 01 2 +1 2 { 1} 2 -0 1 0 9223372036854775808} {
            assert_error {ERR value is not an integer or out of range} {r lrange l $start $end}
        }
        assert_error {ERR value is not an integer or out of range} {r lrange nokey x 1}
    }

    test {LRANGE - WRONGTYPE and arity errors} {
        r del str st
        r set str v
        r sadd st m
        assert_error $::list_wrongtype {r lrange str 0 -1}
        assert_error $::list_wrongtype {r lrange st 0 -1}
        assert_error {ERR wrong number of arguments for 'lrange' command} {r lrange l 0}
        assert_error {ERR wrong number of arguments for 'lrange' command} {r lrange l 0 1 2}
    }

    # --- LINDEX ---

    test {LINDEX - element at a positive or negative index} {
        r del l
        r rpush l a b c
        assert_equal [r lindex l 0] a
        assert_equal [r lindex l 2] c
        assert_equal [r lindex l -1] c
        assert_equal [r lindex l -3] a
    }

    test {LINDEX - out of range or a missing key is a null bulk} {
        r del l nokey
        r rpush l a b c
        set c [raw_connect]
        foreach i {3 -4 100 -100 9223372036854775807 -9223372036854775808 4294967296 -4294967297} {
            assert_equal [raw_reply $c 1 lindex l $i] [list {$-1}] "(LINDEX $i)"
        }
        assert_equal [raw_reply $c 1 lindex nokey 0] [list {$-1}]
    }

    test {LINDEX - a non-integer index is an error on a list, but a missing key is looked up first} {
        r del l nokey
        r rpush l a
        assert_error {ERR value is not an integer or out of range} {r lindex l x}
        assert_error {ERR value is not an integer or out of range} {r lindex l 1.0}
        assert_equal [r lindex nokey x] {}
    }

    test {LINDEX - WRONGTYPE and arity errors} {
        r del str
        r set str v
        assert_error $::list_wrongtype {r lindex str 0}
        assert_error $::list_wrongtype {r lindex str x}
        assert_error {ERR wrong number of arguments for 'lindex' command} {r lindex l}
        assert_error {ERR wrong number of arguments for 'lindex' command} {r lindex l 0 1}
    }

    # --- LSET ---

    test {LSET - replaces the element at an index, the length stays} {
        r del l
        r rpush l a b c
        assert_equal [r lset l 0 A] OK
        assert_equal [r lset l -1 C] OK
        assert_equal [r lset l 1 ""] OK
        assert_equal [r lrange l 0 -1] [list A "" C]
        assert_equal [r llen l] 3
    }

    test {LSET - an index outside the list is ERR index out of range} {
        r del l
        r rpush l a b c
        foreach i {3 -4 100 -100 1000000 -1000000 2147483647 -2147483648} {
            assert_error {ERR index out of range} {r lset l $i z}
        }
        assert_equal [r lrange l 0 -1] {a b c}
    }

    test {LSET - an index beyond 32 bits is out of range (Redis 7.2+ truncates it)} {
        # Redis 7.2 and later pass LSET's index to a function taking an int:
        # 4294967296 acts as 0 there and the element is replaced. Redis 7.0
        # replies out of range, and so should a server that is not Redis.
        if {[server_is_redis] && [version_at_least 7.2]} {
            skip_test "Redis 7.2+ truncates LSET's index to 32 bits"
        }
        r del l
        r rpush l a b c
        foreach i {4294967296 -4294967296 -4294967297 9223372036854775807 -9223372036854775808} {
            assert_error {ERR index out of range} {r lset l $i z}
        }
        assert_equal [r lrange l 0 -1] {a b c}
    }

    test {LSET - a missing key is ERR no such key, whatever the index} {
        r del nokey
        assert_error {ERR no such key} {r lset nokey 0 v}
        assert_error {ERR no such key} {r lset nokey x v}
        assert_equal [r exists nokey] 0
    }

    test {LSET - non-integer index, WRONGTYPE and arity errors} {
        r del l str
        r rpush l a
        r set str v
        assert_error {ERR value is not an integer or out of range} {r lset l x v}
        assert_error {ERR value is not an integer or out of range} {r lset l 0.0 v}
        assert_error $::list_wrongtype {r lset str 0 v}
        assert_error {ERR wrong number of arguments for 'lset' command} {r lset l 0}
        assert_error {ERR wrong number of arguments for 'lset' command} {r lset l 0 a b}
        assert_equal [r lrange l 0 -1] {a}
    }

    # --- LINSERT ---

    test {LINSERT - BEFORE and AFTER the pivot, replying the new length} {
        r del l
        r rpush l a b c
        assert_equal [r linsert l before b x] 4
        assert_equal [r linsert l after c y] 5
        assert_equal [r linsert l before a first] 6
        assert_equal [r lrange l 0 -1] {first a x b c y}
    }

    test {LINSERT - BEFORE and AFTER are case insensitive} {
        r del l
        r rpush l a
        assert_equal [r linsert l BEFORE a 1] 2
        assert_equal [r linsert l After a 2] 3
        assert_equal [r linsert l aFtEr 2 3] 4
        assert_equal [r lrange l 0 -1] {1 a 2 3}
    }

    test {LINSERT - only the first occurrence of the pivot from the head counts} {
        r del l
        r rpush l a p b p c
        assert_equal [r linsert l after p x] 6
        assert_equal [r lrange l 0 -1] {a p x b p c}
        assert_equal [r linsert l before p y] 7
        assert_equal [r lrange l 0 -1] {a y p x b p c}
    }

    test {LINSERT - a missing pivot replies -1 and changes nothing} {
        r del l
        r rpush l a b
        assert_equal [r linsert l before zz x] -1
        assert_equal [r linsert l after A x] -1
        assert_equal [r lrange l 0 -1] {a b}
    }

    test {LINSERT - a missing key replies 0 and is not created} {
        r del nokey
        assert_equal [r linsert nokey before a x] 0
        assert_equal [r linsert nokey after a x] 0
        assert_equal [r exists nokey] 0
    }

    test {LINSERT - a position other than BEFORE or AFTER is a syntax error, before the key} {
        r del l nokey str
        r rpush l a
        r set str v
        assert_error {ERR syntax error} {r linsert l middle a x}
        assert_error {ERR syntax error} {r linsert l "" a x}
        assert_error {ERR syntax error} {r linsert nokey middle a x}
        assert_error {ERR syntax error} {r linsert str middle a x}
        assert_equal [r lrange l 0 -1] {a}
    }

    test {LINSERT - WRONGTYPE and arity errors} {
        r del str
        r set str v
        assert_error $::list_wrongtype {r linsert str before a x}
        assert_error {ERR wrong number of arguments for 'linsert' command} {r linsert l before a}
        assert_error {ERR wrong number of arguments for 'linsert' command} {r linsert l before a x y}
    }

    # --- LREM ---

    test {LREM - a positive count removes that many from the head} {
        r del l
        r rpush l a x b x c x d
        assert_equal [r lrem l 2 x] 2
        assert_equal [r lrange l 0 -1] {a b c x d}
    }

    test {LREM - a negative count removes from the tail} {
        r del l
        r rpush l a x b x c x d
        assert_equal [r lrem l -2 x] 2
        assert_equal [r lrange l 0 -1] {a x b c d}
    }

    test {LREM - count 0 removes every occurrence} {
        r del l
        r rpush l x a x x b x
        assert_equal [r lrem l 0 x] 4
        assert_equal [r lrange l 0 -1] {a b}
    }

    test {LREM - a count larger than the matches removes them all and replies how many} {
        r del l
        r rpush l x a x
        assert_equal [r lrem l 10 x] 2
        assert_equal [r lrange l 0 -1] {a}
        r rpush l a
        assert_equal [r lrem l -10 a] 2
        assert_equal [r exists l] 0
    }

    test {LREM - no match or a missing key replies 0} {
        r del l nokey
        r rpush l a b
        assert_equal [r lrem l 0 zz] 0
        assert_equal [r lrem l 1 A] 0
        assert_equal [r lrem nokey 0 a] 0
        assert_equal [r lrange l 0 -1] {a b}
        assert_equal [r exists nokey] 0
    }

    test {LREM - removing every element deletes the key} {
        r del l
        r rpush l x x x
        assert_equal [r lrem l 0 x] 3
        assert_equal [r exists l] 0
    }

    test {LREM - non-integer count, WRONGTYPE and arity errors} {
        r del l str nokey
        r rpush l a
        r set str v
        assert_error {ERR value is not an integer or out of range} {r lrem l x a}
        assert_error {ERR value is not an integer or out of range} {r lrem l 1.5 a}
        assert_error {ERR value is not an integer or out of range} {r lrem nokey x a}
        assert_error $::list_wrongtype {r lrem str 0 a}
        assert_error {ERR wrong number of arguments for 'lrem' command} {r lrem l 0}
        assert_error {ERR wrong number of arguments for 'lrem' command} {r lrem l 0 a b}
        assert_equal [r lrange l 0 -1] {a}
    }

    test {LREM - count -9223372036854775808 is out of range (7.2+)} {
        if {![version_at_least 7.2]} {
            skip_test "Redis 7.0 accepts it and removes every match"
        }
        r del l
        r rpush l a b a
        assert_error {ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807} \
            {r lrem l -9223372036854775808 a}
        assert_equal [r lrange l 0 -1] {a b a}
        assert_equal [r lrem l -9223372036854775807 a] 2
        assert_equal [r lrange l 0 -1] {b}
    }

    # --- LTRIM ---

    test {LTRIM - keeps the inclusive range and replies OK} {
        r del l
        r rpush l a b c d e
        assert_equal [r ltrim l 1 3] OK
        assert_equal [r lrange l 0 -1] {b c d}
        assert_equal [r ltrim l -2 -1] OK
        assert_equal [r lrange l 0 -1] {c d}
    }

    test {LTRIM - out-of-range indexes are clamped} {
        r del l
        r rpush l a b c d e
        assert_equal [r ltrim l -100 100] OK
        assert_equal [r lrange l 0 -1] {a b c d e}
        assert_equal [r ltrim l 2 100] OK
        assert_equal [r lrange l 0 -1] {c d e}
        assert_equal [r ltrim l -100 0] OK
        assert_equal [r lrange l 0 -1] {c}
    }

    test {LTRIM - an empty range deletes the key} {
        foreach {start end} {2 1 5 10 -1 -2 0 -6 9223372036854775807 0} {
            r del l
            r rpush l a b c d e
            assert_equal [r ltrim l $start $end] OK
            assert_equal [r exists l] 0 "(LTRIM $start $end)"
        }
    }

    test {LTRIM - a missing key replies OK and stays missing} {
        r del nokey
        assert_equal [r ltrim nokey 0 1] OK
        assert_equal [r exists nokey] 0
    }

    test {LTRIM - non-integer indexes, WRONGTYPE and arity errors} {
        r del l str nokey
        r rpush l a b
        r set str v
        assert_error {ERR value is not an integer or out of range} {r ltrim l x 1}
        assert_error {ERR value is not an integer or out of range} {r ltrim l 0 y}
        assert_error {ERR value is not an integer or out of range} {r ltrim nokey x 1}
        assert_error $::list_wrongtype {r ltrim str 0 1}
        assert_error {ERR wrong number of arguments for 'ltrim' command} {r ltrim l 0}
        assert_error {ERR wrong number of arguments for 'ltrim' command} {r ltrim l 0 1 2}
        assert_equal [r lrange l 0 -1] {a b}
    }

    # --- LPOS ---

    test {LPOS - index of the first match from the head} {
        r del l
        r rpush l a b c a b c a
        assert_equal [r lpos l a] 0
        assert_equal [r lpos l b] 1
        assert_equal [r lpos l c] 2
    }

    test {LPOS - no match or a missing key is a null bulk} {
        r del l nokey
        r rpush l a b
        set c [raw_connect]
        assert_equal [raw_reply $c 1 lpos l zz] [list {$-1}]
        assert_equal [raw_reply $c 1 lpos nokey a] [list {$-1}]
        assert_equal [raw_reply $c 1 lpos l a rank 2] [list {$-1}]
    }

    test {LPOS - RANK picks the Nth match, a negative RANK counts from the tail} {
        r del l
        r rpush l a b c a b c a
        assert_equal [r lpos l a rank 1] 0
        assert_equal [r lpos l a rank 2] 3
        assert_equal [r lpos l a rank 3] 6
        assert_equal [r lpos l a rank 4] {}
        assert_equal [r lpos l a rank -1] 6
        assert_equal [r lpos l a rank -2] 3
        assert_equal [r lpos l a rank -3] 0
        assert_equal [r lpos l a rank -4] {}
        assert_equal [r lpos l b rank -1] 4
        assert_equal [r lpos l a rank 9223372036854775807] {}
        assert_equal [r lpos l a rank -9223372036854775807] {}
    }

    test {LPOS - COUNT returns an array of indexes, COUNT 0 every match} {
        r del l
        r rpush l a b c a b c a
        assert_equal [r lpos l a count 2] {0 3}
        assert_equal [r lpos l a count 0] {0 3 6}
        assert_equal [r lpos l a count 10] {0 3 6}
        assert_equal [r lpos l b count 1] {1}
        set c [raw_connect]
        assert_equal [raw_reply $c 2 lpos l b count 1] {*1 :1}
        assert_equal [raw_reply $c 1 lpos l zz count 0] {*0}
        assert_equal [raw_reply $c 1 lpos nokey a count 1] {*0}
    }

    test {LPOS - COUNT with RANK starts at the Nth match, tail first when negative} {
        r del l
        r rpush l a b c a b c a
        assert_equal [r lpos l a rank 2 count 0] {3 6}
        assert_equal [r lpos l a rank 2 count 1] {3}
        assert_equal [r lpos l a rank -1 count 0] {6 3 0}
        assert_equal [r lpos l a rank -2 count 2] {3 0}
        assert_equal [r lpos l a rank 4 count 0] {}
    }

    test {LPOS - MAXLEN limits how many elements are compared, from the scan's end} {
        r del l
        r rpush l a b c a b c a
        assert_equal [r lpos l c maxlen 2] {}
        assert_equal [r lpos l c maxlen 3] 2
        assert_equal [r lpos l a count 0 maxlen 4] {0 3}
        assert_equal [r lpos l a count 0 maxlen 0] {0 3 6}
        assert_equal [r lpos l a rank -1 count 0 maxlen 4] {6 3}
        assert_equal [r lpos l b rank -1 maxlen 2] {}
        assert_equal [r lpos l b rank -1 maxlen 3] 4
        assert_equal [r lpos l a rank 2 maxlen 1] {}
        assert_equal [r lpos l a RANK 2 COUNT 2 MAXLEN 5] {3}
    }

    test {LPOS - options are case insensitive, a repeated option keeps the last value} {
        r del l
        r rpush l a b c a b c a
        assert_equal [r lpos l a Rank 2] 3
        assert_equal [r lpos l c rank 1 rank -1] 5
        assert_equal [r lpos l a count 1 count 2] {0 3}
        assert_equal [r lpos l a maxlen 1 maxlen 0 count 0] {0 3 6}
    }

    test {LPOS - RANK 0 is an error with its own message} {
        r del l nokey str
        r rpush l a
        r set str v
        set msg {ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list}
        assert_error $msg {r lpos l a rank 0}
        assert_error $msg {r lpos l a count 0 rank 0}
        # The options are parsed before the key is looked at.
        assert_error $msg {r lpos nokey a rank 0}
        assert_error $msg {r lpos str a rank 0}
    }

    test {LPOS - COUNT and MAXLEN must not be negative, RANK must be an integer} {
        r del l
        r rpush l a
        assert_error {ERR COUNT can't be negative} {r lpos l a count -1}
        assert_error {ERR COUNT can't be negative} {r lpos l a count x}
        assert_error {ERR MAXLEN can't be negative} {r lpos l a maxlen -1}
        assert_error {ERR MAXLEN can't be negative} {r lpos l a maxlen 1.5}
        assert_error {ERR value is not an integer or out of range} {r lpos l a rank x}
        assert_error {ERR value is not an integer or out of range} {r lpos l a rank 9223372036854775808}
        assert_error {ERR COUNT can't be negative} {r lpos nokey a count -1}
    }

    test {LPOS - RANK -9223372036854775808 is out of range (7.2+)} {
        if {![version_at_least 7.2]} {
            skip_test "Redis 7.0 accepts it as a negative rank"
        }
        r del l
        r rpush l a
        assert_error {ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807} \
            {r lpos l a rank -9223372036854775808}
    }

    test {LPOS - unknown options and options without a value are syntax errors} {
        r del l
        r rpush l a
        assert_error {ERR syntax error} {r lpos l a foo}
        assert_error {ERR syntax error} {r lpos l a foo 1}
        assert_error {ERR syntax error} {r lpos l a rank}
        assert_error {ERR syntax error} {r lpos l a count 1 maxlen}
        assert_error {ERR syntax error} {r lpos l a rank 1 1}
    }

    test {LPOS - WRONGTYPE and arity errors} {
        r del str h
        r set str v
        r hset h f v
        assert_error $::list_wrongtype {r lpos str a}
        assert_error $::list_wrongtype {r lpos h a count 0}
        assert_error {ERR wrong number of arguments for 'lpos' command} {r lpos l}
        assert_error {ERR wrong number of arguments for 'lpos' command} {r lpos}
    }

    # --- LMOVE, RPOPLPUSH ---

    test {LMOVE - every combination of LEFT and RIGHT} {
        foreach {from to want_src want_dst} {
            left left {b c} {a x y}
            left right {b c} {x y a}
            right left {a b} {c x y}
            right right {a b} {x y c}
        } {
            r del src dst
            r rpush src a b c
            r rpush dst x y
            set moved [r lmove src dst $from $to]
            assert_equal $moved [expr {$from eq "left" ? "a" : "c"}] "($from $to)"
            assert_equal [r lrange src 0 -1] $want_src "($from $to)"
            assert_equal [r lrange dst 0 -1] $want_dst "($from $to)"
        }
    }

    test {LMOVE - LEFT and RIGHT are case insensitive} {
        r del src dst
        r rpush src a b
        assert_equal [r lmove src dst LEFT Right] a
        assert_equal [r lmove src dst rIGHT lEFT] b
        assert_equal [r lrange dst 0 -1] {b a}
    }

    test {LMOVE - creates the destination and deletes an emptied source} {
        r del src dst
        r rpush src only
        assert_equal [r lmove src dst left right] only
        assert_equal [r exists src] 0
        assert_equal [r type dst] list
        assert_equal [r lrange dst 0 -1] {only}
    }

    test {LMOVE - a missing source replies null and leaves the destination alone} {
        r del nokey dst str
        r rpush dst x
        r set str v
        set c [raw_connect]
        assert_equal [raw_reply $c 1 lmove nokey dst left left] [list {$-1}]
        assert_equal [raw_reply $c 1 rpoplpush nokey dst] [list {$-1}]
        assert_equal [r lrange dst 0 -1] {x}
        # The source is looked up first: a wrong-type destination is not seen.
        assert_equal [r lmove nokey str left left] {}
        assert_equal [r rpoplpush nokey str] {}
        assert_equal [r exists nokey] 0
    }

    test {LMOVE - a wrong-type destination is an error and nothing is popped} {
        r del src str h
        r rpush src a b
        r set str v
        r hset h f v
        assert_error $::list_wrongtype {r lmove src str left left}
        assert_error $::list_wrongtype {r lmove src h right left}
        assert_error $::list_wrongtype {r rpoplpush src str}
        assert_equal [r lrange src 0 -1] {a b}
        assert_equal [r get str] v
    }

    test {LMOVE - a wrong-type source is an error} {
        r del str dst
        r set str v
        assert_error $::list_wrongtype {r lmove str dst left left}
        assert_error $::list_wrongtype {r rpoplpush str dst}
        assert_equal [r exists dst] 0
    }

    test {LMOVE - the same source and destination rotates the list} {
        r del l
        r rpush l a b c d
        assert_equal [r lmove l l left right] a
        assert_equal [r lrange l 0 -1] {b c d a}
        assert_equal [r lmove l l right left] a
        assert_equal [r lrange l 0 -1] {a b c d}
        assert_equal [r lmove l l left left] a
        assert_equal [r lrange l 0 -1] {a b c d}
        assert_equal [r lmove l l right right] d
        assert_equal [r lrange l 0 -1] {a b c d}
    }

    test {LMOVE - a one element list moved onto itself stays} {
        r del l
        r rpush l only
        foreach {from to} {left left left right right left right right} {
            assert_equal [r lmove l l $from $to] only
            assert_equal [r lrange l 0 -1] {only}
        }
        assert_equal [r rpoplpush l l] only
        assert_equal [r exists l] 1
    }

    test {LMOVE - a direction other than LEFT or RIGHT is a syntax error, before the keys} {
        r del src nokey str
        r rpush src a
        r set str v
        assert_error {ERR syntax error} {r lmove src dst up left}
        assert_error {ERR syntax error} {r lmove src dst left down}
        assert_error {ERR syntax error} {r lmove nokey dst up left}
        assert_error {ERR syntax error} {r lmove str dst head tail}
        assert_equal [r lrange src 0 -1] {a}
    }

    test {LMOVE - arity errors} {
        assert_error {ERR wrong number of arguments for 'lmove' command} {r lmove src dst left}
        assert_error {ERR wrong number of arguments for 'lmove' command} {r lmove src dst left left x}
        assert_error {ERR wrong number of arguments for 'rpoplpush' command} {r rpoplpush src}
        assert_error {ERR wrong number of arguments for 'rpoplpush' command} {r rpoplpush src dst x}
    }

    test {RPOPLPUSH - pops the tail and pushes it to the head of the destination} {
        r del src dst
        r rpush src a b c
        r rpush dst x
        assert_equal [r rpoplpush src dst] c
        assert_equal [r rpoplpush src dst] b
        assert_equal [r lrange src 0 -1] {a}
        assert_equal [r lrange dst 0 -1] {b c x}
        assert_equal [r rpoplpush src newdst] a
        assert_equal [r exists src] 0
        assert_equal [r lrange newdst 0 -1] {a}
    }

    test {RPOPLPUSH - the same source and destination rotates the list} {
        r del l
        r rpush l a b c
        assert_equal [r rpoplpush l l] c
        assert_equal [r lrange l 0 -1] {c a b}
        assert_equal [r rpoplpush l l] b
        assert_equal [r rpoplpush l l] a
        assert_equal [r lrange l 0 -1] {a b c}
    }

    # --- LMPOP ---

    test {LMPOP - pops from the first non-empty key and replies key and elements} {
        r del k1 k2 k3
        r rpush k2 a b c
        r rpush k3 x y
        assert_equal [r lmpop 3 k1 k2 k3 left] {k2 a}
        assert_equal [r lmpop 3 k1 k2 k3 right] {k2 c}
        assert_equal [r lrange k2 0 -1] {b}
        assert_equal [r lrange k3 0 -1] {x y}
        set c [raw_connect]
        assert_equal [raw_reply $c 6 lmpop 2 k1 k3 left] [list {*2} {$2} k3 {*1} {$1} x]
    }

    test {LMPOP - COUNT pops up to that many, in popping order} {
        r del l
        r rpush l a b c d e
        assert_equal [r lmpop 1 l left count 2] {l {a b}}
        assert_equal [r lmpop 1 l right count 2] {l {e d}}
        assert_equal [r lmpop 1 l RIGHT COUNT 10] {l c}
        assert_equal [r exists l] 0
    }

    test {LMPOP - the key is deleted when emptied, and the next call moves on} {
        r del k1 k2
        r rpush k1 a
        r rpush k2 b c
        assert_equal [r lmpop 2 k1 k2 left count 5] {k1 a}
        assert_equal [r exists k1] 0
        assert_equal [r lmpop 2 k1 k2 left count 5] {k2 {b c}}
        assert_equal [r exists k2] 0
    }

    test {LMPOP - no list to pop from is a null array} {
        r del k1 k2
        set c [raw_connect]
        assert_equal [raw_reply $c 1 lmpop 2 k1 k2 left] {*-1}
        assert_equal [raw_reply $c 1 lmpop 1 k1 right count 3] {*-1}
        assert_equal [r lmpop 1 k1 left] {}
    }

    test {LMPOP - a wrong-type key before the first list is an error, one after it is not reached} {
        r del str l nokey
        r set str v
        r rpush l a b
        assert_error $::list_wrongtype {r lmpop 2 str l left}
        assert_error $::list_wrongtype {r lmpop 3 nokey str l left}
        assert_equal [r lrange l 0 -1] {a b}
        assert_equal [r lmpop 2 l str right] {l b}
        assert_error $::list_wrongtype {r lmpop 1 str left}
    }

    test {LMPOP - numkeys must be a positive integer} {
        r del l
        r rpush l a
        foreach n {0 -1 x 1.5 9223372036854775808} {
            assert_error {ERR numkeys should be greater than 0} {r lmpop $n l left}
        }
        assert_equal [r lrange l 0 -1] {a}
    }

    test {LMPOP - more keys announced than given, or a bad direction, is a syntax error} {
        r del l
        r rpush l a
        assert_error {ERR syntax error} {r lmpop 2 l left}
        assert_error {ERR syntax error} {r lmpop 9223372036854775807 l left}
        assert_error {ERR syntax error} {r lmpop 1 l up}
        assert_error {ERR syntax error} {r lmpop 1 l l}
        assert_equal [r lrange l 0 -1] {a}
    }

    test {LMPOP - COUNT errors and extra arguments} {
        r del l
        r rpush l a
        foreach n {0 -1 x} {
            assert_error {ERR count should be greater than 0} {r lmpop 1 l left count $n}
        }
        assert_error {ERR syntax error} {r lmpop 1 l left count 1 count 1}
        assert_error {ERR syntax error} {r lmpop 1 l left count}
        assert_error {ERR syntax error} {r lmpop 1 l left foo}
        assert_error {ERR syntax error} {r lmpop 1 l left 1}
        assert_equal [r lrange l 0 -1] {a}
    }

    test {LMPOP - arity errors} {
        assert_error {ERR wrong number of arguments for 'lmpop' command} {r lmpop 1 l}
        assert_error {ERR wrong number of arguments for 'lmpop' command} {r lmpop 1}
        assert_error {ERR wrong number of arguments for 'lmpop' command} {r lmpop}
    }

    # --- RESP3 ---

    test {RESP3 - missing elements and keys are nulls, arrays stay arrays} {
        r del l nokey
        r rpush l a b
        set c [raw_resp3_client]
        assert_equal [raw_reply $c 1 lpop nokey] {_}
        assert_equal [raw_reply $c 1 lpop nokey 2] {_}
        assert_equal [raw_reply $c 1 rpop nokey 0] {_}
        assert_equal [raw_reply $c 1 lindex l 5] {_}
        assert_equal [raw_reply $c 1 lindex nokey 0] {_}
        assert_equal [raw_reply $c 1 lpos l zz] {_}
        assert_equal [raw_reply $c 1 lpos nokey a] {_}
        assert_equal [raw_reply $c 1 lmove nokey l left left] {_}
        assert_equal [raw_reply $c 1 rpoplpush nokey l] {_}
        assert_equal [raw_reply $c 1 lmpop 1 nokey left] {_}
        assert_equal [raw_reply $c 1 lpos l zz count 0] {*0}
        assert_equal [raw_reply $c 1 lpos nokey a count 0] {*0}
        assert_equal [raw_reply $c 1 lrange nokey 0 -1] {*0}
        assert_equal [raw_reply $c 1 lpop l 0] {*0}
        assert_equal [raw_reply $c 1 lpos l b] {:1}
        assert_equal [raw_reply $c 2 lpos l b count 0] {*1 :1}
        assert_equal [raw_reply $c 5 lrange l 0 -1] [list {*2} {$1} a {$1} b]
        assert_equal [raw_reply $c 1 llen l] {:2}
        assert_equal [raw_reply $c 1 linsert l before zz x] {:-1}
        assert_equal [raw_reply $c 6 lmpop 1 l right] [list {*2} {$1} l {*1} {$1} b]
        assert_equal [raw_reply $c 2 lpop l] [list {$1} a]
    }

    # --- integers and binary elements ---

    test {Integers - integer-like elements come back exactly as pushed} {
        r del l
        set elements [list 1 -5 0 9223372036854775807 -9223372036854775808 \
            12345678901234567890 -12345678901234567890 01 +1 -0 1.0 " 1" 1e3 \
            0x10 4294967296 127 128 -128 -129 32767 32768 8388607 8388608]
        r rpush l {*}$elements
        assert_equal [r lrange l 0 -1] $elements
        for {set i 0} {$i < [llength $elements]} {incr i} {
            assert_equal [r lindex l $i] [lindex $elements $i] "(index $i)"
        }
        assert_equal [r lpop l 3] {1 -5 0}
        assert_equal [r rpop l] 8388608
        assert_equal [r lpop l] 9223372036854775807
    }

    test {Integers - matching compares bytes: 1 is not 01, +1, 1.0 or " 1"} {
        r del l
        r rpush l 1 01 +1 1.0 " 1" 1
        assert_equal [r lpos l 1 count 0] {0 5}
        assert_equal [r lpos l 01] 1
        assert_equal [r lpos l +1] 2
        assert_equal [r lpos l 1.0] 3
        assert_equal [r lpos l " 1"] 4
        assert_equal [r lpos l 001] {}
        assert_equal [r linsert l after 1 x] 7
        assert_equal [r lindex l 1] x
        assert_equal [r lrem l 0 1] 2
        assert_equal [r lrange l 0 -1] [list x 01 +1 1.0 " 1"]
        assert_equal [r lrem l 0 01] 1
        assert_equal [r lrange l 0 -1] [list x +1 1.0 " 1"]
    }

    test {Integers - numbers past int64 are plain strings} {
        r del l
        r rpush l 12345678901234567890 9223372036854775808 -9223372036854775809
        assert_equal [r lpos l 12345678901234567890] 0
        assert_equal [r lpos l 9223372036854775808] 1
        assert_equal [r lset l 0 18446744073709551616] OK
        assert_equal [r lrange l 0 -1] {18446744073709551616 9223372036854775808 -9223372036854775809}
        assert_equal [r rpoplpush l l] -9223372036854775809
        assert_equal [r lindex l 0] -9223372036854775809
    }

    test {Binary elements - NUL, CR, LF and high bytes round trip} {
        r del l dst
        set elements [list "a\x00b" "\r\n" "\x00" "\xff\xfe\x80" "tab\there" "" "\x00\x00\x00"]
        r rpush l {*}$elements
        assert_equal [r lrange l 0 -1] $elements
        assert_equal [r lindex l 0] "a\x00b"
        assert_equal [r lpos l "\x00"] 2
        assert_equal [r lpos l "\x00\x00"] {}
        assert_equal [r linsert l before "\xff\xfe\x80" "\x01"] 8
        assert_equal [r lindex l 3] "\x01"
        assert_equal [r lrem l 0 "\r\n"] 1
        assert_equal [r lmove l dst left left] "a\x00b"
        assert_equal [r lrange dst 0 -1] [list "a\x00b"]
        assert_equal [r rpop l 2] [list "\x00\x00\x00" ""]
        assert_equal [r lset l 0 "\x00\r\n\x00"] OK
        assert_equal [r lrange l 0 -1] [list "\x00\r\n\x00" "\x01" "\xff\xfe\x80" "tab\there"]
    }

    test {Binary elements - random binary elements round trip} {
        expr {srand(2024)}
        r del l
        set elements {}
        for {set i 0} {$i < 200} {incr i} {
            lappend elements [randstring [expr {int(rand() * 40)}] binary]
        }
        r rpush l {*}$elements
        assert_equal [r lrange l 0 -1] $elements
        for {set i 0} {$i < 200} {incr i 17} {
            assert_equal [r lindex l $i] [lindex $elements $i] "(index $i)"
        }
        assert_equal [r lpop l 200] $elements
        assert_equal [r exists l] 0
    }

    test {Big elements - a 100 KB element round trips through push, index, move and pop} {
        r del l dst
        set big [string repeat "0123456789" 10000]
        r rpush l a $big b
        assert_equal [r llen l] 3
        assert_equal [r lindex l 1] $big
        assert_equal [r lpos l $big] 1
        assert_equal [r lrange l 1 1] [list $big]
        assert_equal [r linsert l after $big c] 4
        assert_equal [r lrange l 0 -1] [list a $big c b]
        r lpop l
        assert_equal [r lmove l dst left right] $big
        assert_equal [r rpop dst] $big
        assert_equal [r exists dst] 0
    }

    # --- the generic commands ---

    test {TYPE - list for a list key} {
        r del l
        r rpush l a
        assert_equal [r type l] list
        r lpop l
        assert_equal [r type l] none
    }

    test {SCAN - TYPE list returns only list keys} {
        r flushdb
        r rpush l1 a
        r lpush l2 b c
        r set str v
        r hset h f v
        r sadd s m
        for {set i 0} {$i < 50} {incr i} { r rpush many:$i x }
        set keys {}
        set cursor 0
        for {set calls 0} {$calls < 10000} {incr calls} {
            lassign [r scan $cursor type list count 10] cursor batch
            lappend keys {*}$batch
            if {$cursor eq "0"} break
        }
        assert_equal $cursor 0
        set keys [lsort -unique $keys]
        assert_equal [llength $keys] 52
        assert {"l1" in $keys && "l2" in $keys && "many:49" in $keys}
        assert {"str" ni $keys && "h" ni $keys && "s" ni $keys}
    }

    test {EXISTS, DEL, UNLINK - on list keys} {
        r del l1 l2 l3
        r rpush l1 a
        r rpush l2 a b
        r rpush l3 c
        assert_equal [r exists l1 l2 l3 nokey] 3
        assert_equal [r del l1 l2 nokey] 2
        assert_equal [r exists l1 l2] 0
        assert_equal [r unlink l3] 1
        assert_equal [r lrange l3 0 -1] {}
        assert_equal [r llen l3] 0
    }

    test {RENAME - a list keeps its elements under the new name} {
        r del l l2
        r rpush l a b c
        assert_equal [r rename l l2] OK
        assert_equal [r exists l] 0
        assert_equal [r lrange l2 0 -1] {a b c}
        r set str v
        assert_equal [r rename l2 str] OK
        assert_equal [r type str] list
        assert_equal [r lrange str 0 -1] {a b c}
    }

    test {COPY - the copy is an independent list} {
        r del l c
        r rpush l a b c
        assert_equal [r copy l c] 1
        assert_equal [r lrange c 0 -1] {a b c}
        r rpush l d
        r lset c 0 A
        r lpop c
        assert_equal [r lrange l 0 -1] {a b c d}
        assert_equal [r lrange c 0 -1] {b c}
        assert_equal [r copy l c] 0
        assert_equal [r copy l c replace] 1
        assert_equal [r lrange c 0 -1] {a b c d}
        r del l
        assert_equal [r lrange c 0 -1] {a b c d}
    }

    test {COPY - a big list is copied whole and stays independent} {
        r del l c
        set elements {}
        for {set i 0} {$i < 1000} {incr i} { lappend elements e$i }
        list_rpush_batches l $elements
        assert_equal [r copy l c] 1
        assert_equal [r lrange c 0 -1] $elements
        r ltrim l 0 9
        assert_equal [r llen c] 1000
        assert_equal [r lindex c 999] e999
        r lset c 500 changed
        assert_equal [r lrange l 0 -1] [lrange $elements 0 9]
    }

    test {EXPIRE - a list key gets a TTL and expires} {
        r del l
        r rpush l a b
        assert_equal [r expire l 100] 1
        assert_range [r ttl l] 90 100
        # Pushing and popping keeps the TTL.
        r rpush l c
        r lpop l
        assert_range [r ttl l] 90 100
        r pexpire l 50
        wait_for_condition 100 10 {[r exists l] == 0} else {
            fail "the list did not expire"
        }
        assert_equal [r lrange l 0 -1] {}
    }

    test {EXPIRE - a list emptied and recreated has no TTL} {
        r del l
        r rpush l a
        r expire l 100
        r lpop l
        assert_equal [r ttl l] -2
        r rpush l b
        assert_equal [r ttl l] -1
    }

    test {MEMORY USAGE - an integer for a list, larger for a larger list} {
        r del l big
        r rpush l a
        set n [r memory usage l]
        assert {[string is integer -strict $n] && $n > 0} "(got '$n')"
        set elements {}
        for {set i 0} {$i < 1000} {incr i} { lappend elements [string repeat x 100] }
        list_rpush_batches big $elements
        set m [r memory usage big]
        assert {[string is integer -strict $m] && $m > 100000} "(got '$m')"
        assert_equal [r memory usage nokey] {}
    }

    test {WRONGTYPE - string and set commands on a list key} {
        r del l
        r rpush l a
        assert_error $::list_wrongtype {r get l}
        assert_error $::list_wrongtype {r append l x}
        assert_error $::list_wrongtype {r incr l}
        assert_error $::list_wrongtype {r sadd l x}
        assert_error $::list_wrongtype {r hget l f}
        assert_equal [r mget l] {{}}
        assert_equal [r set l v] OK
        assert_equal [r type l] string
    }

    # --- transactions ---

    test {WATCH - an LPUSH by another client aborts EXEC} {
        r del l
        r rpush l a
        r watch l
        set other [redis_client]
        $other lpush l b
        r multi
        r rpush l c
        assert_equal [r exec] {}
        assert_equal [r lrange l 0 -1] {b a}
    }

    test {WATCH - each list write by another client aborts EXEC} {
        set other [redis_client]
        foreach cmd {
            {rpush l x} {lpushx l x} {rpushx l x} {lpop l} {rpop l 2} {lset l 0 z}
            {linsert l before a z} {lrem l 1 a} {ltrim l 0 0} {ltrim l 0 -1}
            {lmove l dst left left} {lmove src l left left} {rpoplpush l l}
            {lmpop 1 l left} {del l}
        } {
            r del l src dst
            r rpush l a b c
            r rpush src s
            r watch l
            $other {*}$cmd
            r multi
            r llen l
            assert_equal [r exec] {} "(after $cmd)"
        }
    }

    test {WATCH - list commands that change nothing do not abort EXEC} {
        set other [redis_client]
        r del nokey
        foreach cmd {
            {lpushx nokey x} {linsert l before zz x} {lrem l 0 zz} {lpop l 0}
            {lrange l 0 -1} {lindex l 0} {lpos l a} {llen l} {lmove nokey l left left}
            {lmpop 1 nokey left} {ltrim nokey 0 1}
        } {
            r del l
            r rpush l a b c
            r watch l nokey
            catch {$other {*}$cmd}
            r multi
            r llen l
            assert_equal [r exec] {3} "(after $cmd)"
        }
        # A failed LSET does not touch the list either.
        r watch l
        catch {$other lset l 10 x}
        r multi
        r llen l
        assert_equal [r exec] {3}
    }

    test {MULTI - list commands are queued and run by EXEC} {
        r del l dst
        r multi
        assert_equal [r rpush l a b c d] QUEUED
        assert_equal [r lpush l z] QUEUED
        assert_equal [r lpop l 2] QUEUED
        assert_equal [r lrange l 0 -1] QUEUED
        assert_equal [r lmove l dst right left] QUEUED
        assert_equal [r linsert l after b x] QUEUED
        assert_equal [r lpos l x] QUEUED
        assert_equal [r lmpop 2 nokey l left count 5] QUEUED
        assert_equal [r exec] {4 5 {z a} {b c d} d 3 1 {l {b x c}}}
        assert_equal [r exists l] 0
        assert_equal [r lrange dst 0 -1] {d}
    }

    test {MULTI - a WRONGTYPE list command fails alone inside EXEC} {
        r del l str
        r set str v
        set c [raw_connect]
        $c write_raw "MULTI\r\nRPUSH l a\r\nLPUSH str a\r\nLLEN l\r\nEXEC\r\n"
        set lines {}
        for {set i 0} {$i < 8} {incr i} { lappend lines [$c read] }
        assert_equal $lines [list +OK +QUEUED +QUEUED +QUEUED *3 :1 "-$::list_wrongtype" :1]
    }

    # --- scripts ---

    test {EVAL - redis.call('lrange') is a Lua table returned as an array} {
        r del l
        r rpush l a b c
        assert_equal [r eval {return redis.call('lrange', KEYS[1], 0, -1)} 1 l] {a b c}
        assert_equal [r eval {local t = redis.call('lrange', KEYS[1], 0, -1); return #t} 1 l] 3
        assert_equal [r eval {local t = redis.call('lrange', KEYS[1], 0, -1); return t[2]} 1 l] b
        set c [raw_connect]
        assert_equal [raw_reply $c 7 eval {return redis.call('lrange', KEYS[1], 0, -1)} 1 l] \
            [list {*3} {$1} a {$1} b {$1} c]
        assert_equal [raw_reply $c 1 eval {return redis.call('lrange', KEYS[1], 0, -1)} 1 nokey] {*0}
    }

    test {EVAL - list writes and their reply types inside a script} {
        r del l
        assert_equal [r eval {return redis.call('rpush', KEYS[1], 'a', 'b', 'c')} 1 l] 3
        assert_equal [r eval {return redis.call('lpop', KEYS[1])} 1 l] a
        assert_equal [r eval {return redis.call('rpop', KEYS[1], 1)} 1 l] {c}
        assert_equal [r eval {return redis.call('lpos', KEYS[1], 'b')} 1 l] 0
        assert_equal [r eval {return redis.call('lmpop', 1, KEYS[1], 'left')} 1 l] {l b}
        # A missing element is false in Lua: the nil checks see it.
        assert_equal [r eval {return redis.call('lpop', KEYS[1]) == false} 1 l] 1
        assert_equal [r eval {return redis.call('lpop', KEYS[1], 2) == false} 1 l] 1
        assert_equal [r eval {return redis.call('lindex', KEYS[1], 0) == false} 1 l] 1
        set c [raw_connect]
        assert_equal [raw_reply $c 1 eval {return redis.call('lpop', KEYS[1])} 1 l] [list {$-1}]
    }

    test {EVAL - a list command on a string key raises WRONGTYPE} {
        r del str l
        r set str v
        r rpush l a
        assert_error "$::list_wrongtype script: *" {r eval {return redis.call('lpush', KEYS[1], 'a')} 1 str}
        assert_error $::list_wrongtype {r eval {return redis.pcall('lrange', KEYS[1], 0, -1)} 1 str}
        assert_error {ERR index out of range*} {r eval {return redis.call('lset', KEYS[1], 5, 'a')} 1 l}
    }
}

# --- encodings and list-max-listpack-size ---

start_server {tags {list}} {
    test {CONFIG GET - list-max-listpack-size defaults to -2, list-max-ziplist-size is its alias} {
        assert_equal [r config get list-max-listpack-size] {list-max-listpack-size -2}
        assert_equal [r config get list-max-ziplist-size] {list-max-ziplist-size -2}
    }

    test {OBJECT ENCODING - listpack (7.2+) for a small list} {
        r del l
        r rpush l a b 1 2
        list_assert_encoding l listpack
        r lpush l2 x
        list_assert_encoding l2 listpack
    }

    test {OBJECT ENCODING - an element over 8 KB makes the list a quicklist} {
        r del l l2
        r rpush l a [string repeat x 9000]
        list_assert_encoding l quicklist
        # 8000 bytes is still under the limit.
        r rpush l2 [string repeat x 8000]
        list_assert_encoding l2 listpack
        assert_equal [r lrange l 0 0] {a}
        assert_equal [string length [r lindex l 1]] 9000
    }

    test {OBJECT ENCODING - many small elements over 8 KB in total make a quicklist} {
        r del l
        set e [string repeat y 100]
        for {set i 0} {$i < 70} {incr i} { r rpush l $e }
        list_assert_encoding l listpack "(70 x 100 bytes)"
        for {set i 0} {$i < 20} {incr i} { r rpush l $e }
        list_assert_encoding l quicklist "(90 x 100 bytes)"
        assert_equal [r llen l] 90
    }

    test {OBJECT ENCODING - LSET, LINSERT and LMOVE of a big element convert too} {
        set big [string repeat z 9000]
        r del l src dst
        r rpush l a b c
        r lset l 1 $big
        list_assert_encoding l quicklist "(LSET)"
        assert_equal [r lrange l 0 -1] [list a $big c]
        r del l
        r rpush l a b c
        assert_equal [r linsert l after b $big] 4
        list_assert_encoding l quicklist "(LINSERT)"
        r rpush dst x
        r rpush src $big
        assert_equal [r lmove src dst left right] $big
        list_assert_encoding dst quicklist "(LMOVE)"
    }

    test {OBJECT ENCODING - popping the only big element of a quicklist makes it a listpack (7.2+)} {
        if {![version_at_least 7.2]} { skip_test "listpack lists are new in Redis 7.2" }
        r del l
        r rpush l a b c
        r rpush l [string repeat x 9000]
        assert_equal [r object encoding l] quicklist
        assert_equal [string length [r rpop l]] 9000
        assert_equal [r object encoding l] listpack
        assert_equal [r lrange l 0 -1] {a b c}
    }

    test {OBJECT ENCODING - a quicklist goes back to listpack only at half the size limit (7.2+)} {
        if {![version_at_least 7.2]} { skip_test "listpack lists are new in Redis 7.2" }
        # 100 bytes per element: 90 of them pass 8 KB, 60 (about 6 KB) are
        # more than half of it, 30 (about 3 KB) are less.
        r del l
        set e [string repeat y 100]
        for {set i 0} {$i < 90} {incr i} { r rpush l $e }
        assert_equal [r object encoding l] quicklist
        r rpop l 30
        assert_equal [r llen l] 60
        assert_equal [r object encoding l] quicklist
        r rpop l 30
        assert_equal [r llen l] 30
        assert_equal [r object encoding l] listpack
    }

    test {CONFIG SET - list-max-ziplist-size sets list-max-listpack-size} {
        assert_equal [r config set list-max-ziplist-size 4] OK
        assert_equal [r config get list-max-listpack-size] {list-max-listpack-size 4}
        r del l
        r rpush l a b c d
        list_assert_encoding l listpack
        r rpush l e
        list_assert_encoding l quicklist
        assert_equal [r config set list-max-listpack-size -2] OK
        assert_equal [r config get list-max-ziplist-size] {list-max-ziplist-size -2}
    }
}

start_server {overrides {list-max-listpack-size 4} tags {list}} {
    test {CONFIG GET - list-max-listpack-size from the command line, under both names} {
        assert_equal [r config get list-max-listpack-size] {list-max-listpack-size 4}
        assert_equal [r config get list-max-ziplist-size] {list-max-ziplist-size 4}
    }

    test {OBJECT ENCODING - 4 elements stay listpack, the 5th converts} {
        r del l
        assert_equal [r rpush l a b c d] 4
        list_assert_encoding l listpack
        assert_equal [r lpush l e] 5
        list_assert_encoding l quicklist
        assert_equal [r lrange l 0 -1] {e a b c d}
    }

    test {OBJECT ENCODING - 5 elements in one push convert at once} {
        r del l
        r rpush l 1 2 3 4 5
        list_assert_encoding l quicklist
        assert_equal [r lrange l 0 -1] {1 2 3 4 5}
    }

    test {OBJECT ENCODING - LINSERT, LPUSHX, RPUSHX, LMOVE and RPOPLPUSH adding a 5th convert} {
        foreach cmd {
            {linsert l before b x} {lpushx l x} {rpushx l x} {lmove src l left right}
            {rpoplpush src l}
        } {
            r del l src
            r rpush l a b c d
            r rpush src x
            r {*}$cmd
            list_assert_encoding l quicklist "($cmd)"
            assert_equal [r llen l] 5 "($cmd)"
            assert_equal [r lpos l x] [expr {[lindex $cmd 0] in {linsert} ? 1 :
                [lindex $cmd 0] in {lpushx rpoplpush} ? 0 : 4}] "($cmd)"
        }
    }

    test {OBJECT ENCODING - LSET and LINSERT below the limit keep a listpack} {
        # At the limit (4 elements here) Redis 7.2+ converts on any LSET, and
        # on a LINSERT whose pivot is missing, because it makes room for the
        # new element before looking at the index or the pivot. That is not
        # asserted: 7.0 has no listpack lists to compare with.
        r del l
        r rpush l a b c
        assert_equal [r lset l 0 A] OK
        list_assert_encoding l listpack
        assert_equal [r linsert l before zz x] -1
        list_assert_encoding l listpack
        assert_equal [r linsert l before b x] 4
        list_assert_encoding l listpack
        assert_equal [r lrange l 0 -1] {A x b c}
    }

    test {OBJECT ENCODING - RPOP back to half the limit converts to listpack (7.2+)} {
        if {![version_at_least 7.2]} { skip_test "listpack lists are new in Redis 7.2" }
        r del l
        r rpush l a b c d e
        assert_equal [r object encoding l] quicklist
        # 4 and 3 elements are more than half of 4: still a quicklist.
        r rpop l
        assert_equal [r object encoding l] quicklist
        r rpop l
        assert_equal [r object encoding l] quicklist
        r rpop l
        assert_equal [r object encoding l] listpack
        assert_equal [r lrange l 0 -1] {a b}
    }

    test {OBJECT ENCODING - LTRIM, LREM, LMPOP and LMOVE shrinking to 2 convert to listpack (7.2+)} {
        if {![version_at_least 7.2]} { skip_test "listpack lists are new in Redis 7.2" }
        foreach {shrink3 shrink2} {
            {ltrim l 0 2} {ltrim l 0 1}
            {lrem l 0 x} {lrem l 1 c}
            {lmpop 1 l right count 3} {lmpop 1 l right}
            {rpop l 3} {lmove l dst right left}
        } {
            r del l dst
            r rpush l a b c x x x
            assert_equal [r object encoding l] quicklist
            r {*}$shrink3
            assert_equal [r llen l] 3 "($shrink3)"
            assert_equal [r object encoding l] quicklist "($shrink3)"
            r {*}$shrink2
            assert_equal [r lrange l 0 -1] {a b} "($shrink2)"
            assert_equal [r object encoding l] listpack "($shrink2)"
        }
    }

    test {OBJECT ENCODING - a quicklist popped down to one element is a listpack (7.2+)} {
        if {![version_at_least 7.2]} { skip_test "listpack lists are new in Redis 7.2" }
        r del l
        r rpush l a b c d e f g h i
        r lpop l 8
        assert_equal [r object encoding l] listpack
        assert_equal [r lrange l 0 -1] {i}
    }

    test {List commands - the same replies on a listpack and on a quicklist} {
        foreach enc {listpack quicklist} {
            r del l dst
            if {$enc eq "listpack"} {
                r rpush l a b a c
            } else {
                # Pushed past the limit then trimmed from the tail, so the
                # list keeps its quicklist encoding with the same content.
                r rpush l a b a c x x
                r rpop l 1
                r rpop l 1
            }
            assert_equal [r lrange l 0 -1] {a b a c} "($enc)"
            list_assert_encoding l $enc
            assert_equal [r llen l] 4
            assert_equal [r lindex l -2] a
            assert_equal [r lrange l 1 -2] {b a}
            assert_equal [r lpos l a rank -1] 2
            assert_equal [r lpos l a count 0] {0 2}
            assert_equal [r linsert l before zz x] -1
            assert_equal [r lset l 1 B] OK
            assert_error {ERR index out of range} {r lset l 4 x}
            assert_equal [r lmove l l left right] a
            assert_equal [r lrange l 0 -1] {B a c a} "($enc)"
            assert_equal [r lrem l -1 a] 1
            assert_equal [r lrange l 0 -1] {B a c} "($enc)"
            assert_equal [r lpop l 0] {}
            assert_equal [r rpop l 2] {c a}
            assert_equal [r lmpop 1 l left count 9] {l B}
            assert_equal [r exists l] 0
        }
    }
}

# --- a 10,000 element list, and random operations against a model ---

start_server {tags {list}} {
    # 10,000 elements, strings and integers mixed: e:0 1 e:2 3 ...
    proc list_big_model {} {
        set l {}
        for {set i 0} {$i < 10000} {incr i} {
            lappend l [expr {$i % 2 ? $i : "e:$i"}]
        }
        return $l
    }

    test {Big list - 10000 elements pushed in batches read back by LRANGE and LINDEX} {
        r del big
        set model [list_big_model]
        assert_equal [list_rpush_batches big $model] 10000
        assert_equal [r llen big] 10000
        assert_equal [r object encoding big] quicklist
        assert_equal [r lrange big 0 -1] $model
        expr {srand(7)}
        for {set i 0} {$i < 50} {incr i} {
            set start [expr {int(rand() * 10000)}]
            set end [expr {$start + int(rand() * 300)}]
            assert_equal [r lrange big $start $end] [lrange $model $start $end] "(LRANGE $start $end)"
            set ns [expr {$start - 10000}]
            set ne [expr {min($end, 9999) - 10000}]
            assert_equal [r lrange big $ns $ne] [lrange $model $start $end] "(LRANGE $ns $ne)"
        }
        foreach i {0 1 2 127 128 129 4999 5000 9998 9999} {
            assert_equal [r lindex big $i] [lindex $model $i] "(LINDEX $i)"
            assert_equal [r lindex big [expr {$i - 10000}]] [lindex $model $i] "(LINDEX $i - 10000)"
        }
        for {set i 3} {$i < 10000} {incr i 97} {
            assert_equal [r lindex big $i] [lindex $model $i] "(LINDEX $i)"
        }
        assert_equal [r lindex big 10000] {}
        assert_equal [r lindex big -10001] {}
        assert_equal [r lrange big 9990 20000] [lrange $model 9990 end]
    }

    test {Big list - LINSERT, LSET, LREM and LTRIM across node boundaries match a model} {
        foreach fill {-2 4} {
            r config set list-max-listpack-size $fill
            r del big
            set model [list_big_model]
            list_rpush_batches big $model
            # LINSERT in the middle, before and after.
            assert_equal [r linsert big before e:5000 mid1] 10001
            set model [linsert $model 5000 mid1]
            assert_equal [r linsert big after 7777 mid2] 10002
            set model [linsert $model [expr {[lsearch -exact $model 7777] + 1}] mid2]
            # LSET every 131st element, from both ends.
            for {set i 0} {$i < 10002} {incr i 131} {
                assert_equal [r lset big $i set:$i] OK
                lset model $i set:$i
                set j [expr {-1 - $i}]
                assert_equal [r lset big $j neg:$i] OK
                lset model end-$i neg:$i
            }
            # LREM of elements spread over the list.
            foreach e {e:0 9999 e:4000 mid1 nothere} {
                lassign [list_model_lrem $model 1 $e] model want
                assert_equal [r lrem big 1 $e] $want "(LREM $e)"
            }
            r rpush big dup x dup x dup
            lappend model dup x dup x dup
            r lpush big dup
            set model [linsert $model 0 dup]
            lassign [list_model_lrem $model -2 dup] model want
            assert_equal [r lrem big -2 dup] $want
            lassign [list_model_lrem $model 0 x] model want
            assert_equal [r lrem big 0 x] $want
            assert_equal [r llen big] [llength $model] "(fill $fill)"
            assert_equal [r lrange big 0 -1] $model "(fill $fill)"
            # LTRIM from both ends.
            assert_equal [r ltrim big 333 -444] OK
            set model [lrange $model 333 end-443]
            assert_equal [r llen big] [llength $model]
            assert_equal [r lrange big 0 -1] $model "(fill $fill, after LTRIM)"
            assert_equal [r lindex big 4321] [lindex $model 4321]
        }
        r config set list-max-listpack-size -2
    }

    test {Big list - LPOS finds elements far from the head, with RANK, COUNT and MAXLEN} {
        r del big
        set model [list_big_model]
        list_rpush_batches big $model
        assert_equal [r lpos big 9999] 9999
        assert_equal [r lpos big e:5000] 5000
        assert_equal [r lpos big e:5000 maxlen 5000] {}
        assert_equal [r lpos big e:5000 maxlen 5001] 5000
        assert_equal [r lpos big e:5000 rank -1 maxlen 5000] 5000
        assert_equal [r lpos big e:5000 rank -1 maxlen 4999] {}
        r rpush big e:0 e:0
        assert_equal [r lpos big e:0 count 0] {0 10000 10001}
        assert_equal [r lpos big e:0 rank -1 count 0] {10001 10000 0}
        assert_equal [r lpos big e:0 rank 3] 10001
        assert_equal [r lpos big nothere count 0] {}
    }

    test {Big list - LPOP and RPOP with counts drain it in order} {
        r del big
        set model [list_big_model]
        list_rpush_batches big $model
        set head {}
        set tail {}
        for {set calls 0} {$calls < 100 && [r exists big]} {incr calls} {
            set got [r lpop big 997]
            assert_equal [llength $got] [expr {min(997, 10000 - [llength $head] - [llength $tail])}]
            lappend head {*}$got
            if {![r exists big]} break
            set got [r rpop big 1003]
            set tail [concat [lreverse $got] $tail]
        }
        assert_equal [r exists big] 0
        assert_equal [concat $head $tail] $model
    }

    test {Big list - RPOPLPUSH and LMOVE onto the same key rotate it} {
        r del big
        set model [list_big_model]
        list_rpush_batches big $model
        for {set i 0} {$i < 150} {incr i} {
            assert_equal [r rpoplpush big big] [lindex $model end]
            set model [linsert [lrange $model 0 end-1] 0 [lindex $model end]]
        }
        for {set i 0} {$i < 50} {incr i} {
            assert_equal [r lmove big big left right] [lindex $model 0]
            set model [concat [lrange $model 1 end] [list [lindex $model 0]]]
        }
        assert_equal [r lrange big 0 -1] $model
        assert_equal [r llen big] 10000
    }

    test {Random operations - a list and a Tcl model agree, with 4, -1 and -2 as the listpack size} {
        set alphabet [list a b c 1 2 -3 "" "x y" 12345678901234567890 [string repeat L 60]]
        set bigelem [string repeat B 5000]
        foreach fill {4 -1 -2} seed {11 22 33} {
            expr {srand($seed)}
            r config set list-max-listpack-size $fill
            r del rl
            set model {}
            for {set step 0} {$step < 2500} {incr step} {
                set len [llength $model]
                set op [expr {int(rand() * 16)}]
                # The list grows to about 300 elements, then stays around it.
                if {$len > 300 && ($op < 4 || $op > 13)} { set op 4 }
                set e [lindex $alphabet [expr {int(rand() * [llength $alphabet])}]]
                if {rand() < 0.01} { set e $bigelem }
                set where "(fill $fill, step $step, op $op)"
                switch $op {
                    0 {
                        assert_equal [r lpush rl $e] [expr {$len + 1}] $where
                        set model [linsert $model 0 $e]
                    }
                    1 {
                        set e2 [lindex $alphabet [expr {int(rand() * [llength $alphabet])}]]
                        assert_equal [r rpush rl $e $e2] [expr {$len + 2}] $where
                        lappend model $e $e2
                    }
                    2 {
                        set r1 [r linsert rl before $e new]
                        set i [lsearch -exact $model $e]
                        if {$len == 0} {
                            assert_equal $r1 0 $where
                        } elseif {$i < 0} {
                            assert_equal $r1 -1 $where
                        } else {
                            set model [linsert $model $i new]
                            assert_equal $r1 [llength $model] $where
                        }
                    }
                    3 {
                        set r1 [r linsert rl after $e new]
                        set i [lsearch -exact $model $e]
                        if {$len == 0} {
                            assert_equal $r1 0 $where
                        } elseif {$i < 0} {
                            assert_equal $r1 -1 $where
                        } else {
                            set model [linsert $model [expr {$i + 1}] new]
                            assert_equal $r1 [llength $model] $where
                        }
                    }
                    4 {
                        set n [expr {int(rand() * 6)}]
                        set got [r lpop rl $n]
                        if {$len == 0} {
                            assert_equal $got {} $where
                        } else {
                            assert_equal $got [lrange $model 0 [expr {$n - 1}]] $where
                            set model [lrange $model $n end]
                        }
                    }
                    5 {
                        set got [r rpop rl]
                        assert_equal $got [lindex $model end] $where
                        set model [lrange $model 0 end-1]
                    }
                    6 {
                        set i [expr {int(rand() * ($len + 2)) - 1}]
                        if {rand() < 0.5} { set i [expr {$i - $len}] }
                        set norm [expr {$i < 0 ? $len + $i : $i}]
                        if {$len == 0} {
                            assert_error {ERR no such key} {r lset rl $i $e}
                        } elseif {$norm < 0 || $norm >= $len} {
                            assert_error {ERR index out of range} {r lset rl $i $e}
                        } else {
                            assert_equal [r lset rl $i $e] OK $where
                            lset model $norm $e
                        }
                    }
                    7 {
                        set count [expr {int(rand() * 5) - 2}]
                        lassign [list_model_lrem $model $count $e] model want
                        assert_equal [r lrem rl $count $e] $want "$where LREM $count"
                    }
                    8 {
                        if {rand() < 0.7} {
                            assert_equal [r llen rl] $len $where
                            continue
                        }
                        set start [expr {int(rand() * 3)}]
                        set end [expr {-1 - int(rand() * 3)}]
                        assert_equal [r ltrim rl $start $end] OK
                        set range [list_model_range $len $start $end]
                        if {$range eq ""} {
                            set model {}
                        } else {
                            set model [lrange $model {*}$range]
                        }
                    }
                    9 {
                        set got [r lmove rl rl left right]
                        assert_equal $got [lindex $model 0] $where
                        if {$len} { set model [concat [lrange $model 1 end] [list $got]] }
                    }
                    10 {
                        set got [r rpoplpush rl rl]
                        assert_equal $got [lindex $model end] $where
                        if {$len} { set model [concat [list $got] [lrange $model 0 end-1]] }
                    }
                    11 {
                        set i [expr {int(rand() * ($len + 2)) - int(rand() * ($len + 2))}]
                        set norm [expr {$i < 0 ? $len + $i : $i}]
                        set want [expr {$norm >= 0 && $norm < $len ? [lindex $model $norm] : ""}]
                        assert_equal [r lindex rl $i] $want "$where LINDEX $i"
                    }
                    12 {
                        set rank [expr {int(rand() * 3) + 1}]
                        if {rand() < 0.5} { set rank [expr {-$rank}] }
                        assert_equal [r lpos rl $e rank $rank] [list_model_lpos $model $e $rank] \
                            "$where LPOS rank $rank"
                    }
                    13 {
                        set start [expr {int(rand() * ($len + 2)) - 1}]
                        set end [expr {$start + int(rand() * 20)}]
                        set range [list_model_range $len $start $end]
                        set want [expr {$range eq "" ? {} : [lrange $model {*}$range]}]
                        assert_equal [r lrange rl $start $end] $want "$where LRANGE $start $end"
                    }
                    14 - 15 {
                        set batch {}
                        for {set i 0} {$i < 6} {incr i} {
                            lappend batch [lindex $alphabet [expr {int(rand() * [llength $alphabet])}]]
                        }
                        if {$op == 14} {
                            assert_equal [r lpush rl {*}$batch] [expr {$len + 6}] $where
                            set model [concat [lreverse $batch] $model]
                        } else {
                            assert_equal [r rpush rl {*}$batch] [expr {$len + 6}] $where
                            set model [concat $model $batch]
                        }
                    }
                }
                if {$step % 50 == 0} {
                    assert_equal [r llen rl] [llength $model] $where
                    assert_equal [r exists rl] [expr {[llength $model] > 0}] $where
                }
            }
            assert_equal [r lrange rl 0 -1] $model "(fill $fill, end)"
            assert_equal [r llen rl] [llength $model]
        }
        r config set list-max-listpack-size -2
    }
}

# --- keyspace notifications ---

start_server {tags {list notify}} {
    test {Keyspace events - LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP and del when the list empties} {
        r del ev:l ev:nokey
        set s [list_subscribe Klg]
        r lpush ev:l a b
        assert_equal [list_next_event $s] {ev:l lpush}
        r rpush ev:l c
        assert_equal [list_next_event $s] {ev:l rpush}
        r lpushx ev:l z
        assert_equal [list_next_event $s] {ev:l lpush}
        r rpushx ev:l y
        assert_equal [list_next_event $s] {ev:l rpush}
        # Nothing happens, no event.
        r lpushx ev:nokey a
        r lpop ev:l 0
        r lpop ev:nokey
        r lpop ev:l
        assert_equal [list_next_event $s] {ev:l lpop}
        # One event for a pop with a count.
        r rpop ev:l 2
        assert_equal [list_next_event $s] {ev:l rpop}
        r lpop ev:l 10
        assert_equal [list_next_event $s] {ev:l lpop}
        assert_equal [list_next_event $s] {ev:l del}
        r rpush ev:l x
        assert_equal [list_next_event $s] {ev:l rpush}
        r rpop ev:l
        assert_equal [list_next_event $s] {ev:l rpop}
        assert_equal [list_next_event $s] {ev:l del}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - LINSERT, LSET, LREM and LTRIM, and del when they empty the list} {
        r del ev:l
        set s [list_subscribe Klg]
        r rpush ev:l a b c a
        assert_equal [list_next_event $s] {ev:l rpush}
        r linsert ev:l before zz x
        r linsert ev:l before b x
        assert_equal [list_next_event $s] {ev:l linsert}
        catch {r lset ev:l 100 x}
        r lset ev:l 0 A
        assert_equal [list_next_event $s] {ev:l lset}
        r lrem ev:l 0 zz
        r lrem ev:l 1 a
        assert_equal [list_next_event $s] {ev:l lrem}
        # LTRIM always sends its event, even when it removes nothing.
        r ltrim ev:l 0 -1
        assert_equal [list_next_event $s] {ev:l ltrim}
        r ltrim ev:l 1 -1
        assert_equal [list_next_event $s] {ev:l ltrim}
        assert_equal [r lrange ev:l 0 -1] {x b c}
        r ltrim ev:l 5 1
        assert_equal [list_next_event $s] {ev:l ltrim}
        assert_equal [list_next_event $s] {ev:l del}
        r ltrim ev:l 0 1
        r rpush ev:l x x
        assert_equal [list_next_event $s] {ev:l rpush}
        r lrem ev:l 0 x
        assert_equal [list_next_event $s] {ev:l lrem}
        assert_equal [list_next_event $s] {ev:l del}
        r rpush ev:l end
        assert_equal [list_next_event $s] {ev:l rpush}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - LMOVE and RPOPLPUSH push on the destination, then pop on the source} {
        r del ev:a ev:b ev:c
        set s [list_subscribe Klg]
        r rpush ev:a 1 2
        assert_equal [list_next_event $s] {ev:a rpush}
        r lmove ev:a ev:b left right
        assert_equal [list_next_event $s] {ev:b rpush}
        assert_equal [list_next_event $s] {ev:a lpop}
        r rpoplpush ev:a ev:b
        assert_equal [list_next_event $s] {ev:b lpush}
        assert_equal [list_next_event $s] {ev:a rpop}
        assert_equal [list_next_event $s] {ev:a del}
        assert_equal [r lrange ev:b 0 -1] {2 1}
        # A missing source or a wrong-type destination: no event at all.
        r lmove ev:nokey ev:b left left
        r set ev:str v
        catch {r lmove ev:b ev:str left left}
        # Rotation: both events on the one key.
        r lmove ev:b ev:b right left
        assert_equal [list_next_event $s] {ev:b lpush}
        assert_equal [list_next_event $s] {ev:b rpop}
        r lmove ev:b ev:c right left
        assert_equal [list_next_event $s] {ev:c lpush}
        assert_equal [list_next_event $s] {ev:b rpop}
        r lmove ev:b ev:c left right
        assert_equal [list_next_event $s] {ev:c rpush}
        assert_equal [list_next_event $s] {ev:b lpop}
        assert_equal [list_next_event $s] {ev:b del}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - LMPOP sends lpop or rpop once, then del} {
        r del ev:a ev:b
        set s [list_subscribe Klg]
        r rpush ev:b 1 2 3
        assert_equal [list_next_event $s] {ev:b rpush}
        r lmpop 2 ev:a ev:b right count 2
        assert_equal [list_next_event $s] {ev:b rpop}
        r lmpop 2 ev:a ev:nokey left
        r lmpop 2 ev:a ev:b left count 5
        assert_equal [list_next_event $s] {ev:b lpop}
        assert_equal [list_next_event $s] {ev:b del}
        r rpush ev:a end
        assert_equal [list_next_event $s] {ev:a rpush}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - without g the emptied list sends no del; A includes l} {
        r del ev:l
        set s [list_subscribe Kl]
        r rpush ev:l a
        assert_equal [list_next_event $s] {ev:l rpush}
        r lpop ev:l
        assert_equal [list_next_event $s] {ev:l lpop}
        r rpush ev:l b
        assert_equal [list_next_event $s] {ev:l rpush}
        r config set notify-keyspace-events KA
        r lrem ev:l 0 b
        assert_equal [list_next_event $s] {ev:l lrem}
        assert_equal [list_next_event $s] {ev:l del}
        # Without l, list commands are silent but del is still generic.
        r config set notify-keyspace-events Kg
        r rpush ev:l x
        r lpop ev:l
        assert_equal [list_next_event $s] {ev:l del}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - keyevent channels carry the key name with E} {
        r del ev:l
        r config set notify-keyspace-events El
        set s [redis_deferring_client]
        $s timeout 3000
        $s psubscribe __keyevent@0__:*
        assert_equal [$s read] {psubscribe __keyevent@0__:* 1}
        r rpush ev:l a b
        assert_equal [lrange [$s read] 2 3] {__keyevent@0__:rpush ev:l}
        r lset ev:l 0 z
        assert_equal [lrange [$s read] 2 3] {__keyevent@0__:lset ev:l}
        r linsert ev:l after z y
        assert_equal [lrange [$s read] 2 3] {__keyevent@0__:linsert ev:l}
        r config set notify-keyspace-events ""
    }
}

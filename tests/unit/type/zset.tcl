# Sorted set commands that do not block: ZADD (NX XX GT LT CH INCR) and
# ZINCRBY, ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK and ZREVRANK, ZCOUNT and
# ZLEXCOUNT, ZRANGE in every form (BYSCORE BYLEX REV LIMIT WITHSCORES) and the
# older ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX ZREVRANGEBYLEX ZREVRANGE,
# ZRANGESTORE, the ZREMRANGEBY* family, ZPOPMIN ZPOPMAX ZMPOP, ZRANDMEMBER,
# ZSCAN, and ZUNION ZINTER ZDIFF with their STORE forms and ZINTERCARD (plain
# sets accepted as inputs, every member scoring 1). Their exact replies (RESP2
# and RESP3) and errors, score parsing and score formatting, the key going
# away when it empties, the listpack and skiplist encodings and the thresholds
# between them (zset-max-listpack-entries, zset-max-listpack-value), sorted
# sets meeting the generic commands, keyspace events and scripts, and random
# operations checked against a Tcl model. The blocking commands (BZPOPMIN,
# BZPOPMAX, BZMPOP) are not covered here.
#
# Most behaviours run twice, once on listpacks and once on skiplists
# (zset-max-listpack-entries 0 makes every sorted set a skiplist).
#
# Everything asserted is what Redis 7.0.15 and 7.4.1 both reply, except where
# a test says otherwise (the gates say 7.2, where the newer behaviour came
# in; only 7.0.15 and 7.4.1 were run):
#   - ZRANK/ZREVRANK WITHSCORE is new in Redis 7.2 (7.0: arity error).
#   - Scores in replies: Redis 7.0 formats a double with %.17g (0.1 reads
#     0.10000000000000001), Redis 7.2+ with the shortest string that reads
#     back to the same double (0.1). Integral scores, 1e+20, inf and numbers
#     that need 17 digits anyway read the same in both.
#   - ZSCAN with a negative cursor: 7.0 takes it, 7.4 replies invalid cursor.
#   - ZSCAN NOVALUES: 7.0 syntax error, 7.4 its own error.
#   - A negative LIMIT offset: nothing, except from Redis 7.4 on a skiplist,
#     which counts it from the far end of the range; that answer is accepted
#     from Redis only (see the ZRANGE LIMIT test).
# ZSCAN returns the score as the encoding stores it (a skiplist formats with
# %.17Lg in every version), so ZSCAN is only checked on scores whose every
# spelling agrees (integers, 2.5, -inf, inf). A listpack stores -0 as 0, a
# skiplist keeps -0: both versions, asserted per encoding.

# --- helpers (prefixed zset_, the unit files share one interpreter) ---

set ::zset_wrongtype {WRONGTYPE Operation against a key holding the wrong kind of value}

# 1 when the server formats doubles the Redis 7.2+ way (respite reports 7.4).
# The binary under test is the same for the whole run, so this is cached.
proc zset_v72 {} {
    if {![info exists ::zset_is_v72]} {
        set ::zset_is_v72 [version_at_least 7.2]
    }
    return $::zset_is_v72
}

# The expected spelling of a score: NEW on Redis 7.2+ (and respite), OLD on
# Redis 7.0.
proc zset_dbl {new old} {
    if {[zset_v72]} { return $new }
    return $old
}

# Makes the sorted sets created from now on use encoding ENC: listpack (the
# defaults, 128 entries and 64 bytes) or skiplist (no entry fits a listpack).
proc zset_use_encoding {enc} {
    r config set zset-max-listpack-value 64
    if {$enc eq "skiplist"} {
        r config set zset-max-listpack-entries 0
    } else {
        r config set zset-max-listpack-entries 128
    }
}

proc zset_assert_encoding {key enc} {
    assert_equal [r object encoding $key] $enc "(OBJECT ENCODING $key)"
}

# Every member/score pair a full ZSCAN of KEY returns (duplicates kept), at
# most 100000 calls. ARGS go after the cursor (MATCH, COUNT).
proc zset_scan_all {key args} {
    set cursor 0
    set out {}
    for {set calls 0} {$calls < 100000} {incr calls} {
        lassign [r zscan $key $cursor {*}$args] cursor items
        lappend out {*}$items
        if {$cursor eq "0"} { return $out }
    }
    fail "ZSCAN of $key did not end after 100000 calls"
}

# The next message on the pattern subscriber S: "key event" for a keyspace
# channel, "event key" for a keyevent channel (the database prefix dropped).
proc zset_next_event {s} {
    set m [$s read]
    if {[lindex $m 0] ne "pmessage"} { fail "unexpected message '$m'" }
    set channel [lindex $m 2]
    if {[regexp {^__keyspace@[0-9]+__:(.*)$} $channel -> key]} {
        return [list $key [lindex $m 3]]
    }
    if {[regexp {^__keyevent@[0-9]+__:(.*)$} $channel -> event]} {
        return [list $event [lindex $m 3]]
    }
    fail "unexpected channel in '$m'"
}

# A deferring client subscribed to the keyspace events of keys zev:* in any
# database, with notify-keyspace-events set to FLAGS.
proc zset_subscribe_keyspace {flags} {
    r config set notify-keyspace-events $flags
    set s [redis_deferring_client]
    $s timeout 3000
    $s psubscribe {__keyspace@*__:zev:*}
    assert_equal [$s read] {psubscribe __keyspace@*__:zev:* 1}
    return $s
}

# The same for every keyevent channel.
proc zset_subscribe_keyevent {flags} {
    r config set notify-keyspace-events $flags
    set s [redis_deferring_client]
    $s timeout 3000
    $s psubscribe {__keyevent@*__:*}
    assert_equal [$s read] {psubscribe __keyevent@*__:* 1}
    return $s
}

# Sorts the flat "member score ..." list PAIRS the way a sorted set orders
# its members: by score, then by member bytes. Returns a flat list.
proc zset_model_sort {pairs} {
    set l {}
    foreach {m s} $pairs { lappend l [list $m $s] }
    set out {}
    foreach e [lsort -command zset_model_cmp $l] { lappend out {*}$e }
    return $out
}

proc zset_model_cmp {a b} {
    set sa [lindex $a 1]
    set sb [lindex $b 1]
    if {$sa < $sb} { return -1 }
    if {$sa > $sb} { return 1 }
    return [string compare [lindex $a 0] [lindex $b 0]]
}

# The members of the flat "member score ..." list PAIRS.
proc zset_members {pairs} {
    set out {}
    foreach {m s} $pairs { lappend out $m }
    return $out
}

start_server {tags {zset}} {
    # ================================================================
    # Behaviours checked on both encodings
    # ================================================================

    foreach zset_enc {listpack skiplist} {

    test "ZADD - returns the number of new members, ZCARD and ZSCORE see them ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        assert_equal [r zadd z 1 a] 1
        assert_equal [r zadd z 2 b 3 c] 2
        assert_equal [r zadd z 10 a 4 d] 1
        assert_equal [r zcard z] 4
        assert_equal [r zscore z a] 10
        assert_equal [r zscore z d] 4
        assert_equal [r zscore z nosuch] {}
        assert_equal [r type z] zset
        zset_assert_encoding z $zset_enc
        assert_equal [r zrange z 0 -1 withscores] {b 2 c 3 d 4 a 10}
    }

    test "ZADD - the same score again or the same pair repeated changes nothing ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 1 a 2 b
        assert_equal [r zadd z 1 a 2 b] 0
        assert_equal [r zadd z ch 1 a 2 b] 0
        assert_equal [r zrange z 0 -1 withscores] {a 1 b 2}
    }

    test "ZADD - a member named twice in one call is added once, the last score wins ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        assert_equal [r zadd z 1 x 2 x] 1
        assert_equal [r zscore z x] 2
        assert_equal [r zcard z] 1
        # On an existing member CH counts each change: 2->1 and 1->2.
        assert_equal [r zadd z 1 x 1 x 2 x] 0
        assert_equal [r zadd z ch 1 x 1 x 2 x] 2
        assert_equal [r zscore z x] 2
    }

    test "ZADD - members with equal scores are ordered by their bytes ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 0 b 0 a 0 B 0 aa 0 "" 0 "a\x00" 0 "\xff" 0 10 0 9
        assert_equal [r zrange z 0 -1] [list "" 10 9 B a "a\x00" aa b "\xff"]
        assert_equal [r zrank z ""] 0
        assert_equal [r zrank z "\xff"] 8
        assert_equal [r zscore z "a\x00"] 0
    }

    test "ZADD - binary members round-trip ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        set bin "a\x00b\r\nc\xff"
        assert_equal [r zadd z 1.5 $bin] 1
        assert_equal [r zscore z $bin] 1.5
        assert_equal [r zrange z 0 -1] [list $bin]
        assert_equal [r zrank z $bin] 0
        assert_equal [r zrem z $bin] 1
        assert_equal [r exists z] 0
    }

    test "ZADD - NX adds new members only, XX updates existing ones only ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 1 a 2 b
        assert_equal [r zadd z nx 10 a 3 c] 1
        assert_equal [r zadd z xx 20 b 4 d] 0
        assert_equal [r zrange z 0 -1 withscores] {a 1 c 3 b 20}
        assert_equal [r zadd z xx ch 30 b 4 d] 1
        assert_equal [r zadd z nx ch 30 b 4 d] 1
        assert_equal [r zrange z 0 -1 withscores] {a 1 c 3 d 4 b 30}
        # Options are case insensitive and may repeat.
        assert_equal [r zadd z NX Nx 5 e] 1
    }

    test "ZADD - GT and LT update only upwards or downwards, new members are added ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 5 a 5 b
        assert_equal [r zadd z gt ch 4 a 6 b 1 c] 2
        assert_equal [r zrange z 0 -1 withscores] {c 1 a 5 b 6}
        assert_equal [r zadd z lt ch 4 a 7 b 2 d] 2
        assert_equal [r zrange z 0 -1 withscores] {c 1 d 2 a 4 b 6}
        # Equal scores are no change either way.
        assert_equal [r zadd z gt ch 4 a] 0
        assert_equal [r zadd z lt ch 4 a] 0
        # Without CH only new members count.
        assert_equal [r zadd z gt 100 a] 0
        assert_equal [r zscore z a] 100
        # GT with XX: update upwards, never add.
        assert_equal [r zadd z gt xx ch 200 a 1 nosuch] 1
        assert_equal [r zscore z nosuch] {}
        assert_equal [r zadd z lt xx ch 0 a 1 nosuch] 1
        assert_equal [r zscore z a] 0
    }

    test "ZADD - XX on a missing key does not create it ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        assert_equal [r zadd z xx 1 a] 0
        assert_equal [r zadd z xx ch 1 a] 0
        assert_equal [r zadd z xx incr 1 a] {}
        assert_equal [r exists z] 0
        assert_equal [r zadd z gt 1 a] 1
        assert_equal [r zadd z lt 1 b] 1
        assert_equal [r zcard z] 2
    }

    test "ZADD INCR - returns the new score, acts like ZINCRBY ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        assert_equal [r zadd z incr 1 a] 1
        assert_equal [r zadd z incr 2.5 a] 3.5
        assert_equal [r zadd z incr -10 a] -6.5
        assert_equal [r zadd z ch incr 1 a] -5.5
        assert_equal [r zadd z nx incr 1 b] 1
        assert_equal [r zadd z xx incr 1 b] 2
        assert_equal [r zadd z gt incr 1 b] 3
        assert_equal [r zadd z lt incr -1 b] 2
        assert_equal [r zadd z gt incr 5 new] 5
        assert_equal [r zadd z lt incr -5 new2] -5
        assert_equal [r zrange z 0 -1 withscores] {a -5.5 new2 -5 b 2 new 5}
    }

    test "ZADD INCR - a nil reply when NX XX GT or LT stop the increment ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 5 a
        assert_equal [r zadd z nx incr 1 a] {}
        assert_equal [r zadd z xx incr 1 nosuch] {}
        assert_equal [r zadd z gt incr -1 a] {}
        assert_equal [r zadd z lt incr 1 a] {}
        # An increment of 0 is neither greater nor less.
        assert_equal [r zadd z gt incr 0 a] {}
        assert_equal [r zadd z lt incr 0 a] {}
        assert_equal [r zscore z a] 5
        assert_equal [r zcard z] 1
        set c [raw_connect]
        assert_raw $c {zadd z nx incr 1 a} {{$-1}}
        assert_raw $c {zadd z gt incr -1 a} {{$-1}}
        assert_raw $c {zadd z incr 1 a} {{$1} 6}
    }

    test "ZADD INCR, ZINCRBY - inf plus -inf is an error, the score stays ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        assert_equal [r zadd z incr +inf a] inf
        assert_error {ERR resulting score is not a number (NaN)} {r zadd z incr -inf a}
        assert_error {ERR resulting score is not a number (NaN)} {r zincrby z -inf a}
        assert_equal [r zscore z a] inf
        assert_equal [r zincrby z 1 a] inf
        assert_equal [r zincrby z +inf a] inf
        r zadd z -inf b
        assert_error {ERR resulting score is not a number (NaN)} {r zincrby z inf b}
        assert_equal [r zscore z b] -inf
        assert_equal [r zcard z] 2
    }

    test "ZINCRBY - creates the key and the member, returns the new score ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        assert_equal [r zincrby z 2.5 m] 2.5
        assert_equal [r type z] zset
        assert_equal [r zincrby z -1 m] 1.5
        assert_equal [r zincrby z 10 n] 10
        assert_equal [r zincrby z 0 n] 10
        assert_equal [r zrange z 0 -1 withscores] {m 1.5 n 10}
        zset_assert_encoding z $zset_enc
    }

    test "ZINCRBY - a member moves to its new place in the order ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 1 a 2 b 3 c
        r zincrby z 10 a
        assert_equal [r zrange z 0 -1] {b c a}
        r zincrby z -20 a
        assert_equal [r zrange z 0 -1] {a b c}
        assert_equal [r zrank z a] 0
        r zincrby z 1 a
        assert_equal [r zrange z 0 -1 withscores] {a -8 b 2 c 3}
    }

    test "ZREM - returns the number removed, the key goes with its last member ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 1 a 2 b 3 c
        assert_equal [r zrem z a nosuch a] 1
        assert_equal [r zrem z nosuch] 0
        assert_equal [r zrange z 0 -1] {b c}
        assert_equal [r zrem z b c] 2
        assert_equal [r exists z] 0
        assert_equal [r zcard z] 0
        assert_equal [r zrem z b] 0
    }

    test "ZRANK, ZREVRANK - positions from either end, nil for a missing member ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 10 a 20 b 30 c 40 d
        assert_equal [r zrank z a] 0
        assert_equal [r zrank z d] 3
        assert_equal [r zrevrank z a] 3
        assert_equal [r zrevrank z d] 0
        assert_equal [r zrank z nosuch] {}
        assert_equal [r zrevrank z nosuch] {}
        set c [raw_connect]
        assert_raw $c {zrank z c} {:2}
        assert_raw $c {zrank z nosuch} {{$-1}}
        assert_raw $c {zrevrank nokey a} {{$-1}}
    }

    test "ZRANK, ZREVRANK WITHSCORE - rank and score, a nil array when missing ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 10 a 20.5 b 30 c
        if {![zset_v72]} {
            # Redis 7.0 has no WITHSCORE: a fourth argument is an arity error.
            assert_error {ERR wrong number of arguments for 'zrank' command} {r zrank z b withscore}
            assert_error {ERR wrong number of arguments for 'zrevrank' command} {r zrevrank z b withscore}
            return
        }
        assert_equal [r zrank z b withscore] {1 20.5}
        assert_equal [r zrevrank z b WITHSCORE] {1 20.5}
        assert_equal [r zrank z a withscore] {0 10}
        assert_equal [r zrevrank z a withscore] {2 10}
        set c [raw_connect]
        assert_raw $c {zrank z c withscore} {*2 :2 {$2} 30}
        assert_raw $c {zrank z nosuch withscore} {*-1}
        assert_raw $c {zrevrank nokey a withscore} {*-1}
        assert_error {ERR syntax error} {r zrank z a withscores}
        assert_error {ERR syntax error} {r zrevrank z a foo}
        assert_error {ERR wrong number of arguments for 'zrank' command} {r zrank z a withscore x}
    }

    test "ZRANGE - by index, negative indexes, out of range, REV ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 1 a 2 b 3 c 4 d 5 e
        assert_equal [r zrange z 0 -1] {a b c d e}
        assert_equal [r zrange z 1 2] {b c}
        assert_equal [r zrange z -2 -1] {d e}
        assert_equal [r zrange z -100 100] {a b c d e}
        assert_equal [r zrange z 3 1] {}
        assert_equal [r zrange z 10 20] {}
        assert_equal [r zrange z -1 -3] {}
        assert_equal [r zrange z -9223372036854775808 9223372036854775807] {a b c d e}
        assert_equal [r zrange z 0 -1 rev] {e d c b a}
        assert_equal [r zrange z 0 1 rev withscores] {e 5 d 4}
        assert_equal [r zrange z 0 0 REV] {e}
        assert_equal [r zrange z 1 2 withscores] {b 2 c 3}
        # WITHSCORES may repeat.
        assert_equal [r zrange z 0 0 withscores withscores] {a 1}
    }

    test "ZREVRANGE - by index from the top ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 1 a 2 b 3 c
        assert_equal [r zrevrange z 0 -1] {c b a}
        assert_equal [r zrevrange z 0 1 withscores] {c 3 b 2}
        assert_equal [r zrevrange z -1 -1 withscores] {a 1}
        assert_equal [r zrevrange z 5 10] {}
    }

    test "ZRANGE BYSCORE - inclusive and exclusive bounds, infinities, LIMIT ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 1 a 2 b 3 c 4 d 5 e
        assert_equal [r zrange z 2 4 byscore] {b c d}
        assert_equal [r zrange z (1 3 byscore] {b c}
        assert_equal [r zrange z 1 (3 byscore] {a b}
        assert_equal [r zrange z (1 (3 byscore] {b}
        assert_equal [r zrange z (1 (1 byscore] {}
        assert_equal [r zrange z 4 2 byscore] {}
        assert_equal [r zrange z -inf +inf byscore] {a b c d e}
        assert_equal [r zrange z -inf inf byscore] {a b c d e}
        assert_equal [r zrange z (-inf (+inf byscore] {a b c d e}
        assert_equal [r zrange z (inf +inf byscore] {}
        assert_equal [r zrange z 2.5 3.5 byscore withscores] {c 3}
        assert_equal [r zrange z -inf +inf byscore limit 1 2] {b c}
        assert_equal [r zrange z -inf +inf byscore limit 1 -1] {b c d e}
        assert_equal [r zrange z -inf +inf byscore limit 0 0] {}
        assert_equal [r zrange z -inf +inf byscore limit 10 5] {}
        assert_equal [r zrange z -inf +inf byscore limit 3 9223372036854775807] {d e}
        assert_equal [r zrange z 2 +inf byscore limit 1 2 withscores] {c 3 d 4}
    }

    test "ZRANGE BYSCORE REV - max comes first ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 1 a 2 b 3 c 4 d 5 e
        assert_equal [r zrange z 3 1 byscore rev] {c b a}
        assert_equal [r zrange z 1 3 byscore rev] {}
        assert_equal [r zrange z +inf -inf byscore rev limit 1 2 withscores] {d 4 c 3}
        assert_equal [r zrange z (5 (1 byscore rev] {d c b}
    }

    test "ZRANGE LIMIT - a negative offset returns nothing ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z w
        r zadd z 1 a 2 b 3 c 4 d 5 e
        r zadd w 0 a 0 b 0 c 0 d 0 e
        # Redis 7.4 on a skiplist (not on a listpack, not 7.0) starts a
        # negative offset -N at the Nth member from the far end of the range
        # and walks on from there: that second answer is accepted from Redis
        # only.
        foreach {cmd quirk} {
            {zrange z -inf +inf byscore limit -1 2} e
            {zrange z -inf +inf byscore limit -1 -1} e
            {zrange z -inf +inf byscore limit -5 1} a
            {zrangebyscore z 2 4 limit -1 2} d
            {zrangebyscore z -inf +inf limit -100 2} {}
            {zrange z +inf -inf byscore rev limit -1 2} a
            {zrange z +inf -inf byscore rev limit -2 5} {b a}
            {zrevrangebyscore z 4 2 limit -1 2} b
            {zrange w - + bylex limit -1 2} e
            {zrangebylex w - + limit -2 1} d
            {zrevrangebylex w + - limit -1 1} a
            {zrangestore d z -inf +inf byscore limit -1 2} 1
        } {
            set empty [if {[string match zrangestore* $cmd]} {list 0} else {list}]
            set got [r {*}$cmd]
            if {$got ne $empty && $zset_enc eq "skiplist" && [server_is_redis] && [zset_v72]} {
                assert_equal $got $quirk "($cmd, Redis 7.2+ skiplist)"
            } else {
                assert_equal $got $empty "($cmd)"
            }
        }
        r del d
    }

    test "ZRANGEBYSCORE, ZREVRANGEBYSCORE - the older forms, LIMIT and WITHSCORES in any order ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 1 a 2 b 3 c 4 d 5 e
        assert_equal [r zrangebyscore z 1 3] {a b c}
        assert_equal [r zrangebyscore z 1 3 limit 0 1 withscores] {a 1}
        assert_equal [r zrangebyscore z 1 3 withscores limit 1 1] {b 2}
        assert_equal [r zrangebyscore z -inf +inf limit 0 -5] {a b c d e}
        assert_equal [r zrangebyscore z 2 1] {}
        assert_equal [r zrevrangebyscore z 3 1] {c b a}
        assert_equal [r zrevrangebyscore z 1 3] {}
        assert_equal [r zrevrangebyscore z (5 (1 withscores limit 1 10] {c 3 b 2}
        assert_equal [r zrevrangebyscore z +inf -inf limit 0 2] {e d}
    }

    test "ZRANGE BYLEX - \[ ( - + bounds and LIMIT ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 0 a 0 b 0 c 0 "" 0 aa 0 d
        assert_equal [r zrange z - + bylex] {{} a aa b c d}
        assert_equal [r zrange z {[a} {[c} bylex] {a aa b c}
        assert_equal [r zrange z {(a} {(c} bylex] {aa b}
        assert_equal [r zrange z {[a} {(b} bylex] {a aa}
        assert_equal [r zrange z {[aa} + bylex] {aa b c d}
        assert_equal [r zrange z - {(b} bylex] {{} a aa}
        # "[" and "(" alone name the empty string.
        assert_equal [r zrange z {[} {[} bylex] {{}}
        assert_equal [r zrange z {(} {[a} bylex] {a}
        assert_equal [r zrange z {(} + bylex] {a aa b c d}
        assert_equal [r zrange z {(a} {(aa} bylex] {}
        assert_equal [r zrange z + - bylex] {}
        assert_equal [r zrange z - - bylex] {}
        assert_equal [r zrange z + + bylex] {}
        assert_equal [r zrange z {[c} {[a} bylex] {}
        assert_equal [r zrange z - + bylex limit 1 2] {a aa}
        assert_equal [r zrange z - + bylex limit 2 -1] {aa b c d}
        assert_equal [r zrange z + - bylex rev] {d c b aa a {}}
        assert_equal [r zrange z + - bylex rev limit 0 2] {d c}
        assert_equal [r zrange z {[c} - bylex rev] {c b aa a {}}
        assert_equal [r zrange z - + bylex rev] {}
    }

    test "ZRANGEBYLEX, ZREVRANGEBYLEX - the older forms ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 0 a 0 b 0 c 0 d
        assert_equal [r zrangebylex z - +] {a b c d}
        assert_equal [r zrangebylex z {[b} {(d}] {b c}
        assert_equal [r zrangebylex z - + limit 1 2] {b c}
        assert_equal [r zrangebylex z + -] {}
        assert_equal [r zrevrangebylex z + -] {d c b a}
        assert_equal [r zrevrangebylex z + {[b}] {d c b}
        assert_equal [r zrevrangebylex z {[b} +] {}
        assert_equal [r zrevrangebylex z - +] {}
        assert_equal [r zrevrangebylex z + - limit 0 1] {d}
        assert_equal [r zrevrangebylex z + - limit 1 -1] {c b a}
    }

    test "ZCOUNT, ZLEXCOUNT - members in a range ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z w
        r zadd z 1 a 2 b 3 c 4 d 5 e
        assert_equal [r zcount z 2 4] 3
        assert_equal [r zcount z (2 (4] 1
        assert_equal [r zcount z -inf +inf] 5
        assert_equal [r zcount z (-inf (inf] 5
        assert_equal [r zcount z 4 2] 0
        assert_equal [r zcount z -inf -inf] 0
        assert_equal [r zcount z 5 5] 1
        assert_equal [r zcount z (5 +inf] 0
        r zadd w 0 a 0 b 0 c 0 d 0 e
        assert_equal [r zlexcount w - +] 5
        assert_equal [r zlexcount w {[b} {(d}] 2
        assert_equal [r zlexcount w {(a} {[e}] 4
        assert_equal [r zlexcount w {[e} {[a}] 0
        assert_equal [r zlexcount w + -] 0
    }

    test "ZMSCORE - scores in order, nil for missing members ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 1 a 2.5 b -inf c
        assert_equal [r zmscore z a nosuch b c a] {1 {} 2.5 -inf 1}
        set c [raw_connect]
        assert_raw $c {zmscore z b nosuch} {*2 {$3} 2.5 {$-1}}
        assert_raw $c {zmscore nokey a b} {*2 {$-1} {$-1}}
    }

    test "ZREMRANGEBYSCORE - removes a score range, the key goes when it empties ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 1 a 2 b 3 c 4 d 5 e
        assert_equal [r zremrangebyscore z 2 3] 2
        assert_equal [r zrange z 0 -1] {a d e}
        assert_equal [r zremrangebyscore z (1 (5] 1
        assert_equal [r zrange z 0 -1] {a e}
        assert_equal [r zremrangebyscore z 100 200] 0
        assert_equal [r zremrangebyscore z 5 1] 0
        assert_equal [r zremrangebyscore z -inf +inf] 2
        assert_equal [r exists z] 0
    }

    test "ZREMRANGEBYRANK - removes an index range, the key goes when it empties ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 1 a 2 b 3 c 4 d 5 e
        assert_equal [r zremrangebyrank z 1 2] 2
        assert_equal [r zrange z 0 -1] {a d e}
        assert_equal [r zremrangebyrank z -1 -1] 1
        assert_equal [r zrange z 0 -1] {a d}
        assert_equal [r zremrangebyrank z 5 10] 0
        assert_equal [r zremrangebyrank z 1 0] 0
        assert_equal [r zremrangebyrank z -100 -50] 0
        assert_equal [r zremrangebyrank z 0 -1] 2
        assert_equal [r exists z] 0
    }

    test "ZREMRANGEBYLEX - removes a lex range, the key goes when it empties ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 0 "" 0 a 0 aa 0 b 0 c
        assert_equal [r zremrangebylex z {[a} {(b}] 2
        assert_equal [r zrange z 0 -1] {{} b c}
        assert_equal [r zremrangebylex z {(c} +] 0
        assert_equal [r zremrangebylex z - +] 3
        assert_equal [r exists z] 0
    }

    test "ZPOPMIN, ZPOPMAX - pop from either end, with and without a count ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 1 a 2 b 3 c 4 d 5 e 6 f
        assert_equal [r zpopmin z] {a 1}
        assert_equal [r zpopmax z] {f 6}
        assert_equal [r zpopmin z 2] {b 2 c 3}
        assert_equal [r zpopmax z 1] {e 5}
        assert_equal [r zpopmin z 0] {}
        assert_equal [r zcard z] 1
        assert_equal [r zpopmax z 100] {d 4}
        assert_equal [r exists z] 0
        assert_equal [r zpopmin z] {}
        assert_equal [r zpopmax z 3] {}
        set c [raw_connect]
        assert_raw $c {zpopmin z} {*0}
        assert_raw $c {zpopmin z 0} {*0}
    }

    test "ZPOPMIN, ZPOPMAX - a negative or non-integer count is an error, even on a missing key ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 1 a
        foreach cmd {zpopmin zpopmax} {
            assert_error {ERR value is out of range, must be positive} {r $cmd z -1}
            assert_error {ERR value is out of range, must be positive} {r $cmd z abc}
            assert_error {ERR value is out of range, must be positive} {r $cmd nokey -1}
            assert_error {ERR syntax error} {r $cmd z 1 2}
        }
        assert_equal [r zcard z] 1
    }

    test "ZMPOP - pops from the first non-empty key, MIN or MAX, COUNT ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z y nokey
        r zadd z 1 a 2 b 3 c
        r zadd y 10 x
        assert_equal [r zmpop 1 z min] {z {{a 1}}}
        assert_equal [r zmpop 2 nokey z MAX COUNT 5] {z {{c 3} {b 2}}}
        assert_equal [r exists z] 0
        assert_equal [r zmpop 2 z y min count 1] {y {{x 10}}}
        assert_equal [r exists y] 0
        assert_equal [r zmpop 2 z y min] {}
        set c [raw_connect]
        assert_raw $c {zmpop 1 z min} {*-1}
        r zadd z 1 a 2 b
        assert_raw $c {zmpop 1 z max count 2} \
            {*2 {$1} z *2 *2 {$1} b {$1} 2 *2 {$1} a {$1} 1}
    }

    test "ZRANDMEMBER - one member, distinct members, repeated members, WITHSCORES ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        set content {a 1 b 2 c 3 d 4 e 5}
        r zadd z 1 a 2 b 3 c 4 d 5 e
        for {set i 0} {$i < 20} {incr i} {
            assert {[dict exists $content [r zrandmember z]]}
        }
        set three [r zrandmember z 3]
        assert_equal [llength $three] 3
        assert_equal [llength [lsort -unique $three]] 3
        foreach m $three { assert {[dict exists $content $m]} "($m)" }
        assert_equal [lsort [r zrandmember z 5]] {a b c d e}
        assert_equal [lsort [r zrandmember z 100]] {a b c d e}
        set many [r zrandmember z -30]
        assert_equal [llength $many] 30
        foreach m $many { assert {[dict exists $content $m]} "($m)" }
        foreach count {2 5 100 -1 -30} {
            set pairs [r zrandmember z $count withscores]
            set want [expr {$count > 5 ? 10 : 2 * abs($count)}]
            assert_equal [llength $pairs] $want "(count $count)"
            foreach {m s} $pairs {
                assert_equal $s [dict get $content $m] "(ZRANDMEMBER $count WITHSCORES, member $m)"
            }
        }
        assert_equal [r zrandmember z 0] {}
        assert_equal [r zrandmember z 0 withscores] {}
        # A one-member set: every pick is that member.
        r del one
        r zadd one 1.5 only
        assert_equal [r zrandmember one -3] {only only only}
        assert_equal [r zrandmember one -2 withscores] {only 1.5 only 1.5}
        assert_equal [r zrandmember one 9223372036854775807] {only}
    }

    test "ZSCAN - every member with its score, MATCH and COUNT ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z
        r zadd z 1 a 2.5 b 3 foo -inf ninf inf pinf -3 neg
        set want {a 1 b 2.5 foo 3 ninf -inf pinf inf neg -3}
        assert_equal [sorted_pairs [zset_scan_all z]] [sorted_pairs $want]
        assert_equal [sorted_pairs [zset_scan_all z count 1]] [sorted_pairs $want]
        assert_equal [sorted_pairs [zset_scan_all z match f*]] {foo 3}
        assert_equal [sorted_pairs [zset_scan_all z match *inf count 2]] {ninf -inf pinf inf}
        assert_equal [zset_scan_all z match nomatch*] {}
    }

    test "ZRANGESTORE - stores a range, replies with its size ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z d
        r zadd z 1 a 2 b 3 c 4 d
        assert_equal [r zrangestore d z 1 2] 2
        assert_equal [r zrange d 0 -1 withscores] {b 2 c 3}
        assert_equal [r zrangestore d z (1 3 byscore] 2
        assert_equal [r zrange d 0 -1 withscores] {b 2 c 3}
        assert_equal [r zrangestore d z 3 1 byscore rev limit 0 1] 1
        assert_equal [r zrange d 0 -1 withscores] {c 3}
        assert_equal [r zrangestore d z {[b} + bylex] 3
        assert_equal [r zrange d 0 -1] {b c d}
        # REV picks the members; the stored set is ordered as always.
        assert_equal [r zrangestore d z 0 1 rev] 2
        assert_equal [r zrange d 0 -1 withscores] {c 3 d 4}
        assert_equal [r zrangestore d z + - bylex rev limit 0 2] 2
        assert_equal [r zrange d 0 -1] {c d}
        # The source may be the destination.
        assert_equal [r zrangestore z z 0 1] 2
        assert_equal [r zrange z 0 -1] {a b}
    }

    test "ZRANGESTORE - an empty result deletes the destination ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z d
        r zadd z 1 a 2 b
        r zadd d 1 x
        assert_equal [r zrangestore d z 10 20] 0
        assert_equal [r exists d] 0
        r zadd d 1 x
        assert_equal [r zrangestore d z 5 1 byscore] 0
        assert_equal [r exists d] 0
        r set d str
        assert_equal [r zrangestore d nokey 0 -1] 0
        assert_equal [r exists d] 0
        r set d str
        assert_equal [r zrangestore d z 0 -1] 2
        assert_equal [r type d] zset
    }

    test "ZUNION, ZINTER, ZDIFF - sums, intersections, differences, ordered by score ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del a b
        r zadd a 1 x 2 y 3 z
        r zadd b 10 y 20 z 30 w
        assert_equal [r zunion 2 a b] {x y z w}
        assert_equal [r zunion 2 a b withscores] {x 1 y 12 z 23 w 30}
        assert_equal [r zinter 2 a b withscores] {y 12 z 23}
        assert_equal [r zinter 2 a b] {y z}
        assert_equal [r zdiff 2 a b withscores] {x 1}
        assert_equal [r zdiff 2 b a withscores] {w 30}
        assert_equal [r zdiff 1 a] {x y z}
        assert_equal [r zinter 2 a a withscores] {x 2 y 4 z 6}
        assert_equal [r zunion 2 a a withscores] {x 2 y 4 z 6}
        assert_equal [r zdiff 2 a a withscores] {}
        # Missing keys are empty sets.
        assert_equal [r zunion 2 a nokey withscores] {x 1 y 2 z 3}
        assert_equal [r zinter 2 a nokey withscores] {}
        assert_equal [r zdiff 2 nokey a] {}
        assert_equal [r zdiff 2 a nokey withscores] {x 1 y 2 z 3}
        assert_equal [r zunion 2 nokey nokey2] {}
    }

    test "ZUNION, ZINTER - WEIGHTS and AGGREGATE SUM MIN MAX ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del a b
        r zadd a 1 x 2 y 3 z
        r zadd b 10 y 20 z 30 w
        assert_equal [r zunion 2 a b weights 2 0.5 withscores] {x 2 y 9 w 15 z 16}
        assert_equal [r zunion 2 a b aggregate min withscores] {x 1 y 2 z 3 w 30}
        assert_equal [r zunion 2 a b aggregate max withscores] {x 1 y 10 z 20 w 30}
        assert_equal [r zunion 2 a b aggregate sum withscores] {x 1 y 12 z 23 w 30}
        assert_equal [r zunion 2 a b AGGREGATE MAX WEIGHTS 1 -1 WITHSCORES] {w -30 x 1 y 2 z 3}
        assert_equal [r zinter 2 a b aggregate min withscores] {y 2 z 3}
        assert_equal [r zinter 2 a b weights 1 2 aggregate max withscores] {y 20 z 40}
        # Options may repeat; the last one wins.
        assert_equal [r zunion 1 a weights 1 weights 2 withscores] {x 2 y 4 z 6}
        assert_equal [r zunion 1 a aggregate min aggregate max withscores] {x 1 y 2 z 3}
    }

    test "ZUNION, ZINTER - inf plus -inf sums to 0, inf times 0 weighs 0 ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del a b
        r zadd a inf x -inf y 1 z
        r zadd b -inf x inf y
        assert_equal [r zunion 2 a b withscores] {x 0 y 0 z 1}
        assert_equal [r zinter 2 a b withscores] {x 0 y 0}
        assert_equal [r zunion 2 a b weights 0 1 withscores] {x -inf z 0 y inf}
        assert_equal [r zunion 2 a b weights inf 1 withscores] {x 0 y 0 z inf}
    }

    test "ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE - store the result, reply with its size ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del a b d
        r zadd a 1 x 2 y 3 z
        r zadd b 10 y 20 z 30 w
        assert_equal [r zunionstore d 2 a b] 4
        assert_equal [r zrange d 0 -1 withscores] {x 1 y 12 z 23 w 30}
        assert_equal [r zinterstore d 2 a b weights 1 2 aggregate max] 2
        assert_equal [r zrange d 0 -1 withscores] {y 20 z 40}
        assert_equal [r zdiffstore d 2 a b] 1
        assert_equal [r zrange d 0 -1 withscores] {x 1}
        # The destination may be a source; a string destination is replaced.
        assert_equal [r zunionstore a 2 a b] 4
        assert_equal [r zrange a 0 -1 withscores] {x 1 y 12 z 23 w 30}
        r set d str
        assert_equal [r zinterstore d 2 a b] 3
        assert_equal [r type d] zset
        zset_assert_encoding d $zset_enc
    }

    test "ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE - an empty result deletes the destination ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del a d
        r zadd a 1 x
        foreach cmd {{zinterstore d 2 a nokey} {zdiffstore d 2 a a} {zunionstore d 1 nokey}
                     {zdiffstore d 1 nokey}} {
            r zadd d 5 old
            assert_equal [r {*}$cmd] 0 "($cmd)"
            assert_equal [r exists d] 0 "($cmd)"
        }
        r set d str
        assert_equal [r zinterstore d 2 a nokey] 0
        assert_equal [r exists d] 0
    }

    test "ZINTERCARD - the size of the intersection, LIMIT stops counting ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del a b
        r zadd a 1 x 2 y 3 z
        r zadd b 10 y 20 z 30 w
        assert_equal [r zintercard 2 a b] 2
        assert_equal [r zintercard 2 a b limit 1] 1
        assert_equal [r zintercard 2 a b limit 0] 2
        assert_equal [r zintercard 2 a b limit 100] 2
        assert_equal [r zintercard 1 a limit 9223372036854775807] 3
        assert_equal [r zintercard 2 a nokey] 0
        assert_equal [r zintercard 1 a] 3
    }

    test "Set inputs - a plain set counts as a sorted set with every score 1 ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del a b s is big d
        r zadd a 1 x 2 y 3 z
        r zadd b 10 y 20 z 30 w
        r sadd s y w q
        r sadd is 1 2 3
        assert_equal [r object encoding is] intset
        set zset_bigmembers {}
        for {set i 0} {$i < 600} {incr i} { lappend zset_bigmembers m$i }
        r sadd big {*}$zset_bigmembers y
        assert_equal [r object encoding big] hashtable
        unset zset_bigmembers
        assert_equal [r zunion 2 a s withscores] {q 1 w 1 x 1 y 3 z 3}
        assert_equal [r zinter 2 a s withscores] {y 3}
        assert_equal [r zinter 3 a b s withscores] {y 13}
        assert_equal [r zdiff 2 s a withscores] {q 1 w 1}
        assert_equal [r zunion 1 s withscores] {q 1 w 1 y 1}
        assert_equal [r zunion 1 is weights 2.5 withscores] {1 2.5 2 2.5 3 2.5}
        assert_equal [r zinter 2 big a withscores] {y 3}
        assert_equal [r zintercard 2 big s] 1
        assert_equal [r zintercard 2 a s] 1
        assert_equal [r zintercard 3 a b s] 1
        assert_equal [r zunionstore d 2 s is] 6
        assert_equal [r zrange d 0 -1 withscores] {1 1 2 1 3 1 q 1 w 1 y 1}
        assert_equal [r zinterstore d 2 s b weights 3 4] 2
        assert_equal [r zrange d 0 -1 withscores] {y 43 w 123}
        assert_equal [r zdiffstore d 2 s b] 1
        assert_equal [r zrange d 0 -1 withscores] {q 1}
        assert_equal [r zinterstore d 1 s aggregate max weights 5] 3
        assert_equal [r zrange d 0 -1 withscores] {q 5 w 5 y 5}
        # The sets themselves are left alone.
        assert_equal [r type s] set
        assert_equal [lsort [r smembers s]] {q w y}
    }

    test "Negative zero - a listpack keeps 0, a skiplist keeps -0 ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del z w
        r zadd z -0 m 0 n
        set want [if {$zset_enc eq "listpack"} {list 0} else {list -0}]
        assert_equal [r zscore z m] $want
        assert_equal [r zmscore z m n] [list $want 0]
        assert_equal [r zrange z 0 -1 withscores] [list m $want n 0]
        # The reply of ZINCRBY is the sum before it is stored.
        assert_equal [r zincrby w -0 a] -0
        assert_equal [r zscore w a] $want
        assert_equal [r zadd w incr -0 a] $want
        set c [raw_resp3_client]
        assert_raw $c {zscore z m} [list ,$want]
    }

    } ;# foreach zset_enc

    # ================================================================
    # Arguments and errors
    # ================================================================

    test {ZADD - wrong number of arguments and an odd score/member list} {
        zset_use_encoding listpack
        r del z
        assert_error {ERR wrong number of arguments for 'zadd' command} {r zadd z}
        assert_error {ERR wrong number of arguments for 'zadd' command} {r zadd z 1}
        assert_error {ERR wrong number of arguments for 'zadd' command} {r zadd}
        assert_error {ERR wrong number of arguments for 'zadd' command} {r zadd z nx}
        assert_error {ERR wrong number of arguments for 'zadd' command} {r zadd z incr}
        assert_error {ERR syntax error} {r zadd z 1 a 2}
        assert_error {ERR syntax error} {r zadd z incr 1}
        assert_error {ERR syntax error} {r zadd z nx xx 1}
        assert_equal [r exists z] 0
    }

    test {ZADD - option conflicts and their errors} {
        r del z
        assert_error {ERR XX and NX options at the same time are not compatible} {r zadd z nx xx 1 a}
        assert_error {ERR XX and NX options at the same time are not compatible} {r zadd z xx nx gt 1 a}
        assert_error {ERR GT, LT, and/or NX options at the same time are not compatible} {r zadd z gt lt 1 a}
        assert_error {ERR GT, LT, and/or NX options at the same time are not compatible} {r zadd z nx gt 1 a}
        assert_error {ERR GT, LT, and/or NX options at the same time are not compatible} {r zadd z LT NX 1 a}
        assert_error {ERR INCR option supports a single increment-element pair} {r zadd z incr 1 a 2 b}
        # The conflicts are found before the key is looked at.
        r set str x
        assert_error {ERR XX and NX options at the same time are not compatible} {r zadd str nx xx 1 a}
        assert_error {ERR INCR option supports a single increment-element pair} {r zadd str incr 1 a 2 b}
        assert_error {ERR syntax error} {r zadd str 1 a 2}
        assert_equal [r exists z] 0
    }

    test {ZADD - options come first: after the first score, a word is a member} {
        r del z
        assert_equal [r zadd z 1 nx] 1
        assert_equal [r zadd z 2 xx 3 ch] 2
        assert_equal [r zrange z 0 -1] {nx xx ch}
        assert_error {ERR value is not a valid float} {r zadd z 1 a gt b}
    }

    test {ZADD - an invalid score anywhere fails the whole command} {
        r del z
        assert_error {ERR value is not a valid float} {r zadd z abc a}
        assert_error {ERR value is not a valid float} {r zadd z 1 a abc b}
        assert_error {ERR value is not a valid float} {r zadd z incr abc a}
        assert_equal [r exists z] 0
        r zadd z 1 a
        assert_error {ERR value is not a valid float} {r zadd z 5 a 6 b x c}
        assert_equal [r zrange z 0 -1 withscores] {a 1}
    }

    test {Score parsing - what ZADD and ZINCRBY accept as a score} {
        r del z
        # Accepted: signs, infinities in any case, exponents, hex, a bare dot.
        foreach {in want} {
            1.5e3 1500 +5 5 -2.25 -2.25 .5 0.5 5. 5 0x10 16 0x1p3 8
            inf inf +inf inf -inf -inf INF inf Inf inf infinity inf -infinity -inf
            1e308 1e+308 1.7976931348623157e308 1.7976931348623157e+308
        } {
            r del z
            assert_equal [r zadd z $in m] 1 "(score '$in')"
            assert_equal [r zscore z m] $want "(score '$in')"
        }
        # Rejected: NaN, spaces, empty, junk, overflow and underflow.
        foreach in {nan -nan NaN "" " 1" "1 " 1x abc 1e400 -1e400 1e309 1.7976931348623159e308 1e-400 "1\x00"} {
            assert_error {ERR value is not a valid float} {r zadd z $in m}
            assert_error {ERR value is not a valid float} {r zincrby z $in m}
            assert_error {ERR value is not a valid float} {r zadd z incr $in m}
        }
    }

    test {Score ranges - ( makes a bound exclusive, a bound parses like strtod} {
        r del z
        r zadd z 0 zero 1 a 2 b 3 c 16 h
        assert_equal [r zrangebyscore z (1 3] {b c}
        assert_equal [r zcount z -inf +inf] 5
        assert_equal [r zcount z 1e400 inf] 0
        assert_equal [r zcount z -1e400 1] 2
        assert_equal [r zcount z 0x10 0x10] 1
        # Leading spaces are skipped, an empty bound is 0, "(" alone is (0.
        assert_equal [r zcount z " 1" " 2"] 2
        assert_equal [r zcount z "" ""] 1
        assert_equal [r zrange z ( 3 byscore] {a b c}
        assert_equal [r zrange z "( 1" 3 byscore] {b c}
        assert_equal [r zcount z ( (] 0
    }

    test {Score ranges - ERR min or max is not a float} {
        r del z
        r zadd z 1 a
        foreach {min max} {a 1 1 b ((1 3 1x 3 nan 3 1 nan "1 " 2 1 (nan} {
            assert_error {ERR min or max is not a float} {r zcount z $min $max}
            assert_error {ERR min or max is not a float} {r zrangebyscore z $min $max}
            assert_error {ERR min or max is not a float} {r zrevrangebyscore z $max $min}
            assert_error {ERR min or max is not a float} {r zrange z $min $max byscore}
            assert_error {ERR min or max is not a float} {r zremrangebyscore z $min $max}
            assert_error {ERR min or max is not a float} {r zrangestore d z $min $max byscore}
        }
        # Checked before the key is looked up or its type checked.
        assert_error {ERR min or max is not a float} {r zcount nokey a 1}
        r set str x
        assert_error {ERR min or max is not a float} {r zcount str a 1}
        assert_equal [r zcard z] 1
    }

    test {Lex ranges - ERR min or max not valid string range item} {
        r del z
        r zadd z 0 a
        foreach {min max} {a b - b a + "" + -a + - +a 0 -1 {[a} c} {
            assert_error {ERR min or max not valid string range item} {r zlexcount z $min $max}
            assert_error {ERR min or max not valid string range item} {r zrangebylex z $min $max}
            assert_error {ERR min or max not valid string range item} {r zrevrangebylex z $max $min}
            assert_error {ERR min or max not valid string range item} {r zrange z $min $max bylex}
            assert_error {ERR min or max not valid string range item} {r zremrangebylex z $min $max}
        }
        assert_error {ERR min or max not valid string range item} {r zlexcount nokey a b}
        r set str x
        assert_error {ERR min or max not valid string range item} {r zrangebylex str a b}
        assert_equal [r zcard z] 1
    }

    test {ZRANGE - option errors} {
        r del z
        r zadd z 1 a 2 b
        assert_error {ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX} \
            {r zrange z 0 -1 limit 0 1}
        assert_error {ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX} \
            {r zrange z 0 -1 rev limit 0 1}
        assert_error {ERR syntax error, WITHSCORES not supported in combination with BYLEX} \
            {r zrange z - + bylex withscores}
        assert_error {ERR syntax error, WITHSCORES not supported in combination with BYLEX} \
            {r zrangebylex z - + withscores}
        assert_error {ERR syntax error, WITHSCORES not supported in combination with BYLEX} \
            {r zrevrangebylex z + - withscores}
        assert_error {ERR syntax error} {r zrange z 0 -1 byscore bylex}
        assert_error {ERR syntax error} {r zrange z 0 -1 foo}
        assert_error {ERR syntax error} {r zrange z 0 -1 limit}
        assert_error {ERR syntax error} {r zrange z 0 -1 byscore limit 1}
        assert_error {ERR value is not an integer or out of range} {r zrange z 0 -1 byscore limit a b}
        assert_error {ERR value is not an integer or out of range} {r zrange z 0 -1 byscore limit 1 b}
        assert_error {ERR value is not an integer or out of range} {r zrange z a b}
        assert_error {ERR value is not an integer or out of range} {r zrange z 0 1.5}
        assert_error {ERR value is not an integer or out of range} {r zrange z 0 9223372036854775808}
        assert_error {ERR min or max not valid string range item} {r zrange z 0 -1 bylex}
        assert_error {ERR wrong number of arguments for 'zrange' command} {r zrange z 0}
        # On a missing key the arguments are still checked.
        assert_error {ERR value is not an integer or out of range} {r zrange nokey a b}
        assert_error {ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX} \
            {r zrange nokey 0 -1 limit 0 1}
    }

    test {ZRANGEBYSCORE, ZREVRANGE and friends - options they do not take} {
        r del z
        r zadd z 1 a
        assert_error {ERR syntax error} {r zrangebyscore z 1 3 bylex}
        assert_error {ERR syntax error} {r zrangebyscore z 1 3 rev}
        assert_error {ERR syntax error} {r zrangebyscore z 1 3 withscores foo}
        assert_error {ERR syntax error} {r zrangebyscore z 1 3 limit 0}
        assert_error {ERR syntax error} {r zrevrange z 0 -1 rev}
        assert_error {ERR syntax error} {r zrevrange z 0 -1 byscore}
        assert_error {ERR syntax error} {r zrangebylex z - + limit 1}
        assert_error {ERR wrong number of arguments for 'zrangebyscore' command} {r zrangebyscore z 1}
        assert_error {ERR wrong number of arguments for 'zrangebylex' command} {r zrangebylex z -}
        assert_error {ERR wrong number of arguments for 'zrevrange' command} {r zrevrange z 0}
        assert_error {ERR value is not an integer or out of range} {r zremrangebyrank z a 1}
        assert_error {ERR value is not an integer or out of range} {r zremrangebyrank nokey 0 b}
    }

    test {ZRANGESTORE - option errors} {
        r del z d
        r zadd z 1 a
        assert_error {ERR syntax error} {r zrangestore d z 0 -1 withscores}
        assert_error {ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX} \
            {r zrangestore d z 0 -1 limit 0 1}
        assert_error {ERR wrong number of arguments for 'zrangestore' command} {r zrangestore d z 0}
        assert_error {ERR value is not an integer or out of range} {r zrangestore d nokey a b}
        assert_equal [r exists d] 0
    }

    test {Arity - wrong number of arguments for every sorted set command} {
        foreach {cmd args} {
            zincrby {z 1} zrem {z} zcard {} zscore {z} zmscore {z} zrank {z}
            zrevrank {z} zcount {z 1} zlexcount {z -} zrangebyscore {z 1}
            zrevrangebyscore {z 1} zrangebylex {z -} zrevrangebylex {z +}
            zremrangebyscore {z 1} zremrangebyrank {z 1} zremrangebylex {z -}
            zpopmin {} zpopmax {} zmpop {1 z} zrandmember {} zscan {z}
            zunion {1} zinter {1} zdiff {1} zunionstore {d 1} zinterstore {d 1}
            zdiffstore {d 1} zintercard {1} zrangestore {d z 0}
        } {
            assert_error "ERR wrong number of arguments for '$cmd' command" {r $cmd {*}$args}
        }
        assert_error {ERR wrong number of arguments for 'zscore' command} {r zscore z a b}
        assert_error {ERR wrong number of arguments for 'zcard' command} {r zcard z x}
        assert_error {ERR wrong number of arguments for 'zrank' command} {r zrank z a withscore x}
        assert_error {ERR wrong number of arguments for 'zrevrank' command} {r zrevrank z a withscore x}
        assert_error {ERR wrong number of arguments for 'zmpop' command} {r zmpop 1}
        assert_error {ERR wrong number of arguments for 'zunion' command} {r zunion}
    }

    test {ZMPOP - numkeys, direction and COUNT errors} {
        r del z
        r zadd z 1 a
        assert_error {ERR numkeys should be greater than 0} {r zmpop 0 z min}
        assert_error {ERR numkeys should be greater than 0} {r zmpop -1 z min}
        assert_error {ERR numkeys should be greater than 0} {r zmpop a z min}
        assert_error {ERR syntax error} {r zmpop 1 z foo}
        assert_error {ERR syntax error} {r zmpop 1 z min min}
        assert_error {ERR syntax error} {r zmpop 1 z min foo}
        assert_error {ERR syntax error} {r zmpop 1 z min count}
        assert_error {ERR syntax error} {r zmpop 1 z min count 1 count 1}
        assert_error {ERR syntax error} {r zmpop 2 z min}
        assert_error {ERR syntax error} {r zmpop 3 z min}
        assert_error {ERR syntax error} {r zmpop 9223372036854775807 z min}
        assert_error {ERR syntax error} {r zmpop 2147483648 z min}
        assert_error {ERR count should be greater than 0} {r zmpop 1 z min count 0}
        assert_error {ERR count should be greater than 0} {r zmpop 1 z min count -1}
        assert_error {ERR count should be greater than 0} {r zmpop 1 z min count a}
        assert_equal [r zcard z] 1
    }

    test {ZRANDMEMBER - count errors and the huge counts refused} {
        r del z
        r zadd z 1 a
        assert_error {ERR value is not an integer or out of range} {r zrandmember z a}
        assert_error {ERR value is not an integer or out of range} {r zrandmember z 1.5}
        assert_error {ERR value is not an integer or out of range} {r zrandmember nokey x}
        assert_error {ERR syntax error} {r zrandmember z 1 withscore}
        assert_error {ERR syntax error} {r zrandmember z 1 withscores extra}
        set toolow {ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807}
        assert_error $toolow {r zrandmember z -9223372036854775808}
        assert_error $toolow {r zrandmember z -9223372036854775808 withscores}
        assert_error $toolow {r zrandmember nokey -9223372036854775808}
        # WITHSCORES doubles the reply, so the count is bounded by LONG_MAX/2.
        foreach count {9223372036854775807 -9223372036854775807 4611686018427387904 -4611686018427387904} {
            assert_error {ERR value is out of range} {r zrandmember z $count withscores}
            assert_error {ERR value is out of range} {r zrandmember nokey $count withscores}
        }
        assert_equal [r zrandmember z 4611686018427387903 withscores] {a 1}
        assert_equal [r zrandmember z 9223372036854775807] {a}
    }

    test {ZUNION, ZINTER, ZDIFF and STORE forms - numkeys and option errors} {
        r del a
        r zadd a 1 x
        foreach cmd {zunion zinter zdiff zintercard} {
            assert_error "ERR at least 1 input key is needed for '$cmd' command" {r $cmd 0 a}
            assert_error "ERR at least 1 input key is needed for '$cmd' command" {r $cmd -1 a}
            assert_error {ERR value is not an integer or out of range} {r $cmd x a}
            assert_error {ERR syntax error} {r $cmd 2 a}
            assert_error {ERR syntax error} {r $cmd 3 a a}
            assert_error {ERR syntax error} {r $cmd 9223372036854775807 a}
            assert_error {ERR syntax error} {r $cmd 1 a foo}
        }
        foreach cmd {zunionstore zinterstore zdiffstore} {
            assert_error "ERR at least 1 input key is needed for '$cmd' command" {r $cmd d 0 a}
            assert_error "ERR at least 1 input key is needed for '$cmd' command" {r $cmd d -1 a}
            assert_error {ERR value is not an integer or out of range} {r $cmd d x a}
            assert_error {ERR syntax error} {r $cmd d 2 a}
            assert_error {ERR syntax error} {r $cmd d 1 a withscores}
        }
        # Too few weights: a syntax error at the end, but a word after them
        # is read as a weight.
        assert_error {ERR syntax error} {r zunion 2 a a weights 2}
        assert_error {ERR weight value is not a float} {r zunion 2 a a weights 2 withscores}
        assert_error {ERR weight value is not a float} {r zunion 2 a a weights 2 x}
        assert_error {ERR weight value is not a float} {r zinter 1 a weights nan}
        assert_error {ERR weight value is not a float} {r zunion 1 a weights 1e400}
        assert_error {ERR weight value is not a float} {r zunionstore d 1 a weights " 2"}
        assert_error {ERR syntax error} {r zunion 2 a a weights 2 0.5 0.5}
        assert_error {ERR syntax error} {r zinterstore d 1 a weights}
        assert_error {ERR syntax error} {r zunion 1 a aggregate}
        assert_error {ERR syntax error} {r zunion 1 a aggregate foo}
        assert_error {ERR syntax error} {r zdiff 1 a weights 1}
        assert_error {ERR syntax error} {r zdiff 1 a aggregate min}
        assert_error {ERR syntax error} {r zdiffstore d 1 a withscores}
        assert_error {ERR syntax error} {r zintercard 1 a withscores}
        assert_error {ERR syntax error} {r zintercard 1 a limit}
        assert_error {ERR LIMIT can't be negative} {r zintercard 1 a limit -1}
        assert_error {ERR LIMIT can't be negative} {r zintercard 1 a limit x}
        assert_error {ERR LIMIT can't be negative} {r zintercard 1 a limit 9223372036854775808}
        assert_error {ERR LIMIT can't be negative} {r zintercard 1 nokey limit -1}
        assert_equal [r exists d] 0
    }

    test {ZSCAN - cursor and option errors} {
        r del z
        r zadd z 1 a
        assert_error {ERR invalid cursor} {r zscan z x}
        assert_error {ERR invalid cursor} {r zscan z 18446744073709551616}
        assert_equal [r zscan z 18446744073709551615] {0 {a 1}}
        assert_error {ERR syntax error} {r zscan z 0 count 0}
        assert_error {ERR syntax error} {r zscan z 0 count -1}
        assert_error {ERR syntax error} {r zscan z 0 match}
        assert_error {ERR syntax error} {r zscan z 0 foo bar}
        assert_error {ERR syntax error} {r zscan z 0 type zset}
        assert_error {ERR invalid cursor} {r zscan nokey x}
        # A missing key answers before the options are read.
        assert_equal [r zscan nokey 0 count 0] {0 {}}
        assert_equal [r zscan nokey 0] {0 {}}
    }

    test {ZSCAN - a negative cursor: accepted by Redis 7.0, refused by 7.4} {
        r del z
        r zadd z 1 a
        if {[zset_v72]} {
            assert_error {ERR invalid cursor} {r zscan z -1}
        } else {
            assert_equal [r zscan z -1] {0 {a 1}}
        }
    }

    test {ZSCAN - NOVALUES is for HSCAN only} {
        r del z
        r zadd z 1 a
        if {[server_is_redis] && ![version_at_least 7.4]} {
            assert_error {ERR syntax error} {r zscan z 0 novalues}
        } else {
            assert_error {ERR NOVALUES option can only be used in HSCAN} {r zscan z 0 novalues}
        }
    }

    # ================================================================
    # Score formatting
    # ================================================================

    foreach zset_enc {listpack skiplist} {
    test "Score formatting - ZSCORE, ZRANGE, ZMSCORE, ZPOPMIN, ZRANDMEMBER and ZUNION agree ($zset_enc)" {
        zset_use_encoding $zset_enc
        # input, then the reply of Redis 7.2+ and of Redis 7.0.
        set cases {
            1.1 1.1 1.1000000000000001
            0.1 0.1 0.10000000000000001
            0.3 0.3 0.29999999999999999
            1e-5 0.00001 1.0000000000000001e-05
            -1e-5 -0.00001 -1.0000000000000001e-05
            1e-7 1e-7 9.9999999999999995e-08
            1.5e-7 1.5e-7 1.4999999999999999e-07
            0.000123 0.000123 0.00012300000000000001
            1e17 100000000000000000 1e+17
            123456789012345678 123456789012345680 1.2345678901234568e+17
            12345678901234567890 12345678901234567000 1.2345678901234567e+19
            1.5e300 1.5e+300 1.5000000000000001e+300
            2.5 2.5 2.5
            -2.25 -2.25 -2.25
            1500 1500 1500
            1e15 1000000000000000 1000000000000000
            1e20 1e+20 1e+20
            -1e20 -1e+20 -1e+20
            1.5e20 1.5e+20 1.5e+20
            1e100 1e+100 1e+100
            0.0001 0.0001 0.0001
            123.456 123.456 123.456
            3.0000000000000004 3.0000000000000004 3.0000000000000004
            9007199254740993 9007199254740992 9007199254740992
            1.7976931348623157e308 1.7976931348623157e+308 1.7976931348623157e+308
            inf inf inf
            -inf -inf -inf
        }
        foreach {in new old} $cases {
            set want [zset_dbl $new $old]
            r del f
            r zadd f $in m
            zset_assert_encoding f $zset_enc
            assert_equal [r zscore f m] $want "(ZSCORE of $in)"
            assert_equal [r zmscore f m] [list $want] "(ZMSCORE of $in)"
            assert_equal [r zrange f 0 -1 withscores] [list m $want] "(ZRANGE of $in)"
            assert_equal [r zrangebyscore f -inf +inf withscores] [list m $want] "(ZRANGEBYSCORE of $in)"
            assert_equal [r zrandmember f 1 withscores] [list m $want] "(ZRANDMEMBER of $in)"
            assert_equal [r zrandmember f -1 withscores] [list m $want] "(ZRANDMEMBER of $in)"
            assert_equal [r zunion 1 f withscores] [list m $want] "(ZUNION of $in)"
            assert_equal [r zrank f m] 0
            assert_equal [r zpopmin f] [list m $want] "(ZPOPMIN of $in)"
            assert_equal [r zincrby f $in m] $want "(ZINCRBY of $in)"
            assert_equal [r zadd f incr 0 m] $want "(ZADD INCR of $in)"
            assert_equal [r zpopmax f 1] [list m $want] "(ZPOPMAX of $in)"
        }
    }
    }

    test {Score formatting - 0.1 plus 0.2 by ZINCRBY is 0.30000000000000004} {
        zset_use_encoding listpack
        r del z
        assert_equal [r zincrby z 0.1 m] [zset_dbl 0.1 0.10000000000000001]
        assert_equal [r zincrby z 0.2 m] 0.30000000000000004
        assert_equal [r zscore z m] 0.30000000000000004
        assert_equal [r zadd z incr -0.30000000000000004 m] 0
        assert_equal [r zincrby z 1e20 m] 1e+20
        assert_equal [r zincrby z -1e20 m] 0
        assert_equal [r zincrby z 0.5 m] 0.5
    }

    test {Score formatting - the bytes on the wire} {
        r del z
        r zadd z 1.5 a 1e20 b inf c -inf d 0.1 e
        set c [raw_connect]
        assert_raw $c {zscore z a} {{$3} 1.5}
        assert_raw $c {zscore z b} {{$5} 1e+20}
        assert_raw $c {zscore z c} {{$3} inf}
        assert_raw $c {zscore z d} {{$4} -inf}
        if {[zset_v72]} {
            assert_raw $c {zscore z e} {{$3} 0.1}
        } else {
            assert_raw $c {zscore z e} {{$19} 0.10000000000000001}
        }
        assert_raw $c {zscore z nosuch} {{$-1}}
        assert_raw $c {zrange z 0 0 withscores} {*2 {$1} d {$4} -inf}
    }

    # ================================================================
    # RESP3
    # ================================================================

    test {RESP3 - ZSCORE, ZINCRBY and ZADD INCR reply doubles, nil is _} {
        zset_use_encoding listpack
        r del z
        r zadd z 1 a 2.5 b
        set c [raw_resp3_client]
        assert_raw $c {zscore z a} {,1}
        assert_raw $c {zscore z b} {,2.5}
        assert_raw $c {zscore z nosuch} {_}
        assert_raw $c {zscore nokey a} {_}
        assert_raw $c {zincrby z 1 b} {,3.5}
        assert_raw $c {zadd z incr 1.5 a} {,2.5}
        assert_raw $c {zadd z nx incr 1 a} {_}
        assert_raw $c {zadd z xx incr 1 nosuch} {_}
        assert_raw $c {zadd z inf c -inf d} {:2}
        assert_raw $c {zscore z c} {,inf}
        assert_raw $c {zscore z d} {,-inf}
        if {[zset_v72]} {
            assert_raw $c {zincrby z 0.1 e} {,0.1}
        } else {
            assert_raw $c {zincrby z 0.1 e} {,0.10000000000000001}
        }
        assert_raw $c {zadd z incr 0.2 e} {,0.30000000000000004}
    }

    test {RESP3 - ZMSCORE is an array of doubles and nulls} {
        r del z
        r zadd z 1 a inf c
        set c [raw_resp3_client]
        assert_raw $c {zmscore z a nosuch c} {*3 ,1 _ ,inf}
        assert_raw $c {zmscore nokey a} {*1 _}
    }

    test {RESP3 - WITHSCORES replies are arrays of member/score pairs} {
        r del z
        r zadd z 1 a 2.5 b 3 c
        set c [raw_resp3_client]
        assert_raw $c {zrange z 0 1 withscores} {*2 *2 {$1} a ,1 *2 {$1} b ,2.5}
        assert_raw $c {zrange z 0 1} {*2 {$1} a {$1} b}
        assert_raw $c {zrange z 0 0 rev withscores} {*1 *2 {$1} c ,3}
        assert_raw $c {zrangebyscore z 2 3 withscores} {*2 *2 {$1} b ,2.5 *2 {$1} c ,3}
        assert_raw $c {zrevrangebyscore z +inf 3 withscores} {*1 *2 {$1} c ,3}
        assert_raw $c {zrevrange z 0 0 withscores} {*1 *2 {$1} c ,3}
        assert_raw $c {zunion 1 z withscores} {*3 *2 {$1} a ,1 *2 {$1} b ,2.5 *2 {$1} c ,3}
        assert_raw $c {zinter 1 z withscores} {*3 *2 {$1} a ,1 *2 {$1} b ,2.5 *2 {$1} c ,3}
        assert_raw $c {zdiff 1 z withscores} {*3 *2 {$1} a ,1 *2 {$1} b ,2.5 *2 {$1} c ,3}
        assert_raw $c {zunion 1 z} {*3 {$1} a {$1} b {$1} c}
        assert_raw $c {zrange nokey 0 -1 withscores} {*0}
        assert_raw $c {zrangebylex z - (b} {*1 {$1} a}
    }

    test {RESP3 - ZPOPMIN and ZPOPMAX: one flat pair without a count, pairs with one} {
        r del z
        r zadd z 1 a 2.5 b 3 c 4 d
        set c [raw_resp3_client]
        assert_raw $c {zpopmin z} {*2 {$1} a ,1}
        assert_raw $c {zpopmin z 1} {*1 *2 {$1} b ,2.5}
        assert_raw $c {zpopmax z 5} {*2 *2 {$1} d ,4 *2 {$1} c ,3}
        assert_raw $c {zpopmin z} {*0}
        assert_raw $c {zpopmin z 2} {*0}
        assert_raw $c {zpopmax nokey 0} {*0}
        # RESP2 for comparison: flat either way.
        r zadd z 1 a 2 b
        set c2 [raw_connect]
        assert_raw $c2 {zpopmin z 1} {*2 {$1} a {$1} 1}
        assert_raw $c2 {zpopmax z} {*2 {$1} b {$1} 2}
    }

    test {RESP3 - ZMPOP: key and pairs, a missing key is _} {
        r del z
        r zadd z 1 a 2 b
        set c [raw_resp3_client]
        assert_raw $c {zmpop 1 z max count 2} {*2 {$1} z *2 *2 {$1} b ,2 *2 {$1} a ,1}
        assert_raw $c {zmpop 1 z min} {_}
    }

    test {RESP3 - ZRANDMEMBER: pairs WITHSCORES, a missing key is _ or an empty array} {
        r del z
        r zadd z 1.5 a
        set c [raw_resp3_client]
        assert_raw $c {zrandmember z} {{$1} a}
        assert_raw $c {zrandmember z 1} {*1 {$1} a}
        assert_raw $c {zrandmember z 1 withscores} {*1 *2 {$1} a ,1.5}
        assert_raw $c {zrandmember z -2 withscores} {*2 *2 {$1} a ,1.5 *2 {$1} a ,1.5}
        assert_raw $c {zrandmember z 0 withscores} {*0}
        assert_raw $c {zrandmember nokey} {_}
        assert_raw $c {zrandmember nokey 1} {*0}
        assert_raw $c {zrandmember nokey 1 withscores} {*0}
        set c2 [raw_connect]
        assert_raw $c2 {zrandmember z -2 withscores} {*4 {$1} a {$3} 1.5 {$1} a {$3} 1.5}
        assert_raw $c2 {zrandmember nokey} {{$-1}}
        assert_raw $c2 {zrandmember nokey 2} {*0}
    }

    test {RESP3 - ZRANK WITHSCORE is an integer and a double} {
        r del z
        r zadd z 1 a 2.5 b
        set c [raw_resp3_client]
        if {![zset_v72]} {
            # Redis 7.0 has no WITHSCORE.
            assert_raw $c {zrank z b withscore} {{-ERR wrong number of arguments for 'zrank' command}}
            assert_raw $c {zrank z nosuch} {_}
            return
        }
        assert_raw $c {zrank z b withscore} {*2 :1 ,2.5}
        assert_raw $c {zrevrank z b withscore} {*2 :0 ,2.5}
        assert_raw $c {zrank z nosuch withscore} {_}
        assert_raw $c {zrank nokey a withscore} {_}
        assert_raw $c {zrank z nosuch} {_}
    }

    test {RESP3 - ZSCAN scores stay bulk strings, counts stay integers} {
        zset_use_encoding listpack
        r del z
        r zadd z 1 a 2.5 b
        set c [raw_resp3_client]
        assert_raw $c {zscan z 0} {*2 {$1} 0 *4 {$1} a {$1} 1 {$1} b {$3} 2.5}
        assert_raw $c {zscan nokey 0} {*2 {$1} 0 *0}
        assert_raw $c {zcard z} {:2}
        assert_raw $c {zadd z 3 c} {:1}
        assert_raw $c {zrank z c} {:2}
        assert_raw $c {zrank z nosuch} {_}
        assert_raw $c {zintercard 1 z} {:3}
        assert_raw $c {zunionstore d 1 z} {:3}
    }

    # ================================================================
    # WRONGTYPE and missing keys
    # ================================================================

    test {WRONGTYPE - every sorted set command against a string} {
        r del str d
        r set str x
        foreach cmd {
            {zadd str 1 a} {zadd str incr 1 a} {zincrby str 1 a} {zrem str a} {zcard str}
            {zscore str a} {zmscore str a} {zrank str a} {zrevrank str a}
            {zcount str 0 1} {zlexcount str - +} {zrange str 0 -1}
            {zrange str 0 1 byscore} {zrange str - + bylex} {zrangebyscore str 0 1}
            {zrevrangebyscore str 1 0} {zrangebylex str - +} {zrevrangebylex str + -}
            {zrevrange str 0 -1} {zremrangebyscore str 0 1} {zremrangebyrank str 0 1}
            {zremrangebylex str - +} {zpopmin str} {zpopmax str 2} {zmpop 1 str min}
            {zrandmember str} {zrandmember str 2} {zrandmember str -2 withscores}
            {zscan str 0} {zscan str 0 count 0} {zrangestore d str 0 -1}
            {zunion 1 str} {zinter 2 nokey str} {zdiff 2 nokey str} {zintercard 2 nokey str}
            {zunionstore d 1 str} {zinterstore d 2 nokey str} {zdiffstore d 1 str}
        } {
            assert_error $::zset_wrongtype {r {*}$cmd}
        }
        assert_equal [r get str] x
        assert_equal [r exists d] 0
    }

    test {WRONGTYPE - a list is not a valid input to the set operations, a set is} {
        r del l s d
        r rpush l a
        r sadd s a
        assert_error $::zset_wrongtype {r zunion 2 s l}
        assert_error $::zset_wrongtype {r zinterstore d 2 s l}
        assert_error $::zset_wrongtype {r zintercard 2 s l}
        assert_equal [r zunion 1 s withscores] {a 1}
        # A string destination of a STORE is replaced, not an error.
        r set d x
        assert_equal [r zunionstore d 1 s] 1
        assert_equal [r type d] zset
    }

    test {WRONGTYPE - a zset against string, hash, list and set commands} {
        r del z
        r zadd z 1 a
        assert_error $::zset_wrongtype {r get z}
        assert_error $::zset_wrongtype {r append z x}
        assert_error $::zset_wrongtype {r hget z a}
        assert_error $::zset_wrongtype {r lpush z a}
        assert_error $::zset_wrongtype {r sadd z a}
        assert_error $::zset_wrongtype {r smembers z}
        assert_error $::zset_wrongtype {r sunion z}
        assert_equal [r zcard z] 1
    }

    test {Missing keys - empty replies, nothing created} {
        r del nokey
        assert_equal [r zcard nokey] 0
        assert_equal [r zscore nokey a] {}
        assert_equal [r zmscore nokey a b] {{} {}}
        assert_equal [r zrank nokey a] {}
        assert_equal [r zrevrank nokey a] {}
        assert_equal [r zcount nokey -inf +inf] 0
        assert_equal [r zlexcount nokey - +] 0
        assert_equal [r zrange nokey 0 -1] {}
        assert_equal [r zrange nokey 0 -1 withscores] {}
        assert_equal [r zrangebyscore nokey -inf +inf] {}
        assert_equal [r zrevrangebylex nokey + -] {}
        assert_equal [r zrem nokey a] 0
        assert_equal [r zremrangebyscore nokey -inf +inf] 0
        assert_equal [r zremrangebyrank nokey 0 -1] 0
        assert_equal [r zremrangebylex nokey - +] 0
        assert_equal [r zpopmin nokey] {}
        assert_equal [r zpopmax nokey 5] {}
        assert_equal [r zmpop 1 nokey min] {}
        assert_equal [r zrandmember nokey] {}
        assert_equal [r zrandmember nokey -5] {}
        assert_equal [r zrandmember nokey 5 withscores] {}
        assert_equal [r zscan nokey 0] {0 {}}
        assert_equal [r zunion 1 nokey] {}
        assert_equal [r zintercard 1 nokey] 0
        assert_equal [r zrangestore d nokey 0 -1] 0
        assert_equal [r exists nokey d] 0
        set c [raw_connect]
        assert_raw $c {zpopmin nokey} {*0}
        assert_raw $c {zmpop 1 nokey min} {*-1}
        assert_raw $c {zrandmember nokey} {{$-1}}
        assert_raw $c {zscore nokey a} {{$-1}}
    }

    # ================================================================
    # Generic commands meeting sorted sets
    # ================================================================

    test {TYPE - zset for a sorted set key of either encoding} {
        zset_use_encoding listpack
        r del z big
        r zadd z 1 a
        assert_equal [r type z] zset
        r zadd big 1 [string repeat x 65]
        zset_assert_encoding big skiplist
        assert_equal [r type big] zset
    }

    test {SCAN - TYPE zset returns only sorted set keys} {
        r flushdb
        for {set i 0} {$i < 30} {incr i} {
            r zadd zset:$i 1 a
            r sadd set:$i a
            r set str:$i v
        }
        r zadd zset:big 1 [string repeat x 100]
        foreach {type want} {zset 31 ZSET 31 set 30 string 30} {
            set cursor 0
            set found {}
            for {set n 0} {$n < 1000} {incr n} {
                lassign [r scan $cursor type $type] cursor keys
                lappend found {*}$keys
                if {$cursor == 0} break
            }
            set found [lsort -unique $found]
            assert_equal [llength $found] $want "(type $type)"
            if {[string tolower $type] eq "zset"} {
                foreach k $found { assert_match zset:* $k }
            }
        }
        r flushdb
    }

    test {RENAME - a sorted set keeps its members, scores and encoding} {
        zset_use_encoding listpack
        r del z t big big2
        r zadd z 1 a 2.5 b
        assert_equal [r rename z t] OK
        assert_equal [r exists z] 0
        assert_equal [r type t] zset
        assert_equal [r zrange t 0 -1 withscores] {a 1 b 2.5}
        r set str v
        r rename t str
        assert_equal [r type str] zset
        assert_equal [r zscore str b] 2.5
        r zadd big 1 a 2 [string repeat x 80]
        r rename big big2
        zset_assert_encoding big2 skiplist
        assert_equal [r zrank big2 a] 0
    }

    test {COPY - the copy is an independent sorted set in the same encoding} {
        foreach enc {listpack skiplist} {
            zset_use_encoding $enc
            r del z c
            r zadd z 1 a 2 b
            assert_equal [r copy z c] 1
            zset_assert_encoding c $enc
            r zadd c 10 x
            r zincrby c 5 a
            r zrem c b
            assert_equal [r zrange z 0 -1 withscores] {a 1 b 2} "($enc)"
            assert_equal [r zrange c 0 -1 withscores] {a 6 x 10} "($enc)"
            r zadd z 3 y
            assert_equal [r zcard c] 2
        }
        zset_use_encoding listpack
    }

    test {COPY - REPLACE and another database} {
        r flushall
        r zadd z 1 a 2 b
        r set dst v
        assert_equal [r copy z dst] 0
        assert_equal [r copy z dst replace] 1
        assert_equal [r type dst] zset
        assert_equal [r copy z z db 1] 1
        r select 1
        assert_equal [r zrange z 0 -1 withscores] {a 1 b 2}
        r select 0
        r flushall
    }

    test {EXPIRE - a sorted set keeps its TTL when written, loses it when emptied} {
        r del z
        r zadd z 1 a 2 b
        assert_equal [r expire z 100] 1
        r zadd z 3 c
        r zincrby z 1 a
        r zrem z b
        assert_range [r ttl z] 99 100
        r zpopmin z 5
        assert_equal [r exists z] 0
        r zadd z 1 a
        assert_equal [r ttl z] -1
        r pexpire z 50
        wait_for_condition 50 20 {[r exists z] == 0} else {
            fail "the sorted set did not expire"
        }
    }

    # ================================================================
    # Encodings and their thresholds
    # ================================================================

    test {OBJECT ENCODING - the 129th member converts a listpack to a skiplist} {
        zset_use_encoding listpack
        r del z
        assert_equal [r config get zset-max-listpack-entries] {zset-max-listpack-entries 128}
        assert_equal [r config get zset-max-ziplist-entries] {zset-max-ziplist-entries 128}
        assert_equal [r config get zset-max-listpack-value] {zset-max-listpack-value 64}
        assert_equal [r config get zset-max-ziplist-value] {zset-max-ziplist-value 64}
        set args {}
        for {set i 0} {$i < 128} {incr i} { lappend args $i m:[format %03d $i] }
        assert_equal [r zadd z {*}$args] 128
        zset_assert_encoding z listpack
        assert_equal [r zadd z 5 m:005] 0
        zset_assert_encoding z listpack
        assert_equal [r zadd z 128 m:128] 1
        zset_assert_encoding z skiplist
        assert_equal [r zcard z] 129
        assert_equal [r zrange z 0 2 withscores] {m:000 0 m:001 1 m:002 2}
        assert_equal [r zrank z m:128] 128
        assert_equal [r zrevrank z m:000] 128
        assert_equal [r zcount z 100 +inf] 29
        # Shrinking does not convert back.
        assert_equal [r zremrangebyrank z 1 -1] 128
        zset_assert_encoding z skiplist
        assert_equal [r zrange z 0 -1 withscores] {m:000 0}
    }

    test {OBJECT ENCODING - a 64 byte member fits a listpack, 65 bytes converts} {
        zset_use_encoding listpack
        r del z
        set m64 [string repeat x 64]
        set m65 [string repeat y 65]
        r zadd z 1 $m64
        zset_assert_encoding z listpack
        r zadd z 2 $m65
        zset_assert_encoding z skiplist
        assert_equal [r zrange z 0 -1] [list $m64 $m65]
        # Emptied and created again: a listpack once more.
        r zrem z $m64 $m65
        assert_equal [r exists z] 0
        r zadd z 1 a
        zset_assert_encoding z listpack
        r del z
        r zadd z 1 a
        r zincrby z 1 $m65
        zset_assert_encoding z skiplist
        r del z
        r zadd z 1 a
        r zadd z incr 1 $m65
        zset_assert_encoding z skiplist
        # Scores do not count towards the limit.
        r del z
        r zadd z 1.2345678901234567e300 a
        zset_assert_encoding z listpack
    }

    test {OBJECT ENCODING - CONFIG SET of both thresholds, under either name} {
        r del z y t
        assert_equal [r config set zset-max-listpack-entries 2] OK
        assert_equal [r config get zset-max-ziplist-entries] {zset-max-ziplist-entries 2}
        r zadd z 1 a 2 b
        zset_assert_encoding z listpack
        r zadd z 3 c
        zset_assert_encoding z skiplist
        r zrem z c
        zset_assert_encoding z skiplist
        assert_equal [r config set zset-max-ziplist-entries 1] OK
        assert_equal [r config get zset-max-listpack-entries] {zset-max-listpack-entries 1}
        r zadd y 1 a
        zset_assert_encoding y listpack
        r zadd y 2 b
        zset_assert_encoding y skiplist
        assert_equal [r config set zset-max-listpack-entries 0] OK
        r del y
        r zadd y 1 a
        zset_assert_encoding y skiplist
        r config set zset-max-listpack-entries 128
        assert_equal [r config set zset-max-ziplist-value 3] OK
        assert_equal [r config get zset-max-listpack-value] {zset-max-listpack-value 3}
        r zadd t 1 abc
        zset_assert_encoding t listpack
        r zadd t 1 abcd
        zset_assert_encoding t skiplist
        zset_use_encoding listpack
        assert_equal [r config get zset-max-listpack-entries] {zset-max-listpack-entries 128}
        assert_equal [r config get zset-max-listpack-value] {zset-max-listpack-value 64}
    }

    test {OBJECT ENCODING - stored results take the encoding their size calls for} {
        r del x y d
        r config set zset-max-listpack-entries 2
        r zadd x 1 a 2 b 3 c
        zset_assert_encoding x skiplist
        r zadd y 1 a 2 b
        zset_assert_encoding y listpack
        r zrangestore d x 0 1
        zset_assert_encoding d listpack
        r zunionstore d 1 x
        zset_assert_encoding d skiplist
        r zinterstore d 2 x y
        zset_assert_encoding d listpack
        r zdiffstore d 1 x
        zset_assert_encoding d skiplist
        r zunionstore d 1 y
        zset_assert_encoding d listpack
        r zrangestore d x 0 0
        zset_assert_encoding d listpack
        r sadd s1 a b c
        r zunionstore d 1 s1
        zset_assert_encoding d skiplist
        zset_use_encoding listpack
        r zunionstore d 1 s1
        zset_assert_encoding d listpack
        # A long member makes the stored result a skiplist.
        r zadd long 1 [string repeat z 70]
        r zunionstore d 2 y long
        zset_assert_encoding d skiplist
        r zinterstore d 2 y long
        assert_equal [r exists d] 0
        r del x y s1 long
    }

    test {Both encodings - the same replies after the conversion} {
        foreach enc {listpack skiplist} {
            zset_use_encoding $enc
            r del z
            r zadd z 1 a 2 b 3 c 0 "" 0 aa
            zset_assert_encoding z $enc
            assert_equal [r zrange z 0 -1 withscores] {{} 0 aa 0 a 1 b 2 c 3} "($enc)"
            assert_equal [r zrangebyscore z 0 0] {{} aa}
            assert_equal [r zrevrange z 0 1] {c b}
            assert_equal [r zcount z (0 3] 3
            assert_equal [r zrank z b] 3
            assert_equal [sorted_pairs [zset_scan_all z]] [sorted_pairs {{} 0 aa 0 a 1 b 2 c 3}]
            assert_equal [lsort [r zrandmember z 10]] {{} a aa b c}
            assert_equal [r zincrby z 1 a] 2
            assert_equal [r zrange z 1 2 withscores] {aa 0 a 2}
            assert_equal [r zpopmax z] {c 3}
            assert_equal [r zrem z "" aa a b] 4
            assert_equal [r exists z] 0
        }
        zset_use_encoding listpack
    }

    # ================================================================
    # Scripts
    # ================================================================

    test {EVAL - a sliding-window rate limiter on a sorted set} {
        r del rl
        # Allows LIMIT requests per WINDOW ms: drops the entries older than
        # the window, counts the rest, records the request if there is room.
        set script {
            local key = KEYS[1]
            local now = tonumber(ARGV[1])
            local window = tonumber(ARGV[2])
            local limit = tonumber(ARGV[3])
            redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (now - window))
            local count = redis.call('ZCARD', key)
            if count < limit then
                redis.call('ZADD', key, now, ARGV[4])
                redis.call('PEXPIRE', key, window)
                return {1, count + 1}
            end
            return {0, count}
        }
        set zset_rl_results {}
        foreach now {1000 1100 1200 1300 1999 2000 2100 2150 2201 2250} {
            lappend zset_rl_results [r eval $script 1 rl $now 1000 3 req:$now]
        }
        # 2000 still counts the request of 1000 (only scores below now-window
        # go); 2100, 2150 and 2201 each find one request expired.
        assert_equal $zset_rl_results [list {1 1} {1 2} {1 3} {0 3} {0 3} {0 3} {1 3} {1 3} {1 3} {0 3}]
        assert_equal [r zrange rl 0 -1 withscores] {req:2100 2100 req:2150 2150 req:2201 2201}
        assert_range [r pttl rl] 1 1000
        assert_equal [r object encoding rl] listpack
        unset zset_rl_results
    }

    test {EVAL - sorted set replies as Lua sees them} {
        r del z str
        r zadd z 1.5 a 3 b
        assert_equal [r eval {return redis.call('zscore', KEYS[1], 'a')} 1 z] 1.5
        assert_equal [r eval {return redis.call('zrange', KEYS[1], 0, -1, 'withscores')} 1 z] {a 1.5 b 3}
        assert_equal [r eval {return redis.call('zcard', KEYS[1])} 1 z] 2
        # An aborted ZADD INCR is a nil, which Lua sees as false.
        assert_equal [r eval {return type(redis.call('zadd', KEYS[1], 'nx', 'incr', 1, 'a'))} 1 z] boolean
        assert_equal [r eval {return redis.call('zscore', KEYS[1], 'nosuch') == false} 1 z] 1
        assert_equal [r eval {return redis.call('zincrby', KEYS[1], 2, 'b')} 1 z] 5
        assert_equal [r eval {return redis.call('zpopmin', KEYS[1])} 1 z] {a 1.5}
        assert_error {ERR value is not a valid float*} \
            {r eval {return redis.call('zincrby', KEYS[1], 'x', 'b')} 1 z}
        assert_error {ERR value is not a valid float} \
            {r eval {return redis.pcall('zincrby', KEYS[1], 'x', 'b')} 1 z}
        r set str x
        assert_error {WRONGTYPE Operation against a key holding the wrong kind of value*} \
            {r eval {return redis.call('zadd', KEYS[1], 1, 'a')} 1 str}
    }

    # ================================================================
    # Random operations against a model
    # ================================================================

    foreach zset_enc {listpack skiplist} {
    test "Random operations - ZADD ZINCRBY ZREM ZPOPMIN against a Tcl model ($zset_enc)" {
        zset_use_encoding $zset_enc
        r del rz
        expr {srand(20240601)}
        set model [dict create]
        for {set i 0} {$i < 400} {incr i} {
            set m m[expr {int(rand() * 40)}]
            set s [expr {(int(rand() * 41) - 20) / 2.0}]
            if {$s == int($s)} { set s [expr {int($s)}] }
            switch [expr {int(rand() * 10)}] {
                0 - 1 - 2 - 3 {
                    set new [expr {![dict exists $model $m]}]
                    assert_equal [r zadd rz $s $m] $new
                    dict set model $m $s
                }
                4 - 5 {
                    set old [expr {[dict exists $model $m] ? [dict get $model $m] : 0}]
                    set sum [expr {$old + $s}]
                    if {$sum == int($sum)} { set sum [expr {int($sum)}] }
                    assert_equal [r zincrby rz $s $m] $sum
                    dict set model $m $sum
                }
                6 - 7 {
                    assert_equal [r zrem rz $m] [dict exists $model $m]
                    dict unset model $m
                }
                8 {
                    set sorted [zset_model_sort $model]
                    set got [r zpopmin rz]
                    assert_equal $got [lrange $sorted 0 1]
                    if {[llength $got]} { dict unset model [lindex $got 0] }
                }
                9 {
                    set sorted [zset_model_sort $model]
                    if {[dict size $model]} {
                        assert_equal [r zrank rz $m] \
                            [expr {[dict exists $model $m] ? [lsearch -exact [zset_members $sorted] $m] : ""}]
                    }
                    assert_equal [r zcount rz -2 (3] \
                        [dict size [dict filter $model script {k v} {expr {$v >= -2 && $v < 3}}]]
                }
            }
        }
        set sorted [zset_model_sort $model]
        assert_equal [r zcard rz] [dict size $model]
        assert_equal [r zrange rz 0 -1 withscores] $sorted
        set rev {}
        foreach {m s} $sorted { set rev [linsert $rev 0 $m $s] }
        assert_equal [r zrevrange rz 0 -1 withscores] $rev
        set wantrange {}
        foreach {m s} $sorted { if {$s > -3 && $s <= 4} { lappend wantrange $m $s } }
        assert_equal [r zrangebyscore rz (-3 4 withscores] $wantrange
        if {[dict size $model]} { zset_assert_encoding rz $zset_enc }
        r del rz
    }
    }

    # ================================================================
    # Big sorted sets
    # ================================================================

    test {Big sorted set - 2000 members: ranks, index and score ranges, LIMIT, removals} {
        zset_use_encoding listpack
        r del big
        # Member m<i> (5 digits) scores 2*i.
        set args {}
        for {set i 0} {$i < 2000} {incr i} { lappend args [expr {$i * 2}] [format m%05d $i] }
        for {set i 0} {$i < 4000} {incr i 1000} {
            r zadd big {*}[lrange $args $i [expr {$i + 999}]]
        }
        zset_assert_encoding big skiplist
        assert_equal [r zcard big] 2000
        foreach i {0 1 31 32 127 128 500 1023 1024 1998 1999} {
            set m [format m%05d $i]
            assert_equal [r zrank big $m] $i "($m)"
            assert_equal [r zrevrank big $m] [expr {1999 - $i}] "($m)"
            assert_equal [r zscore big $m] [expr {$i * 2}]
            assert_equal [r zrange big $i $i withscores] [list $m [expr {$i * 2}]]
            assert_equal [r zrange big [expr {$i - 2000}] [expr {$i - 2000}]] [list $m]
            assert_equal [r zrevrange big [expr {1999 - $i}] [expr {1999 - $i}]] [list $m]
        }
        assert_equal [r zrange big 1000 1002] {m01000 m01001 m01002}
        assert_equal [r zrange big -3 -1 rev] {m00002 m00001 m00000}
        assert_equal [llength [r zrange big 0 -1]] 2000
        # Score ranges with offsets near and far.
        assert_equal [r zrangebyscore big 1000 +inf limit 0 2] {m00500 m00501}
        assert_equal [r zrangebyscore big 1000 +inf limit 700 2] {m01200 m01201}
        assert_equal [r zrangebyscore big 1000 +inf limit 1499 5] {m01999}
        assert_equal [r zrangebyscore big 1000 +inf limit 1500 5] {}
        assert_equal [r zrevrangebyscore big (1000 -inf limit 100 2] {m00399 m00398}
        assert_equal [r zrange big 3998 0 byscore rev limit 1000 1 withscores] {m00999 1998}
        assert_equal [r zcount big 1000 2000] 501
        assert_equal [r zcount big (1000 (2000] 499
        assert_equal [r zcount big 1001 1001] 0
        assert_equal [r zrange big 1001 1001 byscore] {}
        # Removals by rank and score, pops.
        assert_equal [r zremrangebyrank big 0 99] 100
        assert_equal [r zrank big m00100] 0
        assert_equal [r zremrangebyscore big 3000 +inf] 500
        assert_equal [r zcard big] 1400
        assert_equal [r zpopmax big] {m01499 2998}
        assert_equal [r zpopmin big 2] {m00100 200 m00101 202}
        assert_equal [r zrem big m00500 m00501 nosuch] 2
        assert_equal [r zrank big m00502] 398
        assert_equal [r zcard big] 1395
        set scanned [zset_scan_all big count 50]
        assert_equal [dict size [dict create {*}$scanned]] 1395
        set five [r zrandmember big 5]
        assert_equal [llength [lsort -unique $five]] 5
        foreach m $five { assert {[r zscore big $m] ne ""} "($m)" }
        r del big
    }

    test {Big sorted set - 2000 members of one score: lex ranges, LIMIT, removals} {
        zset_use_encoding listpack
        r del lex
        set args {}
        for {set i 0} {$i < 2000} {incr i} { lappend args 0 [format k%05d $i] }
        r zadd lex {*}$args
        zset_assert_encoding lex skiplist
        assert_equal [r zlexcount lex - +] 2000
        assert_equal [r zlexcount lex {[k00500} {(k01500}] 1000
        assert_equal [r zrangebylex lex {[k01000} + limit 0 2] {k01000 k01001}
        assert_equal [r zrangebylex lex {(k01000} + limit 900 2] {k01901 k01902}
        assert_equal [r zrangebylex lex - + limit 1999 5] {k01999}
        assert_equal [r zrevrangebylex lex {(k01000} - limit 100 2] {k00899 k00898}
        assert_equal [r zrange lex {[k00010} {[k00012} bylex] {k00010 k00011 k00012}
        assert_equal [r zrangebylex lex {(k01999} +] {}
        assert_equal [r zremrangebylex lex - {(k00100}] 100
        assert_equal [r zremrangebylex lex {[k01900} +] 100
        assert_equal [r zcard lex] 1800
        assert_equal [r zrange lex 0 0] {k00100}
        assert_equal [r zrange lex -1 -1] {k01899}
        assert_equal [r zrank lex k01000] 900
        r del lex
    }

    test {CONFIG SET - the zset thresholds are back to their defaults} {
        zset_use_encoding listpack
        assert_equal [r config get zset-max-listpack-entries] {zset-max-listpack-entries 128}
        assert_equal [r config get zset-max-listpack-value] {zset-max-listpack-value 64}
    }
}

# ================================================================
# Keyspace notifications
# ================================================================

start_server {tags {zset notify}} {
    test {Keyspace events - ZADD ZINCRBY ZREM with Kz, none for a no-op} {
        r del zev:z
        set s [zset_subscribe_keyspace Kz]
        r zadd zev:z 1 a 2 b
        assert_equal [zset_next_event $s] {zev:z zadd}
        # Nothing changes: no event.
        r zadd zev:z 1 a
        r zadd zev:z ch 1 a
        r zadd zev:z xx 1 nosuch
        r zadd zev:z nx incr 1 a
        r zadd zev:z gt 0 a
        r zrem zev:z nosuch
        catch {r zadd zev:z abc a}
        catch {r zincrby zev:z abc a}
        r zadd zev:z 10 a
        assert_equal [zset_next_event $s] {zev:z zadd}
        r zadd zev:z incr 1 a
        assert_equal [zset_next_event $s] {zev:z zincr}
        r zincrby zev:z 1 a
        assert_equal [zset_next_event $s] {zev:z zincr}
        r zadd zev:z lt 0 a
        assert_equal [zset_next_event $s] {zev:z zadd}
        r zrem zev:z a nosuch
        assert_equal [zset_next_event $s] {zev:z zrem}
        # Without g the last ZREM sends only zrem.
        r zrem zev:z b
        assert_equal [zset_next_event $s] {zev:z zrem}
        r zincrby zev:z 1 new
        assert_equal [zset_next_event $s] {zev:z zincr}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - the ZREMRANGEBY* family, ZPOPMIN, ZPOPMAX and ZMPOP} {
        r del zev:z
        set s [zset_subscribe_keyspace Kgz]
        r zadd zev:z 1 a 2 b 3 c 4 d 5 e 6 f 7 g
        assert_equal [zset_next_event $s] {zev:z zadd}
        r zremrangebyscore zev:z 100 200
        r zremrangebyrank zev:z 100 200
        r zremrangebylex zev:z {[x} {[y}
        r zpopmin zev:z 0
        r zremrangebyscore zev:z 1 1
        assert_equal [zset_next_event $s] {zev:z zremrangebyscore}
        r zremrangebyrank zev:z 0 0
        assert_equal [zset_next_event $s] {zev:z zremrangebyrank}
        r zremrangebylex zev:z {[c} {[c}
        assert_equal [zset_next_event $s] {zev:z zremrangebylex}
        r zpopmin zev:z
        assert_equal [zset_next_event $s] {zev:z zpopmin}
        r zpopmax zev:z 1
        assert_equal [zset_next_event $s] {zev:z zpopmax}
        r zmpop 1 zev:z min
        assert_equal [zset_next_event $s] {zev:z zpopmin}
        r zmpop 1 zev:z max count 1
        assert_equal [zset_next_event $s] {zev:z zpopmax}
        assert_equal [zset_next_event $s] {zev:z del}
        r zadd zev:z 1 a
        assert_equal [zset_next_event $s] {zev:z zadd}
        r zremrangebyrank zev:z 0 -1
        assert_equal [zset_next_event $s] {zev:z zremrangebyrank}
        assert_equal [zset_next_event $s] {zev:z del}
        r zadd zev:z 1 a
        assert_equal [zset_next_event $s] {zev:z zadd}
        r zpopmax zev:z 10
        assert_equal [zset_next_event $s] {zev:z zpopmax}
        assert_equal [zset_next_event $s] {zev:z del}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - STORE commands name the destination, an empty result deletes it} {
        r del zev:src zev:u zev:i zev:d zev:r
        set s [zset_subscribe_keyevent Egz]
        r zadd zev:src 1 a 2 b
        assert_equal [zset_next_event $s] {zadd zev:src}
        r zunionstore zev:u 1 zev:src
        assert_equal [zset_next_event $s] {zunionstore zev:u}
        r zinterstore zev:i 1 zev:src
        assert_equal [zset_next_event $s] {zinterstore zev:i}
        r zdiffstore zev:d 1 zev:src
        assert_equal [zset_next_event $s] {zdiffstore zev:d}
        r zrangestore zev:r zev:src 0 0
        assert_equal [zset_next_event $s] {zrangestore zev:r}
        # Empty results: the destinations go with a del.
        r zrangestore zev:r zev:src 5 6
        assert_equal [zset_next_event $s] {del zev:r}
        r zunionstore zev:u 1 zev:nokey
        assert_equal [zset_next_event $s] {del zev:u}
        r zinterstore zev:i 2 zev:src zev:nokey
        assert_equal [zset_next_event $s] {del zev:i}
        r zdiffstore zev:d 2 zev:src zev:src
        assert_equal [zset_next_event $s] {del zev:d}
        # An empty result with no destination to delete sends nothing.
        r zunionstore zev:u 1 zev:nokey
        r zrangestore zev:r zev:nokey 0 -1
        r zrem zev:src a
        assert_equal [zset_next_event $s] {zrem zev:src}
        r zrem zev:src b
        assert_equal [zset_next_event $s] {zrem zev:src}
        assert_equal [zset_next_event $s] {del zev:src}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - sorted set events are class z, which A includes} {
        r del zev:z
        set s [zset_subscribe_keyevent Eg]
        r zadd zev:z 1 a
        r zincrby zev:z 1 a
        r expire zev:z 100
        assert_equal [zset_next_event $s] {expire zev:z}
        r config set notify-keyspace-events EA
        r zadd zev:z 2 b
        assert_equal [zset_next_event $s] {zadd zev:z}
        r config set notify-keyspace-events Ez
        r zpopmin zev:z
        assert_equal [zset_next_event $s] {zpopmin zev:z}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - a sorted set in another database} {
        r select 9
        r del zev:z
        set s [zset_subscribe_keyspace Kz]
        r select 9
        r zadd zev:z 1 a
        set m [$s read]
        assert_equal [lrange $m 2 3] {__keyspace@9__:zev:z zadd}
        r config set notify-keyspace-events ""
        r del zev:z
    }
}

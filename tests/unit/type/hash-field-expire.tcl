# Hash field expiration (Redis 7.4): HEXPIRE, HPEXPIRE, HEXPIREAT,
# HPEXPIREAT, HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME and HPERSIST with their
# exact replies and errors (and the order the errors are checked in); fields
# that expire lazily (read commands) and actively (nobody reads them); hash
# writes on fields with a TTL; the listpackex and hashtable encodings; keys
# (EXPIRE, RENAME, COPY, MOVE, DEL, FLUSHALL, INFO keyspace and stats);
# keyspace notifications; WATCH and MULTI; RESP3; scripts; COMMAND INFO.
#
# Everything asserted is what Redis 7.4.1 replies. The commands do not exist
# before Redis 7.4: every test skips itself on an older redis-server (Debian's
# 7.0), so the file runs only against Redis >= 7.4 and respite:
#
#   tclsh tests/test_helper.tcl --server /path/to/7.4/redis-server \
#         --single unit/type/hash-field-expire
#
# Time: TTLs that must pass are 20-200 ms, and every wait for them is a
# bounded wait_for_condition (2-3 s at most); TTLs that must not pass are
# 100 s or more. Whether a field that expired is still stored (not reclaimed
# yet) depends on when active expiry ran, so no assertion depends on it: HTTL
# reads -2 for such a field in both cases, and is what the waits poll.

# --- helpers (prefixed hfe_, the unit files share one interpreter) ---

proc hfe_needs_74 {} {
    if {[server_is_redis] && ![version_at_least 7.4]} {
        skip_test "hash field expiration needs Redis 7.4"
    }
}

# The single value of HTTL/HPTTL/... KEY FIELDS 1 FIELD.
proc hfe_ttl {key field} { return [lindex [r httl $key FIELDS 1 $field] 0] }
proc hfe_pttl {key field} { return [lindex [r hpttl $key FIELDS 1 $field] 0] }

# Waits (bounded: 200 x 10 ms) until every FIELD of KEY is logically expired.
# HTTL does not reclaim fields, so the wait changes nothing. Then 2 ms more:
# in Redis 7.4 a listpackex field reads -2 from HTTL in the millisecond of
# its expire time, while reads still return it in that millisecond.
proc hfe_wait_expired {key args} {
    set want [lrepeat [llength $args] -2]
    wait_for_condition 200 10 {
        [r httl $key FIELDS [llength $args] {*}$args] eq $want
    } else {
        fail "fields $args of $key did not expire: HPTTL [r hpttl $key FIELDS [llength $args] {*}$args]"
    }
    after 2
}

# Waits (bounded) until HLEN KEY is N: HLEN reclaims nothing, so this waits
# for active expiry.
proc hfe_wait_hlen {key n} {
    wait_for_condition 200 10 {[r hlen $key] == $n} else {
        fail "HLEN $key is [r hlen $key], expected $n (active expiry did not run?)"
    }
}

# A deferring client subscribed to every keyevent channel.
proc hfe_subscribe {} {
    set s [redis_deferring_client]
    $s timeout 3000
    $s psubscribe __keyevent@*__:*
    assert_equal [$s read] {psubscribe __keyevent@*__:* 1}
    return $s
}

# The next event as "channel payload".
proc hfe_next_event {s} {
    return [lrange [$s read] end-1 end]
}

# A hash of fields a b c (values 1 2 3) in encoding ENC: listpack, or
# hashtable (a 100 byte value converts it; deleting it keeps the hashtable).
proc hfe_build {key enc} {
    r del $key
    r hset $key a 1 b 2 c 3
    if {$enc eq "hashtable"} {
        r hset $key tmp [string repeat x 100]
        r hdel $key tmp
    }
    assert_equal [r object encoding $key] $enc
}

set ::hfe_wt {WRONGTYPE Operation against a key holding the wrong kind of value}

start_server {tags {hash hfe}} {
    # --- HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT: replies ---

    test {HEXPIRE - 1 for each field given a TTL, -2 for a missing field} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2 c 3
        assert_equal [r hexpire h 100 FIELDS 2 a nofield] {1 -2}
        assert_equal [r httl h FIELDS 4 a b c nofield] {100 -1 -1 -2}
        assert_range [hfe_pttl h a] 99000 100000
        # The value is untouched.
        assert_equal [r hgetall h] {a 1 b 2 c 3}
        assert_equal [r hlen h] 3
        set c [raw_connect]
        assert_raw $c {hexpire h 200 FIELDS 3 a b nofield} {*3 :1 :1 :-2}
    }

    test {HEXPIRE - a missing key gives -2 for every field and is not created} {
        hfe_needs_74
        r del nokey
        assert_equal [r hexpire nokey 100 FIELDS 3 a b c] {-2 -2 -2}
        assert_equal [r hpexpire nokey 100 NX FIELDS 1 a] {-2}
        assert_equal [r hexpireat nokey 1 FIELDS 1 a] {-2}
        assert_equal [r exists nokey] 0
        set c [raw_connect]
        assert_raw $c {hpexpireat nokey 4102444800000 FIELDS 2 a b} {*2 :-2 :-2}
    }

    test {HPEXPIRE - the time is in milliseconds} {
        hfe_needs_74
        r del h
        r hset h a 1
        assert_equal [r hpexpire h 50000 FIELDS 1 a] 1
        assert_range [hfe_pttl h a] 49000 50000
        assert_equal [hfe_ttl h a] 50
    }

    test {HEXPIREAT - an absolute time in seconds, HEXPIRETIME gives it back} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        set t [expr {[clock seconds] + 1000}]
        assert_equal [r hexpireat h $t FIELDS 1 a] 1
        assert_equal [r hexpiretime h FIELDS 2 a b] [list $t -1]
        assert_equal [r hpexpiretime h FIELDS 1 a] [list [expr {$t * 1000}]]
        assert_range [hfe_ttl h a] 998 1000
    }

    test {HPEXPIREAT - an absolute time in milliseconds, HPEXPIRETIME gives it back} {
        hfe_needs_74
        r del h
        r hset h a 1
        assert_equal [r hpexpireat h 4102444800123 FIELDS 1 a] 1
        assert_equal [r hpexpiretime h FIELDS 1 a] 4102444800123
        # HEXPIRETIME rounds the milliseconds up.
        assert_equal [r hexpiretime h FIELDS 1 a] 4102444801
    }

    test {HEXPIRE - time 0 or in the past deletes the field and replies 2} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2 c 3 d 4
        assert_equal [r hexpire h 0 FIELDS 1 a] 2
        assert_equal [r hpexpire h 0 FIELDS 2 b nofield] {2 -2}
        assert_equal [r hexpireat h [expr {[clock seconds] - 10}] FIELDS 1 c] 2
        assert_equal [r hgetall h] {d 4}
        assert_equal [r httl h FIELDS 3 a b c] {-2 -2 -2}
        # The last field: the key goes.
        assert_equal [r hpexpireat h 1 FIELDS 1 d] 2
        assert_equal [r exists h] 0
        assert_equal [r type h] none
        assert_equal [r hexpire h 100 FIELDS 1 d] -2
    }

    test {HEXPIRE - a field repeated in one call is answered for each time} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        assert_equal [r hexpire h 100 FIELDS 2 a a] {1 1}
        # Deleted by the first, missing for the second.
        assert_equal [r hexpire h 0 FIELDS 3 b b a] {2 -2 2}
        assert_equal [r exists h] 0
    }

    test {HEXPIRE - a new time replaces the old one, longer or shorter} {
        hfe_needs_74
        r del h
        r hset h a 1
        r hexpire h 100 FIELDS 1 a
        assert_equal [r hexpire h 50 FIELDS 1 a] 1
        assert_equal [hfe_ttl h a] 50
        assert_equal [r hexpire h 500 FIELDS 1 a] 1
        assert_equal [hfe_ttl h a] 500
        # The same time again is still a 1.
        set t [expr {[clock seconds] + 1000}]
        assert_equal [r hexpireat h $t FIELDS 1 a] 1
        assert_equal [r hexpireat h $t FIELDS 1 a] 1
    }

    # --- NX, XX, GT, LT ---

    test {HEXPIRE - NX sets only fields without a TTL} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        r hexpire h 100 FIELDS 1 a
        assert_equal [r hexpire h 200 NX FIELDS 3 a b nofield] {0 1 -2}
        assert_equal [r httl h FIELDS 2 a b] {100 200}
    }

    test {HEXPIRE - XX sets only fields that have a TTL} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        r hexpire h 100 FIELDS 1 a
        assert_equal [r hexpire h 200 XX FIELDS 3 a b nofield] {1 0 -2}
        assert_equal [r httl h FIELDS 2 a b] {200 -1}
    }

    test {HEXPIRE - GT: only a later time, and no TTL counts as infinite} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        r hexpire h 100 FIELDS 1 a
        assert_equal [r hexpire h 200 GT FIELDS 2 a b] {1 0}
        assert_equal [r hexpire h 150 GT FIELDS 1 a] 0
        assert_equal [r httl h FIELDS 2 a b] {200 -1}
        # The same time is not later (absolute times: a relative time is
        # computed again at each call, a millisecond later or not).
        assert_equal [r hpexpireat h 4102444800000 GT FIELDS 1 a] 1
        assert_equal [r hpexpireat h 4102444800000 GT FIELDS 1 a] 0
        assert_equal [r hpexpireat h 4102444800001 GT FIELDS 1 a] 1
        assert_equal [r hpexpiretime h FIELDS 1 a] 4102444800001
    }

    test {HEXPIRE - LT: only an earlier time, and no TTL counts as infinite} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        r hexpire h 100 FIELDS 1 a
        assert_equal [r hexpire h 50 LT FIELDS 2 a b] {1 1}
        assert_equal [r hexpire h 70 LT FIELDS 1 a] 0
        assert_equal [r httl h FIELDS 2 a b] {50 50}
        # The same time is not earlier.
        assert_equal [r hpexpireat h 4102444800000 LT FIELDS 1 a] 0
        r hpexpireat h 4102444800000 FIELDS 1 a
        assert_equal [r hpexpireat h 4102444800000 LT FIELDS 1 a] 0
        assert_equal [r hpexpireat h 4102444799999 LT FIELDS 1 a] 1
        assert_equal [r hpexpiretime h FIELDS 1 a] 4102444799999
    }

    test {HEXPIRE - the condition is checked before a past time deletes} {
        hfe_needs_74
        # b has no TTL, a has one.
        r del h
        r hset h a 1 b 2
        r hexpire h 100 FIELDS 1 a
        assert_equal [r hexpire h 0 XX FIELDS 1 b] 0
        assert_equal [r hexpire h 0 GT FIELDS 2 a b] {0 0}
        assert_equal [r hexpire h 0 NX FIELDS 1 a] 0
        assert_equal [r hgetall h] {a 1 b 2}
        assert_equal [r hexpire h 0 LT FIELDS 1 b] 2
        assert_equal [r hexpire h 0 XX FIELDS 1 a] 2
        assert_equal [r exists h] 0
        r hset h a 1
        assert_equal [r hexpire h 0 NX FIELDS 1 a] 2
        assert_equal [r exists h] 0
    }

    test {HEXPIRE - options and FIELDS are case insensitive} {
        hfe_needs_74
        r del h
        r hset h a 1
        assert_equal [r hexpire h 100 nx fields 1 a] 1
        assert_equal [r hexpire h 200 Gt FiElDs 1 a] 1
        assert_equal [r HPEXPIRE h 300000 xX FIELDS 1 a] 1
        assert_equal [r hexpire h 100 lt Fields 1 a] 1
        assert_equal [r httl h fields 1 a] 100
        assert_equal [r hpersist h fIeLdS 1 a] 1
    }

    # --- errors ---

    test {HEXPIRE - wrong number of arguments} {
        hfe_needs_74
        r del h
        r hset h a 1
        foreach cmd {hexpire hpexpire hexpireat hpexpireat} {
            foreach args {{h 100 FIELDS 1} {h 100 FIELDS} {h 100} {h} {}} {
                assert_error "ERR wrong number of arguments for '$cmd' command" {r $cmd {*}$args}
            }
        }
        assert_error {ERR wrong number of arguments for 'hexpire' command} {r HEXPIRE h 100 NX FIELDS}
        assert_equal [hfe_ttl h a] -1
    }

    test {HEXPIRE - FIELDS missing or not where expected} {
        hfe_needs_74
        r del h nokey
        r hset h a 1
        set e {ERR Mandatory argument FIELDS is missing or not at the right position}
        foreach cmd {hexpire hpexpire hexpireat hpexpireat} {
            assert_error $e {r $cmd h 100 foo 1 a}
            assert_error $e {r $cmd h 100 NX 1 a b}
            assert_error $e {r $cmd h 100 NX NX FIELDS 1 a}
            assert_error $e {r $cmd h 100 1 FIELDS a}
            assert_error $e {r $cmd nokey 100 numfields 1 a}
        }
        # After FIELDS comes numfields, even if it reads FIELDS.
        assert_error {ERR Parameter `numFields` should be greater than 0} {r hexpire h 100 FIELDS FIELDS 1 a}
        assert_equal [hfe_ttl h a] -1
    }

    test {HEXPIRE - numfields must be a positive integer} {
        hfe_needs_74
        r del h
        r hset h a 1
        set e {ERR Parameter `numFields` should be greater than 0}
        foreach cmd {hexpire hpexpire hexpireat hpexpireat} {
            foreach n {0 -1 abc 1.5 "" 9223372036854775808 " 1"} {
                assert_error $e {r $cmd h 100 FIELDS $n a}
            }
        }
        assert_error $e {r hexpire h 100 NX FIELDS 0 a}
        assert_error $e {r hexpire nokey 100 FIELDS -5 a}
    }

    test {HEXPIRE - numfields must match the number of fields} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        set e {ERR The `numfields` parameter must match the number of arguments}
        foreach cmd {hexpire hpexpire hexpireat hpexpireat} {
            assert_error $e {r $cmd h 100 FIELDS 2 a}
            assert_error $e {r $cmd h 100 FIELDS 1 a b}
            assert_error $e {r $cmd h 100 NX FIELDS 1}
            assert_error $e {r $cmd h 100 FIELDS 9223372036854775807 a}
            assert_error $e {r $cmd nokey 100 FIELDS 3 a}
        }
        assert_equal [r httl h FIELDS 2 a b] {-1 -1}
    }

    test {HEXPIRE - the time must be an integer} {
        hfe_needs_74
        r del h
        r hset h a 1
        foreach cmd {hexpire hpexpire hexpireat hpexpireat} {
            foreach t {abc 1.5 "" " 1" 1e3 9223372036854775808 0x10} {
                assert_error {ERR value is not an integer or out of range} {r $cmd h $t FIELDS 1 a}
            }
        }
        assert_error {ERR value is not an integer or out of range} {r hexpire nokey abc FIELDS 1 a}
    }

    test {HEXPIRE - a negative time is an error, not a deletion} {
        hfe_needs_74
        r del h
        r hset h a 1
        foreach cmd {hexpire hpexpire hexpireat hpexpireat} {
            foreach t {-1 -100 -9223372036854775808} {
                assert_error {ERR invalid expire time, must be >= 0} {r $cmd h $t FIELDS 1 a}
            }
        }
        assert_error {ERR invalid expire time, must be >= 0} {r hexpire nokey -1 FIELDS 1 a}
        assert_equal [r hget h a] 1
    }

    test {HEXPIRE - the largest time is 2^46-1 ms as a Unix time} {
        hfe_needs_74
        r del h
        r hset h a 1
        # 70368744177663 ms = 2^46 - 1 (the 48 bit expire-time limit >> 2).
        assert_equal [r hpexpireat h 70368744177663 FIELDS 1 a] 1
        assert_equal [r hpexpiretime h FIELDS 1 a] 70368744177663
        assert_equal [r hexpiretime h FIELDS 1 a] 70368744178
        assert_error {ERR invalid expire time in 'hpexpireat' command} \
            {r hpexpireat h 70368744177664 FIELDS 1 a}
        assert_equal [r hexpireat h 70368744177 FIELDS 1 a] 1
        assert_equal [r hexpiretime h FIELDS 1 a] 70368744177
        assert_error {ERR invalid expire time in 'hexpireat' command} \
            {r hexpireat h 70368744178 FIELDS 1 a}
        # Relative times: now + time must stay within the limit.
        assert_error {ERR invalid expire time in 'hexpire' command} {r hexpire h 70368744178 FIELDS 1 a}
        assert_error {ERR invalid expire time in 'hexpire' command} {r hexpire h 70368744177 FIELDS 1 a}
        assert_error {ERR invalid expire time in 'hpexpire' command} {r hpexpire h 70368744177663 FIELDS 1 a}
        assert_error {ERR invalid expire time in 'hexpire' command} {r hexpire h 9223372036854775807 FIELDS 1 a}
        assert_error {ERR invalid expire time in 'hpexpire' command} {r hpexpire h 9223372036854775807 FIELDS 1 a}
        assert_error {ERR invalid expire time in 'hpexpireat' command} {r hpexpireat h 9223372036854775807 FIELDS 1 a}
        set ms [expr {70368744177663 - [clock milliseconds] - 600000}]
        assert_equal [r hpexpire h $ms FIELDS 1 a] 1
        assert_range [r hpexpiretime h FIELDS 1 a] 70368743577663 70368744177663
        # The time is checked before the key is looked at.
        assert_error {ERR invalid expire time in 'hexpireat' command} {r hexpireat nokey 70368744178 FIELDS 1 a}
        # The command name in the message is the lowercase name.
        assert_error {ERR invalid expire time in 'hpexpireat' command} {r HPEXPIREAT h 70368744177664 FIELDS 1 a}
    }

    test {HEXPIRE - the order errors are checked in} {
        hfe_needs_74
        r del h
        r set s x
        r hset h a 1
        # Arity first, then the type of the key.
        assert_error {ERR wrong number of arguments for 'hexpire' command} {r hexpire s abc FIELDS 1}
        assert_error $::hfe_wt {r hexpire s abc FIELDS 1 a}
        assert_error $::hfe_wt {r hexpire s -1 foo 0 a}
        assert_error $::hfe_wt {r hpexpireat s 70368744177664 foo 0 a}
        # Then the time (integer, >= 0, not too large) ...
        assert_error {ERR value is not an integer or out of range} {r hexpire h abc foo 0 a}
        assert_error {ERR invalid expire time, must be >= 0} {r hexpire h -1 foo 0 a}
        assert_error {ERR invalid expire time in 'hexpire' command} {r hexpire h 70368744178 foo 0 a}
        # ... then FIELDS, numfields, and the count of fields.
        assert_error {ERR Mandatory argument FIELDS is missing or not at the right position} {r hexpire h 100 foo 0 a}
        assert_error {ERR Parameter `numFields` should be greater than 0} {r hexpire h 100 FIELDS 0 a b}
        assert_equal [r get s] x
        assert_equal [hfe_ttl h a] -1
    }

    test {WRONGTYPE - the nine commands on a string key} {
        hfe_needs_74
        r set s x
        foreach cmd {
            {hexpire s 100 FIELDS 1 a} {hpexpire s 100 FIELDS 1 a}
            {hexpireat s 100 FIELDS 1 a} {hpexpireat s 100 FIELDS 1 a}
            {httl s FIELDS 1 a} {hpttl s FIELDS 1 a} {hexpiretime s FIELDS 1 a}
            {hpexpiretime s FIELDS 1 a} {hpersist s FIELDS 1 a}
            {httl s foo 1 a} {hpersist s FIELDS 0 a}
        } {
            assert_error $::hfe_wt {r {*}$cmd}
        }
        assert_equal [r get s] x
        assert_equal [r ttl s] -1
    }

    # --- HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME ---

    test {HTTL - -2 for a missing field or key, -1 for a field without TTL} {
        hfe_needs_74
        r del h nokey
        # A plain listpack hash, never given a TTL.
        r hset h a 1
        assert_equal [r object encoding h] listpack
        foreach cmd {httl hpttl hexpiretime hpexpiretime} {
            assert_equal [r $cmd h FIELDS 2 a nofield] {-1 -2} "($cmd)"
            assert_equal [r $cmd nokey FIELDS 3 a b c] {-2 -2 -2} "($cmd)"
        }
        # With TTLs elsewhere in the hash.
        r hset h b 2
        r hexpire h 100 FIELDS 1 b
        assert_equal [r httl h FIELDS 3 a b nofield] {-1 100 -2}
        assert_equal [r hexpiretime h FIELDS 2 a nofield] {-1 -2}
        set c [raw_connect]
        assert_raw $c {httl h FIELDS 3 a b nofield} {*3 :-1 :100 :-2}
        assert_raw $c {hpttl nokey FIELDS 2 a b} {*2 :-2 :-2}
        assert_equal [r exists nokey] 0
    }

    test {HTTL - rounds up to the next second (a key's TTL rounds to nearest)} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2 c 3
        r hpexpire h 1500 FIELDS 1 a
        r hpexpire h 1000 FIELDS 1 b
        r hpexpire h 2000 FIELDS 1 c
        assert_equal [r httl h FIELDS 3 a b c] {2 1 2}
        assert_range [hfe_pttl h a] 1000 1500
        r pexpire h 1400
        assert_equal [r ttl h] 1
    }

    test {HEXPIRETIME - rounds the milliseconds up; HPEXPIRETIME is exact} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2 c 3
        r hpexpireat h 4102444800000 FIELDS 1 a
        r hpexpireat h 4102444800001 FIELDS 1 b
        r hpexpireat h 4102444800999 FIELDS 1 c
        assert_equal [r hexpiretime h FIELDS 3 a b c] {4102444800 4102444801 4102444801}
        assert_equal [r hpexpiretime h FIELDS 3 a b c] {4102444800000 4102444800001 4102444800999}
    }

    test {HTTL - errors of HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME and HPERSIST} {
        hfe_needs_74
        r del h nokey
        r hset h a 1
        foreach cmd {httl hpttl hexpiretime hpexpiretime hpersist} {
            foreach args {{h FIELDS 1} {h FIELDS} {h} {}} {
                assert_error "ERR wrong number of arguments for '$cmd' command" {r $cmd {*}$args}
            }
            set e {ERR Mandatory argument FIELDS is missing or not at the right position}
            assert_error $e {r $cmd h foo 1 a}
            assert_error $e {r $cmd h 1 FIELDS a}
            assert_error $e {r $cmd nokey numfields 1 a}
            set e {ERR Number of fields must be a positive integer}
            foreach n {0 -1 abc 1.5 "" 9223372036854775808} {
                assert_error $e {r $cmd h FIELDS $n a}
            }
            assert_error $e {r $cmd nokey FIELDS 0 a}
            set e {ERR The `numfields` parameter must match the number of arguments}
            assert_error $e {r $cmd h FIELDS 2 a}
            assert_error $e {r $cmd h FIELDS 1 a b}
            assert_error $e {r $cmd nokey FIELDS 3 a}
            # FIELDS is checked before numfields.
            assert_error {ERR Mandatory*} {r $cmd h foo 0 a}
        }
        assert_equal [r hgetall h] {a 1}
    }

    test {HTTL - a field whose TTL passed reads -2, reclaimed or not} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        r hpexpire h 20 FIELDS 1 a
        hfe_wait_expired h a
        foreach cmd {httl hpttl hexpiretime hpexpiretime} {
            assert_equal [r $cmd h FIELDS 2 a b] {-2 -1} "($cmd)"
        }
        assert_equal [r hpersist h FIELDS 2 a b] {-2 -1}
        assert_equal [r hget h a] {}
        assert_equal [r hget h b] 2
    }

    # --- HPERSIST ---

    test {HPERSIST - 1 removes the TTL, -1 for no TTL, -2 for a missing field or key} {
        hfe_needs_74
        r del h nokey
        r hset h a 1 b 2 c 3
        r hexpire h 100 FIELDS 2 a c
        assert_equal [r hpersist h FIELDS 4 a b nofield a] {1 -1 -2 -1}
        assert_equal [r httl h FIELDS 3 a b c] {-1 -1 100}
        assert_equal [r hpersist nokey FIELDS 2 a b] {-2 -2}
        assert_equal [r exists nokey] 0
        set c [raw_connect]
        assert_raw $c {hpersist h FIELDS 2 c c} {*2 :1 :-1}
        assert_equal [sorted_pairs [r hgetall h]] {a 1 b 2 c 3}
    }

    test {HPERSIST - on a plain listpack hash: -1 and -2, the encoding stays} {
        hfe_needs_74
        r del h
        r hset h a 1
        assert_equal [r hpersist h FIELDS 2 a b] {-1 -2}
        assert_equal [r object encoding h] listpack
    }

    test {HPERSIST - the field then outlives its old TTL} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        r hpexpire h 50 FIELDS 2 a b
        assert_equal [r hpersist h FIELDS 1 a] 1
        hfe_wait_expired h b
        after 100
        assert_equal [r hget h a] 1
        assert_equal [hfe_ttl h a] -1
        assert_equal [r hgetall h] {a 1}
    }

    # --- lazy expiry: read commands ---

    test {HGET - a field whose TTL passed reads as missing, the others stay} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2 c 3
        r hpexpire h 20 FIELDS 1 a
        hfe_wait_expired h a
        assert_equal [r hget h a] {}
        assert_equal [r hexists h a] 0
        assert_equal [r hstrlen h a] 0
        assert_equal [r hmget h a b c a] {{} 2 3 {}}
        # After a read the field is reclaimed, HLEN does not count it.
        assert_equal [r hlen h] 2
        set c [raw_connect]
        assert_equal [$c hget h a] {$-1}
    }

    test {HEXISTS, HSTRLEN, HMGET - each reads an expired field as missing} {
        hfe_needs_74
        foreach cmd {{hexists h a} {hstrlen h a} {hmget h a}} want {0 0 {{}}} {
            r del h
            r hset h a 1 b 2
            r hpexpire h 20 FIELDS 1 a
            hfe_wait_expired h a
            assert_equal [r {*}$cmd] $want "($cmd)"
            assert_equal [r hlen h] 1 "($cmd)"
            assert_equal [r hget h b] 2
        }
    }

    test {HGETALL, HKEYS, HVALS - expired fields are left out} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2 c 3 d 4
        r hpexpire h 20 FIELDS 2 a c
        hfe_wait_expired h a c
        assert_equal [r hgetall h] {b 2 d 4}
        assert_equal [r hkeys h] {b d}
        assert_equal [r hvals h] {2 4}
        set c [raw_connect]
        assert_raw $c {hgetall h} {*4 {$1} b {$1} 2 {$1} d {$1} 4}
        set c3 [raw_resp3_client]
        assert_raw $c3 {hgetall h} {%2 {$1} b {$1} 2 {$1} d {$1} 4}
        # Not asserted: HLEN counts a field that expired but is not reclaimed
        # yet (HGETALL does not reclaim); it is 4 or 2 here.
        assert_range [r hlen h] 2 4
    }

    test {HSCAN - expired fields are left out} {
        hfe_needs_74
        foreach enc {listpack hashtable} {
            hfe_build h $enc
            r hpexpire h 20 FIELDS 1 a
            hfe_wait_expired h a
            assert_equal [sorted_pairs [hscan_all h]] {b 2 c 3} "($enc)"
            assert_equal [hscan_all h match a*] {} "($enc)"
            assert_equal [lsort [hscan_all h novalues]] {b c} "($enc)"
        }
        # A listpackex hash comes whole in one call.
        hfe_build h listpack
        r hpexpire h 20 FIELDS 1 b
        hfe_wait_expired h b
        assert_equal [r hscan h 0 count 1] {0 {a 1 c 3}}
    }

    test {HRANDFIELD - never returns an expired field} {
        hfe_needs_74
        foreach enc {listpack hashtable} {
            hfe_build h $enc
            r hpexpire h 20 FIELDS 2 a b
            hfe_wait_expired h a b
            assert_equal [r hrandfield h 10] {c} "($enc)"
            assert_equal [r hrandfield h -5] {c c c c c} "($enc)"
            assert_equal [r hrandfield h 1 withvalues] {c 3} "($enc)"
            assert_equal [r hrandfield h] c "($enc)"
            # HRANDFIELD reclaims every expired field first.
            assert_equal [r hlen h] 1 "($enc)"
        }
    }

    test {HRANDFIELD - all fields expired: null or empty array, and the key goes} {
        hfe_needs_74
        foreach enc {listpack hashtable} {
            foreach cmd {{hrandfield h} {hrandfield h 5} {hrandfield h -5 withvalues}} \
                    raw {{$-1} {*0} {*0}} {
                hfe_build h $enc
                r hpexpire h 20 FIELDS 3 a b c
                hfe_wait_expired h a b c
                set c [raw_connect]
                assert_equal [$c {*}$cmd] $raw "($enc, $cmd)"
                assert_equal [r exists h] 0 "($enc, $cmd)"
                $c close
            }
        }
    }

    test {HLEN - counts fields with a TTL until they expire and are reclaimed} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2 c 3
        r hexpire h 100 FIELDS 2 a b
        assert_equal [r hlen h] 3
        r hpexpire h 20 FIELDS 1 a
        hfe_wait_expired h a
        # In 7.4 HLEN counts an expired field until something reclaims it
        # (a read of the field, HRANDFIELD, or active expiry): 3 or 2 here.
        assert_range [r hlen h] 2 3
        r hget h a
        assert_equal [r hlen h] 2
    }

    test {HGET - the last field expiring deletes the key} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        r hpexpire h 20 FIELDS 2 a b
        hfe_wait_expired h a b
        assert_equal [r hmget h a b] {{} {}}
        assert_equal [r exists h] 0
        assert_equal [r type h] none
        assert_equal [r hlen h] 0
        assert_equal [r hgetall h] {}
    }

    # --- active expiry ---

    test {Active expiry - a field nobody reads is reclaimed} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2 c 3
        r hpexpire h 50 FIELDS 1 a
        hfe_wait_hlen h 2
        assert_equal [r hgetall h] {b 2 c 3}
        assert_equal [r httl h FIELDS 1 a] -2
    }

    test {Active expiry - the key goes with its last field: EXISTS, TYPE, DBSIZE, SCAN} {
        hfe_needs_74
        r flushdb
        r hset h a 1 b 2
        r hpexpire h 50 FIELDS 2 a b
        wait_for_condition 200 10 {[r dbsize] == 0} else {
            fail "the hash was not reclaimed: HLEN [r hlen h]"
        }
        assert_equal [r exists h] 0
        assert_equal [r type h] none
        assert_equal [r scan 0] {0 {}}
        assert_equal [r keys *] {}
    }

    test {Active expiry - fields with different TTLs go one by one} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2 c 3
        r hexpire h 100 FIELDS 1 c
        r hpexpire h 50 FIELDS 1 a
        r hpexpire h 150 FIELDS 1 b
        hfe_wait_hlen h 1
        assert_equal [r hgetall h] {c 3}
        assert_equal [hfe_ttl h c] 100
    }

    test {Active expiry - 1000 fields of a hashtable hash} {
        hfe_needs_74
        r del big
        set args {}
        set fields {}
        for {set i 0} {$i < 1000} {incr i} { lappend args f:$i $i; lappend fields f:$i }
        r hset big {*}$args
        r hset big keep 1
        assert_equal [r object encoding big] hashtable
        assert_equal [r hpexpire big 50 FIELDS 1000 {*}$fields] [lrepeat 1000 1]
        hfe_wait_hlen big 1
        assert_equal [r hgetall big] {keep 1}
    }

    # --- hash writes on fields with a TTL ---

    test {HSET - overwriting a field removes its TTL; HMSET too} {
        hfe_needs_74
        foreach enc {listpack hashtable} {
            hfe_build h $enc
            r hexpire h 100 FIELDS 3 a b c
            assert_equal [r hset h a 10] 0
            assert_equal [r hmset h b 20] OK
            assert_equal [r httl h FIELDS 3 a b c] {-1 -1 100} "($enc)"
            # Even with the same value.
            assert_equal [r hset h c 3] 0
            assert_equal [hfe_ttl h c] -1
            # A new field has no TTL.
            assert_equal [r hset h d 4] 1
            assert_equal [hfe_ttl h d] -1
        }
    }

    test {HSETNX - an existing field keeps its TTL} {
        hfe_needs_74
        r del h
        r hset h a 1
        r hexpire h 100 FIELDS 1 a
        assert_equal [r hsetnx h a 2] 0
        assert_equal [r hget h a] 1
        assert_equal [hfe_ttl h a] 100
    }

    test {HSETNX - an expired field counts as missing and is set without TTL} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        r hpexpire h 20 FIELDS 1 a
        hfe_wait_expired h a
        assert_equal [r hsetnx h a new] 1
        assert_equal [r hget h a] new
        assert_equal [hfe_ttl h a] -1
        # The same when it was the last field: the hash is created again.
        r del h
        r hset h a 1
        r hpexpire h 20 FIELDS 1 a
        hfe_wait_expired h a
        assert_equal [r hsetnx h a new] 1
        assert_equal [r hgetall h] {a new}
        assert_equal [hfe_ttl h a] -1
    }

    test {HINCRBY, HINCRBYFLOAT - the field keeps its TTL} {
        hfe_needs_74
        foreach enc {listpack hashtable} {
            hfe_build h $enc
            r hexpire h 100 FIELDS 2 a b
            assert_equal [r hincrby h a 5] 6
            assert_equal [r hincrbyfloat h b 0.5] 2.5
            assert_equal [r httl h FIELDS 2 a b] {100 100} "($enc)"
        }
    }

    test {HINCRBY, HINCRBYFLOAT - an expired field counts from 0 and gets no TTL} {
        hfe_needs_74
        r del h
        r hset h a 10 b 10 c 3
        r hpexpire h 20 FIELDS 2 a b
        hfe_wait_expired h a b
        assert_equal [r hincrby h a 5] 5
        assert_equal [r hincrbyfloat h b 1.5] 1.5
        assert_equal [r httl h FIELDS 2 a b] {-1 -1}
        # The last field: the hash is created again.
        r del h
        r hset h a 10
        r hpexpire h 20 FIELDS 1 a
        hfe_wait_expired h a
        assert_equal [r hincrby h a 1] 1
        assert_equal [r hgetall h] {a 1}
    }

    test {HDEL - deletes a field with a TTL; the last one deletes the key} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        r hexpire h 100 FIELDS 2 a b
        assert_equal [r hdel h a] 1
        assert_equal [r httl h FIELDS 2 a b] {-2 100}
        assert_equal [r hdel h b] 1
        assert_equal [r exists h] 0
        # A hash created again under the name has no field TTLs.
        r hset h a 1 b 2
        assert_equal [r httl h FIELDS 2 a b] {-1 -1}
    }

    test {HSET - an expired field set again is a new field without TTL} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        r hpexpire h 20 FIELDS 1 a
        hfe_wait_expired h a
        # Reclaimed by the read first: HSET adds it (HSET itself does not look
        # at TTLs, so before a reclaim it would count as an update).
        assert_equal [r hget h a] {}
        assert_equal [r hset h a new] 1
        assert_equal [r hget h a] new
        assert_equal [hfe_ttl h a] -1
        # Without the read: the value and the TTL are the same either way.
        r hpexpire h 20 FIELDS 1 b
        hfe_wait_expired h b
        assert {[r hset h b new] in {0 1}}
        assert_equal [r hget h b] new
        assert_equal [hfe_ttl h b] -1
        assert_equal [r hlen h] 2
    }

    # --- encodings (default thresholds: 512 entries, 64 bytes) ---

    test {OBJECT ENCODING - a small hash becomes listpackex at its first HEXPIRE} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        assert_equal [r object encoding h] listpack
        # HTTL and HPERSIST do not convert.
        r httl h FIELDS 1 a
        r hpersist h FIELDS 1 a
        assert_equal [r object encoding h] listpack
        r hexpire h 100 FIELDS 1 a
        assert_equal [r object encoding h] listpackex
        assert_equal [r type h] hash
    }

    test {OBJECT ENCODING - listpackex even when HEXPIRE changed nothing} {
        hfe_needs_74
        foreach cmd {{hexpire h 100 FIELDS 1 nofield} {hexpire h 100 XX FIELDS 1 a}
                     {hexpire h 100 GT FIELDS 1 a}} {
            r del h
            r hset h a 1
            r {*}$cmd
            assert_equal [r object encoding h] listpackex "($cmd)"
            assert_equal [hfe_ttl h a] -1
        }
    }

    test {OBJECT ENCODING - HPERSIST of every field leaves listpackex} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        r hexpire h 100 FIELDS 2 a b
        assert_equal [r hpersist h FIELDS 2 a b] {1 1}
        assert_equal [r object encoding h] listpackex
        # Fields that expired leave it too.
        r hpexpire h 20 FIELDS 1 a
        hfe_wait_expired h a
        r hget h a
        assert_equal [r object encoding h] listpackex
        assert_equal [r hgetall h] {b 2}
    }

    test {OBJECT ENCODING - a hashtable hash stays hashtable} {
        hfe_needs_74
        hfe_build h hashtable
        r hexpire h 100 FIELDS 1 a
        assert_equal [r object encoding h] hashtable
        r hpersist h FIELDS 1 a
        assert_equal [r object encoding h] hashtable
        r hpexpire h 20 FIELDS 2 a b
        hfe_wait_expired h a b
        r hmget h a b
        assert_equal [r object encoding h] hashtable
        assert_equal [r hgetall h] {c 3}
    }

    test {OBJECT ENCODING - 512 fields stay listpackex, the 513th converts and TTLs stay} {
        hfe_needs_74
        r del h
        set args {}
        for {set i 0} {$i < 512} {incr i} { lappend args f:$i $i }
        r hset h {*}$args
        r hexpire h 100 FIELDS 2 f:0 f:511
        assert_equal [r object encoding h] listpackex
        r hset h f:512 512
        assert_equal [r object encoding h] hashtable
        assert_equal [r httl h FIELDS 4 f:0 f:1 f:511 f:512] {100 -1 100 -1}
        assert_equal [r hlen h] 513
    }

    test {HGETALL - a listpackex hash lists fields with a TTL first, soonest first} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2 c 3 d 4
        r hexpire h 100 FIELDS 1 c
        assert_equal [r hkeys h] {c a b d}
        r hexpire h 50 FIELDS 1 d
        assert_equal [r hkeys h] {d c a b}
        r hexpire h 200 FIELDS 1 a
        assert_equal [r hkeys h] {d c a b}
        # A new TTL moves the field to its place.
        r hexpire h 300 FIELDS 1 d
        assert_equal [r hkeys h] {c a d b}
        # HPERSIST and HSET move it after the others; HINCRBY does not move it.
        r hpersist h FIELDS 1 c
        assert_equal [r hkeys h] {a d b c}
        r hset h a 10
        assert_equal [r hkeys h] {d b c a}
        r hincrby h d 1
        assert_equal [r hgetall h] {d 5 b 2 c 3 a 10}
        # A new field goes last.
        r hset h e 5
        assert_equal [r hkeys h] {d b c a e}
    }

    # --- keys ---

    test {EXPIRE, PERSIST - the key TTL and field TTLs are independent} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        r hexpire h 100 FIELDS 1 a
        assert_equal [r ttl h] -1
        r expire h 200
        assert_equal [r ttl h] 200
        assert_equal [r httl h FIELDS 2 a b] {100 -1}
        r persist h
        assert_equal [r ttl h] -1
        assert_equal [hfe_ttl h a] 100
        r expire h 200
        r hpersist h FIELDS 1 a
        assert_equal [r ttl h] 200
        # A field TTL beyond the key's is allowed.
        assert_equal [r hexpire h 1000 FIELDS 1 b] 1
        assert_equal [r httl h FIELDS 2 a b] {-1 1000}
    }

    test {EXPIRE - the key expiring takes its fields and their TTLs} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        r hexpire h 100 FIELDS 1 a
        r pexpire h 20
        wait_for_condition 200 10 {[r exists h] == 0} else { fail "the key did not expire" }
        assert_equal [r httl h FIELDS 1 a] -2
        r hset h a 1
        assert_equal [hfe_ttl h a] -1
    }

    test {RENAME - field TTLs move with the hash and still expire} {
        hfe_needs_74
        r del h h2
        r hset h a 1 b 2 c 3
        r hexpire h 100 FIELDS 1 a
        r hpexpire h 100 FIELDS 1 b
        assert_equal [r rename h h2] OK
        assert_equal [hfe_ttl h2 a] 100
        assert_equal [r object encoding h2] listpackex
        # b is reclaimed under the new name.
        hfe_wait_hlen h2 2
        assert_equal [r hgetall h2] {a 1 c 3}
        assert_equal [r exists h] 0
        # Renamed over an existing hash with TTLs, the old TTLs are gone.
        r hset h x 1
        r hexpire h 100 FIELDS 1 x
        r rename h2 h
        assert_equal [r httl h FIELDS 3 a c x] {100 -1 -2}
    }

    test {COPY - the copy has the same field TTLs and expires on its own} {
        hfe_needs_74
        r flushall
        r hset h a 1 b 2 c 3
        r hexpire h 100 FIELDS 1 a
        r hpexpire h 100 FIELDS 1 b
        assert_equal [r copy h h2] 1
        assert_equal [r copy h h3 db 1] 1
        assert_equal [hfe_ttl h2 a] 100
        assert_equal [r object encoding h2] listpackex
        r hpersist h FIELDS 1 a
        assert_equal [r httl h FIELDS 1 a] -1
        assert_equal [r httl h2 FIELDS 1 a] 100
        hfe_wait_hlen h 2
        hfe_wait_hlen h2 2
        r select 1
        assert_equal [hfe_ttl h3 a] 100
        hfe_wait_hlen h3 2
        assert_equal [r hgetall h3] {a 1 c 3}
        r flushall
    }

    test {MOVE - field TTLs move to the other database and still expire} {
        hfe_needs_74
        r flushall
        r hset h a 1 b 2 c 3
        r hexpire h 100 FIELDS 1 a
        r hpexpire h 100 FIELDS 1 b
        assert_equal [r move h 1] 1
        assert_equal [r exists h] 0
        r select 1
        assert_equal [hfe_ttl h a] 100
        hfe_wait_hlen h 2
        assert_equal [r hgetall h] {a 1 c 3}
        r flushall
    }

    test {DEL, UNLINK, FLUSHALL, SET - the hash goes with its field TTLs} {
        hfe_needs_74
        foreach cmd {{del h} {unlink h} {flushall} {flushdb} {set h v}} {
            r del h
            r hset h a 1
            r hexpire h 100 FIELDS 1 a
            r {*}$cmd
            assert_equal [r exists h] [expr {$cmd eq "set h v"}] "($cmd)"
            r del h
            r hset h a 1
            assert_equal [hfe_ttl h a] -1 "($cmd)"
        }
    }

    test {INFO - expired_subkeys counts expired fields; subexpiry counts hashes with field TTLs} {
        hfe_needs_74
        r flushall
        r config resetstat
        r hset h1 a 1 b 2 c 3
        r hset h2 a 1
        assert_equal [s db0 keyspace] {keys=2,expires=0,avg_ttl=0,subexpiry=0}
        r hexpire h1 100 FIELDS 1 c
        assert_equal [s db0 keyspace] {keys=2,expires=0,avg_ttl=0,subexpiry=1}
        r hexpire h2 100 FIELDS 1 a
        assert_equal [s db0 keyspace] {keys=2,expires=0,avg_ttl=0,subexpiry=2}
        r del h2
        assert_equal [s db0 keyspace] {keys=1,expires=0,avg_ttl=0,subexpiry=1}
        assert_equal [s expired_subkeys stats] 0
        r hexpire h1 0 FIELDS 2 a b
        assert_equal [s expired_subkeys stats] 2
        r hpexpire h1 20 FIELDS 1 c
        hfe_wait_expired h1 c
        r hget h1 c
        assert_equal [s expired_subkeys stats] 3
        assert_equal [s expired_keys stats] 0
        assert_equal [r dbsize] 0
    }

    # --- WATCH and MULTI ---

    test {WATCH - HEXPIRE or HPERSIST by another client aborts EXEC} {
        hfe_needs_74
        foreach cmd {{hexpire h 100 FIELDS 1 a} {hpexpire h 0 FIELDS 1 b}
                     {hpersist h FIELDS 1 c}} {
            r del h
            r hset h a 1 b 2 c 3
            r hexpire h 200 FIELDS 1 c
            set c [raw_connect]
            assert_equal [$c watch h] +OK
            set other [redis_client]
            $other {*}$cmd
            assert_equal [$c multi] +OK
            assert_equal [$c hget h a] +QUEUED
            assert_equal [$c exec] {*-1} "($cmd)"
            $c close
            $other close
        }
    }

    test {WATCH - HEXPIRE or HPERSIST that change nothing, and HTTL, do not abort EXEC} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        r hexpire h 200 FIELDS 1 a
        r watch h
        set other [redis_client]
        assert_equal [$other hexpire h 100 NX FIELDS 2 a nofield] {0 -2}
        assert_equal [$other hpersist h FIELDS 2 b nofield] {-1 -2}
        assert_equal [$other httl h FIELDS 1 a] 200
        r multi
        r hget h a
        assert_equal [r exec] 1
    }

    test {WATCH - a field reclaimed by active expiry aborts EXEC} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        r hpexpire h 200 FIELDS 1 a
        r watch h
        assert {[hfe_pttl h a] > 0}
        set other [redis_client]
        wait_for_condition 300 10 {[$other hlen h] == 1} else {
            fail "the field was not reclaimed"
        }
        r multi
        r hget h b
        assert_equal [r exec] {}
    }

    test {WATCH - a field reclaimed by another client's read aborts EXEC} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        r hpexpire h 100 FIELDS 1 a
        r watch h
        assert {[hfe_pttl h a] > 0}
        hfe_wait_expired h a
        set other [redis_client]
        assert_equal [$other hget h a] {}
        r multi
        r hget h b
        assert_equal [r exec] {}
    }

    test {MULTI - the commands queue and reply in EXEC} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        r multi
        assert_equal [r hexpire h 100 FIELDS 2 a nofield] QUEUED
        assert_equal [r httl h FIELDS 2 a b] QUEUED
        assert_equal [r hpersist h FIELDS 1 a] QUEUED
        assert_equal [r hpexpire h 0 FIELDS 1 b] QUEUED
        assert_equal [r hgetall h] QUEUED
        assert_equal [r exec] {{1 -2} {100 -1} 1 2 {a 1}}
    }

    test {MULTI - argument errors come from EXEC, arity errors abort the transaction} {
        hfe_needs_74
        r del h
        r hset h a 1
        set c [raw_connect]
        $c write_raw "MULTI\r\nHEXPIRE h 100 FIELDS 2 a\r\nHEXPIRE h -1 FIELDS 1 a\r\nHEXPIRE h 100 FIELDS 1 a\r\nEXEC\r\n"
        set lines {}
        for {set i 0} {$i < 9} {incr i} { lappend lines [$c read] }
        assert_equal $lines [list +OK +QUEUED +QUEUED +QUEUED *3 \
            {-ERR The `numfields` parameter must match the number of arguments} \
            {-ERR invalid expire time, must be >= 0} *1 :1]
        $c write_raw "MULTI\r\nHPERSIST h FIELDS 1 a\r\nHEXPIRE h 100 FIELDS 1\r\nEXEC\r\n"
        set lines {}
        for {set i 0} {$i < 4} {incr i} { lappend lines [$c read] }
        assert_equal $lines [list +OK +QUEUED \
            {-ERR wrong number of arguments for 'hexpire' command} \
            {-EXECABORT Transaction discarded because of previous errors.}]
        assert_equal [hfe_ttl h a] 100
    }

    # --- RESP3 and scripts ---

    test {RESP3 - the replies are arrays of integers} {
        hfe_needs_74
        r del h nokey
        r hset h a 1 b 2
        set c [raw_resp3_client]
        assert_raw $c {hexpire h 100 FIELDS 3 a b nofield} {*3 :1 :1 :-2}
        assert_raw $c {httl h FIELDS 2 a nofield} {*2 :100 :-2}
        assert_raw $c {hpexpiretime h FIELDS 1 nofield} {*1 :-2}
        assert_raw $c {hpersist h FIELDS 2 a a} {*2 :1 :-1}
        assert_raw $c {hexpire nokey 100 FIELDS 2 a b} {*2 :-2 :-2}
        assert_raw $c {httl nokey FIELDS 1 a} {*1 :-2}
        assert_raw $c {hpexpire h 0 FIELDS 1 b} {*1 :2}
    }

    test {EVAL - the commands from a script return tables of integers} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2
        set c [raw_connect]
        assert_raw $c {eval {return redis.call('hexpire', KEYS[1], 100, 'FIELDS', 2, 'a', 'zz')} 1 h} \
            {*2 :1 :-2}
        assert_raw $c {eval {return redis.call('httl', KEYS[1], 'FIELDS', 2, 'a', 'b')} 1 h} \
            {*2 :100 :-1}
        assert_equal [r eval {return redis.call('hpersist', KEYS[1], 'FIELDS', 1, 'a')[1]} 1 h] 1
        assert_equal [r eval {return redis.call('hpexpire', KEYS[1], 0, 'FIELDS', 1, 'b')} 1 h] 2
        assert_equal [r hgetall h] {a 1}
    }

    test {EVAL - errors of the commands in a script} {
        hfe_needs_74
        r del h
        r hset h a 1
        assert_error {ERR invalid expire time, must be >= 0 script: *, on @user_script:1.} \
            {r eval {return redis.call('hexpire', KEYS[1], -1, 'FIELDS', 1, 'a')} 1 h}
        assert_error {ERR invalid expire time, must be >= 0} \
            {r eval {return redis.pcall('hexpire', KEYS[1], -1, 'FIELDS', 1, 'a')} 1 h}
        assert_error {ERR Number of fields must be a positive integer script: *} \
            {r eval {return redis.call('httl', KEYS[1], 'FIELDS', 0, 'a')} 1 h}
        assert_error {ERR Wrong number of args calling Redis command from script script: *} \
            {r eval {return redis.call('hexpire', KEYS[1], 100, 'FIELDS', 1)} 1 h}
        assert_equal [hfe_ttl h a] -1
    }

    # --- COMMAND INFO ---

    test {COMMAND INFO - arity, flags, keys and categories of the nine commands} {
        hfe_needs_74
        foreach cmd {hexpire hpexpire hexpireat hpexpireat} {
            set info [lindex [r command info $cmd] 0]
            assert_equal [lrange $info 0 6] [list $cmd -6 {write denyoom fast} 1 1 1 {@write @hash @fast}]
            set spec [flat_to_dict [lindex $info 8 0]]
            assert_equal [dict get $spec flags] {RW update} "($cmd)"
        }
        foreach cmd {httl hpttl hexpiretime hpexpiretime} {
            set info [lindex [r command info $cmd] 0]
            assert_equal [lrange $info 0 6] [list $cmd -5 {readonly fast} 1 1 1 {@read @hash @fast}]
            set spec [flat_to_dict [lindex $info 8 0]]
            assert_equal [dict get $spec flags] {RO access} "($cmd)"
        }
        set info [lindex [r command info hpersist] 0]
        assert_equal [lrange $info 0 6] {hpersist -5 {write fast} 1 1 1 {@write @hash @fast}}
        set spec [flat_to_dict [lindex $info 8 0]]
        assert_equal [dict get $spec flags] {RW update}
        assert_equal [dict get $spec begin_search] {type index spec {index 1}}
        assert_equal [dict get $spec find_keys] {type range spec {lastkey 0 keystep 1 limit 0}}
    }
}

# --- keyspace notifications (a server of their own: no stray expiries) ---

start_server {tags {hash hfe notify}} {
    test {Keyspace events - HEXPIRE and its variants send hexpire} {
        hfe_needs_74
        r flushall
        r config set notify-keyspace-events KEA
        r hset h a 1 b 2
        set s [redis_deferring_client]
        $s timeout 3000
        $s subscribe __keyspace@0__:h __keyevent@0__:hexpire
        $s read
        $s read
        r hexpire h 100 FIELDS 1 a
        assert_equal [hfe_next_event $s] {__keyspace@0__:h hexpire}
        assert_equal [hfe_next_event $s] {__keyevent@0__:hexpire h}
        r hpexpire h 100000 FIELDS 1 b
        assert_equal [hfe_next_event $s] {__keyspace@0__:h hexpire}
        assert_equal [hfe_next_event $s] {__keyevent@0__:hexpire h}
        r hexpireat h 4102444800 FIELDS 1 a
        assert_equal [hfe_next_event $s] {__keyspace@0__:h hexpire}
        hfe_next_event $s
        r hpexpireat h 4102444800000 FIELDS 2 a b
        assert_equal [hfe_next_event $s] {__keyspace@0__:h hexpire}
        hfe_next_event $s
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - HEXPIRE that changes nothing sends nothing} {
        hfe_needs_74
        r flushall
        r config set notify-keyspace-events Eh
        r hset h a 1
        r hexpire h 100 FIELDS 1 a
        set s [hfe_subscribe]
        r hexpire h 100 NX FIELDS 1 a
        r hexpire h 100 FIELDS 1 nofield
        r hexpire nokey 100 FIELDS 1 a
        catch {r hexpire h -1 FIELDS 1 a}
        r hpersist h FIELDS 1 nofield
        r httl h FIELDS 1 a
        r hset marker f 1
        assert_equal [hfe_next_event $s] {__keyevent@0__:hset marker}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - HEXPIRE with a past time sends hdel, and del for the last field} {
        hfe_needs_74
        r flushall
        r config set notify-keyspace-events Egh
        r hset h a 1 b 2 c 3 d 4
        set s [hfe_subscribe]
        r hexpire h 100 FIELDS 1 c
        assert_equal [hfe_next_event $s] {__keyevent@0__:hexpire h}
        r hexpire h 0 FIELDS 1 a
        assert_equal [hfe_next_event $s] {__keyevent@0__:hdel h}
        # Deleted, condition not met and missing in one call: one hdel.
        assert_equal [r hexpire h 0 NX FIELDS 4 b c nofield b] {2 0 -2 -2}
        assert_equal [hfe_next_event $s] {__keyevent@0__:hdel h}
        # The last fields: hdel, then del.
        assert_equal [r hpexpireat h 1 FIELDS 2 c d] {2 2}
        assert_equal [hfe_next_event $s] {__keyevent@0__:hdel h}
        assert_equal [hfe_next_event $s] {__keyevent@0__:del h}
        assert_equal [r exists h] 0
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - HPERSIST sends hpersist when it removed a TTL} {
        hfe_needs_74
        r flushall
        r config set notify-keyspace-events Eh
        r hset h a 1 b 2
        r hexpire h 100 FIELDS 1 a
        set s [hfe_subscribe]
        r hpersist h FIELDS 1 b
        assert_equal [r hpersist h FIELDS 3 a a b] {1 -1 -1}
        assert_equal [hfe_next_event $s] {__keyevent@0__:hpersist h}
        # HSET overwriting a field with a TTL sends only hset.
        r hexpire h 100 FIELDS 1 a
        assert_equal [hfe_next_event $s] {__keyevent@0__:hexpire h}
        r hset h a 2
        assert_equal [hfe_next_event $s] {__keyevent@0__:hset h}
        r hset marker f 1
        assert_equal [hfe_next_event $s] {__keyevent@0__:hset marker}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - a field read after it expired sends hexpired} {
        hfe_needs_74
        r flushall
        r config set notify-keyspace-events Egh
        r hset h a 1 b 2
        r hpexpire h 20 FIELDS 1 a
        set s [hfe_subscribe]
        hfe_wait_expired h a
        r hget h a
        # Reclaimed by HGET or, just before, by active expiry: the same event.
        assert_equal [hfe_next_event $s] {__keyevent@0__:hexpired h}
        r hset marker f 1
        assert_equal [hfe_next_event $s] {__keyevent@0__:hset marker}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - the last field expiring sends hexpired then del} {
        hfe_needs_74
        # Not HMGET: in 7.4.1 an HMGET that reclaims only the last field
        # sends no event (unless active expiry got there first).
        foreach cmd {{hget h a} {hexists h a} {hstrlen h a} {hrandfield h}
                     {hrandfield h 2} {hsetnx h a 1} {hincrby h a 1}} {
            r flushall
            r config set notify-keyspace-events Egh
            r hset h a 1
            r hpexpire h 20 FIELDS 1 a
            set s [hfe_subscribe]
            hfe_wait_expired h a
            r {*}$cmd
            assert_equal [hfe_next_event $s] {__keyevent@0__:hexpired h} "($cmd)"
            assert_equal [hfe_next_event $s] {__keyevent@0__:del h} "($cmd)"
            # HSETNX and HINCRBY then create the hash again.
            r hset marker f 1
            set next [hfe_next_event $s]
            if {[lindex $cmd 0] in {hsetnx hincrby}} {
                # (HSETNX sends hset.)
                set created [dict get {hsetnx hset hincrby hincrby} [lindex $cmd 0]]
                assert_equal $next [list __keyevent@0__:$created h] "($cmd)"
                set next [hfe_next_event $s]
            }
            assert_equal $next {__keyevent@0__:hset marker} "($cmd)"
            $s close
        }
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - HMGET of several expired fields sends one hexpired} {
        hfe_needs_74
        r flushall
        r config set notify-keyspace-events Egh
        r hset h a 1 b 2 c 3
        r hpexpire h 20 FIELDS 2 a b
        set s [hfe_subscribe]
        hfe_wait_expired h a b
        assert_equal [r hmget h a b c] {{} {} 3}
        assert_equal [hfe_next_event $s] {__keyevent@0__:hexpired h}
        r hset marker f 1
        assert_equal [hfe_next_event $s] {__keyevent@0__:hset marker}
        # Every field, the key goes: hexpired then del.
        r hpexpire h 20 FIELDS 1 c
        assert_equal [hfe_next_event $s] {__keyevent@0__:hexpire h}
        r hset h d 4
        assert_equal [hfe_next_event $s] {__keyevent@0__:hset h}
        r hpexpire h 20 FIELDS 1 d
        assert_equal [hfe_next_event $s] {__keyevent@0__:hexpire h}
        hfe_wait_expired h c d
        assert_equal [r hmget h c d] {{} {}}
        assert_equal [hfe_next_event $s] {__keyevent@0__:hexpired h}
        assert_equal [hfe_next_event $s] {__keyevent@0__:del h}
        assert_equal [r exists h] 0
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - active expiry sends hexpired, then del with the last field} {
        hfe_needs_74
        r flushall
        r config set notify-keyspace-events Egh
        r hset h a 1 b 2
        set s [hfe_subscribe]
        r hpexpire h 50 FIELDS 1 a
        assert_equal [hfe_next_event $s] {__keyevent@0__:hexpire h}
        # Nobody reads h.
        assert_equal [hfe_next_event $s] {__keyevent@0__:hexpired h}
        assert_equal [r hgetall h] {b 2}
        r hpexpire h 50 FIELDS 1 b
        assert_equal [hfe_next_event $s] {__keyevent@0__:hexpire h}
        assert_equal [hfe_next_event $s] {__keyevent@0__:hexpired h}
        assert_equal [hfe_next_event $s] {__keyevent@0__:del h}
        assert_equal [r exists h] 0
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - hexpire, hexpired, hpersist are class h, del is class g} {
        hfe_needs_74
        r flushall
        # Without h: only the generic del.
        r config set notify-keyspace-events Egx
        r hset h a 1
        set s [hfe_subscribe]
        r hexpire h 100 FIELDS 1 a
        r hpersist h FIELDS 1 a
        r hpexpire h 20 FIELDS 1 a
        hfe_wait_expired h a
        r hget h a
        assert_equal [hfe_next_event $s] {__keyevent@0__:del h}
        # Without g: no del.
        r config set notify-keyspace-events Eh
        r hset h a 1
        assert_equal [hfe_next_event $s] {__keyevent@0__:hset h}
        r hpexpire h 20 FIELDS 1 a
        assert_equal [hfe_next_event $s] {__keyevent@0__:hexpire h}
        hfe_wait_expired h a
        r hget h a
        assert_equal [hfe_next_event $s] {__keyevent@0__:hexpired h}
        r hset marker f 1
        assert_equal [hfe_next_event $s] {__keyevent@0__:hset marker}
        r config set notify-keyspace-events ""
    }
}

# --- the thresholds lowered: 4 entries, 8 bytes ---

start_server {overrides {hash-max-listpack-entries 4 hash-max-listpack-value 8} tags {hash hfe}} {
    test {OBJECT ENCODING - listpackex with a 5th field converts and keeps the TTLs} {
        hfe_needs_74
        foreach cmd {{hset h e 5} {hsetnx h e 5} {hincrby h e 5} {hincrbyfloat h e 5} {hmset h e 5}} {
            r del h
            r hset h a 1 b 2 c 3 d 4
            r hexpire h 100 FIELDS 2 a b
            r hexpire h 200 FIELDS 1 b
            assert_equal [r object encoding h] listpackex
            r {*}$cmd
            assert_equal [r object encoding h] hashtable "($cmd)"
            assert_equal [r httl h FIELDS 5 a b c d e] {100 200 -1 -1 -1} "($cmd)"
            assert_equal [r hlen h] 5
        }
    }

    test {OBJECT ENCODING - listpackex with a long value or field converts and keeps the TTLs} {
        hfe_needs_74
        foreach cmd {{hset h v 123456789} {hset h 123456789 v} {hincrbyfloat h a 0.123456789}} {
            r del h
            r hset h a 1 b 2
            r hexpire h 100 FIELDS 1 a
            r {*}$cmd
            assert_equal [r object encoding h] hashtable "($cmd)"
            assert_equal [r httl h FIELDS 2 a b] {100 -1} "($cmd)"
        }
        assert_equal [r hget h a] 1.123456789
    }

    test {OBJECT ENCODING - HSET of 5 fields on a listpackex converts at once} {
        hfe_needs_74
        r del h
        r hset h a 1
        r hexpire h 100 FIELDS 1 a
        r hset h b 2 c 3 d 4 e 5 f 6
        assert_equal [r object encoding h] hashtable
        assert_equal [hfe_ttl h a] 100
    }

    test {HEXPIRE - on a hashtable hash: set, condition, delete and expire} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2 c 3 d 4 e 5
        assert_equal [r object encoding h] hashtable
        assert_equal [r hexpire h 100 FIELDS 3 a b nofield] {1 1 -2}
        assert_equal [r hexpire h 200 NX FIELDS 2 a c] {0 1}
        assert_equal [r hexpire h 200 XX FIELDS 2 a d] {1 0}
        assert_equal [r hexpire h 50 GT FIELDS 2 b d] {0 0}
        assert_equal [r hexpire h 50 LT FIELDS 2 b d] {1 1}
        assert_equal [r httl h FIELDS 5 a b c d e] {200 50 200 50 -1}
        assert_equal [r hpersist h FIELDS 3 a e nofield] {1 -1 -2}
        assert_equal [r hexpire h 0 FIELDS 2 e e] {2 -2}
        assert_equal [lsort [r hkeys h]] {a b c d}
        r hpexpire h 50 FIELDS 2 b c
        hfe_wait_hlen h 2
        assert_equal [sorted_pairs [r hgetall h]] {a 1 d 4}
        r hpexpire h 50 FIELDS 2 a d
        wait_for_condition 200 10 {[r exists h] == 0} else { fail "the hash was not reclaimed" }
    }

    test {HEXPIRE - a past time on every field of a hashtable hash deletes the key} {
        hfe_needs_74
        r del h
        r hset h a 1 b 2 c 3 d 4 e 5
        assert_equal [r hpexpireat h 1 FIELDS 5 a b c d e] {2 2 2 2 2}
        assert_equal [r exists h] 0
    }
}

# Hash commands: HSET ... HRANDFIELD with their exact replies and errors,
# WRONGTYPE in both directions, the listpack and hashtable encodings and the
# thresholds between them, and hashes meeting generic commands, keyspace
# notifications, WATCH/MULTI and scripts. Everything asserted is what Redis
# 7.0 replies; HSCAN NOVALUES (Redis 7.4) is skipped on older Redis.

# --- helpers (prefixed hash_, the unit files share one interpreter) ---

# The content the encoding checks run on: integer-like values (canonical or
# not), a float, an empty value and a binary one; all short enough for a
# listpack.
set ::hash_content [list \
    name respite n 10 neg -5 f 1.5 empty "" bin "a\x00b\r\nc" \
    007 007 big 9223372036854775808 min -9223372036854775808 plus +1]

# Builds KEY from ::hash_content in encoding ENC (listpack or hashtable). A
# value longer than hash-max-listpack-value (64) converts the hash; deleting
# it again leaves the hashtable.
proc hash_build {key enc} {
    r del $key
    r hset $key {*}$::hash_content
    if {$enc eq "hashtable"} {
        r hset $key tmp [string repeat x 100]
        r hdel $key tmp
    }
    assert_equal [r object encoding $key] $enc
}

# Read commands on a hash built by hash_build.
proc hash_check_reads {key} {
    set content $::hash_content
    assert_equal [r hlen $key] [expr {[llength $content] / 2}]
    foreach {f v} $content {
        assert_equal [r hget $key $f] $v "(HGET $f)"
        assert_equal [r hstrlen $key $f] [string length $v] "(HSTRLEN $f)"
        assert_equal [r hexists $key $f] 1 "(HEXISTS $f)"
    }
    assert_equal [r hget $key nofield] {}
    assert_equal [r hexists $key nofield] 0
    assert_equal [r hstrlen $key nofield] 0
    assert_equal [r hmget $key n nofield bin n] [list 10 {} "a\x00b\r\nc" 10]

    set all [r hgetall $key]
    assert_equal [sorted_pairs $all] [sorted_pairs $content]
    # HKEYS and HVALS walk the hash in the order HGETALL does.
    set keys {}
    set vals {}
    foreach {f v} $all { lappend keys $f; lappend vals $v }
    assert_equal [r hkeys $key] $keys
    assert_equal [r hvals $key] $vals

    assert_equal [sorted_pairs [hscan_all $key]] [sorted_pairs $content]
    assert_equal [sorted_pairs [hscan_all $key count 2]] [sorted_pairs $content]
    assert_equal [sorted_pairs [hscan_all $key match n*]] {n 10 name respite neg -5}
    assert_equal [hscan_all $key match nomatch*] {}

    assert {[dict exists $content [r hrandfield $key]]}
    set three [r hrandfield $key 3]
    assert_equal [llength $three] 3
    assert_equal [llength [lsort -unique $three]] 3
    foreach f $three { assert {[dict exists $content $f]} "($f)" }
    assert_equal [lsort [r hrandfield $key 100]] [lsort [dict keys $content]]
    set many [r hrandfield $key -30]
    assert_equal [llength $many] 30
    foreach f $many { assert {[dict exists $content $f]} "($f)" }
    foreach count {4 -30 100} {
        set pairs [r hrandfield $key $count withvalues]
        foreach {f v} $pairs {
            assert_equal $v [dict get $content $f] "(HRANDFIELD $count WITHVALUES, field $f)"
        }
    }
    assert_equal [llength [r hrandfield $key -30 withvalues]] 60
    assert_equal [llength [r hrandfield $key 4 withvalues]] 8
    assert_equal [r hrandfield $key 0] {}
}

# Write commands on a hash built by hash_build; the encoding does not change.
proc hash_check_writes {key enc} {
    assert_equal [r hset $key n 11 added 1] 1
    assert_equal [r hsetnx $key n 12] 0
    assert_equal [r hsetnx $key added2 2] 1
    assert_equal [r hmset $key added3 3] OK
    assert_equal [r hget $key n] 11
    assert_equal [r hincrby $key n 5] 16
    assert_equal [r hincrby $key neg -5] -10
    assert_equal [r hincrby $key new 7] 7
    assert_error {ERR hash value is not an integer} {r hincrby $key name 1}
    assert_error {ERR hash value is not an integer} {r hincrby $key big 1}
    assert_error {ERR hash value is not an integer} {r hincrby $key 007 1}
    assert_error {ERR increment or decrement would overflow} {r hincrby $key min -1}
    assert_equal [r hincrbyfloat $key f 0.25] 1.75
    assert_equal [r hincrbyfloat $key 007 1] 8
    assert_error {ERR hash value is not a float} {r hincrbyfloat $key bin 1}
    assert_equal [r hdel $key added added2 added3 new nofield] 4
    assert_equal [r hlen $key] [expr {[llength $::hash_content] / 2}]
    assert_equal [r hmget $key n neg f 007 min] {16 -10 1.75 8 -9223372036854775808}
    assert_equal [r object encoding $key] $enc
    assert_equal [r hdel $key {*}[dict keys $::hash_content]] [expr {[llength $::hash_content] / 2}]
    assert_equal [r exists $key] 0
}

start_server {tags {hash}} {
    # --- HSET, HSETNX, HMSET ---

    test {HSET - creates the hash and returns the number of new fields} {
        r del h
        assert_equal [r hset h a 1] 1
        assert_equal [r hset h b 2 c 3] 2
        assert_equal [r hset h a 10 d 4] 1
        assert_equal [r hget h a] 10
        assert_equal [r hlen h] 4
        assert_equal [r type h] hash
    }

    test {HSET - updating fields, even with the same value, returns 0} {
        r del h
        r hset h a 1 b 2
        assert_equal [r hset h a 1] 0
        assert_equal [r hset h a x b y] 0
        assert_equal [r hmget h a b] {x y}
    }

    test {HSET - a field repeated in one call counts once and the last value wins} {
        r del h
        assert_equal [r hset h a 1 a 2 a 3] 1
        assert_equal [r hget h a] 3
        assert_equal [r hlen h] 1
    }

    test {HSET - odd number of arguments is a wrong arity error} {
        r del h
        assert_error {ERR wrong number of arguments for 'hset' command} {r hset h a}
        assert_error {ERR wrong number of arguments for 'hset' command} {r hset h a 1 b}
        assert_error {ERR wrong number of arguments for 'hset' command} {r hset h}
        assert_error {ERR wrong number of arguments for 'hset' command} {r hset}
        assert_equal [r exists h] 0
    }

    test {HSET - command names are case insensitive} {
        r del h
        assert_equal [r HsEt h a 1] 1
        assert_equal [r HGET h a] 1
    }

    test {HSETNX - sets a missing field only} {
        r del h
        assert_equal [r hsetnx h a 1] 1
        assert_equal [r hsetnx h a 2] 0
        assert_equal [r hget h a] 1
        assert_equal [r hsetnx h b 2] 1
        assert_equal [r hlen h] 2
    }

    test {HSETNX - wrong number of arguments} {
        assert_error {ERR wrong number of arguments for 'hsetnx' command} {r hsetnx h a}
        assert_error {ERR wrong number of arguments for 'hsetnx' command} {r hsetnx h a 1 2}
        assert_error {ERR wrong number of arguments for 'hsetnx' command} {r hsetnx h}
    }

    test {HMSET - replies OK and sets every pair} {
        r del h
        assert_equal [r hmset h a 1 b 2] OK
        assert_equal [r hmset h a 10 c 3] OK
        assert_equal [r hmget h a b c] {10 2 3}
        set c [raw_connect]
        assert_equal [$c hmset h d 4] +OK
    }

    test {HMSET - odd number of arguments is a wrong arity error} {
        assert_error {ERR wrong number of arguments for 'hmset' command} {r hmset h a}
        assert_error {ERR wrong number of arguments for 'hmset' command} {r hmset h a 1 b}
        assert_error {ERR wrong number of arguments for 'hmset' command} {r hmset h}
    }

    # --- HGET, HMGET ---

    test {HGET - value of a field, null bulk for a missing field or key} {
        r del h nokey
        r hset h a 1 empty ""
        assert_equal [r hget h a] 1
        set c [raw_connect]
        assert_equal [$c hget h nofield] {$-1}
        assert_equal [$c hget nokey a] {$-1}
        assert_equal [$c hget h empty] {$0}
        assert_equal [$c read] {}
    }

    test {HGET - wrong number of arguments} {
        assert_error {ERR wrong number of arguments for 'hget' command} {r hget h}
        assert_error {ERR wrong number of arguments for 'hget' command} {r hget h a b}
    }

    test {HMGET - values in order, null for missing fields} {
        r del h
        r hset h a 1 b 2
        assert_equal [r hmget h b nofield a a] {2 {} 1 1}
        set c [raw_connect]
        assert_raw $c {hmget h a nofield} {*2 {$1} 1 {$-1}}
    }

    test {HMGET - a missing key gives one null per field} {
        r del nokey
        set c [raw_connect]
        assert_raw $c {hmget nokey a b c} {*3 {$-1} {$-1} {$-1}}
        assert_error {ERR wrong number of arguments for 'hmget' command} {r hmget h}
    }

    # --- HDEL, HLEN, HSTRLEN, HEXISTS ---

    test {HDEL - removes several fields and returns how many existed} {
        r del h
        r hset h a 1 b 2 c 3 d 4
        assert_equal [r hdel h a b nofield] 2
        assert_equal [r hdel h a] 0
        assert_equal [r hdel h c c] 1
        assert_equal [r hkeys h] d
        r del nokey
        assert_equal [r hdel nokey a] 0
        assert_equal [r exists nokey] 0
    }

    test {HDEL - deleting the last field deletes the key} {
        r del h
        r hset h a 1 b 2
        r expire h 100
        assert_equal [r hdel h a b] 2
        assert_equal [r exists h] 0
        assert_equal [r type h] none
        assert_equal [r hlen h] 0
        # A hash created again under the name has no TTL.
        r hset h a 1
        assert_equal [r ttl h] -1
    }

    test {HDEL - wrong number of arguments} {
        assert_error {ERR wrong number of arguments for 'hdel' command} {r hdel h}
        assert_error {ERR wrong number of arguments for 'hdel' command} {r hdel}
    }

    test {HLEN - number of fields, 0 for a missing key} {
        r del h nokey
        r hset h a 1 b 2 c 3
        assert_equal [r hlen h] 3
        assert_equal [r hlen nokey] 0
        assert_error {ERR wrong number of arguments for 'hlen' command} {r hlen}
        assert_error {ERR wrong number of arguments for 'hlen' command} {r hlen h a}
    }

    test {HSTRLEN - length of the value, 0 for a missing field or key} {
        r del h nokey
        r hset h s hello n 12345 neg -1 min -9223372036854775808 z 007 empty "" bin "\x00\r\n"
        assert_equal [r hstrlen h s] 5
        assert_equal [r hstrlen h n] 5
        assert_equal [r hstrlen h neg] 2
        assert_equal [r hstrlen h min] 20
        assert_equal [r hstrlen h z] 3
        assert_equal [r hstrlen h empty] 0
        assert_equal [r hstrlen h bin] 3
        assert_equal [r hstrlen h nofield] 0
        assert_equal [r hstrlen nokey a] 0
        assert_error {ERR wrong number of arguments for 'hstrlen' command} {r hstrlen h}
    }

    test {HEXISTS - 1 for an existing field, 0 otherwise} {
        r del h nokey
        r hset h a 1 empty ""
        assert_equal [r hexists h a] 1
        assert_equal [r hexists h empty] 1
        assert_equal [r hexists h b] 0
        assert_equal [r hexists nokey a] 0
        assert_error {ERR wrong number of arguments for 'hexists' command} {r hexists h}
        assert_error {ERR wrong number of arguments for 'hexists' command} {r hexists h a b}
    }

    # --- HINCRBY ---

    test {HINCRBY - a missing key or field counts from 0} {
        r del h
        assert_equal [r hincrby h a 5] 5
        assert_equal [r type h] hash
        assert_equal [r hincrby h a -7] -2
        assert_equal [r hget h a] -2
        assert_equal [r hincrby h b 0] 0
        assert_equal [r hexists h b] 1
    }

    test {HINCRBY - works on values set by HSET, up to the limits} {
        r del h
        r hset h n 9223372036854775806 m -9223372036854775807 z -1
        assert_equal [r hincrby h n 1] 9223372036854775807
        assert_equal [r hincrby h m -1] -9223372036854775808
        assert_equal [r hincrby h z 1] 0
        r hset h a -1
        assert_equal [r hincrby h a -9223372036854775807] -9223372036854775808
    }

    test {HINCRBY - overflow is an error and keeps the value} {
        r del h
        r hset h n 9223372036854775807
        assert_error {ERR increment or decrement would overflow} {r hincrby h n 1}
        assert_equal [r hget h n] 9223372036854775807
        r hset h n -9223372036854775808
        assert_error {ERR increment or decrement would overflow} {r hincrby h n -1}
        assert_equal [r hget h n] -9223372036854775808
        r hset h n 1
        assert_error {ERR increment or decrement would overflow} {r hincrby h n 9223372036854775807}
        r hset h n -2
        assert_error {ERR increment or decrement would overflow} {r hincrby h n -9223372036854775807}
        assert_equal [r hget h n] -2
    }

    test {HINCRBY - a field value that is not a canonical integer} {
        r del h
        foreach v {abc "" " 1" "1 " 1.5 1e3 +1 01 00 -0 9223372036854775808 "1\x00"} {
            r hset h f $v
            assert_error {ERR hash value is not an integer} {r hincrby h f 1}
            assert_equal [r hget h f] $v
        }
    }

    test {HINCRBY - an increment that is not an integer} {
        r del h h2
        r hset h f 1
        foreach incr {abc 1.5 "" 9223372036854775808 -0 " 1"} {
            assert_error {ERR value is not an integer or out of range} {r hincrby h f $incr}
        }
        assert_equal [r hget h f] 1
        # The increment is checked before the key is created.
        assert_error {ERR value is not an integer or out of range} {r hincrby h2 f abc}
        assert_equal [r exists h2] 0
    }

    test {HINCRBY - wrong number of arguments} {
        assert_error {ERR wrong number of arguments for 'hincrby' command} {r hincrby h f}
        assert_error {ERR wrong number of arguments for 'hincrby' command} {r hincrby h f 1 2}
    }

    # --- HINCRBYFLOAT ---

    test {HINCRBYFLOAT - adds a decimal increment} {
        r del h
        r hset h f 10.5
        assert_equal [r hincrbyfloat h f 0.1] 10.6
        assert_equal [r hget h f] 10.6
        set c [raw_connect]
        assert_equal [$c hincrbyfloat h f 1] {$4}
        assert_equal [$c read] 11.6
    }

    test {HINCRBYFLOAT - a missing key or field counts from 0} {
        r del h
        assert_equal [r hincrbyfloat h a 1.5] 1.5
        assert_equal [r type h] hash
        assert_equal [r hincrbyfloat h b -2.25] -2.25
        assert_equal [r hincrbyfloat h c 1e-5] 0.00001
    }

    test {HINCRBYFLOAT - integral results have no decimal point} {
        r del h
        r hset h f 1.5 g 5
        assert_equal [r hincrbyfloat h f 1.5] 3
        assert_equal [r hincrbyfloat h g -5] 0
        assert_equal [r hincrbyfloat h z -0.0] 0
        assert_equal [r hget h z] 0
    }

    test {HINCRBYFLOAT - exponent notation in value and increment} {
        r del h
        r hset h a 3.0e3 b 10 c 1.1e1
        assert_equal [r hincrbyfloat h a 0] 3000
        assert_equal [r hincrbyfloat h b 5.0e3] 5010
        assert_equal [r hincrbyfloat h c 1] 12
    }

    test {HINCRBYFLOAT - sums of decimals are printed without noise} {
        r del h
        r hset h a 0.1 b 1
        assert_equal [r hincrbyfloat h a 0.2] 0.3
        assert_equal [r hincrbyfloat h b 1e17] 100000000000000001
        r hset h big 9223372036854775807
        assert_equal [r hincrbyfloat h big 1] 9223372036854775808
    }

    test {HINCRBYFLOAT - a field value that is not a float} {
        r del h
        foreach v {abc " 1" "" 1e "1\x00"} {
            r hset h f $v
            assert_error {ERR hash value is not a float} {r hincrbyfloat h f 1}
            assert_equal [r hget h f] $v
        }
    }

    test {HINCRBYFLOAT - an increment that is not a float} {
        r del h h2
        r hset h f 1
        foreach incr {abc "" 1e nan " 1"} {
            assert_error {ERR value is not a valid float} {r hincrbyfloat h f $incr}
        }
        assert_equal [r hget h f] 1
        assert_error {ERR value is not a valid float} {r hincrbyfloat h2 f abc}
        assert_equal [r exists h2] 0
    }

    test {HINCRBYFLOAT - infinity as increment or as result is rejected} {
        # Unlike INCRBYFLOAT, an infinite increment has its own error text.
        r del h
        r hset h f 1
        assert_error {ERR value is NaN or Infinity} {r hincrbyfloat h f inf}
        assert_error {ERR value is NaN or Infinity} {r hincrbyfloat h f -inf}
        assert_error {ERR value is NaN or Infinity} {r hincrbyfloat h f +inf}
        assert_equal [r hget h f] 1
        # A sum beyond the long double range is infinite.
        r hset h x 1.1e4932
        assert_error {ERR increment would produce NaN or Infinity} {r hincrbyfloat h x 1.1e4932}
        assert_equal [r hget h x] 1.1e4932
    }

    test {HINCRBYFLOAT - wrong number of arguments} {
        assert_error {ERR wrong number of arguments for 'hincrbyfloat' command} {r hincrbyfloat h f}
        assert_error {ERR wrong number of arguments for 'hincrbyfloat' command} {r hincrbyfloat h f 1 2}
    }

    test {HINCRBY - the result of HINCRBYFLOAT can be incremented as an integer} {
        r del h
        r hset h f 1.5
        r hincrbyfloat h f 0.5
        assert_equal [r hincrby h f 1] 3
    }

    # --- HKEYS, HVALS, HGETALL ---

    test {HGETALL - a flat field value list; HKEYS and HVALS in the same order} {
        r del h
        r hset h a 1 b 2 c 3
        set all [r hgetall h]
        assert_equal [sorted_pairs $all] {a 1 b 2 c 3}
        set keys {}
        set vals {}
        foreach {f v} $all { lappend keys $f; lappend vals $v }
        assert_equal [r hkeys h] $keys
        assert_equal [r hvals h] $vals
        set c [raw_connect]
        assert_equal [lindex [raw_reply $c 13 hgetall h] 0] {*6}
    }

    test {HGETALL - a small hash keeps insertion order} {
        r del h
        r hset h c 3 a 1 b 2
        assert_equal [r hgetall h] {c 3 a 1 b 2}
        # Updating keeps the place; deleting and adding again moves to the end.
        r hset h c 30
        assert_equal [r hkeys h] {c a b}
        r hdel h c
        r hset h c 300
        assert_equal [r hkeys h] {a b c}
        assert_equal [r hvals h] {1 2 300}
    }

    test {HGETALL - a missing key gives an empty array} {
        r del nokey
        set c [raw_connect]
        assert_equal [$c hgetall nokey] {*0}
        assert_equal [$c hkeys nokey] {*0}
        assert_equal [$c hvals nokey] {*0}
    }

    test {HGETALL - RESP3 replies a map; HKEYS and HVALS stay arrays} {
        r del h nokey
        r hset h a 1 b 2
        set c [raw_resp3_client]
        assert_raw $c {hgetall h} {%2 {$1} a {$1} 1 {$1} b {$1} 2}
        assert_raw $c {hgetall nokey} {%0}
        assert_raw $c {hkeys h} {*2 {$1} a {$1} b}
        assert_raw $c {hvals h} {*2 {$1} 1 {$1} 2}
        assert_raw $c {hget h nofield} {_}
        assert_raw $c {hmget h a nofield} {*2 {$1} 1 _}
        assert_raw $c {hincrbyfloat h a 0.5} {{$3} 1.5}
    }

    test {HKEYS - wrong number of arguments} {
        assert_error {ERR wrong number of arguments for 'hkeys' command} {r hkeys}
        assert_error {ERR wrong number of arguments for 'hvals' command} {r hvals h x}
        assert_error {ERR wrong number of arguments for 'hgetall' command} {r hgetall}
    }

    # --- HSCAN ---

    test {HSCAN - a small hash comes whole in one call, whatever COUNT} {
        r del h
        r hset h a 1 b 2 c 3
        assert_equal [r hscan h 0] {0 {a 1 b 2 c 3}}
        assert_equal [r hscan h 0 count 1] {0 {a 1 b 2 c 3}}
        set c [raw_connect]
        assert_raw $c {hscan h 0 count 1} \
            {*2 {$1} 0 *6 {$1} a {$1} 1 {$1} b {$1} 2 {$1} c {$1} 3}
    }

    test {HSCAN - MATCH filters fields} {
        r del h
        r hset h foo:1 a foo:2 b bar:1 c
        assert_equal [sorted_pairs [hscan_all h match foo:*]] {foo:1 a foo:2 b}
        assert_equal [hscan_all h match nomatch] {}
        r del big
        for {set i 0} {$i < 10} {incr i} {
            set args {}
            for {set j 0} {$j < 50} {incr j} {
                lappend args foo:$i:$j $j bar:$i:$j $j
            }
            r hset big {*}$args
        }
        set found [hscan_all big match foo:* count 20]
        assert_equal [dict size [sorted_pairs $found]] 500
        foreach {f v} $found { assert_match foo:* $f }
    }

    test {HSCAN - COUNT bounds the work of a call on a big hash} {
        r del big
        set args {}
        for {set i 0} {$i < 1000} {incr i} { lappend args f:$i $i }
        r hset big {*}$args
        assert_equal [r object encoding big] hashtable
        set calls 0
        set cursor 0
        for {set n 0} {$n < 10000} {incr n} {
            lassign [r hscan big $cursor count 10] cursor items
            assert {[llength $items] <= 2 * 100} "(one call returned [llength $items] items)"
            incr calls
            if {$cursor eq "0"} break
        }
        assert {$calls > 10} "(only $calls calls)"
        lassign [r hscan big 0 count 2000] cursor items
        assert_equal $cursor 0
        assert_equal [dict size [sorted_pairs $items]] 1000
    }

    test {HSCAN - full iteration of a big hash returns every field once} {
        r del big
        set args {}
        for {set i 0} {$i < 2000} {incr i} { lappend args f:$i v:$i }
        r hset big {*}$args
        set all [hscan_all big count 37]
        unset -nocomplain seen
        array set seen {}
        foreach {f v} $all {
            assert_equal $v "v:[string range $f 2 end]" "(field $f)"
            set seen($f) 1
        }
        assert_equal [array size seen] 2000
        for {set i 0} {$i < 2000} {incr i} {
            assert {[info exists seen(f:$i)]} "(f:$i missing)"
        }
    }

    test {HSCAN - a missing key replies cursor 0 and no elements} {
        r del nokey
        assert_equal [r hscan nokey 0] {0 {}}
        set c [raw_connect]
        assert_raw $c {hscan nokey 0} {*2 {$1} 0 *0}
        # Options are parsed only once the hash exists.
        assert_equal [r hscan nokey 0 count 0] {0 {}}
    }

    test {HSCAN - invalid cursor} {
        r del h
        r hset h a 1
        assert_error {ERR invalid cursor} {r hscan h abc}
        assert_error {ERR invalid cursor} {r hscan h 1.5}
        assert_error {ERR invalid cursor} {r hscan h 18446744073709551616}
        assert_error {ERR invalid cursor} {r hscan h "0 "}
        # Not asserted, Redis 7.0 and 7.4 differ: an empty cursor is 0 in 7.0
        # and invalid in 7.4; " 0" and -1 are the other way round.
        # The cursor is checked before the key is looked up.
        assert_error {ERR invalid cursor} {r hscan nokey abc}
    }

    test {HSCAN - option errors} {
        r del h
        r hset h a 1
        assert_error {ERR syntax error} {r hscan h 0 count 0}
        assert_error {ERR syntax error} {r hscan h 0 count -1}
        assert_error {ERR value is not an integer or out of range} {r hscan h 0 count abc}
        assert_error {ERR syntax error} {r hscan h 0 match}
        assert_error {ERR syntax error} {r hscan h 0 count}
        assert_error {ERR syntax error} {r hscan h 0 type hash}
        assert_error {ERR syntax error} {r hscan h 0 foo}
        assert_error {ERR wrong number of arguments for 'hscan' command} {r hscan h}
    }

    test {HSCAN - RESP3 reply is still a cursor and a flat array} {
        r del h
        r hset h a 1
        set c [raw_resp3_client]
        assert_raw $c {hscan h 0} {*2 {$1} 0 *2 {$1} a {$1} 1}
    }

    test {HSCAN - NOVALUES returns only the fields} {
        if {[server_is_redis] && ![version_at_least 7.4]} {
            skip_test "HSCAN NOVALUES is new in Redis 7.4"
        }
        r del h big
        r hset h a 1 b 2
        assert_equal [r hscan h 0 novalues] {0 {a b}}
        set args {}
        for {set i 0} {$i < 500} {incr i} { lappend args f:$i $i }
        r hset big {*}$args
        set fields [hscan_all big novalues count 20]
        assert_equal [llength [lsort -unique $fields]] 500
        foreach f $fields { assert_match f:* $f }
        assert_equal [llength [lsort -unique [hscan_all big novalues match f:1??]]] 100
        assert_error {ERR NOVALUES option can only be used in HSCAN} {r scan 0 novalues}
    }

    # --- HRANDFIELD ---

    test {HRANDFIELD - without count: one field, null for a missing key} {
        r del h nokey
        r hset h a 1 b 2 c 3
        for {set i 0} {$i < 20} {incr i} {
            assert_match {[abc]} [r hrandfield h]
        }
        set c [raw_connect]
        assert_equal [$c hrandfield nokey] {$-1}
    }

    test {HRANDFIELD - without count returns every field eventually} {
        foreach enc {listpack hashtable} {
            r del h
            r hset h a 1 b 2 c 3
            if {$enc eq "hashtable"} {
                r hset h tmp [string repeat x 100]
                r hdel h tmp
            }
            assert_equal [r object encoding h] $enc
            unset -nocomplain seen
            array set seen {}
            for {set i 0} {$i < 300 && [array size seen] < 3} {incr i} {
                set seen([r hrandfield h]) 1
            }
            assert_equal [lsort [array names seen]] {a b c} "($enc)"
        }
    }

    test {HRANDFIELD - positive count: distinct fields, at most HLEN} {
        r del h
        r hset h a 1 b 2 c 3 d 4 e 5
        for {set i 0} {$i < 20} {incr i} {
            set got [r hrandfield h 3]
            assert_equal [llength $got] 3
            assert_equal [llength [lsort -unique $got]] 3
            foreach f $got { assert_match {[abcde]} $f }
        }
        assert_equal [lsort [r hrandfield h 5]] {a b c d e}
        assert_equal [lsort [r hrandfield h 100]] {a b c d e}
        assert_equal [lsort [r hrandfield h 9223372036854775807]] {a b c d e}
    }

    test {HRANDFIELD - negative count: exactly |count| fields, repeats allowed} {
        r del h
        r hset h a 1 b 2 c 3
        set got [r hrandfield h -30]
        assert_equal [llength $got] 30
        foreach f $got { assert_match {[abc]} $f }
        assert {[llength [lsort -unique $got]] <= 3}
        assert_equal [llength [r hrandfield h -1]] 1
    }

    test {HRANDFIELD - WITHVALUES returns field value pairs} {
        r del h
        r hset h a 1 b 2 c 3 d 4 e 5
        set d {a 1 b 2 c 3 d 4 e 5}
        foreach {count n} {2 2 5 5 10 5 -10 10 -1 1} {
            set got [r hrandfield h $count withvalues]
            assert_equal [llength $got] [expr {2 * $n}] "(count $count)"
            foreach {f v} $got {
                assert_equal $v [dict get $d $f] "(count $count, field $f)"
            }
        }
        assert_equal [llength [lsort -unique [dict keys [r hrandfield h 4 WITHVALUES]]]] 4
    }

    test {HRANDFIELD - count 0 or a missing key gives an empty array} {
        r del h nokey
        r hset h a 1
        set c [raw_connect]
        assert_equal [$c hrandfield h 0] {*0}
        assert_equal [$c hrandfield h 0 withvalues] {*0}
        assert_equal [$c hrandfield nokey 5] {*0}
        assert_equal [$c hrandfield nokey -5 withvalues] {*0}
    }

    test {HRANDFIELD - RESP3: WITHVALUES gives nested pairs, otherwise flat} {
        r del h nokey
        r hset h a 1
        set c [raw_resp3_client]
        assert_raw $c {hrandfield h 1 withvalues} {*1 *2 {$1} a {$1} 1}
        assert_raw $c {hrandfield h -2 withvalues} {*2 *2 {$1} a {$1} 1 *2 {$1} a {$1} 1}
        assert_raw $c {hrandfield h -2} {*2 {$1} a {$1} a}
        assert_raw $c {hrandfield h} {{$1} a}
        assert_raw $c {hrandfield nokey} {_}
        assert_raw $c {hrandfield nokey 1 withvalues} {*0}
        r hset h b 2 c 3
        r hello 3
        set got [r hrandfield h 3 withvalues]
        assert_equal [llength $got] 3
        foreach pair $got {
            assert_equal [llength $pair] 2
            assert_equal [lindex $pair 1] [r hget h [lindex $pair 0]]
        }
    }

    test {HRANDFIELD - errors} {
        r del h
        r hset h a 1
        assert_error {ERR value is not an integer or out of range} {r hrandfield h abc}
        assert_error {ERR value is not an integer or out of range} {r hrandfield h 1.5}
        assert_error {ERR value is not an integer or out of range} {r hrandfield nokey abc}
        assert_error {ERR syntax error} {r hrandfield h 1 withvalue}
        assert_error {ERR syntax error} {r hrandfield h 1 withvalues x}
        assert_error {ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807} \
            {r hrandfield h -9223372036854775808}
        assert_error {ERR value is out of range} {r hrandfield h 9223372036854775807 withvalues}
        assert_error {ERR value is out of range} {r hrandfield h -4611686018427387904 withvalues}
        assert_error {ERR wrong number of arguments for 'hrandfield' command} {r hrandfield}
    }

    # --- binary safety ---

    test {HSET - fields and values with NUL, CR and LF are stored byte for byte} {
        r del h
        set f1 "f\x00\r\n"
        set f2 "f\x00"
        set v1 "a\x00b\r\nc\x00\r\n\xff\x80"
        assert_equal [r hset h $f1 $v1 $f2 "\n" "" empty-field] 3
        assert_equal [r hget h $f1] $v1
        assert_equal [r hget h $f2] "\n"
        assert_equal [r hget h ""] empty-field
        assert_equal [r hget h f] {}
        assert_equal [r hstrlen h $f1] 11
        assert_equal [r hexists h "f\x00\r"] 0
        assert_equal [sorted_pairs [r hgetall h]] [sorted_pairs [list $f1 $v1 $f2 "\n" "" empty-field]]
        assert_equal [r hdel h $f2 "f"] 1
        assert_equal [r hlen h] 2
    }

    test {HSET - random binary fields and values round trip} {
        r del h
        set d [dict create]
        for {set i 0} {$i < 100} {incr i} {
            set f [randstring [expr {1 + int(rand() * 20)}] binary]
            set v [randstring [expr {int(rand() * 40)}] binary]
            dict set d $f $v
            r hset h $f $v
        }
        assert_equal [r hlen h] [dict size $d]
        dict for {f v} $d {
            assert_equal [r hget h $f] $v
        }
        assert_equal [sorted_pairs [r hgetall h]] [sorted_pairs $d]
    }

    test {HSET - values that look like numbers are kept as given} {
        r del h
        set vals {007 -0 +1 1.0 " 1" 1e3 9223372036854775808 -9223372036854775808
                  18446744073709551616 0x10 -1 0 123456789012345678901234567890}
        set i 0
        foreach v $vals { r hset h f:[incr i] $v }
        set i 0
        foreach v $vals {
            assert_equal [r hget h f:[incr i]] $v "(value '$v')"
        }
    }

    # --- WRONGTYPE ---

    test {WRONGTYPE - hash commands on a string key} {
        r set s hello
        set wt {WRONGTYPE Operation against a key holding the wrong kind of value}
        foreach cmd {
            {hset s a 1} {hsetnx s a 1} {hmset s a 1} {hget s a} {hmget s a b}
            {hdel s a} {hlen s} {hstrlen s a} {hexists s a} {hincrby s a 1}
            {hincrbyfloat s a 1} {hkeys s} {hvals s} {hgetall s} {hscan s 0}
            {hrandfield s} {hrandfield s 2} {hrandfield s -2 withvalues}
        } {
            assert_error $wt {r {*}$cmd}
        }
        assert_equal [r get s] hello
        assert_equal [r type s] string
    }

    test {WRONGTYPE - string commands on a hash key} {
        r del h
        r hset h a 1
        set wt {WRONGTYPE Operation against a key holding the wrong kind of value}
        foreach cmd {
            {get h} {append h x} {append h ""} {incr h} {decr h} {incrby h 1}
            {incrbyfloat h 1} {strlen h} {getrange h 0 -1} {substr h 0 1}
            {setrange h 0 x} {setrange h 0 ""} {getset h v} {getdel h}
            {getex h} {getex h persist} {set h v get} {set h v xx get}
        } {
            assert_error $wt {r {*}$cmd}
        }
        assert_equal [r hgetall h] {a 1}
        assert_equal [r type h] hash
    }

    test {WRONGTYPE - arity is checked before the type} {
        r set s hello
        assert_error {ERR wrong number of arguments for 'hset' command} {r hset s a}
        assert_error {ERR value is not an integer or out of range} {r hincrby s a x}
        assert_error {ERR invalid cursor} {r hscan s x}
        assert_error {ERR value is not an integer or out of range} {r hrandfield s x}
    }

    test {SET - overwrites a hash} {
        r del h
        r hset h a 1
        r expire h 100
        assert_equal [r set h v] OK
        assert_equal [r type h] string
        assert_equal [r get h] v
        assert_equal [r ttl h] -1
        r del h
        r hset h a 1
        assert_equal [r mset h v2] OK
        assert_equal [r get h] v2
    }

    test {SET - NX, SETNX and MSETNX see a hash key as existing} {
        r del h z
        r hset h a 1
        assert_equal [r set h v nx] {}
        assert_equal [r setnx h v] 0
        assert_equal [r msetnx h v z 1] 0
        assert_equal [r exists z] 0
        assert_equal [r hget h a] 1
    }

    test {MGET - a hash key reads as null} {
        r del h
        r hset h a 1
        r set s x
        set c [raw_connect]
        assert_raw $c {mget h s} {*2 {$-1} {$1} x}
    }

    # --- encodings (default thresholds: 512 entries, 64 bytes) ---

    test {CONFIG GET - hash-max-listpack-* and their hash-max-ziplist-* aliases} {
        assert_equal [r config get hash-max-listpack-entries] {hash-max-listpack-entries 512}
        assert_equal [r config get hash-max-ziplist-entries] {hash-max-ziplist-entries 512}
        assert_equal [r config get hash-max-listpack-value] {hash-max-listpack-value 64}
        assert_equal [r config get hash-max-ziplist-value] {hash-max-ziplist-value 64}
    }

    test {OBJECT ENCODING - listpack for a small hash} {
        r del h
        r hset h a 1 b hello
        assert_equal [r object encoding h] listpack
        assert_equal [r type h] hash
    }

    test {OBJECT ENCODING - 512 fields stay listpack, the 513th converts} {
        r del h
        set args {}
        for {set i 0} {$i < 512} {incr i} { lappend args f:$i $i }
        assert_equal [r hset h {*}$args] 512
        assert_equal [r object encoding h] listpack
        assert_equal [r hset h f:0 updated] 0
        assert_equal [r object encoding h] listpack
        assert_equal [r hset h f:512 512] 1
        assert_equal [r object encoding h] hashtable
        assert_equal [r hlen h] 513
        assert_equal [r hget h f:0] updated
        assert_equal [r hget h f:512] 512
    }

    test {OBJECT ENCODING - a 64 byte value stays listpack, 65 bytes converts} {
        r del h
        r hset h v [string repeat x 64]
        assert_equal [r object encoding h] listpack
        r hset h v [string repeat x 65]
        assert_equal [r object encoding h] hashtable
        assert_equal [r hstrlen h v] 65
    }

    test {OBJECT ENCODING - a 65 byte field converts, 64 bytes does not} {
        r del h
        r hset h [string repeat f 64] 1
        assert_equal [r object encoding h] listpack
        r hset h [string repeat f 65] 1
        assert_equal [r object encoding h] hashtable
        assert_equal [r hget h [string repeat f 65]] 1
    }

    test {OBJECT ENCODING - HSETNX, HINCRBY and HINCRBYFLOAT convert too} {
        r del h
        r hset h a 1
        r hsetnx h b [string repeat x 65]
        assert_equal [r object encoding h] hashtable
        r del h
        r hset h a 1
        r hincrby h [string repeat f 65] 1
        assert_equal [r object encoding h] hashtable
        r del h
        r hset h a 1
        r hincrbyfloat h [string repeat f 65] 1.5
        assert_equal [r object encoding h] hashtable
    }

    test {OBJECT ENCODING - a hashtable never goes back to listpack} {
        r del h
        r hset h a 1 long [string repeat x 100]
        assert_equal [r object encoding h] hashtable
        r hdel h long
        assert_equal [r hlen h] 1
        assert_equal [r object encoding h] hashtable
        r hset h b 2
        assert_equal [r object encoding h] hashtable
        # Only a new hash, once the old one is gone, starts small again.
        r hdel h a b
        r hset h a 1
        assert_equal [r object encoding h] listpack
    }

    test {OBJECT ENCODING - a failed HSET does not convert} {
        r del h
        r hset h a 1
        catch {r hset h b [string repeat x 100] c}
        assert_equal [r object encoding h] listpack
        assert_equal [r hgetall h] {a 1}
    }

    foreach enc {listpack hashtable} {
        test "Hash commands - reads on a $enc hash" {
            hash_build h $enc
            hash_check_reads h
        }

        test "Hash commands - writes on a $enc hash" {
            hash_build h $enc
            hash_check_writes h $enc
        }

        test "RENAME, COPY, MOVE - a $enc hash keeps its fields and encoding" {
            r flushall
            hash_build h $enc
            r rename h h2
            r copy h2 h3
            r move h3 1
            assert_equal [sorted_pairs [r hgetall h2]] [sorted_pairs $::hash_content]
            assert_equal [r object encoding h2] $enc
            r select 1
            assert_equal [sorted_pairs [r hgetall h3]] [sorted_pairs $::hash_content]
            assert_equal [r object encoding h3] $enc
        }
    }

    # --- generic commands on hashes ---

    test {TYPE - hash} {
        r del h
        r hset h a 1
        assert_equal [r type h] hash
        set c [raw_connect]
        assert_equal [$c type h] +hash
    }

    test {SCAN - TYPE hash returns only hash keys} {
        r flushdb
        for {set i 0} {$i < 30} {incr i} {
            r hset h:$i a 1
            r set s:$i 1
        }
        foreach {type pattern} {hash h:* HASH h:* string s:*} {
            set cursor 0
            set found {}
            for {set n 0} {$n < 1000} {incr n} {
                lassign [r scan $cursor type $type] cursor keys
                lappend found {*}$keys
                if {$cursor eq "0"} break
            }
            set found [lsort -unique $found]
            assert_equal [llength $found] 30 "(type $type)"
            foreach k $found { assert_match $pattern $k }
        }
    }

    test {RENAME - moves a hash and its TTL} {
        r flushdb
        r hset h a 1 b 2
        r expire h 100
        r set dst x
        assert_equal [r rename h dst] OK
        assert_equal [r exists h] 0
        assert_equal [r type dst] hash
        assert_equal [r hgetall dst] {a 1 b 2}
        assert_range [r ttl dst] 99 100
        assert_equal [r renamenx dst h] 1
        assert_equal [r hget h b] 2
    }

    test {COPY - copies a hash; the copy is independent} {
        r flushdb
        r hset src a 1 b 2
        r expire src 100
        assert_equal [r copy src dst] 1
        assert_equal [r hgetall dst] {a 1 b 2}
        assert_range [r ttl dst] 99 100
        r hset dst a changed c 3
        r hdel dst b
        assert_equal [r hgetall src] {a 1 b 2}
        r hincrby src a 10
        assert_equal [r hget dst a] changed
    }

    test {COPY - REPLACE and DB with a hash} {
        r flushall
        r hset src a 1
        r set dst string
        assert_equal [r copy src dst] 0
        assert_equal [r type dst] string
        assert_equal [r copy src dst replace] 1
        assert_equal [r hgetall dst] {a 1}
        assert_equal [r copy src other db 1] 1
        r hset src a 2
        r select 1
        assert_equal [r type other] hash
        assert_equal [r hgetall other] {a 1}
        r hset other b 2
        r select 0
        assert_equal [r hgetall src] {a 2}
    }

    test {MOVE - moves a hash to another database} {
        r flushall
        r hset h a 1 b 2
        r expire h 100
        assert_equal [r move h 1] 1
        assert_equal [r exists h] 0
        r select 1
        assert_equal [r hgetall h] {a 1 b 2}
        assert_range [r ttl h] 99 100
        r select 0
        r hset h x 1
        assert_equal [r move h 1] 0
        assert_equal [r hgetall h] {x 1}
    }

    test {EXPIRE - a hash key gets a TTL, PERSIST removes it} {
        r del h
        r hset h a 1
        assert_equal [r ttl h] -1
        assert_equal [r expire h 100] 1
        assert_range [r ttl h] 99 100
        # Writing fields keeps the TTL of the key.
        r hset h b 2
        r hincrby h n 1
        r hdel h a
        assert_range [r ttl h] 99 100
        assert_equal [r persist h] 1
        assert_equal [r ttl h] -1
        assert_equal [r persist h] 0
    }

    test {EXPIRE - a hash key with a short TTL expires} {
        r del h
        r hset h a 1
        r pexpire h 50
        wait_for_condition 100 10 {[r exists h] == 0} else {
            fail "hash key did not expire"
        }
        assert_equal [r hget h a] {}
        assert_equal [r hlen h] 0
        assert_equal [r type h] none
    }

    test {DEL - deletes hash keys; UNLINK too} {
        r flushdb
        r hset h1 a 1
        r hset h2 a 1
        r hset h3 a 1
        r set s 1
        assert_equal [r del h1 s nokey] 2
        assert_equal [r unlink h2 h3 h3] 2
        assert_equal [r dbsize] 0
        assert_equal [r hgetall h2] {}
    }

    test {DBSIZE - a hash is one key whatever its size} {
        r flushdb
        set args {}
        for {set i 0} {$i < 600} {incr i} { lappend args f:$i $i }
        r hset big {*}$args
        r hset small a 1
        r set s 1
        assert_equal [r dbsize] 3
        assert_equal [r exists big small s] 3
    }

    test {MEMORY USAGE - an integer greater than the key length} {
        r del myhashkey big
        r hset myhashkey a 1
        set n [r memory usage myhashkey]
        assert {[string is integer -strict $n]} "(got '$n')"
        assert {$n > [string length myhashkey]} "(got $n)"
        set args {}
        for {set i 0} {$i < 1000} {incr i} { lappend args f:$i [string repeat x 100] }
        r hset big {*}$args
        set m [r memory usage big]
        assert {[string is integer -strict $m] && $m > 100000} "(got '$m')"
        assert_equal [r memory usage nokey] {}
    }

    test {RANDOMKEY - returns hash keys} {
        r flushdb
        r hset h a 1
        assert_equal [r randomkey] h
        r set s 1
        unset -nocomplain seen
        array set seen {}
        for {set i 0} {$i < 200 && [array size seen] < 2} {incr i} {
            set seen([r randomkey]) 1
        }
        assert_equal [lsort [array names seen]] {h s}
    }

    test {FLUSHDB - removes hashes} {
        r flushdb
        r hset h a 1
        r flushdb
        assert_equal [r exists h] 0
        assert_equal [r hlen h] 0
    }

    # --- WATCH and MULTI ---

    test {WATCH - an HSET by another client aborts EXEC} {
        r del h
        r hset h a 1
        set c [raw_connect]
        assert_equal [$c watch h] +OK
        set other [redis_client]
        assert_equal [$other hset h a 2] 0
        assert_equal [$c multi] +OK
        assert_equal [$c hset h a 3] +QUEUED
        assert_equal [$c exec] {*-1}
        assert_equal [r hget h a] 2
    }

    test {WATCH - HDEL, HINCRBY, HINCRBYFLOAT or HSETNX by another client aborts EXEC} {
        foreach cmd {{hdel h a} {hincrby h a 1} {hincrbyfloat h a 1} {hsetnx h b 1}} {
            r del h
            r hset h a 1
            r watch h
            set other [redis_client]
            $other {*}$cmd
            r multi
            r hget h a
            assert_equal [r exec] {} "($cmd)"
            $other close
        }
    }

    test {WATCH - HSETNX on an existing field or HDEL of a missing one does not abort EXEC} {
        r del h
        r hset h a 1
        r watch h
        set other [redis_client]
        assert_equal [$other hsetnx h a 2] 0
        assert_equal [$other hdel h nofield] 0
        assert_equal [$other hget h a] 1
        r multi
        r hincrby h a 1
        assert_equal [r exec] 2
    }

    test {MULTI - hash commands reply in order in EXEC} {
        r del h
        r multi
        assert_equal [r hset h a 1 b 2] QUEUED
        assert_equal [r hget h a] QUEUED
        assert_equal [r hincrby h a 5] QUEUED
        assert_equal [r hincrbyfloat h b 0.5] QUEUED
        assert_equal [r hgetall h] QUEUED
        assert_equal [r hdel h b] QUEUED
        assert_equal [r hlen h] QUEUED
        assert_equal [r exec] {2 1 6 2.5 {a 6 b 2.5} 1 1}
    }

    test {MULTI - a WRONGTYPE hash command fails alone inside EXEC} {
        r del h s
        r set s x
        set c [raw_connect]
        $c write_raw "MULTI\r\nHSET s a 1\r\nHSET h a 1\r\nHINCRBY h a x\r\nEXEC\r\n"
        set lines {}
        for {set i 0} {$i < 8} {incr i} { lappend lines [$c read] }
        assert_equal $lines [list +OK +QUEUED +QUEUED +QUEUED *3 \
            {-WRONGTYPE Operation against a key holding the wrong kind of value} :1 \
            {-ERR value is not an integer or out of range}]
        assert_equal [r hget h a] 1
    }

    # --- scripts ---

    test {EVAL - HGETALL from a script is a flat array} {
        r del h
        r hset h a 1 b 2
        assert_equal [r eval {return redis.call('hgetall', KEYS[1])} 1 h] {a 1 b 2}
        set c [raw_connect]
        assert_raw $c {eval {return redis.call('hgetall', KEYS[1])} 1 h} \
            {*4 {$1} a {$1} 1 {$1} b {$1} 2}
        # A RESP3 caller gets the same: the script speaks RESP2.
        set c3 [raw_resp3_client]
        assert_raw $c3 {eval {return redis.call('hgetall', KEYS[1])} 1 h} \
            {*4 {$1} a {$1} 1 {$1} b {$1} 2}
    }

    test {EVAL - HMGET of a missing field is false in Lua and null in the reply} {
        r del h
        r hset h a 1
        set c [raw_connect]
        assert_raw $c {eval {return redis.call('hmget', KEYS[1], 'a', 'nofield')} 1 h} \
            {*2 {$1} 1 {$-1}}
        assert_equal [r eval {return redis.call('hget', KEYS[1], 'nofield') == false} 1 h] 1
        assert_equal [r eval {return redis.call('hmget', KEYS[1], 'nofield')[1] == false} 1 h] 1
    }

    test {EVAL - hash writes from a script and their reply types} {
        r del h
        set c [raw_connect]
        assert_raw $c {eval {return redis.call('hset', KEYS[1], 'a', '1', 'b', '2')} 1 h} {:2}
        assert_raw $c {eval {return redis.call('hincrby', KEYS[1], 'a', 5)} 1 h} {:6}
        assert_raw $c {eval {return redis.call('hincrbyfloat', KEYS[1], 'b', '0.5')} 1 h} {{$3} 2.5}
        assert_raw $c {eval {return redis.call('hmset', KEYS[1], 'c', '3')} 1 h} {+OK}
        assert_raw $c {eval {return redis.call('hlen', KEYS[1])} 1 h} {:3}
        assert_equal [r hgetall h] {a 6 b 2.5 c 3}
    }

    test {EVAL - a hash command on a string key raises WRONGTYPE} {
        r set s x
        assert_error {WRONGTYPE Operation against a key holding the wrong kind of value script: *, on @user_script:1.} \
            {r eval {return redis.call('hget', KEYS[1], 'a')} 1 s}
        assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} \
            {r eval {return redis.pcall('hset', KEYS[1], 'a', '1')} 1 s}
    }
}

# --- keyspace notifications ---

start_server {tags {hash notify}} {
    # The last two elements of a message or pmessage: "channel payload".
    proc hash_next_event {s} {
        set m [$s read]
        return [lrange $m end-1 end]
    }

    test {Keyspace events - HSET, HSETNX, HMSET, HINCRBY, HINCRBYFLOAT and HDEL with Kh} {
        r del h
        r config set notify-keyspace-events Kh
        set s [redis_deferring_client]
        $s timeout 3000
        $s subscribe __keyspace@0__:h
        assert_equal [$s read] {subscribe __keyspace@0__:h 1}
        r hset h a 1 b 2
        assert_equal [hash_next_event $s] {__keyspace@0__:h hset}
        r hsetnx h c 3
        assert_equal [hash_next_event $s] {__keyspace@0__:h hset}
        r hmset h d 4
        assert_equal [hash_next_event $s] {__keyspace@0__:h hset}
        r hincrby h a 1
        assert_equal [hash_next_event $s] {__keyspace@0__:h hincrby}
        r hincrbyfloat h a 0.5
        assert_equal [hash_next_event $s] {__keyspace@0__:h hincrbyfloat}
        r hdel h a
        assert_equal [hash_next_event $s] {__keyspace@0__:h hdel}
        # Commands that change nothing or fail send no event.
        r hsetnx h b 9
        r hdel h nofield
        catch {r hincrby h c x}
        r hset h c notanumber
        assert_equal [hash_next_event $s] {__keyspace@0__:h hset}
        catch {r hincrby h c 1}
        # Without g, deleting the last fields sends only hdel.
        r hdel h b c d
        assert_equal [hash_next_event $s] {__keyspace@0__:h hdel}
        r hset h z 1
        assert_equal [hash_next_event $s] {__keyspace@0__:h hset}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - HDEL of the last field also sends a generic del} {
        r del h
        r config set notify-keyspace-events Egh
        set s [redis_deferring_client]
        $s timeout 3000
        $s psubscribe __keyevent@0__:*
        assert_equal [$s read] {psubscribe __keyevent@0__:* 1}
        r hset h a 1 b 2
        assert_equal [hash_next_event $s] {__keyevent@0__:hset h}
        r hdel h a
        assert_equal [hash_next_event $s] {__keyevent@0__:hdel h}
        r hdel h b
        assert_equal [hash_next_event $s] {__keyevent@0__:hdel h}
        assert_equal [hash_next_event $s] {__keyevent@0__:del h}
        r hset h a 1
        assert_equal [hash_next_event $s] {__keyevent@0__:hset h}
        r del h
        assert_equal [hash_next_event $s] {__keyevent@0__:del h}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - hash events are class h, which A includes} {
        r del h
        r config set notify-keyspace-events Eg
        set s [redis_deferring_client]
        $s timeout 3000
        $s psubscribe __keyevent@0__:*
        $s read
        r hset h a 1
        r hincrby h n 1
        r expire h 100
        assert_equal [hash_next_event $s] {__keyevent@0__:expire h}
        r config set notify-keyspace-events EA
        r hset h a 2
        assert_equal [hash_next_event $s] {__keyevent@0__:hset h}
        r config set notify-keyspace-events ""
    }
}

# --- a big hash ---

start_server {tags {hash}} {
    test {HSET - 10000 fields pipelined in batches} {
        r del big
        set c [redis_deferring_client]
        for {set b 0} {$b < 100} {incr b} {
            set args {}
            for {set i 0} {$i < 100} {incr i} {
                set n [expr {$b * 100 + $i}]
                lappend args f:$n v:$n
            }
            $c hset big {*}$args
        }
        for {set b 0} {$b < 100} {incr b} {
            assert_equal [$c read] 100 "(batch $b)"
        }
        assert_equal [r hlen big] 10000
        assert_equal [r object encoding big] hashtable
        assert_equal [r hget big f:0] v:0
        assert_equal [r hget big f:9999] v:9999
        assert_equal [r hget big f:10000] {}
        assert_equal [llength [r hkeys big]] 10000
        assert_equal [llength [r hgetall big]] 20000
        assert_equal [llength [r hrandfield big -20000]] 20000
        assert_equal [llength [lsort -unique [r hrandfield big 5000]]] 5000
    }

    test {HSCAN - full iteration of 10000 fields returns each of them} {
        unset -nocomplain seen
        array set seen {}
        foreach {f v} [hscan_all big count 100] {
            assert_equal $v "v:[string range $f 2 end]" "(field $f)"
            set seen($f) 1
        }
        assert_equal [array size seen] 10000
        for {set i 0} {$i < 10000} {incr i} {
            assert {[info exists seen(f:$i)]} "(f:$i missing)"
        }
    }

    test {HSCAN - fields added during the iteration do not hide the others} {
        set cursor 0
        set added 0
        unset -nocomplain seen
        array set seen {}
        for {set calls 0} {$calls < 20000} {incr calls} {
            lassign [r hscan big $cursor count 20] cursor items
            foreach {f v} $items { set seen($f) 1 }
            if {$cursor eq "0"} break
            # 50 new fields between calls: the table grows and rehashes.
            set args {}
            for {set i 0} {$i < 50} {incr i} { lappend args new:[incr added] x }
            r hset big {*}$args
        }
        assert_equal $cursor 0 "(HSCAN did not end after $calls calls)"
        for {set i 0} {$i < 10000} {incr i} {
            assert {[info exists seen(f:$i)]} "(f:$i missing)"
        }
        assert_equal [r hlen big] [expr {10000 + $added}]
    }

    test {HDEL - removing every field in batches deletes the big hash} {
        set total [r hlen big]
        set removed 0
        for {set b 0} {$b < 100} {incr b} {
            set fields {}
            for {set i 0} {$i < 100} {incr i} { lappend fields f:[expr {$b * 100 + $i}] }
            incr removed [r hdel big {*}$fields]
        }
        assert_equal $removed 10000
        assert_equal [r hlen big] [expr {$total - 10000}]
        set rest [r hkeys big]
        assert_equal [r hdel big {*}$rest] [llength $rest]
        assert_equal [r exists big] 0
    }
}

# --- the thresholds lowered: 4 entries, 8 bytes ---

start_server {overrides {hash-max-listpack-entries 4 hash-max-listpack-value 8} tags {hash}} {
    test {CONFIG GET - hash-max-listpack-* overrides show under both names} {
        assert_equal [r config get hash-max-listpack-entries] {hash-max-listpack-entries 4}
        assert_equal [r config get hash-max-ziplist-entries] {hash-max-ziplist-entries 4}
        assert_equal [r config get hash-max-listpack-value] {hash-max-listpack-value 8}
        assert_equal [r config get hash-max-ziplist-value] {hash-max-ziplist-value 8}
    }

    test {OBJECT ENCODING - 4 fields stay listpack, the 5th converts} {
        r del h
        assert_equal [r hset h a 1 b 2 c 3 d 4] 4
        assert_equal [r object encoding h] listpack
        assert_equal [r hset h a 10] 0
        assert_equal [r object encoding h] listpack
        assert_equal [r hset h e 5] 1
        assert_equal [r object encoding h] hashtable
        assert_equal [sorted_pairs [r hgetall h]] {a 10 b 2 c 3 d 4 e 5}
    }

    test {OBJECT ENCODING - 5 fields in one HSET convert at once} {
        r del h
        r hset h a 1 b 2 c 3 d 4 e 5
        assert_equal [r object encoding h] hashtable
    }

    test {OBJECT ENCODING - HSETNX, HINCRBY and HINCRBYFLOAT adding a 5th field convert} {
        foreach cmd {{hsetnx h e 5} {hincrby h e 5} {hincrbyfloat h e 5} {hmset h e 5}} {
            r del h
            r hset h a 1 b 2 c 3 d 4
            r {*}$cmd
            assert_equal [r object encoding h] hashtable "($cmd)"
            assert_equal [r hget h e] 5
        }
    }

    test {OBJECT ENCODING - an 8 byte value stays listpack, 9 bytes converts} {
        r del h
        r hset h v 12345678 [string repeat f 8] x
        assert_equal [r object encoding h] listpack
        r hset h v 123456789
        assert_equal [r object encoding h] hashtable
        r del h
        r hset h [string repeat f 9] x
        assert_equal [r object encoding h] hashtable
    }

    test {OBJECT ENCODING - HINCRBYFLOAT with a result longer than the limit converts} {
        r del h
        r hset h f 1
        r hincrbyfloat h f 0.5
        assert_equal [r object encoding h] listpack
        assert_equal [r hincrbyfloat h f 0.123456789] 1.623456789
        assert_equal [r object encoding h] hashtable
    }

    test {CONFIG SET - hash-max-ziplist-entries sets the listpack limit} {
        r del h
        assert_equal [r config set hash-max-ziplist-entries 2] OK
        assert_equal [r config get hash-max-listpack-entries] {hash-max-listpack-entries 2}
        r hset h a 1 b 2
        assert_equal [r object encoding h] listpack
        r hset h c 3
        assert_equal [r object encoding h] hashtable
        r config set hash-max-listpack-entries 4
        assert_equal [r config get hash-max-ziplist-entries] {hash-max-ziplist-entries 4}
    }

    test {Hash commands - the same replies before and after the conversion} {
        foreach enc {listpack hashtable} {
            r del h
            r hset h a 1 b 22 c ""
            if {$enc eq "hashtable"} {
                r hset h x 1 y 2
                r hdel h x y
            }
            assert_equal [r object encoding h] $enc
            assert_equal [sorted_pairs [r hgetall h]] {a 1 b 22 c {}} "($enc)"
            assert_equal [r hmget h a b c d] {1 22 {} {}} "($enc)"
            assert_equal [r hlen h] 3
            assert_equal [r hstrlen h b] 2
            assert_equal [r hexists h c] 1
            assert_equal [lsort [r hkeys h]] {a b c}
            assert_equal [lsort [r hvals h]] {{} 1 22}
            assert_equal [sorted_pairs [hscan_all h]] {a 1 b 22 c {}}
            assert_equal [lsort [r hrandfield h 10]] {a b c}
            assert_equal [r hincrby h a 1] 2
            assert_equal [r hincrbyfloat h b 0.5] 22.5
            assert_equal [r hsetnx h a 9] 0
            assert_equal [r hdel h a b c] 3
            assert_equal [r exists h] 0
        }
    }
}

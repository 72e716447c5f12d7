# Set commands: SADD/SREM and the membership queries, SPOP/SRANDMEMBER,
# SMOVE, the intersection/union/difference family and their STORE forms,
# SSCAN, integer members and OBJECT ENCODING, WRONGTYPE, and sets meeting the
# generic commands, keyspace events, WATCH, scripts and a 10,000 member set.
# Member order is unspecified in Redis, so members are compared sorted.

# Every member a full SSCAN of KEY returns (duplicates kept), at most 100000
# calls. OPTS go after the cursor (MATCH, COUNT).
proc sets_scan_all {key args} {
    set cursor 0
    set out {}
    for {set calls 0} {$calls < 100000} {incr calls} {
        lassign [r sscan $key $cursor {*}$args] cursor members
        lappend out {*}$members
        if {$cursor == 0} { return $out }
    }
    fail "SSCAN did not terminate after 100000 calls"
}

# The next keyspace event on subscriber S as "key event".
proc sets_next_event {s} {
    set m [$s read]
    set channel [lindex $m 2]
    if {![string match {__keyspace@0__:*} $channel]} {
        fail "unexpected message '$m'"
    }
    return [list [string range $channel 15 end] [lindex $m 3]]
}

# The encoding a small set with a non-integer member has: listpack since
# Redis 7.2 (and in respite), hashtable on 7.0.
proc sets_assert_small_encoding {key} {
    set enc [r object encoding $key]
    if {[version_at_least 7.2]} {
        assert_equal $enc listpack "(key $key)"
    } else {
        assert {$enc eq "listpack" || $enc eq "hashtable"} "(key $key: $enc)"
    }
}

start_server {tags {set}} {
    # --- SADD ---

    test {SADD - returns the number of members that were not already there} {
        r del s
        assert_equal [r sadd s a b c] 3
        assert_equal [r sadd s a d] 1
        assert_equal [r sadd s a b] 0
        assert_sorted_equal [r smembers s] {a b c d}
    }

    test {SADD - a member named twice in one call is added once} {
        r del s
        assert_equal [r sadd s x x y x] 2
        assert_equal [r scard s] 2
    }

    test {SADD - creates the key as a set} {
        r del s
        assert_equal [r exists s] 0
        r sadd s a
        assert_equal [r exists s] 1
        assert_equal [r type s] set
    }

    test {SADD - the empty string is a member} {
        r del s
        assert_equal [r sadd s ""] 1
        assert_equal [r sismember s ""] 1
        assert_equal [r scard s] 1
        assert_equal [r smembers s] [list ""]
    }

    test {SADD - arity errors} {
        assert_error {ERR wrong number of arguments for 'sadd' command} {r sadd s}
        assert_error {ERR wrong number of arguments for 'sadd' command} {r sadd}
    }

    # --- SREM ---

    test {SREM - returns the number of members removed, absent ones ignored} {
        r del s
        r sadd s a b c d
        assert_equal [r srem s a zz] 1
        assert_equal [r srem s b c c zz] 2
        assert_equal [r srem s zz] 0
        assert_equal [r smembers s] d
    }

    test {SREM - removing the last member deletes the key} {
        r del s
        r sadd s a b
        assert_equal [r srem s a b] 2
        assert_equal [r exists s] 0
        assert_equal [r type s] none
    }

    test {SREM - missing key replies 0} {
        r del nokey
        assert_equal [r srem nokey a] 0
        assert_equal [r exists nokey] 0
        assert_error {ERR wrong number of arguments for 'srem' command} {r srem s}
    }

    # --- SISMEMBER, SMISMEMBER, SCARD ---

    test {SISMEMBER - 1 for a member, 0 otherwise and for a missing key} {
        r del s nokey
        r sadd s a b
        assert_equal [r sismember s a] 1
        assert_equal [r sismember s c] 0
        assert_equal [r sismember s A] 0
        assert_equal [r sismember nokey a] 0
        assert_error {ERR wrong number of arguments for 'sismember' command} {r sismember s}
        assert_error {ERR wrong number of arguments for 'sismember' command} {r sismember s a b}
    }

    test {SMISMEMBER - one 1 or 0 per member asked, in order} {
        r del s
        r sadd s a b
        assert_equal [r smismember s a] 1
        assert_equal [r smismember s c a b c a] {0 1 1 0 1}
    }

    test {SMISMEMBER - missing key replies all zeros, as an array} {
        r del nokey
        assert_equal [r smismember nokey a b] {0 0}
        set c [raw_connect]
        assert_equal [raw_reply $c 3 smismember nokey a b] {*2 :0 :0}
        assert_error {ERR wrong number of arguments for 'smismember' command} {r smismember s}
    }

    test {SCARD - number of members, 0 for a missing key} {
        r del s nokey
        r sadd s a b c
        assert_equal [r scard s] 3
        assert_equal [r scard nokey] 0
        assert_error {ERR wrong number of arguments for 'scard' command} {r scard}
        assert_error {ERR wrong number of arguments for 'scard' command} {r scard s s}
    }

    # --- SMEMBERS ---

    test {SMEMBERS - every member, as a RESP2 array} {
        r del s
        r sadd s c a b
        assert_sorted_equal [r smembers s] {a b c}
        set c [raw_connect]
        set lines [raw_reply $c 7 smembers s]
        assert_equal [lindex $lines 0] {*3}
        assert_equal [lsort [list [lindex $lines 2] [lindex $lines 4] [lindex $lines 6]]] {a b c}
        assert_equal [list [lindex $lines 1] [lindex $lines 3] [lindex $lines 5]] {{$1} {$1} {$1}}
    }

    test {SMEMBERS - missing key is an empty array} {
        r del nokey
        assert_equal [r smembers nokey] {}
        set c [raw_connect]
        assert_equal [raw_reply $c 1 smembers nokey] {*0}
        assert_error {ERR wrong number of arguments for 'smembers' command} {r smembers}
        assert_error {ERR wrong number of arguments for 'smembers' command} {r smembers a b}
    }

    test {SMEMBERS - with RESP3 the reply is a set type} {
        r del s nokey
        r sadd s a b
        r hello 3
        # The client returns a RESP3 set as a plain list.
        assert_sorted_equal [r smembers s] {a b}
        set c [raw_connect]
        $c readraw 0
        $c hello 3
        $c readraw 1
        set lines [raw_reply $c 5 smembers s]
        assert_equal [lindex $lines 0] {~2}
        assert_equal [lsort [list [lindex $lines 2] [lindex $lines 4]]] {a b}
        assert_equal [raw_reply $c 1 smembers nokey] {~0}
    }

    # --- SPOP ---

    test {SPOP - without count removes and returns one member} {
        r del s
        r sadd s a b c
        set m [r spop s]
        assert_match {[abc]} $m
        assert_equal [r sismember s $m] 0
        assert_equal [r scard s] 2
    }

    test {SPOP - the last member deletes the key} {
        r del s
        r sadd s only
        assert_equal [r spop s] only
        assert_equal [r exists s] 0
    }

    test {SPOP - missing key replies null (RESP2 and RESP3)} {
        r del nokey
        assert_equal [r spop nokey] {}
        set c [raw_connect]
        assert_equal [raw_reply $c 1 spop nokey] [list {$-1}]
        $c readraw 0
        $c hello 3
        $c readraw 1
        assert_equal [raw_reply $c 1 spop nokey] {_}
    }

    test {SPOP - count returns that many distinct members and removes them} {
        r del s
        r sadd s a b c d e f g h i j
        set got [r spop s 4]
        assert_equal [llength $got] 4
        assert_equal [llength [lsort -unique $got]] 4
        assert_equal [r scard s] 6
        foreach m $got {
            assert_match {[a-j]} $m
            assert_equal [r sismember s $m] 0
        }
        set rest [r smembers s]
        assert_sorted_equal [concat $got $rest] {a b c d e f g h i j}
    }

    test {SPOP - count of the size or more returns everything and deletes the key} {
        r del s t
        r sadd s a b c
        assert_sorted_equal [r spop s 3] {a b c}
        assert_equal [r exists s] 0
        r sadd t a b c
        assert_sorted_equal [r spop t 100] {a b c}
        assert_equal [r exists t] 0
        r sadd t x
        assert_equal [r spop t 9223372036854775807] x
        assert_equal [r exists t] 0
    }

    test {SPOP - count 0 replies an empty array and leaves the set} {
        r del s
        r sadd s a b
        assert_equal [r spop s 0] {}
        set c [raw_connect]
        assert_equal [raw_reply $c 1 spop s 0] {*0}
        assert_equal [r scard s] 2
    }

    test {SPOP - count on a missing key replies an empty array} {
        r del nokey
        set c [raw_connect]
        assert_equal [raw_reply $c 1 spop nokey 3] {*0}
        assert_equal [r exists nokey] 0
    }

    test {SPOP - with RESP3 a count reply is a set type} {
        r del s nokey
        r sadd s a b c
        set c [raw_connect]
        $c readraw 0
        $c hello 3
        $c readraw 1
        assert_equal [lindex [raw_reply $c 3 spop s 1] 0] {~1}
        assert_equal [lindex [raw_reply $c 5 spop s 5] 0] {~2}
        assert_equal [raw_reply $c 1 spop nokey 2] {~0}
        r sadd s a
        assert_equal [raw_reply $c 1 spop s 0] {~0}
    }

    test {SPOP - negative or non-integer count is an error} {
        r del s
        r sadd s a b
        assert_error {ERR value is out of range, must be positive} {r spop s -1}
        assert_error {ERR value is out of range, must be positive} {r spop s abc}
        assert_error {ERR value is out of range, must be positive} {r spop s 1.5}
        assert_error {ERR value is out of range, must be positive} {r spop s -0}
        assert_error {ERR value is out of range, must be positive} {r spop s 9223372036854775808}
        assert_error {ERR syntax error} {r spop s 1 2}
        assert_error {ERR wrong number of arguments for 'spop' command} {r spop}
        assert_equal [r scard s] 2
    }

    test {SPOP - the count is checked before the key type} {
        r set str v
        assert_error {ERR value is out of range, must be positive} {r spop str -1}
        assert_error {WRONGTYPE*} {r spop str 1}
    }

    test {SPOP - every member is popped eventually} {
        unset -nocomplain seen
        array set seen {}
        for {set i 0} {$i < 300 && [array size seen] < 3} {incr i} {
            r del s
            r sadd s a b c
            set seen([r spop s]) 1
        }
        assert_equal [lsort [array names seen]] {a b c}
    }

    # --- SRANDMEMBER ---

    test {SRANDMEMBER - without count returns a member and keeps it} {
        r del s
        r sadd s a b c
        for {set i 0} {$i < 20} {incr i} {
            assert_match {[abc]} [r srandmember s]
        }
        assert_equal [r scard s] 3
    }

    test {SRANDMEMBER - missing key replies null, or an empty array with a count} {
        r del nokey
        set c [raw_connect]
        assert_equal [raw_reply $c 1 srandmember nokey] [list {$-1}]
        assert_equal [raw_reply $c 1 srandmember nokey 5] {*0}
        assert_equal [raw_reply $c 1 srandmember nokey -5] {*0}
    }

    test {SRANDMEMBER - positive count returns distinct members, at most all of them} {
        r del s
        r sadd s a b c d e
        for {set i 0} {$i < 20} {incr i} {
            set got [r srandmember s 3]
            assert_equal [llength $got] 3
            assert_equal [llength [lsort -unique $got]] 3
            foreach m $got { assert_match {[a-e]} $m }
        }
        assert_sorted_equal [r srandmember s 5] {a b c d e}
        assert_sorted_equal [r srandmember s 1000] {a b c d e}
        assert_equal [r scard s] 5
    }

    test {SRANDMEMBER - negative count returns exactly |count| members, repeats allowed} {
        r del s t
        r sadd s only
        assert_equal [r srandmember s -5] {only only only only only}
        r sadd t a b c
        set got [r srandmember t -100]
        assert_equal [llength $got] 100
        foreach m $got { assert_match {[abc]} $m }
        assert_equal [lsort -unique $got] {a b c}
        assert_equal [r scard t] 3
    }

    test {SRANDMEMBER - count 0 replies an empty array} {
        r del s
        r sadd s a
        set c [raw_connect]
        assert_equal [raw_reply $c 1 srandmember s 0] {*0}
        # "-0" is not an integer for Redis.
        assert_error {ERR value is not an integer or out of range} {r srandmember s -0}
    }

    test {SRANDMEMBER - with RESP3 a count reply is an array, not a set} {
        r del s
        r sadd s a b c
        set c [raw_connect]
        $c readraw 0
        $c hello 3
        $c readraw 1
        assert_equal [lindex [raw_reply $c 5 srandmember s 2] 0] {*2}
        assert_equal [lindex [raw_reply $c 9 srandmember s -4] 0] {*4}
        assert_equal [raw_reply $c 1 srandmember nokey 2] {*0}
        assert_equal [raw_reply $c 1 srandmember nokey] {_}
    }

    test {SRANDMEMBER - count errors} {
        r del s
        r sadd s a
        assert_error {ERR value is not an integer or out of range} {r srandmember s abc}
        assert_error {ERR value is not an integer or out of range} {r srandmember s 1.5}
        assert_error {ERR value is not an integer or out of range} {r srandmember s 9223372036854775808}
        assert_error {ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807} \
            {r srandmember s -9223372036854775808}
        assert_error {ERR syntax error} {r srandmember s 1 2}
        assert_error {ERR wrong number of arguments for 'srandmember' command} {r srandmember}
        r set str v
        assert_error {ERR value is not an integer or out of range} {r srandmember str abc}
    }

    test {SRANDMEMBER - every member is returned eventually} {
        r del s
        r sadd s a b c
        unset -nocomplain seen
        array set seen {}
        for {set i 0} {$i < 300 && [array size seen] < 3} {incr i} {
            set seen([r srandmember s]) 1
        }
        assert_equal [lsort [array names seen]] {a b c}
        unset -nocomplain seen
        array set seen {}
        for {set i 0} {$i < 300 && [array size seen] < 3} {incr i} {
            foreach m [r srandmember s 2] { set seen($m) 1 }
        }
        assert_equal [lsort [array names seen]] {a b c}
    }

    # --- SMOVE ---

    test {SMOVE - moves a member and replies 1} {
        r del src dst
        r sadd src a b
        r sadd dst c
        assert_equal [r smove src dst a] 1
        assert_equal [r smembers src] b
        assert_sorted_equal [r smembers dst] {a c}
    }

    test {SMOVE - member not in the source replies 0 and changes nothing} {
        r del src dst
        r sadd src a
        r sadd dst c
        assert_equal [r smove src dst zz] 0
        assert_equal [r smembers src] a
        assert_equal [r smembers dst] c
    }

    test {SMOVE - creates a missing destination} {
        r del src dst
        r sadd src a b
        assert_equal [r smove src dst a] 1
        assert_equal [r type dst] set
        assert_equal [r smembers dst] a
    }

    test {SMOVE - the source is deleted when it empties} {
        r del src dst
        r sadd src a
        assert_equal [r smove src dst a] 1
        assert_equal [r exists src] 0
        assert_equal [r smembers dst] a
    }

    test {SMOVE - member already in the destination is still removed from the source} {
        r del src dst
        r sadd src a b
        r sadd dst a
        assert_equal [r smove src dst a] 1
        assert_equal [r smembers src] b
        assert_equal [r smembers dst] a
    }

    test {SMOVE - missing source replies 0, even with a wrong-type destination} {
        r del nokey dst
        r set str v
        assert_equal [r smove nokey dst a] 0
        assert_equal [r exists dst] 0
        assert_equal [r smove nokey str a] 0
        assert_equal [r get str] v
    }

    test {SMOVE - wrong-type source or destination is WRONGTYPE} {
        r del src
        r sadd src a
        r set str v
        assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} {r smove src str a}
        assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} {r smove src str zz}
        assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} {r smove str src a}
        assert_equal [r smembers src] a
        assert_equal [r get str] v
    }

    test {SMOVE - same source and destination replies 1 for a member, 0 otherwise} {
        r del s
        r sadd s a b
        assert_equal [r smove s s a] 1
        assert_equal [r smove s s zz] 0
        assert_sorted_equal [r smembers s] {a b}
        r set str v
        assert_error {WRONGTYPE*} {r smove str str a}
    }

    test {SMOVE - arity} {
        assert_error {ERR wrong number of arguments for 'smove' command} {r smove a b}
        assert_error {ERR wrong number of arguments for 'smove' command} {r smove a b c d}
    }

    # --- SINTER, SINTERCARD, SINTERSTORE ---

    test {SINTER - members common to every set} {
        r del s1 s2 s3
        r sadd s1 a b c d
        r sadd s2 b c d e
        r sadd s3 c d f
        assert_sorted_equal [r sinter s1 s2] {b c d}
        assert_sorted_equal [r sinter s1 s2 s3] {c d}
        assert_sorted_equal [r sinter s1] {a b c d}
        assert_sorted_equal [r sinter s1 s1] {a b c d}
        r sadd s4 x
        assert_equal [r sinter s1 s4] {}
        assert_error {ERR wrong number of arguments for 'sinter' command} {r sinter}
    }

    test {SINTER - a missing key makes the result empty} {
        r del s1 nokey
        r sadd s1 a b
        assert_equal [r sinter s1 nokey] {}
        assert_equal [r sinter nokey s1] {}
        set c [raw_connect]
        assert_equal [raw_reply $c 1 sinter s1 nokey] {*0}
        $c readraw 0
        $c hello 3
        $c readraw 1
        assert_equal [raw_reply $c 1 sinter s1 nokey] {~0}
        assert_equal [lindex [raw_reply $c 5 sinter s1 s1] 0] {~2}
    }

    test {SINTERCARD - cardinality of the intersection} {
        r del s1 s2 nokey
        r sadd s1 a b c d
        r sadd s2 b c d e
        assert_equal [r sintercard 2 s1 s2] 3
        assert_equal [r sintercard 1 s1] 4
        assert_equal [r sintercard 2 s1 nokey] 0
        assert_equal [r sintercard 1 nokey] 0
    }

    test {SINTERCARD - LIMIT stops counting, LIMIT 0 means no limit} {
        r del s1 s2
        r sadd s1 a b c d
        r sadd s2 b c d e
        assert_equal [r sintercard 2 s1 s2 limit 1] 1
        assert_equal [r sintercard 2 s1 s2 limit 2] 2
        assert_equal [r sintercard 2 s1 s2 LIMIT 3] 3
        assert_equal [r sintercard 2 s1 s2 limit 10] 3
        assert_equal [r sintercard 2 s1 s2 limit 0] 3
        assert_equal [r sintercard 2 s1 s2 limit 1 limit 0] 3
    }

    test {SINTERCARD - numkeys and LIMIT errors} {
        r del s1
        r sadd s1 a
        assert_error {ERR numkeys should be greater than 0} {r sintercard 0 s1}
        assert_error {ERR numkeys should be greater than 0} {r sintercard -1 s1}
        assert_error {ERR numkeys should be greater than 0} {r sintercard abc s1}
        assert_error {ERR Number of keys can't be greater than number of args} {r sintercard 2 s1}
        assert_error {ERR Number of keys can't be greater than number of args} {r sintercard 3 s1 s1}
        assert_error {ERR LIMIT can't be negative} {r sintercard 1 s1 limit -1}
        assert_error {ERR LIMIT can't be negative} {r sintercard 1 s1 limit abc}
        assert_error {ERR syntax error} {r sintercard 1 s1 limit}
        assert_error {ERR syntax error} {r sintercard 1 s1 foo}
        assert_error {ERR syntax error} {r sintercard 1 s1 s1}
        assert_error {ERR wrong number of arguments for 'sintercard' command} {r sintercard 1}
        assert_error {ERR wrong number of arguments for 'sintercard' command} {r sintercard}
    }

    test {SINTERCARD - arguments are checked before the key types} {
        r set str v
        assert_error {ERR LIMIT can't be negative} {r sintercard 1 str limit -1}
        assert_error {WRONGTYPE*} {r sintercard 1 str}
    }

    test {SINTERSTORE - stores the intersection and replies its size} {
        r del s1 s2 dst
        r sadd s1 a b c
        r sadd s2 b c d
        assert_equal [r sinterstore dst s1 s2] 2
        assert_sorted_equal [r smembers dst] {b c}
        assert_equal [r type dst] set
    }

    test {SINTERSTORE - replaces the destination, whatever its type and TTL} {
        r del s1 s2
        r sadd s1 a b c
        r sadd s2 b c d
        r sadd dst old
        assert_equal [r sinterstore dst s1 s2] 2
        assert_sorted_equal [r smembers dst] {b c}
        r set dst string ex 100
        assert_equal [r sinterstore dst s1 s2] 2
        assert_equal [r type dst] set
        assert_equal [r ttl dst] -1
    }

    test {SINTERSTORE - an empty result deletes the destination and replies 0} {
        r del s1 s2 nokey
        r sadd s1 a
        r sadd s2 b
        r sadd dst old
        assert_equal [r sinterstore dst s1 s2] 0
        assert_equal [r exists dst] 0
        r set dst string
        assert_equal [r sinterstore dst s1 nokey] 0
        assert_equal [r exists dst] 0
        assert_equal [r sinterstore dst nokey] 0
        assert_equal [r exists dst] 0
    }

    test {SINTERSTORE - the destination can be one of the sources} {
        r del s1 s2
        r sadd s1 a b c
        r sadd s2 b c d
        assert_equal [r sinterstore s1 s1 s2] 2
        assert_sorted_equal [r smembers s1] {b c}
        assert_error {ERR wrong number of arguments for 'sinterstore' command} {r sinterstore dst}
    }

    # --- SUNION, SUNIONSTORE ---

    test {SUNION - members of any set, each once} {
        r del s1 s2 nokey
        r sadd s1 a b c
        r sadd s2 c d
        assert_sorted_equal [r sunion s1 s2] {a b c d}
        assert_sorted_equal [r sunion s1 nokey s2 s1] {a b c d}
        assert_sorted_equal [r sunion s1] {a b c}
        assert_equal [r sunion nokey] {}
        set c [raw_connect]
        assert_equal [raw_reply $c 1 sunion nokey] {*0}
        assert_error {ERR wrong number of arguments for 'sunion' command} {r sunion}
    }

    test {SUNIONSTORE - stores the union, replaces the destination, replies its size} {
        r del s1 s2 nokey
        r sadd s1 a b c
        r sadd s2 c d
        r set dst string ex 100
        assert_equal [r sunionstore dst s1 nokey s2] 4
        assert_sorted_equal [r smembers dst] {a b c d}
        assert_equal [r ttl dst] -1
        assert_equal [r sunionstore s1 s1 s2] 4
        assert_sorted_equal [r smembers s1] {a b c d}
    }

    test {SUNIONSTORE - an empty union deletes the destination} {
        r del nokey nokey2
        r sadd dst old
        assert_equal [r sunionstore dst nokey nokey2] 0
        assert_equal [r exists dst] 0
        assert_error {ERR wrong number of arguments for 'sunionstore' command} {r sunionstore dst}
    }

    # --- SDIFF, SDIFFSTORE ---

    test {SDIFF - members of the first set not in any other} {
        r del s1 s2 s3 nokey
        r sadd s1 a b c d
        r sadd s2 b
        r sadd s3 d e
        assert_sorted_equal [r sdiff s1 s2 s3] {a c}
        assert_sorted_equal [r sdiff s1] {a b c d}
        assert_sorted_equal [r sdiff s1 nokey] {a b c d}
        assert_equal [r sdiff s2 s1] {}
        assert_equal [r sdiff s1 s1] {}
        assert_equal [r sdiff s1 s2 s1] {}
        assert_equal [r sdiff nokey s1] {}
        assert_error {ERR wrong number of arguments for 'sdiff' command} {r sdiff}
    }

    test {SDIFF - a missing key between existing sources counts as empty} {
        r del x y z d
        r sadd x 1 2 3 a b
        r sadd z 1 a
        # Both of Redis's algorithms: per-member tests and add-then-remove.
        assert_equal [lsort [r sdiff x y z]] {2 3 b}
        assert_equal [lsort [r sdiff x z y]] {2 3 b}
        assert_equal [r sdiffstore d x y z] 3
        assert_equal [lsort [r smembers d]] {2 3 b}
        r sadd big 1 2 3 4 5 6 7 8 9 10 11 12
        assert_equal [lsort [r sdiff x y big]] {a b}
    }

    test {SDIFFSTORE - stores the difference, replaces the destination, replies its size} {
        r del s1 s2
        r sadd s1 a b c
        r sadd s2 b
        r set dst string
        assert_equal [r sdiffstore dst s1 s2] 2
        assert_sorted_equal [r smembers dst] {a c}
        assert_equal [r sdiffstore s1 s1 s2] 2
        assert_sorted_equal [r smembers s1] {a c}
    }

    test {SDIFFSTORE - an empty difference deletes the destination} {
        r del s1 nokey
        r sadd s1 a b
        r sadd dst old
        assert_equal [r sdiffstore dst s1 s1] 0
        assert_equal [r exists dst] 0
        r sadd dst old
        assert_equal [r sdiffstore dst nokey s1] 0
        assert_equal [r exists dst] 0
        assert_error {ERR wrong number of arguments for 'sdiffstore' command} {r sdiffstore dst}
    }

    # --- SSCAN ---

    test {SSCAN - a small set comes back in one call whatever COUNT, cursor 0} {
        r del s t
        r sadd s 1 2 3
        r sadd t a b c
        lassign [r sscan s 0 count 1] cursor members
        assert_equal $cursor 0
        assert_sorted_equal $members {1 2 3}
        # A small set of strings is a listpack, scanned whole, since 7.2.
        if {![version_at_least 7.2]} return
        lassign [r sscan t 0 count 1] cursor members
        assert_equal $cursor 0
        assert_sorted_equal $members {a b c}
    }

    test {SSCAN - the reply is a cursor string and an array of members} {
        r del s
        r sadd s a
        set c [raw_connect]
        assert_equal [raw_reply $c 6 sscan s 0] {*2 {$1} 0 *1 {$1} a}
    }

    test {SSCAN - missing key replies cursor 0 and no members} {
        r del nokey
        assert_equal [r sscan nokey 0] {0 {}}
        set c [raw_connect]
        assert_equal [raw_reply $c 4 sscan nokey 0] {*2 {$1} 0 *0}
    }

    test {SSCAN - full iteration returns every member of 1000} {
        r del s
        for {set i 0} {$i < 1000} {incr i 100} {
            set batch {}
            for {set j $i} {$j < $i + 100} {incr j} { lappend batch m:$j }
            r sadd s {*}$batch
        }
        set got [sets_scan_all s count 10]
        set uniq [lsort -unique $got]
        assert_equal [llength $uniq] 1000
        for {set i 0} {$i < 1000} {incr i} {
            assert {[lsearch -exact -sorted $uniq m:$i] >= 0} "(m:$i missing)"
        }
    }

    test {SSCAN - MATCH filters members} {
        r del s
        set batch {}
        for {set i 0} {$i < 200} {incr i} { lappend batch foo:$i bar:$i }
        r sadd s {*}$batch
        set got [lsort -unique [sets_scan_all s match foo:* count 20]]
        assert_equal [llength $got] 200
        foreach m $got { assert_match foo:* $m }
        r del t
        r sadd t a1 a2 b1
        assert_sorted_equal [lindex [r sscan t 0 match a*] 1] {a1 a2}
        assert_equal [lindex [r sscan t 0 match zz*] 1] {}
    }

    test {SSCAN - integer members and MATCH} {
        r del s
        r sadd s 1 10 11 2 -1
        assert_sorted_equal [lindex [r sscan s 0 match 1*] 1] {1 10 11}
        assert_sorted_equal [lindex [r sscan s 0 match -*] 1] {-1}
    }

    test {SSCAN - errors} {
        r del s
        r sadd s a
        assert_error {ERR invalid cursor} {r sscan s abc}
        assert_error {ERR invalid cursor} {r sscan s 1.5}
        assert_error {ERR invalid cursor} {r sscan s 18446744073709551616}
        assert_error {ERR syntax error} {r sscan s 0 count 0}
        assert_error {ERR value is not an integer or out of range} {r sscan s 0 count abc}
        assert_error {ERR syntax error} {r sscan s 0 match}
        assert_error {ERR syntax error} {r sscan s 0 foo}
        assert_error {ERR syntax error} {r sscan s 0 type set}
        assert_error {ERR wrong number of arguments for 'sscan' command} {r sscan s}
        r set str v
        assert_error {ERR invalid cursor} {r sscan str abc}
        assert_error {WRONGTYPE*} {r sscan str 0}
    }

    # --- Binary-safe members ---

    test {Binary members - NUL, CR, LF and high bytes round trip} {
        r del s t
        set m1 "a\x00b"
        set m2 "a\x00c"
        set m3 "\r\n"
        set m4 "\xff\x80\x00"
        assert_equal [r sadd s $m1 $m2 $m3 $m4 a] 5
        assert_equal [r sismember s "a\x00b"] 1
        assert_equal [r sismember s "a\x00"] 0
        assert_equal [r sismember s a] 1
        assert_equal [r smismember s $m3 $m4 "\r"] {1 1 0}
        assert_sorted_equal [r smembers s] [list $m1 $m2 $m3 $m4 a]
        r sadd t $m2 $m3 x
        assert_sorted_equal [r sinter s t] [list $m2 $m3]
        assert_sorted_equal [r sdiff s t] [list $m1 $m4 a]
        assert_equal [r srem s $m1] 1
        assert_equal [r sismember s $m1] 0
        assert_equal [r sismember s $m2] 1
    }

    test {Binary members - random binary members round trip} {
        r del s
        set members {}
        for {set i 0} {$i < 50} {incr i} {
            lappend members "$i:[randstring [expr {int(rand() * 100)}] binary]"
        }
        assert_equal [r sadd s {*}$members] 50
        assert_sorted_equal [r smembers s] $members
        foreach m $members { assert_equal [r sismember s $m] 1 }
    }

    # --- Integer members ---

    test {Integers - an all-integer set and a mixed set give the same replies} {
        r del ints mixed other
        r sadd ints 1 2 3 -1 0
        r sadd mixed 1 2 3 -1 0 x
        r srem mixed x
        r sadd other 2 3 4 y
        assert_sorted_equal [r smembers ints] [r smembers mixed]
        foreach m {1 2 3 -1 0 4 x 01} {
            assert_equal [r sismember ints $m] [r sismember mixed $m] "(member $m)"
        }
        assert_sorted_equal [r sinter ints other] {2 3}
        assert_sorted_equal [r sinter mixed other] {2 3}
        assert_sorted_equal [r sunion ints other] {-1 0 1 2 3 4 y}
        assert_sorted_equal [r sdiff ints other] {-1 0 1}
        assert_sorted_equal [r sdiff other ints] {4 y}
        assert_equal [r sintercard 2 ints other] 2
        assert_equal [r smove ints other 1] 1
        assert_sorted_equal [r smembers other] {1 2 3 4 y}
    }

    test {Integers - -1, 0 and the int64 limits round trip as strings} {
        r del s
        set vals {-1 0 9223372036854775807 -9223372036854775808 42}
        assert_equal [r sadd s {*}$vals] 5
        assert_sorted_equal [r smembers s] $vals
        foreach v $vals { assert_equal [r sismember s $v] 1 "($v)" }
        assert_equal [r srem s -9223372036854775808 9223372036854775807] 2
        assert_sorted_equal [r smembers s] {-1 0 42}
    }

    test {Integers - 01, +1, -0, " 1" and 1.0 are distinct from 1 and 0} {
        r del s
        assert_equal [r sadd s 1 0 01 +1 -0 " 1" 1.0] 7
        assert_equal [r scard s] 7
        assert_sorted_equal [r smembers s] [list 1 0 01 +1 -0 " 1" 1.0]
        assert_equal [r srem s 1] 1
        assert_equal [r sismember s 01] 1
        assert_equal [r sismember s +1] 1
        assert_equal [r sismember s 1] 0
    }

    test {Integers - an all-integer set does not match 01, +1, -0 or 1.0} {
        r del s
        r sadd s 1 0 2
        foreach m {01 +1 -0 1.0 " 1" 0x1} {
            assert_equal [r sismember s $m] 0 "(member $m)"
            assert_equal [r srem s $m] 0 "(member $m)"
        }
        assert_equal [r smismember s 01 1 00 0] {0 1 0 1}
        assert_equal [r scard s] 3
    }

    test {Integers - beyond int64 they are plain strings} {
        r del s
        r sadd s 9223372036854775807
        assert_equal [r sadd s 9223372036854775808 -9223372036854775809] 2
        assert_equal [r scard s] 3
        assert_equal [r sismember s 9223372036854775808] 1
        assert_sorted_equal [r smembers s] {-9223372036854775809 9223372036854775807 9223372036854775808}
    }

    # --- OBJECT ENCODING and the conversion thresholds ---

    test {OBJECT ENCODING - intset for a small all-integer set} {
        r del s
        r sadd s 1 2 3 -5 9223372036854775807 -9223372036854775808
        assert_equal [r object encoding s] intset
    }

    test {OBJECT ENCODING - a non-integer member leaves intset} {
        foreach m {a 01 +1 -0 1.0 9223372036854775808} {
            r del s
            r sadd s 1 2 3
            r sadd s $m
            assert_not_equal [r object encoding s] intset "(member $m)"
            sets_assert_small_encoding s
            assert_equal [r scard s] 4
            assert_equal [r sismember s $m] 1
            assert_equal [r sismember s 2] 1
        }
    }

    test {OBJECT ENCODING - listpack (7.2+) for a small set of strings} {
        r del s
        r sadd s a b c
        sets_assert_small_encoding s
    }

    test {OBJECT ENCODING - hashtable after 128 members} {
        r del s
        for {set i 0} {$i < 128} {incr i 32} {
            set batch {}
            for {set j $i} {$j < $i + 32} {incr j} { lappend batch m$j }
            r sadd s {*}$batch
        }
        assert_equal [r scard s] 128
        sets_assert_small_encoding s
        r sadd s m128
        assert_equal [r object encoding s] hashtable
        assert_equal [r scard s] 129
    }

    test {OBJECT ENCODING - hashtable for a member longer than 64 bytes} {
        r del s t
        r sadd s a [string repeat x 64]
        sets_assert_small_encoding s
        r sadd s [string repeat y 65]
        assert_equal [r object encoding s] hashtable
        r sadd t [string repeat z 65]
        assert_equal [r object encoding t] hashtable
        assert_equal [r sismember t [string repeat z 65]] 1
    }

    test {OBJECT ENCODING - intset up to 512 integers, hashtable after} {
        r del s
        for {set i 0} {$i < 512} {incr i 64} {
            set batch {}
            for {set j $i} {$j < $i + 64} {incr j} { lappend batch $j }
            r sadd s {*}$batch
        }
        assert_equal [r scard s] 512
        assert_equal [r object encoding s] intset
        r sadd s 512
        assert_equal [r object encoding s] hashtable
        assert_equal [r scard s] 513
        assert_equal [r sismember s 300] 1
    }

    test {OBJECT ENCODING - an intset of more than 128 members takes a string as a hashtable} {
        r del s
        set batch {}
        for {set i 0} {$i < 200} {incr i} { lappend batch $i }
        r sadd s {*}$batch
        assert_equal [r object encoding s] intset
        r sadd s a
        assert_equal [r object encoding s] hashtable
        assert_equal [r scard s] 201
    }

    test {OBJECT ENCODING - removing members does not convert back} {
        r del s
        r sadd s 1 2 a
        r srem s a
        sets_assert_small_encoding s
        r del t
        set batch {}
        for {set i 0} {$i < 200} {incr i} { lappend batch m$i }
        r sadd t {*}$batch
        r srem t {*}[lrange $batch 1 end]
        assert_equal [r object encoding t] hashtable
    }

    test {OBJECT ENCODING - an all-integer SINTERSTORE or SUNIONSTORE result is an intset} {
        r del s1 s2 dst
        r sadd s1 1 2 3
        r sadd s2 2 3 4 a
        assert_equal [r sinterstore dst s1 s2] 2
        assert_equal [r object encoding dst] intset
        assert_equal [r sunionstore dst s1] 3
        assert_equal [r object encoding dst] intset
        assert_equal [r sunionstore dst s1 s2] 5
        assert_not_equal [r object encoding dst] intset
    }

    test {CONFIG GET - set-max-intset-entries defaults to 512} {
        assert_equal [r config get set-max-intset-entries] {set-max-intset-entries 512}
    }

    test {CONFIG GET - set-max-listpack-entries 128 and set-max-listpack-value 64} {
        if {![version_at_least 7.2]} { skip_test "listpack sets are new in Redis 7.2" }
        assert_equal [r config get set-max-listpack-entries] {set-max-listpack-entries 128}
        assert_equal [r config get set-max-listpack-value] {set-max-listpack-value 64}
    }

    test {CONFIG SET - set-max-listpack-entries and -value move the thresholds} {
        if {![version_at_least 7.2]} { skip_test "listpack sets are new in Redis 7.2" }
        r config set set-max-listpack-entries 4
        r config set set-max-listpack-value 8
        r del s t
        r sadd s a b c d
        assert_equal [r object encoding s] listpack
        r sadd s e
        assert_equal [r object encoding s] hashtable
        r sadd t 12345678
        r sadd t abcdefgh
        assert_equal [r object encoding t] listpack
        r sadd t abcdefghi
        assert_equal [r object encoding t] hashtable
        r config set set-max-listpack-entries 128
        r config set set-max-listpack-value 64
    }

    # --- WRONGTYPE ---

    test {WRONGTYPE - set commands on a string key} {
        r del s
        r set str v
        foreach cmd {
            {sadd str a} {srem str a} {sismember str a} {smismember str a}
            {scard str} {smembers str} {spop str} {spop str 2}
            {srandmember str} {srandmember str 2} {srandmember str -2}
            {sscan str 0} {sinter str} {sintercard 1 str} {sunion str}
            {sdiff str}
        } {
            assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} {r {*}$cmd}
        }
        assert_equal [r get str] v
    }

    test {WRONGTYPE - set commands on a hash key} {
        r del h
        r hset h f v
        foreach cmd {
            {sadd h a} {srem h a} {sismember h a} {smismember h a}
            {scard h} {smembers h} {spop h} {srandmember h 2} {sscan h 0}
        } {
            assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} {r {*}$cmd}
        }
        assert_equal [r hget h f] v
    }

    test {WRONGTYPE - string commands on a set key} {
        r del s
        r sadd s a
        foreach cmd {
            {get s} {getdel s} {getex s} {getrange s 0 1} {strlen s}
            {append s x} {incr s} {decrby s 2} {incrbyfloat s 1}
            {setrange s 0 x} {set s v get} {hget s f} {hset s f v}
        } {
            assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} {r {*}$cmd}
        }
        assert_equal [r type s] set
        assert_equal [r smembers s] a
    }

    test {WRONGTYPE - MGET replies null for a set key} {
        r del s
        r sadd s a
        r set str v
        assert_equal [r mget s str] {{} v}
    }

    test {WRONGTYPE - SET, SETEX and MSET overwrite a set, SETNX does not} {
        r del s
        r sadd s a
        assert_equal [r setnx s v] 0
        assert_equal [r type s] set
        assert_equal [r set s v] OK
        assert_equal [r type s] string
        assert_equal [r get s] v
        r del s
        r sadd s a
        r setex s 100 v
        assert_equal [r get s] v
        r del s
        r sadd s a
        r mset s v
        assert_equal [r get s] v
    }

    test {WRONGTYPE - multi-key commands with one key of the wrong type} {
        r del s1 nokey dst
        r sadd s1 a b
        r set str v
        set err {WRONGTYPE Operation against a key holding the wrong kind of value}
        assert_error $err {r sinter s1 str}
        assert_error $err {r sinter nokey str}
        assert_error $err {r sintercard 2 nokey str}
        assert_error $err {r sunion s1 str}
        assert_error $err {r sunion nokey str}
        assert_error $err {r sdiff s1 str}
        assert_error $err {r sdiff str s1}
        assert_error $err {r sdiff nokey str}
        r sadd dst keep
        assert_error $err {r sinterstore dst s1 str}
        assert_error $err {r sunionstore dst s1 str}
        assert_error $err {r sdiffstore dst s1 str}
        assert_equal [r smembers dst] keep
        assert_error $err {r smove s1 str a}
        assert_sorted_equal [r smembers s1] {a b}
    }

    # --- Generic commands meeting sets ---

    test {TYPE - set for a set key} {
        r del s
        r sadd s a
        assert_equal [r type s] set
    }

    test {SCAN - TYPE set returns only set keys} {
        r flushdb
        for {set i 0} {$i < 30} {incr i} {
            r sadd set:$i a
            r set str:$i v
        }
        foreach {type want} {set 30 SET 30 string 30} {
            set cursor 0
            set found {}
            for {set n 0} {$n < 1000} {incr n} {
                lassign [r scan $cursor type $type] cursor keys
                lappend found {*}$keys
                if {$cursor == 0} break
            }
            set found [lsort -unique $found]
            assert_equal [llength $found] $want "(type $type)"
            if {[string tolower $type] eq "set"} {
                foreach k $found { assert_match set:* $k }
            }
        }
    }

    test {EXISTS, DEL, UNLINK - on set keys} {
        r del s t
        r sadd s a b
        r sadd t a
        assert_equal [r exists s t] 2
        assert_equal [r del s] 1
        assert_equal [r exists s] 0
        assert_equal [r unlink t] 1
        assert_equal [r exists t] 0
        set batch {}
        for {set i 0} {$i < 1000} {incr i} { lappend batch m$i }
        r sadd big {*}$batch
        assert_equal [r unlink big] 1
        assert_equal [r exists big] 0
    }

    test {RENAME - a set keeps its members under the new name} {
        r del s t
        r sadd s a b
        assert_equal [r rename s t] OK
        assert_equal [r exists s] 0
        assert_equal [r type t] set
        assert_sorted_equal [r smembers t] {a b}
        r set str v
        r rename t str
        assert_equal [r type str] set
    }

    test {COPY - the copy is an independent set} {
        r del s c
        r sadd s a b
        assert_equal [r copy s c] 1
        r sadd c x
        r srem c a
        assert_sorted_equal [r smembers s] {a b}
        assert_sorted_equal [r smembers c] {b x}
        r sadd s y
        assert_sorted_equal [r smembers c] {b x}
    }

    test {COPY - REPLACE and another database} {
        r flushall
        r sadd s 1 2 3
        r set dst v
        assert_equal [r copy s dst] 0
        assert_equal [r copy s dst replace] 1
        assert_equal [r type dst] set
        assert_equal [r copy s s db 1] 1
        r select 1
        assert_sorted_equal [r smembers s] {1 2 3}
        r select 0
    }

    test {MOVE - moves a set to another database} {
        r flushall
        r sadd s a b
        assert_equal [r move s 1] 1
        assert_equal [r exists s] 0
        r select 1
        assert_equal [r type s] set
        assert_sorted_equal [r smembers s] {a b}
    }

    test {EXPIRE - a set expires like any key} {
        r del s
        r sadd s a b
        assert_equal [r expire s 100] 1
        assert_range [r ttl s] 99 100
        r sadd s c
        assert_range [r ttl s] 99 100
        r pexpire s 50
        wait_for_condition 50 20 {[r exists s] == 0} else {
            fail "the set did not expire"
        }
        assert_equal [r sadd s a] 1
        assert_equal [r ttl s] -1
    }

    test {EXPIRE - a set emptied and recreated has no TTL} {
        r del s
        r sadd s a
        r expire s 100
        r srem s a
        r sadd s b
        assert_equal [r ttl s] -1
        r expire s 100
        r spop s
        r sadd s c
        assert_equal [r ttl s] -1
    }

    # --- Keyspace notifications ---

    test {Keyspace events - SADD, SREM, SPOP and del when a set empties} {
        r del ev:s ev:p
        r config set notify-keyspace-events Ksg
        set s [redis_deferring_client]
        $s timeout 3000
        $s psubscribe __keyspace@0__:ev:*
        $s read
        r sadd ev:s a b c
        assert_equal [sets_next_event $s] {ev:s sadd}
        # No change, no event.
        r sadd ev:s a
        r srem ev:s zz
        r srem ev:s a
        assert_equal [sets_next_event $s] {ev:s srem}
        r srem ev:s b c
        assert_equal [sets_next_event $s] {ev:s srem}
        assert_equal [sets_next_event $s] {ev:s del}
        r sadd ev:p 1 2 3
        assert_equal [sets_next_event $s] {ev:p sadd}
        r spop ev:p 0
        r spop ev:p
        assert_equal [sets_next_event $s] {ev:p spop}
        r spop ev:p 1
        assert_equal [sets_next_event $s] {ev:p spop}
        r spop ev:p 5
        assert_equal [sets_next_event $s] {ev:p spop}
        assert_equal [sets_next_event $s] {ev:p del}
        r sadd ev:p x
        assert_equal [sets_next_event $s] {ev:p sadd}
        r spop ev:p
        assert_equal [sets_next_event $s] {ev:p spop}
        assert_equal [sets_next_event $s] {ev:p del}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - SMOVE is srem on the source and sadd on the destination} {
        r del ev:a ev:b
        r config set notify-keyspace-events Ksg
        set s [redis_deferring_client]
        $s timeout 3000
        $s psubscribe __keyspace@0__:ev:*
        $s read
        r sadd ev:a x y
        r sadd ev:b y
        assert_equal [sets_next_event $s] {ev:a sadd}
        assert_equal [sets_next_event $s] {ev:b sadd}
        r smove ev:a ev:b zz
        r smove ev:a ev:b x
        assert_equal [sets_next_event $s] {ev:a srem}
        assert_equal [sets_next_event $s] {ev:b sadd}
        # y is already in ev:b: no sadd; ev:a empties.
        r smove ev:a ev:b y
        assert_equal [sets_next_event $s] {ev:a srem}
        assert_equal [sets_next_event $s] {ev:a del}
        r sadd ev:end 1
        assert_equal [sets_next_event $s] {ev:end sadd}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - SINTERSTORE, SUNIONSTORE, SDIFFSTORE and del on an empty result} {
        r del ev:a ev:b ev:d ev:nokey
        r config set notify-keyspace-events Ksg
        set s [redis_deferring_client]
        $s timeout 3000
        $s psubscribe __keyspace@0__:ev:*
        $s read
        r sadd ev:a 1 2 3
        r sadd ev:b 2 3 4
        assert_equal [sets_next_event $s] {ev:a sadd}
        assert_equal [sets_next_event $s] {ev:b sadd}
        r sinterstore ev:d ev:a ev:b
        assert_equal [sets_next_event $s] {ev:d sinterstore}
        r sunionstore ev:d ev:a ev:b
        assert_equal [sets_next_event $s] {ev:d sunionstore}
        r sdiffstore ev:d ev:a ev:b
        assert_equal [sets_next_event $s] {ev:d sdiffstore}
        r sdiffstore ev:d ev:a ev:a
        assert_equal [sets_next_event $s] {ev:d del}
        # Nothing to delete, nothing stored: no event.
        r sinterstore ev:d ev:a ev:nokey
        r sunionstore ev:d ev:nokey
        r sadd ev:d x
        assert_equal [sets_next_event $s] {ev:d sadd}
        r sinterstore ev:d ev:a ev:nokey
        assert_equal [sets_next_event $s] {ev:d del}
        r config set notify-keyspace-events ""
    }

    # --- Transactions ---

    test {WATCH - an SADD to the watched set by another client aborts EXEC} {
        r del s
        r sadd s a
        r watch s
        set other [redis_client]
        $other sadd s b
        r multi
        r sadd s c
        assert_equal [r exec] {}
        assert_sorted_equal [r smembers s] {a b}
    }

    test {WATCH - SADD of an existing member or SREM of an absent one is not a change} {
        r del s
        r sadd s a
        r watch s
        set other [redis_client]
        assert_equal [$other sadd s a] 0
        assert_equal [$other srem s zz] 0
        r multi
        r sadd s c
        assert_equal [r exec] 1
        assert_sorted_equal [r smembers s] {a c}
    }

    test {WATCH - SPOP, SREM, SMOVE and SINTERSTORE by another client abort EXEC} {
        set other [redis_client]
        foreach cmd {{spop s} {srem s a} {smove s t a} {sinterstore s s}} {
            r del s t
            r sadd s a b
            r watch s
            $other {*}$cmd
            r multi
            r scard s
            assert_equal [r exec] {} "(after $cmd)"
        }
    }

    test {MULTI - set commands are queued and run by EXEC} {
        r del s t
        r multi
        assert_equal [r sadd s a b c] QUEUED
        assert_equal [r srem s c] QUEUED
        assert_equal [r scard s] QUEUED
        assert_equal [r sismember s a] QUEUED
        assert_equal [r smove s t a] QUEUED
        assert_equal [r smembers t] QUEUED
        assert_equal [r sunionstore u s t] QUEUED
        assert_equal [r exec] {3 1 2 1 1 a 2}
        assert_sorted_equal [r smembers u] {a b}
    }

    test {MULTI - a WRONGTYPE set command fails alone inside EXEC} {
        r del s
        r set str v
        set c [raw_connect]
        $c write_raw "MULTI\r\nSADD s a\r\nSADD str a\r\nSCARD s\r\nEXEC\r\n"
        set lines {}
        for {set i 0} {$i < 8} {incr i} { lappend lines [$c read] }
        assert_equal $lines [list +OK +QUEUED +QUEUED +QUEUED *3 :1 \
            {-WRONGTYPE Operation against a key holding the wrong kind of value} :1]
    }

    # --- Scripts ---

    test {EVAL - redis.call('smembers') is returned as an array} {
        r del s
        r sadd s a b c
        assert_sorted_equal [r eval {return redis.call('smembers', KEYS[1])} 1 s] {a b c}
        set c [raw_connect]
        set lines [raw_reply $c 7 eval {return redis.call('smembers', KEYS[1])} 1 s]
        assert_equal [lindex $lines 0] {*3}
        $c readraw 0
        $c hello 3
        $c readraw 1
        set lines [raw_reply $c 7 eval {return redis.call('smembers', KEYS[1])} 1 s]
        assert_equal [lindex $lines 0] {*3}
    }

    test {EVAL - set commands from a script} {
        r del s
        assert_equal [r eval {return redis.call('sadd', KEYS[1], 'x', 'y')} 1 s] 2
        assert_equal [r eval {return redis.call('sismember', KEYS[1], ARGV[1])} 1 s x] 1
        assert_equal [r eval {return redis.call('scard', KEYS[1])} 1 s] 2
        assert_equal [r eval {return redis.call('smembers', KEYS[1])} 1 nokey] {}
        r set str v
        assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} \
            {r eval {return redis.pcall('sadd', KEYS[1], 'x')} 1 str}
        assert_error {WRONGTYPE*} {r eval {return redis.call('sadd', KEYS[1], 'x')} 1 str}
    }

    # --- A big set ---

    test {Big set - 10000 members added 100 per SADD} {
        r del big
        set added 0
        for {set i 0} {$i < 10000} {incr i 100} {
            set batch {}
            for {set j $i} {$j < $i + 100} {incr j} { lappend batch m:$j }
            incr added [r sadd big {*}$batch]
        }
        assert_equal $added 10000
        assert_equal [r scard big] 10000
        assert_equal [r object encoding big] hashtable
        assert_equal [r sismember big m:0] 1
        assert_equal [r sismember big m:9999] 1
        assert_equal [r sismember big m:10000] 0
        set got [r srandmember big 100]
        assert_equal [llength [lsort -unique $got]] 100
        set got [r srandmember big 9000]
        assert_equal [llength [lsort -unique $got]] 9000
        assert_equal [llength [r srandmember big -20000]] 20000
    }

    test {Big set - SSCAN while members are added returns every member present throughout} {
        r del big
        for {set i 0} {$i < 10000} {incr i 100} {
            set batch {}
            for {set j $i} {$j < $i + 100} {incr j} { lappend batch m:$j }
            r sadd big {*}$batch
        }
        unset -nocomplain seen
        array set seen {}
        set cursor 0
        set n 0
        for {set calls 0} {$calls < 100000} {incr calls} {
            lassign [r sscan big $cursor count 50] cursor members
            foreach m $members { set seen($m) 1 }
            # Grow the set between calls (20 new members each time).
            set batch {}
            for {set j 0} {$j < 20} {incr j} { lappend batch new:[incr n] }
            r sadd big {*}$batch
            if {$cursor == 0} break
        }
        assert_equal $cursor 0 "(SSCAN did not finish)"
        for {set i 0} {$i < 10000} {incr i} {
            assert {[info exists seen(m:$i)]} "(m:$i missing)"
        }
        # Nothing returned that was never a member.
        foreach m [array names seen] {
            assert {[string match m:* $m] || [string match new:* $m]} "(member $m)"
        }
        assert_equal [r scard big] [expr {10000 + $n}]
    }

    test {Big set - SPOP with a count until empty removes every member once} {
        r del big
        for {set i 0} {$i < 10000} {incr i 100} {
            set batch {}
            for {set j $i} {$j < $i + 100} {incr j} { lappend batch m:$j }
            r sadd big {*}$batch
        }
        set all {}
        for {set calls 0} {$calls < 1000 && [r exists big]} {incr calls} {
            set got [r spop big 97]
            lappend all {*}$got
            assert_equal [llength $got] [expr {min(97, 10000 - ([llength $all] - [llength $got]))}]
        }
        assert_equal [r exists big] 0
        assert_equal [llength $all] 10000
        assert_equal [llength [lsort -unique $all]] 10000
        set want {}
        for {set i 0} {$i < 10000} {incr i} { lappend want m:$i }
        assert_equal [lsort $all] [lsort $want]
    }

    test {Big set - SPOP one at a time until empty removes every member once} {
        r del s
        set batch {}
        for {set i 0} {$i < 500} {incr i} { lappend batch $i x$i }
        r sadd s {*}$batch
        set all {}
        for {set calls 0} {$calls < 2000} {incr calls} {
            set m [r spop s]
            if {$m eq "" && ![r exists s]} break
            lappend all $m
        }
        assert_equal [llength $all] 1000
        assert_equal [lsort $all] [lsort $batch]
        assert_equal [r spop s] {}
    }
}

start_server {overrides {set-max-intset-entries 8} tags {set}} {
    test {CONFIG GET - set-max-intset-entries from the command line} {
        assert_equal [r config get set-max-intset-entries] {set-max-intset-entries 8}
    }

    test {OBJECT ENCODING - an intset converts after set-max-intset-entries} {
        r del s
        r sadd s 1 2 3 4 5 6 7 8
        assert_equal [r object encoding s] intset
        r sadd s 9
        assert_equal [r object encoding s] hashtable
        assert_equal [r scard s] 9
        assert_sorted_equal [r smembers s] {1 2 3 4 5 6 7 8 9}
    }

    test {OBJECT ENCODING - an all-integer store result over the limit is not an intset} {
        r del s1 s2 dst
        r sadd s1 1 2 3 4 5
        r sadd s2 6 7 8 9 10
        assert_equal [r sunionstore dst s1 s2] 10
        assert_not_equal [r object encoding dst] intset
        assert_equal [r sunionstore dst s1] 5
        assert_equal [r object encoding dst] intset
    }
}

# Keyspace commands: deleting, renaming, copying and moving keys, pattern
# matching, SCAN iteration and the numbered databases. Only string keys.

start_server {tags {keyspace}} {
    test {DEL - returns the number of keys removed} {
        r flushdb
        r mset a 1 b 2 c 3
        assert_equal [r del a b nokey] 2
        assert_equal [r exists a b c] 1
    }

    test {DEL - a key named twice is removed once} {
        r set a 1
        assert_equal [r del a a a] 1
        assert_equal [r del a] 0
        assert_error {ERR wrong number of arguments for 'del' command} {r del}
    }

    test {UNLINK - removes keys like DEL} {
        r mset a 1 b 2
        assert_equal [r unlink a b b nokey] 2
        assert_equal [r exists a b] 0
        assert_error {ERR wrong number of arguments for 'unlink' command} {r unlink}
    }

    test {EXISTS - counts a key once per time it is named} {
        r flushdb
        r mset a 1 b 2
        assert_equal [r exists a] 1
        assert_equal [r exists nokey] 0
        assert_equal [r exists a a a b nokey] 4
        assert_error {ERR wrong number of arguments for 'exists' command} {r exists}
    }

    test {TYPE - string for a string key, none for a missing key} {
        r set s 1
        r del nokey
        assert_equal [r type s] string
        assert_equal [r type nokey] none
        assert_error {ERR wrong number of arguments for 'type' command} {r type}
    }

    test {TOUCH - counts existing keys, duplicates included} {
        r flushdb
        r mset a 1 b 2
        assert_equal [r touch a b nokey] 2
        assert_equal [r touch a a] 2
        assert_equal [r get a] 1
    }

    test {RENAME - moves the value to the new name} {
        r flushdb
        r set a hello
        assert_equal [r rename a b] OK
        assert_equal [r exists a] 0
        assert_equal [r get b] hello
    }

    test {RENAME - overwrites the destination and its TTL} {
        r set src v1
        r set dst v2 ex 100
        r rename src dst
        assert_equal [r get dst] v1
        assert_equal [r ttl dst] -1
    }

    test {RENAME - carries the TTL of the source} {
        r set src v ex 100
        r del dst
        r rename src dst
        assert_range [r ttl dst] 99 100
    }

    test {RENAME - missing source is an error} {
        r del nokey
        assert_error {ERR no such key} {r rename nokey other}
        assert_error {ERR wrong number of arguments for 'rename' command} {r rename a}
    }

    test {RENAME - a key renamed to itself is kept} {
        r set a v ex 100
        assert_equal [r rename a a] OK
        assert_equal [r get a] v
        assert_range [r ttl a] 99 100
        r del a
        assert_error {ERR no such key} {r rename a a}
    }

    test {RENAMENX - renames only if the destination is missing} {
        r flushdb
        r mset a 1 b 2
        assert_equal [r renamenx a b] 0
        assert_equal [r mget a b] {1 2}
        assert_equal [r renamenx a c] 1
        assert_equal [r mget a c] {{} 1}
    }

    test {RENAMENX - same key replies 0, missing source is an error} {
        r set a 1
        assert_equal [r renamenx a a] 0
        assert_equal [r get a] 1
        r del nokey
        assert_error {ERR no such key} {r renamenx nokey z}
    }

    test {COPY - copies value and TTL, source unchanged} {
        r flushdb
        r set src hello ex 100
        assert_equal [r copy src dst] 1
        assert_equal [r get src] hello
        assert_equal [r get dst] hello
        assert_range [r ttl dst] 99 100
        r set dst changed
        assert_equal [r get src] hello
    }

    test {COPY - does not overwrite without REPLACE} {
        r mset src a dst b
        assert_equal [r copy src dst] 0
        assert_equal [r get dst] b
        assert_equal [r copy src dst replace] 1
        assert_equal [r get dst] a
    }

    test {COPY - missing source replies 0} {
        r del nokey
        assert_equal [r copy nokey dst2] 0
        assert_equal [r exists dst2] 0
    }

    test {COPY - to another database with DB} {
        r flushall
        r set src hello
        assert_equal [r copy src dst db 1] 1
        assert_equal [r exists dst] 0
        r select 1
        assert_equal [r get dst] hello
        r select 0
        assert_equal [r copy src src db 1] 1
        r select 1
        assert_equal [r get src] hello
    }

    test {COPY - errors} {
        r set src hello
        assert_error {ERR source and destination objects are the same} {r copy src src}
        assert_error {ERR DB index is out of range} {r copy src dst db 16}
        assert_error {ERR DB index is out of range} {r copy src dst db -1}
        assert_error {ERR value is not an integer or out of range} {r copy src dst db abc}
        assert_error {ERR syntax error} {r copy src dst db}
        assert_error {ERR syntax error} {r copy src dst foo}
        assert_error {ERR wrong number of arguments for 'copy' command} {r copy src}
    }

    test {MOVE - moves a key to another database with its TTL} {
        r flushall
        r set k v ex 100
        assert_equal [r move k 1] 1
        assert_equal [r exists k] 0
        r select 1
        assert_equal [r get k] v
        assert_range [r ttl k] 99 100
    }

    test {MOVE - replies 0 when the key exists in the target or is missing} {
        r flushall
        r set k here
        r select 1
        r set k there
        r select 0
        assert_equal [r move k 1] 0
        assert_equal [r get k] here
        r del nokey
        assert_equal [r move nokey 1] 0
    }

    test {MOVE - errors} {
        r set k v
        assert_error {ERR source and destination objects are the same} {r move k 0}
        assert_error {ERR DB index is out of range} {r move k 16}
        assert_error {ERR value is not an integer or out of range} {r move k abc}
    }

    test {KEYS - star matches every key} {
        r flushdb
        r mset a 1 b 2 c 3
        assert_sorted_equal [r keys *] {a b c}
        r flushdb
        assert_equal [r keys *] {}
    }

    test {KEYS - question mark, star and character classes} {
        r flushdb
        r mset hello 1 hallo 1 hxllo 1 hllo 1 heeeello 1
        assert_sorted_equal [r keys h?llo] {hallo hello hxllo}
        assert_sorted_equal [r keys h*llo] {heeeello hallo hello hllo hxllo}
        assert_sorted_equal [r keys {h[ae]llo}] {hallo hello}
        assert_sorted_equal [r keys {h[a-e]llo}] {hallo hello}
        assert_sorted_equal [r keys {h[^e]llo}] {hallo hxllo}
        assert_sorted_equal [r keys {h[^a-e]llo}] {hxllo}
        assert_sorted_equal [r keys {h[z-a]llo}] {hallo hello hxllo}
        assert_sorted_equal [r keys {h[!e]llo}] {hello}
    }

    test {KEYS - matching is case sensitive} {
        r flushdb
        r mset hello 1 Hello 2
        assert_equal [r keys H*] Hello
        assert_equal [r keys {h[A-Z]llo}] {}
    }

    test {KEYS - backslash escapes special characters} {
        r flushdb
        r mset "a*b" 1 "a?b" 1 axb 1 "a\\b" 1 "a\[b" 1 "a]b" 1 "a^b" 1 "a-b" 1
        assert_equal [r keys {a\*b}] [list "a*b"]
        assert_equal [r keys {a\?b}] [list "a?b"]
        assert_equal [r keys {a\[b}] [list "a\[b"]
        assert_equal [r keys {a\\b}] [list "a\\b"]
        assert_equal [r keys {a[\]]b}] [list "a]b"]
        assert_equal [r keys {a[\^]b}] [list "a^b"]
        assert_equal [r keys {a[-]b}] [list "a-b"]
        assert_equal [llength [r keys {a?b}]] 8
    }

    test {KEYS - malformed patterns are not errors} {
        r flushdb
        r mset {h[e} 1 hello 1
        foreach p {{h[} {[} {h[e*} {*\\} {a\\} {[a-} {[^}} {
            assert_match * [r keys $p]
        }
        assert_equal [r ping] PONG
    }

    test {KEYS - binary keys and patterns} {
        r flushdb
        r mset "a\x00b" 1 "a\x00c" 1 ab 1
        assert_sorted_equal [r keys "a\x00*"] [list "a\x00b" "a\x00c"]
    }

    test {SCAN - full iteration returns every key of 1000} {
        r flushdb
        set args {}
        for {set i 0} {$i < 1000} {incr i} { lappend args key:$i $i }
        r mset {*}$args
        set cursor 0
        set calls 0
        unset -nocomplain seen
        array set seen {}
        while 1 {
            lassign [r scan $cursor count 10] cursor keys
            foreach k $keys { set seen($k) 1 }
            incr calls
            if {$cursor == 0} break
            if {$calls > 2000} { fail "SCAN did not terminate after 2000 calls" }
        }
        assert_equal [array size seen] 1000
        for {set i 0} {$i < 1000} {incr i} {
            assert {[info exists seen(key:$i)]} "(key:$i missing)"
        }
    }

    test {SCAN - the reply is a cursor string and an array of keys} {
        r flushdb
        r set a 1
        set c [raw_connect]
        assert_equal [$c scan 0] {*2}
        assert_equal [$c read] {$1}
        assert_equal [$c read] 0
        assert_equal [$c read] {*1}
        assert_equal [$c read] {$1}
        assert_equal [$c read] a
    }

    test {SCAN - MATCH filters keys} {
        r flushdb
        for {set i 0} {$i < 100} {incr i} { r set foo:$i 1; r set bar:$i 1 }
        set cursor 0
        set found {}
        for {set n 0} {$n < 1000} {incr n} {
            lassign [r scan $cursor match foo:* count 20] cursor keys
            lappend found {*}$keys
            if {$cursor == 0} break
        }
        set found [lsort -unique $found]
        assert_equal [llength $found] 100
        foreach k $found { assert_match foo:* $k }
    }

    test {SCAN - TYPE string returns string keys, TYPE list returns none} {
        r flushdb
        for {set i 0} {$i < 50} {incr i} { r set k:$i 1 }
        foreach {type want} {string 50 list 0 STRING 50} {
            set cursor 0
            set found {}
            for {set n 0} {$n < 1000} {incr n} {
                lassign [r scan $cursor type $type] cursor keys
                lappend found {*}$keys
                if {$cursor == 0} break
            }
            assert_equal [llength [lsort -unique $found]] $want "(type $type)"
        }
    }

    test {SCAN - COUNT larger than the keyspace returns everything at once} {
        r flushdb
        r mset a 1 b 2 c 3
        lassign [r scan 0 count 1000] cursor keys
        assert_equal $cursor 0
        assert_sorted_equal $keys {a b c}
    }

    test {SCAN - empty database} {
        r flushdb
        assert_equal [r scan 0] {0 {}}
    }

    test {SCAN - invalid cursor} {
        assert_error {ERR invalid cursor} {r scan abc}
        assert_error {ERR invalid cursor} {r scan 1.5}
        assert_error {ERR invalid cursor} {r scan 18446744073709551616}
    }

    test {SCAN - option errors} {
        assert_error {ERR syntax error} {r scan 0 count 0}
        assert_error {ERR syntax error} {r scan 0 count -1}
        assert_error {ERR value is not an integer or out of range} {r scan 0 count abc}
        assert_error {ERR syntax error} {r scan 0 match}
        assert_error {ERR syntax error} {r scan 0 type}
        assert_error {ERR syntax error} {r scan 0 foo bar}
        assert_error {ERR wrong number of arguments for 'scan' command} {r scan}
    }

    test {RANDOMKEY - null on an empty database, an existing key otherwise} {
        r flushdb
        assert_equal [r randomkey] {}
        r mset a 1 b 2 c 3
        for {set i 0} {$i < 20} {incr i} {
            assert_match {[abc]} [r randomkey]
        }
        assert_error {ERR wrong number of arguments for 'randomkey' command} {r randomkey x}
    }

    test {RANDOMKEY - returns every key eventually} {
        r flushdb
        r mset a 1 b 2 c 3
        unset -nocomplain seen
        array set seen {}
        for {set i 0} {$i < 300 && [array size seen] < 3} {incr i} {
            set seen([r randomkey]) 1
        }
        assert_equal [lsort [array names seen]] {a b c}
    }

    test {DBSIZE - counts keys in the selected database} {
        r flushall
        r mset a 1 b 2
        assert_equal [r dbsize] 2
        r select 1
        assert_equal [r dbsize] 0
        r set x 1
        assert_equal [r dbsize] 1
        assert_error {ERR wrong number of arguments for 'dbsize' command} {r dbsize x}
    }

    test {FLUSHDB - empties only the selected database} {
        r flushall
        r set a 1
        r select 1
        r set b 1
        assert_equal [r flushdb] OK
        assert_equal [r dbsize] 0
        r select 0
        assert_equal [r dbsize] 1
    }

    test {FLUSHDB - ASYNC and SYNC} {
        r mset a 1 b 2
        assert_equal [r flushdb async] OK
        assert_equal [r dbsize] 0
        r mset a 1 b 2
        assert_equal [r flushdb SYNC] OK
        assert_equal [r dbsize] 0
        assert_error {ERR syntax error} {r flushdb foo}
    }

    test {FLUSHALL - empties every database} {
        r set a 1
        r select 5
        r set b 1
        assert_equal [r flushall] OK
        assert_equal [r dbsize] 0
        r select 0
        assert_equal [r dbsize] 0
    }

    test {FLUSHALL - ASYNC and SYNC} {
        r mset a 1 b 2
        assert_equal [r flushall async] OK
        assert_equal [r dbsize] 0
        r set a 1
        assert_equal [r flushall sync] OK
        assert_equal [r dbsize] 0
        assert_error {ERR syntax error} {r flushall async sync}
        assert_error {ERR syntax error} {r flushall foo}
    }

    test {SELECT - databases are separate keyspaces} {
        r flushall
        r set k db0
        assert_equal [r select 15] OK
        assert_equal [r get k] {}
        r set k db15
        r select 0
        assert_equal [r get k] db0
    }

    test {SELECT - the selection is per connection} {
        r flushall
        r select 3
        r set k v
        set c [redis_client]
        assert_equal [$c get k] {}
        assert_equal [$c dbsize] 0
    }

    test {SELECT - out of range and non-integer indexes} {
        assert_error {ERR DB index is out of range} {r select 16}
        assert_error {ERR DB index is out of range} {r select -1}
        assert_error {ERR value is not an integer or out of range} {r select abc}
        assert_error {ERR wrong number of arguments for 'select' command} {r select}
    }

    test {SWAPDB - swaps the contents of two databases} {
        r flushall
        r set k in0
        r select 1
        r set k in1
        r set only1 x
        assert_equal [r swapdb 0 1] OK
        assert_equal [r get k] in0
        assert_equal [r dbsize] 1
        r select 0
        assert_equal [r get k] in1
        assert_equal [r get only1] x
    }

    test {SWAPDB - other connections see the swap} {
        r flushall
        set c [redis_client]
        $c select 2
        r set k v
        r swapdb 0 2
        assert_equal [$c get k] v
        assert_equal [r exists k] 0
    }

    test {SWAPDB - a database swapped with itself is unchanged} {
        r flushall
        r set k v
        assert_equal [r swapdb 0 0] OK
        assert_equal [r get k] v
    }

    test {SWAPDB - errors} {
        assert_error {ERR invalid first DB index} {r swapdb a 1}
        assert_error {ERR invalid second DB index} {r swapdb 0 b}
        assert_error {ERR DB index is out of range} {r swapdb 0 16}
        assert_error {ERR DB index is out of range} {r swapdb 16 0}
        assert_error {ERR wrong number of arguments for 'swapdb' command} {r swapdb 0}
    }
}

start_server {overrides {databases 4} tags {keyspace}} {
    test {SELECT - the databases option bounds the index} {
        assert_equal [r select 3] OK
        assert_error {ERR DB index is out of range} {r select 4}
        assert_error {ERR DB index is out of range} {r move k 4}
    }
}

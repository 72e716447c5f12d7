# OBJECT and MEMORY: per-key introspection (encoding, idle time, access
# frequency) and memory reports, shaped as Redis's.

start_server {tags {object}} {
    test {OBJECT ENCODING - int, embstr and raw by content} {
        r set i 12345
        r set n -9223372036854775808
        r set big 92233720368547758070
        r set lead 0123
        r set s hello
        r set long [string repeat x 45]
        r set edge [string repeat x 44]
        assert_equal [r object encoding i] int
        assert_equal [r object encoding n] int
        assert_equal [r object encoding big] embstr
        assert_equal [r object encoding lead] embstr
        assert_equal [r object encoding s] embstr
        assert_equal [r object encoding edge] embstr
        assert_equal [r object encoding long] raw
    }

    test {OBJECT ENCODING - APPEND and SETRANGE make raw, INCR makes int} {
        r set a 1
        r append a 2
        assert_equal [r object encoding a] raw
        r set b x
        r setrange b 0 y
        assert_equal [r object encoding b] raw
        r incr a
        assert_equal [r object encoding a] int
        r del fresh
        r append fresh 7
        assert_equal [r object encoding fresh] int
    }

    test {OBJECT - a missing key replies null} {
        r del nokey
        assert_equal [r object encoding nokey] {}
        assert_equal [r object refcount nokey] {}
        assert_equal [r object idletime nokey] {}
    }

    test {OBJECT REFCOUNT - a stored string has one reference} {
        r set s [string repeat y 100]
        assert_equal [r object refcount s] 1
    }

    test {OBJECT IDLETIME - grows while the key is not read, resets on access} {
        r config set maxmemory-policy allkeys-lru
        r set idle v
        wait_for_condition 30 100 {
            [r object idletime idle] >= 1
        } else {
            fail "idle time did not grow"
        }
        r get idle
        assert_equal [r object idletime idle] 0
    }

    test {OBJECT FREQ - refused under an LRU policy, counts under LFU} {
        r config set maxmemory-policy allkeys-lru
        r set f v
        assert_error {ERR An LFU maxmemory policy is not selected*} {r object freq f}
        r config set maxmemory-policy allkeys-lfu
        r set f v
        set before [r object freq f]
        for {set i 0} {$i < 200} {incr i} { r get f }
        assert {[r object freq f] > $before}
        assert_error {ERR An LFU maxmemory policy is selected*} {r object idletime f}
        r config set maxmemory-policy allkeys-lru
    }

    test {OBJECT FREQ - writes to hashes, sets and bitmaps count as accesses} {
        r config set maxmemory-policy allkeys-lfu
        r del fh fs fb fe
        r hset fh n 0
        r sadd fs a
        r setbit fb 0 1
        r set fe v
        foreach {key write} {
            fh {hincrby fh n 1} fs {sadd fs a} fb {setbit fb 0 1} fe {expire fe 1000}
        } {
            set before [r object freq $key]
            for {set i 0} {$i < 200} {incr i} { r {*}$write }
            assert {[r object freq $key] > $before} "($write)"
        }
        r config set maxmemory-policy allkeys-lru
    }

    test {OBJECT - wrong arity and unknown subcommands} {
        assert_error {ERR wrong number of arguments for 'object|encoding' command} {r object encoding}
        assert_error {ERR unknown subcommand 'foo'. Try OBJECT HELP.} {r object foo k}
        assert_match {*ENCODING*} [r object help]
    }

    test {MEMORY USAGE - an integer covering the value, null for a missing key} {
        r set m [string repeat z 1000]
        set usage [r memory usage m]
        assert {$usage >= 1000 && $usage < 2000}
        assert_equal [r memory usage m samples 5] $usage
        r del nokey
        assert_equal [r memory usage nokey] {}
        assert_error {ERR syntax error} {r memory usage m samples}
    }

    test {MEMORY STATS - Redis's fields} {
        r set x y
        set stats [r memory stats]
        foreach field {peak.allocated total.allocated startup.allocated keys.count
                       dataset.bytes overhead.total fragmentation} {
            assert {[lsearch -exact $stats $field] >= 0} "missing $field"
        }
        set d [dict create {*}$stats]
        assert {[dict get $d keys.count] >= 1}
        assert {[dict get $d total.allocated] > 0}
    }

    test {MEMORY PURGE and HELP} {
        assert_equal [r memory purge] OK
        assert_match {*USAGE*} [r memory help]
    }
}

# Eviction quality: which keys survive when the budget forces evictions.
start_server {tags {maxmemory object}} {
    proc fill_range {prefix from to size} {
        set value [string repeat v $size]
        set rd [redis_deferring_client]
        for {set i $from} {$i < $to} {incr i} { $rd set $prefix:$i $value }
        for {set i $from} {$i < $to} {incr i} { $rd read }
        $rd close
    }

    test {maxmemory - allkeys-lru keeps a recently read set while cold keys go} {
        r flushall
        r config set maxmemory 0
        r config set maxmemory-policy allkeys-lru
        fill_range key 0 3000 500
        # Let the whole set age by one LRU tick, then read a hot tenth.
        wait_for_condition 30 100 {
            [r object idletime key:0] >= 1
        } else {
            fail "LRU clock did not tick"
        }
        for {set i 0} {$i < 3000} {incr i 10} { r get key:$i }
        # Force about half of the keys out.
        r config set maxmemory [expr {[s used_memory] - 750*1024}]
        fill_range new 0 1 500
        set hot 0
        for {set i 0} {$i < 3000} {incr i 10} { incr hot [r exists key:$i] }
        assert {[s evicted_keys] > 0} "dbsize [r dbsize], evicted [s evicted_keys]"
        assert {$hot >= 270} "only $hot of 300 hot keys survived"
        r config set maxmemory 0
    }

    test {maxmemory - allkeys-lfu keeps frequently read keys} {
        r flushall
        r config resetstat
        r config set maxmemory 0
        r config set maxmemory-policy allkeys-lfu
        fill_range key 0 3000 500
        for {set round 0} {$round < 20} {incr round} {
            for {set i 0} {$i < 3000} {incr i 10} { r get key:$i }
        }
        r config set maxmemory [expr {[s used_memory] - 750*1024}]
        fill_range new 0 1 500
        set hot 0
        for {set i 0} {$i < 3000} {incr i 10} { incr hot [r exists key:$i] }
        assert {[s evicted_keys] > 0} "dbsize [r dbsize], evicted [s evicted_keys]"
        assert {$hot >= 270} "only $hot of 300 hot keys survived"
        r config set maxmemory 0
        r config set maxmemory-policy allkeys-lru
    }
}

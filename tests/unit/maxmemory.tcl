# maxmemory and eviction policies: the data set stays inside the budget,
# policies pick their victims from the right keys, and noeviction refuses
# writes with Redis's OOM error while reads and DEL keep working.

proc used_memory {} {
    return [s used_memory]
}

# Redis evicts before a write, so one write's worth may sit above the
# limit afterwards (respite evicts after it too). Allow that much.
proc within_limit {limit} {
    return [expr {[used_memory] <= $limit + 64*1024}]
}

# Writes n keys prefix:0..n-1 with a value of size bytes, pipelined in
# batches so the suite stays fast.
proc fill_keys {prefix n size {ttl 0}} {
    set value [string repeat x $size]
    set rd [redis_deferring_client]
    for {set i 0} {$i < $n} {incr i} {
        if {$ttl > 0} {
            $rd set $prefix:$i $value ex $ttl
        } else {
            $rd set $prefix:$i $value
        }
        if {$i % 100 == 99} {
            for {set j 0} {$j < 100} {incr j} { $rd read }
        }
    }
    for {set j 0} {$j < $n % 100} {incr j} { $rd read }
    $rd close
}

# Every test starts from an empty server with no limit, whatever the one
# before it left: FLUSHALL frees in the background here
# (lazyfree-lazy-user-flush yes), so wait until it has, or a limit taken
# from used_memory now would be above the data once the old keys are gone.
proc fresh_start {} {
    r config set maxmemory 0
    r flushall
    wait_for_condition 500 10 {[s lazyfree_pending_objects] == 0} else {
        fail "FLUSHALL's background free did not finish"
    }
}

start_server {tags {maxmemory}} {
    test {maxmemory - allkeys-lru keeps used_memory within the limit} {
        fresh_start
        set limit [expr {[used_memory] + 2*1024*1024}]
        r config set maxmemory $limit
        r config set maxmemory-policy allkeys-lru
        fill_keys k 20000 1000
        assert {[within_limit $limit]} "used_memory [used_memory] limit $limit"
        assert {[s evicted_keys] > 0}
        assert {[r dbsize] < 20000}
        r config set maxmemory 0
    }

    test {maxmemory - allkeys-random evicts too} {
        fresh_start
        r config resetstat
        set limit [expr {[used_memory] + 2*1024*1024}]
        r config set maxmemory $limit
        r config set maxmemory-policy allkeys-random
        fill_keys k 10000 1000
        assert {[within_limit $limit]} "used_memory [used_memory] limit $limit"
        assert {[s evicted_keys] > 0}
        r config set maxmemory 0
    }

    test {maxmemory - volatile-lru never evicts a key without a TTL} {
        fresh_start
        fill_keys keep 500 1000
        set limit [expr {[used_memory] + 2*1024*1024}]
        r config set maxmemory $limit
        r config set maxmemory-policy volatile-lru
        fill_keys vol 10000 1000 100
        for {set i 0} {$i < 500} {incr i} {
            assert_equal [r exists keep:$i] 1
        }
        assert {[within_limit $limit]} "used_memory [used_memory] limit $limit"
        r config set maxmemory 0
    }

    test {maxmemory - volatile-ttl evicts the keys nearest to expiring first} {
        fresh_start
        fill_keys soon 300 1000 50
        fill_keys late 300 1000 100000
        set limit [expr {[used_memory] - 100*1024}]
        r config set maxmemory-policy volatile-ttl
        r config set maxmemory-samples 10
        r config set maxmemory $limit
        r set trigger x
        set soon 0
        set late 0
        for {set i 0} {$i < 300} {incr i} {
            incr soon [r exists soon:$i]
            incr late [r exists late:$i]
        }
        assert {$soon < $late}
        r config set maxmemory 0
        r config set maxmemory-samples 5
    }

    test {maxmemory - volatile policy with no volatile keys refuses writes} {
        fresh_start
        fill_keys k 2000 1000
        r config set maxmemory-policy volatile-lru
        r config set maxmemory [expr {[used_memory] - 100*1024}]
        assert_error {OOM command not allowed when used memory > 'maxmemory'.} {r set another value}
        r config set maxmemory 0
    }

    test {maxmemory - noeviction refuses writes, reads and DEL still work} {
        fresh_start
        fill_keys k 2000 1000
        r config set maxmemory-policy noeviction
        r config set maxmemory [expr {[used_memory] - 100*1024}]
        assert_error {OOM command not allowed when used memory > 'maxmemory'.} {r set another value}
        assert_error {OOM*} {r incr counter}
        assert_equal [r get k:1] [string repeat x 1000]
        assert_equal [r exists k:2] 1
        assert_equal [r del k:1] 1
        assert_equal [r dbsize] 1999
        assert_match {*rejected_calls=1*} [r info commandstats]
        r config set maxmemory 0
        assert_equal [r set another value] OK
    }

    test {maxmemory - lowering it with CONFIG SET shrinks the data set} {
        fresh_start
        r config set maxmemory-policy allkeys-lru
        fill_keys k 5000 1000
        set limit [expr {[used_memory] - 2*1024*1024}]
        r config set maxmemory $limit
        wait_for_condition 100 50 {
            [r set probe x] eq {OK} && [within_limit $limit]
        } else {
            fail "used_memory [used_memory] stayed above $limit"
        }
        assert {[r dbsize] < 5000}
        r config set maxmemory 0
    }

    test {maxmemory - used_memory is within the limit after every write} {
        fresh_start
        r config set maxmemory-policy allkeys-lru
        set limit [expr {[used_memory] + 1024*1024}]
        r config set maxmemory $limit
        set value [string repeat y 2000]
        for {set i 0} {$i < 2000} {incr i} {
            r set w:$i $value
            if {$i % 50 == 0} {
                assert {[used_memory] <= $limit} "after write $i: [used_memory] > $limit"
            }
        }
        r config set maxmemory 0
    } {respite-only strict-timing}
}

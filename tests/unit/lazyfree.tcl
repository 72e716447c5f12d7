# Freeing big values in the background: the lazyfree-lazy-* directives,
# UNLINK, DEL, overwrites and FLUSHALL, seen through INFO's
# lazyfree_pending_objects and lazyfreed_objects. A value counts as big
# past 64 elements (Redis's LAZYFREE_THRESHOLD). respite defaults every
# lazyfree-lazy-* directive to yes (Redis: no); those tests are
# respite-only, the others set what they need.

# Fills KEY with a hash of N fields (one HSET per 500).
proc lazy_big_hash {key n} {
    for {set i 0} {$i < $n} {incr i 500} {
        set args {}
        for {set j $i} {$j < $i + 500 && $j < $n} {incr j} { lappend args f$j v$j }
        r hset $key {*}$args
    }
}

proc lazy_freed {} { s lazyfreed_objects memory }

# Waits until nothing is pending (the freeing thread is done).
proc lazy_wait_idle {} {
    wait_for_condition 200 10 {[s lazyfree_pending_objects memory] == 0} else {
        fail "lazyfree_pending_objects stays at [s lazyfree_pending_objects memory]"
    }
}

start_server {tags {lazyfree}} {
    test {CONFIG - the lazyfree-lazy-* directives default to yes in respite} {
        foreach d {eviction expire server-del user-del user-flush} {
            assert_equal [r config get lazyfree-lazy-$d] [list lazyfree-lazy-$d yes]
        }
    } {respite-only}

    test {UNLINK - a big hash is freed in the background, a small one at once} {
        r flushall sync
        lazy_wait_idle
        r config resetstat
        set before [lazy_freed]
        lazy_big_hash big 2000
        r hset small a 1
        assert_equal [r unlink big small] 2
        assert_equal [r exists big small] 0
        lazy_wait_idle
        assert_equal [lazy_freed] [expr {$before + 1}]
    }

    test {UNLINK - a list of many nodes is freed in the background, a short one at once} {
        # A list's freeing effort is its node count (Redis's quicklist
        # length): 10,000 elements of 100 bytes fill well over 64 nodes
        # of 8 KB; 1,000 of 3 bytes fit in one.
        r config resetstat
        set before [lazy_freed]
        set v [string repeat x 100]
        for {set i 0} {$i < 10000} {incr i 500} {
            r rpush biglist {*}[lrepeat 500 $v]
        }
        r rpush shortlist {*}[lrepeat 1000 abc]
        assert_equal [r unlink biglist shortlist] 2
        assert_equal [r exists biglist shortlist] 0
        lazy_wait_idle
        assert_equal [lazy_freed] [expr {$before + 1}]
    }

    test {DEL - follows lazyfree-lazy-user-del} {
        r config set lazyfree-lazy-user-del no
        set before [lazy_freed]
        lazy_big_hash big 2000
        assert_equal [r del big] 1
        lazy_wait_idle
        assert_equal [lazy_freed] $before
        r config set lazyfree-lazy-user-del yes
        lazy_big_hash big 2000
        assert_equal [r del big] 1
        lazy_wait_idle
        assert_equal [lazy_freed] [expr {$before + 1}]
    }

    test {SET over a big hash - follows lazyfree-lazy-server-del} {
        r config set lazyfree-lazy-server-del yes
        set before [lazy_freed]
        lazy_big_hash big 2000
        r set big now-a-string
        lazy_wait_idle
        assert_equal [lazy_freed] [expr {$before + 1}]
        assert_equal [r get big] now-a-string
        r config set lazyfree-lazy-server-del no
        lazy_big_hash big2 2000
        r set big2 x
        lazy_wait_idle
        assert_equal [lazy_freed] [expr {$before + 1}]
    }

    test {Expiry - a big hash whose TTL passes follows lazyfree-lazy-expire} {
        r config set lazyfree-lazy-expire yes
        set before [lazy_freed]
        lazy_big_hash exp 2000
        r pexpire exp 50
        wait_for_condition 100 20 {[r exists exp] == 0} else {
            fail "the hash did not expire"
        }
        lazy_wait_idle
        assert_equal [lazy_freed] [expr {$before + 1}]
        r config set lazyfree-lazy-expire no
        lazy_big_hash exp 2000
        r pexpire exp 50
        wait_for_condition 100 20 {[r exists exp] == 0} else {
            fail "the hash did not expire"
        }
        lazy_wait_idle
        assert_equal [lazy_freed] [expr {$before + 1}]
    }

    test {FLUSHALL ASYNC - the keys are gone at once and counted when freed} {
        r flushall sync
        lazy_wait_idle
        set before [lazy_freed]
        for {set i 0} {$i < 100} {incr i} { r set k$i v }
        r flushall async
        assert_equal [r dbsize] 0
        lazy_wait_idle
        assert_equal [lazy_freed] [expr {$before + 100}]
    }

    test {FLUSHALL - without a mode follows lazyfree-lazy-user-flush} {
        r config set lazyfree-lazy-user-flush no
        set before [lazy_freed]
        for {set i 0} {$i < 10} {incr i} { r set k$i v }
        r flushall
        lazy_wait_idle
        assert_equal [lazy_freed] $before
        r config set lazyfree-lazy-user-flush yes
        for {set i 0} {$i < 10} {incr i} { r set k$i v }
        r flushall
        lazy_wait_idle
        assert_equal [lazy_freed] [expr {$before + 10}]
    }

    test {CONFIG RESETSTAT - zeroes lazyfreed_objects} {
        r config resetstat
        assert_equal [lazy_freed] 0
    }

    test {Memory - used_memory falls back once a big hash is unlinked} {
        r flushall sync
        lazy_wait_idle
        set empty [s used_memory memory]
        lazy_big_hash big 20000
        set full [s used_memory memory]
        assert {$full - $empty > 500000}
        r unlink big
        lazy_wait_idle
        set after [s used_memory memory]
        assert {$after - $empty < ($full - $empty) / 10}
    }
}

# CLIENT PAUSE and UNPAUSE: which requests wait (WRITE or ALL), that they
# run in order once the pause ends (UNPAUSE or its time), that nothing
# expires meanwhile, and the argument errors. Every pause here is ended
# by the test itself (UNPAUSE) or lasts a fraction of a second.

proc pause_blocked_count {} {
    set n 0
    foreach line [split [r client list] "\n"] {
        if {[regexp {flags=(\S*)} $line -> f] && [string first b $f] >= 0} { incr n }
    }
    return $n
}

proc pause_wait_blocked {want} {
    wait_for_condition 100 10 {[pause_blocked_count] == $want} else {
        error "expected $want waiting clients, have [pause_blocked_count]"
    }
}

start_server {tags {pause}} {
    test {CLIENT PAUSE - WRITE lets reads run and holds writes until UNPAUSE} {
        r del pause:k
        r client pause 100000 write
        assert_equal [r get pause:k] {}
        set c [redis_deferring_client]
        $c set pause:k v1
        $c incr pause:n
        pause_wait_blocked 1
        assert_equal [r get pause:k] {}
        r client unpause
        assert_equal [$c read] OK
        assert_equal [$c read] 1
        assert_equal [r get pause:k] v1
        $c close
        r del pause:k pause:n
    }

    test {CLIENT PAUSE - WRITE holds EVAL and a write being queued in MULTI, not a read-only EXEC} {
        r client pause 100000 write
        set c [redis_deferring_client]
        $c multi
        assert_equal [$c read] OK
        $c get pause:x
        assert_equal [$c read] QUEUED
        $c exec
        assert_equal [$c read] {{}}
        $c multi
        assert_equal [$c read] OK
        # The pause is checked before MULTI queues a command.
        $c set pause:x 1
        $c exec
        pause_wait_blocked 1
        set e [redis_deferring_client]
        $e eval {return redis.call('set', KEYS[1], 'e')} 1 pause:y
        pause_wait_blocked 2
        assert_equal [r mget pause:x pause:y] {{} {}}
        r client unpause
        assert_equal [$c read] QUEUED
        assert_equal [$c read] OK
        assert_equal [$e read] OK
        assert_equal [r mget pause:x pause:y] {1 e}
        $c close
        $e close
        r del pause:x pause:y
    }

    test {CLIENT PAUSE - ALL holds every command until the time is up} {
        set c [redis_deferring_client]
        set start [clock milliseconds]
        r client pause 300 all
        $c ping
        assert_equal [$c read] PONG
        set took [expr {[clock milliseconds] - $start}]
        assert_range $took 200 5000
        $c close
    }

    test {CLIENT PAUSE - keys do not expire during a pause, and do once it ends} {
        r set pause:e v px 50
        r client pause 100000 write
        after 150
        assert_equal [r get pause:e] {}
        assert_equal [r exists pause:e] 0
        assert_equal [r dbsize] 1
        r client unpause
        wait_for_condition 100 10 {[r dbsize] == 0} else {
            error "the expired key stayed after the pause"
        }
    }

    test {CLIENT PAUSE - a later pause only extends the end, and UNPAUSE ends it at once} {
        r client pause 100000 write
        r client pause 10 write
        set c [redis_deferring_client]
        $c set pause:z 1
        after 100
        pause_wait_blocked 1
        r client unpause
        assert_equal [$c read] OK
        $c close
        r del pause:z
    }

    test {CLIENT PAUSE - argument errors} {
        assert_error {ERR CLIENT PAUSE mode must be WRITE or ALL} {r client pause 10 some}
        assert_error {ERR timeout is not an integer or out of range} {r client pause abc}
        assert_error {ERR timeout is not an integer or out of range} {r client pause 1.5}
        assert_error {ERR timeout is negative} {r client pause -1}
        assert_error {ERR wrong number of arguments for 'client|unpause' command} {r client unpause x}
        assert_equal [r client unpause] OK
    }
}

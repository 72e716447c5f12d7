# Long-running scripts: BUSY past busy-reply-threshold, SCRIPT KILL, UNKILLABLE, SHUTDOWN NOSAVE.

set ::busy_err {BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.}

# The sha1 of a script body, as the server computes it. Call it before the
# script runs: once it is busy the server answers nothing but BUSY.
proc busy_script_sha {body} {
    return [r eval {return redis.sha1hex(ARGV[1])} 0 $body]
}

# The error a killed script replies to its caller.
proc busy_killed_error {sha line} {
    return "ERR Script killed by user with SCRIPT KILL... script: $sha, on @user_script:$line."
}

# Waits until [r ping] answers BUSY. While a script runs the server reads
# nothing until busy-reply-threshold passes, so each PING blocks that long at
# most, then gets BUSY; PONG means the script has not started (or ended).
proc wait_busy {} {
    wait_for_condition 50 20 {
        [catch {r ping} e] && $e eq $::busy_err
    } else {
        fail "the server never replied BUSY (last reply: '$e')"
    }
}

start_server {overrides {busy-reply-threshold 100} tags {scripting}} {
    test {EVAL - other clients get BUSY while a script loops; SCRIPT KILL ends it} {
        set body {while true do end}
        set sha [busy_script_sha $body]
        set rd [redis_deferring_client]
        $rd eval $body 0
        wait_busy
        assert_error $::busy_err {r get k}
        assert_error $::busy_err {r eval {return 1} 0}
        assert_error $::busy_err {r script load {return 1}}
        # Plain SHUTDOWN is refused too: only SHUTDOWN NOSAVE may stop it.
        assert_error $::busy_err {r shutdown}
        assert_equal [r script kill] OK
        assert_error [busy_killed_error $sha 1] {$rd read}
        assert_equal [r ping] PONG
        $rd ping
        assert_equal [$rd read] PONG
        assert_error {NOTBUSY No scripts in execution right now.} {r script kill}
    }

    test {MULTI - allowed while a script is busy, EXEC aborts with the BUSY error} {
        set rd [redis_deferring_client]
        $rd eval {while true do end} 0
        wait_busy
        assert_equal [r multi] OK
        assert_error "EXECABORT Transaction discarded because of: $::busy_err" {r exec}
        # A command queued while busy is refused and dooms the transaction.
        assert_equal [r multi] OK
        assert_error $::busy_err {r ping}
        assert_error "EXECABORT Transaction discarded because of: $::busy_err" {r exec}
        assert_equal [r script kill] OK
        assert_error {ERR Script killed by user with SCRIPT KILL...*} {$rd read}
        # The aborted transaction is gone: commands run again.
        assert_equal [r ping] PONG
        assert_error {ERR EXEC without MULTI} {r exec}
    }

    test {SCRIPT KILL - from a connection opened while the script is busy} {
        set rd [redis_deferring_client]
        $rd eval {while true do end} 0
        wait_busy
        set late [redis_client]
        assert_error $::busy_err {$late ping}
        assert_equal [$late script kill] OK
        assert_error {ERR Script killed by user with SCRIPT KILL...*} {$rd read}
        assert_equal [$late ping] PONG
    }

    test {SCRIPT KILL - a loop inside pcall is killed too} {
        # The kill is raised again on the next line, so pcall cannot swallow
        # it: the script does not reach its return.
        set body "pcall(function() while true do end end)\nreturn 'survived'"
        set sha [busy_script_sha $body]
        set rd [redis_deferring_client]
        $rd eval $body 0
        wait_busy
        assert_equal [r script kill] OK
        assert_error [busy_killed_error $sha 2] {$rd read}
        assert_equal [r ping] PONG
    }

    test {SCRIPT KILL - EVALSHA and EVAL_RO scripts are killable} {
        set sha [r script load {while true do end}]
        foreach cmd [list [list evalsha $sha 0] [list eval_ro {while true do end} 0]] {
            set rd [redis_deferring_client]
            $rd {*}$cmd
            wait_busy
            assert_equal [r script kill] OK
            assert_error {ERR Script killed by user with SCRIPT KILL...*} {$rd read}
            $rd close
        }
        assert_equal [r ping] PONG
    }

    test {EVAL - a script shorter than the threshold makes others wait, not BUSY} {
        r del busy:short
        set rd [redis_deferring_client]
        # Writes "started", spins on TIME for about 30 ms (bounded), well
        # under the 100 ms, then writes "done". Another client polling the
        # key meanwhile never gets BUSY and never sees "started": the
        # script is one unit (it waits, or reads the value from before).
        $rd eval {
            redis.call('set', 'busy:short', 'started')
            local t0 = redis.call('time')
            for i = 1, 10000000 do
                local t = redis.call('time')
                if (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > 30000 then break end
            end
            redis.call('set', 'busy:short', 'done')
            return 'finished'
        } 0
        unset -nocomplain short_seen
        set short_seen {}
        for {set i 0} {$i < 200} {incr i} {
            set v [r get busy:short]
            if {$v ni $short_seen} { lappend short_seen $v }
            if {$v eq "done"} break
            after 1
        }
        assert_equal [r ping] PONG
        assert_equal [lindex $short_seen end] done
        assert {"started" ni $short_seen} "a reader saw the script half done: $short_seen"
        assert_equal [$rd read] finished
    }

    test {CONFIG SET - busy-reply-threshold and its alias lua-time-limit} {
        assert_equal [r config get busy-reply-threshold] {busy-reply-threshold 100}
        assert_equal [r config get lua-time-limit] {lua-time-limit 100}
        assert_equal [r config set lua-time-limit 250] OK
        assert_equal [r config get busy-reply-threshold] {busy-reply-threshold 250}
        assert_equal [r config set busy-reply-threshold 100] OK
        assert_equal [r config get lua-time-limit] {lua-time-limit 100}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'busy-reply-threshold') - argument must be between 0 and 9223372036854775807 inclusive} \
            {r config set busy-reply-threshold -1}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'busy-reply-threshold') - argument couldn't be parsed into an integer} \
            {r config set busy-reply-threshold abc}
        assert_equal [r config get busy-reply-threshold] {busy-reply-threshold 100}
    }
}

# Its own server: the test ends with SHUTDOWN NOSAVE.
start_server {overrides {busy-reply-threshold 100} tags {scripting}} {
    test {SCRIPT KILL - UNKILLABLE once the script wrote; SHUTDOWN NOSAVE stops the server} {
        set rd [redis_deferring_client]
        $rd eval "redis.call('set','busy:w','1')\nwhile true do end" 0
        wait_busy
        assert_error {UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.} \
            {r script kill}
        assert_error $::busy_err {r get busy:w}
        assert_error $::busy_err {r shutdown}
        server_expect_exit
        # The server exits without replying.
        assert_error {I/O error*} {r shutdown nosave}
        wait_for_condition 100 50 {![srv_pid_alive [srv pid]]} else {
            fail "the server did not exit after SHUTDOWN NOSAVE"
        }
        assert_equal [$rd wait_close 1000] 1
    }
}

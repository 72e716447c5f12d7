# Transactions: MULTI/EXEC/DISCARD and WATCH/UNWATCH with Redis's replies.

start_server {tags {multi}} {
    test {MULTI - commands are queued and EXEC replies with all results} {
        r del a
        assert_equal [r multi] OK
        assert_equal [r set a 1] QUEUED
        assert_equal [r incr a] QUEUED
        assert_equal [r get a] QUEUED
        assert_equal [r exec] {OK 2 2}
    }

    test {EXEC - an empty transaction replies an empty array} {
        r multi
        assert_equal [r exec] {}
    }

    test {MULTI - nested MULTI is an error that does not abort the transaction} {
        r del a
        r multi
        assert_error {ERR MULTI calls can not be nested} {r multi}
        r set a v
        assert_equal [r exec] OK
        assert_equal [r get a] v
    }

    test {EXEC - without MULTI is an error; DISCARD too} {
        assert_error {ERR EXEC without MULTI} {r exec}
        assert_error {ERR DISCARD without MULTI} {r discard}
    }

    test {EXEC - a queued unknown command or wrong arity aborts with EXECABORT} {
        r del a
        r multi
        r set a 1
        assert_error {ERR unknown command*} {r foobar}
        assert_error {EXECABORT Transaction discarded because of previous errors.} {r exec}
        assert_equal [r exists a] 0
        r multi
        assert_error {ERR wrong number of arguments for 'get' command} {r get}
        assert_error {EXECABORT*} {r exec}
    }

    test {MULTI - SHUTDOWN is refused inside a transaction, which then aborts} {
        r del a
        r multi
        r set a 1
        # Had it been queued, DISCARD still keeps the server up.
        if {[catch {r shutdown nosave} e]} {
            assert_match {ERR Command not allowed inside a transaction} $e
            assert_error {EXECABORT Transaction discarded because of previous errors.} {r exec}
        } else {
            r discard
            fail "SHUTDOWN was queued: $e"
        }
        assert_equal [r exists a] 0
        assert_equal [r ping] PONG
    }

    test {EXEC - errors while running do not roll back the others} {
        r del a s
        r set s notanumber
        set c [raw_connect]
        $c write_raw "MULTI\r\nSET a 1\r\nINCR s\r\nINCR a\r\nEXEC\r\n"
        set lines {}
        for {set i 0} {$i < 8} {incr i} { lappend lines [$c read] }
        assert_equal $lines [list +OK +QUEUED +QUEUED +QUEUED *3 +OK \
            {-ERR value is not an integer or out of range} :2]
        assert_equal [r get a] 2
        $c close
    }

    test {DISCARD - drops the queue} {
        r del a
        r multi
        r set a 1
        assert_equal [r discard] OK
        assert_equal [r exists a] 0
        assert_equal [r ping] PONG
    }

    test {WATCH - EXEC fails when another client changed the key} {
        r del k
        r set k 1
        r watch k
        set other [redis_client]
        $other set k 2
        r multi
        r set k 3
        assert_equal [r exec] {}
        assert_equal [r get k] 2
        $other close
    }

    test {WATCH - EXEC runs when the key did not change} {
        r set k 1
        r watch k
        r multi
        r incr k
        assert_equal [r exec] 2
    }

    test {WATCH - a change by the same client also counts} {
        r set k 1
        r watch k
        r set k 5
        r multi
        r incr k
        assert_equal [r exec] {}
    }

    test {WATCH - deleting, expiring or touching by EXPIRE the key aborts EXEC} {
        set other [redis_client]
        r set k 1
        r watch k
        $other del k
        r multi
        r ping
        assert_equal [r exec] {}
        r set k 1
        r watch k
        $other expire k 100
        r multi
        r ping
        assert_equal [r exec] {}
        r set k 1 px 50
        r watch k
        after 100
        r multi
        r ping
        assert_equal [r exec] {}
        $other close
    }

    test {WATCH - a missing key that is created aborts EXEC} {
        r del nokey
        r watch nokey
        set other [redis_client]
        $other set nokey x
        r multi
        r ping
        assert_equal [r exec] {}
        $other close
    }

    test {WATCH - FLUSHALL and FLUSHDB abort EXEC when the key existed} {
        r set k 1
        r watch k
        r flushdb
        r multi
        r ping
        assert_equal [r exec] {}
    }

    test {UNWATCH - forgets watched keys} {
        set other [redis_client]
        r set k 1
        r watch k
        r unwatch
        $other set k 2
        r multi
        r incr k
        assert_equal [r exec] 3
        $other close
    }

    test {WATCH - inside MULTI is an error} {
        r multi
        assert_error {ERR WATCH inside MULTI is not allowed} {r watch k}
        assert_equal [r exec] {}
    }

    test {EXEC - watched keys are cleared after EXEC and DISCARD} {
        set other [redis_client]
        r set k 1
        r watch k
        r multi
        r ping
        r exec
        $other set k 9
        r multi
        r incr k
        assert_equal [r exec] 10
        r watch k
        r multi
        r discard
        $other set k 1
        r multi
        r incr k
        assert_equal [r exec] 2
        $other close
    }

    test {RESET - discards a transaction in progress} {
        r del a
        r multi
        r set a 1
        assert_equal [r reset] RESET
        assert_error {ERR EXEC without MULTI} {r exec}
        assert_equal [r exists a] 0
    }

    test {MULTI - SELECT inside a transaction applies to the commands after it} {
        r select 0
        r del k
        r select 1
        r del k
        r select 0
        r multi
        r select 1
        r set k in1
        r select 0
        r set k in0
        r exec
        assert_equal [r get k] in0
        r select 1
        assert_equal [r get k] in1
        r select 0
    }
}

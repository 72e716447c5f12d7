# Key expiry: EXPIRE and friends with their flags, TTL queries, lazy expiry
# on access and active expiry of keys nobody reads. Waits are short PX
# values polled with wait_for_condition, never long sleeps.

start_server {tags {expire}} {
    test {EXPIRE - sets a TTL in seconds} {
        r set k v
        assert_equal [r expire k 100] 1
        assert_range [r ttl k] 99 100
        assert_range [r pttl k] 98000 100000
        assert_equal [r get k] v
    }

    test {EXPIRE - a missing key replies 0} {
        r del nokey
        assert_equal [r expire nokey 100] 0
        assert_equal [r pexpire nokey 100] 0
        assert_equal [r expireat nokey 4000000000] 0
        assert_equal [r pexpireat nokey 4000000000000] 0
        assert_equal [r exists nokey] 0
    }

    test {EXPIRE - replaces an existing TTL} {
        r set k v ex 100
        assert_equal [r expire k 1000] 1
        assert_range [r ttl k] 999 1000
    }

    test {PEXPIRE - sets a TTL in milliseconds} {
        r set k v
        assert_equal [r pexpire k 100000] 1
        assert_range [r pttl k] 99000 100000
        assert_range [r ttl k] 99 100
    }

    test {EXPIREAT - sets an absolute time in seconds} {
        r set k v
        assert_equal [r expireat k 4000000000] 1
        assert_equal [r expiretime k] 4000000000
        assert_equal [r pexpiretime k] 4000000000000
    }

    test {PEXPIREAT - sets an absolute time in milliseconds} {
        r set k v
        assert_equal [r pexpireat k 4000000000123] 1
        assert_equal [r pexpiretime k] 4000000000123
        assert_equal [r expiretime k] 4000000000
    }

    test {EXPIRETIME - rounds milliseconds to the nearest second} {
        r set k v
        r pexpireat k 4000000000999
        assert_equal [r expiretime k] 4000000001
        r pexpireat k 4000000000499
        assert_equal [r expiretime k] 4000000000
    }

    test {TTL - rounds the remaining time to the nearest second} {
        r set k v
        r pexpire k 100000900
        assert_equal [r ttl k] 100001
        r pexpire k 100000100
        assert_equal [r ttl k] 100000
    }

    test {TTL - -1 without a TTL, -2 for a missing key} {
        r set k v
        r del nokey
        assert_equal [r ttl k] -1
        assert_equal [r pttl k] -1
        assert_equal [r expiretime k] -1
        assert_equal [r pexpiretime k] -1
        assert_equal [r ttl nokey] -2
        assert_equal [r pttl nokey] -2
        assert_equal [r expiretime nokey] -2
        assert_equal [r pexpiretime nokey] -2
    }

    test {PERSIST - removes the TTL} {
        r set k v ex 100
        assert_equal [r persist k] 1
        assert_equal [r ttl k] -1
        assert_equal [r persist k] 0
        r del nokey
        assert_equal [r persist nokey] 0
        assert_error {ERR wrong number of arguments for 'persist' command} {r persist}
    }

    test {EXPIRE - NX sets a TTL only when there is none} {
        r set k v
        assert_equal [r expire k 100 nx] 1
        assert_equal [r expire k 200 nx] 0
        assert_range [r ttl k] 99 100
    }

    test {EXPIRE - XX sets a TTL only when there is one} {
        r set k v
        assert_equal [r expire k 100 xx] 0
        assert_equal [r ttl k] -1
        r expire k 100
        assert_equal [r expire k 200 xx] 1
        assert_range [r ttl k] 199 200
    }

    test {EXPIRE - GT only raises the TTL} {
        r set k v ex 100
        assert_equal [r expire k 50 gt] 0
        assert_range [r ttl k] 99 100
        assert_equal [r expire k 300 gt] 1
        assert_range [r ttl k] 299 300
    }

    test {EXPIRE - LT only lowers the TTL} {
        r set k v ex 100
        assert_equal [r expire k 200 lt] 0
        assert_equal [r expire k 50 lt] 1
        assert_range [r ttl k] 49 50
    }

    test {EXPIRE - a key without TTL counts as an infinite TTL for GT and LT} {
        r set k v
        assert_equal [r expire k 100 gt] 0
        assert_equal [r ttl k] -1
        assert_equal [r expire k 100 lt] 1
        assert_range [r ttl k] 99 100
    }

    test {EXPIRE - XX with GT or LT} {
        r set k v
        assert_equal [r expire k 100 xx gt] 0
        assert_equal [r ttl k] -1
        r expire k 100
        assert_equal [r expire k 200 xx gt] 1
        assert_equal [r expire k 50 xx lt] 1
        assert_range [r ttl k] 49 50
    }

    test {PEXPIRE - flags work on millisecond TTLs} {
        r set k v px 100000
        assert_equal [r pexpire k 50000 gt] 0
        assert_equal [r pexpire k 50000 lt] 1
        assert_equal [r pexpireat k 4000000000000 nx] 0
        assert_equal [r expireat k 4000000000 gt] 1
        assert_equal [r expiretime k] 4000000000
    }

    test {EXPIRE - flags are case insensitive and may repeat} {
        r set k v
        assert_equal [r expire k 100 Nx] 1
        assert_equal [r expire k 50 lt LT] 1
        assert_range [r ttl k] 49 50
    }

    test {EXPIRE - incompatible flags} {
        r set k v
        set nx_err {ERR NX and XX, GT or LT options at the same time are not compatible}
        assert_error $nx_err {r expire k 100 nx xx}
        assert_error $nx_err {r expire k 100 nx gt}
        assert_error $nx_err {r expire k 100 lt nx}
        assert_error {ERR GT and LT options at the same time are not compatible} {r expire k 100 gt lt}
        assert_error $nx_err {r pexpire k 100 nx xx}
        assert_error $nx_err {r expireat k 4000000000 nx xx}
        assert_error $nx_err {r pexpireat k 4000000000000 xx nx}
        assert_equal [r ttl k] -1
    }

    test {EXPIRE - unknown option} {
        r set k v
        assert_error {ERR Unsupported option foo} {r expire k 100 foo}
        assert_error {ERR Unsupported option 20} {r expire k 10 20}
        assert_error {ERR Unsupported option bar} {r pexpire k 10 nx bar}
    }

    test {EXPIRE - time that is not an integer} {
        r set k v
        assert_error {ERR value is not an integer or out of range} {r expire k abc}
        assert_error {ERR value is not an integer or out of range} {r expire k 1.5}
        assert_error {ERR value is not an integer or out of range} {r pexpire k ""}
        assert_error {ERR value is not an integer or out of range} {r expireat k 99999999999999999999}
        assert_equal [r ttl k] -1
    }

    test {EXPIRE - time that overflows is an invalid expire time} {
        r set k v
        assert_error {ERR invalid expire time in 'expire' command} {r expire k 9223372036854775807}
        assert_error {ERR invalid expire time in 'expire' command} {r expire k 9223372036854775}
        assert_error {ERR invalid expire time in 'expire' command} {r expire k -9223372036854775808}
        assert_error {ERR invalid expire time in 'pexpire' command} {r pexpire k 9223372036854775807}
        assert_error {ERR invalid expire time in 'expireat' command} {r expireat k 9223372036854775807}
        assert_error {ERR invalid expire time in 'expireat' command} {r expireat k -9223372036854775808}
        assert_equal [r get k] v
        assert_equal [r ttl k] -1
    }

    test {PEXPIREAT - the largest time is accepted} {
        r set k v
        assert_equal [r pexpireat k 9223372036854775807] 1
        assert_equal [r pexpiretime k] 9223372036854775807
        assert {[r pttl k] > 0}
        assert_equal [r get k] v
    }

    test {EXPIRE - zero or negative time deletes the key} {
        foreach {cmd t} {expire 0 expire -5 pexpire 0 pexpire -1000} {
            r set k v
            assert_equal [r $cmd k $t] 1 "($cmd $t)"
            assert_equal [r exists k] 0 "($cmd $t)"
        }
    }

    test {EXPIREAT - a time in the past deletes the key} {
        r set k v
        assert_equal [r expireat k 1] 1
        assert_equal [r exists k] 0
        r set k v
        assert_equal [r pexpireat k [expr {[clock milliseconds] - 1000}]] 1
        assert_equal [r exists k] 0
        r set k v
        assert_equal [r expireat k 0] 1
        assert_equal [r exists k] 0
    }

    test {EXPIRE - wrong number of arguments} {
        assert_error {ERR wrong number of arguments for 'expire' command} {r expire k}
        assert_error {ERR wrong number of arguments for 'pexpireat' command} {r pexpireat k}
        assert_error {ERR wrong number of arguments for 'ttl' command} {r ttl}
        assert_error {ERR wrong number of arguments for 'pttl' command} {r pttl a b}
        assert_error {ERR wrong number of arguments for 'expiretime' command} {r expiretime}
    }

    test {SET - a key with PX disappears after its TTL} {
        r set k v px 100
        assert_equal [r get k] v
        wait_for_condition 100 20 {[r get k] eq ""} else {
            fail "key with PX 100 still there after 2 s"
        }
        assert_equal [r exists k] 0
        assert_equal [r ttl k] -2
    }

    test {PEXPIRE - a key disappears after its TTL} {
        r set k v
        r pexpire k 100
        assert_equal [r exists k] 1
        wait_for_condition 100 20 {[r exists k] == 0} else {
            fail "key with PEXPIRE 100 still there after 2 s"
        }
    }

    test {EXPIRE - expired keys are invisible to reads} {
        r flushdb
        r set keep v
        foreach k {a b c d e f g h sentinel} { r set $k v px 100 }
        # The sentinel was set last: once it is gone, all of them expired.
        wait_for_condition 100 20 {[r pttl sentinel] == -2} else {
            fail "sentinel key did not expire"
        }
        assert_equal [r get a] {}
        assert_equal [r exists b] 0
        assert_equal [r mget c keep] {{} v}
        assert_equal [r strlen d] 0
        assert_equal [r type e] none
        assert_equal [r ttl f] -2
        assert_equal [r keys *] keep
        assert_equal [lindex [r scan 0 count 1000] 1] keep
        assert_equal [r getrange g 0 -1] {}
        assert_equal [r exists h] 0
    }

    test {EXPIRE - an expired key can be set again without its old TTL} {
        r set k old px 50
        wait_for_condition 100 20 {[r exists k] == 0} else {
            fail "key did not expire"
        }
        r set k new
        assert_equal [r get k] new
        assert_equal [r ttl k] -1
    }

    test {EXPIRE - INCR on an expired key starts from 0} {
        r set n 100 px 50
        wait_for_condition 100 20 {[r exists n] == 0} else {
            fail "key did not expire"
        }
        assert_equal [r incr n] 1
        assert_equal [r ttl n] -1
    }

    test {EXPIRE - expired keys are counted in INFO expired_keys} {
        set before [s expired_keys]
        foreach k {x1 x2 x3} { r set $k v px 50 }
        wait_for_condition 100 20 {
            [r exists x1] == 0 && [r exists x2] == 0 && [r exists x3] == 0
        } else {
            fail "keys did not expire"
        }
        assert {[s expired_keys] >= $before + 3}
    }

    test {EXPIRE - active expiry removes keys nobody reads} {
        r flushdb
        for {set i 0} {$i < 100} {incr i} { r set vol:$i v px 100 }
        r set persistent v
        assert_equal [r dbsize] 101
        # DBSIZE does not touch keys, so only the server's own cycle can
        # bring the count down.
        wait_for_condition 150 20 {[r dbsize] == 1} else {
            fail "active expiry left [r dbsize] keys after 3 s"
        }
        assert_equal [r get persistent] v
    }

    test {EXPIRE - INFO keyspace counts keys with a TTL} {
        r flushall
        r set a 1
        r set b 2 ex 100
        r set c 3 ex 100
        assert_match {*db0:keys=3,expires=2,avg_ttl=*} [r info keyspace]
        r persist b
        assert_match {*db0:keys=3,expires=1,avg_ttl=*} [r info keyspace]
    }

    test {EXPIRE - DEL then SET does not keep the old TTL} {
        r set k v ex 100
        r del k
        r set k v
        assert_equal [r ttl k] -1
    }

    test {EXPIRE - the TTL follows the key through RENAME and MOVE} {
        r flushall
        r set k v ex 100
        r rename k k2
        assert_range [r ttl k2] 99 100
        r move k2 1
        r select 1
        assert_range [r ttl k2] 99 100
    }
}

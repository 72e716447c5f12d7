# Blocking commands: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN,
# BZPOPMAX and BZMPOP. For each: the immediate serve when data exists, the
# block served by another client's write, fractional timeouts, timeout 0,
# argument errors with their exact strings and their order (the timeout is
# parsed before any key is looked at; BLMPOP and BZMPOP check numkeys, the
# direction and COUNT first), WRONGTYPE before blocking, nil replies in RESP2
# and RESP3. Then the rules between clients: FIFO order of waiters, one push
# serving several waiters, a waiter on several keys, BLMOVE chains, MULTI/EXEC
# and scripts (no blocking inside; a push inside is seen only once EXEC or
# the script ends), a key recreated as another type, CLIENT UNBLOCK, a waiter
# that disconnects, INFO and CLIENT LIST while blocked, pipelined commands
# waiting behind a blocked one, SWAPDB, keyspace events, and 200 waiters.
#
# Two replies that look odd but are Redis's, on 7.0 and 7.4 alike: in RESP2
# a BLMOVE or BRPOPLPUSH that times out (or is unblocked by CLIENT UNBLOCK)
# replies a null array *-1 like BLPOP, while inside MULTI, where it does not
# block, it replies LMOVE's null bulk $-1. A waiter whose key is written with
# another type (SET, or a transaction that pushes then replaces the list)
# stays blocked: it gets no WRONGTYPE.
#
# Waiters are deferring clients; a test waits for them to be blocked by
# polling INFO blocked_clients (bounded), never by sleeping. Timeouts are
# 0.05-0.1 s and only a lower bound and a generous upper bound of the elapsed
# time are asserted.
#
# Everything asserted is what Redis 7.0 and 7.4 both reply, except where a
# test checks the version: a timeout too large to be represented is "ERR
# timeout is out of range" in 7.4 and "ERR timeout is negative" (an
# overflow) in 7.0; 7.0 refuses BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BZPOPMIN and
# BZPOPMAX in scripts ("This Redis command is not allowed from script"), 7.4
# runs them without blocking; INFO total_blocking_keys is not in 7.0.

# --- helpers (prefixed blk_, the unit files share one interpreter) ---

set ::blk_wrongtype {WRONGTYPE Operation against a key holding the wrong kind of value}

# One field of INFO clients.
proc blk_clients_field {field} {
    return [info_field [r info clients] $field]
}

# Waits (bounded, about 5 s) until INFO counts N blocked clients.
proc blk_wait_blocked {n {detail ""}} {
    wait_for_condition 500 10 {[blk_clients_field blocked_clients] == $n} else {
        fail "INFO blocked_clients is [blk_clients_field blocked_clients], expected $n $detail"
    }
}

# Start of a test: deletes KEYS and waits until the waiters of earlier tests
# (whose connections were closed) are gone.
proc blk_start {args} {
    if {[llength $args]} { r del {*}$args }
    blk_wait_blocked 0 "(waiters of an earlier test still blocked)"
}

# A deferring client with a 5 s bound on each reply.
proc blk_client {} {
    set c [redis_deferring_client]
    $c timeout 5000
    return $c
}

# A deferring client that sends the blocking command ARGS and is then blocked
# by it: returns once INFO counts N blocked clients. It first waits for N-1,
# so a waiter served just before (on a server that counts it a moment
# later) is not mistaken for this one.
proc blk_block {n args} {
    blk_wait_blocked [expr {$n - 1}] "before sending '$args'"
    set c [blk_client]
    $c {*}$args
    blk_wait_blocked $n "after sending '$args'"
    return $c
}

# Asserts client C receives nothing within MS milliseconds.
proc blk_assert_silent {c {ms 100}} {
    $c timeout $ms
    set code [catch {$c read} got]
    $c timeout 5000
    if {!$code} {
        fail "expected no reply yet, got '[suite_show $got]'"
    }
    if {$got ne "I/O error reading reply: timeout"} {
        fail "expected no reply yet, got error '[suite_show $got]'"
    }
}

# Runs the command ARGS on [r] (it carries a timeout of 0.1 s) and asserts it
# replies nil after at least about 0.1 s and well under 3 s.
proc blk_assert_times_out {args} {
    set t0 [clock milliseconds]
    set reply [r {*}$args]
    set ms [expr {[clock milliseconds] - $t0}]
    assert_equal $reply {} "(reply of '$args')"
    assert_range $ms 90 3000 "(milliseconds '$args' took)"
}

# The RESP encoding of one command, to pipeline several in one write.
proc blk_encode {args} {
    set out "*[llength $args]\r\n"
    foreach a $args { append out "\$[string length $a]\r\n$a\r\n" }
    return $out
}

# A field of one CLIENT LIST line.
proc blk_client_field {line field} {
    if {[regexp "(?:^| )$field=(\\S*)" $line -> v]} { return $v }
    return ""
}

# The next keyspace event on subscriber S as "key event".
proc blk_next_event {s} {
    set m [$s read]
    set channel [lindex $m 2]
    if {![string match {__keyspace@0__:*} $channel]} {
        fail "unexpected message '$m'"
    }
    return [list [string range $channel 15 end] [lindex $m 3]]
}

# The error of a timeout too large to be represented: 7.4 says so, 7.0
# overflows and calls it negative.
proc blk_assert_huge_timeout_error {args} {
    if {[version_at_least 7.4]} {
        assert_error {ERR timeout is out of range} [list r {*}$args]
    } else {
        assert_error {ERR timeout is*} [list r {*}$args]
    }
}

# Asserts the timeout argument errors of a command: PRE are the arguments
# before the timeout, POST those after it.
proc blk_assert_timeout_errors {pre post} {
    foreach bad {abc "" nan 1x 0.5.5} {
        assert_error {ERR timeout is not a float or out of range} \
            [list r {*}$pre $bad {*}$post]
    }
    foreach neg {-1 -0.5 -1e3} {
        assert_error {ERR timeout is negative} [list r {*}$pre $neg {*}$post]
    }
    foreach huge {1e20 9223372036854775807 inf} {
        blk_assert_huge_timeout_error {*}$pre $huge {*}$post
    }
}

start_server {tags {blocking}} {
    # --- BLPOP, BRPOP ---

    test {BLPOP - serves at once from the first non-empty key in argument order} {
        blk_start blk:l1 blk:l2 blk:l3
        r rpush blk:l2 a b
        r rpush blk:l3 c
        assert_equal [r blpop blk:l1 blk:l2 blk:l3 0] {blk:l2 a}
        assert_equal [r blpop blk:l1 blk:l2 blk:l3 1] {blk:l2 b}
        assert_equal [r exists blk:l2] 0
        assert_equal [r blpop blk:l1 blk:l2 blk:l3 0] {blk:l3 c}
        assert_equal [r exists blk:l3] 0
    }

    test {BRPOP - serves at once from the tail of the first non-empty key} {
        blk_start blk:l1 blk:l2 blk:l3
        r rpush blk:l3 x
        r rpush blk:l2 a b c
        assert_equal [r brpop blk:l1 blk:l2 blk:l3 0] {blk:l2 c}
        assert_equal [r brpop blk:l3 blk:l2 0.5] {blk:l3 x}
        assert_equal [r lrange blk:l2 0 -1] {a b}
        assert_equal [r exists blk:l3] 0
    }

    test {BLPOP - a blocked client is served by a push from another client} {
        blk_start blk:q
        set blk_rd [blk_block 1 blpop blk:q 0]
        assert_equal [r rpush blk:q a] 1
        assert_equal [$blk_rd read] {blk:q a}
        assert_equal [r exists blk:q] 0
        blk_wait_blocked 0
        # The client is usable again, and not blocked any more.
        $blk_rd ping
        assert_equal [$blk_rd read] PONG
        assert_equal [r rpush blk:q b] 1
        assert_equal [r lrange blk:q 0 -1] {b}
    }

    test {BRPOP - a blocked client gets the tail of a push of several elements} {
        blk_start blk:q
        set blk_rd [blk_block 1 brpop blk:q 0]
        assert_equal [r rpush blk:q a b c] 3
        assert_equal [$blk_rd read] {blk:q c}
        assert_equal [r lrange blk:q 0 -1] {a b}
    }

    test {BLPOP - a waiter on several keys is served by whichever key gets data} {
        blk_start blk:k1 blk:k2 blk:k3
        set blk_rd [blk_block 1 blpop blk:k1 blk:k2 blk:k3 0]
        r rpush blk:k3 x
        assert_equal [$blk_rd read] {blk:k3 x}
        set blk_rd2 [blk_block 1 brpop blk:k1 blk:k2 blk:k3 0]
        r lpush blk:k2 a b
        assert_equal [$blk_rd2 read] {blk:k2 a}
        assert_equal [r lrange blk:k2 0 -1] {b}
        assert_equal [r exists blk:k1 blk:k3] 0
    }

    test {BLPOP - the same key given twice is served once} {
        blk_start blk:q
        set blk_rd [blk_block 1 blpop blk:q blk:q 0]
        r rpush blk:q a b
        assert_equal [$blk_rd read] {blk:q a}
        assert_equal [r lrange blk:q 0 -1] {b}
    }

    test {BLPOP - a fractional timeout replies nil after about that long} {
        blk_start blk:none blk:none2
        blk_assert_times_out blpop blk:none blk:none2 0.1
        blk_assert_times_out brpop blk:none 0.1
        assert_equal [r exists blk:none blk:none2] 0
        blk_wait_blocked 0
    }

    test {BLPOP - the nil reply of a timeout is a null array in RESP2} {
        set blk_c [raw_connect]
        assert_equal [raw_reply $blk_c 1 blpop blk:none 0.05] {*-1}
        assert_equal [raw_reply $blk_c 1 brpop blk:none 0.05] {*-1}
        assert_equal [raw_reply $blk_c 1 blpop blk:none 0.001] {*-1}
    }

    test {BLPOP - timeout 0 blocks until served} {
        blk_start blk:q
        set blk_rd [blk_block 1 blpop blk:q 0]
        blk_assert_silent $blk_rd 300
        assert_equal [blk_clients_field blocked_clients] 1
        r lpush blk:q z
        assert_equal [$blk_rd read] {blk:q z}
    }

    test {BLPOP - timeout errors: not a float, negative, out of range} {
        blk_assert_timeout_errors {blpop blk:q} {}
        blk_assert_timeout_errors {brpop blk:q blk:q2} {}
        # -0 is zero: it blocks (served here at once).
        r del blk:q
        r rpush blk:q a
        assert_equal [r blpop blk:q -0] {blk:q a}
    }

    test {BLPOP - wrong number of arguments} {
        assert_error {ERR wrong number of arguments for 'blpop' command} {r blpop}
        assert_error {ERR wrong number of arguments for 'blpop' command} {r blpop blk:q}
        assert_error {ERR wrong number of arguments for 'brpop' command} {r brpop}
        assert_error {ERR wrong number of arguments for 'brpop' command} {r brpop blk:q}
    }

    test {BLPOP - WRONGTYPE at once when a key holds another type} {
        blk_start blk:str blk:l1 blk:empty
        r set blk:str x
        r timeout 3000
        assert_error $::blk_wrongtype {r blpop blk:str 0}
        assert_error $::blk_wrongtype {r brpop blk:str 0}
        assert_error $::blk_wrongtype {r blpop blk:empty blk:str 0}
        assert_error $::blk_wrongtype {r brpop blk:empty blk:str 0}
        # A non-empty list before the wrong key is served; the rest is not looked at.
        r rpush blk:l1 a
        assert_equal [r blpop blk:l1 blk:str 0] {blk:l1 a}
        assert_equal [blk_clients_field blocked_clients] 0
    }

    test {BLPOP - the timeout is parsed before the keys are looked at} {
        blk_start blk:str blk:l1
        r set blk:str x
        assert_error {ERR timeout is not a float or out of range} {r blpop blk:str abc}
        assert_error {ERR timeout is negative} {r brpop blk:str -1}
        r rpush blk:l1 a
        assert_error {ERR timeout is not a float or out of range} {r blpop blk:l1 abc}
        assert_error {ERR timeout is negative} {r brpop blk:l1 -1}
        assert_equal [r lrange blk:l1 0 -1] {a}
    }

    # --- BLMOVE, BRPOPLPUSH ---

    test {BLMOVE - serves at once in all four LEFT/RIGHT combinations} {
        foreach {blk_from blk_to blk_elem blk_dst} {
            left left a {a x}
            left right a {x a}
            right left c {c x}
            right right c {x c}
        } {
            r del blk:src blk:dst
            r rpush blk:src a b c
            r rpush blk:dst x
            assert_equal [r blmove blk:src blk:dst $blk_from $blk_to 0] $blk_elem "($blk_from $blk_to)"
            assert_equal [r lrange blk:dst 0 -1] $blk_dst "($blk_from $blk_to)"
            assert_equal [r llen blk:src] 2
        }
        # Directions are case-insensitive; a missing destination is created.
        r del blk:src blk:dst
        r rpush blk:src a
        assert_equal [r blmove blk:src blk:dst LeFt RIGHT 0] a
        assert_equal [r lrange blk:dst 0 -1] {a}
        assert_equal [r exists blk:src] 0
    }

    test {BLMOVE - source equal to destination rotates the list} {
        foreach {blk_from blk_to blk_elem blk_after} {
            left left a {a b c}
            left right a {b c a}
            right left c {c a b}
            right right c {a b c}
        } {
            r del blk:rot
            r rpush blk:rot a b c
            assert_equal [r blmove blk:rot blk:rot $blk_from $blk_to 0] $blk_elem "($blk_from $blk_to)"
            assert_equal [r lrange blk:rot 0 -1] $blk_after "($blk_from $blk_to)"
        }
    }

    test {BLMOVE - a blocked client is served by a push, in all four combinations} {
        foreach {blk_from blk_to blk_elem blk_src blk_dst} {
            left left a {b} {a x}
            left right a {b} {x a}
            right left b {a} {b x}
            right right b {a} {x b}
        } {
            blk_start blk:src blk:dst
            r rpush blk:dst x
            set blk_rd [blk_block 1 blmove blk:src blk:dst $blk_from $blk_to 0]
            r rpush blk:src a b
            assert_equal [$blk_rd read] $blk_elem "($blk_from $blk_to)"
            assert_equal [r lrange blk:src 0 -1] $blk_src "($blk_from $blk_to)"
            assert_equal [r lrange blk:dst 0 -1] $blk_dst "($blk_from $blk_to)"
            $blk_rd close
        }
    }

    test {BLMOVE - blocked with the same key as source and destination} {
        blk_start blk:rot
        set blk_rd [blk_block 1 blmove blk:rot blk:rot left right 0]
        r rpush blk:rot a b
        assert_equal [$blk_rd read] a
        assert_equal [r lrange blk:rot 0 -1] {b a}
    }

    test {BLMOVE - a timeout replies nil after about that long, destination untouched} {
        blk_start blk:src blk:dst
        blk_assert_times_out blmove blk:src blk:dst left right 0.1
        assert_equal [r exists blk:src blk:dst] 0
        set blk_c [raw_connect]
        # A null array, as for BLPOP, not the null bulk LMOVE replies (RESP2).
        assert_equal [raw_reply $blk_c 1 blmove blk:src blk:dst right left 0.05] {*-1}
    }

    test {BLMOVE - its push to the destination wakes a client blocked there} {
        blk_start blk:a blk:b blk:c
        set blk_m1 [blk_block 1 blmove blk:a blk:b right left 0]
        set blk_m2 [blk_block 2 blmove blk:b blk:c left left 0]
        set blk_rd [blk_block 3 blpop blk:c 0]
        r rpush blk:a x
        assert_equal [$blk_m1 read] x
        assert_equal [$blk_m2 read] x
        assert_equal [$blk_rd read] {blk:c x}
        blk_wait_blocked 0
        assert_equal [r exists blk:a blk:b blk:c] 0
    }

    test {BLMOVE - errors: directions, timeout, arity} {
        assert_error {ERR syntax error} {r blmove blk:a blk:b up left 0}
        assert_error {ERR syntax error} {r blmove blk:a blk:b left up 0}
        assert_error {ERR syntax error} {r blmove blk:a blk:b up left abc}
        blk_assert_timeout_errors {blmove blk:a blk:b left left} {}
        assert_error {ERR wrong number of arguments for 'blmove' command} {r blmove blk:a blk:b left left}
        assert_error {ERR wrong number of arguments for 'blmove' command} {r blmove blk:a blk:b left left 0 x}
    }

    test {BLMOVE - WRONGTYPE for the source at once; for the destination when there is data} {
        blk_start blk:str blk:src blk:dst
        r set blk:str x
        r timeout 3000
        assert_error $::blk_wrongtype {r blmove blk:str blk:dst left left 0}
        assert_error {ERR timeout is not a float or out of range} {r blmove blk:str blk:dst left left abc}
        r rpush blk:src a b
        assert_error $::blk_wrongtype {r blmove blk:src blk:str left left 0}
        assert_equal [r lrange blk:src 0 -1] {a b}
        assert_equal [r get blk:str] x
    }

    test {BRPOPLPUSH - serves at once: the tail of the source to the head of the destination} {
        r del blk:src blk:dst
        r rpush blk:src a b c
        r rpush blk:dst x
        assert_equal [r brpoplpush blk:src blk:dst 0] c
        assert_equal [r lrange blk:src 0 -1] {a b}
        assert_equal [r lrange blk:dst 0 -1] {c x}
        assert_equal [r brpoplpush blk:src blk:src 0] b
        assert_equal [r lrange blk:src 0 -1] {b a}
    }

    test {BRPOPLPUSH - a blocked client is served by a push} {
        blk_start blk:src blk:dst
        r rpush blk:dst x
        set blk_rd [blk_block 1 brpoplpush blk:src blk:dst 0]
        r rpush blk:src a b
        assert_equal [$blk_rd read] b
        assert_equal [r lrange blk:src 0 -1] {a}
        assert_equal [r lrange blk:dst 0 -1] {b x}
    }

    test {BRPOPLPUSH - a timeout replies nil after about that long} {
        blk_start blk:src blk:dst
        blk_assert_times_out brpoplpush blk:src blk:dst 0.1
        assert_equal [r exists blk:src blk:dst] 0
        set blk_c [raw_connect]
        assert_equal [raw_reply $blk_c 1 brpoplpush blk:src blk:dst 0.05] {*-1}
    }

    test {BRPOPLPUSH - errors: timeout, arity, WRONGTYPE} {
        blk_start blk:str blk:src blk:dst
        blk_assert_timeout_errors {brpoplpush blk:src blk:dst} {}
        assert_error {ERR wrong number of arguments for 'brpoplpush' command} {r brpoplpush blk:src blk:dst}
        r set blk:str x
        r timeout 3000
        assert_error $::blk_wrongtype {r brpoplpush blk:str blk:dst 0}
        assert_error {ERR timeout is negative} {r brpoplpush blk:str blk:dst -1}
        r rpush blk:src a
        assert_error $::blk_wrongtype {r brpoplpush blk:src blk:str 0}
        assert_equal [r lrange blk:src 0 -1] {a}
    }

    # --- BLMPOP ---

    test {BLMPOP - serves at once: LEFT or RIGHT, COUNT, reply key and elements} {
        blk_start blk:l1 blk:l2 blk:l3
        r rpush blk:l2 a b c d e
        r rpush blk:l3 z
        assert_equal [r blmpop 0 3 blk:l1 blk:l2 blk:l3 left] {blk:l2 a}
        assert_equal [r blmpop 0 3 blk:l1 blk:l2 blk:l3 right] {blk:l2 e}
        assert_equal [r blmpop 0 3 blk:l1 blk:l2 blk:l3 LEFT count 2] {blk:l2 {b c}}
        assert_equal [r blmpop 0.5 2 blk:l3 blk:l2 right COUNT 1] {blk:l3 z}
        assert_equal [r exists blk:l3] 0
        # A COUNT larger than the list pops it all and removes the key.
        r rpush blk:l2 e f
        assert_equal [r blmpop 0 1 blk:l2 right count 10] {blk:l2 {f e d}}
        assert_equal [r exists blk:l2] 0
    }

    test {BLMPOP - a blocked client is served by a push, up to COUNT elements} {
        blk_start blk:l1 blk:l2
        set blk_rd [blk_block 1 blmpop 0 2 blk:l1 blk:l2 right count 2]
        r rpush blk:l2 a b c
        assert_equal [$blk_rd read] {blk:l2 {c b}}
        assert_equal [r lrange blk:l2 0 -1] {a}
        set blk_rd2 [blk_block 1 blmpop 0 1 blk:l1 left count 5]
        r rpush blk:l1 x y
        assert_equal [$blk_rd2 read] {blk:l1 {x y}}
        assert_equal [r exists blk:l1] 0
    }

    test {BLMPOP - a timeout replies nil after about that long} {
        blk_start blk:l1 blk:l2
        blk_assert_times_out blmpop 0.1 2 blk:l1 blk:l2 left
        blk_assert_times_out blmpop 0.1 1 blk:l1 right count 3
        set blk_c [raw_connect]
        assert_equal [raw_reply $blk_c 1 blmpop 0.05 1 blk:l1 left] {*-1}
    }

    test {BLMPOP - argument errors} {
        blk_assert_timeout_errors {blmpop} {1 blk:l1 left}
        foreach blk_n {0 -1 abc} {
            assert_error {ERR numkeys should be greater than 0} {r blmpop 0 $blk_n blk:l1 left}
        }
        assert_error {ERR syntax error} {r blmpop 0 2 blk:l1 left}
        assert_error {ERR syntax error} {r blmpop 0 99999999999 blk:l1 left}
        assert_error {ERR syntax error} {r blmpop 0 1 blk:l1 up}
        assert_error {ERR syntax error} {r blmpop 0 1 blk:l1 left foo}
        assert_error {ERR syntax error} {r blmpop 0 1 blk:l1 left count}
        assert_error {ERR syntax error} {r blmpop 0 1 blk:l1 left count 1 count 2}
        foreach blk_n {0 -1 abc} {
            assert_error {ERR count should be greater than 0} {r blmpop 0 1 blk:l1 left count $blk_n}
        }
        assert_error {ERR wrong number of arguments for 'blmpop' command} {r blmpop 0 1 blk:l1}
        assert_error {ERR wrong number of arguments for 'blmpop' command} {r blmpop 0 1}
    }

    test {BLMPOP - numkeys, direction and COUNT are checked before the timeout} {
        assert_error {ERR numkeys should be greater than 0} {r blmpop abc 0 blk:l1 left}
        assert_error {ERR numkeys should be greater than 0} {r blmpop -1 0 blk:l1 left}
        assert_error {ERR syntax error} {r blmpop abc 1 blk:l1 up}
        assert_error {ERR syntax error} {r blmpop abc 2 blk:l1 left}
        assert_error {ERR count should be greater than 0} {r blmpop abc 1 blk:l1 left count 0}
        assert_error {ERR syntax error} {r blmpop 0 1 blk:l1 up count abc}
    }

    test {BLMPOP - WRONGTYPE at once; the timeout is checked before the keys} {
        blk_start blk:str blk:l1
        r set blk:str x
        r timeout 3000
        assert_error $::blk_wrongtype {r blmpop 0 1 blk:str left}
        assert_error $::blk_wrongtype {r blmpop 0 2 blk:l1 blk:str right count 2}
        assert_error {ERR timeout is not a float or out of range} {r blmpop abc 1 blk:str left}
        assert_error {ERR timeout is negative} {r blmpop -1 1 blk:str left}
        r rpush blk:l1 a
        assert_equal [r blmpop 0 2 blk:l1 blk:str left] {blk:l1 a}
    }

    # --- BZPOPMIN, BZPOPMAX ---

    test {BZPOPMIN - serves at once the lowest member of the first non-empty key} {
        blk_start blk:z1 blk:z2 blk:z3
        r zadd blk:z2 3 c 1 a 2 b
        r zadd blk:z3 0 z
        assert_equal [r bzpopmin blk:z1 blk:z2 blk:z3 0] {blk:z2 a 1}
        assert_equal [r bzpopmin blk:z1 blk:z2 blk:z3 1] {blk:z2 b 2}
        assert_equal [r bzpopmin blk:z1 blk:z2 blk:z3 0] {blk:z2 c 3}
        assert_equal [r exists blk:z2] 0
        assert_equal [r bzpopmin blk:z1 blk:z2 blk:z3 0] {blk:z3 z 0}
        assert_equal [r exists blk:z3] 0
    }

    test {BZPOPMAX - serves at once the highest member of the first non-empty key} {
        blk_start blk:z1 blk:z2
        r zadd blk:z2 1.5 a 2.25 b -inf m inf p
        assert_equal [r bzpopmax blk:z1 blk:z2 0] {blk:z2 p inf}
        assert_equal [r bzpopmax blk:z1 blk:z2 0] {blk:z2 b 2.25}
        assert_equal [r bzpopmin blk:z1 blk:z2 0] {blk:z2 m -inf}
        assert_equal [r bzpopmax blk:z2 0] {blk:z2 a 1.5}
        assert_equal [r exists blk:z2] 0
    }

    test {BZPOPMIN - a blocked client is served by ZADD; the key goes with its last member} {
        blk_start blk:z1
        set blk_rd [blk_block 1 bzpopmin blk:z1 0]
        r zadd blk:z1 2 b 1 a
        assert_equal [$blk_rd read] {blk:z1 a 1}
        assert_equal [r zrange blk:z1 0 -1 withscores] {b 2}
        set blk_rd2 [blk_block 1 bzpopmin blk:z2 0]
        r zadd blk:z2 7 only
        assert_equal [$blk_rd2 read] {blk:z2 only 7}
        assert_equal [r exists blk:z2] 0
    }

    test {BZPOPMAX - a waiter on several keys is served by the key that gets data} {
        blk_start blk:z1 blk:z2 blk:z3
        set blk_rd [blk_block 1 bzpopmax blk:z1 blk:z2 blk:z3 0]
        r zadd blk:z2 1 a 5 e 3 c
        assert_equal [$blk_rd read] {blk:z2 e 5}
        assert_equal [r zrange blk:z2 0 -1] {a c}
    }

    test {BZPOPMIN - a timeout replies nil after about that long} {
        blk_start blk:z1 blk:z2
        blk_assert_times_out bzpopmin blk:z1 blk:z2 0.1
        blk_assert_times_out bzpopmax blk:z1 0.1
        set blk_c [raw_connect]
        assert_equal [raw_reply $blk_c 1 bzpopmin blk:z1 0.05] {*-1}
        assert_equal [raw_reply $blk_c 1 bzpopmax blk:z1 0.05] {*-1}
    }

    test {BZPOPMIN - errors: timeout, arity, WRONGTYPE} {
        blk_start blk:list blk:z1
        blk_assert_timeout_errors {bzpopmin blk:z1} {}
        blk_assert_timeout_errors {bzpopmax blk:z1 blk:z2} {}
        assert_error {ERR wrong number of arguments for 'bzpopmin' command} {r bzpopmin blk:z1}
        assert_error {ERR wrong number of arguments for 'bzpopmax' command} {r bzpopmax}
        r rpush blk:list a
        r timeout 3000
        assert_error $::blk_wrongtype {r bzpopmin blk:list 0}
        assert_error $::blk_wrongtype {r bzpopmax blk:z1 blk:list 0}
        assert_error {ERR timeout is not a float or out of range} {r bzpopmin blk:list abc}
        assert_equal [r lrange blk:list 0 -1] {a}
    }

    # --- BZMPOP ---

    test {BZMPOP - serves at once: MIN or MAX, COUNT, reply key and member-score pairs} {
        blk_start blk:z1 blk:z2 blk:z3
        r zadd blk:z2 1 a 2 b 3 c 4 d 5 e
        r zadd blk:z3 9 z
        assert_equal [r bzmpop 0 3 blk:z1 blk:z2 blk:z3 min] {blk:z2 {{a 1}}}
        assert_equal [r bzmpop 0 3 blk:z1 blk:z2 blk:z3 max] {blk:z2 {{e 5}}}
        assert_equal [r bzmpop 0 3 blk:z1 blk:z2 blk:z3 MIN count 2] {blk:z2 {{b 2} {c 3}}}
        assert_equal [r bzmpop 0.5 2 blk:z3 blk:z2 max COUNT 1] {blk:z3 {{z 9}}}
        r zadd blk:z2 4.5 x
        assert_equal [r bzmpop 0 1 blk:z2 max count 10] {blk:z2 {{x 4.5} {d 4}}}
        assert_equal [r exists blk:z2 blk:z3] 0
    }

    test {BZMPOP - a blocked client is served by ZADD, up to COUNT members} {
        blk_start blk:z1 blk:z2
        set blk_rd [blk_block 1 bzmpop 0 2 blk:z1 blk:z2 max count 2]
        r zadd blk:z2 1 a 2 b 3 c
        assert_equal [$blk_rd read] {blk:z2 {{c 3} {b 2}}}
        assert_equal [r zrange blk:z2 0 -1] {a}
        set blk_rd2 [blk_block 1 bzmpop 0 1 blk:z1 min]
        r zadd blk:z1 5 y 4 x
        assert_equal [$blk_rd2 read] {blk:z1 {{x 4}}}
    }

    test {BZMPOP - a timeout replies nil after about that long} {
        blk_start blk:z1 blk:z2
        blk_assert_times_out bzmpop 0.1 1 blk:z1 min
        blk_assert_times_out bzmpop 0.1 2 blk:z1 blk:z2 max count 2
        set blk_c [raw_connect]
        assert_equal [raw_reply $blk_c 1 bzmpop 0.05 1 blk:z1 min] {*-1}
    }

    test {BZMPOP - argument errors and their order} {
        blk_assert_timeout_errors {bzmpop} {1 blk:z1 min}
        foreach blk_n {0 -1 abc} {
            assert_error {ERR numkeys should be greater than 0} {r bzmpop 0 $blk_n blk:z1 min}
        }
        assert_error {ERR syntax error} {r bzmpop 0 2 blk:z1 min}
        assert_error {ERR syntax error} {r bzmpop 0 1 blk:z1 up}
        assert_error {ERR syntax error} {r bzmpop 0 1 blk:z1 max foo}
        assert_error {ERR syntax error} {r bzmpop 0 1 blk:z1 min count}
        assert_error {ERR syntax error} {r bzmpop 0 1 blk:z1 min count 1 count 1}
        foreach blk_n {0 -1 abc} {
            assert_error {ERR count should be greater than 0} {r bzmpop 0 1 blk:z1 min count $blk_n}
        }
        assert_error {ERR wrong number of arguments for 'bzmpop' command} {r bzmpop 0 1 blk:z1}
        assert_error {ERR wrong number of arguments for 'bzmpop' command} {r bzmpop 0}
        # numkeys, the direction and COUNT come before the timeout.
        assert_error {ERR numkeys should be greater than 0} {r bzmpop abc 0 blk:z1 min}
        assert_error {ERR syntax error} {r bzmpop abc 1 blk:z1 up}
        assert_error {ERR count should be greater than 0} {r bzmpop abc 1 blk:z1 min count 0}
    }

    test {BZMPOP - WRONGTYPE at once; the timeout is checked before the keys} {
        blk_start blk:str blk:z1
        r set blk:str x
        r timeout 3000
        assert_error $::blk_wrongtype {r bzmpop 0 1 blk:str min}
        assert_error $::blk_wrongtype {r bzmpop 0 2 blk:z1 blk:str max}
        assert_error {ERR timeout is not a float or out of range} {r bzmpop abc 1 blk:str min}
        r zadd blk:z1 1 a
        assert_equal [r bzmpop 0 2 blk:z1 blk:str max] {blk:z1 {{a 1}}}
    }

    # --- Order of waiters ---

    test {BLPOP - two clients blocked on the same key are served in the order they blocked} {
        blk_start blk:fifo
        set blk_first [blk_block 1 blpop blk:fifo 0]
        set blk_second [blk_block 2 blpop blk:fifo 0]
        r rpush blk:fifo a
        assert_equal [$blk_first read] {blk:fifo a}
        blk_wait_blocked 1
        blk_assert_silent $blk_second
        r rpush blk:fifo b
        assert_equal [$blk_second read] {blk:fifo b}
        blk_wait_blocked 0
        assert_equal [r exists blk:fifo] 0
    }

    test {BLPOP - one push of several elements serves several waiters in order} {
        blk_start blk:fifo
        set blk_w1 [blk_block 1 blpop blk:fifo 0]
        set blk_w2 [blk_block 2 brpop blk:fifo 0]
        set blk_w3 [blk_block 3 blpop blk:fifo 0]
        set blk_w4 [blk_block 4 blpop blk:fifo 0]
        assert_equal [r rpush blk:fifo a b c] 3
        assert_equal [$blk_w1 read] {blk:fifo a}
        assert_equal [$blk_w2 read] {blk:fifo c}
        assert_equal [$blk_w3 read] {blk:fifo b}
        blk_wait_blocked 1
        blk_assert_silent $blk_w4
        assert_equal [r exists blk:fifo] 0
        r lpush blk:fifo d
        assert_equal [$blk_w4 read] {blk:fifo d}
    }

    test {BZPOPMIN - waiters on one key are served in order by one ZADD} {
        blk_start blk:zf
        set blk_w1 [blk_block 1 bzpopmin blk:zf 0]
        set blk_w2 [blk_block 2 bzpopmax blk:zf 0]
        set blk_w3 [blk_block 3 bzmpop 0 1 blk:zf min count 2]
        r zadd blk:zf 1 a 2 b 3 c 4 d 5 e
        assert_equal [$blk_w1 read] {blk:zf a 1}
        assert_equal [$blk_w2 read] {blk:zf e 5}
        assert_equal [$blk_w3 read] {blk:zf {{b 2} {c 3}}}
        assert_equal [r zrange blk:zf 0 -1] {d}
    }

    test {BLMPOP - waiters on one key are served in order, each up to its COUNT} {
        blk_start blk:fifo
        set blk_w1 [blk_block 1 blmpop 0 1 blk:fifo left count 2]
        set blk_w2 [blk_block 2 blpop blk:fifo 0]
        set blk_w3 [blk_block 3 blmpop 0 1 blk:fifo right count 5]
        r rpush blk:fifo a b c d e
        assert_equal [$blk_w1 read] {blk:fifo {a b}}
        assert_equal [$blk_w2 read] {blk:fifo c}
        assert_equal [$blk_w3 read] {blk:fifo {e d}}
        assert_equal [r exists blk:fifo] 0
    }

    # --- Writes that wake waiters, and writes that do not ---

    test {BLPOP - a list moved into place by RENAME or created by LMOVE serves the waiter} {
        blk_start blk:q blk:tmp
        set blk_rd [blk_block 1 blpop blk:q 0]
        r rpush blk:tmp a b
        r rename blk:tmp blk:q
        assert_equal [$blk_rd read] {blk:q a}
        assert_equal [r lrange blk:q 0 -1] {b}
        r del blk:q
        set blk_rd2 [blk_block 1 brpop blk:q 0]
        r rpush blk:tmp x y
        assert_equal [r lmove blk:tmp blk:q left right] x
        assert_equal [$blk_rd2 read] {blk:q x}
        assert_equal [r exists blk:q] 0
    }

    test {BZPOPMIN - a sorted set created by ZUNIONSTORE serves the waiter} {
        blk_start blk:z1 blk:zsrc
        set blk_rd [blk_block 1 bzpopmin blk:z1 0]
        r zadd blk:zsrc 2 b 1 a
        assert_equal [r zunionstore blk:z1 1 blk:zsrc] 2
        assert_equal [$blk_rd read] {blk:z1 a 1}
        assert_equal [r zrange blk:z1 0 -1] {b}
    }

    test {BLPOP - a key created as another type does not wake the waiter} {
        blk_start blk:q
        set blk_rd [blk_block 1 blpop blk:q 0]
        r set blk:q string
        blk_assert_silent $blk_rd
        assert_equal [blk_clients_field blocked_clients] 1
        r del blk:q
        r sadd blk:q m
        blk_assert_silent $blk_rd
        r del blk:q
        # Once the key is a list, the waiter is served.
        r rpush blk:q a
        assert_equal [$blk_rd read] {blk:q a}
        blk_wait_blocked 0
    }

    test {BZPOPMIN - a list under the awaited key does not wake the waiter} {
        blk_start blk:z1
        set blk_rd [blk_block 1 bzpopmin blk:z1 0]
        r rpush blk:z1 a
        blk_assert_silent $blk_rd
        assert_equal [blk_clients_field blocked_clients] 1
        r del blk:z1
        r zadd blk:z1 3 m
        assert_equal [$blk_rd read] {blk:z1 m 3}
    }

    test {BLPOP - a push whose list is deleted before anyone is served wakes nobody} {
        blk_start blk:q
        set blk_rd [blk_block 1 blpop blk:q 0]
        r multi
        r lpush blk:q a
        r del blk:q
        r set blk:q foo
        assert_equal [r exec] {1 1 OK}
        blk_assert_silent $blk_rd
        assert_equal [blk_clients_field blocked_clients] 1
        r del blk:q
        r lpush blk:q b
        assert_equal [$blk_rd read] {blk:q b}
    }

    # --- MULTI/EXEC and scripts ---

    test {MULTI - blocking commands inside do not block and reply nil in EXEC's array} {
        blk_start blk:l1 blk:l2 blk:z1
        set blk_t0 [clock milliseconds]
        r multi
        r blpop blk:l1 0
        r brpop blk:l1 0
        r blmove blk:l1 blk:l2 left left 0
        r brpoplpush blk:l1 blk:l2 0
        r blmpop 0 1 blk:l1 left
        r bzpopmin blk:z1 0
        r bzpopmax blk:z1 0
        r bzmpop 0 1 blk:z1 min
        assert_equal [r exec] {{} {} {} {} {} {} {} {}}
        assert {[clock milliseconds] - $blk_t0 < 3000}
        assert_equal [r exists blk:l1 blk:l2 blk:z1] 0
        # The nil forms are those of a timeout.
        set blk_c [raw_connect]
        assert_equal [$blk_c multi] +OK
        foreach blk_cmd {
            {blpop blk:l1 0} {blmove blk:l1 blk:l2 left left 0} {brpoplpush blk:l1 blk:l2 0}
            {blmpop 0 1 blk:l1 left} {bzpopmin blk:z1 0} {bzmpop 0 1 blk:z1 min}
        } {
            assert_equal [$blk_c {*}$blk_cmd] +QUEUED
        }
        set blk_lines [list [$blk_c exec]]
        for {set blk_i 0} {$blk_i < 6} {incr blk_i} { lappend blk_lines [$blk_c read] }
        # Not blocked, BLMOVE and BRPOPLPUSH reply LMOVE's null bulk.
        assert_equal $blk_lines [list *6 *-1 {$-1} {$-1} *-1 *-1 *-1]
    }

    test {MULTI - blocking commands inside serve data that is there} {
        blk_start blk:l1 blk:l2 blk:z1
        r rpush blk:l1 a b c d
        r zadd blk:z1 1 x 2 y
        r multi
        r blpop blk:l1 0
        r blmove blk:l1 blk:l2 right left 0
        r blmpop 0 1 blk:l1 left count 5
        r bzpopmax blk:z1 0
        r bzmpop 0 1 blk:z1 min count 3
        assert_equal [r exec] {{blk:l1 a} d {blk:l1 {b c}} {blk:z1 y 2} {blk:z1 {{x 1}}}}
        assert_equal [r lrange blk:l2 0 -1] {d}
    }

    test {EVAL - blocking commands in a script return false at once} {
        blk_start blk:l1 blk:z1
        # BLMPOP and BZMPOP run in scripts on every version.
        assert_equal [r eval {return tostring(redis.call('blmpop', 0, 1, KEYS[1], 'left'))} 1 blk:l1] false
        assert_equal [r eval {return tostring(redis.call('bzmpop', 0, 1, KEYS[1], 'min'))} 1 blk:z1] false
        set blk_scripts {
            {return tostring(redis.call('blpop', KEYS[1], 0))}
            {return tostring(redis.call('brpop', KEYS[1], 0))}
            {return tostring(redis.call('blmove', KEYS[1], KEYS[2], 'left', 'left', 0))}
            {return tostring(redis.call('brpoplpush', KEYS[1], KEYS[2], 0))}
            {return tostring(redis.call('bzpopmin', KEYS[1], 0))}
            {return tostring(redis.call('bzpopmax', KEYS[1], 0))}
        }
        foreach blk_s $blk_scripts {
            if {[version_at_least 7.4]} {
                assert_equal [r eval $blk_s 2 blk:l1 blk:z1] false "(script $blk_s)"
            } else {
                # Redis 7.0 refuses these in scripts.
                assert_error {*This Redis command is not allowed from script*} {r eval $blk_s 2 blk:l1 blk:z1}
            }
        }
        assert_equal [r exists blk:l1 blk:z1] 0
        if {[version_at_least 7.4]} {
            r rpush blk:l1 a b
            assert_equal [r eval {return redis.call('blpop', KEYS[1], 0)} 1 blk:l1] {blk:l1 a}
            assert_equal [r eval {return redis.call('blmove', KEYS[1], KEYS[1], 'right', 'left', 0)} 1 blk:l1] b
        }
    }

    test {MULTI - a push inside wakes the waiter only after EXEC} {
        blk_start blk:q
        set blk_rd [blk_block 1 blpop blk:q 0]
        r multi
        r rpush blk:q a
        r rpush blk:q b
        r lrange blk:q 0 -1
        # Nobody was served in the middle of the transaction.
        assert_equal [r exec] {1 2 {a b}}
        assert_equal [$blk_rd read] {blk:q a}
        assert_equal [r lrange blk:q 0 -1] {b}
    }

    test {MULTI - LPUSH then LPOP of the same element leaves nothing to serve} {
        blk_start blk:q
        set blk_rd [blk_block 1 blpop blk:q 0]
        r multi
        r lpush blk:q a
        r lpop blk:q
        assert_equal [r exec] {1 a}
        blk_assert_silent $blk_rd
        assert_equal [blk_clients_field blocked_clients] 1
        assert_equal [r exists blk:q] 0
        r rpush blk:q b
        assert_equal [$blk_rd read] {blk:q b}
        blk_wait_blocked 0
    }

    test {EVAL - a push in a script wakes the waiter only after the script} {
        blk_start blk:q
        set blk_rd [blk_block 1 blpop blk:q 0]
        set blk_s {
            redis.call('rpush', KEYS[1], 'a')
            redis.call('rpush', KEYS[1], 'b')
            return redis.call('lrange', KEYS[1], 0, -1)
        }
        assert_equal [r eval $blk_s 1 blk:q] {a b}
        assert_equal [$blk_rd read] {blk:q a}
        assert_equal [r lrange blk:q 0 -1] {b}
    }

    test {EVAL - a push and pop in a script leave the waiter blocked} {
        blk_start blk:q
        set blk_rd [blk_block 1 blpop blk:q 0]
        set blk_s {
            redis.call('lpush', KEYS[1], 'a')
            return redis.call('lpop', KEYS[1])
        }
        assert_equal [r eval $blk_s 1 blk:q] a
        blk_assert_silent $blk_rd
        assert_equal [blk_clients_field blocked_clients] 1
        r rpush blk:q b
        assert_equal [$blk_rd read] {blk:q b}
    }

    # --- CLIENT UNBLOCK ---

    test {CLIENT UNBLOCK - by default the blocked client gets the timeout reply} {
        blk_start blk:q blk:dst blk:z1
        foreach {blk_cmd blk_null} {
            {blpop blk:q 0} {*-1}
            {brpop blk:q blk:q2 0} {*-1}
            {blmove blk:q blk:dst left left 0} {*-1}
            {brpoplpush blk:q blk:dst 0} {*-1}
            {blmpop 0 1 blk:q left} {*-1}
            {bzpopmin blk:z1 0} {*-1}
            {bzmpop 0 1 blk:z1 max count 2} {*-1}
        } {
            set blk_rd [blk_client]
            $blk_rd client id
            set blk_id [$blk_rd read]
            $blk_rd readraw 1
            $blk_rd {*}$blk_cmd
            blk_wait_blocked 1 "($blk_cmd)"
            assert_equal [r client unblock $blk_id] 1 "($blk_cmd)"
            assert_equal [$blk_rd read] $blk_null "($blk_cmd)"
            blk_wait_blocked 0 "($blk_cmd)"
            $blk_rd ping
            assert_equal [$blk_rd read] +PONG
            $blk_rd close
        }
        assert_equal [r exists blk:q blk:dst blk:z1] 0
    }

    test {CLIENT UNBLOCK - ERROR gives the blocked client an UNBLOCKED error} {
        blk_start blk:q
        set blk_rd [blk_client]
        $blk_rd client id
        set blk_id [$blk_rd read]
        $blk_rd blpop blk:q 0
        blk_wait_blocked 1
        assert_equal [r client unblock $blk_id error] 1
        assert_error {UNBLOCKED client unblocked via CLIENT UNBLOCK} {$blk_rd read}
        blk_wait_blocked 0
        $blk_rd bzpopmax blk:z1 0
        blk_wait_blocked 1
        assert_equal [r client unblock $blk_id ERROR] 1
        assert_error {UNBLOCKED client unblocked via CLIENT UNBLOCK} {$blk_rd read}
        blk_wait_blocked 0
        $blk_rd blmove blk:q blk:dst right right 0
        blk_wait_blocked 1
        assert_equal [r client unblock $blk_id TIMEOUT] 1
        assert_equal [$blk_rd read] {}
        blk_wait_blocked 0
        # The unblocked client is not served by a later push.
        r rpush blk:q a
        assert_equal [r lrange blk:q 0 -1] {a}
    }

    test {CLIENT UNBLOCK - a client that is not blocked or does not exist gives 0; errors} {
        set blk_c [redis_client]
        set blk_id [$blk_c client id]
        assert_equal [r client unblock $blk_id] 0
        assert_equal [r client unblock $blk_id error] 0
        assert_equal [r client unblock [r client id]] 0
        assert_equal [r client unblock 999999999] 0
        assert_equal [$blk_c ping] PONG
        assert_error {ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR} {r client unblock $blk_id badreason}
        assert_error {ERR value is not an integer or out of range} {r client unblock abc}
        assert_error {ERR wrong number of arguments for 'client|unblock' command} {r client unblock}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.} \
            {r client unblock $blk_id timeout extra}
    }

    # --- Clients going away, INFO, CLIENT LIST, pipelining ---

    test {BLPOP - a blocked client that disconnects is forgotten; a later push stays in the list} {
        blk_start blk:q
        set blk_stay [blk_block 1 blpop blk:other 0]
        set blk_rd [blk_block 2 blpop blk:q 0]
        $blk_rd close
        blk_wait_blocked 1
        assert_equal [r rpush blk:q a] 1
        assert_equal [r lrange blk:q 0 -1] {a}
        set blk_rd2 [blk_block 2 bzpopmin blk:z9 0]
        $blk_rd2 close
        blk_wait_blocked 1
        r zadd blk:z9 1 m
        assert_equal [r zrange blk:z9 0 -1] {m}
        r rpush blk:other x
        assert_equal [$blk_stay read] {blk:other x}
        blk_wait_blocked 0
    }

    test {INFO - blocked_clients and total_blocking_keys while clients are blocked} {
        blk_start blk:k1 blk:k2 blk:k3
        assert_equal [blk_clients_field blocked_clients] 0
        set blk_a [blk_block 1 blpop blk:k1 blk:k2 0]
        set blk_b [blk_block 2 brpop blk:k2 blk:k3 0]
        set blk_c [blk_block 3 bzpopmin blk:k3 0]
        assert_equal [blk_clients_field blocked_clients] 3
        if {[version_at_least 7.4]} {
            assert_equal [blk_clients_field total_blocking_keys] 3
            assert_equal [blk_clients_field total_blocking_keys_on_nokey] 0
        }
        r rpush blk:k2 x
        assert_equal [$blk_a read] {blk:k2 x}
        blk_wait_blocked 2
        if {[version_at_least 7.4]} {
            assert_equal [blk_clients_field total_blocking_keys] 2
        }
        r rpush blk:k3 y
        assert_equal [$blk_b read] {blk:k3 y}
        blk_wait_blocked 1
        r del blk:k3
        r zadd blk:k3 1 m
        assert_equal [$blk_c read] {blk:k3 m 1}
        blk_wait_blocked 0
        if {[version_at_least 7.4]} {
            assert_equal [blk_clients_field total_blocking_keys] 0
        }
    }

    test {CLIENT LIST - a blocked client shows flags=b and its command} {
        blk_start blk:q
        set blk_rd [blk_client]
        $blk_rd client id
        set blk_id [$blk_rd read]
        set blk_line [r client list id $blk_id]
        assert_equal [blk_client_field $blk_line flags] N
        $blk_rd blpop blk:q 0
        blk_wait_blocked 1
        set blk_line [r client list id $blk_id]
        assert_equal [blk_client_field $blk_line flags] b
        assert_equal [blk_client_field $blk_line cmd] blpop
        r rpush blk:q a
        assert_equal [$blk_rd read] {blk:q a}
        blk_wait_blocked 0
        assert_equal [blk_client_field [r client list id $blk_id] flags] N
    }

    test {BLPOP - commands pipelined after it run only once it is served} {
        blk_start blk:q blk:after
        set blk_rd [blk_client]
        $blk_rd write_raw "[blk_encode blpop blk:q 0][blk_encode ping][blk_encode incr blk:after]"
        blk_wait_blocked 1
        blk_assert_silent $blk_rd 200
        assert_equal [r exists blk:after] 0
        r rpush blk:q a
        assert_equal [$blk_rd read] {blk:q a}
        assert_equal [$blk_rd read] PONG
        assert_equal [$blk_rd read] 1
        assert_equal [r get blk:after] 1
    }

    # --- SWAPDB ---

    test {SWAPDB - wakes a client blocked on a key that now exists in its database} {
        blk_start blk:q
        r select 1
        r del blk:q
        r rpush blk:q a b
        r select 0
        set blk_rd [blk_block 1 blpop blk:q 0]
        assert_equal [r swapdb 0 1] OK
        assert_equal [$blk_rd read] {blk:q a}
        assert_equal [r lrange blk:q 0 -1] {b}
        r select 1
        assert_equal [r exists blk:q] 0
        r select 0
        r swapdb 0 1
        r del blk:q
    }

    test {SWAPDB - a swap that brings no list leaves the waiter blocked} {
        blk_start blk:q
        r select 1
        r del blk:q
        r set blk:q string
        r select 0
        set blk_rd [blk_block 1 blpop blk:q 0]
        assert_equal [r swapdb 0 1] OK
        blk_assert_silent $blk_rd
        assert_equal [blk_clients_field blocked_clients] 1
        r swapdb 0 1
        blk_assert_silent $blk_rd
        r rpush blk:q x
        assert_equal [$blk_rd read] {blk:q x}
        r select 1
        r del blk:q
    }

    test {BLPOP - a waiter in another database is not served by a push in db 0} {
        blk_start blk:q
        set blk_rd [blk_client]
        $blk_rd select 9
        assert_equal [$blk_rd read] OK
        $blk_rd blpop blk:q 0
        blk_wait_blocked 1
        r rpush blk:q a
        blk_assert_silent $blk_rd
        r select 9
        r rpush blk:q b
        assert_equal [$blk_rd read] {blk:q b}
        assert_equal [r exists blk:q] 0
        r select 0
        assert_equal [r lrange blk:q 0 -1] {a}
        r del blk:q
    }

    # --- RESP3 ---

    test {RESP3 - the nil reply of a timeout is a null for every blocking command} {
        set blk_c [raw_resp3_client]
        foreach blk_cmd {
            {blpop blk:none 0.05} {brpop blk:none 0.05}
            {blmove blk:none blk:none2 left right 0.05} {brpoplpush blk:none blk:none2 0.05}
            {blmpop 0.05 1 blk:none left} {bzpopmin blk:none 0.05}
            {bzpopmax blk:none 0.05} {bzmpop 0.05 1 blk:none min}
        } {
            assert_equal [raw_reply $blk_c 1 {*}$blk_cmd] {_} "($blk_cmd)"
        }
    }

    test {RESP3 - a blocked client's reply after a push, and CLIENT UNBLOCK's null} {
        blk_start blk:q blk:z1
        set blk_rd [blk_client]
        $blk_rd hello 3
        $blk_rd read
        $blk_rd client id
        set blk_id [$blk_rd read]
        $blk_rd bzpopmin blk:z1 0
        blk_wait_blocked 1
        r zadd blk:z1 2.5 m
        assert_equal [$blk_rd read] {blk:z1 m 2.5}
        blk_wait_blocked 0
        $blk_rd readraw 1
        $blk_rd blmove blk:q blk:dst left left 0
        blk_wait_blocked 1
        assert_equal [r client unblock $blk_id] 1
        assert_equal [$blk_rd read] {_}
    }

    # --- Keyspace events ---

    test {Keyspace events - a served BLPOP fires lpop and del like LPOP} {
        blk_start blk:ev:l
        r config set notify-keyspace-events KA
        set blk_s [blk_client]
        $blk_s psubscribe __keyspace@0__:blk:ev:*
        assert_equal [$blk_s read] {psubscribe __keyspace@0__:blk:ev:* 1}
        # LPOP for reference.
        r rpush blk:ev:l a b
        r lpop blk:ev:l
        r lpop blk:ev:l
        assert_equal [blk_next_event $blk_s] {blk:ev:l rpush}
        assert_equal [blk_next_event $blk_s] {blk:ev:l lpop}
        assert_equal [blk_next_event $blk_s] {blk:ev:l lpop}
        assert_equal [blk_next_event $blk_s] {blk:ev:l del}
        # A served BLPOP: the same events.
        set blk_rd [blk_block 1 blpop blk:ev:l 0]
        r rpush blk:ev:l a b
        assert_equal [$blk_rd read] {blk:ev:l a}
        assert_equal [blk_next_event $blk_s] {blk:ev:l rpush}
        assert_equal [blk_next_event $blk_s] {blk:ev:l lpop}
        $blk_rd blpop blk:ev:l 0
        assert_equal [$blk_rd read] {blk:ev:l b}
        assert_equal [blk_next_event $blk_s] {blk:ev:l lpop}
        assert_equal [blk_next_event $blk_s] {blk:ev:l del}
        set blk_rd2 [blk_block 1 brpop blk:ev:l 0]
        r lpush blk:ev:l z
        assert_equal [$blk_rd2 read] {blk:ev:l z}
        assert_equal [blk_next_event $blk_s] {blk:ev:l lpush}
        assert_equal [blk_next_event $blk_s] {blk:ev:l rpop}
        assert_equal [blk_next_event $blk_s] {blk:ev:l del}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - a served BLMOVE and BZPOPMIN fire the events of LMOVE and ZPOPMIN} {
        blk_start blk:ev:src blk:ev:dst blk:ev:z
        r config set notify-keyspace-events KA
        set blk_s [blk_client]
        $blk_s psubscribe __keyspace@0__:blk:ev:*
        assert_equal [$blk_s read] {psubscribe __keyspace@0__:blk:ev:* 1}
        # LMOVE for reference: the push to the destination is notified first.
        r rpush blk:ev:src a
        assert_equal [r lmove blk:ev:src blk:ev:dst right left] a
        r del blk:ev:dst
        set blk_events {}
        for {set blk_i 0} {$blk_i < 5} {incr blk_i} { lappend blk_events [blk_next_event $blk_s] }
        assert_equal $blk_events {{blk:ev:src rpush} {blk:ev:dst lpush} {blk:ev:src rpop} {blk:ev:src del} {blk:ev:dst del}}
        # A served BLMOVE: the same events.
        set blk_rd [blk_block 1 blmove blk:ev:src blk:ev:dst right left 0]
        r rpush blk:ev:src a
        assert_equal [$blk_rd read] a
        set blk_events {}
        for {set blk_i 0} {$blk_i < 4} {incr blk_i} { lappend blk_events [blk_next_event $blk_s] }
        assert_equal $blk_events {{blk:ev:src rpush} {blk:ev:dst lpush} {blk:ev:src rpop} {blk:ev:src del}}
        set blk_rd2 [blk_block 1 bzpopmin blk:ev:z 0]
        r zadd blk:ev:z 1 m
        assert_equal [$blk_rd2 read] {blk:ev:z m 1}
        assert_equal [blk_next_event $blk_s] {blk:ev:z zadd}
        assert_equal [blk_next_event $blk_s] {blk:ev:z zpopmin}
        assert_equal [blk_next_event $blk_s] {blk:ev:z del}
        r config set notify-keyspace-events ""
    }

    # --- Many waiters ---

    test {BLPOP - 200 waiters on 200 keys are each served exactly once} {
        blk_start
        set blk_n 200
        set blk_keys {}
        for {set blk_i 0} {$blk_i < $blk_n} {incr blk_i} { lappend blk_keys blk:many:$blk_i }
        r del {*}$blk_keys
        set blk_clients {}
        for {set blk_i 0} {$blk_i < $blk_n} {incr blk_i} {
            set blk_c [blk_client]
            $blk_c blpop blk:many:$blk_i 0
            lappend blk_clients $blk_c
        }
        blk_wait_blocked $blk_n
        if {[version_at_least 7.4]} {
            assert_equal [blk_clients_field total_blocking_keys] $blk_n
        }
        for {set blk_i 0} {$blk_i < $blk_n} {incr blk_i} {
            r rpush blk:many:$blk_i v$blk_i
        }
        for {set blk_i 0} {$blk_i < $blk_n} {incr blk_i} {
            assert_equal [[lindex $blk_clients $blk_i] read] [list blk:many:$blk_i v$blk_i]
        }
        blk_wait_blocked 0
        assert_equal [r exists {*}$blk_keys] 0
        # Nobody is still waiting: a second round of pushes stays in the lists.
        for {set blk_i 0} {$blk_i < $blk_n} {incr blk_i} {
            r rpush blk:many:$blk_i w$blk_i
        }
        assert_equal [r exists {*}$blk_keys] $blk_n
        r del {*}$blk_keys
    }

    test {BLPOP - 200 waiters on one key are served in order by one RPUSH} {
        blk_start blk:one
        set blk_n 200
        set blk_clients {}
        for {set blk_i 0} {$blk_i < $blk_n} {incr blk_i} {
            set blk_c [blk_client]
            $blk_c blpop blk:one 0
            lappend blk_clients $blk_c
            blk_wait_blocked [expr {$blk_i + 1}]
        }
        set blk_vals {}
        for {set blk_i 0} {$blk_i < $blk_n} {incr blk_i} { lappend blk_vals v$blk_i }
        assert_equal [r rpush blk:one {*}$blk_vals extra] [expr {$blk_n + 1}]
        for {set blk_i 0} {$blk_i < $blk_n} {incr blk_i} {
            assert_equal [[lindex $blk_clients $blk_i] read] [list blk:one v$blk_i]
        }
        blk_wait_blocked 0
        assert_equal [r lrange blk:one 0 -1] {extra}
        r del blk:one
    }
}

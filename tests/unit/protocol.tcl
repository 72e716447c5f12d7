# The RESP request parser over the wire: inline commands, multibulk framing,
# pipelining, requests split across writes, and the exact protocol errors
# (each one replies, then closes the connection).

# Sends BYTES on a fresh raw connection and returns the first reply line.
proc proto_first_line {bytes} {
    set c [raw_connect]
    $c write_raw $bytes
    return [$c read]
}

# Sends BYTES and checks the reply is exactly ERR and the server then closes
# the connection.
proc assert_proto_error {bytes err} {
    set c [raw_connect]
    $c write_raw $bytes
    assert_equal [$c read] "-$err"
    assert_equal [$c wait_close 3000] 1 "(connection not closed after '$err')"
}

start_server {tags {protocol}} {
    test {Inline - PING with CRLF and with LF only} {
        assert_equal [proto_first_line "PING\r\n"] +PONG
        assert_equal [proto_first_line "PING\n"] +PONG
        assert_equal [proto_first_line "ping\r\n"] +PONG
    }

    test {Inline - arguments are split on spaces and tabs} {
        set c [raw_connect]
        $c write_raw "set  inline:k \t value1 \r\nget inline:k\r\n"
        assert_equal [$c read] +OK
        assert_equal [$c read] {$6}
        assert_equal [$c read] value1
    }

    test {Inline - double quoted arguments keep spaces and decode escapes} {
        set c [raw_connect]
        $c write_raw "set \"inline key\" \"a b\\x41\\n\\\\\\\"\"\r\n"
        assert_equal [$c read] +OK
        assert_equal [r get "inline key"] "a bA\n\\\""
    }

    test {Inline - single quoted arguments are literal except for \\'} {
        set c [raw_connect]
        $c write_raw "set k 'a b\\n\\'c'\r\n"
        assert_equal [$c read] +OK
        assert_equal [r get k] "a b\\n'c"
    }

    test {Inline - empty quoted argument} {
        set c [raw_connect]
        $c write_raw "echo \"\"\r\n"
        assert_equal [$c read] {$0}
        assert_equal [$c read] {}
    }

    test {Inline - an empty line gets no reply} {
        set c [raw_connect]
        $c write_raw "\r\n\n   \r\nPING\r\n"
        assert_equal [$c read] +PONG
        $c write_raw "\r\n"
        $c write_raw "ECHO x\r\n"
        assert_equal [$c read] {$1}
        assert_equal [$c read] x
    }

    test {Inline - unbalanced quotes are a protocol error} {
        assert_proto_error "set \"a b\r\n" {ERR Protocol error: unbalanced quotes in request}
        assert_proto_error "set 'a b\r\n" {ERR Protocol error: unbalanced quotes in request}
        assert_proto_error "set k \"a\"b\r\n" {ERR Protocol error: unbalanced quotes in request}
    }

    test {Inline - a request over 64 KB without newline is too big} {
        assert_proto_error [string repeat x 70000] {ERR Protocol error: too big inline request}
    }

    test {Inline - several commands in one write} {
        set c [raw_connect]
        $c write_raw "PING\r\nECHO a\r\nPING\r\n"
        assert_equal [$c read] +PONG
        assert_equal [$c read] {$1}
        assert_equal [$c read] a
        assert_equal [$c read] +PONG
    }

    test {Multibulk - 1000 pipelined commands in one write reply in order} {
        r del counter
        set c [redis_client]
        set req ""
        for {set i 0} {$i < 1000} {incr i} {
            append req "*2\r\n\$4\r\nINCR\r\n\$7\r\ncounter\r\n"
        }
        $c write_raw $req
        for {set i 1} {$i <= 1000} {incr i} {
            assert_equal [$c read] $i
        }
    }

    test {Multibulk - a deferred client reads pipelined replies in order} {
        set c [redis_deferring_client]
        for {set i 0} {$i < 100} {incr i} { $c set deferred:$i v$i }
        for {set i 0} {$i < 100} {incr i} { $c get deferred:$i }
        for {set i 0} {$i < 100} {incr i} { assert_equal [$c read] OK }
        for {set i 0} {$i < 100} {incr i} { assert_equal [$c read] v$i }
    }

    test {Multibulk - mixed inline and multibulk in one write} {
        set c [redis_client]
        $c write_raw "*2\r\n\$4\r\nECHO\r\n\$1\r\na\r\nECHO b\r\n*1\r\n\$4\r\nPING\r\n"
        assert_equal [$c read] a
        assert_equal [$c read] b
        assert_equal [$c read] PONG
    }

    test {Multibulk - a command split byte by byte across writes} {
        set c [redis_client]
        set req "*3\r\n\$3\r\nSET\r\n\$5\r\nsplit\r\n\$8\r\nv\r\na\x00lue\r\n"
        foreach ch [split $req ""] {
            $c write_raw $ch
            after 1
        }
        assert_equal [$c read] OK
        assert_equal [r get split] "v\r\na\x00lue"
    }

    test {Multibulk - a 200 KB argument split across writes} {
        set c [redis_client]
        set v [randstring 200000]
        set req "*3\r\n\$3\r\nSET\r\n\$3\r\nbig\r\n\$200000\r\n$v\r\n"
        set len [string length $req]
        for {set i 0} {$i < $len} {incr i 7001} {
            $c write_raw [string range $req $i [expr {$i + 7000}]]
            after 1
        }
        assert_equal [$c read] OK
        assert_equal [r get big] $v
    }

    test {Multibulk - bulk arguments may contain CR, LF and NUL} {
        set c [redis_client]
        $c write_raw "*2\r\n\$4\r\nECHO\r\n\$5\r\na\r\n\x00b\r\n"
        assert_equal [$c read] "a\r\n\x00b"
    }

    test {Multibulk - empty bulk arguments} {
        set c [redis_client]
        $c write_raw "*3\r\n\$3\r\nSET\r\n\$1\r\ne\r\n\$0\r\n\r\n"
        assert_equal [$c read] OK
        assert_equal [r strlen e] 0
        assert_equal [r exists e] 1
    }

    test {Multibulk - *0 is ignored} {
        set c [raw_connect]
        $c write_raw "*0\r\nPING\r\n"
        assert_equal [$c read] +PONG
    }

    test {Multibulk - negative counts are ignored} {
        set c [raw_connect]
        $c write_raw "*-1\r\nPING\r\n*-10\r\nPING\r\n"
        assert_equal [$c read] +PONG
        assert_equal [$c read] +PONG
    }

    test {Multibulk - an empty command name is an unknown command} {
        set c [raw_connect]
        $c write_raw "*1\r\n\$0\r\n\r\nPING\r\n"
        assert_equal [$c read] "-ERR unknown command '', with args beginning with: "
        assert_equal [$c read] +PONG
    }

    test {Protocol error - invalid multibulk length} {
        set err {ERR Protocol error: invalid multibulk length}
        assert_proto_error "*abc\r\n" $err
        assert_proto_error "*1x\r\n" $err
        assert_proto_error "*\r\n" $err
        assert_proto_error "*2147483648\r\n" $err
        assert_proto_error "*99999999999999999999\r\n" $err
    }

    test {Protocol error - expected '$'} {
        assert_proto_error "*1\r\nx\r\n" {ERR Protocol error: expected '$', got 'x'}
        assert_proto_error "*1\r\n:1\r\n" {ERR Protocol error: expected '$', got ':'}
        assert_proto_error "*2\r\n\$4\r\nECHO\r\n+a\r\n" {ERR Protocol error: expected '$', got '+'}
    }

    test {Protocol error - invalid bulk length} {
        set err {ERR Protocol error: invalid bulk length}
        assert_proto_error "*1\r\n\$abc\r\n" $err
        assert_proto_error "*1\r\n\$-1\r\n" $err
        assert_proto_error "*2\r\n\$4\r\nECHO\r\n\$-5\r\n" $err
        assert_proto_error "*1\r\n\$\r\n" $err
        assert_proto_error "*1\r\n\$2000000000000\r\n" $err
    }

    test {Protocol error - bulk length above the default 512 MB limit} {
        assert_proto_error "*1\r\n\$536870913\r\n" {ERR Protocol error: invalid bulk length}
    }

    test {Protocol error - too big mbulk count string} {
        assert_proto_error "*[string repeat 1 70000]" {ERR Protocol error: too big mbulk count string}
    }

    test {Protocol error - too big bulk count string} {
        assert_proto_error "*1\r\n\$[string repeat 1 70000]" {ERR Protocol error: too big bulk count string}
    }

    test {Protocol error - commands after the error in the same write are not run} {
        r del after
        set c [raw_connect]
        $c write_raw "*1\r\nx\r\n*3\r\n\$3\r\nSET\r\n\$5\r\nafter\r\n\$1\r\n1\r\n"
        assert_match {-ERR Protocol error:*} [$c read]
        assert_equal [$c wait_close 3000] 1
        assert_equal [r exists after] 0
    }

    test {Protocol error - the server keeps serving other clients} {
        set bystander [redis_client]
        $bystander set k v
        for {set i 0} {$i < 10} {incr i} {
            assert_proto_error "*1\r\nx\r\n" {ERR Protocol error: expected '$', got 'x'}
        }
        assert_equal [$bystander get k] v
        assert_equal [r ping] PONG
    }

    test {Unknown command - exact error text with arguments} {
        assert_error {ERR unknown command 'foo', with args beginning with: 'a' 'b' } {r foo a b}
        assert_equal [proto_first_line "foo a b\r\n"] \
            "-ERR unknown command 'foo', with args beginning with: 'a' 'b' "
    }

    test {Unknown command - without arguments, and the name keeps its case} {
        assert_equal [proto_first_line "FooBar\r\n"] \
            "-ERR unknown command 'FooBar', with args beginning with: "
    }

    test {Unknown command - the connection stays open} {
        set c [redis_client]
        assert_error {ERR unknown command*} {$c nosuchcommand}
        assert_equal [$c ping] PONG
    }

    test {Unknown command - arguments are cut after 128 characters} {
        set a [string repeat a 100]
        set b [string repeat b 100]
        # 'a...a' plus a space is 103 characters, leaving 25 for the next one.
        set want "ERR unknown command 'foo', with args beginning with: '$a' '[string repeat b 25]' "
        assert_error $want {r foo $a $b c}
        set long [string repeat x 200]
        set want "ERR unknown command 'foo', with args beginning with: '[string repeat x 128]' "
        assert_error $want {r foo $long}
    }

    test {Unknown command - the name is cut after 128 characters} {
        set name [string repeat n 200]
        set want "ERR unknown command '[string repeat n 128]', with args beginning with: 'a' "
        assert_error $want {r $name a}
    }

    test {Unknown command - CR and LF in arguments become spaces} {
        set c [raw_connect]
        $c write_raw "*3\r\n\$3\r\nfoo\r\n\$3\r\na\nb\r\n\$3\r\nc\rd\r\n"
        assert_equal [$c read] "-ERR unknown command 'foo', with args beginning with: 'a b' 'c d' "
    }

    test {Wrong arity - the error names the command in lower case} {
        assert_error {ERR wrong number of arguments for 'get' command} {r GET}
        assert_error {ERR wrong number of arguments for 'ping' command} {r ping a b}
        assert_equal [proto_first_line "ECHO\r\n"] "-ERR wrong number of arguments for 'echo' command"
    }
}

start_server {overrides {proto-max-bulk-len 1mb} tags {protocol}} {
    test {Protocol error - bulk length above proto-max-bulk-len} {
        assert_proto_error "*3\r\n\$3\r\nSET\r\n\$1\r\nk\r\n\$1048577\r\n" \
            {ERR Protocol error: invalid bulk length}
    }

    test {Multibulk - a bulk of exactly proto-max-bulk-len is accepted} {
        set v [string repeat x 1048576]
        assert_equal [r set k $v] OK
        assert_equal [r strlen k] 1048576
    }
}

start_server {tags {protocol}} {
    test {Output - a client that does not read its replies does not block others} {
        r set big [string repeat b 1048576]
        # 64 MB of replies requested, none read: the server must keep
        # serving everyone else meanwhile.
        set slow [redis_deferring_client]
        for {set i 0} {$i < 64} {incr i} { $slow get big }
        $slow flush
        for {set i 0} {$i < 20} {incr i} {
            assert_equal [r ping] PONG
            assert_equal [r incr counter] [expr {$i + 1}]
        }
        # The slow client still gets every reply, in order, once it reads.
        for {set i 0} {$i < 64} {incr i} {
            assert_equal [string length [$slow read]] 1048576
        }
        $slow close
        assert_equal [r ping] PONG
    }

    test {Robustness - random bytes never crash the server} {
        # Bounded fuzzing: 200 connections each send up to 2 KB of random
        # bytes biased toward protocol characters, then close.
        set alphabet [split "*\$\r\n0123456789-+:abcdefSETGET \"'\\x" ""]
        expr {srand(12345)}
        for {set n 0} {$n < 200} {incr n} {
            set c [raw_connect]
            set len [expr {int(rand() * 2048)}]
            set s ""
            for {set i 0} {$i < $len} {incr i} {
                if {rand() < 0.7} {
                    append s [lindex $alphabet [expr {int(rand() * [llength $alphabet])}]]
                } else {
                    append s [format %c [expr {int(rand() * 256)}]]
                }
            }
            catch {$c write_raw $s}
            catch {$c close}
        }
        assert_equal [r ping] PONG
        r set k v
        assert_equal [r get k] v
    }
}

start_server {overrides {io-threads 1} tags {protocol}} {
    # Replies of a batch wait in a scratch buffer until the event loop has
    # read every ready client; a full buffer is written at once, and a push
    # for a client writes its waiting replies first. A script spinning for
    # 200 ms holds the only event loop while three clients send their
    # pipelines, so one iteration then reads all three: the first one's
    # small replies wait in the buffer when the second one's values (1 byte
    # to 70 KB) overflow it, and the third one publishes to the second one's
    # channel, behind the replies it has waiting. Every reply must arrive
    # whole and in order, every message too.
    test {Replies - pipelined replies of every size stay whole and in order next to other clients' and pushes} {
        set sizes {}
        for {set i 0} {$i < 120} {incr i} {
            set n [expr {($i * 7919) % 70000 + 1}]
            lappend sizes $n
            r set out:$i [string repeat [format %c [expr {97 + $i % 26}]] $n]
        }
        set s [redis_deferring_client]
        $s hello 3
        $s read
        $s subscribe mix
        assert_equal [$s read] {subscribe mix 1}
        set p [redis_deferring_client]
        set q [redis_deferring_client]
        set pub [redis_deferring_client]
        set gets ""
        for {set i 0} {$i < 120} {incr i} { append gets "GET out:$i\r\n" }
        set pings ""
        set pubs ""
        for {set j 0} {$j < 200} {incr j} {
            append pings "PING p$j\r\n"
            append pubs "PUBLISH mix m$j\r\n"
        }
        $q eval {local t0 = redis.call('TIME')
                 repeat local t = redis.call('TIME')
                 until (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > 200000
                 return 1} 0
        after 50
        $p write_raw $pings
        $s write_raw $gets
        $pub write_raw $pubs
        assert_equal [$q read] 1
        for {set j 0} {$j < 200} {incr j} {
            assert_equal [$p read] p$j
            assert_equal [$pub read] 1
        }
        set next_get 0
        set next_msg 0
        for {set k 0} {$k < 320} {incr k} {
            set v [$s read]
            if {[llength $v] == 3 && [lindex $v 0] eq "message"} {
                assert_equal $v [list message mix m$next_msg]
                incr next_msg
            } else {
                set want [lindex $sizes $next_get]
                assert_equal [string length $v] $want "(length of reply $next_get)"
                set c [format %c [expr {97 + $next_get % 26}]]
                assert_equal $v [string repeat $c $want] "(reply $next_get)"
                incr next_get
            }
        }
        assert_equal [list $next_get $next_msg] {120 200}
        $s close
        $p close
        $q close
        $pub close
    }
}

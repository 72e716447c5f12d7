# Client eviction: maxmemory-clients (bytes or a percentage of maxmemory)
# closes the clients whose buffers use the most once all clients' memory
# is over it; CLIENT NO-EVICT ON exempts a client. Every limit set here is
# put back to 0 at the end of its test.

proc cev_partial_client {bytes} {
    # A request whose last argument never completes: its bytes wait in
    # the client's query buffer.
    set c [raw_connect]
    $c write_raw "*3\r\n\$3\r\nSET\r\n\$6\r\ncev:k1\r\n\$[expr {$bytes * 2}]\r\n[string repeat x $bytes]"
    return $c
}

start_server {tags {client-evict}} {
    test {CONFIG SET maxmemory-clients - bytes, percentages and their errors} {
        r config set maxmemory-clients 10%
        assert_equal [lindex [r config get maxmemory-clients] 1] 10%
        r config set maxmemory-clients 1mb
        assert_equal [lindex [r config get maxmemory-clients] 1] 1048576
        assert_error {*percentage argument must be less or equal to 100*} {
            r config set maxmemory-clients 101%
        }
        assert_error {*argument must be a memory or percent value*} {
            r config set maxmemory-clients abc
        }
        r config set maxmemory-clients 0
        assert_equal [lindex [r config get maxmemory-clients] 1] 0
    }

    test {CLIENT NO-EVICT - ON and OFF, the e flag, and a syntax error otherwise} {
        assert_equal [r client no-evict on] OK
        assert_match {*flags=e*} [r client info]
        assert_equal [r client no-evict off] OK
        assert_no_match {*flags=e*} [r client info]
        assert_error {ERR syntax error} {r client no-evict maybe}
    }

    test {maxmemory-clients - the client with the biggest buffer is closed, a NO-EVICT one is not} {
        set before [s evicted_clients]
        set big [cev_partial_client 400000]
        set keep [raw_connect]
        $keep write_raw "CLIENT NO-EVICT ON\r\n"
        assert_equal [$keep read] +OK
        $keep write_raw "*3\r\n\$3\r\nSET\r\n\$6\r\ncev:k2\r\n\$200000\r\n[string repeat y 100000]"
        r config set maxmemory-clients 350kb
        wait_for_condition 100 20 {[s evicted_clients] > $before} else {
            error "no client was evicted"
        }
        assert_equal [$big wait_close 3000] 1
        # The NO-EVICT client is still there: it can finish its request.
        $keep write_raw "[string repeat y 100000]\r\n"
        assert_equal [$keep read] +OK
        r config set maxmemory-clients 0
        assert_equal [string length [r get cev:k2]] 200000
        r del cev:k1 cev:k2
    }
}

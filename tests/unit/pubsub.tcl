# Pub/sub: SUBSCRIBE, PSUBSCRIBE, PUBLISH, PUBSUB, the RESP2 subscribed
# mode, RESP3 pushes and the output limit for slow subscribers.

start_server {tags {pubsub}} {
    test {SUBSCRIBE - replies per channel with the running count} {
        set s [redis_deferring_client]
        $s subscribe ch1 ch2
        assert_equal [$s read] {subscribe ch1 1}
        assert_equal [$s read] {subscribe ch2 2}
        $s close
    }

    test {PUBLISH - delivers to subscribers and returns how many got it} {
        set s [redis_deferring_client]
        $s subscribe news
        $s read
        assert_equal [r publish news hello] 1
        assert_equal [$s read] {message news hello}
        assert_equal [r publish nobody x] 0
        $s close
    }

    test {PUBLISH - binary-safe channel and message} {
        set s [redis_deferring_client]
        $s subscribe "bin\x00ch"
        $s read
        assert_equal [r publish "bin\x00ch" "a\r\nb\x00c"] 1
        assert_equal [$s read] [list message "bin\x00ch" "a\r\nb\x00c"]
        $s close
    }

    test {PSUBSCRIBE - pattern messages carry the pattern} {
        set s [redis_deferring_client]
        $s psubscribe {news.*}
        assert_equal [$s read] {psubscribe news.* 1}
        assert_equal [r publish news.sport goal] 1
        assert_equal [$s read] {pmessage news.* news.sport goal}
        $s close
    }

    test {PUBLISH - a client subscribed by channel and pattern gets both} {
        set s [redis_deferring_client]
        $s subscribe a.b
        $s read
        $s psubscribe a.*
        $s read
        assert_equal [r publish a.b m] 2
        set got [list [$s read] [$s read]]
        assert {[lsearch $got {message a.b m}] >= 0}
        assert {[lsearch $got {pmessage a.* a.b m}] >= 0}
        $s close
    }

    test {UNSUBSCRIBE - one, then all, then none left} {
        set s [redis_deferring_client]
        $s subscribe x y z
        $s read; $s read; $s read
        $s unsubscribe y
        assert_equal [$s read] {unsubscribe y 2}
        $s unsubscribe
        set a [$s read]
        set b [$s read]
        assert_equal [lsort [list [lindex $a 1] [lindex $b 1]]] {x z}
        assert_equal [lindex $b 2] 0
        $s unsubscribe
        assert_equal [$s read] {unsubscribe {} 0}
        assert_equal [r publish x m] 0
        $s close
    }

    test {PUNSUBSCRIBE - without patterns replies with a null pattern} {
        set s [redis_deferring_client]
        $s punsubscribe
        assert_equal [$s read] {punsubscribe {} 0}
        $s close
    }

    test {Subscribed mode - RESP2 refuses other commands, PING answers in message form} {
        set s [redis_deferring_client]
        $s subscribe q
        $s read
        $s get k
        assert_error {ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context} {$s read}
        $s ping
        assert_equal [$s read] {pong {}}
        $s ping hi
        assert_equal [$s read] {pong hi}
        $s close
    }

    test {RESET - leaves subscribed mode} {
        set s [redis_deferring_client]
        $s subscribe q
        $s read
        $s reset
        assert_equal [$s read] RESET
        $s get k
        assert_equal [$s read] {}
        assert_equal [r publish q m] 0
        $s close
    }

    test {PUBSUB CHANNELS, NUMSUB, NUMPAT} {
        set s1 [redis_deferring_client]
        set s2 [redis_deferring_client]
        $s1 subscribe ps1 ps2
        $s1 read; $s1 read
        $s2 subscribe ps1
        $s2 read
        $s2 psubscribe pp.*
        $s2 read
        $s1 psubscribe pp.*
        $s1 read
        assert_equal [lsort [r pubsub channels ps*]] {ps1 ps2}
        assert_equal [r pubsub numsub ps1 ps2 nope] {ps1 2 ps2 1 nope 0}
        assert_equal [r pubsub numpat] 1
        $s1 close
        $s2 close
        wait_for_condition 50 20 {
            [r pubsub numsub ps1] eq {ps1 0}
        } else {
            fail "closed subscribers still counted"
        }
    }

    test {RESP3 - messages are pushes and other commands work while subscribed} {
        set s [redis_deferring_client]
        $s hello 3
        $s read
        $s subscribe r3
        assert_equal [$s read] {subscribe r3 1}
        $s set k v
        assert_equal [$s read] OK
        assert_equal [r publish r3 hey] 1
        assert_equal [$s read] {message r3 hey}
        $s close
    }
}

start_server {tags {pubsub}} {
    test {client-output-buffer-limit pubsub - a subscriber that does not read is dropped} {
        r config set client-output-buffer-limit "normal 0 0 0 pubsub 100kb 0 0"
        set s [redis_deferring_client]
        $s subscribe flood
        $s read
        set payload [string repeat x 10000]
        # Bounded: stop as soon as nobody receives any more.
        for {set i 0} {$i < 5000} {incr i} {
            if {[r publish flood $payload] == 0} break
        }
        assert {$i < 5000}
        assert_equal [r pubsub numsub flood] {flood 0}
        catch {$s close}
    }
}

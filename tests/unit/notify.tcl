# Keyspace notifications: notify-keyspace-events flags and the events of
# string and generic commands, expiry and eviction.

start_server {tags {notify}} {
    proc next_event {s} {
        # pmessage pattern channel message -> "channel message"
        set m [$s read]
        return [list [lindex $m 2] [lindex $m 3]]
    }

    test {notify-keyspace-events - CONFIG GET shows the canonical flags} {
        r config set notify-keyspace-events KEA
        assert_equal [lindex [r config get notify-keyspace-events] 1] AKE
        r config set notify-keyspace-events {Eg$}
        assert_equal [lindex [r config get notify-keyspace-events] 1] {g$E}
        assert_error {*} {r config set notify-keyspace-events Q}
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - SET, INCR, APPEND, DEL on both channels} {
        r config set notify-keyspace-events KEA
        set s [redis_deferring_client]
        $s psubscribe __key*__:*
        $s read
        r set ev:k v
        assert_equal [next_event $s] {__keyspace@0__:ev:k set}
        assert_equal [next_event $s] {__keyevent@0__:set ev:k}
        r incr ev:n
        assert_equal [next_event $s] {__keyspace@0__:ev:n incrby}
        assert_equal [next_event $s] {__keyevent@0__:incrby ev:n}
        r append ev:k x
        assert_equal [next_event $s] {__keyspace@0__:ev:k append}
        next_event $s
        r del ev:k ev:missing
        assert_equal [next_event $s] {__keyspace@0__:ev:k del}
        assert_equal [next_event $s] {__keyevent@0__:del ev:k}
        $s close
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - only the classes asked for} {
        r config set notify-keyspace-events Eg
        set s [redis_deferring_client]
        $s psubscribe __key*__:*
        $s read
        r set ev:a 1
        r del ev:a
        assert_equal [next_event $s] {__keyevent@0__:del ev:a}
        $s close
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - EXPIRE, PERSIST, RENAME and expired keys} {
        r config set notify-keyspace-events Egx
        set s [redis_deferring_client]
        $s psubscribe __key*__:*
        $s read
        r set ev:t v
        r expire ev:t 100
        assert_equal [next_event $s] {__keyevent@0__:expire ev:t}
        r persist ev:t
        assert_equal [next_event $s] {__keyevent@0__:persist ev:t}
        r rename ev:t ev:u
        assert_equal [next_event $s] {__keyevent@0__:rename_from ev:t}
        assert_equal [next_event $s] {__keyevent@0__:rename_to ev:u}
        r set ev:short v px 20
        assert_equal [next_event $s] {__keyevent@0__:expire ev:short}
        # Nobody reads it: active expiry reclaims it and says so.
        assert_equal [next_event $s] {__keyevent@0__:expired ev:short}
        $s close
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - evicted keys} {
        r flushall
        r config set notify-keyspace-events Ee
        set s [redis_deferring_client]
        $s psubscribe __keyevent@0__:evicted
        $s read
        for {set i 0} {$i < 200} {incr i} { r set ev:big:$i [string repeat x 1000] }
        r config set maxmemory-policy allkeys-lru
        r config set maxmemory [expr {[s used_memory] - 50000}]
        r set ev:trigger x
        assert_match {__keyevent@0__:evicted ev:big:*} [next_event $s]
        r config set maxmemory 0
        $s close
        r config set notify-keyspace-events ""
    }
}

# Client-side caching: CLIENT TRACKING, CACHING, GETREDIR and the
# invalidation messages (RESP3 pushes, RESP2 redirection).

start_server {tags {tracking}} {
    test {CLIENT TRACKING - RESP3: a key read is invalidated when another client writes it} {
        set c [redis_deferring_client]
        $c hello 3
        $c read
        $c client tracking on
        assert_equal [$c read] OK
        r set tk:a 1
        $c get tk:a
        assert_equal [$c read] 1
        r set tk:a 2
        assert_equal [$c read] {invalidate tk:a}
        # Invalidated once: the next write says nothing until it is read again.
        r set tk:a 3
        $c ping
        assert_equal [$c read] PONG
        $c close
    }

    test {CLIENT TRACKING - hashes, sets and bitmaps: reads are tracked, writes invalidate} {
        set c [redis_deferring_client]
        $c hello 3
        $c read
        $c client tracking on
        assert_equal [$c read] OK
        r hset tk:h f 1
        r sadd tk:s m
        r setbit tk:b 3 1
        foreach {read write} {
            {hget tk:h f} {hset tk:h f 2}
            {hgetall tk:h} {hincrby tk:h f 1}
            {hget tk:h f} {hdel tk:h f}
            {smembers tk:s} {sadd tk:s n}
            {sismember tk:s m} {srem tk:s m}
            {getbit tk:b 3} {setbit tk:b 3 0}
            {bitcount tk:b} {bitfield tk:b incrby u8 0 1}
        } {
            set key [lindex $read 1]
            if {[r exists $key] == 0} { r hset $key f 1 }
            $c {*}$read
            $c read
            r {*}$write
            assert_equal [$c read] [list invalidate $key] "($write after $read)"
        }
        # A set written from a store command over it.
        r sadd tk:s2 a
        $c smembers tk:s
        $c read
        r sunionstore tk:s tk:s2
        assert_equal [$c read] {invalidate tk:s}
        $c close
    }

    test {CLIENT TRACKING - a hash field's TTL and its expiry invalidate the key} {
        if {[server_is_redis] && ![version_at_least 7.4]} {
            skip_test "hash field expiration needs Redis 7.4"
        }
        set c [redis_deferring_client]
        $c hello 3
        $c read
        $c client tracking on
        assert_equal [$c read] OK
        r del tk:hf
        r hset tk:hf a 1 b 2
        $c hget tk:hf a
        $c read
        r hexpire tk:hf 100 FIELDS 1 a
        assert_equal [$c read] {invalidate tk:hf}
        $c hget tk:hf a
        $c read
        r hpexpire tk:hf 50 FIELDS 1 a
        assert_equal [$c read] {invalidate tk:hf}
        $c hget tk:hf a
        $c read
        # Nobody writes: active expiry removes the field, which is a change.
        assert_equal [$c read] {invalidate tk:hf}
        assert_equal [r hexists tk:hf a] 0
        $c close
    }

    test {CLIENT TRACKING - RESP2 with REDIRECT to a __redis__:invalidate subscriber} {
        set sub [redis_deferring_client]
        $sub client id
        set sid [$sub read]
        $sub subscribe __redis__:invalidate
        $sub read
        set c [redis_client]
        assert_equal [$c client tracking on redirect $sid] OK
        assert_equal [$c client getredir] $sid
        r set tk:b 1
        $c get tk:b
        r del tk:b
        assert_equal [$sub read] {message __redis__:invalidate tk:b}
        $c close
        $sub close
    }

    test {CLIENT TRACKING - BCAST with PREFIX sends every matching change} {
        set c [redis_deferring_client]
        $c hello 3
        $c read
        $c client tracking on bcast prefix user:
        assert_equal [$c read] OK
        r set user:1 x
        assert_equal [$c read] {invalidate user:1}
        r set other:1 x
        r set user:2 x
        assert_equal [$c read] {invalidate user:2}
        $c close
    }

    test {CLIENT TRACKING - BCAST sends one message per prefix for the keys of one batch} {
        set c [redis_deferring_client]
        $c hello 3
        $c read
        $c client tracking on bcast prefix bca: prefix bcb:
        assert_equal [$c read] OK
        # One write, so the server reads the three requests together.
        set w [raw_connect]
        $w write_raw "*5\r\n\$4\r\nMSET\r\n\$5\r\nbca:1\r\n\$1\r\n1\r\n\$5\r\nbca:2\r\n\$1\r\n2\r\n*3\r\n\$3\r\nSET\r\n\$5\r\nbcb:1\r\n\$1\r\nx\r\n*3\r\n\$3\r\nSET\r\n\$5\r\nbca:1\r\n\$1\r\ny\r\n"
        assert_equal [$w read] +OK
        assert_equal [$w read] +OK
        assert_equal [$w read] +OK
        set got [list [$c read] [$c read]]
        assert_equal [lsort $got] [lsort {{invalidate {bca:1 bca:2}} {invalidate bcb:1}}]
        $c close
        $w close
    }

    test {CLIENT TRACKING - NOLOOP skips the client's own writes} {
        set c [redis_deferring_client]
        $c hello 3
        $c read
        $c client tracking on noloop
        $c read
        $c get tk:c
        $c read
        $c set tk:c own
        assert_equal [$c read] OK
        $c ping
        assert_equal [$c read] PONG
        $c close
    }

    test {CLIENT TRACKING - OPTIN tracks only after CLIENT CACHING yes} {
        set c [redis_deferring_client]
        $c hello 3
        $c read
        $c client tracking on optin
        $c read
        $c get tk:d
        $c read
        r set tk:d 1
        $c client caching yes
        assert_equal [$c read] OK
        $c get tk:e
        $c read
        r set tk:e 1
        assert_equal [$c read] {invalidate tk:e}
        $c close
    }

    test {CLIENT TRACKING - errors} {
        assert_error {ERR PREFIX option requires BCAST mode to be enabled} {r client tracking on prefix a}
        assert_error {ERR You can't specify both OPTIN mode and OPTOUT mode} {r client tracking on optin optout}
        assert_error {ERR The client ID you want redirect to does not exist} {r client tracking on redirect 999999}
        assert_error {ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled} {r client caching yes}
        assert_equal [r client getredir] -1
        assert_equal [r client tracking on] OK
        assert_equal [r client getredir] 0
        assert_equal [r client tracking off] OK
    }

    test {CLIENT TRACKING - FLUSHALL invalidates everything} {
        set c [redis_deferring_client]
        $c hello 3
        $c read
        $c client tracking on
        $c read
        $c get tk:f
        $c read
        r flushall
        assert_equal [$c read] {invalidate {}}
        $c close
    }
}

# CLIENT TRACKINGINFO as a dict (the map is a flat list in both protocols).
proc tracking_info {c} {
    return [flat_to_dict [$c client trackinginfo]]
}

# The next n raw protocol lines of a raw-mode client (the first already
# read), joined by spaces.
proc tracking_raw_lines {c first n} {
    set lines [list $first]
    for {set i 1} {$i < $n} {incr i} { lappend lines [$c read] }
    return [join $lines " "]
}

# Waits until the server has closed the client with this id.
proc tracking_wait_gone {id} {
    wait_for_condition 100 20 {
        ![string match "*id=$id *" [r client list]]
    } else {
        fail "client $id still listed"
    }
}

start_server {tags {tracking}} {
    test {CLIENT TRACKINGINFO - tracking off: flags off, redirect -1, no prefixes} {
        assert_equal [r client trackinginfo] {flags off redirect -1 prefixes {}}
        assert_error {ERR wrong number of arguments for 'client|trackinginfo' command} {r client trackinginfo x}
    }

    test {CLIENT TRACKINGINFO - exact RESP2 and RESP3 replies (flags are a set in RESP3)} {
        set c [raw_connect]
        assert_equal [tracking_raw_lines $c [$c client trackinginfo] 12] \
            {*6 $5 flags *1 $3 off $8 redirect :-1 $8 prefixes *0}
        assert_equal [$c client tracking on bcast prefix b prefix a] +OK
        assert_equal [tracking_raw_lines $c [$c client trackinginfo] 18] \
            {*6 $5 flags *2 $2 on $5 bcast $8 redirect :0 $8 prefixes *2 $1 a $1 b}
        assert_equal [$c client tracking off] +OK
        assert_equal [$c hello 3] %7
        # The rest of HELLO's map ends with modules' empty array.
        while {[$c read] ne "*0"} {}
        assert_equal [tracking_raw_lines $c [$c client trackinginfo] 12] \
            {%3 $5 flags ~1 $3 off $8 redirect :-1 $8 prefixes *0}
        assert_equal [$c client tracking on optin noloop] +OK
        assert_equal [tracking_raw_lines $c [$c client trackinginfo] 16] \
            {%3 $5 flags ~3 $2 on $5 optin $6 noloop $8 redirect :0 $8 prefixes *0}
    }

    test {CLIENT TRACKINGINFO - on, then off again} {
        assert_equal [r client tracking on] OK
        assert_equal [r client trackinginfo] {flags on redirect 0 prefixes {}}
        assert_equal [r client tracking off] OK
        assert_equal [r client trackinginfo] {flags off redirect -1 prefixes {}}
        assert_equal [r client getredir] -1
    }

    test {CLIENT TRACKINGINFO - BCAST prefixes sorted, added up, BCAST alone is the empty prefix} {
        assert_equal [r client tracking on bcast prefix user: prefix a prefix item:] OK
        assert_equal [r client trackinginfo] {flags {on bcast} redirect 0 prefixes {a item: user:}}
        assert_equal [r client tracking on bcast prefix b] OK
        assert_equal [dict get [tracking_info r] prefixes] {a b item: user:}
        assert_equal [r client tracking off] OK
        assert_equal [r client tracking on bcast noloop] OK
        assert_equal [r client trackinginfo] {flags {on bcast noloop} redirect 0 prefixes {{}}}
    }

    test {CLIENT TRACKINGINFO - OPTIN with CLIENT CACHING yes pending: caching-yes until the next command} {
        assert_equal [r client tracking on optin] OK
        assert_equal [dict get [tracking_info r] flags] {on optin}
        assert_equal [r client caching yes] OK
        assert_equal [dict get [tracking_info r] flags] {on optin caching-yes}
        # CLIENT subcommands keep it (TRACKINGINFO itself too), as in Redis.
        assert_equal [dict get [tracking_info r] flags] {on optin caching-yes}
        r client id
        assert_equal [dict get [tracking_info r] flags] {on optin caching-yes}
        r ping
        assert_equal [dict get [tracking_info r] flags] {on optin}
        # A refused command ends it too.
        assert_equal [r client caching yes] OK
        assert_error {ERR wrong number of arguments for 'get' command} {r get}
        assert_equal [dict get [tracking_info r] flags] {on optin}
    }

    test {CLIENT TRACKINGINFO - OPTOUT with CLIENT CACHING no pending, NOLOOP} {
        assert_equal [r client tracking on optout noloop] OK
        assert_equal [r client trackinginfo] {flags {on optout noloop} redirect 0 prefixes {}}
        assert_equal [r client caching no] OK
        assert_equal [dict get [tracking_info r] flags] {on optout caching-no noloop}
        r get tk:x
        assert_equal [dict get [tracking_info r] flags] {on optout noloop}
        # Switching between OPTIN and OPTOUT needs tracking off first.
        assert_error {ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.} {r client tracking on optin}
        # On again replaces the mode (NOLOOP goes) and keeps OPTOUT if given.
        assert_equal [r client tracking on optout] OK
        assert_equal [dict get [tracking_info r] flags] {on optout}
    }

    test {CLIENT TRACKINGINFO - CLIENT CACHING yes lasts through a transaction} {
        assert_equal [r client tracking on optin] OK
        assert_equal [r client caching yes] OK
        r multi
        r client trackinginfo
        set res [r exec]
        assert_equal [dict get [flat_to_dict [lindex $res 0]] flags] {on optin caching-yes}
        assert_equal [dict get [tracking_info r] flags] {on optin}
    }

    test {CLIENT TRACKINGINFO - REDIRECT to a client id, or to itself} {
        set other [redis_client]
        set oid [$other client id]
        assert_equal [r client tracking on redirect $oid] OK
        assert_equal [r client trackinginfo] [list flags on redirect $oid prefixes {}]
        assert_equal [r client getredir] $oid
        set myid [r client id]
        assert_equal [r client tracking on redirect $myid] OK
        assert_equal [dict get [tracking_info r] redirect] $myid
        # Tracking off forgets the redirect.
        assert_equal [r client tracking off] OK
        assert_equal [dict get [tracking_info r] redirect] -1
        $other close
    }

    test {CLIENT TRACKINGINFO - REDIRECT client gone: broken_redirect once an invalidation misses it} {
        set other [redis_client]
        set oid [$other client id]
        assert_equal [r client tracking on redirect $oid] OK
        r set tk:br 1
        r get tk:br
        $other close
        tracking_wait_gone $oid
        # Not at the disconnect: only when an invalidation finds it gone.
        assert_equal [r client trackinginfo] [list flags on redirect $oid prefixes {}]
        set w [redis_client]
        $w set tk:br 2
        assert_equal [r client trackinginfo] [list flags {on broken_redirect} redirect $oid prefixes {}]
        assert_equal [r client getredir] $oid
        # CLIENT LIST shows it as R, to the client itself and to others
        # (on another event-loop thread, often).
        set rid [r client id]
        assert_match {*flags=tR *} [r client info]
        assert_match "*id=$rid *flags=tR *" [$w client list id $rid]
        # A RESP2 client is told nothing: the next reply is its own.
        assert_equal [r ping] PONG
        # Tracking on again (without REDIRECT) clears it.
        assert_equal [r client tracking on] OK
        assert_equal [r client trackinginfo] {flags on redirect 0 prefixes {}}
        assert_equal [r client tracking on redirect [$w client id]] OK
        assert_equal [r client tracking off] OK
        assert_equal [r client trackinginfo] {flags off redirect -1 prefixes {}}
        $w close
    }

    test {CLIENT TRACKING - RESP3: tracking-redir-broken push when the REDIRECT client has gone} {
        set other [redis_client]
        set oid [$other client id]
        set c [redis_deferring_client]
        $c hello 3
        $c read
        $c client tracking on redirect $oid
        assert_equal [$c read] OK
        $c get tk:rb
        $c read
        $other close
        tracking_wait_gone $oid
        # Nothing is sent at the disconnect itself.
        $c ping
        assert_equal [$c read] PONG
        r set tk:rb 1
        assert_equal [$c read] [list tracking-redir-broken $oid]
        # The key was consumed like a delivered invalidation.
        r set tk:rb 2
        $c ping
        assert_equal [$c read] PONG
        $c client trackinginfo
        assert_equal [$c read] [list flags {on broken_redirect} redirect $oid prefixes {}]
        # Every invalidation that misses the redirect says so, FLUSHALL too.
        $c get tk:rb
        $c read
        r flushall
        assert_equal [$c read] [list tracking-redir-broken $oid]
        $c close
    }

    test {CLIENT TRACKING - RESP3: exact tracking-redir-broken push} {
        set other [redis_client]
        set oid [$other client id]
        set c [raw_connect]
        $c hello 3
        while {[$c read] ne "*0"} {}
        assert_equal [$c client tracking on bcast prefix tk:raw redirect $oid] +OK
        $other close
        tracking_wait_gone $oid
        r set tk:raw 1
        assert_equal [tracking_raw_lines $c [$c read] 4] ">2 \$21 tracking-redir-broken :$oid"
        $c close
    }

    test {CLIENT TRACKING - REDIRECT to a RESP2 client: only when it is subscribed} {
        set target [redis_deferring_client]
        $target client id
        set tid [$target read]
        set c [redis_client]
        assert_equal [$c client tracking on redirect $tid] OK
        $c get tk:sub
        r set tk:sub 1
        # Not subscribed: the message would look like a reply, so none is sent.
        $target ping
        assert_equal [$target read] PONG
        # Subscribed to any channel: it gets __redis__:invalidate messages.
        $target subscribe some-channel
        $target read
        $c get tk:sub
        r set tk:sub 2
        assert_equal [$target read] {message __redis__:invalidate tk:sub}
        $c close
        $target close
    }

    test {CLIENT TRACKING - REDIRECT to a RESP3 client, and to itself} {
        set target [redis_deferring_client]
        $target hello 3
        $target read
        $target client id
        set tid [$target read]
        set c [redis_client]
        assert_equal [$c client tracking on redirect $tid] OK
        $c get tk:r3
        r set tk:r3 1
        assert_equal [$target read] {invalidate tk:r3}
        $target close
        set s [redis_deferring_client]
        $s hello 3
        $s read
        $s client id
        set sid [$s read]
        $s client tracking on redirect $sid
        assert_equal [$s read] OK
        $s get tk:r3
        $s read
        r set tk:r3 2
        assert_equal [$s read] {invalidate tk:r3}
        $c close
        $s close
    }

    test {CLIENT TRACKING - RESET keeps the redirects that name the client} {
        set target [redis_deferring_client]
        $target client id
        set tid [$target read]
        set c [redis_client]
        assert_equal [$c client tracking on redirect $tid] OK
        $target reset
        assert_equal [$target read] RESET
        $target hello 3
        $target read
        # One more round trip: respite publishes a client's protocol to
        # other threads just after the batch's replies are written.
        $target ping
        $target read
        $c get tk:rs
        r set tk:rs 1
        assert_equal [$target read] {invalidate tk:rs}
        assert_equal [dict get [tracking_info $c] flags] on
        $c close
        $target close
    }

    test {CLIENT TRACKING - BCAST without PREFIX sends every key} {
        set c [redis_deferring_client]
        $c hello 3
        $c read
        $c client tracking on bcast
        assert_equal [$c read] OK
        r set tk:any 1
        assert_equal [$c read] {invalidate tk:any}
        $c close
    }

    test {CLIENT TRACKING - CLIENT CACHING yes covers CLIENT subcommands and a whole transaction} {
        set c [redis_deferring_client]
        $c hello 3
        $c read
        $c client tracking on optin
        $c read
        $c client caching yes
        $c read
        $c client id
        $c read
        $c get tk:o1
        $c read
        $c client caching yes
        $c read
        $c multi
        $c read
        $c get tk:o2
        $c read
        $c get tk:o3
        $c read
        $c exec
        $c read
        $c get tk:o4
        $c read
        r mset tk:o1 1 tk:o2 2 tk:o3 3 tk:o4 4
        assert_equal [$c read] {invalidate tk:o1}
        assert_equal [$c read] {invalidate tk:o2}
        assert_equal [$c read] {invalidate tk:o3}
        $c ping
        assert_equal [$c read] PONG
        $c close
    }

    test {CLIENT TRACKING - overlapping prefixes are refused} {
        assert_error {ERR Prefix 'a' overlaps with another provided prefix 'ab'. Prefixes for a single client must not overlap.} {r client tracking on bcast prefix a prefix ab}
        assert_error {ERR Prefix 'x' overlaps with another provided prefix 'x'. Prefixes for a single client must not overlap.} {r client tracking on bcast prefix x prefix x}
        assert_equal [r client trackinginfo] {flags off redirect -1 prefixes {}}
        assert_equal [r client tracking on bcast prefix a prefix b] OK
        assert_error {ERR Prefix 'ab' overlaps with an existing prefix 'a'. Prefixes for a single client must not overlap.} {r client tracking on bcast prefix ab}
        assert_error {ERR Prefix 'b' overlaps with an existing prefix 'b'. Prefixes for a single client must not overlap.} {r client tracking on bcast prefix b}
        assert_error {ERR Prefix '' overlaps with an existing prefix 'a'. Prefixes for a single client must not overlap.} {r client tracking on bcast prefix {}}
        assert_equal [dict get [tracking_info r] prefixes] {a b}
        assert_equal [r client tracking off] OK
        assert_equal [r client tracking on bcast] OK
        assert_error {ERR Prefix 'c' overlaps with an existing prefix ''. Prefixes for a single client must not overlap.} {r client tracking on bcast prefix c}
    }

    test {CLIENT TRACKING - REDIRECT errors, also with OFF} {
        set other [redis_client]
        set oid [$other client id]
        assert_error {ERR A client can only redirect to a single other client} {r client tracking on redirect $oid redirect $oid}
        assert_error {ERR The client ID you want redirect to does not exist} {r client tracking on redirect 0}
        assert_error {ERR The client ID you want redirect to does not exist} {r client tracking off redirect 999999}
        assert_error {ERR value is not an integer or out of range} {r client tracking on redirect x}
        # The redirect is checked before the other options.
        assert_error {ERR The client ID you want redirect to does not exist} {r client tracking on prefix a redirect 999999}
        assert_error {ERR OPTIN and OPTOUT are not compatible with BCAST} {r client tracking on bcast optin optout}
        assert_equal [r client tracking off bcast optin optout] OK
        assert_equal [r client trackinginfo] {flags off redirect -1 prefixes {}}
        $other close
    }

    test {CLIENT TRACKINGINFO - COMMAND INFO, and CLIENT HELP lists it} {
        set info [lindex [r command info client|trackinginfo] 0]
        assert_equal [lrange $info 0 5] {client|trackinginfo 2 {noscript loading stale} 0 0 0}
        set help [r client help]
        foreach line {
            {CACHING (YES|NO)}
            {GETREDIR}
            {TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]}
            {         [OPTIN] [OPTOUT] [NOLOOP]}
            {TRACKINGINFO}
            {    Report tracking status for the current connection.}
        } {
            assert {[lsearch -exact $help $line] >= 0} "CLIENT HELP lacks '$line'"
        }
    }
}

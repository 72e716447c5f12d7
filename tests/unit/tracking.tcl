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

# Authentication: requirepass, AUTH, HELLO AUTH, NOAUTH, ACL WHOAMI.

start_server {tags {auth}} {
    test {AUTH - without requirepass, a bare password is an error} {
        assert_error {ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?} {r auth foo}
        assert_equal [r auth default anything] OK
        assert_error {WRONGPASS invalid username-password pair or user is disabled.} {r auth nobody foo}
        assert_error {ERR syntax error} {r auth a b c}
    }

    test {ACL WHOAMI - the default user} {
        assert_equal [r acl whoami] default
    }
}

start_server {overrides {requirepass s3cret} tags {auth}} {
    test {AUTH - commands are refused until authenticated} {
        set c [redis_client]
        assert_error {NOAUTH Authentication required.} {$c ping}
        assert_error {NOAUTH Authentication required.} {$c get k}
        assert_error {WRONGPASS invalid username-password pair or user is disabled.} {$c auth wrong}
        assert_error {NOAUTH Authentication required.} {$c ping}
        assert_equal [$c auth s3cret] OK
        assert_equal [$c ping] PONG
        $c close
    }

    test {AUTH - with a username} {
        set c [redis_client]
        assert_error {WRONGPASS*} {$c auth default wrong}
        assert_error {WRONGPASS*} {$c auth someone s3cret}
        assert_equal [$c auth default s3cret] OK
        assert_equal [$c acl whoami] default
        $c close
    }

    test {HELLO - refused before AUTH unless it carries AUTH} {
        set c [redis_client]
        assert_error {NOAUTH HELLO must be called with the client already authenticated*} {$c hello 2}
        assert_error {WRONGPASS*} {$c hello 2 auth default wrong}
        set reply [$c hello 2 auth default s3cret]
        assert_equal [dict get $reply proto] 2
        assert_equal [$c ping] PONG
        $c close
    }

    test {NOAUTH - a queued command in MULTI aborts the transaction} {
        set c [redis_client]
        assert_error {NOAUTH*} {$c multi}
        $c close
    }

    test {CONFIG SET requirepass - new connections need the new password} {
        r auth s3cret
        r config set requirepass other
        set c [redis_client]
        assert_error {NOAUTH*} {$c ping}
        assert_error {WRONGPASS*} {$c auth s3cret}
        assert_equal [$c auth other] OK
        $c close
        # The connection that was authenticated stays authenticated.
        assert_equal [r ping] PONG
        r config set requirepass ""
        set c [redis_client]
        assert_equal [$c ping] PONG
        $c close
        r config set requirepass s3cret
    }
}

# MONITOR: every command a client runs reaches each monitor as a status line
# "<unix time with microseconds> [<db> <client address>] "<arg>" ...", with
# arguments quoted and escaped as Redis's sdscatrepr does, a script's
# commands as "[<db> lua]" after the script's own line, secrets of AUTH and
# HELLO redacted, admin commands (CONFIG, CLIENT, MONITOR) left out, and a
# transaction's commands shown when EXEC runs them.

# FIELD of a CLIENT LIST / CLIENT INFO line.
proc mon_field {line field} {
    regexp "(?:^| )$field=(\\S*)" $line -> value
    return $value
}

# The next MONITOR line of m without its timestamp: "[db addr] args".
proc mon_next {m} {
    set line [$m read]
    if {![regexp {^\d+\.\d{6} (\[.*)$} $line -> rest]} {
        fail "not a MONITOR line: '$line'"
    }
    return $rest
}

start_server {tags {monitor}} {
    test {MONITOR - replies OK, then shows each command with its database and client address} {
        set c [redis_client]
        set addr [mon_field [$c client info] addr]
        set m [redis_deferring_client]
        $m monitor
        assert_equal [$m read] OK
        $c set monkey v1
        $c select 3
        $c get monkey
        assert_equal [mon_next $m] "\[0 $addr\] \"set\" \"monkey\" \"v1\""
        assert_equal [mon_next $m] "\[3 $addr\] \"select\" \"3\""
        assert_equal [mon_next $m] "\[3 $addr\] \"get\" \"monkey\""
        $m close
    }

    test {MONITOR - arguments are quoted with quotes, backslashes and bytes escaped} {
        set m [redis_deferring_client]
        $m monitor
        $m read
        r set "a \"b\" \\c" "x\ny\r\t\x01\xff"
        assert_equal [lindex [split [mon_next $m] "\]"] 1] \
            { "set" "a \"b\" \\c" "x\ny\r\t\x01\xff"}
        $m close
    }

    test {MONITOR - a script shows before its commands, which show as lua} {
        set m [redis_deferring_client]
        $m monitor
        $m read
        r eval {redis.call('set', KEYS[1], 'v') return redis.call('get', KEYS[1])} 1 monscript
        assert_match {*"eval" "redis.call('set'*" "1" "monscript"} [mon_next $m]
        assert_equal [mon_next $m] {[0 lua] "set" "monscript" "v"}
        assert_equal [mon_next $m] {[0 lua] "get" "monscript"}
        $m close
    }

    test {MONITOR - AUTH and HELLO AUTH secrets are redacted} {
        set m [redis_deferring_client]
        $m monitor
        $m read
        catch {r auth secretpass}
        catch {r hello 2 auth default secretpass setname monname}
        r ping
        assert_match {*"auth" "(redacted)"} [mon_next $m]
        assert_match {*"hello" "2" "auth" "(redacted)" "(redacted)" "setname" "monname"} [mon_next $m]
        assert_match {*"ping"} [mon_next $m]
        $m close
    }

    test {MONITOR - a transaction's commands show at EXEC; admin commands do not show} {
        set m [redis_deferring_client]
        $m monitor
        $m read
        set c [redis_client]
        $c multi
        $c incr moncounter
        $c config get maxmemory
        $c exec
        $c ping
        assert_match {*"multi"} [mon_next $m]
        assert_match {*"incr" "moncounter"} [mon_next $m]
        assert_match {*"exec"} [mon_next $m]
        assert_match {*"ping"} [mon_next $m]
        $m close
    }

    test {MONITOR - sees the commands of many clients, and leaves no trace when it closes} {
        set m [redis_deferring_client]
        $m monitor
        $m read
        set mon_clients {}
        for {set i 0} {$i < 8} {incr i} { lappend mon_clients [redis_client] }
        set i 0
        foreach c $mon_clients { $c set monmany:$i $i; incr i }
        set mon_seen {}
        for {set i 0} {$i < 8} {incr i} {
            regexp {"set" "(monmany:\d+)"} [mon_next $m] -> mon_key
            lappend mon_seen $mon_key
        }
        assert_equal [lsort $mon_seen] [lsort {monmany:0 monmany:1 monmany:2 monmany:3 monmany:4 monmany:5 monmany:6 monmany:7}]
        $m close
        foreach c $mon_clients { assert_equal [$c ping] PONG }
    }

    test {MONITOR - CLIENT LIST flags a monitor O; MONITOR inside MULTI fails at EXEC} {
        set m [redis_deferring_client]
        $m client id
        set id [$m read]
        $m monitor
        $m read
        assert_equal [mon_field [r client list id $id] flags] O
        $m close
        set c [redis_client]
        $c multi
        $c monitor
        catch {$c exec} e
        assert_match {*MONITOR isn't allowed for DENY BLOCKING client*} $e
    }
}

# Connection commands: PING, ECHO, QUIT, RESET, HELLO and RESP3 replies,
# and the CLIENT subcommands that name, list and kill connections.

proc client_field {line field} {
    if {[regexp "(?:^| )$field=(\\S*)" $line -> v]} { return $v }
    return ""
}

start_server {tags {connection}} {
    test {PING - replies with the simple string PONG} {
        assert_equal [r ping] PONG
        set c [raw_connect]
        assert_equal [$c ping] +PONG
    }

    test {PING - with an argument replies with it as a bulk string} {
        set c [raw_connect]
        assert_equal [$c ping hello] {$5}
        assert_equal [$c read] hello
        assert_equal [r ping "a\x00b"] "a\x00b"
        assert_error {ERR wrong number of arguments for 'ping' command} {r ping a b}
    }

    test {ECHO - replies with its argument, binary safe} {
        assert_equal [r echo hello] hello
        assert_equal [r echo ""] {}
        assert_equal [r echo "\r\n\x00"] "\r\n\x00"
        assert_error {ERR wrong number of arguments for 'echo' command} {r echo}
        assert_error {ERR wrong number of arguments for 'echo' command} {r echo a b}
    }

    test {QUIT - replies OK and closes the connection} {
        set c [redis_client]
        assert_equal [$c quit] OK
        assert_equal [$c wait_close 3000] 1
    }

    test {QUIT - commands pipelined after QUIT are not run} {
        r del afterquit
        set c [raw_connect]
        $c write_raw "QUIT\r\nSET afterquit 1\r\n"
        assert_equal [$c read] +OK
        assert_equal [$c wait_close 3000] 1
        assert_equal [r exists afterquit] 0
    }

    test {RESET - replies RESET and restores connection state} {
        set c [redis_client]
        $c select 3
        $c client setname named
        $c hello 3
        set c2 [raw_connect]
        assert_equal [$c2 reset] +RESET
        assert_equal [$c reset] RESET
        assert_equal [$c client getname] {}
        assert_equal [client_field [$c client info] db] 0
        assert_equal [client_field [$c client info] resp] 2
        $c readraw 1
        assert_equal [$c get nokey] {$-1}
    }

    test {HELLO - without arguments replies with the server properties} {
        set d [flat_to_dict [r hello]]
        assert_equal [dict get $d server] redis
        assert_match {*.*.*} [dict get $d version]
        assert_equal [dict get $d proto] 2
        assert_equal [dict get $d id] [r client id]
        assert_equal [dict get $d mode] standalone
        assert_equal [dict get $d role] master
        assert_equal [dict get $d modules] {}
        assert_equal [dict keys $d] {server version proto id mode role modules}
    }

    test {HELLO - RESP2 reply is a flat array of 14 elements} {
        set c [raw_connect]
        assert_equal [$c hello 2] {*14}
    }

    test {HELLO 3 - replies with a map and switches to RESP3} {
        set c [raw_connect]
        assert_equal [$c hello 3] {%7}
        $c readraw 0
        # Drain the 7 pairs of the map.
        for {set i 0} {$i < 14} {incr i} { $c read }
        $c readraw 1
        assert_equal [$c get nokey] {_}
        assert_equal [$c config get maxmemory] {%1}
    }

    test {HELLO 3 - reply fields} {
        set d [flat_to_dict [r hello 3]]
        assert_equal [dict get $d proto] 3
        assert_equal [dict get $d server] redis
    }

    test {HELLO 3 - missing values are RESP3 nulls, also inside arrays} {
        set c [raw_connect]
        $c readraw 0
        $c hello 3
        $c del nokey
        $c set k v
        $c readraw 1
        assert_equal [$c mget nokey k] {*2}
        assert_equal [$c read] {_}
        assert_equal [$c read] {$1}
        assert_equal [$c read] v
        assert_equal [$c set k v nx] {_}
    }

    test {HELLO 3 - CONFIG GET replies with a map} {
        set c [redis_client]
        $c hello 3
        $c readraw 1
        assert_equal [$c config get maxmemory] {%1}
        $c readraw 0
        assert_equal [$c read] maxmemory
        $c read
        $c readraw 1
        assert_equal [$c config get no-such-parameter-xyz] {%0}
    }

    test {HELLO 3 - integers, bulks and errors are unchanged} {
        set c [redis_client]
        $c hello 3
        $c readraw 1
        assert_equal [$c incrbyfloat hf 1.5] {$3}
        assert_equal [$c read] 1.5
        assert_equal [$c exists hf] {:1}
        assert_equal [$c get] "-ERR wrong number of arguments for 'get' command"
    }

    test {HELLO 3 - INFO is a verbatim string} {
        set c [redis_client]
        $c hello 3
        $c readraw 1
        assert_match {=*} [$c info server]
        # The payload starts with the "txt:" format prefix.
        assert_equal [$c read] {txt:# Server}
    }

    test {HELLO 2 - switches a RESP3 connection back} {
        set c [redis_client]
        $c hello 3
        assert_equal [flat_to_dict [$c hello 2]] [flat_to_dict [$c hello 2]]
        $c readraw 1
        assert_equal [$c get nokey] {$-1}
    }

    test {HELLO - unsupported protocol versions} {
        assert_error {NOPROTO unsupported protocol version} {r hello 1}
        assert_error {NOPROTO unsupported protocol version} {r hello 4}
        assert_error {NOPROTO unsupported protocol version} {r hello 0}
        assert_error {ERR Protocol version is not an integer or out of range} {r hello abc}
        assert_error {ERR Protocol version is not an integer or out of range} {r hello 3.0}
    }

    test {HELLO - SETNAME sets the client name} {
        r hello 2 setname hello-name
        assert_equal [r client getname] hello-name
        assert_error {ERR Client names cannot contain spaces, newlines or special characters.} {r hello 2 setname "a b"}
        assert_equal [r client getname] hello-name
    }

    test {HELLO - unknown or incomplete options} {
        assert_error {ERR Syntax error in HELLO option 'foo'} {r hello 2 foo}
        assert_error {ERR Syntax error in HELLO option 'setname'} {r hello 2 setname}
    }

    test {CLIENT ID - unique and increasing per connection} {
        set a [redis_client]
        set b [redis_client]
        set ida [$a client id]
        set idb [$b client id]
        assert {[string is wide -strict $ida] && $ida > 0}
        assert {$idb > $ida}
        assert_equal [$a client id] $ida
        assert_error {ERR wrong number of arguments for 'client|id' command} {r client id x}
    }

    test {CLIENT GETNAME - null when no name was set} {
        set c [raw_connect]
        assert_equal [$c client getname] {$-1}
    }

    test {CLIENT SETNAME - sets and clears the name} {
        assert_equal [r client setname myname] OK
        assert_equal [r client getname] myname
        assert_equal [r client setname ""] OK
        set c [raw_connect]
        $c client setname x
        $c client setname ""
        assert_equal [$c client getname] {$-1}
    }

    test {CLIENT SETNAME - names with spaces or special characters are rejected} {
        set err {ERR Client names cannot contain spaces, newlines or special characters.}
        r client setname ok
        foreach bad [list "a b" "a\nb" "a\x7f" "a\x01" "\xe9"] {
            assert_error $err {r client setname $bad}
        }
        assert_equal [r client getname] ok
    }

    test {CLIENT SETNAME - wrong number of arguments} {
        assert_error {ERR wrong number of arguments for 'client|setname' command} {r client setname}
        assert_error {ERR wrong number of arguments for 'client|setname' command} {r client setname a b}
        assert_error {ERR wrong number of arguments for 'client|getname' command} {r client getname x}
    }

    test {CLIENT - unknown subcommand} {
        assert_error {ERR unknown subcommand 'foo'. Try CLIENT HELP.} {r client foo}
        assert_error {ERR wrong number of arguments for 'client' command} {r client}
    }

    test {CLIENT INFO - describes the current connection} {
        r client setname infoname
        r select 2
        set line [r client info]
        assert_match "id=[r client id] addr=127.0.0.1:* *" $line
        assert_equal [client_field $line name] infoname
        assert_equal [client_field $line db] 2
        assert_equal [client_field $line cmd] client|info
        assert_equal [client_field $line resp] 2
        assert_match "*\n" $line
        assert_equal [llength [split [string trimright $line \n] \n]] 1
    }

    test {CLIENT LIST - one line per connection with the expected fields} {
        set a [redis_client]
        $a client setname listed
        $a select 4
        set me [r client id]
        set list [r client list]
        assert_match "*\n" $list
        set lines [split [string trimright $list \n] \n]
        assert {[llength $lines] >= 2}
        set found 0
        foreach line $lines {
            foreach f {id addr laddr fd name age idle flags db cmd} {
                assert_match "* $f=*" " $line"
            }
            if {[client_field $line name] eq "listed"} {
                set found 1
                assert_equal [client_field $line db] 4
                assert_equal [client_field $line cmd] select
            }
            if {[client_field $line id] == $me} {
                assert_equal [client_field $line cmd] client|list
            }
        }
        assert_equal $found 1
    }

    test {CLIENT LIST - ID and TYPE filters} {
        set a [redis_client]
        set ida [$a client id]
        set me [r client id]
        set lines [split [string trimright [r client list id $ida $me 999999999] \n] \n]
        assert_equal [llength $lines] 2
        assert_equal [lsort -integer [list [client_field [lindex $lines 0] id] [client_field [lindex $lines 1] id]]] \
            [lsort -integer [list $ida $me]]
        assert_match "*id=$me *" [r client list type normal]
        assert_equal [r client list id 999999999] {}
    }

    test {CLIENT LIST - filter errors} {
        assert_error {ERR Unknown client type 'foo'} {r client list type foo}
        assert_error {ERR Invalid client ID} {r client list id abc}
        assert_error {ERR syntax error} {r client list id}
        assert_error {ERR syntax error} {r client list foo}
    }

    test {CLIENT REPLY - OFF drops replies until ON, which replies OK} {
        set c [redis_deferring_client]
        $c client reply off
        $c set replykey 1
        $c get replykey
        $c client reply on
        assert_equal [$c read] OK
        $c get replykey
        assert_equal [$c read] 1
        $c close
    }

    test {CLIENT REPLY - SKIP drops the next reply only, and nothing while OFF} {
        set c [redis_deferring_client]
        $c client reply skip
        $c incr skipcounter
        $c incr skipcounter
        assert_equal [$c read] 2
        $c client reply off
        $c client reply skip
        $c incr skipcounter
        $c client reply on
        assert_equal [$c read] OK
        $c incr skipcounter
        assert_equal [$c read] 4
        $c close
    }

    test {CLIENT REPLY - errors are dropped too; a bad mode is a syntax error} {
        set c [redis_deferring_client]
        $c client reply off
        $c nosuchcommand
        $c incr
        $c client reply on
        assert_equal [$c read] OK
        $c client reply maybe
        assert_error {ERR syntax error} {$c read}
        $c close
    }

    test {CLIENT REPLY - pub/sub messages still arrive while OFF} {
        # RESP3: CLIENT is allowed while subscribed, messages are pushes.
        set sub [redis_deferring_client]
        $sub hello 3
        $sub read
        $sub subscribe replychan
        $sub read
        $sub client reply off
        wait_for_condition 100 10 {[r pubsub numsub replychan] eq {replychan 1}} else {
            fail "no subscriber"
        }
        assert_equal [r publish replychan hello] 1
        assert_equal [$sub read] {message replychan hello}
        $sub close
    }

    test {CLIENT REPLY - RESET turns replies back on} {
        set c [redis_deferring_client]
        $c client reply off
        $c ping
        $c reset
        assert_equal [$c read] RESET
        $c ping
        assert_equal [$c read] PONG
        $c close
    }

    test {CLIENT NO-TOUCH - reads leave the idle time alone, TOUCH still counts} {
        if {![version_at_least 7.2]} { skip_test "CLIENT NO-TOUCH is Redis 7.2's" }
        r config set maxmemory-policy allkeys-lru
        r set notouch v
        r client no-touch on
        after 2100
        r get notouch
        assert {[r object idletime notouch] >= 2}
        r touch notouch
        assert {[r object idletime notouch] < 2}
        r client no-touch off
        after 1100
        r get notouch
        assert {[r object idletime notouch] < 1}
        assert_error {ERR syntax error} {r client no-touch maybe}
    }

    test {CLIENT LIST - flags and counts for MULTI, WATCH, subscriptions and NO-TOUCH} {
        set a [redis_client]
        set ida [$a client id]
        $a watch w1 w2
        $a multi
        $a get w1
        set line [r client list id $ida]
        assert_equal [client_field $line flags] x
        assert_equal [client_field $line multi] 1
        if {[version_at_least 7.4]} { assert_equal [client_field $line watch] 2 }
        r set w1 changed
        set line [r client list id $ida]
        assert_equal [client_field $line flags] xd
        $a discard
        set sub [redis_deferring_client]
        $sub subscribe c1 c2
        $sub read
        $sub read
        $sub psubscribe p*
        $sub read
        set line [r client list id [r client id]]
        assert_equal [client_field $line flags] N
        foreach line [split [string trimright [r client list] \n] \n] {
            if {[client_field $line sub] == 2} {
                assert_equal [client_field $line flags] P
                assert_equal [client_field $line psub] 1
            }
        }
        $sub close
        if {[version_at_least 7.2]} {
            $a client no-touch on
            assert_equal [client_field [r client list id $ida] flags] T
        }
        $a close
    }

    test {CLIENT KILL - ID closes the other connection} {
        set victim [redis_client]
        set id [$victim client id]
        assert_equal [r client kill id $id] 1
        assert_equal [$victim wait_close 3000] 1
        assert_equal [r client kill id $id] 0
    }

    test {CLIENT KILL - ADDR filter and the old single address form} {
        set victim [redis_client]
        set addr [client_field [$victim client info] addr]
        assert_equal [r client kill addr $addr] 1
        assert_equal [$victim wait_close 3000] 1
        set victim [redis_client]
        set addr [client_field [$victim client info] addr]
        assert_equal [r client kill $addr] OK
        assert_equal [$victim wait_close 3000] 1
        assert_error {ERR No such client} {r client kill $addr}
        assert_equal [r client kill addr 1.2.3.4:5] 0
    }

    test {CLIENT KILL - SKIPME yes spares the caller, no includes it} {
        set me [r client id]
        assert_equal [r client kill id $me] 0
        assert_equal [r ping] PONG
        set c [redis_client]
        set other [redis_client]
        # A reply means the server has accepted it (connect returns once
        # the kernel has, which may be before): then the kill must find it.
        assert_equal [$other ping] PONG
        set n [$c client kill type normal skipme yes]
        assert {$n >= 2}
        assert_equal [$other wait_close 3000] 1
        assert_equal [$c ping] PONG
        assert_equal [$c client kill id [$c client id] skipme no] 1
        assert_equal [$c wait_close 3000] 1
    }

    test {CLIENT KILL - errors} {
        assert_error {ERR client-id should be greater than 0} {r client kill id 0}
        assert_error {ERR client-id should be greater than 0} {r client kill id abc}
        assert_error {ERR syntax error} {r client kill skipme maybe}
        assert_error {ERR syntax error} {r client kill foo bar}
        assert_error {ERR syntax error} {r client kill id 1 skipme}
        assert_error {ERR Unknown client type 'foo'} {r client kill type foo}
        assert_error {ERR wrong number of arguments for 'client|kill' command} {r client kill}
        assert_error {ERR No such client} {r client kill 1.2.3.4:5}
    }

    test {CLIENT SETINFO - LIB-NAME and LIB-VER show in CLIENT INFO} {
        if {![version_at_least 7.2]} { skip_test "CLIENT SETINFO is new in Redis 7.2" }
        assert_equal [r client setinfo lib-name mylib] OK
        assert_equal [r client setinfo lib-ver 1.2.3] OK
        set line [r client info]
        assert_equal [client_field $line lib-name] mylib
        assert_equal [client_field $line lib-ver] 1.2.3
        assert_error {ERR *} {r client setinfo lib-name "a b"}
        assert_error {ERR *} {r client setinfo no-such-attr x}
    }

    test {SELECT - the selected database shows in CLIENT INFO} {
        assert_equal [client_field [r client info] db] 0
        r select 7
        assert_equal [client_field [r client info] db] 7
    }
}

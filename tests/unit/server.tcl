# Server-level commands: INFO and its counters, TIME, CONFIG GET/SET/
# RESETSTAT, COMMAND introspection and SHUTDOWN.

# Field names of an INFO reply, in order.
proc info_fields {info} {
    set out {}
    foreach line [split $info "\r\n"] {
        if {[regexp {^([a-z0-9_|]+):} $line -> f]} { lappend out $f }
    }
    return $out
}

# Section headers ("Server", "Clients", ...) of an INFO reply, in order.
proc info_sections {info} {
    set out {}
    foreach line [split $info "\r\n"] {
        if {[regexp {^# (.+)$} $line -> s]} { lappend out $s }
    }
    return $out
}

# The value of one key=value item of a cmdstat_ or dbN line.
proc info_subfield {info field sub} {
    set v [info_field $info $field]
    foreach kv [split $v ,] {
        lassign [split $kv =] k val
        if {$k eq $sub} { return $val }
    }
    return ""
}

start_server {tags {server}} {
    test {INFO - default sections} {
        set sections [info_sections [r info]]
        foreach s {Server Clients Memory Stats CPU Keyspace} {
            assert {$s in $sections} "(section $s missing from '$sections')"
        }
        assert {"Commandstats" ni $sections}
    }

    test {INFO - expected field names are present} {
        set fields [info_fields [r info all]]
        foreach f {
            redis_version redis_mode process_id tcp_port uptime_in_seconds
            connected_clients used_memory used_memory_human maxmemory
            maxmemory_policy mem_allocator total_connections_received
            total_commands_processed instantaneous_ops_per_sec expired_keys
            evicted_keys keyspace_hits keyspace_misses used_cpu_user
            used_cpu_sys
        } {
            assert {$f in $fields} "(field $f missing)"
        }
    }

    test {INFO - lines end in CRLF and every non-header line is field:value} {
        set info [r info]
        assert_match "*\r\n" $info
        foreach line [split [string map {"\r\n" "\n"} [string trimright $info]] "\n"] {
            if {$line eq "" || [string match {# *} $line]} continue
            assert_match {*:*} $line
        }
        assert_equal [string first "\n" [string map {"\r\n" ""} $info]] -1
    }

    test {INFO - values of server fields} {
        set info [r info server]
        assert_equal [info_field $info tcp_port] [srv port]
        assert_match {*.*.*} [info_field $info redis_version]
        assert_equal [info_field $info redis_mode] standalone
        assert {[string is integer -strict [info_field $info uptime_in_seconds]]}
    }

    test {INFO - mem_allocator names jemalloc} {
        assert_match {jemalloc*} [s mem_allocator]
    }

    test {INFO - one section only} {
        set info [r info server]
        assert_equal [info_sections $info] Server
        assert_match {*redis_version:*} $info
        assert_no_match {*connected_clients:*} $info
        assert_equal [info_sections [r info CLIENTS]] Clients
    }

    test {INFO - several sections in one call} {
        assert_equal [info_sections [r info server clients]] {Server Clients}
    }

    test {INFO - an unknown section gives an empty reply} {
        assert_equal [r info no-such-section] {}
    }

    # A connection the previous test closed still counts until the server
    # reads its end: take the count once two readings 10 ms apart agree.
    proc settled_connected_clients {} {
        set prev [s connected_clients clients]
        for {set i 0} {$i < 100} {incr i} {
            after 10
            set now [s connected_clients clients]
            if {$now == $prev} { return $now }
            set prev $now
        }
        return $prev
    }

    test {INFO - connected_clients counts open connections} {
        set before [settled_connected_clients]
        set a [redis_client]
        set b [redis_client]
        $a ping
        $b ping
        assert_equal [s connected_clients clients] [expr {$before + 2}]
        $a close
        $b close
        wait_for_condition 100 10 {[s connected_clients clients] == $before} else {
            fail "connected_clients did not go back to $before"
        }
    }

    test {INFO - keyspace_hits and keyspace_misses count reads} {
        r config resetstat
        r set k v
        r get k
        r get k
        r get nokey
        r mget k nokey nokey2
        assert_equal [s keyspace_hits stats] 3
        assert_equal [s keyspace_misses stats] 3
    }

    test {INFO - total_commands_processed increases} {
        set a [s total_commands_processed stats]
        r ping
        r ping
        set b [s total_commands_processed stats]
        assert {$b >= $a + 3}
    }

    test {INFO - used_memory grows with a large value and shrinks after DEL} {
        r flushall
        set before [s used_memory memory]
        r set big [string repeat x 2000000]
        set during [s used_memory memory]
        assert {$during > $before + 1500000} "(before $before during $during)"
        r del big
        wait_for_condition 50 20 {[s used_memory memory] < $during - 1500000} else {
            fail "used_memory stayed at [s used_memory memory] after DEL"
        }
    }

    test {INFO - keyspace lines per database} {
        r flushall
        assert_equal [info_fields [r info keyspace]] {}
        r mset a 1 b 2
        r set c 3 ex 100
        r select 3
        r set d 4
        set info [r info keyspace]
        assert_equal [info_fields $info] {db0 db3}
        assert_equal [info_subfield $info db0 keys] 3
        assert_equal [info_subfield $info db0 expires] 1
        assert_match {db0:keys=3,expires=1,avg_ttl=*} [lindex [split $info "\r\n"] 2]
        # Redis 7.4 appends ",subexpiry=0" (hash field expiry); 7.0 does not.
        assert {[info_field $info db3] in {keys=1,expires=0,avg_ttl=0 keys=1,expires=0,avg_ttl=0,subexpiry=0}}
    }

    test {INFO - commandstats counts calls per command} {
        r config resetstat
        r set a 1
        r set b 2
        r get a
        set info [r info commandstats]
        assert_equal [info_sections $info] Commandstats
        assert_equal [info_subfield $info cmdstat_set calls] 2
        assert_equal [info_subfield $info cmdstat_get calls] 1
        assert_match {calls=2,usec=*,usec_per_call=*,rejected_calls=0,failed_calls=0} \
            [info_field $info cmdstat_set]
    }

    test {INFO - commandstats rejected_calls and failed_calls} {
        r config resetstat
        catch {r get}
        r set x abc
        catch {r incr x}
        set info [r info commandstats]
        assert_equal [info_subfield $info cmdstat_get calls] 0
        assert_equal [info_subfield $info cmdstat_get rejected_calls] 1
        assert_equal [info_subfield $info cmdstat_incr calls] 1
        assert_equal [info_subfield $info cmdstat_incr failed_calls] 1
    }

    test {INFO - commandstats names subcommands with a pipe} {
        r config resetstat
        r config get hz
        assert_match {*cmdstat_config|get:calls=1,*} [r info commandstats]
    }

    test {INFO - instantaneous_ops_per_sec and used_cpu values are numbers} {
        set info [r info all]
        assert {[string is integer -strict [info_field $info instantaneous_ops_per_sec]]}
        assert {[string is double -strict [info_field $info used_cpu_user]]}
        assert {[string is double -strict [info_field $info used_cpu_sys]]}
    }

    test {TIME - seconds and microseconds as bulk strings} {
        lassign [r time] sec usec
        assert {[string is wide -strict $sec] && [string is wide -strict $usec]}
        assert_range $usec 0 999999
        assert_range $sec [expr {[clock seconds] - 2}] [expr {[clock seconds] + 2}]
        set c [raw_connect]
        assert_equal [$c time] {*2}
        assert_match {$*} [$c read]
        assert_error {ERR wrong number of arguments for 'time' command} {r time x}
    }

    test {TIME - does not go backwards} {
        set prev 0
        for {set i 0} {$i < 20} {incr i} {
            lassign [r time] sec usec
            set now [expr {$sec * 1000000 + $usec}]
            assert {$now >= $prev}
            set prev $now
        }
    }

    test {DBSIZE - follows SET and DEL} {
        r flushdb
        assert_equal [r dbsize] 0
        r set a 1
        r set b 1
        assert_equal [r dbsize] 2
        r del a
        assert_equal [r dbsize] 1
    }

    test {CONFIG GET - one parameter as a name, value pair} {
        r config set hz 10
        assert_equal [r config get hz] {hz 10}
        set d [flat_to_dict [r config get maxmemory]]
        assert_equal [dict keys $d] maxmemory
        assert {[string is wide -strict [dict get $d maxmemory]]}
    }

    test {CONFIG GET - glob pattern} {
        set d [flat_to_dict [r config get maxmemory*]]
        assert {[dict exists $d maxmemory]}
        assert {[dict exists $d maxmemory-policy]}
        foreach k [dict keys $d] { assert_match maxmemory* $k }
        assert_equal [flat_to_dict [r config get h?]] {hz 10}
    }

    test {CONFIG GET - several parameters} {
        set d [flat_to_dict [r config get hz maxmemory timeout]]
        assert_equal [lsort [dict keys $d]] {hz maxmemory timeout}
        assert_equal [dict get $d hz] 10
    }

    test {CONFIG GET - an unknown parameter gives an empty list} {
        assert_equal [r config get no-such-parameter] {}
        set c [raw_connect]
        assert_equal [$c config get no-such-parameter] {*0}
    }

    test {CONFIG GET - errors} {
        assert_error {ERR wrong number of arguments for 'config|get' command} {r config get}
        assert_error {ERR unknown subcommand 'foo'. Try CONFIG HELP.} {r config foo}
        assert_error {ERR wrong number of arguments for 'config' command} {r config}
    }

    test {CONFIG SET - hz and timeout} {
        assert_equal [r config set hz 20] OK
        assert_equal [r config get hz] {hz 20}
        assert_equal [r config set timeout 300] OK
        assert_equal [r config get timeout] {timeout 300}
        r config set hz 10
        r config set timeout 0
    }

    test {CONFIG SET - maxmemory with units} {
        foreach {in out} {
            100mb 104857600 1gb 1073741824 1GB 1073741824 1kb 1024
            1k 1000 1m 1000000 12345 12345 0 0
        } {
            assert_equal [r config set maxmemory $in] OK
            assert_equal [r config get maxmemory] [list maxmemory $out] "(set to $in)"
        }
    }

    test {CONFIG SET - maxmemory shows in INFO memory} {
        r config set maxmemory 100mb
        assert_equal [s maxmemory memory] 104857600
        r config set maxmemory 0
    }

    test {CONFIG SET - maxmemory-policy accepts the eviction policies} {
        set orig [lindex [r config get maxmemory-policy] 1]
        foreach p {allkeys-lru allkeys-lfu allkeys-random volatile-lru volatile-lfu volatile-random volatile-ttl noeviction} {
            assert_equal [r config set maxmemory-policy $p] OK
            assert_equal [r config get maxmemory-policy] [list maxmemory-policy $p]
            assert_equal [s maxmemory_policy memory] $p
        }
        r config set maxmemory-policy $orig
    }

    test {CONFIG SET - several parameters in one call} {
        assert_equal [r config set hz 15 timeout 100] OK
        set d [flat_to_dict [r config get hz timeout]]
        assert_equal [dict get $d hz] 15
        assert_equal [dict get $d timeout] 100
        r config set hz 10 timeout 0
    }

    test {CONFIG SET - a bad value in a multi-parameter call changes nothing} {
        r config set hz 10
        assert_error {ERR CONFIG SET failed (possibly related to argument 'maxmemory') - *} \
            {r config set hz 20 maxmemory abc}
        assert_equal [r config get hz] {hz 10}
    }

    test {CONFIG SET - values that do not parse} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer} \
            {r config set hz abc}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'timeout') - argument couldn't be parsed into an integer} \
            {r config set timeout 1.5}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value} \
            {r config set maxmemory abc}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value} \
            {r config set maxmemory -1}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value} \
            {r config set maxmemory 1.5mb}
    }

    test {CONFIG SET - port is modifiable, so a bad value is a parse error} {
        # Redis can rebind its port at run time; the value is parsed first.
        assert_error {ERR CONFIG SET failed (possibly related to argument 'port') - argument couldn't be parsed into an integer} \
            {r config set port abc}
    }

    test {CONFIG SET - hz is accepted from 0 and clamped to 1..500} {
        assert_equal [r config set hz 1000] OK
        assert_equal [r config get hz] {hz 500}
        assert_equal [r config set hz 0] OK
        assert_equal [r config get hz] {hz 1}
        r config set hz 10
    }

    test {CONFIG SET - values out of range} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'timeout') - argument must be between 0 and 2147483647 inclusive} \
            {r config set timeout -1}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'hz') - argument must be between 0 and 2147483647 inclusive} \
            {r config set hz -1}
    }

    test {CONFIG SET - an unknown policy lists the accepted ones} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: *allkeys-lru*} \
            {r config set maxmemory-policy foo}
    }

    test {CONFIG SET - unknown parameter, duplicate parameter, arity} {
        assert_error {ERR Unknown option or number of arguments for CONFIG SET - 'foo'} {r config set foo bar}
        assert_error {ERR Unknown option or number of arguments for CONFIG SET - 'foo'} {r config set hz 10 foo 1}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter} {r config set hz 10 hz 11}
        assert_error {ERR wrong number of arguments for 'config|set' command} {r config set hz}
    }

    test {CONFIG RESETSTAT - resets hits, misses and commandstats} {
        r set k v
        r get k
        r get nokey
        assert_equal [r config resetstat] OK
        assert_equal [s keyspace_hits stats] 0
        assert_equal [s keyspace_misses stats] 0
        set info [r info commandstats]
        assert_no_match {*cmdstat_get:*} $info
    }

    test {COMMAND GETKEYS - keys of single, multi and counted-key commands} {
        assert_equal [r command getkeys get a] {a}
        assert_equal [r command getkeys mset a 1 b 2] {a b}
        assert_equal [r command getkeys sinterstore d a b c] {d a b c}
        assert_equal [r command getkeys lmove src dst left right] {src dst}
        assert_equal [r command getkeys eval {return 1} 2 k1 k2 arg] {k1 k2}
        assert_equal [r command getkeys eval {return 1} 0] {}
        assert_equal [r command getkeys sintercard 2 a b limit 1] {a b}
        assert_equal [r command getkeys memory usage k] {k}
    }

    test {COMMAND GETKEYS - errors: unknown command, no keys, arity, bad key count} {
        assert_error {ERR Invalid command specified} {r command getkeys nosuchcommand a}
        assert_error {ERR The command has no key arguments} {r command getkeys echo hello}
        assert_error {ERR The command has no key arguments} {r command getkeys config get maxmemory}
        if {[version_at_least 7.2]} { ;# 7.0's GETKEYS itself needs 2 arguments after it
            assert_error {ERR Invalid number of arguments specified for command} {r command getkeys get}
        }
        assert_error {ERR Invalid number of arguments specified for command} {r command getkeys get a b}
        assert_error {ERR Invalid arguments specified for command} {r command getkeys sintercard 0 a}
        assert_error {ERR Invalid arguments specified for command} {r command getkeys sintercard 5 a}
        assert_equal [r command getkeys eval {return 1} 3 a] {}
    }

    test {COMMAND GETKEYSANDFLAGS - each key's access flags, SET's and BITFIELD's by their arguments} {
        assert_equal [r command getkeysandflags set k v] {{k {OW update}}}
        assert_equal [r command getkeysandflags set k v get] {{k {RW access update}}}
        assert_equal [r command getkeysandflags bitfield k get u8 0] {{k {RO access}}}
        assert_equal [r command getkeysandflags bitfield k incrby u8 0 1] {{k {RW access update}}}
        assert_equal [r command getkeysandflags smove a b m] {{a {RW access delete}} {b {RW insert}}}
        assert_equal [r command getkeysandflags copy a b] {{a {RO access}} {b {OW update}}}
        assert_equal [r command getkeysandflags rpoplpush a b] {{a {RW access delete}} {b {RW insert}}}
    }

    test {COMMAND COUNT - matches the number of entries of COMMAND} {
        set n [r command count]
        assert {[string is integer -strict $n] && $n > 20}
        assert_equal [llength [r command]] $n
    }

    test {COMMAND LIST - contains the string commands} {
        set list [r command list]
        foreach c {get set ping incrbyfloat getex expire scan info} {
            assert {$c in $list} "($c missing)"
        }
    }

    test {COMMAND LIST - FILTERBY ACLCAT, MODULE and PATTERN} {
        set lists [r command list filterby aclcat LIST]
        foreach c {lpush rpop lrange lmove} { assert {$c in $lists} "($c missing)" }
        assert {"get" ni $lists}
        set dangerous [r command list filterby aclcat dangerous]
        foreach c {keys flushall flushdb info config|set} { assert {$c in $dangerous} "($c missing)" }
        assert {"get" ni $dangerous}
        assert {"dbsize" in [r command list filterby aclcat keyspace]}
        assert {"pubsub|help" ni [r command list filterby aclcat pubsub]}
        assert {"pubsub|channels" in [r command list filterby aclcat pubsub]}
        assert_equal [r command list filterby aclcat nosuchcategory] {}
        assert_equal [r command list filterby module nosuchmodule] {}
        assert_equal [lsort [r command list filterby pattern lp*]] {lpop lpos lpush lpushx}
        assert_error {ERR syntax error} {r command list filterby flavour x}
        assert_error {ERR syntax error} {r command list filterby aclcat}
    }

    test {COMMAND INFO - categories of a container are @slow only; QUIT is not admin} {
        assert_equal [lindex [r command info client] 0 6] {@slow}
        assert_equal [lindex [r command info object] 0 6] {@slow}
        assert_equal [lindex [r command info quit] 0 6] {@fast @connection}
        assert_equal [lindex [r command info keys] 0 6] {@keyspace @read @slow @dangerous}
        assert_equal [lindex [r command info flushdb] 0 6] {@keyspace @write @slow @dangerous}
    }

    test {COMMAND INFO - name, arity, flags and key positions of GET} {
        set info [lindex [r command info get] 0]
        assert_equal [lindex $info 0] get
        assert_equal [lindex $info 1] 2
        assert {"readonly" in [lindex $info 2]}
        assert {"fast" in [lindex $info 2]}
        assert_equal [lrange $info 3 5] {1 1 1}
    }

    test {COMMAND INFO - SET, MSET and PING} {
        lassign [r command info set mset ping] set mset ping
        assert_equal [lrange $set 0 1] {set -3}
        assert {"write" in [lindex $set 2]}
        assert {"denyoom" in [lindex $set 2]}
        assert_equal [lrange $mset 0 1] {mset -3}
        assert_equal [lrange $mset 3 5] {1 -1 2}
        assert_equal [lrange $ping 0 1] {ping -1}
        assert_equal [lrange $ping 3 5] {0 0 0}
    }

    test {COMMAND INFO - unknown commands are nulls, names are case insensitive} {
        set c [raw_connect]
        assert_equal [$c command info nosuchcommand] {*1}
        # A RESP2 null: Redis 7.0 sends a null bulk.
        assert {[$c read] in {{$-1} {*-1}}}
        assert_equal [lindex [r command info GET] 0 0] get
        set reply [r command info get nosuchcommand]
        assert_equal [llength $reply] 2
        assert_equal [lindex $reply 1] {}
    }

    test {COMMAND INFO - tips: routing and nondeterminism hints, none for GET} {
        assert_equal [lindex [r command info get] 0 7] {}
        assert_equal [lindex [r command info keys] 0 7] {request_policy:all_shards nondeterministic_output_order}
        if {[version_at_least 7.2]} { ;# 7.0 has no response policy for RANDOMKEY
            assert_equal [lindex [r command info randomkey] 0 7] {request_policy:all_shards response_policy:special nondeterministic_output}
        }
        assert_equal [lindex [r command info mget] 0 7] {request_policy:multi_shard}
        assert_equal [lindex [r command info client|list] 0 7] {nondeterministic_output}
        assert_equal [lindex [r command info script|exists] 0 7] {request_policy:all_shards response_policy:agg_logical_and}
    }

    test {COMMAND INFO - key spec notes, and SORT's unknown specs for BY/GET and STORE} {
        set specs [lindex [r command info set] 0 8]
        assert_equal [llength $specs] 1
        set spec [lindex $specs 0]
        assert_equal [lrange $spec 0 1] {notes {RW and ACCESS due to the optional `GET` argument}}
        assert_equal [lindex [r command info get] 0 8 0 0] flags
        set specs [lindex [r command info sort] 0 8]
        assert_equal [llength $specs] 3
        set store [dict create {*}[lindex $specs 2]]
        assert_equal [dict get $store flags] {OW update}
        assert_equal [dict get $store begin_search] {type unknown spec {}}
        assert_equal [dict get $store find_keys] {type unknown spec {}}
        assert_match {For the optional STORE keyword.*} [dict get $store notes]
        assert_equal [llength [lindex [r command info sort_ro] 0 8]] 2
    }

    test {COMMAND INFO - RESP3: flags, categories, tips, key specs and no subcommands are sets} {
        set c [raw_resp3_client]
        assert_raw $c {command info sort_ro} {
            {*1} {*10} {$7} {sort_ro} {:-2} {~2} {+readonly} {+movablekeys} {:1} {:1} {:1} {~6}
            {+@read} {+@set} {+@sortedset} {+@list} {+@slow} {+@dangerous} {~0} {~2} {%3} {$5}
            {flags} {~2} {+RO} {+access} {$12} {begin_search} {%2} {$4} {type} {$5} {index} {$4}
            {spec} {%1} {$5} {index} {:1} {$9} {find_keys} {%2} {$4} {type} {$5} {range} {$4} {spec}
            {%3} {$7} {lastkey} {:0} {$7} {keystep} {:1} {$5} {limit} {:0} {%4} {$5} {notes} {$120}
            {For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort}
            {$5} {flags} {~2} {+RO} {+access} {$12} {begin_search} {%2} {$4} {type} {$7} {unknown}
            {$4} {spec} {%0} {$9} {find_keys} {%2} {$4} {type} {$7} {unknown} {$4} {spec} {%0} {~0}
        }
        $c close
    }

    test {COMMAND INFO - writing scripting commands are @write, EVAL_RO is not @read} {
        assert_equal [lindex [r command info function|load] 0 6] {@write @slow @scripting}
        assert_equal [lindex [r command info eval_ro] 0 6] {@slow @scripting}
    }

    test {COMMAND GETKEYSANDFLAGS - SORT's STORE key, found past LIMIT, BY and GET} {
        assert_equal [r command getkeysandflags sort a by x limit 0 1 get y store b get z] \
            {{a {RO access}} {b {OW update}}}
        assert_equal [r command getkeys sort a store b store c] {a c}
        assert_equal [r command getkeys sort a limit store b] {a}
        assert_equal [r command getkeys sort a store] {a}
        assert_equal [r command getkeys sort_ro a store b] {a}
    }

    test {COMMAND DOCS - summary and group of GET} {
        set reply [r command docs get]
        assert_equal [lindex $reply 0] get
        set d [flat_to_dict [lindex $reply 1]]
        assert {[dict exists $d summary]}
        assert_equal [dict get $d group] string
        assert_equal [dict get $d since] 1.0.0
    }
}

start_server {tags {server}} {
    test {SHUTDOWN NOSAVE - the server process exits} {
        server_expect_exit
        set pid [srv pid]
        set c [redis_client]
        catch {$c shutdown nosave}
        assert_equal [srv_wait_exit $pid 5000] 1
        assert_equal [$c wait_close 3000] 1
    } {needs-spawn}
}

start_server {tags {server respite-only}} {
    test {INFO - respite_version is reported} {
        assert_match {*.*} [s respite_version server]
    }

    test {INFO prefixstats - hits and misses by key prefix, busiest first, the rest as other} {
        r config resetstat
        r flushall
        r set product:1 x
        for {set i 0} {$i < 5} {incr i} { r get product:1 }
        r get product:2
        r get user:9
        r get user:9
        catch {r hget product:1 f} ;# a read of a key of another type still counts as a hit
        r get plainkey
        r set ignored:1 x  ;# writes are not lookups
        set info [r info prefixstats]
        assert_match "*prefixstat_0:prefix=product:,hits=6,misses=1\r\n*" $info
        assert_match "*prefixstat_1:prefix=user:,hits=0,misses=2\r\n*" $info
        assert_match "*prefixstat_other:hits=0,misses=1\r\n*" $info
        assert {![string match "*ignored:*" $info]}
        # Not in the default sections; in everything.
        assert {![string match "*prefixstat*" [r info]]}
        assert_match "*prefixstat_0:*" [r info everything]
    }

    test {INFO prefixstats - prefix-stats-max and prefix-stats-delimiter; RESETSTAT zeroes it} {
        r config set prefix-stats-max 1
        assert_match "*prefixstat_0:prefix=product:*prefixstat_other:hits=0,misses=3\r\n*" [r info prefixstats]
        assert {![string match "*prefixstat_1:*" [r info prefixstats]]}
        r config set prefix-stats-max 16
        r config set prefix-stats-delimiter /
        r config resetstat
        r get a/b
        r get a:b
        assert_match "*prefixstat_0:prefix=a/,hits=0,misses=1\r\n*prefixstat_other:hits=0,misses=1\r\n*" [r info prefixstats]
        r config set prefix-stats-delimiter ""
        r config resetstat
        r get a/b
        assert_equal "# Prefixstats\r\nprefixstat_other:hits=0,misses=0\r\n" [r info prefixstats]
        assert_error {*argument must be between 1 and 64*} {r config set prefix-stats-max 65}
        r config set prefix-stats-delimiter :
    }

    test {CONFIG GET - the default maxmemory-policy evicts} {
        assert_match {allkeys-*} [lindex [r config get maxmemory-policy] 1]
    }

    # A value's lengths are 32-bit in respite's entries (Redis's go to
    # LLONG_MAX): a bulk, and so a string APPEND or SETRANGE may build,
    # stops at 4 GB - 1.
    test {CONFIG SET - proto-max-bulk-len stops at 4 GB - 1} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be between 1048576 and 4294967295 inclusive} \
            {r config set proto-max-bulk-len 4gb}
        r config set proto-max-bulk-len 4294967295
        assert_equal [r config get proto-max-bulk-len] {proto-max-bulk-len 4294967295}
        r config set proto-max-bulk-len 512mb
    }
}

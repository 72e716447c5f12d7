# Spawning and stopping servers under test, and the clients that talk to them.
#
# [start_server {overrides {k v ...} tags {...}} BODY] starts the binary on a
# free loopback port with "--k v" for each override, waits until it answers
# PING, runs BODY, then stops the server and checks its log for sanitizer
# reports. In --host/--port mode nothing is spawned: BODY runs against the
# given server, and blocks that need their own server (overrides, or tag
# needs-spawn) have their tests skipped.
#
# Inside BODY: [srv port], [srv host], [srv pid], [srv log]; [r CMD ...] sends
# CMD on the test's own connection, opened on first use and closed when the
# test ends, so every test starts on db 0, RESP2, without a client name.

namespace eval ::srv {
    variable cur          ;# dict of the current server: host port pid log dir
    variable client ""    ;# the connection behind [r]
    variable extra {}     ;# clients made by redis_client during the test
    variable next_port 0
    variable running {}   ;# pids spawned and not yet stopped
    variable is_redis ""  ;# cached answer of server_is_redis
    variable may_exit 0   ;# set when a test expects the server to exit
    variable tmpdir ""
}

# Sanitizer and UBSan markers: any of them in a server log fails the file.
set ::srv::bad_log_patterns {AddressSanitizer LeakSanitizer ThreadSanitizer "runtime error:"}

proc srv {field} {
    if {![info exists ::srv::cur] || ![dict exists $::srv::cur $field]} {
        error "srv: no current server or no field '$field'"
    }
    return [dict get $::srv::cur $field]
}

proc redis_client {} {
    set c [redis_connect [srv host] [srv port]]
    lappend ::srv::extra $c
    return $c
}

proc redis_deferring_client {} {
    set c [redis_connect [srv host] [srv port] 1]
    lappend ::srv::extra $c
    return $c
}

proc r {args} {
    if {$::suite::block_skip ne ""} {
        error "r: called outside a test in a skipped block"
    }
    if {$::srv::client eq "" || [info commands $::srv::client] eq ""} {
        set ::srv::client [redis_connect [srv host] [srv port]]
    }
    return [$::srv::client {*}$args]
}

# Closes every connection a test opened.
proc srv_reset_clients {} {
    foreach c [concat [list $::srv::client] $::srv::extra] {
        if {$c ne "" && [info commands $c] ne ""} { $c close }
    }
    set ::srv::client ""
    set ::srv::extra {}
}

proc server_is_redis {} {
    if {$::srv::is_redis ne ""} { return $::srv::is_redis }
    if {!$::cfg(external)} {
        set ::srv::is_redis [expr {[file tail $::cfg(server)] eq "redis-server"}]
    } else {
        set c [redis_connect $::cfg(host) $::cfg(port)]
        set info [$c info server]
        $c close
        set ::srv::is_redis [expr {[string first "respite_version:" $info] < 0}]
    }
    return $::srv::is_redis
}

# The version the server reports in INFO (redis_version: is kept by respite
# for client compatibility).
proc server_version {} {
    set c [redis_connect [srv host] [srv port]]
    set v [info_field [$c info server] redis_version]
    $c close
    return $v
}

proc version_at_least {want} {
    return [expr {[package vcompare [server_version] $want] >= 0}]
}

# --- process helpers (Linux /proc based: a reaped or zombie child is gone) ---

proc srv_pid_alive {pid} {
    if {[catch {open /proc/$pid/stat r} f]} { return 0 }
    set stat [read $f]
    close $f
    # Field 3, after the parenthesised command name, is the state.
    set state [lindex [string range $stat [expr {[string last ")" $stat] + 2}] end] 0]
    return [expr {$state ne "Z" && $state ne "X"}]
}

proc srv_wait_exit {pid ms} {
    set deadline [expr {[clock milliseconds] + $ms}]
    while {[clock milliseconds] < $deadline} {
        if {![srv_pid_alive $pid]} { return 1 }
        after 10
    }
    return [expr {![srv_pid_alive $pid]}]
}

proc srv_kill {pid} {
    catch {exec kill -TERM $pid}
    if {![srv_wait_exit $pid 5000]} {
        catch {exec kill -KILL $pid}
        srv_wait_exit $pid 2000
    }
    set i [lsearch -exact $::srv::running $pid]
    if {$i >= 0} { set ::srv::running [lreplace $::srv::running $i $i] }
}

proc srv_kill_all {} {
    foreach pid $::srv::running { srv_kill $pid }
}

proc srv_tmpdir {} {
    if {$::srv::tmpdir eq ""} {
        set ::srv::tmpdir [file join /tmp "respite-tests.[pid]"]
        file mkdir $::srv::tmpdir
    }
    return $::srv::tmpdir
}

# A port nobody listens on: walks up from a random base in 21000-29000 and
# takes the first port both free to bind and refusing connections.
proc srv_find_port {} {
    if {$::srv::next_port == 0} {
        set ::srv::next_port [expr {21000 + int(rand() * 8000)}]
    }
    for {set i 0} {$i < 200} {incr i} {
        set p $::srv::next_port
        incr ::srv::next_port
        if {$::srv::next_port > 29000} { set ::srv::next_port 21000 }
        if {![catch {socket 127.0.0.1 $p} s]} {
            close $s
            continue
        }
        if {[catch {socket -server {} -myaddr 127.0.0.1 $p} s]} continue
        close $s
        return $p
    }
    error "no free port found in 200 tries"
}

proc srv_log_tail {log {lines 15}} {
    if {[catch {open $log r} f]} { return "(no log)" }
    set all [split [string trimright [read $f] "\n"] "\n"]
    close $f
    return [join [lrange $all end-[expr {$lines - 1}] end] "\n"]
}

proc srv_read_file {path} {
    if {[catch {open $path r} f]} { return "" }
    fconfigure $f -translation binary
    set data [read $f]
    close $f
    return $data
}

# Waits (bounded) until the spawned server answers PING. Returns "ok",
# "busy" if it died because the port was taken, or "dead".
proc srv_wait_ready {pid port log} {
    set deadline [expr {[clock milliseconds] + 10000}]
    while {[clock milliseconds] < $deadline} {
        if {![srv_pid_alive $pid]} {
            if {[regexp -nocase {address already in use|in use} [srv_read_file $log]]} {
                return busy
            }
            return dead
        }
        if {![catch {redis_connect 127.0.0.1 $port} c]} {
            $c timeout 1000
            # PONG, or NOAUTH from a server started with requirepass:
            # either way it is up and answering.
            set failed [catch {$c ping} reply]
            set ok [expr {(!$failed && $reply eq "PONG") ||
                          ($failed && [string match {NOAUTH*} $reply])}]
            $c close
            if {$ok} { return ok }
        }
        after 20
    }
    return timeout
}

proc srv_spawn {overrides} {
    set bin $::cfg(server)
    if {![file executable $bin]} {
        error "server binary '$bin' not found or not executable"
    }
    set dir [file join [srv_tmpdir] "server.[incr ::srv::count]"]
    file mkdir $dir
    set log [file join $dir stdout.log]
    for {set attempt 0} {$attempt < 5} {incr attempt} {
        set port [srv_find_port]
        set args [list --port $port --bind 127.0.0.1]
        if {[file tail $bin] eq "redis-server"} {
            lappend args --save "" --appendonly no --dir $dir
        }
        foreach {k v} $overrides { lappend args --$k $v }
        set cwd [pwd]
        cd $dir
        set pid [exec $bin {*}$args >& $log &]
        cd $cwd
        lappend ::srv::running $pid
        set state [srv_wait_ready $pid $port $log]
        if {$state eq "ok"} {
            return [dict create host 127.0.0.1 port $port pid $pid log $log \
                        dir $dir spawned 1]
        }
        srv_kill $pid
        if {$state ne "busy"} {
            error "server failed to start ($state): $bin $args\n[srv_log_tail $log]"
        }
    }
    error "server failed to start: no usable port after 5 attempts"
}

# Called when a test fails: if the server died under it, say so once.
proc srv_check_alive {name} {
    if {![info exists ::srv::cur] || ![dict get $::srv::cur spawned]} return
    if {$::srv::may_exit} return
    set pid [dict get $::srv::cur pid]
    if {![srv_pid_alive $pid] && ![dict exists $::srv::cur reported]} {
        dict set ::srv::cur reported 1
        suite_log "    (server pid $pid is not running; log tail:)"
        foreach l [split [srv_log_tail [dict get $::srv::cur log]] "\n"] {
            suite_log "    $l"
        }
    }
}

# True when the spawned server of the current block has died unexpectedly.
proc srv_is_dead {} {
    if {![info exists ::srv::cur] || ![dict get $::srv::cur spawned]} { return 0 }
    if {$::srv::may_exit} { return 0 }
    return [expr {![srv_pid_alive [dict get $::srv::cur pid]]}]
}

# A test that makes the server exit (SHUTDOWN) calls this first.
proc server_expect_exit {} {
    set ::srv::may_exit 1
}

proc start_server {options body} {
    set opt [dict create overrides {} tags {}]
    foreach {k v} $options {
        if {![dict exists $opt $k]} { error "start_server: unknown option '$k'" }
        dict set opt $k $v
    }
    set overrides [dict get $opt overrides]
    set saved_tags $::suite::tags
    lappend ::suite::tags {*}[dict get $opt tags]
    set ::srv::may_exit 0

    if {$::cfg(external)} {
        if {[llength $overrides] || "needs-spawn" in $::suite::tags} {
            set ::suite::block_skip "needs a spawned server"
        }
        set ::srv::cur [dict create host $::cfg(host) port $::cfg(port) \
                            pid 0 log "" dir "" spawned 0]
        # Each block starts from an empty server, as a spawned one would.
        if {$::suite::block_skip eq ""} {
            set c [redis_connect $::cfg(host) $::cfg(port)]
            $c flushall
            $c close
        }
        set code [catch {uplevel 1 $body} result opts]
        set ::suite::block_skip ""
        set ::suite::tags $saved_tags
        unset ::srv::cur
        return [suite_rethrow $code $result $opts]
    }

    # A whole block whose tags are skipped needs no server at all.
    set reason [suite_skip_reason $::suite::tags]
    if {$reason ne ""} {
        set ::suite::block_skip $reason
        set code [catch {uplevel 1 $body} result opts]
        set ::suite::block_skip ""
        set ::suite::tags $saved_tags
        return [suite_rethrow $code $result $opts]
    }

    if {[catch {srv_spawn $overrides} ::srv::cur]} {
        set err $::srv::cur
        unset ::srv::cur
        set ::suite::tags $saved_tags
        error $err
    }
    set code [catch {uplevel 1 $body} result opts]
    srv_reset_clients
    set pid [dict get $::srv::cur pid]
    set log [dict get $::srv::cur log]
    set died [expr {![srv_pid_alive $pid]}]
    srv_kill $pid
    set where "server of $::suite::file (port [dict get $::srv::cur port])"
    if {$died && !$::srv::may_exit} {
        suite_record_failure $where "server exited before the end of the block\n[srv_log_tail $log]"
    }
    set logtext [srv_read_file $log]
    foreach pat $::srv::bad_log_patterns {
        if {[string first $pat $logtext] >= 0} {
            suite_record_failure $where "log contains '$pat' (see $log)\n[srv_log_tail $log 40]"
            break
        }
    }
    set ::srv::may_exit 0
    set ::suite::tags $saved_tags
    unset ::srv::cur
    return [suite_rethrow $code $result $opts]
}

# Test definition, assertions and bounded waiting helpers.
#
# A test is [test NAME BODY ?TAGS?]. It runs BODY in the caller's scope on a
# fresh connection (see [r] in server.tcl), prints "[ok]: NAME" or
# "[err]: NAME" with the reason, and never lets an error escape: one broken
# test must not stop the file. Tags come from the enclosing start_server or
# [tags] blocks plus TAGS; a test is skipped when one of its tags is in
# --skip-tags, when it is tagged respite-only and the server is Redis, or
# when its body calls [skip_test].

namespace eval ::suite {
    variable passed 0
    variable failed 0
    variable skipped 0
    variable failures {}     ;# list of "NAME: reason" for the summary
    variable tags {}         ;# tags of the enclosing blocks
    variable block_skip ""   ;# reason every test of the current block is skipped
    variable file ""         ;# unit file being run, e.g. unit/expire
}

proc tags {taglist body} {
    set saved $::suite::tags
    lappend ::suite::tags {*}$taglist
    set code [catch {uplevel 1 $body} result opts]
    set ::suite::tags $saved
    return [suite_rethrow $code $result $opts]
}

# After [catch] around a block body: re-raises an error (keeping its
# errorinfo), otherwise returns the result. Used as [return [suite_rethrow
# ...]]; a plain [return -options] would not leave the proc on success.
proc suite_rethrow {code result opts} {
    if {$code == 1} {
        return -code error -errorinfo [dict get $opts -errorinfo] \
            -errorcode [dict get $opts -errorcode] $result
    }
    return $result
}

proc suite_log {line} {
    puts $line
    flush stdout
}

proc suite_record_failure {name reason} {
    incr ::suite::failed
    lappend ::suite::failures "$name: $reason"
    suite_log "\[err\]: $name"
    foreach l [split $reason "\n"] { suite_log "    $l" }
}

proc suite_record_skip {name reason} {
    incr ::suite::skipped
    if {$::cfg(verbose)} {
        suite_log "\[skip\]: $name ($reason)"
    } else {
        suite_log "\[skip\]: $name"
    }
}

# The reason a test with these tags is skipped, or "" if it runs.
proc suite_skip_reason {alltags} {
    if {$::suite::block_skip ne ""} { return $::suite::block_skip }
    foreach t $alltags {
        if {$t in $::cfg(skiptags)} { return "tag $t skipped" }
    }
    if {"respite-only" in $alltags && [server_is_redis]} {
        return "respite-only"
    }
    if {"needs-spawn" in $alltags && $::cfg(external)} {
        return "needs a spawned server"
    }
    return ""
}

proc test {name body {testtags {}}} {
    set alltags [concat $::suite::tags $testtags]
    if {$::cfg(only) ne "" && ![string match $::cfg(only) $name]} return
    set reason [suite_skip_reason $alltags]
    if {$reason ne ""} {
        suite_record_skip $name $reason
        return
    }
    if {[srv_is_dead]} {
        suite_record_failure $name "not run: the server died earlier in this block"
        return
    }
    set start [clock milliseconds]
    set code [catch {uplevel 1 $body} result opts]
    set ms [expr {[clock milliseconds] - $start}]
    srv_reset_clients
    if {$code == 1 && [lindex [dict get $opts -errorcode] 0] eq "SKIP"} {
        suite_record_skip $name $result
        return
    }
    if {$code == 0 || $code == 2} {
        incr ::suite::passed
        if {$::cfg(verbose)} {
            suite_log "\[ok\]: $name ($ms ms)"
        } else {
            suite_log "\[ok\]: $name"
        }
        return
    }
    if {$code == 1 && [lindex [dict get $opts -errorcode] 0] eq "ASSERTION"} {
        suite_record_failure $name $result
    } else {
        set detail "exception: $result"
        if {$::cfg(verbose)} {
            append detail "\n" [dict get $opts -errorinfo]
        }
        suite_record_failure $name $detail
    }
    srv_check_alive $name
}

# Called from a test body: ends the test as skipped.
proc skip_test {reason} {
    return -code error -errorcode SKIP $reason
}

# Values in failure messages are cut so a 1 MB string does not flood the log,
# and control bytes are shown escaped (\r, \n, \x00) so they stay visible.
proc suite_show {v} {
    set len [string length $v]
    if {$len > 200} {
        set v "[string range $v 0 199]...($len bytes)"
    }
    set out ""
    foreach ch [split $v ""] {
        scan $ch %c code
        if {$ch eq "\r"} {
            append out {\r}
        } elseif {$ch eq "\n"} {
            append out {\n}
        } elseif {$code < 32 || $code == 127} {
            append out [format {\x%02x} $code]
        } else {
            append out $ch
        }
    }
    return $out
}

proc fail {msg} {
    return -code error -errorcode ASSERTION "assertion: $msg"
}

proc assert {cond {detail ""}} {
    if {![uplevel 1 [list expr $cond]]} {
        fail "Expected '$cond' to be true $detail"
    }
}

# [assert_equal VALUE EXPECTED]: the value under test first, as in Redis's
# own suite; the message names which is which.
proc assert_equal {value expected {detail ""}} {
    if {$value ne $expected} {
        fail "expected '[suite_show $expected]', got '[suite_show $value]' $detail"
    }
}

proc assert_not_equal {value unexpected {detail ""}} {
    if {$value eq $unexpected} {
        fail "expected anything but '[suite_show $unexpected]' $detail"
    }
}

proc assert_match {pattern value {detail ""}} {
    if {![string match $pattern $value]} {
        fail "expected '[suite_show $value]' to match '$pattern' $detail"
    }
}

proc assert_no_match {pattern value} {
    if {[string match $pattern $value]} {
        fail "expected '[suite_show $value]' not to match '$pattern'"
    }
}

proc assert_range {value min max {detail ""}} {
    if {![string is double -strict $value] || $value < $min || $value > $max} {
        fail "expected '[suite_show $value]' to be between $min and $max $detail"
    }
}

# [assert_error PATTERN CODE]: CODE must raise an error matching PATTERN.
proc assert_error {pattern code} {
    if {[catch {uplevel 1 $code} err]} {
        if {![string match $pattern $err]} {
            fail "expected error matching '$pattern', got error '[suite_show $err]'"
        }
    } else {
        fail "expected error matching '$pattern', got reply '[suite_show $err]'"
    }
}

# Lists compared as sets: order-insensitive, duplicates kept.
proc assert_sorted_equal {value expected} {
    assert_equal [lsort $value] [lsort $expected]
}

# Retries COND (a Tcl expression, evaluated in the caller) up to maxtries
# times with delay ms between tries; runs ELSESCRIPT if it never held.
# The total wait is bounded by maxtries * delay.
proc wait_for_condition {maxtries delay cond elsekw elsescript} {
    if {$elsekw ne "else"} { error "wait_for_condition: expected 'else'" }
    for {set i 0} {$i < $maxtries} {incr i} {
        if {[uplevel 1 [list expr $cond]]} return
        after $delay
    }
    uplevel 1 $elsescript
}

# Reads one field of INFO ("" if absent).
proc info_field {info field} {
    foreach line [split $info "\r\n"] {
        if {[string match "$field:*" $line]} {
            return [string range $line [expr {[string length $field] + 1}] end]
        }
    }
    return ""
}

proc s {field {section ""}} {
    if {$section eq ""} {
        return [info_field [r info] $field]
    }
    return [info_field [r info $section] $field]
}

# Turns a flat "k v k v" reply into a dict (maps, CONFIG GET, HELLO).
proc flat_to_dict {l} {
    set d [dict create]
    foreach {k v} $l { dict set d $k $v }
    return $d
}

proc randstring {len {charset alnum}} {
    set chars abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789
    if {$charset eq "binary"} {
        set out ""
        for {set i 0} {$i < $len} {incr i} {
            append out [format %c [expr {int(rand() * 256)}]]
        }
        return $out
    }
    set out ""
    set n [string length $chars]
    for {set i 0} {$i < $len} {incr i} {
        append out [string index $chars [expr {int(rand() * $n)}]]
    }
    return $out
}

# Opens a raw socket to the current server: for protocol tests that must
# control every byte and see every reply byte.
proc raw_connect {} {
    set c [redis_client]
    $c readraw 1
    return $c
}

# Sends a command on raw client C and returns its reply as N protocol lines.
# A PING follows, so a reply longer than N lines fails the test.
proc raw_reply {c n args} {
    $c send {*}$args
    set lines {}
    for {set i 0} {$i < $n} {incr i} { lappend lines [$c read] }
    $c send ping
    set next [$c read]
    if {$next ne "+PONG"} {
        fail "reply to '$args' is longer than $n lines (got '$lines' then '[suite_show $next]')"
    }
    return $lines
}

# Asserts the reply of CMD (a list) on raw client C is exactly the protocol
# lines EXPECTED.
proc assert_raw {c cmd expected} {
    set expected [list {*}$expected]
    assert_equal [raw_reply $c [llength $expected] {*}$cmd] $expected
}

# A raw connection speaking RESP3 (HELLO 3 read before raw mode).
proc raw_resp3_client {} {
    set c [redis_client]
    $c hello 3
    $c readraw 1
    $c timeout 3000
    return $c
}

# Every field/value pair of KEY by a full HSCAN (extra ARGS such as MATCH or
# COUNT), as a flat list. Bounded: fails after 20000 calls.
proc hscan_all {key args} {
    set cursor 0
    set out {}
    for {set calls 0} {$calls < 20000} {incr calls} {
        lassign [r hscan $key $cursor {*}$args] cursor items
        lappend out {*}$items
        if {$cursor eq "0"} { return $out }
    }
    fail "HSCAN of $key did not end after 20000 calls"
}

# A flat field/value list sorted by field, duplicates folded (SCAN may
# return an element twice), so two lists compare as maps.
proc sorted_pairs {flat} {
    set d [dict create]
    foreach {f v} $flat { dict set d $f $v }
    return [lsort -stride 2 -index 0 $d]
}

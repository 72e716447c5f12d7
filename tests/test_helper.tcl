# Entry point of the Tcl test suite: runs tests/unit/**/*.tcl over the wire.
#
#   tclsh tests/test_helper.tcl [--server PATH] [--host H --port P]
#         [--single unit/NAME]... [--only PATTERN] [--skip-tags t1,t2]
#         [--verbose]
#
# Prints one "[ok]: NAME" / "[err]: NAME" line per test and ends with
# "N passed, N failed" (", N skipped" when some were). Exits 1 on failure.

set ::tests_dir [file dirname [file normalize [info script]]]
set ::repo_dir [file dirname $::tests_dir]

foreach f {redis util server} {
    source [file join $::tests_dir support $f.tcl]
}

array set ::cfg [list \
    server [file join $::repo_dir src respite-server] \
    host "" port "" external 0 single {} skiptags {} verbose 0 only ""]

proc usage {} {
    puts stderr "usage: tclsh tests/test_helper.tcl \[--server PATH\] \[--host H --port P\]"
    puts stderr "       \[--single unit/NAME\]... \[--only PATTERN\] \[--skip-tags t1,t2\] \[--verbose\]"
    exit 2
}

for {set i 0} {$i < [llength $argv]} {incr i} {
    set a [lindex $argv $i]
    set v [lindex $argv [expr {$i + 1}]]
    switch -exact -- $a {
        --server { set ::cfg(server) [file normalize $v]; incr i }
        --host { set ::cfg(host) $v; incr i }
        --port { set ::cfg(port) $v; incr i }
        --single { lappend ::cfg(single) $v; incr i }
        --only { set ::cfg(only) $v; incr i }
        --skip-tags { lappend ::cfg(skiptags) {*}[split $v ,]; incr i }
        --verbose { set ::cfg(verbose) 1 }
        --help - -h { usage }
        default { puts stderr "unknown option '$a'"; usage }
    }
}

if {$::cfg(host) ne "" || $::cfg(port) ne ""} {
    if {$::cfg(host) eq ""} { set ::cfg(host) 127.0.0.1 }
    if {$::cfg(port) eq ""} { set ::cfg(port) 6379 }
    set ::cfg(external) 1
}

# Every unit file, sorted, as "unit/NAME" without the extension.
proc unit_files {} {
    set out {}
    set dirs [list [file join $::tests_dir unit]]
    while {[llength $dirs]} {
        set d [lindex $dirs 0]
        set dirs [lrange $dirs 1 end]
        foreach f [glob -nocomplain -directory $d *] {
            if {[file isdirectory $f]} {
                lappend dirs $f
            } elseif {[file extension $f] eq ".tcl"} {
                set rel [string range $f [expr {[string length $::tests_dir] + 1}] end]
                lappend out [file rootname $rel]
            }
        }
    }
    return [lsort $out]
}

if {[llength $::cfg(single)]} {
    set units {}
    foreach s $::cfg(single) {
        set s [file rootname $s]
        if {![string match unit/* $s]} { set s unit/$s }
        if {![file exists [file join $::tests_dir $s.tcl]]} {
            puts stderr "no such test file: tests/$s.tcl"
            exit 2
        }
        lappend units $s
    }
} else {
    set units [unit_files]
}

if {$::cfg(external)} {
    if {[catch {redis_connect $::cfg(host) $::cfg(port)} c] || [catch {$c ping}]} {
        puts stderr "cannot reach $::cfg(host):$::cfg(port)"
        exit 2
    }
    $c close
    puts "Testing the server at $::cfg(host):$::cfg(port)"
} else {
    puts "Testing $::cfg(server)"
}

set ::helper_started_ms [clock milliseconds]
foreach unit $units {
    set ::suite::file $unit
    if {$::cfg(verbose)} { suite_log "=== $unit" }
    if {[catch {source [file join $::tests_dir $unit.tcl]} err opts]} {
        set detail $err
        if {$::cfg(verbose)} { append detail "\n" [dict get $opts -errorinfo] }
        suite_record_failure "$unit (file aborted)" $detail
        srv_reset_clients
    }
}
srv_kill_all
set secs [expr {([clock milliseconds] - $::helper_started_ms) / 1000.0}]

if {[llength $::suite::failures]} {
    puts "\nFailures:"
    foreach f $::suite::failures { puts "  [lindex [split $f \n] 0]" }
    if {$::srv::tmpdir ne ""} { puts "Server logs kept in $::srv::tmpdir" }
} elseif {$::srv::tmpdir ne ""} {
    file delete -force $::srv::tmpdir
}
puts "\nRan [llength $units] files in $secs s"
set summary "$::suite::passed passed, $::suite::failed failed"
if {$::suite::skipped} { append summary ", $::suite::skipped skipped" }
puts $summary
exit [expr {$::suite::failed ? 1 : 0}]

# A small RESP2/RESP3 client for the test suite, with bounded reads.
#
# [redis_connect host port ?deferred?] returns the name of a new command that
# represents the connection. Any subcommand other than the ones below is sent
# as a Redis command (multibulk, binary safe) and its reply is returned:
#
#   $c set foo bar            -> OK
#   $c readraw 1              each read returns one raw protocol line
#   $c write_raw BYTES        sends BYTES as they are
#   $c read                   reads one reply (deferred clients, raw mode)
#   $c send CMD ARG..         sends a command without reading its reply
#   $c timeout MS             per-reply read bound (default 10000 ms)
#   $c wait_close ?MS?        1 if the server closes the connection within MS
#   $c attributes             the last RESP3 attribute map seen (flat list)
#   $c fd / $c close
#
# Replies: status and bulk strings, integers and doubles as strings; arrays,
# sets and pushes as lists; maps as flat lists "k v k v"; null as "";
# booleans as 1/0; verbatim strings without their "txt:" prefix. An error
# reply raises a Tcl error whose message is the error text without '-'.
#
# The socket is non-blocking and every wait goes through the event loop with
# an [after] bound, so a server that stops answering fails a test with
# "I/O error reading reply: timeout" instead of hanging the suite.

namespace eval ::redis {
    variable id 0
    variable fd          ;# id -> channel
    variable buf         ;# id -> bytes read but not yet consumed
    variable deferred    ;# id -> 1 if commands do not read their replies
    variable readraw     ;# id -> 1 if reads return raw lines
    variable timeout_ms  ;# id -> per-reply bound in milliseconds
    variable deadline    ;# id -> clock milliseconds when the current read fails
    variable attrs       ;# id -> last attribute map
    variable closed      ;# id -> 1 once the peer closed the connection
    variable wake        ;# id -> event variable for vwait
}

proc redis_connect {host port {deferred 0}} {
    set sock [socket $host $port]
    fconfigure $sock -translation binary -encoding binary -blocking 0 \
        -buffering full
    set id [incr ::redis::id]
    set ::redis::fd($id) $sock
    set ::redis::buf($id) ""
    set ::redis::deferred($id) $deferred
    set ::redis::readraw($id) 0
    set ::redis::timeout_ms($id) 10000
    set ::redis::attrs($id) {}
    set ::redis::closed($id) 0
    set name ::redis::client$id
    interp alias {} $name {} ::redis::__dispatch $id
    return $name
}

proc ::redis::__dispatch {id method args} {
    switch -exact -- $method {
        close {
            catch {close $::redis::fd($id)}
            foreach v {fd buf deferred readraw timeout_ms deadline attrs closed wake} {
                catch {unset ::redis::${v}($id)}
            }
            interp alias {} ::redis::client$id {}
            return
        }
        fd { return $::redis::fd($id) }
        readraw { set ::redis::readraw($id) [lindex $args 0]; return }
        deferred { set ::redis::deferred($id) [lindex $args 0]; return }
        timeout { set ::redis::timeout_ms($id) [lindex $args 0]; return }
        attributes { return $::redis::attrs($id) }
        is_closed { return $::redis::closed($id) }
        write_raw {
            ::redis::write $id [lindex $args 0]
            return
        }
        send {
            ::redis::write $id [::redis::encode $args]
            return
        }
        read {
            return [::redis::read_reply_bounded $id]
        }
        wait_close {
            set ms [expr {[llength $args] ? [lindex $args 0] : 5000}]
            return [::redis::wait_close $id $ms]
        }
        default {
            ::redis::write $id [::redis::encode [linsert $args 0 $method]]
            if {$::redis::deferred($id)} return
            return [::redis::read_reply_bounded $id]
        }
    }
}

# Encodes a command as a RESP multibulk. The client is byte-oriented: each
# character of an argument is sent as one byte, and replies come back the
# same way, so binary values round-trip exactly. Callers that want UTF-8
# convert with [encoding convertto utf-8] themselves.
proc ::redis::encode {argv} {
    set out "*[llength $argv]\r\n"
    foreach a $argv {
        append out "\$[string length $a]\r\n$a\r\n"
    }
    return $out
}

proc ::redis::write {id bytes} {
    set sock $::redis::fd($id)
    if {[catch {puts -nonewline $sock $bytes; flush $sock} err]} {
        set ::redis::closed($id) 1
        error "I/O error writing request: $err"
    }
}

# Waits until the socket is readable, or the current deadline passes.
proc ::redis::wait_readable {id} {
    set left [expr {$::redis::deadline($id) - [clock milliseconds]}]
    if {$left <= 0} { error "I/O error reading reply: timeout" }
    set sock $::redis::fd($id)
    set ::redis::wake($id) ""
    fileevent $sock readable [list set ::redis::wake($id) readable]
    set timer [after $left [list set ::redis::wake($id) timeout]]
    vwait ::redis::wake($id)
    after cancel $timer
    fileevent $sock readable {}
    if {$::redis::wake($id) eq "timeout"} {
        error "I/O error reading reply: timeout"
    }
}

# Appends whatever the socket has to the buffer, waiting if it has nothing.
proc ::redis::fill {id} {
    set sock $::redis::fd($id)
    while 1 {
        if {[catch {read $sock} data]} {
            set ::redis::closed($id) 1
            error "I/O error reading reply: $data"
        }
        if {$data ne ""} {
            append ::redis::buf($id) $data
            return
        }
        if {[eof $sock]} {
            set ::redis::closed($id) 1
            error "I/O error reading reply: connection closed"
        }
        wait_readable $id
    }
}

proc ::redis::read_line {id} {
    while 1 {
        set i [string first "\r\n" $::redis::buf($id)]
        if {$i >= 0} {
            set line [string range $::redis::buf($id) 0 [expr {$i - 1}]]
            set ::redis::buf($id) [string range $::redis::buf($id) [expr {$i + 2}] end]
            return $line
        }
        fill $id
    }
}

proc ::redis::read_bytes {id n} {
    while {[string length $::redis::buf($id)] < $n} {
        fill $id
    }
    set data [string range $::redis::buf($id) 0 [expr {$n - 1}]]
    set ::redis::buf($id) [string range $::redis::buf($id) $n end]
    return $data
}

proc ::redis::read_reply_bounded {id} {
    set ::redis::deadline($id) [expr {[clock milliseconds] + $::redis::timeout_ms($id)}]
    if {$::redis::readraw($id)} {
        return [read_line $id]
    }
    return [read_reply $id]
}

proc ::redis::read_bulk {id len} {
    set data [read_bytes $id [expr {$len + 2}]]
    if {[string range $data end-1 end] ne "\r\n"} {
        error "protocol error: bulk of $len bytes not followed by CRLF"
    }
    return [string range $data 0 end-2]
}

proc ::redis::read_aggregate {id n} {
    set out {}
    for {set i 0} {$i < $n} {incr i} {
        lappend out [read_reply $id]
    }
    return $out
}

proc ::redis::read_reply {id} {
    set line [read_line $id]
    set type [string index $line 0]
    set rest [string range $line 1 end]
    switch -exact -- $type {
        + { return $rest }
        - { return -code error $rest }
        : { return $rest }
        ( { return $rest }
        , { return $rest }
        _ { return "" }
        # { return [expr {$rest eq "t" ? 1 : 0}] }
        $ {
            if {$rest < 0} { return "" }
            return [read_bulk $id $rest]
        }
        = {
            return [string range [read_bulk $id $rest] 4 end]
        }
        ! {
            return -code error [read_bulk $id $rest]
        }
        * - ~ - > {
            if {$rest < 0} { return "" }
            return [read_aggregate $id $rest]
        }
        % {
            return [read_aggregate $id [expr {$rest * 2}]]
        }
        | {
            set ::redis::attrs($id) [read_aggregate $id [expr {$rest * 2}]]
            return [read_reply $id]
        }
        default {
            error "protocol error: unexpected reply line '$line'"
        }
    }
}

# Returns 1 if the peer closes the connection within ms, 0 otherwise. Any
# bytes that arrive meanwhile are discarded.
proc ::redis::wait_close {id ms} {
    set ::redis::deadline($id) [expr {[clock milliseconds] + $ms}]
    set sock $::redis::fd($id)
    while 1 {
        if {[catch {read $sock} data]} {
            set ::redis::closed($id) 1
            return 1
        }
        if {$data eq "" && [eof $sock]} {
            set ::redis::closed($id) 1
            return 1
        }
        if {$data ne ""} continue
        if {[catch {wait_readable $id}]} { return 0 }
    }
}

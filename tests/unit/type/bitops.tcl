# Bitmap commands and string extras: SETBIT/GETBIT, BITCOUNT, BITPOS, BITOP,
# BITFIELD/BITFIELD_RO and LCS, with their ranges, overflow modes, limits and
# exact error replies. Bits are numbered from the high bit of the first byte
# (offset 0 is 0x80 of byte 0), the order `binary scan ... B*` gives.
#
# Redis 7.0 and 7.4 differ in the order in which BITCOUNT and BITPOS check a
# missing or wrong-type key against bad arguments (7.0 replies 0 or WRONGTYPE
# before looking at the arguments), so argument errors are only asserted on
# an existing string key, and type errors only with valid arguments.

set ::bitops_wrongtype {WRONGTYPE Operation against a key holding the wrong kind of value}
set ::bitops_bftype_err {ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.}
set ::bitops_offset_err {ERR bit offset is not an integer or out of range}

# The bits of a string as a string of 0 and 1, first bit first.
proc bitops_bits {s} {
    binary scan $s B* bits
    return $bits
}

# A random binary string where whole 0x00 and 0xff bytes are common, so that
# runs of set and clear bits cross byte boundaries.
proc bitops_randbin {maxlen} {
    set len [expr {int(rand() * ($maxlen + 1))}]
    set out ""
    for {set i 0} {$i < $len} {incr i} {
        set r [expr {rand()}]
        if {$r < 0.35} {
            append out "\x00"
        } elseif {$r < 0.7} {
            append out "\xff"
        } else {
            append out [format %c [expr {int(rand() * 256)}]]
        }
    }
    return $out
}

# Redis's range rules for BITCOUNT/BITPOS: negative indexes count from the
# end, both ends are clamped to [0, total-1]; {} when the range is empty.
# Returns the range as bit indexes.
proc bitops_range {len start end unit} {
    set tot [expr {$unit eq "bit" ? $len * 8 : $len}]
    if {$start < 0} { incr start $tot }
    if {$end < 0} { incr end $tot }
    if {$start < 0} { set start 0 }
    if {$end < 0} { set end 0 }
    if {$end >= $tot} { set end [expr {$tot - 1}] }
    if {$start > $end} { return {} }
    if {$unit eq "byte"} {
        return [list [expr {$start * 8}] [expr {$end * 8 + 7}]]
    }
    return [list $start $end]
}

# BITCOUNT replies 0 for two negative indexes with start > end before it
# clamps them (clamping could make both 0 and count the first byte).
proc bitops_count_model {s start end unit} {
    if {$start < 0 && $end < 0 && $start > $end} { return 0 }
    set r [bitops_range [string length $s] $start $end $unit]
    if {$r eq {}} { return 0 }
    set sub [string range [bitops_bits $s] {*}$r]
    return [expr {[string length $sub] - [string length [string map {1 {}} $sub]]}]
}

# BITPOS on an existing key; end "" means no explicit end (byte unit only).
proc bitops_pos_model {s bit start end unit} {
    set len [string length $s]
    set end_given [expr {$end ne ""}]
    if {!$end_given} { set end [expr {$len - 1}] }
    set r [bitops_range $len $start $end $unit]
    if {$r eq {}} { return -1 }
    lassign $r from to
    set pos [string first $bit [bitops_bits $s] $from]
    if {$pos != -1 && $pos <= $to} { return $pos }
    # A clear bit right after the string counts only without an explicit end.
    if {$bit == 0 && !$end_given} { return [expr {$to + 1}] }
    return -1
}

proc bitops_op_model {op strings} {
    set max 0
    set lists {}
    foreach s $strings {
        binary scan $s cu* l
        lappend lists $l
        if {[llength $l] > $max} { set max [llength $l] }
    }
    set out {}
    for {set i 0} {$i < $max} {incr i} {
        set acc {}
        foreach l $lists {
            set b [lindex $l $i]
            if {$b eq ""} { set b 0 }
            if {$acc eq ""} {
                set acc $b
            } elseif {$op eq "and"} {
                set acc [expr {$acc & $b}]
            } elseif {$op eq "or"} {
                set acc [expr {$acc | $b}]
            } else {
                set acc [expr {$acc ^ $b}]
            }
        }
        if {$op eq "not"} { set acc [expr {~$acc & 0xff}] }
        lappend out $acc
    }
    return [binary format c* $out]
}

# A random string of up to maxlen letters a, b and c: a small alphabet, for
# many matches.
proc bitops_randabc {maxlen} {
    set len [expr {int(rand() * ($maxlen + 1))}]
    set out ""
    for {set i 0} {$i < $len} {incr i} {
        append out [string index abc [expr {int(rand() * 3)}]]
    }
    return $out
}

proc bitops_lcs_len_model {a b} {
    set la [string length $a]
    set lb [string length $b]
    set prev [lrepeat [expr {$lb + 1}] 0]
    for {set i 1} {$i <= $la} {incr i} {
        set cur [list 0]
        for {set j 1} {$j <= $lb} {incr j} {
            if {[string index $a [expr {$i - 1}]] eq [string index $b [expr {$j - 1}]]} {
                lappend cur [expr {[lindex $prev [expr {$j - 1}]] + 1}]
            } else {
                set up [lindex $prev $j]
                set left [lindex $cur [expr {$j - 1}]]
                lappend cur [expr {$up > $left ? $up : $left}]
            }
        }
        set prev $cur
    }
    return [lindex $prev end]
}

# 1 if every character of sub appears in s in the same order.
proc bitops_is_subsequence {sub s} {
    set pos 0
    foreach ch [split $sub ""] {
        set pos [string first $ch $s $pos]
        if {$pos < 0} { return 0 }
        incr pos
    }
    return 1
}

start_server {tags {bitops}} {
    # --- SETBIT / GETBIT ---

    test {SETBIT - returns the previous value of the bit} {
        r del k
        assert_equal [r setbit k 7 1] 0
        assert_equal [r setbit k 7 1] 1
        assert_equal [r setbit k 7 0] 1
        assert_equal [r setbit k 7 0] 0
        assert_equal [r getbit k 7] 0
    }

    test {SETBIT - offset 0 is the high bit of the first byte} {
        r del k
        r setbit k 0 1
        assert_equal [r get k] "\x80"
        r setbit k 7 1
        assert_equal [r get k] "\x81"
        r setbit k 0 0
        assert_equal [r get k] "\x01"
    }

    test {SETBIT - grows the string with zero bytes} {
        r del k
        assert_equal [r setbit k 23 1] 0
        assert_equal [r strlen k] 3
        assert_equal [r get k] "\x00\x00\x01"
        r set k a
        assert_equal [r setbit k 40 1] 0
        assert_equal [r strlen k] 6
        assert_equal [r get k] "a\x00\x00\x00\x00\x80"
    }

    test {SETBIT - clearing a bit of a missing key still creates a zeroed string} {
        r del k
        assert_equal [r setbit k 10 0] 0
        assert_equal [r exists k] 1
        assert_equal [r get k] "\x00\x00"
    }

    test {SETBIT - a bit inside the string does not change its length} {
        r set k "\x00\x00\x00\x00"
        r setbit k 9 1
        assert_equal [r strlen k] 4
        assert_equal [r get k] "\x00\x40\x00\x00"
    }

    test {SETBIT - edits a value written by SET} {
        # "a" is 0x61 = 01100001; bit 6 turns it into 0x63 = "c".
        r set k a
        assert_equal [r setbit k 6 1] 0
        assert_equal [r get k] c
        r set k hello
        assert_equal [r setbit k 2 0] 1
        assert_equal [r get k] Hello
    }

    test {SETBIT - integer strings are bitmaps of their digits} {
        r set n 12345
        r incr n
        # "12346": '1' is 0x31 = 00110001.
        assert_equal [r getbit n 2] 1
        assert_equal [r getbit n 4] 0
        assert_equal [r getbit n 7] 1
        # '6' (0x36) + its low bit = '7' (0x37), and INCR still works.
        assert_equal [r setbit n 39 1] 0
        assert_equal [r get n] 12347
        assert_equal [r incr n] 12348
        assert_equal [r setbit n 7 0] 1
        assert_equal [r get n] 02348
    }

    test {SETBIT - keeps the TTL} {
        r set k v ex 100
        r setbit k 30 1
        assert_range [r ttl k] 99 100
        assert_equal [r get k] "v\x00\x00\x02"
    }

    test {SETBIT - a bit value other than 0 or 1 is an error} {
        r set k "\x0f"
        foreach v {2 -1 a "" 1.5 " 1" 01 -0 10} {
            assert_error {ERR bit is not an integer or out of range} {r setbit k 0 $v}
        }
        r del nokey
        assert_error {ERR bit is not an integer or out of range} {r setbit nokey 0 2}
        assert_equal [r exists nokey] 0
        assert_equal [r get k] "\x0f"
    }

    test {SETBIT - offsets out of range are an error} {
        r set k "\x0f"
        foreach off {-1 4294967296 9223372036854775807 9223372036854775808 abc 1.5 "" " 1"} {
            assert_error $::bitops_offset_err {r setbit k $off 1}
        }
        r del nokey
        assert_error $::bitops_offset_err {r setbit nokey 4294967296 1}
        assert_equal [r exists nokey] 0
        assert_equal [r get k] "\x0f"
    }

    test {GETBIT - reads the bits of a byte from the highest} {
        r set k "\xa5"
        set got {}
        for {set i 0} {$i < 8} {incr i} { lappend got [r getbit k $i] }
        assert_equal $got {1 0 1 0 0 1 0 1}
    }

    test {GETBIT - missing key and offsets past the end read as 0} {
        r del nokey
        assert_equal [r getbit nokey 0] 0
        assert_equal [r getbit nokey 4294967295] 0
        r set k "\xff"
        assert_equal [r getbit k 7] 1
        assert_equal [r getbit k 8] 0
        assert_equal [r getbit k 4294967295] 0
        assert_equal [r strlen k] 1
        assert_equal [r exists nokey] 0
    }

    test {GETBIT - offsets out of range are an error} {
        r set k "\xff"
        foreach off {-1 4294967296 abc ""} {
            assert_error $::bitops_offset_err {r getbit k $off}
        }
    }

    test {SETBIT - random bits match a model of the bitmap} {
        r del k
        set model [string repeat 0 512]
        for {set i 0} {$i < 300} {incr i} {
            set off [expr {int(rand() * 512)}]
            set v [expr {int(rand() * 2)}]
            set old [string index $model $off]
            assert_equal [r setbit k $off $v] $old "(offset $off)"
            set model [string replace $model $off $off $v]
        }
        set bits [bitops_bits [r get k]]
        # The string ends at the byte of the highest offset written.
        set n [string length $bits]
        assert_equal $bits [string range $model 0 [expr {$n - 1}]]
        assert_equal [string first 1 [string range $model $n end]] -1
    }

    test {SETBIT - wrong number of arguments} {
        assert_error {ERR wrong number of arguments for 'setbit' command} {r setbit k 1}
        assert_error {ERR wrong number of arguments for 'setbit' command} {r setbit k 1 1 1}
        assert_error {ERR wrong number of arguments for 'getbit' command} {r getbit k}
        assert_error {ERR wrong number of arguments for 'getbit' command} {r getbit k 1 1}
    }

    # --- BITCOUNT ---

    test {BITCOUNT - whole string, missing key and empty string} {
        r set s foobar
        assert_equal [r bitcount s] 26
        r del nokey
        assert_equal [r bitcount nokey] 0
        assert_equal [r bitcount nokey 0 -1] 0
        assert_equal [r bitcount nokey 0 -1 bit] 0
        r set e ""
        assert_equal [r bitcount e] 0
        assert_equal [r bitcount e 0 -1] 0
    }

    test {BITCOUNT - byte ranges with positive and negative indexes} {
        r set s foobar
        assert_equal [r bitcount s 0 0] 4
        assert_equal [r bitcount s 1 1] 6
        assert_equal [r bitcount s 0 -1] 26
        assert_equal [r bitcount s -2 -1] 7
        assert_equal [r bitcount s 1 -2] 18
    }

    test {BITCOUNT - BYTE is the default unit} {
        r set s foobar
        assert_equal [r bitcount s 1 1 byte] 6
        assert_equal [r bitcount s -2 -1 BYTE] 7
    }

    test {BITCOUNT - BIT ranges} {
        # f = 01100110, o = 01101111
        r set s foobar
        assert_equal [r bitcount s 0 0 bit] 0
        assert_equal [r bitcount s 1 2 bit] 2
        assert_equal [r bitcount s 5 30 bit] 17
        assert_equal [r bitcount s 8 15 BIT] 6
        assert_equal [r bitcount s 0 -1 bit] 26
        assert_equal [r bitcount s -3 -1 bit] 1
        assert_equal [r bitcount s 7 8 bit] 0
        assert_equal [r bitcount s 6 9 bit] 2
    }

    test {BITCOUNT - out of range indexes are clamped} {
        r set s foobar
        assert_equal [r bitcount s -100 100] 26
        assert_equal [r bitcount s 0 9223372036854775807] 26
        assert_equal [r bitcount s -9223372036854775808 9223372036854775807] 26
        assert_equal [r bitcount s -9223372036854775808 -1 bit] 26
        assert_equal [r bitcount s 0 9223372036854775807 bit] 26
        assert_equal [r bitcount s 6 200] 0
        assert_equal [r bitcount s 48 200 bit] 0
        assert_equal [r bitcount s 9223372036854775807 9223372036854775807] 0
    }

    test {BITCOUNT - start after end counts nothing} {
        r set s foobar
        assert_equal [r bitcount s 2 1] 0
        assert_equal [r bitcount s -1 -2] 0
        assert_equal [r bitcount s 9 8 bit] 0
    }

    test {BITCOUNT - a negative end before the start of the string clamps to 0} {
        # Like GETRANGE: both ends clamp to the first byte (or bit), which
        # is then counted; but two negative indexes with start > end count
        # nothing, before any clamping.
        r set s foobar
        assert_equal [r bitcount s -100 -50] 4
        assert_equal [r bitcount s -50 -100] 0
        assert_equal [r bitcount s 0 -100] 4
        assert_equal [r bitcount s 1 -100] 0
        assert_equal [r bitcount s -100 -50 bit] 0
        assert_equal [r bitcount s 0 -100 bit] 0
    }

    test {BITCOUNT - integer strings are counted as their digits} {
        r set n 12345
        assert_equal [r bitcount n] 17
        r incr n
        assert_equal [r bitcount n] 17
        assert_equal [r bitcount n 0 0] 3
    }

    test {BITCOUNT - large string and large ranges} {
        # 100000 bytes of 10101010: bit i is set when i is even.
        r set big [string repeat "\xaa" 100000]
        assert_equal [r bitcount big] 400000
        assert_equal [r bitcount big 0 -1] 400000
        assert_equal [r bitcount big 1000 -1001] 392000
        assert_equal [r bitcount big -50000 99999] 200000
        assert_equal [r bitcount big 1 799998 bit] 399999
        assert_equal [r bitcount big 0 799999 bit] 400000
        assert_equal [r bitcount big 3 -4 bit] 399997
        assert_equal [r bitcount big 0 1000000000] 400000
        assert_equal [r bitcount big 99999 99999] 4
    }

    test {BITCOUNT - random strings and ranges match a model} {
        for {set i 0} {$i < 200} {incr i} {
            set s [bitops_randbin 20]
            r set rnd $s
            assert_equal [r bitcount rnd] [bitops_count_model $s 0 -1 byte]
            set unit [expr {rand() < 0.5 ? "byte" : "bit"}]
            set span [expr {$unit eq "bit" ? 180 : 24}]
            set start [expr {int(rand() * 2 * $span) - $span}]
            set end [expr {int(rand() * 2 * $span) - $span}]
            assert_equal [r bitcount rnd $start $end $unit] \
                [bitops_count_model $s $start $end $unit] \
                "(bitcount [suite_show $s] $start $end $unit)"
        }
    }

    test {BITCOUNT - argument errors} {
        r set s foobar
        assert_error {ERR syntax error} {r bitcount s 0}
        assert_error {ERR syntax error} {r bitcount s 0 1 foo}
        assert_error {ERR syntax error} {r bitcount s 0 1 bit extra}
        assert_error {ERR value is not an integer or out of range} {r bitcount s a 1}
        assert_error {ERR value is not an integer or out of range} {r bitcount s 0 1.5}
        assert_error {ERR value is not an integer or out of range} {r bitcount s 0 9223372036854775808}
        assert_error {ERR wrong number of arguments for 'bitcount' command} {r bitcount}
    }

    # --- BITPOS ---

    test {BITPOS - first set bit and first clear bit} {
        r set m "\xff\xf0\x00"
        assert_equal [r bitpos m 1] 0
        assert_equal [r bitpos m 0] 12
        r set n "\x00\x0f\xff"
        assert_equal [r bitpos n 1] 12
        assert_equal [r bitpos n 0] 0
    }

    test {BITPOS - a set bit that is not there is -1} {
        r set z "\x00\x00\x00"
        assert_equal [r bitpos z 1] -1
        assert_equal [r bitpos z 1 1] -1
        assert_equal [r bitpos z 1 0 -1] -1
        assert_equal [r bitpos z 1 0 -1 bit] -1
        assert_equal [r bitpos z 0] 0
    }

    test {BITPOS - without an explicit end, a clear bit is found right after the string} {
        r set ones "\xff\xff\xff"
        assert_equal [r bitpos ones 0] 24
        assert_equal [r bitpos ones 0 1] 24
        assert_equal [r bitpos ones 0 -1] 24
        r set n "\x00\x0f\xff"
        assert_equal [r bitpos n 0 -1] 24
    }

    test {BITPOS - with an explicit end, no clear bit in the range is -1} {
        r set ones "\xff\xff\xff"
        assert_equal [r bitpos ones 0 0 -1] -1
        assert_equal [r bitpos ones 0 2 2] -1
        assert_equal [r bitpos ones 0 1 100] -1
        assert_equal [r bitpos ones 0 0 -1 bit] -1
        assert_equal [r bitpos ones 0 3 11 bit] -1
        r set m "\xff\xf0\x00"
        assert_equal [r bitpos m 0 0 0] -1
        assert_equal [r bitpos m 0 0 10 bit] -1
    }

    test {BITPOS - start past the end or after the end is -1} {
        r set ones "\xff\xff\xff"
        # No explicit end, but the range is empty: -1, not 24.
        assert_equal [r bitpos ones 0 3] -1
        assert_equal [r bitpos ones 0 10] -1
        assert_equal [r bitpos ones 1 10] -1
        assert_equal [r bitpos ones 0 2 1] -1
        assert_equal [r bitpos ones 1 2 1] -1
        assert_equal [r bitpos ones 1 -1 -2 bit] -1
    }

    test {BITPOS - byte ranges with negative indexes} {
        r set n "\x00\x0f\xff"
        assert_equal [r bitpos n 1 -1] 16
        assert_equal [r bitpos n 1 2 2] 16
        assert_equal [r bitpos n 0 1] 8
        assert_equal [r bitpos n 1 0 -1 BYTE] 12
        assert_equal [r bitpos n 0 -100 100] 0
        assert_equal [r bitpos n 1 -2 -2] 12
    }

    test {BITPOS - BIT ranges} {
        r set n "\x00\x0f\xff"
        assert_equal [r bitpos n 1 0 -1 bit] 12
        assert_equal [r bitpos n 1 12 23 bit] 12
        assert_equal [r bitpos n 1 13 23 bit] 13
        assert_equal [r bitpos n 0 3 11 bit] 3
        assert_equal [r bitpos n 1 -5 -1 bit] 19
        assert_equal [r bitpos n 0 -5 -1 bit] -1
        assert_equal [r bitpos n 1 -1 -1 bit] 23
        assert_equal [r bitpos n 0 -1 -1 bit] -1
        assert_equal [r bitpos n 1 11 12 BIT] 12
        assert_equal [r bitpos n 0 11 12 bit] 11
        assert_equal [r bitpos n 1 3 11 bit] -1
        r set m "\xff\xf0\x00"
        assert_equal [r bitpos m 1 11 12 bit] 11
        assert_equal [r bitpos m 0 11 12 bit] 12
        assert_equal [r bitpos m 1 3 11 bit] 3
        assert_equal [r bitpos m 0 -5 -1 bit] 19
    }

    test {BITPOS - missing key is all clear bits} {
        r del nokey
        assert_equal [r bitpos nokey 1] -1
        assert_equal [r bitpos nokey 0] 0
        assert_equal [r bitpos nokey 1 5] -1
        assert_equal [r bitpos nokey 0 5] 0
        assert_equal [r bitpos nokey 0 5 10] 0
        assert_equal [r bitpos nokey 1 0 -1 bit] -1
        assert_equal [r bitpos nokey 0 9 10 bit] 0
        assert_equal [r exists nokey] 0
    }

    test {BITPOS - an empty string has neither set nor clear bits} {
        r set e ""
        assert_equal [r bitpos e 1] -1
        assert_equal [r bitpos e 0] -1
        assert_equal [r bitpos e 0 0] -1
        assert_equal [r bitpos e 0 0 -1 bit] -1
    }

    test {BITPOS - large string} {
        r set big "[string repeat "\x00" 100000]\x01[string repeat "\xff" 1000]"
        assert_equal [r bitpos big 1] 800007
        assert_equal [r bitpos big 1 50000] 800007
        assert_equal [r bitpos big 1 0 99999] -1
        assert_equal [r bitpos big 1 -1001 -1001] 800007
        assert_equal [r bitpos big 0 -1000] 808008
        assert_equal [r bitpos big 0 -1000 -1] -1
        assert_equal [r bitpos big 0 800000 800007 bit] 800000
        assert_equal [r bitpos big 1 799000 808007 bit] 800007
    }

    test {BITPOS - random strings and ranges match a model} {
        for {set i 0} {$i < 300} {incr i} {
            set s [bitops_randbin 12]
            r set rnd $s
            set bit [expr {int(rand() * 2)}]
            assert_equal [r bitpos rnd $bit] [bitops_pos_model $s $bit 0 "" byte] \
                "(bitpos [suite_show $s] $bit)"
            set form [expr {int(rand() * 3)}]
            if {$form == 0} {
                set start [expr {int(rand() * 30) - 15}]
                set args [list $start]
                set model [bitops_pos_model $s $bit $start "" byte]
            } else {
                set unit [expr {$form == 1 ? "byte" : "bit"}]
                set span [expr {$unit eq "bit" ? 110 : 15}]
                set start [expr {int(rand() * 2 * $span) - $span}]
                set end [expr {int(rand() * 2 * $span) - $span}]
                set args [list $start $end $unit]
                set model [bitops_pos_model $s $bit $start $end $unit]
            }
            assert_equal [r bitpos rnd $bit {*}$args] $model \
                "(bitpos [suite_show $s] $bit $args)"
        }
    }

    test {BITPOS - argument errors} {
        r set k "\x0f"
        assert_error {ERR The bit argument must be 1 or 0.} {r bitpos k 2}
        assert_error {ERR The bit argument must be 1 or 0.} {r bitpos k -1}
        assert_error {ERR value is not an integer or out of range} {r bitpos k a}
        assert_error {ERR value is not an integer or out of range} {r bitpos k 1 x}
        assert_error {ERR value is not an integer or out of range} {r bitpos k 1 0 x}
        # The unit needs an explicit end: alone it is read as the end.
        assert_error {ERR value is not an integer or out of range} {r bitpos k 1 0 bit}
        assert_error {ERR value is not an integer or out of range} {r bitpos k 1 0 byte}
        assert_error {ERR syntax error} {r bitpos k 1 0 1 foo}
        assert_error {ERR syntax error} {r bitpos k 1 0 1 bit extra}
        assert_error {ERR wrong number of arguments for 'bitpos' command} {r bitpos k}
        r del nokey
        assert_error {ERR The bit argument must be 1 or 0.} {r bitpos nokey 2}
    }

    # --- BITOP ---

    test {BITOP - AND, OR and XOR of strings of the same length} {
        r set a "\xf0\x0f\xaa"
        r set b "\xcc\xcc\xff"
        assert_equal [r bitop and d a b] 3
        assert_equal [r get d] "\xc0\x0c\xaa"
        assert_equal [r bitop or d a b] 3
        assert_equal [r get d] "\xfc\xcf\xff"
        assert_equal [r bitop xor d a b] 3
        assert_equal [r get d] "\x3c\xc3\x55"
    }

    test {BITOP - NOT inverts every byte} {
        r set a "\xf0\x0f\xaa\x00"
        assert_equal [r bitop not d a] 4
        assert_equal [r get d] "\x0f\xf0\x55\xff"
        r set a abc
        r bitop not d a
        assert_equal [r get d] "\x9e\x9d\x9c"
    }

    test {BITOP - several sources} {
        r set a "\x01"
        r set b "\x02"
        r set c "\x04\x01"
        assert_equal [r bitop or d a b c] 2
        assert_equal [r get d] "\x07\x01"
        assert_equal [r bitop xor d a b c a] 2
        assert_equal [r get d] "\x06\x01"
    }

    test {BITOP - shorter inputs are padded with zero bytes, the result has the longest length} {
        r set a abc
        r set b "\xff"
        assert_equal [r bitop and d a b] 3
        assert_equal [r get d] "a\x00\x00"
        assert_equal [r bitop or d a b] 3
        assert_equal [r get d] "\xffbc"
        assert_equal [r bitop xor d b a] 3
        assert_equal [r get d] "\x9ebc"
    }

    test {BITOP - missing keys are read as zero bytes} {
        r del nokey
        r set a abc
        assert_equal [r bitop and d a nokey] 3
        assert_equal [r get d] "\x00\x00\x00"
        assert_equal [r bitop or d nokey a] 3
        assert_equal [r get d] abc
        assert_equal [r bitop xor d a nokey] 3
        assert_equal [r get d] abc
        assert_equal [r exists nokey] 0
    }

    test {BITOP - a single source is copied} {
        r set a "x\x00y"
        foreach op {and or xor} {
            r del d
            assert_equal [r bitop $op d a] 3
            assert_equal [r get d] "x\x00y"
        }
    }

    test {BITOP - an empty result deletes the destination} {
        r del nokey nokey2
        r set d x
        assert_equal [r bitop or d nokey nokey2] 0
        assert_equal [r exists d] 0
        r set d x
        r set e ""
        assert_equal [r bitop and d e nokey] 0
        assert_equal [r exists d] 0
        r set d x
        assert_equal [r bitop not d nokey] 0
        assert_equal [r exists d] 0
        assert_equal [r bitop xor d nokey] 0
        assert_equal [r exists d] 0
    }

    test {BITOP - overwrites the destination and clears its TTL} {
        r set a abc
        r set d xxxxxxxx ex 100
        assert_equal [r bitop or d a] 3
        assert_equal [r get d] abc
        assert_equal [r ttl d] -1
    }

    test {BITOP - a destination of another type is replaced} {
        r del h
        r hset h f v
        r set a abc
        assert_equal [r bitop and h a] 3
        assert_equal [r type h] string
        assert_equal [r get h] abc
    }

    test {BITOP - the destination can be one of the sources} {
        r set a "\x0f\xf0"
        r set b "\xff"
        assert_equal [r bitop xor a a b] 2
        assert_equal [r get a] "\xf0\xf0"
        assert_equal [r bitop not a a] 2
        assert_equal [r get a] "\x0f\x0f"
    }

    test {BITOP - operation names are case insensitive} {
        r set a "\x0f"
        r set b "\x3c"
        r bitop AnD d a b
        assert_equal [r get d] "\x0c"
        r bitop Or d a b
        assert_equal [r get d] "\x3f"
        r bitop xOR d a b
        assert_equal [r get d] "\x33"
        r bitop NOT d a
        assert_equal [r get d] "\xf0"
    }

    test {BITOP - integer strings are operated on as their digits} {
        r set n 12
        r set m 3
        # "1" = 0x31, "2" = 0x32, "3" = 0x33
        assert_equal [r bitop and d n m] 2
        assert_equal [r get d] "1\x00"
    }

    test {BITOP - random strings match a model} {
        foreach op {and or xor not} {
            for {set i 0} {$i < 40} {incr i} {
                set n [expr {$op eq "not" ? 1 : 1 + int(rand() * 4)}]
                set keys {}
                set strings {}
                for {set j 0} {$j < $n} {incr j} {
                    # Long enough, at times, for word-at-a-time code paths.
                    set s [randstring [expr {int(rand() * 100)}] binary]
                    r set src$j $s
                    lappend keys src$j
                    lappend strings $s
                }
                set expected [bitops_op_model $op $strings]
                r set d old
                assert_equal [r bitop $op d {*}$keys] [string length $expected]
                # An empty result deletes d, and GET then replies null ("").
                assert_equal [r exists d] [expr {$expected ne ""}]
                assert_equal [r get d] $expected "(bitop $op, $n keys)"
            }
        }
    }

    test {BITOP - argument errors} {
        r set a x
        r set b y
        assert_error {ERR BITOP NOT must be called with a single source key.} {r bitop not d a b}
        assert_error {ERR syntax error} {r bitop foo d a}
        assert_error {ERR syntax error} {r bitop nand d a b}
        assert_error {ERR wrong number of arguments for 'bitop' command} {r bitop and d}
        assert_error {ERR wrong number of arguments for 'bitop' command} {r bitop not d}
        assert_error {ERR wrong number of arguments for 'bitop' command} {r bitop}
        r del d
        catch {r bitop not d a b}
        assert_equal [r exists d] 0
    }

    # --- BITFIELD ---

    test {BITFIELD - SET returns the old value, GET reads it signed or unsigned} {
        r del bf
        assert_equal [r bitfield bf set i8 0 -100] 0
        assert_equal [r bitfield bf get i8 0] -100
        assert_equal [r bitfield bf get u8 0] 156
        assert_equal [r bitfield bf set u8 0 200] 156
        assert_equal [r get bf] "\xc8"
    }

    test {BITFIELD - several operations in one call run in order} {
        r del bf
        assert_equal [r bitfield bf set i8 0 -100 get i8 0 get u8 0 incrby i8 0 10 get u4 0 get i4 4] \
            {0 -100 156 -90 10 6}
        assert_equal [r get bf] "\xa6"
    }

    test {BITFIELD - a missing key reads as zeros and GET does not create it} {
        r del nokey
        assert_equal [r bitfield nokey get u8 0 get i16 100 get i64 #3] {0 0 0}
        assert_equal [r exists nokey] 0
        assert_equal [r bitfield nokey overflow fail] {}
        assert_equal [r exists nokey] 0
    }

    test {BITFIELD - without operations replies with an empty array} {
        r set bf abc
        assert_equal [r bitfield bf] {}
        set c [raw_connect]
        assert_equal [$c bitfield bf] {*0}
    }

    test {BITFIELD - SET creates and grows the string with zero bytes} {
        r del bf
        assert_equal [r bitfield bf set u8 #1 255] 0
        assert_equal [r get bf] "\x00\xff"
        assert_equal [r bitfield bf set u4 36 15] 0
        assert_equal [r get bf] "\x00\xff\x00\x00\x0f"
        assert_equal [r bitfield bf incrby u2 100 1] 1
        assert_equal [r strlen bf] 13
    }

    test {BITFIELD - fields are big-endian and can cross bytes} {
        r set bf "\xa5\x5a"
        assert_equal [r bitfield bf get u16 0 get u4 0 get u12 4 get u3 5 get i3 5 get i16 0] \
            {42330 10 1370 5 -3 -23206}
        assert_equal [r bitfield bf set u8 4 255] 85
        assert_equal [r get bf] "\xaf\xfa"
    }

    test {BITFIELD - # offsets are multiplied by the type width} {
        r del bf
        r bitfield bf set u8 #0 1 set u8 #1 2 set u8 #2 3
        assert_equal [r get bf] "\x01\x02\x03"
        assert_equal [r bitfield bf get u8 #2 get u8 16 get u4 #3 get u4 12 get i5 #3] {3 3 2 2 0}
        assert_equal [r bitfield bf set u16 #1 65535] 768
        assert_equal [r get bf] "\x01\x02\xff\xff"
    }

    test {BITFIELD - integer strings are bitfields of their digits} {
        r set n 12
        assert_equal [r bitfield n get u8 0 get u8 8] {49 50}
        r bitfield n incrby u8 8 1
        assert_equal [r get n] 13
        assert_equal [r incr n] 14
    }

    test {BITFIELD - signed widths 1 to 64 hold their minimum and maximum} {
        for {set w 1} {$w <= 64} {incr w} {
            set max [expr {(1 << ($w - 1)) - 1}]
            set min [expr {-(1 << ($w - 1))}]
            r del bf
            assert_equal [r bitfield bf set i$w 3 $max get i$w 3] [list 0 $max] "(i$w)"
            assert_equal [r bitfield bf set i$w 3 $min get i$w 3] [list $max $min] "(i$w)"
            if {$w < 64} {
                assert_equal [r bitfield bf get u$w 3] [expr {1 << ($w - 1)}] "(i$w)"
            }
            assert_equal [r bitfield bf get u3 0] 0 "(i$w)"
        }
    }

    test {BITFIELD - unsigned widths 1 to 63 hold their maximum} {
        for {set w 1} {$w <= 63} {incr w} {
            set max [expr {(1 << $w) - 1}]
            r del bf
            assert_equal [r bitfield bf set u$w 5 $max get u$w 5] [list 0 $max] "(u$w)"
            assert_equal [r bitfield bf get i$w 5] -1 "(u$w)"
            assert_equal [r bitfield bf incrby u$w 5 1] 0 "(u$w)"
            assert_equal [r bitfield bf get u5 0] 0 "(u$w)"
        }
    }

    test {BITFIELD - i64 and u63 round trip at bit offsets not on a byte} {
        r del bf
        assert_equal [r bitfield bf set i64 1 -9223372036854775808 get i64 1 get u63 1] \
            {0 -9223372036854775808 4611686018427387904}
        assert_equal [r bitfield bf set u63 2 9223372036854775807 get u63 2 get i64 1] \
            {0 9223372036854775807 -1}
        assert_equal [r get bf] "\x7f\xff\xff\xff\xff\xff\xff\xff\x80"
    }

    test {BITFIELD - INCRBY returns the new value and wraps by default} {
        r del bf
        assert_equal [r bitfield bf incrby u8 0 10 incrby u8 0 -3] {10 7}
        assert_equal [r bitfield bf set u8 0 255 incrby u8 0 1 incrby u8 0 -1] {7 0 255}
        assert_equal [r bitfield bf set i8 0 127 incrby i8 0 1 incrby i8 0 -1] {-1 -128 127}
        assert_equal [r bitfield bf incrby u8 0 1000] 103
        assert_equal [r bitfield bf incrby i1 8 1 incrby i1 8 1] {-1 0}
        assert_equal [r bitfield bf set i64 0 9223372036854775807 incrby i64 0 1] \
            {7421932185906577408 -9223372036854775808}
        assert_equal [r bitfield bf set u63 0 9223372036854775807 incrby u63 0 1] \
            {4611686018427387904 0}
    }

    test {BITFIELD - OVERFLOW WRAP also wraps SET values} {
        r del bf
        assert_equal [r bitfield bf overflow wrap set u8 0 257 get u8 0] {0 1}
        assert_equal [r bitfield bf overflow wrap set i8 0 200 get i8 0] {1 -56}
        r del bf
        assert_equal [r bitfield bf overflow wrap set u63 0 -1 get u63 0] {0 9223372036854775807}
        r del bf
        assert_equal [r bitfield bf set u4 0 -1 get u4 0] {0 15}
    }

    test {BITFIELD - OVERFLOW SAT saturates at the minimum and maximum} {
        r del bf
        assert_equal [r bitfield bf overflow sat set i8 0 127 incrby i8 0 1 incrby i8 0 -300] {0 127 -128}
        assert_equal [r bitfield bf overflow sat set u8 0 300 get u8 0] {128 255}
        assert_equal [r bitfield bf overflow sat incrby u8 0 -1000 get u8 0] {0 0}
        assert_equal [r bitfield bf overflow sat set i8 0 200 set i8 0 -200 get i8 0] {0 127 -128}
        assert_equal [r bitfield bf overflow sat set i64 0 9223372036854775807 incrby i64 0 1] \
            {-9223372036854775808 9223372036854775807}
        assert_equal [r bitfield bf overflow sat set i64 0 -9223372036854775808 incrby i64 0 -1] \
            {9223372036854775807 -9223372036854775808}
        assert_equal [r bitfield bf overflow sat set u63 0 9223372036854775807 incrby u63 0 1] \
            {4611686018427387904 9223372036854775807}
    }

    test {BITFIELD - OVERFLOW SAT of a negative SET value on an unsigned field gives the maximum} {
        # The value is taken as a 64-bit unsigned number, so -5 is above
        # the maximum rather than below 0 (an INCRBY below 0 gives 0).
        r set bf "\x10"
        assert_equal [r bitfield bf overflow sat set u8 0 -5 get u8 0] {16 255}
        assert_equal [r bitfield bf overflow sat incrby u8 0 -300 get u8 0] {0 0}
    }

    test {BITFIELD - OVERFLOW FAIL replies null and leaves the value} {
        r del bf
        assert_equal [r bitfield bf set i8 0 127 overflow fail incrby i8 0 1 get i8 0] {0 {} 127}
        assert_equal [r bitfield bf overflow fail set u8 0 256 get u8 0] {{} 127}
        assert_equal [r bitfield bf overflow fail set i8 0 -129 set i8 0 -128 get i8 0] {{} 127 -128}
        assert_equal [r bitfield bf overflow fail incrby u8 0 -129 incrby u8 0 -128 get u8 0] {{} 0 0}
        assert_equal [r bitfield bf overflow fail set i64 0 9223372036854775807 incrby i64 0 1] {0 {}}
        assert_equal [r bitfield bf overflow fail incrby u2 100 4 get u2 100] {{} 0}
        assert_equal [r bitfield bf get i64 0] 9223372036854775807
    }

    test {BITFIELD - the null of OVERFLOW FAIL is a null bulk} {
        r set bf "\xff"
        set c [raw_connect]
        assert_equal [$c bitfield bf overflow fail incrby u8 0 1 get u8 0] {*2}
        assert_equal [$c read] {$-1}
        assert_equal [$c read] {:255}
    }

    test {BITFIELD - OVERFLOW applies to the operations after it} {
        r del bf
        assert_equal [r bitfield bf overflow fail incrby u8 0 1000 overflow wrap incrby u8 0 1000 overflow sat incrby u8 0 1000] \
            {{} 232 255}
        assert_equal [r bitfield bf incrby u8 0 1 overflow fail incrby u8 0 1 overflow sat incrby u8 0 1] {0 1 2}
        assert_equal [r bitfield bf overflow SAT incrby u8 0 1000 OVERFLOW Fail incrby u8 0 1] {255 {}}
    }

    test {BITFIELD - subcommands are case insensitive, types are not} {
        r del bf
        assert_equal [r bitfield bf SET u8 0 7 Get u8 0 IncrBy u8 0 1] {0 7 8}
        assert_error $::bitops_bftype_err {r bitfield bf get U8 0}
        assert_error $::bitops_bftype_err {r bitfield bf get I8 0}
    }

    test {BITFIELD - keeps the TTL} {
        r set bf v ex 100
        r bitfield bf set u8 0 1 incrby u8 16 5
        assert_range [r ttl bf] 99 100
        assert_equal [r get bf] "\x01\x00\x05"
    }

    test {BITFIELD - invalid types are an error} {
        r set bf "\x0f"
        foreach type {u64 u65 i65 i0 u0 x8 i u i-1 i8x i08 ""} {
            assert_error $::bitops_bftype_err {r bitfield bf get $type 0}
        }
        assert_error $::bitops_bftype_err {r bitfield bf set u64 0 1}
        assert_error $::bitops_bftype_err {r bitfield bf incrby u64 0 1}
        assert_equal [r get bf] "\x0f"
    }

    test {BITFIELD - invalid offsets are an error} {
        r set bf "\x0f"
        foreach off {-1 4294967296 abc 1.5 "" #-1 #536870912 ## # 1# +1 01 0x1} {
            assert_error $::bitops_offset_err {r bitfield bf get i8 $off}
        }
        assert_error $::bitops_offset_err {r bitfield bf set i8 4294967296 1}
        assert_equal [r bitfield bf get i8 4294967295 get i8 #536870911] {0 0}
    }

    test {BITFIELD - value, overflow type and syntax errors} {
        r set bf "\x0f"
        assert_error {ERR value is not an integer or out of range} {r bitfield bf set i8 0 abc}
        assert_error {ERR value is not an integer or out of range} {r bitfield bf set i8 0 1.5}
        assert_error {ERR value is not an integer or out of range} {r bitfield bf incrby i8 0 x}
        assert_error {ERR value is not an integer or out of range} {r bitfield bf set i64 0 9223372036854775808}
        assert_error {ERR Invalid OVERFLOW type specified} {r bitfield bf overflow foo get i8 0}
        assert_error {ERR Invalid OVERFLOW type specified} {r bitfield bf overflow ""}
        assert_error {ERR syntax error} {r bitfield bf overflow}
        assert_error {ERR syntax error} {r bitfield bf get i8}
        assert_error {ERR syntax error} {r bitfield bf set i8 0}
        assert_error {ERR syntax error} {r bitfield bf incrby i8 0}
        assert_error {ERR syntax error} {r bitfield bf foo}
        assert_error {ERR syntax error} {r bitfield bf get i8 0 foo}
        assert_error {ERR wrong number of arguments for 'bitfield' command} {r bitfield}
        assert_equal [r get bf] "\x0f"
    }

    test {BITFIELD - an error anywhere in the call runs no operation} {
        r set bf "\x0f"
        assert_error $::bitops_bftype_err {r bitfield bf set u8 0 255 get u64 0}
        assert_error {ERR syntax error} {r bitfield bf incrby u8 0 1 get}
        assert_error {ERR Invalid OVERFLOW type specified} {r bitfield bf set u8 0 255 overflow x}
        assert_equal [r get bf] "\x0f"
        r del nokey
        assert_error $::bitops_offset_err {r bitfield nokey set u8 0 1 get u8 -1}
        assert_equal [r exists nokey] 0
    }

    # --- BITFIELD_RO ---

    test {BITFIELD_RO - GET reads fields} {
        r set k AB
        assert_equal [r bitfield_ro k get u8 0 get u8 8 get i4 #1 get u16 0] {65 66 1 16706}
        assert_equal [r bitfield_ro k overflow sat get u8 0] 65
        assert_equal [r bitfield_ro k] {}
    }

    test {BITFIELD_RO - a missing key reads as zeros and is not created} {
        r del nokey
        assert_equal [r bitfield_ro nokey get u8 0 get i64 #2] {0 0}
        assert_equal [r exists nokey] 0
    }

    test {BITFIELD_RO - SET and INCRBY are refused} {
        r set k AB
        assert_error {ERR BITFIELD_RO only supports the GET subcommand} {r bitfield_ro k set u8 0 1}
        assert_error {ERR BITFIELD_RO only supports the GET subcommand} {r bitfield_ro k incrby u8 0 1}
        assert_error {ERR BITFIELD_RO only supports the GET subcommand} {r bitfield_ro k get u8 0 set u8 0 1}
        r del nokey
        assert_error {ERR BITFIELD_RO only supports the GET subcommand} {r bitfield_ro nokey set u8 0 1}
        assert_equal [r exists nokey] 0
        assert_equal [r get k] AB
    }

    test {BITFIELD_RO - argument errors} {
        r set k AB
        assert_error $::bitops_bftype_err {r bitfield_ro k get u64 0}
        assert_error $::bitops_offset_err {r bitfield_ro k get u8 -1}
        assert_error {ERR Invalid OVERFLOW type specified} {r bitfield_ro k overflow foo}
        assert_error {ERR syntax error} {r bitfield_ro k foo}
        assert_error {ERR syntax error} {r bitfield_ro k get u8}
        assert_error {ERR wrong number of arguments for 'bitfield_ro' command} {r bitfield_ro}
    }

    # --- LCS ---

    test {LCS - returns the longest common subsequence} {
        r mset a ohmytext b mynewtext
        assert_equal [r lcs a b] mytext
        assert_equal [r lcs a a] ohmytext
        r set c abc
        assert_equal [r lcs a c] {}
    }

    test {LCS - LEN returns its length} {
        r mset a ohmytext b mynewtext c abc
        assert_equal [r lcs a b len] 6
        assert_equal [r lcs a b LEN] 6
        assert_equal [r lcs a c len] 0
        assert_equal [r lcs a b len minmatchlen 100] 6
    }

    test {LCS - IDX returns the matches from the end, with the length} {
        r mset a ohmytext b mynewtext
        assert_equal [r lcs a b idx] {matches {{{4 7} {5 8}} {{2 3} {0 1}}} len 6}
    }

    test {LCS - IDX WITHMATCHLEN adds the length of each match} {
        r mset a ohmytext b mynewtext
        assert_equal [r lcs a b idx withmatchlen] {matches {{{4 7} {5 8} 4} {{2 3} {0 1} 2}} len 6}
        assert_equal [r lcs a b WITHMATCHLEN IDX] {matches {{{4 7} {5 8} 4} {{2 3} {0 1} 2}} len 6}
    }

    test {LCS - IDX MINMATCHLEN drops short matches but not from len} {
        r mset a ohmytext b mynewtext
        assert_equal [r lcs a b idx minmatchlen 4] {matches {{{4 7} {5 8}}} len 6}
        assert_equal [r lcs a b idx minmatchlen 4 withmatchlen] {matches {{{4 7} {5 8} 4}} len 6}
        assert_equal [r lcs a b idx minmatchlen 5] {matches {} len 6}
        assert_equal [r lcs a b idx minmatchlen 0] {matches {{{4 7} {5 8}} {{2 3} {0 1}}} len 6}
        assert_equal [r lcs a b idx minmatchlen -5] {matches {{{4 7} {5 8}} {{2 3} {0 1}}} len 6}
    }

    test {LCS - WITHMATCHLEN and MINMATCHLEN without IDX return the string} {
        r mset a ohmytext b mynewtext
        assert_equal [r lcs a b withmatchlen] mytext
        assert_equal [r lcs a b minmatchlen 3] mytext
    }

    test {LCS - IDX on a classic example} {
        r mset a ABCBDAB b BDCABA
        assert_equal [r lcs a b len] 4
        assert_equal [r lcs a b] BDAB
        assert_equal [r lcs a b idx withmatchlen] \
            {matches {{{5 6} {3 4} 2} {{3 4} {0 1} 2}} len 4}
    }

    test {LCS - missing keys are empty strings} {
        r del nokey nokey2
        r set a ohmytext
        assert_equal [r lcs a nokey] {}
        assert_equal [r lcs nokey a len] 0
        assert_equal [r lcs a nokey idx] {matches {} len 0}
        assert_equal [r lcs nokey nokey2 idx withmatchlen] {matches {} len 0}
        assert_equal [r exists nokey] 0
    }

    test {LCS - binary values and integer strings} {
        r set a "\x00\xff\r\n\x00x"
        r set b "\xff\x00\n\x00"
        assert_equal [r lcs a b] "\xff\n\x00"
        r set n 12345
        r set m 2040
        assert_equal [r lcs n m] 24
    }

    test {LCS - random strings match a model of the length} {
        for {set i 0} {$i < 40} {incr i} {
            set a [bitops_randabc 15]
            set b [bitops_randabc 15]
            r mset ra $a rb $b
            set len [bitops_lcs_len_model $a $b]
            assert_equal [r lcs ra rb len] $len "(lcs $a $b)"
            set s [r lcs ra rb]
            assert_equal [string length $s] $len "(lcs $a $b)"
            assert [bitops_is_subsequence $s $a] "(lcs $a $b gave $s)"
            assert [bitops_is_subsequence $s $b] "(lcs $a $b gave $s)"
            assert_equal [lindex [r lcs ra rb idx] 3] $len "(lcs $a $b)"
        }
    }

    test {LCS - argument errors} {
        r mset a ohmytext b mynewtext
        assert_error {ERR If you want both the length and indexes, please just use IDX.} {r lcs a b len idx}
        assert_error {ERR syntax error} {r lcs a b foo}
        assert_error {ERR syntax error} {r lcs a b minmatchlen}
        assert_error {ERR syntax error} {r lcs a b idx minmatchlen}
        assert_error {ERR value is not an integer or out of range} {r lcs a b idx minmatchlen x}
        assert_error {ERR wrong number of arguments for 'lcs' command} {r lcs a}
    }

    test {LCS - a key that is not a string is an error} {
        # Not WRONGTYPE: LCS has its own message.
        r del h
        r hset h f v
        r set a ohmytext
        assert_error {ERR The specified keys must contain string values} {r lcs h a}
        assert_error {ERR The specified keys must contain string values} {r lcs a h len}
        assert_error {ERR The specified keys must contain string values} {r lcs a h idx}
    }

    # --- Wrong type ---

    test {SETBIT - on a hash is WRONGTYPE} {
        r del h
        r hset h f v
        assert_error $::bitops_wrongtype {r setbit h 0 1}
        assert_equal [r type h] hash
    }

    test {GETBIT - on a hash is WRONGTYPE} {
        r del h
        r hset h f v
        assert_error $::bitops_wrongtype {r getbit h 0}
    }

    test {BITCOUNT - on a hash is WRONGTYPE} {
        r del h
        r hset h f v
        assert_error $::bitops_wrongtype {r bitcount h}
        assert_error $::bitops_wrongtype {r bitcount h 0 -1}
        assert_error $::bitops_wrongtype {r bitcount h 0 -1 bit}
    }

    test {BITPOS - on a hash is WRONGTYPE} {
        r del h
        r hset h f v
        assert_error $::bitops_wrongtype {r bitpos h 1}
        assert_error $::bitops_wrongtype {r bitpos h 0 0}
        assert_error $::bitops_wrongtype {r bitpos h 0 0 -1 bit}
    }

    test {BITOP - a hash source is WRONGTYPE and the destination is left alone} {
        r del h
        r hset h f v
        r set a abc
        r set d keep
        assert_error $::bitops_wrongtype {r bitop and d a h}
        assert_error $::bitops_wrongtype {r bitop or d h a}
        assert_error $::bitops_wrongtype {r bitop not d h}
        assert_equal [r get d] keep
    }

    test {BITFIELD - on a hash is WRONGTYPE} {
        r del h
        r hset h f v
        assert_error $::bitops_wrongtype {r bitfield h get u8 0}
        assert_error $::bitops_wrongtype {r bitfield h set u8 0 1}
        assert_error $::bitops_wrongtype {r bitfield h incrby u8 0 1}
        assert_error $::bitops_wrongtype {r bitfield_ro h get u8 0}
        assert_equal [r type h] hash
    }
}

# With proto-max-bulk-len 1mb the highest bit offset is 8 * 1048576 - 1.
start_server {overrides {proto-max-bulk-len 1mb} tags {bitops}} {
    test {SETBIT - the highest offset follows proto-max-bulk-len} {
        r del k
        assert_error $::bitops_offset_err {r setbit k 8388608 1}
        assert_error $::bitops_offset_err {r getbit k 8388608}
        assert_equal [r exists k] 0
        assert_equal [r setbit k 8388607 1] 0
        assert_equal [r strlen k] 1048576
        assert_equal [r getbit k 8388607] 1
        assert_equal [r getrange k -2 -1] "\x00\x01"
    }

    test {BITCOUNT - ranges over a 1 MB bitmap} {
        r del k
        r setbit k 8388607 1
        r setbit k 0 1
        assert_equal [r bitcount k] 2
        assert_equal [r bitcount k 1 -1] 1
        assert_equal [r bitcount k 0 -2] 1
        assert_equal [r bitcount k -1 -1] 1
        assert_equal [r bitcount k 1 8388606 bit] 0
        assert_equal [r bitcount k 8388607 8388607 bit] 1
        assert_equal [r bitcount k -8388608 -1 bit] 2
    }

    test {BITPOS - positions in a 1 MB bitmap} {
        r del k
        r setbit k 8388607 1
        assert_equal [r bitpos k 1] 8388607
        assert_equal [r bitpos k 1 1000] 8388607
        assert_equal [r bitpos k 1 0 -2] -1
        assert_equal [r bitpos k 1 -1 -1 bit] 8388607
        assert_equal [r bitpos k 0 -1] 8388600
    }

    test {BITFIELD - the highest offset follows proto-max-bulk-len} {
        r del k
        assert_error $::bitops_offset_err {r bitfield k set u8 #1048576 1}
        assert_error $::bitops_offset_err {r bitfield k get u8 8388608}
        assert_equal [r exists k] 0
        assert_equal [r bitfield k set u8 #1048575 255] 0
        assert_equal [r strlen k] 1048576
        assert_equal [r bitfield k get u8 8388600 get u8 #1048575] {255 255}
    }

    test {BITOP - on 1 MB bitmaps} {
        r del a b d
        r setbit a 8388607 1
        r setbit b 0 1
        assert_equal [r bitop or d a b] 1048576
        assert_equal [r bitcount d] 2
        assert_equal [r bitop not d a] 1048576
        assert_equal [r bitcount d] 8388607
        assert_equal [r bitpos d 0] 8388607
    }
}

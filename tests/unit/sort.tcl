# SORT and SORT_RO: numeric and ALPHA order, DESC, LIMIT and its clamping,
# BY string keys and hash fields, BY a pattern without '*' (no sorting: a
# list or sorted set keeps its order), GET # and GET patterns, STORE (a list,
# an empty result deleting the destination, overwriting any type), lists,
# sets in their three encodings and sorted sets, the errors and the order in
# which they are checked, SORT_RO, RESP3 nulls, keyspace events, MULTI,
# WATCH, scripts and a BLPOP served by STORE.
#
# Everything asserted is what Redis 7.0 and 7.4 both reply. Where they
# differ (small sets of strings are listpacks only since Redis 7.2, and a
# set not sorted keeps its encoding's order) the test checks the version.
# Ties in ALPHA order by BY values with LIMIT are not asserted: Redis sorts
# them with a partial quicksort whose order of equal values is arbitrary.
# Values that overflow a double are not used: Redis reads errno without
# clearing it, so one "1e400" makes later sorts of the same server fail.

# --- helpers (prefixed srt_, the unit files share one interpreter) ---

set ::srt_wrongtype {WRONGTYPE Operation against a key holding the wrong kind of value}
set ::srt_score_err {ERR One or more scores can't be converted into double}

# The encoding Redis gives a small set of strings: listpack since 7.2.
proc srt_small_set_encoding {} {
    if {[version_at_least 7.2]} { return listpack }
    return hashtable
}

# The next keyspace event on subscriber S as "key event".
proc srt_next_event {s} {
    set m [$s read]
    set channel [lindex $m 2]
    if {![string match {__keyspace@0__:*} $channel]} {
        fail "unexpected message '$m'"
    }
    return [list [string range $channel 15 end] [lindex $m 3]]
}

# A deferring client subscribed to the keyspace events of keys srt:ev:*.
proc srt_subscribe {flags} {
    r config set notify-keyspace-events $flags
    set s [redis_deferring_client]
    $s timeout 3000
    $s psubscribe __keyspace@0__:srt:ev:*
    assert_equal [$s read] {psubscribe __keyspace@0__:srt:ev:* 1}
    return $s
}

# RPUSHes ELEMENTS to KEY 500 per command.
proc srt_rpush_batches {key elements} {
    for {set i 0} {$i < [llength $elements]} {incr i 500} {
        r rpush $key {*}[lrange $elements $i [expr {$i + 499}]]
    }
}

# SADDs ELEMENTS to KEY 500 per command.
proc srt_sadd_batches {key elements} {
    for {set i 0} {$i < [llength $elements]} {incr i 500} {
        r sadd $key {*}[lrange $elements $i [expr {$i + 499}]]
    }
}

start_server {tags {sort}} {
    # --- numeric and ALPHA order ---

    test {SORT - a list of numbers in numeric order, integers and floats mixed} {
        r del srt:l
        r rpush srt:l 3 1 2 10 -5 2.5 -0.5 100
        assert_equal [r sort srt:l] {-5 -0.5 1 2 2.5 3 10 100}
        assert_equal [r sort srt:l desc] {100 10 3 2.5 2 1 -0.5 -5}
        assert_equal [r sort srt:l asc] {-5 -0.5 1 2 2.5 3 10 100}
        # The list itself is not changed.
        assert_equal [r lrange srt:l 0 -1] {3 1 2 10 -5 2.5 -0.5 100}
    }

    test {SORT - numbers are read as strtod reads them: spaces before, hex, inf, the empty string as 0} {
        r del srt:l
        r rpush srt:l 0x10 { 2} inf -inf {} 1 1e2
        assert_equal [r sort srt:l] [list -inf {} 1 { 2} 0x10 1e2 inf]
        assert_equal [r sort srt:l desc] [list inf 1e2 0x10 { 2} 1 {} -inf]
    }

    test {SORT - equal scores are ordered by the elements' bytes, DESC reverses that too} {
        r del srt:l
        r rpush srt:l 1.0 01 1 1e0 0 2
        assert_equal [r sort srt:l] {0 01 1 1.0 1e0 2}
        assert_equal [r sort srt:l desc] {2 1e0 1.0 1 01 0}
    }

    test {SORT - duplicates are kept} {
        r del srt:l
        r rpush srt:l 2 1 2 1 3 1
        assert_equal [r sort srt:l] {1 1 1 2 2 3}
        assert_equal [r sort srt:l alpha desc] {3 2 2 1 1 1}
    }

    test {SORT - an element that is not a number is an error, ALPHA sorts it} {
        r del srt:l srt:nan srt:trail
        r rpush srt:l 1 x 2
        assert_error $::srt_score_err {r sort srt:l}
        assert_error $::srt_score_err {r sort srt:l desc limit 0 1}
        assert_equal [r sort srt:l alpha] {1 2 x}
        r rpush srt:nan nan 1
        assert_error $::srt_score_err {r sort srt:nan}
        r rpush srt:trail {1 } 2
        assert_error $::srt_score_err {r sort srt:trail}
    }

    test {SORT - ALPHA sorts as strings, DESC reverses} {
        r del srt:l
        r rpush srt:l banana 10 apple 9 cherry {} apple2
        assert_equal [r sort srt:l alpha] [list {} 10 9 apple apple2 banana cherry]
        assert_equal [r sort srt:l alpha desc] [list cherry banana apple2 apple 9 10 {}]
    }

    test {SORT - ALPHA with STORE compares bytes: upper case first, a prefix first, bytes above 127 last} {
        r del srt:l srt:dst
        r rpush srt:l b a B A ab "\xff" "\x80a" a0
        assert_equal [r sort srt:l alpha store srt:dst] 8
        assert_equal [r lrange srt:dst 0 -1] [list A B a a0 ab b "\x80a" "\xff"]
    }

    test {SORT - 1000 random integers against lsort, both directions} {
        r del srt:l
        unset -nocomplain srt_seen
        set srt_nums {}
        while {[llength $srt_nums] < 1000} {
            set n [expr {int(rand() * 2000000) - 1000000}]
            if {[info exists srt_seen($n)]} continue
            set srt_seen($n) 1
            lappend srt_nums $n
        }
        srt_rpush_batches srt:l $srt_nums
        assert_equal [r sort srt:l] [lsort -integer $srt_nums]
        assert_equal [r sort srt:l desc] [lsort -integer -decreasing $srt_nums]
        assert_equal [r sort srt:l limit 100 10] [lrange [lsort -integer $srt_nums] 100 109]
    }

    test {SORT - 1000 random strings with ALPHA against lsort} {
        r del srt:l
        # Lower case and digits only: collation and byte order agree in
        # every locale Redis may run under (it sorts with strcoll).
        set srt_strs {}
        for {set i 0} {$i < 1000} {incr i} { lappend srt_strs [string tolower [randstring 8]] }
        srt_rpush_batches srt:l $srt_strs
        assert_equal [r sort srt:l alpha] [lsort -ascii $srt_strs]
        assert_equal [r sort srt:l alpha desc] [lsort -ascii -decreasing $srt_strs]
    }

    # --- LIMIT ---

    test {SORT - LIMIT offset count takes a slice of the sorted elements} {
        r del srt:l
        r rpush srt:l 5 3 1 4 2
        assert_equal [r sort srt:l limit 0 2] {1 2}
        assert_equal [r sort srt:l limit 1 3] {2 3 4}
        assert_equal [r sort srt:l limit 3 10] {4 5}
        assert_equal [r sort srt:l limit 1 2 desc] {4 3}
        assert_equal [r sort srt:l limit 4 1] {5}
    }

    test {SORT - LIMIT clamping: count 0, a negative offset, a negative count, an offset past the end} {
        r del srt:l
        r rpush srt:l 5 3 1 4 2
        assert_equal [r sort srt:l limit 0 0] {}
        assert_equal [r sort srt:l limit -1 2] {1 2}
        assert_equal [r sort srt:l limit -100 1] {1}
        assert_equal [r sort srt:l limit 2 -1] {3 4 5}
        assert_equal [r sort srt:l limit 1 -5] {2 3 4 5}
        assert_equal [r sort srt:l limit 5 1] {}
        assert_equal [r sort srt:l limit 100 100] {}
        assert_equal [r sort srt:l limit 9223372036854775807 9223372036854775807] {}
        assert_equal [r sort srt:l limit -9223372036854775808 2] {1 2}
        assert_equal [r sort srt:l limit 3 9223372036854775807] {4 5}
        assert_equal [r sort srt:l limit 0 -9223372036854775808] {1 2 3 4 5}
        assert_equal [r sort srt:nokey limit 0 10] {}
        assert_equal [r sort srt:nokey limit 1 -1] {}
    }

    test {SORT - LIMIT needs two integers} {
        r del srt:l
        r rpush srt:l 2 1
        assert_error {ERR value is not an integer or out of range} {r sort srt:l limit a 1}
        assert_error {ERR value is not an integer or out of range} {r sort srt:l limit 0 b}
        assert_error {ERR value is not an integer or out of range} {r sort srt:l limit 0 1.5}
        assert_error {ERR value is not an integer or out of range} {r sort srt:l limit 0 9223372036854775808}
        # With fewer than two arguments after it LIMIT is not an option.
        assert_error {ERR syntax error} {r sort srt:l limit 0}
        assert_error {ERR syntax error} {r sort srt:l limit}
    }

    # --- BY ---

    test {SORT - BY string keys: the first * is replaced by the element} {
        r del srt:l srt:w_a srt:w_b srt:w_c srt:w_d
        r rpush srt:l a b c d
        r mset srt:w_a 30 srt:w_b 10 srt:w_c 20 srt:w_d 5
        assert_equal [r sort srt:l by srt:w_*] {d b c a}
        assert_equal [r sort srt:l by srt:w_* desc] {a c b d}
        assert_equal [r sort srt:l by srt:w_* limit 1 2] {b c}
        assert_equal [r sort srt:l by srt:w_* limit 1 2 desc] {c b}
        # Only the first * is replaced.
        r mset srt:x_a_* 2 srt:x_b_* 1
        assert_equal [r sort srt:l by srt:x_*_* limit 0 2] {c d}
    }

    test {SORT - BY a missing key or a key of another type scores 0; ties are ordered by the element} {
        r del srt:l srt:w_a srt:w_b srt:w_c srt:w_d
        r rpush srt:l d c b a
        r set srt:w_a 1
        r set srt:w_b -1
        r rpush srt:w_c 5
        assert_equal [r sort srt:l by srt:w_*] {b c d a}
        assert_equal [r sort srt:l by srt:w_* desc] {a d c b}
    }

    test {SORT - BY a value that is not a number is an error, with ALPHA it sorts} {
        r del srt:l srt:w_a srt:w_b srt:w_c
        r rpush srt:l a b c
        r mset srt:w_a pear srt:w_b apple srt:w_c fig
        assert_error $::srt_score_err {r sort srt:l by srt:w_*}
        assert_equal [r sort srt:l by srt:w_* alpha] {b c a}
        assert_equal [r sort srt:l by srt:w_* alpha desc] {a c b}
    }

    test {SORT - BY with ALPHA: a missing value sorts first, equal values keep the list's order} {
        r del srt:l srt:w_a srt:w_b srt:w_c srt:w_d srt:w_e
        r rpush srt:l a b c d e
        r mset srt:w_b k srt:w_c j srt:w_e j
        assert_equal [r sort srt:l by srt:w_* alpha] {a d c e b}
        assert_equal [r sort srt:l by srt:w_* alpha desc] {b c e a d}
    }

    test {SORT - BY hash fields with ->} {
        r del srt:l srt:h_a srt:h_b srt:h_c
        r rpush srt:l a b c
        r hset srt:h_a n 3 s x
        r hset srt:h_b n 1 s z
        r hset srt:h_c n 2 s y
        assert_equal [r sort srt:l by srt:h_*->n] {b c a}
        assert_equal [r sort srt:l by srt:h_*->n desc] {a c b}
        assert_equal [r sort srt:l by srt:h_*->s alpha] {a c b}
        # A missing field, or a key that is not a hash, scores 0.
        r del srt:h_c
        r set srt:h_c 100
        assert_equal [r sort srt:l by srt:h_*->n] {c b a}
        assert_equal [r sort srt:l by srt:h_*->nofield] {a b c}
    }

    test {SORT - BY "->" with nothing after it, or before the *, reads a string key} {
        r del srt:l srt:w_a-> srt:w_b-> srt:w_a srt:w_b
        r rpush srt:l a b
        r mset srt:w_a-> 2 srt:w_b-> 1
        assert_equal [r sort srt:l by srt:w_*->] {b a}
        r del srt:h->x_a srt:h->x_b
        r mset srt:h->x_a 1 srt:h->x_b 2
        assert_equal [r sort srt:l by srt:h->x_* desc] {b a}
    }

    test {SORT - BY a pattern without * does not sort: a list keeps its order} {
        r del srt:l
        r rpush srt:l 3 x 1 y 2
        # Not sorted, so no element needs to be a number.
        assert_equal [r sort srt:l by nosort] {3 x 1 y 2}
        assert_equal [r sort srt:l by nosort desc] {2 y 1 x 3}
        assert_equal [r sort srt:l by nosort limit 1 2] {x 1}
        assert_equal [r sort srt:l by nosort limit 1 2 desc] {y 1}
        assert_equal [r sort srt:l by nosort limit 4 10 desc] {3}
        assert_equal [r sort srt:l by nosort limit 5 1] {}
        assert_equal [r sort srt:l by nosort alpha desc] {2 y 1 x 3}
    }

    test {SORT - a BY without * turns sorting off even when another BY follows} {
        r del srt:l srt:w_a srt:w_b
        r rpush srt:l a b
        r mset srt:w_a 2 srt:w_b 1
        assert_equal [r sort srt:l by srt:w_*] {b a}
        assert_equal [r sort srt:l by nosort by srt:w_*] {a b}
        assert_equal [r sort srt:l by srt:w_* by nosort] {a b}
        assert_equal [r sort srt:l by srt:w_* by srt:w_*] {b a}
    }

    # --- GET ---

    test {SORT - GET # is the element, GET pattern the value, missing keys give nil} {
        r del srt:l srt:v_a srt:v_b srt:v_c
        r rpush srt:l c a b
        r mset srt:v_a va srt:v_c vc
        assert_equal [r sort srt:l alpha get #] {a b c}
        assert_equal [r sort srt:l alpha get srt:v_*] {va {} vc}
        assert_equal [r sort srt:l alpha get # get srt:v_*] {a va b {} c vc}
        assert_equal [r sort srt:l alpha desc limit 0 2 get srt:v_* get #] {vc c {} b}
        # A pattern without *, or a key of another type, gives nil too.
        r del srt:v_b
        r rpush srt:v_b x
        assert_equal [r sort srt:l alpha get nostar get srt:v_*] {{} va {} {} {} vc}
    }

    test {SORT - GET hash fields} {
        r del srt:l srt:h_1 srt:h_2
        r rpush srt:l 2 1 3
        r hset srt:h_1 name one
        r hset srt:h_2 name two other x
        assert_equal [r sort srt:l get srt:h_*->name get srt:h_*->other] {one {} two x {} {}}
    }

    test {SORT - GET with BY, and BY nosort with GET} {
        r del srt:l srt:w_a srt:w_b srt:w_c srt:v_a srt:v_b srt:v_c
        r rpush srt:l a b c
        r mset srt:w_a 3 srt:w_b 1 srt:w_c 2 srt:v_a A srt:v_b B srt:v_c C
        assert_equal [r sort srt:l by srt:w_* get srt:v_* get #] {B b C c A a}
        assert_equal [r sort srt:l by nosort get srt:v_* desc] {C B A}
    }

    test {SORT - RESP2 and RESP3 replies: a missing GET value is a null} {
        r del srt:l srt:v_a srt:v_b
        r rpush srt:l a b
        r set srt:v_a x
        set c [raw_connect]
        assert_raw $c {sort srt:l alpha get srt:v_*} [list {*2} {$1} x {$-1}]
        assert_raw $c {sort srt:nokey} [list {*0}]
        set c3 [raw_resp3_client]
        assert_raw $c3 {sort srt:l alpha get srt:v_*} [list {*2} {$1} x {_}]
        assert_raw $c3 {sort srt:l alpha} [list {*2} {$1} a {$1} b]
    }

    # --- key types ---

    test {SORT - a missing key is an empty list} {
        r del srt:nokey
        assert_equal [r sort srt:nokey] {}
        assert_equal [r sort srt:nokey by nosort desc alpha] {}
        assert_equal [r exists srt:nokey] 0
    }

    test {SORT - WRONGTYPE for a string and a hash} {
        r del srt:str srt:h
        r set srt:str 1
        r hset srt:h f 1
        assert_error $::srt_wrongtype {r sort srt:str}
        assert_error $::srt_wrongtype {r sort srt:h by nosort}
        assert_error $::srt_wrongtype {r sort_ro srt:str}
        assert_error $::srt_wrongtype {r sort srt:str store srt:dst}
    }

    test {SORT - an intset} {
        r del srt:s
        r sadd srt:s 5 -3 100 0 42
        assert_equal [r object encoding srt:s] intset
        assert_equal [r sort srt:s] {-3 0 5 42 100}
        assert_equal [r sort srt:s desc limit 1 2] {42 5}
        assert_equal [r sort srt:s alpha] {-3 0 100 42 5}
        # An intset is walked in order, so even BY nosort gives it sorted.
        assert_equal [r sort srt:s by nosort] {-3 0 5 42 100}
    }

    test {SORT - a small set of strings (listpack since Redis 7.2)} {
        r del srt:s
        r sadd srt:s pear apple fig 10 9
        assert_equal [r object encoding srt:s] [srt_small_set_encoding]
        assert_equal [r sort srt:s alpha] {10 9 apple fig pear}
        assert_equal [r sort srt:s alpha desc limit 0 2] {pear fig}
        assert_error $::srt_score_err {r sort srt:s}
    }

    test {SORT - a listpack set BY nosort keeps insertion order, DESC ignored (Redis 7.2+)} {
        if {![version_at_least 7.2]} { skip_test "small sets of strings are listpacks since 7.2" }
        r del srt:s
        r sadd srt:s pear apple fig
        assert_equal [r object encoding srt:s] listpack
        assert_equal [r sort srt:s by nosort] {pear apple fig}
        assert_equal [r sort srt:s by nosort desc] {pear apple fig}
        assert_equal [r sort srt:s by nosort limit 1 5] {apple fig}
    }

    test {SORT - a hashtable set of integers and of strings} {
        r del srt:s srt:t
        set srt_nums {}
        for {set i 0} {$i < 600} {incr i} { lappend srt_nums [expr {$i * 7 - 2000}] }
        srt_sadd_batches srt:s $srt_nums
        assert_equal [r object encoding srt:s] hashtable
        assert_equal [r sort srt:s] [lsort -integer $srt_nums]
        assert_equal [r sort srt:s desc limit 0 3] {2193 2186 2179}
        set srt_strs {}
        for {set i 0} {$i < 200} {incr i} { lappend srt_strs m$i }
        srt_sadd_batches srt:t $srt_strs
        assert_equal [r object encoding srt:t] hashtable
        assert_equal [r sort srt:t alpha] [lsort -ascii $srt_strs]
        assert_equal [r sort srt:t alpha limit 10 3] [lrange [lsort -ascii $srt_strs] 10 12]
        # BY nosort gives the table's order: some order of all the members.
        assert_equal [lsort [r sort srt:t by nosort]] [lsort $srt_strs]
    }

    test {SORT - a set BY nosort with STORE is sorted ALPHA anyway} {
        r del srt:s srt:dst
        r sadd srt:s c a b 10 2
        assert_equal [r sort srt:s by nosort store srt:dst] 5
        assert_equal [r lrange srt:dst 0 -1] {10 2 a b c}
        # The BY pattern goes; DESC, LIMIT and GET stay.
        r del srt:g_2
        r mset srt:g_a A srt:g_b B
        assert_equal [r sort srt:s by nosort desc limit 2 2 get srt:g_* store srt:dst] 2
        assert_equal [r lrange srt:dst 0 -1] {A {}}
    }

    test {SORT - a sorted set is sorted by its members, not its scores} {
        r del srt:z
        r zadd srt:z 1 30 2 10 3 20
        assert_equal [r sort srt:z] {10 20 30}
        assert_equal [r sort srt:z desc] {30 20 10}
        r del srt:z
        r zadd srt:z 3 a 1 b 2 c
        assert_equal [r sort srt:z alpha] {a b c}
        assert_error $::srt_score_err {r sort srt:z}
    }

    test {SORT - a sorted set BY nosort keeps score order; DESC and LIMIT apply to it} {
        r del srt:z
        r zadd srt:z 3 a 1 b 2 c 10 d 5 e
        assert_equal [r sort srt:z by nosort] {b c a e d}
        assert_equal [r sort srt:z by nosort desc] {d e a c b}
        assert_equal [r sort srt:z by nosort limit 1 2] {c a}
        assert_equal [r sort srt:z by nosort limit 1 2 desc] {e a}
        assert_equal [r sort srt:z by nosort limit 3 10 desc] {c b}
        assert_equal [r sort srt:z by nosort limit 5 1] {}
        assert_equal [r sort srt:z by nosort limit -2 1 desc] {d}
        r mset srt:v_b vb srt:v_d vd
        assert_equal [r sort srt:z by nosort limit 3 2 get # get srt:v_*] {e {} d vd}
    }

    test {SORT - a large sorted set BY nosort with LIMIT from both ends} {
        r del srt:z
        set srt_args {}
        for {set i 0} {$i < 300} {incr i} { lappend srt_args $i m$i }
        r zadd srt:z {*}$srt_args
        assert_equal [r object encoding srt:z] skiplist
        assert_equal [r sort srt:z by nosort limit 150 3] {m150 m151 m152}
        assert_equal [r sort srt:z by nosort limit 150 3 desc] {m149 m148 m147}
        assert_equal [r sort srt:z by nosort limit 298 10 desc] {m1 m0}
        assert_equal [llength [r sort srt:z by nosort]] 300
        assert_equal [lindex [r sort srt:z by nosort desc] 0] m299
    }

    test {SORT - a small sorted set becomes a skiplist, even with SORT_RO} {
        r del srt:z srt:z2
        r zadd srt:z 1 a 2 b
        assert_equal [r object encoding srt:z] listpack
        r sort srt:z alpha
        assert_equal [r object encoding srt:z] skiplist
        assert_equal [r zrange srt:z 0 -1 withscores] {a 1 b 2}
        r zadd srt:z2 1 a
        r sort_ro srt:z2 by nosort
        assert_equal [r object encoding srt:z2] skiplist
    }

    test {SORT - a large list, BY nosort DESC with LIMIT} {
        r del srt:l
        set srt_els {}
        for {set i 0} {$i < 2000} {incr i} { lappend srt_els [expr {($i * 7919) % 2000}] }
        srt_rpush_batches srt:l $srt_els
        assert_equal [r sort srt:l by nosort limit 1000 3] [lrange $srt_els 1000 1002]
        assert_equal [r sort srt:l by nosort limit 1000 3 desc] \
            [lrange [lreverse $srt_els] 1000 1002]
        assert_equal [r sort srt:l limit 1997 10] {1997 1998 1999}
    }

    # --- STORE ---

    test {SORT - STORE stores the result as a list and replies its length} {
        r del srt:l srt:dst
        r rpush srt:l 3 1 2
        assert_equal [r sort srt:l store srt:dst] 3
        assert_equal [r type srt:dst] list
        assert_equal [r lrange srt:dst 0 -1] {1 2 3}
        assert_equal [r sort srt:l desc limit 0 2 store srt:dst] 2
        assert_equal [r lrange srt:dst 0 -1] {3 2}
    }

    test {SORT - STORE of GET values stores missing ones as empty strings} {
        r del srt:l srt:dst srt:v_a srt:v_b
        r rpush srt:l a b
        r set srt:v_a x
        assert_equal [r sort srt:l alpha get # get srt:v_* store srt:dst] 4
        assert_equal [r lrange srt:dst 0 -1] {a x b {}}
    }

    test {SORT - STORE overwrites a key of another type and drops its TTL} {
        r del srt:l srt:dst
        r rpush srt:l 2 1
        r set srt:dst foo ex 100
        assert_equal [r sort srt:l store srt:dst] 2
        assert_equal [r type srt:dst] list
        assert_equal [r ttl srt:dst] -1
        r del srt:dst
        r hset srt:dst f v
        assert_equal [r sort srt:l store srt:dst] 2
        assert_equal [r lrange srt:dst 0 -1] {1 2}
    }

    test {SORT - STORE of an empty result deletes the destination} {
        r del srt:l srt:dst
        r rpush srt:l 2 1
        r set srt:dst foo
        assert_equal [r sort srt:l limit 0 0 store srt:dst] 0
        assert_equal [r exists srt:dst] 0
        r sadd srt:dst a
        assert_equal [r sort srt:nokey store srt:dst] 0
        assert_equal [r exists srt:dst] 0
        assert_equal [r sort srt:nokey store srt:dst] 0
        assert_equal [r exists srt:dst] 0
    }

    test {SORT - STORE onto the sorted key itself} {
        r del srt:l
        r rpush srt:l 3 2 1
        assert_equal [r sort srt:l store srt:l] 3
        assert_equal [r lrange srt:l 0 -1] {1 2 3}
        r del srt:s
        r sadd srt:s 2 1
        assert_equal [r sort srt:s store srt:s] 2
        assert_equal [r type srt:s] list
    }

    test {SORT - a score error with STORE leaves the destination alone} {
        r del srt:l srt:dst
        r rpush srt:l 1 x
        r set srt:dst keep
        assert_error $::srt_score_err {r sort srt:l store srt:dst}
        assert_equal [r get srt:dst] keep
    }

    test {SORT - the last STORE wins} {
        r del srt:l srt:dst srt:dst2
        r rpush srt:l 2 1
        assert_equal [r sort srt:l store srt:dst store srt:dst2] 2
        assert_equal [r exists srt:dst] 0
        assert_equal [r lrange srt:dst2 0 -1] {1 2}
    }

    test {SORT - STORE serves a client blocked in BLPOP on the destination} {
        r del srt:l srt:bdst
        r rpush srt:l c a b
        set c [redis_deferring_client]
        $c blpop srt:bdst 5
        wait_for_condition 100 10 {[s blocked_clients] == 1} else {
            fail "the client did not block"
        }
        assert_equal [r sort srt:l alpha store srt:bdst] 3
        assert_equal [$c read] {srt:bdst a}
        assert_equal [r lrange srt:bdst 0 -1] {b c}
    }

    # --- options and errors ---

    test {SORT - options are case insensitive and may come in any order} {
        r del srt:l srt:w_a srt:w_b srt:w_c srt:dst
        r rpush srt:l a b c
        r mset srt:w_a 3 srt:w_b 1 srt:w_c 2
        assert_equal [r sort srt:l DeSc LiMiT 0 2 GeT # bY srt:w_* AlPhA] {a c}
        assert_equal [r sort srt:l desc asc by srt:w_*] {b c a}
        assert_equal [r sort srt:l sToRe srt:dst by srt:w_*] 3
        assert_equal [r lrange srt:dst 0 -1] {b c a}
    }

    test {SORT - an unknown option or an option without its argument is a syntax error} {
        r del srt:l
        r rpush srt:l 1
        assert_error {ERR syntax error} {r sort srt:l foo}
        assert_error {ERR syntax error} {r sort srt:l by}
        assert_error {ERR syntax error} {r sort srt:l get}
        assert_error {ERR syntax error} {r sort srt:l store}
        assert_error {ERR syntax error} {r sort srt:l limit 0 1 1}
        assert_error {ERR syntax error} {r sort srt:l asc desc 1}
    }

    test {SORT - option errors come before the key is looked at, the first one wins} {
        r del srt:str
        r set srt:str x
        assert_error {ERR syntax error} {r sort srt:str foo}
        assert_error {ERR syntax error} {r sort srt:nokey foo}
        assert_error {ERR value is not an integer or out of range} {r sort srt:str limit a 0}
        assert_error {ERR value is not an integer or out of range} {r sort srt:str limit x 0 foo}
        assert_error {ERR syntax error} {r sort srt:str foo limit x 0}
    }

    test {SORT - arity errors} {
        assert_error {ERR wrong number of arguments for 'sort' command} {r sort}
        assert_error {ERR wrong number of arguments for 'sort_ro' command} {r sort_ro}
    }

    # --- SORT_RO ---

    test {SORT_RO - sorts as SORT does} {
        r del srt:l srt:w_a srt:w_b srt:w_c
        r rpush srt:l a b c
        r mset srt:w_a 3 srt:w_b 1 srt:w_c 2
        assert_equal [r sort_ro srt:l by srt:w_* get # get srt:w_*] {b 1 c 2 a 3}
        assert_equal [r sort_ro srt:l alpha desc limit 0 2] {c b}
        assert_equal [r sort_ro srt:l by nosort] {a b c}
        assert_equal [r sort_ro srt:nokey] {}
    }

    test {SORT_RO - STORE is a syntax error} {
        r del srt:l srt:dst
        r rpush srt:l 2 1
        assert_error {ERR syntax error} {r sort_ro srt:l store srt:dst}
        assert_error {ERR syntax error} {r sort_ro srt:l alpha store srt:dst limit 0 1}
        assert_error {ERR syntax error} {r sort_ro srt:l store}
        assert_equal [r exists srt:dst] 0
    }

    test {SORT - COMMAND INFO: SORT writes, SORT_RO reads, both with the key at 1 and movable keys} {
        set srt_info [lindex [r command info sort] 0]
        assert_equal [lrange $srt_info 0 5] {sort -2 {write denyoom movablekeys} 1 1 1}
        set srt_info [lindex [r command info sort_ro] 0]
        assert_equal [lrange $srt_info 0 5] {sort_ro -2 {readonly movablekeys} 1 1 1}
    }

    # --- transactions and scripts ---

    test {MULTI - SORT and SORT STORE are queued and run by EXEC} {
        r del srt:l srt:dst
        r rpush srt:l 3 1 2
        r multi
        assert_equal [r sort srt:l] QUEUED
        assert_equal [r sort srt:l desc store srt:dst] QUEUED
        assert_equal [r lrange srt:dst 0 -1] QUEUED
        assert_equal [r sort_ro srt:dst limit 0 1] QUEUED
        assert_equal [r exec] {{1 2 3} 3 {3 2 1} 1}
    }

    test {MULTI - a SORT error fails alone inside EXEC} {
        r del srt:l srt:bad
        r rpush srt:l 2 1
        r rpush srt:bad x
        set c [raw_connect]
        $c write_raw "MULTI\r\nSORT srt:bad\r\nSORT srt:l STORE\r\nSORT srt:l\r\nEXEC\r\n"
        set lines {}
        for {set i 0} {$i < 12} {incr i} { lappend lines [$c read] }
        assert_equal $lines [list +OK +QUEUED +QUEUED +QUEUED *3 "-$::srt_score_err" \
            {-ERR syntax error} *2 {$1} 1 {$1} 2]
    }

    test {WATCH - SORT STORE on the watched destination aborts EXEC} {
        r del srt:l srt:dst
        r rpush srt:l 2 1
        r watch srt:dst
        set other [redis_client]
        $other sort srt:l store srt:dst
        r multi
        r ping
        assert_equal [r exec] {}
    }

    test {EVAL - SORT inside a script, with and without STORE} {
        r del srt:l srt:dst
        r rpush srt:l 3 1 2
        assert_equal [r eval {return redis.call('sort', KEYS[1], 'desc')} 1 srt:l] {3 2 1}
        assert_equal [r eval {return redis.call('sort', KEYS[1], 'store', KEYS[2])} 2 srt:l srt:dst] 3
        assert_equal [r lrange srt:dst 0 -1] {1 2 3}
        assert_equal [r eval {return redis.call('sort_ro', KEYS[1], 'limit', 0, 1)} 1 srt:l] {1}
        assert_error {ERR syntax error script: *} \
            {r eval {return redis.call('sort', KEYS[1], 'alpha', 'by', 'x_*', 'get', '#', 'foo')} 1 srt:l}
        r rpush srt:l x
        assert_error "$::srt_score_err script: *" {r eval {return redis.call('sort', KEYS[1])} 1 srt:l}
    }

    test {EVAL - a set BY nosort inside a script is sorted ALPHA} {
        r del srt:s
        r sadd srt:s c a b 10 2
        assert_equal [r eval {return redis.call('sort', KEYS[1], 'by', 'nosort')} 1 srt:s] {10 2 a b c}
        # DESC and LIMIT still apply.
        assert_equal [r eval {return redis.call('sort_ro', KEYS[1], 'by', 'nosort', 'desc')} 1 srt:s] {c b a 2 10}
        assert_equal [r eval {return redis.call('sort', KEYS[1], 'by', 'nosort', 'limit', 1, 2)} 1 srt:s] {2 a}
    }

    test {EVAL - a missing GET value is false in Lua; errors reach the script} {
        r del srt:l srt:str
        r rpush srt:l a
        r set srt:str x
        assert_equal [r eval {return redis.call('sort', KEYS[1], 'alpha', 'get', 'srt:nov_*')[1] == false} 1 srt:l] 1
        assert_error "$::srt_wrongtype*" {r eval {return redis.call('sort', KEYS[1])} 1 srt:str}
        assert_error {ERR syntax error*} {r eval {return redis.call('sort_ro', KEYS[1], 'store', 'x')} 1 srt:l}
    }

    test {EVAL_RO - SORT_RO runs, SORT is a write command and is refused} {
        r del srt:l
        r rpush srt:l 2 1
        assert_equal [r eval_ro {return redis.call('sort_ro', KEYS[1])} 1 srt:l] {1 2}
        assert_error {*Write commands are not allowed from read-only scripts*} \
            {r eval_ro {return redis.call('sort', KEYS[1])} 1 srt:l}
    }
}

# --- keyspace notifications ---

start_server {tags {sort notify}} {
    test {Keyspace events - SORT STORE sends sortstore, an empty result del} {
        r del srt:ev:l srt:ev:dst
        r rpush srt:ev:l 2 1
        set s [srt_subscribe Klg]
        assert_equal [r sort srt:ev:l store srt:ev:dst] 2
        assert_equal [srt_next_event $s] {srt:ev:dst sortstore}
        # Overwriting a string is a sortstore, nothing else.
        r set srt:ev:str x
        assert_equal [r sort srt:ev:l store srt:ev:str] 2
        assert_equal [srt_next_event $s] {srt:ev:str sortstore}
        # An empty result deletes: del; with nothing to delete, no event.
        assert_equal [r sort srt:ev:l limit 0 0 store srt:ev:dst] 0
        assert_equal [srt_next_event $s] {srt:ev:dst del}
        assert_equal [r sort srt:ev:nokey store srt:ev:dst] 0
        # SORT without STORE sends nothing.
        r sort srt:ev:l
        r rpush srt:ev:l 3
        assert_equal [srt_next_event $s] {srt:ev:l rpush}
        $s close
        r config set notify-keyspace-events ""
    }

    test {Keyspace events - sortstore is a list event, on keyevent channels too} {
        r del srt:ev:l srt:ev:dst
        r rpush srt:ev:l 1
        r config set notify-keyspace-events El
        set s [redis_deferring_client]
        $s timeout 3000
        $s subscribe __keyevent@0__:sortstore
        assert_equal [$s read] {subscribe __keyevent@0__:sortstore 1}
        r sort srt:ev:l store srt:ev:dst
        assert_equal [$s read] {message __keyevent@0__:sortstore srt:ev:dst}
        $s close
        r config set notify-keyspace-events ""
    }
}

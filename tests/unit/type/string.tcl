# String commands: GET/SET and their options, the counters, ranges and
# multi-key forms, binary safety and the exact error replies.

start_server {tags {string}} {
    test {GET - missing key replies with a null bulk} {
        set c [raw_connect]
        assert_equal [$c get nokey] {$-1}
    }

    test {SET - replies OK and GET reads the value back} {
        assert_equal [r set foo bar] OK
        assert_equal [r get foo] bar
    }

    test {SET - overwrites the value and clears an existing TTL} {
        r set foo old ex 100
        r set foo new
        assert_equal [r get foo] new
        assert_equal [r ttl foo] -1
    }

    test {SET - empty string is a value, not a missing key} {
        r set empty ""
        assert_equal [r exists empty] 1
        assert_equal [r strlen empty] 0
        set c [raw_connect]
        assert_equal [$c get empty] {$0}
        assert_equal [$c read] {}
    }

    test {SET - values with NUL, CR and LF are stored byte for byte} {
        set v "a\x00b\r\nc\x00\r\n\xff\x80"
        r set bin $v
        assert_equal [r get bin] $v
        assert_equal [r strlen bin] 11
    }

    test {SET - keys with NUL, CR and LF are distinct keys} {
        r del k
        r set "k\x00a" 1
        r set "k\x00b" 2
        r set "k\r\n" 3
        assert_equal [r get "k\x00a"] 1
        assert_equal [r get "k\x00b"] 2
        assert_equal [r get "k\r\n"] 3
        assert_equal [r get k] {}
    }

    test {SET - 1 MB value round trip} {
        set v [string repeat "0123456789abcdef" 65536]
        r set big $v
        assert_equal [r strlen big] 1048576
        assert_equal [r get big] $v
    }

    test {SET - random binary values round trip} {
        for {set i 0} {$i < 50} {incr i} {
            set v [randstring [expr {int(rand() * 300)}] binary]
            r set rnd:$i $v
            assert_equal [r get rnd:$i] $v "(value $i)"
        }
    }

    test {SET - EX sets a TTL in seconds} {
        r set foo bar ex 100
        assert_range [r ttl foo] 99 100
        assert_range [r pttl foo] 98000 100000
    }

    test {SET - PX sets a TTL in milliseconds} {
        r set foo bar px 100000
        assert_range [r pttl foo] 99000 100000
    }

    test {SET - EXAT and PXAT set an absolute expire time} {
        set at [expr {[clock seconds] + 1000}]
        r set foo bar exat $at
        assert_equal [r expiretime foo] $at
        r set foo bar pxat [expr {$at * 1000 + 123}]
        assert_equal [r pexpiretime foo] [expr {$at * 1000 + 123}]
    }

    test {SET - EXAT or PXAT in the past replies OK and deletes the key} {
        r set foo bar
        assert_equal [r set foo bar exat 1] OK
        assert_equal [r exists foo] 0
        assert_equal [r set foo bar pxat 1] OK
        assert_equal [r exists foo] 0
    }

    test {SET - NX sets only a missing key} {
        r del foo
        assert_equal [r set foo 1 nx] OK
        assert_equal [r set foo 2 nx] {}
        assert_equal [r get foo] 1
    }

    test {SET - NX on an existing key replies with a null bulk} {
        r set foo 1
        set c [raw_connect]
        assert_equal [$c set foo 2 nx] {$-1}
    }

    test {SET - XX sets only an existing key} {
        r del foo
        assert_equal [r set foo 1 xx] {}
        assert_equal [r exists foo] 0
        r set foo 1
        assert_equal [r set foo 2 xx] OK
        assert_equal [r get foo] 2
    }

    test {SET - KEEPTTL keeps the existing TTL} {
        r set foo bar ex 100
        r set foo baz keepttl
        assert_equal [r get foo] baz
        assert_range [r ttl foo] 99 100
    }

    test {SET - GET returns the old value and sets the new one} {
        r set foo old
        assert_equal [r set foo new get] old
        assert_equal [r get foo] new
    }

    test {SET - GET on a missing key returns null and sets the key} {
        r del foo
        assert_equal [r set foo new get] {}
        assert_equal [r get foo] new
    }

    test {SET - NX GET returns the old value and does not overwrite} {
        r set foo old
        assert_equal [r set foo new nx get] old
        assert_equal [r get foo] old
        r del foo
        assert_equal [r set foo new nx get] {}
        assert_equal [r get foo] new
    }

    test {SET - XX GET on a missing key returns null and does not set} {
        r del foo
        assert_equal [r set foo new xx get] {}
        assert_equal [r exists foo] 0
    }

    test {SET - GET with EX and XX together} {
        r set foo old
        assert_equal [r set foo new xx get ex 100] old
        assert_equal [r get foo] new
        assert_range [r ttl foo] 99 100
    }

    test {SET - options are case insensitive} {
        r del foo
        assert_equal [r set foo 1 Ex 100 nX] OK
        assert_range [r ttl foo] 99 100
        assert_equal [r set foo 2 gEt] 1
    }

    test {SET - conflicting options are a syntax error} {
        foreach opts {
            {nx xx} {ex 10 px 10} {ex 10 exat 10} {px 10 pxat 10}
            {exat 10 pxat 10} {keepttl ex 10} {px 10 keepttl} {exat 1 px 10}
        } {
            assert_error {ERR syntax error} {r set foo bar {*}$opts}
        }
    }

    test {SET - unknown option or missing option value is a syntax error} {
        assert_error {ERR syntax error} {r set foo bar foo}
        assert_error {ERR syntax error} {r set foo bar ex}
        assert_error {ERR syntax error} {r set foo bar px}
        assert_error {ERR syntax error} {r set foo bar 10}
    }

    test {SET - a failed SET leaves the old value} {
        r set foo keep
        catch {r set foo bar nx xx}
        catch {r set foo bar ex 0}
        assert_equal [r get foo] keep
    }

    test {SET - non-integer expire is not an integer error} {
        assert_error {ERR value is not an integer or out of range} {r set foo bar ex abc}
        assert_error {ERR value is not an integer or out of range} {r set foo bar ex 1.5}
        assert_error {ERR value is not an integer or out of range} {r set foo bar px ""}
        assert_error {ERR value is not an integer or out of range} {r set foo bar ex 99999999999999999999}
    }

    test {SET - zero or negative expire is an invalid expire time} {
        foreach opts {{ex 0} {ex -1} {px 0} {px -100} {exat 0} {pxat 0} {exat -5}} {
            assert_error {ERR invalid expire time in 'set' command} {r set foo bar {*}$opts}
        }
    }

    test {SET - expire that overflows is an invalid expire time} {
        assert_error {ERR invalid expire time in 'set' command} {r set foo bar ex 9223372036854775807}
        assert_error {ERR invalid expire time in 'set' command} {r set foo bar ex 9223372036854775}
        assert_error {ERR invalid expire time in 'set' command} {r set foo bar px 9223372036854775807}
        assert_error {ERR invalid expire time in 'set' command} {r set foo bar exat 9223372036854775807}
    }

    test {SET - wrong number of arguments} {
        assert_error {ERR wrong number of arguments for 'set' command} {r set}
        assert_error {ERR wrong number of arguments for 'set' command} {r set foo}
    }

    test {GET - wrong number of arguments} {
        assert_error {ERR wrong number of arguments for 'get' command} {r get}
        assert_error {ERR wrong number of arguments for 'get' command} {r get a b}
    }

    test {GET - command names are case insensitive} {
        r SeT foo bar
        assert_equal [r gEt foo] bar
        assert_equal [r GET foo] bar
    }

    test {SETNX - sets a missing key only} {
        r del foo
        assert_equal [r setnx foo 1] 1
        assert_equal [r setnx foo 2] 0
        assert_equal [r get foo] 1
    }

    test {SETNX - does not touch the TTL of an existing key} {
        r set foo 1 ex 100
        assert_equal [r setnx foo 2] 0
        assert_range [r ttl foo] 99 100
    }

    test {SETEX - sets the value and a TTL in seconds} {
        assert_equal [r setex foo 100 bar] OK
        assert_equal [r get foo] bar
        assert_range [r ttl foo] 99 100
    }

    test {SETEX - zero or negative TTL is an invalid expire time} {
        assert_error {ERR invalid expire time in 'setex' command} {r setex foo 0 bar}
        assert_error {ERR invalid expire time in 'setex' command} {r setex foo -1 bar}
        assert_error {ERR invalid expire time in 'setex' command} {r setex foo 9223372036854775807 bar}
        assert_error {ERR value is not an integer or out of range} {r setex foo abc bar}
        assert_error {ERR wrong number of arguments for 'setex' command} {r setex foo 10}
    }

    test {PSETEX - sets the value and a TTL in milliseconds} {
        assert_equal [r psetex foo 100000 bar] OK
        assert_equal [r get foo] bar
        assert_range [r pttl foo] 99000 100000
        assert_error {ERR invalid expire time in 'psetex' command} {r psetex foo 0 bar}
        assert_error {ERR invalid expire time in 'psetex' command} {r psetex foo -10 bar}
    }

    test {GETSET - returns the old value and clears the TTL} {
        r set foo old ex 100
        assert_equal [r getset foo new] old
        assert_equal [r get foo] new
        assert_equal [r ttl foo] -1
    }

    test {GETSET - missing key returns null and sets the key} {
        r del foo
        assert_equal [r getset foo new] {}
        assert_equal [r get foo] new
    }

    test {GETDEL - returns the value and deletes the key} {
        r set foo bar ex 100
        assert_equal [r getdel foo] bar
        assert_equal [r exists foo] 0
        assert_equal [r getdel foo] {}
        assert_error {ERR wrong number of arguments for 'getdel' command} {r getdel}
    }

    test {GETEX - without options returns the value and keeps the TTL} {
        r set foo bar ex 100
        assert_equal [r getex foo] bar
        assert_range [r ttl foo] 99 100
    }

    test {GETEX - EX, PX, EXAT and PXAT set the TTL} {
        r set foo bar
        assert_equal [r getex foo ex 100] bar
        assert_range [r ttl foo] 99 100
        r getex foo px 200000
        assert_range [r pttl foo] 199000 200000
        set at [expr {[clock seconds] + 500}]
        r getex foo exat $at
        assert_equal [r expiretime foo] $at
        r getex foo pxat [expr {$at * 1000 + 7}]
        assert_equal [r pexpiretime foo] [expr {$at * 1000 + 7}]
    }

    test {GETEX - PERSIST removes the TTL} {
        r set foo bar ex 100
        assert_equal [r getex foo persist] bar
        assert_equal [r ttl foo] -1
    }

    test {GETEX - EXAT in the past returns the value and deletes the key} {
        r set foo bar
        assert_equal [r getex foo exat 1] bar
        assert_equal [r exists foo] 0
    }

    test {GETEX - missing key returns null} {
        r del foo
        assert_equal [r getex foo ex 100] {}
        assert_equal [r exists foo] 0
    }

    test {GETEX - option errors} {
        r set foo bar
        assert_error {ERR syntax error} {r getex foo ex 10 px 10}
        assert_error {ERR syntax error} {r getex foo persist ex 10}
        assert_error {ERR syntax error} {r getex foo foo}
        assert_error {ERR syntax error} {r getex foo ex}
        assert_error {ERR invalid expire time in 'getex' command} {r getex foo ex 0}
        assert_error {ERR invalid expire time in 'getex' command} {r getex foo px -1}
        assert_error {ERR invalid expire time in 'getex' command} {r getex foo exat 0}
        assert_error {ERR invalid expire time in 'getex' command} {r getex foo ex 9223372036854775807}
        assert_error {ERR value is not an integer or out of range} {r getex foo ex abc}
        assert_error {ERR wrong number of arguments for 'getex' command} {r getex}
        assert_equal [r ttl foo] -1
    }

    test {MSET - sets every pair and MGET reads them in order} {
        r del c
        assert_equal [r mset a 1 b 2] OK
        assert_equal [r mget a b c a] {1 2 {} 1}
    }

    test {MGET - missing keys are null bulks} {
        r del nokey
        r set a 1
        set c [raw_connect]
        assert_equal [$c mget nokey a] {*2}
        assert_equal [$c read] {$-1}
        assert_equal [$c read] {$1}
        assert_equal [$c read] {1}
    }

    test {MSET - the last value wins for a repeated key} {
        r mset k 1 k 2 k 3
        assert_equal [r get k] 3
    }

    test {MSET - odd number of arguments is a wrong arity error} {
        assert_error {ERR wrong number of arguments for 'mset' command} {r mset a 1 b}
        assert_error {ERR wrong number of arguments for 'mset' command} {r mset a}
        assert_error {ERR wrong number of arguments for 'mget' command} {r mget}
    }

    test {MSET - clears the TTL of overwritten keys} {
        r set a 1 ex 100
        r mset a 2
        assert_equal [r ttl a] -1
    }

    test {MSETNX - sets all keys when none exists} {
        r del x y
        assert_equal [r msetnx x 1 y 2] 1
        assert_equal [r mget x y] {1 2}
    }

    test {MSETNX - sets nothing when any key exists} {
        r del x y
        r set y old
        assert_equal [r msetnx x 1 y 2] 0
        assert_equal [r exists x] 0
        assert_equal [r get y] old
    }

    test {MSETNX - a key repeated in the arguments counts once} {
        r del z
        assert_equal [r msetnx z 1 z 2] 1
        assert_equal [r get z] 2
        assert_error {ERR wrong number of arguments for 'msetnx' command} {r msetnx z 1 y}
    }

    test {APPEND - creates a missing key and returns the new length} {
        r del foo
        assert_equal [r append foo hello] 5
        assert_equal [r append foo " world"] 11
        assert_equal [r get foo] {hello world}
    }

    test {APPEND - is binary safe and keeps the TTL} {
        r set foo "a\x00" ex 100
        assert_equal [r append foo "\r\n\x00"] 5
        assert_equal [r get foo] "a\x00\r\n\x00"
        assert_range [r ttl foo] 99 100
    }

    test {APPEND - many small appends build the expected string} {
        r del foo
        set expected ""
        for {set i 0} {$i < 200} {incr i} {
            append expected $i,
            r append foo $i,
        }
        assert_equal [r get foo] $expected
    }

    test {APPEND - to a 1 MB value} {
        set v [string repeat x 1048576]
        r set foo $v
        assert_equal [r append foo yz] 1048578
        assert_equal [r getrange foo -3 -1] xyz
    }

    test {STRLEN - length of a value, 0 for a missing key} {
        r set foo "hello\x00"
        assert_equal [r strlen foo] 6
        r del foo
        assert_equal [r strlen foo] 0
        assert_error {ERR wrong number of arguments for 'strlen' command} {r strlen}
    }

    test {INCR - a missing key counts from 0} {
        r del n
        assert_equal [r incr n] 1
        assert_equal [r incr n] 2
        assert_equal [r get n] 2
    }

    test {DECR - a missing key counts from 0} {
        r del n
        assert_equal [r decr n] -1
        assert_equal [r decr n] -2
    }

    test {INCRBY - adds positive and negative increments} {
        r set n 10
        assert_equal [r incrby n 5] 15
        assert_equal [r incrby n -20] -5
        assert_equal [r get n] -5
    }

    test {DECRBY - subtracts positive and negative decrements} {
        r set n 10
        assert_equal [r decrby n 15] -5
        assert_equal [r decrby n -7] 2
    }

    test {INCR - works on values SET as strings} {
        r set n 9
        assert_equal [r incr n] 10
        r set n -1
        assert_equal [r incr n] 0
        r set n 9223372036854775806
        assert_equal [r incr n] 9223372036854775807
    }

    test {INCR - keeps the TTL} {
        r set n 1 ex 100
        r incr n
        assert_range [r ttl n] 99 100
    }

    test {INCR - overflow is an error and keeps the value} {
        r set n 9223372036854775807
        assert_error {ERR increment or decrement would overflow} {r incr n}
        assert_error {ERR increment or decrement would overflow} {r incrby n 1}
        assert_equal [r get n] 9223372036854775807
        r set n -9223372036854775808
        assert_error {ERR increment or decrement would overflow} {r decr n}
        assert_error {ERR increment or decrement would overflow} {r incrby n -1}
        assert_error {ERR increment or decrement would overflow} {r decrby n 1}
        assert_equal [r get n] -9223372036854775808
    }

    test {DECRBY - the smallest integer as decrement is its own error} {
        r set n 0
        assert_error {ERR decrement would overflow} {r decrby n -9223372036854775808}
        assert_equal [r get n] 0
    }

    test {INCR - values that are not canonical integers are rejected} {
        foreach v {abc " 1" "1 " "" 1.0 1e3 +1 01 00 -0 9223372036854775808 "1\x00"} {
            r set n $v
            assert_error {ERR value is not an integer or out of range} {r incr n}
            assert_equal [r get n] $v
        }
    }

    test {INCRBY - increment that is not an integer is rejected} {
        r set n 1
        assert_error {ERR value is not an integer or out of range} {r incrby n abc}
        assert_error {ERR value is not an integer or out of range} {r incrby n 1.5}
        assert_error {ERR value is not an integer or out of range} {r incrby n 9223372036854775808}
        assert_error {ERR value is not an integer or out of range} {r decrby n ""}
        assert_equal [r get n] 1
    }

    test {INCR - wrong number of arguments} {
        assert_error {ERR wrong number of arguments for 'incr' command} {r incr}
        assert_error {ERR wrong number of arguments for 'incr' command} {r incr a b}
        assert_error {ERR wrong number of arguments for 'incrby' command} {r incrby a}
        assert_error {ERR wrong number of arguments for 'decrby' command} {r decrby a 1 2}
    }

    test {INCRBYFLOAT - adds a decimal increment} {
        r set f 10.5
        assert_equal [r incrbyfloat f 0.1] 10.6
        assert_equal [r get f] 10.6
    }

    test {INCRBYFLOAT - integral results have no decimal point} {
        r set f 1.5
        assert_equal [r incrbyfloat f 1.5] 3
        r set f 5
        assert_equal [r incrbyfloat f -5] 0
    }

    test {INCRBYFLOAT - exponent notation in value and increment} {
        r set f 3.0e3
        assert_equal [r incrbyfloat f 0] 3000
        r set f 10
        assert_equal [r incrbyfloat f 5.0e3] 5010
        r set f 1.1e1
        assert_equal [r incrbyfloat f 1] 12
    }

    test {INCRBYFLOAT - a missing key counts from 0} {
        r del f
        assert_equal [r incrbyfloat f 1.5] 1.5
        r del f
        assert_equal [r incrbyfloat f -2.25] -2.25
    }

    test {INCRBYFLOAT - sums of decimals are printed without noise} {
        r set f 0.1
        assert_equal [r incrbyfloat f 0.2] 0.3
        r set f 1
        assert_equal [r incrbyfloat f 1e17] 100000000000000001
    }

    test {INCRBYFLOAT - keeps the TTL} {
        r set f 1 ex 100
        r incrbyfloat f 0.5
        assert_range [r ttl f] 99 100
    }

    test {INCRBYFLOAT - value or increment that is not a float} {
        r set f abc
        assert_error {ERR value is not a valid float} {r incrbyfloat f 1}
        r set f " 1"
        assert_error {ERR value is not a valid float} {r incrbyfloat f 1}
        r set f 1
        assert_error {ERR value is not a valid float} {r incrbyfloat f abc}
        assert_error {ERR value is not a valid float} {r incrbyfloat f ""}
        assert_error {ERR value is not a valid float} {r incrbyfloat f 1e}
        assert_error {ERR value is not a valid float} {r incrbyfloat f nan}
        assert_equal [r get f] 1
    }

    test {INCRBYFLOAT - infinity is rejected} {
        r set f 1
        assert_error {ERR increment would produce NaN or Infinity} {r incrbyfloat f inf}
        assert_error {ERR increment would produce NaN or Infinity} {r incrbyfloat f -inf}
        assert_error {ERR increment would produce NaN or Infinity} {r incrbyfloat f +inf}
        assert_equal [r get f] 1
        assert_error {ERR wrong number of arguments for 'incrbyfloat' command} {r incrbyfloat f}
    }

    test {INCR - the result of INCRBYFLOAT can be incremented as an integer} {
        r set f 1.5
        r incrbyfloat f 0.5
        assert_equal [r incr f] 3
    }

    test {GETRANGE - positive and negative indexes} {
        r set s "Hello World"
        assert_equal [r getrange s 0 4] Hello
        assert_equal [r getrange s -5 -1] World
        assert_equal [r getrange s 6 -1] World
        assert_equal [r getrange s 0 -1] {Hello World}
        assert_equal [r getrange s 10 10] d
    }

    test {GETRANGE - out of range indexes are clamped} {
        r set s "Hello World"
        assert_equal [r getrange s -100 100] {Hello World}
        assert_equal [r getrange s 0 9223372036854775807] {Hello World}
        assert_equal [r getrange s -9223372036854775808 1] He
        assert_equal [r getrange s 100 200] {}
        assert_equal [r getrange s 11 11] {}
    }

    test {GETRANGE - start after end gives an empty string} {
        r set s "Hello World"
        assert_equal [r getrange s 5 3] {}
        assert_equal [r getrange s -1 -5] {}
    }

    test {GETRANGE - a negative end before the start of the string clamps to 0} {
        # Redis keeps this behaviour (a change was reverted for compatibility):
        # the end clamps to index 0, so the first byte is returned.
        r set s "Hello World"
        assert_equal [r getrange s 0 -100] H
        assert_equal [r getrange s -100 -50] H
    }

    test {GETRANGE - missing key and empty value give an empty string} {
        r del s
        assert_equal [r getrange s 0 -1] {}
        r set s ""
        assert_equal [r getrange s 0 -1] {}
        assert_equal [r getrange s -1 -1] {}
    }

    test {GETRANGE - binary data and non-integer indexes} {
        r set s "a\x00b\r\nc"
        assert_equal [r getrange s 1 3] "\x00b\r"
        assert_error {ERR value is not an integer or out of range} {r getrange s a 1}
        assert_error {ERR value is not an integer or out of range} {r getrange s 0 1.5}
        assert_error {ERR wrong number of arguments for 'getrange' command} {r getrange s 0}
    }

    test {SUBSTR - is GETRANGE under its old name} {
        r set s "Hello World"
        assert_equal [r substr s 0 4] Hello
        assert_equal [r substr s -5 -1] World
    }

    test {SETRANGE - overwrites part of a value and returns the length} {
        r set s "Hello World"
        assert_equal [r setrange s 6 Redis] 11
        assert_equal [r get s] {Hello Redis}
        assert_equal [r setrange s 6 "Redis!!"] 13
        assert_equal [r get s] {Hello Redis!!}
    }

    test {SETRANGE - writing past the end pads with zero bytes} {
        r del s
        assert_equal [r setrange s 3 ab] 5
        assert_equal [r get s] "\x00\x00\x00ab"
        r set s x
        assert_equal [r setrange s 4 y] 5
        assert_equal [r get s] "x\x00\x00\x00y"
    }

    test {SETRANGE - empty value on a missing key creates nothing} {
        r del s
        assert_equal [r setrange s 0 ""] 0
        assert_equal [r setrange s 10 ""] 0
        assert_equal [r exists s] 0
    }

    test {SETRANGE - empty value on an existing key returns its length} {
        r set s hello
        assert_equal [r setrange s 2 ""] 5
        assert_equal [r setrange s 100 ""] 5
        assert_equal [r get s] hello
    }

    test {SETRANGE - keeps the TTL} {
        r set s hello ex 100
        r setrange s 0 J
        assert_equal [r get s] Jello
        assert_range [r ttl s] 99 100
    }

    test {SETRANGE - negative offset is out of range} {
        r set s hello
        assert_error {ERR offset is out of range} {r setrange s -1 x}
        assert_error {ERR value is not an integer or out of range} {r setrange s a x}
        assert_error {ERR wrong number of arguments for 'setrange' command} {r setrange s 1}
    }

    test {SETRANGE - a result beyond 512 MB exceeds the maximum size} {
        r set s hello
        assert_error {ERR string exceeds maximum allowed size (proto-max-bulk-len)} {r setrange s 536870912 x}
        assert_error {ERR string exceeds maximum allowed size (proto-max-bulk-len)} {r setrange s 9223372036854775807 x}
        r del s
        assert_error {ERR string exceeds maximum allowed size (proto-max-bulk-len)} {r setrange s 536870912 x}
        assert_equal [r exists s] 0
    }
}

start_server {overrides {proto-max-bulk-len 1mb} tags {string}} {
    test {APPEND - a result beyond proto-max-bulk-len exceeds the maximum size} {
        r set s [string repeat x 1048575]
        assert_equal [r append s y] 1048576
        assert_error {ERR string exceeds maximum allowed size (proto-max-bulk-len)} {r append s z}
        assert_equal [r strlen s] 1048576
    }

    test {SETRANGE - a result beyond proto-max-bulk-len exceeds the maximum size} {
        r set s abc
        assert_equal [r setrange s 1048575 x] 1048576
        assert_error {ERR string exceeds maximum allowed size (proto-max-bulk-len)} {r setrange s 1048576 x}
        assert_error {ERR string exceeds maximum allowed size (proto-max-bulk-len)} {r setrange s 1048575 xy}
    }
}

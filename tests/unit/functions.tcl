# Redis 7 functions: FUNCTION LOAD/LIST/DELETE/FLUSH/STATS/KILL/HELP, FCALL and FCALL_RO.
# (FUNCTION DUMP and RESTORE are not covered: respite does not implement them.)

# The error text of [r CMD ...]; fails the test when the command succeeds.
proc fn_error_of {args} {
    if {![catch {r {*}$args} err]} {
        fail "expected an error from '$args', got reply '[suite_show $err]'"
    }
    return $err
}

# The error FUNCTION LOAD replies for a library body whose Lua code raises
# MSG while it runs (registration errors included).
proc fn_reg_error {msg} {
    return "ERR Error registering functions: ERR $msg"
}

# Loads a library under a fixed name with BODY as its code after the shebang
# line and returns FUNCTION LOAD's error (fails if the load succeeds).
proc fn_load_error {body} {
    return [fn_error_of function load replace "#!lua name=fnerr\n$body"]
}

# A raw connection with a short read bound, for replies checked line by line.
proc fn_raw_client {{proto 2}} {
    set c [redis_client]
    if {$proto == 3} { $c hello 3 }
    $c readraw 1
    $c timeout 3000
    return $c
}

# FUNCTION LIST's reply (RESP2, parsed) made order-insensitive: libraries
# sorted by name, each library's functions sorted by name, each function's
# flags sorted. Every library becomes a dict, its functions a list of dicts.
proc fn_list_norm {reply} {
    set libs {}
    foreach lib $reply {
        set d [flat_to_dict $lib]
        set fns {}
        foreach f [dict get $d functions] {
            set fd [flat_to_dict $f]
            dict set fd flags [lsort [dict get $fd flags]]
            lappend fns $fd
        }
        dict set d functions [lsort -index 1 $fns]
        lappend libs $d
    }
    return [lsort -index 1 $libs]
}

# The names of the functions FUNCTION LIST shows, sorted.
proc fn_listed_functions {} {
    set out {}
    foreach lib [r function list] {
        foreach f [dict get [flat_to_dict $lib] functions] {
            lappend out [dict get [flat_to_dict $f] name]
        }
    }
    return [lsort $out]
}

# The names of the libraries FUNCTION LIST shows, sorted.
proc fn_listed_libraries {} {
    set out {}
    foreach lib [r function list] {
        lappend out [dict get [flat_to_dict $lib] library_name]
    }
    return [lsort $out]
}

set ::fn_busy_err {BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.}
set ::fn_busy_eval_err {BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.}
set ::fn_unkillable_err {UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.}
set ::fn_oom_err {OOM command not allowed when used memory > 'maxmemory'.}

# Functions that spin for ARGV[1] milliseconds, so a test that fails to kill
# them still ends. TIME bounds them, and a count of calls too (about 3 s):
# Redis 7.4 caches the time a script sees and moves it on only when it
# handles events, that is past busy-reply-threshold.
set ::fn_spin_lib {#!lua name=fnbusy
local function spin(ms)
  local t0 = redis.call('time')
  for i = 1, 3000000 do
    local t = redis.call('time')
    if (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > ms * 1000 then break end
  end
end
redis.register_function('fn_spin', function(keys, args)
  spin(tonumber(args[1]))
  return 'spun'
end)
redis.register_function('fn_wspin', function(keys, args)
  redis.call('set', keys[1], 'written')
  spin(tonumber(args[1]))
  return 'wspun'
end)
redis.register_function{function_name='fn_rospin', callback=function(keys, args)
  spin(tonumber(args[1]))
  return 'rospun'
end, flags={'no-writes'}}
}

# A script for EVAL that spins for ARGV[1] milliseconds.
set ::fn_spin_eval {
  local t0 = redis.call('time')
  for i = 1, 3000000 do
    local t = redis.call('time')
    if (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > tonumber(ARGV[1]) * 1000 then break end
  end
  return 'evalspun'
}

# Waits until [r ping] answers ERR (the BUSY text of a function or of a
# script). While a script runs the server reads nothing until
# busy-reply-threshold passes, so each PING blocks that long at most.
proc fn_wait_busy {err} {
    wait_for_condition 50 20 {
        [catch {r ping} e] && $e eq $err
    } else {
        fail "the server never replied BUSY (last reply: '$e')"
    }
}

# Runs BODY (a busy test) with busy-reply-threshold 100, then, however it ended, makes sure nothing runs:
# kills what still does (or waits for it, bounded), and restores
# busy-reply-threshold. Failures of BODY are passed on.
proc fn_busy_guard {body} {
    set c [redis_client]
    set saved [lindex [$c config get busy-reply-threshold] 1]
    $c config set busy-reply-threshold 100
    set code [catch {uplevel 1 $body} result opts]
    $c timeout 6000
    wait_for_condition 100 50 {
        [catch {$c function kill}] + [catch {$c script kill}] >= 0 &&
        ![catch {$c ping} e] && $e eq "PONG"
    } else {
        fail "a script was still running after the test"
    }
    $c config set busy-reply-threshold $saved
    return -options $opts $result
}

start_server {tags {functions}} {
    # --- FUNCTION LOAD: metadata ---

    test {FUNCTION - LOAD returns the library name and FCALL runs its function} {
        r function flush
        assert_equal [r function load "#!lua name=fnbasic\nredis.register_function('fn_hello', function() return 'hello' end)"] fnbasic
        assert_equal [r fcall fn_hello 0] hello
        # The engine name is case-insensitive, spaces between fields are skipped.
        assert_equal [r function load "#!LUA  name=fnbasic2 \nredis.register_function('fn_hello2', function() return 2 end)"] fnbasic2
        assert_equal [r fcall fn_hello2 0] 2
        r function flush
    }

    test {FUNCTION - LOAD: a CRLF may end the shebang line} {
        r function flush
        assert_equal [r function load "#!lua name=fnbasic3\r\nredis.register_function('fn_hello3', function() return 3 end)"] fnbasic3
        assert_equal [r fcall fn_hello3 0] 3
        r function flush
    }

    test {FUNCTION - LOAD metadata errors} {
        r function flush
        assert_equal [fn_error_of function load "return 1"] {ERR Missing library metadata}
        assert_equal [fn_error_of function load ""] {ERR Missing library metadata}
        # The shebang line must end with a newline.
        assert_equal [fn_error_of function load "#!lua name=fnm"] {ERR Invalid library metadata}
        assert_equal [fn_error_of function load "#!lua\nreturn 1"] {ERR Library name was not given}
        set bad_name {ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long}
        assert_equal [fn_error_of function load "#!lua name=a-b\nreturn 1"] $bad_name
        assert_equal [fn_error_of function load "#!lua name=a.b\nreturn 1"] $bad_name
        assert_equal [fn_error_of function load "#!lua name=\nreturn 1"] $bad_name
        assert_equal [fn_error_of function load "#!foo name=fnm\nreturn 1"] {ERR Engine 'foo' not found}
        assert_equal [fn_error_of function load "#! name=fnm\nreturn 1"] {ERR Engine '' not found}
        assert_equal [fn_error_of function load "#!lua name=fnm foo=bar\nreturn 1"] {ERR Invalid metadata value given: foo=bar}
        assert_equal [fn_error_of function load "#!lua name=fnm xyz\nreturn 1"] {ERR Invalid metadata value given: xyz}
        assert_equal [fn_error_of function load "#!lua name=fnm name=fnn\nreturn 1"] \
            {ERR Invalid metadata value, name argument was given multiple times}
        # Letters, digits and underscores make a valid name.
        assert_equal [fn_error_of function load "#!lua name=Fn_m9\nreturn 1"] {ERR No functions registered}
        assert_equal [r function list] {}
    }

    test {FUNCTION - LOAD of a library that registers nothing: No functions registered} {
        r function flush
        assert_equal [fn_error_of function load "#!lua name=fnnone\n"] {ERR No functions registered}
        assert_equal [fn_error_of function load "#!lua name=fnnone\nlocal x = 1\nreturn x"] {ERR No functions registered}
        assert_equal [r function list] {}
    }

    test {FUNCTION - LOAD options and arity} {
        r function flush
        assert_error {ERR wrong number of arguments for 'function|load' command} {r function load}
        assert_equal [fn_error_of function load foo "#!lua name=fno\nredis.register_function('fn_o', function() return 1 end)"] \
            {ERR Unknown option given: foo}
        # With one argument it is the code, even when it reads "replace".
        assert_equal [fn_error_of function load replace] {ERR Missing library metadata}
        assert_equal [r function load REPLACE "#!lua name=fno\nredis.register_function('fn_o', function() return 1 end)"] fno
        assert_equal [r function load Replace replace "#!lua name=fno\nredis.register_function('fn_o', function() return 2 end)"] fno
        assert_equal [r fcall fn_o 0] 2
        r function flush
    }

    test {FUNCTION - LOAD of an existing library needs REPLACE, which swaps its code} {
        r function flush
        r function load "#!lua name=fnrep\nredis.register_function('fn_ra', function() return 'a1' end)\nredis.register_function('fn_rb', function() return 'b1' end)"
        assert_equal [fn_error_of function load "#!lua name=fnrep\nredis.register_function('fn_ra', function() return 'a2' end)"] \
            {ERR Library 'fnrep' already exists}
        assert_equal [r fcall fn_ra 0] a1
        assert_equal [r function load replace "#!lua name=fnrep\nredis.register_function('fn_ra', function() return 'a2' end)\nredis.register_function('fn_rc', function() return 'c2' end)"] fnrep
        assert_equal [r fcall fn_ra 0] a2
        assert_equal [r fcall fn_rc 0] c2
        # The functions of the old code that the new one does not register are gone.
        assert_equal [fn_error_of fcall fn_rb 0] {ERR Function not found}
        assert_equal [fn_listed_functions] {fn_ra fn_rc}
        # REPLACE of a library that does not exist just loads it.
        assert_equal [r function load replace "#!lua name=fnrep2\nredis.register_function('fn_rd', function() return 'd' end)"] fnrep2
        assert_equal [fn_listed_libraries] {fnrep fnrep2}
        # Library names are case-sensitive: fnREP is another library.
        assert_equal [r function load "#!lua name=fnREP\nredis.register_function('fn_re', function() return 'e' end)"] fnREP
        assert_equal [fn_listed_libraries] {fnREP fnrep fnrep2}
        r function flush
    }

    test {FUNCTION - LOAD: a function name taken by another library} {
        r function flush
        r function load "#!lua name=fnown\nredis.register_function('fn_taken', function() return 'own' end)"
        assert_equal [fn_error_of function load "#!lua name=fnother\nredis.register_function('fn_taken', function() return 'other' end)"] \
            {ERR Function fn_taken already exists}
        assert_equal [fn_error_of function load replace "#!lua name=fnother\nredis.register_function('fn_taken', function() return 'other' end)"] \
            {ERR Function fn_taken already exists}
        # Function names are case-insensitive across libraries.
        assert_equal [fn_error_of function load "#!lua name=fnother\nredis.register_function('FN_TAKEN', function() return 'other' end)"] \
            {ERR Function FN_TAKEN already exists}
        assert_equal [fn_listed_libraries] fnown
        assert_equal [r fcall fn_taken 0] own
        r function flush
    }

    test {FUNCTION - LOAD REPLACE colliding with another library fails and keeps the old library} {
        r function flush
        r function load "#!lua name=fnla\nredis.register_function('fn_a', function() return 'a' end)"
        r function load "#!lua name=fnlb\nredis.register_function('fn_b', function() return 'b' end)"
        assert_equal [fn_error_of function load replace "#!lua name=fnlb\nredis.register_function('fn_b2', function() return 'b2' end)\nredis.register_function('fn_a', function() return 'b' end)"] \
            {ERR Function fn_a already exists}
        assert_equal [r fcall fn_a 0] a
        assert_equal [r fcall fn_b 0] b
        assert_equal [fn_error_of fcall fn_b2 0] {ERR Function not found}
        assert_equal [fn_listed_functions] {fn_a fn_b}
        assert_match "*redis.register_function('fn_b', function() return 'b' end)" \
            [dict get [flat_to_dict [lindex [r function list libraryname fnlb withcode] 0]] library_code]
        # A REPLACE that does not compile, or registers nothing, keeps it too.
        assert_match {ERR Error compiling function: *} [fn_error_of function load replace "#!lua name=fnlb\nlocal x ="]
        assert_equal [fn_error_of function load replace "#!lua name=fnlb\nreturn 1"] {ERR No functions registered}
        assert_equal [r fcall fn_b 0] b
        r function flush
    }

    # --- redis.register_function ---

    test {FUNCTION - register_function positional form: argument checks} {
        r function flush
        assert_equal [fn_load_error {redis.register_function()}] \
            [fn_reg_error {wrong number of arguments to redis.register_function}]
        assert_equal [fn_load_error {redis.register_function('f', function() end, 3)}] \
            [fn_reg_error {wrong number of arguments to redis.register_function}]
        assert_equal [fn_load_error {redis.register_function('f')}] \
            [fn_reg_error {calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).}]
        assert_equal [fn_load_error {redis.register_function('f', 1)}] \
            [fn_reg_error {second argument to redis.register_function must be a function}]
        assert_equal [fn_load_error {redis.register_function('f', 'code')}] \
            [fn_reg_error {second argument to redis.register_function must be a function}]
        assert_equal [fn_load_error {redis.register_function(nil, function() end)}] \
            [fn_reg_error {first argument to redis.register_function must be a string}]
        assert_equal [fn_load_error {redis.register_function({}, function() end)}] \
            [fn_reg_error {first argument to redis.register_function must be a string}]
        # Function names follow the library name rules (and say so).
        set bad_name {Library names can only contain letters, numbers, or underscores(_) and must be at least one character long}
        assert_equal [fn_load_error {redis.register_function('a-b', function() end)}] [fn_reg_error $bad_name]
        assert_equal [fn_load_error {redis.register_function('', function() end)}] [fn_reg_error $bad_name]
        assert_equal [fn_load_error "redis.register_function('fn_d', function() end)\nredis.register_function('fn_d', function() end)"] \
            [fn_reg_error {Function already exists in the library}]
        assert_equal [r function list] {}
        # A number is a valid name: Lua converts it to a string.
        assert_equal [r function load "#!lua name=fnnum\nredis.register_function(12, function() return 'twelve' end)"] fnnum
        assert_equal [r fcall 12 0] twelve
        r function flush
    }

    test {FUNCTION - register_function named-table form: argument checks} {
        r function flush
        assert_equal [fn_load_error {redis.register_function({})}] \
            [fn_reg_error {redis.register_function must get a function name argument}]
        assert_equal [fn_load_error {redis.register_function{callback=function() end}}] \
            [fn_reg_error {redis.register_function must get a function name argument}]
        assert_equal [fn_load_error {redis.register_function{function_name='f'}}] \
            [fn_reg_error {redis.register_function must get a callback argument}]
        assert_equal [fn_load_error {redis.register_function{function_name='f', callback=function() end, foo=1}}] \
            [fn_reg_error {unknown argument given to redis.register_function}]
        assert_equal [fn_load_error {redis.register_function({1, 2})}] \
            [fn_reg_error {unknown argument given to redis.register_function}]
        assert_equal [fn_load_error {redis.register_function{function_name={}, callback=function() end}}] \
            [fn_reg_error {function_name argument given to redis.register_function must be a string}]
        assert_equal [fn_load_error {redis.register_function{function_name='f', callback=1}}] \
            [fn_reg_error {callback argument given to redis.register_function must be a function}]
        assert_equal [fn_load_error {redis.register_function{function_name='f', callback=function() end, description={}}}] \
            [fn_reg_error {description argument given to redis.register_function must be a string}]
        assert_equal [fn_load_error {redis.register_function{function_name='f', callback=function() end, flags=1}}] \
            [fn_reg_error {flags argument to redis.register_function must be a table representing function flags}]
        assert_equal [fn_load_error {redis.register_function{function_name='f', callback=function() end, flags='no-writes'}}] \
            [fn_reg_error {flags argument to redis.register_function must be a table representing function flags}]
        assert_equal [fn_load_error {redis.register_function{function_name='f', callback=function() end, flags={'bad'}}}] \
            [fn_reg_error {unknown flag given}]
        assert_equal [fn_load_error {redis.register_function{function_name='f', callback=function() end, flags={'allow-oom', 'bad'}}}] \
            [fn_reg_error {unknown flag given}]
        assert_equal [fn_load_error {redis.register_function{function_name='f', callback=function() end, flags={1}}}] \
            [fn_reg_error {unknown flag given}]
        # A table with a second argument is the positional form.
        assert_equal [fn_load_error {redis.register_function({function_name='f', callback=function() end}, 1)}] \
            [fn_reg_error {first argument to redis.register_function must be a string}]
        assert_equal [r function list] {}
    }

    test {FUNCTION - flags and description are listed by FUNCTION LIST} {
        r function flush
        r function load {#!lua name=fnflags
redis.register_function{function_name='fn_all', callback=function() return 1 end,
  flags={'no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys'}}
redis.register_function{function_name='fn_desc', callback=function() return 2 end,
  description='what it does', flags={'no-writes'}}
redis.register_function{function_name='fn_upper', callback=function() return 3 end, flags={'NO-WRITES', 'Allow-Oom'}}
redis.register_function{function_name='fn_dup', callback=function() return 4 end, flags={'no-writes', 'no-writes'}}
redis.register_function{function_name='fn_empty', callback=function() return 5 end, flags={}, description=''}
redis.register_function{function_name='fn_numdesc', callback=function() return 6 end, description=12}
redis.register_function('fn_plain', function() return 7 end)
}
        assert_equal [fn_list_norm [r function list]] [list [dict create \
            library_name fnflags engine LUA functions [list \
                [dict create name fn_all description {} flags {allow-cross-slot-keys allow-oom allow-stale no-cluster no-writes}] \
                [dict create name fn_desc description {what it does} flags no-writes] \
                [dict create name fn_dup description {} flags no-writes] \
                [dict create name fn_empty description {} flags {}] \
                [dict create name fn_numdesc description 12 flags {}] \
                [dict create name fn_plain description {} flags {}] \
                [dict create name fn_upper description {} flags {allow-oom no-writes}]]]]
        # A missing description is a null, an empty one an empty bulk;
        # flags are status replies.
        r function flush
        r function load "#!lua name=fnfl\nredis.register_function{function_name='fn_fl', callback=function() return 1 end, flags={'no-writes'}, description='d'}\nredis.register_function{function_name='fn_fe', callback=function() return 1 end, description=''}"
        set c [fn_raw_client]
        set lines [raw_reply $c 38 function list]
        assert_equal [lrange $lines 0 9] [list *1 *6 {$12} library_name {$4} fnfl {$6} engine {$3} LUA]
        assert_equal [lrange $lines 10 11] [list {$9} functions]
        set fl [list *6 {$4} name {$5} fn_fl {$11} description {$1} d {$5} flags *1 +no-writes]
        set fe [list *6 {$4} name {$5} fn_fe {$11} description {$0} {} {$5} flags *0]
        assert_equal [lindex $lines 12] *2
        set fns [lrange $lines 13 end]
        assert {$fns eq [concat $fl $fe] || $fns eq [concat $fe $fl]} "got [suite_show $fns]"
        r function flush
    }

    # --- FUNCTION LOAD: errors from the code ---

    test {FUNCTION - LOAD: compile errors} {
        r function flush
        assert_equal [fn_error_of function load "#!lua name=fncomp\nlocal x ="] \
            {ERR Error compiling function: user_function:2: unexpected symbol near '<eof>'}
        assert_equal [fn_error_of function load "#!lua name=fncomp\nredis.register_function('fn_c', function() return 1 end)\n\nfunction ("] \
            {ERR Error compiling function: user_function:4: '<name>' expected near '('}
        assert_equal [r function list] {}
    }

    test {FUNCTION - LOAD: run-time errors in the library body} {
        r function flush
        # The library body runs with a restricted API: no redis.call,
        # redis.pcall, error, KEYS, ARGV...
        set nonexistent {user_function:2: Script attempted to access nonexistent global variable}
        assert_equal [fn_load_error {redis.call('ping')}] [fn_reg_error "$nonexistent 'call'"]
        assert_equal [fn_load_error {return redis.call('set', 'fn:loadkey', 'v')}] [fn_reg_error "$nonexistent 'call'"]
        assert_equal [fn_load_error {redis.pcall('ping')}] [fn_reg_error "$nonexistent 'pcall'"]
        assert_equal [fn_load_error {redis.setresp(3)}] [fn_reg_error "$nonexistent 'setresp'"]
        assert_equal [fn_load_error {return KEYS}] [fn_reg_error "$nonexistent 'KEYS'"]
        assert_equal [fn_load_error {return ARGV}] [fn_reg_error "$nonexistent 'ARGV'"]
        assert_equal [fn_load_error {error('boom')}] [fn_reg_error "$nonexistent 'error'"]
        assert_equal [fn_load_error "\n\nmath.random()"] \
            [fn_reg_error {user_function:4: Script attempted to access nonexistent global variable 'math'}]
        assert_equal [fn_load_error {x = 1}] [fn_reg_error {user_function:2: Attempt to modify a readonly table}]
        assert_equal [fn_load_error {local t = nil; t.x = 1}] \
            [fn_reg_error {user_function:2: attempt to index local 't' (a nil value)}]
        # An error after a registration fails the whole load.
        assert_equal [fn_load_error "redis.register_function('fn_late', function() end)\nlocal t = nil; t.x = 1"] \
            [fn_reg_error {user_function:3: attempt to index local 't' (a nil value)}]
        assert_equal [r exists fn:loadkey] 0
        assert_equal [r function list] {}
        assert_equal [fn_error_of fcall fn_late 0] {ERR Function not found}
        # redis.log is available, and what the body returns is ignored.
        assert_equal [r function load "#!lua name=fnlog\nredis.log(redis.LOG_NOTICE, 'fn loading')\nredis.register_function('fn_log', function() return 1 end)\nreturn 5"] fnlog
        assert_equal [r fcall fn_log 0] 1
        r function flush
    }

    # --- FCALL ---

    test {FCALL - keys and args are the function's two parameters; KEYS and ARGV are not set} {
        r function flush
        r function load {#!lua name=fnargs
redis.register_function('fn_args', function(keys, args)
  return {#keys, #args, keys[1] or 'none', args[1] or 'none', keys[2] or 'none', args[2] or 'none'}
end)
redis.register_function('fn_kv', function(keys, args)
  return type(KEYS)
end)
redis.register_function('fn_argv', function(keys, args)
  return type(ARGV)
end)
}
        assert_equal [r fcall fn_args 2 a b c d] {2 2 a c b d}
        assert_equal [r fcall fn_args 1 a b c] {1 2 a b none c}
        assert_equal [r fcall fn_args 0] {0 0 none none none none}
        assert_equal [r fcall fn_args 0 x y] {0 2 none x none y}
        assert_equal [r fcall fn_args 2 k1 k2] {2 0 k1 none k2 none}
        set v "a\x00b\r\nc\xff"
        assert_equal [r fcall fn_args 1 $v $v] [list 1 1 $v $v none none]
        assert_equal [fn_error_of fcall fn_kv 1 a b] \
            {ERR user_function:6: Script attempted to access nonexistent global variable 'KEYS' script: fn_kv, on @user_function:6.}
        assert_equal [fn_error_of fcall fn_argv 1 a b] \
            {ERR user_function:9: Script attempted to access nonexistent global variable 'ARGV' script: fn_argv, on @user_function:9.}
        r function flush
    }

    test {FCALL - return values convert as EVAL's do (RESP2)} {
        r function flush
        r function load {#!lua name=fnconv
redis.register_function('fn_rv', function()
  return {1, 3.7, -2.9, 's', true, false, {ok='st'}, {err='inner'}, {double=1.5}, {1, {2}}}
end)
redis.register_function('fn_nil', function() return nil end)
redis.register_function('fn_none', function() end)
redis.register_function('fn_str', function() return 'hello' end)
redis.register_function('fn_num', function() return 3.99 end)
redis.register_function('fn_ok', function() return redis.status_reply('Fine') end)
redis.register_function('fn_holes', function() return {1, 2, nil, 3} end)
redis.register_function('fn_map', function() return {map={a=1}} end)
redis.register_function('fn_set', function() return {set={x=true}} end)
redis.register_function('fn_t', function() redis.setresp(3); return {true, false} end)
redis.register_function('fn_call', function(keys) return redis.call('mget', keys[1], keys[2]) end)
}
        r set fn:conv:a 1
        r del fn:conv:missing
        set c [fn_raw_client]
        assert_raw $c {fcall fn_rv 0} [list *10 :1 :3 :-2 {$1} s :1 {$-1} +st -inner {$3} 1.5 *2 :1 *1 :2]
        assert_raw $c {fcall fn_nil 0} [list {$-1}]
        assert_raw $c {fcall fn_none 0} [list {$-1}]
        assert_raw $c {fcall fn_str 0} [list {$5} hello]
        assert_raw $c {fcall fn_num 0} [list :3]
        assert_raw $c {fcall fn_ok 0} [list +Fine]
        assert_raw $c {fcall fn_holes 0} [list *2 :1 :2]
        assert_raw $c {fcall fn_map 0} [list *2 {$1} a :1]
        assert_raw $c {fcall fn_set 0} [list *1 {$1} x]
        assert_raw $c {fcall fn_t 0} [list *2 :1 :0]
        assert_raw $c {fcall fn_call 2 fn:conv:a fn:conv:missing} [list *2 {$1} 1 {$-1}]
        r function flush
    }

    test {FCALL - return values for a RESP3 caller} {
        r function flush
        r function load {#!lua name=fnconv3
redis.register_function('fn3_map', function() return {map={a=1}} end)
redis.register_function('fn3_double', function() return {double=2.5} end)
redis.register_function('fn3_set', function() return {set={x=true}} end)
redis.register_function('fn3_nil', function() return nil end)
redis.register_function('fn3_false', function() return false end)
redis.register_function('fn3_bool', function() redis.setresp(3); return {true, false} end)
redis.register_function('fn3_hgetall', function() redis.setresp(3); return redis.call('hgetall', 'fn:nohash') end)
}
        set c [fn_raw_client 3]
        assert_raw $c {fcall fn3_map 0} [list %1 {$1} a :1]
        assert_raw $c {fcall fn3_double 0} [list ,2.5]
        assert_raw $c {fcall fn3_set 0} [list ~1 {$1} x]
        assert_raw $c {fcall fn3_nil 0} [list _]
        assert_raw $c {fcall fn3_false 0} [list _]
        assert_raw $c {fcall fn3_bool 0} [list *2 #t #f]
        assert_raw $c {fcall fn3_hgetall 0} [list %0]
        r function flush
    }

    test {FCALL - errors raised by the function name it and the line} {
        r function flush
        r function load {#!lua name=fnerrs
redis.register_function('fn_incr', function(keys, args)
  return redis.call('incr', keys[1])
end)
redis.register_function('fn_boom', function(keys, args)

  error('boom')
end)
redis.register_function('fn_raise', function() error({err='My raised'}) end)
redis.register_function('fn_errtbl', function() return {err='My err'} end)
redis.register_function('fn_errreply', function() return redis.error_reply('ERR custom') end)
redis.register_function('fn_pcall', function(keys) return redis.pcall('incr', keys[1]) end)
redis.register_function('fn_pcalltype', function(keys)
  local e = redis.pcall('incr', keys[1])
  return type(e) .. ':' .. e.err
end)
redis.register_function('fn_unknown', function() return redis.call('nosuchcmd') end)
}
        r set fn:s notanumber
        assert_equal [fn_error_of fcall fn_incr 1 fn:s] \
            {ERR value is not an integer or out of range script: fn_incr, on @user_function:3.}
        assert_equal [fn_error_of fcall fn_boom 0] \
            {ERR user_function:7: boom script: fn_boom, on @user_function:7.}
        assert_equal [fn_error_of fcall fn_raise 0] \
            {My raised script: fn_raise, on @user_function:9.}
        assert_equal [fn_error_of fcall fn_unknown 0] \
            {ERR Unknown Redis command called from script script: fn_unknown, on @user_function:17.}
        # Returned error tables are plain error replies, without the suffix.
        set c [fn_raw_client]
        assert_raw $c {fcall fn_errtbl 0} [list {-My err}]
        assert_raw $c {fcall fn_errreply 0} [list {-ERR custom}]
        assert_raw $c {fcall fn_pcall 1 fn:s} [list {-ERR value is not an integer or out of range}]
        assert_equal [r fcall fn_pcalltype 1 fn:s] {table:ERR value is not an integer or out of range}
        r function flush
    }

    test {FCALL - Function not found; names are case-insensitive} {
        r function flush
        assert_equal [fn_error_of fcall fn_nosuch 0] {ERR Function not found}
        assert_equal [fn_error_of fcall_ro fn_nosuch 0] {ERR Function not found}
        r function load "#!lua name=fncase\nredis.register_function('fn_case', function() return 'found' end)"
        assert_equal [r fcall FN_CASE 0] found
        assert_equal [r fcall Fn_Case 0] found
        assert_equal [fn_listed_functions] fn_case
        r function delete fncase
        assert_equal [fn_error_of fcall fn_case 0] {ERR Function not found}
    }

    test {FCALL - numkeys errors and arity} {
        r function flush
        r function load "#!lua name=fnnk\nredis.register_function('fn_nk', function(keys, args) return #keys end)"
        assert_equal [fn_error_of fcall fn_nk x] {ERR Bad number of keys provided}
        assert_equal [fn_error_of fcall fn_nk 1.5 a] {ERR Bad number of keys provided}
        assert_equal [fn_error_of fcall fn_nk 3 a b] {ERR Number of keys can't be greater than number of args}
        assert_equal [fn_error_of fcall fn_nk 1] {ERR Number of keys can't be greater than number of args}
        assert_equal [fn_error_of fcall fn_nk -1] {ERR Number of keys can't be negative}
        assert_equal [fn_error_of fcall_ro fn_nk x] {ERR Bad number of keys provided}
        assert_equal [fn_error_of fcall fn_nk] {ERR wrong number of arguments for 'fcall' command}
        assert_equal [fn_error_of fcall] {ERR wrong number of arguments for 'fcall' command}
        assert_equal [fn_error_of fcall_ro fn_nk] {ERR wrong number of arguments for 'fcall_ro' command}
        # The function is looked up first.
        assert_equal [fn_error_of fcall fn_nosuch x] {ERR Function not found}
        assert_equal [fn_error_of fcall fn_nosuch -1] {ERR Function not found}
        assert_equal [fn_error_of fcall fn_nosuch 5 a] {ERR Function not found}
        assert_equal [r fcall fn_nk 2 a b] 2
        r function flush
    }

    test {FCALL - a library's locals live across calls until it is replaced} {
        r function flush
        set code "#!lua name=fnstate\nlocal n = 0\nlocal function twice(x) return x * 2 end\nredis.register_function('fn_count', function() n = n + 1; return twice(n) end)"
        r function load $code
        assert_equal [r fcall fn_count 0] 2
        assert_equal [r fcall fn_count 0] 4
        r function load replace $code
        assert_equal [r fcall fn_count 0] 2
        r function flush
    }

    test {FCALL - run-time sandbox errors} {
        r function flush
        r function load {#!lua name=fnsandbox
redis.register_function('fn_glob', function() x = 1 end)
redis.register_function('fn_resp', function() return redis.setresp(5) end)
redis.register_function('fn_reg', function() redis.register_function('x', function() end) end)
}
        assert_equal [fn_error_of fcall fn_glob 0] \
            {ERR user_function:2: Attempt to modify a readonly table script: fn_glob, on @user_function:2.}
        assert_equal [fn_error_of fcall fn_resp 0] \
            {ERR RESP version must be 2 or 3. script: fn_resp, on @user_function:3.}
        assert_equal [fn_error_of fcall fn_reg 0] \
            {ERR user_function:4: attempt to call field 'register_function' (a nil value) script: fn_reg, on @user_function:4.}
        r function flush
    }

    test {FCALL - FCALL_RO refuses a function without no-writes, runs a no-writes one} {
        r function flush
        r function load {#!lua name=fnro
redis.register_function{function_name='fn_rget', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}
redis.register_function('fn_wset', function(keys, args) return redis.call('set', keys[1], args[1]) end)
redis.register_function('fn_wget', function(keys) return redis.call('get', keys[1]) end)
}
        r set fn:ro:k v
        assert_equal [r fcall_ro fn_rget 1 fn:ro:k] v
        assert_equal [r fcall fn_rget 1 fn:ro:k] v
        set ro_err {ERR Can not execute a script with write flag using *_ro command.}
        assert_equal [fn_error_of fcall_ro fn_wset 1 fn:ro:k x] $ro_err
        # Refused for its flags, even when it would only read.
        assert_equal [fn_error_of fcall_ro fn_wget 1 fn:ro:k] $ro_err
        assert_equal [fn_error_of fcall_ro FN_WGET 1 fn:ro:k] $ro_err
        assert_equal [r get fn:ro:k] v
        assert_equal [r fcall fn_wset 1 fn:ro:k x] OK
        assert_equal [r get fn:ro:k] x
        r function flush
    }

    test {FCALL - a no-writes function that calls a write command gets an error} {
        r function flush
        r function load {#!lua name=fnnw
redis.register_function{function_name='fn_nwset', callback=function(keys, args)
  return redis.call('set', keys[1], args[1])
end, flags={'no-writes'}}
redis.register_function{function_name='fn_nwpset', callback=function(keys, args)
  return redis.pcall('set', keys[1], args[1])
end, flags={'no-writes'}}
}
        r set fn:nw:k v
        set msg {ERR Write commands are not allowed from read-only scripts.}
        assert_equal [fn_error_of fcall fn_nwset 1 fn:nw:k x] "$msg script: fn_nwset, on @user_function:3."
        assert_equal [fn_error_of fcall_ro fn_nwset 1 fn:nw:k x] "$msg script: fn_nwset, on @user_function:3."
        set c [fn_raw_client]
        assert_raw $c {fcall fn_nwpset 1 fn:nw:k x} [list "-$msg"]
        assert_equal [r get fn:nw:k] v
        r function flush
    }

    test {FCALL - allow-stale, no-cluster and allow-cross-slot-keys functions run on a standalone server} {
        r function flush
        r function load {#!lua name=fnother
redis.register_function{function_name='fn_stale', callback=function(keys) return redis.call('set', keys[1], 'stale') end, flags={'allow-stale'}}
redis.register_function{function_name='fn_nocl', callback=function(keys) return redis.call('set', keys[1], 'nocl') end, flags={'no-cluster'}}
redis.register_function{function_name='fn_xslot', callback=function(keys) return redis.call('mset', keys[1], 'x1', keys[2], 'x2') end, flags={'allow-cross-slot-keys'}}
}
        assert_equal [r fcall fn_stale 1 fn:o:a] OK
        assert_equal [r fcall fn_nocl 1 fn:o:b] OK
        assert_equal [r fcall fn_xslot 2 fn:o:c fn:o:d] OK
        assert_equal [r mget fn:o:a fn:o:b fn:o:c fn:o:d] {stale nocl x1 x2}
        r function flush
    }

    # --- FUNCTION LIST ---

    test {FUNCTION - LIST of several libraries (order-insensitive)} {
        r function flush
        assert_equal [r function list] {}
        r function load "#!lua name=fnlist1\nredis.register_function('fn_l1a', function() return 1 end)\nredis.register_function{function_name='fn_l1b', callback=function() return 2 end, flags={'no-writes', 'allow-oom'}, description='b'}"
        r function load "#!lua name=fnlist2\nredis.register_function('fn_l2', function() return 3 end)"
        assert_equal [fn_list_norm [r function list]] [list \
            [dict create library_name fnlist1 engine LUA functions [list \
                [dict create name fn_l1a description {} flags {}] \
                [dict create name fn_l1b description b flags {allow-oom no-writes}]]] \
            [dict create library_name fnlist2 engine LUA functions [list \
                [dict create name fn_l2 description {} flags {}]]]]
        # Each library entry has exactly these fields, in this order.
        foreach lib [r function list] {
            assert_equal [dict keys [flat_to_dict $lib]] {library_name engine functions}
            foreach f [dict get [flat_to_dict $lib] functions] {
                assert_equal [dict keys [flat_to_dict $f]] {name description flags}
            }
        }
        r function flush
    }

    test {FUNCTION - LIST WITHCODE adds library_code, the code as loaded} {
        r function flush
        set code1 "#!lua name=fncode1\nredis.register_function('fn_c1', function() return 1 end)"
        set code2 "#!lua name=fncode2\n-- comment\nredis.register_function('fn_c2', function() return 2 end)\n"
        r function load $code1
        r function load $code2
        set got {}
        foreach lib [r function list withcode] {
            set d [flat_to_dict $lib]
            assert_equal [dict keys $d] {library_name engine functions library_code}
            lappend got [list [dict get $d library_name] [dict get $d library_code]]
        }
        assert_equal [lsort -index 0 $got] [list [list fncode1 $code1] [list fncode2 $code2]]
        assert_equal [dict get [flat_to_dict [lindex [r function list WITHCODE libraryname fncode1] 0]] library_code] $code1
        # REPLACE changes the code shown.
        set code1b "#!lua name=fncode1\nredis.register_function('fn_c1', function() return 11 end)"
        r function load replace $code1b
        assert_equal [dict get [flat_to_dict [lindex [r function list libraryname fncode1 withcode] 0]] library_code] $code1b
        r function flush
    }

    test {FUNCTION - LIST LIBRARYNAME matches a glob pattern, case-insensitively} {
        r function flush
        foreach name {fnpat_a fnpat_b fnother} {
            r function load "#!lua name=$name\nredis.register_function('fn_$name', function() return 1 end)"
        }
        proc fn_names_of {reply} {
            set out {}
            foreach lib $reply { lappend out [dict get [flat_to_dict $lib] library_name] }
            return [lsort $out]
        }
        assert_equal [fn_names_of [r function list libraryname fnpat_*]] {fnpat_a fnpat_b}
        assert_equal [fn_names_of [r function list libraryname fnpat_a]] fnpat_a
        assert_equal [fn_names_of [r function list libraryname FNPAT_?]] {fnpat_a fnpat_b}
        assert_equal [fn_names_of [r function list libraryname *]] {fnother fnpat_a fnpat_b}
        assert_equal [fn_names_of [r function list LIBRARYNAME {fn[o]*}]] fnother
        assert_equal [r function list libraryname nomatch*] {}
        # Not a prefix match: the whole name must match.
        assert_equal [r function list libraryname fnpat] {}
        r function flush
    }

    test {FUNCTION - LIST argument errors} {
        assert_equal [fn_error_of function list libraryname] {ERR library name argument was not given}
        assert_equal [fn_error_of function list foo] {ERR Unknown argument foo}
        assert_equal [fn_error_of function list withcode withcode] {ERR Unknown argument withcode}
        assert_equal [fn_error_of function list libraryname a libraryname b] {ERR Unknown argument libraryname}
    }

    test {FUNCTION - LIST in RESP3: maps for the entries, a set for the flags} {
        r function flush
        r function load "#!lua name=fnr3\nredis.register_function{function_name='fn_r3', callback=function() return 1 end, flags={'no-writes'}, description='d'}"
        set c [fn_raw_client 3]
        assert_raw $c {function list} [list *1 %3 \
            {$12} library_name {$4} fnr3 {$6} engine {$3} LUA {$9} functions *1 %3 \
            {$4} name {$5} fn_r3 {$11} description {$1} d {$5} flags ~1 +no-writes]
        r function flush
        r function load "#!lua name=fnr3\nredis.register_function('fn_r3', function() return 1 end)"
        assert_raw $c {function list} [list *1 %3 \
            {$12} library_name {$4} fnr3 {$6} engine {$3} LUA {$9} functions *1 %3 \
            {$4} name {$5} fn_r3 {$11} description _ {$5} flags ~0]
        set c2 [fn_raw_client 2]
        assert_raw $c2 {function list} [list *1 *6 \
            {$12} library_name {$4} fnr3 {$6} engine {$3} LUA {$9} functions *1 *6 \
            {$4} name {$5} fn_r3 {$11} description {$-1} {$5} flags *0]
        r function flush
        assert_raw $c {function list} [list *0]
    }

    # --- FUNCTION DELETE / FLUSH ---

    test {FUNCTION - DELETE removes a library and its functions} {
        r function flush
        r function load "#!lua name=fndel\nredis.register_function('fn_del1', function() return 1 end)\nredis.register_function('fn_del2', function() return 2 end)"
        r function load "#!lua name=fnkeep\nredis.register_function('fn_keep', function() return 'kept' end)"
        assert_equal [fn_error_of function delete FNDEL] {ERR Library not found}
        assert_equal [r function delete fndel] OK
        assert_equal [fn_error_of fcall fn_del1 0] {ERR Function not found}
        assert_equal [fn_error_of fcall fn_del2 0] {ERR Function not found}
        assert_equal [fn_error_of function delete fndel] {ERR Library not found}
        assert_equal [fn_listed_libraries] fnkeep
        assert_equal [r fcall fn_keep 0] kept
        # Its function names are free again.
        assert_equal [r function load "#!lua name=fnnew\nredis.register_function('fn_del1', function() return 'new' end)"] fnnew
        assert_equal [r fcall fn_del1 0] new
        assert_equal [fn_error_of function delete] {ERR wrong number of arguments for 'function|delete' command}
        assert_equal [fn_error_of function delete a b] {ERR wrong number of arguments for 'function|delete' command}
        assert_equal [fn_error_of function delete nosuchlib] {ERR Library not found}
        r function flush
    }

    test {FUNCTION - FLUSH, FLUSH SYNC and FLUSH ASYNC delete every library} {
        foreach mode {{} sync ASYNC SYNC async} {
            r function load replace "#!lua name=fnfl1\nredis.register_function('fn_fl1', function() return 1 end)"
            r function load replace "#!lua name=fnfl2\nredis.register_function('fn_fl2', function() return 2 end)"
            assert_equal [r function flush {*}$mode] OK
            assert_equal [r function list] {}
            assert_equal [fn_error_of fcall fn_fl1 0] {ERR Function not found}
            # The names can be loaded again at once.
            assert_equal [r function load "#!lua name=fnfl1\nredis.register_function('fn_fl1', function() return 1 end)"] fnfl1
        }
        assert_equal [r function flush] OK
        assert_equal [r function flush] OK
        assert_equal [fn_error_of function flush foo] {ERR FUNCTION FLUSH only supports SYNC|ASYNC option}
        assert_equal [fn_error_of function flush sync extra] \
            {ERR unknown subcommand or wrong number of arguments for 'flush'. Try FUNCTION HELP.}
    }

    test {FUNCTION - FLUSH keeps SCRIPT LOAD's cache, SCRIPT FLUSH and FLUSHALL keep functions} {
        r function flush
        r script flush
        set sha [r script load {return 'cached'}]
        r function load "#!lua name=fnsep\nredis.register_function('fn_sep', function() return 'fn' end)"
        r set fn:sep:k v
        assert_equal [r function flush] OK
        assert_equal [r script exists $sha] 1
        assert_equal [r evalsha $sha 0] cached
        r function load "#!lua name=fnsep\nredis.register_function('fn_sep', function() return 'fn' end)"
        assert_equal [r script flush] OK
        assert_equal [r script exists $sha] 0
        assert_equal [r fcall fn_sep 0] fn
        assert_equal [r flushall] OK
        assert_equal [r fcall fn_sep 0] fn
        assert_equal [fn_listed_libraries] fnsep
        r function flush
    }

    # --- FUNCTION STATS / HELP / KILL idle ---

    test {FUNCTION - STATS with nothing running, in RESP2 and RESP3} {
        r function flush
        assert_equal [r function stats] {running_script {} engines {LUA {libraries_count 0 functions_count 0}}}
        r function load "#!lua name=fnst1\nredis.register_function('fn_st1', function() return 1 end)\nredis.register_function('fn_st2', function() return 1 end)"
        r function load "#!lua name=fnst2\nredis.register_function('fn_st3', function() return 1 end)"
        assert_equal [r function stats] {running_script {} engines {LUA {libraries_count 2 functions_count 3}}}
        set c [fn_raw_client]
        assert_raw $c {function stats} [list *4 {$14} running_script {$-1} {$7} engines *2 {$3} LUA \
            *4 {$15} libraries_count :2 {$15} functions_count :3]
        set c3 [fn_raw_client 3]
        assert_raw $c3 {function stats} [list %2 {$14} running_script _ {$7} engines %1 {$3} LUA \
            %2 {$15} libraries_count :2 {$15} functions_count :3]
        r function delete fnst1
        assert_equal [r function stats] {running_script {} engines {LUA {libraries_count 1 functions_count 1}}}
        assert_equal [fn_error_of function stats x] {ERR wrong number of arguments for 'function|stats' command}
        r function flush
    }

    test {FUNCTION - HELP, unknown subcommands, arity} {
        set help [r function help]
        assert_equal [lindex $help 0] {FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:}
        assert_equal [fn_error_of function help x] {ERR wrong number of arguments for 'function|help' command}
        assert_equal [fn_error_of function] {ERR wrong number of arguments for 'function' command}
        assert_equal [fn_error_of function foo] {ERR unknown subcommand 'foo'. Try FUNCTION HELP.}
    }

    test {FUNCTION - KILL with nothing running is NOTBUSY} {
        assert_equal [fn_error_of function kill] {NOTBUSY No scripts in execution right now.}
        assert_equal [fn_error_of function kill x] {ERR wrong number of arguments for 'function|kill' command}
    }

    # --- Transactions, scripts, keyspace ---

    test {FCALL - inside MULTI/EXEC: replies and errors are elements of the EXEC array} {
        r function flush
        r del fn:mx:k
        set c [fn_raw_client]
        $c write_raw "MULTI\r\n"
        assert_equal [$c read] +OK
        set lib {#!lua name=fnmx
redis.register_function('fn_mset', function(keys, args) return redis.call('set', keys[1], args[1]) end)
redis.register_function('fn_mget', function(keys) return redis.call('get', keys[1]) end)
redis.register_function('fn_mincr', function(keys) return redis.call('incr', keys[1]) end)}
        foreach cmd [list [list function load $lib] {fcall fn_mset 1 fn:mx:k v1} {fcall fn_mget 1 fn:mx:k} \
                         {fcall fn_mincr 1 fn:mx:k} {fcall fn_nosuch 0} {fcall fn_mget x} {fcall_ro fn_mset 1 fn:mx:k x}] {
            $c send {*}$cmd
            assert_equal [$c read] +QUEUED
        }
        assert_raw $c {exec} [list *7 {$4} fnmx +OK {$2} v1 \
            {-ERR value is not an integer or out of range script: fn_mincr, on @user_function:4.} \
            {-ERR Function not found} {-ERR Bad number of keys provided} \
            {-ERR Can not execute a script with write flag using *_ro command.}]
        assert_equal [r get fn:mx:k] v1
        # A wrong arity is caught when queueing: EXEC aborts.
        r multi
        assert_error {ERR wrong number of arguments for 'fcall' command} {r fcall fn_mget}
        assert_error {EXECABORT Transaction discarded because of previous errors.} {r exec}
        r multi
        r fcall fn_mset 1 fn:mx:k v2
        r fcall fn_mget 1 fn:mx:k
        assert_equal [r exec] {OK v2}
        r function flush
    }

    test {FCALL - not allowed from EVAL or from a function; FUNCTION neither} {
        r function flush
        r function load {#!lua name=fnnest
redis.register_function{function_name='fn_inner', callback=function() return 'inner' end, flags={'no-writes'}}
redis.register_function('fn_outer', function() return redis.call('fcall', 'fn_inner', 0) end)
redis.register_function('fn_outer_p', function() return redis.pcall('fcall_ro', 'fn_inner', 0) end)
redis.register_function('fn_outer_f', function() return redis.call('function', 'list') end)
}
        set msg {ERR This Redis command is not allowed from script}
        set body {return redis.call('fcall', 'fn_inner', 0)}
        set sha [r eval {return redis.sha1hex(ARGV[1])} 0 $body]
        assert_equal [fn_error_of eval $body 0] "$msg script: $sha, on @user_script:1."
        set body {return redis.call('fcall_ro', 'fn_inner', 0)}
        set sha [r eval {return redis.sha1hex(ARGV[1])} 0 $body]
        assert_equal [fn_error_of eval $body 0] "$msg script: $sha, on @user_script:1."
        set body {return redis.call('function', 'flush')}
        set sha [r eval {return redis.sha1hex(ARGV[1])} 0 $body]
        assert_equal [fn_error_of eval $body 0] "$msg script: $sha, on @user_script:1."
        set c [fn_raw_client]
        assert_raw $c {eval {return redis.pcall('fcall', 'fn_inner', 0)} 0} [list "-$msg"]
        assert_equal [fn_error_of fcall fn_outer 0] "$msg script: fn_outer, on @user_function:3."
        assert_raw $c {fcall fn_outer_p 0} [list "-$msg"]
        assert_equal [fn_error_of fcall fn_outer_f 0] "$msg script: fn_outer_f, on @user_function:5."
        assert_equal [fn_listed_libraries] fnnest
        r function flush
    }

    test {FCALL - writes are visible to other clients; WATCH sees a function's write, not its read} {
        r function flush
        r function load {#!lua name=fnks
redis.register_function('fn_incr', function(keys) return redis.call('incr', keys[1]) end)
redis.register_function{function_name='fn_get', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}
}
        r set fn:w:k 1
        set other [redis_client]
        assert_equal [$other fcall fn_incr 1 fn:w:k] 2
        assert_equal [r get fn:w:k] 2
        r watch fn:w:k
        assert_equal [$other fcall fn_incr 1 fn:w:k] 3
        r multi
        r get fn:w:k
        assert_equal [r exec] {}
        r watch fn:w:k
        assert_equal [$other fcall_ro fn_get 1 fn:w:k] 3
        assert_equal [$other fcall fn_get 1 fn:w:k] 3
        r multi
        r get fn:w:k
        assert_equal [r exec] 3
        r function flush
    }

    # --- Long-running functions: BUSY, FUNCTION STATS, FUNCTION KILL ---

    test {FUNCTION - a busy function: STATS shows it, others get BUSY, FUNCTION KILL stops it} {
        fn_busy_guard {
            r function flush
            r function load $::fn_spin_lib
            set rd [redis_deferring_client]
            $rd fcall fn_spin 0 3000
            fn_wait_busy $::fn_busy_err
            set st [r function stats]
            set run [flat_to_dict [dict get [flat_to_dict $st] running_script]]
            assert_equal [dict get $run name] fn_spin
            assert_equal [dict get $run command] {fcall fn_spin 0 3000}
            assert_range [dict get $run duration_ms] 0 3000
            assert_equal [dict keys $run] {name command duration_ms}
            assert_equal [dict get [flat_to_dict $st] engines] {LUA {libraries_count 1 functions_count 3}}
            assert_error $::fn_busy_err {r get fn:k}
            assert_error $::fn_busy_err {r function list}
            assert_error $::fn_busy_err {r eval {return 1} 0}
            assert_error $::fn_busy_err {r fcall fn_spin 0 1}
            assert_error $::fn_busy_err {r script kill}
            assert_equal [r multi] OK
            assert_error "EXECABORT Transaction discarded because of: $::fn_busy_err" {r exec}
            assert_equal [r function kill] OK
            assert_error {ERR Script killed by user with SCRIPT KILL... script: fn_spin, on @user_function:*.} {$rd read}
            assert_equal [r ping] PONG
            $rd ping
            assert_equal [$rd read] PONG
            assert_equal [fn_error_of function kill] {NOTBUSY No scripts in execution right now.}
            assert_equal [lindex [r function stats] 1] {}
            r function flush
        }
    }

    test {FUNCTION - STATS of a busy FCALL_RO in RESP3, from a connection opened meanwhile} {
        fn_busy_guard {
            r function flush
            r function load $::fn_spin_lib
            set rd [redis_deferring_client]
            $rd fcall_ro fn_rospin 0 3000
            fn_wait_busy $::fn_busy_err
            set c3 [fn_raw_client 3]
            $c3 send function stats
            set expect [list %2 {$14} running_script %3 {$4} name {$9} fn_rospin {$7} command \
                *4 {$8} fcall_ro {$9} fn_rospin {$1} 0 {$4} 3000 {$11} duration_ms DURATION \
                {$7} engines %1 {$3} LUA %2 {$15} libraries_count :1 {$15} functions_count :3]
            unset -nocomplain fn_lines
            set fn_lines {}
            foreach pat $expect { lappend fn_lines [$c3 read] }
            set late [redis_client]
            assert_error $::fn_busy_err {$late ping}
            assert_equal [$late function kill] OK
            assert_error {ERR Script killed by user with SCRIPT KILL... script: fn_rospin, on @user_function:*.} {$rd read}
            assert_equal [$late ping] PONG
            set d [lsearch -exact $expect DURATION]
            assert_match {:[0-9]*} [lindex $fn_lines $d]
            assert_equal [lreplace $fn_lines $d $d DURATION] $expect
            r function flush
        }
    }

    test {FUNCTION - KILL of a function that already wrote is UNKILLABLE; it runs to its end} {
        fn_busy_guard {
            r function flush
            r del fn:busy:w
            r function load $::fn_spin_lib
            set rd [redis_deferring_client]
            $rd fcall fn_wspin 1 fn:busy:w 600
            fn_wait_busy $::fn_busy_err
            assert_error $::fn_unkillable_err {r function kill}
            assert_error $::fn_unkillable_err {r script kill}
            assert_error $::fn_busy_err {r get fn:busy:w}
            assert_equal [$rd read] wspun
            assert_equal [r get fn:busy:w] written
            assert_equal [fn_error_of function kill] {NOTBUSY No scripts in execution right now.}
            r function flush
        }
    }

    test {FUNCTION - KILL and STATS while an EVAL script is busy: BUSY, SCRIPT KILL stops it} {
        fn_busy_guard {
            r function flush
            set rd [redis_deferring_client]
            $rd eval $::fn_spin_eval 0 3000
            fn_wait_busy $::fn_busy_eval_err
            assert_error $::fn_busy_eval_err {r function kill}
            assert_error $::fn_busy_eval_err {r function stats}
            assert_error $::fn_busy_eval_err {r fcall fn_nosuch 0}
            assert_equal [r script kill] OK
            assert_error {ERR Script killed by user with SCRIPT KILL... script: *, on @user_script:*.} {$rd read}
            assert_equal [r ping] PONG
        }
    }
}

# Out of memory with noeviction: maxmemory is set below what is used after
# filling, then restored.
start_server {tags {functions}} {
    proc fn_fill_to_oom {} {
        r flushall
        r config set maxmemory-policy noeviction
        r config set maxmemory 0
        set rd [redis_deferring_client]
        set value [string repeat x 1000]
        for {set i 0} {$i < 2000} {incr i} { $rd set fn:oom:$i $value }
        for {set i 0} {$i < 2000} {incr i} { $rd read }
        $rd close
        r config set maxmemory [expr {[s used_memory] - 100*1024}]
        assert_error $::fn_oom_err {r set fn:oom:probe 1}
    }

    test {FCALL - OOM: refused without allow-oom, allow-oom and no-writes functions run} {
        r function flush
        r function load {#!lua name=fnoom
redis.register_function('fn_oset', function(keys, args) return redis.call('set', keys[1], args[1]) end)
redis.register_function('fn_onoop', function() return 1 end)
redis.register_function{function_name='fn_oallow', callback=function(keys, args) return redis.call('set', keys[1], args[1]) end, flags={'allow-oom'}}
redis.register_function{function_name='fn_oread', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}
}
        fn_fill_to_oom
        assert_error $::fn_oom_err {r fcall fn_oset 1 fn:oom:new v}
        # Refused for its flags, even when it writes nothing.
        assert_error $::fn_oom_err {r fcall fn_onoop 0}
        assert_equal [r exists fn:oom:new] 0
        assert_equal [r fcall fn_oallow 1 fn:oom:new v] OK
        assert_equal [r get fn:oom:new] v
        assert_equal [r fcall fn_oread 1 fn:oom:1] [string repeat x 1000]
        assert_equal [r fcall_ro fn_oread 1 fn:oom:1] [string repeat x 1000]
        # Loading a library is refused too.
        assert_error $::fn_oom_err {r function load "#!lua name=fnmore\nredis.register_function('fn_more', function() return 1 end)"}
        assert_equal [fn_listed_libraries] fnoom
        r config set maxmemory 0
        assert_equal [r fcall fn_oset 1 fn:oom:new2 v] OK
        assert_equal [r fcall fn_onoop 0] 1
        r flushall
        r function flush
    }

    test {FUNCTION - DUMP and RESTORE: a round trip, and APPEND, REPLACE and FLUSH} {
        r function flush
        r function load "#!lua name=fndump1\nredis.register_function('fn_d1', function() return 1 end)"
        r function load "#!lua name=fndump2\n-- [string repeat {padding so the code compresses } 4]\nredis.register_function('fn_d2', function() return 2 end)"
        set fn_payload [r function dump]
        r function flush
        assert_equal [r function restore $fn_payload] OK
        assert_equal [list [r fcall fn_d1 0] [r fcall fn_d2 0]] {1 2}
        # APPEND (the default) refuses a library that is there.
        assert_match {ERR Library fndump* already exists} [fn_error_of function restore $fn_payload]
        assert_match {ERR Library fndump* already exists} [fn_error_of function restore $fn_payload APPEND]
        assert_equal [r function restore $fn_payload REPLACE] OK
        # FLUSH drops the others first.
        r function load "#!lua name=fndump3\nredis.register_function('fn_d3', function() return 3 end)"
        assert_equal [r function restore $fn_payload FLUSH] OK
        assert_equal [lsort [lmap fn_e [r function list] {dict get $fn_e library_name}]] {fndump1 fndump2}
        assert_match {ERR Function not found} [fn_error_of fcall fn_d3 0]
        # A function name another library holds stops REPLACE; nothing changes.
        r function flush
        r function load "#!lua name=fnother\nredis.register_function('fn_d1', function() return 'x' end)"
        assert_equal [fn_error_of function restore $fn_payload REPLACE] {ERR Function fn_d1 already exists}
        assert_equal [lmap fn_e [r function list] {dict get $fn_e library_name}] {fnother}
        assert_equal [r fcall fn_d1 0] x
        r function flush
    }

    test {FUNCTION - RESTORE errors: policy, a broken payload, a wrong checksum} {
        r function flush
        r function load "#!lua name=fndump4\nredis.register_function('fn_d4', function() return 4 end)"
        set fn_payload [r function dump]
        r function flush
        assert_equal [fn_error_of function restore $fn_payload maybe] \
            {ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.}
        assert_equal [fn_error_of function restore short] {ERR DUMP payload version or checksum are wrong}
        set fn_last [string index $fn_payload end]
        set fn_bad [string replace $fn_payload end end [format %c [expr {([scan $fn_last %c] + 1) % 256}]]]
        assert_equal [fn_error_of function restore $fn_bad] {ERR DUMP payload version or checksum are wrong}
        assert_equal [r function list] {}
        # An empty dump restores to nothing.
        set fn_empty [r function dump]
        assert_equal [r function restore $fn_empty] OK
        r function flush
    }
}

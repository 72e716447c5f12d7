# Lua scripting (EVAL, EVALSHA, their _RO forms, SCRIPT): conversions, sandbox, errors, cache, flags.

# The sha1 of a script body, as the server computes it (redis.sha1hex).
proc script_sha {body} {
    return [r eval {return redis.sha1hex(ARGV[1])} 0 $body]
}

# A run-time error as EVAL replies it: MSG, then the script's sha1 and the
# line where it was raised.
proc script_error {msg body {line 1}} {
    return "$msg script: [script_sha $body], on @user_script:$line."
}

# The error text of [r CMD ...]; fails the test when the command succeeds.
proc error_of {args} {
    if {![catch {r {*}$args} err]} {
        fail "expected an error from '$args', got reply '[suite_show $err]'"
    }
    return $err
}

# A raw connection with a short read bound, for replies checked line by line.
proc raw_client {} {
    set c [raw_connect]
    $c timeout 3000
    return $c
}

start_server {tags {scripting}} {
    # --- EVAL basics and Lua -> RESP conversions ---

    test {EVAL - numkeys splits the arguments into KEYS and ARGV} {
        assert_equal [r eval {return {KEYS[1],KEYS[2],ARGV[1],ARGV[2]}} 2 a b c d] {a b c d}
        assert_equal [r eval {return {#KEYS, #ARGV}} 1 a b c d] {1 3}
        assert_equal [r eval {return {#KEYS, #ARGV}} 0] {0 0}
        assert_equal [r eval {return {#KEYS, #ARGV}} 3 a b c] {3 0}
    }

    test {EVAL - arguments and returned strings are binary safe} {
        set v "a\x00b\r\nc\xff"
        assert_equal [r eval {return ARGV[1]} 0 $v] $v
        assert_equal [r eval {return KEYS[1]} 1 $v] $v
        r eval {return redis.call('set', KEYS[1], ARGV[1])} 1 bin:k $v
        assert_equal [r get bin:k] $v
    }

    test {EVAL - a Lua number replies an integer truncated toward zero} {
        set c [raw_client]
        assert_raw $c [list eval {return 3.99} 0] {:3}
        assert_raw $c [list eval {return -3.7} 0] {:-3}
        assert_raw $c [list eval {return {3.0, 0.5, -0.5, 42}} 0] {*4 :3 :0 :0 :42}
    }

    test {EVAL - string is a bulk, true is :1, false and nil are null bulks} {
        set c [raw_client]
        assert_raw $c [list eval {return 'hello'} 0] {{$5} hello}
        assert_raw $c [list eval {return true} 0] {:1}
        assert_raw $c [list eval {return false} 0] {{$-1}}
        assert_raw $c [list eval {return nil} 0] {{$-1}}
        assert_raw $c [list eval {return} 0] {{$-1}}
        assert_raw $c [list eval {local x = 1} 0] {{$-1}}
    }

    test {EVAL - a table array ends at its first nil; false inside is a null} {
        set c [raw_client]
        assert_raw $c [list eval {return {1,2,nil,3}} 0] {*2 :1 :2}
        assert_raw $c [list eval {return {1,false,3}} 0] {*3 :1 {$-1} :3}
        assert_raw $c [list eval {return {}} 0] {*0}
        # Only the integer keys 1..n count: string keys are left out.
        assert_raw $c [list eval {return {a=1, b=2}} 0] {*0}
    }

    test {EVAL - nested tables are nested arrays} {
        set c [raw_client]
        assert_raw $c [list eval {return {1,{2,{3,'x'}},'y'}} 0] \
            [list *3 :1 *2 :2 *2 :3 {$1} x {$1} y]
        assert_equal [r eval {return {{}, {{}}, {'a'}}} 0] {{} {{}} a}
    }

    test {EVAL - {err=...} is an error reply, {ok=...} a status reply} {
        set c [raw_client]
        assert_raw $c [list eval {return {err='My err'}} 0] {{-My err}}
        assert_raw $c [list eval {return {err='ERR x'}} 0] {{-ERR x}}
        assert_raw $c [list eval {return {ok='fine'}} 0] {+fine}
        # Inside an array they are elements like any other.
        assert_raw $c [list eval {return {1,{err='inner'},{ok='st'}}} 0] \
            {*3 :1 {-inner} +st}
    }

    test {EVAL - redis.error_reply and redis.status_reply} {
        set c [raw_client]
        assert_raw $c [list eval {return redis.error_reply('My Error')} 0] {{-My Error}}
        assert_raw $c [list eval {return redis.status_reply('Fine')} 0] {+Fine}
        assert_equal [r eval {local t = redis.error_reply('E x'); return {type(t), t.err}} 0] {table {E x}}
        assert_equal [r eval {local t = redis.status_reply('S'); return {type(t), t.ok}} 0] {table S}
    }

    test {EVAL - RESP2: {double=...} is a bulk, map and set tables are flat arrays} {
        set c [raw_client]
        assert_raw $c [list eval {return {double=3.5}} 0] {{$3} 3.5}
        assert_raw $c [list eval {return {map={a=1}}} 0] {*2 {$1} a :1}
        assert_raw $c [list eval {return {set={a=true}}} 0] {*1 {$1} a}
        # Values of a map convert recursively.
        assert_raw $c [list eval {return {map={a={1,2}}}} 0] {*2 {$1} a *2 :1 :2}
    }

    test {EVAL - RESP3 caller: double, map, set and null types} {
        set c [redis_client]
        $c hello 3
        $c readraw 1
        $c timeout 3000
        assert_raw $c [list eval {return {double=3.5}} 0] {,3.5}
        assert_raw $c [list eval {return {map={a=1}}} 0] {%1 {$1} a :1}
        assert_raw $c [list eval {return {set={a=true}}} 0] {~1 {$1} a}
        assert_raw $c [list eval {return nil} 0] {_}
    }

    test {EVAL - RESP3 caller: booleans are #t/#f only after redis.setresp(3)} {
        set c [redis_client]
        $c hello 3
        $c readraw 1
        $c timeout 3000
        # The script still speaks RESP2: true is 1 and false is a null.
        assert_raw $c [list eval {return true} 0] {:1}
        assert_raw $c [list eval {return false} 0] {_}
        assert_raw $c [list eval {redis.setresp(3); return true} 0] {#t}
        assert_raw $c [list eval {redis.setresp(3); return false} 0] {#f}
    }

    test {EVAL - RESP2 caller after redis.setresp(3): false is :0, not a null} {
        set c [raw_client]
        assert_raw $c [list eval {redis.setresp(3); return true} 0] {:1}
        assert_raw $c [list eval {redis.setresp(3); return false} 0] {:0}
        assert_raw $c [list eval {redis.setresp(3); return {true, false}} 0] {*2 :1 :0}
        assert_raw $c [list eval {redis.setresp(3); return {double=3.5}} 0] {{$3} 3.5}
    }

    # --- RESP -> Lua conversions through redis.call ---

    test {EVAL - redis.call: status is {ok=...}, which the script can return as is} {
        set c [raw_client]
        assert_raw $c [list eval {return redis.call('set','conv:k','v')} 0] {+OK}
        assert_equal [r eval {local r = redis.call('set','conv:k','v'); return type(r) .. ':' .. r.ok} 0] {table:OK}
        assert_raw $c [list eval {return redis.call('ping')} 0] {+PONG}
    }

    test {EVAL - redis.call: integer is a number, bulk a string, null bulk false} {
        r del conv:n
        r set conv:k v
        assert_equal [r eval {local n = redis.call('incr','conv:n'); return {type(n), n + 1}} 0] {number 2}
        assert_equal [r eval {local v = redis.call('get','conv:k'); return {type(v), v}} 0] {string v}
        assert_equal [r eval {local v = redis.call('get','conv:nokey'); return {type(v), tostring(v)}} 0] {boolean false}
    }

    test {EVAL - redis.call: an array with missing keys holds false} {
        r del conv:missing
        r set conv:a 1
        r set conv:b 2
        assert_equal [r eval {
            local t = redis.call('mget','conv:a','conv:missing','conv:b')
            return {#t, type(t[2]), tostring(t[2]), t[3]}
        } 0] {3 boolean false 2}
        set c [raw_client]
        assert_raw $c [list eval {return redis.call('mget','conv:a','conv:missing','conv:b')} 0] \
            [list *3 {$1} 1 {$-1} {$1} 2]
    }

    test {EVAL - redis.call: numbers are sent as strings (7.0: %.17g, 7.2+: shortest)} {
        assert_equal [r eval {return redis.call('echo', 10)} 0] 10
        assert_equal [r eval {return redis.call('echo', 3.5)} 0] 3.5
        if {[version_at_least 7.2]} {
            assert_equal [r eval {return redis.call('echo', 0.1)} 0] 0.1
        } else {
            assert_equal [r eval {return redis.call('echo', 0.1)} 0] 0.10000000000000001
        }
        assert_equal [r eval {return redis.call('echo', -2)} 0] -2
    }

    test {EVAL - redis.call raises the command's error, keeping its code} {
        r set conv:s notanumber
        set body {return redis.call('incr','conv:s')}
        assert_equal [error_of eval $body 0] \
            [script_error {ERR value is not an integer or out of range} $body]
    }

    test {EVAL - redis.pcall returns the error as a table; returned, it has no script suffix} {
        r set conv:s notanumber
        assert_equal [r eval {local r = redis.pcall('incr','conv:s'); return type(r) .. ':' .. r.err} 0] \
            {table:ERR value is not an integer or out of range}
        set c [raw_client]
        assert_raw $c [list eval {return redis.pcall('incr','conv:s')} 0] \
            {{-ERR value is not an integer or out of range}}
    }

    test {EVAL - pcall around a failing redis.call catches the error message} {
        r set conv:s notanumber
        # Redis 7.0 raises the message as a string, 7.2+ as an {err=...}
        # table: accept both, the message must be the same.
        assert_equal [r eval {
            local ok, e = pcall(redis.call, 'incr', 'conv:s')
            if type(e) == 'table' then e = e.err end
            return {tostring(ok), e}
        } 0] {false {ERR value is not an integer or out of range}}
        # The script goes on after the caught error.
        assert_equal [r eval {
            pcall(redis.call, 'incr', 'conv:s')
            return 'after'
        } 0] after
    }

    # --- redis.setresp ---

    test {EVAL - redis.setresp(3): null is nil, maps and sets are {map=}/{set=} tables} {
        assert_equal [r eval {return type(redis.call('get','resp3:nokey'))} 0] boolean
        assert_equal [r eval {redis.setresp(3); return type(redis.call('get','resp3:nokey'))} 0] nil
        # COMMAND DOCS is a map in RESP3, an array in RESP2.
        assert_equal [r eval {
            redis.setresp(3)
            local d = redis.call('command','docs','get')
            return {type(d.map), type(d.map.get.map), d.map.get.map.since}
        } 0] {table table 1.0.0}
        assert_equal [r eval {
            local d = redis.call('command','docs','get')
            return {type(d.map), d[1]}
        } 0] {nil get}
        # The flags of COMMAND INFO are a set of status replies.
        assert_equal [r eval {
            redis.setresp(3)
            local out = {}
            for k, v in pairs(redis.call('command','info','get')[1][3].set) do
                table.insert(out, k.ok .. '=' .. tostring(v))
            end
            table.sort(out)
            return out
        } 0] {fast=true readonly=true}
    }

    test {EVAL - redis.setresp(3): a double reply is {double=number}} {
        # MEMORY STATS fragmentation is a double: a bulk string in RESP2.
        assert_equal [r eval {
            redis.setresp(3)
            local f = redis.call('memory','stats').map['fragmentation']
            return {type(f), type(f.double)}
        } 0] {table number}
        assert_equal [r eval {
            local s = redis.call('memory','stats')
            for i = 1, #s, 2 do
                if s[i] == 'fragmentation' then return type(s[i+1]) end
            end
            return 'missing'
        } 0] string
        # INCRBYFLOAT replies a bulk string even in RESP3.
        r del resp3:f
        assert_equal [r eval {
            redis.setresp(3)
            local v = redis.call('incrbyfloat','resp3:f','1.5')
            return {type(v), v}
        } 0] {string 1.5}
    }

    test {EVAL - redis.setresp only accepts 2 or 3} {
        foreach {body msg} {
            {redis.setresp(4)} {ERR RESP version must be 2 or 3.}
            {redis.setresp(1)} {ERR RESP version must be 2 or 3.}
            {redis.setresp()} {ERR redis.setresp() requires one argument.}
        } {
            assert_equal [error_of eval $body 0] [script_error $msg $body]
        }
        assert_equal [r eval {redis.setresp(2); return redis.call('get','resp3:nokey')} 0] {}
    }

    # --- Error replies ---

    test {EVAL - reading an undefined global is an error} {
        set body {return a}
        assert_equal [error_of eval $body 0] [script_error \
            {ERR user_script:1: Script attempted to access nonexistent global variable 'a'} $body]
    }

    test {EVAL - globals and library tables are read-only} {
        foreach body {{x = 1} {string.x = 1} {redis.call = 1} {_G.x = 1}} {
            assert_equal [error_of eval $body 0] \
                [script_error {ERR user_script:1: Attempt to modify a readonly table} $body]
        }
        # Raised from C functions, the message has no user_script: prefix.
        foreach body {{rawset(_G,'x',1)} {setmetatable(_G,{})} {table.insert(string,'x')}
                      {rawset(string,'x',1)}} {
            assert_equal [error_of eval $body 0] \
                [script_error {ERR Attempt to modify a readonly table} $body]
        }
    }

    test {EVAL - a failed global write leaves nothing for the next script} {
        catch {r eval {x = 1} 0}
        assert_equal [r eval {return rawget(_G, 'x')} 0] {}
        set body {return x}
        assert_equal [error_of eval $body 0] [script_error \
            {ERR user_script:1: Script attempted to access nonexistent global variable 'x'} $body]
        # Locals and tables a script creates are its own.
        assert_equal [r eval {local t = {}; t.x = 1; return t.x} 0] 1
        assert_equal [r eval {local ok, e = pcall(function() x = 1 end); return {tostring(ok), e}} 0] \
            {false {user_script:1: Attempt to modify a readonly table}}
    }

    test {EVAL - unknown command or wrong arity from redis.call} {
        set body {return redis.call('nosuchcmd')}
        assert_equal [error_of eval $body 0] \
            [script_error {ERR Unknown Redis command called from script} $body]
        set body {return redis.call('get')}
        assert_equal [error_of eval $body 0] \
            [script_error {ERR Wrong number of args calling Redis command from script} $body]
        set body {return redis.call('set','k')}
        assert_equal [error_of eval $body 0] \
            [script_error {ERR Wrong number of args calling Redis command from script} $body]
    }

    test {EVAL - redis.call needs arguments, all strings or numbers} {
        set body {return redis.call()}
        assert_equal [error_of eval $body 0] \
            [script_error {ERR Please specify at least one argument for this redis lib call} $body]
        foreach body {{return redis.call('get',{})} {return redis.call('get',nil)}
                      {return redis.call('echo',true)}} {
            assert_equal [error_of eval $body 0] \
                [script_error {ERR Lua redis lib command arguments must be strings or integers} $body]
        }
        # The next call still works.
        assert_equal [r eval {return redis.call('echo','asdf')} 0] asdf
    }

    test {EVAL - commands not allowed from scripts} {
        foreach call {
            {'subscribe','ch'} {'psubscribe','ch*'} {'unsubscribe'} {'multi'} {'exec'} {'discard'}
            {'watch','k'} {'unwatch'} {'eval','return 1','0'} {'evalsha','abc','0'}
            {'script','load','return 1'} {'script','exists','abc'} {'auth','pw'} {'hello'}
            {'quit'} {'reset'} {'shutdown'} {'client','id'} {'config','get','maxmemory'}
        } {
            set body "return redis.call($call)"
            assert_equal [error_of eval $body 0] \
                [script_error {ERR This Redis command is not allowed from script} $body]
        }
    }

    test {EVAL - redis.pcall returns these errors without the script suffix} {
        set c [raw_client]
        foreach {body err} {
            {return redis.pcall('nosuchcmd')} {-ERR Unknown Redis command called from script}
            {return redis.pcall('get')} {-ERR Wrong number of args calling Redis command from script}
            {return redis.pcall()} {-ERR Please specify at least one argument for this redis lib call}
            {return redis.pcall('get',{})} {-ERR Lua redis lib command arguments must be strings or integers}
            {return redis.pcall('multi')} {-ERR This Redis command is not allowed from script}
        } {
            assert_raw $c [list eval $body 0] [list $err]
        }
        assert_equal [r eval {local e = redis.pcall('nosuchcmd'); return e.err} 0] \
            {ERR Unknown Redis command called from script}
    }

    test {EVAL - error() with a string or an {err=...} table} {
        set body {error('boom')}
        assert_equal [error_of eval $body 0] [script_error {ERR user_script:1: boom} $body]
        # An error table is used as is: its text carries its own code.
        set body {error({err='X boom'})}
        assert_equal [error_of eval $body 0] [script_error {X boom} $body]
        set body {return redis.error_reply('MY code')}
        assert_equal [error_of eval $body 0] {MY code}
    }

    test {EVAL - run-time errors report the line they were raised on} {
        set body "local x = 1\nreturn y"
        assert_equal [error_of eval $body 0] [script_error \
            {ERR user_script:2: Script attempted to access nonexistent global variable 'y'} $body 2]
        set body "local x = 1\nlocal y = 2\nerror('line3')"
        assert_equal [error_of eval $body 0] [script_error {ERR user_script:3: line3} $body 3]
        set body "local x = 1\nredis.call('nosuch')"
        assert_equal [error_of eval $body 0] \
            [script_error {ERR Unknown Redis command called from script} $body 2]
    }

    test {EVAL - a script that does not compile} {
        assert_equal [error_of eval {return 'a' +} 0] \
            {ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'}
        assert_equal [error_of eval "local x = 1\nreturn +" 0] \
            {ERR Error compiling script (new function): user_script:2: unexpected symbol near '+'}
    }

    # --- The sandbox and the libraries ---

    test {EVAL - io, loading and debugging globals do not exist} {
        # getfenv, setfenv and newproxy are gone since the CVE-2025-46818
        # fix (Redis 7.4.6+, Debian's 7.0.15).
        foreach g {io loadfile dofile require module package print getfenv setfenv newproxy debug} {
            set body "return type($g)"
            assert_equal [error_of eval $body 0] [script_error \
                "ERR user_script:1: Script attempted to access nonexistent global variable '$g'" $body]
        }
        foreach g {string table math cjson bit redis coroutine} {
            assert_equal [r eval "return type($g)" 0] table
        }
        foreach g {pcall error loadstring tostring tonumber unpack pairs ipairs} {
            assert_equal [r eval "return type($g)" 0] function
        }
    }

    test {EVAL - os is absent, or holds only os.clock} {
        # Redis 7.0 has no os; 7.4 exposes os.clock() alone.
        set names [r eval {
            local ok, t = pcall(function() return os end)
            if not ok then return 'absent' end
            local names = {}
            for k in pairs(t) do table.insert(names, k) end
            table.sort(names)
            return table.concat(names, ',')
        } 0]
        assert {$names in {absent clock}} "os holds '$names'"
    }

    test {EVAL - loadstring compiles source but refuses bytecode} {
        assert_equal [r eval {return loadstring('return 1+2')()} 0] 3
        assert_equal [r eval {
            local f, e = loadstring('return +')
            return {tostring(f), type(e)}
        } 0] {nil string}
        assert_equal [r eval {
            local f = loadstring(string.dump(function() return 1 end))
            return tostring(f)
        } 0] nil
    }

    test {EVAL - cjson encodes and decodes} {
        assert_equal [r eval {return cjson.encode({1,2,'x'})} 0] {[1,2,"x"]}
        assert_equal [r eval {return cjson.encode({a=1})} 0] {{"a":1}}
        assert_equal [r eval {
            local t = cjson.decode(ARGV[1])
            return {t.a[1], t.a[2], t.a[3].b}
        } 0 {{"a":[1,2,{"b":"c"}]}}] {1 2 c}
        assert_equal [r eval {return cjson.encode(cjson.decode(ARGV[1]))} 0 {{"a":null}}] {{"a":null}}
    }

    test {EVAL - bit operations} {
        assert_equal [r eval {
            return {bit.band(12,10), bit.bor(12,10), bit.bxor(12,10), bit.lshift(1,4),
                    bit.tohex(255), bit.tohex(-1)}
        } 0] {8 14 6 16 000000ff ffffffff}
    }

    test {EVAL - struct and cmsgpack} {
        assert_equal [r eval {return struct.pack('>I2', 258)} 0] "\x01\x02"
        assert_equal [r eval {return {struct.unpack('>I2', ARGV[1])}} 0 AB] {16706 3}
        assert_equal [r eval {return cmsgpack.pack({1,2,3})} 0] "\x93\x01\x02\x03"
        assert_equal [r eval {return cmsgpack.pack('abc')} 0] "\xa3abc"
        assert_equal [r eval {return cmsgpack.unpack(cmsgpack.pack({1,'a',{2}}))} 0] {1 a 2}
    } {needs-struct}

    test {EVAL - pairs and next list the read-only global and library tables} {
        assert_equal [r eval {local n = 0 for k, v in pairs(string) do n = n + 1 end return n} 0] 15
        set globals [r eval {local t = {} for k in pairs(_G) do t[#t+1] = k end return t} 0]
        foreach name {redis cjson bit string table math pcall KEYS ARGV} {
            assert {$name in $globals} "$name missing from pairs(_G): $globals"
        }
        assert_equal [r eval {return type(next(redis))} 0] string
        # What pairs hands back is still read-only.
        set body {local f, t = pairs(string) t.x = 1}
        assert_equal [error_of eval $body 0] \
            [script_error {ERR user_script:1: Attempt to modify a readonly table} $body]
        assert_equal [r eval {local t = {a = 1, b = 2} local n = 0 for k, v in pairs(t) do n = n + v end return n} 0] 3
    }

    test {COMMAND INFO - the scripting commands' flags, categories and key spec} {
        set info [lindex [r command info eval] 0]
        assert_equal [lrange $info 0 6] \
            {eval -3 {noscript stale skip_monitor no_mandatory_keys movablekeys} 0 0 0 {@slow @scripting}}
        set spec [flat_to_dict [lindex [lindex $info 8] 0]]
        assert_equal [dict get $spec find_keys] {type keynum spec {keynumidx 0 firstkey 1 keystep 1}}
        assert_equal [lrange [lindex [r command info eval_ro] 0] 0 2] \
            {eval_ro -3 {readonly noscript stale skip_monitor no_mandatory_keys movablekeys}}
        assert_equal [lrange [lindex [r command info script|kill] 0] 0 2] {script|kill 2 {noscript allow_busy}}
        assert_equal [lrange [lindex [r command info multi] 0] 0 2] {multi 1 {noscript loading stale fast allow_busy}}
    }

    test {INFO errorstats - an error a script passes on is counted once} {
        r config resetstat
        r set scripting:notnum x
        catch {r eval {return redis.call()} 0}
        catch {r eval {return redis.pcall()} 0}
        catch {r eval {return redis.call('nosuch')} 0}
        catch {r eval {return redis.call('set','a','b','c','d')} 0}
        catch {r eval {return redis.call('incr','scripting:notnum')} 0}
        assert_equal [s errorstat_ERR errorstats] count=5
        assert_equal [s total_error_replies] 5
    }

    test {EVAL - redis.sha1hex} {
        assert_equal [r eval {return redis.sha1hex('')} 0] da39a3ee5e6b4b0d3255bfef95601890afd80709
        assert_equal [r eval {return redis.sha1hex('abc')} 0] a9993e364706816aba3e25717850c26c9cd0d89d
        set body {return redis.sha1hex()}
        assert_equal [error_of eval $body 0] [script_error {ERR wrong number of arguments} $body]
    }

    test {EVAL - redis.log writes to the server log; bad calls are errors} {
        assert_equal [r eval {return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}} 0] \
            {0 1 2 3}
        assert_equal [r eval {return redis.log(redis.LOG_WARNING, 'scripting-test', 'log', 'line')} 0] {}
        if {[srv log] ne ""} {
            wait_for_condition 50 20 {
                [string first "scripting-test log line" [srv_read_file [srv log]]] >= 0
            } else {
                fail "redis.log message not found in [srv log]"
            }
        }
        set body {redis.log(99, 'x')}
        assert_equal [error_of eval $body 0] [script_error {ERR Invalid debug level.} $body]
        set body {redis.log(-1, 'x')}
        assert_equal [error_of eval $body 0] [script_error {ERR Invalid debug level.} $body]
        set body {redis.log(redis.LOG_WARNING)}
        assert_equal [error_of eval $body 0] \
            [script_error {ERR redis.log() requires two arguments or more.} $body]
        set body {redis.log('x', 'y')}
        assert_equal [error_of eval $body 0] \
            [script_error {ERR First argument must be a number (log level).} $body]
    }

    test {EVAL - redis.set_repl, redis.replicate_commands} {
        assert_equal [r eval {return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_REPLICA, redis.REPL_SLAVE, redis.REPL_ALL}} 0] \
            {0 1 2 2 3}
        assert_equal [r eval {redis.set_repl(redis.REPL_ALL); return 1} 0] 1
        set body {redis.set_repl(12345)}
        assert_equal [error_of eval $body 0] [script_error \
            {ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.} $body]
        assert_equal [r eval {return tostring(redis.replicate_commands())} 0] true
    }

    test {EVAL - redis.acl_check_cmd} {
        assert_equal [r eval {return tostring(redis.acl_check_cmd('get','x'))} 0] true
        assert_equal [r eval {return tostring(redis.acl_check_cmd('set','x','y'))} 0] true
        set body {return redis.acl_check_cmd('nosuchcmd','x')}
        assert_equal [error_of eval $body 0] \
            [script_error {ERR Invalid command passed to redis.acl_check_cmd()} $body]
        set body {return redis.acl_check_cmd()}
        assert_equal [error_of eval $body 0] \
            [script_error {ERR Please specify at least one argument for this redis lib call} $body]
    }

    test {EVAL - pcall catches Lua errors} {
        assert_equal [r eval {return {pcall(function() return 7 end)}} 0] {1 7}
        assert_equal [r eval {local ok, e = pcall(function() return nosuch end); return {tostring(ok), e}} 0] \
            {false {user_script:1: Script attempted to access nonexistent global variable 'nosuch'}}
        assert_equal [r eval {local ok, e = pcall(error, 'mine'); return {tostring(ok), e}} 0] {false mine}
    }

    # --- numkeys and arity ---

    test {EVAL - numkeys errors} {
        assert_error {ERR Number of keys can't be greater than number of args} {r eval {return 1} 2 a}
        assert_error {ERR Number of keys can't be greater than number of args} {r eval {return 1} 1}
        assert_error {ERR Number of keys can't be negative} {r eval {return 1} -1}
        assert_error {ERR value is not an integer or out of range} {r eval {return 1} x}
        assert_error {ERR value is not an integer or out of range} {r eval {return 1} 1.5}
        assert_error {ERR Number of keys can't be negative} {r eval_ro {return 1} -1}
    }

    test {EVAL - arity errors of the EVAL family and SCRIPT} {
        assert_error {ERR wrong number of arguments for 'eval' command} {r eval {return 1}}
        assert_error {ERR wrong number of arguments for 'eval' command} {r eval}
        assert_error {ERR wrong number of arguments for 'evalsha' command} {r evalsha abc}
        assert_error {ERR wrong number of arguments for 'eval_ro' command} {r eval_ro {return 1}}
        assert_error {ERR wrong number of arguments for 'evalsha_ro' command} {r evalsha_ro abc}
        assert_error {ERR wrong number of arguments for 'script' command} {r script}
        assert_error {ERR wrong number of arguments for 'script|load' command} {r script load}
        assert_error {ERR wrong number of arguments for 'script|load' command} {r script load a b}
        assert_error {ERR wrong number of arguments for 'script|exists' command} {r script exists}
        assert_error {ERR wrong number of arguments for 'script|kill' command} {r script kill x}
        assert_error {ERR wrong number of arguments for 'script|help' command} {r script help x}
    }

    # --- EVALSHA and the script cache ---

    test {EVALSHA - EVAL caches the script under the sha1 of its body} {
        r script flush
        set body {return 'cached-by-eval'}
        set sha [script_sha $body]
        assert_equal [r script exists $sha] 0
        assert_error {NOSCRIPT No matching script. Please use EVAL.} {r evalsha $sha 0}
        assert_equal [r eval $body 0] cached-by-eval
        assert_equal [r script exists $sha] 1
        assert_equal [r evalsha $sha 0] cached-by-eval
        # The sha is case-insensitive.
        assert_equal [r evalsha [string toupper $sha] 0] cached-by-eval
    }

    test {EVALSHA - KEYS and ARGV, numkeys errors with a known sha} {
        set sha [r script load {return {KEYS[1], ARGV[1]}}]
        assert_equal [r evalsha $sha 1 k a] {k a}
        assert_error {ERR Number of keys can't be greater than number of args} {r evalsha $sha 2 a}
        assert_error {ERR Number of keys can't be negative} {r evalsha $sha -1}
        assert_error {ERR value is not an integer or out of range} {r evalsha $sha x}
    }

    test {EVALSHA - unknown sha, or a sha of the wrong length, is NOSCRIPT} {
        assert_error {NOSCRIPT No matching script. Please use EVAL.} {r evalsha abc 0}
        assert_error {NOSCRIPT No matching script. Please use EVAL.} \
            {r evalsha ffffffffffffffffffffffffffffffffffffffff 0}
        set sha [r script load {return 1}]
        assert_error {NOSCRIPT*} {r evalsha ${sha}aa 0}
        assert_error {NOSCRIPT*} {r evalsha [string range $sha 0 38] 0}
        assert_error {NOSCRIPT No matching script. Please use EVAL.} {r evalsha_ro abc 0}
    }

    test {SCRIPT LOAD - returns the sha1 of the body and caches it} {
        r script flush
        set body {return 'loaded'}
        set sha [r script load $body]
        assert_equal $sha [script_sha $body]
        assert_equal [string length $sha] 40
        assert_equal [r evalsha $sha 0] loaded
        # Loading it again gives the same sha.
        assert_equal [r script load $body] $sha
    }

    test {SCRIPT LOAD - a script that does not compile is an error and is not cached} {
        set body {return +}
        assert_equal [error_of script load $body] \
            {ERR Error compiling script (new function): user_script:1: unexpected symbol near '+'}
        assert_equal [r script exists [script_sha $body]] 0
        catch {r eval $body 0}
        assert_equal [r script exists [script_sha $body]] 0
    }

    test {SCRIPT EXISTS - one 0/1 per sha, case-insensitive} {
        r script flush
        set sha [r script load {return 'exists'}]
        assert_equal [r script exists $sha abc [string toupper $sha] $sha] {1 0 1 1}
        # A script that fails at run time stays cached.
        set body {error('at run time')}
        catch {r eval $body 0}
        assert_equal [r script exists [script_sha $body]] 1
    }

    test {SCRIPT FLUSH - empties the cache, SYNC and ASYNC too} {
        foreach mode {{} sync ASYNC Sync} {
            set sha [r script load {return 'flushme'}]
            assert_equal [r script exists $sha] 1
            assert_equal [r script flush {*}$mode] OK
            assert_equal [r script exists $sha] 0
            assert_error {NOSCRIPT*} {r evalsha $sha 0}
        }
    }

    test {SCRIPT FLUSH - a bad option is an error} {
        assert_error {ERR SCRIPT FLUSH only support SYNC|ASYNC option} {r script flush foo}
        assert_error {ERR SCRIPT FLUSH only support SYNC|ASYNC option} {r script flush sync async}
    }

    test {SCRIPT KILL - with no script running is NOTBUSY} {
        assert_error {NOTBUSY No scripts in execution right now.} {r script kill}
    }

    test {SCRIPT HELP - lists the subcommands} {
        set help [r script help]
        assert_equal [lindex $help 0] \
            {SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:}
        assert_equal [lrange $help end-1 end] {HELP {    Prints this help.}}
        foreach sub {EXISTS FLUSH KILL LOAD} {
            assert {[lsearch -glob $help "$sub*"] > 0} "no $sub in [suite_show $help]"
        }
    }

    test {SCRIPT - unknown subcommand} {
        assert_error {ERR unknown subcommand 'foo'. Try SCRIPT HELP.} {r script foo}
        assert_error {ERR unknown subcommand 'Foo'. Try SCRIPT HELP.} {r script Foo bar}
    }

    # --- Shebang and flags ---

    test {EVAL - a #!lua shebang line is accepted and counts as line 1} {
        assert_equal [r eval "#!lua\nreturn 'shebang'" 0] shebang
        assert_equal [r eval "#!lua flags=\nreturn 1" 0] 1
        set body "#!lua\nerror('two')"
        assert_equal [error_of eval $body 0] [script_error {ERR user_script:2: two} $body 2]
    }

    test {EVAL - #!lua flags=no-writes: reads work, writes fail} {
        r set sb:k v
        assert_equal [r eval "#!lua flags=no-writes\nreturn redis.call('get','sb:k')" 0] v
        set body "#!lua flags=no-writes\nredis.call('set','sb:k','x')"
        assert_equal [error_of eval $body 0] \
            [script_error {ERR Write commands are not allowed from read-only scripts.} $body 2]
        assert_equal [r get sb:k] v
    }

    test {EVAL - shebang errors} {
        assert_error {ERR Unexpected flag in script shebang: bad} {r eval "#!lua flags=bad\nreturn 1" 0}
        assert_error {ERR Unexpected flag in script shebang: bad} {r eval "#!lua flags=no-writes,bad\nreturn 1" 0}
        assert_error {ERR Unknown lua shebang option: foo=bar} {r eval "#!lua foo=bar\nreturn 1" 0}
        assert_error {ERR Unexpected engine in script shebang: #!py} {r eval "#!py\nreturn 1" 0}
        assert_error {ERR Unexpected engine in script shebang: #!LUA} {r eval "#!LUA\nreturn 1" 0}
        assert_error {ERR Invalid script shebang} {r eval "#!lua" 0}
        assert_error {ERR Unexpected flag in script shebang: bad} {r script load "#!lua flags=bad\nreturn 1"}
    }

    test {EVAL_RO - a shebang script without no-writes is refused} {
        assert_error {ERR Can not execute a script with write flag using *_ro command.} \
            {r eval_ro "#!lua\nreturn 1" 0}
        set sha [r script load "#!lua\nreturn 2"]
        assert_error {ERR Can not execute a script with write flag using *_ro command.} \
            {r evalsha_ro $sha 0}
        assert_equal [r eval_ro "#!lua flags=no-writes\nreturn 3" 0] 3
    }

    test {EVAL_RO - without shebang reads work and writes fail} {
        r set ro:k v
        assert_equal [r eval_ro {return redis.call('get',KEYS[1])} 1 ro:k] v
        set body {return redis.call('set',KEYS[1],'x')}
        assert_equal [error_of eval_ro $body 1 ro:k] \
            [script_error {ERR Write commands are not allowed from read-only scripts.} $body]
        set body {return redis.call('del','ro:k')}
        assert_equal [error_of eval_ro $body 0] \
            [script_error {ERR Write commands are not allowed from read-only scripts.} $body]
        set c [raw_client]
        assert_raw $c [list eval_ro {return redis.pcall('set','ro:k','x')} 0] \
            {{-ERR Write commands are not allowed from read-only scripts.}}
        assert_equal [r get ro:k] v
    }

    test {EVALSHA_RO - runs a cached script read-only} {
        r set ro:k v
        set wsha [r script load {return redis.call('set',KEYS[1],'y')}]
        set rsha [r script load {return redis.call('get',KEYS[1])}]
        assert_equal [r evalsha_ro $rsha 1 ro:k] v
        assert_equal [error_of evalsha_ro $wsha 1 ro:k] [script_error \
            {ERR Write commands are not allowed from read-only scripts.} \
            {return redis.call('set',KEYS[1],'y')}]
        assert_equal [r get ro:k] v
        # The same script writes through EVALSHA.
        assert_equal [r evalsha $wsha 1 ro:k] OK
        assert_equal [r get ro:k] y
    }

    # --- Scripts and the keyspace ---

    test {EVAL - SELECT inside a script does not change the caller's db} {
        r select 0
        r del sel:k
        r select 9
        r del sel:k
        r select 0
        assert_equal [r eval {
            redis.call('select','9')
            redis.call('set','sel:k','in9')
            return redis.call('get','sel:k')
        } 0] in9
        assert_equal [r get sel:k] {}
        assert_equal [r eval {return redis.call('get','sel:k')} 0] {}
        r select 9
        assert_equal [r get sel:k] in9
        # A script starts in the caller's db.
        assert_equal [r eval {return redis.call('get','sel:k')} 0] in9
        r del sel:k
    }

    test {EVAL - writes are visible to other clients after the script} {
        r del vis:a vis:b
        r eval {redis.call('set','vis:a','1'); redis.call('incrby','vis:b','5')} 0
        set other [redis_client]
        assert_equal [$other mget vis:a vis:b] {1 5}
    }

    test {EVAL - commands run by a script count in INFO commandstats} {
        r config resetstat
        r eval {redis.call('set','cs:a','1'); redis.call('set','cs:b','2'); redis.call('get','cs:a')} 0
        assert_match {calls=2,*} [s cmdstat_set commandstats]
        assert_match {calls=1,*} [s cmdstat_get commandstats]
        assert_match {calls=1,*} [s cmdstat_eval commandstats]
    }

    test {EVAL - EXPIRE and PERSIST inside a script} {
        r del ex:k
        assert_equal [r eval {
            redis.call('set','ex:k','1')
            redis.call('expire','ex:k','100')
            return redis.call('ttl','ex:k')
        } 0] 100
        assert_range [r ttl ex:k] 95 100
        assert_equal [r eval {return redis.call('persist','ex:k')} 0] 1
        assert_equal [r ttl ex:k] -1
        # EXPIRE with a time in the past deletes the key at once.
        assert_equal [r eval {
            redis.call('set','ex:k','1')
            redis.call('expire','ex:k','0')
            return redis.call('exists','ex:k')
        } 0] 0
        assert_equal [r exists ex:k] 0
    }

    test {EVAL - time stands still during a script: a key does not expire in it} {
        r del ex:p
        # Sets a 20 ms TTL, then spins (bounded) on TIME for 50 ms.
        assert_equal [r eval {
            redis.call('set','ex:p','1','px','20')
            local t0 = redis.call('time')
            for i = 1, 10000000 do
                local t = redis.call('time')
                if (t[1] - t0[1]) * 1000000 + (t[2] - t0[2]) > 50000 then break end
            end
            return redis.call('get','ex:p')
        } 0] 1
        wait_for_condition 50 10 {[r get ex:p] eq ""} else {
            fail "ex:p did not expire after the script"
        }
    }

    test {EVAL - an error after a write keeps the write (no rollback)} {
        r del rb:k
        set body "redis.call('set','rb:k','written')\nredis.call('nosuch')"
        assert_equal [error_of eval $body 0] \
            [script_error {ERR Unknown Redis command called from script} $body 2]
        assert_equal [r get rb:k] written
    }

    test {EVAL - inside MULTI/EXEC the script's reply is in the EXEC array} {
        r del mx:c
        assert_equal [r multi] OK
        assert_equal [r eval {return redis.call('incr','mx:c')} 0] QUEUED
        assert_equal [r eval {return redis.call('incr','mx:c')} 0] QUEUED
        assert_equal [r get mx:c] QUEUED
        assert_equal [r exec] {1 2 2}
    }

    test {EVAL - script errors inside EXEC are elements of the EXEC array} {
        set c [raw_client]
        $c write_raw "MULTI\r\n"
        assert_equal [$c read] +OK
        foreach cmd [list [list eval {return 1} 5] [list eval {return redis.call('nosuch')} 0] [list eval {return 'ok'} 0]] {
            $c send {*}$cmd
            assert_equal [$c read] +QUEUED
        }
        set sha [script_sha {return redis.call('nosuch')}]
        assert_raw $c [list exec] [list *3 \
            {-ERR Number of keys can't be greater than number of args} \
            "-ERR Unknown Redis command called from script script: $sha, on @user_script:1." \
            {$2} ok]
        # A wrong arity is caught when queueing: EXEC aborts.
        r multi
        assert_error {ERR wrong number of arguments for 'eval' command} {r eval {return 1}}
        assert_error {EXECABORT Transaction discarded because of previous errors.} {r exec}
    }

    test {EVAL - a script that modifies a WATCHed key aborts EXEC; one that reads it does not} {
        r set w:k 1
        set other [redis_client]
        r watch w:k
        assert_equal [$other eval {return redis.call('incr', KEYS[1])} 1 w:k] 2
        r multi
        r get w:k
        assert_equal [r exec] {}
        r watch w:k
        assert_equal [$other eval {return redis.call('get', KEYS[1])} 1 w:k] 2
        r multi
        r get w:k
        assert_equal [r exec] 2
    }
}

# Out of memory with noeviction: the budget is set below used_memory after
# filling, so every write that may grow memory is refused.
start_server {overrides {maxmemory-policy noeviction} tags {scripting}} {
    # Fills the db with small keys, then sets maxmemory below what is used.
    proc scripting_fill_to_oom {} {
        r flushall
        r config set maxmemory 0
        set rd [redis_deferring_client]
        set value [string repeat x 1000]
        for {set i 0} {$i < 2000} {incr i} { $rd set oom:$i $value }
        for {set i 0} {$i < 2000} {incr i} { $rd read }
        $rd close
        r config set maxmemory [expr {[s used_memory] - 100*1024}]
        assert_error {OOM command not allowed when used memory > 'maxmemory'.} {r set oom:probe 1}
    }

    test {EVAL - OOM: a script's first write fails with OOM, reads work} {
        scripting_fill_to_oom
        set body {return redis.call('set','oom:new','1')}
        assert_equal [error_of eval $body 0] \
            [script_error {OOM command not allowed when used memory > 'maxmemory'.} $body]
        assert_equal [r exists oom:new] 0
        assert_equal [r eval {return redis.call('get','oom:1')} 0] [string repeat x 1000]
        assert_equal [r eval {return redis.call('exists','oom:new')} 0] 0
        set c [raw_client]
        assert_raw $c [list eval {return redis.pcall('set','oom:new','1')} 0] \
            {{-OOM command not allowed when used memory > 'maxmemory'.}}
        r config set maxmemory 0
    }

    test {EVAL - OOM: a shebang script without allow-oom is refused as a whole} {
        scripting_fill_to_oom
        assert_error {OOM command not allowed when used memory > 'maxmemory'.} \
            {r eval "#!lua\nreturn 1" 0}
        set sha [r script load "#!lua\nreturn 2"]
        assert_error {OOM command not allowed when used memory > 'maxmemory'.} {r evalsha $sha 0}
        # Read-only scripts still run.
        assert_equal [r eval "#!lua flags=no-writes\nreturn redis.call('get','oom:1')" 0] \
            [string repeat x 1000]
        assert_equal [r eval_ro {return redis.call('exists','oom:1')} 0] 1
        r config set maxmemory 0
    }

    test {EVAL - OOM: flags=allow-oom may write} {
        scripting_fill_to_oom
        assert_equal [r eval "#!lua flags=allow-oom\nredis.call('set','oom:new','v')\nreturn redis.call('get','oom:new')" 0] v
        assert_equal [r get oom:new] v
        r config set maxmemory 0
    }
}

# What respite does beyond Redis: a bound on the interpreter's heap, and
# error values whose metamethods would run outside any protected call.
# Redis has no such bound (it would build the 1 GB string), and the
# metamethod cases can bring redis-server 7.0 down: respite only.
start_server {overrides {maxmemory 16mb} tags {scripting respite-only}} {
    test {EVAL - a script past the heap bound gets "not enough memory", the server lives on} {
        set body {local t = {} for i = 1, 1e8 do t[i] = i end return #t}
        assert_equal [error_of eval $body 0] \
            "ERR Error running script [script_sha $body], not enough memory"
        set body {return string.rep('x', 1e9):len()}
        assert_equal [error_of eval $body 0] \
            "ERR Error running script [script_sha $body], not enough memory"
        assert_equal [r eval {return 1} 0] 1
        # The garbage went back at once: the heap is small again.
        assert_range [s used_memory_lua] 1 [expr {4 * 1024 * 1024}]
        assert_equal [r ping] PONG
    }

    test {EVAL - collectgarbage('stop') does not outlive the script} {
        r eval {collectgarbage('stop') return 1} 0
        # 200,000 dead tables: a few hundred KB with the collector running,
        # several MB without it.
        set kb [r eval {for i = 1, 200000 do local t = {i} end return collectgarbage('count')} 0]
        assert_range $kb 1 4000
    }

    test {EVAL - error and result tables with hostile metamethods are read raw} {
        set hostile {setmetatable({}, {__index = function() error('x') end})}
        set body "error($hostile)"
        assert_equal [error_of eval $body 0] [script_error {ERR unknown error} $body]
        set body "error(setmetatable({err='E1 x'}, {__index = function() error('x') end}))"
        assert_equal [error_of eval $body 0] [script_error {E1 x} $body]
        assert_equal [r eval "return $hostile" 0] {}
        assert_equal [r eval "return {verbatim_string=$hostile}" 0] {}
        set body {error(setmetatable({}, {__tostring = function() error('z') end}))}
        assert_equal [error_of eval $body 0] [script_error {ERR unknown error} $body]
        assert_equal [r ping] PONG
    }
}

#!/usr/bin/env python3
"""respite against redis-py, the stock Python client (Debian's python3-redis).

Usage: test_clients.py --host H --port P --auth-port P2 --password PW

--port is a server without a password; --auth-port one with requirepass PW
(only the AUTH scenarios use it). Prints "ok: NAME", "FAIL: NAME: why" or
"skip: NAME: why" per scenario and "N passed, N failed, N skipped" last;
exits 1 if anything failed. Every socket has a 5 s timeout and every wait
is a bounded loop, so a server that stops answering turns into FAIL lines,
never a hang. Talks to 127.0.0.1 only.
"""

import argparse
import hashlib
import queue
import sys
import threading
import time
import traceback
import uuid

import redis

TIMEOUT = 5.0
SCENARIOS = []


class Skip(Exception):
    """Raised by a scenario that cannot run with this library version."""


def scenario(name):
    def register(fn):
        SCENARIOS.append((name, fn))
        return fn

    return register


def check_eq(what, expected, got):
    if expected != got:
        raise AssertionError(f"{what}: expected {expected!r}, got {got!r}")


def check(what, cond):
    if not cond:
        raise AssertionError(what)


class Env:
    def __init__(self, args):
        self.host = args.host
        self.port = args.port
        self.auth_port = args.auth_port
        self.password = args.password

    def client(self, **kw):
        kw.setdefault("socket_timeout", TIMEOUT)
        kw.setdefault("socket_connect_timeout", TIMEOUT)
        kw.setdefault("port", self.port)
        return redis.Redis(host=self.host, **kw)


# ---------------------------------------------------------------------------
# Plain commands


@scenario("redis-py commands - strings, counters, expiry and key commands")
def t_commands(env):
    r = env.client(decode_responses=True)
    check_eq("PING", True, r.ping())
    check_eq("SET", True, r.set("py:s", "hello"))
    check_eq("GET", "hello", r.get("py:s"))
    check_eq("GET missing", None, r.get("py:missing"))
    check_eq("APPEND", 11, r.append("py:s", " world"))
    check_eq("GETRANGE", "world", r.getrange("py:s", 6, -1))
    check_eq("STRLEN", 11, r.strlen("py:s"))
    check_eq("SET NX on existing", None, r.set("py:s", "x", nx=True))
    check_eq("SET GET", "hello world", r.set("py:s", "new", get=True))
    check_eq("INCR", 1, r.incr("py:n"))
    check_eq("INCRBY", 11, r.incrby("py:n", 10))
    check_eq("DECR", 10, r.decr("py:n"))
    check_eq("INCRBYFLOAT", 10.5, r.incrbyfloat("py:n", 0.5))
    check_eq("MSET", True, r.mset({"py:a": "1", "py:b": "2"}))
    check_eq("MGET", ["1", "2", None], r.mget("py:a", "py:b", "py:nope"))
    check_eq("EXISTS", 2, r.exists("py:a", "py:b", "py:nope"))
    check_eq("EXPIRE", True, r.expire("py:a", 100))
    ttl = r.ttl("py:a")
    check(f"TTL in (0, 100], got {ttl}", 0 < ttl <= 100)
    check_eq("TTL without expiry", -1, r.ttl("py:b"))
    check_eq("PERSIST", True, r.persist("py:a"))
    check_eq("TYPE", "string", r.type("py:a"))
    check_eq("RENAME", True, r.rename("py:a", "py:a2"))
    check_eq("DEL", 2, r.delete("py:a2", "py:b", "py:nope"))
    check_eq("ECHO", "hi", r.echo("hi"))
    try:
        r.incr("py:s")
        raise AssertionError("INCR on a non-integer did not raise")
    except redis.ResponseError as e:
        check_eq("INCR error", "value is not an integer or out of range", str(e))
    r.close()


@scenario("redis-py commands - binary values with NUL and CRLF round-trip")
def t_binary(env):
    r = env.client()
    value = b"a\x00b\r\nc\xff" * 1000 + b"\r\n"
    key = b"py:bin\x00\r\n"
    check_eq("SET", True, r.set(key, value))
    check_eq("GET", value, r.get(key))
    check_eq("STRLEN", len(value), r.strlen(key))
    check_eq("DEL", 1, r.delete(key))
    r.close()


# ---------------------------------------------------------------------------
# Pipelines and transactions


@scenario("redis-py pipeline(transaction=False) - 1000 commands in one round trip")
def t_pipeline(env):
    r = env.client(decode_responses=True)
    with r.pipeline(transaction=False) as p:
        for i in range(500):
            p.set(f"py:p:{i}", i)
        for i in range(500):
            p.get(f"py:p:{i}")
        res = p.execute()
    check_eq("replies", 1000, len(res))
    check_eq("SET replies", [True] * 500, res[:500])
    check_eq("GET replies", [str(i) for i in range(500)], res[500:])
    with r.pipeline(transaction=False) as p:
        p.set("py:p:s", "x").incr("py:p:s").get("py:p:s")
        res = p.execute(raise_on_error=False)
    check_eq("first", True, res[0])
    check("error reply kept in place", isinstance(res[1], redis.ResponseError))
    check_eq("after the error", "x", res[2])
    r.close()


@scenario("redis-py pipeline(transaction=True) - MULTI/EXEC results in order")
def t_transaction(env):
    r = env.client(decode_responses=True)
    r.delete("py:t:n")
    with r.pipeline(transaction=True) as p:
        p.incr("py:t:n").incr("py:t:n").set("py:t:s", "v").get("py:t:s")
        res = p.execute()
    check_eq("EXEC results", [1, 2, True, "v"], res)
    # A runtime error inside EXEC fails that command only.
    with r.pipeline(transaction=True) as p:
        p.set("py:t:s", "abc").incr("py:t:s").get("py:t:s")
        res = p.execute(raise_on_error=False)
    check_eq("SET in EXEC", True, res[0])
    check("INCR error in EXEC", isinstance(res[1], redis.ResponseError))
    check_eq("GET in EXEC", "abc", res[2])
    # A queuing error (wrong arity) aborts the whole transaction: EXECABORT.
    with r.pipeline(transaction=True) as p:
        p.set("py:t:s", "kept")
        p.execute_command("GET")
        try:
            p.execute()
            raise AssertionError("EXEC with a bad command did not raise")
        except redis.ResponseError as e:
            check("EXECABORT or arity error: " + str(e), "EXECABORT" in str(e) or "wrong number" in str(e))
    check_eq("aborted transaction wrote nothing", "abc", r.get("py:t:s"))
    r.close()


@scenario("redis-py WATCH - r.transaction() retries while another connection interferes")
def t_watch_retry(env):
    r = env.client(decode_responses=True)
    other = env.client(decode_responses=True)
    r.set("py:w", 0)
    attempts = []

    def increment(pipe):
        attempts.append(1)
        current = int(pipe.get("py:w"))
        if len(attempts) <= 2:
            other.incr("py:w", 100)  # makes this attempt's EXEC fail
        pipe.multi()
        pipe.set("py:w", current + 1)

    r.transaction(increment, "py:w")
    check_eq("attempts", 3, len(attempts))
    check_eq("value", "201", r.get("py:w"))

    # Manual WATCH / MULTI / EXEC: an interfering write makes EXEC fail.
    with r.pipeline() as p:
        p.watch("py:w")
        p.get("py:w")
        other.set("py:w", "changed")
        p.multi()
        p.set("py:w", "mine")
        try:
            p.execute()
            raise AssertionError("EXEC succeeded although the watched key changed")
        except redis.WatchError:
            pass
    check_eq("value after aborted EXEC", "changed", r.get("py:w"))
    # UNWATCH (via reset) clears the watch; a clean retry succeeds.
    with r.pipeline() as p:
        p.watch("py:w")
        p.multi()
        p.set("py:w", "mine")
        check_eq("EXEC", [True], p.execute())
    check_eq("value", "mine", r.get("py:w"))
    r.close()
    other.close()


# ---------------------------------------------------------------------------
# Iteration, caching, pools, locks


@scenario("redis-py scan_iter - 1000 keys, each seen, MATCH and COUNT")
def t_scan(env):
    r = env.client(decode_responses=True)
    with r.pipeline(transaction=False) as p:
        for i in range(1000):
            p.set(f"py:scan:{i}", i)
        p.set("py:other", 1)
        p.execute()
    seen = list(r.scan_iter(match="py:scan:*", count=100))
    check_eq("distinct keys", 1000, len(set(seen)))
    check_eq("keys", {f"py:scan:{i}" for i in range(1000)}, set(seen))
    check_eq("KEYS", 1000, len(r.keys("py:scan:*")))
    check_eq("DEL", 1000, r.delete(*seen))
    r.close()


def cache_get(r, key, load, ttl_ms):
    """The cache-aside pattern: read, and on a miss load and store with a TTL."""
    value = r.get(key)
    if value is not None:
        return value, True
    value = load()
    r.set(key, value, px=ttl_ms)
    return value, False


@scenario("redis-py cache-aside - miss, set with TTL, hit, expiry observed")
def t_cache_aside(env):
    r = env.client(decode_responses=True)
    r.delete("py:cache:user:1")
    loads = []

    def load():
        loads.append(1)
        return "alice"

    check_eq("first read", ("alice", False), cache_get(r, "py:cache:user:1", load, 60000))
    check_eq("second read", ("alice", True), cache_get(r, "py:cache:user:1", load, 60000))
    check_eq("loads", 1, len(loads))
    ttl = r.pttl("py:cache:user:1")
    check(f"PTTL in (0, 60000], got {ttl}", 0 < ttl <= 60000)
    # SET EX and a short PX: the entry disappears by itself.
    check_eq("SET EX", True, r.set("py:cache:ex", "v", ex=100))
    check("TTL after SET EX", 0 < r.ttl("py:cache:ex") <= 100)
    cache_get(r, "py:cache:short", load, 100)
    check_eq("hit before expiry", "alice", r.get("py:cache:short"))
    deadline = time.monotonic() + 3
    while r.get("py:cache:short") is not None and time.monotonic() < deadline:
        time.sleep(0.02)
    check_eq("expired after PX 100", None, r.get("py:cache:short"))
    check_eq("miss reloads", ("alice", False), cache_get(r, "py:cache:short", load, 100))
    check_eq("loads", 3, len(loads))
    r.close()


@scenario("redis-py connection pool - 8 threads x 500 INCR through 4 connections, exact total")
def t_pool(env):
    pool = redis.BlockingConnectionPool(
        host=env.host, port=env.port, max_connections=4, timeout=TIMEOUT,
        socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT)
    r = redis.Redis(connection_pool=pool)
    r.delete("py:pool:n")
    errors = []

    def work():
        try:
            for _ in range(500):
                r.incr("py:pool:n")
        except Exception as e:  # reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    check_eq("thread errors", [], errors)
    check_eq("total", b"4000", r.get("py:pool:n"))
    made = getattr(pool, "_connections", None)  # redis-py internals: checked where present
    if made is not None:
        check(f"connections made: {len(made)}", 1 <= len(made) <= 4)
    pool.disconnect()


LOCK_RELEASE_RETRIES = 10


def lock_acquire(r, name, ttl_ms, wait_s):
    """Acquires the lock NAME: SET NX PX with a random token, retried until
    wait_s runs out. Returns the token, or None."""
    token = uuid.uuid4().hex
    deadline = time.monotonic() + wait_s
    while True:
        if r.set(name, token, nx=True, px=ttl_ms):
            return token
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.01)


def lock_release(r, name, token):
    """Deletes NAME only if it still holds TOKEN: WATCH, compare, MULTI DEL
    EXEC: the same compare-and-delete as redis-py's Lock.release, without
    Lua (the Lock itself is the "redis-py Lock" scenario)."""
    with r.pipeline() as p:
        for _ in range(LOCK_RELEASE_RETRIES):
            try:
                p.watch(name)
                if p.get(name) != token.encode():
                    p.reset()
                    return False
                p.multi()
                p.delete(name)
                return p.execute() == [1]
            except redis.WatchError:
                continue
    return False


@scenario("redis-py lock - SET NX PX acquire, WATCH/MULTI compare-and-delete release")
def t_lock(env):
    r = env.client()
    r.delete("py:lock")
    token = lock_acquire(r, "py:lock", 5000, 0)
    check("acquired", token is not None)
    check_eq("second acquire fails", None, lock_acquire(r, "py:lock", 5000, 0.05))
    check_eq("release with a wrong token", False, lock_release(r, "py:lock", "not-mine"))
    check_eq("lock still held", token.encode(), r.get("py:lock"))
    check_eq("release", True, lock_release(r, "py:lock", token))
    check_eq("lock gone", None, r.get("py:lock"))
    # A lock whose holder died expires by itself.
    check("acquire with PX 100", lock_acquire(r, "py:lock", 100, 0) is not None)
    check("re-acquired after expiry", lock_acquire(r, "py:lock", 5000, 3) is not None)
    # Mutual exclusion: 4 threads x 25 critical sections doing GET+SET (not atomic
    # by itself) must not lose an update.
    r.set("py:lock:counter", 0)
    r.delete("py:lock")
    errors = []

    def work():
        c = env.client()
        try:
            for _ in range(25):
                t = lock_acquire(c, "py:lock", 5000, 10)
                if t is None:
                    errors.append("lock not acquired within 10 s")
                    return
                v = int(c.get("py:lock:counter"))
                c.set("py:lock:counter", v + 1)
                if not lock_release(c, "py:lock", t):
                    errors.append("release failed")
        except Exception as e:
            errors.append(repr(e))
        finally:
            c.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    check_eq("errors", [], errors)
    check_eq("counter", b"100", r.get("py:lock:counter"))
    r.close()


# ---------------------------------------------------------------------------
# Lua scripting: redis-py's Lock and Script objects run EVALSHA and fall back
# to SCRIPT LOAD on NOSCRIPT; a pipeline checks SCRIPT EXISTS first.


def run_threads(n, target, join_s):
    """Starts N threads running TARGET and joins each for at most JOIN_S."""
    threads = [threading.Thread(target=target) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(join_s)


@scenario("redis-py Lock - acquire, contention, extend, release, LockNotOwnedError, expiry")
def t_redis_lock(env):
    r = env.client()
    name = "py:rlock"
    r.delete(name)
    r.script_flush()  # the first release runs EVALSHA, gets NOSCRIPT, loads the script
    a = r.lock(name, timeout=5)
    check_eq("acquire", True, a.acquire(blocking=False))
    check_eq("token stored", a.local.token, r.get(name))
    b = r.lock(name, timeout=5)
    check_eq("second Lock cannot acquire", False, b.acquire(blocking=False))
    check_eq("owned", True, a.owned())
    check_eq("not owned by the other", False, b.owned())
    before = r.pttl(name)
    check(f"PTTL in (0, 5000], got {before}", 0 < before <= 5000)
    check_eq("extend(5)", True, a.extend(5))
    after = r.pttl(name)
    check(f"PTTL grew by about 5000: {before} -> {after}", before + 4000 < after <= 10000)
    check_eq("extend(1, replace_ttl=True)", True, a.extend(1, replace_ttl=True))
    ttl = r.pttl(name)
    check(f"PTTL replaced: in (0, 1000], got {ttl}", 0 < ttl <= 1000)
    check_eq("reacquire", True, a.reacquire())
    ttl = r.pttl(name)
    check(f"PTTL back to the timeout: in (1000, 5000], got {ttl}", 1000 < ttl <= 5000)
    a.release()
    check_eq("key gone after release", None, r.get(name))
    check_eq("released lock is not locked", False, a.locked())
    try:
        b.release()
        raise AssertionError("release of a never-acquired Lock did not raise")
    except redis.exceptions.LockError:
        pass

    # The holder stalls past its timeout: the key expires, another owner
    # acquires, and the first one's extend and release find a foreign token.
    stale = r.lock(name, timeout=0.1)
    check_eq("acquire with timeout 0.1", True, stale.acquire(blocking=False))
    c = r.lock(name, timeout=5, sleep=0.01, blocking_timeout=3)
    check_eq("acquired after expiry", True, c.acquire())
    for what, fn in (("extend", lambda: stale.extend(1)), ("release", stale.release)):
        try:
            fn()
            raise AssertionError(f"{what} of an expired, re-taken lock did not raise")
        except redis.exceptions.LockNotOwnedError:
            pass
    check_eq("new owner's token untouched", c.local.token, r.get(name))
    c.release()

    # The context manager: held inside the block, released after it.
    with r.lock(name, timeout=5, blocking_timeout=1) as held:
        check_eq("held inside with", held.local.token, r.get(name))
        check_eq("others cannot acquire", False, r.lock(name, timeout=5).acquire(blocking=False))
        try:
            with r.lock(name, timeout=5, sleep=0.01, blocking_timeout=0.05):
                raise AssertionError("entered a with block on a held lock")
        except redis.exceptions.LockError as e:
            check_eq("LockError on timeout", "Unable to acquire lock within the time specified", str(e))
    check_eq("released after with", None, r.get(name))
    r.close()


@scenario("redis-py Lock - 4 threads x 25 with-blocks around GET+SET, exact total")
def t_redis_lock_threads(env):
    r = env.client()
    r.set("py:rlock:counter", 0)
    r.delete("py:rlock:m")
    # One with-block here first: a server without scripts fails it at once,
    # instead of leaving the threads to wait out a lock nobody can release.
    with r.lock("py:rlock:m", timeout=5, blocking_timeout=1):
        pass
    errors = []

    def work():
        c = env.client()
        try:
            for _ in range(25):
                with c.lock("py:rlock:m", timeout=2, sleep=0.002, blocking_timeout=10):
                    v = int(c.get("py:rlock:counter"))
                    c.set("py:rlock:counter", v + 1)
        except Exception as e:
            errors.append(repr(e))
        finally:
            c.close()

    run_threads(4, work, 30)
    check_eq("errors", [], errors)
    check_eq("counter", b"100", r.get("py:rlock:counter"))
    check_eq("lock free at the end", None, r.get("py:rlock:m"))
    r.close()


# A fixed-window rate limiter: KEYS[1] counts the calls of this window,
# ARGV[1] is the limit, ARGV[2] the window in seconds. Returns 1 (allowed)
# or 0 (denied).
RATE_LIMIT_LUA = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
if n > tonumber(ARGV[1]) then
  return 0
end
return 1
"""


@scenario("redis-py register_script - rate limiter: first L allowed, SCRIPT FLUSH fallback")
def t_register_script(env):
    r = env.client(decode_responses=True)
    limiter = r.register_script(RATE_LIMIT_LUA)
    check_eq("Script.sha", hashlib.sha1(RATE_LIMIT_LUA.encode()).hexdigest(), limiter.sha)
    r.delete("py:rate:a", "py:rate:b")
    got = [limiter(keys=["py:rate:a"], args=[4, 60]) for _ in range(10)]
    check_eq("10 calls, limit 4", [1] * 4 + [0] * 6, got)
    check_eq("calls counted", "10", r.get("py:rate:a"))
    ttl = r.ttl("py:rate:a")
    check(f"window TTL in (0, 60], got {ttl}", 0 < ttl <= 60)
    check_eq("another key has its own window", 1, limiter(keys=["py:rate:b"], args=[4, 60]))
    check_eq("SCRIPT EXISTS", [True], r.script_exists(limiter.sha))
    check_eq("SCRIPT FLUSH", True, r.script_flush())
    check_eq("SCRIPT EXISTS after FLUSH", [False], r.script_exists(limiter.sha))
    # EVALSHA gets NOSCRIPT; the Script object loads itself and retries.
    check_eq("call after SCRIPT FLUSH", 0, limiter(keys=["py:rate:a"], args=[4, 60]))
    check_eq("SCRIPT EXISTS after the call", [True], r.script_exists(limiter.sha))
    check_eq("calls counted", "11", r.get("py:rate:a"))
    try:
        r.evalsha("0" * 40, 0)
        raise AssertionError("EVALSHA of an unknown sha did not raise")
    except redis.exceptions.NoScriptError as e:
        check_eq("NOSCRIPT text", "No matching script. Please use EVAL.", str(e))
    r.close()


@scenario("redis-py pipeline with a registered script - SCRIPT EXISTS/LOAD, then EVALSHA in MULTI")
def t_script_pipeline(env):
    r = env.client(decode_responses=True)
    limiter = r.register_script(RATE_LIMIT_LUA)
    r.delete("py:rate:p")
    r.script_flush()
    # The pipeline sends SCRIPT EXISTS (and SCRIPT LOAD for what is missing)
    # before MULTI, so EVALSHA inside the transaction cannot get NOSCRIPT.
    with r.pipeline(transaction=True) as p:
        for _ in range(3):
            limiter(keys=["py:rate:p"], args=[2, 60], client=p)
        p.get("py:rate:p")
        res = p.execute()
    check_eq("MULTI results", [1, 1, 0, "3"], res)
    check_eq("loaded by the pipeline", [True], r.script_exists(limiter.sha))
    with r.pipeline(transaction=False) as p:
        limiter(keys=["py:rate:p"], args=[2, 60], client=p)
        p.incr("py:rate:p")
        res = p.execute()
    check_eq("pipeline results", [0, 5], res)
    r.close()


@scenario("redis-py eval - KEYS/ARGV, nested tables, Lua-to-RESP types, error replies")
def t_eval(env):
    r = env.client(decode_responses=True)
    check_eq("KEYS and ARGV", ["k1", "k2", "a1", "a2", 2, 2],
             r.eval("return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}", 2, "k1", "k2", "a1", "a2"))
    check_eq("nested tables", [1, "two", [3, ["four", []]], "OK"],
             r.eval("return {1, 'two', {3, {'four', {}}}, redis.status_reply('OK')}", 0))
    # Numbers truncate to integers, true is 1, false and nil are nil, and a
    # nil inside a table ends the array.
    check_eq("3.99", 3, r.eval("return 3.99", 0))
    check_eq("true", 1, r.eval("return true", 0))
    check_eq("false", None, r.eval("return false", 0))
    check_eq("nil ends a table", [1, 2], r.eval("return {1, 2, nil, 4}", 0))
    check_eq("GET of a missing key is false", 1, r.eval("return redis.call('GET', KEYS[1]) == false", 1, "py:ev:none"))
    check_eq("redis.call SET", "OK", r.eval("return redis.call('SET', KEYS[1], ARGV[1])", 1, "py:ev:s", "abc"))
    check_eq("written by the script", "abc", r.get("py:ev:s"))
    binary = env.client()
    value = b"a\x00b\r\nc\xff"
    check_eq("binary ARGV through redis.call", [b"py:ev:\x00\r\n", value],
             binary.eval("redis.call('SET', KEYS[1], ARGV[1]); return {KEYS[1], redis.call('GET', KEYS[1])}",
                         1, b"py:ev:\x00\r\n", value))
    binary.close()

    def error_of(script, *args):
        try:
            r.eval(script, *args)
        except redis.ResponseError as e:
            return type(e).__name__, str(e)
        raise AssertionError(f"EVAL {script!r} did not raise")

    check_eq("redis.error_reply", ("ResponseError", "MYERR custom failure"),
             error_of("return redis.error_reply('MYERR custom failure')", 0))
    check_eq("{err=...}", ("ResponseError", "BAD thing"), error_of("return {err='BAD thing'}", 0))
    check_eq("redis.pcall returns the error", ("ResponseError", "value is not an integer or out of range"),
             error_of("return redis.pcall('INCR', KEYS[1])", 1, "py:ev:s"))
    # redis.call raises: Redis 7 appends the script's sha and line (the ERR
    # prefix is taken off by redis-py).
    failing = "return redis.call('INCR', KEYS[1])"
    sha = hashlib.sha1(failing.encode()).hexdigest()
    check_eq("redis.call error", ("ResponseError",
             f"value is not an integer or out of range script: {sha}, on @user_script:1."),
             error_of(failing, 1, "py:ev:s"))
    name, text = error_of("return (", 0)
    check(f"compile error: {text}", text.startswith("Error compiling script"))
    check_eq("numkeys > args", ("ResponseError", "Number of keys can't be greater than number of args"),
             error_of("return 1", 2, "only-one"))
    check_eq("still usable after errors", "abc", r.get("py:ev:s"))
    r.close()


# ---------------------------------------------------------------------------
# Pub/sub


def next_message(p, kinds, deadline):
    """The next message of a type in KINDS, or None when the deadline passes."""
    while time.monotonic() < deadline:
        m = p.get_message(timeout=0.1)
        if m is not None and m["type"] in kinds:
            return m
    return None


@scenario("redis-py pubsub - subscriber thread receives published messages in order")
def t_pubsub(env):
    r = env.client(decode_responses=True)
    sub = env.client(decode_responses=True)
    p = sub.pubsub()
    ready = threading.Event()
    got = queue.Queue()

    def listen():
        try:
            p.subscribe("py:chan")
            m = next_message(p, ("subscribe",), time.monotonic() + TIMEOUT)
            if m is None:
                got.put(("error", "no subscribe confirmation"))
                return
            got.put(("confirm", m))
            ready.set()
            deadline = time.monotonic() + TIMEOUT
            for _ in range(3):
                m = next_message(p, ("message",), deadline)
                got.put(("message", m))
        except Exception as e:
            got.put(("error", repr(e)))
        finally:
            ready.set()

    t = threading.Thread(target=listen)
    t.start()
    ready.wait(TIMEOUT)
    first = got.get(timeout=TIMEOUT)
    check("subscribe: " + str(first[1]), first[0] == "confirm")
    check_eq("confirmation", {"type": "subscribe", "pattern": None, "channel": "py:chan", "data": 1}, first[1])
    receivers = [r.publish("py:chan", f"m{i}") for i in range(3)]
    check_eq("PUBLISH receiver counts", [1, 1, 1], receivers)
    t.join(TIMEOUT * 2)
    msgs = [got.get(timeout=1) for _ in range(3)]
    check_eq("messages", [("message", {"type": "message", "pattern": None, "channel": "py:chan",
                                       "data": f"m{i}"}) for i in range(3)], msgs)
    check_eq("PUBLISH to a channel nobody hears", 0, r.publish("py:nobody", "x"))
    p.unsubscribe("py:chan")
    m = next_message(p, ("unsubscribe",), time.monotonic() + TIMEOUT)
    check_eq("unsubscribe confirmation", {"type": "unsubscribe", "pattern": None, "channel": "py:chan",
                                          "data": 0}, m)
    p.close()
    r.close()
    sub.close()


@scenario("redis-py pubsub - psubscribe pattern, run_in_thread handler")
def t_psubscribe(env):
    r = env.client(decode_responses=True)
    sub = env.client(decode_responses=True)
    p = sub.pubsub()
    got = queue.Queue()
    p.psubscribe(**{"py:news.*": got.put})
    m = next_message(p, ("psubscribe",), time.monotonic() + TIMEOUT)
    check_eq("psubscribe confirmation", {"type": "psubscribe", "pattern": None, "channel": "py:news.*",
                                         "data": 1}, m)
    worker = p.run_in_thread(sleep_time=0.05, daemon=True)
    try:
        check_eq("PUBLISH matching", 1, r.publish("py:news.sport", "goal"))
        check_eq("PUBLISH not matching", 0, r.publish("py:weather", "rain"))
        check_eq("PUBLISH matching", 1, r.publish("py:news.tech", "chip"))
        msgs = [got.get(timeout=TIMEOUT) for _ in range(2)]
        check_eq("pmessages", [
            {"type": "pmessage", "pattern": "py:news.*", "channel": "py:news.sport", "data": "goal"},
            {"type": "pmessage", "pattern": "py:news.*", "channel": "py:news.tech", "data": "chip"},
        ], msgs)
    finally:
        worker.stop()
        worker.join(TIMEOUT)
    p.close()
    r.close()
    sub.close()


# ---------------------------------------------------------------------------
# Authentication and protocol


@scenario("redis-py AUTH - password, wrong password, username default")
def t_auth(env):
    r = env.client(port=env.auth_port, password=env.password)
    check_eq("PING after AUTH", True, r.ping())
    check_eq("SET after AUTH", True, r.set("py:auth", "1"))
    r.close()
    r = env.client(port=env.auth_port, username="default", password=env.password)
    check_eq("PING after AUTH default PW", True, r.ping())
    whoami = r.execute_command("ACL WHOAMI")
    check_eq("ACL WHOAMI", "default", whoami.decode() if isinstance(whoami, bytes) else whoami)
    r.close()
    r = env.client(port=env.auth_port)
    try:
        r.get("py:auth")
        raise AssertionError("GET without AUTH did not raise")
    except redis.AuthenticationError as e:
        check("NOAUTH: " + str(e), "Authentication required" in str(e))
    r.close()
    r = env.client(port=env.auth_port, password="wrong")
    try:
        r.ping()
        raise AssertionError("a wrong password did not raise")
    except (redis.AuthenticationError, redis.ResponseError) as e:  # 4.x raises the latter
        check("WRONGPASS: " + str(e), "invalid username-password pair" in str(e))
    r.close()


@scenario("redis-py RESP3 - protocol=3")
def t_resp3(env):
    version = tuple(int(x) for x in redis.__version__.split(".")[:2])
    if version < (5, 0):
        raise Skip(f"redis-py {redis.__version__} has no protocol=3 (added in 5.0)")
    r = env.client(protocol=3, decode_responses=True)
    check_eq("PING", True, r.ping())
    check_eq("SET", True, r.set("py:r3", "v"))
    check_eq("GET", "v", r.get("py:r3"))
    r.close()


@scenario("redis-py client name and CLIENT commands")
def t_client_name(env):
    r = env.client(client_name="py-test", decode_responses=True)
    check_eq("CLIENT GETNAME", "py-test", r.client_getname())
    cid = r.client_id()
    check(f"CLIENT ID is an integer: {cid!r}", isinstance(cid, int) and cid > 0)
    names = [c.get("name") for c in r.client_list()]
    check(f"CLIENT LIST shows the name: {names}", "py-test" in names)
    info = r.info()
    check("INFO has redis_version", "redis_version" in info)
    r.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--auth-port", type=int, required=True)
    ap.add_argument("--password", required=True)
    env = Env(ap.parse_args())
    print(f"# redis-py {redis.__version__}", flush=True)
    env.client().flushall()
    passed = failed = skipped = 0
    for name, fn in SCENARIOS:
        start = time.monotonic()
        try:
            fn(env)
        except Skip as e:
            skipped += 1
            print(f"skip: {name}: {e}", flush=True)
            continue
        except Exception as e:
            failed += 1
            ours = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == __file__ and f.name not in ("check", "check_eq")]
            where = f" (line {ours[-1].lineno})" if ours else ""
            print(f"FAIL: {name}: {type(e).__name__}: {e}{where}", flush=True)
            continue
        passed += 1
        print(f"ok: {name} ({time.monotonic() - start:.2f} s)", flush=True)
    print(f"{passed} passed, {failed} failed, {skipped} skipped", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

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
        self.socket = args.socket

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
# Hashes, sets and bitmaps, the way applications use them: an object stored
# as a hash, a token-bucket rate limiter in Lua, cache entries invalidated by
# tag sets, daily-active-user bitmaps and BITFIELD counters.

WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"


def check_raises(what, fn, text, kind=redis.ResponseError):
    """FN must raise KIND whose text is exactly TEXT."""
    try:
        fn()
    except kind as e:
        check_eq(what, text, str(e))
        return
    raise AssertionError(f"{what}: did not raise {kind.__name__}")


@scenario("redis-py hashes - an object: hset mapping, hgetall dict, hincrby counters, WRONGTYPE")
def t_hash_object(env):
    r = env.client(decode_responses=True)
    key = "py:user:1"
    r.delete(key, "py:user:none")
    user = {"name": "Alice", "email": "alice@example.com", "visits": "0"}
    check_eq("HSET mapping", 3, r.hset(key, mapping=user))
    check_eq("HGETALL", user, r.hgetall(key))
    check_eq("HGETALL of a missing key", {}, r.hgetall("py:user:none"))
    check_eq("HGET", "Alice", r.hget(key, "name"))
    check_eq("HGET missing field", None, r.hget(key, "nope"))
    check_eq("HMGET", ["Alice", None, "0"], r.hmget(key, ["name", "nope", "visits"]))
    check_eq("HEXISTS", True, r.hexists(key, "email"))
    check_eq("HEXISTS missing", False, r.hexists(key, "nope"))
    check_eq("HLEN", 3, r.hlen(key))
    check_eq("HSTRLEN", 17, r.hstrlen(key, "email"))
    check_eq("HSETNX on an existing field", 0, r.hsetnx(key, "name", "Bob"))
    check_eq("HSETNX on a new field", 1, r.hsetnx(key, "plan", "free"))
    check_eq("HSET of an existing field counts 0", 0, r.hset(key, "plan", "pro"))
    check_eq("HINCRBY x3", [1, 2, 3], [r.hincrby(key, "visits", 1) for _ in range(3)])
    check_eq("HINCRBY negative", -2, r.hincrby(key, "visits", -5))
    check_eq("HINCRBYFLOAT", 10.5, r.hincrbyfloat(key, "balance", 10.5))
    check_eq("HINCRBYFLOAT again", 10.75, r.hincrbyfloat(key, "balance", 0.25))
    check_eq("HGET of the float", "10.75", r.hget(key, "balance"))
    check_raises("HINCRBY on a string field", lambda: r.hincrby(key, "name", 1), "hash value is not an integer")
    check_raises("HINCRBYFLOAT on a string field", lambda: r.hincrbyfloat(key, "name", 1.0),
                 "hash value is not a float")
    # A value over 64 bytes: Redis converts the listpack to a hashtable.
    bio = "likes long walks, " * 8
    check_eq("HSET a long value", 1, r.hset(key, "bio", bio))
    want = dict(user, visits="-2", plan="pro", balance="10.75", bio=bio)
    check_eq("HGETALL after the conversion", want, r.hgetall(key))
    check_eq("HKEYS", sorted(want), sorted(r.hkeys(key)))
    check_eq("HVALS", sorted(want.values()), sorted(r.hvals(key)))
    check("HRANDFIELD is a field", r.hrandfield(key) in want)
    two = r.hrandfield(key, 2)
    check(f"HRANDFIELD 2: two distinct fields, got {two}", len(set(two)) == 2 and set(two) <= set(want))
    check_eq("HRANDFIELD count > size gives every field", sorted(want), sorted(r.hrandfield(key, 100)))
    rep = r.hrandfield(key, -20)
    check(f"HRANDFIELD -20: 20 fields, repeats allowed, got {len(rep)}", len(rep) == 20 and set(rep) <= set(want))
    flat = r.hrandfield(key, 3, withvalues=True)
    pairs = dict(zip(flat[::2], flat[1::2]))
    check(f"HRANDFIELD WITHVALUES pairs: {pairs}", len(pairs) == 3 and all(want[f] == v for f, v in pairs.items()))
    check_eq("HDEL", 2, r.hdel(key, "plan", "bio", "nope"))
    check_eq("TYPE", "hash", r.type(key))
    # WRONGTYPE surfaces as a ResponseError with the full text.
    r.set("py:user:str", "v")
    check_raises("HGET on a string", lambda: r.hget("py:user:str", "f"), WRONGTYPE)
    check_raises("HSET on a string", lambda: r.hset("py:user:str", "f", "v"), WRONGTYPE)
    check_raises("GET on a hash", lambda: r.get(key), WRONGTYPE)
    check_raises("SADD on a hash", lambda: r.sadd(key, "x"), WRONGTYPE)
    # Deleting the last field deletes the key.
    check_eq("HDEL every field", 4, r.hdel(key, *r.hkeys(key)))
    check_eq("key gone with its last field", 0, r.exists(key))
    r.close()


@scenario("redis-py hscan_iter - a 1000-field hash (hashtable), each field once, MATCH, HGETALL")
def t_hash_scan(env):
    r = env.client(decode_responses=True)
    key = "py:bighash"
    r.delete(key)
    fields = {f"f:{i}": str(i * 7) for i in range(1000)}
    check_eq("one HSET with 1000 pairs", 1000, r.hset(key, mapping=fields))
    check_eq("HLEN", 1000, r.hlen(key))
    seen = {}
    repeats = 0
    for f, v in r.hscan_iter(key, count=100):
        repeats += f in seen
        seen[f] = v
    check_eq("repeats", 0, repeats)
    check_eq("HSCAN fields and values", fields, seen)
    matched = {f for f, _ in r.hscan_iter(key, match="f:99*")}
    check_eq("MATCH f:99*", {"f:99"} | {f"f:99{i}" for i in range(10)}, matched)
    check_eq("HGETALL", fields, r.hgetall(key))
    check_eq("HINCRBY in the big hash", 7, r.hincrby(key, "f:1", 0))
    check_eq("HDEL 500", 500, r.hdel(key, *[f"f:{i}" for i in range(0, 1000, 2)]))
    left = dict(r.hscan_iter(key, count=50))
    check_eq("HSCAN after HDEL", {f"f:{i}": str(i * 7) for i in range(1, 1000, 2)}, left)
    r.close()


@scenario("redis-py hashes in pipeline() and transaction() - HSET/HINCRBY/HGETALL, WRONGTYPE in place, WATCH")
def t_hash_pipeline(env):
    r = env.client(decode_responses=True)
    other = env.client(decode_responses=True)
    key = "py:cart:7"
    r.delete(key, "py:cart:str")
    with r.pipeline(transaction=True) as p:
        p.hset(key, mapping={"apple": 1, "pear": 2})
        p.hincrby(key, "apple", 10).hget(key, "apple").hgetall(key).hlen(key)
        res = p.execute()
    check_eq("MULTI results", [2, 11, "11", {"apple": "11", "pear": "2"}, 2], res)
    r.set("py:cart:str", "x")
    with r.pipeline(transaction=False) as p:
        p.hset(key, "plum", 3).hset("py:cart:str", "f", "v").hmget(key, "plum", "apple")
        res = p.execute(raise_on_error=False)
    check_eq("HSET", 1, res[0])
    check(f"WRONGTYPE kept in place: {res[1]!r}", isinstance(res[1], redis.ResponseError) and str(res[1]) == WRONGTYPE)
    check_eq("HMGET after the error", ["3", "11"], res[2])
    with r.pipeline(transaction=True) as p:
        p.hincrby(key, "apple", 1).hincrby("py:cart:str", "f", 1).hget(key, "apple")
        res = p.execute(raise_on_error=False)
    check_eq("HINCRBY in EXEC", 12, res[0])
    check(f"WRONGTYPE inside EXEC: {res[1]!r}", isinstance(res[1], redis.ResponseError) and str(res[1]) == WRONGTYPE)
    check_eq("HGET in EXEC", "12", res[2])
    # Check-and-set on one field: a write to another field of the watched
    # hash from another connection aborts EXEC, and r.transaction retries.
    attempts = []

    def take_pear(pipe):
        attempts.append(1)
        pears = int(pipe.hget(key, "pear"))
        if len(attempts) == 1:
            other.hincrby(key, "plum", 1)
        pipe.multi()
        pipe.hset(key, "pear", pears - 1)

    r.transaction(take_pear, key)
    check_eq("attempts", 2, len(attempts))
    check_eq("cart", {"apple": "12", "pear": "1", "plum": "4"}, r.hgetall(key))
    r.close()
    other.close()


# A token bucket: KEYS[1] is a hash holding the tokens left and the time of
# the last refill; ARGV is the capacity, the milliseconds per token and the
# current time in ms (passed in, so the test is deterministic). Each call
# refills whole tokens for the time elapsed, takes one if there is one, and
# returns {allowed (1 or 0), tokens left}.
TOKEN_BUCKET_LUA = """
local capacity = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens, ts = tonumber(bucket[1]), tonumber(bucket[2])
if tokens == nil then
  tokens, ts = capacity, now
elseif now > ts then
  local refill = math.floor((now - ts) / interval)
  tokens = math.min(capacity, tokens + refill)
  ts = ts + refill * interval
  if tokens == capacity then ts = now end
end
local allowed = 0
if tokens > 0 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'ts', ts)
redis.call('PEXPIRE', KEYS[1], capacity * interval)
return {allowed, tokens}
"""

BUCKET_T0 = 1700000000000  # a fixed "now" in ms
BUCKET_CAPACITY = 3
BUCKET_INTERVAL = 10000  # ms per token
# Offsets from BUCKET_T0: a burst, waits shorter and longer than a token,
# a long idle time (refill capped at the capacity) and a clock going back.
BUCKET_TIMES = [0, 0, 0, 0, 5000, 10000, 10000, 35000, 39999, 40000, 40000, 100000, 100000, 90000, 95000]
BUCKET_EXPECTED = [(1, 2), (1, 1), (1, 0), (0, 0), (0, 0), (1, 0), (0, 0), (1, 1), (1, 0), (1, 0), (0, 0),
                   (1, 2), (1, 1), (1, 0), (0, 0)]


def token_bucket_model(capacity, interval, times):
    """The script's arithmetic in Python: [(allowed, tokens left)] per call."""
    tokens = ts = None
    out = []
    for now in times:
        if tokens is None:
            tokens, ts = capacity, now
        elif now > ts:
            refill = (now - ts) // interval
            tokens = min(capacity, tokens + refill)
            ts += refill * interval
            if tokens == capacity:
                ts = now
        allowed = 1 if tokens > 0 else 0
        tokens -= allowed
        out.append((allowed, tokens))
    return out


@scenario("redis-py register_script - token-bucket rate limiter (HMGET, HSET, PEXPIRE), exact allow/deny sequence")
def t_token_bucket(env):
    r = env.client(decode_responses=True)
    bucket = r.register_script(TOKEN_BUCKET_LUA)
    model = token_bucket_model(BUCKET_CAPACITY, BUCKET_INTERVAL, BUCKET_TIMES)
    check_eq("the model", BUCKET_EXPECTED, model)
    key = "py:bucket:alice"
    r.delete(key, "py:bucket:bob")
    got = [tuple(bucket(keys=[key], args=[BUCKET_CAPACITY, BUCKET_INTERVAL, BUCKET_T0 + t])) for t in BUCKET_TIMES]
    check_eq("allow/deny and tokens left", model, got)
    check_eq("bucket state", {"tokens": "0", "ts": str(BUCKET_T0 + 100000)}, r.hgetall(key))
    ttl = r.pttl(key)
    check(f"PTTL in (0, {BUCKET_CAPACITY * BUCKET_INTERVAL}], got {ttl}", 0 < ttl <= BUCKET_CAPACITY * BUCKET_INTERVAL)
    # Two users' buckets in one pipeline: separate state.
    with r.pipeline(transaction=False) as p:
        for t in (0, 0, 0, 0):
            bucket(keys=["py:bucket:bob"], args=[2, BUCKET_INTERVAL, BUCKET_T0 + t], client=p)
        bucket(keys=[key], args=[BUCKET_CAPACITY, BUCKET_INTERVAL, BUCKET_T0 + 100000], client=p)
        res = p.execute()
    check_eq("pipelined calls", [[1, 1], [1, 0], [0, 0], [0, 0], [0, 0]], res)
    r.set("py:bucket:str", "x")
    check_raises("a bucket key holding a string",
                 lambda: bucket(keys=["py:bucket:str"], args=[3, 1000, BUCKET_T0]),
                 f"{WRONGTYPE} script: {bucket.sha}, on @user_script:5.")
    r.close()


@scenario("redis-py sets - SADD/SISMEMBER/SMISMEMBER, SINTER/SUNION/SDIFF and their STORE, SMOVE, SPOP, SRANDMEMBER")
def t_sets(env):
    r = env.client(decode_responses=True)
    a, b, c = "py:set:a", "py:set:b", "py:set:c"
    r.delete(a, b, c, "py:set:dst", "py:set:none")
    check_eq("SADD", 4, r.sadd(a, "1", "2", "3", "x"))
    check_eq("SADD existing", 1, r.sadd(a, "x", "y"))
    check_eq("SMEMBERS", {"1", "2", "3", "x", "y"}, r.smembers(a))
    check_eq("SMEMBERS of a missing key", set(), r.smembers("py:set:none"))
    check_eq("SISMEMBER", True, r.sismember(a, "x"))
    check_eq("SISMEMBER missing", False, r.sismember(a, "z"))
    check_eq("SMISMEMBER", [1, 0, 1], [int(x) for x in r.smismember(a, ["1", "z", "y"])])
    check_eq("SCARD", 5, r.scard(a))
    check_eq("SREM", 1, r.srem(a, "y", "z"))
    r.sadd(b, "2", "3", "4", "5")
    check_eq("SINTER", {"2", "3"}, r.sinter(a, b))
    check_eq("SUNION", {"1", "2", "3", "4", "5", "x"}, r.sunion(a, b))
    check_eq("SDIFF", {"1", "x"}, r.sdiff(a, b))
    check_eq("SINTERCARD", 2, r.sintercard(2, [a, b]))
    check_eq("SINTERCARD LIMIT 1", 1, r.sintercard(2, [a, b], limit=1))
    check_eq("SINTERSTORE", 2, r.sinterstore("py:set:dst", [a, b]))
    check_eq("stored", {"2", "3"}, r.smembers("py:set:dst"))
    check_eq("SUNIONSTORE", 6, r.sunionstore("py:set:dst", [a, b]))
    check_eq("SDIFFSTORE", 2, r.sdiffstore("py:set:dst", [a, b]))
    check_eq("stored diff", {"1", "x"}, r.smembers("py:set:dst"))
    check_eq("SDIFFSTORE of an empty result", 0, r.sdiffstore("py:set:dst", [a, a]))
    check_eq("an empty result deletes the destination", 0, r.exists("py:set:dst"))
    check_eq("SMOVE", True, r.smove(a, c, "x"))
    check_eq("SMOVE of a missing member", False, r.smove(a, c, "nope"))
    check_eq("after SMOVE", ({"1", "2", "3"}, {"x"}), (r.smembers(a), r.smembers(c)))
    check("SRANDMEMBER", r.srandmember(a) in {"1", "2", "3"})
    check_eq("SRANDMEMBER 10 on 3 members", ["1", "2", "3"], sorted(r.srandmember(a, 10)))
    rep = r.srandmember(a, -10)
    check(f"SRANDMEMBER -10: 10 with repeats, got {rep}", len(rep) == 10 and set(rep) <= {"1", "2", "3"})
    popped = r.spop(a, 2)
    check(f"SPOP 2: {popped}", len(set(popped)) == 2 and set(popped) <= {"1", "2", "3"})
    check_eq("left after SPOP", {"1", "2", "3"} - set(popped), r.smembers(a))
    check_eq("SPOP of the last member", ({"1", "2", "3"} - set(popped)).pop(), r.spop(a))
    check_eq("SPOP of an empty set", None, r.spop(a))
    check_eq("gone with its last member", 0, r.exists(a))
    check_eq("TYPE", "set", r.type(b))
    r.set("py:set:str", "v")
    check_raises("SADD on a string", lambda: r.sadd("py:set:str", "m"), WRONGTYPE)
    check_raises("SINTER with a string", lambda: r.sinter(b, "py:set:str"), WRONGTYPE)
    check_raises("HGET on a set", lambda: r.hget(b, "f"), WRONGTYPE)
    r.close()


@scenario("redis-py sscan_iter - a 1000-member set and a 600-integer set, each member once")
def t_set_scan(env):
    r = env.client(decode_responses=True)
    r.delete("py:bigset", "py:intset")
    members = {f"m:{i}" for i in range(1000)}
    check_eq("SADD 1000", 1000, r.sadd("py:bigset", *members))
    seen = list(r.sscan_iter("py:bigset", count=100))
    check_eq("members", members, set(seen))
    check_eq("each once", 1000, len(seen))
    check_eq("MATCH m:7*", {m for m in members if m.startswith("m:7")},
             set(r.sscan_iter("py:bigset", match="m:7*", count=100)))
    ints = {str(i) for i in range(0, 1200, 2)}
    check_eq("SADD 600 integers", 600, r.sadd("py:intset", *ints))
    check_eq("integers", ints, set(r.sscan_iter("py:intset", count=64)))
    check_eq("SMEMBERS", ints, r.smembers("py:intset"))
    check_eq("SINTERCARD of the two", 0, r.sintercard(2, ["py:bigset", "py:intset"]))
    r.close()


def tag_key(tag):
    return f"py:tag:{tag}"


def tagged_set(r, key, value, tags, ttl_s=300):
    """Caches VALUE under KEY and records KEY in each tag's set, in one
    MULTI so an entry never exists without its tags."""
    with r.pipeline(transaction=True) as p:
        p.set(key, value, ex=ttl_s)
        for t in tags:
            p.sadd(tag_key(t), key)
        return p.execute()


def invalidate_tags(r, tags, before_exec=None):
    """Deletes every entry recorded under TAGS, and the tag sets: WATCH the
    tag sets, SUNION them, then UNLINK the members and the sets in MULTI.
    An entry tagged meanwhile aborts EXEC, and r.transaction runs it again.
    Returns the keys the last attempt deleted."""
    names = [tag_key(t) for t in tags]
    doomed = []

    def txn(pipe):
        doomed[:] = sorted(pipe.sunion(names))
        if before_exec:
            before_exec()
        pipe.multi()
        if doomed:
            pipe.unlink(*doomed)
        pipe.unlink(*names)

    r.transaction(txn, *names)
    return doomed


# Invalidation as django-cacheops does it, in one script: the union of the
# tag sets (KEYS), UNLINKed in batches, then the tag sets themselves.
INVALIDATE_LUA = """
local members = redis.call('SUNION', unpack(KEYS))
for i = 1, #members, 500 do
  redis.call('UNLINK', unpack(members, i, math.min(i + 499, #members)))
end
redis.call('UNLINK', unpack(KEYS))
return #members
"""


@scenario("redis-py tag invalidation - SET + SADD tag sets in MULTI, SUNION then UNLINK under WATCH, a Lua variant")
def t_tag_invalidation(env):
    r = env.client(decode_responses=True)
    other = env.client(decode_responses=True)
    pages = {"py:page:home": ["news", "sport"], "py:page:news1": ["news"], "py:page:sport1": ["sport"],
             "py:page:about": ["static"], "py:page:shop": ["shop", "static"]}
    r.delete(*pages, *[tag_key(t) for t in ("news", "sport", "static", "shop", "none", "bulk")], "py:page:sport2")
    for key, tags in pages.items():
        check_eq(f"tagged_set {key}", [True] + [1] * len(tags), tagged_set(r, key, f"<html>{key}</html>", tags))
    check_eq("tag:news", {"py:page:home", "py:page:news1"}, r.smembers(tag_key("news")))
    check_eq("SCARD tag:static", 2, r.scard(tag_key("static")))
    check_eq("invalidate news", ["py:page:home", "py:page:news1"], invalidate_tags(r, ["news"]))
    check_eq("news pages gone", 0, r.exists("py:page:home", "py:page:news1"))
    check_eq("the others stay", 3, r.exists("py:page:sport1", "py:page:about", "py:page:shop"))
    check_eq("tag:news gone", 0, r.exists(tag_key("news")))
    check_eq("tag:sport keeps its (now stale) member", {"py:page:home", "py:page:sport1"},
             r.smembers(tag_key("sport")))
    # Another connection tags a new entry between SUNION and EXEC: the
    # WATCH on the tag set aborts EXEC and the retry deletes it too.
    attempts = []

    def race():
        attempts.append(1)
        if len(attempts) == 1:
            tagged_set(other, "py:page:sport2", "<html>late</html>", ["sport"])

    check_eq("invalidate sport", ["py:page:home", "py:page:sport1", "py:page:sport2"],
             invalidate_tags(r, ["sport"], race))
    check_eq("attempts", 2, len(attempts))
    check_eq("sport pages gone", 0, r.exists("py:page:sport1", "py:page:sport2", tag_key("sport")))
    check_eq("invalidating an unused tag", [], invalidate_tags(r, ["none"]))
    check_eq("about and shop stay", 2, r.exists("py:page:about", "py:page:shop"))
    invalidate = r.register_script(INVALIDATE_LUA)
    check_eq("Lua invalidate static", 2, invalidate(keys=[tag_key("static")]))
    check_eq("static pages gone", 0, r.exists("py:page:about", "py:page:shop", tag_key("static")))
    check_eq("tag:shop left", {"py:page:shop"}, r.smembers(tag_key("shop")))
    # 1200 entries under one tag, invalidated in batches of 500.
    with r.pipeline(transaction=False) as p:
        for i in range(1200):
            p.set(f"py:page:bulk:{i}", i, ex=300)
        p.sadd(tag_key("bulk"), *[f"py:page:bulk:{i}" for i in range(1200)])
        p.execute()
    check_eq("Lua invalidate bulk and shop", 1201, invalidate(keys=[tag_key("bulk"), tag_key("shop")]))
    check_eq("bulk gone", 0, r.exists(*[f"py:page:bulk:{i}" for i in range(0, 1200, 37)]))
    check_eq("no py:page: key left", [], list(r.scan_iter(match="py:page:*", count=500)))
    r.close()
    other.close()


# ---------------------------------------------------------------------------
# Lists, the way applications use them: a moving-window rate limiter (the
# times of the last requests, trimmed in a MULTI), a reliable work queue
# (LMOVE to a processing list, LREM when done, a reaper for dead workers),
# and the list commands through redis-py's own methods.

WINDOW_T0 = 1700000000000  # a fixed "now" in ms
WINDOW_LIMIT = 3  # requests per window
WINDOW_MS = 10000
# Offsets from WINDOW_T0: a burst, denials while it is in the window, the
# window's exact edge (19999 - 9999), a second burst, a clock going back.
WINDOW_TIMES = [0, 0, 1000, 1000, 5000, 9999, 10000, 10000, 19999, 20000, 21000, 45000, 45000, 45000, 45000,
                40000, 60000]
WINDOW_EXPECTED = [1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1]


def window_model(limit, window_ms, times):
    """The limiter in Python: [(allowed, the list after the call)] per call.
    Every attempt is logged, denied ones too."""
    log = []
    out = []
    for now in times:
        oldest = log[limit - 1] if len(log) >= limit else None
        log = ([now] + log)[:limit]
        out.append((1 if oldest is None or now - oldest >= window_ms else 0, log))
    return out


def window_allow(r, key, now_ms, limit=WINDOW_LIMIT, window_ms=WINDOW_MS, transaction=True):
    """One request of a moving-window rate limiter: KEY lists the times of the
    last LIMIT requests, newest first. In one MULTI (or a plain pipeline):
    LINDEX the oldest of them, LPUSH this request's time, LTRIM to LIMIT and
    PEXPIRE the key a window after the last request. Allowed when fewer than
    LIMIT are logged or the oldest is a window or more before NOW_MS.
    Returns (allowed, the pipeline's replies)."""
    with r.pipeline(transaction=transaction) as p:
        p.lindex(key, limit - 1).lpush(key, now_ms).ltrim(key, 0, limit - 1).pexpire(key, window_ms)
        res = p.execute()
    oldest = res[0]
    return (1 if oldest is None or now_ms - int(oldest) >= window_ms else 0), res


@scenario("redis-py moving-window rate limiter - LINDEX + LPUSH + LTRIM + PEXPIRE in MULTI, exact allow/deny sequence")
def t_list_window(env):
    r = env.client(decode_responses=True)
    model = window_model(WINDOW_LIMIT, WINDOW_MS, WINDOW_TIMES)
    check_eq("the model", WINDOW_EXPECTED, [a for a, _ in model])
    key, bob, s = "py:window:alice", "py:window:bob", "py:window:str"
    r.delete(key, bob, s)
    for i, (t, (allowed, log)) in enumerate(zip(WINDOW_TIMES, model)):
        got, res = window_allow(r, key, WINDOW_T0 + t)
        check_eq(f"call {i} (t0+{t}) allowed", allowed, got)
        check_eq(f"call {i} LPUSH, LTRIM, PEXPIRE", [min(i, WINDOW_LIMIT) + 1, True, True], res[1:])
        check_eq(f"call {i}: the list, at most {WINDOW_LIMIT}", [str(WINDOW_T0 + x) for x in log], r.lrange(key, 0, -1))
    pttl = r.pttl(key)
    check(f"PTTL in (0, {WINDOW_MS}], got {pttl}", 0 < pttl <= WINDOW_MS)
    # Another user in a plain pipeline: separate state, limit 2.
    times = [0, 1, 2, 10001, 10002, 10003]
    check_eq("the model, limit 2", [1, 1, 0, 1, 1, 0], [a for a, _ in window_model(2, WINDOW_MS, times)])
    got = [window_allow(r, bob, WINDOW_T0 + t, limit=2, transaction=False)[0] for t in times]
    check_eq("bob, limit 2", [1, 1, 0, 1, 1, 0], got)
    check_eq("bob's list", [str(WINDOW_T0 + 10003), str(WINDOW_T0 + 10002)], r.lrange(bob, 0, -1))
    # A limiter key holding a string: WRONGTYPE in place inside EXEC, PEXPIRE still runs.
    r.set(s, "x")
    with r.pipeline(transaction=True) as p:
        p.lindex(s, 2).lpush(s, 1).ltrim(s, 0, 2).pexpire(s, WINDOW_MS)
        res = p.execute(raise_on_error=False)
    check(f"WRONGTYPE in place: {res[:3]!r}",
          all(isinstance(e, redis.ResponseError) and str(e) == WRONGTYPE for e in res[:3]))
    check_eq("PEXPIRE in EXEC", True, res[3])
    check_eq("the string is untouched", "x", r.get(s))
    r.close()


def queue_take(r, jobs, processing, old_api=False):
    """Moves the oldest job of JOBS to the head of PROCESSING in one step,
    with LMOVE jobs processing RIGHT LEFT (or the older RPOPLPUSH). None when
    JOBS is empty: no blocking commands."""
    if old_api:
        return r.rpoplpush(jobs, processing)
    return r.lmove(jobs, processing, "RIGHT", "LEFT")


def queue_reap(r, jobs, processing):
    """Gives the jobs of dead workers back: LRANGE shows what is in
    PROCESSING, and LMOVE processing jobs RIGHT RIGHT puts each, oldest
    first, at the end of JOBS that is served next. Returns (seen, moved)."""
    seen = r.lrange(processing, 0, -1)
    moved = [r.lmove(processing, jobs, "RIGHT", "RIGHT") for _ in seen]
    return seen, moved


@scenario("redis-py reliable queue - LPUSH, LMOVE/RPOPLPUSH to processing, LREM, a dead worker's job reaped")
def t_list_queue(env):
    r = env.client(decode_responses=True)
    jobs, processing = "py:jobs", "py:jobs:processing"
    r.delete(jobs, processing)
    check_eq("LPUSH 3 jobs", 3, r.lpush(jobs, "job:1", "job:2", "job:3"))
    check_eq("LPUSH", 4, r.lpush(jobs, "job:4"))
    check_eq("LPUSH", 5, r.lpush(jobs, "job:5"))
    check_eq("the queue, newest first", [f"job:{i}" for i in range(5, 0, -1)], r.lrange(jobs, 0, -1))
    done = []
    job = queue_take(r, jobs, processing, old_api=True)
    check_eq("RPOPLPUSH takes the oldest", "job:1", job)
    check_eq("held in processing", ["job:1"], r.lrange(processing, 0, -1))
    done.append(job)
    check_eq("LREM when done", 1, r.lrem(processing, 1, job))
    check_eq("LMOVE takes the next", "job:2", queue_take(r, jobs, processing))
    done.append("job:2")
    check_eq("LREM", 1, r.lrem(processing, 1, "job:2"))
    # A worker takes job:3 and dies before its LREM.
    check_eq("the dying worker's job", "job:3", queue_take(r, jobs, processing))
    check_eq("LLEN jobs, processing", (2, 1), (r.llen(jobs), r.llen(processing)))
    check_eq("reaper: LRANGE, LMOVE back", (["job:3"], ["job:3"]), queue_reap(r, jobs, processing))
    check_eq("processing gone", 0, r.exists(processing))
    check_eq("job:3 is served next", "job:3", r.lindex(jobs, -1))
    for _ in range(10):
        job = queue_take(r, jobs, processing)
        if job is None:
            break
        done.append(job)
        check_eq(f"LREM {job}", 1, r.lrem(processing, 1, job))
    check_eq("each job once, in order", [f"job:{i}" for i in range(1, 6)], done)
    check_eq("LMOVE of an empty queue", None, queue_take(r, jobs, processing))
    check_eq("RPOPLPUSH of an empty queue", None, queue_take(r, jobs, processing, old_api=True))
    check_eq("LREM of a job not held", 0, r.lrem(processing, 1, "job:1"))
    check_eq("both lists gone", 0, r.exists(jobs, processing))
    r.close()


@scenario("redis-py reliable queue - 2 producer and 4 worker threads, one worker dies, exactly once")
def t_list_queue_threads(env):
    r = env.client(decode_responses=True)
    jobs, processing = "py:tjobs", "py:tjobs:processing"
    r.delete(jobs, processing)
    all_jobs = [f"p{p}:{i}" for p in range(2) for i in range(100)]
    done, errors, crashed = [], [], []
    producing = threading.Barrier(2 + 1)  # both producers, then the main thread, have finished
    produced = threading.Event()
    lock = threading.Lock()

    def produce(p):
        c = env.client(decode_responses=True)
        try:
            for i in range(100):
                c.lpush(jobs, f"p{p}:{i}")
        except Exception as e:
            errors.append(repr(e))
        finally:
            c.close()
            producing.wait(10)

    def work(n, dies=False):
        c = env.client(decode_responses=True)
        try:
            deadline = time.monotonic() + 20
            for _ in range(5000):
                job = queue_take(c, jobs, processing)
                if job is None:
                    if (produced.is_set() and not dies) or time.monotonic() > deadline:
                        return
                    time.sleep(0.001)
                    continue
                if dies:
                    crashed.append(job)  # taken, never acknowledged
                    return
                with lock:
                    done.append(job)
                if c.lrem(processing, 1, job) != 1:
                    errors.append(f"worker {n}: LREM {job} did not remove it")
            errors.append(f"worker {n}: not done in 5000 rounds")
        except Exception as e:
            errors.append(repr(e))
        finally:
            c.close()

    # The producers start, then a worker that dies holding the first job it
    # gets, then three that work while the producers still push.
    threads = [threading.Thread(target=produce, args=(p,)) for p in range(2)]
    threads.append(threading.Thread(target=work, args=(0, True)))
    for t in threads:
        t.start()
    threads[-1].join(20)
    check_eq("the dead worker took one job", 1, len(crashed))
    threads += [threading.Thread(target=work, args=(n,)) for n in range(1, 4)]
    for t in threads[3:]:
        t.start()
    producing.wait(10)
    produced.set()
    for t in threads:
        t.join(30)
    check_eq("errors", [], errors)
    check_eq("in processing: the dead worker's job only", crashed, r.lrange(processing, 0, -1))
    check_eq("reaper", (crashed, crashed), queue_reap(r, jobs, processing))
    work(4)
    check_eq("errors", [], errors)
    counts = {}
    for j in done:
        counts[j] = counts.get(j, 0) + 1
    check_eq("jobs processed more than once (the first 5)", [], sorted(j for j, n in counts.items() if n != 1)[:5])
    check_eq("jobs never processed (the first 5)", [], sorted(set(all_jobs) - set(counts))[:5])
    check_eq("jobs processed", len(all_jobs), len(done))
    check_eq("both lists gone", 0, r.exists(jobs, processing))
    r.close()


@scenario("redis-py lists - push, pop with count, lrange/lindex/lset/linsert/lrem/ltrim, lpos RANK/COUNT/MAXLEN, lmpop, lmove")
def t_lists(env):
    r = env.client(decode_responses=True)
    other = env.client(decode_responses=True)
    key, key2, pos, big, s, none = "py:list", "py:list:2", "py:list:pos", "py:list:big", "py:list:str", "py:list:none"
    r.delete(key, key2, pos, big, s, none)
    check_eq("RPUSH 2", 2, r.rpush(key, "x", "y"))
    check_eq("LPUSH 2: each to the head", 4, r.lpush(key, "w", "v"))
    check_eq("LPUSHX", 5, r.lpushx(key, "u"))
    check_eq("RPUSHX", 6, r.rpushx(key, "z"))
    check_eq("LPUSHX, RPUSHX of a missing key", (0, 0, 0), (r.lpushx(none, "a"), r.rpushx(none, "a"), r.exists(none)))
    check_eq("LRANGE", ["u", "v", "w", "x", "y", "z"], r.lrange(key, 0, -1))
    check_eq("LRANGE ranges", [["v", "w"], ["y", "z"], ["z"], [], []],
             [r.lrange(key, 1, 2), r.lrange(key, -2, -1), r.lrange(key, 5, 100), r.lrange(key, 10, 20),
              r.lrange(key, 3, 2)])
    check_eq("LRANGE of a missing key", [], r.lrange(none, 0, -1))
    check_eq("LLEN", (6, 0), (r.llen(key), r.llen(none)))
    check_eq("LINDEX", ["u", "z", "x", None, None], [r.lindex(key, i) for i in (0, -1, 3, 6, -7)])
    check_eq("LSET", True, r.lset(key, 1, "V"))
    check_raises("LSET out of range", lambda: r.lset(key, 6, "no"), "index out of range")
    check_raises("LSET of a missing key", lambda: r.lset(none, 0, "no"), "no such key")
    check_eq("LINSERT BEFORE", 7, r.linsert(key, "BEFORE", "x", "x0"))
    check_eq("LINSERT AFTER", 8, r.linsert(key, "AFTER", "z", "z1"))
    check_eq("LINSERT with a missing pivot", -1, r.linsert(key, "AFTER", "nope", "q"))
    check_eq("LINSERT into a missing key", 0, r.linsert(none, "AFTER", "x", "q"))
    check_eq("after LSET and LINSERT", ["u", "V", "w", "x0", "x", "y", "z", "z1"], r.lrange(key, 0, -1))
    # LPOP/RPOP: an element without a count, a list with one; an empty list
    # for COUNT 0 of a list, None for a missing key.
    check_eq("LPOP", "u", r.lpop(key))
    check_eq("LPOP 2", ["V", "w"], r.lpop(key, 2))
    check_eq("RPOP 2", ["z1", "z"], r.rpop(key, 2))
    check_eq("RPOP", "y", r.rpop(key))
    check_eq("LPOP 0", [], r.lpop(key, 0))
    check_eq("LPOP 2, RPOP, RPOP 2 of a missing key", [None, None, None],
             [r.lpop(none, 2), r.rpop(none), r.rpop(none, 2)])
    check_eq("left", ["x0", "x"], r.lrange(key, 0, -1))
    # LPOS: RANK picks the n-th match (negative: from the tail), COUNT 0 all
    # of them, MAXLEN looks at that many elements only.
    check_eq("RPUSH", 7, r.rpush(pos, "a", "b", "c", "a", "b", "c", "a"))
    check_eq("LPOS", 0, r.lpos(pos, "a"))
    check_eq("LPOS RANK 2, -1, -2", [3, 6, 3], [r.lpos(pos, "a", rank=k) for k in (2, -1, -2)])
    check_eq("LPOS COUNT 0, COUNT 2", [[0, 3, 6], [0, 3]], [r.lpos(pos, "a", count=0), r.lpos(pos, "a", count=2)])
    check_eq("LPOS RANK -1 COUNT 2", [6, 3], r.lpos(pos, "a", rank=-1, count=2))
    check_eq("LPOS RANK 2 COUNT 0", [3, 6], r.lpos(pos, "a", rank=2, count=0))
    check_eq("LPOS COUNT 0 MAXLEN 4", [0, 3], r.lpos(pos, "a", count=0, maxlen=4))
    check_eq("LPOS RANK -1 COUNT 0 MAXLEN 2", [6], r.lpos(pos, "a", rank=-1, count=0, maxlen=2))
    check_eq("LPOS MAXLEN 1 of a later element", None, r.lpos(pos, "c", maxlen=1))
    check_eq("LPOS of no match: None, or [] with COUNT", [None, [], None], [r.lpos(pos, "z"), r.lpos(pos, "z", count=1),
                                                                          r.lpos(pos, "a", rank=4)])
    check_eq("LPOS of a missing key", [None, []], [r.lpos(none, "a"), r.lpos(none, "a", count=0)])
    check_raises("LPOS RANK 0", lambda: r.lpos(pos, "a", rank=0),
                 "RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
                 "or use negative to start from the end of the list")
    check_raises("LPOS COUNT -1", lambda: r.lpos(pos, "a", count=-1), "COUNT can't be negative")
    # LREM: COUNT > 0 from the head, < 0 from the tail, 0 every one.
    check_eq("LREM 1 a", 1, r.lrem(pos, 1, "a"))
    check_eq("LREM -1 c", 1, r.lrem(pos, -1, "c"))
    check_eq("after LREM", ["b", "c", "a", "b", "a"], r.lrange(pos, 0, -1))
    check_eq("LREM 0 b, LREM of no match", (2, 0), (r.lrem(pos, 0, "b"), r.lrem(pos, 0, "zz")))
    check_eq("LTRIM 1 -1", True, r.ltrim(pos, 1, -1))
    check_eq("after LTRIM", ["a", "a"], r.lrange(pos, 0, -1))
    check_eq("LTRIM to nothing deletes the key", (True, 0), (r.ltrim(pos, 5, 1), r.exists(pos)))
    # LMPOP: the first non-empty list of the keys given, as [key, elements].
    check_eq("LMPOP LEFT", [key, ["x0"]], r.lmpop(2, none, key, direction="LEFT"))
    check_eq("RPUSH", 3, r.rpush(key2, "1", "2", "3"))
    check_eq("LMPOP RIGHT COUNT 5", [key2, ["3", "2", "1"]], r.lmpop(3, none, key2, key, direction="RIGHT", count=5))
    check_eq("the emptied list is gone", 0, r.exists(key2))
    check_eq("LMPOP of missing keys", None, r.lmpop(2, none, key2, direction="LEFT"))
    check_raises("LMPOP COUNT 0", lambda: r.lmpop(1, key, direction="LEFT", count=0), "count should be greater than 0")
    # LMOVE between lists and onto the same list (a rotation), RPOPLPUSH.
    r.rpush(key2, "1", "2", "3")
    check_eq("LMOVE LEFT RIGHT", "1", r.lmove(key2, key, "LEFT", "RIGHT"))
    check_eq("LMOVE of a list onto itself rotates it", "x", r.lmove(key, key, "LEFT", "RIGHT"))
    check_eq("RPOPLPUSH", "3", r.rpoplpush(key2, key))
    check_eq("after LMOVE", (["3", "1", "x"], ["2"]), (r.lrange(key, 0, -1), r.lrange(key2, 0, -1)))
    check_eq("LMOVE of a missing key", None, r.lmove(none, key))
    check_eq("LMOVE the last element", "2", r.lmove(key2, key, "RIGHT", "LEFT"))
    check_eq("source gone", 0, r.exists(key2))
    check_eq("TYPE", "list", r.type(key))
    # 1000 elements and one over 64 bytes: LINDEX, LSET, LPOS, LREM inside.
    values = [f"v:{i}" for i in range(1000)]
    check_eq("RPUSH 1000", 1000, r.rpush(big, *values))
    check_eq("LRANGE of 1000", values, r.lrange(big, 0, -1))
    check_eq("LINDEX 500, -1", ["v:500", "v:999"], [r.lindex(big, 500), r.lindex(big, -1)])
    long = "a long element, " * 8
    check_eq("LSET a long element", True, r.lset(big, 500, long))
    check_eq("LPOS of it", [500], r.lpos(big, long, count=0))
    check_eq("LINSERT after it", 1001, r.linsert(big, "AFTER", long, "after-long"))
    check_eq("LRANGE 499-502", ["v:499", long, "after-long", "v:501"], r.lrange(big, 499, 502))
    check_eq("LREM it", 1, r.lrem(big, 0, long))
    check_eq("LPOS MAXLEN 100 of an element past it", None, r.lpos(big, "v:200", maxlen=100))
    check_eq("LTRIM to 10", True, r.ltrim(big, -10, -1))
    check_eq("the last 10", values[990:], r.lrange(big, 0, -1))
    # Binary elements.
    b = env.client()
    elem = b"a\x00b\r\nc\xff"
    check_eq("RPUSH binary", 2, b.rpush(b"py:list:bin", elem, b"\r\n"))
    check_eq("LRANGE binary", [elem, b"\r\n"], b.lrange(b"py:list:bin", 0, -1))
    check_eq("LPOS binary", 1, b.lpos(b"py:list:bin", b"\r\n"))
    b.delete(b"py:list:bin")
    b.close()
    # WATCH on a list: another connection's RPUSH aborts EXEC, r.transaction retries.
    attempts = []

    def drain(pipe):
        attempts.append(1)
        items = pipe.lrange(key, 0, -1)
        if len(attempts) == 1:
            other.rpush(key, "late")
        pipe.multi()
        pipe.delete(key)
        pipe.rpush(key2, *items)

    r.transaction(drain, key)
    check_eq("attempts", 2, len(attempts))
    check_eq("moved, the late element too", (0, ["2", "3", "1", "x", "late"]), (r.exists(key), r.lrange(key2, 0, -1)))
    # WRONGTYPE as a ResponseError with the full text, both ways.
    r.set(s, "v")
    check_raises("LPUSH on a string", lambda: r.lpush(s, "a"), WRONGTYPE)
    check_raises("LRANGE on a string", lambda: r.lrange(s, 0, -1), WRONGTYPE)
    check_raises("LPOP on a string", lambda: r.lpop(s, 2), WRONGTYPE)
    check_raises("LPOS on a string", lambda: r.lpos(s, "a"), WRONGTYPE)
    check_raises("LMOVE to a string", lambda: r.lmove(key2, s), WRONGTYPE)
    check_raises("LMPOP of a string", lambda: r.lmpop(2, none, s, direction="LEFT"), WRONGTYPE)
    check_raises("GET on a list", lambda: r.get(key2), WRONGTYPE)
    check_eq("the list is untouched", ["2", "3", "1", "x", "late"], r.lrange(key2, 0, -1))
    r.close()
    other.close()


def bits_of(data):
    """The offsets of the set bits of a bitmap read with GET (bit 0 is the
    most significant bit of the first byte)."""
    return {i * 8 + j for i, byte in enumerate(data) for j in range(8) if byte & (0x80 >> j)}


@scenario("redis-py bitmaps - daily active users and feature flags: SETBIT/GETBIT/BITCOUNT/BITPOS/BITOP")
def t_bitmaps(env):
    r = env.client()
    d1, d2 = "py:dau:2024-05-01", "py:dau:2024-05-02"
    r.delete(d1, d2, "py:dau:both", "py:dau:any", "py:dau:not2", "py:dau:churn", "py:dau:xor", "py:flags:beta",
             "py:ids", "py:dau:hash")
    day1 = {1, 5, 7, 100, 1000, 4095}
    day2 = {5, 7, 8, 100, 9999}
    check_eq("SETBIT day 1", [0] * 6, [r.setbit(d1, u, 1) for u in sorted(day1)])
    check_eq("SETBIT again returns the old bit", 1, r.setbit(d1, 5, 1))
    with r.pipeline(transaction=False) as p:
        for u in sorted(day2):
            p.setbit(d2, u, 1)
        p.execute()
    check_eq("BITCOUNT day 1", 6, r.bitcount(d1))
    check_eq("BITCOUNT day 2", 5, r.bitcount(d2))
    check_eq("GETBIT", [1, 0, 0], [r.getbit(d1, 5), r.getbit(d1, 6), r.getbit(d1, 1 << 20)])
    check_eq("STRLEN", (512, 1250), (r.strlen(d1), r.strlen(d2)))
    check_eq("users of day 1 from GET", day1, bits_of(r.get(d1)))
    check_eq("BITCOUNT of byte 0", 3, r.bitcount(d1, 0, 0))
    check_eq("BITCOUNT of the last byte", 1, r.bitcount(d1, -1, -1))
    check_eq("BITCOUNT of bits 0-99", 3, r.bitcount(d1, 0, 99, "BIT"))
    check_eq("BITCOUNT of bits 0-100", 4, r.bitcount(d1, 0, 100, "BIT"))
    check_eq("BITPOS first user", 1, r.bitpos(d1, 1))
    check_eq("BITPOS first absent user", 0, r.bitpos(d1, 0))
    check_eq("BITPOS from byte 1", 100, r.bitpos(d1, 1, 1))
    check_eq("BITPOS from bit 6", 7, r.bitpos(d1, 1, 6, 2000, "BIT"))
    check_eq("BITPOS of a missing key", -1, r.bitpos("py:dau:none", 1))
    # Retention and reach: AND, OR, XOR, NOT (the reply is the result's length).
    check_eq("BITOP AND", 1250, r.bitop("AND", "py:dau:both", d1, d2))
    check_eq("both days", {5, 7, 100}, bits_of(r.get("py:dau:both")))
    check_eq("BITOP OR", 1250, r.bitop("OR", "py:dau:any", d1, d2))
    check_eq("BITCOUNT either day", len(day1 | day2), r.bitcount("py:dau:any"))
    check_eq("BITOP XOR", 1250, r.bitop("XOR", "py:dau:xor", d1, d2))
    check_eq("one day only", day1 ^ day2, bits_of(r.get("py:dau:xor")))
    check_eq("BITOP NOT", 1250, r.bitop("NOT", "py:dau:not2", d2))
    check_eq("BITCOUNT NOT", 1250 * 8 - 5, r.bitcount("py:dau:not2"))
    r.bitop("AND", "py:dau:churn", d1, "py:dau:not2")
    check_eq("day 1 but not day 2", day1 - day2, bits_of(r.get("py:dau:churn")))
    # Feature flags: one bit per user id, read back in a pipeline.
    beta = {3, 42, 4242}
    for u in beta:
        r.setbit("py:flags:beta", u, 1)
    with r.pipeline(transaction=False) as p:
        for u in range(0, 5000, 1):
            p.getbit("py:flags:beta", u)
        flags = p.execute()
    check_eq("flagged users", beta, {u for u, f in enumerate(flags) if f})
    # An id allocator: BITPOS 0 finds the first free id, SETBIT takes it.
    r.set("py:ids", b"\xff\xff")  # ids 0-15 taken
    check_eq("BITPOS 0 of an all-ones string: the bit past its end", 16, r.bitpos("py:ids", 0))
    check_eq("... but -1 with an explicit end", -1, r.bitpos("py:ids", 0, 0, -1))
    taken = []
    for _ in range(3):
        free = r.bitpos("py:ids", 0)
        r.setbit("py:ids", free, 1)
        taken.append(free)
    check_eq("ids allocated", [16, 17, 18], taken)
    check_eq("id 5 released", 1, r.setbit("py:ids", 5, 0))
    check_eq("the first free id", 5, r.bitpos("py:ids", 0))
    check_raises("SETBIT offset out of range", lambda: r.setbit(d1, 1 << 32, 1),
                 "bit offset is not an integer or out of range")
    r.hset("py:dau:hash", "f", "v")
    check_raises("SETBIT on a hash", lambda: r.setbit("py:dau:hash", 1, 1), WRONGTYPE)
    check_raises("BITCOUNT on a hash", lambda: r.bitcount("py:dau:hash"), WRONGTYPE)
    check_raises("BITOP with a hash", lambda: r.bitop("OR", "py:dau:x", d1, "py:dau:hash"), WRONGTYPE)
    r.close()


def incr_bits(r, key, *indexes, size=1, by=1):
    """cashews' incr_bits: saturating unsigned SIZE-bit counters at #index,
    sent as BITFIELD key OVERFLOW SAT INCRBY u<size> #i <by> ..."""
    ops = r.bitfield(key)
    for i in indexes:
        ops.incrby(f"u{size}", f"#{i}", by, overflow="SAT")
    return tuple(ops.execute())


def get_bits(r, key, *indexes, size=1):
    """cashews' get_bits: BITFIELD key GET u<size> #i ..."""
    ops = r.bitfield(key)
    for i in indexes:
        ops.get(f"u{size}", f"#{i}")
    return tuple(ops.execute())


@scenario("redis-py bitfield - u32 counters, OVERFLOW SAT/WRAP/FAIL with r.bitfield(), cashews' incr_bits, BITFIELD_RO, LCS")
def t_bitfield(env):
    r = env.client()
    key = "py:bf:hits"
    r.delete(key, "py:bf:sat", "py:bf:nib", "py:bf:u1", "py:bf:u4", "py:bf:set", "py:lcs:a", "py:lcs:b")
    # Hourly hit counters: one u32 per hour, #n is the n-th counter.
    check_eq("INCRBY u32 #3, #3, #7", [1, 2, 1],
             r.bitfield(key).incrby("u32", "#3", 1).incrby("u32", "#3", 1).incrby("u32", "#7", 1).execute())
    check_eq("STRLEN: 8 counters", 32, r.strlen(key))
    raw = r.get(key)
    check_eq("big-endian counters", [0, 0, 0, 2, 0, 0, 0, 1],
             [int.from_bytes(raw[i:i + 4], "big") for i in range(0, 32, 4)])
    check_eq("GET u32 #3 #7", [2, 1], r.bitfield(key).get("u32", "#3").get("u32", "#7").execute())
    check_eq("BITFIELD_RO", [2, 0], r.execute_command("BITFIELD_RO", key, "GET", "u32", "#3", "GET", "u32", "#0"))
    # Overflow behaviours, set with the builder's default_overflow or overflow().
    sat = r.bitfield("py:bf:sat", default_overflow="SAT")
    check_eq("u8 SAT", [200, 255, 255], sat.incrby("u8", "#0", 200).incrby("u8", "#0", 100).incrby("u8", "#0", 1).execute())
    check_eq("i8 SAT", [-100, -128], r.bitfield("py:bf:sat").overflow("SAT").incrby("i8", "#1", -100)
             .incrby("i8", "#1", -100).execute())
    check_eq("u8 WRAP", [200, 44], r.bitfield("py:bf:sat").overflow("WRAP").incrby("u8", "#2", 200)
             .incrby("u8", "#2", 100).execute())
    check_eq("u8 FAIL", [250, None, 250], r.bitfield("py:bf:sat").overflow("FAIL").incrby("u8", "#3", 250)
             .incrby("u8", "#3", 10).get("u8", "#3").execute())
    check_eq("SET returns the old value", [255, 7], r.bitfield("py:bf:sat").set("u8", "#0", 7).get("u8", "#0").execute())
    check_eq("u4 at bit 4 (not byte aligned)", [0, 0x0f, 0x7f],
             r.bitfield("py:bf:nib").set("u4", 4, 15).get("u8", 0).incrby("u8", 0, 0x70).execute())
    check_eq("bytes", b"\x07\x80\x2c\xfa", r.get("py:bf:sat"))
    # cashews' counters: 1-bit (a Bloom-filter-like bitmap) and 4-bit ones.
    check_eq("incr_bits u1", (1, 1, 1), incr_bits(r, "py:bf:u1", 0, 3, 5))
    check_eq("incr_bits u1 saturates", (1, 1), incr_bits(r, "py:bf:u1", 0, 3))
    check_eq("get_bits u1", (1, 0, 1, 1, 0), get_bits(r, "py:bf:u1", 0, 1, 3, 5, 100))
    check_eq("the u1 bitmap", b"\x94", r.get("py:bf:u1"))
    check_eq("incr_bits u4 by 10, twice", [(10,), (15,)], [incr_bits(r, "py:bf:u4", 2, size=4, by=10) for _ in range(2)])
    check_eq("get_bits u4", (0, 15), get_bits(r, "py:bf:u4", 0, 2, size=4))
    r.sadd("py:bf:set", "m")
    check_raises("BITFIELD on a set", lambda: r.bitfield("py:bf:set").get("u8", 0).execute(), WRONGTYPE)
    # LCS: the longest common subsequence of two strings.
    r.mset({"py:lcs:a": "ohmytext", "py:lcs:b": "mynewtext"})
    check_eq("LCS", b"mytext", r.lcs("py:lcs:a", "py:lcs:b"))
    check_eq("LCS LEN", 6, r.lcs("py:lcs:a", "py:lcs:b", len=True))
    check_eq("LCS IDX MINMATCHLEN WITHMATCHLEN", [b"matches", [[[4, 7], [5, 8], 4]], b"len", 6],
             r.lcs("py:lcs:a", "py:lcs:b", idx=True, minmatchlen=4, withmatchlen=True))
    r.close()


# ---------------------------------------------------------------------------
# Sorted sets, blocking commands and functions, the way applications use
# them: a sliding-window rate limiter on a sorted set (a Lua script, and a
# MULTI without Lua), a job queue served by blocking workers (BRPOP, and
# BLMOVE into a processing list), a leaderboard with a BZPOPMIN consumer, and
# a Redis 7 function library called with FCALL / FCALL_RO.

# A sliding-window rate limiter as cache libraries write it: KEYS[1] is a
# sorted set of the times of the requests allowed in the window (score: the
# time in ms). ARGV: now (ms), the window (ms), the limit and a member unique
# to this request. Drops the times a window or more before now, counts the
# rest, and logs this request only when it is allowed. Returns {allowed (1 or
# 0), requests in the window after this one}. The same text as the Node suite's.
ZWINDOW_LUA = """
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, count + 1}
end
return {0, count}
"""

ZWINDOW_LIMIT = 3
ZWINDOW_MS = 10000
# Offsets from WINDOW_T0: a burst, denials, the window's exact edges (a time
# leaves the window when now - window reaches it; for the script 9999 is
# denied, 10000 allowed, 10999 denied, 11000 allowed), a clock going back, a
# long idle time.
ZWINDOW_TIMES = [0, 0, 1000, 1000, 5000, 9999, 10000, 10000, 10999, 11000, 11000, 20999, 21000, 30000, 25000,
                 45000, 45000]
# The script logs allowed requests only; the MULTI variant logs every attempt,
# so a client that keeps trying stays denied.
ZWINDOW_EXPECTED = [1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1]
ZWINDOW_EXPECTED_ALL = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1]


def zwindow_model(limit, window_ms, times, log_denied=False):
    """The limiter in Python: [(allowed, removed, [(member, time)] after the
    call, in ZRANGE order)] per call; call i's member is "<now>:<i>"."""
    log = []
    out = []
    for i, now in enumerate(times):
        kept = [(m, t) for m, t in log if t > now - window_ms]
        removed = len(log) - len(kept)
        allowed = 1 if len(kept) < limit else 0
        log = sorted(kept + [(f"{now}:{i}", now)] if allowed or log_denied else kept, key=lambda e: (e[1], e[0]))
        out.append((allowed, removed, log))
    return out


def zwindow_multi(r, key, now_ms, member, limit=ZWINDOW_LIMIT, window_ms=ZWINDOW_MS, transaction=True):
    """The limiter without Lua: in one MULTI (or a plain pipeline)
    ZREMRANGEBYSCORE key -inf now-window, ZCARD, ZADD key now member, PEXPIRE.
    Allowed when ZCARD (before the ZADD) is under the limit. Returns
    (allowed, the pipeline's replies)."""
    with r.pipeline(transaction=transaction) as p:
        p.zremrangebyscore(key, "-inf", now_ms - window_ms).zcard(key).zadd(key, {member: now_ms}).pexpire(key, window_ms)
        res = p.execute()
    return (1 if res[1] < limit else 0), res


@scenario("redis-py sliding-window rate limiter on a sorted set - register_script (ZREMRANGEBYSCORE, ZCARD, ZADD, PEXPIRE), exact sequence")
def t_zset_window(env):
    r = env.client(decode_responses=True)
    limiter = r.register_script(ZWINDOW_LUA)
    model = zwindow_model(ZWINDOW_LIMIT, ZWINDOW_MS, [WINDOW_T0 + t for t in ZWINDOW_TIMES])
    check_eq("the model", ZWINDOW_EXPECTED, [a for a, _, _ in model])
    key, s = "py:zwindow:alice", "py:zwindow:str"
    r.delete(key, s)
    for i, (t, (allowed, _, log)) in enumerate(zip(ZWINDOW_TIMES, model)):
        now = WINDOW_T0 + t
        got = limiter(keys=[key], args=[now, ZWINDOW_MS, ZWINDOW_LIMIT, f"{now}:{i}"])
        check_eq(f"call {i} (t0+{t}): allowed, in the window", [allowed, len(log)], got)
        check_eq(f"call {i}: ZRANGE WITHSCORES", [(m, float(t)) for m, t in log], r.zrange(key, 0, -1, withscores=True))
    pttl = r.pttl(key)
    check(f"PTTL in (0, {ZWINDOW_MS}], got {pttl}", 0 < pttl <= ZWINDOW_MS)
    check_eq("ZSCORE of the newest", float(WINDOW_T0 + 45000), r.zscore(key, f"{WINDOW_T0 + 45000}:16"))
    r.set(s, "x")
    check_raises("a limiter key holding a string",
                 lambda: limiter(keys=[s], args=[WINDOW_T0, ZWINDOW_MS, ZWINDOW_LIMIT, "m"]),
                 f"{WRONGTYPE} script: {limiter.sha}, on @user_script:4.")
    r.close()


@scenario("redis-py sliding-window rate limiter on a sorted set - ZREMRANGEBYSCORE + ZCARD + ZADD + PEXPIRE in MULTI, exact sequence")
def t_zset_window_multi(env):
    r = env.client(decode_responses=True)
    model = zwindow_model(ZWINDOW_LIMIT, ZWINDOW_MS, [WINDOW_T0 + t for t in ZWINDOW_TIMES], log_denied=True)
    check_eq("the model", ZWINDOW_EXPECTED_ALL, [a for a, _, _ in model])
    key, bob = "py:zwindow:multi", "py:zwindow:bob"
    r.delete(key, bob)
    for i, (t, (allowed, removed, log)) in enumerate(zip(ZWINDOW_TIMES, model)):
        now = WINDOW_T0 + t
        got, res = zwindow_multi(r, key, now, f"{now}:{i}")
        check_eq(f"call {i} (t0+{t}) allowed", allowed, got)
        check_eq(f"call {i}: ZREMRANGEBYSCORE, ZCARD, ZADD, PEXPIRE", [removed, len(log) - 1, 1, True], res)
        check_eq(f"call {i}: ZRANGE", [m for m, _ in log], r.zrange(key, 0, -1))
    # Another user, limit 2, in a plain pipeline: separate state.
    times = [0, 1, 2, 10000, 10001, 10002, 20002]
    model = zwindow_model(2, ZWINDOW_MS, times, log_denied=True)
    check_eq("the model, limit 2", [1, 1, 0, 0, 0, 0, 1], [a for a, _, _ in model])
    got = [zwindow_multi(r, bob, WINDOW_T0 + t, f"{WINDOW_T0 + t}:{i}", limit=2, transaction=False)[0]
           for i, t in enumerate(times)]
    check_eq("bob, limit 2", [1, 1, 0, 0, 0, 0, 1], got)
    check_eq("bob's sorted set", [f"{WINDOW_T0 + 20002}:6"], r.zrange(bob, 0, -1))
    r.close()


def blocked_clients(r, n, wait_s=TIMEOUT):
    """INFO's blocked_clients once it is at least N (or WAIT_S has passed)."""
    deadline = time.monotonic() + wait_s
    while True:
        got = r.info("clients")["blocked_clients"]
        if got >= n or time.monotonic() > deadline:
            return got
        time.sleep(0.005)


def in_thread(fn):
    """Runs FN in a thread; returns a function that joins it (at most 10 s)
    and gives FN's result, or raises what FN raised."""
    box = {}

    def run():
        try:
            box["result"] = fn()
        except Exception as e:
            box["error"] = e

    t = threading.Thread(target=run)
    t.start()

    def join():
        t.join(10)
        check("the thread ended", not t.is_alive())
        if "error" in box:
            raise box["error"]
        return box["result"]

    return join


@scenario("redis-py job queue - blocking workers: brpop and blmove woken by a later LPUSH, 3 workers x 200 jobs, each once")
def t_blocking_queue(env):
    r = env.client(decode_responses=True)
    jobs = "py:bjobs"
    procs = [f"py:bjobs:processing:{n}" for n in range(3)]
    r.delete(jobs, *procs)
    # Nothing queued: both time out with None.
    start = time.monotonic()
    check_eq("BRPOP of an empty queue, timeout 0.1", None, r.brpop(jobs, timeout=0.1))
    check_eq("BLMOVE of an empty queue, timeout 0.1", None, r.blmove(jobs, procs[1], 0.1, "RIGHT", "LEFT"))
    elapsed = time.monotonic() - start
    check(f"both timed out in [0.2, 3) s, took {elapsed:.2f}", 0.2 <= elapsed < 3)
    check_eq("nothing created", 0, r.exists(jobs, procs[1]))
    # A worker blocked on the empty queue is woken by a push from another connection.
    w = env.client(decode_responses=True)
    join = in_thread(lambda: w.brpop(jobs, timeout=5))
    check_eq("the BRPOP worker is blocked", 1, blocked_clients(r, 1))
    check_eq("LPUSH", 1, r.lpush(jobs, "wake:1"))
    check_eq("BRPOP woken: (key, job)", (jobs, "wake:1"), join())
    join = in_thread(lambda: w.blmove(jobs, procs[1], 5, "RIGHT", "LEFT"))
    check_eq("the BLMOVE worker is blocked", 1, blocked_clients(r, 1))
    check_eq("LPUSH", 1, r.lpush(jobs, "wake:2"))
    check_eq("BLMOVE woken", "wake:2", join())
    check_eq("held in processing", ["wake:2"], r.lrange(procs[1], 0, -1))
    check_eq("LREM to acknowledge", 1, r.lrem(procs[1], 1, "wake:2"))
    check_eq("the queue and processing gone", 0, r.exists(jobs, procs[1]))
    w.close()
    # Three workers start first, blocked on the empty queue: worker 0 takes
    # jobs with BRPOP, workers 1 and 2 with BLMOVE into their own processing
    # list, LREMed when done. Two producers push 100 jobs each (one by one,
    # and in LPUSHes of 10), then one "stop" per worker.
    all_jobs = [f"p{p}:{i}" for p in range(2) for i in range(100)]
    done, errors, lock = [], [], threading.Lock()

    def work(n):
        c = env.client(decode_responses=True)
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if n == 0:
                    got = c.brpop(jobs, timeout=1)
                    job = got and got[1]
                else:
                    job = c.blmove(jobs, procs[n], 1, "RIGHT", "LEFT")
                if job is None:
                    continue
                if job != "stop":
                    with lock:
                        done.append(job)
                if n != 0 and c.lrem(procs[n], 1, job) != 1:
                    errors.append(f"worker {n}: LREM {job} did not remove it")
                if job == "stop":
                    return
            errors.append(f"worker {n}: no stop within 20 s")
        except Exception as e:
            errors.append(f"worker {n}: {e!r}")
        finally:
            c.close()

    def produce(p):
        c = env.client(decode_responses=True)
        try:
            if p == 0:
                for i in range(100):
                    c.lpush(jobs, f"p0:{i}")
            else:
                for i in range(0, 100, 10):
                    c.lpush(jobs, *[f"p1:{j}" for j in range(i, i + 10)])
        except Exception as e:
            errors.append(f"producer {p}: {e!r}")
        finally:
            c.close()

    workers = [threading.Thread(target=work, args=(n,)) for n in range(3)]
    for t in workers:
        t.start()
    check_eq("3 workers blocked before any push", 3, blocked_clients(r, 3))
    producers = [threading.Thread(target=produce, args=(p,)) for p in range(2)]
    for t in producers:
        t.start()
    for t in producers:
        t.join(20)
    left = r.lpush(jobs, "stop", "stop", "stop")  # after every job: the queue is FIFO
    check(f"LPUSH the stops: a length of 3 or more, got {left}", left >= 3)
    for t in workers:
        t.join(25)
    check_eq("workers ended", [False] * 3, [t.is_alive() for t in workers])
    check_eq("errors", [], errors)
    counts = {}
    for j in done:
        counts[j] = counts.get(j, 0) + 1
    check_eq("jobs processed more than once (the first 5)", [], sorted(j for j, n in counts.items() if n != 1)[:5])
    check_eq("jobs never processed (the first 5)", [], sorted(set(all_jobs) - set(counts))[:5])
    check_eq("jobs processed", len(all_jobs), len(done))
    check_eq("the queue and the processing lists gone", 0, r.exists(jobs, *procs))
    check_eq("no client blocked", 0, r.info("clients")["blocked_clients"])
    r.close()


# A leaderboard: (player, ZINCRBY increment) in order, and the new scores.
# Scores whose %.17g and shortest spellings agree (Redis 7.0 and 7.2+ write
# 0.1 differently), one that needs 17 digits (0.1 + 0.2), a tie at 20.
LEADERBOARD_PLAYS = [("alice", 10), ("bob", 25), ("carol", 7), ("dave", 18.5), ("alice", 15), ("erin", 3),
                     ("carol", 0.5), ("bob", -5), ("frank", 20), ("zoe", 0.1), ("zoe", 0.2)]
LEADERBOARD_SCORES = [10, 25, 7, 18.5, 25, 3, 7.5, 20, 20, 0.1, 0.30000000000000004]


@scenario("redis-py leaderboard - zincrby, zrevrange withscores, zrevrank/zrank, zscore, zmscore, zpopmin, bzpopmin woken by ZADD")
def t_leaderboard(env):
    r = env.client(decode_responses=True)
    other = env.client(decode_responses=True)
    key, q, none = "py:lb", "py:lb:queue", "py:lb:none"
    r.delete(key, q, none)
    check_eq("ZINCRBY: the new scores, as floats", LEADERBOARD_SCORES,
             [r.zincrby(key, by, player) for player, by in LEADERBOARD_PLAYS])
    check_eq("ZREVRANGE 0 2 WITHSCORES: the top 3, a tie in reverse member order",
             [("alice", 25.0), ("frank", 20.0), ("bob", 20.0)], r.zrevrange(key, 0, 2, withscores=True))
    check_eq("ZREVRANGE without scores", ["alice", "frank", "bob"], r.zrevrange(key, 0, 2))
    check_eq("ZREVRANGE score_cast_func=int", [("alice", 25), ("frank", 20)],
             r.zrevrange(key, 0, 1, withscores=True, score_cast_func=int))
    check_eq("ZREVRANK", [0, 1, 2, 3, 6, None], [r.zrevrank(key, p) for p in ("alice", "frank", "bob", "dave", "zoe", "nobody")])
    check_eq("ZRANK", [6, 5, 4, 0, None], [r.zrank(key, p) for p in ("alice", "frank", "bob", "zoe", "nobody")])
    check_eq("ZSCORE", [18.5, 0.30000000000000004, None], [r.zscore(key, p) for p in ("dave", "zoe", "nobody")])
    check_eq("ZMSCORE", [25.0, None, 7.5], r.zmscore(key, ["alice", "nobody", "carol"]))
    check_eq("ZCARD", 7, r.zcard(key))
    check_eq("ZPOPMIN", [("zoe", 0.30000000000000004)], r.zpopmin(key))
    check_eq("ZPOPMIN 2", [("erin", 3.0), ("carol", 7.5)], r.zpopmin(key, 2))
    check_eq("ZPOPMIN of a missing key", [], r.zpopmin(none))
    check_eq("what is left", [("alice", 25.0), ("frank", 20.0), ("bob", 20.0), ("dave", 18.5)],
             r.zrevrange(key, 0, -1, withscores=True))
    # A consumer blocked on an empty sorted set, woken by another connection's ZADD.
    start = time.monotonic()
    check_eq("BZPOPMIN timeout 0.1", None, r.bzpopmin(none, timeout=0.1))
    elapsed = time.monotonic() - start
    check(f"timed out in [0.1, 3) s, took {elapsed:.2f}", 0.1 <= elapsed < 3)
    c = env.client(decode_responses=True)
    join = in_thread(lambda: c.bzpopmin([none, q], timeout=5))
    check_eq("the consumer is blocked", 1, blocked_clients(r, 1))
    check_eq("ZADD from another connection", 2, other.zadd(q, {"late": 5, "early": 2.5}))
    check_eq("BZPOPMIN woken: (key, member, score)", (q, "early", 2.5), join())
    check_eq("BZPOPMIN of a non-empty key does not block", (q, "late", 5.0), c.bzpopmin([none, q], timeout=1))
    check_eq("the queue gone", 0, r.exists(q))
    r.set(none, "x")
    check_raises("BZPOPMIN of a string", lambda: c.bzpopmin([none], timeout=1), WRONGTYPE)
    c.close()
    r.close()
    other.close()


def function_library(lib, version):
    """A Redis 7 function library LIB: LIB_hit (INCRBY by ARGV[1], PEXPIRE
    ARGV[2], returns the count) writes; LIB_peek ({count or 0, PTTL}) and
    LIB_version (VERSION) are no-writes. The same text as the Node suite's."""
    return f"""#!lua name={lib}
redis.register_function('{lib}_hit', function(keys, args)
  local n = redis.call('INCRBY', keys[1], args[1])
  redis.call('PEXPIRE', keys[1], args[2])
  return n
end)
redis.register_function{{function_name='{lib}_peek', callback=function(keys, args)
  local v = redis.call('GET', keys[1])
  return {{tonumber(v or '0'), redis.call('PTTL', keys[1])}}
end, flags={{'no-writes'}}}}
redis.register_function{{function_name='{lib}_version', callback=function() return {version} end, flags={{'no-writes'}}}}
"""


def function_list_entry(entry):
    """One library of FUNCTION LIST (RESP2 key/value lists) as a dict, its
    functions as dicts sorted by name (Redis lists them in no set order)."""
    lib = dict(zip(entry[::2], entry[1::2]))
    lib["functions"] = sorted((dict(zip(f[::2], f[1::2])) for f in lib["functions"]), key=lambda f: f["name"])
    return lib


@scenario("redis-py functions - function_load (REPLACE), fcall / fcall_ro, function_list, function_delete")
def t_functions(env):
    r = env.client(decode_responses=True)
    lib, key, h = "pylib", "py:fn:hits", "py:fn:hash"
    r.delete(key, h)
    if r.function_list(lib):  # FLUSHALL keeps functions: a library left by an earlier run
        r.function_delete(lib)
    v1, v2 = function_library(lib, 1), function_library(lib, 2)
    check_eq("FUNCTION LOAD", lib, r.function_load(v1))
    check_raises("FUNCTION LOAD again", lambda: r.function_load(v1), f"Library '{lib}' already exists")
    check_eq("FUNCTION LOAD REPLACE", lib, r.function_load(v2, replace=True))
    check_eq("FCALL_RO version: the replaced library", 2, r.fcall_ro(f"{lib}_version", 0))
    check_eq("FCALL hit", [5, 8], [r.fcall(f"{lib}_hit", 1, key, 5, 60000), r.fcall(f"{lib}_hit", 1, key, 3, 60000)])
    count, pttl = r.fcall_ro(f"{lib}_peek", 1, key)
    check_eq("FCALL_RO peek: the count", 8, count)
    check(f"FCALL_RO peek: PTTL in (0, 60000], got {pttl}", 0 < pttl <= 60000)
    check_eq("FCALL of a no-writes function", 8, r.fcall(f"{lib}_peek", 1, key)[0])
    check_eq("FCALL_RO peek of a missing key", [0, -2], r.fcall_ro(f"{lib}_peek", 1, "py:fn:none"))
    check_raises("FCALL_RO of a write function", lambda: r.fcall_ro(f"{lib}_hit", 1, key, 1, 60000),
                 "Can not execute a script with write flag using *_ro command.")
    check_eq("the count after the refused FCALL_RO", "8", r.get(key))
    r.hset(h, "f", "v")
    check_raises("FCALL hit on a hash", lambda: r.fcall(f"{lib}_hit", 1, h, 1, 60000),
                 f"{WRONGTYPE} script: {lib}_hit, on @user_function:3.")
    check_raises("FCALL of an unknown function", lambda: r.fcall(f"{lib}_nope", 0), "Function not found")
    with r.pipeline(transaction=True) as p:
        p.fcall(f"{lib}_hit", 1, key, 2, 60000).fcall_ro(f"{lib}_peek", 1, key).get(key)
        res = p.execute()
    check_eq("FCALL and FCALL_RO in MULTI", [10, 10, "10"], [res[0], res[1][0], res[2]])
    listed = [function_list_entry(e) for e in r.function_list(lib)]
    check_eq("FUNCTION LIST LIBRARYNAME", [{
        "library_name": lib, "engine": "LUA", "functions": [
            {"name": f"{lib}_hit", "description": None, "flags": []},
            {"name": f"{lib}_peek", "description": None, "flags": ["no-writes"]},
            {"name": f"{lib}_version", "description": None, "flags": ["no-writes"]},
        ]}], listed)
    check_eq("FUNCTION LIST WITHCODE", v2, function_list_entry(r.function_list(lib, withcode=True)[0])["library_code"])
    check_eq("FUNCTION DELETE", True, r.function_delete(lib))
    check_eq("FUNCTION LIST after the delete", [], r.function_list(lib))
    check_raises("FCALL after the delete", lambda: r.fcall(f"{lib}_version", 0), "Function not found")
    check_raises("FUNCTION DELETE again", lambda: r.function_delete(lib), "Library not found")
    check_eq("the keys are still there", ["10", {"f": "v"}], [r.get(key), r.hgetall(h)])
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


# ---------------------------------------------------------------------------
# The unix socket (the sidecar shares it through a volume)


@scenario("redis-py unix_socket_path - commands, pipeline and pool over the unix socket")
def t_unix_socket(env):
    if not env.socket:
        raise Skip("no --socket given")
    r = redis.Redis(unix_socket_path=env.socket, socket_timeout=TIMEOUT)
    check_eq("PING", True, r.ping())
    check_eq("SET", True, r.set("py:unix", "over the socket"))
    # Seen over TCP too: one server, two ways in.
    check_eq("GET over TCP", b"over the socket", env.client().get("py:unix"))
    info = r.client_info()
    check_eq("CLIENT INFO flags", "U", info["flags"])
    check_eq("CLIENT INFO addr", env.socket + ":0", info["addr"])
    p = r.pipeline(transaction=True)
    for i in range(100):
        p.rpush("py:unix:list", i)
    p.lrange("py:unix:list", 0, 2)
    check_eq("MULTI pipeline of 101 commands", [b"0", b"1", b"2"], p.execute()[-1])
    pool = redis.BlockingConnectionPool(connection_class=redis.UnixDomainSocketConnection,
                                        path=env.socket, max_connections=4, timeout=TIMEOUT)
    pr = redis.Redis(connection_pool=pool)
    check_eq("pooled GET", b"over the socket", pr.get("py:unix"))
    r.delete("py:unix", "py:unix:list")
    pool.disconnect()
    r.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--auth-port", type=int, required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--socket", default="", help="the --port server's unix socket")
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

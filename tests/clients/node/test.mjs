// respite against the stock Node.js clients: node-redis (`redis`) and ioredis.
//
// Usage: node test.mjs --host H --port P --auth-port P2 --password PW [--socket PATH] [--only SUBSTRING]
//
// --port is a server without a password; --auth-port one with requirepass PW
// (only the AUTH scenarios use it); --socket the --port server's unix socket. Prints "ok: NAME", "FAIL: NAME: why" or
// "skip: NAME: why" per scenario and "N passed, N failed, N skipped" last;
// exits 1 if anything failed. Every scenario has a 15 s limit and closes its
// connections whatever happens, so a server that stops answering turns into
// FAIL lines, never a hang. Talks to 127.0.0.1 only.

import { createRequire } from 'node:module';
import { inspect, isDeepStrictEqual } from 'node:util';
import { createHash, randomBytes } from 'node:crypto';
import { createClient, createClientPool, defineScript, ErrorReply, RESP_TYPES, WatchError } from 'redis';
import Redis, { ReplyError } from 'ioredis';

const require = createRequire(import.meta.url);
const NODE_REDIS_VERSION = require('@redis/client/package.json').version;
const IOREDIS_VERSION = require('ioredis/package.json').version;

const SCENARIO_MS = 15000;
const CONNECT_MS = 5000;

const opts = { host: '127.0.0.1', port: 0, authPort: 0, password: '', only: '', socket: '' };
for (let i = 2; i < process.argv.length; i += 2) {
  const [k, v] = [process.argv[i], process.argv[i + 1]];
  if (k === '--host') opts.host = v;
  else if (k === '--port') opts.port = Number(v);
  else if (k === '--auth-port') opts.authPort = Number(v);
  else if (k === '--password') opts.password = v;
  else if (k === '--only') opts.only = v;
  else if (k === '--socket') opts.socket = v;
  else {
    console.error(`unknown option ${k} (use --host H --port P --auth-port P2 --password PW)`);
    process.exit(2);
  }
}
if (!opts.port || !opts.authPort || !opts.password) {
  console.error('need --port, --auth-port and --password');
  process.exit(2);
}

// ---------------------------------------------------------------------------
// A tiny runner: scenarios run one after another, each with a time limit.

class Skip extends Error {}

const scenarios = [];
function scenario(name, fn) {
  scenarios.push({ name, fn });
}

function fmt(v) {
  return inspect(v, { depth: 4, breakLength: Infinity, maxArrayLength: 10, maxStringLength: 80 });
}

function eq(what, expected, got) {
  if (!isDeepStrictEqual(expected, got)) {
    throw new Error(`${what}: expected ${fmt(expected)}, got ${fmt(got)}`);
  }
}

function ok(what, cond) {
  if (!cond) throw new Error(what);
}

// rejects(WHAT, PROMISE, PATTERN): PROMISE must reject with a message matching PATTERN.
async function rejects(what, promise, pattern) {
  let err = null;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  if (!err) throw new Error(`${what}: did not fail`);
  if (!pattern.test(String(err.message))) {
    throw new Error(`${what}: expected an error matching ${pattern}, got ${fmt(err.message)}`);
  }
  return err;
}

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

// An unbounded queue whose next() waits at most MS for an item.
class Inbox {
  constructor() {
    this.items = [];
    this.waiters = [];
  }
  push(x) {
    const w = this.waiters.shift();
    if (w) w(x);
    else this.items.push(x);
  }
  next(ms = 5000) {
    if (this.items.length) return Promise.resolve(this.items.shift());
    return new Promise((resolve, reject) => {
      const take = (x) => {
        clearTimeout(timer);
        resolve(x);
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(take), 1);
        reject(new Error(`no message within ${ms} ms`));
      }, ms);
      this.waiters.push(take);
    });
  }
}

// The connections one scenario opened; all closed when it ends.
class Ctx {
  constructor() {
    this.closers = [];
  }

  // A connected node-redis client. EXTRA goes to createClient; EXTRA.port
  // picks the server.
  async nr(extra = {}) {
    const { port = opts.port, ...rest } = extra;
    const c = createClient({
      socket: { host: opts.host, port, connectTimeout: CONNECT_MS, reconnectStrategy: false },
      ...rest,
    });
    c.on('error', () => {}); // errors surface through the command promises
    this.closers.push(() => c.destroy());
    await c.connect();
    return c;
  }

  // A node-redis pool (createClientPool), or null if this version has none.
  async nrPool(poolOptions, extra = {}) {
    const pool = createClientPool(
      { socket: { host: opts.host, port: opts.port, connectTimeout: CONNECT_MS, reconnectStrategy: false }, ...extra },
      poolOptions,
    );
    pool.on('error', () => {});
    this.closers.push(() => pool.destroy());
    await pool.connect();
    return pool;
  }

  // A connected duplicate() of the node-redis client C: a connection of its
  // own, as node-redis wants for blocking commands.
  async nrDuplicate(c) {
    const d = c.duplicate();
    d.on('error', () => {});
    this.closers.push(() => d.destroy());
    await d.connect();
    return d;
  }

  // A ready ioredis client: connect() resolves once the ready check (INFO,
  // loading:0) has passed. No reconnects, no retries, 5 s per command.
  async io(extra = {}) {
    const c = new Redis({
      host: opts.host,
      port: opts.port,
      lazyConnect: true,
      connectTimeout: CONNECT_MS,
      commandTimeout: 5000,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      ...extra,
    });
    c.on('error', () => {});
    this.closers.push(() => c.disconnect());
    await c.connect();
    return c;
  }

  close() {
    for (const close of this.closers.reverse()) {
      try {
        const p = close();
        if (p && p.catch) p.catch(() => {});
      } catch {
        // already closed
      }
    }
  }
}

async function runScenario(s) {
  const ctx = new Ctx();
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${SCENARIO_MS} ms`)), SCENARIO_MS);
  });
  try {
    await Promise.race([s.fn(ctx), limit]);
  } finally {
    clearTimeout(timer);
    ctx.close();
  }
}

// ---------------------------------------------------------------------------
// Shared scenario bodies. Each client gets a small adapter so the same steps
// run on node-redis and ioredis.

function cacheAside(get, setPx) {
  return async (key, load, ttlMs) => {
    const v = await get(key);
    if (v !== null) return [v, true];
    const fresh = load();
    await setPx(key, fresh, ttlMs);
    return [fresh, false];
  };
}

async function waitGone(get, key, ms) {
  const deadline = Date.now() + ms;
  while ((await get(key)) !== null && Date.now() < deadline) await sleep(20);
  return get(key);
}

const sha1 = (text) => createHash('sha1').update(text).digest('hex');

// A fixed-window rate limiter: KEYS[1] counts the calls of this window,
// ARGV[1] is the limit, ARGV[2] the window in seconds. Returns 1 (allowed)
// or 0 (denied).
const RATE_LIMIT_LUA = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
if n > tonumber(ARGV[1]) then
  return 0
end
return 1
`;

// Compare-and-delete: KEYS[1] is deleted only if it still holds ARGV[1].
const UNLOCK_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

const NESTED_LUA = "return {1, 'two', {3, {'four', {}}}, redis.status_reply('OK')}";
const NESTED_REPLY = [1, 'two', [3, ['four', []]], 'OK'];
const KEYS_ARGV_LUA = 'return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}';
const FAILING_LUA = "return redis.call('INCR', KEYS[1])";
// What Redis 7 answers when redis.call raises: the error, then the script's sha and line.
const FAILING_ERROR = `ERR value is not an integer or out of range script: ${sha1(FAILING_LUA)}, on @user_script:1.`;
const NOSCRIPT_ERROR = 'NOSCRIPT No matching script. Please use EVAL.';

// The lock steps of the Lua-release scenarios, for any client: acquire with
// SET NX PX, release with the compare-and-delete script, then 4 connections
// x 25 GET+SET critical sections must not lose an update. L adapts the
// library: connect(), tryAcquire(cl, ttlMs) -> token or null,
// release(cl, token) -> number of keys deleted, get(cl, key), set(cl, key, v).
async function luaLockSteps(L, lockKey, counterKey) {
  const c = await L.connect();
  await L.set(c, lockKey, 'stale');
  eq('release of a foreign token', 0, await L.release(c, 'not-mine'));
  eq('foreign token kept', 'stale', await L.get(c, lockKey));
  eq('release of the holder token', 1, await L.release(c, 'stale'));
  const token = await L.tryAcquire(c, 5000);
  ok('acquired', token !== null);
  eq('second acquire fails', null, await L.tryAcquire(c, 5000));
  eq('release', 1, await L.release(c, token));
  eq('gone', null, await L.get(c, lockKey));
  eq('release again', 0, await L.release(c, token));
  await L.set(c, counterKey, '0');
  const clients = await Promise.all([...Array(4)].map(() => L.connect()));
  await Promise.all(clients.map(async (cl) => {
    for (let i = 0; i < 25; i++) {
      const deadline = Date.now() + 10000;
      let t;
      while (!(t = await L.tryAcquire(cl, 5000))) {
        if (Date.now() > deadline) throw new Error('lock not acquired within 10 s');
        await sleep(2);
      }
      const v = Number(await L.get(cl, counterKey));
      await L.set(cl, counterKey, String(v + 1));
      if ((await L.release(cl, t)) !== 1) throw new Error('release failed');
    }
  }));
  eq('counter', '100', await L.get(c, counterKey));
  eq('lock free at the end', null, await L.get(c, lockKey));
}

// A token bucket: KEYS[1] is a hash holding the tokens left and the time of
// the last refill; ARGV is the capacity, the milliseconds per token and the
// current time in ms (passed in, so the test is deterministic). Each call
// refills whole tokens for the time elapsed, takes one if there is one, and
// returns {allowed (1 or 0), tokens left}. The same text as the Python suite's.
const TOKEN_BUCKET_LUA = `
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
`;
const BUCKET_T0 = 1700000000000; // a fixed "now" in ms
const BUCKET_CAPACITY = 3;
const BUCKET_INTERVAL = 10000; // ms per token
// Offsets from BUCKET_T0: a burst, waits shorter and longer than a token, a
// long idle time (refill capped at the capacity) and a clock going back.
const BUCKET_TIMES = [0, 0, 0, 0, 5000, 10000, 10000, 35000, 39999, 40000, 40000, 100000, 100000, 90000, 95000];
const BUCKET_EXPECTED = [[1, 2], [1, 1], [1, 0], [0, 0], [0, 0], [1, 0], [0, 0], [1, 1], [1, 0], [1, 0], [0, 0],
  [1, 2], [1, 1], [1, 0], [0, 0]];

// The script's arithmetic in JavaScript: [allowed, tokens left] per call.
function tokenBucketModel(capacity, interval, times) {
  let tokens = null;
  let ts = null;
  return times.map((now) => {
    if (tokens === null) {
      [tokens, ts] = [capacity, now];
    } else if (now > ts) {
      const refill = Math.floor((now - ts) / interval);
      tokens = Math.min(capacity, tokens + refill);
      ts += refill * interval;
      if (tokens === capacity) ts = now;
    }
    const allowed = tokens > 0 ? 1 : 0;
    tokens -= allowed;
    return [allowed, tokens];
  });
}

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const WRONGTYPE_RE = /^WRONGTYPE Operation against a key holding the wrong kind of value$/;

// A RESP3 map arrives as an object without a prototype; compare it as a plain one.
const plain = (o) => ({ ...o });

// The offsets of the set bits of a bitmap read as a Buffer (bit 0 is the
// most significant bit of the first byte).
function bitsOf(buf) {
  const bits = [];
  for (let i = 0; i < buf.length; i++) {
    for (let j = 0; j < 8; j++) if (buf[i] & (0x80 >> j)) bits.push(i * 8 + j);
  }
  return bits;
}

// The daily-active-users bitmaps of the bitmap scenarios: user ids seen on two days.
const DAY1 = [1, 5, 7, 100, 1000, 4095];
const DAY2 = [5, 7, 8, 100, 9999];
const sortedNums = (a) => [...a].sort((x, y) => x - y);

// A moving-window rate limiter on a list, the same as the Python suite's:
// the list holds the times of the last LIMIT requests, newest first. Each
// request sends, in one MULTI (or a plain pipeline), LINDEX key LIMIT-1 (the
// oldest of them), LPUSH key now, LTRIM key 0 LIMIT-1 and PEXPIRE key
// WINDOW_MS; it is allowed when fewer than LIMIT are logged or the oldest is
// WINDOW_MS or more before now. Every attempt is logged, denied ones too.
const WINDOW_T0 = 1700000000000; // a fixed "now" in ms
const WINDOW_LIMIT = 3;
const WINDOW_MS = 10000;
// Offsets from WINDOW_T0: a burst, denials while it is in the window, the
// window's exact edge (19999 - 9999), a second burst, a clock going back.
const WINDOW_TIMES = [0, 0, 1000, 1000, 5000, 9999, 10000, 10000, 19999, 20000, 21000, 45000, 45000, 45000, 45000,
  40000, 60000];
const WINDOW_EXPECTED = [1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1];

// The limiter in JavaScript: [allowed, the list after the call] per call.
function windowModel(limit, windowMs, times) {
  let log = [];
  return times.map((now) => {
    const oldest = log.length >= limit ? log[limit - 1] : null;
    log = [now, ...log].slice(0, limit);
    return [oldest === null || now - oldest >= windowMs ? 1 : 0, log];
  });
}

// The decision from LINDEX's reply.
const windowAllowed = (oldest, now) => (oldest === null || now - Number(oldest) >= WINDOW_MS ? 1 : 0);

// The limiter's steps for any client. W adapts the library:
// allow(key, nowMs, limit, pipelined) -> [allowed, [LPUSH, LTRIM, PEXPIRE replies]],
// lRange(key), pTTL(key).
async function windowSteps(W, key, bob) {
  const model = windowModel(WINDOW_LIMIT, WINDOW_MS, WINDOW_TIMES);
  eq('the model', WINDOW_EXPECTED, model.map(([a]) => a));
  for (let i = 0; i < WINDOW_TIMES.length; i++) {
    const t = WINDOW_TIMES[i];
    const [allowed, replies] = await W.allow(key, WINDOW_T0 + t, WINDOW_LIMIT, false);
    eq(`call ${i} (t0+${t}) allowed`, model[i][0], allowed);
    eq(`call ${i} LPUSH, LTRIM, PEXPIRE`, [Math.min(i, WINDOW_LIMIT) + 1, 'OK', 1], replies);
    eq(`call ${i}: the list, at most ${WINDOW_LIMIT}`, model[i][1].map((x) => String(WINDOW_T0 + x)), await W.lRange(key));
  }
  const pttl = await W.pTTL(key);
  ok(`PTTL in (0, ${WINDOW_MS}], got ${pttl}`, pttl > 0 && pttl <= WINDOW_MS);
  // Another user, limit 2, in a plain pipeline: separate state.
  const times = [0, 1, 2, 10001, 10002, 10003];
  eq('the model, limit 2', [1, 1, 0, 1, 1, 0], windowModel(2, WINDOW_MS, times).map(([a]) => a));
  const got = [];
  for (const t of times) got.push((await W.allow(bob, WINDOW_T0 + t, 2, true))[0]);
  eq('bob, limit 2', [1, 1, 0, 1, 1, 0], got);
  eq("bob's list", [String(WINDOW_T0 + 10003), String(WINDOW_T0 + 10002)], await W.lRange(bob));
}

// A reliable work queue without blocking commands, for any client.
// Producers LPUSH jobs; a worker moves the oldest to the head of a
// processing list in one step (LMOVE jobs processing RIGHT LEFT, or the
// older RPOPLPUSH), processes it, then LREMs it from processing. A reaper
// gives the jobs of dead workers back: LRANGE processing, then LMOVE
// processing jobs RIGHT RIGHT for each (the end of the queue served next).
// Q adapts the library: connect(), del(cl, keys), exists(cl, keys),
// lPush(cl, key, elements), lRange(cl, key), lLen(cl, key), lIndex(cl, key, i),
// lMove(cl, src, dst, from, to), rPopLPush(cl, src, dst), lRem(cl, key, count, element).
function reliableQueue(Q, jobs, processing) {
  return {
    take: (cl, oldApi = false) => (oldApi ? Q.rPopLPush(cl, jobs, processing) : Q.lMove(cl, jobs, processing, 'RIGHT', 'LEFT')),
    ack: (cl, job) => Q.lRem(cl, processing, 1, job),
    reap: async (cl) => {
      const seen = await Q.lRange(cl, processing);
      const moved = [];
      for (let i = 0; i < seen.length; i++) moved.push(await Q.lMove(cl, processing, jobs, 'RIGHT', 'RIGHT'));
      return [seen, moved];
    },
  };
}

async function reliableQueueSteps(Q, jobs, processing) {
  const c = await Q.connect();
  const q = reliableQueue(Q, jobs, processing);
  await Q.del(c, [jobs, processing]);
  eq('LPUSH 3 jobs', 3, await Q.lPush(c, jobs, ['job:1', 'job:2', 'job:3']));
  eq('LPUSH', 4, await Q.lPush(c, jobs, ['job:4']));
  eq('LPUSH', 5, await Q.lPush(c, jobs, ['job:5']));
  eq('the queue, newest first', ['job:5', 'job:4', 'job:3', 'job:2', 'job:1'], await Q.lRange(c, jobs));
  const done = [];
  let job = await q.take(c, true);
  eq('RPOPLPUSH takes the oldest', 'job:1', job);
  eq('held in processing', ['job:1'], await Q.lRange(c, processing));
  done.push(job);
  eq('LREM when done', 1, await q.ack(c, job));
  eq('LMOVE takes the next', 'job:2', await q.take(c));
  done.push('job:2');
  eq('LREM', 1, await q.ack(c, 'job:2'));
  // A worker takes job:3 and dies before its LREM.
  eq("the dying worker's job", 'job:3', await q.take(c));
  eq('LLEN jobs, processing', [2, 1], [await Q.lLen(c, jobs), await Q.lLen(c, processing)]);
  eq('reaper: LRANGE, LMOVE back', [['job:3'], ['job:3']], await q.reap(c));
  eq('processing gone', 0, await Q.exists(c, [processing]));
  eq('job:3 is served next', 'job:3', await Q.lIndex(c, jobs, -1));
  for (let i = 0; i < 10; i++) {
    job = await q.take(c);
    if (job === null) break;
    done.push(job);
    eq(`LREM ${job}`, 1, await q.ack(c, job));
  }
  eq('each job once, in order', ['job:1', 'job:2', 'job:3', 'job:4', 'job:5'], done);
  eq('LMOVE of an empty queue', null, await q.take(c));
  eq('RPOPLPUSH of an empty queue', null, await q.take(c, true));
  eq('LREM of a job not held', 0, await q.ack(c, 'job:1'));
  eq('both lists gone', 0, await Q.exists(c, [jobs, processing]));
}

// 2 producers push 100 jobs each while workers on their own connections
// take them: first one that dies holding the first job it gets, then three
// more. The reaper gives the dead worker's job back and one more worker
// round takes it: every job processed exactly once.
async function reliableQueueWorkersSteps(Q, jobs, processing) {
  const c = await Q.connect();
  const q = reliableQueue(Q, jobs, processing);
  await Q.del(c, [jobs, processing]);
  const allJobs = [0, 1].flatMap((p) => [...Array(100).keys()].map((i) => `p${p}:${i}`));
  const done = [];
  let produced = false;
  const produce = async (p) => {
    const cl = await Q.connect();
    for (let i = 0; i < 100; i++) await Q.lPush(cl, jobs, [`p${p}:${i}`]);
  };
  // work: processes jobs until the queue is empty and the producers are
  // done; the dying worker returns the first job it takes, unacknowledged.
  const work = async (cl, dies = false) => {
    const deadline = Date.now() + 10000;
    for (let i = 0; i < 5000; i++) {
      const job = await q.take(cl);
      if (job === null) {
        if ((produced && !dies) || Date.now() > deadline) return null;
        await sleep(1);
        continue;
      }
      if (dies) return job;
      done.push(job);
      if ((await q.ack(cl, job)) !== 1) throw new Error(`LREM ${job} did not remove it`);
    }
    throw new Error('worker not done in 5000 rounds');
  };
  const workers = await Promise.all([...Array(4)].map(() => Q.connect()));
  // (Rejections are awaited below; the catch only keeps one that comes
  // while another await fails from being unhandled.)
  const producers = [0, 1].map(produce);
  producers.forEach((p) => p.catch(() => {}));
  const crashed = await work(workers[0], true);
  ok('the dead worker took a job', crashed !== null);
  const healthy = workers.slice(1).map((cl) => work(cl));
  healthy.forEach((w) => w.catch(() => {}));
  await Promise.all(producers);
  produced = true;
  await Promise.all(healthy);
  eq("in processing: the dead worker's job only", [crashed], await Q.lRange(c, processing));
  eq('reaper', [[crashed], [crashed]], await q.reap(c));
  await work(c);
  const counts = {};
  for (const j of done) counts[j] = (counts[j] || 0) + 1;
  eq('jobs processed more than once (the first 5)', [], Object.keys(counts).filter((j) => counts[j] !== 1).slice(0, 5));
  eq('jobs never processed (the first 5)', [], allJobs.filter((j) => !counts[j]).slice(0, 5));
  eq('jobs processed', allJobs.length, done.length);
  eq('both lists gone', 0, await Q.exists(c, [jobs, processing]));
}

// A sliding-window rate limiter on a sorted set, the same script as the
// Python suite's: KEYS[1] holds the times of the requests allowed in the
// window (score: the time in ms); ARGV: now (ms), the window (ms), the limit
// and a member unique to this request. Drops the times a window or more
// before now, counts the rest, and logs this request only when it is
// allowed. Returns {allowed (1 or 0), requests in the window after this one}.
const ZWINDOW_LUA = `
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
`;
const ZWINDOW_LIMIT = 3;
const ZWINDOW_MS = 10000;
// Offsets from WINDOW_T0: a burst, denials, the window's exact edges (a time
// leaves the window when now - window reaches it; for the script 9999 is
// denied, 10000 allowed, 10999 denied, 11000 allowed), a clock going back, a
// long idle time.
const ZWINDOW_TIMES = [0, 0, 1000, 1000, 5000, 9999, 10000, 10000, 10999, 11000, 11000, 20999, 21000, 30000, 25000,
  45000, 45000];
// The script logs allowed requests only; the MULTI variant (ZREMRANGEBYSCORE,
// ZCARD, ZADD, PEXPIRE) logs every attempt, so a client that keeps trying
// stays denied.
const ZWINDOW_EXPECTED = [1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1];
const ZWINDOW_EXPECTED_ALL = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1];

// The limiter in JavaScript: [allowed, removed, [[member, time]] after the
// call in ZRANGE order] per call; call i's member is `${now}:${i}`.
function zWindowModel(limit, windowMs, times, logDenied = false) {
  let log = [];
  return times.map((now, i) => {
    const kept = log.filter(([, t]) => t > now - windowMs);
    const allowed = kept.length < limit ? 1 : 0;
    const removed = log.length - kept.length;
    log = allowed || logDenied ? [...kept, [`${now}:${i}`, now]] : kept;
    log.sort(([m1, t1], [m2, t2]) => t1 - t2 || (m1 < m2 ? -1 : m1 > m2 ? 1 : 0));
    return [allowed, removed, log];
  });
}

// The script's steps for any client. Z adapts the library:
// script(key, now, member) -> [allowed, in the window], zRangeWithScores(key)
// -> [[member, score]], score(t) -> a score as the library gives it, pTTL(key).
async function zWindowScriptSteps(Z, key) {
  const model = zWindowModel(ZWINDOW_LIMIT, ZWINDOW_MS, ZWINDOW_TIMES.map((t) => WINDOW_T0 + t));
  eq('the model', ZWINDOW_EXPECTED, model.map(([a]) => a));
  for (let i = 0; i < ZWINDOW_TIMES.length; i++) {
    const now = WINDOW_T0 + ZWINDOW_TIMES[i];
    const [allowed, , log] = model[i];
    eq(`call ${i} (t0+${ZWINDOW_TIMES[i]}): allowed, in the window`, [allowed, log.length], await Z.script(key, now, `${now}:${i}`));
    eq(`call ${i}: ZRANGE WITHSCORES`, log.map(([m, t]) => [m, Z.score(t)]), await Z.zRangeWithScores(key));
  }
  const pttl = await Z.pTTL(key);
  ok(`PTTL in (0, ${ZWINDOW_MS}], got ${pttl}`, pttl > 0 && pttl <= ZWINDOW_MS);
}

// The MULTI variant's steps. Z.multi(key, now, member, limit, pipelined) ->
// [allowed, [ZREMRANGEBYSCORE, ZCARD, ZADD, PEXPIRE replies]]; zRange(key).
async function zWindowMultiSteps(Z, key, bob) {
  const model = zWindowModel(ZWINDOW_LIMIT, ZWINDOW_MS, ZWINDOW_TIMES.map((t) => WINDOW_T0 + t), true);
  eq('the model', ZWINDOW_EXPECTED_ALL, model.map(([a]) => a));
  for (let i = 0; i < ZWINDOW_TIMES.length; i++) {
    const now = WINDOW_T0 + ZWINDOW_TIMES[i];
    const [allowed, removed, log] = model[i];
    const [got, replies] = await Z.multi(key, now, `${now}:${i}`, ZWINDOW_LIMIT, false);
    eq(`call ${i} (t0+${ZWINDOW_TIMES[i]}) allowed`, allowed, got);
    eq(`call ${i}: ZREMRANGEBYSCORE, ZCARD, ZADD, PEXPIRE`, [removed, log.length - 1, 1, 1], replies);
    eq(`call ${i}: ZRANGE`, log.map(([m]) => m), await Z.zRange(key));
  }
  // Another user, limit 2, in a plain pipeline: separate state.
  const times = [0, 1, 2, 10000, 10001, 10002, 20002];
  eq('the model, limit 2', [1, 1, 0, 0, 0, 0, 1], zWindowModel(2, ZWINDOW_MS, times, true).map(([a]) => a));
  const got = [];
  for (let i = 0; i < times.length; i++) got.push((await Z.multi(bob, WINDOW_T0 + times[i], `${WINDOW_T0 + times[i]}:${i}`, 2, true))[0]);
  eq('bob, limit 2', [1, 1, 0, 0, 0, 0, 1], got);
  eq("bob's sorted set", [`${WINDOW_T0 + 20002}:6`], await Z.zRange(bob));
}

// INFO's blocked_clients once it is at least N (or MS have passed).
// INFO(cl) gives the text of INFO clients.
async function waitBlocked(info, n, ms = 5000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = Number(/^blocked_clients:(\d+)/m.exec(await info())[1]);
    if (got >= n || Date.now() > deadline) return got;
    await sleep(5);
  }
}

// A job queue served by blocking workers, for any client. B adapts the
// library: connect() the main connection, connection(c) another one for a
// blocking worker (node-redis: c.duplicate()), info(cl) INFO clients,
// brPop(cl, key, timeoutS) -> [key, element] or null, blMove(cl, src, dst,
// timeoutS) (RIGHT LEFT) -> element or null, lPush(cl, key, elements),
// lRem(cl, key, count, element), lRange(cl, key), exists(cl, keys), del(cl, keys).
async function blockingQueueSteps(B, jobs, procs) {
  const c = await B.connect();
  await B.del(c, [jobs, ...procs]);
  // Nothing queued: both time out with null.
  const start = Date.now();
  eq('BRPOP of an empty queue, timeout 0.1', null, await B.brPop(c, jobs, 0.1));
  eq('BLMOVE of an empty queue, timeout 0.1', null, await B.blMove(c, jobs, procs[1], 0.1));
  const elapsed = Date.now() - start;
  ok(`both timed out in [200, 3000) ms, took ${elapsed}`, elapsed >= 200 && elapsed < 3000);
  eq('nothing created', 0, await B.exists(c, [jobs, procs[1]]));
  // A worker blocked on the empty queue is woken by a push from another connection.
  const w = await B.connection(c);
  let pending = B.brPop(w, jobs, 5);
  pending.catch(() => {});
  eq('the BRPOP worker is blocked', 1, await waitBlocked(() => B.info(c), 1));
  eq('LPUSH', 1, await B.lPush(c, jobs, ['wake:1']));
  eq('BRPOP woken: [key, job]', [jobs, 'wake:1'], await pending);
  pending = B.blMove(w, jobs, procs[1], 5);
  pending.catch(() => {});
  eq('the BLMOVE worker is blocked', 1, await waitBlocked(() => B.info(c), 1));
  eq('LPUSH', 1, await B.lPush(c, jobs, ['wake:2']));
  eq('BLMOVE woken', 'wake:2', await pending);
  eq('held in processing', ['wake:2'], await B.lRange(c, procs[1]));
  eq('LREM to acknowledge', 1, await B.lRem(c, procs[1], 1, 'wake:2'));
  eq('the queue and processing gone', 0, await B.exists(c, [jobs, procs[1]]));
  // Three workers start first, blocked on the empty queue: worker 0 takes
  // jobs with BRPOP, workers 1 and 2 with BLMOVE into their own processing
  // list, LREMed when done. Two producers push 100 jobs each (one by one,
  // and in LPUSHes of 10), then one "stop" per worker.
  const allJobs = [0, 1].flatMap((p) => [...Array(100).keys()].map((i) => `p${p}:${i}`));
  const done = [];
  const work = async (cl, n) => {
    const deadline = Date.now() + 12000;
    while (Date.now() < deadline) {
      const job = n === 0 ? ((await B.brPop(cl, jobs, 1)) || [null, null])[1] : await B.blMove(cl, jobs, procs[n], 1);
      if (job === null) continue;
      if (job !== 'stop') done.push(job);
      if (n !== 0 && (await B.lRem(cl, procs[n], 1, job)) !== 1) throw new Error(`worker ${n}: LREM ${job} did not remove it`);
      if (job === 'stop') return;
    }
    throw new Error(`worker ${n}: no stop within 12 s`);
  };
  const conns = await Promise.all([0, 1, 2, 3, 4].map(() => B.connection(c)));
  // (Rejections are awaited below; the catch only keeps one that comes
  // while another await fails from being unhandled.)
  const workers = conns.slice(0, 3).map((cl, n) => work(cl, n));
  workers.forEach((p) => p.catch(() => {}));
  eq('3 workers blocked before any push', 3, await waitBlocked(() => B.info(c), 3));
  const produce = async (cl, p) => {
    if (p === 0) {
      for (let i = 0; i < 100; i++) await B.lPush(cl, jobs, [`p0:${i}`]);
    } else {
      for (let i = 0; i < 100; i += 10) await B.lPush(cl, jobs, [...Array(10).keys()].map((j) => `p1:${i + j}`));
    }
  };
  await Promise.all([produce(conns[3], 0), produce(conns[4], 1)]);
  const left = await B.lPush(c, jobs, ['stop', 'stop', 'stop']); // after every job: the queue is FIFO
  ok(`LPUSH the stops: a length of 3 or more, got ${left}`, left >= 3);
  await Promise.all(workers);
  const counts = {};
  for (const j of done) counts[j] = (counts[j] || 0) + 1;
  eq('jobs processed more than once (the first 5)', [], Object.keys(counts).filter((j) => counts[j] !== 1).slice(0, 5));
  eq('jobs never processed (the first 5)', [], allJobs.filter((j) => !counts[j]).slice(0, 5));
  eq('jobs processed', allJobs.length, done.length);
  eq('the queue and the processing lists gone', 0, await B.exists(c, [jobs, ...procs]));
  eq('no client blocked', 0, await waitBlocked(() => B.info(c), 0));
}

// A leaderboard, as in the Python suite: [player, ZINCRBY increment] in
// order, and the new scores. Scores whose %.17g and shortest spellings agree
// (Redis 7.0 and 7.2+ write 0.1 differently), one that needs 17 digits
// (0.1 + 0.2), a tie at 20.
const LEADERBOARD_PLAYS = [['alice', 10], ['bob', 25], ['carol', 7], ['dave', 18.5], ['alice', 15], ['erin', 3],
  ['carol', 0.5], ['bob', -5], ['frank', 20], ['zoe', 0.1], ['zoe', 0.2]];
const LEADERBOARD_SCORES = [10, 25, 7, 18.5, 25, 3, 7.5, 20, 20, 0.1, 0.30000000000000004];

// A Redis 7 function library LIB, the same text as the Python suite's:
// LIB_hit (INCRBY by ARGV[1], PEXPIRE ARGV[2], returns the count) writes;
// LIB_peek ({count or 0, PTTL}) and LIB_version (VERSION) are no-writes.
const functionLibrary = (lib, version) => `#!lua name=${lib}
redis.register_function('${lib}_hit', function(keys, args)
  local n = redis.call('INCRBY', keys[1], args[1])
  redis.call('PEXPIRE', keys[1], args[2])
  return n
end)
redis.register_function{function_name='${lib}_peek', callback=function(keys, args)
  local v = redis.call('GET', keys[1])
  return {tonumber(v or '0'), redis.call('PTTL', keys[1])}
end, flags={'no-writes'}}
redis.register_function{function_name='${lib}_version', callback=function() return ${version} end, flags={'no-writes'}}
`;

// What FUNCTION LIST LIBRARYNAME LIB must show, functions sorted by name
// (Redis lists them in no set order).
const functionListExpected = (lib) => [{
  library_name: lib,
  engine: 'LUA',
  functions: [
    { name: `${lib}_hit`, description: null, flags: [] },
    { name: `${lib}_peek`, description: null, flags: ['no-writes'] },
    { name: `${lib}_version`, description: null, flags: ['no-writes'] },
  ],
}];
const byName = (x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0);

// One library of a RESP2 FUNCTION LIST reply (key/value arrays) as an object.
function functionListEntry(entry) {
  const kv = (a) => Object.fromEntries([...Array(a.length / 2).keys()].map((i) => [a[2 * i], a[2 * i + 1]]));
  const lib = kv(entry);
  lib.functions = lib.functions.map(kv).sort(byName);
  return lib;
}

// ===========================================================================
// node-redis

const NR = `node-redis ${NODE_REDIS_VERSION}`;

for (const resp of [2, 3]) {
  const tag = `${NR} RESP${resp}`;
  const cfg = resp === 3 ? { RESP: 3 } : {};

  scenario(`${tag} commands - strings, counters, expiry and key commands`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const k = `nr${resp}:`;
    eq('PING', 'PONG', await c.ping());
    eq('SET', 'OK', await c.set(`${k}s`, 'hello'));
    eq('GET', 'hello', await c.get(`${k}s`));
    eq('GET missing', null, await c.get(`${k}missing`));
    eq('APPEND', 11, await c.append(`${k}s`, ' world'));
    eq('GETRANGE', 'world', await c.getRange(`${k}s`, 6, -1));
    eq('SET NX on existing', null, await c.set(`${k}s`, 'x', { NX: true }));
    eq('SET GET', 'hello world', await c.set(`${k}s`, 'new', { GET: true }));
    eq('INCR', 1, await c.incr(`${k}n`));
    eq('INCRBY', 11, await c.incrBy(`${k}n`, 10));
    eq('INCRBYFLOAT', '11.5', await c.incrByFloat(`${k}n`, 0.5));
    eq('MSET', 'OK', await c.mSet({ [`${k}a`]: '1', [`${k}b`]: '2' }));
    eq('MGET', ['1', '2', null], await c.mGet([`${k}a`, `${k}b`, `${k}nope`]));
    eq('EXISTS', 2, await c.exists([`${k}a`, `${k}b`, `${k}nope`]));
    eq('EXPIRE', 1, await c.expire(`${k}a`, 100));
    const ttl = await c.ttl(`${k}a`);
    ok(`TTL in (0, 100], got ${ttl}`, ttl > 0 && ttl <= 100);
    eq('TYPE', 'string', await c.type(`${k}a`));
    eq('RENAME', 'OK', await c.rename(`${k}a`, `${k}a2`));
    eq('DEL', 2, await c.del([`${k}a2`, `${k}b`, `${k}nope`]));
    await rejects('INCR on a non-integer', c.incr(`${k}s`), /^ERR value is not an integer or out of range$/);
    eq('still usable after an error', 'PONG', await c.ping());
  });

  scenario(`${tag} commands - binary values with NUL and CRLF round-trip`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const bc = c.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    const value = Buffer.concat([Buffer.from('a\0b\r\nc\xff', 'latin1'), randomBytes(100000), Buffer.from('\r\n')]);
    const key = Buffer.from(`nr${resp}:bin\0\r\n`);
    eq('SET', 'OK', await c.set(key, value));
    const got = await bc.get(key);
    ok(`GET returned ${got && got.length} bytes, want ${value.length} equal ones`, Buffer.isBuffer(got) && got.equals(value));
    eq('STRLEN', value.length, await c.strLen(key));
  });

  scenario(`${tag} pipelining - 1000 commands in one tick, execAsPipeline`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const k = `nr${resp}:p:`;
    const sets = [];
    for (let i = 0; i < 500; i++) sets.push(c.set(`${k}${i}`, String(i)));
    const gets = [];
    for (let i = 0; i < 500; i++) gets.push(c.get(`${k}${i}`));
    eq('SET replies', Array(500).fill('OK'), await Promise.all(sets));
    eq('GET replies', [...Array(500).keys()].map(String), await Promise.all(gets));
    const res = await c.multi().set(`${k}x`, '1').incr(`${k}x`).get(`${k}x`).execAsPipeline();
    eq('execAsPipeline', ['OK', 2, '2'], res);
  });

  scenario(`${tag} multi() - MULTI/EXEC results, an error inside EXEC`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const k = `nr${resp}:t:`;
    await c.del(`${k}n`);
    eq('EXEC', [1, 2, 'OK', 'v'], await c.multi().incr(`${k}n`).incr(`${k}n`).set(`${k}s`, 'v').get(`${k}s`).exec());
    // A runtime error fails only its command; node-redis reports it as a
    // MultiErrorReply carrying all the replies.
    const err = await rejects('EXEC with a failing INCR', c.multi().set(`${k}s`, 'abc').incr(`${k}s`).get(`${k}s`).exec(),
      /commands failed|not an integer/);
    if (err.replies) {
      eq('replies[0]', 'OK', err.replies[0]);
      ok(`replies[1] is the INCR error: ${fmt(err.replies[1])}`,
        err.replies[1] instanceof Error && /^ERR value is not an integer/.test(err.replies[1].message));
      eq('replies[2]', 'abc', err.replies[2]);
    }
    eq('value', 'abc', await c.get(`${k}s`));
  });

  scenario(`${tag} WATCH - optimistic increment retried while another connection interferes`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const other = await ctx.nr(cfg);
    const k = `nr${resp}:w`;
    await c.set(k, '0');
    let attempts = 0;
    for (;;) {
      attempts++;
      await c.watch(k);
      const cur = Number(await c.get(k));
      if (attempts <= 2) await other.incrBy(k, 100);
      try {
        await c.multi().set(k, String(cur + 1)).exec();
        break;
      } catch (e) {
        if (!(e instanceof WatchError) || attempts > 10) throw e;
      }
    }
    eq('attempts', 3, attempts);
    eq('value', '201', await c.get(k));
    await c.watch(k);
    await c.unwatch();
    await other.set(k, 'changed');
    eq('EXEC after UNWATCH', ['OK'], await c.multi().set(k, 'mine').exec());
  });

  scenario(`${tag} scanIterator - 1000 keys, each seen once`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const k = `nr${resp}:scan:`;
    await Promise.all([...Array(1000).keys()].map((i) => c.set(`${k}${i}`, String(i))));
    const seen = new Set();
    for await (const batch of c.scanIterator({ MATCH: `${k}*`, COUNT: 100 })) {
      for (const key of Array.isArray(batch) ? batch : [batch]) seen.add(key);
    }
    eq('distinct keys', 1000, seen.size);
    ok('every key', [...Array(1000).keys()].every((i) => seen.has(`${k}${i}`)));
    eq('DEL', 1000, await c.del([...seen]));
  });

  scenario(`${tag} cache-aside - miss, set with TTL, hit, expiry observed`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const k = `nr${resp}:cache:`;
    let loads = 0;
    const load = () => {
      loads++;
      return 'alice';
    };
    const get = cacheAside((key) => c.get(key), (key, v, px) => c.set(key, v, { PX: px }));
    eq('first read', ['alice', false], await get(`${k}user`, load, 60000));
    eq('second read', ['alice', true], await get(`${k}user`, load, 60000));
    const pttl = await c.pTTL(`${k}user`);
    ok(`PTTL in (0, 60000], got ${pttl}`, pttl > 0 && pttl <= 60000);
    eq('SET EX', 'OK', await c.set(`${k}ex`, 'v', { EX: 100 }));
    await get(`${k}short`, load, 100);
    eq('hit before expiry', 'alice', await c.get(`${k}short`));
    eq('expired after PX 100', null, await waitGone((key) => c.get(key), `${k}short`, 3000));
    eq('miss reloads', ['alice', false], await get(`${k}short`, load, 100));
    eq('loads', 3, loads);
  });

  scenario(`${tag} createClientPool - 8 workers x 500 INCR through 4 connections, exact total`, async (ctx) => {
    const pool = await ctx.nrPool({ minimum: 1, maximum: 4, acquireTimeout: 5000 }, cfg);
    const k = `nr${resp}:pool:n`;
    await pool.del(k);
    const worker = async () => {
      for (let i = 0; i < 500; i++) await pool.incr(k);
    };
    await Promise.all([...Array(8)].map(worker));
    eq('total', '4000', await pool.get(k));
    // A dedicated connection from the pool for a WATCH transaction.
    const res = await pool.execute(async (client) => {
      await client.watch(k);
      return client.multi().incr(k).exec();
    });
    eq('transaction on a pooled connection', [4001], res);
    ok(`pool size ${pool.totalClients}`, pool.totalClients >= 1 && pool.totalClients <= 4);
  });

  scenario(`${tag} lock - SET NX PX acquire, WATCH/MULTI compare-and-delete release`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const k = `nr${resp}:lock`;
    const lock = {
      tryAcquire: async (cl, ttl) => {
        const token = randomBytes(8).toString('hex');
        return (await cl.set(k, token, { NX: true, PX: ttl })) === 'OK' ? token : null;
      },
      acquire: async (cl, ttl, waitMs) => {
        const deadline = Date.now() + waitMs;
        for (;;) {
          const t = await lock.tryAcquire(cl, ttl);
          if (t || Date.now() >= deadline) return t;
          await sleep(5);
        }
      },
      // Compare-and-delete without Lua (respite has no EVAL yet).
      release: async (cl, token) => {
        for (let i = 0; i < 10; i++) {
          await cl.watch(k);
          if ((await cl.get(k)) !== token) {
            await cl.unwatch();
            return false;
          }
          try {
            const r = await cl.multi().del(k).exec();
            return r[0] === 1;
          } catch (e) {
            if (!(e instanceof WatchError)) throw e;
          }
        }
        return false;
      },
    };
    await c.del(k);
    const token = await lock.tryAcquire(c, 5000);
    ok('acquired', token !== null);
    eq('second acquire fails', null, await lock.tryAcquire(c, 5000));
    eq('release with a wrong token', false, await lock.release(c, 'not-mine'));
    eq('still held', token, await c.get(k));
    eq('release', true, await lock.release(c, token));
    eq('gone', null, await c.get(k));
    ok('acquire with PX 100', (await lock.tryAcquire(c, 100)) !== null);
    ok('re-acquired after expiry', (await lock.acquire(c, 5000, 3000)) !== null);
    await c.del(k);
    // Mutual exclusion: 4 connections x 25 GET+SET critical sections.
    const counter = `nr${resp}:lock:counter`;
    await c.set(counter, '0');
    const clients = await Promise.all([...Array(4)].map(() => ctx.nr(cfg)));
    await Promise.all(clients.map(async (cl) => {
      for (let i = 0; i < 25; i++) {
        const t = await lock.acquire(cl, 5000, 10000);
        if (!t) throw new Error('lock not acquired within 10 s');
        const v = Number(await cl.get(counter));
        await cl.set(counter, String(v + 1));
        if (!(await lock.release(cl, t))) throw new Error('release failed');
      }
    }));
    eq('counter', '100', await c.get(counter));
  });

  scenario(`${tag} lock - SET NX PX acquire, Lua compare-and-delete release (defineScript)`, async (ctx) => {
    const k = `nr${resp}:llock`;
    const scripts = {
      unlock: defineScript({
        SCRIPT: UNLOCK_LUA,
        NUMBER_OF_KEYS: 1,
        parseCommand(parser, key, token) {
          parser.pushKey(key);
          parser.push(token);
        },
      }),
    };
    await luaLockSteps({
      connect: () => ctx.nr({ ...cfg, scripts }),
      tryAcquire: async (cl, ttl) => {
        const token = randomBytes(8).toString('hex');
        return (await cl.set(k, token, { NX: true, PX: ttl })) === 'OK' ? token : null;
      },
      release: (cl, token) => cl.unlock(k, token),
      get: (cl, key) => cl.get(key),
      set: (cl, key, v) => cl.set(key, v),
    }, k, `${k}:counter`);
  });

  scenario(`${tag} scripts - scriptLoad + evalSha, eval with keys and arguments, NOSCRIPT ErrorReply`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const k = `nr${resp}:rate:`;
    await c.del([`${k}a`, `${k}s`]);
    const sha = await c.scriptLoad(RATE_LIMIT_LUA);
    eq('SCRIPT LOAD returns the sha1', sha1(RATE_LIMIT_LUA), sha);
    eq('SCRIPT EXISTS', [1, 0], await c.scriptExists([sha, '0'.repeat(40)]));
    const got = [];
    for (let i = 0; i < 6; i++) got.push(await c.evalSha(sha, { keys: [`${k}a`], arguments: ['3', '60'] }));
    eq('6 calls, limit 3', [1, 1, 1, 0, 0, 0], got);
    const ttl = await c.ttl(`${k}a`);
    ok(`window TTL in (0, 60], got ${ttl}`, ttl > 0 && ttl <= 60);
    eq('eval with keys and arguments', [`${k}x`, `${k}y`, 'a1', 'a2', 2, 2],
      await c.eval(KEYS_ARGV_LUA, { keys: [`${k}x`, `${k}y`], arguments: ['a1', 'a2'] }));
    eq('eval without options', NESTED_REPLY, await c.eval(NESTED_LUA));
    eq('true, false, 3.99', [1, null, 3], await Promise.all(['true', 'false', '3.99'].map((v) => c.eval(`return ${v}`))));
    eq('SCRIPT FLUSH', 'OK', await c.scriptFlush());
    const err = await rejects('evalSha after SCRIPT FLUSH', c.evalSha(sha, { keys: [`${k}a`], arguments: ['3', '60'] }),
      /^NOSCRIPT No matching script\. Please use EVAL\.$/);
    ok(`NOSCRIPT is an ErrorReply: ${err.constructor.name}`, err instanceof ErrorReply);
    eq('NOSCRIPT text', NOSCRIPT_ERROR, err.message);
    const custom = await rejects('redis.error_reply', c.eval("return redis.error_reply('MYERR custom failure')"),
      /^MYERR custom failure$/);
    ok('error_reply is an ErrorReply', custom instanceof ErrorReply);
    await c.set(`${k}s`, 'abc');
    const failed = await rejects('redis.call error', c.eval(FAILING_LUA, { keys: [`${k}s`] }), /^ERR value is not an integer/);
    eq('redis.call error text', FAILING_ERROR, failed.message);
    eq('still usable after errors', 'abc', await c.get(`${k}s`));
  });

  scenario(`${tag} defineScript - createClient({scripts}), EVALSHA falling back to EVAL, in multi()`, async (ctx) => {
    const scripts = {
      rateLimit: defineScript({
        SCRIPT: RATE_LIMIT_LUA,
        NUMBER_OF_KEYS: 1,
        parseCommand(parser, key, limit, windowS) {
          parser.pushKey(key);
          parser.push(String(limit), String(windowS));
        },
        transformReply: (reply) => reply === 1,
      }),
    };
    const c = await ctx.nr({ ...cfg, scripts });
    const k = `nr${resp}:drate:`;
    await c.del([`${k}a`, `${k}m`]);
    await c.scriptFlush();
    // The first call's EVALSHA gets NOSCRIPT; node-redis resends it as EVAL.
    const got = [];
    for (let i = 0; i < 4; i++) got.push(await c.rateLimit(`${k}a`, 2, 60));
    eq('4 calls, limit 2', [true, true, false, false], got);
    eq('cached by the EVAL', [1], await c.scriptExists(sha1(RATE_LIMIT_LUA)));
    // In a MULTI the first use is sent as EVAL, the next ones as EVALSHA.
    await c.scriptFlush();
    eq('multi()', [true, false, '2'],
      await c.multi().rateLimit(`${k}m`, 1, 60).rateLimit(`${k}m`, 1, 60).get(`${k}m`).exec());
    eq('execAsPipeline()', [false, '3'], await c.multi().rateLimit(`${k}m`, 1, 60).get(`${k}m`).execAsPipeline());
  });

  scenario(`${tag} pubsub - subscribe, publish, messages in order, unsubscribe`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const sub = await ctx.nr(cfg);
    const ch = `nr${resp}:chan`;
    const inbox = new Inbox();
    await sub.subscribe(ch, (message, channel) => inbox.push([channel, message]));
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(await c.publish(ch, `m${i}`));
    eq('PUBLISH receiver counts', [1, 1, 1], counts);
    const got = [];
    for (let i = 0; i < 3; i++) got.push(await inbox.next());
    eq('messages', [0, 1, 2].map((i) => [ch, `m${i}`]), got);
    eq('PUBLISH to a channel nobody hears', 0, await c.publish(`nr${resp}:nobody`, 'x'));
    await sub.unsubscribe(ch);
    eq('PUBLISH after UNSUBSCRIBE', 0, await c.publish(ch, 'late'));
    if (resp === 3) {
      // RESP3 lets a subscribed connection run ordinary commands.
      await sub.subscribe(ch, (message, channel) => inbox.push([channel, message]));
      eq('GET on a subscribed RESP3 connection', null, await sub.get(`nr${resp}:nokey`));
      eq('PUBLISH', 1, await c.publish(ch, 'again'));
      eq('message after a command', [ch, 'again'], await inbox.next());
    }
  });

  scenario(`${tag} pubsub - pSubscribe pattern`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const sub = await ctx.nr(cfg);
    const inbox = new Inbox();
    await sub.pSubscribe(`nr${resp}:news.*`, (message, channel) => inbox.push([channel, message]));
    eq('PUBLISH matching', 1, await c.publish(`nr${resp}:news.sport`, 'goal'));
    eq('PUBLISH not matching', 0, await c.publish(`nr${resp}:weather`, 'rain'));
    eq('PUBLISH matching', 1, await c.publish(`nr${resp}:news.tech`, 'chip'));
    eq('first', [`nr${resp}:news.sport`, 'goal'], await inbox.next());
    eq('second', [`nr${resp}:news.tech`, 'chip'], await inbox.next());
    await sub.pUnsubscribe(`nr${resp}:news.*`);
    eq('PUBLISH after PUNSUBSCRIBE', 0, await c.publish(`nr${resp}:news.sport`, 'late'));
  });

  scenario(`${tag} AUTH - password, username, NOAUTH, wrong password`, async (ctx) => {
    const a = await ctx.nr({ ...cfg, port: opts.authPort, password: opts.password });
    eq('PING after AUTH', 'PONG', await a.ping());
    eq('SET after AUTH', 'OK', await a.set(`nr${resp}:auth`, '1'));
    const u = await ctx.nr({ ...cfg, port: opts.authPort, username: 'default', password: opts.password });
    eq('ACL WHOAMI', 'default', await u.sendCommand(['ACL', 'WHOAMI']));
    if (resp === 2) {
      const n = await ctx.nr({ ...cfg, port: opts.authPort });
      await rejects('GET without AUTH', n.get(`nr${resp}:auth`), /^NOAUTH Authentication required/);
    } else {
      // HELLO 3 without AUTH is refused, so the connect itself fails.
      await rejects('connect without a password', ctx.nr({ ...cfg, port: opts.authPort }), /NOAUTH/);
    }
    await rejects('connect with a wrong password', ctx.nr({ ...cfg, port: opts.authPort, password: 'wrong' }),
      /WRONGPASS invalid username-password pair/);
  });

  scenario(`${tag} client name, CLIENT INFO and HELLO`, async (ctx) => {
    const c = await ctx.nr({ ...cfg, name: `nr-test-${resp}` });
    eq('CLIENT GETNAME', `nr-test-${resp}`, await c.clientGetName());
    const info = await c.sendCommand(['CLIENT', 'INFO']);
    ok(`CLIENT INFO says resp=${resp}: ${info}`, String(info).includes(` resp=${resp}`));
    let hello = await c.sendCommand(['HELLO', String(resp)]);
    if (hello instanceof Map) hello = Object.fromEntries(hello);
    if (Array.isArray(hello)) {
      const o = {};
      for (let i = 0; i + 1 < hello.length; i += 2) o[hello[i]] = hello[i + 1];
      hello = o;
    }
    eq('HELLO proto', resp, hello.proto);
    eq('HELLO server', 'redis', hello.server);
    ok('INFO has redis_version', (await c.info('server')).includes('redis_version:'));
  });

  scenario(`${tag} hashes - hSet an object, hGetAll, hIncrBy counters, hRandField, WRONGTYPE ErrorReply`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const key = `nr${resp}:user:1`;
    const str = `nr${resp}:user:str`;
    await c.del([key, str]);
    const user = { name: 'Alice', email: 'alice@example.com', visits: '0' };
    eq('HSET object', 3, await c.hSet(key, user));
    eq('HGETALL', user, plain(await c.hGetAll(key)));
    // RESP3 answers HGETALL with a map ('%'): kept as a Map by a type mapping.
    const asMap = await c.withTypeMapping({ [RESP_TYPES.MAP]: Map }).hGetAll(key);
    ok(`HGETALL as a Map: ${fmt(asMap)}`, asMap instanceof Map && asMap.size === 3 && asMap.get('name') === 'Alice');
    eq('HGETALL of a missing key', {}, plain(await c.hGetAll(`nr${resp}:user:none`)));
    eq('HGET', 'Alice', await c.hGet(key, 'name'));
    eq('HGET missing field', null, await c.hGet(key, 'nope'));
    eq('HMGET', ['Alice', null, '0'], await c.hmGet(key, ['name', 'nope', 'visits']));
    eq('HEXISTS', [1, 0], [await c.hExists(key, 'email'), await c.hExists(key, 'nope')]);
    eq('HLEN', 3, await c.hLen(key));
    eq('HSTRLEN', 17, await c.hStrLen(key, 'email'));
    eq('HSETNX existing, new', [0, 1], [await c.hSetNX(key, 'name', 'Bob'), await c.hSetNX(key, 'plan', 'free')]);
    const visits = [];
    for (let i = 0; i < 3; i++) visits.push(await c.hIncrBy(key, 'visits', 1));
    eq('HINCRBY x3', [1, 2, 3], visits);
    eq('HINCRBY negative', -2, await c.hIncrBy(key, 'visits', -5));
    eq('HINCRBYFLOAT (a bulk string in RESP2 and RESP3)', ['10.5', '10.75'],
      [await c.hIncrByFloat(key, 'balance', 10.5), await c.hIncrByFloat(key, 'balance', 0.25)]);
    await rejects('HINCRBY on a string field', c.hIncrBy(key, 'name', 1), /^ERR hash value is not an integer$/);
    // A value over 64 bytes (Redis converts the listpack to a hashtable), from a Map.
    const bio = 'likes long walks, '.repeat(8);
    eq('HSET from a Map', 1, await c.hSet(key, new Map([['bio', bio], ['plan', 'pro']])));
    const want = { ...user, visits: '-2', plan: 'pro', balance: '10.75', bio };
    eq('HGETALL after the conversion', want, plain(await c.hGetAll(key)));
    eq('HKEYS', Object.keys(want).sort(), (await c.hKeys(key)).sort());
    eq('HVALS', Object.values(want).sort(), (await c.hVals(key)).sort());
    ok('HRANDFIELD', Object.hasOwn(want, await c.hRandField(key)));
    const two = await c.hRandFieldCount(key, 2);
    ok(`HRANDFIELD 2: ${fmt(two)}`, two.length === 2 && two[0] !== two[1] && two.every((f) => Object.hasOwn(want, f)));
    const rep = await c.hRandFieldCount(key, -20);
    ok(`HRANDFIELD -20: ${rep.length} fields`, rep.length === 20 && rep.every((f) => Object.hasOwn(want, f)));
    const withValues = await c.hRandFieldCountWithValues(key, 3);
    ok(`HRANDFIELD 3 WITHVALUES: ${fmt(withValues)}`, withValues.length === 3 &&
      new Set(withValues.map((e) => e.field)).size === 3 && withValues.every((e) => want[e.field] === e.value));
    eq('HDEL', 2, await c.hDel(key, ['plan', 'bio', 'nope']));
    eq('TYPE', 'hash', await c.type(key));
    await c.set(str, 'v');
    const err = await rejects('HGET on a string', c.hGet(str, 'f'), WRONGTYPE_RE);
    ok(`WRONGTYPE is an ErrorReply: ${err.constructor.name}`, err instanceof ErrorReply);
    await rejects('HSET on a string', c.hSet(str, 'f', 'v'), WRONGTYPE_RE);
    await rejects('GET on a hash', c.get(key), WRONGTYPE_RE);
    await rejects('SADD on a hash', c.sAdd(key, 'x'), WRONGTYPE_RE);
    eq('HDEL every field', 4, await c.hDel(key, await c.hKeys(key)));
    eq('key gone with its last field', 0, await c.exists(key));
  });

  scenario(`${tag} hScanIterator - 1000-field hash, each field once, MATCH; hash commands in multi()`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const other = await ctx.nr(cfg);
    const key = `nr${resp}:bighash`;
    const str = `nr${resp}:bighash:str`;
    await c.del([key, str]);
    const fields = {};
    for (let i = 0; i < 1000; i++) fields[`f:${i}`] = String(i * 7);
    eq('one HSET with 1000 pairs', 1000, await c.hSet(key, fields));
    eq('HLEN', 1000, await c.hLen(key));
    const seen = {};
    let repeats = 0;
    for await (const entries of c.hScanIterator(key, { COUNT: 100 })) {
      for (const { field, value } of entries) {
        if (Object.hasOwn(seen, field)) repeats++;
        seen[field] = value;
      }
    }
    eq('repeats', 0, repeats);
    eq('HSCAN fields and values', fields, seen);
    const matched = [];
    for await (const entries of c.hScanIterator(key, { MATCH: 'f:99*', COUNT: 100 })) matched.push(...entries.map((e) => e.field));
    eq('MATCH f:99*', ['f:99', ...[...Array(10).keys()].map((i) => `f:99${i}`)].sort(), matched.sort());
    eq('HGETALL', fields, plain(await c.hGetAll(key)));
    const res = await c.multi().hIncrBy(key, 'f:1', 1).hGet(key, 'f:1').hDel(key, ['f:2', 'f:3']).hLen(key)
      .hmGet(key, ['f:1', 'f:2']).exec();
    eq('multi() results', [8, '8', 2, 998, ['8', null]], res);
    const small = `nr${resp}:cart`;
    await c.del(small);
    const r2 = await c.multi().hSet(small, { apple: '1', pear: '2' }).hIncrBy(small, 'apple', 10).hGetAll(small).exec();
    eq('HSET, HINCRBY, HGETALL in multi()', [2, 11, { apple: '11', pear: '2' }], [r2[0], r2[1], plain(r2[2])]);
    // WRONGTYPE inside EXEC fails its command only: a MultiErrorReply with every reply.
    await c.set(str, 'x');
    const err = await rejects('EXEC with WRONGTYPE', c.multi().hIncrBy(small, 'apple', 1).hGet(str, 'f').hGet(small, 'apple').exec(),
      /commands failed/);
    eq('replies around the error', [12, '12'], [err.replies[0], err.replies[2]]);
    ok(`WRONGTYPE in place: ${fmt(err.replies[1])}`, err.replies[1] instanceof ErrorReply && err.replies[1].message === WRONGTYPE);
    // Check-and-set on one field: a write to another field of the watched
    // hash aborts EXEC with a WatchError, and the loop retries.
    let attempts = 0;
    for (;;) {
      attempts++;
      await c.watch(small);
      const pears = Number(await c.hGet(small, 'pear'));
      if (attempts === 1) await other.hIncrBy(small, 'plum', 1);
      try {
        await c.multi().hSet(small, 'pear', String(pears - 1)).exec();
        break;
      } catch (e) {
        if (!(e instanceof WatchError) || attempts > 10) throw e;
      }
    }
    eq('attempts', 2, attempts);
    eq('cart', { apple: '12', pear: '1', plum: '1' }, plain(await c.hGetAll(small)));
  });

  scenario(`${tag} defineScript - token-bucket rate limiter (HMGET, HSET, PEXPIRE), exact allow/deny sequence`, async (ctx) => {
    const scripts = {
      takeToken: defineScript({
        SCRIPT: TOKEN_BUCKET_LUA,
        NUMBER_OF_KEYS: 1,
        parseCommand(parser, key, capacity, intervalMs, nowMs) {
          parser.pushKey(key);
          parser.push(String(capacity), String(intervalMs), String(nowMs));
        },
        transformReply: ([allowed, tokens]) => ({ allowed: allowed === 1, tokens }),
      }),
    };
    const c = await ctx.nr({ ...cfg, scripts });
    const model = tokenBucketModel(BUCKET_CAPACITY, BUCKET_INTERVAL, BUCKET_TIMES);
    eq('the model', BUCKET_EXPECTED, model);
    const key = `nr${resp}:bucket:alice`;
    const bob = `nr${resp}:bucket:bob`;
    await c.del([key, bob]);
    const got = [];
    for (const t of BUCKET_TIMES) got.push(await c.takeToken(key, BUCKET_CAPACITY, BUCKET_INTERVAL, BUCKET_T0 + t));
    eq('allow/deny and tokens left', model.map(([a, n]) => ({ allowed: a === 1, tokens: n })), got);
    eq('bucket state', { tokens: '0', ts: String(BUCKET_T0 + 100000) }, plain(await c.hGetAll(key)));
    const pttl = await c.pTTL(key);
    ok(`PTTL in (0, ${BUCKET_CAPACITY * BUCKET_INTERVAL}], got ${pttl}`, pttl > 0 && pttl <= BUCKET_CAPACITY * BUCKET_INTERVAL);
    // In multi(): the first use goes as EVAL, the next ones as EVALSHA.
    await c.scriptFlush();
    const res = await c.multi().takeToken(bob, 2, BUCKET_INTERVAL, BUCKET_T0).takeToken(bob, 2, BUCKET_INTERVAL, BUCKET_T0)
      .takeToken(bob, 2, BUCKET_INTERVAL, BUCKET_T0).hmGet(bob, ['tokens', 'ts']).exec();
    eq('multi()', [{ allowed: true, tokens: 1 }, { allowed: true, tokens: 0 }, { allowed: false, tokens: 0 },
      ['0', String(BUCKET_T0)]], res);
    await c.set(`${key}:str`, 'x');
    await rejects('a bucket key holding a string', c.takeToken(`${key}:str`, 3, 1000, BUCKET_T0),
      new RegExp(`^${WRONGTYPE} script: ${sha1(TOKEN_BUCKET_LUA)}, on @user_script:5\\.$`));
  });

  scenario(`${tag} sets - sAdd, smIsMember, sInter/sUnion/sDiff and STORE, sMove, sPop, sRandMember, sScanIterator`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const [a, b, d] = ['a', 'b', 'dst'].map((s) => `nr${resp}:set:${s}`);
    const big = `nr${resp}:set:big`;
    const ints = `nr${resp}:set:ints`;
    await c.del([a, b, d, big, ints, `${a}:str`]);
    eq('SADD', 4, await c.sAdd(a, ['1', '2', '3', 'x']));
    eq('SADD existing', 1, await c.sAdd(a, ['x', 'y']));
    eq('SMEMBERS', ['1', '2', '3', 'x', 'y'], (await c.sMembers(a)).sort());
    eq('SISMEMBER', [1, 0], [await c.sIsMember(a, 'x'), await c.sIsMember(a, 'z')]);
    eq('SMISMEMBER', [1, 0, 1], await c.smIsMember(a, ['1', 'z', 'y']));
    eq('SCARD', 5, await c.sCard(a));
    eq('SREM', 1, await c.sRem(a, ['y', 'z']));
    await c.sAdd(b, ['2', '3', '4', '5']);
    eq('SINTER', ['2', '3'], (await c.sInter([a, b])).sort());
    eq('SUNION', ['1', '2', '3', '4', '5', 'x'], (await c.sUnion([a, b])).sort());
    eq('SDIFF', ['1', 'x'], (await c.sDiff([a, b])).sort());
    if (resp === 3) {
      // RESP3 set replies ('~'), kept as a Set by a type mapping.
      const typed = c.withTypeMapping({ [RESP_TYPES.SET]: Set });
      const replies = { SMEMBERS: await typed.sMembers(b), SINTER: await typed.sInter([a, b]), SUNION: await typed.sUnion([a, b]),
        SDIFF: await typed.sDiff([a, b]) };
      for (const [what, reply] of Object.entries(replies)) ok(`${what} as a RESP3 set: ${fmt(reply)}`, reply instanceof Set);
    }
    eq('SINTERCARD', [2, 1], [await c.sInterCard([a, b]), await c.sInterCard([a, b], { LIMIT: 1 })]);
    eq('SINTERSTORE, SUNIONSTORE, SDIFFSTORE', [2, 6, 2],
      [await c.sInterStore(d, [a, b]), await c.sUnionStore(d, [a, b]), await c.sDiffStore(d, [a, b])]);
    eq('stored diff', ['1', 'x'], (await c.sMembers(d)).sort());
    eq('an empty SDIFFSTORE deletes the destination', [0, 0], [await c.sDiffStore(d, [a, a]), await c.exists(d)]);
    eq('SMOVE', [1, 0], [await c.sMove(a, d, 'x'), await c.sMove(a, d, 'nope')]);
    eq('after SMOVE', [['1', '2', '3'], ['x']], [(await c.sMembers(a)).sort(), await c.sMembers(d)]);
    ok('SRANDMEMBER', ['1', '2', '3'].includes(await c.sRandMember(a)));
    eq('SRANDMEMBER 10 of 3', ['1', '2', '3'], (await c.sRandMemberCount(a, 10)).sort());
    const rep = await c.sRandMemberCount(a, -10);
    ok(`SRANDMEMBER -10: ${fmt(rep)}`, rep.length === 10 && rep.every((m) => ['1', '2', '3'].includes(m)));
    const popped = await c.sPopCount(a, 2);
    ok(`SPOP 2: ${fmt(popped)}`, popped.length === 2 && popped[0] !== popped[1]);
    const last = ['1', '2', '3'].filter((m) => !popped.includes(m));
    eq('left after SPOP', last, await c.sMembers(a));
    eq('SPOP the last, then an empty set', [last[0], null], [await c.sPop(a), await c.sPop(a)]);
    eq('gone with its last member', 0, await c.exists(a));
    await c.set(`${a}:str`, 'v');
    await rejects('SADD on a string', c.sAdd(`${a}:str`, 'm'), WRONGTYPE_RE);
    await rejects('SUNION with a string', c.sUnion([b, `${a}:str`]), WRONGTYPE_RE);
    // 1000 members (a hashtable) and 600 integers (an intset): each seen once.
    const members = [...Array(1000).keys()].map((i) => `m:${i}`);
    eq('SADD 1000', 1000, await c.sAdd(big, members));
    const seen = [];
    for await (const batch of c.sScanIterator(big, { COUNT: 100 })) seen.push(...batch);
    eq('SSCAN each member once', [...members].sort(), seen.sort());
    const matched = [];
    for await (const batch of c.sScanIterator(big, { MATCH: 'm:7*' })) matched.push(...batch);
    eq('MATCH m:7*', members.filter((m) => m.startsWith('m:7')).sort(), matched.sort());
    const nums = [...Array(600).keys()].map((i) => String(i * 2));
    eq('SADD 600 integers', 600, await c.sAdd(ints, nums));
    const seenInts = [];
    for await (const batch of c.sScanIterator(ints, { COUNT: 64 })) seenInts.push(...batch);
    eq('integers', [...nums].sort(), seenInts.sort());
  });

  scenario(`${tag} tag invalidation - SET + SADD tag sets in multi(), WATCH + sUnion + UNLINK in multi(), retried`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const other = await ctx.nr(cfg);
    const tagKey = (t) => `nr${resp}:tag:${t}`;
    const page = (p) => `nr${resp}:page:${p}`;
    // Caches VALUE and records KEY in each tag's set, in one MULTI.
    const taggedSet = (cl, key, value, tags) => {
      const m = cl.multi().set(key, value, { EX: 300 });
      for (const t of tags) m.sAdd(tagKey(t), key);
      return m.exec();
    };
    // WATCH the tag sets, SUNION them, UNLINK members and sets in MULTI;
    // a WatchError (an entry tagged meanwhile) runs it again.
    const invalidate = async (tags, beforeExec) => {
      const names = tags.map(tagKey);
      for (let attempt = 1; attempt <= 10; attempt++) {
        await c.watch(names);
        const doomed = (await c.sUnion(names)).sort();
        if (beforeExec) await beforeExec(attempt);
        const m = c.multi();
        if (doomed.length) m.unlink(doomed);
        m.unlink(names);
        try {
          await m.exec();
          return { doomed, attempt };
        } catch (e) {
          if (!(e instanceof WatchError)) throw e;
        }
      }
      throw new Error('invalidation not done in 10 attempts');
    };
    const pages = { home: ['news', 'sport'], news1: ['news'], sport1: ['sport'], about: ['static'], shop: ['shop', 'static'] };
    await c.del([...Object.keys(pages), 'sport2'].map(page).concat(['news', 'sport', 'static', 'shop', 'none'].map(tagKey)));
    for (const [p, tags] of Object.entries(pages)) {
      eq(`taggedSet ${p}`, ['OK', ...tags.map(() => 1)], await taggedSet(c, page(p), `<html>${p}</html>`, tags));
    }
    eq('tag:news', [page('home'), page('news1')], (await c.sMembers(tagKey('news'))).sort());
    eq('invalidate news', { doomed: [page('home'), page('news1')], attempt: 1 }, await invalidate(['news']));
    eq('news pages gone', 0, await c.exists([page('home'), page('news1'), tagKey('news')]));
    eq('the others stay', 3, await c.exists([page('sport1'), page('about'), page('shop')]));
    const late = await invalidate(['sport'], async (attempt) => {
      if (attempt === 1) await taggedSet(other, page('sport2'), '<html>late</html>', ['sport']);
    });
    eq('invalidate sport, retried after a late entry', { doomed: [page('home'), page('sport1'), page('sport2')], attempt: 2 }, late);
    eq('sport pages gone', 0, await c.exists([page('sport1'), page('sport2'), tagKey('sport')]));
    eq('invalidate static and shop', [page('about'), page('shop')], (await invalidate(['static', 'shop'])).doomed);
    eq('an unused tag', [], (await invalidate(['none'])).doomed);
    const left = [];
    for await (const keys of c.scanIterator({ MATCH: `nr${resp}:page:*`, COUNT: 100 })) left.push(...keys);
    eq(`no nr${resp}:page: key left`, [], left);
  });

  scenario(`${tag} moving-window rate limiter - lIndex + lPush + lTrim + pExpire in multi(), exact allow/deny sequence`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const k = (s) => `nr${resp}:window:${s}`;
    await c.del([k('alice'), k('bob'), k('str')]);
    await windowSteps({
      allow: async (key, now, limit, pipelined) => {
        const m = c.multi().lIndex(key, limit - 1).lPush(key, String(now)).lTrim(key, 0, limit - 1).pExpire(key, WINDOW_MS);
        const [oldest, ...replies] = pipelined ? await m.execAsPipeline() : await m.exec();
        return [windowAllowed(oldest, now), replies];
      },
      lRange: (key) => c.lRange(key, 0, -1),
      pTTL: (key) => c.pTTL(key),
    }, k('alice'), k('bob'));
    // A limiter key holding a string: WRONGTYPE in place inside EXEC, PEXPIRE still runs.
    await c.set(k('str'), 'x');
    const err = await rejects('EXEC on a string key',
      c.multi().lIndex(k('str'), 2).lPush(k('str'), '1').lTrim(k('str'), 0, 2).pExpire(k('str'), WINDOW_MS).exec(), /commands failed/);
    ok(`WRONGTYPE in place: ${fmt(err.replies)}`, err.replies.slice(0, 3).every((e) => e instanceof ErrorReply && e.message === WRONGTYPE));
    eq('PEXPIRE in EXEC', 1, err.replies[3]);
    eq('the string is untouched', 'x', await c.get(k('str')));
  });

  const nrQueue = (ctx) => ({
    connect: () => ctx.nr(cfg),
    del: (cl, keys) => cl.del(keys),
    exists: (cl, keys) => cl.exists(keys),
    lPush: (cl, key, elements) => cl.lPush(key, elements),
    lRange: (cl, key) => cl.lRange(key, 0, -1),
    lLen: (cl, key) => cl.lLen(key),
    lIndex: (cl, key, i) => cl.lIndex(key, i),
    lMove: (cl, src, dst, from, to) => cl.lMove(src, dst, from, to),
    rPopLPush: (cl, src, dst) => cl.rPopLPush(src, dst),
    lRem: (cl, key, count, element) => cl.lRem(key, count, element),
  });

  scenario(`${tag} reliable queue - lPush, lMove/rPopLPush to processing, lRem, a dead worker's job reaped`, async (ctx) => {
    await reliableQueueSteps(nrQueue(ctx), `nr${resp}:jobs`, `nr${resp}:jobs:processing`);
  });

  scenario(`${tag} reliable queue - 2 producers and 4 workers on their own connections, one dies, exactly once`, async (ctx) => {
    await reliableQueueWorkersSteps(nrQueue(ctx), `nr${resp}:cjobs`, `nr${resp}:cjobs:processing`);
  });

  scenario(`${tag} lists - lPush/rPush, lPopCount/rPopCount, lRange/lIndex/lSet/lInsert/lRem/lTrim, lPosCount, lmPop, lMove`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const other = await ctx.nr(cfg);
    const bc = c.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    const k = (s) => `nr${resp}:list:${s}`;
    const [key, key2, pos, big, str, none, bin] = ['l', 'l2', 'pos', 'big', 'str', 'none', 'bin'].map(k);
    await c.del([key, key2, pos, big, str, none, bin]);
    eq('RPUSH 2', 2, await c.rPush(key, ['x', 'y']));
    eq('LPUSH 2: each to the head', 4, await c.lPush(key, ['w', 'v']));
    eq('LPUSHX, RPUSHX', [5, 6], [await c.lPushX(key, 'u'), await c.rPushX(key, 'z')]);
    eq('LPUSHX, RPUSHX of a missing key', [0, 0, 0], [await c.lPushX(none, 'a'), await c.rPushX(none, ['a', 'b']), await c.exists(none)]);
    eq('LRANGE', ['u', 'v', 'w', 'x', 'y', 'z'], await c.lRange(key, 0, -1));
    eq('LRANGE ranges', [['v', 'w'], ['y', 'z'], ['z'], [], [], []], [await c.lRange(key, 1, 2), await c.lRange(key, -2, -1),
      await c.lRange(key, 5, 100), await c.lRange(key, 10, 20), await c.lRange(key, 3, 2), await c.lRange(none, 0, -1)]);
    eq('LLEN', [6, 0], [await c.lLen(key), await c.lLen(none)]);
    const indexes = [];
    for (const i of [0, -1, 3, 6, -7]) indexes.push(await c.lIndex(key, i));
    eq('LINDEX', ['u', 'z', 'x', null, null], indexes);
    eq('LSET', 'OK', await c.lSet(key, 1, 'V'));
    await rejects('LSET out of range', c.lSet(key, 6, 'no'), /^ERR index out of range$/);
    await rejects('LSET of a missing key', c.lSet(none, 0, 'no'), /^ERR no such key$/);
    eq('LINSERT BEFORE, AFTER, a missing pivot, a missing key', [7, 8, -1, 0], [await c.lInsert(key, 'BEFORE', 'x', 'x0'),
      await c.lInsert(key, 'AFTER', 'z', 'z1'), await c.lInsert(key, 'AFTER', 'nope', 'q'), await c.lInsert(none, 'AFTER', 'x', 'q')]);
    eq('after LSET and LINSERT', ['u', 'V', 'w', 'x0', 'x', 'y', 'z', 'z1'], await c.lRange(key, 0, -1));
    // An element without a count, an array with one; [] for COUNT 0 of a
    // list, null for a missing key.
    eq('LPOP', 'u', await c.lPop(key));
    eq('LPOP COUNT 2', ['V', 'w'], await c.lPopCount(key, 2));
    eq('RPOP COUNT 2', ['z1', 'z'], await c.rPopCount(key, 2));
    eq('RPOP', 'y', await c.rPop(key));
    eq('LPOP COUNT 0', [], await c.lPopCount(key, 0));
    eq('LPOP COUNT, RPOP, RPOP COUNT of a missing key', [null, null, null],
      [await c.lPopCount(none, 2), await c.rPop(none), await c.rPopCount(none, 2)]);
    eq('left', ['x0', 'x'], await c.lRange(key, 0, -1));
    // LPOS: RANK picks the n-th match (negative: from the tail), COUNT 0 all
    // of them, MAXLEN looks at that many elements only.
    eq('RPUSH', 7, await c.rPush(pos, ['a', 'b', 'c', 'a', 'b', 'c', 'a']));
    eq('LPOS, RANK 2, -1, -2', [0, 3, 6, 3], [await c.lPos(pos, 'a'), await c.lPos(pos, 'a', { RANK: 2 }),
      await c.lPos(pos, 'a', { RANK: -1 }), await c.lPos(pos, 'a', { RANK: -2 })]);
    eq('lPosCount 0, 2, RANK -1, RANK 2', [[0, 3, 6], [0, 3], [6, 3], [3, 6]], [await c.lPosCount(pos, 'a', 0),
      await c.lPosCount(pos, 'a', 2), await c.lPosCount(pos, 'a', 2, { RANK: -1 }), await c.lPosCount(pos, 'a', 0, { RANK: 2 })]);
    eq('MAXLEN', [[0, 3], [6], null], [await c.lPosCount(pos, 'a', 0, { MAXLEN: 4 }),
      await c.lPosCount(pos, 'a', 0, { RANK: -1, MAXLEN: 2 }), await c.lPos(pos, 'c', { MAXLEN: 1 })]);
    eq('no match: null, or [] with COUNT', [null, [], null],
      [await c.lPos(pos, 'z'), await c.lPosCount(pos, 'z', 1), await c.lPos(pos, 'a', { RANK: 4 })]);
    eq('LPOS of a missing key', [null, []], [await c.lPos(none, 'a'), await c.lPosCount(none, 'a', 0)]);
    const rank0 = await rejects('LPOS RANK 0', c.lPos(pos, 'a', { RANK: 0 }), /^ERR RANK can't be zero/);
    eq('LPOS RANK 0 error text', "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... " +
      'or use negative to start from the end of the list', rank0.message);
    await rejects('LPOS COUNT -1', c.lPosCount(pos, 'a', -1), /^ERR COUNT can't be negative$/);
    // LREM: COUNT > 0 from the head, < 0 from the tail, 0 every one.
    eq('LREM 1 a, -1 c', [1, 1], [await c.lRem(pos, 1, 'a'), await c.lRem(pos, -1, 'c')]);
    eq('after LREM', ['b', 'c', 'a', 'b', 'a'], await c.lRange(pos, 0, -1));
    eq('LREM 0 b, LREM of no match', [2, 0], [await c.lRem(pos, 0, 'b'), await c.lRem(pos, 0, 'zz')]);
    eq('LTRIM 1 -1', ['OK', ['a', 'a']], [await c.lTrim(pos, 1, -1), await c.lRange(pos, 0, -1)]);
    eq('LTRIM to nothing deletes the key', ['OK', 0], [await c.lTrim(pos, 5, 1), await c.exists(pos)]);
    // LMPOP: the first non-empty list of the keys given, as [key, elements].
    eq('LMPOP LEFT', [key, ['x0']], await c.lmPop([none, key], 'LEFT'));
    eq('RPUSH', 3, await c.rPush(key2, ['1', '2', '3']));
    eq('LMPOP RIGHT COUNT 5', [key2, ['3', '2', '1']], await c.lmPop([none, key2, key], 'RIGHT', { COUNT: 5 }));
    eq('the emptied list is gone', 0, await c.exists(key2));
    eq('LMPOP of missing keys', null, await c.lmPop([none, key2], 'LEFT'));
    await rejects('LMPOP COUNT 0', c.lmPop([key], 'LEFT', { COUNT: 0 }), /^ERR count should be greater than 0$/);
    // LMOVE between lists and onto the same list (a rotation), RPOPLPUSH.
    await c.rPush(key2, ['1', '2', '3']);
    eq('LMOVE LEFT RIGHT', '1', await c.lMove(key2, key, 'LEFT', 'RIGHT'));
    eq('LMOVE of a list onto itself rotates it', 'x', await c.lMove(key, key, 'LEFT', 'RIGHT'));
    eq('RPOPLPUSH', '3', await c.rPopLPush(key2, key));
    eq('after LMOVE', [['3', '1', 'x'], ['2']], [await c.lRange(key, 0, -1), await c.lRange(key2, 0, -1)]);
    eq('LMOVE of a missing key', null, await c.lMove(none, key, 'LEFT', 'RIGHT'));
    eq('LMOVE the last element, the source gone', ['2', 0], [await c.lMove(key2, key, 'RIGHT', 'LEFT'), await c.exists(key2)]);
    eq('TYPE', 'list', await c.type(key));
    // 1000 elements and one over 64 bytes: LSET, LPOS, LINSERT, LREM inside.
    const values = [...Array(1000).keys()].map((i) => `v:${i}`);
    eq('RPUSH 1000', 1000, await c.rPush(big, values));
    eq('LRANGE of 1000', values, await c.lRange(big, 0, -1));
    eq('LINDEX 500, -1', ['v:500', 'v:999'], [await c.lIndex(big, 500), await c.lIndex(big, -1)]);
    const long = 'a long element, '.repeat(8);
    eq('LSET a long element, LPOS of it', ['OK', [500]], [await c.lSet(big, 500, long), await c.lPosCount(big, long, 0)]);
    eq('LINSERT after it', 1001, await c.lInsert(big, 'AFTER', long, 'after-long'));
    eq('LRANGE 499-502', ['v:499', long, 'after-long', 'v:501'], await c.lRange(big, 499, 502));
    eq('LREM it', 1, await c.lRem(big, 0, long));
    eq('LPOS MAXLEN 100 of an element past it', null, await c.lPos(big, 'v:200', { MAXLEN: 100 }));
    eq('LTRIM to the last 10', ['OK', values.slice(990)], [await c.lTrim(big, -10, -1), await c.lRange(big, 0, -1)]);
    // Binary elements, read back as Buffers.
    const elem = Buffer.from('a\0b\r\nc\xff', 'latin1');
    eq('RPUSH binary', 2, await c.rPush(bin, [elem, Buffer.from('\r\n')]));
    eq('LRANGE binary', [elem, Buffer.from('\r\n')], await bc.lRange(bin, 0, -1));
    eq('LPOS binary', 1, await c.lPos(bin, Buffer.from('\r\n')));
    // WATCH on a list: another connection's RPUSH aborts EXEC (WatchError), the loop retries.
    let attempts = 0;
    for (;;) {
      attempts++;
      await c.watch(key);
      const items = await c.lRange(key, 0, -1);
      if (attempts === 1) await other.rPush(key, 'late');
      try {
        await c.multi().del(key).rPush(key2, items).exec();
        break;
      } catch (e) {
        if (!(e instanceof WatchError) || attempts > 10) throw e;
      }
    }
    eq('attempts', 2, attempts);
    eq('moved, the late element too', [0, ['2', '3', '1', 'x', 'late']], [await c.exists(key), await c.lRange(key2, 0, -1)]);
    // WRONGTYPE as an ErrorReply with the full text, both ways.
    await c.set(str, 'v');
    const err = await rejects('LPUSH on a string', c.lPush(str, 'a'), WRONGTYPE_RE);
    ok(`WRONGTYPE is an ErrorReply: ${err.constructor.name}`, err instanceof ErrorReply);
    await rejects('LRANGE on a string', c.lRange(str, 0, -1), WRONGTYPE_RE);
    await rejects('LPOP COUNT on a string', c.lPopCount(str, 2), WRONGTYPE_RE);
    await rejects('LPOS on a string', c.lPos(str, 'a'), WRONGTYPE_RE);
    await rejects('LMOVE to a string', c.lMove(key2, str, 'LEFT', 'RIGHT'), WRONGTYPE_RE);
    await rejects('LMPOP of a string', c.lmPop([none, str], 'LEFT'), WRONGTYPE_RE);
    await rejects('GET on a list', c.get(key2), WRONGTYPE_RE);
    eq('the list is untouched', ['2', '3', '1', 'x', 'late'], await c.lRange(key2, 0, -1));
  });

  scenario(`${tag} bitmaps - daily active users with setBit/bitCount/bitPos/bitOp, bitField counters, bitFieldRo, LCS`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const bc = c.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    const k = (s) => `nr${resp}:bits:${s}`;
    await c.del(['d1', 'd2', 'both', 'any', 'hits', 'sat', 'hash', 'lcs1', 'lcs2'].map(k));
    const setBits = [];
    for (const u of DAY1) setBits.push(await c.setBit(k('d1'), u, 1));
    eq('SETBIT day 1', DAY1.map(() => 0), setBits);
    eq('SETBIT again returns the old bit', 1, await c.setBit(k('d1'), 5, 1));
    await Promise.all(DAY2.map((u) => c.setBit(k('d2'), u, 1)));
    eq('BITCOUNT', [6, 5], [await c.bitCount(k('d1')), await c.bitCount(k('d2'))]);
    eq('GETBIT', [1, 0, 0], [await c.getBit(k('d1'), 5), await c.getBit(k('d1'), 6), await c.getBit(k('d1'), 1 << 20)]);
    eq('users of day 1 from GET', DAY1, bitsOf(await bc.get(k('d1'))));
    eq('BITCOUNT ranges', [3, 1, 3, 4], [
      await c.bitCount(k('d1'), { start: 0, end: 0 }),
      await c.bitCount(k('d1'), { start: -1, end: -1 }),
      await c.bitCount(k('d1'), { start: 0, end: 99, mode: 'BIT' }),
      await c.bitCount(k('d1'), { start: 0, end: 100, mode: 'BIT' })]);
    eq('BITPOS', [1, 0, 100, 7, -1], [
      await c.bitPos(k('d1'), 1), await c.bitPos(k('d1'), 0), await c.bitPos(k('d1'), 1, 1),
      await c.bitPos(k('d1'), 1, 6, 2000, 'BIT'), await c.bitPos(k('none'), 1)]);
    eq('BITOP AND, OR', [1250, 1250],
      [await c.bitOp('AND', k('both'), [k('d1'), k('d2')]), await c.bitOp('OR', k('any'), [k('d1'), k('d2')])]);
    eq('both days', [5, 7, 100], bitsOf(await bc.get(k('both'))));
    eq('either day', sortedNums(new Set([...DAY1, ...DAY2])), bitsOf(await bc.get(k('any'))));
    // Hourly hit counters: one u32 per hour, #n is the n-th.
    const inc = (offset) => ({ operation: 'INCRBY', encoding: 'u32', offset, increment: 1 });
    eq('BITFIELD INCRBY u32', [1, 2, 1], await c.bitField(k('hits'), [inc('#3'), inc('#3'), inc('#7')]));
    eq('STRLEN: 8 counters', 32, await c.strLen(k('hits')));
    const raw = await bc.get(k('hits'));
    eq('big-endian counters', [0, 0, 0, 2, 0, 0, 0, 1], [...Array(8).keys()].map((i) => raw.readUInt32BE(i * 4)));
    eq('bitFieldRo', [2, 0], await c.bitFieldRo(k('hits'), [{ encoding: 'u32', offset: '#3' }, { encoding: 'u32', offset: '#0' }]));
    // Saturating counters as cashews keeps them: OVERFLOW SAT, then WRAP and FAIL.
    eq('u8 OVERFLOW SAT', [200, 255, 255], await c.bitField(k('sat'), [
      { operation: 'OVERFLOW', behavior: 'SAT' },
      { operation: 'INCRBY', encoding: 'u8', offset: '#0', increment: 200 },
      { operation: 'INCRBY', encoding: 'u8', offset: '#0', increment: 100 },
      { operation: 'INCRBY', encoding: 'u8', offset: '#0', increment: 1 }]));
    eq('u8 WRAP, FAIL', [200, 44, 250, null], await c.bitField(k('sat'), [
      { operation: 'OVERFLOW', behavior: 'WRAP' },
      { operation: 'INCRBY', encoding: 'u8', offset: '#2', increment: 200 },
      { operation: 'INCRBY', encoding: 'u8', offset: '#2', increment: 100 },
      { operation: 'OVERFLOW', behavior: 'FAIL' },
      { operation: 'INCRBY', encoding: 'u8', offset: '#3', increment: 250 },
      { operation: 'INCRBY', encoding: 'u8', offset: '#3', increment: 10 }]));
    eq('i8 SAT, SET returns the old value', [-100, -128, 255, 7], await c.bitField(k('sat'), [
      { operation: 'OVERFLOW', behavior: 'SAT' },
      { operation: 'INCRBY', encoding: 'i8', offset: '#1', increment: -100 },
      { operation: 'INCRBY', encoding: 'i8', offset: '#1', increment: -100 },
      { operation: 'SET', encoding: 'u8', offset: '#0', value: 7 },
      { operation: 'GET', encoding: 'u8', offset: '#0' }]));
    eq('bytes', Buffer.from([0x07, 0x80, 0x2c, 0xfa]), await bc.get(k('sat')));
    await c.hSet(k('hash'), 'f', 'v');
    await rejects('SETBIT on a hash', c.setBit(k('hash'), 1, 1), WRONGTYPE_RE);
    await rejects('BITFIELD on a hash', c.bitField(k('hash'), [inc('#0')]), WRONGTYPE_RE);
    await rejects('SETBIT offset out of range', c.setBit(k('d1'), 2 ** 32, 1), /^ERR bit offset is not an integer or out of range$/);
    await c.mSet({ [k('lcs1')]: 'ohmytext', [k('lcs2')]: 'mynewtext' });
    eq('LCS', 'mytext', await c.lcs(k('lcs1'), k('lcs2')));
    eq('LCS LEN', 6, await c.lcsLen(k('lcs1'), k('lcs2')));
    eq('LCS IDX MINMATCHLEN WITHMATCHLEN', { matches: [[[4, 7], [5, 8], 4]], len: 6 },
      plain(await c.lcsIdxWithMatchLen(k('lcs1'), k('lcs2'), { MINMATCHLEN: 4 })));
  });

  scenario(`${tag} sliding-window rate limiter on a sorted set - defineScript (ZREMRANGEBYSCORE, ZCARD, ZADD, PEXPIRE), exact sequence`, async (ctx) => {
    const scripts = {
      zWindow: defineScript({
        SCRIPT: ZWINDOW_LUA,
        NUMBER_OF_KEYS: 1,
        parseCommand(parser, key, nowMs, windowMs, limit, member) {
          parser.pushKey(key);
          parser.push(String(nowMs), String(windowMs), String(limit), member);
        },
        transformReply: ([allowed, count]) => ({ allowed: allowed === 1, count }),
      }),
    };
    const c = await ctx.nr({ ...cfg, scripts });
    const k = (s) => `nr${resp}:zwindow:${s}`;
    await c.del([k('alice'), k('str')]);
    await zWindowScriptSteps({
      script: async (key, now, member) => {
        const { allowed, count } = await c.zWindow(key, now, ZWINDOW_MS, ZWINDOW_LIMIT, member);
        return [allowed ? 1 : 0, count];
      },
      zRangeWithScores: async (key) => (await c.zRangeWithScores(key, 0, -1)).map(({ value, score }) => [value, score]),
      score: (t) => t,
      pTTL: (key) => c.pTTL(key),
    }, k('alice'));
    eq('ZSCORE of the newest', WINDOW_T0 + 45000, await c.zScore(k('alice'), `${WINDOW_T0 + 45000}:16`));
    await c.set(k('str'), 'x');
    await rejects('a limiter key holding a string', c.zWindow(k('str'), WINDOW_T0, ZWINDOW_MS, ZWINDOW_LIMIT, 'm'),
      new RegExp(`^${WRONGTYPE} script: ${sha1(ZWINDOW_LUA)}, on @user_script:4\\.$`));
  });

  scenario(`${tag} sliding-window rate limiter on a sorted set - zRemRangeByScore + zCard + zAdd + pExpire in multi(), execAsPipeline`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const k = (s) => `nr${resp}:zwindow:${s}`;
    await c.del([k('multi'), k('bob')]);
    await zWindowMultiSteps({
      multi: async (key, now, member, limit, pipelined) => {
        const m = c.multi().zRemRangeByScore(key, '-inf', now - ZWINDOW_MS).zCard(key).zAdd(key, { score: now, value: member })
          .pExpire(key, ZWINDOW_MS);
        const replies = pipelined ? await m.execAsPipeline() : await m.exec();
        return [replies[1] < limit ? 1 : 0, replies];
      },
      zRange: (key) => c.zRange(key, 0, -1),
    }, k('multi'), k('bob'));
  });

  const nrBlocking = (ctx) => ({
    connect: () => ctx.nr(cfg),
    connection: (c) => ctx.nrDuplicate(c),
    info: (cl) => cl.info('clients'),
    brPop: async (cl, key, timeout) => {
      const got = await cl.brPop(key, timeout);
      return got === null ? null : [got.key, got.element];
    },
    blMove: (cl, src, dst, timeout) => cl.blMove(src, dst, 'RIGHT', 'LEFT', timeout),
    lPush: (cl, key, elements) => cl.lPush(key, elements),
    lRem: (cl, key, count, element) => cl.lRem(key, count, element),
    lRange: (cl, key) => cl.lRange(key, 0, -1),
    exists: (cl, keys) => cl.exists(keys),
    del: (cl, keys) => cl.del(keys),
  });

  scenario(`${tag} job queue - blocking workers on duplicate() clients: brPop and blMove woken by a later lPush, 3 workers x 200 jobs, each once`, async (ctx) => {
    await blockingQueueSteps(nrBlocking(ctx), `nr${resp}:bjobs`, [0, 1, 2].map((n) => `nr${resp}:bjobs:processing:${n}`));
  });

  scenario(`${tag} leaderboard - zIncrBy, top 3 with scores, zRevRank/zRank, zScore, zmScore, zPopMin, bzPopMin woken by zAdd`, async (ctx) => {
    const c = await ctx.nr(cfg);
    const other = await ctx.nr(cfg);
    const [key, q, none] = ['lb', 'lb:queue', 'lb:none'].map((s) => `nr${resp}:${s}`);
    await c.del([key, q, none]);
    // Scores as the server spells them: node-redis 5's RESP3 double decoder
    // adds the digits up one by one, so a 17-digit double can come out an ulp
    // off (0.30000000000000004 reads 0.3000000000000001), from either server.
    // zoe's score is read with a String type mapping, then Number().
    const sc = c.withTypeMapping({ [RESP_TYPES.DOUBLE]: String });
    const scores = [];
    for (const [player, by] of LEADERBOARD_PLAYS) scores.push(await sc.zIncrBy(key, by, player));
    // 0.1 is 0.10000000000000001 from Redis 7.0 (%.17g), 0.1 from 7.2+; every other score reads the same.
    eq('ZINCRBY: the new scores as strings, but the 0.1', LEADERBOARD_SCORES.map(String).filter((_, i) => i !== 9),
      scores.filter((_, i) => i !== 9));
    ok(`ZINCRBY 0.1 spelled ${scores[9]}`, ['0.1', '0.10000000000000001'].includes(scores[9]));
    eq('ZINCRBY: the new scores, read as numbers', LEADERBOARD_SCORES, scores.map(Number));
    eq('zIncrBy: a number', 18.5, await c.zIncrBy(key, 0, 'dave'));
    const top = [{ value: 'alice', score: 25 }, { value: 'frank', score: 20 }, { value: 'bob', score: 20 }];
    eq('zRangeWithScores 0 2 REV: the top 3, a tie in reverse member order', top, await c.zRangeWithScores(key, 0, 2, { REV: true }));
    eq('ZREVRANGE 0 2 WITHSCORES (sendCommand)',
      resp === 3 ? [['alice', 25], ['frank', 20], ['bob', 20]] : ['alice', '25', 'frank', '20', 'bob', '20'],
      await c.sendCommand(['ZREVRANGE', key, '0', '2', 'WITHSCORES']));
    eq('zRange REV', ['alice', 'frank', 'bob'], await c.zRange(key, 0, 2, { REV: true }));
    eq('ZREVRANK', [0, 1, 2, 3, 6, null], await Promise.all(['alice', 'frank', 'bob', 'dave', 'zoe', 'nobody'].map((p) => c.zRevRank(key, p))));
    eq('ZRANK', [6, 5, 4, 0, null], await Promise.all(['alice', 'frank', 'bob', 'zoe', 'nobody'].map((p) => c.zRank(key, p))));
    eq('ZSCORE', [18.5, null], await Promise.all(['dave', 'nobody'].map((p) => c.zScore(key, p))));
    eq('ZSCORE, DOUBLE as String', '0.30000000000000004', await sc.zScore(key, 'zoe'));
    eq('ZMSCORE', [25, null, 7.5], await c.zmScore(key, ['alice', 'nobody', 'carol']));
    eq('ZCARD', 7, await c.zCard(key));
    eq('zPopMin, DOUBLE as String', { value: 'zoe', score: '0.30000000000000004' }, await sc.zPopMin(key));
    eq('zPopMinCount 2', [{ value: 'erin', score: 3 }, { value: 'carol', score: 7.5 }], await c.zPopMinCount(key, 2));
    eq('zPopMin of a missing key', null, await c.zPopMin(none));
    eq('what is left', [...top, { value: 'dave', score: 18.5 }], await c.zRangeWithScores(key, 0, -1, { REV: true }));
    // A consumer blocked on an empty sorted set, woken by another connection's ZADD.
    const start = Date.now();
    eq('BZPOPMIN timeout 0.1', null, await c.bzPopMin(none, 0.1));
    const elapsed = Date.now() - start;
    ok(`timed out in [100, 3000) ms, took ${elapsed}`, elapsed >= 100 && elapsed < 3000);
    const consumer = await ctx.nrDuplicate(c);
    const pending = consumer.bzPopMin([none, q], 5);
    pending.catch(() => {});
    eq('the consumer is blocked', 1, await waitBlocked(() => c.info('clients'), 1));
    eq('ZADD from another connection', 2, await other.zAdd(q, [{ score: 5, value: 'late' }, { score: 2.5, value: 'early' }]));
    eq('bzPopMin woken: {key, value, score}', { key: q, value: 'early', score: 2.5 }, await pending);
    eq('bzPopMin of a non-empty key does not block', { key: q, value: 'late', score: 5 }, await consumer.bzPopMin([none, q], 1));
    eq('the queue gone', 0, await c.exists(q));
    await c.set(none, 'x');
    await rejects('BZPOPMIN of a string', consumer.bzPopMin(none, 1), WRONGTYPE_RE);
  });

  scenario(`${tag} functions - functionLoad (REPLACE), createClient({functions}) FCALL / FCALL_RO, fCall/fCallRo, functionList, functionDelete`, async (ctx) => {
    const lib = `nr${resp}lib`;
    const [hit, peek, version] = ['hit', 'peek', 'version'].map((f) => `${lib}_${f}`);
    // IS_READ_ONLY functions are sent as FCALL_RO, the others as FCALL.
    const functions = {
      [lib]: {
        [hit]: {
          NUMBER_OF_KEYS: 1,
          parseCommand(parser, key, by, ttlMs) {
            parser.pushKey(key);
            parser.push(String(by), String(ttlMs));
          },
        },
        [peek]: {
          NUMBER_OF_KEYS: 1,
          IS_READ_ONLY: true,
          parseCommand(parser, key) {
            parser.pushKey(key);
          },
          transformReply: ([count, pttl]) => ({ count, pttl }),
        },
        [version]: { NUMBER_OF_KEYS: 0, IS_READ_ONLY: true, parseCommand() {} },
      },
    };
    const c = await ctx.nr({ ...cfg, functions });
    const [key, h] = [`nr${resp}:fn:hits`, `nr${resp}:fn:hash`];
    await c.del([key, h]);
    // FLUSHALL keeps functions: a library left by an earlier run.
    if ((await c.functionList({ LIBRARYNAME: lib })).length) await c.functionDelete(lib);
    const [v1, v2] = [functionLibrary(lib, 1), functionLibrary(lib, 2)];
    eq('FUNCTION LOAD', lib, await c.functionLoad(v1));
    await rejects('FUNCTION LOAD again', c.functionLoad(v1), new RegExp(`^ERR Library '${lib}' already exists$`));
    eq('FUNCTION LOAD REPLACE', lib, await c.functionLoad(v2, { REPLACE: true }));
    eq('FCALL_RO version: the replaced library', 2, await c[lib][version]());
    eq('FCALL hit', [5, 8], [await c[lib][hit](key, 5, 60000), await c[lib][hit](key, 3, 60000)]);
    const { count, pttl } = await c[lib][peek](key);
    eq('FCALL_RO peek: the count', 8, count);
    ok(`FCALL_RO peek: PTTL in (0, 60000], got ${pttl}`, pttl > 0 && pttl <= 60000);
    eq('fCall of a no-writes function', 8, (await c.fCall(peek, { keys: [key] }))[0]);
    eq('fCallRo peek of a missing key', [0, -2], await c.fCallRo(peek, { keys: [`nr${resp}:fn:none`] }));
    await rejects('fCallRo of a write function', c.fCallRo(hit, { keys: [key], arguments: ['1', '60000'] }),
      /^ERR Can not execute a script with write flag using \*_ro command\.$/);
    eq('the count after the refused FCALL_RO', '8', await c.get(key));
    await c.hSet(h, 'f', 'v');
    const err = await rejects('FCALL hit on a hash', c[lib][hit](h, 1, 60000), /^WRONGTYPE /);
    eq('error text', `${WRONGTYPE} script: ${hit}, on @user_function:3.`, err.message);
    await rejects('fCall of an unknown function', c.fCall(`${lib}_nope`), /^ERR Function not found$/);
    const res = await c.multi()[lib][hit](key, 2, 60000)[lib][peek](key).get(key).exec();
    eq('FCALL and FCALL_RO in multi()', [10, 10, '10'], [res[0], res[1].count, res[2]]);
    // RESP3 replies maps (objects without a prototype), flags as a set (an array here).
    const norm = (l) => ({ ...plain(l), functions: l.functions.map((f) => plain(f)).sort(byName) });
    eq('functionList LIBRARYNAME', functionListExpected(lib), (await c.functionList({ LIBRARYNAME: lib })).map(norm));
    eq('functionListWithCode', v2, (await c.functionListWithCode({ LIBRARYNAME: lib }))[0].library_code);
    eq('functionDelete', 'OK', await c.functionDelete(lib));
    eq('functionList after the delete', [], await c.functionList({ LIBRARYNAME: lib }));
    await rejects('FCALL after the delete', c[lib][version](), /^ERR Function not found$/);
    await rejects('functionDelete again', c.functionDelete(lib), /^ERR Library not found$/);
    eq('the keys are still there', ['10', { f: 'v' }], [await c.get(key), plain(await c.hGetAll(h))]);
  });
}

// ===========================================================================
// ioredis

const IO = `ioredis ${IOREDIS_VERSION}`;

scenario(`${NR} unix socket - createClient({socket: {path}})`, async (ctx) => {
  if (!opts.socket) throw new Skip('no --socket given');
  const c = createClient({ socket: { path: opts.socket, connectTimeout: CONNECT_MS, reconnectStrategy: false } });
  c.on('error', () => {});
  ctx.closers.push(() => c.destroy());
  await c.connect();
  eq('PING', 'PONG', await c.ping());
  eq('SET', 'OK', await c.set('nr:unix', 'via path'));
  eq('GET over TCP', 'via path', await (await ctx.nr()).get('nr:unix'));
  const info = await c.sendCommand(['CLIENT', 'INFO']);
  ok(`CLIENT INFO says U and the path: ${fmt(info)}`, info.includes(` addr=${opts.socket}:0 `) && / flags=U /.test(info));
  eq('multi()', ['OK', 'via path'], await c.multi().set('nr:unix2', 'x').get('nr:unix').exec());
  await c.del(['nr:unix', 'nr:unix2']);
});

scenario(`${IO} unix socket - new Redis({path})`, async (ctx) => {
  if (!opts.socket) throw new Skip('no --socket given');
  const c = await ctx.io({ path: opts.socket });
  eq('PING', 'PONG', await c.ping());
  eq('SET', 'OK', await c.set('io:unix', 'via path'));
  const info = await c.client('INFO');
  ok(`CLIENT INFO says U: ${fmt(info)}`, / flags=U /.test(info));
  const res = await c.pipeline().incr('io:unix:n').incr('io:unix:n').get('io:unix').exec();
  eq('pipeline', [[null, 1], [null, 2], [null, 'via path']], res);
  await c.del('io:unix', 'io:unix:n');
});

scenario(`${IO} ready check - connect waits for INFO with loading:0`, async (ctx) => {
  const c = await ctx.io();
  eq('status after connect()', 'ready', c.status);
  const info = await c.info('persistence');
  ok(`INFO persistence has loading:0: ${fmt(info)}`, /(^|\r\n)loading:0\r\n/.test(info));
  eq('PING', 'PONG', await c.ping());
  // The ready event fires for a client that connects on its own too.
  const auto = new Redis({ host: opts.host, port: opts.port, connectTimeout: CONNECT_MS, retryStrategy: () => null });
  auto.on('error', () => {});
  ctx.closers.push(() => auto.disconnect());
  await new Promise((resolve, reject) => {
    auto.once('ready', resolve);
    auto.once('end', () => reject(new Error('connection ended before ready')));
  });
  eq('GET', null, await auto.get('io:none'));
});

scenario(`${IO} commands - strings, counters, expiry and key commands`, async (ctx) => {
  const c = await ctx.io();
  eq('SET', 'OK', await c.set('io:s', 'hello'));
  eq('GET', 'hello', await c.get('io:s'));
  eq('APPEND', 11, await c.append('io:s', ' world'));
  eq('GETRANGE', 'world', await c.getrange('io:s', 6, -1));
  eq('SET NX on existing', null, await c.set('io:s', 'x', 'NX'));
  eq('SET GET', 'hello world', await c.set('io:s', 'new', 'GET'));
  eq('INCR', 1, await c.incr('io:n'));
  eq('INCRBY', 11, await c.incrby('io:n', 10));
  eq('MSET', 'OK', await c.mset({ 'io:a': '1', 'io:b': '2' }));
  eq('MGET', ['1', '2', null], await c.mget('io:a', 'io:b', 'io:nope'));
  eq('EXPIRE', 1, await c.expire('io:a', 100));
  const ttl = await c.ttl('io:a');
  ok(`TTL in (0, 100], got ${ttl}`, ttl > 0 && ttl <= 100);
  eq('DEL', 2, await c.del('io:a', 'io:b', 'io:nope'));
  await rejects('INCR on a non-integer', c.incr('io:s'), /^ERR value is not an integer or out of range$/);
});

scenario(`${IO} commands - binary values with NUL and CRLF round-trip`, async (ctx) => {
  const c = await ctx.io();
  const value = Buffer.concat([Buffer.from('a\0b\r\nc\xff', 'latin1'), randomBytes(100000), Buffer.from('\r\n')]);
  const key = Buffer.from('io:bin\0\r\n');
  eq('SET', 'OK', await c.set(key, value));
  const got = await c.getBuffer(key);
  ok(`getBuffer returned ${got && got.length} bytes, want ${value.length} equal ones`, Buffer.isBuffer(got) && got.equals(value));
});

scenario(`${IO} pipeline() - 1000 commands, [err, reply] pairs, an error in place`, async (ctx) => {
  const c = await ctx.io();
  const p = c.pipeline();
  for (let i = 0; i < 500; i++) p.set(`io:p:${i}`, String(i));
  for (let i = 0; i < 500; i++) p.get(`io:p:${i}`);
  const res = await p.exec();
  eq('replies', 1000, res.length);
  ok('no errors', res.every(([err]) => err === null));
  eq('GET replies', [...Array(500).keys()].map(String), res.slice(500).map(([, v]) => v));
  const r2 = await c.pipeline().set('io:p:s', 'x').incr('io:p:s').get('io:p:s').exec();
  eq('first', [null, 'OK'], r2[0]);
  ok(`second is an error: ${fmt(r2[1][0])}`, r2[1][0] instanceof Error);
  eq('third', [null, 'x'], r2[2]);
});

scenario(`${IO} autopipelining - 1000 concurrent commands batched`, async (ctx) => {
  const c = await ctx.io({ enableAutoPipelining: true });
  const res = await Promise.all([...Array(1000).keys()].map((i) => c.set(`io:ap:${i}`, String(i))));
  eq('SET replies', Array(1000).fill('OK'), res);
  eq('MGET', ['0', '999'], await c.mget('io:ap:0', 'io:ap:999'));
});

scenario(`${IO} multi() - MULTI/EXEC results, an error inside EXEC`, async (ctx) => {
  const c = await ctx.io();
  await c.del('io:t:n');
  eq('EXEC', [[null, 1], [null, 2], [null, 'OK'], [null, 'v']],
    await c.multi().incr('io:t:n').incr('io:t:n').set('io:t:s', 'v').get('io:t:s').exec());
  const res = await c.multi().set('io:t:s', 'abc').incr('io:t:s').get('io:t:s').exec();
  eq('SET', [null, 'OK'], res[0]);
  ok(`INCR error: ${fmt(res[1])}`, res[1][0] instanceof Error && /not an integer/.test(res[1][0].message));
  eq('GET', [null, 'abc'], res[2]);
});

scenario(`${IO} watch() - optimistic increment retried while another connection interferes`, async (ctx) => {
  const c = await ctx.io();
  const other = await ctx.io();
  await c.set('io:w', '0');
  let attempts = 0;
  for (;;) {
    attempts++;
    await c.watch('io:w');
    const cur = Number(await c.get('io:w'));
    if (attempts <= 2) await other.incrby('io:w', 100);
    const res = await c.multi().set('io:w', String(cur + 1)).exec();
    if (res !== null) break; // null: EXEC aborted by WATCH
    if (attempts > 10) throw new Error('no success in 10 attempts');
  }
  eq('attempts', 3, attempts);
  eq('value', '201', await c.get('io:w'));
});

scenario(`${IO} scanStream - 1000 keys, each seen once`, async (ctx) => {
  const c = await ctx.io();
  const p = c.pipeline();
  for (let i = 0; i < 1000; i++) p.set(`io:scan:${i}`, String(i));
  await p.exec();
  const seen = new Set();
  await new Promise((resolve, reject) => {
    const s = c.scanStream({ match: 'io:scan:*', count: 100 });
    s.on('data', (keys) => keys.forEach((k) => seen.add(k)));
    s.on('end', resolve);
    s.on('error', reject);
  });
  eq('distinct keys', 1000, seen.size);
  eq('DEL', 1000, await c.del(...seen));
});

scenario(`${IO} cache-aside - miss, set with TTL, hit, expiry observed`, async (ctx) => {
  const c = await ctx.io();
  let loads = 0;
  const load = () => {
    loads++;
    return 'alice';
  };
  const get = cacheAside((k) => c.get(k), (k, v, px) => c.set(k, v, 'PX', px));
  eq('first read', ['alice', false], await get('io:cache:user', load, 60000));
  eq('second read', ['alice', true], await get('io:cache:user', load, 60000));
  eq('SET EX', 'OK', await c.set('io:cache:ex', 'v', 'EX', 100));
  await get('io:cache:short', load, 100);
  eq('expired after PX 100', null, await waitGone((k) => c.get(k), 'io:cache:short', 3000));
  eq('loads', 2, loads);
});

scenario(`${IO} 8 connections x 500 concurrent INCR, exact total`, async (ctx) => {
  const clients = await Promise.all([...Array(8)].map(() => ctx.io()));
  await clients[0].del('io:conc:n');
  await Promise.all(clients.map((cl) => Promise.all([...Array(500)].map(() => cl.incr('io:conc:n')))));
  eq('total', '4000', await clients[0].get('io:conc:n'));
});

scenario(`${IO} lock - SET NX PX acquire, WATCH/MULTI compare-and-delete release`, async (ctx) => {
  const c = await ctx.io();
  const k = 'io:lock';
  const tryAcquire = async (cl, ttl) => {
    const token = randomBytes(8).toString('hex');
    return (await cl.set(k, token, 'PX', ttl, 'NX')) === 'OK' ? token : null;
  };
  const release = async (cl, token) => {
    for (let i = 0; i < 10; i++) {
      await cl.watch(k);
      if ((await cl.get(k)) !== token) {
        await cl.unwatch();
        return false;
      }
      const r = await cl.multi().del(k).exec();
      if (r !== null) return r[0][1] === 1;
    }
    return false;
  };
  await c.del(k);
  const token = await tryAcquire(c, 5000);
  ok('acquired', token !== null);
  eq('second acquire fails', null, await tryAcquire(c, 5000));
  eq('release with a wrong token', false, await release(c, 'not-mine'));
  eq('release', true, await release(c, token));
  eq('gone', null, await c.get(k));
  const clients = await Promise.all([...Array(4)].map(() => ctx.io()));
  await c.set('io:lock:counter', '0');
  await Promise.all(clients.map(async (cl) => {
    for (let i = 0; i < 25; i++) {
      const deadline = Date.now() + 10000;
      let t;
      while (!(t = await tryAcquire(cl, 5000))) {
        if (Date.now() > deadline) throw new Error('lock not acquired within 10 s');
        await sleep(5);
      }
      const v = Number(await cl.get('io:lock:counter'));
      await cl.set('io:lock:counter', String(v + 1));
      if (!(await release(cl, t))) throw new Error('release failed');
    }
  }));
  eq('counter', '100', await c.get('io:lock:counter'));
});

scenario(`${IO} lock - SET NX PX acquire, Lua compare-and-delete release (defineCommand)`, async (ctx) => {
  const k = 'io:llock';
  await luaLockSteps({
    connect: async () => {
      const cl = await ctx.io();
      cl.defineCommand('unlock', { numberOfKeys: 1, lua: UNLOCK_LUA });
      return cl;
    },
    tryAcquire: async (cl, ttl) => {
      const token = randomBytes(8).toString('hex');
      return (await cl.set(k, token, 'PX', ttl, 'NX')) === 'OK' ? token : null;
    },
    release: (cl, token) => cl.unlock(k, token),
    get: (cl, key) => cl.get(key),
    set: (cl, key, v) => cl.set(key, v),
  }, k, 'io:llock:counter');
});

scenario(`${IO} defineCommand - as a method, in pipeline() and multi(), fallback after SCRIPT FLUSH`, async (ctx) => {
  const c = await ctx.io();
  c.defineCommand('rateLimit', { numberOfKeys: 1, lua: RATE_LIMIT_LUA });
  const sha = sha1(RATE_LIMIT_LUA);
  await c.del('io:rate:a', 'io:rate:p', 'io:rate:m');
  const got = [];
  for (let i = 0; i < 6; i++) got.push(await c.rateLimit('io:rate:a', 3, 60));
  eq('6 calls, limit 3', [1, 1, 1, 0, 0, 0], got);
  eq('pipeline()', [[null, 1], [null, 1], [null, 0], [null, '3']],
    await c.pipeline().rateLimit('io:rate:p', 2, 60).rateLimit('io:rate:p', 2, 60).rateLimit('io:rate:p', 2, 60)
      .get('io:rate:p').exec());
  eq('multi()', [[null, 1], [null, 0]], await c.multi().rateLimit('io:rate:m', 1, 60).rateLimit('io:rate:m', 1, 60).exec());
  // After SCRIPT FLUSH the EVALSHA gets NOSCRIPT and ioredis resends the
  // script as EVAL, alone and from a pipeline.
  eq('SCRIPT FLUSH', 'OK', await c.script('FLUSH'));
  eq('SCRIPT EXISTS after FLUSH', [0], await c.script('EXISTS', sha));
  eq('call after SCRIPT FLUSH', 0, await c.rateLimit('io:rate:a', 3, 60));
  eq('SCRIPT EXISTS after the call', [1], await c.script('EXISTS', sha));
  await c.script('FLUSH');
  eq('pipeline() after SCRIPT FLUSH', [[null, 0]], await c.pipeline().rateLimit('io:rate:p', 2, 60).exec());
  // Inside MULTI there is no fallback: Redis queues EVALSHA without looking
  // the sha up, and EXEC carries NOSCRIPT in its place.
  await c.script('FLUSH');
  const res = await c.multi().rateLimit('io:rate:m', 1, 60).get('io:rate:m').exec();
  ok(`NOSCRIPT inside EXEC: ${fmt(res)}`, res[0][0] instanceof Error && res[0][0].message === NOSCRIPT_ERROR);
  eq('the rest of EXEC', [null, '2'], res[1]);
  eq('a plain call loads it again', 0, await c.rateLimit('io:rate:m', 1, 60));
  await rejects('evalsha of an unknown sha', c.evalsha('0'.repeat(40), 0), /^NOSCRIPT No matching script\. Please use EVAL\.$/);
  eq('eval with keys and arguments', ['io:x', 'io:y', 'a1', 'a2', 2, 2], await c.eval(KEYS_ARGV_LUA, 2, 'io:x', 'io:y', 'a1', 'a2'));
  eq('eval nested tables', NESTED_REPLY, await c.eval(NESTED_LUA, 0));
  await rejects('redis.error_reply', c.eval("return redis.error_reply('MYERR custom failure')", 0), /^MYERR custom failure$/);
  await c.set('io:rate:s', 'abc');
  const failed = await rejects('redis.call error', c.eval(FAILING_LUA, 1, 'io:rate:s'), /^ERR value is not an integer/);
  eq('redis.call error text', FAILING_ERROR, failed.message);
});

scenario(`${IO} pubsub - subscribe, publish, message events in order`, async (ctx) => {
  const c = await ctx.io();
  const sub = await ctx.io();
  const inbox = new Inbox();
  sub.on('message', (channel, message) => inbox.push([channel, message]));
  eq('SUBSCRIBE count', 2, await sub.subscribe('io:chan', 'io:chan2'));
  for (let i = 0; i < 3; i++) eq('PUBLISH', 1, await c.publish('io:chan', `m${i}`));
  eq('PUBLISH to the second channel', 1, await c.publish('io:chan2', 'other'));
  const got = [];
  for (let i = 0; i < 4; i++) got.push(await inbox.next());
  eq('messages', [['io:chan', 'm0'], ['io:chan', 'm1'], ['io:chan', 'm2'], ['io:chan2', 'other']], got);
  await rejects('GET while subscribed', sub.get('io:x'), /subscriber mode|only \(P\|S\)?SUBSCRIBE|allowed in this context/i);
  await sub.unsubscribe();
  eq('PUBLISH after UNSUBSCRIBE', 0, await c.publish('io:chan', 'late'));
  eq('ordinary commands again', 'PONG', await sub.ping());
});

scenario(`${IO} pubsub - psubscribe pattern, pmessage events`, async (ctx) => {
  const c = await ctx.io();
  const sub = await ctx.io();
  const inbox = new Inbox();
  sub.on('pmessage', (pattern, channel, message) => inbox.push([pattern, channel, message]));
  eq('PSUBSCRIBE count', 1, await sub.psubscribe('io:news.*'));
  eq('PUBLISH matching', 1, await c.publish('io:news.sport', 'goal'));
  eq('PUBLISH not matching', 0, await c.publish('io:weather', 'rain'));
  eq('pmessage', ['io:news.*', 'io:news.sport', 'goal'], await inbox.next());
});

scenario(`${IO} AUTH - password, username, NOAUTH, wrong password`, async (ctx) => {
  const a = await ctx.io({ port: opts.authPort, password: opts.password });
  eq('PING after AUTH', 'PONG', await a.ping());
  const u = await ctx.io({ port: opts.authPort, username: 'default', password: opts.password });
  eq('ACL WHOAMI', 'default', await u.call('ACL', 'WHOAMI'));
  // Without a password the ready check's INFO is refused: connect() fails
  // and the error event carries the server's NOAUTH.
  const events = [];
  const failing = new Redis({ host: opts.host, port: opts.authPort, lazyConnect: true, connectTimeout: CONNECT_MS, retryStrategy: () => null });
  failing.on('error', (e) => events.push(e.message));
  ctx.closers.push(() => failing.disconnect());
  const err = await rejects('connect without a password', failing.connect(), /NOAUTH|Connection is closed/);
  ok(`NOAUTH reported: ${fmt([err.message, ...events])}`, [err.message, ...events].some((m) => /NOAUTH Authentication required/.test(m)));
  const n = await ctx.io({ port: opts.authPort, enableReadyCheck: false });
  await rejects('GET without AUTH', n.get('io:auth'), /^NOAUTH Authentication required/);
  await rejects('connect with a wrong password', ctx.io({ port: opts.authPort, password: 'wrong' }),
    /WRONGPASS invalid username-password pair|Connection is closed/);
});

scenario(`${IO} connectionName - CLIENT SETNAME on connect`, async (ctx) => {
  const c = await ctx.io({ connectionName: 'io-test' });
  eq('CLIENT GETNAME', 'io-test', await c.client('GETNAME'));
  const list = await c.client('LIST');
  ok('CLIENT LIST shows the name', / name=io-test /.test(list));
});

scenario(`${IO} hashes - hset an object, hgetall, hincrby, hscanStream over 1000 fields, pipeline() and multi()`, async (ctx) => {
  const c = await ctx.io();
  await c.del('io:user:1', 'io:user:str', 'io:bighash', 'io:cart');
  const user = { name: 'Alice', email: 'alice@example.com', visits: '0' };
  eq('HSET object', 3, await c.hset('io:user:1', user));
  eq('HGETALL', user, await c.hgetall('io:user:1'));
  eq('HGETALL of a missing key', {}, await c.hgetall('io:user:none'));
  eq('HMGET', ['Alice', null, '0'], await c.hmget('io:user:1', 'name', 'nope', 'visits'));
  eq('HEXISTS', [1, 0], [await c.hexists('io:user:1', 'email'), await c.hexists('io:user:1', 'nope')]);
  eq('HSETNX', [0, 1], [await c.hsetnx('io:user:1', 'name', 'Bob'), await c.hsetnx('io:user:1', 'plan', 'free')]);
  eq('HINCRBY', [1, 2, -3], [await c.hincrby('io:user:1', 'visits', 1), await c.hincrby('io:user:1', 'visits', 1),
    await c.hincrby('io:user:1', 'visits', -5)]);
  eq('HINCRBYFLOAT', '10.5', await c.hincrbyfloat('io:user:1', 'balance', 10.5));
  eq('HLEN, HSTRLEN', [5, 17], [await c.hlen('io:user:1'), await c.hstrlen('io:user:1', 'email')]);
  eq('HDEL', 1, await c.hdel('io:user:1', 'plan', 'nope'));
  eq('HKEYS', ['balance', 'email', 'name', 'visits'], (await c.hkeys('io:user:1')).sort());
  const pair = await c.hrandfield('io:user:1', 1, 'WITHVALUES');
  ok(`HRANDFIELD 1 WITHVALUES: ${fmt(pair)}`, pair.length === 2 && (await c.hget('io:user:1', pair[0])) === pair[1]);
  await c.set('io:user:str', 'v');
  const err = await rejects('HGET on a string', c.hget('io:user:str', 'f'), WRONGTYPE_RE);
  ok(`WRONGTYPE is a ReplyError: ${err.constructor.name}`, err instanceof ReplyError);
  await rejects('HINCRBY on a string field', c.hincrby('io:user:1', 'name', 1), /^ERR hash value is not an integer$/);
  // 1000 fields in one HSET (a hashtable), read back with hscanStream.
  const fields = {};
  for (let i = 0; i < 1000; i++) fields[`f:${i}`] = String(i * 7);
  eq('one HSET with 1000 pairs', 1000, await c.hset('io:bighash', fields));
  const seen = {};
  let repeats = 0;
  await new Promise((resolve, reject) => {
    const s = c.hscanStream('io:bighash', { count: 100 });
    s.on('data', (flat) => {
      for (let i = 0; i < flat.length; i += 2) {
        if (Object.hasOwn(seen, flat[i])) repeats++;
        seen[flat[i]] = flat[i + 1];
      }
    });
    s.on('end', resolve);
    s.on('error', reject);
  });
  eq('repeats', 0, repeats);
  eq('HSCAN fields and values', fields, seen);
  eq('HGETALL of 1000', fields, await c.hgetall('io:bighash'));
  const p = await c.pipeline().hset('io:cart', { apple: 1, pear: 2 }).hincrby('io:cart', 'apple', 10)
    .hget('io:user:str', 'f').hgetall('io:cart').exec();
  eq('pipeline() HSET, HINCRBY', [[null, 2], [null, 11]], p.slice(0, 2));
  ok(`WRONGTYPE in place: ${fmt(p[2])}`, p[2][0] instanceof ReplyError && p[2][0].message === WRONGTYPE);
  eq('pipeline() HGETALL', [null, { apple: '11', pear: '2' }], p[3]);
  const m = await c.multi().hincrby('io:cart', 'pear', 5).hget('io:user:str', 'f').hmget('io:cart', 'apple', 'pear').exec();
  eq('multi() HINCRBY', [null, 7], m[0]);
  ok(`WRONGTYPE inside EXEC: ${fmt(m[1])}`, m[1][0] instanceof ReplyError && m[1][0].message === WRONGTYPE);
  eq('multi() HMGET', [null, ['11', '7']], m[2]);
});

scenario(`${IO} defineCommand - token-bucket rate limiter (HMGET, HSET, PEXPIRE), exact allow/deny sequence`, async (ctx) => {
  const c = await ctx.io();
  c.defineCommand('takeToken', { numberOfKeys: 1, lua: TOKEN_BUCKET_LUA });
  const model = tokenBucketModel(BUCKET_CAPACITY, BUCKET_INTERVAL, BUCKET_TIMES);
  eq('the model', BUCKET_EXPECTED, model);
  await c.del('io:bucket:alice', 'io:bucket:bob', 'io:bucket:str');
  const got = [];
  for (const t of BUCKET_TIMES) got.push(await c.takeToken('io:bucket:alice', BUCKET_CAPACITY, BUCKET_INTERVAL, BUCKET_T0 + t));
  eq('allow/deny and tokens left', model, got);
  eq('bucket state', { tokens: '0', ts: String(BUCKET_T0 + 100000) }, await c.hgetall('io:bucket:alice'));
  const pttl = await c.pttl('io:bucket:alice');
  ok(`PTTL in (0, ${BUCKET_CAPACITY * BUCKET_INTERVAL}], got ${pttl}`, pttl > 0 && pttl <= BUCKET_CAPACITY * BUCKET_INTERVAL);
  eq('pipeline()', [[null, [1, 1]], [null, [1, 0]], [null, [0, 0]]], await c.pipeline()
    .takeToken('io:bucket:bob', 2, BUCKET_INTERVAL, BUCKET_T0).takeToken('io:bucket:bob', 2, BUCKET_INTERVAL, BUCKET_T0)
    .takeToken('io:bucket:bob', 2, BUCKET_INTERVAL, BUCKET_T0 + 9999).exec());
  eq('multi(): a token refilled', [[null, [1, 0]], [null, [0, 0]]], await c.multi()
    .takeToken('io:bucket:bob', 2, BUCKET_INTERVAL, BUCKET_T0 + 10000)
    .takeToken('io:bucket:bob', 2, BUCKET_INTERVAL, BUCKET_T0 + 10000).exec());
  await c.set('io:bucket:str', 'x');
  const err = await rejects('a bucket key holding a string', c.takeToken('io:bucket:str', 3, 1000, BUCKET_T0), /^WRONGTYPE /);
  eq('error text', `${WRONGTYPE} script: ${sha1(TOKEN_BUCKET_LUA)}, on @user_script:5.`, err.message);
});

scenario(`${IO} sets and tag invalidation - sadd/smembers/sinter..., sscanStream, WATCH + sunion + UNLINK in multi()`, async (ctx) => {
  const c = await ctx.io();
  const other = await ctx.io();
  await c.del('io:set:a', 'io:set:b', 'io:set:d', 'io:set:big', 'io:set:hash');
  eq('SADD', 4, await c.sadd('io:set:a', '1', '2', '3', 'x'));
  eq('SMEMBERS', ['1', '2', '3', 'x'], (await c.smembers('io:set:a')).sort());
  eq('SISMEMBER, SMISMEMBER', [1, [1, 0, 1]], [await c.sismember('io:set:a', 'x'), await c.smismember('io:set:a', '1', 'z', '3')]);
  await c.sadd('io:set:b', '2', '3', '4');
  eq('SINTER, SUNION, SDIFF', [['2', '3'], ['1', '2', '3', '4', 'x'], ['1', 'x']],
    [(await c.sinter('io:set:a', 'io:set:b')).sort(), (await c.sunion('io:set:a', 'io:set:b')).sort(),
      (await c.sdiff('io:set:a', 'io:set:b')).sort()]);
  eq('SINTERCARD', 2, await c.sintercard(2, 'io:set:a', 'io:set:b'));
  eq('SINTERSTORE, SUNIONSTORE, SDIFFSTORE', [2, 5, 2], [await c.sinterstore('io:set:d', 'io:set:a', 'io:set:b'),
    await c.sunionstore('io:set:d', 'io:set:a', 'io:set:b'), await c.sdiffstore('io:set:d', 'io:set:a', 'io:set:b')]);
  eq('SMOVE to a set that has the member, SCARD', [1, 3, 2],
    [await c.smove('io:set:a', 'io:set:d', 'x'), await c.scard('io:set:a'), await c.scard('io:set:d')]);
  const popped = await c.spop('io:set:a', 3);
  eq('SPOP 3 empties the set', [['1', '2', '3'], 0], [popped.sort(), await c.exists('io:set:a')]);
  await c.hset('io:set:hash', 'f', 'v');
  await rejects('SADD on a hash', c.sadd('io:set:hash', 'm'), WRONGTYPE_RE);
  const members = [...Array(1000).keys()].map((i) => `m:${i}`);
  eq('SADD 1000', 1000, await c.sadd('io:set:big', ...members));
  const seen = [];
  await new Promise((resolve, reject) => {
    const s = c.sscanStream('io:set:big', { count: 100 });
    s.on('data', (batch) => seen.push(...batch));
    s.on('end', resolve);
    s.on('error', reject);
  });
  eq('SSCAN each member once', [...members].sort(), seen.sort());

  // Tag invalidation: entries and their tags written in one MULTI; WATCH
  // the tag sets, SUNION, UNLINK members and sets in MULTI; a null EXEC
  // (an entry tagged meanwhile) runs it again.
  const taggedSet = (cl, key, tags) => {
    const m = cl.multi().set(key, `<html>${key}</html>`, 'EX', 300);
    for (const t of tags) m.sadd(`io:tag:${t}`, key);
    return m.exec();
  };
  const invalidate = async (tags, beforeExec) => {
    const names = tags.map((t) => `io:tag:${t}`);
    for (let attempt = 1; attempt <= 10; attempt++) {
      await c.watch(...names);
      const doomed = (await c.sunion(...names)).sort();
      if (beforeExec) await beforeExec(attempt);
      const m = c.multi();
      if (doomed.length) m.unlink(...doomed);
      m.unlink(...names);
      if ((await m.exec()) !== null) return { doomed, attempt };
    }
    throw new Error('invalidation not done in 10 attempts');
  };
  const pages = {
    'io:page:home': ['news', 'sport'], 'io:page:news1': ['news'], 'io:page:sport1': ['sport'], 'io:page:about': ['static'],
  };
  await c.del(...Object.keys(pages), 'io:page:sport2', 'io:tag:news', 'io:tag:sport', 'io:tag:static');
  for (const [key, tags] of Object.entries(pages)) {
    eq(`taggedSet ${key}`, [[null, 'OK'], ...tags.map(() => [null, 1])], await taggedSet(c, key, tags));
  }
  eq('invalidate news', { doomed: ['io:page:home', 'io:page:news1'], attempt: 1 }, await invalidate(['news']));
  eq('news gone, the others stay', [0, 2], [await c.exists('io:page:home', 'io:page:news1', 'io:tag:news'),
    await c.exists('io:page:sport1', 'io:page:about')]);
  eq('invalidate sport, retried after a late entry', { doomed: ['io:page:home', 'io:page:sport1', 'io:page:sport2'], attempt: 2 },
    await invalidate(['sport'], async (attempt) => {
      if (attempt === 1) await taggedSet(other, 'io:page:sport2', ['sport']);
    }));
  eq('sport gone, about stays', [0, 1], [await c.exists('io:page:sport1', 'io:page:sport2', 'io:tag:sport'),
    await c.exists('io:page:about')]);
});

scenario(`${IO} moving-window rate limiter - lindex + lpush + ltrim + pexpire in multi() and pipeline(), exact sequence`, async (ctx) => {
  const c = await ctx.io();
  await c.del('io:window:alice', 'io:window:bob', 'io:window:str');
  await windowSteps({
    allow: async (key, now, limit, pipelined) => {
      const res = await (pipelined ? c.pipeline() : c.multi()).lindex(key, limit - 1).lpush(key, now).ltrim(key, 0, limit - 1)
        .pexpire(key, WINDOW_MS).exec();
      const errs = res.filter(([e]) => e !== null);
      if (errs.length) throw errs[0][0];
      const [oldest, ...replies] = res.map(([, v]) => v);
      return [windowAllowed(oldest, now), replies];
    },
    lRange: (key) => c.lrange(key, 0, -1),
    pTTL: (key) => c.pttl(key),
  }, 'io:window:alice', 'io:window:bob');
  // A limiter key holding a string: WRONGTYPE in place inside EXEC, PEXPIRE still runs.
  await c.set('io:window:str', 'x');
  const res = await c.multi().lindex('io:window:str', 2).lpush('io:window:str', 1).ltrim('io:window:str', 0, 2)
    .pexpire('io:window:str', WINDOW_MS).exec();
  ok(`WRONGTYPE in place: ${fmt(res)}`, res.slice(0, 3).every(([e]) => e instanceof ReplyError && e.message === WRONGTYPE));
  eq('PEXPIRE in EXEC', [null, 1], res[3]);
  eq('the string is untouched', 'x', await c.get('io:window:str'));
});

const ioQueue = (ctx) => ({
  connect: () => ctx.io(),
  del: (cl, keys) => cl.del(...keys),
  exists: (cl, keys) => cl.exists(...keys),
  lPush: (cl, key, elements) => cl.lpush(key, ...elements),
  lRange: (cl, key) => cl.lrange(key, 0, -1),
  lLen: (cl, key) => cl.llen(key),
  lIndex: (cl, key, i) => cl.lindex(key, i),
  lMove: (cl, src, dst, from, to) => cl.lmove(src, dst, from, to),
  rPopLPush: (cl, src, dst) => cl.rpoplpush(src, dst),
  lRem: (cl, key, count, element) => cl.lrem(key, count, element),
});

scenario(`${IO} reliable queue - lpush, lmove/rpoplpush to processing, lrem, a dead worker's job reaped`, async (ctx) => {
  await reliableQueueSteps(ioQueue(ctx), 'io:jobs', 'io:jobs:processing');
});

scenario(`${IO} reliable queue - 2 producers and 4 workers on their own connections, one dies, exactly once`, async (ctx) => {
  await reliableQueueWorkersSteps(ioQueue(ctx), 'io:cjobs', 'io:cjobs:processing');
});

scenario(`${IO} lists - push, pop with count, lrange/lindex/lset/linsert/lrem/ltrim, lpos, lmpop, lmove, WRONGTYPE`, async (ctx) => {
  const c = await ctx.io();
  const other = await ctx.io();
  const [key, key2, pos, big, str, none, bin] = ['l', 'l2', 'pos', 'big', 'str', 'none', 'bin'].map((s) => `io:list:${s}`);
  await c.del(key, key2, pos, big, str, none, bin);
  eq('RPUSH, LPUSH, LPUSHX, RPUSHX', [2, 4, 5, 6],
    [await c.rpush(key, 'x', 'y'), await c.lpush(key, 'w', 'v'), await c.lpushx(key, 'u'), await c.rpushx(key, 'z')]);
  eq('LPUSHX, RPUSHX of a missing key', [0, 0, 0], [await c.lpushx(none, 'a'), await c.rpushx(none, 'a', 'b'), await c.exists(none)]);
  eq('LRANGE', ['u', 'v', 'w', 'x', 'y', 'z'], await c.lrange(key, 0, -1));
  eq('LRANGE ranges', [['v', 'w'], ['y', 'z'], [], []],
    [await c.lrange(key, 1, 2), await c.lrange(key, -2, -1), await c.lrange(key, 10, 20), await c.lrange(none, 0, -1)]);
  eq('LLEN, LINDEX', [6, 'u', 'z', null], [await c.llen(key), await c.lindex(key, 0), await c.lindex(key, -1), await c.lindex(key, 6)]);
  eq('LSET', 'OK', await c.lset(key, 1, 'V'));
  const err = await rejects('LSET out of range', c.lset(key, 6, 'no'), /^ERR index out of range$/);
  ok(`a ReplyError: ${err.constructor.name}`, err instanceof ReplyError);
  await rejects('LSET of a missing key', c.lset(none, 0, 'no'), /^ERR no such key$/);
  eq('LINSERT BEFORE, AFTER, a missing pivot, a missing key', [7, 8, -1, 0], [await c.linsert(key, 'BEFORE', 'x', 'x0'),
    await c.linsert(key, 'AFTER', 'z', 'z1'), await c.linsert(key, 'AFTER', 'nope', 'q'), await c.linsert(none, 'AFTER', 'x', 'q')]);
  eq('after LSET and LINSERT', ['u', 'V', 'w', 'x0', 'x', 'y', 'z', 'z1'], await c.lrange(key, 0, -1));
  eq('LPOP, LPOP 2, RPOP 2, RPOP, LPOP 0', ['u', ['V', 'w'], ['z1', 'z'], 'y', []],
    [await c.lpop(key), await c.lpop(key, 2), await c.rpop(key, 2), await c.rpop(key), await c.lpop(key, 0)]);
  eq('LPOP 2, RPOP of a missing key', [null, null], [await c.lpop(none, 2), await c.rpop(none)]);
  eq('RPUSH', 7, await c.rpush(pos, 'a', 'b', 'c', 'a', 'b', 'c', 'a'));
  eq('LPOS, RANK 2, RANK -1', [0, 3, 6], [await c.lpos(pos, 'a'), await c.lpos(pos, 'a', 'RANK', 2), await c.lpos(pos, 'a', 'RANK', -1)]);
  eq('LPOS COUNT', [[0, 3, 6], [6, 3]], [await c.lpos(pos, 'a', 'COUNT', 0), await c.lpos(pos, 'a', 'RANK', -1, 'COUNT', 2)]);
  eq('LPOS MAXLEN', [[0, 3], [6], null], [await c.lpos(pos, 'a', 'COUNT', 0, 'MAXLEN', 4),
    await c.lpos(pos, 'a', 'RANK', -1, 'COUNT', 0, 'MAXLEN', 2), await c.lpos(pos, 'c', 'MAXLEN', 1)]);
  eq('LPOS of no match', [null, []], [await c.lpos(pos, 'z'), await c.lpos(pos, 'z', 'COUNT', 1)]);
  await rejects('LPOS RANK 0', c.lpos(pos, 'a', 'RANK', 0), /^ERR RANK can't be zero/);
  eq('LREM 1, -1, 0', [1, 1, 2], [await c.lrem(pos, 1, 'a'), await c.lrem(pos, -1, 'c'), await c.lrem(pos, 0, 'b')]);
  eq('LTRIM', ['OK', ['a', 'a']], [await c.ltrim(pos, 1, -1), await c.lrange(pos, 0, -1)]);
  eq('LTRIM to nothing deletes the key', ['OK', 0], [await c.ltrim(pos, 5, 1), await c.exists(pos)]);
  eq('LMPOP LEFT', [key, ['x0']], await c.lmpop(2, none, key, 'LEFT'));
  await c.rpush(key2, '1', '2', '3');
  eq('LMPOP RIGHT COUNT 5', [key2, ['3', '2', '1']], await c.lmpop(3, none, key2, key, 'RIGHT', 'COUNT', 5));
  eq('LMPOP of missing keys', null, await c.lmpop(2, none, key2, 'LEFT'));
  await c.rpush(key2, '1', '2', '3');
  eq('LMOVE, LMOVE onto itself, RPOPLPUSH', ['1', 'x', '3'],
    [await c.lmove(key2, key, 'LEFT', 'RIGHT'), await c.lmove(key, key, 'LEFT', 'RIGHT'), await c.rpoplpush(key2, key)]);
  eq('after LMOVE', [['3', '1', 'x'], ['2']], [await c.lrange(key, 0, -1), await c.lrange(key2, 0, -1)]);
  eq('LMOVE of a missing key', null, await c.lmove(none, key, 'LEFT', 'RIGHT'));
  const values = [...Array(1000).keys()].map((i) => `v:${i}`);
  eq('RPUSH 1000', 1000, await c.rpush(big, ...values));
  eq('LRANGE of 1000', values, await c.lrange(big, 0, -1));
  const long = 'a long element, '.repeat(8);
  eq('LSET a long element, LPOS of it, LREM it', ['OK', 500, 1],
    [await c.lset(big, 500, long), await c.lpos(big, long), await c.lrem(big, 0, long)]);
  eq('LLEN', 999, await c.llen(big));
  const elem = Buffer.from('a\0b\r\nc\xff', 'latin1');
  eq('RPUSH binary', 2, await c.rpush(bin, elem, Buffer.from('\r\n')));
  eq('lrangeBuffer', [elem, Buffer.from('\r\n')], await c.lrangeBuffer(bin, 0, -1));
  // WATCH on a list: another connection's RPUSH makes EXEC return null, the loop retries.
  let attempts = 0;
  for (;;) {
    attempts++;
    await c.watch(key);
    const items = await c.lrange(key, 0, -1);
    if (attempts === 1) await other.rpush(key, 'late');
    if ((await c.multi().del(key).rpush(key2, ...items).exec()) !== null) break;
    if (attempts > 10) throw new Error('no success in 10 attempts');
  }
  eq('attempts', 2, attempts);
  eq('moved, the late element too', [0, ['2', '3', '1', 'x', 'late']], [await c.exists(key), await c.lrange(key2, 0, -1)]);
  // A pipeline keeps WRONGTYPE in its place.
  await c.set(str, 'v');
  const p = await c.pipeline().lpush(str, 'a').lrange(key2, 0, 0).lpop(str, 2).lmove(key2, str, 'LEFT', 'RIGHT')
    .lmpop(2, none, str, 'LEFT').get(key2).exec();
  ok(`WRONGTYPE in place: ${fmt(p)}`, [0, 2, 3, 4, 5].every((i) => p[i][0] instanceof ReplyError && p[i][0].message === WRONGTYPE));
  eq('LRANGE between them', [null, ['2']], p[1]);
  eq('the list is untouched', ['2', '3', '1', 'x', 'late'], await c.lrange(key2, 0, -1));
});

scenario(`${IO} bitmaps - daily active users with setbit/bitcount/bitpos/bitop, bitfield counters with OVERFLOW`, async (ctx) => {
  const c = await ctx.io();
  await c.del('io:dau:1', 'io:dau:2', 'io:dau:both', 'io:bf:hits', 'io:bf:sat', 'io:bf:set');
  const p = c.pipeline();
  for (const u of DAY1) p.setbit('io:dau:1', u, 1);
  for (const u of DAY2) p.setbit('io:dau:2', u, 1);
  eq('SETBIT replies', [...DAY1, ...DAY2].map(() => [null, 0]), await p.exec());
  eq('BITCOUNT', [6, 5, 3], [await c.bitcount('io:dau:1'), await c.bitcount('io:dau:2'), await c.bitcount('io:dau:1', 0, 99, 'BIT')]);
  eq('GETBIT', [1, 0], [await c.getbit('io:dau:1', 100), await c.getbit('io:dau:1', 101)]);
  eq('BITPOS', [1, 100, 7],
    [await c.bitpos('io:dau:1', 1), await c.bitpos('io:dau:1', 1, 1), await c.bitpos('io:dau:1', 1, 6, 2000, 'BIT')]);
  eq('BITOP AND', 1250, await c.bitop('AND', 'io:dau:both', 'io:dau:1', 'io:dau:2'));
  eq('both days', [5, 7, 100], bitsOf(await c.getBuffer('io:dau:both')));
  eq('users of day 2', DAY2, bitsOf(await c.getBuffer('io:dau:2')));
  eq('BITFIELD INCRBY u32', [1, 2, 1],
    await c.bitfield('io:bf:hits', 'INCRBY', 'u32', '#3', 1, 'INCRBY', 'u32', '#3', 1, 'INCRBY', 'u32', '#7', 1));
  const raw = await c.getBuffer('io:bf:hits');
  eq('big-endian counters', [0, 0, 0, 2, 0, 0, 0, 1], [...Array(8).keys()].map((i) => raw.readUInt32BE(i * 4)));
  eq('BITFIELD_RO', [2], await c.bitfield_ro('io:bf:hits', 'GET', 'u32', '#3'));
  // A saturating counter as cashews keeps it: INCRBY ... with OVERFLOW SAT first.
  eq('u8 SAT', [200, 255], await c.bitfield('io:bf:sat', 'OVERFLOW', 'SAT', 'INCRBY', 'u8', '#0', 200, 'INCRBY', 'u8', '#0', 100));
  eq('u8 WRAP, FAIL', [200, 44, 250, null], await c.bitfield('io:bf:sat', 'OVERFLOW', 'WRAP', 'INCRBY', 'u8', '#2', 200,
    'INCRBY', 'u8', '#2', 100, 'OVERFLOW', 'FAIL', 'INCRBY', 'u8', '#3', 250, 'INCRBY', 'u8', '#3', 10));
  eq('bytes', Buffer.from([0xff, 0x00, 0x2c, 0xfa]), await c.getBuffer('io:bf:sat'));
  await c.sadd('io:bf:set', 'm');
  await rejects('SETBIT on a set', c.setbit('io:bf:set', 1, 1), WRONGTYPE_RE);
  await rejects('BITFIELD on a set', c.bitfield('io:bf:set', 'GET', 'u8', 0), WRONGTYPE_RE);
  await c.mset('io:lcs:1', 'ohmytext', 'io:lcs:2', 'mynewtext');
  eq('LCS', ['mytext', 6], [await c.lcs('io:lcs:1', 'io:lcs:2'), await c.lcs('io:lcs:1', 'io:lcs:2', 'LEN')]);
});

scenario(`${IO} sliding-window rate limiter on a sorted set - defineCommand (ZREMRANGEBYSCORE, ZCARD, ZADD, PEXPIRE), exact sequence`, async (ctx) => {
  const c = await ctx.io();
  c.defineCommand('zWindow', { numberOfKeys: 1, lua: ZWINDOW_LUA });
  await c.del('io:zwindow:alice', 'io:zwindow:str');
  await zWindowScriptSteps({
    script: (key, now, member) => c.zWindow(key, now, ZWINDOW_MS, ZWINDOW_LIMIT, member),
    zRangeWithScores: async (key) => {
      const flat = await c.zrange(key, 0, -1, 'WITHSCORES');
      return [...Array(flat.length / 2).keys()].map((i) => [flat[2 * i], flat[2 * i + 1]]);
    },
    score: (t) => String(t),
    pTTL: (key) => c.pttl(key),
  }, 'io:zwindow:alice');
  eq('ZSCORE of the newest', String(WINDOW_T0 + 45000), await c.zscore('io:zwindow:alice', `${WINDOW_T0 + 45000}:16`));
  await c.set('io:zwindow:str', 'x');
  const err = await rejects('a limiter key holding a string', c.zWindow('io:zwindow:str', WINDOW_T0, ZWINDOW_MS, ZWINDOW_LIMIT, 'm'),
    /^WRONGTYPE /);
  eq('error text', `${WRONGTYPE} script: ${sha1(ZWINDOW_LUA)}, on @user_script:4.`, err.message);
});

scenario(`${IO} sliding-window rate limiter on a sorted set - zremrangebyscore + zcard + zadd + pexpire in multi() and pipeline()`, async (ctx) => {
  const c = await ctx.io();
  await c.del('io:zwindow:multi', 'io:zwindow:bob');
  await zWindowMultiSteps({
    multi: async (key, now, member, limit, pipelined) => {
      const res = await (pipelined ? c.pipeline() : c.multi()).zremrangebyscore(key, '-inf', now - ZWINDOW_MS).zcard(key)
        .zadd(key, now, member).pexpire(key, ZWINDOW_MS).exec();
      const errs = res.filter(([e]) => e !== null);
      if (errs.length) throw errs[0][0];
      const replies = res.map(([, v]) => v);
      return [replies[1] < limit ? 1 : 0, replies];
    },
    zRange: (key) => c.zrange(key, 0, -1),
  }, 'io:zwindow:multi', 'io:zwindow:bob');
});

scenario(`${IO} job queue - blocking workers on their own connections: brpop and blmove woken by a later lpush, 3 workers x 200 jobs, each once`, async (ctx) => {
  await blockingQueueSteps({
    connect: () => ctx.io(),
    connection: () => ctx.io(),
    info: (cl) => cl.info('clients'),
    brPop: (cl, key, timeout) => cl.brpop(key, timeout),
    blMove: (cl, src, dst, timeout) => cl.blmove(src, dst, 'RIGHT', 'LEFT', timeout),
    lPush: (cl, key, elements) => cl.lpush(key, ...elements),
    lRem: (cl, key, count, element) => cl.lrem(key, count, element),
    lRange: (cl, key) => cl.lrange(key, 0, -1),
    exists: (cl, keys) => cl.exists(...keys),
    del: (cl, keys) => cl.del(...keys),
  }, 'io:bjobs', [0, 1, 2].map((n) => `io:bjobs:processing:${n}`));
});

scenario(`${IO} leaderboard - zincrby, zrevrange WITHSCORES top 3, zrevrank/zrank, zscore, zmscore, zpopmin, bzpopmin woken by zadd`, async (ctx) => {
  const c = await ctx.io();
  const other = await ctx.io();
  const [key, q, none] = ['io:lb', 'io:lb:queue', 'io:lb:none'];
  await c.del(key, q, none);
  const scores = [];
  for (const [player, by] of LEADERBOARD_PLAYS) scores.push(await c.zincrby(key, by, player));
  eq('ZINCRBY: the new scores, read as numbers', LEADERBOARD_SCORES, scores.map(Number));
  // ioredis gives the server's spelling: 0.1 is 0.10000000000000001 from
  // Redis 7.0 (%.17g), 0.1 from 7.2+; every other score reads the same.
  eq('ZINCRBY: the new scores as strings, but the 0.1', LEADERBOARD_SCORES.map(String).filter((_, i) => i !== 9),
    scores.filter((_, i) => i !== 9));
  ok(`ZINCRBY 0.1 spelled ${scores[9]}`, ['0.1', '0.10000000000000001'].includes(scores[9]));
  eq('ZREVRANGE 0 2 WITHSCORES: the top 3, a tie in reverse member order', ['alice', '25', 'frank', '20', 'bob', '20'],
    await c.zrevrange(key, 0, 2, 'WITHSCORES'));
  eq('ZREVRANGE without scores', ['alice', 'frank', 'bob'], await c.zrevrange(key, 0, 2));
  eq('ZREVRANK', [0, 1, 2, 3, 6, null], await Promise.all(['alice', 'frank', 'bob', 'dave', 'zoe', 'nobody'].map((p) => c.zrevrank(key, p))));
  eq('ZRANK', [6, 5, 4, 0, null], await Promise.all(['alice', 'frank', 'bob', 'zoe', 'nobody'].map((p) => c.zrank(key, p))));
  eq('ZSCORE', ['18.5', '0.30000000000000004', null], await Promise.all(['dave', 'zoe', 'nobody'].map((p) => c.zscore(key, p))));
  eq('ZMSCORE', ['25', null, '7.5'], await c.zmscore(key, 'alice', 'nobody', 'carol'));
  eq('ZCARD', 7, await c.zcard(key));
  eq('ZPOPMIN', ['zoe', '0.30000000000000004'], await c.zpopmin(key));
  eq('ZPOPMIN 2', ['erin', '3', 'carol', '7.5'], await c.zpopmin(key, 2));
  eq('ZPOPMIN of a missing key', [], await c.zpopmin(none));
  eq('what is left', ['alice', '25', 'frank', '20', 'bob', '20', 'dave', '18.5'], await c.zrevrange(key, 0, -1, 'WITHSCORES'));
  // A consumer blocked on an empty sorted set, woken by another connection's ZADD.
  const start = Date.now();
  eq('BZPOPMIN timeout 0.1', null, await c.bzpopmin(none, 0.1));
  const elapsed = Date.now() - start;
  ok(`timed out in [100, 3000) ms, took ${elapsed}`, elapsed >= 100 && elapsed < 3000);
  const consumer = await ctx.io();
  const pending = consumer.bzpopmin(none, q, 5);
  pending.catch(() => {});
  eq('the consumer is blocked', 1, await waitBlocked(() => c.info('clients'), 1));
  eq('ZADD from another connection', 2, await other.zadd(q, 5, 'late', 2.5, 'early'));
  eq('BZPOPMIN woken: [key, member, score]', [q, 'early', '2.5'], await pending);
  eq('BZPOPMIN of a non-empty key does not block', [q, 'late', '5'], await consumer.bzpopmin(none, q, 1));
  eq('the queue gone', 0, await c.exists(q));
  await c.set(none, 'x');
  await rejects('BZPOPMIN of a string', consumer.bzpopmin(none, 1), WRONGTYPE_RE);
});

scenario(`${IO} functions - function('LOAD', 'REPLACE'), fcall / fcall_ro, function('LIST'), function('DELETE')`, async (ctx) => {
  const c = await ctx.io();
  const lib = 'iolib';
  const [hit, peek, version] = ['hit', 'peek', 'version'].map((f) => `${lib}_${f}`);
  const [key, h] = ['io:fn:hits', 'io:fn:hash'];
  await c.del(key, h);
  // FLUSHALL keeps functions: a library left by an earlier run.
  if ((await c.function('LIST', 'LIBRARYNAME', lib)).length) await c.function('DELETE', lib);
  const [v1, v2] = [functionLibrary(lib, 1), functionLibrary(lib, 2)];
  eq('FUNCTION LOAD', lib, await c.function('LOAD', v1));
  await rejects('FUNCTION LOAD again', c.function('LOAD', v1), new RegExp(`^ERR Library '${lib}' already exists$`));
  eq('FUNCTION LOAD REPLACE', lib, await c.function('LOAD', 'REPLACE', v2));
  eq('FCALL_RO version: the replaced library', 2, await c.fcall_ro(version, 0));
  eq('FCALL hit', [5, 8], [await c.fcall(hit, 1, key, 5, 60000), await c.fcall(hit, 1, key, 3, 60000)]);
  const [count, pttl] = await c.fcall_ro(peek, 1, key);
  eq('FCALL_RO peek: the count', 8, count);
  ok(`FCALL_RO peek: PTTL in (0, 60000], got ${pttl}`, pttl > 0 && pttl <= 60000);
  eq('FCALL of a no-writes function', 8, (await c.fcall(peek, 1, key))[0]);
  eq('FCALL_RO peek of a missing key', [0, -2], await c.fcall_ro(peek, 1, 'io:fn:none'));
  await rejects('FCALL_RO of a write function', c.fcall_ro(hit, 1, key, 1, 60000),
    /^ERR Can not execute a script with write flag using \*_ro command\.$/);
  eq('the count after the refused FCALL_RO', '8', await c.get(key));
  await c.hset(h, 'f', 'v');
  const err = await rejects('FCALL hit on a hash', c.fcall(hit, 1, h, 1, 60000), /^WRONGTYPE /);
  eq('error text', `${WRONGTYPE} script: ${hit}, on @user_function:3.`, err.message);
  await rejects('FCALL of an unknown function', c.fcall(`${lib}_nope`, 0), /^ERR Function not found$/);
  const res = await c.multi().fcall(hit, 1, key, 2, 60000).fcall_ro(peek, 1, key).get(key).exec();
  eq('FCALL and FCALL_RO in multi()', [[null, 10], [null, 10], [null, '10']], [res[0], [res[1][0], res[1][1][0]], res[2]]);
  eq('FUNCTION LIST LIBRARYNAME', functionListExpected(lib), (await c.function('LIST', 'LIBRARYNAME', lib)).map(functionListEntry));
  eq('FUNCTION LIST WITHCODE', v2, functionListEntry((await c.function('LIST', 'LIBRARYNAME', lib, 'WITHCODE'))[0]).library_code);
  eq('FUNCTION DELETE', 'OK', await c.function('DELETE', lib));
  eq('FUNCTION LIST after the delete', [], await c.function('LIST', 'LIBRARYNAME', lib));
  await rejects('FCALL after the delete', c.fcall_ro(version, 0), /^ERR Function not found$/);
  await rejects('FUNCTION DELETE again', c.function('DELETE', lib), /^ERR Library not found$/);
  eq('the keys are still there', ['10', { f: 'v' }], [await c.get(key), await c.hgetall(h)]);
});

scenario(`${IO} RESP3`, async () => {
  throw new Skip(`ioredis ${IOREDIS_VERSION} speaks RESP2 only`);
});

// ---------------------------------------------------------------------------

async function main() {
  console.log(`# ${NR}, ${IO}, node ${process.version}`);
  const admin = new Redis({
    host: opts.host,
    port: opts.port,
    lazyConnect: true,
    connectTimeout: CONNECT_MS,
    commandTimeout: 5000,
    retryStrategy: () => null,
    enableReadyCheck: false,
  });
  admin.on('error', () => {});
  try {
    await admin.connect();
    await admin.flushall();
  } finally {
    admin.disconnect();
  }
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const s of scenarios) {
    if (opts.only && !s.name.includes(opts.only)) continue;
    const start = Date.now();
    try {
      await runScenario(s);
      passed++;
      console.log(`ok: ${s.name} (${((Date.now() - start) / 1000).toFixed(2)} s)`);
    } catch (e) {
      if (e instanceof Skip) {
        skipped++;
        console.log(`skip: ${s.name}: ${e.message}`);
      } else {
        failed++;
        const where = (e.stack || '').split('\n').find((l) => l.includes('test.mjs:'));
        console.log(`FAIL: ${s.name}: ${e.message}${where ? ` (${where.trim().replace(/^at .*\//, '')})` : ''}`);
      }
    }
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.log(`FAIL: runner: ${e.stack || e}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
